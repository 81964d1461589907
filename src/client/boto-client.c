/* boto-client.c: the low-level, model-driven service client
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <libsoup/soup.h>

#include "boto-client.h"
#include "boto-client-private.h"
#include "boto-model-loader-private.h"
#include "boto-paginator-private.h"
#include "boto-waiter-private.h"
#include "boto-error.h"
#include "boto-error-private.h"
#include "boto-version.h"
#include "boto-operation-model.h"
#include "boto-shape.h"
#include "boto-endpoint-resolver-private.h"
#include "boto-http-request-private.h"
#include "boto-protocol-parser-private.h"
#include "boto-protocol-rpcv2-cbor-private.h"
#include "boto-protocol-serializer-private.h"
#include "boto-sigv4-private.h"

/**
 * BotoClient:
 *
 * A low-level client of one AWS service, as botocore's: every operation of
 * the service model is reachable through [method@Boto.Client.call] (blocking)
 * and [method@Boto.Client.call_async] with parameters and results as `a{sv}`
 * dictionaries, field for field as in boto3.
 *
 * A call validates the parameters, resolves the endpoint with the service's
 * endpoint rule set, serializes the request, signs it with Signature
 * Version 4, sends it with libsoup, retries as botocore's `standard` retry
 * mode does, and parses the response. Errors returned by the service come
 * back as %BOTO_SERVICE_ERROR; [method@Boto.Client.call_full] returns the
 * error dictionary instead, for language bindings.
 *
 * The client resolves its configuration once, when created, and holds one
 * `SoupSession`.
 *
 * Thread safety: a client is immutable after construction except for a
 * mutex-guarded signer cache and retry quota, so one client can be shared
 * between threads. Blocking calls may be made from any thread at the same
 * time. An asynchronous call may be started from any thread that has a
 * thread-default main context; its callback runs in that context.
 *
 * Since: 1.0
 */

#define RETRY_QUOTA_CAPACITY      500
#define RETRY_COST                14
#define RETRY_COST_THROTTLING     5
#define RETRY_NO_RETRY_INCREMENT  1
#define MAX_BACKOFF_USEC          (20 * G_USEC_PER_SEC)

struct _BotoClient
{
  GObject              parent_instance;

  BotoSession         *session;
  char                *service_name;
  BotoServiceModel    *model;
  char                *protocol;
  GVariant            *config;
  char                *region_name;
  char                *endpoint_url;
  guint                max_attempts;
  BotoEndpointRuleSet *rule_set;
  GVariant            *builtins;
  SoupSession         *soup;
  GHashTable          *operation_names;  /* snake_case → model name */

  GMutex               lock;
  GHashTable          *signers;          /* "name\nregion" → BotoSigV4Signer */
  int                  retry_quota;
  GVariant            *paginators;       /* paginators-1 `pagination`, a{sv}; loaded on first use */
  GVariant            *waiters;          /* waiters-2 `waiters`, a{sv}; loaded on first use */
  GError              *waiters_error;    /* why the waiter model could not be used */

  BotoClientBackoffFunc backoff_func;
  gpointer              backoff_data;
};

G_DEFINE_FINAL_TYPE (BotoClient, boto_client, G_TYPE_OBJECT)

static void
boto_client_finalize (GObject *object)
{
  BotoClient *self = BOTO_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->service_name, g_free);
  g_clear_object (&self->model);
  g_clear_pointer (&self->protocol, g_free);
  g_clear_pointer (&self->config, g_variant_unref);
  g_clear_pointer (&self->region_name, g_free);
  g_clear_pointer (&self->endpoint_url, g_free);
  g_clear_pointer (&self->rule_set, boto_endpoint_rule_set_unref);
  g_clear_pointer (&self->builtins, g_variant_unref);
  g_clear_object (&self->soup);
  g_clear_pointer (&self->operation_names, g_hash_table_unref);
  g_clear_pointer (&self->signers, g_hash_table_unref);
  g_clear_pointer (&self->paginators, g_variant_unref);
  g_clear_pointer (&self->waiters, g_variant_unref);
  g_clear_error (&self->waiters_error);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (boto_client_parent_class)->finalize (object);
}

static void
boto_client_class_init (BotoClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = boto_client_finalize;
}

static void
boto_client_init (BotoClient *self)
{
  g_mutex_init (&self->lock);
  self->signers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) boto_sigv4_signer_unref);
  self->retry_quota = RETRY_QUOTA_CAPACITY;
}

/* Names */

char *
boto_client_xform_name (const char *name)
{
  GString *out = g_string_new (NULL);
  gsize len = strlen (name);

  /* botocore's two regular expressions: `(.)([A-Z][a-z]+)` and
   * `([a-z0-9])([A-Z])`, each inserting an underscore. */
  for (gsize i = 0; i < len; i++)
    {
      char c = name[i];

      if (i > 0 && g_ascii_isupper (c) && out->len > 0 && out->str[out->len - 1] != '_')
        {
          char prev = name[i - 1];
          gboolean next_lower = i + 1 < len && g_ascii_islower (name[i + 1]);

          if (g_ascii_islower (prev) || g_ascii_isdigit (prev) || next_lower)
            g_string_append_c (out, '_');
        }
      g_string_append_c (out, g_ascii_tolower (c));
    }
  return g_string_free (out, FALSE);
}

/* The protocol boto3 would use (the model's choice by botocore's order of
 * preference), if this client speaks it. */
static const char *
supported_protocol (BotoServiceModel *model)
{
  static const char *const known[] = {
    "json", "rest-json", "rest-xml", "smithy-rpc-v2-cbor", "query", "ec2",
  };
  const char *protocol = boto_service_model_get_protocol (model);

  for (guint j = 0; j < G_N_ELEMENTS (known); j++)
    if (g_strcmp0 (protocol, known[j]) == 0)
      return known[j];
  return NULL;
}

static gboolean
lookup_flag (GVariant   *dict,
             const char *key,
             gboolean    fallback)
{
  gboolean value;

  if (dict != NULL && g_variant_lookup (dict, key, "b", &value))
    return value;
  return fallback;
}

