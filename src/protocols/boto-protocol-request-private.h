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
 * boto_protocol_add_request_checksum:
 * @request: a serialized (and compressed) request
 * @op: its operation
 * @params: (nullable): the input, for the `requestAlgorithmMember`
 *
 * Request checksums, unless the request already has `Content-MD5` or an
 * `x-amz-checksum-*` header: an operation with the flexible `httpChecksum`
 * trait gets `x-amz-checksum-<algorithm>` (the member's algorithm, else
 * CRC32, as botocore's when_supported default) when a checksum is
 * required or an algorithm is chosen; an operation with only the older
 * `httpChecksumRequired` trait gets `Content-MD5`.
 *
 * Returns: %FALSE with %BOTO_CLIENT_ERROR_PARAM_VALIDATION for an
 *   algorithm that is not supported
 */
gboolean boto_protocol_add_request_checksum (BotoHttpRequest    *request,
                                             BotoOperationModel *op,
                                             GVariant           *params,
                                             GError            **error);

G_END_DECLS
