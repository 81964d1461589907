/* boto-operation-model.h: one operation of a service model
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#if !defined(BOTO_INSIDE) && !defined(BOTO_COMPILATION)
#error "Only <boto-glib/boto-glib.h> can be included directly."
#endif

#include <glib-object.h>

#include "boto-version-macros.h"
#include "boto-shape.h"

G_BEGIN_DECLS

#define BOTO_TYPE_OPERATION_MODEL (boto_operation_model_get_type ())

BOTO_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (BotoOperationModel, boto_operation_model, BOTO, OPERATION_MODEL, GObject)

BOTO_AVAILABLE_IN_1_0
const char *boto_operation_model_get_name          (BotoOperationModel *self);
BOTO_AVAILABLE_IN_1_0
const char *boto_operation_model_get_http_method   (BotoOperationModel *self);
BOTO_AVAILABLE_IN_1_0
const char *boto_operation_model_get_request_uri   (BotoOperationModel *self);
BOTO_AVAILABLE_IN_1_0
guint       boto_operation_model_get_response_code (BotoOperationModel *self);
BOTO_AVAILABLE_IN_1_0
const char *boto_operation_model_get_host_prefix   (BotoOperationModel *self);
BOTO_AVAILABLE_IN_1_0
gboolean    boto_operation_model_get_deprecated    (BotoOperationModel *self);
BOTO_AVAILABLE_IN_1_0
BotoShape  *boto_operation_model_get_input_shape   (BotoOperationModel *self);
BOTO_AVAILABLE_IN_1_0
BotoShape  *boto_operation_model_get_output_shape  (BotoOperationModel *self);
BOTO_AVAILABLE_IN_1_0
GStrv       boto_operation_model_get_error_names   (BotoOperationModel *self);
BOTO_AVAILABLE_IN_1_0
GVariant   *boto_operation_model_get_definition    (BotoOperationModel *self);

G_END_DECLS
