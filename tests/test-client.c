/* test-client.c: BotoClient end to end against moto on loopback
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include <boto-glib/boto-glib.h>

static BotoClient *
make_client (const char *service)
{
  g_autoptr(BotoSession) session = boto_session_new ();
  g_autoptr(GError) error = NULL;
  BotoClient *client = boto_session_client (session, service, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (client);
  return client;
}

static GVariant *
call (BotoClient *client,
      const char *operation,
      GVariant   *params)
{
  g_autoptr(GError) error = NULL;
  GVariant *result = boto_client_call (client, operation, params, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_true (g_variant_is_of_type (result, G_VARIANT_TYPE_VARDICT));
  return result;
}

static gint32
status_of (GVariant *result)
{
  g_autoptr(GVariant) meta = g_variant_lookup_value (result, "ResponseMetadata", G_VARIANT_TYPE_VARDICT);
  gint32 status = 0;
  gint32 retries = -1;

  g_assert_nonnull (meta);
  g_assert_true (g_variant_lookup (meta, "HTTPStatusCode", "i", &status));
  g_assert_true (g_variant_lookup (meta, "RetryAttempts", "i", &retries));
  g_assert_cmpint (retries, ==, 0);
  return status;
}

static GVariant *
bytes_variant (const char *text)
{
  return g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, text, strlen (text), 1);
}

static void
test_s3_objects (void)
{
  g_autoptr(BotoClient) s3 = make_client ("s3");
  g_autoptr(GVariant) created = NULL;
  g_autoptr(GVariant) put = NULL;
  g_autoptr(GVariant) listed = NULL;
  g_autoptr(GVariant) contents = NULL;
  g_autoptr(GVariant) got = NULL;
  g_autoptr(GVariant) body = NULL;
  g_autoptr(GVariant) deleted = NULL;
  g_autoptr(GVariant) after = NULL;
  const char *key = NULL;
  gsize size;
  gint32 count = -1;

  created = call (s3, "CreateBucket", g_variant_new_parsed ("{'Bucket': <'c-bucket'>}"));
  g_assert_cmpint (status_of (created), ==, 200);

  put = call (s3, "put_object",
              g_variant_new_parsed ("{'Bucket': <'c-bucket'>, 'Key': <'dir/hello world.txt'>, 'Body': <%@ay>}",
                                    bytes_variant ("hello, moto")));
  g_assert_true (g_variant_lookup (put, "ETag", "&s", &key));

  listed = call (s3, "ListObjectsV2", g_variant_new_parsed ("{'Bucket': <'c-bucket'>}"));
  g_assert_true (g_variant_lookup (listed, "KeyCount", "i", &count));
  g_assert_cmpint (count, ==, 1);
  contents = g_variant_lookup_value (listed, "Contents", G_VARIANT_TYPE ("aa{sv}"));
  g_assert_nonnull (contents);
  g_assert_cmpuint (g_variant_n_children (contents), ==, 1);
  {
    g_autoptr(GVariant) first = g_variant_get_child_value (contents, 0);

    g_assert_true (g_variant_lookup (first, "Key", "&s", &key));
    g_assert_cmpstr (key, ==, "dir/hello world.txt");
  }

  got = call (s3, "GetObject", g_variant_new_parsed ("{'Bucket': <'c-bucket'>, 'Key': <'dir/hello world.txt'>}"));
  body = g_variant_lookup_value (got, "Body", G_VARIANT_TYPE_BYTESTRING);
  g_assert_nonnull (body);
  g_assert_cmpmem (g_variant_get_fixed_array (body, &size, 1), size, "hello, moto", 11);

  deleted = call (s3, "DeleteObject", g_variant_new_parsed ("{'Bucket': <'c-bucket'>, 'Key': <'dir/hello world.txt'>}"));
  g_assert_cmpint (status_of (deleted), ==, 204);
  after = call (s3, "ListObjectsV2", g_variant_new_parsed ("{'Bucket': <'c-bucket'>}"));
  g_assert_true (g_variant_lookup (after, "KeyCount", "i", &count));
  g_assert_cmpint (count, ==, 0);
}

static void
test_s3_no_such_bucket (void)
{
  g_autoptr(BotoClient) s3 = make_client ("s3");
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GVariant) response = NULL;
  gboolean is_error = FALSE;
  GVariant *dict;
  const char *code = NULL;

  result = boto_client_call (s3, "ListObjectsV2", g_variant_new_parsed ("{'Bucket': <'no-such-bucket-here'>}"),
                             NULL, &error);
  g_assert_null (result);
  g_assert_error (error, BOTO_SERVICE_ERROR, BOTO_SERVICE_ERROR_CLIENT);
  g_assert_cmpstr (boto_service_error_get_code (error), ==, "NoSuchBucket");
  g_assert_cmpuint (boto_service_error_get_status (error), ==, 404);
  g_assert_nonnull (boto_service_error_get_request_id (error));
  g_assert_nonnull (boto_service_error_get_message (error));
  g_assert_nonnull (strstr (error->message, "(NoSuchBucket) when calling the ListObjectsV2 operation"));
  dict = boto_service_error_get_response (error);
  g_assert_nonnull (dict);
  g_assert_nonnull (g_variant_lookup_value (dict, "ResponseMetadata", G_VARIANT_TYPE_VARDICT));
  g_variant_unref (g_variant_lookup_value (dict, "ResponseMetadata", G_VARIANT_TYPE_VARDICT));

  /* The non-throwing path returns the same dictionary. */
  response = boto_client_call_full (s3, "list_objects_v2", g_variant_new_parsed ("{'Bucket': <'no-such-bucket-here'>}"),
                                    &is_error, NULL, NULL);
  g_assert_nonnull (response);
  g_assert_true (is_error);
  {
    g_autoptr(GVariant) err = g_variant_lookup_value (response, "Error", G_VARIANT_TYPE_VARDICT);

    g_assert_nonnull (err);
    g_assert_true (g_variant_lookup (err, "Code", "&s", &code));
    g_assert_cmpstr (code, ==, "NoSuchBucket");
  }
}

