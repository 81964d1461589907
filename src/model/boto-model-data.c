/* boto-model-data.c: the immutable, shared data behind the model objects
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include "boto-error.h"
#include "boto-model-private.h"

struct _BotoModelData
{
  gatomicrefcount  ref_count;
  char            *service_name;
  char            *api_version;
  GVariant        *root;
  GVariant        *metadata;
  GVariant        *operations;
  GVariant        *shapes;

  /* Lazily filled; entries are never removed nor changed once added. */
  GMutex           lock;
  GHashTable      *shape_defs;      /* name → BotoShapeDef* */
  GHashTable      *operation_defs;  /* name → BotoOperationDef* */
};

static const struct {
  const char    *name;
  BotoShapeType  type;
} shape_type_names[] = {
  { "structure", BOTO_SHAPE_TYPE_STRUCTURE },
  { "list", BOTO_SHAPE_TYPE_LIST },
  { "map", BOTO_SHAPE_TYPE_MAP },
  { "string", BOTO_SHAPE_TYPE_STRING },
  { "integer", BOTO_SHAPE_TYPE_INTEGER },
  { "long", BOTO_SHAPE_TYPE_LONG },
  { "float", BOTO_SHAPE_TYPE_FLOAT },
  { "double", BOTO_SHAPE_TYPE_DOUBLE },
  { "boolean", BOTO_SHAPE_TYPE_BOOLEAN },
  { "blob", BOTO_SHAPE_TYPE_BLOB },
  { "timestamp", BOTO_SHAPE_TYPE_TIMESTAMP },
  { "character", BOTO_SHAPE_TYPE_CHARACTER },
  { "byte", BOTO_SHAPE_TYPE_BYTE },
  { "short", BOTO_SHAPE_TYPE_SHORT },
  { "document", BOTO_SHAPE_TYPE_DOCUMENT },
};

BotoShapeType
boto_shape_type_from_name (const char *type_name)
{
  if (type_name == NULL)
    return BOTO_SHAPE_TYPE_UNKNOWN;

  for (guint i = 0; i < G_N_ELEMENTS (shape_type_names); i++)
    if (strcmp (shape_type_names[i].name, type_name) == 0)
      return shape_type_names[i].type;

  return BOTO_SHAPE_TYPE_UNKNOWN;
}

/* Lookups in compiled models */

/*
 * Trait indexes.  The protocol layers ask a member's or a shape's traits
 * for every value they read or write, and a lookup in a serialized a{sv}
 * walks its entries, making a GVariant of each.  So the dictionaries the
 * defs keep (member references, shape and operation definitions) are
 * indexed once, when their def is made, and looked up in O(1) without an
 * allocation afterwards.  An index lives exactly as long as its def.
 */
static GRWLock trait_indexes_lock;
static GHashTable *trait_indexes;   /* GVariant* (a def's dict) → GHashTable (key → GVariant*) */

static void
trait_index_register (GVariant *dict)
{
  GHashTable *index;
  GVariantIter iter;
  const char *key;
  GVariant *value;

  if (dict == NULL)
    return;

  /* Keys are borrowed from the serialized dict, which the def keeps alive. */
  index = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_variant_unref);
  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    g_hash_table_insert (index, (gpointer) key, value);

  g_rw_lock_writer_lock (&trait_indexes_lock);
  if (trait_indexes == NULL)
    trait_indexes = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_hash_table_unref);
  g_hash_table_replace (trait_indexes, dict, index);
  g_rw_lock_writer_unlock (&trait_indexes_lock);
}

static void
trait_index_unregister (GVariant *dict)
{
  if (dict == NULL)
    return;

  g_rw_lock_writer_lock (&trait_indexes_lock);
  g_hash_table_remove (trait_indexes, dict);
  g_rw_lock_writer_unlock (&trait_indexes_lock);
}

/* The indexed value at @key, borrowed; sets *found when @dict is indexed. */
static GVariant *
trait_index_lookup (GVariant   *dict,
                    const char *key,
                    gboolean   *found)
{
  GHashTable *index = NULL;

  g_rw_lock_reader_lock (&trait_indexes_lock);
  if (trait_indexes != NULL)
    index = g_hash_table_lookup (trait_indexes, dict);
  g_rw_lock_reader_unlock (&trait_indexes_lock);

  /* The index cannot go away meanwhile: the caller holds the def's data. */
  *found = index != NULL;
  return index != NULL ? g_hash_table_lookup (index, key) : NULL;
}

