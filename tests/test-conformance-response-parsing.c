/* test-conformance-response-parsing.c: real service responses and what
 * botocore makes of them
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * Runs every pair of ../shared/conformance/response-parsing/ (see its
 * README): each XML body of xml/responses/ parsed as a 200 answer and each
 * of xml/errors/ as a 400 answer of the operation its name gives
 * (`<service>-<operation in kebab case>[#n]`), and each JSON body of
 * json/errors/ as a 400 answer, compared with the result botocore's parser
 * gives.
 *
 * As in botocore's runner, the headers are empty unless the body holds a
 * `__headers__` key, and ResponseMetadata also has HTTPStatusCode and
 * HTTPHeaders. botocore's runner keeps timestamps as the text of the
 * response; ours are microseconds (DESIGN.md), so an expected timestamp is
 * parsed and compared to the microsecond. Bytes compare as their text.
 *
 * botocore skips four files that need its after-call handlers (IAM policy
 * documents, CloudFormation's JSON template, S3 GetBucketLocation); here
 * the client's own handlers (boto_client_handle_result) run on every
 * result, so those run too. Nothing is skipped. Six EC2 bodies hold the
 * placeholder text `YYYY-MM-DDTHH:MM:SS.000Z` where a timestamp goes:
 * botocore's runner passes them only because it keeps timestamps as text,
 * and botocore's parser refuses them ("Invalid timestamp"); they are listed
 * in response-parsing-refusals.txt, and the runner requires that we refuse
 * them too.
 *
 * The models are botocore's (the runner's README asks for the full ones):
 * those of the installed botocore (BOTO_BOTOCORE_DATA, set by meson) come
 * first through AWS_DATA_PATH. Prints
 * `response-parsing: N passed (K of them refused …), M failed, 0 skipped`.
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <boto-glib/boto-glib.h>

#include "boto-client-private.h"
#include "boto-protocol-parser-private.h"
#include "protocol-suites.h"
#include "test-utils.h"

typedef struct
{
  guint passed, failed, refused;
} Counts;

static GHashTable *refusals;   /* path under response-parsing/ → reason */

static void
load_refusals (void)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  refusals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_assert_true (g_file_get_contents (REFUSALS_FILE, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *tab = strchr (lines[i], '\t');

      if (lines[i][0] == '#' || tab == NULL)
        continue;
      *tab = '\0';
      g_hash_table_insert (refusals, g_strdup (lines[i]), g_strdup (tab + 1));
    }
}

static gboolean compare (GVariant   *ours,
                         BotoShape  *shape,
                         JsonNode   *expected,
                         GString    *path);

static gboolean
compare_generic (GVariant *ours,
                 JsonNode *expected,
                 GString  *path)
{
  g_autoptr(JsonNode) actual = protocol_generic_to_json (ours);

  if (protocol_json_equal (actual, expected))
    return TRUE;
  {
    g_autofree char *a = json_to_string (actual, FALSE);
    g_autofree char *e = json_to_string (expected, FALSE);

    g_string_append_printf (path, ": %s, expected %s", a, e);
  }
  return FALSE;
}

static gboolean
compare_timestamp (GVariant *ours,
                   JsonNode *expected,
                   GString  *path)
{
  gint64 usec = g_variant_get_int64 (ours);
  gint64 want;

  if (JSON_NODE_HOLDS_VALUE (expected) && json_node_get_value_type (expected) == G_TYPE_STRING)
    {
      if (!boto_protocol_parse_timestamp (json_node_get_string (expected), &want))
        {
          g_string_append_printf (path, ": expected timestamp “%s” does not parse",
                                  json_node_get_string (expected));
          return FALSE;
        }
    }
  else if (JSON_NODE_HOLDS_VALUE (expected))
    want = (gint64) (json_node_get_double (expected) * G_USEC_PER_SEC);
  else
    return compare_generic (ours, expected, path);
  if (usec == want)
    return TRUE;
  g_string_append_printf (path, ": %" G_GINT64_FORMAT " µs, expected %" G_GINT64_FORMAT, usec, want);
  return FALSE;
}

/* The members of @ours (a{sv} or a dictionary) against @expected's, by
 * name, each compared with @value_shape (a map's) or @shape's member. */
