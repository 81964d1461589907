/* boto-client-s3-transfer.c: files to and from S3, as boto3's upload_file
 * and download_file (s3transfer)
 *
 * Methods of BotoClient, apart from boto-client.c because they only call
 * the client's public API: an upload of 8 MiB or more goes in parts of
 * s3transfer's size, up to ten at once, each read from the file as it is
 * sent; a download is
 * streamed to a file beside the destination and renamed over it only once
 * every byte has arrived.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include <glib/gstdio.h>

#include "boto-client.h"
#include "boto-client-transfer.h"
#include "boto-error.h"

/* s3transfer's TransferConfig defaults and S3's limits. */
#define MULTIPART_THRESHOLD (8 * 1024 * 1024)
#define MULTIPART_CHUNKSIZE (8 * 1024 * 1024)
#define MIN_PART_SIZE       (5 * 1024 * 1024)
#define MAX_PART_SIZE       ((gint64) 5 * 1024 * 1024 * 1024)
#define MAX_PARTS           10000
#define MAX_CONCURRENCY     10

static const char * const full_object_checksums[] = {
  "ChecksumCRC32", "ChecksumCRC32C", "ChecksumCRC64NVME", "ChecksumMD5", "ChecksumSHA1",
  "ChecksumSHA256", "ChecksumSHA512", "ChecksumXXHASH3", NULL,
};
static const char * const upload_part_args[] = {
  "ChecksumAlgorithm", "SSECustomerKey", "SSECustomerAlgorithm", "SSECustomerKeyMD5", "RequestPayer",
  "ExpectedBucketOwner", NULL,
};
static const char * const complete_args[] = {
  "SSECustomerKey", "SSECustomerAlgorithm", "SSECustomerKeyMD5", "RequestPayer", "ExpectedBucketOwner",
  "ChecksumType", "MpuObjectSize", "ChecksumCRC32", "ChecksumCRC32C", "ChecksumCRC64NVME", "ChecksumMD5",
  "ChecksumSHA1", "ChecksumSHA256", "ChecksumSHA512", "ChecksumXXHASH3", NULL,
};

typedef enum {
  KEEP_LISTED,   /* only the names listed */
  DROP_LISTED,   /* all but the names listed */
} Filter;

/* Bucket and Key, then the entries of @extra that @filter lets through. */
static GVariant *
call_params (const char         *bucket,
             const char         *key,
             GVariant           *extra,
             Filter              filter,
             const char * const *names,
             const char * const *more_names)
{
  GVariantBuilder builder;
  GVariantIter iter;
  const char *name;
  GVariant *value;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "Bucket", g_variant_new_string (bucket));
  g_variant_builder_add (&builder, "{sv}", "Key", g_variant_new_string (key));
  if (extra != NULL)
    {
      g_variant_iter_init (&iter, extra);
      while (g_variant_iter_next (&iter, "{&sv}", &name, &value))
        {
          gboolean listed = g_strv_contains (names, name) ||
                            (more_names != NULL && g_strv_contains (more_names, name));

          if (listed == (filter == KEEP_LISTED))
            g_variant_builder_add (&builder, "{sv}", name, value);
          g_variant_unref (value);
        }
    }
  return g_variant_builder_end (&builder);
}

/* ExtraArgs must be `a{sv}` and cannot name the bucket or the key (as
 * s3transfer refuses them). */
static gboolean
check_extra_args (GVariant  *extra,
                  GError   **error)
{
  if (extra == NULL)
    return TRUE;
  if (!g_variant_is_of_type (extra, G_VARIANT_TYPE_VARDICT))
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                   "Parameter validation failed:\nExtraArgs must be a{sv}, not %s",
                   g_variant_get_type_string (extra));
      return FALSE;
    }
  if (g_variant_lookup (extra, "Bucket", "*", NULL) || g_variant_lookup (extra, "Key", "*", NULL))
    {
      g_set_error_literal (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                           "Parameter validation failed:\nExtraArgs cannot hold Bucket or Key");
      return FALSE;
    }
  return TRUE;
}

