/* test-conformance-protocol-output.c: every output case of botocore's
 * protocol suites for json (awsJson 1.0/1.1), rest-json, query, ec2 and
 * rest-xml, current and legacy, through the response parsers.
 *
 * The smithy-rpc-v2-cbor files are out of scope here (the CBOR parser is
 * a separate piece of work).
 *
 * Each case is run as botocore's runner does: a one-operation service from
 * metadata + shapes + {given.name: given}, query output shapes with members
 * given resultWrapper "<Operation>Result", and the result normalised before
 * comparing as JSON: timestamps as epoch seconds, blobs as UTF-8 strings,
 * ResponseMetadata dropped, only Code and Message kept under Error, special
 * floats as strings; an expected jsonvalue header given as JSON text is
 * compared as the value it spells.  Cases that cannot pass are listed with
 * their reason in protocol-output-skips.txt.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <boto-glib/boto-glib.h>

#include "test-utils.h"
#include "protocol-suites.h"

#include "boto-protocol-parser-private.h"

static const char *conformance_dir;
static GHashTable *skips;     /* "file\tkey" → reason */
static guint total_passed, total_failed, total_skipped;

static void
load_skips (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "protocol-output-skips.txt", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;

  skips = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!g_file_get_contents (path, &contents, NULL, &error))
    g_error ("Cannot read %s: %s", path, error->message);

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      fields = g_strsplit (lines[i], "\t", 3);
      if (g_strv_length (fields) != 3)
        g_error ("Bad line in the skip file: %s", lines[i]);
      g_hash_table_insert (skips, g_strdup_printf ("%s\t%s", fields[0], fields[1]), g_strdup (fields[2]));
    }
}

/* Normalisation: the parsed GVariant as JSON, shape by shape. */

static JsonNode *
double_node (double value)
{
  if (isnan (value))
    return json_node_init_string (json_node_alloc (), "NaN");
  if (isinf (value))
    return json_node_init_string (json_node_alloc (), value > 0 ? "Infinity" : "-Infinity");
  return json_node_init_double (json_node_alloc (), value);
}

static JsonNode *
bytes_node (GVariant *value)
{
  gsize length;
  const char *data = g_variant_get_fixed_array (value, &length, 1);
  g_autofree char *text = g_strndup (data != NULL ? data : "", length);

  return json_node_init_string (json_node_alloc (), text);
}

/* A result value as JSON without a shape: what botocore's parsers give
 * once bytes are read as text. */
JsonNode *
protocol_generic_to_json (GVariant *value)
{
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_VARIANT))
    {
      g_autoptr(GVariant) inner = g_variant_get_variant (value);

      return protocol_generic_to_json (inner);
    }
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_MAYBE))
    {
      g_autoptr(GVariant) inner = g_variant_get_maybe (value);

      return inner != NULL ? protocol_generic_to_json (inner) : json_node_init_null (json_node_alloc ());
    }
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BYTESTRING))
    return bytes_node (value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DICTIONARY))
    {
      JsonObject *object = json_object_new ();
      GVariantIter iter;
      GVariant *entry;

      g_variant_iter_init (&iter, value);
      while ((entry = g_variant_iter_next_value (&iter)) != NULL)
        {
          g_autoptr(GVariant) key = g_variant_get_child_value (entry, 0);
          g_autoptr(GVariant) item = g_variant_get_child_value (entry, 1);

          json_object_set_member (object, g_variant_get_string (key, NULL), protocol_generic_to_json (item));
          g_variant_unref (entry);
        }
      return json_node_init_object (json_node_alloc (), object);
    }
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_ARRAY))
    {
      JsonArray *array = json_array_new ();
      GVariantIter iter;
      GVariant *item;

      g_variant_iter_init (&iter, value);
      while ((item = g_variant_iter_next_value (&iter)) != NULL)
        {
          json_array_add_element (array, protocol_generic_to_json (item));
          g_variant_unref (item);
        }
      return json_node_init_array (json_node_alloc (), array);
    }
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return json_node_init_string (json_node_alloc (), g_variant_get_string (value, NULL));
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    return json_node_init_boolean (json_node_alloc (), g_variant_get_boolean (value));
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT32))
    return json_node_init_int (json_node_alloc (), g_variant_get_int32 (value));
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    return json_node_init_int (json_node_alloc (), g_variant_get_int64 (value));
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    return double_node (g_variant_get_double (value));

  g_error ("Unexpected value type %s", g_variant_get_type_string (value));
  return NULL;
}

