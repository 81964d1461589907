/* test-endpoints.c: the endpoint rule-set engine
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include <boto-glib/boto-glib.h>

#include "boto-endpoint-resolver-private.h"
#include "boto-model-private.h"
#include "boto-model-loader-private.h"

static GVariant *
compile (const char *json)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(GError) error = NULL;
  GVariant *value = boto_model_compile_json (bytes, &error);

  g_assert_no_error (error);
  return g_variant_ref_sink (value);
}

static GVariant *
partitions (void)
{
  g_autoptr(GError) error = NULL;
  GVariant *value = boto_model_loader_load_partitions (&error);

  g_assert_no_error (error);
  return value;
}

static BotoEndpointRuleSet *
rule_set (const char *json)
{
  g_autoptr(GVariant) rules = compile (json);
  g_autoptr(GVariant) parts = partitions ();
  g_autoptr(GError) error = NULL;
  BotoEndpointRuleSet *rs = boto_endpoint_rule_set_new (rules, parts, &error);

  g_assert_no_error (error);
  g_assert_nonnull (rs);
  return rs;
}

/* Evaluates one function call: the string form of its result (as a
 * template shows it), or "NONE" when it is unset or false.  @params is
 * JSON, with parameters A, B (string), F (boolean), L (string array). */
static char *
eval_fn (const char *fn_json,
         const char *params_json,
         GError    **error)
{
  g_autofree char *json = NULL;
  g_autoptr(BotoEndpointRuleSet) rs = NULL;
  g_autoptr(GVariant) params = NULL;
  g_autoptr(BotoEndpoint) endpoint = NULL;
  g_autoptr(GVariant) out = NULL;

  json = g_strdup_printf (
    "{\"version\": \"1.0\","
    " \"parameters\": {\"A\": {\"type\": \"String\"}, \"B\": {\"type\": \"String\"},"
    "                  \"F\": {\"type\": \"Boolean\"}, \"L\": {\"type\": \"stringArray\"}},"
    " \"rules\": ["
    "  {\"type\": \"endpoint\", \"conditions\": [%s],"
    "   \"endpoint\": {\"url\": \"https://ok\", \"properties\": {\"out\": \"{out}\"}}},"
    "  {\"type\": \"endpoint\", \"conditions\": [], \"endpoint\": {\"url\": \"https://none\"}}]}",
    fn_json);
  rs = rule_set (json);
  params = compile (params_json != NULL ? params_json : "{}");
  endpoint = boto_endpoint_rule_set_resolve (rs, params, error);
  if (endpoint == NULL)
    return NULL;
  if (strcmp (boto_endpoint_get_url (endpoint), "https://none") == 0)
    return g_strdup ("NONE");
  out = g_variant_lookup_value (boto_endpoint_get_properties (endpoint), "out", G_VARIANT_TYPE_STRING);
  return g_variant_dup_string (out, NULL);
}

#define assert_fn(fn, params, expected) \
  G_STMT_START { \
    g_autoptr(GError) _error = NULL; \
    g_autofree char *_result = eval_fn ("{" fn ", \"assign\": \"out\"}", params, &_error); \
    g_assert_no_error (_error); \
    g_assert_cmpstr (_result, ==, expected); \
  } G_STMT_END

#define assert_fn_error(fn, params, msg) \
  G_STMT_START { \
    g_autoptr(GError) _error = NULL; \
    g_autofree char *_result = eval_fn ("{" fn ", \"assign\": \"out\"}", params, &_error); \
    g_assert_null (_result); \
    g_assert_error (_error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_ENDPOINT_RESOLUTION); \
    g_assert_cmpstr (_error->message, ==, msg); \
  } G_STMT_END

static void
test_functions_basic (void)
{
  assert_fn ("\"fn\": \"isSet\", \"argv\": [{\"ref\": \"A\"}]", "{\"A\": \"x\"}", "True");
  assert_fn ("\"fn\": \"isSet\", \"argv\": [{\"ref\": \"A\"}]", "{}", "NONE");
  assert_fn ("\"fn\": \"not\", \"argv\": [{\"fn\": \"isSet\", \"argv\": [{\"ref\": \"A\"}]}]", "{}", "True");
  assert_fn ("\"fn\": \"not\", \"argv\": [{\"ref\": \"F\"}]", "{\"F\": true}", "NONE");
  assert_fn ("\"fn\": \"booleanEquals\", \"argv\": [{\"ref\": \"F\"}, true]", "{\"F\": true}", "True");
  assert_fn ("\"fn\": \"booleanEquals\", \"argv\": [{\"ref\": \"F\"}, true]", "{\"F\": false}", "NONE");
  assert_fn_error ("\"fn\": \"booleanEquals\", \"argv\": [{\"ref\": \"F\"}, true]", "{}",
                   "Both arguments must be bools, not <class 'NoneType'> and <class 'bool'>.");
  assert_fn ("\"fn\": \"stringEquals\", \"argv\": [{\"ref\": \"A\"}, \"abc\"]", "{\"A\": \"abc\"}", "True");
  assert_fn ("\"fn\": \"stringEquals\", \"argv\": [\"{A}-x\", \"abc-x\"]", "{\"A\": \"abc\"}", "True");
  assert_fn ("\"fn\": \"stringEquals\", \"argv\": [{\"ref\": \"A\"}, \"abc\"]", "{\"A\": \"abd\"}", "NONE");
  assert_fn_error ("\"fn\": \"stringEquals\", \"argv\": [{\"ref\": \"A\"}, \"abc\"]", "{}",
                   "Both values must be strings, not <class 'NoneType'> and <class 'str'>.");
}

