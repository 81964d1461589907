/* boto-model-loader.c: finding model files
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "boto-error.h"
#include "boto-model-private.h"
#include "boto-model-loader-private.h"

/*
 * Models are looked up as botocore looks them up, in three kinds of place:
 *
 *  1. the folders of AWS_DATA_PATH (colon-separated, `~` expanded) and
 *     ~/.aws/models, laid out as botocore's data folder:
 *     <folder>/<service>/<api-version>/<type>.json (or .json.gz);
 *  2. the models compiled into the library (resources-json/, as a GResource
 *     of precompiled variants under BOTO_MODEL_RESOURCE_ROOT);
 *  3. the data folder of an installed botocore, for the services that the
 *     first two do not have.
 *
 * Among 1 and 2 the newest API version wins, as in botocore (which takes the
 * newest version across all its search paths); for that version the first
 * place in the order above that has it is used.
 */

#define BOTO_MODEL_RESOURCE_ROOT "/boto-glib/models"

typedef enum {
  PLACE_FOLDER,
  PLACE_RESOURCE,
} PlaceKind;

typedef struct {
  PlaceKind  kind;
  char      *path;
} Place;

static void
place_clear (gpointer p)
{
  Place *place = p;

  g_free (place->path);
}

static char *
expand_user (const char *path)
{
  if (path[0] == '~' && (path[1] == '/' || path[1] == '\0'))
    return g_build_filename (g_get_home_dir (), path + 1, NULL);

  return g_strdup (path);
}

static void
add_folder (GArray     *places,
            const char *path)
{
  Place place = { PLACE_FOLDER, expand_user (path) };

  g_array_append_val (places, place);
}

/* The places of kinds 1 and 2, in search order. */
static GArray *
primary_places (void)
{
  GArray *places = g_array_new (FALSE, TRUE, sizeof (Place));
  const char *data_path = g_getenv ("AWS_DATA_PATH");
  Place resource = { PLACE_RESOURCE, g_strdup (BOTO_MODEL_RESOURCE_ROOT) };

  g_array_set_clear_func (places, place_clear);

  if (data_path != NULL && data_path[0] != '\0')
    {
      g_auto(GStrv) parts = g_strsplit (data_path, G_SEARCHPATH_SEPARATOR_S, -1);

      for (guint i = 0; parts[i] != NULL; i++)
        if (parts[i][0] != '\0')
          add_folder (places, parts[i]);
    }

  {
    g_autofree char *aws_models = g_build_filename (g_get_home_dir (), ".aws", "models", NULL);
    Place place = { PLACE_FOLDER, g_steal_pointer (&aws_models) };

    g_array_append_val (places, place);
  }

  g_array_append_val (places, resource);
  return places;
}

static void
add_botocore_candidates (GPtrArray  *found,
                         const char *lib_dir)
{
  g_autoptr(GDir) dir = g_dir_open (lib_dir, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (!g_str_has_prefix (name, "python3"))
        continue;

      for (guint i = 0; i < 2; i++)
        {
          g_autofree char *data = g_build_filename (lib_dir, name,
                                                    i == 0 ? "site-packages" : "dist-packages",
                                                    "botocore", "data", NULL);
          if (g_file_test (data, G_FILE_TEST_IS_DIR) &&
              !g_ptr_array_find_with_equal_func (found, data, g_str_equal, NULL))
            g_ptr_array_add (found, g_steal_pointer (&data));
        }
    }
}

/* The `lib` folder beside the `bin` folder of the running program, if it was
 * started as …/bin/python…: a virtualenv's Python started without activating
 * the virtualenv sets no variable, yet its botocore is the one a user means. */
