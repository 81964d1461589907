/* test-protocol-bad-input.c: responses that are not what the protocol says
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * Truncated and malformed XML, JSON and CBOR, a body of another protocol,
 * absurd nesting and a 2 GB Content-Length claim: each gives a clear error
 * that keeps the HTTP status (in the message, or as the service error's
 * status for error responses), never a crash, never unbounded memory.
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>
#include <boto-glib/boto-glib.h>

#include "boto-error-private.h"
#include "boto-protocol-parser-private.h"
#include "boto-protocol-rpcv2-cbor-private.h"
#include "boto-protocol-request-private.h"
#include "boto-event-stream-private.h"
#include "test-utils.h"

#define DEEP 100000

typedef struct
{
  BotoServiceModel   *model;
  BotoOperationModel *op;
} Op;

static Op
load_op (const char *service,
         const char *operation)
{
  g_autoptr(GError) error = NULL;
  Op op;

  op.model = boto_service_model_load (service, &error);
  g_assert_no_error (error);
  op.op = boto_service_model_get_operation (op.model, operation, &error);
  g_assert_no_error (error);
  return op;
}

/* Parse @body (@len bytes, -1: a string) as @service's @operation answered
 * with @status, in the service's protocol. */
static GVariant *
parse (const char  *service,
       const char  *operation,
       const char  *protocol,
       guint        status,
       const void  *body,
       gssize       len,
       gboolean    *is_error,
       GError     **error)
{
  Op op = load_op (service, operation);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GBytes) bytes = g_bytes_new (body, len < 0 ? strlen (body) : (gsize) len);
  GVariant *result;

  if (protocol == NULL)
    protocol = boto_service_model_get_protocol (op.model);
  if (strcmp (protocol, "smithy-rpc-v2-cbor") == 0)
    {
      soup_message_headers_append (headers, "smithy-protocol", "rpc-v2-cbor");
      result = boto_rpcv2_cbor_parse_response (op.model, op.op, status, headers, bytes, is_error, error);
    }
  else
    result = boto_protocol_parse_response (op.op, protocol, status, headers, bytes, is_error, error);
  g_object_unref (op.model);
  return result;
}

/* A success response that cannot be read: an error naming the status. */
static void
assert_unreadable (const char *service,
                   const char *operation,
                   const char *protocol,
                   guint       status,
                   const void *body,
                   gssize      len)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *want = g_strdup_printf ("HTTP %u", status);
  gboolean is_error = FALSE;
  g_autoptr(GVariant) result = parse (service, operation, protocol, status, body, len, &is_error, &error);

  g_assert_null (result);
  g_assert_nonnull (error);
  g_test_message ("%s %s: %s", service, operation, error->message);
  g_assert_nonnull (strstr (error->message, want));
}

/* An error response whose body cannot be read: still a service error,
 * with the status (botocore's error from the HTTP status). */
static void
assert_error_keeps_status (const char *service,
                           const char *operation,
                           guint       status,
                           const void *body,
                           gssize      len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) service_error = NULL;
  gboolean is_error = FALSE;
  g_autoptr(GVariant) result = parse (service, operation, NULL, status, body, len, &is_error, &error);

  if (result == NULL)
    {
      /* A parser may also refuse outright; then the status is in the message. */
      g_autofree char *want = g_strdup_printf ("%u", status);

      g_assert_nonnull (error);
      g_test_message ("%s %s: %s", service, operation, error->message);
      g_assert_nonnull (strstr (error->message, want));
      return;
    }
  g_assert_no_error (error);
  g_assert_true (is_error);
  service_error = boto_service_error_new_from_response (operation, result);
  g_test_message ("%s %s: %s", service, operation, service_error->message);
  g_assert_true (service_error->domain == BOTO_SERVICE_ERROR);
  g_assert_cmpuint (boto_service_error_get_status (service_error), ==, status);
  g_assert_nonnull (boto_service_error_get_code (service_error));
}

