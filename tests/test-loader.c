/* test-loader.c: where models are found — AWS_DATA_PATH, ~/.aws/models,
 * the built-in models and an installed botocore
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <boto-glib/boto-glib.h>

static char *tmp_root;

#define MINIMAL_MODEL(version, prefix) \
  "{\"version\":\"2.0\",\"metadata\":{\"apiVersion\":\"" version "\",\"protocol\":\"json\"," \
  "\"endpointPrefix\":\"" prefix "\"},\"operations\":{\"Ping\":{\"name\":\"Ping\"," \
  "\"http\":{\"method\":\"POST\",\"requestUri\":\"/\"}}},\"shapes\":{}}"

static void
write_file (const char *relpath,
            const char *contents,
            gssize      length)
{
  g_autofree char *path = g_build_filename (tmp_root, relpath, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

static void
write_gzipped (const char *relpath,
               const char *contents)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (memory, G_CONVERTER (compressor));
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (out, contents, strlen (contents), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, &error);
  g_assert_no_error (error);

  write_file (relpath,
              g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (memory)),
              g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (memory)));
}

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);

  if (children != NULL)
    {
      GFileInfo *info;

      while ((info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
        {
          g_autoptr(GFile) child = g_file_get_child (file, g_file_info_get_name (info));

          remove_tree (child);
          g_object_unref (info);
        }
    }
  g_file_delete (file, NULL, NULL);
}

static void
test_data_path_custom_service (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoServiceModel) model = boto_service_model_load ("myservice", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (boto_service_model_get_api_version (model), ==, "2021-02-03");
  g_assert_true (boto_service_model_has_operation (model, "Ping"));
}

static void
test_data_path_newest_wins (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoServiceModel) s3 = NULL;
  g_autoptr(BotoServiceModel) sqs = NULL;

  /* A newer s3 in AWS_DATA_PATH replaces the built-in model… */
  s3 = boto_service_model_load ("s3", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (boto_service_model_get_api_version (s3), ==, "2099-01-01");
  g_assert_true (boto_service_model_has_operation (s3, "Ping"));

  /* … an older sqs does not. */
  sqs = boto_service_model_load ("sqs", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (boto_service_model_get_api_version (sqs), ==, "2012-11-05");
  g_assert_true (boto_service_model_has_operation (sqs, "SendMessage"));
}

static void
test_data_path_order (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoServiceModel) model = boto_service_model_load ("twice", &error);

  /* Same version in both folders of AWS_DATA_PATH: the first folder wins. */
  g_assert_no_error (error);
  g_assert_cmpstr (boto_service_model_get_endpoint_prefix (model), ==, "first");
}

static void
test_gzipped (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoServiceModel) model = boto_service_model_load ("gzsvc", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (boto_service_model_get_endpoint_prefix (model), ==, "gz");
}

/* A model's sdk-extras file is merged into it, as botocore does: objects
 * member by member, anything else replaced; gzipped extras too. */
static void
test_sdk_extras (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoServiceModel) model = boto_service_model_load ("extrasvc", &error);
  g_autoptr(BotoServiceModel) gz = NULL;
  BotoShape *shape;

  g_assert_no_error (error);
  /* metadata merged key by key: the prefix kept, the service id added */
  g_assert_cmpstr (boto_service_model_get_endpoint_prefix (model), ==, "extras");
  g_assert_cmpstr (boto_service_model_get_service_id (model), ==, "Extra Service");
  shape = boto_service_model_get_shape (model, "When", &error);
  g_assert_no_error (error);
  g_assert_cmpint (boto_shape_get_shape_type (shape), ==, BOTO_SHAPE_TYPE_TIMESTAMP);

  gz = boto_service_model_load ("gzextrasvc", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (boto_service_model_get_service_id (gz), ==, "Zipped Extra");

  /* Extras that are not JSON: a clear error. */
  g_assert_null (boto_service_model_load ("badextrasvc", &error));
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL);
  g_assert_nonnull (strstr (error->message, "service-2.sdk-extras.json"));
}

static void
test_home_models (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoServiceModel) model = boto_service_model_load ("homesvc", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (boto_service_model_get_endpoint_prefix (model), ==, "home");
}

static void
test_botocore_fallback (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoServiceModel) model = boto_service_model_load ("fakebotocore", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (boto_service_model_get_endpoint_prefix (model), ==, "botocore");
  g_assert_cmpstr (boto_service_model_get_api_version (model), ==, "2019-01-01");
}

static void
test_broken_model (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoServiceModel) model = boto_service_model_load ("broken", &error);

  g_assert_null (model);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL);
  g_assert_nonnull (strstr (error->message, "broken"));
  g_clear_error (&error);

  model = boto_service_model_load ("badgz", &error);
  g_assert_null (model);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL);
}

