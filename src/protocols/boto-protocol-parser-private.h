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
SoupMessageHeaders *
          boto_protocol_utf8_headers    (SoupMessageHeaders  *headers);

/* Sets @error to BOTO_CLIENT_ERROR_INVALID_RESPONSE with the formatted
 * message; returns FALSE. The parsers' one way to refuse a response. */
gboolean  boto_protocol_invalid         (GError             **error,
                                         const char          *format,
                                         ...) G_GNUC_PRINTF (2, 3);

G_END_DECLS
