/* boto-paginator.h: paginators of a client, from paginators-1.json
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
#include "boto-page-iterator.h"

G_BEGIN_DECLS

#define BOTO_TYPE_PAGINATOR (boto_paginator_get_type ())

BOTO_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (BotoPaginator, boto_paginator, BOTO, PAGINATOR, GObject)

BOTO_AVAILABLE_IN_1_0
BotoClient       *boto_paginator_get_client         (BotoPaginator *self);
BOTO_AVAILABLE_IN_1_0
const char       *boto_paginator_get_operation_name (BotoPaginator *self);
BOTO_AVAILABLE_IN_1_0
GVariant         *boto_paginator_get_config         (BotoPaginator *self);
BOTO_AVAILABLE_IN_1_0
BotoPageIterator *boto_paginator_paginate           (BotoPaginator *self,
                                                     GVariant      *params,
                                                     GVariant      *pagination_config) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
