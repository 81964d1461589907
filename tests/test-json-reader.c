/* test-json-reader.c: the shape-directed JSON reader of response bodies:
 * syntax errors, depth, strings, numbers, shapes, and the same values as
 * json-glib gives for random documents.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <boto-glib/boto-glib.h>

#include "boto-json-reader-private.h"
#include "boto-model-private.h"
#include "boto-protocol-parser-private.h"

static GVariant *
read_document (const char  *text,
               gssize       length,
               GError     **error)
{
  g_autoptr(BotoJsonReader) reader = NULL;

  reader = boto_json_reader_new (text, length < 0 ? strlen (text) : (gsize) length, error);
  if (reader == NULL)
    return NULL;
  return g_variant_ref_sink (boto_json_reader_read_document (reader));
}

/* The value json-glib and boto_protocol_json_to_variant give, or NULL:
 * objects in json-glib's ordered view (json_object_get_members), which is
 * document order with a repeated name in its first place, last value. */
static GVariant *
json_glib_document (const char *text,
                    gsize       length)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  if (!json_parser_load_from_data (parser, text, length, NULL) || json_parser_get_root (parser) == NULL)
    return NULL;
  return boto_protocol_json_to_variant (json_parser_get_root (parser));
}

static void
assert_same_bytes (GVariant *a,
                   GVariant *b)
{
  g_assert_cmpstr (g_variant_get_type_string (a), ==, g_variant_get_type_string (b));
  /* An empty value's data may be NULL, which memcmp() must not see. */
  if (g_variant_get_size (a) != g_variant_get_size (b) ||
      (g_variant_get_size (a) > 0 &&
       memcmp (g_variant_get_data (a), g_variant_get_data (b), g_variant_get_size (a)) != 0))
    {
      g_autofree char *pa = g_variant_print (a, TRUE);
      g_autofree char *pb = g_variant_print (b, TRUE);

      g_error ("values differ:\n  %s\n  %s", pa, pb);
    }
}

static void
assert_document (const char *text,
                 const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) value = read_document (text, -1, &error);
  g_autoptr(GVariant) want = g_variant_parse (NULL, expected, NULL, NULL, NULL);
  g_autofree char *printed = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (want);
  g_assert_true (g_variant_is_normal_form (value));
  printed = g_variant_print (value, TRUE);
  if (!g_variant_equal (value, want))
    g_error ("%s read as %s, expected %s", text, printed, expected);
}

/* Syntax --------------------------------------------------------------- */

static void
test_syntax_errors (void)
{
  static const struct { const char *text; gssize length; } bad[] = {
    { "", 0 }, { " \n\t", -1 }, { "{", -1 }, { "[", -1 }, { "[1,", -1 }, { "[1,]", -1 },
    { "{\"a\":1,}", -1 }, { "{\"a\" 1}", -1 }, { "{a:1}", -1 }, { "['a']", -1 }, { "[1 2]", -1 },
    { "tru", -1 }, { "True", -1 }, { "nul", -1 }, { "nullx", -1 }, { "[-]", -1 }, { "[1.]", -1 },
    { "[.5]", -1 }, { "[1e]", -1 }, { "[1e+]", -1 }, { "[+1]", -1 }, { "[0x10]", -1 }, { "[NaN]", -1 },
    { "[Infinity]", -1 }, { "\"\\ud800\"", -1 }, { "\"\\udc00\"", -1 }, { "\"\\ud800\\ud800\"", -1 },
    { "\"\\ud800x\"", -1 }, { "\"\\u12\"", -1 }, { "\"\\u12g4\"", -1 }, { "\"abc", -1 }, { "\"abc\\", -1 },
    { "\"\xff\"", -1 }, { "\"\xc3\"", -1 }, { "\"\xed\xa0\x80\"", -1 }, { "[\xc3\xa9]", -1 },
    { "{}x", -1 }, { "[1] [2]", -1 }, { "\"a\0b\"", 5 }, { "[1]\0", 4 }, { "[1 /* c */]", -1 },
    { "{\"a\":}", -1 }, { "{\"a\"}", -1 }, { "{,}", -1 }, { "[,1]", -1 }, { "}", -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      gsize length = bad[i].length < 0 ? strlen (bad[i].text) : (gsize) bad[i].length;
      g_autoptr(BotoJsonReader) reader = boto_json_reader_new (bad[i].text, length, &error);

      if (reader != NULL)
        g_error ("“%s” was accepted", bad[i].text);
      g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_RESPONSE);
      g_assert_nonnull (strstr (error->message, "JSON"));
    }
}

static void
test_truncated (void)
{
  const char *text = "{\"a\": [1, -2.5e3, true, false, null, \"x\\u00e9\\n\"], \"b\": {\"c\": {}}, \"d\": []}";
  gsize length = strlen (text);

  /* Every proper prefix is refused, cleanly. */
  for (gsize n = 0; n < length; n++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BotoJsonReader) reader = boto_json_reader_new (text, n, &error);

      g_assert_null (reader);
      g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_RESPONSE);
    }
}

