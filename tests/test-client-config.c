/* test-client-config.c: BotoConfig and how a client's settings are
 * resolved from it, the environment and the config files
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <boto-glib/boto-glib.h>

static char *config_path;

static void
reset (const char *config_text)
{
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; env[i] != NULL; i++)
    if (g_str_has_prefix (env[i], "AWS_") || g_str_has_prefix (env[i], "BOTOCORE_"))
      {
        g_autofree char *name = g_strndup (env[i], strcspn (env[i], "="));

        g_unsetenv (name);
      }

  g_file_set_contents (config_path, config_text, -1, &error);
  g_assert_no_error (error);
  g_setenv ("AWS_CONFIG_FILE", config_path, TRUE);
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", TRUE);
}

static GVariant *
resolve (BotoSession *session,
         const char  *service,
         const char  *endpoint_url,
         const char  *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoConfig) config = NULL;
  GVariant *resolved;

  if (options != NULL)
    {
      config = boto_config_new (g_variant_new_parsed (options), &error);
      g_assert_no_error (error);
    }
  resolved = boto_session_resolve_client_config (session, service, endpoint_url, config, &error);
  g_assert_no_error (error);
  return resolved;
}

static void
test_config_validation (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoConfig) config = NULL;
  g_autoptr(GVariant) value = NULL;

  config = boto_config_new (g_variant_new_parsed (
    "{'region_name': <'eu-west-1'>, 'connect_timeout': <5>, 'retries': <{'max_attempts': <byte 2>}>}"), &error);
  g_assert_no_error (error);
  value = boto_config_lookup (config, "connect_timeout");
  g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE));
  g_assert_cmpfloat (g_variant_get_double (value), ==, 5.0);
  g_clear_pointer (&value, g_variant_unref);
  value = boto_config_lookup (config, "retries.max_attempts");
  g_assert_cmpint (g_variant_get_int64 (value), ==, 2);
  g_assert_null (boto_config_lookup (config, "read_timeout"));
  g_assert_null (boto_config_lookup (config, "retries.mode"));
  g_clear_pointer (&config, boto_config_unref);

  /* Every problem is listed at once. */
  config = boto_config_new (g_variant_new_parsed (
    "{'region': <'x'>, 'read_timeout': <'slow'>, 'retries': <{'mode': <'eager'>, 'tries': <1>}>,"
    " 's3': <{'addressing_style': <'path'>}>, 'max_pool_connections': <-1>}"), &error);
  g_assert_null (config);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG);
  g_assert_nonnull (strstr (error->message, "“region”"));
  g_assert_nonnull (strstr (error->message, "“read_timeout”"));
  g_assert_nonnull (strstr (error->message, "“retries.mode”"));
  g_assert_nonnull (strstr (error->message, "“retries.tries”"));
  g_assert_nonnull (strstr (error->message, "“max_pool_connections”"));
  g_assert_null (strstr (error->message, "addressing_style"));
}

static void
test_config_merge (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoConfig) a = boto_config_new (g_variant_new_parsed (
    "{'region_name': <'a'>, 'retries': <{'mode': <'legacy'>}>, 'read_timeout': <1.5>}"), &error);
  g_autoptr(BotoConfig) b = boto_config_new (g_variant_new_parsed (
    "{'region_name': <'b'>, 'retries': <{'max_attempts': <7>}>}"), &error);
  g_autoptr(BotoConfig) merged = NULL;
  g_autoptr(GVariant) region = NULL;
  g_autoptr(GVariant) mode = NULL;
  g_autoptr(GVariant) timeout = NULL;

  g_assert_no_error (error);
  merged = boto_config_merge (a, b);
  region = boto_config_lookup (merged, "region_name");
  g_assert_cmpstr (g_variant_get_string (region, NULL), ==, "b");
  /* A nested dictionary is replaced whole, as in botocore. */
  mode = boto_config_lookup (merged, "retries.mode");
  g_assert_null (mode);
  timeout = boto_config_lookup (merged, "read_timeout");
  g_assert_cmpfloat (g_variant_get_double (timeout), ==, 1.5);
}

