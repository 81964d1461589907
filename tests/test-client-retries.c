/* test-client-retries.c: BotoClient's standard retry mode against a
 * SoupServer on 127.0.0.1 that fails on purpose
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>
#include <boto-glib/boto-glib.h>

#include "boto-client-private.h"
#include "test-utils.h"

typedef struct
{
  TestServer   *ts;
  const char   *url;
  GMutex        lock;
  /* What to answer: statuses for the first requests, then 200. */
  guint         n_failures;
  guint         failure_status;
  const char   *failure_code;
  guint         requests;
  /* When non-zero, the server's clock runs this far ahead of ours and it
   * refuses requests signed more than 5 minutes off it. */
  GTimeSpan     clock_ahead;
  guint         skew_refusals;
} Server;

static void
handler (SoupServer        *soup_server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Server *server = user_data;
  guint n;

  g_mutex_lock (&server->lock);
  n = server->requests++;
  g_mutex_unlock (&server->lock);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "x-amzn-RequestId", "req-1");
  if (server->clock_ahead != 0)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) server_now = g_date_time_add (now, server->clock_ahead);
      g_autofree char *date = soup_date_time_to_string (server_now, SOUP_DATE_HTTP);
      const char *amz_date = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                           "X-Amz-Date");
      g_autoptr(GDateTime) signed_at = amz_date != NULL ? g_date_time_new_from_iso8601 (amz_date, NULL) : NULL;

      g_assert_nonnull (signed_at);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Date", date);
      if (ABS (g_date_time_difference (server_now, signed_at)) > 5 * G_TIME_SPAN_MINUTE)
        {
          static const char body[] = "{\"__type\": \"com.amazon.coral.service#InvalidSignatureException\", "
                                     "\"message\": \"Signature expired\"}";

          g_mutex_lock (&server->lock);
          server->skew_refusals++;
          g_mutex_unlock (&server->lock);
          soup_server_message_set_status (msg, 400, NULL);
          soup_server_message_set_response (msg, "application/x-amz-json-1.0", SOUP_MEMORY_STATIC,
                                            body, strlen (body));
          return;
        }
    }
  if (n < server->n_failures)
    {
      g_autofree char *body = g_strdup_printf ("{\"__type\": \"%s\", \"message\": \"try again\"}",
                                               server->failure_code);

      soup_server_message_set_status (msg, server->failure_status, NULL);
      soup_server_message_set_response (msg, "application/x-amz-json-1.0", SOUP_MEMORY_COPY,
                                        body, strlen (body));
      return;
    }
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/x-amz-json-1.0", SOUP_MEMORY_STATIC,
                                    "{\"TableNames\": [\"t\"]}", strlen ("{\"TableNames\": [\"t\"]}"));
}

static Server *
server_start (guint       n_failures,
              guint       status,
              const char *code)
{
  Server *server = g_new0 (Server, 1);

  g_mutex_init (&server->lock);
  server->n_failures = n_failures;
  server->failure_status = status;
  server->failure_code = code;
  server->ts = test_server_start (handler, server);
  server->url = test_server_get_url (server->ts);
  return server;
}

static void
server_stop (Server *server)
{
  test_server_stop (server->ts);
  g_mutex_clear (&server->lock);
  g_free (server);
}

typedef struct
{
  guint  calls;
  gint64 computed[8];
} Backoffs;

static gint64
record_backoff (guint    attempt,
                gint64   computed_usec,
                gpointer user_data)
{
  Backoffs *backoffs = user_data;

  g_assert_cmpuint (attempt, ==, backoffs->calls + 1);
  if (backoffs->calls < G_N_ELEMENTS (backoffs->computed))
    backoffs->computed[backoffs->calls] = computed_usec;
  backoffs->calls++;
  return 0;
}

