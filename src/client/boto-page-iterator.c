/* boto-page-iterator.c: the pages of one paginated operation, fetched lazily
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "boto-page-iterator.h"
#include "boto-paginator-private.h"
#include "boto-client.h"
#include "boto-error.h"
#include "boto-format-private.h"
#include "boto-jmespath.h"
#include "boto-protocol-value-private.h"

/**
 * BotoPageIterator:
 *
 * The pages of one paginated operation, as botocore's `PageIterator`:
 * made by [method@Boto.Paginator.paginate], it sends one request per page
 * when [method@Boto.PageIterator.next] or
 * [method@Boto.PageIterator.next_async] asks for the next page, passing
 * each response's output tokens as the next request's input tokens, until
 * the service says there is no more, `MaxItems` is reached, or a token
 * comes back unchanged (an error, as botocore's `PaginationError`).
 *
 * Each page is the operation's result (`a{sv}` with `ResponseMetadata`),
 * as boto3 yields it: when `MaxItems` cuts a page short its first result
 * key is truncated, and [method@Boto.PageIterator.get_resume_token] gives
 * a token that continues exactly there — the same base64 JSON token that
 * botocore makes (with its `boto_truncate_amount`), so tokens can be
 * exchanged with boto3 programs.
 *
 * [method@Boto.PageIterator.build_full_result] and
 * [method@Boto.PageIterator.search] read the remaining pages and combine
 * them, as botocore's methods of the same names.
 *
 * A page iterator is not thread-safe: use it from one thread at a time,
 * with at most one `next` in flight. When a request fails, the error is
 * returned and the iterator stays where it was: the next `next` sends the
 * same request again.
 *
 * Since: 1.0
 */

typedef struct
{
  char     *name;
  GVariant *value;   /* NULL: None */
} TokenEntry;

struct _BotoPageIterator
{
  GObject                  parent_instance;

  BotoPaginator           *paginator;
  BotoClient              *client;
  const BotoPaginatorSpec *spec;

  GHashTable              *params;            /* the next request's: name → GVariant */
  GPtrArray               *param_order;       /* their names, in order, as a Python dict keeps them */
  gint64                   max_items;         /* -1: none */
  char                    *starting_token;
  GError                  *pending_error;     /* returned by the next `next` */

  GArray                  *next_token;        /* of TokenEntry */
  GArray                  *previous_next_token;
  gint64                   starting_index;    /* boto_truncate_amount of the starting token */
  gint64                   total_items;
  gboolean                 first_request;
  gboolean                 done;
  gboolean                 busy;

  GVariant                *non_aggregate_part; /* a{sv}, from the first page */
  char                    *resume_token;
  guint                    n_pages;
};

G_DEFINE_FINAL_TYPE (BotoPageIterator, boto_page_iterator, G_TYPE_OBJECT)

/* Tokens */

static void
token_entry_clear (gpointer data)
{
  TokenEntry *entry = data;

  g_clear_pointer (&entry->name, g_free);
  g_clear_pointer (&entry->value, g_variant_unref);
}

static GArray *
token_new (void)
{
  GArray *token = g_array_new (FALSE, TRUE, sizeof (TokenEntry));

  g_array_set_clear_func (token, token_entry_clear);
  return token;
}

/* Sets @name in @token (appended when new); takes @value, a full or a
 * floating reference. */
/* @value in a buffer of its own.  A value read from a page shares the
 * page's serialized buffer and would keep the whole page alive: a token
 * kept across the next request, or the first page's non-aggregate keys,
 * would double the memory a collection or a paginator needs. */
static GVariant *
detached (GVariant *value)
{
  g_autoptr(GVariant) owned = g_variant_take_ref (value);
  g_autoptr(GBytes) bytes = g_bytes_new (g_variant_get_data (owned), g_variant_get_size (owned));

  return g_variant_ref_sink (g_variant_new_from_bytes (g_variant_get_type (owned), bytes, TRUE));
}

static void
token_set (GArray     *token,
           const char *name,
           GVariant   *value)
{
  TokenEntry entry;

  if (value != NULL)
    value = detached (value);
  for (guint i = 0; i < token->len; i++)
    {
      TokenEntry *e = &g_array_index (token, TokenEntry, i);

      if (strcmp (e->name, name) == 0)
        {
          g_clear_pointer (&e->value, g_variant_unref);
          e->value = value;
          return;
        }
    }
  entry.name = g_strdup (name);
  entry.value = value;
  g_array_append_val (token, entry);
}

static GArray *
token_copy (GArray *token)
{
  GArray *copy = token_new ();

  for (guint i = 0; i < token->len; i++)
    {
      TokenEntry *e = &g_array_index (token, TokenEntry, i);

      token_set (copy, e->name, e->value != NULL ? g_variant_ref (e->value) : NULL);
    }
  return copy;
}

static const TokenEntry *
token_lookup (GArray     *token,
              const char *name)
{
  for (guint i = 0; i < token->len; i++)
    {
      TokenEntry *e = &g_array_index (token, TokenEntry, i);

      if (strcmp (e->name, name) == 0)
        return e;
    }
  return NULL;
}

/* Python's dict equality. */
static gboolean
token_equal (GArray *a,
             GArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      TokenEntry *e = &g_array_index (a, TokenEntry, i);
      const TokenEntry *f = token_lookup (b, e->name);

      if (f == NULL)
        return FALSE;
      if ((e->value == NULL) != (f->value == NULL))
        return FALSE;
      if (e->value != NULL && !g_variant_equal (e->value, f->value))
        return FALSE;
    }
  return TRUE;
}

static gboolean
token_all_none (GArray *token)
{
  for (guint i = 0; i < token->len; i++)
    if (g_array_index (token, TokenEntry, i).value != NULL)
      return FALSE;
  return TRUE;
}

/* The token as a{sv}, None as `mv` nothing. */
static GVariant *
token_to_variant (GArray *token)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  for (guint i = 0; i < token->len; i++)
    {
      TokenEntry *e = &g_array_index (token, TokenEntry, i);

      g_variant_builder_add (&builder, "{sv}", e->name,
                             e->value != NULL ? e->value : g_variant_new_maybe (G_VARIANT_TYPE_VARIANT, NULL));
    }
  return g_variant_builder_end (&builder);
}

/* Unwraps `v` and `mv`; NULL for a maybe with nothing. Transfer full. */
static GVariant *
unbox (GVariant *value)
{
  g_autoptr(GVariant) current = g_variant_ref (value);

  for (;;)
    {
      if (g_variant_is_of_type (current, G_VARIANT_TYPE_VARIANT))
        {
          GVariant *inner = g_variant_get_variant (current);

          g_variant_unref (current);
          current = inner;
        }
      else if (g_variant_is_of_type (current, G_VARIANT_TYPE_MAYBE))
        {
          GVariant *inner = g_variant_get_maybe (current);

          g_variant_unref (current);
          current = inner;
          if (current == NULL)
            return NULL;
        }
      else
        return g_steal_pointer (&current);
    }
}

typedef struct
{
  GString   *out;
  GPtrArray *path;          /* of GVariant: `s` keys and `x` indexes */
  GPtrArray *encoded_keys;  /* of GVariant `av`: paths of bytes values */
} JsonWriter;

static void
json_write_path (JsonWriter *w)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("av"));
  for (guint i = 0; i < w->path->len; i++)
    g_variant_builder_add (&builder, "v", w->path->pdata[i]);
  g_ptr_array_add (w->encoded_keys, g_variant_ref_sink (g_variant_builder_end (&builder)));
}

static void json_write_value (JsonWriter *w, GVariant *value);

