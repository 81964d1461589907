/* test-credential-providers.c: credential_process, the container
 * credentials endpoint and the instance metadata service (against a
 * SoupServer on 127.0.0.1 that follows their protocols), and refreshing
 * temporary credentials in a session
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <boto-glib/boto-glib.h>

#include "boto-credential-providers-private.h"
#include "test-utils.h"

/* The fake metadata server, run in its own thread and main context. */
typedef struct
{
  GMutex        lock;
  TestServer         *ts;
  const char         *base_url;

  /* Behaviour, changed by the tests under the lock. */
  guint         token_status;       /* 200, or an error status for PUT /latest/api/token */
  guint         credentials_status; /* 200, or an error status for the credentials */
  GTimeSpan     expires_in;
  char         *container_token;    /* expected Authorization, or NULL */
  guint         n_token_requests;
  guint         n_credential_requests;
  gboolean      saw_token_header;
} FakeServer;

static FakeServer fake;
static char *tmp_root;

static void
reply_json_credentials (SoupServerMessage *msg,
                        const char        *token_key)
{
  g_autoptr(GDateTime) expiry = NULL;
  g_autofree char *expiration = NULL;
  g_autofree char *body = NULL;
  guint n;

  g_mutex_lock (&fake.lock);
  n = ++fake.n_credential_requests;
  expiry = g_date_time_add (g_date_time_new_now_utc (), fake.expires_in);
  g_mutex_unlock (&fake.lock);

  expiration = g_date_time_format_iso8601 (expiry);
  body = g_strdup_printf ("{\"Code\": \"Success\", \"AccessKeyId\": \"AKIDFETCHED%u\", "
                          "\"SecretAccessKey\": \"fetched-secret\", \"%s\": \"fetched-token\", "
                          "\"Expiration\": \"%s\"}", n, token_key, expiration);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

static void
handle (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  const char *token = soup_message_headers_get_one (headers, "X-aws-ec2-metadata-token");
  guint token_status, credentials_status;

  g_mutex_lock (&fake.lock);
  token_status = fake.token_status;
  credentials_status = fake.credentials_status;
  if (token != NULL)
    fake.saw_token_header = TRUE;
  g_mutex_unlock (&fake.lock);

  if (strcmp (path, "/latest/api/token") == 0 && strcmp (method, "PUT") == 0)
    {
      g_mutex_lock (&fake.lock);
      fake.n_token_requests++;
      g_mutex_unlock (&fake.lock);
      if (soup_message_headers_get_one (headers, "X-aws-ec2-metadata-token-ttl-seconds") == NULL)
        token_status = SOUP_STATUS_BAD_REQUEST;
      soup_server_message_set_status (msg, token_status, NULL);
      if (token_status == SOUP_STATUS_OK)
        soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "TOKEN-123", 9);
      return;
    }

  if (g_str_has_prefix (path, "/latest/meta-data/iam/security-credentials/"))
    {
      /* With a token server, requests without the right token are refused. */
      if (token_status == SOUP_STATUS_OK && g_strcmp0 (token, "TOKEN-123") != 0)
        {
          soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, NULL);
          return;
        }
      if (strcmp (path, "/latest/meta-data/iam/security-credentials/") == 0)
        {
          soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
          soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "my-role\n", 8);
        }
      else if (strcmp (path, "/latest/meta-data/iam/security-credentials/my-role") == 0 &&
               credentials_status == SOUP_STATUS_OK)
        reply_json_credentials (msg, "Token");
      else
        soup_server_message_set_status (msg, credentials_status == SOUP_STATUS_OK ? SOUP_STATUS_NOT_FOUND
                                                                                   : credentials_status, NULL);
      return;
    }

  if (strcmp (path, "/container/creds") == 0)
    {
      const char *authorization = soup_message_headers_get_one (headers, "Authorization");
      g_autofree char *expected = NULL;

      g_mutex_lock (&fake.lock);
      expected = g_strdup (fake.container_token);
      g_mutex_unlock (&fake.lock);
      if (g_strcmp0 (authorization, expected) != 0)
        soup_server_message_set_status (msg, SOUP_STATUS_FORBIDDEN, NULL);
      else
        reply_json_credentials (msg, "Token");
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static void
reset_server (void)
{
  g_mutex_lock (&fake.lock);
  fake.token_status = SOUP_STATUS_OK;
  fake.credentials_status = SOUP_STATUS_OK;
  fake.expires_in = G_TIME_SPAN_HOUR;
  g_clear_pointer (&fake.container_token, g_free);
  fake.n_token_requests = 0;
  fake.n_credential_requests = 0;
  fake.saw_token_header = FALSE;
  g_mutex_unlock (&fake.lock);
}

static void
test_imds_v2 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoCredentials) credentials = NULL;

  reset_server ();
  credentials = boto_credentials_from_imds (fake.base_url, 1, 1, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (credentials);
  g_assert_cmpstr (boto_credentials_get_access_key (credentials), ==, "AKIDFETCHED1");
  g_assert_cmpstr (boto_credentials_get_token (credentials), ==, "fetched-token");
  g_assert_cmpstr (boto_credentials_get_method (credentials), ==, "iam-role");
  g_assert_nonnull (boto_credentials_get_expiry_time (credentials));
  g_assert_false (boto_credentials_expires_within (credentials, 30 * G_TIME_SPAN_MINUTE));
  g_assert_true (boto_credentials_expires_within (credentials, 2 * G_TIME_SPAN_HOUR));
  g_assert_cmpuint (fake.n_token_requests, ==, 1);
  g_assert_true (fake.saw_token_header);
}

