#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Generate the typed resource classes (BotoS3Bucket, BotoSqsQueue …).

Usage: gen-typed-resources.py MODELS_DIR OUT_H OUT_C SERVICE...

For each SERVICE, reads the newest MODELS_DIR/<service>/<version>/
resources-1.json and its service-2.json and writes one GObject subclass of
BotoResource per resource (and of BotoServiceResource for the service
resource) into OUT_H and OUT_C: identifiers as construct-only properties,
attributes as read-only properties with getters, actions and waiters as
methods (sync and async), references, sub-resources and collections as
methods. Everything forwards to the generic resource layer, which makes
instances of these classes whenever it makes a resource.
"""

import json
import os
import re
import sys

C_KEYWORDS = {
    'auto', 'break', 'case', 'char', 'const', 'continue', 'default', 'do', 'double', 'else', 'enum',
    'extern', 'float', 'for', 'goto', 'if', 'int', 'long', 'register', 'return', 'short', 'signed',
    'sizeof', 'static', 'struct', 'switch', 'typedef', 'union', 'unsigned', 'void', 'volatile',
    'while', 'inline', 'restrict', 'self', 'error', 'cancellable', 'callback', 'user_data', 'params',
    'result',
}
BASE_PROPERTIES = {'client', 'resource-name', 'identifiers', 'data'}
SERVICE_CLASS = {
    's3': 'S3', 'sqs': 'Sqs', 'ec2': 'Ec2', 'iam': 'Iam', 'sns': 'Sns', 'dynamodb': 'Dynamodb',
    'cloudformation': 'Cloudformation', 'cloudwatch': 'Cloudwatch', 'glacier': 'Glacier',
}


def xform(name):
    """botocore's xform_name, as the library's boto_client_xform_name (the
    names botocore spells by hand are operation names, which no resource
    model uses)."""
    if '_' in name:
        return name
    plural = re.search(r'[A-Z]{2,}s$', name)
    if plural is not None:
        name = name[:plural.start()] + '_' + plural.group().lower()
    s = re.sub(r'(.)([A-Z][a-z]+)', r'\1_\2', name)
    return re.sub(r'([a-z0-9])([A-Z])', r'\1_\2', s).lower()


def newest(models, service):
    folder = os.path.join(models, service)
    versions = sorted(v for v in os.listdir(folder)
                      if os.path.exists(os.path.join(folder, v, 'resources-1.json')))
    return os.path.join(folder, versions[-1])


class Names:
    """boto3's load_rename_map: names that clash get a `_<category>` suffix."""

    def __init__(self, definition, has, shape_members):
        self.taken = {'meta'}
        self.renamed = {}
        if definition.get('load'):
            self.taken.add('load')
        for item in definition.get('identifiers', []):
            self.claim(item['name'], 'identifier')
        for name in definition.get('actions', {}):
            self.claim(name, 'action')
        for name, ref in has.items():
            if needs_data(ref):
                self.claim(name, 'reference')
            else:
                self.claim(name, 'subresource', snake=False)
        for name in definition.get('hasMany', {}):
            self.claim(name, 'collection')
        for name in definition.get('waiters', {}):
            self.claim('WaitUntil' + name, 'waiter')
        for name in shape_members:
            self.claim(name, 'attribute')

    def claim(self, name, category, snake=True):
        if snake:
            name = xform(name)
        if name in self.taken:
            self.renamed[(category, name)] = name + '_' + category
            name += '_' + category
        self.taken.add(name)

    def get(self, category, name, snake=True):
        if snake:
            name = xform(name)
        return self.renamed.get((category, name), name)


def needs_data(has_def):
    return any(i.get('source') == 'data' for i in has_def.get('resource', {}).get('identifiers', []))


def has_definition(resource_name, definition, resources, is_service):
    if not is_service:
        return definition.get('has', {})
    result = {}
    for name, rdef in resources.items():
        found = False
        for has_name, has_def in definition.get('has', {}).items():
            if has_def.get('resource', {}).get('type') == name:
                result[has_name] = has_def
                found = True
        if not found:
            result[name] = {'resource': {'type': name, 'identifiers': [
                {'target': i['name'], 'source': 'input'} for i in rdef.get('identifiers', [])]}}
    return result


