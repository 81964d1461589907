/* test-resources.c: the resource layer end to end against moto on loopback
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include <boto-glib/boto-glib.h>

#include "boto-resource-private.h"

static BotoServiceResource *
make_resource (const char *service)
{
  g_autoptr(BotoSession) session = boto_session_new ();
  g_autoptr(GError) error = NULL;
  BotoServiceResource *resource = boto_session_resource (session, service, NULL, &error);

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

static GVariant *
action (gpointer    resource,
        const char *name,
        GVariant   *params)
{
  g_autoptr(GError) error = NULL;
  GVariant *result = boto_resource_call_action (BOTO_RESOURCE (resource), name, params, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static BotoActionResult *
action_full (gpointer    resource,
             const char *name,
             GVariant   *params)
{
  g_autoptr(GError) error = NULL;
  BotoActionResult *result = boto_resource_call_action_full (BOTO_RESOURCE (resource), name, params,
                                                             NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static BotoCollection *
collection (gpointer    resource,
            const char *name)
{
  g_autoptr(GError) error = NULL;
  BotoCollection *c = boto_resource_get_collection (BOTO_RESOURCE (resource), name, &error);

  g_assert_no_error (error);
  g_assert_nonnull (c);
  return c;
}

static GPtrArray *
to_array (BotoCollection *c)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *all = boto_collection_to_array (c, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (all);
  return all;
}

static GVariant *
attribute (gpointer    resource,
           const char *name)
{
  g_autoptr(GError) error = NULL;
  GVariant *value = boto_resource_get_attribute (BOTO_RESOURCE (resource), name, &error);

  g_assert_no_error (error);
  return value;
}

static const char *
id_of (gpointer    resource,
       const char *name)
{
  const char *value = boto_resource_get_identifier_string (BOTO_RESOURCE (resource), name);

  g_assert_nonnull (value);
  return value;
}

static gboolean
contains_named (GPtrArray  *resources,
                const char *identifier,
                const char *value)
{
  for (guint i = 0; i < resources->len; i++)
    if (g_strcmp0 (boto_resource_get_identifier_string (resources->pdata[i], identifier), value) == 0)
      return TRUE;
  return FALSE;
}

static GVariant *
bytes_variant (const char *text)
{
  return g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, text, strlen (text), 1);
}

/* The seed's example: for bucket in s3.buckets.all(): print(bucket) */
static void
test_s3_buckets_all (void)
{
  g_autoptr(BotoServiceResource) s3 = make_resource ("s3");
  g_autoptr(BotoCollection) buckets = collection (s3, "buckets");
  g_autoptr(BotoCollection) all = boto_collection_all (buckets);
  g_autoptr(GPtrArray) listed = NULL;
  const char *names[] = { "res-all-1", "res-all-2", "res-all-3" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(BotoActionResult) created =
        action_full (s3, "create_bucket", g_variant_new_parsed ("{'Bucket': <%s>}", names[i]));
      BotoResource *bucket = boto_action_result_get_resource (created);

      g_assert_nonnull (bucket);
      g_assert_false (boto_action_result_is_list (created));
      g_assert_cmpstr (boto_resource_get_resource_name (bucket), ==, "Bucket");
      g_assert_cmpstr (id_of (bucket, "name"), ==, names[i]);
    }

  listed = to_array (all);
  g_assert_cmpuint (listed->len, >=, 3);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_true (contains_named (listed, "name", names[i]));
  for (guint i = 0; i < listed->len; i++)
    {
      g_autofree char *text = boto_resource_to_string (listed->pdata[i]);

      g_assert_true (g_str_has_prefix (text, "s3.Bucket(name="));
      /* The collection's items carry the data of the listing. */
      g_assert_nonnull (boto_resource_get_data (listed->pdata[i]));
    }
}

