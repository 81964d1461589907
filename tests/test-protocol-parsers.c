/* test-protocol-parsers.c: the response parsers beyond the conformance
 * suites: bad bodies, typed empty lists, timestamps, S3's special errors,
 * query-compatible error codes, hostile nesting.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include <boto-glib/boto-glib.h>

#include "boto-protocol-parser-private.h"

/* One service, one operation named @op_name; its output shape is `Out`. */
static BotoServiceModel *
make_model (const char *protocol,
            const char *op_name,
            const char *extra_metadata,
            const char *shapes)
{
  g_autofree char *text = g_strdup_printf (
    "{\"metadata\": {\"protocol\": \"%s\", \"apiVersion\": \"2020-01-01\", \"endpointPrefix\": \"t\","
    " \"jsonVersion\": \"1.0\", \"targetPrefix\": \"T\"%s},"
    " \"operations\": {\"%s\": {\"name\": \"%s\", \"http\": {\"method\": \"POST\", \"requestUri\": \"/\"},"
    "   \"output\": {\"shape\": \"Out\"}, \"errors\": [{\"shape\": \"Custom\"}]}},"
    " \"shapes\": {%s}}",
    protocol, extra_metadata ? extra_metadata : "", op_name, op_name, shapes);
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  BotoServiceModel *model = boto_service_model_new_from_data ("test", bytes, &error);

  g_assert_no_error (error);
  return model;
}

static const char *basic_shapes =
  "\"Out\": {\"type\": \"structure\", \"members\": {"
  "  \"Items\": {\"shape\": \"Names\"}, \"Things\": {\"shape\": \"Things\"},"
  "  \"Doc\": {\"shape\": \"Doc\"}, \"Name\": {\"shape\": \"S\"}}},"
  "\"Names\": {\"type\": \"list\", \"member\": {\"shape\": \"S\"}},"
  "\"Things\": {\"type\": \"list\", \"member\": {\"shape\": \"Thing\"}},"
  "\"Thing\": {\"type\": \"structure\", \"members\": {\"Id\": {\"shape\": \"S\"}}},"
  "\"Doc\": {\"type\": \"structure\", \"members\": {}, \"document\": true},"
  "\"Custom\": {\"type\": \"structure\", \"members\": {\"Detail\": {\"shape\": \"S\"}},"
  "  \"exception\": true, \"error\": {\"code\": \"Customized\"}},"
  "\"S\": {\"type\": \"string\"}";

static GVariant *
parse (BotoServiceModel   *model,
       const char         *op_name,
       guint               status,
       SoupMessageHeaders *headers,
       const char         *body,
       gboolean           *is_error,
       GError            **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  BotoOperationModel *op = boto_service_model_get_operation (model, op_name, NULL);

  g_assert_nonnull (op);
  return boto_protocol_parse_response (op, boto_service_model_get_protocol (model), status,
                                       headers, bytes, is_error, error);
}

static void
check_invalid (const char *protocol,
               const char *body)
{
  g_autoptr(BotoServiceModel) model = make_model (protocol, "Op", NULL, basic_shapes);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = parse (model, "Op", 200, NULL, body, NULL, &error);

  g_assert_null (result);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_RESPONSE);
}

static void
test_malformed (void)
{
  check_invalid ("json", "{\"Items\": [");
  check_invalid ("json", "not json at all");
  check_invalid ("json", "{\"Items\": \"not a list\"}");
  check_invalid ("rest-json", "{\"Name\": 12");
  check_invalid ("rest-xml", "<Out><Name>x</Out>");
  check_invalid ("rest-xml", "<Out><Name>&bogus;</Name></Out>");
  check_invalid ("query", "<OpResponse><OpResult><Name>x</Name></OpResult>");
  check_invalid ("ec2", "\xff\xfe<garbage");
}