static void
test_param_validation (void)
{
  g_autoptr(BotoClient) s3 = make_client ("s3");
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;

  /* Bucket is required, Key has the wrong type: nothing is sent. */
  result = boto_client_call (s3, "PutObject", g_variant_new_parsed ("{'Key': <42>}"), NULL, &error);
  g_assert_null (result);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION);
  g_assert_nonnull (strstr (error->message, "Bucket"));
  g_clear_error (&error);

  result = boto_client_call (s3, "NoSuchOperation", NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_OPERATION);
}

static void
test_sqs (void)
{
  g_autoptr(BotoClient) sqs = make_client ("sqs");
  g_autoptr(GVariant) created = NULL;
  g_autoptr(GVariant) sent = NULL;
  g_autoptr(GVariant) received = NULL;
  g_autoptr(GVariant) messages = NULL;
  g_autoptr(GVariant) first = NULL;
  const char *url = NULL;
  const char *body = NULL;

  created = call (sqs, "CreateQueue", g_variant_new_parsed ("{'QueueName': <'c-queue'>}"));
  g_assert_true (g_variant_lookup (created, "QueueUrl", "&s", &url));
  g_assert_nonnull (strstr (url, "c-queue"));
  sent = call (sqs, "SendMessage", g_variant_new_parsed ("{'QueueUrl': <%s>, 'MessageBody': <'ping'>}", url));
  g_assert_true (g_variant_lookup (sent, "MessageId", "&s", &body));
  received = call (sqs, "ReceiveMessage", g_variant_new_parsed ("{'QueueUrl': <%s>, 'MaxNumberOfMessages': <1>}", url));
  messages = g_variant_lookup_value (received, "Messages", G_VARIANT_TYPE ("aa{sv}"));
  g_assert_nonnull (messages);
  g_assert_cmpuint (g_variant_n_children (messages), ==, 1);
  first = g_variant_get_child_value (messages, 0);
  g_assert_true (g_variant_lookup (first, "Body", "&s", &body));
  g_assert_cmpstr (body, ==, "ping");
}

