/* boto-endpoint.h: a resolved service endpoint
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

#define BOTO_TYPE_ENDPOINT (boto_endpoint_get_type ())

typedef struct _BotoEndpoint BotoEndpoint;

BOTO_AVAILABLE_IN_1_0
GType         boto_endpoint_get_type       (void) G_GNUC_CONST;
BOTO_AVAILABLE_IN_1_0
BotoEndpoint *boto_endpoint_ref            (BotoEndpoint *self);
BOTO_AVAILABLE_IN_1_0
void          boto_endpoint_unref          (BotoEndpoint *self);
BOTO_AVAILABLE_IN_1_0
const char   *boto_endpoint_get_url        (BotoEndpoint *self);
BOTO_AVAILABLE_IN_1_0
GVariant     *boto_endpoint_get_properties (BotoEndpoint *self);
BOTO_AVAILABLE_IN_1_0
GVariant     *boto_endpoint_get_headers    (BotoEndpoint *self);
BOTO_AVAILABLE_IN_1_0
BotoEndpoint *boto_endpoint_resolve        (const char   *service_name,
                                            GVariant     *params,
                                            GError      **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BotoEndpoint, boto_endpoint_unref)

G_END_DECLS