static char *
program_lib_dir (void)
{
  g_autofree char *cmdline = NULL;
  g_autofree char *bin_dir = NULL;
  g_autofree char *prefix = NULL;

  if (!g_file_get_contents ("/proc/self/cmdline", &cmdline, NULL, NULL))
    return NULL;

  /* argv[0] is the first NUL-terminated string. */
  {
    g_autofree char *base = g_path_get_basename (cmdline);

    if (!g_str_has_prefix (base, "python"))
      return NULL;
  }

  bin_dir = g_path_get_dirname (cmdline);
  if (!g_str_has_suffix (bin_dir, "bin"))
    return NULL;
  prefix = g_path_get_dirname (bin_dir);
  return g_build_filename (prefix, "lib", NULL);
}

/* The data folders of installed botocores (kind 3), found once. */
static GPtrArray *
botocore_places (void)
{
  static GPtrArray *places;

  if (g_once_init_enter (&places))
    {
      GPtrArray *found = g_ptr_array_new_with_free_func (g_free);
      const char *venv = g_getenv ("VIRTUAL_ENV");
      g_autofree char *user_lib = g_build_filename (g_get_home_dir (), ".local", "lib", NULL);
      g_autofree char *venv_lib = NULL;
      g_autofree char *program_lib = program_lib_dir ();

      if (venv != NULL && venv[0] != '\0')
        {
          venv_lib = g_build_filename (venv, "lib", NULL);
          add_botocore_candidates (found, venv_lib);
        }
      if (program_lib != NULL)
        add_botocore_candidates (found, program_lib);
      add_botocore_candidates (found, user_lib);
      add_botocore_candidates (found, "/usr/local/lib");
      if (g_file_test ("/usr/lib/python3/dist-packages/botocore/data", G_FILE_TEST_IS_DIR))
        g_ptr_array_add (found, g_strdup ("/usr/lib/python3/dist-packages/botocore/data"));

      g_once_init_leave (&places, found);
    }

  return places;
}

/* The file of @type_name in @folder, plain or gzipped, or NULL. */
static char *
find_model_file (const char *folder,
                 const char *type_name)
{
  g_autofree char *base = g_build_filename (folder, type_name, NULL);
  g_autofree char *plain = g_strconcat (base, ".json", NULL);
  g_autofree char *gzipped = NULL;

  if (g_file_test (plain, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&plain);

  gzipped = g_strconcat (base, ".json.gz", NULL);
  if (g_file_test (gzipped, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&gzipped);

  return NULL;
}

static char *
resource_path (const char *service_name,
               const char *api_version,
               const char *type_name)
{
  return g_strdup_printf (BOTO_MODEL_RESOURCE_ROOT "/%s/%s/%s.gvariant",
                          service_name, api_version, type_name);
}

static gboolean
place_has (const Place *place,
           const char  *service_name,
           const char  *api_version,
           const char  *type_name)
{
  if (place->kind == PLACE_RESOURCE)
    {
      g_autofree char *path = resource_path (service_name, api_version, type_name);

      return g_resources_get_info (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL, NULL, NULL);
    }
  else
    {
      g_autofree char *folder = g_build_filename (place->path, service_name, api_version, NULL);
      g_autofree char *file = find_model_file (folder, type_name);

      return file != NULL;
    }
}

/* Adds to @versions the API versions of @service_name at @place that have @type_name. */
static void
collect_versions (const Place *place,
                  const char  *service_name,
                  const char  *type_name,
                  GPtrArray   *versions)
{
  if (place->kind == PLACE_RESOURCE)
    {
      g_autofree char *path = g_strdup_printf (BOTO_MODEL_RESOURCE_ROOT "/%s/", service_name);
      g_auto(GStrv) children = g_resources_enumerate_children (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

      for (guint i = 0; children != NULL && children[i] != NULL; i++)
        {
          g_autofree char *version = g_strndup (children[i], strcspn (children[i], "/"));

          if (place_has (place, service_name, version, type_name))
            g_ptr_array_add (versions, g_steal_pointer (&version));
        }
    }
  else
    {
      g_autofree char *folder = g_build_filename (place->path, service_name, NULL);
      g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
      const char *name;

      if (dir == NULL)
        return;

      while ((name = g_dir_read_name (dir)) != NULL)
        if (place_has (place, service_name, name, type_name))
          g_ptr_array_add (versions, g_strdup (name));
    }
}

static const char *
newest_version (GPtrArray *versions)
{
  const char *newest = NULL;

  for (guint i = 0; i < versions->len; i++)
    if (newest == NULL || strcmp (versions->pdata[i], newest) > 0)
      newest = versions->pdata[i];

  return newest;
}

static GBytes *
gunzip (GBytes  *compressed,
        GError **error)
{
  g_autoptr(GZlibDecompressor) decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GInputStream) raw = g_memory_input_stream_new_from_bytes (compressed);
  g_autoptr(GInputStream) stream = g_converter_input_stream_new (raw, G_CONVERTER (decompressor));
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

  if (g_output_stream_splice (out, stream,
                              G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                              NULL, error) < 0)
    return NULL;

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

/* The bytes of a model file, gunzipped when it ends in .gz. */
static GBytes *
read_model_file (const char  *path,
                 GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                   "Cannot read model file %s: %s", path, local_error->message);
      return NULL;
    }
  bytes = g_bytes_new_take (contents, length);

  if (g_str_has_suffix (path, ".gz"))
    {
      g_autoptr(GBytes) compressed = g_steal_pointer (&bytes);

      bytes = gunzip (compressed, &local_error);
      if (bytes == NULL)
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                       "Cannot decompress model file %s: %s", path, local_error->message);
          return NULL;
        }
    }
  return g_steal_pointer (&bytes);
}

