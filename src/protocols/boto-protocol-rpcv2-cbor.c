/* boto-protocol-rpcv2-cbor.c: the smithy-rpc-v2-cbor wire protocol
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "boto-error.h"
#include "boto-protocol-parser-private.h"
#include "boto-protocol-rpcv2-cbor-private.h"

#define MAX_TYPE_DEPTH 64

static gboolean
shape_is_document (BotoShapeDef *def)
{
  return def == NULL || def->type == BOTO_SHAPE_TYPE_DOCUMENT ||
         def->type == BOTO_SHAPE_TYPE_UNKNOWN ||
         boto_model_variant_get_boolean (def->definition, "document");
}

static gboolean
shape_is_sparse (BotoShapeDef *def)
{
  return boto_model_variant_get_boolean (def->definition, "sparse");
}

static BotoShapeDef *
member_target (BotoModelData *data,
               BotoShapeDef  *def,
               guint          i)
{
  if (i >= def->n_members)
    return NULL;
  return boto_member_def_get_target (data, &def->members[i]);
}

static void
append_type (BotoModelData *data,
             BotoShapeDef  *def,
             GString       *out,
             guint          depth)
{
  if (shape_is_document (def) || depth > MAX_TYPE_DEPTH)
    {
      g_string_append_c (out, 'v');
      return;
    }

  switch (def->type)
    {
    case BOTO_SHAPE_TYPE_STRUCTURE:
      g_string_append (out, "a{sv}");
      break;
    case BOTO_SHAPE_TYPE_LIST:
      g_string_append (out, shape_is_sparse (def) ? "am" : "a");
      append_type (data, member_target (data, def, 0), out, depth + 1);
      break;
    case BOTO_SHAPE_TYPE_MAP:
      g_string_append (out, shape_is_sparse (def) ? "a{sm" : "a{s");
      append_type (data, member_target (data, def, 1), out, depth + 1);
      g_string_append_c (out, '}');
      break;
    case BOTO_SHAPE_TYPE_STRING:
    case BOTO_SHAPE_TYPE_CHARACTER:
      g_string_append_c (out, 's');
      break;
    case BOTO_SHAPE_TYPE_INTEGER:
    case BOTO_SHAPE_TYPE_BYTE:
    case BOTO_SHAPE_TYPE_SHORT:
      g_string_append_c (out, 'i');
      break;
    case BOTO_SHAPE_TYPE_LONG:
    case BOTO_SHAPE_TYPE_TIMESTAMP:
      g_string_append_c (out, 'x');
      break;
    case BOTO_SHAPE_TYPE_FLOAT:
    case BOTO_SHAPE_TYPE_DOUBLE:
      g_string_append_c (out, 'd');
      break;
    case BOTO_SHAPE_TYPE_BOOLEAN:
      g_string_append_c (out, 'b');
      break;
    case BOTO_SHAPE_TYPE_BLOB:
      g_string_append (out, "ay");
      break;
    default:
      g_string_append_c (out, 'v');
      break;
    }
}

/*
 * boto_rpcv2_cbor_shape_variant_type:
 * @data: the model the shape belongs to
 * @shape: a shape
 *
 * The GVariant type a value of @shape has in results (see the table in
 * DESIGN.md): the type an empty list or map of it still gets.
 *
 * Returns: (transfer full): the type
 */
GVariantType *
boto_rpcv2_cbor_shape_variant_type (BotoModelData *data,
                                    BotoShapeDef  *shape)
{
  g_autoptr(GString) out = g_string_new (NULL);

  append_type (data, shape, out, 0);
  return g_variant_type_new (out->str);
}

/* ---- decoding against a shape ---------------------------------------- */

static gboolean
mismatch (BotoShapeDef        *def,
          const BotoCborHead  *head,
          GError             **error)
{
  g_set_error (error, BOTO_CBOR_ERROR, BOTO_CBOR_ERROR_TYPE_MISMATCH,
               "CBOR major type %u where shape %s (%s) was expected",
               head->major, def->name, def->type_name != NULL ? def->type_name : "?");
  return FALSE;
}

/* A decoded value that does not fit the container of shape @def. */
static void
unexpected_value (BotoShapeDef  *def,
                  GVariant      *value,
                  GError       **error)
{
  g_set_error (error, BOTO_CBOR_ERROR, BOTO_CBOR_ERROR_TYPE_MISMATCH,
               "Unexpected CBOR value (%s) in shape %s", g_variant_get_type_string (value), def->name);
}

static gboolean
read_integer (BotoShapeDef        *def,
              const BotoCborHead  *head,
              gint64               min,
              gint64               max,
              gint64              *out,
              GError             **error)
{
  gint64 value;

  if (head->major == BOTO_CBOR_MAJOR_UINT && head->argument <= (guint64) max)
    value = (gint64) head->argument;
  else if (head->major == BOTO_CBOR_MAJOR_NEGINT && head->argument <= (guint64) G_MAXINT64 &&
           -1 - (gint64) head->argument >= min)
    value = -1 - (gint64) head->argument;
  else if (head->major == BOTO_CBOR_MAJOR_UINT || head->major == BOTO_CBOR_MAJOR_NEGINT)
    {
      g_set_error (error, BOTO_CBOR_ERROR, BOTO_CBOR_ERROR_TYPE_MISMATCH,
                   "Integer out of range for shape %s", def->name);
      return FALSE;
    }
  else
    return mismatch (def, head, error);

  *out = value;
  return TRUE;
}

static gboolean
read_number (BotoShapeDef        *def,
             const BotoCborHead  *head,
             double              *out,
             GError             **error)
{
  switch (head->major)
    {
    case BOTO_CBOR_MAJOR_UINT:
      *out = (double) head->argument;
      return TRUE;
    case BOTO_CBOR_MAJOR_NEGINT:
      *out = -1.0 - (double) head->argument;
      return TRUE;
    case BOTO_CBOR_MAJOR_SIMPLE:
      if (head->info >= 25 && head->info <= 27)
        {
          *out = boto_cbor_head_get_double (head);
          return TRUE;
        }
      G_GNUC_FALLTHROUGH;
    default:
      return mismatch (def, head, error);
    }
}

static GVariant *decode_shape (BotoModelData *data, BotoShapeDef *def,
                               BotoCborReader *reader, guint depth, GError **error);

