/* boto-resource.h: boto3's resource layer: service resources and resources
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#if !defined(BOTO_INSIDE) && !defined(BOTO_COMPILATION)
#error "Only <boto-glib/boto-glib.h> can be included directly."
#endif

#include <gio/gio.h>

#include "boto-version-macros.h"
#include "boto-client.h"
#include "boto-config.h"
#include "boto-session.h"

G_BEGIN_DECLS

typedef struct _BotoCollection BotoCollection;

#define BOTO_TYPE_RESOURCE (boto_resource_get_type ())

BOTO_AVAILABLE_IN_1_0
G_DECLARE_DERIVABLE_TYPE (BotoResource, boto_resource, BOTO, RESOURCE, GObject)

/**
 * BotoResourceClass:
 * @parent_class: the parent class
 *
 * The class of [class@Boto.Resource]. The generated typed classes
 * (`BotoS3Bucket`, `BotoSqsQueue` …) derive from it.
 *
 * Since: 1.0
 */
struct _BotoResourceClass
{
  GObjectClass parent_class;

  /*< private >*/
  const char *service_name;
  const char *resource_name;
  gpointer    padding[8];
};

#define BOTO_TYPE_SERVICE_RESOURCE (boto_service_resource_get_type ())

BOTO_AVAILABLE_IN_1_0
G_DECLARE_DERIVABLE_TYPE (BotoServiceResource, boto_service_resource, BOTO, SERVICE_RESOURCE, BotoResource)

/**
 * BotoServiceResourceClass:
 * @parent_class: the parent class
 *
 * The class of [class@Boto.ServiceResource].
 *
 * Since: 1.0
 */
struct _BotoServiceResourceClass
{
  BotoResourceClass parent_class;

  /*< private >*/
  gpointer padding[8];
};

#define BOTO_TYPE_ACTION_RESULT (boto_action_result_get_type ())

BOTO_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (BotoActionResult, boto_action_result, BOTO, ACTION_RESULT, GObject)

/* Service resources */

BOTO_AVAILABLE_IN_1_0
BotoServiceResource *boto_session_resource                (BotoSession         *session,
                                                           const char          *service_name,
                                                           BotoConfig          *config,
                                                           GError             **error) G_GNUC_WARN_UNUSED_RESULT;
BOTO_AVAILABLE_IN_1_0
BotoServiceResource *boto_session_resource_with_endpoint  (BotoSession         *session,
                                                           const char          *service_name,
                                                           const char          *endpoint_url,
                                                           BotoConfig          *config,
                                                           GError             **error) G_GNUC_WARN_UNUSED_RESULT;
BOTO_AVAILABLE_IN_1_0
BotoServiceResource *boto_service_resource_new_for_client (BotoClient          *client,
                                                           GError             **error) G_GNUC_WARN_UNUSED_RESULT;
BOTO_AVAILABLE_IN_1_0
BotoResource        *boto_service_resource_get_sub_resource (BotoServiceResource *self,
                                                           const char          *resource_name,
                                                           GVariant            *identifiers,
                                                           GError             **error) G_GNUC_WARN_UNUSED_RESULT;
BOTO_AVAILABLE_IN_1_0
GStrv                boto_service_resource_dup_resource_names (BotoServiceResource *self);

/* Resources */

BOTO_AVAILABLE_IN_1_0
BotoResource     *boto_resource_new                    (BotoClient          *client,
                                                        const char          *resource_name,
                                                        GVariant            *identifiers,
                                                        GError             **error) G_GNUC_WARN_UNUSED_RESULT;
BOTO_AVAILABLE_IN_1_0
const char       *boto_resource_get_resource_name      (BotoResource        *self);
BOTO_AVAILABLE_IN_1_0
const char       *boto_resource_get_service_name       (BotoResource        *self);
BOTO_AVAILABLE_IN_1_0
BotoClient       *boto_resource_get_client             (BotoResource        *self);
BOTO_AVAILABLE_IN_1_0
GStrv             boto_resource_dup_identifier_names   (BotoResource        *self);
BOTO_AVAILABLE_IN_1_0
GVariant         *boto_resource_get_identifiers        (BotoResource        *self);
BOTO_AVAILABLE_IN_1_0
GVariant         *boto_resource_get_identifier         (BotoResource        *self,
                                                        const char          *name);
BOTO_AVAILABLE_IN_1_0
const char       *boto_resource_get_identifier_string  (BotoResource        *self,
                                                        const char          *name);
BOTO_AVAILABLE_IN_1_0
GVariant         *boto_resource_get_data               (BotoResource        *self);
BOTO_AVAILABLE_IN_1_0
void              boto_resource_set_data               (BotoResource        *self,
                                                        GVariant            *data);
BOTO_AVAILABLE_IN_1_0
GVariant         *boto_resource_get_model              (BotoResource        *self);
BOTO_AVAILABLE_IN_1_0
GStrv             boto_resource_dup_attribute_names    (BotoResource        *self);
BOTO_AVAILABLE_IN_1_0
GStrv             boto_resource_dup_action_names       (BotoResource        *self);
BOTO_AVAILABLE_IN_1_0
GStrv             boto_resource_dup_collection_names   (BotoResource        *self);
BOTO_AVAILABLE_IN_1_0
GStrv             boto_resource_dup_sub_resource_names (BotoResource        *self);
BOTO_AVAILABLE_IN_1_0
GStrv             boto_resource_dup_reference_names    (BotoResource        *self);
BOTO_AVAILABLE_IN_1_0
GStrv             boto_resource_dup_waiter_names       (BotoResource        *self);
BOTO_AVAILABLE_IN_1_0
gboolean          boto_resource_has_load               (BotoResource        *self);

