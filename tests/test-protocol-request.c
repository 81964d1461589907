/* test-protocol-request.c: request compression and request checksums
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <boto-glib/boto-glib.h>

#include "boto-client-private.h"
#include "boto-protocol-request-private.h"
#include "boto-protocol-serializer-private.h"

static void
test_crc (void)
{
  const guint8 *check = (const guint8 *) "123456789";

  /* The standard check values of CRC-32/ISO-HDLC and CRC-32C. */
  g_assert_cmphex (boto_crc32 (0, check, 9), ==, 0xCBF43926u);
  g_assert_cmphex (boto_crc32c (0, check, 9), ==, 0xE3069283u);
  g_assert_cmphex (boto_crc32 (boto_crc32 (0, check, 4), check + 4, 5), ==, 0xCBF43926u);
  g_assert_cmphex (boto_crc32 (0, NULL, 0), ==, 0);
}

static BotoHttpRequest *
serialize (const char *service,
           const char *operation,
           GVariant   *params,
           BotoOperationModel **out_op)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoServiceModel) model = boto_service_model_load (service, &error);
  BotoOperationModel *op;
  BotoHttpRequest *request;

  g_assert_no_error (error);
  op = boto_service_model_get_operation (model, operation, &error);
  g_assert_no_error (error);
  request = boto_protocol_serialize_request (model, op, NULL, params, "https://example.com", &error);
  g_assert_no_error (error);
  *out_op = g_object_ref (op);
  return request;
}

static void
test_checksums (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoOperationModel) op = NULL;
  g_autoptr(BotoOperationModel) op2 = NULL;
  g_autoptr(BotoHttpRequest) put = NULL;
  g_autoptr(BotoHttpRequest) sha = NULL;
  g_autoptr(BotoHttpRequest) bad = NULL;
  g_autoptr(BotoOperationModel) op3 = NULL;
  g_autofree char *crc = NULL;
  guint8 bytes[4];
  guint32 expected = boto_crc32 (0, (const guint8 *) "hello", 5);

  /* S3 PutObject: httpChecksum with an algorithm member, none chosen:
   * CRC32 (botocore's when_supported), named in the member's header. */
  put = serialize ("s3", "PutObject",
                   g_variant_new_parsed ("{'Bucket': <'b'>, 'Key': <'k'>, 'Body': <'hello'>}"), &op);
  g_assert_true (boto_protocol_add_request_checksum (put, op, NULL, TRUE, &error));
  g_assert_no_error (error);
  bytes[0] = expected >> 24;
  bytes[1] = expected >> 16;
  bytes[2] = expected >> 8;
  bytes[3] = expected;
  crc = g_base64_encode (bytes, 4);
  g_assert_cmpstr (boto_http_request_get_header (put, "x-amz-checksum-crc32"), ==, crc);
  g_assert_cmpstr (boto_http_request_get_header (put, "x-amz-sdk-checksum-algorithm"), ==, "CRC32");

  /* A chosen algorithm. */
  {
    GVariant *params = g_variant_ref_sink (g_variant_new_parsed ("{'Bucket': <'b'>, 'Key': <'k'>, "
                                                                 "'Body': <'hello'>, 'ChecksumAlgorithm': <'SHA256'>}"));

    sha = serialize ("s3", "PutObject", params, &op2);
    g_assert_true (boto_protocol_add_request_checksum (sha, op2, params, TRUE, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (boto_http_request_get_header (sha, "x-amz-checksum-sha256"), ==,
                     "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=");
    g_assert_null (boto_http_request_get_header (sha, "x-amz-checksum-crc32"));
    g_variant_unref (params);
  }

  /* An algorithm this library does not compute. */
  {
    GVariant *params = g_variant_ref_sink (g_variant_new_parsed ("{'Bucket': <'b'>, 'Key': <'k'>, "
                                                                 "'Body': <'hello'>, 'ChecksumAlgorithm': <'CRC64NVME'>}"));

    bad = serialize ("s3", "PutObject", params, &op3);
    g_assert_false (boto_protocol_add_request_checksum (bad, op3, params, TRUE, &error));
    g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_CHECKSUM_MISMATCH);
    g_assert_nonnull (strstr (error->message, "crc64nvme"));
    g_variant_unref (params);
  }
}