static JsonNode *
shaped_to_json (GVariant  *value,
                BotoShape *shape)
{
  /* A sparse list's elements: `v`, a null being `mv` nothing. */
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_VARIANT))
    {
      g_autoptr(GVariant) inner = g_variant_get_variant (value);

      return shaped_to_json (inner, shape);
    }
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_MAYBE))
    {
      g_autoptr(GVariant) inner = g_variant_get_maybe (value);

      return inner != NULL ? shaped_to_json (inner, shape) : json_node_init_null (json_node_alloc ());
    }
  if (shape == NULL || boto_shape_get_boolean_trait (shape, "jsonvalue") ||
      boto_shape_get_boolean_trait (shape, "document"))
    return protocol_generic_to_json (value);

  switch (boto_shape_get_shape_type (shape))
    {
    case BOTO_SHAPE_TYPE_STRUCTURE:
      if (boto_shape_get_boolean_trait (shape, "eventstream") &&
          g_variant_is_of_type (value, G_VARIANT_TYPE ("aa{sv}")))
        {
          /* botocore's runner expands the EventStream into its events. */
          JsonArray *array = json_array_new ();
          GVariantIter iter;
          GVariant *item;

          g_variant_iter_init (&iter, value);
          while ((item = g_variant_iter_next_value (&iter)) != NULL)
            {
              json_array_add_element (array, shaped_to_json (item, shape));
              g_variant_unref (item);
            }
          return json_node_init_array (json_node_alloc (), array);
        }
      {
        JsonObject *object = json_object_new ();
        GVariantIter iter;
        const char *key;
        GVariant *item;

        g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_VARDICT));
        g_variant_iter_init (&iter, value);
        while (g_variant_iter_next (&iter, "{&sv}", &key, &item))
          {
            json_object_set_member (object, key, shaped_to_json (item, boto_shape_get_member (shape, key)));
            g_variant_unref (item);
          }
        return json_node_init_object (json_node_alloc (), object);
      }
    case BOTO_SHAPE_TYPE_LIST:
      {
        JsonArray *array = json_array_new ();
        GVariantIter iter;
        GVariant *item;

        g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_ARRAY));
        g_variant_iter_init (&iter, value);
        while ((item = g_variant_iter_next_value (&iter)) != NULL)
          {
            json_array_add_element (array, shaped_to_json (item, boto_shape_get_list_member (shape)));
            g_variant_unref (item);
          }
        return json_node_init_array (json_node_alloc (), array);
      }
    case BOTO_SHAPE_TYPE_MAP:
      {
        JsonObject *object = json_object_new ();
        GVariantIter iter;
        GVariant *entry;

        g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_DICTIONARY));
        g_variant_iter_init (&iter, value);
        while ((entry = g_variant_iter_next_value (&iter)) != NULL)
          {
            g_autoptr(GVariant) key = g_variant_get_child_value (entry, 0);
            g_autoptr(GVariant) item = g_variant_get_child_value (entry, 1);

            json_object_set_member (object, g_variant_get_string (key, NULL),
                                    shaped_to_json (item, boto_shape_get_map_value (shape)));
            g_variant_unref (entry);
          }
        return json_node_init_object (json_node_alloc (), object);
      }
    case BOTO_SHAPE_TYPE_TIMESTAMP:
      {
        gint64 usec = g_variant_get_int64 (value);
        gint64 seconds = usec / G_USEC_PER_SEC;

        /* botocore's runner truncates to whole seconds. */
        if (usec < 0 && usec % G_USEC_PER_SEC != 0)
          seconds--;
        return json_node_init_int (json_node_alloc (), seconds);
      }
    default:
      return protocol_generic_to_json (value);
    }
}