/* In an a{sv} in model order: an indexed lookup for the dicts of defs, a
 * linear scan for others (small objects only). */
GVariant *
boto_model_variant_lookup (GVariant   *dict,
                           const char *key)
{
  GVariant *value;
  gboolean found;

  if (dict == NULL)
    return NULL;

  value = trait_index_lookup (dict, key, &found);
  if (found)
    return value != NULL ? g_variant_ref (value) : NULL;

  return g_variant_lookup_value (dict, key, NULL);
}

/* In a sorted a{sv}: a binary search, O(log n) without touching other
 * entries.  Returns the entry's key, borrowed from the serialized data. */
static const char *
lookup_sorted_key (GVariant   *dict,
                   const char *key,
                   GVariant  **value)
{
  gsize lo = 0;
  gsize hi = g_variant_n_children (dict);

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;
      g_autoptr(GVariant) entry = g_variant_get_child_value (dict, mid);
      g_autoptr(GVariant) entry_key = g_variant_get_child_value (entry, 0);
      const char *entry_name = g_variant_get_string (entry_key, NULL);
      int cmp = strcmp (key, entry_name);

      if (cmp == 0)
        {
          g_autoptr(GVariant) boxed = g_variant_get_child_value (entry, 1);
          *value = g_variant_get_variant (boxed);
          return entry_name;
        }
      if (cmp < 0)
        hi = mid;
      else
        lo = mid + 1;
    }

  return NULL;
}

GVariant *
boto_model_variant_lookup_sorted (GVariant   *dict,
                                  const char *key)
{
  GVariant *value = NULL;

  if (dict != NULL)
    lookup_sorted_key (dict, key, &value);

  return value;
}

/*
 * Scalars straight from the bytes.  A model's dicts are serialized, so a
 * string or boolean trait is read from the a{sv}'s bytes without making a
 * GVariant, taking a lock or hashing: the traits dicts are small (a member
 * reference has one to five entries).  Anything not laid out as expected
 * (which a well-formed model never is) takes the GVariant path instead.
 * Only pass dicts of a model (always serialized): a dict in tree form would
 * be serialized by g_variant_get_data, which frees its children, so strings
 * a caller borrowed from them with "&s" would dangle.
 */

static inline gsize
read_offset (const guint8 *p,
             guint         width)
{
  gsize value = 0;

  for (guint i = 0; i < width; i++)
    value |= (gsize) p[i] << (8 * i);
  return value;
}

static inline guint
offset_width (gsize size)
{
  if (size > G_MAXUINT32)
    return 8;
  if (size > G_MAXUINT16)
    return 4;
  if (size > G_MAXUINT8)
    return 2;
  return size > 0 ? 1 : 0;
}

typedef enum
{
  SCAN_ABSENT,
  SCAN_FOUND,
  SCAN_UNREADABLE,
} ScanResult;

/* The value at @key of the serialized a{sv} @dict: its bytes (without
 * the variant's type suffix) and its type string (not NUL-terminated). */
