/* test-client-proxy.c: proxies as botocore takes them; the User-Agent
 *
 * A SoupServer on 127.0.0.1 plays an HTTP proxy: with http_proxy pointing
 * at it, a client whose endpoint is a name that does not resolve
 * (example.invalid) still gets its answer, through the proxy, which sees
 * the absolute URL; no_proxy takes hosts out; with no variable set there is
 * no proxy at all.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <libsoup/soup.h>

#include <boto-glib/boto-glib.h>

#include "boto-session-private.h"
#include "test-utils.h"

typedef struct
{
  GMutex        lock;
  TestServer   *ts;
  const char   *url;
  char         *seen_uri;   /* the request URI the proxy last got */
  char         *seen_agent; /* and its User-Agent */
} Proxy;

static void
handler (SoupServer        *soup_server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  static const char body[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
    "<Owner><ID>proxied</ID></Owner><Buckets><Bucket><Name>via-proxy</Name>"
    "<CreationDate>2026-11-27T12:00:00.000Z</CreationDate></Bucket></Buckets>"
    "</ListAllMyBucketsResult>";
  Proxy *proxy = user_data;

  g_mutex_lock (&proxy->lock);
  g_free (proxy->seen_uri);
  proxy->seen_uri = g_uri_to_string (soup_server_message_get_uri (msg));
  g_free (proxy->seen_agent);
  proxy->seen_agent = g_strdup (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                              "User-Agent"));
  g_mutex_unlock (&proxy->lock);
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/xml", SOUP_MEMORY_STATIC, body, sizeof body - 1);
}

static void
unset_proxies (void)
{
  static const char * const names[] = {
    "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY",
    "no_proxy", "NO_PROXY",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_unsetenv (names[i]);
}

static char **
lookup (GProxyResolver *resolver,
        const char     *uri)
{
  g_autoptr(GError) error = NULL;
  char **proxies = g_proxy_resolver_lookup (resolver, uri, NULL, &error);

  g_assert_no_error (error);
  return proxies;
}

static void
test_resolver_from_environment (void)
{
  g_autoptr(GProxyResolver) none = NULL;
  g_autoptr(GProxyResolver) resolver = NULL;
  g_auto(GStrv) http = NULL;
  g_auto(GStrv) https = NULL;
  g_auto(GStrv) ignored = NULL;

  unset_proxies ();
  none = boto_session_transport_proxy_resolver (NULL);
  g_assert_null (none);

  /* Lower case wins over upper case; an empty one counts as unset. */
  g_setenv ("http_proxy", "http://lower.example:3128", TRUE);
  g_setenv ("HTTP_PROXY", "http://upper.example:3128", TRUE);
  g_setenv ("https_proxy", "", TRUE);
  g_setenv ("HTTPS_PROXY", "http://secure.example:8080", TRUE);
  g_setenv ("no_proxy", "internal.example, 10.0.0.1", TRUE);
  resolver = boto_session_transport_proxy_resolver (NULL);
  g_assert_nonnull (resolver);

  http = lookup (resolver, "http://s3.amazonaws.com/");
  g_assert_cmpstr (http[0], ==, "http://lower.example:3128");
  https = lookup (resolver, "https://s3.amazonaws.com/");
  g_assert_cmpstr (https[0], ==, "http://secure.example:8080");
  ignored = lookup (resolver, "http://internal.example/x");
  g_assert_cmpstr (ignored[0], ==, "direct://");
  unset_proxies ();
}

static void
test_request_through_proxy (void)
{
  Proxy proxy = { 0, };
  g_autoptr(BotoSession) session = NULL;
  g_autoptr(BotoClient) s3 = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GVariant) buckets = NULL;
  g_autoptr(GVariant) first = NULL;
  g_autoptr(GError) error = NULL;
  const char *name = NULL;

  g_mutex_init (&proxy.lock);
  proxy.ts = test_server_start (handler, &proxy);
  proxy.url = test_server_get_url (proxy.ts);

  unset_proxies ();
  g_setenv ("HTTP_PROXY", proxy.url, TRUE);
  session = boto_session_new ();
  s3 = boto_session_create_client (session, "s3", "http://s3.example.invalid", NULL, &error);
  g_assert_no_error (error);
  result = boto_client_call (s3, "ListBuckets", NULL, NULL, &error);
  g_assert_no_error (error);
  buckets = g_variant_lookup_value (result, "Buckets", G_VARIANT_TYPE ("aa{sv}"));
  g_assert_nonnull (buckets);
  g_assert_cmpuint (g_variant_n_children (buckets), ==, 1);
  first = g_variant_get_child_value (buckets, 0);
  g_assert_true (g_variant_lookup (first, "Name", "&s", &name));
  g_assert_cmpstr (name, ==, "via-proxy");

  g_mutex_lock (&proxy.lock);
  g_assert_true (g_str_has_prefix (proxy.seen_uri, "http://s3.example.invalid/"));
  g_assert_cmpstr (proxy.seen_agent, ==, "boto-glib/" BOTO_VERSION_S);
  g_mutex_unlock (&proxy.lock);
  unset_proxies ();

  /* A client's own proxies, with nothing in the environment; and the
   * User-Agent with the configured app id and extra. */
  {
    g_autoptr(BotoConfig) config = NULL;
    g_autoptr(BotoClient) configured = NULL;
    g_autoptr(GVariant) again = NULL;

    config = boto_config_new (g_variant_new_parsed ("{'proxies': <{'http': %s}>, "
                                                    "'user_agent_extra': <'myapp/1.2'>, "
                                                    "'user_agent_appid': <'tests'>}", proxy.url),
                              &error);
    g_assert_no_error (error);
    configured = boto_session_create_client (session, "s3", "http://s3.example.invalid", config, &error);
    g_assert_no_error (error);
    again = boto_client_call (configured, "ListBuckets", NULL, NULL, &error);
    g_assert_no_error (error);
    g_mutex_lock (&proxy.lock);
    g_assert_cmpstr (proxy.seen_agent, ==, "boto-glib/" BOTO_VERSION_S " app/tests myapp/1.2");
    g_mutex_unlock (&proxy.lock);
  }

  test_server_stop (proxy.ts);
  g_mutex_clear (&proxy.lock);
  g_free (proxy.seen_uri);
  g_free (proxy.seen_agent);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  /* Before any thread starts. */
  g_setenv ("AWS_ACCESS_KEY_ID", "testing", TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", "testing", TRUE);
  g_setenv ("AWS_DEFAULT_REGION", "us-east-1", TRUE);

  g_test_add_func ("/boto/client/proxy/environment", test_resolver_from_environment);
  g_test_add_func ("/boto/client/proxy/request", test_request_through_proxy);

  return g_test_run ();
}