static void
json_write_member (JsonWriter *w,
                   GVariant   *key,
                   GVariant   *value)
{
  g_ptr_array_add (w->path, g_variant_ref_sink (key));
  json_write_value (w, value);
  g_variant_unref (g_ptr_array_steal_index (w->path, w->path->len - 1));
}

static void
json_write_value (JsonWriter *w,
                  GVariant   *boxed)
{
  g_autoptr(GVariant) value = boxed != NULL ? unbox (boxed) : NULL;
  const GVariantType *type;

  if (value == NULL)
    {
      g_string_append (w->out, "null");
      return;
    }
  type = g_variant_get_type (value);

  if (g_variant_type_equal (type, G_VARIANT_TYPE_BYTESTRING))
    {
      gsize size;
      const guchar *data = g_variant_get_fixed_array (value, &size, 1);
      g_autofree char *text = g_base64_encode (data, size);

      boto_format_json_string_ascii (w->out, text, -1);
      json_write_path (w);
      return;
    }

  switch (g_variant_classify (value))
    {
    case G_VARIANT_CLASS_BOOLEAN:
      g_string_append (w->out, g_variant_get_boolean (value) ? "true" : "false");
      return;
    case G_VARIANT_CLASS_BYTE:
      g_string_append_printf (w->out, "%u", g_variant_get_byte (value));
      return;
    case G_VARIANT_CLASS_INT16:
      g_string_append_printf (w->out, "%d", g_variant_get_int16 (value));
      return;
    case G_VARIANT_CLASS_UINT16:
      g_string_append_printf (w->out, "%u", g_variant_get_uint16 (value));
      return;
    case G_VARIANT_CLASS_INT32:
      g_string_append_printf (w->out, "%d", g_variant_get_int32 (value));
      return;
    case G_VARIANT_CLASS_UINT32:
      g_string_append_printf (w->out, "%u", g_variant_get_uint32 (value));
      return;
    case G_VARIANT_CLASS_INT64:
      g_string_append_printf (w->out, "%" G_GINT64_FORMAT, g_variant_get_int64 (value));
      return;
    case G_VARIANT_CLASS_UINT64:
      g_string_append_printf (w->out, "%" G_GUINT64_FORMAT, g_variant_get_uint64 (value));
      return;
    case G_VARIANT_CLASS_DOUBLE:
      boto_format_double_special (w->out, g_variant_get_double (value));
      return;
    case G_VARIANT_CLASS_STRING:
    case G_VARIANT_CLASS_OBJECT_PATH:
    case G_VARIANT_CLASS_SIGNATURE:
      boto_format_json_string_ascii (w->out, g_variant_get_string (value, NULL), -1);
      return;
    case G_VARIANT_CLASS_ARRAY:
      {
        gsize n = g_variant_n_children (value);
        gboolean is_dict = g_variant_type_is_dict_entry (g_variant_type_element (type));

        g_string_append_c (w->out, is_dict ? '{' : '[');
        for (gsize i = 0; i < n; i++)
          {
            g_autoptr(GVariant) child = g_variant_get_child_value (value, i);

            if (i > 0)
              g_string_append (w->out, ", ");
            if (is_dict)
              {
                g_autoptr(GVariant) key = g_variant_get_child_value (child, 0);
                g_autoptr(GVariant) item = g_variant_get_child_value (child, 1);
                g_autofree char *key_text = g_variant_is_of_type (key, G_VARIANT_TYPE_STRING)
                                            ? g_variant_dup_string (key, NULL)
                                            : g_variant_print (key, FALSE);

                boto_format_json_string_ascii (w->out, key_text, -1);
                g_string_append (w->out, ": ");
                json_write_member (w, g_variant_new_string (key_text), item);
              }
            else
              json_write_member (w, g_variant_new_int64 ((gint64) i), child);
          }
        g_string_append_c (w->out, is_dict ? '}' : ']');
        return;
      }
    case G_VARIANT_CLASS_TUPLE:
      {
        gsize n = g_variant_n_children (value);

        g_string_append_c (w->out, '[');
        for (gsize i = 0; i < n; i++)
          {
            g_autoptr(GVariant) child = g_variant_get_child_value (value, i);

            if (i > 0)
              g_string_append (w->out, ", ");
            json_write_member (w, g_variant_new_int64 ((gint64) i), child);
          }
        g_string_append_c (w->out, ']');
        return;
      }
    default:
      g_string_append (w->out, "null");
      return;
    }
}

/*
 * boto_pagination_token_encode:
 * @token: a{sv}
 *
 * botocore's TokenEncoder: the JSON text of @token as Python's json.dumps
 * writes it, base64-encoded. Byte strings are base64-encoded in place and
 * their paths listed under `boto_encoded_keys`.
 */
char *
boto_pagination_token_encode (GVariant *token)
{
  g_autoptr(GVariant) owned = g_variant_ref_sink (token);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) path = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  g_autoptr(GPtrArray) encoded = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  JsonWriter w = { out, path, encoded };

  json_write_value (&w, owned);
  if (encoded->len > 0 && out->len >= 2 && out->str[out->len - 1] == '}')
    {
      /* The second pass of botocore's encoder: the same dictionary, with
       * the list of encoded paths added at its end. */
      g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
      JsonWriter w2 = { out, path, keep };

      g_string_truncate (out, out->len - 1);
      if (out->len > 1)
        g_string_append (out, ", ");
      boto_format_json_string_ascii (out, "boto_encoded_keys", -1);
      g_string_append (out, ": [");
      for (guint i = 0; i < encoded->len; i++)
        {
          if (i > 0)
            g_string_append (out, ", ");
          json_write_value (&w2, encoded->pdata[i]);
        }
      g_string_append (out, "]}");
    }
  return g_base64_encode ((const guchar *) out->str, out->len);
}

/* Python's base64.b64decode without validate: characters outside the
 * alphabet are skipped, and the data must be padded. */
static GBytes *
python_b64decode (const char *text)
{
  g_autoptr(GString) data = g_string_new (NULL);
  gsize pads = 0;
  gsize rem;
  gsize out_len;
  guchar *out;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '=')
        {
          if (data->len % 4 >= 2)
            pads++;
          if (data->len % 4 >= 2 && data->len % 4 + pads >= 4)
            break;
          continue;
        }
      if (pads > 0)
        pads = 0;
      if (g_ascii_isalnum (*p) || *p == '+' || *p == '/')
        g_string_append_c (data, *p);
    }
  rem = data->len % 4;
  if (rem == 1)
    return NULL;
  if (rem != 0 && rem + pads < 4)
    return NULL;
  while (data->len % 4 != 0)
    g_string_append_c (data, '=');
  out = g_base64_decode (data->str, &out_len);
  return g_bytes_new_take (out, out_len);
}

static char *
path_key (JsonArray *path)
{
  GString *key = g_string_new (NULL);
  guint n = json_array_get_length (path);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *step = json_array_get_element (path, i);

      if (JSON_NODE_HOLDS_VALUE (step) && json_node_get_value_type (step) == G_TYPE_STRING)
        g_string_append_printf (key, "\x1fs%s", json_node_get_string (step));
      else if (JSON_NODE_HOLDS_VALUE (step) && json_node_get_value_type (step) == G_TYPE_INT64)
        g_string_append_printf (key, "\x1fi%" G_GINT64_FORMAT, json_node_get_int (step));
      else
        g_string_append (key, "\x1f?");
    }
  return g_string_free (key, FALSE);
}

/* JSON to GVariant; NULL for null. Strings at a path in @encoded become
 * `ay`. */
