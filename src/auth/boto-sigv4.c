/* boto-sigv4.c: AWS Signature Version 4, header and query-string signing
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * Behaviour follows botocore's SigV4Auth, S3SigV4Auth, SigV4QueryAuth and
 * S3SigV4QueryAuth. SHA-256 and HMAC-SHA256 come from nettle, through
 * the transport layer's checksums (boto-checksum-private.h).
 *
 * With BOTO_SIGV4_FLAGS_ASYMMETRIC the same signer does SigV4a (botocore's
 * SigV4AsymmetricAuth / CRT): the region is a region set, sent in
 * X-Amz-Region-Set and left out of the credential scope, and the string to
 * sign is signed with ECDSA P-256 (boto-sigv4a-private.h).
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include <nettle/hmac.h>

#include "boto-checksum-private.h"
#include "boto-format-private.h"
#include "boto-error.h"
#include "boto-sigv4-private.h"
#include "boto-sigv4a-private.h"

struct _BotoSigV4Signer
{
  gatomicrefcount ref_count;
  char *service;
  char *region;
  BotoSigV4Flags flags;
  gint clock_offset;   /* seconds, server minus local; atomic */

  /* The last signing key, ready as an HMAC context: for these credentials
   * (held, so the pointer cannot be reused) on that day. Under key_lock. */
  GMutex key_lock;
  BotoCredentials *key_credentials;
  char key_date[9];
  struct hmac_sha256_ctx key_hmac;
  /* SigV4a: the key pair of key_credentials, derived once. */
  BotoSigV4aKey *ecdsa_key;
};

/* Headers botocore never signs: hop-by-hop headers and headers a proxy or
 * the HTTP stack may change. Sorted for bsearch. */
static const char * const unsigned_headers[] = {
  "authorization",
  "baggage",
  "connection",
  "expect",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "traceparent",
  "tracestate",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "user-agent",
  "x-amzn-trace-id",
};

