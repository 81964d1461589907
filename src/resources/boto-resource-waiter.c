/* boto-resource-waiter.c: resource waiters (boto3's WaiterAction) over the
 * service's waiters-2.json
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "boto-error.h"
#include "boto-jmespath.h"
#include "boto-model-private.h"
#include "boto-resource-private.h"

/*
 * The client-level waiter is not part of this layer yet: this is a small
 * waiter engine of its own, with botocore's acceptor semantics (`path`,
 * `pathAll`, `pathAny`, `status`, `error` matchers; `success`, `failure`,
 * `retry` states; `WaiterConfig` with `Delay` and `MaxAttempts`).
 */

typedef enum {
  ACCEPT_NONE,
  ACCEPT_SUCCESS,
  ACCEPT_FAILURE,
  ACCEPT_RETRY,
} Acceptance;

typedef struct
{
  BotoResource *self;
  char         *waiter_name;
  GVariant     *waiter;      /* the waiters-2 definition */
  char         *operation;
  GVariant     *params;
  double        delay;
  gint64        max_attempts;
  gint64        attempt;
  GSource      *timeout;
} WaitState;

static void
wait_state_free (WaitState *state)
{
  g_clear_object (&state->self);
  g_free (state->waiter_name);
  g_clear_pointer (&state->waiter, g_variant_unref);
  g_free (state->operation);
  g_clear_pointer (&state->params, g_variant_unref);
  if (state->timeout != NULL)
    {
      g_source_destroy (state->timeout);
      g_source_unref (state->timeout);
    }
  g_free (state);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WaitState, wait_state_free)

static GVariant *
unbox_all (GVariant *value)
{
  while (value != NULL && (g_variant_is_of_type (value, G_VARIANT_TYPE_VARIANT) ||
                           g_variant_is_of_type (value, G_VARIANT_TYPE_MAYBE)))
    {
      GVariant *inner = g_variant_is_of_type (value, G_VARIANT_TYPE_VARIANT) ?
                        g_variant_get_variant (value) : g_variant_get_maybe (value);

      g_variant_unref (value);
      value = inner;
    }
  return value;
}

static gboolean
as_number (GVariant *value,
           double   *out)
{
  const GVariantType *type = g_variant_get_type (value);

  if (g_variant_type_equal (type, G_VARIANT_TYPE_INT32))
    *out = g_variant_get_int32 (value);
  else if (g_variant_type_equal (type, G_VARIANT_TYPE_INT64))
    *out = g_variant_get_int64 (value);
  else if (g_variant_type_equal (type, G_VARIANT_TYPE_UINT32))
    *out = g_variant_get_uint32 (value);
  else if (g_variant_type_equal (type, G_VARIANT_TYPE_UINT64))
    *out = g_variant_get_uint64 (value);
  else if (g_variant_type_equal (type, G_VARIANT_TYPE_DOUBLE))
    *out = g_variant_get_double (value);
  else if (g_variant_type_equal (type, G_VARIANT_TYPE_INT16))
    *out = g_variant_get_int16 (value);
  else if (g_variant_type_equal (type, G_VARIANT_TYPE_BYTE))
    *out = g_variant_get_byte (value);
  else
    return FALSE;
  return TRUE;
}

/* Takes nothing; compares a JSON-like value with an expected one. */
static gboolean
values_equal (GVariant *a,
              GVariant *b)
{
  g_autoptr(GVariant) x = a != NULL ? unbox_all (g_variant_ref (a)) : NULL;
  g_autoptr(GVariant) y = b != NULL ? unbox_all (g_variant_ref (b)) : NULL;
  double dx, dy;

  if (x == NULL || y == NULL)
    return x == y;
  if (as_number (x, &dx) && as_number (y, &dy))
    return dx == dy;
  return g_variant_equal (x, y);
}

static gboolean
is_list (GVariant *value)
{
  return value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_ARRAY) &&
         !g_variant_is_of_type (value, G_VARIANT_TYPE_BYTESTRING) &&
         !g_variant_type_is_dict_entry (g_variant_type_element (g_variant_get_type (value)));
}

