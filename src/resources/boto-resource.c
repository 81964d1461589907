/* boto-resource.c: BotoResource, BotoServiceResource and BotoActionResult
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include "boto-gvariant-private.h"
#include "boto-error.h"
#include "boto-jmespath.h"
#include "boto-client-private.h"
#include "boto-client-transfer.h"
#include "boto-model-private.h"
#include "boto-resource-private.h"

/**
 * BotoResource:
 *
 * One AWS resource, as a boto3 resource object: an S3 bucket, an SQS queue,
 * an EC2 instance. Everything it can do comes from the service's
 * `resources-1.json`: its identifiers ([method@Boto.Resource.get_identifier]),
 * its attributes, read from the resource's shape and loaded on first read
 * ([method@Boto.Resource.get_attribute], [method@Boto.Resource.load]), its
 * actions ([method@Boto.Resource.call_action]), references, sub-resources,
 * collections and waiters.
 *
 * For the services shipped with boto-glib, resources are instances of
 * generated subclasses (`BotoS3Bucket`, `BotoSqsQueue` …) with typed
 * properties and methods; the generic API works on every instance.
 *
 * Names are boto3's: snake case for identifiers, attributes, actions,
 * references, collections and waiters (`bucket_name`, `creation_date`,
 * `delete_objects`, `wait_until_exists`), CamelCase for resource and
 * sub-resource names (`Bucket`, `Object`); the model's own CamelCase names
 * (`DeleteObjects`, `CreationDate`) are accepted too.
 *
 * Two resources are equal when they are of the same type and have equal
 * identifiers ([method@Boto.Resource.equal]), as in boto3.
 *
 * A resource can be used from several threads for requests; its data
 * (replaced by load, reload and actions) must not be read in one thread
 * while another replaces it.
 *
 * Since: 1.0
 */

/**
 * BotoServiceResource:
 *
 * The entry point of a service's resources, as boto3's
 * `boto3.resource('s3')`: it has no identifiers; its sub-resources
 * ([method@Boto.ServiceResource.get_sub_resource]) make resources from
 * identifiers (`s3.Bucket('name')`), its collections list them
 * (`s3.buckets`) and its actions create them (`s3.create_bucket`).
 *
 * Since: 1.0
 */

/**
 * BotoActionResult:
 *
 * What a resource action returned: the response dictionary, and the
 * resources the model makes of it (for actions such as
 * `s3.create_bucket` or `ec2.create_instances`).
 *
 * Since: 1.0
 */

typedef struct
{
  BotoClient       *client;
  BotoResourceType *type;
  char             *resource_name;
  GVariant         *ids[BOTO_RESOURCE_MAX_IDENTIFIERS];
  GVariant         *construct_identifiers;
  GMutex            lock;
  GVariant         *data;
  GVariant         *identifiers_dict;
} BotoResourcePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (BotoResource, boto_resource, G_TYPE_OBJECT)

G_DEFINE_TYPE (BotoServiceResource, boto_service_resource, BOTO_TYPE_RESOURCE)

struct _BotoActionResult
{
  GObject    parent_instance;
  GVariant  *response;
  GPtrArray *resources;
  gboolean   is_list;
};

G_DEFINE_FINAL_TYPE (BotoActionResult, boto_action_result, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_RESOURCE_NAME,
  PROP_IDENTIFIERS,
  PROP_DATA,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean check_bound (BotoResource *self, GError **error);

static void
boto_resource_finalize (GObject *object)
{
  BotoResource *self = BOTO_RESOURCE (object);
  BotoResourcePrivate *priv = boto_resource_get_instance_private (self);

  g_clear_object (&priv->client);
  g_free (priv->resource_name);
  for (guint i = 0; i < BOTO_RESOURCE_MAX_IDENTIFIERS; i++)
    g_clear_pointer (&priv->ids[i], g_variant_unref);
  g_clear_pointer (&priv->construct_identifiers, g_variant_unref);
  g_clear_pointer (&priv->data, g_variant_unref);
  g_clear_pointer (&priv->identifiers_dict, g_variant_unref);
  g_mutex_clear (&priv->lock);

  G_OBJECT_CLASS (boto_resource_parent_class)->finalize (object);
}

static void
apply_identifiers (BotoResource *self,
                   GVariant     *identifiers)
{
  BotoResourcePrivate *priv = boto_resource_get_instance_private (self);
  GVariantIter iter;
  const char *key;
  GVariant *value;

  if (priv->type == NULL || identifiers == NULL ||
      !g_variant_is_of_type (identifiers, G_VARIANT_TYPE_VARDICT))
    return;

  g_variant_iter_init (&iter, identifiers);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      int i = boto_resource_type_find_identifier (priv->type, key);

      if (i >= 0)
        boto_resource_set_identifier_at (self, i, value);
      g_variant_unref (value);
    }
}

static void
boto_resource_constructed (GObject *object)
{
  BotoResource *self = BOTO_RESOURCE (object);
  BotoResourcePrivate *priv = boto_resource_get_instance_private (self);
  BotoResourceClass *klass = BOTO_RESOURCE_GET_CLASS (self);

  G_OBJECT_CLASS (boto_resource_parent_class)->constructed (object);

  /* Made with g_object_new() (from a binding, or a typed class's
   * constructor): find the model now. */
  if (priv->type == NULL && priv->client != NULL)
    {
      BotoResourceContext *context = boto_resource_context_get (priv->client, NULL);
      const char *name = priv->resource_name != NULL ? priv->resource_name : klass->resource_name;

      if (BOTO_IS_SERVICE_RESOURCE (self))
        name = NULL;
      if (context != NULL && (name != NULL || BOTO_IS_SERVICE_RESOURCE (self)))
        priv->type = boto_resource_context_lookup_type (context, name, NULL);
      if (priv->type != NULL && priv->resource_name == NULL)
        priv->resource_name = g_strdup (priv->type->name);
    }
  apply_identifiers (self, priv->construct_identifiers);
  g_clear_pointer (&priv->construct_identifiers, g_variant_unref);
}