static char *
repeat (const char *unit,
        guint       n)
{
  GString *out = g_string_sized_new (strlen (unit) * n);

  for (guint i = 0; i < n; i++)
    g_string_append (out, unit);
  return g_string_free (out, FALSE);
}

/* Truncated and malformed ----------------------------------------------- */

static void
test_truncated_xml (void)
{
  const char *body = "<?xml version=\"1.0\"?><ListBucketResult><Name>bucket</Na";

  assert_unreadable ("s3", "ListObjectsV2", NULL, 200, body, -1);
  assert_unreadable ("sns", "ListTopics", NULL, 200, "<ListTopicsResponse><ListTopicsResult><Topics>", -1);
  assert_unreadable ("ec2", "DescribeRegions", NULL, 200, "<DescribeRegionsResponse><regionInfo><item>", -1);
  assert_error_keeps_status ("s3", "ListObjectsV2", 503, "<Error><Code>SlowDown</Co", -1);
  assert_error_keeps_status ("sns", "ListTopics", 400, "<ErrorResponse><Error><Code>", -1);
}

static void
test_malformed_xml (void)
{
  assert_unreadable ("s3", "ListObjectsV2", NULL, 200, "<ListBucketResult><Name>a</Key></ListBucketResult>", -1);
  assert_unreadable ("s3", "ListObjectsV2", NULL, 200, "<ListBucketResult>&bogus;</ListBucketResult>", -1);
  assert_unreadable ("s3", "ListObjectsV2", NULL, 200, "<ListBucketResult><KeyCount>many</KeyCount></ListBucketResult>", -1);
  assert_unreadable ("s3", "ListObjectsV2", NULL, 200, "\xff\xfe<\x00L\x00", 6);
  assert_error_keeps_status ("s3", "GetObject", 404, "<Error><Code>NoSuchKey</Code><Message>a</Error>", -1);
}

static void
test_truncated_json (void)
{
  assert_unreadable ("dynamodb", "ListTables", NULL, 200, "{\"TableNames\": [\"a\", ", -1);
  assert_unreadable ("dynamodb", "ListTables", NULL, 200, "{\"TableNames\": \"not a list\"}", -1);
  assert_unreadable ("dynamodb", "ListTables", NULL, 200, "{\"TableNames\": [1, 2]}", -1);
  assert_unreadable ("dynamodb", "ListTables", NULL, 200, "\"\\ud800", -1);
  assert_error_keeps_status ("dynamodb", "ListTables", 400, "{\"__type\": \"com.amazon#Valid", -1);
  assert_error_keeps_status ("dynamodb", "ListTables", 500, "", 0);
}

static void
test_truncated_cbor (void)
{
  /* A map that promises a key and ends, an indefinite map without its
   * break, a text string longer than the body, a reserved additional info. */
  static const guint8 truncated[] = { 0xa1, 0x6a, 'M', 'e', 't' };
  static const guint8 open_map[] = { 0xbf, 0x64, 'a', 'b', 'c', 'd', 0x01 };
  static const guint8 long_string[] = { 0xa1, 0x7b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 'x' };
  static const guint8 reserved[] = { 0xa1, 0x1c };

  assert_unreadable ("cloudwatch", "GetMetricData", "smithy-rpc-v2-cbor", 200, truncated, sizeof truncated);
  assert_unreadable ("cloudwatch", "GetMetricData", "smithy-rpc-v2-cbor", 200, open_map, sizeof open_map);
  assert_unreadable ("cloudwatch", "GetMetricData", "smithy-rpc-v2-cbor", 200, long_string, sizeof long_string);
  assert_unreadable ("cloudwatch", "GetMetricData", "smithy-rpc-v2-cbor", 200, reserved, sizeof reserved);
}

/* Another protocol's body ------------------------------------------------- */

