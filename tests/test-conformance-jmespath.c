/* test-conformance-jmespath.c: the JMESPath compliance suite of jmespath.py
 * (tests/compliance/ and tests/legacy/, both of which its runner walks),
 * every case, evaluated over GVariant.
 *
 * Each `given` document becomes GVariant by the data convention (object →
 * a{sv}, array → av, null → mv nothing, integer → x, float → d); results
 * are compared as JSON values (numbers numerically, object key order
 * ignored); error cases must fail with the error kind the case names; bench
 * cases without a result must run without error.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <boto-glib/boto-glib.h>

static const char *conformance_dir;
static guint n_passed, n_failed;

static GVariant *
json_to_variant (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_NULL:
      return g_variant_new_maybe (G_VARIANT_TYPE_VARIANT, NULL);
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        GVariantBuilder builder;

        g_variant_builder_init (&builder, G_VARIANT_TYPE ("av"));
        for (guint i = 0; i < json_array_get_length (array); i++)
          g_variant_builder_add (&builder, "v", json_to_variant (json_array_get_element (array, i)));
        return g_variant_builder_end (&builder);
      }
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);
        GVariantBuilder builder;

        g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
        for (GList *l = members; l != NULL; l = l->next)
          g_variant_builder_add (&builder, "{sv}", (const char *) l->data,
                                 json_to_variant (json_object_get_member (object, l->data)));
        return g_variant_builder_end (&builder);
      }
    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          return g_variant_new_int64 (json_node_get_int (node));
        case G_TYPE_DOUBLE:
          return g_variant_new_double (json_node_get_double (node));
        case G_TYPE_BOOLEAN:
          return g_variant_new_boolean (json_node_get_boolean (node));
        case G_TYPE_STRING:
        default:
          return g_variant_new_string (json_node_get_string (node));
        }
    }
}

/* Unwraps variants and maybes; NULL for null. (transfer full) */
static GVariant *
unwrap (GVariant *v)
{
  v = v != NULL ? g_variant_ref (v) : NULL;
  while (v != NULL && (g_variant_is_of_type (v, G_VARIANT_TYPE_VARIANT) ||
                       g_variant_classify (v) == G_VARIANT_CLASS_MAYBE))
    {
      GVariant *inner = g_variant_classify (v) == G_VARIANT_CLASS_MAYBE ?
                        g_variant_get_maybe (v) : g_variant_get_variant (v);

      g_variant_unref (v);
      v = inner;
    }
  return v;
}

static gboolean
variant_number (GVariant *v,
                double   *out)
{
  switch (g_variant_classify (v))
    {
    case G_VARIANT_CLASS_BYTE: *out = g_variant_get_byte (v); return TRUE;
    case G_VARIANT_CLASS_INT16: *out = g_variant_get_int16 (v); return TRUE;
    case G_VARIANT_CLASS_UINT16: *out = g_variant_get_uint16 (v); return TRUE;
    case G_VARIANT_CLASS_INT32: *out = g_variant_get_int32 (v); return TRUE;
    case G_VARIANT_CLASS_UINT32: *out = g_variant_get_uint32 (v); return TRUE;
    case G_VARIANT_CLASS_INT64: *out = g_variant_get_int64 (v); return TRUE;
    case G_VARIANT_CLASS_UINT64: *out = g_variant_get_uint64 (v); return TRUE;
    case G_VARIANT_CLASS_DOUBLE: *out = g_variant_get_double (v); return TRUE;
    default: return FALSE;
    }
}

static gboolean
matches (GVariant *actual_raw,
         JsonNode *expected)
{
  g_autoptr(GVariant) actual = unwrap (actual_raw);

  switch (json_node_get_node_type (expected))
    {
    case JSON_NODE_NULL:
      return actual == NULL;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (expected);
        guint n = json_array_get_length (array);

        if (actual == NULL || !g_variant_is_container (actual) ||
            g_variant_is_of_type (actual, G_VARIANT_TYPE ("a{s*}")) ||
            g_variant_n_children (actual) != n)
          return FALSE;
        for (guint i = 0; i < n; i++)
          {
            g_autoptr(GVariant) child = g_variant_get_child_value (actual, i);

            if (!matches (child, json_array_get_element (array, i)))
              return FALSE;
          }
        return TRUE;
      }
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (expected);
        gsize n;

        if (actual == NULL || !g_variant_is_of_type (actual, G_VARIANT_TYPE ("a{s*}")))
          return FALSE;
        n = g_variant_n_children (actual);
        if (n != json_object_get_size (object))
          return FALSE;
        for (gsize i = 0; i < n; i++)
          {
            g_autoptr(GVariant) entry = g_variant_get_child_value (actual, i);
            g_autoptr(GVariant) key = g_variant_get_child_value (entry, 0);
            g_autoptr(GVariant) value = g_variant_get_child_value (entry, 1);
            const char *k = g_variant_get_string (key, NULL);

            if (!json_object_has_member (object, k) ||
                !matches (value, json_object_get_member (object, k)))
              return FALSE;
          }
        return TRUE;
      }
    case JSON_NODE_VALUE:
    default:
      if (actual == NULL)
        return FALSE;
      switch (json_node_get_value_type (expected))
        {
        case G_TYPE_INT64:
        case G_TYPE_DOUBLE:
          {
            double d;

            return variant_number (actual, &d) && d == json_node_get_double (expected);
          }
        case G_TYPE_BOOLEAN:
          return g_variant_is_of_type (actual, G_VARIANT_TYPE_BOOLEAN) &&
                 g_variant_get_boolean (actual) == json_node_get_boolean (expected);
        case G_TYPE_STRING:
        default:
          return g_variant_is_of_type (actual, G_VARIANT_TYPE_STRING) &&
                 strcmp (g_variant_get_string (actual, NULL), json_node_get_string (expected)) == 0;
        }
    }
}