static GBytes *
gunzip (GBytes *data)
{
  g_autoptr(GZlibDecompressor) decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GInputStream) source = g_memory_input_stream_new_from_bytes (data);
  g_autoptr(GInputStream) converted = g_converter_input_stream_new (source, G_CONVERTER (decompressor));
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_output_stream_splice (sink, converted,
                          G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                          NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (sink));
}

static void
test_compression (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoOperationModel) op = NULL;
  g_autoptr(BotoHttpRequest) request = NULL;
  g_autofree char *big = g_strnfill (20000, 'x');
  g_autoptr(GBytes) original = NULL;
  g_autoptr(GBytes) inflated = NULL;

  /* CloudWatch PutMetricData has requestcompression (gzip). */
  request = serialize ("cloudwatch", "PutMetricData",
                       g_variant_new_parsed ("{'Namespace': <%s>, 'MetricData': <[{'MetricName': <'m'>, "
                                             "'Value': <1.0>}]>}", big), &op);
  original = g_bytes_ref (boto_http_request_get_body (request));

  /* Disabled, then under the threshold: nothing changes. */
  g_assert_true (boto_protocol_compress_request (request, op, -1, &error));
  g_assert_true (boto_http_request_get_body (request) == original);
  g_assert_true (boto_protocol_compress_request (request, op, g_bytes_get_size (original) + 1, &error));
  g_assert_true (boto_http_request_get_body (request) == original);
  g_assert_null (boto_http_request_get_header (request, "Content-Encoding"));

  /* At the threshold: gzip, which inflates to the original. */
  g_assert_true (boto_protocol_compress_request (request, op, g_bytes_get_size (original), &error));
  g_assert_no_error (error);
  g_assert_cmpstr (boto_http_request_get_header (request, "Content-Encoding"), ==, "gzip");
  g_assert_cmpuint (g_bytes_get_size (boto_http_request_get_body (request)), <, g_bytes_get_size (original));
  inflated = gunzip (boto_http_request_get_body (request));
  g_assert_true (g_bytes_equal (inflated, original));
}

/* botocore's before-call additions (boto_client_handle_request): S3 XML
 * line breaks escaped, Glacier's version, API Gateway's Accept, and the
 * Lambda trace id (no other thread runs here, so setenv is safe). */
