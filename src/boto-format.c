/* boto-format.c: number formatting shared by the layers
 *
 * Python's float repr, which botocore's JSON, query and error messages and
 * JMESPath's to_string all produce, so that our text matches theirs.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "boto-format-private.h"

/* Python's float repr: the shortest digits that read back to the same
 * double, in fixed notation when the decimal exponent is in (-4, 16],
 * otherwise in exponent notation with at least two exponent digits. */
void
boto_format_double (GString *out,
                    double   value)
{
  char buf[64];
  char digits[32];
  int n_digits = 0;
  int exponent;
  int decpt;
  char *e;
  gboolean negative;

  if (!isfinite (value))
    {
      boto_format_double_special (out, value);
      return;
    }
  if (value == 0.0)
    {
      g_string_append (out, signbit (value) ? "-0.0" : "0.0");
      return;
    }

  for (int precision = 1; precision <= 17; precision++)
    {
      g_snprintf (buf, sizeof buf, "%.*e", precision - 1, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }

  /* buf is [-]d[.ddd]e[+-]XX */
  negative = buf[0] == '-';
  e = strchr (buf, 'e');
  g_assert (e != NULL);
  exponent = atoi (e + 1);
  for (char *p = buf + (negative ? 1 : 0); p < e; p++)
    if (g_ascii_isdigit (*p))
      digits[n_digits++] = *p;
  while (n_digits > 1 && digits[n_digits - 1] == '0')
    n_digits--;
  digits[n_digits] = '\0';
  decpt = exponent + 1;

  if (negative)
    g_string_append_c (out, '-');

  if (decpt > -4 && decpt <= 16)
    {
      if (decpt <= 0)
        {
          g_string_append (out, "0.");
          for (int i = 0; i < -decpt; i++)
            g_string_append_c (out, '0');
          g_string_append (out, digits);
        }
      else if (decpt >= n_digits)
        {
          g_string_append (out, digits);
          for (int i = n_digits; i < decpt; i++)
            g_string_append_c (out, '0');
          g_string_append (out, ".0");
        }
      else
        {
          g_string_append_len (out, digits, decpt);
          g_string_append_c (out, '.');
          g_string_append (out, digits + decpt);
        }
    }
  else
    {
      g_string_append_c (out, digits[0]);
      if (n_digits > 1)
        {
          g_string_append_c (out, '.');
          g_string_append (out, digits + 1);
        }
      g_string_append_printf (out, "e%c%02d", exponent < 0 ? '-' : '+', ABS (exponent));
    }
}

void
boto_format_double_special (GString *out,
                            double   value)
{
  if (isnan (value))
    g_string_append (out, "NaN");
  else if (isinf (value))
    g_string_append (out, value > 0 ? "Infinity" : "-Infinity");
  else
    boto_format_double (out, value);
}

/* A JSON string of @text (@len bytes, or up to its NUL when -1) as
 * Python's json.dumps() writes one with ensure_ascii: only space to tilde
 * as they are, the short escapes, the rest as \uXXXX (a surrogate pair
 * above U+FFFF); a byte that is not UTF-8 as the Latin-1 character. */
void
boto_format_json_string_ascii (GString    *out,
                               const char *text,
                               gssize      len)
{
  const char *p = text;
  const char *end = text + (len < 0 ? (gssize) strlen (text) : len);

  g_string_append_c (out, '"');
  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\u%04x", (guchar) *p);
          p++;
          continue;
        }
      p = g_utf8_next_char (p);
      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        default:
          if (c >= 0x20 && c < 0x7f)
            g_string_append_c (out, (char) c);
          else if (c < 0x10000)
            g_string_append_printf (out, "\\u%04x", c);
          else
            {
              gunichar v = c - 0x10000;

              g_string_append_printf (out, "\\u%04x\\u%04x", 0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
            }
        }
    }
  g_string_append_c (out, '"');
}

/* A child of a container, written by the function that wrote the
 * container. */
static gboolean
json_child (GString             *out,
            GVariant            *container,
            gsize                index,
            BotoFormatJsonStyle  style)
{
  g_autoptr(GVariant) child = g_variant_get_child_value (container, index);

  return boto_format_json_value (out, child, style);
}

