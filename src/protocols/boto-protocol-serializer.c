/* boto-protocol-serializer.c: the request serializers of the wire protocols
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "boto-error.h"
#include "boto-model-private.h"
#include "boto-protocol-serializer-private.h"
#include "boto-protocol-rpcv2-cbor-private.h"
#include "boto-protocol-value-private.h"

/*
 * One serializer per protocol family, each writing straight into a
 * BotoHttpRequest, in botocore's order and with its formatting:
 *
 * - query / ec2: a form-urlencoded body `Action=…&Version=…&…` whose names
 *   are built from member paths (`A.member.1`, `M.entry.1.key`; ec2 names
 *   lists `A.1` and prefers `queryName`);
 * - json: a JSON body, `X-Amz-Target` and `Content-Type` from the metadata;
 * - rest-json / rest-xml: members placed by their `location` (URI labels,
 *   query string, headers, header maps), the rest or the `payload` member
 *   in a JSON or XML body.
 *
 * The input is walked in the caller's order (a{sv} keeps it), which is the
 * order of the query body and of the query string, as in botocore.
 */

typedef enum
{
  PROTO_QUERY,
  PROTO_EC2,
  PROTO_JSON,
  PROTO_REST_JSON,
  PROTO_REST_XML,
  PROTO_RPCV2_CBOR,
  PROTO_UNKNOWN,
} Proto;

/* One comparison per call, picked by the first byte. */
static Proto
parse_protocol (const char *protocol)
{
  if (protocol == NULL)
    return PROTO_UNKNOWN;
  switch (protocol[0])
    {
    case 'q':
      return strcmp (protocol, "query") == 0 ? PROTO_QUERY : PROTO_UNKNOWN;
    case 'e':
      return strcmp (protocol, "ec2") == 0 ? PROTO_EC2 : PROTO_UNKNOWN;
    case 'j':
      return strcmp (protocol, "json") == 0 ? PROTO_JSON : PROTO_UNKNOWN;
    case 'r':
      if (strcmp (protocol, "rest-xml") == 0)
        return PROTO_REST_XML;
      return strcmp (protocol, "rest-json") == 0 ? PROTO_REST_JSON : PROTO_UNKNOWN;
    case 's':
      return strcmp (protocol, "smithy-rpc-v2-cbor") == 0 ? PROTO_RPCV2_CBOR : PROTO_UNKNOWN;
    default:
      return PROTO_UNKNOWN;
    }
}

typedef struct
{
  Proto               proto;
  gboolean            strip_bucket;
  BotoSerNode        *input;    /* NULL when the operation takes no input */
  BotoValidateReport *report;   /* validating while writing, or NULL */
  gboolean            fill_tokens; /* the input's absent idempotency tokens are added */
  guint               n_tokens;    /* how many top-level members are tokens */
  struct _EntryList  *top;      /* REST: the input's entries, read once */
  struct _HeaderMap  *header_map; /* REST: a header map's entries, read once */
  gpointer            info;     /* the operation's OpInfo */
} Ctx;

static BotoProtocolUuidFunc uuid_func;
static gpointer uuid_func_data;

void
boto_protocol_set_uuid_func_for_testing (BotoProtocolUuidFunc func,
                                         gpointer             user_data)
{
  uuid_func = func;
  uuid_func_data = user_data;
}

/* A generator per thread, seeded from the system's entropy as g_rand_new()
 * does: g_random_int() takes the global generator's lock per number. */
static GPrivate uuid_rand_key = G_PRIVATE_INIT ((GDestroyNotify) g_rand_free);

/* A random (version 4) UUID as g_uuid_string_random() makes, written
 * without printf. */
static char *
new_uuid (void)
{
  static const char hex[] = "0123456789abcdef";
  GRand *rand;
  guint8 bytes[16];
  char *out;
  char *p;

  if (uuid_func != NULL)
    return uuid_func (uuid_func_data);

  rand = g_private_get (&uuid_rand_key);
  if (G_UNLIKELY (rand == NULL))
    {
      rand = g_rand_new ();
      g_private_set (&uuid_rand_key, rand);
    }
  for (guint i = 0; i < 16; i += 4)
    {
      guint32 r = g_rand_int (rand);

      memcpy (bytes + i, &r, 4);
    }
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;

  out = g_malloc (37);
  p = out;
  for (guint i = 0; i < 16; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        *p++ = '-';
      *p++ = hex[bytes[i] >> 4];
      *p++ = hex[bytes[i] & 0xf];
    }
  *p = '\0';
  return out;
}

/* g_string_append_len() without the call when the text fits (GLib 2.74
 * has no inline version). */
static inline void
str_append_len (GString    *out,
                const char *text,
                gsize       len)
{
  if (G_LIKELY (out->len + len < out->allocated_len))
    {
      memcpy (out->str + out->len, text, len);
      out->len += len;
      out->str[out->len] = '\0';
    }
  else
    g_string_append_len (out, text, len);
}

static inline void
str_append (GString    *out,
            const char *text)
{
  str_append_len (out, text, strlen (text));
}

/* g_string_truncate() for a length at most the current one. */
static inline void
str_truncate (GString *out,
              gsize    len)
{
  out->len = len;
  out->str[len] = '\0';
}

/* Plans ------------------------------------------------------------------- */

/*
 * A plan holds one BotoSerNode per distinct (member reference, shape) below
 * an input shape, so a recursive shape has finitely many nodes. It is built
 * on the first request and attached to the input shape, which the operation
 * model keeps as long as the model lives.
 */

typedef struct
{
  GPtrArray   *nodes;   /* BotoSerNode*, owned */
  BotoSerNode *root;
} Plan;

static void
node_free (gpointer data)
{
  BotoSerNode *node = data;

  g_free (node->ec2_name);
  g_free (node->xmlns);
  g_clear_pointer (&node->min, g_variant_unref);
  g_free (node->children);
  g_strfreev (node->required);
  g_free (node->required_index);
  g_free (node->member_table);
  g_free (node);
}

static void
plan_free (gpointer data)
{
  Plan *plan = data;

  g_ptr_array_unref (plan->nodes);
  g_free (plan);
}

static void xml_escape_append (GString *out, const char *str, gssize len, gboolean attribute);