static void
test_imds_v1_fallback (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoCredentials) credentials = NULL;

  /* No token service (an older instance): IMDSv1 without a token. */
  reset_server ();
  fake.token_status = SOUP_STATUS_FORBIDDEN;
  credentials = boto_credentials_from_imds (fake.base_url, 1, 1, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (credentials);
  g_assert_false (fake.saw_token_header);

  /* … unless IMDSv1 is disabled: then no credentials, and no error. */
  g_clear_pointer (&credentials, boto_credentials_unref);
  credentials = boto_credentials_from_imds (fake.base_url, 1, 1, TRUE, &error);
  g_assert_no_error (error);
  g_assert_null (credentials);

  /* A 400 for the token is an error. */
  fake.token_status = SOUP_STATUS_BAD_REQUEST;
  credentials = boto_credentials_from_imds (fake.base_url, 1, 1, FALSE, &error);
  g_assert_null (credentials);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS);
}

static void
test_imds_unreachable (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoCredentials) credentials = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autofree char *url = NULL;

  /* A loopback port that nobody listens on: no credentials, no error. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  address = g_inet_socket_address_new (loopback, 0);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  g_clear_object (&address);
  address = g_socket_get_local_address (socket, &error);
  url = g_strdup_printf ("http://127.0.0.1:%u/", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)));
  g_socket_close (socket, NULL);

  credentials = boto_credentials_from_imds (url, 1, 2, FALSE, &error);
  g_assert_no_error (error);
  g_assert_null (credentials);
}

static void
test_container (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoCredentials) credentials = NULL;
  g_autofree char *url = g_strconcat (fake.base_url, "container/creds", NULL);
  g_autofree char *token_file = g_build_filename (tmp_root, "container-token", NULL);

  reset_server ();
  g_unsetenv ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  g_unsetenv ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");

  /* Not configured: not applicable. */
  g_unsetenv ("AWS_CONTAINER_CREDENTIALS_FULL_URI");
  g_assert_null (boto_credentials_from_container (&error));
  g_assert_no_error (error);

  g_setenv ("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, TRUE);
  fake.container_token = g_strdup ("Bearer abc");
  g_setenv ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer abc", TRUE);
  credentials = boto_credentials_from_container (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (boto_credentials_get_access_key (credentials), ==, "AKIDFETCHED1");
  g_assert_cmpstr (boto_credentials_get_method (credentials), ==, "container-role");
  g_clear_pointer (&credentials, boto_credentials_unref);

  /* The token file wins over the variable. */
  g_file_set_contents (token_file, "Bearer from-file\n", -1, &error);
  g_assert_no_error (error);
  g_setenv ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token_file, TRUE);
  g_free (fake.container_token);
  fake.container_token = g_strdup ("Bearer from-file");
  credentials = boto_credentials_from_container (&error);
  g_assert_no_error (error);
  g_assert_nonnull (credentials);
  g_clear_pointer (&credentials, boto_credentials_unref);

  /* A wrong token: the endpoint refuses, and that is an error. */
  g_free (fake.container_token);
  fake.container_token = g_strdup ("Bearer other");
  credentials = boto_credentials_from_container (&error);
  g_assert_null (credentials);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS);
  g_clear_error (&error);

  /* Plain HTTP to anything but loopback or the container hosts is refused
   * before any connection is made. */
  g_setenv ("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://example.invalid/creds", TRUE);
  credentials = boto_credentials_from_container (&error);
  g_assert_null (credentials);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG);

  g_unsetenv ("AWS_CONTAINER_CREDENTIALS_FULL_URI");
  g_unsetenv ("AWS_CONTAINER_AUTHORIZATION_TOKEN");
  g_unsetenv ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
  g_unlink (token_file);
}

