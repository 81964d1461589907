/* boto-cbor.c: a strict, bounded CBOR (RFC 8949) codec
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "boto-cbor-private.h"

G_DEFINE_QUARK (boto-cbor-error-quark, boto_cbor_error)

#define BREAK_BYTE 0xff

void
boto_cbor_reader_init (BotoCborReader *reader,
                       const guint8   *data,
                       gsize           length)
{
  reader->data = data;
  reader->length = data != NULL ? length : 0;
  reader->offset = 0;
}

gboolean
boto_cbor_reader_at_end (BotoCborReader *reader)
{
  return reader->offset >= reader->length;
}

static inline gsize
remaining (BotoCborReader *reader)
{
  return reader->length - reader->offset;
}

static gboolean
truncated (BotoCborReader  *reader,
           GError         **error)
{
  g_set_error (error, BOTO_CBOR_ERROR, BOTO_CBOR_ERROR_TRUNCATED,
               "CBOR input ends unexpectedly at offset %" G_GSIZE_FORMAT,
               reader->offset);
  return FALSE;
}

gboolean
boto_cbor_reader_read_head (BotoCborReader  *reader,
                            BotoCborHead    *head,
                            GError         **error)
{
  gsize start = reader->offset;
  guint8 initial;
  guint n_bytes;

  if (remaining (reader) < 1)
    return truncated (reader, error);

  initial = reader->data[reader->offset++];
  head->major = initial >> 5;
  head->info = initial & 0x1f;
  head->indefinite = FALSE;
  head->argument = 0;

  if (head->info < 24)
    {
      head->argument = head->info;
      n_bytes = 0;
    }
  else if (head->info <= 27)
    n_bytes = 1u << (head->info - 24);
  else if (head->info <= 30)
    {
      g_set_error (error, BOTO_CBOR_ERROR, BOTO_CBOR_ERROR_MALFORMED,
                   "Reserved additional information %u at CBOR offset %" G_GSIZE_FORMAT,
                   head->info, start);
      return FALSE;
    }
  else
    {
      switch (head->major)
        {
        case BOTO_CBOR_MAJOR_BYTES:
        case BOTO_CBOR_MAJOR_TEXT:
        case BOTO_CBOR_MAJOR_ARRAY:
        case BOTO_CBOR_MAJOR_MAP:
          head->indefinite = TRUE;
          return TRUE;
        case BOTO_CBOR_MAJOR_SIMPLE:
          g_set_error (error, BOTO_CBOR_ERROR, BOTO_CBOR_ERROR_MALFORMED,
                       "Unexpected CBOR break at offset %" G_GSIZE_FORMAT, start);
          return FALSE;
        default:
          g_set_error (error, BOTO_CBOR_ERROR, BOTO_CBOR_ERROR_MALFORMED,
                       "Indefinite length on CBOR major type %u at offset %" G_GSIZE_FORMAT,
                       head->major, start);
          return FALSE;
        }
    }

  if (remaining (reader) < n_bytes)
    {
      reader->offset = reader->length;
      return truncated (reader, error);
    }
  for (guint i = 0; i < n_bytes; i++)
    head->argument = (head->argument << 8) | reader->data[reader->offset++];

  if (head->major == BOTO_CBOR_MAJOR_SIMPLE &&
      head->info != 20 && head->info != 21 && head->info != 22 &&
      head->info != 23 && head->info != 25 && head->info != 26 && head->info != 27)
    {
      g_set_error (error, BOTO_CBOR_ERROR, BOTO_CBOR_ERROR_UNSUPPORTED,
                   "Unsupported CBOR simple value at offset %" G_GSIZE_FORMAT, start);
      return FALSE;
    }

  return TRUE;
}

gboolean
boto_cbor_reader_at_break (BotoCborReader  *reader,
                           GError         **error)
{
  if (remaining (reader) < 1)
    {
      g_set_error (error, BOTO_CBOR_ERROR, BOTO_CBOR_ERROR_TRUNCATED,
                   "CBOR input ends before the break of an indefinite-length item");
      return FALSE;
    }
  if (reader->data[reader->offset] == BREAK_BYTE)
    {
      reader->offset++;
      return TRUE;
    }
  return FALSE;
}

gboolean
boto_cbor_reader_peek_null (BotoCborReader *reader)
{
  if (remaining (reader) >= 1 &&
      (reader->data[reader->offset] == 0xf6 || reader->data[reader->offset] == 0xf7))
    {
      reader->offset++;
      return TRUE;
    }
  return FALSE;
}

static gboolean
append_chunk (BotoCborReader  *reader,
              guint64          length,
              GByteArray      *out,
              GError         **error)
{
  if (length > remaining (reader))
    {
      g_set_error (error, BOTO_CBOR_ERROR, BOTO_CBOR_ERROR_TRUNCATED,
                   "CBOR string length %" G_GUINT64_FORMAT " exceeds the %" G_GSIZE_FORMAT
                   " bytes left", length, remaining (reader));
      return FALSE;
    }
  if (out != NULL)
    g_byte_array_append (out, reader->data + reader->offset, (guint) length);
  reader->offset += length;
  return TRUE;
}

/* Reads the content of a byte or text string whose head was just read;
 * @out may be NULL to skip.  Text is validated as UTF-8 without NUL. */
