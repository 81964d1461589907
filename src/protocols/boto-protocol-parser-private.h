/* boto-protocol-parser-private.h: the response parsers of the wire protocols
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "boto-operation-model.h"

G_BEGIN_DECLS

GVariant *boto_protocol_parse_response  (BotoOperationModel  *op,
                                         const char          *protocol,
                                         guint                status,
                                         SoupMessageHeaders  *headers,
                                         GBytes              *body,
                                         gboolean            *out_is_error,
                                         GError             **error);
gboolean  boto_protocol_parse_timestamp (const char          *text,
                                         gint64              *out_usec);
GVariant *boto_protocol_json_to_variant (JsonNode            *node);

G_END_DECLS
