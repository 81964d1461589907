/* boto-resource-model.c: resources-1.json, read as boto3's resources/model.py,
 * params.py and response.py read it
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include "boto-gvariant-private.h"
#include "boto-error.h"
#include "boto-jmespath.h"
#include "boto-shape.h"
#include "boto-service-model.h"
#include "boto-client-private.h"
#include "boto-model-private.h"
#include "boto-model-loader-private.h"
#include "boto-resource-private.h"

/* Contexts */

G_LOCK_DEFINE_STATIC (contexts);
static GHashTable *contexts;   /* "service/api-version" → BotoResourceContext* */

static void entries_clear (gpointer p);
static void type_free (gpointer p);

#define lookup boto_res_lookup
#define lookup_string boto_res_string

/*
 * boto_resource_context_get:
 *
 * The resource model of @client's service and API version, loaded once per
 * process.
 */
BotoResourceContext *
boto_resource_context_get (BotoClient  *client,
                           GError     **error)
{
  BotoServiceModel *service_model = boto_client_get_service_model (client);
  const char *service_name = boto_client_get_service_name (client);
  const char *api_version = boto_service_model_get_api_version (service_model);
  g_autofree char *key = g_strdup_printf ("%s/%s", service_name, api_version);
  g_autoptr(GVariant) root = NULL;
  g_autoptr(GVariant) paginators = NULL;
  g_autoptr(GVariant) waiters = NULL;
  GError *local_error = NULL;
  BotoResourceContext *context;

  G_LOCK (contexts);
  if (contexts == NULL)
    contexts = g_hash_table_new (g_str_hash, g_str_equal);
  context = g_hash_table_lookup (contexts, key);
  G_UNLOCK (contexts);
  if (context != NULL)
    return context;

  root = boto_model_loader_load (service_name, "resources-1", api_version, NULL, &local_error);
  if (root == NULL)
    {
      g_clear_error (&local_error);
      root = boto_model_loader_load (service_name, "resources-1", NULL, NULL, &local_error);
    }
  if (root == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_RESOURCE,
                   "The service “%s” has no resources (%s)", service_name, local_error->message);
      g_error_free (local_error);
      return NULL;
    }
  if (!g_variant_is_of_type (root, G_VARIANT_TYPE_VARDICT))
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                   "The resource model of “%s” is not an object", service_name);
      return NULL;
    }

  paginators = boto_model_loader_load (service_name, "paginators-1", api_version, NULL, NULL);
  waiters = boto_model_loader_load (service_name, "waiters-2", api_version, NULL, NULL);

  context = g_new0 (BotoResourceContext, 1);
  context->service_name = g_strdup (service_name);
  context->root = g_variant_take_ref (g_steal_pointer (&root));
  context->resources = lookup (context->root, "resources");
  if (context->resources == NULL)
    context->resources = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
  context->paginators = lookup (paginators, "pagination");
  context->waiters = lookup (waiters, "waiters");
  g_mutex_init (&context->lock);
  context->types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, type_free);
  context->service_model = g_object_ref (service_model);

  G_LOCK (contexts);
  {
    BotoResourceContext *other = g_hash_table_lookup (contexts, key);

    if (other != NULL)
      {
        /* Another thread was first; keep its context. */
        g_hash_table_destroy (context->types);
        g_mutex_clear (&context->lock);
        g_variant_unref (context->root);
        g_clear_pointer (&context->resources, g_variant_unref);
        g_clear_pointer (&context->paginators, g_variant_unref);
        g_clear_pointer (&context->waiters, g_variant_unref);
        g_free (context->service_name);
        g_object_unref (context->service_model);
        g_free (context);
        context = other;
      }
    else
      g_hash_table_insert (contexts, g_steal_pointer (&key), context);
  }
  G_UNLOCK (contexts);

  return context;
}

/* Names (boto3's ResourceModel.load_rename_map) */

static char *
claim_name (GHashTable *names,
            const char *name,
            const char *category,
            gboolean    snake_case)
{
  char *result = snake_case ? boto_xform_name (name) : g_strdup (name);

  if (g_hash_table_contains (names, result))
    {
      char *renamed = g_strdup_printf ("%s_%s", result, category);

      g_free (result);
      result = renamed;
    }
  g_hash_table_add (names, g_strdup (result));
  return result;
}

static void
entries_clear (gpointer p)
{
  BotoResourceEntry *entry = p;

  g_free (entry->name);
  g_clear_pointer (&entry->def, g_variant_unref);
}