static double
lookup_number (GVariant   *dict,
               const char *key,
               double      fallback)
{
  g_autoptr(GVariant) value = g_variant_lookup_value (dict, key, NULL);

  if (value == NULL)
    return fallback;
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    return g_variant_get_double (value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    return (double) g_variant_get_int64 (value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT32))
    return g_variant_get_int32 (value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
    return g_variant_get_uint32 (value);
  return fallback;
}

/* The endpoint builtins, as botocore's compute_endpoint_resolver_builtin_defaults. */
static GVariant *
compute_builtins (BotoClient *self)
{
  g_autoptr(GVariant) s3 = g_variant_lookup_value (self->config, "s3", G_VARIANT_TYPE_VARDICT);
  const char *addressing = NULL;
  const char *us_east_1 = NULL;
  gboolean accelerate = lookup_flag (s3, "use_accelerate_endpoint", FALSE);
  gboolean force_path;
  gboolean given = self->endpoint_url != NULL;
  GVariantBuilder builder;

  if (s3 != NULL)
    {
      g_variant_lookup (s3, "addressing_style", "&s", &addressing);
      g_variant_lookup (s3, "us_east_1_regional_endpoint", "&s", &us_east_1);
    }

  if (accelerate)
    force_path = FALSE;
  else if (given && strstr (self->endpoint_url, "s3-accelerate") == NULL)
    force_path = g_strcmp0 (addressing, "virtual") != 0;
  else
    force_path = g_strcmp0 (addressing, "path") == 0;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  if (self->region_name != NULL)
    g_variant_builder_add (&builder, "{sv}", "AWS::Region", g_variant_new_string (self->region_name));
  if (given)
    g_variant_builder_add (&builder, "{sv}", "SDK::Endpoint", g_variant_new_string (self->endpoint_url));
  g_variant_builder_add (&builder, "{sv}", "AWS::UseFIPS",
                         g_variant_new_boolean (!given && lookup_flag (self->config, "use_fips_endpoint", FALSE)));
  g_variant_builder_add (&builder, "{sv}", "AWS::UseDualStack",
                         g_variant_new_boolean (!given && lookup_flag (self->config, "use_dualstack_endpoint", FALSE)));
  g_variant_builder_add (&builder, "{sv}", "AWS::STS::UseGlobalEndpoint", g_variant_new_boolean (FALSE));
  g_variant_builder_add (&builder, "{sv}", "AWS::S3::UseGlobalEndpoint",
                         g_variant_new_boolean ((self->region_name == NULL ||
                                                 strcmp (self->region_name, "us-east-1") == 0) &&
                                                (us_east_1 == NULL || strcmp (us_east_1, "legacy") == 0)));
  g_variant_builder_add (&builder, "{sv}", "AWS::S3::Accelerate", g_variant_new_boolean (accelerate));
  g_variant_builder_add (&builder, "{sv}", "AWS::S3::ForcePathStyle", g_variant_new_boolean (force_path));
  g_variant_builder_add (&builder, "{sv}", "AWS::S3::UseArnRegion",
                         g_variant_new_boolean (lookup_flag (s3, "use_arn_region", TRUE)));
  g_variant_builder_add (&builder, "{sv}", "AWS::S3Control::UseArnRegion",
                         g_variant_new_boolean (lookup_flag (s3, "use_arn_region", FALSE)));
  g_variant_builder_add (&builder, "{sv}", "AWS::S3::DisableMultiRegionAccessPoints",
                         g_variant_new_boolean (lookup_flag (s3, "disable_multiregion_access_points", FALSE)));
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

/**
 * boto_client_new:
 * @session: the session that provides region, credentials and configuration
 * @service_name: the service, such as `s3` or `ec2`
 * @endpoint_url: (nullable): an explicit endpoint such as
 *   `http://127.0.0.1:5000`; %NULL for the configured or resolved one
 * @config: (nullable): client options (see [struct@Boto.Config])
 * @error: return location for a #GError
 *
 * Creates a client for @service_name. The configuration is resolved once
 * (see [method@Boto.Session.resolve_client_config]), the service model and
 * its endpoint rule set are loaded, and a `SoupSession` is set up with the
 * configured pool size and timeouts.
 *
 * Returns: (transfer full): the client, or %NULL with @error set
 *
 * Since: 1.0
 */
BotoClient *
boto_client_new (BotoSession  *session,
                 const char   *service_name,
                 const char   *endpoint_url,
                 BotoConfig   *config,
                 GError      **error)
{
  g_autoptr(BotoClient) self = NULL;
  g_autoptr(GVariant) retries = NULL;
  g_auto(GStrv) names = NULL;
  const char *protocol;
  double read_timeout;
  double connect_timeout;
  double pool;
  double attempts;

  g_return_val_if_fail (BOTO_IS_SESSION (session), NULL);
  g_return_val_if_fail (service_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (BOTO_TYPE_CLIENT, NULL);
  self->session = g_object_ref (session);
  self->service_name = g_strdup (service_name);

  self->model = boto_service_model_load (service_name, error);
  if (self->model == NULL)
    return NULL;
  protocol = supported_protocol (self->model);
  self->protocol = g_strdup (protocol);

  self->config = boto_session_resolve_client_config (session, service_name, endpoint_url, config, error);
  if (self->config == NULL)
    return NULL;
  g_variant_lookup (self->config, "region_name", "s", &self->region_name);
  g_variant_lookup (self->config, "endpoint_url", "s", &self->endpoint_url);

  retries = g_variant_lookup_value (self->config, "retries", G_VARIANT_TYPE_VARDICT);
  attempts = retries != NULL ? lookup_number (retries, "total_max_attempts", 3) : 3;
  self->max_attempts = (guint) CLAMP (attempts, 1, 100);

  self->rule_set = boto_endpoint_rule_set_get_for_service (service_name, error);
  if (self->rule_set == NULL)
    return NULL;
  self->builtins = compute_builtins (self);

  read_timeout = lookup_number (self->config, "read_timeout", 60);
  connect_timeout = lookup_number (self->config, "connect_timeout", 60);
  pool = lookup_number (self->config, "max_pool_connections", 10);
  /* libsoup 3.2 has one I/O timeout, which also bounds connecting. */
  self->soup = soup_session_new_with_options ("max-conns", (int) CLAMP (pool, 1, 10000),
                                              "max-conns-per-host", (int) CLAMP (pool, 1, 10000),
                                              "timeout", (guint) ceil (MAX (MAX (read_timeout, connect_timeout), 1)),
                                              "user-agent", "boto-glib/" BOTO_VERSION_S,
                                              NULL);
  /* botocore hands bodies over as sent (no transparent decoding). */
  soup_session_remove_feature_by_type (self->soup, SOUP_TYPE_CONTENT_DECODER);

  self->operation_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  names = boto_service_model_get_operation_names (self->model);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    g_hash_table_insert (self->operation_names, boto_client_xform_name (names[i]), g_strdup (names[i]));

  return g_steal_pointer (&self);
}

/**
 * boto_session_create_client:
 * @session: a session
 * @service_name: the service, such as `s3` or `ec2`
 * @endpoint_url: (nullable): an explicit endpoint URL
 * @config: (nullable): client options
 * @error: return location for a #GError
 *
 * Creates a client for @service_name, as boto3's `Session.client()`. The
 * same as [ctor@Boto.Client.new].
 *
 * Returns: (transfer full): the client, or %NULL with @error set
 *
 * Since: 1.0
 */
BotoClient *
boto_session_create_client (BotoSession  *session,
                            const char   *service_name,
                            const char   *endpoint_url,
                            BotoConfig   *config,
                            GError      **error)
{
  return boto_client_new (session, service_name, endpoint_url, config, error);
}

/**
 * boto_client_get_service_name:
 * @self: a client
 *
 * Returns: the service name, such as `s3`
 *
 * Since: 1.0
 */
const char *
boto_client_get_service_name (BotoClient *self)
{
  g_return_val_if_fail (BOTO_IS_CLIENT (self), NULL);
  return self->service_name;
}

/**
 * boto_client_get_region_name:
 * @self: a client
 *
 * Returns: (nullable): the region the client was configured with
 *
 * Since: 1.0
 */
const char *
boto_client_get_region_name (BotoClient *self)
{
  g_return_val_if_fail (BOTO_IS_CLIENT (self), NULL);
  return self->region_name;
}

/**
 * boto_client_get_endpoint_url:
 * @self: a client
 *
 * Returns: (nullable): the explicit or configured endpoint URL; %NULL when
 *   every call resolves its endpoint from the rule set alone
 *
 * Since: 1.0
 */
const char *
boto_client_get_endpoint_url (BotoClient *self)
{
  g_return_val_if_fail (BOTO_IS_CLIENT (self), NULL);
  return self->endpoint_url;
}

/**
 * boto_client_get_service_model:
 * @self: a client
 *
 * Returns: (transfer none): the service model
 *
 * Since: 1.0
 */
BotoServiceModel *
boto_client_get_service_model (BotoClient *self)
{
  g_return_val_if_fail (BOTO_IS_CLIENT (self), NULL);
  return self->model;
}

/**
 * boto_client_get_config:
 * @self: a client
 *
 * Returns: (transfer none): the resolved client configuration, `a{sv}` as
 *   [method@Boto.Session.resolve_client_config] returns it
 *
 * Since: 1.0
 */
GVariant *
boto_client_get_config (BotoClient *self)
{
  g_return_val_if_fail (BOTO_IS_CLIENT (self), NULL);
  return self->config;
}

/* For g_ptr_array_sort(), which passes pointers to the elements. */
static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * boto_client_dup_operation_names:
 * @self: a client
 *
 * Returns: (transfer full): the operation names in boto3's snake case
 *   (`list_objects_v2`), sorted
 *
 * Since: 1.0
 */
GStrv
boto_client_dup_operation_names (BotoClient *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (BOTO_IS_CLIENT (self), NULL);

  g_hash_table_iter_init (&iter, self->operation_names);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (names, g_strdup (key));
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

void
boto_client_set_backoff_func_for_testing (BotoClient            *self,
                                          BotoClientBackoffFunc  func,
                                          gpointer               user_data)
{
  g_return_if_fail (BOTO_IS_CLIENT (self));
  self->backoff_func = func;
  self->backoff_data = user_data;
}

/* One call */

typedef struct
{
  BotoClient         *client;
  BotoOperationModel *op;
  BotoHttpRequest    *request;   /* serialized, not signed */
  BotoSigV4Signer    *signer;    /* NULL: unsigned */
  GCancellable       *cancellable;
  guint               attempt;   /* attempts made */
  int                 quota_held;

  /* The outcome */
  GVariant           *response;
  gboolean            is_error;
  GError             *error;
} CallState;

static void
call_state_free (CallState *st)
{
  g_clear_object (&st->client);
  g_clear_object (&st->op);
  g_clear_pointer (&st->request, boto_http_request_unref);
  g_clear_pointer (&st->signer, boto_sigv4_signer_unref);
  g_clear_object (&st->cancellable);
  g_clear_pointer (&st->response, g_variant_unref);
  g_clear_error (&st->error);
  g_free (st);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CallState, call_state_free)

static GVariant *
unwrap (GVariant *value)
{
  while (g_variant_is_of_type (value, G_VARIANT_TYPE_VARIANT))
    {
      GVariant *inner = g_variant_get_variant (value);

      g_variant_unref (value);
      value = inner;
    }
  return value;
}

/* Static context params, then contextParam members of the input (botocore's
 * precedence: static › dynamic). */
static GVariant *
build_context (BotoOperationModel *op,
               GVariant           *params)
{
  GVariant *definition = boto_operation_model_get_definition (op);
  g_autoptr(GVariant) statics = g_variant_lookup_value (definition, "staticContextParams", NULL);
  BotoShape *input = boto_operation_model_get_input_shape (op);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  if (statics != NULL && g_variant_is_of_type (statics, G_VARIANT_TYPE_VARDICT))
    {
      GVariantIter iter;
      const char *name;
      GVariant *entry;

      g_variant_iter_init (&iter, statics);
      while (g_variant_iter_next (&iter, "{&sv}", &name, &entry))
        {
          g_autoptr(GVariant) dict = unwrap (entry);
          g_autoptr(GVariant) value = g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT)
                                      ? g_variant_lookup_value (dict, "value", NULL) : NULL;

          if (value != NULL)
            {
              value = unwrap (g_steal_pointer (&value));
              g_variant_builder_add (&builder, "{sv}", name, value);
              g_hash_table_add (seen, g_strdup (name));
            }
        }
    }

  if (input != NULL && params != NULL)
    {
      g_auto(GStrv) members = boto_shape_get_member_names (input);

      for (guint i = 0; members != NULL && members[i] != NULL; i++)
        {
          BotoShape *member = boto_shape_get_member (input, members[i]);
          g_autoptr(GVariant) trait = boto_shape_dup_trait (member, "contextParam");
          g_autoptr(GVariant) value = NULL;
          const char *name = NULL;

          if (trait == NULL || !g_variant_is_of_type (trait, G_VARIANT_TYPE_VARDICT) ||
              !g_variant_lookup (trait, "name", "&s", &name) || g_hash_table_contains (seen, name))
            continue;
          value = g_variant_lookup_value (params, members[i], NULL);
          if (value == NULL)
            continue;
          value = unwrap (g_steal_pointer (&value));
          if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) ||
              g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
            {
              g_variant_builder_add (&builder, "{sv}", name, value);
              g_hash_table_add (seen, g_strdup (name));
            }
        }
    }
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

/* The first auth scheme we can use: sigv4 (name, region) or none. */
static gboolean
pick_auth_scheme (BotoEndpoint  *endpoint,
                  gboolean      *out_none,
                  char         **out_name,
                  char         **out_region)
{
  GVariant *properties = boto_endpoint_get_properties (endpoint);
  g_autoptr(GVariant) schemes = properties != NULL
                                ? g_variant_lookup_value (properties, "authSchemes", NULL) : NULL;
  gboolean saw_none = FALSE;
  GVariantIter iter;
  GVariant *child;

  *out_none = FALSE;
  if (schemes == NULL)
    return FALSE;
  schemes = unwrap (g_steal_pointer (&schemes));
  if (!g_variant_is_container (schemes))
    return FALSE;

  g_variant_iter_init (&iter, schemes);
  while ((child = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_autoptr(GVariant) scheme = unwrap (child);
      const char *name = NULL;

      if (!g_variant_is_of_type (scheme, G_VARIANT_TYPE_VARDICT) ||
          !g_variant_lookup (scheme, "name", "&s", &name))
        continue;
      if (strcmp (name, "sigv4") == 0)
        {
          g_variant_lookup (scheme, "signingName", "s", out_name);
          g_variant_lookup (scheme, "signingRegion", "s", out_region);
          return TRUE;
        }
      if (strcmp (name, "none") == 0)
        saw_none = TRUE;
    }
  *out_none = saw_none;
  return FALSE;
}

static gboolean
operation_is_unsigned (BotoClient         *client,
                       BotoOperationModel *op)
{
  GVariant *definition = boto_operation_model_get_definition (op);
  const char *authtype = NULL;
  g_autoptr(GVariant) auth = g_variant_lookup_value (definition, "auth", G_VARIANT_TYPE_STRING_ARRAY);

  if (g_strcmp0 (boto_service_model_get_signature_version (client->model), "unsigned") == 0)
    return TRUE;
  if (g_variant_lookup (definition, "authtype", "&s", &authtype) && strcmp (authtype, "none") == 0)
    return TRUE;
  if (auth != NULL && g_variant_n_children (auth) > 0)
    {
      const char *first;

      g_variant_get_child (auth, 0, "&s", &first);
      return strcmp (first, "smithy.api#noAuth") == 0;
    }
  return FALSE;
}

static BotoSigV4Signer *
get_signer (BotoClient *self,
            const char *name,
            const char *region)
{
  g_autofree char *key = g_strconcat (name, "\n", region, NULL);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  BotoSigV4Signer *signer = g_hash_table_lookup (self->signers, key);

  if (signer == NULL)
    {
      BotoSigV4Flags flags = strcmp (self->service_name, "s3") == 0
                             ? BOTO_SIGV4_FLAGS_S3 : BOTO_SIGV4_FLAGS_NONE;

      signer = boto_sigv4_signer_new (name, region, flags);
      g_hash_table_insert (self->signers, g_steal_pointer (&key), signer);
    }
  return boto_sigv4_signer_ref (signer);
}

static BotoOperationModel *
lookup_operation (BotoClient  *self,
                  const char  *operation_name,
                  GError     **error)
{
  const char *model_name = operation_name;
  BotoOperationModel *op;

  if (!boto_service_model_has_operation (self->model, operation_name))
    {
      const char *mapped = g_hash_table_lookup (self->operation_names, operation_name);

      if (mapped != NULL)
        model_name = mapped;
    }
  op = boto_service_model_get_operation (self->model, model_name, NULL);
  if (op == NULL)
    g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_OPERATION,
                 "Service “%s” has no operation “%s”", self->service_name, operation_name);
  return op;
}

/* Validate, resolve the endpoint, serialize; pick the signer. Nothing is
 * sent. Takes @params (floating is sunk). */
static CallState *
call_prepare (BotoClient    *self,
              const char    *operation_name,
              GVariant      *params,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(CallState) st = g_new0 (CallState, 1);
  g_autoptr(GVariant) owned = params != NULL ? g_variant_ref_sink (params) : NULL;
  g_autoptr(GVariant) context = NULL;
  g_autoptr(GVariant) endpoint_params = NULL;
  g_autoptr(BotoEndpoint) endpoint = NULL;
  g_autofree char *signing_name = NULL;
  g_autofree char *signing_region = NULL;
  gboolean auth_none = FALSE;
  gboolean have_sigv4;
  BotoSerializeFlags flags = BOTO_SERIALIZE_NONE;
  BotoOperationModel *op;

  st->client = g_object_ref (self);
  st->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;

  op = lookup_operation (self, operation_name, error);
  if (op == NULL)
    return NULL;
  st->op = g_object_ref (op);

  if (self->protocol == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED,
                   "The protocol “%s” of service “%s” is not supported yet",
                   boto_service_model_get_protocol (self->model), self->service_name);
      return NULL;
    }

  if (owned != NULL && !g_variant_is_of_type (owned, G_VARIANT_TYPE_VARDICT))
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                   "Parameter validation failed:\nInvalid type for parameters: %s, expected a{sv}",
                   g_variant_get_type_string (owned));
      return NULL;
    }
  if (!boto_protocol_validate_params (boto_operation_model_get_input_shape (op), owned, error))
    return NULL;

  context = build_context (op, owned);
  endpoint_params = boto_endpoint_rule_set_build_params (self->rule_set, self->builtins, context);
  endpoint = boto_endpoint_rule_set_resolve (self->rule_set, endpoint_params, error);
  if (endpoint == NULL)
    return NULL;

  if (strcmp (self->service_name, "s3") == 0)
    flags |= BOTO_SERIALIZE_STRIP_BUCKET;
  st->request = boto_protocol_serialize_request_full (self->model, op, self->protocol, owned,
                                                     boto_endpoint_get_url (endpoint), flags, error);
  if (st->request == NULL)
    return NULL;

  have_sigv4 = pick_auth_scheme (endpoint, &auth_none, &signing_name, &signing_region);
  if (!operation_is_unsigned (self, op) && (have_sigv4 || !auth_none))
    {
      const char *name = signing_name != NULL ? signing_name
                                              : boto_service_model_get_signing_name (self->model);
      const char *region = signing_region != NULL ? signing_region : self->region_name;

      if (name == NULL)
        name = self->service_name;
      if (region == NULL)
        region = "us-east-1";
      st->signer = get_signer (self, name, region);
    }

  return g_steal_pointer (&st);
}