/* The extra arguments as s3transfer completes them: a checksum value
 * given for the whole object makes the upload FULL_OBJECT with its
 * algorithm, and with `request_checksum_calculation` at `when_supported`
 * an upload without a checksum algorithm gets CRC32. Takes @extra_args. */
static GVariant *
upload_extra_args (BotoClient *self,
                   GVariant   *extra_args)
{
  g_autoptr(GVariant) extra = extra_args != NULL ? g_variant_ref_sink (extra_args) : NULL;
  GVariant *config = boto_client_get_config (self);
  const char *calculation = NULL;
  GVariantDict dict;

  g_variant_dict_init (&dict, extra);
  for (guint i = 0; full_object_checksums[i] != NULL; i++)
    if (g_variant_dict_contains (&dict, full_object_checksums[i]))
      {
        g_variant_dict_insert (&dict, "ChecksumType", "s", "FULL_OBJECT");
        g_variant_dict_insert (&dict, "ChecksumAlgorithm", "s",
                               full_object_checksums[i] + strlen ("Checksum"));
      }
  if (config != NULL)
    g_variant_lookup (config, "request_checksum_calculation", "&s", &calculation);
  if (g_strcmp0 (calculation != NULL ? calculation : "when_supported", "when_supported") == 0 &&
      !g_variant_dict_contains (&dict, "ChecksumAlgorithm"))
    g_variant_dict_insert (&dict, "ChecksumAlgorithm", "s", "CRC32");
  return g_variant_ref_sink (g_variant_dict_end (&dict));
}

/* s3transfer's ChunksizeAdjuster: within S3's part sizes, doubled until
 * the file fits in 10,000 parts. */
static gint64
part_size_for (gint64 size)
{
  gint64 part = CLAMP (MULTIPART_CHUNKSIZE, MIN_PART_SIZE, MAX_PART_SIZE);

  while ((size + part - 1) / part > MAX_PARTS && part < MAX_PART_SIZE)
    part *= 2;
  return MIN (part, MAX_PART_SIZE);
}

/* The parts of one multipart upload, sent by up to MAX_CONCURRENCY
 * threads at once (s3transfer's max_concurrency), each reading its parts
 * from its own stream of the file. */
typedef struct
{
  BotoClient   *client;
  GFile        *file;
  gint64        size;
  gint64        part_size;
  guint         n_parts;
  const char   *bucket;
  const char   *key;
  const char   *upload_id;
  GVariant     *extra;
  const char   *checksum_member;   /* nullable: ChecksumCRC32 … */
  GCancellable *stop;              /* cancelled at the first failure */
  gint          next;              /* atomic: index of the next part to send */
  GMutex        lock;
  GError       *error;             /* the first failure */
  GVariant    **parts;             /* a{sv} ETag, PartNumber, checksum; by index */
} PartQueue;

static void
part_queue_fail (PartQueue *queue,
                 GError    *error)
{
  g_mutex_lock (&queue->lock);
  if (queue->error == NULL)
    queue->error = error;
  else
    g_error_free (error);
  g_mutex_unlock (&queue->lock);
  g_cancellable_cancel (queue->stop);
}