static void
attribute_clear (gpointer p)
{
  BotoResourceAttribute *attribute = p;

  g_free (attribute->name);
  g_free (attribute->model_name);
}

static GArray *
entries_new (void)
{
  GArray *entries = g_array_new (FALSE, TRUE, sizeof (BotoResourceEntry));

  g_array_set_clear_func (entries, entries_clear);
  return entries;
}

static gboolean
has_needs_data (GVariant *has_def)
{
  g_autoptr(GVariant) resource = lookup (has_def, "resource");
  g_autoptr(GVariant) identifiers = lookup (resource, "identifiers");
  gsize n = identifiers != NULL && g_variant_is_of_type (identifiers, G_VARIANT_TYPE ("av")) ?
            g_variant_n_children (identifiers) : 0;

  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (identifiers, i);
      g_autoptr(GVariant) identifier = g_variant_get_variant (boxed);
      const char *source = lookup_string (identifier, "source");

      if (g_strcmp0 (source, "data") == 0)
        return TRUE;
    }
  return FALSE;
}

/* The service resource has a sub-resource for every resource type that its
 * own `has` does not name (boto3's _get_has_definition). */
static GVariant *
fake_has (GVariant   *resource_def,
          const char *type_name)
{
  g_autoptr(GVariant) identifiers = lookup (resource_def, "identifiers");
  GVariantBuilder ids;
  gsize n = identifiers != NULL && g_variant_is_of_type (identifiers, G_VARIANT_TYPE ("av")) ?
            g_variant_n_children (identifiers) : 0;

  g_variant_builder_init (&ids, G_VARIANT_TYPE ("av"));
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (identifiers, i);
      g_autoptr(GVariant) identifier = g_variant_get_variant (boxed);
      const char *name = lookup_string (identifier, "name");

      if (name == NULL)
        continue;
      g_variant_builder_add (&ids, "v",
                             g_variant_new_parsed ("{'target': <%s>, 'source': <'input'>}", name));
    }

  return g_variant_ref_sink (
    g_variant_new_parsed ("{'resource': <{'type': <%s>, 'identifiers': <%@av>}>}",
                          type_name, g_variant_builder_end (&ids)));
}

/* Adds a has entry of the service resource; a name given before (a
 * resource type that the service's own `has` also names for another type,
 * as EC2's KeyPair → KeyPairInfo) takes the later definition, as the
 * dictionary boto3 builds does. */
static void
add_service_has_entry (BotoResourceType *type,
                       GHashTable       *names,
                       const char       *key,
                       GVariant         *def)
{
  BotoResourceEntry entry = { key, NULL, def, has_needs_data (def) };

  for (guint i = 0; i < type->has->len; i++)
    {
      BotoResourceEntry *earlier = &g_array_index (type->has, BotoResourceEntry, i);

      if (strcmp (earlier->model_name, key) == 0)
        {
          g_clear_pointer (&earlier->def, g_variant_unref);
          earlier->def = def;
          earlier->needs_data = entry.needs_data;
          return;
        }
    }
  entry.name = claim_name (names, key, entry.needs_data ? "reference" : "subresource",
                           entry.needs_data);
  g_array_append_val (type->has, entry);
}

static void
add_has_entries (BotoResourceType *type,
                 GHashTable       *names)
{
  g_autoptr(GVariant) has = lookup (type->def, "has");
  GVariantIter iter;
  const char *key;
  GVariant *value;

  if (!type->is_service)
    {
      if (has == NULL)
        return;
      g_variant_iter_init (&iter, has);
      while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
        {
          BotoResourceEntry entry = { key, NULL, value, has_needs_data (value) };

          entry.name = claim_name (names, key, entry.needs_data ? "reference" : "subresource",
                                   entry.needs_data);
          g_array_append_val (type->has, entry);
        }
      return;
    }

  g_variant_iter_init (&iter, type->context->resources);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_autoptr(GVariant) resource_def = value;
      gboolean found = FALSE;

      if (has != NULL)
        {
          GVariantIter has_iter;
          const char *has_name;
          GVariant *has_def;

          g_variant_iter_init (&has_iter, has);
          while (g_variant_iter_next (&has_iter, "{&sv}", &has_name, &has_def))
            {
              g_autoptr(GVariant) resource = lookup (has_def, "resource");

              if (g_strcmp0 (lookup_string (resource, "type"), key) == 0)
                {
                  add_service_has_entry (type, names, has_name, has_def);
                  found = TRUE;
                }
              else
                g_variant_unref (has_def);
            }
        }

      if (!found)
        add_service_has_entry (type, names, key, fake_has (resource_def, key));
    }
}

