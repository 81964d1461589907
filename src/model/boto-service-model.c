/* boto-service-model.c: the model of one AWS service
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include "boto-error.h"
#include "boto-model-private.h"
#include "boto-model-loader-private.h"

/**
 * BotoServiceModel:
 *
 * The model of one AWS service, as botocore's `service-2.json` describes
 * it: metadata, operations and shapes.
 *
 * [func@Boto.ServiceModel.load] finds a model the way botocore does
 * (`AWS_DATA_PATH`, `~/.aws/models`, the models built into the library, an
 * installed botocore) and loads each service once per process: every
 * session, client and thread shares the same immutable model.
 *
 * Service models are immutable and safe to use from any thread.
 *
 * Since: 1.0
 */

struct _BotoServiceModel
{
  GObject        parent_instance;

  BotoModelData *data;
  const char    *protocol;
  /* metadata strings asked for on every request, borrowed from data */
  const char    *endpoint_prefix;
  const char    *signing_name;
  const char    *signature_version;
  const char    *service_id;
  const char    *target_prefix;
  const char    *json_version;

  GMutex         lock;
  GHashTable    *operations;  /* name → BotoOperationModel, filled on demand */
  GHashTable    *shapes;      /* name → BotoShape, filled on demand */
};

G_DEFINE_FINAL_TYPE (BotoServiceModel, boto_service_model, G_TYPE_OBJECT)

static const char *metadata_string (BotoServiceModel *self, const char *key);

/* botocore's order of preference among the protocols a model lists. */
static const char * const protocol_priority[] = {
  "json", "rest-json", "rest-xml", "smithy-rpc-v2-cbor", "query", "ec2",
};

static GMutex models_lock;
static GHashTable *models;   /* service name → BotoServiceModel, for the process */

static void
boto_service_model_finalize (GObject *object)
{
  BotoServiceModel *self = BOTO_SERVICE_MODEL (object);

  g_clear_pointer (&self->operations, g_hash_table_unref);
  g_clear_pointer (&self->shapes, g_hash_table_unref);
  g_clear_pointer (&self->data, boto_model_data_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (boto_service_model_parent_class)->finalize (object);
}

static void
boto_service_model_class_init (BotoServiceModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = boto_service_model_finalize;
}

static void
boto_service_model_init (BotoServiceModel *self)
{
  g_mutex_init (&self->lock);
  self->operations = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  self->shapes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
}

static const char *
choose_protocol (GVariant *metadata)
{
  g_autoptr(GVariant) protocols = boto_model_variant_lookup (metadata, "protocols");

  if (protocols != NULL && g_variant_is_of_type (protocols, G_VARIANT_TYPE ("av")))
    {
      for (guint p = 0; p < G_N_ELEMENTS (protocol_priority); p++)
        for (gsize i = 0; i < g_variant_n_children (protocols); i++)
          {
            g_autoptr(GVariant) boxed = g_variant_get_child_value (protocols, i);
            g_autoptr(GVariant) name = g_variant_get_variant (boxed);

            if (g_variant_is_of_type (name, G_VARIANT_TYPE_STRING) &&
                strcmp (g_variant_get_string (name, NULL), protocol_priority[p]) == 0)
              return protocol_priority[p];
          }
    }

  return boto_model_variant_get_string (metadata, "protocol");
}

static BotoServiceModel *
boto_service_model_new (BotoModelData *data)
{
  BotoServiceModel *self = g_object_new (BOTO_TYPE_SERVICE_MODEL, NULL);

  self->data = boto_model_data_ref (data);
  self->protocol = choose_protocol (boto_model_data_get_metadata (data));
  self->endpoint_prefix = metadata_string (self, "endpointPrefix");
  self->signing_name = metadata_string (self, "signingName");
  if (self->signing_name == NULL)
    self->signing_name = self->endpoint_prefix;
  self->signature_version = metadata_string (self, "signatureVersion");
  self->service_id = metadata_string (self, "serviceId");
  self->target_prefix = metadata_string (self, "targetPrefix");
  self->json_version = metadata_string (self, "jsonVersion");

  return self;
}

BotoModelData *
boto_service_model_get_data (BotoServiceModel *self)
{
  return self->data;
}

/**
 * boto_service_model_load:
 * @service_name: the service's name as boto3 spells it: `s3`, `ec2`, `sqs` …
 * @error: return location for a #GError
 *
 * Finds and loads the newest API version of a service's model, the way
 * botocore does: first in the folders of `AWS_DATA_PATH` and
 * `~/.aws/models` together with the models built into boto-glib, the newest
 * version among them winning; then, for a service none of those has, in the
 * data folder of an installed botocore (`.json` or `.json.gz`).
 *
 * A model is loaded once per process; later calls return the same object.
 *
 * Returns: (transfer full): the model, or %NULL with @error set to
 *   %BOTO_CLIENT_ERROR_UNKNOWN_SERVICE or %BOTO_CLIENT_ERROR_INVALID_MODEL
 *
 * Since: 1.0
 */
BotoServiceModel *
boto_service_model_load (const char  *service_name,
                         GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GVariant) root = NULL;
  g_autoptr(BotoModelData) data = NULL;
  g_autofree char *api_version = NULL;
  BotoServiceModel *model;

  g_return_val_if_fail (service_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&models_lock);
  if (models == NULL)
    models = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);

  model = g_hash_table_lookup (models, service_name);
  if (model != NULL)
    return g_object_ref (model);

  root = boto_model_loader_load (service_name, "service-2", NULL, &api_version, error);
  if (root == NULL)
    return NULL;

  data = boto_model_data_new (service_name, api_version, root, error);
  if (data == NULL)
    return NULL;

  model = boto_service_model_new (data);
  g_hash_table_insert (models, g_strdup (service_name), g_object_ref (model));
  return model;
}

