/* boto-json-reader.c: a shape-directed JSON reader for response bodies
 *
 * The body is read in two passes.  The first checks the syntax and cuts
 * the text into a flat array of tokens (each container knows where it
 * ends, so a walk can skip or revisit any value).  The second walks the
 * tokens as the output shape says and writes the result directly in
 * GVariant's serialized form (the format of GLib's gvariant-serialiser.c:
 * values at their alignment, framing offsets after variable-size
 * members), so a whole response is one allocation that g_variant_new_from_bytes
 * wraps without copying.
 *
 * The values are those json-glib + the shape walk gave before: the
 * entries of maps and of objects without a shape are in document order
 * (the dict botocore's json.loads() gives, json_object_get_members()'s
 * order), a duplicate member keeps its first place and its last value,
 * `\u0000` ends a string, integers are `x`, other numbers `d`.  Differences, all on input json-glib mishandled: an integer beyond
 * 64 bits is read as a double instead of wrapping around, a lone UTF-16
 * surrogate escape is an error instead of invalid UTF-8, and comments,
 * single quotes, hexadecimal numbers and text after the value are errors.
 *
 * The shape facts the walk needs (type strings, JSON member names,
 * locations) are computed once per shape and kept with the operation
 * model (BotoJsonPlans), so the walk reads no trait by name.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <math.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "boto-error.h"
#include "boto-json-reader-private.h"
#include "boto-gvariant-private.h"
#include "boto-protocol-parser-private.h"

/* Tokens ----------------------------------------------------------------- */

typedef enum {
  TOK_NULL,
  TOK_FALSE,
  TOK_TRUE,
  TOK_INT,
  TOK_DOUBLE,
  TOK_STRING,
  TOK_ARRAY,
  TOK_OBJECT,
} TokType;

typedef struct
{
  guint8  type;
  guint8  escaped;   /* a string with backslash escapes */
  guint32 start;     /* string: the first byte inside the quotes */
  guint32 len;       /* string: its raw length; container: members or elements */
  guint32 next;      /* the token after this value and all it contains */
  union
  {
    gint64 i;
    double d;
  } v;
} Token;

struct _BotoJsonReader
{
  const guchar *text;
  gsize         length;
  const guchar *p;

  Token        *tokens;
  guint32       n_tokens;
  guint32       n_alloc;

  /* The serialized output. */
  guint8       *out;
  gsize         out_len;
  gsize         out_alloc;

  /* Ends of the elements of the open containers, as a stack. */
  gsize        *ends;
  gsize         n_ends;
  gsize         ends_alloc;

  GString      *scratch;      /* one decoded string at a time */
  gpointer      seqs[4];      /* recent name sequences without a repeat (NameSeq) */
  guint         next_seq;
  GStringChunk *keys;         /* decoded member names with escapes */
  GHashTable   *names;        /* reused to find repeated member names */

  gsize         extra_end;    /* boto_json_read_result(): where its extra entry ends */

  /* The one-pass path: room to reorder the entries of a structure. */
  guint8       *tmp;
  gsize         tmp_alloc;
};

static gboolean
syntax_error (BotoJsonReader  *r,
              const guchar    *at,
              const char      *what,
              GError         **error)
{
  guint line = 1, column = 1;

  for (const guchar *q = r->text; q < at && q < r->text + r->length; q++)
    {
      if (*q == '\n')
        {
          line++;
          column = 1;
        }
      else
        column++;
    }
  if (at >= r->text + r->length)
    g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_RESPONSE,
                 "Invalid JSON in response: %s at the end of the document (line %u)", what, line);
  else
    g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_RESPONSE,
                 "Invalid JSON in response: %s at line %u, column %u", what, line, column);
  return FALSE;
}

static inline guint32
new_token (BotoJsonReader *r,
           TokType         type)
{
  Token *tok;

  if (r->n_tokens == r->n_alloc)
    {
      r->n_alloc = MAX (64, r->n_alloc * 2);
      r->tokens = g_renew (Token, r->tokens, r->n_alloc);
    }
  tok = &r->tokens[r->n_tokens];
  tok->type = type;
  tok->escaped = 0;
  tok->start = 0;
  tok->len = 0;
  tok->next = r->n_tokens + 1;
  return r->n_tokens++;
}

static inline void
skip_space (BotoJsonReader *r)
{
  const guchar *p = r->p, *end = r->text + r->length;

  if (G_LIKELY (p < end && *p > ' '))
    return;
  while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
    p++;
  r->p = p;
}

static inline int
hex4 (const guchar *p)
{
  int value = 0;

  for (int i = 0; i < 4; i++)
    {
      int c = p[i], digit;

      if (c >= '0' && c <= '9')
        digit = c - '0';
      else if (c >= 'a' && c <= 'f')
        digit = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        digit = c - 'A' + 10;
      else
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

/* Bytes a string scan must look at: quote, backslash, control, non-ASCII. */
static const guint8 string_special[256] = {
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

#ifdef __SSE2__
/* A bit for each of the sixteen bytes of @v that a string scan stops at:
 * a quote, a backslash, a control character or a non-ASCII byte.  Bit 1
 * flipped, the quote becomes 0x20 while control characters stay below
 * it and non-ASCII bytes negative, so one signed compare finds the
 * bytes above all three; one more finds the backslash. */
G_ALWAYS_INLINE static inline int
special_mask (__m128i v)
{
  __m128i above = _mm_cmpgt_epi8 (_mm_xor_si128 (v, _mm_set1_epi8 (0x02)), _mm_set1_epi8 (0x20));
  __m128i plain = _mm_andnot_si128 (_mm_cmpeq_epi8 (v, _mm_set1_epi8 ('\\')), above);

  return _mm_movemask_epi8 (plain) ^ 0xffff;
}
#endif

/* The first byte from @p on that ends a plain run inside a string: a
 * quote, a backslash or a byte string_special[] marks (@end if none). */
G_ALWAYS_INLINE static inline const guchar *
plain_run_end (const guchar *p,
               const guchar *end)
{
#ifdef __SSE2__
  /* Sixteen bytes at a time up to the first byte special_mask() finds. */
  while (end - p >= 16)
    {
      int mask = special_mask (_mm_loadu_si128 ((const __m128i *) p));

      if (mask != 0)
        return p + __builtin_ctz (mask);
      p += 16;
    }
#else
  /* Eight bytes at a time while none is a quote, a backslash, a
   * control character or non-ASCII. */
  while (end - p >= 8)
    {
      const guint64 ones = G_GUINT64_CONSTANT (0x0101010101010101);
      const guint64 highs = G_GUINT64_CONSTANT (0x8080808080808080);
      guint64 w, quote, backslash;

      memcpy (&w, p, 8);
      quote = w ^ (ones * '"');
      backslash = w ^ (ones * '\\');
      if ((((quote - ones) & ~quote) | ((backslash - ones) & ~backslash) |
           ((w - ones * 0x20) & ~w) | w) & highs)
        break;
      p += 8;
    }
#endif
  while (p < end && !string_special[*p])
    p++;
  return p;
}

static inline gboolean
scan_string (BotoJsonReader  *r,
             GError         **error)
{
  const guchar *end = r->text + r->length;
  const guchar *start = r->p + 1;
  const guchar *p = start;
  gboolean non_ascii = FALSE, escaped = FALSE;
  guint32 t = new_token (r, TOK_STRING);

  for (;;)
    {
      p = plain_run_end (p, end);
      if (p >= end)
        return syntax_error (r, p, "unterminated string", error);
      if (*p == '"')
        break;
      if (*p == '\\')
        {
          escaped = TRUE;
          if (p + 1 >= end)
            return syntax_error (r, p + 1, "unterminated string", error);
          if (p[1] == 'u')
            {
              int unit = end - p >= 6 ? hex4 (p + 2) : -1;

              if (unit < 0)
                return syntax_error (r, p, "invalid \\u escape", error);
              p += 6;
              if (unit >= 0xdc00 && unit <= 0xdfff)
                return syntax_error (r, p - 6, "lone UTF-16 surrogate in a \\u escape", error);
              if (unit >= 0xd800 && unit <= 0xdbff)
                {
                  int low = end - p >= 6 && p[0] == '\\' && p[1] == 'u' ? hex4 (p + 2) : -1;

                  if (low < 0xdc00 || low > 0xdfff)
                    return syntax_error (r, p - 6, "lone UTF-16 surrogate in a \\u escape", error);
                  p += 6;
                }
              continue;
            }
          if (p[1] == '\0')
            return syntax_error (r, p + 1, "NUL byte in a string", error);
          p += 2;
          if (p[-1] >= 0x80)
            non_ascii = TRUE;
          continue;
        }
      if (*p == '\0')
        return syntax_error (r, p, "NUL byte in a string", error);
      if (*p >= 0x80)
        non_ascii = TRUE;
      p++;
    }

  if (non_ascii && !g_utf8_validate_len ((const char *) start, p - start, NULL))
    return syntax_error (r, start, "a string is not valid UTF-8", error);

  r->tokens[t].escaped = escaped;
  r->tokens[t].start = start - r->text;
  r->tokens[t].len = p - start;
  r->p = p + 1;
  return TRUE;
}

/* A JSON number at @p: an integer that fits 64 bits in *@i (*@is_int),
 * anything else in *@d. Returns the byte after it, or NULL with the place
 * and the reason in *@bad and *@why. */
static const guchar *
read_number (const guchar  *p,
             const guchar  *end,
             gboolean      *is_int,
             gint64        *i,
             double        *d,
             const guchar **bad,
             const char   **why)
{
  const guchar *start = p;
  gboolean negative = FALSE, is_float = FALSE, overflow = FALSE;
  guint64 magnitude = 0;

  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }
  if (p >= end || !g_ascii_isdigit (*p))
    {
      *bad = p;
      *why = "a number without digits";
      return NULL;
    }
  while (p < end && g_ascii_isdigit (*p))
    {
      guint digit = *p - '0';

      if (magnitude > (G_MAXUINT64 - digit) / 10)
        overflow = TRUE;
      else
        magnitude = magnitude * 10 + digit;
      p++;
    }
  if (p < end && *p == '.')
    {
      is_float = TRUE;
      p++;
      if (p >= end || !g_ascii_isdigit (*p))
        {
          *bad = p;
          *why = "a number without digits after the point";
          return NULL;
        }
      while (p < end && g_ascii_isdigit (*p))
        p++;
    }
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      is_float = TRUE;
      p++;
      if (p < end && (*p == '+' || *p == '-'))
        p++;
      if (p >= end || !g_ascii_isdigit (*p))
        {
          *bad = p;
          *why = "a number without exponent digits";
          return NULL;
        }
      while (p < end && g_ascii_isdigit (*p))
        p++;
    }

  /* An integer beyond 64 bits is read as a double. */
  *is_int = FALSE;
  if (!is_float && !overflow)
    {
      if (!negative && magnitude <= G_MAXINT64)
        {
          *is_int = TRUE;
          *i = (gint64) magnitude;
        }
      else if (negative && magnitude <= (guint64) G_MAXINT64 + 1)
        {
          *is_int = TRUE;
          *i = magnitude == (guint64) G_MAXINT64 + 1 ? G_MININT64 : -(gint64) magnitude;
        }
    }
  if (!*is_int)
    {
      char stack[64];
      gsize len = p - start;
      char *copy = len < sizeof stack ? stack : g_malloc (len + 1);

      memcpy (copy, start, len);
      copy[len] = '\0';
      *d = g_ascii_strtod (copy, NULL);
      if (copy != stack)
        g_free (copy);
    }
  return p;
}

static gboolean
scan_number (BotoJsonReader  *r,
             GError         **error)
{
  const guchar *end = r->text + r->length;
  const guchar *p, *bad = NULL;
  const char *why = NULL;
  gboolean is_int;
  gint64 i = 0;
  double d = 0;
  guint32 t;

  p = read_number (r->p, end, &is_int, &i, &d, &bad, &why);
  if (p == NULL)
    return syntax_error (r, bad, why, error);
  t = new_token (r, is_int ? TOK_INT : TOK_DOUBLE);
  if (is_int)
    r->tokens[t].v.i = i;
  else
    r->tokens[t].v.d = d;
  r->p = p;
  return TRUE;
}

static gboolean
scan_literal (BotoJsonReader  *r,
              const char      *word,
              gsize            len,
              TokType          type,
              GError         **error)
{
  if ((gsize) (r->text + r->length - r->p) < len || memcmp (r->p, word, len) != 0)
    return syntax_error (r, r->p, "unexpected character", error);
  new_token (r, type);
  r->p += len;
  return TRUE;
}

static gboolean
scan_value (BotoJsonReader  *r,
            guint            depth,
            GError         **error)
{
  const guchar *end = r->text + r->length;
  guint32 t;
  guint32 count = 0;

  skip_space (r);
  if (r->p >= end)
    return syntax_error (r, r->p, "truncated document", error);

  switch (*r->p)
    {
    case '"':
      return scan_string (r, error);
    case 't':
      return scan_literal (r, "true", 4, TOK_TRUE, error);
    case 'f':
      return scan_literal (r, "false", 5, TOK_FALSE, error);
    case 'n':
      return scan_literal (r, "null", 4, TOK_NULL, error);
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return scan_number (r, error);

    case '{':
      if (depth >= BOTO_JSON_MAX_DEPTH)
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_RESPONSE,
                       "JSON values are nested more than %d deep", BOTO_JSON_MAX_DEPTH);
          return FALSE;
        }
      t = new_token (r, TOK_OBJECT);
      r->p++;
      skip_space (r);
      if (r->p < end && *r->p == '}')
        r->p++;
      else
        for (;;)
          {
            skip_space (r);
            if (r->p >= end || *r->p != '"')
              return syntax_error (r, r->p, "expected a member name", error);
            if (!scan_string (r, error))
              return FALSE;
            skip_space (r);
            if (r->p >= end || *r->p != ':')
              return syntax_error (r, r->p, "expected ‘:’", error);
            r->p++;
            if (!scan_value (r, depth + 1, error))
              return FALSE;
            count++;
            skip_space (r);
            if (r->p < end && *r->p == ',')
              {
                r->p++;
                continue;
              }
            if (r->p < end && *r->p == '}')
              {
                r->p++;
                break;
              }
            return syntax_error (r, r->p, "expected ‘,’ or ‘}’", error);
          }
      r->tokens[t].len = count;
      r->tokens[t].next = r->n_tokens;
      return TRUE;

    case '[':
      if (depth >= BOTO_JSON_MAX_DEPTH)
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_RESPONSE,
                       "JSON values are nested more than %d deep", BOTO_JSON_MAX_DEPTH);
          return FALSE;
        }
      t = new_token (r, TOK_ARRAY);
      r->p++;
      skip_space (r);
      if (r->p < end && *r->p == ']')
        r->p++;
      else
        for (;;)
          {
            if (!scan_value (r, depth + 1, error))
              return FALSE;
            count++;
            skip_space (r);
            if (r->p < end && *r->p == ',')
              {
                r->p++;
                continue;
              }
            if (r->p < end && *r->p == ']')
              {
                r->p++;
                break;
              }
            return syntax_error (r, r->p, "expected ‘,’ or ‘]’", error);
          }
      r->tokens[t].len = count;
      r->tokens[t].next = r->n_tokens;
      return TRUE;

    default:
      return syntax_error (r, r->p, "unexpected character", error);
    }
}