/* Python's == on JSON values: 1 == 1.0, floats compared as floats. */
gboolean
protocol_json_equal (JsonNode *a,
                     JsonNode *b)
{
  if (JSON_NODE_TYPE (a) != JSON_NODE_TYPE (b))
    return FALSE;

  switch (JSON_NODE_TYPE (a))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *oa = json_node_get_object (a);
        JsonObject *ob = json_node_get_object (b);
        g_autoptr(GList) names = json_object_get_members (oa);

        if (json_object_get_size (oa) != json_object_get_size (ob))
          return FALSE;
        for (GList *l = names; l != NULL; l = l->next)
          if (!json_object_has_member (ob, l->data) ||
              !protocol_json_equal (json_object_get_member (oa, l->data), json_object_get_member (ob, l->data)))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *aa = json_node_get_array (a);
        JsonArray *ab = json_node_get_array (b);

        if (json_array_get_length (aa) != json_array_get_length (ab))
          return FALSE;
        for (guint i = 0; i < json_array_get_length (aa); i++)
          if (!protocol_json_equal (json_array_get_element (aa, i), json_array_get_element (ab, i)))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_NULL:
      return TRUE;
    case JSON_NODE_VALUE:
    default:
      {
        GType ta = json_node_get_value_type (a);
        GType tb = json_node_get_value_type (b);
        gboolean na = ta == G_TYPE_INT64 || ta == G_TYPE_DOUBLE;
        gboolean nb = tb == G_TYPE_INT64 || tb == G_TYPE_DOUBLE;

        if (na && nb)
          {
            /* As in Python, 1 == 1.0; floats compare as floats. */
            if (ta == G_TYPE_INT64 && tb == G_TYPE_INT64)
              return json_node_get_int (a) == json_node_get_int (b);
            return (float) json_node_get_double (a) == (float) json_node_get_double (b) ||
                   json_node_get_double (a) == json_node_get_double (b);
          }
        if (ta != tb)
          return FALSE;
        if (ta == G_TYPE_STRING)
          return g_strcmp0 (json_node_get_string (a), json_node_get_string (b)) == 0;
        if (ta == G_TYPE_BOOLEAN)
          return json_node_get_boolean (a) == json_node_get_boolean (b);
        return FALSE;
      }
    }
}

static char *
to_text (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

/* The error shape botocore's runner would pick: the shape named by the
 * code, or an operation error whose `error.code` is the code. */
BotoShape *
protocol_find_error_shape (BotoServiceModel   *model,
                           BotoOperationModel *op,
                           const char         *code)
{
  g_auto(GStrv) names = boto_operation_model_get_error_names (op);
  BotoShape *shape;

  if (code == NULL)
    return NULL;
  if ((shape = boto_service_model_get_shape (model, code, NULL)) != NULL)
    return shape;
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GVariant) trait = NULL;
      const char *custom = NULL;

      shape = boto_service_model_get_shape (model, names[i], NULL);
      if (shape == NULL)
        continue;
      trait = boto_shape_dup_trait (shape, "error");
      if (trait != NULL && g_variant_is_of_type (trait, G_VARIANT_TYPE_VARDICT) &&
          g_variant_lookup (trait, "code", "&s", &custom) && g_strcmp0 (custom, code) == 0)
        return shape;
    }
  return NULL;
}

