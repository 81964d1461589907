/* boto-variant-writer.c: serialized GVariant built directly
 *
 * The format is GVariant's own (see the GVariant specification): every
 * value starts at a multiple of its type's alignment (1, 2, 4 or 8),
 * counted from the start of the outermost value, which is where the buffer
 * starts.  Fixed-size values are written as they are; a string ends with a
 * NUL; an array of fixed-size elements is the elements one after the other;
 * an array of variable-size elements is followed by the end offset of every
 * element; a tuple or dict entry is followed by the end offsets of its
 * variable-size children except the last, in reverse order, unless all its
 * children have a fixed size (then it is padded to its alignment and has no
 * offsets); a variant is its child, a NUL and the child's type string; a
 * maybe is empty for nothing, else its child plus a NUL if that child has a
 * variable size.  Framing offsets are little-endian, all of the width that
 * the container's total size needs (1 byte up to 255, 2 up to 65535 …).
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include "boto-variant-writer-private.h"
#include "boto-gvariant-private.h"

typedef enum
{
  FRAME_ARRAY,
  FRAME_TUPLE,
  FRAME_MAYBE,
  FRAME_VARIANT,
  FRAME_ENTRY,     /* a `{sv}` entry's variant: its key written, its tuple implied */
} FrameKind;

struct _BotoVariantWriterFrame
{
  gsize     start;          /* position of the container's first byte */
  gsize     offsets_base;   /* its first framing offset in writer->offsets;
                             * FRAME_ENTRY: where the key ends, from start */
  guint     n_children;
  guint8    kind;
  guint8    alignment;      /* of the container, as a mask (alignment - 1) */
  guint8    keep_offsets;   /* array of variable-size elements: record every end */
  guint8    last_variable;  /* tuple, maybe: the last child had a variable size */
  guint8    all_fixed;      /* tuple: no child had a variable size */
};

/* Type information */

/* Reads one complete type at *type (advancing it) and gives its alignment
 * mask and fixed size (0: variable).  Returns FALSE for what is not a
 * definite type. */
static gboolean
read_type (const char **type,
           guint       *alignment,
           gsize       *fixed_size)
{
  char c = *(*type)++;

  switch (c)
    {
    case 'b':
    case 'y':
      *alignment = 0;
      *fixed_size = 1;
      return TRUE;
    case 'n':
    case 'q':
      *alignment = 1;
      *fixed_size = 2;
      return TRUE;
    case 'i':
    case 'u':
    case 'h':
      *alignment = 3;
      *fixed_size = 4;
      return TRUE;
    case 'x':
    case 't':
    case 'd':
      *alignment = 7;
      *fixed_size = 8;
      return TRUE;
    case 's':
    case 'o':
    case 'g':
      *alignment = 0;
      *fixed_size = 0;
      return TRUE;
    case 'v':
      *alignment = 7;
      *fixed_size = 0;
      return TRUE;
    case 'a':
    case 'm':
      if (!read_type (type, alignment, fixed_size))
        return FALSE;
      *fixed_size = 0;
      return TRUE;
    case '(':
    case '{':
      {
        char close = c == '(' ? ')' : '}';
        guint max_alignment = 0;
        gsize offset = 0;
        gboolean fixed = TRUE;
        guint n = 0;

        while (**type != close)
          {
            guint child_alignment;
            gsize child_size;

            if (**type == '\0' || !read_type (type, &child_alignment, &child_size))
              return FALSE;
            max_alignment |= child_alignment;
            if (child_size == 0)
              fixed = FALSE;
            else
              offset = ((offset + child_alignment) & ~(gsize) child_alignment) + child_size;
            n++;
          }
        (*type)++;
        *alignment = max_alignment;
        if (!fixed)
          *fixed_size = 0;
        else if (n == 0)
          *fixed_size = 1;
        else
          *fixed_size = (offset + max_alignment) & ~(gsize) max_alignment;
        return TRUE;
      }
    default:
      return FALSE;
    }
}

