/* boto-checksum-private.h: payload checksums and the streams that compute them
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * BotoChecksumAlgorithm:
 *
 * The flexible-checksum algorithms boto-glib computes (botocore's without
 * the CRT: CRC32, SHA-1, SHA-256; plus CRC32C, which botocore needs the CRT
 * for) and MD5 for `Content-MD5`.
 */
typedef enum {
  BOTO_CHECKSUM_CRC32,
  BOTO_CHECKSUM_CRC32C,
  BOTO_CHECKSUM_SHA1,
  BOTO_CHECKSUM_SHA256,
  BOTO_CHECKSUM_MD5,
} BotoChecksumAlgorithm;

typedef struct _BotoChecksum BotoChecksum;

/* "crc32", "CRC32C", "sha256" … (any case); FALSE for an unknown name. */
gboolean      boto_checksum_algorithm_from_name   (const char            *name,
                                                   BotoChecksumAlgorithm *out_algorithm);
/* "crc32" … */
const char   *boto_checksum_algorithm_get_name    (BotoChecksumAlgorithm  algorithm);
/* "x-amz-checksum-crc32" … (for MD5: "Content-MD5") */
const char   *boto_checksum_algorithm_get_header  (BotoChecksumAlgorithm  algorithm);
/* The length of the base64 digest. */
gsize         boto_checksum_algorithm_get_b64_len (BotoChecksumAlgorithm  algorithm);

BotoChecksum *boto_checksum_new                   (BotoChecksumAlgorithm  algorithm);
void          boto_checksum_update                (BotoChecksum          *self,
                                                   const void            *data,
                                                   gsize                  len);
#define BOTO_CHECKSUM_MAX_DIGEST 32

/* The digest, in base64 as the x-amz-checksum-* headers carry it, in
 * lower-case hex as SigV4 does, or raw (returns its length). Each may be
 * called once; the checksum cannot be updated afterwards. */
char         *boto_checksum_finish_base64         (BotoChecksum          *self);
char         *boto_checksum_finish_hex            (BotoChecksum          *self);
gsize         boto_checksum_finish_digest         (BotoChecksum          *self,
                                                   guint8                 out[BOTO_CHECKSUM_MAX_DIGEST]);
void          boto_checksum_free                  (BotoChecksum          *self);

char         *boto_checksum_compute_base64        (BotoChecksumAlgorithm  algorithm,
                                                   GBytes                *data);

/* CRC-32 (ISO-HDLC, as zlib) and CRC-32C (Castagnoli) of @len bytes,
 * continuing from @crc (0 to start). */
guint32       boto_crc32                          (guint32                crc,
                                                   const guint8          *data,
                                                   gsize                  len);
guint32       boto_crc32c                         (guint32                crc,
                                                   const guint8          *data,
                                                   gsize                  len);

/* HMAC-SHA256 of @data with @key. */
void          boto_hmac_sha256                    (const void            *key,
                                                   gsize                  key_len,
                                                   const void            *data,
                                                   gsize                  len,
                                                   guint8                 out[32]);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BotoChecksum, boto_checksum_free)

/*
 * boto_checksum_input_stream_new:
 * @base: the stream to read
 * @length: the number of bytes to read from @base, or -1 for all of it
 * @algorithm: the algorithm, or -1 for none
 * @expected: (nullable): the expected digest in base64
 *
 * A stream that passes @base through (at most @length bytes; an earlier end
 * of @base is an error), feeding a checksum. At the end, with @expected
 * set, a mismatch makes the last read fail with
 * %BOTO_CLIENT_ERROR_CHECKSUM_MISMATCH instead of returning 0. Reads,
 * asynchronous ones included, go straight to @base's. Closing it closes
 * @base only when boto_checksum_input_stream_set_close_base() says so
 * (default TRUE).
 */
GInputStream *boto_checksum_input_stream_new      (GInputStream          *base,
                                                   gint64                 length,
                                                   int                    algorithm,
                                                   const char            *expected);
void          boto_checksum_input_stream_set_close_base (GInputStream    *stream,
                                                         gboolean         close_base);
/* Whether any byte was read from the base stream. */
gboolean      boto_checksum_input_stream_get_consumed (GInputStream      *stream);

/*
 * boto_aws_chunked_input_stream_new:
 * @base: the payload
 * @length: the payload's length
 * @algorithm: the trailer checksum
 * @chunk_size: the size of each chunk but the last
 *
 * The `aws-chunked` encoding of @base with an unsigned checksum trailer
 * (`STREAMING-UNSIGNED-PAYLOAD-TRAILER`): `hex-size CRLF data CRLF` per
 * chunk, then `0 CRLF`, `x-amz-checksum-<alg>:<b64> CRLF`, `CRLF`. Its total
 * length is known in advance (boto_aws_chunked_encoded_length()), so it is
 * sent with a Content-Length.
 */
GInputStream *boto_aws_chunked_input_stream_new   (GInputStream          *base,
                                                   gint64                 length,
                                                   BotoChecksumAlgorithm  algorithm,
                                                   gsize                  chunk_size);
gint64        boto_aws_chunked_encoded_length     (gint64                 length,
                                                   BotoChecksumAlgorithm  algorithm,
                                                   gsize                  chunk_size);
gboolean      boto_aws_chunked_input_stream_get_consumed (GInputStream   *stream);

/* The first error a read of either stream above failed with, if any
 * (libsoup may hide it behind a connection error). */
GError       *boto_body_stream_dup_error          (GInputStream          *stream);

G_END_DECLS
