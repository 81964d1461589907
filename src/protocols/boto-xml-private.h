/* boto-xml-private.h: a small XML element tree read with GMarkup, for the
 * response parsers of the XML protocols (query, ec2, rest-xml)
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Documents nested deeper than this are refused, so that every walk over
 * the tree may recurse without risking the stack. */
#define BOTO_XML_MAX_DEPTH 256

typedef struct _BotoXmlNode  BotoXmlNode;
typedef struct _BotoXmlName  BotoXmlName;
typedef struct _BotoXmlArena BotoXmlArena;

/* An element name, stored once per document however many elements carry
 * it.  A reader of the tree may remember one fact about the name in
 * cache_key/cache_value (e.g. which member of a structure it names). */
struct _BotoXmlName
{
  const char    *str;
  gsize          len;
  guint          hash;
  gconstpointer  cache_key;
  guint          cache_value;
};

/* Every node and string of a document lives in one arena, which the root
 * owns: only a root is ever freed, and that frees the whole tree. */
struct _BotoXmlNode
{
  const char    *name;        /* the local name: any `prefix:` removed */
  gsize          name_len;
  BotoXmlName   *iname;       /* the same, shared by the document's elements of that name */
  const char    *text;        /* the character data directly inside, entities and CDATA decoded,
                               * valid UTF-8 without NUL (GMarkup checks); never NULL */
  gsize          text_len;
  const char   **attr_names;  /* as written, `prefix:` kept; NULL when there are none */
  const char   **attr_values;
  BotoXmlNode   *children;    /* the first child; the others follow through next */
  BotoXmlNode   *last_child;
  BotoXmlNode   *next;
  guint          n_children;
  BotoXmlArena  *arena;       /* the root's only */
};

BotoXmlNode *boto_xml_parse              (const char   *data,
                                          gsize         length,
                                          GError      **error);
void         boto_xml_node_free          (BotoXmlNode  *node);
BotoXmlNode *boto_xml_node_get_child     (BotoXmlNode  *node,
                                          const char   *name);
BotoXmlNode *boto_xml_node_get_child_len (BotoXmlNode  *node,
                                          const char   *name,
                                          gsize         name_len);
BotoXmlNode *boto_xml_node_get_next_len  (BotoXmlNode  *node,
                                          const char   *name,
                                          gsize         name_len);
const char  *boto_xml_node_get_attribute (BotoXmlNode  *node,
                                          const char   *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BotoXmlNode, boto_xml_node_free)

G_END_DECLS