static void
test_s3_lifecycle (void)
{
  g_autoptr(BotoServiceResource) s3 = make_resource ("s3");
  g_autoptr(BotoResource) bucket = sub (s3, "Bucket", g_variant_new_string ("res-life"));
  g_autoptr(BotoResource) same = sub (s3, "Bucket", g_variant_new_parsed ("['res-life']"));
  g_autoptr(BotoResource) object = NULL;
  g_autoptr(BotoResource) object2 = NULL;
  g_autoptr(GVariant) created = NULL;
  g_autoptr(GVariant) put = NULL;
  g_autoptr(GVariant) got = NULL;
  g_autoptr(GVariant) body = NULL;
  g_autoptr(GVariant) creation = NULL;
  g_autoptr(GVariant) length = NULL;
  g_autoptr(GVariant) deleted = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *down = NULL;
  g_autofree char *contents = NULL;
  guint before;
  gboolean ok;

  g_assert_true (boto_resource_equal (bucket, same));
  /* The generic layer makes instances of the typed classes. */
  g_assert_true (BOTO_IS_S3_SERVICE_RESOURCE (s3));
  g_assert_true (BOTO_IS_S3_BUCKET (bucket));
  g_assert_cmpstr (boto_s3_bucket_get_name (BOTO_S3_BUCKET (bucket)), ==, "res-life");
  {
    g_autofree char *name = NULL;

    g_object_get (bucket, "name", &name, NULL);
    g_assert_cmpstr (name, ==, "res-life");
  }
  g_assert_cmpuint (boto_resource_hash (bucket), ==, boto_resource_hash (same));
  g_assert_true (BOTO_IS_RESOURCE (bucket));

  created = action (bucket, "create", NULL);
  ok = boto_resource_wait (bucket, "wait_until_exists",
                           g_variant_new_parsed ("{'WaiterConfig': <{'Delay': <0>, 'MaxAttempts': <3>}>}"),
                           NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);

  /* Bucket.load is ListBuckets (boto3's s3/inject.py). */
  before = boto_resource_get_request_count_for_testing ();
  creation = attribute (bucket, "creation_date");
  g_assert_nonnull (creation);
  g_assert_true (g_variant_is_of_type (creation, G_VARIANT_TYPE_INT64));
  g_clear_pointer (&creation, g_variant_unref);
  creation = attribute (bucket, "CreationDate");
  g_assert_nonnull (creation);
  g_assert_cmpuint (boto_resource_get_request_count_for_testing () - before, ==, 1);

  /* Typed properties load lazily too. */
  {
    gint64 when = 0;

    boto_resource_set_data (bucket, NULL);
    g_object_get (bucket, "creation-date", &when, NULL);
    g_assert_cmpint (when, >, 0);
  }

  object = (BotoResource *) boto_s3_bucket_object (BOTO_S3_BUCKET (bucket), "dir/hello.txt", &error);
  g_assert_no_error (error);
  g_assert_true (BOTO_IS_S3_OBJECT (object));
  g_assert_cmpstr (id_of (object, "bucket_name"), ==, "res-life");
  g_assert_cmpstr (id_of (object, "key"), ==, "dir/hello.txt");
  put = action (object, "put", g_variant_new_parsed ("{'Body': <%@ay>}", bytes_variant ("hello, resources")));
  got = action (object, "get", NULL);
  body = g_variant_lookup_value (got, "Body", G_VARIANT_TYPE_BYTESTRING);
  g_assert_nonnull (body);
  g_assert_cmpmem (g_variant_get_data (body), g_variant_get_size (body), "hello, resources", 16);

  length = attribute (object, "content_length");
  g_assert_nonnull (length);
  g_assert_cmpint (g_variant_get_int64 (length), ==, 16);

  /* Bucket.put_object returns an Object. */
  {
    g_autoptr(BotoActionResult) r =
      action_full (bucket, "put_object", g_variant_new_parsed ("{'Key': <'second'>, 'Body': <%@ay>}",
                                                               bytes_variant ("2")));

    object2 = g_object_ref (boto_action_result_get_resource (r));
    g_assert_cmpstr (id_of (object2, "key"), ==, "second");
  }

  /* upload_file / download_file */
  tmp = g_build_filename (g_get_tmp_dir (), "boto-res-upload.txt", NULL);
  down = g_build_filename (g_get_tmp_dir (), "boto-res-download.txt", NULL);
  g_assert_true (g_file_set_contents (tmp, "file body", -1, NULL));
  g_assert_true (boto_resource_upload_file (bucket, tmp, "uploaded", NULL, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(BotoResource) uploaded = sub (bucket, "Object", g_variant_new_string ("uploaded"));

    g_assert_true (boto_resource_download_file (uploaded, NULL, down, NULL, NULL, &error));
    g_assert_no_error (error);
  }
  g_assert_true (g_file_get_contents (down, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "file body");
  g_unlink (tmp);
  g_unlink (down);

  /* Object summaries of the objects collection; their load is HeadObject. */
  {
    g_autoptr(BotoCollection) objects = collection (bucket, "objects");
    g_autoptr(GPtrArray) all = to_array (objects);
    g_autoptr(GVariant) size = NULL;

    g_assert_cmpuint (all->len, ==, 3);
    g_assert_cmpstr (boto_resource_get_resource_name (all->pdata[0]), ==, "ObjectSummary");
    size = attribute (all->pdata[0], "size");
    g_assert_nonnull (size);
    boto_resource_set_data (all->pdata[0], NULL);
    g_clear_pointer (&size, g_variant_unref);
    size = attribute (all->pdata[0], "size");
    g_assert_nonnull (size);
  }

  deleted = action (object, "delete", NULL);
  g_clear_pointer (&deleted, g_variant_unref);
  deleted = action (object2, "delete", NULL);
  g_clear_pointer (&deleted, g_variant_unref);
  {
    g_autoptr(BotoResource) uploaded = sub (bucket, "Object", g_variant_new_string ("uploaded"));

    deleted = action (uploaded, "delete", NULL);
    g_clear_pointer (&deleted, g_variant_unref);
  }
  deleted = action (bucket, "delete", NULL);
  ok = boto_resource_wait (bucket, "wait_until_not_exists",
                           g_variant_new_parsed ("{'WaiterConfig': <{'Delay': <0>, 'MaxAttempts': <3>}>}"),
                           NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);

  /* A bucket that does not exist: the waiter gives up. */
  ok = boto_resource_wait (bucket, "wait_until_exists",
                           g_variant_new_parsed ("{'WaiterConfig': <{'Delay': <0>, 'MaxAttempts': <2>}>}"),
                           NULL, &error);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_WAITER);
  g_assert_false (ok);
}

#define N_OBJECTS 2500

static void
test_s3_objects_paging (void)
{
  g_autoptr(BotoServiceResource) s3 = make_resource ("s3");
  g_autoptr(BotoClient) client = g_object_ref (boto_resource_get_client (BOTO_RESOURCE (s3)));
  g_autoptr(BotoResource) bucket = sub (s3, "Bucket", g_variant_new_string ("res-paging"));
  g_autoptr(GVariant) created = action (bucket, "create", NULL);
  g_autoptr(BotoCollection) objects = collection (bucket, "objects");
  g_autoptr(BotoCollection) filtered = boto_collection_filter (objects, g_variant_new_parsed ("{'Prefix': <'p/'>}"));
  g_autoptr(GError) error = NULL;
  guint before;

  for (guint i = 0; i < N_OBJECTS; i++)
    {
      g_autofree char *key = g_strdup_printf ("p/%04u", i);
      g_autoptr(GVariant) put = boto_client_call (client, "PutObject",
                                                  g_variant_new_parsed ("{'Bucket': <'res-paging'>, 'Key': <%s>, 'Body': <%@ay>}",
                                                                        key, bytes_variant ("x")),
                                                  NULL, &error);

      g_assert_no_error (error);
    }
  {
    g_autoptr(GVariant) put = boto_client_call (client, "PutObject",
                                                g_variant_new_parsed ("{'Bucket': <'res-paging'>, 'Key': <'other'>}"),
                                                NULL, &error);
    g_assert_no_error (error);
  }

  /* Creating collections sends nothing. */
  before = boto_resource_get_request_count_for_testing ();
  {
    g_autoptr(BotoCollection) lazy = boto_collection_limit (filtered, 5);

    g_assert_cmpuint (boto_resource_get_request_count_for_testing (), ==, before);
  }

  /* Everything: three pages of (at most) 1000. */
  {
    g_autoptr(BotoCollection) all = boto_collection_all (filtered);
    g_autoptr(GPtrArray) items = NULL;

    before = boto_resource_get_request_count_for_testing ();
    items = to_array (all);
    g_assert_cmpuint (items->len, ==, N_OBJECTS);
    g_assert_cmpuint (boto_resource_get_request_count_for_testing () - before, ==, 3);
    g_assert_cmpstr (id_of (items->pdata[0], "key"), ==, "p/0000");
    g_assert_cmpstr (id_of (items->pdata[N_OBJECTS - 1], "key"), ==, "p/2499");
  }

  /* limit: no page it does not use. */
  {
    g_autoptr(BotoCollection) ten = boto_collection_limit (filtered, 10);
    g_autoptr(BotoCollection) thousand = boto_collection_limit (filtered, 1000);
    g_autoptr(GPtrArray) items = NULL;
    BotoResource *item;
    guint n = 0;

    before = boto_resource_get_request_count_for_testing ();
    while ((item = boto_collection_next (ten, NULL, &error)) != NULL)
      {
        n++;
        g_object_unref (item);
      }
    g_assert_no_error (error);
    g_assert_cmpuint (n, ==, 10);
    g_assert_cmpuint (boto_resource_get_request_count_for_testing () - before, ==, 1);

    before = boto_resource_get_request_count_for_testing ();
    items = to_array (thousand);
    g_assert_cmpuint (items->len, ==, 1000);
    g_assert_cmpuint (boto_resource_get_request_count_for_testing () - before, ==, 1);
  }

  /* page_size and limit together: 250 items in pages of 100, three requests. */
  {
    g_autoptr(BotoCollection) sized = boto_collection_page_size (filtered, 100);
    g_autoptr(BotoCollection) limited = boto_collection_limit (sized, 250);
    g_autoptr(GArray) sizes = g_array_new (FALSE, FALSE, sizeof (guint));
    GPtrArray *page;

    before = boto_resource_get_request_count_for_testing ();
    while ((page = boto_collection_next_page (limited, NULL, &error)) != NULL)
      {
        g_array_append_val (sizes, page->len);
        g_ptr_array_unref (page);
      }
    g_assert_no_error (error);
    g_assert_cmpuint (sizes->len, ==, 3);
    g_assert_cmpuint (g_array_index (sizes, guint, 0), ==, 100);
    g_assert_cmpuint (g_array_index (sizes, guint, 1), ==, 100);
    g_assert_cmpuint (g_array_index (sizes, guint, 2), ==, 50);
    g_assert_cmpuint (boto_resource_get_request_count_for_testing () - before, ==, 3);
  }

  /* pages() of the default size */
  {
    g_autoptr(BotoCollection) all = boto_collection_all (filtered);
    guint expected[] = { 1000, 1000, 500 };
    guint i = 0;
    GPtrArray *page;

    while ((page = boto_collection_next_page (all, NULL, &error)) != NULL)
      {
        g_assert_cmpuint (i, <, G_N_ELEMENTS (expected));
        g_assert_cmpuint (page->len, ==, expected[i]);
        i++;
        g_ptr_array_unref (page);
      }
    g_assert_no_error (error);
    g_assert_cmpuint (i, ==, 3);
  }

  /* Batch delete: one DeleteObjects per page. */
  {
    g_autoptr(BotoCollection) some = boto_collection_filter (objects, g_variant_new_parsed ("{'Prefix': <'p/1'>}"));
    g_autoptr(BotoCollection) sized = boto_collection_page_size (some, 400);
    g_autoptr(GVariant) responses = NULL;
    g_autoptr(BotoCollection) rest = boto_collection_all (objects);
    g_autoptr(GPtrArray) left = NULL;
    g_auto(GStrv) batch = boto_collection_dup_batch_action_names (objects);

    g_assert_true (g_strv_contains ((const char * const *) batch, "delete"));
    before = boto_resource_get_request_count_for_testing ();
    responses = boto_collection_call_batch_action (sized, "delete", NULL, NULL, &error);
    g_assert_no_error (error);
    /* 1000 keys p/1xxx: three listings of 400 and three deletes. */
    g_assert_cmpuint (g_variant_n_children (responses), ==, 3);
    g_assert_cmpuint (boto_resource_get_request_count_for_testing () - before, ==, 6);

    left = to_array (rest);
    g_assert_cmpuint (left->len, ==, N_OBJECTS - 1000 + 1);
  }

  /* Clean up with the batch action over everything. */
  {
    g_autoptr(BotoCollection) all = boto_collection_all (objects);
    g_autoptr(GVariant) responses = boto_collection_call_batch_action (all, "delete", NULL, NULL, &error);
    g_autoptr(GVariant) deleted = NULL;

    g_assert_no_error (error);
    deleted = action (bucket, "delete", NULL);
  }
}

/* GListModel filled page by page on the main loop */

typedef struct
{
  guint     changes;
  gboolean  done;
} ModelWatch;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  ModelWatch *watch = user_data;

  g_assert_cmpuint (removed, ==, 0);
  g_assert_cmpuint (position + added, ==, g_list_model_get_n_items (model));
  watch->changes++;
}

