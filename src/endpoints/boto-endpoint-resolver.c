/* boto-endpoint-resolver.c: the endpoint rule-set engine
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include "boto-error.h"
#include "boto-endpoint-resolver-private.h"
#include "boto-model-private.h"
#include "boto-model-loader-private.h"

/*
 * Compiled form.  The rule set's GVariant is kept alive by the rule set, so
 * names and literals are borrowed from it.  Every variable (parameter,
 * `assign` target, `ref`, template variable) gets a slot number at compile
 * time; a resolution only indexes arrays.
 *
 * Values at run time are GVariants (full references, never floating):
 * strings `s`, booleans `b`, integers `x`, string arrays `as`, objects
 * `a{sv}`; NULL is "not set".
 */

typedef enum {
  EXPR_LITERAL,
  EXPR_TEMPLATE,
  EXPR_REF,
  EXPR_FN,
} ExprKind;

typedef enum {
  FN_UNKNOWN,
  FN_IS_SET,
  FN_NOT,
  FN_GET_ATTR,
  FN_BOOLEAN_EQUALS,
  FN_STRING_EQUALS,
  FN_SUBSTRING,
  FN_URI_ENCODE,
  FN_PARSE_URL,
  FN_IS_VALID_HOST_LABEL,
  FN_COALESCE,
  FN_ITE,
  FN_SPLIT,
  FN_AWS_PARTITION,
  FN_AWS_PARSE_ARN,
  FN_AWS_IS_VIRTUAL_HOSTABLE_S3_BUCKET,
} FnKind;

static const struct
{
  const char *name;
  FnKind      kind;
} fn_names[] = {
  { "isSet", FN_IS_SET },
  { "not", FN_NOT },
  { "getAttr", FN_GET_ATTR },
  { "booleanEquals", FN_BOOLEAN_EQUALS },
  { "stringEquals", FN_STRING_EQUALS },
  { "substring", FN_SUBSTRING },
  { "uriEncode", FN_URI_ENCODE },
  { "parseURL", FN_PARSE_URL },
  { "isValidHostLabel", FN_IS_VALID_HOST_LABEL },
  { "coalesce", FN_COALESCE },
  { "ite", FN_ITE },
  { "split", FN_SPLIT },
  { "aws.partition", FN_AWS_PARTITION },
  { "aws.parseArn", FN_AWS_PARSE_ARN },
  { "aws.isVirtualHostableS3Bucket", FN_AWS_IS_VIRTUAL_HOSTABLE_S3_BUCKET },
};

/* One step of a getAttr path: a key, or an index (which ends the path). */
typedef struct
{
  char *key;   /* NULL when the step is only an index */
  int   index; /* -1 when there is no index */
} PathStep;

typedef struct
{
  guint     n_steps;
  PathStep *steps;
} AttrPath;

typedef struct
{
  char  *literal;  /* NULL for a variable */
  int    slot;
  char **path;     /* keys after '#' */
} TemplatePart;

typedef struct _Expr Expr;
struct _Expr
{
  ExprKind      kind;
  GVariant     *value;       /* EXPR_LITERAL (NULL for JSON null) */
  guint         n_parts;     /* EXPR_TEMPLATE */
  TemplatePart *parts;
  int           slot;        /* EXPR_REF */
  FnKind        fn;          /* EXPR_FN */
  const char   *fn_name;
  guint         argc;
  Expr        **argv;
  int           assign;      /* slot, or -1 */
  AttrPath     *attr_path;   /* getAttr with a literal path */
};

typedef enum {
  PROP_CONST,
  PROP_TEMPLATE,
  PROP_OBJECT,
  PROP_ARRAY,
} PropKind;

typedef struct _PropNode PropNode;
struct _PropNode
{
  PropKind     kind;
  GVariant    *value;     /* PROP_CONST */
  Expr        *tpl;       /* PROP_TEMPLATE */
  guint        n;         /* PROP_OBJECT / PROP_ARRAY */
  const char **keys;
  PropNode   **children;
};

typedef struct
{
  const char *name;
  guint       n_values;
  Expr      **values;
} Header;

typedef enum {
  RULE_ENDPOINT,
  RULE_ERROR,
  RULE_TREE,
} RuleKind;

typedef struct _Rule Rule;
struct _Rule
{
  RuleKind  kind;
  guint     n_conditions;
  Expr    **conditions;
  guint     n_rules;     /* tree: valid once `compiled` is set */
  Rule    **rules;
  GVariant *rules_node;  /* tree: the source of `rules`, compiled on first use */
  gsize     compiled;    /* tree: g_once_init_enter() flag */
  GError   *compile_error;
  Expr     *url;         /* endpoint */
  PropNode *properties;
  guint     n_headers;
  Header   *headers;
  Expr     *error;       /* error */
};

typedef struct
{
  const char            *name;
  BotoEndpointParamType  type;
  const char            *builtin;
  GVariant              *default_value;
  gboolean               required;
  int                    slot;
} ParamDef;

typedef struct
{
  const char *id;
  GRegex     *regex;
  GHashTable *regions;   /* region name → GVariant* output (with overrides) */
  GVariant   *output;    /* a{sv}: outputs with name = id */
} Partition;

/* Compiled partitions.json, shared by every rule set made from the same
 * data (the built-in one in practice: compiling its regexes and region
 * tables is most of what a rule set costs). Immutable once built. */
typedef struct
{
  gatomicrefcount ref_count;
  GVariant       *root;
  guint           n_partitions;
  Partition      *partitions;
} PartitionTable;

struct _BotoEndpointRuleSet
{
  gatomicrefcount ref_count;
  GVariant       *root;
  PartitionTable *ptable;
  /* Trees compile their rules on first use (a client only ever walks a
   * small part of S3's rules), so slots keep being added after
   * construction: `lock` guards `slots` and `slot_names`, and `n_slots`
   * is read without it. */
  GMutex          lock;
  GHashTable     *slots;       /* name → slot + 1 */
  GPtrArray      *slot_names;  /* slot → name (borrowed) */
  gint            n_slots;     /* atomic: slot_names->len */
  /* Resolutions are remembered by the values of the slots that any
   * resolution so far has read (`relevant`): two inputs that agree there
   * take the same path through the rules. Under lock. */
  GArray         *relevant;    /* of int (slot) */
  GHashTable     *cache;       /* key (GBytes, see cache_key ()) → BotoEndpoint* */
  guint           n_params;
  ParamDef       *params;
  guint           n_rules;
  Rule          **rules;
};

/* Errors */

static void
set_resolution_error (GError    **error,
                      const char *format,
                      ...) G_GNUC_PRINTF (2, 3);

static void
set_resolution_error (GError    **error,
                      const char *format,
                      ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, BOTO_CLIENT_ERROR,
                       BOTO_CLIENT_ERROR_ENDPOINT_RESOLUTION, message);
}

/* Freeing */

static void
attr_path_free (AttrPath *path)
{
  if (path == NULL)
    return;
  for (guint i = 0; i < path->n_steps; i++)
    g_free (path->steps[i].key);
  g_free (path->steps);
  g_free (path);
}

static void
expr_free (Expr *expr)
{
  if (expr == NULL)
    return;
  g_clear_pointer (&expr->value, g_variant_unref);
  for (guint i = 0; i < expr->n_parts; i++)
    {
      g_free (expr->parts[i].literal);
      g_strfreev (expr->parts[i].path);
    }
  g_free (expr->parts);
  for (guint i = 0; i < expr->argc; i++)
    expr_free (expr->argv[i]);
  g_free (expr->argv);
  attr_path_free (expr->attr_path);
  g_free (expr);
}

static void
prop_free (PropNode *node)
{
  if (node == NULL)
    return;
  g_clear_pointer (&node->value, g_variant_unref);
  expr_free (node->tpl);
  for (guint i = 0; i < node->n; i++)
    prop_free (node->children[i]);
  g_free (node->children);
  g_free (node->keys);
  g_free (node);
}

static void
rule_free (Rule *rule)
{
  if (rule == NULL)
    return;
  for (guint i = 0; i < rule->n_conditions; i++)
    expr_free (rule->conditions[i]);
  g_free (rule->conditions);
  for (guint i = 0; i < rule->n_rules; i++)
    rule_free (rule->rules[i]);
  g_free (rule->rules);
  g_clear_pointer (&rule->rules_node, g_variant_unref);
  g_clear_error (&rule->compile_error);
  expr_free (rule->url);
  prop_free (rule->properties);
  for (guint i = 0; i < rule->n_headers; i++)
    {
      for (guint j = 0; j < rule->headers[i].n_values; j++)
        expr_free (rule->headers[i].values[j]);
      g_free (rule->headers[i].values);
    }
  g_free (rule->headers);
  expr_free (rule->error);
  g_free (rule);
}

/* Compiling */

typedef struct
{
  BotoEndpointRuleSet *rs;
  GError             **error;
} Compiler;

static int
slot_for (BotoEndpointRuleSet *rs,
          const char          *name)
{
  gpointer found = g_hash_table_lookup (rs->slots, name);

  if (found != NULL)
    return GPOINTER_TO_INT (found) - 1;

  g_ptr_array_add (rs->slot_names, (gpointer) name);
  g_hash_table_insert (rs->slots, (gpointer) name,
                       GINT_TO_POINTER ((int) rs->slot_names->len));
  g_atomic_int_set (&rs->n_slots, (gint) rs->slot_names->len);
  return (int) rs->slot_names->len - 1;
}

/* A JSON null compiles to a maybe with no value. */
static GVariant *
unwrap_json (GVariant *value)
{
  if (value == NULL)
    return NULL;
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_VARIANT))
    {
      GVariant *inner = g_variant_get_variant (value);
      g_variant_unref (value);
      value = inner;
    }
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_MAYBE))
    {
      GVariant *inner = g_variant_get_maybe (value);
      g_variant_unref (value);
      if (inner == NULL)
        return NULL;
      return unwrap_json (inner);
    }
  return value;
}

static GVariant *
lookup (GVariant   *dict,
        const char *key)
{
  if (dict == NULL || !g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT))
    return NULL;
  return unwrap_json (g_variant_lookup_value (dict, key, NULL));
}

static gboolean
is_type (GVariant           *value,
         const GVariantType *type)
{
  return value != NULL && g_variant_is_of_type (value, type);
}

/* botocore's TEMPLATE_STRING_RE: `\{[a-zA-Z#]+\}` somewhere in the string. */
static gboolean
looks_like_template (const char *s)
{
  for (const char *p = strchr (s, '{'); p != NULL; p = strchr (p + 1, '{'))
    {
      const char *q = p + 1;

      while (g_ascii_isalpha (*q) || *q == '#')
        q++;
      if (q > p + 1 && *q == '}')
        return TRUE;
    }
  return FALSE;
}