/**
 * boto_json_reader_new:
 * @text: a JSON document
 * @length: its length in bytes
 * @error: return location for a #GError
 *
 * Checks and tokenizes @text.  An empty document, bad syntax, invalid
 * UTF-8 in a string or nesting deeper than %BOTO_JSON_MAX_DEPTH give
 * %BOTO_CLIENT_ERROR_INVALID_RESPONSE.
 *
 * Returns: (transfer full) (nullable): the reader
 */
/* A freed reader is kept for the next one of the thread, with its
 * buffers (tokens, offsets, the name table). */
static void
reader_destroy (BotoJsonReader *reader)
{
  g_free (reader->tokens);
  g_free (reader->out);
  g_free (reader->ends);
  g_free (reader->tmp);
  if (reader->scratch != NULL)
    g_string_free (reader->scratch, TRUE);
  g_clear_pointer (&reader->keys, g_string_chunk_free);
  g_clear_pointer (&reader->names, g_hash_table_unref);
  for (guint i = 0; i < G_N_ELEMENTS (reader->seqs); i++)
    g_free (reader->seqs[i]);
  g_free (reader);
}

static GPrivate spare_reader = G_PRIVATE_INIT ((GDestroyNotify) reader_destroy);

BotoJsonReader *
boto_json_reader_new (const char  *text,
                      gsize        length,
                      GError     **error)
{
  g_autoptr(BotoJsonReader) r = g_private_get (&spare_reader);

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (r != NULL)
    g_private_set (&spare_reader, NULL);
  else
    r = g_new0 (BotoJsonReader, 1);

  if (length >= G_MAXUINT32)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_RESPONSE,
                   "The JSON document is too large");
      return NULL;
    }

  r->text = (const guchar *) (text != NULL ? text : "");
  r->length = length;
  r->p = r->text;
  r->n_tokens = 0;
  /* Enough tokens for most bodies at once. */
  if (r->n_alloc < length / 8)
    {
      g_free (r->tokens);
      r->n_alloc = MAX (64, length / 8);
      r->tokens = g_new (Token, r->n_alloc);
    }

  if (length >= 3 && memcmp (r->p, "\xef\xbb\xbf", 3) == 0)
    r->p += 3;
  skip_space (r);
  if (r->p >= r->text + r->length)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_RESPONSE,
                   "Empty JSON document in response");
      return NULL;
    }
  if (!scan_value (r, 0, error))
    return NULL;
  skip_space (r);
  if (r->p < r->text + r->length)
    {
      syntax_error (r, r->p, "text after the JSON value", error);
      return NULL;
    }

  return g_steal_pointer (&r);
}

void
boto_json_reader_free (BotoJsonReader *reader)
{
  if (reader == NULL)
    return;

  /* What points into this document goes; the buffers stay, unless
   * large, and so do the name sequences (they hold their names). */
  g_clear_pointer (&reader->out, g_free);
  reader->out_len = reader->out_alloc = 0;
  reader->n_ends = 0;
  g_clear_pointer (&reader->keys, g_string_chunk_free);
  reader->text = NULL;
  reader->p = NULL;
  reader->length = 0;
  if (reader->n_alloc > 65536)
    {
      g_clear_pointer (&reader->tokens, g_free);
      reader->n_alloc = 0;
    }
  if (reader->ends_alloc > 65536)
    {
      g_clear_pointer (&reader->ends, g_free);
      reader->ends_alloc = 0;
    }
  if (reader->tmp_alloc > 65536)
    {
      g_clear_pointer (&reader->tmp, g_free);
      reader->tmp_alloc = 0;
    }
  if (reader->scratch != NULL && reader->scratch->allocated_len > 65536)
    {
      g_string_free (reader->scratch, TRUE);
      reader->scratch = NULL;
    }

  if (g_private_get (&spare_reader) == NULL)
    g_private_set (&spare_reader, reader);
  else
    reader_destroy (reader);
}

gboolean
boto_json_reader_root_is_null (BotoJsonReader *reader)
{
  return reader->tokens[0].type == TOK_NULL;
}

gboolean
boto_json_reader_root_is_object (BotoJsonReader *reader)
{
  return reader->tokens[0].type == TOK_OBJECT;
}

/* Strings ---------------------------------------------------------------- */

/* Writes the decoded string of a checked token to @dst (which has room
 * for its raw length) and returns the decoded length; `\u0000` ends it,
 * as it ended json-glib's C strings. */
static gsize
decode_string (const guchar *s,
               gsize         len,
               guchar       *dst)
{
  const guchar *end = s + len;
  guchar *d = dst;

  while (s < end)
    {
      const guchar *backslash = memchr (s, '\\', end - s);
      gunichar c;

      if (backslash == NULL)
        {
          memcpy (d, s, end - s);
          d += end - s;
          break;
        }
      memcpy (d, s, backslash - s);
      d += backslash - s;
      s = backslash + 1;
      switch (*s)
        {
        case 'b': *d++ = '\b'; s++; break;
        case 'f': *d++ = '\f'; s++; break;
        case 'n': *d++ = '\n'; s++; break;
        case 'r': *d++ = '\r'; s++; break;
        case 't': *d++ = '\t'; s++; break;
        case 'u':
          c = hex4 (s + 1);
          s += 5;
          if (c >= 0xd800 && c <= 0xdbff)
            {
              c = 0x10000 + ((c - 0xd800) << 10) + (hex4 (s + 2) - 0xdc00);
              s += 6;
            }
          if (c == 0)
            return d - dst;
          d += g_unichar_to_utf8 (c, (char *) d);
          break;
        default:
          /* `\"`, `\\`, `\/`, and json-glib's reading of any other. */
          *d++ = *s++;
          break;
        }
    }
  return d - dst;
}

/* The decoded string of @t, NUL-terminated, valid until the next call. */
static const char *
token_string (BotoJsonReader *r,
              guint32         t,
              gsize          *out_len)
{
  const Token *tok = &r->tokens[t];
  gsize len;

  if (r->scratch == NULL)
    r->scratch = g_string_sized_new (tok->len + 1);
  g_string_set_size (r->scratch, tok->len);
  len = decode_string (r->text + tok->start, tok->len, (guchar *) r->scratch->str);
  g_string_truncate (r->scratch, len);
  if (out_len != NULL)
    *out_len = len;
  return r->scratch->str;
}

/* Output ------------------------------------------------------------------ */

static inline void
out_reserve (BotoJsonReader *r,
             gsize           extra)
{
  if (G_UNLIKELY (r->out_len + extra > r->out_alloc))
    {
      r->out_alloc = MAX (r->out_alloc * 2, r->out_len + extra);
      r->out = g_realloc (r->out, r->out_alloc);
    }
}

static inline void
out_align (BotoJsonReader *r,
           gsize           alignment)
{
  static const guint8 zeros[8] = { 0, };
  gsize pad = (0 - r->out_len) & (alignment - 1);

  /* Eight zeros written, as many kept as the padding needs. */
  out_reserve (r, 8);
  memcpy (r->out + r->out_len, zeros, 8);
  r->out_len += pad;
}

static inline void
out_bytes (BotoJsonReader *r,
           const void     *bytes,
           gsize           len)
{
  out_reserve (r, len);
  memcpy (r->out + r->out_len, bytes, len);
  r->out_len += len;
}

static inline void
out_byte (BotoJsonReader *r,
          guint8          byte)
{
  out_reserve (r, 1);
  r->out[r->out_len++] = byte;
}

/* A string value: its decoded bytes and a NUL. */
static void
out_string (BotoJsonReader *r,
            guint32         t)
{
  const Token *tok = &r->tokens[t];

  out_reserve (r, tok->len + 1);
  if (!tok->escaped)
    {
      memcpy (r->out + r->out_len, r->text + tok->start, tok->len);
      r->out_len += tok->len;
    }
  else
    r->out_len += decode_string (r->text + tok->start, tok->len, r->out + r->out_len);
  r->out[r->out_len++] = '\0';
}

static inline void
push_end_at (BotoJsonReader *r,
             gsize           end)
{
  if (G_UNLIKELY (r->n_ends == r->ends_alloc))
    {
      r->ends_alloc = MAX (64, r->ends_alloc * 2);
      r->ends = g_renew (gsize, r->ends, r->ends_alloc);
    }
  r->ends[r->n_ends++] = end;
}

static inline void
push_end (BotoJsonReader *r)
{
  push_end_at (r, r->out_len);
}

static inline void
out_offset (BotoJsonReader *r,
            gsize           value,
            guint           size)
{
  out_reserve (r, size);
  if (size == 1)
    {
      r->out[r->out_len++] = value;
      return;
    }
  for (guint i = 0; i < size; i++)
    r->out[r->out_len++] = (value >> (8 * i)) & 0xff;
}

/* Closes an array of variable-size elements that began at @start and
 * whose element ends were pushed from @base on. */
static void
close_array (BotoJsonReader *r,
             gsize           start,
             gsize           base)
{
  /* In locals: the offsets are written through a byte pointer, which
   * could alias the reader's fields. */
  const gsize *ends = r->ends + base;
  gsize n = r->n_ends - base;

  if (n > 0)
    {
      guint size = boto_gvariant_offset_size_for (r->out_len - start, n);
      guint8 *o;

      out_reserve (r, n * size);
      o = r->out + r->out_len;
      r->out_len += n * size;
      /* Little-endian offsets of 1, 2, 4 or 8 bytes. */
      if (size == 1)
        for (gsize i = 0; i < n; i++)
          o[i] = ends[i] - start;
      else if (size == 2)
        for (gsize i = 0; i < n; i++)
          {
            guint16 v = GUINT16_TO_LE ((guint16) (ends[i] - start));

            memcpy (o + 2 * i, &v, 2);
          }
      else if (size == 4)
        for (gsize i = 0; i < n; i++)
          {
            guint32 v = GUINT32_TO_LE ((guint32) (ends[i] - start));

            memcpy (o + 4 * i, &v, 4);
          }
      else
        for (gsize i = 0; i < n; i++)
          {
            guint64 v = GUINT64_TO_LE ((guint64) (ends[i] - start));

            memcpy (o + 8 * i, &v, 8);
          }
    }
  r->n_ends = base;
}

/* Closes a dict entry that began at @start whose key ended at @key_end. */
static inline void
close_entry (BotoJsonReader *r,
             gsize           start,
             gsize           key_end)
{
  out_offset (r, key_end - start, boto_gvariant_offset_size_for (r->out_len - start, 1));
}

/* A variant's type string after its value. */
static inline void
out_variant_type (BotoJsonReader *r,
                  const char     *type)
{
  gsize len = strlen (type);

  out_reserve (r, len + 1);
  r->out[r->out_len++] = '\0';
  memcpy (r->out + r->out_len, type, len);
  r->out_len += len;
}