static void
add_entries (GArray     *entries,
             GVariant   *dict,
             GHashTable *names,
             const char *category,
             const char *prefix)
{
  GVariantIter iter;
  const char *key;
  GVariant *value;

  if (dict == NULL || !g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT))
    return;

  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      BotoResourceEntry entry = { key, NULL, value, FALSE };
      g_autofree char *full = g_strconcat (prefix, key, NULL);

      if (names != NULL)
        entry.name = claim_name (names, full, category, TRUE);
      else
        entry.name = boto_xform_name (full);
      g_array_append_val (entries, entry);
    }
}

static void
type_free (gpointer p)
{
  BotoResourceType *type = p;

  g_free (type->name);
  g_clear_pointer (&type->def, g_variant_unref);
  g_clear_pointer (&type->load, g_variant_unref);
  for (guint i = 0; i < type->n_identifiers; i++)
    g_free (type->identifier_names[i]);
  g_clear_pointer (&type->actions, g_array_unref);
  g_clear_pointer (&type->has, g_array_unref);
  g_clear_pointer (&type->has_many, g_array_unref);
  g_clear_pointer (&type->waiters, g_array_unref);
  g_clear_pointer (&type->batch_actions, g_array_unref);
  g_clear_pointer (&type->attributes, g_array_unref);
  g_free (type);
}

static BotoResourceType *
type_new (BotoResourceContext *context,
          BotoServiceModel    *service_model,
          const char          *name,
          GVariant            *def,
          gboolean             is_service,
          GError             **error)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GVariant) identifiers = lookup (def, "identifiers");
  g_autoptr(GVariant) actions = lookup (def, "actions");
  g_autoptr(GVariant) has_many = lookup (def, "hasMany");
  g_autoptr(GVariant) waiters = lookup (def, "waiters");
  g_autoptr(GVariant) batch = lookup (def, "batchActions");
  const char *member_names[BOTO_RESOURCE_MAX_IDENTIFIERS] = { NULL, };
  BotoResourceType *type = g_new0 (BotoResourceType, 1);
  gsize n = 0;

  type->context = context;
  type->name = g_strdup (name);
  type->is_service = is_service;
  type->def = g_variant_ref (def);
  type->load = lookup (def, "load");
  type->shape_name = lookup_string (def, "shape");
  type->actions = entries_new ();
  type->has = entries_new ();
  type->has_many = entries_new ();
  type->waiters = entries_new ();
  type->batch_actions = entries_new ();
  type->attributes = g_array_new (FALSE, TRUE, sizeof (BotoResourceAttribute));
  g_array_set_clear_func (type->attributes, attribute_clear);

  g_hash_table_add (names, g_strdup ("meta"));
  if (type->load != NULL)
    g_hash_table_add (names, g_strdup ("load"));

  if (identifiers != NULL && g_variant_is_of_type (identifiers, G_VARIANT_TYPE ("av")))
    n = g_variant_n_children (identifiers);
  if (n > BOTO_RESOURCE_MAX_IDENTIFIERS)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                   "The resource %s has more identifiers than supported", name);
      type_free (type);
      return NULL;
    }
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (identifiers, i);
      g_autoptr(GVariant) identifier = g_variant_get_variant (boxed);
      const char *id_name = lookup_string (identifier, "name");

      if (id_name == NULL)
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                       "An identifier of the resource %s has no name", name);
          type_free (type);
          return NULL;
        }
      type->identifiers[type->n_identifiers] = id_name;
      type->identifier_names[type->n_identifiers] = claim_name (names, id_name, "identifier", TRUE);
      member_names[type->n_identifiers] = lookup_string (identifier, "memberName");
      type->n_identifiers++;
    }

  add_entries (type->actions, actions, names, "action", "");
  add_has_entries (type, names);
  add_entries (type->has_many, has_many, names, "collection", "");
  add_entries (type->waiters, waiters, names, "waiter", "WaitUntil");
  add_entries (type->batch_actions, batch, NULL, "batch_action", "");

  if (type->shape_name != NULL)
    {
      BotoShape *shape = boto_service_model_get_shape (service_model, type->shape_name, NULL);
      g_auto(GStrv) members = shape != NULL ? boto_shape_get_member_names (shape) : NULL;

      for (guint i = 0; members != NULL && members[i] != NULL; i++)
        {
          BotoResourceAttribute attribute = { NULL, NULL, -1 };
          g_autofree char *snake = boto_xform_name (members[i]);
          gboolean is_identifier = FALSE;

          /* boto3 skips a member named as an identifier. */
          for (guint j = 0; j < type->n_identifiers; j++)
            if (strcmp (snake, type->identifier_names[j]) == 0)
              is_identifier = TRUE;
          attribute.name = claim_name (names, members[i], "attribute", TRUE);
          if (is_identifier)
            {
              g_free (attribute.name);
              continue;
            }
          attribute.model_name = g_strdup (members[i]);
          for (guint j = 0; j < type->n_identifiers; j++)
            {
              g_autofree char *alias = member_names[j] != NULL ?
                                       boto_xform_name (member_names[j]) : NULL;

              if (alias != NULL && strcmp (alias, snake) == 0)
                attribute.identifier = j;
            }
          g_array_append_val (type->attributes, attribute);
        }
    }

  type->gtype = boto_typed_resource_lookup (context->service_name, is_service ? "ServiceResource" : name);
  if (type->gtype == G_TYPE_INVALID)
    type->gtype = is_service ? BOTO_TYPE_SERVICE_RESOURCE : BOTO_TYPE_RESOURCE;

  return type;
}