static Expr *
compile_template (Compiler   *c,
                  const char *s)
{
  Expr *expr = g_new0 (Expr, 1);
  g_autoptr(GArray) parts = g_array_new (FALSE, TRUE, sizeof (TemplatePart));
  g_autoptr(GString) literal = g_string_new (NULL);
  const char *p = s;

  expr->kind = EXPR_TEMPLATE;

  while (*p != '\0')
    {
      if (p[0] == '{' && p[1] == '{')
        {
          g_string_append_c (literal, '{');
          p += 2;
        }
      else if (p[0] == '}' && p[1] == '}')
        {
          g_string_append_c (literal, '}');
          p += 2;
        }
      else if (p[0] == '{')
        {
          const char *end = strchr (p, '}');
          TemplatePart part = { NULL, -1, NULL };
          g_autofree char *field = NULL;
          g_auto(GStrv) names = NULL;

          if (end == NULL)
            {
              g_set_error (c->error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                           "Endpoint rule set: unterminated template “%s”", s);
              g_free (expr);
              for (guint i = 0; i < parts->len; i++)
                {
                  g_free (g_array_index (parts, TemplatePart, i).literal);
                  g_strfreev (g_array_index (parts, TemplatePart, i).path);
                }
              return NULL;
            }
          if (literal->len > 0)
            {
              TemplatePart lit = { g_strdup (literal->str), -1, NULL };
              g_array_append_val (parts, lit);
              g_string_truncate (literal, 0);
            }
          field = g_strndup (p + 1, end - p - 1);
          names = g_strsplit (field, "#", -1);
          /* The variable name is borrowed from the slot table, which needs
           * a string that lives as long as the rule set: intern it. */
          part.slot = slot_for (c->rs, g_intern_string (names[0] != NULL ? names[0] : ""));
          if (names[0] != NULL && names[1] != NULL)
            part.path = g_strdupv (names + 1);
          g_array_append_val (parts, part);
          p = end + 1;
        }
      else
        {
          g_string_append_c (literal, *p);
          p++;
        }
    }
  if (literal->len > 0)
    {
      TemplatePart lit = { g_strdup (literal->str), -1, NULL };
      g_array_append_val (parts, lit);
    }

  expr->n_parts = parts->len;
  expr->parts = (TemplatePart *) g_array_free (g_steal_pointer (&parts), FALSE);
  return expr;
}

static AttrPath *
parse_attr_path (const char *path)
{
  AttrPath *result = g_new0 (AttrPath, 1);
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  guint n = g_strv_length (parts);

  result->steps = g_new0 (PathStep, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      PathStep *step = &result->steps[result->n_steps++];
      const char *open = strchr (parts[i], '[');
      const char *digits = open != NULL ? open + 1 : NULL;
      const char *q = digits;

      step->index = -1;
      /* botocore: `(\w*)\[(\d+)\]` anywhere in the part */
      if (q != NULL)
        {
          while (g_ascii_isdigit (*q))
            q++;
        }
      if (q != NULL && q > digits && *q == ']')
        {
          if (open > parts[i])
            step->key = g_strndup (parts[i], open - parts[i]);
          step->index = (int) MIN (g_ascii_strtoull (digits, NULL, 10), G_MAXINT);
          break;
        }
      step->key = g_strdup (parts[i]);
    }
  return result;
}

static Expr *compile_expr (Compiler *c, GVariant *node);

static Expr *
compile_fn (Compiler *c,
            GVariant *node)
{
  Expr *expr = g_new0 (Expr, 1);
  g_autoptr(GVariant) fn = lookup (node, "fn");
  g_autoptr(GVariant) argv = lookup (node, "argv");
  g_autoptr(GVariant) assign = lookup (node, "assign");

  expr->kind = EXPR_FN;
  expr->assign = -1;

  if (!is_type (fn, G_VARIANT_TYPE_STRING) ||
      (argv != NULL && !g_variant_is_of_type (argv, G_VARIANT_TYPE ("av"))) ||
      (assign != NULL && !is_type (assign, G_VARIANT_TYPE_STRING)))
    {
      g_set_error_literal (c->error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                           "Endpoint rule set: malformed function call");
      g_free (expr);
      return NULL;
    }

  expr->fn_name = g_variant_get_string (fn, NULL);
  expr->fn = FN_UNKNOWN;
  for (guint i = 0; i < G_N_ELEMENTS (fn_names); i++)
    if (strcmp (fn_names[i].name, expr->fn_name) == 0)
      expr->fn = fn_names[i].kind;

  if (assign != NULL)
    expr->assign = slot_for (c->rs, g_variant_get_string (assign, NULL));

  expr->argc = argv != NULL ? g_variant_n_children (argv) : 0;
  expr->argv = g_new0 (Expr *, MAX (expr->argc, 1));
  for (guint i = 0; i < expr->argc; i++)
    {
      g_autoptr(GVariant) arg = unwrap_json (g_variant_get_child_value (argv, i));

      expr->argv[i] = compile_expr (c, arg);
      if (expr->argv[i] == NULL && *c->error != NULL)
        {
          expr_free (expr);
          return NULL;
        }
    }

  if (expr->fn == FN_GET_ATTR && expr->argc == 2 &&
      expr->argv[1]->kind == EXPR_LITERAL &&
      is_type (expr->argv[1]->value, G_VARIANT_TYPE_STRING))
    expr->attr_path = parse_attr_path (g_variant_get_string (expr->argv[1]->value, NULL));

  return expr;
}

/* Never returns NULL without an error, except that a JSON null compiles
 * to a literal NULL expression. */
static Expr *
compile_expr (Compiler *c,
              GVariant *node)
{
  Expr *expr;

  if (node != NULL && g_variant_is_of_type (node, G_VARIANT_TYPE_VARDICT))
    {
      g_autoptr(GVariant) fn = g_variant_lookup_value (node, "fn", NULL);
      g_autoptr(GVariant) ref = NULL;

      if (fn != NULL)
        return compile_fn (c, node);
      ref = lookup (node, "ref");
      if (ref != NULL)
        {
          if (!g_variant_is_of_type (ref, G_VARIANT_TYPE_STRING))
            {
              g_set_error_literal (c->error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                                   "Endpoint rule set: malformed reference");
              return NULL;
            }
          expr = g_new0 (Expr, 1);
          expr->kind = EXPR_REF;
          expr->slot = slot_for (c->rs, g_variant_get_string (ref, NULL));
          return expr;
        }
    }

  if (node != NULL && g_variant_is_of_type (node, G_VARIANT_TYPE_STRING) &&
      looks_like_template (g_variant_get_string (node, NULL)))
    return compile_template (c, g_variant_get_string (node, NULL));

  expr = g_new0 (Expr, 1);
  expr->kind = EXPR_LITERAL;
  expr->value = node != NULL ? g_variant_ref (node) : NULL;
  return expr;
}

/* Properties: only template strings are resolved (as botocore does). */
static PropNode *
compile_prop (Compiler *c,
              GVariant *node,
              gboolean *has_template)
{
  PropNode *prop = g_new0 (PropNode, 1);

  if (node != NULL && g_variant_is_of_type (node, G_VARIANT_TYPE_VARDICT))
    {
      GVariantIter iter;
      const char *key;
      GVariant *child;
      gboolean any = FALSE;
      guint i = 0;

      prop->kind = PROP_OBJECT;
      prop->n = g_variant_n_children (node);
      prop->keys = g_new0 (const char *, MAX (prop->n, 1));
      prop->children = g_new0 (PropNode *, MAX (prop->n, 1));
      g_variant_iter_init (&iter, node);
      while (g_variant_iter_next (&iter, "{&sv}", &key, &child))
        {
          g_autoptr(GVariant) value = unwrap_json (child);

          prop->keys[i] = key;
          prop->children[i] = compile_prop (c, value, &any);
          i++;
        }
      if (!any)
        {
          for (i = 0; i < prop->n; i++)
            prop_free (prop->children[i]);
          g_clear_pointer (&prop->children, g_free);
          g_clear_pointer (&prop->keys, g_free);
          prop->n = 0;
          prop->kind = PROP_CONST;
          prop->value = g_variant_ref (node);
        }
      *has_template |= any;
    }
  else if (node != NULL && g_variant_is_of_type (node, G_VARIANT_TYPE ("av")))
    {
      gboolean any = FALSE;

      prop->kind = PROP_ARRAY;
      prop->n = g_variant_n_children (node);
      prop->children = g_new0 (PropNode *, MAX (prop->n, 1));
      for (guint i = 0; i < prop->n; i++)
        {
          g_autoptr(GVariant) value = unwrap_json (g_variant_get_child_value (node, i));

          prop->children[i] = compile_prop (c, value, &any);
        }
      if (!any)
        {
          for (guint i = 0; i < prop->n; i++)
            prop_free (prop->children[i]);
          g_clear_pointer (&prop->children, g_free);
          prop->n = 0;
          prop->kind = PROP_CONST;
          prop->value = g_variant_ref (node);
        }
      *has_template |= any;
    }
  else if (node != NULL && g_variant_is_of_type (node, G_VARIANT_TYPE_STRING) &&
           looks_like_template (g_variant_get_string (node, NULL)))
    {
      prop->kind = PROP_TEMPLATE;
      prop->tpl = compile_template (c, g_variant_get_string (node, NULL));
      if (prop->tpl == NULL)
        {
          prop->kind = PROP_CONST;
          prop->value = g_variant_ref (node);
        }
      *has_template = TRUE;
    }
  else
    {
      prop->kind = PROP_CONST;
      /* JSON null inside properties stays a null (maybe nothing). */
      prop->value = node != NULL ? g_variant_ref (node)
                                 : g_variant_ref_sink (g_variant_new_maybe (G_VARIANT_TYPE_VARIANT, NULL));
    }
  return prop;
}

static Rule *compile_rule (Compiler *c, GVariant *node);

static gboolean
compile_rules (Compiler *c,
               GVariant *array,
               guint    *out_n,
               Rule   ***out_rules)
{
  guint n;

  if (!is_type (array, G_VARIANT_TYPE ("av")))
    {
      g_set_error_literal (c->error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                           "Endpoint rule set: “rules” must be a list");
      return FALSE;
    }
  n = g_variant_n_children (array);
  *out_rules = g_new0 (Rule *, MAX (n, 1));
  *out_n = 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GVariant) child = unwrap_json (g_variant_get_child_value (array, i));
      Rule *rule = compile_rule (c, child);

      if (rule == NULL)
        return FALSE;
      (*out_rules)[(*out_n)++] = rule;
    }
  return TRUE;
}

