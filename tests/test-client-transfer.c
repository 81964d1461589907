/* test-client-transfer.c: BotoClient's streaming payloads, checksums, S3
 * region redirects and shared transport, against a SoupServer on 127.0.0.1
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <boto-glib/boto-glib.h>

#include "boto-client-private.h"
#include "boto-checksum-private.h"
#include "boto-protocol-parser-private.h"
#include "boto-session-private.h"
#include "test-utils.h"

/* The server: a thread with its own main context; the handler of the test
 * decides what to answer and records what came. */

typedef struct _Server Server;
typedef void (*Handler) (Server            *server,
                         SoupServerMessage *msg,
                         guint              n);

struct _Server
{
  TestServer         *ts;
  const char         *url;
  GMutex        lock;
  Handler       handler;
  gboolean      early_redirect;   /* answer 301 before reading the body */
  guint         early_answers;
  guint         requests;
  /* What the requests carried */
  GPtrArray    *authorizations;
  GPtrArray    *paths;
  GPtrArray    *bodies;       /* GBytes */
  GPtrArray    *headers;      /* SoupMessageHeaders */
  /* Test knobs */
  GBytes       *object;
  const char   *checksum;     /* x-amz-checksum-crc32 to answer with */
  /* Multipart uploads (multipart_handler) */
  GPtrArray    *held;         /* UploadPart answers held back */
  GSource      *release_timer;
  guint         hold_until;   /* released when this many are held */
  guint         max_held;
  guint         fail_part;    /* this part number is refused (0: none) */
  guint         completes;
  guint         aborts;
  GBytes       *complete_body;
};

static void
handler (SoupServer        *soup_server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Server *server = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  guint n;

  g_mutex_lock (&server->lock);
  n = server->requests++;
  g_ptr_array_add (server->authorizations, g_strdup (authorization != NULL ? authorization : ""));
  g_ptr_array_add (server->paths, g_strdup (path));
  g_ptr_array_add (server->bodies, g_bytes_ref (bytes));
  g_ptr_array_add (server->headers, g_boxed_copy (SOUP_TYPE_MESSAGE_HEADERS, headers));
  g_mutex_unlock (&server->lock);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "x-amz-request-id", "req-1");
  server->handler (server, msg, n);
}

/* Before the body: a request not signed for eu-west-1 is redirected there
 * (with Expect: 100-continue, its body is never sent). */
static void
early_handler (SoupServer        *soup_server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  Server *server = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  const char *xml = "<Error><Code>PermanentRedirect</Code><Message>elsewhere</Message></Error>";

  if (!server->early_redirect || (authorization != NULL && strstr (authorization, "/eu-west-1/") != NULL))
    return;
  g_mutex_lock (&server->lock);
  server->early_answers++;
  g_mutex_unlock (&server->lock);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "x-amz-bucket-region", "eu-west-1");
  /* The body is not read: the connection cannot carry another request. */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
  soup_server_message_set_status (msg, 301, NULL);
  soup_server_message_set_response (msg, "application/xml", SOUP_MEMORY_STATIC, xml, strlen (xml));
}

static Server *
server_start (Handler handler_func)
{
  Server *server = g_new0 (Server, 1);

  g_mutex_init (&server->lock);
  server->handler = handler_func;
  server->authorizations = g_ptr_array_new_with_free_func (g_free);
  server->paths = g_ptr_array_new_with_free_func (g_free);
  server->bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  server->headers = g_ptr_array_new_with_free_func ((GDestroyNotify) soup_message_headers_unref);
  server->ts = test_server_start_full (handler, early_handler, server);
  server->url = test_server_get_url (server->ts);
  return server;
}

static void
server_stop (Server *server)
{
  test_server_stop (server->ts);
  g_mutex_clear (&server->lock);
  g_ptr_array_unref (server->authorizations);
  g_ptr_array_unref (server->paths);
  g_ptr_array_unref (server->bodies);
  g_ptr_array_unref (server->headers);
  g_clear_pointer (&server->object, g_bytes_unref);
  g_clear_pointer (&server->held, g_ptr_array_unref);
  g_clear_pointer (&server->complete_body, g_bytes_unref);
  g_free (server);
}

static void
set_env (void)
{
  g_setenv ("AWS_ACCESS_KEY_ID", "testing", TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", "testing", TRUE);
  g_setenv ("AWS_DEFAULT_REGION", "us-east-1", TRUE);
  g_unsetenv ("AWS_ENDPOINT_URL");
  g_setenv ("AWS_CONFIG_FILE", "/nonexistent", TRUE);
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent", TRUE);
}

static gint64
no_backoff (guint    attempt,
            gint64   computed_usec,
            gpointer user_data)
{
  return 0;
}

static BotoClient *
make_s3_client (Server *server)
{
  g_autoptr(BotoSession) session = boto_session_new ();
  g_autoptr(GError) error = NULL;
  BotoClient *client;

  client = boto_session_create_client (session, "s3", server != NULL ? server->url : NULL, NULL, &error);
  g_assert_no_error (error);
  boto_client_set_backoff_func_for_testing (client, no_backoff, NULL);
  return client;
}

static GVariant *
bucket_key (const char *bucket,
            const char *key)
{
  return g_variant_new_parsed ("{'Bucket': <%s>, 'Key': <%s>}", bucket, key);
}

/* The deterministic content of the test objects. */
static guint8
pattern_byte (gint64 i)
{
  return (guint8) ((i * 31 + (i >> 10)) & 0xFF);
}

static GBytes *
pattern_bytes (gsize len)
{
  guint8 *data = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    data[i] = pattern_byte (i);
  return g_bytes_new_take (data, len);
}

/* A stream that cannot seek, producing pattern bytes. */

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
  gsize n = MIN (count, (gsize) (self->length - self->pos));

  /* Small, uneven reads, as from a pipe. */
  n = MIN (n, 7000);
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

static GInputStream *
pattern_stream_new (gint64 length)
{
  TestPatternStream *self = g_object_new (TEST_TYPE_PATTERN_STREAM, NULL);

  self->length = length;
  return G_INPUT_STREAM (self);
}

static void
answer_xml (SoupServerMessage *msg,
            guint              status,
            const char        *xml)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/xml", SOUP_MEMORY_COPY, xml, strlen (xml));
}

/* Multipart uploads: the parts are in flight at once */

/* Answers the held UploadParts (their answers were set when they came);
 * in the server's thread, the lock taken. */
static void
release_held (Server *server)
{
  for (guint i = 0; i < server->held->len; i++)
    soup_server_message_unpause (server->held->pdata[i]);
  g_ptr_array_set_size (server->held, 0);
  server->hold_until = 0;
  if (server->release_timer != NULL)
    {
      g_source_destroy (server->release_timer);
      g_clear_pointer (&server->release_timer, g_source_unref);
    }
}

static gboolean
release_held_timeout (gpointer user_data)
{
  Server *server = user_data;

  g_mutex_lock (&server->lock);
  release_held (server);
  g_mutex_unlock (&server->lock);
  return G_SOURCE_REMOVE;
}

/* Holds @msg's answer back while fewer than @hold_until are held (or for
 * 5 seconds, so a client that sends one request at a time is slow, not
 * stuck); the lock taken. */
static void
hold_answer (Server            *server,
             SoupServerMessage *msg)
{
  if (server->hold_until == 0)
    return;
  if (server->held->len == 0)
    {
      /* On the server thread's context, not the default one. */
      server->release_timer = g_timeout_source_new_seconds (5);
      g_source_set_callback (server->release_timer, release_held_timeout, server, NULL);
      g_source_attach (server->release_timer, g_main_context_get_thread_default ());
    }
  soup_server_message_pause (msg);
  g_ptr_array_add (server->held, msg);
  server->max_held = MAX (server->max_held, server->held->len);
  if (server->held->len >= server->hold_until)
    release_held (server);
}

/* CreateMultipartUpload, UploadPart (held back, hold_answer ()),
 * CompleteMultipartUpload, AbortMultipartUpload. */
