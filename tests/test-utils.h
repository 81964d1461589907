/* test-utils.h: helpers shared by the tests
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#include <json-glib/json-glib.h>
#include <boto-glib/boto-glib.h>

G_BEGIN_DECLS

BotoServiceModel *test_model_for_operation (JsonObject  *metadata,
                                            JsonObject  *shapes,
                                            JsonObject  *operation,
                                            GError     **error);

G_END_DECLS
