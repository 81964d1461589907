/* upload-download.c: upload a local file to S3 and download it again
 *
 * The upload streams the file from disk (boto_client_call_with_file), the
 * download streams the object's body into a file (boto_client_call_streaming
 * and g_output_stream_splice), so neither holds the whole object in memory.
 * Uses the region, credentials and endpoint from the environment (under
 * examples/run-all: moto on loopback).
 * Usage: upload-download [BUCKET]
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <string.h>

#include <glib/gstdio.h>

#include <boto-glib/boto-glib.h>

/* Removes the temporary directory and the files made in it. */
static void
remove_tree (const char *dir)
{
  const char *names[] = { "upload.txt", "download.txt" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);

      g_remove (path);
    }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BotoSession) session = boto_session_new ();
  g_autoptr(BotoClient) s3 = NULL;
  g_autoptr(GVariant) created = NULL;
  g_autoptr(GVariant) put = NULL;
  g_autoptr(GVariant) got = NULL;
  g_autoptr(GInputStream) body = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GFile) upload = NULL;
  g_autoptr(GFile) download = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *upload_path = NULL;
  g_autofree char *downloaded = NULL;
  const char *bucket = argc > 1 ? argv[1] : "example-c-transfer";
  const char *key = "files/upload.txt";
  const char *etag = "";
  gint64 content_length = -1;
  gssize copied;
  gsize length = 0;
  int status = 1;

  /* A local file of a few hundred kilobytes to upload. */
  dir = g_dir_make_tmp ("boto-example-XXXXXX", &error);
  if (dir == NULL)
    goto failed;
  for (guint i = 0; i < 10000; i++)
    g_string_append_printf (text, "line %u of the file to upload\n", i);
  upload_path = g_build_filename (dir, "upload.txt", NULL);
  if (!g_file_set_contents (upload_path, text->str, text->len, &error))
    goto failed;
  upload = g_file_new_for_path (upload_path);
  {
    g_autofree char *download_path = g_build_filename (dir, "download.txt", NULL);

    download = g_file_new_for_path (download_path);
  }

  s3 = boto_session_create_client (session, "s3", NULL, NULL, &error);
  if (s3 == NULL)
    goto failed;
  created = boto_client_call (s3, "CreateBucket", g_variant_new_parsed ("{'Bucket': <%s>}", bucket),
                              NULL, &error);
  if (created == NULL)
    goto failed;

  /* The file is the request's Body; its size is the Content-Length. */
  put = boto_client_call_with_file (s3, "PutObject",
                                    g_variant_new_parsed ("{'Bucket': <%s>, 'Key': <%s>}", bucket, key),
                                    upload, NULL, &error);
  if (put == NULL)
    goto failed;
  g_variant_lookup (put, "ETag", "&s", &etag);
  g_print ("uploaded %s (%" G_GSIZE_FORMAT " bytes) to s3://%s/%s, ETag %s\n",
           upload_path, text->len, bucket, key, etag);

  /* The result has the headers; the Body comes as a stream. */
  got = boto_client_call_streaming (s3, "GetObject",
                                    g_variant_new_parsed ("{'Bucket': <%s>, 'Key': <%s>}", bucket, key),
                                    &body, NULL, &error);
  if (got == NULL)
    goto failed;
  g_variant_lookup (got, "ContentLength", "x", &content_length);

  out = g_file_replace (download, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  if (out == NULL)
    goto failed;
  copied = g_output_stream_splice (G_OUTPUT_STREAM (out), body,
                                   G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                   NULL, &error);
  if (copied < 0)
    goto failed;
  g_print ("downloaded %" G_GSSIZE_FORMAT " bytes (ContentLength %" G_GINT64_FORMAT ")\n",
           copied, content_length);

  if (!g_file_load_contents (download, NULL, &downloaded, &length, NULL, &error))
    goto failed;
  if (length != text->len || memcmp (downloaded, text->str, length) != 0)
    {
      g_printerr ("the downloaded file differs from the uploaded one\n");
      goto out;
    }
  g_print ("the downloaded file matches the uploaded one\n");
  status = 0;
  goto out;

failed:
  if (error->domain == BOTO_SERVICE_ERROR)
    g_printerr ("%s (code %s, request %s)\n", error->message,
                boto_service_error_get_code (error), boto_service_error_get_request_id (error));
  else
    g_printerr ("%s\n", error->message);

out:
  if (dir != NULL)
    remove_tree (dir);
  return status;
}
