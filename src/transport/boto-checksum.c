/* boto-checksum.c: payload checksums and the streams that compute them
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include <nettle/hmac.h>
#include <nettle/md5.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>

#include "boto-checksum-private.h"
#include "boto-error.h"

/* Checksums */

/* The digests come from nettle, GnuTLS's crypto library: 4 to 8 times
 * faster than GLib's GChecksum/GHmac here (bench/bench-hash), which
 * matters for SigV4's payload hash of large uploads. GnuTLS itself is not
 * linked: its initialization loads p11-kit modules. */
struct _BotoChecksum
{
  BotoChecksumAlgorithm algorithm;
  guint32               crc;
  union {
    struct sha1_ctx   sha1;
    struct sha256_ctx sha256;
    struct md5_ctx    md5;
  } ctx;
};

static guint32 crc32_table[256];
static guint32 crc32c_table[256];

static void
init_tables (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      for (guint32 i = 0; i < 256; i++)
        {
          guint32 a = i;
          guint32 c = i;

          for (int k = 0; k < 8; k++)
            {
              a = (a & 1) ? (a >> 1) ^ 0xEDB88320u : a >> 1;
              c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
            }
          crc32_table[i] = a;
          crc32c_table[i] = c;
        }
      g_once_init_leave (&done, 1);
    }
}

static const struct
{
  const char *name;
  const char *header;
  gsize       digest_len;
} algorithms[] = {
  [BOTO_CHECKSUM_CRC32]  = { "crc32", "x-amz-checksum-crc32", 4 },
  [BOTO_CHECKSUM_CRC32C] = { "crc32c", "x-amz-checksum-crc32c", 4 },
  [BOTO_CHECKSUM_SHA1]   = { "sha1", "x-amz-checksum-sha1", 20 },
  [BOTO_CHECKSUM_SHA256] = { "sha256", "x-amz-checksum-sha256", 32 },
  [BOTO_CHECKSUM_MD5]    = { "md5", "Content-MD5", 16 },
};

gboolean
boto_checksum_algorithm_from_name (const char            *name,
                                   BotoChecksumAlgorithm *out_algorithm)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (algorithms); i++)
    if (g_ascii_strcasecmp (name, algorithms[i].name) == 0)
      {
        *out_algorithm = i;
        return TRUE;
      }
  return FALSE;
}

const char *
boto_checksum_algorithm_get_name (BotoChecksumAlgorithm algorithm)
{
  return algorithms[algorithm].name;
}

const char *
boto_checksum_algorithm_get_header (BotoChecksumAlgorithm algorithm)
{
  return algorithms[algorithm].header;
}

gsize
boto_checksum_algorithm_get_b64_len (BotoChecksumAlgorithm algorithm)
{
  return (algorithms[algorithm].digest_len + 2) / 3 * 4;
}

BotoChecksum *
boto_checksum_new (BotoChecksumAlgorithm algorithm)
{
  BotoChecksum *self = g_new0 (BotoChecksum, 1);

  init_tables ();
  self->algorithm = algorithm;
  self->crc = 0xFFFFFFFFu;
  switch (algorithm)
    {
    case BOTO_CHECKSUM_SHA1:
      sha1_init (&self->ctx.sha1);
      break;
    case BOTO_CHECKSUM_SHA256:
      sha256_init (&self->ctx.sha256);
      break;
    case BOTO_CHECKSUM_MD5:
      md5_init (&self->ctx.md5);
      break;
    case BOTO_CHECKSUM_CRC32:
    case BOTO_CHECKSUM_CRC32C:
    default:
      break;
    }
  return self;
}

void
boto_checksum_update (BotoChecksum *self,
                      const void   *data,
                      gsize         len)
{
  const guint8 *p = data;

  switch (self->algorithm)
    {
    case BOTO_CHECKSUM_SHA1:
      sha1_update (&self->ctx.sha1, len, p);
      return;
    case BOTO_CHECKSUM_SHA256:
      sha256_update (&self->ctx.sha256, len, p);
      return;
    case BOTO_CHECKSUM_MD5:
      md5_update (&self->ctx.md5, len, p);
      return;
    case BOTO_CHECKSUM_CRC32:
    case BOTO_CHECKSUM_CRC32C:
    default:
      break;
    }
  if (self->algorithm == BOTO_CHECKSUM_CRC32)
    {
      guint32 crc = self->crc;

      for (gsize i = 0; i < len; i++)
        crc = crc32_table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
      self->crc = crc;
    }
  else
    {
      guint32 crc = self->crc;

      for (gsize i = 0; i < len; i++)
        crc = crc32c_table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
      self->crc = crc;
    }
}