static char *
write_script (const char *name,
              const char *body)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (tmp_root, name, NULL);

  g_file_set_contents (path, body, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0700), ==, 0);
  return path;
}

static void
test_process (void)
{
  g_autofree char *good = write_script ("good.sh",
    "#!/bin/sh\n"
    "echo '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"proc-secret\",'\n"
    "echo ' \"SessionToken\": \"proc-token\", \"Expiration\": \"2099-01-02T03:04:05Z\", \"arg\": \"'$1'\"}'\n");
  g_autofree char *v2 = write_script ("v2.sh",
    "#!/bin/sh\necho '{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"S\"}'\n");
  g_autofree char *failing = write_script ("failing.sh", "#!/bin/sh\necho 'token expired, log in again' >&2\nexit 3\n");
  g_autofree char *garbage = write_script ("garbage.sh", "#!/bin/sh\necho 'not json'\n");
  g_autofree char *partial = write_script ("partial.sh", "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"A\"}'\n");
  g_autofree char *quoted = g_strdup_printf ("%s 'two words'", good);
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoCredentials) credentials = NULL;

  credentials = boto_credentials_from_process (quoted, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (boto_credentials_get_access_key (credentials), ==, "AKIDPROC");
  g_assert_cmpstr (boto_credentials_get_token (credentials), ==, "proc-token");
  g_assert_cmpstr (boto_credentials_get_method (credentials), ==, "custom-process");
  g_assert_cmpint (g_date_time_get_year (boto_credentials_get_expiry_time (credentials)), ==, 2099);
  g_clear_pointer (&credentials, boto_credentials_unref);

  credentials = boto_credentials_from_process (v2, &error);
  g_assert_null (credentials);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS);
  g_assert_nonnull (strstr (error->message, "Version"));
  g_clear_error (&error);

  credentials = boto_credentials_from_process (failing, &error);
  g_assert_null (credentials);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS);
  g_assert_nonnull (strstr (error->message, "token expired, log in again"));
  g_clear_error (&error);

  credentials = boto_credentials_from_process (garbage, &error);
  g_assert_null (credentials);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS);
  g_clear_error (&error);

  credentials = boto_credentials_from_process (partial, &error);
  g_assert_null (credentials);
  g_assert_nonnull (strstr (error->message, "SecretAccessKey"));
  g_clear_error (&error);

  credentials = boto_credentials_from_process ("/nonexistent/helper --x", &error);
  g_assert_null (credentials);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS);
  g_clear_error (&error);

  credentials = boto_credentials_from_process ("'unclosed", &error);
  g_assert_null (credentials);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG);

  g_unlink (good);
  g_unlink (v2);
  g_unlink (failing);
  g_unlink (garbage);
  g_unlink (partial);
}

