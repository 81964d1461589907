/* boto-waiter-private.h: building waiters, and a test hook for delays
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#include "boto-waiter.h"

G_BEGIN_DECLS

/* A waiter named @name (model name) of @client with its waiters-2 entry
 * @config (a{sv}); fails if the entry is malformed. */
BotoWaiter *boto_waiter_new (BotoClient  *client,
                             const char  *name,
                             GVariant    *config,
                             GError     **error);

/* Called before each delay with the 1-based number of the attempt just
 * made and the delay the waiter would wait (µs); returns the delay to
 * actually wait (µs). Tests return 0 or a few milliseconds and record the
 * values. */
typedef gint64 (*BotoWaiterDelayFunc) (guint    attempt,
                                       gint64   delay_usec,
                                       gpointer user_data);

void boto_waiter_set_delay_func_for_testing (BotoWaiter          *self,
                                             BotoWaiterDelayFunc  func,
                                             gpointer             user_data);

G_END_DECLS
