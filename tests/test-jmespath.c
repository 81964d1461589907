/* test-jmespath.c: JMESPath over GVariant beyond the compliance suite:
 * typed arrays, nested variants, maybes, result types, errors, limits and
 * the expression cache under threads.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include <boto-glib/boto-glib.h>

#include "boto-jmespath-private.h"

/* Evaluates @expression and compares the printed result (with types). */
static void
check (const char *expression,
       GVariant   *data,
       const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = boto_jmespath_search (expression, data, &error);
  g_autofree char *printed = NULL;

  g_assert_no_error (error);
  printed = result != NULL ? g_variant_print (result, TRUE) : g_strdup ("null");
  if (g_strcmp0 (printed, expected) != 0)
    g_error ("%s: expected %s, got %s", expression, expected, printed);
}

static GVariant *
sample (void)
{
  return g_variant_ref_sink (g_variant_new_parsed (
    "{'names': <['b', 'a', 'c']>,"
    " 'nums': <[int64 3, 1, 2]>,"
    " 'small': <[byte 7, 9]>,"
    " 'people': <[{'name': <'x'>, 'age': <int32 30>}, {'name': <'y'>, 'age': <int32 20>}]>,"
    " 'tags': <{'env': 'prod', 'team': 'core'}>,"
    " 'deep': <<<{'b': <<uint16 5>>}>>>,"
    " 'none': <@ms nothing>,"
    " 'some': <@mx just 42>,"
    " 'maybes': <[@ms nothing, just 'q']>,"
    " 'tuple': <(1, 'two', true)>,"
    " 'half': <1.5>}"));
}

static void
test_typed_arrays (void)
{
  g_autoptr(GVariant) data = sample ();

  check ("names", data, "['b', 'a', 'c']");
  check ("names[0]", data, "'b'");
  check ("names[-1]", data, "'c'");
  check ("nums[1:]", data, "[<int64 1>, <int64 2>]");
  check ("nums[::-1]", data, "[<int64 2>, <int64 1>, <int64 3>]");
  check ("sort(names)", data, "[<'a'>, <'b'>, <'c'>]");
  check ("sort(nums)", data, "[<int64 1>, <int64 2>, <int64 3>]");
  check ("sum(nums)", data, "int64 6");
  check ("max(small)", data, "byte 0x09");
  check ("avg(small)", data, "8.0");
  check ("length(names)", data, "int64 3");
  check ("contains(names, 'a')", data, "true");
  check ("join('-', names)", data, "'b-a-c'");
  check ("people[].name", data, "[<'x'>, <'y'>]");
  check ("people[?age > `25`].name", data, "[<'x'>]");
  check ("sort_by(people, &age)[0].name", data, "'y'");
  check ("max_by(people, &age).name", data, "'x'");
  check ("people[0].age", data, "30");
  check ("tuple[1]", data, "'two'");
  check ("length(tuple)", data, "int64 3");
  check ("tags.env", data, "'prod'");
  check ("keys(tags)", data, "[<'env'>, <'team'>]");
  check ("values(tags)", data, "[<'prod'>, <'core'>]");
  check ("tags", data, "{'env': 'prod', 'team': 'core'}");
  check ("tags.*", data, "[<'prod'>, <'core'>]");
}

/* Projections of field chains are evaluated on the serialized bytes
 * (a fast path that falls back to the general evaluator for what it does
 * not handle); both must give the same results. */