static void
test_functions_strings (void)
{
  /* substring */
  assert_fn ("\"fn\": \"substring\", \"argv\": [{\"ref\": \"A\"}, 0, 4, false]", "{\"A\": \"abcdefg\"}", "abcd");
  assert_fn ("\"fn\": \"substring\", \"argv\": [{\"ref\": \"A\"}, 0, 4, true]", "{\"A\": \"abcdefg\"}", "defg");
  assert_fn ("\"fn\": \"substring\", \"argv\": [{\"ref\": \"A\"}, 1, 3, true]", "{\"A\": \"abcdefg\"}", "ef");
  assert_fn ("\"fn\": \"substring\", \"argv\": [{\"ref\": \"A\"}, 0, 8, false]", "{\"A\": \"abcdefg\"}", "NONE");
  assert_fn ("\"fn\": \"substring\", \"argv\": [{\"ref\": \"A\"}, 3, 3, false]", "{\"A\": \"abcdefg\"}", "NONE");
  assert_fn ("\"fn\": \"substring\", \"argv\": [{\"ref\": \"A\"}, 0, 2, false]", "{\"A\": \"\xc3\xa9t\xc3\xa9\"}", "NONE");
  assert_fn_error ("\"fn\": \"substring\", \"argv\": [{\"ref\": \"A\"}, 0, 2, false]", "{}",
                   "Input must be a string, not <class 'NoneType'>.");

  /* uriEncode: everything but unreserved, upper-case hex */
  assert_fn ("\"fn\": \"uriEncode\", \"argv\": [{\"ref\": \"A\"}]",
             "{\"A\": \"a b/c:d~e_f.g-h%\xc3\xa9\"}", "a%20b%2Fc%3Ad~e_f.g-h%25%C3%A9");
  assert_fn ("\"fn\": \"uriEncode\", \"argv\": [{\"ref\": \"A\"}]", "{}", "NONE");

  /* isValidHostLabel */
  assert_fn ("\"fn\": \"isValidHostLabel\", \"argv\": [{\"ref\": \"A\"}, false]", "{\"A\": \"us-east-1\"}", "True");
  assert_fn ("\"fn\": \"isValidHostLabel\", \"argv\": [{\"ref\": \"A\"}, false]", "{\"A\": \"a.b\"}", "NONE");
  assert_fn ("\"fn\": \"isValidHostLabel\", \"argv\": [{\"ref\": \"A\"}, true]", "{\"A\": \"a.b\"}", "True");
  assert_fn ("\"fn\": \"isValidHostLabel\", \"argv\": [{\"ref\": \"A\"}, true]", "{\"A\": \"a..b\"}", "NONE");
  assert_fn ("\"fn\": \"isValidHostLabel\", \"argv\": [{\"ref\": \"A\"}, false]", "{\"A\": \"-ab\"}", "NONE");
  assert_fn ("\"fn\": \"isValidHostLabel\", \"argv\": [{\"ref\": \"A\"}, false]", "{\"A\": \"ab_c\"}", "NONE");
  assert_fn ("\"fn\": \"isValidHostLabel\", \"argv\": [{\"ref\": \"A\"}, false]",
             "{\"A\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}", "NONE");

  /* aws.isVirtualHostableS3Bucket */
  assert_fn ("\"fn\": \"aws.isVirtualHostableS3Bucket\", \"argv\": [{\"ref\": \"A\"}, false]", "{\"A\": \"my-bucket\"}", "True");
  assert_fn ("\"fn\": \"aws.isVirtualHostableS3Bucket\", \"argv\": [{\"ref\": \"A\"}, false]", "{\"A\": \"My-bucket\"}", "NONE");
  assert_fn ("\"fn\": \"aws.isVirtualHostableS3Bucket\", \"argv\": [{\"ref\": \"A\"}, false]", "{\"A\": \"ab\"}", "NONE");
  assert_fn ("\"fn\": \"aws.isVirtualHostableS3Bucket\", \"argv\": [{\"ref\": \"A\"}, true]", "{\"A\": \"192.168.1.1\"}", "NONE");
  assert_fn ("\"fn\": \"aws.isVirtualHostableS3Bucket\", \"argv\": [{\"ref\": \"A\"}, true]", "{\"A\": \"a.b.c\"}", "True");
  assert_fn ("\"fn\": \"aws.isVirtualHostableS3Bucket\", \"argv\": [{\"ref\": \"A\"}, false]", "{\"A\": \"a.b.c\"}", "NONE");

  /* split, coalesce, ite */
  assert_fn ("\"fn\": \"split\", \"argv\": [{\"ref\": \"A\"}, \"--\", 0]", "{\"A\": \"a--b--c\"}", "['a', 'b', 'c']");
  assert_fn ("\"fn\": \"split\", \"argv\": [{\"ref\": \"A\"}, \"--\", 2]", "{\"A\": \"a--b--c\"}", "['a', 'b--c']");
  assert_fn ("\"fn\": \"split\", \"argv\": [{\"ref\": \"A\"}, \"--\", 1]", "{\"A\": \"a--b--c\"}", "['a--b--c']");
  assert_fn ("\"fn\": \"coalesce\", \"argv\": [{\"ref\": \"A\"}, {\"ref\": \"B\"}, \"z\"]", "{\"B\": \"b\"}", "b");
  assert_fn ("\"fn\": \"coalesce\", \"argv\": [{\"ref\": \"A\"}, {\"ref\": \"B\"}, \"z\"]", "{}", "z");
  assert_fn ("\"fn\": \"ite\", \"argv\": [{\"ref\": \"F\"}, \"yes\", \"no\"]", "{\"F\": true}", "yes");
  assert_fn ("\"fn\": \"ite\", \"argv\": [{\"ref\": \"F\"}, \"yes\", \"no\"]", "{\"F\": false}", "no");
}

