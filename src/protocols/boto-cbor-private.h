/* boto-cbor-private.h: a strict, bounded CBOR (RFC 8949) codec
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * The codec has two layers:
 *
 *  - a reader (BotoCborReader) and a writer (BotoCborWriter) working one
 *    data item head at a time, which the protocol layer uses to decode and
 *    encode directly against a shape (src/protocols/boto-protocol-rpcv2-cbor.c);
 *  - a generic decoder and encoder between CBOR and a GVariant that mirrors
 *    the CBOR data model, for tests, documents and debugging:
 *
 *    | CBOR                                   | GVariant                              |
 *    |----------------------------------------|---------------------------------------|
 *    | unsigned integer (major 0)             | `t`                                   |
 *    | negative integer -1-n, fits in int64   | `x`                                   |
 *    | negative integer below G_MININT64      | `(t)` holding n (the value is -1-n)   |
 *    | byte string (definite or chunked)      | `ay`                                  |
 *    | text string (definite or chunked)      | `s` (valid UTF-8, no NUL)             |
 *    | array                                  | `av`                                  |
 *    | map whose keys are all text            | `a{sv}` (in wire order, duplicates kept) |
 *    | any other map                          | `a(vv)` (key, value pairs; GVariant   |
 *    |                                        | dictionary keys must be basic types)  |
 *    | tag N                                  | `(tv)`                                |
 *    | false / true                           | `b`                                   |
 *    | null / undefined                       | `mv` with no value                    |
 *    | float16 / float32 / float64            | `d` (exact; NaN payloads preserved)   |
 *
 *    Negative integers below G_MININT64 cannot be carried by `x`; rather than
 *    fail or round them into a double, the generic layer keeps them exact as
 *    `(t)`.  The shape-directed decoder rejects them (no AWS integer shape
 *    is wider than 64 bits).
 *
 * Decoding is strict: truncated input, reserved additional information
 * (28–30), indefinite lengths on major types 0, 1 and 6, a break outside an
 * indefinite item, nested indefinite or mismatched string chunks, simple
 * values other than false/true/null/undefined, invalid UTF-8, lengths larger
 * than the remaining input, nesting deeper than BOTO_CBOR_MAX_DEPTH and
 * trailing bytes all give a BOTO_CBOR_ERROR; nothing is allocated beyond
 * what the input can actually fill.
 */

#define BOTO_CBOR_ERROR (boto_cbor_error_quark ())

/**
 * BotoCborError:
 * @BOTO_CBOR_ERROR_TRUNCATED: the input ends inside a data item
 * @BOTO_CBOR_ERROR_MALFORMED: the input is not well-formed CBOR
 * @BOTO_CBOR_ERROR_TOO_DEEP: arrays, maps and tags nest deeper than the limit
 * @BOTO_CBOR_ERROR_UNSUPPORTED: well-formed, but not something this codec accepts
 *   (an unassigned simple value, a text string with NUL, trailing data)
 * @BOTO_CBOR_ERROR_TYPE_MISMATCH: the data does not fit the expected shape or
 *   GVariant type
 */
typedef enum {
  BOTO_CBOR_ERROR_TRUNCATED,
  BOTO_CBOR_ERROR_MALFORMED,
  BOTO_CBOR_ERROR_TOO_DEEP,
  BOTO_CBOR_ERROR_UNSUPPORTED,
  BOTO_CBOR_ERROR_TYPE_MISMATCH,
} BotoCborError;

GQuark boto_cbor_error_quark (void);

/* The deepest nesting of arrays, maps and tags the decoder accepts. */
#define BOTO_CBOR_MAX_DEPTH 512

typedef enum {
  BOTO_CBOR_MAJOR_UINT   = 0,
  BOTO_CBOR_MAJOR_NEGINT = 1,
  BOTO_CBOR_MAJOR_BYTES  = 2,
  BOTO_CBOR_MAJOR_TEXT   = 3,
  BOTO_CBOR_MAJOR_ARRAY  = 4,
  BOTO_CBOR_MAJOR_MAP    = 5,
  BOTO_CBOR_MAJOR_TAG    = 6,
  BOTO_CBOR_MAJOR_SIMPLE = 7,
} BotoCborMajor;

