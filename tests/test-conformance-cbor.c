/* test-conformance-cbor.c: botocore's CBOR decoder vectors
 * (BOTO_CONFORMANCE_DIR/cbor/decode-{success,error}-tests.json) through the
 * generic decoder.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "boto-cbor-private.h"

static const char *conformance_dir;

/* The vectors hold integers up to 2^64 - 1 (and down to -2^64), which
 * json-glib would wrap; quote them first and read them back exactly. */
static JsonNode *
load_vectors (const char *name)
{
  g_autofree char *path = g_build_filename (conformance_dir, "cbor", name, NULL);
  g_autofree char *text = NULL;
  g_autofree char *quoted = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  regex = g_regex_new ("\"(uint|negint|id|float32|float64)\": *(-?[0-9]+)", 0, 0, &error);
  g_assert_no_error (error);
  quoted = g_regex_replace (regex, text, -1, 0, "\"\\1\": \"\\2\"", 0, &error);
  g_assert_no_error (error);
  json_parser_load_from_data (parser, quoted, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static GBytes *
hex_decode (const char *hex)
{
  gsize len = strlen (hex) / 2;
  guint8 *out = g_malloc (len + 1);

  for (gsize i = 0; i < len; i++)
    out[i] = (guint8) (g_ascii_xdigit_value (hex[2 * i]) << 4 | g_ascii_xdigit_value (hex[2 * i + 1]));
  return g_bytes_new_take (out, len);
}

static guint64
parse_u64 (const char *text)
{
  guint64 value = 0;

  g_assert_true (g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &value, NULL));
  return value;
}

static gboolean matches (GVariant *value, JsonNode *expect);

static gboolean
matches (GVariant *value,
         JsonNode *expect_node)
{
  JsonObject *expect = json_node_get_object (expect_node);
  g_autoptr(GList) kinds = json_object_get_members (expect);
  const char *kind = kinds->data;
  JsonNode *node = json_object_get_member (expect, kind);

  if (g_str_equal (kind, "uint"))
    return g_variant_is_of_type (value, G_VARIANT_TYPE_UINT64) &&
           g_variant_get_uint64 (value) == parse_u64 (json_node_get_string (node));

  if (g_str_equal (kind, "negint"))
    {
      const char *text = json_node_get_string (node);
      guint64 n;

      g_assert_true (text[0] == '-');
      n = parse_u64 (text + 1) - 1;   /* the value is -1 - n */
      if (n <= (guint64) G_MAXINT64)
        return g_variant_is_of_type (value, G_VARIANT_TYPE_INT64) &&
               g_variant_get_int64 (value) == -1 - (gint64) n;
      if (!g_variant_is_of_type (value, G_VARIANT_TYPE ("(t)")))
        return FALSE;
      {
        guint64 got;

        g_variant_get (value, "(t)", &got);
        return got == n;
      }
    }

  if (g_str_equal (kind, "bytestring"))
    {
      JsonArray *array = json_node_get_array (node);
      gsize len;
      const guint8 *data;

      if (!g_variant_is_of_type (value, G_VARIANT_TYPE_BYTESTRING))
        return FALSE;
      data = g_variant_get_fixed_array (value, &len, 1);
      if (len != json_array_get_length (array))
        return FALSE;
      for (gsize i = 0; i < len; i++)
        if (data[i] != json_array_get_int_element (array, i))
          return FALSE;
      return TRUE;
    }

  if (g_str_equal (kind, "string"))
    return g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) &&
           g_str_equal (g_variant_get_string (value, NULL), json_node_get_string (node));

  if (g_str_equal (kind, "float32") || g_str_equal (kind, "float64"))
    {
      guint64 bits = parse_u64 (json_node_get_string (node));
      double d;

      if (!g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
        return FALSE;
      d = g_variant_get_double (value);
      if (g_str_equal (kind, "float32"))
        {
          guint32 b32 = (guint32) bits;
          float expected;

          memcpy (&expected, &b32, sizeof expected);
          if (isnan (expected))
            return isnan (d);
          {
            float got = (float) d;
            guint32 got_bits;

            /* Bit for bit, and exactly representable as a float. */
            memcpy (&got_bits, &got, sizeof got_bits);
            return got_bits == b32 && (double) got == d;
          }
        }
      else
        {
          double expected;
          guint64 got_bits;

          memcpy (&expected, &bits, sizeof expected);
          if (isnan (expected))
            return isnan (d);
          memcpy (&got_bits, &d, sizeof got_bits);
          return got_bits == bits;
        }
    }

  if (g_str_equal (kind, "bool"))
    return g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN) &&
           g_variant_get_boolean (value) == json_node_get_boolean (node);

  if (g_str_equal (kind, "null"))
    return g_variant_is_of_type (value, G_VARIANT_TYPE ("mv")) &&
           g_variant_n_children (value) == 0;

  if (g_str_equal (kind, "list"))
    {
      JsonArray *array = json_node_get_array (node);

      if (!g_variant_is_of_type (value, G_VARIANT_TYPE ("av")) ||
          g_variant_n_children (value) != json_array_get_length (array))
        return FALSE;
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autoptr(GVariant) boxed = g_variant_get_child_value (value, i);
          g_autoptr(GVariant) child = g_variant_get_variant (boxed);

          if (!matches (child, json_array_get_element (array, i)))
            return FALSE;
        }
      return TRUE;
    }

  if (g_str_equal (kind, "map"))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) keys = json_object_get_members (object);

      if (!g_variant_is_of_type (value, G_VARIANT_TYPE_VARDICT) ||
          g_variant_n_children (value) != g_list_length (keys))
        return FALSE;
      for (GList *l = keys; l != NULL; l = l->next)
        {
          g_autoptr(GVariant) child = g_variant_lookup_value (value, l->data, NULL);

          if (child == NULL || !matches (child, json_object_get_member (object, l->data)))
            return FALSE;
        }
      return TRUE;
    }

  if (g_str_equal (kind, "tag"))
    {
      JsonObject *tag = json_node_get_object (node);
      g_autoptr(GVariant) inner = NULL;
      guint64 id;

      if (!g_variant_is_of_type (value, G_VARIANT_TYPE ("(tv)")))
        return FALSE;
      g_variant_get (value, "(tv)", &id, &inner);
      return id == parse_u64 (json_object_get_string_member (tag, "id")) &&
             matches (inner, json_object_get_member (tag, "value"));
    }

  g_printerr ("unknown expectation kind %s\n", kind);
  return FALSE;
}