static void
type_info (const char *type,
           guint      *alignment,
           gsize      *fixed_size)
{
  const char *end = type;
  const char *element = type;

  /* The common types without the scan: structures' entries, strings, and
   * arrays of them. */
  while (*element == 'a')
    element++;
  if ((element[0] == '{' && element[1] == 's' && element[2] == 'v' && element[3] == '}' && element[4] == '\0') ||
      (element[0] == 's' && element[1] == '\0'))
    {
      *alignment = element[0] == 's' ? 0 : 7;
      *fixed_size = 0;
      return;
    }
  if (!read_type (&end, alignment, fixed_size) || *end != '\0')
    {
      g_critical ("boto_variant_writer: “%s” is not a definite GVariant type", type);
      *alignment = 0;
      *fixed_size = 0;
    }
}

/* Buffer */

static inline void
reserve (BotoVariantWriter *writer,
         gsize              extra)
{
  if (G_UNLIKELY (writer->alloc - writer->len < extra))
    {
      gsize wanted = writer->len + extra;
      gsize alloc = MAX (writer->alloc, 256);

      while (alloc < wanted)
        alloc *= 2;
      writer->data = g_realloc (writer->data, alloc);
      writer->alloc = alloc;
    }
}

static inline void
zero8 (guint8 *at)
{
  static const guint64 zero = 0;

  memcpy (at, &zero, 8);
}

static inline void
pad (BotoVariantWriter *writer,
     guint              alignment)
{
  gsize aligned = (writer->len + alignment) & ~(gsize) alignment;

  if (aligned != writer->len)
    {
      /* At most 7 bytes: one 8-byte store of zeros, in reserved room. */
      reserve (writer, 8);
      zero8 (writer->data + writer->len);
      writer->len = aligned;
    }
}

static inline void
append (BotoVariantWriter *writer,
        const void        *data,
        gsize              length)
{
  if (length == 0)
    return;   /* data may be NULL */
  reserve (writer, length);
  memcpy (writer->data + writer->len, data, length);
  writer->len += length;
}

static inline void
push_offset (BotoVariantWriter *writer,
             gsize              offset)
{
  if (G_UNLIKELY (writer->n_offsets == writer->alloc_offsets))
    {
      writer->alloc_offsets = MAX (writer->alloc_offsets * 2, 64);
      writer->offsets = g_renew (gsize, writer->offsets, writer->alloc_offsets);
    }
  writer->offsets[writer->n_offsets++] = offset;
}

/* Appends the offsets in writer->offsets from @base on (reversed for a
 * tuple), each as wide as the container of @body_size plus them needs,
 * and drops them from the stack. */
static void
write_offsets (BotoVariantWriter *writer,
               gsize              base,
               gsize              body_size,
               gboolean           reverse)
{
  gsize n = writer->n_offsets - base;
  guint8 *out;
  guint width;

  if (n == 0)
    return;

  width = boto_gvariant_offset_size_for (body_size, n);

  reserve (writer, n * width);
  out = writer->data + writer->len;
  /* One loop per width: most containers are small, with 1-byte offsets. */
  switch (width)
    {
    case 1:
      for (gsize i = 0; i < n; i++)
        out[i] = (guint8) writer->offsets[reverse ? writer->n_offsets - 1 - i : base + i];
      break;
    case 2:
      for (gsize i = 0; i < n; i++)
        {
          guint16 le = GUINT16_TO_LE ((guint16) writer->offsets[reverse ? writer->n_offsets - 1 - i : base + i]);

          memcpy (out + 2 * i, &le, 2);
        }
      break;
    case 4:
      for (gsize i = 0; i < n; i++)
        {
          guint32 le = GUINT32_TO_LE ((guint32) writer->offsets[reverse ? writer->n_offsets - 1 - i : base + i]);

          memcpy (out + 4 * i, &le, 4);
        }
      break;
    default:
      for (gsize i = 0; i < n; i++)
        {
          guint64 le = GUINT64_TO_LE ((guint64) writer->offsets[reverse ? writer->n_offsets - 1 - i : base + i]);

          memcpy (out + 8 * i, &le, 8);
        }
      break;
    }
  writer->len += n * width;
  writer->n_offsets = base;
}

/* Tells the innermost container that a child ended at the current
 * position. */
