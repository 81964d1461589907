/* test-conformance-protocols.c: every botocore protocol suite, one summary
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * Runs the input, output and smithy-rpc-v2-cbor runners (linked in, see
 * protocol-suites.h), prints their own lines and then
 *
 *   protocols: N passed, M failed, K skipped
 *
 * where N + M + K must equal the number of cases found by walking
 * ../shared/conformance/protocols/ as botocore's test_protocols.py does
 * (every file but the ignore list): no case goes uncounted.
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "protocol-suites.h"

static guint
count_cases_in (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(JsonParser) parser = NULL;
      g_autoptr(GError) error = NULL;
      JsonArray *suites;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          n += count_cases_in (path);
          continue;
        }
      if (!g_str_has_suffix (name, ".json") || g_str_equal (name, "protocol-tests-ignore-list.json"))
        continue;
      parser = json_parser_new ();
      json_parser_load_from_file (parser, path, &error);
      g_assert_no_error (error);
      suites = json_node_get_array (json_parser_get_root (parser));
      for (guint s = 0; s < json_array_get_length (suites); s++)
        n += json_array_get_length (json_object_get_array_member (json_array_get_object_element (suites, s),
                                                                  "cases"));
    }
  return n;
}

static void
test_protocols (void)
{
  g_autofree char *root = g_build_filename (g_getenv ("BOTO_CONFORMANCE_DIR"), "protocols", NULL);
  ProtocolCounts counts = { 0, 0, 0 };
  guint n_cases = count_cases_in (root);

  protocol_input_run (&counts);
  protocol_output_run (&counts);
  protocol_rpcv2_cbor_run (&counts);

  g_printerr ("protocols: %u passed, %u failed, %u skipped\n",
              counts.passed, counts.failed, counts.skipped);
  g_assert_cmpuint (counts.passed + counts.failed + counts.skipped, ==, n_cases);
  g_assert_cmpuint (counts.failed, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("BOTO_CONFORMANCE_DIR") == NULL)
    {
      g_printerr ("BOTO_CONFORMANCE_DIR is not set\n");
      return 77;
    }

  g_test_add_func ("/boto/conformance/protocols", test_protocols);

  return g_test_run ();
}
