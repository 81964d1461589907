/* boto-shape.c: a shape of a service model, as the shape walker sees it
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include "boto-model-private.h"

/**
 * BotoShape:
 *
 * A shape of a service model: a structure, list, map or scalar, as reached
 * from the model (through [method@Boto.ServiceModel.get_shape] or
 * [method@Boto.OperationModel.get_input_shape]) or through a member of
 * another shape.
 *
 * A shape reached through a member also carries the member's traits (its
 * `location`, `locationName`, `xmlNamespace` …), which take precedence over
 * the traits of the shape itself, as in botocore.
 *
 * Shapes are immutable and safe to use from any thread. The shapes returned
 * by the walker are owned by their parent and live as long as it does; walking
 * the same path twice returns the same objects and allocates nothing.
 *
 * Since: 1.0
 */

struct _BotoShape
{
  GObject         parent_instance;

  BotoModelData  *data;
  BotoShapeDef   *def;
  BotoMemberDef  *member;     /* the member this shape was reached through, or NULL */
  BotoShape     **children;   /* one per def->members entry, created on first use */
};

G_DEFINE_FINAL_TYPE (BotoShape, boto_shape, G_TYPE_OBJECT)

static void
boto_shape_finalize (GObject *object)
{
  BotoShape *self = BOTO_SHAPE (object);

  if (self->children != NULL)
    for (guint i = 0; i < self->def->n_members; i++)
      g_clear_object (&self->children[i]);
  g_clear_pointer (&self->children, g_free);
  g_clear_pointer (&self->data, boto_model_data_unref);

  G_OBJECT_CLASS (boto_shape_parent_class)->finalize (object);
}

static void
boto_shape_class_init (BotoShapeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = boto_shape_finalize;
}

static void
boto_shape_init (BotoShape *self)
{
}

BotoShape *
boto_shape_new_for_def (BotoModelData *data,
                        BotoShapeDef  *def)
{
  BotoShape *self = g_object_new (BOTO_TYPE_SHAPE, NULL);

  self->data = boto_model_data_ref (data);
  self->def = def;
  if (def->n_members > 0)
    self->children = g_new0 (BotoShape *, def->n_members);

  return self;
}

/* Returns NULL if the member names a shape the model lacks. */
BotoShape *
boto_shape_new_for_member (BotoModelData *data,
                           BotoMemberDef *member)
{
  BotoShapeDef *target = boto_member_def_get_target (data, member);
  BotoShape *self;

  if (target == NULL)
    return NULL;

  self = boto_shape_new_for_def (data, target);
  self->member = member;
  return self;
}

BotoShapeDef *
boto_shape_get_def (BotoShape *self)
{
  return self->def;
}

BotoMemberDef *
boto_shape_get_member_def (BotoShape *self)
{
  return self->member;
}

static BotoShape *
get_child (BotoShape *self,
           guint      index)
{
  BotoShape *child;

  if (index >= self->def->n_members)
    return NULL;

  child = g_atomic_pointer_get (&self->children[index]);
  if (child == NULL)
    {
      child = boto_shape_new_for_member (self->data, &self->def->members[index]);
      if (child == NULL)
        return NULL;
      if (!g_atomic_pointer_compare_and_exchange (&self->children[index], NULL, child))
        {
          /* Another thread was first. */
          g_object_unref (child);
          child = g_atomic_pointer_get (&self->children[index]);
        }
    }

  return child;
}

/**
 * boto_shape_get_name:
 * @self: a shape
 *
 * Gets the shape's name in the model.
 *
 * Returns: the shape's name in the model, such as `RunInstancesRequest`
 *
 * Since: 1.0
 */
const char *
boto_shape_get_name (BotoShape *self)
{
  g_return_val_if_fail (BOTO_IS_SHAPE (self), NULL);

  return self->def->name;
}

/**
 * boto_shape_get_shape_type:
 * @self: a shape
 *
 * Gets the type of the shape.
 *
 * Returns: the type of the shape
 *
 * Since: 1.0
 */
BotoShapeType
boto_shape_get_shape_type (BotoShape *self)
{
  g_return_val_if_fail (BOTO_IS_SHAPE (self), BOTO_SHAPE_TYPE_UNKNOWN);

  return self->def->type;
}

/**
 * boto_shape_get_type_name:
 * @self: a shape
 *
 * Gets the type of the shape as the model spells it.
 *
 * Returns: (nullable): the type as the model spells it (`structure`,
 *   `string` …), even one that [enum@Boto.ShapeType] does not know
 *
 * Since: 1.0
 */
const char *
boto_shape_get_type_name (BotoShape *self)
{
  g_return_val_if_fail (BOTO_IS_SHAPE (self), NULL);

  return self->def->type_name;
}

