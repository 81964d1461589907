/* boto-protocol-serializer-private.h: request serializers and parameter validation
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#include <glib.h>
#include <string.h>

#include "boto-shape.h"
#include "boto-operation-model.h"
#include "boto-service-model.h"
#include "boto-http-request-private.h"
#include "boto-model-private.h"

G_BEGIN_DECLS

/*
 * boto_protocol_serialize_request:
 * @service: the service model @op belongs to (its metadata: apiVersion,
 *   targetPrefix, jsonVersion, awsQueryCompatible)
 * @op: the operation
 * @protocol: (nullable): `query`, `ec2`, `json`, `rest-json` or `rest-xml`;
 *   %NULL for boto_service_model_get_protocol (@service)
 * @params: (nullable): the input, `a{sv}` (lenient input, DESIGN.md)
 * @endpoint_url: such as `https://example.com`, may have a path
 *
 * Validates @params against the input shape (botocore's ParamValidator)
 * and serializes them as botocore does. An idempotency-token member that
 * is absent is filled with a random UUID.
 *
 * Returns: (transfer full): the request, or %NULL with
 *   %BOTO_CLIENT_ERROR_PARAM_VALIDATION (every problem listed) or
 *   %BOTO_CLIENT_ERROR_FAILED (unknown protocol, bad endpoint)
 */
BotoHttpRequest *boto_protocol_serialize_request (BotoServiceModel   *service,
                                                  BotoOperationModel *op,
                                                  const char         *protocol,
                                                  GVariant           *params,
                                                  const char         *endpoint_url,
                                                  GError            **error);

/* The same without the validation step (botocore's include_validation=False,
 * which its protocol test runner uses). */
BotoHttpRequest *boto_protocol_serialize_request_unvalidated (BotoServiceModel   *service,
                                                              BotoOperationModel *op,
                                                              const char         *protocol,
                                                              GVariant           *params,
                                                              const char         *endpoint_url,
                                                              GError            **error);

typedef enum {
  BOTO_SERIALIZE_NONE         = 0,
  BOTO_SERIALIZE_VALIDATE     = 1 << 0,
  /* Drop a leading `/{Bucket}` from the request URI: the resolved endpoint
   * already names the bucket (botocore's remove_bucket_from_url_paths_from_model
   * for S3). */
  BOTO_SERIALIZE_STRIP_BUCKET = 1 << 1,
} BotoSerializeFlags;

/* The same with flags (the client's path). */
BotoHttpRequest *boto_protocol_serialize_request_full (BotoServiceModel    *service,
                                                       BotoOperationModel  *op,
                                                       const char          *protocol,
                                                       GVariant            *params,
                                                       const char          *endpoint_url,
                                                       BotoSerializeFlags   flags,
                                                       GError             **error);

/*
 * boto_protocol_validate_params:
 * @input: (nullable): the input shape; %NULL accepts only empty params
 * @params: (nullable): the input, `a{sv}`
 *
 * Returns: %TRUE if valid; else %FALSE with one
 *   %BOTO_CLIENT_ERROR_PARAM_VALIDATION error whose message is
 *   "Parameter validation failed:\n" followed by one line per problem.
 */
gboolean         boto_protocol_validate_params   (BotoShape          *input,
                                                  GVariant           *params,
                                                  GError            **error);

/* Tests only: the idempotency-token generator (NULL restores the random
 * UUID). The function returns a newly allocated string. */
typedef char *(*BotoProtocolUuidFunc) (gpointer user_data);
void             boto_protocol_set_uuid_func_for_testing (BotoProtocolUuidFunc func,
                                                          gpointer             user_data);

/* Per-shape facts the serializers and the validator read on every value,
 * gathered once per input shape (see boto_ser_plan_get_root()) so that the
 * hot paths look up no trait by name. */
typedef enum
{
  BOTO_SER_LOC_BODY = 0,
  BOTO_SER_LOC_URI,
  BOTO_SER_LOC_QUERYSTRING,
  BOTO_SER_LOC_HEADER,
  BOTO_SER_LOC_HEADERS,
  BOTO_SER_LOC_OTHER,
} BotoSerLocation;

