/* test-client-async-credentials.c: asynchronous calls get credentials that
 * need loading or refreshing without blocking the main loop, against a
 * container credentials endpoint on 127.0.0.1 that answers slowly
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

#define CREDENTIALS_DELAY_MS 300

/* One server: /creds is the container credentials endpoint, which answers
 * after CREDENTIALS_DELAY_MS (in the server's own thread); anything else is
 * S3, which records the Authorization header. */
typedef struct
{
  TestServer *ts;
  const char *url;
  GMutex      lock;
  guint       fetches;         /* requests to /creds answered */
  guint       fetches_started; /* … and received */
  GTimeSpan   first_expires_in;  /* of the first credentials /creds gives … */
  GTimeSpan   expires_in;        /* … and of the later ones */
  guint       sts_requests;      /* AssumeRole */
  guint       s3_requests;
  GPtrArray  *authorizations;  /* of the S3 requests */
} Server;

static Server server;

static void
handler (SoupServer        *soup_server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  if (strcmp (path, "/creds") == 0)
    {
      g_autoptr(GDateTime) now = NULL;
      g_autoptr(GDateTime) expiry = NULL;
      g_autofree char *expiration = NULL;
      g_autofree char *json = NULL;
      guint n;

      g_mutex_lock (&server.lock);
      server.fetches_started++;
      g_mutex_unlock (&server.lock);
      g_usleep (CREDENTIALS_DELAY_MS * 1000);
      now = g_date_time_new_now_utc ();
      g_mutex_lock (&server.lock);
      n = ++server.fetches;
      expiry = g_date_time_add (now, n == 1 ? server.first_expires_in : server.expires_in);
      g_mutex_unlock (&server.lock);
      expiration = g_date_time_format_iso8601 (expiry);
      json = g_strdup_printf ("{\"AccessKeyId\": \"AKIDFETCH%u\", \"SecretAccessKey\": \"secret\", "
                              "\"Token\": \"token%u\", \"Expiration\": \"%s\"}", n, n, expiration);
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
      return;
    }

  if (strcmp (soup_server_message_get_method (msg), "POST") == 0)
    {
      g_autoptr(GBytes) request = soup_message_body_flatten (soup_server_message_get_request_body (msg));
      g_autofree char *form = g_strndup (g_bytes_get_data (request, NULL), g_bytes_get_size (request));
      g_autoptr(GDateTime) now = NULL;
      g_autoptr(GDateTime) expiry = NULL;
      g_autofree char *expiration = NULL;
      g_autofree char *xml = NULL;
      guint n;

      /* Signed with the source profile's keys. */
      g_assert_nonnull (strstr (form, "Action=AssumeRole"));
      g_assert_nonnull (strstr (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                              "Authorization"), "Credential=AKIDBASE/"));
      g_usleep (CREDENTIALS_DELAY_MS * 1000);
      now = g_date_time_new_now_utc ();
      expiry = g_date_time_add (now, G_TIME_SPAN_HOUR);
      expiration = g_date_time_format (expiry, "%Y-%m-%dT%H:%M:%SZ");
      g_mutex_lock (&server.lock);
      n = ++server.sts_requests;
      g_mutex_unlock (&server.lock);
      xml = g_strdup_printf ("<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                             "<AssumeRoleResult><Credentials><AccessKeyId>ASIAROLE%u</AccessKeyId>"
                             "<SecretAccessKey>role-secret</SecretAccessKey>"
                             "<SessionToken>role-token</SessionToken><Expiration>%s</Expiration>"
                             "</Credentials></AssumeRoleResult><ResponseMetadata><RequestId>req</RequestId>"
                             "</ResponseMetadata></AssumeRoleResponse>", n, expiration);
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/xml", SOUP_MEMORY_COPY, xml, strlen (xml));
      return;
    }

  {
    static const char xml[] = "<ListAllMyBucketsResult><Buckets></Buckets></ListAllMyBucketsResult>";
    const char *authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                              "Authorization");

    g_mutex_lock (&server.lock);
    server.s3_requests++;
    g_ptr_array_add (server.authorizations, g_strdup (authorization != NULL ? authorization : ""));
    g_mutex_unlock (&server.lock);
    soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
    soup_server_message_set_response (msg, "application/xml", SOUP_MEMORY_STATIC, xml, strlen (xml));
  }
}

static void
reset_server (GTimeSpan first_expires_in)
{
  g_mutex_lock (&server.lock);
  server.fetches = 0;
  server.fetches_started = 0;
  server.sts_requests = 0;
  server.first_expires_in = first_expires_in;
  server.expires_in = G_TIME_SPAN_HOUR;
  server.s3_requests = 0;
  g_ptr_array_set_size (server.authorizations, 0);
  g_mutex_unlock (&server.lock);
}

