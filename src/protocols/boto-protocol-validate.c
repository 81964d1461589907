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

typedef BotoValidateReport Report;
typedef BotoValidatePath Path;

#define PATH_ROOT     BOTO_VALIDATE_PATH_ROOT
#define PATH_MEMBER   BOTO_VALIDATE_PATH_MEMBER
#define PATH_INDEX    BOTO_VALIDATE_PATH_INDEX
#define PATH_MAP_KEY  BOTO_VALIDATE_PATH_MAP_KEY
#define PATH_DOCUMENT BOTO_VALIDATE_PATH_DOCUMENT

/* A problem's line (taken); the lines are made on the first. */
static void
report_add_line (Report *report,
                 char   *line)
{
  if (report->lines == NULL)
    report->lines = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (report->lines, line);
}

static void
path_append (GString    *out,
             const Path *path)
{
  switch (path->kind)
    {
    case PATH_ROOT:
      break;
    case PATH_MEMBER:
      path_append (out, path->parent);
      g_string_append_c (out, '.');
      g_string_append (out, path->key);
      break;
    case PATH_INDEX:
      path_append (out, path->parent);
      g_string_append_printf (out, "[%" G_GSIZE_FORMAT "]", path->index);
      break;
    case PATH_MAP_KEY:
      path_append (out, path->parent);
      g_string_append_printf (out, " (key: %s)", path->key);
      break;
    case PATH_DOCUMENT:
      g_string_append (out, path->key);
      break;
    }
}

/* The path as botocore shows it: without the leading dot, the empty path
 * is the word `input`. */
static char *
display_name (const Path *path)
{
  GString *out = g_string_new (NULL);

  path_append (out, path);
  if (out->len == 0)
    g_string_append (out, "input");
  else if (out->str[0] == '.')
    g_string_erase (out, 0, 1);
  return g_string_free (out, FALSE);
}

static void
report_invalid_type (Report     *report,
                     const Path *path,
                     GVariant   *value,
                     const char *valid_types)
{
  g_autofree char *shown = boto_value_to_display (value);
  g_autofree char *name = display_name (path);

  report_add_line (report,
                   g_strdup_printf ("Invalid type for parameter %s, value: %s, type: %s, valid types: %s",
                                    name, shown, boto_value_python_type (value), valid_types));
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

/* botocore's range_check: the shape's `min`, else 1 for a host label.
 * The message shows @shown_length for a length, else @shown_value. */
static void
check_min (Report      *report,
           BotoSerNode *shape,
           const Path  *path,
           double       value,
           GVariant    *shown_value,
           gint64       shown_length,
           gboolean     is_length)
{
  g_autofree char *name = NULL;
  g_autofree char *shown = NULL;
  GString *line;

  if (!shape->has_min || !(value < shape->min_allowed))
    return;

  name = display_name (path);
  shown = is_length ? g_strdup_printf ("%" G_GINT64_FORMAT, shown_length)
                    : boto_value_to_display (shown_value);
  line = g_string_new (NULL);
  g_string_append_printf (line, "Invalid %s for parameter %s, value: %s, valid min %s: ",
                          is_length ? "length" : "value", name,
                          shown, is_length ? "length" : "value");
  append_min (line, shape->min);
  report_add_line (report, g_string_free (line, FALSE));
}

static void validate_value (Report *report, BotoSerNode *shape, GVariant *raw, const Path *path);

static gboolean
is_document (BotoSerNode *shape)
{
  return shape->type == BOTO_SHAPE_TYPE_STRUCTURE && shape->document;
}

static void
validate_document (Report     *report,
                   GVariant   *raw,
                   const Path *path)
{
  g_autoptr(GVariant) value = boto_value_unwrap (raw);

  if (boto_value_is_null (value))
    return;
  if (boto_value_is_dict (value))
    {
      BotoDictIter iter;
      const char *key;
      GVariant *child;

      boto_dict_iter_init (&iter, value);
      while (boto_dict_iter_next (&iter, &key, &child))
        {
          /* botocore names a document's members by their key alone. */
          Path child_path = { path, PATH_DOCUMENT, key, 0 };

          validate_document (report, child, &child_path);
          g_variant_unref (child);
        }
    }
  else if (boto_value_is_list (value) && !g_variant_is_of_type (value, G_VARIANT_TYPE_BYTESTRING))
    {
      gsize n = g_variant_n_children (value);

      for (gsize i = 0; i < n; i++)
        {
          g_autoptr(GVariant) child = g_variant_get_child_value (value, i);
          Path child_path = { path, PATH_INDEX, NULL, i };

          validate_document (report, child, &child_path);
        }
    }
  else if (!(g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) ||
             g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN) ||
             g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE) ||
             boto_value_is_integer (value)))
    {
      g_autofree char *shown = boto_value_to_display (value);
      g_autofree char *name = display_name (path);

      report_add_line (report,
                       g_strdup_printf ("Invalid type for document parameter %s, value: %s, type: %s, "
                                        "valid types: <class 'str'>, <class 'int'>, <class 'bool'>, "
                                        "<class 'float'>, <class 'list'>, <class 'dict'>",
                                        name, shown, boto_value_python_type (value)));
    }
}