static void
test_depth (void)
{
  for (guint depth = BOTO_JSON_MAX_DEPTH; depth <= BOTO_JSON_MAX_DEPTH + 1; depth++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(BotoJsonReader) reader = NULL;

      for (guint i = 0; i < depth; i++)
        g_string_append (text, i % 2 ? "{\"a\":" : "[");
      g_string_append (text, "1");
      for (guint i = depth; i > 0; i--)
        g_string_append (text, (i - 1) % 2 ? "}" : "]");
      reader = boto_json_reader_new (text->str, text->len, &error);
      if (depth <= BOTO_JSON_MAX_DEPTH)
        {
          g_autoptr(GVariant) value = NULL;

          g_assert_no_error (error);
          value = g_variant_ref_sink (boto_json_reader_read_document (reader));
          g_assert_true (g_variant_is_normal_form (value));
        }
      else
        {
          g_assert_null (reader);
          g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_RESPONSE);
          g_assert_nonnull (strstr (error->message, "nested"));
        }
    }

  /* Far deeper than the limit is refused without recursing that deep. */
  {
    g_autofree char *open = g_strnfill (200000, '[');
    g_autoptr(GError) error = NULL;
    g_autoptr(BotoJsonReader) reader = boto_json_reader_new (open, strlen (open), &error);

    g_assert_null (reader);
    g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_RESPONSE);
  }
}

/* Values --------------------------------------------------------------- */

static void
test_strings (void)
{
  assert_document ("\"plain\"", "'plain'");
  assert_document ("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "'\"\\\\/\\b\\f\\n\\r\\t'");
  assert_document ("\"caf\\u00e9 \\u00E9 \xc3\xa9\"", "'café é é'");
  assert_document ("\"\\ud83d\\ude00\"", "'\U0001F600'");
  assert_document ("\"\\u4e2d\\u6587\"", "'中文'");
  /* json-glib's readings: \u0000 ends the string, an unknown escape is the
   * character itself, raw control characters are kept. */
  assert_document ("\"a\\u0000b\"", "'a'");
  assert_document ("\"\\q\"", "'q'");
  assert_document ("\"a\tb\x01\"", "'a\\tb\\u0001'");
  assert_document ("\xef\xbb\xbf \"bom\" ", "'bom'");
  assert_document ("{\"k\\u0065y\": 1, \"key\": 2}", "{'key': <int64 2>}");
}

static void
test_numbers (void)
{
  assert_document ("[0, -0, 7, -42, 9223372036854775807, -9223372036854775808]",
                   "[<int64 0>, <int64 0>, <int64 7>, <int64 -42>, <int64 9223372036854775807>,"
                   " <int64 -9223372036854775808>]");
  assert_document ("[1.5, -2.25e-3, 1E+10, 1e2, 0.1, -0.0]",
                   "[<1.5>, <-0.00225>, <10000000000.0>, <100.0>, <0.1>, <-0.0>]");
  /* Beyond 64 bits: a double (json-glib wrapped around). */
  assert_document ("[9223372036854775808, -9223372036854775809, 99999999999999999999]",
                   "[<9223372036854775808.0>, <-9223372036854775808.0>, <1e20>]");
  assert_document ("[true, false, null]", "[<true>, <false>, <@mv nothing>]");
}

/* Random documents read the same as json-glib reads them, to the byte:
 * member order (json-glib's ordered members: document order), repeated
 * names, escapes. */

static void
random_string (GRand   *rand,
               GString *out)
{
  static const char *pieces[] = {
    "a", "b", "Key", "x y", "caf\xc3\xa9", "\xe4\xb8\xad", "\xf0\x9f\x98\x80", "\\n", "\\\"", "\\\\",
    "\\/", "\\u00e9", "\\u4e2D", "\\ud83d\\ude00", "\\t", "1", "_", "\\u0041",
  };
  guint n = g_rand_int_range (rand, 0, 5);

  g_string_append_c (out, '"');
  for (guint i = 0; i < n; i++)
    g_string_append (out, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
  g_string_append_c (out, '"');
}

static void
random_value (GRand   *rand,
              GString *out,
              guint    depth)
{
  static const char *scalars[] = {
    "0", "-1", "42", "123456789012", "-9223372036854775808", "1.5", "-0.25", "1e3", "2.5E-3",
    "true", "false", "null", "3.0",
  };
  guint kind = g_rand_int_range (rand, 0, depth > 4 ? 2 : 4);
  const char *space = g_rand_boolean (rand) ? " " : "";

  switch (kind)
    {
    case 0:
      g_string_append (out, scalars[g_rand_int_range (rand, 0, G_N_ELEMENTS (scalars))]);
      break;
    case 1:
      random_string (rand, out);
      break;
    case 2:
      {
        guint n = g_rand_int_range (rand, 0, 5);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_printf (out, ",%s", space);
            random_value (rand, out, depth + 1);
          }
        g_string_append_c (out, ']');
      }
      break;
    default:
      {
        guint n = g_rand_int_range (rand, 0, 12);

        g_string_append_printf (out, "{%s", space);
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_printf (out, ",%s", space);
            random_string (rand, out);
            g_string_append_printf (out, "%s:%s", space, space);
            random_value (rand, out, depth + 1);
          }
        g_string_append_printf (out, "%s}", space);
      }
      break;
    }
}

static void
test_same_as_json_glib (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261128);

  for (guint i = 0; i < 3000; i++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autoptr(GVariant) want = NULL;
      g_autoptr(GVariant) got = NULL;
      g_autoptr(GError) error = NULL;

      random_value (rand, text, 0);
      want = json_glib_document (text->str, text->len);
      got = read_document (text->str, text->len, &error);
      g_assert_no_error (error);
      g_assert_nonnull (want);
      g_assert_true (g_variant_is_normal_form (got));
      assert_same_bytes (got, want);
    }
}