static void
test_config_variables (void)
{
  g_autoptr(BotoSession) session = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GError) error = NULL;

  reset ("[default]\nretry_mode = adaptive\nmax_attempts = 9\nuse_fips_endpoint = TRUE\n"
         "[profile bad]\nmax_attempts = many\n");
  session = boto_session_new ();

  value = boto_session_get_config_variable (session, "retry_mode", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_variant_get_string (value, NULL), ==, "adaptive");
  g_clear_pointer (&value, g_variant_unref);

  g_setenv ("AWS_RETRY_MODE", "legacy", TRUE);
  value = boto_session_get_config_variable (session, "retry_mode", &error);
  g_assert_cmpstr (g_variant_get_string (value, NULL), ==, "legacy");
  g_clear_pointer (&value, g_variant_unref);

  value = boto_session_get_config_variable (session, "max_attempts", &error);
  g_assert_cmpint (g_variant_get_int64 (value), ==, 9);
  g_clear_pointer (&value, g_variant_unref);

  value = boto_session_get_config_variable (session, "use_fips_endpoint", &error);
  g_assert_true (g_variant_get_boolean (value));
  g_clear_pointer (&value, g_variant_unref);

  /* Defaults, and unset settings without one. */
  value = boto_session_get_config_variable (session, "request_min_compression_size_bytes", &error);
  g_assert_cmpint (g_variant_get_int64 (value), ==, 10240);
  g_clear_pointer (&value, g_variant_unref);
  value = boto_session_get_config_variable (session, "ca_bundle", &error);
  g_assert_no_error (error);
  g_assert_null (value);

  /* AWS_REGION is not botocore's variable. */
  g_setenv ("AWS_REGION", "eu-south-1", TRUE);
  value = boto_session_get_config_variable (session, "region", &error);
  g_assert_no_error (error);
  g_assert_null (value);

  value = boto_session_get_config_variable (session, "no_such_setting", &error);
  g_assert_null (value);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG);
  g_clear_error (&error);

  {
    g_autoptr(BotoSession) bad = g_object_new (BOTO_TYPE_SESSION, "profile-name", "bad", NULL);

    value = boto_session_get_config_variable (bad, "max_attempts", &error);
    g_assert_null (value);
    g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG);
    g_assert_nonnull (strstr (error->message, "many"));
  }
}

static void
test_resolve_retries (void)
{
  g_autoptr(BotoSession) session = NULL;
  g_autoptr(GVariant) resolved = NULL;
  gint64 total;
  const char *mode;

  reset ("");
  session = boto_session_new ();

  /* botocore's defaults: standard mode, 3 attempts. */
  resolved = resolve (session, "sqs", NULL, NULL);
  {
    g_autoptr(GVariant) retries = g_variant_lookup_value (resolved, "retries", G_VARIANT_TYPE_VARDICT);

    g_assert_true (g_variant_lookup (retries, "mode", "&s", &mode));
    g_assert_cmpstr (mode, ==, "standard");
    g_assert_true (g_variant_lookup (retries, "total_max_attempts", "x", &total));
    g_assert_cmpint (total, ==, 3);
  }
  g_clear_pointer (&resolved, g_variant_unref);

  /* Config max_attempts counts retries: one more attempt in all. */
  g_setenv ("AWS_MAX_ATTEMPTS", "8", TRUE);
  resolved = resolve (session, "sqs", NULL, "{'retries': <{'max_attempts': <4>, 'mode': <'legacy'>}>}");
  {
    g_autoptr(GVariant) retries = g_variant_lookup_value (resolved, "retries", G_VARIANT_TYPE_VARDICT);

    g_assert_true (g_variant_lookup (retries, "total_max_attempts", "x", &total));
    g_assert_cmpint (total, ==, 5);
    g_assert_true (g_variant_lookup (retries, "mode", "&s", &mode));
    g_assert_cmpstr (mode, ==, "legacy");
  }
  g_clear_pointer (&resolved, g_variant_unref);

  /* AWS_MAX_ATTEMPTS is a total. */
  resolved = resolve (session, "sqs", NULL, NULL);
  {
    g_autoptr(GVariant) retries = g_variant_lookup_value (resolved, "retries", G_VARIANT_TYPE_VARDICT);

    g_assert_true (g_variant_lookup (retries, "total_max_attempts", "x", &total));
    g_assert_cmpint (total, ==, 8);
  }
}