static void
boto_resource_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  BotoResource *self = BOTO_RESOURCE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, boto_resource_get_client (self));
      break;
    case PROP_RESOURCE_NAME:
      g_value_set_string (value, boto_resource_get_resource_name (self));
      break;
    case PROP_IDENTIFIERS:
      g_value_set_variant (value, boto_resource_get_identifiers (self));
      break;
    case PROP_DATA:
      g_value_set_variant (value, boto_resource_get_data (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
boto_resource_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  BotoResource *self = BOTO_RESOURCE (object);
  BotoResourcePrivate *priv = boto_resource_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_set_object (&priv->client, g_value_get_object (value));
      break;
    case PROP_RESOURCE_NAME:
      if (g_value_get_string (value) != NULL)
        {
          g_free (priv->resource_name);
          priv->resource_name = g_value_dup_string (value);
        }
      break;
    case PROP_IDENTIFIERS:
      g_clear_pointer (&priv->construct_identifiers, g_variant_unref);
      priv->construct_identifiers = g_value_dup_variant (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
boto_resource_class_init (BotoResourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = boto_resource_finalize;
  object_class->constructed = boto_resource_constructed;
  object_class->get_property = boto_resource_get_property;
  object_class->set_property = boto_resource_set_property;

  /**
   * BotoResource:client:
   *
   * The client that the resource's requests go through.
   *
   * Since: 1.0
   */
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, BOTO_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * BotoResource:resource-name:
   *
   * The resource's type name in the model, such as `Bucket`; for a
   * service resource, the service name.
   *
   * Since: 1.0
   */
  properties[PROP_RESOURCE_NAME] =
    g_param_spec_string ("resource-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * BotoResource:identifiers:
   *
   * The identifiers, `a{sv}` keyed by boto3's snake-case names.
   *
   * Since: 1.0
   */
  properties[PROP_IDENTIFIERS] =
    g_param_spec_variant ("identifiers", NULL, NULL, G_VARIANT_TYPE_VARDICT, NULL,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * BotoResource:data:
   *
   * The loaded data (boto3's `meta.data`), or %NULL before a load.
   *
   * Since: 1.0
   */
  properties[PROP_DATA] =
    g_param_spec_variant ("data", NULL, NULL, G_VARIANT_TYPE_ANY, NULL,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
boto_resource_init (BotoResource *self)
{
  BotoResourcePrivate *priv = boto_resource_get_instance_private (self);

  g_mutex_init (&priv->lock);
}

static void
boto_service_resource_class_init (BotoServiceResourceClass *klass)
{
}

static void
boto_service_resource_init (BotoServiceResource *self)
{
}

/* Internal construction */

BotoResource *
boto_resource_create (BotoResourceType *type,
                      BotoClient       *client,
                      GVariant        **identifiers,
                      GVariant         *data)
{
  BotoResource *self = g_object_new (type->gtype, NULL);
  BotoResourcePrivate *priv = boto_resource_get_instance_private (self);

  priv->client = g_object_ref (client);
  priv->type = type;
  priv->resource_name = g_strdup (type->name);
  for (guint i = 0; identifiers != NULL && i < type->n_identifiers; i++)
    if (identifiers[i] != NULL)
      priv->ids[i] = g_variant_ref_sink (identifiers[i]);
  if (data != NULL && g_variant_is_of_type (data, G_VARIANT_TYPE_VARDICT))
    priv->data = g_variant_ref_sink (data);

  return self;
}

BotoResourceType *
boto_resource_get_type_info (BotoResource *self)
{
  BotoResourcePrivate *priv = boto_resource_get_instance_private (self);

  return priv->type;
}

/*
 * boto_resource_set_identifier_at:
 *
 * Sets an identifier at construction (typed classes' construct-only
 * properties). @value may be floating.
 */
void
boto_resource_set_identifier_at (BotoResource *self,
                                 guint         index,
                                 GVariant     *value)
{
  BotoResourcePrivate *priv = boto_resource_get_instance_private (self);

  g_return_if_fail (index < BOTO_RESOURCE_MAX_IDENTIFIERS);

  if (value != NULL)
    g_variant_ref_sink (value);
  g_clear_pointer (&priv->ids[index], g_variant_unref);
  priv->ids[index] = value;
  g_mutex_lock (&priv->lock);
  g_clear_pointer (&priv->identifiers_dict, g_variant_unref);
  g_mutex_unlock (&priv->lock);
}

GVariant *
boto_resource_get_identifier_at (BotoResource *self,
                                 guint         index)
{
  BotoResourcePrivate *priv = boto_resource_get_instance_private (self);

  g_return_val_if_fail (index < BOTO_RESOURCE_MAX_IDENTIFIERS, NULL);

  return priv->ids[index];
}

static gboolean
check_bound (BotoResource  *self,
             GError       **error)
{
  BotoResourcePrivate *priv = boto_resource_get_instance_private (self);

  if (priv->type == NULL || priv->client == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_RESOURCE,
                   "This resource has no client or no model (was it made without one?)");
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_identifiers (BotoResource  *self,
                   GError       **error)
{
  BotoResourcePrivate *priv = boto_resource_get_instance_private (self);

  if (!check_bound (self, error))
    return FALSE;
  for (guint i = 0; i < priv->type->n_identifiers; i++)
    if (priv->ids[i] == NULL)
      {
        g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_IDENTIFIERS,
                     "The identifier %s of this %s is not set",
                     priv->type->identifier_names[i], priv->type->name);
        return FALSE;
      }
  return TRUE;
}


/* Identifier values given by a caller: `s`, `as`, `av` or `a{sv}`, for
 * the @n_inputs slots in @slots of @type. Fills @values. */
/* Whether the model declares an identifier an integer (`"type":
 * "integer"`, as S3's MultipartUploadPart.PartNumber). */
static gboolean
identifier_is_integer (BotoResourceType *type,
                       int               slot)
{
  g_autoptr(GVariant) defs = boto_res_lookup (type->def, "identifiers");
  g_autoptr(GVariant) boxed = NULL;
  g_autoptr(GVariant) def = NULL;

  if (slot < 0 || defs == NULL || !g_variant_is_of_type (defs, G_VARIANT_TYPE ("av")) ||
      (gsize) slot >= g_variant_n_children (defs))
    return FALSE;
  boxed = g_variant_get_child_value (defs, slot);
  def = g_variant_get_variant (boxed);
  return g_strcmp0 (boto_res_string (def, "type"), "integer") == 0;
}

static gboolean
collect_input_identifiers (BotoResourceType  *type,
                           GVariant          *identifiers,
                           const int         *slots,
                           guint              n_inputs,
                           GVariant         **values,
                           GError           **error)
{
  g_autoptr(GVariant) ids = identifiers != NULL ? boto_variant_unbox (g_variant_ref (identifiers)) : NULL;
  guint given = 0;

  if (ids != NULL && g_variant_is_of_type (ids, G_VARIANT_TYPE_VARDICT))
    {
      GVariantIter iter;
      const char *key;
      GVariant *value;

      g_variant_iter_init (&iter, ids);
      while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
        {
          int slot = boto_resource_type_find_identifier (type, key);
          gboolean is_input = FALSE;

          for (guint i = 0; i < n_inputs; i++)
            if (slots[i] == slot)
              is_input = TRUE;
          if (slot < 0 || !is_input)
            {
              g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_IDENTIFIERS,
                           "%s has no identifier “%s” to give", type->name, key);
              g_variant_unref (value);
              return FALSE;
            }
          value = boto_variant_unbox (value);
          g_clear_pointer (&values[slot], g_variant_unref);
          values[slot] = value;
          given++;
        }
    }
  else if (ids != NULL && g_variant_is_of_type (ids, G_VARIANT_TYPE_STRING))
    {
      if (n_inputs >= 1)
        values[slots[0]] = g_variant_ref (ids);
      given = 1;
    }
  else if (ids != NULL && (g_variant_is_of_type (ids, G_VARIANT_TYPE_STRING_ARRAY) ||
                           g_variant_is_of_type (ids, G_VARIANT_TYPE ("av"))))
    {
      gsize n = g_variant_n_children (ids);

      for (gsize i = 0; i < n && i < n_inputs; i++)
        values[slots[i]] = boto_variant_unbox (g_variant_get_child_value (ids, i));
      given = n;
    }
  else if (ids != NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_IDENTIFIERS,
                   "Identifiers of %s must be a string, an array or a dictionary, not “%s”",
                   type->name, g_variant_get_type_string (ids));
      return FALSE;
    }

  if (given != n_inputs)
    {
      GString *names = g_string_new (NULL);

      for (guint i = 0; i < n_inputs; i++)
        g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", type->identifier_names[slots[i]]);
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_IDENTIFIERS,
                   "%s takes %u identifier%s (%s), %u given",
                   type->name, n_inputs, n_inputs == 1 ? "" : "s", names->str, given);
      g_string_free (names, TRUE);
      return FALSE;
    }

  for (guint i = 0; i < n_inputs; i++)
    {
      GVariant *value = values[slots[i]];

      if (value == NULL)
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_IDENTIFIERS,
                       "The identifier %s of %s is missing", type->identifier_names[slots[i]], type->name);
          return FALSE;
        }
      /* Strings, or integers where the model says so (the part number of
       * an S3 MultipartUploadPart, as boto3 takes it). */
      if (!g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) &&
          !(identifier_is_integer (type, slots[i]) &&
            (g_variant_is_of_type (value, G_VARIANT_TYPE_INT32) ||
             g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))))
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_IDENTIFIERS,
                       "The identifier %s of %s must be a string, not “%s”",
                       type->identifier_names[slots[i]], type->name, g_variant_get_type_string (value));
          return FALSE;
        }
    }
  return TRUE;
}

/* Public construction */

/**
 * boto_service_resource_new_for_client:
 * @client: a client
 * @error: return location for a #GError
 *
 * Makes the service resource of @client's service; its requests go
 * through @client.
 *
 * Returns: (transfer full): the service resource, or %NULL with @error set
 *   (%BOTO_CLIENT_ERROR_UNKNOWN_RESOURCE when the service has no resources)
 *
 * Since: 1.0
 */
