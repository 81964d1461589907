/* boto-variant-writer.c: small dictionaries written in GVariant's serialized form
 *
 * GVariantBuilder and GVariantDict parse a format string, look up type
 * info under a global lock and allocate a node per value; for the few
 * fixed dictionaries of every response (ResponseMetadata, its headers)
 * writing the bytes (the format of GLib's gvariant-serialiser.c) and
 * wrapping them once costs a fraction of that.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include "boto-variant-writer-private.h"

typedef struct
{
  guint8 *data;
  gsize   len;
  gsize   alloc;
} Buf;

static void
buf_reserve (Buf   *buf,
             gsize  extra)
{
  if (buf->len + extra > buf->alloc)
    {
      buf->alloc = MAX (buf->alloc * 2, buf->len + extra);
      buf->data = g_realloc (buf->data, buf->alloc);
    }
}

static void
buf_append (Buf        *buf,
            const void *bytes,
            gsize       len)
{
  buf_reserve (buf, len);
  memcpy (buf->data + buf->len, bytes, len);
  buf->len += len;
}

static void
buf_align8 (Buf *buf)
{
  buf_reserve (buf, 8);
  while (buf->len & 7)
    buf->data[buf->len++] = 0;
}

/* gvs_calculate_total_size: the size of each framing offset. */
static guint
offset_size (gsize body,
             gsize n)
{
  if (body + n <= G_MAXUINT8)
    return 1;
  if (body + 2 * n <= G_MAXUINT16)
    return 2;
  if (body + 4 * n <= G_MAXUINT32)
    return 4;
  return 8;
}

static void
buf_offset (Buf   *buf,
            gsize  value,
            guint  size)
{
  buf_reserve (buf, size);
  for (guint i = 0; i < size; i++)
    buf->data[buf->len++] = (value >> (8 * i)) & 0xff;
}

static void
buf_close_array (Buf   *buf,
                 gsize *ends,
                 gsize  n)
{
  if (n > 0)
    {
      guint size = offset_size (buf->len, n);

      for (gsize i = 0; i < n; i++)
        buf_offset (buf, ends[i], size);
    }
}

/**
 * boto_variant_string_dict_data:
 * @keys: (array length=n): the keys
 * @values: (array length=n): the values, valid UTF-8
 * @n: how many
 * @out_size: (out): the size of the result
 *
 * Returns: (transfer full): the serialized `a{ss}` of the pairs in the
 *   order given
 */
guint8 *
boto_variant_string_dict_data (const char *const *keys,
                               const char *const *values,
                               gsize              n,
                               gsize             *out_size)
{
  Buf buf = { NULL, 0, 0 };
  gsize stack[32];
  g_autofree gsize *heap = NULL;
  gsize *ends = n <= G_N_ELEMENTS (stack) ? stack : (heap = g_new (gsize, n));

  buf_reserve (&buf, 256);
  for (gsize i = 0; i < n; i++)
    {
      gsize start = buf.len, key_end;

      buf_append (&buf, keys[i], strlen (keys[i]) + 1);
      key_end = buf.len - start;
      buf_append (&buf, values[i], strlen (values[i]) + 1);
      buf_offset (&buf, key_end, offset_size (buf.len - start, 1));
      ends[i] = buf.len;
    }
  buf_close_array (&buf, ends, n);
  *out_size = buf.len;
  return buf.data;
}

/**
 * boto_variant_new_vardict:
 * @entries: (array length=n): the entries
 * @n: how many
 *
 * Returns: (transfer floating): an `a{sv}` of the entries in the order given
 */
GVariant *
boto_variant_new_vardict (const BotoVariantEntry *entries,
                          gsize                   n)
{
  Buf buf = { NULL, 0, 0 };
  gsize stack[32];
  g_autofree gsize *heap = NULL;
  gsize *ends = n <= G_N_ELEMENTS (stack) ? stack : (heap = g_new (gsize, n));
  GBytes *bytes;
  GVariant *value;

  buf_reserve (&buf, 256);
  for (gsize i = 0; i < n; i++)
    {
      gsize start, key_end;

      buf_align8 (&buf);
      start = buf.len;
      buf_append (&buf, entries[i].key, strlen (entries[i].key) + 1);
      key_end = buf.len - start;
      /* The variant: its value, a NUL and the value's type. */
      buf_align8 (&buf);
      buf_append (&buf, entries[i].data, entries[i].size);
      buf_append (&buf, "", 1);
      buf_append (&buf, entries[i].type, strlen (entries[i].type));
      buf_offset (&buf, key_end, offset_size (buf.len - start, 1));
      ends[i] = buf.len;
    }
  buf_close_array (&buf, ends, n);

  bytes = g_bytes_new_take (buf.data, buf.len);
  value = g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT, bytes, TRUE);
  g_bytes_unref (bytes);
  return value;
}

/**
 * boto_variant_vardict_order:
 * @keys: (array length=n): distinct keys in the order they were inserted
 * @n: how many
 * @order: (out caller-allocates) (array length=n): the indexes of @keys in
 *   the order g_variant_dict_end() gives them (a repeated key: the index
 *   of its last value, in the place of its first)
 *
 * GVariantDict hands its entries over in the order of its GHashTable;
 * this finds that order with the same table.
 *
 * Returns: how many indexes were written (the distinct keys)
 */
/* The orders found last on this thread, for the same keys again. */
typedef struct
{
  gsize  n;
  char **keys;
  guint *order;
  gsize  n_order;
} OrderMemo;

#define N_MEMOS 4

static void
memos_free (gpointer p)
{
  OrderMemo *memos = p;

  for (guint i = 0; i < N_MEMOS; i++)
    {
      g_strfreev (memos[i].keys);
      g_free (memos[i].order);
    }
  g_free (memos);
}

static GPrivate order_memos = G_PRIVATE_INIT (memos_free);

gsize
boto_variant_vardict_order (const char *const *keys,
                            gsize              n,
                            guint             *order)
{
  OrderMemo *memos = g_private_get (&order_memos);
  g_autoptr(GHashTable) table = NULL;
  GHashTableIter iter;
  gpointer value;
  gsize i = 0;
  OrderMemo *memo;

  if (memos == NULL)
    {
      memos = g_new0 (OrderMemo, N_MEMOS);
      g_private_set (&order_memos, memos);
    }
  for (guint m = 0; m < N_MEMOS; m++)
    {
      gsize k;

      if (memos[m].keys == NULL || memos[m].n != n)
        continue;
      for (k = 0; k < n && strcmp (memos[m].keys[k], keys[k]) == 0; k++)
        ;
      if (k == n)
        {
          memcpy (order, memos[m].order, memos[m].n_order * sizeof (guint));
          return memos[m].n_order;
        }
    }

  table = g_hash_table_new (g_str_hash, g_str_equal);
  for (gsize k = 0; k < n; k++)
    g_hash_table_insert (table, (gpointer) keys[k], GUINT_TO_POINTER (k));
  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    order[i++] = GPOINTER_TO_UINT (value);

  /* Remembered in the place of the oldest. */
  memo = &memos[N_MEMOS - 1];
  g_strfreev (memo->keys);
  g_free (memo->order);
  memmove (memos + 1, memos, (N_MEMOS - 1) * sizeof (OrderMemo));
  memo = &memos[0];
  memo->n = n;
  memo->keys = g_new (char *, n + 1);
  for (gsize k = 0; k < n; k++)
    memo->keys[k] = g_strdup (keys[k]);
  memo->keys[n] = NULL;
  memo->order = g_memdup2 (order, MAX (i, 1) * sizeof (guint));
  memo->n_order = i;
  return i;
}