static gboolean
compare_object (GVariant  *ours,
                BotoShape *shape,
                BotoShape *value_shape,
                JsonNode  *expected,
                GString   *path)
{
  JsonObject *object = json_node_get_object (expected);
  gsize mark = path->len;
  GVariantIter iter;
  GVariant *entry;
  guint n = 0;

  g_variant_iter_init (&iter, ours);
  while ((entry = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_autoptr(GVariant) key = g_variant_get_child_value (entry, 0);
      g_autoptr(GVariant) item = g_variant_get_child_value (entry, 1);
      const char *name = g_variant_get_string (key, NULL);

      g_variant_unref (entry);
      n++;
      g_string_append_printf (path, ".%s", name);
      if (!json_object_has_member (object, name))
        {
          g_string_append (path, ": not expected");
          return FALSE;
        }
      if (!compare (item, value_shape != NULL ? value_shape : boto_shape_get_member (shape, name),
                    json_object_get_member (object, name), path))
        return FALSE;
      g_string_truncate (path, mark);
    }
  if (n != json_object_get_size (object))
    {
      g_autoptr(GList) names = json_object_get_members (object);

      for (GList *l = names; l != NULL; l = l->next)
        {
          g_autoptr(GVariant) found = g_variant_lookup_value (ours, l->data, NULL);

          if (found == NULL)
            {
              g_string_append_printf (path, ".%s: missing", (const char *) l->data);
              return FALSE;
            }
        }
    }
  return TRUE;
}

static gboolean
compare (GVariant  *ours,
         BotoShape *shape,
         JsonNode  *expected,
         GString   *path)
{
  if (g_variant_is_of_type (ours, G_VARIANT_TYPE_VARIANT))
    {
      g_autoptr(GVariant) inner = g_variant_get_variant (ours);

      return compare (inner, shape, expected, path);
    }
  if (g_variant_is_of_type (ours, G_VARIANT_TYPE_MAYBE))
    {
      g_autoptr(GVariant) inner = g_variant_get_maybe (ours);

      if (inner == NULL)
        return compare_generic (ours, expected, path);
      return compare (inner, shape, expected, path);
    }
  if (shape == NULL)
    return compare_generic (ours, expected, path);

  switch (boto_shape_get_shape_type (shape))
    {
    case BOTO_SHAPE_TYPE_STRUCTURE:
      if (g_variant_is_of_type (ours, G_VARIANT_TYPE_VARDICT) && JSON_NODE_HOLDS_OBJECT (expected))
        return compare_object (ours, shape, NULL, expected, path);
      break;
    case BOTO_SHAPE_TYPE_MAP:
      if (g_variant_is_of_type (ours, G_VARIANT_TYPE_DICTIONARY) && JSON_NODE_HOLDS_OBJECT (expected))
        return compare_object (ours, shape, boto_shape_get_map_value (shape), expected, path);
      break;
    case BOTO_SHAPE_TYPE_LIST:
      if (g_variant_is_of_type (ours, G_VARIANT_TYPE_ARRAY) && JSON_NODE_HOLDS_ARRAY (expected))
        {
          JsonArray *array = json_node_get_array (expected);
          gsize n = g_variant_n_children (ours);
          gsize mark = path->len;

          if (n != json_array_get_length (array))
            {
              g_string_append_printf (path, ": %" G_GSIZE_FORMAT " items, expected %u", n,
                                      json_array_get_length (array));
              return FALSE;
            }
          for (gsize i = 0; i < n; i++)
            {
              g_autoptr(GVariant) item = g_variant_get_child_value (ours, i);

              g_string_append_printf (path, "[%" G_GSIZE_FORMAT "]", i);
              if (!compare (item, boto_shape_get_list_member (shape), json_array_get_element (array, i), path))
                return FALSE;
              g_string_truncate (path, mark);
            }
          return TRUE;
        }
      break;
    case BOTO_SHAPE_TYPE_TIMESTAMP:
      if (g_variant_is_of_type (ours, G_VARIANT_TYPE_INT64))
        return compare_timestamp (ours, expected, path);
      break;
    default:
      break;
    }
  return compare_generic (ours, expected, path);
}

static BotoOperationModel *
find_operation (BotoServiceModel *model,
                const char       *kebab)
{
  g_auto(GStrv) names = boto_service_model_get_operation_names (model);
  g_autofree char *snake = g_strdelimit (g_strdup (kebab), "-", '_');

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *xformed = boto_xform_name (names[i]);

      if (strcmp (xformed, snake) == 0)
        return boto_service_model_get_operation (model, names[i], NULL);
    }
  return NULL;
}

