/* boto-protocol-validate.c: parameter validation, botocore's ParamValidator
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "boto-error.h"
#include "boto-protocol-serializer-private.h"
#include "boto-protocol-value-private.h"

/*
 * As botocore: every problem is collected, then reported at once. A path
 * is built as `.Member`, `[index]`, `.key` and `(key: k)`; the leading dot
 * is dropped and the empty path is the word `input`.
 */

typedef struct
{
  GPtrArray *lines;
} Report;

static const char *
display_name (const char *path)
{
  if (path == NULL || *path == '\0')
    return "input";
  if (*path == '.')
    return path + 1;
  return path;
}

static void
report_invalid_type (Report     *report,
                     const char *path,
                     GVariant   *value,
                     const char *valid_types)
{
  g_autofree char *shown = boto_value_to_display (value);

  g_ptr_array_add (report->lines,
                   g_strdup_printf ("Invalid type for parameter %s, value: %s, type: %s, valid types: %s",
                                    display_name (path), shown,
                                    boto_value_python_type (value), valid_types));
}

static void
append_min (GString  *out,
            GVariant *min)
{
  if (g_variant_is_of_type (min, G_VARIANT_TYPE_DOUBLE))
    boto_format_double (out, g_variant_get_double (min));
  else if (g_variant_is_of_type (min, G_VARIANT_TYPE_INT64))
    g_string_append_printf (out, "%" G_GINT64_FORMAT, g_variant_get_int64 (min));
}

/* botocore's range_check: the shape's `min`, else 1 for a host label. */
static void
check_min (Report     *report,
           BotoShape  *shape,
           const char *path,
           double      value,
           const char *shown_value,
           gboolean    is_length)
{
  g_autoptr(GVariant) min = boto_shape_dup_trait (shape, "min");
  double min_allowed;
  GString *line;

  if (min != NULL && g_variant_is_of_type (min, G_VARIANT_TYPE_INT64))
    min_allowed = (double) g_variant_get_int64 (min);
  else if (min != NULL && g_variant_is_of_type (min, G_VARIANT_TYPE_DOUBLE))
    min_allowed = g_variant_get_double (min);
  else if (min == NULL && boto_shape_get_boolean_trait (shape, "hostLabel"))
    {
      g_clear_pointer (&min, g_variant_unref);
      min = g_variant_ref_sink (g_variant_new_int64 (1));
      min_allowed = 1;
    }
  else
    return;

  if (!(value < min_allowed))
    return;

  line = g_string_new (NULL);
  g_string_append_printf (line, "Invalid %s for parameter %s, value: %s, valid min %s: ",
                          is_length ? "length" : "value", display_name (path),
                          shown_value, is_length ? "length" : "value");
  append_min (line, min);
  g_ptr_array_add (report->lines, g_string_free (line, FALSE));
}

static void validate_value (Report *report, BotoShape *shape, GVariant *raw, const char *path);

static gboolean
is_document (BotoShape *shape)
{
  return boto_shape_get_shape_type (shape) == BOTO_SHAPE_TYPE_STRUCTURE &&
         boto_shape_get_boolean_trait (shape, "document");
}

static void
validate_document (Report     *report,
                   GVariant   *raw,
                   const char *path)
{
  g_autoptr(GVariant) value = boto_value_unwrap (raw);

  if (boto_value_is_null (value))
    return;
  if (boto_value_is_dict (value))
    {
      GVariantIter iter;
      const char *key;
      GVariant *child;

      g_variant_iter_init (&iter, value);
      while (g_variant_iter_next (&iter, "{&s@*}", &key, &child))
        {
          /* botocore names a document's members by their key alone. */
          validate_document (report, child, key);
          g_variant_unref (child);
        }
    }
  else if (boto_value_is_list (value) && !g_variant_is_of_type (value, G_VARIANT_TYPE_BYTESTRING))
    {
      gsize n = g_variant_n_children (value);

      for (gsize i = 0; i < n; i++)
        {
          g_autoptr(GVariant) child = g_variant_get_child_value (value, i);
          g_autofree char *child_path = g_strdup_printf ("%s[%" G_GSIZE_FORMAT "]", path, i);

          validate_document (report, child, child_path);
        }
    }
  else if (!(g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) ||
             g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN) ||
             g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE) ||
             boto_value_is_integer (value)))
    {
      g_autofree char *shown = boto_value_to_display (value);

      g_ptr_array_add (report->lines,
                       g_strdup_printf ("Invalid type for document parameter %s, value: %s, type: %s, "
                                        "valid types: <class 'str'>, <class 'int'>, <class 'bool'>, "
                                        "<class 'float'>, <class 'list'>, <class 'dict'>",
                                        display_name (path), shown, boto_value_python_type (value)));
    }
}

static char *
member_list (BotoShape *shape)
{
  g_auto(GStrv) names = boto_shape_get_member_names (shape);

  return g_strjoinv (", ", names);
}

