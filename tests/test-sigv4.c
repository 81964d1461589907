/* test-sigv4.c: BotoHttpRequest and the SigV4 signer: botocore's inline
 * presign vectors, S3 rules, tokens, the key cache, clock skew, and no
 * secrets in debug output
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include <boto-glib/boto-glib.h>

#include "boto-sigv4-private.h"
#include "boto-sigv4a-private.h"

/* botocore's TestSigV4Presign inputs */
#define PRESIGN_ACCESS_KEY "access_key"
#define PRESIGN_SECRET_KEY "secret_key"

#define SECRET_KEY "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define TOKEN      "AQoDYXdzEPT//////////wEXAMPLEtoken+with/slashes=="

static GDateTime *
presign_time (void)
{
  return g_date_time_new_utc (2014, 1, 1, 0, 0, 0);
}

static BotoHttpRequest *
request_from_url (const char *method,
                  const char *url)
{
  g_autoptr(GError) error = NULL;
  BotoHttpRequest *request = boto_http_request_new_from_url (method, url, &error);

  g_assert_no_error (error);
  g_assert_nonnull (request);
  return request;
}

static char *
presign (BotoSigV4Flags   flags,
         BotoHttpRequest *request,
         const char      *token)
{
  g_autoptr(BotoSigV4Signer) signer = boto_sigv4_signer_new ("myservice", "myregion", flags);
  g_autoptr(BotoCredentials) credentials = boto_credentials_new (PRESIGN_ACCESS_KEY, PRESIGN_SECRET_KEY,
                                                                 token, NULL);
  g_autoptr(GDateTime) when = presign_time ();
  g_autoptr(GError) error = NULL;

  g_assert_true (boto_sigv4_signer_presign (signer, request, credentials, 60, when, NULL, &error));
  g_assert_no_error (error);
  return boto_http_request_dup_url (request);
}

/* BotoHttpRequest ---------------------------------------------------------- */

static void
test_request_url (void)
{
  g_autoptr(BotoHttpRequest) request = NULL;
  g_autoptr(BotoHttpRequest) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  gboolean found;

  request = request_from_url ("GET", "https://Example.COM:8443/a%20b/c?uploads&x=&y=1%2B2+3&z=%E1%88%B4#frag");
  g_assert_cmpstr (boto_http_request_get_scheme (request), ==, "https");
  g_assert_cmpstr (boto_http_request_get_host (request), ==, "Example.COM");
  g_assert_cmpint (boto_http_request_get_port (request), ==, 8443);
  g_assert_cmpstr (boto_http_request_get_encoded_path (request), ==, "/a%20b/c");
  path = boto_http_request_dup_path (request);
  g_assert_cmpstr (path, ==, "/a b/c");
  g_assert_cmpuint (boto_http_request_get_n_query (request), ==, 4);
  g_assert_cmpstr (boto_http_request_get_query_name (request, 0), ==, "uploads");
  g_assert_null (boto_http_request_get_query_value (request, 0));
  g_assert_cmpstr (boto_http_request_get_query_value (request, 1), ==, "");
  g_assert_cmpstr (boto_http_request_get_query_value (request, 2), ==, "1+2+3");
  g_assert_cmpstr (boto_http_request_lookup_query (request, "z", &found), ==, "ሴ");
  g_assert_true (found);
  g_assert_null (boto_http_request_lookup_query (request, "nope", &found));
  g_assert_false (found);

  host = boto_http_request_dup_host_header (request);
  g_assert_cmpstr (host, ==, "example.com:8443");

  url = boto_http_request_dup_url (request);
  g_assert_cmpstr (url, ==, "https://Example.COM:8443/a%20b/c?uploads&x=&y=1%2B2%2B3&z=%E1%88%B4");

  copy = boto_http_request_copy (request);
  boto_http_request_clear_query (request);
  g_assert_cmpuint (boto_http_request_get_n_query (copy), ==, 4);
  g_assert_cmpuint (boto_http_request_get_n_query (request), ==, 0);
}

static void
test_request_host (void)
{
  g_autoptr(BotoHttpRequest) a = request_from_url ("GET", "https://s3.amazonaws.com:443/");
  g_autoptr(BotoHttpRequest) b = request_from_url ("GET", "http://localhost:80");
  g_autoptr(BotoHttpRequest) c = request_from_url ("GET", "http://[::1]:5000/x");
  g_autofree char *ha = boto_http_request_dup_host_header (a);
  g_autofree char *hb = boto_http_request_dup_host_header (b);
  g_autofree char *hc = boto_http_request_dup_host_header (c);
  g_autofree char *uc = boto_http_request_dup_url (c);
  g_autofree char *ub = boto_http_request_dup_url (b);

  g_assert_cmpstr (ha, ==, "s3.amazonaws.com");
  g_assert_cmpstr (hb, ==, "localhost");
  g_assert_cmpstr (hc, ==, "[::1]:5000");
  g_assert_cmpstr (uc, ==, "http://[::1]:5000/x");
  g_assert_cmpstr (ub, ==, "http://localhost/");

  /* Passing the request's own scheme and host back in is safe. */
  boto_http_request_set_endpoint (c, boto_http_request_get_scheme (c),
                                  boto_http_request_get_host (c), 5001);
  g_assert_cmpstr (boto_http_request_get_scheme (c), ==, "http");
  g_assert_cmpstr (boto_http_request_get_host (c), ==, "::1");
}