gboolean
boto_cbor_reader_read_string (BotoCborReader      *reader,
                              const BotoCborHead  *head,
                              GByteArray          *out,
                              GError             **error)
{
  guint start = out != NULL ? out->len : 0;
  gsize offset = reader->offset;

  g_return_val_if_fail (head->major == BOTO_CBOR_MAJOR_BYTES ||
                        head->major == BOTO_CBOR_MAJOR_TEXT, FALSE);

  if (!head->indefinite)
    {
      if (!append_chunk (reader, head->argument, out, error))
        return FALSE;
    }
  else
    {
      GError *local_error = NULL;

      while (!boto_cbor_reader_at_break (reader, &local_error))
        {
          BotoCborHead chunk;

          if (local_error != NULL)
            {
              g_propagate_error (error, local_error);
              return FALSE;
            }
          if (!boto_cbor_reader_read_head (reader, &chunk, error))
            return FALSE;
          if (chunk.major != head->major)
            {
              g_set_error (error, BOTO_CBOR_ERROR, BOTO_CBOR_ERROR_MALFORMED,
                           "Chunk of major type %u inside an indefinite string of major type %u",
                           chunk.major, head->major);
              return FALSE;
            }
          if (chunk.indefinite)
            {
              g_set_error_literal (error, BOTO_CBOR_ERROR, BOTO_CBOR_ERROR_MALFORMED,
                                   "Nested indefinite-length CBOR string");
              return FALSE;
            }
          if (!append_chunk (reader, chunk.argument, out, error))
            return FALSE;
        }
    }

  if (head->major == BOTO_CBOR_MAJOR_TEXT && out != NULL)
    {
      const char *text = (const char *) out->data + start;
      gsize len = out->len - start;

      if (len > 0 && memchr (text, '\0', len) != NULL)
        {
          g_set_error (error, BOTO_CBOR_ERROR, BOTO_CBOR_ERROR_UNSUPPORTED,
                       "CBOR text string at offset %" G_GSIZE_FORMAT " contains NUL", offset);
          return FALSE;
        }
      if (!g_utf8_validate_len (text, len, NULL))
        {
          g_set_error (error, BOTO_CBOR_ERROR, BOTO_CBOR_ERROR_MALFORMED,
                       "CBOR text string at offset %" G_GSIZE_FORMAT " is not valid UTF-8", offset);
          return FALSE;
        }
    }

  return TRUE;
}

/* A definite array or map of @head's count can only be real if each item
 * has at least one byte left for it: checked before anything is allocated. */