static char *
build_xmlns (BotoShape *shape)
{
  g_autoptr(GVariant) ns = boto_shape_dup_trait (shape, "xmlNamespace");
  GString *out;

  if (ns == NULL)
    return NULL;
  out = g_string_new (NULL);
  if (g_variant_is_of_type (ns, G_VARIANT_TYPE_STRING))
    {
      g_string_append (out, " xmlns=\"");
      xml_escape_append (out, g_variant_get_string (ns, NULL), -1, TRUE);
      g_string_append_c (out, '"');
    }
  else if (g_variant_is_of_type (ns, G_VARIANT_TYPE_VARDICT))
    {
      const char *prefix = boto_model_variant_get_string (ns, "prefix");
      const char *uri = boto_model_variant_get_string (ns, "uri");

      if (uri != NULL)
        {
          g_string_append (out, " xmlns");
          if (prefix != NULL && *prefix != '\0')
            g_string_append_printf (out, ":%s", prefix);
          g_string_append (out, "=\"");
          xml_escape_append (out, uri, -1, TRUE);
          g_string_append_c (out, '"');
        }
    }
  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

static char *
build_ec2_name (BotoShape  *shape,
                const char *fallback)
{
  g_autoptr(GVariant) query_name = boto_shape_dup_trait (shape, "queryName");
  const char *location_name;
  char *name;

  if (query_name != NULL && g_variant_is_of_type (query_name, G_VARIANT_TYPE_STRING))
    return g_variant_dup_string (query_name, NULL);
  location_name = boto_shape_get_location_name (shape);
  if (location_name != NULL && *location_name != '\0')
    {
      name = g_strdup (location_name);
      name[0] = g_ascii_toupper (name[0]);
      return name;
    }
  /* Smithy's ec2 protocol capitalises the member name too. */
  if (fallback != NULL && g_ascii_islower (fallback[0]))
    {
      name = g_strdup (fallback);
      name[0] = g_ascii_toupper (name[0]);
      return name;
    }
  return NULL;
}

static BotoSerNode *
plan_node (Plan       *plan,
           GHashTable *memo,
           BotoShape  *shape)
{
  BotoMemberDef *member_def = boto_shape_get_member_def (shape);
  BotoShapeDef *def = boto_shape_get_def (shape);
  gconstpointer key = member_def != NULL ? (gconstpointer) member_def : (gconstpointer) def;
  BotoSerNode *node = g_hash_table_lookup (memo, key);
  g_autoptr(GVariant) format = NULL;
  g_autoptr(GVariant) min = NULL;
  const char *name;

  if (node != NULL)
    return node;

  node = g_new0 (BotoSerNode, 1);
  g_ptr_array_add (plan->nodes, node);
  g_hash_table_insert (memo, (gpointer) key, node);

  node->shape = shape;
  node->def = def;
  node->type = def->type;
  node->location = boto_shape_get_location (shape);
  if (node->location == NULL)
    node->loc = BOTO_SER_LOC_BODY;
  else if (strcmp (node->location, "uri") == 0)
    node->loc = BOTO_SER_LOC_URI;
  else if (strcmp (node->location, "querystring") == 0)
    node->loc = BOTO_SER_LOC_QUERYSTRING;
  else if (strcmp (node->location, "header") == 0)
    node->loc = BOTO_SER_LOC_HEADER;
  else if (strcmp (node->location, "headers") == 0)
    node->loc = BOTO_SER_LOC_HEADERS;
  else
    node->loc = BOTO_SER_LOC_OTHER;
  node->location_name = boto_shape_get_location_name (shape);
  node->member_location_name = member_def != NULL
                               ? boto_model_variant_get_string (member_def->traits, "locationName") : NULL;
  name = boto_model_variant_get_string (def->definition, "locationName");
  if (name == NULL)
    name = node->location_name;
  node->root_name = name != NULL ? name : def->name;
  node->ec2_name = build_ec2_name (shape, member_def != NULL ? member_def->name : NULL);
  node->xmlns = build_xmlns (shape);

  format = boto_shape_dup_trait (shape, "timestampFormat");
  if (format != NULL && g_variant_is_of_type (format, G_VARIANT_TYPE_STRING))
    {
      const char *f = g_variant_get_string (format, NULL);

      if (g_ascii_strcasecmp (f, "iso8601") == 0)
        node->ts_format = BOTO_SER_TS_ISO8601;
      else if (g_ascii_strcasecmp (f, "rfc822") == 0)
        node->ts_format = BOTO_SER_TS_RFC822;
      else if (g_ascii_strcasecmp (f, "unixtimestamp") == 0)
        node->ts_format = BOTO_SER_TS_UNIX;
    }

  node->flattened = boto_shape_get_boolean_trait (shape, "flattened");
  node->xml_attribute = boto_shape_get_boolean_trait (shape, "xmlAttribute");
  node->idempotency_token = boto_shape_get_boolean_trait (shape, "idempotencyToken");
  node->jsonvalue = boto_shape_get_boolean_trait (shape, "jsonvalue");
  node->document = boto_shape_get_boolean_trait (shape, "document");
  node->is_union = boto_shape_get_boolean_trait (shape, "union");
  node->streaming = boto_shape_get_boolean_trait (shape, "streaming");
  node->requires_length = boto_shape_get_boolean_trait (shape, "requiresLength");

  /* botocore's range_check: the shape's `min`, else 1 for a host label. */
  min = boto_shape_dup_trait (shape, "min");
  if (min != NULL && g_variant_is_of_type (min, G_VARIANT_TYPE_INT64))
    {
      node->has_min = TRUE;
      node->min_allowed = (double) g_variant_get_int64 (min);
      node->min = g_variant_ref (min);
    }
  else if (min != NULL && g_variant_is_of_type (min, G_VARIANT_TYPE_DOUBLE))
    {
      node->has_min = TRUE;
      node->min_allowed = g_variant_get_double (min);
      node->min = g_variant_ref (min);
    }
  else if (min == NULL && boto_shape_get_boolean_trait (shape, "hostLabel"))
    {
      node->has_min = TRUE;
      node->min_allowed = 1;
      node->min = g_variant_ref_sink (g_variant_new_int64 (1));
    }

  switch (node->type)
    {
    case BOTO_SHAPE_TYPE_STRUCTURE:
      node->n_children = def->n_members;
      node->children = g_new0 (BotoSerNode *, MAX (def->n_members, 1));
      for (guint i = 0; i < def->n_members; i++)
        {
          BotoShape *child = boto_shape_get_member (shape, def->members[i].name);

          node->children[i] = child != NULL ? plan_node (plan, memo, child) : NULL;
        }
      node->required = boto_shape_get_required_members (shape);
      node->required_index = g_new (int, g_strv_length (node->required) + 1);
      for (guint i = 0; node->required[i] != NULL; i++)
        {
          BotoMemberDef *m = boto_shape_def_find_member (def, node->required[i]);

          node->required_index[i] = m != NULL ? (int) (m - def->members) : -1;
        }
      /* The member names' table: the first member of a name wins, as in a
       * linear search. */
      if (def->n_members > 0 && def->n_members < G_MAXUINT16)
        {
          guint size = 8;

          while (size < def->n_members * 2)
            size *= 2;
          node->member_table = g_new0 (guint16, size);
          node->member_mask = size - 1;
          for (guint m = 0; m < def->n_members; m++)
            {
              guint i = boto_ser_name_hash (def->members[m].name) & node->member_mask;

              while (node->member_table[i] != 0 &&
                     strcmp (def->members[node->member_table[i] - 1].name, def->members[m].name) != 0)
                i = (i + 1) & node->member_mask;
              if (node->member_table[i] == 0)
                node->member_table[i] = (guint16) (m + 1);
            }
        }
      break;
    case BOTO_SHAPE_TYPE_LIST:
      {
        BotoShape *child = boto_shape_get_list_member (shape);

        if (child != NULL)
          {
            node->n_children = 1;
            node->children = g_new0 (BotoSerNode *, 1);
            node->children[0] = plan_node (plan, memo, child);
          }
      }
      break;
    case BOTO_SHAPE_TYPE_MAP:
      {
        BotoShape *key_shape = boto_shape_get_map_key (shape);
        BotoShape *value_shape = boto_shape_get_map_value (shape);

        if (key_shape != NULL && value_shape != NULL)
          {
            node->n_children = 2;
            node->children = g_new0 (BotoSerNode *, 2);
            node->children[0] = plan_node (plan, memo, key_shape);
            node->children[1] = plan_node (plan, memo, value_shape);
          }
      }
      break;
    default:
      break;
    }

  return node;
}

BotoSerNode *
boto_ser_plan_get_root (BotoShape *input)
{
  static GQuark quark;
  g_autoptr(GHashTable) memo = NULL;
  Plan *plan;

  g_return_val_if_fail (BOTO_IS_SHAPE (input), NULL);

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("boto-serializer-plan");

  plan = g_object_get_qdata (G_OBJECT (input), quark);
  if (G_LIKELY (plan != NULL))
    return plan->root;

  plan = g_new0 (Plan, 1);
  plan->nodes = g_ptr_array_new_with_free_func (node_free);
  memo = g_hash_table_new (NULL, NULL);
  plan->root = plan_node (plan, memo, input);

  /* Another thread may have been first: keep theirs. */
  if (!g_object_replace_qdata (G_OBJECT (input), quark, NULL, plan, plan_free, NULL))
    {
      plan_free (plan);
      plan = g_object_get_qdata (G_OBJECT (input), quark);
    }
  return plan->root;
}

/* Common helpers ---------------------------------------------------------- */

static const char *
serialized_name (BotoSerNode *member,
                 const char *fallback)
{
  const char *name = member->location_name;

  return name != NULL ? name : fallback;
}

static const char *
timestamp_format (BotoSerNode *shape,
                  const char  *fallback)
{
  switch (shape->ts_format)
    {
    case BOTO_SER_TS_ISO8601:
      return "iso8601";
    case BOTO_SER_TS_RFC822:
      return "rfc822";
    case BOTO_SER_TS_UNIX:
      return "unixtimestamp";
    case BOTO_SER_TS_NONE:
    default:
      return fallback;
    }
}

/* Decimal, without printf. */
static void
append_int64 (GString *out,
              gint64   value)
{
  char buf[24];
  char *p = buf + sizeof buf;
  guint64 u = value < 0 ? (guint64) 0 - (guint64) value : (guint64) value;

  do
    {
      *--p = (char) ('0' + u % 10);
      u /= 10;
    }
  while (u != 0);
  if (value < 0)
    *--p = '-';
  str_append_len (out, p, buf + sizeof buf - p);
}

static void
append_uint64 (GString *out,
               guint64  u)
{
  char buf[24];
  char *p = buf + sizeof buf;

  do
    {
      *--p = (char) ('0' + u % 10);
      u /= 10;
    }
  while (u != 0);
  str_append_len (out, p, buf + sizeof buf - p);
}

static void
append_timestamp (GString    *out,
                  gint64      usec,
                  const char *format)
{
  if (strcmp (format, "rfc822") == 0)
    boto_format_timestamp_rfc822 (out, usec);
  else if (strcmp (format, "unixtimestamp") == 0)
    boto_format_timestamp_unix (out, usec);
  else
    boto_format_timestamp_iso8601 (out, usec);
}

static void
append_base64 (GString  *out,
               GVariant *value)
{
  const guint8 *data;
  gsize len;

  if (boto_value_get_blob (value, &data, &len))
    {
      g_autofree char *b64 = g_base64_encode (data, len);

      g_string_append (out, b64);
    }
}

/* A scalar as text: strings as they are, integers in decimal, booleans
 * `true`/`false`, floats as Python writes them (NaN, Infinity), timestamps
 * in @ts_format unless the shape says otherwise, blobs in base64 when
 * @blob_base64 (else their bytes). */
static void
append_scalar (GString      *out,
               BotoSerNode  *shape,
               GVariant     *value,
               GVariantClass klass,
               const char   *ts_format,
               gboolean      blob_base64)
{
  gint64 i;
  gboolean overflow;
  double d;

  switch (shape->type)
    {
    case BOTO_SHAPE_TYPE_BOOLEAN:
      if (klass == G_VARIANT_CLASS_BOOLEAN)
        g_string_append (out, g_variant_get_boolean (value) ? "true" : "false");
      return;
    case BOTO_SHAPE_TYPE_FLOAT:
    case BOTO_SHAPE_TYPE_DOUBLE:
      if (boto_value_get_double (value, &d))
        boto_format_double_special (out, d);
      return;
    case BOTO_SHAPE_TYPE_TIMESTAMP:
      if (boto_value_get_timestamp (value, &i))
        append_timestamp (out, i, timestamp_format (shape, ts_format));
      return;
    case BOTO_SHAPE_TYPE_BLOB:
      if (blob_base64)
        append_base64 (out, value);
      else
        {
          const guint8 *data;
          gsize len;

          if (boto_value_get_blob (value, &data, &len))
            g_string_append_len (out, (const char *) data, len);
        }
      return;
    default:
      break;
    }

  switch (klass)
    {
    case G_VARIANT_CLASS_STRING:
      str_append (out, boto_value_string (value));
      break;
    case G_VARIANT_CLASS_UINT64:
      append_uint64 (out, g_variant_get_uint64 (value));
      break;
    case G_VARIANT_CLASS_DOUBLE:
      boto_format_double_special (out, g_variant_get_double (value));
      break;
    case G_VARIANT_CLASS_BOOLEAN:
      g_string_append (out, g_variant_get_boolean (value) ? "true" : "false");
      break;
    default:
      if (boto_value_get_int64_class (value, klass, &i, &overflow))
        append_int64 (out, i);
      break;
    }
}

static char *
scalar_to_string (BotoSerNode *shape,
                  GVariant   *raw,
                  const char *ts_format)
{
  g_autoptr(GVariant) value = NULL;
  const char *type = g_variant_get_type_string (raw);
  GString *out;

  /* A string as it is, without a GString on the way. */
  if (shape->type == BOTO_SHAPE_TYPE_STRING && type[0] == G_VARIANT_CLASS_STRING)
    return g_strdup (boto_value_string (raw));

  value = boto_value_unwrap_type (raw, &type);
  out = g_string_new (NULL);
  append_scalar (out, shape, value, (GVariantClass) type[0], ts_format, TRUE);
  return g_string_free (out, FALSE);
}

/* The children of a list value, unwrapped, as new references. */
static GPtrArray *
list_items (GVariant *value)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);

  if (value != NULL && boto_value_is_list (value))
    {
      gsize n = g_variant_n_children (value);

      for (gsize i = 0; i < n; i++)
        {
          g_autoptr(GVariant) child = g_variant_get_child_value (value, i);

          g_ptr_array_add (items, boto_value_unwrap (child));
        }
    }
  return items;
}

/* Query and EC2 --------------------------------------------------------- */

/* The fields of a form, in one buffer: each name and value is appended to
 * the arena and found again through a small open-addressing table, so a
 * request costs no allocation per field. Like a Python dict, a name set
 * again keeps its place and takes the new value. */
typedef struct
{
  gsize name_off;
  gsize name_len;
  gsize value_off;
  gsize value_len;
  guint hash;
} FormField;

typedef struct
{
  GString   *arena;
  FormField *fields;
  guint      n_fields;
  guint      fields_size;
  guint     *table;        /* field index + 1, 0: empty; size a power of two */
  guint      table_size;
  gsize      pending;      /* the arena offset of the value being written */
  FormField  fields_stack[32];
  guint      table_stack[64];
} Form;

static void
form_init (Form *form)
{
  form->arena = g_string_sized_new (512);
  form->fields = form->fields_stack;
  form->n_fields = 0;
  form->fields_size = G_N_ELEMENTS (form->fields_stack);
  form->table = form->table_stack;
  form->table_size = G_N_ELEMENTS (form->table_stack);
  memset (form->table, 0, sizeof form->table_stack);
}

static void
form_clear (Form *form)
{
  g_string_free (form->arena, TRUE);
  if (form->fields != form->fields_stack)
    g_free (form->fields);
  if (form->table != form->table_stack)
    g_free (form->table);
}

/* The names are mostly long and alike (`A.1.B.2.C`): eight bytes at a
 * time, each word mixed by a multiplication, then the tail. */
static guint
form_hash (const char *name,
           gsize       len)
{
  guint64 h = 0x9e3779b97f4a7c15u ^ len;
  gsize i = 0;

  for (; i + 8 <= len; i += 8)
    {
      guint64 w;

      memcpy (&w, name + i, 8);
      h = (h ^ w) * 0xff51afd7ed558ccdu;
      h ^= h >> 32;
    }
  if (i < len)
    {
      guint64 w = 0;

      memcpy (&w, name + i, len - i);
      h = (h ^ w) * 0xff51afd7ed558ccdu;
      h ^= h >> 32;
    }
  return (guint) h;
}

static void
form_table_insert (Form  *form,
                   guint  hash,
                   guint  index)
{
  guint mask = form->table_size - 1;
  guint slot = hash & mask;

  while (form->table[slot] != 0)
    slot = (slot + 1) & mask;
  form->table[slot] = index + 1;
}

/* Starts a field named @name: its value is then appended to
 * form->arena, and form_end() files it. */
static void
form_begin (Form       *form,
            const char *name,
            gsize       name_len)
{
  FormField *field;

  if (form->n_fields == form->fields_size)
    {
      guint size = form->fields_size * 2;

      if (form->fields == form->fields_stack)
        {
          form->fields = g_new (FormField, size);
          memcpy (form->fields, form->fields_stack, sizeof form->fields_stack);
        }
      else
        form->fields = g_renew (FormField, form->fields, size);
      form->fields_size = size;
    }
  field = &form->fields[form->n_fields];
  field->name_off = form->arena->len;
  field->name_len = name_len;
  field->hash = form_hash (name, name_len);
  str_append_len (form->arena, name, name_len);
  form->pending = form->arena->len;
}

static void
form_end (Form *form)
{
  FormField *field = &form->fields[form->n_fields];
  const char *arena = form->arena->str;
  guint mask = form->table_size - 1;
  guint slot = field->hash & mask;

  field->value_off = form->pending;
  field->value_len = form->arena->len - form->pending;

  for (; form->table[slot] != 0; slot = (slot + 1) & mask)
    {
      FormField *other = &form->fields[form->table[slot] - 1];

      if (other->hash == field->hash && other->name_len == field->name_len &&
          memcmp (arena + other->name_off, arena + field->name_off, field->name_len) == 0)
        {
          other->value_off = field->value_off;
          other->value_len = field->value_len;
          return;
        }
    }

  form->table[slot] = form->n_fields + 1;
  form->n_fields++;
  /* At most half full. */
  if (form->n_fields * 2 > form->table_size)
    {
      guint size = form->table_size * 2;

      if (form->table != form->table_stack)
        g_free (form->table);
      form->table = g_new0 (guint, size);
      form->table_size = size;
      for (guint i = 0; i < form->n_fields; i++)
        form_table_insert (form, form->fields[i].hash, i);
    }
}