static guint
get_fetches (void)
{
  guint n;

  g_mutex_lock (&server.lock);
  n = server.fetches;
  g_mutex_unlock (&server.lock);
  return n;
}

static gboolean
authorization_has_key (guint       i,
                       const char *access_key)
{
  g_autofree char *credential = g_strdup_printf ("Credential=%s/", access_key);
  gboolean found;

  g_mutex_lock (&server.lock);
  g_assert_cmpuint (i, <, server.authorizations->len);
  found = strstr (g_ptr_array_index (server.authorizations, i), credential) != NULL;
  g_mutex_unlock (&server.lock);
  return found;
}

/* What the main loop did while calls were under way. */
typedef struct
{
  guint      ticks;
  guint      pending;
  GPtrArray *results;   /* GVariant, in the order the calls finished */
  GError    *error;
} Watch;

static gboolean
on_tick (gpointer user_data)
{
  Watch *watch = user_data;

  watch->ticks++;
  return G_SOURCE_CONTINUE;
}

static void
on_call_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Watch *watch = user_data;
  GVariant *value = boto_client_call_finish (BOTO_CLIENT (source), result,
                                             watch->error == NULL ? &watch->error : NULL);

  if (value != NULL)
    g_ptr_array_add (watch->results, value);
  watch->pending--;
}

/* Starts @n ListBuckets calls at once and runs the main loop until they
 * are all done; returns how often a 10 ms timeout ran meanwhile. */
static guint
run_calls (BotoClient *client,
           guint       n,
           gint64     *out_elapsed_ms)
{
  Watch watch = { 0, n, g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref), NULL };
  guint tick_id;
  gint64 start = g_get_monotonic_time ();
  GMainContext *context = g_main_context_get_thread_default ();

  tick_id = g_timeout_add (10, on_tick, &watch);
  for (guint i = 0; i < n; i++)
    boto_client_call_async (client, "ListBuckets", NULL, NULL, on_call_done, &watch);
  /* Starting the calls did not wait for the credentials either. */
  g_assert_cmpint ((g_get_monotonic_time () - start) / 1000, <, CREDENTIALS_DELAY_MS / 2);
  while (watch.pending > 0)
    g_main_context_iteration (context, TRUE);
  g_source_remove (tick_id);

  g_assert_no_error (watch.error);
  g_assert_cmpuint (watch.results->len, ==, n);
  g_ptr_array_unref (watch.results);
  if (out_elapsed_ms != NULL)
    *out_elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  return watch.ticks;
}

static BotoClient *
make_client (BotoSession *session)
{
  g_autoptr(GError) error = NULL;
  BotoClient *client = boto_session_create_client (session, "s3", server.url, NULL, &error);

  g_assert_no_error (error);
  return client;
}

/* First use: the credentials are loaded from the container endpoint while
 * the main loop keeps running; two calls at once make one request. */
static void
test_load (void)
{
  g_autoptr(BotoSession) session = boto_session_new ();
  g_autoptr(BotoClient) client = make_client (session);
  gint64 elapsed = 0;
  guint ticks;

  reset_server (G_TIME_SPAN_HOUR);
  ticks = run_calls (client, 2, &elapsed);
  g_assert_cmpint (elapsed, >=, CREDENTIALS_DELAY_MS);
  /* A blocked loop would have run the 10 ms timeout once or twice. */
  g_assert_cmpuint (ticks, >=, 10);
  g_assert_cmpuint (get_fetches (), ==, 1);
  g_assert_cmpuint (server.s3_requests, ==, 2);
  g_assert_true (authorization_has_key (0, "AKIDFETCH1"));
  g_assert_true (authorization_has_key (1, "AKIDFETCH1"));

  /* Fresh credentials: no fetch, no thread. */
  run_calls (client, 1, NULL);
  g_assert_cmpuint (get_fetches (), ==, 1);
  g_assert_true (authorization_has_key (2, "AKIDFETCH1"));
}

