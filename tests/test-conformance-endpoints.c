/* test-conformance-endpoints.c: botocore's endpoint rule-set tests
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * Runs every case of BOTO_CONFORMANCE_DIR/endpoints:
 *  - <service>/endpoint-tests-1.json against the rule set it was written
 *    for (<service>/endpoint-rule-set-1.json) and endpoints/partitions.json,
 *    as botocore's tests/functional/test_endpoint_rulesets.py does: the
 *    `params` of every case go to the provider (url exact, properties and
 *    headers deep-equal, error message exact);
 *  - for every `operationInputs` entry, the parameters an end-to-end client
 *    call would build: static context params and context params of the
 *    operation (service model from the library), operation context params,
 *    then the builtIns of the entry; the resolved url must equal the
 *    expected one (botocore checks the request URL starts with it), an
 *    expected error must be an error with the same message;
 *  - ruleset-unit/test-cases/<name>.json against valid-rules/<name>.json.
 * Cases listed in endpoints-skips.txt are skipped and printed.
 */

#include "config.h"

#include <string.h>

#include <boto-glib/boto-glib.h>

#include "boto-endpoint-resolver-private.h"
#include "boto-model-private.h"

static const char *services[] = {
  "cloudformation", "cloudwatch", "dynamodb", "ec2", "glacier",
  "iam", "s3", "sns", "sqs", "sts",
};

typedef struct
{
  guint       passed;
  guint       failed;
  guint       skipped;
  GHashTable *skips;   /* case id → reason */
  GVariant   *partitions;
} Run;

static GVariant *
unwrap (GVariant *value)
{
  while (value != NULL)
    {
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_VARIANT))
        {
          GVariant *inner = g_variant_get_variant (value);
          g_variant_unref (value);
          value = inner;
        }
      else if (g_variant_is_of_type (value, G_VARIANT_TYPE_MAYBE))
        {
          GVariant *inner = g_variant_get_maybe (value);
          g_variant_unref (value);
          value = inner;
        }
      else
        break;
    }
  return value;
}

static GVariant *
get (GVariant   *dict,
     const char *key)
{
  if (dict == NULL || !g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT))
    return NULL;
  return unwrap (g_variant_lookup_value (dict, key, NULL));
}

static GVariant *
load_json (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GVariant *value;

  if (!g_file_get_contents (path, &contents, &len, &error))
    g_error ("%s", error->message);
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  value = boto_model_compile_json (bytes, &error);
  g_assert_no_error (error);
  return g_variant_ref_sink (value);
}

static gboolean
is_dict (GVariant *v)
{
  const GVariantType *type = g_variant_get_type (v);

  return g_variant_type_is_array (type) &&
         g_variant_type_is_dict_entry (g_variant_type_element (type)) &&
         g_variant_type_equal (g_variant_type_key (g_variant_type_element (type)), G_VARIANT_TYPE_STRING);
}

/* JSON-value equality: objects by key, arrays by position, numbers by value. */
static gboolean
json_equal (GVariant *a,
            GVariant *b)
{
  g_autoptr(GVariant) x = a != NULL ? unwrap (g_variant_ref (a)) : NULL;
  g_autoptr(GVariant) y = b != NULL ? unwrap (g_variant_ref (b)) : NULL;

  if (x == NULL || y == NULL)
    return x == y;
  if (g_variant_is_of_type (x, G_VARIANT_TYPE_STRING) || g_variant_is_of_type (y, G_VARIANT_TYPE_STRING))
    return g_variant_is_of_type (x, G_VARIANT_TYPE_STRING) && g_variant_is_of_type (y, G_VARIANT_TYPE_STRING) &&
           strcmp (g_variant_get_string (x, NULL), g_variant_get_string (y, NULL)) == 0;
  if (g_variant_is_of_type (x, G_VARIANT_TYPE_BOOLEAN) || g_variant_is_of_type (y, G_VARIANT_TYPE_BOOLEAN))
    return g_variant_is_of_type (x, G_VARIANT_TYPE_BOOLEAN) && g_variant_is_of_type (y, G_VARIANT_TYPE_BOOLEAN) &&
           g_variant_get_boolean (x) == g_variant_get_boolean (y);
  if (is_dict (x) || is_dict (y))
    {
      if (!is_dict (x) || !is_dict (y) || g_variant_n_children (x) != g_variant_n_children (y))
        return FALSE;
      for (gsize i = 0; i < g_variant_n_children (x); i++)
        {
          g_autoptr(GVariant) entry = g_variant_get_child_value (x, i);
          g_autoptr(GVariant) key = g_variant_get_child_value (entry, 0);
          g_autoptr(GVariant) value = g_variant_get_child_value (entry, 1);
          g_autoptr(GVariant) other = g_variant_lookup_value (y, g_variant_get_string (key, NULL), NULL);

          if (other == NULL || !json_equal (value, other))
            return FALSE;
        }
      return TRUE;
    }
  if (g_variant_is_of_type (x, G_VARIANT_TYPE_ARRAY) && g_variant_is_of_type (y, G_VARIANT_TYPE_ARRAY))
    {
      if (g_variant_n_children (x) != g_variant_n_children (y))
        return FALSE;
      for (gsize i = 0; i < g_variant_n_children (x); i++)
        {
          g_autoptr(GVariant) cx = g_variant_get_child_value (x, i);
          g_autoptr(GVariant) cy = g_variant_get_child_value (y, i);

          if (!json_equal (cx, cy))
            return FALSE;
        }
      return TRUE;
    }
  if (g_variant_is_of_type (x, G_VARIANT_TYPE_INT64) && g_variant_is_of_type (y, G_VARIANT_TYPE_INT64))
    return g_variant_get_int64 (x) == g_variant_get_int64 (y);
  return g_variant_equal (x, y);
}