typedef enum
{
  BOTO_SER_TS_NONE = 0,
  BOTO_SER_TS_ISO8601,
  BOTO_SER_TS_RFC822,
  BOTO_SER_TS_UNIX,
} BotoSerTsFormat;

typedef struct _BotoSerNode BotoSerNode;

struct _BotoSerNode
{
  BotoShape       *shape;                /* borrowed: a shape object with these traits */
  BotoShapeDef    *def;
  BotoShapeType    type;
  const char      *location;             /* the `location` trait, or NULL */
  BotoSerLocation  loc;
  const char      *location_name;        /* boto_shape_get_location_name () */
  const char      *member_location_name; /* the member reference's own locationName */
  const char      *root_name;            /* the XML root element name of the shape */
  char            *ec2_name;             /* the ec2 protocol's name, NULL: the key */
  char            *xmlns;                /* ` xmlns="…"` or NULL */
  BotoSerTsFormat  ts_format;
  guint            flattened : 1;
  guint            xml_attribute : 1;
  guint            idempotency_token : 1;
  guint            jsonvalue : 1;
  guint            document : 1;
  guint            is_union : 1;
  guint            has_min : 1;          /* `min`, or hostLabel (min 1) */
  guint            streaming : 1;
  guint            requires_length : 1;
  double           min_allowed;
  GVariant        *min;                  /* as the model has it, for messages */
  guint            n_children;
  BotoSerNode    **children;             /* structure members (model order), list [item], map [key, value] */
  char           **required;             /* structure: required member names */
  int             *required_index;       /* their indexes in children, -1 if none */
  guint16         *member_table;         /* structure: open addressing on the member names'
                                          * boto_ser_name_hash(), member index + 1, 0: empty */
  guint            member_mask;          /* the table's size - 1 (a power of two) */
};

/* A member name's hash for BotoSerNode.member_table: its length and its
 * first and last bytes tell a structure's members apart well enough
 * (the table is at most half full and probed), without a pass per byte. */
static inline guint32
boto_ser_name_hash (const char *name)
{
  gsize len = strlen (name);
  guint32 h = (guint32) len * 0x9e3779b1u;

  if (len > 0)
    h ^= ((guint32) (guchar) name[0] * 0x85ebca6bu) ^ ((guint32) (guchar) name[len - 1] * 0xc2b2ae35u);
  return h ^ (h >> 15);
}

/* The facts of @input and every shape below it, built on first use and
 * kept with the shape (thread-safe). */
BotoSerNode     *boto_ser_plan_get_root          (BotoShape          *input);

static inline BotoSerNode *
boto_ser_node_member (BotoSerNode *node,
                      const char  *name)
{
  BotoMemberDef *member;

  if (node->type != BOTO_SHAPE_TYPE_STRUCTURE)
    return NULL;
  if (node->member_table != NULL && name != NULL)
    {
      for (guint i = boto_ser_name_hash (name) & node->member_mask;; i = (i + 1) & node->member_mask)
        {
          guint slot = node->member_table[i];

          if (slot == 0)
            return NULL;
          if (strcmp (node->def->members[slot - 1].name, name) == 0)
            return node->children[slot - 1];
        }
    }
  member = boto_shape_def_find_member (node->def, name);
  return member != NULL ? node->children[member - node->def->members] : NULL;
}

static inline BotoSerNode *
boto_ser_node_list_member (BotoSerNode *node)
{
  return node->type == BOTO_SHAPE_TYPE_LIST && node->n_children == 1 ? node->children[0] : NULL;
}

static inline BotoSerNode *
boto_ser_node_map_key (BotoSerNode *node)
{
  return node->type == BOTO_SHAPE_TYPE_MAP && node->n_children == 2 ? node->children[0] : NULL;
}

static inline BotoSerNode *
boto_ser_node_map_value (BotoSerNode *node)
{
  return node->type == BOTO_SHAPE_TYPE_MAP && node->n_children == 2 ? node->children[1] : NULL;
}

