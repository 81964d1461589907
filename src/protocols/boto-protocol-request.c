/* boto-protocol-request.c: request compression and request checksums
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * The steps botocore takes between serializing a request and signing it
 * (botocore/compress.py, botocore/httpchecksum.py), written for
 * BotoHttpRequest. The client and the protocol conformance runner both
 * call them.
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "boto-checksum-private.h"
#include "boto-error.h"
#include "boto-model-private.h"
#include "boto-protocol-request-private.h"

/* Compression ------------------------------------------------------------ */

static gboolean
has_gzip_encoding (GVariant *definition)
{
  g_autoptr(GVariant) compression = boto_model_variant_lookup (definition, "requestcompression");
  g_autoptr(GVariant) encodings = NULL;

  if (compression == NULL || !g_variant_is_of_type (compression, G_VARIANT_TYPE_VARDICT))
    return FALSE;
  encodings = boto_model_variant_lookup (compression, "encodings");
  if (encodings == NULL || !g_variant_is_container (encodings))
    return FALSE;
  for (gsize i = 0; i < g_variant_n_children (encodings); i++)
    {
      g_autoptr(GVariant) child = g_variant_get_child_value (encodings, i);
      g_autoptr(GVariant) inner = g_variant_is_of_type (child, G_VARIANT_TYPE_VARIANT)
                                  ? g_variant_get_variant (child) : g_variant_ref (child);

      if (g_variant_is_of_type (inner, G_VARIANT_TYPE_STRING) &&
          g_ascii_strcasecmp (g_variant_get_string (inner, NULL), "gzip") == 0)
        return TRUE;
    }
  return FALSE;
}

/* Streaming input without requiresLength is compressed whatever its size. */
static gboolean
streams_without_length (BotoOperationModel *op)
{
  BotoShape *input = boto_operation_model_get_input_shape (op);
  g_autoptr(GVariant) payload = input != NULL ? boto_shape_dup_trait (input, "payload") : NULL;
  BotoShape *member;

  if (payload == NULL || !g_variant_is_of_type (payload, G_VARIANT_TYPE_STRING))
    return FALSE;
  member = boto_shape_get_member (input, g_variant_get_string (payload, NULL));
  return member != NULL && boto_shape_get_boolean_trait (member, "streaming") &&
         !boto_shape_get_boolean_trait (member, "requiresLength");
}

static GBytes *
gzip_bytes (GBytes  *data,
            GError **error)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(GInputStream) source = g_memory_input_stream_new_from_bytes (data);
  g_autoptr(GInputStream) converted = g_converter_input_stream_new (source, G_CONVERTER (compressor));
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();

  if (g_output_stream_splice (sink, converted,
                              G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                              NULL, error) < 0)
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (sink));
}

gboolean
boto_protocol_compress_request (BotoHttpRequest    *request,
                                BotoOperationModel *op,
                                gint64              min_size,
                                GError            **error)
{
  GBytes *body = boto_http_request_get_body (request);
  const char *encoding;
  g_autoptr(GBytes) compressed = NULL;

  if (min_size < 0 || body == NULL || !has_gzip_encoding (boto_operation_model_get_definition (op)))
    return TRUE;
  if (!streams_without_length (op) && (gint64) g_bytes_get_size (body) < min_size)
    return TRUE;

  compressed = gzip_bytes (body, error);
  if (compressed == NULL)
    return FALSE;
  boto_http_request_set_body (request, compressed);

  encoding = boto_http_request_get_header (request, "Content-Encoding");
  if (encoding != NULL && *encoding != '\0')
    {
      g_autofree char *joined = g_strdup_printf ("%s, gzip", encoding);

      boto_http_request_set_header (request, "Content-Encoding", joined);
    }
  else
    boto_http_request_set_header (request, "Content-Encoding", "gzip");
  if (boto_http_request_get_header (request, "Content-Length") != NULL)
    {
      g_autofree char *length = g_strdup_printf ("%" G_GSIZE_FORMAT, g_bytes_get_size (compressed));

      boto_http_request_set_header (request, "Content-Length", length);
    }
  return TRUE;
}