BOTO_AVAILABLE_IN_1_0
GVariant         *boto_resource_get_attribute          (BotoResource        *self,
                                                        const char          *name,
                                                        GError             **error);

BOTO_AVAILABLE_IN_1_0
gboolean          boto_resource_load                   (BotoResource        *self,
                                                        GCancellable        *cancellable,
                                                        GError             **error);
BOTO_AVAILABLE_IN_1_0
void              boto_resource_load_async             (BotoResource        *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BOTO_AVAILABLE_IN_1_0
gboolean          boto_resource_load_finish            (BotoResource        *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
BOTO_AVAILABLE_IN_1_0
gboolean          boto_resource_reload                 (BotoResource        *self,
                                                        GCancellable        *cancellable,
                                                        GError             **error);
BOTO_AVAILABLE_IN_1_0
void              boto_resource_reload_async           (BotoResource        *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BOTO_AVAILABLE_IN_1_0
gboolean          boto_resource_reload_finish          (BotoResource        *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

BOTO_AVAILABLE_IN_1_0
GVariant         *boto_resource_call_action            (BotoResource        *self,
                                                        const char          *action_name,
                                                        GVariant            *params,
                                                        GCancellable        *cancellable,
                                                        GError             **error);
BOTO_AVAILABLE_IN_1_0
void              boto_resource_call_action_async      (BotoResource        *self,
                                                        const char          *action_name,
                                                        GVariant            *params,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BOTO_AVAILABLE_IN_1_0
GVariant         *boto_resource_call_action_finish     (BotoResource        *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
BOTO_AVAILABLE_IN_1_0
BotoActionResult *boto_resource_call_action_full       (BotoResource        *self,
                                                        const char          *action_name,
                                                        GVariant            *params,
                                                        GCancellable        *cancellable,
                                                        GError             **error);
BOTO_AVAILABLE_IN_1_0
void              boto_resource_call_action_full_async (BotoResource        *self,
                                                        const char          *action_name,
                                                        GVariant            *params,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BOTO_AVAILABLE_IN_1_0
BotoActionResult *boto_resource_call_action_full_finish (BotoResource       *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

BOTO_AVAILABLE_IN_1_0
BotoResource     *boto_resource_get_reference          (BotoResource        *self,
                                                        const char          *name,
                                                        GCancellable        *cancellable,
                                                        GError             **error);
BOTO_AVAILABLE_IN_1_0
GPtrArray        *boto_resource_get_reference_list     (BotoResource        *self,
                                                        const char          *name,
                                                        GCancellable        *cancellable,
                                                        GError             **error);
BOTO_AVAILABLE_IN_1_0
BotoResource     *boto_resource_get_sub_resource       (BotoResource        *self,
                                                        const char          *name,
                                                        GVariant            *identifiers,
                                                        GError             **error) G_GNUC_WARN_UNUSED_RESULT;
BOTO_AVAILABLE_IN_1_0
BotoCollection   *boto_resource_get_collection         (BotoResource        *self,
                                                        const char          *name,
                                                        GError             **error) G_GNUC_WARN_UNUSED_RESULT;

BOTO_AVAILABLE_IN_1_0
gboolean          boto_resource_wait                   (BotoResource        *self,
                                                        const char          *waiter_name,
                                                        GVariant            *params,
                                                        GCancellable        *cancellable,
                                                        GError             **error);
BOTO_AVAILABLE_IN_1_0
void              boto_resource_wait_async             (BotoResource        *self,
                                                        const char          *waiter_name,
                                                        GVariant            *params,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BOTO_AVAILABLE_IN_1_0
gboolean          boto_resource_wait_finish            (BotoResource        *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

BOTO_AVAILABLE_IN_1_0
gboolean          boto_resource_upload_file            (BotoResource        *self,
                                                        const char          *filename,
                                                        const char          *key,
                                                        GVariant            *extra_args,
                                                        GCancellable        *cancellable,
                                                        GError             **error);
BOTO_AVAILABLE_IN_1_0
gboolean          boto_resource_download_file          (BotoResource        *self,
                                                        const char          *key,
                                                        const char          *filename,
                                                        GVariant            *extra_args,
                                                        GCancellable        *cancellable,
                                                        GError             **error);

BOTO_AVAILABLE_IN_1_0
gboolean          boto_resource_equal                  (BotoResource        *a,
                                                        BotoResource        *b);
BOTO_AVAILABLE_IN_1_0
guint             boto_resource_hash                   (BotoResource        *self);
BOTO_AVAILABLE_IN_1_0
char             *boto_resource_to_string              (BotoResource        *self);

/* Action results */

BOTO_AVAILABLE_IN_1_0
GVariant         *boto_action_result_get_response      (BotoActionResult    *self);
BOTO_AVAILABLE_IN_1_0
gboolean          boto_action_result_has_resources     (BotoActionResult    *self);
BOTO_AVAILABLE_IN_1_0
gboolean          boto_action_result_is_list           (BotoActionResult    *self);
BOTO_AVAILABLE_IN_1_0
GPtrArray        *boto_action_result_get_resources     (BotoActionResult    *self);
BOTO_AVAILABLE_IN_1_0
BotoResource     *boto_action_result_get_resource      (BotoActionResult    *self);

G_END_DECLS