/* Objects keep document order, as botocore's json.loads() dicts do; a
 * repeated name keeps its first place and takes its last value. */
static void
test_document_order (void)
{
  static const struct { const char *text, *expected; } cases[] = {
    { "{\"b\": 1, \"a\": 2, \"c\": 3}", "{'b': <int64 1>, 'a': <int64 2>, 'c': <int64 3>}" },
    { "{\"a\": 1, \"b\": 2, \"a\": 3}", "{'a': <int64 3>, 'b': <int64 2>}" },
    { "{\"z\": {\"y\": null, \"x\": true}, \"a\": [{\"n\": 1, \"m\": 2}]}",
      "{'z': <{'y': <@mv nothing>, 'x': <true>}>, 'a': <[<{'n': <int64 1>, 'm': <int64 2>}>]>}" },
    { "{\"k\\u0041\": 1, \"b\": 2, \"kA\": 3}", "{'kA': <int64 3>, 'b': <int64 2>}" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GVariant) want = g_variant_parse (G_VARIANT_TYPE_VARDICT, cases[i].expected, NULL, NULL, NULL);
      g_autoptr(GVariant) reference = json_glib_document (cases[i].text, strlen (cases[i].text));

      assert_document (cases[i].text, cases[i].expected);
      g_assert_nonnull (reference);
      g_assert_true (g_variant_equal (reference, want));
    }

  /* Past the names compared pair by pair: twenty names, twice (the second
   * time the sequence is known), then with a repeat. */
  for (guint round = 0; round < 3; round++)
    {
      g_autoptr(GString) text = g_string_new ("{");
      g_autoptr(GString) expected = g_string_new ("{");
      g_autoptr(GVariant) reference = NULL;
      g_autoptr(GVariant) got = NULL;

      for (guint i = 0; i < 20; i++)
        {
          g_string_append_printf (text, "%s\"k%u\": %u", i > 0 ? ", " : "", 19 - i, i);
          if (round < 2 || i != 19)
            g_string_append_printf (expected, "%s'k%u': <int64 %u>", i > 0 ? ", " : "", 19 - i,
                                    round == 2 && i == 0 ? 99 : i);
        }
      if (round == 2)
        g_string_append (text, ", \"k19\": 99, \"k0\": 100");
      g_string_append (text, "}");
      g_string_append (expected, "}");
      /* The repeated k19 stays first with 99; k0 stays last with 100. */
      if (round == 2)
        {
          g_string_truncate (expected, expected->len - 1);
          g_string_append (expected, ", 'k0': <int64 100>}");
        }
      assert_document (text->str, expected->str);
      reference = json_glib_document (text->str, text->len);
      got = read_document (text->str, text->len, NULL);
      assert_same_bytes (got, reference);
    }
}

/* Shapes --------------------------------------------------------------- */

static const char *shapes_model =
  "{\"metadata\": {\"protocol\": \"json\", \"apiVersion\": \"2020-01-01\", \"endpointPrefix\": \"t\","
  " \"jsonVersion\": \"1.0\", \"targetPrefix\": \"T\"},"
  " \"operations\": {\"Op\": {\"name\": \"Op\", \"http\": {\"method\": \"POST\", \"requestUri\": \"/\"},"
  "   \"output\": {\"shape\": \"Out\"}}},"
  " \"shapes\": {"
  "  \"Out\": {\"type\": \"structure\", \"members\": {"
  "    \"I\": {\"shape\": \"I\"}, \"L\": {\"shape\": \"L\"}, \"D\": {\"shape\": \"D\"}, \"F\": {\"shape\": \"F\"},"
  "    \"B\": {\"shape\": \"B\"}, \"T\": {\"shape\": \"T\"}, \"Blob\": {\"shape\": \"Blob\"},"
  "    \"S\": {\"shape\": \"S\", \"locationName\": \"wire\"}, \"Names\": {\"shape\": \"Names\"},"
  "    \"Ints\": {\"shape\": \"Ints\"}, \"Map\": {\"shape\": \"Map\"}, \"Nested\": {\"shape\": \"Nested\"},"
  "    \"U\": {\"shape\": \"U\"}, \"Doc\": {\"shape\": \"Doc\"}, \"Self\": {\"shape\": \"Out\"},"
  "    \"Grid\": {\"shape\": \"Grid\"}, \"SMap\": {\"shape\": \"SMap\"}}},"
  "  \"I\": {\"type\": \"integer\"}, \"L\": {\"type\": \"long\"}, \"D\": {\"type\": \"double\"},"
  "  \"F\": {\"type\": \"float\"}, \"B\": {\"type\": \"boolean\"}, \"T\": {\"type\": \"timestamp\"},"
  "  \"Blob\": {\"type\": \"blob\"}, \"S\": {\"type\": \"string\"},"
  "  \"Names\": {\"type\": \"list\", \"member\": {\"shape\": \"S\"}},"
  "  \"Ints\": {\"type\": \"list\", \"member\": {\"shape\": \"I\"}},"
  "  \"Grid\": {\"type\": \"list\", \"member\": {\"shape\": \"Ints\"}},"
  "  \"Map\": {\"type\": \"map\", \"key\": {\"shape\": \"S\"}, \"value\": {\"shape\": \"L\"}},"
  "  \"SMap\": {\"type\": \"map\", \"key\": {\"shape\": \"S\"}, \"value\": {\"shape\": \"S\"}},"
  "  \"Nested\": {\"type\": \"list\", \"member\": {\"shape\": \"Out\"}},"
  "  \"U\": {\"type\": \"structure\", \"union\": true, \"members\": {\"A\": {\"shape\": \"S\"}, \"B\": {\"shape\": \"I\"}}},"
  "  \"Doc\": {\"type\": \"structure\", \"members\": {}, \"document\": true}"
  " }}";

