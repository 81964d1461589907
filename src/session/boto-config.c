/* boto-config.c: client options, as botocore's Config holds them
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include "boto-error.h"
#include "boto-config.h"

/**
 * BotoConfig:
 *
 * The options a client is created with, named and nested exactly as the
 * keyword arguments of botocore's `Config`: `region_name`,
 * `signature_version`, `user_agent_extra`, `connect_timeout`,
 * `read_timeout`, `parameter_validation`, `max_pool_connections`,
 * `retries` (`mode`, `max_attempts`, `total_max_attempts`), `s3`
 * (`addressing_style`, `use_accelerate_endpoint`, …),
 * `use_dualstack_endpoint`, `use_fips_endpoint`,
 * `ignore_configured_endpoint_urls`, `request_checksum_calculation` … .
 *
 * A config holds only the options given to it; every other setting comes
 * from the environment and the config files when a client is made (see
 * [method@Boto.Session.resolve_client_config]). Configs are immutable and
 * can be shared between threads; [method@Boto.Config.merge] makes a new one.
 *
 * Since: 1.0
 */

struct _BotoConfig
{
  gatomicrefcount  ref_count;
  GVariant        *options;   /* a{sv}, validated */
};

G_DEFINE_BOXED_TYPE (BotoConfig, boto_config, boto_config_ref, boto_config_unref)

typedef enum {
  OPTION_STRING,
  OPTION_BOOLEAN,
  OPTION_INTEGER,
  OPTION_NUMBER,       /* integer or double, kept as a double */
  OPTION_DICT,         /* a{sv}, checked against a nested table */
  OPTION_STRING_DICT,  /* a{ss} */
  OPTION_ANY_DICT,     /* a{sv}, not checked */
} OptionKind;

typedef struct _OptionSpec OptionSpec;
struct _OptionSpec
{
  const char       *name;
  OptionKind        kind;
  const OptionSpec *nested;
  const char * const *choices;
};

static const char * const retry_modes[] = { "legacy", "standard", "adaptive", NULL };
static const char * const addressing_styles[] = { "auto", "virtual", "path", NULL };
static const char * const checksum_modes[] = { "when_supported", "when_required", NULL };

static const OptionSpec retries_options[] = {
  { "mode", OPTION_STRING, NULL, retry_modes },
  { "max_attempts", OPTION_INTEGER },
  { "total_max_attempts", OPTION_INTEGER },
  { NULL }
};

static const OptionSpec s3_options[] = {
  { "addressing_style", OPTION_STRING, NULL, addressing_styles },
  { "use_accelerate_endpoint", OPTION_BOOLEAN },
  { "payload_signing_enabled", OPTION_BOOLEAN },
  { "us_east_1_regional_endpoint", OPTION_STRING },
  { "use_arn_region", OPTION_BOOLEAN },
  { "disable_multiregion_access_points", OPTION_BOOLEAN },
  { NULL }
};

static const OptionSpec config_options[] = {
  { "region_name", OPTION_STRING },
  { "signature_version", OPTION_STRING },
  { "user_agent", OPTION_STRING },
  { "user_agent_extra", OPTION_STRING },
  { "user_agent_appid", OPTION_STRING },
  { "connect_timeout", OPTION_NUMBER },
  { "read_timeout", OPTION_NUMBER },
  { "parameter_validation", OPTION_BOOLEAN },
  { "max_pool_connections", OPTION_INTEGER },
  { "proxies", OPTION_STRING_DICT },
  { "s3", OPTION_DICT, s3_options },
  { "retries", OPTION_DICT, retries_options },
  { "inject_host_prefix", OPTION_BOOLEAN },
  { "use_dualstack_endpoint", OPTION_BOOLEAN },
  { "use_fips_endpoint", OPTION_BOOLEAN },
  { "ignore_configured_endpoint_urls", OPTION_BOOLEAN },
  { "tcp_keepalive", OPTION_BOOLEAN },
  { "request_min_compression_size_bytes", OPTION_INTEGER },
  { "disable_request_compression", OPTION_BOOLEAN },
  { "client_context_params", OPTION_ANY_DICT },
  { "sigv4a_signing_region_set", OPTION_STRING },
  { "request_checksum_calculation", OPTION_STRING, NULL, checksum_modes },
  { "response_checksum_validation", OPTION_STRING, NULL, checksum_modes },
  { "account_id_endpoint_mode", OPTION_STRING },
  { NULL }
};

static gboolean
is_integer_type (GVariant *value)
{
  static const char integer_types[] = "ynqiuxt";

  return strchr (integer_types, g_variant_get_type_string (value)[0]) != NULL &&
         g_variant_get_type_string (value)[1] == '\0';
}

