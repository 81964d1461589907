/* boto-model-loader-private.h: finding model files
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

GVariant *boto_model_loader_load          (const char  *service_name,
                                           const char  *type_name,
                                           const char  *api_version,
                                           char       **out_api_version,
                                           GError     **error);
GVariant *boto_model_loader_load_partitions (GError   **error);
GStrv     boto_model_loader_list_services (const char  *type_name);

G_END_DECLS
