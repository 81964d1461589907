/* boto-refreshable-credentials.c: temporary credentials that renew
 * themselves before they expire
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include "boto-error.h"
#include "boto-session-private.h"

/*
 * Refreshing follows botocore's RefreshableCredentials:
 *
 * - outside the advisory window (more than 15 minutes left) the current
 *   credentials are returned without taking the refresh lock;
 * - inside it, the first caller that gets the refresh lock fetches new
 *   credentials while the others keep using the current ones; a failed
 *   fetch is logged and the current credentials are kept;
 * - inside the mandatory window (10 minutes), or before the first fetch of
 *   deferred credentials, every caller waits for the refresh lock, looks
 *   again and fetches only if nobody else did meanwhile; a failure is an
 *   error.
 */
struct _BotoRefreshableCredentials
{
  gatomicrefcount           ref_count;
  GMutex                    state_lock;    /* guards current */
  GMutex                    refresh_lock;  /* held while fetching */
  BotoCredentials          *current;       /* NULL: deferred, not fetched yet */
  BotoCredentialsFetchFunc  fetch;         /* NULL: never refreshed */
  gpointer                  user_data;
  GDestroyNotify            destroy;
  guint                     n_fetches;
};

BotoRefreshableCredentials *
boto_refreshable_credentials_new (BotoCredentials          *initial,
                                  BotoCredentialsFetchFunc  fetch,
                                  gpointer                  user_data,
                                  GDestroyNotify            destroy)
{
  BotoRefreshableCredentials *self;

  g_return_val_if_fail (initial != NULL || fetch != NULL, NULL);

  self = g_new0 (BotoRefreshableCredentials, 1);
  g_atomic_ref_count_init (&self->ref_count);
  g_mutex_init (&self->state_lock);
  g_mutex_init (&self->refresh_lock);
  self->current = initial != NULL ? boto_credentials_ref (initial) : NULL;
  self->fetch = fetch;
  self->user_data = user_data;
  self->destroy = destroy;
  return self;
}

BotoRefreshableCredentials *
boto_refreshable_credentials_ref (BotoRefreshableCredentials *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
boto_refreshable_credentials_unref (BotoRefreshableCredentials *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  if (self->destroy != NULL)
    self->destroy (self->user_data);
  g_clear_pointer (&self->current, boto_credentials_unref);
  g_mutex_clear (&self->state_lock);
  g_mutex_clear (&self->refresh_lock);
  g_free (self);
}

guint
boto_refreshable_credentials_get_n_fetches (BotoRefreshableCredentials *self)
{
  guint n;

  g_mutex_lock (&self->state_lock);
  n = self->n_fetches;
  g_mutex_unlock (&self->state_lock);
  return n;
}

static BotoCredentials *
dup_current (BotoRefreshableCredentials *self)
{
  BotoCredentials *current;

  g_mutex_lock (&self->state_lock);
  current = self->current != NULL ? boto_credentials_ref (self->current) : NULL;
  g_mutex_unlock (&self->state_lock);
  return current;
}

static gboolean
refresh_needed (BotoRefreshableCredentials *self,
                BotoCredentials            *current,
                GTimeSpan                   window)
{
  if (current == NULL)
    return TRUE;
  if (self->fetch == NULL)
    return FALSE;
  return boto_credentials_expires_within (current, window);
}

/* With the refresh lock held: fetch, publish, return the new credentials;
 * on failure the current ones (advisory) or NULL with @error (mandatory). */
static BotoCredentials *
protected_refresh (BotoRefreshableCredentials  *self,
                   BotoCredentials             *current,
                   gboolean                     mandatory,
                   GError                     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(BotoCredentials) fresh = NULL;

  g_mutex_lock (&self->state_lock);
  self->n_fetches++;
  g_mutex_unlock (&self->state_lock);

  fresh = self->fetch (self->user_data, &local_error);
  if (fresh == NULL)
    {
      if (mandatory)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_debug ("Refreshing temporary credentials failed during the advisory refresh period, "
               "keeping the current ones: %s", local_error->message);
      return current != NULL ? boto_credentials_ref (current) : NULL;
    }

  g_mutex_lock (&self->state_lock);
  g_clear_pointer (&self->current, boto_credentials_unref);
  self->current = boto_credentials_ref (fresh);
  g_mutex_unlock (&self->state_lock);

  if (boto_credentials_expires_within (fresh, 0))
    {
      g_set_error_literal (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                           "Credentials were refreshed, but the refreshed credentials are still expired");
      return NULL;
    }

  return g_steal_pointer (&fresh);
}

/* Returns the credentials to sign with now, refreshing them first when
 * botocore would. */
BotoCredentials *
boto_refreshable_credentials_get (BotoRefreshableCredentials  *self,
                                  GError                     **error)
{
  g_autoptr(BotoCredentials) current = NULL;
  BotoCredentials *result;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  current = dup_current (self);
  if (!refresh_needed (self, current, BOTO_CREDENTIALS_ADVISORY_REFRESH))
    return g_steal_pointer (&current);

  if (g_mutex_trylock (&self->refresh_lock))
    {
      /* Someone may have refreshed between the look and the lock. */
      g_clear_pointer (&current, boto_credentials_unref);
      current = dup_current (self);
      if (!refresh_needed (self, current, BOTO_CREDENTIALS_ADVISORY_REFRESH))
        result = g_steal_pointer (&current);
      else
        result = protected_refresh (self, current,
                                    refresh_needed (self, current, BOTO_CREDENTIALS_MANDATORY_REFRESH),
                                    error);
      g_mutex_unlock (&self->refresh_lock);
      return result;
    }

  if (refresh_needed (self, current, BOTO_CREDENTIALS_MANDATORY_REFRESH))
    {
      /* Wait for the refresh under way, then look again. */
      g_mutex_lock (&self->refresh_lock);
      g_clear_pointer (&current, boto_credentials_unref);
      current = dup_current (self);
      if (!refresh_needed (self, current, BOTO_CREDENTIALS_MANDATORY_REFRESH))
        result = g_steal_pointer (&current);
      else
        result = protected_refresh (self, current, TRUE, error);
      g_mutex_unlock (&self->refresh_lock);
      return result;
    }

  /* Another thread is refreshing; these are still good enough. */
  return g_steal_pointer (&current);
}

/* What boto_refreshable_credentials_get() would return without fetching
 * and without waiting for another caller's fetch, or NULL when getting the
 * credentials means doing (or waiting for) network I/O. Never blocks. */
BotoCredentials *
boto_refreshable_credentials_peek (BotoRefreshableCredentials *self)
{
  g_autoptr(BotoCredentials) current = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  current = dup_current (self);
  if (!refresh_needed (self, current, BOTO_CREDENTIALS_ADVISORY_REFRESH))
    return g_steal_pointer (&current);
  if (refresh_needed (self, current, BOTO_CREDENTIALS_MANDATORY_REFRESH))
    return NULL;
  /* In the advisory window: the current ones do while someone else
   * refreshes; with nobody refreshing, this caller has to. */
  if (g_mutex_trylock (&self->refresh_lock))
    {
      g_mutex_unlock (&self->refresh_lock);
      return NULL;
    }
  return g_steal_pointer (&current);
}