static void
test_vectors (void)
{
  g_autoptr(JsonNode) success = load_vectors ("decode-success-tests.json");
  g_autoptr(JsonNode) failure = load_vectors ("decode-error-tests.json");
  JsonArray *cases;
  guint passed = 0;
  guint failed = 0;

  cases = json_node_get_array (success);
  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      g_autoptr(GBytes) input = hex_decode (json_object_get_string_member (c, "input"));
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) value = boto_cbor_decode (g_bytes_get_data (input, NULL),
                                                    g_bytes_get_size (input), &error);

      if (value != NULL && matches (value, json_object_get_member (c, "expect")))
        passed++;
      else
        {
          g_autofree char *printed = value != NULL ? g_variant_print (value, TRUE) : NULL;

          failed++;
          g_printerr ("FAIL %s: %s\n", json_object_get_string_member (c, "description"),
                      error != NULL ? error->message : printed);
        }
    }

  cases = json_node_get_array (failure);
  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      g_autoptr(GBytes) input = hex_decode (json_object_get_string_member (c, "input"));
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) value = boto_cbor_decode (g_bytes_get_data (input, NULL),
                                                    g_bytes_get_size (input), &error);

      if (value == NULL && error != NULL && error->domain == BOTO_CBOR_ERROR)
        passed++;
      else
        {
          failed++;
          g_printerr ("FAIL (should not decode) %s\n",
                      json_object_get_string_member (c, "description"));
        }
    }

  g_printerr ("cbor: %u passed, %u failed\n", passed, failed);
  g_assert_cmpuint (failed, ==, 0);
  g_assert_cmpuint (passed, ==, 151 + 56);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  conformance_dir = g_getenv ("BOTO_CONFORMANCE_DIR");
  if (conformance_dir == NULL)
    conformance_dir = "../shared/conformance";

  g_test_add_func ("/boto/conformance/cbor/decode", test_vectors);

  return g_test_run ();
}