/*
 * BotoCborHead: one data item's initial byte and argument.
 *
 * For majors 0, 1, 6 @argument is the value / tag number; for 2–5 the length
 * (unless @indefinite); for major 7 @info tells the kind (20 false, 21 true,
 * 22 null, 23 undefined, 25/26/27 half/single/double float with the raw bits
 * in @argument).  A break (0xff) is never returned as a head: the readers of
 * indefinite items consume it through boto_cbor_reader_at_break().
 */
typedef struct
{
  BotoCborMajor major;
  guint8        info;
  gboolean      indefinite;
  guint64       argument;
} BotoCborHead;

/* A reader over a borrowed buffer.  All fields are private. */
typedef struct
{
  const guint8 *data;
  gsize         length;
  gsize         offset;
} BotoCborReader;

void      boto_cbor_reader_init        (BotoCborReader  *reader,
                                        const guint8    *data,
                                        gsize            length);
gboolean  boto_cbor_reader_at_end      (BotoCborReader  *reader);
gboolean  boto_cbor_reader_read_head   (BotoCborReader  *reader,
                                        BotoCborHead    *head,
                                        GError         **error);
gboolean  boto_cbor_reader_at_break    (BotoCborReader  *reader,
                                        GError         **error);
gboolean  boto_cbor_reader_peek_null   (BotoCborReader  *reader);
gboolean  boto_cbor_reader_read_string (BotoCborReader  *reader,
                                        const BotoCborHead *head,
                                        GByteArray      *out,
                                        GError         **error);
gboolean  boto_cbor_reader_check_count (BotoCborReader  *reader,
                                        const BotoCborHead *head,
                                        GError         **error);
gboolean  boto_cbor_reader_next_item (BotoCborReader *reader,
                                      BotoCborHead   *head,
                                      guint64        *index,
                                      gboolean       *failed,
                                      GError        **error);
gboolean  boto_cbor_reader_skip        (BotoCborReader  *reader,
                                        guint            depth,
                                        GError         **error);
double    boto_cbor_head_get_double    (const BotoCborHead *head);
GVariant *boto_cbor_reader_read_variant (BotoCborReader *reader,
                                        guint            depth,
                                        GError         **error);

GVariant *boto_cbor_decode             (const guint8    *data,
                                        gsize            length,
                                        GError         **error);

/* A writer appending to a GByteArray it does not own. */
typedef struct
{
  GByteArray *out;
} BotoCborWriter;

void      boto_cbor_writer_init        (BotoCborWriter  *writer,
                                        GByteArray      *out);
void      boto_cbor_write_head         (BotoCborWriter  *writer,
                                        BotoCborMajor    major,
                                        guint64          argument);
void      boto_cbor_write_uint         (BotoCborWriter  *writer,
                                        guint64          value);
void      boto_cbor_write_int          (BotoCborWriter  *writer,
                                        gint64           value);
void      boto_cbor_write_bytes        (BotoCborWriter  *writer,
                                        const guint8    *data,
                                        gsize            length);
void      boto_cbor_write_text         (BotoCborWriter  *writer,
                                        const char      *text,
                                        gssize           length);
void      boto_cbor_write_bool         (BotoCborWriter  *writer,
                                        gboolean         value);
void      boto_cbor_write_null         (BotoCborWriter  *writer);
void      boto_cbor_write_float32      (BotoCborWriter  *writer,
                                        double           value);
void      boto_cbor_write_float64      (BotoCborWriter  *writer,
                                        double           value);

gboolean  boto_cbor_write_variant      (BotoCborWriter  *writer,
                                        GVariant        *value,
                                        GError         **error);
GBytes   *boto_cbor_encode_variant     (GVariant        *value,
                                        GError         **error);

G_END_DECLS