/* Checksums ---------------------------------------------------------------- */

static gboolean
has_checksum_header (BotoHttpRequest *request)
{
  for (guint i = 0; i < boto_http_request_get_n_headers (request); i++)
    {
      const char *name = boto_http_request_get_header_name (request, i);

      if (g_ascii_strcasecmp (name, "Content-MD5") == 0 ||
          g_ascii_strncasecmp (name, "x-amz-checksum-", strlen ("x-amz-checksum-")) == 0)
        return TRUE;
    }
  return FALSE;
}

static char *
base64_digest (BotoChecksumAlgorithm  algorithm,
               const guint8          *data,
               gsize                  len)
{
  g_autoptr(BotoChecksum) checksum = boto_checksum_new (algorithm);

  boto_checksum_update (checksum, data, len);
  return boto_checksum_finish_base64 (checksum);
}

/* The member's algorithm (lower case), or NULL. */
static char *
chosen_algorithm (BotoOperationModel *op,
                  GVariant           *http_checksum,
                  GVariant           *params)
{
  const char *member = boto_model_variant_get_string (http_checksum, "requestAlgorithmMember");
  const char *value = NULL;

  if (member == NULL || params == NULL || !g_variant_is_of_type (params, G_VARIANT_TYPE_VARDICT))
    return NULL;
  if (g_variant_lookup (params, member, "&s", &value))
    return g_ascii_strdown (value, -1);
  return NULL;
}

gboolean
boto_protocol_add_request_checksum (BotoHttpRequest    *request,
                                    BotoOperationModel *op,
                                    GVariant           *params,
                                    GError            **error)
{
  GVariant *definition = boto_operation_model_get_definition (op);
  g_autoptr(GVariant) http_checksum = boto_model_variant_lookup (definition, "httpChecksum");
  GBytes *body = boto_http_request_get_body (request);
  const guint8 *data = body != NULL ? g_bytes_get_data (body, NULL) : NULL;
  gsize len = body != NULL ? g_bytes_get_size (body) : 0;
  g_autofree char *algorithm = NULL;
  BotoChecksumAlgorithm kind;
  g_autofree char *value = NULL;
  g_autofree char *header = NULL;

  if (has_checksum_header (request))
    return TRUE;

  if (http_checksum != NULL && g_variant_is_of_type (http_checksum, G_VARIANT_TYPE_VARDICT))
    {
      algorithm = chosen_algorithm (op, http_checksum, params);
      if (algorithm == NULL &&
          !boto_model_variant_get_boolean (http_checksum, "requestChecksumRequired") &&
          boto_model_variant_get_string (http_checksum, "requestAlgorithmMember") == NULL)
        return TRUE;
      if (algorithm == NULL)
        {
          /* botocore's default; the algorithm member's header says so. */
          const char *member_name = boto_model_variant_get_string (http_checksum, "requestAlgorithmMember");
          BotoShape *input = boto_operation_model_get_input_shape (op);
          BotoShape *member = member_name != NULL && input != NULL ? boto_shape_get_member (input, member_name) : NULL;

          algorithm = g_strdup ("crc32");
          if (member != NULL && g_strcmp0 (boto_shape_get_location (member), "header") == 0 &&
              boto_shape_get_location_name (member) != NULL &&
              boto_http_request_get_header (request, boto_shape_get_location_name (member)) == NULL)
            boto_http_request_set_header (request, boto_shape_get_location_name (member), "CRC32");
        }
      if (boto_checksum_algorithm_from_name (algorithm, &kind) && kind != BOTO_CHECKSUM_MD5)
        value = base64_digest (kind, data, len);
      else
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                       "Unsupported checksum algorithm: %s", algorithm);
          return FALSE;
        }
      header = g_strdup_printf ("x-amz-checksum-%s", algorithm);
      boto_http_request_set_header (request, header, value);
      return TRUE;
    }

  if (boto_model_variant_get_boolean (definition, "httpChecksumRequired"))
    {
      value = base64_digest (BOTO_CHECKSUM_MD5, data, len);
      boto_http_request_set_header (request, "Content-MD5", value);
    }
  return TRUE;
}
