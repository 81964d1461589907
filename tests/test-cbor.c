/* test-cbor.c: the CBOR codec and the shape-directed rpc-v2-cbor coding
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "boto-error.h"
#include "boto-protocol-rpcv2-cbor-private.h"

static GVariant *
decode_hex (const char  *hex,
            GError     **error)
{
  gsize len = strlen (hex) / 2;
  g_autofree guint8 *data = g_malloc (len + 1);

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) (g_ascii_xdigit_value (hex[2 * i]) << 4 | g_ascii_xdigit_value (hex[2 * i + 1]));
  return boto_cbor_decode (data, len, error);
}

static void
assert_round_trip (const char *text)
{
  g_autoptr(GVariant) value = g_variant_ref_sink (g_variant_new_parsed (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = boto_cbor_encode_variant (value, &error);
  g_autoptr(GVariant) back = NULL;

  g_assert_no_error (error);
  back = boto_cbor_decode (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  if (!g_variant_equal (value, back))
    {
      g_autofree char *a = g_variant_print (value, TRUE);
      g_autofree char *b = g_variant_print (back, TRUE);

      g_error ("round trip of %s gave %s", a, b);
    }
}

static void
test_round_trip (void)
{
  assert_round_trip ("uint64 0");
  assert_round_trip ("uint64 23");
  assert_round_trip ("uint64 24");
  assert_round_trip ("uint64 18446744073709551615");
  assert_round_trip ("int64 -1");
  assert_round_trip ("int64 -9223372036854775808");
  assert_round_trip ("(uint64 18446744073709551615,)");
  assert_round_trip ("b'foo'");
  assert_round_trip ("@ay []");
  assert_round_trip ("'h\u00e9llo'");
  assert_round_trip ("[<uint64 1>, <'a'>, <@mv nothing>, <true>, <2.5>]");
  assert_round_trip ("{'a': <uint64 1>, 'b': <[<'x'>]>}");
  assert_round_trip ("[(<uint64 1>, <'one'>), (<b'k'>, <@mv nothing>)]");
  assert_round_trip ("(uint64 1, <int64 -5>)");
  assert_round_trip ("@av []");
  assert_round_trip ("@a{sv} {}");
}

static void
test_shortest_heads (void)
{
  static const struct { guint64 value; const char *hex; } cases[] = {
    { 0, "00" }, { 23, "17" }, { 24, "1818" }, { 255, "18ff" }, { 256, "190100" },
    { 65535, "19ffff" }, { 65536, "1a00010000" }, { G_MAXUINT32, "1affffffff" },
    { (guint64) G_MAXUINT32 + 1, "1b0000000100000000" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GByteArray) out = g_byte_array_new ();
      BotoCborWriter writer;
      g_autofree char *hex = NULL;
      GString *s = g_string_new (NULL);

      boto_cbor_writer_init (&writer, out);
      boto_cbor_write_uint (&writer, cases[i].value);
      for (guint j = 0; j < out->len; j++)
        g_string_append_printf (s, "%02x", out->data[j]);
      hex = g_string_free (s, FALSE);
      g_assert_cmpstr (hex, ==, cases[i].hex);
    }
}

static void
test_floats (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) v = NULL;

  /* half floats: 1.5, subnormal, -Inf, NaN */
  v = decode_hex ("f93e00", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (g_variant_get_double (v), ==, 1.5);
  g_clear_pointer (&v, g_variant_unref);
  v = decode_hex ("f90050", &error);
  g_assert_cmpfloat (g_variant_get_double (v), ==, 4.76837158203125e-06);
  g_clear_pointer (&v, g_variant_unref);
  v = decode_hex ("f9fc00", &error);
  g_assert_true (isinf (g_variant_get_double (v)) && g_variant_get_double (v) < 0);
  g_clear_pointer (&v, g_variant_unref);
  v = decode_hex ("f97e00", &error);
  g_assert_true (isnan (g_variant_get_double (v)));
  g_clear_pointer (&v, g_variant_unref);
  v = decode_hex ("fa40f40000", &error);
  g_assert_cmpfloat (g_variant_get_double (v), ==, 7.625);
}

static void
assert_fails (const char   *hex,
              BotoCborError code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) v = decode_hex (hex, &error);

  if (v != NULL)
    g_error ("%s decoded", hex);
  g_assert_error (error, BOTO_CBOR_ERROR, (int) code);
}

