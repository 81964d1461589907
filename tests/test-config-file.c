/* test-config-file.c: reading ~/.aws/config and ~/.aws/credentials as
 * botocore does, and sessions configured from them
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <boto-glib/boto-glib.h>

#include "boto-config-file-private.h"

static char *tmp_root;

static GVariant *
parse (const char  *text,
       GError     **error)
{
  return boto_config_file_parse_data (text, -1, "test-config", error);
}

static char *
lookup (GVariant   *sections,
        const char *section,
        const char *key)
{
  g_autoptr(GVariant) values = g_variant_lookup_value (sections, section, G_VARIANT_TYPE_VARDICT);
  char *value = NULL;

  if (values != NULL)
    g_variant_lookup (values, key, "s", &value);

  return value;
}

static void
test_basic_syntax (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) sections = parse (
    "# a comment\n"
    "; another\n"
    "[default]\n"
    "region = us-west-2\n"
    "Output: json\n"
    "  # an indented comment\n"
    "empty =\n"
    "spaced   =   value with  spaces   \n"
    "url = http://h:1/p?a=b\n"
    "\r\n"
    "[profile dev]\n"
    "region=eu-west-1\n"
    "inline = value # not a comment\n",
    &error);
  g_autofree char *region = NULL;
  g_autofree char *output = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *spaced = NULL;
  g_autofree char *url = NULL;
  g_autofree char *dev = NULL;
  g_autofree char *inline_value = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (g_variant_n_children (sections), ==, 2);

  region = lookup (sections, "default", "region");
  output = lookup (sections, "default", "output");   /* keys lower-cased */
  empty = lookup (sections, "default", "empty");
  spaced = lookup (sections, "default", "spaced");
  url = lookup (sections, "default", "url");
  dev = lookup (sections, "profile dev", "region");
  inline_value = lookup (sections, "profile dev", "inline");

  g_assert_cmpstr (region, ==, "us-west-2");
  g_assert_cmpstr (output, ==, "json");
  g_assert_cmpstr (empty, ==, "");
  g_assert_cmpstr (spaced, ==, "value with  spaces");
  g_assert_cmpstr (url, ==, "http://h:1/p?a=b");
  g_assert_cmpstr (dev, ==, "eu-west-1");
  g_assert_cmpstr (inline_value, ==, "value # not a comment");
}

static void
test_nested_and_continuation (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) sections = parse (
    "[profile a]\n"
    "s3 =\n"
    "  addressing_style = path\n"
    "\n"
    "  max_concurrent_requests=20\n"
    "region = us-east-2\n"
    "long = first\n"
    "  second\n"
    "[DEFAULT]\n"
    "output = text\n"
    "[profile b]\n"
    "output = json\n",
    &error);
  g_autoptr(GVariant) a = NULL;
  g_autoptr(GVariant) s3 = NULL;
  g_autofree char *style = NULL;
  g_autofree char *requests = NULL;
  g_autofree char *region = NULL;
  g_autofree char *long_value = NULL;
  g_autofree char *a_output = NULL;
  g_autofree char *b_output = NULL;

  g_assert_no_error (error);
  a = g_variant_lookup_value (sections, "profile a", G_VARIANT_TYPE_VARDICT);
  s3 = g_variant_lookup_value (a, "s3", G_VARIANT_TYPE ("a{ss}"));
  g_assert_nonnull (s3);
  g_assert_true (g_variant_lookup (s3, "addressing_style", "s", &style));
  g_assert_true (g_variant_lookup (s3, "max_concurrent_requests", "s", &requests));
  g_assert_cmpstr (style, ==, "path");
  g_assert_cmpstr (requests, ==, "20");

  region = lookup (sections, "profile a", "region");
  g_assert_cmpstr (region, ==, "us-east-2");
  long_value = lookup (sections, "profile a", "long");
  g_assert_cmpstr (long_value, ==, "first\nsecond");

  /* [DEFAULT] reaches every section that does not set the key itself. */
  a_output = lookup (sections, "profile a", "output");
  b_output = lookup (sections, "profile b", "output");
  g_assert_cmpstr (a_output, ==, "text");
  g_assert_cmpstr (b_output, ==, "json");
  g_assert_null (g_variant_lookup_value (sections, "DEFAULT", NULL));
}