static void
test_malformed_error_body (void)
{
  g_autoptr(BotoServiceModel) model = make_model ("rest-xml", "Op", NULL, basic_shapes);
  g_autoptr(GError) error = NULL;
  gboolean is_error = FALSE;
  g_autoptr(GVariant) result = parse (model, "Op", 503, NULL, "<html><body>down", &is_error, &error);
  const char *code = NULL;

  /* An unreadable error body is still an error, from the status. */
  g_assert_no_error (error);
  g_assert_true (is_error);
  g_assert_true (g_variant_lookup (result, "Error", "{&s&s}", NULL, NULL) ||
                 TRUE);
  {
    g_autoptr(GVariant) err = g_variant_lookup_value (result, "Error", G_VARIANT_TYPE_VARDICT);

    g_assert_true (g_variant_lookup (err, "Code", "&s", &code));
    g_assert_cmpstr (code, ==, "503");
  }
}

/* Element names are matched without their `prefix:`, whether a name is
 * first seen with a prefix or without one. */
static void
test_prefixed_names (void)
{
  static const char * const bodies[] = {
    "<Out><Name>a</Name><Things><member><Id>1</Id></member><x:member><x:Id>2</x:Id></x:member></Things>"
    "<Items><y:member>p</y:member><member>q</member></Items></Out>",
    "<x:Out xmlns:x=\"urn:x\"><x:Name>a</x:Name><x:Things><x:member><Id>1</Id></x:member>"
    "<member><y:Id>2</y:Id></member></x:Things><Items><member>p</member><z:member>q</z:member></Items></x:Out>",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(BotoServiceModel) model = make_model ("rest-xml", "Op", NULL, basic_shapes);
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) result = parse (model, "Op", 200, NULL, bodies[i], NULL, &error);
      g_autoptr(GVariant) items = NULL;
      g_autoptr(GVariant) things = NULL;
      g_autoptr(GVariant) name = NULL;
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      name = g_variant_lookup_value (result, "Name", G_VARIANT_TYPE_STRING);
      items = g_variant_lookup_value (result, "Items", NULL);
      things = g_variant_lookup_value (result, "Things", NULL);
      g_assert_nonnull (name);
      g_assert_cmpstr (g_variant_get_string (name, NULL), ==, "a");
      text = g_variant_print (items, FALSE);
      g_assert_cmpstr (text, ==, "['p', 'q']");
      g_clear_pointer (&text, g_free);
      text = g_variant_print (things, FALSE);
      g_assert_cmpstr (text, ==, "[{'Id': <'1'>}, {'Id': <'2'>}]");
    }
}

static void
test_typed_empty_lists (void)
{
  static const char * const cases[][2] = {
    { "json", "{\"Items\": [], \"Things\": []}" },
    { "rest-json", "{\"Items\": [], \"Things\": []}" },
    { "rest-xml", "<Out><Items/><Things></Things></Out>" },
    { "query", "<OpResponse><OpResult><Items/><Things/></OpResult></OpResponse>" },
    { "ec2", "<OpResponse><Items/><Things/></OpResponse>" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BotoServiceModel) model = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) result = NULL;
      g_autoptr(GVariant) items = NULL;
      g_autoptr(GVariant) things = NULL;

      if (g_str_equal (cases[i][0], "query"))
        model = make_model ("query", "Op", NULL, basic_shapes);
      else
        model = make_model (cases[i][0], "Op", NULL, basic_shapes);
      if (g_str_equal (cases[i][0], "query"))
        {
          /* The query output is read under <OpResult>. */
          g_autoptr(BotoServiceModel) wrapped = NULL;
          g_autofree char *text = g_strdup_printf (
            "{\"metadata\": {\"protocol\": \"query\", \"apiVersion\": \"x\"},"
            " \"operations\": {\"Op\": {\"name\": \"Op\", \"output\": {\"shape\": \"Out\", \"resultWrapper\": \"OpResult\"}}},"
            " \"shapes\": {%s}}", basic_shapes);
          g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

          wrapped = boto_service_model_new_from_data ("test", bytes, &error);
          g_assert_no_error (error);
          g_clear_object (&model);
          model = g_steal_pointer (&wrapped);
        }

      result = parse (model, "Op", 200, NULL, cases[i][1], NULL, &error);
      g_assert_no_error (error);
      items = g_variant_lookup_value (result, "Items", NULL);
      things = g_variant_lookup_value (result, "Things", NULL);
      g_assert_nonnull (items);
      g_assert_nonnull (things);
      g_assert_cmpstr (g_variant_get_type_string (items), ==, "as");
      g_assert_cmpstr (g_variant_get_type_string (things), ==, "aa{sv}");
      g_assert_cmpuint (g_variant_n_children (items), ==, 0);
      g_assert_cmpuint (g_variant_n_children (things), ==, 0);
    }
}