/**
 * boto_service_model_new_from_data:
 * @service_name: the name to give the service
 * @json: the text of a `service-2.json` model
 * @error: return location for a #GError
 *
 * Builds a model from JSON text, for a model that is not installed where
 * [func@Boto.ServiceModel.load] looks. The model is not shared with the
 * process-wide cache.
 *
 * Returns: (transfer full): the model, or %NULL with @error set to
 *   %BOTO_CLIENT_ERROR_INVALID_MODEL
 *
 * Since: 1.0
 */
BotoServiceModel *
boto_service_model_new_from_data (const char  *service_name,
                                  GBytes      *json,
                                  GError     **error)
{
  g_autoptr(GVariant) root = NULL;
  g_autoptr(BotoModelData) data = NULL;

  g_return_val_if_fail (service_name != NULL, NULL);
  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = boto_model_compile_json (json, error);
  if (root == NULL)
    return NULL;

  data = boto_model_data_new (service_name, NULL, root, error);
  if (data == NULL)
    return NULL;

  return boto_service_model_new (data);
}

/**
 * boto_service_model_list_available:
 *
 * Lists the services that [func@Boto.ServiceModel.load] can load, like
 * boto3's `Session.get_available_services()`.
 *
 * Returns: (transfer full): the sorted service names
 *
 * Since: 1.0
 */
GStrv
boto_service_model_list_available (void)
{
  return boto_model_loader_list_services ("service-2");
}

/**
 * boto_service_model_get_service_name:
 * @self: a service model
 *
 * Gets the name the service model was loaded under.
 *
 * Returns: the name the model was loaded under, such as `s3`
 *
 * Since: 1.0
 */
const char *
boto_service_model_get_service_name (BotoServiceModel *self)
{
  g_return_val_if_fail (BOTO_IS_SERVICE_MODEL (self), NULL);

  return boto_model_data_get_service_name (self->data);
}

/**
 * boto_service_model_get_api_version:
 * @self: a service model
 *
 * Gets the API version from the model's metadata.
 *
 * Returns: (nullable): the API version, such as `2016-11-15`
 *
 * Since: 1.0
 */
const char *
boto_service_model_get_api_version (BotoServiceModel *self)
{
  g_return_val_if_fail (BOTO_IS_SERVICE_MODEL (self), NULL);

  return boto_model_data_get_api_version (self->data);
}

/**
 * boto_service_model_get_protocol:
 * @self: a service model
 *
 * The wire protocol requests use: of the protocols the model lists in
 * `metadata.protocols`, the first in botocore's order of preference (json,
 * rest-json, rest-xml, smithy-rpc-v2-cbor, query, ec2), else
 * `metadata.protocol`.
 *
 * Returns: (nullable): the protocol
 *
 * Since: 1.0
 */
const char *
boto_service_model_get_protocol (BotoServiceModel *self)
{
  g_return_val_if_fail (BOTO_IS_SERVICE_MODEL (self), NULL);

  return self->protocol;
}

/**
 * boto_service_model_get_protocols:
 * @self: a service model
 *
 * Lists the protocols the service supports, from the model's metadata.
 *
 * Returns: (transfer full): every protocol the model lists, in its order
 *
 * Since: 1.0
 */
