/* boto-event-stream-private.h: the binary framing of AWS event streams
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * application/vnd.amazon.eventstream: each message is a 12-byte prelude
 * (total length, headers length, both big-endian 32-bit, and the CRC-32
 * of those 8 bytes), the headers, the payload and the CRC-32 of everything
 * before it. A header is a 1-byte name length, the name, a 1-byte type and
 * the value.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  BOTO_EVENT_HEADER_BOOL_TRUE  = 0,
  BOTO_EVENT_HEADER_BOOL_FALSE = 1,
  BOTO_EVENT_HEADER_BYTE       = 2,
  BOTO_EVENT_HEADER_SHORT      = 3,
  BOTO_EVENT_HEADER_INTEGER    = 4,
  BOTO_EVENT_HEADER_LONG       = 5,
  BOTO_EVENT_HEADER_BYTES      = 6,
  BOTO_EVENT_HEADER_STRING     = 7,
  BOTO_EVENT_HEADER_TIMESTAMP  = 8,
  BOTO_EVENT_HEADER_UUID       = 9,
} BotoEventHeaderType;

typedef struct
{
  char                *name;
  BotoEventHeaderType  type;
  /* b, y, n, i, x, ay, s, x (milliseconds since the epoch), ay (16 bytes) */
  GVariant            *value;
} BotoEventHeader;

typedef struct
{
  GPtrArray    *headers;       /* BotoEventHeader */
  const guint8 *payload;       /* into the input */
  gsize         payload_len;
} BotoEventMessage;

/* Messages of at most this size are read (botocore's limit: 16 MiB). */
#define BOTO_EVENT_MESSAGE_MAX (16 * 1024 * 1024)

/*
 * boto_event_message_decode:
 * @data: the input
 * @len: its length
 * @out_message: (out caller-allocates): the message, its payload pointing
 *   into @data; clear with boto_event_message_clear()
 * @out_consumed: (out): the message's length
 *
 * Decodes the message at the start of @data, checking both CRCs, the
 * lengths and every header.
 *
 * Returns: %FALSE with %BOTO_CLIENT_ERROR_INVALID_RESPONSE on a truncated
 *   or corrupt message
 */
gboolean               boto_event_message_decode     (const guint8     *data,
                                                      gsize             len,
                                                      BotoEventMessage *out_message,
                                                      gsize            *out_consumed,
                                                      GError          **error);
void                   boto_event_message_clear      (BotoEventMessage *message);
const BotoEventHeader *boto_event_message_get_header (BotoEventMessage *message,
                                                      const char       *name);
/* The string value of header @name, or NULL. */
const char            *boto_event_message_get_string (BotoEventMessage *message,
                                                      const char       *name);

G_END_DECLS