static void
test_functions_structures (void)
{
  /* parseURL and getAttr on it */
  assert_fn ("\"fn\": \"getAttr\", \"argv\": [{\"fn\": \"parseURL\", \"argv\": [{\"ref\": \"A\"}]}, \"authority\"]",
             "{\"A\": \"https://user@example.com:8443/a/./b/../c\"}", "user@example.com:8443");
  assert_fn ("\"fn\": \"getAttr\", \"argv\": [{\"fn\": \"parseURL\", \"argv\": [{\"ref\": \"A\"}]}, \"normalizedPath\"]",
             "{\"A\": \"https://example.com/a/./b/../c\"}", "/a/c/");
  assert_fn ("\"fn\": \"getAttr\", \"argv\": [{\"fn\": \"parseURL\", \"argv\": [{\"ref\": \"A\"}]}, \"normalizedPath\"]",
             "{\"A\": \"https://example.com\"}", "/");
  assert_fn ("\"fn\": \"getAttr\", \"argv\": [{\"fn\": \"parseURL\", \"argv\": [{\"ref\": \"A\"}]}, \"path\"]",
             "{\"A\": \"http://example.com/x y\"}", "/x y");
  assert_fn ("\"fn\": \"getAttr\", \"argv\": [{\"fn\": \"parseURL\", \"argv\": [{\"ref\": \"A\"}]}, \"scheme\"]",
             "{\"A\": \"HTTP://example.com\"}", "http");
  assert_fn ("\"fn\": \"getAttr\", \"argv\": [{\"fn\": \"parseURL\", \"argv\": [{\"ref\": \"A\"}]}, \"isIp\"]",
             "{\"A\": \"http://127.0.0.1:9000\"}", "True");
  assert_fn ("\"fn\": \"getAttr\", \"argv\": [{\"fn\": \"parseURL\", \"argv\": [{\"ref\": \"A\"}]}, \"isIp\"]",
             "{\"A\": \"http://[fe80::1%25en0]:9000\"}", "True");
  assert_fn ("\"fn\": \"getAttr\", \"argv\": [{\"fn\": \"parseURL\", \"argv\": [{\"ref\": \"A\"}]}, \"isIp\"]",
             "{\"A\": \"http://localhost:9000\"}", "NONE");   /* false fails the condition */
  assert_fn ("\"fn\": \"parseURL\", \"argv\": [{\"ref\": \"A\"}]", "{\"A\": \"ftp://example.com\"}", "NONE");
  assert_fn ("\"fn\": \"parseURL\", \"argv\": [{\"ref\": \"A\"}]", "{\"A\": \"https://example.com/?q=1\"}", "NONE");
  assert_fn ("\"fn\": \"parseURL\", \"argv\": [{\"ref\": \"A\"}]", "{\"A\": \"https://example.com:99999\"}", "NONE");
  assert_fn ("\"fn\": \"parseURL\", \"argv\": [{\"ref\": \"A\"}]", "{\"A\": \"https://[::1\"}", "NONE");

  /* aws.parseArn and getAttr paths with an index */
  assert_fn ("\"fn\": \"getAttr\", \"argv\": [{\"fn\": \"aws.parseArn\", \"argv\": [{\"ref\": \"A\"}]}, \"resourceId[1]\"]",
             "{\"A\": \"arn:aws:s3:us-west-2:123456789012:accesspoint:my-ap/obj\"}", "my-ap");
  assert_fn ("\"fn\": \"getAttr\", \"argv\": [{\"fn\": \"aws.parseArn\", \"argv\": [{\"ref\": \"A\"}]}, \"resourceId[5]\"]",
             "{\"A\": \"arn:aws:s3:us-west-2:123456789012:accesspoint:my-ap\"}", "NONE");
  assert_fn ("\"fn\": \"getAttr\", \"argv\": [{\"fn\": \"aws.parseArn\", \"argv\": [{\"ref\": \"A\"}]}, \"accountId\"]",
             "{\"A\": \"arn:aws:s3:us-west-2:123456789012:accesspoint:my-ap\"}", "123456789012");
  assert_fn ("\"fn\": \"aws.parseArn\", \"argv\": [{\"ref\": \"A\"}]", "{\"A\": \"arn:aws:s3\"}", "NONE");
  assert_fn ("\"fn\": \"aws.parseArn\", \"argv\": [{\"ref\": \"A\"}]", "{\"A\": \"arn::s3:r:a:res\"}", "NONE");
  assert_fn ("\"fn\": \"aws.parseArn\", \"argv\": [{\"ref\": \"A\"}]", "{\"A\": \"not-an-arn\"}", "NONE");
  assert_fn ("\"fn\": \"getAttr\", \"argv\": [{\"ref\": \"L\"}, \"[1]\"]", "{\"L\": [\"x\", \"y\"]}", "y");
  assert_fn ("\"fn\": \"getAttr\", \"argv\": [{\"ref\": \"L\"}, \"[2]\"]", "{\"L\": [\"x\", \"y\"]}", "NONE");
  assert_fn ("\"fn\": \"getAttr\", \"argv\": [{\"fn\": \"aws.partition\", \"argv\": [\"us-east-1\"]}, \"name\"]", "{}", "aws");
  assert_fn ("\"fn\": \"getAttr\", \"argv\": [{\"fn\": \"aws.partition\", \"argv\": [\"us-east-1\"]}, \"nothing.deeper\"]", "{}", "NONE");
}

