/* boto-sigv4a-private.h: the ECDSA P-256 key of AWS Signature Version 4a
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BOTO_SIGV4A_ALGORITHM "AWS4-ECDSA-P256-SHA256"

/*
 * BotoSigV4aKey:
 *
 * The P-256 key pair SigV4a derives from a pair of AWS credentials (NIST SP
 * 800-108 counter-mode KDF over HMAC-SHA256, as AWS specifies it), ready to
 * sign. Immutable; the private half is wiped when freed.
 */
typedef struct _BotoSigV4aKey BotoSigV4aKey;

BotoSigV4aKey *boto_sigv4a_key_new            (const char     *access_key,
                                               const char     *secret_key,
                                               GError        **error) G_GNUC_WARN_UNUSED_RESULT;
void           boto_sigv4a_key_free           (BotoSigV4aKey  *key);
char          *boto_sigv4a_key_sign           (BotoSigV4aKey  *key,
                                               const char     *string_to_sign) G_GNUC_WARN_UNUSED_RESULT;
void           boto_sigv4a_key_get_public_hex (BotoSigV4aKey  *key,
                                               char          **out_x,
                                               char          **out_y);
gboolean       boto_sigv4a_verify             (const char     *x_hex,
                                               const char     *y_hex,
                                               const char     *string_to_sign,
                                               const char     *signature_hex);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BotoSigV4aKey, boto_sigv4a_key_free)

G_END_DECLS