static char *
member_list (BotoSerNode *shape)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < shape->def->n_members; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      g_string_append (out, shape->def->members[i].name);
    }
  return g_string_free (out, FALSE);
}

typedef BotoValidateEntry Entry;

static void validate_unwrapped (Report *report, BotoSerNode *shape, GVariant *value, const char *type,
                                const Path *path);

/* The checks of a structure whose entries were read (null values are NULL,
 * unknown members NULL): union, required and unknown members, in botocore's
 * order. */
void
boto_validate_structure_checks (Report                  *report,
                                BotoSerNode             *shape,
                                const BotoValidateEntry *entries,
                                gsize                    n,
                                guint                    n_set,
                                gboolean                 has_unknown,
                                const Path              *path)
{
  if (shape->is_union)
    {
      g_autofree char *members = member_list (shape);
      g_autofree char *name = display_name (path);

      if (n_set == 0)
        report_add_line (report,
                         g_strdup_printf ("Must set one of the following keys for tagged union"
                                          "structure %s: %s.", name, members));
      else if (n_set > 1)
        report_add_line (report,
                         g_strdup_printf ("Invalid number of parameters set for tagged union structure "
                                          "%s. Can only set one of the following keys: %s.",
                                          name, members));
    }

  for (guint i = 0; shape->required != NULL && shape->required[i] != NULL; i++)
    {
      gboolean missing = TRUE;
      /* An entry of that name was matched to that member: the names are
       * compared only there. */
      int index = shape->required_index != NULL ? shape->required_index[i] : -1;
      BotoSerNode *member = index >= 0 ? shape->children[index] : NULL;

      /* The first entry of that name counts, as with g_variant_lookup_value(). */
      for (gsize j = 0; j < n; j++)
        if ((index < 0 || entries[j].member == member) && strcmp (entries[j].key, shape->required[i]) == 0)
          {
            missing = entries[j].value == NULL;
            break;
          }
      if (missing)
        {
          g_autofree char *name = display_name (path);

          report_add_line (report,
                           g_strdup_printf ("Missing required parameter in %s: \"%s\"",
                                            name, shape->required[i]));
        }
    }

  if (has_unknown)
    for (gsize i = 0; i < n; i++)
      if (entries[i].member == NULL)
        {
          g_autofree char *members = member_list (shape);
          g_autofree char *name = display_name (path);

          report_add_line (report,
                           g_strdup_printf ("Unknown parameter in %s: \"%s\", must be one of: %s",
                                            name, entries[i].key, members));
        }
}