static int
compare_cstr (const void *a,
              const void *b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
header_is_signed (const char *lower_name)
{
  return bsearch (&lower_name, unsigned_headers, G_N_ELEMENTS (unsigned_headers),
                  sizeof (char *), compare_cstr) == NULL;
}

/* Crypto ------------------------------------------------------------------ */

static void
hmac_sha256 (const guint8 *key,
             gsize         key_len,
             const char   *data,
             gsize         data_len,
             guint8        out[32])
{
  boto_hmac_sha256 (key, key_len, data, data_len, out);
}

static char *
hex_encode (const guint8 *data,
            gsize         len)
{
  static const char hex[] = "0123456789abcdef";
  char *out = g_malloc (len * 2 + 1);

  for (gsize i = 0; i < len; i++)
    {
      out[2 * i] = hex[data[i] >> 4];
      out[2 * i + 1] = hex[data[i] & 0xf];
    }
  out[len * 2] = '\0';
  return out;
}

static char *
sha256_hex (const void *data,
            gsize       len)
{
  g_autoptr(BotoChecksum) checksum = boto_checksum_new (BOTO_CHECKSUM_SHA256);

  boto_checksum_update (checksum, data, len);
  return boto_checksum_finish_hex (checksum);
}

/* Signing-key cache --------------------------------------------------------
 *
 * The key for (secret, date, region, service) takes four HMACs; a client
 * signs many requests a day with the same one. Entries are found by the
 * SHA-256 of the inputs, so the cache holds no copy of the secret.
 */

#define KEY_CACHE_SIZE 16

typedef struct
{
  guint8 id[32];
  guint8 key[32];
  guint64 stamp;   /* 0: unused */
} KeyCacheEntry;

static GMutex key_cache_lock;
static KeyCacheEntry key_cache[KEY_CACHE_SIZE];
static guint64 key_cache_clock;
static guint key_cache_hits;
static guint key_cache_misses;

static void
derive_signing_key (const char *secret,
                    const char *date,
                    const char *region,
                    const char *service,
                    guint8      key[32])
{
  g_autofree char *k_secret = g_strconcat ("AWS4", secret, NULL);
  guint8 k[32];

  hmac_sha256 ((const guint8 *) k_secret, strlen (k_secret), date, strlen (date), k);
  hmac_sha256 (k, 32, region, strlen (region), k);
  hmac_sha256 (k, 32, service, strlen (service), k);
  hmac_sha256 (k, 32, "aws4_request", strlen ("aws4_request"), key);
  memset (k, 0, sizeof k);
  memset (k_secret, 0, strlen (k_secret));
}

static void
get_signing_key (const char *secret,
                 const char *date,
                 const char *region,
                 const char *service,
                 guint8      key[32])
{
  g_autoptr(BotoChecksum) checksum = boto_checksum_new (BOTO_CHECKSUM_SHA256);
  guint8 id[BOTO_CHECKSUM_MAX_DIGEST];
  KeyCacheEntry *victim = NULL;

  boto_checksum_update (checksum, secret, strlen (secret) + 1);
  boto_checksum_update (checksum, date, strlen (date) + 1);
  boto_checksum_update (checksum, region, strlen (region) + 1);
  boto_checksum_update (checksum, service, strlen (service) + 1);
  boto_checksum_finish_digest (checksum, id);

  g_mutex_lock (&key_cache_lock);
  for (guint i = 0; i < KEY_CACHE_SIZE; i++)
    {
      KeyCacheEntry *entry = &key_cache[i];

      if (entry->stamp != 0 && memcmp (entry->id, id, sizeof id) == 0)
        {
          entry->stamp = ++key_cache_clock;
          memcpy (key, entry->key, 32);
          key_cache_hits++;
          g_mutex_unlock (&key_cache_lock);
          return;
        }
      if (victim == NULL || entry->stamp < victim->stamp)
        victim = entry;
    }
  key_cache_misses++;
  g_mutex_unlock (&key_cache_lock);

  derive_signing_key (secret, date, region, service, key);

  g_mutex_lock (&key_cache_lock);
  /* Another thread may have used the slot meanwhile: fine, it is a cache. */
  memcpy (victim->id, id, sizeof id);
  memcpy (victim->key, key, 32);
  victim->stamp = ++key_cache_clock;
  g_mutex_unlock (&key_cache_lock);
}

/* A signer's own last key was used: a hit of the cache as well. */
static void
signing_key_cache_count_hit (void)
{
  g_mutex_lock (&key_cache_lock);
  key_cache_hits++;
  g_mutex_unlock (&key_cache_lock);
}

/*
 * boto_sigv4_signing_key_cache_stats:
 * @hits: (out) (optional): lookups answered from the cache
 * @misses: (out) (optional): lookups that derived a key
 */
void
boto_sigv4_signing_key_cache_stats (guint *hits,
                                    guint *misses)
{
  g_mutex_lock (&key_cache_lock);
  if (hits != NULL)
    *hits = key_cache_hits;
  if (misses != NULL)
    *misses = key_cache_misses;
  g_mutex_unlock (&key_cache_lock);
}

/* Forgets every cached key and resets the counters. */
void
boto_sigv4_signing_key_cache_clear (void)
{
  g_mutex_lock (&key_cache_lock);
  memset (key_cache, 0, sizeof key_cache);
  key_cache_clock = 0;
  key_cache_hits = 0;
  key_cache_misses = 0;
  g_mutex_unlock (&key_cache_lock);
}

/* Signer object ------------------------------------------------------------ */

void
boto_sigv4_debug_clear (BotoSigV4Debug *debug)
{
  if (debug == NULL)
    return;
  g_clear_pointer (&debug->canonical_request, g_free);
  g_clear_pointer (&debug->string_to_sign, g_free);
  g_clear_pointer (&debug->signature, g_free);
}

/*
 * boto_sigv4_signer_new:
 * @service: the signing name (`s3`, `ec2`, `sts` …)
 * @region: the signing region
 * @flags: the rules to follow; %BOTO_SIGV4_FLAGS_S3 for S3
 *
 * Returns: (transfer full): a signer
 */
BotoSigV4Signer *
boto_sigv4_signer_new (const char     *service,
                       const char     *region,
                       BotoSigV4Flags  flags)
{
  BotoSigV4Signer *self;

  g_return_val_if_fail (service != NULL && *service != '\0', NULL);
  g_return_val_if_fail (region != NULL && *region != '\0', NULL);

  self = g_new0 (BotoSigV4Signer, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->service = g_strdup (service);
  self->region = g_strdup (region);
  self->flags = flags;
  g_mutex_init (&self->key_lock);
  if (flags & BOTO_SIGV4_FLAGS_S3)
    self->flags |= BOTO_SIGV4_FLAGS_NO_NORMALIZE_PATH | BOTO_SIGV4_FLAGS_SINGLE_ENCODE;
  return self;
}

BotoSigV4Signer *
boto_sigv4_signer_ref (BotoSigV4Signer *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
boto_sigv4_signer_unref (BotoSigV4Signer *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_clear_pointer (&self->key_credentials, boto_credentials_unref);
  memset (&self->key_hmac, 0, sizeof self->key_hmac);
  g_clear_pointer (&self->ecdsa_key, boto_sigv4a_key_free);
  g_mutex_clear (&self->key_lock);
  g_free (self->service);
  g_free (self->region);
  g_free (self);
}

const char *
boto_sigv4_signer_get_service (BotoSigV4Signer *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->service;
}

const char *
boto_sigv4_signer_get_region (BotoSigV4Signer *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->region;
}

BotoSigV4Flags
boto_sigv4_signer_get_flags (BotoSigV4Signer *self)
{
  g_return_val_if_fail (self != NULL, BOTO_SIGV4_FLAGS_NONE);
  return self->flags;
}

/* Clock skew --------------------------------------------------------------- */

/* Returns: the offset in seconds (server minus local) added to the local
 * clock when signing */
gint
boto_sigv4_signer_get_clock_offset (BotoSigV4Signer *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return g_atomic_int_get (&self->clock_offset);
}

void
boto_sigv4_signer_set_clock_offset (BotoSigV4Signer *self,
                                    gint             offset_seconds)
{
  g_return_if_fail (self != NULL);
  g_atomic_int_set (&self->clock_offset, offset_seconds);
}

/*
 * boto_sigv4_signer_correct_clock_skew:
 * @self: a signer
 * @server_date: the server's `Date` response header (RFC 1123; RFC 850 and
 *   asctime forms are accepted too)
 * @local_now_usec: the local time the response arrived, in microseconds since
 *   the epoch (g_get_real_time()), or 0 for now
 * @error: return location for a #GError
 *
 * Records the difference between the server's clock and ours, to be added to
 * the local time of later signatures. Call it after a `RequestTimeTooSkewed`,
 * `RequestExpired`, `InvalidSignatureException` or `SignatureDoesNotMatch`
 * error caused by skew, then retry.
 *
 * Returns: %TRUE if the offset was recorded
 */
gboolean
boto_sigv4_signer_correct_clock_skew (BotoSigV4Signer  *self,
                                      const char       *server_date,
                                      gint64            local_now_usec,
                                      GError          **error)
{
  g_autoptr(GDateTime) server = NULL;
  gint64 offset;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (server_date != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  server = soup_date_time_new_from_http_string (server_date);
  if (server == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED,
                   "Invalid HTTP date “%s”", server_date);
      return FALSE;
    }
  if (local_now_usec == 0)
    local_now_usec = g_get_real_time ();

  offset = g_date_time_to_unix (server) - local_now_usec / G_USEC_PER_SEC;
  if (offset > G_MAXINT || offset < G_MININT)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED,
                   "Clock skew of %" G_GINT64_FORMAT " seconds is not plausible", offset);
      return FALSE;
    }

  g_debug ("SigV4: clock offset for %s/%s set to %" G_GINT64_FORMAT " s",
           self->service, self->region, offset);
  g_atomic_int_set (&self->clock_offset, (gint) offset);
  return TRUE;
}

/*
 * boto_sigv4_signer_dup_now:
 * @self: a signer
 *
 * Returns: (transfer full): the current time in UTC, corrected by the clock
 *   offset
 */
GDateTime *
boto_sigv4_signer_dup_now (BotoSigV4Signer *self)
{
  gint64 now;

  g_return_val_if_fail (self != NULL, NULL);

  now = g_get_real_time () / G_USEC_PER_SEC + g_atomic_int_get (&self->clock_offset);
  return g_date_time_new_from_unix_utc (now);
}

/* Canonical request ------------------------------------------------------- */

typedef struct
{
  char *name;          /* lower case */
  const char *value;   /* borrowed from the request */
  guint order;         /* position in the request, to keep duplicates in order */
} SignedHeader;

static int
compare_signed_headers (const void *a,
                        const void *b)
{
  const SignedHeader *x = a, *y = b;
  int c = strcmp (x->name, y->name);

  if (c != 0)
    return c;
  return x->order < y->order ? -1 : x->order > y->order;
}

typedef struct
{
  GArray *headers;     /* of SignedHeader, sorted */
  char *host;          /* owned fallback value for host */
} HeadersToSign;

static void
headers_to_sign_clear (HeadersToSign *h)
{
  for (guint i = 0; i < h->headers->len; i++)
    g_free (g_array_index (h->headers, SignedHeader, i).name);
  g_array_unref (h->headers);
  g_free (h->host);
}

static void
headers_to_sign_init (HeadersToSign   *h,
                      BotoHttpRequest *request)
{
  guint n = boto_http_request_get_n_headers (request);
  gboolean have_host = FALSE;

  h->headers = g_array_sized_new (FALSE, FALSE, sizeof (SignedHeader), n + 1);
  h->host = NULL;

  for (guint i = 0; i < n; i++)
    {
      SignedHeader sh;
      const char *name = boto_http_request_get_header_name (request, i);
      gsize length = strlen (name);

      /* Trimmed and lower case, in one copy. */
      while (length > 0 && g_ascii_isspace (*name))
        name++, length--;
      while (length > 0 && g_ascii_isspace (name[length - 1]))
        length--;
      sh.name = g_malloc (length + 1);
      for (gsize j = 0; j < length; j++)
        sh.name[j] = g_ascii_tolower (name[j]);
      sh.name[length] = '\0';
      if (!header_is_signed (sh.name))
        {
          g_free (sh.name);
          continue;
        }
      if (strcmp (sh.name, "host") == 0)
        have_host = TRUE;
      sh.value = boto_http_request_get_header_value (request, i);
      sh.order = i;
      g_array_append_val (h->headers, sh);
    }

  if (!have_host)
    {
      SignedHeader sh;

      h->host = boto_http_request_dup_host_header (request);
      sh.name = g_strdup ("host");
      sh.value = h->host;
      sh.order = n;
      g_array_append_val (h->headers, sh);
    }

  g_array_sort (h->headers, compare_signed_headers);
}

/* Trim, and collapse runs of whitespace (obs-fold line breaks included) to
 * one space. */
static void
append_trimmed (GString    *out,
                const char *value)
{
  gboolean pending_space = FALSE;
  gboolean started = FALSE;

  for (const char *p = value; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        {
          pending_space = started;
          continue;
        }
      if (pending_space)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      started = TRUE;
      g_string_append_c (out, *p);
    }
}

static void
append_canonical_headers (GString       *out,
                          HeadersToSign *h)
{
  for (guint i = 0; i < h->headers->len; i++)
    {
      SignedHeader *sh = &g_array_index (h->headers, SignedHeader, i);

      if (i > 0 && strcmp (sh->name, g_array_index (h->headers, SignedHeader, i - 1).name) == 0)
        {
          g_string_append_c (out, ',');
        }
      else
        {
          if (i > 0)
            g_string_append_c (out, '\n');
          g_string_append (out, sh->name);
          g_string_append_c (out, ':');
        }
      append_trimmed (out, sh->value);
    }
  g_string_append_c (out, '\n');
}

static char *
signed_headers_list (HeadersToSign *h)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < h->headers->len; i++)
    {
      SignedHeader *sh = &g_array_index (h->headers, SignedHeader, i);

      if (i > 0 && strcmp (sh->name, g_array_index (h->headers, SignedHeader, i - 1).name) == 0)
        continue;
      if (out->len > 0)
        g_string_append_c (out, ';');
      g_string_append (out, sh->name);
    }
  return g_string_free (out, FALSE);
}