static void
test_list_available (void)
{
  g_autoptr(BotoSession) session = boto_session_new ();
  g_auto(GStrv) services = boto_session_get_available_services (session);
  const char * const *s = (const char * const *) services;

  g_assert_true (g_strv_contains (s, "ec2"));
  g_assert_true (g_strv_contains (s, "sts"));
  g_assert_true (g_strv_contains (s, "myservice"));
  g_assert_true (g_strv_contains (s, "homesvc"));
  g_assert_true (g_strv_contains (s, "fakebotocore"));
  for (guint i = 1; services[i] != NULL; i++)
    g_assert_cmpint (strcmp (services[i - 1], services[i]), <, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_path = NULL;
  g_autofree char *venv = NULL;
  g_autoptr(GFile) root = NULL;
  int ret;

  tmp_root = g_dir_make_tmp ("boto-test-loader-XXXXXX", &error);
  g_assert_no_error (error);

  write_file ("data1/myservice/2021-02-03/service-2.json", MINIMAL_MODEL ("2021-02-03", "mine"), -1);
  write_file ("data1/s3/2099-01-01/service-2.json", MINIMAL_MODEL ("2099-01-01", "s3"), -1);
  write_file ("data1/sqs/2000-01-01/service-2.json", MINIMAL_MODEL ("2000-01-01", "sqs"), -1);
  write_file ("data1/twice/2020-01-01/service-2.json", MINIMAL_MODEL ("2020-01-01", "first"), -1);
  write_file ("data2/twice/2020-01-01/service-2.json", MINIMAL_MODEL ("2020-01-01", "second"), -1);
  write_gzipped ("data2/gzsvc/2020-01-01/service-2.json.gz", MINIMAL_MODEL ("2020-01-01", "gz"));
  write_file ("data2/broken/2020-01-01/service-2.json", "{ not json", -1);
  write_file ("data2/badgz/2020-01-01/service-2.json.gz", "not gzip at all", -1);
  write_file ("home/.aws/models/homesvc/2020-01-01/service-2.json", MINIMAL_MODEL ("2020-01-01", "home"), -1);
  write_file ("data1/extrasvc/2020-01-01/service-2.json",
              "{\"version\":\"2.0\",\"metadata\":{\"apiVersion\":\"2020-01-01\",\"protocol\":\"json\","
              "\"endpointPrefix\":\"extras\"},\"operations\":{},\"shapes\":{\"When\":{\"type\":\"string\"}}}", -1);
  write_file ("data1/extrasvc/2020-01-01/service-2.sdk-extras.json",
              "{\"version\":1.0,\"merge\":{\"metadata\":{\"serviceId\":\"Extra Service\"},"
              "\"shapes\":{\"When\":{\"type\":\"timestamp\"}}}}", -1);
  write_file ("data1/gzextrasvc/2020-01-01/service-2.json", MINIMAL_MODEL ("2020-01-01", "gzextra"), -1);
  write_gzipped ("data1/gzextrasvc/2020-01-01/service-2.sdk-extras.json.gz",
                 "{\"version\":1.0,\"merge\":{\"metadata\":{\"serviceId\":\"Zipped Extra\"}}}");
  write_file ("data1/badextrasvc/2020-01-01/service-2.json", MINIMAL_MODEL ("2020-01-01", "bad"), -1);
  write_file ("data1/badextrasvc/2020-01-01/service-2.sdk-extras.json", "{ not json", -1);
  write_gzipped ("venv/lib/python3.11/site-packages/botocore/data/fakebotocore/2019-01-01/service-2.json.gz",
                 MINIMAL_MODEL ("2019-01-01", "botocore"));
  write_file ("venv/lib/python3.11/site-packages/botocore/data/fakebotocore/2018-01-01/service-2.json",
              MINIMAL_MODEL ("2018-01-01", "older"), -1);

  data_path = g_strdup_printf ("%s/data1:%s/data2", tmp_root, tmp_root);
  g_setenv ("AWS_DATA_PATH", data_path, TRUE);
  {
    g_autofree char *home = g_build_filename (tmp_root, "home", NULL);

    g_setenv ("HOME", home, TRUE);
  }
  venv = g_build_filename (tmp_root, "venv", NULL);
  g_setenv ("VIRTUAL_ENV", venv, TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/boto/loader/data-path/custom-service", test_data_path_custom_service);
  g_test_add_func ("/boto/loader/data-path/newest-wins", test_data_path_newest_wins);
  g_test_add_func ("/boto/loader/data-path/order", test_data_path_order);
  g_test_add_func ("/boto/loader/gzipped", test_gzipped);
  g_test_add_func ("/boto/loader/sdk-extras", test_sdk_extras);
  g_test_add_func ("/boto/loader/home-models", test_home_models);
  g_test_add_func ("/boto/loader/botocore-fallback", test_botocore_fallback);
  g_test_add_func ("/boto/loader/broken-model", test_broken_model);
  g_test_add_func ("/boto/loader/list-available", test_list_available);

  ret = g_test_run ();

  root = g_file_new_for_path (tmp_root);
  remove_tree (root);
  g_free (tmp_root);
  return ret;
}
