/* test-format.c: the JSON writer shared by the serializers (compact) and
 * the S3 POST policy (Python's json.dumps)
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <glib.h>

#include "boto-format-private.h"

/* @text parsed as a GVariant, written in @style: the JSON, or NULL when
 * the style refuses it. */
static char *
write_json (const char          *text,
            BotoFormatJsonStyle  style)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) value = g_variant_parse (NULL, text, NULL, NULL, &error);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_no_error (error);
  if (!boto_format_json_value (out, value, style))
    return NULL;
  return g_strdup (out->str);
}

static void
assert_json (const char *text,
             const char *compact,
             const char *python)
{
  g_autofree char *got_compact = write_json (text, BOTO_FORMAT_JSON_COMPACT);
  g_autofree char *got_python = write_json (text, BOTO_FORMAT_JSON_PYTHON);

  g_assert_cmpstr (got_compact, ==, compact);
  g_assert_cmpstr (got_python, ==, python);
}

static void
test_values (void)
{
  /* What json.dumps(…) and json.dumps(…, separators=(',', ':')) write. */
  assert_json ("{'b': <[<1>, <'\u00e9'>, <@mv nothing>, <true>]>, 'a': <{'x': <1.5>}>}",
               "{\"b\":[1,\"\\u00e9\",null,true],\"a\":{\"x\":1.5}}",
               "{\"b\": [1, \"\\u00e9\", null, true], \"a\": {\"x\": 1.5}}");
  assert_json ("@a{ss} {'k': 'v', 'e': ''}", "{\"k\":\"v\",\"e\":\"\"}", "{\"k\": \"v\", \"e\": \"\"}");
  assert_json ("@as []", "[]", "[]");
  assert_json ("@a{sv} {}", "{}", "{}");
  assert_json ("'\\u007f\\n\"\\\\ \U0001F600'", "\"\\u007f\\n\\\"\\\\ \\ud83d\\ude00\"",
               "\"\\u007f\\n\\\"\\\\ \\ud83d\\ude00\"");
  assert_json ("@mv <'x'>", "\"x\"", "\"x\"");
  assert_json ("@ms nothing", "null", "null");
  assert_json ("[<byte 0xff>]", "[255]", "[255]");
  assert_json ("[int16 -3]", "[-3]", "[-3]");
  assert_json ("[uint64 18446744073709551615]", "[18446744073709551615]", "[18446744073709551615]");
  assert_json ("[int64 -9223372036854775808]", "[-9223372036854775808]", "[-9223372036854775808]");
  assert_json ("[nan, inf, -inf, 0.1, -0.0, 1e100]", "[NaN,Infinity,-Infinity,0.1,-0.0,1e+100]",
               "[NaN, Infinity, -Infinity, 0.1, -0.0, 1e+100]");
}

static void
test_refused (void)
{
  /* Bytes, tuples and keys that are not strings: arrays in the compact
   * writer, refused by json.dumps(); no JSON form at all: null. */
  assert_json ("[byte 0x61, 0x62]", "[97,98]", NULL);
  assert_json ("(1, 'a')", "[1,\"a\"]", NULL);
  assert_json ("{1: 'a'}", "[[1,\"a\"]]", NULL);
  assert_json ("[<[byte 0x61, 0x62]>]", "[[97,98]]", NULL);
  assert_json ("objectpath '/a'", "null", NULL);
  assert_json ("{'k': <signature 'as'>}", "{\"k\":null}", NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/boto/format/json/values", test_values);
  g_test_add_func ("/boto/format/json/refused", test_refused);
  return g_test_run ();
}