#ifdef __GNUC__
#define FAST_INLINE inline __attribute__ ((always_inline))
#define FAST_NOINLINE __attribute__ ((noinline))
#else
#define FAST_INLINE inline
#define FAST_NOINLINE
#endif

/* Whether @len bytes at @a and @b are equal, without a call. */
static FAST_INLINE gboolean
fast_equal (const void *a,
            const void *b,
            gsize       len)
{
  const guint8 *x = a, *y = b;
  guint64 u, v;
  guint32 h, k;

  if (len >= 8)
    {
      /* Words, the last one overlapping the one before. */
      for (; len > 8; x += 8, y += 8, len -= 8)
        {
          memcpy (&u, x, 8);
          memcpy (&v, y, 8);
          if (u != v)
            return FALSE;
        }
      memcpy (&u, x + len - 8, 8);
      memcpy (&v, y + len - 8, 8);
      return u == v;
    }
  if (len >= 4)
    {
      memcpy (&h, x, 4);
      memcpy (&k, y, 4);
      if (h != k)
        return FALSE;
      memcpy (&h, x + len - 4, 4);
      memcpy (&k, y + len - 4, 4);
      return h == k;
    }
  for (; len > 0; x++, y++, len--)
    if (*x != *y)
      return FALSE;
  return TRUE;
}

/* Member order ------------------------------------------------------------ */

/* An object's members are written in document order, a repeated name
 * keeping its first place and taking its last value: the dict that
 * botocore's json.loads() gives, and json_object_get_members()'s order. */

typedef struct
{
  const char *name;
  gsize       len;
  guint32     value;   /* token of the (last) value */
} Member;

static guint
member_hash (gconstpointer p)
{
  const Member *m = p;
  guint32 h = 5381;

  for (gsize i = 0; i < m->len; i++)
    h = (h << 5) + h + (guchar) m->name[i];
  return h;
}

static gboolean
member_equal (gconstpointer a,
              gconstpointer b)
{
  const Member *ma = a, *mb = b;

  return ma->len == mb->len && memcmp (ma->name, mb->name, ma->len) == 0;
}

/* The decoded name of member key token @key in *@m. */
static void
member_name (BotoJsonReader *r,
             guint32         key,
             Member         *m)
{
  const Token *tok = &r->tokens[key];

  if (!tok->escaped)
    {
      m->name = (const char *) r->text + tok->start;
      m->len = tok->len;
    }
  else
    {
      gsize len;
      const char *decoded = token_string (r, key, &len);

      if (r->keys == NULL)
        r->keys = g_string_chunk_new (256);
      m->name = g_string_chunk_insert_len (r->keys, decoded, len);
      m->len = len;
    }
}

/* Up to this many names are checked for a repeat pair by pair. */
#define FEW_NAMES 16
/* Longer name sequences without a repeat are remembered up to this count. */
#define MAX_REMEMBERED_NAMES 256

/* A sequence of names seen before without a repeat, with its own copy of
 * the names.  Objects of a response often share theirs (the maps of a
 * list of items): comparing with one seen is cheaper than a hash table. */
typedef struct
{
  guint32  count;
  Member  *names;
} NameSeq;

static gboolean
name_seq_known (BotoJsonReader *r,
                const Member   *names,
                guint32         count)
{
  for (guint c = 0; c < G_N_ELEMENTS (r->seqs); c++)
    {
      const NameSeq *seq = r->seqs[c];
      guint32 i;

      if (seq == NULL || seq->count != count)
        continue;
      for (i = 0; i < count; i++)
        if (names[i].len != seq->names[i].len || !fast_equal (names[i].name, seq->names[i].name, names[i].len))
          break;
      if (i == count)
        return TRUE;
    }
  return FALSE;
}

/* Remembers @count names, in place of the oldest sequence. */
static void
name_seq_add (BotoJsonReader *r,
              const Member   *names,
              guint32         count)
{
  gsize text_len = 0;
  NameSeq *seq;
  char *text;

  for (guint32 i = 0; i < count; i++)
    text_len += names[i].len;
  seq = g_malloc (sizeof (NameSeq) + count * sizeof (Member) + text_len);
  seq->count = count;
  seq->names = (Member *) (seq + 1);
  text = (char *) (seq->names + count);
  for (guint32 i = 0; i < count; i++)
    {
      memcpy (text, names[i].name, names[i].len);
      seq->names[i].name = text;
      seq->names[i].len = names[i].len;
      seq->names[i].value = 0;
      text += names[i].len;
    }
  g_free (r->seqs[r->next_seq]);
  r->seqs[r->next_seq] = seq;
  r->next_seq = (r->next_seq + 1) % G_N_ELEMENTS (r->seqs);
}

/* Whether a name repeats among the @count @names. */
static gboolean
names_repeat (BotoJsonReader *r,
              const Member   *names,
              guint32         count)
{
  gboolean repeat = FALSE;

  if (count <= FEW_NAMES)
    {
      guint64 lengths = 0;
      guint32 i;

      /* Names of different lengths (modulo 64) differ: the usual. */
      for (i = 0; i < count; i++)
        {
          guint64 bit = G_GUINT64_CONSTANT (1) << (names[i].len & 63);

          if (lengths & bit)
            break;
          lengths |= bit;
        }
      if (i == count)
        return FALSE;
      for (i = 1; i < count; i++)
        for (guint32 j = 0; j < i; j++)
          if (names[i].len == names[j].len && fast_equal (names[i].name, names[j].name, names[i].len))
            return TRUE;
      return FALSE;
    }

  if (name_seq_known (r, names, count))
    return FALSE;
  if (r->names == NULL)
    r->names = g_hash_table_new (member_hash, member_equal);
  for (guint32 i = 0; i < count && !repeat; i++)
    repeat = !g_hash_table_add (r->names, (gpointer) &names[i]);
  g_hash_table_remove_all (r->names);
  if (!repeat && count <= MAX_REMEMBERED_NAMES)
    name_seq_add (r, names, count);
  return repeat;
}

/* The members of object @t in document order, a repeated name in its
 * first place with its last value: *@out_n of them written to @out,
 * which has room for all of the object's. */
static void
object_members (BotoJsonReader *r,
                guint32         t,
                Member         *out,
                guint          *out_n)
{
  guint32 count = r->tokens[t].len;
  guint32 k = t + 1;
  guint n = 0;

  for (guint32 i = 0; i < count; i++, k = r->tokens[k + 1].next)
    {
      member_name (r, k, &out[i]);
      out[i].value = k + 1;
    }
  if (!names_repeat (r, out, count))
    {
      *out_n = count;
      return;
    }

  /* The table holds the members kept so far, out[0, n), and n <= i. */
  if (r->names == NULL)
    r->names = g_hash_table_new (member_hash, member_equal);
  for (guint32 i = 0; i < count; i++)
    {
      Member *first = g_hash_table_lookup (r->names, &out[i]);

      if (first != NULL)
        first->value = out[i].value;
      else
        {
          out[n] = out[i];
          g_hash_table_add (r->names, &out[n]);
          n++;
        }
    }
  g_hash_table_remove_all (r->names);
  *out_n = n;
}

/* Room for the members of object @t. */
#define MEMBERS_BUFFER(r, t, stack, heap) \
  ((r)->tokens[t].len <= G_N_ELEMENTS (stack) ? (stack) : ((heap) = g_new (Member, (r)->tokens[t].len)))

/* Values without a shape (documents) -------------------------------------- */

/* Objects `a{sv}`, arrays `av`, null `mv` nothing, integers `x`, other
 * numbers `d` (boto_protocol_json_to_variant's forms). */
static const char *
out_generic (BotoJsonReader *r,
             guint32         t)
{
  const Token *tok = &r->tokens[t];

  switch ((TokType) tok->type)
    {
    case TOK_NULL:
      return "mv";
    case TOK_FALSE:
    case TOK_TRUE:
      out_byte (r, tok->type == TOK_TRUE);
      return "b";
    case TOK_INT:
      out_align (r, 8);
      out_bytes (r, &tok->v.i, 8);
      return "x";
    case TOK_DOUBLE:
      out_align (r, 8);
      out_bytes (r, &tok->v.d, 8);
      return "d";
    case TOK_STRING:
      out_string (r, t);
      return "s";
    case TOK_ARRAY:
      {
        gsize start, base = r->n_ends;
        guint32 e = t + 1;

        out_align (r, 8);
        start = r->out_len;
        for (guint32 i = 0; i < tok->len; i++)
          {
            out_align (r, 8);
            out_variant_type (r, out_generic (r, e));
            push_end (r);
            e = r->tokens[e].next;
          }
        close_array (r, start, base);
        return "av";
      }
    case TOK_OBJECT:
    default:
      {
        gsize start, base = r->n_ends;
        guint n = 0;
        Member stack[16];
        g_autofree Member *heap = NULL;
        Member *members = MEMBERS_BUFFER (r, t, stack, heap);

        object_members (r, t, members, &n);

        out_align (r, 8);
        start = r->out_len;
        for (guint i = 0; i < n; i++)
          {
            gsize entry, key_end;

            out_align (r, 8);
            entry = r->out_len;

            out_reserve (r, members[i].len + 1);
            memcpy (r->out + r->out_len, members[i].name, members[i].len);
            r->out_len += members[i].len;
            r->out[r->out_len++] = '\0';
            key_end = r->out_len;
            out_align (r, 8);
            out_variant_type (r, out_generic (r, members[i].value));
            close_entry (r, entry, key_end);
            push_end (r);
          }
        close_array (r, start, base);
        return "a{sv}";
      }
    }
}

/* Shape plans ------------------------------------------------------------ */

typedef enum {
  KIND_STRUCTURE,
  KIND_LIST,
  KIND_MAP,
  KIND_STRING,
  KIND_INT32,
  KIND_INT64,
  KIND_DOUBLE,
  KIND_BOOLEAN,
  KIND_TIMESTAMP,
  KIND_BLOB,
  KIND_DOCUMENT,
} Kind;

typedef struct _Plan Plan;

typedef struct
{
  const char *name;
  gsize       name_len;
  const char *json_name;
  gsize       json_name_len;
  gboolean    json_name_plain;  /* no quote, backslash or control character */
  Plan       *plan;
  gboolean    located;    /* has a `location` (header, status code …) */
  guint8     *key;        /* name, NUL and zeros to a multiple of 8: an entry's start */
  gsize       key_len;    /* (key holds at least 16 bytes, zeros after key_len) */
  /* `"json_name":` for names that fit 32 bytes so, to compare in place. */
  guint8      pattern[32];
  guint32     pattern_mask;  /* its bytes; 0: compared otherwise */
  guint       pattern_len;
} PlanMember;

struct _Plan
{
  BotoShapeDef *def;
  Kind          kind;
  guint8        alignment;
  guint8        fixed_size;   /* 0: variable */
  gboolean      is_union;
  char         *type;         /* NULL when the shape cannot be typed */
  gsize         type_len;
  guint64       type_tail;    /* a NUL and the type, when they fit in 8 bytes */
  gsize         type_tail_len; /* 0 when they do not */
  char         *problem;      /* why values of it cannot be read, or NULL */
  guint         n_members;
  PlanMember   *members;      /* structure */
  Plan         *item;         /* list: the member; map: the value */
};

struct _BotoJsonPlans
{
  BotoModelData *data;
  GMutex         lock;
  GHashTable    *by_def;     /* BotoShapeDef* → Plan* */
  Plan          *last;       /* the plan looked up last (atomic), complete */
};

static void
plan_free (gpointer p)
{
  Plan *plan = p;

  for (guint i = 0; i < plan->n_members; i++)
    g_free (plan->members[i].key);
  g_free (plan->type);
  g_free (plan->problem);
  g_free (plan->members);
  g_free (plan);
}

BotoJsonPlans *
boto_json_plans_new (BotoModelData *data)
{
  BotoJsonPlans *plans = g_new0 (BotoJsonPlans, 1);

  plans->data = boto_model_data_ref (data);
  g_mutex_init (&plans->lock);
  plans->by_def = g_hash_table_new_full (NULL, NULL, NULL, plan_free);
  return plans;
}

void
boto_json_plans_free (BotoJsonPlans *plans)
{
  if (plans == NULL)
    return;
  g_hash_table_unref (plans->by_def);
  g_mutex_clear (&plans->lock);
  boto_model_data_unref (plans->data);
  g_free (plans);
}

/**
 * boto_json_plans_for_operation:
 * @op: an operation model
 *
 * The plans kept with @op (made on first use), shared by every thread.
 *
 * Returns: (transfer none): the plans
 */