typedef struct
{
  char *name;
  char *value;
} EncodedPair;

static int
compare_encoded_pairs (const void *a,
                       const void *b)
{
  const EncodedPair *x = a, *y = b;
  int c = strcmp (x->name, y->name);

  return c != 0 ? c : strcmp (x->value, y->value);
}

static void
append_canonical_query (GString         *out,
                        BotoHttpRequest *request)
{
  guint n = boto_http_request_get_n_query (request);
  g_autofree EncodedPair *pairs = g_new (EncodedPair, n + 1);

  for (guint i = 0; i < n; i++)
    {
      const char *value = boto_http_request_get_query_value (request, i);

      pairs[i].name = boto_percent_encode (boto_http_request_get_query_name (request, i), FALSE);
      pairs[i].value = boto_percent_encode (value != NULL ? value : "", FALSE);
    }
  qsort (pairs, n, sizeof (EncodedPair), compare_encoded_pairs);

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, '&');
      g_string_append (out, pairs[i].name);
      g_string_append_c (out, '=');
      g_string_append (out, pairs[i].value);
      g_free (pairs[i].name);
      g_free (pairs[i].value);
    }
}

/* RFC 3986 5.2.4 dot-segment removal, and empty segments dropped as AWS
 * wants (botocore's remove_dot_segments). */
static char *
normalize_path (const char *path)
{
  g_auto(GStrv) segments = NULL;
  g_autoptr(GPtrArray) kept = NULL;
  GString *out;
  gsize len = strlen (path);

  if (len == 0)
    return g_strdup ("/");

  /* Most paths have nothing to remove: no empty segment ("//"), no "."
   * or ".." segment. */
  {
    gboolean clean = TRUE;
    const char *segment = path;

    for (;;)
      {
        const char *slash = strchr (segment, '/');
        gsize seg_len = slash != NULL ? (gsize) (slash - segment) : strlen (segment);

        if ((seg_len == 0 && segment != path && slash != NULL) ||
            (seg_len == 1 && segment[0] == '.') ||
            (seg_len == 2 && segment[0] == '.' && segment[1] == '.'))
          {
            clean = FALSE;
            break;
          }
        if (slash == NULL)
          break;
        segment = slash + 1;
      }
    if (clean)
      return g_strdup (path);
  }

  segments = g_strsplit (path, "/", -1);
  kept = g_ptr_array_new ();
  for (guint i = 0; segments[i] != NULL; i++)
    {
      const char *seg = segments[i];

      if (*seg == '\0' || strcmp (seg, ".") == 0)
        continue;
      if (strcmp (seg, "..") == 0)
        {
          if (kept->len > 0)
            g_ptr_array_remove_index (kept, kept->len - 1);
          continue;
        }
      g_ptr_array_add (kept, (gpointer) seg);
    }

  out = g_string_new (path[0] == '/' ? "/" : "");
  for (guint i = 0; i < kept->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, '/');
      g_string_append (out, g_ptr_array_index (kept, i));
    }
  if (path[len - 1] == '/' && kept->len > 0)
    g_string_append_c (out, '/');
  return g_string_free (out, FALSE);
}