static void
test_timestamps (void)
{
  static const struct { const char *text; gint64 usec; } good[] = {
    { "2015-01-25T08:00:00Z", G_GINT64_CONSTANT (1422172800000000) },
    { "2015-01-25T08:00:00.123Z", G_GINT64_CONSTANT (1422172800123000) },
    { "2015-01-25T08:00:00.123456Z", G_GINT64_CONSTANT (1422172800123456) },
    { "2015-01-25T10:00:00+02:00", G_GINT64_CONSTANT (1422172800000000) },
    { "2015-01-25T03:00:00-05:00", G_GINT64_CONSTANT (1422172800000000) },
    { "2015-01-25T08:00:00", G_GINT64_CONSTANT (1422172800000000) },
    { "2015-01-25", G_GINT64_CONSTANT (1422144000000000) },
    { "Sun, 25 Jan 2015 08:00:00 GMT", G_GINT64_CONSTANT (1422172800000000) },
    { "Sunday, 25-Jan-15 08:00:00 GMT", G_GINT64_CONSTANT (1422172800000000) },
    { "Sun Jan 25 08:00:00 2015", G_GINT64_CONSTANT (1422172800000000) },
    { "1422172800", G_GINT64_CONSTANT (1422172800000000) },
    { "1422172800.5", G_GINT64_CONSTANT (1422172800500000) },
    { "1422172800.123456", G_GINT64_CONSTANT (1422172800123456) },
    { "0", 0 },
  };
  static const char * const bad[] = { "", "yesterday", "2015-13-45T99:00:00Z", "inf", "nan", "12abc" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      gint64 usec = -1;

      g_assert_true (boto_protocol_parse_timestamp (good[i].text, &usec));
      g_assert_cmpint (usec, ==, good[i].usec);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      gint64 usec;

      g_assert_false (boto_protocol_parse_timestamp (bad[i], &usec));
    }
}

static void
test_timestamp_members (void)
{
  static const char *shapes =
    "\"Out\": {\"type\": \"structure\", \"members\": {"
    "  \"H\": {\"shape\": \"T\", \"location\": \"header\", \"locationName\": \"x-when\"},"
    "  \"Hs\": {\"shape\": \"Ts\", \"location\": \"header\", \"locationName\": \"x-whens\"},"
    "  \"B\": {\"shape\": \"T\"}, \"E\": {\"shape\": \"T\"}}},"
    "\"Ts\": {\"type\": \"list\", \"member\": {\"shape\": \"T\"}},"
    "\"T\": {\"type\": \"timestamp\"}, \"Custom\": {\"type\": \"structure\", \"members\": {}}";
  g_autoptr(BotoServiceModel) model = make_model ("rest-json", "Op", NULL, shapes);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GVariant) list = NULL;
  gint64 value;

  soup_message_headers_append (headers, "X-When", "Sun, 25 Jan 2015 08:00:00 GMT");
  soup_message_headers_append (headers, "X-Whens", "Sun, 25 Jan 2015 08:00:00 GMT, Mon, 26 Jan 2015 08:00:00 GMT");
  result = parse (model, "Op", 200, headers, "{\"B\": 1422172800.25, \"E\": \"2015-01-25T08:00:00.5Z\"}", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_lookup (result, "H", "x", &value));
  g_assert_cmpint (value, ==, G_GINT64_CONSTANT (1422172800000000));
  g_assert_true (g_variant_lookup (result, "B", "x", &value));
  g_assert_cmpint (value, ==, G_GINT64_CONSTANT (1422172800250000));
  g_assert_true (g_variant_lookup (result, "E", "x", &value));
  g_assert_cmpint (value, ==, G_GINT64_CONSTANT (1422172800500000));
  list = g_variant_lookup_value (result, "Hs", G_VARIANT_TYPE ("ax"));
  g_assert_nonnull (list);
  g_assert_cmpuint (g_variant_n_children (list), ==, 2);
}