G_ALWAYS_INLINE static inline void
child_done (BotoVariantWriter *writer,
            gboolean           variable)
{
  BotoVariantWriterFrame *frame;

  if (writer->n_frames == 0)
    {
      writer->n_top++;
      return;
    }

  frame = &writer->frames[writer->n_frames - 1];
  frame->n_children++;
  switch (frame->kind)
    {
    case FRAME_ARRAY:
      if (frame->keep_offsets)
        push_offset (writer, writer->len - frame->start);
      break;
    case FRAME_TUPLE:
      if (variable)
        {
          push_offset (writer, writer->len - frame->start);
          frame->all_fixed = FALSE;
        }
      frame->last_variable = variable;
      break;
    case FRAME_MAYBE:
      frame->last_variable = variable;
      break;
    default:
      break;
    }
}

static inline void
open_frame (BotoVariantWriter *writer,
            FrameKind          kind,
            guint              alignment)
{
  BotoVariantWriterFrame *frame;

  pad (writer, alignment);
  if (writer->n_frames == writer->alloc_frames)
    {
      writer->alloc_frames = MAX (writer->alloc_frames * 2, 16);
      writer->frames = g_renew (BotoVariantWriterFrame, writer->frames, writer->alloc_frames);
    }
  frame = &writer->frames[writer->n_frames++];
  frame->start = writer->len;
  frame->offsets_base = writer->n_offsets;
  frame->n_children = 0;
  frame->kind = kind;
  frame->alignment = alignment;
  frame->keep_offsets = FALSE;
  frame->last_variable = FALSE;
  frame->all_fixed = TRUE;
}

/* Public API */

void
boto_variant_writer_init (BotoVariantWriter *writer)
{
  memset (writer, 0, sizeof *writer);
}

void
boto_variant_writer_clear (BotoVariantWriter *writer)
{
  g_free (writer->data);
  g_free (writer->frames);
  g_free (writer->offsets);
  memset (writer, 0, sizeof *writer);
}

/**
 * boto_variant_writer_finish:
 * @writer: a writer with exactly one value written and no container open
 * @type: that value's type
 *
 * Wraps what was written as a GVariant of @type and empties the writer
 * (which may then be reused, or cleared).
 *
 * Returns: (transfer floating): the value
 */
GVariant *
boto_variant_writer_finish (BotoVariantWriter  *writer,
                            const GVariantType *type)
{
  GBytes *bytes;
  GVariant *value;

  g_return_val_if_fail (writer->n_frames == 0 && writer->n_top == 1, NULL);

  if (writer->len == 0)
    bytes = g_bytes_new (NULL, 0);
  else
    bytes = g_bytes_new_take (g_realloc (writer->data, writer->len), writer->len);
  writer->data = NULL;
  writer->len = writer->alloc = 0;
  writer->n_top = 0;

  value = g_variant_new_from_bytes (type, bytes, TRUE);
  g_bytes_unref (bytes);
  return value;
}

guint
boto_variant_writer_get_n_children (BotoVariantWriter *writer)
{
  if (writer->n_frames == 0)
    return writer->n_top;
  return writer->frames[writer->n_frames - 1].n_children;
}

void
boto_variant_writer_add_boolean (BotoVariantWriter *writer,
                                 gboolean           value)
{
  guint8 byte = value ? 1 : 0;

  append (writer, &byte, 1);
  child_done (writer, FALSE);
}

void
boto_variant_writer_add_byte (BotoVariantWriter *writer,
                              guint8             value)
{
  append (writer, &value, 1);
  child_done (writer, FALSE);
}

void
boto_variant_writer_add_int16 (BotoVariantWriter *writer,
                               gint16             value)
{
  pad (writer, 1);
  append (writer, &value, 2);
  child_done (writer, FALSE);
}

void
boto_variant_writer_add_int32 (BotoVariantWriter *writer,
                               gint32             value)
{
  pad (writer, 3);
  append (writer, &value, 4);
  child_done (writer, FALSE);
}

void
boto_variant_writer_add_int64 (BotoVariantWriter *writer,
                               gint64             value)
{
  pad (writer, 7);
  append (writer, &value, 8);
  child_done (writer, FALSE);
}

void
boto_variant_writer_add_double (BotoVariantWriter *writer,
                                double             value)
{
  pad (writer, 7);
  append (writer, &value, 8);
  child_done (writer, FALSE);
}

/* @value must be valid UTF-8 without NUL in its first @length bytes (all
 * of it if @length is negative). */