static char *
print (GVariant *value)
{
  return value != NULL ? g_variant_print (value, FALSE) : g_strdup ("{}");
}

/* Compares one resolution with the expectation; returns a failure message
 * or NULL. */
static char *
check (BotoEndpoint *endpoint,
       GError       *error,
       GVariant     *expect,
       gboolean      end_to_end)
{
  g_autoptr(GVariant) expect_error = get (expect, "error");
  g_autoptr(GVariant) expect_endpoint = get (expect, "endpoint");

  if (expect_error != NULL)
    {
      const char *message = g_variant_get_string (expect_error, NULL);

      if (endpoint != NULL)
        return g_strdup_printf ("expected error “%s”, got %s", message, boto_endpoint_get_url (endpoint));
      if (!g_error_matches (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_ENDPOINT_RESOLUTION))
        return g_strdup_printf ("expected an endpoint-resolution error, got %s", error->message);
      if (strcmp (error->message, message) != 0)
        return g_strdup_printf ("expected error “%s”, got “%s”", message, error->message);
      return NULL;
    }
  else
    {
      g_autoptr(GVariant) url = get (expect_endpoint, "url");
      g_autoptr(GVariant) properties = get (expect_endpoint, "properties");
      g_autoptr(GVariant) headers = get (expect_endpoint, "headers");
      g_autoptr(GVariant) empty = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
      g_autoptr(GVariant) actual_headers = NULL;

      if (endpoint == NULL)
        return g_strdup_printf ("expected %s, got error “%s”",
                                url != NULL ? g_variant_get_string (url, NULL) : "?", error->message);
      if (url == NULL || strcmp (boto_endpoint_get_url (endpoint), g_variant_get_string (url, NULL)) != 0)
        return g_strdup_printf ("expected url %s, got %s",
                                url != NULL ? g_variant_get_string (url, NULL) : "?",
                                boto_endpoint_get_url (endpoint));
      if (end_to_end)
        return NULL;   /* botocore only checks the URL of a client call */
      if (!json_equal (properties != NULL ? properties : empty, boto_endpoint_get_properties (endpoint)))
        {
          g_autofree char *e = print (properties);
          g_autofree char *a = print (boto_endpoint_get_properties (endpoint));

          return g_strdup_printf ("properties differ: expected %s, got %s", e, a);
        }
      actual_headers = g_variant_ref (boto_endpoint_get_headers (endpoint));
      if (!json_equal (headers != NULL ? headers : empty, actual_headers))
        {
          g_autofree char *e = print (headers);
          g_autofree char *a = print (actual_headers);

          return g_strdup_printf ("headers differ: expected %s, got %s", e, a);
        }
      return NULL;
    }
}

static void
record (Run        *run,
        const char *id,
        char       *failure)
{
  const char *reason = g_hash_table_lookup (run->skips, id);

  if (reason != NULL)
    {
      run->skipped++;
      g_printerr ("endpoints: skipped %s: %s%s\n", id, reason,
                  failure == NULL ? " (but it passes now)" : "");
    }
  else if (failure != NULL)
    {
      run->failed++;
      g_printerr ("endpoints: FAILED %s: %s\n", id, failure);
    }
  else
    run->passed++;
  g_free (failure);
}

