/* boto-client.c: the low-level, model-driven service client
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <libsoup/soup.h>

#include "boto-client.h"
#include "boto-client-transfer.h"
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
#include "boto-variant-writer-private.h"
#include "boto-protocol-request-private.h"
#include "boto-gvariant-private.h"
#include "boto-sigv4-private.h"
#include "boto-checksum-private.h"
#include "boto-session-private.h"
#include "boto-rate-limiter-private.h"

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
 * Version 4, sends it with libsoup, retries as botocore's configured retry
 * mode does, and parses the response. Errors returned by the service come
 * back as %BOTO_SERVICE_ERROR; [method@Boto.Client.call_full] returns the
 * error dictionary instead, for language bindings.
 *
 * Retry modes (`retries.mode`, `AWS_RETRY_MODE`, `retry_mode`), as in
 * botocore: `standard` (the default here; botocore's own default is
 * `legacy`): transient errors, throttling and 5xx with a retry quota and a
 * random backoff capped at 20 s, 3 attempts by default; `legacy`:
 * botocore's `_retry.json` policies (5xx, 429, 509, the throttling codes
 * with their statuses and the per-service ones), a backoff of
 * `rand × 2^(n-1)` seconds (`0.05 × 2^(n-1)` for DynamoDB) without cap or
 * quota, 5 attempts by default; `adaptive`: `standard` plus botocore's
 * client-side rate limiter, a token bucket whose rate follows a CUBIC curve
 * and which paces sends once the service has throttled (an asynchronous
 * call waits for its token on its main context).
 *
 * The client resolves its configuration once, when created. It sends on
 * its session's `SoupSession` (one connection pool per session and
 * `max_pool_connections`/timeout setting, shared by its clients).
 *
 * Streaming payloads, request checksums and presigned URLs: see
 * [method@Boto.Client.call_streaming],
 * [method@Boto.Client.call_with_body] and
 * [method@Boto.Client.generate_presigned_url].
 *
 * S3 region redirects, as botocore's: a request for a bucket in another
 * region than the client's (answered with 301, 302 or 307,
 * `PermanentRedirect`, `AuthorizationHeaderMalformed` naming the region,
 * or a bare 400 or 301 to `HeadObject`/`HeadBucket`) is sent once more to
 * the bucket's region, re-signed, and later calls for that bucket go there
 * at once. The region comes from the `x-amz-bucket-region` header, else
 * the error's `Region`, else a `HeadBucket` request to the bucket (whose
 * answer carries the header). HTTP redirects (`Location`) are never
 * followed.
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

typedef enum {
  RETRY_STANDARD,
  RETRY_LEGACY,
  RETRY_ADAPTIVE,
} RetryMode;

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
  RetryMode            retry_mode;
  BotoRateLimiter     *rate_limiter;     /* adaptive mode */
  gint64               min_compression_size;  /* -1: request compression off */
  BotoEndpointRuleSet *rule_set;
  GVariant            *builtins;
  GVariant           **builtin_values;   /* per rule-set parameter: its builtin's value, or NULL */
  gboolean             presign_global;   /* presign_global_setup (): S3 presigned URLs may use the global endpoint */
  int                  region_index;     /* rule-set parameters of AWS::Region … */
  int                  global_index;     /* … and AWS::S3::UseGlobalEndpoint, or -1 */
  SoupSession         *soup;
  char                *user_agent;
  GHashTable          *operation_names;  /* snake_case → model name, see snake_names () */
  gsize                operation_names_ready;

  GMutex               lock;
  GHashTable          *signers;          /* "name\nregion" → BotoSigV4Signer */
  GHashTable          *context_plans;    /* BotoOperationModel* → ContextPlan* */
  BotoEndpoint        *auth_endpoint;    /* endpoint_auth_scheme (): the last endpoint … */
  gboolean             auth_have_sigv4;  /* … and its auth scheme */
  gboolean             auth_asymmetric;
  gboolean             auth_none;
  char                *auth_name;
  char                *auth_region;
  int                  retry_quota;
  GVariant            *paginators;       /* paginators-1 `pagination`, a{sv}; loaded on first use */
  GVariant            *waiters;          /* waiters-2 `waiters`, a{sv}; loaded on first use */
  GError              *waiters_error;    /* why the waiter model could not be used */
  GHashTable          *bucket_regions;   /* S3: bucket → region learned from a redirect */

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
  if (self->builtin_values != NULL)
    {
      for (guint i = 0; i < boto_endpoint_rule_set_get_n_parameters (self->rule_set); i++)
        g_clear_pointer (&self->builtin_values[i], g_variant_unref);
      g_clear_pointer (&self->builtin_values, g_free);
    }
  g_clear_pointer (&self->rule_set, boto_endpoint_rule_set_unref);
  g_clear_pointer (&self->builtins, g_variant_unref);
  g_clear_object (&self->soup);
  g_clear_pointer (&self->user_agent, g_free);
  g_clear_pointer (&self->operation_names, g_hash_table_unref);
  g_clear_pointer (&self->signers, g_hash_table_unref);
  g_clear_pointer (&self->context_plans, g_hash_table_unref);
  g_clear_pointer (&self->auth_endpoint, boto_endpoint_unref);
  g_clear_pointer (&self->auth_name, g_free);
  g_clear_pointer (&self->auth_region, g_free);
  g_clear_pointer (&self->paginators, g_variant_unref);
  g_clear_pointer (&self->waiters, g_variant_unref);
  g_clear_error (&self->waiters_error);
  g_clear_pointer (&self->bucket_regions, g_hash_table_unref);
  g_clear_pointer (&self->rate_limiter, boto_rate_limiter_free);
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
  self->bucket_regions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* botocore's: `user_agent` replaces the whole value; otherwise ours, then
 * `app/<user_agent_appid>`, then `user_agent_extra`. */
static char *
build_user_agent (GVariant *config)
{
  const char *whole = NULL;
  const char *appid = NULL;
  const char *extra = NULL;
  GString *agent;

  if (g_variant_lookup (config, "user_agent", "&s", &whole) && *whole != '\0')
    agent = g_string_new (whole);
  else
    agent = g_string_new ("boto-glib/" BOTO_VERSION_S);
  if (g_variant_lookup (config, "user_agent_appid", "&s", &appid) && *appid != '\0')
    g_string_append_printf (agent, " app/%s", appid);
  if (g_variant_lookup (config, "user_agent_extra", "&s", &extra) && *extra != '\0')
    g_string_append_printf (agent, " %s", extra);
  return g_string_free (agent, FALSE);
}

/* snake_case → model name, built on first use (most programs name every
 * operation as the model does, and EC2 has hundreds). */
static GHashTable *
snake_names (BotoClient *self)
{
  if (g_once_init_enter (&self->operation_names_ready))
    {
      g_auto(GStrv) names = boto_service_model_get_operation_names (self->model);

      self->operation_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      for (guint i = 0; names != NULL && names[i] != NULL; i++)
        g_hash_table_insert (self->operation_names, boto_xform_name (names[i]), g_strdup (names[i]));
      g_once_init_leave (&self->operation_names_ready, 1);
    }
  return self->operation_names;
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

/* The client's `s3` configuration, as both the endpoint builtins and the
 * presigning choice read it; the strings are borrowed from @self->config. */
typedef struct
{
  GVariant   *dict;          /* owned; NULL: no s3 configuration */
  const char *addressing;    /* addressing_style */
  const char *us_east_1;     /* us_east_1_regional_endpoint */
  gboolean    accelerate;    /* use_accelerate_endpoint */
} S3Options;

static void
s3_options_read (S3Options *options,
                 GVariant  *config)
{
  options->dict = g_variant_lookup_value (config, "s3", G_VARIANT_TYPE_VARDICT);
  options->addressing = NULL;
  options->us_east_1 = NULL;
  if (options->dict != NULL)
    {
      g_variant_lookup (options->dict, "addressing_style", "&s", &options->addressing);
      g_variant_lookup (options->dict, "us_east_1_regional_endpoint", "&s", &options->us_east_1);
    }
  options->accelerate = lookup_flag (options->dict, "use_accelerate_endpoint", FALSE);
}

static void
s3_options_clear (S3Options *options)
{
  g_clear_pointer (&options->dict, g_variant_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (S3Options, s3_options_clear)

/* The endpoint builtins, as botocore's compute_endpoint_resolver_builtin_defaults. */
static GVariant *
compute_builtins (BotoClient      *self,
                  const S3Options *s3)
{
  const char *addressing = s3->addressing;
  const char *us_east_1 = s3->us_east_1;
  gboolean accelerate = s3->accelerate;
  gboolean force_path;
  gboolean given = self->endpoint_url != NULL;
  GVariantBuilder builder;

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
                         g_variant_new_boolean (lookup_flag (s3->dict, "use_arn_region", TRUE)));
  g_variant_builder_add (&builder, "{sv}", "AWS::S3Control::UseArnRegion",
                         g_variant_new_boolean (lookup_flag (s3->dict, "use_arn_region", FALSE)));
  g_variant_builder_add (&builder, "{sv}", "AWS::S3::DisableMultiRegionAccessPoints",
                         g_variant_new_boolean (lookup_flag (s3->dict, "disable_multiregion_access_points", FALSE)));
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

/* The builtins as rule-set parameter values (what
 * boto_endpoint_rule_set_build_params() takes from them), worked out once. */
static GVariant **
builtin_values_new (BotoEndpointRuleSet *rule_set,
                    GVariant            *builtins)
{
  guint n = boto_endpoint_rule_set_get_n_parameters (rule_set);
  GVariant **values = g_new0 (GVariant *, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      const char *builtin = NULL;
      GVariant *value;

      boto_endpoint_rule_set_get_parameter (rule_set, i, NULL, &builtin);
      if (builtin != NULL && (value = g_variant_lookup_value (builtins, builtin, NULL)) != NULL)
        values[i] = value;
    }
  return values;
}

/* botocore presigns S3 URLs on the global endpoint in the aws partition
 * (AWS::Region `aws-global`, AWS::S3::UseGlobalEndpoint), signed for the
 * client's region, unless the s3 configuration asks for dual-stack,
 * regional us-east-1, virtual or path addressing
 * (_should_use_global_endpoint and the presign handler in botocore): a URL
 * for a bucket in us-west-2 is https://BUCKET.s3.amazonaws.com/…. The
 * client's part of that choice; presign_global_for () adds the bucket's. */
static void
presign_global_setup (BotoClient      *self,
                      const S3Options *s3)
{
  g_autofree char *partition = NULL;
  guint n = boto_endpoint_rule_set_get_n_parameters (self->rule_set);

  self->region_index = self->global_index = -1;
  if (strcmp (self->service_name, "s3") != 0 || self->region_name == NULL || self->endpoint_url != NULL)
    return;
  partition = boto_endpoint_rule_set_dup_partition_name (self->rule_set, self->region_name);
  if (g_strcmp0 (partition, "aws") != 0)
    return;
  if (lookup_flag (s3->dict, "use_dualstack_endpoint", FALSE) || s3->accelerate ||
      g_strcmp0 (s3->addressing, "virtual") == 0 || g_strcmp0 (s3->addressing, "path") == 0 ||
      (g_strcmp0 (s3->us_east_1, "regional") == 0 && strcmp (self->region_name, "us-east-1") == 0))
    return;
  for (guint i = 0; i < n; i++)
    {
      const char *builtin = NULL;

      boto_endpoint_rule_set_get_parameter (self->rule_set, i, NULL, &builtin);
      if (g_strcmp0 (builtin, "AWS::S3::UseGlobalEndpoint") == 0)
        self->global_index = (int) i;
      else if (g_strcmp0 (builtin, "AWS::Region") == 0)
        self->region_index = (int) i;
    }
  self->presign_global = self->global_index >= 0 && self->region_index >= 0;
}

/* A label of a host name: what botocore's VALID_HOST_LABEL_RE accepts. */
static gboolean
is_host_label (const char *name)
{
  gsize len = strlen (name);

  if (len == 0 || len > 63 || name[0] == '-' || name[len - 1] == '-')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

/* Whether this presigned URL goes to the global endpoint: the client
 * allows it, and the bucket can be a host label, not an ARN nor a
 * directory bucket (`--x-s3`). */
static gboolean
presign_global_for (BotoClient *self,
                    const char *bucket)
{
  return self->presign_global && bucket != NULL && is_host_label (bucket) &&
         !g_str_has_suffix (bucket, "--x-s3");
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
 * configured pool size and timeouts (shared with the session's other
 * clients that have the same ones).
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
  g_autoptr(GVariant) proxies = NULL;
  g_autoptr(BotoClient) self = NULL;
  g_autoptr(GVariant) retries = NULL;
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
  {
    const char *mode = NULL;

    if (retries != NULL)
      g_variant_lookup (retries, "mode", "&s", &mode);
    if (g_strcmp0 (mode, "legacy") == 0)
      self->retry_mode = RETRY_LEGACY;
    else if (g_strcmp0 (mode, "adaptive") == 0)
      {
        self->retry_mode = RETRY_ADAPTIVE;
        self->rate_limiter = boto_rate_limiter_new ();
      }
  }

  {
    gboolean disable_compression = FALSE;

    g_variant_lookup (self->config, "disable_request_compression", "b", &disable_compression);
    self->min_compression_size = disable_compression
      ? -1
      : (gint64) CLAMP (lookup_number (self->config, "request_min_compression_size_bytes",
                                       BOTO_REQUEST_MIN_COMPRESSION_SIZE_DEFAULT),
                        0, 10485760);
  }

  self->rule_set = boto_endpoint_rule_set_get_for_service (service_name, error);
  if (self->rule_set == NULL)
    return NULL;
  {
    g_auto(S3Options) s3 = { NULL };

    s3_options_read (&s3, self->config);
    self->builtins = compute_builtins (self, &s3);
    self->builtin_values = builtin_values_new (self->rule_set, self->builtins);
    presign_global_setup (self, &s3);
  }

  read_timeout = lookup_number (self->config, "read_timeout", 60);
  connect_timeout = lookup_number (self->config, "connect_timeout", 60);
  pool = lookup_number (self->config, "max_pool_connections", 10);
  /* The session's shared pool for this pool size and timeout. libsoup 3.2
   * has one I/O timeout, which also bounds connecting. */
  proxies = g_variant_lookup_value (self->config, "proxies", G_VARIANT_TYPE ("a{ss}"));
  self->soup = boto_session_dup_soup_session (session, (guint) CLAMP (pool, 1, 10000),
                                              (guint) ceil (MAX (MAX (read_timeout, connect_timeout), 1)),
                                              proxies);
  self->user_agent = build_user_agent (self->config);

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
 * boto_session_client:
 * @session: a session
 * @service_name: the service, such as `s3` or `ec2`
 * @config: (nullable): client options
 * @error: return location for a #GError
 *
 * Creates a client for @service_name, as boto3's `Session.client()` with
 * no explicit endpoint (one configured through `AWS_ENDPOINT_URL`, the
 * config file's `endpoint_url` and `[services]` sections still applies):
 * [method@Boto.Session.create_client] without its @endpoint_url argument.
 *
 * Returns: (transfer full): the client, or %NULL with @error set
 *
 * Since: 1.0
 */
BotoClient *
boto_session_client (BotoSession  *session,
                     const char   *service_name,
                     BotoConfig   *config,
                     GError      **error)
{
  return boto_client_new (session, service_name, NULL, config, error);
}

/**
 * boto_client_get_service_name:
 * @self: a client
 *
 * Gets the name of the service the client calls.
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
 * Gets the region the client signs and resolves endpoints for.
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
 * Gets the endpoint URL the client sends every request to, if one was given
 * or configured.
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
 * Gets the model of the client's service.
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
 * Gets the settings the client uses, resolved from its explicit options, the
 * environment, the session's profile and the defaults.
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
 * Lists the operations of the client's service by the names
 * [method@Boto.Client.call] accepts, as boto3 lists the client's methods.
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

  g_hash_table_iter_init (&iter, snake_names (self));
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

typedef enum {
  CALL_NORMAL    = 0,
  CALL_PRESIGN   = 1 << 0,   /* no checksums, no ChecksumMode default */
  CALL_STREAMING = 1 << 1,   /* hand the response payload over as a stream */
  CALL_NO_REGION_PROBE = 1 << 2,  /* S3: the HeadBucket asking a bucket's region */
} CallFlags;

typedef struct _ContextPlan ContextPlan;

typedef struct
{
  BotoClient         *client;
  BotoOperationModel *op;
  ContextPlan        *plan;      /* the client's, for op */
  CallFlags           flags;
  GVariant           *params;    /* as given, defaults added */
  char               *bucket;    /* S3: the Bucket parameter */
  gboolean            redirected;
  gboolean            async;
  gboolean            probe_region;  /* async: HeadBucket before the next attempt */
  BotoCredentials    *credentials;   /* async: got for the next attempt */
  BotoHttpRequest    *request;   /* serialized, not signed */
  BotoSigV4Signer    *signer;    /* NULL: unsigned */
  GCancellable       *cancellable;
  guint               attempt;   /* attempts made */
  int                 quota_held;
  gboolean            skew_corrected;  /* the clock was corrected during this call */
  gboolean            skew_retry;      /* … after the last attempt: retry at once */

  /* A streamed request body */
  GInputStream       *body;
  gint64              body_length;
  goffset             body_offset;
  gboolean            body_seekable;
  gboolean            body_chunked;    /* aws-chunked with a checksum trailer */
  BotoChecksumAlgorithm trailer_algorithm;
  GInputStream       *body_sent;       /* what the last attempt read */
  GCancellable       *attempt_cancellable;  /* cancelled to refuse a restart */
  gulong              attempt_cancel_id;
  gboolean            restart_refused;

  /* Response checksums to look for, in order of preference */
  BotoChecksumAlgorithm response_algorithms[4];
  guint               n_response_algorithms;


  /* The outcome */
  GVariant           *response;
  gboolean            is_error;
  GError             *error;
  GInputStream       *response_body;   /* CALL_STREAMING, success */
  SoupMessage        *message;         /* async: the attempt in flight */
  int                 checksum_checked;  /* response algorithm verified, or -1 */
  const char * const *url_decoded_keys;  /* S3 listings: EncodingType=url was ours */
} CallState;

static void
call_state_free (CallState *st)
{
  g_clear_object (&st->client);
  g_clear_object (&st->op);
  g_clear_pointer (&st->params, g_variant_unref);
  g_clear_pointer (&st->bucket, g_free);
  g_clear_pointer (&st->request, boto_http_request_unref);
  g_clear_pointer (&st->signer, boto_sigv4_signer_unref);
  g_clear_pointer (&st->credentials, boto_credentials_unref);
  g_clear_object (&st->cancellable);
  g_clear_object (&st->body);
  g_clear_object (&st->body_sent);
  if (st->attempt_cancel_id != 0)
    g_cancellable_disconnect (st->cancellable, st->attempt_cancel_id);
  g_clear_object (&st->attempt_cancellable);
  g_clear_pointer (&st->response, g_variant_unref);
  g_clear_error (&st->error);
  g_clear_object (&st->response_body);
  g_clear_object (&st->message);
  g_free (st);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CallState, call_state_free)


/* Static context params, then contextParam members of the input (botocore's
 * precedence: static › dynamic). */
/* Where an operation's endpoint context comes from, worked out once per
 * operation: its static context params, and the input members that are
 * context params (PutObject has dozens of members and two of those). */
struct _ContextPlan
{
  GVariant *statics;   /* a{sv}: parameter name → value */
  GStrv     members;   /* input member names … */
  GStrv     names;     /* … and the parameter each one sets */

  /* The same against the rule set's parameters (see call_resolve ()). */
  guint     n_static_values;
  int      *static_index;    /* rule-set parameter … */
  GVariant **static_values;  /* … and its value (unwrapped) */
  guint     n_members;
  int      *member_index;    /* per member: its rule-set parameter, or -1 */

  /* Other per-operation facts read on every call */
  gboolean  is_unsigned;              /* see operation_is_unsigned () */
  BotoChecksumTraits checksum;        /* httpChecksum and httpChecksumRequired */
  char     *validation_mode_member;   /* httpChecksum.requestValidationModeMember */
};

static void
context_plan_free (ContextPlan *plan)
{
  g_clear_pointer (&plan->statics, g_variant_unref);
  g_strfreev (plan->members);
  g_strfreev (plan->names);
  for (guint i = 0; i < plan->n_static_values; i++)
    g_variant_unref (plan->static_values[i]);
  g_free (plan->static_values);
  g_free (plan->static_index);
  g_free (plan->member_index);
  boto_protocol_checksum_traits_clear (&plan->checksum);
  g_free (plan->validation_mode_member);
  g_free (plan);
}

/* A value as boto_endpoint_rule_set_build_params () takes it: out of its
 * variants and maybes (NULL: a JSON null). Takes @value. */
static GVariant *
unwrap_endpoint_value (GVariant *value)
{
  while (value != NULL &&
         (g_variant_is_of_type (value, G_VARIANT_TYPE_VARIANT) || g_variant_is_of_type (value, G_VARIANT_TYPE_MAYBE)))
    {
      GVariant *inner = g_variant_is_of_type (value, G_VARIANT_TYPE_VARIANT)
                        ? g_variant_get_variant (value) : g_variant_get_maybe (value);

      g_variant_unref (value);
      value = inner;
    }
  return value;
}

/* The plan's static params and members as rule-set parameter indexes. */
static void
context_plan_index (ContextPlan         *plan,
                    BotoEndpointRuleSet *rule_set)
{
  gsize n = g_variant_n_children (plan->statics);
  GVariantIter iter;
  const char *name;
  GVariant *value;

  plan->static_index = g_new (int, MAX (n, 1));
  plan->static_values = g_new (GVariant *, MAX (n, 1));
  g_variant_iter_init (&iter, plan->statics);
  while (g_variant_iter_next (&iter, "{&sv}", &name, &value))
    {
      int index = boto_endpoint_rule_set_get_parameter_index (rule_set, name);

      value = unwrap_endpoint_value (value);
      if (index >= 0 && value != NULL)
        {
          plan->static_index[plan->n_static_values] = index;
          plan->static_values[plan->n_static_values++] = g_steal_pointer (&value);
        }
      g_clear_pointer (&value, g_variant_unref);
    }

  plan->n_members = g_strv_length (plan->members);
  plan->member_index = g_new (int, MAX (plan->n_members, 1));
  for (guint i = 0; i < plan->n_members; i++)
    plan->member_index[i] = boto_endpoint_rule_set_get_parameter_index (rule_set, plan->names[i]);
}

static ContextPlan *
context_plan_new (BotoOperationModel *op)
{
  ContextPlan *plan = g_new0 (ContextPlan, 1);
  GVariant *definition = boto_operation_model_get_definition (op);
  g_autoptr(GVariant) statics = g_variant_lookup_value (definition, "staticContextParams", NULL);
  BotoShape *input = boto_operation_model_get_input_shape (op);
  g_autoptr(GStrvBuilder) members = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
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
          g_autoptr(GVariant) dict = boto_variant_unbox (entry);
          g_autoptr(GVariant) value = g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT)
                                      ? g_variant_lookup_value (dict, "value", NULL) : NULL;

          if (value != NULL)
            {
              value = boto_variant_unbox (g_steal_pointer (&value));
              g_variant_builder_add (&builder, "{sv}", name, value);
              g_hash_table_add (seen, (gpointer) name);
            }
        }
    }
  plan->statics = g_variant_ref_sink (g_variant_builder_end (&builder));

  if (input != NULL)
    {
      g_auto(GStrv) all = boto_shape_get_member_names (input);

      for (guint i = 0; all != NULL && all[i] != NULL; i++)
        {
          BotoShape *member = boto_shape_get_member (input, all[i]);
          g_autoptr(GVariant) trait = boto_shape_dup_trait (member, "contextParam");
          const char *name = NULL;

          /* Static params win over input members. */
          if (trait == NULL || !g_variant_is_of_type (trait, G_VARIANT_TYPE_VARDICT) ||
              !g_variant_lookup (trait, "name", "&s", &name) || g_hash_table_contains (seen, name))
            continue;
          g_strv_builder_add (members, all[i]);
          g_strv_builder_add (names, name);
        }
    }
  plan->members = g_strv_builder_end (members);
  plan->names = g_strv_builder_end (names);
  return plan;
}

static gboolean operation_is_unsigned (BotoClient         *client,
                                       BotoOperationModel *op);
static GVariant *lookup_vardict (GVariant   *dict,
                                 const char *key);
static gboolean lookup_flag (GVariant   *dict,
                             const char *key,
                             gboolean    fallback);

static void
context_plan_facts (ContextPlan        *plan,
                    BotoClient         *self,
                    BotoOperationModel *op)
{
  GVariant *definition = boto_operation_model_get_definition (op);
  g_autoptr(GVariant) http_checksum = lookup_vardict (definition, "httpChecksum");

  plan->is_unsigned = operation_is_unsigned (self, op);
  boto_protocol_dup_checksum_traits (op, &plan->checksum);
  if (http_checksum != NULL)
    g_variant_lookup (http_checksum, "requestValidationModeMember", "s", &plan->validation_mode_member);
}

static ContextPlan *
get_context_plan (BotoClient         *self,
                  BotoOperationModel *op)
{
  ContextPlan *plan;

  g_mutex_lock (&self->lock);
  if (self->context_plans == NULL)
    self->context_plans = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) context_plan_free);
  plan = g_hash_table_lookup (self->context_plans, op);
  if (plan == NULL)
    {
      plan = context_plan_new (op);
      context_plan_index (plan, self->rule_set);
      context_plan_facts (plan, self, op);
      g_hash_table_insert (self->context_plans, op, plan);
    }
  g_mutex_unlock (&self->lock);
  return plan;
}