/**
 * boto_shape_get_member_name:
 * @self: a shape
 *
 * Gets the name of the structure member the shape was reached through.
 *
 * Returns: (nullable): the name of the structure member this shape was
 *   reached through, or %NULL for a shape not reached through a named member
 *
 * Since: 1.0
 */
const char *
boto_shape_get_member_name (BotoShape *self)
{
  g_return_val_if_fail (BOTO_IS_SHAPE (self), NULL);

  return self->member != NULL ? self->member->name : NULL;
}

static const char *
get_string_trait (BotoShape  *self,
                  const char *trait)
{
  const char *value = NULL;

  if (self->member != NULL)
    value = boto_model_variant_get_string (self->member->traits, trait);
  if (value == NULL)
    value = boto_model_variant_get_string (self->def->definition, trait);

  return value;
}

/**
 * boto_shape_get_location:
 * @self: a shape
 *
 * Where a member goes in an HTTP message in the REST protocols: `header`,
 * `headers`, `querystring`, `uri` or `statusCode`.
 *
 * Returns: (nullable): the location, or %NULL for the body
 *
 * Since: 1.0
 */
const char *
boto_shape_get_location (BotoShape *self)
{
  g_return_val_if_fail (BOTO_IS_SHAPE (self), NULL);

  return get_string_trait (self, "location");
}

/**
 * boto_shape_get_location_name:
 * @self: a shape
 *
 * The name under which the shape is serialized (the `locationName` trait of
 * its member, else of the shape), such as a header name or an XML element.
 *
 * Returns: (nullable): the name, or %NULL if the model gives none
 *
 * Since: 1.0
 */
const char *
boto_shape_get_location_name (BotoShape *self)
{
  g_return_val_if_fail (BOTO_IS_SHAPE (self), NULL);

  return get_string_trait (self, "locationName");
}

/**
 * boto_shape_dup_trait:
 * @self: a shape
 * @trait: a trait name, such as `flattened`, `xmlNamespace`, `timestampFormat`
 *
 * Looks a trait up on the member this shape was reached through, then on the
 * shape itself.
 *
 * Returns: (transfer full) (nullable): the trait's value, or %NULL
 *
 * Since: 1.0
 */
GVariant *
boto_shape_dup_trait (BotoShape  *self,
                      const char *trait)
{
  GVariant *value = NULL;

  g_return_val_if_fail (BOTO_IS_SHAPE (self), NULL);
  g_return_val_if_fail (trait != NULL, NULL);

  if (self->member != NULL && strcmp (trait, "shape") != 0)
    value = boto_model_variant_lookup (self->member->traits, trait);
  if (value == NULL)
    value = boto_model_variant_lookup (self->def->definition, trait);

  return value;
}

/**
 * boto_shape_get_boolean_trait:
 * @self: a shape
 * @trait: a boolean trait, such as `flattened`, `streaming` or `idempotencyToken`
 *
 * Tells whether the shape sets the boolean trait @trait, such as `streaming`,
 * to true.
 *
 * Returns: whether the trait is present and true
 *
 * Since: 1.0
 */
gboolean
boto_shape_get_boolean_trait (BotoShape  *self,
                              const char *trait)
{
  g_autoptr(GVariant) value = NULL;

  g_return_val_if_fail (BOTO_IS_SHAPE (self), FALSE);
  g_return_val_if_fail (trait != NULL, FALSE);

  value = boto_shape_dup_trait (self, trait);
  return value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN) &&
         g_variant_get_boolean (value);
}

/**
 * boto_shape_get_definition:
 * @self: a shape
 *
 * Gets the shape's definition from the service model.
 *
 * Returns: (transfer none): the shape's definition as in the model
 *   (`a{sv}`, documentation stripped)
 *
 * Since: 1.0
 */
GVariant *
boto_shape_get_definition (BotoShape *self)
{
  g_return_val_if_fail (BOTO_IS_SHAPE (self), NULL);

  return self->def->definition;
}

/**
 * boto_shape_get_member_names:
 * @self: a shape
 *
 * Lists the members of a structure shape.
 *
 * Returns: (transfer full): the names of a structure's members, in the
 *   model's order; empty for other shapes
 *
 * Since: 1.0
 */
GStrv
boto_shape_get_member_names (BotoShape *self)
{
  GStrv names;

  g_return_val_if_fail (BOTO_IS_SHAPE (self), NULL);

  if (self->def->type != BOTO_SHAPE_TYPE_STRUCTURE)
    return g_new0 (char *, 1);

  names = g_new0 (char *, self->def->n_members + 1);
  for (guint i = 0; i < self->def->n_members; i++)
    names[i] = g_strdup (self->def->members[i].name);

  return names;
}

