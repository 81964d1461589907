/* test-model.c: the model layer — loading, lookups and the shape walker
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include <boto-glib/boto-glib.h>

#include "boto-model-private.h"

static void
test_load_ec2 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoServiceModel) model = boto_service_model_load ("ec2", &error);
  g_autoptr(BotoServiceModel) again = NULL;
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) protocols = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (model);

  g_assert_cmpstr (boto_service_model_get_service_name (model), ==, "ec2");
  g_assert_cmpstr (boto_service_model_get_api_version (model), ==, "2016-11-15");
  g_assert_cmpstr (boto_service_model_get_protocol (model), ==, "ec2");
  g_assert_cmpstr (boto_service_model_get_endpoint_prefix (model), ==, "ec2");
  g_assert_cmpstr (boto_service_model_get_signing_name (model), ==, "ec2");
  g_assert_cmpstr (boto_service_model_get_signature_version (model), ==, "v4");
  g_assert_cmpstr (boto_service_model_get_service_id (model), ==, "EC2");

  protocols = boto_service_model_get_protocols (model);
  g_assert_true (g_strv_contains ((const char * const *) protocols, "ec2"));

  names = boto_service_model_get_operation_names (model);
  g_assert_cmpuint (g_strv_length (names), >, 500);
  g_assert_true (g_strv_contains ((const char * const *) names, "RunInstances"));
  for (guint i = 1; names[i] != NULL; i++)
    g_assert_cmpint (g_strcmp0 (names[i - 1], names[i]), <, 0);

  /* Loaded once per process. */
  again = boto_service_model_load ("ec2", &error);
  g_assert_no_error (error);
  g_assert_true (again == model);
}

static void
test_run_instances (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoServiceModel) model = boto_service_model_load ("ec2", &error);
  BotoOperationModel *op;
  BotoShape *input;
  BotoShape *output;
  BotoShape *member;
  BotoShape *item;
  g_auto(GStrv) required = NULL;
  g_auto(GStrv) members = NULL;

  g_assert_no_error (error);
  op = boto_service_model_get_operation (model, "RunInstances", &error);
  g_assert_no_error (error);
  g_assert_true (boto_service_model_has_operation (model, "RunInstances"));
  g_assert_true (boto_service_model_get_operation (model, "RunInstances", NULL) == op);

  g_assert_cmpstr (boto_operation_model_get_name (op), ==, "RunInstances");
  g_assert_cmpstr (boto_operation_model_get_http_method (op), ==, "POST");
  g_assert_cmpstr (boto_operation_model_get_request_uri (op), ==, "/");

  input = boto_operation_model_get_input_shape (op);
  g_assert_nonnull (input);
  g_assert_cmpstr (boto_shape_get_name (input), ==, "RunInstancesRequest");
  g_assert_cmpint (boto_shape_get_shape_type (input), ==, BOTO_SHAPE_TYPE_STRUCTURE);

  required = boto_shape_get_required_members (input);
  g_assert_true (g_strv_contains ((const char * const *) required, "MinCount"));
  g_assert_true (g_strv_contains ((const char * const *) required, "MaxCount"));
  g_assert_true (boto_shape_is_member_required (input, "MaxCount"));
  g_assert_false (boto_shape_is_member_required (input, "ImageId"));

  members = boto_shape_get_member_names (input);
  g_assert_true (g_strv_contains ((const char * const *) members, "ImageId"));

  member = boto_shape_get_member (input, "MinCount");
  g_assert_nonnull (member);
  g_assert_cmpint (boto_shape_get_shape_type (member), ==, BOTO_SHAPE_TYPE_INTEGER);
  g_assert_cmpstr (boto_shape_get_member_name (member), ==, "MinCount");
  /* The walker hands out the same object for the same path. */
  g_assert_true (boto_shape_get_member (input, "MinCount") == member);
  g_assert_null (boto_shape_get_member (input, "NoSuchMember"));

  /* A list member with its own locationName (the ec2 protocol's "item"s). */
  member = boto_shape_get_member (input, "SecurityGroupIds");
  g_assert_nonnull (member);
  g_assert_cmpint (boto_shape_get_shape_type (member), ==, BOTO_SHAPE_TYPE_LIST);
  g_assert_cmpstr (boto_shape_get_location_name (member), ==, "SecurityGroupId");
  item = boto_shape_get_list_member (member);
  g_assert_nonnull (item);
  g_assert_cmpint (boto_shape_get_shape_type (item), ==, BOTO_SHAPE_TYPE_STRING);
  g_assert_cmpstr (boto_shape_get_location_name (item), ==, "SecurityGroupId");

  member = boto_shape_get_member (input, "InstanceType");
  {
    g_auto(GStrv) values = boto_shape_get_enum_values (member);

    g_assert_true (g_strv_contains ((const char * const *) values, "t2.micro"));
  }

  output = boto_operation_model_get_output_shape (op);
  g_assert_cmpstr (boto_shape_get_name (output), ==, "Reservation");
}