/* The subset of JMESPath that operationContextParams use in the shipped
 * models: `keys(Name)`, `A.B.C` and `A[*].B`. */
static GVariant *
mini_jmespath (const char *path,
               GVariant   *data)
{
  g_auto(GStrv) steps = NULL;
  g_autoptr(GVariant) current = NULL;

  if (g_str_has_prefix (path, "keys(") && g_str_has_suffix (path, ")"))
    {
      g_autofree char *name = g_strndup (path + 5, strlen (path) - 6);
      g_autoptr(GVariant) dict = get (data, name);
      g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_STRING_ARRAY);
      GVariantIter iter;
      const char *key;
      GVariant *value;

      if (dict == NULL || !g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT))
        return NULL;
      g_variant_iter_init (&iter, dict);
      while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
        {
          g_variant_builder_add (&builder, "s", key);
          g_variant_unref (value);
        }
      return g_variant_ref_sink (g_variant_builder_end (&builder));
    }

  if (strpbrk (path, "[]()|&") != NULL)
    return NULL;
  steps = g_strsplit (path, ".", -1);
  current = g_variant_ref (data);
  for (guint i = 0; steps[i] != NULL && current != NULL; i++)
    {
      GVariant *next = get (current, steps[i]);

      g_variant_unref (current);
      current = next;
    }
  return g_steal_pointer (&current);
}

/* The parameters botocore's EndpointRulesetResolver builds for a call. */
static GVariant *
end_to_end_params (BotoEndpointRuleSet *rs,
                   BotoServiceModel    *model,
                   GVariant            *inputs,
                   char               **failure)
{
  g_autoptr(GVariant) op_name = get (inputs, "operationName");
  g_autoptr(GVariant) op_params = get (inputs, "operationParams");
  g_autoptr(GVariant) builtins = get (inputs, "builtInParams");
  g_autoptr(GVariant) statics = NULL;
  g_autoptr(GVariant) op_context = NULL;
  g_auto(GVariantBuilder) context = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  BotoOperationModel *op;
  BotoShape *input;
  GVariantIter iter;
  const char *key;
  GVariant *value;

  op = boto_service_model_get_operation (model, g_variant_get_string (op_name, NULL), &error);
  if (op == NULL)
    {
      *failure = g_strdup_printf ("no operation: %s", error->message);
      return NULL;
    }

  /* 1. static context params */
  statics = get (boto_operation_model_get_definition (op), "staticContextParams");
  if (statics != NULL)
    {
      g_variant_iter_init (&iter, statics);
      while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
        {
          g_autoptr(GVariant) spec = unwrap (value);
          g_autoptr(GVariant) v = get (spec, "value");

          if (v != NULL && !g_hash_table_contains (seen, key))
            {
              g_variant_builder_add (&context, "{sv}", key, v);
              g_hash_table_add (seen, (gpointer) key);
            }
        }
    }

  /* 2. context params: input members with a contextParam trait */
  input = boto_operation_model_get_input_shape (op);
  if (input != NULL)
    {
      g_auto(GStrv) members = boto_shape_get_member_names (input);

      for (guint i = 0; members != NULL && members[i] != NULL; i++)
        {
          BotoShape *member = boto_shape_get_member (input, members[i]);
          g_autoptr(GVariant) trait = boto_shape_dup_trait (member, "contextParam");
          const char *name = trait != NULL ? boto_model_variant_get_string (trait, "name") : NULL;
          g_autoptr(GVariant) v = NULL;

          if (name == NULL || g_hash_table_contains (seen, name))
            continue;
          v = get (op_params, members[i]);
          if (v != NULL)
            {
              g_variant_builder_add (&context, "{sv}", name, v);
              g_hash_table_add (seen, (gpointer) g_intern_string (name));
            }
        }
    }

  /* 3. operation context params */
  op_context = get (boto_operation_model_get_definition (op), "operationContextParams");
  if (op_context != NULL && op_params != NULL)
    {
      g_variant_iter_init (&iter, op_context);
      while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
        {
          g_autoptr(GVariant) spec = unwrap (value);
          const char *path = boto_model_variant_get_string (spec, "path");
          g_autoptr(GVariant) v = NULL;

          if (path != NULL && !g_hash_table_contains (seen, key))
            v = mini_jmespath (path, op_params);
          if (v != NULL)
            {
              g_variant_builder_add (&context, "{sv}", key, v);
              g_hash_table_add (seen, (gpointer) key);
            }
        }
    }

  {
    g_autoptr(GVariant) ctx = g_variant_ref_sink (g_variant_builder_end (&context));
    return boto_endpoint_rule_set_build_params (rs, builtins, ctx);
  }
}