/*
 * boto_resource_context_lookup_type:
 * @name: a resource name, or %NULL for the service resource
 */
BotoResourceType *
boto_resource_context_lookup_type (BotoResourceContext *context,
                                   const char          *name,
                                   GError             **error)
{
  BotoResourceType *type;
  const char *key = name != NULL ? name : "";
  g_autoptr(GVariant) def = NULL;

  g_mutex_lock (&context->lock);
  type = g_hash_table_lookup (context->types, key);
  g_mutex_unlock (&context->lock);
  if (type != NULL)
    return type;

  if (name == NULL)
    {
      def = lookup (context->root, "service");
      if (def == NULL)
        def = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
    }
  else
    {
      def = boto_model_variant_lookup_sorted (context->resources, name);
      if (def == NULL || !g_variant_is_of_type (def, G_VARIANT_TYPE_VARDICT))
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_RESOURCE,
                       "The service “%s” has no resource “%s”", context->service_name, name);
          return NULL;
        }
    }

  type = type_new (context, context->service_model, name != NULL ? name : context->service_name,
                   def, name == NULL, error);
  if (type == NULL)
    return NULL;

  g_mutex_lock (&context->lock);
  {
    BotoResourceType *other = g_hash_table_lookup (context->types, key);

    if (other != NULL)
      {
        type_free (type);
        type = other;
      }
    else
      g_hash_table_insert (context->types, g_strdup (key), type);
  }
  g_mutex_unlock (&context->lock);

  return type;
}

/* An entry by boto3's name or the model's name. */
const BotoResourceEntry *
boto_resource_type_find_entry (GArray     *entries,
                               const char *name)
{
  for (guint i = 0; i < entries->len; i++)
    {
      const BotoResourceEntry *entry = &g_array_index (entries, BotoResourceEntry, i);

      if (strcmp (entry->name, name) == 0)
        return entry;
    }
  for (guint i = 0; i < entries->len; i++)
    {
      const BotoResourceEntry *entry = &g_array_index (entries, BotoResourceEntry, i);

      if (strcmp (entry->model_name, name) == 0)
        return entry;
    }
  return NULL;
}

int
boto_resource_type_find_identifier (BotoResourceType *type,
                                    const char       *name)
{
  for (guint i = 0; i < type->n_identifiers; i++)
    if (strcmp (type->identifier_names[i], name) == 0 || strcmp (type->identifiers[i], name) == 0)
      return i;
  return -1;
}

/* Parameter trees (boto3's build_param_structure, merge_dicts) */

typedef enum {
  NODE_DICT,
  NODE_LIST,
  NODE_VALUE,
} NodeKind;

struct _BotoParamNode
{
  NodeKind   kind;
  GPtrArray *keys;       /* dict: char* */
  GPtrArray *children;   /* dict and list: BotoParamNode* */
  GVariant  *value;
};