static void
multipart_handler (Server            *server,
                   SoupServerMessage *msg,
                   guint              n)
{
  const char *method = soup_server_message_get_method (msg);
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_auto(GStrv) fields = g_strsplit (query != NULL ? query : "", "&", -1);
  g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *part;

  /* `?uploads` has no value, which soup_form_decode () drops. */
  for (guint i = 0; fields[i] != NULL; i++)
    {
      const char *equals = strchr (fields[i], '=');

      if (equals != NULL)
        g_hash_table_insert (params, g_strndup (fields[i], equals - fields[i]), g_strdup (equals + 1));
      else if (fields[i][0] != '\0')
        g_hash_table_insert (params, g_strdup (fields[i]), g_strdup (""));
    }
  part = g_hash_table_lookup (params, "partNumber");

  g_mutex_lock (&server->lock);
  if (strcmp (method, "POST") == 0 && g_hash_table_contains (params, "uploads"))
    answer_xml (msg, 200, "<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key>"
                          "<UploadId>up-1</UploadId></InitiateMultipartUploadResult>");
  else if (strcmp (method, "PUT") == 0 && part != NULL)
    {
      guint number = (guint) g_ascii_strtoull (part, NULL, 10);
      g_autofree char *etag = g_strdup_printf ("\"etag-%u\"", number);

      if (number == server->fail_part)
        {
          answer_xml (msg, 403, "<Error><Code>AccessDenied</Code><Message>no part for you</Message></Error>");
          release_held (server);
        }
      else
        {
          soup_message_headers_replace (soup_server_message_get_response_headers (msg), "ETag", etag);
          soup_server_message_set_status (msg, 200, NULL);
          hold_answer (server, msg);
        }
    }
  else if (strcmp (method, "POST") == 0 && g_hash_table_contains (params, "uploadId"))
    {
      server->completes++;
      g_clear_pointer (&server->complete_body, g_bytes_unref);
      server->complete_body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
      answer_xml (msg, 200, "<CompleteMultipartUploadResult><Bucket>b</Bucket><Key>k</Key>"
                            "<ETag>\"whole-3\"</ETag></CompleteMultipartUploadResult>");
    }
  else if (strcmp (method, "DELETE") == 0 && g_hash_table_contains (params, "uploadId"))
    {
      server->aborts++;
      soup_server_message_set_status (msg, 204, NULL);
    }
  else
    answer_xml (msg, 400, "<Error><Code>Unexpected</Code><Message>not a multipart request</Message></Error>");
  g_mutex_unlock (&server->lock);
}

/* A 20 MiB file: parts of 8, 8 and 4 MiB. */
static char *
multipart_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) content = pattern_bytes (20 * 1024 * 1024);
  char *path = NULL;
  int fd = g_file_open_tmp ("boto-multipart-XXXXXX", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, g_bytes_get_data (content, NULL), g_bytes_get_size (content), &error);
  g_assert_no_error (error);
  return path;
}

static void
test_multipart_parallel (void)
{
  Server *server = server_start (multipart_handler);
  g_autoptr(BotoClient) client = make_s3_client (server);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = multipart_file ();
  g_autofree char *complete = NULL;
  guint parts = 0;
  gboolean ok;

  server->held = g_ptr_array_new ();
  server->hold_until = 3;
  ok = boto_client_upload_file (client, path, "b", "k", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);

  /* All three parts were in flight together. */
  g_assert_cmpuint (server->max_held, ==, 3);
  for (guint i = 0; i < server->paths->len; i++)
    {
      SoupMessageHeaders *headers = server->headers->pdata[i];
      const char *decoded = soup_message_headers_get_one (headers, "x-amz-decoded-content-length");
      gsize length = decoded != NULL ? g_ascii_strtoull (decoded, NULL, 10)
                                     : g_bytes_get_size (server->bodies->pdata[i]);

      if (length >= 4 * 1024 * 1024)
        {
          g_assert_true (length == 8 * 1024 * 1024 || length == 4 * 1024 * 1024);
          parts++;
        }
    }
  g_assert_cmpuint (parts, ==, 3);
  /* Completed once, the parts in their order whatever order they ended in. */
  g_assert_cmpuint (server->completes, ==, 1);
  g_assert_cmpuint (server->aborts, ==, 0);
  complete = g_strndup (g_bytes_get_data (server->complete_body, NULL), g_bytes_get_size (server->complete_body));
  g_assert_nonnull (strstr (complete, "<Part><ETag>\"etag-1\"</ETag><PartNumber>1</PartNumber></Part>"));
  g_assert_cmpint (strstr (complete, "etag-1") - complete, <, strstr (complete, "etag-2") - complete);
  g_assert_cmpint (strstr (complete, "etag-2") - complete, <, strstr (complete, "etag-3") - complete);

  g_unlink (path);
  server_stop (server);
}

/* One part refused: the upload fails with that error, the other parts
 * stop, nothing is completed and the upload is aborted once. */
static void
test_multipart_part_fails (void)
{
  Server *server = server_start (multipart_handler);
  g_autoptr(BotoClient) client = make_s3_client (server);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = multipart_file ();
  gboolean ok;

  server->held = g_ptr_array_new ();
  server->hold_until = 3;
  server->fail_part = 2;
  ok = boto_client_upload_file (client, path, "b", "k", NULL, NULL, &error);
  g_assert_false (ok);
  g_assert_error (error, BOTO_SERVICE_ERROR, BOTO_SERVICE_ERROR_CLIENT);
  g_assert_cmpstr (boto_service_error_get_code (error), ==, "AccessDenied");
  g_assert_cmpuint (server->completes, ==, 0);
  g_assert_cmpuint (server->aborts, ==, 1);

  g_unlink (path);
  server_stop (server);
}

/* Downloads: HeadObject, then ranged GETs in flight at once */

static GPtrArray *if_matches;   /* the IfMatch of each ranged GET */

static void
ranged_handler (Server            *server,
                SoupServerMessage *msg,
                guint              n)
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  gsize total = g_bytes_get_size (server->object);
  const guint8 *data = g_bytes_get_data (server->object, NULL);
  SoupRange *ranges = NULL;
  int n_ranges = 0;

  g_mutex_lock (&server->lock);
  soup_message_headers_replace (response, "ETag", "\"obj-1\"");
  if (strcmp (soup_server_message_get_method (msg), "HEAD") == 0)
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_STATIC, (const char *) data, total);
    }
  else if (soup_message_headers_get_ranges (request, total, &ranges, &n_ranges) && n_ranges == 1)
    {
      guint part = (guint) (ranges[0].start / (8 * 1024 * 1024)) + 1;
      const char *if_match = soup_message_headers_get_one (request, "If-Match");

      g_ptr_array_add (if_matches, g_strdup (if_match != NULL ? if_match : ""));
      if (part == server->fail_part)
        {
          answer_xml (msg, 412, "<Error><Code>PreconditionFailed</Code><Message>changed</Message></Error>");
          release_held (server);
        }
      else
        {
          soup_server_message_set_status (msg, 206, NULL);
          soup_message_headers_set_content_range (response, ranges[0].start, ranges[0].end, total);
          soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_STATIC,
                                            (const char *) data + ranges[0].start,
                                            ranges[0].end - ranges[0].start + 1);
          hold_answer (server, msg);
        }
      soup_message_headers_free_ranges (request, ranges);
    }
  else
    answer_xml (msg, 400, "<Error><Code>Unexpected</Code><Message>not a ranged GET</Message></Error>");
  g_mutex_unlock (&server->lock);
}

static void
test_download_ranges (void)
{
  Server *server = server_start (ranged_handler);
  g_autoptr(BotoClient) client = make_s3_client (server);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("boto-download-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "object.bin", NULL);
  g_autofree char *contents = NULL;
  gsize size = 0;
  guint n_files = 0;

  g_assert_no_error (error);
  if_matches = g_ptr_array_new_with_free_func (g_free);
  server->object = pattern_bytes (20 * 1024 * 1024 + 5);
  server->held = g_ptr_array_new ();
  server->hold_until = 3;
  g_assert_true (boto_client_download_file (client, "b", "k", path, NULL, NULL, &error));
  g_assert_no_error (error);

  /* HEAD, then the three ranges together, each asking for the ETag seen. */
  g_assert_cmpuint (server->max_held, ==, 3);
  g_assert_cmpuint (if_matches->len, ==, 3);
  for (guint i = 0; i < if_matches->len; i++)
    g_assert_cmpstr (if_matches->pdata[i], ==, "\"obj-1\"");
  g_file_get_contents (path, &contents, &size, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, size, g_bytes_get_data (server->object, NULL), g_bytes_get_size (server->object));

  /* The object changed under the second range: an error, the file as it
   * was, nothing left beside it. */
  g_ptr_array_set_size (if_matches, 0);
  server->hold_until = 3;
  server->fail_part = 2;
  g_assert_false (boto_client_download_file (client, "b", "k", path, NULL, NULL, &error));
  g_assert_error (error, BOTO_SERVICE_ERROR, BOTO_SERVICE_ERROR_CLIENT);
  g_assert_cmpstr (boto_service_error_get_code (error), ==, "PreconditionFailed");
  g_clear_pointer (&contents, g_free);
  g_file_get_contents (path, &contents, &size, NULL);
  g_assert_cmpuint (size, ==, g_bytes_get_size (server->object));
  {
    g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);

    while (g_dir_read_name (listing) != NULL)
      n_files++;
  }
  g_assert_cmpuint (n_files, ==, 1);

  g_unlink (path);
  g_rmdir (dir);
  g_clear_pointer (&if_matches, g_ptr_array_unref);
  server_stop (server);
}

