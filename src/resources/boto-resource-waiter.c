/* boto-resource-waiter.c: resource waiters (boto3's WaiterAction) over the
 * client's waiters
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include "boto-error.h"
#include "boto-waiter.h"
#include "boto-resource-private.h"

/* The client waiter and the parameters the resource fills in (boto3's
 * create_request_parameters over the waiter's params), with the caller's
 * parameters and WaiterConfig merged over them. */
static BotoWaiter *
resource_waiter (BotoResource  *self,
                 const char    *waiter_name,
                 GVariant      *params,
                 GVariant     **out_params,
                 GError       **error)
{
  BotoResourceType *type = boto_resource_get_type_info (self);
  g_autoptr(GVariant) user_params = params != NULL ? g_variant_ref_sink (params) : NULL;
  g_autoptr(BotoParamNode) node = NULL;
  const BotoResourceEntry *entry;
  const char *service_waiter;

  if (type == NULL || boto_resource_get_client (self) == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_RESOURCE,
                   "This resource has no client or no model");
      return NULL;
    }
  entry = boto_resource_type_find_entry (type->waiters, waiter_name);
  if (entry == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_RESOURCE,
                   "%s has no waiter “%s”", type->name, waiter_name);
      return NULL;
    }
  if (user_params != NULL && !g_variant_is_of_type (user_params, G_VARIANT_TYPE_VARDICT))
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                   "Waiter parameters must be a{sv}, not “%s”", g_variant_get_type_string (user_params));
      return NULL;
    }
  for (guint i = 0; i < type->n_identifiers; i++)
    if (boto_resource_get_identifier_at (self, i) == NULL)
      {
        g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_IDENTIFIERS,
                     "The identifier %s of this %s is not set", type->identifier_names[i], type->name);
        return NULL;
      }

  service_waiter = boto_res_string (entry->def, "waiterName");
  if (service_waiter == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                   "The waiter %s has no waiterName", waiter_name);
      return NULL;
    }

  node = boto_param_node_new_dict ();
  if (!boto_resource_build_request_params (self, entry->def, node, -1, NULL, error))
    return NULL;
  boto_param_node_merge_variant (node, user_params, FALSE);
  *out_params = g_variant_ref_sink (boto_param_node_to_variant (node));

  return boto_client_get_waiter (boto_resource_get_client (self), service_waiter, error);
}

/**
 * boto_resource_wait:
 * @self: a resource
 * @waiter_name: the waiter, such as `wait_until_exists` or
 *   `wait_until_running` (or the model's `Exists`, `Running`)
 * @params: (nullable): more request parameters, `a{sv}`; `WaiterConfig`
 *   (`Delay` in seconds, `MaxAttempts`) configures the waiter; a floating
 *   reference is consumed
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Polls until the resource reaches the waiter's state, as boto3's
 * `bucket.wait_until_exists()`, with the client's waiter
 * ([method@Boto.Waiter.wait]) and the parameters that name this resource.
 * Blocks the calling thread between attempts; see
 * [method@Boto.Resource.wait_async].
 *
 * Returns: %TRUE when the waiter succeeded; %FALSE with
 *   %BOTO_CLIENT_ERROR_WAITER when it failed or gave up
 *
 * Since: 1.0
 */
gboolean
boto_resource_wait (BotoResource  *self,
                    const char    *waiter_name,
                    GVariant      *params,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(BotoWaiter) waiter = NULL;
  g_autoptr(GVariant) request = NULL;

  g_return_val_if_fail (BOTO_IS_RESOURCE (self), FALSE);
  g_return_val_if_fail (waiter_name != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  waiter = resource_waiter (self, waiter_name, params, &request, error);
  if (waiter == NULL)
    return FALSE;
  return boto_waiter_wait (waiter, request, cancellable, error);
}

static void
wait_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (boto_waiter_wait_finish (BOTO_WAITER (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * boto_resource_wait_async:
 * @self: a resource
 * @waiter_name: the waiter, such as `wait_until_exists`
 * @params: (nullable): more request parameters and `WaiterConfig`,
 *   `a{sv}`; a floating reference is consumed
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the waiter is done
 * @user_data: data for @callback
 *
 * The asynchronous form of [method@Boto.Resource.wait].
 *
 * Since: 1.0
 */
void
boto_resource_wait_async (BotoResource        *self,
                          const char          *waiter_name,
                          GVariant            *params,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(BotoWaiter) waiter = NULL;
  g_autoptr(GVariant) request = NULL;
  GError *error = NULL;

  g_return_if_fail (BOTO_IS_RESOURCE (self));
  g_return_if_fail (waiter_name != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, boto_resource_wait_async);
  waiter = resource_waiter (self, waiter_name, params, &request, &error);
  if (waiter == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  boto_waiter_wait_async (waiter, request, cancellable, wait_done,
                          g_steal_pointer (&task));
}

/**
 * boto_resource_wait_finish:
 * @self: a resource
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes a call to [method@Boto.Resource.wait_async].
 *
 * Returns: %TRUE when the waiter succeeded
 *
 * Since: 1.0
 */
gboolean
boto_resource_wait_finish (BotoResource  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (BOTO_IS_RESOURCE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
