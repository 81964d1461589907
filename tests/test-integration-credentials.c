/* test-integration-credentials.c: assume-role and web identity against
 * moto's STS, and a full request cycle with debug logging on that must not
 * log any secret
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <boto-glib/boto-glib.h>

#define BASE_SECRET "base-secret-never-logged-4711"

static char *tmp_root;

/* Every log message of the process, whatever its level or domain. */
static GMutex log_lock;
static GString *log_text;
static GPtrArray *strings_to_sign;

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  g_mutex_lock (&log_lock);
  for (gsize i = 0; i < n_fields; i++)
    if (fields[i].length < 0)
      {
        g_string_append_printf (log_text, "%s=%s\n", fields[i].key, (const char *) fields[i].value);
        if (strcmp (fields[i].key, "MESSAGE") == 0 &&
            g_str_has_prefix (fields[i].value, "SigV4 string to sign:\n"))
          g_ptr_array_add (strings_to_sign,
                           g_strdup ((const char *) fields[i].value + strlen ("SigV4 string to sign:\n")));
      }
  g_mutex_unlock (&log_lock);

  /* Keep the TAP stream readable: debug lines are captured, not printed. */
  if (log_level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO))
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static char *
write_file (const char *name,
            const char *text)
{
  char *path = g_build_filename (tmp_root, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
use_config (const char *text)
{
  g_autofree char *path = write_file ("config", text);

  g_setenv ("AWS_CONFIG_FILE", path, TRUE);
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", TRUE);
}

static GVariant *
bytes_variant (const char *text)
{
  return g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, text, strlen (text), 1);
}

static void
test_assume_role (void)
{
  g_autoptr(BotoSession) session = NULL;
  g_autoptr(BotoCredentials) credentials = NULL;
  g_autoptr(BotoClient) sts = NULL;
  g_autoptr(GVariant) identity = NULL;
  g_autoptr(GError) error = NULL;
  const char *arn = NULL;

  use_config ("[profile base]\n"
              "aws_access_key_id = AKIDBASEMOTO\n"
              "aws_secret_access_key = " BASE_SECRET "\n"
              "[profile role]\n"
              "role_arn = arn:aws:iam::123456789012:role/moto-role\n"
              "source_profile = base\n"
              "role_session_name = integration\n"
              "region = us-east-1\n");

  /* An explicit profile: the fixture's environment keys are out of the
   * chain, the role is assumed through moto's STS. */
  session = g_object_new (BOTO_TYPE_SESSION, "profile-name", "role", NULL);
  credentials = boto_session_get_credentials (session, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (boto_credentials_get_method (credentials), ==, "assume-role");
  g_assert_true (g_str_has_prefix (boto_credentials_get_access_key (credentials), "ASIA"));
  g_assert_nonnull (boto_credentials_get_token (credentials));
  g_assert_nonnull (boto_credentials_get_expiry_time (credentials));
  g_assert_false (boto_credentials_expires_within (credentials, 30 * G_TIME_SPAN_MINUTE));

  /* The session signs with them: moto knows who we are. */
  sts = boto_session_create_client (session, "sts", NULL, NULL, &error);
  g_assert_no_error (error);
  identity = boto_client_call (sts, "GetCallerIdentity", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_lookup (identity, "Arn", "&s", &arn));
  g_assert_cmpstr (arn, ==, "arn:aws:sts::123456789012:assumed-role/moto-role/integration");
}

static void
test_web_identity (void)
{
  g_autofree char *token_file = write_file ("web-token", "eyJhbGciOiJub25lIn0.e30.");
  g_autofree char *config = g_strdup_printf ("[profile web]\n"
                                             "web_identity_token_file = %s\n"
                                             "role_arn = arn:aws:iam::123456789012:role/web-role\n"
                                             "region = us-east-1\n", token_file);
  g_autofree char *saved_key = g_strdup (g_getenv ("AWS_ACCESS_KEY_ID"));
  g_autofree char *saved_secret = g_strdup (g_getenv ("AWS_SECRET_ACCESS_KEY"));
  g_autoptr(GError) error = NULL;

  use_config (config);

  {
    g_autoptr(BotoSession) session = g_object_new (BOTO_TYPE_SESSION, "profile-name", "web", NULL);
    g_autoptr(BotoCredentials) credentials = boto_session_get_credentials (session, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (boto_credentials_get_method (credentials), ==, "assume-role-with-web-identity");
    g_assert_true (g_str_has_prefix (boto_credentials_get_access_key (credentials), "ASIA"));
  }

  /* From the environment alone (no keys there, or they would come first). */
  g_unsetenv ("AWS_ACCESS_KEY_ID");
  g_unsetenv ("AWS_SECRET_ACCESS_KEY");
  g_setenv ("AWS_WEB_IDENTITY_TOKEN_FILE", token_file, TRUE);
  g_setenv ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/env-role", TRUE);
  g_setenv ("AWS_ROLE_SESSION_NAME", "env-session", TRUE);
  use_config ("[default]\nregion = us-east-1\n");
  {
    g_autoptr(BotoSession) session = boto_session_new ();
    g_autoptr(BotoCredentials) credentials = boto_session_get_credentials (session, &error);
    g_autoptr(BotoClient) sts = NULL;
    g_autoptr(GVariant) identity = NULL;
    const char *arn = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (boto_credentials_get_method (credentials), ==, "assume-role-with-web-identity");
    sts = boto_session_create_client (session, "sts", NULL, NULL, &error);
    g_assert_no_error (error);
    identity = boto_client_call (sts, "GetCallerIdentity", NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (g_variant_lookup (identity, "Arn", "&s", &arn));
    g_assert_cmpstr (arn, ==, "arn:aws:sts::123456789012:assumed-role/env-role/env-session");
  }

  g_unsetenv ("AWS_WEB_IDENTITY_TOKEN_FILE");
  g_unsetenv ("AWS_ROLE_ARN");
  g_unsetenv ("AWS_ROLE_SESSION_NAME");
  g_setenv ("AWS_ACCESS_KEY_ID", saved_key, TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", saved_secret, TRUE);
  g_unlink (token_file);
}

static void
hmac (const guint8 *key,
      gsize         key_length,
      const char   *data,
      guint8        out[32])
{
  g_autoptr(GHmac) mac = g_hmac_new (G_CHECKSUM_SHA256, key, key_length);
  gsize length = 32;

  g_hmac_update (mac, (const guchar *) data, -1);
  g_hmac_get_digest (mac, out, &length);
}

/* The signature SigV4 computes for @string_to_sign, worked out here. */
static char *
signature_for (const char *secret,
               const char *string_to_sign)
{
  g_auto(GStrv) lines = g_strsplit (string_to_sign, "\n", -1);
  g_auto(GStrv) scope = NULL;
  g_autofree char *first_key = g_strconcat ("AWS4", secret, NULL);
  guint8 key[32];
  guint8 signature[32];
  GString *hex = g_string_new (NULL);

  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  scope = g_strsplit (lines[2], "/", -1);
  g_assert_cmpuint (g_strv_length (scope), ==, 4);
  hmac ((const guint8 *) first_key, strlen (first_key), scope[0], key);
  hmac (key, 32, scope[1], key);
  hmac (key, 32, scope[2], key);
  hmac (key, 32, scope[3], key);
  hmac (key, 32, string_to_sign, signature);
  for (guint i = 0; i < 32; i++)
    g_string_append_printf (hex, "%02x", signature[i]);
  return g_string_free (hex, FALSE);
}

static void
assert_not_logged (const char *what,
                   const char *value)
{
  g_assert_nonnull (value);
  g_assert_cmpuint (strlen (value), >=, 8);
  if (strstr (log_text->str, value) != NULL)
    g_error ("The debug log contains the %s", what);
}

/* An assumed role's session token, then S3 put and get (and an error
 * response), all with G_MESSAGES_DEBUG=all: no secret key, session token or
 * signature in any log line, while method, URL and status are there. */
static void
test_no_secrets_in_debug_log (void)
{
  g_autoptr(BotoSession) session = NULL;
  g_autoptr(BotoCredentials) credentials = NULL;
  g_autoptr(BotoClient) s3 = NULL;
  g_autoptr(GVariant) created = NULL;
  g_autoptr(GVariant) put = NULL;
  g_autoptr(GVariant) got = NULL;
  g_autoptr(GVariant) missing = NULL;
  g_autoptr(GVariant) body = NULL;
  g_autoptr(GError) error = NULL;
  gboolean is_error = FALSE;
  gsize size;

  g_assert_false (g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, "Boto"));

  use_config ("[profile base]\n"
              "aws_access_key_id = AKIDBASEMOTO\n"
              "aws_secret_access_key = " BASE_SECRET "\n"
              "[profile logged]\n"
              "role_arn = arn:aws:iam::123456789012:role/logged-role\n"
              "source_profile = base\n"
              "region = us-east-1\n");
  session = g_object_new (BOTO_TYPE_SESSION, "profile-name", "logged", NULL);
  credentials = boto_session_get_credentials (session, &error);
  g_assert_no_error (error);
  g_assert_nonnull (boto_credentials_get_token (credentials));

  s3 = boto_session_create_client (session, "s3", NULL, NULL, &error);
  g_assert_no_error (error);
  created = boto_client_call (s3, "CreateBucket", g_variant_new_parsed ("{'Bucket': <'log-bucket'>}"),
                              NULL, &error);
  g_assert_no_error (error);
  put = boto_client_call (s3, "PutObject",
                          g_variant_new_parsed ("{'Bucket': <'log-bucket'>, 'Key': <'secret.txt'>, "
                                                "'Body': <%@ay>}", bytes_variant ("payload")),
                          NULL, &error);
  g_assert_no_error (error);
  got = boto_client_call (s3, "GetObject",
                          g_variant_new_parsed ("{'Bucket': <'log-bucket'>, 'Key': <'secret.txt'>}"),
                          NULL, &error);
  g_assert_no_error (error);
  body = g_variant_lookup_value (got, "Body", G_VARIANT_TYPE_BYTESTRING);
  g_assert_cmpmem (g_variant_get_fixed_array (body, &size, 1), size, "payload", 7);
  /* An error response is logged too. */
  missing = boto_client_call_full (s3, "GetObject",
                                   g_variant_new_parsed ("{'Bucket': <'log-bucket'>, 'Key': <'nothing'>}"),
                                   &is_error, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (is_error);

  g_mutex_lock (&log_lock);

  /* Useful lines are there … */
  g_assert_nonnull (strstr (log_text->str, "PUT http://127.0.0.1:"));
  g_assert_nonnull (strstr (log_text->str, "/log-bucket/secret.txt (PutObject attempt 1): 200"));
  g_assert_nonnull (strstr (log_text->str, "/log-bucket/secret.txt (GetObject attempt 1): 200"));
  g_assert_nonnull (strstr (log_text->str, "/log-bucket/nothing (GetObject attempt 1): 404"));
  g_assert_nonnull (strstr (log_text->str, "(AssumeRole attempt 1): 200"));
  g_assert_cmpuint (strings_to_sign->len, >=, 5);

  /* … and no secret. */
  assert_not_logged ("source profile's secret key", BASE_SECRET);
  assert_not_logged ("assumed role's secret key", boto_credentials_get_secret_key (credentials));
  assert_not_logged ("assumed role's session token", boto_credentials_get_token (credentials));
  g_assert_null (strstr (log_text->str, "Signature="));
  g_assert_null (strstr (log_text->str, "Authorization:"));
  for (guint i = 0; i < strings_to_sign->len; i++)
    {
      const char *sts = strings_to_sign->pdata[i];
      g_autofree char *with_base = signature_for (BASE_SECRET, sts);
      g_autofree char *with_role = signature_for (boto_credentials_get_secret_key (credentials), sts);

      assert_not_logged ("signature (source credentials)", with_base);
      assert_not_logged ("signature (assumed credentials)", with_role);
    }

  g_mutex_unlock (&log_lock);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  /* Debug logging on, for every domain, before anything logs. */
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  log_text = g_string_new (NULL);
  strings_to_sign = g_ptr_array_new_with_free_func (g_free);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  g_test_init (&argc, &argv, NULL);

  tmp_root = g_dir_make_tmp ("boto-test-int-creds-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/boto/integration/credentials/assume-role", test_assume_role);
  g_test_add_func ("/boto/integration/credentials/web-identity", test_web_identity);
  g_test_add_func ("/boto/integration/credentials/no-secrets-in-debug-log", test_no_secrets_in_debug_log);

  ret = g_test_run ();

  {
    g_autofree char *config = g_build_filename (tmp_root, "config", NULL);

    g_unlink (config);
  }
  g_rmdir (tmp_root);
  g_free (tmp_root);
  g_string_free (log_text, TRUE);
  g_ptr_array_unref (strings_to_sign);
  return ret;
}