/* Checksums */

static void
test_checksum_values (void)
{
  g_autoptr(GBytes) hello = g_bytes_new_static ("hello", 5);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) digits = g_bytes_new_static ("123456789", 9);
  struct { BotoChecksumAlgorithm algorithm; GBytes *data; const char *expected; } cases[] = {
    /* CRC32 of "hello" is 0x3610a686, CRC32C of "123456789" 0xe3069283 */
    { BOTO_CHECKSUM_CRC32, hello, "NhCmhg==" },
    { BOTO_CHECKSUM_CRC32, empty, "AAAAAA==" },
    { BOTO_CHECKSUM_CRC32, digits, "y/Q5Jg==" },
    { BOTO_CHECKSUM_CRC32C, digits, "4waSgw==" },
    { BOTO_CHECKSUM_SHA1, hello, "qvTGHdzF6KLavt4PO0gs2a6pQ00=" },
    { BOTO_CHECKSUM_SHA256, hello, "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=" },
    { BOTO_CHECKSUM_MD5, hello, "XUFAKrxLKna5cZ2REBfFkg==" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *actual = boto_checksum_compute_base64 (cases[i].algorithm, cases[i].data);

      g_assert_cmpstr (actual, ==, cases[i].expected);
      g_assert_cmpuint (strlen (actual), ==, boto_checksum_algorithm_get_b64_len (cases[i].algorithm));
    }
}

/* Decodes an aws-chunked body; returns the payload and the trailer line. */
static GBytes *
decode_aws_chunked (GBytes  *encoded,
                    char   **out_trailer)
{
  gsize len;
  const char *p = g_bytes_get_data (encoded, &len);
  const char *end = p + len;
  GByteArray *out = g_byte_array_new ();

  for (;;)
    {
      const char *eol = g_strstr_len (p, end - p, "\r\n");
      guint64 size;

      g_assert_nonnull (eol);
      size = g_ascii_strtoull (p, NULL, 16);
      p = eol + 2;
      if (size == 0)
        break;
      g_assert_cmpint (end - p, >=, (gssize) size + 2);
      g_byte_array_append (out, (const guint8 *) p, size);
      p += size;
      g_assert_true (p[0] == '\r' && p[1] == '\n');
      p += 2;
    }
  /* trailer CRLF CRLF */
  g_assert_true (end - p >= 4);
  g_assert_true (memcmp (end - 4, "\r\n\r\n", 4) == 0);
  *out_trailer = g_strndup (p, end - p - 4);
  return g_byte_array_free_to_bytes (out);
}

static void
test_aws_chunked_stream (void)
{
  g_autoptr(GBytes) payload = pattern_bytes (70000);
  g_autoptr(GInputStream) base = g_memory_input_stream_new_from_bytes (payload);
  g_autoptr(GInputStream) chunked = boto_aws_chunked_input_stream_new (base, 70000, BOTO_CHECKSUM_CRC32, 16384);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) encoded = NULL;
  g_autoptr(GBytes) decoded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *trailer = NULL;
  g_autofree char *crc = boto_checksum_compute_base64 (BOTO_CHECKSUM_CRC32, payload);
  g_autofree char *expected = g_strconcat ("x-amz-checksum-crc32:", crc, NULL);

  g_output_stream_splice (out, chunked, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);
  encoded = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  g_assert_cmpint (g_bytes_get_size (encoded), ==,
                   boto_aws_chunked_encoded_length (70000, BOTO_CHECKSUM_CRC32, 16384));
  decoded = decode_aws_chunked (encoded, &trailer);
  g_assert_true (g_bytes_equal (decoded, payload));
  g_assert_cmpstr (trailer, ==, expected);

  /* Empty payload: only the final chunk and the trailer. */
  {
    g_autoptr(GInputStream) empty = g_memory_input_stream_new ();
    g_autoptr(GInputStream) chunked_empty = boto_aws_chunked_input_stream_new (empty, 0, BOTO_CHECKSUM_SHA256, 16384);
    g_autoptr(GOutputStream) out2 = g_memory_output_stream_new_resizable ();
    g_autoptr(GBytes) encoded2 = NULL;

    g_output_stream_splice (out2, chunked_empty, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
    g_assert_no_error (error);
    encoded2 = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out2));
    g_assert_cmpint (g_bytes_get_size (encoded2), ==,
                     boto_aws_chunked_encoded_length (0, BOTO_CHECKSUM_SHA256, 16384));
  }
}

/* Request checksums and bodies */

static void
store_handler (Server            *server,
               SoupServerMessage *msg,
               guint              n)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "ETag", "\"e\"");
  soup_server_message_set_status (msg, 200, NULL);
}

static const char *
request_header (Server     *server,
                guint       i,
                const char *name)
{
  return soup_message_headers_get_one (g_ptr_array_index (server->headers, i), name);
}

/* base64 of the MD5 of @body, computed with GChecksum. */
static const char *
expected_md5 (GBytes *body)
{
  static char text[32];
  guint8 digest[16];
  gsize length = sizeof digest;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);
  g_autofree char *encoded = NULL;

  g_checksum_update (checksum, g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_checksum_get_digest (checksum, digest, &length);
  encoded = g_base64_encode (digest, length);
  g_strlcpy (text, encoded, sizeof text);
  return text;
}

/* The C side of tests/test_presign.py (which compares the strings with
 * boto3's): the shapes of a presigned POST and of database tokens, and
 * their errors. */
static void
test_presigned_post_and_tokens (void)
{
  g_autoptr(BotoSession) session = g_object_new (BOTO_TYPE_SESSION, "region-name", "us-west-2", NULL);
  g_autoptr(BotoClient) s3 = boto_session_create_client (session, "s3", NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) post = NULL;
  g_autoptr(GVariant) fields = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *policy = NULL;
  g_autofree guchar *decoded = NULL;
  const char *encoded = NULL;
  gsize length = 0;
  const char *order[] = { "acl", "key", "x-amz-algorithm", "x-amz-credential", "x-amz-date", "policy",
                          "x-amz-signature" };

  post = boto_client_generate_presigned_post (s3, "my-bucket", "up/${filename}",
                                              g_variant_new_parsed ("{'acl': 'public-read'}"),
                                              g_variant_new_parsed ("[<{'acl': 'public-read'}>, "
                                                                    "<('content-length-range', 1, 10)>]"),
                                              600, &error);
  /* A tuple is no JSON value. */
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION);
  g_assert_null (post);
  g_clear_error (&error);

  post = boto_client_generate_presigned_post (s3, "my-bucket", "up/${filename}",
                                              g_variant_new_parsed ("{'acl': 'public-read'}"),
                                              g_variant_new_parsed ("[<{'acl': 'public-read'}>, "
                                                                    "<[<'content-length-range'>, <1>, <10>]>]"),
                                              600, &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_lookup (post, "url", "s", &url));
  g_assert_cmpstr (url, ==, "https://my-bucket.s3.amazonaws.com/");
  fields = g_variant_lookup_value (post, "fields", G_VARIANT_TYPE ("a{ss}"));
  g_assert_nonnull (fields);
  g_assert_cmpuint (g_variant_n_children (fields), ==, G_N_ELEMENTS (order));
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      const char *name = NULL;

      g_variant_get_child (fields, i, "{&s&s}", &name, NULL);
      g_assert_cmpstr (name, ==, order[i]);
    }
  g_assert_true (g_variant_lookup (fields, "policy", "&s", &encoded));
  decoded = g_base64_decode (encoded, &length);
  policy = g_strndup ((const char *) decoded, length);
  g_assert_true (g_str_has_prefix (policy, "{\"expiration\": \""));
  g_assert_nonnull (strstr (policy, "\"conditions\": [{\"acl\": \"public-read\"}, "
                                    "[\"content-length-range\", 1, 10], {\"bucket\": \"my-bucket\"}, "
                                    "[\"starts-with\", \"$key\", \"up/\"], "
                                    "{\"x-amz-algorithm\": \"AWS4-HMAC-SHA256\"}, "));

  /* Database tokens belong to their services' clients. */
  token = boto_client_generate_db_auth_token (s3, "db.example", 5432, "u", NULL, &error);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED);
  g_assert_null (token);
  g_clear_error (&error);
  if (g_getenv ("AWS_DATA_PATH") != NULL)
    {
      g_autoptr(BotoClient) rds = boto_session_create_client (session, "rds", NULL, NULL, &error);

      g_assert_no_error (error);
      token = boto_client_generate_db_auth_token (rds, "db.example", 5432, "jane", "eu-west-1", &error);
      g_assert_no_error (error);
      g_assert_true (g_str_has_prefix (token, "db.example:5432/?Action=connect&DBUser=jane&X-Amz-Algorithm="));
      g_assert_nonnull (strstr (token, "%2Feu-west-1%2Frds-db%2Faws4_request&"));
      g_assert_nonnull (strstr (token, "&X-Amz-Expires=900&"));
      g_clear_pointer (&token, g_free);
      token = boto_client_generate_db_auth_token (rds, "db.example/x", 5432, "jane", NULL, &error);
      g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION);
      g_clear_error (&error);
    }
  else
    g_test_message ("BOTO_BOTOCORE_DATA not set: the rds model is not at hand");
}