static void
test_request_bad_urls (void)
{
  const char *bad[] = {
    "no-scheme", "ftp://host/", "https:///path", "https://host:99999/",
    "https://host:12a/", "https://user:pw@host/", "https://[::1/", "https://host/?a=%zz",
    "https://host/?a=%00",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BotoHttpRequest) request = boto_http_request_new_from_url ("GET", bad[i], &error);

      g_assert_null (request);
      g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED);
    }
}

static void
test_request_headers (void)
{
  g_autoptr(BotoHttpRequest) request = boto_http_request_new ("PUT", "https", "h", -1, "/k e y/ሴ~");

  g_assert_cmpstr (boto_http_request_get_encoded_path (request), ==, "/k%20e%20y/%E1%88%B4~");

  boto_http_request_add_header (request, "X-Multi", "one");
  boto_http_request_add_header (request, "x-multi", "two");
  boto_http_request_add_header (request, "Content-Type", "text/plain");
  g_assert_cmpuint (boto_http_request_get_n_headers (request), ==, 3);
  g_assert_cmpstr (boto_http_request_get_header (request, "X-MULTI"), ==, "one");
  g_assert_cmpstr (boto_http_request_get_header (request, "content-type"), ==, "text/plain");

  boto_http_request_set_header (request, "X-MULTI", "three");
  g_assert_cmpuint (boto_http_request_get_n_headers (request), ==, 2);
  g_assert_cmpstr (boto_http_request_get_header_name (request, 1), ==, "X-MULTI");
  g_assert_cmpstr (boto_http_request_get_header_value (request, 1), ==, "three");
  g_assert_cmpuint (boto_http_request_remove_header (request, "x-multi"), ==, 1);
  g_assert_null (boto_http_request_get_header (request, "x-multi"));

  boto_http_request_add_query (request, "a", "1");
  boto_http_request_add_query (request, "a", "2");
  g_assert_cmpuint (boto_http_request_remove_query (request, "a"), ==, 2);
  g_assert_cmpuint (boto_http_request_get_n_query (request), ==, 0);
}

/* botocore's TestSigV4Presign ---------------------------------------------- */

static void
test_presign_no_params (void)
{
  g_autoptr(BotoHttpRequest) request = request_from_url ("GET", "https://ec2.us-east-1.amazonaws.com/");
  g_autofree char *url = presign (BOTO_SIGV4_FLAGS_NONE, request, NULL);

  g_assert_cmpstr (url, ==,
                   "https://ec2.us-east-1.amazonaws.com/?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                   "&X-Amz-Credential=access_key%2F20140101%2Fmyregion%2Fmyservice%2Faws4_request"
                   "&X-Amz-Date=20140101T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host"
                   "&X-Amz-Signature=c70e0bcdb4cd3ee324f71c78195445b8788315af0800bbbdbbb6d05a616fb84c");
}

static void
test_presign_s3 (void)
{
  g_autoptr(BotoHttpRequest) request = request_from_url ("GET", "https://s3.us-west-2.amazonaws.com/mybucket/keyname/.bar");
  g_autoptr(BotoSigV4Signer) signer = boto_sigv4_signer_new ("myservice", "myregion", BOTO_SIGV4_FLAGS_S3);
  g_autoptr(BotoCredentials) credentials = boto_credentials_new (PRESIGN_ACCESS_KEY, PRESIGN_SECRET_KEY, NULL, NULL);
  g_autoptr(GDateTime) when = presign_time ();
  g_autoptr(GError) error = NULL;
  BotoSigV4Debug debug = { 0 };

  g_assert_true (boto_sigv4_signer_presign (signer, request, credentials, 60, when, &debug, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (debug.canonical_request, "\nUNSIGNED-PAYLOAD"));
  g_assert_true (g_str_has_prefix (debug.canonical_request, "GET\n/mybucket/keyname/.bar\n"));
  g_assert_cmpstr (boto_http_request_lookup_query (request, "X-Amz-Signature", NULL), ==,
                   "ac1b8b9e47e8685c5c963d75e35e8741d55251cd955239cc1efad4dc7201db66");
  g_assert_cmpstr (boto_http_request_lookup_query (request, "X-Amz-SignedHeaders", NULL), ==, "host");
  boto_sigv4_debug_clear (&debug);
}

static void
test_presign_json_body (void)
{
  const char *bodies[] = { "{\"Param\": \"value\"}", "{\"Param\":\"value\"}" };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(BotoHttpRequest) request = request_from_url ("GET", "https://myservice.us-east-1.amazonaws.com/");
      g_autoptr(GBytes) body = g_bytes_new_static (bodies[i], strlen (bodies[i]));
      g_autofree char *url = NULL;

      boto_http_request_set_body (request, body);
      url = presign (BOTO_SIGV4_FLAGS_NONE, request, NULL);
      g_assert_null (boto_http_request_get_body (request));
      g_assert_true (g_str_has_prefix (url, "https://myservice.us-east-1.amazonaws.com/?Param=value&X-Amz-Algorithm="));
      g_assert_cmpstr (boto_http_request_lookup_query (request, "X-Amz-Signature", NULL), ==,
                       "8e1d372d168d532313ce6df8f64a7dc51de6f312a9cfba6e5b345d8a771e839c");
    }
}

