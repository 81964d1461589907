/* boto-protocol-value-private.h: reading lenient input values, formatting them
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#include <glib.h>

#include "boto-format-private.h"

G_BEGIN_DECLS

/*
 * The input data follows DESIGN.md "lenient input": a structure is a
 * dictionary with string keys, a list a typed array or `av`, a map a
 * dictionary with string keys, an integer any integer type, a double `d` or
 * any integer, a timestamp `x` (µs), `d` (seconds) or `s` (ISO 8601), a blob
 * `ay` or `s`. A value wrapped in `v` (or in a maybe that holds a value) is
 * unwrapped first; a maybe with no value is null.
 */

GVariant *boto_value_unwrap         (GVariant    *value);
GVariant *boto_value_unwrap_class   (GVariant      *value,
                                     GVariantClass *klass_out);
/* The same with the result's type string (never NULL for a value):
 * a maybe (`m…`) is null then. */
GVariant *boto_value_unwrap_type    (GVariant      *value,
                                     const char   **type_out);
/* The same with @value's own type string known. */
GVariant *boto_value_unwrap_known   (GVariant      *value,
                                     const char    *type,
                                     const char   **type_out);
gboolean  boto_value_is_null        (GVariant    *value);
/* boto_value_is_null (boto_value_unwrap (value)), without the references. */
gboolean  boto_value_is_null_deep   (GVariant    *value);
gboolean  boto_value_is_integer     (GVariant    *value);
gboolean  boto_value_get_int64      (GVariant    *value,
                                     gint64      *out,
                                     gboolean    *overflow);
/* The same with the value's class known. */
gboolean  boto_value_get_int64_class (GVariant      *value,
                                      GVariantClass  klass,
                                      gint64        *out,
                                      gboolean      *overflow);
gboolean  boto_value_get_double     (GVariant    *value,
                                     double      *out);
gboolean  boto_value_get_timestamp  (GVariant    *value,
                                     gint64      *out_usec);
gboolean  boto_value_get_blob       (GVariant    *value,
                                     const guint8 **data,
                                     gsize       *len);
/* The same with the value's type string known. */
gboolean  boto_value_get_blob_typed (GVariant      *value,
                                     const char    *type,
                                     const guint8 **data,
                                     gsize         *len);
gboolean  boto_value_is_dict        (GVariant    *value);
gboolean  boto_value_is_list        (GVariant    *value);
const char *boto_value_python_type  (GVariant    *value);
char     *boto_value_to_display     (GVariant    *value);

/* Python's repr() of a finite double ("1.0", "1e+16", "0.0001"). */
/* NaN, Infinity, -Infinity as botocore spells them, else as above. */

void      boto_format_timestamp_iso8601 (GString *out,
                                         gint64   usec);
void      boto_format_timestamp_rfc822  (GString *out,
                                         gint64   usec);
void      boto_format_timestamp_unix    (GString *out,
                                         gint64   usec);

/* The text of a string variant (`s`), as g_variant_get_string() gives it:
 * a value in normal form (every value built by GVariant's constructors is
 * trusted to be) holds its NUL-terminated UTF-8 text as its data, so only
 * the data is asked for. */
static inline const char *
boto_value_string (GVariant *value)
{
  if (g_variant_is_normal_form (value))
    {
      const char *data = (const char *) g_variant_get_data (value);

      if (data != NULL)
        return data;
    }
  return g_variant_get_string (value, NULL);
}

/* The @i-th entry of a dictionary (`a{s…}`): its key, borrowed (valid as
 * long as @dict), and its value, a new reference. */
static inline GVariant *
boto_value_dict_entry (GVariant    *dict,
                       gsize        i,
                       const char **key)
{
  GVariant *entry = g_variant_get_child_value (dict, i);
  GVariant *k = g_variant_get_child_value (entry, 0);
  GVariant *v = g_variant_get_child_value (entry, 1);

  *key = boto_value_string (k);
  g_variant_unref (k);
  g_variant_unref (entry);
  return v;
}

/* The @i-th entry of a dictionary, its key borrowed and its value
 * unwrapped (boto_value_unwrap_type(), a new reference, its type string
 * in *@type: its class is the first byte). @vardict says the dictionary
 * is `a{sv}`: its values are variants then, and the first is opened
 * without asking. */
static inline GVariant *
boto_value_dict_entry_unwrapped (GVariant      *dict,
                                 gsize          i,
                                 gboolean       vardict,
                                 const char   **key,
                                 const char   **type)
{
  GVariant *child = boto_value_dict_entry (dict, i, key);
  GVariant *inner;

  if (!vardict)
    {
      inner = boto_value_unwrap_type (child, type);
      g_variant_unref (child);
      return inner;
    }
  inner = g_variant_get_child_value (child, 0);
  g_variant_unref (child);
  *type = g_variant_get_type_string (inner);
  if (**type == 'v' || **type == 'm')
    {
      GVariant *deeper = boto_value_unwrap_type (inner, type);

      g_variant_unref (inner);
      inner = deeper;
    }
  return inner;
}

/* What a type string says (g_variant_get_type_string() is asked once per
 * value: each GLib type query costs as much as the next one). A
 * dictionary is `a{s…}`, a list any other array. */
static inline gboolean
boto_type_is_dict (const char *type)
{
  return type[0] == 'a' && type[1] == '{' && type[2] == 's';
}

static inline gboolean
boto_type_is_list (const char *type)
{
  return type[0] == 'a' && type[1] != '{';
}

/* What boto_value_get_blob() takes: `ay` or `s`. */
static inline gboolean
boto_type_is_blob (const char *type)
{
  return (type[0] == 'a' && type[1] == 'y' && type[2] == '\0') || (type[0] == 's' && type[1] == '\0');
}

/* `a{sv}` */
static inline gboolean
boto_type_is_vardict (const char *type)
{
  return type[0] == 'a' && type[1] == '{' && type[2] == 's' && type[3] == 'v' && type[4] == '}' &&
         type[5] == '\0';
}

/* Iterating a dictionary without a format string to parse per entry. */
typedef struct
{
  GVariant *dict;
  gsize     i;
  gsize     n;
} BotoDictIter;

static inline void
boto_dict_iter_init (BotoDictIter *iter,
                     GVariant     *dict)
{
  iter->dict = dict;
  iter->i = 0;
  iter->n = g_variant_n_children (dict);
}

static inline gboolean
boto_dict_iter_next (BotoDictIter *iter,
                     const char  **key,
                     GVariant    **value)
{
  if (iter->i >= iter->n)
    return FALSE;
  *value = boto_value_dict_entry (iter->dict, iter->i++, key);
  return TRUE;
}

/* The same with the key as a variant (new reference). */
static inline gboolean
boto_dict_iter_next_variant (BotoDictIter *iter,
                             GVariant    **key,
                             GVariant    **value)
{
  GVariant *entry;

  if (iter->i >= iter->n)
    return FALSE;
  entry = g_variant_get_child_value (iter->dict, iter->i++);
  *key = g_variant_get_child_value (entry, 0);
  *value = g_variant_get_child_value (entry, 1);
  g_variant_unref (entry);
  return TRUE;
}

G_END_DECLS
