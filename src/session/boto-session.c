/* boto-session.c: region, profile and credentials; the factory of clients
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "boto-error.h"
#include "boto-session.h"
#include "boto-service-model.h"
#include "boto-config.h"
#include "boto-config-file-private.h"
#include "boto-credential-providers-private.h"
#include "boto-session-private.h"

/**
 * BotoSession:
 *
 * What boto3's `Session` holds: a region, a profile and credentials, and
 * (as later layers land) the factory of clients and service resources.
 *
 * Each setting comes, as in botocore, from the explicit construct property
 * first, then from botocore's environment variables:
 *
 * - region: [property@Boto.Session:region-name], else `AWS_DEFAULT_REGION`
 *   (not `AWS_REGION`, which botocore ignores), else the profile's `region`
 *   in the config file;
 * - profile: [property@Boto.Session:profile-name], else
 *   `AWS_DEFAULT_PROFILE`, else `AWS_PROFILE`, else `default`;
 * - credentials: botocore's chain, in its order: the `aws-access-key-id`,
 *   `aws-secret-access-key` and `aws-session-token` properties; else
 *   `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SECURITY_TOKEN` or
 *   `AWS_SESSION_TOKEN` (botocore reads them in that order), refreshed from
 *   the environment when `AWS_CREDENTIAL_EXPIRATION` says they expire —
 *   unless a profile was given explicitly, which
 *   takes the environment's credentials (and its web identity variables)
 *   out of the chain; else a profile with `role_arn` assumes that role with
 *   STS `AssumeRole`, signed with the credentials of its `source_profile`
 *   (which may itself assume a role; loops are refused) or its
 *   `credential_source` (`Environment`, `Ec2InstanceMetadata` or
 *   `EcsContainer`), with its `role_session_name` (default
 *   `botocore-session-<time>`), `external_id` and `duration_seconds`
 *   (`mfa_serial` gives an error: a library cannot prompt for the code);
 *   else a web identity (`AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN`,
 *   `AWS_ROLE_SESSION_NAME`, or the profile's `web_identity_token_file`,
 *   `role_arn`, `role_session_name`) is exchanged with STS
 *   `AssumeRoleWithWebIdentity`; else a profile with `sso_role_name` and
 *   `sso_account_id` (with `sso_start_url` and `sso_region`, or an
 *   `sso_session` naming an `[sso-session]` section) gets role credentials
 *   from SSO with the token `aws sso login` left in `~/.aws/sso/cache`
 *   (an expired token is an error: it is not refreshed through SSO-OIDC);
 *   else the profile's keys in the shared
 *   credentials file, its `credential_process`, its keys in the config
 *   file; else `AWS_CREDENTIAL_FILE` (`AWSAccessKeyId=`/`AWSSecretKey=`
 *   lines), the `[Credentials]` of `BOTO_CONFIG` (or `/etc/boto.cfg`,
 *   `~/.boto`); else the container credentials endpoint
 *   (`AWS_CONTAINER_CREDENTIALS_*`); else the EC2 instance metadata service
 *   (unless `AWS_EC2_METADATA_DISABLED` is `true`). STS is called on first
 *   use, through a client made from this session's profile and region.
 *   Temporary credentials are refreshed from the same source 15 minutes
 *   before they expire. Profiles that use a login session (`login_session`)
 *   are not supported yet and give an error.
 *
 * The files are `AWS_CONFIG_FILE` (default `~/.aws/config`, with
 * `[profile name]` sections) and `AWS_SHARED_CREDENTIALS_FILE` (default
 * `~/.aws/credentials`, with `[name]` sections), read once, on first use.
 * A missing file counts as empty; an unreadable or malformed one makes
 * [method@Boto.Session.get_credentials] and
 * [method@Boto.Session.get_scoped_config] fail with an error naming the
 * file and line.
 *
 * A session is safe to share between threads: its settings are fixed at
 * construction, its credentials are resolved once, under a lock, and
 * refreshed by one thread at a time while the others keep using the
 * current ones (or, within 10 minutes of expiry, wait for the new ones).
 *
 * Resolving and refreshing credentials can mean network I/O (STS, SSO,
 * the container endpoint, the instance metadata service) or running a
 * process: [method@Boto.Session.get_credentials_async] and every
 * asynchronous client call do that in a worker thread, so a main loop is
 * never blocked by it.
 *
 * Since: 1.0
 */

struct _BotoSession
{
  GObject          parent_instance;

  char            *region_name;
  char            *profile_name;
  gboolean         profile_explicit;
  char            *access_key;
  char            *secret_key;
  char            *session_token;

  GMutex           lock;
  /* Held while credentials are first resolved, so that threads asking at
   * the same time resolve them once; taken before lock, which resolution
   * lets go of during network I/O. */
  GMutex           resolve_lock;
  BotoRefreshableCredentials *credential_source;
  gboolean         config_loaded;
  GVariant        *config_profiles;       /* a{sa{sv}}: config file merged with credentials file */
  GVariant        *credentials_profiles;  /* a{sa{sv}}: the credentials file alone */
  GVariant        *config_services;       /* a{sa{sv}}: the config file's [services x] sections */
  GVariant        *config_sso_sessions;   /* a{sa{sv}}: the config file's [sso-session x] sections */
  GError          *config_error;
  gboolean         region_resolved;
};

enum {
  PROP_0,
  PROP_REGION_NAME,
  PROP_PROFILE_NAME,
  PROP_AWS_ACCESS_KEY_ID,
  PROP_AWS_SECRET_ACCESS_KEY,
  PROP_AWS_SESSION_TOKEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (BotoSession, boto_session, G_TYPE_OBJECT)

/* An environment variable, with an empty value counted as unset. */
static const char *
getenv_nonempty (const char *name)
{
  const char *value = g_getenv (name);

  return value != NULL && value[0] != '\0' ? value : NULL;
}

static void
boto_session_constructed (GObject *object)
{
  BotoSession *self = BOTO_SESSION (object);

  G_OBJECT_CLASS (boto_session_parent_class)->constructed (object);

  if (self->region_name == NULL)
    self->region_name = g_strdup (getenv_nonempty ("AWS_DEFAULT_REGION"));

  self->profile_explicit = self->profile_name != NULL;
  if (self->profile_name == NULL)
    self->profile_name = g_strdup (getenv_nonempty ("AWS_DEFAULT_PROFILE"));
  if (self->profile_name == NULL)
    self->profile_name = g_strdup (getenv_nonempty ("AWS_PROFILE"));
  if (self->profile_name == NULL)
    self->profile_name = g_strdup ("default");
}

static void
boto_session_finalize (GObject *object)
{
  BotoSession *self = BOTO_SESSION (object);

  g_clear_pointer (&self->credential_source, boto_refreshable_credentials_unref);
  g_clear_pointer (&self->config_profiles, g_variant_unref);
  g_clear_pointer (&self->credentials_profiles, g_variant_unref);
  g_clear_pointer (&self->config_services, g_variant_unref);
  g_clear_pointer (&self->config_sso_sessions, g_variant_unref);
  g_clear_error (&self->config_error);
  g_free (self->region_name);
  g_free (self->profile_name);
  g_free (self->access_key);
  g_free (self->secret_key);
  g_free (self->session_token);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->resolve_lock);

  G_OBJECT_CLASS (boto_session_parent_class)->finalize (object);
}

