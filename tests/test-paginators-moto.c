/* test-paginators-moto.c: paginators and waiters end to end against moto on
 * loopback (run under tests/moto-fixture.py)
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include <boto-glib/boto-glib.h>

#define N_KEYS 2500

static BotoClient *
make_client (const char *service)
{
  g_autoptr(BotoSession) session = boto_session_new ();
  g_autoptr(GError) error = NULL;
  BotoClient *client = boto_session_create_client (session, service, NULL, NULL, &error);

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
  return result;
}

static char *
key_name (guint i)
{
  return g_strdup_printf ("obj/%05u", i);
}

typedef struct
{
  BotoClient *s3;
  GMainLoop  *loop;
  guint       next;
  guint       in_flight;
} Uploads;

static void put_next (Uploads *uploads);

static void
on_put (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Uploads *uploads = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) put = boto_client_call_finish (BOTO_CLIENT (source), result, &error);

  g_assert_no_error (error);
  uploads->in_flight--;
  put_next (uploads);
  if (uploads->in_flight == 0)
    g_main_loop_quit (uploads->loop);
}

static void
put_next (Uploads *uploads)
{
  if (uploads->next < N_KEYS)
    {
      g_autofree char *key = key_name (uploads->next++);

      uploads->in_flight++;
      boto_client_call_async (uploads->s3, "put_object",
                              g_variant_new_parsed ("{'Bucket': <'pag-bucket'>, 'Key': <%s>, 'Body': <b'x'>}", key),
                              NULL, on_put, uploads);
    }
}

/* The bucket with N_KEYS objects, made once, 8 uploads at a time. */
static void
ensure_bucket (BotoClient *s3)
{
  static gboolean made = FALSE;
  g_autoptr(GVariant) created = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  Uploads uploads = { s3, NULL, 0, 0 };

  if (made)
    return;
  created = call (s3, "CreateBucket", g_variant_new_parsed ("{'Bucket': <'pag-bucket'>}"));
  loop = g_main_loop_new (NULL, FALSE);
  uploads.loop = loop;
  for (guint i = 0; i < 8; i++)
    put_next (&uploads);
  g_main_loop_run (loop);
  g_assert_cmpuint (uploads.next, ==, N_KEYS);
  made = TRUE;
}

/* Adds the keys of @page to @seen, checking none is there twice; returns
 * how many the page had. */
static guint
collect_keys (GVariant   *page,
              GHashTable *seen)
{
  g_autoptr(GVariant) contents = g_variant_lookup_value (page, "Contents", G_VARIANT_TYPE ("aa{sv}"));
  gsize n;

  if (contents == NULL)
    return 0;
  n = g_variant_n_children (contents);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) object = g_variant_get_child_value (contents, i);
      char *key = NULL;

      g_assert_true (g_variant_lookup (object, "Key", "s", &key));
      g_assert_false (g_hash_table_contains (seen, key));
      g_hash_table_add (seen, key);
    }
  return (guint) n;
}

static void
assert_all_keys (GHashTable *seen)
{
  g_assert_cmpuint (g_hash_table_size (seen), ==, N_KEYS);
  for (guint i = 0; i < N_KEYS; i++)
    {
      g_autofree char *key = key_name (i);

      g_assert_true (g_hash_table_contains (seen, key));
    }
}