static gpointer
part_sender (gpointer user_data)
{
  PartQueue *queue = user_data;
  g_autoptr(GFileInputStream) stream = NULL;
  GError *error = NULL;

  stream = g_file_read (queue->file, queue->stop, &error);
  while (stream != NULL && !g_cancellable_is_cancelled (queue->stop))
    {
      guint index = (guint) g_atomic_int_add (&queue->next, 1);
      gint64 offset = (gint64) index * queue->part_size;
      g_autoptr(GVariant) uploaded = NULL;
      g_autoptr(GVariant) checksum = NULL;
      GVariantDict params;
      GVariantDict part;
      const char *etag = NULL;

      if (index >= queue->n_parts)
        break;
      if (!g_seekable_seek (G_SEEKABLE (stream), offset, G_SEEK_SET, queue->stop, &error))
        break;
      g_variant_dict_init (&params, call_params (queue->bucket, queue->key, queue->extra, KEEP_LISTED,
                                                 upload_part_args, NULL));
      g_variant_dict_insert (&params, "UploadId", "s", queue->upload_id);
      g_variant_dict_insert (&params, "PartNumber", "i", (gint32) index + 1);
      uploaded = boto_client_call_with_body (queue->client, "UploadPart", g_variant_dict_end (&params),
                                             G_INPUT_STREAM (stream), MIN (queue->part_size, queue->size - offset),
                                             queue->stop, &error);
      if (uploaded == NULL)
        break;
      g_variant_lookup (uploaded, "ETag", "&s", &etag);
      g_variant_dict_init (&part, NULL);
      g_variant_dict_insert (&part, "ETag", "s", etag != NULL ? etag : "");
      g_variant_dict_insert (&part, "PartNumber", "i", (gint32) index + 1);
      if (queue->checksum_member != NULL &&
          (checksum = g_variant_lookup_value (uploaded, queue->checksum_member, G_VARIANT_TYPE_STRING)) != NULL)
        g_variant_dict_insert_value (&part, queue->checksum_member, checksum);
      queue->parts[index] = g_variant_ref_sink (g_variant_dict_end (&part));
    }
  if (error != NULL)
    part_queue_fail (queue, error);
  return NULL;
}

static void
stop_on_cancel (GCancellable *cancellable,
                gpointer      user_data)
{
  g_cancellable_cancel (user_data);
}

/* Sends every part; the `aa{sv}` of CompleteMultipartUpload's Parts, in
 * part order, or NULL with the first failure (the other threads stop
 * after the part they are sending). */
static GVariant *
upload_parts (PartQueue     *queue,
              GCancellable  *cancellable,
              GError       **error)
{
  guint n_threads = MIN (queue->n_parts, MAX_CONCURRENCY);
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  gulong handler = 0;
  GVariantBuilder parts;

  queue->stop = g_cancellable_new ();
  queue->parts = g_new0 (GVariant *, queue->n_parts);
  g_mutex_init (&queue->lock);
  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (stop_on_cancel), g_object_ref (queue->stop),
                                     g_object_unref);
  /* This thread sends parts too. */
  for (guint i = 1; i < n_threads; i++)
    {
      GError *thread_error = NULL;
      GThread *thread = g_thread_try_new ("boto-upload-part", part_sender, queue, &thread_error);

      if (thread == NULL)
        {
          /* Fewer threads send the parts. */
          g_error_free (thread_error);
          break;
        }
      g_ptr_array_add (threads, thread);
    }
  part_sender (queue);
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (threads->pdata[i]);
  if (cancellable != NULL)
    g_cancellable_disconnect (cancellable, handler);

  g_variant_builder_init (&parts, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < queue->n_parts; i++)
    if (queue->parts[i] != NULL)
      {
        g_variant_builder_add_value (&parts, queue->parts[i]);
        g_variant_unref (queue->parts[i]);
      }
  g_free (queue->parts);
  g_clear_object (&queue->stop);
  g_mutex_clear (&queue->lock);
  if (queue->error != NULL)
    {
      g_variant_builder_clear (&parts);
      g_propagate_error (error, g_steal_pointer (&queue->error));
      return NULL;
    }
  return g_variant_builder_end (&parts);
}