static void
test_presign_behaviour (void)
{
  g_autoptr(BotoHttpRequest) r1 = request_from_url ("GET", "https://ec2.us-east-1.amazonaws.com/?Action=MyOperation");
  g_autoptr(BotoHttpRequest) r2 = request_from_url ("GET", "https://ec2.us-east-1.amazonaws.com/");
  g_autoptr(BotoHttpRequest) r3 = request_from_url ("POST", "https://s3.amazonaws.com/mybucket/mykey?uploads");
  g_autoptr(BotoHttpRequest) r4 = request_from_url ("GET", "https://ec2.us-east-1.amazonaws.com/");
  g_autoptr(BotoHttpRequest) r5 = request_from_url ("GET", "https://myservice.us-east-1.amazonaws.com/");
  g_autoptr(GBytes) form = g_bytes_new_static ("Action=MyOperation&Description=With+Spaces%21",
                                               strlen ("Action=MyOperation&Description=With+Spaces%21"));
  g_autofree char *u1 = NULL, *u2 = NULL, *u3 = NULL, *u4 = NULL, *u5 = NULL;
  g_autofree char *again = NULL;

  /* Operation parameters come before the auth parameters. */
  u1 = presign (BOTO_SIGV4_FLAGS_NONE, r1, NULL);
  g_assert_nonnull (strstr (u1, "?Action=MyOperation&X-Amz-"));

  /* A form body moves into the query; spaces are %20, never +. */
  boto_http_request_set_body (r2, form);
  boto_http_request_add_header (r2, "Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  u2 = presign (BOTO_SIGV4_FLAGS_NONE, r2, NULL);
  g_assert_nonnull (strstr (u2, "?Action=MyOperation&Description=With%20Spaces%21&X-Amz-"));
  g_assert_null (strchr (u2, '+'));
  /* … and its form Content-Type is not signed. */
  g_assert_cmpstr (boto_http_request_lookup_query (r2, "X-Amz-SignedHeaders", NULL), ==, "host");

  /* An empty-valued ?uploads is kept. */
  u3 = presign (BOTO_SIGV4_FLAGS_NONE, r3, NULL);
  g_assert_true (g_str_has_prefix (u3, "https://s3.amazonaws.com/mybucket/mykey?uploads&X-Amz-Algorithm="));

  /* The token is in the query, before the signature. */
  u4 = presign (BOTO_SIGV4_FLAGS_S3, r4, "security-token");
  g_assert_cmpstr (boto_http_request_lookup_query (r4, "X-Amz-Security-Token", NULL), ==, "security-token");
  g_assert_nonnull (strstr (u4, "&X-Amz-Security-Token=security-token&X-Amz-Signature="));

  /* Presigning a presigned request replaces the auth parameters. */
  again = presign (BOTO_SIGV4_FLAGS_S3, r4, "security-token");
  g_assert_cmpstr (again, ==, u4);

  /* Other headers are signed. */
  boto_http_request_add_header (r5, "X-Amz-Meta-Thing", "x");
  boto_http_request_add_header (r5, "User-Agent", "boto-glib");
  u5 = presign (BOTO_SIGV4_FLAGS_NONE, r5, NULL);
  g_assert_cmpstr (boto_http_request_lookup_query (r5, "X-Amz-SignedHeaders", NULL), ==, "host;x-amz-meta-thing");
}

static void
test_presign_url_helper (void)
{
  g_autoptr(BotoHttpRequest) request = request_from_url ("GET", "https://bucket.s3.amazonaws.com/key");
  g_autoptr(BotoSigV4Signer) signer = boto_sigv4_signer_new ("s3", "us-east-1", BOTO_SIGV4_FLAGS_S3);
  g_autoptr(BotoCredentials) credentials = boto_credentials_new ("AK", SECRET_KEY, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = boto_sigv4_signer_presign_url (signer, request, credentials, 3600, &error);

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (url, "https://bucket.s3.amazonaws.com/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AK%2F"));
  g_assert_nonnull (strstr (url, "&X-Amz-Expires=3600&"));
  /* the request itself is untouched */
  g_assert_cmpuint (boto_http_request_get_n_query (request), ==, 0);
}

/* Header signing ----------------------------------------------------------- */

static char *
sign_for_creq (BotoSigV4Flags   flags,
               BotoHttpRequest *request,
               const char      *token)
{
  g_autoptr(BotoSigV4Signer) signer = boto_sigv4_signer_new ("service", "us-east-1", flags);
  g_autoptr(BotoCredentials) credentials = boto_credentials_new ("AKIDEXAMPLE", SECRET_KEY, token, NULL);
  g_autoptr(GDateTime) when = g_date_time_new_utc (2015, 8, 30, 12, 36, 0);
  g_autoptr(GError) error = NULL;
  BotoSigV4Debug debug = { 0 };
  char *creq;

  g_assert_true (boto_sigv4_signer_sign (signer, request, credentials, when, &debug, &error));
  g_assert_no_error (error);
  creq = g_steal_pointer (&debug.canonical_request);
  boto_sigv4_debug_clear (&debug);
  return creq;
}

static void
test_s3_single_encoding (void)
{
  g_autoptr(BotoHttpRequest) s3 = boto_http_request_new ("GET", "https", "b.s3.amazonaws.com", -1, "/a b/c%d/./x//y");
  g_autoptr(BotoHttpRequest) other = boto_http_request_copy (s3);
  g_autofree char *creq_s3 = sign_for_creq (BOTO_SIGV4_FLAGS_S3, s3, NULL);
  g_autofree char *creq_other = sign_for_creq (BOTO_SIGV4_FLAGS_NONE, other, NULL);

  g_assert_cmpstr (boto_http_request_get_encoded_path (s3), ==, "/a%20b/c%25d/./x//y");
  /* S3: the wire path as it is, not normalized */
  g_assert_true (g_str_has_prefix (creq_s3, "GET\n/a%20b/c%25d/./x//y\n"));
  /* others: normalized, then encoded a second time */
  g_assert_true (g_str_has_prefix (creq_other, "GET\n/a%2520b/c%2525d/x/y\n"));
}

static void
test_s3_content_sha256 (void)
{
  g_autoptr(BotoHttpRequest) put = boto_http_request_new ("PUT", "https", "b.s3.amazonaws.com", -1, "/key");
  g_autoptr(BotoHttpRequest) stream = boto_http_request_new ("PUT", "https", "b.s3.amazonaws.com", -1, "/key");
  g_autoptr(BotoHttpRequest) plain = boto_http_request_new ("PUT", "https", "service.amazonaws.com", -1, "/key");
  g_autoptr(BotoHttpRequest) unsigned_http = boto_http_request_new ("PUT", "http", "service.amazonaws.com", -1, "/");
  g_autoptr(BotoHttpRequest) unsigned_https = boto_http_request_new ("PUT", "https", "service.amazonaws.com", -1, "/");
  g_autoptr(GBytes) body = g_bytes_new_static ("hello", 5);
  g_autofree char *c1 = NULL, *c2 = NULL, *c3 = NULL, *c4 = NULL, *c5 = NULL;
  const char *hello_sha = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

  boto_http_request_set_body (put, body);
  c1 = sign_for_creq (BOTO_SIGV4_FLAGS_S3, put, NULL);
  g_assert_cmpstr (boto_http_request_get_header (put, "X-Amz-Content-SHA256"), ==, hello_sha);
  g_assert_true (g_str_has_suffix (c1, hello_sha));
  g_assert_nonnull (strstr (c1, "x-amz-content-sha256:"));

  /* a streaming body: the given hash is used */
  boto_http_request_set_payload_hash (stream, BOTO_SIGV4_UNSIGNED_PAYLOAD);
  c2 = sign_for_creq (BOTO_SIGV4_FLAGS_S3, stream, NULL);
  g_assert_cmpstr (boto_http_request_get_header (stream, "X-Amz-Content-SHA256"), ==, "UNSIGNED-PAYLOAD");
  g_assert_true (g_str_has_suffix (c2, "\nUNSIGNED-PAYLOAD"));

  /* not S3: no header, the hash in the canonical request */
  boto_http_request_set_body (plain, body);
  c3 = sign_for_creq (BOTO_SIGV4_FLAGS_NONE, plain, NULL);
  g_assert_null (boto_http_request_get_header (plain, "X-Amz-Content-SHA256"));
  g_assert_true (g_str_has_suffix (c3, hello_sha));

  /* payload signing disabled: only over HTTPS */
  boto_http_request_set_body (unsigned_http, body);
  c4 = sign_for_creq (BOTO_SIGV4_FLAGS_S3 | BOTO_SIGV4_FLAGS_UNSIGNED_PAYLOAD, unsigned_http, NULL);
  g_assert_cmpstr (boto_http_request_get_header (unsigned_http, "X-Amz-Content-SHA256"), ==, hello_sha);
  boto_http_request_set_body (unsigned_https, body);
  c5 = sign_for_creq (BOTO_SIGV4_FLAGS_S3 | BOTO_SIGV4_FLAGS_UNSIGNED_PAYLOAD, unsigned_https, NULL);
  g_assert_cmpstr (boto_http_request_get_header (unsigned_https, "X-Amz-Content-SHA256"), ==, "UNSIGNED-PAYLOAD");
}

static guint
count_headers (BotoHttpRequest *request,
               const char      *name)
{
  guint n = 0;

  for (guint i = 0; i < boto_http_request_get_n_headers (request); i++)
    if (g_ascii_strcasecmp (boto_http_request_get_header_name (request, i), name) == 0)
      n++;
  return n;
}

static void
test_token_and_resign (void)
{
  g_autoptr(BotoHttpRequest) request = boto_http_request_new ("GET", "https", "service.amazonaws.com", -1, "/");
  g_autofree char *creq = NULL;
  g_autofree char *creq2 = NULL;
  g_autofree char *authz = NULL;

  boto_http_request_add_header (request, "User-Agent", "boto-glib/1.0");
  boto_http_request_add_header (request, "Expect", "100-continue");
  boto_http_request_add_header (request, "X-Amzn-Trace-Id", "Root=1");
  boto_http_request_add_header (request, "My-Header", "  a   b  ");
  creq = sign_for_creq (BOTO_SIGV4_FLAGS_NONE, request, TOKEN);
  g_assert_cmpstr (boto_http_request_get_header (request, "X-Amz-Security-Token"), ==, TOKEN);
  g_assert_nonnull (strstr (creq, "\nhost;my-header;x-amz-date;x-amz-security-token\n"));
  g_assert_nonnull (strstr (creq, "\nmy-header:a b\n"));
  authz = g_strdup (boto_http_request_get_header (request, "Authorization"));
  g_assert_true (g_str_has_prefix (authz, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                                          "SignedHeaders=host;my-header;x-amz-date;x-amz-security-token, Signature="));

  /* a retry signs again without duplicating anything */
  creq2 = sign_for_creq (BOTO_SIGV4_FLAGS_NONE, request, TOKEN);
  g_assert_cmpstr (creq2, ==, creq);
  g_assert_cmpstr (boto_http_request_get_header (request, "Authorization"), ==, authz);
  g_assert_cmpuint (count_headers (request, "Authorization"), ==, 1);
  g_assert_cmpuint (count_headers (request, "X-Amz-Date"), ==, 1);
  g_assert_cmpuint (count_headers (request, "X-Amz-Security-Token"), ==, 1);
}

static void
test_date_header (void)
{
  g_autoptr(BotoHttpRequest) request = boto_http_request_new ("GET", "https", "service.amazonaws.com", -1, "/");
  g_autofree char *creq = NULL;

  boto_http_request_add_header (request, "Date", "whatever");
  boto_http_request_add_header (request, "X-Amz-Date", "19700101T000000Z");
  creq = sign_for_creq (BOTO_SIGV4_FLAGS_NONE, request, NULL);
  g_assert_cmpstr (boto_http_request_get_header (request, "Date"), ==, "Sun, 30 Aug 2015 12:36:00 -0000");
  g_assert_null (boto_http_request_get_header (request, "X-Amz-Date"));
  g_assert_nonnull (strstr (creq, "\ndate:Sun, 30 Aug 2015 12:36:00 -0000\n"));
}

static void
test_no_credentials (void)
{
  g_autoptr(BotoHttpRequest) request = boto_http_request_new ("GET", "https", "h", -1, "/");
  g_autoptr(BotoSigV4Signer) signer = boto_sigv4_signer_new ("service", "us-east-1", 0);
  g_autoptr(BotoCredentials) empty = boto_credentials_new ("", SECRET_KEY, NULL, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (boto_sigv4_signer_sign (signer, request, NULL, NULL, NULL, &error));
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS);
  g_clear_error (&error);
  g_assert_false (boto_sigv4_signer_presign (signer, request, empty, 60, NULL, NULL, &error));
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS);
  g_assert_null (strstr (error->message, SECRET_KEY));
}