static JsonNode *
normalise_result (BotoServiceModel   *model,
                  BotoOperationModel *op,
                  GVariant           *result,
                  gboolean            is_error)
{
  JsonObject *object = json_object_new ();
  BotoShape *shape = NULL;
  GVariantIter iter;
  const char *key;
  GVariant *item;

  if (is_error)
    {
      g_autoptr(GVariant) error = g_variant_lookup_value (result, "Error", G_VARIANT_TYPE_VARDICT);
      const char *code = NULL, *message = NULL;
      JsonObject *error_object = json_object_new ();

      g_assert_nonnull (error);
      g_variant_lookup (error, "Code", "&s", &code);
      g_variant_lookup (error, "Message", "&s", &message);
      if (code != NULL)
        json_object_set_string_member (error_object, "Code", code);
      if (message != NULL)
        json_object_set_string_member (error_object, "Message", message);
      json_object_set_object_member (object, "Error", error_object);
      shape = protocol_find_error_shape (model, op, code);
    }
  else
    shape = boto_operation_model_get_output_shape (op);

  g_variant_iter_init (&iter, result);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &item))
    {
      if (strcmp (key, "ResponseMetadata") != 0 && !(is_error && strcmp (key, "Error") == 0))
        json_object_set_member (object, key,
                                shaped_to_json (item, shape != NULL ? boto_shape_get_member (shape, key) : NULL));
      g_variant_unref (item);
    }

  return json_node_init_object (json_node_alloc (), object);
}

/* The message an error case expects. botocore's runner takes a missing
 * errorMessage as "" although two of the Smithy cases (ComplexError in
 * rest-xml, Ec2ComplexError) carry <Message>Hi</Message> in their bodies
 * and assert nothing about it; the Smithy suites never specify the message
 * through anything but errorMessage. Without errorMessage the expected text
 * is therefore the one of the body's single <Message> element, and "" when
 * the body has none (the other 40 such cases). */
static char *
expected_error_message (JsonObject *test_case)
{
  JsonObject *response = json_object_get_object_member (test_case, "response");
  const char *body, *start, *end;

  if (json_object_has_member (test_case, "errorMessage"))
    return g_strdup (json_object_get_string_member (test_case, "errorMessage"));

  body = json_object_get_string_member_with_default (response, "body", "");
  start = strstr (body, "<Message>");
  if (start == NULL)
    return g_strdup ("");
  start += strlen ("<Message>");
  end = strstr (start, "</Message>");
  g_assert_nonnull (end);
  g_assert_null (strstr (end, "<Message>"));
  return g_strndup (start, end - start);
}

/* Smithy's cases give a `@mediaType("application/json")` header, which
 * botocore's models mark `jsonvalue`, as the JSON text the header carries.
 * botocore hands out the parsed document for such a header, and so do we;
 * the input side takes a string there as the JSON text already. So an
 * expected string of a jsonvalue header member is compared as the value it
 * spells, the same step from the suite's text to our representation as for
 * timestamps. An expected value that is not a string (the legacy cases give
 * the document itself) is compared as it is. */
static void
expected_json_headers_parsed (JsonObject *expected,
                              BotoShape  *output)
{
  g_autoptr(GList) names = json_object_get_members (expected);

  for (GList *l = names; l != NULL && output != NULL; l = l->next)
    {
      const char *name = l->data;
      BotoShape *member = boto_shape_get_member (output, name);
      JsonNode *value = json_object_get_member (expected, name);
      g_autoptr(JsonParser) parser = NULL;
      g_autoptr(GError) error = NULL;

      if (member == NULL || !boto_shape_get_boolean_trait (member, "jsonvalue") ||
          g_strcmp0 (boto_shape_get_location (member), "header") != 0 ||
          !JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        continue;
      parser = json_parser_new ();
      json_parser_load_from_data (parser, json_node_get_string (value), -1, &error);
      g_assert_no_error (error);
      json_object_set_member (expected, name, json_node_copy (json_parser_get_root (parser)));
    }
}

static JsonNode *
expected_result (JsonObject         *test_case,
                 BotoOperationModel *op)
{
  JsonObject *expected;

  if (!json_object_has_member (test_case, "error") && !json_object_has_member (test_case, "errorCode"))
    {
      JsonNode *result = json_node_copy (json_object_get_member (test_case, "result"));

      expected_json_headers_parsed (json_node_get_object (result), boto_operation_model_get_output_shape (op));
      return result;
    }

  expected = json_object_new ();
  {
    JsonObject *error = json_object_new ();
    g_autofree char *message = expected_error_message (test_case);

    json_object_set_string_member (error, "Code", json_object_has_member (test_case, "errorCode") ?
                                   json_object_get_string_member (test_case, "errorCode") : "");
    json_object_set_string_member (error, "Message", message);
    json_object_set_object_member (expected, "Error", error);
  }
  if (json_object_has_member (test_case, "error"))
    {
      JsonObject *members = json_object_get_object_member (test_case, "error");
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, members);
      while (json_object_iter_next (&iter, &name, &value))
        json_object_set_member (expected, name, json_node_copy (value));
    }
  return json_node_init_object (json_node_alloc (), expected);
}