gboolean         boto_protocol_validate_node     (BotoSerNode        *input,
                                                  GVariant           *params,
                                                  GError            **error);

/* The validator's pieces, for serializers that validate as they write (one
 * read of the input): the same checks in the same order give the same
 * report as boto_protocol_validate_node(). */
typedef struct
{
  GPtrArray *lines;   /* char*, one per problem; NULL until the first.
                       * boto_validate_report_finish() frees them. */
} BotoValidateReport;

typedef enum
{
  BOTO_VALIDATE_PATH_ROOT,
  BOTO_VALIDATE_PATH_MEMBER,     /* .key */
  BOTO_VALIDATE_PATH_INDEX,      /* [index] */
  BOTO_VALIDATE_PATH_MAP_KEY,    /* " (key: k)" */
  BOTO_VALIDATE_PATH_DOCUMENT,   /* a document's member: the key alone */
} BotoValidatePathKind;

/* A path is only rendered when a problem is reported: while validating it
 * is a chain of stack frames. */
typedef struct _BotoValidatePath BotoValidatePath;

struct _BotoValidatePath
{
  const BotoValidatePath *parent;
  BotoValidatePathKind    kind;
  const char             *key;
  gsize                   index;
};

typedef struct
{
  const char  *key;     /* borrowed from the dictionary */
  GVariant    *value;   /* unwrapped; NULL when null */
  BotoSerNode *member;  /* NULL: unknown */
  GVariantClass klass;  /* the value's class, 0 when null */
  const char  *type;    /* the value's type string, NULL when null */
} BotoValidateEntry;

void     boto_validate_structure_checks (BotoValidateReport      *report,
                                         BotoSerNode             *shape,
                                         const BotoValidateEntry *entries,
                                         gsize                    n,
                                         guint                    n_set,
                                         gboolean                 has_unknown,
                                         const BotoValidatePath  *path);
void     boto_validate_invalid_type     (BotoValidateReport      *report,
                                         const BotoValidatePath  *path,
                                         GVariant                *value,
                                         const char              *valid_types);
void     boto_validate_check_min        (BotoValidateReport      *report,
                                         BotoSerNode             *shape,
                                         const BotoValidatePath  *path,
                                         double                   value,
                                         GVariant                *shown_value,
                                         gint64                   shown_length,
                                         gboolean                 is_length);
/* validate_value: @raw may be wrapped or null. */
void     boto_validate_value            (BotoValidateReport      *report,
                                         BotoSerNode             *shape,
                                         GVariant                *raw,
                                         const BotoValidatePath  *path);
/* @value is unwrapped and not null. */
void     boto_validate_unwrapped        (BotoValidateReport      *report,
                                         BotoSerNode             *shape,
                                         GVariant                *value,
                                         const BotoValidatePath  *path);
/* The same with the value's type string known (NULL: not known). */
void     boto_validate_unwrapped_type   (BotoValidateReport      *report,
                                         BotoSerNode             *shape,
                                         GVariant                *value,
                                         const char              *type,
                                         const BotoValidatePath  *path);
/* An integer shape's checks on a value read as @i (@overflow: a uint64
 * beyond G_MAXINT64), the same as boto_validate_unwrapped() makes. */
void     boto_validate_integer_read     (BotoValidateReport      *report,
                                         BotoSerNode             *shape,
                                         GVariant                *value,
                                         gint64                   i,
                                         gboolean                 overflow,
                                         const BotoValidatePath  *path);
/* A map's checks on its entries read before (values unwrapped, a null
 * value of class maybe): the same as for the map's value. */
void     boto_validate_map_entries      (BotoValidateReport      *report,
                                         BotoSerNode             *shape,
                                         const BotoValidateEntry *entries,
                                         gsize                    n,
                                         const BotoValidatePath  *path);
/* FALSE with the error when the report has lines. */
gboolean boto_validate_report_finish    (BotoValidateReport      *report,
                                         GError                 **error);

G_END_DECLS
