/* bench-protocols.c: time the response parsers and request serializers
 *
 * Usage: bench-protocols parse|serialize SERVICE OPERATION FILE ITERATIONS|auto [PROTOCOL]
 *
 * Parses FILE as a 200 response of OPERATION (in PROTOCOL when given, else
 * the one the client would choose; only smithy-rpc-v2-cbor is accepted), or serializes the JSON
 * parameters in FILE into its request (validation included, as a client
 * does), and prints the best round's microseconds per call:
 * `us-per-call N`.
 *
 * With ITERATIONS a number, there are 5 rounds of that many calls (a fixed
 * amount of work, for callgrind).  With ITERATIONS `auto`, a round is as
 * many calls as last BENCH_ROUND_MS (default 20), and rounds go on for
 * BENCH_SECONDS (default 1), at least 3 of them: the way run_protocols.py
 * times botocore on the same inputs.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <boto-glib/boto-glib.h>

#include "boto-protocol-parser-private.h"
#include "boto-protocol-rpcv2-cbor-private.h"
#include "boto-protocol-serializer-private.h"

static gboolean use_cbor;

static gboolean
run_once (const char         *kind,
          BotoServiceModel   *model,
          BotoOperationModel *op,
          SoupMessageHeaders *headers,
          GBytes             *body,
          GVariant           *params,
          GError            **error)
{
  if (strcmp (kind, "parse") == 0)
    {
      gboolean is_error = FALSE;
      g_autoptr(GVariant) result =
        use_cbor ? boto_rpcv2_cbor_parse_response (model, op, 200, headers, body, &is_error, error)
                 : boto_protocol_parse_response (op, boto_service_model_get_protocol (model),
                                                 200, headers, body, &is_error, error);

      return result != NULL && !is_error;
    }
  else
    {
      g_autoptr(BotoHttpRequest) request =
        boto_protocol_serialize_request (model, op, NULL, params, "https://bench.us-east-1.amazonaws.com",
                                         error);

      return request != NULL;
    }
}

/* How many calls make a round of BENCH_ROUND_MS: doubled until they do. */
static guint
calibrate (const char         *kind,
           BotoServiceModel   *model,
           BotoOperationModel *op,
           SoupMessageHeaders *headers,
           GBytes             *body,
           GVariant           *params)
{
  const char *round_ms = g_getenv ("BENCH_ROUND_MS");
  gint64 round = (gint64) ((round_ms != NULL ? g_ascii_strtod (round_ms, NULL) : 20.0) * 1000);
  guint n = 1;

  for (;;)
    {
      gint64 start = g_get_monotonic_time ();

      for (guint i = 0; i < n; i++)
        run_once (kind, model, op, headers, body, params, NULL);
      if (g_get_monotonic_time () - start >= round || n >= G_MAXUINT / 2)
        return n;
      n *= 2;
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoServiceModel) model = NULL;
  g_autoptr(GVariant) params = NULL;
  g_autoptr(GBytes) body = NULL;
  SoupMessageHeaders *headers;
  BotoOperationModel *op;
  char *contents;
  gsize length;
  double best = -1;
  guint iterations;
  guint rounds = 5;
  gint64 budget = 0;
  gint64 begin = 0;

  if (argc != 6 && !(argc == 7 && strcmp (argv[6], "smithy-rpc-v2-cbor") == 0 && strcmp (argv[1], "parse") == 0))
    {
      fprintf (stderr, "Usage: %s parse|serialize SERVICE OPERATION FILE ITERATIONS|auto [smithy-rpc-v2-cbor]\n", argv[0]);
      return 2;
    }
  use_cbor = argc == 7;
  iterations = MAX (atoi (argv[5]), 1);
  if (strcmp (argv[5], "auto") == 0)
    {
      const char *seconds = g_getenv ("BENCH_SECONDS");

      budget = (gint64) ((seconds != NULL ? g_ascii_strtod (seconds, NULL) : 1.0) * G_USEC_PER_SEC);
      rounds = G_MAXUINT;
    }

  model = boto_service_model_load (argv[2], &error);
  if (model == NULL || (op = boto_service_model_get_operation (model, argv[3], &error)) == NULL ||
      !g_file_get_contents (argv[4], &contents, &length, &error))
    {
      fprintf (stderr, "bench-protocols: %s\n", error->message);
      return 1;
    }
  body = g_bytes_new_take (contents, length);

  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  soup_message_headers_append (headers, "x-amzn-requestid", "bench");
  if (use_cbor)
    {
      soup_message_headers_append (headers, "smithy-protocol", "rpc-v2-cbor");
      soup_message_headers_append (headers, "Content-Type", "application/cbor");
    }
  if (strcmp (argv[1], "serialize") == 0)
    {
      params = json_gvariant_deserialize_data (contents, length, NULL, &error);
      if (params == NULL)
        {
          fprintf (stderr, "bench-protocols: %s\n", error->message);
          return 1;
        }
      g_variant_ref_sink (params);
    }

  /* Once untimed, so a wrong input fails loudly instead of timing errors. */
  if (!run_once (argv[1], model, op, headers, body, params, &error))
    {
      fprintf (stderr, "bench-protocols: %s\n", error != NULL ? error->message : "an error response");
      return 1;
    }

  if (budget > 0)
    iterations = calibrate (argv[1], model, op, headers, body, params);

  for (guint round = 0; round < rounds; round++)
    {
      gint64 start = g_get_monotonic_time ();
      double per_call;

      if (round == 0)
        begin = start;
      else if (budget > 0 && round >= 3 && start - begin >= budget)
        break;
      for (guint i = 0; i < iterations; i++)
        run_once (argv[1], model, op, headers, body, params, NULL);
      per_call = (double) (g_get_monotonic_time () - start) / iterations;
      if (best < 0 || per_call < best)
        best = per_call;
    }

  soup_message_headers_unref (headers);
  printf ("us-per-call %.2f\n", best);
  return 0;
}