gsize
boto_checksum_finish_digest (BotoChecksum *self,
                             guint8        out[BOTO_CHECKSUM_MAX_DIGEST])
{
  switch (self->algorithm)
    {
    case BOTO_CHECKSUM_SHA1:
      sha1_digest (&self->ctx.sha1, SHA1_DIGEST_SIZE, out);
      return SHA1_DIGEST_SIZE;
    case BOTO_CHECKSUM_SHA256:
      sha256_digest (&self->ctx.sha256, SHA256_DIGEST_SIZE, out);
      return SHA256_DIGEST_SIZE;
    case BOTO_CHECKSUM_MD5:
      md5_digest (&self->ctx.md5, MD5_DIGEST_SIZE, out);
      return MD5_DIGEST_SIZE;
    case BOTO_CHECKSUM_CRC32:
    case BOTO_CHECKSUM_CRC32C:
    default:
      {
        guint32 crc = self->crc ^ 0xFFFFFFFFu;

        out[0] = crc >> 24;
        out[1] = crc >> 16;
        out[2] = crc >> 8;
        out[3] = crc;
        return 4;
      }
    }
}

char *
boto_checksum_finish_base64 (BotoChecksum *self)
{
  guint8 buffer[BOTO_CHECKSUM_MAX_DIGEST];
  gsize len = boto_checksum_finish_digest (self, buffer);

  return g_base64_encode (buffer, len);
}

char *
boto_checksum_finish_hex (BotoChecksum *self)
{
  static const char hex[] = "0123456789abcdef";
  guint8 buffer[BOTO_CHECKSUM_MAX_DIGEST];
  gsize len = boto_checksum_finish_digest (self, buffer);
  char *out = g_malloc (len * 2 + 1);

  for (gsize i = 0; i < len; i++)
    {
      out[2 * i] = hex[buffer[i] >> 4];
      out[2 * i + 1] = hex[buffer[i] & 0xf];
    }
  out[len * 2] = '\0';
  return out;
}