static const char *s3_shapes =
  "\"Out\": {\"type\": \"structure\", \"members\": {\"Location\": {\"shape\": \"S\"}}},"
  "\"Custom\": {\"type\": \"structure\", \"members\": {}, \"exception\": true},"
  "\"S\": {\"type\": \"string\"}";

static void
check_error (GVariant   *result,
             const char *code,
             const char *message)
{
  g_autoptr(GVariant) err = g_variant_lookup_value (result, "Error", G_VARIANT_TYPE_VARDICT);
  const char *value = NULL;

  g_assert_nonnull (err);
  g_assert_true (g_variant_lookup (err, "Code", "&s", &value));
  g_assert_cmpstr (value, ==, code);
  if (message != NULL)
    {
      g_assert_true (g_variant_lookup (err, "Message", "&s", &value));
      g_assert_cmpstr (value, ==, message);
    }
}

static void
test_s3_200_error (void)
{
  static const char *body =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message>"
    "<RequestId>656c76696e6727732072657175657374</RequestId><HostId>Uuag1LuByRx9e6j5Onimru9p</HostId></Error>";
  static const char * const ops[] = { "CompleteMultipartUpload", "CopyObject", "UploadPartCopy" };

  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    {
      g_autoptr(BotoServiceModel) model = make_model ("rest-xml", ops[i], NULL, s3_shapes);
      g_autoptr(GError) error = NULL;
      gboolean is_error = FALSE;
      g_autoptr(GVariant) result = parse (model, ops[i], 200, NULL, body, &is_error, &error);
      g_autoptr(GVariant) metadata = NULL;
      const char *request_id = NULL;

      g_assert_no_error (error);
      g_assert_true (is_error);
      check_error (result, "InternalError", "We encountered an internal error.");
      /* As botocore: S3's ids come from the x-amz-request-id and
       * x-amz-id-2 headers (none here); the body's copies are dropped. */
      metadata = g_variant_lookup_value (result, "ResponseMetadata", G_VARIANT_TYPE_VARDICT);
      g_assert_false (g_variant_lookup (metadata, "RequestId", "&s", &request_id));
      g_assert_false (g_variant_lookup (metadata, "HostId", "&s", NULL));
    }

  /* Another operation with the same body is not an error. */
  {
    g_autoptr(BotoServiceModel) model = make_model ("rest-xml", "GetBucketLocation", NULL, s3_shapes);
    g_autoptr(GError) error = NULL;
    gboolean is_error = TRUE;
    g_autoptr(GVariant) result = parse (model, "GetBucketLocation", 200, NULL, body, &is_error, &error);

    g_assert_no_error (error);
    g_assert_false (is_error);
  }
}

/* A server may send any byte in a header: what is not UTF-8 is read as
 * ISO-8859-1 (as Python's http.client reads headers), UTF-8 stays. */