static void
boto_session_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  BotoSession *self = BOTO_SESSION (object);

  switch (prop_id)
    {
    case PROP_REGION_NAME:
      g_value_set_string (value, boto_session_get_region_name (self));
      break;

    case PROP_PROFILE_NAME:
      g_value_set_string (value, self->profile_name);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
boto_session_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  BotoSession *self = BOTO_SESSION (object);

  switch (prop_id)
    {
    case PROP_REGION_NAME:
      self->region_name = g_value_dup_string (value);
      break;

    case PROP_PROFILE_NAME:
      self->profile_name = g_value_dup_string (value);
      break;

    case PROP_AWS_ACCESS_KEY_ID:
      self->access_key = g_value_dup_string (value);
      break;

    case PROP_AWS_SECRET_ACCESS_KEY:
      self->secret_key = g_value_dup_string (value);
      break;

    case PROP_AWS_SESSION_TOKEN:
      self->session_token = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
boto_session_class_init (BotoSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = boto_session_constructed;
  object_class->finalize = boto_session_finalize;
  object_class->get_property = boto_session_get_property;
  object_class->set_property = boto_session_set_property;

  /**
   * BotoSession:region-name: (getter get_region_name)
   *
   * The region, such as `eu-west-1`; %NULL when none is configured.
   *
   * Since: 1.0
   */
  properties[PROP_REGION_NAME] =
    g_param_spec_string ("region-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * BotoSession:profile-name: (getter get_profile_name)
   *
   * The profile of the shared config files; `default` when none is named.
   * Naming one explicitly takes the environment's credentials out of the
   * chain, as in botocore.
   *
   * Since: 1.0
   */
  properties[PROP_PROFILE_NAME] =
    g_param_spec_string ("profile-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * BotoSession:aws-access-key-id:
   *
   * An explicit access key id; with
   * [property@Boto.Session:aws-secret-access-key] it takes precedence over
   * every other source of credentials.
   *
   * Since: 1.0
   */
  properties[PROP_AWS_ACCESS_KEY_ID] =
    g_param_spec_string ("aws-access-key-id", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * BotoSession:aws-secret-access-key:
   *
   * An explicit secret access key. Write-only: read credentials with
   * [method@Boto.Session.get_credentials].
   *
   * Since: 1.0
   */
  properties[PROP_AWS_SECRET_ACCESS_KEY] =
    g_param_spec_string ("aws-secret-access-key", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * BotoSession:aws-session-token:
   *
   * An explicit session token, for temporary credentials.
   *
   * Since: 1.0
   */
  properties[PROP_AWS_SESSION_TOKEN] =
    g_param_spec_string ("aws-session-token", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
boto_session_init (BotoSession *self)
{
  g_mutex_init (&self->lock);
  g_mutex_init (&self->resolve_lock);
}

static char *
config_path (const char *variable,
             const char *default_name)
{
  const char *path = getenv_nonempty (variable);

  if (path == NULL)
    return g_build_filename (g_get_home_dir (), ".aws", default_name, NULL);
  if (path[0] == '~' && (path[1] == '/' || path[1] == '\0'))
    return g_build_filename (g_get_home_dir (), path + 1, NULL);

  return g_strdup (path);
}

/* Reads both files once; botocore's full_config: the credentials file's
 * profiles are laid over the config file's. */
static gboolean
load_config_locked (BotoSession  *self,
                    GError      **error)
{
  if (!self->config_loaded)
    {
      g_autofree char *config_file = config_path ("AWS_CONFIG_FILE", "config");
      g_autofree char *credentials_file = config_path ("AWS_SHARED_CREDENTIALS_FILE", "credentials");
      g_autoptr(GVariant) config_sections = NULL;
      g_autoptr(GVariant) credentials_sections = NULL;
      g_autoptr(GVariant) config = NULL;
      g_autoptr(GVariant) credentials = NULL;
      g_autoptr(GVariant) config_profiles = NULL;
      GVariantBuilder merged;
      GVariantIter iter;
      const char *name;
      GVariant *values;

      self->config_loaded = TRUE;

      config_sections = boto_config_file_parse (config_file, &self->config_error);
      if (config_sections == NULL)
        goto out;
      credentials_sections = boto_config_file_parse (credentials_file, &self->config_error);
      if (credentials_sections == NULL)
        goto out;

      config = boto_config_file_build_profiles (config_sections, TRUE);
      credentials = boto_config_file_build_profiles (credentials_sections, FALSE);
      config_profiles = g_variant_lookup_value (config, "profiles", NULL);
      self->config_services = g_variant_lookup_value (config, "services", NULL);
      self->config_sso_sessions = g_variant_lookup_value (config, "sso_sessions", NULL);
      self->credentials_profiles = g_variant_lookup_value (credentials, "profiles", NULL);

      g_variant_builder_init (&merged, G_VARIANT_TYPE ("a{sa{sv}}"));
      g_variant_iter_init (&iter, config_profiles);
      while (g_variant_iter_next (&iter, "{&s@a{sv}}", &name, &values))
        {
          g_autoptr(GVariant) config_values = values;
          g_autoptr(GVariant) overlay = g_variant_lookup_value (self->credentials_profiles, name, NULL);
          GVariantBuilder profile;
          GVariantIter values_iter;
          const char *key;
          GVariant *value;

          g_variant_builder_init (&profile, G_VARIANT_TYPE_VARDICT);
          g_variant_iter_init (&values_iter, config_values);
          while (g_variant_iter_next (&values_iter, "{&sv}", &key, &value))
            {
              g_autoptr(GVariant) owned = value;

              if (overlay == NULL || !g_variant_lookup (overlay, key, "*", NULL))
                g_variant_builder_add (&profile, "{sv}", key, value);
            }
          if (overlay != NULL)
            {
              g_variant_iter_init (&values_iter, overlay);
              while (g_variant_iter_next (&values_iter, "{&sv}", &key, &value))
                {
                  g_variant_builder_add (&profile, "{sv}", key, value);
                  g_variant_unref (value);
                }
            }
          g_variant_builder_add (&merged, "{sa{sv}}", name, &profile);
        }
      g_variant_iter_init (&iter, self->credentials_profiles);
      while (g_variant_iter_next (&iter, "{&s@a{sv}}", &name, &values))
        {
          g_autoptr(GVariant) owned = values;

          if (!g_variant_lookup (config_profiles, name, "@a{sv}", NULL))
            g_variant_builder_add (&merged, "{s@a{sv}}", name, values);
        }
      self->config_profiles = g_variant_ref_sink (g_variant_builder_end (&merged));
    }

out:
  if (self->config_error != NULL)
    {
      if (error != NULL)
        *error = g_error_copy (self->config_error);
      return FALSE;
    }

  return TRUE;
}

/* The selected profile's settings: a{sv}, or NULL with @error set. */
static GVariant *
scoped_config_locked (BotoSession  *self,
                      GError      **error)
{
  GVariant *profile;

  if (!load_config_locked (self, error))
    return NULL;

  profile = g_variant_lookup_value (self->config_profiles, self->profile_name, G_VARIANT_TYPE_VARDICT);
  if (profile != NULL)
    return profile;

  if (strcmp (self->profile_name, "default") == 0)
    return g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));

  g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PROFILE_NOT_FOUND,
               "The config profile (%s) could not be found", self->profile_name);
  return NULL;
}

static const char *region_locked (BotoSession *self);

/**
 * boto_session_new:
 *
 * Creates a session configured from the environment alone. To give a
 * region, profile or credentials explicitly, set the construct properties
 * with g_object_new() (or keyword arguments from Python and JavaScript).
 *
 * Returns: (transfer full): a new session
 *
 * Since: 1.0
 */
BotoSession *
boto_session_new (void)
{
  return g_object_new (BOTO_TYPE_SESSION, NULL);
}

/**
 * boto_session_get_region_name:
 * @self: a session
 *
 * Gets the region the session's clients use by default.
 *
 * Returns: (nullable): the region, or %NULL when none is configured
 *
 * Since: 1.0
 */
const char *
boto_session_get_region_name (BotoSession *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (BOTO_IS_SESSION (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  return region_locked (self);
}

/**
 * boto_session_get_profile_name:
 * @self: a session
 *
 * Gets the name of the configuration profile the session uses.
 *
 * Returns: the profile name, `default` when none is configured
 *
 * Since: 1.0
 */
const char *
boto_session_get_profile_name (BotoSession *self)
{
  g_return_val_if_fail (BOTO_IS_SESSION (self), NULL);

  return self->profile_name;
}

static const char *
profile_string (GVariant   *profile,
                const char *key)
{
  const char *value = NULL;

  if (!g_variant_lookup (profile, key, "&s", &value) || value[0] == '\0')
    return NULL;

  return value;
}

/* A profile's static keys, if it has any: botocore's shared-credentials-file
 * and config-file providers. */
static gboolean
credentials_from_profile (GVariant         *profile,
                          const char       *method,
                          BotoCredentials **out,
                          GError          **error)
{
  const char *access_key = profile_string (profile, "aws_access_key_id");
  const char *secret_key = profile_string (profile, "aws_secret_access_key");
  /* botocore looks at aws_security_token first. */
  const char *token = profile_string (profile, "aws_security_token");

  if (token == NULL)
    token = profile_string (profile, "aws_session_token");

  *out = NULL;
  if (access_key == NULL)
    return TRUE;

  if (secret_key == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                   "Partial credentials found in %s, missing: aws_secret_access_key", method);
      return FALSE;
    }

  *out = boto_credentials_new (access_key, secret_key, token, method);
  return TRUE;
}

/* Credential providers ---------------------------------------------------- */

static BotoSessionStsFunc sts_func;

/* Installed by the client layer when the library is loaded. */
void
boto_session_set_sts_func (BotoSessionStsFunc func)
{
  g_atomic_pointer_set (&sts_func, func);
}

typedef enum
{
  FETCH_PROCESS,
  FETCH_CONTAINER,
  FETCH_IMDS,
  FETCH_ASSUME_ROLE,
  FETCH_WEB_IDENTITY,
  FETCH_SSO,
} FetchKind;

/* How a provider gets (new) credentials: what a refresh repeats. */
typedef struct
{
  FetchKind                   kind;
  char                       *command;           /* process */
  char                       *imds_endpoint;     /* IMDS */
  guint                       imds_timeout;
  guint                       imds_attempts;
  gboolean                    imds_v1_disabled;
  char                       *profile_name;      /* STS: the session the client comes from */
  char                       *region_name;
  BotoRefreshableCredentials *source;            /* assume-role: signs the call */
  char                       *role_arn;
  char                       *role_session_name;
  char                       *external_id;
  gint64                      duration_seconds;  /* 0: not set */
  char                       *token_file;        /* web identity */
  char                       *sso_endpoint;      /* SSO */
  char                       *sso_start_url;
  char                       *sso_session;       /* NULL: the legacy form */
  char                       *sso_role_name;
  char                       *sso_account_id;
} Fetcher;

static void
fetcher_free (Fetcher *f)
{
  g_free (f->command);
  g_free (f->imds_endpoint);
  g_free (f->profile_name);
  g_free (f->region_name);
  g_clear_pointer (&f->source, boto_refreshable_credentials_unref);
  g_free (f->role_arn);
  g_free (f->role_session_name);
  g_free (f->external_id);
  g_free (f->token_file);
  g_free (f->sso_endpoint);
  g_free (f->sso_start_url);
  g_free (f->sso_session);
  g_free (f->sso_role_name);
  g_free (f->sso_account_id);
  g_free (f);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fetcher, fetcher_free)

static Fetcher *
fetcher_new (FetchKind kind)
{
  Fetcher *f = g_new0 (Fetcher, 1);

  f->kind = kind;
  return f;
}

/* botocore's default RoleSessionName. */
static char *
default_role_session_name (void)
{
  return g_strdup_printf ("botocore-session-%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
}

static BotoCredentials *
credentials_from_sts_result (GVariant    *result,
                             const char  *operation,
                             const char  *method,
                             GError     **error)
{
  g_autoptr(GVariant) credentials = g_variant_lookup_value (result, "Credentials", G_VARIANT_TYPE_VARDICT);
  g_autoptr(GDateTime) expiry = NULL;
  const char *access_key = NULL;
  const char *secret_key = NULL;
  const char *token = NULL;
  gint64 expiration;

  if (credentials == NULL ||
      !g_variant_lookup (credentials, "AccessKeyId", "&s", &access_key) ||
      !g_variant_lookup (credentials, "SecretAccessKey", "&s", &secret_key) ||
      !g_variant_lookup (credentials, "SessionToken", "&s", &token))
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                   "STS %s returned no credentials", operation);
      return NULL;
    }
  if (g_variant_lookup (credentials, "Expiration", "x", &expiration))
    expiry = g_date_time_new_from_unix_utc (expiration / G_USEC_PER_SEC);

  return boto_credentials_new_full (access_key, secret_key, token, method, expiry);
}

static BotoCredentials *
fetch_from_sts (Fetcher  *f,
                GError  **error)
{
  BotoSessionStsFunc func = g_atomic_pointer_get (&sts_func);
  g_autoptr(BotoCredentials) source = NULL;
  g_autoptr(BotoSession) sts_session = NULL;
  g_autoptr(GVariant) result = NULL;
  GVariantDict params;
  const char *operation = f->kind == FETCH_ASSUME_ROLE ? "AssumeRole" : "AssumeRoleWithWebIdentity";
  const char *method = f->kind == FETCH_ASSUME_ROLE ? "assume-role" : "assume-role-with-web-identity";

  if (func == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                   "Cannot call STS %s: no STS client is available", operation);
      return NULL;
    }

  g_variant_dict_init (&params, NULL);
  g_variant_dict_insert (&params, "RoleArn", "s", f->role_arn);
  g_variant_dict_insert (&params, "RoleSessionName", "s", f->role_session_name);
  if (f->external_id != NULL)
    g_variant_dict_insert (&params, "ExternalId", "s", f->external_id);
  if (f->duration_seconds != 0)
    g_variant_dict_insert (&params, "DurationSeconds", "x", f->duration_seconds);

  if (f->kind == FETCH_ASSUME_ROLE)
    {
      /* The call is signed with the source credentials, refreshed if need be. */
      source = boto_refreshable_credentials_get (f->source, error);
      if (source == NULL)
        {
          g_variant_dict_clear (&params);
          return NULL;
        }
      sts_session = g_object_new (BOTO_TYPE_SESSION,
                                  "profile-name", f->profile_name,
                                  "region-name", f->region_name,
                                  "aws-access-key-id", boto_credentials_get_access_key (source),
                                  "aws-secret-access-key", boto_credentials_get_secret_key (source),
                                  "aws-session-token", boto_credentials_get_token (source),
                                  NULL);
    }
  else
    {
      g_autofree char *token = NULL;
      g_autoptr(GError) local_error = NULL;

      /* Read anew for every call: the file is rotated by whoever writes it. */
      if (!g_file_get_contents (f->token_file, &token, NULL, &local_error))
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                       "Cannot read the web identity token file: %s", local_error->message);
          g_variant_dict_clear (&params);
          return NULL;
        }
      g_variant_dict_insert (&params, "WebIdentityToken", "s", token);
      /* AssumeRoleWithWebIdentity is unsigned: the session needs no credentials. */
      sts_session = g_object_new (BOTO_TYPE_SESSION,
                                  "profile-name", f->profile_name,
                                  "region-name", f->region_name,
                                  NULL);
    }

  g_debug ("Calling STS %s for %s", operation, f->role_arn);
  result = func (sts_session, operation, g_variant_dict_end (&params), error);
  if (result == NULL)
    return NULL;
  return credentials_from_sts_result (result, operation, method, error);
}

/* The SSO access token that `aws sso login` left in
 * ~/.aws/sso/cache/<sha1 of the session name or start URL>.json. */
static char *
load_sso_token (Fetcher  *f,
                GError  **error)
{
  const char *key = f->sso_session != NULL ? f->sso_session : f->sso_start_url;
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA1, key, -1);
  g_autofree char *name = g_strconcat (hash, ".json", NULL);
  g_autofree char *path = g_build_filename (g_get_home_dir (), ".aws", "sso", "cache", name, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GDateTime) expires = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  JsonObject *root;
  const char *token;
  const char *expires_at;

  if (!json_parser_load_from_file (parser, path, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) ||
      (root = json_node_get_object (json_parser_get_root (parser))) == NULL ||
      !json_object_has_member (root, "accessToken") ||
      (token = json_object_get_string_member (root, "accessToken")) == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                   "Error loading SSO Token: Token for %s does not exist", key);
      return NULL;
    }
  expires_at = json_object_has_member (root, "expiresAt")
               ? json_object_get_string_member (root, "expiresAt") : NULL;
  if (expires_at != NULL)
    {
      g_autofree char *normalized = g_strdup (expires_at);

      /* Older caches end in "UTC" instead of "Z". */
      if (g_str_has_suffix (normalized, "UTC"))
        strcpy (normalized + strlen (normalized) - 3, "Z");
      expires = g_date_time_new_from_iso8601 (normalized, utc);
    }
  /* A session with a refresh token could be renewed through SSO-OIDC; that
   * is not done here, so an expired token needs a new `aws sso login`. */
  if (expires == NULL || g_date_time_compare (expires, now) <= 0)
    {
      g_set_error_literal (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                           "The SSO session associated with this profile has expired or is "
                           "otherwise invalid. To refresh this SSO session run aws sso login "
                           "with the corresponding profile.");
      return NULL;
    }
  return g_strdup (token);
}

