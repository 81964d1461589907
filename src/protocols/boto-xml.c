/* boto-xml.c: a small XML element tree read with GMarkup
 *
 * The AWS XML protocols need little of XML: elements, their text and
 * attributes, the predefined entities, character references and CDATA.
 * Namespaces are ignored when matching names (as botocore strips them), so
 * every element keeps only its local name.
 *
 * A response of a thousand elements makes a thousand nodes: they and their
 * strings are carved out of a few large blocks (an arena) that go away
 * together, so building and freeing the tree costs little beside GMarkup's
 * own reading.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include "boto-error.h"
#include "boto-xml-private.h"

typedef struct _Block Block;

struct _Block
{
  Block *next;
  gsize  size;
  gsize  used;
  /* the data follows, 8-aligned */
};

struct _BotoXmlArena
{
  Block *blocks;     /* the current one first */
  gsize  next_size;
};

#define BLOCK_HEADER (((sizeof (Block)) + 7) & ~(gsize) 7)

static G_NO_INLINE gpointer
arena_alloc_block (BotoXmlArena *arena,
                   gsize         size)
{
  gsize block_size = MAX (arena->next_size, size);
  Block *block = g_malloc (BLOCK_HEADER + block_size);

  block->size = block_size;
  block->used = size;
  block->next = arena->blocks;
  arena->blocks = block;
  arena->next_size = MIN (arena->next_size * 2, 1024 * 1024);
  return (guint8 *) block + BLOCK_HEADER;
}

static inline gpointer
arena_alloc (BotoXmlArena *arena,
             gsize         size)
{
  Block *block = arena->blocks;
  gpointer out;

  size = (size + 7) & ~(gsize) 7;
  if (G_UNLIKELY (block == NULL || block->size - block->used < size))
    return arena_alloc_block (arena, size);

  out = (guint8 *) block + BLOCK_HEADER + block->used;
  block->used += size;
  return out;
}

static char *
arena_strndup (BotoXmlArena *arena,
               const char   *text,
               gsize         length)
{
  char *copy = arena_alloc (arena, length + 1);

  memcpy (copy, text, length);
  copy[length] = '\0';
  return copy;
}

/* One spare block per thread, kept from the last document for the next:
 * large responses come one after another (pages of a listing), and fresh
 * memory costs a page fault per 4 KiB. */
#define MAX_SPARE_BLOCK (4 * 1024 * 1024)

static GPrivate spare_block = G_PRIVATE_INIT (g_free);

static void
arena_init (BotoXmlArena *arena,
            gsize         wanted)
{
  Block *spare = g_private_get (&spare_block);

  arena->blocks = NULL;
  arena->next_size = wanted;
  if (spare != NULL && spare->size >= wanted / 2)
    {
      g_private_set (&spare_block, NULL);
      spare->used = 0;
      spare->next = NULL;
      arena->blocks = spare;
      arena->next_size = MAX (spare->size, wanted);
    }
}

static void
arena_free (BotoXmlArena *arena)
{
  Block *block = arena->blocks;
  Block *keep = NULL;

  while (block != NULL)
    {
      Block *next = block->next;

      if (block->size <= MAX_SPARE_BLOCK && (keep == NULL || block->size > keep->size))
        {
          g_free (keep);
          keep = block;
        }
      else
        g_free (block);
      block = next;
    }
  if (keep != NULL)
    {
      Block *old = g_private_get (&spare_block);

      if (old == NULL || old->size < keep->size)
        {
          g_private_replace (&spare_block, keep);   /* frees the old one */
          keep = NULL;
        }
      g_free (keep);
    }
  g_free (arena);
}

#define N_INLINE_NAMES 128

typedef struct
{
  BotoXmlArena  *arena;
  BotoXmlNode   *root;
  BotoXmlNode   *stack[BOTO_XML_MAX_DEPTH];
  guint          depth;
  /* The element names seen so far: open addressing, at most half full. */
  BotoXmlName  **names;
  guint          names_mask;
  guint          n_names;
  BotoXmlName   *inline_names[N_INLINE_NAMES];
} ReadState;