static GVariant *
build_context (BotoClient         *self,
               BotoOperationModel *op,
               GVariant           *params)
{
  ContextPlan *plan;
  GVariantBuilder builder;
  GVariantIter iter;
  const char *name;
  GVariant *value;
  g_autofree const char **added = NULL;
  guint n_added = 0;

  plan = get_context_plan (self, op);
  added = g_new0 (const char *, g_strv_length (plan->members) + 1);
  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_iter_init (&iter, plan->statics);
  while (g_variant_iter_next (&iter, "{&sv}", &name, &value))
    {
      g_variant_builder_add (&builder, "{sv}", name, value);
      g_variant_unref (value);
    }

  for (guint i = 0; params != NULL && plan->members[i] != NULL; i++)
    {
      g_autoptr(GVariant) member = g_variant_lookup_value (params, plan->members[i], NULL);
      gboolean taken = FALSE;

      if (member == NULL)
        continue;
      member = boto_variant_unbox (g_steal_pointer (&member));
      if (!g_variant_is_of_type (member, G_VARIANT_TYPE_STRING) &&
          !g_variant_is_of_type (member, G_VARIANT_TYPE_BOOLEAN))
        continue;
      /* The first member that sets a parameter wins. */
      for (guint j = 0; j < n_added && !taken; j++)
        taken = strcmp (added[j], plan->names[i]) == 0;
      if (taken)
        continue;
      g_variant_builder_add (&builder, "{sv}", plan->names[i], member);
      added[n_added++] = plan->names[i];
    }
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

/* The first auth scheme we can use, as botocore takes them: sigv4 (name,
 * region), sigv4a (name, region set joined with commas; @out_asymmetric)
 * or none. */
static gboolean
pick_auth_scheme (BotoEndpoint  *endpoint,
                  gboolean      *out_none,
                  gboolean      *out_asymmetric,
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
  *out_asymmetric = FALSE;
  if (schemes == NULL)
    return FALSE;
  schemes = boto_variant_unbox (g_steal_pointer (&schemes));
  if (!g_variant_is_container (schemes))
    return FALSE;

  g_variant_iter_init (&iter, schemes);
  while ((child = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_autoptr(GVariant) scheme = boto_variant_unbox (child);
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
      if (strcmp (name, "sigv4a") == 0)
        {
          g_autoptr(GVariant) set = g_variant_lookup_value (scheme, "signingRegionSet", NULL);
          g_autoptr(GPtrArray) regions = g_ptr_array_new_with_free_func (g_free);

          set = set != NULL ? boto_variant_unbox (g_steal_pointer (&set)) : NULL;
          if (set != NULL && g_variant_is_container (set))
            {
              GVariantIter regions_iter;
              GVariant *region;

              g_variant_iter_init (&regions_iter, set);
              while ((region = g_variant_iter_next_value (&regions_iter)) != NULL)
                {
                  g_autoptr(GVariant) text = boto_variant_unbox (region);

                  if (g_variant_is_of_type (text, G_VARIANT_TYPE_STRING))
                    g_ptr_array_add (regions, g_variant_dup_string (text, NULL));
                }
            }
          g_ptr_array_add (regions, NULL);
          g_variant_lookup (scheme, "signingName", "s", out_name);
          if (regions->len > 1)
            *out_region = g_strjoinv (",", (char **) regions->pdata);
          *out_asymmetric = TRUE;
          return TRUE;
        }
      if (strcmp (name, "none") == 0)
        saw_none = TRUE;
    }
  *out_none = saw_none;
  return FALSE;
}

/* pick_auth_scheme () remembered for the last endpoint (resolutions are
 * cached, so a client sees the same few endpoints again and again). */
static gboolean
endpoint_auth_scheme (BotoClient    *self,
                      BotoEndpoint  *endpoint,
                      gboolean      *out_none,
                      gboolean      *out_asymmetric,
                      char         **out_name,
                      char         **out_region)
{
  gboolean have_sigv4;

  g_mutex_lock (&self->lock);
  if (self->auth_endpoint == endpoint)
    {
      *out_none = self->auth_none;
      *out_asymmetric = self->auth_asymmetric;
      *out_name = g_strdup (self->auth_name);
      *out_region = g_strdup (self->auth_region);
      have_sigv4 = self->auth_have_sigv4;
      g_mutex_unlock (&self->lock);
      return have_sigv4;
    }
  g_mutex_unlock (&self->lock);

  have_sigv4 = pick_auth_scheme (endpoint, out_none, out_asymmetric, out_name, out_region);

  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->auth_endpoint, boto_endpoint_unref);
  g_free (self->auth_name);
  g_free (self->auth_region);
  self->auth_endpoint = boto_endpoint_ref (endpoint);
  self->auth_none = *out_none;
  self->auth_asymmetric = *out_asymmetric;
  self->auth_name = g_strdup (*out_name);
  self->auth_region = g_strdup (*out_region);
  self->auth_have_sigv4 = have_sigv4;
  g_mutex_unlock (&self->lock);
  return have_sigv4;
}

static gboolean
operation_is_unsigned (BotoClient         *client,
                       BotoOperationModel *op)
{
  GVariant *definition = boto_operation_model_get_definition (op);
  /* Indexed lookups: the definition is a serialized model dictionary. */
  const char *authtype = boto_model_variant_get_string (definition, "authtype");
  g_autoptr(GVariant) auth = boto_model_variant_lookup (definition, "auth");

  if (auth != NULL && !g_variant_is_of_type (auth, G_VARIANT_TYPE_STRING_ARRAY))
    g_clear_pointer (&auth, g_variant_unref);
  if (g_strcmp0 (boto_service_model_get_signature_version (client->model), "unsigned") == 0)
    return TRUE;
  if (authtype != NULL && strcmp (authtype, "none") == 0)
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
            const char *region,
            gboolean    asymmetric)
{
  g_autofree char *key = g_strconcat (name, "\n", region, asymmetric ? "\na" : NULL, NULL);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  BotoSigV4Signer *signer = g_hash_table_lookup (self->signers, key);

  if (signer == NULL)
    {
      BotoSigV4Flags flags = strcmp (self->service_name, "s3") == 0
                             ? BOTO_SIGV4_FLAGS_S3 : BOTO_SIGV4_FLAGS_NONE;

      if (asymmetric)
        flags |= BOTO_SIGV4_FLAGS_ASYMMETRIC;

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
      const char *mapped = g_hash_table_lookup (snake_names (self), operation_name);

      if (mapped != NULL)
        model_name = mapped;
    }
  op = boto_service_model_get_operation (self->model, model_name, NULL);
  if (op == NULL)
    g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_OPERATION,
                 "Service “%s” has no operation “%s”", self->service_name, operation_name);
  return op;
}

/* The builtins with another AWS::Region (an S3 bucket in another region). */
static GVariant *
builtins_for_region (BotoClient *self,
                     const char *region)
{
  GVariantDict dict;

  if (region == NULL || g_strcmp0 (region, self->region_name) == 0)
    return g_variant_ref (self->builtins);
  g_variant_dict_init (&dict, self->builtins);
  g_variant_dict_insert (&dict, "AWS::Region", "s", region);
  return g_variant_ref_sink (g_variant_dict_end (&dict));
}

static GVariant *
lookup_vardict (GVariant   *dict,
                const char *key)
{
  /* Indexed when @dict is a model definition. */
  g_autoptr(GVariant) value = dict != NULL ? boto_model_variant_lookup (dict, key) : NULL;

  if (value == NULL)
    return NULL;
  value = boto_variant_unbox (g_steal_pointer (&value));
  if (!g_variant_is_of_type (value, G_VARIANT_TYPE_VARDICT))
    return NULL;
  return g_steal_pointer (&value);
}

/* The member of @shape that is its streaming blob payload, or NULL. */
static const char *
streaming_payload (BotoShape *shape)
{
  const char *payload = NULL;
  BotoShape *member;

  if (shape == NULL ||
      (payload = boto_model_variant_get_string (boto_shape_get_definition (shape), "payload")) == NULL)
    return NULL;
  member = boto_shape_get_member (shape, payload);
  if (member == NULL || boto_shape_get_shape_type (member) != BOTO_SHAPE_TYPE_BLOB ||
      !boto_shape_get_boolean_trait (member, "streaming"))
    return NULL;
  return payload;
}

/* The client's string settings, indexed on first use (they are read on
 * every call; a lookup in the config dictionary walks all its entries).
 * The strings are borrowed from self->config, which lives as long as the
 * client. */
static GHashTable *
config_strings (BotoClient *self)
{
  static GQuark quark;
  GHashTable *index;
  GVariantIter iter;
  const char *key;
  GVariant *value;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("boto-client-config-strings");
  index = g_object_get_qdata (G_OBJECT (self), quark);
  if (G_LIKELY (index != NULL))
    return index;

  index = g_hash_table_new (g_str_hash, g_str_equal);
  if (self->config != NULL && g_variant_is_of_type (self->config, G_VARIANT_TYPE_VARDICT))
    {
      g_variant_iter_init (&iter, self->config);
      while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
        {
          /* The first entry of a key wins, as with g_variant_lookup(). */
          if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) && !g_hash_table_contains (index, key))
            g_hash_table_insert (index, (gpointer) key, (gpointer) g_variant_get_string (value, NULL));
          else if (!g_hash_table_contains (index, key))
            g_hash_table_insert (index, (gpointer) key, NULL);
          g_variant_unref (value);
        }
    }
  if (!g_object_replace_qdata (G_OBJECT (self), quark, NULL, index, (GDestroyNotify) g_hash_table_unref, NULL))
    {
      g_hash_table_unref (index);
      index = g_object_get_qdata (G_OBJECT (self), quark);
    }
  return index;
}

