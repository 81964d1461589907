/* boto-waiter.h: waiters of a client, from waiters-2.json
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#if !defined(BOTO_INSIDE) && !defined(BOTO_COMPILATION)
#error "Only <boto-glib/boto-glib.h> can be included directly."
#endif

#include <gio/gio.h>

#include "boto-version-macros.h"
#include "boto-client.h"

G_BEGIN_DECLS

#define BOTO_TYPE_WAITER (boto_waiter_get_type ())

BOTO_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (BotoWaiter, boto_waiter, BOTO, WAITER, GObject)

BOTO_AVAILABLE_IN_1_0
BotoClient *boto_waiter_get_client         (BotoWaiter           *self);
BOTO_AVAILABLE_IN_1_0
const char *boto_waiter_get_name           (BotoWaiter           *self);
BOTO_AVAILABLE_IN_1_0
const char *boto_waiter_get_operation_name (BotoWaiter           *self);
BOTO_AVAILABLE_IN_1_0
gint        boto_waiter_get_delay          (BotoWaiter           *self);
BOTO_AVAILABLE_IN_1_0
gint        boto_waiter_get_max_attempts   (BotoWaiter           *self);
BOTO_AVAILABLE_IN_1_0
GVariant   *boto_waiter_get_config         (BotoWaiter           *self);
BOTO_AVAILABLE_IN_1_0
gboolean    boto_waiter_wait               (BotoWaiter           *self,
                                            GVariant             *params,
                                            GCancellable         *cancellable,
                                            GError              **error);
BOTO_AVAILABLE_IN_1_0
void        boto_waiter_wait_async         (BotoWaiter           *self,
                                            GVariant             *params,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
BOTO_AVAILABLE_IN_1_0
gboolean    boto_waiter_wait_finish        (BotoWaiter           *self,
                                            GAsyncResult         *result,
                                            GError              **error);

G_END_DECLS
