/* boto-credentials.c: an immutable set of AWS credentials
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include "boto-credentials.h"

/**
 * BotoCredentials:
 *
 * An access key, its secret and, for temporary credentials, a session token:
 * botocore's `Credentials`, frozen. Credentials are immutable and can be
 * shared between threads.
 *
 * Since: 1.0
 */

struct _BotoCredentials
{
  gatomicrefcount ref_count;
  char *access_key;
  char *secret_key;
  char *token;
  char *method;
  GDateTime *expiry_time;
};

G_DEFINE_BOXED_TYPE (BotoCredentials, boto_credentials, boto_credentials_ref, boto_credentials_unref)

/**
 * boto_credentials_new:
 * @access_key: the access key id
 * @secret_key: the secret access key
 * @token: (nullable): the session token of temporary credentials
 * @method: (nullable): where the credentials came from, as botocore names it
 *   (`explicit`, `env`, `shared-credentials-file` …)
 *
 * Creates credentials that do not expire.
 *
 * Returns: (transfer full): new credentials
 *
 * Since: 1.0
 */
BotoCredentials *
boto_credentials_new (const char *access_key,
                      const char *secret_key,
                      const char *token,
                      const char *method)
{
  return boto_credentials_new_full (access_key, secret_key, token, method, NULL);
}

/**
 * boto_credentials_new_full:
 * @access_key: the access key id
 * @secret_key: the secret access key
 * @token: (nullable): the session token of temporary credentials
 * @method: (nullable): where the credentials came from
 * @expiry_time: (nullable): when temporary credentials expire
 *
 * Creates credentials that expire at @expiry_time, such as temporary
 * credentials from STS.
 *
 * Returns: (transfer full): new credentials
 *
 * Since: 1.0
 */
BotoCredentials *
boto_credentials_new_full (const char *access_key,
                           const char *secret_key,
                           const char *token,
                           const char *method,
                           GDateTime  *expiry_time)
{
  BotoCredentials *self;

  g_return_val_if_fail (access_key != NULL, NULL);
  g_return_val_if_fail (secret_key != NULL, NULL);

  self = g_new0 (BotoCredentials, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->access_key = g_strdup (access_key);
  self->secret_key = g_strdup (secret_key);
  self->token = g_strdup (token);
  self->method = g_strdup (method != NULL ? method : "explicit");
  self->expiry_time = expiry_time != NULL ? g_date_time_ref (expiry_time) : NULL;

  return self;
}

/**
 * boto_credentials_ref:
 * @self: credentials
 *
 * Increases the reference count of @self.
 *
 * Returns: (transfer full): @self
 *
 * Since: 1.0
 */
BotoCredentials *
boto_credentials_ref (BotoCredentials *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

static void
clear_secret (char **secret)
{
  if (*secret != NULL)
    explicit_bzero (*secret, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

/**
 * boto_credentials_unref:
 * @self: (transfer full): credentials
 *
 * Drops a reference; the last one wipes the secret from memory.
 *
 * Since: 1.0
 */
void
boto_credentials_unref (BotoCredentials *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->access_key);
  clear_secret (&self->secret_key);
  clear_secret (&self->token);
  g_free (self->method);
  g_clear_pointer (&self->expiry_time, g_date_time_unref);
  g_free (self);
}

/**
 * boto_credentials_get_access_key:
 * @self: credentials
 *
 * Gets the access key id.
 *
 * Returns: the access key id
 *
 * Since: 1.0
 */
const char *
boto_credentials_get_access_key (BotoCredentials *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->access_key;
}

/**
 * boto_credentials_get_secret_key:
 * @self: credentials
 *
 * Gets the secret access key. Never log it or put it in a message.
 *
 * Returns: the secret access key
 *
 * Since: 1.0
 */
const char *
boto_credentials_get_secret_key (BotoCredentials *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->secret_key;
}

/**
 * boto_credentials_get_token:
 * @self: credentials
 *
 * Gets the session token of temporary credentials.
 *
 * Returns: (nullable): the session token, or %NULL for long-term credentials
 *
 * Since: 1.0
 */
const char *
boto_credentials_get_token (BotoCredentials *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->token;
}

/**
 * boto_credentials_get_method:
 * @self: credentials
 *
 * Gets the name of the source the credentials came from.
 *
 * Returns: where the credentials came from, as botocore names it:
 *   `explicit`, `env` …
 *
 * Since: 1.0
 */
const char *
boto_credentials_get_method (BotoCredentials *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->method;
}

/**
 * boto_credentials_get_expiry_time:
 * @self: credentials
 *
 * Gets the time the credentials expire.
 *
 * Returns: (transfer none) (nullable): when temporary credentials expire,
 *   or %NULL for credentials that do not
 *
 * Since: 1.0
 */
GDateTime *
boto_credentials_get_expiry_time (BotoCredentials *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->expiry_time;
}

/**
 * boto_credentials_expires_within:
 * @self: credentials
 * @span: a time span from now, in microseconds
 *
 * Tells whether the credentials expire within @span from now.
 *
 * Returns: whether the credentials expire within @span from now (never
 *   for credentials without an expiry time)
 *
 * Since: 1.0
 */
gboolean
boto_credentials_expires_within (BotoCredentials *self,
                                 GTimeSpan        span)
{
  g_autoptr(GDateTime) now = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->expiry_time == NULL)
    return FALSE;

  now = g_date_time_new_now_utc ();
  return g_date_time_difference (self->expiry_time, now) <= span;
}