static const char *
config_string (BotoClient *self,
               const char *key,
               const char *fallback)
{
  const char *value = g_hash_table_lookup (config_strings (self), key);

  return value != NULL ? value : fallback;
}

/* S3 listings: botocore asks for URL-encoded keys (a key may hold
 * characters XML 1.0 cannot carry) unless the caller chose an EncodingType,
 * and decodes them in the result, which keeps `EncodingType: url`. Each
 * list: top-level members, then "List/Member" pairs. */
static const char * const list_objects_keys[] = {
  "Delimiter", "Marker", "NextMarker", "Contents/Key", "CommonPrefixes/Prefix", NULL,
};
static const char * const list_objects_v2_keys[] = {
  "Delimiter", "Prefix", "StartAfter", "Contents/Key", "CommonPrefixes/Prefix", NULL,
};
static const char * const list_object_versions_keys[] = {
  "KeyMarker", "NextKeyMarker", "Prefix", "Delimiter", "Versions/Key", "DeleteMarkers/Key",
  "CommonPrefixes/Prefix", NULL,
};

static GVariant *
request_url_encoded_keys (CallState *st,
                          GVariant  *params)
{
  const char *name = boto_operation_model_get_name (st->op);
  GVariantDict dict;

  if (strcmp (st->client->service_name, "s3") != 0)
    return params;
  if (strcmp (name, "ListObjects") == 0)
    st->url_decoded_keys = list_objects_keys;
  else if (strcmp (name, "ListObjectsV2") == 0)
    st->url_decoded_keys = list_objects_v2_keys;
  else if (strcmp (name, "ListObjectVersions") == 0)
    st->url_decoded_keys = list_object_versions_keys;
  else
    return params;

  if (params != NULL && g_variant_lookup (params, "EncodingType", "*", NULL))
    {
      st->url_decoded_keys = NULL;
      return params;
    }
  g_variant_dict_init (&dict, params);
  g_variant_dict_insert (&dict, "EncodingType", "s", "url");
  g_clear_pointer (&params, g_variant_unref);
  return g_variant_ref_sink (g_variant_dict_end (&dict));
}

/* botocore's unquote_str (Python's unquote_plus): '+' is a space, %XX
 * sequences are decoded, anything else is kept; bytes that are not UTF-8
 * become U+FFFD. */
static GVariant *
url_decoded (GVariant *value)
{
  const char *text = g_variant_get_string (value, NULL);
  g_autoptr(GString) bytes = g_string_sized_new (strlen (text));
  g_autofree char *valid = NULL;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '+')
        g_string_append_c (bytes, ' ');
      else if (*p == '%' && g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2]))
        {
          g_string_append_c (bytes, (char) (g_ascii_xdigit_value (p[1]) * 16 + g_ascii_xdigit_value (p[2])));
          p += 2;
        }
      else
        g_string_append_c (bytes, *p);
    }
  valid = g_utf8_make_valid (bytes->str, bytes->len);
  return g_variant_ref_sink (g_variant_new_string (valid));
}

/* @dict (an a{sv}) with @key's value replaced, entries kept in order. */
static GVariant *
replace_entry (GVariant   *dict,
               const char *key,
               GVariant   *value)
{
  GVariantBuilder builder;
  GVariantIter iter;
  const char *name;
  GVariant *old;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_next (&iter, "{&sv}", &name, &old))
    {
      g_variant_builder_add (&builder, "{sv}", name, strcmp (name, key) == 0 ? value : old);
      g_variant_unref (old);
    }
  return g_variant_builder_end (&builder);
}

static gboolean
has_escape (GVariant *value)
{
  return value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) &&
         strpbrk (g_variant_get_string (value, NULL), "%+") != NULL;
}

/* Decodes the listing's url-encoded fields.  Most keys have nothing to
 * decode, and then the parsed result is returned as it is: rebuilding a
 * 1,000-key page would cost more than parsing it. */
static GVariant *
decode_listing (GVariant            *result,
                const char * const  *keys)
{
  const char *encoding = NULL;
  g_autoptr(GVariant) decoded_result = g_variant_ref (result);

  if (!g_variant_lookup (result, "EncodingType", "&s", &encoding) || strcmp (encoding, "url") != 0)
    return g_steal_pointer (&decoded_result);

  for (guint i = 0; keys[i] != NULL; i++)
    {
      const char *slash = strchr (keys[i], '/');
      g_autofree char *list_name = slash != NULL ? g_strndup (keys[i], slash - keys[i]) : NULL;
      const char *name = slash != NULL ? list_name : keys[i];
      g_autoptr(GVariant) value = g_variant_lookup_value (decoded_result, name, NULL);
      g_autoptr(GVariant) replacement = NULL;

      if (value == NULL)
        continue;
      if (slash == NULL)
        {
          if (has_escape (value))
            replacement = url_decoded (value);
        }
      else if (g_variant_is_of_type (value, G_VARIANT_TYPE ("aa{sv}")))
        {
          gsize n = g_variant_n_children (value);
          gsize first = n;

          for (gsize j = 0; j < n && first == n; j++)
            {
              g_autoptr(GVariant) item = g_variant_get_child_value (value, j);
              g_autoptr(GVariant) field = g_variant_lookup_value (item, slash + 1, NULL);

              if (has_escape (field))
                first = j;
            }
          if (first < n)
            {
              GVariantBuilder list;

              g_variant_builder_init (&list, G_VARIANT_TYPE ("aa{sv}"));
              for (gsize j = 0; j < n; j++)
                {
                  g_autoptr(GVariant) item = g_variant_get_child_value (value, j);
                  g_autoptr(GVariant) field = j >= first ? g_variant_lookup_value (item, slash + 1, NULL) : NULL;

                  if (has_escape (field))
                    {
                      g_autoptr(GVariant) decoded = url_decoded (field);

                      g_variant_builder_add_value (&list, replace_entry (item, slash + 1, decoded));
                    }
                  else
                    g_variant_builder_add_value (&list, item);
                }
              replacement = g_variant_ref_sink (g_variant_builder_end (&list));
            }
        }
      if (replacement != NULL)
        {
          GVariant *next = g_variant_ref_sink (replace_entry (decoded_result, name, replacement));

          g_variant_unref (decoded_result);
          decoded_result = next;
        }
    }
  return g_steal_pointer (&decoded_result);
}

/* The first entry of @params (a{sv}) for each of @names, unwrapped out of
 * its variants (as g_variant_lookup_value () and boto_variant_unbox () give it), in
 * one pass. */
static void
lookup_params (GVariant          *params,
               const char *const *names,
               guint              n,
               GVariant         **out)
{
  gsize n_entries = g_variant_n_children (params);
  guint found = 0;

  memset (out, 0, n * sizeof (GVariant *));
  for (gsize e = 0; e < n_entries && found < n; e++)
    {
      g_autoptr(GVariant) entry = g_variant_get_child_value (params, e);
      g_autoptr(GVariant) key = g_variant_get_child_value (entry, 0);
      const char *name = g_variant_get_string (key, NULL);

      for (guint i = 0; i < n; i++)
        if (out[i] == NULL && strcmp (names[i], name) == 0)
          {
            g_autoptr(GVariant) boxed = g_variant_get_child_value (entry, 1);

            out[i] = boto_variant_unbox (g_variant_get_variant (boxed));
            found++;
          }
    }
}

/* botocore's _handle_request_validation_mode_member and
 * resolve_response_checksum_algorithms: ChecksumMode=ENABLED unless told
 * otherwise, and the algorithms to verify when it is set. */
static GVariant *
apply_response_checksum_mode (CallState *st,
                              GVariant  *params)
{
  g_autoptr(GVariant) http_checksum = NULL;
  g_autoptr(GVariant) algorithms = NULL;
  static const BotoChecksumAlgorithm priority[] = {
    BOTO_CHECKSUM_CRC32C, BOTO_CHECKSUM_CRC32, BOTO_CHECKSUM_SHA1, BOTO_CHECKSUM_SHA256,
  };
  const char *mode_member = st->plan->validation_mode_member;

  if (mode_member == NULL)
    return params;
  if (!(st->flags & CALL_PRESIGN) &&
      strcmp (config_string (st->client, "response_checksum_validation", "when_supported"), "when_supported") == 0 &&
      (params == NULL || !g_variant_lookup (params, mode_member, "*", NULL)))
    {
      GVariantDict dict;

      g_variant_dict_init (&dict, params);
      g_variant_dict_insert (&dict, mode_member, "s", "ENABLED");
      g_clear_pointer (&params, g_variant_unref);
      params = g_variant_ref_sink (g_variant_dict_end (&dict));
    }
  if (params == NULL || !g_variant_lookup (params, mode_member, "*", NULL))
    return params;

  http_checksum = lookup_vardict (boto_operation_model_get_definition (st->op), "httpChecksum");
  algorithms = http_checksum != NULL ? g_variant_lookup_value (http_checksum, "responseAlgorithms", NULL) : NULL;
  if (algorithms != NULL)
    algorithms = boto_variant_unbox (g_steal_pointer (&algorithms));
  for (guint i = 0; algorithms != NULL && i < G_N_ELEMENTS (priority); i++)
    {
      GVariantIter iter;
      GVariant *child;

      if (!g_variant_is_container (algorithms))
        break;
      g_variant_iter_init (&iter, algorithms);
      while ((child = g_variant_iter_next_value (&iter)) != NULL)
        {
          g_autoptr(GVariant) name = boto_variant_unbox (child);
          BotoChecksumAlgorithm algorithm;

          if (g_variant_is_of_type (name, G_VARIANT_TYPE_STRING) &&
              boto_checksum_algorithm_from_name (g_variant_get_string (name, NULL), &algorithm) &&
              algorithm == priority[i])
            {
              st->response_algorithms[st->n_response_algorithms++] = algorithm;
              break;
            }
        }
    }
  return params;
}

/* Reads the seekable body once for its checksum (and its SHA-256 when the
 * payload is signed, and Glacier's tree hash into @tree), then goes back
 * to where it started. */
static gboolean
digest_seekable_body (CallState              *st,
                      int                     algorithm,
                      char                  **out_checksum,
                      char                  **out_sha256,
                      BotoTreeHash           *tree,
                      GError                **error)
{
  g_autoptr(BotoChecksum) checksum = algorithm >= 0 ? boto_checksum_new (algorithm) : NULL;
  g_autoptr(BotoChecksum) sha256 = out_sha256 != NULL ? boto_checksum_new (BOTO_CHECKSUM_SHA256) : NULL;
  g_autofree guint8 *buffer = g_malloc (64 * 1024);
  gint64 remaining = st->body_length;

  while (remaining > 0)
    {
      gssize n = g_input_stream_read (st->body, buffer, MIN (remaining, 64 * 1024), st->cancellable, error);

      if (n < 0)
        return FALSE;
      if (n == 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                       "The request body stream ended %" G_GINT64_FORMAT " bytes before its announced length",
                       remaining);
          return FALSE;
        }
      if (checksum != NULL)
        boto_checksum_update (checksum, buffer, n);
      if (sha256 != NULL)
        boto_checksum_update (sha256, buffer, n);
      if (tree != NULL)
        boto_tree_hash_update (tree, buffer, n);
      remaining -= n;
    }
  if (!g_seekable_seek (G_SEEKABLE (st->body), st->body_offset, G_SEEK_SET, st->cancellable, error))
    return FALSE;
  if (checksum != NULL)
    *out_checksum = boto_checksum_finish_base64 (checksum);
  if (sha256 != NULL)
    *out_sha256 = boto_checksum_finish_hex (sha256);
  return TRUE;
}

/* Glacier's hashes of a streamed payload (botocore reads a seekable body
 * for them): its SHA-256, which is also the signed payload hash, and its
 * tree hash, each unless given. A one-pass stream cannot be read for them
 * before it is sent. */
static gboolean
glacier_hash_stream (CallState  *st,
                     GError    **error)
{
  const char *sha256_given = boto_http_request_get_header (st->request, "x-amz-content-sha256");
  const char *tree_given = boto_http_request_get_header (st->request, "x-amz-sha256-tree-hash");
  g_autoptr(BotoTreeHash) tree = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *tree_hex = NULL;

  if (sha256_given != NULL && tree_given != NULL)
    {
      boto_http_request_set_payload_hash (st->request, sha256_given);
      return TRUE;
    }
  if (!st->body_seekable)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                   "Parameter validation failed:\n%s needs the payload's SHA-256 and tree hash before it is "
                   "sent: give a stream that can seek (such as a file's), or the payload as bytes",
                   boto_operation_model_get_name (st->op));
      return FALSE;
    }
  tree = tree_given == NULL ? boto_tree_hash_new () : NULL;
  if (!digest_seekable_body (st, -1, NULL, sha256_given == NULL ? &sha256 : NULL, tree, error))
    return FALSE;
  if (sha256 != NULL)
    boto_http_request_set_header (st->request, "x-amz-content-sha256", sha256);
  if (tree != NULL)
    {
      tree_hex = boto_tree_hash_finish_hex (tree);
      boto_http_request_set_header (st->request, "x-amz-sha256-tree-hash", tree_hex);
    }
  boto_http_request_set_payload_hash (st->request,
                                      boto_http_request_get_header (st->request, "x-amz-content-sha256"));
  return TRUE;
}

/* botocore's apply_request_checksum (1.36 and later), with the algorithm
 * boto_protocol_resolve_request_checksum () picks (and Content-MD5 where
 * the model requires a checksum): in a header; for a streamed body over
 * HTTPS or one that cannot be read twice, in an aws-chunked trailer. Then
 * the payload hash of a streamed body. */
static gboolean
apply_request_checksum (CallState  *st,
                        GError    **error)
{
  const char *algorithm_member = st->plan->checksum.algorithm_member;
  g_autoptr(GVariant) chosen_value = NULL;
  const char *chosen = NULL;
  gboolean https = g_strcmp0 (boto_http_request_get_scheme (st->request), "https") == 0;
  BotoRequestChecksum checksum;
  int algorithm;

  if (algorithm_member != NULL && st->params != NULL)
    {
      lookup_params (st->params, &algorithm_member, 1, &chosen_value);
      if (chosen_value != NULL && g_variant_is_of_type (chosen_value, G_VARIANT_TYPE_STRING))
        chosen = g_variant_get_string (chosen_value, NULL);
    }
  if (!boto_protocol_resolve_request_checksum (st->request, &st->plan->checksum, chosen,
                                               strcmp (config_string (st->client, "request_checksum_calculation",
                                                                      "when_supported"),
                                                       "when_supported") == 0,
                                               &checksum, error))
    return FALSE;
  algorithm = checksum.algorithm;

  if (st->body == NULL)
    {
      GBytes *body = boto_http_request_get_body (st->request);
      g_autofree char *digest = NULL;

      if (algorithm < 0)
        return TRUE;
      digest = boto_checksum_compute_base64 (algorithm, body);
      boto_http_request_set_header (st->request, boto_checksum_algorithm_get_header (algorithm), digest);
      if (checksum.content_md5)
        {
          g_autofree char *md5 = boto_checksum_compute_base64 (BOTO_CHECKSUM_MD5, body);

          boto_http_request_set_header (st->request, "Content-MD5", md5);
        }
      return TRUE;
    }

  /* A streamed body (signed already when Glacier's hashes were read). */
  if (algorithm < 0 && boto_http_request_get_payload_hash (st->request) != NULL)
    return TRUE;
  if (algorithm >= 0 && (https || !st->body_seekable))
    {
      g_autofree char *decoded = g_strdup_printf ("%" G_GINT64_FORMAT, st->body_length);
      const char *encoding = boto_http_request_get_header (st->request, "Content-Encoding");
      g_autofree char *encodings = encoding != NULL ? g_strconcat (encoding, ",aws-chunked", NULL)
                                                    : g_strdup ("aws-chunked");

      st->body_chunked = TRUE;
      st->trailer_algorithm = algorithm;
      boto_http_request_set_header (st->request, "Content-Encoding", encodings);
      boto_http_request_set_header (st->request, "X-Amz-Trailer", boto_checksum_algorithm_get_header (algorithm));
      boto_http_request_set_header (st->request, "X-Amz-Decoded-Content-Length", decoded);
      boto_http_request_set_payload_hash (st->request, "STREAMING-UNSIGNED-PAYLOAD-TRAILER");
      return TRUE;
    }
  if (!https && st->body_seekable)
    {
      g_autofree char *digest = NULL;
      g_autofree char *sha256 = NULL;

      if (!digest_seekable_body (st, algorithm, &digest, &sha256, NULL, error))
        return FALSE;
      if (digest != NULL)
        boto_http_request_set_header (st->request, boto_checksum_algorithm_get_header (algorithm), digest);
      boto_http_request_set_payload_hash (st->request, sha256);
      return TRUE;
    }
  /* Over HTTPS, or a one-pass stream without a checksum. */
  boto_http_request_set_payload_hash (st->request, BOTO_SIGV4_UNSIGNED_PAYLOAD);
  return TRUE;
}

