/* boto-collection.h: lazy, paginated collections of resources
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

G_BEGIN_DECLS

#define BOTO_TYPE_COLLECTION (boto_collection_get_type ())

BOTO_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (BotoCollection, boto_collection, BOTO, COLLECTION, GObject)

BOTO_AVAILABLE_IN_1_0
const char     *boto_collection_get_name              (BotoCollection      *self);
BOTO_AVAILABLE_IN_1_0
const char     *boto_collection_get_resource_name     (BotoCollection      *self);
BOTO_AVAILABLE_IN_1_0
BotoResource   *boto_collection_get_parent            (BotoCollection      *self);
BOTO_AVAILABLE_IN_1_0
GVariant       *boto_collection_get_params            (BotoCollection      *self);
BOTO_AVAILABLE_IN_1_0
gint64          boto_collection_get_limit             (BotoCollection      *self);
BOTO_AVAILABLE_IN_1_0
gint64          boto_collection_get_page_size         (BotoCollection      *self);

BOTO_AVAILABLE_IN_1_0
BotoCollection *boto_collection_all                   (BotoCollection      *self) G_GNUC_WARN_UNUSED_RESULT;
BOTO_AVAILABLE_IN_1_0
BotoCollection *boto_collection_filter                (BotoCollection      *self,
                                                       GVariant            *params) G_GNUC_WARN_UNUSED_RESULT;
BOTO_AVAILABLE_IN_1_0
BotoCollection *boto_collection_limit                 (BotoCollection      *self,
                                                       gint64               count) G_GNUC_WARN_UNUSED_RESULT;
BOTO_AVAILABLE_IN_1_0
BotoCollection *boto_collection_page_size             (BotoCollection      *self,
                                                       gint64               count) G_GNUC_WARN_UNUSED_RESULT;

BOTO_AVAILABLE_IN_1_0
BotoResource   *boto_collection_next                  (BotoCollection      *self,
                                                       GCancellable        *cancellable,
                                                       GError             **error);
BOTO_AVAILABLE_IN_1_0
void            boto_collection_next_async            (BotoCollection      *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
BOTO_AVAILABLE_IN_1_0
BotoResource   *boto_collection_next_finish           (BotoCollection      *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
BOTO_AVAILABLE_IN_1_0
GPtrArray      *boto_collection_next_page             (BotoCollection      *self,
                                                       GCancellable        *cancellable,
                                                       GError             **error);
BOTO_AVAILABLE_IN_1_0
void            boto_collection_next_page_async       (BotoCollection      *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
BOTO_AVAILABLE_IN_1_0
GPtrArray      *boto_collection_next_page_finish      (BotoCollection      *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
BOTO_AVAILABLE_IN_1_0
GPtrArray      *boto_collection_to_array              (BotoCollection      *self,
                                                       GCancellable        *cancellable,
                                                       GError             **error);

BOTO_AVAILABLE_IN_1_0
GStrv           boto_collection_dup_batch_action_names (BotoCollection     *self);
BOTO_AVAILABLE_IN_1_0
GVariant       *boto_collection_call_batch_action     (BotoCollection      *self,
                                                       const char          *action_name,
                                                       GVariant            *params,
                                                       GCancellable        *cancellable,
                                                       GError             **error);

BOTO_AVAILABLE_IN_1_0
GListModel     *boto_collection_to_list_model         (BotoCollection      *self,
                                                       GCancellable        *cancellable) G_GNUC_WARN_UNUSED_RESULT;

#define BOTO_TYPE_COLLECTION_LIST_MODEL (boto_collection_list_model_get_type ())

BOTO_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (BotoCollectionListModel, boto_collection_list_model, BOTO, COLLECTION_LIST_MODEL, GObject)

BOTO_AVAILABLE_IN_1_0
gboolean        boto_collection_list_model_get_loading (BotoCollectionListModel *self);
BOTO_AVAILABLE_IN_1_0
guint           boto_collection_list_model_get_n_pages (BotoCollectionListModel *self);
BOTO_AVAILABLE_IN_1_0
const GError   *boto_collection_list_model_get_error   (BotoCollectionListModel *self);

G_END_DECLS