static BotoCredentials *
fetch_from_sso (Fetcher  *f,
                GError  **error)
{
  g_autofree char *token = load_sso_token (f, error);

  if (token == NULL)
    return NULL;
  g_debug ("Calling SSO GetRoleCredentials for role %s in account %s", f->sso_role_name, f->sso_account_id);
  return boto_credentials_from_sso (f->sso_endpoint, f->sso_role_name, f->sso_account_id, token, error);
}

static BotoCredentials *
fetcher_fetch (gpointer   user_data,
               GError   **error)
{
  Fetcher *f = user_data;
  g_autoptr(GError) local_error = NULL;
  BotoCredentials *credentials = NULL;
  const char *source = NULL;

  switch (f->kind)
    {
    case FETCH_PROCESS:
      return boto_credentials_from_process (f->command, error);

    case FETCH_CONTAINER:
      credentials = boto_credentials_from_container (&local_error);
      source = "the container credentials endpoint";
      break;

    case FETCH_IMDS:
      credentials = boto_credentials_from_imds (f->imds_endpoint, f->imds_timeout, f->imds_attempts,
                                                f->imds_v1_disabled, &local_error);
      source = "the instance metadata service";
      break;

    case FETCH_ASSUME_ROLE:
    case FETCH_WEB_IDENTITY:
      return fetch_from_sts (f, error);

    case FETCH_SSO:
      return fetch_from_sso (f, error);

    default:
      g_assert_not_reached ();
    }

  if (credentials == NULL && local_error == NULL)
    g_set_error (&local_error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                 "No credentials from %s", source);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return credentials;
}

/* Credentials a provider fetched now, refreshed through @fetcher when they
 * expire (botocore's RefreshableCredentials), or static ones. */
static BotoRefreshableCredentials *
wrap_fetched (BotoCredentials *initial,
              Fetcher         *fetcher)
{
  if (boto_credentials_get_expiry_time (initial) == NULL)
    {
      fetcher_free (fetcher);
      return boto_refreshable_credentials_new (initial, NULL, NULL, NULL);
    }
  return boto_refreshable_credentials_new (initial, fetcher_fetch, fetcher, (GDestroyNotify) fetcher_free);
}

static BotoRefreshableCredentials *
wrap_static (BotoCredentials *credentials)
{
  g_autoptr(BotoCredentials) owned = credentials;

  return boto_refreshable_credentials_new (owned, NULL, NULL, NULL);
}

/* Fetch once now; NULL without @error when the provider does not apply.
 * @held, the session's lock, is let go of while the provider works (a
 * process, the container endpoint or IMDS may take seconds), so that the
 * session's other users (its region, new clients) do not wait on it. */
static BotoRefreshableCredentials *
fetch_now (GMutex   *held,
           Fetcher  *fetcher,
           GError  **error)
{
  g_autoptr(Fetcher) owned = fetcher;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(BotoCredentials) initial = NULL;

  g_mutex_unlock (held);
  switch (fetcher->kind)
    {
    case FETCH_PROCESS:
      initial = boto_credentials_from_process (fetcher->command, &local_error);
      break;
    case FETCH_CONTAINER:
      initial = boto_credentials_from_container (&local_error);
      break;
    case FETCH_IMDS:
      initial = boto_credentials_from_imds (fetcher->imds_endpoint, fetcher->imds_timeout,
                                            fetcher->imds_attempts, fetcher->imds_v1_disabled,
                                            &local_error);
      break;
    default:
      g_assert_not_reached ();
    }
  g_mutex_lock (held);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (initial == NULL)
    return NULL;
  return wrap_fetched (initial, g_steal_pointer (&owned));
}

static gboolean imds_fetcher_locked (BotoSession  *self,
                                     Fetcher      *fetcher,
                                     GError      **error);

/* botocore's EnvProvider: NULL without @error when no access key is set
 * (a secret key alone does not count). With AWS_CREDENTIAL_EXPIRATION the
 * credentials expire, and refreshing reads the environment again. */
static BotoCredentials *
env_credentials (GError **error)
{
  const char *access_key = getenv_nonempty ("AWS_ACCESS_KEY_ID");
  const char *secret_key = getenv_nonempty ("AWS_SECRET_ACCESS_KEY");
  const char *token = getenv_nonempty ("AWS_SECURITY_TOKEN");
  const char *expiration = getenv_nonempty ("AWS_CREDENTIAL_EXPIRATION");
  g_autoptr(GDateTime) expiry = NULL;

  if (token == NULL)
    token = getenv_nonempty ("AWS_SESSION_TOKEN");

  if (access_key == NULL)
    return NULL;
  if (secret_key == NULL)
    {
      g_set_error_literal (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                           "Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY");
      return NULL;
    }
  if (expiration != NULL)
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

      expiry = g_date_time_new_from_iso8601 (expiration, utc);
      if (expiry == NULL)
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG,
                       "AWS_CREDENTIAL_EXPIRATION “%s” is not an ISO 8601 time", expiration);
          return NULL;
        }
    }
  return boto_credentials_new_full (access_key, secret_key, token, "env", expiry);
}

static BotoCredentials *
env_fetch (gpointer   user_data,
           GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  BotoCredentials *credentials = env_credentials (&local_error);

  if (credentials == NULL && local_error == NULL)
    g_set_error_literal (&local_error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                         "Partial credentials found in env, missing: AWS_ACCESS_KEY_ID");
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return credentials;
}

/* Environment credentials, refreshable when they expire. */
static BotoRefreshableCredentials *
wrap_env (BotoCredentials *credentials)
{
  g_autoptr(BotoCredentials) owned = credentials;

  return boto_refreshable_credentials_new (owned,
                                           boto_credentials_get_expiry_time (owned) != NULL ? env_fetch : NULL,
                                           NULL, NULL);
}