static GVariant *
json_to_variant (JsonNode   *node,
                 GString    *path,
                 GHashTable *encoded)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);
        GVariantBuilder builder;

        g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
        for (GList *l = members; l != NULL; l = l->next)
          {
            gsize len = path->len;
            GVariant *child;

            g_string_append_printf (path, "\x1fs%s", (const char *) l->data);
            child = json_to_variant (json_object_get_member (object, l->data), path, encoded);
            g_string_truncate (path, len);
            g_variant_builder_add (&builder, "{sv}", l->data,
                                   child != NULL ? child : g_variant_new_maybe (G_VARIANT_TYPE_VARIANT, NULL));
          }
        return g_variant_builder_end (&builder);
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);
        GVariantBuilder builder;

        g_variant_builder_init (&builder, G_VARIANT_TYPE ("av"));
        for (guint i = 0; i < n; i++)
          {
            gsize len = path->len;
            GVariant *child;

            g_string_append_printf (path, "\x1fi%u", i);
            child = json_to_variant (json_array_get_element (array, i), path, encoded);
            g_string_truncate (path, len);
            g_variant_builder_add (&builder, "v",
                                   child != NULL ? child : g_variant_new_maybe (G_VARIANT_TYPE_VARIANT, NULL));
          }
        return g_variant_builder_end (&builder);
      }
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          return g_variant_new_int64 (json_node_get_int (node));
        case G_TYPE_DOUBLE:
          return g_variant_new_double (json_node_get_double (node));
        case G_TYPE_BOOLEAN:
          return g_variant_new_boolean (json_node_get_boolean (node));
        case G_TYPE_STRING:
          if (g_hash_table_contains (encoded, path->str))
            {
              g_autoptr(GBytes) bytes = python_b64decode (json_node_get_string (node));

              if (bytes != NULL)
                return g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING, bytes, TRUE);
            }
          return g_variant_new_string (json_node_get_string (node));
        default:
          return NULL;
        }
    case JSON_NODE_NULL:
    default:
      return NULL;
    }
}

/*
 * boto_pagination_token_decode:
 * @token: a token from boto_pagination_token_encode() or botocore
 *
 * botocore's TokenDecoder: the dictionary in @token, with the byte strings
 * listed under `boto_encoded_keys` decoded (and that key removed).
 *
 * Returns: (transfer full): a{sv}, or %NULL with @error set
 */
GVariant *
boto_pagination_token_decode (const char  *token,
                              GError     **error)
{
  g_autoptr(GBytes) bytes = python_b64decode (token);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) encoded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) path = g_string_new (NULL);
  g_autoptr(GVariant) result = NULL;
  JsonObject *object;
  JsonNode *root;
  gsize size = 0;
  const char *text = bytes != NULL ? g_bytes_get_data (bytes, &size) : NULL;

  if (text == NULL || !g_utf8_validate (text, size, NULL) ||
      !json_parser_load_from_data (parser, text, size, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED,
                   "Bad starting token: %s", token);
      return NULL;
    }

  object = json_node_get_object (root);
  if (json_object_has_member (object, "boto_encoded_keys"))
    {
      JsonNode *keys = json_object_get_member (object, "boto_encoded_keys");

      if (JSON_NODE_HOLDS_ARRAY (keys))
        {
          JsonArray *array = json_node_get_array (keys);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *one = json_array_get_element (array, i);

              if (JSON_NODE_HOLDS_ARRAY (one))
                g_hash_table_add (encoded, path_key (json_node_get_array (one)));
            }
        }
      json_object_remove_member (object, "boto_encoded_keys");
    }
  result = json_to_variant (root, path, encoded);
  return g_variant_ref_sink (g_steal_pointer (&result));
}

/* Values */

static gboolean
is_list (GVariant *value)
{
  return value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_ARRAY) &&
         !g_variant_type_is_dict_entry (g_variant_type_element (g_variant_get_type (value)));
}

static gboolean
is_dict (GVariant *value)
{
  return value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_ARRAY) &&
         g_variant_type_is_dict_entry (g_variant_type_element (g_variant_get_type (value)));
}

static gboolean
is_string (GVariant *value)
{
  return value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING);
}

static gboolean
is_number (GVariant *value)
{
  if (value == NULL)
    return FALSE;
  switch (g_variant_classify (value))
    {
    case G_VARIANT_CLASS_BYTE:
    case G_VARIANT_CLASS_INT16:
    case G_VARIANT_CLASS_UINT16:
    case G_VARIANT_CLASS_INT32:
    case G_VARIANT_CLASS_UINT32:
    case G_VARIANT_CLASS_INT64:
    case G_VARIANT_CLASS_UINT64:
    case G_VARIANT_CLASS_DOUBLE:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Any integer type (a token or page size given as `i`, `x` …). */
static gboolean
number_as_int (GVariant *value,
               gint64   *out)
{
  gboolean overflow;

  return boto_value_get_int64 (value, out, &overflow);
}

static double
number_as_double (GVariant *value)
{
  gint64 i;

  if (number_as_int (value, &i))
    return (double) i;
  return g_variant_get_double (value);
}

/* Python's truth value. */
static gboolean
is_truthy (GVariant *value)
{
  gint64 i;

  if (value == NULL)
    return FALSE;
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    return g_variant_get_boolean (value);
  if (is_string (value))
    return g_variant_get_string (value, NULL)[0] != '\0';
  if (g_variant_is_container (value))
    return g_variant_n_children (value) > 0;
  if (number_as_int (value, &i))
    return i != 0;
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    return g_variant_get_double (value) != 0.0;
  return TRUE;
}

/* Python's len(). */
static gsize
python_len (GVariant *value)
{
  if (value == NULL)
    return 0;
  if (is_string (value))
    return g_utf8_strlen (g_variant_get_string (value, NULL), -1);
  if (g_variant_is_container (value))
    return g_variant_n_children (value);
  return 0;
}

/* value[start:end] of a list (keeping its type) or a string, with
 * Python's clamping; NULL for other values. */
static GVariant *
python_slice (GVariant *value,
              gint64    start,
              gint64    end)
{
  gint64 len = (gint64) python_len (value);

  if (start < 0)
    start = MAX (len + start, 0);
  if (end < 0)
    end = MAX (len + end, 0);
  start = MIN (start, len);
  end = MIN (MAX (end, start), len);

  if (is_string (value))
    {
      const char *text = g_variant_get_string (value, NULL);
      const char *from = g_utf8_offset_to_pointer (text, (glong) start);
      const char *to = g_utf8_offset_to_pointer (text, (glong) end);
      g_autofree char *piece = g_strndup (from, to - from);

      return g_variant_new_string (piece);
    }
  if (is_list (value))
    {
      GVariantBuilder builder;

      g_variant_builder_init (&builder, g_variant_get_type (value));
      for (gint64 i = start; i < end; i++)
        {
          g_autoptr(GVariant) child = g_variant_get_child_value (value, (gsize) i);

          g_variant_builder_add_value (&builder, child);
        }
      return g_variant_builder_end (&builder);
    }
  return NULL;
}

/* The search of @expr over @data, `v` and `mv` unwrapped; NULL for null
 * (a failed search is null too: result keys are plain paths). */
static GVariant *
search (BotoJmespathExpression *expr,
        GVariant               *data)
{
  g_autoptr(GVariant) result = boto_jmespath_expression_search (expr, data, NULL);

  return result != NULL ? unbox (result) : NULL;
}

/* botocore's set_value_from_jmespath() takes only dotted paths. */
static GStrv
split_settable (const char  *expression,
                GError     **error)
{
  g_auto(GStrv) parts = NULL;

  if (expression[0] == '\0' || strcmp (expression, ".") == 0 || strpbrk (expression, "[]*") != NULL)
    goto bad;
  parts = g_strsplit (expression, ".", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] == '\0')
      goto bad;
  return g_steal_pointer (&parts);

bad:
  g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED,
               "Invalid expression cannot be set: %s", expression);
  return NULL;
}

