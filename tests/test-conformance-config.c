/* test-conformance-config.c: botocore's configured-endpoint-URL tests —
 * which endpoint URL a client uses given profiles, [services] sections,
 * client options and environment variables
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <boto-glib/boto-glib.h>

static char *tmp_root;

static void
append_section (GString    *out,
                const char *header,
                JsonObject *values)
{
  g_autoptr(GList) keys = json_object_get_members (values);

  g_string_append_printf (out, "[%s]\n", header);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (values, l->data);

      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *nested = json_node_get_object (node);
          g_autoptr(GList) nested_keys = json_object_get_members (nested);

          g_string_append_printf (out, "%s =\n", (const char *) l->data);
          for (GList *n = nested_keys; n != NULL; n = n->next)
            g_string_append_printf (out, "  %s = %s\n", (const char *) n->data,
                                    json_object_get_string_member (nested, n->data));
        }
      else
        g_string_append_printf (out, "%s = %s\n", (const char *) l->data,
                                json_node_get_string (node));
    }
  g_string_append_c (out, '\n');
}

static char *
write_config (JsonObject *suite)
{
  JsonObject *profiles = json_object_get_object_member (suite, "profiles");
  JsonObject *services = json_object_get_object_member (suite, "services");
  g_autoptr(GList) names = json_object_get_members (profiles);
  g_autoptr(GList) service_names = json_object_get_members (services);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (tmp_root, "config", NULL);

  for (GList *l = names; l != NULL; l = l->next)
    {
      g_autofree char *header = g_str_equal (l->data, "default") ? g_strdup ("default")
                                : g_strdup_printf ("profile %s", (const char *) l->data);

      append_section (text, header, json_object_get_object_member (profiles, l->data));
    }
  for (GList *l = service_names; l != NULL; l = l->next)
    {
      g_autofree char *header = g_strdup_printf ("services %s", (const char *) l->data);

      append_section (text, header, json_object_get_object_member (services, l->data));
    }

  g_file_set_contents (path, text->str, text->len, &error);
  g_assert_no_error (error);
  return path;
}

static void
clear_endpoint_environment (void)
{
  g_auto(GStrv) env = g_get_environ ();

  for (guint i = 0; env[i] != NULL; i++)
    if (g_str_has_prefix (env[i], "AWS_"))
      {
        g_autofree char *name = g_strndup (env[i], strcspn (env[i], "="));

        g_unsetenv (name);
      }
}

static gboolean
run_case (JsonObject  *suite,
          JsonObject  *test,
          const char  *config_path,
          char       **problem)
{
  JsonObject *client_config = json_object_get_object_member (
    json_object_get_object_member (suite, "client_configs"),
    json_object_get_string_member (test, "client_config"));
  JsonObject *environment = json_object_get_object_member (
    json_object_get_object_member (suite, "environments"),
    json_object_get_string_member (test, "environment"));
  const char *service = json_object_get_string_member (test, "service");
  const char *expected = json_object_get_string_member (json_object_get_object_member (test, "output"),
                                                        "endpointUrl");
  g_autoptr(GList) env_names = json_object_get_members (environment);
  g_autoptr(BotoSession) session = NULL;
  g_autoptr(BotoConfig) config = NULL;
  g_autoptr(GVariant) resolved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *actual = NULL;
  const char *explicit_url = NULL;
  GVariantBuilder options;

  clear_endpoint_environment ();
  g_setenv ("AWS_CONFIG_FILE", config_path, TRUE);
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", TRUE);
  for (GList *l = env_names; l != NULL; l = l->next)
    g_setenv (l->data, json_object_get_string_member (environment, l->data), TRUE);

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  if (json_object_has_member (client_config, "ignore_configured_endpoint_urls"))
    g_variant_builder_add (&options, "{sv}", "ignore_configured_endpoint_urls",
                           g_variant_new_boolean (json_object_get_boolean_member (client_config,
                                                                                  "ignore_configured_endpoint_urls")));
  if (json_object_has_member (client_config, "endpoint_url"))
    explicit_url = json_object_get_string_member (client_config, "endpoint_url");
  config = boto_config_new (g_variant_builder_end (&options), &error);
  g_assert_no_error (error);

  session = g_object_new (BOTO_TYPE_SESSION, "profile-name", json_object_get_string_member (test, "profile"), NULL);
  resolved = boto_session_resolve_client_config (session, service, explicit_url, config, &error);
  if (resolved == NULL)
    {
      *problem = g_strdup (error->message);
      return FALSE;
    }

  if (!g_variant_lookup (resolved, "endpoint_url", "s", &actual))
    {
      /* No configured URL: the client uses what the service's endpoint
       * rules give for the region. */
      const char *region = NULL;
      g_autoptr(BotoEndpoint) endpoint = NULL;

      g_variant_lookup (resolved, "region_name", "&s", &region);
      endpoint = boto_endpoint_resolve (service, g_variant_new_parsed ("{'Region': <%s>}", region), &error);
      if (endpoint == NULL)
        {
          *problem = g_strdup (error->message);
          return FALSE;
        }
      actual = g_strdup (boto_endpoint_get_url (endpoint));
    }

  if (g_strcmp0 (actual, expected) != 0)
    {
      *problem = g_strdup_printf ("expected %s, got %s", expected, actual);
      return FALSE;
    }

  return TRUE;
}

static void
test_configured_endpoint_urls (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("BOTO_CONFORMANCE_DIR"), "config",
                                            "configured-endpoint-urls-profile-tests.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *config_path = NULL;
  JsonObject *suite;
  JsonArray *tests;
  guint passed = 0;
  guint failed = 0;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  suite = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "testSuites"), 0);
  config_path = write_config (suite);

  tests = json_object_get_array_member (suite, "endpointUrlTests");
  for (guint i = 0; i < json_array_get_length (tests); i++)
    {
      JsonObject *test = json_array_get_object_element (tests, i);
      g_autofree char *problem = NULL;

      if (run_case (suite, test, config_path, &problem))
        passed++;
      else
        {
          failed++;
          g_test_message ("FAILED: %s: %s", json_object_get_string_member (test, "name"), problem);
        }
    }

  g_printerr ("config: %u passed, %u failed\n", passed, failed);
  g_assert_cmpuint (passed + failed, ==, json_array_get_length (tests));
  g_assert_cmpuint (failed, ==, 0);
  g_unlink (config_path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  tmp_root = g_dir_make_tmp ("boto-test-config-conformance-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/boto/conformance/configured-endpoint-urls", test_configured_endpoint_urls);
  ret = g_test_run ();

  g_rmdir (tmp_root);
  g_free (tmp_root);
  return ret;
}