/**
 * boto_shape_get_member:
 * @self: a structure shape
 * @name: a member name
 *
 * Gets the shape of a structure's member.
 *
 * Returns: (transfer none) (nullable): the member's shape, carrying the
 *   member's traits, or %NULL if the structure has no such member
 *
 * Since: 1.0
 */
BotoShape *
boto_shape_get_member (BotoShape  *self,
                       const char *name)
{
  BotoMemberDef *member;

  g_return_val_if_fail (BOTO_IS_SHAPE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  member = boto_shape_def_find_member (self->def, name);
  if (member == NULL)
    return NULL;

  return get_child (self, member - self->def->members);
}

static GStrv
strv_from_array_trait (GVariant   *definition,
                       const char *trait)
{
  g_autoptr(GVariant) array = boto_model_variant_lookup (definition, trait);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (array != NULL && g_variant_is_of_type (array, G_VARIANT_TYPE ("av")))
    {
      GVariantIter iter;
      GVariant *item;

      g_variant_iter_init (&iter, array);
      while (g_variant_iter_next (&iter, "v", &item))
        {
          if (g_variant_is_of_type (item, G_VARIANT_TYPE_STRING))
            g_strv_builder_add (builder, g_variant_get_string (item, NULL));
          g_variant_unref (item);
        }
    }

  return g_strv_builder_end (builder);
}

/**
 * boto_shape_get_required_members:
 * @self: a shape
 *
 * Lists the members a structure shape requires.
 *
 * Returns: (transfer full): the names of the members a structure requires
 *
 * Since: 1.0
 */
GStrv
boto_shape_get_required_members (BotoShape *self)
{
  g_return_val_if_fail (BOTO_IS_SHAPE (self), NULL);

  return strv_from_array_trait (self->def->definition, "required");
}

/**
 * boto_shape_is_member_required:
 * @self: a structure shape
 * @name: a member name
 *
 * Tells whether a structure shape requires the member @name.
 *
 * Returns: whether the structure requires the member
 *
 * Since: 1.0
 */
gboolean
boto_shape_is_member_required (BotoShape  *self,
                               const char *name)
{
  g_auto(GStrv) required = NULL;

  g_return_val_if_fail (BOTO_IS_SHAPE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  required = boto_shape_get_required_members (self);
  return g_strv_contains ((const char * const *) required, name);
}

/**
 * boto_shape_get_list_member:
 * @self: a list shape
 *
 * Gets the shape of a list's items.
 *
 * Returns: (transfer none) (nullable): the shape of the list's items, or
 *   %NULL if @self is not a list
 *
 * Since: 1.0
 */
BotoShape *
boto_shape_get_list_member (BotoShape *self)
{
  g_return_val_if_fail (BOTO_IS_SHAPE (self), NULL);

  if (self->def->type != BOTO_SHAPE_TYPE_LIST)
    return NULL;

  return get_child (self, 0);
}

/**
 * boto_shape_get_map_key:
 * @self: a map shape
 *
 * Gets the shape of a map's keys.
 *
 * Returns: (transfer none) (nullable): the shape of the map's keys, or
 *   %NULL if @self is not a map
 *
 * Since: 1.0
 */
BotoShape *
boto_shape_get_map_key (BotoShape *self)
{
  g_return_val_if_fail (BOTO_IS_SHAPE (self), NULL);

  if (self->def->type != BOTO_SHAPE_TYPE_MAP)
    return NULL;

  return get_child (self, 0);
}

/**
 * boto_shape_get_map_value:
 * @self: a map shape
 *
 * Gets the shape of a map's values.
 *
 * Returns: (transfer none) (nullable): the shape of the map's values, or
 *   %NULL if @self is not a map
 *
 * Since: 1.0
 */
BotoShape *
boto_shape_get_map_value (BotoShape *self)
{
  g_return_val_if_fail (BOTO_IS_SHAPE (self), NULL);

  if (self->def->type != BOTO_SHAPE_TYPE_MAP)
    return NULL;

  return get_child (self, 1);
}

/**
 * boto_shape_get_enum_values:
 * @self: a shape
 *
 * Lists the values a string enum shape allows.
 *
 * Returns: (transfer full): the values a string enum allows; empty if the
 *   shape is not an enum
 *
 * Since: 1.0
 */
GStrv
boto_shape_get_enum_values (BotoShape *self)
{
  g_return_val_if_fail (BOTO_IS_SHAPE (self), NULL);

  return strv_from_array_trait (self->def->definition, "enum");
}