static void
validate_structure (Report     *report,
                    BotoShape  *shape,
                    GVariant   *value,
                    const char *path)
{
  g_auto(GStrv) required = NULL;
  GVariantIter iter;
  const char *key;
  GVariant *child;
  guint n_set = 0;

  if (!boto_value_is_dict (value))
    {
      report_invalid_type (report, path, value, "<class 'dict'>");
      return;
    }

  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "{&s@*}", &key, &child))
    {
      g_autoptr(GVariant) inner = boto_value_unwrap (child);

      if (!boto_value_is_null (inner))
        n_set++;
      g_variant_unref (child);
    }

  if (boto_shape_get_boolean_trait (shape, "union"))
    {
      g_autofree char *members = member_list (shape);

      if (n_set == 0)
        g_ptr_array_add (report->lines,
                         g_strdup_printf ("Must set one of the following keys for tagged union"
                                          "structure %s: %s.", display_name (path), members));
      else if (n_set > 1)
        g_ptr_array_add (report->lines,
                         g_strdup_printf ("Invalid number of parameters set for tagged union structure "
                                          "%s. Can only set one of the following keys: %s.",
                                          display_name (path), members));
    }

  required = boto_shape_get_required_members (shape);
  for (guint i = 0; required[i] != NULL; i++)
    {
      g_autoptr(GVariant) member = g_variant_lookup_value (value, required[i], NULL);
      g_autoptr(GVariant) inner = boto_value_unwrap (member);

      if (member == NULL || boto_value_is_null (inner))
        g_ptr_array_add (report->lines,
                         g_strdup_printf ("Missing required parameter in %s: \"%s\"",
                                          display_name (path), required[i]));
    }

  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "{&s@*}", &key, &child))
    {
      if (boto_shape_get_member (shape, key) == NULL)
        {
          g_autofree char *members = member_list (shape);

          g_ptr_array_add (report->lines,
                           g_strdup_printf ("Unknown parameter in %s: \"%s\", must be one of: %s",
                                            display_name (path), key, members));
        }
      g_variant_unref (child);
    }

  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "{&s@*}", &key, &child))
    {
      BotoShape *member = boto_shape_get_member (shape, key);
      g_autoptr(GVariant) inner = boto_value_unwrap (child);

      /* A null member counts as absent. */
      if (member != NULL && !boto_value_is_null (inner))
        {
          g_autofree char *child_path = g_strdup_printf ("%s.%s", path, key);

          validate_value (report, member, child, child_path);
        }
      g_variant_unref (child);
    }
}

static void
validate_list (Report     *report,
               BotoShape  *shape,
               GVariant   *value,
               const char *path)
{
  BotoShape *member = boto_shape_get_list_member (shape);
  gsize n;
  g_autofree char *shown_len = NULL;

  if (!boto_value_is_list (value))
    {
      report_invalid_type (report, path, value, "<class 'list'>, <class 'tuple'>");
      return;
    }

  n = g_variant_n_children (value);
  shown_len = g_strdup_printf ("%" G_GSIZE_FORMAT, n);
  check_min (report, shape, path, (double) n, shown_len, TRUE);
  if (member == NULL)
    return;

  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) child = g_variant_get_child_value (value, i);
      g_autofree char *child_path = g_strdup_printf ("%s[%" G_GSIZE_FORMAT "]", path, i);

      validate_value (report, member, child, child_path);
    }
}

static void
validate_map (Report     *report,
              BotoShape  *shape,
              GVariant   *value,
              const char *path)
{
  BotoShape *key_shape = boto_shape_get_map_key (shape);
  BotoShape *value_shape = boto_shape_get_map_value (shape);
  GVariantIter iter;
  GVariant *key;
  GVariant *child;

  if (!boto_value_is_dict (value))
    {
      report_invalid_type (report, path, value, "<class 'dict'>");
      return;
    }

  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "{@s@*}", &key, &child))
    {
      const char *k = g_variant_get_string (key, NULL);

      if (key_shape != NULL)
        {
          g_autofree char *key_path = g_strdup_printf ("%s (key: %s)", path, k);

          validate_value (report, key_shape, key, key_path);
        }
      if (value_shape != NULL)
        {
          g_autofree char *value_path = g_strdup_printf ("%s.%s", path, k);

          validate_value (report, value_shape, child, value_path);
        }
      g_variant_unref (key);
      g_variant_unref (child);
    }
}

static void
validate_integer (Report     *report,
                  BotoShape  *shape,
                  GVariant   *value,
                  const char *path,
                  gint64      lo,
                  gint64      hi)
{
  gint64 i;
  gboolean overflow;
  g_autofree char *shown = NULL;

  if (!boto_value_get_int64 (value, &i, &overflow))
    {
      report_invalid_type (report, path, value, "<class 'int'>");
      return;
    }

  shown = boto_value_to_display (value);
  if (overflow || i < lo || i > hi)
    {
      g_ptr_array_add (report->lines,
                       g_strdup_printf ("Invalid value for parameter %s, value: %s, valid range: "
                                        "%" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                                        display_name (path), shown, lo, hi));
      return;
    }
  check_min (report, shape, path, (double) i, shown, FALSE);
}

