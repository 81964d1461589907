/* boto-event-stream.c: the binary framing of AWS event streams
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include "boto-error.h"
#include "boto-event-stream-private.h"
#include "boto-protocol-request-private.h"

#define PRELUDE_LEN 12
#define CRC_LEN 4

static guint32
read_u32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static guint16
read_u16 (const guint8 *p)
{
  return (guint16) ((p[0] << 8) | p[1]);
}

static guint64
read_u64 (const guint8 *p)
{
  return ((guint64) read_u32 (p) << 32) | read_u32 (p + 4);
}

static gboolean
invalid (GError    **error,
         const char *message)
{
  g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_RESPONSE,
               "Invalid event stream message: %s", message);
  return FALSE;
}

static void
header_free (gpointer data)
{
  BotoEventHeader *header = data;

  g_free (header->name);
  g_clear_pointer (&header->value, g_variant_unref);
  g_free (header);
}

static gboolean
decode_headers (const guint8  *p,
                gsize          len,
                GPtrArray     *headers,
                GError       **error)
{
  const guint8 *end = p + len;

  while (p < end)
    {
      BotoEventHeader *header;
      guint8 name_len = *p++;
      gsize value_len;
      guint8 type;

      if (name_len == 0 || (gsize) (end - p) < (gsize) name_len + 1)
        return invalid (error, "a header name runs past the headers");
      header = g_new0 (BotoEventHeader, 1);
      header->name = g_strndup ((const char *) p, name_len);
      g_ptr_array_add (headers, header);
      p += name_len;
      type = *p++;
      header->type = type;

      switch (type)
        {
        case BOTO_EVENT_HEADER_BOOL_TRUE:
        case BOTO_EVENT_HEADER_BOOL_FALSE:
          header->value = g_variant_ref_sink (g_variant_new_boolean (type == BOTO_EVENT_HEADER_BOOL_TRUE));
          continue;
        case BOTO_EVENT_HEADER_BYTE:
          value_len = 1;
          break;
        case BOTO_EVENT_HEADER_SHORT:
          value_len = 2;
          break;
        case BOTO_EVENT_HEADER_INTEGER:
          value_len = 4;
          break;
        case BOTO_EVENT_HEADER_LONG:
        case BOTO_EVENT_HEADER_TIMESTAMP:
          value_len = 8;
          break;
        case BOTO_EVENT_HEADER_UUID:
          value_len = 16;
          break;
        case BOTO_EVENT_HEADER_BYTES:
        case BOTO_EVENT_HEADER_STRING:
          if (end - p < 2)
            return invalid (error, "a header value length runs past the headers");
          value_len = read_u16 (p);
          p += 2;
          break;
        default:
          return invalid (error, "unknown header value type");
        }
      if ((gsize) (end - p) < value_len)
        return invalid (error, "a header value runs past the headers");

      switch (type)
        {
        case BOTO_EVENT_HEADER_BYTE:
          header->value = g_variant_new_byte (p[0]);
          break;
        case BOTO_EVENT_HEADER_SHORT:
          header->value = g_variant_new_int16 ((gint16) read_u16 (p));
          break;
        case BOTO_EVENT_HEADER_INTEGER:
          header->value = g_variant_new_int32 ((gint32) read_u32 (p));
          break;
        case BOTO_EVENT_HEADER_LONG:
        case BOTO_EVENT_HEADER_TIMESTAMP:
          header->value = g_variant_new_int64 ((gint64) read_u64 (p));
          break;
        case BOTO_EVENT_HEADER_STRING:
          if (!g_utf8_validate ((const char *) p, value_len, NULL))
            return invalid (error, "a string header is not UTF-8");
          header->value = g_variant_new_take_string (g_strndup ((const char *) p, value_len));
          break;
        default:
          header->value = g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, p, value_len, 1);
          break;
        }
      g_variant_ref_sink (header->value);
      p += value_len;
    }
  return TRUE;
}

gboolean
boto_event_message_decode (const guint8     *data,
                           gsize             len,
                           BotoEventMessage *out_message,
                           gsize            *out_consumed,
                           GError          **error)
{
  guint32 total_len;
  guint32 headers_len;
  g_autoptr(GPtrArray) headers = NULL;

  memset (out_message, 0, sizeof *out_message);
  if (len < PRELUDE_LEN)
    return invalid (error, "the prelude is truncated");
  total_len = read_u32 (data);
  headers_len = read_u32 (data + 4);
  if (boto_crc32 (0, data, 8) != read_u32 (data + 8))
    return invalid (error, "the prelude CRC does not match");
  if (total_len > BOTO_EVENT_MESSAGE_MAX)
    return invalid (error, "the message is larger than 16 MiB");
  if (total_len < PRELUDE_LEN + CRC_LEN || (guint64) headers_len > total_len - PRELUDE_LEN - CRC_LEN)
    return invalid (error, "the lengths in the prelude do not add up");
  if (len < total_len)
    return invalid (error, "the message is truncated");
  if (boto_crc32 (0, data, total_len - CRC_LEN) != read_u32 (data + total_len - CRC_LEN))
    return invalid (error, "the message CRC does not match");

  headers = g_ptr_array_new_with_free_func (header_free);
  if (!decode_headers (data + PRELUDE_LEN, headers_len, headers, error))
    return FALSE;

  out_message->headers = g_steal_pointer (&headers);
  out_message->payload = data + PRELUDE_LEN + headers_len;
  out_message->payload_len = total_len - PRELUDE_LEN - headers_len - CRC_LEN;
  *out_consumed = total_len;
  return TRUE;
}

void
boto_event_message_clear (BotoEventMessage *message)
{
  g_clear_pointer (&message->headers, g_ptr_array_unref);
  message->payload = NULL;
  message->payload_len = 0;
}

const BotoEventHeader *
boto_event_message_get_header (BotoEventMessage *message,
                               const char       *name)
{
  for (guint i = 0; message->headers != NULL && i < message->headers->len; i++)
    {
      const BotoEventHeader *header = g_ptr_array_index (message->headers, i);

      if (strcmp (header->name, name) == 0)
        return header;
    }
  return NULL;
}

const char *
boto_event_message_get_string (BotoEventMessage *message,
                               const char       *name)
{
  const BotoEventHeader *header = boto_event_message_get_header (message, name);

  if (header == NULL || header->type != BOTO_EVENT_HEADER_STRING)
    return NULL;
  return g_variant_get_string (header->value, NULL);
}