typedef struct
{
  BotoServiceModel *model;
  BotoJsonPlans    *plans;
  BotoShapeDef     *out;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (shapes_model, strlen (shapes_model));
  g_autoptr(GError) error = NULL;
  BotoModelData *model_data;

  f->model = boto_service_model_new_from_data ("test", bytes, &error);
  g_assert_no_error (error);
  model_data = boto_service_model_get_data (f->model);
  f->plans = boto_json_plans_new (model_data);
  f->out = boto_model_data_lookup_shape (model_data, "Out");
  g_assert_nonnull (f->out);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  boto_json_plans_free (f->plans);
  g_object_unref (f->model);
}

/* boto_json_read_result() gives what the entries of the two passes, an
 * extra entry after them, sorted as a GVariantDict would and written by
 * boto_variant_new_vardict() give, or the same error. */
static void
assert_result_same (Fixture    *f,
                    const char *text)
{
  static const guint8 metadata[] = { 'R', 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 'i', 2, 15 };
  BotoVariantEntry extra = { "ResponseMetadata", "a{sv}", metadata, sizeof metadata };
  g_autoptr(GError) slow_error = NULL;
  g_autoptr(GError) fast_error = NULL;
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (BotoVariantEntry));
  g_autoptr(BotoJsonReader) reader = boto_json_reader_new (text, strlen (text), &slow_error);
  g_autoptr(GBytes) slow = NULL;
  g_autoptr(GVariant) want = NULL;
  g_autoptr(GVariant) got = NULL;
  g_autofree const char **keys = NULL;
  g_autofree guint *order = NULL;
  g_autofree BotoVariantEntry *sorted = NULL;
  gsize n_sorted;

  if (reader != NULL)
    slow = boto_json_reader_read_entries (reader, f->plans, f->out, FALSE, entries, &slow_error);
  got = boto_json_read_result (text, strlen (text), f->plans, f->out, &extra, &fast_error);
  if (slow == NULL)
    {
      g_assert_null (got);
      g_assert_nonnull (fast_error);
      g_assert_cmpstr (fast_error->message, ==, slow_error->message);
      return;
    }
  g_assert_no_error (fast_error);
  g_assert_nonnull (got);
  g_variant_ref_sink (got);
  g_array_append_val (entries, extra);
  keys = g_new (const char *, entries->len);
  order = g_new (guint, entries->len);
  sorted = g_new (BotoVariantEntry, entries->len);
  for (guint i = 0; i < entries->len; i++)
    keys[i] = g_array_index (entries, BotoVariantEntry, i).key;
  n_sorted = boto_variant_vardict_order (keys, entries->len, order);
  for (gsize i = 0; i < n_sorted; i++)
    sorted[i] = g_array_index (entries, BotoVariantEntry, order[i]);
  want = g_variant_ref_sink (boto_variant_new_vardict (sorted, n_sorted));
  g_assert_true (g_variant_is_normal_form (got));
  assert_same_bytes (got, want);
}

/* boto_json_read_entries() (one pass where it can) gives the bytes,
 * types and errors of the two passes. */
static void
assert_one_pass_same (Fixture    *f,
                      const char *text)
{
  assert_result_same (f, text);
  for (int skip_located = 0; skip_located < 2; skip_located++)
    {
      g_autoptr(GError) slow_error = NULL;
      g_autoptr(GError) fast_error = NULL;
      g_autoptr(GArray) slow_entries = g_array_new (FALSE, FALSE, sizeof (BotoVariantEntry));
      g_autoptr(GArray) fast_entries = g_array_new (FALSE, FALSE, sizeof (BotoVariantEntry));
      g_autoptr(BotoJsonReader) reader = boto_json_reader_new (text, strlen (text), &slow_error);
      g_autoptr(GBytes) slow = NULL;
      g_autoptr(GBytes) fast = NULL;

      if (reader != NULL)
        slow = boto_json_reader_read_entries (reader, f->plans, f->out, skip_located, slow_entries, &slow_error);
      fast = boto_json_read_entries (text, strlen (text), f->plans, f->out, skip_located, fast_entries, &fast_error);
      if (slow == NULL)
        {
          g_assert_null (fast);
          g_assert_nonnull (fast_error);
          g_assert_cmpstr (fast_error->message, ==, slow_error->message);
          continue;
        }
      g_assert_no_error (fast_error);
      g_assert_nonnull (fast);
      g_assert_cmpuint (fast_entries->len, ==, slow_entries->len);
      for (guint i = 0; i < slow_entries->len; i++)
        {
          BotoVariantEntry *a = &g_array_index (slow_entries, BotoVariantEntry, i);
          BotoVariantEntry *b = &g_array_index (fast_entries, BotoVariantEntry, i);

          g_assert_cmpstr (a->key, ==, b->key);
          g_assert_cmpstr (a->type, ==, b->type);
          g_assert_cmpmem (a->data, a->size, b->data, b->size);
        }
    }
}

