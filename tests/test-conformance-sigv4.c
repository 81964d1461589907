/* test-conformance-sigv4.c: the AWS SigV4 test suite (botocore's copy under
 * sigv4/) and aws-c-auth's aws-signing-test-suite, SigV4 (v4/) and SigV4a
 * (v4a/, ECDSA P-256), header and query-string (presign) forms.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include <boto-glib/boto-glib.h>

#include "boto-sigv4-private.h"
#include "boto-sigv4a-private.h"

#define ACCESS_KEY "AKIDEXAMPLE"
#define SECRET_KEY "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

static GHashTable *skips;   /* case name → reason */

static void
load_skips (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "sigv4-skips.txt", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  skips = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!g_file_get_contents (path, &text, NULL, NULL))
    g_error ("Cannot read the skip file %s (is G_TEST_SRCDIR set?)", path);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      char *tab;

      if (*line == '\0' || *line == '#')
        continue;
      tab = strpbrk (line, " \t");
      if (tab == NULL)
        g_error ("sigv4-skips.txt: a skipped case needs a reason: %s", line);
      *tab = '\0';
      g_hash_table_insert (skips, g_strdup (line), g_strdup (g_strstrip (tab + 1)));
    }
}

static gboolean
is_skipped (const char *name)
{
  const char *reason = g_hash_table_lookup (skips, name);

  if (reason == NULL)
    return FALSE;
  g_printerr ("SKIP %s: %s\n", name, reason);
  return TRUE;
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, &error))
    g_error ("%s", error->message);
  /* botocore strips \r before comparing */
  {
    char *dst = text;

    for (const char *src = text; *src != '\0'; src++)
      if (*src != '\r')
        *dst++ = *src;
    *dst = '\0';
  }
  return text;
}

/* Parses a raw request as the suites write it: a request line whose target
 * may hold spaces and raw UTF-8, `Name:value` headers, obs-fold continuation
 * lines, a blank line, the body. The target is the wire form: the path is
 * kept verbatim, the query split and percent-decoded, repeated names kept. */
static BotoHttpRequest *
parse_raw_request (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  const char *line = lines[0];
  const char *sp1 = strchr (line, ' ');
  const char *sp2 = strrchr (line, ' ');
  g_autofree char *method = NULL;
  g_autofree char *target = NULL;
  g_autoptr(BotoHttpRequest) request = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  char *query;
  guint i;

  g_assert_nonnull (sp1);
  g_assert_true (sp2 > sp1);
  method = g_strndup (line, sp1 - line);
  target = g_strndup (sp1 + 1, sp2 - sp1 - 1);

  for (i = 1; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      const char *colon;

      if (lines[i][0] == ' ' || lines[i][0] == '\t')
        {
          char *prev;

          g_assert_cmpuint (values->len, >, 0);
          prev = values->pdata[values->len - 1];
          values->pdata[values->len - 1] = g_strconcat (prev, " ", lines[i], NULL);
          g_free (prev);
          continue;
        }
      colon = strchr (lines[i], ':');
      g_assert_nonnull (colon);
      g_ptr_array_add (names, g_strndup (lines[i], colon - lines[i]));
      g_ptr_array_add (values, g_strdup (colon + 1));
    }

  request = boto_http_request_new (method, "https", "example.amazonaws.com", -1, "/");
  for (guint h = 0; h < names->len; h++)
    {
      boto_http_request_add_header (request, names->pdata[h], values->pdata[h]);
      if (g_ascii_strcasecmp (names->pdata[h], "Host") == 0)
        boto_http_request_set_endpoint (request, "https", values->pdata[h], -1);
    }

  query = strchr (target, '?');
  if (query != NULL)
    *query++ = '\0';
  boto_http_request_set_encoded_path (request, target);
  if (query != NULL && *query != '\0')
    {
      g_auto(GStrv) pairs = g_strsplit (query, "&", -1);

      for (guint q = 0; pairs[q] != NULL; q++)
        {
          char *eq = strchr (pairs[q], '=');
          g_autofree char *name = NULL;
          g_autofree char *value = NULL;

          if (eq != NULL)
            *eq = '\0';
          name = g_uri_unescape_string (pairs[q], NULL);
          value = eq != NULL ? g_uri_unescape_string (eq + 1, NULL) : NULL;
          g_assert_nonnull (name);
          boto_http_request_add_query (request, name, value);
        }
    }

  if (lines[i] != NULL && lines[i + 1] != NULL)
    {
      g_autofree char *body = g_strjoinv ("\n", lines + i + 1);

      if (*body != '\0')
        {
          g_autoptr(GBytes) bytes = NULL;
          gsize len = strlen (body);

          bytes = g_bytes_new_take (g_steal_pointer (&body), len);
          boto_http_request_set_body (request, bytes);
        }
    }

  return g_steal_pointer (&request);
}

