/* boto-paginator.c: paginators of a client, from paginators-1.json
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include "boto-paginator.h"
#include "boto-paginator-private.h"
#include "boto-error.h"
#include "boto-jmespath.h"
#include "boto-operation-model.h"
#include "boto-service-model.h"
#include "boto-shape.h"

/**
 * BotoPaginator:
 *
 * The paginator of one operation of a [class@Boto.Client], as botocore's
 * `Paginator`: made by [method@Boto.Client.get_paginator] from the
 * operation's entry in the service's `paginators-1` model (its
 * `input_token`, `output_token`, `more_results`, `limit_key`, `result_key`
 * and `non_aggregate_keys`).
 *
 * [method@Boto.Paginator.paginate] starts a [class@Boto.PageIterator] that
 * sends one request per page, when the page is asked for.
 *
 * Thread safety: a paginator is immutable; it can be shared between
 * threads, and each thread may paginate with it.
 *
 * Since: 1.0
 */

struct _BotoPaginator
{
  GObject            parent_instance;

  BotoClient        *client;
  char              *operation_name;
  GVariant          *config;
  BotoPaginatorSpec  spec;
};

G_DEFINE_FINAL_TYPE (BotoPaginator, boto_paginator, G_TYPE_OBJECT)

static void
boto_paginator_finalize (GObject *object)
{
  BotoPaginator *self = BOTO_PAGINATOR (object);

  g_clear_object (&self->client);
  g_clear_pointer (&self->operation_name, g_free);
  g_clear_pointer (&self->config, g_variant_unref);
  g_clear_pointer (&self->spec.input_tokens, g_strfreev);
  g_clear_pointer (&self->spec.output_tokens, g_ptr_array_unref);
  g_clear_pointer (&self->spec.more_results, boto_jmespath_expression_unref);
  g_clear_pointer (&self->spec.limit_key, g_free);
  g_clear_pointer (&self->spec.result_keys, g_ptr_array_unref);
  g_clear_pointer (&self->spec.non_aggregate_keys, g_ptr_array_unref);

  G_OBJECT_CLASS (boto_paginator_parent_class)->finalize (object);
}

static void
boto_paginator_class_init (BotoPaginatorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = boto_paginator_finalize;
}

static void
boto_paginator_init (BotoPaginator *self)
{
}

/* A paginators-1 member that is a string or a list of strings, as a
 * NULL-terminated vector; an absent member gives an empty one. */
static GStrv
config_strings (GVariant    *config,
                const char  *key,
                const char  *operation_name,
                GError     **error)
{
  g_autoptr(GVariant) value = g_variant_lookup_value (config, key, NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (value == NULL)
    return g_strv_builder_end (builder);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    g_strv_builder_add (builder, g_variant_get_string (value, NULL));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE ("av")))
    {
      gsize n = g_variant_n_children (value);

      for (gsize i = 0; i < n; i++)
        {
          g_autoptr(GVariant) boxed = g_variant_get_child_value (value, i);
          g_autoptr(GVariant) item = g_variant_get_variant (boxed);

          if (!g_variant_is_of_type (item, G_VARIANT_TYPE_STRING))
            goto bad;
          g_strv_builder_add (builder, g_variant_get_string (item, NULL));
        }
    }
  else
    goto bad;
  return g_strv_builder_end (builder);

bad:
  g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
               "Paginator of %s: “%s” is neither a string nor a list of strings",
               operation_name, key);
  return NULL;
}

static GPtrArray *
compile_all (GStrv         expressions,
             const char   *key,
             const char   *operation_name,
             GError      **error)
{
  g_autoptr(GPtrArray) compiled = g_ptr_array_new_with_free_func ((GDestroyNotify) boto_jmespath_expression_unref);

  for (guint i = 0; expressions[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      BotoJmespathExpression *expr = boto_jmespath_expression_new (expressions[i], &local_error);

      if (expr == NULL)
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                       "Paginator of %s: bad %s “%s”: %s",
                       operation_name, key, expressions[i], local_error->message);
          return NULL;
        }
      g_ptr_array_add (compiled, expr);
    }
  return g_steal_pointer (&compiled);
}

