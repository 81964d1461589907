/* boto-protocol-value.c: reading lenient input values, formatting them
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boto-protocol-value-private.h"

/* Returns a borrowed pointer: either @value or a child that lives as long as
 * it (GVariant children of serialized or tree variants stay valid while the
 * container lives; the caller must not keep it beyond that). To keep it
 * simple the unwrapped values are cached on the container by reference:
 * callers get a new reference they must drop. */
GVariant *
boto_value_unwrap (GVariant *value)
{
  GVariantClass klass;

  return boto_value_unwrap_class (value, &klass);
}

/* The same, with the class of the result in *@klass_out (0 for NULL): a
 * result of class maybe is null. */
GVariant *
boto_value_unwrap_class (GVariant      *value,
                         GVariantClass *klass_out)
{
  const char *type;
  GVariant *result;

  if (value == NULL)
    {
      *klass_out = 0;
      return NULL;
    }
  result = boto_value_unwrap_type (value, &type);
  *klass_out = (GVariantClass) type[0];
  return result;
}

/* One type query per level: most values are plain or wrapped once, and
 * no reference is taken and dropped on the way. */
GVariant *
boto_value_unwrap_type (GVariant    *value,
                        const char **type_out)
{
  return boto_value_unwrap_known (value, g_variant_get_type_string (value), type_out);
}

GVariant *
boto_value_unwrap_known (GVariant    *value,
                         const char  *type,
                         const char **type_out)
{
  GVariant *current;

  if (type[0] != 'v' && !(type[0] == 'm' && g_variant_n_children (value) == 1))
    {
      *type_out = type;
      return g_variant_ref (value);
    }

  current = g_variant_get_child_value (value, 0);
  for (;;)
    {
      type = g_variant_get_type_string (current);
      if (type[0] == 'v' || (type[0] == 'm' && g_variant_n_children (current) == 1))
        {
          GVariant *inner = g_variant_get_child_value (current, 0);

          g_variant_unref (current);
          current = inner;
        }
      else
        {
          *type_out = type;
          return current;
        }
    }
}

gboolean
boto_value_is_null (GVariant *value)
{
  return value == NULL ||
         (g_variant_classify (value) == G_VARIANT_CLASS_MAYBE &&
          g_variant_n_children (value) == 0);
}

gboolean
boto_value_is_null_deep (GVariant *value)
{
  GVariantClass klass;
  g_autoptr(GVariant) inner = NULL;

  if (value == NULL)
    return TRUE;
  klass = g_variant_classify (value);
  if (klass != G_VARIANT_CLASS_VARIANT && klass != G_VARIANT_CLASS_MAYBE)
    return FALSE;
  inner = boto_value_unwrap (value);
  return boto_value_is_null (inner);
}

gboolean
boto_value_is_integer (GVariant *value)
{
  switch (g_variant_classify (value))
    {
    case G_VARIANT_CLASS_BYTE:
    case G_VARIANT_CLASS_INT16:
    case G_VARIANT_CLASS_UINT16:
    case G_VARIANT_CLASS_INT32:
    case G_VARIANT_CLASS_UINT32:
    case G_VARIANT_CLASS_INT64:
    case G_VARIANT_CLASS_UINT64:
      return TRUE;
    default:
      return FALSE;
    }
}

/* FALSE if @value is not an integer; *overflow set when it is a uint64
 * beyond G_MAXINT64 (*out is then G_MAXINT64). */
gboolean
boto_value_get_int64 (GVariant *value,
                      gint64   *out,
                      gboolean *overflow)
{
  return boto_value_get_int64_class (value, g_variant_classify (value), out, overflow);
}

/* The number read from the data as g_variant_get_int64() and its kin do
 * (no data: 0), without their type check: @klass is the type. */
#define READ_NUMBER(ctype) \
  G_STMT_START { \
    const void *data = g_variant_get_data (value); \
    ctype n = 0; \
    if (data != NULL) \
      memcpy (&n, data, sizeof n); \
    *out = (gint64) n; \
  } G_STMT_END

