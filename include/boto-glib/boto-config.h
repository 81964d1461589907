/* boto-config.h: client options, as botocore's Config holds them
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

#define BOTO_TYPE_CONFIG (boto_config_get_type ())

typedef struct _BotoConfig BotoConfig;

BOTO_AVAILABLE_IN_1_0
GType       boto_config_get_type    (void) G_GNUC_CONST;
BOTO_AVAILABLE_IN_1_0
BotoConfig *boto_config_new         (GVariant    *options,
                                     GError     **error) G_GNUC_WARN_UNUSED_RESULT;
BOTO_AVAILABLE_IN_1_0
BotoConfig *boto_config_ref         (BotoConfig  *self);
BOTO_AVAILABLE_IN_1_0
void        boto_config_unref       (BotoConfig  *self);
BOTO_AVAILABLE_IN_1_0
GVariant   *boto_config_get_options (BotoConfig  *self);
BOTO_AVAILABLE_IN_1_0
GVariant   *boto_config_lookup      (BotoConfig  *self,
                                     const char  *option);
BOTO_AVAILABLE_IN_1_0
BotoConfig *boto_config_merge       (BotoConfig  *self,
                                     BotoConfig  *other) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BotoConfig, boto_config_unref)

G_END_DECLS