static gboolean
multipart_upload (BotoClient    *self,
                  GFile         *file,
                  gint64         size,
                  const char    *bucket,
                  const char    *key,
                  GVariant      *extra,
                  GCancellable  *cancellable,
                  GError       **error)
{
  static const char * const create_blocklist[] = { "MpuObjectSize", NULL };
  g_autoptr(GVariant) created = NULL;
  g_autoptr(GVariant) parts = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GVariant) completed = NULL;
  const char *upload_id = NULL;
  const char *algorithm = NULL;
  g_autofree char *checksum_member = NULL;
  gint64 part_size = part_size_for (size);

  created = boto_client_call (self, "CreateMultipartUpload",
                              call_params (bucket, key, extra, DROP_LISTED, full_object_checksums, create_blocklist),
                              cancellable, error);
  if (created == NULL)
    return FALSE;
  if (!g_variant_lookup (created, "UploadId", "&s", &upload_id))
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED,
                   "CreateMultipartUpload for s3://%s/%s answered without an UploadId", bucket, key);
      return FALSE;
    }
  if (g_variant_lookup (extra, "ChecksumAlgorithm", "&s", &algorithm))
    {
      g_autofree char *upper = g_ascii_strup (algorithm, -1);

      checksum_member = g_strconcat ("Checksum", upper, NULL);
    }

  {
    PartQueue queue = {
      .client = self, .file = file, .size = size, .part_size = part_size,
      .n_parts = (guint) ((size + part_size - 1) / part_size), .bucket = bucket, .key = key,
      .upload_id = upload_id, .extra = extra, .checksum_member = checksum_member,
    };

    parts = upload_parts (&queue, cancellable, &local_error);
  }

  if (local_error == NULL)
    {
      GVariantDict params;

      g_variant_dict_init (&params, call_params (bucket, key, extra, KEEP_LISTED, complete_args, NULL));
      g_variant_dict_insert (&params, "UploadId", "s", upload_id);
      g_variant_dict_insert_value (&params, "MultipartUpload",
                                   g_variant_new_parsed ("{'Parts': %v}", g_steal_pointer (&parts)));
      completed = boto_client_call (self, "CompleteMultipartUpload", g_variant_dict_end (&params),
                                    cancellable, &local_error);
      if (completed != NULL)
        return TRUE;
    }

  /* As s3transfer: the parts sent so far are not left behind. */
  {
    g_autoptr(GVariant) aborted = NULL;
    g_autoptr(GError) abort_error = NULL;
    GVariantDict params;
    static const char * const abort_args[] = { "RequestPayer", "ExpectedBucketOwner", NULL };

    g_variant_dict_init (&params, call_params (bucket, key, extra, KEEP_LISTED, abort_args, NULL));
    g_variant_dict_insert (&params, "UploadId", "s", upload_id);
    aborted = boto_client_call (self, "AbortMultipartUpload", g_variant_dict_end (&params), NULL, &abort_error);
    if (aborted == NULL)
      g_warning ("Could not abort the multipart upload %s of s3://%s/%s: %s", upload_id, bucket, key,
                 abort_error->message);
  }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/**
 * boto_client_upload_file:
 * @self: an `s3` client
 * @filename: the local file to upload
 * @bucket: the bucket
 * @key: the object's key
 * @extra_args: (nullable): more parameters of the upload's requests
 *   (`ContentType`, `Metadata`, `ServerSideEncryption`, `ChecksumAlgorithm`
 *   …), `a{sv}`; a floating reference is consumed
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Uploads a file as boto3's `upload_file`: a file under 8 MiB in one
 * `PutObject`, a larger one as a multipart upload in parts of 8 MiB (more
 * when the file would need over 10,000 parts), each read from the file as
 * it is sent, never the whole file in memory. A failed multipart upload is
 * aborted. As s3transfer does, an upload gets a CRC32 checksum unless
 * @extra_args names one or `request_checksum_calculation` is
 * `when_required`. Up to ten parts are sent at once, each from its own
 * thread (s3transfer's `max_concurrency`), so at most ten parts' requests
 * are in flight.
 *
 * Returns: %TRUE on success
 *
 * Since: 1.0
 */
