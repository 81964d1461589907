/* boto-gvariant-private.h: facts of GVariant's serialization format shared
 * by the layers that read or write serialized GVariants directly
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @value out of any number of variants around it (`v`, `vv` …). Takes
 * @value (NULL allowed) and returns a full reference. */
static inline GVariant *
boto_variant_unbox (GVariant *value)
{
  while (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_VARIANT))
    {
      GVariant *inner = g_variant_get_variant (value);

      g_variant_unref (value);
      value = inner;
    }
  return value;
}

/* The width of the framing offsets of a serialized container of
 * @container_size bytes, as a reader finds them (gvs_get_offset_size). */
static inline gsize
boto_gvariant_offset_size (gsize container_size)
{
  if (container_size > G_MAXUINT32)
    return 8;
  if (container_size > G_MAXUINT16)
    return 4;
  if (container_size > G_MAXUINT8)
    return 2;
  return container_size > 0 ? 1 : 0;
}

/* The width a writer picks for the @n framing offsets of a container
 * whose members take @body bytes: the smallest that can address the
 * container with the offsets included (gvs_calculate_total_size). */
static inline guint
boto_gvariant_offset_size_for (gsize body,
                               gsize n)
{
  if (body + n <= G_MAXUINT8)
    return 1;
  if (body + 2 * n <= G_MAXUINT16)
    return 2;
  if (body + 4 * n <= G_MAXUINT32)
    return 4;
  return 8;
}

G_END_DECLS