static gboolean
read_timestamp (BotoShapeDef    *def,
                BotoCborReader  *reader,
                BotoCborHead    *head,
                gint64          *out_usec,
                GError         **error)
{
  double seconds;
  double micros;

  /* Tag 1 (epoch seconds) is what the protocol sends; a bare number is
   * taken as epoch seconds as well. */
  if (head->major == BOTO_CBOR_MAJOR_TAG)
    {
      if (head->argument != 1)
        {
          g_set_error (error, BOTO_CBOR_ERROR, BOTO_CBOR_ERROR_TYPE_MISMATCH,
                       "CBOR tag %" G_GUINT64_FORMAT " where a timestamp (tag 1) was expected",
                       head->argument);
          return FALSE;
        }
      if (!boto_cbor_reader_read_head (reader, head, error))
        return FALSE;
    }

  if (head->major == BOTO_CBOR_MAJOR_UINT || head->major == BOTO_CBOR_MAJOR_NEGINT)
    {
      gint64 s;

      if (!read_integer (def, head, -G_MAXINT64 / G_USEC_PER_SEC, G_MAXINT64 / G_USEC_PER_SEC,
                         &s, error))
        return FALSE;
      *out_usec = s * G_USEC_PER_SEC;
      return TRUE;
    }

  if (!read_number (def, head, &seconds, error))
    return FALSE;
  micros = round (seconds * G_USEC_PER_SEC);
  if (!isfinite (micros) || micros >= 9.2e18 || micros <= -9.2e18)
    {
      g_set_error (error, BOTO_CBOR_ERROR, BOTO_CBOR_ERROR_TYPE_MISMATCH,
                   "Timestamp out of range for shape %s", def->name);
      return FALSE;
    }
  *out_usec = (gint64) micros;
  return TRUE;
}

static GVariant *
decode_timestamp (BotoShapeDef    *def,
                  BotoCborReader  *reader,
                  BotoCborHead    *head,
                  GError         **error)
{
  gint64 usec;

  if (!read_timestamp (def, reader, head, &usec, error))
    return NULL;
  return g_variant_ref_sink (g_variant_new_int64 (usec));
}

/*
 * Lists of fixed-size scalars (CloudWatch's Timestamps and Values, a few
 * hundred per series) are read straight into one array: a GVariant per
 * number would cost an allocation each.  The element's type character,
 * or 0 when @def's values need the general path.
 */
static char
fixed_scalar_type (BotoShapeDef *def)
{
  if (shape_is_document (def))
    return 0;
  switch (def->type)
    {
    case BOTO_SHAPE_TYPE_INTEGER:
    case BOTO_SHAPE_TYPE_BYTE:
    case BOTO_SHAPE_TYPE_SHORT:
      return 'i';
    case BOTO_SHAPE_TYPE_LONG:
    case BOTO_SHAPE_TYPE_TIMESTAMP:
      return 'x';
    case BOTO_SHAPE_TYPE_FLOAT:
    case BOTO_SHAPE_TYPE_DOUBLE:
      return 'd';
    case BOTO_SHAPE_TYPE_BOOLEAN:
      return 'b';
    default:
      return 0;
    }
}

typedef union
{
  gint32  i;
  gint64  x;
  double  d;
  guint8  b;
} FixedScalar;

static gsize
fixed_scalar_size (char type)
{
  return type == 'b' ? 1 : type == 'i' ? 4 : 8;
}

static gboolean
read_fixed_scalar (BotoShapeDef    *def,
                   char             type,
                   BotoCborReader  *reader,
                   FixedScalar     *out,
                   GError         **error)
{
  BotoCborHead head;

  if (!boto_cbor_reader_read_head (reader, &head, error))
    return FALSE;
  switch (type)
    {
    case 'i':
      {
        gint64 value;

        if (!read_integer (def, &head, G_MININT32, G_MAXINT32, &value, error))
          return FALSE;
        out->i = (gint32) value;
        return TRUE;
      }
    case 'x':
      if (def->type == BOTO_SHAPE_TYPE_TIMESTAMP)
        return read_timestamp (def, reader, &head, &out->x, error);
      return read_integer (def, &head, G_MININT64, G_MAXINT64, &out->x, error);
    case 'd':
      return read_number (def, &head, &out->d, error);
    default:
      if (head.major != BOTO_CBOR_MAJOR_SIMPLE || (head.info != 20 && head.info != 21))
        return mismatch (def, &head, error);
      out->b = head.info == 21;
      return TRUE;
    }
}

static GVariant *
fixed_scalar_variant (char         type,
                      const void  *raw)
{
  const FixedScalar *value = raw;

  switch (type)
    {
    case 'i':
      return g_variant_ref_sink (g_variant_new_int32 (value->i));
    case 'x':
      return g_variant_ref_sink (g_variant_new_int64 (value->x));
    case 'd':
      return g_variant_ref_sink (g_variant_new_double (value->d));
    default:
      return g_variant_ref_sink (g_variant_new_boolean (value->b));
    }
}

/* Reads a text key (definite or chunked) into @buffer as a C string. */
static gboolean
read_key (BotoCborReader  *reader,
          GByteArray      *buffer,
          gboolean        *is_text,
          GError         **error)
{
  BotoCborHead head;

  g_byte_array_set_size (buffer, 0);
  *is_text = FALSE;
  if (reader->offset < reader->length &&
      (reader->data[reader->offset] >> 5) != BOTO_CBOR_MAJOR_TEXT)
    {
      /* Not a text key: validate and step over it. */
      return boto_cbor_reader_skip (reader, 0, error);
    }
  if (!boto_cbor_reader_read_head (reader, &head, error) ||
      !boto_cbor_reader_read_string (reader, &head, buffer, error))
    return FALSE;
  g_byte_array_append (buffer, (const guint8 *) "", 1);
  *is_text = TRUE;
  return TRUE;
}

static void
free_values (GVariant **values,
             guint      n)
{
  for (guint i = 0; i < n; i++)
    g_clear_pointer (&values[i], g_variant_unref);
  g_free (values);
}

typedef struct
{
  GVariant **values;
  guint      n;
} ValueSlots;

static void
value_slots_clear (ValueSlots *slots)
{
  free_values (slots->values, slots->n);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ValueSlots, value_slots_clear)