BotoJsonPlans *
boto_json_plans_for_operation (BotoOperationModel *op)
{
  static GQuark quark;
  BotoJsonPlans *plans;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("boto-json-plans");

  plans = g_object_get_qdata (G_OBJECT (op), quark);
  if (G_LIKELY (plans != NULL))
    return plans;

  plans = boto_json_plans_new (boto_operation_model_get_data (op));
  if (!g_object_replace_qdata (G_OBJECT (op), quark, NULL, plans,
                               (GDestroyNotify) boto_json_plans_free, NULL))
    {
      boto_json_plans_free (plans);
      plans = g_object_get_qdata (G_OBJECT (op), quark);
    }
  return plans;
}

static const char *
ref_location (BotoMemberDef *member,
              BotoShapeDef  *target)
{
  const char *location = boto_model_variant_get_string (member->traits, "location");

  if (location == NULL && target != NULL)
    location = boto_model_variant_get_string (target->definition, "location");
  return location;
}

/* Called with plans->lock held. */
static Plan *
plan_get (BotoJsonPlans *plans,
          BotoShapeDef  *def)
{
  Plan *plan = g_hash_table_lookup (plans->by_def, def);
  const char *type;

  if (plan != NULL)
    return plan;

  plan = g_new0 (Plan, 1);
  plan->def = def;
  g_hash_table_insert (plans->by_def, def, plan);

  type = boto_shape_def_get_value_type (plans->data, def);
  if (type != NULL)
    {
      plan->type = g_strdup (type);
      plan->type_len = strlen (type);
      if (plan->type_len + 1 <= 8)
        {
          guint8 tail[8] = { 0, };

          memcpy (tail + 1, type, plan->type_len);
          memcpy (&plan->type_tail, tail, 8);
          plan->type_tail_len = plan->type_len + 1;
        }
    }

  if (def->is_document)
    plan->kind = KIND_DOCUMENT;
  else
    switch (def->type)
      {
      case BOTO_SHAPE_TYPE_STRUCTURE: plan->kind = KIND_STRUCTURE; break;
      case BOTO_SHAPE_TYPE_LIST: plan->kind = KIND_LIST; break;
      case BOTO_SHAPE_TYPE_MAP: plan->kind = KIND_MAP; break;
      case BOTO_SHAPE_TYPE_STRING:
      case BOTO_SHAPE_TYPE_CHARACTER: plan->kind = KIND_STRING; break;
      case BOTO_SHAPE_TYPE_INTEGER:
      case BOTO_SHAPE_TYPE_SHORT:
      case BOTO_SHAPE_TYPE_BYTE: plan->kind = KIND_INT32; break;
      case BOTO_SHAPE_TYPE_LONG: plan->kind = KIND_INT64; break;
      case BOTO_SHAPE_TYPE_FLOAT:
      case BOTO_SHAPE_TYPE_DOUBLE: plan->kind = KIND_DOUBLE; break;
      case BOTO_SHAPE_TYPE_BOOLEAN: plan->kind = KIND_BOOLEAN; break;
      case BOTO_SHAPE_TYPE_TIMESTAMP: plan->kind = KIND_TIMESTAMP; break;
      case BOTO_SHAPE_TYPE_BLOB: plan->kind = KIND_BLOB; break;
      default: plan->kind = KIND_DOCUMENT; break;
      }

  switch (plan->kind)
    {
    case KIND_STRUCTURE:
      plan->alignment = 8;
      plan->is_union = boto_model_variant_get_boolean (def->definition, "union");
      plan->n_members = def->n_members;
      plan->members = g_new0 (PlanMember, def->n_members);
      for (guint i = 0; i < def->n_members; i++)
        {
          BotoMemberDef *member = &def->members[i];
          PlanMember *pm = &plan->members[i];
          BotoShapeDef *target = boto_member_def_get_target (plans->data, member);

          pm->name = member->name;
          pm->name_len = strlen (member->name);
          pm->key_len = (pm->name_len + 1 + 7) & ~(gsize) 7;
          pm->key = g_malloc0 (MAX (pm->key_len, 16));
          memcpy (pm->key, pm->name, pm->name_len);
          pm->json_name = boto_model_variant_get_string (member->traits, "locationName");
          if (pm->json_name == NULL)
            pm->json_name = member->name;
          pm->json_name_len = strlen (pm->json_name);
          pm->json_name_plain = TRUE;
          for (gsize k = 0; k < pm->json_name_len; k++)
            if (pm->json_name[k] == '"' || pm->json_name[k] == '\\' || (guchar) pm->json_name[k] < 0x20)
              pm->json_name_plain = FALSE;
          if (pm->json_name_plain && pm->json_name_len + 3 <= sizeof pm->pattern)
            {
              pm->pattern_len = pm->json_name_len + 3;
              pm->pattern[0] = '"';
              memcpy (pm->pattern + 1, pm->json_name, pm->json_name_len);
              pm->pattern[pm->json_name_len + 1] = '"';
              pm->pattern[pm->json_name_len + 2] = ':';
              pm->pattern_mask = pm->pattern_len == 32 ? G_MAXUINT32 : (1u << pm->pattern_len) - 1;
            }
          pm->located = ref_location (member, target) != NULL;
          if (target == NULL)
            {
              if (plan->problem == NULL)
                plan->problem = g_strdup_printf ("The model has no shape “%s”",
                                                 member->shape_name != NULL ? member->shape_name : "");
              continue;
            }
          pm->plan = plan_get (plans, target);
        }
      break;

    case KIND_LIST:
    case KIND_MAP:
      {
        guint index = plan->kind == KIND_LIST ? 0 : 1;
        BotoShapeDef *target = NULL;

        plan->alignment = 8;
        if (def->n_members <= index)
          {
            plan->problem = plan->kind == KIND_LIST ?
                            g_strdup_printf ("List shape “%s” has no member", def->name) :
                            g_strdup_printf ("Map shape “%s” is incomplete", def->name);
            break;
          }
        for (guint i = 0; i <= index; i++)
          if (boto_member_def_get_target (plans->data, &def->members[i]) == NULL)
            {
              plan->problem = g_strdup_printf ("The model has no shape “%s”",
                                               def->members[i].shape_name != NULL ? def->members[i].shape_name : "");
              break;
            }
        if (plan->problem != NULL)
          break;
        target = boto_member_def_get_target (plans->data, &def->members[index]);
        plan->item = plan_get (plans, target);
        plan->alignment = MAX (plan->item->alignment, 1);
      }
      break;

    case KIND_STRING:
    case KIND_BOOLEAN:
    case KIND_BLOB:
      plan->alignment = 1;
      plan->fixed_size = plan->kind == KIND_BOOLEAN ? 1 : 0;
      break;
    case KIND_INT32:
      plan->alignment = 4;
      plan->fixed_size = 4;
      break;
    case KIND_INT64:
    case KIND_DOUBLE:
    case KIND_TIMESTAMP:
      plan->alignment = 8;
      plan->fixed_size = 8;
      break;
    case KIND_DOCUMENT:
    default:
      plan->alignment = 8;
      break;
    }

  return plan;
}

static Plan *
plans_lookup (BotoJsonPlans *plans,
              BotoShapeDef  *def)
{
  Plan *plan = g_atomic_pointer_get (&plans->last);

  /* The same root shape again, the usual: no lock.  Plans are complete
   * once published and live as long as @plans. */
  if (plan != NULL && plan->def == def)
    return plan;
  g_mutex_lock (&plans->lock);
  plan = plan_get (plans, def);
  g_mutex_unlock (&plans->lock);
  g_atomic_pointer_set (&plans->last, plan);
  return plan;
}

/* The shape walk ----------------------------------------------------------- */

static gboolean out_value (BotoJsonReader *r, Plan *plan, guint32 t, guint depth,
                           const char **out_type, GError **error);

/* For each member of @plan, the token of its value in object @t (the last
 * one when a name repeats), or G_MAXUINT32. */
static void
match_members (BotoJsonReader *r,
               Plan           *plan,
               guint32         t,
               guint32        *found)
{
  guint32 count = r->tokens[t].len;
  guint32 k = t + 1;
  guint hint = 0;

  for (guint i = 0; i < plan->n_members; i++)
    found[i] = G_MAXUINT32;

  for (guint32 i = 0; i < count; i++, k = r->tokens[k + 1].next)
    {
      const Token *key = &r->tokens[k];
      const char *name = (const char *) r->text + key->start;
      gsize len = key->len;

      if (key->escaped)
        name = token_string (r, k, &len);

      /* Members mostly come in model order: start after the last match. */
      for (guint j = 0; j < plan->n_members; j++)
        {
          guint m = hint + j < plan->n_members ? hint + j : hint + j - plan->n_members;
          const PlanMember *pm = &plan->members[m];

          if (pm->json_name_len == len && memcmp (pm->json_name, name, len) == 0)
            {
              found[m] = k + 1;
              hint = m + 1 < plan->n_members ? m + 1 : 0;
              break;
            }
        }
    }
}

/* botocore's SDK_UNKNOWN_MEMBER for a union whose one member set is not in
 * the model; FALSE when that is not the case. */
static gboolean
out_unknown_union_member (BotoJsonReader *r,
                          Plan           *plan,
                          guint32         t)
{
  guint32 count = r->tokens[t].len;
  guint32 k = t + 1;
  guint32 tag = 0;
  guint n = 0;
  gsize tag_len;
  const char *name;
  g_autofree char *copy = NULL;
  GVariantDict unknown;
  g_autoptr(GVariant) value = NULL;

  for (guint32 i = 0; i < count; i++, k = r->tokens[k + 1].next)
    {
      gsize len;
      const char *key = token_string (r, k, &len);

      if (strcmp (key, "__type") != 0 && r->tokens[k + 1].type != TOK_NULL)
        {
          tag = k;
          n++;
        }
    }
  if (n != 1)
    return FALSE;

  name = token_string (r, tag, &tag_len);
  for (guint i = 0; i < plan->n_members; i++)
    if (plan->members[i].json_name_len == tag_len && memcmp (plan->members[i].json_name, name, tag_len) == 0)
      return FALSE;

  copy = g_strndup (name, tag_len);
  g_variant_dict_init (&unknown, NULL);
  g_variant_dict_insert (&unknown, "name", "s", copy);
  value = g_variant_ref_sink (g_variant_new_parsed ("{'SDK_UNKNOWN_MEMBER': <%@a{sv}>}",
                                                    g_variant_dict_end (&unknown)));
  out_align (r, 8);
  out_bytes (r, g_variant_get_data (value), g_variant_get_size (value));
  return TRUE;
}

static gboolean
out_structure (BotoJsonReader  *r,
               Plan            *plan,
               guint32          t,
               guint            depth,
               GError         **error)
{
  guint32 stack[32];
  g_autofree guint32 *heap = NULL;
  guint32 *found;
  gsize start, base = r->n_ends;

  if (r->tokens[t].type == TOK_NULL)
    return TRUE;   /* no members */
  if (r->tokens[t].type != TOK_OBJECT)
    return boto_protocol_invalid (error, "Expected a JSON object for “%s”", plan->def->name);
  if (plan->is_union && out_unknown_union_member (r, plan, t))
    return TRUE;
  if (plan->problem != NULL)
    return boto_protocol_invalid (error, "%s", plan->problem);

  found = plan->n_members <= G_N_ELEMENTS (stack) ? stack : (heap = g_new (guint32, plan->n_members));
  match_members (r, plan, t, found);

  out_align (r, 8);
  start = r->out_len;
  for (guint i = 0; i < plan->n_members; i++)
    {
      const PlanMember *pm = &plan->members[i];
      gsize entry, key_end;
      const char *type;

      if (found[i] == G_MAXUINT32 || r->tokens[found[i]].type == TOK_NULL)
        continue;

      out_align (r, 8);
      entry = r->out_len;
      out_bytes (r, pm->name, pm->name_len + 1);
      key_end = r->out_len;
      out_align (r, 8);
      if (!out_value (r, pm->plan, found[i], depth + 1, &type, error))
        return FALSE;
      out_variant_type (r, type);
      close_entry (r, entry, key_end);
      push_end (r);
    }
  close_array (r, start, base);
  return TRUE;
}

static gboolean
out_list (BotoJsonReader  *r,
          Plan            *plan,
          guint32          t,
          guint            depth,
          const char     **out_type,
          GError         **error)
{
  const Token *tok = &r->tokens[t];
  Plan *item = plan->item;
  gboolean sparse = FALSE;
  gsize start, base = r->n_ends;
  guint32 e;

  if (plan->problem != NULL)
    return boto_protocol_invalid (error, "%s", plan->problem);
  if (tok->type != TOK_ARRAY)
    return boto_protocol_invalid (error, "Expected a JSON array for “%s”", plan->def->name);
  if (item->type == NULL || plan->type == NULL)
    return boto_protocol_invalid (error, "Cannot type values of shape “%s”", item->def->name);

  /* A typed array has no room for null: a sparse list is an `av` whose
   * nulls are `mv` nothing (DESIGN.md), as botocore keeps them (None). */
  e = t + 1;
  for (guint32 i = 0; i < tok->len && !sparse; i++, e = r->tokens[e].next)
    sparse = r->tokens[e].type == TOK_NULL ||
             (item->kind == KIND_STRING && r->tokens[e].type >= TOK_ARRAY);

  e = t + 1;
  if (sparse)
    {
      out_align (r, 8);
      start = r->out_len;
      for (guint32 i = 0; i < tok->len; i++, e = r->tokens[e].next)
        {
          const char *type = "mv";

          out_align (r, 8);
          if (r->tokens[e].type != TOK_NULL && !out_value (r, item, e, depth + 1, &type, error))
            return FALSE;
          out_variant_type (r, type);
          push_end (r);
        }
      close_array (r, start, base);
      *out_type = "av";
      return TRUE;
    }

  out_align (r, plan->alignment);
  start = r->out_len;
  for (guint32 i = 0; i < tok->len; i++, e = r->tokens[e].next)
    {
      const char *type;

      if (!out_value (r, item, e, depth + 1, &type, error))
        return FALSE;
      if (type != item->type && strcmp (type, item->type) != 0)
        return boto_protocol_invalid (error, "Unexpected JSON value in “%s”", plan->def->name);
      if (item->fixed_size == 0)
        push_end (r);
    }
  close_array (r, start, base);
  *out_type = plan->type;
  return TRUE;
}

