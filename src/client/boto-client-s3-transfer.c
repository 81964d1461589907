/* boto-client-s3-transfer.c: files to and from S3, as boto3's upload_file
 * and download_file (s3transfer)
 *
 * Methods of BotoClient, apart from boto-client.c because they only call
 * the client's public API: an upload of 8 MiB or more goes in parts of
 * s3transfer's size, up to ten at once, each read from the file as it is
 * sent; a download of 8 MiB or more comes in ranged GETs of that size, up
 * to ten at once, written at their places in a file beside the destination
 * that is renamed over it only once every byte has arrived.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

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

/* The parts of one transfer, sent or fetched by up to MAX_CONCURRENCY
 * threads at once (s3transfer's max_concurrency), the caller's among
 * them, each taking the next part from a shared counter. */
typedef struct _Parts Parts;

/* Transfers part @index; *@state is the thread's own (NULL at first). */
typedef gboolean (*PartFunc) (Parts    *parts,
                              guint     index,
                              GObject **state,
                              GError  **error);

struct _Parts
{
  PartFunc      func;
  BotoClient   *client;
  const char   *bucket;
  const char   *key;
  GVariant     *extra;
  gint64        size;
  gint64        part_size;
  guint         n_parts;
  GCancellable *stop;              /* cancelled at the first failure */
  gint          next;              /* atomic: the next part's index */
  GMutex        lock;
  GError       *error;             /* the first failure */
  /* An upload's */
  GFile        *file;
  const char   *upload_id;
  const char   *checksum_member;   /* nullable: ChecksumCRC32 … */
  GVariant    **done;              /* a{sv} ETag, PartNumber, checksum; by index */
  /* A download's */
  int           fd;
  const char   *etag;              /* nullable */
};

static gpointer
parts_worker (gpointer user_data)
{
  Parts *parts = user_data;
  g_autoptr(GObject) state = NULL;

  while (!g_cancellable_is_cancelled (parts->stop))
    {
      guint index = (guint) g_atomic_int_add (&parts->next, 1);
      GError *error = NULL;

      if (index >= parts->n_parts)
        break;
      if (!parts->func (parts, index, &state, &error))
        {
          g_mutex_lock (&parts->lock);
          if (parts->error == NULL)
            parts->error = g_steal_pointer (&error);
          g_mutex_unlock (&parts->lock);
          g_clear_error (&error);
          g_cancellable_cancel (parts->stop);
          break;
        }
    }
  return NULL;
}

static void
stop_on_cancel (GCancellable *cancellable,
                gpointer      user_data)
{
  g_cancellable_cancel (user_data);
}

/* Runs @parts->func on every part; FALSE with the first failure (the
 * other threads stop after the part they are on). */
static gboolean
parts_run (Parts         *parts,
           const char    *thread_name,
           GCancellable  *cancellable,
           GError       **error)
{
  guint n_threads = MIN (parts->n_parts, MAX_CONCURRENCY);
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  gulong handler = 0;

  parts->stop = g_cancellable_new ();
  g_mutex_init (&parts->lock);
  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (stop_on_cancel), g_object_ref (parts->stop),
                                     g_object_unref);
  for (guint i = 1; i < n_threads; i++)
    {
      GError *thread_error = NULL;
      GThread *thread = g_thread_try_new (thread_name, parts_worker, parts, &thread_error);

      if (thread == NULL)
        {
          /* Fewer threads do the work. */
          g_error_free (thread_error);
          break;
        }
      g_ptr_array_add (threads, thread);
    }
  parts_worker (parts);
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (threads->pdata[i]);
  if (cancellable != NULL)
    g_cancellable_disconnect (cancellable, handler);
  g_clear_object (&parts->stop);
  g_mutex_clear (&parts->lock);
  if (parts->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&parts->error));
      return FALSE;
    }
  return TRUE;
}

/* UploadPart of part @index, read from the thread's own stream of the
 * file. */