static GVariant *
read_out (Fixture     *f,
          const char  *text,
          GError     **error)
{
  g_autoptr(BotoJsonReader) reader = NULL;
  GVariantBuilder builder;

  assert_one_pass_same (f, text);
  reader = boto_json_reader_new (text, strlen (text), error);

  if (reader == NULL)
    return NULL;
  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  if (!boto_json_reader_read_members (reader, f->plans, f->out, FALSE, &builder, error))
    {
      g_variant_builder_clear (&builder);
      return NULL;
    }
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

static void
assert_out (Fixture    *f,
            const char *text,
            const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) value = read_out (f, text, &error);
  g_autoptr(GVariant) want = NULL;
  g_autofree char *printed = NULL;

  g_assert_no_error (error);
  want = g_variant_parse (G_VARIANT_TYPE_VARDICT, expected, NULL, NULL, &error);
  g_assert_no_error (error);
  printed = g_variant_print (value, TRUE);
  if (!g_variant_equal (value, want))
    g_error ("%s read as %s, expected %s", text, printed, expected);
  /* Every member value is in normal form. */
  for (gsize i = 0; i < g_variant_n_children (value); i++)
    {
      g_autoptr(GVariant) entry = g_variant_get_child_value (value, i);

      g_assert_true (g_variant_is_normal_form (entry));
    }
}

static void
assert_out_error (Fixture    *f,
                  const char *text,
                  const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) value = read_out (f, text, &error);

  g_assert_null (value);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_RESPONSE);
  if (strstr (error->message, fragment) == NULL)
    g_error ("error “%s” does not say “%s”", error->message, fragment);
}

static void
test_shape_numbers (Fixture       *f,
                    gconstpointer  data)
{
  assert_out (f, "{\"I\": 7, \"L\": 9007199254740993, \"D\": 1.25, \"F\": 3}",
              "{'I': <7>, 'L': <int64 9007199254740993>, 'D': <1.25>, 'F': <3.0>}");
  /* Integers written as floats are truncated, as botocore's int(). */
  assert_out (f, "{\"I\": 3.0, \"L\": 1e3}", "{'I': <3>, 'L': <int64 1000>}");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) value = read_out (f, "{\"D\": \"NaN\", \"F\": \"-Infinity\", \"L\": 1}", &error);
    g_autoptr(GVariant) value2 = NULL;
    double d = 0, fl = 0;

    g_assert_no_error (error);
    g_assert_true (g_variant_lookup (value, "D", "d", &d));
    g_assert_true (g_variant_lookup (value, "F", "d", &fl));
    g_assert_true (isnan (d));
    g_assert_true (isinf (fl) && fl < 0);
    value2 = read_out (f, "{\"D\": \"Infinity\", \"F\": 1e400}", &error);
    g_assert_no_error (error);
    g_assert_true (g_variant_lookup (value2, "D", "d", &d));
    g_assert_true (g_variant_lookup (value2, "F", "d", &fl));
    g_assert_true (isinf (d) && d > 0);
    g_assert_true (isinf (fl) && fl > 0);
  }
  assert_out_error (f, "{\"I\": 2147483648}", "out of range");
  assert_out_error (f, "{\"I\": \"12\"}", "Expected a JSON integer");
  assert_out_error (f, "{\"D\": \"nan\"}", "Expected a JSON number");
  assert_out_error (f, "{\"L\": 1e300}", "Expected a JSON integer");
}

static void
test_shape_scalars (Fixture       *f,
                    gconstpointer  data)
{
  assert_out (f, "{\"B\": true, \"wire\": \"s\", \"Blob\": \"aGk=\"}",
              "{'B': <true>, 'Blob': <[byte 0x68, 0x69]>, 'S': <'s'>}");
  /* botocore: a string boolean is true when it says so. */
  assert_out (f, "{\"B\": \"TRUE\"}", "{'B': <true>}");
  assert_out (f, "{\"B\": \"no\"}", "{'B': <false>}");
  assert_out (f, "{\"T\": 1398796238}", "{'T': <int64 1398796238000000>}");
  assert_out (f, "{\"T\": 1398796238.123}", "{'T': <int64 1398796238123000>}");
  assert_out (f, "{\"T\": \"2014-04-29T18:30:38.5Z\"}", "{'T': <int64 1398796238500000>}");
  assert_out_error (f, "{\"T\": \"yesterday\"}", "not a valid timestamp");
  assert_out_error (f, "{\"T\": true}", "Expected a JSON timestamp");
  assert_out_error (f, "{\"wire\": 1}", "Expected a JSON string");
  assert_out_error (f, "{\"Blob\": 1}", "base64");
  /* The member is found under its locationName only; null is absent. */
  assert_out (f, "{\"S\": \"x\", \"I\": null}", "@a{sv} {}");
  /* The later of two same names wins. */
  assert_out (f, "{\"I\": 1, \"I\": 2}", "{'I': <2>}");
  assert_out (f, "null", "@a{sv} {}");
  assert_out_error (f, "[]", "Expected a JSON object");
}

