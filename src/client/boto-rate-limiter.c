/* boto-rate-limiter.c: the client-side rate limiter of the adaptive retry
 * mode
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <math.h>

#include "boto-rate-limiter-private.h"

#define MIN_FILL_RATE       0.5
#define MAX_RATE_SCALE      2.0
#define SMOOTHING           0.8
#define TIME_BUCKET_RANGE   0.5
#define CUBIC_SCALE         0.4
#define CUBIC_BETA          0.7

struct _BotoRateLimiter
{
  GMutex               lock;
  BotoRateLimiterClock clock;
  gpointer             clock_data;
  gboolean             enabled;

  /* token bucket */
  double               fill_rate;
  double               max_capacity;
  double               capacity;        /* below 0: tokens promised to waiting senders */
  double               last_refill;
  gboolean             refilled;

  /* measured send rate */
  double               measured_rate;
  double               last_bucket;
  double               count;

  /* CUBIC */
  double               w_max;
  double               k;
  double               last_fail;
};

static double
now_seconds (BotoRateLimiter *self)
{
  if (self->clock != NULL)
    return self->clock (self->clock_data);
  return g_get_real_time () / (double) G_USEC_PER_SEC;
}

static void
cubic_zero_point (BotoRateLimiter *self)
{
  self->k = cbrt (self->w_max * (1 - CUBIC_BETA) / CUBIC_SCALE);
}

BotoRateLimiter *
boto_rate_limiter_new (void)
{
  BotoRateLimiter *self = g_new0 (BotoRateLimiter, 1);

  g_mutex_init (&self->lock);
  self->fill_rate = 1;
  self->max_capacity = 1;
  self->last_bucket = floor (now_seconds (self));
  self->w_max = 0;
  cubic_zero_point (self);
  self->last_fail = now_seconds (self);
  return self;
}

void
boto_rate_limiter_set_clock (BotoRateLimiter      *self,
                             BotoRateLimiterClock  clock,
                             gpointer              user_data)
{
  self->clock = clock;
  self->clock_data = user_data;
  self->last_bucket = floor (now_seconds (self));
  self->last_fail = now_seconds (self);
  self->refilled = FALSE;
}

void
boto_rate_limiter_free (BotoRateLimiter *self)
{
  if (self == NULL)
    return;
  g_mutex_clear (&self->lock);
  g_free (self);
}

static void
refill (BotoRateLimiter *self)
{
  double now = now_seconds (self);

  if (!self->refilled)
    {
      self->refilled = TRUE;
      self->last_refill = now;
      return;
    }
  self->capacity = MIN (self->max_capacity, self->capacity + (now - self->last_refill) * self->fill_rate);
  self->last_refill = now;
}

static void
set_max_rate (BotoRateLimiter *self,
              double           rate)
{
  refill (self);
  self->fill_rate = MAX (rate, MIN_FILL_RATE);
  self->max_capacity = rate >= 1 ? rate : 1;
  self->capacity = MIN (self->capacity, self->max_capacity);
}

gint64
boto_rate_limiter_reserve (BotoRateLimiter *self)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  if (!self->enabled)
    return 0;
  refill (self);
  self->capacity -= 1;
  if (self->capacity >= 0)
    return 0;
  return (gint64) ceil (-self->capacity / self->fill_rate * G_USEC_PER_SEC);
}

void
boto_rate_limiter_on_response (BotoRateLimiter *self,
                               gboolean         throttled)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  double now = now_seconds (self);
  double bucket = floor (now / TIME_BUCKET_RANGE) * TIME_BUCKET_RANGE;
  double new_rate;

  /* The measured send rate, in half-second buckets. */
  self->count += 1;
  if (bucket > self->last_bucket)
    {
      double current = self->count / (bucket - self->last_bucket);

      self->measured_rate = current * SMOOTHING + self->measured_rate * (1 - SMOOTHING);
      self->count = 0;
      self->last_bucket = bucket;
    }

  if (!throttled)
    new_rate = CUBIC_SCALE * pow (now - self->last_fail - self->k, 3) + self->w_max;
  else
    {
      double rate = self->enabled ? MIN (self->measured_rate, self->fill_rate) : self->measured_rate;

      self->w_max = rate;
      cubic_zero_point (self);
      self->last_fail = now;
      new_rate = rate * CUBIC_BETA;
      self->enabled = TRUE;
    }
  set_max_rate (self, MIN (new_rate, MAX_RATE_SCALE * self->measured_rate));
}

gboolean
boto_rate_limiter_is_enabled (BotoRateLimiter *self)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return self->enabled;
}

double
boto_rate_limiter_get_fill_rate (BotoRateLimiter *self)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return self->fill_rate;
}

double
boto_rate_limiter_get_measured_rate (BotoRateLimiter *self)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return self->measured_rate;
}
