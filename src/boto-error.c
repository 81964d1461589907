/* boto-error.c: the error domains of boto-glib
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include "boto-error.h"

/**
 * boto_client_error_quark:
 *
 * The quark of the [error@Boto.ClientError] domain.
 *
 * Returns: the error domain
 *
 * Since: 1.0
 */
G_DEFINE_QUARK (boto-client-error-quark, boto_client_error)
