/* test-conformance-protocol-input.c: botocore's protocol input suites
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * Every input case of protocols/input/{json,json_1_0,json_1_0-query-compatible,
 * rest-json,query,ec2,rest-xml}.json and protocols/legacy/input/ (all files) is
 * serialized and compared as botocore's tests/unit/test_protocols.py does
 * (see the conformance README). Cases that cannot pass are listed with a
 * reason in tests/protocol-input-skips.txt.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <boto-glib/boto-glib.h>

#include "test-utils.h"
#include "protocol-suites.h"

#include "boto-protocol-serializer-private.h"
#include "boto-protocol-request-private.h"

static const char *conformance_dir;
static GHashTable *skips;   /* "file\tkey" → reason */

static char *
fixed_uuid (gpointer user_data)
{
  return g_strdup ("00000000-0000-4000-8000-000000000000");
}

/* JSON params to lenient GVariant input ----------------------------------- */

static GVariant *
generic_variant (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        GList *members = json_object_get_members (object);
        GVariantBuilder builder;

        g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{sv}"));
        for (GList *l = members; l != NULL; l = l->next)
          g_variant_builder_add (&builder, "{sv}", (const char *) l->data,
                                 generic_variant (json_object_get_member (object, l->data)));
        g_list_free (members);
        return g_variant_builder_end (&builder);
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        GVariantBuilder builder;

        g_variant_builder_init (&builder, G_VARIANT_TYPE ("av"));
        for (guint i = 0; i < json_array_get_length (array); i++)
          g_variant_builder_add (&builder, "v", generic_variant (json_array_get_element (array, i)));
        return g_variant_builder_end (&builder);
      }
    case JSON_NODE_NULL:
      return g_variant_new_maybe (G_VARIANT_TYPE_VARIANT, NULL);
    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          return g_variant_new_int64 (json_node_get_int (node));
        case G_TYPE_DOUBLE:
          return g_variant_new_double (json_node_get_double (node));
        case G_TYPE_BOOLEAN:
          return g_variant_new_boolean (json_node_get_boolean (node));
        default:
          return g_variant_new_string (json_node_get_string (node));
        }
    }
}

static GVariant *
params_variant (JsonNode  *node,
                BotoShape *shape)
{
  if (shape == NULL || JSON_NODE_HOLDS_NULL (node))
    return generic_variant (node);
  if (boto_shape_get_boolean_trait (shape, "document") ||
      boto_shape_get_boolean_trait (shape, "jsonvalue"))
    return generic_variant (node);

  switch (boto_shape_get_shape_type (shape))
    {
    case BOTO_SHAPE_TYPE_STRUCTURE:
      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *object = json_node_get_object (node);
          GList *members = json_object_get_members (object);
          GVariantBuilder builder;

          g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{sv}"));
          for (GList *l = members; l != NULL; l = l->next)
            g_variant_builder_add (&builder, "{sv}", (const char *) l->data,
                                   params_variant (json_object_get_member (object, l->data),
                                                   boto_shape_get_member (shape, l->data)));
          g_list_free (members);
          return g_variant_builder_end (&builder);
        }
      break;
    case BOTO_SHAPE_TYPE_MAP:
      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *object = json_node_get_object (node);
          GList *members = json_object_get_members (object);
          GVariantBuilder builder;

          g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{sv}"));
          for (GList *l = members; l != NULL; l = l->next)
            g_variant_builder_add (&builder, "{sv}", (const char *) l->data,
                                   params_variant (json_object_get_member (object, l->data),
                                                   boto_shape_get_map_value (shape)));
          g_list_free (members);
          return g_variant_builder_end (&builder);
        }
      break;
    case BOTO_SHAPE_TYPE_LIST:
      if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);
          GVariantBuilder builder;

          g_variant_builder_init (&builder, G_VARIANT_TYPE ("av"));
          for (guint i = 0; i < json_array_get_length (array); i++)
            g_variant_builder_add (&builder, "v",
                                   params_variant (json_array_get_element (array, i),
                                                   boto_shape_get_list_member (shape)));
          return g_variant_builder_end (&builder);
        }
      break;
    case BOTO_SHAPE_TYPE_FLOAT:
    case BOTO_SHAPE_TYPE_DOUBLE:
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        {
          const char *s = json_node_get_string (node);

          if (strcmp (s, "NaN") == 0)
            return g_variant_new_double (NAN);
          if (strcmp (s, "Infinity") == 0)
            return g_variant_new_double (INFINITY);
          if (strcmp (s, "-Infinity") == 0)
            return g_variant_new_double (-INFINITY);
        }
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
        return g_variant_new_double ((double) json_node_get_int (node));
      break;
    case BOTO_SHAPE_TYPE_BLOB:
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        {
          const char *s = json_node_get_string (node);

          return g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, s, strlen (s), 1);
        }
      break;
    case BOTO_SHAPE_TYPE_TIMESTAMP:
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
        return g_variant_new_int64 (json_node_get_int (node) * G_USEC_PER_SEC);
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE)
        return g_variant_new_int64 ((gint64) llround (json_node_get_double (node) * G_USEC_PER_SEC));
      break;
    default:
      break;
    }
  return generic_variant (node);
}