/* Merges the object @extra into @model, recursively; any other value of
 * @extra replaces @model's (botocore's merge of sdk-extras files). */
static void
merge_into (JsonObject *model,
            JsonObject *extra)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_object_iter_init (&iter, extra);
  while (json_object_iter_next (&iter, &name, &value))
    {
      JsonNode *current = json_object_get_member (model, name);

      if (JSON_NODE_HOLDS_OBJECT (value) && current != NULL && JSON_NODE_HOLDS_OBJECT (current))
        merge_into (json_node_get_object (current), json_node_get_object (value));
      else
        json_object_set_member (model, name, json_node_copy (value));
    }
}

/* @model's JSON with the `merge` object of @extras_path merged in. */
static GBytes *
merge_extras (GBytes      *model,
              const char  *path,
              const char  *extras_path,
              GError     **error)
{
  g_autoptr(GBytes) extras = read_model_file (extras_path, error);
  g_autoptr(JsonParser) model_parser = json_parser_new_immutable ();
  g_autoptr(JsonParser) extras_parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  JsonNode *root, *extras_root;
  JsonObject *merge = NULL;
  char *text;
  gsize length;

  if (extras == NULL)
    return NULL;
  if (!json_parser_load_from_data (model_parser, g_bytes_get_data (model, NULL), g_bytes_get_size (model),
                                   &local_error) ||
      !JSON_NODE_HOLDS_OBJECT (root = json_parser_get_root (model_parser)))
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL, "%s: %s", path,
                   local_error != NULL ? local_error->message : "not a JSON object");
      return NULL;
    }
  if (!json_parser_load_from_data (extras_parser, g_bytes_get_data (extras, NULL), g_bytes_get_size (extras),
                                   &local_error) ||
      !JSON_NODE_HOLDS_OBJECT (extras_root = json_parser_get_root (extras_parser)))
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL, "%s: %s", extras_path,
                   local_error != NULL ? local_error->message : "not a JSON object");
      return NULL;
    }
  if (json_object_has_member (json_node_get_object (extras_root), "merge"))
    {
      JsonNode *node = json_object_get_member (json_node_get_object (extras_root), "merge");

      if (JSON_NODE_HOLDS_OBJECT (node))
        merge = json_node_get_object (node);
    }
  if (merge == NULL)
    return g_bytes_ref (model);

  /* The parser's tree is immutable: merge into a copy. */
  root = json_node_copy (root);
  merge_into (json_node_get_object (root), merge);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  json_node_unref (root);
  text = json_generator_to_data (generator, &length);
  return g_bytes_new_take (text, length);
}