static gboolean
integer_value (GVariant *value,
               gint64   *out)
{
  switch (g_variant_get_type_string (value)[0])
    {
    case 'y': *out = g_variant_get_byte (value); return TRUE;
    case 'n': *out = g_variant_get_int16 (value); return TRUE;
    case 'q': *out = g_variant_get_uint16 (value); return TRUE;
    case 'i': *out = g_variant_get_int32 (value); return TRUE;
    case 'u': *out = g_variant_get_uint32 (value); return TRUE;
    case 'x': *out = g_variant_get_int64 (value); return TRUE;
    case 't':
      if (g_variant_get_uint64 (value) > G_MAXINT64)
        return FALSE;
      *out = (gint64) g_variant_get_uint64 (value);
      return TRUE;
    default:
      return FALSE;
    }
}

/* Checks @options against @specs and returns them normalized (integers as
 * `x`, numbers as `d`), or NULL with the problems appended to @problems. */
/* Lenient input: a section given as any dictionary with string keys
 * (`a{ss}`, as PyGObject makes `{'addressing_style': 'path'}`) is taken as
 * the `a{sv}` it spells. *@value is replaced, and *@owned with it. */
static gboolean
as_vardict (GVariant **owned,
            GVariant **value)
{
  GVariantBuilder builder;
  GVariantIter iter;
  GVariant *entry;

  if (g_variant_is_of_type (*value, G_VARIANT_TYPE_VARDICT))
    return TRUE;
  if (!g_variant_is_of_type (*value, G_VARIANT_TYPE ("a{s*}")))
    return FALSE;
  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_iter_init (&iter, *value);
  while ((entry = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_autoptr(GVariant) key = g_variant_get_child_value (entry, 0);
      g_autoptr(GVariant) item = g_variant_get_child_value (entry, 1);

      g_variant_builder_add (&builder, "{sv}", g_variant_get_string (key, NULL), item);
      g_variant_unref (entry);
    }
  g_clear_pointer (owned, g_variant_unref);
  *owned = *value = g_variant_ref_sink (g_variant_builder_end (&builder));
  return TRUE;
}

static GVariant *
normalize_options (GVariant         *options,
                   const OptionSpec *specs,
                   const char       *prefix,
                   GString          *problems)
{
  GVariantBuilder builder;
  GVariantIter iter;
  const char *name;
  GVariant *value;
  gsize problems_before = problems->len;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_iter_init (&iter, options);
  while (g_variant_iter_next (&iter, "{&sv}", &name, &value))
    {
      g_autoptr(GVariant) owned = value;
      const OptionSpec *spec = NULL;
      gint64 integer;

      while (g_variant_is_of_type (value, G_VARIANT_TYPE_VARIANT))
        {
          g_autoptr(GVariant) boxed = value;

          owned = value = g_variant_get_variant (boxed);
        }

      for (guint i = 0; specs[i].name != NULL; i++)
        if (strcmp (specs[i].name, name) == 0)
          spec = &specs[i];

      if (spec == NULL)
        {
          g_string_append_printf (problems, "\n  unknown option “%s%s”", prefix, name);
          continue;
        }

      switch (spec->kind)
        {
        case OPTION_STRING:
          if (!g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
            break;
          if (spec->choices != NULL &&
              !g_strv_contains (spec->choices, g_variant_get_string (value, NULL)))
            {
              g_autofree char *allowed = g_strjoinv (", ", (GStrv) spec->choices);

              g_string_append_printf (problems, "\n  “%s%s” must be one of %s, not “%s”",
                                      prefix, name, allowed, g_variant_get_string (value, NULL));
              continue;
            }
          g_variant_builder_add (&builder, "{sv}", name, value);
          continue;

        case OPTION_BOOLEAN:
          if (!g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
            break;
          g_variant_builder_add (&builder, "{sv}", name, value);
          continue;

        case OPTION_INTEGER:
          if (!integer_value (value, &integer))
            break;
          if (integer < 0)
            {
              g_string_append_printf (problems, "\n  “%s%s” must not be negative", prefix, name);
              continue;
            }
          g_variant_builder_add (&builder, "{sv}", name, g_variant_new_int64 (integer));
          continue;

        case OPTION_NUMBER:
          if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
            g_variant_builder_add (&builder, "{sv}", name, value);
          else if (is_integer_type (value) && integer_value (value, &integer))
            g_variant_builder_add (&builder, "{sv}", name, g_variant_new_double ((double) integer));
          else
            break;
          continue;

        case OPTION_STRING_DICT:
          if (!g_variant_is_of_type (value, G_VARIANT_TYPE ("a{ss}")))
            break;
          g_variant_builder_add (&builder, "{sv}", name, value);
          continue;

        case OPTION_ANY_DICT:
          if (!as_vardict (&owned, &value))
            break;
          g_variant_builder_add (&builder, "{sv}", name, value);
          continue;

        case OPTION_DICT:
          if (as_vardict (&owned, &value))
            {
              g_autofree char *nested_prefix = g_strconcat (prefix, name, ".", NULL);
              GVariant *nested = normalize_options (value, spec->nested, nested_prefix, problems);

              if (nested != NULL)
                g_variant_builder_add (&builder, "{sv}", name, nested);
              continue;
            }
          break;

        default:
          g_assert_not_reached ();
        }

      g_string_append_printf (problems, "\n  “%s%s” has the wrong type “%s”",
                              prefix, name, g_variant_get_type_string (value));
    }

  if (problems->len != problems_before)
    {
      g_variant_builder_clear (&builder);
      return NULL;
    }

  return g_variant_builder_end (&builder);
}

/**
 * boto_config_new:
 * @options: (nullable): the options, `a{sv}` named as botocore's `Config`
 *   keyword arguments, nested dictionaries for `retries` and `s3`
 * @error: return location for a #GError
 *
 * Checks every option's name and type; integers may be given in any
 * integer type and timeouts as integers or doubles.
 *
 * Returns: (transfer full): the config, or %NULL with @error set to
 *   %BOTO_CLIENT_ERROR_INVALID_CONFIG listing every problem
 *
 * Since: 1.0
 */
BotoConfig *
boto_config_new (GVariant  *options,
                 GError   **error)
{
  g_autoptr(GVariant) sunk = options != NULL ? g_variant_ref_sink (options) : NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  GVariant *normalized;
  BotoConfig *self;

  g_return_val_if_fail (options == NULL || g_variant_is_of_type (options, G_VARIANT_TYPE_VARDICT), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (options == NULL)
    normalized = g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0);
  else
    normalized = normalize_options (options, config_options, "", problems);

  if (normalized == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG,
                   "Invalid client configuration:%s", problems->str);
      return NULL;
    }

  self = g_new0 (BotoConfig, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->options = g_variant_ref_sink (normalized);
  return self;
}

/**
 * boto_config_ref:
 * @self: a config
 *
 * Increases the reference count of @self.
 *
 * Returns: (transfer full): @self
 *
 * Since: 1.0
 */
BotoConfig *
boto_config_ref (BotoConfig *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * boto_config_unref:
 * @self: (transfer full): a config
 *
 * Decreases the reference count of @self, and frees it when the count drops
 * to zero.
 *
 * Since: 1.0
 */
void
boto_config_unref (BotoConfig *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_variant_unref (self->options);
  g_free (self);
}

/**
 * boto_config_get_options:
 * @self: a config
 *
 * Gets the options of the config.
 *
 * Returns: (transfer none): the options given, normalized (`a{sv}`)
 *
 * Since: 1.0
 */
GVariant *
boto_config_get_options (BotoConfig *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->options;
}

/**
 * boto_config_lookup:
 * @self: a config
 * @option: an option name; `retries.mode` or `s3.addressing_style` for a
 *   nested one
 *
 * Looks up the value of one option of the config.
 *
 * Returns: (transfer full) (nullable): the option's value, or %NULL if it
 *   was not given
 *
 * Since: 1.0
 */
GVariant *
boto_config_lookup (BotoConfig *self,
                    const char *option)
{
  g_auto(GStrv) path = NULL;
  g_autoptr(GVariant) value = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (option != NULL, NULL);

  path = g_strsplit (option, ".", 2);
  value = g_variant_lookup_value (self->options, path[0], NULL);
  if (value != NULL && path[1] != NULL)
    {
      if (!g_variant_is_of_type (value, G_VARIANT_TYPE_VARDICT))
        return NULL;
      return g_variant_lookup_value (value, path[1], NULL);
    }

  return g_steal_pointer (&value);
}

/**
 * boto_config_merge:
 * @self: a config
 * @other: the config whose options win
 *
 * Like botocore's `Config.merge`: the options of both, those of @other
 * taking precedence (a nested dictionary given in @other replaces the one in
 * @self whole, as in botocore).
 *
 * Returns: (transfer full): a new config
 *
 * Since: 1.0
 */
BotoConfig *
boto_config_merge (BotoConfig *self,
                   BotoConfig *other)
{
  GVariantBuilder builder;
  GVariantIter iter;
  const char *name;
  GVariant *value;
  BotoConfig *merged;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (other != NULL, NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_iter_init (&iter, self->options);
  while (g_variant_iter_next (&iter, "{&sv}", &name, &value))
    {
      if (!g_variant_lookup (other->options, name, "*", NULL))
        g_variant_builder_add (&builder, "{sv}", name, value);
      g_variant_unref (value);
    }
  g_variant_iter_init (&iter, other->options);
  while (g_variant_iter_next (&iter, "{&sv}", &name, &value))
    {
      g_variant_builder_add (&builder, "{sv}", name, value);
      g_variant_unref (value);
    }

  merged = g_new0 (BotoConfig, 1);
  g_atomic_ref_count_init (&merged->ref_count);
  merged->options = g_variant_ref_sink (g_variant_builder_end (&builder));
  return merged;
}
