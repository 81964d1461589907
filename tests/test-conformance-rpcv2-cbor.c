/* test-conformance-rpcv2-cbor.c: botocore's smithy-rpc-v2-cbor protocol
 * suites (BOTO_CONFORMANCE_DIR/protocols/{input,output}/smithy-rpc-v2-cbor*.json),
 * every case, compared as botocore's tests/unit/test_protocols.py does.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "boto-protocol-rpcv2-cbor-private.h"
#include "test-utils.h"
#include "protocol-suites.h"

static const char *conformance_dir;
static GHashTable *skips;     /* case id → reason */
static guint n_passed, n_failed, n_skipped;

static void
load_skips (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "rpcv2-cbor-skips.txt", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  skips = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      char *space;

      if (*line == '\0' || *line == '#')
        continue;
      space = strpbrk (line, " \t");
      g_hash_table_insert (skips, g_strndup (line, space != NULL ? (gsize) (space - line) : strlen (line)),
                           g_strdup (space != NULL ? g_strstrip (space) : ""));
    }
}

/* ---- JSON → GVariant by shape, through the public shape walker ---- */

static void
append_type (BotoShape *shape,
             GString   *out)
{
  switch (boto_shape_get_shape_type (shape))
    {
    case BOTO_SHAPE_TYPE_STRUCTURE: g_string_append (out, "a{sv}"); break;
    case BOTO_SHAPE_TYPE_LIST:
      g_string_append (out, boto_shape_get_boolean_trait (shape, "sparse") ? "am" : "a");
      append_type (boto_shape_get_list_member (shape), out);
      break;
    case BOTO_SHAPE_TYPE_MAP:
      g_string_append (out, boto_shape_get_boolean_trait (shape, "sparse") ? "a{sm" : "a{s");
      append_type (boto_shape_get_map_value (shape), out);
      g_string_append_c (out, '}');
      break;
    case BOTO_SHAPE_TYPE_STRING:
    case BOTO_SHAPE_TYPE_CHARACTER: g_string_append_c (out, 's'); break;
    case BOTO_SHAPE_TYPE_INTEGER:
    case BOTO_SHAPE_TYPE_BYTE:
    case BOTO_SHAPE_TYPE_SHORT: g_string_append_c (out, 'i'); break;
    case BOTO_SHAPE_TYPE_LONG:
    case BOTO_SHAPE_TYPE_TIMESTAMP: g_string_append_c (out, 'x'); break;
    case BOTO_SHAPE_TYPE_FLOAT:
    case BOTO_SHAPE_TYPE_DOUBLE: g_string_append_c (out, 'd'); break;
    case BOTO_SHAPE_TYPE_BOOLEAN: g_string_append_c (out, 'b'); break;
    case BOTO_SHAPE_TYPE_BLOB: g_string_append (out, "ay"); break;
    default: g_string_append_c (out, 'v'); break;
    }
}

static GVariant *
json_generic (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_NULL:
      return g_variant_new_maybe (G_VARIANT_TYPE_VARIANT, NULL);
    case JSON_NODE_OBJECT:
      {
        g_auto(GVariantBuilder) b = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
        JsonObject *o = json_node_get_object (node);
        g_autoptr(GList) keys = json_object_get_members (o);

        for (GList *l = keys; l != NULL; l = l->next)
          g_variant_builder_add (&b, "{sv}", l->data, json_generic (json_object_get_member (o, l->data)));
        return g_variant_builder_end (&b);
      }
    case JSON_NODE_ARRAY:
      {
        g_auto(GVariantBuilder) b = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("av"));
        JsonArray *a = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (a); i++)
          g_variant_builder_add (&b, "v", json_generic (json_array_get_element (a, i)));
        return g_variant_builder_end (&b);
      }
    default:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        return g_variant_new_string (json_node_get_string (node));
      if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        return g_variant_new_boolean (json_node_get_boolean (node));
      if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
        return g_variant_new_double (json_node_get_double (node));
      return g_variant_new_int64 (json_node_get_int (node));
    }
}