static void
test_wrong_protocol (void)
{
  static const guint8 cbor[] = { 0xa1, 0x6a, 'T', 'a', 'b', 'l', 'e', 'N', 'a', 'm', 'e', 's', 0x80 };

  /* JSON to the XML parsers, XML to the JSON parser, CBOR to both, JSON
   * and XML to the CBOR parser, a proxy's HTML page everywhere. */
  assert_unreadable ("s3", "ListObjectsV2", NULL, 200, "{\"Contents\": []}", -1);
  assert_unreadable ("sns", "ListTopics", NULL, 200, "{\"Topics\": []}", -1);
  assert_unreadable ("dynamodb", "ListTables", NULL, 200, "<ListTablesResponse/>", -1);
  assert_unreadable ("dynamodb", "ListTables", NULL, 200, cbor, sizeof cbor);
  assert_unreadable ("s3", "ListObjectsV2", NULL, 200, cbor, sizeof cbor);
  assert_unreadable ("cloudwatch", "GetMetricData", "smithy-rpc-v2-cbor", 200, "{\"MetricDataResults\": []}", -1);
  assert_unreadable ("cloudwatch", "GetMetricData", "smithy-rpc-v2-cbor", 200, "<GetMetricDataResponse/>", -1);
  assert_unreadable ("ec2", "DescribeRegions", NULL, 200, "<html><body>Bad gateway</body>", -1);
  assert_error_keeps_status ("sns", "ListTopics", 502, "<html><body><h1>502 Bad Gateway</h1></body></html>", -1);
  assert_error_keeps_status ("dynamodb", "ListTables", 502, "<html><body>Bad gateway</body></html>", -1);
  assert_error_keeps_status ("s3", "ListObjectsV2", 403, "{\"message\": \"Forbidden\"}", -1);
  assert_error_keeps_status ("cloudwatch", "GetMetricData", 500, "<html>Internal error</html>", -1);
}

/* Absurd nesting --------------------------------------------------------- */

/* A list with a null in it is an `av` (DESIGN.md), which a map of typed
 * lists cannot hold: both readers refuse it with an error. */