gboolean
boto_cbor_reader_check_count (BotoCborReader      *reader,
                              const BotoCborHead  *head,
                              GError             **error)
{
  guint64 min_bytes;

  if (head->indefinite)
    return TRUE;
  min_bytes = head->argument;
  if (head->major == BOTO_CBOR_MAJOR_MAP)
    {
      if (min_bytes > G_MAXUINT64 / 2)
        min_bytes = G_MAXUINT64;
      else
        min_bytes *= 2;
    }
  if (min_bytes > remaining (reader))
    {
      g_set_error (error, BOTO_CBOR_ERROR, BOTO_CBOR_ERROR_TRUNCATED,
                   "CBOR %s of %" G_GUINT64_FORMAT " items exceeds the %" G_GSIZE_FORMAT
                   " bytes left", head->major == BOTO_CBOR_MAJOR_MAP ? "map" : "array",
                   head->argument, remaining (reader));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_depth (guint    depth,
             GError **error)
{
  if (depth > BOTO_CBOR_MAX_DEPTH)
    {
      g_set_error (error, BOTO_CBOR_ERROR, BOTO_CBOR_ERROR_TOO_DEEP,
                   "CBOR items nest deeper than %u levels", BOTO_CBOR_MAX_DEPTH);
      return FALSE;
    }
  return TRUE;
}

/* Iterates the items of an array or map: returns TRUE while there is one
 * more item (or pair) to read, FALSE at the end or on error. */
gboolean
boto_cbor_reader_next_item (BotoCborReader  *reader,
           BotoCborHead    *head,
           guint64         *index,
           gboolean        *failed,
           GError         **error)
{
  if (head->indefinite)
    {
      GError *local_error = NULL;

      if (boto_cbor_reader_at_break (reader, &local_error))
        return FALSE;
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          *failed = TRUE;
          return FALSE;
        }
      return TRUE;
    }
  return (*index)++ < head->argument;
}

gboolean
boto_cbor_reader_skip (BotoCborReader  *reader,
                       guint            depth,
                       GError         **error)
{
  BotoCborHead head;
  guint64 index = 0;
  gboolean failed = FALSE;

  if (!check_depth (depth, error) ||
      !boto_cbor_reader_read_head (reader, &head, error))
    return FALSE;

  switch (head.major)
    {
    case BOTO_CBOR_MAJOR_BYTES:
    case BOTO_CBOR_MAJOR_TEXT:
      return boto_cbor_reader_read_string (reader, &head, NULL, error);
    case BOTO_CBOR_MAJOR_ARRAY:
    case BOTO_CBOR_MAJOR_MAP:
      if (!boto_cbor_reader_check_count (reader, &head, error))
        return FALSE;
      while (boto_cbor_reader_next_item (reader, &head, &index, &failed, error))
        {
          if (!boto_cbor_reader_skip (reader, depth + 1, error))
            return FALSE;
          if (head.major == BOTO_CBOR_MAJOR_MAP &&
              !boto_cbor_reader_skip (reader, depth + 1, error))
            return FALSE;
        }
      return !failed;
    case BOTO_CBOR_MAJOR_TAG:
      return boto_cbor_reader_skip (reader, depth + 1, error);
    default:
      return TRUE;
    }
}

static double
half_to_double (guint16 half)
{
  guint sign = half >> 15;
  guint exponent = (half >> 10) & 0x1f;
  guint mantissa = half & 0x3ff;
  double value;

  if (exponent == 0)
    value = ldexp (mantissa, -24);
  else if (exponent == 31)
    {
      /* Keep the NaN payload: widen it into a double NaN. */
      guint64 bits = ((guint64) sign << 63) | ((guint64) 0x7ff << 52) |
                     ((guint64) mantissa << 42);
      double d;

      memcpy (&d, &bits, sizeof d);
      return d;
    }
  else
    value = ldexp (mantissa + 1024, (int) exponent - 25);

  return sign ? -value : value;
}

double
boto_cbor_head_get_double (const BotoCborHead *head)
{
  switch (head->info)
    {
    case 25:
      return half_to_double ((guint16) head->argument);
    case 26:
      {
        guint32 bits = (guint32) head->argument;
        float f;

        memcpy (&f, &bits, sizeof f);
        return f;
      }
    case 27:
      {
        guint64 bits = head->argument;
        double d;

        memcpy (&d, &bits, sizeof d);
        return d;
      }
    default:
      g_return_val_if_reached (NAN);
    }
}

GVariant *
boto_cbor_reader_read_variant (BotoCborReader  *reader,
                               guint            depth,
                               GError         **error)
{
  BotoCborHead head;

  if (!check_depth (depth, error) ||
      !boto_cbor_reader_read_head (reader, &head, error))
    return NULL;

  switch (head.major)
    {
    case BOTO_CBOR_MAJOR_UINT:
      return g_variant_ref_sink (g_variant_new_uint64 (head.argument));

    case BOTO_CBOR_MAJOR_NEGINT:
      if (head.argument <= (guint64) G_MAXINT64)
        return g_variant_ref_sink (g_variant_new_int64 (-1 - (gint64) head.argument));
      return g_variant_ref_sink (g_variant_new ("(t)", head.argument));

    case BOTO_CBOR_MAJOR_BYTES:
    case BOTO_CBOR_MAJOR_TEXT:
      {
        g_autoptr(GByteArray) buffer = g_byte_array_new ();

        if (!boto_cbor_reader_read_string (reader, &head, buffer, error))
          return NULL;
        if (head.major == BOTO_CBOR_MAJOR_BYTES)
          {
            g_autoptr(GBytes) bytes = g_byte_array_free_to_bytes (g_steal_pointer (&buffer));

            return g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING,
                                                                 bytes, TRUE));
          }
        g_byte_array_append (buffer, (const guint8 *) "", 1);
        return g_variant_ref_sink (g_variant_new_string ((const char *) buffer->data));
      }

    case BOTO_CBOR_MAJOR_ARRAY:
      {
        g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("av"));
        guint64 index = 0;
        gboolean failed = FALSE;

        if (!boto_cbor_reader_check_count (reader, &head, error))
          return NULL;
        while (boto_cbor_reader_next_item (reader, &head, &index, &failed, error))
          {
            GVariant *item = boto_cbor_reader_read_variant (reader, depth + 1, error);

            if (item == NULL)
              return NULL;
            g_variant_builder_add (&builder, "v", item);
            g_variant_unref (item);
          }
        if (failed)
          return NULL;
        return g_variant_ref_sink (g_variant_builder_end (&builder));
      }

    case BOTO_CBOR_MAJOR_MAP:
      {
        g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
        g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
        g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{sv}"));
        gboolean all_text = TRUE;
        guint64 index = 0;
        gboolean failed = FALSE;

        if (!boto_cbor_reader_check_count (reader, &head, error))
          return NULL;
        while (boto_cbor_reader_next_item (reader, &head, &index, &failed, error))
          {
            GVariant *key = boto_cbor_reader_read_variant (reader, depth + 1, error);
            GVariant *value;

            if (key == NULL)
              return NULL;
            g_ptr_array_add (keys, key);
            value = boto_cbor_reader_read_variant (reader, depth + 1, error);
            if (value == NULL)
              return NULL;
            g_ptr_array_add (values, value);
            if (!g_variant_is_of_type (key, G_VARIANT_TYPE_STRING))
              all_text = FALSE;
          }
        if (failed)
          return NULL;
        if (!all_text)
          {
            g_variant_builder_clear (&builder);
            g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(vv)"));
          }
        for (guint i = 0; i < keys->len; i++)
          {
            if (all_text)
              g_variant_builder_add (&builder, "{@sv}", keys->pdata[i], values->pdata[i]);
            else
              g_variant_builder_add (&builder, "(vv)", keys->pdata[i], values->pdata[i]);
          }
        return g_variant_ref_sink (g_variant_builder_end (&builder));
      }

    case BOTO_CBOR_MAJOR_TAG:
      {
        g_autoptr(GVariant) value = boto_cbor_reader_read_variant (reader, depth + 1, error);

        if (value == NULL)
          return NULL;
        return g_variant_ref_sink (g_variant_new ("(tv)", head.argument, value));
      }

    case BOTO_CBOR_MAJOR_SIMPLE:
    default:
      switch (head.info)
        {
        case 20:
        case 21:
          return g_variant_ref_sink (g_variant_new_boolean (head.info == 21));
        case 22:
        case 23:
          return g_variant_ref_sink (g_variant_new_maybe (G_VARIANT_TYPE_VARIANT, NULL));
        default:
          return g_variant_ref_sink (g_variant_new_double (boto_cbor_head_get_double (&head)));
        }
    }
}

