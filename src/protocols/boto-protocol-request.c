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

/* botocore's has_checksum_header: a checksum the caller computed. */
static gboolean
has_checksum_header (BotoHttpRequest *request)
{
  for (guint i = 0; i < boto_http_request_get_n_headers (request); i++)
    {
      const char *name = boto_http_request_get_header_name (request, i);

      if (g_ascii_strncasecmp (name, "x-amz-checksum-", strlen ("x-amz-checksum-")) == 0 &&
          g_ascii_strcasecmp (name, "x-amz-checksum-mode") != 0 &&
          g_ascii_strcasecmp (name, "x-amz-checksum-type") != 0)
        return TRUE;
    }
  return FALSE;
}

/* Endpoints of S3 Express directory buckets: <bucket>.s3express-<zone>.… */
static gboolean
is_s3_express_host (const char *host)
{
  return host != NULL && (g_str_has_prefix (host, "s3express-") || strstr (host, ".s3express-") != NULL);
}

void
boto_protocol_dup_checksum_traits (BotoOperationModel *op,
                                   BotoChecksumTraits *out)
{
  GVariant *definition = boto_operation_model_get_definition (op);
  g_autoptr(GVariant) http_checksum = boto_model_variant_lookup (definition, "httpChecksum");

  out->algorithm_member = NULL;
  out->algorithm_header = NULL;
  out->required = boto_model_variant_get_boolean (definition, "httpChecksumRequired");
  if (http_checksum == NULL || !g_variant_is_of_type (http_checksum, G_VARIANT_TYPE_VARDICT))
    return;

  out->required = out->required || boto_model_variant_get_boolean (http_checksum, "requestChecksumRequired");
  out->algorithm_member = g_strdup (boto_model_variant_get_string (http_checksum, "requestAlgorithmMember"));
  if (out->algorithm_member != NULL)
    {
      BotoShape *input = boto_operation_model_get_input_shape (op);
      BotoShape *member = input != NULL ? boto_shape_get_member (input, out->algorithm_member) : NULL;

      if (member != NULL && g_strcmp0 (boto_shape_get_location (member), "header") == 0)
        out->algorithm_header = g_strdup (boto_shape_get_location_name (member));
    }
}

void
boto_protocol_checksum_traits_clear (BotoChecksumTraits *traits)
{
  g_clear_pointer (&traits->algorithm_member, g_free);
  g_clear_pointer (&traits->algorithm_header, g_free);
}

gboolean
boto_protocol_resolve_request_checksum (BotoHttpRequest          *request,
                                        const BotoChecksumTraits *traits,
                                        const char               *chosen,
                                        gboolean                  when_supported,
                                        BotoRequestChecksum      *out,
                                        GError                  **error)
{
  out->algorithm = -1;
  out->content_md5 = FALSE;

  if (has_checksum_header (request))
    return TRUE;

  if (traits->algorithm_member != NULL && chosen != NULL)
    {
      BotoChecksumAlgorithm parsed;

      if (!boto_checksum_algorithm_from_name (chosen, &parsed) || parsed == BOTO_CHECKSUM_MD5)
        {
          g_autofree char *lower = g_ascii_strdown (chosen, -1);

          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_CHECKSUM_MISMATCH,
                       "Unsupported checksum algorithm: %s", lower);
          return FALSE;
        }
      out->algorithm = parsed;
      return TRUE;
    }

  if (traits->required || (traits->algorithm_member != NULL && when_supported))
    {
      out->algorithm = BOTO_CHECKSUM_CRC32;
      if (traits->algorithm_header != NULL &&
          boto_http_request_get_header (request, traits->algorithm_header) == NULL)
        boto_http_request_set_header (request, traits->algorithm_header, "CRC32");
      out->content_md5 = traits->required &&
                         boto_http_request_get_header (request, "Content-MD5") == NULL &&
                         !is_s3_express_host (boto_http_request_get_host (request));
    }
  return TRUE;
}

gboolean
boto_protocol_add_request_checksum (BotoHttpRequest    *request,
                                    BotoOperationModel *op,
                                    GVariant           *params,
                                    gboolean            when_supported,
                                    GError            **error)
{
  g_auto(BotoChecksumTraits) traits = { 0 };
  BotoRequestChecksum checksum;
  GBytes *body = boto_http_request_get_body (request);
  g_autoptr(GBytes) empty = NULL;
  g_autofree char *digest = NULL;
  const char *chosen = NULL;

  boto_protocol_dup_checksum_traits (op, &traits);
  if (traits.algorithm_member != NULL && params != NULL && g_variant_is_of_type (params, G_VARIANT_TYPE_VARDICT))
    g_variant_lookup (params, traits.algorithm_member, "&s", &chosen);
  if (!boto_protocol_resolve_request_checksum (request, &traits, chosen, when_supported, &checksum, error))
    return FALSE;
  if (checksum.algorithm < 0)
    return TRUE;
  if (body == NULL)
    body = empty = g_bytes_new_static ("", 0);
  digest = boto_checksum_compute_base64 (checksum.algorithm, body);
  boto_http_request_set_header (request, boto_checksum_algorithm_get_header (checksum.algorithm), digest);
  if (checksum.content_md5)
    {
      g_autofree char *md5 = boto_checksum_compute_base64 (BOTO_CHECKSUM_MD5, body);

      boto_http_request_set_header (request, "Content-MD5", md5);
    }
  return TRUE;
}
