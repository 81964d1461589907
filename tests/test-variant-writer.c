/* test-variant-writer.c: the direct GVariant writer against GVariantBuilder
 *
 * Every value is written twice: with GVariantBuilder / g_variant_new_*
 * (whose normal-form serialization is the reference) and with
 * BotoVariantWriter; the bytes must be identical.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include <glib.h>

#include "boto-variant-writer-private.h"

/* Writes @value with the writer, walking it as a caller would. */
static void
write_value (BotoVariantWriter *writer,
             GVariant          *value)
{
  switch (g_variant_classify (value))
    {
    case G_VARIANT_CLASS_BOOLEAN:
      boto_variant_writer_add_boolean (writer, g_variant_get_boolean (value));
      break;
    case G_VARIANT_CLASS_BYTE:
      boto_variant_writer_add_byte (writer, g_variant_get_byte (value));
      break;
    case G_VARIANT_CLASS_INT16:
      boto_variant_writer_add_int16 (writer, g_variant_get_int16 (value));
      break;
    case G_VARIANT_CLASS_INT32:
      boto_variant_writer_add_int32 (writer, g_variant_get_int32 (value));
      break;
    case G_VARIANT_CLASS_INT64:
      boto_variant_writer_add_int64 (writer, g_variant_get_int64 (value));
      break;
    case G_VARIANT_CLASS_DOUBLE:
      boto_variant_writer_add_double (writer, g_variant_get_double (value));
      break;
    case G_VARIANT_CLASS_STRING:
      boto_variant_writer_add_string (writer, g_variant_get_string (value, NULL), -1);
      break;
    case G_VARIANT_CLASS_ARRAY:
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_BYTESTRING))
        {
          gsize n;
          const guint8 *data = g_variant_get_fixed_array (value, &n, 1);

          boto_variant_writer_add_bytestring (writer, data, n);
          break;
        }
      boto_variant_writer_open_array (writer, g_variant_get_type_string (value) + 1);
      for (gsize i = 0; i < g_variant_n_children (value); i++)
        {
          g_autoptr(GVariant) child = g_variant_get_child_value (value, i);

          write_value (writer, child);
        }
      boto_variant_writer_close (writer);
      break;
    case G_VARIANT_CLASS_TUPLE:
    case G_VARIANT_CLASS_DICT_ENTRY:
      boto_variant_writer_open_tuple (writer, g_variant_get_type_string (value));
      for (gsize i = 0; i < g_variant_n_children (value); i++)
        {
          g_autoptr(GVariant) child = g_variant_get_child_value (value, i);

          write_value (writer, child);
        }
      boto_variant_writer_close (writer);
      break;
    case G_VARIANT_CLASS_MAYBE:
      {
        g_autoptr(GVariant) child = g_variant_get_maybe (value);

        boto_variant_writer_open_maybe (writer, g_variant_get_type_string (value) + 1);
        if (child != NULL)
          write_value (writer, child);
        boto_variant_writer_close (writer);
      }
      break;
    case G_VARIANT_CLASS_VARIANT:
      {
        g_autoptr(GVariant) child = g_variant_get_variant (value);

        boto_variant_writer_open_variant (writer);
        write_value (writer, child);
        boto_variant_writer_close_variant (writer, g_variant_get_type_string (child));
      }
      break;
    default:
      /* u, t, q, h, o, g: through the generic copy */
      boto_variant_writer_add_value (writer, g_variant_ref (value));
      break;
    }
}

static void
assert_same_bytes (GVariant *expected,
                   GVariant *actual)
{
  g_autoptr(GVariant) normal = g_variant_get_normal_form (expected);
  gsize size = g_variant_get_size (normal);

  g_assert_cmpstr (g_variant_get_type_string (actual), ==, g_variant_get_type_string (expected));
  g_assert_cmpuint (g_variant_get_size (actual), ==, size);
  if (size > 0)
    g_assert_cmpmem (g_variant_get_data (actual), size, g_variant_get_data (normal), size);
  g_assert_true (g_variant_is_normal_form (actual));
  g_assert_true (g_variant_equal (actual, expected));
}

static void
check_round_trip (GVariant *expected)
{
  BotoVariantWriter writer;
  g_autoptr(GVariant) reference = g_variant_ref_sink (expected);
  g_autoptr(GVariant) actual = NULL;

  boto_variant_writer_init (&writer);
  write_value (&writer, reference);
  actual = g_variant_ref_sink (boto_variant_writer_finish (&writer, g_variant_get_type (reference)));
  boto_variant_writer_clear (&writer);

  assert_same_bytes (reference, actual);
}

