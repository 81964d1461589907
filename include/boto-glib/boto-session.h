/* boto-session.h: region, profile and credentials; the factory of clients
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#if !defined(BOTO_INSIDE) && !defined(BOTO_COMPILATION)
#error "Only <boto-glib/boto-glib.h> can be included directly."
#endif

#include <gio/gio.h>

#include "boto-version-macros.h"
#include "boto-credentials.h"
#include "boto-config.h"

G_BEGIN_DECLS

#define BOTO_TYPE_SESSION (boto_session_get_type ())

BOTO_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (BotoSession, boto_session, BOTO, SESSION, GObject)

BOTO_AVAILABLE_IN_1_0
BotoSession     *boto_session_new                    (void) G_GNUC_WARN_UNUSED_RESULT;
BOTO_AVAILABLE_IN_1_0
const char      *boto_session_get_region_name        (BotoSession  *self);
BOTO_AVAILABLE_IN_1_0
const char      *boto_session_get_profile_name       (BotoSession  *self);
BOTO_AVAILABLE_IN_1_0
BotoCredentials *boto_session_get_credentials        (BotoSession  *self,
                                                      GError      **error);
BOTO_AVAILABLE_IN_1_0
void             boto_session_get_credentials_async  (BotoSession         *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
BOTO_AVAILABLE_IN_1_0
BotoCredentials *boto_session_get_credentials_finish (BotoSession   *self,
                                                      GAsyncResult  *result,
                                                      GError       **error);
BOTO_AVAILABLE_IN_1_0
GStrv            boto_session_get_available_services (BotoSession  *self);
BOTO_AVAILABLE_IN_1_0
GStrv            boto_session_get_available_profiles (BotoSession  *self);
BOTO_AVAILABLE_IN_1_0
GVariant        *boto_session_get_scoped_config      (BotoSession  *self,
                                                      GError      **error);
BOTO_AVAILABLE_IN_1_0
GVariant        *boto_session_get_config_variable    (BotoSession  *self,
                                                      const char   *name,
                                                      GError      **error);
BOTO_AVAILABLE_IN_1_0
GVariant        *boto_session_resolve_client_config  (BotoSession  *self,
                                                      const char   *service_name,
                                                      const char   *endpoint_url,
                                                      BotoConfig   *config,
                                                      GError      **error);

G_END_DECLS
