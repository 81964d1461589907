/* boto-session-private.h: what BotoSession shares with its clients
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#include <libsoup/soup.h>

#include "boto-session.h"

G_BEGIN_DECLS

/*
 * boto_session_dup_soup_session:
 * @self: a session
 * @max_conns: the pool size (botocore's `max_pool_connections`)
 * @timeout_sec: the I/O timeout in seconds (0: none)
 *
 * The `SoupSession` the clients of @self send with: one per session and
 * transport configuration, created on first use (thread-safe), configured
 * once and never changed afterwards, so that clients in several threads may
 * send on it (libsoup 3.2's rule). Clients with the same `max_pool_connections`
 * and timeouts share one connection pool.
 *
 * Returns: (transfer full): the soup session
 */
SoupSession *boto_session_dup_soup_session (BotoSession *self,
                                            guint        max_conns,
                                            guint        timeout_sec);

G_END_DECLS
