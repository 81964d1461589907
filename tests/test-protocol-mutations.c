/* test-protocol-mutations.c: every parser against damaged responses
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * The response bodies of the botocore output suites (every protocol, with
 * the shapes each case declares) are cut short at many lengths, have bytes
 * replaced, ranges deleted and ranges repeated, and each damaged body is
 * parsed again (event streams included); so is each response header's
 * value, one at a time. Whatever the damage, a parser must either give a result
 * that is a well-formed a{sv} GVariant (checked with
 * g_variant_is_normal_form (), which walks all of it) or fail with a GError
 * that has a message; never both, never neither, and never read outside
 * the body (the suite also runs under ASan and UBSan).
 *
 * The mutations come from a GRand seeded per case, so a failure repeats.
 * BOTO_MUTATIONS sets how many random mutations each case gets (default 48);
 * BOTO_MUTATION_SEED shifts the seeds, for longer runs by hand.
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <boto-glib/boto-glib.h>

#include "boto-protocol-parser-private.h"
#include "boto-protocol-rpcv2-cbor-private.h"
#include "test-utils.h"

typedef struct
{
  guint parses, results, errors;
} Tally;

static guint mutations_per_case = 48;
static guint32 seed_shift;

/* Bytes a parser treats specially in one protocol or another. */
static const char structural[] = "{}[]<>\"'\\:,/&;=!?-\n \t\x00\x80\xbf\xc3\xff\x9f\xf8\x7f";

static void
check_one (BotoServiceModel   *model,
           BotoOperationModel *op,
           const char         *protocol,
           guint               status,
           SoupMessageHeaders *headers,
           const guint8       *data,
           gsize               length,
           const char         *where,
           Tally              *tally)
{
  /* A copy of exactly @length bytes: ASan sees any read past it. */
  g_autoptr(GBytes) body = g_bytes_new (data, length);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  gboolean is_error = FALSE;

  if (strcmp (protocol, "smithy-rpc-v2-cbor") == 0)
    result = boto_rpcv2_cbor_parse_response (model, op, status, headers, body, &is_error, &error);
  else
    result = boto_protocol_parse_response (op, protocol, status, headers, body, &is_error, &error);

  tally->parses++;
  if (result != NULL)
    {
      if (error != NULL)
        g_error ("%s: a result and an error (%s)", where, error->message);
      if (!g_variant_is_of_type (result, G_VARIANT_TYPE_VARDICT))
        g_error ("%s: a result of type %s", where, g_variant_get_type_string (result));
      if (!g_variant_is_normal_form (result))
        g_error ("%s: a result that is not a well-formed GVariant", where);
      tally->results++;
    }
  else
    {
      if (error == NULL)
        g_error ("%s: neither a result nor an error", where);
      if (error->domain == 0 || error->message == NULL || error->message[0] == '\0')
        g_error ("%s: an error without a message", where);
      tally->errors++;
    }
}

/* One damaged copy of @data in @out, chosen by @rand. */
static void
mutate (GRand        *rand,
        const guint8 *data,
        gsize         length,
        GByteArray   *out)
{
  gsize at = length > 0 ? (gsize) g_rand_int_range (rand, 0, (gint32) length) : 0;
  gsize span = (gsize) g_rand_int_range (rand, 1, 17);

  g_byte_array_set_size (out, 0);
  g_byte_array_append (out, data, length);
  switch (length > 0 ? g_rand_int_range (rand, 0, 4) : 3)
    {
    case 0: /* a byte replaced by any byte */
      out->data[at] = (guint8) g_rand_int_range (rand, 0, 256);
      break;
    case 1: /* a byte replaced by one some syntax cares about */
      out->data[at] = (guint8) structural[g_rand_int_range (rand, 0, sizeof structural - 1)];
      break;
    case 2: /* a range deleted */
      g_byte_array_remove_range (out, (guint) at, (guint) MIN (span, length - at));
      break;
    default: /* a range repeated in place (duplicate keys, elements, nesting) */
      {
        gsize from = length > 0 ? (gsize) g_rand_int_range (rand, 0, (gint32) length) : 0;
        gsize n = MIN (span * 4, length - from);

        g_byte_array_set_size (out, 0);
        g_byte_array_append (out, data, (guint) at);
        g_byte_array_append (out, data + from, (guint) n);
        g_byte_array_append (out, data + at, (guint) (length - at));
      }
      break;
    }
}

static GBytes *
case_body (JsonObject *response,
           gboolean    base64)
{
  const char *text = json_object_has_member (response, "body") ?
                     json_object_get_string_member (response, "body") : "";

  if (base64)
    {
      gsize length = 0;
      guchar *decoded = g_base64_decode (text, &length);

      return g_bytes_new_take (decoded, length);
    }
  return g_bytes_new (text, strlen (text));
}