static ScanResult
vardict_scan (GVariant      *dict,
              const char    *key,
              const guint8 **value,
              gsize         *value_size,
              const char   **type,
              gsize         *type_len)
{
  const guint8 *d = g_variant_get_data (dict);
  gsize n = g_variant_get_size (dict);
  gsize key_size = strlen (key) + 1;
  gsize offsets_start, n_items, prev = 0;
  guint width;

  if (!g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT))
    return SCAN_UNREADABLE;
  if (n == 0)
    return SCAN_ABSENT;
  if (d == NULL)
    return SCAN_UNREADABLE;

  width = offset_width (n);
  offsets_start = read_offset (d + n - width, width);
  if (offsets_start > n || (n - offsets_start) % width != 0)
    return SCAN_UNREADABLE;
  n_items = (n - offsets_start) / width;

  for (gsize i = 0; i < n_items; i++)
    {
      gsize start = (prev + 7) & ~(gsize) 7;
      gsize end = read_offset (d + offsets_start + i * width, width);
      gsize entry_size, key_end, value_start, value_end, p;
      guint entry_width;

      prev = end;
      if (start > end || end > offsets_start)
        return SCAN_UNREADABLE;
      entry_size = end - start;
      entry_width = offset_width (entry_size);
      if (entry_size < entry_width + 1)
        return SCAN_UNREADABLE;
      key_end = read_offset (d + end - entry_width, entry_width);
      if (key_end == 0 || key_end > entry_size - entry_width || d[start + key_end - 1] != '\0')
        return SCAN_UNREADABLE;
      if (key_end != key_size || memcmp (d + start, key, key_size) != 0)
        continue;

      value_start = start + ((key_end + 7) & ~(gsize) 7);
      value_end = end - entry_width;
      if (value_start > value_end)
        return SCAN_UNREADABLE;
      for (p = value_end; p > value_start && d[p - 1] != '\0'; p--)
        ;
      if (p == value_start)
        return SCAN_UNREADABLE;
      *value = d + value_start;
      *value_size = p - 1 - value_start;
      *type = (const char *) d + p;
      *type_len = value_end - p;
      return SCAN_FOUND;
    }

  return SCAN_ABSENT;
}

/* The string at @key, borrowed from the serialized @dict, or NULL. */
const char *
boto_model_variant_get_string (GVariant   *dict,
                               const char *key)
{
  const char *value = NULL;
  GVariant *indexed;
  gboolean found;
  const guint8 *bytes;
  gsize size, type_len;
  const char *type;

  if (dict == NULL)
    return NULL;

  switch (vardict_scan (dict, key, &bytes, &size, &type, &type_len))
    {
    case SCAN_ABSENT:
      return NULL;
    case SCAN_FOUND:
      if (type_len != 1 || type[0] != 's')
        return NULL;
      if (size > 0 && bytes[size - 1] == '\0' && memchr (bytes, '\0', size - 1) == NULL)
        return (const char *) bytes;
      break;
    case SCAN_UNREADABLE:
    default:
      break;
    }

  indexed = trait_index_lookup (dict, key, &found);
  if (found)
    return indexed != NULL && g_variant_is_of_type (indexed, G_VARIANT_TYPE_STRING) ?
           g_variant_get_string (indexed, NULL) : NULL;

  g_variant_lookup (dict, key, "&s", &value);
  return value;
}

gboolean
boto_model_variant_get_boolean (GVariant   *dict,
                                const char *key)
{
  gboolean value = FALSE;
  GVariant *indexed;
  gboolean found;
  const guint8 *bytes;
  gsize size, type_len;
  const char *type;

  if (dict == NULL)
    return FALSE;

  switch (vardict_scan (dict, key, &bytes, &size, &type, &type_len))
    {
    case SCAN_ABSENT:
      return FALSE;
    case SCAN_FOUND:
      if (type_len != 1 || type[0] != 'b')
        return FALSE;
      if (size == 1)
        return bytes[0] != 0;
      break;
    case SCAN_UNREADABLE:
    default:
      break;
    }

  indexed = trait_index_lookup (dict, key, &found);
  if (found)
    return indexed != NULL && g_variant_is_of_type (indexed, G_VARIANT_TYPE_BOOLEAN) &&
           g_variant_get_boolean (indexed);

  g_variant_lookup (dict, key, "b", &value);
  return value;
}

/* Defs */

static void
member_def_init (BotoMemberDef *member,
                 const char    *name,
                 GVariant      *traits)
{
  member->name = name;
  member->traits = traits;
  trait_index_register (traits);
  member->shape_name = boto_model_variant_get_string (traits, "shape");
  member->target = NULL;
}

/* The value_type of a shape that has none. */
static char untypable[] = "";

/* The xml_name_index of a structure whose names cannot be indexed. */
static GHashTable *untypable_index = (GHashTable *) untypable;

static void
member_def_clear (BotoMemberDef *member)
{
  trait_index_unregister (member->traits);
  g_clear_pointer (&member->traits, g_variant_unref);
  g_clear_pointer (&member->info, g_free);
}