def is_plural(resource_def):
    for identifier in resource_def.get('identifiers', []):
        if identifier.get('source') in ('response', 'requestParameter') and '[' in identifier.get('path', ''):
            return True
    return False


def c_string(text):
    return '"' + text.replace('\\', '\\\\').replace('"', '\\"') + '"'


class Class:
    def __init__(self, service, name, definition, resources, shapes, is_service):
        self.service = service
        self.name = name
        self.definition = definition
        self.resources = resources
        self.shapes = shapes
        self.is_service = is_service
        svc = SERVICE_CLASS[service]
        self.rname = 'ServiceResource' if is_service else name
        self.ctype = 'Boto' + svc + self.rname
        self.prefix = 'boto_' + service + '_' + xform(self.rname)
        self.macro = ('BOTO_' + service + '_' + xform(self.rname)).upper()
        self.type_macro = 'BOTO_TYPE_' + (service + '_' + xform(self.rname)).upper()
        self.parent = 'BotoServiceResource' if is_service else 'BotoResource'
        self.parent_type = 'BOTO_TYPE_SERVICE_RESOURCE' if is_service else 'BOTO_TYPE_RESOURCE'
        self.has = has_definition(name, definition, resources, is_service)
        shape = shapes.get(definition.get('shape', ''), {}) if definition.get('shape') else {}
        self.members = shape.get('members', {})
        self.names = Names(definition, self.has, self.members)
        self.functions = {'get_type', 'new'}
        self.properties = set(BASE_PROPERTIES)

    def fn(self, suffix):
        name = suffix
        while name in self.functions:
            name += '_'
        self.functions.add(name)
        return name

    def prop(self, snake):
        name = snake.replace('_', '-')
        while name in self.properties:
            name += '-attribute'
        self.properties.add(name)
        return name

    def typed_class(self, resource_name):
        return 'Boto' + SERVICE_CLASS[self.service] + resource_name

    def typed_macro(self, resource_name):
        return ('BOTO_' + self.service + '_' + xform(resource_name)).upper()


def attribute_kind(shapes, member):
    target = shapes.get(member.get('shape', ''), {})
    kind = target.get('type')
    if kind == 'string':
        return 'string'
    if kind == 'boolean':
        return 'boolean'
    if kind in ('integer', 'long'):
        return 'int64'
    if kind in ('float', 'double'):
        return 'double'
    if kind == 'timestamp':
        return 'timestamp'
    return 'variant'


