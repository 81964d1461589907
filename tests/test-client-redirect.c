/* test-client-redirect.c: S3 region redirects when the error does not say
 * the bucket's region, against a SoupServer on 127.0.0.1 that plays a
 * bucket in eu-west-1
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>
#include <boto-glib/boto-glib.h>

#include "test-utils.h"

typedef enum {
  WRONG_HEAD_400,       /* HEAD: 400 without body or header */
  WRONG_301,            /* PermanentRedirect without x-amz-bucket-region */
  WRONG_307,            /* TemporaryRedirect without x-amz-bucket-region */
  WRONG_MALFORMED,      /* 400 AuthorizationHeaderMalformed naming the Region */
} WrongRegion;

/* What the server does with a request not signed for eu-west-1, and what
 * it saw: "METHOD PATH REGION" per request. */
typedef struct
{
  TestServer  *ts;
  const char  *url;
  GMutex       lock;
  WrongRegion  wrong;
  gboolean     probe_says_nothing;  /* HeadBucket: 403 without the header */
  GPtrArray   *seen;
} Server;

static Server server;

static void
answer_xml (SoupServerMessage *msg,
            guint              status,
            const char        *xml)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/xml", SOUP_MEMORY_COPY, xml, strlen (xml));
}

static void
handler (SoupServer        *soup_server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  const char *authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                            "Authorization");
  const char *method = soup_server_message_get_method (msg);
  gboolean right = authorization != NULL && strstr (authorization, "/eu-west-1/s3/aws4_request") != NULL;
  gboolean head_bucket = strcmp (method, "HEAD") == 0 && strchr (path + 1, '/') == NULL;
  const char *region = "other";

  if (authorization != NULL && strstr (authorization, "/us-east-1/") != NULL)
    region = "us-east-1";
  else if (right)
    region = "eu-west-1";
  g_mutex_lock (&server.lock);
  g_ptr_array_add (server.seen, g_strdup_printf ("%s %s %s", method, path, region));
  g_mutex_unlock (&server.lock);
  soup_message_headers_replace (response_headers, "x-amz-request-id", "req-1");

  if (head_bucket)
    {
      if (server.probe_says_nothing)
        {
          soup_server_message_set_status (msg, 403, NULL);
          return;
        }
      /* S3 names the bucket's region in every HeadBucket answer. */
      soup_message_headers_replace (response_headers, "x-amz-bucket-region", "eu-west-1");
      soup_server_message_set_status (msg, right ? 200 : 301, NULL);
      return;
    }

  if (right)
    {
      if (strcmp (method, "HEAD") == 0)
        soup_server_message_set_status (msg, 200, NULL);
      else if (strchr (path + 1, '/') == NULL)
        answer_xml (msg, 200, "<ListBucketResult><Name>b</Name><KeyCount>0</KeyCount></ListBucketResult>");
      else
        {
          soup_server_message_set_status (msg, 200, NULL);
          soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_STATIC, "hello", 5);
        }
      return;
    }

  switch (server.wrong)
    {
    case WRONG_HEAD_400:
      soup_server_message_set_status (msg, 400, NULL);
      break;
    case WRONG_301:
      answer_xml (msg, 301, "<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting "
                            "to access must be addressed using the specified endpoint.</Message>"
                            "<Bucket>b</Bucket></Error>");
      break;
    case WRONG_307:
      {
        /* Where S3 would send a browser: never followed, as botocore. */
        g_autofree char *location = g_strconcat (server.url, "temporary", path, NULL);

        soup_message_headers_replace (response_headers, "Location", location);
      }
      answer_xml (msg, 307, "<Error><Code>TemporaryRedirect</Code><Message>Please re-send this request "
                            "to the specified temporary endpoint.</Message></Error>");
      break;
    case WRONG_MALFORMED:
      answer_xml (msg, 400, "<Error><Code>AuthorizationHeaderMalformed</Code><Message>the region "
                            "'us-east-1' is wrong; expecting 'eu-west-1'</Message>"
                            "<Region>eu-west-1</Region></Error>");
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
reset_server (WrongRegion wrong,
              gboolean    probe_says_nothing)
{
  g_mutex_lock (&server.lock);
  server.wrong = wrong;
  server.probe_says_nothing = probe_says_nothing;
  g_ptr_array_set_size (server.seen, 0);
  g_mutex_unlock (&server.lock);
}

/* The requests the server saw, "; "-separated. */
static char *
dup_seen (void)
{
  char *joined;

  g_mutex_lock (&server.lock);
  g_ptr_array_add (server.seen, NULL);
  joined = g_strjoinv ("; ", (char **) server.seen->pdata);
  g_ptr_array_set_size (server.seen, server.seen->len - 1);
  g_mutex_unlock (&server.lock);
  return joined;
}

static BotoClient *
make_client (void)
{
  g_autoptr(BotoSession) session = boto_session_new ();
  g_autoptr(GError) error = NULL;
  BotoClient *client = boto_session_create_client (session, "s3", server.url, NULL, &error);

  g_assert_no_error (error);
  return client;
}

static gint32
retry_attempts (GVariant *result)
{
  g_autoptr(GVariant) meta = g_variant_lookup_value (result, "ResponseMetadata", G_VARIANT_TYPE_VARDICT);
  gint32 retries = -1;

  g_assert_nonnull (meta);
  g_assert_true (g_variant_lookup (meta, "RetryAttempts", "i", &retries));
  return retries;
}

static void
on_call_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* The call, blocking or on the main loop. */
static GVariant *
call (BotoClient  *client,
      gboolean     async,
      const char  *operation,
      GVariant    *params,
      GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  if (!async)
    return boto_client_call (client, operation, params, NULL, error);
  boto_client_call_async (client, operation, params, NULL, on_call_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return boto_client_call_finish (client, result, error);
}

static GVariant *
bucket_key (void)
{
  return g_variant_new_parsed ("{'Bucket': <'b'>, 'Key': <'k'>}");
}

/* HeadObject in the wrong region gets a bare 400: the bucket is asked with
 * HeadBucket (itself redirected by its x-amz-bucket-region), then the
 * object is asked again in eu-west-1, where later calls go at once. */
static void
check_head_object_probe (gboolean async)
{
  g_autoptr(BotoClient) client = make_client ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autofree char *seen = NULL;

  reset_server (WRONG_HEAD_400, FALSE);
  result = call (client, async, "HeadObject", bucket_key (), &error);
  g_assert_no_error (error);
  seen = dup_seen ();
  g_assert_cmpstr (seen, ==, "HEAD /b/k us-east-1; HEAD /b us-east-1; HEAD /b eu-west-1; HEAD /b/k eu-west-1");
  g_assert_cmpint (retry_attempts (result), ==, 1);

  g_clear_pointer (&result, g_variant_unref);
  g_clear_pointer (&seen, g_free);
  reset_server (WRONG_HEAD_400, FALSE);
  result = call (client, async, "HeadObject", bucket_key (), &error);
  g_assert_no_error (error);
  seen = dup_seen ();
  g_assert_cmpstr (seen, ==, "HEAD /b/k eu-west-1");
}

static void
test_head_object_probe (void)
{
  check_head_object_probe (FALSE);
}

static void
test_head_object_probe_async (void)
{
  check_head_object_probe (TRUE);
}

/* A 301 or 307 without x-amz-bucket-region: the same. */
static void
check_redirect_probe (gboolean    async,
                      WrongRegion wrong)
{
  g_autoptr(BotoClient) client = make_client ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autofree char *seen = NULL;

  reset_server (wrong, FALSE);
  result = call (client, async, "GetObject", bucket_key (), &error);
  g_assert_no_error (error);
  seen = dup_seen ();
  g_assert_cmpstr (seen, ==, "GET /b/k us-east-1; HEAD /b us-east-1; HEAD /b eu-west-1; GET /b/k eu-west-1");
  g_assert_cmpint (retry_attempts (result), ==, 1);

  g_clear_pointer (&result, g_variant_unref);
  g_clear_pointer (&seen, g_free);
  reset_server (wrong, FALSE);
  result = call (client, async, "ListObjectsV2", g_variant_new_parsed ("{'Bucket': <'b'>}"), &error);
  g_assert_no_error (error);
  seen = dup_seen ();
  g_assert_cmpstr (seen, ==, "GET /b eu-west-1");
}

static void
test_301_probe (void)
{
  check_redirect_probe (FALSE, WRONG_301);
}

static void
test_301_probe_async (void)
{
  check_redirect_probe (TRUE, WRONG_301);
}

static void
test_307_probe (void)
{
  check_redirect_probe (FALSE, WRONG_307);
}

static void
test_307_probe_async (void)
{
  check_redirect_probe (TRUE, WRONG_307);
}

/* The error names the Region: no HeadBucket. */
static void
check_region_in_body (gboolean async)
{
  g_autoptr(BotoClient) client = make_client ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autofree char *seen = NULL;

  reset_server (WRONG_MALFORMED, FALSE);
  result = call (client, async, "GetObject", bucket_key (), &error);
  g_assert_no_error (error);
  seen = dup_seen ();
  g_assert_cmpstr (seen, ==, "GET /b/k us-east-1; GET /b/k eu-west-1");
  g_assert_cmpint (retry_attempts (result), ==, 1);
}

static void
test_region_in_body (void)
{
  check_region_in_body (FALSE);
}

static void
test_region_in_body_async (void)
{
  check_region_in_body (TRUE);
}

/* HeadBucket does not say either: the first error stands, and nothing is
 * asked twice. */
static void
check_probe_says_nothing (gboolean async)
{
  g_autoptr(BotoClient) client = make_client ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autofree char *seen = NULL;

  reset_server (WRONG_301, TRUE);
  result = call (client, async, "GetObject", bucket_key (), &error);
  g_assert_null (result);
  g_assert_nonnull (error);
  g_assert_true (error->domain == BOTO_SERVICE_ERROR);
  g_assert_cmpstr (boto_service_error_get_code (error), ==, "PermanentRedirect");
  g_assert_cmpuint (boto_service_error_get_status (error), ==, 301);
  seen = dup_seen ();
  g_assert_cmpstr (seen, ==, "GET /b/k us-east-1; HEAD /b us-east-1");

  /* Nothing was remembered. */
  g_clear_error (&error);
  g_clear_pointer (&seen, g_free);
  reset_server (WRONG_301, TRUE);
  result = call (client, async, "HeadObject", bucket_key (), &error);
  g_assert_null (result);
  g_assert_nonnull (error);
  seen = dup_seen ();
  g_assert_cmpstr (seen, ==, "HEAD /b/k us-east-1; HEAD /b us-east-1");
}

static void
test_probe_says_nothing (void)
{
  check_probe_says_nothing (FALSE);
}

static void
test_probe_says_nothing_async (void)
{
  check_probe_says_nothing (TRUE);
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  g_setenv ("AWS_ACCESS_KEY_ID", "testing", TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", "testing", TRUE);
  g_setenv ("AWS_DEFAULT_REGION", "us-east-1", TRUE);
  g_unsetenv ("AWS_ENDPOINT_URL");
  g_setenv ("AWS_CONFIG_FILE", "/dev/null", TRUE);
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", TRUE);

  g_mutex_init (&server.lock);
  server.seen = g_ptr_array_new_with_free_func (g_free);
  server.ts = test_server_start (handler, NULL);
  server.url = test_server_get_url (server.ts);

  g_test_add_func ("/boto/client-redirect/head-object-probe", test_head_object_probe);
  g_test_add_func ("/boto/client-redirect/head-object-probe-async", test_head_object_probe_async);
  g_test_add_func ("/boto/client-redirect/301-probe", test_301_probe);
  g_test_add_func ("/boto/client-redirect/301-probe-async", test_301_probe_async);
  g_test_add_func ("/boto/client-redirect/307-probe", test_307_probe);
  g_test_add_func ("/boto/client-redirect/307-probe-async", test_307_probe_async);
  g_test_add_func ("/boto/client-redirect/region-in-body", test_region_in_body);
  g_test_add_func ("/boto/client-redirect/region-in-body-async", test_region_in_body_async);
  g_test_add_func ("/boto/client-redirect/probe-says-nothing", test_probe_says_nothing);
  g_test_add_func ("/boto/client-redirect/probe-says-nothing-async", test_probe_says_nothing_async);

  ret = g_test_run ();

  test_server_stop (server.ts);
  g_ptr_array_unref (server.seen);
  g_mutex_clear (&server.lock);
  return ret;
}