static gboolean
out_map (BotoJsonReader  *r,
         Plan            *plan,
         guint32          t,
         guint            depth,
         GError         **error)
{
  Plan *value = plan->item;
  Member stack[16];
  g_autofree Member *heap = NULL;
  Member *members;
  gsize start, base = r->n_ends;
  guint n = 0;

  if (plan->problem != NULL)
    return boto_protocol_invalid (error, "%s", plan->problem);
  if (r->tokens[t].type != TOK_OBJECT)
    return boto_protocol_invalid (error, "Expected a JSON object for “%s”", plan->def->name);
  if (value->type == NULL || plan->type == NULL)
    return boto_protocol_invalid (error, "Cannot type values of shape “%s”", plan->def->name);

  members = MEMBERS_BUFFER (r, t, stack, heap);
  object_members (r, t, members, &n);
  out_align (r, plan->alignment);
  start = r->out_len;
  for (guint i = 0; i < n; i++)
    {
      const char *type;
      gsize entry, key_end;

      if (r->tokens[members[i].value].type == TOK_NULL)
        continue;
      out_align (r, plan->alignment);
      entry = r->out_len;
      out_reserve (r, members[i].len + 1);
      memcpy (r->out + r->out_len, members[i].name, members[i].len);
      r->out_len += members[i].len;
      r->out[r->out_len++] = '\0';
      key_end = r->out_len;
      if (!out_value (r, value, members[i].value, depth + 1, &type, error))
        return FALSE;
      if (type != value->type && strcmp (type, value->type) != 0)
        {
          g_autofree char *name = g_strndup (members[i].name, members[i].len);

          return boto_protocol_invalid (error, "Unexpected JSON value for “%s” in “%s”", name, plan->def->name);
        }
      close_entry (r, entry, key_end);
      push_end (r);
    }
  close_array (r, start, base);
  return TRUE;
}

static gboolean
token_number (const Token *tok,
              double      *out)
{
  if (tok->type == TOK_INT)
    *out = (double) tok->v.i;
  else if (tok->type == TOK_DOUBLE)
    *out = tok->v.d;
  else
    return FALSE;
  return TRUE;
}

static gboolean
out_value (BotoJsonReader  *r,
           Plan            *plan,
           guint32          t,
           guint            depth,
           const char     **out_type,
           GError         **error)
{
  const Token *tok = &r->tokens[t];
  const char *name = plan->def->name;

  if (depth > BOTO_JSON_MAX_DEPTH)
    return boto_protocol_invalid (error, "JSON values are nested more than %d deep", BOTO_JSON_MAX_DEPTH);

  *out_type = plan->type;
  switch (plan->kind)
    {
    case KIND_STRUCTURE:
      return out_structure (r, plan, t, depth, error);

    case KIND_LIST:
      return out_list (r, plan, t, depth, out_type, error);

    case KIND_MAP:
      return out_map (r, plan, t, depth, error);

    case KIND_STRING:
      if (tok->type == TOK_STRING)
        {
          out_string (r, t);
          return TRUE;
        }
      /* botocore hands a string shape's value over as it came; an object
       * or array is kept as generic data (in a `v`: see the list and map
       * cases), a number or boolean is refused. */
      if (tok->type == TOK_OBJECT || tok->type == TOK_ARRAY)
        {
          *out_type = out_generic (r, t);
          return TRUE;
        }
      return boto_protocol_invalid (error, "Expected a JSON string for “%s”", name);

    case KIND_INT32:
    case KIND_INT64:
      {
        gint64 value;
        double number;

        if (tok->type == TOK_INT)
          value = tok->v.i;
        else if (token_number (tok, &number) && isfinite (number) && fabs (number) < 9.2e18)
          value = (gint64) number;
        else
          return boto_protocol_invalid (error, "Expected a JSON integer for “%s”", name);
        if (plan->kind == KIND_INT64)
          {
            out_align (r, 8);
            out_bytes (r, &value, 8);
          }
        else
          {
            gint32 value32 = (gint32) value;

            if (value < G_MININT32 || value > G_MAXINT32)
              return boto_protocol_invalid (error, "%" G_GINT64_FORMAT " is out of range for “%s”", value, name);
            out_align (r, 4);
            out_bytes (r, &value32, 4);
          }
        return TRUE;
      }

    case KIND_DOUBLE:
      {
        double number;

        if (!token_number (tok, &number))
          {
            const char *text = tok->type == TOK_STRING ? token_string (r, t, NULL) : NULL;

            if (text != NULL && strcmp (text, "NaN") == 0)
              number = NAN;
            else if (text != NULL && strcmp (text, "Infinity") == 0)
              number = INFINITY;
            else if (text != NULL && strcmp (text, "-Infinity") == 0)
              number = -INFINITY;
            else
              return boto_protocol_invalid (error, "Expected a JSON number for “%s”", name);
          }
        out_align (r, 8);
        out_bytes (r, &number, 8);
        return TRUE;
      }

    case KIND_BOOLEAN:
      if (tok->type == TOK_TRUE || tok->type == TOK_FALSE)
        out_byte (r, tok->type == TOK_TRUE);
      else if (tok->type == TOK_STRING)
        out_byte (r, g_ascii_strcasecmp (token_string (r, t, NULL), "true") == 0);
      else
        return boto_protocol_invalid (error, "Expected a JSON boolean for “%s”", name);
      return TRUE;

    case KIND_TIMESTAMP:
      {
        double number;
        gint64 usec;

        if (token_number (tok, &number) && isfinite (number) && fabs (number) < 1e13)
          usec = (gint64) llround (number * G_USEC_PER_SEC);
        else if (tok->type == TOK_STRING)
          {
            const char *text = token_string (r, t, NULL);

            if (!boto_protocol_parse_timestamp (text, &usec))
              return boto_protocol_invalid (error, "“%s” is not a valid timestamp", text);
          }
        else
          return boto_protocol_invalid (error, "Expected a JSON timestamp for “%s”", name);
        out_align (r, 8);
        out_bytes (r, &usec, 8);
        return TRUE;
      }

    case KIND_BLOB:
      if (tok->type == TOK_STRING)
        {
          gsize length = 0;
          g_autofree guchar *decoded = g_base64_decode (token_string (r, t, NULL), &length);

          out_bytes (r, decoded, length);
          return TRUE;
        }
      return boto_protocol_invalid (error, "Expected a base64 JSON string for “%s”", name);

    case KIND_DOCUMENT:
    default:
      out_align (r, 8);
      out_variant_type (r, out_generic (r, t));
      *out_type = "v";
      return TRUE;
    }
}

/* Writes @entry as a whole `{sv}` dict entry at the next 8-aligned place. */
static void
out_entry (BotoJsonReader         *r,
           const BotoVariantEntry *entry)
{
  gsize start, key_len = strlen (entry->key);

  out_align (r, 8);
  start = r->out_len;
  out_bytes (r, entry->key, key_len + 1);
  out_align (r, 8);
  out_bytes (r, entry->data, entry->size);
  out_variant_type (r, entry->type);
  close_entry (r, start, start + key_len + 1);
}

/* The one-pass path --------------------------------------------------------- */

static void out_reset (BotoJsonReader *r);

/* Most bodies are read in one pass: the text is checked and written out
 * as the shapes say at once, a map's entries as they come, a structure's
 * as they come and then moved into model order when the two differ.
 * Anything out of the ordinary for that pass (bad syntax, a repeated or
 * escaped member name, null in a list, a value its shape does not
 * expect, documents, blobs, timestamps as strings, deep nesting …) makes
 * it give up, and the body is read again in two passes (above), which
 * give the same values and every error. */

/* Whether the two bytes at @p are @a and @b, in one load. */
static FAST_INLINE gboolean
fast_two (const guchar *p,
          guchar        a,
          guchar        b)
{
  guint16 v;

  memcpy (&v, p, 2);
  return GUINT16_FROM_LE (v) == (guint16) (a | (b << 8));
}

static FAST_INLINE const guchar *
fast_space (const guchar *p,
            const guchar *end)
{
  if (G_LIKELY (p < end && *p > ' '))
    return p;
  /* The one space after `:` or `,` of most writers. */
  if (p + 1 < end && *p == ' ' && p[1] > ' ')
    return p + 1;
  while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
    p++;
  return p;
}

/* After a member or an item: a comma and the space after it, or @close
 * (*@closed set, @p past it); NULL for anything else. */
static FAST_INLINE const guchar *
fast_separator (const guchar *p,
                const guchar *end,
                guchar        close,
                gboolean     *closed)
{
  *closed = FALSE;
  /* `, "` and `}` right after the value, the usual. */
  if (G_LIKELY (end - p >= 3 && fast_two (p, ',', ' ') && p[2] > ' '))
    return p + 2;
  if (p < end && *p == close)
    {
      *closed = TRUE;
      return p + 1;
    }
  p = fast_space (p, end);
  if (p < end && *p == ',')
    return fast_space (p + 1, end);
  if (p < end && *p == close)
    {
      *closed = TRUE;
      return p + 1;
    }
  return NULL;
}

#define FAST_ESCAPED   1u
#define FAST_NON_ASCII 2u

/* @p after an opening quote: the closing quote, or NULL where
 * scan_string() would fail. */
static FAST_INLINE const guchar *
fast_string_end (const guchar *p,
                 const guchar *end,
                 guint        *flags)
{
  for (;;)
    {
      p = plain_run_end (p, end);
      if (G_UNLIKELY (p >= end))
        return NULL;
      if (G_LIKELY (*p == '"'))
        return p;
      if (*p == '\\')
        {
          *flags |= FAST_ESCAPED;
          if (end - p < 2 || p[1] == '\0')
            return NULL;
          if (p[1] == 'u')
            {
              int unit = end - p >= 6 ? hex4 (p + 2) : -1;

              if (unit < 0 || (unit >= 0xdc00 && unit <= 0xdfff))
                return NULL;
              p += 6;
              if (unit >= 0xd800 && unit <= 0xdbff)
                {
                  int low = end - p >= 6 && p[0] == '\\' && p[1] == 'u' ? hex4 (p + 2) : -1;

                  if (low < 0xdc00 || low > 0xdfff)
                    return NULL;
                  p += 6;
                }
              continue;
            }
          if (p[1] >= 0x80)
            *flags |= FAST_NON_ASCII;
          p += 2;
          continue;
        }
      if (*p == '\0')
        return NULL;
      if (*p >= 0x80)
        *flags |= FAST_NON_ASCII;
      p++;
    }
}

/* @p on an opening quote: the text inside the quotes is [*start, *start
 * + *len); returns the byte after the closing quote, or NULL. */
static FAST_INLINE const guchar *
fast_string (const guchar  *p,
             const guchar  *end,
             const guchar **start,
             gsize         *len,
             guint         *flags)
{
  const guchar *s = p + 1;
  const guchar *q;

  *flags = 0;
  q = fast_string_end (s, end, flags);
  if (q == NULL)
    return NULL;
  if ((*flags & FAST_NON_ASCII) && !g_utf8_validate_len ((const char *) s, q - s, NULL))
    return NULL;
  *start = s;
  *len = q - s;
  return q + 1;
}

/* fast_string_value() for a string that is not plain ASCII without
 * escapes: written again from its start, decoded. */
static FAST_NOINLINE const guchar *
fast_string_value_slow (BotoJsonReader *r,
                        const guchar   *p,
                        const guchar   *end)
{
  const guchar *s;
  gsize len;
  guint flags;

  p = fast_string (p, end, &s, &len, &flags);
  if (p == NULL)
    return NULL;
  if (!(flags & FAST_ESCAPED))
    {
      memcpy (r->out + r->out_len, s, len);
      r->out_len += len;
    }
  else
    r->out_len += decode_string (s, len, r->out + r->out_len);
  r->out[r->out_len++] = '\0';
  return p;
}

/* The room fast_string_value_in() needs for a string at @p: the string
 * is no longer than the rest of the text; 16 more for the last block
 * stored whole (which takes the place of the quote and the NUL). */