guint32
boto_crc32 (guint32       crc,
            const guint8 *data,
            gsize         len)
{
  init_tables ();
  crc = ~crc;
  for (gsize i = 0; i < len; i++)
    crc = crc32_table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

guint32
boto_crc32c (guint32       crc,
             const guint8 *data,
             gsize         len)
{
  init_tables ();
  crc = ~crc;
  for (gsize i = 0; i < len; i++)
    crc = crc32c_table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

void
boto_hmac_sha256 (const void *key,
                  gsize       key_len,
                  const void *data,
                  gsize       len,
                  guint8      out[32])
{
  struct hmac_sha256_ctx ctx;

  hmac_sha256_set_key (&ctx, key_len, key);
  hmac_sha256_update (&ctx, len, data);
  hmac_sha256_digest (&ctx, SHA256_DIGEST_SIZE, out);
  memset (&ctx, 0, sizeof ctx);
}

void
boto_checksum_free (BotoChecksum *self)
{
  if (self == NULL)
    return;
  memset (self, 0, sizeof *self);
  g_free (self);
}

char *
boto_checksum_compute_base64 (BotoChecksumAlgorithm algorithm,
                              GBytes               *data)
{
  g_autoptr(BotoChecksum) checksum = boto_checksum_new (algorithm);
  gsize len = 0;
  const void *p = data != NULL ? g_bytes_get_data (data, &len) : NULL;

  if (len > 0)
    boto_checksum_update (checksum, p, len);
  return boto_checksum_finish_base64 (checksum);
}

/* The checksum stream */

#define BOTO_TYPE_CHECKSUM_INPUT_STREAM (boto_checksum_input_stream_get_type ())
G_DECLARE_FINAL_TYPE (BotoChecksumInputStream, boto_checksum_input_stream, BOTO, CHECKSUM_INPUT_STREAM, GInputStream)

struct _BotoChecksumInputStream
{
  GInputStream  parent_instance;

  GInputStream *base;
  gint64        remaining;   /* -1: until the end of base */
  BotoChecksum *checksum;
  char         *expected;
  gboolean      close_base;
  gboolean      consumed;
  gboolean      at_end;
  GError       *error;       /* the first read error */
};

G_DEFINE_FINAL_TYPE (BotoChecksumInputStream, boto_checksum_input_stream, G_TYPE_INPUT_STREAM)

static gsize
checksum_clamp (BotoChecksumInputStream *self,
                gsize                    count)
{
  if (self->remaining >= 0 && (guint64) self->remaining < count)
    return (gsize) self->remaining;
  return MIN (count, G_MAXSSIZE);
}

/* After the base read @n bytes (or -1 with @error set) into @buffer. */
static gssize checksum_after_read_inner (BotoChecksumInputStream  *self,
                                         const void               *buffer,
                                         gsize                     asked,
                                         gssize                    n,
                                         GError                  **error);

static gssize
checksum_after_read (BotoChecksumInputStream  *self,
                     const void               *buffer,
                     gsize                     asked,
                     gssize                    n,
                     GError                  **error)
{
  n = checksum_after_read_inner (self, buffer, asked, n, error);
  if (n < 0 && self->error == NULL && error != NULL && *error != NULL)
    self->error = g_error_copy (*error);
  return n;
}

static gssize
checksum_after_read_inner (BotoChecksumInputStream  *self,
                           const void               *buffer,
                           gsize                     asked,
                           gssize                    n,
                           GError                  **error)
{
  if (n < 0)
    return -1;
  if (asked > 0)
    self->consumed = TRUE;
  if (n > 0)
    {
      if (self->checksum != NULL)
        boto_checksum_update (self->checksum, buffer, n);
      if (self->remaining >= 0)
        self->remaining -= n;
      return n;
    }
  if (asked == 0 && self->remaining != 0)
    return 0;

  /* The end. */
  if (self->at_end)
    return 0;
  self->at_end = TRUE;
  if (self->remaining > 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                   "The stream ended %" G_GINT64_FORMAT " bytes before its announced length",
                   self->remaining);
      return -1;
    }
  if (self->checksum != NULL && self->expected != NULL)
    {
      g_autofree char *actual = boto_checksum_finish_base64 (self->checksum);

      if (strcmp (actual, self->expected) != 0)
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_CHECKSUM_MISMATCH,
                       "Expected checksum %s did not match calculated checksum: %s",
                       self->expected, actual);
          return -1;
        }
    }
  return 0;
}

static gssize
boto_checksum_input_stream_read (GInputStream  *stream,
                                 void          *buffer,
                                 gsize          count,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  BotoChecksumInputStream *self = BOTO_CHECKSUM_INPUT_STREAM (stream);
  gsize asked = checksum_clamp (self, count);
  gssize n = 0;

  if (asked > 0)
    n = g_input_stream_read (self->base, buffer, asked, cancellable, error);
  return checksum_after_read (self, buffer, asked, n, error);
}

typedef struct
{
  void  *buffer;
  gsize  asked;
} ReadData;

static void
on_base_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BotoChecksumInputStream *self = g_task_get_source_object (task);
  ReadData *data = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  n = checksum_after_read (self, data->buffer, data->asked, n, &error);
  if (n < 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, n);
}

static void
boto_checksum_input_stream_read_async (GInputStream        *stream,
                                       void                *buffer,
                                       gsize                count,
                                       int                  io_priority,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  BotoChecksumInputStream *self = BOTO_CHECKSUM_INPUT_STREAM (stream);
  GTask *task = g_task_new (stream, cancellable, callback, user_data);
  ReadData *data = g_new0 (ReadData, 1);

  g_task_set_source_tag (task, boto_checksum_input_stream_read_async);
  data->buffer = buffer;
  data->asked = checksum_clamp (self, count);
  g_task_set_task_data (task, data, g_free);
  if (data->asked == 0)
    {
      GError *error = NULL;
      gssize n = checksum_after_read (self, buffer, 0, 0, &error);

      if (n < 0)
        g_task_return_error (task, error);
      else
        g_task_return_int (task, n);
      g_object_unref (task);
      return;
    }
  g_input_stream_read_async (self->base, buffer, data->asked, io_priority, cancellable,
                             on_base_read, task);
}