static void
test_shape_containers (Fixture       *f,
                       gconstpointer  data)
{
  assert_out (f, "{\"Names\": [], \"Ints\": [], \"Map\": {}}",
              "{'Names': <@as []>, 'Ints': <@ai []>, 'Map': <@a{sx} {}>}");
  assert_out (f, "{\"Names\": [\"a\", \"b\"], \"Ints\": [1, 2, 3], \"Grid\": [[1], [], [2, 3]]}",
              "{'Names': <['a', 'b']>, 'Ints': <[1, 2, 3]>, 'Grid': <[[1], @ai [], [2, 3]]>}");
  /* A sparse list is an av with nulls as mv nothing; an object in a string
   * list is kept as data. */
  assert_out (f, "{\"Names\": [\"a\", null], \"Ints\": [null]}",
              "{'Names': <[<'a'>, <@mv nothing>]>, 'Ints': <[<@mv nothing>]>}");
  assert_out (f, "{\"Names\": [{\"k\": 1}, [true]]}",
              "{'Names': <[<{'k': <int64 1>}>, <[<true>]>]>}");
  /* Map values that are null are left out. */
  assert_out (f, "{\"Map\": {\"a\": 1, \"b\": null}}", "{'Map': <{'a': int64 1}>}");
  assert_out (f, "{\"Nested\": [{\"I\": 1, \"Nested\": [{\"wire\": \"deep\"}]}, {}]}",
              "{'Nested': <[{'I': <1>, 'Nested': <[{'S': <'deep'>}]>}, @a{sv} {}]>}");
  assert_out (f, "{\"Self\": {\"Self\": {\"B\": false}}}", "{'Self': <{'Self': <{'B': <false>}>}>}");
  assert_out (f, "{\"Doc\": {\"x\": [1, \"y\", null]}}",
              "{'Doc': <<{'x': <[<int64 1>, <'y'>, <@mv nothing>]>}>>}");
  assert_out (f, "{\"Doc\": null, \"Names\": null}", "@a{sv} {}");
  assert_out_error (f, "{\"Names\": \"a\"}", "Expected a JSON array");
  assert_out_error (f, "{\"Map\": []}", "Expected a JSON object");
  assert_out_error (f, "{\"Map\": {\"a\": \"b\"}}", "Expected a JSON integer");
  assert_out_error (f, "{\"Grid\": [[1, null]]}", "Unexpected JSON value");
  assert_out_error (f, "{\"Nested\": [1]}", "Expected a JSON object");
}

static void
test_shape_unions (Fixture       *f,
                   gconstpointer  data)
{
  assert_out (f, "{\"U\": {\"A\": \"x\"}}", "{'U': <{'A': <'x'>}>}");
  assert_out (f, "{\"U\": {\"__type\": \"t\", \"B\": 2}}", "{'U': <{'B': <2>}>}");
  assert_out (f, "{\"U\": {\"Other\": {\"z\": 1}}}",
              "{'U': <{'SDK_UNKNOWN_MEMBER': <{'name': <'Other'>}>}>}");
}

/* @text, read in one pass where it can (boto_json_read_entries) and in
 * two passes, has the one member @name, equal to @expected, both ways. */
static void
assert_member_both_ways (Fixture    *f,
                         const char *text,
                         const char *name,
                         const char *expected)
{
  for (int two_passes = 0; two_passes < 2; two_passes++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (BotoVariantEntry));
      g_autoptr(BotoJsonReader) reader = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GVariant) value = NULL;
      g_autoptr(GVariant) want = NULL;
      BotoVariantEntry *entry;

      if (two_passes)
        {
          reader = boto_json_reader_new (text, strlen (text), &error);
          g_assert_no_error (error);
          bytes = boto_json_reader_read_entries (reader, f->plans, f->out, FALSE, entries, &error);
        }
      else
        bytes = boto_json_read_entries (text, strlen (text), f->plans, f->out, FALSE, entries, &error);
      g_assert_no_error (error);
      g_assert_nonnull (bytes);
      g_assert_cmpuint (entries->len, ==, 1);
      entry = &g_array_index (entries, BotoVariantEntry, 0);
      g_assert_cmpstr (entry->key, ==, name);
      value = g_variant_ref_sink (g_variant_new_from_data (G_VARIANT_TYPE (entry->type), entry->data, entry->size,
                                                           TRUE, NULL, NULL));
      want = g_variant_parse (G_VARIANT_TYPE (entry->type), expected, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_variant_is_normal_form (value));
      if (!g_variant_equal (value, want))
        {
          g_autofree char *printed = g_variant_print (value, TRUE);

          g_error ("%s read in %s as %s, expected %s", text, two_passes ? "two passes" : "one pass", printed,
                   expected);
        }
    }
}

/* A map's entries come in document order (botocore's dict), through the
 * one pass and the two passes; a repeated name keeps its first place and
 * takes its last value. */