GStrv
boto_service_model_get_protocols (BotoServiceModel *self)
{
  GVariant *metadata;
  g_autoptr(GVariant) protocols = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *protocol;

  g_return_val_if_fail (BOTO_IS_SERVICE_MODEL (self), NULL);

  metadata = boto_model_data_get_metadata (self->data);
  protocols = boto_model_variant_lookup (metadata, "protocols");
  if (protocols != NULL && g_variant_is_of_type (protocols, G_VARIANT_TYPE ("av")))
    {
      for (gsize i = 0; i < g_variant_n_children (protocols); i++)
        {
          g_autoptr(GVariant) boxed = g_variant_get_child_value (protocols, i);
          g_autoptr(GVariant) name = g_variant_get_variant (boxed);

          if (g_variant_is_of_type (name, G_VARIANT_TYPE_STRING))
            g_strv_builder_add (builder, g_variant_get_string (name, NULL));
        }
    }
  else if ((protocol = boto_model_variant_get_string (metadata, "protocol")) != NULL)
    g_strv_builder_add (builder, protocol);

  return g_strv_builder_end (builder);
}

static const char *
metadata_string (BotoServiceModel *self,
                 const char       *key)
{
  return boto_model_variant_get_string (boto_model_data_get_metadata (self->data), key);
}

/**
 * boto_service_model_get_endpoint_prefix:
 * @self: a service model
 *
 * Gets the endpoint prefix from the model's metadata.
 *
 * Returns: (nullable): the endpoint prefix, such as `ec2`
 *
 * Since: 1.0
 */
const char *
boto_service_model_get_endpoint_prefix (BotoServiceModel *self)
{
  g_return_val_if_fail (BOTO_IS_SERVICE_MODEL (self), NULL);

  return self->endpoint_prefix;
}

/**
 * boto_service_model_get_signing_name:
 * @self: a service model
 *
 * The service name in SigV4 signatures: `signingName`, else the endpoint
 * prefix, as botocore does.
 *
 * Returns: (nullable): the signing name
 *
 * Since: 1.0
 */
const char *
boto_service_model_get_signing_name (BotoServiceModel *self)
{
  g_return_val_if_fail (BOTO_IS_SERVICE_MODEL (self), NULL);

  return self->signing_name;
}

/**
 * boto_service_model_get_signature_version:
 * @self: a service model
 *
 * Gets the signature version from the model's metadata.
 *
 * Returns: (nullable): the signature version, such as `v4` or `s3v4`
 *
 * Since: 1.0
 */
const char *
boto_service_model_get_signature_version (BotoServiceModel *self)
{
  g_return_val_if_fail (BOTO_IS_SERVICE_MODEL (self), NULL);

  return self->signature_version;
}

/**
 * boto_service_model_get_service_id:
 * @self: a service model
 *
 * Gets the service id from the model's metadata.
 *
 * Returns: (nullable): the service id, such as `EC2` or `S3`
 *
 * Since: 1.0
 */
const char *
boto_service_model_get_service_id (BotoServiceModel *self)
{
  g_return_val_if_fail (BOTO_IS_SERVICE_MODEL (self), NULL);

  return self->service_id;
}

/**
 * boto_service_model_get_target_prefix:
 * @self: a service model
 *
 * Gets the prefix of the `X-Amz-Target` header from the model's metadata.
 *
 * Returns: (nullable): the `X-Amz-Target` prefix of the JSON protocols
 *
 * Since: 1.0
 */
const char *
boto_service_model_get_target_prefix (BotoServiceModel *self)
{
  g_return_val_if_fail (BOTO_IS_SERVICE_MODEL (self), NULL);

  return self->target_prefix;
}

/**
 * boto_service_model_get_json_version:
 * @self: a service model
 *
 * Gets the version of the JSON protocol from the model's metadata.
 *
 * Returns: (nullable): the JSON protocol version, `1.0` or `1.1`
 *
 * Since: 1.0
 */
const char *
boto_service_model_get_json_version (BotoServiceModel *self)
{
  g_return_val_if_fail (BOTO_IS_SERVICE_MODEL (self), NULL);

  return self->json_version;
}

/**
 * boto_service_model_get_metadata:
 * @self: a service model
 *
 * Gets the model's metadata.
 *
 * Returns: (transfer none): the model's whole `metadata` block (`a{sv}`)
 *
 * Since: 1.0
 */
