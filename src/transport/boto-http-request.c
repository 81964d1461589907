/* boto-http-request.c: a transport-neutral HTTP request
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include "boto-error.h"
#include "boto-http-request-private.h"

typedef struct
{
  char *name;
  char *value;   /* NULL only for a bare query name */
  gsize name_len;
} Pair;

/* An ordered list of pairs, first in storage inside the request. */
typedef struct
{
  Pair *pairs;
  guint len;
  guint size;
} PairList;

/* The request's strings live in an arena freed with the request: a
 * buffer inside the request, then heap blocks. A string replaced (a
 * header set again, a new path) stays until then, so pointers handed
 * out stay valid as long as the request. */
typedef struct _Block Block;
struct _Block
{
  Block *next;
};

#define ARENA_INLINE   480
#define ARENA_BLOCK   2048
#define QUERY_INLINE     4
#define HEADERS_INLINE  12

struct _BotoHttpRequest
{
  gatomicrefcount ref_count;
  const char *method;
  const char *scheme;
  const char *host;
  int port;              /* -1: the scheme's default */
  const char *encoded_path; /* the path as sent on the wire */
  PairList query;        /* raw values */
  PairList headers;
  GBytes *body;
  const char *payload_hash;
  Block *blocks;
  char *arena_pos;
  gsize arena_left;
  Pair query_inline[QUERY_INLINE];
  Pair headers_inline[HEADERS_INLINE];
  char arena[ARENA_INLINE];
};

static char *
arena_alloc (BotoHttpRequest *self,
             gsize            size)
{
  char *mem;

  if (G_UNLIKELY (size > self->arena_left))
    {
      gsize block_size = MAX (ARENA_BLOCK, size + sizeof (Block));
      Block *block = g_malloc (block_size);

      block->next = self->blocks;
      self->blocks = block;
      self->arena_pos = (char *) (block + 1);
      self->arena_left = block_size - sizeof (Block);
    }
  mem = self->arena_pos;
  self->arena_pos += size;
  self->arena_left -= size;
  return mem;
}

static char *
arena_strndup (BotoHttpRequest *self,
               const char      *str,
               gsize            len)
{
  char *copy = arena_alloc (self, len + 1);

  memcpy (copy, str, len);
  copy[len] = '\0';
  return copy;
}

static char *
arena_strdup (BotoHttpRequest *self,
              const char      *str)
{
  return str != NULL ? arena_strndup (self, str, strlen (str)) : NULL;
}

/* ASCII case-insensitive equality of two strings of @len bytes. */
static inline gboolean
ascii_caseeq (const char *a,
              const char *b,
              gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (a[i] != b[i] && g_ascii_tolower (a[i]) != g_ascii_tolower (b[i]))
      return FALSE;
  return TRUE;
}

/* "https" and "http" as static strings, else a lower-case copy. */
static const char *
arena_scheme (BotoHttpRequest *self,
              const char      *scheme,
              gsize            len)
{
  char *copy;

  if (len == 5 && ascii_caseeq (scheme, "https", 5))
    return "https";
  if (len == 4 && ascii_caseeq (scheme, "http", 4))
    return "http";
  copy = arena_strndup (self, scheme, len);
  for (gsize i = 0; i < len; i++)
    copy[i] = g_ascii_tolower (copy[i]);
  return copy;
}

static void
pair_list_init (PairList *list,
                Pair     *inline_pairs,
                guint     size)
{
  list->pairs = inline_pairs;
  list->len = 0;
  list->size = size;
}

static void
pair_list_clear (PairList *list,
                 Pair     *inline_pairs)
{
  if (list->pairs != inline_pairs)
    g_free (list->pairs);
}

static void
pair_list_add_len (BotoHttpRequest *self,
                   PairList        *list,
                   Pair            *inline_pairs,
                   const char      *name,
                   gsize            name_len,
                   const char      *value)
{
  gsize value_len = value != NULL ? strlen (value) + 1 : 0;
  char *text = arena_alloc (self, name_len + 1 + value_len);
  Pair *pair;

  if (G_UNLIKELY (list->len == list->size))
    {
      guint size = list->size * 2;

      if (list->pairs == inline_pairs)
        {
          list->pairs = g_new (Pair, size);
          memcpy (list->pairs, inline_pairs, list->len * sizeof (Pair));
        }
      else
        list->pairs = g_renew (Pair, list->pairs, size);
      list->size = size;
    }
  pair = &list->pairs[list->len++];
  pair->name = memcpy (text, name, name_len + 1);
  pair->name_len = name_len;
  pair->value = value != NULL ? memcpy (text + name_len + 1, value, value_len) : NULL;
}