/* Copy, sign and turn into a SoupMessage for one attempt. */
static SoupMessage *
call_build_message (CallState  *st,
                    GError    **error)
{
  g_autoptr(BotoHttpRequest) request = boto_http_request_copy (st->request);
  g_autoptr(GUri) uri = NULL;
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) message = NULL;
  SoupMessageHeaders *headers;
  GBytes *body;
  const char *method = boto_http_request_get_method (request);

  if (st->signer != NULL)
    {
      g_autoptr(BotoCredentials) credentials = boto_session_get_credentials (st->client->session, error);

      if (credentials == NULL)
        return NULL;
      if (!boto_sigv4_signer_sign (st->signer, request, credentials, NULL, NULL, error))
        return NULL;
    }

  url = boto_http_request_dup_url (request);
  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, error);
  if (uri == NULL)
    return NULL;
  message = soup_message_new_from_uri (method, uri);
  headers = soup_message_get_request_headers (message);
  for (guint i = 0; i < boto_http_request_get_n_headers (request); i++)
    {
      const char *name = boto_http_request_get_header_name (request, i);

      /* libsoup writes Host and Content-Length itself, with the same values. */
      if (g_ascii_strcasecmp (name, "Host") == 0 || g_ascii_strcasecmp (name, "Content-Length") == 0)
        continue;
      soup_message_headers_append (headers, name, boto_http_request_get_header_value (request, i));
    }

  body = boto_http_request_get_body (request);
  if (body != NULL || (strcmp (method, "GET") != 0 && strcmp (method, "HEAD") != 0))
    {
      g_autoptr(GBytes) empty = body == NULL ? g_bytes_new_static ("", 0) : NULL;

      soup_message_set_request_body_from_bytes (message, NULL, body != NULL ? body : empty);
    }
  return g_steal_pointer (&message);
}

