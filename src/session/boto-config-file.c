/* boto-config-file.c: the shared config and credentials files
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <errno.h>
#include <string.h>

#include <gio/gio.h>

#include "boto-error.h"
#include "boto-config-file-private.h"

typedef struct
{
  char    *name;
  GString *value;     /* lines joined with \n, built as they come */
  guint    n_pending_empty;
} Option;

typedef struct
{
  char      *name;
  GPtrArray *options; /* Option*, in file order */
} Section;

static void
option_free (gpointer p)
{
  Option *option = p;

  g_free (option->name);
  g_string_free (option->value, TRUE);
  g_free (option);
}

static void
section_free (gpointer p)
{
  Section *section = p;

  g_free (section->name);
  g_ptr_array_unref (section->options);
  g_free (section);
}

static Section *
section_new (const char *name)
{
  Section *section = g_new0 (Section, 1);

  section->name = g_strdup (name);
  section->options = g_ptr_array_new_with_free_func (option_free);
  return section;
}

static Option *
section_find (Section    *section,
              const char *name)
{
  for (guint i = 0; i < section->options->len; i++)
    {
      Option *option = section->options->pdata[i];

      if (strcmp (option->name, name) == 0)
        return option;
    }

  return NULL;
}

/* Python's str.strip(): whitespace at both ends. */
static char *
strip (const char *start,
       gsize       length)
{
  const char *end = start + length;

  while (start < end && g_ascii_isspace (*start))
    start++;
  while (end > start && g_ascii_isspace (end[-1]))
    end--;

  return g_strndup (start, end - start);
}

static gboolean
set_parse_error (GError    **error,
                 const char *file_name,
                 guint       line_number,
                 const char *what)
{
  g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG,
               "Unable to parse config file %s, line %u: %s",
               file_name, line_number, what);
  return FALSE;
}

/* A value that starts on the line after its key: `key = value` lines. */
static GVariant *
parse_nested (const char *value)
{
  g_auto(GStrv) lines = g_strsplit (value, "\n", -1);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *equals;
      g_autofree char *key = NULL;
      g_autofree char *val = NULL;
      g_autofree char *stripped = strip (lines[i], strlen (lines[i]));

      if (stripped[0] == '\0')
        continue;

      equals = strchr (lines[i], '=');
      if (equals == NULL)
        {
          g_variant_builder_clear (&builder);
          return NULL;
        }
      key = strip (lines[i], equals - lines[i]);
      val = strip (equals + 1, strlen (equals + 1));
      g_variant_builder_add (&builder, "{ss}", key, val);
    }

  return g_variant_builder_end (&builder);
}

static gboolean
add_option_value (GVariantBuilder *builder,
                  Option          *option,
                  const char      *file_name,
                  GError         **error)
{
  const char *text = option->value->str;
  gsize length = option->value->len;

  /* configparser strips the trailing whitespace of joined values. */
  while (length > 0 && g_ascii_isspace (text[length - 1]))
    length--;

  if (length > 0 && text[0] == '\n')
    {
      g_autofree char *value = g_strndup (text, length);
      GVariant *nested = parse_nested (value);

      if (nested == NULL)
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG,
                       "Unable to parse config file %s: the nested value of “%s” "
                       "has a line without “=”", file_name, option->name);
          return FALSE;
        }
      g_variant_builder_add (builder, "{sv}", option->name, nested);
    }
  else
    {
      g_autofree char *value = g_strndup (text, length);

      g_variant_builder_add (builder, "{sv}", option->name, g_variant_new_string (value));
    }

  return TRUE;
}

/*
 * boto_config_file_parse_data:
 * @contents: the file's text
 * @length: its length, or -1 if NUL-terminated
 * @file_name: the name to give in errors
 *
 * Returns: (transfer full): the sections in file order, `a{sa{sv}}`, or
 *   %NULL with @error set to %BOTO_CLIENT_ERROR_INVALID_CONFIG naming the
 *   file and the line
 */