#define NAME_HASH_START 5381u

static void
grow_names (ReadState *state)
{
  guint size = 2 * (state->names_mask + 1);
  BotoXmlName **names = g_new0 (BotoXmlName *, size);

  for (guint i = 0; i <= state->names_mask; i++)
    {
      BotoXmlName *entry = state->names[i];
      guint at;

      if (entry == NULL)
        continue;
      for (at = entry->hash & (size - 1); names[at] != NULL; at = (at + 1) & (size - 1))
        ;
      names[at] = entry;
    }
  if (state->names != state->inline_names)
    g_free (state->names);
  state->names = names;
  state->names_mask = size - 1;
}

/* Whether the @len bytes at @a and @b are the same: element names are
 * short, and a few word compares cost less than a call to memcmp. */
static inline gboolean
same_name (const char *a,
           const char *b,
           gsize       len)
{
  if (len >= 8)
    {
      guint64 x, y;

      for (gsize i = 0; i + 8 < len; i += 8)
        {
          memcpy (&x, a + i, 8);
          memcpy (&y, b + i, 8);
          if (x != y)
            return FALSE;
        }
      memcpy (&x, a + len - 8, 8);
      memcpy (&y, b + len - 8, 8);
      return x == y;
    }
  if (len >= 4)
    {
      guint32 x1, y1, x2, y2;

      memcpy (&x1, a, 4);
      memcpy (&y1, b, 4);
      memcpy (&x2, a + len - 4, 4);
      memcpy (&y2, b + len - 4, 4);
      return x1 == y1 && x2 == y2;
    }
  for (gsize i = 0; i < len; i++)
    if (a[i] != b[i])
      return FALSE;
  return TRUE;
}

static inline guint
name_hash (const char *name,
           gsize       len)
{
  guint hash = NAME_HASH_START;

  if (len >= 4)
    {
      guint32 head, tail;

      memcpy (&head, name, 4);
      memcpy (&tail, name + len - 4, 4);
      hash = (hash * 33 + (guint) len) * 33 + head;
      hash = hash * 33 + tail;
      hash ^= hash >> 15;
    }
  else
    for (gsize i = 0; i < len; i++)
      hash = hash * 33 + (guchar) name[i];
  return hash;
}

/* The slot of the names table that holds @name (of @len bytes, hashed to
 * @hash), or the empty slot where it would go. */
static inline BotoXmlName **
name_slot (ReadState  *state,
           const char *name,
           gsize       len,
           guint       hash)
{
  guint at = hash & state->names_mask;
  BotoXmlName *entry;

  while ((entry = state->names[at]) != NULL)
    {
      if (entry->hash == hash && entry->len == len && same_name (entry->str, name, len))
        break;
      at = (at + 1) & state->names_mask;
    }
  return &state->names[at];
}

/* The document's BotoXmlName for @name (of @len bytes, hashed to @hash),
 * or NULL if there is none yet. */
static inline BotoXmlName *
find_name (ReadState  *state,
           const char *name,
           gsize       len,
           guint       hash)
{
  return *name_slot (state, name, len, hash);
}

/* The document's one BotoXmlName for @name (of @len bytes, hashed to @hash). */
static BotoXmlName *
intern_name (ReadState  *state,
             const char *name,
             gsize       len,
             guint       hash)
{
  BotoXmlName **slot = name_slot (state, name, len, hash);
  BotoXmlName *entry = *slot;

  if (entry != NULL)
    return entry;

  entry = arena_alloc (state->arena, sizeof (BotoXmlName));
  entry->str = arena_strndup (state->arena, name, len);
  entry->len = len;
  entry->hash = hash;
  entry->cache_key = NULL;
  entry->cache_value = 0;
  *slot = entry;
  if (++state->n_names * 2 > state->names_mask + 1)
    grow_names (state);
  return entry;
}