static double
json_number (JsonNode *node)
{
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (node);

      if (g_str_equal (s, "NaN"))
        return NAN;
      if (g_str_equal (s, "Infinity"))
        return INFINITY;
      if (g_str_equal (s, "-Infinity"))
        return -INFINITY;
      return g_ascii_strtod (s, NULL);
    }
  return json_node_get_double (node);
}

static GVariant *
json_to_variant (BotoShape *shape,
                 JsonNode  *node)
{
  if (JSON_NODE_HOLDS_NULL (node))
    return g_variant_new_maybe (G_VARIANT_TYPE_VARIANT, NULL);

  switch (boto_shape_get_shape_type (shape))
    {
    case BOTO_SHAPE_TYPE_STRUCTURE:
      {
        g_auto(GVariantBuilder) b = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
        JsonObject *o = json_node_get_object (node);
        g_autoptr(GList) keys = json_object_get_members (o);

        for (GList *l = keys; l != NULL; l = l->next)
          {
            BotoShape *member = boto_shape_get_member (shape, l->data);
            JsonNode *child = json_object_get_member (o, l->data);

            g_variant_builder_add (&b, "{sv}", l->data,
                                   member != NULL ? json_to_variant (member, child) : json_generic (child));
          }
        return g_variant_builder_end (&b);
      }
    case BOTO_SHAPE_TYPE_LIST:
      {
        g_autoptr(GString) type = g_string_new (NULL);
        g_autoptr(GVariantType) vtype = NULL;
        g_auto(GVariantBuilder) b;
        JsonArray *a = json_node_get_array (node);

        append_type (shape, type);
        vtype = g_variant_type_new (type->str);
        g_variant_builder_init (&b, vtype);
        for (guint i = 0; i < json_array_get_length (a); i++)
          g_variant_builder_add_value (&b, json_to_variant (boto_shape_get_list_member (shape),
                                                            json_array_get_element (a, i)));
        return g_variant_builder_end (&b);
      }
    case BOTO_SHAPE_TYPE_MAP:
      {
        g_autoptr(GString) type = g_string_new (NULL);
        g_autoptr(GVariantType) vtype = NULL;
        g_auto(GVariantBuilder) b;
        JsonObject *o = json_node_get_object (node);
        g_autoptr(GList) keys = json_object_get_members (o);

        append_type (shape, type);
        vtype = g_variant_type_new (type->str);
        g_variant_builder_init (&b, vtype);
        for (GList *l = keys; l != NULL; l = l->next)
          g_variant_builder_add_value (&b, g_variant_new_dict_entry (
                                         g_variant_new_string (l->data),
                                         json_to_variant (boto_shape_get_map_value (shape),
                                                          json_object_get_member (o, l->data))));
        return g_variant_builder_end (&b);
      }
    case BOTO_SHAPE_TYPE_STRING:
    case BOTO_SHAPE_TYPE_CHARACTER:
      return g_variant_new_string (json_node_get_string (node));
    case BOTO_SHAPE_TYPE_INTEGER:
    case BOTO_SHAPE_TYPE_BYTE:
    case BOTO_SHAPE_TYPE_SHORT:
      return g_variant_new_int32 ((gint32) json_node_get_int (node));
    case BOTO_SHAPE_TYPE_LONG:
      return g_variant_new_int64 (json_node_get_int (node));
    case BOTO_SHAPE_TYPE_FLOAT:
    case BOTO_SHAPE_TYPE_DOUBLE:
      return g_variant_new_double (json_number (node));
    case BOTO_SHAPE_TYPE_BOOLEAN:
      return g_variant_new_boolean (json_node_get_boolean (node));
    case BOTO_SHAPE_TYPE_BLOB:
      {
        const char *s = json_node_get_string (node);

        return g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, s, strlen (s), 1);
      }
    case BOTO_SHAPE_TYPE_TIMESTAMP:
      return g_variant_new_int64 ((gint64) round (json_number (node) * G_USEC_PER_SEC));
    default:
      return g_variant_new_variant (json_generic (node));
    }
}

