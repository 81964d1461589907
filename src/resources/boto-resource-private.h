/* boto-resource-private.h: the resource model shared by resources and collections
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#include "boto-client.h"
#include "boto-service-model.h"
#include "boto-resource.h"
#include "boto-collection.h"

G_BEGIN_DECLS

#define BOTO_RESOURCE_MAX_IDENTIFIERS 8

/* Lookups in the resource model's objects: plain a{sv} scans (the objects
 * are small), never the service model's trait indexes. */
static inline GVariant *
boto_res_lookup (GVariant   *dict,
                 const char *key)
{
  if (dict == NULL || !g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT))
    return NULL;
  return g_variant_lookup_value (dict, key, NULL);
}

/* Borrowed from @dict. */
static inline const char *
boto_res_string (GVariant   *dict,
                 const char *key)
{
  const char *value = NULL;

  if (dict == NULL || !g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT))
    return NULL;
  if (!g_variant_lookup (dict, key, "&s", &value))
    return NULL;
  return value;
}

typedef struct _BotoResourceContext BotoResourceContext;
typedef struct _BotoResourceType    BotoResourceType;

/* One named entry of a resource definition (an action, a has, a hasMany, a
 * waiter, a batch action): its model name, the name boto3 gives it (snake
 * case, renamed on a clash) and its definition. */
typedef struct
{
  const char *model_name;   /* borrowed from the model variant */
  char       *name;         /* boto3's attribute name */
  GVariant   *def;          /* a{sv} */
  gboolean    needs_data;   /* has: some identifier comes from data (a reference) */
} BotoResourceEntry;

typedef struct
{
  char       *model_name;   /* shape member name */
  char       *name;         /* snake case, renamed on a clash */
  int         identifier;   /* >= 0 when the member is an identifier's memberName */
} BotoResourceAttribute;

/* The per-service model: resources-1.json and the service model. Shared and
 * immutable once made, kept for the life of the process. */
struct _BotoResourceContext
{
  char       *service_name;
  GVariant   *root;          /* resources-1 */
  GVariant   *resources;     /* a{sv}: resource name → definition */
  GVariant   *paginators;    /* nullable: the `pagination` a{sv} of paginators-1 */
  GVariant   *waiters;       /* nullable: the `waiters` a{sv} of waiters-2 */
  BotoServiceModel *service_model;
  GMutex      lock;
  GHashTable *types;         /* resource name → BotoResourceType*; "" for the service resource */
};

struct _BotoResourceType
{
  BotoResourceContext *context;
  char                *name;            /* "Bucket"; the service name for the service resource */
  gboolean             is_service;
  GVariant            *def;             /* a{sv} */
  guint                n_identifiers;
  const char          *identifiers[BOTO_RESOURCE_MAX_IDENTIFIERS];      /* model names */
  char                *identifier_names[BOTO_RESOURCE_MAX_IDENTIFIERS]; /* snake case */
  const char          *shape_name;
  GVariant            *load;            /* nullable */
  GArray              *actions;         /* BotoResourceEntry */
  GArray              *has;             /* BotoResourceEntry, references and sub-resources */
  GArray              *has_many;        /* BotoResourceEntry */
  GArray              *waiters;         /* BotoResourceEntry */
  GArray              *batch_actions;   /* BotoResourceEntry */
  GArray              *attributes;      /* BotoResourceAttribute */
  GType                gtype;
};

BotoResourceContext *boto_resource_context_get        (BotoClient           *client,
                                                       GError              **error);
BotoResourceType    *boto_resource_context_lookup_type (BotoResourceContext *context,
                                                       const char           *name,
                                                       GError              **error);
const BotoResourceEntry *boto_resource_type_find_entry (GArray              *entries,
                                                       const char           *name);
int                  boto_resource_type_find_identifier (BotoResourceType   *type,
                                                       const char           *name);

BotoResourceType    *boto_resource_get_type_info      (BotoResource         *self);
BotoResource        *boto_resource_create             (BotoResourceType     *type,
                                                       BotoClient           *client,
                                                       GVariant            **identifiers,
                                                       GVariant             *data);
void                 boto_resource_set_identifier_at  (BotoResource         *self,
                                                       guint                 index,
                                                       GVariant             *value);
GVariant            *boto_resource_get_identifier_at  (BotoResource         *self,
                                                       guint                 index);

/* Parameters from a request model (create_request_parameters); @params is
 * an opaque tree, NULL to start one. */
typedef struct _BotoParamNode BotoParamNode;

BotoParamNode       *boto_param_node_new_dict         (void);
void                 boto_param_node_free             (BotoParamNode        *node);
gboolean             boto_param_node_is_empty         (BotoParamNode        *node);
void                 boto_param_node_merge_variant    (BotoParamNode        *node,
                                                       GVariant             *params,
                                                       gboolean              append_lists);
GVariant            *boto_param_node_to_variant       (BotoParamNode        *node);
gboolean             boto_resource_build_request_params (BotoResource       *parent,
                                                       GVariant             *request,
                                                       BotoParamNode        *params,
                                                       int                   index,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BotoParamNode, boto_param_node_free)

/* ResourceHandler: the resources a response describes. Returns an array of
 * resources in *out_resources (NULL when the identifiers are null) and
 * whether they are a list. */
gboolean             boto_resource_handle_response    (BotoResource         *parent,
                                                       GVariant             *resource_def,
                                                       GVariant             *request_params,
                                                       GVariant             *response,
                                                       GPtrArray           **out_resources,
                                                       gboolean             *out_is_list,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

/* Every request the resource layer sends goes through these, so tests can
 * count them. */
GVariant            *boto_resource_client_call        (BotoClient           *client,
                                                       const char           *operation,
                                                       GVariant             *params,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
void                 boto_resource_client_call_async  (BotoClient           *client,
                                                       const char           *operation,
                                                       GVariant             *params,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
guint                boto_resource_get_request_count_for_testing (void);
void                 boto_resource_count_request      (void);

BotoCollection      *boto_collection_new_internal     (BotoResource         *parent,
                                                       const BotoResourceEntry *entry);

/* The typed classes generated at build time: the GType for a resource, or
 * G_TYPE_INVALID when none is generated. */
GType                boto_typed_resource_lookup       (const char           *service_name,
                                                       const char           *resource_name);

G_END_DECLS