static void
test_projection_shapes (void)
{
  g_autoptr(GVariant) data = g_variant_ref_sink (g_variant_new_parsed (
    "{'r': <[{'i': <[{'id': <'a'>, 'n': <int32 1>}]>, 'o': <'x'>},"
    "        {'o': <'y'>, 'i': <[{'n': <int32 2>, 'id': <'b'>}, {'id': <'c'>}]>},"
    "        {'i': <@mv nothing>},"
    "        {'i': <'scalar'>}]>,"
    " 'l': <[<[1, 2]>, <'s'>, <@mv nothing>, <[<[3]>]>]>,"
    " 'o': <[{'k': <[1]>, 'v': <'p'>}, {'k': <{'a': <1>}>, 'v': <'q'>}, {'k': <[int64 1]>, 'v': <'r'>}]>,"
    " 't': <[(1, 'one'), (2, 'two')]>,"
    " 'n': <[int64 5, 7, 9]>}"));

  check ("r[].i[].id", data, "[<'a'>, <'b'>, <'c'>]");
  check ("r[].i[].n", data, "[<1>, <2>]");
  check ("r[].i", data, "[<[{'id': <'a'>, 'n': <1>}]>, <[{'n': <2>, 'id': <'b'>}, {'id': <'c'>}]>, <'scalar'>]");
  check ("r[].i[]", data,
         "[<{'id': <'a'>, 'n': <1>}>, <{'n': <2>, 'id': <'b'>}>, <{'id': <'c'>}>, <'scalar'>]");
  check ("r[*].o", data, "[<'x'>, <'y'>]");
  check ("r[?o == 'y'].i[0].id", data, "[<'b'>]");
  check ("r[?i[0].n >= `1` && o].o", data, "[<'x'>, <'y'>]");
  check ("r[?!o].i", data, "[<'scalar'>]");
  check ("l[]", data, "[<1>, <2>, <'s'>, <[3]>]");
  check ("l[][]", data, "[<1>, <2>, <'s'>, <3>]");
  check ("l[][].x", data, "@av []");
  check ("o[?k == `[1]`].v", data, "[<'p'>, <'r'>]");
  check ("o[?k == `{\"a\": 1}`].v", data, "[<'q'>]");
  check ("o[?k != `[1]`].v", data, "[<'q'>]");
  check ("t[*][1]", data, "[<'one'>, <'two'>]");
  check ("t[][1]", data, "@av []");
  check ("t[?[0] > `1`][1]", data, "[<'two'>]");
  check ("n[?@ > `5`]", data, "[<int64 7>, <int64 9>]");
  check ("n[].foo", data, "@av []");
  check ("missing[].foo", data, "null");
  check ("n[0][]", data, "null");
  check ("r[].i[].id | [1]", data, "'b'");
  check ("r[].i[*].id", data, "[<[<'a'>]>, <[<'b'>, <'c'>]>]");
}

static void
test_variants_and_maybes (void)
{
  g_autoptr(GVariant) data = sample ();

  check ("deep.b", data, "uint16 5");
  check ("deep.b == `5`", data, "true");
  check ("none", data, "null");
  check ("type(none)", data, "'null'");
  check ("some", data, "int64 42");
  check ("some == `42.0`", data, "true");
  check ("maybes", data, "[@ms nothing, 'q']");
  check ("maybes[0]", data, "null");
  check ("maybes[1]", data, "'q'");
  check ("maybes[]", data, "[<'q'>]");
  check ("not_null(none, some)", data, "int64 42");
  check ("missing", data, "null");
  check ("half", data, "1.5");
  check ("to_string(deep)", data, "'{\"b\":5}'");
  check ("to_string(half)", data, "'1.5'");

  /* A bare maybe and variant at the top, and no data at all. */
  check ("@", g_variant_new_maybe (G_VARIANT_TYPE_STRING, NULL), "null");
  check ("a", g_variant_new_variant (g_variant_new_parsed ("{'a': <'z'>}")), "'z'");
  check ("@", NULL, "null");
  check ("`[1, 2]`", NULL, "[<int64 1>, <int64 2>]");
}

static void
test_result_types (void)
{
  g_autoptr(GVariant) data = sample ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;

  check ("{n: names[0], m: missing, x: `1`}", data, "{'n': <'b'>, 'm': <@mv nothing>, 'x': <int64 1>}");
  check ("[names[0], missing]", data, "[<'b'>, <@mv nothing>]");
  check ("`1.25`", data, "1.25");
  check ("floor(`1.25`)", data, "int64 1");
  check ("`true`", data, "true");
  check ("'raw'", data, "'raw'");
  check ("length('✓✓')", data, "int64 2");
  check ("merge(tags, {team: 'web'})", data, "{'env': <'prod'>, 'team': <'web'>}");

  /* Null: no result and no error. */
  result = boto_jmespath_search ("missing.deeper", g_variant_ref (data), &error);
  g_assert_no_error (error);
  g_assert_null (result);

  /* An input value comes back as it is, and non-floating. */
  result = boto_jmespath_search ("names", data, &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_is_of_type (result, G_VARIANT_TYPE_STRING_ARRAY));
  g_assert_false (g_variant_is_floating (result));
}

static void
check_error (const char *expression,
             int         code,
             const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) data = sample ();
  g_autoptr(GVariant) result = boto_jmespath_search (expression, data, &error);

  g_assert_null (result);
  g_assert_error (error, BOTO_JMESPATH_ERROR, code);
  if (fragment != NULL && strstr (error->message, fragment) == NULL)
    g_error ("%s: “%s” is not in “%s”", expression, fragment, error->message);
}