/* Glacier hashes a streamed archive as botocore hashes a file: read once
 * for its SHA-256 and tree hash (2.5 MiB: three leaves, two levels; the
 * values are botocore's calculate_tree_hash and hashlib's on the same
 * bytes), then sent from its start. A stream that cannot seek is refused
 * before anything is sent. */
static void
test_glacier_stream_hashes (void)
{
  Server *server = server_start (store_handler);
  g_autoptr(BotoSession) session = boto_session_new ();
  g_autoptr(BotoClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GBytes) payload = pattern_bytes (2 * 1024 * 1024 + 512 * 1024 + 7);
  g_autoptr(GInputStream) seekable = g_memory_input_stream_new_from_bytes (payload);
  g_autoptr(GInputStream) one_pass = pattern_stream_new (g_bytes_get_size (payload));
  const char *tree = "5eeecb48108de001f13e06cf404ca2037e5043c033d604bec68fef56723249d5";
  const char *sha256 = "63f16b273f4d862a2be37e6e0a7f8a5fd5c183b45c9cc834ffa4811f5fc5ce70";

  client = boto_session_create_client (session, "glacier", server->url, NULL, &error);
  g_assert_no_error (error);
  result = boto_client_call_with_body (client, "UploadArchive", g_variant_new_parsed ("{'vaultName': <'v'>}"),
                                       seekable, g_bytes_get_size (payload), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (server->requests, ==, 1);
  g_assert_cmpstr (request_header (server, 0, "x-amz-sha256-tree-hash"), ==, tree);
  g_assert_cmpstr (request_header (server, 0, "x-amz-content-sha256"), ==, sha256);
  g_assert_true (g_bytes_equal (g_ptr_array_index (server->bodies, 0), payload));
  g_assert_cmpstr (g_ptr_array_index (server->paths, 0), ==, "/-/vaults/v/archives");

  /* The same bytes as a GBytes parameter: the same hashes. */
  g_clear_pointer (&result, g_variant_unref);
  result = boto_client_call (client, "UploadArchive",
                             g_variant_new_parsed ("{'vaultName': <'v'>, 'body': <%@ay>}",
                                                   g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING, payload, TRUE)),
                             NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (request_header (server, 1, "x-amz-sha256-tree-hash"), ==, tree);
  g_assert_cmpstr (request_header (server, 1, "x-amz-content-sha256"), ==, sha256);

  g_clear_pointer (&result, g_variant_unref);
  result = boto_client_call_with_body (client, "UploadArchive", g_variant_new_parsed ("{'vaultName': <'v'>}"),
                                       one_pass, g_bytes_get_size (payload), NULL, &error);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION);
  g_assert_nonnull (strstr (error->message, "seek"));
  g_assert_cmpuint (server->requests, ==, 2);
  server_stop (server);
}