static void
test_partition (void)
{
  struct {
    const char *region;
    const char *expected;
  } cases[] = {
    { "us-east-1", "aws amazonaws.com api.aws True True us-east-1" },
    { "us-east-99", "aws amazonaws.com api.aws True True us-east-1" },               /* regex */
    { "cn-north-1", "aws-cn amazonaws.com.cn api.amazonwebservices.com.cn True True cn-northwest-1" },
    { "aws-cn-global", "aws-cn amazonaws.com.cn api.amazonwebservices.com.cn True True cn-northwest-1" }, /* listed */
    { "us-gov-west-1", "aws-us-gov amazonaws.com api.aws True True us-gov-west-1" },
    { "us-iso-east-1", "aws-iso c2s.ic.gov api.aws.ic.gov True True us-iso-east-1" },
    { "mars-east-1", "aws amazonaws.com api.aws True True us-east-1" },              /* default */
  };
  const char *fn = "\"fn\": \"aws.partition\", \"argv\": [{\"ref\": \"A\"}]";

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf (
        "{\"version\": \"1.0\", \"parameters\": {\"A\": {\"type\": \"String\", \"required\": true}},"
        " \"rules\": [{\"type\": \"endpoint\", \"conditions\": [{%s, \"assign\": \"p\"}],"
        "  \"endpoint\": {\"url\": \"{p#name} {p#dnsSuffix} {p#dualStackDnsSuffix} {p#supportsFIPS} "
        "{p#supportsDualStack} {p#implicitGlobalRegion}\"}}]}", fn);
      g_autoptr(BotoEndpointRuleSet) rs = rule_set (json);
      g_autofree char *params_json = g_strdup_printf ("{\"A\": \"%s\"}", cases[i].region);
      g_autoptr(GVariant) params = compile (params_json);
      g_autoptr(GError) error = NULL;
      g_autoptr(BotoEndpoint) endpoint = boto_endpoint_rule_set_resolve (rs, params, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (boto_endpoint_get_url (endpoint), ==, cases[i].expected);
    }
}

static void
test_partition_overrides (void)
{
  g_autoptr(GVariant) rules = compile (
    "{\"version\": \"1.0\", \"parameters\": {\"A\": {\"type\": \"String\"}},"
    " \"rules\": [{\"type\": \"endpoint\", \"conditions\": [{\"fn\": \"aws.partition\", \"argv\": [{\"ref\": \"A\"}], \"assign\": \"p\"}],"
    "  \"endpoint\": {\"url\": \"{p#name} {p#dnsSuffix} {p#supportsFIPS}\"}}]}");
  g_autoptr(GVariant) parts = compile (
    "{\"version\": \"1.1\", \"partitions\": ["
    " {\"id\": \"one\", \"regionRegex\": \"^one\\\\-\\\\w+$\","
    "  \"regions\": {\"special\": {\"supportsFIPS\": false}, \"plain\": {\"description\": \"x\"}},"
    "  \"outputs\": {\"name\": \"one\", \"dnsSuffix\": \"one.example\", \"supportsFIPS\": true}},"
    " {\"id\": \"two\", \"regionRegex\": \"^two\\\\-\\\\w+$\", \"regions\": {},"
    "  \"outputs\": {\"name\": \"two\", \"dnsSuffix\": \"two.example\", \"supportsFIPS\": true}}]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoEndpointRuleSet) rs = boto_endpoint_rule_set_new (rules, parts, &error);
  struct { const char *region; const char *url; } cases[] = {
    { "one-a", "one one.example True" },
    { "two-a", "two two.example True" },
    { "special", "one one.example False" },
    { "plain", "one one.example True" },
    { "elsewhere", "one one.example True" },
  };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GVariant) params = g_variant_ref_sink (g_variant_new_parsed ("{'A': <%s>}", cases[i].region));
      g_autoptr(BotoEndpoint) endpoint = boto_endpoint_rule_set_resolve (rs, params, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (boto_endpoint_get_url (endpoint), ==, cases[i].url);
    }
}

static void
test_templates (void)
{
  g_autoptr(BotoEndpointRuleSet) rs = rule_set (
    "{\"version\": \"1.0\","
    " \"parameters\": {\"Region\": {\"type\": \"String\", \"builtIn\": \"AWS::Region\", \"required\": true},"
    "                  \"Flag\": {\"type\": \"Boolean\", \"default\": true, \"required\": true}},"
    " \"rules\": [{\"type\": \"tree\", \"conditions\": [{\"fn\": \"aws.partition\", \"argv\": [{\"ref\": \"Region\"}], \"assign\": \"P\"}],"
    "  \"rules\": ["
    "   {\"type\": \"endpoint\", \"conditions\": [],"
    "    \"endpoint\": {\"url\": \"https://{{literal}}.{Region}.{P#dnsSuffix}/{Flag}\","
    "                   \"properties\": {\"authSchemes\": [{\"name\": \"sigv4\", \"signingRegion\": \"{Region}\","
    "                                                     \"disableDoubleEncoding\": true}],"
    "                                   \"n\": 3, \"plain\": {\"k\": [\"v\"]}},"
    "                   \"headers\": {\"x-a\": [\"{Region}\", \"b\"], \"x-b\": [{\"ref\": \"Region\"}]}}}]}]}");
  g_autoptr(GVariant) params = g_variant_ref_sink (g_variant_new_parsed ("{'Region': <'eu-west-1'>}"));
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoEndpoint) endpoint = boto_endpoint_rule_set_resolve (rs, params, &error);
  g_autofree char *props = NULL;
  g_autofree char *headers = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (boto_endpoint_get_url (endpoint), ==, "https://{literal}.eu-west-1.amazonaws.com/True");
  props = g_variant_print (boto_endpoint_get_properties (endpoint), FALSE);
  g_assert_cmpstr (props, ==,
                   "{'authSchemes': <[<{'name': <'sigv4'>, 'signingRegion': <'eu-west-1'>, "
                   "'disableDoubleEncoding': <true>}>]>, 'n': <int64 3>, 'plain': <{'k': <[<'v'>]>}>}");
  headers = g_variant_print (boto_endpoint_get_headers (endpoint), FALSE);
  g_assert_cmpstr (headers, ==, "{'x-a': ['eu-west-1', 'b'], 'x-b': ['eu-west-1']}");
}