static void
test_ec2 (void)
{
  g_autoptr(BotoClient) ec2 = make_client ("ec2");
  g_autoptr(GVariant) run = NULL;
  g_autoptr(GVariant) instances = NULL;
  g_autoptr(GVariant) described = NULL;
  g_autoptr(GVariant) reservations = NULL;
  g_autoptr(GVariant) instance = NULL;
  const char *id = NULL;
  const char *type = NULL;

  run = call (ec2, "RunInstances",
              g_variant_new_parsed ("{'ImageId': <'ami-12c6146b'>, 'InstanceType': <'t2.micro'>, "
                                    "'MinCount': <1>, 'MaxCount': <1>}"));
  instances = g_variant_lookup_value (run, "Instances", G_VARIANT_TYPE ("aa{sv}"));
  g_assert_nonnull (instances);
  instance = g_variant_get_child_value (instances, 0);
  g_assert_true (g_variant_lookup (instance, "InstanceId", "&s", &id));

  described = call (ec2, "DescribeInstances", g_variant_new_parsed ("{'InstanceIds': <[%s]>}", id));
  reservations = g_variant_lookup_value (described, "Reservations", G_VARIANT_TYPE ("aa{sv}"));
  g_assert_nonnull (reservations);
  g_assert_cmpuint (g_variant_n_children (reservations), ==, 1);
  {
    g_autoptr(GVariant) reservation = g_variant_get_child_value (reservations, 0);
    g_autoptr(GVariant) list = g_variant_lookup_value (reservation, "Instances", G_VARIANT_TYPE ("aa{sv}"));
    g_autoptr(GVariant) one = g_variant_get_child_value (list, 0);

    g_assert_true (g_variant_lookup (one, "InstanceType", "&s", &type));
    g_assert_cmpstr (type, ==, "t2.micro");
  }
}

static void
test_iam (void)
{
  g_autoptr(BotoClient) iam = make_client ("iam");
  g_autoptr(GVariant) created = NULL;
  g_autoptr(GVariant) user = NULL;
  const char *name = NULL;

  created = call (iam, "CreateUser", g_variant_new_parsed ("{'UserName': <'c-user'>}"));
  user = g_variant_lookup_value (created, "User", G_VARIANT_TYPE_VARDICT);
  g_assert_nonnull (user);
  g_assert_true (g_variant_lookup (user, "UserName", "&s", &name));
  g_assert_cmpstr (name, ==, "c-user");
}

/* CloudWatch's model lists smithy-rpc-v2-cbor, json and query; botocore's
 * order of preference puts json first, so boto3 (and moto) speak json. */
static void
test_cloudwatch (void)
{
  g_autoptr(BotoClient) cw = make_client ("cloudwatch");
  g_autoptr(GVariant) put = NULL;
  g_autoptr(GVariant) listed = NULL;
  g_autoptr(GVariant) metrics = NULL;
  g_autoptr(GVariant) metric = NULL;
  const char *name = NULL;

  g_assert_cmpstr (boto_service_model_get_protocol (boto_client_get_service_model (cw)), ==, "json");
  put = call (cw, "PutMetricData",
              g_variant_new_parsed ("{'Namespace': <'boto-glib/test'>, "
                                    "'MetricData': <[{'MetricName': <'latency'>, 'Value': <12.5>, "
                                    "'Unit': <'Milliseconds'>}]>}"));
  listed = call (cw, "ListMetrics", g_variant_new_parsed ("{'Namespace': <'boto-glib/test'>}"));
  metrics = g_variant_lookup_value (listed, "Metrics", NULL);
  g_assert_nonnull (metrics);
  g_assert_cmpuint (g_variant_n_children (metrics), ==, 1);
  metric = g_variant_get_child_value (metrics, 0);
  g_assert_true (g_variant_lookup (metric, "MetricName", "&s", &name));
  g_assert_cmpstr (name, ==, "latency");
}