GVariant *
boto_config_file_parse_data (const char  *contents,
                             gssize       length,
                             const char  *file_name,
                             GError     **error)
{
  g_autoptr(GPtrArray) sections = g_ptr_array_new_with_free_func (section_free);
  g_autoptr(GString) normalized = NULL;
  g_auto(GStrv) lines = NULL;
  Section *defaults = section_new ("DEFAULT");
  Section *current = NULL;
  Option *option = NULL;
  gsize indent_level = 0;
  GVariantBuilder builder;

  g_ptr_array_add (sections, defaults);

  if (length < 0)
    length = strlen (contents);

  if (!g_utf8_validate (contents, length, NULL))
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG,
                   "Unable to parse config file %s: it is not valid UTF-8", file_name);
      return NULL;
    }

  /* Universal newlines, as Python reads text files. */
  normalized = g_string_new_len (contents, length);
  g_string_replace (normalized, "\r\n", "\n", 0);
  g_string_replace (normalized, "\r", "\n", 0);
  lines = g_strsplit (normalized->str, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      guint line_number = i + 1;
      g_autofree char *value = strip (line, strlen (line));
      gsize indent = 0;

      /* Full-line comments, even indented ones. */
      if (value[0] == '#' || value[0] == ';')
        continue;

      if (value[0] == '\0')
        {
          /* Empty lines inside a value count, unless they end it. */
          if (option != NULL)
            option->n_pending_empty++;
          continue;
        }

      while (line[indent] != '\0' && g_ascii_isspace (line[indent]))
        indent++;

      if (current != NULL && option != NULL && indent > indent_level)
        {
          for (; option->n_pending_empty > 0; option->n_pending_empty--)
            g_string_append_c (option->value, '\n');
          g_string_append_c (option->value, '\n');
          g_string_append (option->value, value);
          continue;
        }

      indent_level = indent;
      if (value[0] == '[' && strrchr (value, ']') > value + 1)
        {
          g_autofree char *name = g_strndup (value + 1, strrchr (value, ']') - value - 1);

          option = NULL;
          if (strcmp (name, "DEFAULT") == 0)
            {
              current = defaults;
              continue;
            }
          for (guint s = 1; s < sections->len; s++)
            if (strcmp (((Section *) sections->pdata[s])->name, name) == 0)
              {
                g_autofree char *what = g_strdup_printf ("section “%s” appears twice", name);

                set_parse_error (error, file_name, line_number, what);
                return NULL;
              }
          current = section_new (name);
          g_ptr_array_add (sections, current);
          continue;
        }

      if (current == NULL)
        {
          set_parse_error (error, file_name, line_number, "a setting comes before any [section]");
          return NULL;
        }

      {
        gsize delimiter = strcspn (value, "=:");
        g_autofree char *name = NULL;

        if (value[delimiter] == '\0')
          {
            set_parse_error (error, file_name, line_number, "expected “key = value”");
            return NULL;
          }

        name = strip (value, delimiter);
        if (name[0] == '\0')
          {
            set_parse_error (error, file_name, line_number, "a setting has no name");
            return NULL;
          }
        {
          g_autofree char *lower = g_ascii_strdown (name, -1);

          if (section_find (current, lower) != NULL)
            {
              g_autofree char *what = g_strdup_printf ("“%s” is set twice in [%s]", lower, current->name);

              set_parse_error (error, file_name, line_number, what);
              return NULL;
            }

          option = g_new0 (Option, 1);
          option->name = g_steal_pointer (&lower);
          {
            g_autofree char *v = strip (value + delimiter + 1, strlen (value + delimiter + 1));

            option->value = g_string_new (v);
          }
          g_ptr_array_add (current->options, option);
        }
      }
    }

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{sa{sv}}"));
  for (guint s = 1; s < sections->len; s++)
    {
      Section *section = sections->pdata[s];
      GVariantBuilder options;

      g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
      for (guint o = 0; o < section->options->len; o++)
        if (!add_option_value (&options, section->options->pdata[o], file_name, error))
          {
            g_variant_builder_clear (&options);
            g_variant_builder_clear (&builder);
            return NULL;
          }
      /* [DEFAULT] settings reach every section that does not set them. */
      for (guint o = 0; o < defaults->options->len; o++)
        {
          Option *inherited = defaults->options->pdata[o];

          if (section_find (section, inherited->name) == NULL &&
              !add_option_value (&options, inherited, file_name, error))
            {
              g_variant_builder_clear (&options);
              g_variant_builder_clear (&builder);
              return NULL;
            }
        }
      g_variant_builder_add (&builder, "{sa{sv}}", section->name, &options);
    }

  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

/*
 * boto_config_file_parse:
 * @path: a config or credentials file
 *
 * A missing file reads as empty, as in botocore; an unreadable or malformed
 * one is an error that names it.
 *
 * Returns: (transfer full): the sections, `a{sa{sv}}`, or %NULL with @error set
 */
GVariant *
boto_config_file_parse (const char  *path,
                        GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT) ||
          g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR))
        return g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sa{sv}}"), NULL, 0));

      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG,
                   "Unable to read config file %s: %s", path, local_error->message);
      return NULL;
    }

  return boto_config_file_parse_data (contents, length, path, error);
}

