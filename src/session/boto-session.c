/* boto-session.c: region, profile and credentials; the factory of clients
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include "boto-error.h"
#include "boto-session.h"
#include "boto-service-model.h"
#include "boto-config.h"
#include "boto-config-file-private.h"
#include "boto-credential-providers-private.h"

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
 * - credentials: the `aws-access-key-id`, `aws-secret-access-key` and
 *   `aws-session-token` properties, else `AWS_ACCESS_KEY_ID`,
 *   `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN` (or
 *   `AWS_SECURITY_TOKEN`) — unless a profile was given explicitly, which
 *   takes the environment's credentials out of the chain — else the
 *   profile's keys in the shared credentials file, else its
 *   `credential_process`, else its keys in the config file, else the
 *   container credentials endpoint (`AWS_CONTAINER_CREDENTIALS_*`), else the
 *   EC2 instance metadata service (unless `AWS_EC2_METADATA_DISABLED` is
 *   `true`). Temporary credentials are refreshed 15 minutes before they
 *   expire. Profiles that assume a role, use a web identity or SSO are not
 *   supported yet and give an error.
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
 * construction and its credentials are resolved once, under a lock.
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
  BotoCredentials *credentials;
  gboolean         config_loaded;
  GVariant        *config_profiles;       /* a{sa{sv}}: config file merged with credentials file */
  GVariant        *credentials_profiles;  /* a{sa{sv}}: the credentials file alone */
  GVariant        *config_services;       /* a{sa{sv}}: the config file's [services x] sections */
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

/* botocore's refresh windows for temporary credentials: refresh 15 minutes
 * before expiry, and fail rather than use ones that expire within 10. */
#define ADVISORY_REFRESH  (15 * G_TIME_SPAN_MINUTE)
#define MANDATORY_REFRESH (10 * G_TIME_SPAN_MINUTE)

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

  g_clear_pointer (&self->credentials, boto_credentials_unref);
  g_clear_pointer (&self->config_profiles, g_variant_unref);
  g_clear_pointer (&self->credentials_profiles, g_variant_unref);
  g_clear_pointer (&self->config_services, g_variant_unref);
  g_clear_error (&self->config_error);
  g_free (self->region_name);
  g_free (self->profile_name);
  g_free (self->access_key);
  g_free (self->secret_key);
  g_free (self->session_token);
  g_mutex_clear (&self->lock);

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

/**
 * boto_session_get_profile_name:
 * @self: a session
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
  const char *token = profile_string (profile, "aws_session_token");

  if (token == NULL)
    token = profile_string (profile, "aws_security_token");

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

static BotoCredentials *imds_credentials_locked (BotoSession  *self,
                                                 GError      **error);

static BotoCredentials *
resolve_credentials (BotoSession  *self,
                     GError      **error)
{
  const char *access_key;
  const char *secret_key;
  const char *token;

  if (self->access_key != NULL || self->secret_key != NULL)
    {
      if (self->access_key == NULL || self->secret_key == NULL)
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                       "Partial credentials found in explicit, missing: %s",
                       self->access_key == NULL ? "aws_access_key_id" : "aws_secret_access_key");
          return NULL;
        }
      return boto_credentials_new (self->access_key, self->secret_key,
                                   self->session_token, "explicit");
    }

  if (!self->profile_explicit)
    {
      access_key = getenv_nonempty ("AWS_ACCESS_KEY_ID");
      secret_key = getenv_nonempty ("AWS_SECRET_ACCESS_KEY");
      token = getenv_nonempty ("AWS_SESSION_TOKEN");
      if (token == NULL)
        token = getenv_nonempty ("AWS_SECURITY_TOKEN");

      if (access_key != NULL && secret_key != NULL)
        return boto_credentials_new (access_key, secret_key, token, "env");

      if (access_key != NULL || secret_key != NULL)
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                       "Partial credentials found in env, missing: %s",
                       access_key == NULL ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY");
          return NULL;
        }
    }

  {
    g_autoptr(GVariant) profile = scoped_config_locked (self, error);
    g_autoptr(GVariant) from_credentials_file = NULL;
    BotoCredentials *found = NULL;
    const char *process;

    if (profile == NULL)
      return NULL;

    /* Providers that need the STS and SSO clients, which are not there yet:
     * say so rather than quietly pick credentials botocore would not. */
    if (g_variant_lookup (profile, "role_arn", "&s", NULL) ||
        g_variant_lookup (profile, "web_identity_token_file", "&s", NULL) ||
        (getenv_nonempty ("AWS_WEB_IDENTITY_TOKEN_FILE") != NULL && getenv_nonempty ("AWS_ROLE_ARN") != NULL) ||
        g_variant_lookup (profile, "sso_start_url", "&s", NULL) ||
        g_variant_lookup (profile, "sso_session", "&s", NULL))
      {
        g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                     "The profile “%s” gets its credentials by assuming a role, from a web "
                     "identity or from SSO, which this version of boto-glib cannot do yet",
                     self->profile_name);
        return NULL;
      }

    /* The shared credentials file, a credential process, then the config file. */
    from_credentials_file = g_variant_lookup_value (self->credentials_profiles, self->profile_name,
                                                    G_VARIANT_TYPE_VARDICT);
    if (from_credentials_file != NULL &&
        !credentials_from_profile (from_credentials_file, "shared-credentials-file", &found, error))
      return NULL;
    if (found != NULL)
      return found;

    if (g_variant_lookup (profile, "credential_process", "&s", &process))
      return boto_credentials_from_process (process, error);

    if (!credentials_from_profile (profile, "config-file", &found, error))
      return NULL;
    if (found != NULL)
      return found;
  }

  /* The container credentials endpoint, when the environment names one. */
  {
    g_autoptr(GError) local_error = NULL;
    BotoCredentials *found = boto_credentials_from_container (&local_error);

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
      BotoCredentials *found = imds_credentials_locked (self, error);

      if (found != NULL || (error != NULL && *error != NULL))
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
 * for the order of the sources) and returns the same ones afterwards.
 *
 * Returns: (transfer full): the credentials, or %NULL with @error set to
 *   %BOTO_CLIENT_ERROR_NO_CREDENTIALS
 *
 * Since: 1.0
 */