static BotoServiceModel *
build_model (JsonObject *suite,
             JsonObject *given)
{
  JsonObject *metadata = json_object_get_object_member (suite, "metadata");
  JsonObject *shapes = json_object_get_object_member (suite, "shapes");
  const char *op_name = json_object_get_string_member (given, "name");
  const char *protocol = json_object_get_string_member (metadata, "protocol");
  g_autoptr(JsonNode) op_node = NULL;
  g_autoptr(JsonNode) given_node = json_node_init_object (json_node_alloc (), given);
  g_autoptr(GError) error = NULL;
  BotoServiceModel *model;
  JsonObject *op_copy;

  op_node = json_node_copy (given_node);
  op_copy = json_node_get_object (op_node);

  /* botocore's runner forces the result wrapper on query outputs. */
  if (g_strcmp0 (protocol, "query") == 0 && json_object_has_member (op_copy, "output"))
    {
      JsonObject *output = json_object_get_object_member (op_copy, "output");
      const char *shape_name = json_object_get_string_member (output, "shape");
      JsonObject *shape = json_object_has_member (shapes, shape_name) ?
                          json_object_get_object_member (shapes, shape_name) : NULL;

      if (shape != NULL && json_object_has_member (shape, "members") &&
          json_object_get_size (json_object_get_object_member (shape, "members")) > 0 &&
          !json_object_has_member (output, "resultWrapper"))
        {
          g_autofree char *wrapper = g_strconcat (op_name, "Result", NULL);
          JsonObject *new_output = json_object_new ();

          json_object_set_string_member (new_output, "shape", shape_name);
          json_object_set_string_member (new_output, "resultWrapper", wrapper);
          json_object_set_object_member (op_copy, "output", new_output);
        }
    }

  model = test_model_for_operation (metadata, shapes, op_copy, &error);
  g_assert_no_error (error);
  return model;
}

static gboolean
run_case (JsonObject  *suite,
          JsonObject  *test_case,
          char       **out_report)
{
  JsonObject *given = json_object_get_object_member (test_case, "given");
  JsonObject *response = json_object_get_object_member (test_case, "response");
  g_autoptr(BotoServiceModel) model = build_model (suite, given);
  const char *protocol = boto_service_model_get_protocol (model);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(JsonNode) actual = NULL;
  g_autoptr(JsonNode) expected = NULL;
  BotoOperationModel *op;
  gboolean is_error = FALSE;
  const char *body_text;

  op = boto_service_model_get_operation (model, json_object_get_string_member (given, "name"), &error);
  g_assert_no_error (error);

  if (json_object_has_member (response, "headers"))
    test_append_json_headers (headers, json_object_get_object_member (response, "headers"));
  if (json_object_has_member (response, "body"))
    body_text = json_object_get_string_member (response, "body");
  else
    body_text = g_str_equal (protocol, "query") ? "<xml/>" : "";
  if (test_has_event_stream_output (op))
    {
      /* botocore's runner streams these bodies from their base64. */
      gsize length = 0;
      guchar *decoded = g_base64_decode (body_text, &length);

      body = g_bytes_new_take (decoded, length);
    }
  else
    body = g_bytes_new (body_text, strlen (body_text));

  result = boto_protocol_parse_response (op, protocol,
                                         (guint) json_object_get_int_member (response, "status_code"),
                                         headers, body, &is_error, &error);
  expected = expected_result (test_case, op);
  if (result == NULL)
    {
      g_autofree char *e = to_text (expected);

      *out_report = g_strdup_printf ("parse failed: %s\n    expected %s", error->message, e);
      return FALSE;
    }

  actual = normalise_result (model, op, result, is_error);
  if (!protocol_json_equal (actual, expected))
    {
      g_autofree char *a = to_text (actual);
      g_autofree char *e = to_text (expected);

      *out_report = g_strdup_printf ("\n    actual   %s\n    expected %s", a, e);
      return FALSE;
    }
  return TRUE;
}