static void
assert_resolve_error (BotoEndpointRuleSet *rs,
                      const char          *params_text,
                      const char          *message)
{
  g_autoptr(GVariant) params = g_variant_ref_sink (g_variant_new_parsed (params_text));
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoEndpoint) endpoint = boto_endpoint_rule_set_resolve (rs, params, &error);

  g_assert_null (endpoint);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_ENDPOINT_RESOLUTION);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_errors (void)
{
  g_autoptr(BotoEndpointRuleSet) rs = rule_set (
    "{\"version\": \"1.0\","
    " \"parameters\": {\"Region\": {\"type\": \"String\", \"required\": true},"
    "                  \"Fips\": {\"type\": \"Boolean\", \"default\": false, \"required\": true}, \"Other\": {\"type\": \"String\"}},"
    " \"rules\": ["
    "  {\"type\": \"error\", \"conditions\": [{\"fn\": \"booleanEquals\", \"argv\": [{\"ref\": \"Fips\"}, true]}],"
    "   \"error\": \"FIPS is not supported in {Region}\"},"
    "  {\"type\": \"tree\", \"conditions\": [{\"fn\": \"isSet\", \"argv\": [{\"ref\": \"Other\"}]}],"
    "   \"rules\": [{\"type\": \"endpoint\", \"conditions\": [{\"fn\": \"stringEquals\", \"argv\": [{\"ref\": \"Other\"}, \"x\"]}],"
    "                \"endpoint\": {\"url\": \"https://x\"}}]},"
    "  {\"type\": \"tree\", \"conditions\": [{\"fn\": \"stringEquals\", \"argv\": [{\"ref\": \"Region\"}, \"dup\"]},"
    "                                     {\"fn\": \"isSet\", \"argv\": [{\"ref\": \"Region\"}], \"assign\": \"Region\"}],"
    "   \"rules\": []},"
    "  {\"type\": \"tree\", \"conditions\": [{\"fn\": \"stringEquals\", \"argv\": [{\"ref\": \"Region\"}, \"unknown\"]},"
    "                                     {\"fn\": \"noSuchFunction\", \"argv\": []}],"
    "   \"rules\": []},"
    "  {\"type\": \"endpoint\", \"conditions\": [{\"fn\": \"stringEquals\", \"argv\": [{\"ref\": \"Region\"}, \"us-east-1\"]}],"
    "   \"endpoint\": {\"url\": \"https://fallthrough\"}}]}");

  assert_resolve_error (rs, "@a{sv} {}", "Cannot find value for required parameter Region");
  assert_resolve_error (rs, "{'Region': <true>}", "Value (Region) is the wrong type. Must be <class 'str'>.");
  assert_resolve_error (rs, "{'Region': <'a'>, 'Fips': <'yes'>}", "Value (Fips) is the wrong type. Must be <class 'bool'>.");
  assert_resolve_error (rs, "{'Region': <'eu-west-1'>, 'Fips': <true>}", "FIPS is not supported in eu-west-1");
  assert_resolve_error (rs, "{'Region': <'dup'>}",
                        "Assignment Region already exists in scoped variables and cannot be overwritten");
  assert_resolve_error (rs, "{'Region': <'unknown'>}", "Unknown function noSuchFunction in the endpoint rule set");
  assert_resolve_error (rs, "{'Region': <'eu-west-1'>, 'Fips': <false>}",
                        "No endpoint found for parameters:\nRegion: eu-west-1\nFips: False");

  /* a tree rule whose sub-rules all fail falls through, as in botocore */
  {
    g_autoptr(GVariant) params = g_variant_ref_sink (g_variant_new_parsed ("{'Region': <'us-east-1'>, 'Other': <'y'>}"));
    g_autoptr(GError) error = NULL;
    g_autoptr(BotoEndpoint) endpoint = boto_endpoint_rule_set_resolve (rs, params, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (boto_endpoint_get_url (endpoint), ==, "https://fallthrough");
  }
}

static void
test_malformed (void)
{
  const char *bad[] = {
    "{\"parameters\": {}, \"rules\": {}}",
    "{\"parameters\": [], \"rules\": []}",
    "{\"parameters\": {\"A\": {\"type\": \"Number\"}}, \"rules\": []}",
    "{\"parameters\": {\"A\": {}}, \"rules\": []}",
    "{\"parameters\": {}, \"rules\": [{\"type\": \"loop\", \"conditions\": []}]}",
    "{\"parameters\": {}, \"rules\": [{\"conditions\": []}]}",
    "{\"parameters\": {}, \"rules\": [{\"type\": \"endpoint\", \"conditions\": [], \"endpoint\": {}}]}",
    "{\"parameters\": {}, \"rules\": [{\"type\": \"endpoint\", \"conditions\": [{\"argv\": []}], \"endpoint\": {\"url\": \"x\"}}]}",
    "{\"parameters\": {}, \"rules\": [{\"type\": \"endpoint\", \"conditions\": [\"isSet\"], \"endpoint\": {\"url\": \"x\"}}]}",
    "{\"parameters\": {}, \"rules\": [{\"type\": \"endpoint\", \"conditions\": [{\"fn\": \"isSet\", \"argv\": 3}], \"endpoint\": {\"url\": \"x\"}}]}",
    "{\"parameters\": {}, \"rules\": [{\"type\": \"endpoint\", \"conditions\": [], \"endpoint\": {\"url\": \"{A}x{B\"}}]}",
    "{\"parameters\": {}, \"rules\": [{\"type\": \"endpoint\", \"conditions\": [], \"endpoint\": {\"url\": \"x\", \"headers\": {\"h\": \"v\"}}}]}",
    "{\"parameters\": {}, \"rules\": [{\"type\": \"endpoint\", \"conditions\": [], \"endpoint\": {\"url\": \"x\", \"properties\": [1]}}]}",
    "{\"parameters\": {}, \"rules\": [{\"type\": \"tree\", \"conditions\": []}]}",
    "{\"parameters\": {}, \"rules\": [{\"type\": \"error\", \"conditions\": []}]}",
    "{\"parameters\": {}, \"rules\": [{\"type\": \"endpoint\", \"conditions\": [], \"endpoint\": {\"url\": {\"ref\": 1}}}]}",
  };
  g_autoptr(GVariant) parts = partitions ();

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GVariant) rules = compile (bad[i]);
      g_autoptr(GError) error = NULL;
      BotoEndpointRuleSet *rs = boto_endpoint_rule_set_new (rules, parts, &error);

      if (rs != NULL)
        g_error ("rule set %u was accepted: %s", i, bad[i]);
      g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL);
    }

  /* Not objects at all */
  {
    GVariant *not_objects[] = { g_variant_new_string ("rules"), g_variant_new_parsed ("@av []") };

    for (guint i = 0; i < G_N_ELEMENTS (not_objects); i++)
      {
        g_autoptr(GError) error = NULL;

        g_assert_null (boto_endpoint_rule_set_new (not_objects[i], parts, &error));
        g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL);
      }
  }

  /* Bad partitions */
  {
    g_autoptr(GVariant) rules = compile ("{\"parameters\": {}, \"rules\": []}");
    g_autoptr(GVariant) no_parts = compile ("{\"partitions\": []}");
    g_autoptr(GError) error = NULL;

    g_assert_null (boto_endpoint_rule_set_new (rules, no_parts, &error));
    g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL);
  }

  /* Wrong arity and bad values at run time are errors, not crashes */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *result = eval_fn ("{\"fn\": \"isSet\", \"argv\": [], \"assign\": \"out\"}", "{}", &error);

    g_assert_null (result);
    g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_ENDPOINT_RESOLUTION);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *result = eval_fn ("{\"fn\": \"getAttr\", \"argv\": [{\"ref\": \"A\"}, \"x[0]\"], \"assign\": \"out\"}",
                                       "{\"A\": \"str\"}", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (result, ==, "NONE");
  }
}