static gboolean
on_waited (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_waited, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Credentials within the mandatory refresh window (10 minutes) are
 * refreshed before any call is signed with them: the first ones, loaded
 * with 5 minutes left, are refreshed at once, once for both calls, without
 * blocking the loop. */
static void
test_mandatory_refresh (void)
{
  g_autoptr(BotoSession) session = boto_session_new ();
  g_autoptr(BotoClient) client = make_client (session);
  gint64 elapsed = 0;
  guint ticks;

  reset_server (5 * G_TIME_SPAN_MINUTE);
  ticks = run_calls (client, 2, &elapsed);
  g_assert_cmpint (elapsed, >=, 2 * CREDENTIALS_DELAY_MS);
  g_assert_cmpuint (ticks, >=, 20);
  g_assert_cmpuint (get_fetches (), ==, 2);
  g_assert_true (authorization_has_key (0, "AKIDFETCH2"));
  g_assert_true (authorization_has_key (1, "AKIDFETCH2"));

  run_calls (client, 1, NULL);
  g_assert_cmpuint (get_fetches (), ==, 2);
  g_assert_true (authorization_has_key (2, "AKIDFETCH2"));
}

/* Credentials that come into the advisory window (15 minutes, but more
 * than 10) are refreshed by one caller, and nobody waits on the main
 * loop. */
static void
test_advisory_refresh (void)
{
  g_autoptr(BotoSession) session = boto_session_new ();
  g_autoptr(BotoClient) client = make_client (session);
  guint ticks;

  /* Two seconds more than the window: good for the first call only. */
  reset_server (15 * G_TIME_SPAN_MINUTE + 2 * G_TIME_SPAN_SECOND);
  run_calls (client, 1, NULL);
  g_assert_cmpuint (get_fetches (), ==, 1);
  g_assert_true (authorization_has_key (0, "AKIDFETCH1"));

  wait_ms (2500);
  ticks = run_calls (client, 2, NULL);
  g_assert_cmpuint (ticks, >=, 10);
  g_assert_cmpuint (get_fetches (), ==, 2);
  /* One of the two may have signed with the current ones meanwhile. */
  g_assert_true (authorization_has_key (1, "AKIDFETCH2") || authorization_has_key (2, "AKIDFETCH2"));

  /* Refreshed: the next call signs with the new ones at once. */
  run_calls (client, 1, NULL);
  g_assert_cmpuint (get_fetches (), ==, 2);
  g_assert_true (authorization_has_key (3, "AKIDFETCH2"));
}

/* Assume-role: STS is called in a worker thread, once for both calls. */
static void
test_assume_role (void)
{
  g_autofree char *dir = g_dir_make_tmp ("boto-async-XXXXXX", NULL);
  g_autofree char *config = g_build_filename (dir, "config", NULL);
  g_autoptr(BotoSession) session = NULL;
  g_autoptr(BotoClient) client = NULL;
  guint ticks;

  g_assert_nonnull (dir);
  g_assert_true (g_file_set_contents (config,
                                      "[profile role]\n"
                                      "role_arn = arn:aws:iam::123456789012:role/test-role\n"
                                      "source_profile = base\n"
                                      "[profile base]\n"
                                      "aws_access_key_id = AKIDBASE\n"
                                      "aws_secret_access_key = base-secret\n", -1, NULL));
  g_setenv ("AWS_CONFIG_FILE", config, TRUE);
  /* STS goes to the stand-in too. */
  g_setenv ("AWS_ENDPOINT_URL", server.url, TRUE);
  session = g_object_new (BOTO_TYPE_SESSION, "profile-name", "role", NULL);
  client = make_client (session);

  reset_server (G_TIME_SPAN_HOUR);
  ticks = run_calls (client, 2, NULL);
  g_assert_cmpuint (ticks, >=, 10);
  g_assert_cmpuint (server.sts_requests, ==, 1);
  g_assert_cmpuint (get_fetches (), ==, 0);
  g_assert_true (authorization_has_key (0, "ASIAROLE1"));
  g_assert_true (authorization_has_key (1, "ASIAROLE1"));

  g_setenv ("AWS_CONFIG_FILE", "/dev/null", TRUE);
  g_unsetenv ("AWS_ENDPOINT_URL");
  g_unlink (config);
  g_rmdir (dir);
}

/* The session's own asynchronous getter: at once when fresh. */
static void
on_credentials (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  BotoCredentials **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = boto_session_get_credentials_finish (BOTO_SESSION (source), result, &error);
  g_assert_no_error (error);
}

static void
test_session_async (void)
{
  g_autoptr(BotoSession) session = boto_session_new ();
  g_autoptr(BotoCredentials) first = NULL;
  g_autoptr(BotoCredentials) second = NULL;
  Watch watch = { 0 };
  guint tick_id;

  reset_server (G_TIME_SPAN_HOUR);
  g_assert_null (boto_session_peek_credentials (session));
  tick_id = g_timeout_add (10, on_tick, &watch);
  boto_session_get_credentials_async (session, NULL, on_credentials, &first);
  while (first == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (watch.ticks, >=, 10);
  g_assert_cmpstr (boto_credentials_get_access_key (first), ==, "AKIDFETCH1");

  watch.ticks = 0;
  boto_session_get_credentials_async (session, NULL, on_credentials, &second);
  /* Never called back before the function returns. */
  g_assert_null (second);
  while (second == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick_id);
  g_assert_true (second == first);
  g_assert_cmpuint (get_fetches (), ==, 1);
}

/* While the first credentials are being fetched (in a worker thread), the
 * session stays usable from the main thread: its region and new clients do
 * not wait for the fetch, which used to hold the session's lock. */
static void
test_session_usable_while_loading (void)
{
  g_autoptr(BotoSession) session = boto_session_new ();
  g_autoptr(BotoCredentials) credentials = NULL;
  g_autoptr(BotoClient) client = NULL;
  gint64 start;
  guint started = 0;

  reset_server (G_TIME_SPAN_HOUR);
  boto_session_get_credentials_async (session, NULL, on_credentials, &credentials);
  while (started == 0)
    {
      wait_ms (5);
      g_mutex_lock (&server.lock);
      started = server.fetches_started;
      g_mutex_unlock (&server.lock);
    }
  /* The fetch is under way for another CREDENTIALS_DELAY_MS. */
  start = g_get_monotonic_time ();
  g_assert_cmpstr (boto_session_get_region_name (session), ==, "us-east-1");
  client = make_client (session);
  g_assert_cmpint ((g_get_monotonic_time () - start) / 1000, <, CREDENTIALS_DELAY_MS / 3);
  g_assert_null (credentials);
  g_assert_cmpuint (get_fetches (), ==, 0);

  while (credentials == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (boto_credentials_get_access_key (credentials), ==, "AKIDFETCH1");
  g_assert_cmpuint (get_fetches (), ==, 1);
}

/* Cancelled while the credentials are being fetched: the call ends at
 * once; the fetch still completes for the next caller. */
static void
on_cancelled_call_done (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  GError **out = user_data;
  g_autoptr(GVariant) value = boto_client_call_finish (BOTO_CLIENT (source), result, out);

  g_assert_null (value);
}

static void
test_cancel (void)
{
  g_autoptr(BotoSession) session = boto_session_new ();
  g_autoptr(BotoClient) client = make_client (session);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  gint64 start;

  reset_server (G_TIME_SPAN_HOUR);
  start = g_get_monotonic_time ();
  boto_client_call_async (client, "ListBuckets", NULL, cancellable, on_cancelled_call_done, &error);
  g_cancellable_cancel (cancellable);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint ((g_get_monotonic_time () - start) / 1000, <, CREDENTIALS_DELAY_MS);
  g_assert_cmpuint (server.s3_requests, ==, 0);

  /* The next call gets them: one fetch in all, whether the cancelled
   * one had started or not. */
  run_calls (client, 1, NULL);
  g_assert_cmpuint (get_fetches (), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *creds_url = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  g_mutex_init (&server.lock);
  server.authorizations = g_ptr_array_new_with_free_func (g_free);
  server.ts = test_server_start (handler, NULL);
  server.url = test_server_get_url (server.ts);
  creds_url = g_strconcat (server.url, "creds", NULL);

  /* Only the container endpoint has credentials. */
  g_unsetenv ("AWS_ACCESS_KEY_ID");
  g_unsetenv ("AWS_SECRET_ACCESS_KEY");
  g_unsetenv ("AWS_SESSION_TOKEN");
  g_unsetenv ("AWS_PROFILE");
  g_unsetenv ("AWS_ENDPOINT_URL");
  g_unsetenv ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  g_unsetenv ("AWS_CONTAINER_AUTHORIZATION_TOKEN");
  g_unsetenv ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
  g_setenv ("AWS_CONTAINER_CREDENTIALS_FULL_URI", creds_url, TRUE);
  g_setenv ("AWS_EC2_METADATA_DISABLED", "true", TRUE);
  g_setenv ("AWS_CONFIG_FILE", "/dev/null", TRUE);
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", TRUE);
  g_setenv ("AWS_DEFAULT_REGION", "us-east-1", TRUE);

  g_test_add_func ("/boto/client-async-credentials/load", test_load);
  g_test_add_func ("/boto/client-async-credentials/mandatory-refresh", test_mandatory_refresh);
  g_test_add_func ("/boto/client-async-credentials/advisory-refresh", test_advisory_refresh);
  g_test_add_func ("/boto/client-async-credentials/assume-role", test_assume_role);
  g_test_add_func ("/boto/client-async-credentials/session-async", test_session_async);
  g_test_add_func ("/boto/client-async-credentials/cancel", test_cancel);
  g_test_add_func ("/boto/client-async-credentials/session-usable-while-loading",
                   test_session_usable_while_loading);

  ret = g_test_run ();

  test_server_stop (server.ts);
  g_ptr_array_unref (server.authorizations);
  g_mutex_clear (&server.lock);
  return ret;
}