static const char *
local_name (const char *name)
{
  const char *colon = strrchr (name, ':');

  return colon != NULL ? colon + 1 : name;
}

void
boto_xml_node_free (BotoXmlNode *node)
{
  if (node == NULL)
    return;

  g_return_if_fail (node->arena != NULL);
  arena_free (node->arena);
}

static void
on_start (GMarkupParseContext  *context,
          const char           *element_name,
          const char          **attribute_names,
          const char          **attribute_values,
          gpointer              user_data,
          GError              **error)
{
  ReadState *state = user_data;
  BotoXmlNode *node;
  BotoXmlName *iname;
  const char *p, *name = element_name;
  guint hash;
  gsize len;

  if (state->depth >= BOTO_XML_MAX_DEPTH)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_RESPONSE,
                   "XML elements are nested more than %d deep", BOTO_XML_MAX_DEPTH);
      return;
    }
  if (state->depth == 0 && state->root != NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_RESPONSE,
                   "XML document has more than one root element");
      return;
    }

  /* The name's length with the C library's word-at-a-time scan, and a
   * hash of its length and first and last bytes: cheaper than a loop over
   * every byte, and names that share both ends and the length only cost a
   * compare more.  Only names seen without a prefix are in the table, so
   * a name found there is its own local name; a new or prefixed name is
   * looked up again without its `prefix:`. */
  len = strlen (name);
  hash = name_hash (name, len);
  iname = find_name (state, name, len, hash);
  if (iname == NULL)
    {
      p = strrchr (element_name, ':');
      if (p != NULL)
        {
          name = p + 1;
          len = strlen (name);
          hash = name_hash (name, len);
        }
      iname = intern_name (state, name, len, hash);
    }

  node = arena_alloc (state->arena, sizeof (BotoXmlNode));
  node->name = iname->str;
  node->name_len = iname->len;
  node->iname = iname;
  node->text = "";
  node->text_len = 0;
  node->attr_names = NULL;
  node->attr_values = NULL;
  node->children = NULL;
  node->last_child = NULL;
  node->next = NULL;
  node->n_children = 0;
  node->arena = NULL;

  if (attribute_names != NULL && attribute_names[0] != NULL)
    {
      guint n = 0;

      while (attribute_names[n] != NULL)
        n++;
      node->attr_names = arena_alloc (state->arena, (n + 1) * sizeof (char *));
      node->attr_values = arena_alloc (state->arena, (n + 1) * sizeof (char *));
      for (guint i = 0; i < n; i++)
        {
          node->attr_names[i] = arena_strndup (state->arena, attribute_names[i], strlen (attribute_names[i]));
          node->attr_values[i] = arena_strndup (state->arena, attribute_values[i], strlen (attribute_values[i]));
        }
      node->attr_names[n] = NULL;
      node->attr_values[n] = NULL;
    }

  if (state->depth == 0)
    state->root = node;
  else
    {
      BotoXmlNode *parent = state->stack[state->depth - 1];

      if (parent->last_child != NULL)
        parent->last_child->next = node;
      else
        parent->children = node;
      parent->last_child = node;
      parent->n_children++;
    }

  state->stack[state->depth++] = node;
}

static void
on_end (GMarkupParseContext  *context,
        const char           *element_name,
        gpointer              user_data,
        GError              **error)
{
  ReadState *state = user_data;

  if (state->depth > 0)
    state->depth--;
}

static void
on_text (GMarkupParseContext  *context,
         const char           *text,
         gsize                 text_len,
         gpointer              user_data,
         GError              **error)
{
  ReadState *state = user_data;
  BotoXmlNode *node;

  if (state->depth == 0 || text_len == 0)
    return;   /* whitespace around the root element */

  node = state->stack[state->depth - 1];
  if (node->text_len == 0)
    node->text = arena_strndup (state->arena, text, text_len);
  else
    {
      /* Text in pieces (around comments, CDATA, children): joined. */
      char *joined = arena_alloc (state->arena, node->text_len + text_len + 1);

      memcpy (joined, node->text, node->text_len);
      memcpy (joined + node->text_len, text, text_len);
      joined[node->text_len + text_len] = '\0';
      node->text = joined;
    }
  node->text_len += text_len;
}