static GDateTime *
suite_time (void)
{
  return g_date_time_new_utc (2015, 8, 30, 12, 36, 0);
}

static gboolean
check_equal (const char *name,
             const char *what,
             const char *expected,
             const char *actual)
{
  if (g_strcmp0 (expected, actual) == 0)
    return TRUE;
  g_printerr ("FAIL %s: %s differs\n--- expected\n%s\n--- actual\n%s\n---\n",
              name, what, expected, actual);
  return FALSE;
}

/* sigv4/ ------------------------------------------------------------------- */

static void
collect_cases (const char *dir,
               const char *prefix,
               GPtrArray  *out)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *entry;

  g_assert_nonnull (d);
  while ((entry = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, entry, NULL);
      g_autofree char *req = NULL;
      g_autofree char *req_name = g_strconcat (entry, ".req", NULL);
      g_autofree char *rel = *prefix ? g_strconcat (prefix, "/", entry, NULL) : g_strdup (entry);

      if (!g_file_test (path, G_FILE_TEST_IS_DIR))
        continue;
      req = g_build_filename (path, req_name, NULL);
      if (g_file_test (req, G_FILE_TEST_EXISTS))
        g_ptr_array_add (out, g_steal_pointer (&rel));
      else
        collect_cases (path, rel, out);
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static char *
readme_token (const char *suite)
{
  g_autofree char *path = g_build_filename (suite, "post-sts-token", "readme.txt", NULL);
  g_autofree char *text = read_text (path);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = g_strv_length (lines);

  while (n > 0 && *g_strstrip (lines[n - 1]) == '\0')
    n--;
  g_assert_cmpuint (n, >, 0);
  return g_strdup (lines[n - 1]);
}

static gboolean
run_sigv4_case (const char *suite,
                const char *name)
{
  g_autofree char *base = g_path_get_basename (name);
  g_autofree char *stem = g_build_filename (suite, name, base, NULL);
  g_autofree char *req_path = g_strconcat (stem, ".req", NULL);
  g_autofree char *creq_path = g_strconcat (stem, ".creq", NULL);
  g_autofree char *sts_path = g_strconcat (stem, ".sts", NULL);
  g_autofree char *authz_path = g_strconcat (stem, ".authz", NULL);
  g_autofree char *req = read_text (req_path);
  g_autofree char *creq = read_text (creq_path);
  g_autofree char *sts = read_text (sts_path);
  g_autofree char *authz = read_text (authz_path);
  g_autoptr(BotoHttpRequest) request = parse_raw_request (req);
  g_autoptr(BotoSigV4Signer) signer = NULL;
  g_autoptr(BotoCredentials) credentials = NULL;
  g_autoptr(GDateTime) when = suite_time ();
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  BotoSigV4Flags flags = BOTO_SIGV4_FLAGS_NONE;
  BotoSigV4Debug debug = { 0 };
  const char *token_line = strstr (creq, "x-amz-security-token:");
  gboolean ok = TRUE;

  if (token_line != NULL)
    {
      const char *start = token_line + strlen ("x-amz-security-token:");
      token = g_strndup (start, strcspn (start, "\n"));
    }
  else if (g_str_has_suffix (name, "post-sts-header-after"))
    {
      /* The token is added after signing (post-sts-token/readme.txt). */
      token = readme_token (suite);
      flags |= BOTO_SIGV4_FLAGS_TOKEN_AFTER_SIGNING;
    }

  credentials = boto_credentials_new (ACCESS_KEY, SECRET_KEY, token, NULL);
  signer = boto_sigv4_signer_new ("service", "us-east-1", flags);
  if (!boto_sigv4_signer_sign (signer, request, credentials, when, &debug, &error))
    {
      g_printerr ("FAIL %s: %s\n", name, error->message);
      return FALSE;
    }

  ok &= check_equal (name, "canonical request", creq, debug.canonical_request);
  ok &= check_equal (name, "string to sign", sts, debug.string_to_sign);
  ok &= check_equal (name, "Authorization", authz,
                     boto_http_request_get_header (request, "Authorization"));
  if (token != NULL)
    ok &= check_equal (name, "X-Amz-Security-Token", token,
                       boto_http_request_get_header (request, "X-Amz-Security-Token"));

  boto_sigv4_debug_clear (&debug);
  return ok;
}

static void
test_sigv4_suite (void)
{
  const char *dir = g_getenv ("BOTO_CONFORMANCE_DIR");
  g_autofree char *suite = NULL;
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_free);
  guint passed = 0, failed = 0, skipped = 0;

  g_assert_nonnull (dir);
  suite = g_build_filename (dir, "sigv4", NULL);
  collect_cases (suite, "", cases);
  g_ptr_array_sort (cases, compare_strings);
  g_assert_cmpuint (cases->len, ==, 34);

  for (guint i = 0; i < cases->len; i++)
    {
      const char *name = cases->pdata[i];
      g_autofree char *skip_name = g_strconcat ("sigv4/", name, NULL);

      if (is_skipped (skip_name))
        skipped++;
      else if (run_sigv4_case (suite, name))
        passed++;
      else
        failed++;
    }

  g_printerr ("sigv4: %u passed, %u failed, %u skipped\n", passed, failed, skipped);
  g_assert_cmpuint (failed, ==, 0);
}

