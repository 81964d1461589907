/* test-client-s3-listing.c: S3 listings asked with EncodingType=url, and
 * the response of a listing that fails, as bindings find it again
 *
 * boto3 asks S3 to url-encode the keys of a listing (so that keys with
 * characters XML cannot carry survive) and decodes them as Python's
 * unquote_plus does before the caller sees them.  A stand-in S3 on
 * 127.0.0.1 returns encoded keys; the client must return them decoded,
 * and leave a listing the caller asked to encode alone.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include <boto-glib/boto-glib.h>

#include "test-utils.h"

static const char listing[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
  "<Name>b</Name><Prefix>dir%2Fa+b</Prefix><KeyCount>4</KeyCount><MaxKeys>1000</MaxKeys>"
  "<EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>"
  "<Contents><Key>plain.txt</Key><Size>1</Size></Contents>"
  "<Contents><Key>a+b%2Bc.txt</Key><Size>2</Size></Contents>"
  "<Contents><Key>100%25+%zz</Key><Size>3</Size></Contents>"
  "<Contents><Key>caf%C3%A9%FF</Key><Size>4</Size></Contents>"
  "</ListBucketResult>";

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  static const char missing[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message>"
    "<BucketName>missing</BucketName></Error>";
  char **seen_encoding = user_data;

  if (g_str_has_prefix (path, "/missing"))
    {
      soup_message_headers_append (soup_server_message_get_response_headers (msg), "x-amz-request-id", "REQ1");
      soup_server_message_set_status (msg, 404, NULL);
      soup_server_message_set_response (msg, "application/xml", SOUP_MEMORY_STATIC, missing, strlen (missing));
      return;
    }
  g_free (*seen_encoding);
  *seen_encoding = g_strdup (query != NULL ? g_hash_table_lookup (query, "encoding-type") : NULL);
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/xml", SOUP_MEMORY_STATIC, listing, strlen (listing));
}

static GVariant *
list (BotoClient *s3,
      GVariant   *params)
{
  g_autoptr(GError) error = NULL;
  GVariant *result = boto_client_call (s3, "ListObjectsV2", params, NULL, &error);

  g_assert_no_error (error);
  return result;
}

static const char *
key_at (GVariant *result,
        gsize     index)
{
  g_autoptr(GVariant) contents = g_variant_lookup_value (result, "Contents", G_VARIANT_TYPE ("aa{sv}"));
  g_autoptr(GVariant) item = g_variant_get_child_value (contents, index);
  g_autoptr(GVariant) key = g_variant_lookup_value (item, "Key", G_VARIANT_TYPE_STRING);

  /* Borrowed from the result, which keeps its children alive. */
  return g_variant_get_string (key, NULL);
}

static void
test_decoded_as_boto3 (void)
{
  g_autofree char *seen_encoding = NULL;
  TestServer *server = test_server_start (handler, &seen_encoding);
  g_autoptr(BotoSession) session = boto_session_new ();
  g_autoptr(BotoClient) s3 = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GVariant) asked = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prefix = NULL;

  s3 = boto_session_create_client (session, "s3", test_server_get_url (server), NULL, &error);
  g_assert_no_error (error);

  /* Not asked by the caller: ours to decode, as botocore's unquote_plus. */
  result = list (s3, g_variant_new_parsed ("{'Bucket': <'b'>}"));
  g_assert_cmpstr (seen_encoding, ==, "url");
  g_assert_true (g_variant_lookup (result, "Prefix", "s", &prefix));
  g_assert_cmpstr (prefix, ==, "dir/a b");
  g_assert_cmpstr (key_at (result, 0), ==, "plain.txt");
  g_assert_cmpstr (key_at (result, 1), ==, "a b+c.txt");
  g_assert_cmpstr (key_at (result, 2), ==, "100% %zz");
  g_assert_cmpstr (key_at (result, 3), ==, "caf\xc3\xa9\xef\xbf\xbd");

  /* Asked by the caller: the keys stay as S3 sent them. */
  asked = list (s3, g_variant_new_parsed ("{'Bucket': <'b'>, 'EncodingType': <'url'>}"));
  g_assert_cmpstr (key_at (asked, 1), ==, "a+b%2Bc.txt");

  test_server_stop (server);
}