static void
test_malformed (void)
{
  static const struct {
    const char *text;
    const char *line;
  } cases[] = {
    { "region = us-east-1\n", "line 1" },
    { "[default]\nregion = x\nthis line has no delimiter\n", "line 3" },
    { "[a]\nx = 1\n[a]\n", "line 3" },
    { "[a]\nx = 1\nX = 2\n", "line 3" },
    { "[a]\n = 1\n", "line 2" },
    { "\n\n[]\n", "line 3" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) sections = parse (cases[i].text, &error);

      g_assert_null (sections);
      g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG);
      g_assert_nonnull (strstr (error->message, "test-config"));
      g_assert_nonnull (strstr (error->message, cases[i].line));
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) sections = parse ("[a]\ns3 =\n  no equals here\n", &error);

    g_assert_null (sections);
    g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG);
  }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) sections = boto_config_file_parse_data ("[a]\nx = \xff\xfe\n", -1, "bad-utf8", &error);

    g_assert_null (sections);
    g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG);
  }
}

static void
test_profile_map (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) sections = parse (
    "[default]\nregion = one\n"
    "[profile dev]\nregion = dev\n"
    "[profile \"with space\"]\nregion = spaced\n"
    "[profile default]\nregion = two\n"
    "[services local]\ns3 =\n  endpoint_url = http://127.0.0.1:1\n"
    "[sso-session corp]\nsso_region = us-east-1\n"
    "[profile]\nregion = ignored\n"
    "[profileX]\nregion = ignored\n"
    "[plugins]\nx = y\n",
    &error);
  g_autoptr(GVariant) map = NULL;
  g_autoptr(GVariant) profiles = NULL;
  g_autoptr(GVariant) services = NULL;
  g_autoptr(GVariant) sso = NULL;
  g_autofree char *def = NULL;
  g_autofree char *spaced = NULL;

  g_assert_no_error (error);
  map = boto_config_file_build_profiles (sections, TRUE);
  profiles = g_variant_lookup_value (map, "profiles", NULL);
  services = g_variant_lookup_value (map, "services", NULL);
  sso = g_variant_lookup_value (map, "sso_sessions", NULL);

  g_assert_cmpuint (g_variant_n_children (profiles), ==, 3);
  def = lookup (profiles, "default", "region");
  g_assert_cmpstr (def, ==, "two");   /* the later section wins */
  spaced = lookup (profiles, "with space", "region");
  g_assert_cmpstr (spaced, ==, "spaced");
  g_assert_nonnull (g_variant_lookup_value (services, "local", NULL));
  g_assert_nonnull (g_variant_lookup_value (sso, "corp", NULL));

  /* In the credentials file every section is a profile, by its plain name. */
  {
    g_autoptr(GVariant) creds = parse ("[dev]\naws_access_key_id = A\n[profile x]\nk = v\n", &error);
    g_autoptr(GVariant) creds_map = NULL;
    g_autoptr(GVariant) creds_profiles = NULL;

    g_assert_no_error (error);
    creds_map = boto_config_file_build_profiles (creds, FALSE);
    creds_profiles = g_variant_lookup_value (creds_map, "profiles", NULL);
    g_assert_nonnull (g_variant_lookup_value (creds_profiles, "dev", NULL));
    g_assert_nonnull (g_variant_lookup_value (creds_profiles, "profile x", NULL));
  }
}