static void
shape_def_free (gpointer p)
{
  BotoShapeDef *def = p;

  for (guint i = 0; i < def->n_members; i++)
    member_def_clear (&def->members[i]);
  g_free (def->members);
  if (def->value_type != untypable)
    g_free (def->value_type);
  if (def->xml_name_index != NULL && def->xml_name_index != untypable_index)
    g_hash_table_unref (def->xml_name_index);
  g_clear_pointer (&def->member_index, g_hash_table_unref);
  trait_index_unregister (def->definition);
  g_clear_pointer (&def->definition, g_variant_unref);
  g_free (def);
}

static void
operation_def_free (gpointer p)
{
  BotoOperationDef *def = p;

  member_def_clear (&def->input);
  member_def_clear (&def->output);
  trait_index_unregister (def->definition);
  g_clear_pointer (&def->definition, g_variant_unref);
  g_free (def);
}

static BotoShapeDef *
shape_def_new (const char *name,
               GVariant   *definition)
{
  BotoShapeDef *def = g_new0 (BotoShapeDef, 1);

  def->name = name;
  def->definition = definition;
  trait_index_register (definition);
  def->type_name = boto_model_variant_get_string (definition, "type");
  def->type = boto_shape_type_from_name (def->type_name);
  def->is_exception = boto_model_variant_get_boolean (definition, "exception");
  def->is_union = boto_model_variant_get_boolean (definition, "union");
  def->is_document = def->type == BOTO_SHAPE_TYPE_DOCUMENT ||
                     (def->type == BOTO_SHAPE_TYPE_STRUCTURE &&
                      boto_model_variant_get_boolean (definition, "document"));
  def->payload = boto_model_variant_get_string (definition, "payload");

  switch (def->type)
    {
    case BOTO_SHAPE_TYPE_STRUCTURE:
      {
        g_autoptr(GVariant) members = boto_model_variant_lookup (definition, "members");
        GVariantIter iter;
        const char *member_name;
        GVariant *traits;
        guint i = 0;

        if (members == NULL || !g_variant_is_of_type (members, G_VARIANT_TYPE_VARDICT))
          break;

        def->n_members = g_variant_n_children (members);
        def->members = g_new0 (BotoMemberDef, def->n_members);
        g_variant_iter_init (&iter, members);
        while (g_variant_iter_next (&iter, "{&sv}", &member_name, &traits))
          {
            if (!g_variant_is_of_type (traits, G_VARIANT_TYPE_VARDICT))
              {
                g_variant_unref (traits);
                continue;
              }
            member_def_init (&def->members[i++], member_name, traits);
          }
        def->n_members = i;

        if (def->n_members > 8)
          {
            def->member_index = g_hash_table_new (g_str_hash, g_str_equal);
            for (i = 0; i < def->n_members; i++)
              g_hash_table_insert (def->member_index, (gpointer) def->members[i].name, &def->members[i]);
          }
      }
      break;

    case BOTO_SHAPE_TYPE_LIST:
      {
        GVariant *member = boto_model_variant_lookup (definition, "member");

        if (member == NULL)
          break;
        if (!g_variant_is_of_type (member, G_VARIANT_TYPE_VARDICT))
          {
            g_variant_unref (member);
            break;
          }
        def->n_members = 1;
        def->members = g_new0 (BotoMemberDef, 1);
        member_def_init (&def->members[0], NULL, member);
      }
      break;

    case BOTO_SHAPE_TYPE_MAP:
      {
        GVariant *key = boto_model_variant_lookup (definition, "key");
        GVariant *value = boto_model_variant_lookup (definition, "value");

        if (key == NULL || value == NULL ||
            !g_variant_is_of_type (key, G_VARIANT_TYPE_VARDICT) ||
            !g_variant_is_of_type (value, G_VARIANT_TYPE_VARDICT))
          {
            g_clear_pointer (&key, g_variant_unref);
            g_clear_pointer (&value, g_variant_unref);
            break;
          }
        def->n_members = 2;
        def->members = g_new0 (BotoMemberDef, 2);
        member_def_init (&def->members[0], NULL, key);
        member_def_init (&def->members[1], NULL, value);
      }
      break;

    default:
      break;
    }

  return def;
}