/* A copy of the a{sv} @dict (NULL: empty) with @parts set to @value (NULL:
 * None, `mv` nothing), as set_value_from_jmespath(): a new key goes at the
 * end, missing dictionaries on the way are made. Takes @value, a full or a
 * floating reference. */
static GVariant *
dict_set_path (GVariant     *dict,
               char * const *parts,
               GVariant     *value)
{
  g_autoptr(GVariant) owned = value != NULL ? g_variant_take_ref (value) : NULL;
  GVariantBuilder builder;
  gboolean found = FALSE;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  if (dict != NULL && g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT))
    {
      GVariantIter iter;
      const char *key;
      GVariant *item;

      g_variant_iter_init (&iter, dict);
      while (g_variant_iter_next (&iter, "{&sv}", &key, &item))
        {
          if (strcmp (key, parts[0]) == 0 && !found)
            {
              found = TRUE;
              if (parts[1] != NULL)
                {
                  g_autoptr(GVariant) inner = unbox (item);

                  g_variant_builder_add (&builder, "{sv}", key,
                                         dict_set_path (inner, parts + 1, g_steal_pointer (&owned)));
                }
              else
                g_variant_builder_add (&builder, "{sv}", key,
                                       owned != NULL ? owned : g_variant_new_maybe (G_VARIANT_TYPE_VARIANT, NULL));
            }
          else
            g_variant_builder_add (&builder, "{sv}", key, item);
          g_variant_unref (item);
        }
    }
  if (!found)
    {
      if (parts[1] != NULL)
        g_variant_builder_add (&builder, "{sv}", parts[0], dict_set_path (NULL, parts + 1, g_steal_pointer (&owned)));
      else
        g_variant_builder_add (&builder, "{sv}", parts[0],
                               owned != NULL ? owned : g_variant_new_maybe (G_VARIANT_TYPE_VARIANT, NULL));
    }
  return g_variant_builder_end (&builder);
}

/* Replaces *page with a copy that has @expression set to @value (a full or
 * floating reference, taken). */
static gboolean
page_set (GVariant   **page,
          const char  *expression,
          GVariant    *value,
          GError     **error)
{
  g_autoptr(GVariant) owned = value != NULL ? g_variant_take_ref (value) : NULL;
  g_auto(GStrv) parts = split_settable (expression, error);
  GVariant *updated;

  if (parts == NULL)
    return FALSE;
  updated = g_variant_ref_sink (dict_set_path (*page, parts, g_steal_pointer (&owned)));
  g_variant_unref (*page);
  *page = updated;
  return TRUE;
}

/* The iterator */

static void
boto_page_iterator_finalize (GObject *object)
{
  BotoPageIterator *self = BOTO_PAGE_ITERATOR (object);

  g_clear_object (&self->paginator);
  g_clear_object (&self->client);
  g_clear_pointer (&self->params, g_hash_table_unref);
  g_clear_pointer (&self->param_order, g_ptr_array_unref);
  g_clear_pointer (&self->starting_token, g_free);
  g_clear_error (&self->pending_error);
  g_clear_pointer (&self->next_token, g_array_unref);
  g_clear_pointer (&self->previous_next_token, g_array_unref);
  g_clear_pointer (&self->non_aggregate_part, g_variant_unref);
  g_clear_pointer (&self->resume_token, g_free);

  G_OBJECT_CLASS (boto_page_iterator_parent_class)->finalize (object);
}

static void
boto_page_iterator_class_init (BotoPageIteratorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = boto_page_iterator_finalize;
}

static void
boto_page_iterator_init (BotoPageIterator *self)
{
  self->params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_variant_unref);
  self->param_order = g_ptr_array_new_with_free_func (g_free);
  self->max_items = -1;
  self->first_request = TRUE;
  self->next_token = token_new ();
}

static void
set_pending_error (BotoPageIterator *self,
                   GError           *error)
{
  if (self->pending_error == NULL)
    self->pending_error = error;
  else
    g_error_free (error);
}

/* params[name] = value (a full or floating reference, taken), keeping the position of a key already there. */
static void
param_set (BotoPageIterator *self,
           const char       *name,
           GVariant         *value)
{
  if (!g_hash_table_contains (self->params, name))
    g_ptr_array_add (self->param_order, g_strdup (name));
  g_hash_table_replace (self->params, g_strdup (name), g_variant_take_ref (value));
}

static void
param_remove (BotoPageIterator *self,
              const char       *name)
{
  if (!g_hash_table_remove (self->params, name))
    return;
  for (guint i = 0; i < self->param_order->len; i++)
    if (strcmp (self->param_order->pdata[i], name) == 0)
      {
        g_ptr_array_remove_index (self->param_order, i);
        break;
      }
}

/* Python's int() of a number or a decimal string. */
static gboolean
python_int (GVariant *value,
            gint64   *out)
{
  if (number_as_int (value, out))
    return TRUE;
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    {
      double d = g_variant_get_double (value);

      if (d != d || d >= 9.2e18 || d <= -9.2e18)
        return FALSE;
      *out = (gint64) d;
      return TRUE;
    }
  if (is_string (value))
    {
      g_autofree char *text = g_strstrip (g_variant_dup_string (value, NULL));

      return text[0] != '\0' && g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, out, NULL);
    }
  return FALSE;
}

static void
inject_token (BotoPageIterator *self,
              GArray           *token)
{
  for (guint i = 0; i < token->len; i++)
    {
      TokenEntry *e = &g_array_index (token, TokenEntry, i);

      if (e->value != NULL &&
          !(is_string (e->value) && strcmp (g_variant_get_string (e->value, NULL), "None") == 0))
        param_set (self, e->name, g_variant_ref (e->value));
      else
        param_remove (self, e->name);
    }
}

/* botocore's _parse_starting_token: the service tokens and the number of
 * items of the first page to skip. */
static gboolean
parse_starting_token (BotoPageIterator *self,
                      GError          **error)
{
  const BotoPaginatorSpec *spec = self->spec;
  g_autoptr(GVariant) decoded = boto_pagination_token_decode (self->starting_token, NULL);
  g_autoptr(GArray) token = token_new ();

  if (decoded != NULL)
    {
      GVariantIter iter;
      const char *key;
      GVariant *value;

      g_variant_iter_init (&iter, decoded);
      while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
        {
          g_autoptr(GVariant) item = unbox (value);

          g_variant_unref (value);
          if (strcmp (key, "boto_truncate_amount") == 0)
            {
              gint64 index;

              if (item == NULL || !number_as_int (item, &index))
                {
                  g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED,
                               "Bad starting token: %s", self->starting_token);
                  return FALSE;
                }
              self->starting_index = index;
            }
          else
            token_set (token, key, g_steal_pointer (&item));
        }
    }
  else
    {
      /* The old `token___token___index` form, or a service token as is. */
      g_auto(GStrv) parts = g_strsplit (self->starting_token, "___", -1);
      guint n_parts = g_strv_length (parts);
      guint n_inputs = g_strv_length (spec->input_tokens);
      gint64 index = 0;

      if (n_parts == n_inputs + 1)
        {
          if (g_ascii_string_to_signed (parts[n_parts - 1], 10, G_MININT64, G_MAXINT64, &index, NULL))
            {
              g_free (parts[n_parts - 1]);
              parts[n_parts - 1] = NULL;
              n_parts--;
            }
          else
            {
              index = 0;
              g_strfreev (parts);
              parts = g_new0 (char *, 2);
              parts[0] = g_strdup (self->starting_token);
              n_parts = 1;
            }
        }
      if (n_parts > n_inputs)
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED,
                       "Bad starting token: %s", self->starting_token);
          return FALSE;
        }
      for (guint i = 0; i < n_inputs; i++)
        token_set (token, spec->input_tokens[i],
                   i < n_parts && strcmp (parts[i], "None") != 0 ? g_variant_new_string (parts[i]) : NULL);
      self->starting_index = index;
    }

  g_clear_pointer (&self->next_token, g_array_unref);
  self->next_token = g_steal_pointer (&token);
  return TRUE;
}