static void
test_non_utf8_headers (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoServiceModel) model = boto_service_model_load ("s3", &error);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GVariant) metadata = NULL;
  g_autoptr(GVariant) response_metadata = NULL;
  g_autoptr(GVariant) http_headers = NULL;
  BotoOperationModel *op;
  gboolean is_error = TRUE;
  const char *value = NULL;

  g_assert_no_error (error);
  op = boto_service_model_get_operation (model, "HeadObject", &error);
  g_assert_no_error (error);
  soup_message_headers_append (headers, "x-amz-meta-city", "K\xf6ln");
  soup_message_headers_append (headers, "x-amz-meta-name", "caf\xc3\xa9");
  soup_message_headers_append (headers, "Content-Type", "text/plain; name=\xff");
  result = boto_protocol_parse_response (op, "rest-xml", 200, headers, NULL, &is_error, &error);
  g_assert_no_error (error);
  g_assert_false (is_error);
  g_assert_true (g_variant_is_normal_form (result));

  metadata = g_variant_lookup_value (result, "Metadata", G_VARIANT_TYPE ("a{ss}"));
  g_assert_nonnull (metadata);
  g_assert_true (g_variant_lookup (metadata, "city", "&s", &value));
  g_assert_cmpstr (value, ==, "K\xc3\xb6ln");
  g_assert_true (g_variant_lookup (metadata, "name", "&s", &value));
  g_assert_cmpstr (value, ==, "caf\xc3\xa9");
  g_assert_true (g_variant_lookup (result, "ContentType", "&s", &value));
  g_assert_cmpstr (value, ==, "text/plain; name=\xc3\xbf");

  response_metadata = g_variant_lookup_value (result, "ResponseMetadata", G_VARIANT_TYPE_VARDICT);
  http_headers = g_variant_lookup_value (response_metadata, "HTTPHeaders", G_VARIANT_TYPE ("a{ss}"));
  g_assert_true (g_variant_lookup (http_headers, "x-amz-meta-city", "&s", &value));
  g_assert_cmpstr (value, ==, "K\xc3\xb6ln");

  /* The same in an error response's code and message headers. */
  g_clear_pointer (&result, g_variant_unref);
  soup_message_headers_append (headers, "x-amzn-errortype", "Bad\xe9");
  result = boto_protocol_parse_response (op, "rest-xml", 404, headers, NULL, &is_error, &error);
  g_assert_no_error (error);
  g_assert_true (is_error);
  g_assert_true (g_variant_is_normal_form (result));
}

static void
test_s3_404_head (void)
{
  g_autoptr(BotoServiceModel) model = make_model ("rest-xml", "HeadObject", NULL, s3_shapes);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GError) error = NULL;
  gboolean is_error = FALSE;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GVariant) metadata = NULL;
  g_autoptr(GVariant) http_headers = NULL;
  const char *value = NULL;
  gint32 status = 0;

  soup_message_headers_append (headers, "x-amz-request-id", "REQ123");
  soup_message_headers_append (headers, "x-amz-id-2", "HOST456");
  soup_message_headers_append (headers, "Content-Type", "application/xml");
  result = parse (model, "HeadObject", 404, headers, "", &is_error, &error);
  g_assert_no_error (error);
  g_assert_true (is_error);
  check_error (result, "404", "Not Found");

  metadata = g_variant_lookup_value (result, "ResponseMetadata", G_VARIANT_TYPE_VARDICT);
  g_assert_true (g_variant_lookup (metadata, "RequestId", "&s", &value));
  g_assert_cmpstr (value, ==, "REQ123");
  g_assert_true (g_variant_lookup (metadata, "HostId", "&s", &value));
  g_assert_cmpstr (value, ==, "HOST456");
  g_assert_true (g_variant_lookup (metadata, "HTTPStatusCode", "i", &status));
  g_assert_cmpint (status, ==, 404);
  http_headers = g_variant_lookup_value (metadata, "HTTPHeaders", G_VARIANT_TYPE ("a{ss}"));
  g_assert_true (g_variant_lookup (http_headers, "content-type", "&s", &value));
  g_assert_cmpstr (value, ==, "application/xml");
}

