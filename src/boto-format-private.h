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

void boto_format_json_string_ascii (GString    *out,
                                    const char *text,
                                    gssize      len);

/* A JSON-like variant (dictionaries with string keys in their order,
 * arrays, strings, integers, doubles, booleans, a maybe with nothing as
 * null, variants unwrapped) as Python's json.dumps() writes it with its
 * defaults: `", "` and `": "` separators, non-ASCII as \uXXXX. %FALSE
 * for anything else (blobs, tuples …), with @out partly written. */
gboolean boto_format_json_python (GString  *out,
                                  GVariant *value);

G_END_DECLS