/* Signing-key cache -------------------------------------------------------- */

typedef struct
{
  BotoSigV4Signer *signer;
  BotoCredentials *credentials;
  char *authorization;
} ThreadData;

static gpointer
sign_in_thread (gpointer data)
{
  ThreadData *td = data;

  for (int i = 0; i < 50; i++)
    {
      g_autoptr(BotoHttpRequest) request = boto_http_request_new ("GET", "https", "h", -1, "/");
      g_autoptr(GDateTime) when = g_date_time_new_utc (2015, 8, 30 - (i % 3), 12, 36, 0);
      g_autoptr(GError) error = NULL;

      g_assert_true (boto_sigv4_signer_sign (td->signer, request, td->credentials, when, NULL, &error));
      if (i == 0)
        td->authorization = g_strdup (boto_http_request_get_header (request, "Authorization"));
      else if (i % 3 == 0)
        g_assert_cmpstr (td->authorization, ==, boto_http_request_get_header (request, "Authorization"));
    }
  return NULL;
}

static void
test_signing_key_cache (void)
{
  g_autoptr(BotoSigV4Signer) east = boto_sigv4_signer_new ("service", "us-east-1", 0);
  g_autoptr(BotoSigV4Signer) west = boto_sigv4_signer_new ("service", "us-west-2", 0);
  g_autoptr(BotoCredentials) credentials = boto_credentials_new ("AK", SECRET_KEY, NULL, NULL);
  g_autoptr(BotoCredentials) other = boto_credentials_new ("AK", "another-secret", NULL, NULL);
  g_autoptr(GDateTime) when = g_date_time_new_utc (2015, 8, 30, 12, 36, 0);
  g_autoptr(GDateTime) later = g_date_time_new_utc (2015, 8, 30, 23, 0, 0);
  ThreadData td[4];
  GThread *threads[4];
  guint hits, misses;

  boto_sigv4_signing_key_cache_clear ();

#define SIGN(signer, creds, t) G_STMT_START { \
    g_autoptr(BotoHttpRequest) r = boto_http_request_new ("GET", "https", "h", -1, "/"); \
    g_assert_true (boto_sigv4_signer_sign (signer, r, creds, t, NULL, NULL)); \
  } G_STMT_END

  SIGN (east, credentials, when);
  boto_sigv4_signing_key_cache_stats (&hits, &misses);
  g_assert_cmpuint (hits, ==, 0);
  g_assert_cmpuint (misses, ==, 1);
  SIGN (east, credentials, later);      /* same day */
  SIGN (west, credentials, when);       /* another region */
  SIGN (east, other, when);             /* another secret */
  SIGN (east, credentials, when);
  boto_sigv4_signing_key_cache_stats (&hits, &misses);
  g_assert_cmpuint (hits, ==, 2);
  g_assert_cmpuint (misses, ==, 3);