static void
pair_list_add (BotoHttpRequest *self,
               PairList        *list,
               Pair            *inline_pairs,
               const char      *name,
               const char      *value)
{
  pair_list_add_len (self, list, inline_pairs, name, strlen (name), value);
}

static void
pair_list_remove_index (PairList *list,
                        guint     index)
{
  memmove (&list->pairs[index], &list->pairs[index + 1], (list->len - index - 1) * sizeof (Pair));
  list->len--;
}

/* Encoding ---------------------------------------------------------------- */

/* 1: unreserved, 2: `/`. */
static const guint8 url_kept[256] = {
  ['-'] = 1, ['.'] = 1, ['_'] = 1, ['~'] = 1, ['/'] = 2,
  ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
  ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1,
  ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
  ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
  ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1,
  ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
  ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
};

gsize
boto_percent_encode_to (char       *out,
                        const char *str,
                        gsize       len,
                        gboolean    keep_slash)
{
  static const char hex[] = "0123456789ABCDEF";
  guint8 kept = keep_slash ? 3 : 1;
  const guchar *p = (const guchar *) str;
  const guchar *end = p + len;
  char *o = out;

  while (p < end)
    {
      guchar c = *p++;

      if ((url_kept[c] & kept) != 0)
        *o++ = (char) c;
      else
        {
          o[0] = '%';
          o[1] = hex[c >> 4];
          o[2] = hex[c & 0xf];
          o += 3;
        }
    }
  return o - out;
}

void
boto_percent_encode_append (GString    *out,
                            const char *str,
                            gssize      len,
                            gboolean    keep_slash)
{
  gsize n;
  gsize old_len;

  g_return_if_fail (out != NULL);

  if (str == NULL)
    return;

  n = len < 0 ? strlen (str) : (gsize) len;
  /* Room for the worst case, cut back to what was written. */
  old_len = out->len;
  g_string_set_size (out, old_len + 3 * n);
  g_string_truncate (out, old_len + boto_percent_encode_to (out->str + old_len, str, n, keep_slash));
}

char *
boto_percent_encode (const char *str,
                     gboolean    keep_slash)
{
  GString *out = g_string_sized_new (str != NULL ? strlen (str) + 8 : 1);

  boto_percent_encode_append (out, str, -1, keep_slash);
  return g_string_free (out, FALSE);
}

/* Construction ------------------------------------------------------------ */

static BotoHttpRequest *
boto_http_request_alloc (void)
{
  BotoHttpRequest *self = g_new (BotoHttpRequest, 1);

  /* Not zeroed as a whole: the inline storage is written before read. */
  g_atomic_ref_count_init (&self->ref_count);
  self->method = NULL;
  self->scheme = NULL;
  self->host = NULL;
  self->port = -1;
  self->encoded_path = NULL;
  pair_list_init (&self->query, self->query_inline, QUERY_INLINE);
  pair_list_init (&self->headers, self->headers_inline, HEADERS_INLINE);
  self->body = NULL;
  self->payload_hash = NULL;
  self->blocks = NULL;
  self->arena_pos = self->arena;
  self->arena_left = sizeof (self->arena);
  return self;
}

/*
 * boto_http_request_new:
 * @method: the HTTP method (`GET`, `PUT` …)
 * @scheme: `https` or `http`
 * @host: the host name or IP address (an IPv6 address without brackets)
 * @port: the port, or -1 for the scheme's default
 * @path: (nullable): the raw path, percent-encoded here except `/`
 *
 * Returns: (transfer full): a request with no query, headers or body
 */