static void
test_null_in_nested_list (void)
{
  static const char shapes_json[] =
    "{\"Out\": {\"type\": \"structure\", \"members\": {\"denseSetMap\": {\"shape\": \"SetMap\"}}},"
    " \"SetMap\": {\"type\": \"map\", \"key\": {\"shape\": \"S\"}, \"value\": {\"shape\": \"Set\"}},"
    " \"Set\": {\"type\": \"list\", \"member\": {\"shape\": \"S\"}},"
    " \"S\": {\"type\": \"string\"}}";
  /* {"denseSetMap": {"x": ["a", null]}} */
  static const guint8 cbor[] = { 0xa1, 0x6b, 'd', 'e', 'n', 's', 'e', 'S', 'e', 't', 'M', 'a', 'p',
                                 0xa1, 0x61, 'x', 0x82, 0x61, 'a', 0xf6 };
  static const char json[] = "{\"denseSetMap\": {\"x\": [\"a\", null]}}";
  static const char * const protocols[] = { "smithy-rpc-v2-cbor", "json" };

  for (guint i = 0; i < G_N_ELEMENTS (protocols); i++)
    {
      g_autofree char *metadata_json =
        g_strdup_printf ("{\"protocol\": \"%s\", \"jsonVersion\": \"1.0\", \"apiVersion\": \"2020-07-14\","
                         " \"targetPrefix\": \"T\"}", protocols[i]);
      g_autoptr(JsonNode) metadata = json_from_string (metadata_json, NULL);
      g_autoptr(JsonNode) shapes = json_from_string (shapes_json, NULL);
      g_autoptr(JsonNode) operation =
        json_from_string ("{\"name\": \"Op\", \"http\": {\"method\": \"POST\", \"requestUri\": \"/\"},"
                          " \"output\": {\"shape\": \"Out\"}}", NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(BotoServiceModel) model =
        test_model_for_operation (json_node_get_object (metadata), json_node_get_object (shapes),
                                  json_node_get_object (operation), &error);
      g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
      g_autoptr(GVariant) result = NULL;
      BotoOperationModel *op;
      gboolean is_error = FALSE;

      g_assert_no_error (error);
      op = boto_service_model_get_operation (model, "Op", &error);
      g_assert_no_error (error);
      if (i == 0)
        {
          g_autoptr(GBytes) body = g_bytes_new_static (cbor, sizeof cbor);

          soup_message_headers_append (headers, "smithy-protocol", "rpc-v2-cbor");
          result = boto_rpcv2_cbor_parse_response (model, op, 200, headers, body, &is_error, &error);
        }
      else
        {
          g_autoptr(GBytes) body = g_bytes_new_static (json, strlen (json));

          result = boto_protocol_parse_response (op, "json", 200, headers, body, &is_error, &error);
        }
      g_assert_null (result);
      g_assert_nonnull (error);
      g_test_message ("%s: %s", protocols[i], error->message);
    }
}

static void
test_deep_xml (void)
{
  g_autofree char *open = repeat ("<Contents>", DEEP);
  g_autofree char *close = repeat ("</Contents>", DEEP);
  g_autofree char *body = g_strconcat ("<ListBucketResult>", open, close, "</ListBucketResult>", NULL);
  g_autofree char *error_body = g_strconcat ("<Error><Code>", open, close, "</Code></Error>", NULL);

  assert_unreadable ("s3", "ListObjectsV2", NULL, 200, body, -1);
  assert_error_keeps_status ("s3", "ListObjectsV2", 500, error_body, -1);
}

static void
test_deep_json (void)
{
  g_autofree char *open = repeat ("[", DEEP);
  g_autofree char *close = repeat ("]", DEEP);
  g_autofree char *body = g_strconcat ("{\"TableNames\": ", open, close, "}", NULL);
  g_autofree char *objects = repeat ("{\"a\":", DEEP);
  g_autofree char *error_body = g_strconcat ("{\"__type\": \"X\", \"message\": ", objects, NULL);

  assert_unreadable ("dynamodb", "ListTables", NULL, 200, body, -1);
  assert_unreadable ("dynamodb", "ListTables", NULL, 200, open, -1);
  assert_error_keeps_status ("dynamodb", "ListTables", 400, error_body, -1);
}

static void
test_deep_cbor (void)
{
  g_autofree guint8 *body = g_malloc (DEEP + 32);
  gsize n = 0;

  /* {"MetricDataResults": [[[[…]]]]} */
  body[n++] = 0xa1;
  body[n++] = 0x71;
  memcpy (body + n, "MetricDataResults", 17);
  n += 17;
  memset (body + n, 0x81, DEEP);
  n += DEEP;
  body[n++] = 0x80;
  assert_unreadable ("cloudwatch", "GetMetricData", "smithy-rpc-v2-cbor", 200, body, n);
  memset (body, 0x9f, DEEP);
  assert_unreadable ("cloudwatch", "GetMetricData", "smithy-rpc-v2-cbor", 200, body, DEEP);
  assert_error_keeps_status ("cloudwatch", "GetMetricData", 400, body, DEEP);
}

/* Event stream framing ------------------------------------------------------ */

static void
put_u32 (GByteArray *out,
         guint32     value)
{
  guint8 bytes[4] = { value >> 24, value >> 16, value >> 8, value };

  g_byte_array_append (out, bytes, 4);
}

/* One message with string headers (name, value, …, NULL) and @payload. */
static GByteArray *
event_message_full (const char *payload,
                    ...)
{
  GByteArray *out = g_byte_array_new ();
  g_autoptr(GByteArray) headers = g_byte_array_new ();
  const char *name;
  guint32 total;
  va_list args;

  va_start (args, payload);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);
      guint8 name_len = strlen (name);
      guint8 type = BOTO_EVENT_HEADER_STRING;
      guint8 value_len[2] = { strlen (value) >> 8, strlen (value) & 0xff };

      g_byte_array_append (headers, &name_len, 1);
      g_byte_array_append (headers, (const guint8 *) name, name_len);
      g_byte_array_append (headers, &type, 1);
      g_byte_array_append (headers, value_len, 2);
      g_byte_array_append (headers, (const guint8 *) value, strlen (value));
    }
  va_end (args);

  total = 12 + headers->len + strlen (payload) + 4;
  put_u32 (out, total);
  put_u32 (out, headers->len);
  put_u32 (out, boto_crc32 (0, out->data, 8));
  g_byte_array_append (out, headers->data, headers->len);
  g_byte_array_append (out, (const guint8 *) payload, strlen (payload));
  put_u32 (out, boto_crc32 (0, out->data, out->len));
  return out;
}