#undef SIGN

  /* threads share the cache and agree */
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      td[i].signer = east;
      td[i].credentials = credentials;
      td[i].authorization = NULL;
      threads[i] = g_thread_new ("signer", sign_in_thread, &td[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_assert_cmpstr (td[i].authorization, ==, td[0].authorization);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_free (td[i].authorization);
}

/* Clock skew --------------------------------------------------------------- */

static void
test_clock_skew (void)
{
  g_autoptr(BotoSigV4Signer) signer = boto_sigv4_signer_new ("service", "us-east-1", 0);
  g_autoptr(BotoCredentials) credentials = boto_credentials_new ("AK", SECRET_KEY, NULL, NULL);
  g_autoptr(BotoHttpRequest) request = boto_http_request_new ("GET", "https", "h", -1, "/");
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) server = g_date_time_new_utc (2015, 8, 30, 12, 36, 0);
  gint64 local = (g_date_time_to_unix (server) - 3600) * G_USEC_PER_SEC;

  g_assert_cmpint (boto_sigv4_signer_get_clock_offset (signer), ==, 0);
  g_assert_true (boto_sigv4_signer_correct_clock_skew (signer, "Sun, 30 Aug 2015 12:36:00 GMT", local, &error));
  g_assert_no_error (error);
  g_assert_cmpint (boto_sigv4_signer_get_clock_offset (signer), ==, 3600);

  g_assert_false (boto_sigv4_signer_correct_clock_skew (signer, "not a date", local, &error));
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_cmpint (boto_sigv4_signer_get_clock_offset (signer), ==, 3600);

  /* The server says it is 2015-08-30 12:36 now: later signatures use it. */
  g_assert_true (boto_sigv4_signer_correct_clock_skew (signer, "Sun, 30 Aug 2015 12:36:00 GMT", 0, &error));
  now = boto_sigv4_signer_dup_now (signer);
  g_assert_cmpint (g_date_time_to_unix (now) - g_date_time_to_unix (server), <, 60);
  g_assert_true (boto_sigv4_signer_sign (signer, request, credentials, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (boto_http_request_get_header (request, "X-Amz-Date"), "20150830T123"));

  boto_sigv4_signer_set_clock_offset (signer, 0);
  g_assert_cmpint (boto_sigv4_signer_get_clock_offset (signer), ==, 0);
}

/* No secrets in debug output ----------------------------------------------- */

static GString *captured;

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  if (captured != NULL)
    {
      for (gsize i = 0; i < n_fields; i++)
        if (strcmp (fields[i].key, "MESSAGE") == 0)
          {
            g_string_append (captured, fields[i].value);
            g_string_append_c (captured, '\n');
          }
      return G_LOG_WRITER_HANDLED;
    }
  /* Debug output (G_MESSAGES_DEBUG) would go to stdout, into the TAP
   * stream. */
  if (log_level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO))
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static void
test_no_secret_in_debug (void)
{
  g_autoptr(BotoSigV4Signer) signer = boto_sigv4_signer_new ("s3", "us-east-1", BOTO_SIGV4_FLAGS_S3);
  g_autoptr(BotoCredentials) credentials = boto_credentials_new ("AKIDEXAMPLE", SECRET_KEY, TOKEN, NULL);
  g_autoptr(BotoHttpRequest) request = boto_http_request_new ("PUT", "https", "b.s3.amazonaws.com", -1, "/k");
  g_autoptr(BotoHttpRequest) presigned = boto_http_request_new ("GET", "https", "b.s3.amazonaws.com", -1, "/k");
  g_autoptr(GError) error = NULL;
  g_autofree char *encoded_token = boto_percent_encode (TOKEN, FALSE);
  g_autofree char *log = NULL;
  const char *authorization, *signature, *sig2;

  g_log_set_debug_enabled (TRUE);
  captured = g_string_new (NULL);
  g_assert_true (boto_sigv4_signer_sign (signer, request, credentials, NULL, NULL, &error));
  g_assert_true (boto_sigv4_signer_presign (signer, presigned, credentials, 60, NULL, NULL, &error));
  g_assert_true (boto_sigv4_signer_correct_clock_skew (signer, "Sun, 30 Aug 2015 12:36:00 GMT", 0, &error));
  g_assert_no_error (error);
  log = g_string_free (g_steal_pointer (&captured), FALSE);
  g_log_set_debug_enabled (FALSE);

  /* debug output was produced … */
  g_assert_nonnull (strstr (log, "SigV4 canonical request"));
  g_assert_nonnull (strstr (log, "<redacted>"));
  /* … without any secret */
  authorization = boto_http_request_get_header (request, "Authorization");
  signature = strstr (authorization, "Signature=") + strlen ("Signature=");
  sig2 = boto_http_request_lookup_query (presigned, "X-Amz-Signature", NULL);
  g_assert_null (strstr (log, SECRET_KEY));
  g_assert_null (strstr (log, TOKEN));
  g_assert_null (strstr (log, encoded_token));
  g_assert_null (strstr (log, signature));
  g_assert_null (strstr (log, sig2));
}