/* The same resolution through boto_endpoint_rule_set_resolve_values (), the
 * way the client resolves: once, then again (a cache hit). NULL when it
 * agrees, or when @params names something that is not a parameter (that
 * entry point only takes parameters). */
static guint n_values_checked;

static char *
check_values (BotoEndpointRuleSet *rs,
              GVariant            *params,
              GVariant            *expect,
              gboolean             end_to_end)
{
  guint n = boto_endpoint_rule_set_get_n_parameters (rs);
  g_autofree GVariant **values = g_new0 (GVariant *, MAX (n, 1));
  gboolean usable = TRUE;
  char *failure = NULL;
  GVariantIter iter;
  const char *name;
  GVariant *value;

  if (params == NULL || !g_variant_is_of_type (params, G_VARIANT_TYPE_VARDICT))
    return NULL;
  g_variant_iter_init (&iter, params);
  while (g_variant_iter_next (&iter, "{&sv}", &name, &value))
    {
      int index = boto_endpoint_rule_set_get_parameter_index (rs, name);

      if (index < 0 || values[index] != NULL)
        {
          usable = FALSE;
          g_variant_unref (value);
          continue;
        }
      values[index] = value;
    }
  n_values_checked += usable ? 1 : 0;
  for (guint round = 0; usable && round < 2 && failure == NULL; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BotoEndpoint) endpoint = boto_endpoint_rule_set_resolve_values (rs, values, &error);
      char *mismatch = check (endpoint, error, expect, end_to_end);

      if (mismatch != NULL)
        {
          failure = g_strdup_printf ("resolve_values (%s): %s", round == 0 ? "first" : "again", mismatch);
          g_free (mismatch);
        }
    }
  for (guint i = 0; i < n; i++)
    g_clear_pointer (&values[i], g_variant_unref);
  return failure;
}

static void
run_file (Run                 *run,
          const char          *prefix,
          BotoEndpointRuleSet *rs,
          BotoServiceModel    *model,
          const char          *tests_path)
{
  g_autoptr(GVariant) tests = load_json (tests_path);
  g_autoptr(GVariant) cases = get (tests, "testCases");

  for (gsize i = 0; cases != NULL && i < g_variant_n_children (cases); i++)
    {
      g_autoptr(GVariant) tc = unwrap (g_variant_get_child_value (cases, i));
      g_autoptr(GVariant) params = get (tc, "params");
      g_autoptr(GVariant) expect = get (tc, "expect");
      g_autoptr(GVariant) op_inputs = get (tc, "operationInputs");
      g_autoptr(BotoEndpoint) endpoint = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *id = g_strdup_printf ("%s#%" G_GSIZE_FORMAT, prefix, i);

      endpoint = boto_endpoint_rule_set_resolve (rs, params, &error);
      {
        char *failure = check (endpoint, error, expect, FALSE);

        if (failure == NULL)
          failure = check_values (rs, params, expect, FALSE);
        record (run, id, failure);
      }

      for (gsize j = 0; op_inputs != NULL && j < g_variant_n_children (op_inputs); j++)
        {
          g_autoptr(GVariant) inputs = unwrap (g_variant_get_child_value (op_inputs, j));
          g_autoptr(GVariant) e2e_params = NULL;
          g_autoptr(BotoEndpoint) e2e = NULL;
          g_autoptr(GError) e2e_error = NULL;
          g_autofree char *e2e_id = g_strdup_printf ("%s@%" G_GSIZE_FORMAT, id, j);
          char *failure = NULL;

          if (model == NULL)
            {
              record (run, e2e_id, g_strdup ("no service model"));
              continue;
            }
          e2e_params = end_to_end_params (rs, model, inputs, &failure);
          if (e2e_params != NULL)
            {
              e2e = boto_endpoint_rule_set_resolve (rs, e2e_params, &e2e_error);
              failure = check (e2e, e2e_error, expect, TRUE);
              if (failure == NULL)
                failure = check_values (rs, e2e_params, expect, TRUE);
            }
          record (run, e2e_id, failure);
        }
    }
}