static void
test_before_call_handlers (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoServiceModel) s3 = boto_service_model_load ("s3", &error);
  g_autoptr(BotoServiceModel) glacier = NULL;
  g_autoptr(BotoHttpRequest) request = NULL;
  g_autoptr(BotoHttpRequest) vault = NULL;
  BotoOperationModel *op;
  g_autofree char *body = NULL;
  GBytes *bytes;

  g_assert_no_error (error);
  op = boto_service_model_get_operation (s3, "DeleteObjects", &error);
  g_assert_no_error (error);
  request = boto_protocol_serialize_request (s3, op, NULL,
                                             g_variant_new_parsed ("{'Bucket': <'b'>, 'Delete': <{'Objects': <[{'Key': <'two\\nlines\\r'>}]>}>}"),
                                             "https://s3.us-east-1.amazonaws.com", &error);
  g_assert_no_error (error);
  g_setenv ("AWS_LAMBDA_FUNCTION_NAME", "fn", TRUE);
  g_setenv ("_X_AMZN_TRACE_ID", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1 x", TRUE);
  boto_client_handle_request ("s3", s3, op, request);
  g_unsetenv ("AWS_LAMBDA_FUNCTION_NAME");
  g_unsetenv ("_X_AMZN_TRACE_ID");
  bytes = boto_http_request_get_body (request);
  body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_assert_nonnull (strstr (body, "<Key>two&#xA;lines&#xD;</Key>"));
  g_assert_null (strchr (body, '\n'));
  g_assert_cmpstr (boto_http_request_get_header (request, "X-Amzn-Trace-Id"), ==,
                   "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1%20x");

  glacier = boto_service_model_load ("glacier", &error);
  g_assert_no_error (error);
  op = boto_service_model_get_operation (glacier, "ListVaults", &error);
  g_assert_no_error (error);
  vault = boto_protocol_serialize_request (glacier, op, NULL, g_variant_new_parsed ("{'accountId': <'-'>}"),
                                           "https://glacier.us-east-1.amazonaws.com", &error);
  g_assert_no_error (error);
  boto_client_handle_request ("glacier", glacier, op, vault);
  g_assert_cmpstr (boto_http_request_get_header (vault, "x-amz-glacier-version"), ==, "2012-06-01");
  g_assert_null (boto_http_request_get_header (vault, "X-Amzn-Trace-Id"));

  /* Uploads carry the payload's SHA-256 and tree hash: 2.5 MiB is three
   * leaves, hashed as H(H(H0 H1) H2). */
  {
    gsize size = 5 * 512 * 1024;
    g_autofree guint8 *payload = g_malloc (size);
    g_autoptr(BotoHttpRequest) upload = NULL;
    g_autofree char *whole = NULL;
    g_autofree char *expected = NULL;
    guint8 leaves[3][32], pair[64], top[64];
    gsize digest_size;

    for (gsize i = 0; i < size; i++)
      payload[i] = (guint8) (i * 7);
    op = boto_service_model_get_operation (glacier, "UploadArchive", &error);
    g_assert_no_error (error);
    upload = boto_protocol_serialize_request (glacier, op, NULL,
                                              g_variant_new_parsed ("{'accountId': <'-'>, 'vaultName': <'v'>, 'body': <%@ay>}",
                                                                    g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, payload,
                                                                                               size, 1)),
                                              "https://glacier.us-east-1.amazonaws.com", &error);
    g_assert_no_error (error);
    boto_client_handle_request ("glacier", glacier, op, upload);

    whole = g_compute_checksum_for_data (G_CHECKSUM_SHA256, payload, size);
    g_assert_cmpstr (boto_http_request_get_header (upload, "x-amz-content-sha256"), ==, whole);
    for (guint i = 0; i < 3; i++)
      {
        g_autoptr(GChecksum) leaf = g_checksum_new (G_CHECKSUM_SHA256);

        g_checksum_update (leaf, payload + i * 1024 * 1024, MIN (1024 * 1024, size - i * 1024 * 1024));
        digest_size = 32;
        g_checksum_get_digest (leaf, leaves[i], &digest_size);
      }
    {
      g_autoptr(GChecksum) first = g_checksum_new (G_CHECKSUM_SHA256);

      memcpy (pair, leaves[0], 32);
      memcpy (pair + 32, leaves[1], 32);
      g_checksum_update (first, pair, 64);
      digest_size = 32;
      g_checksum_get_digest (first, top, &digest_size);
      memcpy (top + 32, leaves[2], 32);
      expected = g_compute_checksum_for_data (G_CHECKSUM_SHA256, top, 64);
    }
    g_assert_cmpstr (boto_http_request_get_header (upload, "x-amz-sha256-tree-hash"), ==, expected);
  }
}

