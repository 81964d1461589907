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

/**
 * BotoFormatJsonStyle:
 * @BOTO_FORMAT_JSON_COMPACT: `,` and `:` separators, as the JSON
 *   protocols send documents; anything else (blobs, tuples) as arrays of
 *   its children, values with no JSON form as null
 * @BOTO_FORMAT_JSON_PYTHON: Python's json.dumps() with its defaults:
 *   `", "` and `": "` separators; blobs, tuples, keys that are not
 *   strings and values with no JSON form are refused
 */
typedef enum
{
  BOTO_FORMAT_JSON_COMPACT,
  BOTO_FORMAT_JSON_PYTHON,
} BotoFormatJsonStyle;

/* A JSON-like variant (dictionaries with string keys in their order,
 * arrays, strings, integers, doubles, booleans, a maybe with nothing or
 * %NULL as null, variants unwrapped) as JSON, non-ASCII as \uXXXX.
 * %FALSE for what @style refuses, with @out partly written. */
gboolean boto_format_json_value (GString             *out,
                                 GVariant            *value,
                                 BotoFormatJsonStyle  style);

G_END_DECLS
