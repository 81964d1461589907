/* boto-credential-providers-private.h: credentials from processes, the
 * container credentials endpoint, SSO and the EC2 instance metadata service
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#include "boto-credentials.h"

G_BEGIN_DECLS

/*
 * Each provider returns credentials, or NULL: with @error set when it
 * applies and fails, without it when it does not apply (nothing
 * configured, or for IMDS, no answer: botocore then moves on).
 */

BotoCredentials *boto_credentials_from_process   (const char  *command,
                                                  GError     **error);
BotoCredentials *boto_credentials_from_container (GError     **error);
BotoCredentials *boto_credentials_from_sso       (const char  *endpoint,
                                                  const char  *role_name,
                                                  const char  *account_id,
                                                  const char  *access_token,
                                                  GError     **error);
BotoCredentials *boto_credentials_from_imds      (const char  *endpoint,
                                                  guint        timeout_seconds,
                                                  guint        attempts,
                                                  gboolean     v1_disabled,
                                                  GError     **error);

G_END_DECLS