/*
 * boto_cbor_decode:
 * @data: (array length=length): the CBOR bytes
 * @length: their length
 * @error: return location for a BOTO_CBOR_ERROR
 *
 * Decodes exactly one data item filling all of @data into the generic
 * GVariant mirror described at the top of boto-cbor-private.h.
 *
 * Returns: (transfer full): a non-floating variant, or %NULL with @error set
 */
GVariant *
boto_cbor_decode (const guint8  *data,
                  gsize          length,
                  GError       **error)
{
  BotoCborReader reader;
  g_autoptr(GVariant) value = NULL;

  boto_cbor_reader_init (&reader, data, length);
  value = boto_cbor_reader_read_variant (&reader, 0, error);
  if (value == NULL)
    return NULL;
  if (!boto_cbor_reader_at_end (&reader))
    {
      g_set_error (error, BOTO_CBOR_ERROR, BOTO_CBOR_ERROR_UNSUPPORTED,
                   "%" G_GSIZE_FORMAT " bytes of trailing data after the CBOR item",
                   remaining (&reader));
      return NULL;
    }
  return g_steal_pointer (&value);
}

/* Writer */

void
boto_cbor_writer_init (BotoCborWriter *writer,
                       GByteArray     *out)
{
  writer->out = out;
}

static void
put_byte (BotoCborWriter *writer,
          guint8          byte)
{
  g_byte_array_append (writer->out, &byte, 1);
}