gboolean
boto_value_get_int64_class (GVariant      *value,
                            GVariantClass  klass,
                            gint64        *out,
                            gboolean      *overflow)
{
  *overflow = FALSE;
  switch (klass)
    {
    case G_VARIANT_CLASS_BYTE:
      READ_NUMBER (guint8);
      return TRUE;
    case G_VARIANT_CLASS_INT16:
      READ_NUMBER (gint16);
      return TRUE;
    case G_VARIANT_CLASS_UINT16:
      READ_NUMBER (guint16);
      return TRUE;
    case G_VARIANT_CLASS_INT32:
      READ_NUMBER (gint32);
      return TRUE;
    case G_VARIANT_CLASS_UINT32:
      READ_NUMBER (guint32);
      return TRUE;
    case G_VARIANT_CLASS_INT64:
      READ_NUMBER (gint64);
      return TRUE;
    case G_VARIANT_CLASS_UINT64:
      {
        guint64 u = g_variant_get_uint64 (value);

        if (u > G_MAXINT64)
          {
            *overflow = TRUE;
            *out = G_MAXINT64;
          }
        else
          *out = (gint64) u;
        return TRUE;
      }
    default:
      return FALSE;
    }
}

#undef READ_NUMBER

gboolean
boto_value_get_double (GVariant *value,
                       double   *out)
{
  gint64 i;
  gboolean overflow;

  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    {
      *out = g_variant_get_double (value);
      return TRUE;
    }
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT64))
    {
      *out = (double) g_variant_get_uint64 (value);
      return TRUE;
    }
  if (boto_value_get_int64 (value, &i, &overflow))
    {
      *out = (double) i;
      return TRUE;
    }
  return FALSE;
}

static gboolean
parse_timestamp_string (const char *str,
                        gint64     *out_usec)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = NULL;
  char *end = NULL;
  double seconds;

  if (*str == '\0')
    return FALSE;

  /* Epoch seconds given as a string, as botocore also accepts. */
  seconds = g_ascii_strtod (str, &end);
  if (end != NULL && *end == '\0' && isfinite (seconds) &&
      fabs (seconds) < 253402300800.0)
    {
      *out_usec = (gint64) llround (seconds * G_USEC_PER_SEC);
      return TRUE;
    }

  dt = g_date_time_new_from_iso8601 (str, utc);
  if (dt == NULL && strlen (str) == 10)
    {
      /* A bare date. */
      g_autofree char *full = g_strconcat (str, "T00:00:00Z", NULL);

      dt = g_date_time_new_from_iso8601 (full, utc);
    }
  if (dt == NULL)
    return FALSE;

  *out_usec = g_date_time_to_unix (dt) * G_USEC_PER_SEC +
              g_date_time_get_microsecond (dt);
  return TRUE;
}

gboolean
boto_value_get_timestamp (GVariant *value,
                          gint64   *out_usec)
{
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    {
      *out_usec = g_variant_get_int64 (value);
      return TRUE;
    }
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    {
      double seconds = g_variant_get_double (value);

      if (!isfinite (seconds) || fabs (seconds) > 253402300800.0)
        return FALSE;
      *out_usec = (gint64) llround (seconds * G_USEC_PER_SEC);
      return TRUE;
    }
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return parse_timestamp_string (g_variant_get_string (value, NULL), out_usec);

  return FALSE;
}

gboolean
boto_value_get_blob (GVariant      *value,
                     const guint8 **data,
                     gsize         *len)
{
  return boto_value_get_blob_typed (value, g_variant_get_type_string (value), data, len);
}

gboolean
boto_value_get_blob_typed (GVariant      *value,
                           const char    *type,
                           const guint8 **data,
                           gsize         *len)
{
  if (type[0] == 'a' && type[1] == 'y' && type[2] == '\0')
    {
      *data = g_variant_get_fixed_array (value, len, 1);
      if (*data == NULL)
        *data = (const guint8 *) "";
      return TRUE;
    }
  if (type[0] == 's' && type[1] == '\0')
    {
      const char *str = boto_value_string (value);

      *len = strlen (str);
      *data = (const guint8 *) str;
      return TRUE;
    }
  return FALSE;
}

/* Type strings: an array is `a…`, a dictionary `a{s…}`. */
gboolean
boto_value_is_dict (GVariant *value)
{
  return boto_type_is_dict (g_variant_get_type_string (value));
}