static BotoClient *
make_client (Server   *server,
             gint64    max_attempts,
             Backoffs *backoffs)
{
  g_autoptr(BotoSession) session = boto_session_new ();
  g_autoptr(BotoConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  BotoClient *client;

  g_setenv ("AWS_ACCESS_KEY_ID", "testing", TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", "testing", TRUE);
  g_setenv ("AWS_DEFAULT_REGION", "us-east-1", TRUE);
  config = boto_config_new (g_variant_new_parsed ("{'retries': <{'mode': <'standard'>, "
                                                  "'total_max_attempts': <%x>}>}", max_attempts),
                            &error);
  g_assert_no_error (error);
  client = boto_session_create_client (session, "dynamodb", server->url, config, &error);
  g_assert_no_error (error);
  boto_client_set_backoff_func_for_testing (client, record_backoff, backoffs);
  return client;
}

static gint32
retry_attempts (GVariant *response)
{
  g_autoptr(GVariant) meta = g_variant_lookup_value (response, "ResponseMetadata", G_VARIANT_TYPE_VARDICT);
  gint32 n = -1;

  g_assert_true (g_variant_lookup (meta, "RetryAttempts", "i", &n));
  return n;
}

static void
test_transient_then_success (void)
{
  Server *server = server_start (2, 503, "ServiceUnavailable");
  Backoffs backoffs = { 0, };
  g_autoptr(BotoClient) client = make_client (server, 3, &backoffs);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = boto_client_call (client, "ListTables", NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpuint (server->requests, ==, 3);
  g_assert_cmpint (retry_attempts (result), ==, 2);
  g_assert_cmpuint (backoffs.calls, ==, 2);
  /* Non-throttling: DynamoDB's 25 ms base, doubling, with jitter in [0, cap). */
  g_assert_cmpint (backoffs.computed[0], <=, 25000);
  g_assert_cmpint (backoffs.computed[1], <=, 50000);
  server_stop (server);
}

static void
test_throttling (void)
{
  Server *server = server_start (1, 400, "ThrottlingException");
  Backoffs backoffs = { 0, };
  g_autoptr(BotoClient) client = make_client (server, 3, &backoffs);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = boto_client_call (client, "ListTables", NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (server->requests, ==, 2);
  g_assert_cmpint (retry_attempts (result), ==, 1);
  g_assert_cmpuint (backoffs.calls, ==, 1);
  /* Throttling: a 1 s base. */
  g_assert_cmpint (backoffs.computed[0], <=, G_USEC_PER_SEC);
  server_stop (server);
}

static void
test_not_retryable (void)
{
  Server *server = server_start (5, 400, "ValidationException");
  Backoffs backoffs = { 0, };
  g_autoptr(BotoClient) client = make_client (server, 3, &backoffs);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = boto_client_call (client, "ListTables", NULL, NULL, &error);

  g_assert_null (result);
  g_assert_error (error, BOTO_SERVICE_ERROR, BOTO_SERVICE_ERROR_CLIENT);
  g_assert_cmpstr (boto_service_error_get_code (error), ==, "ValidationException");
  g_assert_cmpuint (server->requests, ==, 1);
  g_assert_cmpuint (backoffs.calls, ==, 0);
  server_stop (server);
}

static void
test_exhausted (void)
{
  Server *server = server_start (10, 500, "InternalServerError");
  Backoffs backoffs = { 0, };
  g_autoptr(BotoClient) client = make_client (server, 4, &backoffs);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = boto_client_call (client, "ListTables", NULL, NULL, &error);
  gboolean reached = FALSE;

  g_assert_null (result);
  g_assert_error (error, BOTO_SERVICE_ERROR, BOTO_SERVICE_ERROR_SERVER);
  g_assert_cmpstr (boto_service_error_get_code (error), ==, "InternalServerError");
  g_assert_cmpuint (boto_service_error_get_status (error), ==, 500);
  g_assert_cmpstr (boto_service_error_get_request_id (error), ==, "req-1");
  g_assert_cmpuint (server->requests, ==, 4);
  g_assert_cmpuint (backoffs.calls, ==, 3);
  g_assert_cmpint (retry_attempts (boto_service_error_get_response (error)), ==, 3);
  {
    g_autoptr(GVariant) meta = g_variant_lookup_value (boto_service_error_get_response (error),
                                                       "ResponseMetadata", G_VARIANT_TYPE_VARDICT);

    g_assert_true (g_variant_lookup (meta, "MaxAttemptsReached", "b", &reached));
    g_assert_true (reached);
  }
  server_stop (server);
}

static void
on_called (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GVariant **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = boto_client_call_finish (BOTO_CLIENT (source), result, &error);
  g_assert_no_error (error);
}

static void
test_async_retries (void)
{
  Server *server = server_start (2, 503, "ServiceUnavailable");
  Backoffs backoffs = { 0, };
  g_autoptr(BotoClient) client = make_client (server, 3, &backoffs);
  g_autoptr(GVariant) result = NULL;

  boto_client_call_async (client, "ListTables", NULL, NULL, on_called, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (server->requests, ==, 3);
  g_assert_cmpint (retry_attempts (result), ==, 2);
  server_stop (server);
}

static void
test_clock_skew (void)
{
  Server *server = server_start (0, 200, NULL);
  Backoffs backoffs = { 0, };
  g_autoptr(BotoClient) client = NULL;
  g_autoptr(GVariant) first = NULL;
  g_autoptr(GVariant) second = NULL;
  g_autoptr(GError) error = NULL;

  server->clock_ahead = G_TIME_SPAN_HOUR;
  client = make_client (server, 3, &backoffs);

  /* Refused once for the skew, then signed with the server's time. */
  first = boto_client_call (client, "ListTables", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (server->requests, ==, 2);
  g_assert_cmpuint (server->skew_refusals, ==, 1);
  g_assert_cmpint (retry_attempts (first), ==, 1);
  g_assert_cmpuint (backoffs.calls, ==, 0);

  /* The correction stays with the client. */
  second = boto_client_call (client, "ListTables", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (server->requests, ==, 3);
  g_assert_cmpuint (server->skew_refusals, ==, 1);
  server_stop (server);
}

static void
test_signature_error_not_skew (void)
{
  Server *server = server_start (5, 400, "InvalidSignatureException");
  Backoffs backoffs = { 0, };
  g_autoptr(BotoClient) client = make_client (server, 3, &backoffs);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = boto_client_call (client, "ListTables", NULL, NULL, &error);

  /* The clocks agree: a bad signature is not retried. */
  g_assert_null (result);
  g_assert_error (error, BOTO_SERVICE_ERROR, BOTO_SERVICE_ERROR_CLIENT);
  g_assert_cmpuint (server->requests, ==, 1);
  server_stop (server);
}

static void
test_loggable_url (void)
{
  g_autoptr(SoupMessage) plain = soup_message_new ("GET", "http://127.0.0.1:9/bucket/key?list-type=2&prefix=a");
  g_autoptr(SoupMessage) presigned = soup_message_new (
    "GET", "https://user:pw@bucket.s3.amazonaws.com/key?X-Amz-Algorithm=AWS4-HMAC-SHA256"
    "&X-Amz-Credential=AKID%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260101T000000Z"
    "&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&x-amz-security-token=SECRET-TOKEN"
    "&X-Amz-Signature=0123456789abcdef#frag");
  g_autofree char *plain_url = boto_client_loggable_url (plain);
  g_autofree char *presigned_url = boto_client_loggable_url (presigned);

  g_assert_cmpstr (plain_url, ==, "http://127.0.0.1:9/bucket/key?list-type=2&prefix=a");
  g_assert_cmpstr (presigned_url, ==,
                   "https://bucket.s3.amazonaws.com/key?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                   "&X-Amz-Credential=AKID%2F20260101%2Fus-east-1%2Fs3%2Faws4_request"
                   "&X-Amz-Date=20260101T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host"
                   "&x-amz-security-token=<redacted>&X-Amz-Signature=<redacted>");
}

static void
test_connection_refused (void)
{
  Server *server = server_start (0, 200, NULL);
  Backoffs backoffs = { 0, };
  g_autoptr(BotoClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autofree char *url = g_strdup (server->url);

  /* Stop the server first: nothing listens on the port any more. */
  server_stop (server);
  {
    Server gone = { .url = url };

    client = make_client (&gone, 2, &backoffs);
  }
  result = boto_client_call (client, "ListTables", NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_cmpuint (backoffs.calls, ==, 1);
}

static void
test_xform_name (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "ListObjectsV2", "list_objects_v2" },
    { "CreateBucket", "create_bucket" },
    { "DescribeDBInstances", "describe_db_instances" },
    { "GetObjectACL", "get_object_acl" },
    { "ListTables", "list_tables" },
    /* a trailing plural acronym is one word */
    { "NotificationARNs", "notification_arns" },
    { "ListWebACLs", "list_web_acls" },
    { "ARNs", "_arns" },
    { "HTTPHeaders", "http_headers" },
    /* names botocore spells by hand; names with '_' stay */
    { "ExecutePartiQLStatement", "execute_partiql_statement" },
    { "CreateCachediSCSIVolume", "create_cached_iscsi_volume" },
    { "already_snake", "already_snake" },
    { "S3Key", "s3_key" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = boto_xform_name (cases[i].in);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_copy_source (void)
{
  static const struct { const char *params, *expected; } cases[] = {
    { "{'CopySource': <'b/a key+%ü.txt'>}", "b/a%20key%2B%25%C3%BC.txt" },
    { "{'CopySource': <'b/k?versionId=v1'>}", "b/k?versionId=v1" },
    { "{'CopySource': <{'Bucket': <'b'>, 'Key': <'d/a b'>}>}", "b/d/a%20b" },
    { "{'CopySource': <{'Bucket': 'b', 'Key': 'k', 'VersionId': 'v 2'}>}", "b/k?versionId=v 2" },
  };
  g_autoptr(GError) error = NULL;
  GVariant *params;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *source = NULL;

      params = boto_client_handle_copy_source ("s3", "CopyObject",
                                               g_variant_ref_sink (g_variant_new_parsed (cases[i].params)),
                                               &error);
      g_assert_no_error (error);
      g_assert_true (g_variant_lookup (params, "CopySource", "&s", &source));
      g_assert_cmpstr (source, ==, cases[i].expected);
      g_variant_unref (params);
    }

  /* Other operations and services are left alone. */
  params = boto_client_handle_copy_source ("s3", "PutObject",
                                           g_variant_ref_sink (g_variant_new_parsed ("{'CopySource': <'a b'>}")),
                                           &error);
  g_assert_no_error (error);
  {
    const char *unchanged = NULL;

    g_assert_true (g_variant_lookup (params, "CopySource", "&s", &unchanged));
    g_assert_cmpstr (unchanged, ==, "a b");
  }
  g_variant_unref (params);
  g_assert_null (boto_client_handle_copy_source ("s3", "CopyObject", NULL, &error));
  g_assert_no_error (error);

  /* A dictionary without its Key is a validation error. */
  params = boto_client_handle_copy_source ("s3", "UploadPartCopy",
                                           g_variant_ref_sink (g_variant_new_parsed ("{'CopySource': <{'Bucket': <'b'>}>}")),
                                           &error);
  g_assert_null (params);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/boto/client/retries/transient-then-success", test_transient_then_success);
  g_test_add_func ("/boto/client/retries/throttling", test_throttling);
  g_test_add_func ("/boto/client/retries/not-retryable", test_not_retryable);
  g_test_add_func ("/boto/client/retries/exhausted", test_exhausted);
  g_test_add_func ("/boto/client/retries/async", test_async_retries);
  g_test_add_func ("/boto/client/retries/connection-refused", test_connection_refused);
  g_test_add_func ("/boto/client/retries/clock-skew", test_clock_skew);
  g_test_add_func ("/boto/client/loggable-url", test_loggable_url);
  g_test_add_func ("/boto/client/retries/signature-error-not-skew", test_signature_error_not_skew);
  g_test_add_func ("/boto/client/xform-name", test_xform_name);
  g_test_add_func ("/boto/client/copy-source", test_copy_source);

  return g_test_run ();
}