static void
use_config (const char *text)
{
  g_autofree char *path = g_build_filename (tmp_root, "config", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  g_setenv ("AWS_CONFIG_FILE", path, TRUE);
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", TRUE);
}

static void
test_session_chain (void)
{
  g_autofree char *script = write_script ("chain.sh",
    "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIDCHAIN\", \"SecretAccessKey\": \"s\"}'\n");
  g_autofree char *config = g_strdup_printf ("[default]\ncredential_process = %s\n"
                                             "aws_access_key_id = AKIDCONFIG\naws_secret_access_key = s\n", script);

  reset_server ();
  use_config (config);

  {
    /* credential_process comes before the config file's keys. */
    g_autoptr(BotoSession) session = boto_session_new ();
    g_autoptr(GError) error = NULL;
    g_autoptr(BotoCredentials) credentials = boto_session_get_credentials (session, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (boto_credentials_get_access_key (credentials), ==, "AKIDCHAIN");
  }

  {
    /* Nothing in the files: the metadata service (on loopback here). */
    g_autoptr(BotoSession) session = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(BotoCredentials) credentials = NULL;

    use_config ("[default]\nregion = us-east-1\n");
    g_setenv ("AWS_EC2_METADATA_SERVICE_ENDPOINT", fake.base_url, TRUE);
    g_unsetenv ("AWS_EC2_METADATA_DISABLED");
    session = boto_session_new ();
    credentials = boto_session_get_credentials (session, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (boto_credentials_get_method (credentials), ==, "iam-role");

    /* Disabled: no credentials at all. */
    g_setenv ("AWS_EC2_METADATA_DISABLED", "TRUE", TRUE);
    {
      g_autoptr(BotoSession) disabled = boto_session_new ();
      g_autoptr(BotoCredentials) none = boto_session_get_credentials (disabled, &error);

      g_assert_null (none);
      g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS);
    }
  }

  g_unlink (script);
}

typedef struct
{
  BotoSession *session;
  GPtrArray   *keys;
  GMutex       lock;
} RefreshThreads;

static gpointer
refresh_worker (gpointer data)
{
  RefreshThreads *shared = data;

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BotoCredentials) credentials = boto_session_get_credentials (shared->session, &error);

      g_assert_no_error (error);
      g_mutex_lock (&shared->lock);
      g_ptr_array_add (shared->keys, g_strdup (boto_credentials_get_access_key (credentials)));
      g_mutex_unlock (&shared->lock);
    }

  return NULL;
}