gboolean
boto_client_upload_file (BotoClient    *self,
                         const char    *filename,
                         const char    *bucket,
                         const char    *key,
                         GVariant      *extra_args,
                         GCancellable  *cancellable,
                         GError       **error)
{
  static const char * const put_blocklist[] = { "ChecksumType", "MpuObjectSize", NULL };
  g_autoptr(GVariant) extra = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GVariant) result = NULL;
  gint64 size;

  g_return_val_if_fail (BOTO_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (filename != NULL, FALSE);
  g_return_val_if_fail (bucket != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (extra_args != NULL && !check_extra_args (g_variant_ref_sink (extra_args), error))
    {
      g_variant_unref (extra_args);
      return FALSE;
    }
  extra = upload_extra_args (self, extra_args);
  g_clear_pointer (&extra_args, g_variant_unref);
  file = g_file_new_for_path (filename);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, error);
  if (info == NULL)
    return FALSE;
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE, "%s is not a regular file", filename);
      return FALSE;
    }
  size = g_file_info_get_size (info);

  if (size >= MULTIPART_THRESHOLD)
    return multipart_upload (self, file, size, bucket, key, extra, cancellable, error);
  result = boto_client_call_with_file (self, "PutObject",
                                       call_params (bucket, key, extra, DROP_LISTED, put_blocklist, NULL),
                                       file, cancellable, error);
  return result != NULL;
}

/**
 * boto_client_download_file:
 * @self: an `s3` client
 * @bucket: the bucket
 * @key: the object's key
 * @filename: the local file to write
 * @extra_args: (nullable): more `GetObject` parameters (`VersionId`,
 *   `SSECustomerKey`, `ChecksumMode` …), `a{sv}`; a floating reference is
 *   consumed
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Downloads an object to a file as boto3's `download_file`: the body is
 * streamed to a new file beside @filename and renamed over it once all of
 * it (its `ContentLength`) has arrived, so @filename is never left half
 * written; on failure the partial file is removed.
 *
 * Returns: %TRUE on success
 *
 * Since: 1.0
 */
gboolean
boto_client_download_file (BotoClient    *self,
                           const char    *bucket,
                           const char    *key,
                           const char    *filename,
                           GVariant      *extra_args,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(GVariant) extra = extra_args != NULL ? g_variant_ref_sink (extra_args) : NULL;
  static const char * const none[] = { NULL };
  g_autoptr(GInputStream) body = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GFile) temp_file = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *temp = NULL;
  gint64 expected = -1;
  gssize written = -1;
  int fd;

  g_return_val_if_fail (BOTO_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (bucket != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (filename != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_extra_args (extra, error))
    return FALSE;
  result = boto_client_call_streaming (self, "GetObject", call_params (bucket, key, extra, DROP_LISTED, none, NULL),
                                       &body, cancellable, error);
  if (result == NULL)
    return FALSE;
  g_variant_lookup (result, "ContentLength", "x", &expected);

  /* Beside the destination, so the rename stays on one file system. */
  dir = g_path_get_dirname (filename);
  base = g_path_get_basename (filename);
  temp = g_strdup_printf ("%s%s.%s.XXXXXX", dir, G_DIR_SEPARATOR_S, base);
  fd = g_mkstemp_full (temp, O_WRONLY | O_CREAT | O_EXCL, 0666);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "Cannot create a file beside %s: %s",
                   filename, g_strerror (saved));
      return FALSE;
    }
  g_close (fd, NULL);
  temp_file = g_file_new_for_path (temp);
  out = g_file_append_to (temp_file, G_FILE_CREATE_NONE, cancellable, &local_error);
  if (out != NULL)
    written = g_output_stream_splice (G_OUTPUT_STREAM (out), body,
                                      G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                      cancellable, &local_error);
  if (local_error == NULL && expected >= 0 && written != expected)
    g_set_error (&local_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                 "s3://%s/%s: %" G_GSSIZE_FORMAT " of its %" G_GINT64_FORMAT " bytes arrived", bucket, key,
                 written, expected);
  if (local_error == NULL && g_rename (temp, filename) != 0)
    {
      int saved = errno;

      g_set_error (&local_error, G_IO_ERROR, g_io_error_from_errno (saved), "Cannot rename %s to %s: %s",
                   temp, filename, g_strerror (saved));
    }
  if (local_error != NULL)
    {
      g_unlink (temp);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* The asynchronous forms: the synchronous transfer in a worker thread (the
 * file is read and written with blocking calls either way). */
typedef struct
{
  gboolean  upload;
  char     *filename;
  char     *bucket;
  char     *key;
  GVariant *extra;
} TransferData;

static void
transfer_data_free (TransferData *data)
{
  g_free (data->filename);
  g_free (data->bucket);
  g_free (data->key);
  g_clear_pointer (&data->extra, g_variant_unref);
  g_free (data);
}

static void
transfer_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  TransferData *data = task_data;
  GError *error = NULL;
  gboolean done;

  if (data->upload)
    done = boto_client_upload_file (source, data->filename, data->bucket, data->key, data->extra,
                                    cancellable, &error);
  else
    done = boto_client_download_file (source, data->bucket, data->key, data->filename, data->extra,
                                      cancellable, &error);
  if (done)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
transfer_async (BotoClient          *self,
                gboolean             upload,
                const char          *filename,
                const char          *bucket,
                const char          *key,
                GVariant            *extra_args,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data,
                gpointer             source_tag)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  TransferData *data = g_new0 (TransferData, 1);

  data->upload = upload;
  data->filename = g_strdup (filename);
  data->bucket = g_strdup (bucket);
  data->key = g_strdup (key);
  data->extra = extra_args != NULL ? g_variant_ref_sink (extra_args) : NULL;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, (GDestroyNotify) transfer_data_free);
  g_task_run_in_thread (task, transfer_thread);
}