static void
test_build_params (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoEndpointRuleSet) rs = boto_endpoint_rule_set_get_for_service ("s3", &error);
  g_autoptr(GVariant) builtins = g_variant_ref_sink (g_variant_new_parsed (
    "{'AWS::Region': <'us-west-2'>, 'AWS::UseFIPS': <false>, 'AWS::S3::ForcePathStyle': <true>,"
    " 'SDK::Endpoint': <'http://127.0.0.1:5000'>}"));
  g_autoptr(GVariant) context = g_variant_ref_sink (g_variant_new_parsed (
    "{'Bucket': <'bucket'>, 'Region': <'ignored-because-context-wins'>}"));
  g_autoptr(GVariant) params = NULL;
  g_autoptr(GVariant) region = NULL;
  BotoEndpointParamType type;
  const char *builtin = NULL;
  gboolean found = FALSE;

  g_assert_no_error (error);
  params = boto_endpoint_rule_set_build_params (rs, builtins, context);
  g_assert_true (g_variant_lookup (params, "ForcePathStyle", "b", &found) && found);
  region = g_variant_lookup_value (params, "Region", G_VARIANT_TYPE_STRING);
  g_assert_cmpstr (g_variant_get_string (region, NULL), ==, "ignored-because-context-wins");
  g_assert_true (g_variant_lookup (params, "Endpoint", "&s", &builtin));
  g_assert_cmpstr (builtin, ==, "http://127.0.0.1:5000");
  g_assert_false (g_variant_lookup (params, "Accelerate", "b", &found));

  g_assert_cmpuint (boto_endpoint_rule_set_get_n_parameters (rs), >, 5);
  for (guint i = 0; i < boto_endpoint_rule_set_get_n_parameters (rs); i++)
    {
      const char *name = boto_endpoint_rule_set_get_parameter (rs, i, &type, &builtin);

      if (strcmp (name, "UseFIPS") == 0)
        {
          g_assert_cmpint (type, ==, BOTO_ENDPOINT_PARAM_BOOLEAN);
          g_assert_cmpstr (builtin, ==, "AWS::UseFIPS");
        }
    }
}

/* botocore's client computes AWS::S3::ForcePathStyle = True for a custom
 * endpoint_url unless addressing_style is "virtual" (args.py); the client
 * layer must do the same.  With an IP address the rule set picks path
 * style by itself; with a host name only ForcePathStyle does. */