BotoModelData *
boto_model_data_new (const char  *service_name,
                     const char  *api_version,
                     GVariant    *root,
                     GError     **error)
{
  g_autoptr(BotoModelData) data = NULL;

  g_return_val_if_fail (service_name != NULL, NULL);
  g_return_val_if_fail (root != NULL, NULL);

  data = g_new0 (BotoModelData, 1);
  g_atomic_ref_count_init (&data->ref_count);
  g_mutex_init (&data->lock);
  data->service_name = g_strdup (service_name);
  data->root = g_variant_ref_sink (root);
  data->shape_defs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, shape_def_free);
  data->operation_defs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, operation_def_free);

  if (!g_variant_is_of_type (root, G_VARIANT_TYPE_VARDICT))
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                   "The model of service “%s” is not a compiled model", service_name);
      return NULL;
    }

  data->metadata = boto_model_variant_lookup_sorted (root, "metadata");
  data->operations = boto_model_variant_lookup_sorted (root, "operations");
  data->shapes = boto_model_variant_lookup_sorted (root, "shapes");

  if (data->metadata == NULL || !g_variant_is_of_type (data->metadata, G_VARIANT_TYPE_VARDICT) ||
      data->operations == NULL || !g_variant_is_of_type (data->operations, G_VARIANT_TYPE_VARDICT) ||
      data->shapes == NULL || !g_variant_is_of_type (data->shapes, G_VARIANT_TYPE_VARDICT))
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                   "The model of service “%s” lacks “metadata”, “operations” or “shapes”",
                   service_name);
      return NULL;
    }

  if (api_version != NULL)
    data->api_version = g_strdup (api_version);
  else
    data->api_version = g_strdup (boto_model_variant_get_string (data->metadata, "apiVersion"));

  return g_steal_pointer (&data);
}

BotoModelData *
boto_model_data_ref (BotoModelData *data)
{
  g_atomic_ref_count_inc (&data->ref_count);
  return data;
}

void
boto_model_data_unref (BotoModelData *data)
{
  if (!g_atomic_ref_count_dec (&data->ref_count))
    return;

  g_clear_pointer (&data->operation_defs, g_hash_table_unref);
  g_clear_pointer (&data->shape_defs, g_hash_table_unref);
  g_clear_pointer (&data->metadata, g_variant_unref);
  g_clear_pointer (&data->operations, g_variant_unref);
  g_clear_pointer (&data->shapes, g_variant_unref);
  g_clear_pointer (&data->root, g_variant_unref);
  g_mutex_clear (&data->lock);
  g_free (data->service_name);
  g_free (data->api_version);
  g_free (data);
}

const char *
boto_model_data_get_service_name (BotoModelData *data)
{
  return data->service_name;
}

const char *
boto_model_data_get_api_version (BotoModelData *data)
{
  return data->api_version;
}

GVariant *
boto_model_data_get_root (BotoModelData *data)
{
  return data->root;
}

GVariant *
boto_model_data_get_metadata (BotoModelData *data)
{
  return data->metadata;
}

GVariant *
boto_model_data_get_operations (BotoModelData *data)
{
  return data->operations;
}

GVariant *
boto_model_data_get_shapes (BotoModelData *data)
{
  return data->shapes;
}

BotoShapeDef *
boto_model_data_lookup_shape (BotoModelData *data,
                              const char    *shape_name)
{
  g_autoptr(GMutexLocker) locker = NULL;
  BotoShapeDef *def;
  GVariant *definition = NULL;
  const char *name;

  if (shape_name == NULL)
    return NULL;

  locker = g_mutex_locker_new (&data->lock);
  def = g_hash_table_lookup (data->shape_defs, shape_name);
  if (def != NULL)
    return def;

  name = lookup_sorted_key (data->shapes, shape_name, &definition);
  if (name == NULL)
    return NULL;
  if (!g_variant_is_of_type (definition, G_VARIANT_TYPE_VARDICT))
    {
      g_variant_unref (definition);
      return NULL;
    }

  def = shape_def_new (name, definition);
  g_hash_table_insert (data->shape_defs, (gpointer) def->name, def);
  return def;
}