static const char *const throttling_codes[] = {
  "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
  "TooManyRequestsException", "ProvisionedThroughputExceededException",
  "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
  "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
  "EC2ThrottledException", NULL,
};

static const char *const transient_codes[] = {
  "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete", NULL,
};

static const char *
response_error_code (GVariant *response)
{
  g_autoptr(GVariant) error = NULL;
  const char *code = NULL;

  if (response == NULL)
    return NULL;
  error = g_variant_lookup_value (response, "Error", G_VARIANT_TYPE_VARDICT);
  if (error != NULL)
    g_variant_lookup (error, "Code", "&s", &code);
  return code;   /* points into @response, which outlives the caller's use */
}

/* botocore's standard mode: is the outcome retryable, is there quota, how
 * long to wait. Returns TRUE to retry after *out_delay µs. */
static gboolean
call_should_retry (CallState *st,
                   guint      status,
                   gint64    *out_delay)
{
  BotoClient *self = st->client;
  gboolean throttling = FALSE;
  gboolean retryable = FALSE;
  gint64 base;
  gint64 cap;
  int cost;

  if (st->error != NULL)
    {
      if (g_error_matches (st->error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          st->error->domain == G_TLS_ERROR ||
          st->error->domain == BOTO_CLIENT_ERROR)
        return FALSE;
      retryable = TRUE;
    }
  else if (st->is_error)
    {
      const char *code = response_error_code (st->response);

      throttling = status == 429 || (code != NULL && g_strv_contains (throttling_codes, code));
      retryable = throttling || status == 500 || status == 502 || status == 503 || status == 504 ||
                  (code != NULL && g_strv_contains (transient_codes, code));
    }
  if (!retryable || st->attempt >= self->max_attempts)
    return FALSE;

  cost = throttling ? RETRY_COST_THROTTLING : RETRY_COST;
  g_mutex_lock (&self->lock);
  if (self->retry_quota < cost)
    {
      g_mutex_unlock (&self->lock);
      return FALSE;
    }
  self->retry_quota -= cost;
  g_mutex_unlock (&self->lock);
  st->quota_held = cost;

  base = throttling ? G_USEC_PER_SEC
                    : (strcmp (self->service_name, "dynamodb") == 0 ? 25000 : 50000);
  cap = base << MIN (st->attempt - 1, 20);
  *out_delay = (gint64) (g_random_double () * MIN (cap, MAX_BACKOFF_USEC));
  if (self->backoff_func != NULL)
    *out_delay = self->backoff_func (st->attempt, *out_delay, self->backoff_data);
  *out_delay = CLAMP (*out_delay, 0, MAX_BACKOFF_USEC);
  return TRUE;
}

static void
call_release_quota (CallState *st,
                    guint      status)
{
  BotoClient *self = st->client;

  if (status < 200 || status >= 300)
    return;
  g_mutex_lock (&self->lock);
  self->retry_quota = MIN (RETRY_QUOTA_CAPACITY,
                           self->retry_quota + (st->quota_held > 0 ? st->quota_held : RETRY_NO_RETRY_INCREMENT));
  g_mutex_unlock (&self->lock);
}

/* Record one attempt's outcome in @st (response or error). */
static void
call_take_response (CallState    *st,
                    SoupMessage  *message,
                    GBytes       *body,
                    GError       *send_error)
{
  guint status;

  g_clear_pointer (&st->response, g_variant_unref);
  g_clear_error (&st->error);
  st->is_error = FALSE;

  if (body == NULL)
    {
      st->error = send_error;
      return;
    }
  status = soup_message_get_status (message);
  if (strcmp (st->client->protocol, "smithy-rpc-v2-cbor") == 0)
    st->response = boto_rpcv2_cbor_parse_response (st->client->model, st->op, status,
                                                   soup_message_get_response_headers (message),
                                                   body, &st->is_error, &st->error);
  else
    st->response = boto_protocol_parse_response (st->op, st->client->protocol, status,
                                                 soup_message_get_response_headers (message),
                                                 body, &st->is_error, &st->error);
  /* The parsers return a full reference; a floating one would be taken
   * over the same way. */
  if (st->response != NULL)
    g_variant_take_ref (st->response);
}

static GVariant *
with_retry_metadata (GVariant *response,
                     guint     retries,
                     gboolean  max_attempts_reached)
{
  g_autoptr(GVariant) meta = g_variant_lookup_value (response, "ResponseMetadata", G_VARIANT_TYPE_VARDICT);
  GVariantDict dict;
  GVariantDict meta_dict;

  g_variant_dict_init (&meta_dict, meta);
  g_variant_dict_insert (&meta_dict, "RetryAttempts", "i", (gint32) retries);
  if (max_attempts_reached)
    g_variant_dict_insert (&meta_dict, "MaxAttemptsReached", "b", TRUE);
  g_variant_dict_init (&dict, response);
  g_variant_dict_insert_value (&dict, "ResponseMetadata", g_variant_dict_end (&meta_dict));
  return g_variant_ref_sink (g_variant_dict_end (&dict));
}

/* After the last attempt: the response with its retry count. */
static void
call_finish_outcome (CallState *st,
                     gboolean   exhausted)
{
  if (st->response != NULL)
    {
      GVariant *updated = with_retry_metadata (st->response, st->attempt - 1,
                                               exhausted && st->is_error);

      g_variant_unref (st->response);
      st->response = updated;
    }
}

static gboolean
is_retryable_outcome_exhausted (CallState *st)
{
  return st->attempt >= st->client->max_attempts && st->attempt > 1;
}

static gboolean
sleep_cancellable (gint64        usec,
                   GCancellable *cancellable,
                   GError      **error)
{
  gint64 end = g_get_monotonic_time () + usec;
  gint64 now;

  while ((now = g_get_monotonic_time ()) < end)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      g_usleep (MIN (end - now, 10000));
    }
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

/* The synchronous pipeline; on return, st->response/is_error or st->error. */
static void
call_run_sync (CallState *st)
{
  for (;;)
    {
      g_autoptr(SoupMessage) message = NULL;
      g_autoptr(GBytes) body = NULL;
      GError *send_error = NULL;
      gint64 delay = 0;
      guint status;

      g_clear_error (&st->error);
      message = call_build_message (st, &st->error);
      if (message == NULL)
        return;
      st->attempt++;
      body = soup_session_send_and_read (st->client->soup, message, st->cancellable, &send_error);
      call_take_response (st, message, body, send_error);
      status = body != NULL ? soup_message_get_status (message) : 0;
      if (!call_should_retry (st, status, &delay))
        {
          call_release_quota (st, status);
          call_finish_outcome (st, is_retryable_outcome_exhausted (st));
          return;
        }
      g_debug ("Retrying %s (attempt %u of %u) in %" G_GINT64_FORMAT " µs",
               boto_operation_model_get_name (st->op), st->attempt + 1,
               st->client->max_attempts, delay);
      if (!sleep_cancellable (delay, st->cancellable, NULL))
        {
          /* Cancelled while waiting: report the cancellation. */
          g_clear_pointer (&st->response, g_variant_unref);
          g_clear_error (&st->error);
          g_cancellable_set_error_if_cancelled (st->cancellable, &st->error);
          return;
        }
    }
}

static GVariant *
outcome_to_result (CallState  *st,
                   gboolean    full,
                   gboolean   *out_is_error,
                   GError    **error)
{
  if (out_is_error != NULL)
    *out_is_error = FALSE;
  if (st->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&st->error));
      return NULL;
    }
  if (st->is_error && !full)
    {
      g_propagate_error (error, boto_service_error_new_from_response (boto_operation_model_get_name (st->op),
                                                                      st->response));
      return NULL;
    }
  if (out_is_error != NULL)
    *out_is_error = st->is_error;
  return g_steal_pointer (&st->response);
}