static Acceptance
state_of (const char *state)
{
  if (g_strcmp0 (state, "success") == 0)
    return ACCEPT_SUCCESS;
  if (g_strcmp0 (state, "failure") == 0)
    return ACCEPT_FAILURE;
  if (g_strcmp0 (state, "retry") == 0)
    return ACCEPT_RETRY;
  return ACCEPT_NONE;
}

/* Matches the outcome of one attempt against the acceptors. */
static Acceptance
match_acceptors (GVariant     *waiter,
                 GVariant     *response,
                 const GError *error)
{
  g_autoptr(GVariant) acceptors = boto_res_lookup (waiter, "acceptors");
  gsize n = acceptors != NULL && g_variant_is_of_type (acceptors, G_VARIANT_TYPE ("av")) ?
            g_variant_n_children (acceptors) : 0;

  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (acceptors, i);
      g_autoptr(GVariant) acceptor = g_variant_get_variant (boxed);
      const char *matcher = boto_res_string (acceptor, "matcher");
      const char *argument = boto_res_string (acceptor, "argument");
      g_autoptr(GVariant) expected = boto_res_lookup (acceptor, "expected");
      gboolean matched = FALSE;

      expected = unbox_all (g_steal_pointer (&expected));
      if (g_strcmp0 (matcher, "status") == 0)
        {
          double want = 0;
          guint status = 0;

          if (error != NULL && error->domain == BOTO_SERVICE_ERROR)
            status = boto_service_error_get_status (error);
          else if (response != NULL)
            {
              g_autoptr(GVariant) meta = g_variant_lookup_value (response, "ResponseMetadata",
                                                                 G_VARIANT_TYPE_VARDICT);
              gint32 code = 0;

              if (meta != NULL && g_variant_lookup (meta, "HTTPStatusCode", "i", &code))
                status = code;
            }
          matched = expected != NULL && as_number (expected, &want) && status != 0 && want == status;
        }
      else if (g_strcmp0 (matcher, "error") == 0)
        {
          if (expected != NULL && g_variant_is_of_type (expected, G_VARIANT_TYPE_BOOLEAN))
            matched = g_variant_get_boolean (expected) == (error != NULL);
          else if (error != NULL && error->domain == BOTO_SERVICE_ERROR && expected != NULL &&
                   g_variant_is_of_type (expected, G_VARIANT_TYPE_STRING))
            matched = g_strcmp0 (boto_service_error_get_code (error),
                                 g_variant_get_string (expected, NULL)) == 0;
        }
      else if (response != NULL && argument != NULL &&
               (g_strcmp0 (matcher, "path") == 0 || g_strcmp0 (matcher, "pathAll") == 0 ||
                g_strcmp0 (matcher, "pathAny") == 0))
        {
          g_autoptr(GVariant) found = boto_jmespath_search (argument, response, NULL);

          found = unbox_all (g_steal_pointer (&found));
          if (g_strcmp0 (matcher, "path") == 0)
            matched = values_equal (found, expected);
          else if (is_list (found) && g_variant_n_children (found) > 0)
            {
              gsize count = g_variant_n_children (found);
              gboolean all = TRUE;
              gboolean any = FALSE;

              for (gsize j = 0; j < count; j++)
                {
                  g_autoptr(GVariant) item = g_variant_get_child_value (found, j);

                  if (values_equal (item, expected))
                    any = TRUE;
                  else
                    all = FALSE;
                }
              matched = g_strcmp0 (matcher, "pathAll") == 0 ? all : any;
            }
        }

      if (matched)
        return state_of (boto_res_string (acceptor, "state"));
    }

  return ACCEPT_NONE;
}

/* What to do after one attempt: TRUE when finished (with *out_ok and
 * perhaps @error set). */