static void
test_malformed (void)
{
  assert_fails ("", BOTO_CBOR_ERROR_TRUNCATED);
  assert_fails ("19ff", BOTO_CBOR_ERROR_TRUNCATED);                 /* short argument */
  assert_fails ("1c", BOTO_CBOR_ERROR_MALFORMED);                   /* reserved info 28 */
  assert_fails ("5d", BOTO_CBOR_ERROR_MALFORMED);                   /* reserved info 29 */
  assert_fails ("fe", BOTO_CBOR_ERROR_MALFORMED);                   /* reserved info 30 */
  assert_fails ("1f", BOTO_CBOR_ERROR_MALFORMED);                   /* indefinite uint */
  assert_fails ("3f", BOTO_CBOR_ERROR_MALFORMED);                   /* indefinite negint */
  assert_fails ("df", BOTO_CBOR_ERROR_MALFORMED);                   /* indefinite tag */
  assert_fails ("ff", BOTO_CBOR_ERROR_MALFORMED);                   /* lone break */
  assert_fails ("81ff", BOTO_CBOR_ERROR_MALFORMED);                 /* break in a definite array */
  assert_fails ("5f5f40ffff", BOTO_CBOR_ERROR_MALFORMED);           /* nested indefinite string */
  assert_fails ("5f6161ff", BOTO_CBOR_ERROR_MALFORMED);             /* text chunk in bytes */
  assert_fails ("5f01ff", BOTO_CBOR_ERROR_MALFORMED);               /* uint chunk in bytes */
  assert_fails ("9f", BOTO_CBOR_ERROR_TRUNCATED);                   /* no break */
  assert_fails ("62c328", BOTO_CBOR_ERROR_MALFORMED);               /* invalid UTF-8 */
  assert_fails ("6161" "00", BOTO_CBOR_ERROR_UNSUPPORTED);          /* trailing byte */
  assert_fails ("6100", BOTO_CBOR_ERROR_UNSUPPORTED);               /* text with NUL */
  assert_fails ("e0", BOTO_CBOR_ERROR_UNSUPPORTED);                 /* simple value 0 */
  assert_fails ("f820", BOTO_CBOR_ERROR_UNSUPPORTED);               /* simple value 32 */
  assert_fails ("c1", BOTO_CBOR_ERROR_TRUNCATED);                   /* tag without value */
  assert_fails ("a1", BOTO_CBOR_ERROR_TRUNCATED);                   /* map without pairs */
  assert_fails ("a16161", BOTO_CBOR_ERROR_TRUNCATED);               /* key without value */
}

static void
test_large_lengths (void)
{
  /* Lengths far beyond the input fail before anything is allocated. */
  assert_fails ("5bffffffffffffffff", BOTO_CBOR_ERROR_TRUNCATED);
  assert_fails ("7bffffffffffffffff", BOTO_CBOR_ERROR_TRUNCATED);
  assert_fails ("9bffffffffffffffff", BOTO_CBOR_ERROR_TRUNCATED);
  assert_fails ("bbffffffffffffffff", BOTO_CBOR_ERROR_TRUNCATED);
  assert_fails ("bb8000000000000000", BOTO_CBOR_ERROR_TRUNCATED);
  assert_fails ("9a7fffffff00", BOTO_CBOR_ERROR_TRUNCATED);
  assert_fails ("5f5bffffffffffffffffff", BOTO_CBOR_ERROR_TRUNCATED);
}

static void
test_nesting (void)
{
  GString *ok = g_string_new (NULL);
  GString *deep = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) v = NULL;
  g_autofree char *ok_hex = NULL;
  g_autofree char *deep_hex = NULL;

  /* 512 nested arrays around a 0 are accepted; one more is refused. */
  for (guint i = 0; i < BOTO_CBOR_MAX_DEPTH; i++)
    g_string_append (ok, "81");
  g_string_append (ok, "00");
  ok_hex = g_string_free (ok, FALSE);
  v = decode_hex (ok_hex, &error);
  g_assert_no_error (error);
  g_assert_nonnull (v);

  for (guint i = 0; i < 100000; i++)
    g_string_append (deep, "9f");
  deep_hex = g_string_free (deep, FALSE);
  assert_fails (deep_hex, BOTO_CBOR_ERROR_TOO_DEEP);

  {
    g_autofree char *tags = NULL;
    GString *t = g_string_new (NULL);

    for (guint i = 0; i <= BOTO_CBOR_MAX_DEPTH; i++)
      g_string_append (t, "c1");
    g_string_append (t, "00");
    tags = g_string_free (t, FALSE);
    assert_fails (tags, BOTO_CBOR_ERROR_TOO_DEEP);
  }
}