static BotoParamNode *
node_new (NodeKind kind)
{
  BotoParamNode *node = g_new0 (BotoParamNode, 1);

  node->kind = kind;
  if (kind == NODE_DICT)
    node->keys = g_ptr_array_new_with_free_func (g_free);
  if (kind != NODE_VALUE)
    node->children = g_ptr_array_new_with_free_func ((GDestroyNotify) boto_param_node_free);
  return node;
}

BotoParamNode *
boto_param_node_new_dict (void)
{
  return node_new (NODE_DICT);
}

void
boto_param_node_free (BotoParamNode *node)
{
  if (node == NULL)
    return;
  g_clear_pointer (&node->keys, g_ptr_array_unref);
  g_clear_pointer (&node->children, g_ptr_array_unref);
  g_clear_pointer (&node->value, g_variant_unref);
  g_free (node);
}

gboolean
boto_param_node_is_empty (BotoParamNode *node)
{
  return node->kind != NODE_VALUE && node->children->len == 0;
}

static int
dict_find (BotoParamNode *dict,
           const char    *key)
{
  for (guint i = 0; i < dict->keys->len; i++)
    if (strcmp (dict->keys->pdata[i], key) == 0)
      return i;
  return -1;
}

/* Sets dict[key] = child, taking child. */
static void
dict_set (BotoParamNode *dict,
          const char    *key,
          BotoParamNode *child)
{
  int i = dict_find (dict, key);

  if (i >= 0)
    {
      boto_param_node_free (dict->children->pdata[i]);
      dict->children->pdata[i] = child;
    }
  else
    {
      g_ptr_array_add (dict->keys, g_strdup (key));
      g_ptr_array_add (dict->children, child);
    }
}

static BotoParamNode *
dict_get (BotoParamNode *dict,
          const char    *key)
{
  int i = dict_find (dict, key);

  return i >= 0 ? dict->children->pdata[i] : NULL;
}

static gboolean
is_list_value (GVariant *value)
{
  return g_variant_is_of_type (value, G_VARIANT_TYPE_ARRAY) &&
         !g_variant_is_of_type (value, G_VARIANT_TYPE_BYTESTRING) &&
         !g_variant_type_is_dict_entry (g_variant_type_element (g_variant_get_type (value)));
}

static gboolean
is_dict_value (GVariant *value)
{
  return g_variant_is_of_type (value, G_VARIANT_TYPE_ARRAY) &&
         g_variant_type_is_dict_entry (g_variant_type_element (g_variant_get_type (value))) &&
         g_variant_type_equal (g_variant_type_key (g_variant_type_element (g_variant_get_type (value))),
                               G_VARIANT_TYPE_STRING);
}


/* Takes @value (a full or floating reference). */
static BotoParamNode *
node_from_variant (GVariant *value)
{
  g_autoptr(GVariant) v = boto_variant_unbox (g_variant_take_ref (value));
  BotoParamNode *node;

  if (is_dict_value (v))
    {
      GVariantIter iter;
      const char *key;
      GVariant *child;

      node = node_new (NODE_DICT);
      g_variant_iter_init (&iter, v);
      while (g_variant_iter_next (&iter, "{&s@*}", &key, &child))
        {
          dict_set (node, key, node_from_variant (child));
        }
      return node;
    }
  if (is_list_value (v))
    {
      gsize n = g_variant_n_children (v);

      node = node_new (NODE_LIST);
      for (gsize i = 0; i < n; i++)
        g_ptr_array_add (node->children, node_from_variant (g_variant_get_child_value (v, i)));
      return node;
    }

  node = node_new (NODE_VALUE);
  node->value = g_steal_pointer (&v);
  return node;
}

static void
merge_into (BotoParamNode *dst,
            BotoParamNode *src,
            gboolean       append_lists)
{
  for (guint i = 0; i < src->keys->len; i++)
    {
      const char *key = src->keys->pdata[i];
      BotoParamNode *s = src->children->pdata[i];
      BotoParamNode *d = dict_get (dst, key);

      if (d != NULL && d->kind == NODE_DICT && s->kind == NODE_DICT)
        merge_into (d, s, append_lists);
      else if (d != NULL && d->kind == NODE_LIST && s->kind == NODE_LIST && append_lists)
        {
          while (s->children->len > 0)
            g_ptr_array_add (d->children, g_ptr_array_steal_index (s->children, 0));
        }
      else
        {
          src->children->pdata[i] = node_new (NODE_DICT);
          dict_set (dst, key, s);
        }
    }
}

/* Merges the a{sv} @params into @node: with @append_lists as botocore's
 * merge_dicts, without as dict.update. */