static gpointer
recent_in_other_thread (gpointer message)
{
  return boto_service_error_dup_recent_response (message);
}

/* A page that fails raises a GError whose response bindings cannot read;
 * they find it again by the message, in the thread that raised it. */
static void
test_recent_error_response (void)
{
  g_autofree char *seen_encoding = NULL;
  TestServer *server = test_server_start (handler, &seen_encoding);
  g_autoptr(BotoSession) session = boto_session_new ();
  g_autoptr(BotoClient) s3 = NULL;
  g_autoptr(BotoPaginator) paginator = NULL;
  g_autoptr(BotoPageIterator) pages = NULL;
  g_autoptr(GVariant) page = NULL;
  g_autoptr(GVariant) response = NULL;
  g_autoptr(GVariant) prefixed = NULL;
  g_autoptr(GVariant) error_dict = NULL;
  g_autoptr(GVariant) metadata = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *waiter_message = NULL;
  const char *code = NULL;
  const char *request_id = NULL;
  gint32 status = 0;
  GThread *other;

  s3 = boto_session_create_client (session, "s3", test_server_get_url (server), NULL, &error);
  g_assert_no_error (error);
  paginator = boto_client_get_paginator (s3, "ListObjectsV2", &error);
  g_assert_no_error (error);
  pages = boto_paginator_paginate (paginator, g_variant_new_parsed ("{'Bucket': <'missing'>}"), NULL);
  page = boto_page_iterator_next (pages, NULL, &error);
  g_assert_null (page);
  g_assert_error (error, BOTO_SERVICE_ERROR, BOTO_SERVICE_ERROR_CLIENT);

  response = boto_service_error_dup_recent_response (error->message);
  g_assert_nonnull (response);
  g_assert_true (g_variant_equal (response, boto_service_error_get_response (error)));
  error_dict = g_variant_lookup_value (response, "Error", G_VARIANT_TYPE_VARDICT);
  g_assert_true (g_variant_lookup (error_dict, "Code", "&s", &code));
  g_assert_cmpstr (code, ==, "NoSuchBucket");
  metadata = g_variant_lookup_value (response, "ResponseMetadata", G_VARIANT_TYPE_VARDICT);
  g_assert_true (g_variant_lookup (metadata, "HTTPStatusCode", "i", &status));
  g_assert_cmpint (status, ==, 404);
  g_assert_true (g_variant_lookup (metadata, "RequestId", "&s", &request_id));
  g_assert_cmpstr (request_id, ==, "REQ1");

  /* A prefix added on the way up (a waiter's) still finds it. */
  waiter_message = g_strdup_printf ("Waiter BucketExists failed: %s", error->message);
  prefixed = boto_service_error_dup_recent_response (waiter_message);
  g_assert_nonnull (prefixed);

  /* Another thread's errors are not this thread's; unknown messages find nothing. */
  other = g_thread_new ("other", recent_in_other_thread, error->message);
  g_assert_null (g_thread_join (other));
  g_assert_null (boto_service_error_dup_recent_response ("An error occurred (X) when calling the Y operation: Z"));

  test_server_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("AWS_ACCESS_KEY_ID", "testing", TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", "testing", TRUE);
  g_setenv ("AWS_DEFAULT_REGION", "us-east-1", TRUE);
  g_setenv ("AWS_CONFIG_FILE", "/nonexistent", TRUE);
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/boto/client/s3/listing-url-decoding", test_decoded_as_boto3);
  g_test_add_func ("/boto/client/s3/recent-error-response", test_recent_error_response);

  return g_test_run ();
}