static Rule *
compile_rule (Compiler *c,
              GVariant *node)
{
  g_autoptr(GVariant) type = lookup (node, "type");
  g_autoptr(GVariant) conditions = lookup (node, "conditions");
  const char *type_name;
  Rule *rule;

  if (!is_type (type, G_VARIANT_TYPE_STRING))
    {
      g_set_error_literal (c->error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                           "Endpoint rule set: a rule has no type");
      return NULL;
    }
  type_name = g_variant_get_string (type, NULL);
  rule = g_new0 (Rule, 1);
  if (strcmp (type_name, "endpoint") == 0)
    rule->kind = RULE_ENDPOINT;
  else if (strcmp (type_name, "error") == 0)
    rule->kind = RULE_ERROR;
  else if (strcmp (type_name, "tree") == 0)
    rule->kind = RULE_TREE;
  else
    {
      g_set_error (c->error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                   "Unknown rule type: %s. A rule must be of type tree, endpoint or error.",
                   type_name);
      g_free (rule);
      return NULL;
    }

  if (conditions != NULL)
    {
      guint n;

      if (!g_variant_is_of_type (conditions, G_VARIANT_TYPE ("av")))
        goto malformed;
      n = g_variant_n_children (conditions);
      rule->conditions = g_new0 (Expr *, MAX (n, 1));
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GVariant) cond = unwrap_json (g_variant_get_child_value (conditions, i));

          if (!is_type (cond, G_VARIANT_TYPE_VARDICT))
            goto malformed;
          rule->conditions[rule->n_conditions] = compile_fn (c, cond);
          if (rule->conditions[rule->n_conditions] == NULL)
            goto failed;
          rule->n_conditions++;
        }
    }

  switch (rule->kind)
    {
    case RULE_TREE:
      {
        g_autoptr(GVariant) rules = lookup (node, "rules");

        /* Only the shape is checked now; see rule_ensure_compiled(). */
        if (!is_type (rules, G_VARIANT_TYPE ("av")))
          {
            g_set_error_literal (c->error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                                 "Endpoint rule set: “rules” must be a list");
            goto failed;
          }
        rule->rules_node = g_steal_pointer (&rules);
      }
      break;

    case RULE_ERROR:
      {
        g_autoptr(GVariant) error = lookup (node, "error");

        if (error == NULL)
          goto malformed;
        rule->error = compile_expr (c, error);
        if (rule->error == NULL)
          goto failed;
      }
      break;

    case RULE_ENDPOINT:
      {
        g_autoptr(GVariant) endpoint = lookup (node, "endpoint");
        g_autoptr(GVariant) url = lookup (endpoint, "url");
        g_autoptr(GVariant) properties = lookup (endpoint, "properties");
        g_autoptr(GVariant) headers = lookup (endpoint, "headers");
        gboolean any = FALSE;

        if (url == NULL)
          goto malformed;
        rule->url = compile_expr (c, url);
        if (rule->url == NULL)
          goto failed;
        if (properties != NULL)
          {
            if (!g_variant_is_of_type (properties, G_VARIANT_TYPE_VARDICT))
              goto malformed;
            rule->properties = compile_prop (c, properties, &any);
            if (*c->error != NULL)
              goto failed;
          }
        if (headers != NULL)
          {
            GVariantIter iter;
            const char *name;
            GVariant *values;

            if (!g_variant_is_of_type (headers, G_VARIANT_TYPE_VARDICT))
              goto malformed;
            rule->headers = g_new0 (Header, MAX (g_variant_n_children (headers), 1));
            g_variant_iter_init (&iter, headers);
            while (g_variant_iter_next (&iter, "{&sv}", &name, &values))
              {
                g_autoptr(GVariant) list = unwrap_json (values);
                Header *header = &rule->headers[rule->n_headers++];

                header->name = name;
                if (!is_type (list, G_VARIANT_TYPE ("av")))
                  goto malformed;
                header->values = g_new0 (Expr *, MAX (g_variant_n_children (list), 1));
                for (gsize i = 0; i < g_variant_n_children (list); i++)
                  {
                    g_autoptr(GVariant) item = unwrap_json (g_variant_get_child_value (list, i));

                    header->values[i] = compile_expr (c, item);
                    if (header->values[i] == NULL)
                      goto failed;
                    header->n_values++;
                  }
              }
          }
      }
      break;
    }

  return rule;

malformed:
  if (*c->error == NULL)
    g_set_error_literal (c->error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                         "Endpoint rule set: malformed rule");
failed:
  rule_free (rule);
  return NULL;
}

static gboolean
has_override_keys (GVariant *overrides)
{
  GVariantIter iter;
  const char *key;

  if (!is_type (overrides, G_VARIANT_TYPE_VARDICT))
    return FALSE;
  g_variant_iter_init (&iter, overrides);
  while (g_variant_iter_next (&iter, "{&s*}", &key, NULL))
    if (strcmp (key, "description") != 0 && strcmp (key, "name") != 0)
      return TRUE;
  return FALSE;
}

static void
partition_table_unref (PartitionTable *table)
{
  if (!g_atomic_ref_count_dec (&table->ref_count))
    return;
  for (guint i = 0; i < table->n_partitions; i++)
    {
      g_clear_pointer (&table->partitions[i].regex, g_regex_unref);
      g_clear_pointer (&table->partitions[i].regions, g_hash_table_unref);
      g_clear_pointer (&table->partitions[i].output, g_variant_unref);
    }
  g_free (table->partitions);
  g_variant_unref (table->root);
  g_free (table);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PartitionTable, partition_table_unref)

static gboolean compile_partitions (PartitionTable *rs, GVariant *root, GError **error);

G_LOCK_DEFINE_STATIC (shared_partitions);
static PartitionTable *shared_partitions;  /* the last table built */

/* The same bytes (the built-in partitions.json is mapped in place, so its
 * data pointer is stable) give the same table. */
static PartitionTable *
partition_table_get (GVariant  *root,
                     GError   **error)
{
  g_autoptr(PartitionTable) table = NULL;

  G_LOCK (shared_partitions);
  if (shared_partitions != NULL &&
      g_variant_get_size (shared_partitions->root) == g_variant_get_size (root) &&
      g_variant_get_data (shared_partitions->root) == g_variant_get_data (root) &&
      g_variant_is_of_type (root, g_variant_get_type (shared_partitions->root)))
    {
      g_atomic_ref_count_inc (&shared_partitions->ref_count);
      table = shared_partitions;
      G_UNLOCK (shared_partitions);
      return g_steal_pointer (&table);
    }
  G_UNLOCK (shared_partitions);

  table = g_new0 (PartitionTable, 1);
  g_atomic_ref_count_init (&table->ref_count);
  table->root = g_variant_ref_sink (root);
  if (!compile_partitions (table, root, error))
    return NULL;

  G_LOCK (shared_partitions);
  g_clear_pointer (&shared_partitions, partition_table_unref);
  g_atomic_ref_count_inc (&table->ref_count);
  shared_partitions = table;
  G_UNLOCK (shared_partitions);
  return g_steal_pointer (&table);
}

static gboolean
compile_partitions (PartitionTable *rs,
                    GVariant       *root,
                    GError        **error)
{
  g_autoptr(GVariant) list = lookup (root, "partitions");
  guint n;

  if (!is_type (list, G_VARIANT_TYPE ("av")) || g_variant_n_children (list) == 0)
    {
      g_set_error_literal (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                           "partitions.json has no partitions");
      return FALSE;
    }

  n = g_variant_n_children (list);
  rs->partitions = g_new0 (Partition, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GVariant) node = unwrap_json (g_variant_get_child_value (list, i));
      g_autoptr(GVariant) id = lookup (node, "id");
      g_autoptr(GVariant) regex = lookup (node, "regionRegex");
      g_autoptr(GVariant) outputs = lookup (node, "outputs");
      g_autoptr(GVariant) regions = lookup (node, "regions");
      Partition *part = &rs->partitions[rs->n_partitions];
      g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
      GVariantIter iter;
      const char *key;
      GVariant *value;

      if (!is_type (id, G_VARIANT_TYPE_STRING) ||
          !is_type (outputs, G_VARIANT_TYPE_VARDICT))
        {
          g_set_error_literal (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                               "partitions.json: malformed partition");
          return FALSE;
        }
      rs->n_partitions++;
      part->id = g_variant_get_string (id, NULL);
      part->regions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                             (GDestroyNotify) g_variant_unref);

      if (is_type (regex, G_VARIANT_TYPE_STRING))
        {
          part->regex = g_regex_new (g_variant_get_string (regex, NULL),
                                     0, 0, error);
          if (part->regex == NULL)
            return FALSE;
        }

      /* outputs, with name = id (botocore's format_partition_output) */
      g_variant_iter_init (&iter, outputs);
      while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
        {
          if (strcmp (key, "name") != 0)
            g_variant_builder_add (&builder, "{sv}", key, value);
          g_variant_unref (value);
        }
      g_variant_builder_add (&builder, "{sv}", "name", g_variant_new_string (part->id));
      part->output = g_variant_ref_sink (g_variant_builder_end (&builder));

      if (is_type (regions, G_VARIANT_TYPE_VARDICT))
        {
          const char *region;
          GVariant *entry;

          g_variant_iter_init (&iter, regions);
          while (g_variant_iter_next (&iter, "{&sv}", &region, &entry))
            {
              g_autoptr(GVariant) overrides = unwrap_json (entry);
              g_auto(GVariantBuilder) merged = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
              GVariantIter out_iter;
              gboolean any = FALSE;

              /* A region entry may override outputs (the Smithy spec);
               * anything but "description" is an override. Most entries
               * only have a description and share the partition's
               * outputs. */
              if (!has_override_keys (overrides))
                {
                  g_hash_table_insert (part->regions, (gpointer) region, g_variant_ref (part->output));
                  continue;
                }
              g_variant_iter_init (&out_iter, part->output);
              while (g_variant_iter_next (&out_iter, "{&sv}", &key, &value))
                {
                  g_autoptr(GVariant) over = lookup (overrides, key);

                  if (over != NULL && strcmp (key, "name") != 0)
                    {
                      g_variant_builder_add (&merged, "{sv}", key, over);
                      any = TRUE;
                    }
                  else
                    g_variant_builder_add (&merged, "{sv}", key, value);
                  g_variant_unref (value);
                }
              if (any)
                g_hash_table_insert (part->regions, (gpointer) region,
                                     g_variant_ref_sink (g_variant_builder_end (&merged)));
              else
                g_hash_table_insert (part->regions, (gpointer) region,
                                     g_variant_ref (part->output));
            }
        }
    }
  return TRUE;
}