static gssize
boto_checksum_input_stream_read_finish (GInputStream  *stream,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return g_task_propagate_int (G_TASK (result), error);
}

static gboolean
boto_checksum_input_stream_close (GInputStream  *stream,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  BotoChecksumInputStream *self = BOTO_CHECKSUM_INPUT_STREAM (stream);

  if (self->close_base)
    return g_input_stream_close (self->base, cancellable, error);
  return TRUE;
}

static void
on_base_closed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_input_stream_close_finish (G_INPUT_STREAM (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
boto_checksum_input_stream_close_async (GInputStream        *stream,
                                        int                  io_priority,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  BotoChecksumInputStream *self = BOTO_CHECKSUM_INPUT_STREAM (stream);
  GTask *task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, boto_checksum_input_stream_close_async);
  if (!self->close_base)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  g_input_stream_close_async (self->base, io_priority, cancellable, on_base_closed, task);
}

static gboolean
boto_checksum_input_stream_close_finish (GInputStream  *stream,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
boto_checksum_input_stream_finalize (GObject *object)
{
  BotoChecksumInputStream *self = BOTO_CHECKSUM_INPUT_STREAM (object);

  g_clear_object (&self->base);
  g_clear_pointer (&self->checksum, boto_checksum_free);
  g_clear_pointer (&self->expected, g_free);
  g_clear_error (&self->error);
  G_OBJECT_CLASS (boto_checksum_input_stream_parent_class)->finalize (object);
}

static void
boto_checksum_input_stream_class_init (BotoChecksumInputStreamClass *klass)
{
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = boto_checksum_input_stream_finalize;
  stream_class->read_fn = boto_checksum_input_stream_read;
  stream_class->read_async = boto_checksum_input_stream_read_async;
  stream_class->read_finish = boto_checksum_input_stream_read_finish;
  stream_class->close_fn = boto_checksum_input_stream_close;
  stream_class->close_async = boto_checksum_input_stream_close_async;
  stream_class->close_finish = boto_checksum_input_stream_close_finish;
}

static void
boto_checksum_input_stream_init (BotoChecksumInputStream *self)
{
  self->close_base = TRUE;
}

GInputStream *
boto_checksum_input_stream_new (GInputStream *base,
                                gint64        length,
                                int           algorithm,
                                const char   *expected)
{
  BotoChecksumInputStream *self = g_object_new (BOTO_TYPE_CHECKSUM_INPUT_STREAM, NULL);

  self->base = g_object_ref (base);
  self->remaining = length < 0 ? -1 : length;
  if (algorithm >= 0)
    self->checksum = boto_checksum_new (algorithm);
  self->expected = g_strdup (expected);
  return G_INPUT_STREAM (self);
}

void
boto_checksum_input_stream_set_close_base (GInputStream *stream,
                                           gboolean      close_base)
{
  BOTO_CHECKSUM_INPUT_STREAM (stream)->close_base = close_base;
}

gboolean
boto_checksum_input_stream_get_consumed (GInputStream *stream)
{
  return BOTO_CHECKSUM_INPUT_STREAM (stream)->consumed;
}

/* aws-chunked */

#define BOTO_TYPE_AWS_CHUNKED_INPUT_STREAM (boto_aws_chunked_input_stream_get_type ())
G_DECLARE_FINAL_TYPE (BotoAwsChunkedInputStream, boto_aws_chunked_input_stream, BOTO, AWS_CHUNKED_INPUT_STREAM, GInputStream)

struct _BotoAwsChunkedInputStream
{
  GInputStream           parent_instance;

  GInputStream          *base;
  BotoChecksumAlgorithm  algorithm;
  BotoChecksum          *checksum;
  gsize                  chunk_size;
  gint64                 remaining;    /* payload bytes not read yet */
  gsize                  chunk_left;   /* of the current chunk */
  GByteArray            *pending;      /* framing to hand out first */
  gsize                  pending_pos;
  gboolean               finished;     /* the trailer is in pending */
  gboolean               consumed;
  GError                *error;        /* the first read error */
};

G_DEFINE_FINAL_TYPE (BotoAwsChunkedInputStream, boto_aws_chunked_input_stream, G_TYPE_INPUT_STREAM)

static void
pending_append (BotoAwsChunkedInputStream *self,
                const char                *text)
{
  g_byte_array_append (self->pending, (const guint8 *) text, strlen (text));
}

/* Queue the next chunk's header, or the final chunk and the trailer. */
static void
chunked_next_chunk (BotoAwsChunkedInputStream *self)
{
  if (self->remaining > 0)
    {
      g_autofree char *header = NULL;

      self->chunk_left = (gsize) MIN ((gint64) self->chunk_size, self->remaining);
      header = g_strdup_printf ("%" G_GSIZE_MODIFIER "x\r\n", self->chunk_left);
      pending_append (self, header);
    }
  else
    {
      g_autofree char *digest = boto_checksum_finish_base64 (self->checksum);

      pending_append (self, "0\r\n");
      pending_append (self, boto_checksum_algorithm_get_header (self->algorithm));
      pending_append (self, ":");
      pending_append (self, digest);
      pending_append (self, "\r\n\r\n");
      self->finished = TRUE;
    }
}

/* Hands out framing bytes if there are any; returns how many. */
static gsize
chunked_take_pending (BotoAwsChunkedInputStream *self,
                      void                      *buffer,
                      gsize                      count)
{
  gsize n = MIN (count, self->pending->len - self->pending_pos);

  memcpy (buffer, self->pending->data + self->pending_pos, n);
  self->pending_pos += n;
  if (self->pending_pos == self->pending->len)
    {
      g_byte_array_set_size (self->pending, 0);
      self->pending_pos = 0;
    }
  return n;
}

static gssize
chunked_after_read (BotoAwsChunkedInputStream  *self,
                    const void                 *buffer,
                    gssize                      n,
                    GError                    **error)
{
  if (n < 0)
    {
      if (self->error == NULL && error != NULL && *error != NULL)
        self->error = g_error_copy (*error);
      return -1;
    }
  if (n == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                   "The request body stream ended %" G_GINT64_FORMAT " bytes before its announced length",
                   self->remaining);
      if (self->error == NULL && error != NULL)
        self->error = g_error_copy (*error);
      return -1;
    }
  boto_checksum_update (self->checksum, buffer, n);
  self->remaining -= n;
  self->chunk_left -= n;
  if (self->chunk_left == 0)
    {
      pending_append (self, "\r\n");
      chunked_next_chunk (self);
    }
  return n;
}

static gssize
boto_aws_chunked_input_stream_read (GInputStream  *stream,
                                    void          *buffer,
                                    gsize          count,
                                    GCancellable  *cancellable,
                                    GError       **error)
{
  BotoAwsChunkedInputStream *self = BOTO_AWS_CHUNKED_INPUT_STREAM (stream);
  gssize n;

  if (count == 0)
    return 0;
  if (self->pending->len > 0)
    return chunked_take_pending (self, buffer, count);
  if (self->finished)
    return 0;
  self->consumed = TRUE;
  n = g_input_stream_read (self->base, buffer, MIN (count, self->chunk_left), cancellable, error);
  return chunked_after_read (self, buffer, n, error);
}

typedef struct
{
  void *buffer;
} ChunkedReadData;

static void
on_chunked_base_read (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BotoAwsChunkedInputStream *self = g_task_get_source_object (task);
  ChunkedReadData *data = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  n = chunked_after_read (self, data->buffer, n, &error);
  if (n < 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, n);
}

static void
boto_aws_chunked_input_stream_read_async (GInputStream        *stream,
                                          void                *buffer,
                                          gsize                count,
                                          int                  io_priority,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  BotoAwsChunkedInputStream *self = BOTO_AWS_CHUNKED_INPUT_STREAM (stream);
  GTask *task = g_task_new (stream, cancellable, callback, user_data);
  ChunkedReadData *data;

  g_task_set_source_tag (task, boto_aws_chunked_input_stream_read_async);
  if (count == 0 || self->pending->len > 0 || self->finished)
    {
      g_task_return_int (task, count == 0 ? 0 : chunked_take_pending (self, buffer, count));
      g_object_unref (task);
      return;
    }
  data = g_new0 (ChunkedReadData, 1);
  data->buffer = buffer;
  g_task_set_task_data (task, data, g_free);
  self->consumed = TRUE;
  g_input_stream_read_async (self->base, buffer, MIN (count, self->chunk_left), io_priority,
                             cancellable, on_chunked_base_read, task);
}

static gssize
boto_aws_chunked_input_stream_read_finish (GInputStream  *stream,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  return g_task_propagate_int (G_TASK (result), error);
}

static gboolean
boto_aws_chunked_input_stream_close (GInputStream  *stream,
                                     GCancellable  *cancellable,
                                     GError       **error)
{
  /* The caller owns the payload stream. */
  return TRUE;
}

static void
boto_aws_chunked_input_stream_close_async (GInputStream        *stream,
                                           int                  io_priority,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  GTask *task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, boto_aws_chunked_input_stream_close_async);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static gboolean
boto_aws_chunked_input_stream_close_finish (GInputStream  *stream,
                                            GAsyncResult  *result,
                                            GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
boto_aws_chunked_input_stream_finalize (GObject *object)
{
  BotoAwsChunkedInputStream *self = BOTO_AWS_CHUNKED_INPUT_STREAM (object);

  g_clear_object (&self->base);
  g_clear_pointer (&self->checksum, boto_checksum_free);
  g_clear_pointer (&self->pending, g_byte_array_unref);
  g_clear_error (&self->error);
  G_OBJECT_CLASS (boto_aws_chunked_input_stream_parent_class)->finalize (object);
}

static void
boto_aws_chunked_input_stream_class_init (BotoAwsChunkedInputStreamClass *klass)
{
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = boto_aws_chunked_input_stream_finalize;
  stream_class->read_fn = boto_aws_chunked_input_stream_read;
  stream_class->read_async = boto_aws_chunked_input_stream_read_async;
  stream_class->read_finish = boto_aws_chunked_input_stream_read_finish;
  stream_class->close_fn = boto_aws_chunked_input_stream_close;
  stream_class->close_async = boto_aws_chunked_input_stream_close_async;
  stream_class->close_finish = boto_aws_chunked_input_stream_close_finish;
}

static void
boto_aws_chunked_input_stream_init (BotoAwsChunkedInputStream *self)
{
  self->pending = g_byte_array_new ();
}

GInputStream *
boto_aws_chunked_input_stream_new (GInputStream          *base,
                                   gint64                 length,
                                   BotoChecksumAlgorithm  algorithm,
                                   gsize                  chunk_size)
{
  BotoAwsChunkedInputStream *self = g_object_new (BOTO_TYPE_AWS_CHUNKED_INPUT_STREAM, NULL);

  self->base = g_object_ref (base);
  self->algorithm = algorithm;
  self->checksum = boto_checksum_new (algorithm);
  self->chunk_size = MAX (chunk_size, 1);
  self->remaining = MAX (length, 0);
  chunked_next_chunk (self);
  return G_INPUT_STREAM (self);
}

static gint64
hex_digits (gint64 value)
{
  gint64 n = 1;

  while (value >= 16)
    {
      value /= 16;
      n++;
    }
  return n;
}

gint64
boto_aws_chunked_encoded_length (gint64                length,
                                 BotoChecksumAlgorithm algorithm,
                                 gsize                 chunk_size)
{
  gint64 full = length / (gint64) chunk_size;
  gint64 last = length % (gint64) chunk_size;
  gint64 total = full * (hex_digits (chunk_size) + 2 + (gint64) chunk_size + 2);

  if (last > 0)
    total += hex_digits (last) + 2 + last + 2;
  total += 3;   /* 0 CRLF */
  total += strlen (boto_checksum_algorithm_get_header (algorithm)) + 1 +
           boto_checksum_algorithm_get_b64_len (algorithm) + 2 + 2;
  return total;
}

gboolean
boto_aws_chunked_input_stream_get_consumed (GInputStream *stream)
{
  return BOTO_AWS_CHUNKED_INPUT_STREAM (stream)->consumed;
}

GError *
boto_body_stream_dup_error (GInputStream *stream)
{
  const GError *error = NULL;

  if (BOTO_IS_CHECKSUM_INPUT_STREAM (stream))
    error = BOTO_CHECKSUM_INPUT_STREAM (stream)->error;
  else if (BOTO_IS_AWS_CHUNKED_INPUT_STREAM (stream))
    error = BOTO_AWS_CHUNKED_INPUT_STREAM (stream)->error;
  return error != NULL ? g_error_copy (error) : NULL;
}
