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
} Pair;

struct _BotoHttpRequest
{
  gatomicrefcount ref_count;
  char *method;
  char *scheme;
  char *host;
  int port;              /* -1: the scheme's default */
  char *encoded_path;    /* the path as sent on the wire */
  GPtrArray *query;      /* of Pair, raw values */
  GPtrArray *headers;    /* of Pair */
  GBytes *body;
  char *payload_hash;
};

/* One allocation: the pair, then its name and value. */
static Pair *
pair_new (const char *name,
          const char *value)
{
  gsize name_len = strlen (name) + 1;
  gsize value_len = value != NULL ? strlen (value) + 1 : 0;
  Pair *pair = g_malloc (sizeof (Pair) + name_len + value_len);
  char *text = (char *) (pair + 1);

  pair->name = memcpy (text, name, name_len);
  pair->value = value != NULL ? memcpy (text + name_len, value, value_len) : NULL;
  return pair;
}

static void
pair_free (gpointer data)
{
  g_free (data);
}

static gpointer
pair_copy (gconstpointer src,
           gpointer      user_data)
{
  const Pair *pair = src;

  return pair_new (pair->name, pair->value);
}

/* Encoding ---------------------------------------------------------------- */

static inline gboolean
is_unreserved (guchar c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '.' || c == '_' || c == '~';
}

void
boto_percent_encode_append (GString    *out,
                            const char *str,
                            gssize      len,
                            gboolean    keep_slash)
{
  static const char hex[] = "0123456789ABCDEF";
  gsize n;

  g_return_if_fail (out != NULL);

  if (str == NULL)
    return;

  n = len < 0 ? strlen (str) : (gsize) len;
  for (gsize i = 0; i < n; i++)
    {
      guchar c = (guchar) str[i];

      if (is_unreserved (c) || (keep_slash && c == '/'))
        {
          g_string_append_c (out, (char) c);
        }
      else
        {
          g_string_append_c (out, '%');
          g_string_append_c (out, hex[c >> 4]);
          g_string_append_c (out, hex[c & 0xf]);
        }
    }
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
  BotoHttpRequest *self = g_new0 (BotoHttpRequest, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->port = -1;
  self->query = g_ptr_array_new_with_free_func (pair_free);
  self->headers = g_ptr_array_new_with_free_func (pair_free);
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
  self->method = g_strdup (method);
  self->scheme = g_ascii_strdown (scheme, -1);
  self->host = g_strdup (host);
  self->port = port;
  self->encoded_path = boto_percent_encode (path != NULL ? path : "/", TRUE);
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
          g_ptr_array_add (self->query, pair_new (name, value));
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
  g_autofree char *scheme = NULL;

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
  scheme = g_ascii_strdown (url, p - url);
  if (strcmp (scheme, "https") != 0 && strcmp (scheme, "http") != 0)
    {
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
  self->method = g_strdup (method);
  self->scheme = g_steal_pointer (&scheme);

  if (*authority == '[')
    {
      const char *close = memchr (authority, ']', authority_end - authority);

      if (close == NULL)
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED,
                       "Unterminated IPv6 address in URL");
          return NULL;
        }
      self->host = g_strndup (authority + 1, close - authority - 1);
      host_end = close + 1;
    }
  else
    {
      host_end = memchr (authority, ':', authority_end - authority);
      if (host_end == NULL)
        host_end = authority_end;
      self->host = g_strndup (authority, host_end - authority);
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
                       ? g_strndup (authority_end, path_end - authority_end)
                       : g_strdup ("/");

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
  copy->method = g_strdup (self->method);
  copy->scheme = g_strdup (self->scheme);
  copy->host = g_strdup (self->host);
  copy->port = self->port;
  copy->encoded_path = g_strdup (self->encoded_path);
  g_clear_pointer (&copy->query, g_ptr_array_unref);
  g_clear_pointer (&copy->headers, g_ptr_array_unref);
  copy->query = g_ptr_array_copy (self->query, pair_copy, NULL);
  g_ptr_array_set_free_func (copy->query, pair_free);
  copy->headers = g_ptr_array_copy (self->headers, pair_copy, NULL);
  g_ptr_array_set_free_func (copy->headers, pair_free);
  copy->body = self->body != NULL ? g_bytes_ref (self->body) : NULL;
  copy->payload_hash = g_strdup (self->payload_hash);
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

  g_free (self->method);
  g_free (self->scheme);
  g_free (self->host);
  g_free (self->encoded_path);
  g_ptr_array_unref (self->query);
  g_ptr_array_unref (self->headers);
  g_clear_pointer (&self->body, g_bytes_unref);
  g_free (self->payload_hash);
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

  g_free (self->method);
  self->method = g_strdup (method);
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

  /* Copy before freeing: callers may pass our own scheme or host back. */
  {
    char *new_scheme = g_ascii_strdown (scheme, -1);
    char *new_host = g_strdup (host);

    g_free (self->scheme);
    self->scheme = new_scheme;
    g_free (self->host);
    self->host = new_host;
  }
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

  g_free (self->encoded_path);
  self->encoded_path = boto_percent_encode (path, TRUE);
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

  g_free (self->encoded_path);
  self->encoded_path = g_strdup (encoded_path);
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
  return self->query->len;
}

const char *
boto_http_request_get_query_name (BotoHttpRequest *self,
                                  guint            index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->query->len, NULL);
  return ((Pair *) g_ptr_array_index (self->query, index))->name;
}