/* A model file, with its `<type>.sdk-extras.json` merged in when the
 * folder has one (as botocore's loader does). */
static GVariant *
load_file (const char  *path,
           const char  *extras_path,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = read_model_file (path, error);
  GVariant *compiled;

  if (bytes == NULL)
    return NULL;
  if (extras_path != NULL)
    {
      GBytes *merged = merge_extras (bytes, path, extras_path, error);

      if (merged == NULL)
        return NULL;
      g_bytes_unref (bytes);
      bytes = merged;
    }

  compiled = boto_model_compile_json (bytes, &local_error);
  if (compiled == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                   "%s: %s", path, local_error->message);
      return NULL;
    }

  return compiled;
}

static GVariant *
load_resource (const char  *path,
               GError     **error)
{
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);

  if (bytes == NULL)
    return NULL;

  /* Written by boto-compile-model at build time: trusted, mapped in place. */
  return g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT, bytes, TRUE));
}

static GVariant *
load_from_place (const Place *place,
                 const char  *service_name,
                 const char  *api_version,
                 const char  *type_name,
                 GError     **error)
{
  if (place->kind == PLACE_RESOURCE)
    {
      g_autofree char *path = resource_path (service_name, api_version, type_name);

      return load_resource (path, error);
    }
  else
    {
      g_autofree char *folder = g_build_filename (place->path, service_name, api_version, NULL);
      g_autofree char *file = find_model_file (folder, type_name);
      g_autofree char *extras_type = g_strconcat (type_name, ".sdk-extras", NULL);
      g_autofree char *extras = find_model_file (folder, extras_type);

      return load_file (file, extras, error);
    }
}

static char *
format_known_services (const char *type_name)
{
  g_auto(GStrv) names = boto_model_loader_list_services (type_name);
  g_autofree char *joined = g_strjoinv (", ", names);

  return g_steal_pointer (&joined);
}

/*
 * boto_model_loader_load:
 * @service_name: a service name as boto3 spells it (`s3`, `ec2` …)
 * @type_name: the model kind: `service-2`, `paginators-1`, `waiters-2` …
 * @api_version: (nullable): the API version, or %NULL for the newest
 * @out_api_version: (out) (optional): the API version loaded
 *
 * Returns: (transfer full): the compiled model, or %NULL with @error set
 */
GVariant *
boto_model_loader_load (const char  *service_name,
                        const char  *type_name,
                        const char  *api_version,
                        char       **out_api_version,
                        GError     **error)
{
  g_autoptr(GArray) places = primary_places ();
  g_autoptr(GPtrArray) versions = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *botocore = NULL;
  const char *version = api_version;
  GVariant *result;

  g_return_val_if_fail (service_name != NULL, NULL);
  g_return_val_if_fail (type_name != NULL, NULL);

  if (service_name[0] == '\0' || strchr (service_name, '/') != NULL ||
      strcmp (service_name, ".") == 0 || strcmp (service_name, "..") == 0)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_SERVICE,
                   "Invalid service name “%s”", service_name);
      return NULL;
    }

  for (guint pass = 0; pass < 2; pass++)
    {
      if (pass == 1)
        {
          /* Only what the first places lack comes from botocore. */
          botocore = botocore_places ();
          g_array_set_size (places, 0);
          for (guint i = 0; i < botocore->len; i++)
            add_folder (places, botocore->pdata[i]);
        }

      if (version == NULL)
        {
          for (guint i = 0; i < places->len; i++)
            collect_versions (&g_array_index (places, Place, i), service_name, type_name, versions);
          version = newest_version (versions);
          if (version == NULL)
            continue;
        }

      for (guint i = 0; i < places->len; i++)
        {
          const Place *place = &g_array_index (places, Place, i);

          if (!place_has (place, service_name, version, type_name))
            continue;

          result = load_from_place (place, service_name, version, type_name, error);
          if (result != NULL && out_api_version != NULL)
            *out_api_version = g_strdup (version);
          return result;
        }

      if (api_version == NULL)
        version = NULL;
    }

  if (api_version != NULL)
    g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_SERVICE,
                 "No %s model for service “%s” at API version %s",
                 type_name, service_name, api_version);
  else if (strcmp (type_name, "service-2") == 0)
    {
      g_autofree char *known = format_known_services (type_name);

      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_SERVICE,
                   "Unknown service: “%s”. Valid service names are: %s",
                   service_name, known);
    }
  else
    g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_SERVICE,
                 "No %s model for service “%s”", type_name, service_name);

  return NULL;
}