/* The endpoint in the client's region: the values
 * build_context ()/boto_endpoint_rule_set_build_params () would give,
 * straight into rule-set parameter order (a resolution seen before is one
 * hash lookup then). */
static BotoEndpoint *
resolve_endpoint (BotoClient          *self,
                  BotoOperationModel  *op,
                  GVariant            *params,
                  gboolean             global,
                  GError             **error)
{
  static GVariant *aws_global, *true_value;
  ContextPlan *plan = get_context_plan (self, op);
  guint n_params = boto_endpoint_rule_set_get_n_parameters (self->rule_set);
  GVariant *stack_values[32];
  GVariant *stack_members[8];
  g_autofree GVariant **heap_values = NULL;
  g_autofree GVariant **heap_members = NULL;
  GVariant **values = n_params <= G_N_ELEMENTS (stack_values)
                      ? stack_values : (heap_values = g_new (GVariant *, n_params));
  GVariant **members = plan->n_members <= G_N_ELEMENTS (stack_members)
                       ? stack_members : (heap_members = g_new (GVariant *, plan->n_members));
  BotoEndpoint *endpoint;

  memcpy (values, self->builtin_values, n_params * sizeof (GVariant *));
  if (global)
    {
      if (g_once_init_enter (&true_value))
        {
          aws_global = g_variant_ref_sink (g_variant_new_string ("aws-global"));
          g_once_init_leave (&true_value, g_variant_ref_sink (g_variant_new_boolean (TRUE)));
        }
      values[self->region_index] = aws_global;
      values[self->global_index] = true_value;
    }
  /* Context values win over builtins; static ones over members. */
  for (guint i = 0; i < plan->n_static_values; i++)
    values[plan->static_index[i]] = plan->static_values[i];
  if (params != NULL && plan->n_members > 0)
    lookup_params (params, (const char * const *) plan->members, plan->n_members, members);
  else
    memset (members, 0, plan->n_members * sizeof (GVariant *));
  for (guint i = 0; i < plan->n_members; i++)
    {
      GVariant *member = members[i];
      gboolean taken = FALSE;

      if (member == NULL || plan->member_index[i] < 0 ||
          (!g_variant_is_of_type (member, G_VARIANT_TYPE_STRING) &&
           !g_variant_is_of_type (member, G_VARIANT_TYPE_BOOLEAN)))
        continue;
      /* The first member that sets a parameter wins. */
      for (guint j = 0; j < i && !taken; j++)
        taken = members[j] != NULL && plan->member_index[j] == plan->member_index[i] &&
                values[plan->member_index[i]] == members[j];
      if (!taken)
        values[plan->member_index[i]] = member;
    }

  endpoint = boto_endpoint_rule_set_resolve_values (self->rule_set, values, error);
  for (guint i = 0; i < plan->n_members; i++)
    g_clear_pointer (&members[i], g_variant_unref);
  return endpoint;
}

/* Resolve the endpoint (in @region when given), serialize, pick the signer,
 * add checksums. Again after a region redirect. */
static gboolean
call_resolve (CallState   *st,
              const char  *region,
              GError     **error)
{
  BotoClient *self = st->client;
  g_autoptr(GVariant) context = NULL;
  g_autoptr(GVariant) builtins = NULL;
  g_autoptr(GVariant) endpoint_params = NULL;
  g_autoptr(BotoEndpoint) endpoint = NULL;
  g_autofree char *signing_name = NULL;
  g_autofree char *signing_region = NULL;
  g_autofree char *cached_region = NULL;
  gboolean auth_none = FALSE;
  gboolean asymmetric = FALSE;
  gboolean have_sigv4;
  gboolean global = FALSE;
  BotoSerializeFlags flags = BOTO_SERIALIZE_NONE;

  g_clear_pointer (&st->request, boto_http_request_unref);
  g_clear_pointer (&st->signer, boto_sigv4_signer_unref);

  if (region == NULL && st->bucket != NULL)
    {
      g_mutex_lock (&self->lock);
      cached_region = g_strdup (g_hash_table_lookup (self->bucket_regions, st->bucket));
      g_mutex_unlock (&self->lock);
      region = cached_region;
    }

  if (region == NULL || g_strcmp0 (region, self->region_name) == 0)
    {
      global = (st->flags & CALL_PRESIGN) && presign_global_for (self, st->bucket);
      endpoint = resolve_endpoint (self, st->op, st->params, global, error);
    }
  else
    {
      context = build_context (self, st->op, st->params);
      builtins = builtins_for_region (self, region);
      endpoint_params = boto_endpoint_rule_set_build_params (self->rule_set, builtins, context);
      endpoint = boto_endpoint_rule_set_resolve (self->rule_set, endpoint_params, error);
    }
  if (endpoint == NULL)
    return FALSE;

  if (strcmp (self->service_name, "s3") == 0)
    flags |= BOTO_SERIALIZE_STRIP_BUCKET;
  st->request = boto_protocol_serialize_request_full (self->model, st->op, self->protocol, st->params,
                                                     boto_endpoint_get_url (endpoint), flags, error);
  if (st->request == NULL)
    return FALSE;
  /* Before the handlers, which would hash the empty serialized body. */
  if (!(st->flags & CALL_PRESIGN) && st->body != NULL && boto_client_is_glacier_upload (self->service_name, st->op) &&
      !glacier_hash_stream (st, error))
    return FALSE;
  boto_client_handle_request (self->service_name, self->model, st->op, st->request);

  have_sigv4 = endpoint_auth_scheme (self, endpoint, &auth_none, &asymmetric, &signing_name, &signing_region);
  if (!st->plan->is_unsigned && (have_sigv4 || !auth_none))
    {
      const char *name = signing_name != NULL ? signing_name
                                              : boto_service_model_get_signing_name (self->model);
      const char *sign_region = signing_region != NULL ? signing_region
                                                       : (region != NULL ? region : self->region_name);

      /* The global endpoint's scope is us-east-1; botocore signs for the
       * client's region there. */
      if (global)
        sign_region = self->region_name;

      if (name == NULL)
        name = self->service_name;
      if (sign_region == NULL)
        sign_region = "us-east-1";
      st->signer = get_signer (self, name, sign_region, asymmetric);
    }

  /* As botocore: compression, then checksums over what is sent. */
  if (!(st->flags & CALL_PRESIGN) &&
      !boto_protocol_compress_request (st->request, st->op, self->min_compression_size, error))
    return FALSE;
  if (!(st->flags & CALL_PRESIGN) && !apply_request_checksum (st, error))
    return FALSE;
  return TRUE;
}

/* Validate, resolve the endpoint, serialize; pick the signer. Nothing is
 * sent. Takes @params (floating is sunk). @body: a streamed payload of
 * @body_length bytes, or NULL. */
static CallState *
call_prepare (BotoClient    *self,
              const char    *operation_name,
              GVariant      *params,
              GInputStream  *body,
              gint64         body_length,
              CallFlags      flags,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(CallState) st = g_new0 (CallState, 1);
  g_autoptr(GError) local_error = NULL;
  GVariant *owned = params != NULL ? g_variant_ref_sink (params) : NULL;
  BotoOperationModel *op;

  st->client = g_object_ref (self);
  st->checksum_checked = -1;
  st->flags = flags;
  st->params = owned;
  st->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;

  op = lookup_operation (self, operation_name, error);
  if (op == NULL)
    return NULL;
  st->op = g_object_ref (op);
  st->plan = get_context_plan (self, op);

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

  if (body != NULL)
    {
      const char *payload = streaming_payload (boto_operation_model_get_input_shape (op));

      if (payload == NULL)
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                       "Parameter validation failed:\nOperation %s has no streaming input payload "
                       "to send a body stream as", boto_operation_model_get_name (op));
          return NULL;
        }
      if (owned != NULL && g_variant_lookup (owned, payload, "*", NULL))
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                       "Parameter validation failed:\n%s is given both as a parameter and as a "
                       "body stream", payload);
          return NULL;
        }
      if (body_length < 0)
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                       "Parameter validation failed:\nThe length of the body stream must be known");
          return NULL;
        }
      st->body = g_object_ref (body);
      st->body_length = body_length;
      st->body_seekable = G_IS_SEEKABLE (body) && g_seekable_can_seek (G_SEEKABLE (body));
      st->body_offset = st->body_seekable ? g_seekable_tell (G_SEEKABLE (body)) : 0;
    }

  st->params = apply_response_checksum_mode (st, st->params);
  if (!(flags & CALL_PRESIGN))
    st->params = request_url_encoded_keys (st, st->params);
  st->params = boto_client_handle_params (self->service_name, op, st->params, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (!boto_protocol_validate_params (boto_operation_model_get_input_shape (op), st->params, error))
    return NULL;

  if (strcmp (self->service_name, "s3") == 0 && st->params != NULL)
    {
      static const char *const bucket_name[] = { "Bucket" };
      g_autoptr(GVariant) bucket = NULL;

      /* Not g_variant_lookup (), which serializes the parameters first. */
      lookup_params (st->params, bucket_name, 1, &bucket);
      if (bucket != NULL && g_variant_is_of_type (bucket, G_VARIANT_TYPE_STRING))
        st->bucket = g_variant_dup_string (bucket, NULL);
    }

  if (!call_resolve (st, NULL, error))
    return NULL;
  return g_steal_pointer (&st);
}

/* Whether the body the last attempt read can be sent again. */
static gboolean
call_body_replayable (CallState *st)
{
  if (st->body == NULL || st->body_sent == NULL || st->body_seekable)
    return TRUE;
  if (st->body_chunked)
    return !boto_aws_chunked_input_stream_get_consumed (st->body_sent);
  return !boto_checksum_input_stream_get_consumed (st->body_sent);
}

/* Gives @message the streamed body, from its start. */
static gboolean
call_attach_body (CallState    *st,
                  SoupMessage  *message,
                  GError      **error)
{
  g_autoptr(GInputStream) stream = NULL;
  gint64 length = st->body_length;

  /* A retry starts the body over (call_should_retry made sure it can). */
  if (st->body_sent != NULL && st->body_seekable &&
      !g_seekable_seek (G_SEEKABLE (st->body), st->body_offset, G_SEEK_SET, st->cancellable, error))
    return FALSE;
  if (st->body_chunked)
    {
      stream = boto_aws_chunked_input_stream_new (st->body, st->body_length, st->trailer_algorithm,
                                                  1024 * 1024);
      length = boto_aws_chunked_encoded_length (st->body_length, st->trailer_algorithm, 1024 * 1024);
    }
  else
    {
      stream = boto_checksum_input_stream_new (st->body, st->body_length, -1, NULL);
      boto_checksum_input_stream_set_close_base (stream, FALSE);
    }
  g_set_object (&st->body_sent, stream);
  soup_message_set_request_body (message, NULL, stream, length);
  return TRUE;
}

static void
on_attempt_cancel (GCancellable *cancellable,
                   gpointer      user_data)
{
  g_cancellable_cancel (user_data);
}

/* The attempt's own cancellable, cancelled with the caller's. */
static void
call_attempt_cancellable_new (CallState *st)
{
  if (st->attempt_cancel_id != 0)
    g_cancellable_disconnect (st->cancellable, st->attempt_cancel_id);
  st->attempt_cancel_id = 0;
  g_clear_object (&st->attempt_cancellable);
  st->restart_refused = FALSE;
  st->attempt_cancellable = g_cancellable_new ();
  if (st->cancellable != NULL)
    st->attempt_cancel_id = g_cancellable_connect (st->cancellable, G_CALLBACK (on_attempt_cancel),
                                                   g_object_ref (st->attempt_cancellable), g_object_unref);
}

static GCancellable *
call_attempt_cancellable (CallState *st)
{
  return st->attempt_cancellable != NULL ? st->attempt_cancellable : st->cancellable;
}

static void
on_message_restarted (SoupMessage *message,
                      gpointer     user_data)
{
  CallState *st = user_data;
  g_autoptr(GError) error = NULL;

  if (call_body_replayable (st) && call_attach_body (st, message, &error))
    return;
  /* Never send half a body: end the attempt instead. */
  st->restart_refused = TRUE;
  g_cancellable_cancel (st->attempt_cancellable);
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
      g_autoptr(BotoCredentials) credentials = g_steal_pointer (&st->credentials);

      /* An asynchronous call got them without blocking beforehand. */
      if (credentials == NULL)
        credentials = boto_session_get_credentials (st->client->session, error);
      if (credentials == NULL)
        return NULL;
      if (!boto_client_inject_presigned_url (st->client->service_name, st->op, request, st->signer, credentials,
                                             error) ||
          !boto_sigv4_signer_sign (st->signer, request, credentials, NULL, NULL, error))
        return NULL;
    }

  url = boto_http_request_dup_url (request);
  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, error);
  if (uri == NULL)
    return NULL;
  message = soup_message_new_from_uri (method, uri);
  /* As botocore, never follow a Location: the request is signed for its
   * host, and S3's redirects are answered by region (call_should_redirect). */
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (message);
  /* Not signed (SigV4 leaves User-Agent out), so set per message. */
  soup_message_headers_replace (headers, "User-Agent", st->client->user_agent);
  for (guint i = 0; i < boto_http_request_get_n_headers (request); i++)
    {
      const char *name = boto_http_request_get_header_name (request, i);

      /* libsoup writes Host and Content-Length itself, with the same values. */
      if (g_ascii_strcasecmp (name, "Host") == 0 || g_ascii_strcasecmp (name, "Content-Length") == 0)
        continue;
      soup_message_headers_append (headers, name, boto_http_request_get_header_value (request, i));
    }

  if (st->body != NULL)
    {
      if (!call_attach_body (st, message, error))
        return NULL;
      /* libsoup 3 drops a stream body when it restarts a message (an
       * idempotent request on a kept-alive connection that failed): give
       * it the body again, or stop it. */
      g_signal_connect (message, "restarted", G_CALLBACK (on_message_restarted), st);
      call_attempt_cancellable_new (st);
      /* botocore's add_expect_header (S3): the body waits for 100 Continue,
       * so an early answer (a redirect, an auth error) costs no upload and
       * leaves a one-pass body unread for the next attempt. Not signed. */
      if (strcmp (st->client->service_name, "s3") == 0 &&
          (strcmp (method, "PUT") == 0 || strcmp (method, "POST") == 0))
        soup_message_headers_set_expectations (headers, SOUP_EXPECTATION_CONTINUE);
      return g_steal_pointer (&message);
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

/* botocore's validate_region_name. */
static gboolean
region_name_is_valid (const char *region)
{
  gsize len = region != NULL ? strlen (region) : 0;

  if (len == 0 || len > 63 || !g_ascii_isalnum (region[0]) || !g_ascii_isalnum (region[len - 1]))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (region[i]) && region[i] != '-')
      return FALSE;
  return TRUE;
}

/* Sends the call once more to @region (NULL: unknown), re-resolved and
 * re-signed, and remembers the region for the bucket. Returns TRUE to send
 * again at once. */