static void
test_s3_list_objects_v2 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoServiceModel) model = boto_service_model_load ("s3", &error);
  BotoOperationModel *op;
  BotoShape *input;
  BotoShape *bucket;
  BotoShape *prefix;
  BotoShape *output;
  BotoShape *contents;
  BotoShape *map;
  GVariant *definition;
  g_autoptr(GVariant) flattened = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (boto_service_model_get_protocol (model), ==, "rest-xml");
  g_assert_cmpstr (boto_service_model_get_signature_version (model), ==, "s3");

  op = boto_service_model_get_operation (model, "ListObjectsV2", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (boto_operation_model_get_http_method (op), ==, "GET");
  g_assert_cmpstr (boto_operation_model_get_request_uri (op), ==, "/{Bucket}?list-type=2");

  input = boto_operation_model_get_input_shape (op);
  g_assert_cmpstr (boto_shape_get_name (input), ==, "ListObjectsV2Request");

  bucket = boto_shape_get_member (input, "Bucket");
  g_assert_cmpstr (boto_shape_get_location (bucket), ==, "uri");
  g_assert_cmpstr (boto_shape_get_location_name (bucket), ==, "Bucket");

  prefix = boto_shape_get_member (input, "Prefix");
  g_assert_cmpstr (boto_shape_get_location (prefix), ==, "querystring");
  g_assert_cmpstr (boto_shape_get_location_name (prefix), ==, "prefix");

  output = boto_operation_model_get_output_shape (op);
  contents = boto_shape_get_member (output, "Contents");
  g_assert_true (boto_shape_get_boolean_trait (contents, "flattened"));
  flattened = boto_shape_dup_trait (contents, "flattened");
  g_assert_nonnull (flattened);
  g_assert_cmpint (boto_shape_get_shape_type (boto_shape_get_list_member (contents)), ==,
                   BOTO_SHAPE_TYPE_STRUCTURE);
  g_assert_null (boto_shape_get_location (contents));

  /* Prefix headers: x-amz-meta-* as a map. */
  op = boto_service_model_get_operation (model, "PutObject", &error);
  g_assert_no_error (error);
  map = boto_shape_get_member (boto_operation_model_get_input_shape (op), "Metadata");
  g_assert_cmpstr (boto_shape_get_location (map), ==, "headers");
  g_assert_cmpstr (boto_shape_get_location_name (map), ==, "x-amz-meta-");
  g_assert_cmpint (boto_shape_get_shape_type (boto_shape_get_map_key (map)), ==, BOTO_SHAPE_TYPE_STRING);
  g_assert_cmpint (boto_shape_get_shape_type (boto_shape_get_map_value (map)), ==, BOTO_SHAPE_TYPE_STRING);
  g_assert_null (boto_shape_get_list_member (map));

  /* The streaming body of PutObject. */
  {
    BotoShape *body = boto_shape_get_member (boto_operation_model_get_input_shape (op), "Body");

    g_assert_cmpint (boto_shape_get_shape_type (body), ==, BOTO_SHAPE_TYPE_BLOB);
    g_assert_true (boto_shape_get_boolean_trait (body, "streaming"));
  }

  definition = boto_shape_get_definition (input);
  g_assert_true (g_variant_is_of_type (definition, G_VARIANT_TYPE_VARDICT));
  g_assert_null (g_variant_lookup_value (definition, "documentation", NULL));
}

