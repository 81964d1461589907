/* boto-sigv4-private.h: AWS Signature Version 4
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#include <glib.h>

#include "boto-credentials.h"
#include "boto-http-request-private.h"

G_BEGIN_DECLS

#define BOTO_SIGV4_ALGORITHM        "AWS4-HMAC-SHA256"
#define BOTO_SIGV4_UNSIGNED_PAYLOAD "UNSIGNED-PAYLOAD"
#define BOTO_SIGV4_EMPTY_SHA256     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/*
 * BotoSigV4Flags:
 * @BOTO_SIGV4_FLAGS_NONE: botocore's `SigV4Auth` / `SigV4QueryAuth`
 * @BOTO_SIGV4_FLAGS_S3: botocore's `S3SigV4Auth` / `S3SigV4QueryAuth`: no
 *   path normalization, no second URI encoding, `X-Amz-Content-SHA256` added
 *   (header signing), `UNSIGNED-PAYLOAD` (presigning)
 * @BOTO_SIGV4_FLAGS_NO_NORMALIZE_PATH: keep `.`, `..` and `//` in the path
 * @BOTO_SIGV4_FLAGS_SINGLE_ENCODE: use the wire path as the canonical URI,
 *   without encoding it a second time
 * @BOTO_SIGV4_FLAGS_CONTENT_SHA256: add and sign `X-Amz-Content-SHA256` also
 *   for a non-S3 service (header signing)
 * @BOTO_SIGV4_FLAGS_UNSIGNED_PAYLOAD: payload signing disabled (botocore's
 *   `payload_signing_enabled = False`): over HTTPS the payload hash is
 *   `UNSIGNED-PAYLOAD`
 * @BOTO_SIGV4_FLAGS_TOKEN_AFTER_SIGNING: add the session token after the
 *   signature is computed, so it is not signed (services that want it so)
 * @BOTO_SIGV4_FLAGS_PRESIGN_KEEP_BODY: presigning: leave the body and its
 *   `Content-Type` as they are (aws-c-auth) instead of moving the body's
 *   parameters into the query and dropping the form `Content-Type` (botocore)
 * @BOTO_SIGV4_FLAGS_ASYMMETRIC: SigV4a: the signer's region is a region set
 *   (`us-east-1,us-west-2`, `*`) sent in `X-Amz-Region-Set`, the scope has
 *   no region and the signature is ECDSA P-256 (`AWS4-ECDSA-P256-SHA256`)
 */
typedef enum {
  BOTO_SIGV4_FLAGS_NONE                = 0,
  BOTO_SIGV4_FLAGS_S3                  = 1 << 0,
  BOTO_SIGV4_FLAGS_NO_NORMALIZE_PATH   = 1 << 1,
  BOTO_SIGV4_FLAGS_SINGLE_ENCODE       = 1 << 2,
  BOTO_SIGV4_FLAGS_CONTENT_SHA256      = 1 << 3,
  BOTO_SIGV4_FLAGS_UNSIGNED_PAYLOAD    = 1 << 4,
  BOTO_SIGV4_FLAGS_TOKEN_AFTER_SIGNING = 1 << 5,
  BOTO_SIGV4_FLAGS_PRESIGN_KEEP_BODY   = 1 << 6,
  BOTO_SIGV4_FLAGS_ASYMMETRIC          = 1 << 7,
} BotoSigV4Flags;

/*
 * BotoSigV4Signer:
 *
 * Signs requests for one service in one region (the signing name and region
 * of a client). Holds the clock offset learned from the server. Immutable
 * except for that offset, which is atomic: a signer can be shared between
 * threads. Credentials are given per call, so they may be refreshed.
 */
typedef struct _BotoSigV4Signer BotoSigV4Signer;

/*
 * BotoSigV4Debug:
 *
 * What a signing computed, for tests and diagnosis. @signature is as secret
 * as the request it authorizes: never log it.
 */
typedef struct
{
  char *canonical_request;
  char *string_to_sign;
  char *signature;
} BotoSigV4Debug;

void             boto_sigv4_debug_clear                (BotoSigV4Debug   *debug);

BotoSigV4Signer *boto_sigv4_signer_new                 (const char       *service,
                                                        const char       *region,
                                                        BotoSigV4Flags    flags) G_GNUC_WARN_UNUSED_RESULT;
BotoSigV4Signer *boto_sigv4_signer_ref                 (BotoSigV4Signer  *self);
void             boto_sigv4_signer_unref               (BotoSigV4Signer  *self);
const char      *boto_sigv4_signer_get_service         (BotoSigV4Signer  *self);
const char      *boto_sigv4_signer_get_region          (BotoSigV4Signer  *self);
BotoSigV4Flags   boto_sigv4_signer_get_flags           (BotoSigV4Signer  *self);

gboolean         boto_sigv4_signer_sign                (BotoSigV4Signer  *self,
                                                        BotoHttpRequest  *request,
                                                        BotoCredentials  *credentials,
                                                        GDateTime        *when,
                                                        BotoSigV4Debug   *debug,
                                                        GError          **error);
gboolean         boto_sigv4_signer_presign             (BotoSigV4Signer  *self,
                                                        BotoHttpRequest  *request,
                                                        BotoCredentials  *credentials,
                                                        guint             expires_in,
                                                        GDateTime        *when,
                                                        BotoSigV4Debug   *debug,
                                                        GError          **error);
char            *boto_sigv4_signer_presign_url         (BotoSigV4Signer  *self,
                                                        BotoHttpRequest  *request,
                                                        BotoCredentials  *credentials,
                                                        guint             expires_in,
                                                        GError          **error) G_GNUC_WARN_UNUSED_RESULT;

/* Clock skew */
GVariant        *boto_sigv4_signer_presign_post        (BotoSigV4Signer  *self,
                                                        BotoCredentials  *credentials,
                                                        GVariant         *fields,
                                                        GVariant         *conditions,
                                                        guint             expires_in,
                                                        GDateTime        *when,
                                                        GError          **error) G_GNUC_WARN_UNUSED_RESULT;

gboolean         boto_sigv4_signer_correct_clock_skew  (BotoSigV4Signer  *self,
                                                        const char       *server_date,
                                                        gint64            local_now_usec,
                                                        GError          **error);
gint             boto_sigv4_signer_get_clock_offset    (BotoSigV4Signer  *self);
void             boto_sigv4_signer_set_clock_offset    (BotoSigV4Signer  *self,
                                                        gint              offset_seconds);
GDateTime       *boto_sigv4_signer_dup_now             (BotoSigV4Signer  *self) G_GNUC_WARN_UNUSED_RESULT;

/* The process-wide signing-key cache (tests and diagnosis) */
void             boto_sigv4_signing_key_cache_stats    (guint            *hits,
                                                        guint            *misses);
void             boto_sigv4_signing_key_cache_clear    (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BotoSigV4Signer, boto_sigv4_signer_unref)

G_END_DECLS