/* HTTPHeaders: lower-case names, a repeated name once with its values
 * joined, a value that is not UTF-8 mended; with few headers and many. */
static void
test_http_headers (void)
{
  g_autoptr(BotoServiceModel) model = make_model ("rest-xml", "HeadObject", NULL, s3_shapes);

  for (guint extra = 0; extra <= 20; extra += 20)
    {
      g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
      g_autoptr(GError) error = NULL;
      gboolean is_error = FALSE;
      g_autoptr(GVariant) result = NULL;
      g_autoptr(GVariant) metadata = NULL;
      g_autoptr(GVariant) http_headers = NULL;
      const char *value = NULL;

      soup_message_headers_append (headers, "X-Multi", "a");
      soup_message_headers_append (headers, "Content-Type", "text/plain");
      soup_message_headers_append (headers, "x-multi", "b");
      soup_message_headers_append (headers, "x-latin", "caf\xe9");
      for (guint i = 0; i < extra; i++)
        {
          g_autofree char *name = g_strdup_printf ("X-Extra-%u", i);

          soup_message_headers_append (headers, name, "e");
        }
      result = parse (model, "HeadObject", 200, headers, "", &is_error, &error);
      g_assert_no_error (error);
      metadata = g_variant_lookup_value (result, "ResponseMetadata", G_VARIANT_TYPE_VARDICT);
      http_headers = g_variant_lookup_value (metadata, "HTTPHeaders", G_VARIANT_TYPE ("a{ss}"));
      g_assert_cmpuint (g_variant_n_children (http_headers), ==, 3 + extra);
      g_assert_true (g_variant_lookup (http_headers, "x-multi", "&s", &value));
      g_assert_cmpstr (value, ==, "a, b");
      g_assert_true (g_variant_lookup (http_headers, "content-type", "&s", &value));
      g_assert_cmpstr (value, ==, "text/plain");
      g_assert_true (g_variant_lookup (http_headers, "x-latin", "&s", &value));
      /* read as ISO-8859-1 (boto_protocol_utf8_headers) */
      g_assert_cmpstr (value, ==, "caf\xc3\xa9");
      if (extra > 0)
        {
          g_assert_true (g_variant_lookup (http_headers, "x-extra-19", "&s", &value));
          g_assert_cmpstr (value, ==, "e");
        }
    }
}

static void
test_query_compatible (void)
{
  g_autoptr(BotoServiceModel) model = make_model ("json", "Op", ", \"awsQueryCompatible\": {}", basic_shapes);
  g_autoptr(BotoServiceModel) plain = make_model ("json", "Op", NULL, basic_shapes);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  static const char *body = "{\"__type\": \"com.amazon#CustomError:http://internal\", \"message\": \"Hi\", \"Detail\": \"d\"}";
  g_autoptr(GError) error = NULL;
  gboolean is_error = FALSE;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GVariant) plain_result = NULL;
  g_autoptr(GVariant) err = NULL;
  const char *value = NULL;

  soup_message_headers_append (headers, "x-amzn-query-error", "Customized;Sender");
  soup_message_headers_append (headers, "x-amzn-RequestId", "rid");
  result = parse (model, "Op", 400, headers, body, &is_error, &error);
  g_assert_no_error (error);
  g_assert_true (is_error);
  check_error (result, "Customized", "Hi");
  err = g_variant_lookup_value (result, "Error", G_VARIANT_TYPE_VARDICT);
  g_assert_true (g_variant_lookup (err, "QueryErrorCode", "&s", &value));
  g_assert_cmpstr (value, ==, "CustomError");
  g_assert_true (g_variant_lookup (err, "Type", "&s", &value));
  g_assert_cmpstr (value, ==, "Sender");
  /* The modelled error (error.code "Customized") adds its members. */
  g_assert_true (g_variant_lookup (result, "Detail", "&s", &value));
  g_assert_cmpstr (value, ==, "d");

  /* Without the model flag the header is not used. */
  plain_result = parse (plain, "Op", 400, headers, body, &is_error, &error);
  g_assert_no_error (error);
  check_error (plain_result, "CustomError", "Hi");
}