void
boto_param_node_merge_variant (BotoParamNode *node,
                               GVariant      *params,
                               gboolean       append_lists)
{
  g_autoptr(BotoParamNode) src = NULL;
  g_autoptr(GVariant) owned = NULL;

  if (params == NULL)
    return;

  owned = g_variant_ref_sink (params);
  src = node_from_variant (g_variant_ref (owned));
  if (src->kind != NODE_DICT)
    return;

  if (append_lists)
    merge_into (node, src, TRUE);
  else
    for (guint i = 0; i < src->keys->len; i++)
      {
        dict_set (node, src->keys->pdata[i], src->children->pdata[i]);
        src->children->pdata[i] = node_new (NODE_DICT);
      }
}

GVariant *
boto_param_node_to_variant (BotoParamNode *node)
{
  GVariantBuilder builder;

  switch (node->kind)
    {
    case NODE_DICT:
      g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
      for (guint i = 0; i < node->keys->len; i++)
        g_variant_builder_add (&builder, "{sv}", node->keys->pdata[i],
                               boto_param_node_to_variant (node->children->pdata[i]));
      return g_variant_builder_end (&builder);

    case NODE_LIST:
      g_variant_builder_init (&builder, G_VARIANT_TYPE ("av"));
      for (guint i = 0; i < node->children->len; i++)
        g_variant_builder_add (&builder, "v", boto_param_node_to_variant (node->children->pdata[i]));
      return g_variant_builder_end (&builder);

    case NODE_VALUE:
    default:
      return g_variant_ref (node->value);
    }
}

/* boto3's build_param_structure; takes @value. */
static void
build_param_structure (BotoParamNode *params,
                       const char    *target,
                       GVariant      *value,
                       int            index)
{
  g_auto(GStrv) parts = g_strsplit (target, ".", -1);
  guint n_parts = g_strv_length (parts);
  BotoParamNode *pos = params;

  for (guint i = 0; i < n_parts; i++)
    {
      char *part = parts[i];
      gsize len = strlen (part);
      gboolean last = i == n_parts - 1;

      if (len >= 2 && part[len - 1] == ']' && strchr (part, '[') != NULL)
        {
          char *open = strrchr (part, '[');
          const char *inside = open + 1;
          BotoParamNode *list;

          part[len - 1] = '\0';
          if (*inside == '\0')
            index = -1;
          else if (strcmp (inside, "*") != 0)
            index = (int) g_ascii_strtoll (inside, NULL, 10);
          *open = '\0';

          list = dict_get (pos, part);
          if (list == NULL || list->kind != NODE_LIST)
            {
              list = node_new (NODE_LIST);
              dict_set (pos, part, list);
            }
          if (index < 0)
            index = list->children->len;
          while ((int) list->children->len <= index)
            g_ptr_array_add (list->children, node_new (NODE_DICT));
          if (last)
            {
              BotoParamNode *leaf = node_new (NODE_VALUE);

              leaf->value = value;
              value = NULL;
              boto_param_node_free (list->children->pdata[index]);
              list->children->pdata[index] = leaf;
            }
          else
            {
              pos = list->children->pdata[index];
              if (pos->kind != NODE_DICT)
                {
                  pos = node_new (NODE_DICT);
                  boto_param_node_free (list->children->pdata[index]);
                  list->children->pdata[index] = pos;
                }
            }
        }
      else if (last)
        {
          BotoParamNode *leaf = node_new (NODE_VALUE);

          leaf->value = value;
          value = NULL;
          dict_set (pos, part, leaf);
        }
      else
        {
          BotoParamNode *next = dict_get (pos, part);

          if (next == NULL || next->kind != NODE_DICT)
            {
              next = node_new (NODE_DICT);
              dict_set (pos, part, next);
            }
          pos = next;
        }
    }

  g_clear_pointer (&value, g_variant_unref);
}

static GVariant *
data_member (BotoResource  *parent,
             const char    *path,
             GCancellable  *cancellable,
             GError       **error)
{
  GVariant *data = boto_resource_get_data (parent);
  g_autoptr(GError) local_error = NULL;
  GVariant *value;

  if (data == NULL)
    {
      if (!boto_resource_has_load (parent))
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_RESOURCE_LOAD,
                       "%s has no load method", boto_resource_get_resource_name (parent));
          return NULL;
        }
      if (!boto_resource_load (parent, cancellable, error))
        return NULL;
      data = boto_resource_get_data (parent);
    }

  value = boto_jmespath_search (path, data, &local_error);
  if (local_error != NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                   "Bad data path “%s”: %s", path, local_error->message);
      return NULL;
    }
  return value;
}