static void
append_canonical_uri (GString         *out,
                      BotoSigV4Signer *self,
                      BotoHttpRequest *request)
{
  const char *path = boto_http_request_get_encoded_path (request);
  g_autofree char *normalized = NULL;

  if (!(self->flags & BOTO_SIGV4_FLAGS_NO_NORMALIZE_PATH))
    path = normalized = normalize_path (path);
  if (*path == '\0')
    path = "/";

  if (self->flags & BOTO_SIGV4_FLAGS_SINGLE_ENCODE)
    g_string_append (out, path);
  else
    boto_percent_encode_append (out, path, -1, TRUE);
}

static gboolean
is_https (BotoHttpRequest *request)
{
  return g_ascii_strcasecmp (boto_http_request_get_scheme (request), "https") == 0;
}

/* botocore's payload(): the hash of the body, or UNSIGNED-PAYLOAD when
 * payload signing is disabled over HTTPS. A given payload hash wins. */
static char *
payload_hash (BotoSigV4Signer *self,
              BotoHttpRequest *request)
{
  const char *given = boto_http_request_get_payload_hash (request);
  GBytes *body;

  if (given != NULL)
    return g_strdup (given);
  if ((self->flags & BOTO_SIGV4_FLAGS_UNSIGNED_PAYLOAD) && is_https (request))
    return g_strdup (BOTO_SIGV4_UNSIGNED_PAYLOAD);

  body = boto_http_request_get_body (request);
  if (body != NULL && g_bytes_get_size (body) > 0)
    {
      gsize size;
      gconstpointer data = g_bytes_get_data (body, &size);

      return sha256_hex (data, size);
    }
  return g_strdup (BOTO_SIGV4_EMPTY_SHA256);
}

static void
put_digits (char *out,
            int   value,
            int   width)
{
  for (int i = width - 1; i >= 0; i--, value /= 10)
    out[i] = (char) ('0' + value % 10);
}

/* YYYYMMDDTHHMMSSZ (signed on every request: no printf) */
static char *
format_timestamp (GDateTime *when)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (when);
  char *out = g_malloc (17);
  int year, month, day;

  g_date_time_get_ymd (utc, &year, &month, &day);
  if (year < 0 || year > 9999)
    {
      g_free (out);
      return g_strdup_printf ("%04d%02d%02dT%02d%02d%02dZ", year, month, day, g_date_time_get_hour (utc),
                              g_date_time_get_minute (utc), g_date_time_get_second (utc));
    }
  put_digits (out, year, 4);
  put_digits (out + 4, month, 2);
  put_digits (out + 6, day, 2);
  out[8] = 'T';
  put_digits (out + 9, g_date_time_get_hour (utc), 2);
  put_digits (out + 11, g_date_time_get_minute (utc), 2);
  put_digits (out + 13, g_date_time_get_second (utc), 2);
  out[15] = 'Z';
  out[16] = '\0';
  return out;
}

/* RFC 1123 in the C locale, as Python's email.utils.formatdate() */
static char *
format_http_date (GDateTime *when)
{
  static const char * const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char * const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  g_autoptr(GDateTime) utc = g_date_time_to_utc (when);

  return g_strdup_printf ("%s, %02d %s %04d %02d:%02d:%02d -0000",
                          days[g_date_time_get_day_of_week (utc) - 1],
                          g_date_time_get_day_of_month (utc),
                          months[g_date_time_get_month (utc) - 1],
                          g_date_time_get_year (utc),
                          g_date_time_get_hour (utc),
                          g_date_time_get_minute (utc),
                          g_date_time_get_second (utc));
}

static gboolean
check_credentials (BotoCredentials  *credentials,
                   GError          **error)
{
  const char *access_key, *secret_key;

  if (credentials == NULL)
    {
      g_set_error_literal (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                           "Unable to sign the request: no credentials");
      return FALSE;
    }
  access_key = boto_credentials_get_access_key (credentials);
  secret_key = boto_credentials_get_secret_key (credentials);
  if (access_key == NULL || *access_key == '\0' || secret_key == NULL || *secret_key == '\0')
    {
      g_set_error_literal (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                           "Unable to sign the request: the credentials have an empty access key or secret key");
      return FALSE;
    }
  return TRUE;
}

static const char *
credentials_token (BotoCredentials *credentials)
{
  const char *token = boto_credentials_get_token (credentials);

  return token != NULL && *token != '\0' ? token : NULL;
}

/* For debug output: the canonical request with the session token (raw and
 * percent-encoded) blanked out. */
static char *
redact_token (const char *text,
              const char *token)
{
  g_autofree char *encoded = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *once = NULL;
  g_auto(GStrv) parts2 = NULL;

  if (token == NULL)
    return g_strdup (text);

  parts = g_strsplit (text, token, -1);
  once = g_strjoinv ("<redacted>", parts);
  encoded = boto_percent_encode (token, FALSE);
  parts2 = g_strsplit (once, encoded, -1);
  return g_strjoinv ("<redacted>", parts2);
}

static const char *
signer_algorithm (BotoSigV4Signer *self)
{
  return (self->flags & BOTO_SIGV4_FLAGS_ASYMMETRIC) ? BOTO_SIGV4A_ALGORITHM : BOTO_SIGV4_ALGORITHM;
}

/* The credential scope: date/region/service/aws4_request, without the
 * region for SigV4a (it signs for a region set). */
static void
append_scope (GString         *out,
              BotoSigV4Signer *self,
              const char      *date)
{
  g_string_append_len (out, date, strnlen (date, 8));
  g_string_append_c (out, '/');
  if (!(self->flags & BOTO_SIGV4_FLAGS_ASYMMETRIC))
    {
      g_string_append (out, self->region);
      g_string_append_c (out, '/');
    }
  g_string_append (out, self->service);
  g_string_append (out, "/aws4_request");
}

/* Computes canonical request, string to sign and signature of @request as it
 * stands. Returns the signed-headers list; fills @debug. */