static gboolean
after_attempt (WaitState     *state,
               GVariant      *response,
               GError        *attempt_error,
               gboolean      *out_ok,
               GError       **error)
{
  Acceptance acceptance = match_acceptors (state->waiter, response, attempt_error);

  state->attempt++;
  switch (acceptance)
    {
    case ACCEPT_SUCCESS:
      *out_ok = TRUE;
      return TRUE;
    case ACCEPT_FAILURE:
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_WAITER,
                   "Waiter %s failed: Waiter encountered a terminal failure state", state->waiter_name);
      *out_ok = FALSE;
      return TRUE;
    case ACCEPT_NONE:
      if (attempt_error != NULL)
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_WAITER,
                       "Waiter %s failed: An error occurred: %s", state->waiter_name, attempt_error->message);
          *out_ok = FALSE;
          return TRUE;
        }
      break;
    case ACCEPT_RETRY:
    default:
      break;
    }

  if (state->attempt >= state->max_attempts)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_WAITER,
                   "Waiter %s failed: Max attempts exceeded", state->waiter_name);
      *out_ok = FALSE;
      return TRUE;
    }
  return FALSE;
}

static WaitState *
wait_state_new (BotoResource  *self,
                const char    *waiter_name,
                GVariant      *params,
                GError       **error)
{
  BotoResourceType *type = boto_resource_get_type_info (self);
  g_autoptr(GVariant) user_params = params != NULL ? g_variant_ref_sink (params) : NULL;
  g_autoptr(WaitState) state = g_new0 (WaitState, 1);
  g_autoptr(BotoParamNode) node = NULL;
  g_autoptr(GVariant) config = NULL;
  g_autoptr(GVariant) delay = NULL;
  g_autoptr(GVariant) attempts = NULL;
  const BotoResourceEntry *entry;
  const char *service_waiter;
  GVariantBuilder rest;
  double number;

  state->self = g_object_ref (self);
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
                   "Waiter parameters must be a{sv}");
      return NULL;
    }

  service_waiter = boto_res_string (entry->def, "waiterName");
  state->waiter_name = g_strdup (service_waiter);
  state->waiter = type->context->waiters != NULL && service_waiter != NULL ?
                  boto_model_variant_lookup_sorted (type->context->waiters, service_waiter) : NULL;
  if (state->waiter == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_RESOURCE,
                   "The service has no waiter “%s”", service_waiter ? service_waiter : "(none)");
      return NULL;
    }
  state->operation = g_strdup (boto_res_string (state->waiter, "operation"));
  delay = unbox_all (boto_res_lookup (state->waiter, "delay"));
  attempts = unbox_all (boto_res_lookup (state->waiter, "maxAttempts"));
  state->delay = delay != NULL && as_number (delay, &number) ? number : 5;
  state->max_attempts = attempts != NULL && as_number (attempts, &number) ? (gint64) number : 20;

  node = boto_param_node_new_dict ();
  if (!boto_resource_build_request_params (self, entry->def, node, -1, NULL, error))
    return NULL;

  /* WaiterConfig is for the waiter, not the request. */
  g_variant_builder_init (&rest, G_VARIANT_TYPE_VARDICT);
  if (user_params != NULL)
    {
      GVariantIter iter;
      const char *key;
      GVariant *value;

      g_variant_iter_init (&iter, user_params);
      while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
        {
          if (strcmp (key, "WaiterConfig") == 0)
            config = unbox_all (g_variant_ref (value));
          else
            g_variant_builder_add (&rest, "{sv}", key, value);
          g_variant_unref (value);
        }
    }
  boto_param_node_merge_variant (node, g_variant_builder_end (&rest), FALSE);
  state->params = g_variant_ref_sink (boto_param_node_to_variant (node));

  if (config != NULL && g_variant_is_of_type (config, G_VARIANT_TYPE_VARDICT))
    {
      g_autoptr(GVariant) d = unbox_all (g_variant_lookup_value (config, "Delay", NULL));
      g_autoptr(GVariant) m = unbox_all (g_variant_lookup_value (config, "MaxAttempts", NULL));

      if (d != NULL && as_number (d, &number) && number >= 0)
        state->delay = number;
      if (m != NULL && as_number (m, &number) && number >= 1)
        state->max_attempts = (gint64) number;
    }

  return g_steal_pointer (&state);
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
 * `bucket.wait_until_exists()`. Blocks the calling thread between
 * attempts; see [method@Boto.Resource.wait_async].
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
  g_autoptr(WaitState) state = NULL;

  g_return_val_if_fail (BOTO_IS_RESOURCE (self), FALSE);
  g_return_val_if_fail (waiter_name != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  state = wait_state_new (self, waiter_name, params, error);
  if (state == NULL)
    return FALSE;

  for (;;)
    {
      g_autoptr(GVariant) response = NULL;
      g_autoptr(GError) attempt_error = NULL;
      gboolean ok = FALSE;

      response = boto_resource_client_call (boto_resource_get_client (self), state->operation,
                                            g_variant_ref (state->params), cancellable, &attempt_error);
      if (attempt_error != NULL && attempt_error->domain != BOTO_SERVICE_ERROR)
        {
          g_propagate_error (error, g_steal_pointer (&attempt_error));
          return FALSE;
        }
      if (after_attempt (state, response, attempt_error, &ok, error))
        return ok;

      if (state->delay > 0)
        {
          GMutex mutex;
          GCond cond;
          gint64 end = g_get_monotonic_time () + (gint64) (state->delay * G_USEC_PER_SEC);

          /* Sleep, waking early when cancelled. */
          g_mutex_init (&mutex);
          g_cond_init (&cond);
          g_mutex_lock (&mutex);
          while (g_get_monotonic_time () < end && !g_cancellable_is_cancelled (cancellable))
            g_cond_wait_until (&cond, &mutex, MIN (end, g_get_monotonic_time () + 100 * 1000));
          g_mutex_unlock (&mutex);
          g_cond_clear (&cond);
          g_mutex_clear (&mutex);
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }
}

static void wait_attempt (GTask *task);

static gboolean
wait_timeout (gpointer user_data)
{
  GTask *task = user_data;
  WaitState *state = g_task_get_task_data (task);

  g_clear_pointer (&state->timeout, g_source_unref);
  wait_attempt (task);
  return G_SOURCE_REMOVE;
}

static void
wait_attempted (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  WaitState *state = g_task_get_task_data (task);
  g_autoptr(GVariant) response = NULL;
  g_autoptr(GError) attempt_error = NULL;
  GError *error = NULL;
  gboolean ok = FALSE;

  response = boto_client_call_finish (BOTO_CLIENT (source), result, &attempt_error);
  if (attempt_error != NULL && attempt_error->domain != BOTO_SERVICE_ERROR)
    {
      g_task_return_error (task, g_steal_pointer (&attempt_error));
      g_object_unref (task);
      return;
    }
  if (after_attempt (state, response, attempt_error, &ok, &error))
    {
      if (ok)
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  state->timeout = g_timeout_source_new ((guint) (state->delay * 1000));
  g_source_set_callback (state->timeout, wait_timeout, task, NULL);
  g_source_attach (state->timeout, g_task_get_context (task));
}

static void
wait_attempt (GTask *task)
{
  WaitState *state = g_task_get_task_data (task);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  boto_resource_client_call_async (boto_resource_get_client (state->self), state->operation,
                                   g_variant_ref (state->params), g_task_get_cancellable (task),
                                   wait_attempted, task);
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
 * The asynchronous form of [method@Boto.Resource.wait]: the delays between
 * attempts are timeouts on the thread-default main context.
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
  GTask *task;
  WaitState *state;
  GError *error = NULL;

  g_return_if_fail (BOTO_IS_RESOURCE (self));
  g_return_if_fail (waiter_name != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, boto_resource_wait_async);
  state = wait_state_new (self, waiter_name, params, &error);
  if (state == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_task_set_task_data (task, state, (GDestroyNotify) wait_state_free);
  wait_attempt (task);
}

/**
 * boto_resource_wait_finish:
 * @self: a resource
 * @result: the result given to the callback
 * @error: return location for a #GError
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