static GVariant *
decode_structure (BotoModelData   *data,
                  BotoShapeDef    *def,
                  BotoCborReader  *reader,
                  BotoCborHead    *head,
                  guint            depth,
                  GError         **error)
{
  g_auto(ValueSlots) slots = { g_new0 (GVariant *, def->n_members), def->n_members };
  g_autoptr(GByteArray) key = g_byte_array_new ();
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  gboolean is_union = boto_model_variant_get_boolean (def->definition, "union");
  guint n_set = 0;
  guint64 index = 0;
  gboolean failed = FALSE;

  if (head->major != BOTO_CBOR_MAJOR_MAP)
    {
      mismatch (def, head, error);
      return NULL;
    }
  if (!boto_cbor_reader_check_count (reader, head, error))
    return NULL;

  while (boto_cbor_reader_next_item (reader, head, &index, &failed, error))
    {
      gboolean is_text;
      BotoMemberDef *member;
      GVariant *value;

      if (!read_key (reader, key, &is_text, error))
        return NULL;
      if (boto_cbor_reader_peek_null (reader))
        continue;
      if (is_text && strcmp ((const char *) key->data, "__type") != 0)
        n_set++;
      member = is_text ? boto_shape_def_find_member (def, (const char *) key->data) : NULL;
      if (member == NULL)
        {
          if (!boto_cbor_reader_skip (reader, depth + 1, error))
            return NULL;
          continue;
        }
      value = decode_shape (data, boto_member_def_get_target (data, member), reader,
                            depth + 1, error);
      if (value == NULL)
        return NULL;
      g_clear_pointer (&slots.values[member - def->members], g_variant_unref);
      slots.values[member - def->members] = value;
    }
  if (failed)
    return NULL;

  if (is_union && n_set != 1)
    {
      g_set_error (error, BOTO_CBOR_ERROR, BOTO_CBOR_ERROR_TYPE_MISMATCH,
                   "Invalid service response: %s must have one and only one member set",
                   def->name);
      return NULL;
    }

  for (guint i = 0; i < def->n_members; i++)
    {
      GVariant *value = slots.values[i];

      if (value == NULL)
        continue;
      /* A document member is carried by the a{sv}'s own variant box. */
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_VARIANT))
        {
          g_autoptr(GVariant) inner = g_variant_get_variant (value);

          g_variant_builder_add (&builder, "{sv}", def->members[i].name, inner);
        }
      else
        g_variant_builder_add (&builder, "{sv}", def->members[i].name, value);
    }
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

static void
variant_unref0 (gpointer value)
{
  if (value != NULL)
    g_variant_unref (value);
}

static GVariant *
decode_list (BotoModelData   *data,
             BotoShapeDef    *def,
             BotoCborReader  *reader,
             BotoCborHead    *head,
             guint            depth,
             GError         **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (variant_unref0);
  g_autoptr(GVariantType) type = NULL;
  BotoShapeDef *item_def = member_target (data, def, 0);
  gboolean sparse = shape_is_sparse (def);
  g_autoptr(GByteArray) raw = NULL;
  char fixed;
  gboolean has_null = FALSE;
  guint64 index = 0;
  gboolean failed = FALSE;

  if (head->major != BOTO_CBOR_MAJOR_ARRAY)
    {
      mismatch (def, head, error);
      return NULL;
    }
  if (!boto_cbor_reader_check_count (reader, head, error))
    return NULL;

  fixed = sparse || item_def == NULL ? 0 : fixed_scalar_type (item_def);
  if (fixed != 0)
    raw = g_byte_array_new ();

  while (boto_cbor_reader_next_item (reader, head, &index, &failed, error))
    {
      GVariant *item = NULL;
      gboolean is_null = boto_cbor_reader_peek_null (reader);

      if (raw != NULL && !is_null)
        {
          FixedScalar value;

          if (!read_fixed_scalar (item_def, fixed, reader, &value, error))
            return NULL;
          g_byte_array_append (raw, (const guint8 *) &value, fixed_scalar_size (fixed));
          continue;
        }
      if (raw != NULL)
        {
          /* A null: the list becomes `av` after all, so box what came. */
          gsize size = fixed_scalar_size (fixed);

          for (gsize i = 0; i + size <= raw->len; i += size)
            {
              FixedScalar value;

              memcpy (&value, raw->data + i, size);
              g_ptr_array_add (items, fixed_scalar_variant (fixed, &value));
            }
          g_clear_pointer (&raw, g_byte_array_unref);
        }

      if (is_null)
        has_null = TRUE;
      else if ((item = decode_shape (data, item_def, reader, depth + 1, error)) == NULL)
        return NULL;
      g_ptr_array_add (items, item);
    }
  if (failed)
    return NULL;

  type = boto_rpcv2_cbor_shape_variant_type (data, def);
  if (raw != NULL)
    {
      gsize size = fixed_scalar_size (fixed);

      return g_variant_ref_sink (g_variant_new_fixed_array (g_variant_type_element (type), raw->data,
                                                            raw->len / size, size));
    }
  if (!has_null)
    {
      /* An item that is a list with a null in it is an `av`, which a typed
       * array cannot hold (the JSON reader refuses it too). */
      const GVariantType *item_type = g_variant_type_element (type);

      if (sparse)
        item_type = g_variant_type_element (item_type);
      for (guint i = 0; i < items->len; i++)
        if (!g_variant_is_of_type (items->pdata[i], item_type))
          {
            unexpected_value (def, items->pdata[i], error);
            return NULL;
          }
    }
  if (sparse)
    {
      const GVariantType *maybe_type = g_variant_type_element (type);
      const GVariantType *item_type = g_variant_type_element (maybe_type);
      g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (type);

      for (guint i = 0; i < items->len; i++)
        g_variant_builder_add_value (&builder, g_variant_new_maybe (item_type, items->pdata[i]));
      return g_variant_ref_sink (g_variant_builder_end (&builder));
    }
  if (has_null)
    {
      /* botocore keeps the None; a typed array cannot, so the list is `av`. */
      g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("av"));

      for (guint i = 0; i < items->len; i++)
        {
          GVariant *item = items->pdata[i];

          if (item == NULL)
            item = g_variant_new_maybe (G_VARIANT_TYPE_VARIANT, NULL);
          g_variant_builder_add (&builder, "v", item);
        }
      return g_variant_ref_sink (g_variant_builder_end (&builder));
    }
  return g_variant_ref_sink (g_variant_new_array (g_variant_type_element (type),
                                                  (GVariant **) items->pdata, items->len));
}