static void
test_parsed (void)
{
  static const char * const texts[] = {
    "true", "byte 7", "int16 -3", "42", "int64 -9000000000", "3.25", "'hello'", "''",
    "@as []", "['a', 'bc', '']", "@ai []", "[1, 2, 3]", "[int64 1, 2]", "[true, false]",
    "@ay []", "b'bytes'", "[b'a', b'', b'xyz']",
    "@a{sv} {}", "{'a': <1>}", "{'a': <'x'>, 'b': <int64 5>, 'c': <true>, 'd': <2.5>}",
    "{'nested': <{'deeper': <@a{sv} {}>, 'list': <@aa{sv} [{}, {'k': <'v'>}]>}>}",
    "@av []", "[<1>, <'s'>, <@mv nothing>, <[byte 1, 2]>]",
    "@mv nothing", "@mv <1>", "@ms nothing", "@ms 'x'", "@mi nothing", "@mi 5",
    "@mmi just nothing", "@mmi nothing", "@mmi 7", "@m(ii) (1, 2)", "@m(si) ('a', 2)",
    "[@mi 1, nothing, 3]", "[@ms 'a', nothing, 'c']",
    "@a{ss} {}", "{'k': 'v', 'k2': ''}", "{'k': int64 1}", "{'a': ['x'], 'b': @as []}",
    "()", "((),())", "[(), ()]", "(byte 1, 2)", "(byte 1, int64 2, true)",
    "[(byte 1, 2), (byte 3, 4)]", "(1, 'a')", "('a', 1)", "('a', 'b', 'c')",
    "(byte 1, 'a', int64 2, 'b', true)", "[(byte 1, 'x', int16 3)]",
    "{'a': <(byte 1, int16 2)>}", "[<(byte 1, 2)>, <()>]",
    "(@as [], @ai [], @a{sv} {})", "(uint32 5, uint64 6, uint16 7, objectpath '/a', signature 'as')",
    "<<<1>>>", "[[['a']], @aas []]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;
      GVariant *value = g_variant_parse (NULL, texts[i], NULL, NULL, &error);

      g_assert_no_error (error);
      g_test_message ("%s", texts[i]);
      check_round_trip (value);
    }
}

/* Large containers: framing offsets of 2 and 4 bytes. */
static void
test_offset_widths (void)
{
  static const gsize sizes[] = { 0, 1, 100, 250, 254, 255, 256, 300, 65000, 65535, 65536, 70000 };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autofree char *text = g_malloc (sizes[s] + 1);
      GVariantBuilder array, dict;

      memset (text, 'x', sizes[s]);
      text[sizes[s]] = '\0';

      g_variant_builder_init (&array, G_VARIANT_TYPE ("as"));
      g_variant_builder_add (&array, "s", text);
      g_variant_builder_add (&array, "s", "y");
      check_round_trip (g_variant_builder_end (&array));

      g_variant_builder_init (&dict, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&dict, "{sv}", text, g_variant_new_string (text));
      g_variant_builder_add (&dict, "{sv}", "n", g_variant_new_int64 (1));
      check_round_trip (g_variant_builder_end (&dict));

      check_round_trip (g_variant_new ("(sis)", text, 3, "z"));
    }

  /* Many small elements: the offsets alone pass a width's limit. */
  for (guint n = 1; n < 40000; n = n * 3 + 1)
    {
      GVariantBuilder array;

      g_variant_builder_init (&array, G_VARIANT_TYPE ("as"));
      for (guint i = 0; i < n; i++)
        g_variant_builder_add (&array, "s", i % 2 ? "ab" : "");
      check_round_trip (g_variant_builder_end (&array));
    }
}

/* Random values of random types, with a fixed seed. */
static GVariant *random_value (GRand *rand, const GVariantType *type, guint depth);

static GVariantType *
random_type (GRand *rand,
             guint  depth)
{
  static const char scalars[] = "bynixdsv";
  guint pick = g_rand_int_range (rand, 0, depth >= 3 ? 8 : 13);

  if (pick < 8)
    return g_variant_type_new ((char[]) { scalars[pick], '\0' });

  switch (pick)
    {
    case 8:
      {
        g_autoptr(GVariantType) element = random_type (rand, depth + 1);

        return g_variant_type_new_array (element);
      }
    case 9:
      {
        g_autoptr(GVariantType) element = random_type (rand, depth + 1);

        return g_variant_type_new_maybe (element);
      }
    case 10:
      {
        g_autoptr(GVariantType) value = random_type (rand, depth + 1);

        return g_variant_type_new_dict_entry (G_VARIANT_TYPE_STRING, value);
      }
    default:
      {
        guint n = g_rand_int_range (rand, 0, 5);
        GVariantType *items[5];
        GVariantType *tuple;

        for (guint i = 0; i < n; i++)
          items[i] = random_type (rand, depth + 1);
        tuple = g_variant_type_new_tuple ((const GVariantType * const *) items, n);
        for (guint i = 0; i < n; i++)
          g_variant_type_free (items[i]);
        return tuple;
      }
    }
}