static void
test_put_bytes_checksum (void)
{
  Server *server = server_start (store_handler);
  g_autoptr(BotoClient) client = make_s3_client (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  GVariantDict dict;

  g_variant_dict_init (&dict, bucket_key ("bucket", "hello.txt"));
  g_variant_dict_insert_value (&dict, "Body", g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "hello", 5, 1));
  result = boto_client_call (client, "PutObject", g_variant_dict_end (&dict), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (server->requests, ==, 1);
  /* botocore 1.44.8: a CRC32 header and the algorithm header */
  g_assert_cmpstr (request_header (server, 0, "x-amz-checksum-crc32"), ==, "NhCmhg==");
  g_assert_cmpstr (request_header (server, 0, "x-amz-sdk-checksum-algorithm"), ==, "CRC32");
  g_assert_nonnull (strstr (g_ptr_array_index (server->authorizations, 0), "x-amz-checksum-crc32"));

  /* A chosen algorithm */
  g_variant_dict_init (&dict, bucket_key ("bucket", "hello.txt"));
  g_variant_dict_insert_value (&dict, "Body", g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "hello", 5, 1));
  g_variant_dict_insert (&dict, "ChecksumAlgorithm", "s", "SHA256");
  g_clear_pointer (&result, g_variant_unref);
  result = boto_client_call (client, "PutObject", g_variant_dict_end (&dict), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (request_header (server, 1, "x-amz-checksum-sha256"), ==,
                   "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=");
  g_assert_null (request_header (server, 1, "x-amz-checksum-crc32"));

  /* A checksum the caller computed is sent as it is */
  g_variant_dict_init (&dict, bucket_key ("bucket", "hello.txt"));
  g_variant_dict_insert_value (&dict, "Body", g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "hello", 5, 1));
  g_variant_dict_insert (&dict, "ChecksumCRC32", "s", "NhCmhg==");
  g_clear_pointer (&result, g_variant_unref);
  result = boto_client_call (client, "PutObject", g_variant_dict_end (&dict), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (request_header (server, 2, "x-amz-checksum-crc32"), ==, "NhCmhg==");

  /* An unsupported algorithm is refused before sending */
  g_variant_dict_init (&dict, bucket_key ("bucket", "hello.txt"));
  g_variant_dict_insert (&dict, "ChecksumAlgorithm", "s", "CRC64NVME");
  g_clear_pointer (&result, g_variant_unref);
  result = boto_client_call (client, "PutObject", g_variant_dict_end (&dict), NULL, &error);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_CHECKSUM_MISMATCH);
  g_assert_null (result);
  g_assert_cmpuint (server->requests, ==, 3);
  g_clear_error (&error);

  /* request_checksum_calculation = when_required: none for PutObject,
   * still one for DeleteObjects (requestChecksumRequired) */
  {
    g_autoptr(BotoSession) session = boto_session_new ();
    g_autoptr(BotoConfig) config = boto_config_new (g_variant_new_parsed ("{'request_checksum_calculation': <'when_required'>}"),
                                                    &error);
    g_autoptr(BotoClient) lazy = NULL;

    g_assert_no_error (error);
    lazy = boto_session_create_client (session, "s3", server->url, config, &error);
    g_assert_no_error (error);
    g_clear_pointer (&result, g_variant_unref);
    result = boto_client_call (lazy, "PutObject", bucket_key ("bucket", "k"), NULL, &error);
    g_assert_no_error (error);
    g_assert_null (request_header (server, 3, "x-amz-checksum-crc32"));
    g_clear_pointer (&result, g_variant_unref);
    result = boto_client_call (lazy, "DeleteObjects",
                               g_variant_new_parsed ("{'Bucket': <'bucket'>, 'Delete': <{'Objects': <[{'Key': <'k'>}]>}>}"),
                               NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (request_header (server, 4, "x-amz-checksum-crc32"));
    /* The model requires a checksum: Content-MD5 goes with the CRC32 */
    g_assert_cmpstr (request_header (server, 4, "Content-MD5"), ==,
                     expected_md5 (g_ptr_array_index (server->bodies, 4)));

    /* Not when the caller chose an algorithm or gave the MD5 itself */
    g_clear_pointer (&result, g_variant_unref);
    result = boto_client_call (lazy, "DeleteObjects",
                               g_variant_new_parsed ("{'Bucket': <'bucket'>, 'ChecksumAlgorithm': <'SHA256'>,"
                                                     " 'Delete': <{'Objects': <[{'Key': <'k'>}]>}>}"),
                               NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (request_header (server, 5, "x-amz-checksum-sha256"));
    g_assert_null (request_header (server, 5, "Content-MD5"));
    g_clear_pointer (&result, g_variant_unref);
    result = boto_client_call (lazy, "PutBucketTagging",
                               g_variant_new_parsed ("{'Bucket': <'bucket'>, 'ContentMD5': <'bm90IGNoZWNrZWQgaGVyZQ=='>,"
                                                     " 'Tagging': <{'TagSet': <[{'Key': <'a'>, 'Value': <'b'>}]>}>}"),
                               NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (request_header (server, 6, "Content-MD5"), ==, "bm90IGNoZWNrZWQgaGVyZQ==");
  }
  /* PutObject does not require one: no MD5 */
  g_assert_null (request_header (server, 0, "Content-MD5"));

  server_stop (server);
}

static void
test_put_seekable_stream (void)
{
  Server *server = server_start (store_handler);
  g_autoptr(BotoClient) client = make_s3_client (server);
  g_autoptr(GBytes) payload = pattern_bytes (300000);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (payload);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autofree char *crc = boto_checksum_compute_base64 (BOTO_CHECKSUM_CRC32, payload);
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, payload);

  /* Start in the middle: the body is what follows the current position. */
  g_seekable_seek (G_SEEKABLE (stream), 0, G_SEEK_SET, NULL, &error);
  g_assert_no_error (error);
  result = boto_client_call_with_body (client, "PutObject", bucket_key ("bucket", "big"),
                                       stream, 300000, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpuint (server->requests, ==, 1);
  g_assert_true (g_bytes_equal (g_ptr_array_index (server->bodies, 0), payload));
  /* Over HTTP: the checksum in a header and the payload signed */
  g_assert_cmpstr (request_header (server, 0, "x-amz-checksum-crc32"), ==, crc);
  g_assert_cmpstr (request_header (server, 0, "x-amz-content-sha256"), ==, sha256);
  g_assert_null (request_header (server, 0, "Content-Encoding"));

  /* Not a streaming operation */
  g_clear_pointer (&result, g_variant_unref);
  result = boto_client_call_with_body (client, "ListObjectsV2", g_variant_new_parsed ("{'Bucket': <'b'>}"),
                                       stream, 1, NULL, &error);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION);
  g_clear_error (&error);
  server_stop (server);
}

static void
test_put_nonseekable_stream (void)
{
  Server *server = server_start (store_handler);
  g_autoptr(BotoClient) client = make_s3_client (server);
  g_autoptr(GBytes) payload = pattern_bytes (2500000);
  g_autoptr(GInputStream) stream = pattern_stream_new (2500000);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GBytes) decoded = NULL;
  g_autofree char *trailer = NULL;
  g_autofree char *crc = boto_checksum_compute_base64 (BOTO_CHECKSUM_CRC32, payload);
  g_autofree char *expected = g_strconcat ("x-amz-checksum-crc32:", crc, NULL);

  result = boto_client_call_with_body (client, "PutObject", bucket_key ("bucket", "piped"),
                                       stream, 2500000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (server->requests, ==, 1);
  g_assert_cmpstr (request_header (server, 0, "Content-Encoding"), ==, "aws-chunked");
  g_assert_cmpstr (request_header (server, 0, "x-amz-trailer"), ==, "x-amz-checksum-crc32");
  g_assert_cmpstr (request_header (server, 0, "x-amz-decoded-content-length"), ==, "2500000");
  g_assert_cmpstr (request_header (server, 0, "x-amz-content-sha256"), ==, "STREAMING-UNSIGNED-PAYLOAD-TRAILER");
  decoded = decode_aws_chunked (g_ptr_array_index (server->bodies, 0), &trailer);
  g_assert_true (g_bytes_equal (decoded, payload));
  g_assert_cmpstr (trailer, ==, expected);

  /* A stream shorter than announced fails the call */
  {
    g_autoptr(GInputStream) short_stream = pattern_stream_new (100);

    g_clear_pointer (&result, g_variant_unref);
    result = boto_client_call_with_body (client, "PutObject", bucket_key ("bucket", "short"),
                                         short_stream, 1000, NULL, &error);
    g_assert_null (result);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);
    g_assert_nonnull (error);
    g_clear_error (&error);
  }
  server_stop (server);
}

/* The first attempt fails after the body was read. */
static void
fail_once_handler (Server            *server,
                   SoupServerMessage *msg,
                   guint              n)
{
  if (n == 0)
    {
      answer_xml (msg, 500, "<Error><Code>InternalError</Code><Message>oops</Message></Error>");
      return;
    }
  store_handler (server, msg, n);
}

static void
test_retry_replays_body (void)
{
  Server *server = server_start (fail_once_handler);
  g_autoptr(BotoClient) client = make_s3_client (server);
  g_autoptr(GBytes) payload = pattern_bytes (100000);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (payload);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;

  result = boto_client_call_with_body (client, "PutObject", bucket_key ("bucket", "again"),
                                       stream, 100000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (server->requests, ==, 2);
  g_assert_true (g_bytes_equal (g_ptr_array_index (server->bodies, 0), payload));
  g_assert_true (g_bytes_equal (g_ptr_array_index (server->bodies, 1), payload));
  server_stop (server);
}

static void
test_no_retry_nonseekable (void)
{
  Server *server = server_start (fail_once_handler);
  g_autoptr(BotoClient) client = make_s3_client (server);
  g_autoptr(GInputStream) stream = pattern_stream_new (100000);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;

  result = boto_client_call_with_body (client, "PutObject", bucket_key ("bucket", "once"),
                                       stream, 100000, NULL, &error);
  /* The service's error, not a second, half-empty request */
  g_assert_error (error, BOTO_SERVICE_ERROR, BOTO_SERVICE_ERROR_SERVER);
  g_assert_cmpstr (boto_service_error_get_code (error), ==, "InternalError");
  g_assert_null (result);
  g_assert_cmpuint (server->requests, ==, 1);
  server_stop (server);
}

/* The second request's connection is dropped without an answer: libsoup
 * restarts the (idempotent) PUT on a new connection by itself. */
static void
drop_second_handler (Server            *server,
                     SoupServerMessage *msg,
                     guint              n)
{
  if (n == 1)
    {
      g_autoptr(GIOStream) connection = soup_server_message_steal_connection (msg);

      g_io_stream_close (connection, NULL, NULL);
      return;
    }
  store_handler (server, msg, n);
}

static void
test_restart_replays_body (void)
{
  Server *server = server_start (drop_second_handler);
  g_autoptr(BotoClient) client = make_s3_client (server);
  g_autoptr(GBytes) payload = pattern_bytes (50000);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (payload);
  g_autoptr(GInputStream) piped = pattern_stream_new (50000);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;

  /* a first request keeps a connection alive */
  result = boto_client_call (client, "PutObject", bucket_key ("bucket", "first"), NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&result, g_variant_unref);

  result = boto_client_call_with_body (client, "PutObject", bucket_key ("bucket", "restarted"),
                                       stream, 50000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (server->requests, ==, 3);
  g_assert_true (g_bytes_equal (g_ptr_array_index (server->bodies, 2), payload));
  g_clear_pointer (&result, g_variant_unref);
  server_stop (server);

  /* The same with a body that cannot be read twice: a clear error, and
   * never a second request with a partial or empty body. */
  server = server_start (drop_second_handler);
  g_clear_object (&client);
  client = make_s3_client (server);
  result = boto_client_call (client, "PutObject", bucket_key ("bucket", "first"), NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&result, g_variant_unref);
  result = boto_client_call_with_body (client, "PutObject", bucket_key ("bucket", "piped"),
                                       piped, 50000, NULL, &error);
  g_assert_null (result);
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_IO_ERROR);
  g_assert_nonnull (strstr (error->message, "cannot be rewound"));
  g_assert_cmpuint (server->requests, ==, 2);
  server_stop (server);
}

static void
test_async_put_nonseekable_done (GObject      *source,
                                 GAsyncResult *res,
                                 gpointer      user_data)
{
  GVariant **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = boto_client_call_with_body_finish (BOTO_CLIENT (source), res, &error);
  g_assert_no_error (error);
}

static void
test_put_async (void)
{
  Server *server = server_start (store_handler);
  g_autoptr(BotoClient) client = make_s3_client (server);
  g_autoptr(GBytes) payload = pattern_bytes (1500000);
  g_autoptr(GInputStream) stream = pattern_stream_new (1500000);
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GBytes) decoded = NULL;
  g_autofree char *trailer = NULL;

  boto_client_call_with_body_async (client, "PutObject", bucket_key ("bucket", "async"), stream, 1500000,
                                    NULL, test_async_put_nonseekable_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  decoded = decode_aws_chunked (g_ptr_array_index (server->bodies, 0), &trailer);
  g_assert_true (g_bytes_equal (decoded, payload));
  server_stop (server);
}

/* Response checksums and streaming */

static void
object_handler (Server            *server,
                SoupServerMessage *msg,
                guint              n)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  gsize len;
  const char *data = g_bytes_get_data (server->object, &len);

  if (server->checksum != NULL)
    soup_message_headers_replace (headers, "x-amz-checksum-crc32", server->checksum);
  soup_message_headers_replace (headers, "ETag", "\"e\"");
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_COPY, data, len);
}