static GByteArray *
event_message (const char *event_type,
               const char *payload)
{
  return event_message_full (payload, ":message-type", "event", ":event-type", event_type, NULL);
}

static void
assert_event_invalid (const guint8 *data,
                      gsize         len,
                      const char   *why)
{
  g_autoptr(GError) error = NULL;
  BotoEventMessage message;
  gsize consumed = 0;

  g_assert_false (boto_event_message_decode (data, len, &message, &consumed, &error));
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_RESPONSE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, why));
}

static void
test_event_stream_framing (void)
{
  g_autoptr(GByteArray) good = event_message ("TypeA", "somebytes");
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *copy = g_memdup2 (good->data, good->len);
  BotoEventMessage message;
  gsize consumed = 0;

  g_assert_true (boto_event_message_decode (good->data, good->len, &message, &consumed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (consumed, ==, good->len);
  g_assert_cmpstr (boto_event_message_get_string (&message, ":event-type"), ==, "TypeA");
  g_assert_cmpmem (message.payload, message.payload_len, "somebytes", 9);
  boto_event_message_clear (&message);

  for (gsize cut = 0; cut < good->len; cut++)
    assert_event_invalid (good->data, cut, cut < 12 ? "prelude" : "truncated");

  copy[good->len - 6] ^= 0x01;                    /* payload */
  assert_event_invalid (copy, good->len, "message CRC");
  memcpy (copy, good->data, good->len);
  copy[1] ^= 0x01;                                /* total length */
  assert_event_invalid (copy, good->len, "prelude CRC");

  /* Consistent CRCs around lengths that do not add up: headers longer
   * than the message, a header value past the headers, a 4 GB claim. */
  {
    g_autoptr(GByteArray) bad = g_byte_array_new ();

    put_u32 (bad, 16);
    put_u32 (bad, 100);
    put_u32 (bad, boto_crc32 (0, bad->data, 8));
    put_u32 (bad, boto_crc32 (0, bad->data, 12));
    assert_event_invalid (bad->data, bad->len, "do not add up");
  }
  {
    g_autoptr(GByteArray) bad = g_byte_array_new ();
    static const guint8 header[] = { 1, 'a', BOTO_EVENT_HEADER_STRING, 0x7f, 0xff };

    put_u32 (bad, 12 + sizeof header + 4);
    put_u32 (bad, sizeof header);
    put_u32 (bad, boto_crc32 (0, bad->data, 8));
    g_byte_array_append (bad, header, sizeof header);
    put_u32 (bad, boto_crc32 (0, bad->data, bad->len));
    assert_event_invalid (bad->data, bad->len, "runs past the headers");
  }
  {
    g_autoptr(GByteArray) bad = g_byte_array_new ();

    put_u32 (bad, 0xffffffffu);
    put_u32 (bad, 0);
    put_u32 (bad, boto_crc32 (0, bad->data, 8));
    assert_event_invalid (bad->data, bad->len, "16 MiB");
  }
}


/* S3 SelectObjectContent's buffered event stream: events in order; an
 * error event fails the call as a service error; a corrupt message as an
 * unreadable response that names the status. */
static void
test_event_stream_response (void)
{
  g_autoptr(GByteArray) body = event_message ("Records", "a,b\n");
  g_autoptr(GByteArray) end = event_message ("End", "");
  g_autoptr(GByteArray) failure = event_message_full ("", ":message-type", "error",
                                                      ":error-code", "InternalError",
                                                      ":error-message", "It broke", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GVariant) events = NULL;
  g_autoptr(GVariant) first = NULL;
  gboolean is_error = TRUE;

  g_byte_array_append (body, end->data, end->len);
  result = parse ("s3", "SelectObjectContent", NULL, 200, body->data, body->len, &is_error, &error);
  g_assert_no_error (error);
  g_assert_false (is_error);
  events = g_variant_lookup_value (result, "Payload", G_VARIANT_TYPE ("aa{sv}"));
  g_assert_nonnull (events);
  g_assert_cmpuint (g_variant_n_children (events), ==, 2);
  first = g_variant_get_child_value (events, 0);
  {
    g_autoptr(GVariant) records = g_variant_lookup_value (first, "Records", G_VARIANT_TYPE_VARDICT);
    g_autoptr(GVariant) payload = g_variant_lookup_value (records, "Payload", G_VARIANT_TYPE_BYTESTRING);
    gsize len;
    const char *data = g_variant_get_fixed_array (payload, &len, 1);

    g_assert_cmpmem (data, len, "a,b\n", 4);
  }
  g_clear_pointer (&result, g_variant_unref);

  {
    g_autoptr(GByteArray) with_error = event_message ("Records", "x");

    g_byte_array_append (with_error, failure->data, failure->len);
    result = parse ("s3", "SelectObjectContent", NULL, 200, with_error->data, with_error->len, &is_error, &error);
    g_assert_null (result);
    g_assert_true (error->domain == BOTO_SERVICE_ERROR);
    g_assert_cmpstr (boto_service_error_get_code (error), ==, "InternalError");
    g_assert_cmpstr (boto_service_error_get_message (error), ==, "It broke");
    g_assert_cmpuint (boto_service_error_get_status (error), ==, 200);
    g_clear_error (&error);
  }
  body->data[20] ^= 0xff;
  assert_unreadable ("s3", "SelectObjectContent", NULL, 200, body->data, body->len);
}

/* Through the client, from a SoupServer ------------------------------------ */

typedef enum
{
  REPLY_HUGE_LENGTH,     /* Content-Length: 2147483648, a few bytes */
  REPLY_SHORT_BODY,      /* Content-Length: 100, 10 bytes, then close */
  REPLY_HTML_200,
  REPLY_HTML_500,
} Reply;

typedef struct
{
  TestServer         *ts;
  const char         *url;
  Reply         reply;
  GMutex        lock;
} Server;

static void
handler (SoupServer        *soup_server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Server *server = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  static const char html[] = "<html><body>Service unavailable</body></html>";

  switch (server->reply)
    {
    case REPLY_HUGE_LENGTH:
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/x-amz-json-1.0", SOUP_MEMORY_STATIC, "{}", 2);
      soup_message_headers_set_content_length (headers, G_GOFFSET_CONSTANT (2147483648));
      break;
    case REPLY_SHORT_BODY:
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/x-amz-json-1.0", SOUP_MEMORY_STATIC,
                                        "{\"TableNa", 10);
      soup_message_headers_set_content_length (headers, 100);
      soup_message_headers_replace (headers, "Connection", "close");
      break;
    case REPLY_HTML_200:
    case REPLY_HTML_500:
      soup_server_message_set_status (msg, server->reply == REPLY_HTML_200 ? 200 : 500, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, html, strlen (html));
      break;
    }
}

static Server *
server_start (Reply reply)
{
  Server *server = g_new0 (Server, 1);

  g_mutex_init (&server->lock);
  server->reply = reply;
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

static BotoClient *
make_client (Server *server)
{
  g_autoptr(BotoSession) session = boto_session_new ();
  g_autoptr(BotoConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  BotoClient *client;

  g_setenv ("AWS_ACCESS_KEY_ID", "testing", TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", "testing", TRUE);
  g_setenv ("AWS_DEFAULT_REGION", "us-east-1", TRUE);
  config = boto_config_new (g_variant_new_parsed ("{'retries': <{'mode': <'standard'>, "
                                                  "'total_max_attempts': <int64 1>}>, "
                                                  "'read_timeout': <2.0>, 'connect_timeout': <2.0>}"),
                            &error);
  g_assert_no_error (error);
  client = boto_session_create_client (session, "dynamodb", server->url, config, &error);
  g_assert_no_error (error);
  return client;
}

static void
on_called (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Call ListTables against a server answering @reply, sync or async. */
static GVariant *
call (Reply      reply,
      gboolean   async,
      GError   **error)
{
  Server *server = server_start (reply);
  g_autoptr(BotoClient) client = make_client (server);
  GVariant *result;

  if (async)
    {
      g_autoptr(GAsyncResult) async_result = NULL;

      boto_client_call_async (client, "ListTables", NULL, NULL, on_called, &async_result);
      while (async_result == NULL)
        g_main_context_iteration (NULL, TRUE);
      result = boto_client_call_finish (client, async_result, error);
    }
  else
    result = boto_client_call (client, "ListTables", NULL, NULL, error);
  server_stop (server);
  return result;
}

static void
test_client_huge_content_length (void)
{
  for (guint async = 0; async <= 1; async++)
    {
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      g_autoptr(GVariant) result = call (REPLY_HUGE_LENGTH, async, &error);

      g_assert_null (result);
      g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_RESPONSE);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, "HTTP 200"));
      g_assert_nonnull (strstr (error->message, "2147483648"));
      /* Refused at the headers, not after the (2 s) read timeout. */
      g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
    }
}

static void
test_client_short_body (void)
{
  for (guint async = 0; async <= 1; async++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) result = call (REPLY_SHORT_BODY, async, &error);

      g_assert_null (result);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, "HTTP 200"));
    }
}