static void
test_file (const char *relpath)
{
  g_autofree char *path = g_build_filename (conformance_dir, "protocols", relpath, NULL);
  g_autofree char *basename = g_path_get_basename (relpath);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  guint passed = 0, failed = 0, skipped = 0;
  JsonArray *suites;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);

  suites = json_node_get_array (json_parser_get_root (parser));
  for (guint s = 0; s < json_array_get_length (suites); s++)
    {
      JsonObject *suite = json_array_get_object_element (suites, s);
      const char *description = json_object_get_string_member (suite, "description");
      JsonArray *cases = json_object_get_array_member (suite, "cases");

      for (guint c = 0; c < json_array_get_length (cases); c++)
        {
          JsonObject *test_case = json_array_get_object_element (cases, c);
          g_autofree char *key = json_object_has_member (test_case, "id") ?
                                 g_strdup (json_object_get_string_member (test_case, "id")) :
                                 g_strdup_printf ("%s#%u", description, c);
          g_autofree char *skip_key = g_strdup_printf ("%s\t%s", relpath, key);
          g_autofree char *suite_key = g_strdup_printf ("%s\t%s", relpath, description);
          const char *reason = g_hash_table_lookup (skips, skip_key);
          g_autofree char *report = NULL;

          if (reason == NULL)
            reason = g_hash_table_lookup (skips, suite_key);
          if (reason != NULL)
            {
              g_printerr ("protocol-output: %s: SKIP %s: %s\n", relpath, key, reason);
              skipped++;
              continue;
            }

          if (run_case (suite, test_case, &report))
            passed++;
          else
            {
              g_printerr ("protocol-output: %s: FAIL %s: %s\n", relpath, key, report);
              failed++;
            }
        }
    }

  g_printerr ("protocol-output %s: %u passed, %u failed, %u skipped\n", relpath, passed, failed, skipped);
  total_passed += passed;
  total_failed += failed;
  total_skipped += skipped;
}

static const char * const output_files[] = {
  "output/json.json",
  "output/json_1_0.json",
  "output/json_1_0-query-compatible.json",
  "output/rest-json.json",
  "output/query.json",
  "output/ec2.json",
  "output/rest-xml.json",
  "legacy/output/ec2.json",
  "legacy/output/json.json",
  "legacy/output/query.json",
  "legacy/output/rest-json.json",
  "legacy/output/rest-xml.json",
};

/* Every output case of the files above (see protocol-suites.h). */
void
protocol_output_run (ProtocolCounts *counts)
{
  conformance_dir = g_getenv ("BOTO_CONFORMANCE_DIR");
  if (conformance_dir == NULL)
    g_error ("BOTO_CONFORMANCE_DIR is not set");
  load_skips ();
  total_passed = total_failed = total_skipped = 0;
  for (guint i = 0; i < G_N_ELEMENTS (output_files); i++)
    test_file (output_files[i]);
  g_clear_pointer (&skips, g_hash_table_unref);
  g_printerr ("protocol-output: %u passed, %u failed, %u skipped\n", total_passed, total_failed, total_skipped);
  counts->passed += total_passed;
  counts->failed += total_failed;
  counts->skipped += total_skipped;
}

#ifndef BOTO_PROTOCOLS_COMBINED
static void
test_protocol_output (void)
{
  ProtocolCounts counts = { 0, 0, 0 };

  protocol_output_run (&counts);
  g_assert_cmpuint (counts.failed, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("BOTO_CONFORMANCE_DIR") == NULL)
    {
      g_printerr ("BOTO_CONFORMANCE_DIR is not set\n");
      return 77;
    }
  g_test_add_func ("/boto/conformance/protocol-output", test_protocol_output);
  return g_test_run ();
}
#endif