BotoServiceResource *
boto_service_resource_new_for_client (BotoClient  *client,
                                      GError     **error)
{
  BotoResourceContext *context;
  BotoResourceType *type;

  g_return_val_if_fail (BOTO_IS_CLIENT (client), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  context = boto_resource_context_get (client, error);
  if (context == NULL)
    return NULL;
  type = boto_resource_context_lookup_type (context, NULL, error);
  if (type == NULL)
    return NULL;

  return BOTO_SERVICE_RESOURCE (boto_resource_create (type, client, NULL, NULL));
}

/**
 * boto_session_resource_with_endpoint:
 * @session: a session
 * @service_name: the service, such as `s3`
 * @endpoint_url: (nullable): an explicit endpoint URL
 * @config: (nullable): client options
 * @error: return location for a #GError
 *
 * As [method@Boto.Session.resource], with an explicit endpoint.
 *
 * Returns: (transfer full): the service resource, or %NULL with @error set
 *
 * Since: 1.0
 */
BotoServiceResource *
boto_session_resource_with_endpoint (BotoSession  *session,
                                     const char   *service_name,
                                     const char   *endpoint_url,
                                     BotoConfig   *config,
                                     GError      **error)
{
  g_autoptr(BotoClient) client = NULL;

  g_return_val_if_fail (BOTO_IS_SESSION (session), NULL);
  g_return_val_if_fail (service_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  client = boto_session_create_client (session, service_name, endpoint_url, config, error);
  if (client == NULL)
    return NULL;
  return boto_service_resource_new_for_client (client, error);
}

/**
 * boto_session_resource:
 * @session: a session
 * @service_name: the service, such as `s3`, `sqs` or `ec2`
 * @config: (nullable): client options
 * @error: return location for a #GError
 *
 * Makes a service resource, as boto3's `Session.resource()`: a client for
 * @service_name and the entry point of its resources.
 *
 * Returns: (transfer full): the service resource, or %NULL with @error set
 *
 * Since: 1.0
 */
BotoServiceResource *
boto_session_resource (BotoSession  *session,
                       const char   *service_name,
                       BotoConfig   *config,
                       GError      **error)
{
  return boto_session_resource_with_endpoint (session, service_name, NULL, config, error);
}

/**
 * boto_resource_new:
 * @client: the client for the resource's requests
 * @resource_name: the resource type, such as `Bucket`
 * @identifiers: (nullable): all the identifiers: a string when there is one,
 *   `as`/`av` in the model's order, or `a{sv}` by name
 * @error: return location for a #GError
 *
 * Makes a resource from its identifiers without a service resource.
 *
 * Returns: (transfer full): the resource, or %NULL with @error set
 *
 * Since: 1.0
 */
BotoResource *
boto_resource_new (BotoClient  *client,
                   const char  *resource_name,
                   GVariant    *identifiers,
                   GError     **error)
{
  g_autoptr(GVariant) ids = NULL;
  BotoResourceContext *context;
  BotoResourceType *type;
  GVariant *values[BOTO_RESOURCE_MAX_IDENTIFIERS] = { NULL, };
  int slots[BOTO_RESOURCE_MAX_IDENTIFIERS];
  BotoResource *resource = NULL;

  g_return_val_if_fail (BOTO_IS_CLIENT (client), NULL);
  g_return_val_if_fail (resource_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (identifiers != NULL)
    ids = g_variant_ref_sink (identifiers);

  context = boto_resource_context_get (client, error);
  if (context == NULL)
    return NULL;
  type = boto_resource_context_lookup_type (context, resource_name, error);
  if (type == NULL)
    return NULL;

  for (guint i = 0; i < type->n_identifiers; i++)
    slots[i] = i;
  if (collect_input_identifiers (type, ids, slots, type->n_identifiers, values, error))
    resource = boto_resource_create (type, client, values, NULL);

  for (guint i = 0; i < BOTO_RESOURCE_MAX_IDENTIFIERS; i++)
    g_clear_pointer (&values[i], g_variant_unref);
  return resource;
}

/* Accessors */

/**
 * boto_resource_get_resource_name:
 * @self: a resource
 *
 * Gets the name of the resource's type.
 *
 * Returns: (nullable): the resource type, such as `Bucket`; for a service
 *   resource, the service name
 *
 * Since: 1.0
 */
const char *
boto_resource_get_resource_name (BotoResource *self)
{
  BotoResourcePrivate *priv;

  g_return_val_if_fail (BOTO_IS_RESOURCE (self), NULL);

  priv = boto_resource_get_instance_private (self);
  return priv->type != NULL ? priv->type->name : priv->resource_name;
}

/**
 * boto_resource_get_service_name:
 * @self: a resource
 *
 * Gets the name of the service the resource belongs to.
 *
 * Returns: (nullable): the service name, such as `s3`
 *
 * Since: 1.0
 */
const char *
boto_resource_get_service_name (BotoResource *self)
{
  BotoResourcePrivate *priv;

  g_return_val_if_fail (BOTO_IS_RESOURCE (self), NULL);

  priv = boto_resource_get_instance_private (self);
  return priv->client != NULL ? boto_client_get_service_name (priv->client) : NULL;
}

/**
 * boto_resource_get_client:
 * @self: a resource
 *
 * Gets the client the resource calls.
 *
 * Returns: (transfer none) (nullable): the client (boto3's `meta.client`)
 *
 * Since: 1.0
 */
BotoClient *
boto_resource_get_client (BotoResource *self)
{
  BotoResourcePrivate *priv;

  g_return_val_if_fail (BOTO_IS_RESOURCE (self), NULL);

  priv = boto_resource_get_instance_private (self);
  return priv->client;
}

/**
 * boto_resource_dup_identifier_names:
 * @self: a resource
 *
 * Lists the identifiers of the resource's type.
 *
 * Returns: (transfer full): the identifier names in the model's order, in
 *   boto3's spelling (boto3's `meta.identifiers`)
 *
 * Since: 1.0
 */
GStrv
boto_resource_dup_identifier_names (BotoResource *self)
{
  BotoResourcePrivate *priv;
  GStrvBuilder *builder;

  g_return_val_if_fail (BOTO_IS_RESOURCE (self), NULL);

  priv = boto_resource_get_instance_private (self);
  builder = g_strv_builder_new ();
  for (guint i = 0; priv->type != NULL && i < priv->type->n_identifiers; i++)
    g_strv_builder_add (builder, priv->type->identifier_names[i]);
  {
    GStrv result = g_strv_builder_end (builder);

    g_strv_builder_unref (builder);
    return result;
  }
}

/**
 * boto_resource_get_identifiers:
 * @self: a resource
 *
 * Gets every identifier of the resource that is set.
 *
 * Returns: (transfer none): the identifiers, `a{sv}` keyed by boto3's
 *   snake-case names (an unset identifier is absent)
 *
 * Since: 1.0
 */
GVariant *
boto_resource_get_identifiers (BotoResource *self)
{
  BotoResourcePrivate *priv;
  GVariant *result;

  g_return_val_if_fail (BOTO_IS_RESOURCE (self), NULL);

  priv = boto_resource_get_instance_private (self);
  g_mutex_lock (&priv->lock);
  if (priv->identifiers_dict == NULL)
    {
      GVariantBuilder builder;

      g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
      for (guint i = 0; priv->type != NULL && i < priv->type->n_identifiers; i++)
        if (priv->ids[i] != NULL)
          g_variant_builder_add (&builder, "{sv}", priv->type->identifier_names[i], priv->ids[i]);
      priv->identifiers_dict = g_variant_ref_sink (g_variant_builder_end (&builder));
    }
  result = priv->identifiers_dict;
  g_mutex_unlock (&priv->lock);

  return result;
}

/**
 * boto_resource_get_identifier:
 * @self: a resource
 * @name: an identifier name (`bucket_name` or `BucketName`)
 *
 * Gets the value of one identifier of the resource.
 *
 * Returns: (transfer none) (nullable): the identifier's value, or %NULL
 *   when the resource has no such identifier or it is not set
 *
 * Since: 1.0
 */
GVariant *
boto_resource_get_identifier (BotoResource *self,
                              const char   *name)
{
  BotoResourcePrivate *priv;
  int i;

  g_return_val_if_fail (BOTO_IS_RESOURCE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  priv = boto_resource_get_instance_private (self);
  if (priv->type == NULL)
    return NULL;
  i = boto_resource_type_find_identifier (priv->type, name);
  return i >= 0 ? priv->ids[i] : NULL;
}

/**
 * boto_resource_get_identifier_string:
 * @self: a resource
 * @name: an identifier name
 *
 * Gets the value of one identifier of the resource when that value is a
 * string.
 *
 * Returns: (nullable): the identifier's value when it is a string
 *
 * Since: 1.0
 */
const char *
boto_resource_get_identifier_string (BotoResource *self,
                                     const char   *name)
{
  GVariant *value = boto_resource_get_identifier (self, name);

  if (value == NULL || !g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return NULL;
  return g_variant_get_string (value, NULL);
}

/**
 * boto_resource_get_data:
 * @self: a resource
 *
 * Gets the attributes the resource has loaded, without loading them.
 *
 * Returns: (transfer none) (nullable): the loaded data, `a{sv}` (boto3's
 *   `meta.data`), or %NULL when none is loaded
 *
 * Since: 1.0
 */
GVariant *
boto_resource_get_data (BotoResource *self)
{
  BotoResourcePrivate *priv;
  GVariant *data;

  g_return_val_if_fail (BOTO_IS_RESOURCE (self), NULL);

  priv = boto_resource_get_instance_private (self);
  g_mutex_lock (&priv->lock);
  data = priv->data;
  g_mutex_unlock (&priv->lock);
  return data;
}

/**
 * boto_resource_set_data:
 * @self: a resource
 * @data: (nullable): the data, `a{sv}`, or %NULL to forget it (the next
 *   attribute read loads again)
 *
 * Replaces the resource's data (boto3's `meta.data = …`).
 *
 * Since: 1.0
 */
void
boto_resource_set_data (BotoResource *self,
                        GVariant     *data)
{
  BotoResourcePrivate *priv;
  GVariant *old;

  g_return_if_fail (BOTO_IS_RESOURCE (self));
  g_return_if_fail (data == NULL || g_variant_is_of_type (data, G_VARIANT_TYPE_VARDICT));

  priv = boto_resource_get_instance_private (self);
  if (data != NULL)
    g_variant_ref_sink (data);
  g_mutex_lock (&priv->lock);
  old = priv->data;
  priv->data = data;
  g_mutex_unlock (&priv->lock);
  if (old != data)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATA]);
  g_clear_pointer (&old, g_variant_unref);
}

/**
 * boto_resource_get_model:
 * @self: a resource
 *
 * Gets the definition of the resource's type in the resource model.
 *
 * Returns: (transfer none) (nullable): the resource's definition from
 *   `resources-1.json`, `a{sv}` (boto3's `meta.resource_model`)
 *
 * Since: 1.0
 */
GVariant *
boto_resource_get_model (BotoResource *self)
{
  BotoResourcePrivate *priv;

  g_return_val_if_fail (BOTO_IS_RESOURCE (self), NULL);

  priv = boto_resource_get_instance_private (self);
  return priv->type != NULL ? priv->type->def : NULL;
}

static GStrv
entry_names (BotoResource *self,
             gsize         offset,
             int           want_data)
{
  BotoResourcePrivate *priv = boto_resource_get_instance_private (self);
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv result;

  if (priv->type != NULL)
    {
      GArray *entries = G_STRUCT_MEMBER (GArray *, priv->type, offset);

      for (guint i = 0; i < entries->len; i++)
        {
          BotoResourceEntry *entry = &g_array_index (entries, BotoResourceEntry, i);

          if (want_data < 0 || entry->needs_data == want_data)
            g_strv_builder_add (builder, entry->name);
        }
    }
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

/**
 * boto_resource_dup_attribute_names:
 * @self: a resource
 *
 * Lists the attributes of the resource's type, the members of its loaded
 * shape.
 *
 * Returns: (transfer full): the attribute names, snake case
 *
 * Since: 1.0
 */
GStrv
boto_resource_dup_attribute_names (BotoResource *self)
{
  BotoResourcePrivate *priv;
  GStrvBuilder *builder;
  GStrv result;

  g_return_val_if_fail (BOTO_IS_RESOURCE (self), NULL);

  priv = boto_resource_get_instance_private (self);
  builder = g_strv_builder_new ();
  for (guint i = 0; priv->type != NULL && i < priv->type->attributes->len; i++)
    g_strv_builder_add (builder, g_array_index (priv->type->attributes, BotoResourceAttribute, i).name);
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

/**
 * boto_resource_dup_action_names:
 * @self: a resource
 *
 * Lists the actions of the resource's type.
 *
 * Returns: (transfer full): the action names, snake case
 *
 * Since: 1.0
 */
GStrv
boto_resource_dup_action_names (BotoResource *self)
{
  g_return_val_if_fail (BOTO_IS_RESOURCE (self), NULL);
  return entry_names (self, G_STRUCT_OFFSET (BotoResourceType, actions), -1);
}

/**
 * boto_resource_dup_collection_names:
 * @self: a resource
 *
 * Lists the collections of the resource's type.
 *
 * Returns: (transfer full): the collection names, snake case
 *
 * Since: 1.0
 */
GStrv
boto_resource_dup_collection_names (BotoResource *self)
{
  g_return_val_if_fail (BOTO_IS_RESOURCE (self), NULL);
  return entry_names (self, G_STRUCT_OFFSET (BotoResourceType, has_many), -1);
}

/**
 * boto_resource_dup_sub_resource_names:
 * @self: a resource
 *
 * Lists the sub-resources of the resource's type.
 *
 * Returns: (transfer full): the sub-resource names, CamelCase (boto3's
 *   `get_available_subresources()`)
 *
 * Since: 1.0
 */
GStrv
boto_resource_dup_sub_resource_names (BotoResource *self)
{
  g_return_val_if_fail (BOTO_IS_RESOURCE (self), NULL);
  return entry_names (self, G_STRUCT_OFFSET (BotoResourceType, has), FALSE);
}

/**
 * boto_resource_dup_reference_names:
 * @self: a resource
 *
 * Lists the references of the resource's type, the related resources its data
 * names.
 *
 * Returns: (transfer full): the reference names, snake case
 *
 * Since: 1.0
 */
GStrv
boto_resource_dup_reference_names (BotoResource *self)
{
  g_return_val_if_fail (BOTO_IS_RESOURCE (self), NULL);
  return entry_names (self, G_STRUCT_OFFSET (BotoResourceType, has), TRUE);
}

/**
 * boto_resource_dup_waiter_names:
 * @self: a resource
 *
 * Lists the waiters of the resource's type.
 *
 * Returns: (transfer full): the waiter names, such as `wait_until_exists`
 *
 * Since: 1.0
 */
GStrv
boto_resource_dup_waiter_names (BotoResource *self)
{
  g_return_val_if_fail (BOTO_IS_RESOURCE (self), NULL);
  return entry_names (self, G_STRUCT_OFFSET (BotoResourceType, waiters), -1);
}

/* Customizations: boto3's s3/inject.py */

typedef enum {
  CUSTOM_LOAD_NONE,
  CUSTOM_LOAD_S3_BUCKET,
  CUSTOM_LOAD_S3_OBJECT_SUMMARY,
} CustomLoad;

static CustomLoad
custom_load (BotoResourceType *type)
{
  if (type == NULL || type->is_service || strcmp (type->context->service_name, "s3") != 0)
    return CUSTOM_LOAD_NONE;
  if (strcmp (type->name, "Bucket") == 0)
    return CUSTOM_LOAD_S3_BUCKET;
  if (strcmp (type->name, "ObjectSummary") == 0)
    return CUSTOM_LOAD_S3_OBJECT_SUMMARY;
  return CUSTOM_LOAD_NONE;
}

/**
 * boto_resource_has_load:
 * @self: a resource
 *
 * Tells whether the resource's type can load its attributes, with a `load`
 * operation in the model or one boto-glib provides.
 *
 * Returns: whether the resource can load its attributes
 *
 * Since: 1.0
 */
gboolean
boto_resource_has_load (BotoResource *self)
{
  BotoResourcePrivate *priv;

  g_return_val_if_fail (BOTO_IS_RESOURCE (self), FALSE);

  priv = boto_resource_get_instance_private (self);
  return priv->type != NULL && (priv->type->load != NULL || custom_load (priv->type) != CUSTOM_LOAD_NONE);
}

/* The request a load sends: operation and parameters. */
static gboolean
load_request (BotoResource  *self,
              char         **out_operation,
              GVariant     **out_params,
              GError       **error)
{
  BotoResourcePrivate *priv = boto_resource_get_instance_private (self);
  g_autoptr(BotoParamNode) params = NULL;
  g_autoptr(GVariant) request = NULL;

  if (!check_identifiers (self, error))
    return FALSE;

  switch (custom_load (priv->type))
    {
    case CUSTOM_LOAD_S3_BUCKET:
      *out_operation = g_strdup ("ListBuckets");
      *out_params = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
      return TRUE;
    case CUSTOM_LOAD_S3_OBJECT_SUMMARY:
      *out_operation = g_strdup ("HeadObject");
      *out_params = g_variant_ref_sink (g_variant_new_parsed ("{'Bucket': <%@s>, 'Key': <%@s>}",
                                                              priv->ids[0], priv->ids[1]));
      return TRUE;
    case CUSTOM_LOAD_NONE:
    default:
      break;
    }

  if (priv->type->load == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_RESOURCE_LOAD,
                   "%s has no load method", priv->type->name);
      return FALSE;
    }

  request = boto_res_lookup (priv->type->load, "request");
  params = boto_param_node_new_dict ();
  if (!boto_resource_build_request_params (self, request, params, -1, NULL, error))
    return FALSE;
  *out_operation = g_strdup (boto_res_string (request, "operation"));
  *out_params = g_variant_ref_sink (boto_param_node_to_variant (params));
  return TRUE;
}

/* Turns a load's response into the resource's data. */
static gboolean
load_apply (BotoResource  *self,
            GVariant      *response,
            GError       **error)
{
  BotoResourcePrivate *priv = boto_resource_get_instance_private (self);
  g_autoptr(GVariant) data = NULL;

  switch (custom_load (priv->type))
    {
    case CUSTOM_LOAD_S3_BUCKET:
      {
        g_autoptr(GVariant) buckets = g_variant_lookup_value (response, "Buckets", NULL);
        const char *name = g_variant_get_string (priv->ids[0], NULL);
        gsize n = buckets != NULL && g_variant_is_of_type (buckets, G_VARIANT_TYPE_ARRAY) ?
                  g_variant_n_children (buckets) : 0;

        for (gsize i = 0; i < n && data == NULL; i++)
          {
            g_autoptr(GVariant) bucket = boto_variant_unbox (g_variant_get_child_value (buckets, i));
            const char *bucket_name = NULL;

            if (g_variant_is_of_type (bucket, G_VARIANT_TYPE_VARDICT) &&
                g_variant_lookup (bucket, "Name", "&s", &bucket_name) &&
                strcmp (bucket_name, name) == 0)
              data = g_steal_pointer (&bucket);
          }
        if (data == NULL)
          data = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
      }
      break;

    case CUSTOM_LOAD_S3_OBJECT_SUMMARY:
      {
        GVariantBuilder builder;
        GVariantIter iter;
        const char *key;
        GVariant *value;

        g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
        g_variant_iter_init (&iter, response);
        while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
          {
            g_variant_builder_add (&builder, "{sv}",
                                   strcmp (key, "ContentLength") == 0 ? "Size" : key, value);
            g_variant_unref (value);
          }
        data = g_variant_ref_sink (g_variant_builder_end (&builder));
      }
      break;

    case CUSTOM_LOAD_NONE:
    default:
      {
        const char *path = boto_res_string (priv->type->load, "path");

        if (path != NULL && strcmp (path, "$") != 0)
          {
            g_autoptr(GError) local_error = NULL;

            data = boto_jmespath_search (path, response, &local_error);
            if (local_error != NULL)
              {
                g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                             "Bad load path “%s”: %s", path, local_error->message);
                return FALSE;
              }
            data = boto_variant_unbox (data);
          }
        else
          data = g_variant_ref (response);
      }
      break;
    }

  if (data == NULL || !g_variant_is_of_type (data, G_VARIANT_TYPE_VARDICT))
    {
      g_autofree char *ids = boto_resource_to_string (self);

      /* boto3 stores None and fails on the next attribute read. */
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_RESOURCE_LOAD,
                   "%s was not found in the load response", ids);
      return FALSE;
    }
  boto_resource_set_data (self, data);
  return TRUE;
}

static gboolean
is_ignored_load_error (BotoResource *self,
                       GError       *error)
{
  BotoResourcePrivate *priv = boto_resource_get_instance_private (self);

  return custom_load (priv->type) == CUSTOM_LOAD_S3_BUCKET &&
         g_error_matches (error, BOTO_SERVICE_ERROR, BOTO_SERVICE_ERROR_CLIENT) &&
         g_strcmp0 (boto_service_error_get_code (error), "AccessDenied") == 0;
}

/**
 * boto_resource_load:
 * @self: a resource
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Loads the resource's attributes with its `load` action (or boto3's
 * customization: an S3 bucket through `ListBuckets`), replacing its data.
 * Reading an attribute loads once by itself; this loads again.
 *
 * Returns: %TRUE on success
 *
 * Since: 1.0
 */
gboolean
boto_resource_load (BotoResource  *self,
                    GCancellable  *cancellable,
                    GError       **error)
{
  BotoResourcePrivate *priv;
  g_autofree char *operation = NULL;
  g_autoptr(GVariant) params = NULL;
  g_autoptr(GVariant) response = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (BOTO_IS_RESOURCE (self), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  priv = boto_resource_get_instance_private (self);
  if (!load_request (self, &operation, &params, error))
    return FALSE;

  response = boto_resource_client_call (priv->client, operation, params,
                                        cancellable, &local_error);
  if (response == NULL)
    {
      if (is_ignored_load_error (self, local_error))
        {
          g_error_free (local_error);
          boto_resource_set_data (self, g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
          return TRUE;
        }
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return load_apply (self, response, error);
}

static void
load_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BotoResource *self = g_task_get_source_object (task);
  g_autoptr(GVariant) response = NULL;
  GError *error = NULL;

  response = boto_client_call_finish (BOTO_CLIENT (source), result, &error);
  if (response == NULL)
    {
      if (is_ignored_load_error (self, error))
        {
          g_error_free (error);
          boto_resource_set_data (self, g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
          g_task_return_boolean (task, TRUE);
        }
      else
        g_task_return_error (task, error);
      return;
    }
  if (!load_apply (self, response, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * boto_resource_load_async:
 * @self: a resource
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the load is done
 * @user_data: data for @callback
 *
 * The asynchronous form of [method@Boto.Resource.load].
 *
 * Since: 1.0
 */
void
boto_resource_load_async (BotoResource        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  BotoResourcePrivate *priv;
  g_autoptr(GTask) task = NULL;
  g_autofree char *operation = NULL;
  g_autoptr(GVariant) params = NULL;
  GError *error = NULL;

  g_return_if_fail (BOTO_IS_RESOURCE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  priv = boto_resource_get_instance_private (self);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, boto_resource_load_async);

  if (!load_request (self, &operation, &params, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  boto_resource_client_call_async (priv->client, operation, params, cancellable,
                                   load_done, g_steal_pointer (&task));
}

/**
 * boto_resource_load_finish:
 * @self: a resource
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes a call to [method@Boto.Resource.load_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 1.0
 */
gboolean
boto_resource_load_finish (BotoResource  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (BOTO_IS_RESOURCE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * boto_resource_reload:
 * @self: a resource
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * The same as [method@Boto.Resource.load] (boto3's `reload`).
 *
 * Returns: %TRUE on success
 *
 * Since: 1.0
 */
gboolean
boto_resource_reload (BotoResource  *self,
                      GCancellable  *cancellable,
                      GError       **error)
{
  return boto_resource_load (self, cancellable, error);
}

/**
 * boto_resource_reload_async:
 * @self: a resource
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the load is done
 * @user_data: data for @callback
 *
 * The asynchronous form of [method@Boto.Resource.reload].
 *
 * Since: 1.0
 */
void
boto_resource_reload_async (BotoResource        *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  boto_resource_load_async (self, cancellable, callback, user_data);
}

/**
 * boto_resource_reload_finish:
 * @self: a resource
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes a call to [method@Boto.Resource.reload_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 1.0
 */
gboolean
boto_resource_reload_finish (BotoResource  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return boto_resource_load_finish (self, result, error);
}

/* Attributes */

/**
 * boto_resource_get_attribute:
 * @self: a resource
 * @name: an attribute name (`creation_date` or `CreationDate`)
 * @error: return location for a #GError
 *
 * Reads an attribute of the resource's shape from its data, loading the
 * data first when none is loaded (as reading a boto3 attribute does).
 * Identifiers can be read by name too.
 *
 * Returns: (transfer full) (nullable): the value, or %NULL when the data
 *   does not have it (then @error is not set) or on error:
 *   %BOTO_CLIENT_ERROR_UNKNOWN_RESOURCE for a name the shape lacks,
 *   %BOTO_CLIENT_ERROR_RESOURCE_LOAD when there is nothing to load from
 *
 * Since: 1.0
 */
GVariant *
boto_resource_get_attribute (BotoResource  *self,
                             const char    *name,
                             GError       **error)
{
  BotoResourcePrivate *priv;
  const BotoResourceAttribute *attribute = NULL;
  GVariant *data;
  GVariant *value;
  int identifier;

  g_return_val_if_fail (BOTO_IS_RESOURCE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_bound (self, error))
    return NULL;
  priv = boto_resource_get_instance_private (self);

  for (guint pass = 0; pass < 2 && attribute == NULL; pass++)
    for (guint i = 0; i < priv->type->attributes->len; i++)
      {
        const BotoResourceAttribute *a = &g_array_index (priv->type->attributes, BotoResourceAttribute, i);

        if (strcmp (pass == 0 ? a->name : a->model_name, name) == 0)
          {
            attribute = a;
            break;
          }
      }

  if (attribute == NULL)
    {
      identifier = boto_resource_type_find_identifier (priv->type, name);
      if (identifier >= 0)
        return priv->ids[identifier] != NULL ? g_variant_ref (priv->ids[identifier]) : NULL;
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_RESOURCE,
                   "%s has no attribute “%s”", priv->type->name, name);
      return NULL;
    }
  if (attribute->identifier >= 0)
    return priv->ids[attribute->identifier] != NULL ? g_variant_ref (priv->ids[attribute->identifier]) : NULL;

  data = boto_resource_get_data (self);
  if (data == NULL)
    {
      if (!boto_resource_has_load (self))
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_RESOURCE_LOAD,
                       "%s has no load method", priv->type->name);
          return NULL;
        }
      if (!boto_resource_load (self, NULL, error))
        return NULL;
      data = boto_resource_get_data (self);
    }

  value = data != NULL ? g_variant_lookup_value (data, attribute->model_name, NULL) : NULL;
  value = boto_variant_unbox (value);
  if (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_MAYBE))
    {
      GVariant *inner = g_variant_get_maybe (value);

      g_variant_unref (value);
      value = inner;
    }
  return value;
}

/* Actions */

struct _BotoActionResult_unused;

static BotoActionResult *
action_result_new (GVariant  *response,
                   GPtrArray *resources,
                   gboolean   is_list)
{
  BotoActionResult *result = g_object_new (BOTO_TYPE_ACTION_RESULT, NULL);

  result->response = response != NULL ? g_variant_ref_sink (response) : NULL;
  result->resources = resources;
  result->is_list = is_list;
  return result;
}

static void
boto_action_result_finalize (GObject *object)
{
  BotoActionResult *self = BOTO_ACTION_RESULT (object);

  g_clear_pointer (&self->response, g_variant_unref);
  g_clear_pointer (&self->resources, g_ptr_array_unref);

  G_OBJECT_CLASS (boto_action_result_parent_class)->finalize (object);
}

static void
boto_action_result_class_init (BotoActionResultClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = boto_action_result_finalize;
}

static void
boto_action_result_init (BotoActionResult *self)
{
}

/**
 * boto_action_result_get_response:
 * @self: an action result
 *
 * Gets the action's response as the operation returned it, or the part of it
 * the action's `path` selects.
 *
 * Returns: (transfer none) (nullable): the response (searched with the
 *   action's `path` when it has one)
 *
 * Since: 1.0
 */
GVariant *
boto_action_result_get_response (BotoActionResult *self)
{
  g_return_val_if_fail (BOTO_IS_ACTION_RESULT (self), NULL);
  return self->response;
}

/**
 * boto_action_result_has_resources:
 * @self: an action result
 *
 * Tells whether the action's model turns the response into resources, as
 * boto3 does for actions with a `resource` entry.
 *
 * Returns: whether the action's model makes resources of the response
 *
 * Since: 1.0
 */
gboolean
boto_action_result_has_resources (BotoActionResult *self)
{
  g_return_val_if_fail (BOTO_IS_ACTION_RESULT (self), FALSE);
  return self->resources != NULL;
}

/**
 * boto_action_result_is_list:
 * @self: an action result
 *
 * Tells whether the action makes a list of resources rather than a single
 * one.
 *
 * Returns: whether the action returns a list of resources (as
 *   `ec2.create_instances`) rather than one
 *
 * Since: 1.0
 */
gboolean
boto_action_result_is_list (BotoActionResult *self)
{
  g_return_val_if_fail (BOTO_IS_ACTION_RESULT (self), FALSE);
  return self->is_list;
}

/**
 * boto_action_result_get_resources:
 * @self: an action result
 *
 * Gets every resource the action made of its response.
 *
 * Returns: (transfer none) (element-type BotoResource) (nullable): the
 *   resources, or %NULL when the action returns none
 *
 * Since: 1.0
 */
GPtrArray *
boto_action_result_get_resources (BotoActionResult *self)
{
  g_return_val_if_fail (BOTO_IS_ACTION_RESULT (self), NULL);
  return self->resources;
}

/**
 * boto_action_result_get_resource:
 * @self: an action result
 *
 * Gets the first resource the action made of its response, for actions that
 * return one resource.
 *
 * Returns: (transfer none) (nullable): the first resource
 *
 * Since: 1.0
 */
BotoResource *
boto_action_result_get_resource (BotoActionResult *self)
{
  g_return_val_if_fail (BOTO_IS_ACTION_RESULT (self), NULL);
  return self->resources != NULL && self->resources->len > 0 ? self->resources->pdata[0] : NULL;
}

typedef enum {
  ACTION_MODELED,
  ACTION_EC2_CREATE_TAGS,
} ActionKind;

typedef struct
{
  BotoResource *self;
  ActionKind    kind;
  GVariant     *def;          /* the action definition */
  char         *operation;
  GVariant     *params;       /* as sent */
  GVariant     *user_params;
  gboolean      needs_data;
} ActionCall;

static void
action_call_free (ActionCall *call)
{
  g_clear_object (&call->self);
  g_clear_pointer (&call->def, g_variant_unref);
  g_free (call->operation);
  g_clear_pointer (&call->params, g_variant_unref);
  g_clear_pointer (&call->user_params, g_variant_unref);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ActionCall, action_call_free)

static GVariant *
ec2_delete_tags_def (void)
{
  static GVariant *def;

  if (g_once_init_enter (&def))
    g_once_init_leave (&def, g_variant_ref_sink (g_variant_new_parsed (
      "{'request': <{'operation': <'DeleteTags'>, 'params': <[<{'target': <'Resources[0]'>,"
      " 'source': <'identifier'>, 'name': <'Id'>}>]>}>}")));
  return def;
}

static gboolean
uses_data (GVariant *list)
{
  gsize n = list != NULL && g_variant_is_of_type (list, G_VARIANT_TYPE ("av")) ?
            g_variant_n_children (list) : 0;

  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (list, i);
      g_autoptr(GVariant) item = g_variant_get_variant (boxed);

      if (g_strcmp0 (boto_res_string (item, "source"), "data") == 0)
        return TRUE;
    }
  return FALSE;
}

/* Finds the action and checks the resource; nothing is sent. */
static ActionCall *
action_call_new (BotoResource  *self,
                 const char    *action_name,
                 GVariant      *params,
                 GError       **error)
{
  BotoResourcePrivate *priv = boto_resource_get_instance_private (self);
  g_autoptr(ActionCall) call = g_new0 (ActionCall, 1);
  const BotoResourceEntry *entry;
  g_autoptr(GVariant) request = NULL;
  g_autoptr(GVariant) resource = NULL;
  g_autoptr(GVariant) request_params = NULL;
  g_autoptr(GVariant) resource_ids = NULL;

  call->self = g_object_ref (self);
  if (params != NULL)
    call->user_params = g_variant_ref_sink (params);

  if (!check_bound (self, error))
    return NULL;

  if (call->user_params != NULL && !g_variant_is_of_type (call->user_params, G_VARIANT_TYPE_VARDICT))
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                   "Action parameters must be a{sv}, not “%s”",
                   g_variant_get_type_string (call->user_params));
      return NULL;
    }

  if (priv->type->is_service && strcmp (priv->type->context->service_name, "ec2") == 0 &&
      (strcmp (action_name, "create_tags") == 0 || strcmp (action_name, "CreateTags") == 0))
    {
      call->kind = ACTION_EC2_CREATE_TAGS;
      call->operation = g_strdup ("CreateTags");
      return g_steal_pointer (&call);
    }

  entry = boto_resource_type_find_entry (priv->type->actions, action_name);
  if (entry != NULL)
    call->def = g_variant_ref (entry->def);
  else if (!priv->type->is_service && strcmp (priv->type->context->service_name, "ec2") == 0 &&
           strcmp (priv->type->name, "Instance") == 0 &&
           (strcmp (action_name, "delete_tags") == 0 || strcmp (action_name, "DeleteTags") == 0))
    call->def = g_variant_ref (ec2_delete_tags_def ());
  else
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_RESOURCE,
                   "%s has no action “%s”", priv->type->name, action_name);
      return NULL;
    }

  if (!check_identifiers (self, error))
    return NULL;

  request = boto_res_lookup (call->def, "request");
  call->operation = g_strdup (boto_res_string (request, "operation"));
  if (call->operation == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                   "The action %s has no operation", action_name);
      return NULL;
    }
  request_params = boto_res_lookup (request, "params");
  resource = boto_res_lookup (call->def, "resource");
  resource_ids = resource != NULL ? boto_res_lookup (resource, "identifiers") : NULL;
  call->needs_data = uses_data (request_params) || uses_data (resource_ids);

  return g_steal_pointer (&call);
}

/* Builds the parameters (the data must be loaded if needed). */
static gboolean
action_call_prepare (ActionCall    *call,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(BotoParamNode) params = boto_param_node_new_dict ();

  if (call->kind == ACTION_MODELED)
    {
      g_autoptr(GVariant) request = boto_res_lookup (call->def, "request");

      if (!boto_resource_build_request_params (call->self, request, params, -1, cancellable, error))
        return FALSE;
    }
  boto_param_node_merge_variant (params, call->user_params, FALSE);
  call->params = g_variant_ref_sink (boto_param_node_to_variant (params));
  return TRUE;
}

static BotoActionResult *
action_call_complete (ActionCall    *call,
                      GVariant      *response,
                      GCancellable  *cancellable,
                      GError       **error)
{
  BotoResourcePrivate *priv = boto_resource_get_instance_private (call->self);
  g_autoptr(GVariant) resource = NULL;
  GPtrArray *resources = NULL;
  gboolean is_list = FALSE;

  if (call->kind == ACTION_EC2_CREATE_TAGS)
    {
      /* boto3's ec2/createtags.py: a Tag for each resource and tag. */
      g_autoptr(GVariant) ids = g_variant_lookup_value (call->params, "Resources", NULL);
      g_autoptr(GVariant) tags = g_variant_lookup_value (call->params, "Tags", NULL);
      BotoResourceType *tag_type = boto_resource_context_lookup_type (priv->type->context, "Tag", error);
      gsize n_ids = ids != NULL && g_variant_is_of_type (ids, G_VARIANT_TYPE_ARRAY) ? g_variant_n_children (ids) : 0;
      gsize n_tags = tags != NULL && g_variant_is_of_type (tags, G_VARIANT_TYPE_ARRAY) ? g_variant_n_children (tags) : 0;

      if (tag_type == NULL)
        return NULL;
      resources = g_ptr_array_new_with_free_func (g_object_unref);
      for (gsize i = 0; i < n_ids; i++)
        for (gsize j = 0; j < n_tags; j++)
          {
            g_autoptr(GVariant) id = boto_variant_unbox (g_variant_get_child_value (ids, i));
            g_autoptr(GVariant) tag = boto_variant_unbox (g_variant_get_child_value (tags, j));
            GVariant *values[BOTO_RESOURCE_MAX_IDENTIFIERS] = { NULL, };

            values[0] = id;
            values[1] = boto_variant_unbox (g_variant_lookup_value (tag, "Key", NULL));
            values[2] = boto_variant_unbox (g_variant_lookup_value (tag, "Value", NULL));
            if (values[1] == NULL)
              values[1] = g_variant_ref_sink (g_variant_new_string (""));
            if (values[2] == NULL)
              values[2] = g_variant_ref_sink (g_variant_new_string (""));
            g_ptr_array_add (resources, boto_resource_create (tag_type, priv->client, values, NULL));
            g_variant_unref (values[1]);
            g_variant_unref (values[2]);
          }
      return action_result_new (response, resources, TRUE);
    }

  resource = boto_res_lookup (call->def, "resource");
  if (resource != NULL)
    {
      if (!boto_resource_handle_response (call->self, resource, call->params, response,
                                          &resources, &is_list, cancellable, error))
        return NULL;
    }
  else
    {
      const char *path = boto_res_string (call->def, "path");

      if (path != NULL && strcmp (path, "$") != 0)
        {
          g_autoptr(GVariant) searched = boto_jmespath_search (path, response, NULL);

          if (boto_resource_has_load (call->self))
            boto_resource_set_data (call->self, NULL);
          return action_result_new (searched, NULL, FALSE);
        }
    }

  /* boto3 forgets the data after an action, so the next read loads anew. */
  if (boto_resource_has_load (call->self))
    boto_resource_set_data (call->self, NULL);

  return action_result_new (response, resources, is_list);
}

/**
 * boto_resource_call_action_full:
 * @self: a resource
 * @action_name: the action, such as `delete` or `create_bucket`
 * @params: (nullable): more request parameters, `a{sv}`; they replace the
 *   ones the model fills in; a floating reference is consumed
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Runs one of the resource's actions: the request's parameters come from
 * the model (identifiers, data, constants) and from @params; the response
 * becomes resources when the model says so.
 *
 * Returns: (transfer full): the result, or %NULL with @error set
 *
 * Since: 1.0
 */
BotoActionResult *
boto_resource_call_action_full (BotoResource  *self,
                                const char    *action_name,
                                GVariant      *params,
                                GCancellable  *cancellable,
                                GError       **error)
{
  BotoResourcePrivate *priv;
  g_autoptr(ActionCall) call = NULL;
  g_autoptr(GVariant) response = NULL;

  g_return_val_if_fail (BOTO_IS_RESOURCE (self), NULL);
  g_return_val_if_fail (action_name != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  priv = boto_resource_get_instance_private (self);
  call = action_call_new (self, action_name, params, error);
  if (call == NULL || !action_call_prepare (call, cancellable, error))
    return NULL;

  response = boto_resource_client_call (priv->client, call->operation, call->params,
                                        cancellable, error);
  if (response == NULL)
    return NULL;

  return action_call_complete (call, response, cancellable, error);
}

/**
 * boto_resource_call_action:
 * @self: a resource
 * @action_name: the action, such as `delete` or `send_message`
 * @params: (nullable): more request parameters, `a{sv}`; a floating
 *   reference is consumed
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Runs an action and returns its response dictionary (searched with the
 * action's `path` if it has one). For actions that return resources, see
 * [method@Boto.Resource.call_action_full].
 *
 * Returns: (transfer full) (nullable): the response, or %NULL with @error set
 *
 * Since: 1.0
 */
GVariant *
boto_resource_call_action (BotoResource  *self,
                           const char    *action_name,
                           GVariant      *params,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(BotoActionResult) result = NULL;
  GVariant *response;

  result = boto_resource_call_action_full (self, action_name, params, cancellable, error);
  if (result == NULL)
    return NULL;
  response = boto_action_result_get_response (result);
  return response != NULL ? g_variant_ref (response) :
         g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
}

static void
action_sent (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ActionCall *call = g_task_get_task_data (task);
  g_autoptr(GVariant) response = NULL;
  BotoActionResult *action_result;
  GError *error = NULL;

  response = boto_client_call_finish (BOTO_CLIENT (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  action_result = action_call_complete (call, response, g_task_get_cancellable (task), &error);
  if (action_result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, action_result, g_object_unref);
}

static void
action_send (GTask *task)
{
  ActionCall *call = g_task_get_task_data (task);
  BotoResourcePrivate *priv = boto_resource_get_instance_private (call->self);
  GError *error = NULL;

  if (!action_call_prepare (call, g_task_get_cancellable (task), &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  boto_resource_client_call_async (priv->client, call->operation, call->params,
                                   g_task_get_cancellable (task), action_sent, task);
}

static void
action_loaded (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!boto_resource_load_finish (BOTO_RESOURCE (source), result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  action_send (task);
}

/**
 * boto_resource_call_action_full_async:
 * @self: a resource
 * @action_name: the action
 * @params: (nullable): more request parameters, `a{sv}`; a floating
 *   reference is consumed
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the action is done
 * @user_data: data for @callback
 *
 * The asynchronous form of [method@Boto.Resource.call_action_full]. When
 * the parameters need the resource's data and none is loaded, it is
 * loaded first, asynchronously.
 *
 * Since: 1.0
 */
void
boto_resource_call_action_full_async (BotoResource        *self,
                                      const char          *action_name,
                                      GVariant            *params,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  GTask *task;
  ActionCall *call;
  GError *error = NULL;

  g_return_if_fail (BOTO_IS_RESOURCE (self));
  g_return_if_fail (action_name != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, boto_resource_call_action_full_async);

  call = action_call_new (self, action_name, params, &error);
  if (call == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_task_set_task_data (task, call, (GDestroyNotify) action_call_free);

  if (call->needs_data && boto_resource_get_data (self) == NULL && boto_resource_has_load (self))
    boto_resource_load_async (self, cancellable, action_loaded, task);
  else
    action_send (task);
}

/**
 * boto_resource_call_action_full_finish:
 * @self: a resource
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes a call to [method@Boto.Resource.call_action_full_async].
 *
 * Returns: (transfer full): the result, or %NULL with @error set
 *
 * Since: 1.0
 */
BotoActionResult *
boto_resource_call_action_full_finish (BotoResource  *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (BOTO_IS_RESOURCE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * boto_resource_call_action_async:
 * @self: a resource
 * @action_name: the action
 * @params: (nullable): more request parameters, `a{sv}`; a floating
 *   reference is consumed
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the action is done
 * @user_data: data for @callback
 *
 * The asynchronous form of [method@Boto.Resource.call_action].
 *
 * Since: 1.0
 */
void
boto_resource_call_action_async (BotoResource        *self,
                                 const char          *action_name,
                                 GVariant            *params,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  boto_resource_call_action_full_async (self, action_name, params, cancellable, callback, user_data);
}

/**
 * boto_resource_call_action_finish:
 * @self: a resource
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes a call to [method@Boto.Resource.call_action_async].
 *
 * Returns: (transfer full) (nullable): the response, or %NULL with @error set
 *
 * Since: 1.0
 */
GVariant *
boto_resource_call_action_finish (BotoResource  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_autoptr(BotoActionResult) action_result = NULL;
  GVariant *response;

  action_result = boto_resource_call_action_full_finish (self, result, error);
  if (action_result == NULL)
    return NULL;
  response = boto_action_result_get_response (action_result);
  return response != NULL ? g_variant_ref (response) :
         g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
}

/* References and sub-resources */

static const BotoResourceEntry *
find_has (BotoResource *self,
          const char   *name,
          gboolean      reference)
{
  BotoResourcePrivate *priv = boto_resource_get_instance_private (self);

  for (guint pass = 0; pass < 3; pass++)
    for (guint i = 0; i < priv->type->has->len; i++)
      {
        const BotoResourceEntry *entry = &g_array_index (priv->type->has, BotoResourceEntry, i);
        g_autofree char *snake = NULL;

        if (entry->needs_data != reference)
          continue;
        if (pass == 0 && strcmp (entry->name, name) == 0)
          return entry;
        if (pass == 1 && strcmp (entry->model_name, name) == 0)
          return entry;
        if (pass == 2)
          {
            snake = boto_xform_name (entry->model_name);
            if (strcmp (snake, name) == 0)
              return entry;
          }
      }
  return NULL;
}

/**
 * boto_resource_get_reference_list:
 * @self: a resource
 * @name: a reference, such as `vpc`
 * @cancellable: (nullable): a #GCancellable, for the load it may need
 * @error: return location for a #GError
 *
 * As [method@Boto.Resource.get_reference], for references that the model
 * makes a list of.
 *
 * Returns: (transfer container) (element-type BotoResource): the resources (none
 *   when the data does not have their identifiers), or %NULL with @error set
 *
 * Since: 1.0
 */
GPtrArray *
boto_resource_get_reference_list (BotoResource  *self,
                                  const char    *name,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  BotoResourcePrivate *priv;
  const BotoResourceEntry *entry;
  g_autoptr(GVariant) resource = NULL;
  GPtrArray *resources = NULL;
  gboolean is_list = FALSE;

  g_return_val_if_fail (BOTO_IS_RESOURCE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_bound (self, error))
    return NULL;
  priv = boto_resource_get_instance_private (self);
  entry = find_has (self, name, TRUE);
  if (entry == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_RESOURCE,
                   "%s has no reference “%s”", priv->type->name, name);
      return NULL;
    }
  if (!check_identifiers (self, error))
    return NULL;
  if (boto_resource_get_data (self) == NULL && boto_resource_has_load (self) &&
      !boto_resource_load (self, cancellable, error))
    return NULL;

  resource = boto_res_lookup (entry->def, "resource");
  if (!boto_resource_handle_response (self, resource, NULL, boto_resource_get_data (self),
                                      &resources, &is_list, cancellable, error))
    return NULL;
  return resources != NULL ? resources : g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * boto_resource_get_reference:
 * @self: a resource
 * @name: a reference, such as `vpc` of an EC2 instance
 * @cancellable: (nullable): a #GCancellable, for the load it may need
 * @error: return location for a #GError
 *
 * Follows a reference: a related resource whose identifiers come from this
 * resource's data (loaded first if needed), as boto3's `instance.vpc`.
 *
 * Returns: (transfer full) (nullable): the resource, or %NULL when the data
 *   does not have its identifiers (then @error is not set) or on error
 *
 * Since: 1.0
 */
BotoResource *
boto_resource_get_reference (BotoResource  *self,
                             const char    *name,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autoptr(GPtrArray) resources = NULL;

  resources = boto_resource_get_reference_list (self, name, cancellable, error);
  if (resources == NULL || resources->len == 0)
    return NULL;
  return g_object_ref (resources->pdata[0]);
}

/**
 * boto_resource_get_sub_resource:
 * @self: a resource
 * @name: a sub-resource, such as `Object` of a bucket or `Bucket` of the S3
 *   service resource
 * @identifiers: (nullable): the identifiers the caller gives: a string when
 *   there is one, `as`/`av` in order, or `a{sv}` by name; %NULL when none
 *   are needed; a floating reference is consumed
 * @error: return location for a #GError
 *
 * Makes a sub-resource, as boto3's `bucket.Object('key')`: its other
 * identifiers come from this resource. Nothing is sent.
 *
 * Returns: (transfer full): the resource, or %NULL with @error set
 *   (%BOTO_CLIENT_ERROR_UNKNOWN_RESOURCE, %BOTO_CLIENT_ERROR_INVALID_IDENTIFIERS)
 *
 * Since: 1.0
 */
BotoResource *
boto_resource_get_sub_resource (BotoResource  *self,
                                const char    *name,
                                GVariant      *identifiers,
                                GError       **error)
{
  BotoResourcePrivate *priv;
  const BotoResourceEntry *entry;
  g_autoptr(GVariant) ids = NULL;
  g_autoptr(GVariant) resource = NULL;
  g_autoptr(GVariant) id_defs = NULL;
  BotoResourceType *type;
  GVariant *values[BOTO_RESOURCE_MAX_IDENTIFIERS] = { NULL, };
  int slots[BOTO_RESOURCE_MAX_IDENTIFIERS];
  guint n_inputs = 0;
  BotoResource *result = NULL;
  gsize n;

  g_return_val_if_fail (BOTO_IS_RESOURCE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (identifiers != NULL)
    ids = g_variant_ref_sink (identifiers);
  if (!check_bound (self, error))
    return NULL;
  priv = boto_resource_get_instance_private (self);

  entry = find_has (self, name, FALSE);
  if (entry == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_RESOURCE,
                   "%s has no sub-resource “%s”", priv->type->name, name);
      return NULL;
    }

  resource = boto_res_lookup (entry->def, "resource");
  type = boto_resource_context_lookup_type (priv->type->context,
                                            boto_res_string (resource, "type"), error);
  if (type == NULL)
    return NULL;

  id_defs = boto_res_lookup (resource, "identifiers");
  n = id_defs != NULL && g_variant_is_of_type (id_defs, G_VARIANT_TYPE ("av")) ?
      g_variant_n_children (id_defs) : 0;
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (id_defs, i);
      g_autoptr(GVariant) def = g_variant_get_variant (boxed);
      const char *source = boto_res_string (def, "source");
      const char *target = boto_res_string (def, "target");
      int slot = target != NULL ? boto_resource_type_find_identifier (type, target) : -1;

      if (slot < 0)
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                       "%s has no identifier %s", type->name, target ? target : "(none)");
          goto out;
        }
      if (g_strcmp0 (source, "input") == 0)
        slots[n_inputs++] = slot;
      else if (g_strcmp0 (source, "identifier") == 0)
        {
          int parent_slot = boto_resource_type_find_identifier (priv->type,
                                                                boto_res_string (def, "name"));

          if (parent_slot < 0 || priv->ids[parent_slot] == NULL)
            {
              g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_IDENTIFIERS,
                           "The identifiers of this %s are not set", priv->type->name);
              goto out;
            }
          values[slot] = g_variant_ref (priv->ids[parent_slot]);
        }
      else
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                       "Unsupported sub-resource identifier source “%s”", source ? source : "(none)");
          goto out;
        }
    }

  if (!collect_input_identifiers (type, ids, slots, n_inputs, values, error))
    goto out;

  result = boto_resource_create (type, priv->client, values, NULL);

out:
  for (guint i = 0; i < BOTO_RESOURCE_MAX_IDENTIFIERS; i++)
    g_clear_pointer (&values[i], g_variant_unref);
  return result;
}

/**
 * boto_service_resource_get_sub_resource:
 * @self: a service resource
 * @resource_name: a resource type, such as `Bucket`
 * @identifiers: (nullable): its identifiers: a string when there is one,
 *   `as`/`av` in the model's order, or `a{sv}` by name; a floating
 *   reference is consumed
 * @error: return location for a #GError
 *
 * Makes a resource from its identifiers, as boto3's `s3.Bucket('name')` or
 * `s3.Object('bucket', 'key')`. Nothing is sent.
 *
 * Returns: (transfer full): the resource, or %NULL with @error set
 *
 * Since: 1.0
 */
BotoResource *
boto_service_resource_get_sub_resource (BotoServiceResource  *self,
                                        const char           *resource_name,
                                        GVariant             *identifiers,
                                        GError              **error)
{
  g_return_val_if_fail (BOTO_IS_SERVICE_RESOURCE (self), NULL);

  return boto_resource_get_sub_resource (BOTO_RESOURCE (self), resource_name, identifiers, error);
}

/**
 * boto_service_resource_dup_resource_names:
 * @self: a service resource
 *
 * Lists the resource types of the service.
 *
 * Returns: (transfer full): the names of every resource type of the service
 *
 * Since: 1.0
 */
GStrv
boto_service_resource_dup_resource_names (BotoServiceResource *self)
{
  BotoResourceType *type;
  GStrvBuilder *builder;
  GVariantIter iter;
  const char *key;
  GVariant *value;
  GStrv result;

  g_return_val_if_fail (BOTO_IS_SERVICE_RESOURCE (self), NULL);

  type = boto_resource_get_type_info (BOTO_RESOURCE (self));
  builder = g_strv_builder_new ();
  if (type != NULL)
    {
      g_variant_iter_init (&iter, type->context->resources);
      while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
        {
          g_strv_builder_add (builder, key);
          g_variant_unref (value);
        }
    }
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

/**
 * boto_resource_get_collection:
 * @self: a resource
 * @name: a collection, such as `objects` of a bucket or `buckets` of the S3
 *   service resource
 * @error: return location for a #GError
 *
 * Returns the collection: nothing is sent until it is iterated.
 *
 * Returns: (transfer full): the collection, or %NULL with @error set
 *
 * Since: 1.0
 */
BotoCollection *
boto_resource_get_collection (BotoResource  *self,
                              const char    *name,
                              GError       **error)
{
  BotoResourcePrivate *priv;
  const BotoResourceEntry *entry;

  g_return_val_if_fail (BOTO_IS_RESOURCE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_bound (self, error))
    return NULL;
  priv = boto_resource_get_instance_private (self);
  entry = boto_resource_type_find_entry (priv->type->has_many, name);
  if (entry == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_RESOURCE,
                   "%s has no collection “%s”", priv->type->name, name);
      return NULL;
    }
  return boto_collection_new_internal (self, entry);
}

/* Equality */

/**
 * boto_resource_equal:
 * @a: a resource
 * @b: another resource
 *
 * Compares two resources as boto3 does: the same type and equal
 * identifiers. Their data is not compared.
 *
 * Returns: whether @a and @b are the same resource
 *
 * Since: 1.0
 */
gboolean
boto_resource_equal (BotoResource *a,
                     BotoResource *b)
{
  BotoResourcePrivate *pa;
  BotoResourcePrivate *pb;

  g_return_val_if_fail (BOTO_IS_RESOURCE (a), FALSE);
  g_return_val_if_fail (BOTO_IS_RESOURCE (b), FALSE);

  if (a == b)
    return TRUE;
  pa = boto_resource_get_instance_private (a);
  pb = boto_resource_get_instance_private (b);
  if (pa->type == NULL || pb->type == NULL)
    return FALSE;
  if (strcmp (pa->type->context->service_name, pb->type->context->service_name) != 0 ||
      strcmp (pa->type->name, pb->type->name) != 0 || pa->type->is_service != pb->type->is_service)
    return FALSE;
  for (guint i = 0; i < pa->type->n_identifiers; i++)
    {
      if ((pa->ids[i] == NULL) != (pb->ids[i] == NULL))
        return FALSE;
      if (pa->ids[i] != NULL && !g_variant_equal (pa->ids[i], pb->ids[i]))
        return FALSE;
    }
  return TRUE;
}

/**
 * boto_resource_hash:
 * @self: a resource
 *
 * A hash consistent with [method@Boto.Resource.equal], for #GHashTable.
 *
 * Returns: the hash
 *
 * Since: 1.0
 */
guint
boto_resource_hash (BotoResource *self)
{
  BotoResourcePrivate *priv;
  guint hash;

  g_return_val_if_fail (BOTO_IS_RESOURCE (self), 0);

  priv = boto_resource_get_instance_private (self);
  if (priv->type == NULL)
    return g_direct_hash (self);
  hash = g_str_hash (priv->type->name);
  for (guint i = 0; i < priv->type->n_identifiers; i++)
    if (priv->ids[i] != NULL && g_variant_type_is_basic (g_variant_get_type (priv->ids[i])))
      hash = hash * 31 + g_variant_hash (priv->ids[i]);
  return hash;
}

/**
 * boto_resource_to_string:
 * @self: a resource
 *
 * Describes the resource by its type and identifiers, as boto3's `repr()`
 * does.
 *
 * Returns: (transfer full): a description as boto3 prints a resource, such
 *   as `s3.Bucket(name='photos')`
 *
 * Since: 1.0
 */
char *
boto_resource_to_string (BotoResource *self)
{
  BotoResourcePrivate *priv;
  GString *out;

  g_return_val_if_fail (BOTO_IS_RESOURCE (self), NULL);

  priv = boto_resource_get_instance_private (self);
  out = g_string_new (NULL);
  if (priv->type == NULL)
    return g_string_free (g_string_append (out, "(unbound resource)"), FALSE);
  g_string_append_printf (out, "%s.%s(", priv->type->context->service_name,
                          priv->type->is_service ? "ServiceResource" : priv->type->name);
  for (guint i = 0; i < priv->type->n_identifiers; i++)
    {
      g_autofree char *value = priv->ids[i] != NULL ? g_variant_print (priv->ids[i], FALSE) : g_strdup ("None");

      g_string_append_printf (out, "%s%s=%s", i > 0 ? ", " : "", priv->type->identifier_names[i], value);
    }
  g_string_append_c (out, ')');
  return g_string_free (out, FALSE);
}

/* S3 transfers (boto3's s3/inject.py, simple: one PutObject or GetObject) */

static gboolean
s3_bucket_and_key (BotoResource  *self,
                   const char    *key,
                   const char   **out_bucket,
                   const char   **out_key,
                   GError       **error)
{
  BotoResourcePrivate *priv = boto_resource_get_instance_private (self);

  if (!check_identifiers (self, error))
    return FALSE;
  if (strcmp (priv->type->context->service_name, "s3") != 0 ||
      (strcmp (priv->type->name, "Bucket") != 0 && strcmp (priv->type->name, "Object") != 0 &&
       strcmp (priv->type->name, "ObjectSummary") != 0))
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_RESOURCE,
                   "%s has no file transfer methods", priv->type->name);
      return FALSE;
    }
  *out_bucket = g_variant_get_string (priv->ids[0], NULL);
  if (strcmp (priv->type->name, "Bucket") == 0)
    {
      if (key == NULL)
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                       "A bucket's file transfer needs a key");
          return FALSE;
        }
      *out_key = key;
    }
  else
    *out_key = g_variant_get_string (priv->ids[1], NULL);
  return TRUE;
}

/**
 * boto_resource_upload_file:
 * @self: an S3 `Bucket`, `Object` or `ObjectSummary`
 * @filename: the local file to upload
 * @key: (nullable): the key, for a bucket; %NULL for an object
 * @extra_args: (nullable): more `PutObject` parameters, `a{sv}`; a floating
 *   reference is consumed
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Uploads a file (boto3's `upload_file`): [method@Boto.Client.upload_file]
 * with the resource's bucket and key (multipart from 8 MiB).
 *
 * Returns: %TRUE on success
 *
 * Since: 1.0
 */
gboolean
boto_resource_upload_file (BotoResource  *self,
                           const char    *filename,
                           const char    *key,
                           GVariant      *extra_args,
                           GCancellable  *cancellable,
                           GError       **error)
{
  BotoResourcePrivate *priv;
  g_autoptr(GVariant) extra = extra_args != NULL ? g_variant_ref_sink (extra_args) : NULL;
  const char *bucket;
  const char *object_key;

  g_return_val_if_fail (BOTO_IS_RESOURCE (self), FALSE);
  g_return_val_if_fail (filename != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!s3_bucket_and_key (self, key, &bucket, &object_key, error))
    return FALSE;
  priv = boto_resource_get_instance_private (self);
  return boto_client_upload_file (priv->client, filename, bucket, object_key, extra,
                                  cancellable, error);
}

/**
 * boto_resource_download_file:
 * @self: an S3 `Bucket`, `Object` or `ObjectSummary`
 * @key: (nullable): the key, for a bucket; %NULL for an object
 * @filename: the local file to write
 * @extra_args: (nullable): more `GetObject` parameters, `a{sv}`; a floating
 *   reference is consumed
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Downloads an object to a file (boto3's `download_file`):
 * [method@Boto.Client.download_file] with the resource's bucket and key
 * (streamed, the file replaced only once complete).
 *
 * Returns: %TRUE on success
 *
 * Since: 1.0
 */
gboolean
boto_resource_download_file (BotoResource  *self,
                             const char    *key,
                             const char    *filename,
                             GVariant      *extra_args,
                             GCancellable  *cancellable,
                             GError       **error)
{
  BotoResourcePrivate *priv;
  g_autoptr(GVariant) extra = extra_args != NULL ? g_variant_ref_sink (extra_args) : NULL;
  const char *bucket;
  const char *object_key;

  g_return_val_if_fail (BOTO_IS_RESOURCE (self), FALSE);
  g_return_val_if_fail (filename != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!s3_bucket_and_key (self, key, &bucket, &object_key, error))
    return FALSE;
  priv = boto_resource_get_instance_private (self);

  return boto_client_download_file (priv->client, bucket, object_key, filename, extra,
                                    cancellable, error);
}