static void
test_unknown_names (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoServiceModel) model = NULL;
  g_autoptr(BotoServiceModel) ec2 = NULL;

  model = boto_service_model_load ("no-such-service", &error);
  g_assert_null (model);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_SERVICE);
  g_assert_nonnull (strstr (error->message, "no-such-service"));
  g_clear_error (&error);

  model = boto_service_model_load ("../s3", &error);
  g_assert_null (model);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_SERVICE);
  g_clear_error (&error);

  ec2 = boto_service_model_load ("ec2", &error);
  g_assert_no_error (error);
  g_assert_null (boto_service_model_get_operation (ec2, "RunInstance", &error));
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_OPERATION);
  g_assert_nonnull (strstr (error->message, "RunInstance"));
  g_assert_nonnull (strstr (error->message, "ec2"));
  g_clear_error (&error);
  g_assert_false (boto_service_model_has_operation (ec2, "RunInstance"));

  g_assert_null (boto_service_model_get_shape (ec2, "NoSuchShape", &error));
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_SHAPE);
  g_assert_nonnull (strstr (error->message, "NoSuchShape"));
}

static void
test_shipped_services (void)
{
  static const char * const services[] = {
    "s3", "sqs", "ec2", "iam", "sns", "dynamodb", "cloudformation", "cloudwatch", "glacier", "sts",
  };

  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BotoServiceModel) model = boto_service_model_load (services[i], &error);
      g_auto(GStrv) ops = NULL;

      g_assert_no_error (error);
      ops = boto_service_model_get_operation_names (model);
      g_assert_cmpuint (g_strv_length (ops), >, 0);

      /* Every operation's input and output resolve… */
      for (guint j = 0; ops[j] != NULL; j++)
        {
          BotoOperationModel *op = boto_service_model_get_operation (model, ops[j], &error);
          GVariant *def;
          g_autoptr(GVariant) input = NULL;
          g_autoptr(GVariant) output = NULL;

          g_assert_no_error (error);
          def = boto_operation_model_get_definition (op);
          input = g_variant_lookup_value (def, "input", NULL);
          output = g_variant_lookup_value (def, "output", NULL);
          g_assert_true ((input != NULL) == (boto_operation_model_get_input_shape (op) != NULL));
          g_assert_true ((output != NULL) == (boto_operation_model_get_output_shape (op) != NULL));
        }

      /* … and so does every reference of every shape. */
      {
        g_auto(GStrv) shapes = boto_service_model_get_shape_names (model);

        for (guint j = 0; shapes[j] != NULL; j++)
          {
            BotoShape *shape = boto_service_model_get_shape (model, shapes[j], &error);
            g_auto(GStrv) members = NULL;

            g_assert_no_error (error);
            g_assert_cmpint (boto_shape_get_shape_type (shape), !=, BOTO_SHAPE_TYPE_UNKNOWN);
            members = boto_shape_get_member_names (shape);
            for (guint k = 0; members[k] != NULL; k++)
              g_assert_nonnull (boto_shape_get_member (shape, members[k]));
            if (boto_shape_get_shape_type (shape) == BOTO_SHAPE_TYPE_LIST)
              g_assert_nonnull (boto_shape_get_list_member (shape));
            if (boto_shape_get_shape_type (shape) == BOTO_SHAPE_TYPE_MAP)
              {
                g_assert_nonnull (boto_shape_get_map_key (shape));
                g_assert_nonnull (boto_shape_get_map_value (shape));
              }
          }
      }
    }
}

