/* test-resource-model.c: the resource layer without a server: names,
 * identifiers, equality, request parameters, collection options, errors
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include <boto-glib/boto-glib.h>

#include "boto-resource-private.h"

/* Nothing is ever sent: the endpoint is a closed port. */
static BotoServiceResource *
make_resource (const char *service)
{
  g_autoptr(BotoSession) session = boto_session_new ();
  g_autoptr(GError) error = NULL;
  BotoServiceResource *resource =
    boto_session_resource_with_endpoint (session, service, "http://127.0.0.1:9", NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (resource);
  return resource;
}

static BotoResource *
sub (gpointer    parent,
     const char *name,
     GVariant   *ids)
{
  g_autoptr(GError) error = NULL;
  BotoResource *resource = boto_resource_get_sub_resource (BOTO_RESOURCE (parent), name, ids, &error);

  g_assert_no_error (error);
  g_assert_nonnull (resource);
  return resource;
}

static gboolean
has (GStrv       names,
     const char *name)
{
  return g_strv_contains ((const char * const *) names, name);
}

static void
test_names (void)
{
  g_autoptr(BotoServiceResource) s3 = make_resource ("s3");
  g_autoptr(BotoServiceResource) ec2 = make_resource ("ec2");
  g_autoptr(BotoResource) bucket = sub (s3, "Bucket", g_variant_new_string ("b"));
  g_autoptr(BotoResource) instance = sub (ec2, "Instance", g_variant_new_string ("i-1"));
  g_auto(GStrv) subs = boto_resource_dup_sub_resource_names (BOTO_RESOURCE (s3));
  g_auto(GStrv) collections = boto_resource_dup_collection_names (BOTO_RESOURCE (s3));
  g_auto(GStrv) actions = boto_resource_dup_action_names (BOTO_RESOURCE (s3));
  g_auto(GStrv) resource_names = boto_service_resource_dup_resource_names (s3);
  g_auto(GStrv) bucket_attributes = boto_resource_dup_attribute_names (bucket);
  g_auto(GStrv) bucket_ids = boto_resource_dup_identifier_names (bucket);
  g_auto(GStrv) bucket_waiters = boto_resource_dup_waiter_names (bucket);
  g_auto(GStrv) instance_attributes = boto_resource_dup_attribute_names (instance);
  g_auto(GStrv) references = boto_resource_dup_reference_names (instance);
  g_auto(GStrv) instance_waiters = boto_resource_dup_waiter_names (instance);
  g_auto(GStrv) instance_actions = boto_resource_dup_action_names (instance);

  /* The service resource has a sub-resource for every resource type. */
  g_assert_cmpuint (g_strv_length (subs), ==, g_strv_length (resource_names));
  g_assert_true (has (subs, "Bucket"));
  g_assert_true (has (subs, "Object"));
  g_assert_true (has (subs, "MultipartUploadPart"));
  g_assert_cmpuint (g_strv_length (collections), ==, 1);
  g_assert_cmpstr (collections[0], ==, "buckets");
  g_assert_cmpuint (g_strv_length (actions), ==, 1);
  g_assert_cmpstr (actions[0], ==, "create_bucket");

  /* Bucket's Name member is its identifier, not an attribute. */
  g_assert_true (has (bucket_attributes, "creation_date"));
  g_assert_false (has (bucket_attributes, "name"));
  g_assert_cmpuint (g_strv_length (bucket_ids), ==, 1);
  g_assert_cmpstr (bucket_ids[0], ==, "name");
  g_assert_true (has (bucket_waiters, "wait_until_exists"));
  g_assert_true (has (bucket_waiters, "wait_until_not_exists"));

  /* boto3 renames an attribute that clashes with a collection. */
  g_assert_true (has (instance_attributes, "network_interfaces_attribute"));
  g_assert_true (has (instance_attributes, "instance_type"));
  g_assert_true (has (references, "vpc"));
  g_assert_true (has (references, "subnet"));
  g_assert_true (has (references, "image"));
  g_assert_true (has (instance_waiters, "wait_until_running"));
  g_assert_true (has (instance_waiters, "wait_until_terminated"));
  g_assert_true (has (instance_actions, "create_tags"));
  g_assert_true (has (instance_actions, "terminate"));

  /* As boto3's dictionary of has definitions: the service's own has
   * entry KeyPair (a KeyPairInfo) replaces the one made for the KeyPair
   * type, it is not renamed. */
  {
    g_auto(GStrv) ec2_subs = boto_resource_dup_sub_resource_names (BOTO_RESOURCE (ec2));
    g_autoptr(BotoResource) key_pair = sub (ec2, "KeyPair", g_variant_new_string ("k"));
    g_autoptr(BotoResource) part = sub (s3, "MultipartUploadPart",
                                        g_variant_new_parsed ("[<'b'>, <'k'>, <'u'>, <7>]"));

    g_assert_true (has (ec2_subs, "KeyPair"));
    g_assert_false (has (ec2_subs, "KeyPair_subresource"));
    g_assert_cmpstr (boto_resource_get_resource_name (key_pair), ==, "KeyPairInfo");
    /* An identifier the model types as an integer takes one. */
    g_assert_cmpint (g_variant_get_int32 (boto_resource_get_identifier (part, "part_number")), ==, 7);
  }

  g_assert_true (boto_resource_has_load (instance));
  g_assert_true (boto_resource_has_load (bucket));
  g_assert_nonnull (boto_resource_get_model (instance));
  g_assert_cmpstr (boto_resource_get_service_name (instance), ==, "ec2");
}

static void
test_identifiers (void)
{
  g_autoptr(BotoServiceResource) s3 = make_resource ("s3");
  g_autoptr(BotoResource) bucket = sub (s3, "Bucket", g_variant_new_string ("photos"));
  g_autoptr(BotoResource) object = sub (bucket, "Object", g_variant_new_string ("a/b.jpg"));
  g_autoptr(BotoResource) same = sub (s3, "Object", g_variant_new_parsed ("['photos', 'a/b.jpg']"));
  g_autoptr(BotoResource) by_name = sub (s3, "Object",
                                        g_variant_new_parsed ("{'bucket_name': <'photos'>, 'Key': <'a/b.jpg'>}"));
  g_autoptr(BotoResource) other = sub (s3, "Object", g_variant_new_parsed ("['photos', 'c']"));
  g_autoptr(BotoResource) summary = sub (s3, "ObjectSummary", g_variant_new_parsed ("['photos', 'a/b.jpg']"));
  g_autoptr(GHashTable) set = g_hash_table_new ((GHashFunc) boto_resource_hash, (GEqualFunc) boto_resource_equal);
  g_autoptr(GVariant) expected = g_variant_ref_sink (g_variant_new_parsed ("{'bucket_name': <'photos'>, 'key': <'a/b.jpg'>}"));
  g_autofree char *text = boto_resource_to_string (object);

  g_assert_true (g_variant_equal (boto_resource_get_identifiers (object), expected));
  g_assert_cmpstr (boto_resource_get_identifier_string (object, "BucketName"), ==, "photos");
  g_assert_null (boto_resource_get_identifier (object, "nope"));
  g_assert_cmpstr (text, ==, "s3.Object(bucket_name='photos', key='a/b.jpg')");
  g_assert_null (boto_resource_get_data (object));

  g_assert_true (boto_resource_equal (object, same));
  g_assert_true (boto_resource_equal (object, by_name));
  g_assert_false (boto_resource_equal (object, other));
  /* Same identifiers, another type. */
  g_assert_false (boto_resource_equal (object, summary));

  g_hash_table_add (set, object);
  g_hash_table_add (set, same);
  g_hash_table_add (set, by_name);
  g_hash_table_add (set, other);
  g_assert_cmpuint (g_hash_table_size (set), ==, 2);

  /* The generic constructor. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BotoResource) made = boto_resource_new (boto_resource_get_client (BOTO_RESOURCE (s3)), "Object",
                                                      g_variant_new_parsed ("['photos', 'a/b.jpg']"), &error);

    g_assert_no_error (error);
    g_assert_true (boto_resource_equal (made, object));
  }
}

static void
test_request_params (void)
{
  g_autoptr(BotoServiceResource) ec2 = make_resource ("ec2");
  g_autoptr(BotoServiceResource) s3 = make_resource ("s3");
  g_autoptr(BotoResource) instance = sub (ec2, "Instance", g_variant_new_string ("i-42"));
  g_autoptr(GVariant) model = NULL;
  g_autoptr(GVariant) load = NULL;
  g_autoptr(GVariant) request = NULL;
  g_autoptr(BotoParamNode) node = boto_param_node_new_dict ();
  g_autoptr(GVariant) built = NULL;
  g_autoptr(GVariant) expected = NULL;
  g_autoptr(GError) error = NULL;

  /* Instance.load: InstanceIds[0] from the identifier. */
  model = boto_resource_get_model (instance);
  g_variant_ref (model);
  load = g_variant_lookup_value (model, "load", NULL);
  request = g_variant_lookup_value (load, "request", NULL);
  g_assert_true (boto_resource_build_request_params (instance, request, node, -1, NULL, &error));
  g_assert_no_error (error);
  built = g_variant_ref_sink (boto_param_node_to_variant (node));
  expected = g_variant_ref_sink (g_variant_new_parsed ("{'InstanceIds': <[<'i-42'>]>}"));
  g_assert_true (g_variant_equal (built, expected));

  /* A batch: Delete.Objects[].Key appended for each object of a page. */
  {
    g_autoptr(BotoResource) a = sub (s3, "ObjectSummary", g_variant_new_parsed ("['bk', 'one']"));
    g_autoptr(BotoResource) b = sub (s3, "ObjectSummary", g_variant_new_parsed ("['bk', 'two']"));
    g_autoptr(GVariant) summary_model = g_variant_ref (boto_resource_get_model (a));
    g_autoptr(GVariant) batch = g_variant_lookup_value (summary_model, "batchActions", NULL);
    g_autoptr(GVariant) del = g_variant_lookup_value (batch, "Delete", NULL);
    g_autoptr(GVariant) del_request = g_variant_lookup_value (del, "request", NULL);
    g_autoptr(BotoParamNode) batch_node = boto_param_node_new_dict ();
    g_autoptr(GVariant) batch_built = NULL;
    g_autoptr(GVariant) batch_expected = NULL;

    g_assert_true (boto_resource_build_request_params (a, del_request, batch_node, 0, NULL, &error));
    g_assert_true (boto_resource_build_request_params (b, del_request, batch_node, 1, NULL, &error));
    g_assert_no_error (error);
    boto_param_node_merge_variant (batch_node, g_variant_new_parsed ("{'MFA': <'x'>}"), FALSE);
    batch_built = g_variant_ref_sink (boto_param_node_to_variant (batch_node));
    batch_expected = g_variant_ref_sink (g_variant_new_parsed (
      "{'Bucket': <'bk'>, 'Delete': <{'Objects': <[<{'Key': <'one'>}>, <{'Key': <'two'>}>]>}>, 'MFA': <'x'>}"));
    g_assert_true (g_variant_equal (batch_built, batch_expected));
  }

  /* Filters merge as botocore's merge_dicts: lists are appended. */
  {
    g_autoptr(BotoCollection) instances = boto_resource_get_collection (BOTO_RESOURCE (ec2), "instances", &error);
    g_autoptr(BotoCollection) f1 = boto_collection_filter (instances,
      g_variant_new_parsed ("{'Filters': <[<{'Name': <'a'>}>]>, 'DryRun': <false>}"));
    g_autoptr(BotoCollection) f2 = boto_collection_filter (f1,
      g_variant_new_parsed ("{'Filters': <[<{'Name': <'b'>}>]>, 'DryRun': <true>}"));
    g_autoptr(BotoCollection) limited = boto_collection_limit (f2, 5);
    g_autoptr(BotoCollection) sized = boto_collection_page_size (limited, 50);
    g_autoptr(GVariant) merged = g_variant_ref_sink (g_variant_new_parsed (
      "{'Filters': <[<{'Name': <'a'>}>, <{'Name': <'b'>}>]>, 'DryRun': <true>}"));

    g_assert_no_error (error);
    g_assert_true (g_variant_equal (boto_collection_get_params (f2), merged));
    g_assert_true (g_variant_equal (boto_collection_get_params (sized), merged));
    g_assert_cmpint (boto_collection_get_limit (instances), ==, -1);
    g_assert_cmpint (boto_collection_get_limit (sized), ==, 5);
    g_assert_cmpint (boto_collection_get_page_size (sized), ==, 50);
    g_assert_cmpint (boto_collection_get_page_size (limited), ==, -1);
    g_assert_cmpstr (boto_collection_get_name (sized), ==, "instances");
    g_assert_cmpstr (boto_collection_get_resource_name (sized), ==, "Instance");
    g_assert_true (boto_collection_get_parent (sized) == BOTO_RESOURCE (ec2));
  }
}

static void
test_errors (void)
{
  g_autoptr(BotoServiceResource) s3 = make_resource ("s3");
  g_autoptr(BotoServiceResource) sqs = make_resource ("sqs");
  g_autoptr(BotoResource) bucket = sub (s3, "Bucket", g_variant_new_string ("b"));
  g_autoptr(BotoResource) message = sub (sqs, "Message", g_variant_new_parsed ("['http://q', 'r']"));
  g_autoptr(BotoResource) unbound = NULL;
  g_autoptr(GError) error = NULL;
  GVariant *value;
  gpointer p;

  p = boto_service_resource_get_sub_resource (s3, "Nope", NULL, &error);
  g_assert_null (p);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_RESOURCE);
  g_clear_error (&error);

  p = boto_resource_new (boto_resource_get_client (BOTO_RESOURCE (s3)), "Nope", NULL, &error);
  g_assert_null (p);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_RESOURCE);
  g_clear_error (&error);

  /* Too few, too many, the wrong type, an unknown name, none. */
  p = boto_service_resource_get_sub_resource (s3, "Object", g_variant_new_string ("b"), &error);
  g_assert_null (p);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_IDENTIFIERS);
  g_clear_error (&error);
  p = boto_service_resource_get_sub_resource (s3, "Bucket", g_variant_new_parsed ("['a', 'b']"), &error);
  g_assert_null (p);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_IDENTIFIERS);
  g_clear_error (&error);
  p = boto_service_resource_get_sub_resource (s3, "Bucket", g_variant_new_boolean (TRUE), &error);
  g_assert_null (p);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_IDENTIFIERS);
  g_clear_error (&error);
  p = boto_service_resource_get_sub_resource (s3, "Object", g_variant_new_parsed ("[<'b'>, <7>]"), &error);
  g_assert_null (p);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_IDENTIFIERS);
  g_clear_error (&error);
  p = boto_service_resource_get_sub_resource (s3, "Bucket", g_variant_new_parsed ("{'colour': <'x'>}"), &error);
  g_assert_null (p);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_IDENTIFIERS);
  g_clear_error (&error);
  p = boto_service_resource_get_sub_resource (s3, "Bucket", NULL, &error);
  g_assert_null (p);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_IDENTIFIERS);
  g_clear_error (&error);
  /* A bucket's Object takes only the key. */
  p = boto_resource_get_sub_resource (bucket, "Object", g_variant_new_parsed ("['b', 'k']"), &error);
  g_assert_null (p);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_IDENTIFIERS);
  g_clear_error (&error);

  p = boto_resource_get_collection (bucket, "buckets", &error);
  g_assert_null (p);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_RESOURCE);
  g_clear_error (&error);
  p = boto_resource_get_reference (bucket, "owner", NULL, &error);
  g_assert_null (p);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_RESOURCE);
  g_clear_error (&error);
  value = boto_resource_call_action (bucket, "fly", NULL, NULL, &error);
  g_assert_null (value);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_RESOURCE);
  g_clear_error (&error);
  value = boto_resource_call_action (bucket, "delete", g_variant_new_string ("not a dict"), NULL, &error);
  g_assert_null (value);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION);
  g_clear_error (&error);
  value = boto_resource_get_attribute (bucket, "colour", &error);
  g_assert_null (value);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_RESOURCE);
  g_clear_error (&error);
  g_assert_false (boto_resource_wait (bucket, "wait_until_gone", NULL, NULL, &error));
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_RESOURCE);
  g_clear_error (&error);

  /* A Message has no load: its attributes come only with its data. */
  value = boto_resource_get_attribute (message, "body", &error);
  g_assert_null (value);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_RESOURCE_LOAD);
  g_clear_error (&error);
  g_assert_false (boto_resource_load (message, NULL, &error));
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_RESOURCE_LOAD);
  g_clear_error (&error);
  boto_resource_set_data (message, g_variant_new_parsed ("{'Body': <'hello'>}"));
  value = boto_resource_get_attribute (message, "body", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_variant_get_string (value, NULL), ==, "hello");
  g_variant_unref (value);
  /* An attribute the data lacks is NULL without an error, as None. */
  value = boto_resource_get_attribute (message, "md5_of_body", &error);
  g_assert_no_error (error);
  g_assert_null (value);

  /* Identifiers that are not set: no request is made. */
  unbound = g_object_new (BOTO_TYPE_RESOURCE, "client", boto_resource_get_client (BOTO_RESOURCE (s3)),
                          "resource-name", "Bucket", NULL);
  value = boto_resource_call_action (unbound, "delete", NULL, NULL, &error);
  g_assert_null (value);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_IDENTIFIERS);
  g_clear_error (&error);
  g_assert_false (boto_resource_load (unbound, NULL, &error));
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_IDENTIFIERS);
  g_clear_error (&error);
  g_assert_false (boto_resource_wait (unbound, "wait_until_exists", NULL, NULL, &error));
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_IDENTIFIERS);
  g_clear_error (&error);
  p = boto_resource_get_sub_resource (unbound, "Object", g_variant_new_string ("k"), &error);
  g_assert_null (p);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_IDENTIFIERS);
  g_clear_error (&error);

  /* A resource with no client is unusable but safe. */
  {
    g_autoptr(BotoResource) bare = g_object_new (BOTO_TYPE_RESOURCE, NULL);

    value = boto_resource_call_action (bare, "delete", NULL, NULL, &error);
    g_assert_null (value);
    g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_RESOURCE);
    g_clear_error (&error);
  }

  /* No resources without a resources-1.json. */
  {
    g_autoptr(BotoSession) session = boto_session_new ();
    g_autoptr(BotoServiceResource) sts =
      boto_session_resource_with_endpoint (session, "sts", "http://127.0.0.1:9", NULL, &error);

    g_assert_null (sts);
    g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_RESOURCE);
    g_clear_error (&error);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", "not-a-real-secret", TRUE);
  g_setenv ("AWS_DEFAULT_REGION", "us-east-1", TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/boto/resource-model/names", test_names);
  g_test_add_func ("/boto/resource-model/identifiers", test_identifiers);
  g_test_add_func ("/boto/resource-model/request-params", test_request_params);
  g_test_add_func ("/boto/resource-model/errors", test_errors);

  return g_test_run ();
}