static gboolean
compile_params (Compiler *c,
                GVariant *params)
{
  BotoEndpointRuleSet *rs = c->rs;
  GVariantIter iter;
  const char *name;
  GVariant *child;

  if (params == NULL)
    return TRUE;
  if (!g_variant_is_of_type (params, G_VARIANT_TYPE_VARDICT))
    {
      g_set_error_literal (c->error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                           "Endpoint rule set: “parameters” must be an object");
      return FALSE;
    }

  rs->params = g_new0 (ParamDef, MAX (g_variant_n_children (params), 1));
  g_variant_iter_init (&iter, params);
  while (g_variant_iter_next (&iter, "{&sv}", &name, &child))
    {
      g_autoptr(GVariant) spec = unwrap_json (child);
      g_autoptr(GVariant) type = lookup (spec, "type");
      g_autoptr(GVariant) builtin = lookup (spec, "builtIn");
      g_autoptr(GVariant) required = lookup (spec, "required");
      ParamDef *def = &rs->params[rs->n_params];
      g_autofree char *lower = NULL;

      if (!is_type (type, G_VARIANT_TYPE_STRING))
        {
          g_set_error (c->error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                       "Endpoint rule set: parameter %s has no type", name);
          return FALSE;
        }
      lower = g_ascii_strdown (g_variant_get_string (type, NULL), -1);
      if (strcmp (lower, "string") == 0)
        def->type = BOTO_ENDPOINT_PARAM_STRING;
      else if (strcmp (lower, "boolean") == 0)
        def->type = BOTO_ENDPOINT_PARAM_BOOLEAN;
      else if (strcmp (lower, "stringarray") == 0)
        def->type = BOTO_ENDPOINT_PARAM_STRING_ARRAY;
      else
        {
          g_set_error (c->error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                       "Unknown parameter type: %s. A parameter must be of type string, boolean, or stringarray.",
                       g_variant_get_string (type, NULL));
          return FALSE;
        }
      rs->n_params++;
      def->name = name;
      def->builtin = is_type (builtin, G_VARIANT_TYPE_STRING) ? g_variant_get_string (builtin, NULL) : NULL;
      def->required = is_type (required, G_VARIANT_TYPE_BOOLEAN) && g_variant_get_boolean (required);
      def->default_value = lookup (spec, "default");
      if (def->default_value != NULL && def->type == BOTO_ENDPOINT_PARAM_STRING_ARRAY &&
          g_variant_is_of_type (def->default_value, G_VARIANT_TYPE ("av")))
        {
          g_auto(GVariantBuilder) b = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_STRING_ARRAY);

          for (gsize i = 0; i < g_variant_n_children (def->default_value); i++)
            {
              g_autoptr(GVariant) item = unwrap_json (g_variant_get_child_value (def->default_value, i));

              if (is_type (item, G_VARIANT_TYPE_STRING))
                g_variant_builder_add_value (&b, item);
            }
          g_variant_unref (def->default_value);
          def->default_value = g_variant_ref_sink (g_variant_builder_end (&b));
        }
      def->slot = slot_for (rs, name);
    }
  return TRUE;
}

BotoEndpointRuleSet *
boto_endpoint_rule_set_new (GVariant *rule_set,
                            GVariant *partitions,
                            GError  **error)
{
  g_autoptr(BotoEndpointRuleSet) rs = NULL;
  g_autoptr(GVariant) params = NULL;
  g_autoptr(GVariant) rules = NULL;
  g_autoptr(GVariant) partitions_root = NULL;
  GError *local_error = NULL;
  Compiler c = { NULL, &local_error };

  g_return_val_if_fail (rule_set != NULL, NULL);
  g_return_val_if_fail (partitions != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  rs = g_new0 (BotoEndpointRuleSet, 1);
  g_atomic_ref_count_init (&rs->ref_count);
  rs->root = g_variant_ref_sink (rule_set);
  partitions_root = g_variant_ref_sink (partitions);
  rs->slots = g_hash_table_new (g_str_hash, g_str_equal);
  rs->slot_names = g_ptr_array_new ();
  g_mutex_init (&rs->lock);
  rs->relevant = g_array_new (FALSE, FALSE, sizeof (int));
  rs->cache = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref,
                                     (GDestroyNotify) boto_endpoint_unref);
  c.rs = rs;

  if (!g_variant_is_of_type (rule_set, G_VARIANT_TYPE_VARDICT))
    {
      g_set_error_literal (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                           "Endpoint rule set must be an object");
      return NULL;
    }
  rs->ptable = partition_table_get (partitions_root, error);
  if (rs->ptable == NULL)
    return NULL;

  params = lookup (rule_set, "parameters");
  rules = lookup (rule_set, "rules");
  if (!compile_params (&c, params) ||
      !compile_rules (&c, rules, &rs->n_rules, &rs->rules))
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  return g_steal_pointer (&rs);
}

BotoEndpointRuleSet *
boto_endpoint_rule_set_ref (BotoEndpointRuleSet *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
boto_endpoint_rule_set_unref (BotoEndpointRuleSet *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  for (guint i = 0; i < self->n_rules; i++)
    rule_free (self->rules[i]);
  g_free (self->rules);
  for (guint i = 0; i < self->n_params; i++)
    g_clear_pointer (&self->params[i].default_value, g_variant_unref);
  g_free (self->params);
  g_clear_pointer (&self->ptable, partition_table_unref);
  g_hash_table_unref (self->slots);
  g_ptr_array_unref (self->slot_names);
  g_hash_table_unref (self->cache);
  g_array_unref (self->relevant);
  g_mutex_clear (&self->lock);
  g_variant_unref (self->root);
  g_free (self);
}

guint
boto_endpoint_rule_set_get_n_parameters (BotoEndpointRuleSet *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_params;
}

const char *
boto_endpoint_rule_set_get_parameter (BotoEndpointRuleSet   *self,
                                      guint                  index,
                                      BotoEndpointParamType *out_type,
                                      const char           **out_builtin)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->n_params, NULL);

  if (out_type != NULL)
    *out_type = self->params[index].type;
  if (out_builtin != NULL)
    *out_builtin = self->params[index].builtin;
  return self->params[index].name;
}

#define ENDPOINT_CACHE_SIZE 100

/* Compiles a tree's rules the first time it is reached, once, whichever
 * thread gets there first; a malformed nested rule fails every resolution
 * that reaches it. */
static gboolean
rule_ensure_compiled (BotoEndpointRuleSet *rs,
                      Rule                *rule,
                      GError             **error)
{
  if (g_once_init_enter (&rule->compiled))
    {
      GError *local_error = NULL;
      Compiler c = { rs, &local_error };

      g_mutex_lock (&rs->lock);
      if (!compile_rules (&c, rule->rules_node, &rule->n_rules, &rule->rules))
        rule->compile_error = local_error;
      g_mutex_unlock (&rs->lock);
      g_once_init_leave (&rule->compiled, 1);
    }

  if (rule->compile_error != NULL)
    {
      g_propagate_error (error, g_error_copy (rule->compile_error));
      return FALSE;
    }
  return TRUE;
}

static const char *
slot_name (BotoEndpointRuleSet *rs,
           int                  slot)
{
  const char *name;

  g_mutex_lock (&rs->lock);
  name = g_ptr_array_index (rs->slot_names, slot);
  g_mutex_unlock (&rs->lock);
  return name;
}

/* Evaluation */

typedef struct
{
  BotoEndpointRuleSet *rs;
  GVariant            *params;   /* the caller's inputs (borrowed) */
  guint                n_slots;  /* size of values and defined */
  GVariant           **values;   /* slot → value (owned) */
  gboolean            *defined;  /* slot → assigned (even to NULL) */
  guint8              *read;     /* slot → read by the rules */
  GArray              *undo;     /* assigned slots, in order */
} Scope;

/* Grows the scope to every slot compiled so far; a slot that is new to it
 * takes the caller's input of that name, as the slots known at the start
 * did. */
static void
scope_sync (Scope *scope)
{
  guint n = (guint) g_atomic_int_get (&scope->rs->n_slots);
  guint old = scope->n_slots;

  if (n <= old)
    return;

  scope->values = g_renew (GVariant *, scope->values, n);
  scope->defined = g_renew (gboolean, scope->defined, n);
  scope->read = g_renew (guint8, scope->read, n);
  memset (scope->values + old, 0, (n - old) * sizeof (GVariant *));
  memset (scope->defined + old, 0, (n - old) * sizeof (gboolean));
  memset (scope->read + old, 0, (n - old));
  scope->n_slots = n;

  if (scope->params == NULL)
    return;

  if (old == 0)
    {
      GVariantIter iter;
      const char *name;
      GVariant *child;

      /* Each input the rules name, looked up by name. */
      g_mutex_lock (&scope->rs->lock);
      g_variant_iter_init (&iter, scope->params);
      while (g_variant_iter_next (&iter, "{&sv}", &name, &child))
        {
          gpointer found = g_hash_table_lookup (scope->rs->slots, name);
          int slot = GPOINTER_TO_INT (found) - 1;

          if (found != NULL && (guint) slot < n)
            {
              g_clear_pointer (&scope->values[slot], g_variant_unref);
              scope->values[slot] = unwrap_json (g_variant_ref (child));
              scope->defined[slot] = TRUE;
            }
          g_variant_unref (child);
        }
      g_mutex_unlock (&scope->rs->lock);
      return;
    }

  for (guint slot = old; slot < n; slot++)
    {
      GVariant *value = g_variant_lookup_value (scope->params, slot_name (scope->rs, (int) slot), NULL);

      if (value != NULL)
        {
          scope->values[slot] = unwrap_json (value);
          scope->defined[slot] = TRUE;
        }
    }
}

static void
scope_set (Scope    *scope,
           int       slot,
           GVariant *value)
{
  g_clear_pointer (&scope->values[slot], g_variant_unref);
  scope->values[slot] = value != NULL ? g_variant_ref (value) : NULL;
  scope->defined[slot] = TRUE;
}

static void
scope_rollback (Scope *scope,
                guint  mark)
{
  while (scope->undo->len > mark)
    {
      int slot = g_array_index (scope->undo, int, scope->undo->len - 1);

      g_clear_pointer (&scope->values[slot], g_variant_unref);
      scope->defined[slot] = FALSE;
      g_array_set_size (scope->undo, scope->undo->len - 1);
    }
}

/* Python's type names, for messages that match botocore's. */
static const char *
py_type (GVariant *value)
{
  if (value == NULL)
    return "<class 'NoneType'>";
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return "<class 'str'>";
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    return "<class 'bool'>";
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64) ||
      g_variant_is_of_type (value, G_VARIANT_TYPE_INT32))
    return "<class 'int'>";
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    return "<class 'float'>";
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_VARDICT))
    return "<class 'dict'>";
  return "<class 'list'>";
}

/* Python's str() of a value. */
static void
py_str (GString  *out,
        GVariant *value,
        gboolean  quoted)
{
  if (value == NULL)
    g_string_append (out, "None");
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    {
      if (quoted)
        g_string_append_printf (out, "'%s'", g_variant_get_string (value, NULL));
      else
        g_string_append (out, g_variant_get_string (value, NULL));
    }
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    g_string_append (out, g_variant_get_boolean (value) ? "True" : "False");
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    g_string_append_printf (out, "%" G_GINT64_FORMAT, g_variant_get_int64 (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_VARIANT))
    {
      g_autoptr(GVariant) inner = g_variant_get_variant (value);
      py_str (out, inner, quoted);
    }
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_VARDICT))
    {
      GVariantIter iter;
      const char *key;
      GVariant *child;
      gboolean first = TRUE;

      g_string_append_c (out, '{');
      g_variant_iter_init (&iter, value);
      while (g_variant_iter_next (&iter, "{&sv}", &key, &child))
        {
          g_string_append_printf (out, "%s'%s': ", first ? "" : ", ", key);
          py_str (out, child, TRUE);
          g_variant_unref (child);
          first = FALSE;
        }
      g_string_append_c (out, '}');
    }
  else if (g_variant_is_container (value))
    {
      g_string_append_c (out, '[');
      for (gsize i = 0; i < g_variant_n_children (value); i++)
        {
          g_autoptr(GVariant) child = g_variant_get_child_value (value, i);

          if (i > 0)
            g_string_append (out, ", ");
          py_str (out, child, TRUE);
        }
      g_string_append_c (out, ']');
    }
  else
    {
      g_autofree char *text = g_variant_print (value, FALSE);
      g_string_append (out, text);
    }
}