def generate(models, services):
    h = []
    c = []
    lookup = []

    h.append('''/* boto-typed-resources.h: generated by tools/gen-typed-resources.py; do not edit
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#if !defined(BOTO_INSIDE) && !defined(BOTO_COMPILATION)
#error "Only <boto-glib/boto-glib.h> can be included directly."
#endif

#include <gio/gio.h>

#include "boto-version-macros.h"
#include "boto-resource.h"
#include "boto-collection.h"

G_BEGIN_DECLS
''')
    c.append('''/* boto-typed-resources.c: generated by tools/gen-typed-resources.py; do not edit
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include "boto-error.h"
#include "boto-resource-private.h"
#include "boto-typed-resources.h"

static GPtrArray *
typed_resources (BotoActionResult *result)
{
  GPtrArray *resources = boto_action_result_get_resources (result);

  return resources != NULL ? g_ptr_array_ref (resources) : g_ptr_array_new_with_free_func (g_object_unref);
}

static gpointer
typed_resource (BotoActionResult *result)
{
  BotoResource *resource = boto_action_result_get_resource (result);

  return resource != NULL ? g_object_ref (resource) : NULL;
}

static GVariant *
typed_response (BotoActionResult *result)
{
  GVariant *response = boto_action_result_get_response (result);

  return response != NULL ? g_variant_ref (response) :
         g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
}

/* A property read of an attribute: loads on first read, as boto3 does; a
 * failed load leaves the property at its default. */
static GVariant *
typed_attribute (gpointer    self,
                 const char *name)
{
  g_autoptr(GError) error = NULL;
  GVariant *value = boto_resource_get_attribute (BOTO_RESOURCE (self), name, &error);

  if (error != NULL)
    g_debug ("Reading %s: %s", name, error->message);
  return value;
}

static void
typed_set_value (GValue   *value,
                 GVariant *variant)
{
  if (variant == NULL)
    return;
  switch (G_VALUE_TYPE (value))
    {
    case G_TYPE_STRING:
      if (g_variant_is_of_type (variant, G_VARIANT_TYPE_STRING))
        g_value_set_string (value, g_variant_get_string (variant, NULL));
      break;
    case G_TYPE_BOOLEAN:
      if (g_variant_is_of_type (variant, G_VARIANT_TYPE_BOOLEAN))
        g_value_set_boolean (value, g_variant_get_boolean (variant));
      break;
    case G_TYPE_INT64:
      if (g_variant_is_of_type (variant, G_VARIANT_TYPE_INT64))
        g_value_set_int64 (value, g_variant_get_int64 (variant));
      else if (g_variant_is_of_type (variant, G_VARIANT_TYPE_INT32))
        g_value_set_int64 (value, g_variant_get_int32 (variant));
      break;
    case G_TYPE_DOUBLE:
      if (g_variant_is_of_type (variant, G_VARIANT_TYPE_DOUBLE))
        g_value_set_double (value, g_variant_get_double (variant));
      else if (g_variant_is_of_type (variant, G_VARIANT_TYPE_INT64))
        g_value_set_double (value, g_variant_get_int64 (variant));
      else if (g_variant_is_of_type (variant, G_VARIANT_TYPE_INT32))
        g_value_set_double (value, g_variant_get_int32 (variant));
      break;
    default:
      if (G_VALUE_HOLDS_VARIANT (value))
        g_value_set_variant (value, variant);
      break;
    }
}
''')

    for service in services:
        folder = newest(models, service)
        with open(os.path.join(folder, 'resources-1.json')) as f:
            rmodel = json.load(f)
        with open(os.path.join(folder, 'service-2.json')) as f:
            smodel = json.load(f)
        resources = rmodel.get('resources', {})
        shapes = smodel.get('shapes', {})
        classes = [Class(service, service, rmodel.get('service', {}), resources, shapes, True)]
        classes += [Class(service, name, d, resources, shapes, False) for name, d in resources.items()]
        # Classes name each other before they are declared.
        for cls in classes:
            h.append('typedef struct _%s %s;\n' % (cls.ctype, cls.ctype))
        for cls in classes:
            emit_class(cls, h, c)
            lookup.append((service, cls.rname, cls.type_macro))

    h.append('G_END_DECLS\n')
    c.append('''GType
boto_typed_resource_lookup (const char *service_name,
                            const char *resource_name)
{
''')
    for service, rname, type_macro in lookup:
        c.append('  if (strcmp (service_name, %s) == 0 && strcmp (resource_name, %s) == 0)\n'
                 '    return %s;\n' % (c_string(service), c_string(rname), type_macro))
    c.append('  return G_TYPE_INVALID;\n}\n')
    return ''.join(h), ''.join(c)


def doc(lines, symbol, params, body, returns=None):
    out = ['/**\n', ' * %s:\n' % symbol]
    for name, text in params:
        out.append(' * @%s: %s\n' % (name, text))
    out.append(' *\n')
    for line in body:
        out.append(' * %s\n' % line if line else ' *\n')
    out.append(' *\n')
    if returns:
        out.append(' * Returns: %s\n *\n' % returns)
    out.append(' * Since: 1.0\n */\n')
    lines.append(''.join(out))