static GVariant *
call_sync (BotoClient    *self,
           const char    *operation_name,
           GVariant      *params,
           gboolean       full,
           gboolean      *out_is_error,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(CallState) st = call_prepare (self, operation_name, params, cancellable, error);

  if (out_is_error != NULL)
    *out_is_error = FALSE;
  if (st == NULL)
    return NULL;
  call_run_sync (st);
  return outcome_to_result (st, full, out_is_error, error);
}

/**
 * boto_client_call:
 * @self: a client
 * @operation_name: the operation, as in the model (`ListBuckets`) or in
 *   boto3's snake case (`list_buckets`)
 * @params: (nullable): the parameters, `a{sv}`; a floating reference is
 *   consumed
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Calls @operation_name and waits for the answer, retrying as botocore's
 * standard retry mode does.
 *
 * Errors: %BOTO_CLIENT_ERROR_PARAM_VALIDATION (nothing was sent),
 * other %BOTO_CLIENT_ERROR codes, %BOTO_SERVICE_ERROR for an error the
 * service returned (read its details with [func@Boto.service_error_get_code]
 * and its siblings), or the `G_IO_ERROR`/`G_RESOLVER_ERROR`/`G_TLS_ERROR`
 * that made the last attempt fail.
 *
 * Returns: (transfer full): the result, `a{sv}` with `ResponseMetadata`
 *   (`RequestId`, `HTTPStatusCode`, `HTTPHeaders`, `RetryAttempts`)
 *
 * Since: 1.0
 */