static void
test_errors (void)
{
  check_error ("foo[", BOTO_JMESPATH_ERROR_SYNTAX, "offset 4");
  check_error ("foo.", BOTO_JMESPATH_ERROR_SYNTAX, "offset 4");
  check_error ("a ==", BOTO_JMESPATH_ERROR_SYNTAX, "offset 4");
  check_error ("✓✓ = 1", BOTO_JMESPATH_ERROR_SYNTAX, "offset 0");
  check_error ("'✓✓' = 1", BOTO_JMESPATH_ERROR_SYNTAX, "offset 5");
  check_error ("a || `\"bad`", BOTO_JMESPATH_ERROR_SYNTAX, "offset 5");
  check_error ("{}", BOTO_JMESPATH_ERROR_SYNTAX, "offset 1");
  check_error ("\"unclosed", BOTO_JMESPATH_ERROR_SYNTAX, "offset 0");
  check_error ("names[::0]", BOTO_JMESPATH_ERROR_INVALID_VALUE, NULL);
  check_error ("length(`1`)", BOTO_JMESPATH_ERROR_INVALID_TYPE, "length()");
  check_error ("sum(names)", BOTO_JMESPATH_ERROR_INVALID_TYPE, "array of numbers");
  check_error ("sort_by(people, &tags)", BOTO_JMESPATH_ERROR_INVALID_TYPE, NULL);
  check_error ("length(names, nums)", BOTO_JMESPATH_ERROR_INVALID_ARITY, "length()");
  check_error ("merge()", BOTO_JMESPATH_ERROR_INVALID_ARITY, NULL);
  check_error ("nope(@)", BOTO_JMESPATH_ERROR_UNKNOWN_FUNCTION, "nope()");

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BotoJmespathExpression) expr = boto_jmespath_expression_new ("a[?", &error);

    g_assert_null (expr);
    g_assert_error (error, BOTO_JMESPATH_ERROR, BOTO_JMESPATH_ERROR_SYNTAX);
  }
}

static char *
nested (const char *open,
        const char *middle,
        const char *close,
        guint       levels)
{
  gboolean json = strcmp (middle, "1") == 0;
  GString *s = g_string_new (json ? "`" : NULL);

  for (guint i = 0; i < levels; i++)
    g_string_append (s, open);
  g_string_append (s, middle);
  for (guint i = 0; i < levels; i++)
    g_string_append (s, close);
  if (json)
    g_string_append_c (s, '`');
  return g_string_free (s, FALSE);
}

static void
test_depth_limits (void)
{
  g_autoptr(GVariant) data = sample ();
  static const char * const shapes[][3] = {
    { "(", "names", ")" },
    { "[", "names", "]" },
    { "{a: ", "names", "}" },
    { "!", "names", "" },
    { "length(", "names", ")" },
    { "[", "1", "]" },   /* inside a JSON literal, below */
    { "& ", "names", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      g_autofree char *ok = nested (shapes[i][0], shapes[i][1], shapes[i][2], 50);
      g_autofree char *deep = nested (shapes[i][0], shapes[i][1], shapes[i][2], 512);
      g_autofree char *huge = nested (shapes[i][0], shapes[i][1], shapes[i][2], 100000);
      g_autoptr(GError) error = NULL;
      g_autoptr(BotoJmespathExpression) expr = NULL;

      expr = boto_jmespath_expression_new (ok, &error);
      g_assert_no_error (error);
      g_assert_nonnull (expr);
      g_clear_pointer (&expr, boto_jmespath_expression_unref);

      expr = boto_jmespath_expression_new (deep, &error);
      g_assert_null (expr);
      g_assert_error (error, BOTO_JMESPATH_ERROR, BOTO_JMESPATH_ERROR_SYNTAX);
      g_assert_nonnull (strstr (error->message, "too deeply nested"));
      g_clear_error (&error);

      expr = boto_jmespath_expression_new (huge, &error);
      g_assert_null (expr);
      g_assert_error (error, BOTO_JMESPATH_ERROR, BOTO_JMESPATH_ERROR_SYNTAX);
    }

  /* Long flat chains are fine to parse, but a tree too deep is refused. */
  {
    GString *s = g_string_new ("a");
    g_autoptr(GError) error = NULL;
    g_autoptr(BotoJmespathExpression) expr = NULL;

    for (guint i = 0; i < 100000; i++)
      g_string_append (s, " || a");
    expr = boto_jmespath_expression_new (s->str, &error);
    g_assert_null (expr);
    g_assert_error (error, BOTO_JMESPATH_ERROR, BOTO_JMESPATH_ERROR_SYNTAX);
    g_string_free (s, TRUE);
  }
  {
    GString *s = g_string_new ("a");
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) result = NULL;

    for (guint i = 0; i < 5000; i++)
      g_string_append (s, ".a");
    result = boto_jmespath_search (s->str, data, &error);
    g_assert_no_error (error);
    g_assert_null (result);
    g_string_free (s, TRUE);
  }
}