static GVariant *
identifier_value (BotoResource *parent,
                  const char   *name,
                  GError      **error)
{
  BotoResourceType *type = boto_resource_get_type_info (parent);
  int i = boto_resource_type_find_identifier (type, name);
  GVariant *value;

  if (i < 0)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                   "%s has no identifier %s", type->name, name);
      return NULL;
    }
  value = boto_resource_get_identifier_at (parent, i);
  if (value == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_IDENTIFIERS,
                   "The identifier %s of this %s is not set", type->identifier_names[i], type->name);
      return NULL;
    }
  return g_variant_ref (value);
}

/* boto3's create_request_parameters. @index is -1 for none. */
gboolean
boto_resource_build_request_params (BotoResource  *parent,
                                    GVariant      *request,
                                    BotoParamNode *params,
                                    int            index,
                                    GCancellable  *cancellable,
                                    GError       **error)
{
  g_autoptr(GVariant) list = lookup (request, "params");
  gsize n = list != NULL && g_variant_is_of_type (list, G_VARIANT_TYPE ("av")) ?
            g_variant_n_children (list) : 0;

  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (list, i);
      g_autoptr(GVariant) param = g_variant_get_variant (boxed);
      const char *source = lookup_string (param, "source");
      const char *target = lookup_string (param, "target");
      GVariant *value = NULL;
      GError *local_error = NULL;

      if (source == NULL || target == NULL)
        continue;

      if (strcmp (source, "identifier") == 0)
        value = identifier_value (parent, lookup_string (param, "name"), &local_error);
      else if (strcmp (source, "data") == 0)
        {
          value = data_member (parent, lookup_string (param, "path"), cancellable, &local_error);
          if (value == NULL && local_error == NULL)
            continue;
        }
      else if (strcmp (source, "string") == 0 || strcmp (source, "integer") == 0 ||
               strcmp (source, "boolean") == 0)
        value = boto_variant_unbox (lookup (param, "value"));
      else if (strcmp (source, "input") == 0)
        continue;
      else
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                       "Unsupported parameter source “%s”", source);
          return FALSE;
        }

      if (value == NULL)
        {
          if (local_error != NULL)
            g_propagate_error (error, local_error);
          else
            g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                         "The parameter %s has no value", target);
          return FALSE;
        }
      build_param_structure (params, target, value, index);
    }

  return TRUE;
}

/* Responses (boto3's ResourceHandler) */

static GVariant *
normalize_identifier (GVariant *value)
{
  if (value == NULL)
    return NULL;
  value = boto_variant_unbox (value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_MAYBE))
    {
      GVariant *inner = g_variant_get_maybe (value);

      g_variant_unref (value);
      return inner != NULL ? normalize_identifier (inner) : NULL;
    }
  return value;
}