static gboolean
call_redirect_to (CallState  *st,
                  const char *region)
{
  BotoClient *self = st->client;
  g_autoptr(GError) local_error = NULL;

  if (region == NULL)
    {
      g_debug ("S3 bucket %s is not in the client's region and its region could not be found",
               st->bucket);
      return FALSE;
    }
  if (!region_name_is_valid (region))
    return FALSE;

  g_debug ("S3 bucket %s is in region %s, not in the client's region %s; redirecting",
           st->bucket, region, self->region_name != NULL ? self->region_name : "(none)");
  g_mutex_lock (&self->lock);
  g_hash_table_replace (self->bucket_regions, g_strdup (st->bucket), g_strdup (region));
  g_mutex_unlock (&self->lock);

  st->redirected = TRUE;
  if (!call_resolve (st, region, &local_error))
    {
      g_debug ("Redirecting to region %s failed: %s", region, local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* The x-amz-bucket-region of a finished HeadBucket (a success or a service
 * error), or NULL. */
static char *
probed_region (CallState *probe)
{
  g_autoptr(GVariant) meta = NULL;
  g_autoptr(GVariant) headers = NULL;
  const char *region = NULL;

  if (probe->error != NULL || probe->response == NULL)
    {
      g_debug ("HeadBucket for the region of S3 bucket %s failed: %s", probe->bucket,
               probe->error != NULL ? probe->error->message : "no response");
      return NULL;
    }
  meta = g_variant_lookup_value (probe->response, "ResponseMetadata", G_VARIANT_TYPE_VARDICT);
  headers = meta != NULL ? g_variant_lookup_value (meta, "HTTPHeaders", G_VARIANT_TYPE ("a{ss}")) : NULL;
  if (headers != NULL)
    g_variant_lookup (headers, "x-amz-bucket-region", "&s", &region);
  return g_strdup (region);
}

static GVariant *
probe_params (CallState *st)
{
  return g_variant_new_parsed ("{'Bucket': <%s>}", st->bucket);
}

static void call_run_sync (CallState *st);

static char *
call_probe_region_sync (CallState *st)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(CallState) probe = call_prepare (st->client, "HeadBucket", probe_params (st), NULL, -1,
                                             CALL_NO_REGION_PROBE, st->cancellable, &local_error);

  if (probe == NULL)
    {
      g_debug ("HeadBucket for the region of S3 bucket %s failed: %s", st->bucket, local_error->message);
      return NULL;
    }
  call_run_sync (probe);
  return probed_region (probe);
}

/* botocore's S3RegionRedirectorv2: an S3 request sent to the wrong region
 * is sent once more to the bucket's region (from x-amz-bucket-region, the
 * error's Region, or else a HeadBucket's x-amz-bucket-region),
 * re-resolved and re-signed, and the region is remembered for the bucket.
 * Returns TRUE to send again at once. */
static gboolean
call_should_redirect (CallState *st,
                      guint      status)
{
  BotoClient *self = st->client;
  g_autoptr(GVariant) meta = NULL;
  g_autoptr(GVariant) headers = NULL;
  g_autoptr(GVariant) error = NULL;
  g_autofree char *probed = NULL;
  const char *name = boto_operation_model_get_name (st->op);
  const char *code;
  const char *region = NULL;
  gboolean code_301_400;
  gboolean has_header;

  if (strcmp (self->service_name, "s3") != 0 || st->redirected || st->bucket == NULL ||
      g_str_has_prefix (st->bucket, "arn:") || st->error != NULL || !st->is_error ||
      st->response == NULL || (st->flags & CALL_PRESIGN))
    return FALSE;
  code = response_error_code (st->response);
  code_301_400 = g_strcmp0 (code, "301") == 0 || g_strcmp0 (code, "400") == 0;

  meta = g_variant_lookup_value (st->response, "ResponseMetadata", G_VARIANT_TYPE_VARDICT);
  headers = meta != NULL ? g_variant_lookup_value (meta, "HTTPHeaders", NULL) : NULL;
  error = g_variant_lookup_value (st->response, "Error", G_VARIANT_TYPE_VARDICT);
  has_header = headers != NULL && g_variant_is_of_type (headers, G_VARIANT_TYPE ("a{ss}")) &&
               g_variant_lookup (headers, "x-amz-bucket-region", "&s", &region);

  if (!((code_301_400 && strcmp (name, "HeadObject") == 0) ||
        (code_301_400 && strcmp (name, "HeadBucket") == 0 && has_header) ||
        (g_strcmp0 (code, "AuthorizationHeaderMalformed") == 0 && error != NULL &&
         g_variant_lookup (error, "Region", "&s", NULL)) ||
        status == 301 || status == 302 || status == 307 ||
        g_strcmp0 (code, "PermanentRedirect") == 0 ||
        (g_strcmp0 (code, "IllegalLocationConstraintException") == 0 && strcmp (name, "CreateBucket") != 0)))
    return FALSE;

  if (has_header || (error != NULL && g_variant_lookup (error, "Region", "&s", &region)))
    return call_redirect_to (st, region);

  /* Neither says: as botocore, ask the bucket itself with HeadBucket,
   * whose answer (even an error) carries x-amz-bucket-region. Once: the
   * HeadBucket does not ask again. */
  if (st->flags & CALL_NO_REGION_PROBE)
    {
      g_debug ("S3 bucket %s is not in the client's region and the response does not say "
               "which region it is in", st->bucket);
      return FALSE;
    }
  if (st->async)
    {
      /* call_send_attempt() asks before the next attempt, without blocking. */
      st->probe_region = TRUE;
      return TRUE;
    }
  probed = call_probe_region_sync (st);
  return call_redirect_to (st, probed);
}

/* botocore's legacy mode (data/_retry.json): a service error code with its
 * status, or a status alone; NULL service for every service. */
static const struct
{
  const char *service;
  const char *code;
  guint       status;
} legacy_policies[] = {
  { NULL, "Throttling", 400 },
  { NULL, "ThrottlingException", 400 },
  { NULL, "ThrottledException", 400 },
  { NULL, "RequestThrottledException", 400 },
  { NULL, "ProvisionedThroughputExceededException", 400 },
  { NULL, NULL, 429 },
  { NULL, NULL, 500 },
  { NULL, NULL, 502 },
  { NULL, NULL, 503 },
  { NULL, NULL, 504 },
  { NULL, NULL, 509 },
  { "organizations", "TooManyRequestsException", 400 },
  { "dynamodb", "ReplicatedWriteConflictException", 409 },
  { "dynamodb", "TransactionInProgressException", 400 },
  { "ec2", "RequestLimitExceeded", 503 },
  { "ec2", "EC2ThrottledException", 503 },
  { "cloudsearch", "BandwidthLimitExceeded", 509 },
  { "kinesis", "LimitExceededException", 400 },
  { "sqs", "RequestThrottled", 403 },
  { "s3", "RequestTimeout", 400 },
  { "s3", "BadDigest", 400 },
  { "glacier", "RequestTimeoutException", 408 },
  { "route53", "Throttling", 400 },
  { "route53", "PriorRequestNotComplete", 400 },
  { "sts", "IDPCommunicationError", 400 },
};

static gboolean
legacy_retryable (BotoClient *self,
                  const char *code,
                  guint       status)
{
  for (guint i = 0; i < G_N_ELEMENTS (legacy_policies); i++)
    {
      if (legacy_policies[i].service != NULL && strcmp (legacy_policies[i].service, self->service_name) != 0)
        continue;
      if (legacy_policies[i].status != status)
        continue;
      if (legacy_policies[i].code == NULL || g_strcmp0 (legacy_policies[i].code, code) == 0)
        return TRUE;
    }
  return FALSE;
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

  if (st->skew_retry)
    {
      /* Signed with a wrong clock: retry at once with the corrected one,
       * without taking from the retry quota. */
      st->skew_retry = FALSE;
      if (st->attempt < self->max_attempts && call_body_replayable (st))
        {
          *out_delay = 0;
          return TRUE;
        }
    }

  if (call_body_replayable (st) && call_should_redirect (st, status))
    {
      *out_delay = 0;
      return TRUE;
    }

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
      if (self->retry_mode == RETRY_LEGACY)
        retryable = legacy_retryable (self, code, status);
      else
        retryable = throttling || status == 500 || status == 502 || status == 503 || status == 504 ||
                    (code != NULL && g_strv_contains (transient_codes, code));
    }
  /* adaptive: every response feeds the client-side rate limiter */
  if (self->rate_limiter != NULL && (st->error == NULL || retryable))
    boto_rate_limiter_on_response (self->rate_limiter, throttling);
  if (!retryable || st->attempt >= self->max_attempts)
    return FALSE;
  if (!call_body_replayable (st))
    {
      /* Never send half a body: say why there was no retry. */
      if (st->error != NULL)
        g_prefix_error (&st->error, "Not retried (the request body stream cannot be rewound): ");
      return FALSE;
    }

  if (self->retry_mode == RETRY_LEGACY)
    {
      /* base × 2^(n-1) seconds: base is random in [0, 1), 0.05 for
       * DynamoDB; no cap and no retry quota. */
      double factor = strcmp (self->service_name, "dynamodb") == 0 ? 0.05 : g_random_double ();
      double seconds = factor * ldexp (1.0, (int) MIN (st->attempt - 1, 30));

      *out_delay = (gint64) MIN (seconds * G_USEC_PER_SEC, (double) G_MAXINT64 / 2);
      if (self->backoff_func != NULL)
        *out_delay = self->backoff_func (st->attempt, *out_delay, self->backoff_data);
      *out_delay = MAX (*out_delay, 0);
      return TRUE;
    }

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

static const char *const clock_skew_codes[] = {
  "RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture", "InvalidSignatureException",
  "SignatureDoesNotMatch", "AuthFailure", NULL,
};

/* After an error that a skewed clock causes, learn the server's time from
 * its Date header. The offset stays with the client's signer, so later
 * calls are signed with the corrected time too. Once per call, and only
 * when the clocks really differ (by 4 minutes or more; AWS allows 5), so a
 * signature that is wrong for another reason is not retried. */
static void
call_correct_clock_skew (CallState   *st,
                         SoupMessage *message)
{
  g_autoptr(GDateTime) server_time = NULL;
  g_autoptr(GDateTime) signing_time = NULL;
  const char *code;
  const char *date;
  GTimeSpan difference;

  if (!st->is_error || st->signer == NULL || st->skew_corrected)
    return;
  code = response_error_code (st->response);
  if (code == NULL || !g_strv_contains (clock_skew_codes, code))
    return;
  date = soup_message_headers_get_one (soup_message_get_response_headers (message), "Date");
  if (date == NULL || (server_time = soup_date_time_new_from_http_string (date)) == NULL)
    return;
  signing_time = boto_sigv4_signer_dup_now (st->signer);
  difference = g_date_time_difference (server_time, signing_time);
  if (ABS (difference) < 4 * G_TIME_SPAN_MINUTE)
    return;
  if (!boto_sigv4_signer_correct_clock_skew (st->signer, date, 0, NULL))
    return;
  g_debug ("%s failed with %s: the local clock is %" G_GINT64_FORMAT " s off the server's; "
           "retrying with the corrected time", boto_operation_model_get_name (st->op), code,
           (gint64) (-difference / G_USEC_PER_SEC));
  st->skew_corrected = TRUE;
  st->skew_retry = TRUE;
}

/* The message's URL for a log line: the query parameters of a presigned
 * request that are secret (the signature and the session token) are
 * replaced by a placeholder, and so is any user information. */
char *
boto_client_loggable_url (SoupMessage *message)
{
  static const char * const secret_params[] = {
    "X-Amz-Signature", "X-Amz-Security-Token", "Signature", "SecurityToken",
  };
  GUri *uri = soup_message_get_uri (message);
  const char *query = g_uri_get_query (uri);
  g_autofree char *base = g_uri_to_string_partial (uri, G_URI_HIDE_USERINFO | G_URI_HIDE_QUERY |
                                                        G_URI_HIDE_FRAGMENT);
  g_auto(GStrv) params = NULL;
  GString *url;

  if (query == NULL)
    return g_steal_pointer (&base);

  url = g_string_new (base);
  params = g_strsplit (query, "&", -1);
  for (guint i = 0; params[i] != NULL; i++)
    {
      const char *equals = strchr (params[i], '=');
      gsize name_length = equals != NULL ? (gsize) (equals - params[i]) : strlen (params[i]);
      gboolean secret = FALSE;

      for (guint j = 0; j < G_N_ELEMENTS (secret_params) && !secret; j++)
        secret = strlen (secret_params[j]) == name_length &&
                 g_ascii_strncasecmp (params[i], secret_params[j], name_length) == 0;
      g_string_append_c (url, i == 0 ? '?' : '&');
      if (secret)
        {
          g_string_append_len (url, params[i], name_length);
          g_string_append (url, "=<redacted>");
        }
      else
        g_string_append (url, params[i]);
    }
  return g_string_free (url, FALSE);
}

/* The response checksum to verify: the first of the operation's algorithms
 * whose header came, unless it is a composite (multipart) one. */
static int
call_response_checksum (CallState           *st,
                        SoupMessageHeaders  *headers,
                        const char         **out_expected)
{
  for (guint i = 0; i < st->n_response_algorithms; i++)
    {
      const char *value = soup_message_headers_get_one (headers,
                                                        boto_checksum_algorithm_get_header (st->response_algorithms[i]));

      if (value == NULL || strchr (value, '-') != NULL)
        continue;
      *out_expected = value;
      return st->response_algorithms[i];
    }
  return -1;
}

/* Record one attempt's outcome in @st (response or error): @body, the whole
 * body, or @stream, the body of a successful CALL_STREAMING response still
 * to be read, or @send_error. Returns the HTTP status, 0 when there was no
 * response. */
static guint
call_take_response (CallState    *st,
                    SoupMessage  *message,
                    GBytes       *body,
                    GInputStream *stream,
                    GError       *send_error)
{
  SoupMessageHeaders *headers;
  const char *expected = NULL;
  int algorithm;
  guint status;

  g_clear_pointer (&st->response, g_variant_unref);
  g_clear_error (&st->error);
  g_clear_object (&st->response_body);
  st->is_error = FALSE;
  st->checksum_checked = -1;

  /* Method, URL and status only: never headers, whose Authorization and
   * X-Amz-Security-Token are secret. */
  if (!g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    {
      g_autofree char *url = boto_client_loggable_url (message);
      g_autofree char *size = body != NULL ? g_strdup_printf ("%" G_GSIZE_FORMAT " bytes", g_bytes_get_size (body))
                                           : g_strdup ("streamed body");

      if (body == NULL && stream == NULL)
        g_debug ("%s %s (%s attempt %u): %s", soup_message_get_method (message), url,
                 boto_operation_model_get_name (st->op), st->attempt, send_error->message);
      else
        g_debug ("%s %s (%s attempt %u): %u %s, %s, request id %s",
                 soup_message_get_method (message), url, boto_operation_model_get_name (st->op),
                 st->attempt, soup_message_get_status (message),
                 soup_message_get_reason_phrase (message) ?: "", size,
                 soup_message_headers_get_one (soup_message_get_response_headers (message),
                                               "x-amzn-RequestId") ?:
                 soup_message_headers_get_one (soup_message_get_response_headers (message),
                                               "x-amz-request-id") ?: "-");
    }

  if (body == NULL && stream == NULL)
    {
      st->error = send_error;
      if (st->restart_refused && g_error_matches (st->error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          !g_cancellable_is_cancelled (st->cancellable))
        {
          g_clear_error (&st->error);
          st->error = st->body_sent != NULL ? boto_body_stream_dup_error (st->body_sent) : NULL;
          if (st->error == NULL)
            g_set_error (&st->error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                         "The connection failed while the request body was being sent");
        }
      return 0;
    }
  status = soup_message_get_status (message);
  headers = soup_message_get_response_headers (message);
  {
    g_autoptr(SoupMessageHeaders) parsed_headers =
      boto_client_headers_for_parsing (st->client->service_name, st->op, headers);

    if (strcmp (st->client->protocol, "smithy-rpc-v2-cbor") == 0)
      st->response = boto_rpcv2_cbor_parse_response (st->client->model, st->op, status, parsed_headers,
                                                     body, &st->is_error, &st->error);
    else
      st->response = boto_protocol_parse_response (st->op, st->client->protocol, status, parsed_headers,
                                                   body, &st->is_error, &st->error);
  }
  if (st->response == NULL)
    return status;
  /* The parsers return a full reference; a floating one would be taken
   * over the same way. */
  g_variant_take_ref (st->response);
  if (st->is_error)
    {
      call_correct_clock_skew (st, message);
      return status;
    }

  {
    GVariant *handled = boto_client_handle_result (st->client->service_name, st->op, st->response, body,
                                                   headers);

    g_variant_unref (st->response);
    st->response = handled;
  }
  if (st->url_decoded_keys != NULL)
    {
      GVariant *decoded = decode_listing (st->response, st->url_decoded_keys);

      g_variant_unref (st->response);
      st->response = decoded;
    }

  algorithm = call_response_checksum (st, headers, &expected);
  st->checksum_checked = algorithm;
  if (stream != NULL)
    {
      const char *payload = streaming_payload (boto_operation_model_get_output_shape (st->op));
      GVariantDict dict;

      /* The payload is the stream, not a member of the result. */
      g_variant_dict_init (&dict, st->response);
      if (payload != NULL)
        g_variant_dict_remove (&dict, payload);
      g_variant_unref (st->response);
      st->response = g_variant_ref_sink (g_variant_dict_end (&dict));
      st->response_body = boto_checksum_input_stream_new (stream, soup_message_headers_get_content_length (headers) > 0
                                                                  ? soup_message_headers_get_content_length (headers) : -1,
                                                          algorithm, expected);
      return status;
    }
  if (algorithm >= 0)
    {
      g_autofree char *actual = boto_checksum_compute_base64 (algorithm, body);

      if (strcmp (actual, expected) != 0)
        {
          g_clear_pointer (&st->response, g_variant_unref);
          g_set_error (&st->error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_CHECKSUM_MISMATCH,
                       "Expected checksum %s did not match calculated checksum: %s", expected, actual);
        }
    }
  return status;
}

/* @dict (a{sv}) with @key set to @value: the entry replaced where it is
 * (others of that key dropped), or appended. Without the hash table of a
 * GVariantDict, which copies every entry of a large result twice. */
static GVariant *
vardict_replace (GVariant   *dict,
                 const char *key,
                 GVariant   *value)
{
  gsize n = g_variant_n_children (dict);
  g_autofree GVariant **entries = g_new (GVariant *, n + 1);
  g_autoptr(GVariant) new_entry = g_variant_ref_sink (g_variant_new_dict_entry (g_variant_new_string (key),
                                                                                g_variant_new_variant (value)));
  gboolean replaced = FALSE;
  gsize count = 0;
  GVariant *result;

  for (gsize i = 0; i < n; i++)
    {
      GVariant *entry = g_variant_get_child_value (dict, i);
      g_autoptr(GVariant) entry_key = g_variant_get_child_value (entry, 0);

      if (strcmp (g_variant_get_string (entry_key, NULL), key) != 0)
        entries[count++] = entry;
      else
        {
          if (!replaced)
            entries[count++] = g_variant_ref (new_entry);
          replaced = TRUE;
          g_variant_unref (entry);
        }
    }
  if (!replaced)
    entries[count++] = g_variant_ref (new_entry);
  result = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sv}"), entries, count));
  for (gsize i = 0; i < count; i++)
    g_variant_unref (entries[i]);
  return result;
}

#define MAX_METADATA_ENTRIES 16

static gsize
read_framing (const guint8 *p,
              gsize         width)
{
  gsize value = 0;

  for (gsize i = width; i > 0; i--)
    value = (value << 8) | p[i - 1];
  return value;
}

/* The entries of a serialized a{sv} in normal form (GVariant's framing:
 * elements 8-aligned with their end offsets after them, each entry's key
 * end offset at its own end, a variant's type string after its last NUL),
 * read in place without a GVariant per child. Types go to @types (each
 * TYPE_MAX bytes). FALSE when the data is not of that form. */
#define TYPE_MAX 32

static gboolean
scan_vardict (const guint8     *data,
              gsize             size,
              BotoVariantEntry *entries,
              char             *types,
              gsize             max,
              gsize            *out_n)
{
  gsize width, table, n, start = 0;

  *out_n = 0;
  if (size == 0)
    return TRUE;
  width = boto_gvariant_offset_size (size);
  if (size < width || (table = read_framing (data + size - width, width)) > size - width ||
      (size - table) % width != 0 || (n = (size - table) / width) == 0 || n > max)
    return FALSE;

  for (gsize i = 0; i < n; i++)
    {
      gsize end = read_framing (data + table + i * width, width);
      gsize entry_size, entry_width, key_end, value_start, value_end, nul;
      const guint8 *entry;
      gsize type_len;

      start = (start + 7) & ~(gsize) 7;
      if (end < start || end > table)
        return FALSE;
      entry = data + start;
      entry_size = end - start;
      entry_width = boto_gvariant_offset_size (entry_size);
      if (entry_size < entry_width)
        return FALSE;
      key_end = read_framing (entry + entry_size - entry_width, entry_width);
      value_end = entry_size - entry_width;
      if (key_end == 0 || key_end > value_end || entry[key_end - 1] != '\0' ||
          memchr (entry, '\0', key_end) != entry + key_end - 1)
        return FALSE;
      value_start = (key_end + 7) & ~(gsize) 7;
      if (value_start > value_end)
        return FALSE;
      for (nul = value_end; nul > value_start && entry[nul - 1] != '\0'; nul--)
        ;
      if (nul == value_start)
        return FALSE;
      type_len = value_end - nul;
      if (type_len == 0 || type_len >= TYPE_MAX)
        return FALSE;
      memcpy (types + i * TYPE_MAX, entry + nul, type_len);
      types[i * TYPE_MAX + type_len] = '\0';
      if (!g_variant_type_string_is_valid (types + i * TYPE_MAX))
        return FALSE;
      entries[i] = (BotoVariantEntry) { (const char *) entry, types + i * TYPE_MAX,
                                        entry + value_start, nul - 1 - value_start };
      start = end;
    }
  *out_n = n;
  return TRUE;
}

/* ResponseMetadata with RetryAttempts (and MaxAttemptsReached,
 * ChecksumAlgorithm) set, written in one piece in the order a GVariantDict
 * would have given (what the general path below produces). NULL with
 * *out_unchanged when @meta already says all that, in that order; NULL
 * without it when @meta is not of the usual form (then the caller takes the
 * general path). */
static GVariant *
metadata_with_retries (GVariant   *meta,
                       gint32      retries,
                       gboolean    max_attempts_reached,
                       const char *checksum_algorithm,
                       gboolean   *out_unchanged)
{
  static const gboolean true_value = TRUE;
  const char *keys[MAX_METADATA_ENTRIES + 2];
  BotoVariantEntry entries[MAX_METADATA_ENTRIES + 2];
  BotoVariantEntry sorted[MAX_METADATA_ENTRIES + 2];
  char types[MAX_METADATA_ENTRIES * TYPE_MAX];
  guint order[MAX_METADATA_ENTRIES + 2];
  gsize n = 0, n_keys, n_sorted;
  gboolean unchanged = TRUE;
  gboolean have_max = !max_attempts_reached;
  gboolean have_checksum = checksum_algorithm == NULL;
  gboolean have_retries = FALSE;
  gconstpointer data = g_variant_get_data (meta);

  *out_unchanged = FALSE;
  /* Trusted data (ours) is known to be in normal form without a walk. */
  if (data == NULL || !g_variant_is_normal_form (meta) ||
      !scan_vardict (data, g_variant_get_size (meta), entries, types, MAX_METADATA_ENTRIES, &n))
    return NULL;
  for (n_keys = 0; n_keys < n; n_keys++)
    {
      BotoVariantEntry *entry = &entries[n_keys];
      const char *name = entry->key;

      keys[n_keys] = name;
      if (strcmp (name, "RetryAttempts") == 0)
        {
          gint32 old = 0;

          have_retries = TRUE;
          if (entry->size == sizeof old)
            memcpy (&old, entry->data, sizeof old);
          unchanged &= strcmp (entry->type, "i") == 0 && entry->size == sizeof old &&
                       old == retries;
          *entry = (BotoVariantEntry) { name, "i", &retries, sizeof retries };
        }
      else if (strcmp (name, "MaxAttemptsReached") == 0 && max_attempts_reached)
        {
          have_max = TRUE;
          unchanged &= strcmp (entry->type, "b") == 0 && entry->size == 1 &&
                       *(const guint8 *) entry->data == 1;
          *entry = (BotoVariantEntry) { name, "b", &true_value, 1 };
        }
      else if (strcmp (name, "ChecksumAlgorithm") == 0 && checksum_algorithm != NULL)
        {
          have_checksum = TRUE;
          unchanged &= strcmp (entry->type, "s") == 0 && entry->size == strlen (checksum_algorithm) + 1 &&
                       memcmp (entry->data, checksum_algorithm, entry->size) == 0;
          *entry = (BotoVariantEntry) { name, "s", checksum_algorithm, strlen (checksum_algorithm) + 1 };
        }
    }
  /* As the general path inserts them. */
  if (!have_retries)
    {
      unchanged = FALSE;
      keys[n_keys] = "RetryAttempts";
      entries[n_keys++] = (BotoVariantEntry) { "RetryAttempts", "i", &retries, sizeof retries };
    }
  if (!have_max)
    {
      unchanged = FALSE;
      keys[n_keys] = "MaxAttemptsReached";
      entries[n_keys++] = (BotoVariantEntry) { "MaxAttemptsReached", "b", &true_value, 1 };
    }
  if (!have_checksum)
    {
      unchanged = FALSE;
      keys[n_keys] = "ChecksumAlgorithm";
      entries[n_keys++] = (BotoVariantEntry) { "ChecksumAlgorithm", "s", checksum_algorithm,
                                               strlen (checksum_algorithm) + 1 };
    }

  n_sorted = boto_variant_vardict_order (keys, n_keys, order);
  /* A repeated key: leave it to GVariantDict. */
  if (n_sorted != n_keys)
    return NULL;
  for (gsize i = 0; i < n_sorted; i++)
    {
      unchanged &= order[i] == i;
      sorted[i] = entries[order[i]];
    }
  if (unchanged)
    {
      *out_unchanged = TRUE;
      return NULL;
    }
  return g_variant_ref_sink (boto_variant_new_vardict (sorted, n_sorted));
}

static GVariant *
with_retry_metadata (GVariant   *response,
                     guint       retries,
                     gboolean    max_attempts_reached,
                     const char *checksum_algorithm)
{
  g_autoptr(GVariant) meta = g_variant_lookup_value (response, "ResponseMetadata", G_VARIANT_TYPE_VARDICT);
  GVariantDict meta_dict;

  if (meta != NULL && g_variant_is_of_type (response, G_VARIANT_TYPE_VARDICT))
    {
      gboolean unchanged = FALSE;
      g_autoptr(GVariant) updated = metadata_with_retries (meta, (gint32) retries, max_attempts_reached,
                                                          checksum_algorithm, &unchanged);

      if (unchanged)
        return g_variant_ref (response);
      if (updated != NULL)
        return vardict_replace (response, "ResponseMetadata", updated);
    }

  g_variant_dict_init (&meta_dict, meta);
  g_variant_dict_insert (&meta_dict, "RetryAttempts", "i", (gint32) retries);
  if (max_attempts_reached)
    g_variant_dict_insert (&meta_dict, "MaxAttemptsReached", "b", TRUE);
  /* botocore says which response checksum it verifies (or, for a stream,
   * will verify as it is read). */
  if (checksum_algorithm != NULL)
    g_variant_dict_insert (&meta_dict, "ChecksumAlgorithm", "s", checksum_algorithm);
  if (g_variant_is_of_type (response, G_VARIANT_TYPE_VARDICT))
    return vardict_replace (response, "ResponseMetadata", g_variant_dict_end (&meta_dict));
  else
    {
      GVariantDict dict;

      g_variant_dict_init (&dict, response);
      g_variant_dict_insert_value (&dict, "ResponseMetadata", g_variant_dict_end (&meta_dict));
      return g_variant_ref_sink (g_variant_dict_end (&dict));
    }
}

/* After the last attempt: the response with its retry count. */
static void
call_finish_outcome (CallState *st,
                     gboolean   exhausted)
{
  if (st->response != NULL)
    {
      GVariant *updated = with_retry_metadata (st->response, st->attempt - 1,
                                               exhausted && st->is_error,
                                               st->checksum_checked >= 0 && !st->is_error
                                               ? boto_checksum_algorithm_get_name (st->checksum_checked)
                                               : NULL);

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

/* Response bodies ---------------------------------------------------------
 *
 * A response body is read whole into memory (there is no streaming API
 * yet), so its size is bounded: a Content-Length above the bound fails as
 * soon as the headers arrive, before anything is allocated, and a body
 * without a length stops growing at the bound (the memory stream's
 * realloc refuses). The errors name the HTTP status.
 */
#define MAX_RESPONSE_BODY ((gsize) 1 << 30)   /* 1 GiB */

static gpointer
capped_realloc (gpointer data,
                gsize    size)
{
  if (size > MAX_RESPONSE_BODY)
    return NULL;
  return g_realloc (data, size);
}

/* FALSE with @error when the declared length is above the bound. */
static gboolean
check_declared_length (BotoOperationModel  *op,
                       SoupMessage         *message,
                       GError             **error)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (message);
  goffset length;

  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    return TRUE;
  length = soup_message_headers_get_content_length (headers);
  if (length >= 0 && (guint64) length <= MAX_RESPONSE_BODY)
    return TRUE;
  g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_RESPONSE,
               "The HTTP %u response to %s declares a body of %" G_GOFFSET_FORMAT
               " bytes, more than the %" G_GSIZE_FORMAT " bytes a response may have",
               soup_message_get_status (message), boto_operation_model_get_name (op),
               length, MAX_RESPONSE_BODY);
  return FALSE;
}

/* The body read into memory, or NULL with @error (which names the status
 * when the headers had arrived). */
static GBytes *
finish_body_read (BotoOperationModel  *op,
                  SoupMessage         *message,
                  GOutputStream       *sink,
                  GError              *read_error,
                  GError             **error)
{
  if (read_error == NULL)
    return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (sink));
  if (g_error_matches (read_error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_RESPONSE,
                   "The body of the HTTP %u response to %s is larger than the %"
                   G_GSIZE_FORMAT " bytes a response may have",
                   soup_message_get_status (message), boto_operation_model_get_name (op),
                   MAX_RESPONSE_BODY);
      g_error_free (read_error);
      return NULL;
    }
  if (!g_error_matches (read_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_prefix_error (&read_error, "Reading the body of the HTTP %u response to %s failed: ",
                    soup_message_get_status (message), boto_operation_model_get_name (op));
  g_propagate_error (error, read_error);
  return NULL;
}

static GOutputStream *
body_sink_new (void)
{
  return g_memory_output_stream_new (NULL, 0, capped_realloc, g_free);
}

/* The whole body of @stream (then closed), as g_output_stream_splice () into
 * a body_sink_new () would give it, without the memory stream: one buffer
 * of the declared length when there is one. */
static GBytes *
read_body (CallState     *st,
           SoupMessage   *message,
           GInputStream  *stream,
           GError       **error)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (message);
  goffset declared = soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
                     ? soup_message_headers_get_content_length (headers) : -1;
  /* Grown as it comes beyond the first MiB, whatever the length says. */
  gsize capacity = declared >= 0 ? MIN ((gsize) declared + 1, 1024 * 1024) : 8192;
  gsize length = 0;
  guint8 *data = g_malloc (capacity);
  GError *read_error = NULL;

  for (;;)
    {
      gssize n;

      if (length == capacity)
        {
          if (capacity >= MAX_RESPONSE_BODY)
            {
              guint8 probe;

              /* Full: fine if that was all of it. */
              n = g_input_stream_read (stream, &probe, 1, st->cancellable, &read_error);
              if (n > 0)
                g_set_error_literal (&read_error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "Response body too large");
              break;
            }
          capacity = MIN (capacity * 2, MAX_RESPONSE_BODY);
          data = g_realloc (data, capacity);
        }
      n = g_input_stream_read (stream, data + length, capacity - length, st->cancellable, &read_error);
      if (n <= 0)
        break;
      length += (gsize) n;
    }
  /* As splice: the source is closed whatever happened, and a failure to
   * close it does not count (a server may close the connection right after
   * an early answer). */
  g_input_stream_close (stream, st->cancellable, NULL);
  if (read_error != NULL)
    {
      g_free (data);
      return finish_body_read (st->op, message, NULL, read_error, error);
    }
  return g_bytes_new_take (g_realloc (data, MAX (length, 1)), length);
}

static GBytes *
send_and_read (CallState    *st,
               SoupMessage  *message,
               GError      **error)
{
  g_autoptr(GInputStream) stream = soup_session_send (st->client->soup, message, call_attempt_cancellable (st), error);

  if (stream == NULL)
    return NULL;
  if (!check_declared_length (st->op, message, error))
    {
      g_input_stream_close (stream, NULL, NULL);
      return NULL;
    }
  return read_body (st, message, stream, error);
}

/* An error response's body, read whole (bounded as any other). */
static GBytes *
read_all (CallState     *st,
          SoupMessage   *message,
          GInputStream  *stream,
          GError       **error)
{
  g_autoptr(GOutputStream) sink = body_sink_new ();
  GError *read_error = NULL;

  if (!check_declared_length (st->op, message, error))
    {
      g_input_stream_close (stream, NULL, NULL);
      return NULL;
    }
  g_output_stream_splice (sink, stream,
                          G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                          st->cancellable, &read_error);
  return finish_body_read (st->op, message, sink, read_error, error);
}

/* The synchronous pipeline; on return, st->response/is_error or st->error. */
static void
call_run_sync (CallState *st)
{
  for (;;)
    {
      g_autoptr(SoupMessage) message = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GInputStream) stream = NULL;
      GError *send_error = NULL;
      gint64 delay = 0;
      guint status;

      g_clear_error (&st->error);
      message = call_build_message (st, &st->error);
      if (message == NULL)
        return;
      st->attempt++;
      if (st->client->rate_limiter != NULL)
        {
          gint64 wait = boto_rate_limiter_reserve (st->client->rate_limiter);

          if (wait > 0 && !sleep_cancellable (wait, st->cancellable, &st->error))
            return;
        }
      if (st->flags & CALL_STREAMING)
        {
          stream = soup_session_send (st->client->soup, message, call_attempt_cancellable (st), &send_error);
          if (stream != NULL && !SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (message)))
            {
              /* An error: read it whole, as any other. */
              body = read_all (st, message, stream, &send_error);
              g_clear_object (&stream);
            }
        }
      else
        body = send_and_read (st, message, &send_error);
      status = call_take_response (st, message, body, stream, send_error);
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
  g_autoptr(CallState) st = call_prepare (self, operation_name, params, NULL, -1, CALL_NORMAL,
                                          cancellable, error);

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
 * Calls @operation_name and waits for the answer, retrying as the
 * configured retry mode of botocore does (see [class@Boto.Client]).
 *
 * Errors: %BOTO_CLIENT_ERROR_PARAM_VALIDATION (nothing was sent),
 * other %BOTO_CLIENT_ERROR codes, %BOTO_SERVICE_ERROR for an error the
 * service returned (read its details with [func@Boto.ServiceError.get_code]
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

/* One attempt is over: retry, or return. Takes ownership of @task. */
static void
on_attempt_done (GTask        *task,
                 GBytes       *body,
                 GInputStream *stream,
                 GError       *send_error)
{
  CallState *st = g_task_get_task_data (task);
  g_autoptr(SoupMessage) message = g_steal_pointer (&st->message);
  gint64 delay = 0;
  guint status;

  status = call_take_response (st, message, body, stream, send_error);
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

static void
on_body_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  CallState *st = g_task_get_task_data (task);
  GError *read_error = NULL;
  GError *send_error = NULL;
  g_autoptr(GBytes) body = NULL;

  g_output_stream_splice_finish (G_OUTPUT_STREAM (source), result, &read_error);
  body = finish_body_read (st->op, st->message, G_OUTPUT_STREAM (source), read_error, &send_error);
  on_attempt_done (task, body, NULL, send_error);
}

/* The headers are in: a streamed success goes to the caller as it is;
 * anything else is read whole into a bounded buffer first. */
static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  CallState *st = g_task_get_task_data (task);
  GError *send_error = NULL;
  g_autoptr(GInputStream) stream = soup_session_send_finish (SOUP_SESSION (source), result, &send_error);
  g_autoptr(GOutputStream) sink = NULL;

  if (stream != NULL && (st->flags & CALL_STREAMING) &&
      SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (st->message)))
    {
      on_attempt_done (task, NULL, stream, NULL);
      return;
    }
  if (stream != NULL && !check_declared_length (st->op, st->message, &send_error))
    {
      g_input_stream_close (stream, NULL, NULL);
      g_clear_object (&stream);
    }
  if (stream == NULL)
    {
      on_attempt_done (task, NULL, NULL, send_error);
      return;
    }

  sink = body_sink_new ();
  g_output_stream_splice_async (sink, stream,
                                G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                g_task_get_priority (task), st->cancellable, on_body_read, task);
}

static void call_send_now (GTask *task);

static gboolean
on_rate_limit_done (gpointer user_data)
{
  GTask *task = user_data;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }
  call_send_now (task);
  return G_SOURCE_REMOVE;
}

static void call_start_async (BotoClient          *self,
                              const char          *operation_name,
                              GVariant            *params,
                              GInputStream        *body,
                              gint64               body_length,
                              CallFlags            flags,
                              GCancellable        *cancellable,
                              gpointer             source_tag,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data);

static void
on_credentials (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  CallState *st = g_task_get_task_data (task);
  GError *local_error = NULL;

  st->credentials = boto_session_get_credentials_finish (BOTO_SESSION (source), result, &local_error);
  if (st->credentials == NULL)
    {
      g_task_return_error (task, local_error);
      g_object_unref (task);
      return;
    }
  call_send_attempt (task);
}

/* The HeadBucket asked for the bucket's region: redirect there, or return
 * the first answer. */
static void
on_region_probed (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  CallState *st = g_task_get_task_data (task);
  g_autofree char *region = NULL;
  g_autoptr(GError) probe_error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &probe_error))
    region = probed_region (g_task_get_task_data (G_TASK (result)));
  else
    g_debug ("HeadBucket for the region of S3 bucket %s failed: %s", st->bucket, probe_error->message);
  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  if (call_redirect_to (st, region))
    {
      call_send_attempt (task);
      return;
    }
  call_finish_outcome (st, is_retryable_outcome_exhausted (st));
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

  if (st->probe_region)
    {
      st->probe_region = FALSE;
      call_start_async (st->client, "HeadBucket", probe_params (st), NULL, -1, CALL_NO_REGION_PROBE,
                        st->cancellable, on_region_probed, on_region_probed, task);
      return;
    }
  /* Credentials that need loading or refreshing are got in a worker
   * thread, never on the caller's main context. */
  if (st->signer != NULL && st->credentials == NULL &&
      (st->credentials = boto_session_peek_credentials (st->client->session)) == NULL)
    {
      boto_session_get_credentials_async (st->client->session, st->cancellable, on_credentials, task);
      return;
    }

  message = call_build_message (st, &local_error);
  if (message == NULL)
    {
      g_task_return_error (task, local_error);
      g_object_unref (task);
      return;
    }
  st->attempt++;
  g_set_object (&st->message, message);
  if (st->client->rate_limiter != NULL)
    {
      gint64 wait = boto_rate_limiter_reserve (st->client->rate_limiter);

      if (wait > 0)
        {
          g_autoptr(GSource) timeout = g_timeout_source_new ((guint) ((wait + 999) / 1000));

          g_source_set_callback (timeout, on_rate_limit_done, task, NULL);
          g_source_set_name (timeout, "[boto-glib] client-side rate limit");
          g_source_attach (timeout, g_task_get_context (task));
          return;   /* the source holds our task reference */
        }
    }
  call_send_now (task);
}