/* ---- shape-directed ---- */

static const char model_json[] =
  "{\"metadata\": {\"protocol\": \"smithy-rpc-v2-cbor\", \"apiVersion\": \"2020-01-01\","
  "  \"targetPrefix\": \"Svc\"},"
  " \"operations\": {\"Op\": {\"name\": \"Op\", \"http\": {\"method\": \"POST\", \"requestUri\": \"/\"},"
  "   \"input\": {\"shape\": \"S\"}, \"output\": {\"shape\": \"S\"}}},"
  " \"shapes\": {"
  "  \"S\": {\"type\": \"structure\", \"members\": {"
  "    \"Name\": {\"shape\": \"Str\"}, \"Count\": {\"shape\": \"Int\"}, \"Big\": {\"shape\": \"Long\"},"
  "    \"Ratio\": {\"shape\": \"Dbl\"}, \"F\": {\"shape\": \"Flt\"}, \"On\": {\"shape\": \"Bool\"},"
  "    \"Data\": {\"shape\": \"Blob\"}, \"When\": {\"shape\": \"Time\"}, \"Tags\": {\"shape\": \"StrList\"},"
  "    \"Sparse\": {\"shape\": \"SparseList\"}, \"Attrs\": {\"shape\": \"IntMap\"},"
  "    \"Kids\": {\"shape\": \"SList\"}, \"Times\": {\"shape\": \"TimeList\"},"
  "    \"Nums\": {\"shape\": \"DblList\"}, \"Ints\": {\"shape\": \"IntList\"},"
  "    \"Flags\": {\"shape\": \"BoolList\"}, \"Longs\": {\"shape\": \"LongList\"}}},"
  "  \"Str\": {\"type\": \"string\"}, \"Int\": {\"type\": \"integer\"}, \"Long\": {\"type\": \"long\"},"
  "  \"Dbl\": {\"type\": \"double\"}, \"Flt\": {\"type\": \"float\"}, \"Bool\": {\"type\": \"boolean\"},"
  "  \"Blob\": {\"type\": \"blob\"}, \"Time\": {\"type\": \"timestamp\"},"
  "  \"StrList\": {\"type\": \"list\", \"member\": {\"shape\": \"Str\"}},"
  "  \"SparseList\": {\"type\": \"list\", \"member\": {\"shape\": \"Str\"}, \"sparse\": true},"
  "  \"IntMap\": {\"type\": \"map\", \"key\": {\"shape\": \"Str\"}, \"value\": {\"shape\": \"Int\"}},"
  "  \"SList\": {\"type\": \"list\", \"member\": {\"shape\": \"S\"}},"
  "  \"TimeList\": {\"type\": \"list\", \"member\": {\"shape\": \"Time\"}},"
  "  \"DblList\": {\"type\": \"list\", \"member\": {\"shape\": \"Dbl\"}},"
  "  \"IntList\": {\"type\": \"list\", \"member\": {\"shape\": \"Int\"}},"
  "  \"BoolList\": {\"type\": \"list\", \"member\": {\"shape\": \"Bool\"}},"
  "  \"LongList\": {\"type\": \"list\", \"member\": {\"shape\": \"Long\"}}}}";

static BotoServiceModel *
small_model (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (model_json, strlen (model_json));
  g_autoptr(GError) error = NULL;
  BotoServiceModel *model = boto_service_model_new_from_data ("svc", bytes, &error);

  g_assert_no_error (error);
  return model;
}