static char *
compute_signature (BotoSigV4Signer *self,
                   BotoHttpRequest *request,
                   BotoCredentials *credentials,
                   const char      *timestamp,
                   const char      *payload,
                   char           **signature_out,
                   BotoSigV4Debug  *debug)
{
  HeadersToSign headers;
  GString *creq = g_string_sized_new (512);
  g_autofree char *signed_headers = NULL;
  g_autofree char *creq_hash = NULL;
  g_autofree char *sts = NULL;
  g_autofree char *date = g_strndup (timestamp, 8);
  guint8 key[32];
  guint8 sig[32];

  headers_to_sign_init (&headers, request);
  signed_headers = signed_headers_list (&headers);

  g_string_append (creq, boto_http_request_get_method (request));
  g_string_append_c (creq, '\n');
  append_canonical_uri (creq, self, request);
  g_string_append_c (creq, '\n');
  append_canonical_query (creq, request);
  g_string_append_c (creq, '\n');
  append_canonical_headers (creq, &headers);
  g_string_append_c (creq, '\n');
  g_string_append (creq, signed_headers);
  g_string_append_c (creq, '\n');
  g_string_append (creq, payload);
  headers_to_sign_clear (&headers);

  creq_hash = sha256_hex (creq->str, creq->len);
  {
    GString *text = g_string_sized_new (160);

    g_string_append (text, signer_algorithm (self));
    g_string_append_c (text, '\n');
    g_string_append (text, timestamp);
    g_string_append_c (text, '\n');
    append_scope (text, self, date);
    g_string_append_c (text, '\n');
    g_string_append (text, creq_hash);
    sts = g_string_free (text, FALSE);
  }

  if (!g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    {
      g_autofree char *redacted = redact_token (creq->str, credentials_token (credentials));

      g_debug ("SigV4 canonical request:\n%s", redacted);
      g_debug ("SigV4 string to sign:\n%s", sts);
    }

  if (self->flags & BOTO_SIGV4_FLAGS_ASYMMETRIC)
    {
      g_mutex_lock (&self->key_lock);
      if (self->ecdsa_key == NULL || self->key_credentials != credentials)
        {
          g_clear_pointer (&self->ecdsa_key, boto_sigv4a_key_free);
          g_clear_pointer (&self->key_credentials, boto_credentials_unref);
          self->ecdsa_key = boto_sigv4a_key_new (boto_credentials_get_access_key (credentials),
                                                 boto_credentials_get_secret_key (credentials), NULL);
          self->key_credentials = boto_credentials_ref (credentials);
        }
      /* Never NULL in practice (see boto_sigv4a_key_new); an empty
       * signature is then refused by the server. */
      *signature_out = self->ecdsa_key != NULL ? boto_sigv4a_key_sign (self->ecdsa_key, sts) : g_strdup ("");
      g_mutex_unlock (&self->key_lock);
    }
  else
  {
    struct hmac_sha256_ctx hmac;

    g_mutex_lock (&self->key_lock);
    if (self->key_credentials == credentials && strcmp (self->key_date, date) == 0)
      {
        hmac = self->key_hmac;
        g_mutex_unlock (&self->key_lock);
        signing_key_cache_count_hit ();
      }
    else
      {
        g_mutex_unlock (&self->key_lock);
        get_signing_key (boto_credentials_get_secret_key (credentials), date,
                         self->region, self->service, key);
        hmac_sha256_set_key (&hmac, sizeof key, key);
        memset (key, 0, sizeof key);
        g_mutex_lock (&self->key_lock);
        g_clear_pointer (&self->key_credentials, boto_credentials_unref);
        self->key_credentials = boto_credentials_ref (credentials);
        g_strlcpy (self->key_date, date, sizeof self->key_date);
        self->key_hmac = hmac;
        g_mutex_unlock (&self->key_lock);
      }
    hmac_sha256_update (&hmac, strlen (sts), (const guint8 *) sts);
    hmac_sha256_digest (&hmac, SHA256_DIGEST_SIZE, sig);
    memset (&hmac, 0, sizeof hmac);
    *signature_out = hex_encode (sig, sizeof sig);
  }

  if (debug != NULL)
    {
      boto_sigv4_debug_clear (debug);
      debug->canonical_request = g_string_free (g_steal_pointer (&creq), FALSE);
      debug->string_to_sign = g_steal_pointer (&sts);
      debug->signature = g_strdup (*signature_out);
    }
  if (creq != NULL)
    g_string_free (creq, TRUE);

  return g_steal_pointer (&signed_headers);
}

/* Header signing ----------------------------------------------------------- */

/*
 * boto_sigv4_signer_sign:
 * @self: a signer
 * @request: the request to sign, modified in place
 * @credentials: (nullable): the credentials; NULL fails with
 *   %BOTO_CLIENT_ERROR_NO_CREDENTIALS
 * @when: (nullable): the signing time; NULL for now, corrected by the clock
 *   offset
 * @debug: (out caller-allocates) (optional): the intermediate strings,
 *   zero-initialize it; free with boto_sigv4_debug_clear()
 * @error: return location for a #GError
 *
 * Signs @request in the `Authorization` header: removes a previous
 * `Authorization`, sets `X-Amz-Date` (or rewrites `Date` when the request
 * has one), `X-Amz-Security-Token` for temporary credentials and, for S3,
 * `X-Amz-Content-SHA256`. Signing again (a retry) replaces all of them.
 *
 * Returns: %TRUE on success
 */
gboolean
boto_sigv4_signer_sign (BotoSigV4Signer  *self,
                        BotoHttpRequest  *request,
                        BotoCredentials  *credentials,
                        GDateTime        *when,
                        BotoSigV4Debug   *debug,
                        GError          **error)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *timestamp = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *signed_headers = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *authorization = NULL;
  const char *token;
  const char *content_sha256;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (request != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_credentials (credentials, error))
    return FALSE;
  token = credentials_token (credentials);

  now = when != NULL ? g_date_time_ref (when) : boto_sigv4_signer_dup_now (self);
  timestamp = format_timestamp (now);

  boto_http_request_remove_header (request, "Authorization");

  if (boto_http_request_get_header (request, "Date") != NULL)
    {
      g_autofree char *http_date = format_http_date (now);

      boto_http_request_set_header (request, "Date", http_date);
      boto_http_request_remove_header (request, "X-Amz-Date");
    }
  else
    {
      boto_http_request_set_header (request, "X-Amz-Date", timestamp);
    }

  if (self->flags & BOTO_SIGV4_FLAGS_ASYMMETRIC)
    boto_http_request_set_header (request, "X-Amz-Region-Set", self->region);

  if (token != NULL)
    {
      boto_http_request_remove_header (request, "X-Amz-Security-Token");
      if (!(self->flags & BOTO_SIGV4_FLAGS_TOKEN_AFTER_SIGNING))
        boto_http_request_add_header (request, "X-Amz-Security-Token", token);
    }

  if (self->flags & (BOTO_SIGV4_FLAGS_S3 | BOTO_SIGV4_FLAGS_CONTENT_SHA256))
    {
      boto_http_request_remove_header (request, "X-Amz-Content-SHA256");
      payload = payload_hash (self, request);
      boto_http_request_add_header (request, "X-Amz-Content-SHA256", payload);
    }
  else if (self->flags & BOTO_SIGV4_FLAGS_UNSIGNED_PAYLOAD)
    {
      boto_http_request_set_header (request, "X-Amz-Content-SHA256",
                                    BOTO_SIGV4_UNSIGNED_PAYLOAD);
    }

  content_sha256 = boto_http_request_get_header (request, "X-Amz-Content-SHA256");
  if (content_sha256 != NULL)
    {
      g_free (payload);
      payload = g_strdup (content_sha256);
    }
  else if (payload == NULL)
    {
      payload = payload_hash (self, request);
    }

  signed_headers = compute_signature (self, request, credentials, timestamp,
                                      payload, &signature, debug);

  {
    GString *text = g_string_sized_new (256);

    g_string_append (text, signer_algorithm (self));
    g_string_append (text, " Credential=");
    g_string_append (text, boto_credentials_get_access_key (credentials));
    g_string_append_c (text, '/');
    append_scope (text, self, timestamp);
    g_string_append (text, ", SignedHeaders=");
    g_string_append (text, signed_headers);
    g_string_append (text, ", Signature=");
    g_string_append (text, signature);
    authorization = g_string_free (text, FALSE);
  }
  boto_http_request_add_header (request, "Authorization", authorization);

  if (token != NULL && (self->flags & BOTO_SIGV4_FLAGS_TOKEN_AFTER_SIGNING))
    boto_http_request_add_header (request, "X-Amz-Security-Token", token);

  if (!g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    g_debug ("SigV4: signed %s %s for %s/%s, signed headers %s",
             boto_http_request_get_method (request),
             boto_http_request_get_host (request),
             self->service, self->region, signed_headers);

  memset (signature, 0, strlen (signature));
  memset (authorization, 0, strlen (authorization));
  return TRUE;
}

/* Query-string signing (presigned URLs) ------------------------------------ */

static const char * const auth_query_params[] = {
  "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires",
  "X-Amz-SignedHeaders", "X-Amz-Security-Token", "X-Amz-Signature", "X-Amz-Region-Set",
};

static char *
json_member_to_string (JsonNode *node)
{
  GType type;

  if (JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("None");
  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (type == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? "True" : "False");
  if (type == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (type == G_TYPE_DOUBLE)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
    }
  return NULL;
}

/* botocore moves the body of a presigned request into the query: a
 * form-urlencoded body (query protocols) or a flat JSON object. */
static gboolean
move_body_to_query (BotoHttpRequest  *request,
                    GError          **error)
{
  GBytes *body = boto_http_request_get_body (request);
  gsize size;
  const char *data;
  gsize start = 0;

  if (body == NULL || g_bytes_get_size (body) == 0)
    return TRUE;

  data = g_bytes_get_data (body, &size);
  while (start < size && g_ascii_isspace (data[start]))
    start++;

  if (start < size && data[start] == '{')
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonNode *root;
      JsonObject *object;
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      if (!json_parser_load_from_data (parser, data, size, NULL) ||
          (root = json_parser_get_root (parser)) == NULL ||
          !JSON_NODE_HOLDS_OBJECT (root))
        {
          g_set_error_literal (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED,
                               "Cannot presign: the JSON body is not an object");
          return FALSE;
        }
      object = json_node_get_object (root);
      json_object_iter_init (&iter, object);
      while (json_object_iter_next (&iter, &name, &member))
        {
          /* A list of scalars repeats its name, as botocore encodes one. */
          JsonArray *items = JSON_NODE_HOLDS_ARRAY (member) ? json_node_get_array (member) : NULL;
          guint n = items != NULL ? json_array_get_length (items) : 1;

          for (guint i = 0; i < n; i++)
            {
              g_autofree char *value =
                json_member_to_string (items != NULL ? json_array_get_element (items, i) : member);

              if (value == NULL)
                {
                  g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED,
                               "Cannot presign: body member “%s” is not a scalar or a list of scalars",
                               name);
                  return FALSE;
                }
              boto_http_request_add_query (request, name, value);
            }
        }
    }
  else
    {
      g_autofree char *text = g_strndup (data, size);
      g_auto(GStrv) pieces = g_strsplit (text, "&", -1);

      for (guint i = 0; pieces[i] != NULL; i++)
        {
          char *eq;
          g_autofree char *name = NULL;
          g_autofree char *value = NULL;

          if (*pieces[i] == '\0')
            continue;
          g_strdelimit (pieces[i], "+", ' ');
          eq = strchr (pieces[i], '=');
          if (eq != NULL)
            *eq = '\0';
          name = g_uri_unescape_string (pieces[i], NULL);
          value = g_uri_unescape_string (eq != NULL ? eq + 1 : "", NULL);
          if (name == NULL || value == NULL)
            {
              g_set_error_literal (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED,
                                   "Cannot presign: the form body is not valid form-urlencoded data");
              return FALSE;
            }
          boto_http_request_add_query (request, name, value);
        }
    }

  boto_http_request_set_body (request, NULL);
  return TRUE;
}