/* ---- comparison ---- */

static gboolean
is_number (GVariant *v)
{
  switch (g_variant_classify (v))
    {
    case G_VARIANT_CLASS_BYTE: case G_VARIANT_CLASS_INT16: case G_VARIANT_CLASS_UINT16:
    case G_VARIANT_CLASS_INT32: case G_VARIANT_CLASS_UINT32: case G_VARIANT_CLASS_INT64:
    case G_VARIANT_CLASS_UINT64: case G_VARIANT_CLASS_DOUBLE:
      return TRUE;
    default:
      return FALSE;
    }
}

static long double
number_of (GVariant *v)
{
  switch (g_variant_classify (v))
    {
    case G_VARIANT_CLASS_BYTE: return g_variant_get_byte (v);
    case G_VARIANT_CLASS_INT16: return g_variant_get_int16 (v);
    case G_VARIANT_CLASS_UINT16: return g_variant_get_uint16 (v);
    case G_VARIANT_CLASS_INT32: return g_variant_get_int32 (v);
    case G_VARIANT_CLASS_UINT32: return g_variant_get_uint32 (v);
    case G_VARIANT_CLASS_INT64: return g_variant_get_int64 (v);
    case G_VARIANT_CLASS_UINT64: return g_variant_get_uint64 (v);
    default: return g_variant_get_double (v);
    }
}

/* Python's == over the parsed structures: numbers by value (1 == 1.0),
 * dictionaries regardless of order; NaN equals NaN as the suites intend. */
static gboolean
same (GVariant *a,
      GVariant *b)
{
  g_autoptr(GVariant) ua = NULL;
  g_autoptr(GVariant) ub = NULL;

  if (g_variant_is_of_type (a, G_VARIANT_TYPE_VARIANT))
    return same (ua = g_variant_get_variant (a), b);
  if (g_variant_is_of_type (b, G_VARIANT_TYPE_VARIANT))
    return same (a, ub = g_variant_get_variant (b));

  if (is_number (a) && is_number (b))
    {
      long double x = number_of (a), y = number_of (b);

      return x == y || (isnan (x) && isnan (y));
    }
  if (g_variant_is_of_type (a, G_VARIANT_TYPE ("a{s*}")) &&
      g_variant_is_of_type (b, G_VARIANT_TYPE ("a{s*}")))
    {
      GVariantIter iter;
      const char *key;
      GVariant *value;

      if (g_variant_n_children (a) != g_variant_n_children (b))
        return FALSE;
      g_variant_iter_init (&iter, a);
      while (g_variant_iter_loop (&iter, "{&s*}", &key, &value))
        {
          g_autoptr(GVariant) other = g_variant_lookup_value (b, key, NULL);

          if (other == NULL || !same (value, other))
            {
              g_variant_unref (value);
              return FALSE;
            }
        }
      return TRUE;
    }
  if (g_variant_is_container (a) && g_variant_is_container (b) &&
      !g_variant_is_of_type (a, G_VARIANT_TYPE_BYTESTRING))
    {
      gsize n = g_variant_n_children (a);

      if (n != g_variant_n_children (b))
        return FALSE;
      for (gsize i = 0; i < n; i++)
        {
          g_autoptr(GVariant) ca = g_variant_get_child_value (a, i);
          g_autoptr(GVariant) cb = g_variant_get_child_value (b, i);

          if (!same (ca, cb))
            return FALSE;
        }
      return TRUE;
    }
  return g_variant_equal (a, b);
}

/* ---- model ---- */

static BotoServiceModel *
build_model (JsonObject *suite,
             JsonObject *given)
{
  g_autoptr(GError) error = NULL;
  BotoServiceModel *model = test_model_for_operation (json_object_get_object_member (suite, "metadata"),
                                                      json_object_get_object_member (suite, "shapes"),
                                                      given, &error);

  g_assert_no_error (error);
  return model;
}