static void
test_protocol_priority (void)
{
  /* CloudWatch lists smithy-rpc-v2-cbor first; json would beat it if listed. */
  static const char json[] =
    "{\"version\":\"2.0\",\"metadata\":{\"apiVersion\":\"2020-01-01\",\"protocol\":\"query\","
    "\"protocols\":[\"query\",\"smithy-rpc-v2-cbor\",\"json\"],\"endpointPrefix\":\"x\","
    "\"signingName\":\"xs\"},"
    "\"operations\":{\"Op\":{\"name\":\"Op\",\"http\":{\"method\":\"PUT\",\"requestUri\":\"/{K+}\","
    "\"responseCode\":204},\"input\":{\"shape\":\"In\",\"locationName\":\"OpRequest\"},"
    "\"endpoint\":{\"hostPrefix\":\"{K}.\"},\"deprecated\":true,"
    "\"errors\":[{\"shape\":\"Boom\"}]}},"
    "\"shapes\":{\"In\":{\"type\":\"structure\",\"required\":[\"K\"],\"members\":{"
    "\"Z\":{\"shape\":\"S\"},\"K\":{\"shape\":\"S\",\"location\":\"uri\",\"locationName\":\"K\"},"
    "\"A\":{\"shape\":\"In\"}}},"
    "\"S\":{\"type\":\"string\",\"locationName\":\"shape-level\"},"
    "\"Boom\":{\"type\":\"structure\",\"members\":{},\"exception\":true}}}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (json, sizeof json - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoServiceModel) model = boto_service_model_new_from_data ("x", bytes, &error);
  g_auto(GStrv) members = NULL;
  g_auto(GStrv) errors = NULL;
  BotoOperationModel *op;
  BotoShape *input;

  g_assert_no_error (error);
  g_assert_cmpstr (boto_service_model_get_protocol (model), ==, "json");
  g_assert_cmpstr (boto_service_model_get_signing_name (model), ==, "xs");
  g_assert_cmpstr (boto_service_model_get_api_version (model), ==, "2020-01-01");

  op = boto_service_model_get_operation (model, "Op", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (boto_operation_model_get_http_method (op), ==, "PUT");
  g_assert_cmpuint (boto_operation_model_get_response_code (op), ==, 204);
  g_assert_cmpstr (boto_operation_model_get_host_prefix (op), ==, "{K}.");
  g_assert_true (boto_operation_model_get_deprecated (op));
  errors = boto_operation_model_get_error_names (op);
  g_assert_cmpstrv (errors, ((const char * const[]) { "Boom", NULL }));

  /* Member order is the model's, not sorted. */
  input = boto_operation_model_get_input_shape (op);
  members = boto_shape_get_member_names (input);
  g_assert_cmpstrv (members, ((const char * const[]) { "Z", "K", "A", NULL }));

  /* The operation's input reference carries its own traits. */
  g_assert_cmpstr (boto_shape_get_location_name (input), ==, "OpRequest");
  /* A member's trait wins over the shape's; the shape's shows through otherwise. */
  g_assert_cmpstr (boto_shape_get_location_name (boto_shape_get_member (input, "K")), ==, "K");
  g_assert_cmpstr (boto_shape_get_location_name (boto_shape_get_member (input, "Z")), ==, "shape-level");

  /* Recursive shapes walk without end. */
  g_assert_true (boto_shape_get_definition (boto_shape_get_member (input, "A")) ==
                 boto_shape_get_definition (input));
  g_assert_cmpstr (boto_shape_get_name (boto_shape_get_member (boto_shape_get_member (input, "A"), "A")), ==, "In");
}

static void
test_invalid_model (void)
{
  static const char * const bad[] = {
    "not json",
    "[1, 2]",
    "{\"metadata\": {}}",
    "{\"metadata\": {}, \"operations\": [], \"shapes\": {}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (bad[i], strlen (bad[i]));
      g_autoptr(GError) error = NULL;
      g_autoptr(BotoServiceModel) model = boto_service_model_new_from_data ("bad", bytes, &error);

      g_assert_null (model);
      g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL);
    }
}