static GVariant *
decode_map (BotoModelData   *data,
            BotoShapeDef    *def,
            BotoCborReader  *reader,
            BotoCborHead    *head,
            guint            depth,
            GError         **error)
{
  g_autoptr(GByteArray) key = g_byte_array_new ();
  g_autoptr(GVariantType) type = boto_rpcv2_cbor_shape_variant_type (data, def);
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (type);
  BotoShapeDef *value_def = member_target (data, def, 1);
  gboolean sparse = shape_is_sparse (def);
  const GVariantType *value_type = g_variant_type_value (g_variant_type_element (type));
  guint64 index = 0;
  gboolean failed = FALSE;

  if (sparse)
    value_type = g_variant_type_element (value_type);
  if (head->major != BOTO_CBOR_MAJOR_MAP)
    {
      mismatch (def, head, error);
      return NULL;
    }
  if (!boto_cbor_reader_check_count (reader, head, error))
    return NULL;

  while (boto_cbor_reader_next_item (reader, head, &index, &failed, error))
    {
      gboolean is_text;
      g_autoptr(GVariant) value = NULL;
      GVariant *entry_value;

      if (!read_key (reader, key, &is_text, error))
        return NULL;
      if (!is_text)
        {
          g_set_error (error, BOTO_CBOR_ERROR, BOTO_CBOR_ERROR_TYPE_MISMATCH,
                       "Non-text key in the CBOR map of shape %s", def->name);
          return NULL;
        }
      if (boto_cbor_reader_peek_null (reader))
        {
          /* botocore drops null map values; a sparse map keeps them. */
          if (sparse)
            {
              const GVariantType *maybe_type = g_variant_type_value (g_variant_type_element (type));

              g_variant_builder_add (&builder, "{s@*}", (const char *) key->data,
                                     g_variant_new_maybe (g_variant_type_element (maybe_type), NULL));
            }
          continue;
        }
      value = decode_shape (data, value_def, reader, depth + 1, error);
      if (value == NULL)
        return NULL;
      if (!g_variant_is_of_type (value, value_type))
        {
          unexpected_value (def, value, error);
          return NULL;
        }
      entry_value = sparse ? g_variant_new_maybe (NULL, value) : value;
      g_variant_builder_add_value (&builder,
                                   g_variant_new_dict_entry (g_variant_new_string ((const char *) key->data),
                                                             entry_value));
    }
  if (failed)
    return NULL;
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

static GVariant *
decode_shape (BotoModelData   *data,
              BotoShapeDef    *def,
              BotoCborReader  *reader,
              guint            depth,
              GError         **error)
{
  BotoCborHead head;

  if (depth > BOTO_CBOR_MAX_DEPTH)
    {
      g_set_error (error, BOTO_CBOR_ERROR, BOTO_CBOR_ERROR_TOO_DEEP,
                   "CBOR items nest deeper than %u levels", BOTO_CBOR_MAX_DEPTH);
      return NULL;
    }

  if (shape_is_document (def))
    {
      g_autoptr(GVariant) value = boto_cbor_reader_read_variant (reader, depth, error);

      if (value == NULL)
        return NULL;
      return g_variant_ref_sink (g_variant_new_variant (value));
    }

  if (!boto_cbor_reader_read_head (reader, &head, error))
    return NULL;

  switch (def->type)
    {
    case BOTO_SHAPE_TYPE_STRUCTURE:
      return decode_structure (data, def, reader, &head, depth, error);
    case BOTO_SHAPE_TYPE_LIST:
      return decode_list (data, def, reader, &head, depth, error);
    case BOTO_SHAPE_TYPE_MAP:
      return decode_map (data, def, reader, &head, depth, error);

    case BOTO_SHAPE_TYPE_STRING:
    case BOTO_SHAPE_TYPE_CHARACTER:
    case BOTO_SHAPE_TYPE_BLOB:
      {
        g_autoptr(GByteArray) buffer = g_byte_array_new ();

        if (head.major != BOTO_CBOR_MAJOR_TEXT &&
            !(head.major == BOTO_CBOR_MAJOR_BYTES && def->type == BOTO_SHAPE_TYPE_BLOB))
          {
            mismatch (def, &head, error);
            return NULL;
          }
        if (!boto_cbor_reader_read_string (reader, &head, buffer, error))
          return NULL;
        if (def->type == BOTO_SHAPE_TYPE_BLOB)
          {
            g_autoptr(GBytes) bytes = g_byte_array_free_to_bytes (g_steal_pointer (&buffer));

            return g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING,
                                                                 bytes, TRUE));
          }
        g_byte_array_append (buffer, (const guint8 *) "", 1);
        return g_variant_ref_sink (g_variant_new_string ((const char *) buffer->data));
      }

    case BOTO_SHAPE_TYPE_INTEGER:
    case BOTO_SHAPE_TYPE_BYTE:
    case BOTO_SHAPE_TYPE_SHORT:
    case BOTO_SHAPE_TYPE_LONG:
      {
        gboolean is_long = def->type == BOTO_SHAPE_TYPE_LONG;
        gint64 value;

        if (!read_integer (def, &head, is_long ? G_MININT64 : G_MININT32,
                           is_long ? G_MAXINT64 : G_MAXINT32, &value, error))
          return NULL;
        return g_variant_ref_sink (is_long ? g_variant_new_int64 (value)
                                           : g_variant_new_int32 ((gint32) value));
      }

    case BOTO_SHAPE_TYPE_FLOAT:
    case BOTO_SHAPE_TYPE_DOUBLE:
      {
        double value;

        if (!read_number (def, &head, &value, error))
          return NULL;
        return g_variant_ref_sink (g_variant_new_double (value));
      }

    case BOTO_SHAPE_TYPE_BOOLEAN:
      if (head.major != BOTO_CBOR_MAJOR_SIMPLE || (head.info != 20 && head.info != 21))
        {
          mismatch (def, &head, error);
          return NULL;
        }
      return g_variant_ref_sink (g_variant_new_boolean (head.info == 21));

    case BOTO_SHAPE_TYPE_TIMESTAMP:
      return decode_timestamp (def, reader, &head, error);

    default:
      mismatch (def, &head, error);
      return NULL;
    }
}

/*
 * boto_rpcv2_cbor_decode_shape:
 * @data: the model @shape belongs to
 * @shape: the shape to decode against (usually an output or error structure)
 * @body: (array length=length): one CBOR data item
 * @length: its length; an empty body of a structure decodes as `{}`
 * @error: return location for a BOTO_CBOR_ERROR
 *
 * Decodes @body straight into the typed value of @shape, without building
 * the generic mirror first.
 *
 * Returns: (transfer full): the value (non-floating), or %NULL with @error set
 */
GVariant *
boto_rpcv2_cbor_decode_shape (BotoModelData  *data,
                              BotoShapeDef   *shape,
                              const guint8   *body,
                              gsize           length,
                              GError        **error)
{
  BotoCborReader reader;
  g_autoptr(GVariant) value = NULL;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (shape != NULL, NULL);

  if (length == 0 && shape->type == BOTO_SHAPE_TYPE_STRUCTURE)
    return g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));

  boto_cbor_reader_init (&reader, body, length);
  value = decode_shape (data, shape, &reader, 0, error);
  if (value == NULL)
    return NULL;
  if (!boto_cbor_reader_at_end (&reader))
    {
      g_set_error (error, BOTO_CBOR_ERROR, BOTO_CBOR_ERROR_UNSUPPORTED,
                   "Trailing data after the CBOR body");
      return NULL;
    }
  return g_steal_pointer (&value);
}

/* ---- encoding against a shape ----------------------------------------- */

static gboolean
invalid_param (GError    **error,
               const char *where,
               const char *format,
               ...) G_GNUC_PRINTF (3, 4);

static gboolean
invalid_param (GError    **error,
               const char *where,
               const char *format,
               ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
               "Invalid type for parameter %s: %s", where, message);
  return FALSE;
}