static GBytes *
read_stream_all (GInputStream  *stream,
                 GError       **error)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

  if (g_output_stream_splice (out, stream, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, error) < 0)
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static void
test_get_checksum (void)
{
  Server *server = server_start (object_handler);
  g_autoptr(BotoClient) client = make_s3_client (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GInputStream) body = NULL;
  g_autoptr(GBytes) read = NULL;

  server->object = pattern_bytes (200000);
  server->checksum = boto_checksum_compute_base64 (BOTO_CHECKSUM_CRC32, server->object);

  /* Right checksum; ChecksumMode=ENABLED was sent by default */
  result = boto_client_call (client, "GetObject", bucket_key ("bucket", "k"), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (request_header (server, 0, "x-amz-checksum-mode"), ==, "ENABLED");
  g_clear_pointer (&result, g_variant_unref);
  result = boto_client_call_streaming (client, "GetObject", bucket_key ("bucket", "k"), &body, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_variant_lookup (result, "Body", "*", NULL));
  read = read_stream_all (body, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (read, server->object));
  g_clear_object (&body);
  g_clear_pointer (&read, g_bytes_unref);

  /* Wrong checksum: the buffered call fails, the stream fails at its end */
  g_free ((char *) server->checksum);
  server->checksum = g_strdup ("AAAAAA==");
  g_clear_pointer (&result, g_variant_unref);
  result = boto_client_call (client, "GetObject", bucket_key ("bucket", "k"), NULL, &error);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_CHECKSUM_MISMATCH);
  g_assert_null (result);
  g_assert_cmpuint (server->requests, ==, 3);   /* not retried */
  g_clear_error (&error);

  result = boto_client_call_streaming (client, "GetObject", bucket_key ("bucket", "k"), &body, NULL, &error);
  g_assert_no_error (error);
  read = read_stream_all (body, &error);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_CHECKSUM_MISMATCH);
  g_assert_null (read);
  g_clear_error (&error);
  g_clear_object (&body);

  /* Composite (multipart) checksums are not verified */
  g_free ((char *) server->checksum);
  server->checksum = g_strdup ("AAAAAA==-3");
  g_clear_pointer (&result, g_variant_unref);
  result = boto_client_call (client, "GetObject", bucket_key ("bucket", "k"), NULL, &error);
  g_assert_no_error (error);

  /* response_checksum_validation = when_required: no ChecksumMode, no check */
  {
    g_autoptr(BotoSession) session = boto_session_new ();
    g_autoptr(BotoConfig) config = boto_config_new (g_variant_new_parsed ("{'response_checksum_validation': <'when_required'>}"),
                                                    &error);
    g_autoptr(BotoClient) lazy = NULL;
    guint before = server->requests;

    g_assert_no_error (error);
    g_free ((char *) server->checksum);
    server->checksum = g_strdup ("AAAAAA==");
    lazy = boto_session_create_client (session, "s3", server->url, config, &error);
    g_assert_no_error (error);
    g_clear_pointer (&result, g_variant_unref);
    result = boto_client_call (lazy, "GetObject", bucket_key ("bucket", "k"), NULL, &error);
    g_assert_no_error (error);
    g_assert_null (request_header (server, before, "x-amz-checksum-mode"));
  }

  g_free ((char *) server->checksum);
  server_stop (server);
}

typedef struct
{
  GMainLoop    *loop;
  GVariant     *result;
  GInputStream *body;
  GByteArray   *data;
  guint8        buffer[10000];
  GError       *error;
} AsyncRead;

static void
on_async_read (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  AsyncRead *ar = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), res, &ar->error);

  if (n <= 0)
    {
      g_main_loop_quit (ar->loop);
      return;
    }
  g_byte_array_append (ar->data, ar->buffer, n);
  g_input_stream_read_async (ar->body, ar->buffer, sizeof ar->buffer, G_PRIORITY_DEFAULT, NULL,
                             on_async_read, ar);
}

static void
on_streaming_done (GObject      *source,
                   GAsyncResult *res,
                   gpointer      user_data)
{
  AsyncRead *ar = user_data;

  ar->result = boto_client_call_streaming_finish (BOTO_CLIENT (source), res, &ar->body, &ar->error);
  if (ar->result == NULL)
    {
      g_main_loop_quit (ar->loop);
      return;
    }
  g_input_stream_read_async (ar->body, ar->buffer, sizeof ar->buffer, G_PRIORITY_DEFAULT, NULL,
                             on_async_read, ar);
}

static void
test_get_streaming_async (void)
{
  Server *server = server_start (object_handler);
  g_autoptr(BotoClient) client = make_s3_client (server);
  AsyncRead ar = { 0, };
  g_autoptr(GBytes) read = NULL;

  server->object = pattern_bytes (123457);
  server->checksum = boto_checksum_compute_base64 (BOTO_CHECKSUM_CRC32, server->object);
  ar.loop = g_main_loop_new (NULL, FALSE);
  ar.data = g_byte_array_new ();
  boto_client_call_streaming_async (client, "GetObject", bucket_key ("bucket", "k"), NULL,
                                    on_streaming_done, &ar);
  g_main_loop_run (ar.loop);
  g_assert_no_error (ar.error);
  read = g_byte_array_free_to_bytes (ar.data);
  g_assert_true (g_bytes_equal (read, server->object));

  /* A mismatch, asynchronously */
  g_free ((char *) server->checksum);
  server->checksum = g_strdup ("AAAAAA==");
  g_clear_pointer (&ar.result, g_variant_unref);
  g_clear_object (&ar.body);
  ar.data = g_byte_array_new ();
  boto_client_call_streaming_async (client, "GetObject", bucket_key ("bucket", "k"), NULL,
                                    on_streaming_done, &ar);
  g_main_loop_run (ar.loop);
  g_assert_error (ar.error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_CHECKSUM_MISMATCH);
  g_clear_error (&ar.error);
  g_byte_array_unref (ar.data);
  g_clear_pointer (&ar.result, g_variant_unref);
  g_clear_object (&ar.body);
  g_main_loop_unref (ar.loop);
  g_free ((char *) server->checksum);
  server_stop (server);
}

static void
missing_handler (Server            *server,
                 SoupServerMessage *msg,
                 guint              n)
{
  answer_xml (msg, 404, "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>");
}

static void
test_get_streaming_error (void)
{
  Server *server = server_start (missing_handler);
  g_autoptr(BotoClient) client = make_s3_client (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) body = NULL;
  g_autoptr(GVariant) result = boto_client_call_streaming (client, "GetObject", bucket_key ("bucket", "none"),
                                                           &body, NULL, &error);

  g_assert_error (error, BOTO_SERVICE_ERROR, BOTO_SERVICE_ERROR_CLIENT);
  g_assert_cmpstr (boto_service_error_get_code (error), ==, "NoSuchKey");
  g_assert_null (result);
  g_assert_null (body);
  server_stop (server);
}

/* S3 region redirects */

static void
redirect_handler (Server            *server,
                  SoupServerMessage *msg,
                  guint              n)
{
  const char *authorization = g_ptr_array_index (server->authorizations, n);

  if (strstr (authorization, "/eu-west-1/s3/aws4_request") == NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "x-amz-bucket-region", "eu-west-1");
      if (soup_server_message_get_method (msg) == SOUP_METHOD_HEAD)
        {
          soup_server_message_set_status (msg, 301, NULL);
          return;
        }
      answer_xml (msg, 301,
                  "<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access "
                  "must be addressed using the specified endpoint.</Message>"
                  "<Endpoint>far.s3.eu-west-1.amazonaws.com</Endpoint><Bucket>far</Bucket></Error>");
      return;
    }
  answer_xml (msg, 200, "<ListBucketResult><Name>far</Name><KeyCount>0</KeyCount></ListBucketResult>");
}

