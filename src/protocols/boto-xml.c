/* boto-xml.c: a small XML element tree read with GMarkup
 *
 * The AWS XML protocols need little of XML: elements, their text and
 * attributes, the predefined entities, character references and CDATA.
 * Namespaces are ignored when matching names (as botocore strips them), so
 * every element keeps only its local name.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include "boto-error.h"
#include "boto-xml-private.h"

typedef struct
{
  BotoXmlNode *root;
  GPtrArray   *stack;   /* BotoXmlNode*, borrowed */
  GPtrArray   *texts;   /* GString* per open element */
} ReadState;

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

  g_free (node->name);
  g_free (node->text);
  g_strfreev (node->attr_names);
  g_strfreev (node->attr_values);
  g_ptr_array_unref (node->children);
  g_free (node);
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

  if (state->stack->len >= BOTO_XML_MAX_DEPTH)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_RESPONSE,
                   "XML elements are nested more than %d deep", BOTO_XML_MAX_DEPTH);
      return;
    }
  if (state->stack->len == 0 && state->root != NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_RESPONSE,
                   "XML document has more than one root element");
      return;
    }

  node = g_new0 (BotoXmlNode, 1);
  node->name = g_strdup (local_name (element_name));
  node->attr_names = g_strdupv ((char **) attribute_names);
  node->attr_values = g_strdupv ((char **) attribute_values);
  node->children = g_ptr_array_new_with_free_func ((GDestroyNotify) boto_xml_node_free);

  if (state->stack->len == 0)
    state->root = node;
  else
    g_ptr_array_add (((BotoXmlNode *) g_ptr_array_index (state->stack, state->stack->len - 1))->children, node);

  g_ptr_array_add (state->stack, node);
  g_ptr_array_add (state->texts, g_string_new (NULL));
}

static void
on_end (GMarkupParseContext  *context,
        const char           *element_name,
        gpointer              user_data,
        GError              **error)
{
  ReadState *state = user_data;
  BotoXmlNode *node;
  GString *text;

  if (state->stack->len == 0)
    return;

  node = g_ptr_array_steal_index (state->stack, state->stack->len - 1);
  text = g_ptr_array_steal_index (state->texts, state->texts->len - 1);
  node->text = g_string_free (text, FALSE);
}

static void
on_text (GMarkupParseContext  *context,
         const char           *text,
         gsize                 text_len,
         gpointer              user_data,
         GError              **error)
{
  ReadState *state = user_data;

  if (state->texts->len == 0)
    return;   /* whitespace around the root element */

  g_string_append_len (g_ptr_array_index (state->texts, state->texts->len - 1), text, text_len);
}

static const GMarkupParser markup_parser = {
  on_start,
  on_end,
  on_text,
  NULL,
  NULL,
};

static void
free_string (gpointer data)
{
  g_string_free (data, TRUE);
}

BotoXmlNode *
boto_xml_parse (const char  *data,
                gsize        length,
                GError     **error)
{
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) local_error = NULL;
  ReadState state = { NULL, };
  gsize start = 0;

  /* A UTF-8 byte order mark. */
  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    start = 3;

  state.stack = g_ptr_array_new ();
  state.texts = g_ptr_array_new_with_free_func (free_string);
  context = g_markup_parse_context_new (&markup_parser, G_MARKUP_TREAT_CDATA_AS_TEXT, &state, NULL);

  if (g_markup_parse_context_parse (context, data + start, length - start, &local_error))
    g_markup_parse_context_end_parse (context, &local_error);

  /* Elements still open after an error belong to the tree already. */
  g_ptr_array_unref (state.stack);
  g_ptr_array_unref (state.texts);

  if (local_error == NULL && state.root == NULL)
    g_set_error_literal (&local_error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_RESPONSE,
                         "XML document has no root element");

  if (local_error != NULL)
    {
      if (local_error->domain == BOTO_CLIENT_ERROR)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_RESPONSE,
                     "Invalid XML in response: %s", local_error->message);
      boto_xml_node_free (state.root);
      return NULL;
    }

  return state.root;
}

BotoXmlNode *
boto_xml_node_get_child (BotoXmlNode *node,
                         const char  *name)
{
  for (guint i = 0; i < node->children->len; i++)
    {
      BotoXmlNode *child = g_ptr_array_index (node->children, i);

      if (strcmp (child->name, name) == 0)
        return child;
    }

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