BotoOperationDef *
boto_model_data_lookup_operation (BotoModelData *data,
                                  const char    *operation_name)
{
  g_autoptr(GMutexLocker) locker = NULL;
  BotoOperationDef *def;
  GVariant *definition = NULL;
  const char *name;

  if (operation_name == NULL)
    return NULL;

  locker = g_mutex_locker_new (&data->lock);
  def = g_hash_table_lookup (data->operation_defs, operation_name);
  if (def != NULL)
    return def;

  name = lookup_sorted_key (data->operations, operation_name, &definition);
  if (name == NULL)
    return NULL;
  if (!g_variant_is_of_type (definition, G_VARIANT_TYPE_VARDICT))
    {
      g_variant_unref (definition);
      return NULL;
    }

  def = g_new0 (BotoOperationDef, 1);
  def->name = name;
  def->definition = definition;
  trait_index_register (definition);
  for (guint i = 0; i < 2; i++)
    {
      BotoMemberDef *member = i == 0 ? &def->input : &def->output;
      GVariant *ref = boto_model_variant_lookup (definition, i == 0 ? "input" : "output");

      if (ref != NULL && !g_variant_is_of_type (ref, G_VARIANT_TYPE_VARDICT))
        g_clear_pointer (&ref, g_variant_unref);
      member_def_init (member, NULL, ref);
    }

  g_hash_table_insert (data->operation_defs, (gpointer) def->name, def);
  return def;
}

/* The shape a member refers to, or NULL if the model names a missing shape. */
BotoShapeDef *
boto_member_def_get_target (BotoModelData *data,
                            BotoMemberDef *member)
{
  BotoShapeDef *target = g_atomic_pointer_get (&member->target);

  if (target == NULL && member->shape_name != NULL)
    {
      target = boto_model_data_lookup_shape (data, member->shape_name);
      g_atomic_pointer_set (&member->target, target);
    }

  return target;
}

BotoMemberDef *
boto_shape_def_find_member (BotoShapeDef *shape,
                            const char   *name)
{
  if (shape->type != BOTO_SHAPE_TYPE_STRUCTURE || name == NULL)
    return NULL;

  if (shape->member_index != NULL)
    return g_hash_table_lookup (shape->member_index, name);

  for (guint i = 0; i < shape->n_members; i++)
    if (strcmp (shape->members[i].name, name) == 0)
      return &shape->members[i];

  return NULL;
}

/* Member infos */

static const char *
info_string (BotoMemberDef *member,
             BotoShapeDef  *target,
             const char    *key)
{
  const char *value = boto_model_variant_get_string (member->traits, key);

  return value != NULL ? value : boto_model_variant_get_string (target->definition, key);
}

static gboolean
info_bool (BotoMemberDef *member,
           BotoShapeDef  *target,
           const char    *key)
{
  return boto_model_variant_get_boolean (member->traits, key) ||
         boto_model_variant_get_boolean (target->definition, key);
}

static BotoMemberLocation
location_kind (const char *location)
{
  static const struct { const char *name; BotoMemberLocation kind; } kinds[] = {
    { "header", BOTO_MEMBER_LOCATION_HEADER },
    { "headers", BOTO_MEMBER_LOCATION_HEADERS },
    { "statusCode", BOTO_MEMBER_LOCATION_STATUS_CODE },
    { "uri", BOTO_MEMBER_LOCATION_URI },
    { "querystring", BOTO_MEMBER_LOCATION_QUERYSTRING },
  };

  if (location == NULL)
    return BOTO_MEMBER_LOCATION_NONE;
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (strcmp (location, kinds[i].name) == 0)
      return kinds[i].kind;
  return BOTO_MEMBER_LOCATION_OTHER;
}

/**
 * boto_member_def_get_info:
 * @data: the model @member belongs to
 * @member: a member
 *
 * The traits protocols read of @member, merged with its target shape's,
 * looked up on the first call and shared afterwards (safe from any thread).
 *
 * Returns: (nullable): the info, or %NULL when the model names a shape it
 *   does not have
 */