/* Sends the attempt built in st->message. Takes ownership of @task. */
static void
call_send_now (GTask *task)
{
  CallState *st = g_task_get_task_data (task);
  SoupMessage *message = st->message;

  soup_session_send_async (st->client->soup, message, g_task_get_priority (task),
                           call_attempt_cancellable (st), on_sent, task);
}

static void
call_start_async (BotoClient          *self,
                  const char          *operation_name,
                  GVariant            *params,
                  GInputStream        *body,
                  gint64               body_length,
                  CallFlags            flags,
                  GCancellable        *cancellable,
                  gpointer             source_tag,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  GError *local_error = NULL;
  CallState *st;

  g_task_set_source_tag (task, source_tag);
  st = call_prepare (self, operation_name, params, body, body_length, flags, cancellable, &local_error);
  if (st == NULL)
    {
      g_task_return_error (task, local_error);
      g_object_unref (task);
      return;
    }
  st->async = TRUE;
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
 * main context, never blocking it. Credentials that need loading or
 * refreshing are got in a worker thread, as
 * [method@Boto.Session.get_credentials_async] does. Finish with
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

  call_start_async (self, operation_name, params, NULL, -1, CALL_NORMAL, cancellable, boto_client_call_async,
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

  call_start_async (self, operation_name, params, NULL, -1, CALL_NORMAL, cancellable,
                    boto_client_call_full_async,
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
  return g_hash_table_lookup (snake_names (self), operation_name);
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
    names->pdata[i] = boto_xform_name (names->pdata[i]);
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
      g_autofree char *snake = boto_xform_name (name);

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

/* Presigned URLs and streaming payloads */

/* What a presigned URL needs before credentials: the request built as
 * the call would build it (no default checksum) and a SigV4 signer. */
static CallState *
presign_prepare (BotoClient    *self,
                 const char    *operation_name,
                 GVariant      *params,
                 gint           expires_in,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(CallState) st = call_prepare (self, operation_name, params, NULL, -1, CALL_PRESIGN,
                                          cancellable, error);

  if (st == NULL)
    return NULL;
  if (expires_in <= 0 || expires_in > 604800)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                   "Parameter validation failed:\nExpiresIn must be between 1 and 604800 seconds, not %d",
                   expires_in);
      return NULL;
    }
  if (st->signer == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED,
                   "Operation %s is not signed, so it cannot be presigned",
                   boto_operation_model_get_name (st->op));
      return NULL;
    }
  return g_steal_pointer (&st);
}