static void
validate_structure (Report      *report,
                    BotoSerNode *shape,
                    GVariant    *value,
                    const char  *value_type,
                    const Path  *path)
{
  gsize n;
  guint n_set = 0;
  Entry entries_stack[32] = { { NULL, NULL, NULL, 0, NULL } };
  g_autofree Entry *entries_heap = NULL;
  Entry *entries;
  gboolean has_unknown = FALSE;
  gboolean vardict;

  if (!boto_type_is_dict (value_type))
    {
      report_invalid_type (report, path, value, "<class 'dict'>");
      return;
    }

  /* The dictionary is read once; the checks below use what was read. */
  n = g_variant_n_children (value);
  vardict = boto_type_is_vardict (value_type);
  if (n <= G_N_ELEMENTS (entries_stack))
    entries = entries_stack;
  else
    entries = entries_heap = g_new (Entry, n);
  for (gsize i = 0; i < n; i++)
    {
      const char *type;
      GVariant *inner = boto_value_dict_entry_unwrapped (value, i, vardict, &entries[i].key, &type);
      GVariantClass klass = (GVariantClass) type[0];

      if (klass == G_VARIANT_CLASS_MAYBE)
        {
          g_clear_pointer (&inner, g_variant_unref);
          klass = 0;
        }
      else
        n_set++;
      entries[i].value = inner;
      entries[i].type = klass != 0 ? type : NULL;
      entries[i].klass = klass;
      entries[i].member = boto_ser_node_member (shape, entries[i].key);
      if (entries[i].member == NULL)
        has_unknown = TRUE;
    }

  boto_validate_structure_checks (report, shape, (BotoValidateEntry *) entries, n, n_set, has_unknown, path);

  for (gsize i = 0; i < n; i++)
    {
      /* A null member counts as absent. */
      if (entries[i].member != NULL && entries[i].value != NULL)
        {
          Path child_path = { path, PATH_MEMBER, entries[i].key, 0 };

          validate_unwrapped (report, entries[i].member, entries[i].value, entries[i].type, &child_path);
        }
      g_clear_pointer (&entries[i].value, g_variant_unref);
    }
}

static void
validate_list (Report      *report,
               BotoSerNode *shape,
               GVariant    *value,
               const char  *value_type,
               const Path  *path)
{
  BotoSerNode *member = boto_ser_node_list_member (shape);
  gsize n;

  if (!boto_type_is_list (value_type))
    {
      report_invalid_type (report, path, value, "<class 'list'>, <class 'tuple'>");
      return;
    }

  n = g_variant_n_children (value);
  check_min (report, shape, path, (double) n, NULL, (gint64) n, TRUE);
  if (member == NULL)
    return;

  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) child = g_variant_get_child_value (value, i);
      Path child_path = { path, PATH_INDEX, NULL, i };

      validate_value (report, member, child, &child_path);
    }
}

static void
validate_map (Report      *report,
              BotoSerNode *shape,
              GVariant    *value,
              const char  *value_type,
              const Path  *path)
{
  BotoSerNode *key_shape = boto_ser_node_map_key (shape);
  BotoSerNode *value_shape = boto_ser_node_map_value (shape);
  BotoDictIter iter;
  GVariant *key;
  GVariant *child;

  if (!boto_type_is_dict (value_type))
    {
      report_invalid_type (report, path, value, "<class 'dict'>");
      return;
    }

  boto_dict_iter_init (&iter, value);
  while (boto_dict_iter_next_variant (&iter, &key, &child))
    {
      const char *k = boto_value_string (key);

      if (key_shape != NULL)
        {
          Path key_path = { path, PATH_MAP_KEY, k, 0 };

          validate_value (report, key_shape, key, &key_path);
        }
      if (value_shape != NULL)
        {
          Path value_path = { path, PATH_MEMBER, k, 0 };

          validate_value (report, value_shape, child, &value_path);
        }
      g_variant_unref (key);
      g_variant_unref (child);
    }
}

void
boto_validate_map_entries (Report                  *report,
                           BotoSerNode             *shape,
                           const BotoValidateEntry *entries,
                           gsize                    n,
                           const Path              *path)
{
  BotoSerNode *key_shape = boto_ser_node_map_key (shape);
  BotoSerNode *value_shape = boto_ser_node_map_value (shape);
  /* A string key always passes a string shape with no minimum. */
  gboolean check_keys = key_shape != NULL &&
                        !(key_shape->type == BOTO_SHAPE_TYPE_STRING && !key_shape->has_min);

  for (gsize i = 0; i < n; i++)
    {
      const char *k = entries[i].key;
      GVariant *child = entries[i].value;

      if (check_keys)
        {
          Path key_path = { path, PATH_MAP_KEY, k, 0 };
          g_autoptr(GVariant) key = g_variant_ref_sink (g_variant_new_string (k));

          validate_value (report, key_shape, key, &key_path);
        }
      if (value_shape != NULL)
        {
          Path value_path = { path, PATH_MEMBER, k, 0 };

          /* validate_value() on a value unwrapped already. */
          if (value_shape->jsonvalue && value_shape->loc == BOTO_SER_LOC_HEADER)
            continue;
          if (is_document (value_shape))
            validate_document (report, child, &value_path);
          else if (entries[i].klass == G_VARIANT_CLASS_MAYBE)
            report_invalid_type (report, &value_path, child, "<class 'str'>");
          else
            validate_unwrapped (report, value_shape, child, entries[i].type, &value_path);
        }
    }
}