static void
test_s3_list_objects (void)
{
  g_autoptr(BotoClient) s3 = make_client ("s3");
  g_autoptr(BotoPaginator) paginator = NULL;
  g_autoptr(BotoPageIterator) pages = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  GVariant *page;

  ensure_bucket (s3);
  g_assert_true (boto_client_can_paginate (s3, "list_objects_v2"));
  paginator = boto_client_get_paginator (s3, "list_objects_v2", &error);
  g_assert_no_error (error);

  /* Default page size: 1000, 1000, 500. */
  pages = boto_paginator_paginate (paginator, g_variant_new_parsed ("{'Bucket': <'pag-bucket'>}"), NULL);
  while ((page = boto_page_iterator_next (pages, NULL, &error)) != NULL)
    {
      guint n = collect_keys (page, seen);

      g_array_append_val (sizes, n);
      g_variant_unref (page);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (sizes->len, ==, 3);
  g_assert_cmpuint (g_array_index (sizes, guint, 0), ==, 1000);
  g_assert_cmpuint (g_array_index (sizes, guint, 2), ==, 500);
  g_assert_cmpuint (boto_page_iterator_get_n_pages (pages), ==, 3);
  assert_all_keys (seen);
  g_clear_object (&pages);
  g_hash_table_remove_all (seen);

  /* PageSize 500: five requests. */
  pages = boto_paginator_paginate (paginator, g_variant_new_parsed ("{'Bucket': <'pag-bucket'>}"),
                                   g_variant_new_parsed ("{'PageSize': <500>}"));
  while ((page = boto_page_iterator_next (pages, NULL, &error)) != NULL)
    {
      g_assert_cmpuint (collect_keys (page, seen), ==, 500);
      g_variant_unref (page);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (boto_page_iterator_get_n_pages (pages), ==, 5);
  assert_all_keys (seen);
}

static void
test_s3_max_items_resume (void)
{
  g_autoptr(BotoClient) s3 = make_client ("s3");
  g_autoptr(BotoPaginator) paginator = NULL;
  g_autoptr(BotoPageIterator) pages = NULL;
  g_autoptr(BotoPageIterator) rest = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) full = NULL;
  g_autoptr(GVariant) keys = NULL;
  g_autofree char *token = NULL;
  const char *next_token = NULL;
  guint first = 0;
  GVariant *page;

  ensure_bucket (s3);
  paginator = boto_client_get_paginator (s3, "ListObjectsV2", &error);
  g_assert_no_error (error);

  /* 1200 items: a full page, then 200 of the second. */
  pages = boto_paginator_paginate (paginator, g_variant_new_parsed ("{'Bucket': <'pag-bucket'>}"),
                                   g_variant_new_parsed ("{'MaxItems': <1200>}"));
  while ((page = boto_page_iterator_next (pages, NULL, &error)) != NULL)
    {
      first += collect_keys (page, seen);
      g_variant_unref (page);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (first, ==, 1200);
  g_assert_cmpuint (boto_page_iterator_get_n_pages (pages), ==, 2);
  g_assert_nonnull (boto_page_iterator_get_resume_token (pages));
  token = g_strdup (boto_page_iterator_get_resume_token (pages));

  /* The rest, from the token. */
  rest = boto_paginator_paginate (paginator,
                                  g_variant_new_parsed ("{'Bucket': <'pag-bucket'>, "
                                                        "'PaginationConfig': <{'StartingToken': <%s>}>}", token),
                                  NULL);
  while ((page = boto_page_iterator_next (rest, NULL, &error)) != NULL)
    {
      collect_keys (page, seen);
      g_variant_unref (page);
    }
  g_assert_no_error (error);
  g_assert_null (boto_page_iterator_get_resume_token (rest));
  assert_all_keys (seen);
  g_clear_object (&pages);

  /* build_full_result with MaxItems gives the same token as NextToken. */
  pages = boto_paginator_paginate (paginator, g_variant_new_parsed ("{'Bucket': <'pag-bucket'>}"),
                                   g_variant_new_parsed ("{'MaxItems': <1200>}"));
  full = boto_page_iterator_build_full_result (pages, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_lookup (full, "NextToken", "&s", &next_token));
  g_assert_cmpstr (next_token, ==, token);
  {
    g_autoptr(GVariant) contents = g_variant_lookup_value (full, "Contents", G_VARIANT_TYPE ("aa{sv}"));

    g_assert_cmpuint (g_variant_n_children (contents), ==, 1200);
  }
  g_clear_object (&pages);

  /* search() over every page. */
  pages = boto_paginator_paginate (paginator, g_variant_new_parsed ("{'Bucket': <'pag-bucket'>}"), NULL);
  keys = boto_page_iterator_search (pages, "Contents[].Key", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_variant_n_children (keys), ==, N_KEYS);
}

typedef struct
{
  GMainLoop *loop;
  gboolean   ok;
  GError    *error;
  guint      pages;
} AsyncState;

static void
on_next_page (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  AsyncState *state = user_data;
  GVariant *page = boto_page_iterator_next_finish (BOTO_PAGE_ITERATOR (source), result, &state->error);

  if (page == NULL)
    {
      g_main_loop_quit (state->loop);
      return;
    }
  state->pages++;
  g_variant_unref (page);
  boto_page_iterator_next_async (BOTO_PAGE_ITERATOR (source), NULL, on_next_page, state);
}

static void
test_s3_async_pages (void)
{
  g_autoptr(BotoClient) s3 = make_client ("s3");
  g_autoptr(BotoPaginator) paginator = NULL;
  g_autoptr(BotoPageIterator) pages = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  AsyncState state = { loop, };

  ensure_bucket (s3);
  paginator = boto_client_get_paginator (s3, "list_objects_v2", &error);
  g_assert_no_error (error);
  pages = boto_paginator_paginate (paginator, g_variant_new_parsed ("{'Bucket': <'pag-bucket'>}"),
                                   g_variant_new_parsed ("{'PageSize': <1000>}"));
  boto_page_iterator_next_async (pages, NULL, on_next_page, &state);
  g_main_loop_run (loop);
  g_assert_no_error (state.error);
  g_assert_cmpuint (state.pages, ==, 3);
}

static void
on_waited (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  AsyncState *state = user_data;

  state->ok = boto_waiter_wait_finish (BOTO_WAITER (source), result, &state->error);
  g_main_loop_quit (state->loop);
}

static void
on_bucket_created (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) created = boto_client_call_finish (BOTO_CLIENT (source), result, &error);

  g_assert_no_error (error);
}

static gboolean
create_late_bucket (gpointer user_data)
{
  boto_client_call_async (user_data, "CreateBucket", g_variant_new_parsed ("{'Bucket': <'late-bucket'>}"),
                          NULL, on_bucket_created, NULL);
  return G_SOURCE_REMOVE;
}

static void
test_s3_waiters (void)
{
  g_autoptr(BotoClient) s3 = make_client ("s3");
  g_autoptr(BotoWaiter) bucket_exists = NULL;
  g_autoptr(BotoWaiter) bucket_not_exists = NULL;
  g_autoptr(BotoWaiter) object_exists = NULL;
  g_autoptr(BotoWaiter) object_not_exists = NULL;
  g_autoptr(GVariant) created = NULL;
  g_autoptr(GVariant) put = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = boto_client_dup_waiter_names (s3);
  g_autofree char *joined = g_strjoinv (",", names);
  AsyncState state = { loop, };

  g_assert_cmpstr (joined, ==, "bucket_exists,bucket_not_exists,object_exists,object_not_exists");
  bucket_exists = boto_client_get_waiter (s3, "bucket_exists", &error);
  g_assert_no_error (error);
  bucket_not_exists = boto_client_get_waiter (s3, "bucket_not_exists", &error);
  g_assert_no_error (error);
  object_exists = boto_client_get_waiter (s3, "object_exists", &error);
  g_assert_no_error (error);
  object_not_exists = boto_client_get_waiter (s3, "ObjectNotExists", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (boto_waiter_get_operation_name (bucket_exists), ==, "HeadBucket");
  g_assert_cmpint (boto_waiter_get_delay (bucket_exists), ==, 5);
  g_assert_cmpint (boto_waiter_get_max_attempts (bucket_exists), ==, 20);

  created = call (s3, "CreateBucket", g_variant_new_parsed ("{'Bucket': <'wait-bucket'>}"));
  put = call (s3, "PutObject", g_variant_new_parsed ("{'Bucket': <'wait-bucket'>, 'Key': <'here'>, "
                                                     "'Body': <b'1'>}"));

  g_assert_true (boto_waiter_wait (bucket_exists, g_variant_new_parsed ("{'Bucket': <'wait-bucket'>}"),
                                   NULL, &error));
  g_assert_no_error (error);
  g_assert_true (boto_waiter_wait (bucket_not_exists, g_variant_new_parsed ("{'Bucket': <'no-bucket'>}"),
                                   NULL, &error));
  g_assert_no_error (error);
  g_assert_true (boto_waiter_wait (object_exists,
                                   g_variant_new_parsed ("{'Bucket': <'wait-bucket'>, 'Key': <'here'>}"),
                                   NULL, &error));
  g_assert_no_error (error);
  g_assert_true (boto_waiter_wait (object_not_exists,
                                   g_variant_new_parsed ("{'Bucket': <'wait-bucket'>, 'Key': <'gone'>}"),
                                   NULL, &error));
  g_assert_no_error (error);

  /* A bucket that never comes: HEAD's 404 is a retry, then the attempts
   * run out. */
  g_assert_false (boto_waiter_wait (bucket_exists,
                                    g_variant_new_parsed ("{'Bucket': <'never-bucket'>, "
                                                          "'WaiterConfig': <{'Delay': <0>, 'MaxAttempts': <2>}>}"),
                                    NULL, &error));
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_WAITER);
  g_assert_cmpstr (error->message, ==,
                   "Waiter BucketExists failed: Max attempts exceeded. Previously accepted state: "
                   "Matched expected HTTP status code: 404");
  g_clear_error (&error);

  /* Async: the bucket appears while the waiter waits on the main loop. */
  g_timeout_add (300, create_late_bucket, s3);
  boto_waiter_wait_async (bucket_exists,
                          g_variant_new_parsed ("{'Bucket': <'late-bucket'>, "
                                                "'WaiterConfig': <{'Delay': <1>, 'MaxAttempts': <10>}>}"),
                          NULL, on_waited, &state);
  g_main_loop_run (loop);
  g_assert_no_error (state.error);
  g_assert_true (state.ok);
}

static void
test_ec2_instance (void)
{
  g_autoptr(BotoClient) ec2 = make_client ("ec2");
  g_autoptr(GVariant) key_pair = NULL;
  g_autoptr(GVariant) images = NULL;
  g_autoptr(GVariant) image_list = NULL;
  g_autoptr(GVariant) run = NULL;
  g_autoptr(GVariant) instances = NULL;
  g_autoptr(GVariant) instance = NULL;
  g_autoptr(GVariant) full = NULL;
  g_autoptr(GVariant) ids = NULL;
  g_autoptr(BotoWaiter) running = NULL;
  g_autoptr(BotoPaginator) paginator = NULL;
  g_autoptr(BotoPageIterator) pages = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *image_id = g_strdup ("ami-12c6146b");
  const char *key_name_out = NULL;
  const char *id = NULL;
  gboolean found = FALSE;

  key_pair = call (ec2, "create_key_pair", g_variant_new_parsed ("{'KeyName': <'pag-key'>}"));
  g_assert_true (g_variant_lookup (key_pair, "KeyName", "&s", &key_name_out));
  g_assert_cmpstr (key_name_out, ==, "pag-key");

  images = call (ec2, "describe_images", g_variant_new_parsed ("{'Owners': <['amazon']>}"));
  image_list = g_variant_lookup_value (images, "Images", G_VARIANT_TYPE ("aa{sv}"));
  if (image_list != NULL && g_variant_n_children (image_list) > 0)
    {
      g_autoptr(GVariant) image = g_variant_get_child_value (image_list, 0);

      g_clear_pointer (&image_id, g_free);
      g_assert_true (g_variant_lookup (image, "ImageId", "s", &image_id));
    }

  run = call (ec2, "run_instances",
              g_variant_new_parsed ("{'ImageId': <%s>, 'InstanceType': <'t2.micro'>, 'KeyName': <'pag-key'>, "
                                    "'MinCount': <1>, 'MaxCount': <1>}", image_id));
  instances = g_variant_lookup_value (run, "Instances", G_VARIANT_TYPE ("aa{sv}"));
  g_assert_nonnull (instances);
  instance = g_variant_get_child_value (instances, 0);
  g_assert_true (g_variant_lookup (instance, "InstanceId", "&s", &id));

  {
    g_auto(GStrv) names = boto_client_dup_waiter_names (ec2);

    g_assert_true (g_strv_contains ((const char * const *) names, "instance_running"));
  }
  running = boto_client_get_waiter (ec2, "instance_running", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (boto_waiter_get_operation_name (running), ==, "DescribeInstances");
  g_assert_true (boto_waiter_wait (running,
                                   g_variant_new_parsed ("{'InstanceIds': <[%s]>, "
                                                         "'WaiterConfig': <{'Delay': <1>, 'MaxAttempts': <10>}>}", id),
                                   NULL, &error));
  g_assert_no_error (error);

  paginator = boto_client_get_paginator (ec2, "describe_instances", &error);
  g_assert_no_error (error);
  pages = boto_paginator_paginate (paginator, NULL, g_variant_new_parsed ("{'PageSize': <5>}"));
  full = boto_page_iterator_build_full_result (pages, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (g_variant_lookup_value (full, "ResponseMetadata", NULL));
  g_clear_object (&pages);
  pages = boto_paginator_paginate (paginator, NULL, NULL);
  ids = boto_page_iterator_search (pages, "Reservations[].Instances[].InstanceId", NULL, &error);
  g_assert_no_error (error);
  for (gsize i = 0; i < g_variant_n_children (ids); i++)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (ids, i);
      g_autoptr(GVariant) one = g_variant_get_variant (boxed);

      if (strcmp (g_variant_get_string (one, NULL), id) == 0)
        found = TRUE;
    }
  g_assert_true (found);
  {
    g_autoptr(GVariant) reservations = g_variant_lookup_value (full, "Reservations", NULL);

    g_assert_nonnull (reservations);
    g_assert_cmpuint (g_variant_n_children (reservations), >=, 1);
  }
}

/* DynamoDB Scan: a map as the token, numbers added up in the full result. */
static void
test_dynamodb_scan (void)
{
  g_autoptr(BotoClient) ddb = make_client ("dynamodb");
  g_autoptr(GVariant) table = NULL;
  g_autoptr(BotoPaginator) paginator = NULL;
  g_autoptr(BotoPageIterator) pages = NULL;
  g_autoptr(GVariant) full = NULL;
  g_autoptr(GVariant) items = NULL;
  g_autoptr(GVariant) rest = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  const char *token = NULL;
  gint32 count = -1;
  gint32 scanned = -1;

  table = call (ddb, "CreateTable",
                g_variant_new_parsed ("{'TableName': <'pag-table'>, "
                                      "'KeySchema': <[{'AttributeName': <'id'>, 'KeyType': <'HASH'>}]>, "
                                      "'AttributeDefinitions': <[{'AttributeName': <'id'>, 'AttributeType': <'S'>}]>, "
                                      "'BillingMode': <'PAY_PER_REQUEST'>}"));
  for (guint i = 0; i < 25; i++)
    {
      g_autofree char *id = g_strdup_printf ("i%02u", i);
      g_autoptr(GVariant) put = call (ddb, "put_item",
                                      g_variant_new_parsed ("{'TableName': <'pag-table'>, "
                                                            "'Item': <{'id': <{'S': <%s>}>}>}", id));
    }

  paginator = boto_client_get_paginator (ddb, "scan", &error);
  g_assert_no_error (error);
  pages = boto_paginator_paginate (paginator, g_variant_new_parsed ("{'TableName': <'pag-table'>}"),
                                   g_variant_new_parsed ("{'MaxItems': <15>, 'PageSize': <10>}"));
  full = boto_page_iterator_build_full_result (pages, NULL, &error);
  g_assert_no_error (error);
  items = g_variant_lookup_value (full, "Items", NULL);
  g_assert_cmpuint (g_variant_n_children (items), ==, 15);
  /* Count and ScannedCount are added up over both pages, untruncated. */
  g_assert_true (g_variant_lookup (full, "Count", "i", &count));
  g_assert_true (g_variant_lookup (full, "ScannedCount", "i", &scanned));
  g_assert_cmpint (count, ==, 20);
  g_assert_cmpint (scanned, ==, 20);
  /* What botocore gives for the same scan against the same server:
   * {"ExclusiveStartKey": {"id": {"S": "i09"}}, "boto_truncate_amount": 5} */
  g_assert_true (g_variant_lookup (full, "NextToken", "&s", &token));
  g_assert_cmpstr (token, ==,
                   "eyJFeGNsdXNpdmVTdGFydEtleSI6IHsiaWQiOiB7IlMiOiAiaTA5In19LCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiA1fQ==");
  for (gsize i = 0; i < g_variant_n_children (items); i++)
    {
      g_autoptr(GVariant) item = g_variant_get_child_value (items, i);
      g_autoptr(GVariant) id = g_variant_lookup_value (item, "id", G_VARIANT_TYPE_VARDICT);
      char *text = NULL;

      g_assert_true (g_variant_lookup (id, "S", "s", &text));
      g_hash_table_add (seen, text);
    }
  g_clear_object (&pages);

  /* Resuming sends the map back as ExclusiveStartKey. */
  pages = boto_paginator_paginate (paginator, g_variant_new_parsed ("{'TableName': <'pag-table'>}"),
                                   g_variant_new_parsed ("{'StartingToken': <%s>, 'PageSize': <10>}", token));
  rest = boto_page_iterator_search (pages, "Items[].id.S", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_variant_n_children (rest), ==, 10);
  for (gsize i = 0; i < g_variant_n_children (rest); i++)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (rest, i);
      g_autoptr(GVariant) id = g_variant_get_variant (boxed);

      g_assert_false (g_hash_table_contains (seen, g_variant_get_string (id, NULL)));
      g_hash_table_add (seen, g_variant_dup_string (id, NULL));
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 25);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/boto/paginator/moto/s3-list-objects", test_s3_list_objects);
  g_test_add_func ("/boto/paginator/moto/s3-max-items-resume", test_s3_max_items_resume);
  g_test_add_func ("/boto/paginator/moto/s3-async", test_s3_async_pages);
  g_test_add_func ("/boto/paginator/moto/dynamodb-scan", test_dynamodb_scan);
  g_test_add_func ("/boto/waiter/moto/s3", test_s3_waiters);
  g_test_add_func ("/boto/waiter/moto/ec2-instance-running", test_ec2_instance);

  return g_test_run ();
}
