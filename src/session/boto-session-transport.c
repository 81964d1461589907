/* boto-session-transport.c: the SoupSession a BotoSession's clients share
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include "boto-session-private.h"
#include "boto-version.h"

/* The pools of one BotoSession: "max_conns/timeout" → SoupSession, kept as
 * the session's qdata so that the session's own code is not involved. */
static GMutex pools_lock;

static GQuark
pools_quark (void)
{
  static GQuark quark = 0;

  if (quark == 0)
    quark = g_quark_from_static_string ("boto-session-soup-pools");
  return quark;
}

SoupSession *
boto_session_dup_soup_session (BotoSession *self,
                               guint        max_conns,
                               guint        timeout_sec)
{
  g_autofree char *key = NULL;
  GHashTable *pools;
  SoupSession *soup;

  g_return_val_if_fail (BOTO_IS_SESSION (self), NULL);

  max_conns = CLAMP (max_conns, 1, 10000);
  key = g_strdup_printf ("%u/%u", max_conns, timeout_sec);

  g_mutex_lock (&pools_lock);
  pools = g_object_get_qdata (G_OBJECT (self), pools_quark ());
  if (pools == NULL)
    {
      pools = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
      g_object_set_qdata_full (G_OBJECT (self), pools_quark (), pools,
                               (GDestroyNotify) g_hash_table_unref);
    }
  soup = g_hash_table_lookup (pools, key);
  if (soup == NULL)
    {
      soup = soup_session_new_with_options ("max-conns", (int) max_conns,
                                            "max-conns-per-host", (int) max_conns,
                                            "timeout", timeout_sec,
                                            "user-agent", "boto-glib/" BOTO_VERSION_S,
                                            NULL);
      /* botocore hands bodies over as sent (no transparent decoding). */
      soup_session_remove_feature_by_type (soup, SOUP_TYPE_CONTENT_DECODER);
      g_hash_table_insert (pools, g_steal_pointer (&key), soup);
    }
  g_object_ref (soup);
  g_mutex_unlock (&pools_lock);
  return soup;
}