const BotoMemberInfo *
boto_member_def_get_info (BotoModelData *data,
                          BotoMemberDef *member)
{
  BotoMemberInfo *info = g_atomic_pointer_get (&member->info);
  BotoShapeDef *target;
  GVariant *namespace;

  if (G_LIKELY (info != NULL))
    return info;

  target = boto_member_def_get_target (data, member);
  if (target == NULL)
    return NULL;

  info = g_new0 (BotoMemberInfo, 1);
  info->target = target;
  info->location = info_string (member, target, "location");
  info->location_kind = location_kind (info->location);
  info->ref_location_name = boto_model_variant_get_string (member->traits, "locationName");
  info->location_name = info_string (member, target, "locationName");
  if (target->type == BOTO_SHAPE_TYPE_LIST && target->n_members > 0)
    info->list_member_location_name = boto_model_variant_get_string (target->members[0].traits, "locationName");
  info->timestamp_format = info_string (member, target, "timestampFormat");
  info->flattened = info_bool (member, target, "flattened");
  if (target->type == BOTO_SHAPE_TYPE_LIST && info->flattened && info->list_member_location_name != NULL)
    info->xml_name = info->list_member_location_name;
  else
    info->xml_name = info->location_name != NULL ? info->location_name : member->name;
  info->xml_alt_name = info->ref_location_name != NULL ? info->ref_location_name : member->name;
  info->xml_name_len = info->xml_name != NULL ? strlen (info->xml_name) : 0;
  info->xml_alt_name_len = info->xml_alt_name != NULL ? strlen (info->xml_alt_name) : 0;
  info->xml_attribute = info_bool (member, target, "xmlAttribute");
  info->event_header = info_bool (member, target, "eventheader");
  info->event_payload = info_bool (member, target, "eventpayload");
  info->streaming = info_bool (member, target, "streaming");
  info->json_value = info_bool (member, target, "jsonvalue");
  info->idempotency_token = info_bool (member, target, "idempotencyToken");
  info->host_label = info_bool (member, target, "hostLabel");
  info->event_stream = info_bool (member, target, "eventstream");

  namespace = boto_model_variant_lookup (member->traits, "xmlNamespace");
  if (namespace == NULL)
    namespace = boto_model_variant_lookup (target->definition, "xmlNamespace");
  if (namespace != NULL)
    {
      /* A dict {uri, prefix} whose strings live in the model. */
      if (g_variant_is_of_type (namespace, G_VARIANT_TYPE_VARDICT))
        {
          g_variant_lookup (namespace, "uri", "&s", &info->xml_namespace_uri);
          g_variant_lookup (namespace, "prefix", "&s", &info->xml_namespace_prefix);
        }
      g_variant_unref (namespace);
    }

  if (!g_atomic_pointer_compare_and_exchange (&member->info, NULL, info))
    {
      g_free (info);
      info = g_atomic_pointer_get (&member->info);
    }
  return info;
}

/* Value types */

static gboolean
append_value_type (BotoModelData *data,
                   BotoShapeDef  *def,
                   GString       *out,
                   guint          depth)
{
  BotoShapeDef *child;

  if (depth > 256)
    return FALSE;

  if (def->is_document)
    {
      g_string_append_c (out, 'v');
      return TRUE;
    }

  switch (def->type)
    {
    case BOTO_SHAPE_TYPE_STRUCTURE:
      g_string_append (out, "a{sv}");
      return TRUE;
    case BOTO_SHAPE_TYPE_LIST:
      if (def->n_members < 1 || (child = boto_member_def_get_target (data, &def->members[0])) == NULL)
        return FALSE;
      g_string_append_c (out, 'a');
      return append_value_type (data, child, out, depth + 1);
    case BOTO_SHAPE_TYPE_MAP:
      if (def->n_members < 2 || (child = boto_member_def_get_target (data, &def->members[1])) == NULL)
        return FALSE;
      g_string_append (out, "a{s");
      if (!append_value_type (data, child, out, depth + 1))
        return FALSE;
      g_string_append_c (out, '}');
      return TRUE;
    case BOTO_SHAPE_TYPE_STRING:
    case BOTO_SHAPE_TYPE_CHARACTER:
      g_string_append_c (out, 's');
      return TRUE;
    case BOTO_SHAPE_TYPE_INTEGER:
    case BOTO_SHAPE_TYPE_SHORT:
    case BOTO_SHAPE_TYPE_BYTE:
      g_string_append_c (out, 'i');
      return TRUE;
    case BOTO_SHAPE_TYPE_LONG:
    case BOTO_SHAPE_TYPE_TIMESTAMP:
      g_string_append_c (out, 'x');
      return TRUE;
    case BOTO_SHAPE_TYPE_BOOLEAN:
      g_string_append_c (out, 'b');
      return TRUE;
    case BOTO_SHAPE_TYPE_FLOAT:
    case BOTO_SHAPE_TYPE_DOUBLE:
      g_string_append_c (out, 'd');
      return TRUE;
    case BOTO_SHAPE_TYPE_BLOB:
      g_string_append (out, "ay");
      return TRUE;
    case BOTO_SHAPE_TYPE_DOCUMENT:
    case BOTO_SHAPE_TYPE_UNKNOWN:
    default:
      g_string_append_c (out, 'v');
      return TRUE;
    }
}