static void
run_case (JsonObject *suite,
          JsonObject *test_case,
          const char *key,
          guint32     seed,
          Tally      *tally)
{
  JsonObject *given = json_object_get_object_member (test_case, "given");
  JsonObject *response = json_object_get_object_member (test_case, "response");
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoServiceModel) model =
    test_model_for_operation (json_object_get_object_member (suite, "metadata"),
                              json_object_get_object_member (suite, "shapes"), given, &error);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed + seed_shift);
  g_autoptr(GByteArray) damaged = g_byte_array_new ();
  g_autoptr(GBytes) body = NULL;
  BotoOperationModel *op;
  const char *protocol;
  const guint8 *data;
  gsize length;
  guint status;

  g_assert_no_error (error);
  op = boto_service_model_get_operation (model, json_object_get_string_member (given, "name"), &error);
  g_assert_no_error (error);
  protocol = boto_service_model_get_protocol (model);
  status = (guint) json_object_get_int_member (response, "status_code");
  if (json_object_has_member (response, "headers"))
    test_append_json_headers (headers, json_object_get_object_member (response, "headers"));

  /* The suites give CBOR and event-stream bodies in base64. */
  body = case_body (response, strcmp (protocol, "smithy-rpc-v2-cbor") == 0 || test_has_event_stream_output (op));
  data = g_bytes_get_data (body, &length);

  /* Cut short: every length for a short body, else 32 spread over it. */
  for (gsize cut = 0; cut < length; cut += length <= 96 ? 1 : MAX (length / 32, 1))
    {
      g_autofree char *where = g_strdup_printf ("%s cut at %" G_GSIZE_FORMAT, key, cut);

      check_one (model, op, protocol, status, headers, data, cut, where, tally);
    }
  for (guint i = 0; i < mutations_per_case; i++)
    {
      g_autofree char *where = NULL;

      mutate (rand, data, length, damaged);
      where = g_strdup_printf ("%s mutation %u (seed %u)", key, i, seed + seed_shift);
      check_one (model, op, protocol, status, headers, damaged->data, damaged->len, where, tally);
      /* The same damage in an error response, when the case is a success. */
      if (status < 300)
        check_one (model, op, protocol, 400, headers, damaged->data, damaged->len, where, tally);
    }
  /* Then the headers (timestamps, numbers, base64, JSON values, lists):
   * one damaged value at a time, with the intact body. */
  if (json_object_has_member (response, "headers"))
    {
      JsonObject *given_headers = json_object_get_object_member (response, "headers");
      g_autoptr(GList) names = json_object_get_members (given_headers);

      for (GList *l = names; l != NULL; l = l->next)
        for (guint i = 0; i < MAX (mutations_per_case / 4, 1); i++)
          {
            const char *value = json_object_get_string_member (given_headers, l->data);
            g_autofree char *where = NULL;
            g_autofree char *text = NULL;

            mutate (rand, (const guint8 *) value, strlen (value), damaged);
            /* A header value holds no NUL, CR or LF. */
            for (guint j = 0; j < damaged->len; j++)
              if (damaged->data[j] == '\0' || damaged->data[j] == '\r' || damaged->data[j] == '\n')
                damaged->data[j] = ' ';
            text = g_strndup ((const char *) damaged->data, damaged->len);
            soup_message_headers_replace (headers, l->data, text);
            where = g_strdup_printf ("%s header %s mutation %u (seed %u)", key, (const char *) l->data, i,
                                     seed + seed_shift);
            check_one (model, op, protocol, status, headers, data, length, where, tally);
            soup_message_headers_replace (headers, l->data, value);
          }
    }
}

static void
run_file (const char *relpath)
{
  g_autofree char *path = g_build_filename (g_getenv ("BOTO_CONFORMANCE_DIR"), "protocols", relpath, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  Tally tally = { 0, 0, 0 };
  guint32 seed = g_str_hash (relpath);
  guint cases = 0;
  JsonArray *suites;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  suites = json_node_get_array (json_parser_get_root (parser));
  for (guint s = 0; s < json_array_get_length (suites); s++)
    {
      JsonObject *suite = json_array_get_object_element (suites, s);
      JsonArray *test_cases = json_object_get_array_member (suite, "cases");

      for (guint c = 0; c < json_array_get_length (test_cases); c++)
        {
          JsonObject *test_case = json_array_get_object_element (test_cases, c);
          g_autofree char *key = json_object_has_member (test_case, "id") ?
            g_strdup_printf ("%s %s", relpath, json_object_get_string_member (test_case, "id")) :
            g_strdup_printf ("%s %s#%u", relpath, json_object_get_string_member (suite, "description"), c);

          run_case (suite, test_case, key, seed++, &tally);
          cases++;
        }
    }
  g_assert_cmpuint (tally.parses, >, cases);
  g_printerr ("protocol-mutations %s: %u cases, %u parses: %u results, %u errors\n",
              relpath, cases, tally.parses, tally.results, tally.errors);
}

static void
test_file (gconstpointer data)
{
  run_file (data);
}

int
main (int   argc,
      char *argv[])
{
  /* Every output file with cases (smithy-rpc-v2-cbor-non-query-compatible
   * has input cases only). */
  static const char * const files[] = {
    "output/json.json",
    "output/json_1_0.json",
    "output/json_1_0-query-compatible.json",
    "output/rest-json.json",
    "output/query.json",
    "output/ec2.json",
    "output/rest-xml.json",
    "output/smithy-rpc-v2-cbor.json",
    "output/smithy-rpc-v2-cbor-query-compatible.json",
    "legacy/output/ec2.json",
    "legacy/output/json.json",
    "legacy/output/query.json",
    "legacy/output/rest-json.json",
    "legacy/output/rest-xml.json",
  };
  const char *count = g_getenv ("BOTO_MUTATIONS");
  const char *shift = g_getenv ("BOTO_MUTATION_SEED");

  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("BOTO_CONFORMANCE_DIR") == NULL)
    {
      g_printerr ("BOTO_CONFORMANCE_DIR is not set\n");
      return 77;
    }
  if (count != NULL)
    mutations_per_case = (guint) g_ascii_strtoull (count, NULL, 10);
  if (shift != NULL)
    seed_shift = (guint32) g_ascii_strtoull (shift, NULL, 10);

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *name = g_strdup_printf ("/boto/protocol-mutations/%s", files[i]);

      g_test_add_data_func (name, files[i], test_file);
    }
  return g_test_run ();
}
