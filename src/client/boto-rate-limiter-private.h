/* boto-rate-limiter-private.h: the client-side rate limiter of the adaptive
 * retry mode
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * BotoRateLimiter:
 *
 * botocore's adaptive retry mode (retries/adaptive.py, bucket.py,
 * throttling.py): a token bucket whose fill rate follows a CUBIC curve,
 * cut by 0.7 on each throttling response, and which only starts limiting
 * after the first throttling response. Thread-safe.
 *
 * Sending reserves a token: boto_rate_limiter_reserve() returns how long to
 * wait before sending (µs), so that asynchronous callers can wait on their
 * main context instead of blocking (botocore blocks the sending thread).
 */
typedef struct _BotoRateLimiter BotoRateLimiter;

/* Clock in seconds; NULL for the real time (tests pass their own). */
typedef double (*BotoRateLimiterClock) (gpointer user_data);

BotoRateLimiter *boto_rate_limiter_new          (void);
void             boto_rate_limiter_free         (BotoRateLimiter      *self);
void             boto_rate_limiter_set_clock    (BotoRateLimiter      *self,
                                                 BotoRateLimiterClock  clock,
                                                 gpointer              user_data);
gint64           boto_rate_limiter_reserve      (BotoRateLimiter      *self);
void             boto_rate_limiter_on_response  (BotoRateLimiter      *self,
                                                 gboolean              throttled);
gboolean         boto_rate_limiter_is_enabled   (BotoRateLimiter      *self);
double           boto_rate_limiter_get_fill_rate (BotoRateLimiter     *self);
double           boto_rate_limiter_get_measured_rate (BotoRateLimiter *self);

G_END_DECLS