static void
test_resolve_precedence (void)
{
  g_autoptr(BotoSession) session = NULL;
  g_autoptr(GVariant) resolved = NULL;
  g_autoptr(GVariant) s3 = NULL;
  const char *text;
  gboolean flag;
  double timeout;

  reset ("[profile dev]\nregion = ap-east-1\nuse_dualstack_endpoint = true\n"
         "ca_bundle = /from/profile.pem\nendpoint_url = http://127.0.0.1:9\n"
         "s3 =\n  addressing_style = virtual\n  use_accelerate_endpoint = true\n");
  g_setenv ("AWS_PROFILE", "dev", TRUE);
  g_setenv ("AWS_CA_BUNDLE", "/from/env.pem", TRUE);
  session = boto_session_new ();

  resolved = resolve (session, "s3", NULL, NULL);
  g_assert_true (g_variant_lookup (resolved, "region_name", "&s", &text));
  g_assert_cmpstr (text, ==, "ap-east-1");
  g_assert_true (g_variant_lookup (resolved, "use_dualstack_endpoint", "b", &flag));
  g_assert_true (flag);
  g_assert_true (g_variant_lookup (resolved, "use_fips_endpoint", "b", &flag));
  g_assert_false (flag);
  g_assert_true (g_variant_lookup (resolved, "ca_bundle", "&s", &text));
  g_assert_cmpstr (text, ==, "/from/env.pem");
  g_assert_true (g_variant_lookup (resolved, "endpoint_url", "&s", &text));
  g_assert_cmpstr (text, ==, "http://127.0.0.1:9");
  g_assert_true (g_variant_lookup (resolved, "read_timeout", "d", &timeout));
  g_assert_cmpfloat (timeout, ==, 60.0);
  g_assert_true (g_variant_lookup (resolved, "parameter_validation", "b", &flag));
  g_assert_true (flag);
  s3 = g_variant_lookup_value (resolved, "s3", G_VARIANT_TYPE_VARDICT);
  g_assert_true (g_variant_lookup (s3, "addressing_style", "&s", &text));
  g_assert_cmpstr (text, ==, "virtual");
  g_assert_true (g_variant_lookup (s3, "use_accelerate_endpoint", "b", &flag));
  g_assert_true (flag);
  g_clear_pointer (&s3, g_variant_unref);
  g_clear_pointer (&resolved, g_variant_unref);

  /* Explicit options win over everything. */
  g_setenv ("AWS_USE_DUALSTACK_ENDPOINT", "true", TRUE);
  resolved = resolve (session, "s3", "https://explicit.example",
                      "{'region_name': <'us-east-2'>, 'use_dualstack_endpoint': <false>,"
                      " 's3': <{'addressing_style': <'path'>}>, 'read_timeout': <2>,"
                      " 'parameter_validation': <false>, 'user_agent_extra': <'app/1'>}");
  g_assert_true (g_variant_lookup (resolved, "region_name", "&s", &text));
  g_assert_cmpstr (text, ==, "us-east-2");
  g_assert_true (g_variant_lookup (resolved, "use_dualstack_endpoint", "b", &flag));
  g_assert_false (flag);
  g_assert_true (g_variant_lookup (resolved, "endpoint_url", "&s", &text));
  g_assert_cmpstr (text, ==, "https://explicit.example");
  g_assert_true (g_variant_lookup (resolved, "read_timeout", "d", &timeout));
  g_assert_cmpfloat (timeout, ==, 2.0);
  g_assert_true (g_variant_lookup (resolved, "parameter_validation", "b", &flag));
  g_assert_false (flag);
  g_assert_true (g_variant_lookup (resolved, "user_agent_extra", "&s", &text));
  g_assert_cmpstr (text, ==, "app/1");
  s3 = g_variant_lookup_value (resolved, "s3", G_VARIANT_TYPE_VARDICT);
  g_assert_true (g_variant_lookup (s3, "addressing_style", "&s", &text));
  g_assert_cmpstr (text, ==, "path");
}

