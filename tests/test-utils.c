/* test-utils.c: helpers shared by the tests
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include "test-utils.h"

/*
 * test_model_for_operation:
 * @metadata: a suite's `metadata`
 * @shapes: a suite's `shapes`
 * @operation: a case's operation (`given`), with its `name`
 *
 * Builds the one-operation service botocore's protocol test runner builds
 * for a case: `metadata + shapes + {given.name: given}`.
 *
 * Returns: (transfer full): the model, or %NULL with @error set
 */
BotoServiceModel *
test_model_for_operation (JsonObject  *metadata,
                          JsonObject  *shapes,
                          JsonObject  *operation,
                          GError     **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *text;
  gsize length;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "metadata");
  json_builder_add_value (builder, json_node_init_object (json_node_alloc (), metadata));
  json_builder_set_member_name (builder, "shapes");
  json_builder_add_value (builder, json_node_init_object (json_node_alloc (), shapes));
  json_builder_set_member_name (builder, "operations");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, json_object_get_string_member (operation, "name"));
  json_builder_add_value (builder, json_node_init_object (json_node_alloc (), operation));
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  bytes = g_bytes_new_take (text, length);

  return boto_service_model_new_from_data ("conformance", bytes, error);
}