static int
error_code (const char *kind)
{
  static const char * const kinds[] = {
    "syntax", "invalid-type", "invalid-arity", "unknown-function", "invalid-value",
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (strcmp (kinds[i], kind) == 0)
      return BOTO_JMESPATH_ERROR_SYNTAX + (int) i;
  return -1;
}

static void
run_case (const char *file,
          GVariant   *given,
          JsonObject *tcase)
{
  const char *expression = json_object_get_string_member (tcase, "expression");
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = boto_jmespath_search (expression, given, &error);
  g_autofree char *problem = NULL;

  if (json_object_has_member (tcase, "error"))
    {
      const char *kind = json_object_get_string_member (tcase, "error");

      if (error == NULL)
        problem = g_strdup_printf ("expected a %s error, got a result", kind);
      else if (!g_error_matches (error, BOTO_JMESPATH_ERROR, error_code (kind)))
        problem = g_strdup_printf ("expected a %s error, got: %s", kind, error->message);
    }
  else if (error != NULL)
    problem = g_strdup_printf ("unexpected error: %s", error->message);
  else if (json_object_has_member (tcase, "result") &&
           !matches (result, json_object_get_member (tcase, "result")))
    {
      g_autofree char *expected = json_to_string (json_object_get_member (tcase, "result"), FALSE);
      g_autofree char *actual = result != NULL ? g_variant_print (result, TRUE) : g_strdup ("null");

      problem = g_strdup_printf ("expected %s, got %s", expected, actual);
    }

  if (problem != NULL)
    {
      n_failed++;
      g_printerr ("jmespath: FAIL %s: %s: %s\n", file, expression, problem);
    }
  else
    n_passed++;
}

static void
run_file (const char *relpath)
{
  g_autofree char *path = g_build_filename (conformance_dir, "jmespath", relpath, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *suites;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  suites = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (suites); i++)
    {
      JsonObject *suite = json_array_get_object_element (suites, i);
      g_autoptr(GVariant) given = g_variant_ref_sink (json_to_variant (json_object_get_member (suite, "given")));
      JsonArray *cases = json_object_get_array_member (suite, "cases");

      for (guint j = 0; j < json_array_get_length (cases); j++)
        run_case (relpath, given, json_array_get_object_element (cases, j));
    }
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
test_compliance (void)
{
  static const char * const folders[] = { "", "legacy" };
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);

  for (guint f = 0; f < G_N_ELEMENTS (folders); f++)
    {
      g_autofree char *dir_path = g_build_filename (conformance_dir, "jmespath", folders[f], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GDir) dir = g_dir_open (dir_path, 0, &error);
      guint first = files->len;
      const char *name;

      g_assert_no_error (error);
      while ((name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_suffix (name, ".json"))
          g_ptr_array_add (files, g_build_filename (folders[f], name, NULL));
      qsort (files->pdata + first, files->len - first, sizeof (gpointer), compare_names);
    }

  for (guint i = 0; i < files->len; i++)
    {
      guint before = n_passed + n_failed;

      run_file (g_ptr_array_index (files, i));
      g_test_message ("%s: %u cases", (const char *) g_ptr_array_index (files, i),
                      n_passed + n_failed - before);
    }

  g_printerr ("jmespath: %u passed, %u failed\n", n_passed, n_failed);
  /* 908 cases in the compliance files and 9 in legacy/literal.json. */
  g_assert_cmpuint (n_passed + n_failed, ==, 917);
  g_assert_cmpuint (n_failed, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  conformance_dir = g_getenv ("BOTO_CONFORMANCE_DIR");
  if (conformance_dir == NULL)
    g_error ("BOTO_CONFORMANCE_DIR is not set");

  g_test_add_func ("/boto/jmespath/conformance", test_compliance);
  return g_test_run ();
}