static void
test_threads_worker (gpointer data,
                     gpointer user_data)
{
  BotoServiceModel *model = user_data;
  g_auto(GStrv) names = boto_service_model_get_shape_names (model);
  guint n = g_strv_length (names);

  for (guint i = GPOINTER_TO_UINT (data) - 1; i < n; i += 4)
    {
      BotoShape *shape = boto_service_model_get_shape (model, names[i], NULL);
      g_auto(GStrv) members = NULL;

      g_assert_nonnull (shape);
      members = boto_shape_get_member_names (shape);
      for (guint j = 0; members[j] != NULL; j++)
        g_assert_nonnull (boto_shape_get_member (shape, members[j]));
    }
}

static void
test_threads (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoServiceModel) model = boto_service_model_load ("iam", &error);
  GThreadPool *pool;

  g_assert_no_error (error);
  pool = g_thread_pool_new (test_threads_worker, model, 4, FALSE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 8; i++)
    g_thread_pool_push (pool, GUINT_TO_POINTER (i % 4 + 1), NULL);
  g_thread_pool_free (pool, FALSE, TRUE);
}

/* The trait readers agree with GVariant's own lookups on every key of
 * every dict a def keeps (shape definitions and member references). */
static void
check_dict_traits (GVariant *dict)
{
  GVariantIter iter;
  char *key;
  GVariant *value;

  /* Keys copied: reading a dict in tree form serializes it, which frees
   * its children's strings. */
  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_next (&iter, "{sv}", &key, &value))
    {
      const char *expected_string = g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) ?
                                    g_variant_get_string (value, NULL) : NULL;
      gboolean expected_bool = g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN) &&
                               g_variant_get_boolean (value);

      g_assert_cmpstr (boto_model_variant_get_string (dict, key), ==, expected_string);
      g_assert_cmpint (boto_model_variant_get_boolean (dict, key), ==, expected_bool);
      g_variant_unref (value);
      g_free (key);
    }
  g_assert_null (boto_model_variant_get_string (dict, "noSuchTrait"));
  g_assert_false (boto_model_variant_get_boolean (dict, "noSuchTrait"));
}

static void
test_trait_readers (void)
{
  static const char * const services[] = { "s3", "ec2", "sqs", "iam" };

  for (guint s = 0; s < G_N_ELEMENTS (services); s++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BotoServiceModel) model = boto_service_model_load (services[s], &error);
      BotoModelData *data;
      GVariantIter iter;
      const char *name;
      GVariant *definition;
      guint n = 0;

      g_assert_no_error (error);
      data = boto_service_model_get_data (model);
      g_variant_iter_init (&iter, boto_model_data_get_shapes (data));
      while (g_variant_iter_next (&iter, "{&sv}", &name, &definition))
        {
          BotoShapeDef *def = boto_model_data_lookup_shape (data, name);

          g_assert_nonnull (def);
          check_dict_traits (def->definition);
          for (guint i = 0; i < def->n_members; i++)
            check_dict_traits (def->members[i].traits);
          g_variant_unref (definition);
          n++;
        }
      g_assert_cmpuint (n, >, 10);
    }

  /* A dict no def keeps, serialized or not. */
  {
    g_autoptr(GVariant) loose = g_variant_ref_sink (g_variant_new_parsed ("{'a': <'x'>, 'b': <true>, 'c': <1>}"));

    check_dict_traits (loose);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/boto/model/load/ec2", test_load_ec2);
  g_test_add_func ("/boto/model/ec2/run-instances", test_run_instances);
  g_test_add_func ("/boto/model/s3/list-objects-v2", test_s3_list_objects_v2);
  g_test_add_func ("/boto/model/unknown-names", test_unknown_names);
  g_test_add_func ("/boto/model/shipped-services", test_shipped_services);
  g_test_add_func ("/boto/model/protocol-priority", test_protocol_priority);
  g_test_add_func ("/boto/model/invalid", test_invalid_model);
  g_test_add_func ("/boto/model/threads", test_threads);
  g_test_add_func ("/boto/model/trait-readers", test_trait_readers);

  return g_test_run ();
}