GVariant *
boto_service_model_get_metadata (BotoServiceModel *self)
{
  g_return_val_if_fail (BOTO_IS_SERVICE_MODEL (self), NULL);

  return boto_model_data_get_metadata (self->data);
}

static GStrv
sorted_keys (GVariant *dict)
{
  gsize n = g_variant_n_children (dict);
  GStrv names = g_new0 (char *, n + 1);

  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) entry = g_variant_get_child_value (dict, i);

      g_variant_get_child (entry, 0, "s", &names[i]);
    }

  return names;
}

/**
 * boto_service_model_get_operation_names:
 * @self: a service model
 *
 * Lists the operations of the service by their names in the model.
 *
 * Returns: (transfer full): the names of every operation, sorted
 *
 * Since: 1.0
 */
GStrv
boto_service_model_get_operation_names (BotoServiceModel *self)
{
  g_return_val_if_fail (BOTO_IS_SERVICE_MODEL (self), NULL);

  return sorted_keys (boto_model_data_get_operations (self->data));
}

/**
 * boto_service_model_has_operation:
 * @self: a service model
 * @operation_name: an operation name, such as `RunInstances`
 *
 * Tells whether the service has an operation named @operation_name in the
 * model.
 *
 * Returns: whether the service has the operation
 *
 * Since: 1.0
 */
gboolean
boto_service_model_has_operation (BotoServiceModel *self,
                                  const char       *operation_name)
{
  g_return_val_if_fail (BOTO_IS_SERVICE_MODEL (self), FALSE);
  g_return_val_if_fail (operation_name != NULL, FALSE);

  return boto_model_data_lookup_operation (self->data, operation_name) != NULL;
}

/**
 * boto_service_model_get_operation:
 * @self: a service model
 * @operation_name: an operation name, such as `RunInstances`
 * @error: return location for a #GError
 *
 * Looks up an operation of the service by its name in the model.
 *
 * Returns: (transfer none): the operation, or %NULL with @error set to
 *   %BOTO_CLIENT_ERROR_UNKNOWN_OPERATION
 *
 * Since: 1.0
 */
BotoOperationModel *
boto_service_model_get_operation (BotoServiceModel  *self,
                                  const char        *operation_name,
                                  GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  BotoOperationModel *operation;
  BotoOperationDef *def;

  g_return_val_if_fail (BOTO_IS_SERVICE_MODEL (self), NULL);
  g_return_val_if_fail (operation_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  operation = g_hash_table_lookup (self->operations, operation_name);
  if (operation != NULL)
    return operation;

  def = boto_model_data_lookup_operation (self->data, operation_name);
  if (def == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_OPERATION,
                   "Service “%s” has no operation “%s”",
                   boto_model_data_get_service_name (self->data), operation_name);
      return NULL;
    }

  operation = boto_operation_model_new (self->data, def);
  g_hash_table_insert (self->operations, (gpointer) def->name, operation);
  return operation;
}

/**
 * boto_service_model_get_shape_names:
 * @self: a service model
 *
 * Lists the shapes of the service model.
 *
 * Returns: (transfer full): the names of every shape, sorted
 *
 * Since: 1.0
 */
GStrv
boto_service_model_get_shape_names (BotoServiceModel *self)
{
  g_return_val_if_fail (BOTO_IS_SERVICE_MODEL (self), NULL);

  return sorted_keys (boto_model_data_get_shapes (self->data));
}

/**
 * boto_service_model_get_shape:
 * @self: a service model
 * @shape_name: a shape name
 * @error: return location for a #GError
 *
 * Looks up a shape of the service model by its name.
 *
 * Returns: (transfer none): the shape, or %NULL with @error set to
 *   %BOTO_CLIENT_ERROR_UNKNOWN_SHAPE
 *
 * Since: 1.0
 */
BotoShape *
boto_service_model_get_shape (BotoServiceModel  *self,
                              const char        *shape_name,
                              GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  BotoShape *shape;
  BotoShapeDef *def;

  g_return_val_if_fail (BOTO_IS_SERVICE_MODEL (self), NULL);
  g_return_val_if_fail (shape_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  shape = g_hash_table_lookup (self->shapes, shape_name);
  if (shape != NULL)
    return shape;

  def = boto_model_data_lookup_shape (self->data, shape_name);
  if (def == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_SHAPE,
                   "Service “%s” has no shape “%s”",
                   boto_model_data_get_service_name (self->data), shape_name);
      return NULL;
    }

  shape = boto_shape_new_for_def (self->data, def);
  g_hash_table_insert (self->shapes, (gpointer) def->name, shape);
  return shape;
}