BotoPaginator *
boto_paginator_new (BotoClient  *client,
                    const char  *operation_name,
                    GVariant    *config,
                    GError     **error)
{
  g_autoptr(BotoPaginator) self = g_object_new (BOTO_TYPE_PAGINATOR, NULL);
  g_auto(GStrv) output = NULL;
  g_auto(GStrv) results = NULL;
  g_auto(GStrv) non_aggregate = NULL;
  g_auto(GStrv) more = NULL;
  g_auto(GStrv) limit = NULL;

  self->client = g_object_ref (client);
  self->operation_name = g_strdup (operation_name);
  self->config = g_variant_ref_sink (config);

  self->spec.input_tokens = config_strings (config, "input_token", operation_name, error);
  if (self->spec.input_tokens == NULL)
    return NULL;
  output = config_strings (config, "output_token", operation_name, error);
  if (output == NULL)
    return NULL;
  if (output[0] == NULL || self->spec.input_tokens[0] == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                   "Paginator of %s has no input_token or output_token", operation_name);
      return NULL;
    }
  self->spec.output_tokens = compile_all (output, "output_token", operation_name, error);
  if (self->spec.output_tokens == NULL)
    return NULL;

  more = config_strings (config, "more_results", operation_name, error);
  if (more == NULL)
    return NULL;
  if (more[0] != NULL)
    {
      g_autoptr(GPtrArray) compiled = compile_all (more, "more_results", operation_name, error);

      if (compiled == NULL)
        return NULL;
      self->spec.more_results = boto_jmespath_expression_ref (compiled->pdata[0]);
    }

  limit = config_strings (config, "limit_key", operation_name, error);
  if (limit == NULL)
    return NULL;
  if (limit[0] != NULL)
    {
      BotoServiceModel *model = boto_client_get_service_model (client);
      BotoOperationModel *op = boto_service_model_get_operation (model, operation_name, NULL);
      BotoShape *input = op != NULL ? boto_operation_model_get_input_shape (op) : NULL;
      BotoShape *member = input != NULL ? boto_shape_get_member (input, limit[0]) : NULL;

      self->spec.limit_key = g_strdup (limit[0]);
      if (member != NULL)
        self->spec.limit_key_type = boto_shape_get_type_name (member);
    }

  results = config_strings (config, "result_key", operation_name, error);
  if (results == NULL)
    return NULL;
  self->spec.result_keys = compile_all (results, "result_key", operation_name, error);
  if (self->spec.result_keys == NULL)
    return NULL;

  non_aggregate = config_strings (config, "non_aggregate_keys", operation_name, error);
  if (non_aggregate == NULL)
    return NULL;
  self->spec.non_aggregate_keys = compile_all (non_aggregate, "non_aggregate_keys", operation_name, error);
  if (self->spec.non_aggregate_keys == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

const BotoPaginatorSpec *
boto_paginator_get_spec (BotoPaginator *self)
{
  return &self->spec;
}

/**
 * boto_paginator_get_client:
 * @self: a paginator
 *
 * Gets the client the paginator calls.
 *
 * Returns: (transfer none): the client whose operation is paginated
 *
 * Since: 1.0
 */
BotoClient *
boto_paginator_get_client (BotoPaginator *self)
{
  g_return_val_if_fail (BOTO_IS_PAGINATOR (self), NULL);
  return self->client;
}

/**
 * boto_paginator_get_operation_name:
 * @self: a paginator
 *
 * Gets the name of the operation the paginator calls.
 *
 * Returns: the paginated operation, as named in the model (`ListObjectsV2`)
 *
 * Since: 1.0
 */
const char *
boto_paginator_get_operation_name (BotoPaginator *self)
{
  g_return_val_if_fail (BOTO_IS_PAGINATOR (self), NULL);
  return self->operation_name;
}

/**
 * boto_paginator_get_config:
 * @self: a paginator
 *
 * The operation's entry in the `paginators-1` model, such as
 * `{'input_token': <'ContinuationToken'>, 'output_token': <'NextContinuationToken'>, …}`.
 *
 * Returns: (transfer none): the paginator configuration, `a{sv}`
 *
 * Since: 1.0
 */
GVariant *
boto_paginator_get_config (BotoPaginator *self)
{
  g_return_val_if_fail (BOTO_IS_PAGINATOR (self), NULL);
  return self->config;
}

/**
 * boto_paginator_paginate:
 * @self: a paginator
 * @params: (nullable): the operation's parameters, `a{sv}`; a floating
 *   reference is consumed. As in boto3, it may hold a `PaginationConfig`
 *   entry, used when @pagination_config is %NULL.
 * @pagination_config: (nullable): botocore's `PaginationConfig`, `a{sv}`
 *   with any of `MaxItems` (integer: stop after that many items of the
 *   first result key), `PageSize` (the operation's `limit_key` for each
 *   request) and `StartingToken` (string: a resume token from an earlier
 *   iteration, see [method@Boto.PageIterator.get_resume_token]); a
 *   floating reference is consumed
 *
 * Starts paginating, as botocore's `Paginator.paginate()`. Nothing is
 * sent yet: each page is requested when [method@Boto.PageIterator.next]
 * (or its async twin) asks for it. Problems with @pagination_config (a
 * `PageSize` for an operation without a `limit_key`, a malformed
 * `StartingToken`) are reported by the first `next`.
 *
 * Returns: (transfer full): a page iterator
 *
 * Since: 1.0
 */
BotoPageIterator *
boto_paginator_paginate (BotoPaginator *self,
                         GVariant      *params,
                         GVariant      *pagination_config)
{
  g_return_val_if_fail (BOTO_IS_PAGINATOR (self), NULL);

  return boto_page_iterator_new (self, params, pagination_config);
}