static void
on_loading (GObject    *object,
            GParamSpec *pspec,
            gpointer    user_data)
{
  ModelWatch *watch = user_data;

  if (!boto_collection_list_model_get_loading (BOTO_COLLECTION_LIST_MODEL (object)))
    watch->done = TRUE;
}

static void
test_list_model (void)
{
  g_autoptr(BotoServiceResource) s3 = make_resource ("s3");
  g_autoptr(BotoResource) bucket = sub (s3, "Bucket", g_variant_new_string ("res-model"));
  g_autoptr(GVariant) created = action (bucket, "create", NULL);
  g_autoptr(BotoCollection) objects = collection (bucket, "objects");
  g_autoptr(BotoCollection) sized = boto_collection_page_size (objects, 10);
  g_autoptr(GListModel) model = NULL;
  g_autoptr(GError) error = NULL;
  ModelWatch watch = { 0, FALSE };

  for (guint i = 0; i < 25; i++)
    {
      g_autofree char *key = g_strdup_printf ("k%02u", i);
      g_autoptr(BotoResource) object = sub (bucket, "Object", g_variant_new_string (key));
      g_autoptr(GVariant) put = action (object, "put", g_variant_new_parsed ("{'Body': <%@ay>}", bytes_variant ("x")));
    }

  model = boto_collection_to_list_model (sized, NULL);
  g_assert_true (g_list_model_get_item_type (model) == BOTO_TYPE_RESOURCE);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_true (boto_collection_list_model_get_loading (BOTO_COLLECTION_LIST_MODEL (model)));
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &watch);
  g_signal_connect (model, "notify::loading", G_CALLBACK (on_loading), &watch);

  while (!watch.done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_null (boto_collection_list_model_get_error (BOTO_COLLECTION_LIST_MODEL (model)));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 25);
  g_assert_cmpuint (watch.changes, ==, 3);
  g_assert_cmpuint (boto_collection_list_model_get_n_pages (BOTO_COLLECTION_LIST_MODEL (model)), ==, 3);
  {
    g_autoptr(BotoResource) first = g_list_model_get_item (model, 0);

    g_assert_cmpstr (id_of (first, "key"), ==, "k00");
  }

  {
    g_autoptr(BotoCollection) batch = boto_collection_all (objects);
    g_autoptr(GVariant) responses = boto_collection_call_batch_action (batch, "delete", NULL, NULL, &error);
    g_autoptr(GVariant) deleted = NULL;

    g_assert_no_error (error);
    deleted = action (bucket, "delete", NULL);
  }
}