static GBytes *
base64_body (JsonObject *object)
{
  const char *text = json_object_has_member (object, "body") ?
                     json_object_get_string_member (object, "body") : "";
  gsize len = 0;
  guchar *data;

  if (*text == '\0')
    return g_bytes_new (NULL, 0);
  data = g_base64_decode (text, &len);
  return g_bytes_new_take (data, len);
}

/* ---- cases ---- */

static char *
run_input (JsonObject *suite,
           JsonObject *c)
{
  JsonObject *given = json_object_get_object_member (c, "given");
  JsonObject *expected = json_object_get_object_member (c, "serialized");
  g_autoptr(BotoServiceModel) model = build_model (suite, given);
  g_autoptr(GError) error = NULL;
  BotoOperationModel *op = boto_service_model_get_operation (model, json_object_get_string_member (given, "name"), &error);
  BotoShape *input = boto_operation_model_get_input_shape (op);
  g_autoptr(GVariant) params = NULL;
  g_autoptr(BotoRpcv2CborRequest) request = NULL;
  g_autoptr(GBytes) expected_body = base64_body (expected);

  g_assert_no_error (error);
  if (input != NULL)
    params = g_variant_ref_sink (json_to_variant (input, json_object_get_member (c, "params")));
  request = boto_rpcv2_cbor_serialize_request (model, op, params, &error);
  if (request == NULL)
    return g_strdup_printf ("serialize failed: %s", error->message);

  if (json_object_has_member (expected, "method") &&
      g_strcmp0 (request->method, json_object_get_string_member (expected, "method")) != 0)
    return g_strdup_printf ("method %s", request->method);
  if (g_strcmp0 (request->path, json_object_get_string_member (expected, "uri")) != 0)
    return g_strdup_printf ("uri %s", request->path);

  if (g_bytes_get_size (expected_body) == 0 || g_bytes_get_size (request->body) == 0)
    {
      if (g_bytes_get_size (expected_body) != g_bytes_get_size (request->body))
        return g_strdup_printf ("body of %" G_GSIZE_FORMAT " bytes", g_bytes_get_size (request->body));
    }
  else
    {
      g_autoptr(GVariant) want = boto_cbor_decode (g_bytes_get_data (expected_body, NULL),
                                                   g_bytes_get_size (expected_body), &error);
      g_autoptr(GVariant) got = NULL;

      g_assert_no_error (error);
      got = boto_cbor_decode (g_bytes_get_data (request->body, NULL),
                              g_bytes_get_size (request->body), &error);
      if (got == NULL)
        return g_strdup_printf ("body does not decode: %s", error->message);
      if (!same (got, want))
        {
          g_autofree char *g = g_variant_print (got, TRUE);
          g_autofree char *w = g_variant_print (want, TRUE);

          return g_strdup_printf ("body %s, expected %s", g, w);
        }
    }

  if (json_object_has_member (expected, "headers"))
    {
      JsonObject *headers = json_object_get_object_member (expected, "headers");
      g_autoptr(GList) names = json_object_get_members (headers);

      for (GList *l = names; l != NULL; l = l->next)
        {
          const char *got = soup_message_headers_get_one (request->headers, l->data);

          if (g_strcmp0 (got, json_object_get_string_member (headers, l->data)) != 0)
            return g_strdup_printf ("header %s: %s", (char *) l->data, got);
        }
    }
  if (json_object_has_member (expected, "forbidHeaders"))
    {
      JsonArray *forbid = json_object_get_array_member (expected, "forbidHeaders");

      for (guint i = 0; i < json_array_get_length (forbid); i++)
        if (soup_message_headers_get_one (request->headers, json_array_get_string_element (forbid, i)) != NULL)
          return g_strdup_printf ("forbidden header %s present", json_array_get_string_element (forbid, i));
    }
  return NULL;
}