static void
write_file (const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (tmp_root, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
use_files (const char *config,
           const char *credentials)
{
  static const char * const variables[] = {
    "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
  };
  g_autofree char *config_path = g_build_filename (tmp_root, "config", NULL);
  g_autofree char *credentials_path = g_build_filename (tmp_root, "credentials", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (variables); i++)
    g_unsetenv (variables[i]);

  g_unlink (config_path);
  g_unlink (credentials_path);
  if (config != NULL)
    write_file ("config", config);
  if (credentials != NULL)
    write_file ("credentials", credentials);
  g_setenv ("AWS_CONFIG_FILE", config_path, TRUE);
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", credentials_path, TRUE);
}

static const char two_profiles_config[] =
  "[default]\n"
  "region = us-west-1\n"
  "aws_access_key_id = AKIDCONFIGDEFAULT\n"
  "aws_secret_access_key = config-default-secret\n"
  "[profile dev]\n"
  "region = eu-north-1\n"
  "aws_access_key_id = AKIDCONFIGDEV\n"
  "aws_secret_access_key = config-dev-secret\n"
  "aws_session_token = dev-token\n";

static const char credentials_file[] =
  "[default]\n"
  "aws_access_key_id = AKIDCREDSDEFAULT\n"
  "aws_secret_access_key = creds-default-secret\n"
  "[ops]\n"
  "aws_access_key_id = AKIDOPS\n"
  "aws_secret_access_key = ops-secret\n";

static void
test_session_profiles (void)
{
  use_files (two_profiles_config, credentials_file);

  {
    g_autoptr(BotoSession) session = boto_session_new ();
    g_autoptr(BotoCredentials) credentials = NULL;
    g_autoptr(GError) error = NULL;
    g_auto(GStrv) profiles = boto_session_get_available_profiles (session);

    g_assert_cmpstrv (profiles, ((const char * const[]) { "default", "dev", "ops", NULL }));
    g_assert_cmpstr (boto_session_get_region_name (session), ==, "us-west-1");
    /* The credentials file comes before the config file. */
    credentials = boto_session_get_credentials (session, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (boto_credentials_get_access_key (credentials), ==, "AKIDCREDSDEFAULT");
    g_assert_cmpstr (boto_credentials_get_method (credentials), ==, "shared-credentials-file");
  }

  {
    g_autoptr(BotoSession) session = g_object_new (BOTO_TYPE_SESSION, "profile-name", "dev", NULL);
    g_autoptr(BotoCredentials) credentials = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_cmpstr (boto_session_get_region_name (session), ==, "eu-north-1");
    credentials = boto_session_get_credentials (session, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (boto_credentials_get_access_key (credentials), ==, "AKIDCONFIGDEV");
    g_assert_cmpstr (boto_credentials_get_token (credentials), ==, "dev-token");
    g_assert_cmpstr (boto_credentials_get_method (credentials), ==, "config-file");
  }

  {
    /* A profile only in the credentials file; no region anywhere. */
    g_autoptr(BotoSession) session = NULL;
    g_autoptr(BotoCredentials) credentials = NULL;
    g_autoptr(GError) error = NULL;

    g_setenv ("AWS_PROFILE", "ops", TRUE);
    session = boto_session_new ();
    g_assert_null (boto_session_get_region_name (session));
    credentials = boto_session_get_credentials (session, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (boto_credentials_get_access_key (credentials), ==, "AKIDOPS");
  }

  {
    /* Environment credentials come before the files unless a profile is explicit. */
    g_autoptr(BotoSession) session = NULL;
    g_autoptr(BotoSession) explicit_profile = NULL;
    g_autoptr(BotoCredentials) credentials = NULL;
    g_autoptr(BotoCredentials) from_file = NULL;
    g_autoptr(GError) error = NULL;

    use_files (two_profiles_config, credentials_file);
    g_setenv ("AWS_ACCESS_KEY_ID", "AKIDENV", TRUE);
    g_setenv ("AWS_SECRET_ACCESS_KEY", "env-secret", TRUE);
    g_setenv ("AWS_DEFAULT_REGION", "ca-central-1", TRUE);
    session = boto_session_new ();
    credentials = boto_session_get_credentials (session, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (boto_credentials_get_access_key (credentials), ==, "AKIDENV");
    g_assert_cmpstr (boto_session_get_region_name (session), ==, "ca-central-1");

    explicit_profile = g_object_new (BOTO_TYPE_SESSION, "profile-name", "default", NULL);
    from_file = boto_session_get_credentials (explicit_profile, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (boto_credentials_get_access_key (from_file), ==, "AKIDCREDSDEFAULT");
  }
}

static void
test_session_scoped_config (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) scoped = NULL;
  g_autoptr(GVariant) s3 = NULL;
  g_autoptr(BotoSession) session = NULL;
  g_autofree char *key = NULL;

  use_files ("[profile dev]\nregion = eu-north-1\ns3 =\n  addressing_style = path\n",
             "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = s\n");
  session = g_object_new (BOTO_TYPE_SESSION, "profile-name", "dev", NULL);
  scoped = boto_session_get_scoped_config (session, &error);
  g_assert_no_error (error);
  s3 = g_variant_lookup_value (scoped, "s3", G_VARIANT_TYPE ("a{ss}"));
  g_assert_nonnull (s3);
  /* The credentials file's keys are laid over the config file's profile. */
  g_assert_true (g_variant_lookup (scoped, "aws_access_key_id", "s", &key));
  g_assert_cmpstr (key, ==, "AKIDDEV");
}

static void
test_session_errors (void)
{
  {
    g_autoptr(BotoSession) session = NULL;
    g_autoptr(BotoCredentials) credentials = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) scoped = NULL;

    use_files (two_profiles_config, NULL);
    session = g_object_new (BOTO_TYPE_SESSION, "profile-name", "nope", NULL);
    credentials = boto_session_get_credentials (session, &error);
    g_assert_null (credentials);
    g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PROFILE_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, "nope"));
    g_clear_error (&error);
    scoped = boto_session_get_scoped_config (session, &error);
    g_assert_null (scoped);
    g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PROFILE_NOT_FOUND);
  }

  {
    /* Missing files are empty: the default profile simply has nothing. */
    g_autoptr(BotoSession) session = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) scoped = NULL;

    use_files (NULL, NULL);
    session = boto_session_new ();
    scoped = boto_session_get_scoped_config (session, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_variant_n_children (scoped), ==, 0);
    g_assert_null (boto_session_get_region_name (session));
  }

  {
    /* A malformed file is an error naming the file and the line. */
    g_autoptr(BotoSession) session = NULL;
    g_autoptr(BotoCredentials) credentials = NULL;
    g_autoptr(GError) error = NULL;

    use_files ("[default]\nregion = us-east-1\nbroken line\n", NULL);
    session = boto_session_new ();
    g_assert_null (boto_session_get_region_name (session));
    credentials = boto_session_get_credentials (session, &error);
    g_assert_null (credentials);
    g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG);
    g_assert_nonnull (strstr (error->message, "config"));
    g_assert_nonnull (strstr (error->message, "line 3"));
  }

  {
    /* An unreadable file (a directory here) is an error too. */
    g_autoptr(BotoSession) session = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) scoped = NULL;

    use_files (NULL, NULL);
    g_setenv ("AWS_CONFIG_FILE", tmp_root, TRUE);
    session = boto_session_new ();
    scoped = boto_session_get_scoped_config (session, &error);
    g_assert_null (scoped);
    g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG);
  }

  {
    /* Partial keys in a file, and no secret in the message. */
    g_autoptr(BotoSession) session = NULL;
    g_autoptr(BotoCredentials) credentials = NULL;
    g_autoptr(GError) error = NULL;

    use_files (NULL, "[default]\naws_access_key_id = AKIDPARTIAL\n");
    session = boto_session_new ();
    credentials = boto_session_get_credentials (session, &error);
    g_assert_null (credentials);
    g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS);
    g_assert_nonnull (strstr (error->message, "aws_secret_access_key"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  tmp_root = g_dir_make_tmp ("boto-test-config-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/boto/config-file/basic-syntax", test_basic_syntax);
  g_test_add_func ("/boto/config-file/nested-and-continuation", test_nested_and_continuation);
  g_test_add_func ("/boto/config-file/malformed", test_malformed);
  g_test_add_func ("/boto/config-file/profile-map", test_profile_map);
  g_test_add_func ("/boto/config-file/session/profiles", test_session_profiles);
  g_test_add_func ("/boto/config-file/session/scoped-config", test_session_scoped_config);
  g_test_add_func ("/boto/config-file/session/errors", test_session_errors);

  ret = g_test_run ();

  {
    g_autofree char *config = g_build_filename (tmp_root, "config", NULL);
    g_autofree char *credentials = g_build_filename (tmp_root, "credentials", NULL);

    g_unlink (config);
    g_unlink (credentials);
    g_rmdir (tmp_root);
    g_free (tmp_root);
  }
  return ret;
}