static void
form_set (Form       *form,
          const char *name,
          const char *value)
{
  form_begin (form, name, strlen (name));
  str_append (form->arena, value);
  form_end (form);
}

static const char *
query_name (Ctx         *ctx,
            BotoSerNode *shape,
            const char  *fallback)
{
  if (ctx->proto == PROTO_EC2)
    {
      if (shape->ec2_name != NULL)
        return shape->ec2_name;
      /* Capitalised as the member names are (map keys and values). */
      if (g_strcmp0 (fallback, "key") == 0)
        return "Key";
      if (g_strcmp0 (fallback, "value") == 0)
        return "Value";
      return fallback;
    }
  return serialized_name (shape, fallback);
}

/* A structure member's name: its ec2 name (a lower-case member name has
 * one, so "key" and "value" need no check here), else as query_name(). */
static inline const char *
member_query_name (Ctx         *ctx,
                   BotoSerNode *member,
                   const char  *key)
{
  if (ctx->proto == PROTO_EC2)
    return member->ec2_name != NULL ? member->ec2_name : key;
  return serialized_name (member, key);
}

/* A structure's entries, read once: keys, unwrapped values (NULL when
 * null) and their members (NULL when unknown), with room for @extra more. */
typedef struct _EntryList
{
  BotoValidateEntry *entries;
  gsize              n;
  guint              n_set;
  gboolean           has_unknown;
  BotoValidateEntry  stack[24];
} EntryList;

static void
entry_list_read (EntryList   *list,
                 BotoSerNode *shape,
                 GVariant    *dict,
                 const char  *dict_type,
                 gsize        extra)
{
  gsize n = g_variant_n_children (dict);
  gboolean vardict = boto_type_is_vardict (dict_type);

  list->n = n;
  list->n_set = 0;
  list->has_unknown = FALSE;
  list->entries = n + extra <= G_N_ELEMENTS (list->stack) ? list->stack : g_new (BotoValidateEntry, n + extra);
  for (gsize i = 0; i < n; i++)
    {
      BotoValidateEntry *entry = &list->entries[i];
      const char *type;
      GVariant *inner = boto_value_dict_entry_unwrapped (dict, i, vardict, &entry->key, &type);

      if (type[0] == G_VARIANT_CLASS_MAYBE)
        {
          g_clear_pointer (&inner, g_variant_unref);
          type = NULL;
        }
      else
        list->n_set++;
      entry->value = inner;
      entry->type = type;
      entry->klass = type != NULL ? (GVariantClass) type[0] : 0;
      entry->member = boto_ser_node_member (shape, entry->key);
      if (entry->member == NULL)
        list->has_unknown = TRUE;
    }
}

static void
entry_list_clear (EntryList *list)
{
  for (gsize i = 0; i < list->n; i++)
    g_clear_pointer (&list->entries[i].value, g_variant_unref);
  if (list->entries != list->stack)
    g_free (list->entries);
  list->entries = NULL;
  list->n = 0;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (EntryList, entry_list_clear)

/* The entries of a top-level header map (`x-amz-meta-*`), read once for
 * the checks and the headers: keys, values unwrapped (a null value kept,
 * of class maybe), member NULL. */
typedef struct _HeaderMap
{
  gsize              index;    /* of the member's entry in the top list */
  BotoValidateEntry *entries;  /* NULL: none read */
  gsize              n;
  BotoValidateEntry  stack[8];
} HeaderMap;

static void
header_map_read (HeaderMap  *map,
                 gsize       index,
                 GVariant   *dict,
                 const char *dict_type)
{
  gsize n = g_variant_n_children (dict);
  gboolean vardict = boto_type_is_vardict (dict_type);

  map->index = index;
  map->n = n;
  map->entries = n <= G_N_ELEMENTS (map->stack) ? map->stack : g_new (BotoValidateEntry, n);
  for (gsize i = 0; i < n; i++)
    {
      BotoValidateEntry *entry = &map->entries[i];

      entry->value = boto_value_dict_entry_unwrapped (dict, i, vardict, &entry->key, &entry->type);
      entry->klass = (GVariantClass) entry->type[0];
      entry->member = NULL;
    }
}

static void
header_map_clear (HeaderMap *map)
{
  if (map->entries == NULL)
    return;
  for (gsize i = 0; i < map->n; i++)
    g_variant_unref (map->entries[i].value);
  if (map->entries != map->stack)
    g_free (map->entries);
  map->entries = NULL;
  map->n = 0;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HeaderMap, header_map_clear)

/*
 * The query serializer validates as it writes when ctx->report is set: it
 * reads the input once, and makes the checks of
 * boto_protocol_validate_node() in the same order (a structure's own
 * checks, then its members in the input's order, list items in order, map
 * keys before their values), so the report is the same; the caller drops
 * the form when the report has lines. With no report it writes what it
 * always wrote.
 */

typedef BotoValidatePath Path;

/* What boto_validate_unwrapped_type() passes without a look at the value:
 * a string for a string shape without a minimum, a string or bytes for a
 * blob, a boolean. */
static inline gboolean
validate_passes (BotoSerNode *shape,
                 const char  *type)
{
  switch (shape->type)
    {
    case BOTO_SHAPE_TYPE_STRING:
    case BOTO_SHAPE_TYPE_CHARACTER:
      return type[0] == G_VARIANT_CLASS_STRING && !shape->has_min;
    case BOTO_SHAPE_TYPE_BLOB:
      return boto_type_is_blob (type);
    case BOTO_SHAPE_TYPE_BOOLEAN:
      return type[0] == G_VARIANT_CLASS_BOOLEAN;
    default:
      return FALSE;
    }
}

/* The shapes the validator treats apart (validate_value). */
static inline gboolean
validate_special (BotoSerNode *shape)
{
  return (shape->jsonvalue && shape->loc == BOTO_SER_LOC_HEADER) ||
         (shape->type == BOTO_SHAPE_TYPE_STRUCTURE && shape->document);
}

static void query_value (Ctx *ctx, Form *form, BotoSerNode *shape, GVariant *raw, const char *raw_type,
                         GString *prefix, const Path *path);
static void query_unwrapped (Ctx *ctx, Form *form, BotoSerNode *shape, GVariant *value, const char *type,
                             GString *prefix, const Path *path);

/* The member names are appended to @prefix and cut off again, so a whole
 * request is built in one buffer. */
static void
query_serialize_structure (Ctx         *ctx,
                           Form        *form,
                           BotoSerNode *shape,
                           GVariant    *value,
                           const char  *type,
                           GString     *prefix,
                           const Path  *path)
{
  gsize len = prefix->len;
  EntryList list;
  gboolean fill = ctx->fill_tokens && shape == ctx->input;

  if (!boto_type_is_dict (type))
    {
      if (ctx->report != NULL)
        boto_validate_invalid_type (ctx->report, path, value, "<class 'dict'>");
      return;
    }

  /* The dictionary is read once, for the checks and the fields. */
  entry_list_read (&list, shape, value, type, fill ? ctx->n_tokens : 0);

  /* Absent idempotency tokens are appended, as fill_idempotency_tokens()
   * would have (an entry of that name, even null, counts as set). */
  for (guint m = 0; fill && m < shape->n_children; m++)
    {
      BotoSerNode *member = shape->children[m];
      const char *name = shape->def->members[m].name;
      gboolean present = FALSE;

      if (member == NULL || !member->idempotency_token)
        continue;
      /* The entry read for that member has that name. */
      for (gsize i = 0; i < list.n && !present; i++)
        present = list.entries[i].member == member && strcmp (list.entries[i].key, name) == 0;
      if (!present)
        {
          BotoValidateEntry *entry = &list.entries[list.n++];

          entry->key = name;
          /* The variant takes the token's text as it is. */
          entry->value = g_variant_ref_sink (g_variant_new_take_string (new_uuid ()));
          entry->member = member;
          entry->klass = G_VARIANT_CLASS_STRING;
          entry->type = "s";
          list.n_set++;
        }
    }

  if (ctx->report != NULL)
    boto_validate_structure_checks (ctx->report, shape, list.entries, list.n, list.n_set,
                                    list.has_unknown, path);

  for (gsize i = 0; i < list.n; i++)
    {
      BotoValidateEntry *entry = &list.entries[i];

      /* Null and unknown members are left out. */
      if (entry->member != NULL && entry->value != NULL)
        {
          Path child_path = { path, BOTO_VALIDATE_PATH_MEMBER, entry->key, 0 };

          if (len > 0)
            g_string_append_c (prefix, '.');
          str_append (prefix, member_query_name (ctx, entry->member, entry->key));
          query_unwrapped (ctx, form, entry->member, entry->value, entry->type, prefix, &child_path);
          str_truncate (prefix, len);
        }
    }
  entry_list_clear (&list);
}

static void
query_serialize_list (Ctx         *ctx,
                      Form        *form,
                      BotoSerNode *shape,
                      GVariant    *value,
                      const char  *type,
                      GString     *prefix,
                      const Path  *path)
{
  BotoSerNode *member = boto_ser_node_list_member (shape);
  gboolean is_list = boto_type_is_list (type);
  gsize n = is_list ? g_variant_n_children (value) : 0;
  gsize list_len;

  if (ctx->report != NULL)
    {
      if (!is_list)
        boto_validate_invalid_type (ctx->report, path, value, "<class 'list'>, <class 'tuple'>");
      else
        boto_validate_check_min (ctx->report, shape, path, (double) n, NULL, (gint64) n, TRUE);
    }

  if (member == NULL)
    return;

  if (ctx->proto == PROTO_EC2)
    ;
  else if (n == 0)
    {
      form_set (form, prefix->str, "");
      return;
    }
  else if (shape->flattened)
    {
      /* botocore puts the list member's locationName in place of the
       * last component, unless the structure member names itself (Smithy:
       * the member's xmlName wins, QueryFlattenedListArgWithXmlName). */
      const char *name = member->location_name;
      const char *dot = strrchr (prefix->str, '.');

      if (name == NULL || shape->member_location_name != NULL)
        ;
      else if (dot != NULL)
        {
          g_string_truncate (prefix, dot - prefix->str + 1);
          str_append (prefix, name);
        }
      else
        g_string_assign (prefix, name);
    }
  else
    {
      g_string_append_c (prefix, '.');
      str_append (prefix, serialized_name (member, "member"));
    }

  list_len = prefix->len;
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) child = g_variant_get_child_value (value, i);
      Path child_path = { path, BOTO_VALIDATE_PATH_INDEX, NULL, i };

      g_string_append_c (prefix, '.');
      append_uint64 (prefix, i + 1);
      /* An array's element type is the rest of its type string. */
      query_value (ctx, form, member, child, type + 1, prefix, &child_path);
      str_truncate (prefix, list_len);
    }
  /* The caller cuts @prefix back to its own length. */
}

static void
query_serialize_map (Ctx         *ctx,
                     Form        *form,
                     BotoSerNode *shape,
                     GVariant    *value,
                     const char  *type,
                     GString     *prefix,
                     const Path  *path)
{
  BotoSerNode *key_shape = boto_ser_node_map_key (shape);
  BotoSerNode *value_shape = boto_ser_node_map_value (shape);
  const char *key_suffix;
  const char *value_suffix;
  gsize n;
  gsize entry_len;
  const char *child_type;

  if (!boto_type_is_dict (type))
    {
      if (ctx->report != NULL)
        boto_validate_invalid_type (ctx->report, path, value, "<class 'dict'>");
      return;
    }
  if (key_shape == NULL || value_shape == NULL)
    {
      /* Nothing is written; the validator checks what it can. */
      if (ctx->report != NULL)
        boto_validate_unwrapped_type (ctx->report, shape, value, type, path);
      return;
    }
  child_type = boto_type_is_vardict (type) ? "v" : NULL;

  if (!shape->flattened)
    str_append (prefix, ".entry");
  entry_len = prefix->len;
  key_suffix = key_shape->location_name != NULL ? query_name (ctx, key_shape, "key") : "key";
  value_suffix = value_shape->location_name != NULL ? query_name (ctx, value_shape, "value") : "value";

  n = g_variant_n_children (value);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) entry = g_variant_get_child_value (value, i);
      g_autoptr(GVariant) key = g_variant_get_child_value (entry, 0);
      g_autoptr(GVariant) child = g_variant_get_child_value (entry, 1);
      const char *k = boto_value_string (key);
      Path key_path = { path, BOTO_VALIDATE_PATH_MAP_KEY, k, 0 };
      Path value_path = { path, BOTO_VALIDATE_PATH_MEMBER, k, 0 };
      gsize index_len;

      g_string_append_c (prefix, '.');
      append_uint64 (prefix, i + 1);
      g_string_append_c (prefix, '.');
      index_len = prefix->len;
      str_append (prefix, key_suffix);
      query_value (ctx, form, key_shape, key, "s", prefix, &key_path);
      g_string_truncate (prefix, index_len);
      str_append (prefix, value_suffix);
      query_value (ctx, form, value_shape, child, child_type, prefix, &value_path);
      g_string_truncate (prefix, entry_len);
    }
}

