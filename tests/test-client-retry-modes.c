/* test-client-retry-modes.c: botocore's legacy and adaptive retry modes,
 * against a SoupServer on 127.0.0.1 that counts attempts
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <libsoup/soup.h>
#include <boto-glib/boto-glib.h>

#include "boto-client-private.h"
#include "test-utils.h"
#include "boto-rate-limiter-private.h"

typedef struct
{
  TestServer   *ts;
  const char   *url;
  GMutex        lock;
  guint         n_failures;
  guint         failure_status;
  const char   *failure_code;
  guint         requests;
} Server;

static void
handler (SoupServer        *soup_server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Server *server = user_data;
  guint n;

  g_mutex_lock (&server->lock);
  n = server->requests++;
  g_mutex_unlock (&server->lock);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "x-amzn-RequestId", "r");
  if (n < server->n_failures)
    {
      g_autofree char *body = g_strdup_printf ("{\"__type\": \"%s\", \"message\": \"no\"}", server->failure_code);

      soup_server_message_set_status (msg, server->failure_status, NULL);
      soup_server_message_set_response (msg, "application/x-amz-json-1.0", SOUP_MEMORY_COPY, body, strlen (body));
      return;
    }
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/x-amz-json-1.0", SOUP_MEMORY_STATIC,
                                    "{\"TableNames\": []}", strlen ("{\"TableNames\": []}"));
}

static Server *
server_start (guint       n_failures,
              guint       status,
              const char *code)
{
  Server *server = g_new0 (Server, 1);

  g_mutex_init (&server->lock);
  server->n_failures = n_failures;
  server->failure_status = status;
  server->failure_code = code;
  server->ts = test_server_start (handler, server);
  server->url = test_server_get_url (server->ts);
  return server;
}

static void
server_stop (Server *server)
{
  test_server_stop (server->ts);
  g_mutex_clear (&server->lock);
  g_free (server);
}

typedef struct
{
  guint  calls;
  gint64 computed[16];
} Backoffs;

static gint64
record_backoff (guint    attempt,
                gint64   computed_usec,
                gpointer user_data)
{
  Backoffs *backoffs = user_data;

  if (backoffs->calls < G_N_ELEMENTS (backoffs->computed))
    backoffs->computed[backoffs->calls] = computed_usec;
  backoffs->calls++;
  return 0;
}

/* @config_text: a GVariant text for BotoConfig, or NULL */
static BotoClient *
make_client (Server     *server,
             const char *service,
             const char *config_text,
             Backoffs   *backoffs)
{
  g_autoptr(BotoSession) session = boto_session_new ();
  g_autoptr(BotoConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  BotoClient *client;

  if (config_text != NULL)
    {
      config = boto_config_new (g_variant_new_parsed (config_text), &error);
      g_assert_no_error (error);
    }
  client = boto_session_create_client (session, service, server->url, config, &error);
  g_assert_no_error (error);
  boto_client_set_backoff_func_for_testing (client, record_backoff, backoffs);
  return client;
}

static void
test_legacy_defaults (void)
{
  Server *server = server_start (100, 503, "ServiceUnavailable");
  Backoffs backoffs = { 0, };
  g_autoptr(BotoClient) client = make_client (server, "dynamodb", "{'retries': <{'mode': <'legacy'>}>}", &backoffs);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = boto_client_call (client, "ListTables", NULL, NULL, &error);

  g_assert_error (error, BOTO_SERVICE_ERROR, BOTO_SERVICE_ERROR_SERVER);
  g_assert_null (result);
  /* botocore's legacy default for DynamoDB: 10 attempts in all */
  g_assert_cmpuint (server->requests, ==, 10);
  g_assert_cmpuint (backoffs.calls, ==, 9);
  /* DynamoDB's legacy delay: 0.05 s × 2^(n-1), no randomness */
  g_assert_cmpint (backoffs.computed[0], ==, 50000);
  g_assert_cmpint (backoffs.computed[1], ==, 100000);
  g_assert_cmpint (backoffs.computed[2], ==, 200000);
  g_assert_cmpint (backoffs.computed[3], ==, 400000);
  g_assert_cmpint (backoffs.computed[8], ==, 12800000);
  server_stop (server);

  /* 5 for the other services */
  server = server_start (100, 500, "InternalFailure");
  {
    Backoffs others = { 0, };
    g_autoptr(BotoClient) sqs = make_client (server, "sqs", "{'retries': <{'mode': <'legacy'>}>}", &others);
    g_autoptr(GVariant) none = NULL;

    g_clear_error (&error);
    none = boto_client_call (sqs, "ListQueues", NULL, NULL, &error);
    g_assert_nonnull (error);
    g_assert_cmpuint (server->requests, ==, 5);
  }
  server_stop (server);
}

static void
test_legacy_random_backoff (void)
{
  Server *server = server_start (100, 500, "InternalFailure");
  Backoffs backoffs = { 0, };
  g_autoptr(BotoClient) client = make_client (server, "sqs",
                                              "{'retries': <{'mode': <'legacy'>, 'total_max_attempts': <7>}>}",
                                              &backoffs);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = boto_client_call (client, "ListQueues", NULL, NULL, &error);

  g_assert_nonnull (error);
  g_assert_cmpuint (server->requests, ==, 7);
  g_assert_cmpuint (backoffs.calls, ==, 6);
  /* rand × 2^(n-1) seconds, no 20 s cap */
  for (guint i = 0; i < 6; i++)
    {
      g_assert_cmpint (backoffs.computed[i], >=, 0);
      g_assert_cmpint (backoffs.computed[i], <, (gint64) G_USEC_PER_SEC << i);
    }
  server_stop (server);
}

static void
test_legacy_retryable_set (void)
{
  struct { const char *service; guint status; const char *code; gboolean legacy; gboolean standard; } cases[] = {
    /* 509 is retried by legacy only */
    { "dynamodb", 509, "SomethingElse", TRUE, FALSE },
    { "dynamodb", 400, "ThrottlingException", TRUE, TRUE },
    { "dynamodb", 400, "TransactionInProgressException", TRUE, TRUE },
    { "dynamodb", 409, "ReplicatedWriteConflictException", TRUE, FALSE },
    /* a code counts with its status only */
    { "dynamodb", 500, "ValidationException", TRUE, TRUE },
    { "dynamodb", 400, "ValidationException", FALSE, FALSE },
    { "dynamodb", 400, "LimitExceededException", FALSE, TRUE },
    { "dynamodb", 400, "RequestTimeout", FALSE, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (guint standard = 0; standard < 2; standard++)
      {
        Server *server = server_start (1, cases[i].status, cases[i].code);
        Backoffs backoffs = { 0, };
        g_autoptr(BotoClient) client = make_client (server, cases[i].service,
                                                    standard ? "{'retries': <{'mode': <'standard'>}>}"
                                                             : "{'retries': <{'mode': <'legacy'>}>}",
                                                    &backoffs);
        g_autoptr(GError) error = NULL;
        g_autoptr(GVariant) result = boto_client_call (client, "ListTables", NULL, NULL, &error);
        gboolean expected = standard ? cases[i].standard : cases[i].legacy;

        g_test_message ("%s %u %s (%s): %u requests", cases[i].service, cases[i].status, cases[i].code,
                        standard ? "standard" : "legacy", server->requests);
        g_assert_cmpuint (server->requests, ==, expected ? 2 : 1);
        if (expected)
          g_assert_no_error (error);
        server_stop (server);
      }
}

static void
test_adaptive_enables_limiter (void)
{
  Server *server = server_start (2, 400, "ThrottlingException");
  Backoffs backoffs = { 0, };
  g_autoptr(BotoClient) client = make_client (server, "dynamodb", "{'retries': <{'mode': <'adaptive'>}>}", &backoffs);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  gint64 start = g_get_monotonic_time ();

  result = boto_client_call (client, "ListTables", NULL, NULL, &error);
  g_assert_no_error (error);
  /* standard's retries ... */
  g_assert_cmpuint (server->requests, ==, 3);
  g_assert_cmpuint (backoffs.calls, ==, 2);
  /* ... and after a throttling answer, the token bucket paces sends: at
   * most 0.5 tokens/s at first, so the third send waited */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC / 2);
  server_stop (server);
}

static void
test_standard_unchanged (void)
{
  Server *server = server_start (100, 503, "ServiceUnavailable");
  Backoffs backoffs = { 0, };
  g_autoptr(BotoClient) client = make_client (server, "dynamodb", "{'retries': <{'mode': <'standard'>}>}", &backoffs);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = boto_client_call (client, "ListTables", NULL, NULL, &error);

  g_assert_nonnull (error);
  g_assert_cmpuint (server->requests, ==, 3);
  server_stop (server);
}

/* The rate limiter alone, on a fake clock */

static double
fake_clock (gpointer user_data)
{
  return *(double *) user_data;
}

static void
test_rate_limiter_cubic (void)
{
  BotoRateLimiter *limiter = boto_rate_limiter_new ();
  double now = 1000.0;
  double measured;
  double rate;
  gint64 wait;

  boto_rate_limiter_set_clock (limiter, fake_clock, &now);
  g_assert_false (boto_rate_limiter_is_enabled (limiter));
  g_assert_cmpint (boto_rate_limiter_reserve (limiter), ==, 0);

  /* 10 responses a second for 3 seconds */
  for (guint i = 0; i < 30; i++)
    {
      now += 0.1;
      boto_rate_limiter_on_response (limiter, FALSE);
    }
  g_assert_false (boto_rate_limiter_is_enabled (limiter));
  measured = boto_rate_limiter_get_measured_rate (limiter);
  g_assert_cmpfloat (measured, >, 8);
  g_assert_cmpfloat (measured, <, 12);

  /* A throttle: send rate cut to 0.7 × the measured one */
  now += 0.1;
  boto_rate_limiter_on_response (limiter, TRUE);
  g_assert_true (boto_rate_limiter_is_enabled (limiter));
  measured = boto_rate_limiter_get_measured_rate (limiter);
  rate = boto_rate_limiter_get_fill_rate (limiter);
  g_assert_cmpfloat (fabs (rate - 0.7 * measured), <, 1e-9);

  /* Sends now take tokens: once the bucket is empty, each send right
   * after another waits 1/rate longer than the one before */
  wait = boto_rate_limiter_reserve (limiter);
  while (wait == 0)
    wait = boto_rate_limiter_reserve (limiter);
  g_assert_cmpfloat (wait, <=, G_USEC_PER_SEC / rate + 2);
  g_assert_cmpfloat (fabs (boto_rate_limiter_reserve (limiter) - wait - G_USEC_PER_SEC / rate), <, 2);

  /* CUBIC: back to the old maximum after k seconds of success */
  {
    double w_max = measured;
    double k = cbrt (w_max * 0.3 / 0.4);

    now += k;
    boto_rate_limiter_on_response (limiter, FALSE);
    rate = boto_rate_limiter_get_fill_rate (limiter);
    g_assert_cmpfloat (rate, <=, 2 * boto_rate_limiter_get_measured_rate (limiter) + 1e-9);
    g_assert_cmpfloat (rate, <=, w_max + 1e-6);
  }
  boto_rate_limiter_free (limiter);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("AWS_ACCESS_KEY_ID", "testing", TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", "testing", TRUE);
  g_setenv ("AWS_DEFAULT_REGION", "us-east-1", TRUE);
  g_setenv ("AWS_CONFIG_FILE", "/nonexistent", TRUE);
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent", TRUE);
  g_unsetenv ("AWS_MAX_ATTEMPTS");
  g_unsetenv ("AWS_RETRY_MODE");

  g_test_add_func ("/boto/client-retry-modes/legacy/defaults", test_legacy_defaults);
  g_test_add_func ("/boto/client-retry-modes/legacy/random-backoff", test_legacy_random_backoff);
  g_test_add_func ("/boto/client-retry-modes/legacy/retryable-set", test_legacy_retryable_set);
  g_test_add_func ("/boto/client-retry-modes/standard/unchanged", test_standard_unchanged);
  g_test_add_func ("/boto/client-retry-modes/adaptive/limiter", test_adaptive_enables_limiter);
  g_test_add_func ("/boto/client-retry-modes/rate-limiter/cubic", test_rate_limiter_cubic);

  return g_test_run ();
}