BotoHttpRequest *
boto_http_request_new (const char *method,
                       const char *scheme,
                       const char *host,
                       int         port,
                       const char *path)
{
  BotoHttpRequest *self;

  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (scheme != NULL, NULL);
  g_return_val_if_fail (host != NULL, NULL);

  self = boto_http_request_alloc ();
  self->method = arena_strdup (self, method);
  self->scheme = arena_scheme (self, scheme, strlen (scheme));
  self->host = arena_strdup (self, host);
  self->port = port;
  {
    g_autofree char *encoded = boto_percent_encode (path != NULL ? path : "/", TRUE);

    self->encoded_path = arena_strdup (self, encoded);
  }
  return self;
}

static gboolean
parse_query_into (BotoHttpRequest *self,
                  const char      *query,
                  const char      *end,
                  GError         **error)
{
  const char *p = query;

  while (p < end)
    {
      const char *amp = memchr (p, '&', end - p);
      const char *stop = amp != NULL ? amp : end;
      const char *eq = memchr (p, '=', stop - p);
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (stop > p)
        {
          name = g_uri_unescape_segment (p, eq != NULL ? eq : stop, NULL);
          if (eq != NULL)
            value = g_uri_unescape_segment (eq + 1, stop, NULL);
          if (name == NULL || (eq != NULL && value == NULL))
            {
              g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED,
                           "Invalid percent-encoding in the query string");
              return FALSE;
            }
          pair_list_add (self, &self->query, self->query_inline, name, value);
        }
      p = stop + (amp != NULL ? 1 : 0);
    }

  return TRUE;
}

/*
 * boto_http_request_new_from_url:
 * @method: the HTTP method
 * @url: an absolute `http` or `https` URL
 * @error: return location for a #GError
 *
 * Splits @url: the path is kept as it is (already encoded), the query is
 * split on `&` and `=` and percent-decoded, a fragment is dropped.
 *
 * Returns: (transfer full) (nullable): the request, or NULL with @error set
 */
BotoHttpRequest *
boto_http_request_new_from_url (const char  *method,
                                const char  *url,
                                GError     **error)
{
  g_autoptr(BotoHttpRequest) self = NULL;
  const char *p, *authority, *authority_end, *host_end, *path_end, *end;
  gsize scheme_len;

  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  p = strstr (url, "://");
  if (p == NULL || p == url)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED,
                   "Not an absolute URL: “%s”", url);
      return NULL;
    }
  scheme_len = p - url;
  if (!(scheme_len == 5 && ascii_caseeq (url, "https", 5)) &&
      !(scheme_len == 4 && ascii_caseeq (url, "http", 4)))
    {
      g_autofree char *scheme = g_ascii_strdown (url, scheme_len);

      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED,
                   "Unsupported URL scheme “%s”", scheme);
      return NULL;
    }

  end = url + strcspn (url, "#");
  authority = p + 3;
  authority_end = authority + strcspn (authority, "/?#");
  if (authority_end > end)
    authority_end = end;

  if (memchr (authority, '@', authority_end - authority) != NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED,
                   "URLs with user information are not supported");
      return NULL;
    }

  self = boto_http_request_alloc ();
  self->method = arena_strdup (self, method);
  self->scheme = arena_scheme (self, url, scheme_len);

  if (*authority == '[')
    {
      const char *close = memchr (authority, ']', authority_end - authority);

      if (close == NULL)
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED,
                       "Unterminated IPv6 address in URL");
          return NULL;
        }
      self->host = arena_strndup (self, authority + 1, close - authority - 1);
      host_end = close + 1;
    }
  else
    {
      host_end = memchr (authority, ':', authority_end - authority);
      if (host_end == NULL)
        host_end = authority_end;
      self->host = arena_strndup (self, authority, host_end - authority);
    }

  if (*self->host == '\0')
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED,
                   "URL has no host");
      return NULL;
    }

  if (host_end < authority_end)
    {
      guint64 port = 0;
      const char *q;

      if (*host_end != ':' || host_end + 1 == authority_end)
        goto bad_port;
      for (q = host_end + 1; q < authority_end; q++)
        {
          if (!g_ascii_isdigit (*q))
            goto bad_port;
          port = port * 10 + (*q - '0');
          if (port > 65535)
            goto bad_port;
        }
      self->port = (int) port;
    }

  path_end = authority_end + strcspn (authority_end, "?#");
  if (path_end > end)
    path_end = end;
  self->encoded_path = authority_end < path_end
                       ? arena_strndup (self, authority_end, path_end - authority_end)
                       : "/";

  if (path_end < end && *path_end == '?')
    {
      if (!parse_query_into (self, path_end + 1, end, error))
        return NULL;
    }

  return g_steal_pointer (&self);

