/* test-conformance-models.c: every model in botocore's protocol test suites
 * loads through the JSON path of the model layer, and the shape walker sees
 * exactly what the JSON says: types, members in order, every reference
 * resolved.  (The serializers and parsers run these suites' cases in the
 * protocols tests; here they check the model layer under them.)
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <boto-glib/boto-glib.h>

#include "test-utils.h"

static const char *conformance_dir;

static void
check_shape (BotoServiceModel *model,
             JsonObject       *shapes,
             BotoShape        *shape,
             GHashTable       *seen)
{
  const char *name = boto_shape_get_name (shape);
  JsonObject *json;
  const char *type;

  g_assert_nonnull (name);
  if (!g_hash_table_add (seen, (gpointer) name))
    return;

  g_assert_true (json_object_has_member (shapes, name));
  json = json_object_get_object_member (shapes, name);
  type = json_object_get_string_member (json, "type");
  g_assert_cmpstr (boto_shape_get_type_name (shape), ==, type);

  if (g_str_equal (type, "structure"))
    {
      /* A document structure has no members. */
      JsonObject *members = json_object_has_member (json, "members") ?
                            json_object_get_object_member (json, "members") : NULL;
      g_autoptr(GList) json_names = members != NULL ? json_object_get_members (members) : NULL;
      g_auto(GStrv) names = boto_shape_get_member_names (shape);
      guint i = 0;

      g_assert_cmpint (boto_shape_get_shape_type (shape), ==, BOTO_SHAPE_TYPE_STRUCTURE);
      for (GList *l = json_names; l != NULL; l = l->next, i++)
        {
          JsonObject *ref = json_object_get_object_member (members, l->data);
          BotoShape *member = boto_shape_get_member (shape, l->data);

          /* Members come in the model's order. */
          g_assert_cmpstr (names[i], ==, l->data);
          g_assert_nonnull (member);
          g_assert_cmpstr (boto_shape_get_member_name (member), ==, l->data);
          g_assert_cmpstr (boto_shape_get_name (member), ==, json_object_get_string_member (ref, "shape"));
          if (json_object_has_member (ref, "location"))
            g_assert_cmpstr (boto_shape_get_location (member), ==,
                             json_object_get_string_member (ref, "location"));
          if (json_object_has_member (ref, "locationName"))
            g_assert_cmpstr (boto_shape_get_location_name (member), ==,
                             json_object_get_string_member (ref, "locationName"));
          check_shape (model, shapes, member, seen);
        }
      g_assert_null (names[i]);
    }
  else if (g_str_equal (type, "list"))
    {
      BotoShape *item = boto_shape_get_list_member (shape);

      g_assert_nonnull (item);
      check_shape (model, shapes, item, seen);
    }
  else if (g_str_equal (type, "map"))
    {
      g_assert_nonnull (boto_shape_get_map_key (shape));
      g_assert_nonnull (boto_shape_get_map_value (shape));
      check_shape (model, shapes, boto_shape_get_map_key (shape), seen);
      check_shape (model, shapes, boto_shape_get_map_value (shape), seen);
    }
  else
    g_assert_cmpint (boto_shape_get_shape_type (shape), !=, BOTO_SHAPE_TYPE_UNKNOWN);
}

static guint
check_suite (JsonObject *suite)
{
  JsonObject *metadata = json_object_get_object_member (suite, "metadata");
  JsonObject *shapes = json_object_get_object_member (suite, "shapes");
  JsonArray *cases = json_object_get_array_member (suite, "cases");
  guint n = json_array_get_length (cases);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *given = json_object_get_object_member (json_array_get_object_element (cases, i), "given");
      const char *op_name = json_object_get_string_member (given, "name");
      g_autoptr(GError) error = NULL;
      g_autoptr(BotoServiceModel) model = NULL;
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
      BotoOperationModel *op;

      /* The one-operation service botocore's runner builds. */
      model = test_model_for_operation (metadata, shapes, given, &error);
      g_assert_no_error (error);

      /* The protocol chosen is one the suite lists. */
      if (json_object_has_member (metadata, "protocols"))
        {
          g_auto(GStrv) protocols = boto_service_model_get_protocols (model);

          g_assert_true (g_strv_contains ((const char * const *) protocols,
                                          boto_service_model_get_protocol (model)));
        }
      else
        g_assert_cmpstr (boto_service_model_get_protocol (model), ==,
                         json_object_get_string_member (metadata, "protocol"));

      op = boto_service_model_get_operation (model, op_name, &error);
      g_assert_no_error (error);

      if (json_object_has_member (given, "input"))
        check_shape (model, shapes, boto_operation_model_get_input_shape (op), seen);
      else
        g_assert_null (boto_operation_model_get_input_shape (op));
      if (json_object_has_member (given, "output"))
        check_shape (model, shapes, boto_operation_model_get_output_shape (op), seen);
    }

  return n;
}

static void
test_suite_file (gconstpointer data)
{
  const char *relpath = data;
  g_autofree char *path = g_build_filename (conformance_dir, "protocols", relpath, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *suites;
  guint cases = 0;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);

  suites = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (suites); i++)
    cases += check_suite (json_array_get_object_element (suites, i));

  g_test_message ("%s: %u suites, %u cases", relpath, json_array_get_length (suites), cases);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

int
main (int   argc,
      char *argv[])
{
  static const char * const folders[] = { "input", "output", "legacy/input", "legacy/output" };
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);

  g_test_init (&argc, &argv, NULL);

  conformance_dir = g_getenv ("BOTO_CONFORMANCE_DIR");
  if (conformance_dir == NULL)
    g_error ("BOTO_CONFORMANCE_DIR is not set");

  for (guint f = 0; f < G_N_ELEMENTS (folders); f++)
    {
      g_autofree char *dir_path = g_build_filename (conformance_dir, "protocols", folders[f], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GDir) dir = g_dir_open (dir_path, 0, &error);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      if (dir == NULL)
        g_error ("Cannot read the conformance suites: %s", error->message);

      while ((name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_suffix (name, ".json"))
          g_ptr_array_add (names, g_strdup (name));
      g_ptr_array_sort (names, compare_names);

      for (guint i = 0; i < names->len; i++)
        {
          char *relpath = g_build_filename (folders[f], names->pdata[i], NULL);
          g_autofree char *test_path = g_strdup_printf ("/boto/conformance/protocol-models/%s", relpath);

          g_ptr_array_add (files, relpath);
          g_test_add_data_func (test_path, relpath, test_suite_file);
        }
    }

  g_assert_cmpuint (files->len, >=, 15);
  return g_test_run ();
}