static void
test_session_refresh (void)
{
  g_autoptr(BotoSession) session = NULL;
  g_autoptr(BotoCredentials) first = NULL;
  g_autoptr(BotoCredentials) second = NULL;
  g_autoptr(BotoCredentials) kept = NULL;
  g_autoptr(BotoCredentials) none = NULL;
  g_autoptr(GError) error = NULL;

  reset_server ();
  use_config ("[default]\n");
  g_setenv ("AWS_EC2_METADATA_SERVICE_ENDPOINT", fake.base_url, TRUE);
  g_unsetenv ("AWS_EC2_METADATA_DISABLED");
  session = boto_session_new ();

  /* Credentials that expire within the mandatory window are fetched anew
   * on every use (as in botocore, the first use refreshes the ones the
   * chain found, too). */
  fake.expires_in = 5 * G_TIME_SPAN_MINUTE;
  first = boto_session_get_credentials (session, &error);
  g_assert_no_error (error);
  second = boto_session_get_credentials (session, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (boto_credentials_get_access_key (first), ==, "AKIDFETCHED2");
  g_assert_cmpstr (boto_credentials_get_access_key (second), ==, "AKIDFETCHED3");

  /* Several threads at once: each refresh happens once, under the lock. */
  {
    RefreshThreads shared = { session, g_ptr_array_new_with_free_func (g_free), };
    GThread *threads[4];
    guint before = fake.n_credential_requests;

    fake.expires_in = G_TIME_SPAN_HOUR;
    g_mutex_init (&shared.lock);
    {
      g_autoptr(BotoCredentials) fresh = boto_session_get_credentials (session, &error);

      g_assert_no_error (error);
    }
    for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
      threads[i] = g_thread_new ("refresh", refresh_worker, &shared);
    for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
      g_thread_join (threads[i]);
    /* One fetch for the refresh above; then an hour of validity: no more. */
    g_assert_cmpuint (fake.n_credential_requests, ==, before + 1);
    for (guint i = 1; i < shared.keys->len; i++)
      g_assert_cmpstr (shared.keys->pdata[i], ==, shared.keys->pdata[0]);
    g_ptr_array_unref (shared.keys);
    g_mutex_clear (&shared.lock);
  }

  /* A failed refresh inside the advisory window keeps the old credentials… */
  {
    g_autoptr(BotoSession) advisory = boto_session_new ();
    g_autoptr(BotoCredentials) initial = NULL;

    fake.expires_in = 12 * G_TIME_SPAN_MINUTE;
    initial = boto_session_get_credentials (advisory, &error);
    g_assert_no_error (error);
    fake.credentials_status = SOUP_STATUS_INTERNAL_SERVER_ERROR;
    kept = boto_session_get_credentials (advisory, &error);
    g_assert_no_error (error);
    g_assert_true (kept == initial);
  }

  /* … but not inside the mandatory one. */
  {
    g_autoptr(BotoSession) mandatory = NULL;
    g_autoptr(BotoCredentials) initial = NULL;

    fake.credentials_status = SOUP_STATUS_OK;
    fake.expires_in = 5 * G_TIME_SPAN_MINUTE;
    mandatory = boto_session_new ();
    initial = boto_session_get_credentials (mandatory, &error);
    g_assert_no_error (error);
    fake.credentials_status = SOUP_STATUS_INTERNAL_SERVER_ERROR;
    none = boto_session_get_credentials (mandatory, &error);
    g_assert_null (none);
    g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS);
  }

  g_setenv ("AWS_EC2_METADATA_DISABLED", "true", TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  tmp_root = g_dir_make_tmp ("boto-test-providers-XXXXXX", &error);
  g_assert_no_error (error);

  /* Everything the chain might read, set before any thread starts. */
  g_unsetenv ("AWS_ACCESS_KEY_ID");
  g_unsetenv ("AWS_SECRET_ACCESS_KEY");
  g_unsetenv ("AWS_PROFILE");
  g_unsetenv ("AWS_DEFAULT_PROFILE");

  g_mutex_init (&fake.lock);
  fake.ts = test_server_start (handle, NULL);
  fake.base_url = test_server_get_url (fake.ts);

  g_test_add_func ("/boto/credential-providers/imds/v2", test_imds_v2);
  g_test_add_func ("/boto/credential-providers/imds/v1-fallback", test_imds_v1_fallback);
  g_test_add_func ("/boto/credential-providers/imds/unreachable", test_imds_unreachable);
  g_test_add_func ("/boto/credential-providers/container", test_container);
  g_test_add_func ("/boto/credential-providers/process", test_process);
  g_test_add_func ("/boto/credential-providers/session/chain", test_session_chain);
  g_test_add_func ("/boto/credential-providers/session/refresh", test_session_refresh);

  ret = g_test_run ();

  test_server_stop (fake.ts);
  g_free (fake.container_token);
  {
    g_autofree char *config = g_build_filename (tmp_root, "config", NULL);

    g_unlink (config);
  }
  g_rmdir (tmp_root);
  g_free (tmp_root);
  return ret;
}