BotoPageIterator *
boto_page_iterator_new (BotoPaginator *paginator,
                        GVariant      *params,
                        GVariant      *pagination_config)
{
  g_autoptr(BotoPageIterator) self = g_object_new (BOTO_TYPE_PAGE_ITERATOR, NULL);
  g_autoptr(GVariant) owned_params = params != NULL ? g_variant_ref_sink (params) : NULL;
  g_autoptr(GVariant) owned_config = pagination_config != NULL ? g_variant_ref_sink (pagination_config) : NULL;
  g_autoptr(GVariant) config = NULL;
  g_autoptr(GVariant) max_items = NULL;
  g_autoptr(GVariant) page_size = NULL;
  g_autoptr(GVariant) starting_token = NULL;
  const BotoPaginatorSpec *spec;

  self->paginator = g_object_ref (paginator);
  self->client = g_object_ref (boto_paginator_get_client (paginator));
  self->spec = spec = boto_paginator_get_spec (paginator);

  for (guint i = 0; spec->input_tokens[i] != NULL; i++)
    token_set (self->next_token, spec->input_tokens[i], NULL);

  if (owned_params != NULL && !g_variant_is_of_type (owned_params, G_VARIANT_TYPE_VARDICT))
    {
      set_pending_error (self, g_error_new (BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                                            "Parameters must be a{sv}, not %s",
                                            g_variant_get_type_string (owned_params)));
      owned_params = NULL;
    }
  if (owned_params != NULL)
    {
      GVariantIter iter;
      const char *key;
      GVariant *value;

      g_variant_iter_init (&iter, owned_params);
      while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
        {
          if (strcmp (key, "PaginationConfig") == 0)
            {
              if (config == NULL)
                config = unbox (value);
              g_variant_unref (value);
            }
          else
            {
              param_set (self, key, value);
              continue;
            }
        }
    }
  if (owned_config != NULL)
    {
      g_clear_pointer (&config, g_variant_unref);
      config = g_variant_ref (owned_config);
    }
  if (config != NULL && !g_variant_is_of_type (config, G_VARIANT_TYPE_VARDICT))
    {
      set_pending_error (self, g_error_new (BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                                            "PaginationConfig must be a{sv}, not %s",
                                            g_variant_get_type_string (config)));
      g_clear_pointer (&config, g_variant_unref);
    }

  if (config != NULL)
    {
      g_autoptr(GVariant) raw = NULL;

      raw = g_variant_lookup_value (config, "MaxItems", NULL);
      max_items = raw != NULL ? unbox (raw) : NULL;
      g_clear_pointer (&raw, g_variant_unref);
      raw = g_variant_lookup_value (config, "PageSize", NULL);
      page_size = raw != NULL ? unbox (raw) : NULL;
      g_clear_pointer (&raw, g_variant_unref);
      raw = g_variant_lookup_value (config, "StartingToken", NULL);
      starting_token = raw != NULL ? unbox (raw) : NULL;
    }

  if (max_items != NULL && !python_int (max_items, &self->max_items))
    set_pending_error (self, g_error_new (BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                                          "MaxItems must be an integer"));

  if (starting_token != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      if (!is_string (starting_token))
        set_pending_error (self, g_error_new (BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                                              "StartingToken must be a string"));
      else
        {
          self->starting_token = g_variant_dup_string (starting_token, NULL);
          if (!parse_starting_token (self, &local_error))
            set_pending_error (self, g_steal_pointer (&local_error));
          else
            inject_token (self, self->next_token);
        }
    }

  if (page_size != NULL)
    {
      GVariant *value = NULL;
      gint64 n;

      if (spec->limit_key == NULL)
        set_pending_error (self, g_error_new_literal (BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED,
                                                      "Error during pagination: PageSize parameter is not "
                                                      "supported for the pagination interface for this operation."));
      else if (g_strcmp0 (spec->limit_key_type, "string") == 0)
        {
          if (is_string (page_size))
            value = g_variant_ref (page_size);
          else if (number_as_int (page_size, &n))
            value = g_variant_new_take_string (g_strdup_printf ("%" G_GINT64_FORMAT, n));
          else
            value = g_variant_new_take_string (g_variant_print (page_size, FALSE));
        }
      else if (!python_int (page_size, &n))
        set_pending_error (self, g_error_new (BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                                              "PageSize must be an integer"));
      else if (g_strcmp0 (spec->limit_key_type, "integer") == 0 && n >= G_MININT32 && n <= G_MAXINT32)
        value = g_variant_new_int32 ((gint32) n);
      else
        value = g_variant_new_int64 (n);

      if (value != NULL)
        param_set (self, spec->limit_key, value);
    }

  return g_steal_pointer (&self);
}

static GVariant *
build_params (BotoPageIterator *self)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  for (guint i = 0; i < self->param_order->len; i++)
    g_variant_builder_add (&builder, "{sv}", self->param_order->pdata[i],
                           g_hash_table_lookup (self->params, self->param_order->pdata[i]));
  return g_variant_builder_end (&builder);
}

/* botocore's resume_token setter: the keys must be the input tokens (and
 * boto_truncate_amount). */
static gboolean
set_resume_token (BotoPageIterator  *self,
                  GArray            *token,
                  GError           **error)
{
  const BotoPaginatorSpec *spec = self->spec;
  guint expected = g_strv_length (spec->input_tokens);
  gboolean ok;

  if (token_lookup (token, "boto_truncate_amount") != NULL)
    expected++;
  ok = token->len == expected;
  for (guint i = 0; ok && i < token->len; i++)
    {
      const char *name = g_array_index (token, TokenEntry, i).name;

      ok = strcmp (name, "boto_truncate_amount") == 0 ||
           g_strv_contains ((const char * const *) spec->input_tokens, name);
    }
  if (!ok)
    {
      g_autoptr(GVariant) dict = g_variant_ref_sink (token_to_variant (token));
      g_autofree char *text = g_variant_print (dict, FALSE);

      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED,
                   "Bad starting token: %s", text);
      return FALSE;
    }
  g_clear_pointer (&self->resume_token, g_free);
  self->resume_token = boto_pagination_token_encode (token_to_variant (token));
  return TRUE;
}

/* botocore's _handle_first_request: skip the items of the first result key
 * that the starting token says were seen, and empty the others. */
