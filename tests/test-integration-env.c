/* test-integration-env.c: the emulator fixture — a session configured from
 * what tests/moto-fixture.py exports, and moto answering at the endpoint
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <libsoup/soup.h>
#include <boto-glib/boto-glib.h>

static void
test_session_from_fixture (void)
{
  g_autoptr(BotoSession) session = boto_session_new ();
  g_autoptr(BotoCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (boto_session_get_region_name (session), ==, "us-east-1");
  credentials = boto_session_get_credentials (session, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (boto_credentials_get_access_key (credentials), ==, "testing");
  g_assert_cmpstr (boto_credentials_get_method (credentials), ==, "env");
}

static void
test_emulator_answers (void)
{
  const char *endpoint = g_getenv ("AWS_ENDPOINT_URL");
  g_autoptr(GUri) uri = NULL;
  g_autoptr(SoupSession) soup = soup_session_new ();
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  g_assert_nonnull (endpoint);
  uri = g_uri_parse (endpoint, G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  /* The fixture only ever listens on loopback. */
  g_assert_cmpstr (g_uri_get_host (uri), ==, "127.0.0.1");

  /* moto's own API lists what it holds; a fresh server holds no bucket. */
  url = g_strconcat (endpoint, "/moto-api/data.json", NULL);
  message = soup_message_new ("GET", url);
  body = soup_session_send_and_read (soup, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, SOUP_STATUS_OK);
  g_assert_cmpuint (g_bytes_get_size (body), >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/boto/integration/session-from-fixture", test_session_from_fixture);
  g_test_add_func ("/boto/integration/emulator-answers", test_emulator_answers);

  return g_test_run ();
}