/**
 * boto_client_upload_file_async:
 * @self: an `s3` client
 * @filename: the local file to upload
 * @bucket: the bucket
 * @key: the object's key
 * @extra_args: (nullable): more parameters, as for
 *   [method@Boto.Client.upload_file]; a floating reference is consumed
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the upload is done
 * @user_data: data for @callback
 *
 * Does what [method@Boto.Client.upload_file] does without blocking the
 * calling thread (in a worker thread); finish with
 * [method@Boto.Client.upload_file_finish].
 *
 * Since: 1.0
 */
void
boto_client_upload_file_async (BotoClient          *self,
                               const char          *filename,
                               const char          *bucket,
                               const char          *key,
                               GVariant            *extra_args,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (BOTO_IS_CLIENT (self));
  g_return_if_fail (filename != NULL && bucket != NULL && key != NULL);

  transfer_async (self, TRUE, filename, bucket, key, extra_args, cancellable, callback, user_data,
                  boto_client_upload_file_async);
}

/**
 * boto_client_upload_file_finish:
 * @self: an `s3` client
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Boto.Client.upload_file_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 1.0
 */
gboolean
boto_client_upload_file_finish (BotoClient    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == boto_client_upload_file_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * boto_client_download_file_async:
 * @self: an `s3` client
 * @bucket: the bucket
 * @key: the object's key
 * @filename: the local file to write
 * @extra_args: (nullable): more `GetObject` parameters; a floating
 *   reference is consumed
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the download is done
 * @user_data: data for @callback
 *
 * Does what [method@Boto.Client.download_file] does without blocking the
 * calling thread (in a worker thread); finish with
 * [method@Boto.Client.download_file_finish].
 *
 * Since: 1.0
 */
void
boto_client_download_file_async (BotoClient          *self,
                                 const char          *bucket,
                                 const char          *key,
                                 const char          *filename,
                                 GVariant            *extra_args,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (BOTO_IS_CLIENT (self));
  g_return_if_fail (filename != NULL && bucket != NULL && key != NULL);

  transfer_async (self, FALSE, filename, bucket, key, extra_args, cancellable, callback, user_data,
                  boto_client_download_file_async);
}

/**
 * boto_client_download_file_finish:
 * @self: an `s3` client
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Boto.Client.download_file_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 1.0
 */
gboolean
boto_client_download_file_finish (BotoClient    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == boto_client_download_file_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