static gboolean
handle_first_request (BotoPageIterator  *self,
                      GVariant         **page,
                      GError           **error)
{
  const BotoPaginatorSpec *spec = self->spec;
  BotoJmespathExpression *primary = spec->result_keys->pdata[0];
  g_autoptr(GVariant) all_data = search (primary, *page);
  GVariant *data = NULL;

  if (is_list (all_data) || is_string (all_data))
    data = python_slice (all_data, self->starting_index, G_MAXINT64);
  if (!page_set (page, boto_jmespath_expression_get_expression (primary), data, error))
    return FALSE;

  for (guint i = 1; i < spec->result_keys->len; i++)
    {
      BotoJmespathExpression *key = spec->result_keys->pdata[i];
      g_autoptr(GVariant) sample = search (key, *page);
      GVariant *empty = NULL;

      if (is_list (sample))
        empty = g_variant_new_array (g_variant_type_element (g_variant_get_type (sample)), NULL, 0);
      else if (is_string (sample))
        empty = g_variant_new_string ("");
      else if (is_number (sample) || (sample != NULL && g_variant_is_of_type (sample, G_VARIANT_TYPE_BOOLEAN)))
        empty = g_variant_ref (sample);
      if (!page_set (page, boto_jmespath_expression_get_expression (key), empty, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
record_non_aggregate (BotoPageIterator  *self,
                      GVariant          *page,
                      GError           **error)
{
  const BotoPaginatorSpec *spec = self->spec;
  g_autoptr(GVariant) part = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));

  for (guint i = 0; i < spec->non_aggregate_keys->len; i++)
    {
      BotoJmespathExpression *key = spec->non_aggregate_keys->pdata[i];

      if (!page_set (&part, boto_jmespath_expression_get_expression (key), search (key, page), error))
        return FALSE;
    }
  g_clear_pointer (&self->non_aggregate_part, g_variant_unref);
  self->non_aggregate_part = detached (g_steal_pointer (&part));
  return TRUE;
}

static GArray *
get_next_token (BotoPageIterator *self,
                GVariant         *page)
{
  const BotoPaginatorSpec *spec = self->spec;
  GArray *token = token_new ();

  if (spec->more_results != NULL)
    {
      g_autoptr(GVariant) more = search (spec->more_results, page);

      if (!is_truthy (more))
        return token;
    }
  for (guint i = 0; i < spec->output_tokens->len && spec->input_tokens[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = search (spec->output_tokens->pdata[i], page);

      token_set (token, spec->input_tokens[i], is_truthy (value) ? g_steal_pointer (&value) : NULL);
    }
  return token;
}

/* One turn of botocore's PageIterator.__iter__ loop, after a response:
 * returns the page to yield, and leaves the iterator ready for the next
 * request (or done). Takes @response. */
static GVariant *
process_page (BotoPageIterator  *self,
              GVariant          *response,
              GError           **error)
{
  const BotoPaginatorSpec *spec = self->spec;
  g_autoptr(GVariant) page = g_variant_take_ref (response);
  BotoJmespathExpression *primary = spec->result_keys->len > 0 ? spec->result_keys->pdata[0] : NULL;
  g_autoptr(GVariant) current = NULL;
  g_autoptr(GArray) next_token = NULL;
  gint64 starting_truncation = 0;
  gint64 n_current;
  gint64 truncate_amount = 0;

  if (self->first_request)
    {
      if (self->starting_token != NULL && primary != NULL)
        {
          if (!handle_first_request (self, &page, error))
            return NULL;
          starting_truncation = self->starting_index;
        }
      if (!record_non_aggregate (self, page, error))
        return NULL;
      self->first_request = FALSE;
    }

  if (primary != NULL)
    current = search (primary, page);
  n_current = (gint64) python_len (current);
  if (self->max_items >= 0)
    truncate_amount = self->total_items + n_current - self->max_items;

  if (truncate_amount > 0)
    {
      gint64 keep = n_current - truncate_amount;
      g_autoptr(GArray) resume = token_copy (self->next_token);
      GVariant *truncated = current != NULL ? python_slice (current, 0, keep) : NULL;

      if (truncated == NULL)
        truncated = g_variant_new_array (G_VARIANT_TYPE_VARIANT, NULL, 0);
      if (!page_set (&page, boto_jmespath_expression_get_expression (primary), truncated, error))
        return NULL;
      token_set (resume, "boto_truncate_amount", g_variant_new_int64 (keep + starting_truncation));
      if (!set_resume_token (self, resume, error))
        return NULL;
      self->done = TRUE;
      return g_steal_pointer (&page);
    }

  self->total_items += n_current;
  next_token = get_next_token (self, page);
  if (token_all_none (next_token))
    {
      self->done = TRUE;
      return g_steal_pointer (&page);
    }
  if (self->max_items >= 0 && self->total_items == self->max_items)
    {
      /* On a page boundary: the next token is the resume token. */
      if (!set_resume_token (self, next_token, error))
        return NULL;
      self->done = TRUE;
      return g_steal_pointer (&page);
    }
  if (self->previous_next_token != NULL && token_equal (self->previous_next_token, next_token))
    {
      /* botocore raises when it resumes after yielding this page. */
      g_autoptr(GVariant) dict = g_variant_ref_sink (token_to_variant (next_token));
      g_autofree char *text = g_variant_print (dict, FALSE);

      self->done = TRUE;
      set_pending_error (self, g_error_new (BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED,
                                            "Error during pagination: The same next token was received twice: %s",
                                            text));
      return g_steal_pointer (&page);
    }
  inject_token (self, next_token);
  g_clear_pointer (&self->previous_next_token, g_array_unref);
  self->previous_next_token = token_copy (next_token);
  g_clear_pointer (&self->next_token, g_array_unref);
  self->next_token = g_steal_pointer (&next_token);
  return g_steal_pointer (&page);
}

/* Whether `next` ends here: TRUE with *error set, or at the end. */
static gboolean
next_is_over (BotoPageIterator  *self,
              GError           **error)
{
  if (self->pending_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->pending_error));
      self->done = TRUE;
      return TRUE;
    }
  return self->done;
}

/**
 * boto_page_iterator_next:
 * @self: a page iterator
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Sends the request for the next page and returns the page, as one turn
 * of a `for page in paginator.paginate(…)` loop in boto3. At the end
 * returns %NULL without setting @error.
 *
 * Errors: those of [method@Boto.Client.call]; %BOTO_CLIENT_ERROR_FAILED
 * when the service sent the same token twice (after the page that
 * repeated it was returned), or for a malformed `StartingToken`;
 * %BOTO_CLIENT_ERROR_PARAM_VALIDATION for malformed `PaginationConfig`
 * values.
 *
 * Returns: (transfer full) (nullable): the next page, `a{sv}`, or %NULL
 *
 * Since: 1.0
 */
GVariant *
boto_page_iterator_next (BotoPageIterator  *self,
                         GCancellable      *cancellable,
                         GError           **error)
{
  GVariant *response;

  g_return_val_if_fail (BOTO_IS_PAGE_ITERATOR (self), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->busy)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                           "The page iterator has an outstanding operation");
      return NULL;
    }
  if (next_is_over (self, error))
    return NULL;

  response = boto_client_call (self->client, boto_paginator_get_operation_name (self->paginator),
                               build_params (self), cancellable, error);
  if (response == NULL)
    return NULL;
  self->n_pages++;
  return process_page (self, response, error);
}

static void
on_page (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BotoPageIterator *self = g_task_get_source_object (task);
  GError *local_error = NULL;
  GVariant *response = boto_client_call_finish (BOTO_CLIENT (source), result, &local_error);
  GVariant *page;

  self->busy = FALSE;
  if (response == NULL)
    {
      g_task_return_error (task, local_error);
      return;
    }
  self->n_pages++;
  page = process_page (self, response, &local_error);
  if (page == NULL)
    g_task_return_error (task, local_error);
  else
    g_task_return_pointer (task, page, (GDestroyNotify) g_variant_unref);
}

/**
 * boto_page_iterator_next_async:
 * @self: a page iterator
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the page is there
 * @user_data: data for @callback
 *
 * Starts [method@Boto.PageIterator.next] without blocking; @callback runs
 * in the thread-default main context of the caller. Finish with
 * [method@Boto.PageIterator.next_finish]. Only one `next` may be in
 * flight at a time (another fails with %G_IO_ERROR_PENDING).
 *
 * Since: 1.0
 */