static const char *
region_locked (BotoSession *self)
{
  if (!self->region_resolved)
    {
      self->region_resolved = TRUE;
      if (self->region_name == NULL)
        {
          g_autoptr(GVariant) profile = scoped_config_locked (self, NULL);

          if (profile != NULL)
            g_variant_lookup (profile, "region", "s", &self->region_name);
        }
    }
  return self->region_name;
}

static Fetcher *
sts_fetcher_locked (BotoSession *self,
                    FetchKind    kind)
{
  Fetcher *f = fetcher_new (kind);
  const char *region = region_locked (self);

  f->profile_name = g_strdup (self->profile_name);
  /* botocore creates the STS client in the region of the last client the
   * session made; the session's region is the usual value of that. */
  f->region_name = g_strdup (region != NULL ? region : "us-east-1");
  return f;
}

static GVariant *
lookup_profile_locked (BotoSession *self,
                       const char  *profile_name)
{
  return g_variant_lookup_value (self->config_profiles, profile_name, G_VARIANT_TYPE_VARDICT);
}

/* botocore's AssumeRoleWithWebIdentityProvider: each setting from its
 * environment variable (unless @disable_env), else the profile. */
static gboolean
web_identity_locked (BotoSession                 *self,
                     const char                  *profile_name,
                     gboolean                     disable_env,
                     BotoRefreshableCredentials **out,
                     GError                     **error)
{
  g_autoptr(GVariant) profile = lookup_profile_locked (self, profile_name);
  static const struct { const char *key; const char *env; } names[] = {
    { "web_identity_token_file", "AWS_WEB_IDENTITY_TOKEN_FILE" },
    { "role_arn", "AWS_ROLE_ARN" },
    { "role_session_name", "AWS_ROLE_SESSION_NAME" },
  };
  const char *values[G_N_ELEMENTS (names)] = { NULL, };
  Fetcher *f;

  *out = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (!disable_env)
        values[i] = getenv_nonempty (names[i].env);
      if (values[i] == NULL && profile != NULL)
        values[i] = profile_string (profile, names[i].key);
    }
  if (values[0] == NULL)
    return TRUE;
  if (values[1] == NULL)
    {
      g_set_error_literal (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG,
                           "The provided profile or the current environment is configured to assume "
                           "role with web identity but has no role ARN configured. Ensure that the "
                           "profile has the role_arn configuration set or the AWS_ROLE_ARN env var is set.");
      return FALSE;
    }

  f = sts_fetcher_locked (self, FETCH_WEB_IDENTITY);
  f->token_file = g_strdup (values[0]);
  f->role_arn = g_strdup (values[1]);
  f->role_session_name = values[2] != NULL ? g_strdup (values[2]) : default_role_session_name ();
  /* Deferred: STS is called on first use. */
  *out = boto_refreshable_credentials_new (NULL, fetcher_fetch, f, (GDestroyNotify) fetcher_free);
  return TRUE;
}

static gboolean
has_static_credentials (GVariant *profile)
{
  return g_variant_lookup (profile, "aws_access_key_id", "&s", NULL) ||
         g_variant_lookup (profile, "aws_secret_access_key", "&s", NULL);
}

static gboolean
has_assume_role_config (GVariant *profile)
{
  return g_variant_lookup (profile, "role_arn", "&s", NULL) &&
         !g_variant_lookup (profile, "web_identity_token_file", "&s", NULL);
}

static char *configured_endpoint_url_locked (BotoSession  *self,
                                             const char   *service_id,
                                             GError      **error);
static GVariant *config_variable_by_name_locked (BotoSession  *self,
                                                 const char   *name,
                                                 GError      **error);

/* botocore's SSOProvider: a profile with sso_role_name or sso_account_id
 * gets role credentials from SSO with the token `aws sso login` cached,
 * its settings from the profile or the [sso-session] it names. */
static gboolean
sso_locked (BotoSession                 *self,
            const char                  *profile_name,
            GVariant                    *profile,
            BotoRefreshableCredentials **out,
            GError                     **error)
{
  static const char * const required[] = { "sso_role_name", "sso_account_id", "sso_start_url", "sso_region" };
  g_autoptr(GVariantDict) settings = NULL;
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autoptr(GVariant) ignore = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *endpoint = NULL;
  const char *session_name;
  const char *values[G_N_ELEMENTS (required)] = { NULL, };
  Fetcher *f;

  *out = NULL;
  if (!g_variant_lookup (profile, "sso_role_name", "&s", NULL) &&
      !g_variant_lookup (profile, "sso_account_id", "&s", NULL))
    return TRUE;

  settings = g_variant_dict_new (profile);
  session_name = profile_string (profile, "sso_session");
  if (session_name != NULL)
    {
      g_autoptr(GVariant) section = self->config_sso_sessions != NULL
        ? g_variant_lookup_value (self->config_sso_sessions, session_name, G_VARIANT_TYPE_VARDICT) : NULL;
      GVariantIter iter;
      const char *key;
      GVariant *value;

      if (section == NULL)
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG,
                       "The specified sso-session does not exist: \"%s\"", session_name);
          return FALSE;
        }
      g_variant_iter_init (&iter, section);
      while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
        {
          g_autoptr(GVariant) owned = value;
          g_autoptr(GVariant) mine = g_variant_lookup_value (profile, key, NULL);

          if (mine != NULL && !g_variant_equal (mine, value))
            {
              g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG,
                           "The value for %s is inconsistent between profile and sso-session.", key);
              return FALSE;
            }
          g_variant_dict_insert_value (settings, key, value);
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    if (!g_variant_dict_lookup (settings, required[i], "&s", &values[i]))
      g_string_append_printf (missing, "%s%s", missing->len > 0 ? ", " : "", required[i]);
  if (missing->len > 0)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG,
                   "The profile \"%s\" is configured to use SSO but is missing required "
                   "configuration: %s", profile_name, missing->str);
      return FALSE;
    }

  /* The SSO client's endpoint: configured as for any client (the
   * session's profile, AWS_ENDPOINT_URL_SSO …), else the portal of the
   * SSO region. */
  ignore = config_variable_by_name_locked (self, "ignore_configured_endpoint_urls", &local_error);
  if (local_error == NULL && (ignore == NULL || !g_variant_get_boolean (ignore)))
    endpoint = configured_endpoint_url_locked (self, "SSO", &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (endpoint == NULL)
    endpoint = g_strdup_printf ("https://portal.sso.%s.%s", values[3],
                                g_str_has_prefix (values[3], "cn-") ? "amazonaws.com.cn" : "amazonaws.com");

  f = fetcher_new (FETCH_SSO);
  f->sso_role_name = g_strdup (values[0]);
  f->sso_account_id = g_strdup (values[1]);
  f->sso_start_url = g_strdup (values[2]);
  f->sso_session = g_strdup (session_name);
  f->sso_endpoint = g_steal_pointer (&endpoint);
  /* Deferred: SSO is called on first use. */
  *out = boto_refreshable_credentials_new (NULL, fetcher_fetch, f, (GDestroyNotify) fetcher_free);
  return TRUE;
}

/* botocore's ProfileProviderBuilder: the providers that read one profile,
 * in its order (web identity, SSO, shared credentials file, login,
 * credential_process, config file). */
static gboolean
profile_providers_locked (BotoSession                 *self,
                          const char                  *profile_name,
                          gboolean                     disable_env,
                          BotoRefreshableCredentials **out,
                          GError                     **error)
{
  g_autoptr(GVariant) profile = lookup_profile_locked (self, profile_name);
  g_autoptr(GVariant) from_credentials_file = NULL;
  g_autoptr(GError) local_error = NULL;
  BotoCredentials *found = NULL;
  const char *process;

  *out = NULL;
  if (!web_identity_locked (self, profile_name, disable_env, out, error))
    return FALSE;
  if (*out != NULL)
    return TRUE;

  if (profile == NULL)
    return TRUE;

  if (!sso_locked (self, profile_name, profile, out, error))
    return FALSE;
  if (*out != NULL)
    return TRUE;

  from_credentials_file = g_variant_lookup_value (self->credentials_profiles, profile_name,
                                                  G_VARIANT_TYPE_VARDICT);
  if (from_credentials_file != NULL &&
      !credentials_from_profile (from_credentials_file, "shared-credentials-file", &found, error))
    return FALSE;
  if (found != NULL)
    {
      *out = wrap_static (found);
      return TRUE;
    }

  if (g_variant_lookup (profile, "login_session", "&s", NULL))
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                   "The profile “%s” gets its credentials from a login session, which this "
                   "version of boto-glib does not support", profile_name);
      return FALSE;
    }

  if (g_variant_lookup (profile, "credential_process", "&s", &process))
    {
      Fetcher *f = fetcher_new (FETCH_PROCESS);

      f->command = g_strdup (process);
      *out = fetch_now (&self->lock, f, &local_error);
      if (*out == NULL && local_error == NULL)
        g_set_error (&local_error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                     "The credential_process of profile “%s” gave no credentials", profile_name);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      return TRUE;
    }

  if (!credentials_from_profile (profile, "config-file", &found, error))
    return FALSE;
  if (found != NULL)
    *out = wrap_static (found);
  return TRUE;
}

static gboolean assume_role_locked (BotoSession                 *self,
                                    const char                  *profile_name,
                                    GPtrArray                   *visited,
                                    BotoRefreshableCredentials **out,
                                    GError                     **error);

static char *
join_visited (GPtrArray *visited)
{
  g_autoptr(GString) text = g_string_new ("[");

  for (guint i = 0; i < visited->len; i++)
    g_string_append_printf (text, "%s'%s'", i > 0 ? ", " : "", (const char *) visited->pdata[i]);
  g_string_append_c (text, ']');
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* botocore's _validate_source_profile: it exists, and following it does
 * not loop (a profile may name itself when it has static keys). */
static gboolean
validate_source_profile (BotoSession  *self,
                         const char   *parent_name,
                         const char   *source_name,
                         GPtrArray    *visited,
                         GError      **error)
{
  g_autoptr(GVariant) source = lookup_profile_locked (self, source_name);

  if (source == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG,
                   "The source_profile \"%s\" referenced in the profile \"%s\" does not exist.",
                   source_name, parent_name);
      return FALSE;
    }

  if (!g_ptr_array_find_with_equal_func (visited, source_name, g_str_equal, NULL))
    return TRUE;

  if (strcmp (source_name, parent_name) != 0 || !has_static_credentials (source))
    {
      g_autofree char *list = join_visited (visited);

      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG,
                   "Infinite loop in credential configuration detected. Attempting to load from "
                   "profile %s which has already been visited. Visited profiles: %s",
                   source_name, list);
      return FALSE;
    }
  return TRUE;
}