static inline gboolean
is_integer_shape (BotoSerNode *shape)
{
  return shape->type == BOTO_SHAPE_TYPE_INTEGER || shape->type == BOTO_SHAPE_TYPE_LONG ||
         shape->type == BOTO_SHAPE_TYPE_SHORT || shape->type == BOTO_SHAPE_TYPE_BYTE;
}

/* A scalar field: the value is read once for its checks and its text. */
static void
query_scalar (Ctx         *ctx,
              Form        *form,
              BotoSerNode *shape,
              GVariant    *value,
              const char  *type,
              GString     *prefix,
              const Path  *path)
{
  GVariantClass klass = (GVariantClass) type[0];
  gint64 i;
  gboolean overflow;

  if (klass == G_VARIANT_CLASS_STRING && shape->type == BOTO_SHAPE_TYPE_STRING)
    {
      /* A string passes unless the shape has a minimum length. */
      if (ctx->report != NULL && shape->has_min)
        boto_validate_unwrapped_type (ctx->report, shape, value, type, path);
      form_begin (form, prefix->str, prefix->len);
      str_append (form->arena, boto_value_string (value));
      form_end (form);
      return;
    }
  if (klass != G_VARIANT_CLASS_UINT64 && is_integer_shape (shape) &&
      boto_value_get_int64_class (value, klass, &i, &overflow))
    {
      if (ctx->report != NULL)
        boto_validate_integer_read (ctx->report, shape, value, i, overflow, path);
      form_begin (form, prefix->str, prefix->len);
      append_int64 (form->arena, i);
      form_end (form);
      return;
    }

  if (ctx->report != NULL)
    boto_validate_unwrapped_type (ctx->report, shape, value, type, path);
  form_begin (form, prefix->str, prefix->len);
  append_scalar (form->arena, shape, value, klass, "iso8601", TRUE);
  form_end (form);
}

/* @value is unwrapped and not null, @type its type string. */
static void
query_unwrapped (Ctx         *ctx,
                 Form        *form,
                 BotoSerNode *shape,
                 GVariant    *value,
                 const char  *type,
                 GString     *prefix,
                 const Path  *path)
{
  if (ctx->report != NULL && validate_special (shape))
    {
      BotoValidateReport *report = ctx->report;

      boto_validate_unwrapped_type (report, shape, value, type, path);
      ctx->report = NULL;
      query_unwrapped (ctx, form, shape, value, type, prefix, path);
      ctx->report = report;
      return;
    }

  switch (shape->type)
    {
    case BOTO_SHAPE_TYPE_STRUCTURE:
      query_serialize_structure (ctx, form, shape, value, type, prefix, path);
      break;
    case BOTO_SHAPE_TYPE_LIST:
      query_serialize_list (ctx, form, shape, value, type, prefix, path);
      break;
    case BOTO_SHAPE_TYPE_MAP:
      query_serialize_map (ctx, form, shape, value, type, prefix, path);
      break;
    default:
      query_scalar (ctx, form, shape, value, type, prefix, path);
      break;
    }
}

/* @raw_type: the type string of @raw, or NULL. */
static void
query_value (Ctx         *ctx,
             Form        *form,
             BotoSerNode *shape,
             GVariant    *raw,
             const char  *raw_type,
             GString     *prefix,
             const Path  *path)
{
  GVariant *owned = NULL;
  GVariant *value = raw;
  const char *type;

  if (ctx->report != NULL && validate_special (shape))
    {
      BotoValidateReport *report = ctx->report;

      boto_validate_value (report, shape, raw, path);
      ctx->report = NULL;
      query_value (ctx, form, shape, raw, raw_type, prefix, path);
      ctx->report = report;
      return;
    }

  type = raw_type != NULL ? raw_type : g_variant_get_type_string (raw);
  if (type[0] == G_VARIANT_CLASS_VARIANT || type[0] == G_VARIANT_CLASS_MAYBE)
    value = owned = boto_value_unwrap_known (raw, type, &type);
  if (type[0] == G_VARIANT_CLASS_MAYBE)
    {
      /* Null. */
      if (ctx->report != NULL)
        boto_validate_invalid_type (ctx->report, path, value, "<class 'str'>");
    }
  else
    query_unwrapped (ctx, form, shape, value, type, prefix, path);
  if (owned != NULL)
    g_variant_unref (owned);
}

/* The bytes that quote_plus keeps as they are. */
static const guint8 form_safe[256] = {
  ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
  ['8'] = 1, ['9'] = 1,
  ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1,
  ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1,
  ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
  ['Y'] = 1, ['Z'] = 1,
  ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1,
  ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
  ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
  ['y'] = 1, ['z'] = 1,
  ['-'] = 1, ['.'] = 1, ['_'] = 1, ['~'] = 1,
};

/* As Python's urlencode (quote_plus): a space is `+`. @out has room for
 * the worst case (three bytes per byte) reserved by the caller. */
static char *
form_encode (char       *out,
             const char *str,
             gsize       len)
{
  static const char hex[] = "0123456789ABCDEF";
  const guchar *p = (const guchar *) str;
  const guchar *end = p + len;

  while (p < end)
    {
      guchar c;

      /* Bytes that stay as they are: eight at a time while all eight
       * are, copied as one word (the output is never shorter than what
       * was read). */
      while (p + 8 <= end &&
             (form_safe[p[0]] & form_safe[p[1]] & form_safe[p[2]] & form_safe[p[3]] &
              form_safe[p[4]] & form_safe[p[5]] & form_safe[p[6]] & form_safe[p[7]]))
        {
          memcpy (out, p, 8);
          out += 8;
          p += 8;
        }
      while (p < end && form_safe[*p])
        *out++ = (char) *p++;
      if (p == end)
        break;
      c = *p++;
      if (c == ' ')
        *out++ = '+';
      else
        {
          *out++ = '%';
          *out++ = hex[c >> 4];
          *out++ = hex[c & 0xf];
        }
    }
  return out;
}

/* The form of a query or ec2 request: Action, Version, then the input,
 * validated on the way when ctx->report is set. */
static void
build_query_form (Ctx                *ctx,
                  BotoServiceModel   *service,
                  BotoOperationModel *op,
                  GVariant           *params,
                  const char         *params_type,
                  Form               *form)
{
  BotoSerNode *input = ctx->input;
  const char *api_version = boto_service_model_get_api_version (service);

  form_set (form, "Action", boto_operation_model_get_name (op));
  form_set (form, "Version", api_version != NULL ? api_version : "");
  if (input != NULL)
    {
      GString *prefix = g_string_sized_new (64);
      Path root = { NULL, BOTO_VALIDATE_PATH_ROOT, NULL, 0 };

      query_value (ctx, form, input, params, params_type, prefix, &root);
      g_string_free (prefix, TRUE);
    }
}

static void
write_query_body (Form            *form,
                  BotoHttpRequest *request)
{
  char *body;
  char *out;
  gsize size;

  /* Every byte encoded may take three, plus `=` and `&` per field. */
  size = form->arena->len * 3 + form->n_fields * 2 + 1;
  body = g_malloc (size);
  out = body;
  for (guint i = 0; i < form->n_fields; i++)
    {
      FormField *field = &form->fields[i];

      if (i > 0)
        *out++ = '&';
      out = form_encode (out, form->arena->str + field->name_off, field->name_len);
      *out++ = '=';
      out = form_encode (out, form->arena->str + field->value_off, field->value_len);
    }
  *out = '\0';
  /* Not three times the room for long mostly-plain bodies. */
  if (size > 4096 && (gsize) (out - body) + 1 < size / 2)
    {
      gsize len = out - body;

      body = g_realloc (body, len + 1);
      out = body + len;
    }

  boto_http_request_set_header (request, "Content-Type",
                                "application/x-www-form-urlencoded; charset=utf-8");
  {
    /* set_body takes its own reference. */
    g_autoptr(GBytes) bytes = g_bytes_new_take (body, out - body);

    boto_http_request_set_body (request, bytes);
  }
}

/* JSON --------------------------------------------------------------------- */

static gboolean
is_document (BotoSerNode *shape)
{
  return shape->document;
}

static void json_serialize (GString *out, BotoSerNode *shape, GVariant *raw);

/* Writes a structure's members; with @body_only, only those the REST
 * protocols put in the body (no `location`). */
static void
json_serialize_structure (GString   *out,
                          BotoSerNode *shape,
                          GVariant  *value,
                          gboolean   body_only)
{
  BotoDictIter iter;
  const char *key;
  GVariant *child;
  gboolean first = TRUE;

  g_string_append_c (out, '{');
  if (boto_value_is_dict (value))
    {
      boto_dict_iter_init (&iter, value);
      while (boto_dict_iter_next (&iter, &key, &child))
        {
          BotoSerNode *member = boto_ser_node_member (shape, key);
          g_autoptr(GVariant) inner = boto_value_unwrap (child);

          /* Null members are left out. */
          if (member != NULL && !boto_value_is_null (inner) &&
              !(body_only && member->location != NULL))
            {
              if (!first)
                g_string_append_c (out, ',');
              first = FALSE;
              boto_format_json_string_ascii (out, serialized_name (member, key), -1);
              g_string_append_c (out, ':');
              json_serialize (out, member, child);
            }
          g_variant_unref (child);
        }
    }
  g_string_append_c (out, '}');
}

static void
json_serialize (GString   *out,
                BotoSerNode *shape,
                GVariant  *raw)
{
  g_autoptr(GVariant) value = boto_value_unwrap (raw);

  if (boto_value_is_null (value))
    {
      g_string_append (out, "null");
      return;
    }
  if (is_document (shape))
    {
      boto_format_json_value (out, value, BOTO_FORMAT_JSON_COMPACT);
      return;
    }

  switch (shape->type)
    {
    case BOTO_SHAPE_TYPE_STRUCTURE:
      json_serialize_structure (out, shape, value, FALSE);
      break;
    case BOTO_SHAPE_TYPE_LIST:
      {
        BotoSerNode *member = boto_ser_node_list_member (shape);
        g_autoptr(GPtrArray) items = list_items (value);

        g_string_append_c (out, '[');
        for (guint i = 0; member != NULL && i < items->len; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            json_serialize (out, member, g_ptr_array_index (items, i));
          }
        g_string_append_c (out, ']');
      }
      break;
    case BOTO_SHAPE_TYPE_MAP:
      {
        BotoSerNode *value_shape = boto_ser_node_map_value (shape);
        BotoDictIter iter;
        const char *key;
        GVariant *child;
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        if (value_shape != NULL && boto_value_is_dict (value))
          {
            boto_dict_iter_init (&iter, value);
            while (boto_dict_iter_next (&iter, &key, &child))
              {
                if (!first)
                  g_string_append_c (out, ',');
                first = FALSE;
                boto_format_json_string_ascii (out, key, -1);
                g_string_append_c (out, ':');
                json_serialize (out, value_shape, child);
                g_variant_unref (child);
              }
          }
        g_string_append_c (out, '}');
      }
      break;
    case BOTO_SHAPE_TYPE_STRING:
    case BOTO_SHAPE_TYPE_CHARACTER:
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        {
          gsize len;
          const char *s = g_variant_get_string (value, &len);

          boto_format_json_string_ascii (out, s, len);
        }
      else
        boto_format_json_value (out, value, BOTO_FORMAT_JSON_COMPACT);
      break;
    case BOTO_SHAPE_TYPE_BLOB:
      {
        GString *b64 = g_string_new (NULL);

        append_base64 (b64, value);
        boto_format_json_string_ascii (out, b64->str, b64->len);
        g_string_free (b64, TRUE);
      }
      break;
    case BOTO_SHAPE_TYPE_TIMESTAMP:
      {
        gint64 usec;
        const char *format = timestamp_format (shape, "unixtimestamp");

        if (!boto_value_get_timestamp (value, &usec))
          g_string_append (out, "null");
        else if (strcmp (format, "unixtimestamp") == 0)
          boto_format_timestamp_unix (out, usec);
        else
          {
            GString *text = g_string_new (NULL);

            append_timestamp (text, usec, format);
            boto_format_json_string_ascii (out, text->str, text->len);
            g_string_free (text, TRUE);
          }
      }
      break;
    case BOTO_SHAPE_TYPE_FLOAT:
    case BOTO_SHAPE_TYPE_DOUBLE:
      {
        double d;

        if (!boto_value_get_double (value, &d))
          g_string_append (out, "null");
        else if (isfinite (d))
          boto_format_double (out, d);
        else
          {
            GString *text = g_string_new (NULL);

            boto_format_double_special (text, d);
            boto_format_json_string_ascii (out, text->str, text->len);
            g_string_free (text, TRUE);
          }
      }
      break;
    default:
      boto_format_json_value (out, value, BOTO_FORMAT_JSON_COMPACT);
      break;
    }
}