/*
 * boto_sigv4_signer_presign:
 * @self: a signer
 * @request: the request to presign, modified in place
 * @credentials: (nullable): the credentials
 * @expires_in: seconds the URL stays valid (X-Amz-Expires)
 * @when: (nullable): the signing time; NULL for now, corrected by the clock
 *   offset
 * @debug: (out caller-allocates) (optional): the intermediate strings
 * @error: return location for a #GError
 *
 * Signs @request in its query string (a presigned URL): the operation
 * parameters stay first, then X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date,
 * X-Amz-Expires, X-Amz-SignedHeaders, X-Amz-Security-Token (temporary
 * credentials) and finally X-Amz-Signature. Every header the request has (but
 * the unsigned ones) is signed, `host` at least; the `Content-Type` botocore
 * sets for query protocols is dropped. Except for S3, the body's parameters
 * are moved into the query. The payload is `UNSIGNED-PAYLOAD` for S3.
 *
 * Returns: %TRUE on success
 */
gboolean
boto_sigv4_signer_presign (BotoSigV4Signer  *self,
                           BotoHttpRequest  *request,
                           BotoCredentials  *credentials,
                           guint             expires_in,
                           GDateTime        *when,
                           BotoSigV4Debug   *debug,
                           GError          **error)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *timestamp = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *signed_headers = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *credential = NULL;
  g_autofree char *expires = NULL;
  const char *token;
  const char *content_sha256;
  HeadersToSign headers;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (request != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_credentials (credentials, error))
    return FALSE;
  token = credentials_token (credentials);

  now = when != NULL ? g_date_time_ref (when) : boto_sigv4_signer_dup_now (self);
  timestamp = format_timestamp (now);

  /* The body goes into the query: the Content-Type botocore's query
   * serializer sets for it is dropped, as botocore does. */
  if (!(self->flags & BOTO_SIGV4_FLAGS_PRESIGN_KEEP_BODY) &&
      g_strcmp0 (boto_http_request_get_header (request, "Content-Type"),
                 "application/x-www-form-urlencoded; charset=utf-8") == 0)
    boto_http_request_remove_header (request, "Content-Type");

  for (guint i = 0; i < G_N_ELEMENTS (auth_query_params); i++)
    boto_http_request_remove_query (request, auth_query_params[i]);

  if (!(self->flags & (BOTO_SIGV4_FLAGS_S3 | BOTO_SIGV4_FLAGS_PRESIGN_KEEP_BODY)) &&
      !move_body_to_query (request, error))
    return FALSE;

  headers_to_sign_init (&headers, request);
  signed_headers = signed_headers_list (&headers);
  headers_to_sign_clear (&headers);

  {
    GString *text = g_string_new (boto_credentials_get_access_key (credentials));

    g_string_append_c (text, '/');
    append_scope (text, self, timestamp);
    credential = g_string_free (text, FALSE);
  }
  expires = g_strdup_printf ("%u", expires_in);
  boto_http_request_add_query (request, "X-Amz-Algorithm", signer_algorithm (self));
  boto_http_request_add_query (request, "X-Amz-Credential", credential);
  boto_http_request_add_query (request, "X-Amz-Date", timestamp);
  boto_http_request_add_query (request, "X-Amz-Expires", expires);
  boto_http_request_add_query (request, "X-Amz-SignedHeaders", signed_headers);
  if (self->flags & BOTO_SIGV4_FLAGS_ASYMMETRIC)
    boto_http_request_add_query (request, "X-Amz-Region-Set", self->region);
  if (token != NULL && !(self->flags & BOTO_SIGV4_FLAGS_TOKEN_AFTER_SIGNING))
    boto_http_request_add_query (request, "X-Amz-Security-Token", token);

  content_sha256 = boto_http_request_get_header (request, "X-Amz-Content-SHA256");
  if (content_sha256 != NULL)
    payload = g_strdup (content_sha256);
  else if (self->flags & BOTO_SIGV4_FLAGS_S3)
    payload = g_strdup (BOTO_SIGV4_UNSIGNED_PAYLOAD);
  else
    payload = payload_hash (self, request);

  g_free (compute_signature (self, request, credentials, timestamp, payload,
                             &signature, debug));

  if (token != NULL && (self->flags & BOTO_SIGV4_FLAGS_TOKEN_AFTER_SIGNING))
    boto_http_request_add_query (request, "X-Amz-Security-Token", token);
  boto_http_request_add_query (request, "X-Amz-Signature", signature);

  g_debug ("SigV4: presigned %s %s for %s/%s, expires in %u s",
           boto_http_request_get_method (request),
           boto_http_request_get_host (request),
           self->service, self->region, expires_in);

  memset (signature, 0, strlen (signature));
  return TRUE;
}