static void
test_shape_round_trip (void)
{
  g_autoptr(BotoServiceModel) model = small_model ();
  BotoModelData *data = boto_service_model_get_data (model);
  BotoShapeDef *s = boto_model_data_lookup_shape (data, "S");
  g_autoptr(GVariant) in = g_variant_ref_sink (g_variant_new_parsed (
    "{'Name': <'n'>, 'Count': <int32 -7>, 'Big': <int64 9007199254740993>, 'Ratio': <1.25>,"
    " 'F': <'x'>}"));
  g_autoptr(GVariant) good = g_variant_ref_sink (g_variant_new_parsed (
    "{'Name': <'n'>, 'Big': <int64 9007199254740993>, 'Ratio': <1.25>,"
    " 'F': <7.625>, 'On': <true>, 'Data': <b'\\x00\\x01'>, 'When': <int64 1500000>,"
    " 'Tags': <@as []>, 'Sparse': <[<'a'>, <@mv nothing>]>, 'Attrs': <{'k': <int32 3>}>,"
    " 'Kids': <[{'Name': <'kid'>}]>, 'Count': <@mv nothing>}"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GVariant) out = NULL;
  g_autoptr(GVariant) tags = NULL;
  g_autoptr(GVariant) sparse = NULL;
  g_autoptr(GVariant) kids = NULL;
  gint64 when;

  /* A string where a float belongs is refused. */
  bytes = boto_rpcv2_cbor_encode_shape (data, s, in, &error);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION);
  g_assert_null (bytes);
  g_clear_error (&error);

  bytes = boto_rpcv2_cbor_encode_shape (data, s, good, &error);
  g_assert_no_error (error);
  out = boto_rpcv2_cbor_decode_shape (data, s, g_bytes_get_data (bytes, NULL),
                                      g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);

  g_assert_false (g_variant_lookup (out, "Count", "i", NULL)); /* null dropped */
  g_assert_true (g_variant_lookup (out, "When", "x", &when));
  g_assert_cmpint (when, ==, 1500000);
  tags = g_variant_lookup_value (out, "Tags", G_VARIANT_TYPE ("as"));
  g_assert_nonnull (tags);
  g_assert_cmpuint (g_variant_n_children (tags), ==, 0);
  sparse = g_variant_lookup_value (out, "Sparse", G_VARIANT_TYPE ("ams"));
  g_assert_nonnull (sparse);
  g_assert_cmpuint (g_variant_n_children (sparse), ==, 2);
  kids = g_variant_lookup_value (out, "Kids", G_VARIANT_TYPE ("aa{sv}"));
  g_assert_nonnull (kids);
  {
    double f;
    gint64 big;

    g_assert_true (g_variant_lookup (out, "F", "d", &f));
    g_assert_cmpfloat (f, ==, 7.625);
    g_assert_true (g_variant_lookup (out, "Big", "x", &big));
    g_assert_cmpint (big, ==, 9007199254740993);
  }
}

/* Lists of numbers, timestamps and booleans are read into one array; a
 * null among them still makes the list `av`, and bad items still fail. */
static void
test_fixed_scalar_lists (void)
{
  static const guint8 lists[] =
    "\xa5\x65Times\x82\xc1\xfb\x3f\xf8\x00\x00\x00\x00\x00\x00\xc1\x02"
    "\x64Nums\x83\xfb\x3f\xf4\x00\x00\x00\x00\x00\x00\x03\x21"
    "\x64Ints\x83\x01\xf6\x03"
    "\x65" "Flags\x82\xf5\xf4"
    "\x65Longs\x81\x1b\x00\x00\x01\x00\x00\x00\x00\x00";
  static const guint8 text_in_ints[] = "\xa1\x64Ints\x81\x61x";
  static const guint8 long_in_ints[] = "\xa1\x64Ints\x81\x1b\x00\x00\x01\x00\x00\x00\x00\x00";
  g_autoptr(BotoServiceModel) model = small_model ();
  BotoModelData *data = boto_service_model_get_data (model);
  BotoShapeDef *s = boto_model_data_lookup_shape (data, "S");
  g_autoptr(GVariant) expected = g_variant_ref_sink (g_variant_new_parsed (
    "{'Times': <[int64 1500000, 2000000]>, 'Nums': <[1.25, 3.0, -2.0]>,"
    " 'Ints': <[<int32 1>, <@mv nothing>, <int32 3>]>, 'Flags': <[true, false]>,"
    " 'Longs': <[int64 1099511627776]>}"));
  g_autoptr(GVariant) out = NULL;
  g_autoptr(GVariant) bad = NULL;
  g_autoptr(GError) error = NULL;

  out = boto_rpcv2_cbor_decode_shape (data, s, lists, sizeof lists - 1, &error);
  g_assert_no_error (error);
  g_assert_cmpvariant (out, expected);

  bad = boto_rpcv2_cbor_decode_shape (data, s, text_in_ints, sizeof text_in_ints - 1, &error);
  g_assert_error (error, BOTO_CBOR_ERROR, BOTO_CBOR_ERROR_TYPE_MISMATCH);
  g_assert_null (bad);
  g_clear_error (&error);
  bad = boto_rpcv2_cbor_decode_shape (data, s, long_in_ints, sizeof long_in_ints - 1, &error);
  g_assert_error (error, BOTO_CBOR_ERROR, BOTO_CBOR_ERROR_TYPE_MISMATCH);
  g_assert_null (bad);
}