static BotoShape *
expected_error_shape (BotoServiceModel *model,
                      JsonObject       *given,
                      const char       *code)
{
  JsonArray *errors;

  if (!json_object_has_member (given, "errors"))
    return NULL;
  errors = json_object_get_array_member (given, "errors");
  for (guint i = 0; i < json_array_get_length (errors); i++)
    {
      const char *name = json_object_get_string_member (json_array_get_object_element (errors, i), "shape");
      BotoShape *shape = boto_service_model_get_shape (model, name, NULL);
      g_autoptr(GVariant) trait = shape != NULL ? boto_shape_dup_trait (shape, "error") : NULL;
      const char *modeled = NULL;

      if (trait != NULL)
        g_variant_lookup (trait, "code", "&s", &modeled);
      if (shape != NULL && (g_strcmp0 (name, code) == 0 || g_strcmp0 (modeled, code) == 0))
        return shape;
    }
  return NULL;
}

static char *
run_output (JsonObject *suite,
            JsonObject *c)
{
  JsonObject *given = json_object_get_object_member (c, "given");
  JsonObject *response = json_object_get_object_member (c, "response");
  g_autoptr(BotoServiceModel) model = build_model (suite, given);
  g_autoptr(GError) error = NULL;
  BotoOperationModel *op = boto_service_model_get_operation (model, json_object_get_string_member (given, "name"), &error);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GBytes) body = base64_body (response);
  g_autoptr(GVariant) parsed = NULL;
  g_autoptr(GVariant) expected = NULL;
  g_auto(GVariantBuilder) actual = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_autoptr(GVariant) actual_value = NULL;
  gboolean is_error = FALSE;
  GVariantIter iter;
  const char *name;
  GVariant *value;

  g_assert_no_error (error);
  if (json_object_has_member (response, "headers"))
    {
      JsonObject *h = json_object_get_object_member (response, "headers");
      g_autoptr(GList) names = json_object_get_members (h);

      for (GList *l = names; l != NULL; l = l->next)
        soup_message_headers_append (headers, l->data, json_object_get_string_member (h, l->data));
    }

  parsed = boto_rpcv2_cbor_parse_response (model, op,
                                           (guint) json_object_get_int_member (response, "status_code"),
                                           headers, body, &is_error, &error);
  if (parsed == NULL)
    return g_strdup_printf ("parse failed: %s", error->message);

  /* botocore's _fixup_parsed_result */
  g_variant_iter_init (&iter, parsed);
  while (g_variant_iter_loop (&iter, "{&sv}", &name, &value))
    {
      if (g_str_equal (name, "ResponseMetadata"))
        continue;
      if (g_str_equal (name, "Error"))
        {
          g_auto(GVariantBuilder) e = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
          const char *s;

          if (g_variant_lookup (value, "Code", "&s", &s))
            g_variant_builder_add (&e, "{sv}", "Code", g_variant_new_string (s));
          if (g_variant_lookup (value, "Message", "&s", &s))
            g_variant_builder_add (&e, "{sv}", "Message", g_variant_new_string (s));
          g_variant_builder_add (&actual, "{sv}", name, g_variant_builder_end (&e));
          continue;
        }
      g_variant_builder_add (&actual, "{sv}", name, value);
    }
  actual_value = g_variant_ref_sink (g_variant_builder_end (&actual));

  if (json_object_has_member (c, "error"))
    {
      const char *code = json_object_get_string_member_with_default (c, "errorCode", "");
      BotoShape *shape = expected_error_shape (model, given, code);
      JsonNode *members = json_object_get_member (c, "error");
      g_autoptr(GVariant) modeled = g_variant_ref_sink (shape != NULL ? json_to_variant (shape, members)
                                                                      : json_generic (members));
      g_auto(GVariantBuilder) b = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
      g_auto(GVariantBuilder) e = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

      if (!is_error)
        return g_strdup ("not parsed as an error");
      g_variant_builder_add (&e, "{sv}", "Code", g_variant_new_string (code));
      g_variant_builder_add (&e, "{sv}", "Message", g_variant_new_string (
                               json_object_get_string_member_with_default (c, "errorMessage", "")));
      g_variant_builder_add (&b, "{sv}", "Error", g_variant_builder_end (&e));
      g_variant_iter_init (&iter, modeled);
      while (g_variant_iter_loop (&iter, "{&sv}", &name, &value))
        g_variant_builder_add (&b, "{sv}", name, value);
      expected = g_variant_ref_sink (g_variant_builder_end (&b));
    }
  else
    {
      BotoShape *output = boto_operation_model_get_output_shape (op);

      if (output != NULL)
        expected = g_variant_ref_sink (json_to_variant (output, json_object_get_member (c, "result")));
      else
        expected = g_variant_ref_sink (json_generic (json_object_get_member (c, "result")));
    }

  if (!same (actual_value, expected))
    {
      g_autofree char *g = g_variant_print (actual_value, TRUE);
      g_autofree char *w = g_variant_print (expected, TRUE);

      return g_strdup_printf ("result %s, expected %s", g, w);
    }
  return NULL;
}

