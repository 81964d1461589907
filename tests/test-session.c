/* test-session.c: region, profile and credentials from properties and the
 * environment, with botocore's precedence
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include <boto-glib/boto-glib.h>

static const char * const aws_variables[] = {
  "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
  "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
};

static void
clear_environment (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (aws_variables); i++)
    g_unsetenv (aws_variables[i]);
}

static void
test_defaults (void)
{
  g_autoptr(BotoSession) session = NULL;
  g_autoptr(BotoCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;

  clear_environment ();
  session = boto_session_new ();

  g_assert_null (boto_session_get_region_name (session));
  g_assert_cmpstr (boto_session_get_profile_name (session), ==, "default");

  credentials = boto_session_get_credentials (session, &error);
  g_assert_null (credentials);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS);
}

static void
test_environment (void)
{
  g_autoptr(BotoSession) session = NULL;
  g_autoptr(BotoCredentials) credentials = NULL;
  g_autoptr(BotoCredentials) again = NULL;
  g_autoptr(GError) error = NULL;

  clear_environment ();
  g_setenv ("AWS_DEFAULT_REGION", "eu-west-3", TRUE);
  g_setenv ("AWS_REGION", "ap-south-1", TRUE);   /* botocore ignores it */
  g_setenv ("AWS_PROFILE", "work", TRUE);
  g_setenv ("AWS_ACCESS_KEY_ID", "AKIDENV", TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", "env-secret", TRUE);
  g_setenv ("AWS_SECURITY_TOKEN", "legacy-token", TRUE);

  session = boto_session_new ();
  g_assert_cmpstr (boto_session_get_region_name (session), ==, "eu-west-3");
  g_assert_cmpstr (boto_session_get_profile_name (session), ==, "work");

  /* AWS_PROFILE does not take the environment's credentials out of the chain. */
  credentials = boto_session_get_credentials (session, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (boto_credentials_get_access_key (credentials), ==, "AKIDENV");
  g_assert_cmpstr (boto_credentials_get_secret_key (credentials), ==, "env-secret");
  g_assert_cmpstr (boto_credentials_get_token (credentials), ==, "legacy-token");
  g_assert_cmpstr (boto_credentials_get_method (credentials), ==, "env");

  /* Resolved once. */
  g_setenv ("AWS_ACCESS_KEY_ID", "AKIDCHANGED", TRUE);
  again = boto_session_get_credentials (session, &error);
  g_assert_no_error (error);
  g_assert_true (again == credentials);

  /* botocore 1.44.8 reads AWS_SECURITY_TOKEN first, then AWS_SESSION_TOKEN. */
  {
    g_autoptr(BotoSession) other = NULL;
    g_autoptr(BotoCredentials) c = NULL;

    g_setenv ("AWS_SESSION_TOKEN", "session-token", TRUE);
    other = boto_session_new ();
    c = boto_session_get_credentials (other, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (boto_credentials_get_token (c), ==, "legacy-token");
  }

  /* AWS_DEFAULT_PROFILE comes before AWS_PROFILE, as in botocore. */
  {
    g_autoptr(BotoSession) other = NULL;

    g_setenv ("AWS_DEFAULT_PROFILE", "legacy", TRUE);
    other = boto_session_new ();
    g_assert_cmpstr (boto_session_get_profile_name (other), ==, "legacy");
  }
}

static void
test_explicit (void)
{
  g_autoptr(BotoSession) session = NULL;
  g_autoptr(BotoCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *region = NULL;

  clear_environment ();
  g_setenv ("AWS_DEFAULT_REGION", "eu-west-3", TRUE);
  g_setenv ("AWS_ACCESS_KEY_ID", "AKIDENV", TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", "env-secret", TRUE);

  session = g_object_new (BOTO_TYPE_SESSION,
                          "region-name", "us-west-2",
                          "aws-access-key-id", "AKIDEXPLICIT",
                          "aws-secret-access-key", "explicit-secret",
                          "aws-session-token", "explicit-token",
                          NULL);
  g_assert_cmpstr (boto_session_get_region_name (session), ==, "us-west-2");
  g_object_get (session, "region-name", &region, NULL);
  g_assert_cmpstr (region, ==, "us-west-2");

  credentials = boto_session_get_credentials (session, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (boto_credentials_get_access_key (credentials), ==, "AKIDEXPLICIT");
  g_assert_cmpstr (boto_credentials_get_secret_key (credentials), ==, "explicit-secret");
  g_assert_cmpstr (boto_credentials_get_token (credentials), ==, "explicit-token");
  g_assert_cmpstr (boto_credentials_get_method (credentials), ==, "explicit");
}

static void
test_explicit_profile_skips_environment (void)
{
  g_autoptr(BotoSession) session = NULL;
  g_autoptr(BotoCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;

  clear_environment ();
  g_setenv ("AWS_ACCESS_KEY_ID", "AKIDENV", TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", "env-secret", TRUE);

  /* (AWS_CONFIG_FILE is /dev/null here: "other" is in no file.) */
  session = g_object_new (BOTO_TYPE_SESSION, "profile-name", "other", NULL);
  g_assert_cmpstr (boto_session_get_profile_name (session), ==, "other");
  credentials = boto_session_get_credentials (session, &error);
  g_assert_null (credentials);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PROFILE_NOT_FOUND);
  g_clear_error (&error);
  g_clear_object (&session);

  /* "default" always exists; explicitly chosen, it still skips the environment. */
  session = g_object_new (BOTO_TYPE_SESSION, "profile-name", "default", NULL);
  credentials = boto_session_get_credentials (session, &error);
  g_assert_null (credentials);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS);
}

static void
test_partial (void)
{
  g_autoptr(GError) error = NULL;

  clear_environment ();
  g_setenv ("AWS_ACCESS_KEY_ID", "AKIDENV", TRUE);
  {
    g_autoptr(BotoSession) session = boto_session_new ();
    g_autoptr(BotoCredentials) credentials = boto_session_get_credentials (session, &error);

    g_assert_null (credentials);
    g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS);
    g_assert_nonnull (strstr (error->message, "AWS_SECRET_ACCESS_KEY"));
    g_clear_error (&error);
  }

  {
    g_autoptr(BotoSession) session = g_object_new (BOTO_TYPE_SESSION,
                                                   "aws-secret-access-key", "s3cr3t-value",
                                                   NULL);
    g_autoptr(BotoCredentials) credentials = boto_session_get_credentials (session, &error);

    g_assert_null (credentials);
    g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS);
    g_assert_nonnull (strstr (error->message, "aws_access_key_id"));
    /* No secret in error messages. */
    g_assert_null (strstr (error->message, "s3cr3t-value"));
  }
}

static void
test_credentials_boxed (void)
{
  g_autoptr(BotoCredentials) credentials = boto_credentials_new ("AK", "SK", NULL, NULL);
  GValue value = G_VALUE_INIT;

  g_assert_null (boto_credentials_get_token (credentials));
  g_assert_cmpstr (boto_credentials_get_method (credentials), ==, "explicit");

  g_value_init (&value, BOTO_TYPE_CREDENTIALS);
  g_value_set_boxed (&value, credentials);
  g_assert_true (g_value_get_boxed (&value) == credentials);
  g_value_unset (&value);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/boto/session/defaults", test_defaults);
  g_test_add_func ("/boto/session/environment", test_environment);
  g_test_add_func ("/boto/session/explicit", test_explicit);
  g_test_add_func ("/boto/session/explicit-profile", test_explicit_profile_skips_environment);
  g_test_add_func ("/boto/session/partial", test_partial);
  g_test_add_func ("/boto/session/credentials-boxed", test_credentials_boxed);

  return g_test_run ();
}