void
boto_variant_writer_add_string (BotoVariantWriter *writer,
                                const char        *value,
                                gssize             length)
{
  gsize n = length < 0 ? strlen (value) : (gsize) length;

  reserve (writer, n + 1);
  memcpy (writer->data + writer->len, value, n);
  writer->data[writer->len + n] = '\0';
  writer->len += n + 1;
  child_done (writer, TRUE);
}

void
boto_variant_writer_add_bytestring (BotoVariantWriter *writer,
                                    const guint8      *data,
                                    gsize              length)
{
  append (writer, data, length);
  child_done (writer, TRUE);
}

/* Copies @value (of any definite type) in; a floating @value is sunk and
 * released. */
void
boto_variant_writer_add_value (BotoVariantWriter *writer,
                               GVariant          *value)
{
  g_autoptr(GVariant) owned = g_variant_ref_sink (value);
  g_autoptr(GVariant) normal = NULL;
  guint alignment;
  gsize fixed_size;

  type_info (g_variant_get_type_string (owned), &alignment, &fixed_size);
  if (!g_variant_is_normal_form (owned))
    normal = g_variant_get_normal_form (owned);
  else
    normal = g_variant_ref (owned);

  pad (writer, alignment);
  append (writer, g_variant_get_data (normal), g_variant_get_size (normal));
  child_done (writer, fixed_size == 0);
}

void
boto_variant_writer_open_array (BotoVariantWriter *writer,
                                const char        *element_type)
{
  guint alignment;
  gsize fixed_size;

  type_info (element_type, &alignment, &fixed_size);
  open_frame (writer, FRAME_ARRAY, alignment);
  writer->frames[writer->n_frames - 1].keep_offsets = fixed_size == 0;
}

void
boto_variant_writer_open_tuple (BotoVariantWriter *writer,
                                const char        *tuple_type)
{
  guint alignment;
  gsize fixed_size;

  type_info (tuple_type, &alignment, &fixed_size);
  open_frame (writer, FRAME_TUPLE, alignment);
}

void
boto_variant_writer_open_maybe (BotoVariantWriter *writer,
                                const char        *element_type)
{
  guint alignment;
  gsize fixed_size;

  type_info (element_type, &alignment, &fixed_size);
  open_frame (writer, FRAME_MAYBE, alignment);
}

void
boto_variant_writer_open_variant (BotoVariantWriter *writer)
{
  open_frame (writer, FRAME_VARIANT, 7);
}

/* Closes the innermost array, tuple or maybe. */
void
boto_variant_writer_close (BotoVariantWriter *writer)
{
  BotoVariantWriterFrame frame;
  gboolean variable = TRUE;

  g_return_if_fail (writer->n_frames > 0);
  frame = writer->frames[--writer->n_frames];

  switch (frame.kind)
    {
    case FRAME_ARRAY:
      write_offsets (writer, frame.offsets_base, writer->len - frame.start, FALSE);
      break;

    case FRAME_TUPLE:
      if (frame.all_fixed)
        {
          if (frame.n_children == 0)
            {
              guint8 zero = 0;

              append (writer, &zero, 1);
            }
          else
            pad (writer, frame.alignment);
          variable = FALSE;
        }
      else
        {
          if (frame.last_variable)
            writer->n_offsets--;   /* the last child's end is the tuple's */
          write_offsets (writer, frame.offsets_base, writer->len - frame.start, TRUE);
        }
      break;

    case FRAME_MAYBE:
      if (frame.n_children > 0 && frame.last_variable)
        {
          guint8 zero = 0;

          append (writer, &zero, 1);
        }
      break;

    case FRAME_VARIANT:
    case FRAME_ENTRY:
    default:
      g_critical ("boto_variant_writer_close: a variant is closed with close_variant, an entry with close_entry");
      break;
    }

  child_done (writer, variable);
}

void
boto_variant_writer_close_variant (BotoVariantWriter *writer,
                                   const char        *child_type)
{
  gsize n = strlen (child_type);

  g_return_if_fail (writer->n_frames > 0 && writer->frames[writer->n_frames - 1].kind == FRAME_VARIANT);
  writer->n_frames--;

  reserve (writer, n + 1);
  writer->data[writer->len] = '\0';
  memcpy (writer->data + writer->len + 1, child_type, n);
  writer->len += n + 1;
  child_done (writer, TRUE);
}

/* The tuple and the variant of the entry are one frame: the key's end is
 * the tuple's only framing offset, written when the entry closes. */
