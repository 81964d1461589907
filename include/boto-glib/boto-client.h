/* boto-client.h: the low-level, model-driven service client
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#if !defined(BOTO_INSIDE) && !defined(BOTO_COMPILATION)
#error "Only <boto-glib/boto-glib.h> can be included directly."
#endif

#include <gio/gio.h>

#include "boto-version-macros.h"
#include "boto-config.h"
#include "boto-service-model.h"
#include "boto-session.h"

G_BEGIN_DECLS

#define BOTO_TYPE_CLIENT (boto_client_get_type ())

BOTO_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (BotoClient, boto_client, BOTO, CLIENT, GObject)

/* Declared in boto-paginator.h and boto-waiter.h. */
typedef struct _BotoPaginator BotoPaginator;
typedef struct _BotoWaiter    BotoWaiter;

BOTO_AVAILABLE_IN_1_0
char             *boto_xform_name               (const char           *name);

BOTO_AVAILABLE_IN_1_0
BotoClient       *boto_client_new               (BotoSession          *session,
                                                 const char           *service_name,
                                                 const char           *endpoint_url,
                                                 BotoConfig           *config,
                                                 GError              **error) G_GNUC_WARN_UNUSED_RESULT;
BOTO_AVAILABLE_IN_1_0
BotoClient       *boto_session_create_client    (BotoSession          *session,
                                                 const char           *service_name,
                                                 const char           *endpoint_url,
                                                 BotoConfig           *config,
                                                 GError              **error) G_GNUC_WARN_UNUSED_RESULT;
BOTO_AVAILABLE_IN_1_0
BotoClient       *boto_session_client           (BotoSession          *session,
                                                 const char           *service_name,
                                                 BotoConfig           *config,
                                                 GError              **error) G_GNUC_WARN_UNUSED_RESULT;
BOTO_AVAILABLE_IN_1_0
const char       *boto_client_get_service_name  (BotoClient           *self);
BOTO_AVAILABLE_IN_1_0
const char       *boto_client_get_region_name   (BotoClient           *self);
BOTO_AVAILABLE_IN_1_0
const char       *boto_client_get_endpoint_url  (BotoClient           *self);
BOTO_AVAILABLE_IN_1_0
BotoServiceModel *boto_client_get_service_model (BotoClient           *self);
BOTO_AVAILABLE_IN_1_0
GVariant         *boto_client_get_config        (BotoClient           *self);
BOTO_AVAILABLE_IN_1_0
GStrv             boto_client_dup_operation_names (BotoClient         *self);

BOTO_AVAILABLE_IN_1_0
GVariant         *boto_client_call              (BotoClient           *self,
                                                 const char           *operation_name,
                                                 GVariant             *params,
                                                 GCancellable         *cancellable,
                                                 GError              **error);
BOTO_AVAILABLE_IN_1_0
void              boto_client_call_async        (BotoClient           *self,
                                                 const char           *operation_name,
                                                 GVariant             *params,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
BOTO_AVAILABLE_IN_1_0
GVariant         *boto_client_call_finish       (BotoClient           *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

BOTO_AVAILABLE_IN_1_0
GVariant         *boto_client_call_full         (BotoClient           *self,
                                                 const char           *operation_name,
                                                 GVariant             *params,
                                                 gboolean             *out_is_error,
                                                 GCancellable         *cancellable,
                                                 GError              **error);
BOTO_AVAILABLE_IN_1_0
void              boto_client_call_full_async   (BotoClient           *self,
                                                 const char           *operation_name,
                                                 GVariant             *params,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
BOTO_AVAILABLE_IN_1_0
GVariant         *boto_client_call_full_finish  (BotoClient           *self,
                                                 GAsyncResult         *result,
                                                 gboolean             *out_is_error,
                                                 GError              **error);

BOTO_AVAILABLE_IN_1_0
gboolean          boto_client_can_paginate      (BotoClient           *self,
                                                 const char           *operation_name);
BOTO_AVAILABLE_IN_1_0
BotoPaginator    *boto_client_get_paginator     (BotoClient           *self,
                                                 const char           *operation_name,
                                                 GError              **error) G_GNUC_WARN_UNUSED_RESULT;
BOTO_AVAILABLE_IN_1_0
GStrv             boto_client_dup_waiter_names  (BotoClient           *self);
BOTO_AVAILABLE_IN_1_0
BotoWaiter       *boto_client_get_waiter        (BotoClient           *self,
                                                 const char           *waiter_name,
                                                 GError              **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