gboolean
boto_value_is_list (GVariant *value)
{
  return boto_type_is_list (g_variant_get_type_string (value));
}

/* The Python type a boto3 user would recognise, for error messages. */
const char *
boto_value_python_type (GVariant *value)
{
  if (boto_value_is_null (value))
    return "<class 'NoneType'>";
  if (boto_value_is_integer (value))
    return "<class 'int'>";
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    return "<class 'bool'>";
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    return "<class 'float'>";
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) ||
      g_variant_is_of_type (value, G_VARIANT_TYPE_OBJECT_PATH) ||
      g_variant_is_of_type (value, G_VARIANT_TYPE_SIGNATURE))
    return "<class 'str'>";
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BYTESTRING))
    return "<class 'bytes'>";
  if (boto_value_is_dict (value))
    return "<class 'dict'>";
  if (g_variant_is_container (value) && !g_variant_is_of_type (value, G_VARIANT_TYPE_VARIANT))
    return g_variant_is_of_type (value, G_VARIANT_TYPE_TUPLE) ? "<class 'tuple'>" : "<class 'list'>";
  return "<class 'object'>";
}

/* How a value shows in an error message: a string as it is, anything else
 * in GVariant text form; long values are cut. */
char *
boto_value_to_display (GVariant *value)
{
  char *text;

  if (value == NULL)
    return g_strdup ("None");
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    text = g_strdup (g_variant_get_string (value, NULL));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    text = g_strdup (g_variant_get_boolean (value) ? "True" : "False");
  else if (boto_value_is_null (value))
    text = g_strdup ("None");
  else
    text = g_variant_print (value, FALSE);

  if (g_utf8_strlen (text, -1) > 200)
    {
      char *cut = g_utf8_offset_to_pointer (text, 200);
      char *shorter;

      *cut = '\0';
      shorter = g_strconcat (text, "…", NULL);
      g_free (text);
      text = shorter;
    }
  return text;
}

static GDateTime *
datetime_from_usec (gint64 usec)
{
  gint64 seconds = usec / G_USEC_PER_SEC;
  gint64 rest = usec % G_USEC_PER_SEC;
  g_autoptr(GDateTime) base = NULL;

  if (rest < 0)
    {
      rest += G_USEC_PER_SEC;
      seconds--;
    }
  base = g_date_time_new_from_unix_utc (seconds);
  if (base == NULL)
    return NULL;
  return g_date_time_add (base, rest);
}

void
boto_format_timestamp_iso8601 (GString *out,
                               gint64   usec)
{
  g_autoptr(GDateTime) dt = datetime_from_usec (usec);
  g_autofree char *text = NULL;
  int micro;

  if (dt == NULL)
    return;
  text = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  g_string_append (out, text);
  micro = g_date_time_get_microsecond (dt);
  if (micro > 0)
    g_string_append_printf (out, ".%06d", micro);
  g_string_append_c (out, 'Z');
}

void
boto_format_timestamp_rfc822 (GString *out,
                              gint64   usec)
{
  static const char *days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char *months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  g_autoptr(GDateTime) dt = NULL;
  gint64 seconds = usec / G_USEC_PER_SEC;

  if (usec < 0 && usec % G_USEC_PER_SEC != 0)
    seconds--;
  dt = g_date_time_new_from_unix_utc (seconds);
  if (dt == NULL)
    return;
  /* Not strftime: the names must not follow the locale. */
  g_string_append_printf (out, "%s, %02d %s %04d %02d:%02d:%02d GMT",
                          days[g_date_time_get_day_of_week (dt) - 1],
                          g_date_time_get_day_of_month (dt),
                          months[g_date_time_get_month (dt) - 1],
                          g_date_time_get_year (dt),
                          g_date_time_get_hour (dt),
                          g_date_time_get_minute (dt),
                          g_date_time_get_second (dt));
}

/* Whole seconds as an integer; with a fraction, the seconds as Python's
 * float repr (botocore's default timestamp precision). */
void
boto_format_timestamp_unix (GString *out,
                            gint64   usec)
{
  if (usec % G_USEC_PER_SEC == 0)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, usec / G_USEC_PER_SEC);
  else
    boto_format_double (out, (double) usec / G_USEC_PER_SEC);
}