static void
test_region_redirect (void)
{
  Server *server = server_start (redirect_handler);
  g_autoptr(BotoClient) client = make_s3_client (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GVariant) meta = NULL;
  gint32 retries = -1;

  result = boto_client_call (client, "ListObjectsV2", g_variant_new_parsed ("{'Bucket': <'far'>}"), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (server->requests, ==, 2);
  g_assert_nonnull (strstr (g_ptr_array_index (server->authorizations, 0), "/us-east-1/s3/"));
  g_assert_nonnull (strstr (g_ptr_array_index (server->authorizations, 1), "/eu-west-1/s3/"));
  g_assert_cmpstr (g_ptr_array_index (server->paths, 1), ==, "/far");
  meta = g_variant_lookup_value (result, "ResponseMetadata", G_VARIANT_TYPE_VARDICT);
  g_assert_true (g_variant_lookup (meta, "RetryAttempts", "i", &retries));
  g_assert_cmpint (retries, ==, 1);

  /* The region is remembered for the bucket: straight there */
  g_clear_pointer (&result, g_variant_unref);
  result = boto_client_call (client, "ListObjectsV2", g_variant_new_parsed ("{'Bucket': <'far'>}"), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (server->requests, ==, 3);
  g_assert_nonnull (strstr (g_ptr_array_index (server->authorizations, 2), "/eu-west-1/s3/"));

  /* HeadObject: a bodiless 301 for another bucket */
  g_clear_pointer (&result, g_variant_unref);
  result = boto_client_call (client, "HeadObject", bucket_key ("elsewhere", "k"), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (server->requests, ==, 5);
  g_assert_nonnull (strstr (g_ptr_array_index (server->authorizations, 4), "/eu-west-1/s3/"));
  server_stop (server);
}

static void
always_redirect_handler (Server            *server,
                         SoupServerMessage *msg,
                         guint              n)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "x-amz-bucket-region", "eu-west-1");
  answer_xml (msg, 301, "<Error><Code>PermanentRedirect</Code><Message>elsewhere</Message></Error>");
}

static void
test_region_redirect_once (void)
{
  Server *server = server_start (always_redirect_handler);
  g_autoptr(BotoClient) client = make_s3_client (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;

  /* Redirected once, then the error stands */
  result = boto_client_call (client, "ListObjectsV2", g_variant_new_parsed ("{'Bucket': <'loop'>}"), NULL, &error);
  g_assert_nonnull (error);
  g_assert_true (error->domain == BOTO_SERVICE_ERROR);
  g_assert_cmpstr (boto_service_error_get_code (error), ==, "PermanentRedirect");
  g_assert_cmpuint (server->requests, ==, 2);
  server_stop (server);
}

static void
test_region_redirect_streamed_body (void)
{
  Server *server = server_start (store_handler);
  g_autoptr(BotoClient) client = make_s3_client (server);
  g_autoptr(GBytes) payload = pattern_bytes (300000);
  g_autoptr(GInputStream) stream = pattern_stream_new (300000);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GBytes) decoded = NULL;
  g_autofree char *trailer = NULL;

  /* A one-pass body can follow a redirect: Expect: 100-continue kept it
   * unread when the wrong region answered. */
  server->early_redirect = TRUE;
  result = boto_client_call_with_body (client, "PutObject", bucket_key ("moved", "piped"),
                                       stream, 300000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (server->early_answers, ==, 1);
  g_assert_cmpuint (server->requests, ==, 1);
  g_assert_cmpstr (request_header (server, 0, "Expect"), ==, "100-continue");
  g_assert_nonnull (strstr (g_ptr_array_index (server->authorizations, 0), "/eu-west-1/s3/"));
  decoded = decode_aws_chunked (g_ptr_array_index (server->bodies, 0), &trailer);
  g_assert_true (g_bytes_equal (decoded, payload));
  server_stop (server);
}

/* Addressing: what the endpoint rules give, seen through presigned URLs */

static void
test_addressing (void)
{
  struct { const char *endpoint; const char *region; const char *bucket; const char *prefix; } cases[] = {
    /* As botocore: the global endpoint, signed for the client's region. */
    { NULL, "us-west-2", "my-bucket", "https://my-bucket.s3.amazonaws.com/key?" },
    { NULL, "us-east-1", "my-bucket", "https://my-bucket.s3.amazonaws.com/key?" },
    { NULL, "us-west-2", "My_Bucket", "https://s3.us-west-2.amazonaws.com/My_Bucket/key?" },
    { NULL, "us-west-2", "my.bucket", "https://s3.us-west-2.amazonaws.com/my.bucket/key?" },
    { "http://127.0.0.1:9000", "us-west-2", "my-bucket", "http://127.0.0.1:9000/my-bucket/key?" },
    { "http://minio.example:9000", "us-west-2", "my-bucket", "http://minio.example:9000/my-bucket/key?" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BotoSession) session = g_object_new (BOTO_TYPE_SESSION, "region-name", cases[i].region, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(BotoClient) client = boto_session_create_client (session, "s3", cases[i].endpoint, NULL, &error);
      g_autofree char *url = NULL;

      g_assert_no_error (error);
      url = boto_client_generate_presigned_url (client, "GetObject", bucket_key (cases[i].bucket, "key"), 3600, &error);
      g_assert_no_error (error);
      g_test_message ("%s", url);
      g_assert_true (g_str_has_prefix (url, cases[i].prefix));
      g_assert_nonnull (strstr (url, cases[i].region));
      g_assert_nonnull (strstr (url, "X-Amz-Algorithm=AWS4-HMAC-SHA256"));
      g_assert_nonnull (strstr (url, "X-Amz-Expires=3600"));
      g_assert_nonnull (strstr (url, "X-Amz-SignedHeaders=host&"));
      g_assert_null (strstr (url, "checksum"));
    }

  /* virtual addressing on a custom endpoint when asked */
  {
    g_autoptr(BotoSession) session = g_object_new (BOTO_TYPE_SESSION, "region-name", "us-west-2", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(BotoConfig) config = boto_config_new (g_variant_new_parsed ("{'s3': <{'addressing_style': <'virtual'>}>}"), &error);
    g_autoptr(BotoClient) client = NULL;
    g_autofree char *url = NULL;

    g_assert_no_error (error);
    client = boto_session_create_client (session, "s3", "http://minio.example:9000", config, &error);
    g_assert_no_error (error);
    url = boto_client_generate_presigned_url (client, "GetObject", bucket_key ("my-bucket", "key"), 60, &error);
    g_assert_no_error (error);
    g_assert_true (g_str_has_prefix (url, "http://my-bucket.minio.example:9000/key?"));

    /* bad expiry */
    g_clear_pointer (&url, g_free);
    url = boto_client_generate_presigned_url (client, "GetObject", bucket_key ("my-bucket", "key"), 0, &error);
    g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION);
    g_assert_null (url);
  }
}

/* botocore's S3 parameter checks, before anything is sent: bucket names
 * and ASCII metadata. */
static void
test_s3_parameter_checks (void)
{
  g_autoptr(BotoSession) session = g_object_new (BOTO_TYPE_SESSION, "region-name", "us-west-2", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoClient) client = boto_session_create_client (session, "s3", "http://127.0.0.1:9", NULL, &error);
  g_autoptr(GVariant) result = NULL;

  g_assert_no_error (error);
  result = boto_client_call (client, "PutObject",
                             g_variant_new_parsed ("{'Bucket': <'no/slash'>, 'Key': <'k'>}"), NULL, &error);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION);
  g_assert_nonnull (strstr (error->message, "Invalid bucket name \"no/slash\""));
  g_clear_error (&error);

  result = boto_client_call (client, "PutObject",
                             g_variant_new_parsed ("{'Bucket': <'ok-bucket'>, 'Key': <'k'>, "
                                                   "'Metadata': <{'city': 'K\u00f6ln'}>}"), NULL, &error);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION);
  g_assert_nonnull (strstr (error->message, "Non ascii characters found in S3 metadata"));
  g_clear_error (&error);

  /* An access point ARN is a bucket too: it goes on to the endpoint
   * rules (which refuse it on a custom endpoint, so a default one here). */
  {
    g_autoptr(BotoClient) aws = boto_session_create_client (session, "s3", NULL, NULL, &error);
    g_autofree char *url = boto_client_generate_presigned_url (
      aws, "GetObject",
      g_variant_new_parsed ("{'Bucket': <'arn:aws:s3:us-west-2:123456789012:accesspoint/my-ap'>, 'Key': <'k'>}"),
      60, &error);

    g_assert_no_error (error);
    g_assert_true (g_str_has_prefix (url, "https://my-ap-123456789012.s3-accesspoint.us-west-2.amazonaws.com/k?"));
  }
}

/* S3's Expires: a timestamp when it is one, left out when it is not, and
 * its text in ExpiresString either way (botocore's handle_expires_header). */
static void
test_expires_header (void)
{
  struct { const char *header; gboolean parsed; gint64 usec; } cases[] = {
    { "Thu, 01 Dec 1994 16:00:00 GMT", TRUE, G_GINT64_CONSTANT (786297600000000) },
    { "0", TRUE, 0 },                  /* epoch seconds, as botocore reads it */
    { "never", FALSE, 0 },
    { "2024-13-45", FALSE, 0 },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoServiceModel) model = boto_service_model_load ("s3", &error);
  BotoOperationModel *op;

  g_assert_no_error (error);
  op = boto_service_model_get_operation (model, "HeadObject", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
      g_autoptr(SoupMessageHeaders) for_parsing = NULL;
      g_autoptr(GVariant) parsed = NULL;
      g_autoptr(GVariant) result = NULL;
      gboolean is_error = TRUE;
      const char *text = NULL;
      gint64 usec = 0;

      soup_message_headers_append (headers, "Expires", cases[i].header);
      soup_message_headers_append (headers, "Content-Length", "3");
      for_parsing = boto_client_headers_for_parsing ("s3", op, headers);
      parsed = boto_protocol_parse_response (op, "rest-xml", 200, for_parsing, NULL, &is_error, &error);
      g_assert_no_error (error);
      g_assert_false (is_error);
      result = boto_client_handle_result ("s3", op, parsed, NULL, headers);
      g_assert_true (g_variant_lookup (result, "ExpiresString", "&s", &text));
      g_assert_cmpstr (text, ==, cases[i].header);
      g_assert_cmpint (g_variant_lookup (result, "Expires", "x", &usec), ==, cases[i].parsed);
      g_assert_cmpint (usec, ==, cases[i].usec);
      g_assert_true (g_variant_lookup (result, "ContentLength", "x", &usec));
    }
}

/* An S3 Multi-Region Access Point: the endpoint rules ask for SigV4a over
 * the region set "*" (botocore needs the CRT for it). */
static void
test_presign_mrap (void)
{
  g_autoptr(BotoSession) session = g_object_new (BOTO_TYPE_SESSION, "region-name", "us-west-2", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoClient) client = boto_session_create_client (session, "s3", NULL, NULL, &error);
  g_autofree char *url = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GHashTable) query = NULL;

  g_assert_no_error (error);
  url = boto_client_generate_presigned_url (client, "GetObject",
                                            bucket_key ("arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap",
                                                        "key"), 600, &error);
  g_assert_no_error (error);
  g_test_message ("%s", url);
  g_assert_true (g_str_has_prefix (url, "https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/key?"));
  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED_QUERY, &error);
  g_assert_no_error (error);
  query = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (query, "X-Amz-Algorithm"), ==, "AWS4-ECDSA-P256-SHA256");
  g_assert_cmpstr (g_hash_table_lookup (query, "X-Amz-Region-Set"), ==, "*");
  g_assert_true (g_str_has_suffix (g_hash_table_lookup (query, "X-Amz-Credential"), "/s3/aws4_request"));
  g_assert_null (strstr (g_hash_table_lookup (query, "X-Amz-Credential"), "us-west-2"));
  /* A DER signature: SEQUENCE, then two INTEGERs. */
  g_assert_true (g_str_has_prefix (g_hash_table_lookup (query, "X-Amz-Signature"), "30"));
}