/* An HTTP method: a token of RFC 9110 (letters, digits and !#$%&'*+-.^_`|~). */
static gboolean
is_http_token (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("!#$%&'*+-.^_`|~", *p) == NULL)
      return FALSE;
  return TRUE;
}

/**
 * boto_client_generate_presigned_url:
 * @self: a client
 * @operation_name: the operation (model or snake-case name), such as
 *   `GetObject`
 * @params: (nullable): the parameters, `a{sv}`, as for
 *   [method@Boto.Client.call]; a floating reference is consumed
 * @expires_in: how long the URL is valid, in seconds (botocore's default is
 *   3600; SigV4 allows at most 604800)
 * @error: return location for a #GError
 *
 * Builds the request [method@Boto.Client.call] would send and signs it
 * with Signature Version 4 in the query string (`X-Amz-Algorithm`,
 * `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`, `X-Amz-SignedHeaders`,
 * `X-Amz-Signature`), as botocore's `generate_presigned_url` does with
 * `signature_version='s3v4'`: anyone holding the URL may make that one
 * request, without credentials, until it expires. For S3 the payload is
 * `UNSIGNED-PAYLOAD`, so a presigned `PutObject` URL takes any body. No
 * default checksum is added. Headers the parameters produce (such as
 * `Content-Type` from `ContentType`) are signed and must be sent with the
 * request.
 *
 * Unlike botocore, S3 URLs are never signed with the legacy Signature
 * Version 2 (`AWSAccessKeyId`/`Signature`/`Expires`).
 *
 * Nothing is sent; credentials may be loaded or refreshed, which can
 * block, as [method@Boto.Session.get_credentials]. From a main loop, use
 * [method@Boto.Client.generate_presigned_url_async].
 *
 * Returns: (transfer full): the URL, or %NULL with @error set
 *   (%BOTO_CLIENT_ERROR_PARAM_VALIDATION, %BOTO_CLIENT_ERROR_NO_CREDENTIALS …)
 *
 * Since: 1.0
 */
char *
boto_client_generate_presigned_url (BotoClient  *self,
                                    const char  *operation_name,
                                    GVariant    *params,
                                    gint         expires_in,
                                    GError     **error)
{
  return boto_client_generate_presigned_url_full (self, operation_name, params, expires_in, NULL, error);
}

/**
 * boto_client_generate_presigned_url_full:
 * @self: a client
 * @operation_name: the operation (model or snake-case name), such as
 *   `GetObject`
 * @params: (nullable): the parameters, `a{sv}`, as for
 *   [method@Boto.Client.call]; a floating reference is consumed
 * @expires_in: how long the URL is valid, in seconds
 * @http_method: (nullable): the HTTP method the URL is signed for, in place
 *   of the operation's own (boto3's `HttpMethod`)
 * @error: return location for a #GError
 *
 * [method@Boto.Client.generate_presigned_url] with boto3's `HttpMethod`:
 * the request is built as for @operation_name and signed for
 * @http_method (upper-cased, as SigV4 signs it), so the URL answers only
 * a request made with that method.
 *
 * Returns: (transfer full): the URL, or %NULL with @error set
 *
 * Since: 1.0
 */
char *
boto_client_generate_presigned_url_full (BotoClient  *self,
                                         const char  *operation_name,
                                         GVariant    *params,
                                         gint         expires_in,
                                         const char  *http_method,
                                         GError     **error)
{
  g_autoptr(CallState) st = NULL;
  g_autoptr(BotoCredentials) credentials = NULL;

  g_return_val_if_fail (BOTO_IS_CLIENT (self), NULL);
  g_return_val_if_fail (operation_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (http_method != NULL && !is_http_token (http_method))
    {
      if (params != NULL)
        g_variant_unref (g_variant_ref_sink (params));
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                   "Parameter validation failed:\nHttpMethod “%s” is not an HTTP method", http_method);
      return NULL;
    }
  st = presign_prepare (self, operation_name, params, expires_in, NULL, error);
  if (st == NULL)
    return NULL;
  if (http_method != NULL)
    {
      g_autofree char *upper = g_ascii_strup (http_method, -1);

      boto_http_request_set_method (st->request, upper);
    }
  credentials = boto_session_get_credentials (self->session, error);
  if (credentials == NULL)
    return NULL;
  return boto_sigv4_signer_presign_url (st->signer, st->request, credentials, (guint) expires_in, error);
}

typedef struct
{
  CallState *st;
  guint      expires_in;
} PresignData;

static void
presign_data_free (PresignData *data)
{
  call_state_free (data->st);
  g_free (data);
}

static void
presign_on_credentials (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PresignData *data = g_task_get_task_data (task);
  g_autoptr(BotoCredentials) credentials = NULL;
  GError *error = NULL;
  char *url;

  credentials = boto_session_get_credentials_finish (BOTO_SESSION (source), result, &error);
  if (credentials == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  url = boto_sigv4_signer_presign_url (data->st->signer, data->st->request, credentials,
                                       data->expires_in, &error);
  if (url == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, url, g_free);
}

/**
 * boto_client_generate_presigned_url_async:
 * @self: a #BotoClient
 * @operation_name: the operation (model or snake-case name)
 * @params: (nullable): the parameters, `a{sv}`; a floating reference is
 *   consumed
 * @expires_in: how long the URL is valid, in seconds (1 to 604800)
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the URL is ready
 * @user_data: data for @callback
 *
 * Does what [method@Boto.Client.generate_presigned_url] does without
 * blocking the thread's main context: credentials are loaded or refreshed
 * with [method@Boto.Session.get_credentials_async]. Bad parameters are
 * reported through the callback too.
 *
 * Since: 1.0
 */
void
boto_client_generate_presigned_url_async (BotoClient          *self,
                                          const char          *operation_name,
                                          GVariant            *params,
                                          gint                 expires_in,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PresignData *data;
  CallState *st;
  GError *error = NULL;

  g_return_if_fail (BOTO_IS_CLIENT (self));
  g_return_if_fail (operation_name != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, boto_client_generate_presigned_url_async);
  st = presign_prepare (self, operation_name, params, expires_in, cancellable, &error);
  if (st == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  data = g_new0 (PresignData, 1);
  data->st = st;
  data->expires_in = (guint) expires_in;
  g_task_set_task_data (task, data, (GDestroyNotify) presign_data_free);
  boto_session_get_credentials_async (self->session, cancellable, presign_on_credentials,
                                      g_steal_pointer (&task));
}

/**
 * boto_client_generate_presigned_url_finish:
 * @self: a #BotoClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Boto.Client.generate_presigned_url_async].
 *
 * Returns: (transfer full): the URL, or %NULL with @error set
 *
 * Since: 1.0
 */
char *
boto_client_generate_presigned_url_finish (BotoClient    *self,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  g_return_val_if_fail (BOTO_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * boto_client_generate_presigned_post:
 * @self: an `s3` client
 * @bucket: the bucket to upload to
 * @key: the object's key; a key ending in `${filename}` lets the browser
 *   put the uploaded file's name there
 * @fields: (nullable): form fields to fill in beforehand, a dictionary of
 *   strings (`a{ss}` or `a{sv}`), such as `acl`; a floating reference is
 *   consumed
 * @conditions: (nullable): further policy conditions, an array of
 *   JSON-like values (`{"acl": "public-read"}`,
 *   `["content-length-range", 1, 1048576]`); a floating reference is
 *   consumed
 * @expires_in: how long the policy is valid, in seconds (botocore's
 *   default is 3600)
 * @error: return location for a #GError
 *
 * Makes what a web page needs to let a browser upload one object straight
 * to S3 with an HTML form, as boto3's `generate_presigned_post`: the URL
 * to post to and the form's fields, with a policy (the bucket, the key,
 * @conditions) signed with Signature Version 4. A condition on a field
 * needs the field in @fields as well.
 *
 * Nothing is sent; credentials may be loaded or refreshed, which can
 * block, as [method@Boto.Session.get_credentials].
 *
 * Returns: (transfer full): `a{sv}` with `url` (`s`) and `fields`
 *   (`a{ss}`, in the order a form sends them, `file` to be added last), or
 *   %NULL with @error set
 *
 * Since: 1.0
 */
GVariant *
boto_client_generate_presigned_post (BotoClient  *self,
                                     const char  *bucket,
                                     const char  *key,
                                     GVariant    *fields,
                                     GVariant    *conditions,
                                     gint         expires_in,
                                     GError     **error)
{
  g_autoptr(GVariant) owned_fields = fields != NULL ? g_variant_ref_sink (fields) : NULL;
  g_autoptr(GVariant) owned_conditions = conditions != NULL ? g_variant_ref_sink (conditions) : NULL;
  g_autoptr(CallState) st = NULL;
  g_autoptr(BotoCredentials) credentials = NULL;
  g_autoptr(GVariant) all_fields = NULL;
  g_autoptr(GVariant) all_conditions = NULL;
  g_autoptr(GVariant) signed_fields = NULL;
  g_autofree char *url = NULL;
  GVariantBuilder builder;
  GVariantDict dict;

  g_return_val_if_fail (BOTO_IS_CLIENT (self), NULL);
  g_return_val_if_fail (bucket != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (strcmp (self->service_name, "s3") != 0)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED,
                   "generate_presigned_post is a method of s3 clients, not of %s clients", self->service_name);
      return NULL;
    }
  if (owned_fields != NULL && !g_variant_is_of_type (owned_fields, G_VARIANT_TYPE ("a{s*}")))
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                   "Parameter validation failed:\nFields must be a dictionary of strings, not %s",
                   g_variant_get_type_string (owned_fields));
      return NULL;
    }
  if (owned_conditions != NULL &&
      (!g_variant_is_of_type (owned_conditions, G_VARIANT_TYPE_ARRAY) ||
       g_variant_is_of_type (owned_conditions, G_VARIANT_TYPE ("a{s*}"))))
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                   "Parameter validation failed:\nConditions must be a list, not %s",
                   g_variant_get_type_string (owned_conditions));
      return NULL;
    }

  /* CreateBucket's request is the bucket's URL, as botocore builds it. */
  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "Bucket", "s", bucket);
  st = presign_prepare (self, "CreateBucket", g_variant_dict_end (&dict), expires_in, NULL, error);
  if (st == NULL)
    return NULL;

  /* The bucket and the key join the conditions, the key the fields. */
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("av"));
  for (gsize i = 0; owned_conditions != NULL && i < g_variant_n_children (owned_conditions); i++)
    {
      g_autoptr(GVariant) condition = g_variant_get_child_value (owned_conditions, i);

      g_variant_builder_add (&builder, "v", condition);
    }
  g_variant_builder_add (&builder, "v", g_variant_new_parsed ("{'bucket': %s}", bucket));
  if (g_str_has_suffix (key, "${filename}"))
    {
      g_autofree char *prefix = g_strndup (key, strlen (key) - strlen ("${filename}"));
      const char *items[] = { "starts-with", "$key", prefix };

      g_variant_builder_add (&builder, "v", g_variant_new_strv (items, G_N_ELEMENTS (items)));
    }
  else
    g_variant_builder_add (&builder, "v", g_variant_new_parsed ("{'key': %s}", key));
  all_conditions = g_variant_ref_sink (g_variant_builder_end (&builder));

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  if (owned_fields != NULL)
    {
      GVariantIter iter;
      GVariant *entry;

      g_variant_iter_init (&iter, owned_fields);
      while ((entry = g_variant_iter_next_value (&iter)) != NULL)
        {
          g_autoptr(GVariant) owned = entry;
          g_autoptr(GVariant) name = g_variant_get_child_value (entry, 0);
          g_autoptr(GVariant) value = g_variant_get_child_value (entry, 1);
          g_autoptr(GVariant) item = g_variant_is_of_type (value, G_VARIANT_TYPE_VARIANT)
                                     ? g_variant_get_variant (value) : g_variant_ref (value);

          /* A key given in the fields keeps its place, with @key's value. */
          if (strcmp (g_variant_get_string (name, NULL), "key") == 0)
            g_variant_builder_add (&builder, "{sv}", "key", g_variant_new_string (key));
          else
            g_variant_builder_add (&builder, "{sv}", g_variant_get_string (name, NULL), item);
        }
      if (!g_variant_lookup (owned_fields, "key", "*", NULL))
        g_variant_builder_add (&builder, "{sv}", "key", g_variant_new_string (key));
    }
  else
    g_variant_builder_add (&builder, "{sv}", "key", g_variant_new_string (key));
  all_fields = g_variant_ref_sink (g_variant_builder_end (&builder));

  credentials = boto_session_get_credentials (self->session, error);
  if (credentials == NULL)
    return NULL;
  signed_fields = boto_sigv4_signer_presign_post (st->signer, credentials, all_fields, all_conditions,
                                                  (guint) expires_in, NULL, error);
  if (signed_fields == NULL)
    return NULL;

  url = boto_http_request_dup_url (st->request);
  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "url", "s", url);
  g_variant_dict_insert_value (&dict, "fields", signed_fields);
  return g_variant_ref_sink (g_variant_dict_end (&dict));
}

