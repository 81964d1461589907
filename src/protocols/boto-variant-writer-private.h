/* boto-variant-writer-private.h: small dictionaries written in GVariant's serialized form
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

GVariant *boto_variant_new_string_dict (const char *const *keys,
                                        const char *const *values,
                                        gsize              n);
GVariant *boto_variant_new_vardict     (const char *const *keys,
                                        GVariant   *const *values,
                                        gsize              n);
gsize     boto_variant_vardict_order   (const char *const *keys,
                                        gsize              n,
                                        guint             *order);

G_END_DECLS