GVariant *
boto_client_call (BotoClient    *self,
                  const char    *operation_name,
                  GVariant      *params,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_return_val_if_fail (BOTO_IS_CLIENT (self), NULL);
  g_return_val_if_fail (operation_name != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return call_sync (self, operation_name, params, FALSE, NULL, cancellable, error);
}

/**
 * boto_client_call_full:
 * @self: a client
 * @operation_name: the operation (model or snake-case name)
 * @params: (nullable): the parameters, `a{sv}`; a floating reference is
 *   consumed
 * @out_is_error: (out) (optional): set to %TRUE when the result is a
 *   service error's dictionary
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * As [method@Boto.Client.call], but an error returned by the service is
 * not thrown: its parsed dictionary (`Error` with `Code` and `Message`,
 * and `ResponseMetadata`, as boto3's `ClientError.response`) is returned
 * with @out_is_error set. This is the path for language bindings, which
 * cannot read a %BOTO_SERVICE_ERROR's extra data. Client-side and
 * transport problems are still reported through @error.
 *
 * Returns: (transfer full): the result or the error dictionary
 *
 * Since: 1.0
 */
GVariant *
boto_client_call_full (BotoClient    *self,
                       const char    *operation_name,
                       GVariant      *params,
                       gboolean      *out_is_error,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_return_val_if_fail (BOTO_IS_CLIENT (self), NULL);
  g_return_val_if_fail (operation_name != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return call_sync (self, operation_name, params, TRUE, out_is_error, cancellable, error);
}

/* Async */

static void call_send_attempt (GTask *task);

static gboolean
on_backoff_done (gpointer user_data)
{
  GTask *task = user_data;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }
  call_send_attempt (task);
  return G_SOURCE_REMOVE;
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  CallState *st = g_task_get_task_data (task);
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  GError *send_error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &send_error);
  gint64 delay = 0;
  guint status;

  call_take_response (st, message, body, send_error);
  status = body != NULL ? soup_message_get_status (message) : 0;
  if (call_should_retry (st, status, &delay))
    {
      g_autoptr(GSource) timeout = g_timeout_source_new ((guint) (delay / 1000));

      g_source_set_callback (timeout, on_backoff_done, task, NULL);
      g_source_set_name (timeout, "[boto-glib] retry backoff");
      g_source_attach (timeout, g_task_get_context (task));
      return;   /* the source holds our task reference */
    }

  call_release_quota (st, status);
  call_finish_outcome (st, is_retryable_outcome_exhausted (st));
  if (st->error != NULL)
    g_task_return_error (task, g_steal_pointer (&st->error));
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* Takes ownership of @task. */
static void
call_send_attempt (GTask *task)
{
  CallState *st = g_task_get_task_data (task);
  g_autoptr(SoupMessage) message = NULL;
  GError *local_error = NULL;

  message = call_build_message (st, &local_error);
  if (message == NULL)
    {
      g_task_return_error (task, local_error);
      g_object_unref (task);
      return;
    }
  st->attempt++;
  soup_session_send_and_read_async (st->client->soup, message, g_task_get_priority (task),
                                    st->cancellable, on_sent, task);
}

static void
call_start_async (BotoClient          *self,
                  const char          *operation_name,
                  GVariant            *params,
                  GCancellable        *cancellable,
                  gpointer             source_tag,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  GError *local_error = NULL;
  CallState *st;

  g_task_set_source_tag (task, source_tag);
  st = call_prepare (self, operation_name, params, cancellable, &local_error);
  if (st == NULL)
    {
      g_task_return_error (task, local_error);
      g_object_unref (task);
      return;
    }
  g_task_set_task_data (task, st, (GDestroyNotify) call_state_free);
  call_send_attempt (task);
}

/**
 * boto_client_call_async:
 * @self: a client
 * @operation_name: the operation (model or snake-case name)
 * @params: (nullable): the parameters, `a{sv}`; a floating reference is
 *   consumed
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the call is done
 * @user_data: data for @callback
 *
 * Starts [method@Boto.Client.call] without blocking; @callback runs in the
 * thread-default main context of the caller. Retry backoffs wait on that
 * main context, never blocking it. Finish with
 * [method@Boto.Client.call_finish].
 *
 * Since: 1.0
 */
void
boto_client_call_async (BotoClient          *self,
                        const char          *operation_name,
                        GVariant            *params,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (BOTO_IS_CLIENT (self));
  g_return_if_fail (operation_name != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call_start_async (self, operation_name, params, cancellable, boto_client_call_async,
                    callback, user_data);
}

/**
 * boto_client_call_full_async:
 * @self: a client
 * @operation_name: the operation (model or snake-case name)
 * @params: (nullable): the parameters, `a{sv}`; a floating reference is
 *   consumed
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the call is done
 * @user_data: data for @callback
 *
 * Starts [method@Boto.Client.call_full] without blocking. Finish with
 * [method@Boto.Client.call_full_finish].
 *
 * Since: 1.0
 */
void
boto_client_call_full_async (BotoClient          *self,
                             const char          *operation_name,
                             GVariant            *params,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (BOTO_IS_CLIENT (self));
  g_return_if_fail (operation_name != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call_start_async (self, operation_name, params, cancellable, boto_client_call_full_async,
                    callback, user_data);
}

static GVariant *
call_finish_common (BotoClient    *self,
                    GAsyncResult  *result,
                    gboolean       full,
                    gboolean      *out_is_error,
                    GError       **error)
{
  GTask *task = G_TASK (result);

  if (out_is_error != NULL)
    *out_is_error = FALSE;
  if (!g_task_propagate_boolean (task, error))
    return NULL;
  return outcome_to_result (g_task_get_task_data (task), full, out_is_error, error);
}

/**
 * boto_client_call_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Boto.Client.call_async].
 *
 * Returns: (transfer full): the result, as [method@Boto.Client.call]'s
 *
 * Since: 1.0
 */
GVariant *
boto_client_call_finish (BotoClient    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (BOTO_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, boto_client_call_async), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return call_finish_common (self, result, FALSE, NULL, error);
}

/**
 * boto_client_call_full_finish:
 * @self: a client
 * @result: the result given to the callback
 * @out_is_error: (out) (optional): set to %TRUE when the result is a
 *   service error's dictionary
 * @error: return location for a #GError
 *
 * Finishes [method@Boto.Client.call_full_async].
 *
 * Returns: (transfer full): the result or the error dictionary
 *
 * Since: 1.0
 */
GVariant *
boto_client_call_full_finish (BotoClient    *self,
                              GAsyncResult  *result,
                              gboolean      *out_is_error,
                              GError       **error)
{
  g_return_val_if_fail (BOTO_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, boto_client_call_full_async), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return call_finish_common (self, result, TRUE, out_is_error, error);
}

/* Paginators and waiters */

/* The model name of an operation named either way, or NULL. */
static const char *
resolve_operation_name (BotoClient *self,
                        const char *operation_name)
{
  if (boto_service_model_has_operation (self->model, operation_name))
    return operation_name;
  return g_hash_table_lookup (self->operation_names, operation_name);
}

/* The `pagination` dictionary of the service's paginators-1 model (empty
 * when the service has none), loaded once. Transfer none. */
static GVariant *
get_paginators (BotoClient *self)
{
  GVariant *result;

  g_mutex_lock (&self->lock);
  if (self->paginators == NULL)
    {
      g_autoptr(GVariant) model = boto_model_loader_load (self->service_name, "paginators-1",
                                                          boto_service_model_get_api_version (self->model),
                                                          NULL, NULL);
      GVariant *pagination = NULL;

      if (model != NULL)
        pagination = g_variant_lookup_value (model, "pagination", G_VARIANT_TYPE_VARDICT);
      if (pagination == NULL)
        pagination = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
      self->paginators = pagination;
    }
  result = self->paginators;
  g_mutex_unlock (&self->lock);
  return result;
}

/* The `waiters` dictionary of the service's waiters-2 model (empty when
 * the service has none), loaded once; NULL with @error if the model is of
 * an unsupported version. Transfer none. */
static GVariant *
get_waiters (BotoClient  *self,
             GError     **error)
{
  GVariant *result;

  g_mutex_lock (&self->lock);
  if (self->waiters == NULL && self->waiters_error == NULL)
    {
      g_autoptr(GVariant) model = boto_model_loader_load (self->service_name, "waiters-2",
                                                          boto_service_model_get_api_version (self->model),
                                                          NULL, NULL);
      GVariant *waiters = NULL;

      if (model != NULL)
        {
          g_autoptr(GVariant) version = g_variant_lookup_value (model, "version", NULL);

          if (version == NULL || !g_variant_is_of_type (version, G_VARIANT_TYPE_INT64) ||
              g_variant_get_int64 (version) != 2)
            {
              g_autofree char *text = version != NULL ? g_variant_print (version, FALSE) : g_strdup ("unknown");

              g_set_error (&self->waiters_error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                           "Unsupported waiter version, supported version must be: 2, "
                           "but version of waiter config is: %s", text);
            }
          else
            waiters = g_variant_lookup_value (model, "waiters", G_VARIANT_TYPE_VARDICT);
        }
      if (waiters == NULL && self->waiters_error == NULL)
        waiters = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
      self->waiters = waiters;
    }
  result = self->waiters;
  if (result == NULL)
    g_propagate_error (error, g_error_copy (self->waiters_error));
  g_mutex_unlock (&self->lock);
  return result;
}

/**
 * boto_client_can_paginate:
 * @self: a client
 * @operation_name: the operation, as in the model (`ListObjectsV2`) or in
 *   boto3's snake case (`list_objects_v2`)
 *
 * Whether @operation_name has a paginator in the service's
 * `paginators-1` model, as botocore's `can_paginate()`.
 *
 * Returns: %TRUE if [method@Boto.Client.get_paginator] would succeed
 *
 * Since: 1.0
 */
gboolean
boto_client_can_paginate (BotoClient *self,
                          const char *operation_name)
{
  const char *model_name;
  g_autoptr(GVariant) entry = NULL;

  g_return_val_if_fail (BOTO_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (operation_name != NULL, FALSE);

  model_name = resolve_operation_name (self, operation_name);
  if (model_name == NULL)
    return FALSE;
  entry = g_variant_lookup_value (get_paginators (self), model_name, G_VARIANT_TYPE_VARDICT);
  return entry != NULL;
}

/**
 * boto_client_get_paginator:
 * @self: a client
 * @operation_name: the operation, as in the model (`ListObjectsV2`) or in
 *   boto3's snake case (`list_objects_v2`)
 * @error: return location for a #GError
 *
 * Creates a paginator for @operation_name, as botocore's
 * `get_paginator()`. Nothing is sent until the pages of
 * [method@Boto.Paginator.paginate] are read.
 *
 * Errors: %BOTO_CLIENT_ERROR_UNKNOWN_OPERATION when the operation does
 * not exist or cannot be paginated (botocore's
 * `OperationNotPageableError`), %BOTO_CLIENT_ERROR_INVALID_MODEL when its
 * paginator entry is malformed.
 *
 * Returns: (transfer full): the paginator, or %NULL with @error set
 *
 * Since: 1.0
 */
BotoPaginator *
boto_client_get_paginator (BotoClient  *self,
                           const char  *operation_name,
                           GError     **error)
{
  const char *model_name;
  g_autoptr(GVariant) entry = NULL;

  g_return_val_if_fail (BOTO_IS_CLIENT (self), NULL);
  g_return_val_if_fail (operation_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  model_name = resolve_operation_name (self, operation_name);
  if (model_name != NULL)
    entry = g_variant_lookup_value (get_paginators (self), model_name, G_VARIANT_TYPE_VARDICT);
  if (entry == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_OPERATION,
                   "Operation cannot be paginated: %s", operation_name);
      return NULL;
    }
  return boto_paginator_new (self, model_name, entry, error);
}

/**
 * boto_client_dup_waiter_names:
 * @self: a client
 *
 * The waiters of the service's `waiters-2` model, named in boto3's snake
 * case (`bucket_exists`), in the order of boto3's `client.waiter_names`
 * (sorted by model name). Empty when the service has no waiters.
 *
 * Returns: (transfer full): the waiter names
 *
 * Since: 1.0
 */
GStrv
boto_client_dup_waiter_names (BotoClient *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GVariant *waiters;
  GVariantIter iter;
  const char *name;

  g_return_val_if_fail (BOTO_IS_CLIENT (self), NULL);

  waiters = get_waiters (self, NULL);
  if (waiters != NULL)
    {
      g_variant_iter_init (&iter, waiters);
      while (g_variant_iter_next (&iter, "{&sv}", &name, NULL))
        g_ptr_array_add (names, (gpointer) name);
    }
  /* boto3 sorts the model names, then converts them. */
  g_ptr_array_sort (names, compare_strings);
  for (guint i = 0; i < names->len; i++)
    names->pdata[i] = boto_client_xform_name (names->pdata[i]);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/**
 * boto_client_get_waiter:
 * @self: a client
 * @waiter_name: the waiter, in boto3's snake case (`bucket_exists`) or as
 *   in the model (`BucketExists`)
 * @error: return location for a #GError
 *
 * Creates a waiter from the service's `waiters-2` model, as botocore's
 * `get_waiter()`.
 *
 * Errors: %BOTO_CLIENT_ERROR_FAILED when the service has no such waiter
 * (botocore's `ValueError: Waiter does not exist`),
 * %BOTO_CLIENT_ERROR_INVALID_MODEL when the waiter model is malformed or
 * of an unsupported version.
 *
 * Returns: (transfer full): the waiter, or %NULL with @error set
 *
 * Since: 1.0
 */
BotoWaiter *
boto_client_get_waiter (BotoClient  *self,
                        const char  *waiter_name,
                        GError     **error)
{
  GVariant *waiters;
  g_autoptr(GVariant) entry = NULL;
  const char *model_name = NULL;
  GVariantIter iter;
  const char *name;

  g_return_val_if_fail (BOTO_IS_CLIENT (self), NULL);
  g_return_val_if_fail (waiter_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  waiters = get_waiters (self, error);
  if (waiters == NULL)
    return NULL;

  g_variant_iter_init (&iter, waiters);
  while (model_name == NULL && g_variant_iter_next (&iter, "{&sv}", &name, NULL))
    {
      g_autofree char *snake = boto_client_xform_name (name);

      if (strcmp (name, waiter_name) == 0 || strcmp (snake, waiter_name) == 0)
        model_name = name;
    }
  if (model_name != NULL)
    entry = g_variant_lookup_value (waiters, model_name, G_VARIANT_TYPE_VARDICT);
  if (entry == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED,
                   "Waiter does not exist: %s", waiter_name);
      return NULL;
    }
  return boto_waiter_new (self, model_name, entry, error);
}