#define FAST_STRING_ROOM(p, end) ((gsize) ((end) - (p)) + 16)

/* A string value at @p (its opening quote) written out with its NUL, in
 * room reserved for it (FAST_STRING_ROOM): the text is copied while it
 * is scanned.  Returns the byte after the closing quote, or NULL. */
static FAST_INLINE const guchar *
fast_string_value_in (BotoJsonReader *r,
                      const guchar   *p,
                      const guchar   *end)
{
  const guchar *s = p + 1;
  guint8 *o = r->out + r->out_len;

#ifdef __SSE2__
  if (end - s >= 16)
    {
      /* Blocks of sixteen while sixteen bytes are left. */
      gsize i = 0, last = (gsize) (end - s) - 16;

      do
        {
          __m128i v = _mm_loadu_si128 ((const __m128i *) (s + i));
          int mask = special_mask (v);

          _mm_storeu_si128 ((__m128i *) (o + i), v);
          if (mask != 0)
            {
              i += __builtin_ctz (mask);
              /* The closing quote, the usual: the text is copied (the
               * quote's place takes the NUL). */
              if (G_LIKELY (s[i] == '"'))
                {
                  o[i] = '\0';
                  r->out_len += i + 1;
                  return s + i + 1;
                }
              s += i;
              o += i;
              goto stopped;
            }
          i += 16;
        }
      while (i <= last);
      s += i;
      o += i;
    }
#endif
  while (s < end && !string_special[*s])
    *o++ = *s++;
#ifdef __SSE2__
stopped:
#endif
  if (G_LIKELY (s < end && *s == '"'))
    {
      *o++ = '\0';
      r->out_len = o - r->out;
      return s + 1;
    }
  return fast_string_value_slow (r, p, end);
}

static FAST_INLINE const guchar *
fast_string_value (BotoJsonReader *r,
                   const guchar   *p,
                   const guchar   *end)
{
  out_reserve (r, FAST_STRING_ROOM (p, end));
  return fast_string_value_in (r, p, end);
}

/* out_align() and close_entry() in room reserved for them (8 bytes). */
static FAST_INLINE void
fast_align_in (BotoJsonReader *r,
               gsize           alignment)
{
  static const guint8 zeros[8] = { 0, };

  memcpy (r->out + r->out_len, zeros, 8);
  r->out_len += (0 - r->out_len) & (alignment - 1);
}

static FAST_INLINE void
fast_close_entry_in (BotoJsonReader *r,
                     gsize           start,
                     gsize           key_end)
{
  guint size = boto_gvariant_offset_size_for (r->out_len - start, 1);

  if (G_LIKELY (size == 1))
    r->out[r->out_len++] = key_end - start;
  else
    out_offset (r, key_end - start, size);
}

static inline const guchar *
fast_null (const guchar *p,
           const guchar *end)
{
  return end - p >= 4 && memcmp (p, "null", 4) == 0 ? p + 4 : NULL;
}

/* A value the walk does not read, checked as the two passes would. */
static const guchar *
fast_skip (BotoJsonReader *r,
           const guchar   *p,
           guint           depth)
{
  guint32 mark = r->n_tokens;

  r->p = p;
  if (!scan_value (r, depth, NULL))
    return NULL;
  r->n_tokens = mark;
  return r->p;
}

/* Copies out[start, out_len) aside, for its entries to be written again
 * in another order. */
static const guint8 *
fast_set_aside (BotoJsonReader *r,
                gsize           start)
{
  gsize len = r->out_len - start;

  if (r->tmp_alloc < len)
    {
      r->tmp_alloc = MAX (len, r->tmp_alloc * 2);
      g_free (r->tmp);
      r->tmp = g_malloc (r->tmp_alloc);
    }
  memcpy (r->tmp, r->out + start, len);
  r->out_len = start;
  return r->tmp;
}

/* Writes entry @e of the container that began at @start (set aside at
 * @aside; its entries' ends pushed from @ends_base on) again at
 * @alignment, and pushes its new end after the old ones.  An entry
 * starts at the first aligned byte after the one before. */
static inline void
fast_rewrite (BotoJsonReader  *r,
              const guint8    *aside,
              gsize            start,
              gsize            ends_base,
              gsize            e,
              gsize            alignment)
{
  gsize e_end = r->ends[ends_base + e];
  gsize e_start = e == 0 ? start : (r->ends[ends_base + e - 1] + alignment - 1) & ~(alignment - 1);

  out_align (r, alignment);
  out_bytes (r, aside + (e_start - start), e_end - e_start);
  push_end (r);
}

/* After the @n entries from @ends_base on were rewritten: their new ends
 * in the place of the old. */
static inline void
fast_rewritten (BotoJsonReader *r,
                gsize           ends_base,
                gsize           n)
{
  memmove (r->ends + ends_base, r->ends + ends_base + n, (r->n_ends - ends_base - n) * sizeof (gsize));
  r->n_ends -= n;
}

/* The member of @plan named @name, starting the search after the last
 * one found (members mostly come in model order), or -1. */
static inline int
fast_match (const Plan   *plan,
            const guchar *name,
            gsize         len,
            guint        *hint)
{
  guint n = plan->n_members;

  for (guint j = 0, m = *hint; j < n; j++, m = m + 1 < n ? m + 1 : 0)
    {
      const PlanMember *pm = &plan->members[m];

      if (pm->json_name_len == len && (len == 0 || pm->json_name[0] == (char) name[0]) &&
          fast_equal (pm->json_name, name, len))
        {
          *hint = m + 1 < n ? m + 1 : 0;
          return m;
        }
    }
  return -1;
}

/* A member's name, its colon and the space after, at @p (a quote): the
 * plan's member index in *@out_m (-1 when unknown); the value's start,
 * or NULL when this is not a name the fast path reads. */
static FAST_INLINE const guchar *
fast_member (Plan          *plan,
             const guchar  *p,
             const guchar  *end,
             guint         *hint,
             int           *out_m)
{
  const guchar *name;
  gsize len;
  guint flags;

  /* The member after the last one found, the usual: its name compared in
   * place, without a scan (a plain name followed by a quote is all of a
   * string). */
  if (G_LIKELY (*hint < plan->n_members))
    {
      const PlanMember *pm = &plan->members[*hint];

#ifdef __SSE2__
      /* `"name":` in one or two blocks. */
      if (G_LIKELY (pm->pattern_mask != 0 && end - p >= 32))
        {
          guint32 same = _mm_movemask_epi8 (_mm_cmpeq_epi8 (_mm_loadu_si128 ((const __m128i *) p),
                                                            _mm_loadu_si128 ((const __m128i *) pm->pattern)));

          if (pm->pattern_len > 16)
            same |= (guint32) _mm_movemask_epi8 (_mm_cmpeq_epi8 (_mm_loadu_si128 ((const __m128i *) (p + 16)),
                                                                 _mm_loadu_si128 ((const __m128i *) (pm->pattern + 16))))
                    << 16;
          if ((same & pm->pattern_mask) == pm->pattern_mask)
            {
              *out_m = *hint;
              *hint = *hint + 1 < plan->n_members ? *hint + 1 : 0;
              p += pm->pattern_len;
              /* The one space after the colon, the usual. */
              if (G_LIKELY (end - p >= 2 && p[0] == ' ' && p[1] > ' '))
                return p + 1;
              p = fast_space (p, end);
              return p < end ? p : NULL;
            }
        }
#endif
      if (p >= end || *p != '"')
        return NULL;

      len = pm->json_name_len;
      if (pm->json_name_plain && (gsize) (end - p) > len + 1 && p[1 + len] == '"' &&
          fast_equal (p + 1, pm->json_name, len))
        {
          *out_m = *hint;
          *hint = *hint + 1 < plan->n_members ? *hint + 1 : 0;
          p += len + 2;
          goto colon;
        }
    }
  if (p >= end || *p != '"')
    return NULL;
  p = fast_string (p, end, &name, &len, &flags);
  if (p == NULL || (flags & FAST_ESCAPED))
    return NULL;
  *out_m = fast_match (plan, name, len, hint);
colon:
  /* `": "` and a value, the usual. */
  if (G_LIKELY (end - p >= 3 && fast_two (p, ':', ' ') && p[2] > ' '))
    return p + 2;
  p = fast_space (p, end);
  if (p >= end || *p != ':')
    return NULL;
  p = fast_space (p + 1, end);
  return p < end ? p : NULL;
}

static const guchar *fast_value (BotoJsonReader *r, const guchar *p, const guchar *end,
                                 Plan *plan, guint depth);

static const guchar *
fast_structure (BotoJsonReader *r,
                const guchar   *p,
                const guchar   *end,
                Plan           *plan,
                guint           depth)
{
  guint64 seen = 0;
  gsize start, ends_base = r->n_ends;
  gboolean sorted = TRUE;
  guint hint = 0, last = 0, n_written = 0;
  guint8 index[64];   /* the member of each entry written */

  if (*p != '{' || depth >= BOTO_JSON_MAX_DEPTH || plan->is_union || plan->problem != NULL ||
      plan->type == NULL || plan->n_members > 64)
    return NULL;

  out_align (r, 8);
  start = r->out_len;
  p = fast_space (p + 1, end);
  if (p < end && *p == '}')
    p++;
  else
    for (;;)
      {
        gboolean closed;
        int m;

        p = fast_member (plan, p, end, &hint, &m);
        if (p == NULL)
          return NULL;
        if (m < 0)
          p = fast_skip (r, p, depth + 1);
        else if (seen & (G_GUINT64_CONSTANT (1) << m))
          return NULL;
        else
          {
            seen |= G_GUINT64_CONSTANT (1) << m;
            if (*p == 'n')
              p = fast_null (p, end);
            else
              {
                const PlanMember *pm = &plan->members[m];
                const Plan *vp = pm->plan;
                gboolean string = vp->kind == KIND_STRING && *p == '"';
                gsize entry, key_end;
                guint8 *o;

                /* Padding, then the name with its NUL and padding, in
                 * words; for a string, room for all of the entry. */
                out_reserve (r, pm->key_len + 16 + (string ? FAST_STRING_ROOM (p, end) + 16 : 0));
                o = r->out + r->out_len;
                memset (o, 0, 8);
                entry = (r->out_len + 7) & ~(gsize) 7;
                o = r->out + entry;
                memcpy (o, pm->key, 16);
                for (gsize k = 16; k < pm->key_len; k += 8)
                  memcpy (o + k, pm->key + k, 8);
                key_end = entry + pm->name_len + 1;
                r->out_len = entry + pm->key_len;
                p = string ? fast_string_value_in (r, p, end) : fast_value (r, p, end, pm->plan, depth + 1);
                if (p == NULL)
                  return NULL;
                if (G_LIKELY (vp->type_tail_len > 0))
                  {
                    gsize size;

                    /* The NUL and type, then the entry's one offset. */
                    if (!string)
                      out_reserve (r, 16);
                    memcpy (r->out + r->out_len, &vp->type_tail, 8);
                    r->out_len += vp->type_tail_len;
                    size = boto_gvariant_offset_size_for (r->out_len - entry, 1);
                    if (G_LIKELY (size == 1))
                      r->out[r->out_len++] = key_end - entry;
                    else
                      out_offset (r, key_end - entry, size);
                  }
                else
                  {
                    out_reserve (r, vp->type_len + 1);
                    r->out[r->out_len++] = '\0';
                    memcpy (r->out + r->out_len, vp->type, vp->type_len);
                    r->out_len += vp->type_len;
                    close_entry (r, entry, key_end);
                  }
                push_end (r);
                index[n_written++] = m;
                if ((guint) m < last)
                  sorted = FALSE;
                last = m;
              }
          }
        if (p == NULL)
          return NULL;
        p = fast_separator (p, end, '}', &closed);
        if (p == NULL)
          return NULL;
        if (closed)
          break;
      }

  if (!sorted)
    {
      guint8 order[64];
      const guint8 *aside;

      /* The entries in model order (insertion sort: objects are small). */
      for (guint i = 0; i < n_written; i++)
        {
          guint j = i;

          for (; j > 0 && index[order[j - 1]] > index[i]; j--)
            order[j] = order[j - 1];
          order[j] = i;
        }
      aside = fast_set_aside (r, start);
      for (guint i = 0; i < n_written; i++)
        fast_rewrite (r, aside, start, ends_base, order[i], 8);
      fast_rewritten (r, ends_base, n_written);
    }
  close_array (r, start, ends_base);
  return p;
}