static GVariant *
random_value (GRand              *rand,
              const GVariantType *type,
              guint               depth)
{
  switch (g_variant_type_peek_string (type)[0])
    {
    case 'b':
      return g_variant_new_boolean (g_rand_boolean (rand));
    case 'y':
      return g_variant_new_byte (g_rand_int (rand));
    case 'n':
      return g_variant_new_int16 (g_rand_int (rand));
    case 'i':
      return g_variant_new_int32 (g_rand_int (rand));
    case 'x':
      return g_variant_new_int64 ((gint64) (((guint64) g_rand_int (rand) << 32) | g_rand_int (rand)));
    case 'd':
      return g_variant_new_double (g_rand_double (rand));
    case 's':
      {
        guint n = g_rand_int_range (rand, 0, g_rand_boolean (rand) ? 4 : 300);
        g_autofree char *text = g_malloc (n + 1);

        for (guint i = 0; i < n; i++)
          text[i] = 'a' + g_rand_int_range (rand, 0, 26);
        text[n] = '\0';
        return g_variant_new_string (text);
      }
    case 'v':
      {
        g_autoptr(GVariantType) child = random_type (rand, depth + 1);

        return g_variant_new_variant (random_value (rand, child, depth + 1));
      }
    case 'a':
      {
        GVariantBuilder builder;
        guint n = g_rand_int_range (rand, 0, depth > 2 ? 3 : 8);

        g_variant_builder_init (&builder, type);
        for (guint i = 0; i < n; i++)
          g_variant_builder_add_value (&builder, random_value (rand, g_variant_type_element (type), depth + 1));
        return g_variant_builder_end (&builder);
      }
    case 'm':
      if (g_rand_boolean (rand))
        return g_variant_new_maybe (g_variant_type_element (type), NULL);
      return g_variant_new_maybe (NULL, random_value (rand, g_variant_type_element (type), depth + 1));
    case '{':
      return g_variant_new_dict_entry (random_value (rand, g_variant_type_key (type), depth + 1),
                                       random_value (rand, g_variant_type_value (type), depth + 1));
    case '(':
    default:
      {
        GVariant *items[8];
        guint n = 0;

        for (const GVariantType *item = g_variant_type_first (type); item != NULL; item = g_variant_type_next (item))
          items[n++] = random_value (rand, item, depth + 1);
        return g_variant_new_tuple (items, n);
      }
    }
}

static void
test_random (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261128);

  for (guint i = 0; i < 2000; i++)
    {
      g_autoptr(GVariantType) type = random_type (rand, 0);

      check_round_trip (random_value (rand, type, 0));
    }
}

/* The a{sv} helpers and generic copies, as the parsers use them. */
static void
test_entries (void)
{
  BotoVariantWriter writer;
  g_autoptr(GVariant) actual = NULL;
  g_autoptr(GVariant) expected = NULL;
  GVariantBuilder builder, list;

  g_variant_builder_init (&list, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < 3; i++)
    {
      GVariantBuilder item;

      g_variant_builder_init (&item, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&item, "{sv}", "Key", g_variant_new_string ("photos/1.jpg"));
      g_variant_builder_add (&item, "{sv}", "Size", g_variant_new_int64 (1000 + i));
      g_variant_builder_add (&item, "{sv}", "Flag", g_variant_new_boolean (i == 1));
      g_variant_builder_add_value (&list, g_variant_builder_end (&item));
    }
  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "Name", g_variant_new_string ("bucket"));
  g_variant_builder_add (&builder, "{sv}", "Contents", g_variant_builder_end (&list));
  g_variant_builder_add (&builder, "{sv}", "Blob", g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "\1\2\3", 3, 1));
  g_variant_builder_add (&builder, "{sv}", "Doc", g_variant_new_parsed ("<{'x': <[<1>, <@mv nothing>]>}>"));
  expected = g_variant_ref_sink (g_variant_builder_end (&builder));

  boto_variant_writer_init (&writer);
  boto_variant_writer_open_array (&writer, "{sv}");
  boto_variant_writer_open_entry (&writer, "Name!", 4);
  boto_variant_writer_add_string (&writer, "bucket", -1);
  boto_variant_writer_close_entry (&writer, "s");
  boto_variant_writer_open_entry (&writer, "Contents", -1);
  boto_variant_writer_open_array (&writer, "a{sv}");
  for (guint i = 0; i < 3; i++)
    {
      boto_variant_writer_open_array (&writer, "{sv}");
      boto_variant_writer_open_entry (&writer, "Key", -1);
      boto_variant_writer_add_string (&writer, "photos/1.jpgXX", 12);
      boto_variant_writer_close_entry (&writer, "s");
      boto_variant_writer_open_entry (&writer, "Size", -1);
      boto_variant_writer_add_int64 (&writer, 1000 + i);
      boto_variant_writer_close_entry (&writer, "x");
      boto_variant_writer_open_entry (&writer, "Flag", -1);
      boto_variant_writer_add_boolean (&writer, i == 1);
      boto_variant_writer_close_entry (&writer, "b");
      g_assert_cmpuint (boto_variant_writer_get_n_children (&writer), ==, 3);
      boto_variant_writer_close (&writer);
    }
  boto_variant_writer_close (&writer);
  boto_variant_writer_close_entry (&writer, "aa{sv}");
  boto_variant_writer_open_entry (&writer, "Blob", -1);
  boto_variant_writer_add_bytestring (&writer, (const guint8 *) "\1\2\3", 3);
  boto_variant_writer_close_entry (&writer, "ay");
  boto_variant_writer_open_entry (&writer, "Doc", -1);
  boto_variant_writer_add_value (&writer, g_variant_new_parsed ("<{'x': <[<1>, <@mv nothing>]>}>"));
  boto_variant_writer_close_entry (&writer, "v");
  g_assert_cmpuint (boto_variant_writer_get_n_children (&writer), ==, 4);
  boto_variant_writer_close (&writer);
  actual = g_variant_ref_sink (boto_variant_writer_finish (&writer, G_VARIANT_TYPE_VARDICT));
  boto_variant_writer_clear (&writer);

  assert_same_bytes (expected, actual);
}