BotoCredentials *
boto_session_get_credentials (BotoSession  *self,
                              GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (BOTO_IS_SESSION (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  if (self->credentials == NULL)
    self->credentials = resolve_credentials (self, error);
  else if (boto_credentials_expires_within (self->credentials, ADVISORY_REFRESH))
    {
      g_autoptr(GError) refresh_error = NULL;
      BotoCredentials *fresh = resolve_credentials (self, &refresh_error);

      if (fresh != NULL)
        {
          boto_credentials_unref (self->credentials);
          self->credentials = fresh;
        }
      else if (boto_credentials_expires_within (self->credentials, MANDATORY_REFRESH))
        {
          g_propagate_error (error, g_steal_pointer (&refresh_error));
          return NULL;
        }
      else
        g_debug ("Refreshing credentials failed, keeping the current ones: %s",
                 refresh_error->message);
    }

  return self->credentials != NULL ? boto_credentials_ref (self->credentials) : NULL;
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
    "sigv4a_signing_region_set",
  };
  static const struct { const char *config; const char *variable; } chained[] = {
    { "user_agent_appid", "user_agent_appid" },
    { "request_checksum_calculation", "request_checksum_calculation" },
    { "response_checksum_validation", "response_checksum_validation" },
    { "request_min_compression_size_bytes", "request_min_compression_size_bytes" },
    { "account_id_endpoint_mode", "account_id_endpoint_mode" },
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

static BotoCredentials *
imds_credentials_locked (BotoSession  *self,
                         GError      **error)
{
  const char *names[] = {
    "ec2_metadata_service_endpoint", "ec2_metadata_service_endpoint_mode",
    "metadata_service_timeout", "metadata_service_num_attempts", "ec2_metadata_v1_disabled",
  };
  GVariant *values[G_N_ELEMENTS (names)] = { NULL, };
  g_autofree char *endpoint = NULL;
  BotoCredentials *credentials = NULL;

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
    endpoint = g_variant_dup_string (values[0], NULL);
  else if (values[1] != NULL && g_ascii_strcasecmp (g_variant_get_string (values[1], NULL), "ipv6") == 0)
    endpoint = g_strdup ("http://[fd00:ec2::254]/");
  else
    endpoint = g_strdup ("http://169.254.169.254/");

  credentials = boto_credentials_from_imds (endpoint,
                                            (guint) CLAMP (g_variant_get_int64 (values[2]), 1, 3600),
                                            (guint) CLAMP (g_variant_get_int64 (values[3]), 1, 100),
                                            g_variant_get_boolean (values[4]), error);

out:
  for (guint n = 0; n < G_N_ELEMENTS (names); n++)
    g_clear_pointer (&values[n], g_variant_unref);
  return credentials;
}