void
boto_variant_writer_open_entry (BotoVariantWriter *writer,
                                const char        *key,
                                gssize             key_length)
{
  gsize n = key_length < 0 ? strlen (key) : (gsize) key_length;
  gsize start, body;

  open_frame (writer, FRAME_ENTRY, 7);
  start = writer->len;
  body = (n + 1 + 7) & ~(gsize) 7;
  reserve (writer, n + 8);
  memcpy (writer->data + start, key, n);
  zero8 (writer->data + start + n);   /* the NUL and the padding */
  writer->len = start + body;
  writer->frames[writer->n_frames - 1].offsets_base = n + 1;
}

void
boto_variant_writer_close_entry (BotoVariantWriter *writer,
                                 const char        *value_type)
{
  BotoVariantWriterFrame *frame;
  gsize n = value_type[0] != '\0' && value_type[1] == '\0' ? 1 : strlen (value_type);
  gsize size, key_end;
  guint8 *out;

  g_return_if_fail (writer->n_frames > 0 && writer->frames[writer->n_frames - 1].kind == FRAME_ENTRY);
  frame = &writer->frames[--writer->n_frames];
  key_end = frame->offsets_base;

  reserve (writer, n + 1 + 8);
  out = writer->data + writer->len;
  out[0] = '\0';
  if (n == 1)
    out[1] = value_type[0];
  else
    memcpy (out + 1, value_type, n);
  out += n + 1;
  size = writer->len + n + 1 - frame->start;
  switch (boto_gvariant_offset_size_for (size, 1))
    {
    case 1:
      out[0] = (guint8) key_end;
      size += 1;
      break;
    case 2:
      {
        guint16 le = GUINT16_TO_LE ((guint16) key_end);

        memcpy (out, &le, 2);
        size += 2;
      }
      break;
    case 4:
      {
        guint32 le = GUINT32_TO_LE ((guint32) key_end);

        memcpy (out, &le, 4);
        size += 4;
      }
      break;
    default:
      {
        guint64 le = GUINT64_TO_LE ((guint64) key_end);

        memcpy (out, &le, 8);
        size += 8;
      }
      break;
    }
  writer->len = frame->start + size;
  child_done (writer, TRUE);
}

/* A whole `{sv}` entry whose value is a string, in one go: what
 * open_entry, add_string and close_entry ("s") write. */
void
boto_variant_writer_add_string_entry (BotoVariantWriter *writer,
                                      const char        *key,
                                      gsize              key_length,
                                      const char        *value,
                                      gsize              value_length)
{
  gsize start, key_end, body;
  guint8 *out;

  pad (writer, 7);
  reserve (writer, key_length + 1 + 7 + value_length + 3 + 8);
  start = writer->len;
  out = writer->data + start;
  memcpy (out, key, key_length);
  zero8 (out + key_length);   /* the NUL and the padding */
  key_end = key_length + 1;
  body = (key_end + 7) & ~(gsize) 7;
  memcpy (out + body, value, value_length);
  out[body + value_length] = '\0';
  out[body + value_length + 1] = '\0';
  out[body + value_length + 2] = 's';
  body += value_length + 3;
  /* the tuple's one framing offset: where the key ends */
  switch (boto_gvariant_offset_size_for (body, 1))
    {
    case 1:
      out[body] = (guint8) key_end;
      body += 1;
      break;
    case 2:
      {
        guint16 le = GUINT16_TO_LE ((guint16) key_end);

        memcpy (out + body, &le, 2);
        body += 2;
      }
      break;
    case 4:
      {
        guint32 le = GUINT32_TO_LE ((guint32) key_end);

        memcpy (out + body, &le, 4);
        body += 4;
      }
      break;
    default:
      {
        guint64 le = GUINT64_TO_LE ((guint64) key_end);

        memcpy (out + body, &le, 8);
        body += 8;
      }
      break;
    }
  writer->len = start + body;
  child_done (writer, TRUE);
}

/* ---- small fixed dictionaries ------------------------------------------
 *
 * GVariantBuilder and GVariantDict parse a format string, look up type
 * info under a global lock and allocate a node per value; for the few
 * fixed dictionaries of every response (ResponseMetadata, its headers)
 * writing the bytes from arrays and wrapping them once costs a fraction
 * of that.  (They were written beside the streaming writer above and
 * keep their own small buffer.)
 */