/* Each setting from each of its sources: the config file alone, the
 * environment over it, explicit options over both (botocore's precedence).
 * NULL where botocore has no such source. */
static const struct
{
  const char *path;          /* in the resolved config; "a.b" for nested */
  const char *profile_line;
  const char *env_name;
  const char *env_value;
  const char *options;       /* explicit BotoConfig options */
  const char *from_profile;  /* expected values, as g_variant_print() writes them */
  const char *from_env;
  const char *from_options;
} layered[] = {
  { "region_name", "region = eu-west-1", "AWS_DEFAULT_REGION", "eu-west-2",
    "{'region_name': <'eu-west-3'>}", "'eu-west-1'", "'eu-west-2'", "'eu-west-3'" },
  { "retries.mode", "retry_mode = standard", "AWS_RETRY_MODE", "legacy",
    "{'retries': <{'mode': <'adaptive'>}>}", "'standard'", "'legacy'", "'adaptive'" },
  { "retries.total_max_attempts", "max_attempts = 5", "AWS_MAX_ATTEMPTS", "6",
    "{'retries': <{'total_max_attempts': <7>}>}", "5", "6", "7" },
  { "use_fips_endpoint", "use_fips_endpoint = true", "AWS_USE_FIPS_ENDPOINT", "false",
    "{'use_fips_endpoint': <true>}", "true", "false", "true" },
  { "use_dualstack_endpoint", "use_dualstack_endpoint = true", "AWS_USE_DUALSTACK_ENDPOINT", "false",
    "{'use_dualstack_endpoint': <true>}", "true", "false", "true" },
  { "ignore_configured_endpoint_urls", "ignore_configured_endpoint_urls = true",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false",
    "{'ignore_configured_endpoint_urls': <true>}", "true", "false", "true" },
  { "user_agent_appid", "sdk_ua_app_id = app-1", "AWS_SDK_UA_APP_ID", "app-2",
    "{'user_agent_appid': <'app-3'>}", "'app-1'", "'app-2'", "'app-3'" },
  { "request_checksum_calculation", "request_checksum_calculation = when_required",
    "AWS_REQUEST_CHECKSUM_CALCULATION", "when_supported",
    "{'request_checksum_calculation': <'when_required'>}", "'when_required'", "'when_supported'", "'when_required'" },
  { "response_checksum_validation", "response_checksum_validation = when_required",
    "AWS_RESPONSE_CHECKSUM_VALIDATION", "when_supported",
    "{'response_checksum_validation': <'when_required'>}", "'when_required'", "'when_supported'", "'when_required'" },
  { "request_min_compression_size_bytes", "request_min_compression_size_bytes = 100",
    "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "200",
    "{'request_min_compression_size_bytes': <300>}", "100", "200", "300" },
  { "disable_request_compression", "disable_request_compression = true",
    "AWS_DISABLE_REQUEST_COMPRESSION", "false",
    "{'disable_request_compression': <true>}", "true", "false", "true" },
  { "account_id_endpoint_mode", "account_id_endpoint_mode = disabled",
    "AWS_ACCOUNT_ID_ENDPOINT_MODE", "required",
    "{'account_id_endpoint_mode': <'preferred'>}", "'disabled'", "'required'", "'preferred'" },
  { "tcp_keepalive", "tcp_keepalive = true", "BOTOCORE_TCP_KEEPALIVE", "false",
    "{'tcp_keepalive': <true>}", "true", "false", "true" },
  { "sigv4a_signing_region_set", "sigv4a_signing_region_set = us-west-2",
    "AWS_SIGV4A_SIGNING_REGION_SET", "*",
    "{'sigv4a_signing_region_set': <'eu-*'>}", "'us-west-2'", "'*'", "'eu-*'" },
  { "inject_host_prefix", "disable_host_prefix_injection = true",
    "AWS_DISABLE_HOST_PREFIX_INJECTION", "false",
    "{'inject_host_prefix': <false>}", "false", "true", "false" },
  { "parameter_validation", "parameter_validation = false", NULL, NULL,
    "{'parameter_validation': <true>}", "false", NULL, "true" },
  { "ca_bundle", "ca_bundle = /profile.pem", "AWS_CA_BUNDLE", "/env.pem",
    NULL, "'/profile.pem'", "'/env.pem'", NULL },
  { "defaults_mode", "defaults_mode = standard", "AWS_DEFAULTS_MODE", "in-region",
    NULL, "'standard'", "'in-region'", NULL },
  { "sts_regional_endpoints", "sts_regional_endpoints = legacy", "AWS_STS_REGIONAL_ENDPOINTS", "regional",
    NULL, "'legacy'", "'regional'", NULL },
  { "s3.addressing_style", "s3 =\n  addressing_style = virtual", NULL, NULL,
    "{'s3': <{'addressing_style': <'path'>}>}", "'virtual'", NULL, "'path'" },
};