/* Takes the value out of variant boxes and maybes; NULL for a null. */
static GVariant *
unwrap (GVariant *value)
{
  g_autoptr(GVariant) current = g_variant_ref (value);

  for (;;)
    {
      if (g_variant_is_of_type (current, G_VARIANT_TYPE_VARIANT))
        {
          GVariant *inner = g_variant_get_variant (current);

          g_variant_unref (current);
          current = inner;
        }
      else if (g_variant_is_of_type (current, G_VARIANT_TYPE_MAYBE))
        {
          GVariant *inner = g_variant_get_maybe (current);

          g_variant_unref (current);
          current = inner;
          if (current == NULL)
            return NULL;
        }
      else
        return g_steal_pointer (&current);
    }
}

static gboolean
get_integer (GVariant   *value,
             gint64     *out)
{
  switch (g_variant_classify (value))
    {
    case G_VARIANT_CLASS_BYTE:   *out = g_variant_get_byte (value); return TRUE;
    case G_VARIANT_CLASS_INT16:  *out = g_variant_get_int16 (value); return TRUE;
    case G_VARIANT_CLASS_UINT16: *out = g_variant_get_uint16 (value); return TRUE;
    case G_VARIANT_CLASS_INT32:  *out = g_variant_get_int32 (value); return TRUE;
    case G_VARIANT_CLASS_UINT32: *out = g_variant_get_uint32 (value); return TRUE;
    case G_VARIANT_CLASS_INT64:  *out = g_variant_get_int64 (value); return TRUE;
    case G_VARIANT_CLASS_UINT64:
      if (g_variant_get_uint64 (value) > G_MAXINT64)
        return FALSE;
      *out = (gint64) g_variant_get_uint64 (value);
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean encode_shape (BotoCborWriter *writer, BotoModelData *data, BotoShapeDef *def,
                              GVariant *value, const char *where, guint depth, GError **error);

static gboolean
encode_timestamp (BotoCborWriter  *writer,
                  GVariant        *value,
                  const char      *where,
                  GError         **error)
{
  gint64 micros;

  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    {
      double seconds = g_variant_get_double (value);

      if (!isfinite (seconds))
        return invalid_param (error, where, "timestamp is not finite");
      boto_cbor_write_head (writer, BOTO_CBOR_MAJOR_TAG, 1);
      if (seconds == floor (seconds) && fabs (seconds) < 9.2e18)
        boto_cbor_write_int (writer, (gint64) seconds);
      else
        boto_cbor_write_float64 (writer, seconds);
      return TRUE;
    }
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (g_variant_get_string (value, NULL), utc);

      if (dt == NULL)
        return invalid_param (error, where, "not an ISO 8601 timestamp");
      micros = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
    }
  else if (!get_integer (value, &micros))
    return invalid_param (error, where, "expected a timestamp (x, d or s), got %s",
                          g_variant_get_type_string (value));

  boto_cbor_write_head (writer, BOTO_CBOR_MAJOR_TAG, 1);
  if (micros % G_USEC_PER_SEC == 0)
    boto_cbor_write_int (writer, micros / G_USEC_PER_SEC);
  else
    boto_cbor_write_float64 (writer, (double) micros / G_USEC_PER_SEC);
  return TRUE;
}

static gboolean
encode_structure (BotoCborWriter  *writer,
                  BotoModelData   *data,
                  BotoShapeDef    *def,
                  GVariant        *value,
                  const char      *where,
                  guint            depth,
                  GError         **error)
{
  GVariantIter iter;
  const char *name;
  GVariant *child;
  guint64 n = 0;

  if (!g_variant_is_of_type (value, G_VARIANT_TYPE_VARDICT))
    return invalid_param (error, where, "expected a structure (a{sv}), got %s",
                          g_variant_get_type_string (value));

  /* First pass: check names and count the members that are not null. */
  g_variant_iter_init (&iter, value);
  while (g_variant_iter_loop (&iter, "{&sv}", &name, &child))
    {
      g_autoptr(GVariant) inner = unwrap (child);

      if (boto_shape_def_find_member (def, name) == NULL)
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                       "Unknown parameter in %s: \"%s\", must be one of the members of %s",
                       where, name, def->name);
          g_variant_unref (child);
          return FALSE;
        }
      if (inner != NULL)
        n++;
    }

  boto_cbor_write_head (writer, BOTO_CBOR_MAJOR_MAP, n);
  g_variant_iter_init (&iter, value);
  while (g_variant_iter_loop (&iter, "{&sv}", &name, &child))
    {
      g_autoptr(GVariant) inner = unwrap (child);
      BotoMemberDef *member = boto_shape_def_find_member (def, name);
      const char *wire_name;
      g_autofree char *child_where = NULL;

      if (inner == NULL)
        continue;
      wire_name = boto_model_variant_get_string (member->traits, "locationName");
      boto_cbor_write_text (writer, wire_name != NULL ? wire_name : name, -1);
      child_where = g_strconcat (where, ".", name, NULL);
      if (!encode_shape (writer, data, boto_member_def_get_target (data, member), inner,
                         child_where, depth + 1, error))
        {
          g_variant_unref (child);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
encode_shape (BotoCborWriter  *writer,
              BotoModelData   *data,
              BotoShapeDef    *def,
              GVariant        *value,
              const char      *where,
              guint            depth,
              GError         **error)
{
  gint64 integer;

  if (depth > BOTO_CBOR_MAX_DEPTH)
    return invalid_param (error, where, "nested deeper than %u levels", BOTO_CBOR_MAX_DEPTH);

  if (shape_is_document (def))
    return boto_cbor_write_variant (writer, value, error);

  switch (def->type)
    {
    case BOTO_SHAPE_TYPE_STRUCTURE:
      return encode_structure (writer, data, def, value, where, depth, error);

    case BOTO_SHAPE_TYPE_LIST:
      {
        BotoShapeDef *item_def = member_target (data, def, 0);
        gsize n;

        if (!g_variant_is_container (value) ||
            g_variant_is_of_type (value, G_VARIANT_TYPE_DICTIONARY) ||
            !g_variant_type_is_array (g_variant_get_type (value)))
          return invalid_param (error, where, "expected a list, got %s",
                                g_variant_get_type_string (value));
        n = g_variant_n_children (value);
        boto_cbor_write_head (writer, BOTO_CBOR_MAJOR_ARRAY, n);
        for (gsize i = 0; i < n; i++)
          {
            g_autoptr(GVariant) child = g_variant_get_child_value (value, i);
            g_autoptr(GVariant) inner = unwrap (child);
            g_autofree char *child_where = g_strdup_printf ("%s[%" G_GSIZE_FORMAT "]", where, i);

            if (inner == NULL)
              boto_cbor_write_null (writer);
            else if (!encode_shape (writer, data, item_def, inner, child_where, depth + 1, error))
              return FALSE;
          }
        return TRUE;
      }

    case BOTO_SHAPE_TYPE_MAP:
      {
        BotoShapeDef *value_def = member_target (data, def, 1);
        gsize n;

        if (!g_variant_is_of_type (value, G_VARIANT_TYPE ("a{s*}")))
          return invalid_param (error, where, "expected a map (a{sv} or a{sT}), got %s",
                                g_variant_get_type_string (value));
        n = g_variant_n_children (value);
        boto_cbor_write_head (writer, BOTO_CBOR_MAJOR_MAP, n);
        for (gsize i = 0; i < n; i++)
          {
            g_autoptr(GVariant) entry = g_variant_get_child_value (value, i);
            g_autoptr(GVariant) key = g_variant_get_child_value (entry, 0);
            g_autoptr(GVariant) child = g_variant_get_child_value (entry, 1);
            g_autoptr(GVariant) inner = unwrap (child);
            gsize key_len;
            const char *key_str = g_variant_get_string (key, &key_len);
            g_autofree char *child_where = g_strdup_printf ("%s.%s", where, key_str);

            boto_cbor_write_text (writer, key_str, key_len);
            if (inner == NULL)
              boto_cbor_write_null (writer);
            else if (!encode_shape (writer, data, value_def, inner, child_where, depth + 1, error))
              return FALSE;
          }
        return TRUE;
      }

    case BOTO_SHAPE_TYPE_STRING:
    case BOTO_SHAPE_TYPE_CHARACTER:
      {
        gsize len;
        const char *s;

        if (!g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
          return invalid_param (error, where, "expected a string (s), got %s",
                                g_variant_get_type_string (value));
        s = g_variant_get_string (value, &len);
        boto_cbor_write_text (writer, s, len);
        return TRUE;
      }

    case BOTO_SHAPE_TYPE_BLOB:
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_BYTESTRING))
        boto_cbor_write_bytes (writer, g_variant_get_data (value), g_variant_get_size (value));
      else if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        {
          gsize len;
          const char *s = g_variant_get_string (value, &len);

          boto_cbor_write_bytes (writer, (const guint8 *) s, len);
        }
      else
        return invalid_param (error, where, "expected bytes (ay or s), got %s",
                              g_variant_get_type_string (value));
      return TRUE;

    case BOTO_SHAPE_TYPE_INTEGER:
    case BOTO_SHAPE_TYPE_BYTE:
    case BOTO_SHAPE_TYPE_SHORT:
    case BOTO_SHAPE_TYPE_LONG:
      if (!get_integer (value, &integer))
        return invalid_param (error, where, "expected an integer, got %s",
                              g_variant_get_type_string (value));
      if (def->type != BOTO_SHAPE_TYPE_LONG && (integer < G_MININT32 || integer > G_MAXINT32))
        return invalid_param (error, where, "%" G_GINT64_FORMAT " is out of range", integer);
      boto_cbor_write_int (writer, integer);
      return TRUE;

    case BOTO_SHAPE_TYPE_FLOAT:
    case BOTO_SHAPE_TYPE_DOUBLE:
      {
        double d;

        if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
          d = g_variant_get_double (value);
        else if (get_integer (value, &integer))
          d = (double) integer;
        else
          return invalid_param (error, where, "expected a number (d or an integer), got %s",
                                g_variant_get_type_string (value));
        if (def->type == BOTO_SHAPE_TYPE_FLOAT)
          boto_cbor_write_float32 (writer, d);
        else
          boto_cbor_write_float64 (writer, d);
        return TRUE;
      }

    case BOTO_SHAPE_TYPE_BOOLEAN:
      if (!g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
        return invalid_param (error, where, "expected a boolean (b), got %s",
                              g_variant_get_type_string (value));
      boto_cbor_write_bool (writer, g_variant_get_boolean (value));
      return TRUE;

    case BOTO_SHAPE_TYPE_TIMESTAMP:
      return encode_timestamp (writer, value, where, error);

    default:
      return invalid_param (error, where, "shape %s has an unsupported type", def->name);
    }
}

/*
 * boto_rpcv2_cbor_encode_shape:
 * @data: the model @shape belongs to
 * @shape: the shape of @value
 * @value: the value, following the "accepted in" column of DESIGN.md
 *   (nulls — `mv` nothing — are left out of structures and written as CBOR
 *   null in lists and maps)
 * @error: return location for a BOTO_CLIENT_ERROR_PARAM_VALIDATION error
 *
 * Encodes @value as botocore's CBOR serializer does: definite lengths,
 * shortest integer heads, float shapes as float32 and double shapes as
 * float64 (infinities and NaN as half floats), timestamps as tag 1 with
 * integer epoch seconds (float64 when there are fractions of a second),
 * blobs as byte strings, structure keys by their `locationName` if any.
 *
 * Returns: (transfer full): the CBOR bytes, or %NULL with @error set
 */
GBytes *
boto_rpcv2_cbor_encode_shape (BotoModelData  *data,
                              BotoShapeDef   *shape,
                              GVariant       *value,
                              GError        **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  BotoCborWriter writer;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (shape != NULL, NULL);
  g_return_val_if_fail (value != NULL, NULL);

  boto_cbor_writer_init (&writer, out);
  if (!encode_shape (&writer, data, shape, value, "params", 0, error))
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* ---- requests ------------------------------------------------------- */

void
boto_rpcv2_cbor_request_free (BotoRpcv2CborRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->method);
  g_free (request->path);
  g_clear_pointer (&request->headers, soup_message_headers_unref);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request);
}

static gboolean
shape_has_event_stream (BotoModelData *data,
                        BotoShapeDef  *def)
{
  if (def == NULL || def->type != BOTO_SHAPE_TYPE_STRUCTURE)
    return FALSE;
  for (guint i = 0; i < def->n_members; i++)
    {
      BotoShapeDef *target = boto_member_def_get_target (data, &def->members[i]);

      if (target != NULL && boto_model_variant_get_boolean (target->definition, "eventstream"))
        return TRUE;
    }
  return FALSE;
}

static char *
service_target (BotoServiceModel *service)
{
  const char *prefix = boto_service_model_get_target_prefix (service);
  const char *service_id;
  GString *out;

  if (prefix != NULL && *prefix != '\0')
    return g_strdup (prefix);

  /* Without a targetPrefix, the Smithy service name is the serviceId
   * without its spaces. */
  service_id = boto_service_model_get_service_id (service);
  if (service_id == NULL || *service_id == '\0')
    return NULL;
  out = g_string_new (NULL);
  for (const char *p = service_id; *p != '\0'; p++)
    if (*p != ' ')
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

/*
 * boto_rpcv2_cbor_serialize_request:
 * @service: the service model
 * @operation: one of its operations
 * @params: (nullable): the operation's input, `a{sv}`
 * @error: return location for a BOTO_CLIENT_ERROR
 *
 * Serializes a call of @operation as botocore's RpcV2CBORSerializer does.
 * Parameters are checked only as far as encoding needs (types and member
 * names); full validation belongs to the client layer.
 *
 * Returns: (transfer full): the request parts, or %NULL with @error set
 */
BotoRpcv2CborRequest *
boto_rpcv2_cbor_serialize_request (BotoServiceModel    *service,
                                   BotoOperationModel  *operation,
                                   GVariant            *params,
                                   GError             **error)
{
  g_autoptr(BotoRpcv2CborRequest) request = NULL;
  BotoModelData *data;
  BotoOperationDef *op_def;
  BotoShapeDef *input = NULL;
  BotoShapeDef *output = NULL;
  g_autofree char *target = NULL;
  g_autoptr(GVariant) query_compatible = NULL;

  g_return_val_if_fail (BOTO_IS_SERVICE_MODEL (service), NULL);
  g_return_val_if_fail (BOTO_IS_OPERATION_MODEL (operation), NULL);
  g_return_val_if_fail (params == NULL || g_variant_is_of_type (params, G_VARIANT_TYPE_VARDICT), NULL);

  data = boto_service_model_get_data (service);
  op_def = boto_operation_model_get_def (operation);

  target = service_target (service);
  if (target == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                   "The service model has neither targetPrefix nor serviceId");
      return NULL;
    }

  request = g_new0 (BotoRpcv2CborRequest, 1);
  request->method = g_strdup ("POST");
  request->path = g_strdup_printf ("/service/%s/operation/%s", target, op_def->name);
  request->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);

  if (op_def->input.shape_name != NULL)
    input = boto_member_def_get_target (data, &op_def->input);
  if (op_def->output.shape_name != NULL)
    output = boto_member_def_get_target (data, &op_def->output);

  if (input != NULL)
    {
      g_autoptr(GVariant) empty = NULL;

      if (params == NULL)
        params = empty = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
      request->body = boto_rpcv2_cbor_encode_shape (data, input, params, error);
      if (request->body == NULL)
        return NULL;
    }
  else
    request->body = g_bytes_new (NULL, 0);

  soup_message_headers_append (request->headers, "smithy-protocol", "rpc-v2-cbor");
  query_compatible = boto_model_variant_lookup (boto_service_model_get_metadata (service),
                                                "awsQueryCompatible");
  if (query_compatible != NULL)
    soup_message_headers_append (request->headers, "x-amzn-query-mode", "true");
  soup_message_headers_append (request->headers, "Accept",
                               shape_has_event_stream (data, output) ?
                               "application/vnd.amazon.eventstream" : "application/cbor");
  if (g_bytes_get_size (request->body) > 0)
    soup_message_headers_append (request->headers, "Content-Type",
                                 shape_has_event_stream (data, input) ?
                                 "application/vnd.amazon.eventstream" : "application/cbor");

  return g_steal_pointer (&request);
}