static void
validate_value (Report     *report,
                BotoShape  *shape,
                GVariant   *raw,
                const char *path)
{
  g_autoptr(GVariant) value = boto_value_unwrap (raw);
  double d;
  gint64 usec;
  const guint8 *data;
  gsize len;

  /* A jsonvalue header takes any JSON-like value. */
  if (boto_shape_get_boolean_trait (shape, "jsonvalue") &&
      g_strcmp0 (boto_shape_get_location (shape), "header") == 0)
    return;
  if (is_document (shape))
    {
      validate_document (report, raw, path);
      return;
    }

  if (boto_value_is_null (value))
    {
      report_invalid_type (report, path, value, "<class 'str'>");
      return;
    }

  switch (boto_shape_get_shape_type (shape))
    {
    case BOTO_SHAPE_TYPE_STRUCTURE:
      validate_structure (report, shape, value, path);
      break;
    case BOTO_SHAPE_TYPE_LIST:
      validate_list (report, shape, value, path);
      break;
    case BOTO_SHAPE_TYPE_MAP:
      validate_map (report, shape, value, path);
      break;
    case BOTO_SHAPE_TYPE_STRING:
    case BOTO_SHAPE_TYPE_CHARACTER:
      if (!g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        report_invalid_type (report, path, value, "<class 'str'>");
      else
        {
          const char *s = g_variant_get_string (value, NULL);
          glong n = g_utf8_validate (s, -1, NULL) ? g_utf8_strlen (s, -1) : (glong) strlen (s);
          g_autofree char *shown = g_strdup_printf ("%ld", n);

          check_min (report, shape, path, (double) n, shown, TRUE);
        }
      break;
    case BOTO_SHAPE_TYPE_INTEGER:
      validate_integer (report, shape, value, path, G_MININT32, G_MAXINT32);
      break;
    case BOTO_SHAPE_TYPE_LONG:
      validate_integer (report, shape, value, path, G_MININT64, G_MAXINT64);
      break;
    case BOTO_SHAPE_TYPE_SHORT:
      validate_integer (report, shape, value, path, G_MININT16, G_MAXINT16);
      break;
    case BOTO_SHAPE_TYPE_BYTE:
      validate_integer (report, shape, value, path, G_MININT8, G_MAXINT8);
      break;
    case BOTO_SHAPE_TYPE_FLOAT:
    case BOTO_SHAPE_TYPE_DOUBLE:
      if (!boto_value_get_double (value, &d))
        report_invalid_type (report, path, value, "<class 'float'>, <class 'int'>");
      else if (!isnan (d))
        {
          g_autofree char *shown = boto_value_to_display (value);

          check_min (report, shape, path, d, shown, FALSE);
        }
      break;
    case BOTO_SHAPE_TYPE_BOOLEAN:
      if (!g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
        report_invalid_type (report, path, value, "<class 'bool'>");
      break;
    case BOTO_SHAPE_TYPE_BLOB:
      if (!boto_value_get_blob (value, &data, &len))
        report_invalid_type (report, path, value, "<class 'bytes'>, <class 'str'>");
      break;
    case BOTO_SHAPE_TYPE_TIMESTAMP:
      if (!boto_value_get_timestamp (value, &usec))
        report_invalid_type (report, path, value,
                             "<class 'datetime.datetime'>, timestamp-string");
      break;
    case BOTO_SHAPE_TYPE_DOCUMENT:
      validate_document (report, value, path);
      break;
    case BOTO_SHAPE_TYPE_UNKNOWN:
    default:
      break;
    }
}

gboolean
boto_protocol_validate_params (BotoShape  *input,
                               GVariant   *params,
                               GError    **error)
{
  Report report;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GVariant) empty = NULL;

  g_return_val_if_fail (input == NULL || BOTO_IS_SHAPE (input), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  report.lines = lines;

  if (params == NULL)
    {
      empty = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
      params = empty;
    }

  if (input == NULL)
    {
      g_autoptr(GVariant) value = boto_value_unwrap (params);

      /* botocore validates nothing then; refuse what would be dropped. */
      if (!boto_value_is_dict (value))
        report_invalid_type (&report, "", value, "<class 'dict'>");
      else if (g_variant_n_children (value) > 0)
        {
          GVariantIter iter;
          const char *key;
          GVariant *child;

          g_variant_iter_init (&iter, value);
          while (g_variant_iter_next (&iter, "{&s@*}", &key, &child))
            {
              g_ptr_array_add (lines,
                               g_strdup_printf ("Unknown parameter in input: \"%s\", must be one of: ",
                                                key));
              g_variant_unref (child);
            }
        }
    }
  else
    validate_value (&report, input, params, "");

  if (lines->len > 0)
    {
      GString *message = g_string_new ("Parameter validation failed:");

      for (guint i = 0; i < lines->len; i++)
        {
          g_string_append_c (message, '\n');
          g_string_append (message, g_ptr_array_index (lines, i));
        }
      g_set_error_literal (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                           message->str);
      g_string_free (message, TRUE);
      return FALSE;
    }

  return TRUE;
}
