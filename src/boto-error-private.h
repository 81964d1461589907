/* boto-error-private.h: building service errors
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#include <glib.h>

#include "boto-error.h"

G_BEGIN_DECLS

/* A %BOTO_SERVICE_ERROR from a parsed error response (`Error` and
 * `ResponseMetadata`, as the protocol parsers return it). Takes a reference
 * on @response (sinking a floating one). */
GError *boto_service_error_new_from_response (const char *operation_name,
                                              GVariant   *response);

G_END_DECLS