static void
serialize_json (Ctx                *ctx,
                BotoServiceModel   *service,
                BotoOperationModel *op,
                GVariant           *params,
                BotoHttpRequest    *request)
{
  BotoSerNode *input = ctx->input;
  const char *target_prefix = boto_service_model_get_target_prefix (service);
  const char *json_version = boto_service_model_get_json_version (service);
  g_autofree char *target = NULL;
  g_autofree char *content_type = NULL;
  GString *body = g_string_new (NULL);
  GVariant *metadata = boto_service_model_get_metadata (service);
  g_autoptr(GVariant) query_compatible = NULL;

  target = g_strdup_printf ("%s.%s", target_prefix != NULL ? target_prefix : "",
                            boto_operation_model_get_name (op));
  content_type = g_strdup_printf ("application/x-amz-json-%s",
                                  json_version != NULL ? json_version : "1.0");
  boto_http_request_set_header (request, "X-Amz-Target", target);
  boto_http_request_set_header (request, "Content-Type", content_type);

  if (metadata != NULL)
    query_compatible = g_variant_lookup_value (metadata, "awsQueryCompatible", NULL);
  if (query_compatible != NULL)
    boto_http_request_set_header (request, "x-amzn-query-mode", "true");

  if (input != NULL)
    json_serialize (body, input, params);
  else
    g_string_append (body, "{}");

  {
    /* set_body takes its own reference. */
    gsize len = body->len;
    g_autoptr(GBytes) bytes = g_bytes_new_take (g_string_free (body, FALSE), len);

    boto_http_request_set_body (request, bytes);
  }
}

/* XML ---------------------------------------------------------------------- */

static void
xml_escape_append (GString    *out,
                   const char *str,
                   gssize      len,
                   gboolean    attribute)
{
  const char *end = str + (len < 0 ? (gssize) strlen (str) : len);

  for (const char *p = str; p < end; p++)
    {
      switch (*p)
        {
        case '&': g_string_append (out, "&amp;"); break;
        case '<': g_string_append (out, "&lt;"); break;
        case '>': g_string_append (out, "&gt;"); break;
        case '"':
          if (attribute)
            g_string_append (out, "&quot;");
          else
            g_string_append_c (out, '"');
          break;
        case '\n':
          if (attribute)
            g_string_append (out, "&#10;");
          else
            g_string_append_c (out, '\n');
          break;
        case '\r':
          g_string_append (out, attribute ? "&#13;" : "\r");
          break;
        case '\t':
          g_string_append (out, attribute ? "&#09;" : "\t");
          break;
        default:
          g_string_append_c (out, *p);
        }
    }
}

static inline void
xml_append_namespace (GString     *out,
                      BotoSerNode *shape)
{
  if (shape->xmlns != NULL)
    g_string_append (out, shape->xmlns);
}

static void xml_serialize (GString *out, BotoSerNode *shape, GVariant *raw, const char *name);

/* A structure member's element: the member's locationName, else its name
 * (the target shape's own xmlName names only a payload root). */
static const char *
xml_member_name (BotoSerNode *member,
                 const char *key)
{
  const char *name = member->member_location_name;

  return name != NULL ? name : key;
}

static void
xml_serialize_structure (GString    *out,
                         BotoSerNode *shape,
                         GVariant   *value,
                         const char *name,
                         gboolean    body_only)
{
  BotoDictIter iter;
  const char *key;
  GVariant *child;
  gsize stop = G_MAXSIZE;
  gsize index = 0;

  g_string_append_printf (out, "<%s", name);
  xml_append_namespace (out, shape);

  /* botocore stops at the first member whose value is None. */
  boto_dict_iter_init (&iter, value);
  while (boto_dict_iter_next (&iter, &key, &child))
    {
      BotoSerNode *member = boto_ser_node_member (shape, key);
      g_autoptr(GVariant) inner = boto_value_unwrap (child);

      g_variant_unref (child);
      if (member == NULL || (body_only && member->location != NULL))
        {
          index++;
          continue;
        }
      if (boto_value_is_null (inner))
        {
          stop = index;
          break;
        }
      if (member->xml_attribute)
        {
          g_string_append_printf (out, " %s=\"", serialized_name (member, key));
          if (g_variant_is_of_type (inner, G_VARIANT_TYPE_STRING))
            xml_escape_append (out, g_variant_get_string (inner, NULL), -1, TRUE);
          else
            {
              g_autofree char *text = scalar_to_string (member, inner, "iso8601");

              xml_escape_append (out, text, -1, TRUE);
            }
          g_string_append_c (out, '"');
        }
      index++;
    }
  g_string_append_c (out, '>');

  index = 0;
  boto_dict_iter_init (&iter, value);
  while (index < stop && boto_dict_iter_next (&iter, &key, &child))
    {
      BotoSerNode *member = boto_ser_node_member (shape, key);

      if (member != NULL && !(body_only && member->location != NULL) &&
          !member->xml_attribute)
        xml_serialize (out, member, child, xml_member_name (member, key));
      g_variant_unref (child);
      index++;
    }

  g_string_append_printf (out, "</%s>", name);
}

static void
xml_serialize (GString    *out,
               BotoSerNode *shape,
               GVariant   *raw,
               const char *name)
{
  g_autoptr(GVariant) value = boto_value_unwrap (raw);

  if (boto_value_is_null (value))
    return;

  switch (shape->type)
    {
    case BOTO_SHAPE_TYPE_STRUCTURE:
      if (boto_value_is_dict (value))
        xml_serialize_structure (out, shape, value, name, FALSE);
      break;
    case BOTO_SHAPE_TYPE_LIST:
      {
        BotoSerNode *member = boto_ser_node_list_member (shape);
        g_autoptr(GPtrArray) items = list_items (value);
        gboolean flattened = shape->flattened;
        const char *element = flattened ? name : NULL;

        if (member == NULL)
          break;
        if (!flattened)
          {
            element = serialized_name (member, "member");
            g_string_append_printf (out, "<%s", name);
            xml_append_namespace (out, shape);
            g_string_append_c (out, '>');
          }
        for (guint i = 0; i < items->len; i++)
          xml_serialize (out, member, g_ptr_array_index (items, i), element);
        if (!flattened)
          g_string_append_printf (out, "</%s>", name);
      }
      break;
    case BOTO_SHAPE_TYPE_MAP:
      {
        BotoSerNode *key_shape = boto_ser_node_map_key (shape);
        BotoSerNode *value_shape = boto_ser_node_map_value (shape);
        gboolean flattened = shape->flattened;
        BotoDictIter iter;
        GVariant *key;
        GVariant *child;

        if (key_shape == NULL || value_shape == NULL || !boto_value_is_dict (value))
          break;
        if (!flattened)
          {
            g_string_append_printf (out, "<%s", name);
            xml_append_namespace (out, shape);
            g_string_append_c (out, '>');
          }
        boto_dict_iter_init (&iter, value);
        while (boto_dict_iter_next_variant (&iter, &key, &child))
          {
            const char *entry = flattened ? name : "entry";

            g_string_append_printf (out, "<%s>", entry);
            xml_serialize (out, key_shape, key, serialized_name (key_shape, "key"));
            xml_serialize (out, value_shape, child, serialized_name (value_shape, "value"));
            g_string_append_printf (out, "</%s>", entry);
            g_variant_unref (key);
            g_variant_unref (child);
          }
        if (!flattened)
          g_string_append_printf (out, "</%s>", name);
      }
      break;
    default:
      {
        GString *text = g_string_new (NULL);

        append_scalar (text, shape, value, g_variant_classify (value), "iso8601", TRUE);
        g_string_append_printf (out, "<%s", name);
        xml_append_namespace (out, shape);
        g_string_append_c (out, '>');
        xml_escape_append (out, text->str, text->len, FALSE);
        g_string_append_printf (out, "</%s>", name);
        g_string_free (text, TRUE);
      }
      break;
    }
}

/* REST --------------------------------------------------------------------- */

typedef struct
{
  char      *name;
  GPtrArray *values;   /* char*; a NULL element is a bare name */
} QueryParam;

static void
query_param_free (gpointer data)
{
  QueryParam *param = data;

  g_free (param->name);
  g_ptr_array_unref (param->values);
  g_free (param);
}

static QueryParam *
query_params_set (GPtrArray  **params_p,
                  const char  *name)
{
  QueryParam *param;
  GPtrArray *params;

  if (*params_p == NULL)
    *params_p = g_ptr_array_new_with_free_func (query_param_free);
  params = *params_p;

  for (guint i = 0; i < params->len; i++)
    {
      param = g_ptr_array_index (params, i);
      if (strcmp (param->name, name) == 0)
        {
          g_ptr_array_set_size (param->values, 0);
          return param;
        }
    }
  param = g_new0 (QueryParam, 1);
  param->name = g_strdup (name);
  param->values = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (params, param);
  return param;
}

static gboolean
query_params_has (GPtrArray  *params,
                  const char *name)
{
  for (guint i = 0; i < params->len; i++)
    if (strcmp (((QueryParam *) g_ptr_array_index (params, i))->name, name) == 0)
      return TRUE;
  return FALSE;
}