/*
 * boto_shell_split:
 * @text: a command line or a section name
 *
 * Python's shlex.split(), which botocore uses for section names and
 * credential_process commands: words split at whitespace, with single and
 * double quotes and backslash escapes.
 *
 * Returns: (transfer full) (nullable): the words, or %NULL for an unclosed quote
 */
GStrv
boto_shell_split (const char *text)
{
  g_autoptr(GStrvBuilder) words = g_strv_builder_new ();
  const char *p = text;

  while (*p != '\0')
    {
      g_autoptr(GString) word = NULL;

      while (g_ascii_isspace (*p))
        p++;
      if (*p == '\0')
        break;

      word = g_string_new (NULL);
      while (*p != '\0' && !g_ascii_isspace (*p))
        {
          if (*p == '"' || *p == '\'')
            {
              char quote = *p++;

              while (*p != '\0' && *p != quote)
                {
                  if (quote == '"' && *p == '\\' && (p[1] == '"' || p[1] == '\\'))
                    p++;
                  g_string_append_c (word, *p++);
                }
              if (*p != quote)
                return NULL;   /* No closing quotation */
              p++;
            }
          else if (*p == '\\' && p[1] != '\0')
            {
              g_string_append_c (word, p[1]);
              p += 2;
            }
          else
            g_string_append_c (word, *p++);
        }
      g_strv_builder_add (words, word->str);
    }

  return g_strv_builder_end (words);
}

/*
 * boto_config_file_build_profiles:
 * @sections: `a{sa{sv}}` from boto_config_file_parse()
 * @is_config_file: whether sections are named as in the config file
 *   (`[profile x]`, `[default]`, `[services x]`, `[sso-session x]`) rather
 *   than as in the credentials file (`[x]`)
 *
 * Returns: (transfer full): `a{sv}` with `profiles`, `services` and
 *   `sso_sessions`, each `a{sa{sv}}`; a later section of the same name
 *   replaces an earlier one (so `[profile default]` and `[default]`: the
 *   last in the file wins, as in botocore)
 */
GVariant *
boto_config_file_build_profiles (GVariant *sections,
                                 gboolean  is_config_file)
{
  static const char * const kinds[] = { "profiles", "services", "sso_sessions" };
  GHashTable *maps[3];
  GPtrArray *orders[3];
  GVariantBuilder result;
  GVariantIter iter;
  const char *name;
  GVariant *values;

  for (guint k = 0; k < 3; k++)
    {
      maps[k] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_variant_unref);
      orders[k] = g_ptr_array_new_with_free_func (g_free);
    }

  g_variant_iter_init (&iter, sections);
  while (g_variant_iter_next (&iter, "{&s@a{sv}}", &name, &values))
    {
      g_autoptr(GVariant) owned = values;
      g_auto(GStrv) words = NULL;
      const char *key = NULL;
      guint kind = 0;

      if (!is_config_file)
        key = name;
      else if (g_str_has_prefix (name, "profile") || g_str_has_prefix (name, "sso-session") ||
               g_str_has_prefix (name, "services"))
        {
          words = boto_shell_split (name);
          if (words == NULL || g_strv_length (words) != 2)
            continue;
          key = words[1];
          kind = g_str_has_prefix (name, "profile") ? 0 : g_str_has_prefix (name, "services") ? 1 : 2;
        }
      else if (strcmp (name, "default") == 0)
        key = name;
      else
        continue;

      if (!g_hash_table_contains (maps[kind], key))
        g_ptr_array_add (orders[kind], g_strdup (key));
      g_hash_table_replace (maps[kind], g_strdup (key), g_variant_ref (values));
    }

  g_variant_builder_init (&result, G_VARIANT_TYPE_VARDICT);
  for (guint k = 0; k < 3; k++)
    {
      GVariantBuilder map;

      g_variant_builder_init (&map, G_VARIANT_TYPE ("a{sa{sv}}"));
      for (guint i = 0; i < orders[k]->len; i++)
        g_variant_builder_add (&map, "{s@a{sv}}", orders[k]->pdata[i],
                               g_hash_table_lookup (maps[k], orders[k]->pdata[i]));
      g_variant_builder_add (&result, "{sv}", kinds[k], g_variant_builder_end (&map));
      g_hash_table_unref (maps[k]);
      g_ptr_array_unref (orders[k]);
    }

  return g_variant_ref_sink (g_variant_builder_end (&result));
}