/* Comparisons ----------------------------------------------------------- */

static gboolean
json_equal (JsonNode *a,
            JsonNode *b)
{
  if (JSON_NODE_TYPE (a) != JSON_NODE_TYPE (b))
    return FALSE;
  switch (JSON_NODE_TYPE (a))
    {
    case JSON_NODE_NULL:
      return TRUE;
    case JSON_NODE_ARRAY:
      {
        JsonArray *x = json_node_get_array (a), *y = json_node_get_array (b);

        if (json_array_get_length (x) != json_array_get_length (y))
          return FALSE;
        for (guint i = 0; i < json_array_get_length (x); i++)
          if (!json_equal (json_array_get_element (x, i), json_array_get_element (y, i)))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_OBJECT:
      {
        JsonObject *x = json_node_get_object (a), *y = json_node_get_object (b);
        GList *members;
        gboolean equal = TRUE;

        if (json_object_get_size (x) != json_object_get_size (y))
          return FALSE;
        members = json_object_get_members (x);
        for (GList *l = members; l != NULL && equal; l = l->next)
          equal = json_object_has_member (y, l->data) &&
                  json_equal (json_object_get_member (x, l->data), json_object_get_member (y, l->data));
        g_list_free (members);
        return equal;
      }
    case JSON_NODE_VALUE:
    default:
      {
        GType ta = json_node_get_value_type (a), tb = json_node_get_value_type (b);

        if ((ta == G_TYPE_INT64 || ta == G_TYPE_DOUBLE) && (tb == G_TYPE_INT64 || tb == G_TYPE_DOUBLE))
          {
            double x = ta == G_TYPE_INT64 ? (double) json_node_get_int (a) : json_node_get_double (a);
            double y = tb == G_TYPE_INT64 ? (double) json_node_get_int (b) : json_node_get_double (b);

            return x == y;
          }
        if (ta != tb)
          return FALSE;
        if (ta == G_TYPE_BOOLEAN)
          return json_node_get_boolean (a) == json_node_get_boolean (b);
        return g_strcmp0 (json_node_get_string (a), json_node_get_string (b)) == 0;
      }
    }
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_data (parser, text, -1, NULL) || json_parser_get_root (parser) == NULL)
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

typedef struct
{
  GString *out;
} Canon;

static void
canon_escape (GString    *out,
              const char *text,
              gsize       len)
{
  g_autofree char *escaped = g_markup_escape_text (text, len);

  g_string_append (out, escaped);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
canon_start (GMarkupParseContext  *context,
             const char           *name,
             const char          **attr_names,
             const char          **attr_values,
             gpointer              user_data,
             GError              **error)
{
  Canon *canon = user_data;
  g_autoptr(GPtrArray) attrs = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; attr_names[i] != NULL; i++)
    {
      GString *attr = g_string_new (attr_names[i]);

      g_string_append (attr, "=\"");
      canon_escape (attr, attr_values[i], strlen (attr_values[i]));
      g_string_append_c (attr, '"');
      g_ptr_array_add (attrs, g_string_free (attr, FALSE));
    }
  g_ptr_array_sort (attrs, compare_strings);
  g_string_append_printf (canon->out, "<%s", name);
  for (guint i = 0; i < attrs->len; i++)
    g_string_append_printf (canon->out, " %s", (char *) g_ptr_array_index (attrs, i));
  g_string_append_c (canon->out, '>');
}

static void
canon_end (GMarkupParseContext  *context,
           const char           *name,
           gpointer              user_data,
           GError              **error)
{
  Canon *canon = user_data;

  g_string_append_printf (canon->out, "</%s>", name);
}

static void
canon_text (GMarkupParseContext  *context,
            const char           *text,
            gsize                 len,
            gpointer              user_data,
            GError              **error)
{
  Canon *canon = user_data;
  const char *start = text, *end = text + len;

  while (start < end && g_ascii_isspace (*start))
    start++;
  while (end > start && g_ascii_isspace (end[-1]))
    end--;
  if (end > start)
    canon_escape (canon->out, start, end - start);
}

/* C14N-ish: attributes sorted, text stripped, whitespace between elements
 * dropped, no declaration. NULL if @xml does not parse. */
static char *
canonical_xml (const char *xml)
{
  static const GMarkupParser parser = { canon_start, canon_end, canon_text, NULL, NULL };
  Canon canon = { g_string_new (NULL) };
  GMarkupParseContext *context;
  const char *start = xml;
  gboolean ok;

  while (g_ascii_isspace (*start))
    start++;
  if (g_str_has_prefix (start, "<?xml"))
    {
      const char *end = strstr (start, "?>");

      if (end != NULL)
        start = end + 2;
    }
  context = g_markup_parse_context_new (&parser, 0, &canon, NULL);
  ok = g_markup_parse_context_parse (context, start, -1, NULL) &&
       g_markup_parse_context_end_parse (context, NULL);
  g_markup_parse_context_free (context);
  if (!ok)
    {
      g_string_free (canon.out, TRUE);
      return NULL;
    }
  return g_string_free (canon.out, FALSE);
}

static GBytes *
gunzip (GBytes *data)
{
  g_autoptr(GZlibDecompressor) decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GInputStream) source = g_memory_input_stream_new_from_bytes (data);
  g_autoptr(GInputStream) converted = g_converter_input_stream_new (source, G_CONVERTER (decompressor));
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();

  if (g_output_stream_splice (sink, converted,
                              G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                              NULL, NULL) < 0)
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (sink));
}