bad_port:
  g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED,
               "Invalid port in URL");
  return NULL;
}

/*
 * boto_http_request_copy:
 * @self: a request
 *
 * Returns: (transfer full): a deep copy of @self (the body is shared, it is
 *   immutable)
 */
BotoHttpRequest *
boto_http_request_copy (BotoHttpRequest *self)
{
  BotoHttpRequest *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = boto_http_request_alloc ();
  copy->method = arena_strdup (copy, self->method);
  copy->scheme = arena_scheme (copy, self->scheme, strlen (self->scheme));
  copy->host = arena_strdup (copy, self->host);
  copy->port = self->port;
  copy->encoded_path = arena_strdup (copy, self->encoded_path);
  for (guint i = 0; i < self->query.len; i++)
    pair_list_add (copy, &copy->query, copy->query_inline,
                   self->query.pairs[i].name, self->query.pairs[i].value);
  for (guint i = 0; i < self->headers.len; i++)
    pair_list_add (copy, &copy->headers, copy->headers_inline,
                   self->headers.pairs[i].name, self->headers.pairs[i].value);
  copy->body = self->body != NULL ? g_bytes_ref (self->body) : NULL;
  copy->payload_hash = arena_strdup (copy, self->payload_hash);
  return copy;
}

BotoHttpRequest *
boto_http_request_ref (BotoHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
boto_http_request_unref (BotoHttpRequest *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  pair_list_clear (&self->query, self->query_inline);
  pair_list_clear (&self->headers, self->headers_inline);
  g_clear_pointer (&self->body, g_bytes_unref);
  while (self->blocks != NULL)
    {
      Block *next = self->blocks->next;

      g_free (self->blocks);
      self->blocks = next;
    }
  g_free (self);
}

/* Method and endpoint ----------------------------------------------------- */

const char *
boto_http_request_get_method (BotoHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->method;
}

void
boto_http_request_set_method (BotoHttpRequest *self,
                              const char      *method)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (method != NULL);

  self->method = arena_strdup (self, method);
}

const char *
boto_http_request_get_scheme (BotoHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->scheme;
}

const char *
boto_http_request_get_host (BotoHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->host;
}

/* Returns: the explicit port, or -1 for the scheme's default */
int
boto_http_request_get_port (BotoHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, -1);
  return self->port;
}

void
boto_http_request_set_endpoint (BotoHttpRequest *self,
                                const char      *scheme,
                                const char      *host,
                                int              port)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (scheme != NULL);
  g_return_if_fail (host != NULL);

  /* Copies are made in the arena: our own scheme or host passed back
   * stays valid. */
  self->scheme = arena_scheme (self, scheme, strlen (scheme));
  self->host = arena_strdup (self, host);
  self->port = port;
}

static int
default_port (const char *scheme)
{
  if (g_strcmp0 (scheme, "https") == 0)
    return 443;
  if (g_strcmp0 (scheme, "http") == 0)
    return 80;
  return -1;
}

static void
append_authority (BotoHttpRequest *self,
                  GString         *out,
                  gboolean         lowercase)
{
  gboolean ipv6 = strchr (self->host, ':') != NULL;

  if (ipv6)
    g_string_append_c (out, '[');
  if (lowercase)
    {
      g_autofree char *lower = g_ascii_strdown (self->host, -1);
      g_string_append (out, lower);
    }
  else
    {
      g_string_append (out, self->host);
    }
  if (ipv6)
    g_string_append_c (out, ']');
  if (self->port >= 0 && self->port != default_port (self->scheme))
    g_string_append_printf (out, ":%d", self->port);
}

/*
 * boto_http_request_dup_host_header:
 * @self: a request
 *
 * Returns: (transfer full): the value of the `Host` header for this endpoint:
 *   the host in lower case, IPv6 in brackets, the port unless it is the
 *   scheme's default
 */
char *
boto_http_request_dup_host_header (BotoHttpRequest *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_string_new (NULL);
  append_authority (self, out, TRUE);
  return g_string_free (out, FALSE);
}