static void
test_shape_map_order (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) expected = g_string_new (NULL);

  assert_member_both_ways (f, "{\"Map\": {\"b\": 1, \"a\": 2, \"c\": 3}}", "Map", "{'b': 1, 'a': 2, 'c': 3}");
  assert_member_both_ways (f, "{\"Map\": {\"a\": 1, \"b\": 2, \"a\": 3}}", "Map", "{'a': 3, 'b': 2}");
  assert_member_both_ways (f, "{\"Map\": {\"a\": 1, \"b\": 2, \"a\": null}}", "Map", "{'b': 2}");
  assert_member_both_ways (f, "{\"Map\": {\"a\": null, \"b\": 2, \"a\": 1}}", "Map", "{'a': 1, 'b': 2}");
  assert_member_both_ways (f, "{\"SMap\": {\"z\": \"1\", \"y\": \"2\", \"x\": \"3\"}}", "SMap",
                           "{'z': '1', 'y': '2', 'x': '3'}");
  assert_member_both_ways (f, "{\"SMap\": {\"z\": \"1\", \"y\": \"2\", \"z\": \"3\"}}", "SMap",
                           "{'z': '3', 'y': '2'}");
  assert_member_both_ways (f, "{\"SMap\": {\"k\\u0041\": \"1\", \"y\": \"2\", \"kA\": \"3\"}}", "SMap",
                           "{'kA': '3', 'y': '2'}");
  assert_member_both_ways (f, "{\"Nested\": [{\"Map\": {\"q\": 1, \"p\": 2}}, {\"Map\": {\"q\": 3, \"p\": 4}}]}",
                           "Nested", "[{'Map': <@a{sx} {'q': 1, 'p': 2}>}, {'Map': <@a{sx} {'q': 3, 'p': 4}>}]");

  /* Past the names compared pair by pair: forty names, in a list of three
   * maps (the later ones' sequence is known), then with a repeat. */
  for (guint repeat = 0; repeat < 2; repeat++)
    {
      g_string_assign (text, "{\"Nested\": [");
      g_string_assign (expected, "[");
      for (guint item = 0; item < 3; item++)
        {
          g_string_append_printf (text, "%s{\"Map\": {", item > 0 ? ", " : "");
          g_string_append_printf (expected, "%s{'Map': <@a{sx} {", item > 0 ? ", " : "");
          for (guint i = 0; i < 40; i++)
            {
              g_string_append_printf (text, "%s\"k%u\": %u", i > 0 ? ", " : "", 39 - i, i + item);
              g_string_append_printf (expected, "%s'k%u': %u", i > 0 ? ", " : "", 39 - i,
                                      repeat && item == 2 && i == 0 ? 7 : i + item);
            }
          if (repeat && item == 2)
            g_string_append (text, ", \"k39\": 7");
          g_string_append (text, "}}");
          g_string_append (expected, "}>}");
        }
      g_string_append (text, "]}");
      g_string_append (expected, "]");
      assert_member_both_ways (f, text->str, "Nested", expected->str);
    }
}

/* Bodies for the one pass and its way back to the two passes. */
static void
test_shape_one_pass (Fixture       *f,
                     gconstpointer  data)
{
  static const char *const docs[] = {
    "{\"wire\": \"s\", \"I\": 1, \"B\": true, \"L\": -5}",
    "{\"Map\": {\"zeta\": 1, \"alpha\": 2, \"mid\": null, \"beta\": 3, \"q\": 4, \"r\": 5}}",
    "{\"Map\": {\"a\": 1, \"a\": 2}}",
    "{\"Map\": {\"a\\u0041\": 1, \"b\": 2}}",
    "{\"Nested\": [{\"Map\": {\"x\": 1, \"y\": 2, \"z\": 3}, \"wire\": \"q\", \"I\": 4},"
    " {\"Ints\": [1, 2], \"I\": 9, \"Names\": [\"a\\n\\\"b\", \"\\u00e9\\ud83d\\ude00\", \"\xc3\xa9\"]}]}",
    "{\"Other\": {\"deep\": [1, {\"x\": null}, \"s\", 1.5e3, true, false]}, \"I\": 3}",
    "{\"Other\": [1, 2,], \"I\": 3}",
    "{\"Other\": \"\xff\", \"I\": 3}",
    "{\"wire\": \"\xc3\"}",
    "{\"wire\": \"a\\u0000b\"}",
    "\xef\xbb\xbf {\"I\": 1} ",
    "{\"I\": 1} x",
    "{\"I\": 1",
    "{\"I\" 1}",
    "{\"I\": 1,}",
    " \n\t{ \"I\" :\r1 , \"Ints\" : [ 1 , 2 ] , \"Map\" : { \"k\" : 1 } } \n",
    "{\"I\": 1.0, \"L\": 2e2, \"D\": 3, \"F\": -0.5, \"T\": 12.25}",
    "{\"T\": \"2014-04-29T18:30:38Z\", \"Blob\": \"aGk=\", \"Doc\": {\"a\": [null]}}",
    "{\"Grid\": [[1, 2], [], [3]], \"Names\": [], \"Ints\": [null]}",
    "{\"Self\": {\"Self\": {\"I\": 1, \"wire\": \"w\"}, \"Map\": {\"b\": 1, \"a\": 2}}, \"I\": 0}",
    "{\"U\": {\"A\": \"x\"}, \"I\": 2147483648}",
    "{\"I\": 1, \"I\": 2}",
    "{\"I\": null, \"I\": 2}",
    "{\"Names\": [\"a\", {\"x\": 1}]}",
    "{\"Map\": {\"a\": \"b\"}}",
    "{\"I\": 12345678901234567890123}",
    "{\"L\": -9223372036854775808, \"I\": -2147483648}",
    "{\"B\": \"true\", \"wire\": 1}",
    "{}",
    "null",
    "[]",
    "",
    "{\"wire\": \"tab\there\"}",
    /* Maps of strings (alignment 1), names and values read at once. */
    "{\"SMap\": {\"zeta\": \"1\", \"alpha\": \"two\", \"mid\": null, \"beta\": \"a value longer than sixteen bytes\","
    " \"q\": \"\\u00e9x\", \"r\": \"caf\xc3\xa9 and more than sixteen bytes\"}}",
    "{\"SMap\": {\"a\\n\": \"x\"}}",
    "{\"SMap\": {\"\xc3\xa9\": \"x\", \"b\": \"y\"}}",
    "{\"SMap\": {\"k\": \"v\\\"q\"}, \"wire\": \"an escape after sixteen bytes\\n\"}",
    "{\"SMap\": {\"a\": \"x\", \"b\": null}, \"I\": 1}",
    "{\"SMap\": {\"b\": null, \"a\": \"x\"}, \"I\": 1}",
    "{\"SMap\": {\"a\": \"x\", \"a\": \"y\"}}",
    "{\"SMap\": {\"a\": \"x\xff\"}}",
    "{\"SMap\": {\"a\": \"x\\u0000y\"}}",
    "{\"SMap\": {\"a\": \"0123456789abcdef0123456789abcdef\x01\"}}",
    "{\"SMap\": {\"a\": \"0123456789abcdef\"}}",
    "{\"SMap\": {\"a\": 1}}",
    "{\"Nested\": [{\"wire\": \"q\", \"I\": 4, \"SMap\": {\"z\": \"1\", \"y\": \"2\", \"x\": \"3\"}},"
    " {\"SMap\": {}, \"Names\": [\"0123456789abcdef0123\", \"\"], \"B\": false, \"L\": 7}]}",
    "{\"wire\": \"0123456789abcdef0123456789abcdef\"}",
    /* Names that begin as the expected one does but are not it. */
    "{\"I\": 1, \"Lx\": 2, \"L\": 3, \"D\\u0041\": 4, \"D\": 5, \"F\"",
    "{\"I\": 1, \"L\": 2, \"D\": 3, \"F\": 4, \"B\": true, \"T\": 1, \"Blob\": \"\", \"wire2\": 1, \"wire\": \"w\"}",
    "{\"I\\\"\": 1, \"I\": 2, \"L\\u0000\": 3, \"L\": 4}",
    "{\"I\": 1, \"L\"",
    "{\"wire\": \"0123456789abcdef0123456789abcde\\\"\"}",
    "{\"wire\": \"0123456789abcdef0123456789abcdef",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (docs); i++)
    assert_one_pass_same (f, docs[i]);
  /* Again, with the member orders known. */
  for (gsize i = 0; i < G_N_ELEMENTS (docs); i++)
    assert_one_pass_same (f, docs[i]);
}