void
boto_page_iterator_next_async (BotoPageIterator    *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *local_error = NULL;

  g_return_if_fail (BOTO_IS_PAGE_ITERATOR (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, boto_page_iterator_next_async);

  if (self->busy)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "The page iterator has an outstanding operation");
      return;
    }
  if (next_is_over (self, &local_error))
    {
      if (local_error != NULL)
        g_task_return_error (task, local_error);
      else
        g_task_return_pointer (task, NULL, NULL);
      return;
    }

  self->busy = TRUE;
  boto_client_call_async (self->client, boto_paginator_get_operation_name (self->paginator),
                          build_params (self), cancellable, on_page, g_steal_pointer (&task));
}

/**
 * boto_page_iterator_next_finish:
 * @self: a page iterator
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Boto.PageIterator.next_async].
 *
 * Returns: (transfer full) (nullable): the next page, `a{sv}`, or %NULL
 *   at the end (without an error)
 *
 * Since: 1.0
 */
GVariant *
boto_page_iterator_next_finish (BotoPageIterator  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (BOTO_IS_PAGE_ITERATOR (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, boto_page_iterator_next_async), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* A mutable tree for build_full_result: Python's dicts and lists. */

typedef enum
{
  NODE_VALUE,
  NODE_DICT,
  NODE_LIST,
} NodeKind;

typedef struct _Node Node;
struct _Node
{
  NodeKind    kind;
  GVariant   *value;      /* NODE_VALUE: NULL is None */
  GPtrArray  *keys;       /* NODE_DICT: char*, in order */
  GHashTable *children;   /* NODE_DICT: key → Node* */
  GPtrArray  *items;      /* NODE_LIST: GVariant* elements */
  char       *list_type;  /* NODE_LIST: the array type while all parts share it, else NULL */
};

static void
node_free (Node *node)
{
  if (node == NULL)
    return;
  g_clear_pointer (&node->value, g_variant_unref);
  g_clear_pointer (&node->keys, g_ptr_array_unref);
  g_clear_pointer (&node->children, g_hash_table_unref);
  g_clear_pointer (&node->items, g_ptr_array_unref);
  g_clear_pointer (&node->list_type, g_free);
  g_free (node);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Node, node_free)

static Node *
node_new_dict (void)
{
  Node *node = g_new0 (Node, 1);

  node->kind = NODE_DICT;
  node->keys = g_ptr_array_new_with_free_func (g_free);
  node->children = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) node_free);
  return node;
}

static void
list_extend (Node     *node,
             GVariant *list)
{
  gsize n = g_variant_n_children (list);

  if (node->list_type != NULL && strcmp (node->list_type, g_variant_get_type_string (list)) != 0)
    g_clear_pointer (&node->list_type, g_free);
  for (gsize i = 0; i < n; i++)
    g_ptr_array_add (node->items, g_variant_get_child_value (list, i));
}

/* A tree from a value (NULL: None); takes nothing. */
static Node *
node_new_from_variant (GVariant *value)
{
  Node *node;

  if (is_dict (value))
    {
      GVariantIter iter;
      GVariant *key;
      GVariant *item;

      node = node_new_dict ();
      g_variant_iter_init (&iter, value);
      while (g_variant_iter_next (&iter, "{@?@*}", &key, &item))
        {
          g_autofree char *name = is_string (key) ? g_variant_dup_string (key, NULL) : g_variant_print (key, FALSE);
          g_autoptr(GVariant) inner = unbox (item);

          if (!g_hash_table_contains (node->children, name))
            g_ptr_array_add (node->keys, g_strdup (name));
          g_hash_table_replace (node->children, g_steal_pointer (&name), node_new_from_variant (inner));
          g_variant_unref (key);
          g_variant_unref (item);
        }
      return node;
    }

  node = g_new0 (Node, 1);
  if (is_list (value))
    {
      node->kind = NODE_LIST;
      node->items = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
      node->list_type = g_strdup (g_variant_get_type_string (value));
      list_extend (node, value);
    }
  else
    {
      node->kind = NODE_VALUE;
      node->value = value != NULL ? g_variant_ref (value) : NULL;
    }
  return node;
}

/* Transfer full (never floating). */
static GVariant *
node_to_variant (Node *node)
{
  switch (node->kind)
    {
    case NODE_DICT:
      {
        GVariantBuilder builder;

        g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
        for (guint i = 0; i < node->keys->len; i++)
          {
            g_autoptr(GVariant) child = node_to_variant (g_hash_table_lookup (node->children,
                                                                              node->keys->pdata[i]));

            g_variant_builder_add (&builder, "{sv}", node->keys->pdata[i], child);
          }
        return g_variant_ref_sink (g_variant_builder_end (&builder));
      }
    case NODE_LIST:
      {
        GVariantBuilder builder;

        if (node->list_type != NULL)
          {
            g_variant_builder_init (&builder, G_VARIANT_TYPE (node->list_type));
            for (guint i = 0; i < node->items->len; i++)
              g_variant_builder_add_value (&builder, node->items->pdata[i]);
          }
        else
          {
            g_variant_builder_init (&builder, G_VARIANT_TYPE ("av"));
            for (guint i = 0; i < node->items->len; i++)
              {
                GVariant *item = node->items->pdata[i];

                if (g_variant_is_of_type (item, G_VARIANT_TYPE_VARIANT))
                  g_variant_builder_add_value (&builder, item);
                else
                  g_variant_builder_add (&builder, "v", item);
              }
          }
        return g_variant_ref_sink (g_variant_builder_end (&builder));
      }
    case NODE_VALUE:
    default:
      return node->value != NULL ? g_variant_ref (node->value)
                                 : g_variant_ref_sink (g_variant_new_maybe (G_VARIANT_TYPE_VARIANT, NULL));
    }
}

/* The node at @parts, or NULL. */
static Node *
node_lookup (Node         *root,
             char * const *parts)
{
  Node *node = root;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (node->kind != NODE_DICT)
        return NULL;
      node = g_hash_table_lookup (node->children, parts[i]);
      if (node == NULL)
        return NULL;
    }
  return node;
}

/* set_value_from_jmespath() on the tree; takes @value. */
static void
node_set (Node         *root,
          char * const *parts,
          Node         *value)
{
  Node *node = root;

  for (guint i = 0; parts[i + 1] != NULL; i++)
    {
      Node *child = g_hash_table_lookup (node->children, parts[i]);

      if (child == NULL || child->kind != NODE_DICT)
        {
          if (child == NULL)
            g_ptr_array_add (node->keys, g_strdup (parts[i]));
          child = node_new_dict ();
          g_hash_table_replace (node->children, g_strdup (parts[i]), child);
        }
      node = child;
    }
  {
    const char *last = parts[g_strv_length ((GStrv) parts) - 1];

    if (!g_hash_table_contains (node->children, last))
      g_ptr_array_add (node->keys, g_strdup (last));
    g_hash_table_replace (node->children, g_strdup (last), value);
  }
}

/* botocore's merge_dicts (without append_lists); takes @src. */
static void
node_merge (Node *dst,
            Node *src)
{
  for (guint i = 0; i < src->keys->len; i++)
    {
      const char *key = src->keys->pdata[i];
      Node *into = g_hash_table_lookup (dst->children, key);
      g_autofree char *stolen_key = NULL;
      Node *from = NULL;

      g_hash_table_steal_extended (src->children, key, (gpointer *) &stolen_key, (gpointer *) &from);
      if (from->kind == NODE_DICT && into != NULL && into->kind == NODE_DICT)
        {
          node_merge (into, from);
          node_free (from);
          continue;
        }
      if (into == NULL)
        g_ptr_array_add (dst->keys, g_strdup (key));
      g_hash_table_replace (dst->children, g_strdup (key), from);
    }
  node_free (src);
}

