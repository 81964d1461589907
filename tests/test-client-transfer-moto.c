/* test-client-transfer-moto.c: presigned URLs and streamed S3 objects end to
 * end against moto on loopback
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <glib/gstdio.h>

#include <string.h>

#include <libsoup/soup.h>
#include <boto-glib/boto-glib.h>

#define MIB (1024 * 1024)

static BotoClient *
make_client (void)
{
  g_autoptr(BotoSession) session = boto_session_new ();
  g_autoptr(GError) error = NULL;
  BotoClient *client = boto_session_create_client (session, "s3", NULL, NULL, &error);

  g_assert_no_error (error);
  return client;
}

static void
create_bucket (BotoClient *client,
               const char *bucket)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = boto_client_call (client, "CreateBucket",
                                                 g_variant_new_parsed ("{'Bucket': <%s>}", bucket),
                                                 NULL, &error);

  g_assert_no_error (error);
}

static GVariant *
bucket_key (const char *bucket,
            const char *key)
{
  return g_variant_new_parsed ("{'Bucket': <%s>, 'Key': <%s>}", bucket, key);
}

static guint8
pattern_byte (gint64 i)
{
  return (guint8) ((i * 131 + (i >> 12)) & 0xFF);
}

static GBytes *
pattern_bytes (gsize len)
{
  guint8 *data = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    data[i] = pattern_byte (i);
  return g_bytes_new_take (data, len);
}

/* A stream that cannot seek (as a pipe), producing the pattern. */

#define TEST_TYPE_PATTERN_STREAM (test_pattern_stream_get_type ())
G_DECLARE_FINAL_TYPE (TestPatternStream, test_pattern_stream, TEST, PATTERN_STREAM, GInputStream)

struct _TestPatternStream
{
  GInputStream parent_instance;
  gint64       pos;
  gint64       length;
};

G_DEFINE_FINAL_TYPE (TestPatternStream, test_pattern_stream, G_TYPE_INPUT_STREAM)

static gssize
test_pattern_stream_read (GInputStream  *stream,
                          void          *buffer,
                          gsize          count,
                          GCancellable  *cancellable,
                          GError       **error)
{
  TestPatternStream *self = TEST_PATTERN_STREAM (stream);
  gsize n = MIN (MIN (count, (gsize) (self->length - self->pos)), 10000);

  for (gsize i = 0; i < n; i++)
    ((guint8 *) buffer)[i] = pattern_byte (self->pos + i);
  self->pos += n;
  return n;
}

static void
test_pattern_stream_class_init (TestPatternStreamClass *klass)
{
  G_INPUT_STREAM_CLASS (klass)->read_fn = test_pattern_stream_read;
}

static void
test_pattern_stream_init (TestPatternStream *self)
{
}

/* Reads @stream in chunks, checking each against the pattern. */
static gint64
check_stream_pattern (GInputStream *stream)
{
  g_autofree guint8 *buffer = g_malloc (65536);
  g_autoptr(GError) error = NULL;
  gint64 pos = 0;
  gssize n;

  while ((n = g_input_stream_read (stream, buffer, 65536, NULL, &error)) > 0)
    {
      for (gssize i = 0; i < n; i++)
        if (buffer[i] != pattern_byte (pos + i))
          g_error ("byte %" G_GINT64_FORMAT " differs", pos + i);
      pos += n;
    }
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 0);
  return pos;
}

static GBytes *
soup_fetch (const char  *method,
            const char  *url,
            GBytes      *body,
            guint       *out_status)
{
  g_autoptr(SoupSession) soup = soup_session_new ();
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  GBytes *result;

  g_assert_nonnull (message);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (message, "application/octet-stream", body);
  result = soup_session_send_and_read (soup, message, NULL, &error);
  g_assert_no_error (error);
  *out_status = soup_message_get_status (message);
  return result;
}

