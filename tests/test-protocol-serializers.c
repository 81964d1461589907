/* test-protocol-serializers.c: request serializers and parameter validation
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include <boto-glib/boto-glib.h>

#include "boto-protocol-serializer-private.h"

static const char model_json[] =
  "{\"metadata\":{\"protocol\":\"rest-xml\",\"apiVersion\":\"2006-03-01\",\"serviceId\":\"T\"},"
  "\"operations\":{\"Put\":{\"name\":\"Put\",\"http\":{\"method\":\"PUT\",\"requestUri\":\"/{Bucket}/{Key+}?x-id=Put\"},"
  "\"input\":{\"shape\":\"PutRequest\"}}},"
  "\"shapes\":{\"PutRequest\":{\"type\":\"structure\",\"required\":[\"Bucket\",\"Key\"],\"members\":{"
  "\"Bucket\":{\"shape\":\"S\",\"location\":\"uri\",\"locationName\":\"Bucket\"},"
  "\"Key\":{\"shape\":\"S1\",\"location\":\"uri\",\"locationName\":\"Key\"},"
  "\"Count\":{\"shape\":\"I\",\"location\":\"querystring\",\"locationName\":\"count\"},"
  "\"Ratio\":{\"shape\":\"D\",\"location\":\"querystring\",\"locationName\":\"ratio\"},"
  "\"When\":{\"shape\":\"T\",\"location\":\"header\",\"locationName\":\"X-When\"},"
  "\"Data\":{\"shape\":\"B\",\"location\":\"header\",\"locationName\":\"X-Data\"},"
  "\"Tags\":{\"shape\":\"L\",\"location\":\"querystring\",\"locationName\":\"tag\"},"
  "\"Meta\":{\"shape\":\"M\",\"location\":\"headers\",\"locationName\":\"x-amz-meta-\"},"
  "\"Delete\":{\"shape\":\"Del\"}}},"
  "\"Del\":{\"type\":\"structure\",\"required\":[\"Objects\"],\"members\":{\"Objects\":{\"shape\":\"Objs\"}}},"
  "\"Objs\":{\"type\":\"list\",\"member\":{\"shape\":\"Obj\"}},"
  "\"Obj\":{\"type\":\"structure\",\"required\":[\"Key\"],\"members\":{\"Key\":{\"shape\":\"S1\"},\"Size\":{\"shape\":\"I\"}}},"
  "\"L\":{\"type\":\"list\",\"member\":{\"shape\":\"S\"}},"
  "\"M\":{\"type\":\"map\",\"key\":{\"shape\":\"S\"},\"value\":{\"shape\":\"S\"}},"
  "\"S\":{\"type\":\"string\"},\"S1\":{\"type\":\"string\",\"min\":1},"
  "\"I\":{\"type\":\"integer\",\"min\":0},\"D\":{\"type\":\"double\"},"
  "\"T\":{\"type\":\"timestamp\"},\"B\":{\"type\":\"blob\"}}}";

static BotoServiceModel *
load_model (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (model_json, strlen (model_json));
  g_autoptr(GError) error = NULL;
  BotoServiceModel *model = boto_service_model_new_from_data ("t", bytes, &error);

  g_assert_no_error (error);
  return model;
}

static BotoHttpRequest *
serialize (const char *params_text,
           GError    **error)
{
  g_autoptr(BotoServiceModel) model = load_model ();
  BotoOperationModel *op = boto_service_model_get_operation (model, "Put", NULL);
  g_autoptr(GVariant) params = g_variant_ref_sink (g_variant_parse (NULL, params_text, NULL, NULL, NULL));

  g_assert_nonnull (params);
  return boto_protocol_serialize_request (model, op, NULL, params, "https://example.com", error);
}

static void
test_validation_messages (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoHttpRequest) request =
    serialize ("{'Key': <''>, 'Bogus': <1>, 'Count': <int64 -1>,"
               " 'Delete': <{'Objects': <[<{'Key': <'a'>}>, <{'Size': <'x'>}>]>}>}", &error);

  g_assert_null (request);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION);
  g_assert_true (g_str_has_prefix (error->message, "Parameter validation failed:\n"));
  g_assert_nonnull (strstr (error->message, "Missing required parameter in input: \"Bucket\""));
  g_assert_nonnull (strstr (error->message, "Unknown parameter in input: \"Bogus\", must be one of: Bucket, Key,"));
  g_assert_nonnull (strstr (error->message, "Invalid length for parameter Key, value: 0, valid min length: 1"));
  g_assert_nonnull (strstr (error->message, "Invalid value for parameter Count, value: -1, valid min value: 0"));
  g_assert_nonnull (strstr (error->message, "Missing required parameter in Delete.Objects[1]: \"Key\""));
  g_assert_nonnull (strstr (error->message, "Invalid type for parameter Delete.Objects[1].Size, value: x, type: <class 'str'>"));
}

static void
test_integer_range (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoHttpRequest) request =
    serialize ("{'Bucket': <'b'>, 'Key': <'k'>, 'Count': <int64 4294967296>}", &error);

  g_assert_null (request);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION);
  g_assert_nonnull (strstr (error->message, "Count, value: 4294967296, valid range"));
}

static void
test_lenient_and_labels (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoHttpRequest) request =
    serialize ("{'Bucket': <'my bucket'>, 'Key': <'a/b c/ü~'>, 'Count': <byte 3>, 'Ratio': <int32 2>,"
               " 'When': <'2015-01-25T08:00:00.5Z'>, 'Data': <'hi'>, 'Tags': <[<'x'>, <'y z'>]>,"
               " 'Meta': <{'a': <'1'>}>}", &error);
  g_autofree char *query = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (boto_http_request_get_encoded_path (request), ==, "/my%20bucket/a/b%20c/%C3%BC~");
  query = boto_http_request_dup_query_string (request);
  g_assert_cmpstr (query, ==, "x-id=Put&count=3&ratio=2.0&tag=x&tag=y%20z");
  g_assert_cmpstr (boto_http_request_get_header (request, "X-When"), ==, "Sun, 25 Jan 2015 08:00:00 GMT");
  g_assert_cmpstr (boto_http_request_get_header (request, "X-Data"), ==, "aGk=");
  g_assert_cmpstr (boto_http_request_get_header (request, "x-amz-meta-a"), ==, "1");
}

static void
test_wrong_types_no_crash (void)
{
  static const char *inputs[] = {
    "{'Bucket': <1>, 'Key': <[1, 2]>}",
    "{'Bucket': <'b'>, 'Key': <'k'>, 'Tags': <'notalist'>, 'Meta': <[1]>, 'When': <'yesterday'>}",
    "{'Bucket': <'b'>, 'Key': <'k'>, 'Delete': <[<1>]>, 'Ratio': <'x'>, 'Data': <true>}",
    "{'Bucket': <@ms nothing>, 'Key': <<<'k'>>>, 'Count': <uint64 18446744073709551615>}",
    "[1, 2]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BotoHttpRequest) request = serialize (inputs[i], &error);

      g_assert_null (request);
      g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION);
    }
}

/* S3's payload members carry their own xmlNamespace and name the root
 * element after the member, not after the target shape (which is what the
 * protocol suite's payloads without a member namespace expect). */