/* existing + addition for numbers (sum) and strings (concatenation);
 * NULL when Python would raise. */
static GVariant *
python_add (GVariant *existing,
            GVariant *addition)
{
  gint64 a;
  gint64 b;

  if (is_string (existing) && is_string (addition))
    {
      g_autofree char *joined = g_strconcat (g_variant_get_string (existing, NULL),
                                             g_variant_get_string (addition, NULL), NULL);

      return g_variant_new_string (joined);
    }
  if (!is_number (existing) || !is_number (addition))
    return NULL;
  if (number_as_int (existing, &a) && number_as_int (addition, &b))
    {
      gint64 sum;

      if (g_variant_is_of_type (existing, G_VARIANT_TYPE_INT32) &&
          g_variant_is_of_type (addition, G_VARIANT_TYPE_INT32) &&
          a + b >= G_MININT32 && a + b <= G_MAXINT32)
        return g_variant_new_int32 ((gint32) (a + b));
      sum = a + b;
      return g_variant_new_int64 (sum);
    }
  return g_variant_new_double (number_as_double (existing) + number_as_double (addition));
}

/**
 * boto_page_iterator_build_full_result:
 * @self: a page iterator
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads every remaining page and combines them into one result, as
 * botocore's `build_full_result()`: the lists of each result key are
 * concatenated (numbers are added up and strings joined), the
 * `non_aggregate_keys` of the first page are merged in, and when
 * `MaxItems` stopped the iteration early the resume token is added as
 * `NextToken`. `ResponseMetadata` is not part of it.
 *
 * Returns: (transfer full): the full result, `a{sv}`, or %NULL with
 *   @error set
 *
 * Since: 1.0
 */
GVariant *
boto_page_iterator_build_full_result (BotoPageIterator  *self,
                                      GCancellable      *cancellable,
                                      GError           **error)
{
  const BotoPaginatorSpec *spec;
  g_autoptr(Node) complete = NULL;
  g_autoptr(GPtrArray) paths = NULL;

  g_return_val_if_fail (BOTO_IS_PAGE_ITERATOR (self), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  spec = self->spec;
  complete = node_new_dict ();
  paths = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  for (guint i = 0; i < spec->result_keys->len; i++)
    {
      GStrv parts = split_settable (boto_jmespath_expression_get_expression (spec->result_keys->pdata[i]), error);

      if (parts == NULL)
        return NULL;
      g_ptr_array_add (paths, parts);
    }

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GVariant) page = boto_page_iterator_next (self, cancellable, &local_error);

      if (page == NULL)
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          break;
        }

      for (guint i = 0; i < spec->result_keys->len; i++)
        {
          char **parts = paths->pdata[i];
          g_autoptr(GVariant) value = search (spec->result_keys->pdata[i], page);
          Node *existing;

          if (value == NULL)
            continue;
          existing = node_lookup (complete, parts);
          if (existing == NULL || (existing->kind == NODE_VALUE && existing->value == NULL))
            {
              node_set (complete, parts, node_new_from_variant (value));
              continue;
            }
          if (is_list (value))
            {
              if (existing->kind == NODE_LIST)
                list_extend (existing, value);
            }
          else if ((is_number (value) || is_string (value)) && existing->kind == NODE_VALUE)
            {
              GVariant *sum = python_add (existing->value, value);

              if (sum != NULL)
                {
                  g_clear_pointer (&existing->value, g_variant_unref);
                  existing->value = g_variant_ref_sink (sum);
                }
            }
        }
    }

  if (self->non_aggregate_part != NULL)
    node_merge (complete, node_new_from_variant (self->non_aggregate_part));
  if (self->resume_token != NULL)
    {
      char *parts[] = { (char *) "NextToken", NULL };
      g_autoptr(GVariant) token = g_variant_ref_sink (g_variant_new_string (self->resume_token));

      node_set (complete, parts, node_new_from_variant (token));
    }
  return node_to_variant (complete);
}

/**
 * boto_page_iterator_search:
 * @self: a page iterator
 * @expression: a JMESPath expression
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads every remaining page and searches each with @expression, as
 * botocore's `search()`: a list result contributes its elements, any
 * other result (null included, as a maybe with no value) contributes
 * itself. For example `Contents[].Key` over the pages of `ListObjectsV2`
 * gives every key.
 *
 * Errors: a %BOTO_JMESPATH_ERROR for a bad @expression (before anything
 * is sent), or those of [method@Boto.PageIterator.next].
 *
 * Returns: (transfer full): every match, `av`, or %NULL with @error set
 *
 * Since: 1.0
 */
GVariant *
boto_page_iterator_search (BotoPageIterator  *self,
                           const char        *expression,
                           GCancellable      *cancellable,
                           GError           **error)
{
  g_autoptr(BotoJmespathExpression) compiled = NULL;
  GVariantBuilder builder;

  g_return_val_if_fail (BOTO_IS_PAGE_ITERATOR (self), NULL);
  g_return_val_if_fail (expression != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  compiled = boto_jmespath_expression_new (expression, error);
  if (compiled == NULL)
    return NULL;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("av"));
  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GVariant) page = boto_page_iterator_next (self, cancellable, &local_error);
      g_autoptr(GVariant) result = NULL;

      if (page == NULL)
        {
          if (local_error != NULL)
            {
              g_variant_builder_clear (&builder);
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          break;
        }
      result = boto_jmespath_expression_search (compiled, page, &local_error);
      if (local_error != NULL)
        {
          g_variant_builder_clear (&builder);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (result != NULL)
        {
          g_autoptr(GVariant) value = unbox (result);

          g_clear_pointer (&result, g_variant_unref);
          result = g_steal_pointer (&value);
        }
      if (is_list (result))
        {
          gsize n = g_variant_n_children (result);

          for (gsize i = 0; i < n; i++)
            {
              g_autoptr(GVariant) item = g_variant_get_child_value (result, i);

              if (g_variant_is_of_type (item, G_VARIANT_TYPE_VARIANT))
                g_variant_builder_add_value (&builder, item);
              else
                g_variant_builder_add (&builder, "v", item);
            }
        }
      else if (result != NULL)
        g_variant_builder_add (&builder, "v", result);
      else
        g_variant_builder_add (&builder, "v", g_variant_new_maybe (G_VARIANT_TYPE_VARIANT, NULL));
    }
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

/**
 * boto_page_iterator_get_resume_token:
 * @self: a page iterator
 *
 * The token to resume from, once `MaxItems` has stopped the iteration:
 * pass it as `StartingToken` in the `PaginationConfig` of a new
 * [method@Boto.Paginator.paginate] to continue with the next item. It is
 * botocore's token format (base64 of a JSON object holding the service's
 * tokens and `boto_truncate_amount`), so boto3 accepts it and the other
 * way round.
 *
 * Returns: (nullable): the resume token, or %NULL while there is none
 *
 * Since: 1.0
 */
const char *
boto_page_iterator_get_resume_token (BotoPageIterator *self)
{
  g_return_val_if_fail (BOTO_IS_PAGE_ITERATOR (self), NULL);
  return self->resume_token;
}

/**
 * boto_page_iterator_get_n_pages:
 * @self: a page iterator
 *
 * Gets the number of pages the iterator has fetched so far.
 *
 * Returns: the number of pages fetched so far, that is the number of
 *   operation calls made (retries of one call not counted)
 *
 * Since: 1.0
 */
guint
boto_page_iterator_get_n_pages (BotoPageIterator *self)
{
  g_return_val_if_fail (BOTO_IS_PAGE_ITERATOR (self), 0);
  return self->n_pages;
}
