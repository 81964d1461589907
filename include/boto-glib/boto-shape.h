/* boto-shape.h: a shape of a service model, as the shape walker sees it
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#if !defined(BOTO_INSIDE) && !defined(BOTO_COMPILATION)
#error "Only <boto-glib/boto-glib.h> can be included directly."
#endif

#include <glib-object.h>

#include "boto-version-macros.h"

G_BEGIN_DECLS

/**
 * BotoShapeType:
 * @BOTO_SHAPE_TYPE_UNKNOWN: a type this version does not know
 * @BOTO_SHAPE_TYPE_STRUCTURE: a structure (`a{sv}`)
 * @BOTO_SHAPE_TYPE_LIST: a list
 * @BOTO_SHAPE_TYPE_MAP: a map with string keys
 * @BOTO_SHAPE_TYPE_STRING: a string, possibly an enum (`s`)
 * @BOTO_SHAPE_TYPE_INTEGER: a 32-bit integer (`i`)
 * @BOTO_SHAPE_TYPE_LONG: a 64-bit integer (`x`)
 * @BOTO_SHAPE_TYPE_FLOAT: a float (`d`)
 * @BOTO_SHAPE_TYPE_DOUBLE: a double (`d`)
 * @BOTO_SHAPE_TYPE_BOOLEAN: a boolean (`b`)
 * @BOTO_SHAPE_TYPE_BLOB: bytes (`ay`)
 * @BOTO_SHAPE_TYPE_TIMESTAMP: a point in time (`x`, microseconds since the epoch)
 * @BOTO_SHAPE_TYPE_CHARACTER: a single character, carried as a string (`s`)
 * @BOTO_SHAPE_TYPE_BYTE: an 8-bit integer (`i`)
 * @BOTO_SHAPE_TYPE_SHORT: a 16-bit integer (`i`)
 * @BOTO_SHAPE_TYPE_DOCUMENT: a free-form JSON document (`v`)
 *
 * The type of a shape, from the `type` field of its definition.
 *
 * Since: 1.0
 */
typedef enum {
  BOTO_SHAPE_TYPE_UNKNOWN,
  BOTO_SHAPE_TYPE_STRUCTURE,
  BOTO_SHAPE_TYPE_LIST,
  BOTO_SHAPE_TYPE_MAP,
  BOTO_SHAPE_TYPE_STRING,
  BOTO_SHAPE_TYPE_INTEGER,
  BOTO_SHAPE_TYPE_LONG,
  BOTO_SHAPE_TYPE_FLOAT,
  BOTO_SHAPE_TYPE_DOUBLE,
  BOTO_SHAPE_TYPE_BOOLEAN,
  BOTO_SHAPE_TYPE_BLOB,
  BOTO_SHAPE_TYPE_TIMESTAMP,
  BOTO_SHAPE_TYPE_CHARACTER,
  BOTO_SHAPE_TYPE_BYTE,
  BOTO_SHAPE_TYPE_SHORT,
  BOTO_SHAPE_TYPE_DOCUMENT,
} BotoShapeType;

#define BOTO_TYPE_SHAPE (boto_shape_get_type ())

BOTO_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (BotoShape, boto_shape, BOTO, SHAPE, GObject)

BOTO_AVAILABLE_IN_1_0
const char    *boto_shape_get_name             (BotoShape  *self);
BOTO_AVAILABLE_IN_1_0
BotoShapeType  boto_shape_get_shape_type       (BotoShape  *self);
BOTO_AVAILABLE_IN_1_0
const char    *boto_shape_get_type_name        (BotoShape  *self);
BOTO_AVAILABLE_IN_1_0
const char    *boto_shape_get_member_name      (BotoShape  *self);
BOTO_AVAILABLE_IN_1_0
const char    *boto_shape_get_location         (BotoShape  *self);
BOTO_AVAILABLE_IN_1_0
const char    *boto_shape_get_location_name    (BotoShape  *self);
BOTO_AVAILABLE_IN_1_0
GVariant      *boto_shape_dup_trait            (BotoShape  *self,
                                                const char *trait);
BOTO_AVAILABLE_IN_1_0
gboolean       boto_shape_get_boolean_trait    (BotoShape  *self,
                                                const char *trait);
BOTO_AVAILABLE_IN_1_0
GVariant      *boto_shape_get_definition       (BotoShape  *self);
BOTO_AVAILABLE_IN_1_0
GStrv          boto_shape_get_member_names     (BotoShape  *self);
BOTO_AVAILABLE_IN_1_0
BotoShape     *boto_shape_get_member           (BotoShape  *self,
                                                const char *name);
BOTO_AVAILABLE_IN_1_0
GStrv          boto_shape_get_required_members (BotoShape  *self);
BOTO_AVAILABLE_IN_1_0
gboolean       boto_shape_is_member_required   (BotoShape  *self,
                                                const char *name);
BOTO_AVAILABLE_IN_1_0
BotoShape     *boto_shape_get_list_member      (BotoShape  *self);
BOTO_AVAILABLE_IN_1_0
BotoShape     *boto_shape_get_map_key          (BotoShape  *self);
BOTO_AVAILABLE_IN_1_0
BotoShape     *boto_shape_get_map_value        (BotoShape  *self);
BOTO_AVAILABLE_IN_1_0
GStrv          boto_shape_get_enum_values      (BotoShape  *self);

G_END_DECLS