static gboolean
truthy (GVariant *value)
{
  if (value == NULL)
    return FALSE;
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    return g_variant_get_boolean (value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return g_variant_get_string (value, NULL)[0] != '\0';
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    return g_variant_get_int64 (value) != 0;
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    return g_variant_get_double (value) != 0.0;
  if (g_variant_is_container (value))
    return g_variant_n_children (value) > 0;
  return TRUE;
}

static gboolean
get_int (GVariant *value,
         gint64   *out)
{
  if (is_type (value, G_VARIANT_TYPE_INT64))
    *out = g_variant_get_int64 (value);
  else if (is_type (value, G_VARIANT_TYPE_INT32))
    *out = g_variant_get_int32 (value);
  else
    return FALSE;
  return TRUE;
}

static GVariant *
new_string (const char *s)
{
  return g_variant_ref_sink (g_variant_new_string (s));
}

static GVariant *
new_take_string (char *s)
{
  return g_variant_ref_sink (g_variant_new_take_string (s));
}

static GVariant *
new_bool (gboolean b)
{
  return g_variant_ref_sink (g_variant_new_boolean (b));
}

/* An element or member, unwrapping `v` and JSON null. */
static GVariant *
child_at (GVariant *value,
          gsize     index)
{
  return unwrap_json (g_variant_get_child_value (value, index));
}

static GVariant *
get_attr (GVariant *value,
          AttrPath *path)
{
  g_autoptr(GVariant) current = value != NULL ? g_variant_ref (value) : NULL;

  for (guint i = 0; i < path->n_steps; i++)
    {
      PathStep *step = &path->steps[i];

      if (current == NULL)
        return NULL;
      if (step->key != NULL)
        {
          GVariant *next = lookup (current, step->key);

          g_variant_unref (current);
          current = next;
        }
      if (step->index >= 0)
        {
          if (current == NULL)
            return NULL;
          if (g_variant_is_of_type (current, G_VARIANT_TYPE_STRING))
            {
              gsize len;
              const char *s = g_variant_get_string (current, &len);

              if ((gsize) step->index >= len)
                return NULL;
              return g_variant_ref_sink (g_variant_new_take_string (g_strndup (s + step->index, 1)));
            }
          if (!g_variant_is_of_type (current, G_VARIANT_TYPE_ARRAY) ||
              (gsize) step->index >= g_variant_n_children (current))
            return NULL;
          return child_at (current, step->index);
        }
    }
  return g_steal_pointer (&current);
}

static gboolean
is_valid_host_label (const char *value,
                     gsize       len)
{
  if (len < 1 || len > 63 || value[0] == '-' || value[len - 1] == '-')
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (value[i]) && value[i] != '-')
      return FALSE;
  return TRUE;
}

static gboolean
fn_is_valid_host_label (GVariant *value,
                        GVariant *allow_subdomains)
{
  const char *s;
  gboolean allow;

  if (!is_type (value, G_VARIANT_TYPE_STRING))
    return FALSE;
  s = g_variant_get_string (value, NULL);
  allow = is_type (allow_subdomains, G_VARIANT_TYPE_BOOLEAN) && g_variant_get_boolean (allow_subdomains);

  if (!allow && is_type (allow_subdomains, G_VARIANT_TYPE_BOOLEAN) && strchr (s, '.') != NULL)
    return FALSE;
  if (allow)
    {
      const char *start = s;

      for (;;)
        {
          const char *dot = strchr (start, '.');
          gsize len = dot != NULL ? (gsize) (dot - start) : strlen (start);

          if (!is_valid_host_label (start, len))
            return FALSE;
          if (dot == NULL)
            return TRUE;
          start = dot + 1;
        }
    }
  return is_valid_host_label (s, strlen (s));
}

/* botocore's IPV4_RE: four groups of 1–3 digits. */
static gboolean
looks_like_ipv4 (const char *s)
{
  for (int group = 0; group < 4; group++)
    {
      int digits = 0;

      while (g_ascii_isdigit (*s) && digits < 4)
        {
          s++;
          digits++;
        }
      if (digits < 1 || digits > 3)
        return FALSE;
      if (group < 3)
        {
          if (*s != '.')
            return FALSE;
          s++;
        }
    }
  return *s == '\0';
}

static gboolean
fn_is_virtual_hostable_s3_bucket (GVariant *value,
                                  GVariant *allow_subdomains)
{
  const char *s;

  if (!is_type (value, G_VARIANT_TYPE_STRING))
    return FALSE;
  s = g_variant_get_string (value, NULL);
  if (strlen (s) < 3 || looks_like_ipv4 (s))
    return FALSE;
  for (const char *p = s; *p != '\0'; p++)
    if (g_ascii_isupper (*p))
      return FALSE;
  return fn_is_valid_host_label (value, allow_subdomains);
}

static void
append_percent_encoded (GString    *out,
                        const char *s,
                        const char *safe)
{
  static const char hex[] = "0123456789ABCDEF";

  for (const guchar *p = (const guchar *) s; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || strchr ("-._~", *p) != NULL ||
          (safe != NULL && strchr (safe, *p) != NULL))
        g_string_append_c (out, *p);
      else
        {
          g_string_append_c (out, '%');
          g_string_append_c (out, hex[*p >> 4]);
          g_string_append_c (out, hex[*p & 0xf]);
        }
    }
}

/* RFC 3986 5.2.4, with empty segments dropped (botocore's
 * remove_dot_segments). */
static char *
remove_dot_segments (const char *path)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GPtrArray) out = NULL;
  GString *result;
  gsize len = strlen (path);

  if (len == 0)
    return g_strdup ("/");
  parts = g_strsplit (path, "/", -1);
  out = g_ptr_array_new ();
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0' || strcmp (parts[i], ".") == 0)
        continue;
      if (strcmp (parts[i], "..") == 0)
        {
          if (out->len > 0)
            g_ptr_array_set_size (out, out->len - 1);
        }
      else
        g_ptr_array_add (out, parts[i]);
    }
  result = g_string_new (path[0] == '/' ? "/" : "");
  for (guint i = 0; i < out->len; i++)
    {
      if (i > 0)
        g_string_append_c (result, '/');
      g_string_append (result, out->pdata[i]);
    }
  if (path[len - 1] == '/' && out->len > 0)
    g_string_append_c (result, '/');
  return g_string_free (result, FALSE);
}

static gboolean
is_ipv6_literal (const char *host)
{
  g_autofree char *addr = g_strdup (host);
  char *zone = strchr (addr, '%');

  if (zone != NULL)
    {
      const char *z = zone + 1;

      if (g_str_has_prefix (z, "25"))
        z += 2;
      if (*z == '\0')
        return FALSE;
      *zone = '\0';
    }
  return strchr (addr, ':') != NULL && g_hostname_is_ip_address (addr);
}