gboolean
boto_format_json_value (GString             *out,
                        GVariant            *value,
                        BotoFormatJsonStyle  style)
{
  gboolean python = style == BOTO_FORMAT_JSON_PYTHON;
  GVariantClass klass;

  if (value == NULL)
    {
      g_string_append (out, "null");
      return TRUE;
    }
  klass = g_variant_classify (value);
  switch (klass)
    {
    case G_VARIANT_CLASS_VARIANT:
      {
        g_autoptr(GVariant) inner = g_variant_get_variant (value);

        return boto_format_json_value (out, inner, style);
      }
    case G_VARIANT_CLASS_MAYBE:
      {
        g_autoptr(GVariant) inner = g_variant_get_maybe (value);

        return boto_format_json_value (out, inner, style);
      }
    case G_VARIANT_CLASS_BOOLEAN:
      g_string_append (out, g_variant_get_boolean (value) ? "true" : "false");
      return TRUE;
    case G_VARIANT_CLASS_BYTE:
      g_string_append_printf (out, "%u", g_variant_get_byte (value));
      return TRUE;
    case G_VARIANT_CLASS_INT16:
      g_string_append_printf (out, "%d", g_variant_get_int16 (value));
      return TRUE;
    case G_VARIANT_CLASS_UINT16:
      g_string_append_printf (out, "%u", g_variant_get_uint16 (value));
      return TRUE;
    case G_VARIANT_CLASS_INT32:
      g_string_append_printf (out, "%d", g_variant_get_int32 (value));
      return TRUE;
    case G_VARIANT_CLASS_UINT32:
      g_string_append_printf (out, "%u", g_variant_get_uint32 (value));
      return TRUE;
    case G_VARIANT_CLASS_INT64:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, g_variant_get_int64 (value));
      return TRUE;
    case G_VARIANT_CLASS_UINT64:
      g_string_append_printf (out, "%" G_GUINT64_FORMAT, g_variant_get_uint64 (value));
      return TRUE;
    case G_VARIANT_CLASS_DOUBLE:
      /* json.dumps writes NaN and Infinity bare, as JavaScript spells them. */
      boto_format_double_special (out, g_variant_get_double (value));
      return TRUE;
    case G_VARIANT_CLASS_STRING:
      {
        gsize len;
        const char *text = g_variant_get_string (value, &len);

        boto_format_json_string_ascii (out, text, len);
        return TRUE;
      }
    case G_VARIANT_CLASS_ARRAY:
    case G_VARIANT_CLASS_TUPLE:
    case G_VARIANT_CLASS_DICT_ENTRY:
      {
        const char *type = g_variant_get_type_string (value);
        /* Only a dictionary with string keys is an object. */
        gboolean object = type[0] == 'a' && type[1] == '{' && type[2] == 's';
        const char *comma = python ? ", " : ",";
        gsize n = g_variant_n_children (value);

        /* json.dumps() refuses bytes, tuples and keys that are not
         * strings; the compact writer writes them as arrays. */
        if (python && (klass != G_VARIANT_CLASS_ARRAY || strcmp (type, "ay") == 0 ||
                       (type[1] == '{' && !object)))
          return FALSE;
        g_string_append_c (out, object ? '{' : '[');
        for (gsize i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append (out, comma);
            if (object)
              {
                g_autoptr(GVariant) entry = g_variant_get_child_value (value, i);
                g_autoptr(GVariant) key = g_variant_get_child_value (entry, 0);
                gsize len;
                const char *text = g_variant_get_string (key, &len);

                boto_format_json_string_ascii (out, text, len);
                g_string_append (out, python ? ": " : ":");
                if (!json_child (out, entry, 1, style))
                  return FALSE;
              }
            else if (!json_child (out, value, i, style))
              return FALSE;
          }
        g_string_append_c (out, object ? '}' : ']');
        return TRUE;
      }
    default:
      /* Handles, object paths and signatures have no JSON form. */
      if (python)
        return FALSE;
      g_string_append (out, "null");
      return TRUE;
    }
}