static void
test_client_html (void)
{
  for (guint async = 0; async <= 1; async++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) error500 = NULL;
      g_autoptr(GVariant) result = call (REPLY_HTML_200, async, &error);
      g_autoptr(GVariant) result500 = call (REPLY_HTML_500, async, &error500);

      g_assert_null (result);
      g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_RESPONSE);
      g_assert_nonnull (strstr (error->message, "HTTP 200"));

      g_assert_null (result500);
      g_assert_nonnull (error500);
      g_test_message ("%s", error500->message);
      g_assert_true (error500->domain == BOTO_SERVICE_ERROR);
      g_assert_cmpuint (boto_service_error_get_status (error500), ==, 500);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/boto/protocol-bad-input/truncated-xml", test_truncated_xml);
  g_test_add_func ("/boto/protocol-bad-input/malformed-xml", test_malformed_xml);
  g_test_add_func ("/boto/protocol-bad-input/truncated-json", test_truncated_json);
  g_test_add_func ("/boto/protocol-bad-input/truncated-cbor", test_truncated_cbor);
  g_test_add_func ("/boto/protocol-bad-input/wrong-protocol", test_wrong_protocol);
  g_test_add_func ("/boto/protocol-bad-input/null-in-nested-list", test_null_in_nested_list);
  g_test_add_func ("/boto/protocol-bad-input/deep-xml", test_deep_xml);
  g_test_add_func ("/boto/protocol-bad-input/deep-json", test_deep_json);
  g_test_add_func ("/boto/protocol-bad-input/deep-cbor", test_deep_cbor);
  g_test_add_func ("/boto/protocol-bad-input/event-stream-framing", test_event_stream_framing);
  g_test_add_func ("/boto/protocol-bad-input/event-stream-response", test_event_stream_response);
  g_test_add_func ("/boto/protocol-bad-input/client-huge-content-length", test_client_huge_content_length);
  g_test_add_func ("/boto/protocol-bad-input/client-short-body", test_client_short_body);
  g_test_add_func ("/boto/protocol-bad-input/client-html", test_client_html);

  return g_test_run ();
}