static void
test_presign_matches_botocore (void)
{
  /* botocore 1.44.8 with signature_version='s3v4' at a fixed time signs the
   * same canonical request; here only its shape is checked, the signature
   * itself is covered by the SigV4 presign conformance vectors. */
  g_autoptr(BotoSession) session = NULL;
  g_autoptr(BotoClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GHashTable) query = NULL;

  session = boto_session_new ();
  client = boto_session_create_client (session, "sqs", NULL, NULL, &error);
  g_assert_no_error (error);
  url = boto_client_generate_presigned_url (client, "ListQueues", NULL, 900, &error);
  g_assert_no_error (error);
  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED_QUERY, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_uri_get_host (uri), ==, "sqs.us-east-1.amazonaws.com");
  query = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (g_hash_table_lookup (query, "X-Amz-Credential"), "testing/"));
  g_assert_cmpstr (g_hash_table_lookup (query, "X-Amz-Expires"), ==, "900");
  g_assert_nonnull (g_hash_table_lookup (query, "X-Amz-Signature"));
}

/* Transport: one SoupSession per BotoSession and pool setting */

static void
test_shared_soup_session (void)
{
  g_autoptr(BotoSession) session = NULL;
  g_autoptr(BotoSession) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoClient) s3 = NULL;
  g_autoptr(BotoClient) sqs = NULL;
  g_autoptr(BotoClient) big = NULL;
  g_autoptr(BotoClient) elsewhere = NULL;
  g_autoptr(BotoConfig) config = NULL;
  int max_conns = 0;
  int per_host = 0;
  guint timeout = 0;

  session = boto_session_new ();
  other = boto_session_new ();
  s3 = boto_session_create_client (session, "s3", NULL, NULL, &error);
  g_assert_no_error (error);
  sqs = boto_session_create_client (session, "sqs", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (boto_client_get_soup_session (s3) == boto_client_get_soup_session (sqs));
  g_object_get (boto_client_get_soup_session (s3), "max-conns", &max_conns,
                "max-conns-per-host", &per_host, "timeout", &timeout, NULL);
  g_assert_cmpint (max_conns, ==, 10);
  g_assert_cmpint (per_host, ==, 10);
  g_assert_cmpuint (timeout, ==, 60);

  config = boto_config_new (g_variant_new_parsed ("{'max_pool_connections': <25>, 'read_timeout': <5>, "
                                                  "'connect_timeout': <3>}"), &error);
  g_assert_no_error (error);
  big = boto_session_create_client (session, "s3", NULL, config, &error);
  g_assert_no_error (error);
  g_assert_true (boto_client_get_soup_session (big) != boto_client_get_soup_session (s3));
  g_object_get (boto_client_get_soup_session (big), "max-conns", &max_conns,
                "max-conns-per-host", &per_host, "timeout", &timeout, NULL);
  g_assert_cmpint (max_conns, ==, 25);
  g_assert_cmpint (per_host, ==, 25);
  g_assert_cmpuint (timeout, ==, 5);

  elsewhere = boto_session_create_client (other, "s3", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (boto_client_get_soup_session (elsewhere) != boto_client_get_soup_session (s3));
}

typedef struct
{
  BotoSession *session;
  SoupSession *seen;
} ThreadData;

static gpointer
grab_session (gpointer user_data)
{
  ThreadData *data = user_data;

  data->seen = boto_session_dup_soup_session (data->session, 10, 60, NULL);
  return NULL;
}

static void
test_shared_soup_session_threads (void)
{
  g_autoptr(BotoSession) session = boto_session_new ();
  ThreadData data[4];
  GThread *threads[4];

  for (guint i = 0; i < 4; i++)
    {
      data[i].session = session;
      threads[i] = g_thread_new ("grab", grab_session, &data[i]);
    }
  for (guint i = 0; i < 4; i++)
    g_thread_join (threads[i]);
  for (guint i = 1; i < 4; i++)
    g_assert_true (data[i].seen == data[0].seen);
  for (guint i = 0; i < 4; i++)
    g_object_unref (data[i].seen);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  set_env ();
  /* RDS is not among the shipped models: botocore's (found by meson) are. */
  if (g_getenv ("BOTO_BOTOCORE_DATA") != NULL)
    g_setenv ("AWS_DATA_PATH", g_getenv ("BOTO_BOTOCORE_DATA"), TRUE);

  g_test_add_func ("/boto/client-transfer/checksum/values", test_checksum_values);
  g_test_add_func ("/boto/client-transfer/checksum/aws-chunked", test_aws_chunked_stream);
  g_test_add_func ("/boto/client-transfer/put/bytes-checksum", test_put_bytes_checksum);
  g_test_add_func ("/boto/client-transfer/put/seekable-stream", test_put_seekable_stream);
  g_test_add_func ("/boto/client-transfer/put/nonseekable-stream", test_put_nonseekable_stream);
  g_test_add_func ("/boto/client-transfer/put/retry-replays-body", test_retry_replays_body);
  g_test_add_func ("/boto/client-transfer/put/no-retry-nonseekable", test_no_retry_nonseekable);
  g_test_add_func ("/boto/client-transfer/put/async", test_put_async);
  g_test_add_func ("/boto/client-transfer/put/restart-replays-body", test_restart_replays_body);
  g_test_add_func ("/boto/client-transfer/get/checksum", test_get_checksum);
  g_test_add_func ("/boto/client-transfer/get/streaming-async", test_get_streaming_async);
  g_test_add_func ("/boto/client-transfer/get/streaming-error", test_get_streaming_error);
  g_test_add_func ("/boto/client-transfer/redirect/region", test_region_redirect);
  g_test_add_func ("/boto/client-transfer/redirect/once", test_region_redirect_once);
  g_test_add_func ("/boto/client-transfer/redirect/streamed-body", test_region_redirect_streamed_body);
  g_test_add_func ("/boto/client-transfer/addressing", test_addressing);
  g_test_add_func ("/boto/client-transfer/presign/query", test_presign_matches_botocore);
  g_test_add_func ("/boto/client-transfer/presign/mrap-sigv4a", test_presign_mrap);
  g_test_add_func ("/boto/client-transfer/params/s3-checks", test_s3_parameter_checks);
  g_test_add_func ("/boto/client-transfer/s3/expires-header", test_expires_header);
  g_test_add_func ("/boto/client-transfer/glacier/stream-hashes", test_glacier_stream_hashes);
  g_test_add_func ("/boto/client-transfer/multipart/parallel", test_multipart_parallel);
  g_test_add_func ("/boto/client-transfer/multipart/part-fails", test_multipart_part_fails);
  g_test_add_func ("/boto/client-transfer/download/ranges", test_download_ranges);
  g_test_add_func ("/boto/client-transfer/presign/post-and-db-tokens", test_presigned_post_and_tokens);
  g_test_add_func ("/boto/client-transfer/transport/shared-session", test_shared_soup_session);
  g_test_add_func ("/boto/client-transfer/transport/shared-session-threads", test_shared_soup_session_threads);

  return g_test_run ();
}