/* aws-signing-test-suite/v4/ ---------------------------------------------- */

static gboolean
json_bool (JsonObject *object,
           const char *member)
{
  return json_object_has_member (object, member) &&
         json_object_get_boolean_member (object, member);
}

/* SigV4a signatures are not deterministic: ours must verify against the
 * public key of the vector (which also checks the key derivation), and the
 * vector's own signature must verify against our string to sign. */
static gboolean
check_v4a_signature (const char *label,
                     const char *dir,
                     const char *expected_signature,
                     const char *string_to_sign,
                     const char *signature,
                     BotoCredentials *credentials)
{
  g_autofree char *key_path = g_build_filename (dir, "public-key.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(BotoSigV4aKey) key = NULL;
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *public_key;
  const char *want_x, *want_y;
  gboolean ok = TRUE;

  if (!json_parser_load_from_file (parser, key_path, &error))
    g_error ("%s: %s", key_path, error->message);
  public_key = json_node_get_object (json_parser_get_root (parser));
  want_x = json_object_get_string_member (public_key, "X");
  want_y = json_object_get_string_member (public_key, "Y");

  key = boto_sigv4a_key_new (boto_credentials_get_access_key (credentials),
                             boto_credentials_get_secret_key (credentials), &error);
  g_assert_no_error (error);
  boto_sigv4a_key_get_public_hex (key, &x, &y);
  ok &= check_equal (label, "derived public key X", want_x, x);
  ok &= check_equal (label, "derived public key Y", want_y, y);
  if (!boto_sigv4a_verify (want_x, want_y, string_to_sign, signature))
    {
      g_printerr ("FAIL %s: our signature does not verify\n", label);
      ok = FALSE;
    }
  if (!boto_sigv4a_verify (want_x, want_y, string_to_sign, expected_signature))
    {
      g_printerr ("FAIL %s: the vector's signature does not verify against our string to sign\n", label);
      ok = FALSE;
    }
  return ok;
}

static gboolean
run_aws_c_auth_form (const char *dir,
                     const char *name,
                     JsonObject *context,
                     gboolean    query,
                     gboolean    v4a)
{
  const char *form = query ? "query" : "header";
  g_autofree char *label = g_strdup_printf ("%s (%s)", name, form);
  g_autofree char *req_path = g_build_filename (dir, "request.txt", NULL);
  g_autofree char *creq_file = g_strdup_printf ("%s-canonical-request.txt", form);
  g_autofree char *sts_file = g_strdup_printf ("%s-string-to-sign.txt", form);
  g_autofree char *sig_file = g_strdup_printf ("%s-signature.txt", form);
  g_autofree char *creq_path = g_build_filename (dir, creq_file, NULL);
  g_autofree char *sts_path = g_build_filename (dir, sts_file, NULL);
  g_autofree char *sig_path = g_build_filename (dir, sig_file, NULL);
  g_autofree char *req = read_text (req_path);
  g_autofree char *creq = read_text (creq_path);
  g_autofree char *sts = read_text (sts_path);
  g_autofree char *sig = read_text (sig_path);
  g_autoptr(BotoHttpRequest) request = parse_raw_request (req);
  g_autoptr(BotoSigV4Signer) signer = NULL;
  g_autoptr(BotoCredentials) credentials = NULL;
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *creds = json_object_get_object_member (context, "credentials");
  const char *token = json_object_has_member (creds, "token")
                      ? json_object_get_string_member (creds, "token") : NULL;
  gboolean sign_body = json_bool (context, "sign_body");
  BotoSigV4Flags flags = BOTO_SIGV4_FLAGS_PRESIGN_KEEP_BODY;
  BotoSigV4Debug debug = { 0 };
  gboolean ok = TRUE, signed_ok;

  when = g_date_time_new_from_iso8601 (json_object_get_string_member (context, "timestamp"), NULL);
  g_assert_nonnull (when);

  if (!json_bool (context, "normalize"))
    flags |= BOTO_SIGV4_FLAGS_NO_NORMALIZE_PATH;
  if (json_bool (context, "omit_session_token"))
    flags |= BOTO_SIGV4_FLAGS_TOKEN_AFTER_SIGNING;
  if (sign_body && !query)
    flags |= BOTO_SIGV4_FLAGS_CONTENT_SHA256;
  if (v4a)
    flags |= BOTO_SIGV4_FLAGS_ASYMMETRIC;
  if (!sign_body)
    boto_http_request_set_payload_hash (request, BOTO_SIGV4_EMPTY_SHA256);

  credentials = boto_credentials_new (json_object_get_string_member (creds, "access_key_id"),
                                      json_object_get_string_member (creds, "secret_access_key"),
                                      token, NULL);
  signer = boto_sigv4_signer_new (json_object_get_string_member (context, "service"),
                                  json_object_get_string_member (context, "region"),
                                  flags);

  if (query)
    signed_ok = boto_sigv4_signer_presign (signer, request, credentials,
                                           json_object_get_int_member (context, "expiration_in_seconds"),
                                           when, &debug, &error);
  else
    signed_ok = boto_sigv4_signer_sign (signer, request, credentials, when, &debug, &error);
  if (!signed_ok)
    {
      g_printerr ("FAIL %s: %s\n", label, error->message);
      return FALSE;
    }

  ok &= check_equal (label, "canonical request", creq, debug.canonical_request);
  ok &= check_equal (label, "string to sign", sts, debug.string_to_sign);
  if (v4a)
    {
      ok &= check_v4a_signature (label, dir, sig, debug.string_to_sign, debug.signature, credentials);
      g_free (sig);
      sig = g_strdup (debug.signature);
    }
  else
    ok &= check_equal (label, "signature", sig, debug.signature);
  if (query)
    ok &= check_equal (label, "X-Amz-Signature", sig,
                       boto_http_request_lookup_query (request, "X-Amz-Signature", NULL));
  if (token != NULL)
    ok &= check_equal (label, "token", token,
                       query ? boto_http_request_lookup_query (request, "X-Amz-Security-Token", NULL)
                             : boto_http_request_get_header (request, "X-Amz-Security-Token"));

  boto_sigv4_debug_clear (&debug);
  return ok;
}

static gboolean
run_v4a_self_check (const char *dir,
                    JsonObject *context,
                    gboolean    query)
{
  g_autofree char *req_path = g_build_filename (dir, "request.txt", NULL);
  g_autofree char *req = read_text (req_path);
  g_autoptr(BotoHttpRequest) request = parse_raw_request (req);
  JsonObject *creds = json_object_get_object_member (context, "credentials");
  g_autoptr(BotoCredentials) credentials =
    boto_credentials_new (json_object_get_string_member (creds, "access_key_id"),
                          json_object_get_string_member (creds, "secret_access_key"), NULL, NULL);
  g_autoptr(BotoSigV4Signer) signer =
    boto_sigv4_signer_new (json_object_get_string_member (context, "service"),
                           json_object_get_string_member (context, "region"),
                           BOTO_SIGV4_FLAGS_ASYMMETRIC | BOTO_SIGV4_FLAGS_PRESIGN_KEEP_BODY);
  g_autoptr(GDateTime) when =
    g_date_time_new_from_iso8601 (json_object_get_string_member (context, "timestamp"), NULL);
  g_autoptr(BotoSigV4aKey) key = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;
  BotoSigV4Debug debug = { 0 };
  gboolean ok;

  boto_http_request_set_payload_hash (request, BOTO_SIGV4_EMPTY_SHA256);
  ok = query ? boto_sigv4_signer_presign (signer, request, credentials, 3600, when, &debug, &error)
             : boto_sigv4_signer_sign (signer, request, credentials, when, &debug, &error);
  g_assert_no_error (error);
  key = boto_sigv4a_key_new (boto_credentials_get_access_key (credentials),
                             boto_credentials_get_secret_key (credentials), &error);
  g_assert_no_error (error);
  boto_sigv4a_key_get_public_hex (key, &x, &y);
  ok = ok && g_str_has_prefix (debug.string_to_sign, BOTO_SIGV4A_ALGORITHM "\n") &&
       boto_sigv4a_verify (x, y, debug.string_to_sign, debug.signature);
  boto_sigv4_debug_clear (&debug);
  return ok;
}

/* Every case of aws-signing-test-suite/@version (v4 or v4a), header and
 * query forms. In v4a, two cases (get-vanilla-query-order-key and -value)
 * hold no expected output: they are signed, and the signature must verify
 * against the key derived from their credentials. */
static void
run_aws_signing_test_suite (const char *version,
                            guint       n_cases)
{
  const char *dir = g_getenv ("BOTO_CONFORMANCE_DIR");
  gboolean v4a = strcmp (version, "v4a") == 0;
  g_autofree char *suite = NULL;
  g_autoptr(GDir) d = NULL;
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_free);
  const char *entry;
  guint passed = 0, failed = 0, skipped = 0, self_checked = 0;

  g_assert_nonnull (dir);
  suite = g_build_filename (dir, "aws-signing-test-suite", version, NULL);
  d = g_dir_open (suite, 0, NULL);
  g_assert_nonnull (d);
  while ((entry = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (cases, g_strdup (entry));
  g_ptr_array_sort (cases, compare_strings);
  g_assert_cmpuint (cases->len, ==, n_cases);

  for (guint i = 0; i < cases->len; i++)
    {
      const char *name = cases->pdata[i];
      g_autofree char *case_dir = g_build_filename (suite, name, NULL);
      g_autofree char *context_path = g_build_filename (case_dir, "context.json", NULL);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *context;

      if (!json_parser_load_from_file (parser, context_path, &error))
        g_error ("%s: %s", context_path, error->message);
      context = json_node_get_object (json_parser_get_root (parser));

      for (int query = 0; query < 2; query++)
        {
          const char *form = query ? "query" : "header";
          g_autofree char *skip_name = g_strdup_printf ("aws-signing-test-suite/%s/%s/%s", version, name, form);
          g_autofree char *creq_name = g_strdup_printf ("%s-canonical-request.txt", form);
          g_autofree char *creq_path = g_build_filename (case_dir, creq_name, NULL);
          gboolean ok;

          if (is_skipped (skip_name))
            {
              skipped++;
              continue;
            }
          if (v4a && !g_file_test (creq_path, G_FILE_TEST_EXISTS))
            {
              ok = run_v4a_self_check (case_dir, context, query);
              self_checked += ok;
            }
          else
            ok = run_aws_c_auth_form (case_dir, name, context, query, v4a);
          if (ok)
            passed++;
          else
            failed++;
        }
    }

  if (v4a)
    g_printerr ("aws-signing-test-suite v4a: %u passed (%u with no expected output, self-verified), "
                "%u failed, %u skipped\n", passed, self_checked, failed, skipped);
  else
    g_printerr ("aws-signing-test-suite v4: %u passed, %u failed, %u skipped\n", passed, failed, skipped);
  g_assert_cmpuint (failed, ==, 0);
}

static void
test_aws_signing_test_suite_v4 (void)
{
  run_aws_signing_test_suite ("v4", 38);
}

static void
test_aws_signing_test_suite_v4a (void)
{
  run_aws_signing_test_suite ("v4a", 40);
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  load_skips ();

  g_test_add_func ("/boto/conformance/sigv4/suite", test_sigv4_suite);
  g_test_add_func ("/boto/conformance/sigv4/aws-signing-test-suite-v4", test_aws_signing_test_suite_v4);
  g_test_add_func ("/boto/conformance/sigv4/aws-signing-test-suite-v4a", test_aws_signing_test_suite_v4a);

  ret = g_test_run ();
  g_hash_table_unref (skips);
  return ret;
}