static void
test_value_and_strings (Fixture       *f,
                        gconstpointer  data)
{
  const char *doc = "{\"message\": \"a\", \"message\": \"b\\u00e9\", \"n\": 1}";
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoJsonReader) reader = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autofree char *message = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *number = NULL;

  reader = boto_json_reader_new (doc, strlen (doc), &error);
  g_assert_no_error (error);
  g_assert_true (boto_json_reader_root_is_object (reader));
  g_assert_false (boto_json_reader_root_is_null (reader));
  message = boto_json_reader_dup_root_string (reader, "message");
  g_assert_cmpstr (message, ==, "bé");
  missing = boto_json_reader_dup_root_string (reader, "Message");
  g_assert_null (missing);
  number = boto_json_reader_dup_root_string (reader, "n");
  g_assert_null (number);

  value = g_variant_ref_sink (boto_json_reader_read_value (reader, f->plans, f->out, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (g_variant_get_type_string (value), ==, "a{sv}");
  g_assert_cmpuint (g_variant_n_children (value), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/boto/json-reader/syntax-errors", test_syntax_errors);
  g_test_add_func ("/boto/json-reader/truncated", test_truncated);
  g_test_add_func ("/boto/json-reader/depth", test_depth);
  g_test_add_func ("/boto/json-reader/strings", test_strings);
  g_test_add_func ("/boto/json-reader/numbers", test_numbers);
  g_test_add_func ("/boto/json-reader/same-as-json-glib", test_same_as_json_glib);
  g_test_add_func ("/boto/json-reader/document-order", test_document_order);
  g_test_add ("/boto/json-reader/shape/numbers", Fixture, NULL, fixture_setup, test_shape_numbers, fixture_teardown);
  g_test_add ("/boto/json-reader/shape/one-pass", Fixture, NULL, fixture_setup, test_shape_one_pass, fixture_teardown);
  g_test_add ("/boto/json-reader/shape/scalars", Fixture, NULL, fixture_setup, test_shape_scalars, fixture_teardown);
  g_test_add ("/boto/json-reader/shape/containers", Fixture, NULL, fixture_setup, test_shape_containers,
              fixture_teardown);
  g_test_add ("/boto/json-reader/shape/map-order", Fixture, NULL, fixture_setup, test_shape_map_order,
              fixture_teardown);
  g_test_add ("/boto/json-reader/shape/unions", Fixture, NULL, fixture_setup, test_shape_unions, fixture_teardown);
  g_test_add ("/boto/json-reader/value-and-strings", Fixture, NULL, fixture_setup, test_value_and_strings,
              fixture_teardown);

  return g_test_run ();
}
