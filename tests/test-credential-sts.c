/* test-credential-sts.c: the assume-role and web identity providers, their
 * place in the chain, and refreshing before expiry from several threads,
 * against an STS stand-in (a SoupServer on 127.0.0.1)
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <boto-glib/boto-glib.h>

#include "boto-session-private.h"
#include "test-utils.h"

#define ROLE_ARN "arn:aws:iam::123456789012:role/test-role"

typedef struct
{
  GMutex        lock;
  GCond         cond;
  TestServer         *ts;
  const char         *base_url;

  /* Behaviour, set by the tests under the lock. */
  GTimeSpan     expires_in;
  guint         status;            /* 200, or an STS error status */
  gboolean      hold;              /* park each STS request until cleared */
  guint         n_waiting;         /* requests parked */
  /* What the stand-in saw. */
  guint         n_requests;
  GHashTable   *last_form;         /* of the last request */
  char         *last_credential;   /* the Credential= of its Authorization, or NULL */
} StsServer;

static StsServer sts;
static char *tmp_root;

static void
handle (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (request_body);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  GHashTable *form = soup_form_decode (text);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  const char *action = g_hash_table_lookup (form, "Action");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) expiry = NULL;
  g_autofree char *expiration = NULL;
  g_autofree char *body = NULL;
  guint n, status;

  if (strcmp (path, "/federation/credentials") == 0)
    {
      const char *token = soup_message_headers_get_one (headers, "x-amz-sso_bearer_token");
      g_autoptr(GDateTime) in_an_hour = g_date_time_add (now, G_TIME_SPAN_HOUR);

      g_mutex_lock (&sts.lock);
      n = ++sts.n_requests;
      g_clear_pointer (&sts.last_form, g_hash_table_unref);
      sts.last_form = query != NULL ? g_hash_table_ref (query) : NULL;
      g_mutex_unlock (&sts.lock);
      g_hash_table_unref (form);
      if (g_strcmp0 (token, "sso-access-token") != 0 || authorization != NULL)
        {
          soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, NULL);
          return;
        }
      body = g_strdup_printf ("{\"roleCredentials\": {\"accessKeyId\": \"ASIASSO%u\", "
                              "\"secretAccessKey\": \"sso-secret\", \"sessionToken\": \"sso-token\", "
                              "\"expiration\": %" G_GINT64_FORMAT "000}}",
                              n, g_date_time_to_unix (in_an_hour));
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
      return;
    }

  g_mutex_lock (&sts.lock);
  n = ++sts.n_requests;
  g_clear_pointer (&sts.last_form, g_hash_table_unref);
  sts.last_form = form;
  g_clear_pointer (&sts.last_credential, g_free);
  if (authorization != NULL && strstr (authorization, "Credential=") != NULL)
    {
      const char *start = strstr (authorization, "Credential=") + strlen ("Credential=");

      sts.last_credential = g_strndup (start, strcspn (start, ","));
    }
  sts.n_waiting++;
  g_cond_broadcast (&sts.cond);
  while (sts.hold)
    g_cond_wait (&sts.cond, &sts.lock);
  sts.n_waiting--;
  expiry = g_date_time_add (now, sts.expires_in);
  status = sts.status;
  g_mutex_unlock (&sts.lock);

  if (status != SOUP_STATUS_OK || action == NULL)
    {
      body = g_strdup ("<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>"
                       "<Message>Not authorized to perform sts:AssumeRole</Message></Error>"
                       "<RequestId>req-err</RequestId></ErrorResponse>");
      soup_server_message_set_status (msg, action == NULL ? 400 : status, NULL);
      soup_server_message_set_response (msg, "text/xml", SOUP_MEMORY_COPY, body, strlen (body));
      return;
    }

  expiration = g_date_time_format (expiry, "%Y-%m-%dT%H:%M:%SZ");
  body = g_strdup_printf ("<%sResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><%sResult>"
                          "<Credentials><AccessKeyId>ASIASTAND%u</AccessKeyId>"
                          "<SecretAccessKey>stand-in-secret-%u</SecretAccessKey>"
                          "<SessionToken>stand-in-token-%u</SessionToken>"
                          "<Expiration>%s</Expiration></Credentials>"
                          "<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/test-role/s</Arn>"
                          "<AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser>"
                          "</%sResult><ResponseMetadata><RequestId>req-%u</RequestId></ResponseMetadata>"
                          "</%sResponse>",
                          action, action, n, n, n, expiration, action, n, action);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/xml", SOUP_MEMORY_COPY, body, strlen (body));
}

