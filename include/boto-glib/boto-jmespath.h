/* boto-jmespath.h: JMESPath queries evaluated directly over GVariant
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

/**
 * BOTO_JMESPATH_ERROR:
 *
 * The error domain of JMESPath expressions: compiling or evaluating an
 * expression fails with a code of [enum@Boto.JmespathError].
 *
 * Since: 1.0
 */
#define BOTO_JMESPATH_ERROR (boto_jmespath_error_quark ())

/**
 * BotoJmespathError:
 * @BOTO_JMESPATH_ERROR_SYNTAX: the expression is not valid JMESPath (or is
 *   nested too deeply); the message names the character offset
 * @BOTO_JMESPATH_ERROR_INVALID_TYPE: a function was given an argument of a
 *   type it does not accept
 * @BOTO_JMESPATH_ERROR_INVALID_ARITY: a function was called with the wrong
 *   number of arguments
 * @BOTO_JMESPATH_ERROR_UNKNOWN_FUNCTION: no built-in function has that name
 * @BOTO_JMESPATH_ERROR_INVALID_VALUE: a value is out of range, such as a
 *   slice step of 0, or data nested too deeply to evaluate
 *
 * The codes of the [error@Boto.JmespathError] domain. They are the error
 * kinds of the JMESPath compliance suite: `syntax`, `invalid-type`,
 * `invalid-arity`, `unknown-function` and `invalid-value`.
 *
 * Since: 1.0
 */
typedef enum {
  BOTO_JMESPATH_ERROR_SYNTAX,
  BOTO_JMESPATH_ERROR_INVALID_TYPE,
  BOTO_JMESPATH_ERROR_INVALID_ARITY,
  BOTO_JMESPATH_ERROR_UNKNOWN_FUNCTION,
  BOTO_JMESPATH_ERROR_INVALID_VALUE,
} BotoJmespathError;

BOTO_AVAILABLE_IN_1_0
GQuark boto_jmespath_error_quark (void);

#define BOTO_TYPE_JMESPATH_EXPRESSION (boto_jmespath_expression_get_type ())

/**
 * BotoJmespathExpression:
 *
 * A compiled JMESPath expression: compile once with
 * [ctor@Boto.JmespathExpression.new], search many times with
 * [method@Boto.JmespathExpression.search].
 *
 * Since: 1.0
 */
typedef struct _BotoJmespathExpression BotoJmespathExpression;

BOTO_AVAILABLE_IN_1_0
GType                   boto_jmespath_expression_get_type       (void) G_GNUC_CONST;
BOTO_AVAILABLE_IN_1_0
BotoJmespathExpression *boto_jmespath_expression_new            (const char              *expression,
                                                                 GError                 **error) G_GNUC_WARN_UNUSED_RESULT;
BOTO_AVAILABLE_IN_1_0
BotoJmespathExpression *boto_jmespath_expression_ref            (BotoJmespathExpression  *self);
BOTO_AVAILABLE_IN_1_0
void                    boto_jmespath_expression_unref          (BotoJmespathExpression  *self);
BOTO_AVAILABLE_IN_1_0
const char             *boto_jmespath_expression_get_expression (BotoJmespathExpression  *self);
BOTO_AVAILABLE_IN_1_0
GVariant               *boto_jmespath_expression_search         (BotoJmespathExpression  *self,
                                                                 GVariant                *data,
                                                                 GError                 **error);

BOTO_AVAILABLE_IN_1_0
GVariant               *boto_jmespath_search                    (const char              *expression,
                                                                 GVariant                *data,
                                                                 GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BotoJmespathExpression, boto_jmespath_expression_unref)

G_END_DECLS