/* Throughput (perf mode only: -m perf) ------------------------------------- */

static void
test_throughput (void)
{
  g_autoptr(BotoSigV4Signer) signer = boto_sigv4_signer_new ("s3", "us-east-1", BOTO_SIGV4_FLAGS_S3);
  g_autoptr(BotoCredentials) credentials = boto_credentials_new ("AKIDEXAMPLE", SECRET_KEY, TOKEN, NULL);
  g_autoptr(BotoHttpRequest) base = boto_http_request_new ("GET", "https", "bucket.s3.us-east-1.amazonaws.com", -1, "/some/key.txt");
  g_autoptr(GDateTime) when = g_date_time_new_utc (2015, 8, 30, 12, 36, 0);
  guint n = 100000;
  gdouble elapsed;

  if (!g_test_perf ())
    {
      g_test_skip ("perf only");
      return;
    }

  boto_http_request_add_query (base, "list-type", "2");
  boto_http_request_add_query (base, "prefix", "a b");
  boto_http_request_add_header (base, "User-Agent", "boto-glib/1.0");
  boto_http_request_set_payload_hash (base, BOTO_SIGV4_EMPTY_SHA256);

  g_test_timer_start ();
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BotoHttpRequest) request = boto_http_request_copy (base);

      boto_sigv4_signer_sign (signer, request, credentials, when, NULL, NULL);
    }
  elapsed = g_test_timer_elapsed ();
  g_test_minimized_result (elapsed / n * 1e6, "header signing: %.2f us per request (%.0f/s)",
                           elapsed / n * 1e6, n / elapsed);
  g_printerr ("sigv4 throughput: %.0f signatures/s (%.2f us each, key cached)\n", n / elapsed, elapsed / n * 1e6);
}

