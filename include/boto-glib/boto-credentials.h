/* boto-credentials.h: an immutable set of AWS credentials
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#if !defined(BOTO_INSIDE) && !defined(BOTO_COMPILATION)
#error "Only <boto-glib/boto-glib.h> can be included directly."
#endif

#include <glib-object.h>

#include "boto-version-macros.h"

G_BEGIN_DECLS

#define BOTO_TYPE_CREDENTIALS (boto_credentials_get_type ())

typedef struct _BotoCredentials BotoCredentials;

BOTO_AVAILABLE_IN_1_0
GType            boto_credentials_get_type       (void) G_GNUC_CONST;
BOTO_AVAILABLE_IN_1_0
BotoCredentials *boto_credentials_new            (const char      *access_key,
                                                  const char      *secret_key,
                                                  const char      *token,
                                                  const char      *method) G_GNUC_WARN_UNUSED_RESULT;
BOTO_AVAILABLE_IN_1_0
BotoCredentials *boto_credentials_new_full       (const char      *access_key,
                                                  const char      *secret_key,
                                                  const char      *token,
                                                  const char      *method,
                                                  GDateTime       *expiry_time) G_GNUC_WARN_UNUSED_RESULT;
BOTO_AVAILABLE_IN_1_0
BotoCredentials *boto_credentials_ref            (BotoCredentials *self);
BOTO_AVAILABLE_IN_1_0
void             boto_credentials_unref          (BotoCredentials *self);
BOTO_AVAILABLE_IN_1_0
const char      *boto_credentials_get_access_key (BotoCredentials *self);
BOTO_AVAILABLE_IN_1_0
const char      *boto_credentials_get_secret_key (BotoCredentials *self);
BOTO_AVAILABLE_IN_1_0
const char      *boto_credentials_get_token      (BotoCredentials *self);
BOTO_AVAILABLE_IN_1_0
const char      *boto_credentials_get_method     (BotoCredentials *self);
BOTO_AVAILABLE_IN_1_0
GDateTime       *boto_credentials_get_expiry_time (BotoCredentials *self);
BOTO_AVAILABLE_IN_1_0
gboolean         boto_credentials_expires_within (BotoCredentials *self,
                                                  GTimeSpan        span);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BotoCredentials, boto_credentials_unref)

G_END_DECLS