static const GMarkupParser markup_parser = {
  on_start,
  on_end,
  on_text,
  NULL,
  NULL,
};

BotoXmlNode *
boto_xml_parse (const char  *data,
                gsize        length,
                GError     **error)
{
  GMarkupParseContext *context;
  g_autoptr(GError) local_error = NULL;
  ReadState *state;
  BotoXmlNode *root;
  gsize start = 0;

  /* A UTF-8 byte order mark. */
  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    start = 3;

  state = g_new (ReadState, 1);
  state->arena = g_new0 (BotoXmlArena, 1);
  /* Nodes and their copied text take about twice the document. */
  arena_init (state->arena, CLAMP (2 * length, 4096, MAX_SPARE_BLOCK));
  state->root = NULL;
  state->depth = 0;
  memset (state->inline_names, 0, sizeof state->inline_names);
  state->names = state->inline_names;
  state->names_mask = N_INLINE_NAMES - 1;
  state->n_names = 0;

  context = g_markup_parse_context_new (&markup_parser, G_MARKUP_TREAT_CDATA_AS_TEXT, state, NULL);
  if (g_markup_parse_context_parse (context, data + start, length - start, &local_error))
    g_markup_parse_context_end_parse (context, &local_error);
  g_markup_parse_context_free (context);
  if (state->names != state->inline_names)
    g_free (state->names);

  if (local_error == NULL && state->root == NULL)
    g_set_error_literal (&local_error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_RESPONSE,
                         "XML document has no root element");

  if (local_error != NULL)
    {
      if (local_error->domain == BOTO_CLIENT_ERROR)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_RESPONSE,
                     "Invalid XML in response: %s", local_error->message);
      arena_free (state->arena);
      g_free (state);
      return NULL;
    }

  root = state->root;
  root->arena = state->arena;
  g_free (state);
  return root;
}

BotoXmlNode *
boto_xml_node_get_child (BotoXmlNode *node,
                         const char  *name)
{
  return boto_xml_node_get_child_len (node, name, strlen (name));
}

/* The first child named @name (of @name_len bytes). */
BotoXmlNode *
boto_xml_node_get_child_len (BotoXmlNode *node,
                             const char  *name,
                             gsize        name_len)
{
  for (BotoXmlNode *child = node->children; child != NULL; child = child->next)
    if (child->name_len == name_len && memcmp (child->name, name, name_len) == 0)
      return child;

  return NULL;
}

/* The next sibling of @node named @name (of @name_len bytes). */
BotoXmlNode *
boto_xml_node_get_next_len (BotoXmlNode *node,
                            const char  *name,
                            gsize        name_len)
{
  for (node = node->next; node != NULL; node = node->next)
    if (node->name_len == name_len && memcmp (node->name, name, name_len) == 0)
      return node;

  return NULL;
}

/* An attribute by name; prefixes are compared only when both sides have
 * one, so `xsi:type` finds `xsi:type` and `type`. */
const char *
boto_xml_node_get_attribute (BotoXmlNode *node,
                             const char  *name)
{
  const char *fallback = NULL;

  if (node->attr_names == NULL)
    return NULL;

  for (guint i = 0; node->attr_names[i] != NULL; i++)
    {
      const char *attr = node->attr_names[i];

      if (strcmp (attr, name) == 0)
        return node->attr_values[i];
      if (g_str_has_prefix (attr, "xmlns"))
        continue;
      if (fallback == NULL && strcmp (local_name (attr), local_name (name)) == 0)
        fallback = node->attr_values[i];
    }

  return fallback;
}