/* ---- responses ------------------------------------------------------ */

static GVariant *
response_metadata (guint               status,
                   SoupMessageHeaders *headers)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_auto(GVariantBuilder) http = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{ss}"));
  const char *request_id = NULL;

  if (headers != NULL)
    {
      g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      SoupMessageHeadersIter iter;
      const char *name;
      const char *value;

      request_id = soup_message_headers_get_one (headers, "x-amzn-requestid");
      soup_message_headers_iter_init (&iter, headers);
      while (soup_message_headers_iter_next (&iter, &name, &value))
        {
          char *lower = g_ascii_strdown (name, -1);

          if (!g_hash_table_add (seen, lower))
            continue;
          g_variant_builder_add (&http, "{ss}", lower,
                                 soup_message_headers_get_list (headers, name));
        }
    }

  if (request_id != NULL)
    g_variant_builder_add (&builder, "{sv}", "RequestId", g_variant_new_string (request_id));
  g_variant_builder_add (&builder, "{sv}", "HTTPStatusCode", g_variant_new_int32 ((gint32) status));
  g_variant_builder_add (&builder, "{sv}", "HTTPHeaders", g_variant_builder_end (&http));
  return g_variant_builder_end (&builder);
}

static BotoShapeDef *
find_error_shape (BotoModelData      *data,
                  BotoOperationModel *operation,
                  const char         *code,
                  const char         *query_code)
{
  g_auto(GStrv) names = boto_operation_model_get_error_names (operation);
  BotoShapeDef *def;

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autoptr(GVariant) error_trait = NULL;
      const char *modeled_code = NULL;

      def = boto_model_data_lookup_shape (data, names[i]);
      if (def == NULL)
        continue;
      error_trait = boto_model_variant_lookup (def->definition, "error");
      if (error_trait != NULL && g_variant_is_of_type (error_trait, G_VARIANT_TYPE_VARDICT))
        modeled_code = boto_model_variant_get_string (error_trait, "code");
      if ((modeled_code != NULL && g_strcmp0 (modeled_code, code) == 0) ||
          g_strcmp0 (def->name, code) == 0 ||
          (query_code != NULL && g_strcmp0 (def->name, query_code) == 0))
        return def;
    }

  /* Not listed on the operation: any exception shape of that name. */
  def = boto_model_data_lookup_shape (data, query_code != NULL ? query_code : code);
  if (def != NULL && def->type == BOTO_SHAPE_TYPE_STRUCTURE &&
      boto_model_variant_get_boolean (def->definition, "exception"))
    return def;
  return NULL;
}

