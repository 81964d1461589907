/* boto-format-private.h: number formatting shared by the layers
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void boto_format_double         (GString *out,
                                 double   value);
void boto_format_double_special (GString *out,
                                 double   value);

G_END_DECLS