/*
 * boto_model_loader_load_partitions:
 *
 * Loads `partitions.json`, from the same places as the service models.
 *
 * Returns: (transfer full): the compiled partitions, or %NULL with @error set
 */
GVariant *
boto_model_loader_load_partitions (GError **error)
{
  g_autoptr(GArray) places = primary_places ();
  GPtrArray *botocore = botocore_places ();

  for (guint i = 0; i < places->len; i++)
    {
      const Place *place = &g_array_index (places, Place, i);

      if (place->kind == PLACE_RESOURCE)
        return load_resource (BOTO_MODEL_RESOURCE_ROOT "/partitions.gvariant", error);
      else
        {
          g_autofree char *file = find_model_file (place->path, "partitions");

          if (file != NULL)
            return load_file (file, NULL, error);
        }
    }

  for (guint i = 0; i < botocore->len; i++)
    {
      g_autofree char *file = find_model_file (botocore->pdata[i], "partitions");

      if (file != NULL)
        return load_file (file, NULL, error);
    }

  g_set_error_literal (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                       "No partitions model found");
  return NULL;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
collect_services (const Place *place,
                  const char  *type_name,
                  GHashTable  *names)
{
  if (place->kind == PLACE_RESOURCE)
    {
      g_auto(GStrv) children = g_resources_enumerate_children (BOTO_MODEL_RESOURCE_ROOT "/",
                                                                G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

      for (guint i = 0; children != NULL && children[i] != NULL; i++)
        {
          g_autoptr(GPtrArray) versions = g_ptr_array_new_with_free_func (g_free);
          g_autofree char *name = NULL;

          if (!g_str_has_suffix (children[i], "/"))
            continue;
          name = g_strndup (children[i], strlen (children[i]) - 1);
          collect_versions (place, name, type_name, versions);
          if (versions->len > 0)
            g_hash_table_add (names, g_steal_pointer (&name));
        }
    }
  else
    {
      g_autoptr(GDir) dir = g_dir_open (place->path, 0, NULL);
      const char *name;

      if (dir == NULL)
        return;

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autoptr(GPtrArray) versions = g_ptr_array_new_with_free_func (g_free);

          collect_versions (place, name, type_name, versions);
          if (versions->len > 0)
            g_hash_table_add (names, g_strdup (name));
        }
    }
}

/*
 * boto_model_loader_list_services:
 * @type_name: the model kind, such as `service-2` or `resources-1`
 *
 * Returns: (transfer full): the sorted names of every service that has a
 *   model of @type_name in any of the places searched
 */
GStrv
boto_model_loader_list_services (const char *type_name)
{
  g_autoptr(GArray) places = primary_places ();
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *botocore = botocore_places ();
  g_autofree const char **keys = NULL;
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv result;

  for (guint i = 0; i < botocore->len; i++)
    add_folder (places, botocore->pdata[i]);

  for (guint i = 0; i < places->len; i++)
    collect_services (&g_array_index (places, Place, i), type_name, names);

  keys = (const char **) g_hash_table_get_keys_as_array (names, NULL);
  g_qsort_with_data (keys, g_hash_table_size (names), sizeof (char *),
                     compare_strings, NULL);
  for (guint i = 0; keys[i] != NULL; i++)
    g_strv_builder_add (builder, keys[i]);

  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}