static gboolean
upload_part (Parts    *parts,
             guint     index,
             GObject **state,
             GError  **error)
{
  gint64 offset = (gint64) index * parts->part_size;
  g_autoptr(GVariant) uploaded = NULL;
  g_autoptr(GVariant) checksum = NULL;
  GVariantDict params;
  GVariantDict part;
  const char *etag = NULL;

  if (*state == NULL && (*state = G_OBJECT (g_file_read (parts->file, parts->stop, error))) == NULL)
    return FALSE;
  if (!g_seekable_seek (G_SEEKABLE (*state), offset, G_SEEK_SET, parts->stop, error))
    return FALSE;
  g_variant_dict_init (&params, call_params (parts->bucket, parts->key, parts->extra, KEEP_LISTED,
                                             upload_part_args, NULL));
  g_variant_dict_insert (&params, "UploadId", "s", parts->upload_id);
  g_variant_dict_insert (&params, "PartNumber", "i", (gint32) index + 1);
  uploaded = boto_client_call_with_body (parts->client, "UploadPart", g_variant_dict_end (&params),
                                         G_INPUT_STREAM (*state), MIN (parts->part_size, parts->size - offset),
                                         parts->stop, error);
  if (uploaded == NULL)
    return FALSE;
  g_variant_lookup (uploaded, "ETag", "&s", &etag);
  g_variant_dict_init (&part, NULL);
  g_variant_dict_insert (&part, "ETag", "s", etag != NULL ? etag : "");
  g_variant_dict_insert (&part, "PartNumber", "i", (gint32) index + 1);
  if (parts->checksum_member != NULL &&
      (checksum = g_variant_lookup_value (uploaded, parts->checksum_member, G_VARIANT_TYPE_STRING)) != NULL)
    g_variant_dict_insert_value (&part, parts->checksum_member, checksum);
  parts->done[index] = g_variant_ref_sink (g_variant_dict_end (&part));
  return TRUE;
}

/* Sends every part; the `aa{sv}` of CompleteMultipartUpload's Parts, in
 * part order, or NULL. */
static GVariant *
upload_parts (Parts         *parts,
              GCancellable  *cancellable,
              GError       **error)
{
  GVariantBuilder builder;
  gboolean ok;

  parts->func = upload_part;
  parts->done = g_new0 (GVariant *, parts->n_parts);
  ok = parts_run (parts, "boto-upload-part", cancellable, error);
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < parts->n_parts; i++)
    if (parts->done[i] != NULL)
      {
        g_variant_builder_add_value (&builder, parts->done[i]);
        g_variant_unref (parts->done[i]);
      }
  g_free (parts->done);
  if (!ok)
    {
      g_variant_builder_clear (&builder);
      return NULL;
    }
  return g_variant_builder_end (&builder);
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
    Parts queue = {
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

/* The HeadObject arguments of a download: s3transfer's allowed download
 * arguments. */
static const char * const head_args[] = {
  "ChecksumMode", "VersionId", "SSECustomerAlgorithm", "SSECustomerKey", "SSECustomerKeyMD5", "RequestPayer",
  "ExpectedBucketOwner", NULL,
};

#define DOWNLOAD_BUFFER (64 * 1024)

/* A new file beside @filename (so the rename stays on one file system),
 * open for writing; its path in *@temp. -1 on failure. */
static int
temp_file_beside (const char  *filename,
                  char       **temp,
                  GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (filename);
  g_autofree char *base = g_path_get_basename (filename);
  int fd;

  *temp = g_strdup_printf ("%s%s.%s.XXXXXX", dir, G_DIR_SEPARATOR_S, base);
  fd = g_mkstemp_full (*temp, O_WRONLY | O_CREAT | O_EXCL, 0666);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "Cannot create a file beside %s: %s",
                   filename, g_strerror (saved));
      g_clear_pointer (temp, g_free);
    }
  return fd;
}

/* One GetObject streamed into @temp; its ContentLength must arrive whole. */
static gboolean
download_whole (BotoClient    *self,
                const char    *bucket,
                const char    *key,
                GVariant      *extra,
                const char    *temp,
                GCancellable  *cancellable,
                GError       **error)
{
  static const char * const none[] = { NULL };
  g_autoptr(GInputStream) body = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GFile) temp_file = g_file_new_for_path (temp);
  g_autoptr(GFileOutputStream) out = NULL;
  gint64 expected = -1;
  gssize written;

  result = boto_client_call_streaming (self, "GetObject", call_params (bucket, key, extra, DROP_LISTED, none, NULL),
                                       &body, cancellable, error);
  if (result == NULL)
    return FALSE;
  g_variant_lookup (result, "ContentLength", "x", &expected);
  out = g_file_append_to (temp_file, G_FILE_CREATE_NONE, cancellable, error);
  if (out == NULL)
    return FALSE;
  written = g_output_stream_splice (G_OUTPUT_STREAM (out), body,
                                    G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                    cancellable, error);
  if (written < 0)
    return FALSE;
  if (expected >= 0 && written != expected)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                   "s3://%s/%s: %" G_GSSIZE_FORMAT " of its %" G_GINT64_FORMAT " bytes arrived", bucket, key,
                   written, expected);
      return FALSE;
    }
  return TRUE;
}

/* @len bytes at @offset of @fd, whatever the threads write elsewhere. */
static gboolean
write_at (int           fd,
          const guint8 *data,
          gsize         len,
          gint64        offset,
          GError      **error)
{
  while (len > 0)
    {
      gssize n = pwrite (fd, data, len, offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "Cannot write the download: %s",
                       g_strerror (saved));
          return FALSE;
        }
      data += n;
      len -= n;
      offset += n;
    }
  return TRUE;
}