/* The range of an integer shape's values. */
static void
integer_range (BotoShapeType type,
               gint64       *lo,
               gint64       *hi)
{
  switch (type)
    {
    case BOTO_SHAPE_TYPE_INTEGER:
      *lo = G_MININT32;
      *hi = G_MAXINT32;
      break;
    case BOTO_SHAPE_TYPE_LONG:
      *lo = G_MININT64;
      *hi = G_MAXINT64;
      break;
    case BOTO_SHAPE_TYPE_SHORT:
      *lo = G_MININT16;
      *hi = G_MAXINT16;
      break;
    case BOTO_SHAPE_TYPE_BYTE:
      *lo = G_MININT8;
      *hi = G_MAXINT8;
      break;
    default:
      g_assert_not_reached ();
    }
}

/* An integer's range and minimum, once it was read. */
static void
integer_checks (Report      *report,
                BotoSerNode *shape,
                GVariant    *value,
                const Path  *path,
                gint64       i,
                gboolean     overflow)
{
  gint64 lo, hi;

  integer_range (shape->type, &lo, &hi);
  if (overflow || i < lo || i > hi)
    {
      g_autofree char *shown = boto_value_to_display (value);
      g_autofree char *name = display_name (path);

      report_add_line (report,
                       g_strdup_printf ("Invalid value for parameter %s, value: %s, valid range: "
                                        "%" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                                        name, shown, lo, hi));
      return;
    }
  check_min (report, shape, path, (double) i, value, 0, FALSE);
}

static void
validate_integer (Report      *report,
                  BotoSerNode *shape,
                  GVariant    *value,
                  const char  *type,
                  const Path  *path)
{
  gint64 i;
  gboolean overflow;

  if (!boto_value_get_int64_class (value, (GVariantClass) type[0], &i, &overflow))
    {
      report_invalid_type (report, path, value, "<class 'int'>");
      return;
    }
  integer_checks (report, shape, value, path, i, overflow);
}

static void
validate_value (Report      *report,
                BotoSerNode *shape,
                GVariant    *raw,
                const Path  *path)
{
  g_autoptr(GVariant) value = NULL;
  const char *type;

  /* A jsonvalue header takes any JSON-like value. */
  if (shape->jsonvalue && shape->loc == BOTO_SER_LOC_HEADER)
    return;
  if (is_document (shape))
    {
      validate_document (report, raw, path);
      return;
    }

  value = raw != NULL ? boto_value_unwrap_type (raw, &type) : NULL;
  if (value == NULL || type[0] == G_VARIANT_CLASS_MAYBE)
    {
      report_invalid_type (report, path, value, "<class 'str'>");
      return;
    }
  validate_unwrapped (report, shape, value, type, path);
}