static void
reset (void)
{
  g_mutex_lock (&sts.lock);
  sts.expires_in = G_TIME_SPAN_HOUR;
  sts.status = SOUP_STATUS_OK;
  sts.hold = FALSE;
  sts.n_requests = 0;
  g_clear_pointer (&sts.last_form, g_hash_table_unref);
  g_clear_pointer (&sts.last_credential, g_free);
  g_mutex_unlock (&sts.lock);

  g_unsetenv ("AWS_ACCESS_KEY_ID");
  g_unsetenv ("AWS_SECRET_ACCESS_KEY");
  g_unsetenv ("AWS_SESSION_TOKEN");
  g_unsetenv ("AWS_SECURITY_TOKEN");
  g_unsetenv ("AWS_CREDENTIAL_EXPIRATION");
  g_unsetenv ("AWS_PROFILE");
  g_unsetenv ("AWS_WEB_IDENTITY_TOKEN_FILE");
  g_unsetenv ("AWS_ROLE_ARN");
  g_unsetenv ("AWS_ROLE_SESSION_NAME");
  g_setenv ("AWS_ENDPOINT_URL", sts.base_url, TRUE);
  g_setenv ("AWS_EC2_METADATA_DISABLED", "true", TRUE);
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
use_files (const char *config,
           const char *credentials)
{
  g_autofree char *config_path = write_file ("config", config);
  g_autofree char *credentials_path = write_file ("credentials", credentials != NULL ? credentials : "");

  g_setenv ("AWS_CONFIG_FILE", config_path, TRUE);
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", credentials_path, TRUE);
}

static const char *
last_param (const char *name)
{
  return sts.last_form != NULL ? g_hash_table_lookup (sts.last_form, name) : NULL;
}

static BotoCredentials *
credentials_for (const char  *profile,
                 GError     **error)
{
  g_autoptr(BotoSession) session = profile != NULL
    ? g_object_new (BOTO_TYPE_SESSION, "profile-name", profile, NULL)
    : boto_session_new ();

  return boto_session_get_credentials (session, error);
}

static const char base_config[] =
  "[profile base]\n"
  "aws_access_key_id = AKIDBASE\n"
  "aws_secret_access_key = base-secret\n"
  "[profile role]\n"
  "role_arn = " ROLE_ARN "\n"
  "source_profile = base\n"
  "external_id = ext-1\n"
  "role_session_name = my-session\n"
  "duration_seconds = 1800\n"
  "region = us-west-2\n"
  "[profile chained]\n"
  "role_arn = arn:aws:iam::123456789012:role/second\n"
  "source_profile = role\n"
  "[profile defaults]\n"
  "role_arn = " ROLE_ARN "\n"
  "source_profile = base\n"
  "duration_seconds = soon\n";

static void
test_source_profile (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoCredentials) credentials = NULL;

  reset ();
  use_files (base_config, NULL);

  credentials = credentials_for ("role", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (boto_credentials_get_access_key (credentials), ==, "ASIASTAND1");
  g_assert_cmpstr (boto_credentials_get_secret_key (credentials), ==, "stand-in-secret-1");
  g_assert_cmpstr (boto_credentials_get_token (credentials), ==, "stand-in-token-1");
  g_assert_cmpstr (boto_credentials_get_method (credentials), ==, "assume-role");
  g_assert_nonnull (boto_credentials_get_expiry_time (credentials));
  g_assert_false (boto_credentials_expires_within (credentials, 50 * G_TIME_SPAN_MINUTE));

  g_assert_cmpuint (sts.n_requests, ==, 1);
  g_assert_cmpstr (last_param ("Action"), ==, "AssumeRole");
  g_assert_cmpstr (last_param ("RoleArn"), ==, ROLE_ARN);
  g_assert_cmpstr (last_param ("RoleSessionName"), ==, "my-session");
  g_assert_cmpstr (last_param ("ExternalId"), ==, "ext-1");
  g_assert_cmpstr (last_param ("DurationSeconds"), ==, "1800");
  /* Signed with the source profile's keys, in the profile's region. */
  g_assert_nonnull (sts.last_credential);
  g_assert_true (g_str_has_prefix (sts.last_credential, "AKIDBASE/"));
  g_assert_true (g_str_has_suffix (sts.last_credential, "/us-west-2/sts/aws4_request"));
}

static void
test_chained_and_defaults (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoCredentials) credentials = NULL;
  g_autoptr(GRegex) session_name = g_regex_new ("^botocore-session-[0-9]+$", 0, 0, NULL);

  reset ();
  use_files (base_config, NULL);

  /* chained → role → base: two AssumeRole calls, the second signed with
   * the credentials the first returned. */
  credentials = credentials_for ("chained", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sts.n_requests, ==, 2);
  g_assert_cmpstr (boto_credentials_get_access_key (credentials), ==, "ASIASTAND2");
  g_assert_cmpstr (last_param ("RoleArn"), ==, "arn:aws:iam::123456789012:role/second");
  g_assert_true (g_str_has_prefix (sts.last_credential, "ASIASTAND1/"));
  g_assert_true (g_regex_match (session_name, last_param ("RoleSessionName"), 0, NULL));
  g_clear_pointer (&credentials, boto_credentials_unref);

  /* No region in the profile: us-east-1; a duration that is not a number
   * is left out, as botocore does. */
  credentials = credentials_for ("defaults", &error);
  g_assert_no_error (error);
  g_assert_null (last_param ("DurationSeconds"));
  g_assert_null (last_param ("ExternalId"));
  g_assert_true (g_regex_match (session_name, last_param ("RoleSessionName"), 0, NULL));
  g_assert_true (g_str_has_suffix (sts.last_credential, "/us-east-1/sts/aws4_request"));
}