/* SigV4a: the header form carries the region set and a scope without a
 * region, the signature verifies with the derived key and with nothing
 * else, and every signature is new (ECDSA's nonce). */
static void
test_sigv4a (void)
{
  g_autoptr(BotoSigV4Signer) signer = boto_sigv4_signer_new ("s3", "us-east-1,us-west-2",
                                                             BOTO_SIGV4_FLAGS_S3 | BOTO_SIGV4_FLAGS_ASYMMETRIC);
  g_autoptr(BotoCredentials) credentials = boto_credentials_new (PRESIGN_ACCESS_KEY, PRESIGN_SECRET_KEY, NULL, NULL);
  g_autoptr(BotoSigV4aKey) key = NULL;
  g_autoptr(GDateTime) when = presign_time ();
  g_autoptr(GError) error = NULL;
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;
  g_autofree char *first = NULL;
  g_autofree char *altered = NULL;
  const char *authorization;
  BotoSigV4Debug debug = { 0 };

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(BotoHttpRequest) request =
        request_from_url ("GET", "https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/key");

      g_assert_true (boto_sigv4_signer_sign (signer, request, credentials, when, &debug, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (boto_http_request_get_header (request, "X-Amz-Region-Set"), ==, "us-east-1,us-west-2");
      authorization = boto_http_request_get_header (request, "Authorization");
      g_assert_true (g_str_has_prefix (authorization, "AWS4-ECDSA-P256-SHA256 Credential=" PRESIGN_ACCESS_KEY
                                       "/20140101/s3/aws4_request, SignedHeaders="));
      g_assert_nonnull (strstr (authorization, "x-amz-region-set"));
      g_assert_true (g_str_has_prefix (debug.string_to_sign, "AWS4-ECDSA-P256-SHA256\n"));
      g_assert_true (g_str_has_suffix (authorization, debug.signature));
      if (i == 0)
        first = g_strdup (debug.signature);
      else
        g_assert_cmpstr (first, !=, debug.signature);
    }

  key = boto_sigv4a_key_new (PRESIGN_ACCESS_KEY, PRESIGN_SECRET_KEY, &error);
  g_assert_no_error (error);
  boto_sigv4a_key_get_public_hex (key, &x, &y);
  g_assert_cmpuint (strlen (x), ==, 64);
  g_assert_true (boto_sigv4a_verify (x, y, debug.string_to_sign, debug.signature));
  g_assert_true (boto_sigv4a_verify (x, y, debug.string_to_sign, first));
  /* Another text, another signature, another key, a damaged signature. */
  altered = g_strconcat (debug.string_to_sign, "x", NULL);
  g_assert_false (boto_sigv4a_verify (x, y, altered, debug.signature));
  g_assert_false (boto_sigv4a_verify (y, x, debug.string_to_sign, debug.signature));
  debug.signature[20] = debug.signature[20] == '0' ? '1' : '0';
  g_assert_false (boto_sigv4a_verify (x, y, debug.string_to_sign, debug.signature));
  g_assert_false (boto_sigv4a_verify (x, y, debug.string_to_sign, "30"));
  g_assert_false (boto_sigv4a_verify (x, y, debug.string_to_sign, "not hex"));
  boto_sigv4_debug_clear (&debug);

  /* Presigned: the region set in the query, signed. */
  {
    g_autoptr(BotoHttpRequest) request = request_from_url ("GET", "https://example.amazonaws.com/key");

    g_assert_true (boto_sigv4_signer_presign (signer, request, credentials, 60, when, &debug, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (boto_http_request_lookup_query (request, "X-Amz-Region-Set", NULL), ==, "us-east-1,us-west-2");
    g_assert_cmpstr (boto_http_request_lookup_query (request, "X-Amz-Algorithm", NULL), ==, "AWS4-ECDSA-P256-SHA256");
    g_assert_cmpstr (boto_http_request_lookup_query (request, "X-Amz-Credential", NULL), ==,
                     PRESIGN_ACCESS_KEY "/20140101/s3/aws4_request");
    g_assert_nonnull (strstr (debug.canonical_request, "X-Amz-Region-Set=us-east-1%2Cus-west-2"));
    g_assert_true (boto_sigv4a_verify (x, y, debug.string_to_sign,
                                       boto_http_request_lookup_query (request, "X-Amz-Signature", NULL)));
    boto_sigv4_debug_clear (&debug);
  }
}

int
main (int    argc,
      char **argv)
{
  /* test_no_secret_in_debug turns debug output on and captures it through
   * this writer. */
  g_log_set_writer_func (capture_writer, NULL, NULL);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/boto/http-request/url", test_request_url);
  g_test_add_func ("/boto/http-request/host", test_request_host);
  g_test_add_func ("/boto/http-request/bad-urls", test_request_bad_urls);
  g_test_add_func ("/boto/http-request/headers", test_request_headers);
  g_test_add_func ("/boto/sigv4/presign/no-params", test_presign_no_params);
  g_test_add_func ("/boto/sigv4/presign/s3", test_presign_s3);
  g_test_add_func ("/boto/sigv4/presign/json-body", test_presign_json_body);
  g_test_add_func ("/boto/sigv4/presign/behaviour", test_presign_behaviour);
  g_test_add_func ("/boto/sigv4/presign/url", test_presign_url_helper);
  g_test_add_func ("/boto/sigv4/s3/single-encoding", test_s3_single_encoding);
  g_test_add_func ("/boto/sigv4/s3/content-sha256", test_s3_content_sha256);
  g_test_add_func ("/boto/sigv4/token-and-resign", test_token_and_resign);
  g_test_add_func ("/boto/sigv4/date-header", test_date_header);
  g_test_add_func ("/boto/sigv4/no-credentials", test_no_credentials);
  g_test_add_func ("/boto/sigv4/signing-key-cache", test_signing_key_cache);
  g_test_add_func ("/boto/sigv4/clock-skew", test_clock_skew);
  g_test_add_func ("/boto/sigv4/no-secret-in-debug", test_no_secret_in_debug);
  g_test_add_func ("/boto/sigv4/throughput", test_throughput);
  g_test_add_func ("/boto/sigv4/sigv4a", test_sigv4a);

  return g_test_run ();
}