static char *
resolved_value (const char *options,
                const char *path)
{
  g_autoptr(BotoSession) session = boto_session_new ();
  g_autoptr(GVariant) resolved = resolve (session, "s3", NULL, options);
  g_autoptr(GVariant) value = NULL;
  const char *dot = strchr (path, '.');

  if (dot != NULL)
    {
      g_autofree char *outer = g_strndup (path, dot - path);
      g_autoptr(GVariant) nested = g_variant_lookup_value (resolved, outer, G_VARIANT_TYPE_VARDICT);

      value = nested != NULL ? g_variant_lookup_value (nested, dot + 1, NULL) : NULL;
    }
  else
    value = g_variant_lookup_value (resolved, path, NULL);

  return value != NULL ? g_variant_print (value, FALSE) : g_strdup ("(unset)");
}

static void
test_resolve_layers (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (layered); i++)
    {
      g_autofree char *config = g_strdup_printf ("[default]\n%s\n", layered[i].profile_line);
      g_autofree char *value = NULL;

      g_test_message ("%s", layered[i].path);
      reset (config);
      value = resolved_value (NULL, layered[i].path);
      g_assert_cmpstr (value, ==, layered[i].from_profile);
      g_clear_pointer (&value, g_free);

      if (layered[i].env_name != NULL)
        {
          g_setenv (layered[i].env_name, layered[i].env_value, TRUE);
          value = resolved_value (NULL, layered[i].path);
          g_assert_cmpstr (value, ==, layered[i].from_env);
          g_clear_pointer (&value, g_free);
        }

      if (layered[i].options != NULL)
        {
          value = resolved_value (layered[i].options, layered[i].path);
          g_assert_cmpstr (value, ==, layered[i].from_options);
        }
    }
}

static void
test_resolve_errors (void)
{
  g_autoptr(BotoSession) session = NULL;
  g_autoptr(GVariant) resolved = NULL;
  g_autoptr(GError) error = NULL;

  reset ("[profile svc]\nservices = missing\n");
  session = boto_session_new ();
  resolved = boto_session_resolve_client_config (session, "no-such-service", NULL, NULL, &error);
  g_assert_null (resolved);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_SERVICE);
  g_clear_error (&error);

  {
    g_autoptr(BotoSession) svc = g_object_new (BOTO_TYPE_SESSION, "profile-name", "svc", NULL);

    resolved = boto_session_resolve_client_config (svc, "s3", NULL, NULL, &error);
    g_assert_null (resolved);
    g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG);
    g_assert_nonnull (strstr (error->message, "missing"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("boto-test-client-config-XXXXXX", &error);
  int ret;

  g_assert_no_error (error);
  config_path = g_build_filename (dir, "config", NULL);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/boto/client-config/validation", test_config_validation);
  g_test_add_func ("/boto/client-config/merge", test_config_merge);
  g_test_add_func ("/boto/client-config/variables", test_config_variables);
  g_test_add_func ("/boto/client-config/resolve/retries", test_resolve_retries);
  g_test_add_func ("/boto/client-config/resolve/precedence", test_resolve_precedence);
  g_test_add_func ("/boto/client-config/resolve/errors", test_resolve_errors);
  g_test_add_func ("/boto/client-config/resolve/layers", test_resolve_layers);
  ret = g_test_run ();

  g_unlink (config_path);
  g_rmdir (dir);
  g_free (config_path);
  return ret;
}