/* The runner --------------------------------------------------------------- */

/* Is @header a list member of @input? *out_timestamps tells whether its
 * elements are timestamps. */
static gboolean
is_list_header (BotoShape  *input,
                const char *header,
                gboolean   *out_timestamps)
{
  g_auto(GStrv) names = input != NULL ? boto_shape_get_member_names (input) : g_new0 (char *, 1);

  for (guint i = 0; names[i] != NULL; i++)
    {
      BotoShape *member = boto_shape_get_member (input, names[i]);
      const char *location_name = boto_shape_get_location_name (member);

      if (g_strcmp0 (boto_shape_get_location (member), "header") == 0 &&
          location_name != NULL && g_ascii_strcasecmp (location_name, header) == 0)
        {
          if (boto_shape_get_shape_type (member) != BOTO_SHAPE_TYPE_LIST)
            return FALSE;
          *out_timestamps = boto_shape_get_shape_type (boto_shape_get_list_member (member)) ==
                            BOTO_SHAPE_TYPE_TIMESTAMP;
          return TRUE;
        }
    }
  return FALSE;
}

typedef ProtocolCounts Counts;

static gboolean
check_case (const char       *protocol,
            JsonObject       *metadata,
            JsonObject       *shapes,
            JsonObject       *test_case,
            const char       *client_endpoint,
            GString          *why)
{
  JsonObject *given = json_object_get_object_member (test_case, "given");
  JsonObject *serialized = json_object_get_object_member (test_case, "serialized");
  const char *op_name = json_object_get_string_member (given, "name");
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoServiceModel) model = NULL;
  BotoOperationModel *op;
  g_autoptr(GVariant) params = NULL;
  g_autoptr(BotoHttpRequest) request = NULL;
  g_autofree char *query = NULL;
  g_autofree char *uri = NULL;
  GBytes *body;
  g_autofree char *actual_body = NULL;
  g_autoptr(GBytes) uncompressed = NULL;
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);

  model = test_model_for_operation (metadata, shapes, given, &error);
  if (model == NULL)
    {
      g_string_append_printf (why, "model: %s", error->message);
      return FALSE;
    }
  op = boto_service_model_get_operation (model, op_name, &error);
  if (op == NULL)
    {
      g_string_append_printf (why, "operation: %s", error->message);
      return FALSE;
    }

  if (!json_object_has_member (test_case, "params"))
    json_object_set_object_member (test_case, "params", json_object_new ());
  params = g_variant_ref_sink (params_variant (json_object_get_member (test_case, "params"),
                                               boto_operation_model_get_input_shape (op)));
  request = boto_protocol_serialize_request_unvalidated (model, op, protocol, params,
                                                         client_endpoint, &error);
  if (request == NULL)
    {
      g_string_append_printf (why, "serialize: %s", error->message);
      return FALSE;
    }
  /* What the client does next, as botocore's client does before sending:
   * compression with the default configuration, then checksums. The
   * compressed body must inflate to the serialized one. */
  uncompressed = g_bytes_ref (boto_http_request_get_body (request) != NULL
                              ? boto_http_request_get_body (request) : empty);
  if (!boto_protocol_compress_request (request, op, BOTO_REQUEST_MIN_COMPRESSION_SIZE_DEFAULT, &error) ||
      !boto_protocol_add_request_checksum (request, op, params, TRUE, &error))
    {
      g_string_append_printf (why, "compress/checksum: %s", error->message);
      return FALSE;
    }
  if (boto_http_request_get_body (request) != NULL &&
      boto_http_request_get_body (request) != uncompressed)
    {
      g_autoptr(GBytes) inflated = gunzip (boto_http_request_get_body (request));

      if (inflated == NULL || !g_bytes_equal (inflated, uncompressed))
        g_string_append (why, "compressed body does not inflate to the serialized body; ");
      else
        {
          /* The suites give no compressed body to compare: compare the
           * serialized one. */
          boto_http_request_set_body (request, uncompressed);
        }
    }

  /* uri */
  query = boto_http_request_dup_query_string (request);
  uri = *query != '\0'
        ? g_strdup_printf ("%s?%s", boto_http_request_get_encoded_path (request), query)
        : g_strdup (boto_http_request_get_encoded_path (request));
  if (json_object_has_member (serialized, "uri") &&
      strcmp (uri, json_object_get_string_member (serialized, "uri")) != 0)
    g_string_append_printf (why, "uri: got %s, want %s; ", uri,
                            json_object_get_string_member (serialized, "uri"));

  if (json_object_has_member (serialized, "method") &&
      strcmp (boto_http_request_get_method (request),
              json_object_get_string_member (serialized, "method")) != 0)
    g_string_append_printf (why, "method: got %s; ", boto_http_request_get_method (request));

  body = boto_http_request_get_body (request);
  actual_body = body != NULL && g_bytes_get_size (body) > 0
                ? g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body))
                : g_strdup ("");
  if (json_object_has_member (serialized, "body"))
    {
      const char *expected = json_object_get_string_member (serialized, "body");
      gboolean same;

      if (expected == NULL)
        expected = "";

      if (g_str_has_prefix (protocol, "json") || strcmp (protocol, "rest-json") == 0)
        {
          g_autoptr(JsonNode) a = parse_json (actual_body);
          g_autoptr(JsonNode) b = parse_json (expected);

          if (a != NULL && b != NULL)
            same = json_equal (a, b);
          else if (strcmp (protocol, "rest-json") == 0 || (a == NULL && b == NULL))
            same = strcmp (actual_body, expected) == 0;
          else
            same = FALSE;
        }
      else if (strcmp (protocol, "rest-xml") == 0)
        {
          g_autofree char *a = canonical_xml (actual_body);
          g_autofree char *b = canonical_xml (expected);

          same = a != NULL && b != NULL ? strcmp (a, b) == 0 : strcmp (actual_body, expected) == 0;
        }
      else
        same = strcmp (actual_body, expected) == 0;

      if (!same)
        g_string_append_printf (why, "body: got «%s», want «%s»; ", actual_body, expected);
    }

  if (json_object_has_member (serialized, "headers"))
    {
      JsonObject *headers = json_object_get_object_member (serialized, "headers");
      GList *names = json_object_get_members (headers);

      for (GList *l = names; l != NULL; l = l->next)
        {
          const char *name = l->data;
          const char *want = json_object_get_string_member (headers, name);
          const char *got = boto_http_request_get_header (request, name);
          g_autofree char *want_fixed = NULL;
          g_autofree char *got_fixed = NULL;
          gboolean timestamps = FALSE;

          if (g_ascii_strcasecmp (name, "Content-Type") == 0)
            {
              if (strcmp (protocol, "rest-xml") == 0)
                continue;
              if (strcmp (protocol, "rest-json") == 0 && strcmp (want, "application/json") != 0)
                continue;
              if ((strcmp (protocol, "query") == 0 || strcmp (protocol, "ec2") == 0) &&
                  strstr (want, "charset") == NULL)
                want = want_fixed = g_strconcat (want, "; charset=utf-8", NULL);
            }
          /* botocore's _clean_list_header_values: list headers are compared
           * with ", " turned into ","; for lists of timestamps on both sides
           * (the RFC 822 dates have commas of their own). */
          if (want_fixed == NULL &&
              is_list_header (boto_operation_model_get_input_shape (op), name, &timestamps))
            {
              g_auto(GStrv) parts = g_strsplit (want, ", ", -1);

              want = want_fixed = g_strjoinv (",", parts);
              if (timestamps && got != NULL)
                {
                  g_auto(GStrv) got_parts = g_strsplit (got, ", ", -1);

                  got = got_fixed = g_strjoinv (",", got_parts);
                }
            }
          if (g_strcmp0 (got, want) != 0)
            g_string_append_printf (why, "header %s: got %s, want %s; ", name,
                                    got != NULL ? got : "(none)", want);
        }
      g_list_free (names);
    }

  if (json_object_has_member (serialized, "forbidHeaders"))
    {
      JsonArray *forbid = json_object_get_array_member (serialized, "forbidHeaders");

      for (guint i = 0; i < json_array_get_length (forbid); i++)
        {
          const char *name = json_array_get_string_element (forbid, i);

          if (boto_http_request_get_header (request, name) != NULL)
            g_string_append_printf (why, "forbidden header %s present; ", name);
        }
    }

  if (json_object_has_member (serialized, "host"))
    {
      g_autofree char *host = boto_http_request_dup_host_header (request);
      const char *want = json_object_get_string_member (serialized, "host");

      const char *slash = strchr (want, '/');

      /* Smithy's host is the endpoint the client was given, without the
       * scheme; its path (HostWithPath) must lead the request's path. */
      if (slash != NULL)
        {
          g_autofree char *want_host = g_strndup (want, slash - want);

          if (strcmp (host, want_host) != 0 ||
              !g_str_has_prefix (boto_http_request_get_encoded_path (request), slash))
            g_string_append_printf (why, "host: got %s%s, want %s; ", host,
                                    boto_http_request_get_encoded_path (request), want);
        }
      else if (strcmp (host, want) != 0)
        g_string_append_printf (why, "host: got %s, want %s; ", host, want);
    }

  return why->len == 0;
}