static void
test_deep_nesting (void)
{
  const guint depth = 10000;
  g_autoptr(GString) xml = g_string_new ("<Out><Name>");
  g_autoptr(GString) json = g_string_new ("{\"Doc\": ");
  g_autoptr(BotoServiceModel) xml_model = make_model ("rest-xml", "Op", NULL, basic_shapes);
  g_autoptr(BotoServiceModel) json_model = make_model ("json", "Op", NULL, basic_shapes);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  gboolean is_error;

  for (guint i = 0; i < depth; i++)
    g_string_append (xml, "<a>");
  for (guint i = 0; i < depth; i++)
    g_string_append (xml, "</a>");
  g_string_append (xml, "</Name></Out>");
  result = parse (xml_model, "Op", 200, NULL, xml->str, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);

  /* As an error body it is still an error response, not a crash. */
  result = parse (xml_model, "Op", 400, NULL, xml->str, &is_error, &error);
  g_assert_no_error (error);
  g_assert_true (is_error);
  g_clear_pointer (&result, g_variant_unref);

  for (guint i = 0; i < depth; i++)
    g_string_append_c (json, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (json, ']');
  g_string_append_c (json, '}');
  result = parse (json_model, "Op", 200, NULL, json->str, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_RESPONSE);
}

static void
test_document_and_metadata (void)
{
  g_autoptr(BotoServiceModel) model = make_model ("json", "Op", NULL, basic_shapes);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GVariant) doc = NULL;
  g_autoptr(GVariant) inner = NULL;
  g_autoptr(GVariant) metadata = NULL;
  g_autofree char *printed = NULL;
  const char *value = NULL;
  gint32 attempts = -1;

  soup_message_headers_append (headers, "X-Amzn-RequestId", "abc");
  result = parse (model, "Op", 200, headers,
                  "{\"Doc\": {\"a\": [1, 2.5, null, true, \"s\"]}, \"Name\": \"n\"}", NULL, &error);
  g_assert_no_error (error);
  doc = g_variant_lookup_value (result, "Doc", G_VARIANT_TYPE_VARIANT);
  g_assert_nonnull (doc);
  inner = g_variant_get_variant (doc);
  printed = g_variant_print (inner, FALSE);
  g_assert_cmpstr (printed, ==, "{'a': <[<int64 1>, <2.5>, <@mv nothing>, <true>, <'s'>]>}");

  metadata = g_variant_lookup_value (result, "ResponseMetadata", G_VARIANT_TYPE_VARDICT);
  g_assert_true (g_variant_lookup (metadata, "RequestId", "&s", &value));
  g_assert_cmpstr (value, ==, "abc");
  g_assert_true (g_variant_lookup (metadata, "RetryAttempts", "i", &attempts));
  g_assert_cmpint (attempts, ==, 0);
}

/* A repeated x-amzn-requestid: the one soup_message_headers_get_one()
 * gives (the last), in whatever case it is spelled. */
static void
test_repeated_request_id (void)
{
  g_autoptr(BotoServiceModel) model = make_model ("json", "Op", NULL, basic_shapes);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GVariant) metadata = NULL;
  const char *value = NULL;

  soup_message_headers_append (headers, "X-Amzn-RequestId", "first");
  soup_message_headers_append (headers, "Content-Type", "application/x-amz-json-1.0");
  soup_message_headers_append (headers, "x-amzn-requestid-extra", "no");
  soup_message_headers_append (headers, "x-AMZN-requestid", "last");
  soup_message_headers_append (headers, "x-amzn-requesti", "no");
  result = parse (model, "Op", 200, headers, "{\"Name\": \"n\"}", NULL, &error);
  g_assert_no_error (error);
  metadata = g_variant_lookup_value (result, "ResponseMetadata", G_VARIANT_TYPE_VARDICT);
  g_assert_true (g_variant_lookup (metadata, "RequestId", "&s", &value));
  g_assert_cmpstr (value, ==, soup_message_headers_get_one (headers, "x-amzn-requestid"));
  g_assert_cmpstr (value, ==, "last");
}