def emit_class(cls, h, c):
    d = cls.definition
    T, P, M = cls.ctype, cls.prefix, cls.macro
    identifiers = d.get('identifiers', [])
    shapes = cls.shapes

    h.append('\n#define %s (%s_get_type ())\n' % (cls.type_macro, P))
    h.append('BOTO_AVAILABLE_IN_1_0\nG_DECLARE_FINAL_TYPE (%s, %s, %s, %s)\n'
             % (T, P, M.replace('BOTO_', '', 1), cls.parent) if False else
             'BOTO_AVAILABLE_IN_1_0\nG_DECLARE_FINAL_TYPE (%s, %s, BOTO, %s, %s)\n'
             % (T, P, M[len('BOTO_'):], cls.parent))

    what = ('the %s service resource' % cls.service) if cls.is_service else ('a %s %s' % (cls.service, cls.name))
    c.append('\n/* %s */\n\n' % T)
    doc(c, T, [], ['The typed class of %s (boto3\'s `%s.%s`), generated from' % (
        what, cls.service, cls.rname), 'the resource model. It adds typed properties and methods to',
        '[class@Boto.%s]; every generic method works on it too.' % cls.parent[4:]])
    c.append('struct _%s\n{\n  %s parent_instance;\n};\n\n' % (T, cls.parent))
    c.append('G_DEFINE_FINAL_TYPE (%s, %s, %s)\n\n' % (T, P, cls.parent_type))

    # Properties: identifiers (construct-only), attributes (read-only).
    props = []   # (enum, name, kind, model_name, is_identifier, index)
    for index, identifier in enumerate(identifiers):
        snake = cls.names.get('identifier', identifier['name'])
        props.append(('PROP_%s_%d' % (P[5:].upper(), len(props) + 1), cls.prop(snake), 'string',
                      identifier['name'], True, index, snake))
    identifier_snakes = {cls.names.get('identifier', i['name']) for i in identifiers}
    attributes = []
    for member_name, member in cls.members.items():
        snake = xform(member_name)
        if snake in identifier_snakes:
            continue
        snake = cls.names.get('attribute', snake, snake=False)
        kind = attribute_kind(shapes, member)
        props.append(('PROP_%s_%d' % (P[5:].upper(), len(props) + 1), cls.prop(snake), kind,
                      member_name, False, -1, snake))
        attributes.append((snake, member_name))

    enum_prefix = 'PROP_%s_' % P[5:].upper()
    if props:
        c.append('enum {\n  %s0,\n' % enum_prefix)
        for p in props:
            c.append('  %s,\n' % p[0])
        c.append('  %sN\n};\n\nstatic GParamSpec *%s_properties[%sN];\n\n' % (enum_prefix, P, enum_prefix))

    c.append('static void\n%s_get_property (GObject    *object,\n%s guint       prop_id,\n'
             '%s GValue     *value,\n%s GParamSpec *pspec)\n{\n' % (P, ' ' * (len(P) + 13),
                                                                     ' ' * (len(P) + 13), ' ' * (len(P) + 13)))
    if props:
        c.append('  switch (prop_id)\n    {\n')
        for enum, name, kind, model_name, is_id, index, snake in props:
            c.append('    case %s:\n' % enum)
            if is_id:
                c.append('      g_value_set_string (value, boto_resource_get_identifier_string (BOTO_RESOURCE (object), %s));\n'
                         % c_string(model_name))
            else:
                c.append('      {\n        g_autoptr(GVariant) v = typed_attribute (object, %s);\n\n'
                         '        typed_set_value (value, v);\n      }\n' % c_string(model_name))
            c.append('      break;\n')
        c.append('    default:\n      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);\n    }\n}\n\n')
    else:
        c.append('  G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);\n}\n\n')

    c.append('static void\n%s_set_property (GObject      *object,\n%s guint         prop_id,\n'
             '%s const GValue *value,\n%s GParamSpec   *pspec)\n{\n' % (P, ' ' * (len(P) + 13),
                                                                       ' ' * (len(P) + 13), ' ' * (len(P) + 13)))
    id_props = [p for p in props if p[4]]
    if id_props:
        c.append('  switch (prop_id)\n    {\n')
        for enum, name, kind, model_name, is_id, index, snake in id_props:
            c.append('    case %s:\n      if (g_value_get_string (value) != NULL)\n'
                     '        boto_resource_set_identifier_at (BOTO_RESOURCE (object), %d,\n'
                     '                                         g_variant_new_string (g_value_get_string (value)));\n'
                     '      break;\n' % (enum, index))
        c.append('    default:\n      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);\n    }\n}\n\n')
    else:
        c.append('  G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);\n}\n\n')

    c.append('static void\n%s_class_init (%sClass *klass)\n{\n' % (P, T))
    c.append('  GObjectClass *object_class = G_OBJECT_CLASS (klass);\n\n')
    c.append('  object_class->get_property = %s_get_property;\n' % P)
    c.append('  object_class->set_property = %s_set_property;\n' % P)
    c.append('  BOTO_RESOURCE_CLASS (klass)->service_name = %s;\n' % c_string(cls.service))
    c.append('  BOTO_RESOURCE_CLASS (klass)->resource_name = %s;\n\n' % (
        'NULL' if cls.is_service else c_string(cls.name)))
    for enum, name, kind, model_name, is_id, index, snake in props:
        c.append('  /**\n   * %s:%s:\n   *\n' % (T, name))
        if is_id:
            c.append('   * The identifier `%s` (`%s`).\n   *\n   * Since: 1.0\n   */\n' % (snake, model_name))
            c.append('  %s_properties[%s] =\n    g_param_spec_string (%s, NULL, NULL, NULL,\n'
                     '                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);\n'
                     % (P, enum, c_string(name)))
            continue
        c.append('   * The attribute `%s` (`%s`), loaded on first read.\n   *\n   * Since: 1.0\n   */\n'
                 % (snake, model_name))
        flags = 'G_PARAM_READABLE | G_PARAM_STATIC_STRINGS'
        if kind == 'string':
            spec = 'g_param_spec_string (%s, NULL, NULL, NULL, %s)' % (c_string(name), flags)
        elif kind == 'boolean':
            spec = 'g_param_spec_boolean (%s, NULL, NULL, FALSE, %s)' % (c_string(name), flags)
        elif kind in ('int64', 'timestamp'):
            spec = 'g_param_spec_int64 (%s, NULL, NULL, G_MININT64, G_MAXINT64, 0, %s)' % (c_string(name), flags)
        elif kind == 'double':
            spec = 'g_param_spec_double (%s, NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, %s)' % (c_string(name), flags)
        else:
            spec = 'g_param_spec_variant (%s, NULL, NULL, G_VARIANT_TYPE_ANY, NULL, %s)' % (c_string(name), flags)
        c.append('  %s_properties[%s] =\n    %s;\n' % (P, enum, spec))
    if props:
        c.append('\n  g_object_class_install_properties (object_class, %sN, %s_properties);\n' % (enum_prefix, P))
    c.append('}\n\nstatic void\n%s_init (%s *self)\n{\n}\n\n' % (P, T))

    # Identifier getters.
    for enum, name, kind, model_name, is_id, index, snake in props:
        if not is_id:
            continue
        f = cls.fn('get_' + snake)
        h.append('BOTO_AVAILABLE_IN_1_0\nconst char *%s_%s (%s *self);\n' % (P, f, T))
        doc(c, '%s_%s' % (P, f), [('self', 'a #%s' % T)], ['The identifier `%s`.' % snake],
            '(nullable): the identifier')
        c.append('const char *\n%s_%s (%s *self)\n{\n  g_return_val_if_fail (%s (self), NULL);\n'
                 '  return boto_resource_get_identifier_string (BOTO_RESOURCE (self), %s);\n}\n\n'
                 % (P, f, T, M.replace('BOTO_', 'BOTO_IS_', 1), c_string(model_name)))

    is_macro = M.replace('BOTO_', 'BOTO_IS_', 1)

    # Attribute getters.
    for snake, member_name in attributes:
        f = cls.fn('dup_' + snake)
        h.append('BOTO_AVAILABLE_IN_1_0\nGVariant *%s_%s (%s *self, GError **error);\n' % (P, f, T))
        doc(c, '%s_%s' % (P, f), [('self', 'a #%s' % T), ('error', 'return location for a #GError')],
            ['Reads the attribute `%s` (`%s`), loading the resource first if' % (snake, member_name),
             'nothing is loaded: [method@Boto.Resource.get_attribute].'],
            '(transfer full) (nullable): the value, or %NULL when absent or on error')
        c.append('GVariant *\n%s_%s (%s *self, GError **error)\n{\n  g_return_val_if_fail (%s (self), NULL);\n'
                 '  return boto_resource_get_attribute (BOTO_RESOURCE (self), %s, error);\n}\n\n'
                 % (P, f, T, is_macro, c_string(member_name)))

    # Actions.
    actions = dict(d.get('actions', {}))
    if cls.service == 'ec2' and cls.name == 'Instance':
        actions.setdefault('DeleteTags', {'request': {'operation': 'DeleteTags'}})
    for action_name, action in actions.items():
        snake = cls.names.get('action', action_name)
        resource = action.get('resource')
        if cls.service == 'ec2' and cls.is_service and action_name == 'CreateTags':
            resource = {'type': 'Tag', 'identifiers': [{'source': 'response', 'path': '[]'}]}
        if resource is not None and is_plural(resource):
            ret_type, ret_anno, convert = ('GPtrArray *', '(transfer container) (element-type %s): the resources, or %%NULL with @error set'
                                           % cls.typed_class(resource['type']), 'typed_resources')
        elif resource is not None:
            ret_type, ret_anno, convert = ('%s *' % cls.typed_class(resource['type']),
                                           '(transfer full) (nullable): the resource, or %NULL (with @error set on error)',
                                           'typed_resource')
        else:
            ret_type, ret_anno, convert = ('GVariant *', '(transfer full): the response, or %NULL with @error set',
                                           'typed_response')
        f = cls.fn(snake)
        fa = cls.fn(snake + '_async')
        ff = cls.fn(snake + '_finish')
        h.append('BOTO_AVAILABLE_IN_1_0\n%s%s_%s (%s *self, GVariant *params, GCancellable *cancellable, GError **error);\n'
                 % (ret_type, P, f, T))
        h.append('BOTO_AVAILABLE_IN_1_0\nvoid %s_%s (%s *self, GVariant *params, GCancellable *cancellable, '
                 'GAsyncReadyCallback callback, gpointer user_data);\n' % (P, fa, T))
        h.append('BOTO_AVAILABLE_IN_1_0\n%s%s_%s (%s *self, GAsyncResult *result, GError **error);\n'
                 % (ret_type, P, ff, T))
        doc(c, '%s_%s' % (P, f), [('self', 'a #%s' % T),
                                  ('params', '(nullable): more request parameters, `a{sv}`; a floating reference is consumed'),
                                  ('cancellable', '(nullable): a #GCancellable'),
                                  ('error', 'return location for a #GError')],
            ['The action `%s` (`%s`): [method@Boto.Resource.call_action_full].' % (snake, action_name)], ret_anno)
        c.append('%s\n%s_%s (%s *self, GVariant *params, GCancellable *cancellable, GError **error)\n{\n'
                 '  g_autoptr(BotoActionResult) result = NULL;\n\n'
                 '  g_return_val_if_fail (%s (self), NULL);\n'
                 '  result = boto_resource_call_action_full (BOTO_RESOURCE (self), %s, params, cancellable, error);\n'
                 '  if (result == NULL)\n    return NULL;\n  return %s (result);\n}\n\n'
                 % (ret_type.strip(), P, f, T, is_macro, c_string(action_name), convert))
        doc(c, '%s_%s' % (P, fa), [('self', 'a #%s' % T),
                                   ('params', '(nullable): more request parameters, `a{sv}`; a floating reference is consumed'),
                                   ('cancellable', '(nullable): a #GCancellable'),
                                   ('callback', '(scope async): called when the action is done'),
                                   ('user_data', 'data for @callback')],
            ['The asynchronous form of [method@Boto.%s.%s].' % (T[4:], f)])
        c.append('void\n%s_%s (%s *self, GVariant *params, GCancellable *cancellable, GAsyncReadyCallback callback, '
                 'gpointer user_data)\n{\n  g_return_if_fail (%s (self));\n'
                 '  boto_resource_call_action_full_async (BOTO_RESOURCE (self), %s, params, cancellable, callback, user_data);\n}\n\n'
                 % (P, fa, T, is_macro, c_string(action_name)))
        doc(c, '%s_%s' % (P, ff), [('self', 'a #%s' % T), ('result', 'the result given to the callback'),
                                   ('error', 'return location for a #GError')],
            ['Finishes [method@Boto.%s.%s].' % (T[4:], fa)], ret_anno)
        c.append('%s\n%s_%s (%s *self, GAsyncResult *result, GError **error)\n{\n'
                 '  g_autoptr(BotoActionResult) action_result = NULL;\n\n'
                 '  g_return_val_if_fail (%s (self), NULL);\n'
                 '  action_result = boto_resource_call_action_full_finish (BOTO_RESOURCE (self), result, error);\n'
                 '  if (action_result == NULL)\n    return NULL;\n  return %s (action_result);\n}\n\n'
                 % (ret_type.strip(), P, ff, T, is_macro, convert))

    # References and sub-resources.
    for has_name, has_def in cls.has.items():
        rtype = has_def.get('resource', {}).get('type')
        if rtype is None:
            continue
        target_class = cls.typed_class(rtype)
        if needs_data(has_def):
            snake = cls.names.get('reference', has_name)
            f = cls.fn('dup_' + snake)
            h.append('BOTO_AVAILABLE_IN_1_0\n%s *%s_%s (%s *self, GCancellable *cancellable, GError **error);\n'
                     % (target_class, P, f, T))
            doc(c, '%s_%s' % (P, f), [('self', 'a #%s' % T), ('cancellable', '(nullable): a #GCancellable'),
                                      ('error', 'return location for a #GError')],
                ['The reference `%s`: [method@Boto.Resource.get_reference].' % snake],
                '(transfer full) (nullable): the resource, or %NULL when the data does not name it')
            c.append('%s *\n%s_%s (%s *self, GCancellable *cancellable, GError **error)\n{\n'
                     '  g_return_val_if_fail (%s (self), NULL);\n'
                     '  return (%s *) boto_resource_get_reference (BOTO_RESOURCE (self), %s, cancellable, error);\n}\n\n'
                     % (target_class, P, f, T, is_macro, target_class, c_string(has_name)))
            continue
        inputs = [i for i in has_def.get('resource', {}).get('identifiers', []) if i.get('source') == 'input']
        f = cls.fn(xform(has_name))
        args = []
        for i in inputs:
            arg = xform(i['target'])
            if arg in C_KEYWORDS:
                arg += '_'
            args.append(arg)
        arglist = ''.join('const char *%s, ' % a for a in args)
        h.append('BOTO_AVAILABLE_IN_1_0\n%s *%s_%s (%s *self, %sGError **error);\n' % (target_class, P, f, T, arglist))
        doc(c, '%s_%s' % (P, f), [('self', 'a #%s' % T)] + [(a, 'the identifier `%s`' % xform(i['target']))
                                                            for a, i in zip(args, inputs)]
            + [('error', 'return location for a #GError')],
            ['The sub-resource `%s`: [method@Boto.Resource.get_sub_resource].' % has_name],
            '(transfer full): the resource, or %NULL with @error set')
        c.append('%s *\n%s_%s (%s *self, %sGError **error)\n{\n' % (target_class, P, f, T, arglist))
        c.append('  const char *values[] = { %s };\n' % ', '.join(args + ['NULL']))
        c.append('\n  g_return_val_if_fail (%s (self), NULL);\n' % is_macro)
        for a in args:
            c.append('  g_return_val_if_fail (%s != NULL, NULL);\n' % a)
        c.append('  return (%s *) boto_resource_get_sub_resource (BOTO_RESOURCE (self), %s,\n'
                 '                                                 g_variant_new_strv (values, %d), error);\n}\n\n'
                 % (target_class, c_string(has_name), len(args)))

    # Collections.
    for coll_name in d.get('hasMany', {}):
        snake = cls.names.get('collection', coll_name)
        f = cls.fn(snake)
        h.append('BOTO_AVAILABLE_IN_1_0\nBotoCollection *%s_%s (%s *self);\n' % (P, f, T))
        doc(c, '%s_%s' % (P, f), [('self', 'a #%s' % T)],
            ['The collection `%s`: [method@Boto.Resource.get_collection]. Nothing is sent' % snake,
             'until it is iterated.'], '(transfer full): the collection')
        c.append('BotoCollection *\n%s_%s (%s *self)\n{\n  g_return_val_if_fail (%s (self), NULL);\n'
                 '  return boto_resource_get_collection (BOTO_RESOURCE (self), %s, NULL);\n}\n\n'
                 % (P, f, T, is_macro, c_string(coll_name)))

    # Waiters.
    for waiter_name in d.get('waiters', {}):
        snake = cls.names.get('waiter', 'WaitUntil' + waiter_name)
        f = cls.fn(snake)
        fa = cls.fn(snake + '_async')
        ff = cls.fn(snake + '_finish')
        h.append('BOTO_AVAILABLE_IN_1_0\ngboolean %s_%s (%s *self, GVariant *params, GCancellable *cancellable, GError **error);\n'
                 % (P, f, T))
        h.append('BOTO_AVAILABLE_IN_1_0\nvoid %s_%s (%s *self, GVariant *params, GCancellable *cancellable, '
                 'GAsyncReadyCallback callback, gpointer user_data);\n' % (P, fa, T))
        h.append('BOTO_AVAILABLE_IN_1_0\ngboolean %s_%s (%s *self, GAsyncResult *result, GError **error);\n' % (P, ff, T))
        doc(c, '%s_%s' % (P, f), [('self', 'a #%s' % T),
                                  ('params', '(nullable): more parameters and `WaiterConfig`, `a{sv}`; a floating reference is consumed'),
                                  ('cancellable', '(nullable): a #GCancellable'),
                                  ('error', 'return location for a #GError')],
            ['The waiter `%s`: [method@Boto.Resource.wait].' % snake], '%TRUE when the waiter succeeded')
        c.append('gboolean\n%s_%s (%s *self, GVariant *params, GCancellable *cancellable, GError **error)\n{\n'
                 '  g_return_val_if_fail (%s (self), FALSE);\n'
                 '  return boto_resource_wait (BOTO_RESOURCE (self), %s, params, cancellable, error);\n}\n\n'
                 % (P, f, T, is_macro, c_string(waiter_name)))
        doc(c, '%s_%s' % (P, fa), [('self', 'a #%s' % T),
                                   ('params', '(nullable): more parameters and `WaiterConfig`, `a{sv}`; a floating reference is consumed'),
                                   ('cancellable', '(nullable): a #GCancellable'),
                                   ('callback', '(scope async): called when the waiter is done'),
                                   ('user_data', 'data for @callback')],
            ['The asynchronous form of [method@Boto.%s.%s].' % (T[4:], f)])
        c.append('void\n%s_%s (%s *self, GVariant *params, GCancellable *cancellable, GAsyncReadyCallback callback, '
                 'gpointer user_data)\n{\n  g_return_if_fail (%s (self));\n'
                 '  boto_resource_wait_async (BOTO_RESOURCE (self), %s, params, cancellable, callback, user_data);\n}\n\n'
                 % (P, fa, T, is_macro, c_string(waiter_name)))
        doc(c, '%s_%s' % (P, ff), [('self', 'a #%s' % T), ('result', 'the result given to the callback'),
                                   ('error', 'return location for a #GError')],
            ['Finishes [method@Boto.%s.%s].' % (T[4:], fa)], '%TRUE when the waiter succeeded')
        c.append('gboolean\n%s_%s (%s *self, GAsyncResult *result, GError **error)\n{\n'
                 '  g_return_val_if_fail (%s (self), FALSE);\n'
                 '  return boto_resource_wait_finish (BOTO_RESOURCE (self), result, error);\n}\n\n'
                 % (P, ff, T, is_macro))


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    models, out_h, out_c = sys.argv[1:4]
    header, source = generate(models, sys.argv[4:])
    with open(out_h, 'w') as f:
        f.write(header)
    with open(out_c, 'w') as f:
        f.write(source)


if __name__ == '__main__':
    main()
