/* boto-operation-model.c: one operation of a service model
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include "boto-model-private.h"

/**
 * BotoOperationModel:
 *
 * One operation of a [class@Boto.ServiceModel]: its HTTP binding, its input
 * and output shapes and the errors it may return.
 *
 * Operation models are immutable and safe to use from any thread.
 *
 * Since: 1.0
 */

struct _BotoOperationModel
{
  GObject           parent_instance;

  BotoModelData    *data;
  BotoOperationDef *def;
  GVariant         *http;       /* a{sv} or NULL */
  BotoShape        *input;
  BotoShape        *output;
};

G_DEFINE_FINAL_TYPE (BotoOperationModel, boto_operation_model, G_TYPE_OBJECT)

static void
boto_operation_model_finalize (GObject *object)
{
  BotoOperationModel *self = BOTO_OPERATION_MODEL (object);

  g_clear_object (&self->input);
  g_clear_object (&self->output);
  g_clear_pointer (&self->http, g_variant_unref);
  g_clear_pointer (&self->data, boto_model_data_unref);

  G_OBJECT_CLASS (boto_operation_model_parent_class)->finalize (object);
}

static void
boto_operation_model_class_init (BotoOperationModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = boto_operation_model_finalize;
}

static void
boto_operation_model_init (BotoOperationModel *self)
{
}

BotoOperationModel *
boto_operation_model_new (BotoModelData    *data,
                          BotoOperationDef *def)
{
  BotoOperationModel *self = g_object_new (BOTO_TYPE_OPERATION_MODEL, NULL);

  self->data = boto_model_data_ref (data);
  self->def = def;
  self->http = boto_model_variant_lookup (def->definition, "http");
  if (self->http != NULL && !g_variant_is_of_type (self->http, G_VARIANT_TYPE_VARDICT))
    g_clear_pointer (&self->http, g_variant_unref);
  if (def->input.shape_name != NULL)
    self->input = boto_shape_new_for_member (data, &def->input);
  if (def->output.shape_name != NULL)
    self->output = boto_shape_new_for_member (data, &def->output);

  return self;
}

BotoOperationDef *
boto_operation_model_get_def (BotoOperationModel *self)
{
  return self->def;
}

BotoModelData *
boto_operation_model_get_data (BotoOperationModel *self)
{
  return self->data;
}

/**
 * boto_operation_model_get_name:
 * @self: an operation model
 *
 * Gets the operation's name in the model.
 *
 * Returns: the operation's name, such as `RunInstances`
 *
 * Since: 1.0
 */
const char *
boto_operation_model_get_name (BotoOperationModel *self)
{
  g_return_val_if_fail (BOTO_IS_OPERATION_MODEL (self), NULL);

  return self->def->name;
}

/**
 * boto_operation_model_get_http_method:
 * @self: an operation model
 *
 * Gets the HTTP method of the operation's requests.
 *
 * Returns: the HTTP method, `POST` if the model gives none
 *
 * Since: 1.0
 */
const char *
boto_operation_model_get_http_method (BotoOperationModel *self)
{
  const char *method;

  g_return_val_if_fail (BOTO_IS_OPERATION_MODEL (self), NULL);

  method = boto_model_variant_get_string (self->http, "method");
  return method != NULL ? method : "POST";
}

/**
 * boto_operation_model_get_request_uri:
 * @self: an operation model
 *
 * Gets the template of the operation's request path and query.
 *
 * Returns: the request URI template, such as `/{Bucket}/{Key+}`; `/` if the
 *   model gives none
 *
 * Since: 1.0
 */
const char *
boto_operation_model_get_request_uri (BotoOperationModel *self)
{
  const char *uri;

  g_return_val_if_fail (BOTO_IS_OPERATION_MODEL (self), NULL);

  uri = boto_model_variant_get_string (self->http, "requestUri");
  return uri != NULL ? uri : "/";
}

/**
 * boto_operation_model_get_response_code:
 * @self: an operation model
 *
 * Gets the HTTP status the model declares for a successful response.
 *
 * Returns: the HTTP status of a successful response, or 0 if the model
 *   does not say
 *
 * Since: 1.0
 */