/* Path -------------------------------------------------------------------- */

/*
 * boto_http_request_set_path:
 * @self: a request
 * @path: the raw path; every byte but `/` and the unreserved characters is
 *   percent-encoded
 */
void
boto_http_request_set_path (BotoHttpRequest *self,
                            const char      *path)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (path != NULL);

  {
    g_autofree char *encoded = boto_percent_encode (path, TRUE);

    self->encoded_path = arena_strdup (self, encoded);
  }
}

/*
 * boto_http_request_set_encoded_path:
 * @self: a request
 * @encoded_path: the path exactly as it goes on the wire
 */
void
boto_http_request_set_encoded_path (BotoHttpRequest *self,
                                    const char      *encoded_path)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (encoded_path != NULL);

  self->encoded_path = arena_strdup (self, encoded_path);
}

const char *
boto_http_request_get_encoded_path (BotoHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->encoded_path;
}

/* Returns: (transfer full) (nullable): the decoded path, NULL if it does not
 * decode (an invalid escape or %00) */
char *
boto_http_request_dup_path (BotoHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_uri_unescape_string (self->encoded_path, NULL);
}

/* Query ------------------------------------------------------------------- */

guint
boto_http_request_get_n_query (BotoHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->query.len;
}

const char *
boto_http_request_get_query_name (BotoHttpRequest *self,
                                  guint            index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->query.len, NULL);
  return self->query.pairs[index].name;
}

/* Returns: (nullable): the value, NULL for a bare name */
const char *
boto_http_request_get_query_value (BotoHttpRequest *self,
                                   guint            index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->query.len, NULL);
  return self->query.pairs[index].value;
}

/*
 * boto_http_request_add_query:
 * @self: a request
 * @name: the raw name
 * @value: (nullable): the raw value, NULL for a bare name (`?uploads`)
 *
 * Appends a parameter; earlier ones with the same name are kept.
 */
void
boto_http_request_add_query (BotoHttpRequest *self,
                             const char      *name,
                             const char      *value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);

  pair_list_add (self, &self->query, self->query_inline, name, value);
}

/*
 * boto_http_request_lookup_query:
 * @self: a request
 * @name: a name, compared exactly
 * @found: (out) (optional): whether @name is present
 *
 * Returns: (nullable): the first value of @name
 */
const char *
boto_http_request_lookup_query (BotoHttpRequest *self,
                                const char      *name,
                                gboolean        *found)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < self->query.len; i++)
    {
      Pair *pair = &self->query.pairs[i];

      if (strcmp (pair->name, name) == 0)
        {
          if (found != NULL)
            *found = TRUE;
          return pair->value;
        }
    }
  if (found != NULL)
    *found = FALSE;
  return NULL;
}

/* Returns: how many parameters were removed */
guint
boto_http_request_remove_query (BotoHttpRequest *self,
                                const char      *name)
{
  guint removed = 0;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (name != NULL, 0);

  for (guint i = self->query.len; i > 0; i--)
    {
      Pair *pair = &self->query.pairs[i - 1];

      if (strcmp (pair->name, name) == 0)
        {
          pair_list_remove_index (&self->query, i - 1);
          removed++;
        }
    }
  return removed;
}

void
boto_http_request_clear_query (BotoHttpRequest *self)
{
  g_return_if_fail (self != NULL);
  self->query.len = 0;
}

/*
 * boto_http_request_dup_query_string:
 * @self: a request
 *
 * Returns: (transfer full): the encoded query in its order, without `?`
 *   (`%20` for a space, never `+`); "" when there is none
 */
char *
boto_http_request_dup_query_string (BotoHttpRequest *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_string_new (NULL);
  for (guint i = 0; i < self->query.len; i++)
    {
      Pair *pair = &self->query.pairs[i];

      if (i > 0)
        g_string_append_c (out, '&');
      boto_percent_encode_append (out, pair->name, -1, FALSE);
      if (pair->value != NULL)
        {
          g_string_append_c (out, '=');
          boto_percent_encode_append (out, pair->value, -1, FALSE);
        }
    }
  return g_string_free (out, FALSE);
}

/* Headers ----------------------------------------------------------------- */