/* A header list element: quoted when it holds `"` or `,`. */
static void
append_header_list_string (GString    *out,
                           const char *str)
{
  if (strpbrk (str, "\",") == NULL)
    {
      g_string_append (out, str);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = str; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static char *
header_value (BotoSerNode *shape,
              GVariant  *raw)
{
  g_autoptr(GVariant) value = boto_value_unwrap (raw);
  GString *out = g_string_new (NULL);
  gint64 usec;

  if (shape->jsonvalue)
    {
      GString *json = g_string_new (NULL);
      g_autofree char *b64 = NULL;

      /* A string is taken as JSON text already (Smithy mediaType);
       * anything else is encoded. */
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        g_string_append (json, g_variant_get_string (value, NULL));
      else
        boto_format_json_value (json, value, BOTO_FORMAT_JSON_COMPACT);
      b64 = g_base64_encode ((const guchar *) json->str, json->len);
      g_string_append (out, b64);
      g_string_free (json, TRUE);
      return g_string_free (out, FALSE);
    }

  switch (shape->type)
    {
    case BOTO_SHAPE_TYPE_TIMESTAMP:
      /* Whole seconds in headers. */
      if (boto_value_get_timestamp (value, &usec))
        {
          gint64 seconds = usec / G_USEC_PER_SEC;

          if (usec < 0 && usec % G_USEC_PER_SEC != 0)
            seconds--;
          append_timestamp (out, seconds * G_USEC_PER_SEC, timestamp_format (shape, "rfc822"));
        }
      break;
    case BOTO_SHAPE_TYPE_LIST:
      {
        BotoSerNode *member = boto_ser_node_list_member (shape);
        g_autoptr(GPtrArray) items = list_items (value);
        gboolean first = TRUE;

        for (guint i = 0; member != NULL && i < items->len; i++)
          {
            GVariant *item = g_ptr_array_index (items, i);

            if (boto_value_is_null (item))
              continue;
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            if (member->type == BOTO_SHAPE_TYPE_STRING &&
                g_variant_is_of_type (item, G_VARIANT_TYPE_STRING))
              append_header_list_string (out, g_variant_get_string (item, NULL));
            else
              {
                g_autofree char *text = header_value (member, item);

                g_string_append (out, text);
              }
          }
      }
      break;
    default:
      append_scalar (out, shape, value, g_variant_classify (value), "iso8601", TRUE);
      break;
    }
  return g_string_free (out, FALSE);
}

/* URI labels set by the members: names borrowed, values owned unless
 * borrowed from the input (a string value). */
typedef struct
{
  const char *names[16];
  const char *values[16];
  gboolean    owned[16];
  guint       n;
} Labels;

static void
labels_set_full (Labels     *labels,
                 const char *name,
                 const char *value,
                 gboolean    owned)
{
  for (guint i = 0; i < labels->n; i++)
    if (strcmp (labels->names[i], name) == 0)
      {
        if (labels->owned[i])
          g_free ((char *) labels->values[i]);
        labels->values[i] = value;
        labels->owned[i] = owned;
        return;
      }
  if (labels->n == G_N_ELEMENTS (labels->names))
    {
      if (owned)
        g_free ((char *) value);
      return;
    }
  labels->names[labels->n] = name;
  labels->owned[labels->n] = owned;
  labels->values[labels->n++] = value;
}

static void
labels_set (Labels     *labels,
            const char *name,
            char       *value /* (transfer full) */)
{
  labels_set_full (labels, name, value, TRUE);
}

static void
labels_clear (Labels *labels)
{
  for (guint i = 0; i < labels->n; i++)
    if (labels->owned[i])
      g_free ((char *) labels->values[i]);
  labels->n = 0;
}

static const char *
labels_lookup (Labels     *labels,
               const char *name,
               gsize       len)
{
  for (guint i = 0; i < labels->n; i++)
    if (strncmp (labels->names[i], name, len) == 0 && labels->names[i][len] == '\0')
      return labels->values[i];
  return NULL;
}

/* A request URI template cut into literal text and `{Label}`s, once per
 * operation. */
typedef struct
{
  const char *text;     /* borrowed from the template: the text or the label's name */
  gsize       len;
  gboolean    label;
  gboolean    greedy;   /* `{Label+}` */
} UriPart;

static GArray *
uri_parts_new (const char *template)
{
  GArray *parts = g_array_new (FALSE, FALSE, sizeof (UriPart));
  const char *p = template;

  while (*p != '\0')
    {
      const char *open = strchr (p, '{');
      const char *close = open != NULL ? strchr (open, '}') : NULL;
      UriPart part = { p, 0, FALSE, FALSE };

      if (close == NULL)
        {
          part.len = strlen (p);
          g_array_append_val (parts, part);
          break;
        }
      if (open > p)
        {
          part.len = open - p;
          g_array_append_val (parts, part);
        }
      part.text = open + 1;
      part.len = close - open - 1;
      part.label = TRUE;
      part.greedy = part.len > 0 && open[part.len] == '+';
      if (part.greedy)
        part.len--;
      g_array_append_val (parts, part);
      p = close + 1;
    }
  return parts;
}

/* The request path, built on the stack unless it is long. */
typedef struct
{
  char  *str;
  gsize  len;
  gsize  size;
  char   stack[256];
} PathBuf;

static inline void
path_buf_init (PathBuf *buf)
{
  buf->str = buf->stack;
  buf->len = 0;
  buf->size = sizeof buf->stack;
}

/* Room for @extra more bytes and a NUL. */
static inline void
path_buf_reserve (PathBuf *buf,
                  gsize    extra)
{
  gsize need = buf->len + extra + 1;

  if (G_LIKELY (need <= buf->size))
    return;
  buf->size = MAX (buf->size * 2, need);
  if (buf->str == buf->stack)
    {
      buf->str = g_malloc (buf->size);
      memcpy (buf->str, buf->stack, buf->len);
    }
  else
    buf->str = g_realloc (buf->str, buf->size);
}

static inline void
path_buf_append (PathBuf    *buf,
                 const char *text,
                 gsize       len)
{
  path_buf_reserve (buf, len);
  memcpy (buf->str + buf->len, text, len);
  buf->len += len;
}

static inline void
path_buf_clear (PathBuf *buf)
{
  if (buf->str != buf->stack)
    g_free (buf->str);
}

static gboolean
render_uri (GArray   *parts,
            Labels   *labels,
            PathBuf  *out,
            GError  **error)
{
  for (guint i = 0; i < parts->len; i++)
    {
      const UriPart *part = &g_array_index (parts, UriPart, i);
      const char *value;
      gsize n;

      if (!part->label)
        {
          path_buf_append (out, part->text, part->len);
          continue;
        }
      value = labels_lookup (labels, part->text, part->len);
      if (value == NULL)
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                       "Parameter validation failed:\nMissing required parameter in input: \"%.*s\"",
                       (int) part->len, part->text);
          return FALSE;
        }
      n = strlen (value);
      path_buf_reserve (out, 3 * n);
      out->len += boto_percent_encode_to (out->str + out->len, value, n, part->greedy);
    }
  return TRUE;
}

static gboolean
requires_empty_json_body (BotoSerNode *shape)
{
  for (guint i = 0; shape->type == BOTO_SHAPE_TYPE_STRUCTURE && i < shape->n_children; i++)
    {
      BotoSerNode *member = shape->children[i];

      if (member != NULL && member->location == NULL)
        return TRUE;
    }
  return FALSE;
}

/* The root element: the shape's own locationName (Smithy xmlName), else
 * the one on the reference, else the shape's name. */
static const char *
xml_root_name (BotoSerNode *shape)
{
  return shape->root_name;
}

/* A payload member's root element.  In Smithy the root is the target
 * shape's name (or its own xmlName) unless the member carries an xmlName.
 * The JSON models copy every member's name into locationName, so an
 * explicit xmlName only shows as a locationName that renames the member
 * (HttpPayloadWithMemberXmlName, S3's CompleteMultipartUpload) or, in the
 * AWS models, as a member that also carries its own xmlNamespace (every
 * S3, CloudFront and Route 53 payload: PutBucketLifecycleConfiguration
 * sends <LifecycleConfiguration>, not <BucketLifecycleConfiguration>).
 * Otherwise the target shape names the root (RestXmlHttpPayloadWithUnion,
 * HttpPayloadWithXmlNamespace, XmlAttributesOnPayload). */
static const char *
xml_payload_root_name (BotoSerNode *payload,
                       const char  *member_name)
{
  BotoMemberDef *def = boto_shape_get_member_def (payload->shape);
  const char *name = payload->member_location_name;
  const char *shape_name;

  if (name != NULL && strcmp (name, member_name) != 0)
    return name;
  if (name != NULL)
    {
      g_autoptr(GVariant) member_namespace = boto_model_variant_lookup (def->traits, "xmlNamespace");

      if (member_namespace != NULL)
        return name;
    }

  shape_name = boto_model_variant_get_string (payload->def != NULL ? payload->def->definition : NULL,
                                              "locationName");
  return shape_name != NULL ? shape_name : boto_shape_get_name (payload->shape);
}

/* What a request takes from its operation, worked out once per operation
 * and kept with the operation model. */
typedef struct
{
  BotoSerNode *input;               /* the input's plan root, or NULL */
  const char  *method;
  const char  *host_prefix;         /* borrowed from the model, or NULL */
  gboolean     has_idempotency_token; /* a top-level member is one */
  guint        n_tokens;              /* how many */
  char        *uri_template;        /* the request URI before `?` */
  char        *uri_template_strip;  /* the same without a leading `/{Bucket}` */
  GArray      *uri_parts;           /* UriPart, of uri_template */
  GArray      *uri_parts_strip;     /* of uri_template_strip */
  GPtrArray   *literal_query;       /* name, value (nullable), name, value … unescaped */
  char        *payload_name;        /* the `payload` trait, or NULL */
  BotoSerNode *payload;
  gboolean     streaming;
  gboolean     requires_empty_json_body;
} OpInfo;

static void
op_info_free (gpointer data)
{
  OpInfo *info = data;

  g_free (info->uri_template);
  g_free (info->uri_template_strip);
  g_array_unref (info->uri_parts);
  g_array_unref (info->uri_parts_strip);
  g_ptr_array_unref (info->literal_query);
  g_free (info->payload_name);
  g_free (info);
}