static GHashTable *
load_skips (void)
{
  GHashTable *skips = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (SKIPS_FILE, &contents, NULL, NULL))
    return skips;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      char *space;

      if (line[0] == '\0' || line[0] == '#')
        continue;
      space = strpbrk (line, " \t");
      if (space == NULL)
        g_hash_table_insert (skips, g_strdup (line), g_strdup ("(no reason given)"));
      else
        {
          *space = '\0';
          g_hash_table_insert (skips, g_strdup (line), g_strdup (g_strstrip (space + 1)));
        }
    }
  return skips;
}

static void
test_conformance (void)
{
  const char *dir = g_getenv ("BOTO_CONFORMANCE_DIR");
  g_autofree char *endpoints = NULL;
  g_autofree char *partitions_path = NULL;
  g_autofree char *unit_dir = NULL;
  g_autoptr(GDir) listing = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  Run run = { 0, };

  if (dir == NULL)
    {
      g_test_skip ("BOTO_CONFORMANCE_DIR is not set");
      return;
    }
  endpoints = g_build_filename (dir, "endpoints", NULL);
  partitions_path = g_build_filename (endpoints, "partitions.json", NULL);
  run.partitions = load_json (partitions_path);
  run.skips = load_skips ();

  for (guint s = 0; s < G_N_ELEMENTS (services); s++)
    {
      g_autofree char *folder = g_build_filename (endpoints, services[s], NULL);
      g_autofree char *rules_path = g_build_filename (folder, "endpoint-rule-set-1.json", NULL);
      g_autofree char *tests_path = g_build_filename (folder, "endpoint-tests-1.json", NULL);
      g_autoptr(GVariant) rules = NULL;
      g_autoptr(BotoEndpointRuleSet) rs = NULL;
      g_autoptr(BotoServiceModel) model = NULL;
      g_autoptr(GError) error = NULL;

      if (!g_file_test (tests_path, G_FILE_TEST_EXISTS))
        continue;
      /* BOTO_ENDPOINTS_LIBRARY_RULES=1 runs the cases against the rule
       * sets compiled into the library instead of the ones the tests were
       * written for (they can be from another botocore version). */
      if (g_file_test (rules_path, G_FILE_TEST_EXISTS) &&
          g_strcmp0 (g_getenv ("BOTO_ENDPOINTS_LIBRARY_RULES"), "1") != 0)
        {
          rules = load_json (rules_path);
          rs = boto_endpoint_rule_set_new (rules, run.partitions, &error);
        }
      else
        rs = boto_endpoint_rule_set_get_for_service (services[s], &error);
      g_assert_no_error (error);
      model = boto_service_model_load (services[s], &error);
      g_assert_no_error (error);
      run_file (&run, services[s], rs, model, tests_path);
    }

  unit_dir = g_build_filename (endpoints, "ruleset-unit", NULL);
  {
    g_autofree char *cases_dir = g_build_filename (unit_dir, "test-cases", NULL);
    const char *name;

    listing = g_dir_open (cases_dir, 0, NULL);
    while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
      if (g_str_has_suffix (name, ".json"))
        g_ptr_array_add (names, g_strndup (name, strlen (name) - 5));
    g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  }
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = names->pdata[i];
      g_autofree char *file = g_strconcat (name, ".json", NULL);
      g_autofree char *rules_path = g_build_filename (unit_dir, "valid-rules", file, NULL);
      g_autofree char *tests_path = g_build_filename (unit_dir, "test-cases", file, NULL);
      g_autofree char *prefix = g_strconcat ("ruleset-unit/", name, NULL);
      g_autoptr(GVariant) rules = load_json (rules_path);
      g_autoptr(GError) error = NULL;
      g_autoptr(BotoEndpointRuleSet) rs = boto_endpoint_rule_set_new (rules, run.partitions, &error);

      g_assert_no_error (error);
      run_file (&run, prefix, rs, NULL, tests_path);
    }

  g_printerr ("endpoints: %u passed, %u failed, %u skipped\n", run.passed, run.failed, run.skipped);
  g_printerr ("endpoints: %u of them also resolved through boto_endpoint_rule_set_resolve_values ()\n",
              n_values_checked);
  g_hash_table_unref (run.skips);
  g_variant_unref (run.partitions);
  g_assert_cmpuint (run.failed, ==, 0);
  g_assert_cmpuint (run.passed, >, 1400);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/boto/endpoints/conformance", test_conformance);

  return g_test_run ();
}
