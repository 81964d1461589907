/* boto-session.c: region, profile and credentials; the factory of clients
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include "boto-error.h"
#include "boto-session.h"
#include "boto-service-model.h"
#include "boto-config-file-private.h"

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
 *   profile's keys in the shared credentials file, else in the config file.
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

  g_clear_pointer (&self->credentials, boto_credentials_unref);
  g_clear_pointer (&self->config_profiles, g_variant_unref);
  g_clear_pointer (&self->credentials_profiles, g_variant_unref);
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

    if (profile == NULL)
      return NULL;

    /* The shared credentials file, then the config file. */
    from_credentials_file = g_variant_lookup_value (self->credentials_profiles, self->profile_name,
                                                    G_VARIANT_TYPE_VARDICT);
    if (from_credentials_file != NULL &&
        !credentials_from_profile (from_credentials_file, "shared-credentials-file", &found, error))
      return NULL;
    if (found == NULL && !credentials_from_profile (profile, "config-file", &found, error))
      return NULL;
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