/* One response file: @path's body, @expected_path's parsed result. */
static gboolean
run_pair (const char  *path,
          const char  *expected_path,
          guint        status,
          const char  *refusal,
          char       **out_report)
{
  g_autofree char *basename = g_path_get_basename (path);
  g_autofree char *stem = g_strndup (basename, strrchr (basename, '.') - basename);
  char *dash = strchr (stem, '-');
  char *hash;
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoServiceModel) model = NULL;
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(JsonParser) expected_parser = json_parser_new ();
  g_autoptr(JsonObject) header_object = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GVariant) parsed = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GString) where = g_string_new ("");
  g_autofree char *contents = NULL;
  BotoOperationModel *op;
  JsonObject *expected;
  JsonObject *metadata;
  gboolean is_error = FALSE;
  gsize length;

  g_assert_nonnull (dash);
  *dash = '\0';
  if ((hash = strchr (dash + 1, '#')) != NULL)
    *hash = '\0';
  model = boto_service_model_load (stem, &error);
  if (model == NULL)
    {
      *out_report = g_strdup_printf ("no model: %s", error->message);
      return FALSE;
    }
  op = find_operation (model, dash + 1);
  if (op == NULL)
    {
      *out_report = g_strdup_printf ("no operation %s in %s", dash + 1, stem);
      return FALSE;
    }

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  if (strstr (contents, "__headers__") != NULL)
    {
      /* A JSON body whose __headers__ are the response's headers. */
      g_autoptr(JsonParser) body_parser = json_parser_new ();
      JsonObject *object;
      g_autofree char *rest = NULL;

      g_assert_true (json_parser_load_from_data (body_parser, contents, length, NULL));
      object = json_node_get_object (json_parser_get_root (body_parser));
      header_object = json_object_ref (json_object_get_object_member (object, "__headers__"));
      json_object_remove_member (object, "__headers__");
      test_append_json_headers (headers, header_object);
      rest = json_to_string (json_parser_get_root (body_parser), FALSE);
      length = strlen (rest);
      body = g_bytes_new_take (g_steal_pointer (&rest), length);
    }
  if (body == NULL)
    body = g_bytes_new_take (g_steal_pointer (&contents), length);

  /* As the client reads a response: its header step, the parser, then
   * its result handlers (below). */
  {
    g_autoptr(SoupMessageHeaders) for_parsing =
      boto_client_headers_for_parsing (boto_service_model_get_service_name (model), op, headers);

    parsed = boto_protocol_parse_response (op, boto_service_model_get_protocol (model), status, for_parsing,
                                           body, &is_error, &error);
  }
  if (refusal != NULL)
    {
      /* botocore's own parser refuses this body too: so must we. */
      if (parsed != NULL)
        {
          *out_report = g_strdup_printf ("parsed, though listed as refused (%s)", refusal);
          return FALSE;
        }
      g_printerr ("response-parsing: %s refused as listed: %s\n", path, error->message);
      return TRUE;
    }
  if (parsed == NULL)
    {
      *out_report = g_strdup_printf ("parse failed: %s", error->message);
      return FALSE;
    }
  result = is_error ? g_variant_ref (parsed)
                    : boto_client_handle_result (boto_service_model_get_service_name (model), op, parsed, body,
                                                 headers);

  g_assert_true (json_parser_load_from_file (expected_parser, expected_path, NULL));
  expected = json_node_get_object (json_parser_get_root (expected_parser));
  /* botocore's runner fills these two from the response. */
  metadata = json_object_get_object_member (expected, "ResponseMetadata");
  json_object_set_int_member (metadata, "HTTPStatusCode", status);
  json_object_set_object_member (metadata, "HTTPHeaders",
                                 header_object != NULL ? json_object_ref (header_object) : json_object_new ());

  {
    g_autoptr(JsonNode) expected_node = json_node_init_object (json_node_alloc (), expected);
    BotoShape *output = is_error ? NULL : boto_operation_model_get_output_shape (op);
    gsize mark;
    GVariantIter iter;
    const char *name;
    GVariant *item;

    BotoShape *error_shape = NULL;

    if (is_error)
      {
        g_autoptr(GVariant) error_dict = g_variant_lookup_value (result, "Error", G_VARIANT_TYPE_VARDICT);
        const char *code = NULL;

        if (error_dict != NULL && g_variant_lookup (error_dict, "Code", "&s", &code))
          error_shape = protocol_find_error_shape (model, op, code);
      }

    /* The top level: the output's members by shape, the rest (Error,
     * ResponseMetadata) as they are. */
    g_variant_iter_init (&iter, result);
    while (g_variant_iter_next (&iter, "{&sv}", &name, &item))
      {
        g_autoptr(GVariant) owned = item;

        /* Our parser adds the error shape's members to an error result;
         * botocore adds them after its parser (in its endpoint), so this
         * suite, which tests the parser, does not list them. */
        if (error_shape != NULL && boto_shape_get_member (error_shape, name) != NULL)
          continue;

        g_string_append (where, name);
        mark = where->len;
        if (!json_object_has_member (expected, name))
          {
            g_string_append (where, ": not expected");
            *out_report = g_strdup (where->str);
            return FALSE;
          }
        if (strcmp (name, "ResponseMetadata") == 0)
          {
            /* RetryAttempts is the client's (botocore adds it after
             * parsing, in its endpoint); the rest is the parser's. */
            g_autoptr(JsonNode) actual = protocol_generic_to_json (item);

            json_object_remove_member (json_node_get_object (actual), "RetryAttempts");
            if (!protocol_json_equal (actual, json_object_get_member (expected, name)))
              {
                g_autofree char *a = json_to_string (actual, FALSE);
                g_autofree char *e = json_to_string (json_object_get_member (expected, name), FALSE);

                *out_report = g_strdup_printf ("ResponseMetadata: %s, expected %s", a, e);
                return FALSE;
              }
          }
        else if (!compare (item, output != NULL ? boto_shape_get_member (output, name) : NULL,
                           json_object_get_member (expected, name), where))
          {
            *out_report = g_strdup (where->str);
            return FALSE;
          }
        g_string_truncate (where, mark - strlen (name));
      }
    {
      g_autoptr(GList) names = json_object_get_members (expected);

      for (GList *l = names; l != NULL; l = l->next)
        if (!g_variant_lookup (result, l->data, "*", NULL))
          {
            *out_report = g_strdup_printf ("%s: missing", (const char *) l->data);
            return FALSE;
          }
    }
  }
  return TRUE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