/**
 * boto_shape_def_get_value_type:
 * @data: the model @def belongs to
 * @def: a shape
 *
 * The GVariant type string of the values of @def (DESIGN.md: structures
 * `a{sv}`, lists typed arrays, maps `a{sT}`, timestamps `x`, blobs `ay`,
 * documents `v`), built on the first call and shared afterwards.
 *
 * Returns: (nullable): the type string, or %NULL when the shape cannot be
 *   typed (a list or map of a missing shape, or nested without end)
 */
const char *
boto_shape_def_get_value_type (BotoModelData *data,
                               BotoShapeDef  *def)
{
  char *type = g_atomic_pointer_get (&def->value_type);

  if (G_UNLIKELY (type == NULL))
    {
      GString *built = g_string_new (NULL);

      if (append_value_type (data, def, built, 0) && g_variant_type_string_is_valid (built->str))
        type = g_string_free (built, FALSE);
      else
        {
          g_string_free (built, TRUE);
          type = untypable;
        }
      if (!g_atomic_pointer_compare_and_exchange (&def->value_type, NULL, type))
        {
          if (type != untypable)
            g_free (type);
          type = g_atomic_pointer_get (&def->value_type);
        }
    }

  return type[0] != '\0' ? type : NULL;
}

/**
 * boto_shape_def_get_xml_name_index:
 * @data: the model @def belongs to
 * @def: a structure shape
 *
 * Which member an XML element belongs to: element name (a member info's
 * xml_name or xml_alt_name) → the member's index + 1.  Built on the first
 * call and shared afterwards.
 *
 * Returns: (nullable): the index, or %NULL when one name belongs to two
 *   members or a member's shape is missing (then match names one by one)
 */
GHashTable *
boto_shape_def_get_xml_name_index (BotoModelData *data,
                                   BotoShapeDef  *def)
{
  GHashTable *index = g_atomic_pointer_get (&def->xml_name_index);

  if (G_UNLIKELY (index == NULL))
    {
      index = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < def->n_members && index != untypable_index; i++)
        {
          const BotoMemberInfo *info = boto_member_def_get_info (data, &def->members[i]);
          const char *names[2];

          if (info == NULL || info->xml_name == NULL || info->xml_alt_name == NULL)
            {
              g_hash_table_unref (index);
              index = untypable_index;
              break;
            }
          names[0] = info->xml_name;
          names[1] = info->xml_alt_name;
          for (guint n = 0; n < 2; n++)
            {
              gpointer owner = g_hash_table_lookup (index, names[n]);

              if (owner != NULL && GPOINTER_TO_UINT (owner) != i + 1)
                {
                  g_hash_table_unref (index);
                  index = untypable_index;
                  break;
                }
              g_hash_table_insert (index, (gpointer) names[n], GUINT_TO_POINTER (i + 1));
            }
        }
      if (!g_atomic_pointer_compare_and_exchange (&def->xml_name_index, NULL, index))
        {
          if (index != untypable_index)
            g_hash_table_unref (index);
          index = g_atomic_pointer_get (&def->xml_name_index);
        }
    }

  return index != untypable_index ? index : NULL;
}