static void
run_file (const char *relative,
          const char *skip_key,
          Counts     *total)
{
  g_autofree char *path = g_build_filename (conformance_dir, "protocols", relative, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *suites;
  Counts counts = { 0, 0, 0 };

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  suites = json_node_get_array (json_parser_get_root (parser));

  for (guint s = 0; s < json_array_get_length (suites); s++)
    {
      JsonObject *suite = json_array_get_object_element (suites, s);
      JsonObject *metadata = json_object_get_object_member (suite, "metadata");
      JsonObject *shapes = json_object_get_object_member (suite, "shapes");
      JsonArray *cases = json_object_get_array_member (suite, "cases");
      const char *description = json_object_get_string_member (suite, "description");
      const char *protocol = json_object_get_string_member (metadata, "protocol");
      const char *endpoint = json_object_has_member (suite, "clientEndpoint")
                             ? json_object_get_string_member (suite, "clientEndpoint")
                             : "https://example.com";

      for (guint c = 0; c < json_array_get_length (cases); c++)
        {
          JsonObject *test_case = json_array_get_object_element (cases, c);
          const char *id = json_object_has_member (test_case, "id")
                           ? json_object_get_string_member (test_case, "id") : NULL;
          g_autofree char *key_id = g_strdup_printf ("%s\t%s", skip_key, id != NULL ? id : "");
          g_autofree char *key_suite = g_strdup_printf ("%s\t%s", skip_key, description);
          g_autofree char *key_index = g_strdup_printf ("%s\t%s#%u", skip_key, description, c);
          const char *reason = NULL;
          g_autoptr(GString) why = g_string_new (NULL);

          if (id != NULL)
            reason = g_hash_table_lookup (skips, key_id);
          if (reason == NULL)
            reason = g_hash_table_lookup (skips, key_index);
          if (reason == NULL)
            reason = g_hash_table_lookup (skips, key_suite);
          if (reason != NULL)
            {
              g_printerr ("SKIP %s %s: %s\n", skip_key, id != NULL ? id : key_index + strlen (skip_key) + 1,
                          reason);
              counts.skipped++;
              continue;
            }

          if (check_case (protocol, metadata, shapes, test_case, endpoint, why))
            counts.passed++;
          else
            {
              g_printerr ("FAIL %s %s [%s #%u]: %s\n", skip_key, id != NULL ? id : "-",
                          description, c, why->str);
              counts.failed++;
            }
        }
    }

  g_printerr ("protocol-input %s: %u passed, %u failed, %u skipped\n",
              skip_key, counts.passed, counts.failed, counts.skipped);
  total->passed += counts.passed;
  total->failed += counts.failed;
  total->skipped += counts.skipped;
}

static void
load_skips (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("BOTO_SOURCE_DIR") != NULL
                                            ? g_getenv ("BOTO_SOURCE_DIR") : SRCDIR,
                                            "protocol-input-skips.txt", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  skips = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;

      if (*lines[i] == '\0' || *lines[i] == '#')
        continue;
      fields = g_strsplit (lines[i], "\t", 3);
      if (g_strv_length (fields) < 3)
        continue;
      g_hash_table_insert (skips, g_strdup_printf ("%s\t%s", fields[0], fields[1]),
                           g_strdup (fields[2]));
    }
}

