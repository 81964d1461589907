/* boto-protocol-request-private.h: what botocore does to a serialized request
 * before signing — request compression and request checksums
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#include <glib.h>

#include "boto-operation-model.h"
#include "boto-checksum-private.h"   /* boto_crc32 (), boto_crc32c () */
#include "boto-http-request-private.h"

G_BEGIN_DECLS

/* botocore's default request_min_compression_size_bytes. */
#define BOTO_REQUEST_MIN_COMPRESSION_SIZE_DEFAULT 10240

/*
 * boto_protocol_compress_request:
 * @request: a serialized request
 * @op: its operation
 * @min_size: the smallest body that is compressed
 *   (request_min_compression_size_bytes), or -1 when compression is
 *   disabled (disable_request_compression)
 *
 * botocore's RequestCompressor: when @op has the `requestcompression`
 * trait with `gzip` among its encodings and the body is at least
 * @min_size bytes (or the input is streaming without `requiresLength`),
 * the body is replaced by its gzip and `gzip` is appended to
 * Content-Encoding. Otherwise @request is left as it is.
 *
 * Returns: %FALSE with @error if compressing failed
 */
gboolean boto_protocol_compress_request (BotoHttpRequest    *request,
                                         BotoOperationModel *op,
                                         gint64              min_size,
                                         GError            **error);

/*
 * BotoChecksumTraits:
 * @algorithm_member: (nullable): `httpChecksum.requestAlgorithmMember`
 * @algorithm_header: (nullable): the header that member is sent in
 * @required: `httpChecksumRequired` or `httpChecksum.requestChecksumRequired`
 *
 * What an operation's model says about request checksums, read once with
 * boto_protocol_dup_checksum_traits(); free with
 * boto_protocol_checksum_traits_clear().
 */
typedef struct
{
  char     *algorithm_member;
  char     *algorithm_header;
  gboolean  required;
} BotoChecksumTraits;

void boto_protocol_dup_checksum_traits   (BotoOperationModel *op,
                                          BotoChecksumTraits *out);
void boto_protocol_checksum_traits_clear (BotoChecksumTraits *traits);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BotoChecksumTraits, boto_protocol_checksum_traits_clear)

/*
 * BotoRequestChecksum:
 * @algorithm: the #BotoChecksumAlgorithm of the x-amz-checksum-* header to
 *   send, or -1 for none
 * @content_md5: whether Content-MD5 goes along
 */
typedef struct
{
  int      algorithm;
  gboolean content_md5;
} BotoRequestChecksum;

/*
 * boto_protocol_resolve_request_checksum:
 * @request: a serialized (and compressed) request
 * @traits: its operation's checksum traits
 * @chosen: (nullable): the value of the algorithm member in the input
 * @when_supported: request_checksum_calculation is `when_supported` (the
 *   default) rather than `when_required`
 * @out: (out caller-allocates): what to send
 *
 * botocore's resolve_request_checksum_algorithm (1.36 and later): nothing
 * when the caller set an `x-amz-checksum-*` header; the algorithm the
 * caller chose in the algorithm member; else CRC32 when the operation
 * requires a checksum or has an algorithm member and @when_supported,
 * named in that member's header. Where a checksum is required and the
 * caller chose none, Content-MD5 goes with the CRC32 (as botocore sent it
 * before 1.36: S3 checks both, and S3-compatible stores that predate
 * flexible checksums refuse DeleteObjects without it), unless the caller
 * gave one or the host is an S3 Express directory bucket's, which takes no
 * MD5.
 *
 * Returns: %FALSE with %BOTO_CLIENT_ERROR_CHECKSUM_MISMATCH for a chosen
 *   algorithm that is not supported
 */
gboolean boto_protocol_resolve_request_checksum (BotoHttpRequest          *request,
                                                 const BotoChecksumTraits *traits,
                                                 const char               *chosen,
                                                 gboolean                  when_supported,
                                                 BotoRequestChecksum      *out,
                                                 GError                  **error);

/*
 * boto_protocol_add_request_checksum:
 *
 * boto_protocol_resolve_request_checksum(), then the checksum headers
 * computed over the request's (in-memory) body.
 */
gboolean boto_protocol_add_request_checksum (BotoHttpRequest    *request,
                                             BotoOperationModel *op,
                                             GVariant           *params,
                                             gboolean            when_supported,
                                             GError            **error);

G_END_DECLS
