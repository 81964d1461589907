/* boto-service-model.h: the model of one AWS service
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#if !defined(BOTO_INSIDE) && !defined(BOTO_COMPILATION)
#error "Only <boto-glib/boto-glib.h> can be included directly."
#endif

#include <glib-object.h>

#include "boto-version-macros.h"
#include "boto-operation-model.h"
#include "boto-shape.h"

G_BEGIN_DECLS

#define BOTO_TYPE_SERVICE_MODEL (boto_service_model_get_type ())

BOTO_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (BotoServiceModel, boto_service_model, BOTO, SERVICE_MODEL, GObject)

BOTO_AVAILABLE_IN_1_0
BotoServiceModel   *boto_service_model_load                  (const char        *service_name,
                                                              GError           **error) G_GNUC_WARN_UNUSED_RESULT;
BOTO_AVAILABLE_IN_1_0
BotoServiceModel   *boto_service_model_new_from_data         (const char        *service_name,
                                                              GBytes            *json,
                                                              GError           **error) G_GNUC_WARN_UNUSED_RESULT;
BOTO_AVAILABLE_IN_1_0
GStrv               boto_service_model_list_available        (void);

BOTO_AVAILABLE_IN_1_0
const char         *boto_service_model_get_service_name      (BotoServiceModel  *self);
BOTO_AVAILABLE_IN_1_0
const char         *boto_service_model_get_api_version       (BotoServiceModel  *self);
BOTO_AVAILABLE_IN_1_0
const char         *boto_service_model_get_protocol          (BotoServiceModel  *self);
BOTO_AVAILABLE_IN_1_0
GStrv               boto_service_model_get_protocols         (BotoServiceModel  *self);
BOTO_AVAILABLE_IN_1_0
const char         *boto_service_model_get_endpoint_prefix   (BotoServiceModel  *self);
BOTO_AVAILABLE_IN_1_0
const char         *boto_service_model_get_signing_name      (BotoServiceModel  *self);
BOTO_AVAILABLE_IN_1_0
const char         *boto_service_model_get_signature_version (BotoServiceModel  *self);
BOTO_AVAILABLE_IN_1_0
const char         *boto_service_model_get_service_id        (BotoServiceModel  *self);
BOTO_AVAILABLE_IN_1_0
const char         *boto_service_model_get_target_prefix     (BotoServiceModel  *self);
BOTO_AVAILABLE_IN_1_0
const char         *boto_service_model_get_json_version      (BotoServiceModel  *self);
BOTO_AVAILABLE_IN_1_0
GVariant           *boto_service_model_get_metadata          (BotoServiceModel  *self);
BOTO_AVAILABLE_IN_1_0
GStrv               boto_service_model_get_operation_names   (BotoServiceModel  *self);
BOTO_AVAILABLE_IN_1_0
gboolean            boto_service_model_has_operation         (BotoServiceModel  *self,
                                                              const char        *operation_name);
BOTO_AVAILABLE_IN_1_0
BotoOperationModel *boto_service_model_get_operation         (BotoServiceModel  *self,
                                                              const char        *operation_name,
                                                              GError           **error);
BOTO_AVAILABLE_IN_1_0
GStrv               boto_service_model_get_shape_names       (BotoServiceModel  *self);
BOTO_AVAILABLE_IN_1_0
BotoShape          *boto_service_model_get_shape             (BotoServiceModel  *self,
                                                              const char        *shape_name,
                                                              GError           **error);

G_END_DECLS
