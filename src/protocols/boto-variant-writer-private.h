/* boto-variant-writer-private.h: serialized GVariant built directly
 *
 * The response parsers produce large, deeply nested results (a thousand
 * `a{sv}` in an `aa{sv}`).  Building them with GVariantBuilder allocates a
 * GVariant per value and serializes the whole tree again when it is first
 * read; this writer instead appends every value, in GVariant's
 * serialization format (alignment padding, framing offsets), to one
 * buffer, and wraps that buffer in one GVariant at the end.
 *
 * Values are written depth first, in the order they appear: scalars with
 * the add functions, containers between an open and a close.  Each
 * container is told its type (or its element's type) when it is opened,
 * since its alignment comes first in the buffer.
 *
 * The writer trusts its caller: strings must be valid UTF-8 without NUL,
 * every container must be given children of the types it was opened with.
 * Misuse is caught by g_return_if_fail where cheap, but is a bug.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _BotoVariantWriterFrame BotoVariantWriterFrame;

typedef struct
{
  /*< private >*/
  guint8                 *data;
  gsize                   len;
  gsize                   alloc;
  BotoVariantWriterFrame *frames;
  guint                   n_frames;
  guint                   alloc_frames;
  gsize                  *offsets;      /* framing offsets of the open containers, a shared stack */
  gsize                   n_offsets;
  gsize                   alloc_offsets;
  guint                   n_top;        /* values written outside any container */
} BotoVariantWriter;

void      boto_variant_writer_init          (BotoVariantWriter  *writer);
void      boto_variant_writer_clear         (BotoVariantWriter  *writer);
GVariant *boto_variant_writer_finish        (BotoVariantWriter  *writer,
                                             const GVariantType *type);

/* Scalars */
void      boto_variant_writer_add_boolean   (BotoVariantWriter  *writer,
                                             gboolean            value);
void      boto_variant_writer_add_byte      (BotoVariantWriter  *writer,
                                             guint8              value);
void      boto_variant_writer_add_int16     (BotoVariantWriter  *writer,
                                             gint16              value);
void      boto_variant_writer_add_int32     (BotoVariantWriter  *writer,
                                             gint32              value);
void      boto_variant_writer_add_int64     (BotoVariantWriter  *writer,
                                             gint64              value);
void      boto_variant_writer_add_double    (BotoVariantWriter  *writer,
                                             double              value);
void      boto_variant_writer_add_string    (BotoVariantWriter  *writer,
                                             const char         *value,
                                             gssize              length);
void      boto_variant_writer_add_bytestring (BotoVariantWriter *writer,
                                             const guint8       *data,
                                             gsize               length);
void      boto_variant_writer_add_value     (BotoVariantWriter  *writer,
                                             GVariant           *value);

/* Containers */
void      boto_variant_writer_open_array    (BotoVariantWriter  *writer,
                                             const char         *element_type);
void      boto_variant_writer_open_tuple    (BotoVariantWriter  *writer,
                                             const char         *tuple_type);
void      boto_variant_writer_open_maybe    (BotoVariantWriter  *writer,
                                             const char         *element_type);
void      boto_variant_writer_open_variant  (BotoVariantWriter  *writer);
void      boto_variant_writer_close         (BotoVariantWriter  *writer);
void      boto_variant_writer_close_variant (BotoVariantWriter  *writer,
                                             const char         *child_type);

/* An `a{sv}` entry: opens `{sv}`, writes @key and opens the `v`; the
 * value follows, then close_entry with the value's type. */
void      boto_variant_writer_open_entry    (BotoVariantWriter  *writer,
                                             const char         *key,
                                             gssize              key_length);
void      boto_variant_writer_close_entry   (BotoVariantWriter  *writer,
                                             const char         *value_type);
/* open_entry, add_string and close_entry ("s") in one. */
void      boto_variant_writer_add_string_entry (BotoVariantWriter *writer,
                                                const char        *key,
                                                gsize              key_length,
                                                const char        *value,
                                                gsize              value_length);

/* The number of values written so far into the innermost open container
 * (or at the top level). */
guint     boto_variant_writer_get_n_children (BotoVariantWriter *writer);

/*
 * Small fixed dictionaries (ResponseMetadata, its headers), written in one
 * go from arrays, in the key order GVariantDict would have given.
 */

/* One entry of an a{sv}: its value as type string and serialized bytes. */
typedef struct
{
  const char    *key;
  const char    *type;
  gconstpointer  data;
  gsize          size;
} BotoVariantEntry;

guint8   *boto_variant_string_dict_data (const char *const       *keys,
                                         const char *const       *values,
                                         gsize                    n,
                                         gsize                   *out_size);
guint8   *boto_variant_vardict_data     (const BotoVariantEntry  *entries,
                                         gsize                    n,
                                         gsize                   *out_size);
GVariant *boto_variant_new_vardict      (const BotoVariantEntry  *entries,
                                         gsize                    n);
gsize     boto_variant_vardict_order   (const char *const *keys,
                                        gsize              n,
                                        guint             *order);

G_END_DECLS