static void
test_s3_payload_roots (void)
{
  static const struct {
    const char *operation;
    const char *params;
    const char *root;
  } cases[] = {
    { "PutBucketLifecycleConfiguration",
      "{'Bucket': <'b'>, 'LifecycleConfiguration': <{'Rules': <[<{'Status': <'Enabled'>, 'Filter': <{'Prefix': <'a/'>}>}>]>}>}",
      "<LifecycleConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" },
    { "PutObjectLegalHold",
      "{'Bucket': <'b'>, 'Key': <'k'>, 'LegalHold': <{'Status': <'ON'>}>}",
      "<LegalHold xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" },
    { "PutObjectRetention",
      "{'Bucket': <'b'>, 'Key': <'k'>, 'Retention': <{'Mode': <'GOVERNANCE'>}>}",
      "<Retention xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" },
    { "CompleteMultipartUpload",
      "{'Bucket': <'b'>, 'Key': <'k'>, 'UploadId': <'u'>,"
      " 'MultipartUpload': <{'Parts': <[<{'PartNumber': <1>, 'ETag': <'e'>}>]>}>}",
      "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoServiceModel) model = boto_service_model_load ("s3", &error);

  g_assert_no_error (error);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      BotoOperationModel *op = boto_service_model_get_operation (model, cases[i].operation, &error);
      g_autoptr(GVariant) params = NULL;
      g_autoptr(BotoHttpRequest) request = NULL;
      GBytes *body;
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      params = g_variant_ref_sink (g_variant_parse (NULL, cases[i].params, NULL, NULL, &error));
      g_assert_no_error (error);
      request = boto_protocol_serialize_request (model, op, NULL, params, "https://s3.us-east-1.amazonaws.com", &error);
      g_assert_no_error (error);
      body = boto_http_request_get_body (request);
      g_assert_nonnull (body);
      text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      g_assert_true (g_str_has_prefix (text, cases[i].root));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/boto/protocols/validation/messages", test_validation_messages);
  g_test_add_func ("/boto/protocols/validation/integer-range", test_integer_range);
  g_test_add_func ("/boto/protocols/serializer/lenient-and-labels", test_lenient_and_labels);
  g_test_add_func ("/boto/protocols/serializer/wrong-types", test_wrong_types_no_crash);
  g_test_add_func ("/boto/protocols/serializer/s3-payload-roots", test_s3_payload_roots);

  return g_test_run ();
}