static GHashTable *
body_form (BotoHttpRequest *request)
{
  GBytes *body = boto_http_request_get_body (request);
  g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

  return g_uri_parse_params (text, -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
}

/* Cross-region copies carry a URL presigned in the source region
 * (botocore's inject_presigned_url_ec2 / _rds). */
static void
test_cross_region_presigned_url (void)
{
  const char *botocore_data = g_getenv ("BOTO_BOTOCORE_DATA");
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoServiceModel) ec2 = boto_service_model_load ("ec2", &error);
  g_autoptr(BotoSigV4Signer) signer = boto_sigv4_signer_new ("ec2", "us-east-1", BOTO_SIGV4_FLAGS_NONE);
  g_autoptr(BotoCredentials) credentials = boto_credentials_new ("AKIDEXAMPLE", "secret", NULL, NULL);
  g_autoptr(BotoHttpRequest) request = NULL;
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GHashTable) query = NULL;
  BotoOperationModel *op;

  g_assert_no_error (error);
  op = boto_service_model_get_operation (ec2, "CopySnapshot", &error);
  g_assert_no_error (error);
  request = boto_protocol_serialize_request (ec2, op, NULL,
                                             g_variant_new_parsed ("{'SourceRegion': <'us-west-2'>, "
                                                                   "'SourceSnapshotId': <'snap-1'>}"),
                                             "https://ec2.us-east-1.amazonaws.com", &error);
  g_assert_no_error (error);
  g_assert_true (boto_client_inject_presigned_url ("ec2", op, request, signer, credentials, &error));
  g_assert_no_error (error);
  form = body_form (request);
  g_assert_cmpstr (g_hash_table_lookup (form, "SourceRegion"), ==, "us-west-2");
  uri = g_uri_parse (g_hash_table_lookup (form, "PresignedUrl"), G_URI_FLAGS_ENCODED_QUERY, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_uri_get_host (uri), ==, "ec2.us-west-2.amazonaws.com");
  query = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (query, "Action"), ==, "CopySnapshot");
  g_assert_cmpstr (g_hash_table_lookup (query, "SourceSnapshotId"), ==, "snap-1");
  g_assert_cmpstr (g_hash_table_lookup (query, "DestinationRegion"), ==, "us-east-1");
  g_assert_cmpstr (g_hash_table_lookup (query, "X-Amz-Expires"), ==, "3600");
  g_assert_nonnull (strstr (g_hash_table_lookup (query, "X-Amz-Credential"), "/us-west-2/ec2/aws4_request"));
  g_assert_nonnull (g_hash_table_lookup (query, "X-Amz-Signature"));

  /* RDS: SourceRegion is the SDK's own parameter, taken out of the call. */
  if (botocore_data != NULL && *botocore_data != '\0')
    {
      g_autoptr(BotoServiceModel) rds = NULL;
      g_autoptr(BotoHttpRequest) copy = NULL;
      g_autoptr(GHashTable) rds_form = NULL;
      g_autoptr(BotoSigV4Signer) rds_signer = boto_sigv4_signer_new ("rds", "eu-west-1", BOTO_SIGV4_FLAGS_NONE);

      g_setenv ("AWS_DATA_PATH", botocore_data, TRUE);
      rds = boto_service_model_load ("rds", &error);
      g_unsetenv ("AWS_DATA_PATH");
      g_assert_no_error (error);
      op = boto_service_model_get_operation (rds, "CopyDBSnapshot", &error);
      g_assert_no_error (error);
      copy = boto_protocol_serialize_request (rds, op, NULL,
                                              g_variant_new_parsed ("{'SourceRegion': <'us-east-1'>, "
                                                                    "'SourceDBSnapshotIdentifier': <'a'>, "
                                                                    "'TargetDBSnapshotIdentifier': <'b'>}"),
                                              "https://rds.eu-west-1.amazonaws.com", &error);
      g_assert_no_error (error);
      g_assert_true (boto_client_inject_presigned_url ("rds", op, copy, rds_signer, credentials, &error));
      rds_form = body_form (copy);
      g_assert_null (g_hash_table_lookup (rds_form, "SourceRegion"));
      g_assert_true (g_str_has_prefix (g_hash_table_lookup (rds_form, "PreSignedUrl"),
                                       "https://rds.us-east-1.amazonaws.com/?Action=CopyDBSnapshot&"));
    }
  else
    g_test_message ("No botocore models (BOTO_BOTOCORE_DATA): the RDS half is not run");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/boto/protocol-request/crc", test_crc);
  g_test_add_func ("/boto/protocol-request/checksums", test_checksums);
  g_test_add_func ("/boto/protocol-request/compression", test_compression);
  g_test_add_func ("/boto/protocol-request/before-call-handlers", test_before_call_handlers);
  g_test_add_func ("/boto/protocol-request/cross-region-presigned-url", test_cross_region_presigned_url);

  return g_test_run ();
}