/* add_string_entry writes what open_entry, add_string, close_entry do,
 * for every framing-offset width. */
static void
test_string_entry (void)
{
  static const gsize lengths[] = { 0, 1, 7, 8, 240, 250, 300, 65530, 70000 };

  for (guint k = 0; k < G_N_ELEMENTS (lengths); k++)
    {
      g_autofree char *text = g_strnfill (lengths[k], 'v');
      g_autofree char *key = g_strnfill (1 + lengths[k] % 13, 'k');
      BotoVariantWriter a, b;
      g_autoptr(GVariant) expected = NULL;
      g_autoptr(GVariant) actual = NULL;

      boto_variant_writer_init (&a);
      boto_variant_writer_init (&b);
      boto_variant_writer_open_array (&a, "{sv}");
      boto_variant_writer_open_array (&b, "{sv}");
      for (guint n = 0; n < 2; n++)
        {
          boto_variant_writer_open_entry (&a, "b", -1);
          boto_variant_writer_add_boolean (&a, TRUE);
          boto_variant_writer_close_entry (&a, "b");
          boto_variant_writer_open_entry (&b, "b", -1);
          boto_variant_writer_add_boolean (&b, TRUE);
          boto_variant_writer_close_entry (&b, "b");

          boto_variant_writer_open_entry (&a, key, -1);
          boto_variant_writer_add_string (&a, text, lengths[k]);
          boto_variant_writer_close_entry (&a, "s");
          boto_variant_writer_add_string_entry (&b, key, strlen (key), text, lengths[k]);
        }
      boto_variant_writer_close (&a);
      boto_variant_writer_close (&b);
      expected = g_variant_ref_sink (boto_variant_writer_finish (&a, G_VARIANT_TYPE_VARDICT));
      actual = g_variant_ref_sink (boto_variant_writer_finish (&b, G_VARIANT_TYPE_VARDICT));
      boto_variant_writer_clear (&a);
      boto_variant_writer_clear (&b);
      g_assert_true (g_variant_is_normal_form (actual));
      assert_same_bytes (expected, actual);
    }
}

/* A writer abandoned half way frees everything it holds. */
static void
test_clear_midway (void)
{
  BotoVariantWriter writer;

  boto_variant_writer_init (&writer);
  boto_variant_writer_open_array (&writer, "{sv}");
  boto_variant_writer_open_entry (&writer, "a", -1);
  boto_variant_writer_open_array (&writer, "s");
  boto_variant_writer_add_string (&writer, "x", -1);
  boto_variant_writer_clear (&writer);

  /* And may be used again. */
  boto_variant_writer_init (&writer);
  boto_variant_writer_add_int32 (&writer, 5);
  {
    g_autoptr(GVariant) value = g_variant_ref_sink (boto_variant_writer_finish (&writer, G_VARIANT_TYPE_INT32));

    g_assert_cmpint (g_variant_get_int32 (value), ==, 5);
  }
  boto_variant_writer_clear (&writer);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/boto/variant-writer/parsed", test_parsed);
  g_test_add_func ("/boto/variant-writer/offset-widths", test_offset_widths);
  g_test_add_func ("/boto/variant-writer/random", test_random);
  g_test_add_func ("/boto/variant-writer/entries", test_entries);
  g_test_add_func ("/boto/variant-writer/string-entry", test_string_entry);
  g_test_add_func ("/boto/variant-writer/clear-midway", test_clear_midway);

  return g_test_run ();
}