static OpInfo *
op_info_get (BotoOperationModel *op)
{
  static GQuark quark;
  const char *request_uri;
  const char *question;
  OpInfo *info;
  BotoShape *input_shape;
  BotoSerNode *input;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("boto-serializer-op-info");
  /* The caller checked the type. */
  info = g_object_get_qdata ((GObject *) op, quark);
  if (G_LIKELY (info != NULL))
    return info;

  input_shape = boto_operation_model_get_input_shape (op);
  input = input_shape != NULL ? boto_ser_plan_get_root (input_shape) : NULL;
  info = g_new0 (OpInfo, 1);
  info->input = input;
  info->method = boto_operation_model_get_http_method (op);
  info->host_prefix = boto_operation_model_get_host_prefix (op);
  for (guint i = 0; input != NULL && input->type == BOTO_SHAPE_TYPE_STRUCTURE && i < input->n_children; i++)
    if (input->children[i] != NULL && input->children[i]->idempotency_token)
      {
        info->has_idempotency_token = TRUE;
        info->n_tokens++;
      }
  request_uri = boto_operation_model_get_request_uri (op);
  question = strchr (request_uri, '?');
  info->uri_template = question != NULL ? g_strndup (request_uri, question - request_uri)
                                        : g_strdup (request_uri);
  if (g_str_has_prefix (info->uri_template, "/{Bucket}"))
    {
      const char *rest = info->uri_template + strlen ("/{Bucket}");

      info->uri_template_strip = g_strdup (*rest != '\0' ? rest : "/");
    }
  else
    info->uri_template_strip = g_strdup (info->uri_template);
  info->uri_parts = uri_parts_new (info->uri_template);
  info->uri_parts_strip = uri_parts_new (info->uri_template_strip);

  info->literal_query = g_ptr_array_new_with_free_func (g_free);
  if (question != NULL && question[1] != '\0')
    {
      g_auto(GStrv) parts = g_strsplit (question + 1, "&", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        {
          char *eq = strchr (parts[i], '=');
          char *raw_name;
          char *raw_value = NULL;

          if (*parts[i] == '\0')
            continue;
          if (eq != NULL)
            {
              raw_name = g_uri_unescape_segment (parts[i], eq, NULL);
              raw_value = g_uri_unescape_string (eq + 1, NULL);
            }
          else
            raw_name = g_uri_unescape_string (parts[i], NULL);
          if (raw_name != NULL)
            {
              g_ptr_array_add (info->literal_query, raw_name);
              g_ptr_array_add (info->literal_query, raw_value);
            }
          else
            g_free (raw_value);
        }
    }

  if (input != NULL)
    {
      g_autoptr(GVariant) payload_trait = boto_shape_dup_trait (input->shape, "payload");

      if (payload_trait != NULL && g_variant_is_of_type (payload_trait, G_VARIANT_TYPE_STRING))
        {
          info->payload_name = g_variant_dup_string (payload_trait, NULL);
          info->payload = boto_ser_node_member (input, info->payload_name);
          if (info->payload != NULL)
            info->streaming = info->payload->type == BOTO_SHAPE_TYPE_BLOB ||
                              info->payload->type == BOTO_SHAPE_TYPE_STRING;
        }
      info->requires_empty_json_body = requires_empty_json_body (input);
    }

  if (!g_object_replace_qdata (G_OBJECT (op), quark, NULL, info, op_info_free, NULL))
    {
      op_info_free (info);
      info = g_object_get_qdata (G_OBJECT (op), quark);
    }
  return info;
}

static gboolean
serialize_rest (Ctx                *ctx,
                BotoOperationModel *op,
                GVariant           *params,
                BotoHttpRequest    *request,
                GError            **error)
{
  BotoSerNode *input = ctx->input;
  OpInfo *info = ctx->info;
  GArray *uri_parts = ctx->strip_bucket ? info->uri_parts_strip : info->uri_parts;
  Labels labels;   /* read below n only */
  g_autoptr(GPtrArray) query = NULL;
  g_autoptr(GPtrArray) map_query = NULL;
  PathBuf path;
  gsize endpoint_len;
  g_autoptr(GBytes) body = NULL;
  const char *endpoint_path;
  gboolean has_body_members = FALSE;
  gboolean streaming = FALSE;
  const char *payload_name = NULL;
  BotoSerNode *payload = NULL;
  g_autoptr(GVariant) payload_value = NULL;
  const char *payload_type = NULL;
  gboolean ok;

  labels.n = 0;
  if (input != NULL && ctx->top != NULL)
    {
      gboolean payload_seen = FALSE;

      payload_name = info->payload_name;
      payload = info->payload;
      streaming = info->streaming;

      for (gsize e = 0; e < ctx->top->n; e++)
        {
          BotoSerNode *member = ctx->top->entries[e].member;
          GVariant *value = ctx->top->entries[e].value;
          GVariantClass klass = ctx->top->entries[e].klass;
          const char *key = ctx->top->entries[e].key;
          BotoSerLocation loc;
          const char *name;

          /* The first entry of the payload member counts, even null. */
          if (member != NULL && member == payload && !payload_seen)
            {
              payload_seen = TRUE;
              if (value != NULL)
                {
                  payload_value = g_variant_ref (value);
                  payload_type = ctx->top->entries[e].type;
                }
            }
          if (member == NULL || value == NULL)
            continue;
          loc = member->loc;
          name = serialized_name (member, key);

          /* A string label is borrowed from the input, which outlives
           * the labels. */
          if (loc == BOTO_SER_LOC_URI && member->type == BOTO_SHAPE_TYPE_STRING &&
              klass == G_VARIANT_CLASS_STRING)
            labels_set_full (&labels, name, boto_value_string (value), FALSE);
          else if (loc == BOTO_SER_LOC_URI)
            labels_set (&labels, name, scalar_to_string (member, value, "iso8601"));
          else if (loc == BOTO_SER_LOC_QUERYSTRING)
            {
              if (member->type == BOTO_SHAPE_TYPE_MAP)
                {
                  BotoSerNode *value_shape = boto_ser_node_map_value (member);
                  BotoDictIter map_iter;
                  const char *map_key;
                  GVariant *map_value;

                  if (value_shape == NULL || !boto_value_is_dict (value))
                    continue;
                  boto_dict_iter_init (&map_iter, value);
                  while (boto_dict_iter_next (&map_iter, &map_key, &map_value))
                    {
                      QueryParam *param = query_params_set (&map_query, map_key);
                      g_autoptr(GVariant) inner = boto_value_unwrap (map_value);

                      if (boto_value_is_list (inner))
                        {
                          g_autoptr(GPtrArray) items = list_items (inner);
                          BotoSerNode *item_shape = boto_ser_node_list_member (value_shape);

                          for (guint i = 0; item_shape != NULL && i < items->len; i++)
                            g_ptr_array_add (param->values,
                                             scalar_to_string (item_shape, g_ptr_array_index (items, i),
                                                               "iso8601"));
                        }
                      else
                        g_ptr_array_add (param->values, scalar_to_string (value_shape, inner, "iso8601"));
                      g_variant_unref (map_value);
                    }
                }
              else if (member->type == BOTO_SHAPE_TYPE_LIST)
                {
                  QueryParam *param = query_params_set (&query, name);
                  g_autoptr(GPtrArray) items = list_items (value);
                  BotoSerNode *item_shape = boto_ser_node_list_member (member);

                  for (guint i = 0; item_shape != NULL && i < items->len; i++)
                    g_ptr_array_add (param->values,
                                     scalar_to_string (item_shape, g_ptr_array_index (items, i),
                                                       "iso8601"));
                }
              else
                {
                  QueryParam *param = query_params_set (&query, name);

                  g_ptr_array_add (param->values, scalar_to_string (member, value, "iso8601"));
                }
            }
          else if (loc == BOTO_SER_LOC_HEADER)
            {
              /* botocore sends no header for an empty list. */
              if (member->type == BOTO_SHAPE_TYPE_LIST &&
                  (!boto_value_is_list (value) || g_variant_n_children (value) == 0))
                continue;
              /* A string is sent as it is (header_value()'s result). */
              if (member->type == BOTO_SHAPE_TYPE_STRING && !member->jsonvalue &&
                  klass == G_VARIANT_CLASS_STRING)
                boto_http_request_set_header (request, name, boto_value_string (value));
              else
                {
                  g_autofree char *text = header_value (member, value);

                  boto_http_request_set_header (request, name, text);
                }
            }
          else if (loc == BOTO_SER_LOC_HEADERS)
            {
              BotoDictIter map_iter = { NULL, 0, 0 };
              const char *map_key;
              GVariant *map_value;
              HeaderMap *read = ctx->header_map != NULL && ctx->header_map->index == e ? ctx->header_map : NULL;
              gsize read_i = 0;
              GVariantClass map_klass = 0;

              if (read == NULL && !boto_value_is_dict (value))
                continue;
              if (read == NULL)
                boto_dict_iter_init (&map_iter, value);
              /* The entries read before (borrowed), else read now (a new
               * reference). */
              while (read != NULL
                     ? (read_i < read->n &&
                        (map_key = read->entries[read_i].key,
                         map_klass = read->entries[read_i].klass,
                         map_value = read->entries[read_i++].value, TRUE))
                     : boto_dict_iter_next (&map_iter, &map_key, &map_value))
                {
                  char header_buf[128];
                  gsize name_len = strlen (name);
                  gsize key_len = strlen (map_key);
                  g_autofree char *header_heap = NULL;
                  char *header = name_len + key_len < sizeof header_buf
                                 ? header_buf : (header_heap = g_malloc (name_len + key_len + 1));
                  /* Read before: unwrapped already, its class known. */
                  g_autoptr(GVariant) owned = read != NULL ? NULL : boto_value_unwrap_class (map_value, &map_klass);
                  GVariant *inner = read != NULL ? map_value : owned;
                  BotoSerNode *value_shape = boto_ser_node_map_value (member);

                  memcpy (header, name, name_len);
                  memcpy (header + name_len, map_key, key_len + 1);
                  if (value_shape != NULL && value_shape->type == BOTO_SHAPE_TYPE_STRING &&
                      !value_shape->jsonvalue && map_klass == G_VARIANT_CLASS_STRING)
                    boto_http_request_set_header (request, header, boto_value_string (inner));
                  else
                    {
                      g_autofree char *text = value_shape != NULL
                                              ? header_value (value_shape, inner) : g_strdup ("");

                      boto_http_request_set_header (request, header, text);
                    }
                  if (read == NULL)
                    g_variant_unref (map_value);
                }
            }
          else if (loc == BOTO_SER_LOC_BODY)
            has_body_members = TRUE;
        }
    }

  /* The URI: the template with its labels, below the endpoint's path. */
  endpoint_path = boto_http_request_get_encoded_path (request);
  endpoint_len = endpoint_path != NULL ? strlen (endpoint_path) : 0;
  path_buf_init (&path);
  if (endpoint_len > 0)
    path_buf_append (&path, endpoint_path, endpoint_len);
  if (path.len > 0 && path.str[path.len - 1] == '/')
    path.len--;
  {
    gsize base = path.len;

    ok = render_uri (uri_parts, &labels, &path, error);
    labels_clear (&labels);
    if (!ok)
      {
        path_buf_clear (&path);
        return FALSE;
      }
    /* Same as: an empty or "/" path is the endpoint's path (or "/"); a
     * path below an endpoint path ending in "/" drops that slash. */
    if (path.len == base || (path.len == base + 1 && path.str[base] == '/'))
      {
        path.len = 0;
        if (endpoint_len > 0)
          path_buf_append (&path, endpoint_path, endpoint_len);
        else
          path_buf_append (&path, "/", 1);
      }
    else if (path.str[base] != '/' && endpoint_path != NULL && base < endpoint_len)
      {
        path_buf_reserve (&path, 1);
        memmove (path.str + base + 1, path.str + base, path.len - base);
        path.str[base] = '/';
        path.len++;
      }
  }
  path.str[path.len] = '\0';
  boto_http_request_set_encoded_path (request, path.str);
  path_buf_clear (&path);

  /* The literal query of the template first (`?list-type=2`, `?uploads`). */
  for (guint i = 0; i + 1 < info->literal_query->len; i += 2)
    boto_http_request_add_query (request, g_ptr_array_index (info->literal_query, i),
                                 g_ptr_array_index (info->literal_query, i + 1));

  /* Named query members win over entries of a query map. */
  for (guint i = 0; query != NULL && i < query->len; i++)
    {
      QueryParam *param = g_ptr_array_index (query, i);

      for (guint j = 0; j < param->values->len; j++)
        boto_http_request_add_query (request, param->name, g_ptr_array_index (param->values, j));
    }
  for (guint i = 0; map_query != NULL && i < map_query->len; i++)
    {
      QueryParam *param = g_ptr_array_index (map_query, i);

      if (query != NULL && query_params_has (query, param->name))
        continue;
      for (guint j = 0; j < param->values->len; j++)
        boto_http_request_add_query (request, param->name, g_ptr_array_index (param->values, j));
    }

  if (input == NULL)
    return TRUE;

  /* The body. */
  if (payload != NULL && streaming)
    {
      GVariant *value = payload_value;
      const guint8 *data;
      gsize len;

      /* The body borrows the value's bytes rather than copying them (an
       * entry's value is unwrapped and not null). */
      if (value != NULL && boto_value_get_blob_typed (value, payload_type, &data, &len))
        body = g_bytes_new_with_free_func (data, len, (GDestroyNotify) g_variant_unref,
                                           g_variant_ref (value));
      else
        body = g_bytes_new (NULL, 0);
    }
  else if (payload != NULL)
    {
      GVariant *value = payload_value;
      GString *text = g_string_new (NULL);

      if (value != NULL && !boto_value_is_null (value))
        {
          if (ctx->proto == PROTO_REST_JSON)
            json_serialize (text, payload, value);
          else
            xml_serialize (text, payload, value, xml_payload_root_name (payload, payload_name));
        }
      /* An unset structure payload is "{}" (legacy 'Structure payload'); an
       * unset union sends no body (RestJsonHttpPayloadWithUnsetUnion). */
      else if (ctx->proto == PROTO_REST_JSON && !payload->is_union)
        g_string_append (text, "{}");
      body = g_bytes_new_take (text->str, text->len);
      g_string_free (text, FALSE);
    }
  else if (has_body_members)
    {
      GString *text = g_string_new (NULL);

      if (ctx->proto == PROTO_REST_JSON)
        json_serialize_structure (text, input, params, TRUE);
      else
        {
          xml_serialize_structure (text, input, params, xml_root_name (input), TRUE);
        }
      body = g_bytes_new_take (text->str, text->len);
      g_string_free (text, FALSE);
    }
  else if (ctx->proto == PROTO_REST_JSON && info->requires_empty_json_body)
    body = g_bytes_new_static ("{}", 2);

  if (body != NULL)
    {
      if (ctx->proto == PROTO_REST_JSON && !streaming && g_bytes_get_size (body) > 0 &&
          boto_http_request_get_header (request, "Content-Type") == NULL)
        boto_http_request_set_header (request, "Content-Type", "application/json");
      boto_http_request_set_body (request, body);
    }

  return TRUE;
}

/* Entry points ----------------------------------------------------------- */

static gboolean
is_host_label (const char *str)
{
  if (*str == '\0')
    return FALSE;
  for (const char *p = str; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-')
      return FALSE;
  return TRUE;
}

static char *
expand_host_prefix (BotoOperationModel *op,
                    GVariant           *params,
                    GError            **error)
{
  const char *template = boto_operation_model_get_host_prefix (op);
  g_autoptr(GString) out = NULL;
  g_autoptr(GPtrArray) bad = NULL;
  const char *p;

  if (template == NULL)
    return NULL;

  out = g_string_new (NULL);
  bad = g_ptr_array_new ();
  p = template;
  while (*p != '\0')
    {
      const char *open = strchr (p, '{');
      const char *close = open != NULL ? strchr (open, '}') : NULL;
      g_autofree char *label = NULL;
      g_autoptr(GVariant) raw = NULL;
      g_autoptr(GVariant) value = NULL;
      const char *text;

      if (open == NULL || close == NULL)
        {
          g_string_append (out, p);
          break;
        }
      g_string_append_len (out, p, open - p);
      label = g_strndup (open + 1, close - open - 1);
      raw = boto_value_is_dict (params) ? g_variant_lookup_value (params, label, NULL) : NULL;
      value = boto_value_unwrap (raw);
      text = value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING)
             ? g_variant_get_string (value, NULL) : "";
      if (!is_host_label (text))
        g_ptr_array_add (bad, (gpointer) g_intern_string (label));
      g_string_append (out, text);
      p = close + 1;
    }

  if (bad->len > 0)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < bad->len; i++)
        {
          if (i > 0)
            g_string_append (names, ", ");
          g_string_append (names, g_ptr_array_index (bad, i));
        }
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                   "Parameter validation failed:\nInvalid value for parameter(s): %s. "
                   "Must contain only alphanumeric characters, hyphen, or period.",
                   names->str);
      return NULL;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The params with absent idempotency tokens filled, as botocore's
 * generate_idempotent_uuid handler does (top level only, appended). */