/* Python's urllib.parse.urlparse, as far as botocore's parse_url uses it. */
static GVariant *
fn_parse_url (GVariant *value)
{
  const char *url;
  const char *colon;
  const char *rest;
  g_autofree char *scheme = NULL;
  g_autofree char *netloc = NULL;
  g_autofree char *path = NULL;
  g_autofree char *hostname = NULL;
  g_autofree char *port = NULL;
  g_autofree char *normalized = NULL;
  g_autoptr(GString) quoted = NULL;
  const char *hostinfo;
  const char *at;
  gboolean is_ip = FALSE;
  gsize path_len;
  const char *query;
  const char *fragment;
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

  if (!is_type (value, G_VARIANT_TYPE_STRING))
    return NULL;
  url = g_variant_get_string (value, NULL);
  rest = url;

  /* Python strips these before parsing. */
  if (strpbrk (url, "\t\r\n") != NULL)
    return NULL;

  colon = strchr (url, ':');
  if (colon != NULL && colon > url && g_ascii_isalpha (url[0]))
    {
      const char *p;

      for (p = url; p < colon; p++)
        if (!g_ascii_isalnum (*p) && *p != '+' && *p != '-' && *p != '.')
          break;
      if (p == colon)
        {
          scheme = g_ascii_strdown (url, colon - url);
          rest = colon + 1;
        }
    }
  if (scheme == NULL)
    scheme = g_strdup ("");

  if (g_str_has_prefix (rest, "//"))
    {
      gsize n = strcspn (rest + 2, "/?#");

      netloc = g_strndup (rest + 2, n);
      rest = rest + 2 + n;
    }
  else
    netloc = g_strdup ("");

  if ((strchr (netloc, '[') != NULL) != (strchr (netloc, ']') != NULL))
    return NULL;

  fragment = strchr (rest, '#');
  path_len = fragment != NULL ? (gsize) (fragment - rest) : strlen (rest);
  query = memchr (rest, '?', path_len);
  if (query != NULL)
    {
      if ((gsize) (query - rest) + 1 < path_len)
        return NULL; /* a query is not allowed */
      path_len = query - rest;
    }
  path = g_strndup (rest, path_len);
  {
    /* urlparse's params: ';' in the last segment ends the path */
    char *slash = strrchr (path, '/');
    char *semi = strchr (slash != NULL ? slash : path, ';');

    if (semi != NULL)
      *semi = '\0';
  }

  /* port, as urllib checks it */
  at = strrchr (netloc, '@');
  hostinfo = at != NULL ? at + 1 : netloc;
  if (hostinfo[0] == '[')
    {
      const char *close = strchr (hostinfo, ']');

      if (close == NULL)
        return NULL;
      hostname = g_ascii_strdown (hostinfo + 1, close - hostinfo - 1);
      if (close[1] == ':')
        port = g_strdup (close + 2);
    }
  else
    {
      const char *pc = strchr (hostinfo, ':');

      hostname = g_ascii_strdown (hostinfo, pc != NULL ? pc - hostinfo : -1);
      if (pc != NULL)
        port = g_strdup (pc + 1);
    }
  if (port != NULL && port[0] != '\0')
    {
      guint64 number = 0;

      for (const char *p = port; *p != '\0'; p++)
        {
          if (!g_ascii_isdigit (*p))
            return NULL;
          number = number * 10 + (*p - '0');
          if (number > 65535)
            return NULL;
        }
    }

  if (strcmp (scheme, "http") != 0 && strcmp (scheme, "https") != 0)
    return NULL;

  if (hostname[0] != '\0')
    is_ip = looks_like_ipv4 (hostname) || is_ipv6_literal (hostname);

  normalized = remove_dot_segments (path);
  quoted = g_string_new (NULL);
  append_percent_encoded (quoted, normalized, "/");
  if (quoted->len == 0 || quoted->str[quoted->len - 1] != '/')
    g_string_append_c (quoted, '/');

  g_variant_builder_add (&builder, "{sv}", "scheme", g_variant_new_string (scheme));
  g_variant_builder_add (&builder, "{sv}", "authority", g_variant_new_string (netloc));
  g_variant_builder_add (&builder, "{sv}", "path", g_variant_new_string (path));
  g_variant_builder_add (&builder, "{sv}", "normalizedPath", g_variant_new_string (quoted->str));
  g_variant_builder_add (&builder, "{sv}", "isIp", g_variant_new_boolean (is_ip));
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

static GVariant *
fn_parse_arn (GVariant *value)
{
  const char *arn;
  g_auto(GStrv) parts = NULL;
  g_auto(GStrv) resource = NULL;
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

  if (!is_type (value, G_VARIANT_TYPE_STRING))
    return NULL;
  arn = g_variant_get_string (value, NULL);
  if (!g_str_has_prefix (arn, "arn:"))
    return NULL;
  parts = g_strsplit (arn, ":", 6);
  if (g_strv_length (parts) < 6 ||
      parts[1][0] == '\0' || parts[2][0] == '\0' || parts[5][0] == '\0')
    return NULL;

  g_strdelimit (parts[5], ":", '/');
  resource = g_strsplit (parts[5], "/", -1);

  g_variant_builder_add (&builder, "{sv}", "partition", g_variant_new_string (parts[1]));
  g_variant_builder_add (&builder, "{sv}", "service", g_variant_new_string (parts[2]));
  g_variant_builder_add (&builder, "{sv}", "region", g_variant_new_string (parts[3]));
  g_variant_builder_add (&builder, "{sv}", "accountId", g_variant_new_string (parts[4]));
  g_variant_builder_add (&builder, "{sv}", "resourceId",
                         g_variant_new_strv ((const char * const *) resource, -1));
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

static GVariant *
fn_partition (BotoEndpointRuleSet *rs,
              GVariant            *value)
{
  if (is_type (value, G_VARIANT_TYPE_STRING))
    {
      const char *region = g_variant_get_string (value, NULL);

      /* botocore's order: the first partition that lists the region or
       * whose regex matches it. */
      for (guint i = 0; i < rs->ptable->n_partitions; i++)
        {
          Partition *part = &rs->ptable->partitions[i];
          GVariant *output = g_hash_table_lookup (part->regions, region);

          if (output != NULL)
            return g_variant_ref (output);
          if (part->regex != NULL && g_regex_match (part->regex, region, 0, NULL))
            return g_variant_ref (part->output);
        }
    }
  return g_variant_ref (rs->ptable->partitions[0].output);
}

char *
boto_endpoint_rule_set_dup_partition_name (BotoEndpointRuleSet *self,
                                           const char          *region)
{
  g_autoptr(GVariant) key = NULL;
  g_autoptr(GVariant) output = NULL;
  char *name = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (region != NULL, NULL);

  key = g_variant_ref_sink (g_variant_new_string (region));
  output = fn_partition (self, key);
  if (!g_variant_lookup (output, "name", "s", &name))
    return NULL;
  return name;
}

static GVariant *
fn_split (GVariant *value,
          GVariant *delimiter,
          GVariant *limit,
          GError  **error)
{
  const char *s, *delim;
  gint64 max = 0;
  g_auto(GStrv) parts = NULL;

  if (!is_type (value, G_VARIANT_TYPE_STRING) || !is_type (delimiter, G_VARIANT_TYPE_STRING))
    return NULL;
  s = g_variant_get_string (value, NULL);
  delim = g_variant_get_string (delimiter, NULL);
  if (delim[0] == '\0')
    {
      set_resolution_error (error, "split: the delimiter must not be empty");
      return NULL;
    }
  if (limit != NULL && !get_int (limit, &max))
    {
      set_resolution_error (error, "split: the limit must be an integer");
      return NULL;
    }
  parts = g_strsplit (s, delim, max > 0 ? (int) MIN (max, G_MAXINT) : -1);
  return g_variant_ref_sink (g_variant_new_strv ((const char * const *) parts, -1));
}

static gboolean eval_expr (Scope *scope, Expr *expr, GVariant **out, GError **error);

static gboolean
eval_template (Scope    *scope,
               Expr     *expr,
               GString  *out,
               GError  **error)
{
  for (guint i = 0; i < expr->n_parts; i++)
    {
      TemplatePart *part = &expr->parts[i];
      g_autoptr(GVariant) value = NULL;

      if (part->literal != NULL)
        {
          g_string_append (out, part->literal);
          continue;
        }
      scope->read[part->slot] = TRUE;
      if (!scope->defined[part->slot])
        {
          set_resolution_error (error, "Template variable %s is not set",
                                slot_name (scope->rs, part->slot));
          return FALSE;
        }
      value = scope->values[part->slot] != NULL ? g_variant_ref (scope->values[part->slot]) : NULL;
      for (guint j = 0; part->path != NULL && part->path[j] != NULL; j++)
        {
          GVariant *next = lookup (value, part->path[j]);

          if (next == NULL)
            {
              set_resolution_error (error, "Template variable %s has no attribute %s",
                                    slot_name (scope->rs, part->slot),
                                    part->path[j]);
              return FALSE;
            }
          g_clear_pointer (&value, g_variant_unref);
          value = next;
        }
      py_str (out, value, FALSE);
    }
  return TRUE;
}

static gboolean
eval_fn (Scope     *scope,
         Expr      *expr,
         GVariant **out,
         GError   **error)
{
  GVariant *args[8] = { NULL, };
  g_autoptr(GVariant) result = NULL;
  guint argc = MIN (expr->argc, G_N_ELEMENTS (args));
  gboolean ok = FALSE;
  static const guint arity[] = {
    [FN_IS_SET] = 1, [FN_NOT] = 1, [FN_GET_ATTR] = 2, [FN_BOOLEAN_EQUALS] = 2,
    [FN_STRING_EQUALS] = 2, [FN_SUBSTRING] = 4, [FN_URI_ENCODE] = 1,
    [FN_PARSE_URL] = 1, [FN_IS_VALID_HOST_LABEL] = 2, [FN_ITE] = 3,
    [FN_SPLIT] = 3, [FN_AWS_PARTITION] = 1, [FN_AWS_PARSE_ARN] = 1,
    [FN_AWS_IS_VIRTUAL_HOSTABLE_S3_BUCKET] = 2,
  };

  if (expr->fn == FN_UNKNOWN)
    {
      set_resolution_error (error, "Unknown function %s in the endpoint rule set", expr->fn_name);
      return FALSE;
    }
  if (expr->fn != FN_COALESCE && expr->argc != arity[expr->fn])
    {
      set_resolution_error (error, "%s takes %u arguments, not %u",
                            expr->fn_name, arity[expr->fn], expr->argc);
      return FALSE;
    }
  if (expr->argc > G_N_ELEMENTS (args))
    {
      set_resolution_error (error, "%s: too many arguments", expr->fn_name);
      return FALSE;
    }

  for (guint i = 0; i < argc; i++)
    if (!eval_expr (scope, expr->argv[i], &args[i], error))
      goto out;

  switch (expr->fn)
    {
    case FN_IS_SET:
      result = new_bool (args[0] != NULL);
      break;

    case FN_NOT:
      result = new_bool (!truthy (args[0]));
      break;

    case FN_GET_ATTR:
      if (expr->attr_path != NULL)
        result = get_attr (args[0], expr->attr_path);
      else if (is_type (args[1], G_VARIANT_TYPE_STRING))
        {
          AttrPath *path = parse_attr_path (g_variant_get_string (args[1], NULL));

          result = get_attr (args[0], path);
          attr_path_free (path);
        }
      break;

    case FN_BOOLEAN_EQUALS:
      if (!is_type (args[0], G_VARIANT_TYPE_BOOLEAN) || !is_type (args[1], G_VARIANT_TYPE_BOOLEAN))
        {
          set_resolution_error (error, "Both arguments must be bools, not %s and %s.",
                                py_type (args[0]), py_type (args[1]));
          goto out;
        }
      result = new_bool (g_variant_get_boolean (args[0]) == g_variant_get_boolean (args[1]));
      break;

    case FN_STRING_EQUALS:
      if (!is_type (args[0], G_VARIANT_TYPE_STRING) || !is_type (args[1], G_VARIANT_TYPE_STRING))
        {
          set_resolution_error (error, "Both values must be strings, not %s and %s.",
                                py_type (args[0]), py_type (args[1]));
          goto out;
        }
      result = new_bool (strcmp (g_variant_get_string (args[0], NULL),
                                 g_variant_get_string (args[1], NULL)) == 0);
      break;

    case FN_SUBSTRING:
      {
        gint64 start, stop;
        gsize len;
        const char *s;

        if (!is_type (args[0], G_VARIANT_TYPE_STRING))
          {
            set_resolution_error (error, "Input must be a string, not %s.", py_type (args[0]));
            goto out;
          }
        if (!get_int (args[1], &start) || !get_int (args[2], &stop))
          {
            set_resolution_error (error, "substring: the indexes must be integers");
            goto out;
          }
        s = g_variant_get_string (args[0], &len);
        for (gsize i = 0; i < len; i++)
          if ((guchar) s[i] >= 0x80)
            goto done;
        if (start < 0 || start >= stop || (gint64) len < stop)
          break;
        if (truthy (args[3]) && is_type (args[3], G_VARIANT_TYPE_BOOLEAN))
          result = new_take_string (g_strndup (s + len - stop, stop - start));
        else
          result = new_take_string (g_strndup (s + start, stop - start));
      }
      break;

    case FN_URI_ENCODE:
      if (args[0] != NULL)
        {
          g_autoptr(GString) encoded = g_string_new (NULL);
          g_autoptr(GString) text = g_string_new (NULL);

          py_str (text, args[0], FALSE);
          append_percent_encoded (encoded, text->str, NULL);
          result = new_string (encoded->str);
        }
      break;

    case FN_PARSE_URL:
      result = fn_parse_url (args[0]);
      break;

    case FN_IS_VALID_HOST_LABEL:
      result = new_bool (fn_is_valid_host_label (args[0], args[1]));
      break;

    case FN_COALESCE:
      for (guint i = 0; i < argc && result == NULL; i++)
        if (args[i] != NULL)
          result = g_variant_ref (args[i]);
      break;

    case FN_ITE:
      if (!is_type (args[0], G_VARIANT_TYPE_BOOLEAN))
        {
          set_resolution_error (error, "ite: the condition must be a boolean, not %s",
                                py_type (args[0]));
          goto out;
        }
      result = g_variant_get_boolean (args[0]) ? args[1] : args[2];
      if (result != NULL)
        g_variant_ref (result);
      break;

    case FN_SPLIT:
      result = fn_split (args[0], args[1], args[2], error);
      if (result == NULL && error != NULL && *error != NULL)
        goto out;
      break;

    case FN_AWS_PARTITION:
      result = fn_partition (scope->rs, args[0]);
      break;

    case FN_AWS_PARSE_ARN:
      result = fn_parse_arn (args[0]);
      break;

    case FN_AWS_IS_VIRTUAL_HOSTABLE_S3_BUCKET:
      result = new_bool (fn_is_virtual_hostable_s3_bucket (args[0], args[1]));
      break;

    case FN_UNKNOWN:
    default:
      g_assert_not_reached ();
    }

done:
  if (expr->assign >= 0)
    {
      if (scope->defined[expr->assign])
        {
          set_resolution_error (error, "Assignment %s already exists in scoped variables and cannot be overwritten",
                                slot_name (scope->rs, expr->assign));
          goto out;
        }
      scope_set (scope, expr->assign, result);
      g_array_append_val (scope->undo, expr->assign);
    }
  *out = g_steal_pointer (&result);
  ok = TRUE;

out:
  for (guint i = 0; i < argc; i++)
    g_clear_pointer (&args[i], g_variant_unref);
  return ok;
}

static gboolean
eval_expr (Scope     *scope,
           Expr      *expr,
           GVariant **out,
           GError   **error)
{
  *out = NULL;
  switch (expr->kind)
    {
    case EXPR_LITERAL:
      *out = expr->value != NULL ? g_variant_ref (expr->value) : NULL;
      return TRUE;

    case EXPR_REF:
      scope->read[expr->slot] = TRUE;
      *out = scope->values[expr->slot] != NULL ? g_variant_ref (scope->values[expr->slot]) : NULL;
      return TRUE;

    case EXPR_TEMPLATE:
      {
        g_autoptr(GString) text = g_string_new (NULL);

        if (!eval_template (scope, expr, text, error))
          return FALSE;
        *out = new_string (text->str);
        return TRUE;
      }

    case EXPR_FN:
      return eval_fn (scope, expr, out, error);

    default:
      g_assert_not_reached ();
    }
}

static GVariant *
eval_prop (Scope    *scope,
           PropNode *prop,
           GError  **error)
{
  switch (prop->kind)
    {
    case PROP_CONST:
      return g_variant_ref (prop->value);

    case PROP_TEMPLATE:
      {
        g_autoptr(GString) text = g_string_new (NULL);

        if (!eval_template (scope, prop->tpl, text, error))
          return NULL;
        return new_string (text->str);
      }

    case PROP_OBJECT:
    case PROP_ARRAY:
      {
        g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (prop->kind == PROP_OBJECT ?
                                                                  G_VARIANT_TYPE_VARDICT :
                                                                  G_VARIANT_TYPE ("av"));

        for (guint i = 0; i < prop->n; i++)
          {
            g_autoptr(GVariant) child = eval_prop (scope, prop->children[i], error);

            if (child == NULL)
              return NULL;
            if (prop->kind == PROP_OBJECT)
              g_variant_builder_add (&builder, "{sv}", prop->keys[i], child);
            else
              g_variant_builder_add (&builder, "v", child);
          }
        return g_variant_ref_sink (g_variant_builder_end (&builder));
      }

    default:
      g_assert_not_reached ();
    }
}

typedef enum {
  EVAL_NO_MATCH,
  EVAL_MATCH,
  EVAL_ERROR,
} EvalResult;

static EvalResult
eval_rule (Scope         *scope,
           Rule          *rule,
           BotoEndpoint **out,
           GError       **error)
{
  guint mark = scope->undo->len;
  EvalResult result = EVAL_NO_MATCH;

  for (guint i = 0; i < rule->n_conditions; i++)
    {
      g_autoptr(GVariant) value = NULL;

      if (!eval_expr (scope, rule->conditions[i], &value, error))
        {
          result = EVAL_ERROR;
          goto out;
        }
      if (value == NULL ||
          (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN) && !g_variant_get_boolean (value)))
        goto out;
    }

  switch (rule->kind)
    {
    case RULE_TREE:
      if (!rule_ensure_compiled (scope->rs, rule, error))
        {
          result = EVAL_ERROR;
          break;
        }
      scope_sync (scope);
      for (guint i = 0; i < rule->n_rules && result == EVAL_NO_MATCH; i++)
        result = eval_rule (scope, rule->rules[i], out, error);
      break;

    case RULE_ERROR:
      {
        g_autoptr(GVariant) message = NULL;
        g_autoptr(GString) text = g_string_new (NULL);

        if (eval_expr (scope, rule->error, &message, error))
          {
            py_str (text, message, FALSE);
            set_resolution_error (error, "%s", text->str);
          }
        result = EVAL_ERROR;
      }
      break;

    case RULE_ENDPOINT:
      {
        g_autoptr(GVariant) url = NULL;
        g_autoptr(GVariant) properties = NULL;
        g_auto(GVariantBuilder) headers = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{sas}"));

        result = EVAL_ERROR;
        if (!eval_expr (scope, rule->url, &url, error))
          break;
        if (!is_type (url, G_VARIANT_TYPE_STRING))
          {
            set_resolution_error (error, "The endpoint URL is not a string: %s", py_type (url));
            break;
          }
        if (rule->properties != NULL)
          {
            properties = eval_prop (scope, rule->properties, error);
            if (properties == NULL)
              break;
          }
        else
          properties = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));

        for (guint i = 0; i < rule->n_headers; i++)
          {
            Header *header = &rule->headers[i];
            g_auto(GVariantBuilder) values = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_STRING_ARRAY);

            for (guint j = 0; j < header->n_values; j++)
              {
                g_autoptr(GVariant) value = NULL;
                g_autoptr(GString) text = g_string_new (NULL);

                if (!eval_expr (scope, header->values[j], &value, error))
                  goto endpoint_failed;
                py_str (text, value, FALSE);
                g_variant_builder_add (&values, "s", text->str);
              }
            g_variant_builder_add (&headers, "{s@as}", header->name,
                                   g_variant_builder_end (&values));
          }

        *out = boto_endpoint_new (g_variant_get_string (url, NULL), properties,
                                  g_variant_builder_end (&headers));
        result = EVAL_MATCH;
endpoint_failed:
        ;
      }
      break;
    }