static void
test_s3_custom_endpoint (void)
{
  struct {
    const char *params;
    const char *url;
  } cases[] = {
    { "{'Region': <'us-east-1'>, 'Endpoint': <'http://127.0.0.1:5000'>, 'Bucket': <'bucket'>, 'ForcePathStyle': <true>}",
      "http://127.0.0.1:5000/bucket" },
    { "{'Region': <'us-east-1'>, 'Endpoint': <'http://127.0.0.1:5000'>, 'Bucket': <'bucket'>}",
      "http://127.0.0.1:5000/bucket" },
    { "{'Region': <'us-east-1'>, 'Endpoint': <'http://localhost:5000'>, 'Bucket': <'bucket'>}",
      "http://bucket.localhost:5000" },
    { "{'Region': <'us-east-1'>, 'Endpoint': <'http://localhost:5000'>, 'Bucket': <'bucket'>, 'ForcePathStyle': <true>}",
      "http://localhost:5000/bucket" },
    { "{'Region': <'us-east-1'>, 'Endpoint': <'http://127.0.0.1:5000'>}", "http://127.0.0.1:5000" },
    { "{'Region': <'eu-west-1'>, 'Bucket': <'my-bucket'>}", "https://my-bucket.s3.eu-west-1.amazonaws.com" },
    { "{'Region': <'us-west-2'>, 'UseFIPS': <true>, 'UseDualStack': <true>, 'Bucket': <'my-bucket'>}",
      "https://my-bucket.s3-fips.dualstack.us-west-2.amazonaws.com" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BotoEndpoint) endpoint = boto_endpoint_resolve ("s3", g_variant_new_parsed (cases[i].params), &error);
      g_autoptr(GVariant) schemes = NULL;
      g_autoptr(GVariant) scheme = NULL;
      g_autoptr(GVariant) inner = NULL;
      const char *signing_name = NULL;

      g_assert_no_error (error);
      g_assert_cmpstr (boto_endpoint_get_url (endpoint), ==, cases[i].url);
      schemes = g_variant_lookup_value (boto_endpoint_get_properties (endpoint), "authSchemes", G_VARIANT_TYPE ("av"));
      g_assert_nonnull (schemes);
      scheme = g_variant_get_child_value (schemes, 0);
      inner = g_variant_get_variant (scheme);
      g_assert_true (g_variant_lookup (inner, "signingName", "&s", &signing_name));
      g_assert_cmpstr (signing_name, ==, "s3");
    }
}

static void
test_public_resolve (void)
{
  struct {
    const char *service;
    const char *params;
    const char *url;
  } cases[] = {
    { "sqs", "{'Region': <'us-east-1'>}", "https://sqs.us-east-1.amazonaws.com" },
    { "sqs", "{'Region': <'cn-north-1'>, 'UseDualStack': <true>}", "https://sqs.cn-north-1.api.amazonwebservices.com.cn" },
    { "sqs", "{'Region': <'us-iso-east-1'>}", "https://sqs.us-iso-east-1.c2s.ic.gov" },
    { "dynamodb", "{'Region': <'us-west-2'>, 'UseFIPS': <true>}", "https://dynamodb-fips.us-west-2.amazonaws.com" },
    { "sts", "{'Region': <'eu-central-1'>}", "https://sts.eu-central-1.amazonaws.com" },
    { "iam", "{'Region': <'us-east-1'>}", "https://iam.amazonaws.com" },
    { "ec2", "{'Region': <'ap-southeast-2'>}", "https://ec2.ap-southeast-2.amazonaws.com" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoEndpoint) endpoint = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BotoEndpoint) e = boto_endpoint_resolve (cases[i].service, g_variant_new_parsed (cases[i].params), &error);

      g_assert_no_error (error);
      g_assert_cmpstr (boto_endpoint_get_url (e), ==, cases[i].url);
    }

  endpoint = boto_endpoint_resolve ("sqs", g_variant_new_parsed ("{'Region': <'us-east-1'>, 'Endpoint': <'https://x'>, 'UseFIPS': <true>}"), &error);
  g_assert_null (endpoint);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_ENDPOINT_RESOLUTION);
  g_assert_cmpstr (error->message, ==, "Invalid Configuration: FIPS and custom endpoint are not supported");
  g_clear_error (&error);

  endpoint = boto_endpoint_resolve ("sqs", NULL, &error);
  g_assert_null (endpoint);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_ENDPOINT_RESOLUTION);
  g_clear_error (&error);

  endpoint = boto_endpoint_resolve ("no-such-service", NULL, &error);
  g_assert_null (endpoint);
  g_assert_nonnull (error);
}

static gpointer
resolve_thread (gpointer data)
{
  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BotoEndpoint) endpoint = boto_endpoint_resolve ("s3",
        g_variant_new_parsed ("{'Region': <'us-east-1'>, 'Bucket': <'b-b-b'>}"), &error);

      g_assert_no_error (error);
      g_assert_cmpstr (boto_endpoint_get_url (endpoint), ==, "https://b-b-b.s3.us-east-1.amazonaws.com");
    }
  return NULL;
}

static BotoEndpoint *
resolve_parsed (BotoEndpointRuleSet *rs,
                const char          *params,
                GError             **error)
{
  g_autoptr(GVariant) value = g_variant_ref_sink (g_variant_new_parsed (params));

  return boto_endpoint_rule_set_resolve (rs, value, error);
}