static void
put_be (BotoCborWriter *writer,
        guint64         value,
        guint           n_bytes)
{
  guint8 buf[8];

  for (guint i = 0; i < n_bytes; i++)
    buf[i] = (guint8) (value >> (8 * (n_bytes - 1 - i)));
  g_byte_array_append (writer->out, buf, n_bytes);
}

/* The shortest head for @argument, as RFC 8949 §4.2.1 (and botocore) do. */
void
boto_cbor_write_head (BotoCborWriter *writer,
                      BotoCborMajor   major,
                      guint64         argument)
{
  guint8 m = (guint8) (major << 5);

  if (argument < 24)
    put_byte (writer, m | (guint8) argument);
  else if (argument <= G_MAXUINT8)
    {
      put_byte (writer, m | 24);
      put_be (writer, argument, 1);
    }
  else if (argument <= G_MAXUINT16)
    {
      put_byte (writer, m | 25);
      put_be (writer, argument, 2);
    }
  else if (argument <= G_MAXUINT32)
    {
      put_byte (writer, m | 26);
      put_be (writer, argument, 4);
    }
  else
    {
      put_byte (writer, m | 27);
      put_be (writer, argument, 8);
    }
}

void
boto_cbor_write_uint (BotoCborWriter *writer,
                      guint64         value)
{
  boto_cbor_write_head (writer, BOTO_CBOR_MAJOR_UINT, value);
}

void
boto_cbor_write_int (BotoCborWriter *writer,
                     gint64          value)
{
  if (value >= 0)
    boto_cbor_write_head (writer, BOTO_CBOR_MAJOR_UINT, (guint64) value);
  else
    boto_cbor_write_head (writer, BOTO_CBOR_MAJOR_NEGINT, (guint64) (-1 - value));
}

