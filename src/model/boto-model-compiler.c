/* boto-model-compiler.c: turning model JSON into the compiled form
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "boto-error.h"
#include "boto-model-private.h"

typedef struct
{
  const char *name;
  JsonNode   *node;
} ObjectMember;

static int
compare_object_members (gconstpointer a,
                        gconstpointer b)
{
  const ObjectMember *ma = a;
  const ObjectMember *mb = b;

  return strcmp (ma->name, mb->name);
}

static GVariant *
node_to_variant (JsonNode *node,
                 guint     depth)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) names = json_object_get_members (object);
        g_autoptr(GArray) members = g_array_new (FALSE, FALSE, sizeof (ObjectMember));
        GVariantBuilder builder;

        for (GList *l = names; l != NULL; l = l->next)
          {
            ObjectMember m = { l->data, json_object_get_member (object, l->data) };
            g_array_append_val (members, m);
          }

        /* See boto-model-private.h: top two levels sorted, the rest in order. */
        if (depth < 2)
          g_array_sort (members, compare_object_members);

        g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
        for (guint i = 0; i < members->len; i++)
          {
            ObjectMember *m = &g_array_index (members, ObjectMember, i);
            g_variant_builder_add (&builder, "{sv}", m->name,
                                   node_to_variant (m->node, depth + 1));
          }
        return g_variant_builder_end (&builder);
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);
        GVariantBuilder builder;

        g_variant_builder_init (&builder, G_VARIANT_TYPE ("av"));
        for (guint i = 0; i < n; i++)
          g_variant_builder_add (&builder, "v",
                                 node_to_variant (json_array_get_element (array, i), depth + 1));
        return g_variant_builder_end (&builder);
      }

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          return g_variant_new_int64 (json_node_get_int (node));
        case G_TYPE_DOUBLE:
          return g_variant_new_double (json_node_get_double (node));
        case G_TYPE_BOOLEAN:
          return g_variant_new_boolean (json_node_get_boolean (node));
        case G_TYPE_STRING:
          return g_variant_new_string (json_node_get_string (node));
        default:
          break;
        }
      G_GNUC_FALLTHROUGH;

    case JSON_NODE_NULL:
    default:
      return g_variant_new_maybe (G_VARIANT_TYPE_VARIANT, NULL);
    }
}

/*
 * boto_model_compile_json:
 * @json: the text of a model file (service-2.json, paginators-1.json …)
 *
 * Turns a model file into the serialized variant the model layer reads.
 * The build uses this to precompile the shipped models; at run time it reads
 * models found in AWS_DATA_PATH or in an installed botocore.
 *
 * Returns: (transfer full): a serialized `a{sv}`, or %NULL with @error set
 */
GVariant *
boto_model_compile_json (GBytes  *json,
                         GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GVariant) tree = NULL;
  g_autoptr(GBytes) serialized = NULL;
  gsize size;
  const char *text = g_bytes_get_data (json, &size);
  JsonNode *root;

  if (!json_parser_load_from_data (parser, text, size, &local_error))
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                   "Model is not valid JSON: %s", local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                           "Model is not a JSON object");
      return NULL;
    }

  tree = g_variant_ref_sink (node_to_variant (root, 0));
  serialized = g_variant_get_data_as_bytes (tree);
  return g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT, serialized, TRUE));
}