/* Returns: (nullable): the value, NULL for a bare name */
const char *
boto_http_request_get_query_value (BotoHttpRequest *self,
                                   guint            index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->query->len, NULL);
  return ((Pair *) g_ptr_array_index (self->query, index))->value;
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

  g_ptr_array_add (self->query, pair_new (name, value));
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

  for (guint i = 0; i < self->query->len; i++)
    {
      Pair *pair = g_ptr_array_index (self->query, i);

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

  for (guint i = self->query->len; i > 0; i--)
    {
      Pair *pair = g_ptr_array_index (self->query, i - 1);

      if (strcmp (pair->name, name) == 0)
        {
          g_ptr_array_remove_index (self->query, i - 1);
          removed++;
        }
    }
  return removed;
}

void
boto_http_request_clear_query (BotoHttpRequest *self)
{
  g_return_if_fail (self != NULL);
  g_ptr_array_set_size (self->query, 0);
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
  for (guint i = 0; i < self->query->len; i++)
    {
      Pair *pair = g_ptr_array_index (self->query, i);

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
  return self->headers->len;
}

const char *
boto_http_request_get_header_name (BotoHttpRequest *self,
                                   guint            index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->headers->len, NULL);
  return ((Pair *) g_ptr_array_index (self->headers, index))->name;
}

const char *
boto_http_request_get_header_value (BotoHttpRequest *self,
                                    guint            index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->headers->len, NULL);
  return ((Pair *) g_ptr_array_index (self->headers, index))->value;
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

  g_ptr_array_add (self->headers, pair_new (name, value));
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

  boto_http_request_remove_header (self, name);
  boto_http_request_add_header (self, name, value);
}

/* Returns: (nullable): the first value of @name, compared without case */
const char *
boto_http_request_get_header (BotoHttpRequest *self,
                              const char      *name)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < self->headers->len; i++)
    {
      Pair *pair = g_ptr_array_index (self->headers, i);

      if (g_ascii_strcasecmp (pair->name, name) == 0)
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

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (name != NULL, 0);

  for (guint i = self->headers->len; i > 0; i--)
    {
      Pair *pair = g_ptr_array_index (self->headers, i - 1);

      if (g_ascii_strcasecmp (pair->name, name) == 0)
        {
          g_ptr_array_remove_index (self->headers, i - 1);
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

  g_free (self->payload_hash);
  self->payload_hash = g_strdup (payload_hash);
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
  if (self->query->len > 0)
    {
      g_autofree char *query = boto_http_request_dup_query_string (self);

      g_string_append_c (out, '?');
      g_string_append (out, query);
    }
  return g_string_free (out, FALSE);
}