void
boto_cbor_write_bytes (BotoCborWriter *writer,
                       const guint8   *data,
                       gsize           length)
{
  boto_cbor_write_head (writer, BOTO_CBOR_MAJOR_BYTES, length);
  if (length > 0)
    g_byte_array_append (writer->out, data, length);
}

void
boto_cbor_write_text (BotoCborWriter *writer,
                      const char     *text,
                      gssize          length)
{
  gsize len = length < 0 ? strlen (text) : (gsize) length;

  boto_cbor_write_head (writer, BOTO_CBOR_MAJOR_TEXT, len);
  if (len > 0)
    g_byte_array_append (writer->out, (const guint8 *) text, len);
}

void
boto_cbor_write_bool (BotoCborWriter *writer,
                      gboolean        value)
{
  put_byte (writer, value ? 0xf5 : 0xf4);
}

void
boto_cbor_write_null (BotoCborWriter *writer)
{
  put_byte (writer, 0xf6);
}

/* Infinities and NaN go out as the canonical half floats, as botocore
 * writes them; finite values at the width the shape asks for. */
static gboolean
write_special (BotoCborWriter *writer,
               double          value)
{
  guint16 half;

  if (isnan (value))
    half = 0x7e00;
  else if (isinf (value))
    half = value > 0 ? 0x7c00 : 0xfc00;
  else
    return FALSE;
  put_byte (writer, 0xf9);
  put_be (writer, half, 2);
  return TRUE;
}

void
boto_cbor_write_float32 (BotoCborWriter *writer,
                         double          value)
{
  float f = (float) value;
  guint32 bits;

  if (write_special (writer, value))
    return;
  memcpy (&bits, &f, sizeof bits);
  put_byte (writer, 0xfa);
  put_be (writer, bits, 4);
}

void
boto_cbor_write_float64 (BotoCborWriter *writer,
                         double          value)
{
  guint64 bits;

  if (write_special (writer, value))
    return;
  memcpy (&bits, &value, sizeof bits);
  put_byte (writer, 0xfb);
  put_be (writer, bits, 8);
}