/* Every input case of the files below (see protocol-suites.h). */
void
protocol_input_run (ProtocolCounts *counts)
{
  static const char *files[] = {
    "input/json.json", "input/json_1_0.json", "input/json_1_0-query-compatible.json",
    "input/rest-json.json", "input/query.json", "input/ec2.json", "input/rest-xml.json",
    "legacy/input/json.json", "legacy/input/rest-json.json", "legacy/input/query.json",
    "legacy/input/ec2.json", "legacy/input/rest-xml.json",
  };
  Counts total = { 0, 0, 0 };

  conformance_dir = g_getenv ("BOTO_CONFORMANCE_DIR");
  g_assert_nonnull (conformance_dir);
  load_skips ();
  boto_protocol_set_uuid_func_for_testing (fixed_uuid, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    run_file (files[i], files[i], &total);
  boto_protocol_set_uuid_func_for_testing (NULL, NULL);

  g_printerr ("protocol-input: %u passed, %u failed, %u skipped\n",
              total.passed, total.failed, total.skipped);
  g_clear_pointer (&skips, g_hash_table_unref);
  counts->passed += total.passed;
  counts->failed += total.failed;
  counts->skipped += total.skipped;
}

#ifndef BOTO_PROTOCOLS_COMBINED
static void
test_protocol_input (void)
{
  ProtocolCounts counts = { 0, 0, 0 };

  protocol_input_run (&counts);
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

  g_test_add_func ("/boto/conformance/protocol-input", test_protocol_input);

  return g_test_run ();
}
#endif