typedef struct
{
  guint8 *data;
  gsize   len;
  gsize   alloc;
} Buf;

/* memcpy() of the few bytes of a key or a type string without a call:
 * two loads that may overlap, none outside [@from, @from + @len). */
static inline void
copy_short (guint8     *to,
            const void *from,
            gsize       len)
{
  const guint8 *f = from;

  if (len > 16)
    memcpy (to, f, len);
  else if (len >= 8)
    {
      guint64 a, b;

      memcpy (&a, f, 8);
      memcpy (&b, f + len - 8, 8);
      memcpy (to, &a, 8);
      memcpy (to + len - 8, &b, 8);
    }
  else if (len >= 4)
    {
      guint32 a, b;

      memcpy (&a, f, 4);
      memcpy (&b, f + len - 4, 4);
      memcpy (to, &a, 4);
      memcpy (to + len - 4, &b, 4);
    }
  else
    for (gsize i = 0; i < len; i++)
      to[i] = f[i];
}

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
  copy_short (buf->data + buf->len, bytes, len);
  buf->len += len;
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
      guint size = boto_gvariant_offset_size_for (buf->len, n);

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
      buf_offset (&buf, key_end, boto_gvariant_offset_size_for (buf.len - start, 1));
      ends[i] = buf.len;
    }
  buf_close_array (&buf, ends, n);
  *out_size = buf.len;
  return buf.data;
}

/**
 * boto_variant_vardict_data:
 * @entries: (array length=n): the entries
 * @n: how many
 * @out_size: (out): the size of the result
 *
 * Returns: (transfer full): the serialized `a{sv}` of the entries in the
 *   order given
 */
guint8 *
boto_variant_vardict_data (const BotoVariantEntry *entries,
                           gsize                   n,
                           gsize                  *out_size)
{
  static const guint8 zeros[8] = { 0, };
  gsize stack[3 * 16];
  g_autofree gsize *heap = NULL;
  /* Per entry: the key's length, the type's, then the end. */
  gsize *lens = n <= G_N_ELEMENTS (stack) / 3 ? stack : (heap = g_new (gsize, 3 * n));
  gsize bound = 0, len = 0;
  guint8 *data;

  /* Room for all of it at once: each entry's parts, padding and offsets;
   * padding is written as zeros, and the rest over it. */
  for (gsize i = 0; i < n; i++)
    {
      lens[3 * i] = strlen (entries[i].key);
      lens[3 * i + 1] = strlen (entries[i].type);
      bound += lens[3 * i] + entries[i].size + lens[3 * i + 1] + 2 * 8 + 2 + 8 + 8 + 8;
    }
  bound = MAX (bound, 64);
  data = g_malloc (bound);
  for (gsize i = 0; i < n; i++)
    {
      gsize start, key_end, value_start;

      /* Padding as eight zeros, of which the next part keeps the rest. */
      start = (len + 7) & ~(gsize) 7;
      memcpy (data + len, zeros, 8);
      copy_short (data + start, entries[i].key, lens[3 * i] + 1);
      key_end = lens[3 * i] + 1;
      /* The variant: its value, a NUL and the value's type. */
      value_start = (start + key_end + 7) & ~(gsize) 7;
      memcpy (data + start + key_end, zeros, 8);
      copy_short (data + value_start, entries[i].data, entries[i].size);
      len = value_start + entries[i].size;
      data[len++] = '\0';
      copy_short (data + len, entries[i].type, lens[3 * i + 1]);
      len += lens[3 * i + 1];
      {
        guint size = boto_gvariant_offset_size_for (len - start, 1);

        for (guint b = 0; b < size; b++)
          data[len++] = (key_end >> (8 * b)) & 0xff;
      }
      lens[3 * i + 2] = len;
    }
  if (n > 0)
    {
      guint size = boto_gvariant_offset_size_for (len, n);

      for (gsize i = 0; i < n; i++)
        for (guint b = 0; b < size; b++)
          data[len++] = (lens[3 * i + 2] >> (8 * b)) & 0xff;
    }
  *out_size = len;
  return data;
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
  gsize size;
  guint8 *data = boto_variant_vardict_data (entries, n, &size);

  return g_variant_new_from_data (G_VARIANT_TYPE_VARDICT, data, size, TRUE, g_free, data);
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
