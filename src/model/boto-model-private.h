/* boto-model-private.h: the immutable, shared data behind the model objects
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#include "boto-shape.h"
#include "boto-operation-model.h"
#include "boto-service-model.h"

G_BEGIN_DECLS

/*
 * A service model is kept as one serialized GVariant: the model's JSON
 * turned into nested `a{sv}` (objects), `av` (arrays) and scalars by
 * boto_model_compile_json().  The objects at the top two levels (the root,
 * and `shapes`, `operations`, `metadata` …) have their keys sorted so that
 * a shape or an operation is found by binary search; every deeper object
 * keeps the model's order, which the wire protocols depend on (member order
 * is element order in XML and parameter order in query strings).
 *
 * Because the variant is serialized, every string borrowed from it lives as
 * long as the variant does; the defs below borrow freely.
 *
 * The defs are resolved lazily, once, and then never change: the protocol,
 * paginator and resource layers walk them on every request without touching
 * the variant again.
 */

typedef struct _BotoModelData BotoModelData;
typedef struct _BotoShapeDef  BotoShapeDef;
typedef struct _BotoMemberDef BotoMemberDef;
typedef struct _BotoOperationDef BotoOperationDef;

typedef struct _BotoMemberInfo BotoMemberInfo;

struct _BotoMemberDef
{
  const char     *name;        /* member name; NULL for list members, map keys/values, operation input/output */
  const char     *shape_name;  /* the target shape's name */
  GVariant       *traits;      /* a{sv}: the shape reference itself, with its traits */
  BotoShapeDef   *target;      /* resolved on first use; read with g_atomic_pointer_get */
  BotoMemberInfo *info;        /* built on first use; read through boto_member_def_get_info */
};

typedef enum
{
  BOTO_MEMBER_LOCATION_NONE,        /* in the body */
  BOTO_MEMBER_LOCATION_HEADER,
  BOTO_MEMBER_LOCATION_HEADERS,
  BOTO_MEMBER_LOCATION_STATUS_CODE,
  BOTO_MEMBER_LOCATION_URI,
  BOTO_MEMBER_LOCATION_QUERYSTRING,
  BOTO_MEMBER_LOCATION_OTHER,
} BotoMemberLocation;

/*
 * The traits the protocols read of a member, looked up once: where the
 * reference and its target shape both may have a trait, the reference's
 * wins (as botocore merges them).  Immutable once published; strings are
 * borrowed from the model.
 */
struct _BotoMemberInfo
{
  BotoShapeDef       *target;             /* never NULL */
  const char         *location;           /* NULL: in the body */
  BotoMemberLocation  location_kind;
  const char         *location_name;      /* the reference's, else the shape's, else NULL */
  const char         *ref_location_name;  /* the reference's own only */
  const char         *list_member_location_name; /* a list target: its member's own locationName */
  const char         *xml_name;           /* botocore's element name: a flattened list's member's
                                           * locationName, else location_name, else the member's name */
  const char         *xml_alt_name;       /* the Smithy one: ref_location_name, else the member's name */
  guint               xml_name_len;
  guint               xml_alt_name_len;
  const char         *timestamp_format;
  const char         *xml_namespace_uri;
  const char         *xml_namespace_prefix;
  guint               flattened : 1;
  guint               xml_attribute : 1;
  guint               event_header : 1;
  guint               event_payload : 1;
  guint               streaming : 1;
  guint               json_value : 1;
  guint               idempotency_token : 1;
  guint               host_label : 1;
  guint               event_stream : 1;   /* the target is an event stream */
};

struct _BotoShapeDef
{
  const char    *name;
  BotoShapeType  type;
  const char    *type_name;
  GVariant      *definition; /* a{sv} */
  guint          n_members;
  BotoMemberDef *members;    /* structure: its members in model order; list: [member]; map: [key, value] */
  GHashTable    *member_index; /* structure member name → BotoMemberDef*, for large structures */

  /* Traits of the shape itself, read when the def is made. */
  guint          is_exception : 1;
  guint          is_union : 1;
  guint          is_document : 1;   /* a document shape, or a structure with the document trait */
  const char    *payload;          /* structure: the payload member's name, or NULL */
  char          *value_type;       /* GVariant type of its values; built on first use */
  GHashTable    *xml_name_index;   /* structure: element name → member index + 1; built on first use */
};

struct _BotoOperationDef
{
  const char    *name;
  GVariant      *definition;
  BotoMemberDef  input;      /* shape_name NULL when the operation has no input */
  BotoMemberDef  output;
};

GVariant         *boto_model_compile_json        (GBytes         *json,
                                                  GError        **error);
GVariant         *boto_model_variant_lookup      (GVariant       *dict,
                                                  const char     *key);
GVariant         *boto_model_variant_lookup_sorted (GVariant     *dict,
                                                  const char     *key);
const char       *boto_model_variant_get_string  (GVariant       *dict,
                                                  const char     *key);
gboolean          boto_model_variant_get_boolean (GVariant       *dict,
                                                  const char     *key);

BotoModelData    *boto_model_data_new            (const char     *service_name,
                                                  const char     *api_version,
                                                  GVariant       *root,
                                                  GError        **error);
BotoModelData    *boto_model_data_ref            (BotoModelData  *data);
void              boto_model_data_unref          (BotoModelData  *data);
const char       *boto_model_data_get_service_name (BotoModelData *data);
const char       *boto_model_data_get_api_version (BotoModelData *data);
GVariant         *boto_model_data_get_root       (BotoModelData  *data);
GVariant         *boto_model_data_get_metadata   (BotoModelData  *data);
GVariant         *boto_model_data_get_operations (BotoModelData  *data);
GVariant         *boto_model_data_get_shapes     (BotoModelData  *data);
BotoShapeDef     *boto_model_data_lookup_shape   (BotoModelData  *data,
                                                  const char     *shape_name);
BotoOperationDef *boto_model_data_lookup_operation (BotoModelData *data,
                                                  const char     *operation_name);
BotoShapeDef     *boto_member_def_get_target     (BotoModelData  *data,
                                                  BotoMemberDef  *member);
BotoMemberDef    *boto_shape_def_find_member     (BotoShapeDef   *shape,
                                                  const char     *name);
const BotoMemberInfo *boto_member_def_get_info   (BotoModelData  *data,
                                                  BotoMemberDef  *member);
const char       *boto_shape_def_get_value_type  (BotoModelData  *data,
                                                  BotoShapeDef   *def);
GHashTable       *boto_shape_def_get_xml_name_index (BotoModelData *data,
                                                  BotoShapeDef   *def);
BotoShapeType     boto_shape_type_from_name      (const char     *type_name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BotoModelData, boto_model_data_unref)

BotoShape          *boto_shape_new_for_member    (BotoModelData  *data,
                                                  BotoMemberDef  *member);
BotoShape          *boto_shape_new_for_def       (BotoModelData  *data,
                                                  BotoShapeDef   *def);
BotoShapeDef       *boto_shape_get_def           (BotoShape      *self);
BotoMemberDef      *boto_shape_get_member_def    (BotoShape      *self);
BotoOperationModel *boto_operation_model_new     (BotoModelData  *data,
                                                  BotoOperationDef *def);
BotoOperationDef   *boto_operation_model_get_def (BotoOperationModel *self);
BotoModelData      *boto_operation_model_get_data (BotoOperationModel *self);
BotoModelData      *boto_service_model_get_data  (BotoServiceModel *self);

G_END_DECLS