static const char *
lookup_text (GVariant   *dict,
             const char *key)
{
  g_autoptr(GVariant) value = NULL;

  if (dict == NULL || !g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT))
    return NULL;
  value = g_variant_lookup_value (dict, key, G_VARIANT_TYPE_STRING);
  if (value == NULL)
    return NULL;
  /* Borrowed from @dict's serialized data, which outlives the caller's use. */
  return g_variant_get_string (value, NULL);
}

static GVariant *
parse_error (BotoServiceModel    *service,
             BotoOperationModel  *operation,
             guint                status,
             SoupMessageHeaders  *headers,
             GBytes              *body,
             GError             **error)
{
  BotoModelData *data = boto_service_model_get_data (service);
  gsize length = 0;
  const guint8 *bytes = body != NULL ? g_bytes_get_data (body, &length) : NULL;
  g_autoptr(GVariant) generic = NULL;
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_auto(GVariantBuilder) error_dict = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_autofree char *code = NULL;
  g_autofree char *query_code = NULL;
  const char *message = NULL;
  const char *type_code;
  const char *query_error;
  gsize start = 0;

  /* A proxy's or load balancer's page instead of a protocol error. */
  while (start < length && g_ascii_isspace (bytes[start]))
    start++;
  if (status >= 500 && (start == length ||
                        (length - start >= 6 && memcmp (bytes + start, "<html>", 6) == 0)))
    {
      const char *phrase = soup_status_get_phrase (status);

      g_variant_builder_add (&error_dict, "{sv}", "Code",
                             g_variant_new_take_string (g_strdup_printf ("%u", status)));
      g_variant_builder_add (&error_dict, "{sv}", "Message",
                             g_variant_new_string (phrase != NULL ? phrase : ""));
      g_variant_builder_add (&builder, "{sv}", "Error", g_variant_builder_end (&error_dict));
      g_variant_builder_add (&builder, "{sv}", "ResponseMetadata",
                             response_metadata (status, headers));
      return g_variant_ref_sink (g_variant_builder_end (&builder));
    }

  if (length > 0)
    {
      generic = boto_cbor_decode (bytes, length, error);
      if (generic == NULL)
        return NULL;
    }

  type_code = lookup_text (generic, "__type");
  message = lookup_text (generic, "message");
  if (message == NULL)
    message = lookup_text (generic, "Message");

  if (type_code != NULL)
    {
      const char *colon = strchr (type_code, ':');
      g_autofree char *head = colon != NULL ? g_strndup (type_code, colon - type_code)
                                            : g_strdup (type_code);
      const char *hash = strrchr (head, '#');

      code = g_strdup (hash != NULL ? hash + 1 : head);
    }
  else
    code = g_strdup_printf ("%u", status);

  query_error = headers != NULL ? soup_message_headers_get_one (headers, "x-amzn-query-error") : NULL;
  if (query_error != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (query_error, ";", -1);

      if (g_strv_length (parts) == 2 && parts[0][0] != '\0')
        {
          query_code = g_steal_pointer (&code);
          code = g_strdup (parts[0]);
          g_variant_builder_add (&error_dict, "{sv}", "QueryErrorCode",
                                 g_variant_new_string (query_code));
          g_variant_builder_add (&error_dict, "{sv}", "Type", g_variant_new_string (parts[1]));
        }
    }

  g_variant_builder_add (&error_dict, "{sv}", "Code", g_variant_new_string (code));
  g_variant_builder_add (&error_dict, "{sv}", "Message",
                         g_variant_new_string (message != NULL ? message : ""));
  g_variant_builder_add (&builder, "{sv}", "Error", g_variant_builder_end (&error_dict));

  if (length > 0)
    {
      BotoShapeDef *error_shape = find_error_shape (data, operation, code, query_code);

      if (error_shape != NULL)
        {
          g_autoptr(GError) local_error = NULL;
          g_autoptr(GVariant) modeled = boto_rpcv2_cbor_decode_shape (data, error_shape, bytes,
                                                                      length, &local_error);

          if (modeled != NULL)
            {
              GVariantIter iter;
              const char *name;
              GVariant *value;

              g_variant_iter_init (&iter, modeled);
              while (g_variant_iter_loop (&iter, "{&sv}", &name, &value))
                if (strcmp (name, "Error") != 0 && strcmp (name, "ResponseMetadata") != 0)
                  g_variant_builder_add (&builder, "{sv}", name, value);
            }
          else
            g_debug ("Could not parse the modeled fields of %s: %s",
                     error_shape->name, local_error->message);
        }
    }

  g_variant_builder_add (&builder, "{sv}", "ResponseMetadata", response_metadata (status, headers));
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

/*
 * boto_rpcv2_cbor_parse_response:
 * @service: the service model
 * @operation: the operation that was called
 * @status: the HTTP status code
 * @headers: (nullable): the response headers
 * @body: (nullable): the response body
 * @is_error: (out) (optional): set to whether the response is an error
 *   (status 301 or above, as in botocore)
 * @error: return location for a BOTO_CBOR_ERROR when the body is malformed
 *   or does not fit the output shape
 *
 * Parses a response: the output structure with `ResponseMetadata`, or for
 * an error the `Error`/`ResponseMetadata` dictionary described at the top
 * of this header, with the modeled error's members merged in.
 *
 * Returns: (transfer full): an `a{sv}`, or %NULL with @error set
 */
GVariant *
boto_rpcv2_cbor_parse_response (BotoServiceModel    *service,
                                BotoOperationModel  *operation,
                                guint                status,
                                SoupMessageHeaders  *headers,
                                GBytes              *body,
                                gboolean            *is_error,
                                GError             **error)
{
  BotoModelData *data;
  BotoOperationDef *op_def;
  g_autoptr(GVariant) parsed = NULL;
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_autoptr(SoupMessageHeaders) utf8_headers = NULL;
  gsize n;

  g_return_val_if_fail (BOTO_IS_SERVICE_MODEL (service), NULL);
  g_return_val_if_fail (BOTO_IS_OPERATION_MODEL (operation), NULL);

  if (headers != NULL)
    headers = utf8_headers = boto_protocol_utf8_headers (headers);

  if (is_error != NULL)
    *is_error = status >= 301;
  if (status >= 301)
    return parse_error (service, operation, status, headers, body, error);

  data = boto_service_model_get_data (service);
  op_def = boto_operation_model_get_def (operation);
  if (op_def->output.shape_name != NULL)
    {
      BotoShapeDef *output = boto_member_def_get_target (data, &op_def->output);
      gsize length = 0;
      const guint8 *bytes = body != NULL ? g_bytes_get_data (body, &length) : NULL;

      if (output == NULL)
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                       "Unknown output shape %s", op_def->output.shape_name);
          return NULL;
        }
      parsed = boto_rpcv2_cbor_decode_shape (data, output, bytes, length, error);
      if (parsed == NULL)
        {
          g_prefix_error (error, "Unable to parse the HTTP %u response to %s: ",
                          status, boto_operation_model_get_name (operation));
          return NULL;
        }
      if (!g_variant_is_of_type (parsed, G_VARIANT_TYPE_VARDICT))
        {
          g_set_error (error, BOTO_CBOR_ERROR, BOTO_CBOR_ERROR_TYPE_MISMATCH,
                       "The output shape %s is not a structure", output->name);
          return NULL;
        }
      /* The parsed entries are taken whole: unpacking each one with a
       * format string would serialize the values it boxes. */
      n = g_variant_n_children (parsed);
      for (gsize i = 0; i < n; i++)
        g_variant_builder_add_value (&builder, g_variant_get_child_value (parsed, i));
    }

  g_variant_builder_add (&builder, "{sv}", "ResponseMetadata", response_metadata (status, headers));
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}