static const guchar *
fast_list (BotoJsonReader *r,
           const guchar   *p,
           const guchar   *end,
           Plan           *plan,
           guint           depth)
{
  gsize start, ends_base = r->n_ends;
  Plan *item;

  if (*p != '[' || depth >= BOTO_JSON_MAX_DEPTH || plan->problem != NULL ||
      plan->item->type == NULL || plan->type == NULL)
    return NULL;
  item = plan->item;

  out_align (r, plan->alignment);
  start = r->out_len;
  p = fast_space (p + 1, end);
  if (p < end && *p == ']')
    p++;
  else
    for (;;)
      {
        gboolean closed;

        /* A null makes the list sparse (an `av`). */
        if (p >= end || *p == 'n')
          return NULL;
        p = fast_value (r, p, end, item, depth + 1);
        if (p == NULL)
          return NULL;
        if (item->fixed_size == 0)
          push_end (r);
        p = fast_separator (p, end, ']', &closed);
        if (p == NULL)
          return NULL;
        if (closed)
          break;
      }
  close_array (r, start, ends_base);
  return p;
}

static const guchar *
fast_map (BotoJsonReader *r,
          const guchar   *p,
          const guchar   *end,
          Plan           *plan,
          guint           depth)
{
  Member stack[16];
  g_autofree Member *heap = NULL;
  Member *names = stack;
  guint32 count = 0, capacity = G_N_ELEMENTS (stack);
  gsize start, ends_base = r->n_ends;
  guint64 lengths = 0;          /* the names' lengths seen, modulo 64 */
  gboolean same_length = FALSE; /* two names have one */
  Plan *value;

  if (*p != '{' || depth >= BOTO_JSON_MAX_DEPTH || plan->problem != NULL ||
      plan->item->type == NULL || plan->type == NULL)
    return NULL;
  value = plan->item;

  out_align (r, plan->alignment);
  start = r->out_len;
  p = fast_space (p + 1, end);
  if (p < end && *p == '}')
    p++;
  else
    for (;;)
      {
        gboolean closed;
        const guchar *name, *q;
        gsize len, before, entry, key_end;

        /* The name is written as the key while it is read, and taken
         * back for a null value. */
        if (p >= end || *p != '"')
          return NULL;
        before = r->out_len;
        /* Room for the padding, the name and a string value (together no
         * longer than the rest of the text, 16 more for each one's last
         * block) and the offset. */
        out_reserve (r, 8 + FAST_STRING_ROOM (p, end) + 16 + 8);
        fast_align_in (r, plan->alignment);
        entry = r->out_len;
        q = fast_string_value_in (r, p, end);
        if (q == NULL)
          return NULL;
        name = p + 1;
        len = (q - 1) - name;
        key_end = r->out_len;
        /* An escaped name (decoded, it is shorter). */
        if (key_end - entry != len + 1)
          return NULL;
        p = q;
        if (count == capacity)
          {
            capacity *= 2;
            if (heap == NULL)
              {
                heap = g_new (Member, capacity);
                memcpy (heap, stack, sizeof stack);
              }
            else
              heap = g_renew (Member, heap, capacity);
            names = heap;
          }
        names[count].name = (const char *) name;
        names[count].len = len;
        same_length |= (lengths >> (len & 63)) & 1;
        lengths |= G_GUINT64_CONSTANT (1) << (len & 63);
        if (G_LIKELY (end - p >= 3 && fast_two (p, ':', ' ') && p[2] > ' '))
          p += 2;
        else
          {
            p = fast_space (p, end);
            if (p >= end || *p != ':')
              return NULL;
            p = fast_space (p + 1, end);
            if (p >= end)
              return NULL;
          }
        if (*p == 'n')
          {
            p = fast_null (p, end);
            r->out_len = before;
          }
        else
          {
            if (value->kind == KIND_STRING && *p == '"')
              {
                /* In the room reserved above. */
                p = fast_string_value_in (r, p, end);
                if (p == NULL)
                  return NULL;
                fast_close_entry_in (r, entry, key_end);
              }
            else
              {
                p = fast_value (r, p, end, value, depth + 1);
                if (p == NULL)
                  return NULL;
                close_entry (r, entry, key_end);
              }
            push_end (r);
          }
        if (p == NULL)
          return NULL;
        count++;
        p = fast_separator (p, end, '}', &closed);
        if (p == NULL)
          return NULL;
        if (closed)
          break;
      }

  /* The entries are in document order already; a repeated name (its
   * first place, its last value) is left to the two passes.  Names of
   * different lengths do not repeat. */
  if (same_length && names_repeat (r, names, count))
    return NULL;
  close_array (r, start, ends_base);
  return p;
}

/* @p on the first byte of a value that is not null. */
static const guchar *
fast_value (BotoJsonReader *r,
            const guchar   *p,
            const guchar   *end,
            Plan           *plan,
            guint           depth)
{
  switch (plan->kind)
    {
    case KIND_STRUCTURE:
      return fast_structure (r, p, end, plan, depth);

    case KIND_LIST:
      return fast_list (r, p, end, plan, depth);

    case KIND_MAP:
      return fast_map (r, p, end, plan, depth);

    case KIND_STRING:
      if (*p != '"')
        return NULL;
      return fast_string_value (r, p, end);

    case KIND_INT32:
    case KIND_INT64:
    case KIND_DOUBLE:
    case KIND_TIMESTAMP:
      {
        const guchar *bad;
        const char *why;
        gboolean is_int;
        gint64 i = 0;
        double d = 0;

        if (*p != '-' && !g_ascii_isdigit (*p))
          return NULL;
        /* A malformed number: the two-pass reader reports it. */
        p = read_number (p, end, &is_int, &i, &d, &bad, &why);
        if (p == NULL)
          return NULL;
        if (plan->kind == KIND_INT64)
          {
            if (!is_int)
              return NULL;
            out_align (r, 8);
            out_bytes (r, &i, 8);
          }
        else if (plan->kind == KIND_INT32)
          {
            gint32 i32 = (gint32) i;

            if (!is_int || i < G_MININT32 || i > G_MAXINT32)
              return NULL;
            out_align (r, 4);
            out_bytes (r, &i32, 4);
          }
        else if (plan->kind == KIND_DOUBLE)
          {
            if (is_int)
              d = (double) i;
            out_align (r, 8);
            out_bytes (r, &d, 8);
          }
        else
          {
            gint64 usec;

            if (is_int)
              d = (double) i;
            if (!isfinite (d) || fabs (d) >= 1e13)
              return NULL;
            usec = (gint64) llround (d * G_USEC_PER_SEC);
            out_align (r, 8);
            out_bytes (r, &usec, 8);
          }
        return p;
      }

    case KIND_BOOLEAN:
      if (end - p >= 4 && memcmp (p, "true", 4) == 0)
        {
          out_byte (r, 1);
          return p + 4;
        }
      if (end - p >= 5 && memcmp (p, "false", 5) == 0)
        {
          out_byte (r, 0);
          return p + 5;
        }
      return NULL;

    case KIND_BLOB:
    case KIND_DOCUMENT:
    default:
      return NULL;
    }
}