static GVariant *
fill_idempotency_tokens (BotoSerNode *input,
                         OpInfo      *info,
                         GVariant    *params)
{
  g_autoptr(GPtrArray) entries = NULL;
  gboolean is_vardict;
  gsize n;
  guint set[8];
  guint n_set = 0;

  if (input == NULL || !info->has_idempotency_token || !boto_value_is_dict (params))
    return g_variant_ref (params);

  /* The entries are reused as they are when the params are a{sv}; the
   * keys read on the way tell which tokens are set (the first entry of a
   * name counts, as with g_variant_lookup_value()). */
  is_vardict = strcmp (g_variant_get_type_string (params), "a{sv}") == 0;
  n = g_variant_n_children (params);
  entries = g_ptr_array_new_full (n + 1, (GDestroyNotify) g_variant_unref);
  for (gsize i = 0; i < n; i++)
    {
      const char *key;

      if (is_vardict)
        {
          GVariant *entry = g_variant_get_child_value (params, i);
          GVariant *k = g_variant_get_child_value (entry, 0);

          key = g_variant_get_string (k, NULL);
          g_ptr_array_add (entries, entry);
          /* The entry keeps its key alive. */
          g_variant_unref (k);
        }
      else
        {
          GVariant *child = boto_value_dict_entry (params, i, &key);
          GVariant *boxed = g_variant_classify (child) == G_VARIANT_CLASS_VARIANT
                            ? g_variant_ref (child) : g_variant_new_variant (child);

          g_ptr_array_add (entries, g_variant_ref_sink (g_variant_new_dict_entry (g_variant_new_string (key),
                                                                                  boxed)));
          g_variant_unref (boxed);
          g_variant_unref (child);
          /* The new entry holds a copy of the key. */
          key = NULL;
        }
      for (guint j = 0; key != NULL && j < input->n_children; j++)
        if (input->children[j] != NULL && input->children[j]->idempotency_token &&
            strcmp (input->def->members[j].name, key) == 0)
          {
            if (n_set < G_N_ELEMENTS (set))
              set[n_set++] = j;
            break;
          }
    }

  for (guint i = 0; i < input->n_children; i++)
    {
      BotoSerNode *member = input->children[i];
      const char *name = input->def->members[i].name;
      gboolean present = FALSE;

      if (member == NULL || !member->idempotency_token)
        continue;
      if (is_vardict && n_set < G_N_ELEMENTS (set))
        {
          for (guint j = 0; j < n_set; j++)
            present = present || set[j] == i;
        }
      else
        {
          g_autoptr(GVariant) existing = g_variant_lookup_value (params, name, NULL);

          present = existing != NULL;
        }
      if (!present)
        {
          g_autofree char *token = new_uuid ();
          GVariant *entry = g_variant_new_dict_entry (g_variant_new_string (name),
                                                      g_variant_new_variant (g_variant_new_string (token)));

          g_ptr_array_add (entries, g_variant_ref_sink (entry));
        }
    }

  if (entries->len == n)
    return g_variant_ref (params);
  return g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sv}"),
                                                  (GVariant * const *) entries->pdata, entries->len));
}

static BotoHttpRequest *
serialize_request (BotoServiceModel   *service,
                   BotoOperationModel *op,
                   Proto               proto,
                   const char         *protocol,
                   GVariant           *params,
                   const char         *endpoint_url,
                   gboolean            validate,
                   gboolean            strip_bucket,
                   GError            **error)
{
  g_autoptr(BotoHttpRequest) request = NULL;
  g_autoptr(GVariant) empty = NULL;
  g_autoptr(GVariant) unwrapped = NULL;
  g_autoptr(GVariant) filled = NULL;
  const char *params_type;
  g_autofree char *host_prefix = NULL;
  OpInfo *info = op_info_get (op);
  BotoSerNode *input = info->input;
  Ctx ctx = { 0, };
  Form form;
  gboolean has_form = FALSE;
  /* Only what their cleanup reads is set here: zeroing the inline
   * storage measured as much as a dictionary lookup. */
  g_auto(EntryList) top;
  g_auto(HeaderMap) header_map;

  top.entries = NULL;
  top.n = 0;
  header_map.entries = NULL;
  header_map.n = 0;
  ctx.strip_bucket = strip_bucket;
  ctx.proto = proto;
  if (proto == PROTO_UNKNOWN || proto == PROTO_RPCV2_CBOR)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED,
                   "Unsupported protocol “%s”", protocol != NULL ? protocol : "(none)");
      return NULL;
    }

  if (params == NULL)
    {
      empty = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
      params = empty;
    }
  unwrapped = boto_value_unwrap_type (params, &params_type);
  if (!boto_type_is_dict (params_type))
    {
      if (!validate)
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                       "Parameter validation failed:\nInvalid type for parameter input, "
                       "type: %s, valid types: <class 'dict'>",
                       boto_value_python_type (unwrapped));
          return NULL;
        }
      return boto_protocol_validate_node (input, unwrapped, error) ? NULL : NULL;
    }

  ctx.input = input;
  ctx.info = info;
  /* The query serializers add absent idempotency tokens as they write,
   * unless a host prefix needs the filled params. */
  if ((ctx.proto == PROTO_QUERY || ctx.proto == PROTO_EC2) && input != NULL && info->host_prefix == NULL)
    {
      ctx.fill_tokens = info->has_idempotency_token;
      ctx.n_tokens = info->n_tokens;
      filled = g_variant_ref (unwrapped);
    }
  else
    filled = fill_idempotency_tokens (input, info, unwrapped);
  if (filled != unwrapped)
    params_type = g_variant_get_type_string (filled);

  if ((ctx.proto == PROTO_QUERY || ctx.proto == PROTO_EC2) && input != NULL)
    {
      /* Validated while the form is written: the input is read once. */
      BotoValidateReport report = { NULL };

      ctx.report = validate ? &report : NULL;
      form_init (&form);
      has_form = TRUE;
      build_query_form (&ctx, service, op, filled, params_type, &form);
      ctx.report = NULL;
      if (validate && !boto_validate_report_finish (&report, error))
        {
          form_clear (&form);
          return NULL;
        }
    }
  else if ((ctx.proto == PROTO_REST_JSON || ctx.proto == PROTO_REST_XML) && input != NULL)
    {
      /* The input's entries are read once, for the checks (the
       * validator's, in its order) and the request. */
      entry_list_read (&top, input, filled, params_type, 0);
      ctx.top = &top;
      for (gsize i = 0; i < top.n; i++)
        {
          BotoSerNode *member = top.entries[i].member;

          if (member != NULL && top.entries[i].value != NULL && member->loc == BOTO_SER_LOC_HEADERS &&
              member->type == BOTO_SHAPE_TYPE_MAP && boto_type_is_dict (top.entries[i].type))
            {
              header_map_read (&header_map, i, top.entries[i].value, top.entries[i].type);
              ctx.header_map = &header_map;
              break;
            }
        }
      if (validate)
        {
          BotoValidateReport report = { NULL };
          Path root = { NULL, BOTO_VALIDATE_PATH_ROOT, NULL, 0 };

          boto_validate_structure_checks (&report, input, top.entries, top.n, top.n_set,
                                          top.has_unknown, &root);
          for (gsize i = 0; i < top.n; i++)
            if (top.entries[i].member != NULL && top.entries[i].value != NULL)
              {
                Path child_path = { &root, BOTO_VALIDATE_PATH_MEMBER, top.entries[i].key, 0 };

                if (ctx.header_map != NULL && ctx.header_map->index == i)
                  boto_validate_map_entries (&report, top.entries[i].member, header_map.entries,
                                             header_map.n, &child_path);
                else if (!validate_passes (top.entries[i].member, top.entries[i].type))
                  boto_validate_unwrapped_type (&report, top.entries[i].member, top.entries[i].value,
                                                top.entries[i].type, &child_path);
              }
          if (!boto_validate_report_finish (&report, error))
            return NULL;
        }
    }
  else if (validate && !boto_protocol_validate_node (input, filled, error))
    return NULL;

  request = boto_http_request_new_from_url (info->method, endpoint_url, error);
  if (request == NULL)
    {
      if (has_form)
        form_clear (&form);
      return NULL;
    }

  host_prefix = info->host_prefix != NULL ? expand_host_prefix (op, filled, error) : NULL;
  if (error != NULL && *error != NULL)
    {
      if (has_form)
        form_clear (&form);
      return NULL;
    }
  if (host_prefix != NULL)
    {
      g_autofree char *host = g_strconcat (host_prefix, boto_http_request_get_host (request), NULL);

      boto_http_request_set_endpoint (request, boto_http_request_get_scheme (request), host,
                                      boto_http_request_get_port (request));
    }

  switch (ctx.proto)
    {
    case PROTO_QUERY:
    case PROTO_EC2:
      if (!has_form)
        {
          form_init (&form);
          has_form = TRUE;
          build_query_form (&ctx, service, op, filled, params_type, &form);
        }
      write_query_body (&form, request);
      form_clear (&form);
      break;
    case PROTO_JSON:
      serialize_json (&ctx, service, op, filled, request);
      break;
    case PROTO_REST_JSON:
    case PROTO_REST_XML:
      if (!serialize_rest (&ctx, op, filled, request, error))
        return NULL;
      break;
    case PROTO_RPCV2_CBOR:
    case PROTO_UNKNOWN:
    default:
      g_assert_not_reached ();
    }

  /* The RPC protocols post to the operation's requestUri, "/", under the
   * endpoint's path: https://example.com/custom gives /custom/ (Smithy's
   * HostWithPath cases; botocore's _urljoin keeps "/custom"). */
  if (ctx.proto != PROTO_REST_JSON && ctx.proto != PROTO_REST_XML)
    {
      const char *path = boto_http_request_get_encoded_path (request);

      if (path != NULL && *path != '\0' && !g_str_has_suffix (path, "/"))
        {
          g_autofree char *joined = g_strconcat (path, "/", NULL);

          boto_http_request_set_encoded_path (request, joined);
        }
    }

  return g_steal_pointer (&request);
}

BotoHttpRequest *
boto_protocol_serialize_request (BotoServiceModel   *service,
                                 BotoOperationModel *op,
                                 const char         *protocol,
                                 GVariant           *params,
                                 const char         *endpoint_url,
                                 GError            **error)
{
  return boto_protocol_serialize_request_full (service, op, protocol, params, endpoint_url,
                                               BOTO_SERIALIZE_VALIDATE, error);
}

/* smithy-rpc-v2-cbor has its own codec (boto-protocol-rpcv2-cbor.c); this
 * puts its request on the endpoint as the other protocols' requests are. */
static BotoHttpRequest *
serialize_rpcv2_cbor (BotoServiceModel    *service,
                      BotoOperationModel  *op,
                      GVariant            *params,
                      const char          *endpoint_url,
                      gboolean             validate,
                      GError             **error)
{
  g_autoptr(BotoRpcv2CborRequest) cbor = NULL;
  g_autoptr(BotoHttpRequest) request = NULL;
  g_autofree char *path = NULL;
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;
  gsize length;
  BotoShape *input = boto_operation_model_get_input_shape (op);

  if (validate && input != NULL && params != NULL &&
      !boto_protocol_validate_params (input, params, error))
    return NULL;

  cbor = boto_rpcv2_cbor_serialize_request (service, op, params, error);
  if (cbor == NULL)
    return NULL;

  request = boto_http_request_new_from_url (cbor->method, endpoint_url, error);
  if (request == NULL)
    return NULL;

  /* The endpoint's own path, then the operation's. */
  path = g_strdup (boto_http_request_get_encoded_path (request));
  length = strlen (path);
  while (length > 0 && path[length - 1] == '/')
    path[--length] = '\0';
  {
    g_autofree char *joined = g_strconcat (path, cbor->path, NULL);

    boto_http_request_set_encoded_path (request, joined);
  }

  soup_message_headers_iter_init (&iter, cbor->headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    boto_http_request_add_header (request, name, value);
  boto_http_request_set_body (request, cbor->body);

  return g_steal_pointer (&request);
}

BotoHttpRequest *
boto_protocol_serialize_request_unvalidated (BotoServiceModel   *service,
                                             BotoOperationModel *op,
                                             const char         *protocol,
                                             GVariant           *params,
                                             const char         *endpoint_url,
                                             GError            **error)
{
  return boto_protocol_serialize_request_full (service, op, protocol, params, endpoint_url,
                                               BOTO_SERIALIZE_NONE, error);
}

BotoHttpRequest *
boto_protocol_serialize_request_full (BotoServiceModel    *service,
                                      BotoOperationModel  *op,
                                      const char          *protocol,
                                      GVariant            *params,
                                      const char          *endpoint_url,
                                      BotoSerializeFlags   flags,
                                      GError             **error)
{
  Proto proto;

  g_return_val_if_fail (BOTO_IS_SERVICE_MODEL (service), NULL);
  g_return_val_if_fail (BOTO_IS_OPERATION_MODEL (op), NULL);
  g_return_val_if_fail (endpoint_url != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (protocol == NULL)
    protocol = boto_service_model_get_protocol (service);
  proto = parse_protocol (protocol);
  if (proto == PROTO_RPCV2_CBOR)
    return serialize_rpcv2_cbor (service, op, params, endpoint_url,
                                 (flags & BOTO_SERIALIZE_VALIDATE) != 0, error);

  return serialize_request (service, op, proto, protocol, params, endpoint_url,
                            (flags & BOTO_SERIALIZE_VALIDATE) != 0,
                            (flags & BOTO_SERIALIZE_STRIP_BUCKET) != 0, error);
}