static void
test_presigned_get_put (void)
{
  g_autoptr(BotoClient) client = make_client ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GBytes) fetched = NULL;
  g_autoptr(GBytes) put_body = g_bytes_new_static ("uploaded without credentials", 28);
  g_autofree char *get_url = NULL;
  g_autofree char *put_url = NULL;
  GVariantDict dict;
  guint status = 0;

  create_bucket (client, "presign-bucket");
  g_variant_dict_init (&dict, bucket_key ("presign-bucket", "dir/hello world.txt"));
  g_variant_dict_insert_value (&dict, "Body", g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "presigned!", 10, 1));
  result = boto_client_call (client, "PutObject", g_variant_dict_end (&dict), NULL, &error);
  g_assert_no_error (error);

  get_url = boto_client_generate_presigned_url (client, "get_object",
                                                bucket_key ("presign-bucket", "dir/hello world.txt"),
                                                3600, &error);
  g_assert_no_error (error);
  g_test_message ("GET %s", get_url);
  g_assert_nonnull (strstr (get_url, "/presign-bucket/dir/hello%20world.txt?"));
  fetched = soup_fetch ("GET", get_url, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpmem (g_bytes_get_data (fetched, NULL), g_bytes_get_size (fetched), "presigned!", 10);

  /* A presigned PUT */
  put_url = boto_client_generate_presigned_url (client, "PutObject",
                                                bucket_key ("presign-bucket", "put.txt"), 60, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (put_url, "X-Amz-Expires=60"));
  g_clear_pointer (&fetched, g_bytes_unref);
  fetched = soup_fetch ("PUT", put_url, put_body, &status);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&result, g_variant_unref);
  result = boto_client_call (client, "GetObject", bucket_key ("presign-bucket", "put.txt"), NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GVariant) body = g_variant_lookup_value (result, "Body", G_VARIANT_TYPE_BYTESTRING);
    gsize len;
    const char *data = g_variant_get_fixed_array (body, &len, 1);

    g_assert_cmpmem (data, len, "uploaded without credentials", 28);
  }
}

static void
on_presigned (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* The async form loads credentials without blocking and reports bad
 * parameters through the callback. */
static void
test_presigned_async (void)
{
  g_autoptr(BotoClient) client = make_client ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GAsyncResult) async_result = NULL;
  g_autoptr(GBytes) fetched = NULL;
  g_autofree char *url = NULL;
  GVariantDict dict;
  guint status = 0;

  create_bucket (client, "presign-async");
  g_variant_dict_init (&dict, bucket_key ("presign-async", "k"));
  g_variant_dict_insert_value (&dict, "Body", g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "async", 5, 1));
  result = boto_client_call (client, "PutObject", g_variant_dict_end (&dict), NULL, &error);
  g_assert_no_error (error);

  boto_client_generate_presigned_url_async (client, "GetObject", bucket_key ("presign-async", "k"), 900,
                                            NULL, on_presigned, &async_result);
  while (async_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  url = boto_client_generate_presigned_url_finish (client, async_result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (url, "X-Amz-Expires=900"));
  fetched = soup_fetch ("GET", url, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpmem (g_bytes_get_data (fetched, NULL), g_bytes_get_size (fetched), "async", 5);

  g_clear_object (&async_result);
  boto_client_generate_presigned_url_async (client, "GetObject", bucket_key ("presign-async", "k"), 0,
                                            NULL, on_presigned, &async_result);
  while (async_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_clear_pointer (&url, g_free);
  url = boto_client_generate_presigned_url_finish (client, async_result, &error);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION);
  g_assert_null (url);
}

static void
test_stream_large_object (void)
{
  g_autoptr(BotoClient) client = make_client ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GBytes) payload = pattern_bytes (8 * MIB);
  g_autoptr(GInputStream) source = g_memory_input_stream_new_from_bytes (payload);
  g_autoptr(GInputStream) body = NULL;
  gint64 length = 0;

  create_bucket (client, "stream-bucket");
  /* seekable: checksum in a header, payload signed */
  result = boto_client_call_with_body (client, "PutObject", bucket_key ("stream-bucket", "eight"),
                                       source, 8 * MIB, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&result, g_variant_unref);

  result = boto_client_call_streaming (client, "GetObject", bucket_key ("stream-bucket", "eight"),
                                       &body, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (body);
  g_assert_false (g_variant_lookup (result, "Body", "*", NULL));
  g_assert_true (g_variant_lookup (result, "ContentLength", "x", &length));
  g_assert_cmpint (length, ==, 8 * MIB);
  g_assert_cmpint (check_stream_pattern (body), ==, 8 * MIB);
  g_input_stream_close (body, NULL, NULL);
}

static void
test_put_from_file (void)
{
  g_autoptr(BotoClient) client = make_client ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GBytes) payload = pattern_bytes (3 * MIB + 17);
  g_autoptr(GFileIOStream) io = NULL;
  g_autoptr(GFile) file = g_file_new_tmp ("boto-transfer-XXXXXX", &io, &error);
  g_autoptr(GInputStream) body = NULL;
  gint64 length = 0;

  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (io)),
                             g_bytes_get_data (payload, NULL), g_bytes_get_size (payload), NULL, NULL, &error);
  g_assert_no_error (error);
  g_io_stream_close (G_IO_STREAM (io), NULL, &error);
  g_assert_no_error (error);

  create_bucket (client, "file-bucket");
  result = boto_client_call_with_file (client, "PutObject", bucket_key ("file-bucket", "from-file"),
                                       file, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&result, g_variant_unref);

  result = boto_client_call_streaming (client, "GetObject", bucket_key ("file-bucket", "from-file"),
                                       &body, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_lookup (result, "ContentLength", "x", &length));
  g_assert_cmpint (length, ==, 3 * MIB + 17);
  g_assert_cmpint (check_stream_pattern (body), ==, 3 * MIB + 17);
  g_file_delete (file, NULL, NULL);
}