/* botocore's CanonicalNameCredentialSourcer over its three providers. */
static gboolean
credential_source_locked (BotoSession                 *self,
                          const char                  *profile_name,
                          const char                  *name,
                          BotoRefreshableCredentials **out,
                          GError                     **error)
{
  g_autoptr(GError) local_error = NULL;

  *out = NULL;
  if (g_ascii_strcasecmp (name, "Environment") == 0)
    {
      BotoCredentials *credentials = env_credentials (&local_error);

      if (credentials != NULL)
        *out = wrap_env (credentials);
    }
  else if (g_ascii_strcasecmp (name, "EcsContainer") == 0)
    *out = fetch_now (&self->lock, fetcher_new (FETCH_CONTAINER), &local_error);
  else if (g_ascii_strcasecmp (name, "Ec2InstanceMetadata") == 0)
    {
      Fetcher *f = fetcher_new (FETCH_IMDS);

      if (!imds_fetcher_locked (self, f, &local_error))
        fetcher_free (f);
      else
        *out = fetch_now (&self->lock, f, &local_error);
    }
  else
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG,
                   "The credential source \"%s\" referenced in profile \"%s\" is not valid.",
                   name, profile_name);
      return FALSE;
    }

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (*out == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                   "Error when retrieving credentials from %s: No credentials found in "
                   "credential_source referenced in profile %s", name, profile_name);
      return FALSE;
    }
  return TRUE;
}

/* botocore's _resolve_credentials_from_profile, for a source_profile. */
static gboolean
source_profile_locked (BotoSession                 *self,
                       const char                  *source_name,
                       GPtrArray                   *visited,
                       BotoRefreshableCredentials **out,
                       GError                     **error)
{
  g_autoptr(GVariant) source = lookup_profile_locked (self, source_name);

  if (has_static_credentials (source) || !has_assume_role_config (source))
    {
      if (!profile_providers_locked (self, source_name, TRUE, out, error))
        return FALSE;
      if (*out == NULL)
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG,
                       "The source profile \"%s\" must have credentials.", source_name);
          return FALSE;
        }
      return TRUE;
    }

  if (!assume_role_locked (self, source_name, visited, out, error))
    return FALSE;
  g_assert (*out != NULL);
  return TRUE;
}

/* botocore's AssumeRoleProvider: a profile with role_arn (and no
 * web_identity_token_file) assumes that role with STS AssumeRole, signed
 * with the credentials of its source_profile or credential_source. */
static gboolean
assume_role_locked (BotoSession                 *self,
                    const char                  *profile_name,
                    GPtrArray                   *visited,
                    BotoRefreshableCredentials **out,
                    GError                     **error)
{
  g_autoptr(GVariant) profile = lookup_profile_locked (self, profile_name);
  g_autoptr(BotoRefreshableCredentials) source = NULL;
  const char *source_profile;
  const char *credential_source;
  const char *duration;
  const char *mfa_serial;
  gint64 seconds;
  Fetcher *f;

  *out = NULL;
  if (profile == NULL || !has_assume_role_config (profile))
    return TRUE;

  source_profile = profile_string (profile, "source_profile");
  credential_source = profile_string (profile, "credential_source");
  if (source_profile != NULL && credential_source != NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG,
                   "The profile \"%s\" contains both source_profile and credential_source.",
                   profile_name);
      return FALSE;
    }
  if (source_profile == NULL && credential_source == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                   "Partial credentials found in assume-role, missing: source_profile or "
                   "credential_source (profile \"%s\")", profile_name);
      return FALSE;
    }

  mfa_serial = profile_string (profile, "mfa_serial");
  if (mfa_serial != NULL)
    {
      /* botocore prompts on the terminal for the code; a library cannot. */
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                   "The profile \"%s\" assumes a role that needs an MFA code (mfa_serial %s), "
                   "and boto-glib cannot prompt for one; use credentials obtained with the code "
                   "instead", profile_name, mfa_serial);
      return FALSE;
    }

  if (credential_source != NULL)
    {
      if (!credential_source_locked (self, profile_name, credential_source, &source, error))
        return FALSE;
    }
  else
    {
      if (!validate_source_profile (self, profile_name, source_profile, visited, error))
        return FALSE;
      g_ptr_array_add (visited, g_strdup (source_profile));
      if (!source_profile_locked (self, source_profile, visited, &source, error))
        return FALSE;
    }

  f = sts_fetcher_locked (self, FETCH_ASSUME_ROLE);
  f->source = g_steal_pointer (&source);
  f->role_arn = g_strdup (profile_string (profile, "role_arn"));
  f->role_session_name = g_strdup (profile_string (profile, "role_session_name"));
  if (f->role_session_name == NULL)
    f->role_session_name = default_role_session_name ();
  f->external_id = g_strdup (profile_string (profile, "external_id"));
  /* As botocore: a duration that is not an integer is ignored. */
  if ((duration = profile_string (profile, "duration_seconds")) != NULL &&
      g_ascii_string_to_signed (duration, 10, 1, G_MAXINT32, &seconds, NULL))
    f->duration_seconds = seconds;

  /* Deferred: STS is called on first use. */
  *out = boto_refreshable_credentials_new (NULL, fetcher_fetch, f, (GDestroyNotify) fetcher_free);
  return TRUE;
}

/* botocore's OriginalEC2Provider: AWS_CREDENTIAL_FILE, `key=value` lines. */
static gboolean
ec2_credentials_file (BotoRefreshableCredentials **out,
                      GError                     **error)
{
  const char *path = getenv_nonempty ("AWS_CREDENTIAL_FILE");
  g_autofree char *expanded = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *access_key = NULL;
  g_autofree char *secret_key = NULL;

  *out = NULL;
  if (path == NULL)
    return TRUE;
  if (path[0] == '~' && (path[1] == '/' || path[1] == '\0'))
    expanded = g_build_filename (g_get_home_dir (), path + 1, NULL);
  else
    expanded = g_strdup (path);

  if (!g_file_get_contents (expanded, &contents, NULL, &local_error))
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG,
                   "Unable to load the AWS_CREDENTIAL_FILE %s: %s", expanded, local_error->message);
      return FALSE;
    }
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *equals = strchr (lines[i], '=');

      if (equals == NULL)
        continue;
      *equals = '\0';
      g_strstrip (lines[i]);
      if (strcmp (lines[i], "AWSAccessKeyId") == 0)
        {
          g_free (access_key);
          access_key = g_strdup (g_strstrip (equals + 1));
        }
      else if (strcmp (lines[i], "AWSSecretKey") == 0)
        {
          g_free (secret_key);
          secret_key = g_strdup (g_strstrip (equals + 1));
        }
    }
  if (access_key == NULL)
    return TRUE;
  if (secret_key == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                   "Partial credentials found in ec2-credentials-file, missing: AWSSecretKey");
      return FALSE;
    }
  *out = wrap_static (boto_credentials_new (access_key, secret_key, NULL, "ec2-credentials-file"));
  return TRUE;
}

/* botocore's BotoProvider: the [Credentials] section of BOTO_CONFIG, else
 * of /etc/boto.cfg or ~/.boto, the first that exists. */
static gboolean
boto2_config (BotoRefreshableCredentials **out,
              GError                     **error)
{
  const char *variable = g_getenv ("BOTO_CONFIG");
  g_autofree char *home_boto = g_build_filename (g_get_home_dir (), ".boto", NULL);
  const char *candidates[3] = { NULL, };

  *out = NULL;
  if (variable != NULL)
    candidates[0] = variable;
  else
    {
      candidates[0] = "/etc/boto.cfg";
      candidates[1] = home_boto;
    }

  for (guint i = 0; candidates[i] != NULL; i++)
    {
      g_autofree char *path = NULL;
      g_autoptr(GVariant) sections = NULL;
      g_autoptr(GVariant) section = NULL;
      const char *access_key;
      const char *secret_key;

      if (candidates[i][0] == '~' && (candidates[i][1] == '/' || candidates[i][1] == '\0'))
        path = g_build_filename (g_get_home_dir (), candidates[i] + 1, NULL);
      else
        path = g_strdup (candidates[i]);
      if (path[0] == '\0' || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      sections = boto_config_file_parse (path, error);
      if (sections == NULL)
        return FALSE;
      section = g_variant_lookup_value (sections, "Credentials", G_VARIANT_TYPE_VARDICT);
      if (section == NULL || !g_variant_lookup (section, "aws_access_key_id", "&s", &access_key))
        continue;
      if (!g_variant_lookup (section, "aws_secret_access_key", "&s", &secret_key))
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                       "Partial credentials found in boto-config, missing: aws_secret_access_key");
          return FALSE;
        }
      *out = wrap_static (boto_credentials_new (access_key, secret_key, NULL, "boto-config"));
      return TRUE;
    }
  return TRUE;
}

/* botocore's default chain: explicit, env, assume-role, the profile's
 * providers (web identity, SSO, shared credentials file, login, process,
 * config file), ec2-credentials-file, boto-config, container-role,
 * iam-role. */