/* Database authentication tokens (botocore's generate_db_auth_token and
 * the DSQL pair): a GET of `/?Action=…` on the database's own host,
 * presigned with SigV4 under @signing_name, and handed out without its
 * `https://`. */
static char *
db_auth_token (BotoClient  *self,
               const char  *service,
               const char  *method_name,
               const char  *authority,
               const char  *action,
               const char  *db_user,
               const char  *region,
               gint         expires_in,
               const char  *signing_name,
               GError     **error)
{
  g_autoptr(BotoHttpRequest) request = NULL;
  g_autoptr(BotoSigV4Signer) signer = NULL;
  g_autoptr(BotoCredentials) credentials = NULL;
  g_autofree char *url = NULL;

  if (g_strcmp0 (self->service_name, service) != 0)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED,
                   "%s is a method of %s clients, not of %s clients", method_name, service,
                   self->service_name);
      return NULL;
    }
  if (region == NULL)
    region = self->region_name;
  if (region == NULL || *region == '\0')
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_REGION,
                   "%s needs a region: pass one, or create the client with one", method_name);
      return NULL;
    }
  if (expires_in <= 0 || expires_in > 604800)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                   "Parameter validation failed:\nExpiresIn must be between 1 and 604800 seconds, not %d",
                   expires_in);
      return NULL;
    }

  if (*authority == '\0' || strpbrk (authority, "/?#@ \t\r\n") != NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                   "Parameter validation failed:\nInvalid host name for %s: \"%s\"", method_name, authority);
      return NULL;
    }
  url = g_strconcat ("https://", authority, "/", NULL);
  request = boto_http_request_new_from_url ("GET", url, error);
  if (request == NULL)
    return NULL;
  boto_http_request_add_query (request, "Action", action);
  if (db_user != NULL)
    boto_http_request_add_query (request, "DBUser", db_user);

  credentials = boto_session_get_credentials (self->session, error);
  if (credentials == NULL)
    return NULL;
  signer = boto_sigv4_signer_new (signing_name, region, BOTO_SIGV4_FLAGS_NONE);
  g_clear_pointer (&url, g_free);
  url = boto_sigv4_signer_presign_url (signer, request, credentials, (guint) expires_in, error);
  if (url == NULL)
    return NULL;
  /* The authority as given: botocore keeps a `:443` the URL would drop
   * (the signed host header leaves it out either way). */
  return g_strconcat (authority, strchr (url + strlen ("https://"), '/'), NULL);
}

/**
 * boto_client_generate_db_auth_token:
 * @self: an `rds` client
 * @hostname: the database's host name
 * @port: the port the database listens on
 * @username: the database user to log in as
 * @region: (nullable): the database's region; %NULL for the client's
 * @error: return location for a #GError
 *
 * Makes the password for an IAM database login to Amazon RDS, as boto3's
 * `generate_db_auth_token`: a `connect` request for @username presigned
 * with Signature Version 4 for the `rds-db` service, valid for 15 minutes,
 * written without its scheme (`HOST:PORT/?Action=connect&DBUser=…`).
 *
 * Nothing is sent; credentials may be loaded or refreshed, which can
 * block, as [method@Boto.Session.get_credentials].
 *
 * Returns: (transfer full): the token, or %NULL with @error set (also when
 *   @self is not an `rds` client)
 *
 * Since: 1.0
 */
char *
boto_client_generate_db_auth_token (BotoClient  *self,
                                    const char  *hostname,
                                    guint        port,
                                    const char  *username,
                                    const char  *region,
                                    GError     **error)
{
  g_autofree char *authority = NULL;

  g_return_val_if_fail (BOTO_IS_CLIENT (self), NULL);
  g_return_val_if_fail (hostname != NULL, NULL);
  g_return_val_if_fail (username != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  authority = g_strdup_printf ("%s:%u", hostname, port);
  return db_auth_token (self, "rds", "generate_db_auth_token", authority, "connect", username, region,
                        900, "rds-db", error);
}

/**
 * boto_client_generate_db_connect_auth_token:
 * @self: a `dsql` client
 * @hostname: the cluster's endpoint host name
 * @region: (nullable): the cluster's region; %NULL for the client's
 * @expires_in: how long the token is valid, in seconds (boto3's default is
 *   900)
 * @error: return location for a #GError
 *
 * Makes the password for a `DbConnect` login to an Aurora DSQL cluster, as
 * boto3's `generate_db_connect_auth_token`: the action presigned with
 * Signature Version 4 for the `dsql` service, written without its scheme.
 * Nothing is sent.
 *
 * Returns: (transfer full): the token, or %NULL with @error set (also when
 *   @self is not a `dsql` client)
 *
 * Since: 1.0
 */
char *
boto_client_generate_db_connect_auth_token (BotoClient  *self,
                                            const char  *hostname,
                                            const char  *region,
                                            gint         expires_in,
                                            GError     **error)
{
  g_return_val_if_fail (BOTO_IS_CLIENT (self), NULL);
  g_return_val_if_fail (hostname != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return db_auth_token (self, "dsql", "generate_db_connect_auth_token", hostname, "DbConnect", NULL,
                        region, expires_in, "dsql", error);
}

/**
 * boto_client_generate_db_connect_admin_auth_token:
 * @self: a `dsql` client
 * @hostname: the cluster's endpoint host name
 * @region: (nullable): the cluster's region; %NULL for the client's
 * @expires_in: how long the token is valid, in seconds (boto3's default is
 *   900)
 * @error: return location for a #GError
 *
 * The same as [method@Boto.Client.generate_db_connect_auth_token] for the
 * `DbConnectAdmin` action (the `admin` role), as boto3's
 * `generate_db_connect_admin_auth_token`.
 *
 * Returns: (transfer full): the token, or %NULL with @error set
 *
 * Since: 1.0
 */
char *
boto_client_generate_db_connect_admin_auth_token (BotoClient  *self,
                                                  const char  *hostname,
                                                  const char  *region,
                                                  gint         expires_in,
                                                  GError     **error)
{
  g_return_val_if_fail (BOTO_IS_CLIENT (self), NULL);
  g_return_val_if_fail (hostname != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return db_auth_token (self, "dsql", "generate_db_connect_admin_auth_token", hostname, "DbConnectAdmin",
                        NULL, region, expires_in, "dsql", error);
}

static GVariant *
call_sync_streams (BotoClient     *self,
                   const char     *operation_name,
                   GVariant       *params,
                   GInputStream   *body,
                   gint64          body_length,
                   CallFlags       flags,
                   GInputStream  **out_body,
                   GCancellable   *cancellable,
                   GError        **error)
{
  g_autoptr(CallState) st = call_prepare (self, operation_name, params, body, body_length, flags,
                                          cancellable, error);
  GVariant *result;

  if (st == NULL)
    return NULL;
  call_run_sync (st);
  result = outcome_to_result (st, FALSE, NULL, error);
  if (result != NULL && out_body != NULL)
    {
      *out_body = g_steal_pointer (&st->response_body);
      if (*out_body == NULL)   /* an operation without a streaming payload */
        *out_body = g_memory_input_stream_new ();
    }
  return result;
}

/**
 * boto_client_call_streaming:
 * @self: a client
 * @operation_name: the operation (model or snake-case name), such as
 *   `GetObject`
 * @params: (nullable): the parameters, `a{sv}`; a floating reference is
 *   consumed
 * @out_body: (out) (transfer full) (optional): the response payload
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * As [method@Boto.Client.call], for an operation whose output payload is a
 * stream (S3 `GetObject`, Glacier `GetJobOutput` …): returns as soon as the
 * response headers have arrived, with the payload member (`Body`) left out
 * of the result and handed over as @out_body instead, to be read at the
 * caller's pace without holding the object in memory. Read it to the end
 * (or close it) before the client is used for many more calls, since it
 * holds one pooled connection. An operation without a streaming payload
 * gives an empty stream.
 *
 * When the response carries a checksum the client asked for
 * (`ChecksumMode` is set to `ENABLED` by default, as botocore's
 * `response_checksum_validation = when_supported` does, and the first of
 * `x-amz-checksum-crc32c`, `-crc32`, `-sha1`, `-sha256` present is
 * used; composite multipart checksums are skipped), the stream verifies it:
 * the read that reaches the end fails with
 * %BOTO_CLIENT_ERROR_CHECKSUM_MISMATCH if the data does not match. A body
 * shorter than its `Content-Length` fails with %G_IO_ERROR_PARTIAL_INPUT.
 *
 * Retries and redirects apply until the headers have arrived; a failure
 * while reading @out_body is not retried (as in botocore).
 *
 * Returns: (transfer full): the result without its payload member, as
 *   [method@Boto.Client.call]'s
 *
 * Since: 1.0
 */
GVariant *
boto_client_call_streaming (BotoClient     *self,
                            const char     *operation_name,
                            GVariant       *params,
                            GInputStream  **out_body,
                            GCancellable   *cancellable,
                            GError        **error)
{
  g_return_val_if_fail (BOTO_IS_CLIENT (self), NULL);
  g_return_val_if_fail (operation_name != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (out_body != NULL)
    *out_body = NULL;
  return call_sync_streams (self, operation_name, params, NULL, -1, CALL_STREAMING, out_body,
                            cancellable, error);
}

/**
 * boto_client_call_streaming_async:
 * @self: a client
 * @operation_name: the operation (model or snake-case name)
 * @params: (nullable): the parameters, `a{sv}`; a floating reference is
 *   consumed
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the response headers have arrived
 * @user_data: data for @callback
 *
 * Starts [method@Boto.Client.call_streaming] without blocking. Finish with
 * [method@Boto.Client.call_streaming_finish]; read the body with
 * g_input_stream_read_async() and its siblings on the same main context.
 *
 * Since: 1.0
 */
void
boto_client_call_streaming_async (BotoClient          *self,
                                  const char          *operation_name,
                                  GVariant            *params,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (BOTO_IS_CLIENT (self));
  g_return_if_fail (operation_name != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call_start_async (self, operation_name, params, NULL, -1, CALL_STREAMING, cancellable,
                    boto_client_call_streaming_async, callback, user_data);
}

/**
 * boto_client_call_streaming_finish:
 * @self: a client
 * @result: the result given to the callback
 * @out_body: (out) (transfer full) (optional): the response payload
 * @error: return location for a #GError
 *
 * Finishes [method@Boto.Client.call_streaming_async].
 *
 * Returns: (transfer full): the result without its payload member
 *
 * Since: 1.0
 */
GVariant *
boto_client_call_streaming_finish (BotoClient     *self,
                                   GAsyncResult   *result,
                                   GInputStream  **out_body,
                                   GError        **error)
{
  CallState *st;
  GVariant *value;

  g_return_val_if_fail (BOTO_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, boto_client_call_streaming_async), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (out_body != NULL)
    *out_body = NULL;
  value = call_finish_common (self, result, FALSE, NULL, error);
  st = g_task_get_task_data (G_TASK (result));
  if (value != NULL && out_body != NULL && st != NULL)
    {
      *out_body = g_steal_pointer (&st->response_body);
      if (*out_body == NULL)
        *out_body = g_memory_input_stream_new ();
    }
  return value;
}

/**
 * boto_client_call_with_body:
 * @self: a client
 * @operation_name: the operation (model or snake-case name), such as
 *   `PutObject` or `UploadPart`
 * @params: (nullable): the parameters without the payload member, `a{sv}`;
 *   a floating reference is consumed
 * @body: the payload (S3's `Body`)
 * @length: the number of bytes to send from @body
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * As [method@Boto.Client.call], with the operation's streaming input
 * payload read from @body, starting at its current position, and sent
 * without being held in memory (a payload that is already in memory can be
 * given as an `ay` parameter to [method@Boto.Client.call] instead).
 * Exactly @length bytes are sent; a stream that ends earlier fails the
 * call with %G_IO_ERROR_PARTIAL_INPUT. @body is not closed.
 *
 * Checksums, as botocore 1.36 and later: when the operation takes one
 * (S3 `PutObject`, `UploadPart` …) and `request_checksum_calculation` is
 * `when_supported` (the default), or requires one, a CRC32 — or the
 * algorithm named by the `ChecksumAlgorithm` parameter — is sent. Over
 * plain HTTP with a seekable @body, @body is read once before sending to
 * compute it and the payload's SHA-256 for the signature, then sent from
 * its start position, with the checksum in the `x-amz-checksum-*` header.
 * Over HTTPS, or when @body cannot seek, the body is sent `aws-chunked`
 * with the checksum in a trailer and an unsigned payload
 * (`STREAMING-UNSIGNED-PAYLOAD-TRAILER`), in one pass.
 *
 * Retries and redirects send the body again from its start: a seekable
 * @body is rewound; a body that cannot seek is never sent twice — if an
 * attempt that had started reading it fails, the call fails with that
 * error (its message says it was not retried) rather than sending half a
 * body.
 *
 * Returns: (transfer full): the result, as [method@Boto.Client.call]'s
 *
 * Since: 1.0
 */
GVariant *
boto_client_call_with_body (BotoClient    *self,
                            const char    *operation_name,
                            GVariant      *params,
                            GInputStream  *body,
                            gint64         length,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_return_val_if_fail (BOTO_IS_CLIENT (self), NULL);
  g_return_val_if_fail (operation_name != NULL, NULL);
  g_return_val_if_fail (G_IS_INPUT_STREAM (body), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return call_sync_streams (self, operation_name, params, body, length, CALL_NORMAL, NULL,
                            cancellable, error);
}

/**
 * boto_client_call_with_body_async:
 * @self: a client
 * @operation_name: the operation (model or snake-case name)
 * @params: (nullable): the parameters without the payload member, `a{sv}`;
 *   a floating reference is consumed
 * @body: the payload
 * @length: the number of bytes to send from @body
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the call is done
 * @user_data: data for @callback
 *
 * Starts [method@Boto.Client.call_with_body] without blocking; @body is read
 * with its asynchronous API. (Over plain HTTP a seekable @body is read
 * once, blocking, to compute its checksum before the call starts.) Finish
 * with [method@Boto.Client.call_with_body_finish].
 *
 * Since: 1.0
 */
void
boto_client_call_with_body_async (BotoClient          *self,
                                  const char          *operation_name,
                                  GVariant            *params,
                                  GInputStream        *body,
                                  gint64               length,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (BOTO_IS_CLIENT (self));
  g_return_if_fail (operation_name != NULL);
  g_return_if_fail (G_IS_INPUT_STREAM (body));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call_start_async (self, operation_name, params, body, length, CALL_NORMAL, cancellable,
                    boto_client_call_with_body_async, callback, user_data);
}

/**
 * boto_client_call_with_body_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Boto.Client.call_with_body_async].
 *
 * Returns: (transfer full): the result, as [method@Boto.Client.call]'s
 *
 * Since: 1.0
 */
GVariant *
boto_client_call_with_body_finish (BotoClient    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (BOTO_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, boto_client_call_with_body_async), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return call_finish_common (self, result, FALSE, NULL, error);
}

/**
 * boto_client_call_with_file:
 * @self: a client
 * @operation_name: the operation (model or snake-case name), such as
 *   `PutObject`
 * @params: (nullable): the parameters without the payload member, `a{sv}`;
 *   a floating reference is consumed
 * @file: the file whose whole content is the payload
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * [method@Boto.Client.call_with_body] with the content of @file (opened,
 * measured, sent and closed here; a file stream is seekable, so a retry
 * sends it again). For an asynchronous upload, open the file with
 * g_file_read_async() and use [method@Boto.Client.call_with_body_async].
 *
 * Returns: (transfer full): the result, as [method@Boto.Client.call]'s
 *
 * Since: 1.0
 */
GVariant *
boto_client_call_with_file (BotoClient    *self,
                            const char    *operation_name,
                            GVariant      *params,
                            GFile         *file,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(GVariant) owned = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;
  GVariant *result;

  g_return_val_if_fail (BOTO_IS_CLIENT (self), NULL);
  g_return_val_if_fail (operation_name != NULL, NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  owned = params != NULL ? g_variant_ref_sink (params) : NULL;
  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return NULL;
  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, error);
  if (info == NULL)
    return NULL;
  result = call_sync_streams (self, operation_name, owned, G_INPUT_STREAM (stream),
                              g_file_info_get_size (info), CALL_NORMAL, NULL, cancellable, error);
  g_input_stream_close (G_INPUT_STREAM (stream), NULL, NULL);
  return result;
}

SoupSession *
boto_client_get_soup_session (BotoClient *self)
{
  g_return_val_if_fail (BOTO_IS_CLIENT (self), NULL);
  return self->soup;
}
