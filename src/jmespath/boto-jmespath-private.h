/* boto-jmespath-private.h: internals of the JMESPath layer, for tests
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#include "boto-jmespath.h"

G_BEGIN_DECLS

/* Nesting allowed while parsing (brackets, parentheses, `!` …) and in the
 * syntax tree; deeper expressions are syntax errors. */
#define BOTO_JMESPATH_MAX_PARSE_DEPTH 256
#define BOTO_JMESPATH_MAX_TREE_DEPTH  1024
/* Recursion allowed while evaluating, data walks included. */
#define BOTO_JMESPATH_MAX_EVAL_DEPTH  2048
/* Compiled expressions kept by boto_jmespath_search(). */
#define BOTO_JMESPATH_CACHE_SIZE      256

guint boto_jmespath_cache_get_size (void);
void  boto_jmespath_cache_clear    (void);

G_END_DECLS