/*
 * boto_sigv4_signer_presign_url:
 * @self: a signer
 * @request: the request; not modified
 * @credentials: (nullable): the credentials
 * @expires_in: seconds the URL stays valid
 * @error: return location for a #GError
 *
 * Presigns a copy of @request at the current (corrected) time.
 *
 * Returns: (transfer full) (nullable): the presigned URL
 */
char *
boto_sigv4_signer_presign_url (BotoSigV4Signer  *self,
                               BotoHttpRequest  *request,
                               BotoCredentials  *credentials,
                               guint             expires_in,
                               GError          **error)
{
  g_autoptr(BotoHttpRequest) copy = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  copy = boto_http_request_copy (request);
  if (!boto_sigv4_signer_presign (self, copy, credentials, expires_in, NULL, NULL, error))
    return NULL;
  return boto_http_request_dup_url (copy);
}

/* S3 POST policies ---------------------------------------------------------- */

typedef struct
{
  GPtrArray *names;
  GPtrArray *values;
} PostFields;

/* As a Python dict: a name set again keeps its place. */
static void
post_fields_set (PostFields *fields,
                 const char *name,
                 const char *value)
{
  for (guint i = 0; i < fields->names->len; i++)
    if (strcmp (g_ptr_array_index (fields->names, i), name) == 0)
      {
        g_free (g_ptr_array_index (fields->values, i));
        g_ptr_array_index (fields->values, i) = g_strdup (value);
        return;
      }
  g_ptr_array_add (fields->names, g_strdup (name));
  g_ptr_array_add (fields->values, g_strdup (value));
}

static void
append_condition (GString    *policy,
                  const char *name,
                  const char *value)
{
  g_autoptr(GVariant) condition = g_variant_ref_sink (g_variant_new_parsed ("{%s: %s}", name, value));

  g_string_append (policy, ", ");
  boto_format_json_value (policy, condition, BOTO_FORMAT_JSON_PYTHON);
}