static BotoRefreshableCredentials *
resolve_credentials_locked (BotoSession  *self,
                            GError      **error)
{
  BotoRefreshableCredentials *found = NULL;

  if (self->access_key != NULL || self->secret_key != NULL)
    {
      if (self->access_key == NULL || self->secret_key == NULL)
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                       "Partial credentials found in explicit, missing: %s",
                       self->access_key == NULL ? "aws_access_key_id" : "aws_secret_access_key");
          return NULL;
        }
      return wrap_static (boto_credentials_new (self->access_key, self->secret_key,
                                                self->session_token, "explicit"));
    }

  /* An explicitly chosen profile takes the environment out of the chain. */
  if (!self->profile_explicit)
    {
      g_autoptr(GError) local_error = NULL;
      BotoCredentials *credentials = env_credentials (&local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (credentials != NULL)
        return wrap_env (credentials);
    }
  else
    g_debug ("Skipping environment variable credential check because profile name was explicitly set.");

  {
    g_autoptr(GVariant) profile = scoped_config_locked (self, error);
    g_autoptr(GPtrArray) visited = NULL;

    if (profile == NULL)
      return NULL;

    visited = g_ptr_array_new_with_free_func (g_free);
    g_ptr_array_add (visited, g_strdup (self->profile_name));
    if (!assume_role_locked (self, self->profile_name, visited, &found, error))
      return NULL;
    if (found != NULL)
      return found;

    if (!profile_providers_locked (self, self->profile_name, self->profile_explicit, &found, error))
      return NULL;
    if (found != NULL)
      return found;
  }

  if (!ec2_credentials_file (&found, error))
    return NULL;
  if (found != NULL)
    return found;

  if (!boto2_config (&found, error))
    return NULL;
  if (found != NULL)
    return found;

  /* The container credentials endpoint, when the environment names one. */
  {
    g_autoptr(GError) local_error = NULL;

    found = fetch_now (&self->lock, fetcher_new (FETCH_CONTAINER), &local_error);
    if (local_error != NULL)
      {
        g_propagate_error (error, g_steal_pointer (&local_error));
        return NULL;
      }
    if (found != NULL)
      return found;
  }

  /* The instance metadata service, unless it is disabled. */
  if (g_ascii_strcasecmp (g_getenv ("AWS_EC2_METADATA_DISABLED") ?: "", "true") != 0)
    {
      g_autoptr(GError) local_error = NULL;
      Fetcher *f = fetcher_new (FETCH_IMDS);

      if (!imds_fetcher_locked (self, f, error))
        {
          fetcher_free (f);
          return NULL;
        }
      found = fetch_now (&self->lock, f, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (found != NULL)
        return found;
    }

  g_set_error_literal (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                       "Unable to locate credentials");
  return NULL;
}

/**
 * boto_session_get_credentials:
 * @self: a session
 * @error: return location for a #GError
 *
 * Resolves the session's credentials on first use (see [class@Boto.Session]
 * for the order of the sources) and returns the same ones afterwards, until
 * temporary credentials come within 15 minutes of their expiry: then they
 * are refreshed from the same source, once for all threads that ask at the
 * same time. A failed refresh keeps the current credentials until they are
 * within 10 minutes of expiry; after that it is an error.
 *
 * Resolving or refreshing may block on network I/O; from a main loop, use
 * [method@Boto.Session.get_credentials_async].
 *
 * Returns: (transfer full): the credentials, or %NULL with @error set (to
 *   %BOTO_CLIENT_ERROR_NO_CREDENTIALS, %BOTO_CLIENT_ERROR_INVALID_CONFIG,
 *   or the error of the STS call that failed)
 *
 * Since: 1.0
 */
BotoCredentials *
boto_session_get_credentials (BotoSession  *self,
                              GError      **error)
{
  g_autoptr(BotoRefreshableCredentials) source = NULL;

  g_return_val_if_fail (BOTO_IS_SESSION (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  source = g_atomic_pointer_get (&self->credential_source);
  if (source != NULL)
    boto_refreshable_credentials_ref (source);
  else
    {
      g_mutex_lock (&self->resolve_lock);
      g_mutex_lock (&self->lock);
      if (self->credential_source == NULL)
        {
          /* Published atomically: boto_session_peek_credentials() reads it
           * without the locks. */
          BotoRefreshableCredentials *resolved = resolve_credentials_locked (self, error);

          g_atomic_pointer_set (&self->credential_source, resolved);
        }
      if (self->credential_source != NULL)
        source = boto_refreshable_credentials_ref (self->credential_source);
      g_mutex_unlock (&self->lock);
      g_mutex_unlock (&self->resolve_lock);
    }

  if (source == NULL)
    return NULL;
  /* Refreshing, which may call STS, happens outside the session's lock. */
  return boto_refreshable_credentials_get (source, error);
}

BotoCredentials *
boto_session_peek_credentials (BotoSession *self)
{
  BotoRefreshableCredentials *source;

  g_return_val_if_fail (BOTO_IS_SESSION (self), NULL);

  /* Set once, under the lock, and kept until finalization. */
  source = g_atomic_pointer_get (&self->credential_source);
  return source != NULL ? boto_refreshable_credentials_peek (source) : NULL;
}

static void
get_credentials_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GError *error = NULL;
  BotoCredentials *credentials = boto_session_get_credentials (source_object, &error);

  if (credentials == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, credentials, (GDestroyNotify) boto_credentials_unref);
}

/**
 * boto_session_get_credentials_async:
 * @self: a session
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the credentials are there
 * @user_data: data for @callback
 *
 * Gets the credentials as [method@Boto.Session.get_credentials] does,
 * without blocking the caller's main context: credentials that are at hand
 * (resolved already and not within 15 minutes of their expiry) are returned
 * at once; resolving or refreshing them, which may run a
 * `credential_process` or ask STS, SSO, the container credentials endpoint
 * or the instance metadata service, happens in a worker thread. The rules
 * are the blocking variant's: one refresh for every caller that asks at
 * the same time, in any thread, and a failed refresh is only an error
 * within 10 minutes of expiry.
 *
 * Cancelling @cancellable makes the call finish with
 * %G_IO_ERROR_CANCELLED at once; a fetch under way still completes in the
 * background and its credentials are kept for the next caller.
 *
 * @callback runs in the thread-default main context of the caller. Finish
 * with [method@Boto.Session.get_credentials_finish].
 *
 * Since: 1.0
 */
void
boto_session_get_credentials_async (BotoSession         *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  BotoCredentials *credentials;

  g_return_if_fail (BOTO_IS_SESSION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, boto_session_get_credentials_async);
  g_task_set_name (task, "[boto-glib] get credentials");

  credentials = boto_session_peek_credentials (self);
  if (credentials != NULL)
    {
      g_task_return_pointer (task, credentials, (GDestroyNotify) boto_credentials_unref);
      return;
    }
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, get_credentials_thread);
}

/**
 * boto_session_get_credentials_finish:
 * @self: a session
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Boto.Session.get_credentials_async].
 *
 * Returns: (transfer full): the credentials, or %NULL with @error set, as
 *   [method@Boto.Session.get_credentials]
 *
 * Since: 1.0
 */
BotoCredentials *
boto_session_get_credentials_finish (BotoSession   *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (BOTO_IS_SESSION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, boto_session_get_credentials_async), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * boto_session_get_available_services:
 * @self: a session
 *
 * Lists the services whose models can be loaded, like boto3's
 * `Session.get_available_services()`.
 *
 * Returns: (transfer full): the sorted service names
 *
 * Since: 1.0
 */
GStrv
boto_session_get_available_services (BotoSession *self)
{
  g_return_val_if_fail (BOTO_IS_SESSION (self), NULL);

  return boto_service_model_list_available ();
}

/**
 * boto_session_get_available_profiles:
 * @self: a session
 *
 * Lists the profiles of the config and shared credentials files, like
 * boto3's `Session.available_profiles`.
 *
 * Returns: (transfer full): the profile names; empty if the files are
 *   missing or cannot be read
 *
 * Since: 1.0
 */
GStrv
boto_session_get_available_profiles (BotoSession *self)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (BOTO_IS_SESSION (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  if (load_config_locked (self, NULL))
    {
      GVariantIter iter;
      const char *name;

      g_variant_iter_init (&iter, self->config_profiles);
      while (g_variant_iter_next (&iter, "{&s@a{sv}}", &name, NULL))
        g_strv_builder_add (builder, name);
    }

  return g_strv_builder_end (builder);
}

/**
 * boto_session_get_scoped_config:
 * @self: a session
 * @error: return location for a #GError
 *
 * The settings of the session's profile, from the config file with the
 * shared credentials file's laid over them (botocore's
 * `Session.get_scoped_config()`). Each value is a string (`s`), or a
 * dictionary of strings (`a{ss}`) for a nested section such as `s3 =`.
 *
 * Returns: (transfer full): the settings (`a{sv}`), or %NULL with @error set
 *   to %BOTO_CLIENT_ERROR_INVALID_CONFIG for an unreadable or malformed
 *   file, or %BOTO_CLIENT_ERROR_PROFILE_NOT_FOUND for a profile other than
 *   `default` that neither file has
 *
 * Since: 1.0
 */
GVariant *
boto_session_get_scoped_config (BotoSession  *self,
                                GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (BOTO_IS_SESSION (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  return scoped_config_locked (self, error);
}

/* Session-wide settings, as botocore's config store reads them: the
 * environment variable, then the profile's key, then the default. */
typedef struct
{
  const char *name;
  const char *config_key;
  const char *env;
  char        kind;            /* 's', 'b' or 'x' */
  const char *default_value;   /* in the variable's text form, or NULL */
} ConfigVariable;

static const ConfigVariable config_variables[] = {
  { "region", "region", "AWS_DEFAULT_REGION", 's', NULL },
  { "ca_bundle", "ca_bundle", "AWS_CA_BUNDLE", 's', NULL },
  { "metadata_service_timeout", "metadata_service_timeout", "AWS_METADATA_SERVICE_TIMEOUT", 'x', "1" },
  { "metadata_service_num_attempts", "metadata_service_num_attempts", "AWS_METADATA_SERVICE_NUM_ATTEMPTS", 'x', "1" },
  { "ec2_metadata_service_endpoint", "ec2_metadata_service_endpoint", "AWS_EC2_METADATA_SERVICE_ENDPOINT", 's', NULL },
  { "ec2_metadata_service_endpoint_mode", "ec2_metadata_service_endpoint_mode", "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", 's', NULL },
  { "ec2_metadata_v1_disabled", "ec2_metadata_v1_disabled", "AWS_EC2_METADATA_V1_DISABLED", 'b', "false" },
  { "imds_use_ipv6", "imds_use_ipv6", "AWS_IMDS_USE_IPV6", 'b', "false" },
  { "use_dualstack_endpoint", "use_dualstack_endpoint", "AWS_USE_DUALSTACK_ENDPOINT", 'b', NULL },
  { "use_fips_endpoint", "use_fips_endpoint", "AWS_USE_FIPS_ENDPOINT", 'b', NULL },
  { "ignore_configured_endpoint_urls", "ignore_configured_endpoint_urls", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", 'b', NULL },
  { "parameter_validation", "parameter_validation", NULL, 'b', "true" },
  { "endpoint_discovery_enabled", "endpoint_discovery_enabled", "AWS_ENDPOINT_DISCOVERY_ENABLED", 's', "auto" },
  { "sts_regional_endpoints", "sts_regional_endpoints", "AWS_STS_REGIONAL_ENDPOINTS", 's', "regional" },
  { "retry_mode", "retry_mode", "AWS_RETRY_MODE", 's', "standard" },
  { "defaults_mode", "defaults_mode", "AWS_DEFAULTS_MODE", 's', "legacy" },
  { "max_attempts", "max_attempts", "AWS_MAX_ATTEMPTS", 'x', NULL },
  { "user_agent_appid", "sdk_ua_app_id", "AWS_SDK_UA_APP_ID", 's', NULL },
  { "request_min_compression_size_bytes", "request_min_compression_size_bytes", "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", 'x', "10240" },
  { "disable_request_compression", "disable_request_compression", "AWS_DISABLE_REQUEST_COMPRESSION", 'b', "false" },
  { "sigv4a_signing_region_set", "sigv4a_signing_region_set", "AWS_SIGV4A_SIGNING_REGION_SET", 's', NULL },
  { "request_checksum_calculation", "request_checksum_calculation", "AWS_REQUEST_CHECKSUM_CALCULATION", 's', "when_supported" },
  { "response_checksum_validation", "response_checksum_validation", "AWS_RESPONSE_CHECKSUM_VALIDATION", 's', "when_supported" },
  { "account_id_endpoint_mode", "account_id_endpoint_mode", "AWS_ACCOUNT_ID_ENDPOINT_MODE", 's', "preferred" },
  { "disable_host_prefix_injection", "disable_host_prefix_injection", "AWS_DISABLE_HOST_PREFIX_INJECTION", 'b', NULL },
  { "auth_scheme_preference", "auth_scheme_preference", "AWS_AUTH_SCHEME_PREFERENCE", 's', NULL },
  { "tcp_keepalive", "tcp_keepalive", "BOTOCORE_TCP_KEEPALIVE", 'b', NULL },
};

static GVariant *
convert_config_value (const ConfigVariable  *variable,
                      const char            *text,
                      const char            *source,
                      GError               **error)
{
  switch (variable->kind)
    {
    case 'b':
      /* botocore's ensure_boolean: "true" in any case, anything else false. */
      return g_variant_new_boolean (g_ascii_strcasecmp (text, "true") == 0);

    case 'x':
      {
        gint64 value;

        if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &value, NULL))
          {
            g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG,
                         "%s: “%s” is not an integer (%s)", variable->name, text, source);
            return NULL;
          }
        return g_variant_new_int64 (value);
      }

    default:
      return g_variant_new_string (text);
    }
}

static GVariant *
config_variable_locked (BotoSession           *self,
                        const ConfigVariable  *variable,
                        GError               **error)
{
  const char *text = variable->env != NULL ? getenv_nonempty (variable->env) : NULL;
  g_autoptr(GVariant) profile = NULL;
  GVariant *value;

  if (text != NULL)
    return g_variant_ref_sink (convert_config_value (variable, text, variable->env, error));

  profile = scoped_config_locked (self, error);
  if (profile == NULL)
    return NULL;

  if (g_variant_lookup (profile, variable->config_key, "&s", &text))
    {
      g_autofree char *source = g_strdup_printf ("profile %s", self->profile_name);

      value = convert_config_value (variable, text, source, error);
      return value != NULL ? g_variant_ref_sink (value) : NULL;
    }

  if (variable->default_value != NULL)
    return g_variant_ref_sink (convert_config_value (variable, variable->default_value, "default", error));

  return NULL;
}

static GVariant *
config_variable_by_name_locked (BotoSession  *self,
                                const char   *name,
                                GError      **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (config_variables); i++)
    if (strcmp (config_variables[i].name, name) == 0)
      return config_variable_locked (self, &config_variables[i], error);
  g_assert_not_reached ();
}

/**
 * boto_session_get_config_variable:
 * @self: a session
 * @name: a botocore config variable, such as `retry_mode`, `max_attempts`,
 *   `use_fips_endpoint` or `ca_bundle`
 * @error: return location for a #GError
 *
 * Reads a session-wide setting as botocore's `get_config_variable` does:
 * its environment variable (`AWS_RETRY_MODE` …), then its key in the
 * session's profile, then its default. Strings come as `s`, flags as `b`
 * and numbers as `x`. For `region`, the session's own property comes first.
 *
 * Returns: (transfer full) (nullable): the value, or %NULL: with @error set
 *   to %BOTO_CLIENT_ERROR_INVALID_CONFIG for an unknown name, a bad value or
 *   a bad config file, without it when the setting is unset and has no
 *   default
 *
 * Since: 1.0
 */
GVariant *
boto_session_get_config_variable (BotoSession  *self,
                                  const char   *name,
                                  GError      **error)
{
  g_return_val_if_fail (BOTO_IS_SESSION (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (strcmp (name, "region") == 0)
    {
      const char *region = boto_session_get_region_name (self);

      return region != NULL ? g_variant_ref_sink (g_variant_new_string (region)) : NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (config_variables); i++)
    if (strcmp (config_variables[i].name, name) == 0)
      {
        g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

        return config_variable_locked (self, &config_variables[i], error);
      }

  g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG,
               "Unknown config variable “%s”", name);
  return NULL;
}

/* The endpoint URL configured for a service, botocore's
 * ConfiguredEndpointProvider: AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL,
 * the profile's [services] section, the profile's endpoint_url. */
static char *
configured_endpoint_url_locked (BotoSession  *self,
                                const char   *service_id,
                                GError      **error)
{
  g_autoptr(GVariant) profile = NULL;
  g_autofree char *snake = g_strdelimit (g_ascii_strdown (service_id, -1), " -", '_');
  g_autofree char *upper = g_ascii_strup (snake, -1);
  g_autofree char *variable = g_strconcat ("AWS_ENDPOINT_URL_", upper, NULL);
  const char *url;
  const char *services_name;

  if ((url = getenv_nonempty (variable)) != NULL)
    return g_strdup (url);
  if ((url = getenv_nonempty ("AWS_ENDPOINT_URL")) != NULL)
    return g_strdup (url);

  profile = scoped_config_locked (self, error);
  if (profile == NULL)
    return NULL;

  if (g_variant_lookup (profile, "services", "&s", &services_name))
    {
      g_autoptr(GVariant) section = g_variant_lookup_value (self->config_services, services_name,
                                                            G_VARIANT_TYPE_VARDICT);
      g_autoptr(GVariant) service = NULL;

      if (section == NULL)
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG,
                       "The profile is configured to use the services section but the "
                       "“%s” services configuration does not exist", services_name);
          return NULL;
        }
      service = g_variant_lookup_value (section, snake, G_VARIANT_TYPE ("a{ss}"));
      if (service != NULL && g_variant_lookup (service, "endpoint_url", "&s", &url))
        return g_strdup (url);
    }

  if (g_variant_lookup (profile, "endpoint_url", "&s", &url))
    return g_strdup (url);

  return NULL;
}

static gboolean
resolve_flag_locked (BotoSession  *self,
                     BotoConfig   *config,
                     const char   *name,
                     gboolean     *out,
                     GError      **error)
{
  g_autoptr(GVariant) value = boto_config_lookup (config, name);

  if (value == NULL)
    {
      g_autoptr(GError) local_error = NULL;

      for (guint i = 0; i < G_N_ELEMENTS (config_variables) && value == NULL; i++)
        if (strcmp (config_variables[i].name, name) == 0)
          value = config_variable_locked (self, &config_variables[i], &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  *out = value != NULL && g_variant_get_boolean (value);
  return TRUE;
}

static GVariant *
resolve_variable_locked (BotoSession  *self,
                         BotoConfig   *config,
                         const char   *config_name,
                         const char   *variable_name,
                         GError      **error)
{
  GVariant *value = config_name != NULL ? boto_config_lookup (config, config_name) : NULL;

  if (value != NULL)
    return value;

  for (guint i = 0; i < G_N_ELEMENTS (config_variables); i++)
    if (strcmp (config_variables[i].name, variable_name) == 0)
      return config_variable_locked (self, &config_variables[i], error);

  g_assert_not_reached ();
}

/**
 * boto_session_resolve_client_config:
 * @self: a session
 * @service_name: the service the client is for, such as `s3`
 * @endpoint_url: (nullable): an explicit endpoint URL, as boto3's
 *   `client(endpoint_url=…)`
 * @config: (nullable): explicit options
 * @error: return location for a #GError
 *
 * Works out every setting a client of @service_name would use, with
 * botocore's precedence: @endpoint_url and @config first, then the
 * environment, then the session's profile in the config files, then the
 * defaults. The result (`a{sv}`) has `region_name` (when known),
 * `endpoint_url` (when given or configured: `AWS_ENDPOINT_URL_<SERVICE_ID>`,
 * `AWS_ENDPOINT_URL`, the profile's `[services]` section, its
 * `endpoint_url`; none of them when `ignore_configured_endpoint_urls` is
 * set), `retries` (`mode` and `total_max_attempts`), `connect_timeout`,
 * `read_timeout`, `max_pool_connections`, `parameter_validation`, `s3`,
 * `use_dualstack_endpoint`, `use_fips_endpoint`, `inject_host_prefix`,
 * `request_checksum_calculation`, `response_checksum_validation`,
 * `disable_request_compression`, `request_min_compression_size_bytes`,
 * `account_id_endpoint_mode`, and when set `ca_bundle`, `signature_version`,
 * `user_agent_extra`, `user_agent_appid`, `proxies`, `client_context_params`.
 *
 * Returns: (transfer full): the settings, or %NULL with @error set
 *
 * Since: 1.0
 */
GVariant *
boto_session_resolve_client_config (BotoSession  *self,
                                    const char   *service_name,
                                    const char   *endpoint_url,
                                    BotoConfig   *config,
                                    GError      **error)
{
  g_autoptr(BotoConfig) empty = NULL;
  g_autoptr(BotoServiceModel) model = NULL;
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GVariant) region = NULL;
  g_autoptr(GVariant) mode = NULL;
  g_autoptr(GVariant) total = NULL;
  g_autoptr(GVariant) retry_option = NULL;
  g_autoptr(GVariant) profile = NULL;
  g_autofree char *configured_url = NULL;
  GVariantBuilder result;
  GVariantBuilder retries;
  GVariantBuilder s3;
  gboolean flag;
  const char *service_id;
  const char *session_region;
  static const char * const copied[] = {
    "signature_version", "user_agent", "user_agent_extra", "proxies", "client_context_params",
  };
  static const struct { const char *config; const char *variable; } chained[] = {
    { "user_agent_appid", "user_agent_appid" },
    { "request_checksum_calculation", "request_checksum_calculation" },
    { "response_checksum_validation", "response_checksum_validation" },
    { "request_min_compression_size_bytes", "request_min_compression_size_bytes" },
    { "account_id_endpoint_mode", "account_id_endpoint_mode" },
    { "sigv4a_signing_region_set", "sigv4a_signing_region_set" },
    { NULL, "ca_bundle" },
    { NULL, "sts_regional_endpoints" },
    { NULL, "defaults_mode" },
  };
  static const char * const flags[] = {
    "parameter_validation", "use_dualstack_endpoint", "use_fips_endpoint",
    "disable_request_compression", "ignore_configured_endpoint_urls", "tcp_keepalive",
  };

  g_return_val_if_fail (BOTO_IS_SESSION (self), NULL);
  g_return_val_if_fail (service_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  model = boto_service_model_load (service_name, error);
  if (model == NULL)
    return NULL;
  service_id = boto_service_model_get_service_id (model);
  if (service_id == NULL)
    service_id = service_name;

  if (config == NULL)
    config = empty = boto_config_new (NULL, NULL);

  session_region = boto_session_get_region_name (self);
  locker = g_mutex_locker_new (&self->lock);

  g_variant_builder_init (&result, G_VARIANT_TYPE_VARDICT);

  region = boto_config_lookup (config, "region_name");
  if (region != NULL)
    g_variant_builder_add (&result, "{sv}", "region_name", region);
  else if (session_region != NULL)
    g_variant_builder_add (&result, "{sv}", "region_name", g_variant_new_string (session_region));

  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    {
      if (!resolve_flag_locked (self, config, flags[i], &flag, error))
        goto failed;
      g_variant_builder_add (&result, "{sv}", flags[i], g_variant_new_boolean (flag));
      if (strcmp (flags[i], "ignore_configured_endpoint_urls") == 0 && endpoint_url == NULL && !flag)
        {
          g_autoptr(GError) local_error = NULL;

          configured_url = configured_endpoint_url_locked (self, service_id, &local_error);
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              goto failed;
            }
        }
    }

  if (endpoint_url != NULL)
    g_variant_builder_add (&result, "{sv}", "endpoint_url", g_variant_new_string (endpoint_url));
  else if (configured_url != NULL)
    g_variant_builder_add (&result, "{sv}", "endpoint_url", g_variant_new_string (configured_url));

  /* Retries: botocore's _compute_retry_config. */
  mode = boto_config_lookup (config, "retries.mode");
  if (mode == NULL)
    {
      const ConfigVariable *variable = NULL;

      for (guint i = 0; i < G_N_ELEMENTS (config_variables); i++)
        if (strcmp (config_variables[i].name, "retry_mode") == 0)
          variable = &config_variables[i];
      mode = config_variable_locked (self, variable, error);
      if (mode == NULL)
        goto failed;
    }
  if ((retry_option = boto_config_lookup (config, "retries.total_max_attempts")) != NULL)
    total = g_steal_pointer (&retry_option);
  else if ((retry_option = boto_config_lookup (config, "retries.max_attempts")) != NULL)
    total = g_variant_ref_sink (g_variant_new_int64 (g_variant_get_int64 (retry_option) + 1));
  else
    {
      g_autoptr(GError) local_error = NULL;

      total = resolve_variable_locked (self, NULL, NULL, "max_attempts", &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          goto failed;
        }
      if (total == NULL)
        {
          /* legacy: _retry.json's max_attempts, 10 for DynamoDB */
          gboolean legacy = strcmp (g_variant_get_string (mode, NULL), "legacy") == 0;
          gint64 fallback = legacy ? (g_strcmp0 (service_name, "dynamodb") == 0 ? 10 : 5) : 3;

          total = g_variant_ref_sink (g_variant_new_int64 (fallback));
        }
    }
  g_variant_builder_init (&retries, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&retries, "{sv}", "mode", mode);
  g_variant_builder_add (&retries, "{sv}", "total_max_attempts", total);
  g_variant_builder_add (&result, "{sv}", "retries", g_variant_builder_end (&retries));

  /* Plain options with botocore's defaults. */
  {
    g_autoptr(GVariant) connect = boto_config_lookup (config, "connect_timeout");
    g_autoptr(GVariant) read = boto_config_lookup (config, "read_timeout");
    g_autoptr(GVariant) pool = boto_config_lookup (config, "max_pool_connections");
    g_autoptr(GVariant) inject = boto_config_lookup (config, "inject_host_prefix");
    gboolean disable_host_prefix = FALSE;

    g_variant_builder_add (&result, "{sv}", "connect_timeout",
                           connect != NULL ? g_variant_ref (connect) : g_variant_new_double (60));
    g_variant_builder_add (&result, "{sv}", "read_timeout",
                           read != NULL ? g_variant_ref (read) : g_variant_new_double (60));
    g_variant_builder_add (&result, "{sv}", "max_pool_connections",
                           pool != NULL ? g_variant_ref (pool) : g_variant_new_int64 (10));
    if (inject == NULL && !resolve_flag_locked (self, config, "disable_host_prefix_injection",
                                                &disable_host_prefix, error))
      goto failed;
    g_variant_builder_add (&result, "{sv}", "inject_host_prefix",
                           inject != NULL ? g_variant_ref (inject) : g_variant_new_boolean (!disable_host_prefix));
  }

  for (guint i = 0; i < G_N_ELEMENTS (copied); i++)
    {
      g_autoptr(GVariant) value = boto_config_lookup (config, copied[i]);

      if (value != NULL)
        g_variant_builder_add (&result, "{sv}", copied[i], value);
    }

  for (guint i = 0; i < G_N_ELEMENTS (chained); i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GVariant) value = resolve_variable_locked (self, config, chained[i].config,
                                                           chained[i].variable, &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          goto failed;
        }
      if (value != NULL)
        g_variant_builder_add (&result, "{sv}", chained[i].variable, value);
    }

  /* S3: the explicit s3 options, then the profile's nested `s3 =` section. */
  profile = scoped_config_locked (self, error);
  if (profile == NULL)
    goto failed;
  g_variant_builder_init (&s3, G_VARIANT_TYPE_VARDICT);
  {
    g_autoptr(GVariant) explicit_s3 = boto_config_lookup (config, "s3");
    g_autoptr(GVariant) profile_s3 = g_variant_lookup_value (profile, "s3", G_VARIANT_TYPE ("a{ss}"));
    static const struct { const char *name; char kind; } s3_keys[] = {
      { "addressing_style", 's' }, { "use_accelerate_endpoint", 'b' },
      { "payload_signing_enabled", 'b' }, { "us_east_1_regional_endpoint", 's' },
      { "use_arn_region", 'b' }, { "disable_multiregion_access_points", 'b' },
    };

    for (guint i = 0; i < G_N_ELEMENTS (s3_keys); i++)
      {
        g_autoptr(GVariant) value = explicit_s3 != NULL ?
          g_variant_lookup_value (explicit_s3, s3_keys[i].name, NULL) : NULL;
        const char *text;

        if (value != NULL)
          g_variant_builder_add (&s3, "{sv}", s3_keys[i].name, value);
        else if (profile_s3 != NULL && g_variant_lookup (profile_s3, s3_keys[i].name, "&s", &text))
          g_variant_builder_add (&s3, "{sv}", s3_keys[i].name,
                                 s3_keys[i].kind == 'b' ?
                                 g_variant_new_boolean (g_ascii_strcasecmp (text, "true") == 0) :
                                 g_variant_new_string (text));
        else if (strcmp (s3_keys[i].name, "addressing_style") == 0)
          g_variant_builder_add (&s3, "{sv}", "addressing_style", g_variant_new_string ("auto"));
      }
  }
  g_variant_builder_add (&result, "{sv}", "s3", g_variant_builder_end (&s3));

  return g_variant_ref_sink (g_variant_builder_end (&result));

failed:
  g_variant_builder_clear (&result);
  return NULL;
}

/* The instance metadata settings, botocore's imds_config. */
static gboolean
imds_fetcher_locked (BotoSession  *self,
                     Fetcher      *fetcher,
                     GError      **error)
{
  const char *names[] = {
    "ec2_metadata_service_endpoint", "ec2_metadata_service_endpoint_mode",
    "metadata_service_timeout", "metadata_service_num_attempts", "ec2_metadata_v1_disabled",
  };
  GVariant *values[G_N_ELEMENTS (names)] = { NULL, };
  gboolean ok = FALSE;

  for (guint n = 0; n < G_N_ELEMENTS (names); n++)
    for (guint i = 0; i < G_N_ELEMENTS (config_variables); i++)
      if (strcmp (config_variables[i].name, names[n]) == 0)
        {
          g_autoptr(GError) local_error = NULL;

          values[n] = config_variable_locked (self, &config_variables[i], &local_error);
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              goto out;
            }
        }

  if (values[0] != NULL)
    fetcher->imds_endpoint = g_variant_dup_string (values[0], NULL);
  else if (values[1] != NULL && g_ascii_strcasecmp (g_variant_get_string (values[1], NULL), "ipv6") == 0)
    fetcher->imds_endpoint = g_strdup ("http://[fd00:ec2::254]/");
  else
    fetcher->imds_endpoint = g_strdup ("http://169.254.169.254/");
  fetcher->imds_timeout = (guint) CLAMP (g_variant_get_int64 (values[2]), 1, 3600);
  fetcher->imds_attempts = (guint) CLAMP (g_variant_get_int64 (values[3]), 1, 100);
  fetcher->imds_v1_disabled = g_variant_get_boolean (values[4]);
  ok = TRUE;

out:
  for (guint n = 0; n < G_N_ELEMENTS (names); n++)
    g_clear_pointer (&values[n], g_variant_unref);
  return ok;
}