static void
test_shape_mismatch (void)
{
  g_autoptr(BotoServiceModel) model = small_model ();
  BotoModelData *data = boto_service_model_get_data (model);
  BotoShapeDef *s = boto_model_data_lookup_shape (data, "S");
  static const char *bad[] = {
    "a165436f756e741b0000000100000000",   /* Count beyond int32 */
    "a1644e616d6501",                     /* Name as a number */
    "a164576865 6ec26161",                /* When with tag 2 */
    "a164546167738101",                   /* Tags item a number */
    "82",                                 /* not a map */
    "a1",                                 /* truncated */
    "a1634269673bffffffffffffffff",       /* Big below int64 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *hex = g_strdelimit (g_strdup (bad[i]), " ", ' ');
      GString *clean = g_string_new (NULL);
      g_autofree char *h = NULL;
      g_autoptr(GByteArray) bytes = g_byte_array_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) v = NULL;

      for (const char *p = hex; *p; p++)
        if (*p != ' ')
          g_string_append_c (clean, *p);
      h = g_string_free (clean, FALSE);
      for (gsize j = 0; j + 1 < strlen (h); j += 2)
        {
          guint8 b = (guint8) (g_ascii_xdigit_value (h[j]) << 4 | g_ascii_xdigit_value (h[j + 1]));
          g_byte_array_append (bytes, &b, 1);
        }
      v = boto_rpcv2_cbor_decode_shape (data, s, bytes->data, bytes->len, &error);
      if (v != NULL)
        g_error ("%s decoded", h);
      g_assert_true (error->domain == BOTO_CBOR_ERROR);
    }
}

static void
test_unknown_members_skipped (void)
{
  g_autoptr(BotoServiceModel) model = small_model ();
  BotoModelData *data = boto_service_model_get_data (model);
  BotoShapeDef *s = boto_model_data_lookup_shape (data, "S");
  /* {"x": {_ "y": [_ 1 2]}, "Name": "n", 1: 2} */
  static const guint8 body[] = { 0xa3, 0x61, 'x', 0xbf, 0x61, 'y', 0x9f, 0x01, 0x02, 0xff, 0xff,
                                 0x64, 'N', 'a', 'm', 'e', 0x61, 'n', 0x01, 0x02 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) v = boto_rpcv2_cbor_decode_shape (data, s, body, sizeof body, &error);
  const char *name;

  g_assert_no_error (error);
  g_assert_cmpuint (g_variant_n_children (v), ==, 1);
  g_assert_true (g_variant_lookup (v, "Name", "&s", &name));
  g_assert_cmpstr (name, ==, "n");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/boto/cbor/round-trip", test_round_trip);
  g_test_add_func ("/boto/cbor/shortest-heads", test_shortest_heads);
  g_test_add_func ("/boto/cbor/floats", test_floats);
  g_test_add_func ("/boto/cbor/malformed", test_malformed);
  g_test_add_func ("/boto/cbor/large-lengths", test_large_lengths);
  g_test_add_func ("/boto/cbor/nesting", test_nesting);
  g_test_add_func ("/boto/cbor/shape/round-trip", test_shape_round_trip);
  g_test_add_func ("/boto/cbor/shape/mismatch", test_shape_mismatch);
  g_test_add_func ("/boto/cbor/shape/fixed-scalar-lists", test_fixed_scalar_lists);
  g_test_add_func ("/boto/cbor/shape/unknown-members", test_unknown_members_skipped);

  return g_test_run ();
}
