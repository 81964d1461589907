/* boto-session-transport.c: the SoupSession a BotoSession's clients share
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include "boto-session-private.h"

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

static const char *
proxy_variable (const char *name)
{
  g_autofree char *upper = g_ascii_strup (name, -1);
  const char *value = g_getenv (name);

  /* As Python's urllib (botocore's source of proxies): the lower-case
   * variable wins; an empty one counts as unset. */
  if (value == NULL || *value == '\0')
    value = g_getenv (upper);
  return value != NULL && *value != '\0' ? value : NULL;
}

/* botocore takes proxies from the environment (http_proxy, https_proxy,
 * all_proxy and no_proxy, in either case), not from the desktop's proxy
 * settings; so do we. It is also cheaper: GIO's default resolver (libproxy)
 * looks every connection up on a thread pool. NULL: connect directly. */
GProxyResolver *
boto_session_transport_proxy_resolver (GVariant *proxies)
{
  const char *http = proxy_variable ("http_proxy");
  const char *https = proxy_variable ("https_proxy");
  const char *all = proxy_variable ("all_proxy");
  const char *no_proxy = proxy_variable ("no_proxy");
  g_auto(GStrv) ignored = NULL;
  GProxyResolver *resolver;

  /* A client's own `proxies` replace the environment's, no_proxy
   * included (botocore's Config(proxies=…)). */
  if (proxies != NULL && g_variant_n_children (proxies) > 0)
    {
      http = NULL;
      https = NULL;
      all = NULL;
      no_proxy = NULL;
      g_variant_lookup (proxies, "http", "&s", &http);
      g_variant_lookup (proxies, "https", "&s", &https);
    }

  if (http == NULL && https == NULL && all == NULL)
    return NULL;

  if (no_proxy != NULL)
    {
      ignored = g_strsplit (no_proxy, ",", -1);
      for (guint i = 0; ignored[i] != NULL; i++)
        g_strstrip (ignored[i]);
    }
  resolver = g_simple_proxy_resolver_new (all, ignored);
  if (http != NULL)
    g_simple_proxy_resolver_set_uri_proxy (G_SIMPLE_PROXY_RESOLVER (resolver), "http", http);
  if (https != NULL)
    g_simple_proxy_resolver_set_uri_proxy (G_SIMPLE_PROXY_RESOLVER (resolver), "https", https);
  return resolver;
}

SoupSession *
boto_session_dup_soup_session (BotoSession *self,
                               guint        max_conns,
                               guint        timeout_sec,
                               GVariant    *proxies)
{
  g_autofree char *proxies_key = proxies != NULL ? g_variant_print (proxies, FALSE) : g_strdup ("");
  g_autofree char *key = NULL;
  GHashTable *pools;
  SoupSession *soup;

  g_return_val_if_fail (BOTO_IS_SESSION (self), NULL);

  max_conns = CLAMP (max_conns, 1, 10000);
  key = g_strdup_printf ("%u/%u/%s", max_conns, timeout_sec, proxies_key);

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
      g_autoptr(GProxyResolver) resolver = boto_session_transport_proxy_resolver (proxies);

      soup = soup_session_new_with_options ("max-conns", (int) max_conns,
                                            "max-conns-per-host", (int) max_conns,
                                            "timeout", timeout_sec,
                                            "proxy-resolver", resolver,
                                            NULL);
      /* No "user-agent" here: libsoup would put it over the one each
       * client sets per message (from its configuration).
       * botocore hands bodies over as sent (no transparent decoding). */
      soup_session_remove_feature_by_type (soup, SOUP_TYPE_CONTENT_DECODER);
      /* AWS signs requests itself and never asks for HTTP authentication;
       * the auth manager (about 5% of a call's instructions) only matters
       * for a proxy that does (407). */
      if (resolver == NULL)
        soup_session_remove_feature_by_type (soup, SOUP_TYPE_AUTH_MANAGER);
      g_hash_table_insert (pools, g_steal_pointer (&key), soup);
    }
  g_object_ref (soup);
  g_mutex_unlock (&pools_lock);
  return soup;
}
