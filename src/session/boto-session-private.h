/* boto-session-private.h: what BotoSession shares with its clients —
 * refreshable credentials, the hook through which the client layer answers
 * the credential providers' STS calls, and the shared transport
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#include <libsoup/soup.h>

#include "boto-session.h"

G_BEGIN_DECLS

/* botocore's refresh windows for temporary credentials: refresh 15 minutes
 * before expiry without making other threads wait, and within 10 minutes
 * make every caller wait for fresh ones (and fail rather than use these). */
#define BOTO_CREDENTIALS_ADVISORY_REFRESH  (15 * G_TIME_SPAN_MINUTE)
#define BOTO_CREDENTIALS_MANDATORY_REFRESH (10 * G_TIME_SPAN_MINUTE)

/*
 * BotoCredentialsFetchFunc:
 *
 * Fetches a new set of credentials (running the process, asking the
 * metadata service, calling STS …). Returns them, or NULL with @error set.
 * Called with the holder's refresh lock held, never twice at once.
 */
typedef BotoCredentials *(*BotoCredentialsFetchFunc) (gpointer   user_data,
                                                      GError   **error);

/*
 * BotoRefreshableCredentials:
 *
 * botocore's RefreshableCredentials / DeferredRefreshableCredentials: the
 * current credentials and how to get new ones. Thread-safe; reference
 * counted.
 */
typedef struct _BotoRefreshableCredentials BotoRefreshableCredentials;

BotoRefreshableCredentials *boto_refreshable_credentials_new   (BotoCredentials            *initial,
                                                                BotoCredentialsFetchFunc    fetch,
                                                                gpointer                    user_data,
                                                                GDestroyNotify              destroy);
BotoRefreshableCredentials *boto_refreshable_credentials_ref   (BotoRefreshableCredentials *self);
void                        boto_refreshable_credentials_unref (BotoRefreshableCredentials *self);
BotoCredentials            *boto_refreshable_credentials_get   (BotoRefreshableCredentials *self,
                                                                GError                    **error);
BotoCredentials            *boto_refreshable_credentials_peek  (BotoRefreshableCredentials *self);
guint                       boto_refreshable_credentials_get_n_fetches (BotoRefreshableCredentials *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BotoRefreshableCredentials, boto_refreshable_credentials_unref)

/*
 * BotoSessionStsFunc:
 * @session: the session to create the STS client from (its profile, region
 *   and endpoint settings; its explicit credentials sign the call)
 * @operation: `AssumeRole` or `AssumeRoleWithWebIdentity`
 * @params: (transfer floating): the operation's parameters
 *
 * Calls STS and returns the result (`a{sv}`), or NULL with @error set.
 *
 * The credential providers live in the session layer, below the client; the
 * client layer installs this function when the library is loaded, so that
 * the session never includes the client's headers.
 */
typedef GVariant *(*BotoSessionStsFunc) (BotoSession  *session,
                                         const char   *operation,
                                         GVariant     *params,
                                         GError      **error);

void boto_session_set_sts_func (BotoSessionStsFunc func);

/* The session's credentials when they are at hand: resolved already and
 * needing no refresh by this caller (see boto_refreshable_credentials_peek).
 * NULL when getting them may block on I/O: then use
 * boto_session_get_credentials_async(). Never blocks. */
BotoCredentials *boto_session_peek_credentials (BotoSession *self);

/* The proxies botocore would use: @proxies (a client's `proxies` option,
 * `a{ss}` of scheme → proxy URL) when it has any, else the environment's
 * (http_proxy, https_proxy, all_proxy, no_proxy). NULL for none. */
GProxyResolver *boto_session_transport_proxy_resolver (GVariant *proxies);

/*
 * boto_session_dup_soup_session:
 * @self: a session
 * @max_conns: the pool size (botocore's `max_pool_connections`)
 * @timeout_sec: the I/O timeout in seconds (0: none)
 * @proxies: (nullable): the client's `proxies` option, `a{ss}`
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
                                            guint        timeout_sec,
                                            GVariant    *proxies);

G_END_DECLS