run_dir (const char *base,
         const char *list_name,
         const char *expected_list,
         const char *suffix,
         guint       status,
         Counts     *counts)
{
  g_autofree char *dir = g_build_filename (base, list_name, NULL);
  g_autofree char *expected_dir = g_build_filename (base, expected_list, NULL);
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    if (g_str_has_suffix (name, suffix))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_assert_cmpuint (names->len, >, 0);

  for (guint i = 0; i < names->len; i++)
    {
      const char *file = names->pdata[i];
      g_autofree char *path = g_build_filename (dir, file, NULL);
      g_autofree char *stem = g_strndup (file, strlen (file) - strlen (suffix));
      g_autofree char *expected_name = g_strconcat (stem, ".json", NULL);
      g_autofree char *expected_path = g_build_filename (expected_dir, expected_name, NULL);
      g_autofree char *report = NULL;
      g_autofree char *key = g_strconcat (list_name, "/", file, NULL);
      const char *refusal = g_hash_table_lookup (refusals, key);

      if (run_pair (path, expected_path, status, refusal, &report))
        {
          counts->passed++;
          if (refusal != NULL)
            counts->refused++;
        }
      else
        {
          g_printerr ("response-parsing: FAIL %s: %s\n", path, report);
          counts->failed++;
        }
    }
}

static void
test_response_parsing (void)
{
  g_autofree char *base = g_build_filename (g_getenv ("BOTO_CONFORMANCE_DIR"), "response-parsing", NULL);
  Counts counts = { 0, 0, 0 };

  load_refusals ();
  run_dir (base, "xml/responses", "xml/responses", ".xml", 200, &counts);
  run_dir (base, "xml/errors", "xml/errors", ".xml", 400, &counts);
  run_dir (base, "json/errors", "json/expected", ".json", 400, &counts);
  g_assert_cmpuint (counts.refused, ==, g_hash_table_size (refusals));
  g_clear_pointer (&refusals, g_hash_table_unref);
  g_printerr ("response-parsing: %u passed (%u of them refused as botocore's parser refuses them), "
              "%u failed, 0 skipped\n", counts.passed, counts.refused, counts.failed);
  g_assert_cmpuint (counts.failed, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  const char *botocore_data = g_getenv ("BOTO_BOTOCORE_DATA");

  /* Before any thread exists: the full models come first. */
  if (botocore_data != NULL && *botocore_data != '\0')
    g_setenv ("AWS_DATA_PATH", botocore_data, TRUE);
  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("BOTO_CONFORMANCE_DIR") == NULL)
    {
      g_printerr ("BOTO_CONFORMANCE_DIR is not set\n");
      return 77;
    }
  g_test_add_func ("/boto/conformance/response-parsing", test_response_parsing);
  return g_test_run ();
}