static void
run_file (const char *direction,
          const char *file)
{
  g_autofree char *path = g_build_filename (conformance_dir, "protocols", direction, file, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *suites;
  gboolean input = g_str_equal (direction, "input");

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  suites = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (suites); i++)
    {
      JsonObject *suite = json_array_get_object_element (suites, i);
      JsonArray *cases = json_object_get_array_member (suite, "cases");

      for (guint j = 0; j < json_array_get_length (cases); j++)
        {
          JsonObject *c = json_array_get_object_element (cases, j);
          const char *id = json_object_get_string_member_with_default (c, "id", "?");
          g_autofree char *key = g_strdup_printf ("%s:%s", direction, id);
          const char *reason = g_hash_table_lookup (skips, key);
          g_autofree char *failure = NULL;

          if (reason != NULL)
            {
              g_printerr ("SKIP %s: %s\n", key, reason);
              n_skipped++;
              continue;
            }
          failure = input ? run_input (suite, c) : run_output (suite, c);
          if (failure == NULL)
            n_passed++;
          else
            {
              g_printerr ("FAIL %s (%s): %s\n", key, file, failure);
              n_failed++;
            }
        }
    }
}

/* Every case of smithy-rpc-v2-cbor*.json (see protocol-suites.h). */
void
protocol_rpcv2_cbor_run (ProtocolCounts *counts)
{
  const char *files[] = {
    "smithy-rpc-v2-cbor.json",
    "smithy-rpc-v2-cbor-query-compatible.json",
    "smithy-rpc-v2-cbor-non-query-compatible.json",
  };

  conformance_dir = g_getenv ("BOTO_CONFORMANCE_DIR");
  if (conformance_dir == NULL)
    conformance_dir = "../shared/conformance";
  n_passed = n_failed = n_skipped = 0;
  load_skips ();
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      run_file ("input", files[i]);
      run_file ("output", files[i]);
    }
  g_clear_pointer (&skips, g_hash_table_unref);

  g_printerr ("smithy-rpc-v2-cbor: %u passed, %u failed, %u skipped\n",
              n_passed, n_failed, n_skipped);
  counts->passed += n_passed;
  counts->failed += n_failed;
  counts->skipped += n_skipped;
}

#ifndef BOTO_PROTOCOLS_COMBINED
static void
test_suites (void)
{
  ProtocolCounts counts = { 0, 0, 0 };

  protocol_rpcv2_cbor_run (&counts);
  g_assert_cmpuint (counts.failed, ==, 0);
  g_assert_cmpuint (counts.passed + counts.skipped, ==, 15 + 1 + 1 + 35 + 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/boto/conformance/rpcv2-cbor/suites", test_suites);
  return g_test_run ();
}
#endif