static gboolean
encode_variant (BotoCborWriter  *writer,
                GVariant        *value,
                guint            depth,
                GError         **error)
{
  const GVariantType *type = g_variant_get_type (value);

  if (!check_depth (depth, error))
    return FALSE;

  if (g_variant_type_equal (type, G_VARIANT_TYPE ("(t)")))
    {
      guint64 n;

      g_variant_get (value, "(t)", &n);
      boto_cbor_write_head (writer, BOTO_CBOR_MAJOR_NEGINT, n);
      return TRUE;
    }
  if (g_variant_type_equal (type, G_VARIANT_TYPE ("(tv)")))
    {
      g_autoptr(GVariant) inner = NULL;
      guint64 tag;

      g_variant_get (value, "(tv)", &tag, &inner);
      boto_cbor_write_head (writer, BOTO_CBOR_MAJOR_TAG, tag);
      return encode_variant (writer, inner, depth + 1, error);
    }

  switch (g_variant_classify (value))
    {
    case G_VARIANT_CLASS_BOOLEAN:
      boto_cbor_write_bool (writer, g_variant_get_boolean (value));
      return TRUE;
    case G_VARIANT_CLASS_BYTE:
      boto_cbor_write_uint (writer, g_variant_get_byte (value));
      return TRUE;
    case G_VARIANT_CLASS_INT16:
      boto_cbor_write_int (writer, g_variant_get_int16 (value));
      return TRUE;
    case G_VARIANT_CLASS_UINT16:
      boto_cbor_write_uint (writer, g_variant_get_uint16 (value));
      return TRUE;
    case G_VARIANT_CLASS_INT32:
      boto_cbor_write_int (writer, g_variant_get_int32 (value));
      return TRUE;
    case G_VARIANT_CLASS_UINT32:
      boto_cbor_write_uint (writer, g_variant_get_uint32 (value));
      return TRUE;
    case G_VARIANT_CLASS_INT64:
      boto_cbor_write_int (writer, g_variant_get_int64 (value));
      return TRUE;
    case G_VARIANT_CLASS_UINT64:
      boto_cbor_write_uint (writer, g_variant_get_uint64 (value));
      return TRUE;
    case G_VARIANT_CLASS_DOUBLE:
      boto_cbor_write_float64 (writer, g_variant_get_double (value));
      return TRUE;
    case G_VARIANT_CLASS_STRING:
      {
        gsize len;
        const char *s = g_variant_get_string (value, &len);

        boto_cbor_write_text (writer, s, len);
        return TRUE;
      }
    case G_VARIANT_CLASS_VARIANT:
      {
        g_autoptr(GVariant) inner = g_variant_get_variant (value);

        return encode_variant (writer, inner, depth + 1, error);
      }
    case G_VARIANT_CLASS_MAYBE:
      {
        g_autoptr(GVariant) inner = g_variant_get_maybe (value);

        if (inner == NULL)
          {
            boto_cbor_write_null (writer);
            return TRUE;
          }
        return encode_variant (writer, inner, depth + 1, error);
      }
    case G_VARIANT_CLASS_ARRAY:
      {
        gsize n = g_variant_n_children (value);

        if (g_variant_type_equal (type, G_VARIANT_TYPE_BYTESTRING))
          {
            boto_cbor_write_bytes (writer, g_variant_get_data (value), g_variant_get_size (value));
            return TRUE;
          }
        /* Dictionaries, and `a(vv)`: the mirror of a map with non-text keys. */
        if (g_variant_type_is_dict_entry (g_variant_type_element (type)) ||
            g_variant_type_equal (type, G_VARIANT_TYPE ("a(vv)")))
          {
            boto_cbor_write_head (writer, BOTO_CBOR_MAJOR_MAP, n);
            for (gsize i = 0; i < n; i++)
              {
                g_autoptr(GVariant) entry = g_variant_get_child_value (value, i);
                g_autoptr(GVariant) k = g_variant_get_child_value (entry, 0);
                g_autoptr(GVariant) v = g_variant_get_child_value (entry, 1);

                if (!encode_variant (writer, k, depth + 1, error) ||
                    !encode_variant (writer, v, depth + 1, error))
                  return FALSE;
              }
            return TRUE;
          }
        boto_cbor_write_head (writer, BOTO_CBOR_MAJOR_ARRAY, n);
        for (gsize i = 0; i < n; i++)
          {
            g_autoptr(GVariant) child = g_variant_get_child_value (value, i);

            if (!encode_variant (writer, child, depth + 1, error))
              return FALSE;
          }
        return TRUE;
      }
    default:
      g_set_error (error, BOTO_CBOR_ERROR, BOTO_CBOR_ERROR_TYPE_MISMATCH,
                   "No CBOR encoding for GVariant type %s", g_variant_get_type_string (value));
      return FALSE;
    }
}

/* Writes @value as boto_cbor_encode_variant() does, appending to @writer. */
gboolean
boto_cbor_write_variant (BotoCborWriter  *writer,
                         GVariant        *value,
                         GError         **error)
{
  return encode_variant (writer, value, 0, error);
}

/*
 * boto_cbor_encode_variant:
 * @value: a variant of the generic mirror (or any integer, `d`, `s`, `ay`,
 *   array, dictionary, maybe or variant)
 * @error: return location for a BOTO_CBOR_ERROR
 *
 * Encodes @value with definite lengths and the shortest heads.  Doubles are
 * written as float64 (non-finite ones as half floats).  The inverse of
 * boto_cbor_decode() for every variant it produces.
 *
 * Returns: (transfer full): the CBOR bytes, or %NULL with @error set
 */
GBytes *
boto_cbor_encode_variant (GVariant  *value,
                          GError   **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  BotoCborWriter writer;

  g_return_val_if_fail (value != NULL, NULL);

  boto_cbor_writer_init (&writer, out);
  if (!encode_variant (&writer, value, 0, error))
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}
