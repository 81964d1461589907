/* boto-variant-writer-private.h: small dictionaries written in GVariant's serialized form
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One entry of an a{sv}: its value as type string and serialized bytes. */
typedef struct
{
  const char    *key;
  const char    *type;
  gconstpointer  data;
  gsize          size;
} BotoVariantEntry;

guint8   *boto_variant_string_dict_data (const char *const       *keys,
                                         const char *const       *values,
                                         gsize                    n,
                                         gsize                   *out_size);
GVariant *boto_variant_new_vardict      (const BotoVariantEntry  *entries,
                                         gsize                    n);
gsize     boto_variant_vardict_order   (const char *const *keys,
                                        gsize              n,
                                        guint             *order);

G_END_DECLS