guint
boto_http_request_get_n_headers (BotoHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->headers.len;
}

const char *
boto_http_request_get_header_name (BotoHttpRequest *self,
                                   guint            index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->headers.len, NULL);
  return self->headers.pairs[index].name;
}

const char *
boto_http_request_get_header_value (BotoHttpRequest *self,
                                    guint            index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->headers.len, NULL);
  return self->headers.pairs[index].value;
}

/* Appends a header, keeping earlier ones of the same name. */
void
boto_http_request_add_header (BotoHttpRequest *self,
                              const char      *name,
                              const char      *value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);
  g_return_if_fail (value != NULL);

  pair_list_add (self, &self->headers, self->headers_inline, name, value);
}

/* Replaces every header named @name (any case) by one, at the end. */
void
boto_http_request_set_header (BotoHttpRequest *self,
                              const char      *name,
                              const char      *value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);
  g_return_if_fail (value != NULL);

  /* remove_header() and add_header(), the name measured once. */
  {
    gsize len = strlen (name);

    for (guint i = self->headers.len; i > 0; i--)
      {
        Pair *pair = &self->headers.pairs[i - 1];

        if (pair->name_len == len && ascii_caseeq (pair->name, name, len))
          pair_list_remove_index (&self->headers, i - 1);
      }
    pair_list_add_len (self, &self->headers, self->headers_inline, name, len, value);
  }
}

/* Returns: (nullable): the first value of @name, compared without case */
const char *
boto_http_request_get_header (BotoHttpRequest *self,
                              const char      *name)
{
  gsize len;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  len = strlen (name);
  for (guint i = 0; i < self->headers.len; i++)
    {
      Pair *pair = &self->headers.pairs[i];

      if (pair->name_len == len && ascii_caseeq (pair->name, name, len))
        return pair->value;
    }
  return NULL;
}

/* Returns: how many headers were removed */
guint
boto_http_request_remove_header (BotoHttpRequest *self,
                                 const char      *name)
{
  guint removed = 0;
  gsize len;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (name != NULL, 0);

  len = strlen (name);
  for (guint i = self->headers.len; i > 0; i--)
    {
      Pair *pair = &self->headers.pairs[i - 1];

      if (pair->name_len == len && ascii_caseeq (pair->name, name, len))
        {
          pair_list_remove_index (&self->headers, i - 1);
          removed++;
        }
    }
  return removed;
}

/* Body -------------------------------------------------------------------- */

/* Returns: (transfer none) (nullable): the body */
GBytes *
boto_http_request_get_body (BotoHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->body;
}

void
boto_http_request_set_body (BotoHttpRequest *self,
                            GBytes          *body)
{
  g_return_if_fail (self != NULL);

  if (body != NULL)
    g_bytes_ref (body);
  g_clear_pointer (&self->body, g_bytes_unref);
  self->body = body;
}

/* Returns: (nullable): the payload hash given for a streaming body */
const char *
boto_http_request_get_payload_hash (BotoHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->payload_hash;
}

/*
 * boto_http_request_set_payload_hash:
 * @self: a request
 * @payload_hash: (nullable): `UNSIGNED-PAYLOAD` or the hex SHA-256 of the
 *   payload, used by the signer instead of hashing the body; NULL to unset
 */
void
boto_http_request_set_payload_hash (BotoHttpRequest *self,
                                    const char      *payload_hash)
{
  g_return_if_fail (self != NULL);

  self->payload_hash = arena_strdup (self, payload_hash);
}

/* URL --------------------------------------------------------------------- */

/*
 * boto_http_request_dup_url:
 * @self: a request
 *
 * Returns: (transfer full): `scheme://host[:port]/path[?query]`, the query
 *   percent-encoded in its order
 */
char *
boto_http_request_dup_url (BotoHttpRequest *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_string_new (self->scheme);
  g_string_append (out, "://");
  append_authority (self, out, FALSE);
  if (self->encoded_path[0] != '/')
    g_string_append_c (out, '/');
  g_string_append (out, self->encoded_path);
  if (self->query.len > 0)
    {
      g_autofree char *query = boto_http_request_dup_query_string (self);

      g_string_append_c (out, '?');
      g_string_append (out, query);
    }
  return g_string_free (out, FALSE);
}