static void
test_dynamodb (void)
{
  g_autoptr(BotoClient) ddb = make_client ("dynamodb");
  g_autoptr(GVariant) table = NULL;
  g_autoptr(GVariant) put = NULL;
  g_autoptr(GVariant) got = NULL;
  g_autoptr(GVariant) item = NULL;
  g_autoptr(GVariant) attr = NULL;
  const char *value = NULL;

  table = call (ddb, "CreateTable",
                g_variant_new_parsed ("{'TableName': <'c-table'>, "
                                      "'KeySchema': <[{'AttributeName': <'id'>, 'KeyType': <'HASH'>}]>, "
                                      "'AttributeDefinitions': <[{'AttributeName': <'id'>, 'AttributeType': <'S'>}]>, "
                                      "'BillingMode': <'PAY_PER_REQUEST'>}"));
  put = call (ddb, "PutItem",
              g_variant_new_parsed ("{'TableName': <'c-table'>, "
                                    "'Item': <{'id': <{'S': <'k1'>}>, 'v': <{'S': <'hello'>}>}>}"));
  got = call (ddb, "GetItem",
              g_variant_new_parsed ("{'TableName': <'c-table'>, 'Key': <{'id': <{'S': <'k1'>}>}>}"));
  item = g_variant_lookup_value (got, "Item", NULL);
  g_assert_nonnull (item);
  attr = g_variant_lookup_value (item, "v", G_VARIANT_TYPE_VARDICT);
  g_assert_nonnull (attr);
  g_assert_true (g_variant_lookup (attr, "S", "&s", &value));
  g_assert_cmpstr (value, ==, "hello");
}

typedef struct
{
  GMainLoop *loop;
  GVariant  *result;
  GError    *error;
} AsyncData;

static void
on_called (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  AsyncData *data = user_data;

  data->result = boto_client_call_finish (BOTO_CLIENT (source), result, &data->error);
  g_main_loop_quit (data->loop);
}

static void
test_async (void)
{
  g_autoptr(BotoClient) s3 = make_client ("s3");
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  AsyncData data = { loop, NULL, NULL };
  g_autoptr(GVariant) buckets = NULL;

  boto_client_call_async (s3, "CreateBucket", g_variant_new_parsed ("{'Bucket': <'async-bucket'>}"),
                          NULL, on_called, &data);
  g_main_loop_run (loop);
  g_assert_no_error (data.error);
  g_assert_nonnull (data.result);
  g_clear_pointer (&data.result, g_variant_unref);

  boto_client_call_async (s3, "ListBuckets", NULL, NULL, on_called, &data);
  g_main_loop_run (loop);
  g_assert_no_error (data.error);
  buckets = g_variant_lookup_value (data.result, "Buckets", G_VARIANT_TYPE ("aa{sv}"));
  g_assert_nonnull (buckets);
  g_assert_cmpuint (g_variant_n_children (buckets), >=, 1);
  g_clear_pointer (&data.result, g_variant_unref);

  /* A service error through the async path. */
  boto_client_call_async (s3, "ListObjectsV2", g_variant_new_parsed ("{'Bucket': <'async-missing'>}"),
                          NULL, on_called, &data);
  g_main_loop_run (loop);
  g_assert_null (data.result);
  g_assert_error (data.error, BOTO_SERVICE_ERROR, BOTO_SERVICE_ERROR_CLIENT);
  g_assert_cmpstr (boto_service_error_get_code (data.error), ==, "NoSuchBucket");
  g_clear_error (&data.error);

  /* A validation error is reported through the callback too. */
  boto_client_call_async (s3, "GetObject", NULL, NULL, on_called, &data);
  g_main_loop_run (loop);
  g_assert_error (data.error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION);
  g_clear_error (&data.error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/boto/client/s3/objects", test_s3_objects);
  g_test_add_func ("/boto/client/s3/no-such-bucket", test_s3_no_such_bucket);
  g_test_add_func ("/boto/client/param-validation", test_param_validation);
  g_test_add_func ("/boto/client/sqs/messages", test_sqs);
  g_test_add_func ("/boto/client/ec2/instances", test_ec2);
  g_test_add_func ("/boto/client/iam/create-user", test_iam);
  g_test_add_func ("/boto/client/dynamodb/items", test_dynamodb);
  g_test_add_func ("/boto/client/cloudwatch/metrics", test_cloudwatch);
  g_test_add_func ("/boto/client/async", test_async);

  return g_test_run ();
}