static void
test_deep_data (void)
{
  GVariant *value = g_variant_new_int64 (1);
  g_autoptr(GVariant) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;

  /* 5000 nested lists: walking them all is refused, not a crash. */
  for (guint i = 0; i < 5000; i++)
    {
      GVariant *boxed = g_variant_new_variant (value);

      value = g_variant_new_array (G_VARIANT_TYPE_VARIANT, &boxed, 1);
    }
  data = g_variant_ref_sink (value);

  result = boto_jmespath_search ("to_string(@)", data, &error);
  g_assert_null (result);
  g_assert_error (error, BOTO_JMESPATH_ERROR, BOTO_JMESPATH_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  result = boto_jmespath_search ("contains(`[]`, @)", data, &error);
  g_assert_no_error (error);
  check ("length(@)", data, "int64 1");
  check ("[0][0][0] | length(@)", data, "int64 1");
}

static void
test_huge_input (void)
{
  g_autofree gint64 *numbers = g_new (gint64, 200000);
  g_autoptr(GVariant) data = NULL;

  for (guint i = 0; i < 200000; i++)
    numbers[i] = 200000 - i;
  data = g_variant_ref_sink (g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, numbers, 200000, sizeof (gint64)));
  check ("length(@)", data, "int64 200000");
  check ("sum(@)", data, "int64 20000100000");
  check ("sort(@)[0]", data, "int64 1");
  check ("length([?@ > `100000`])", data, "int64 100000");
  check ("max_by(map(&{v: @}, @), &v).v", data, "int64 200000");
}

static void
test_compiled (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoJmespathExpression) expr = boto_jmespath_expression_new ("people[].name | sort(@)", &error);
  g_autoptr(GVariant) data = sample ();

  g_assert_no_error (error);
  g_assert_cmpstr (boto_jmespath_expression_get_expression (expr), ==, "people[].name | sort(@)");
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GVariant) result = boto_jmespath_expression_search (expr, data, &error);
      g_autofree char *printed = NULL;

      g_assert_no_error (error);
      printed = g_variant_print (result, FALSE);
      g_assert_cmpstr (printed, ==, "[<'x'>, <'y'>]");
    }
  g_assert_true (G_TYPE_IS_BOXED (BOTO_TYPE_JMESPATH_EXPRESSION));
}

static const char * const thread_expressions[][2] = {
  { "people[].name", "[<'x'>, <'y'>]" },
  { "sum(nums)", "6" },
  { "tags.team", "'core'" },
  { "sort(names)[-1]", "'c'" },
  { "people[?age < `25`].age | [0]", "20" },
};

static gpointer
search_thread (gpointer data)
{
  GVariant *input = data;

  for (guint i = 0; i < 400; i++)
    {
      guint k = i % G_N_ELEMENTS (thread_expressions);
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) result = boto_jmespath_search (thread_expressions[k][0], input, &error);
      g_autofree char *printed = NULL;
      g_autofree char *other = g_strdup_printf ("`%u` == `%u`", i, i);
      g_autoptr(GVariant) same = NULL;

      g_assert_no_error (error);
      printed = g_variant_print (result, FALSE);
      g_assert_cmpstr (printed, ==, thread_expressions[k][1]);

      /* Many distinct expressions too, so that the cache evicts. */
      same = boto_jmespath_search (other, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_variant_get_boolean (same));
    }
  return NULL;
}

static void
test_cache_threads (void)
{
  g_autoptr(GVariant) data = sample ();
  GThread *threads[6];

  boto_jmespath_cache_clear ();
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("jmespath", search_thread, data);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  g_assert_cmpuint (boto_jmespath_cache_get_size (), <=, BOTO_JMESPATH_CACHE_SIZE);
  g_assert_cmpuint (boto_jmespath_cache_get_size (), >, 0);
  boto_jmespath_cache_clear ();
  g_assert_cmpuint (boto_jmespath_cache_get_size (), ==, 0);
}