gboolean
boto_resource_handle_response (BotoResource  *parent,
                               GVariant      *resource_def,
                               GVariant      *request_params,
                               GVariant      *response,
                               GPtrArray    **out_resources,
                               gboolean      *out_is_list,
                               GCancellable  *cancellable,
                               GError       **error)
{
  BotoResourceType *parent_type = boto_resource_get_type_info (parent);
  const char *type_name = lookup_string (resource_def, "type");
  const char *path = lookup_string (resource_def, "path");
  g_autoptr(GVariant) identifiers = lookup (resource_def, "identifiers");
  g_autoptr(GVariant) search = NULL;
  GVariant *values[BOTO_RESOURCE_MAX_IDENTIFIERS] = { NULL, };
  BotoResourceType *type;
  g_autoptr(GError) search_error = NULL;
  gsize n = identifiers != NULL && g_variant_is_of_type (identifiers, G_VARIANT_TYPE ("av")) ?
            g_variant_n_children (identifiers) : 0;
  gssize plural = -1;
  gboolean ok = FALSE;
  gboolean all_set = TRUE;

  *out_resources = NULL;
  *out_is_list = FALSE;

  if (type_name == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                   "A resource response of %s has no type", parent_type->name);
      return FALSE;
    }
  type = boto_resource_context_lookup_type (parent_type->context, type_name, error);
  if (type == NULL)
    return FALSE;

  if (path != NULL && response != NULL)
    search = boto_jmespath_search (path, response, &search_error);

  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (identifiers, i);
      g_autoptr(GVariant) identifier = g_variant_get_variant (boxed);
      const char *source = lookup_string (identifier, "source");
      const char *target = lookup_string (identifier, "target");
      GVariant *value = NULL;
      GError *local_error = NULL;
      int slot;

      if (g_strcmp0 (source, "input") == 0)
        continue;
      slot = target != NULL ? boto_resource_type_find_identifier (type, target) : -1;
      if (slot < 0)
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                       "%s has no identifier %s", type->name, target ? target : "(none)");
          goto out;
        }

      if (g_strcmp0 (source, "response") == 0)
        value = response != NULL ?
                boto_jmespath_search (lookup_string (identifier, "path"), response, &local_error) : NULL;
      else if (g_strcmp0 (source, "requestParameter") == 0)
        value = request_params != NULL ?
                boto_jmespath_search (lookup_string (identifier, "path"), request_params, &local_error) :
                NULL;
      else if (g_strcmp0 (source, "identifier") == 0)
        value = identifier_value (parent, lookup_string (identifier, "name"), &local_error);
      else if (g_strcmp0 (source, "data") == 0)
        value = data_member (parent, lookup_string (identifier, "path"), cancellable, &local_error);
      else
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                       "Unsupported identifier source “%s”", source ? source : "(none)");
          goto out;
        }
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          goto out;
        }
      value = normalize_identifier (value);
      g_clear_pointer (&values[slot], g_variant_unref);
      values[slot] = value;
      if (value == NULL)
        all_set = FALSE;
      else if (plural < 0 && is_list_value (value))
        plural = g_variant_n_children (value);
    }

  if (plural >= 0)
    {
      GPtrArray *resources = g_ptr_array_new_full (plural, g_object_unref);

      for (gssize i = 0; i < plural; i++)
        {
          GVariant *item_ids[BOTO_RESOURCE_MAX_IDENTIFIERS] = { NULL, };
          g_autoptr(GVariant) data = NULL;

          for (guint j = 0; j < type->n_identifiers; j++)
            {
              if (values[j] == NULL)
                continue;
              if (is_list_value (values[j]))
                item_ids[j] = (gsize) i < g_variant_n_children (values[j]) ?
                              normalize_identifier (g_variant_get_child_value (values[j], i)) : NULL;
              else
                item_ids[j] = g_variant_ref (values[j]);
            }
          if (search != NULL && is_list_value (search) && (gsize) i < g_variant_n_children (search))
            data = boto_variant_unbox (g_variant_get_child_value (search, i));
          g_ptr_array_add (resources, boto_resource_create (type, boto_resource_get_client (parent),
                                                            item_ids, data));
          for (guint j = 0; j < type->n_identifiers; j++)
            g_clear_pointer (&item_ids[j], g_variant_unref);
        }
      *out_resources = resources;
      *out_is_list = TRUE;
    }
  else if (all_set)
    {
      GPtrArray *resources = g_ptr_array_new_full (1, g_object_unref);
      g_autoptr(GVariant) data = search != NULL ? boto_variant_unbox (g_variant_ref (search)) : NULL;

      g_ptr_array_add (resources, boto_resource_create (type, boto_resource_get_client (parent),
                                                        values, data));
      *out_resources = resources;
    }

  ok = TRUE;

out:
  for (guint j = 0; j < BOTO_RESOURCE_MAX_IDENTIFIERS; j++)
    g_clear_pointer (&values[j], g_variant_unref);
  return ok;
}

/* Requests */

static guint request_count;

GVariant *
boto_resource_client_call (BotoClient    *client,
                           const char    *operation,
                           GVariant      *params,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_atomic_int_inc (&request_count);
  g_debug ("Resource request %s:%s", boto_client_get_service_name (client), operation);
  return boto_client_call (client, operation, params, cancellable, error);
}

void
boto_resource_client_call_async (BotoClient          *client,
                                 const char          *operation,
                                 GVariant            *params,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_atomic_int_inc (&request_count);
  boto_client_call_async (client, operation, params, cancellable, callback, user_data);
}

/* Requests sent for the resource layer by another layer (a page
 * iterator's). */
void
boto_resource_count_request (void)
{
  g_atomic_int_inc (&request_count);
}

guint
boto_resource_get_request_count_for_testing (void)
{
  return g_atomic_int_get (&request_count);
}