out:
  scope_rollback (scope, mark);
  return result;
}

static gboolean
param_has_type (ParamDef  *def,
                GVariant  *value,
                GVariant **normalized)
{
  switch (def->type)
    {
    case BOTO_ENDPOINT_PARAM_STRING:
      if (!g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        return FALSE;
      break;
    case BOTO_ENDPOINT_PARAM_BOOLEAN:
      if (!g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
        return FALSE;
      break;
    case BOTO_ENDPOINT_PARAM_STRING_ARRAY:
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING_ARRAY))
        break;
      if (g_variant_is_of_type (value, G_VARIANT_TYPE ("av")))
        {
          g_auto(GVariantBuilder) b = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_STRING_ARRAY);

          for (gsize i = 0; i < g_variant_n_children (value); i++)
            {
              g_autoptr(GVariant) item = child_at (value, i);

              if (!is_type (item, G_VARIANT_TYPE_STRING))
                return FALSE;
              g_variant_builder_add_value (&b, item);
            }
          *normalized = g_variant_ref_sink (g_variant_builder_end (&b));
          return TRUE;
        }
      return FALSE;
    }
  *normalized = g_variant_ref (value);
  return TRUE;
}

static const char *
param_type_name (BotoEndpointParamType type)
{
  switch (type)
    {
    case BOTO_ENDPOINT_PARAM_STRING:
      return "<class 'str'>";
    case BOTO_ENDPOINT_PARAM_BOOLEAN:
      return "<class 'bool'>";
    case BOTO_ENDPOINT_PARAM_STRING_ARRAY:
    default:
      return "<class 'tuple'>";
    }
}

static gboolean
is_relevant (BotoEndpointRuleSet *rs,
             int                  slot)
{
  for (guint i = 0; i < rs->relevant->len; i++)
    if (g_array_index (rs->relevant, int, i) == slot)
      return TRUE;
  return FALSE;
}

/* The values of the relevant slots, with whether each is set: the same
 * bytes mean the same path through the rules. Called under the lock,
 * with the scope synced past every relevant slot. */
static void
cache_key_append (GByteArray *key,
                  GVariant   *value,
                  gboolean    defined)
{
  guint8 header[5];
  guint32 size = value != NULL ? (guint32) g_variant_get_size (value) : 0;

  header[0] = value != NULL ? 2 : defined ? 1 : 0;
  memcpy (header + 1, &size, sizeof size);
  g_byte_array_append (key, header, sizeof header);
  if (value != NULL)
    {
      const char *type = g_variant_get_type_string (value);

      g_byte_array_append (key, (const guint8 *) type, strlen (type) + 1);
      g_byte_array_append (key, g_variant_get_data (value), size);
    }
}

static GBytes *
cache_key (Scope *scope)
{
  GByteArray *key = g_byte_array_new ();

  for (guint i = 0; i < scope->rs->relevant->len; i++)
    {
      int slot = g_array_index (scope->rs->relevant, int, i);

      cache_key_append (key, scope->values[slot], scope->defined[slot]);
    }
  return g_byte_array_free_to_bytes (key);
}