/* Checks that @result is in normal form by reading its bytes untrusted. */
static void
assert_normal (GVariant *result)
{
  g_autoptr(GBytes) bytes = g_variant_get_data_as_bytes (result);
  g_autoptr(GVariant) copy = g_variant_ref_sink (g_variant_new_from_bytes (g_variant_get_type (result), bytes, FALSE));

  g_assert_true (g_variant_is_normal_form (copy));
  g_assert_true (g_variant_equal (copy, result));
}

/* Results large enough for 2- and 4-byte framing offsets, over input in
 * tree form, serialized, and serialized but not trusted. */
static void
test_large_results (void)
{
  GVariantBuilder items, expected_keys, expected_objects;
  g_autoptr(GVariant) tree = NULL;
  g_autoptr(GVariant) keys = NULL;
  g_autoptr(GVariant) objects = NULL;
  GVariant *inputs[3];

  g_variant_builder_init (&items, G_VARIANT_TYPE ("aa{sv}"));
  g_variant_builder_init (&expected_keys, G_VARIANT_TYPE ("av"));
  g_variant_builder_init (&expected_objects, G_VARIANT_TYPE ("av"));
  for (guint i = 0; i < 3000; i++)
    {
      GVariantBuilder item, object;
      g_autofree char *key = g_strdup_printf ("key-%u-%s", i, i % 7 == 0 ? "with a longer tail to vary sizes" : "");

      g_variant_builder_init (&item, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&item, "{sv}", "n", g_variant_new_uint16 (i));
      g_variant_builder_add (&item, "{sv}", "k", g_variant_new_string (key));
      g_variant_builder_add_value (&items, g_variant_builder_end (&item));
      g_variant_builder_add (&expected_keys, "v", g_variant_new_string (key));
      g_variant_builder_init (&object, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&object, "{sv}", "k", g_variant_new_string (key));
      g_variant_builder_add (&object, "{sv}", "n", g_variant_new_uint16 (i));
      g_variant_builder_add (&expected_objects, "v", g_variant_builder_end (&object));
    }
  tree = g_variant_ref_sink (g_variant_new_variant (g_variant_builder_end (&items)));
  keys = g_variant_ref_sink (g_variant_builder_end (&expected_keys));
  objects = g_variant_ref_sink (g_variant_builder_end (&expected_objects));

  {
    g_autoptr(GBytes) bytes = NULL;

    inputs[0] = g_variant_ref_sink (g_variant_new_variant (g_variant_get_variant (tree)));
    bytes = g_variant_get_data_as_bytes (tree);
    inputs[1] = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_VARIANT, bytes, TRUE));
    inputs[2] = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_VARIANT, bytes, FALSE));
  }
  for (guint k = 0; k < G_N_ELEMENTS (inputs); k++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) got_keys = boto_jmespath_search ("[].k", inputs[k], &error);
      g_autoptr(GVariant) got_objects = NULL;
      g_autoptr(GVariant) got_one = NULL;

      g_assert_no_error (error);
      g_assert_true (g_variant_equal (got_keys, keys));
      assert_normal (got_keys);
      got_objects = boto_jmespath_search ("[].{k: k, n: n}", inputs[k], &error);
      g_assert_no_error (error);
      g_assert_true (g_variant_equal (got_objects, objects));
      assert_normal (got_objects);
      got_one = boto_jmespath_search ("[?n == `2999`] | [0]", inputs[k], &error);
      g_assert_no_error (error);
      g_assert_true (g_variant_is_of_type (got_one, G_VARIANT_TYPE_VARDICT));
      assert_normal (got_one);
      g_variant_unref (inputs[k]);
    }
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/boto/jmespath/typed-arrays", test_typed_arrays);
  g_test_add_func ("/boto/jmespath/projection-shapes", test_projection_shapes);
  g_test_add_func ("/boto/jmespath/variants-and-maybes", test_variants_and_maybes);
  g_test_add_func ("/boto/jmespath/result-types", test_result_types);
  g_test_add_func ("/boto/jmespath/errors", test_errors);
  g_test_add_func ("/boto/jmespath/depth-limits", test_depth_limits);
  g_test_add_func ("/boto/jmespath/deep-data", test_deep_data);
  g_test_add_func ("/boto/jmespath/huge-input", test_huge_input);
  g_test_add_func ("/boto/jmespath/large-results", test_large_results);
  g_test_add_func ("/boto/jmespath/compiled", test_compiled);
  g_test_add_func ("/boto/jmespath/cache-threads", test_cache_threads);

  ret = g_test_run ();

  boto_jmespath_cache_clear ();
  return ret;
}