/*
 * boto_sigv4_signer_presign_post:
 * @self: an `s3` signer
 * @credentials: (nullable): the credentials
 * @fields: (nullable): the form's fields so far, a dictionary of strings
 *   (`a{ss}` or `a{sv}`), in order
 * @conditions: (nullable): the policy's conditions so far, an array of
 *   JSON-like values
 * @expires_in: seconds the policy stays valid
 * @when: (nullable): the signing time; %NULL for now (corrected)
 * @error: return location for a #GError
 *
 * Signs a browser POST upload as botocore's S3SigV4PostAuth: the policy
 * (`expiration`, then @conditions followed by the algorithm, credential,
 * date and session token) written as Python's json.dumps() writes it,
 * base64-encoded, and its HMAC with the signing key.
 *
 * Returns: (transfer full): the fields, `a{ss}`: @fields, then
 *   `x-amz-algorithm`, `x-amz-credential`, `x-amz-date`,
 *   `x-amz-security-token` (with a session token), `policy` and
 *   `x-amz-signature`; %NULL with @error set
 */
GVariant *
boto_sigv4_signer_presign_post (BotoSigV4Signer  *self,
                                BotoCredentials  *credentials,
                                GVariant         *fields,
                                GVariant         *conditions,
                                guint             expires_in,
                                GDateTime        *when,
                                GError          **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  PostFields post = { names, values };
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) expiry = NULL;
  g_autofree char *timestamp = NULL;
  g_autofree char *expiration = NULL;
  g_autofree char *credential = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *signature = NULL;
  g_autoptr(GString) policy = g_string_new ("{\"expiration\": ");
  GVariantBuilder builder;
  const char *token;
  guint8 key[32];
  guint8 mac[32];
  char date[9];

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_credentials (credentials, error))
    return NULL;
  token = credentials_token (credentials);

  if (fields != NULL)
    {
      GVariantIter iter;
      GVariant *entry;

      if (!g_variant_is_of_type (fields, G_VARIANT_TYPE ("a{s*}")))
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                       "Parameter validation failed:\nFields must be a dictionary of strings, not %s",
                       g_variant_get_type_string (fields));
          return NULL;
        }
      g_variant_iter_init (&iter, fields);
      while ((entry = g_variant_iter_next_value (&iter)) != NULL)
        {
          g_autoptr(GVariant) owned = entry;
          g_autoptr(GVariant) name = g_variant_get_child_value (entry, 0);
          g_autoptr(GVariant) value = g_variant_get_child_value (entry, 1);

          while (g_variant_is_of_type (value, G_VARIANT_TYPE_VARIANT))
            {
              GVariant *inner = g_variant_get_variant (value);

              g_variant_unref (value);
              value = inner;
            }
          if (!g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
            {
              g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                           "Parameter validation failed:\nField “%s” must be a string, not %s",
                           g_variant_get_string (name, NULL), g_variant_get_type_string (value));
              return NULL;
            }
          post_fields_set (&post, g_variant_get_string (name, NULL), g_variant_get_string (value, NULL));
        }
    }

  now = when != NULL ? g_date_time_ref (when) : boto_sigv4_signer_dup_now (self);
  timestamp = format_timestamp (now);
  expiry = g_date_time_add_seconds (now, expires_in);
  {
    g_autoptr(GDateTime) utc = g_date_time_to_utc (expiry);

    expiration = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
  }
  {
    GString *text = g_string_new (boto_credentials_get_access_key (credentials));

    g_string_append_c (text, '/');
    append_scope (text, self, timestamp);
    credential = g_string_free (text, FALSE);
  }

  /* The policy, as json.dumps() writes botocore's dict. */
  {
    g_autoptr(GVariant) text = g_variant_ref_sink (g_variant_new_string (expiration));

    boto_format_json_value (policy, text, BOTO_FORMAT_JSON_PYTHON);
  }
  g_string_append (policy, ", \"conditions\": [");
  if (conditions != NULL)
    {
      if (!g_variant_is_container (conditions) || g_variant_is_of_type (conditions, G_VARIANT_TYPE ("a{s*}")) ||
          !g_variant_is_of_type (conditions, G_VARIANT_TYPE_ARRAY))
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                       "Parameter validation failed:\nConditions must be a list, not %s",
                       g_variant_get_type_string (conditions));
          return NULL;
        }
      for (gsize i = 0; i < g_variant_n_children (conditions); i++)
        {
          g_autoptr(GVariant) condition = g_variant_get_child_value (conditions, i);

          if (i > 0)
            g_string_append (policy, ", ");
          if (!boto_format_json_value (policy, condition, BOTO_FORMAT_JSON_PYTHON))
            {
              g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                           "Parameter validation failed:\nConditions[%" G_GSIZE_FORMAT "] is not a JSON value",
                           i);
              return NULL;
            }
        }
    }
  /* The first of these follows "[" when there was no condition. */
  {
    gsize mark = policy->len;

    append_condition (policy, "x-amz-algorithm", BOTO_SIGV4_ALGORITHM);
    if (conditions == NULL || g_variant_n_children (conditions) == 0)
      g_string_erase (policy, mark, 2);
  }
  append_condition (policy, "x-amz-credential", credential);
  append_condition (policy, "x-amz-date", timestamp);
  if (token != NULL)
    append_condition (policy, "x-amz-security-token", token);
  g_string_append (policy, "]}");

  post_fields_set (&post, "x-amz-algorithm", BOTO_SIGV4_ALGORITHM);
  post_fields_set (&post, "x-amz-credential", credential);
  post_fields_set (&post, "x-amz-date", timestamp);
  if (token != NULL)
    post_fields_set (&post, "x-amz-security-token", token);
  encoded = g_base64_encode ((const guchar *) policy->str, policy->len);
  post_fields_set (&post, "policy", encoded);

  memcpy (date, timestamp, 8);
  date[8] = '\0';
  get_signing_key (boto_credentials_get_secret_key (credentials), date, self->region, self->service, key);
  hmac_sha256 (key, sizeof key, encoded, strlen (encoded), mac);
  signature = hex_encode (mac, sizeof mac);
  post_fields_set (&post, "x-amz-signature", signature);
  memset (key, 0, sizeof key);
  memset (mac, 0, sizeof mac);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  for (guint i = 0; i < names->len; i++)
    g_variant_builder_add (&builder, "{ss}", g_ptr_array_index (names, i), g_ptr_array_index (values, i));
  memset (signature, 0, strlen (signature));

  g_debug ("SigV4: POST policy signed for %s/%s, expires in %u s", self->service, self->region, expires_in);
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}