guint
boto_operation_model_get_response_code (BotoOperationModel *self)
{
  gint64 code = 0;

  g_return_val_if_fail (BOTO_IS_OPERATION_MODEL (self), 0);

  if (self->http != NULL)
    g_variant_lookup (self->http, "responseCode", "x", &code);

  return code > 0 && code < 1000 ? (guint) code : 0;
}

/**
 * boto_operation_model_get_host_prefix:
 * @self: an operation model
 *
 * Gets the template the operation prefixes to the endpoint's host name, if
 * any.
 *
 * Returns: (nullable): the `endpoint.hostPrefix` template, such as
 *   `{AccountId}.`, or %NULL
 *
 * Since: 1.0
 */
const char *
boto_operation_model_get_host_prefix (BotoOperationModel *self)
{
  g_autoptr(GVariant) endpoint = NULL;

  g_return_val_if_fail (BOTO_IS_OPERATION_MODEL (self), NULL);

  endpoint = boto_model_variant_lookup (self->def->definition, "endpoint");
  if (endpoint == NULL || !g_variant_is_of_type (endpoint, G_VARIANT_TYPE_VARDICT))
    return NULL;

  /* Borrowed from the serialized model, which outlives @endpoint. */
  return boto_model_variant_get_string (endpoint, "hostPrefix");
}

/**
 * boto_operation_model_get_deprecated:
 * @self: an operation model
 *
 * Tells whether the model marks the operation deprecated.
 *
 * Returns: whether the model marks the operation deprecated
 *
 * Since: 1.0
 */
gboolean
boto_operation_model_get_deprecated (BotoOperationModel *self)
{
  g_return_val_if_fail (BOTO_IS_OPERATION_MODEL (self), FALSE);

  return boto_model_variant_get_boolean (self->def->definition, "deprecated");
}

/**
 * boto_operation_model_get_input_shape:
 * @self: an operation model
 *
 * Gets the shape of the operation's parameters.
 *
 * Returns: (transfer none) (nullable): the input shape, carrying the traits
 *   of the operation's `input` reference, or %NULL if the operation takes none
 *
 * Since: 1.0
 */
BotoShape *
boto_operation_model_get_input_shape (BotoOperationModel *self)
{
  g_return_val_if_fail (BOTO_IS_OPERATION_MODEL (self), NULL);

  return self->input;
}

/**
 * boto_operation_model_get_output_shape:
 * @self: an operation model
 *
 * Gets the shape of the operation's result.
 *
 * Returns: (transfer none) (nullable): the output shape, or %NULL if the
 *   operation returns none
 *
 * Since: 1.0
 */
BotoShape *
boto_operation_model_get_output_shape (BotoOperationModel *self)
{
  g_return_val_if_fail (BOTO_IS_OPERATION_MODEL (self), NULL);

  return self->output;
}

/**
 * boto_operation_model_get_error_names:
 * @self: an operation model
 *
 * Lists the error shapes the operation declares.
 *
 * Returns: (transfer full): the names of the error shapes the operation
 *   declares
 *
 * Since: 1.0
 */
GStrv
boto_operation_model_get_error_names (BotoOperationModel *self)
{
  g_autoptr(GVariant) errors = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (BOTO_IS_OPERATION_MODEL (self), NULL);

  errors = boto_model_variant_lookup (self->def->definition, "errors");
  if (errors != NULL && g_variant_is_of_type (errors, G_VARIANT_TYPE ("av")))
    {
      GVariantIter iter;
      GVariant *ref;

      g_variant_iter_init (&iter, errors);
      while (g_variant_iter_next (&iter, "v", &ref))
        {
          const char *shape = boto_model_variant_get_string (ref, "shape");

          if (shape != NULL)
            g_strv_builder_add (builder, shape);
          g_variant_unref (ref);
        }
    }

  return g_strv_builder_end (builder);
}

/**
 * boto_operation_model_get_definition:
 * @self: an operation model
 *
 * Gets the operation's definition from the service model.
 *
 * Returns: (transfer none): the operation's definition as in the model
 *   (`a{sv}`, documentation stripped)
 *
 * Since: 1.0
 */
GVariant *
boto_operation_model_get_definition (BotoOperationModel *self)
{
  g_return_val_if_fail (BOTO_IS_OPERATION_MODEL (self), NULL);

  return self->def->definition;
}