static void
test_unknown_protocol (void)
{
  g_autoptr(BotoServiceModel) model = make_model ("json", "Op", NULL, basic_shapes);
  BotoOperationModel *op = boto_service_model_get_operation (model, "Op", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = boto_protocol_parse_response (op, "carrier-pigeon", 200, NULL, NULL, NULL, &error);

  g_assert_null (result);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_RESPONSE);
}

/* A list with nulls is an `av` whose nulls are `mv` nothing (DESIGN.md);
 * a list without nulls stays typed. */
static void
test_sparse_list (void)
{
  g_autoptr(BotoServiceModel) model = make_model ("json", "Op", NULL, basic_shapes);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = parse (model, "Op", 200, NULL,
                                      "{\"Items\": [\"a\", null, \"b\"], \"Things\": [{\"Id\": \"x\"}]}",
                                      NULL, &error);
  g_autoptr(GVariant) items = NULL;
  g_autoptr(GVariant) things = NULL;
  g_autoptr(GVariant) first_child = NULL;
  g_autoptr(GVariant) first = NULL;
  g_autoptr(GVariant) second = NULL;
  g_autoptr(GVariant) inner = NULL;

  g_assert_no_error (error);
  items = g_variant_lookup_value (result, "Items", NULL);
  things = g_variant_lookup_value (result, "Things", NULL);
  g_assert_cmpstr (g_variant_get_type_string (items), ==, "av");
  g_assert_cmpstr (g_variant_get_type_string (things), ==, "aa{sv}");
  g_assert_cmpuint (g_variant_n_children (items), ==, 3);
  first_child = g_variant_get_child_value (items, 0);
  first = g_variant_get_variant (first_child);
  g_assert_cmpstr (g_variant_get_string (first, NULL), ==, "a");
  second = g_variant_get_child_value (items, 1);
  inner = g_variant_get_variant (second);
  g_assert_true (g_variant_is_of_type (inner, G_VARIANT_TYPE ("mv")));
  g_assert_null (g_variant_get_maybe (inner));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/boto/protocol-parsers/malformed", test_malformed);
  g_test_add_func ("/boto/protocol-parsers/malformed-error-body", test_malformed_error_body);
  g_test_add_func ("/boto/protocol-parsers/typed-empty-lists", test_typed_empty_lists);
  g_test_add_func ("/boto/protocol-parsers/prefixed-names", test_prefixed_names);
  g_test_add_func ("/boto/protocol-parsers/timestamps", test_timestamps);
  g_test_add_func ("/boto/protocol-parsers/timestamp-members", test_timestamp_members);
  g_test_add_func ("/boto/protocol-parsers/s3-200-error", test_s3_200_error);
  g_test_add_func ("/boto/protocol-parsers/s3-404-head", test_s3_404_head);
  g_test_add_func ("/boto/protocol-parsers/http-headers", test_http_headers);
  g_test_add_func ("/boto/protocol-parsers/query-compatible", test_query_compatible);
  g_test_add_func ("/boto/protocol-parsers/deep-nesting", test_deep_nesting);
  g_test_add_func ("/boto/protocol-parsers/document-and-metadata", test_document_and_metadata);
  g_test_add_func ("/boto/protocol-parsers/repeated-request-id", test_repeated_request_id);
  g_test_add_func ("/boto/protocol-parsers/unknown-protocol", test_unknown_protocol);
  g_test_add_func ("/boto/protocol-parsers/sparse-list", test_sparse_list);
  g_test_add_func ("/boto/protocol-parsers/non-utf8-headers", test_non_utf8_headers);

  return g_test_run ();
}