static gpointer
resolve_fresh_thread (gpointer data)
{
  BotoEndpointRuleSet *rs = data;

  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BotoEndpoint) hosted = resolve_parsed (rs,
        "{'Region': <'eu-west-1'>, 'Bucket': <'b-b-b'>}", &error);
      g_autoptr(BotoEndpoint) custom = NULL;

      g_assert_no_error (error);
      g_assert_cmpstr (boto_endpoint_get_url (hosted), ==, "https://b-b-b.s3.eu-west-1.amazonaws.com");
      custom = resolve_parsed (rs,
        "{'Region': <'us-east-1'>, 'Bucket': <'b-b-b'>, 'Endpoint': <'http://127.0.0.1:9'>,"
        " 'ForcePathStyle': <true>}", &error);
      g_assert_no_error (error);
      g_assert_cmpstr (boto_endpoint_get_url (custom), ==, "http://127.0.0.1:9/b-b-b");
    }
  return NULL;
}

static void
test_threads (void)
{
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("resolve", resolve_thread, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
}

/* Trees compile their rules on first use: a malformed nested rule fails
 * each resolution that reaches it (and only those), an input that only a
 * nested rule names is still seen, and threads that reach the same trees
 * of a fresh rule set for the first time at once agree. */
static void
test_lazy_trees (void)
{
  g_autoptr(BotoEndpointRuleSet) rs = rule_set (
    "{\"version\": \"1.0\", \"parameters\": {\"A\": {\"type\": \"String\"}},"
    " \"rules\": ["
    "  {\"type\": \"tree\", \"conditions\": [{\"fn\": \"stringEquals\", \"argv\": [{\"ref\": \"A\"}, \"bad\"]}],"
    "   \"rules\": [{\"type\": \"loop\", \"conditions\": []}]},"
    "  {\"type\": \"tree\", \"conditions\": [],"
    "   \"rules\": [{\"type\": \"endpoint\", \"conditions\": [{\"fn\": \"isSet\", \"argv\": [{\"ref\": \"Hidden\"}]}],"
    "                \"endpoint\": {\"url\": \"https://{Hidden}\"}},"
    "               {\"type\": \"endpoint\", \"conditions\": [], \"endpoint\": {\"url\": \"https://{A}\"}}]}]}");
  g_autoptr(GVariant) rules = NULL;
  g_autoptr(GVariant) parts = partitions ();
  g_autoptr(GError) error = NULL;

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(BotoEndpoint) bad = resolve_parsed (rs, "{'A': <'bad'>}", &error);
      g_autoptr(BotoEndpoint) good = NULL;
      g_autoptr(BotoEndpoint) hidden = NULL;

      g_assert_null (bad);
      g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL);
      g_clear_error (&error);

      good = resolve_parsed (rs, "{'A': <'good'>}", &error);
      g_assert_no_error (error);
      g_assert_cmpstr (boto_endpoint_get_url (good), ==, "https://good");

      hidden = resolve_parsed (rs, "{'A': <'good'>, 'Hidden': <'h'>}", &error);
      g_assert_no_error (error);
      g_assert_cmpstr (boto_endpoint_get_url (hidden), ==, "https://h");
    }

  /* A fresh copy of S3's rules, first reached by four threads at once. */
  rules = boto_model_loader_load ("s3", "endpoint-rule-set-1", NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint round = 0; round < 5; round++)
    {
      g_autoptr(BotoEndpointRuleSet) s3 = boto_endpoint_rule_set_new (rules, parts, &error);
      GThread *threads[4];

      g_assert_no_error (error);
      for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
        threads[i] = g_thread_new ("lazy", resolve_fresh_thread, s3);
      for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
        g_thread_join (threads[i]);
    }
}

static void
test_boxed (void)
{
  g_autoptr(BotoEndpoint) endpoint = boto_endpoint_new ("https://x", NULL, NULL);
  GValue value = G_VALUE_INIT;

  g_assert_true (G_TYPE_IS_BOXED (BOTO_TYPE_ENDPOINT));
  g_value_init (&value, BOTO_TYPE_ENDPOINT);
  g_value_set_boxed (&value, endpoint);
  g_assert_true (g_value_get_boxed (&value) == endpoint);
  g_value_unset (&value);
  g_assert_cmpuint (g_variant_n_children (boto_endpoint_get_properties (endpoint)), ==, 0);
  g_assert_true (g_variant_is_of_type (boto_endpoint_get_headers (endpoint), G_VARIANT_TYPE ("a{sas}")));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/boto/endpoints/functions/basic", test_functions_basic);
  g_test_add_func ("/boto/endpoints/functions/strings", test_functions_strings);
  g_test_add_func ("/boto/endpoints/functions/structures", test_functions_structures);
  g_test_add_func ("/boto/endpoints/partition", test_partition);
  g_test_add_func ("/boto/endpoints/partition/overrides", test_partition_overrides);
  g_test_add_func ("/boto/endpoints/templates", test_templates);
  g_test_add_func ("/boto/endpoints/errors", test_errors);
  g_test_add_func ("/boto/endpoints/malformed", test_malformed);
  g_test_add_func ("/boto/endpoints/build-params", test_build_params);
  g_test_add_func ("/boto/endpoints/s3-custom-endpoint", test_s3_custom_endpoint);
  g_test_add_func ("/boto/endpoints/resolve", test_public_resolve);
  g_test_add_func ("/boto/endpoints/threads", test_threads);
  g_test_add_func ("/boto/endpoints/lazy-trees", test_lazy_trees);
  g_test_add_func ("/boto/endpoints/boxed", test_boxed);

  return g_test_run ();
}