static void
on_async_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_async (void)
{
  g_autoptr(BotoServiceResource) s3 = make_resource ("s3");
  g_autoptr(BotoResource) bucket = sub (s3, "Bucket", g_variant_new_string ("res-async"));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BotoActionResult) created = NULL;
  g_autoptr(BotoCollection) buckets = collection (s3, "buckets");
  g_autoptr(GError) error = NULL;
  gboolean found = FALSE;

  boto_resource_call_action_full_async (bucket, "create", NULL, NULL, on_async_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  created = boto_resource_call_action_full_finish (bucket, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (created);
  g_clear_object (&result);

  boto_resource_load_async (bucket, NULL, on_async_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (boto_resource_load_finish (bucket, result, &error));
  g_assert_no_error (error);
  g_assert_nonnull (boto_resource_get_data (bucket));
  g_clear_object (&result);

  boto_resource_wait_async (bucket, "wait_until_exists",
                            g_variant_new_parsed ("{'WaiterConfig': <{'Delay': <0>}>}"),
                            NULL, on_async_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (boto_resource_wait_finish (bucket, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  for (;;)
    {
      g_autoptr(BotoResource) item = NULL;

      boto_collection_next_async (buckets, NULL, on_async_done, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      item = boto_collection_next_finish (buckets, result, &error);
      g_assert_no_error (error);
      g_clear_object (&result);
      if (item == NULL)
        break;
      if (boto_resource_equal (item, bucket))
        found = TRUE;
    }
  g_assert_true (found);

  boto_resource_call_action_async (bucket, "delete", NULL, NULL, on_async_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  {
    g_autoptr(GVariant) deleted = boto_resource_call_action_finish (bucket, result, &error);

    g_assert_no_error (error);
    g_assert_nonnull (deleted);
  }
}

static void
test_ec2 (void)
{
  g_autoptr(BotoServiceResource) ec2 = make_resource ("ec2");
  g_autoptr(BotoActionResult) created = NULL;
  g_autoptr(GVariant) state = NULL;
  g_autoptr(GVariant) type = NULL;
  g_autoptr(GVariant) image_id = NULL;
  g_autoptr(GVariant) tags = NULL;
  g_autoptr(GVariant) terminated = NULL;
  g_autoptr(BotoResource) vpc = NULL;
  g_autoptr(BotoResource) subnet = NULL;
  g_autoptr(BotoResource) image = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) vpcs = NULL;
  g_autoptr(BotoCollection) vpcs_all = NULL;
  g_autoptr(BotoCollection) subnets = NULL;
  g_autoptr(GPtrArray) subnet_list = NULL;
  GPtrArray *instances;
  BotoResource *instance;
  const char *state_name = NULL;
  gboolean ok;

  created = action_full (ec2, "create_instances",
                         g_variant_new_parsed ("{'ImageId': <'ami-12c6146b'>, 'InstanceType': <'t2.micro'>, "
                                               "'MinCount': <2>, 'MaxCount': <2>}"));
  g_assert_true (boto_action_result_is_list (created));
  instances = boto_action_result_get_resources (created);
  g_assert_cmpuint (instances->len, ==, 2);
  instance = instances->pdata[0];
  g_assert_cmpstr (boto_resource_get_resource_name (instance), ==, "Instance");
  g_assert_true (g_str_has_prefix (id_of (instance, "id"), "i-"));
  /* The response's data came with it. */
  g_assert_nonnull (boto_resource_get_data (instance));

  ok = boto_resource_wait (instance, "wait_until_running",
                           g_variant_new_parsed ("{'WaiterConfig': <{'Delay': <0>, 'MaxAttempts': <5>}>}"),
                           NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);

  g_assert_true (boto_resource_reload (instance, NULL, &error));
  g_assert_no_error (error);
  state = attribute (instance, "state");
  g_assert_nonnull (state);
  g_assert_true (g_variant_lookup (state, "Name", "&s", &state_name));
  g_assert_cmpstr (state_name, ==, "running");
  type = attribute (instance, "instance_type");
  g_assert_cmpstr (g_variant_get_string (type, NULL), ==, "t2.micro");
  image_id = attribute (instance, "image_id");
  g_assert_cmpstr (g_variant_get_string (image_id, NULL), ==, "ami-12c6146b");

  g_assert_true (BOTO_IS_EC2_INSTANCE (instance));
  {
    g_autofree char *instance_type = NULL;
    g_autoptr(BotoEc2Vpc) typed_vpc = boto_ec2_instance_dup_vpc (BOTO_EC2_INSTANCE (instance), NULL, &error);

    g_assert_no_error (error);
    g_assert_true (BOTO_IS_EC2_VPC (typed_vpc));
    g_object_get (instance, "instance-type", &instance_type, NULL);
    g_assert_cmpstr (instance_type, ==, "t2.micro");
  }
  vpc = boto_resource_get_reference (instance, "vpc", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (vpc);
  g_assert_cmpstr (boto_resource_get_resource_name (vpc), ==, "Vpc");
  g_assert_true (g_str_has_prefix (id_of (vpc, "id"), "vpc-"));
  subnet = boto_resource_get_reference (instance, "subnet", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (subnet);
  image = boto_resource_get_reference (instance, "image", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id_of (image, "id"), ==, "ami-12c6146b");

  /* Tags: the model's Instance.create_tags makes Tag resources. */
  {
    g_autoptr(BotoActionResult) tagged =
      action_full (instance, "create_tags",
                   g_variant_new_parsed ("{'Tags': <[{'Key': <'Name'>, 'Value': <'web'>}, "
                                         "{'Key': <'env'>, 'Value': <'test'>}]>}"));
    GPtrArray *tag_list = boto_action_result_get_resources (tagged);

    g_assert_cmpuint (tag_list->len, ==, 2);
    g_assert_cmpstr (id_of (tag_list->pdata[0], "resource_id"), ==, id_of (instance, "id"));
    g_assert_cmpstr (id_of (tag_list->pdata[1], "key"), ==, "env");
    g_assert_cmpstr (id_of (tag_list->pdata[1], "value"), ==, "test");
  }
  /* The action forgot the data: reading tags loads again. */
  g_assert_null (boto_resource_get_data (instance));
  tags = attribute (instance, "tags");
  g_assert_nonnull (tags);
  g_assert_cmpuint (g_variant_n_children (tags), ==, 2);

  /* boto3's injected delete_tags, and the service resource's create_tags. */
  {
    g_autoptr(GVariant) untagged = action (instance, "delete_tags",
                                           g_variant_new_parsed ("{'Tags': <[{'Key': <'env'>}]>}"));
    g_autoptr(GVariant) after = attribute (instance, "tags");
    g_autoptr(BotoActionResult) svc_tags =
      action_full (ec2, "create_tags",
                   g_variant_new_parsed ("{'Resources': <[%s]>, 'Tags': <[{'Key': <'team'>, 'Value': <'x'>}]>}",
                                         id_of (instance, "id")));

    g_assert_cmpuint (g_variant_n_children (after), ==, 1);
    g_assert_cmpuint (boto_action_result_get_resources (svc_tags)->len, ==, 1);
    g_assert_cmpstr (boto_resource_get_resource_name (boto_action_result_get_resource (svc_tags)), ==, "Tag");
  }

  vpcs_all = collection (ec2, "vpcs");
  vpcs = to_array (vpcs_all);
  g_assert_cmpuint (vpcs->len, >=, 1);
  g_assert_true (contains_named (vpcs, "id", id_of (vpc, "id")));
  subnets = collection (vpc, "subnets");
  subnet_list = to_array (subnets);
  g_assert_cmpuint (subnet_list->len, >=, 1);
  g_assert_true (contains_named (subnet_list, "id", id_of (subnet, "id")));

  /* instances.filter(InstanceIds=…) */
  {
    g_autoptr(BotoCollection) all = collection (ec2, "instances");
    g_autoptr(BotoCollection) mine = boto_collection_filter (all,
      g_variant_new_parsed ("{'InstanceIds': <[%s, %s]>}", id_of (instances->pdata[0], "id"),
                            id_of (instances->pdata[1], "id")));
    g_autoptr(GPtrArray) found = to_array (mine);

    g_assert_cmpuint (found->len, ==, 2);
  }

  terminated = action (instance, "terminate", NULL);
  ok = boto_resource_wait (instance, "wait_until_terminated",
                           g_variant_new_parsed ("{'WaiterConfig': <{'Delay': <0>, 'MaxAttempts': <5>}>}"),
                           NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  {
    g_autoptr(GVariant) s = NULL;

    g_assert_true (boto_resource_load (instance, NULL, &error));
    s = attribute (instance, "state");
    g_assert_true (g_variant_lookup (s, "Name", "&s", &state_name));
    g_assert_cmpstr (state_name, ==, "terminated");
  }
  {
    g_autoptr(GVariant) t2 = action (instances->pdata[1], "terminate", NULL);
  }
}

static void
test_sqs (void)
{
  g_autoptr(BotoServiceResource) sqs = make_resource ("sqs");
  g_autoptr(BotoActionResult) created = action_full (sqs, "create_queue",
                                                     g_variant_new_parsed ("{'QueueName': <'res-queue'>}"));
  g_autoptr(BotoActionResult) other = action_full (sqs, "create_queue",
                                                   g_variant_new_parsed ("{'QueueName': <'zzz-other'>}"));
  BotoResource *queue = boto_action_result_get_resource (created);
  g_autoptr(GVariant) sent = NULL;
  g_autoptr(GVariant) batch = NULL;
  g_autoptr(BotoActionResult) received = NULL;
  g_autoptr(GVariant) attributes = NULL;
  g_autoptr(GVariant) deleted = NULL;
  g_autoptr(BotoCollection) queues = collection (sqs, "queues");
  g_autoptr(BotoCollection) filtered = boto_collection_filter (queues,
                                                               g_variant_new_parsed ("{'QueueNamePrefix': <'res-'>}"));
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(BotoResource) by_url = NULL;
  GPtrArray *messages;
  const char *id = NULL;

  g_assert_cmpstr (boto_resource_get_resource_name (queue), ==, "Queue");
  g_assert_true (BOTO_IS_SQS_QUEUE (queue));
  g_assert_true (g_str_has_suffix (id_of (queue, "url"), "/res-queue"));
  by_url = sub (sqs, "Queue", g_variant_new_string (id_of (queue, "url")));
  g_assert_true (boto_resource_equal (by_url, queue));

  sent = action (queue, "send_message", g_variant_new_parsed ("{'MessageBody': <'hi'>}"));
  g_assert_true (g_variant_lookup (sent, "MessageId", "&s", &id));
  batch = action (queue, "send_messages",
                  g_variant_new_parsed ("{'Entries': <[{'Id': <'a'>, 'MessageBody': <'one'>}, "
                                        "{'Id': <'b'>, 'MessageBody': <'two'>}]>}"));
  {
    g_autoptr(GVariant) ok = g_variant_lookup_value (batch, "Successful", NULL);

    g_assert_cmpuint (g_variant_n_children (ok), ==, 2);
  }

  attributes = attribute (queue, "attributes");
  g_assert_nonnull (attributes);

  received = action_full (queue, "receive_messages", g_variant_new_parsed ("{'MaxNumberOfMessages': <10>}"));
  messages = boto_action_result_get_resources (received);
  g_assert_cmpuint (messages->len, ==, 3);
  for (guint i = 0; i < messages->len; i++)
    {
      BotoResource *message = messages->pdata[i];
      g_autoptr(GVariant) body = attribute (message, "body");
      g_autoptr(GVariant) del = NULL;

      g_assert_cmpstr (boto_resource_get_resource_name (message), ==, "Message");
      g_assert_cmpstr (id_of (message, "queue_url"), ==, id_of (queue, "url"));
      g_assert_nonnull (id_of (message, "receipt_handle"));
      g_assert_nonnull (body);
      del = action (message, "delete", NULL);
    }

  found = to_array (filtered);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_true (boto_resource_equal (found->pdata[0], queue));

  deleted = action (queue, "delete", NULL);
  g_clear_pointer (&deleted, g_variant_unref);
  deleted = action (boto_action_result_get_resource (other), "delete", NULL);
}

static void
test_iam (void)
{
  g_autoptr(BotoServiceResource) iam = make_resource ("iam");
  g_autoptr(BotoActionResult) user = action_full (iam, "create_user", g_variant_new_parsed ("{'UserName': <'res-user'>}"));
  g_autoptr(BotoCollection) users = collection (iam, "users");
  g_autoptr(GPtrArray) all_users = to_array (users);
  g_autoptr(GVariant) arn = NULL;
  g_autoptr(GVariant) deleted = NULL;
  g_autoptr(BotoActionResult) role = NULL;
  g_autoptr(BotoCollection) roles = collection (iam, "roles");
  g_autoptr(GPtrArray) all_roles = NULL;
  BotoResource *u = boto_action_result_get_resource (user);

  g_assert_cmpstr (id_of (u, "name"), ==, "res-user");
  g_assert_true (contains_named (all_users, "name", "res-user"));
  boto_resource_set_data (u, NULL);
  arn = attribute (u, "arn");
  g_assert_true (g_str_has_suffix (g_variant_get_string (arn, NULL), "user/res-user"));

  role = action_full (iam, "create_role",
                      g_variant_new_parsed ("{'RoleName': <'res-role'>, 'AssumeRolePolicyDocument': <'{}'>}"));
  g_assert_cmpstr (id_of (boto_action_result_get_resource (role), "name"), ==, "res-role");
  all_roles = to_array (roles);
  g_assert_true (contains_named (all_roles, "name", "res-role"));

  deleted = action (u, "delete", NULL);
  g_clear_pointer (&deleted, g_variant_unref);
  deleted = action (boto_action_result_get_resource (role), "delete", NULL);
}

static void
test_sns (void)
{
  g_autoptr(BotoServiceResource) sns = make_resource ("sns");
  g_autoptr(BotoActionResult) topic = action_full (sns, "create_topic", g_variant_new_parsed ("{'Name': <'res-topic'>}"));
  g_autoptr(BotoCollection) topics = collection (sns, "topics");
  g_autoptr(GPtrArray) all = to_array (topics);
  g_autoptr(GVariant) attributes = NULL;
  g_autoptr(GVariant) deleted = NULL;
  BotoResource *t = boto_action_result_get_resource (topic);

  g_assert_true (g_str_has_suffix (id_of (t, "arn"), ":res-topic"));
  g_assert_true (contains_named (all, "arn", id_of (t, "arn")));
  attributes = attribute (t, "attributes");
  g_assert_nonnull (attributes);
  deleted = action (t, "delete", NULL);
}

static void
test_dynamodb (void)
{
  g_autoptr(BotoServiceResource) dynamodb = make_resource ("dynamodb");
  g_autoptr(BotoActionResult) table = action_full (dynamodb, "create_table",
    g_variant_new_parsed ("{'TableName': <'res-table'>, "
                          "'KeySchema': <[{'AttributeName': <'id'>, 'KeyType': <'HASH'>}]>, "
                          "'AttributeDefinitions': <[{'AttributeName': <'id'>, 'AttributeType': <'S'>}]>, "
                          "'BillingMode': <'PAY_PER_REQUEST'>}"));
  g_autoptr(BotoCollection) tables = collection (dynamodb, "tables");
  g_autoptr(GPtrArray) all = to_array (tables);
  g_autoptr(GVariant) status = NULL;
  g_autoptr(GVariant) put = NULL;
  g_autoptr(GVariant) got = NULL;
  g_autoptr(GVariant) deleted = NULL;
  BotoResource *t = boto_action_result_get_resource (table);

  g_assert_cmpstr (id_of (t, "name"), ==, "res-table");
  g_assert_true (contains_named (all, "name", "res-table"));
  boto_resource_set_data (t, NULL);
  status = attribute (t, "table_status");
  g_assert_cmpstr (g_variant_get_string (status, NULL), ==, "ACTIVE");
  put = action (t, "put_item", g_variant_new_parsed ("{'Item': <{'id': <{'S': <'1'>}>}>}"));
  got = action (t, "get_item", g_variant_new_parsed ("{'Key': <{'id': <{'S': <'1'>}>}>}"));
  g_assert_true (g_variant_lookup_value (got, "Item", NULL) != NULL);
  deleted = action (t, "delete", NULL);
}

static void
test_cloudformation (void)
{
  static const char template[] =
    "{\"Resources\": {\"Queue\": {\"Type\": \"AWS::SQS::Queue\", "
    "\"Properties\": {\"QueueName\": \"res-stack-queue\"}}}}";
  g_autoptr(BotoServiceResource) cloudformation = make_resource ("cloudformation");
  g_autoptr(BotoActionResult) created = action_full (cloudformation, "create_stack",
    g_variant_new_parsed ("{'StackName': <'res-stack'>, 'TemplateBody': <%s>}", template));
  g_autoptr(BotoCollection) stacks = collection (cloudformation, "stacks");
  g_autoptr(GPtrArray) all = to_array (stacks);
  g_autoptr(GVariant) status = NULL;
  g_autoptr(GVariant) deleted = NULL;
  BotoResource *stack = boto_action_result_get_resource (created);

  /* The identifier comes from the request (requestParameter). */
  g_assert_cmpstr (id_of (stack, "name"), ==, "res-stack");
  g_assert_true (contains_named (all, "name", "res-stack"));
  status = attribute (stack, "stack_status");
  g_assert_cmpstr (g_variant_get_string (status, NULL), ==, "CREATE_COMPLETE");
  deleted = action (stack, "delete", NULL);
}

static void
test_cloudwatch (void)
{
  g_autoptr(BotoServiceResource) cloudwatch = make_resource ("cloudwatch");
  g_autoptr(BotoResource) metric = sub (cloudwatch, "Metric", g_variant_new_parsed ("['res/ns', 'Requests']"));
  g_autoptr(GVariant) put = NULL;
  g_autoptr(BotoCollection) metrics = collection (cloudwatch, "metrics");
  g_autoptr(BotoCollection) filtered = NULL;
  g_autoptr(GPtrArray) found = NULL;

  g_assert_cmpstr (id_of (metric, "namespace"), ==, "res/ns");
  g_assert_cmpstr (id_of (metric, "name"), ==, "Requests");
  /* As in boto3, the caller's MetricData replaces the list the identifier
   * source (MetricData[].MetricName) started, so items name the metric. */
  put = action (metric, "put_data",
                g_variant_new_parsed ("{'MetricData': <[{'MetricName': <'Requests'>, 'Value': <1.0>, "
                                      "'Unit': <'Count'>}, {'MetricName': <'Requests'>, 'Value': <2.0>, "
                                      "'Unit': <'Count'>}]>}"));
  filtered = boto_collection_filter (metrics, g_variant_new_parsed ("{'Namespace': <'res/ns'>}"));
  found = to_array (filtered);
  /* moto lists the metric once per datum (boto3 sees the same two). */
  g_assert_cmpuint (found->len, ==, 2);
  for (guint i = 0; i < found->len; i++)
    {
      g_assert_cmpstr (id_of (found->pdata[i], "namespace"), ==, "res/ns");
      g_assert_cmpstr (id_of (found->pdata[i], "name"), ==, "Requests");
    }
}

static void
test_errors (void)
{
  g_autoptr(BotoServiceResource) s3 = make_resource ("s3");
  g_autoptr(BotoResource) bucket = sub (s3, "Bucket", g_variant_new_string ("res-errors"));
  g_autoptr(BotoResource) unbound = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) value = NULL;
  BotoResource *r;
  BotoCollection *c;

  r = boto_service_resource_get_sub_resource (s3, "Nope", g_variant_new_string ("x"), &error);
  g_assert_null (r);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_RESOURCE);
  g_clear_error (&error);

  r = boto_service_resource_get_sub_resource (s3, "Object", g_variant_new_string ("only-bucket"), &error);
  g_assert_null (r);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_IDENTIFIERS);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "2 identifiers"));
  g_clear_error (&error);

  r = boto_service_resource_get_sub_resource (s3, "Bucket", g_variant_new_int32 (3), &error);
  g_assert_null (r);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_IDENTIFIERS);
  g_clear_error (&error);

  r = boto_service_resource_get_sub_resource (s3, "Object", g_variant_new_parsed ("[<'b'>, <5>]"), &error);
  g_assert_null (r);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_IDENTIFIERS);
  g_clear_error (&error);

  r = boto_service_resource_get_sub_resource (s3, "Bucket", g_variant_new_parsed ("{'nope': <'x'>}"), &error);
  g_assert_null (r);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_IDENTIFIERS);
  g_clear_error (&error);

  c = boto_resource_get_collection (bucket, "nothing", &error);
  g_assert_null (c);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_RESOURCE);
  g_clear_error (&error);

  value = boto_resource_call_action (bucket, "explode", NULL, NULL, &error);
  g_assert_null (value);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_RESOURCE);
  g_clear_error (&error);

  value = boto_resource_get_attribute (bucket, "colour", &error);
  g_assert_null (value);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_RESOURCE);
  g_clear_error (&error);

  g_assert_false (boto_resource_wait (bucket, "wait_until_nothing", NULL, NULL, &error));
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_RESOURCE);
  g_clear_error (&error);

  value = boto_resource_get_attribute (bucket, "name", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_variant_get_string (value, NULL), ==, "res-errors");
  g_clear_pointer (&value, g_variant_unref);

  /* A bucket made without its identifier cannot act. */
  unbound = g_object_new (BOTO_TYPE_RESOURCE, "client", boto_resource_get_client (BOTO_RESOURCE (s3)),
                          "resource-name", "Bucket", NULL);
  value = boto_resource_call_action (unbound, "delete", NULL, NULL, &error);
  g_assert_null (value);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_IDENTIFIERS);
  g_clear_error (&error);

  /* A typed resource made with g_object_new() and its properties works. */
  {
    g_autoptr(BotoS3Bucket) typed = g_object_new (BOTO_TYPE_S3_BUCKET,
                                                  "client", boto_resource_get_client (BOTO_RESOURCE (s3)),
                                                  "name", "res-typed", NULL);
    g_autoptr(BotoS3Bucket) created = NULL;
    g_autoptr(GVariant) gone = NULL;

    g_assert_cmpstr (boto_resource_get_resource_name (BOTO_RESOURCE (typed)), ==, "Bucket");
    g_assert_cmpstr (boto_resource_get_identifier_string (BOTO_RESOURCE (typed), "name"), ==, "res-typed");
    created = boto_s3_service_resource_create_bucket (BOTO_S3_SERVICE_RESOURCE (s3),
                                                      g_variant_new_parsed ("{'Bucket': <'res-typed'>}"),
                                                      NULL, &error);
    g_assert_no_error (error);
    g_assert_true (boto_resource_equal (BOTO_RESOURCE (created), BOTO_RESOURCE (typed)));
    g_assert_true (boto_s3_bucket_wait_until_exists (typed, g_variant_new_parsed ("{'WaiterConfig': <{'Delay': <0>}>}"),
                                                     NULL, &error));
    g_assert_no_error (error);
    gone = boto_s3_bucket_delete (typed, NULL, NULL, &error);
    g_assert_no_error (error);
  }

  /* A resource without a load: an attribute read cannot load. (sqs Message) */
  {
    g_autoptr(BotoServiceResource) sqs = make_resource ("sqs");
    g_autoptr(BotoResource) message = sub (sqs, "Message", g_variant_new_parsed ("['http://q', 'r']"));

    value = boto_resource_get_attribute (message, "body", &error);
    g_assert_null (value);
    g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_RESOURCE_LOAD);
    g_clear_error (&error);
  }

  /* No resources for a service without resources-1.json. */
  {
    g_autoptr(BotoSession) session = boto_session_new ();
    g_autoptr(BotoServiceResource) sts = boto_session_resource (session, "sts", NULL, &error);

    g_assert_null (sts);
    g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_RESOURCE);
    g_clear_error (&error);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/boto/resources/s3/buckets-all", test_s3_buckets_all);
  g_test_add_func ("/boto/resources/s3/lifecycle", test_s3_lifecycle);
  g_test_add_func ("/boto/resources/s3/objects-paging", test_s3_objects_paging);
  g_test_add_func ("/boto/resources/list-model", test_list_model);
  g_test_add_func ("/boto/resources/async", test_async);
  g_test_add_func ("/boto/resources/ec2/instances", test_ec2);
  g_test_add_func ("/boto/resources/sqs/queues", test_sqs);
  g_test_add_func ("/boto/resources/iam/users-roles", test_iam);
  g_test_add_func ("/boto/resources/sns/topics", test_sns);
  g_test_add_func ("/boto/resources/dynamodb/tables", test_dynamodb);
  g_test_add_func ("/boto/resources/cloudformation/stacks", test_cloudformation);
  g_test_add_func ("/boto/resources/cloudwatch/metrics", test_cloudwatch);
  g_test_add_func ("/boto/resources/errors", test_errors);

  return g_test_run ();
}