static void
assert_profile_error (const char *profile,
                      GQuark      domain,
                      int         code,
                      const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoCredentials) credentials = credentials_for (profile, &error);

  g_assert_null (credentials);
  g_assert_error (error, domain, code);
  if (strstr (error->message, fragment) == NULL)
    g_error ("“%s” not in “%s”", fragment, error->message);
}

static void
test_config_errors (void)
{
  reset ();
  use_files ("[profile a]\nrole_arn = " ROLE_ARN "\nsource_profile = b\n"
             "[profile b]\nrole_arn = " ROLE_ARN "\nsource_profile = a\n"
             "[profile selfless]\nrole_arn = " ROLE_ARN "\nsource_profile = selfless\n"
             "[profile self]\nrole_arn = " ROLE_ARN "\nsource_profile = self\n"
             "aws_access_key_id = AKIDSELF\naws_secret_access_key = self-secret\n"
             "[profile both]\nrole_arn = " ROLE_ARN "\nsource_profile = self\ncredential_source = Environment\n"
             "[profile neither]\nrole_arn = " ROLE_ARN "\n"
             "[profile missing]\nrole_arn = " ROLE_ARN "\nsource_profile = nowhere\n"
             "[profile empty-source]\nrole_arn = " ROLE_ARN "\nsource_profile = empty\n"
             "[profile empty]\nregion = eu-west-1\n"
             "[profile mfa]\nrole_arn = " ROLE_ARN "\nsource_profile = self\n"
             "mfa_serial = arn:aws:iam::123456789012:mfa/user\n"
             "[profile bogus-source]\nrole_arn = " ROLE_ARN "\ncredential_source = SharedConfig\n"
             "[profile env-source]\nrole_arn = " ROLE_ARN "\ncredential_source = environment\n",
             NULL);

  assert_profile_error ("a", BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG,
                        "Infinite loop in credential configuration detected. Attempting to load "
                        "from profile a which has already been visited. Visited profiles: ['a', 'b']");
  assert_profile_error ("selfless", BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG,
                        "Infinite loop");
  assert_profile_error ("both", BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG,
                        "contains both source_profile and credential_source");
  assert_profile_error ("neither", BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                        "source_profile or credential_source");
  assert_profile_error ("missing", BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG,
                        "The source_profile \"nowhere\" referenced in the profile \"missing\" does not exist.");
  assert_profile_error ("empty-source", BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG,
                        "The source profile \"empty\" must have credentials.");
  assert_profile_error ("mfa", BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS, "MFA");
  assert_profile_error ("bogus-source", BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG,
                        "The credential source \"SharedConfig\" referenced in profile \"bogus-source\" is not valid.");
  /* Environment as the source, with nothing in the environment. */
  assert_profile_error ("env-source", BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                        "No credentials found in credential_source referenced in profile env-source");
  g_assert_cmpuint (sts.n_requests, ==, 0);

  /* A profile may be its own source when it has static keys. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BotoCredentials) credentials = credentials_for ("self", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (boto_credentials_get_method (credentials), ==, "assume-role");
    g_assert_true (g_str_has_prefix (sts.last_credential, "AKIDSELF/"));
  }

  /* credential_source = Environment takes the environment's keys, even for
   * an explicitly chosen profile (which takes them out of the main chain). */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BotoCredentials) credentials = NULL;

    g_setenv ("AWS_ACCESS_KEY_ID", "AKIDENV", TRUE);
    g_setenv ("AWS_SECRET_ACCESS_KEY", "env-secret", TRUE);
    credentials = credentials_for ("env-source", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (boto_credentials_get_method (credentials), ==, "assume-role");
    g_assert_true (g_str_has_prefix (sts.last_credential, "AKIDENV/"));
  }

  /* STS refusing is the STS error, with its code. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BotoCredentials) credentials = NULL;

    sts.status = SOUP_STATUS_FORBIDDEN;
    credentials = credentials_for ("self", &error);
    g_assert_null (credentials);
    g_assert_true (error->domain == BOTO_SERVICE_ERROR);
    g_assert_cmpstr (boto_service_error_get_code (error), ==, "AccessDenied");
  }
}

static void
test_web_identity (void)
{
  g_autofree char *token_file = write_file ("web-token", "eyJ-web-identity-token");
  g_autofree char *profile_config = g_strdup_printf (
    "[profile web]\nweb_identity_token_file = %s\nrole_arn = " ROLE_ARN "\n"
    "role_session_name = from-profile\n"
    "[profile web-and-role]\nweb_identity_token_file = %s\nrole_arn = " ROLE_ARN "\n"
    "source_profile = nowhere\n"
    "[profile no-arn]\nweb_identity_token_file = %s\n", token_file, token_file, token_file);
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoCredentials) credentials = NULL;

  reset ();
  use_files (profile_config, NULL);

  /* From the environment. */
  g_setenv ("AWS_WEB_IDENTITY_TOKEN_FILE", token_file, TRUE);
  g_setenv ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/env-role", TRUE);
  g_setenv ("AWS_ROLE_SESSION_NAME", "env-session", TRUE);
  credentials = credentials_for (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (boto_credentials_get_access_key (credentials), ==, "ASIASTAND1");
  g_assert_cmpstr (boto_credentials_get_method (credentials), ==, "assume-role-with-web-identity");
  g_assert_cmpstr (last_param ("Action"), ==, "AssumeRoleWithWebIdentity");
  g_assert_cmpstr (last_param ("WebIdentityToken"), ==, "eyJ-web-identity-token");
  g_assert_cmpstr (last_param ("RoleArn"), ==, "arn:aws:iam::123456789012:role/env-role");
  g_assert_cmpstr (last_param ("RoleSessionName"), ==, "env-session");
  /* Unsigned. */
  g_assert_null (sts.last_credential);
  g_clear_pointer (&credentials, boto_credentials_unref);

  /* An explicit profile takes the environment's settings out; the profile's
   * own are used. */
  credentials = credentials_for ("web", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (last_param ("RoleArn"), ==, ROLE_ARN);
  g_assert_cmpstr (last_param ("RoleSessionName"), ==, "from-profile");
  g_clear_pointer (&credentials, boto_credentials_unref);

  /* role_arn with web_identity_token_file is web identity, not assume-role
   * (whose source_profile would not exist). */
  credentials = credentials_for ("web-and-role", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (boto_credentials_get_method (credentials), ==, "assume-role-with-web-identity");
  g_clear_pointer (&credentials, boto_credentials_unref);

  assert_profile_error ("no-arn", BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG, "no role ARN");

  /* A token file that cannot be read fails on first use. */
  g_setenv ("AWS_WEB_IDENTITY_TOKEN_FILE", "/nonexistent/token", TRUE);
  assert_profile_error (NULL, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                        "web identity token file");
  g_unlink (token_file);
}

static void
test_chain_order (void)
{
  g_autofree char *token_file = write_file ("web-token", "token");
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoCredentials) credentials = NULL;

  reset ();
  use_files ("[default]\nrole_arn = " ROLE_ARN "\nsource_profile = base\n"
             "[profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s\n"
             "[profile keys]\nregion = us-east-1\n",
             "[keys]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n");

  /* env comes before assume-role. */
  g_setenv ("AWS_ACCESS_KEY_ID", "AKIDENV", TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", "env-secret", TRUE);
  credentials = credentials_for (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (boto_credentials_get_method (credentials), ==, "env");
  g_clear_pointer (&credentials, boto_credentials_unref);
  g_unsetenv ("AWS_ACCESS_KEY_ID");
  g_unsetenv ("AWS_SECRET_ACCESS_KEY");

  /* assume-role comes before web identity. */
  g_setenv ("AWS_WEB_IDENTITY_TOKEN_FILE", token_file, TRUE);
  g_setenv ("AWS_ROLE_ARN", ROLE_ARN, TRUE);
  credentials = credentials_for (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (boto_credentials_get_method (credentials), ==, "assume-role");
  g_clear_pointer (&credentials, boto_credentials_unref);

  /* web identity comes before the shared credentials file… */
  g_setenv ("AWS_PROFILE", "keys", TRUE);
  credentials = credentials_for (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (boto_credentials_get_method (credentials), ==, "assume-role-with-web-identity");
  g_clear_pointer (&credentials, boto_credentials_unref);

  /* … unless the profile was chosen explicitly, which takes the
   * environment's web identity settings out too. */
  credentials = credentials_for ("keys", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (boto_credentials_get_method (credentials), ==, "shared-credentials-file");
  g_clear_pointer (&credentials, boto_credentials_unref);
  g_unsetenv ("AWS_PROFILE");
  g_unsetenv ("AWS_WEB_IDENTITY_TOKEN_FILE");
  g_unsetenv ("AWS_ROLE_ARN");

  /* After the profile's providers: AWS_CREDENTIAL_FILE (ec2-credentials-file)
   * before BOTO_CONFIG (boto-config). */
  {
    g_autofree char *ec2_file = write_file ("ec2-creds", "AWSAccessKeyId=AKIDEC2\nAWSSecretKey=ec2-secret\n");
    g_autofree char *boto_file = write_file ("boto.cfg", "[Credentials]\naws_access_key_id = AKIDBOTO\n"
                                                         "aws_secret_access_key = boto-secret\n");

    use_files ("[default]\nregion = us-east-1\n", NULL);
    g_setenv ("BOTO_CONFIG", boto_file, TRUE);
    g_setenv ("AWS_CREDENTIAL_FILE", ec2_file, TRUE);
    credentials = credentials_for (NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (boto_credentials_get_method (credentials), ==, "ec2-credentials-file");
    g_assert_cmpstr (boto_credentials_get_access_key (credentials), ==, "AKIDEC2");
    g_clear_pointer (&credentials, boto_credentials_unref);

    g_unsetenv ("AWS_CREDENTIAL_FILE");
    credentials = credentials_for (NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (boto_credentials_get_method (credentials), ==, "boto-config");
    g_clear_pointer (&credentials, boto_credentials_unref);

    g_setenv ("BOTO_CONFIG", "/nonexistent/boto.cfg", TRUE);
    g_unlink (ec2_file);
    g_unlink (boto_file);
  }

  g_assert_cmpuint (sts.n_requests, ==, 2);
  g_unlink (token_file);
}

/* botocore's EnvProvider details: a secret key alone is no credentials,
 * AWS_SECURITY_TOKEN is read before AWS_SESSION_TOKEN, and
 * AWS_CREDENTIAL_EXPIRATION makes them refresh from the environment. */
static void
test_environment_details (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoCredentials) credentials = NULL;
  g_autoptr(BotoSession) session = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) soon = g_date_time_add_minutes (now, 5);
  g_autoptr(GDateTime) later = g_date_time_add_hours (now, 2);
  g_autofree char *soon_text = g_date_time_format_iso8601 (soon);
  g_autofree char *later_text = g_date_time_format_iso8601 (later);

  reset ();
  use_files ("[default]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = s\n"
             "aws_session_token = session\naws_security_token = security\n", NULL);

  g_setenv ("AWS_SECRET_ACCESS_KEY", "env-secret", TRUE);
  credentials = credentials_for (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (boto_credentials_get_method (credentials), ==, "config-file");
  g_assert_cmpstr (boto_credentials_get_token (credentials), ==, "security");
  g_clear_pointer (&credentials, boto_credentials_unref);

  g_setenv ("AWS_ACCESS_KEY_ID", "AKIDENV1", TRUE);
  g_setenv ("AWS_SESSION_TOKEN", "env-session", TRUE);
  g_setenv ("AWS_SECURITY_TOKEN", "env-security", TRUE);
  g_setenv ("AWS_CREDENTIAL_EXPIRATION", soon_text, TRUE);
  session = boto_session_new ();
  credentials = boto_session_get_credentials (session, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (boto_credentials_get_method (credentials), ==, "env");
  g_assert_cmpstr (boto_credentials_get_token (credentials), ==, "env-security");
  g_assert_nonnull (boto_credentials_get_expiry_time (credentials));
  g_clear_pointer (&credentials, boto_credentials_unref);

  /* Within the mandatory window: read again from the environment. */
  g_setenv ("AWS_ACCESS_KEY_ID", "AKIDENV2", TRUE);
  g_setenv ("AWS_CREDENTIAL_EXPIRATION", later_text, TRUE);
  credentials = boto_session_get_credentials (session, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (boto_credentials_get_access_key (credentials), ==, "AKIDENV2");
  g_clear_pointer (&credentials, boto_credentials_unref);

  g_setenv ("AWS_CREDENTIAL_EXPIRATION", "tomorrow", TRUE);
  credentials = credentials_for (NULL, &error);
  g_assert_null (credentials);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG);
  g_unsetenv ("AWS_CREDENTIAL_EXPIRATION");
  g_unsetenv ("AWS_SECURITY_TOKEN");
}

static void
write_sso_token (const char *key,
                 const char *token,
                 GTimeSpan   expires_in)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA1, key, -1);
  g_autofree char *dir = g_build_filename (tmp_root, ".aws", "sso", "cache", NULL);
  g_autofree char *name = g_strconcat (hash, ".json", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) expires = g_date_time_add (now, expires_in);
  g_autofree char *expires_at = g_date_time_format (expires, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *json = g_strdup_printf ("{\"startUrl\": \"https://example.awsapps.com/start\", "
                                           "\"region\": \"eu-west-1\", \"accessToken\": \"%s\", "
                                           "\"expiresAt\": \"%s\"}", token, expires_at);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, json, -1, &error);
  g_assert_no_error (error);
}

static void
test_sso (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoCredentials) credentials = NULL;

  reset ();
  use_files ("[profile legacy]\n"
             "sso_start_url = https://example.awsapps.com/start\n"
             "sso_region = eu-west-1\n"
             "sso_account_id = 123456789012\n"
             "sso_role_name = ReadOnly\n"
             "[profile modern]\n"
             "sso_session = my-sso\n"
             "sso_account_id = 210987654321\n"
             "sso_role_name = Admin\n"
             "[sso-session my-sso]\n"
             "sso_start_url = https://example.awsapps.com/start\n"
             "sso_region = eu-west-1\n"
             "[profile incomplete]\n"
             "sso_role_name = ReadOnly\n"
             "sso_region = eu-west-1\n"
             "[profile dangling]\n"
             "sso_session = nowhere\n"
             "sso_account_id = 1\n"
             "sso_role_name = r\n"
             "[profile session-only]\n"
             "sso_session = my-sso\n"
             "aws_access_key_id = AKIDSTATIC\n"
             "aws_secret_access_key = s\n", NULL);

  /* Not logged in yet. */
  assert_profile_error ("legacy", BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                        "Error loading SSO Token: Token for https://example.awsapps.com/start does not exist");

  /* The legacy form: the token cached under the start URL. */
  write_sso_token ("https://example.awsapps.com/start", "sso-access-token", G_TIME_SPAN_HOUR);
  credentials = credentials_for ("legacy", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (boto_credentials_get_method (credentials), ==, "sso");
  g_assert_cmpstr (boto_credentials_get_access_key (credentials), ==, "ASIASSO1");
  g_assert_cmpstr (boto_credentials_get_token (credentials), ==, "sso-token");
  g_assert_false (boto_credentials_expires_within (credentials, 50 * G_TIME_SPAN_MINUTE));
  g_assert_cmpstr (last_param ("role_name"), ==, "ReadOnly");
  g_assert_cmpstr (last_param ("account_id"), ==, "123456789012");
  g_clear_pointer (&credentials, boto_credentials_unref);

  /* An sso-session: the token cached under the session's name. */
  assert_profile_error ("modern", BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS, "my-sso");
  write_sso_token ("my-sso", "sso-access-token", G_TIME_SPAN_HOUR);
  credentials = credentials_for ("modern", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (last_param ("role_name"), ==, "Admin");
  g_assert_cmpstr (last_param ("account_id"), ==, "210987654321");
  g_clear_pointer (&credentials, boto_credentials_unref);

  /* A token the portal refuses, and an expired one. */
  write_sso_token ("my-sso", "revoked-token", G_TIME_SPAN_HOUR);
  assert_profile_error ("modern", BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS, "aws sso login");
  write_sso_token ("my-sso", "sso-access-token", -G_TIME_SPAN_MINUTE);
  assert_profile_error ("modern", BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS, "has expired");

  assert_profile_error ("incomplete", BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG,
                        "The profile \"incomplete\" is configured to use SSO but is missing required "
                        "configuration: sso_account_id, sso_start_url");
  assert_profile_error ("dangling", BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG,
                        "The specified sso-session does not exist: \"nowhere\"");

  /* sso_session alone (no role or account) is not the SSO provider. */
  credentials = credentials_for ("session-only", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (boto_credentials_get_method (credentials), ==, "config-file");

  {
    const char *keys[] = { "https://example.awsapps.com/start", "my-sso" };
    g_autofree char *dir = g_build_filename (tmp_root, ".aws", "sso", "cache", NULL);

    for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
      {
        g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA1, keys[i], -1);
        g_autofree char *name = g_strconcat (hash, ".json", NULL);
        g_autofree char *path = g_build_filename (dir, name, NULL);

        g_unlink (path);
      }
    g_rmdir (dir);
    g_clear_pointer (&dir, g_free);
    dir = g_build_filename (tmp_root, ".aws", "sso", NULL);
    g_rmdir (dir);
    g_clear_pointer (&dir, g_free);
    dir = g_build_filename (tmp_root, ".aws", NULL);
    g_rmdir (dir);
  }
}

typedef struct
{
  BotoSession *session;
  char        *access_key;
} Caller;

static gpointer
call_get_credentials (gpointer data)
{
  Caller *caller = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoCredentials) credentials = boto_session_get_credentials (caller->session, &error);

  g_assert_no_error (error);
  caller->access_key = g_strdup (boto_credentials_get_access_key (credentials));
  return NULL;
}

static void
wait_for_parked_request (void)
{
  g_mutex_lock (&sts.lock);
  while (sts.n_waiting == 0)
    g_cond_wait (&sts.cond, &sts.lock);
  g_mutex_unlock (&sts.lock);
}

static void
release_requests (void)
{
  g_mutex_lock (&sts.lock);
  sts.hold = FALSE;
  g_cond_broadcast (&sts.cond);
  g_mutex_unlock (&sts.lock);
}

static void
test_refresh (void)
{
  g_autoptr(BotoSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoCredentials) first = NULL;
  g_autoptr(BotoCredentials) second = NULL;

  reset ();
  use_files (base_config, NULL);
  session = g_object_new (BOTO_TYPE_SESSION, "profile-name", "role", NULL);

  /* Credentials with 12 minutes left are inside the advisory window:
   * each use refreshes them. */
  sts.expires_in = 12 * G_TIME_SPAN_MINUTE;
  first = boto_session_get_credentials (session, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (boto_credentials_get_access_key (first), ==, "ASIASTAND1");
  second = boto_session_get_credentials (session, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (boto_credentials_get_access_key (second), ==, "ASIASTAND2");
  g_assert_cmpuint (sts.n_requests, ==, 2);

  /* Advisory window, several threads: one refreshes while the others keep
   * using the current credentials without waiting. */
  {
    Caller refresher = { session, NULL };
    Caller other = { session, NULL };
    GThread *thread;

    sts.hold = TRUE;
    sts.expires_in = G_TIME_SPAN_HOUR;
    thread = g_thread_new ("refresher", call_get_credentials, &refresher);
    wait_for_parked_request ();
    /* STS has not answered: this must not wait for it. */
    call_get_credentials (&other);
    g_assert_cmpstr (other.access_key, ==, "ASIASTAND2");
    release_requests ();
    g_thread_join (thread);
    g_assert_cmpstr (refresher.access_key, ==, "ASIASTAND3");
    g_assert_cmpuint (sts.n_requests, ==, 3);
    g_free (refresher.access_key);
    g_free (other.access_key);
  }

  /* An hour left: no refresh. */
  g_clear_pointer (&second, boto_credentials_unref);
  second = boto_session_get_credentials (session, &error);
  g_assert_cmpstr (boto_credentials_get_access_key (second), ==, "ASIASTAND3");
  g_assert_cmpuint (sts.n_requests, ==, 3);

  /* Mandatory window, several threads: all wait for the one refresh. */
  {
    g_autoptr(BotoSession) mandatory = g_object_new (BOTO_TYPE_SESSION, "profile-name", "role", NULL);
    g_autoptr(BotoCredentials) initial = NULL;
    Caller callers[4];
    GThread *threads[4];

    sts.expires_in = 5 * G_TIME_SPAN_MINUTE;
    initial = boto_session_get_credentials (mandatory, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (sts.n_requests, ==, 4);

    sts.hold = TRUE;
    sts.expires_in = G_TIME_SPAN_HOUR;
    for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
      {
        callers[i].session = mandatory;
        callers[i].access_key = NULL;
        threads[i] = g_thread_new ("mandatory", call_get_credentials, &callers[i]);
        if (i == 0)
          wait_for_parked_request ();
      }
    g_usleep (100 * 1000);
    release_requests ();
    for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
      {
        g_thread_join (threads[i]);
        g_assert_cmpstr (callers[i].access_key, ==, "ASIASTAND5");
        g_free (callers[i].access_key);
      }
    g_assert_cmpuint (sts.n_requests, ==, 5);
  }

  /* A failed refresh: kept in the advisory window, an error in the
   * mandatory one. */
  {
    g_autoptr(BotoSession) advisory = g_object_new (BOTO_TYPE_SESSION, "profile-name", "role", NULL);
    g_autoptr(BotoSession) mandatory = g_object_new (BOTO_TYPE_SESSION, "profile-name", "role", NULL);
    g_autoptr(BotoCredentials) kept = NULL;
    g_autoptr(BotoCredentials) initial = NULL;
    g_autoptr(BotoCredentials) none = NULL;

    sts.expires_in = 12 * G_TIME_SPAN_MINUTE;
    g_clear_pointer (&first, boto_credentials_unref);
    first = boto_session_get_credentials (advisory, &error);
    g_assert_no_error (error);
    sts.expires_in = 5 * G_TIME_SPAN_MINUTE;
    initial = boto_session_get_credentials (mandatory, &error);
    g_assert_no_error (error);

    sts.status = SOUP_STATUS_FORBIDDEN;
    kept = boto_session_get_credentials (advisory, &error);
    g_assert_no_error (error);
    g_assert_true (kept == first);
    none = boto_session_get_credentials (mandatory, &error);
    g_assert_null (none);
    g_assert_true (error->domain == BOTO_SERVICE_ERROR);
  }
}

/* The refresh logic on its own, with a fetch function that counts. */
static BotoCredentials *
counting_fetch (gpointer   user_data,
                GError   **error)
{
  guint *count = user_data;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) expiry = g_date_time_add_minutes (now, *count == 0 ? -1 : 60);

  (*count)++;
  return boto_credentials_new_full ("AKIDCOUNT", "s", "t", "test", expiry);
}

static void
test_refresh_expired_result (void)
{
  guint count = 0;
  g_autoptr(BotoRefreshableCredentials) holder =
    boto_refreshable_credentials_new (NULL, counting_fetch, &count, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoCredentials) none = boto_refreshable_credentials_get (holder, &error);
  g_autoptr(BotoCredentials) fresh = NULL;

  /* Refreshed credentials that are already expired are an error… */
  g_assert_null (none);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS);
  g_assert_nonnull (strstr (error->message, "still expired"));
  g_clear_error (&error);
  /* … and the next use tries again. */
  fresh = boto_refreshable_credentials_get (holder, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fresh);
  g_assert_cmpuint (count, ==, 2);
  g_assert_cmpuint (boto_refreshable_credentials_get_n_fetches (holder), ==, 2);
}

/* The temporary home, whatever GIO left in it (such as ~/.cache). */
static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  tmp_root = g_dir_make_tmp ("boto-test-sts-XXXXXX", &error);
  g_assert_no_error (error);
  /* The SSO token cache is under the home directory. */
  g_setenv ("HOME", tmp_root, TRUE);
  g_setenv ("BOTO_CONFIG", "/nonexistent/boto.cfg", TRUE);
  g_unsetenv ("AWS_CREDENTIAL_FILE");
  g_unsetenv ("AWS_DEFAULT_REGION");
  g_unsetenv ("AWS_DEFAULT_PROFILE");

  g_mutex_init (&sts.lock);
  g_cond_init (&sts.cond);
  sts.ts = test_server_start (handle, NULL);
  sts.base_url = test_server_get_url (sts.ts);

  g_test_add_func ("/boto/credentials/assume-role/source-profile", test_source_profile);
  g_test_add_func ("/boto/credentials/assume-role/chained", test_chained_and_defaults);
  g_test_add_func ("/boto/credentials/assume-role/config-errors", test_config_errors);
  g_test_add_func ("/boto/credentials/web-identity", test_web_identity);
  g_test_add_func ("/boto/credentials/sso", test_sso);
  g_test_add_func ("/boto/credentials/chain-order", test_chain_order);
  g_test_add_func ("/boto/credentials/environment", test_environment_details);
  g_test_add_func ("/boto/credentials/refresh/threads", test_refresh);
  g_test_add_func ("/boto/credentials/refresh/expired-result", test_refresh_expired_result);

  ret = g_test_run ();

  test_server_stop (sts.ts);
  g_clear_pointer (&sts.last_form, g_hash_table_unref);
  g_free (sts.last_credential);
  remove_tree (tmp_root);
  g_free (tmp_root);
  return ret;
}