static void
test_put_nonseekable (void)
{
  g_autoptr(BotoClient) client = make_client ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GInputStream) source = g_object_new (TEST_TYPE_PATTERN_STREAM, NULL);
  g_autoptr(GInputStream) body = NULL;
  gint64 length = 0;

  TEST_PATTERN_STREAM (source)->length = 2 * MIB + 5;
  create_bucket (client, "pipe-bucket");
  /* aws-chunked with the CRC32 in a trailer */
  result = boto_client_call_with_body (client, "put_object", bucket_key ("pipe-bucket", "piped"),
                                       source, 2 * MIB + 5, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&result, g_variant_unref);

  result = boto_client_call_streaming (client, "GetObject", bucket_key ("pipe-bucket", "piped"),
                                       &body, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_lookup (result, "ContentLength", "x", &length));
  g_assert_cmpint (length, ==, 2 * MIB + 5);
  g_assert_cmpint (check_stream_pattern (body), ==, 2 * MIB + 5);
}

static void
test_checksum_roundtrip (void)
{
  g_autoptr(BotoClient) client = make_client ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GInputStream) body = NULL;
  const char *crc = NULL;
  GVariantDict dict;

  create_bucket (client, "crc-bucket");
  g_variant_dict_init (&dict, bucket_key ("crc-bucket", "hello"));
  g_variant_dict_insert_value (&dict, "Body", g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "hello", 5, 1));
  result = boto_client_call (client, "PutObject", g_variant_dict_end (&dict), NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&result, g_variant_unref);

  /* moto kept the CRC32 sent by default and returns it with ChecksumMode */
  result = boto_client_call_streaming (client, "GetObject", bucket_key ("crc-bucket", "hello"),
                                       &body, NULL, &error);
  g_assert_no_error (error);
  if (g_variant_lookup (result, "ChecksumCRC32", "&s", &crc))
    g_assert_cmpstr (crc, ==, "NhCmhg==");
  else
    g_test_message ("moto returned no ChecksumCRC32");
  {
    g_autoptr(GBytes) read = g_input_stream_read_bytes (body, 100, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpmem (g_bytes_get_data (read, NULL), g_bytes_get_size (read), "hello", 5);
  }
}

