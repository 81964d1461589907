/* boto-version-macros.h: symbol visibility and availability
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#if !defined(BOTO_INSIDE) && !defined(BOTO_COMPILATION)
#error "Only <boto-glib/boto-glib.h> can be included directly."
#endif

#include <glib.h>

#ifndef _BOTO_EXTERN
# define _BOTO_EXTERN __attribute__((visibility ("default"))) extern
#endif

#define BOTO_VERSION_1_0 (G_ENCODE_VERSION (1, 0))

#ifndef BOTO_VERSION_MIN_REQUIRED
# define BOTO_VERSION_MIN_REQUIRED BOTO_VERSION_1_0
#endif

#ifndef BOTO_VERSION_MAX_ALLOWED
# define BOTO_VERSION_MAX_ALLOWED BOTO_VERSION_1_0
#endif

#define BOTO_AVAILABLE_IN_ALL _BOTO_EXTERN
#define BOTO_AVAILABLE_IN_1_0 _BOTO_EXTERN
