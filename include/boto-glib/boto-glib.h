/* boto-glib.h: the umbrella header of boto-glib
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#define BOTO_INSIDE

#include <gio/gio.h>

#include "boto-version.h"
#include "boto-version-macros.h"
#include "boto-enum-types.h"
#include "boto-error.h"
#include "boto-shape.h"
#include "boto-operation-model.h"
#include "boto-service-model.h"
#include "boto-credentials.h"
#include "boto-config.h"
#include "boto-session.h"
#include "boto-endpoint.h"
#include "boto-jmespath.h"
#include "boto-client.h"
#include "boto-page-iterator.h"
#include "boto-paginator.h"
#include "boto-waiter.h"
#include "boto-resource.h"
#include "boto-collection.h"
#include "boto-typed-resources.h"

#undef BOTO_INSIDE