/* read_top() in one pass: FALSE when the two passes must read the body. */
static gboolean
fast_read_top (BotoJsonReader         *r,
               Plan                   *plan,
               gboolean                skip_located,
               const BotoVariantEntry *extra,
               guint32                *found,
               const char            **types,
               gsize                  *starts)
{
  const guchar *p = r->text, *end = r->text + r->length;
  guint64 seen = 0;
  guint hint = 0;

  if (plan->problem != NULL || plan->n_members > 64)
    return FALSE;
  if (r->length >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
    p += 3;
  p = fast_space (p, end);
  if (p >= end || *p != '{')
    return FALSE;

  for (guint i = 0; i < plan->n_members; i++)
    found[i] = G_MAXUINT32;
  out_reset (r);
  r->n_tokens = 0;
  if (extra != NULL)
    {
      out_entry (r, extra);
      r->extra_end = r->out_len;
    }

  p = fast_space (p + 1, end);
  if (p < end && *p == '}')
    p++;
  else
    for (;;)
      {
        gboolean closed;
        int m;

        p = fast_member (plan, p, end, &hint, &m);
        if (p == NULL)
          return FALSE;
        if (m < 0)
          p = fast_skip (r, p, 1);
        else if (seen & (G_GUINT64_CONSTANT (1) << m))
          return FALSE;
        else
          {
            seen |= G_GUINT64_CONSTANT (1) << m;
            if (*p == 'n')
              p = fast_null (p, end);
            else if (skip_located && plan->members[m].located)
              p = fast_skip (r, p, 1);
            else
              {
                const PlanMember *pm = &plan->members[m];

                types[m] = pm->plan->type;
                if (types[m] == NULL)
                  return FALSE;
                out_align (r, 8);
                starts[2 * m] = r->out_len;
                if (extra != NULL)
                  out_bytes (r, pm->key, pm->key_len);
                p = fast_value (r, p, end, pm->plan, 1);
                if (p == NULL)
                  return FALSE;
                if (extra != NULL)
                  {
                    out_variant_type (r, types[m]);
                    close_entry (r, starts[2 * m], starts[2 * m] + pm->name_len + 1);
                  }
                starts[2 * m + 1] = r->out_len;
                found[m] = 1;
              }
          }
        if (p == NULL)
          return FALSE;
        p = fast_separator (p, end, '}', &closed);
        if (p == NULL)
          return FALSE;
        if (closed)
          break;
      }
  return fast_space (p, end) == end;
}

/* Entry points ------------------------------------------------------------ */

static void
out_reset (BotoJsonReader *r)
{
  if (r->out == NULL)
    {
      r->out_alloc = MAX (64, r->length + r->length / 2);
      r->out = g_malloc (r->out_alloc);
    }
  r->out_len = 0;
  r->n_ends = 0;
}

/* The output so far as a value of @type, from @start on. */
static GVariant *
out_wrap (GBytes     *bytes,
          gsize       start,
          gsize       end,
          const char *type)
{
  g_autoptr(GBytes) part = g_bytes_new_from_bytes (bytes, start, end - start);

  return g_variant_new_from_bytes (G_VARIANT_TYPE (type), part, TRUE);
}

/* Writes the value of each member of @def in the root object (not null,
 * and without a location if @skip_located) at its own 8-aligned place:
 * found[i] is G_MAXUINT32 for a member left out, else its value is
 * out[starts[2i], starts[2i + 1]) of type types[i]. */
static gboolean
read_top (BotoJsonReader          *r,
          Plan                    *plan,
          gboolean                 skip_located,
          const BotoVariantEntry  *extra,
          guint32                 *found,
          const char             **types,
          gsize                   *starts,
          GError                 **error)
{
  if (r->tokens[0].type == TOK_NULL)
    for (guint i = 0; i < plan->n_members; i++)
      found[i] = G_MAXUINT32;
  else
    match_members (r, plan, 0, found);
  out_reset (r);
  if (extra != NULL)
    {
      out_entry (r, extra);
      r->extra_end = r->out_len;
    }
  for (guint i = 0; i < plan->n_members; i++)
    {
      const PlanMember *pm = &plan->members[i];

      if (found[i] == G_MAXUINT32 || r->tokens[found[i]].type == TOK_NULL ||
          (skip_located && pm->located))
        {
          found[i] = G_MAXUINT32;
          continue;
        }
      out_align (r, 8);
      starts[2 * i] = r->out_len;
      if (extra != NULL)
        out_bytes (r, pm->key, pm->key_len);
      if (!out_value (r, pm->plan, found[i], 1, &types[i], error))
        return FALSE;
      if (extra != NULL)
        {
          out_variant_type (r, types[i]);
          close_entry (r, starts[2 * i], starts[2 * i] + pm->name_len + 1);
        }
      starts[2 * i + 1] = r->out_len;
    }
  return TRUE;
}

typedef struct
{
  guint32      found_stack[32];
  const char  *types_stack[32];
  gsize        starts_stack[64];
  guint32     *found;
  const char **types;
  gsize       *starts;
} TopScratch;

static void
top_scratch_init (TopScratch *scratch,
                  guint       n)
{
  if (n <= G_N_ELEMENTS (scratch->found_stack))
    {
      scratch->found = scratch->found_stack;
      scratch->types = scratch->types_stack;
      scratch->starts = scratch->starts_stack;
    }
  else
    {
      scratch->found = g_new (guint32, n);
      scratch->types = g_new (const char *, n);
      scratch->starts = g_new (gsize, 2 * n);
    }
}

static void
top_scratch_clear (TopScratch *scratch)
{
  if (scratch->found != scratch->found_stack)
    {
      g_free (scratch->found);
      g_free (scratch->types);
      g_free (scratch->starts);
    }
}

/* The members read into the entries, in model order, and the bytes
 * they point into (the output, taken from @r). */
static GBytes *
top_entries (BotoJsonReader   *r,
             Plan             *plan,
             const TopScratch *scratch,
             GArray           *entries)
{
  GBytes *bytes = g_bytes_new_take (g_steal_pointer (&r->out), r->out_len);
  const guint8 *data = g_bytes_get_data (bytes, NULL);

  r->out_len = r->out_alloc = 0;
  for (guint i = 0; i < plan->n_members; i++)
    if (scratch->found[i] != G_MAXUINT32)
      {
        BotoVariantEntry entry = {
          plan->members[i].name,
          scratch->types[i],
          data + scratch->starts[2 * i],
          scratch->starts[2 * i + 1] - scratch->starts[2 * i],
        };

        g_array_append_val (entries, entry);
      }
  return bytes;
}

/* Checks the root before the members are read. */
static gboolean
top_check (BotoJsonReader  *r,
           Plan            *plan,
           GError         **error)
{
  if (r->tokens[0].type != TOK_OBJECT)
    return boto_protocol_invalid (error, "Expected a JSON object for “%s”", plan->def->name);
  if (plan->problem != NULL)
    return boto_protocol_invalid (error, "%s", plan->problem);
  return TRUE;
}

/**
 * boto_json_reader_read_members:
 * @reader: a reader
 * @plans: the plans of the operation
 * @def: a structure shape
 * @skip_located: whether to leave out members with a `location`
 * @builder: an `a{sv}` builder
 * @error: return location for a #GError
 *
 * Adds the members of @def that the root object has (and are not null)
 * to @builder, in model order.  A null root has no members.
 *
 * Returns: %FALSE with @error set when a value does not fit its shape
 */
gboolean
boto_json_reader_read_members (BotoJsonReader   *reader,
                               BotoJsonPlans    *plans,
                               BotoShapeDef     *def,
                               gboolean          skip_located,
                               GVariantBuilder  *builder,
                               GError          **error)
{
  BotoJsonReader *r = reader;
  Plan *plan = plans_lookup (plans, def);
  TopScratch scratch;
  g_autoptr(GBytes) bytes = NULL;

  if (r->tokens[0].type == TOK_NULL)
    return TRUE;
  if (!top_check (r, plan, error))
    return FALSE;

  top_scratch_init (&scratch, plan->n_members);
  if (!read_top (r, plan, skip_located, NULL, scratch.found, scratch.types, scratch.starts, error))
    {
      top_scratch_clear (&scratch);
      return FALSE;
    }

  bytes = g_bytes_new_take (g_steal_pointer (&r->out), r->out_len);
  r->out_len = r->out_alloc = 0;
  for (guint i = 0; i < plan->n_members; i++)
    if (scratch.found[i] != G_MAXUINT32)
      g_variant_builder_add_value (builder,
                                   g_variant_new_dict_entry (g_variant_new_string (plan->members[i].name),
                                                             g_variant_new_variant (out_wrap (bytes,
                                                                                              scratch.starts[2 * i],
                                                                                              scratch.starts[2 * i + 1],
                                                                                              scratch.types[i]))));
  top_scratch_clear (&scratch);
  return TRUE;
}

/**
 * boto_json_reader_read_entries:
 * @reader: a reader
 * @plans: the plans of the operation
 * @def: a structure shape
 * @skip_located: whether to leave out members with a `location`
 * @entries: (element-type BotoVariantEntry): where the members go
 * @error: return location for a #GError
 *
 * As boto_json_reader_read_members(), but appends the members to
 * @entries as serialized values, for boto_variant_new_vardict().
 *
 * Returns: (transfer full) (nullable): the bytes that the entries' data
 *   point into, or %NULL with @error set
 */
GBytes *
boto_json_reader_read_entries (BotoJsonReader  *reader,
                               BotoJsonPlans   *plans,
                               BotoShapeDef    *def,
                               gboolean         skip_located,
                               GArray          *entries,
                               GError         **error)
{
  BotoJsonReader *r = reader;
  Plan *plan = plans_lookup (plans, def);
  TopScratch scratch;
  GBytes *bytes;

  if (r->tokens[0].type == TOK_NULL)
    return g_bytes_new (NULL, 0);
  if (!top_check (r, plan, error))
    return NULL;

  top_scratch_init (&scratch, plan->n_members);
  if (!read_top (r, plan, skip_located, NULL, scratch.found, scratch.types, scratch.starts, error))
    {
      top_scratch_clear (&scratch);
      return NULL;
    }

  bytes = top_entries (r, plan, &scratch, entries);
  top_scratch_clear (&scratch);
  return bytes;
}

/**
 * boto_json_read_entries:
 * @text: a JSON document
 * @length: its length in bytes
 * @plans: the plans of the operation
 * @def: a structure shape
 * @skip_located: whether to leave out members with a `location`
 * @entries: (element-type BotoVariantEntry): where the members go
 * @error: return location for a #GError
 *
 * boto_json_reader_new() and boto_json_reader_read_entries() in one,
 * mostly in one pass over @text.
 *
 * Returns: (transfer full) (nullable): the bytes that the entries' data
 *   point into, or %NULL with @error set
 */
GBytes *
boto_json_read_entries (const char     *text,
                        gsize           length,
                        BotoJsonPlans  *plans,
                        BotoShapeDef   *def,
                        gboolean        skip_located,
                        GArray         *entries,
                        GError        **error)
{
  BotoJsonReader *r = g_private_get (&spare_reader);
  g_autoptr(BotoJsonReader) slow = NULL;
  Plan *plan = plans_lookup (plans, def);

  if (r != NULL)
    g_private_set (&spare_reader, NULL);
  else
    r = g_new0 (BotoJsonReader, 1);

  if (text != NULL && length < G_MAXUINT32)
    {
      TopScratch scratch;

      r->text = (const guchar *) text;
      r->length = length;
      top_scratch_init (&scratch, plan->n_members);
      if (fast_read_top (r, plan, skip_located, NULL, scratch.found, scratch.types, scratch.starts))
        {
          GBytes *bytes = top_entries (r, plan, &scratch, entries);

          top_scratch_clear (&scratch);
          boto_json_reader_free (r);
          return bytes;
        }
      top_scratch_clear (&scratch);
    }
  boto_json_reader_free (r);

  slow = boto_json_reader_new (text, length, error);
  if (slow == NULL)
    return NULL;
  return boto_json_reader_read_entries (slow, plans, def, skip_located, entries, error);
}

/* The result of boto_json_read_result() from what read_top() or
 * fast_read_top() wrote with @extra: its entry at 0, the members' after
 * it in the order they were read.  The entries are put in the order a
 * GVariantDict gives them (the members in model order inserted, then
 * @extra); they are moved only when that is not the order written. */
static GVariant *
finish_result (BotoJsonReader         *r,
               Plan                   *plan,
               const TopScratch       *scratch,
               const BotoVariantEntry *extra)
{
  const char *keys_stack[33];
  gsize spans_stack[66];
  guint order_stack[33];
  g_autofree const char **keys_heap = NULL;
  g_autofree gsize *spans_heap = NULL;
  g_autofree guint *order_heap = NULL;
  const char **keys = keys_stack;
  gsize *spans = spans_stack;
  guint *order = order_stack;
  gsize n = 0, n_sorted, pos = 0, k, base = r->n_ends;
  GBytes *bytes;
  GVariant *result;

  if (plan->n_members + 1 > G_N_ELEMENTS (keys_stack))
    {
      keys = keys_heap = g_new (const char *, plan->n_members + 1);
      spans = spans_heap = g_new (gsize, 2 * (plan->n_members + 1));
      order = order_heap = g_new (guint, plan->n_members + 1);
    }
  for (guint i = 0; i < plan->n_members; i++)
    if (scratch->found[i] != G_MAXUINT32)
      {
        keys[n] = plan->members[i].name;
        spans[2 * n] = scratch->starts[2 * i];
        spans[2 * n + 1] = scratch->starts[2 * i + 1];
        n++;
      }
  keys[n] = extra->key;
  spans[2 * n] = 0;
  spans[2 * n + 1] = r->extra_end;
  n++;

  n_sorted = boto_variant_vardict_order (keys, n, order);
  for (k = 0; k < n_sorted; k++)
    {
      guint j = order[k];

      if (spans[2 * j] != pos)
        break;
      pos = (spans[2 * j + 1] + 7) & ~(gsize) 7;
    }
  if (k == n_sorted && n_sorted == n)
    for (k = 0; k < n_sorted; k++)
      push_end_at (r, spans[2 * order[k] + 1]);
  else
    {
      const guint8 *aside = fast_set_aside (r, 0);

      for (k = 0; k < n_sorted; k++)
        {
          guint j = order[k];

          out_align (r, 8);
          out_bytes (r, aside + spans[2 * j], spans[2 * j + 1] - spans[2 * j]);
          push_end (r);
        }
    }
  close_array (r, 0, base);

  bytes = g_bytes_new_take (g_steal_pointer (&r->out), r->out_len);
  r->out_len = r->out_alloc = 0;
  result = g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT, bytes, TRUE);
  g_bytes_unref (bytes);
  return result;
}

/**
 * boto_json_read_result:
 * @text: a JSON document
 * @length: its length in bytes
 * @plans: the plans of the operation
 * @def: a structure shape
 * @extra: one more entry (ResponseMetadata), its value serialized
 * @error: return location for a #GError
 *
 * The members of @def that the root object has (and are not null) and
 * @extra as one `a{sv}`, in the order a GVariantDict gives them when the
 * members are inserted in model order and then @extra: what
 * boto_json_read_entries() and boto_variant_new_vardict() of the entries
 * sorted so give, written at once into the reader's output.
 *
 * Returns: (transfer floating) (nullable): the result, or %NULL with
 *   @error set
 */
GVariant *
boto_json_read_result (const char              *text,
                       gsize                    length,
                       BotoJsonPlans           *plans,
                       BotoShapeDef            *def,
                       const BotoVariantEntry  *extra,
                       GError                 **error)
{
  BotoJsonReader *r = g_private_get (&spare_reader);
  g_autoptr(BotoJsonReader) slow = NULL;
  Plan *plan = plans_lookup (plans, def);
  TopScratch scratch;
  GVariant *result = NULL;

  if (r != NULL)
    g_private_set (&spare_reader, NULL);
  else
    r = g_new0 (BotoJsonReader, 1);

  top_scratch_init (&scratch, plan->n_members);
  if (text != NULL && length < G_MAXUINT32)
    {
      r->text = (const guchar *) text;
      r->length = length;
      if (fast_read_top (r, plan, FALSE, extra, scratch.found, scratch.types, scratch.starts))
        result = finish_result (r, plan, &scratch, extra);
    }
  boto_json_reader_free (r);
  if (result != NULL)
    {
      top_scratch_clear (&scratch);
      return result;
    }

  slow = boto_json_reader_new (text, length, error);
  if (slow != NULL && (slow->tokens[0].type == TOK_NULL || top_check (slow, plan, error)) &&
      read_top (slow, plan, FALSE, extra, scratch.found, scratch.types, scratch.starts, error))
    result = finish_result (slow, plan, &scratch, extra);
  top_scratch_clear (&scratch);
  return result;
}

/**
 * boto_json_reader_read_value:
 * @reader: a reader
 * @plans: the plans of the operation
 * @def: the shape of the root value
 * @error: return location for a #GError
 *
 * Returns: (transfer floating) (nullable): the root value as @def says
 */
GVariant *
boto_json_reader_read_value (BotoJsonReader  *reader,
                             BotoJsonPlans   *plans,
                             BotoShapeDef    *def,
                             GError         **error)
{
  BotoJsonReader *r = reader;
  Plan *plan = plans_lookup (plans, def);
  g_autoptr(GBytes) bytes = NULL;
  const char *type;

  out_reset (r);
  if (!out_value (r, plan, 0, 0, &type, error))
    return NULL;
  bytes = g_bytes_new_take (g_steal_pointer (&r->out), r->out_len);
  r->out_len = r->out_alloc = 0;
  return out_wrap (bytes, 0, g_bytes_get_size (bytes), type);
}

/**
 * boto_json_reader_read_document:
 * @reader: a reader
 *
 * Returns: (transfer floating): the root value without a shape: objects
 *   `a{sv}`, arrays `av`, null `mv` nothing, integers `x`, other numbers `d`
 */
GVariant *
boto_json_reader_read_document (BotoJsonReader *reader)
{
  BotoJsonReader *r = reader;
  g_autoptr(GBytes) bytes = NULL;
  const char *type;

  out_reset (r);
  type = out_generic (r, 0);
  bytes = g_bytes_new_take (g_steal_pointer (&r->out), r->out_len);
  r->out_len = r->out_alloc = 0;
  return out_wrap (bytes, 0, g_bytes_get_size (bytes), type);
}

/**
 * boto_json_reader_dup_root_string:
 * @reader: a reader
 * @key: a member name
 *
 * Returns: (transfer full) (nullable): the string value of member @key of
 *   the root object (the last one when the name repeats), or %NULL
 */
char *
boto_json_reader_dup_root_string (BotoJsonReader *reader,
                                  const char     *key)
{
  BotoJsonReader *r = reader;
  gsize key_len = strlen (key);
  guint32 value = G_MAXUINT32;
  guint32 k = 1;

  if (r->tokens[0].type != TOK_OBJECT)
    return NULL;
  for (guint32 i = 0; i < r->tokens[0].len; i++, k = r->tokens[k + 1].next)
    {
      gsize len;
      const char *name = token_string (r, k, &len);

      if (len == key_len && memcmp (name, key, len) == 0)
        value = k + 1;
    }
  if (value == G_MAXUINT32 || r->tokens[value].type != TOK_STRING)
    return NULL;
  return g_strdup (token_string (r, value, NULL));
}