/* @value is unwrapped and not null; @type is its type string, or NULL. */
static void
validate_unwrapped (Report        *report,
                    BotoSerNode   *shape,
                    GVariant      *value,
                    const char    *type,
                    const Path    *path)
{
  double d;
  gint64 usec;

  if (shape->jsonvalue && shape->loc == BOTO_SER_LOC_HEADER)
    return;
  if (is_document (shape))
    {
      validate_document (report, value, path);
      return;
    }

  if (type == NULL)
    type = g_variant_get_type_string (value);
  switch (shape->type)
    {
    case BOTO_SHAPE_TYPE_STRUCTURE:
      validate_structure (report, shape, value, type, path);
      break;
    case BOTO_SHAPE_TYPE_LIST:
      validate_list (report, shape, value, type, path);
      break;
    case BOTO_SHAPE_TYPE_MAP:
      validate_map (report, shape, value, type, path);
      break;
    case BOTO_SHAPE_TYPE_STRING:
    case BOTO_SHAPE_TYPE_CHARACTER:
      if (type[0] != G_VARIANT_CLASS_STRING)
        report_invalid_type (report, path, value, "<class 'str'>");
      else if (shape->has_min)
        {
          const char *s = boto_value_string (value);

          /* A minimum of at most one only fails an empty string: the
           * length is counted when it can matter. */
          if (shape->min_allowed > 1 || (shape->min_allowed > 0 && *s == '\0'))
            {
              glong n = g_utf8_validate (s, -1, NULL) ? g_utf8_strlen (s, -1) : (glong) strlen (s);

              check_min (report, shape, path, (double) n, NULL, n, TRUE);
            }
        }
      break;
    case BOTO_SHAPE_TYPE_INTEGER:
    case BOTO_SHAPE_TYPE_LONG:
    case BOTO_SHAPE_TYPE_SHORT:
    case BOTO_SHAPE_TYPE_BYTE:
      validate_integer (report, shape, value, type, path);
      break;
    case BOTO_SHAPE_TYPE_FLOAT:
    case BOTO_SHAPE_TYPE_DOUBLE:
      if (!boto_value_get_double (value, &d))
        report_invalid_type (report, path, value, "<class 'float'>, <class 'int'>");
      else if (!isnan (d))
        check_min (report, shape, path, d, value, 0, FALSE);
      break;
    case BOTO_SHAPE_TYPE_BOOLEAN:
      if (type[0] != G_VARIANT_CLASS_BOOLEAN)
        report_invalid_type (report, path, value, "<class 'bool'>");
      break;
    case BOTO_SHAPE_TYPE_BLOB:
      /* A string is a blob (boto_value_get_blob()). */
      if (!boto_type_is_blob (type))
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

void
boto_validate_invalid_type (Report     *report,
                            const Path *path,
                            GVariant   *value,
                            const char *valid_types)
{
  report_invalid_type (report, path, value, valid_types);
}

void
boto_validate_check_min (Report      *report,
                         BotoSerNode *shape,
                         const Path  *path,
                         double       value,
                         GVariant    *shown_value,
                         gint64       shown_length,
                         gboolean     is_length)
{
  check_min (report, shape, path, value, shown_value, shown_length, is_length);
}

void
boto_validate_value (Report      *report,
                     BotoSerNode *shape,
                     GVariant    *raw,
                     const Path  *path)
{
  validate_value (report, shape, raw, path);
}

void
boto_validate_unwrapped (Report      *report,
                         BotoSerNode *shape,
                         GVariant    *value,
                         const Path  *path)
{
  validate_unwrapped (report, shape, value, NULL, path);
}

void
boto_validate_unwrapped_type (Report      *report,
                              BotoSerNode *shape,
                              GVariant    *value,
                              const char  *type,
                              const Path  *path)
{
  validate_unwrapped (report, shape, value, type, path);
}

void
boto_validate_integer_read (Report      *report,
                            BotoSerNode *shape,
                            GVariant    *value,
                            gint64       i,
                            gboolean     overflow,
                            const Path  *path)
{
  integer_checks (report, shape, value, path, i, overflow);
}

gboolean
boto_validate_report_finish (Report  *report,
                             GError **error)
{
  g_autoptr(GPtrArray) lines = g_steal_pointer (&report->lines);

  if (lines != NULL && lines->len > 0)
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

gboolean
boto_protocol_validate_params (BotoShape  *input,
                               GVariant   *params,
                               GError    **error)
{
  g_return_val_if_fail (input == NULL || BOTO_IS_SHAPE (input), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return boto_protocol_validate_node (input != NULL ? boto_ser_plan_get_root (input) : NULL,
                                      params, error);
}

gboolean
boto_protocol_validate_node (BotoSerNode *input,
                             GVariant    *params,
                             GError     **error)
{
  Report report = { NULL };
  g_autoptr(GVariant) empty = NULL;
  Path root = { NULL, PATH_ROOT, NULL, 0 };

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);


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
        report_invalid_type (&report, &root, value, "<class 'dict'>");
      else if (g_variant_n_children (value) > 0)
        {
          BotoDictIter iter;
          const char *key;
          GVariant *child;

          boto_dict_iter_init (&iter, value);
          while (boto_dict_iter_next (&iter, &key, &child))
            {
              report_add_line (&report,
                               g_strdup_printf ("Unknown parameter in input: \"%s\", must be one of: ",
                                                key));
              g_variant_unref (child);
            }
        }
    }
  else
    validate_value (&report, input, params, &root);

  return boto_validate_report_finish (&report, error);
}