BotoEndpoint *
boto_endpoint_rule_set_resolve (BotoEndpointRuleSet *self,
                                GVariant            *params,
                                GError             **error)
{
  Scope scope = { self, params, 0, NULL, NULL, NULL, NULL };
  g_autoptr(GBytes) key = NULL;
  BotoEndpoint *endpoint = NULL;
  EvalResult result = EVAL_NO_MATCH;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (params == NULL || g_variant_is_of_type (params, G_VARIANT_TYPE_VARDICT), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  scope.undo = g_array_new (FALSE, FALSE, sizeof (int));

  /* Inputs: every name the rules know, declared or not (scope_sync() adds
   * the names of rules compiled later). */
  scope_sync (&scope);

  /* Parameters: check types, apply defaults, reject missing required. */
  for (guint i = 0; i < self->n_params; i++)
    {
      ParamDef *def = &self->params[i];
      GVariant *value = scope.values[def->slot];

      if (value == NULL)
        {
          if (def->default_value != NULL)
            {
              scope.values[def->slot] = g_variant_ref (def->default_value);
              scope.defined[def->slot] = TRUE;
            }
          else if (def->required)
            {
              set_resolution_error (error, "Cannot find value for required parameter %s", def->name);
              result = EVAL_ERROR;
              goto out;
            }
        }
      else
        {
          GVariant *normalized = NULL;

          if (!param_has_type (def, value, &normalized))
            {
              set_resolution_error (error, "Value (%s) is the wrong type. Must be %s.",
                                    def->name, param_type_name (def->type));
              result = EVAL_ERROR;
              goto out;
            }
          g_variant_unref (scope.values[def->slot]);
          scope.values[def->slot] = normalized;
        }
    }

  /* Resolutions are pure functions of the inputs the rules read: remember
   * them, as botocore's provider does (an LRU of 100 there; here the table
   * is emptied when it reaches that size). Errors are not kept. */
  for (;;)
    {
      gboolean behind = FALSE;

      scope_sync (&scope);
      g_mutex_lock (&self->lock);
      for (guint i = 0; i < self->relevant->len; i++)
        behind |= (guint) g_array_index (self->relevant, int, i) >= scope.n_slots;
      if (!behind)
        break;
      /* Another thread compiled and read slots after our sync. */
      g_mutex_unlock (&self->lock);
    }
  key = cache_key (&scope);
  endpoint = g_hash_table_lookup (self->cache, key);
  if (endpoint != NULL)
    {
      boto_endpoint_ref (endpoint);
      result = EVAL_MATCH;
    }
  g_mutex_unlock (&self->lock);

  for (guint i = 0; i < self->n_rules && result == EVAL_NO_MATCH; i++)
    result = eval_rule (&scope, self->rules[i], &endpoint, error);

  if (result == EVAL_MATCH && scope.read != NULL)
    {
      gboolean grew = FALSE;

      g_mutex_lock (&self->lock);
      for (guint slot = 0; slot < scope.n_slots; slot++)
        if (scope.read[slot] && !is_relevant (self, (int) slot))
          {
            int value = (int) slot;

            g_array_append_val (self->relevant, value);
            grew = TRUE;
          }
      if (grew)
        {
          /* Keys made with fewer slots cannot be compared any more. */
          g_hash_table_remove_all (self->cache);
          g_clear_pointer (&key, g_bytes_unref);
          key = cache_key (&scope);
        }
      if (g_hash_table_size (self->cache) >= ENDPOINT_CACHE_SIZE)
        g_hash_table_remove_all (self->cache);
      g_hash_table_replace (self->cache, g_steal_pointer (&key), boto_endpoint_ref (endpoint));
      g_mutex_unlock (&self->lock);
    }

  if (result == EVAL_NO_MATCH)
    {
      g_autoptr(GString) message = g_string_new ("No endpoint found for parameters:");

      if (params != NULL)
        {
          GVariantIter iter;
          const char *name;
          GVariant *child;
          gboolean first = TRUE;

          g_variant_iter_init (&iter, params);
          while (g_variant_iter_next (&iter, "{&sv}", &name, &child))
            {
              g_autoptr(GVariant) value = unwrap_json (child);

              g_string_append_printf (message, "\n%s: ", name);
              py_str (message, value, FALSE);
              first = FALSE;
            }
          (void) first;
        }
      set_resolution_error (error, "%s", message->str);
    }

out:
  for (guint i = 0; i < scope.n_slots; i++)
    g_clear_pointer (&scope.values[i], g_variant_unref);
  g_free (scope.values);
  g_free (scope.defined);
  g_free (scope.read);
  g_array_unref (scope.undo);

  if (result != EVAL_MATCH)
    g_clear_pointer (&endpoint, boto_endpoint_unref);
  return endpoint;
}

/*
 * boto_endpoint_rule_set_get_parameter_index:
 * @self: a rule set
 * @name: a parameter name
 *
 * Returns: the index of the parameter called @name, or -1
 */
int
boto_endpoint_rule_set_get_parameter_index (BotoEndpointRuleSet *self,
                                            const char          *name)
{
  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (name != NULL, -1);

  for (guint i = 0; i < self->n_params; i++)
    if (strcmp (self->params[i].name, name) == 0)
      return (int) i;
  return -1;
}

/* The cache key resolve() would compute for these parameter values (after
 * its checks and defaults), or NULL when it would fail, or normalize a
 * value, or the value needs unwrapping: then it is left to resolve().
 * Under the lock. */
static GBytes *
values_cache_key (BotoEndpointRuleSet *self,
                  GVariant *const     *values)
{
  g_autoptr(GByteArray) key = NULL;

  for (guint i = 0; i < self->n_params; i++)
    {
      ParamDef *def = &self->params[i];
      GVariant *value = values[i];

      if (value == NULL)
        {
          if (def->default_value == NULL && def->required)
            return NULL;
          continue;
        }
      switch (def->type)
        {
        case BOTO_ENDPOINT_PARAM_STRING:
          if (!g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
            return NULL;
          break;
        case BOTO_ENDPOINT_PARAM_BOOLEAN:
          if (!g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
            return NULL;
          break;
        case BOTO_ENDPOINT_PARAM_STRING_ARRAY:
        default:
          if (!g_variant_is_of_type (value, G_VARIANT_TYPE_STRING_ARRAY))
            return NULL;
          break;
        }
    }

  key = g_byte_array_sized_new (256);
  for (guint r = 0; r < self->relevant->len; r++)
    {
      int slot = g_array_index (self->relevant, int, r);
      ParamDef *def = NULL;
      GVariant *value;

      for (guint i = 0; i < self->n_params && def == NULL; i++)
        if (self->params[i].slot == slot)
          def = &self->params[i];
      /* Not an input: unset before the rules run. */
      if (def == NULL)
        {
          cache_key_append (key, NULL, FALSE);
          continue;
        }
      value = values[def - self->params];
      if (value == NULL)
        value = def->default_value;
      cache_key_append (key, value, value != NULL);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&key));
}

/*
 * boto_endpoint_rule_set_resolve_values:
 * @self: a rule set
 * @values: (array): one value per parameter, in the order of
 *   boto_endpoint_rule_set_get_parameter(), %NULL where not given
 *
 * The same as boto_endpoint_rule_set_resolve() with the given values as
 * parameters, but a resolution remembered from before is found without
 * building the parameter dictionary (a client resolves its endpoint on
 * every call).
 *
 * Returns: (transfer full): the endpoint, or %NULL with @error set
 */
BotoEndpoint *
boto_endpoint_rule_set_resolve_values (BotoEndpointRuleSet *self,
                                       GVariant *const     *values,
                                       GError             **error)
{
  g_autofree GVariant **entries = NULL;
  g_autoptr(GVariant) params = NULL;
  g_autoptr(GBytes) key = NULL;
  BotoEndpoint *endpoint = NULL;
  guint n_entries = 0;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (values != NULL || self->n_params == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_mutex_lock (&self->lock);
  key = values_cache_key (self, values);
  if (key != NULL)
    endpoint = g_hash_table_lookup (self->cache, key);
  if (endpoint != NULL)
    boto_endpoint_ref (endpoint);
  g_mutex_unlock (&self->lock);
  if (endpoint != NULL)
    return endpoint;

  /* As boto_endpoint_rule_set_build_params() gives them. */
  entries = g_new (GVariant *, MAX (self->n_params, 1));
  for (guint i = 0; i < self->n_params; i++)
    if (values[i] != NULL)
      entries[n_entries++] = g_variant_new_dict_entry (g_variant_new_string (self->params[i].name),
                                                       g_variant_new_variant (values[i]));
  params = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sv}"), entries, n_entries));
  return boto_endpoint_rule_set_resolve (self, params, error);
}

/* The entries of an a{sv} without a format string to parse per entry. */
static GVariant *
vardict_entry (GVariant    *dict,
               gsize        i,
               const char **name)
{
  g_autoptr(GVariant) entry = g_variant_get_child_value (dict, i);
  g_autoptr(GVariant) key = g_variant_get_child_value (entry, 0);
  g_autoptr(GVariant) boxed = g_variant_get_child_value (entry, 1);

  /* The key's string lives as long as @dict. */
  *name = g_variant_get_string (key, NULL);
  return g_variant_get_variant (boxed);
}

GVariant *
boto_endpoint_rule_set_build_params (BotoEndpointRuleSet *self,
                                     GVariant            *builtins,
                                     GVariant            *context)
{
  g_autofree GVariant **values = NULL;
  g_autofree GVariant **entries = NULL;
  guint n_entries = 0;
  const char *name;

  g_return_val_if_fail (self != NULL, NULL);

  /* One pass over each dictionary (this runs for every request). */
  values = g_new0 (GVariant *, MAX (self->n_params, 1));
  if (builtins != NULL && g_variant_is_of_type (builtins, G_VARIANT_TYPE_VARDICT))
    {
      gsize n = g_variant_n_children (builtins);

      for (gsize j = 0; j < n; j++)
        {
          g_autoptr(GVariant) value = unwrap_json (vardict_entry (builtins, j, &name));

          for (guint i = 0; value != NULL && i < self->n_params; i++)
            if (values[i] == NULL && g_strcmp0 (self->params[i].builtin, name) == 0)
              values[i] = g_variant_ref (value);
        }
    }
  if (context != NULL && g_variant_is_of_type (context, G_VARIANT_TYPE_VARDICT))
    {
      gsize n = g_variant_n_children (context);

      for (gsize j = 0; j < n; j++)
        {
          g_autoptr(GVariant) value = unwrap_json (vardict_entry (context, j, &name));

          /* A context value wins over the builtin. */
          for (guint i = 0; value != NULL && i < self->n_params; i++)
            if (strcmp (self->params[i].name, name) == 0)
              {
                g_clear_pointer (&values[i], g_variant_unref);
                values[i] = g_variant_ref (value);
              }
        }
    }

  entries = g_new (GVariant *, MAX (self->n_params, 1));
  for (guint i = 0; i < self->n_params; i++)
    if (values[i] != NULL)
      {
        entries[n_entries++] = g_variant_new_dict_entry (g_variant_new_string (self->params[i].name),
                                                         g_variant_new_variant (values[i]));
        g_variant_unref (values[i]);
      }
  return g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sv}"), entries, n_entries));
}

/* Per-service cache */

G_LOCK_DEFINE_STATIC (rule_sets);
static GHashTable *rule_sets;   /* service name → BotoEndpointRuleSet* */
static GVariant *partitions;

BotoEndpointRuleSet *
boto_endpoint_rule_set_get_for_service (const char *service_name,
                                        GError    **error)
{
  BotoEndpointRuleSet *rs;
  g_autoptr(GVariant) rule_set = NULL;

  g_return_val_if_fail (service_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  G_LOCK (rule_sets);
  if (rule_sets == NULL)
    rule_sets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) boto_endpoint_rule_set_unref);
  rs = g_hash_table_lookup (rule_sets, service_name);
  if (rs != NULL)
    {
      boto_endpoint_rule_set_ref (rs);
      G_UNLOCK (rule_sets);
      return rs;
    }

  if (partitions == NULL)
    {
      partitions = boto_model_loader_load_partitions (error);
      if (partitions == NULL)
        goto out;
    }
  rule_set = boto_model_loader_load (service_name, "endpoint-rule-set-1", NULL, NULL, error);
  if (rule_set == NULL)
    goto out;
  rs = boto_endpoint_rule_set_new (rule_set, partitions, error);
  if (rs != NULL)
    g_hash_table_insert (rule_sets, g_strdup (service_name), boto_endpoint_rule_set_ref (rs));

out:
  G_UNLOCK (rule_sets);
  return rs;
}