/* A ranged GetObject of part @index (the last range open-ended, as
 * s3transfer asks), with the object's ETag as IfMatch so a replaced
 * object fails rather than mixes; written at its place in the file. */
static gboolean
download_range (Parts    *parts,
                guint     index,
                GObject **state,
                GError  **error)
{
  static const char * const none[] = { NULL };
  gint64 offset = (gint64) index * parts->part_size;
  gint64 end = MIN (offset + parts->part_size, parts->size);
  g_autofree char *range = NULL;
  g_autofree guint8 *buffer = NULL;
  g_autoptr(GInputStream) body = NULL;
  g_autoptr(GVariant) result = NULL;
  GVariantDict params;
  gint64 at = offset;

  if (index + 1 == parts->n_parts)
    range = g_strdup_printf ("bytes=%" G_GINT64_FORMAT "-", offset);
  else
    range = g_strdup_printf ("bytes=%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT, offset, end - 1);
  g_variant_dict_init (&params, call_params (parts->bucket, parts->key, parts->extra, DROP_LISTED, none, NULL));
  g_variant_dict_insert (&params, "Range", "s", range);
  if (parts->etag != NULL)
    g_variant_dict_insert (&params, "IfMatch", "s", parts->etag);
  result = boto_client_call_streaming (parts->client, "GetObject", g_variant_dict_end (&params), &body,
                                       parts->stop, error);
  if (result == NULL)
    return FALSE;
  buffer = g_malloc (DOWNLOAD_BUFFER);
  for (;;)
    {
      gssize n = g_input_stream_read (body, buffer, DOWNLOAD_BUFFER, parts->stop, error);

      if (n < 0)
        return FALSE;
      if (n == 0)
        break;
      if (n > end - at)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "s3://%s/%s: more than the %" G_GINT64_FORMAT " bytes of %s arrived", parts->bucket,
                       parts->key, end - offset, range);
          return FALSE;
        }
      if (!write_at (parts->fd, buffer, n, at, error))
        return FALSE;
      at += n;
    }
  if (at != end)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                   "s3://%s/%s: %" G_GINT64_FORMAT " of the %" G_GINT64_FORMAT " bytes of %s arrived",
                   parts->bucket, parts->key, at - offset, end - offset, range);
      return FALSE;
    }
  return g_input_stream_close (body, parts->stop, error);
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
 * Downloads an object to a file as boto3's `download_file`: a
 * `HeadObject` gives its size and ETag; an object under 8 MiB comes in one
 * `GetObject`, a larger one in ranged `GetObject`s of 8 MiB, up to ten at
 * once, each asking for the ETag the `HeadObject` saw (`IfMatch`), so an
 * object replaced meanwhile fails the download instead of mixing two
 * versions. (A `Range` or `PartNumber` in @extra_args gets one
 * `GetObject`.) The bytes go to a new file beside @filename, renamed over
 * it once every byte has arrived, so @filename is never left half
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
  g_autoptr(GVariant) head = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *temp = NULL;
  const char *etag = NULL;
  gint64 size = -1;
  int fd;

  g_return_val_if_fail (BOTO_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (bucket != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (filename != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_extra_args (extra, error))
    return FALSE;
  /* As s3transfer: the size and ETag first. */
  head = boto_client_call (self, "HeadObject", call_params (bucket, key, extra, KEEP_LISTED, head_args, NULL),
                           cancellable, error);
  if (head == NULL)
    return FALSE;
  g_variant_lookup (head, "ContentLength", "x", &size);
  g_variant_lookup (head, "ETag", "&s", &etag);

  fd = temp_file_beside (filename, &temp, error);
  if (fd < 0)
    return FALSE;
  if (size >= MULTIPART_THRESHOLD &&
      !(extra != NULL && (g_variant_lookup (extra, "Range", "*", NULL) ||
                          g_variant_lookup (extra, "PartNumber", "*", NULL))))
    {
      Parts parts = {
        .func = download_range, .client = self, .bucket = bucket, .key = key, .extra = extra,
        .size = size, .part_size = MULTIPART_CHUNKSIZE,
        .n_parts = (guint) ((size + MULTIPART_CHUNKSIZE - 1) / MULTIPART_CHUNKSIZE), .fd = fd, .etag = etag,
      };

      GError *close_error = NULL;

      parts_run (&parts, "boto-download-range", cancellable, &local_error);
      if (!g_close (fd, &close_error))
        {
          g_prefix_error (&close_error, "%s: ", temp);
          if (local_error == NULL)
            local_error = close_error;
          else
            g_error_free (close_error);
        }
    }
  else
    {
      g_close (fd, NULL);
      download_whole (self, bucket, key, extra, temp, cancellable, &local_error);
    }

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