static void
on_streamed (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  GInputStream **out = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = boto_client_call_streaming_finish (BOTO_CLIENT (source), res, out, &error);

  g_assert_no_error (error);
  g_assert_nonnull (*out);
}

static void
test_stream_async (void)
{
  g_autoptr(BotoClient) client = make_client ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GBytes) payload = pattern_bytes (MIB);
  g_autoptr(GInputStream) body = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) read = NULL;
  GVariantDict dict;

  create_bucket (client, "async-stream-bucket");
  g_variant_dict_init (&dict, bucket_key ("async-stream-bucket", "one"));
  g_variant_dict_insert_value (&dict, "Body", g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING, payload, TRUE));
  result = boto_client_call (client, "PutObject", g_variant_dict_end (&dict), NULL, &error);
  g_assert_no_error (error);

  boto_client_call_streaming_async (client, "GetObject", bucket_key ("async-stream-bucket", "one"), NULL,
                                    on_streamed, &body);
  while (body == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_output_stream_splice (out, body, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);
  read = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  g_assert_true (g_bytes_equal (read, payload));
}

static void
on_async_result (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* upload_file and download_file as s3transfer does them: 20 MiB goes in
 * three parts (8 + 8 + 4 MiB) with CRC32 part checksums, a small file in
 * one PutObject; both come back byte for byte; a download that fails
 * leaves no file behind and the existing file untouched. */
static void
test_upload_download_file (void)
{
  g_autoptr(BotoClient) client = make_client ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) payload = pattern_bytes (20 * 1024 * 1024);
  g_autoptr(GBytes) small = pattern_bytes (1000);
  g_autofree char *dir = g_dir_make_tmp ("boto-transfer-XXXXXX", &error);
  g_autofree char *big_path = g_build_filename (dir, "big.bin", NULL);
  g_autofree char *small_path = g_build_filename (dir, "small.bin", NULL);
  g_autofree char *back_path = g_build_filename (dir, "back.bin", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GVariant) head = NULL;
  g_autoptr(GVariant) uploads = NULL;
  g_autoptr(GVariant) listed = NULL;
  const char *etag = NULL;
  gint64 length = 0;
  gsize size = 0;

  g_assert_no_error (error);
  create_bucket (client, "transfer-files");
  g_file_set_contents (big_path, g_bytes_get_data (payload, NULL), g_bytes_get_size (payload), &error);
  g_assert_no_error (error);
  g_file_set_contents (small_path, g_bytes_get_data (small, NULL), g_bytes_get_size (small), &error);
  g_assert_no_error (error);

  g_assert_true (boto_client_upload_file (client, big_path, "transfer-files", "big.bin",
                                          g_variant_new_parsed ("{'ContentType': <'application/x-test'>}"),
                                          NULL, &error));
  g_assert_no_error (error);
  head = boto_client_call (client, "HeadObject", bucket_key ("transfer-files", "big.bin"), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_lookup (head, "ContentLength", "x", &length));
  g_assert_cmpint (length, ==, 20 * 1024 * 1024);
  /* A multipart ETag ends with its number of parts. */
  g_assert_true (g_variant_lookup (head, "ETag", "&s", &etag));
  g_assert_true (g_str_has_suffix (etag, "-3\""));
  g_assert_true (g_variant_lookup (head, "ContentType", "&s", &etag));
  g_assert_cmpstr (etag, ==, "application/x-test");
  uploads = boto_client_call (client, "ListMultipartUploads",
                              g_variant_new_parsed ("{'Bucket': <'transfer-files'>}"), NULL, &error);
  g_assert_no_error (error);
  listed = g_variant_lookup_value (uploads, "Uploads", NULL);
  g_assert_true (listed == NULL || g_variant_n_children (listed) == 0);

  g_assert_true (boto_client_download_file (client, "transfer-files", "big.bin", back_path, NULL, NULL, &error));
  g_assert_no_error (error);
  g_file_get_contents (back_path, &contents, &size, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, size, g_bytes_get_data (payload, NULL), g_bytes_get_size (payload));
  g_clear_pointer (&contents, g_free);

  g_assert_true (boto_client_upload_file (client, small_path, "transfer-files", "small.bin", NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (boto_client_download_file (client, "transfer-files", "small.bin", back_path, NULL, NULL, &error));
  g_assert_no_error (error);
  g_file_get_contents (back_path, &contents, &size, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, size, g_bytes_get_data (small, NULL), g_bytes_get_size (small));

  /* A missing key: an error, the previous file kept, nothing left beside it. */
  g_assert_false (boto_client_download_file (client, "transfer-files", "missing", back_path, NULL, NULL, &error));
  g_assert_error (error, BOTO_SERVICE_ERROR, BOTO_SERVICE_ERROR_CLIENT);
  g_clear_error (&error);
  {
    g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
    const char *name;
    guint n = 0;

    while ((name = g_dir_read_name (listing)) != NULL)
      n++;
    g_assert_cmpuint (n, ==, 3);
  }
  g_assert_false (boto_client_upload_file (client, dir, "transfer-files", "dir", NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_clear_error (&error);
  g_assert_false (boto_client_upload_file (client, small_path, "transfer-files", "x",
                                           g_variant_new_parsed ("{'Key': <'y'>}"), NULL, &error));
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION);
  g_clear_error (&error);
  g_assert_false (boto_client_download_file (client, "transfer-files", "small.bin", back_path,
                                             g_variant_new_parsed ("[1]"), NULL, &error));
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION);
  g_clear_error (&error);

  /* The asynchronous forms, from a main loop. */
  {
    g_autoptr(GAsyncResult) up = NULL;
    g_autoptr(GAsyncResult) down = NULL;

    boto_client_upload_file_async (client, big_path, "transfer-files", "async.bin", NULL, NULL,
                                   on_async_result, &up);
    while (up == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_true (boto_client_upload_file_finish (client, up, &error));
    g_assert_no_error (error);
    boto_client_download_file_async (client, "transfer-files", "async.bin", back_path, NULL, NULL,
                                     on_async_result, &down);
    while (down == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_true (boto_client_download_file_finish (client, down, &error));
    g_assert_no_error (error);
    g_clear_pointer (&contents, g_free);
    g_file_get_contents (back_path, &contents, &size, &error);
    g_assert_no_error (error);
    g_assert_cmpmem (contents, size, g_bytes_get_data (payload, NULL), g_bytes_get_size (payload));
  }

  g_unlink (big_path);
  g_unlink (small_path);
  g_unlink (back_path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("AWS_ENDPOINT_URL") == NULL)
    {
      g_test_skip ("AWS_ENDPOINT_URL is not set (run under tests/moto-fixture.py)");
      return g_test_run ();
    }

  g_test_add_func ("/boto/client-transfer/moto/presigned-get-put", test_presigned_get_put);
  g_test_add_func ("/boto/client-transfer/moto/presigned-async", test_presigned_async);
  g_test_add_func ("/boto/client-transfer/moto/stream-8mib", test_stream_large_object);
  g_test_add_func ("/boto/client-transfer/moto/put-from-file", test_put_from_file);
  g_test_add_func ("/boto/client-transfer/moto/put-nonseekable", test_put_nonseekable);
  g_test_add_func ("/boto/client-transfer/moto/checksum-roundtrip", test_checksum_roundtrip);
  g_test_add_func ("/boto/client-transfer/moto/stream-async", test_stream_async);
  g_test_add_func ("/boto/client-transfer/moto/upload-download-file", test_upload_download_file);

  return g_test_run ();
}
