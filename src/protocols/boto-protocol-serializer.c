/* boto-protocol-serializer.c: the request serializers of the wire protocols
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "boto-error.h"
#include "boto-model-private.h"
#include "boto-protocol-serializer-private.h"
#include "boto-protocol-rpcv2-cbor-private.h"
#include "boto-protocol-value-private.h"

/*
 * One serializer per protocol family, each writing straight into a
 * BotoHttpRequest, in botocore's order and with its formatting:
 *
 * - query / ec2: a form-urlencoded body `Action=…&Version=…&…` whose names
 *   are built from member paths (`A.member.1`, `M.entry.1.key`; ec2 names
 *   lists `A.1` and prefers `queryName`);
 * - json: a JSON body, `X-Amz-Target` and `Content-Type` from the metadata;
 * - rest-json / rest-xml: members placed by their `location` (URI labels,
 *   query string, headers, header maps), the rest or the `payload` member
 *   in a JSON or XML body.
 *
 * The input is walked in the caller's order (a{sv} keeps it), which is the
 * order of the query body and of the query string, as in botocore.
 */

typedef enum
{
  PROTO_QUERY,
  PROTO_EC2,
  PROTO_JSON,
  PROTO_REST_JSON,
  PROTO_REST_XML,
} Proto;

typedef struct
{
  Proto proto;
  gboolean strip_bucket;
} Ctx;

static BotoProtocolUuidFunc uuid_func;
static gpointer uuid_func_data;

void
boto_protocol_set_uuid_func_for_testing (BotoProtocolUuidFunc func,
                                         gpointer             user_data)
{
  uuid_func = func;
  uuid_func_data = user_data;
}

static char *
new_uuid (void)
{
  if (uuid_func != NULL)
    return uuid_func (uuid_func_data);
  return g_uuid_string_random ();
}

/* Common helpers ---------------------------------------------------------- */

static const char *
serialized_name (BotoShape  *member,
                 const char *fallback)
{
  const char *name = boto_shape_get_location_name (member);

  return name != NULL ? name : fallback;
}

static const char *
timestamp_format (BotoShape  *shape,
                  const char *fallback)
{
  g_autoptr(GVariant) format = boto_shape_dup_trait (shape, "timestampFormat");

  if (format != NULL && g_variant_is_of_type (format, G_VARIANT_TYPE_STRING))
    {
      const char *f = g_variant_get_string (format, NULL);

      if (g_ascii_strcasecmp (f, "iso8601") == 0)
        return "iso8601";
      if (g_ascii_strcasecmp (f, "rfc822") == 0)
        return "rfc822";
      if (g_ascii_strcasecmp (f, "unixtimestamp") == 0)
        return "unixtimestamp";
    }
  return fallback;
}

static void
append_timestamp (GString    *out,
                  gint64      usec,
                  const char *format)
{
  if (strcmp (format, "rfc822") == 0)
    boto_format_timestamp_rfc822 (out, usec);
  else if (strcmp (format, "unixtimestamp") == 0)
    boto_format_timestamp_unix (out, usec);
  else
    boto_format_timestamp_iso8601 (out, usec);
}

static void
append_base64 (GString  *out,
               GVariant *value)
{
  const guint8 *data;
  gsize len;

  if (boto_value_get_blob (value, &data, &len))
    {
      g_autofree char *b64 = g_base64_encode (data, len);

      g_string_append (out, b64);
    }
}

/* A scalar as text: strings as they are, integers in decimal, booleans
 * `true`/`false`, floats as Python writes them (NaN, Infinity), timestamps
 * in @ts_format unless the shape says otherwise, blobs in base64 when
 * @blob_base64 (else their bytes). */
static void
append_scalar (GString    *out,
               BotoShape  *shape,
               GVariant   *value,
               const char *ts_format,
               gboolean    blob_base64)
{
  gint64 i;
  gboolean overflow;
  double d;

  switch (boto_shape_get_shape_type (shape))
    {
    case BOTO_SHAPE_TYPE_BOOLEAN:
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
        g_string_append (out, g_variant_get_boolean (value) ? "true" : "false");
      return;
    case BOTO_SHAPE_TYPE_FLOAT:
    case BOTO_SHAPE_TYPE_DOUBLE:
      if (boto_value_get_double (value, &d))
        boto_format_double_special (out, d);
      return;
    case BOTO_SHAPE_TYPE_TIMESTAMP:
      if (boto_value_get_timestamp (value, &i))
        append_timestamp (out, i, timestamp_format (shape, ts_format));
      return;
    case BOTO_SHAPE_TYPE_BLOB:
      if (blob_base64)
        append_base64 (out, value);
      else
        {
          const guint8 *data;
          gsize len;

          if (boto_value_get_blob (value, &data, &len))
            g_string_append_len (out, (const char *) data, len);
        }
      return;
    default:
      break;
    }

  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    g_string_append (out, g_variant_get_string (value, NULL));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT64))
    g_string_append_printf (out, "%" G_GUINT64_FORMAT, g_variant_get_uint64 (value));
  else if (boto_value_get_int64 (value, &i, &overflow))
    g_string_append_printf (out, "%" G_GINT64_FORMAT, i);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    boto_format_double_special (out, g_variant_get_double (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    g_string_append (out, g_variant_get_boolean (value) ? "true" : "false");
}

static char *
scalar_to_string (BotoShape  *shape,
                  GVariant   *raw,
                  const char *ts_format)
{
  g_autoptr(GVariant) value = boto_value_unwrap (raw);
  GString *out = g_string_new (NULL);

  append_scalar (out, shape, value, ts_format, TRUE);
  return g_string_free (out, FALSE);
}

/* The children of a list value, unwrapped, as new references. */
static GPtrArray *
list_items (GVariant *value)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);

  if (value != NULL && boto_value_is_list (value))
    {
      gsize n = g_variant_n_children (value);

      for (gsize i = 0; i < n; i++)
        {
          g_autoptr(GVariant) child = g_variant_get_child_value (value, i);

          g_ptr_array_add (items, boto_value_unwrap (child));
        }
    }
  return items;
}

/* Query and EC2 --------------------------------------------------------- */

typedef struct
{
  GPtrArray  *names;   /* char* */
  GPtrArray  *values;  /* char* */
  GHashTable *index;   /* name → position + 1, borrowed names */
} Form;

static void
form_set (Form       *form,
          const char *name,
          char       *value /* (transfer full) */)
{
  guint pos = GPOINTER_TO_UINT (g_hash_table_lookup (form->index, name));

  /* Like a Python dict: a name set again keeps its place. */
  if (pos > 0)
    {
      g_free (form->values->pdata[pos - 1]);
      form->values->pdata[pos - 1] = value;
      return;
    }
  g_ptr_array_add (form->names, g_strdup (name));
  g_ptr_array_add (form->values, value);
  g_hash_table_insert (form->index, g_ptr_array_index (form->names, form->names->len - 1),
                       GUINT_TO_POINTER (form->names->len));
}

static const char *
ec2_name (BotoShape  *shape,
          const char *fallback,
          char      **to_free)
{
  g_autoptr(GVariant) query_name = boto_shape_dup_trait (shape, "queryName");
  const char *location_name;

  *to_free = NULL;
  if (query_name != NULL && g_variant_is_of_type (query_name, G_VARIANT_TYPE_STRING))
    {
      *to_free = g_variant_dup_string (query_name, NULL);
      return *to_free;
    }
  location_name = boto_shape_get_location_name (shape);
  if (location_name != NULL && *location_name != '\0')
    {
      *to_free = g_strdup (location_name);
      (*to_free)[0] = g_ascii_toupper ((*to_free)[0]);
      return *to_free;
    }
  /* Smithy's ec2 protocol capitalises the member name too. */
  if (fallback != NULL && g_ascii_islower (fallback[0]))
    {
      *to_free = g_strdup (fallback);
      (*to_free)[0] = g_ascii_toupper ((*to_free)[0]);
      return *to_free;
    }
  return fallback;
}

static const char *
query_name (Ctx        *ctx,
            BotoShape  *shape,
            const char *fallback,
            char      **to_free)
{
  if (ctx->proto == PROTO_EC2)
    return ec2_name (shape, fallback, to_free);
  *to_free = NULL;
  return serialized_name (shape, fallback);
}

static void query_serialize (Ctx *ctx, Form *form, BotoShape *shape, GVariant *raw, const char *prefix);

static void
query_serialize_structure (Ctx        *ctx,
                           Form       *form,
                           BotoShape  *shape,
                           GVariant   *value,
                           const char *prefix)
{
  GVariantIter iter;
  const char *key;
  GVariant *child;

  if (!boto_value_is_dict (value))
    return;
  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "{&s@*}", &key, &child))
    {
      BotoShape *member = boto_shape_get_member (shape, key);

      if (member != NULL)
        {
          g_autofree char *to_free = NULL;
          const char *name = query_name (ctx, member, key, &to_free);
          g_autofree char *member_prefix = *prefix != '\0'
                                           ? g_strdup_printf ("%s.%s", prefix, name)
                                           : g_strdup (name);

          query_serialize (ctx, form, member, child, member_prefix);
        }
      g_variant_unref (child);
    }
}

static void
query_serialize_list (Ctx        *ctx,
                      Form       *form,
                      BotoShape  *shape,
                      GVariant   *value,
                      const char *prefix)
{
  BotoShape *member = boto_shape_get_list_member (shape);
  g_autoptr(GPtrArray) items = list_items (value);
  g_autofree char *list_prefix = NULL;

  if (member == NULL)
    return;

  if (ctx->proto == PROTO_EC2)
    list_prefix = g_strdup (prefix);
  else if (items->len == 0)
    {
      form_set (form, prefix, g_strdup (""));
      return;
    }
  else if (boto_shape_get_boolean_trait (shape, "flattened"))
    {
      /* botocore puts the list member's locationName in place of the
       * last component, unless the structure member names itself (Smithy:
       * the member's xmlName wins, QueryFlattenedListArgWithXmlName). */
      BotoMemberDef *def = boto_shape_get_member_def (shape);
      const char *own = def != NULL ? boto_model_variant_get_string (def->traits, "locationName") : NULL;
      const char *name = boto_shape_get_location_name (member);
      const char *dot = strrchr (prefix, '.');

      if (name == NULL || own != NULL)
        list_prefix = g_strdup (prefix);
      else if (dot != NULL)
        list_prefix = g_strdup_printf ("%.*s.%s", (int) (dot - prefix), prefix, name);
      else
        list_prefix = g_strdup (name);
    }
  else
    list_prefix = g_strdup_printf ("%s.%s", prefix, serialized_name (member, "member"));

  for (guint i = 0; i < items->len; i++)
    {
      g_autofree char *item_prefix = g_strdup_printf ("%s.%u", list_prefix, i + 1);

      query_serialize (ctx, form, member, g_ptr_array_index (items, i), item_prefix);
    }
}

static void
query_serialize_map (Ctx        *ctx,
                     Form       *form,
                     BotoShape  *shape,
                     GVariant   *value,
                     const char *prefix)
{
  BotoShape *key_shape = boto_shape_get_map_key (shape);
  BotoShape *value_shape = boto_shape_get_map_value (shape);
  g_autofree char *key_free = NULL;
  g_autofree char *value_free = NULL;
  g_autofree char *full_prefix = NULL;
  const char *key_suffix;
  const char *value_suffix;
  GVariantIter iter;
  GVariant *key;
  GVariant *child;
  guint i = 0;

  if (key_shape == NULL || value_shape == NULL || !boto_value_is_dict (value))
    return;

  full_prefix = boto_shape_get_boolean_trait (shape, "flattened")
                ? g_strdup (prefix) : g_strdup_printf ("%s.entry", prefix);
  key_suffix = boto_shape_get_location_name (key_shape) != NULL
               ? query_name (ctx, key_shape, "key", &key_free) : "key";
  value_suffix = boto_shape_get_location_name (value_shape) != NULL
                 ? query_name (ctx, value_shape, "value", &value_free) : "value";

  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "{@s@*}", &key, &child))
    {
      g_autofree char *key_prefix = g_strdup_printf ("%s.%u.%s", full_prefix, ++i, key_suffix);
      g_autofree char *value_prefix = g_strdup_printf ("%s.%u.%s", full_prefix, i, value_suffix);

      query_serialize (ctx, form, key_shape, key, key_prefix);
      query_serialize (ctx, form, value_shape, child, value_prefix);
      g_variant_unref (key);
      g_variant_unref (child);
    }
}

static void
query_serialize (Ctx        *ctx,
                 Form       *form,
                 BotoShape  *shape,
                 GVariant   *raw,
                 const char *prefix)
{
  g_autoptr(GVariant) value = boto_value_unwrap (raw);

  if (boto_value_is_null (value))
    return;

  switch (boto_shape_get_shape_type (shape))
    {
    case BOTO_SHAPE_TYPE_STRUCTURE:
      query_serialize_structure (ctx, form, shape, value, prefix);
      break;
    case BOTO_SHAPE_TYPE_LIST:
      query_serialize_list (ctx, form, shape, value, prefix);
      break;
    case BOTO_SHAPE_TYPE_MAP:
      query_serialize_map (ctx, form, shape, value, prefix);
      break;
    default:
      {
        GString *text = g_string_new (NULL);

        append_scalar (text, shape, value, "iso8601", TRUE);
        form_set (form, prefix, g_string_free (text, FALSE));
      }
      break;
    }
}

/* As Python's urlencode (quote_plus): a space is `+`. */
static void
form_encode_append (GString    *out,
                    const char *str)
{
  static const char hex[] = "0123456789ABCDEF";

  for (const guchar *p = (const guchar *) str; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~')
        g_string_append_c (out, (char) *p);
      else if (*p == ' ')
        g_string_append_c (out, '+');
      else
        {
          g_string_append_c (out, '%');
          g_string_append_c (out, hex[*p >> 4]);
          g_string_append_c (out, hex[*p & 0xf]);
        }
    }
}

static void
serialize_query (Ctx                *ctx,
                 BotoServiceModel   *service,
                 BotoOperationModel *op,
                 GVariant           *params,
                 BotoHttpRequest    *request)
{
  BotoShape *input = boto_operation_model_get_input_shape (op);
  const char *api_version = boto_service_model_get_api_version (service);
  Form form;
  GString *body = g_string_new (NULL);

  form.names = g_ptr_array_new_with_free_func (g_free);
  form.values = g_ptr_array_new_with_free_func (g_free);
  form.index = g_hash_table_new (g_str_hash, g_str_equal);

  form_set (&form, "Action", g_strdup (boto_operation_model_get_name (op)));
  form_set (&form, "Version", g_strdup (api_version != NULL ? api_version : ""));
  if (input != NULL)
    query_serialize (ctx, &form, input, params, "");

  for (guint i = 0; i < form.names->len; i++)
    {
      if (i > 0)
        g_string_append_c (body, '&');
      form_encode_append (body, g_ptr_array_index (form.names, i));
      g_string_append_c (body, '=');
      form_encode_append (body, g_ptr_array_index (form.values, i));
    }

  boto_http_request_set_header (request, "Content-Type",
                                "application/x-www-form-urlencoded; charset=utf-8");
  {
    /* set_body takes its own reference. */
    gsize len = body->len;
    g_autoptr(GBytes) bytes = g_bytes_new_take (g_string_free (body, FALSE), len);

    boto_http_request_set_body (request, bytes);
  }

  g_hash_table_unref (form.index);
  g_ptr_array_unref (form.names);
  g_ptr_array_unref (form.values);
}

/* JSON --------------------------------------------------------------------- */

static gboolean
is_document (BotoShape *shape)
{
  return boto_shape_get_boolean_trait (shape, "document");
}

static void json_serialize (GString *out, BotoShape *shape, GVariant *raw);

/* Writes a structure's members; with @body_only, only those the REST
 * protocols put in the body (no `location`). */
static void
json_serialize_structure (GString   *out,
                          BotoShape *shape,
                          GVariant  *value,
                          gboolean   body_only)
{
  GVariantIter iter;
  const char *key;
  GVariant *child;
  gboolean first = TRUE;

  g_string_append_c (out, '{');
  if (boto_value_is_dict (value))
    {
      g_variant_iter_init (&iter, value);
      while (g_variant_iter_next (&iter, "{&s@*}", &key, &child))
        {
          BotoShape *member = boto_shape_get_member (shape, key);
          g_autoptr(GVariant) inner = boto_value_unwrap (child);

          /* Null members are left out. */
          if (member != NULL && !boto_value_is_null (inner) &&
              !(body_only && boto_shape_get_location (member) != NULL))
            {
              if (!first)
                g_string_append_c (out, ',');
              first = FALSE;
              boto_json_append_string (out, serialized_name (member, key), -1);
              g_string_append_c (out, ':');
              json_serialize (out, member, child);
            }
          g_variant_unref (child);
        }
    }
  g_string_append_c (out, '}');
}

static void
json_serialize (GString   *out,
                BotoShape *shape,
                GVariant  *raw)
{
  g_autoptr(GVariant) value = boto_value_unwrap (raw);

  if (boto_value_is_null (value))
    {
      g_string_append (out, "null");
      return;
    }
  if (is_document (shape))
    {
      boto_json_append_generic (out, value);
      return;
    }

  switch (boto_shape_get_shape_type (shape))
    {
    case BOTO_SHAPE_TYPE_STRUCTURE:
      json_serialize_structure (out, shape, value, FALSE);
      break;
    case BOTO_SHAPE_TYPE_LIST:
      {
        BotoShape *member = boto_shape_get_list_member (shape);
        g_autoptr(GPtrArray) items = list_items (value);

        g_string_append_c (out, '[');
        for (guint i = 0; member != NULL && i < items->len; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            json_serialize (out, member, g_ptr_array_index (items, i));
          }
        g_string_append_c (out, ']');
      }
      break;
    case BOTO_SHAPE_TYPE_MAP:
      {
        BotoShape *value_shape = boto_shape_get_map_value (shape);
        GVariantIter iter;
        const char *key;
        GVariant *child;
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        if (value_shape != NULL && boto_value_is_dict (value))
          {
            g_variant_iter_init (&iter, value);
            while (g_variant_iter_next (&iter, "{&s@*}", &key, &child))
              {
                if (!first)
                  g_string_append_c (out, ',');
                first = FALSE;
                boto_json_append_string (out, key, -1);
                g_string_append_c (out, ':');
                json_serialize (out, value_shape, child);
                g_variant_unref (child);
              }
          }
        g_string_append_c (out, '}');
      }
      break;
    case BOTO_SHAPE_TYPE_STRING:
    case BOTO_SHAPE_TYPE_CHARACTER:
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        {
          gsize len;
          const char *s = g_variant_get_string (value, &len);

          boto_json_append_string (out, s, len);
        }
      else
        boto_json_append_generic (out, value);
      break;
    case BOTO_SHAPE_TYPE_BLOB:
      {
        GString *b64 = g_string_new (NULL);

        append_base64 (b64, value);
        boto_json_append_string (out, b64->str, b64->len);
        g_string_free (b64, TRUE);
      }
      break;
    case BOTO_SHAPE_TYPE_TIMESTAMP:
      {
        gint64 usec;
        const char *format = timestamp_format (shape, "unixtimestamp");

        if (!boto_value_get_timestamp (value, &usec))
          g_string_append (out, "null");
        else if (strcmp (format, "unixtimestamp") == 0)
          boto_format_timestamp_unix (out, usec);
        else
          {
            GString *text = g_string_new (NULL);

            append_timestamp (text, usec, format);
            boto_json_append_string (out, text->str, text->len);
            g_string_free (text, TRUE);
          }
      }
      break;
    case BOTO_SHAPE_TYPE_FLOAT:
    case BOTO_SHAPE_TYPE_DOUBLE:
      {
        double d;

        if (!boto_value_get_double (value, &d))
          g_string_append (out, "null");
        else if (isfinite (d))
          boto_format_double (out, d);
        else
          {
            GString *text = g_string_new (NULL);

            boto_format_double_special (text, d);
            boto_json_append_string (out, text->str, text->len);
            g_string_free (text, TRUE);
          }
      }
      break;
    default:
      boto_json_append_generic (out, value);
      break;
    }
}

static void
serialize_json (BotoServiceModel   *service,
                BotoOperationModel *op,
                GVariant           *params,
                BotoHttpRequest    *request)
{
  BotoShape *input = boto_operation_model_get_input_shape (op);
  const char *target_prefix = boto_service_model_get_target_prefix (service);
  const char *json_version = boto_service_model_get_json_version (service);
  g_autofree char *target = NULL;
  g_autofree char *content_type = NULL;
  GString *body = g_string_new (NULL);
  GVariant *metadata = boto_service_model_get_metadata (service);
  g_autoptr(GVariant) query_compatible = NULL;

  target = g_strdup_printf ("%s.%s", target_prefix != NULL ? target_prefix : "",
                            boto_operation_model_get_name (op));
  content_type = g_strdup_printf ("application/x-amz-json-%s",
                                  json_version != NULL ? json_version : "1.0");
  boto_http_request_set_header (request, "X-Amz-Target", target);
  boto_http_request_set_header (request, "Content-Type", content_type);

  if (metadata != NULL)
    query_compatible = g_variant_lookup_value (metadata, "awsQueryCompatible", NULL);
  if (query_compatible != NULL)
    boto_http_request_set_header (request, "x-amzn-query-mode", "true");

  if (input != NULL)
    json_serialize (body, input, params);
  else
    g_string_append (body, "{}");

  {
    /* set_body takes its own reference. */
    gsize len = body->len;
    g_autoptr(GBytes) bytes = g_bytes_new_take (g_string_free (body, FALSE), len);

    boto_http_request_set_body (request, bytes);
  }
}

/* XML ---------------------------------------------------------------------- */

static void
xml_escape_append (GString    *out,
                   const char *str,
                   gssize      len,
                   gboolean    attribute)
{
  const char *end = str + (len < 0 ? (gssize) strlen (str) : len);

  for (const char *p = str; p < end; p++)
    {
      switch (*p)
        {
        case '&': g_string_append (out, "&amp;"); break;
        case '<': g_string_append (out, "&lt;"); break;
        case '>': g_string_append (out, "&gt;"); break;
        case '"':
          if (attribute)
            g_string_append (out, "&quot;");
          else
            g_string_append_c (out, '"');
          break;
        case '\n':
          if (attribute)
            g_string_append (out, "&#10;");
          else
            g_string_append_c (out, '\n');
          break;
        case '\r':
          g_string_append (out, attribute ? "&#13;" : "\r");
          break;
        case '\t':
          g_string_append (out, attribute ? "&#09;" : "\t");
          break;
        default:
          g_string_append_c (out, *p);
        }
    }
}

static void
xml_append_namespace (GString   *out,
                      BotoShape *shape)
{
  g_autoptr(GVariant) ns = boto_shape_dup_trait (shape, "xmlNamespace");

  if (ns == NULL)
    return;
  if (g_variant_is_of_type (ns, G_VARIANT_TYPE_STRING))
    {
      g_string_append (out, " xmlns=\"");
      xml_escape_append (out, g_variant_get_string (ns, NULL), -1, TRUE);
      g_string_append_c (out, '"');
    }
  else if (g_variant_is_of_type (ns, G_VARIANT_TYPE_VARDICT))
    {
      const char *prefix = boto_model_variant_get_string (ns, "prefix");
      const char *uri = boto_model_variant_get_string (ns, "uri");

      if (uri == NULL)
        return;
      g_string_append (out, " xmlns");
      if (prefix != NULL && *prefix != '\0')
        g_string_append_printf (out, ":%s", prefix);
      g_string_append (out, "=\"");
      xml_escape_append (out, uri, -1, TRUE);
      g_string_append_c (out, '"');
    }
}

static void xml_serialize (GString *out, BotoShape *shape, GVariant *raw, const char *name);

/* A structure member's element: the member's locationName, else its name
 * (the target shape's own xmlName names only a payload root). */
static const char *
xml_member_name (BotoShape  *member,
                 const char *key)
{
  BotoMemberDef *def = boto_shape_get_member_def (member);
  const char *name = def != NULL ? boto_model_variant_get_string (def->traits, "locationName") : NULL;

  return name != NULL ? name : key;
}

static void
xml_serialize_structure (GString    *out,
                         BotoShape  *shape,
                         GVariant   *value,
                         const char *name,
                         gboolean    body_only)
{
  GVariantIter iter;
  const char *key;
  GVariant *child;
  gsize stop = G_MAXSIZE;
  gsize index = 0;

  g_string_append_printf (out, "<%s", name);
  xml_append_namespace (out, shape);

  /* botocore stops at the first member whose value is None. */
  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "{&s@*}", &key, &child))
    {
      BotoShape *member = boto_shape_get_member (shape, key);
      g_autoptr(GVariant) inner = boto_value_unwrap (child);

      g_variant_unref (child);
      if (member == NULL || (body_only && boto_shape_get_location (member) != NULL))
        {
          index++;
          continue;
        }
      if (boto_value_is_null (inner))
        {
          stop = index;
          break;
        }
      if (boto_shape_get_boolean_trait (member, "xmlAttribute"))
        {
          g_string_append_printf (out, " %s=\"", serialized_name (member, key));
          if (g_variant_is_of_type (inner, G_VARIANT_TYPE_STRING))
            xml_escape_append (out, g_variant_get_string (inner, NULL), -1, TRUE);
          else
            {
              g_autofree char *text = scalar_to_string (member, inner, "iso8601");

              xml_escape_append (out, text, -1, TRUE);
            }
          g_string_append_c (out, '"');
        }
      index++;
    }
  g_string_append_c (out, '>');

  index = 0;
  g_variant_iter_init (&iter, value);
  while (index < stop && g_variant_iter_next (&iter, "{&s@*}", &key, &child))
    {
      BotoShape *member = boto_shape_get_member (shape, key);

      if (member != NULL && !(body_only && boto_shape_get_location (member) != NULL) &&
          !boto_shape_get_boolean_trait (member, "xmlAttribute"))
        xml_serialize (out, member, child, xml_member_name (member, key));
      g_variant_unref (child);
      index++;
    }

  g_string_append_printf (out, "</%s>", name);
}

static void
xml_serialize (GString    *out,
               BotoShape  *shape,
               GVariant   *raw,
               const char *name)
{
  g_autoptr(GVariant) value = boto_value_unwrap (raw);

  if (boto_value_is_null (value))
    return;

  switch (boto_shape_get_shape_type (shape))
    {
    case BOTO_SHAPE_TYPE_STRUCTURE:
      if (boto_value_is_dict (value))
        xml_serialize_structure (out, shape, value, name, FALSE);
      break;
    case BOTO_SHAPE_TYPE_LIST:
      {
        BotoShape *member = boto_shape_get_list_member (shape);
        g_autoptr(GPtrArray) items = list_items (value);
        gboolean flattened = boto_shape_get_boolean_trait (shape, "flattened");
        const char *element = flattened ? name : NULL;

        if (member == NULL)
          break;
        if (!flattened)
          {
            element = serialized_name (member, "member");
            g_string_append_printf (out, "<%s", name);
            xml_append_namespace (out, shape);
            g_string_append_c (out, '>');
          }
        for (guint i = 0; i < items->len; i++)
          xml_serialize (out, member, g_ptr_array_index (items, i), element);
        if (!flattened)
          g_string_append_printf (out, "</%s>", name);
      }
      break;
    case BOTO_SHAPE_TYPE_MAP:
      {
        BotoShape *key_shape = boto_shape_get_map_key (shape);
        BotoShape *value_shape = boto_shape_get_map_value (shape);
        gboolean flattened = boto_shape_get_boolean_trait (shape, "flattened");
        GVariantIter iter;
        GVariant *key;
        GVariant *child;

        if (key_shape == NULL || value_shape == NULL || !boto_value_is_dict (value))
          break;
        if (!flattened)
          {
            g_string_append_printf (out, "<%s", name);
            xml_append_namespace (out, shape);
            g_string_append_c (out, '>');
          }
        g_variant_iter_init (&iter, value);
        while (g_variant_iter_next (&iter, "{@s@*}", &key, &child))
          {
            const char *entry = flattened ? name : "entry";

            g_string_append_printf (out, "<%s>", entry);
            xml_serialize (out, key_shape, key, serialized_name (key_shape, "key"));
            xml_serialize (out, value_shape, child, serialized_name (value_shape, "value"));
            g_string_append_printf (out, "</%s>", entry);
            g_variant_unref (key);
            g_variant_unref (child);
          }
        if (!flattened)
          g_string_append_printf (out, "</%s>", name);
      }
      break;
    default:
      {
        GString *text = g_string_new (NULL);

        append_scalar (text, shape, value, "iso8601", TRUE);
        g_string_append_printf (out, "<%s", name);
        xml_append_namespace (out, shape);
        g_string_append_c (out, '>');
        xml_escape_append (out, text->str, text->len, FALSE);
        g_string_append_printf (out, "</%s>", name);
        g_string_free (text, TRUE);
      }
      break;
    }
}

/* REST --------------------------------------------------------------------- */

typedef struct
{
  char      *name;
  GPtrArray *values;   /* char*; a NULL element is a bare name */
} QueryParam;

static void
query_param_free (gpointer data)
{
  QueryParam *param = data;

  g_free (param->name);
  g_ptr_array_unref (param->values);
  g_free (param);
}

static QueryParam *
query_params_set (GPtrArray  *params,
                  const char *name)
{
  QueryParam *param;

  for (guint i = 0; i < params->len; i++)
    {
      param = g_ptr_array_index (params, i);
      if (strcmp (param->name, name) == 0)
        {
          g_ptr_array_set_size (param->values, 0);
          return param;
        }
    }
  param = g_new0 (QueryParam, 1);
  param->name = g_strdup (name);
  param->values = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (params, param);
  return param;
}

static gboolean
query_params_has (GPtrArray  *params,
                  const char *name)
{
  for (guint i = 0; i < params->len; i++)
    if (strcmp (((QueryParam *) g_ptr_array_index (params, i))->name, name) == 0)
      return TRUE;
  return FALSE;
}

/* A header list element: quoted when it holds `"` or `,`. */
static void
append_header_list_string (GString    *out,
                           const char *str)
{
  if (strpbrk (str, "\",") == NULL)
    {
      g_string_append (out, str);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = str; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static char *
header_value (BotoShape *shape,
              GVariant  *raw)
{
  g_autoptr(GVariant) value = boto_value_unwrap (raw);
  GString *out = g_string_new (NULL);
  gint64 usec;

  if (boto_shape_get_boolean_trait (shape, "jsonvalue"))
    {
      GString *json = g_string_new (NULL);
      g_autofree char *b64 = NULL;

      /* A string is taken as JSON text already (Smithy mediaType);
       * anything else is encoded. */
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        g_string_append (json, g_variant_get_string (value, NULL));
      else
        boto_json_append_generic (json, value);
      b64 = g_base64_encode ((const guchar *) json->str, json->len);
      g_string_append (out, b64);
      g_string_free (json, TRUE);
      return g_string_free (out, FALSE);
    }

  switch (boto_shape_get_shape_type (shape))
    {
    case BOTO_SHAPE_TYPE_TIMESTAMP:
      /* Whole seconds in headers. */
      if (boto_value_get_timestamp (value, &usec))
        {
          gint64 seconds = usec / G_USEC_PER_SEC;

          if (usec < 0 && usec % G_USEC_PER_SEC != 0)
            seconds--;
          append_timestamp (out, seconds * G_USEC_PER_SEC, timestamp_format (shape, "rfc822"));
        }
      break;
    case BOTO_SHAPE_TYPE_LIST:
      {
        BotoShape *member = boto_shape_get_list_member (shape);
        g_autoptr(GPtrArray) items = list_items (value);
        gboolean first = TRUE;

        for (guint i = 0; member != NULL && i < items->len; i++)
          {
            GVariant *item = g_ptr_array_index (items, i);

            if (boto_value_is_null (item))
              continue;
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            if (boto_shape_get_shape_type (member) == BOTO_SHAPE_TYPE_STRING &&
                g_variant_is_of_type (item, G_VARIANT_TYPE_STRING))
              append_header_list_string (out, g_variant_get_string (item, NULL));
            else
              {
                g_autofree char *text = header_value (member, item);

                g_string_append (out, text);
              }
          }
      }
      break;
    default:
      append_scalar (out, shape, value, "iso8601", TRUE);
      break;
    }
  return g_string_free (out, FALSE);
}

static gboolean
render_uri (const char  *template,
            GHashTable  *labels,
            GString     *out,
            GError     **error)
{
  const char *p = template;

  while (*p != '\0')
    {
      const char *open = strchr (p, '{');
      const char *close;
      g_autofree char *label = NULL;
      gboolean greedy;
      const char *value;

      if (open == NULL)
        {
          g_string_append (out, p);
          break;
        }
      close = strchr (open, '}');
      if (close == NULL)
        {
          g_string_append (out, p);
          break;
        }
      g_string_append_len (out, p, open - p);
      label = g_strndup (open + 1, close - open - 1);
      greedy = g_str_has_suffix (label, "+");
      if (greedy)
        label[strlen (label) - 1] = '\0';
      value = g_hash_table_lookup (labels, label);
      if (value == NULL)
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                       "Parameter validation failed:\nMissing required parameter in input: \"%s\"",
                       label);
          return FALSE;
        }
      boto_percent_encode_append (out, value, -1, greedy);
      p = close + 1;
    }
  return TRUE;
}

static gboolean
requires_empty_json_body (BotoShape *shape)
{
  g_auto(GStrv) names = boto_shape_get_member_names (shape);

  for (guint i = 0; names[i] != NULL; i++)
    {
      BotoShape *member = boto_shape_get_member (shape, names[i]);

      if (member != NULL && boto_shape_get_location (member) == NULL)
        return TRUE;
    }
  return FALSE;
}

/* The root element: the shape's own locationName (Smithy xmlName), else
 * the one on the reference, else the shape's name. */
static const char *
xml_root_name (BotoShape *shape)
{
  const char *name = boto_model_variant_get_string (boto_shape_get_definition (shape), "locationName");

  if (name == NULL)
    name = boto_shape_get_location_name (shape);
  return name != NULL ? name : boto_shape_get_name (shape);
}

/* A payload member's root element.  In Smithy the root is the target
 * shape's name (or its own xmlName) unless the member carries an xmlName.
 * The JSON models copy every member's name into locationName, so an
 * explicit xmlName only shows as a locationName that renames the member
 * (HttpPayloadWithMemberXmlName, S3's CompleteMultipartUpload) or, in the
 * AWS models, as a member that also carries its own xmlNamespace (every
 * S3, CloudFront and Route 53 payload: PutBucketLifecycleConfiguration
 * sends <LifecycleConfiguration>, not <BucketLifecycleConfiguration>).
 * Otherwise the target shape names the root (RestXmlHttpPayloadWithUnion,
 * HttpPayloadWithXmlNamespace, XmlAttributesOnPayload). */
static const char *
xml_payload_root_name (BotoShape  *payload,
                       const char *member_name)
{
  BotoMemberDef *def = boto_shape_get_member_def (payload);
  const char *name = def != NULL ? boto_model_variant_get_string (def->traits, "locationName") : NULL;
  const char *shape_name;

  if (name != NULL && strcmp (name, member_name) != 0)
    return name;
  if (name != NULL)
    {
      g_autoptr(GVariant) member_namespace = boto_model_variant_lookup (def->traits, "xmlNamespace");

      if (member_namespace != NULL)
        return name;
    }

  shape_name = boto_model_variant_get_string (boto_shape_get_definition (payload), "locationName");
  return shape_name != NULL ? shape_name : boto_shape_get_name (payload);
}

static gboolean
serialize_rest (Ctx                *ctx,
                BotoOperationModel *op,
                GVariant           *params,
                BotoHttpRequest    *request,
                GError            **error)
{
  BotoShape *input = boto_operation_model_get_input_shape (op);
  const char *request_uri = boto_operation_model_get_request_uri (op);
  const char *question = strchr (request_uri, '?');
  g_autofree char *uri_template = question != NULL
                                  ? g_strndup (request_uri, question - request_uri)
                                  : g_strdup (request_uri);
  g_autoptr(GHashTable) labels = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GPtrArray) query = g_ptr_array_new_with_free_func (query_param_free);
  g_autoptr(GPtrArray) map_query = g_ptr_array_new_with_free_func (query_param_free);
  g_autoptr(GString) path = g_string_new (NULL);
  g_autoptr(GString) full_path = NULL;
  g_autoptr(GBytes) body = NULL;
  const char *endpoint_path;
  gboolean has_body_members = FALSE;
  gboolean streaming = FALSE;
  const char *payload_name = NULL;
  BotoShape *payload = NULL;

  /* The endpoint already names the bucket (virtual host or path style, from
   * the endpoint rule set), so the model's leading `/{Bucket}` goes. */
  if (ctx->strip_bucket && g_str_has_prefix (uri_template, "/{Bucket}"))
    {
      const char *rest = uri_template + strlen ("/{Bucket}");
      char *stripped = g_strdup (*rest != '\0' ? rest : "/");

      g_free (uri_template);
      uri_template = stripped;
    }

  if (input != NULL && boto_value_is_dict (params))
    {
      GVariantIter iter;
      const char *key;
      GVariant *child;
      g_autoptr(GVariant) payload_trait = boto_shape_dup_trait (input, "payload");

      if (payload_trait != NULL && g_variant_is_of_type (payload_trait, G_VARIANT_TYPE_STRING))
        {
          payload_name = g_variant_get_string (payload_trait, NULL);
          payload = boto_shape_get_member (input, payload_name);
          if (payload != NULL)
            {
              BotoShapeType type = boto_shape_get_shape_type (payload);

              streaming = type == BOTO_SHAPE_TYPE_BLOB || type == BOTO_SHAPE_TYPE_STRING;
            }
        }

      g_variant_iter_init (&iter, params);
      while (g_variant_iter_next (&iter, "{&s@*}", &key, &child))
        {
          BotoShape *member = boto_shape_get_member (input, key);
          g_autoptr(GVariant) value = boto_value_unwrap (child);
          const char *location;
          const char *name;

          g_variant_unref (child);
          if (member == NULL || boto_value_is_null (value))
            continue;
          location = boto_shape_get_location (member);
          name = serialized_name (member, key);

          if (g_strcmp0 (location, "uri") == 0)
            g_hash_table_replace (labels, (char *) name,
                                  scalar_to_string (member, value, "iso8601"));
          else if (g_strcmp0 (location, "querystring") == 0)
            {
              if (boto_shape_get_shape_type (member) == BOTO_SHAPE_TYPE_MAP)
                {
                  BotoShape *value_shape = boto_shape_get_map_value (member);
                  GVariantIter map_iter;
                  const char *map_key;
                  GVariant *map_value;

                  if (value_shape == NULL || !boto_value_is_dict (value))
                    continue;
                  g_variant_iter_init (&map_iter, value);
                  while (g_variant_iter_next (&map_iter, "{&s@*}", &map_key, &map_value))
                    {
                      QueryParam *param = query_params_set (map_query, map_key);
                      g_autoptr(GVariant) inner = boto_value_unwrap (map_value);

                      if (boto_value_is_list (inner))
                        {
                          g_autoptr(GPtrArray) items = list_items (inner);
                          BotoShape *item_shape = boto_shape_get_list_member (value_shape);

                          for (guint i = 0; item_shape != NULL && i < items->len; i++)
                            g_ptr_array_add (param->values,
                                             scalar_to_string (item_shape, g_ptr_array_index (items, i),
                                                               "iso8601"));
                        }
                      else
                        g_ptr_array_add (param->values, scalar_to_string (value_shape, inner, "iso8601"));
                      g_variant_unref (map_value);
                    }
                }
              else if (boto_shape_get_shape_type (member) == BOTO_SHAPE_TYPE_LIST)
                {
                  QueryParam *param = query_params_set (query, name);
                  g_autoptr(GPtrArray) items = list_items (value);
                  BotoShape *item_shape = boto_shape_get_list_member (member);

                  for (guint i = 0; item_shape != NULL && i < items->len; i++)
                    g_ptr_array_add (param->values,
                                     scalar_to_string (item_shape, g_ptr_array_index (items, i),
                                                       "iso8601"));
                }
              else
                {
                  QueryParam *param = query_params_set (query, name);

                  g_ptr_array_add (param->values, scalar_to_string (member, value, "iso8601"));
                }
            }
          else if (g_strcmp0 (location, "header") == 0)
            {
              /* botocore sends no header for an empty list. */
              if (boto_shape_get_shape_type (member) == BOTO_SHAPE_TYPE_LIST &&
                  (!boto_value_is_list (value) || g_variant_n_children (value) == 0))
                continue;
              {
                g_autofree char *text = header_value (member, value);

                boto_http_request_set_header (request, name, text);
              }
            }
          else if (g_strcmp0 (location, "headers") == 0)
            {
              GVariantIter map_iter;
              const char *map_key;
              GVariant *map_value;

              if (!boto_value_is_dict (value))
                continue;
              g_variant_iter_init (&map_iter, value);
              while (g_variant_iter_next (&map_iter, "{&s@*}", &map_key, &map_value))
                {
                  g_autofree char *header = g_strconcat (name, map_key, NULL);
                  g_autoptr(GVariant) inner = boto_value_unwrap (map_value);
                  BotoShape *value_shape = boto_shape_get_map_value (member);
                  g_autofree char *text = value_shape != NULL
                                          ? header_value (value_shape, inner) : g_strdup ("");

                  boto_http_request_set_header (request, header, text);
                  g_variant_unref (map_value);
                }
            }
          else if (location == NULL)
            has_body_members = TRUE;
        }
    }

  /* The URI: the template with its labels, below the endpoint's path. */
  if (!render_uri (uri_template, labels, path, error))
    return FALSE;

  endpoint_path = boto_http_request_get_encoded_path (request);
  full_path = g_string_new (NULL);
  if (path->len == 0 || strcmp (path->str, "/") == 0)
    g_string_append (full_path, endpoint_path != NULL && *endpoint_path != '\0' ? endpoint_path : "/");
  else if (endpoint_path != NULL && g_str_has_suffix (endpoint_path, "/") && path->str[0] == '/')
    {
      g_string_append_len (full_path, endpoint_path, strlen (endpoint_path) - 1);
      g_string_append (full_path, path->str);
    }
  else
    {
      g_string_append (full_path, endpoint_path != NULL ? endpoint_path : "");
      g_string_append (full_path, path->str);
    }
  boto_http_request_set_encoded_path (request, full_path->str);

  /* The literal query of the template first (`?list-type=2`, `?uploads`). */
  if (question != NULL && question[1] != '\0')
    {
      g_auto(GStrv) parts = g_strsplit (question + 1, "&", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        {
          char *eq = strchr (parts[i], '=');
          g_autofree char *raw_name = NULL;
          g_autofree char *raw_value = NULL;

          if (*parts[i] == '\0')
            continue;
          if (eq != NULL)
            {
              raw_name = g_uri_unescape_segment (parts[i], eq, NULL);
              raw_value = g_uri_unescape_string (eq + 1, NULL);
            }
          else
            raw_name = g_uri_unescape_string (parts[i], NULL);
          if (raw_name != NULL)
            boto_http_request_add_query (request, raw_name, raw_value);
        }
    }

  /* Named query members win over entries of a query map. */
  for (guint i = 0; i < query->len; i++)
    {
      QueryParam *param = g_ptr_array_index (query, i);

      for (guint j = 0; j < param->values->len; j++)
        boto_http_request_add_query (request, param->name, g_ptr_array_index (param->values, j));
    }
  for (guint i = 0; i < map_query->len; i++)
    {
      QueryParam *param = g_ptr_array_index (map_query, i);

      if (query_params_has (query, param->name))
        continue;
      for (guint j = 0; j < param->values->len; j++)
        boto_http_request_add_query (request, param->name, g_ptr_array_index (param->values, j));
    }

  if (input == NULL)
    return TRUE;

  /* The body. */
  if (payload != NULL && streaming)
    {
      g_autoptr(GVariant) raw = g_variant_lookup_value (params, payload_name, NULL);
      g_autoptr(GVariant) value = boto_value_unwrap (raw);
      const guint8 *data;
      gsize len;

      if (value != NULL && !boto_value_is_null (value) && boto_value_get_blob (value, &data, &len))
        body = g_bytes_new (data, len);
      else
        body = g_bytes_new (NULL, 0);
    }
  else if (payload != NULL)
    {
      g_autoptr(GVariant) raw = g_variant_lookup_value (params, payload_name, NULL);
      g_autoptr(GVariant) value = boto_value_unwrap (raw);
      GString *text = g_string_new (NULL);

      if (value != NULL && !boto_value_is_null (value))
        {
          if (ctx->proto == PROTO_REST_JSON)
            json_serialize (text, payload, value);
          else
            xml_serialize (text, payload, value, xml_payload_root_name (payload, payload_name));
        }
      /* An unset structure payload is "{}" (legacy 'Structure payload'); an
       * unset union sends no body (RestJsonHttpPayloadWithUnsetUnion). */
      else if (ctx->proto == PROTO_REST_JSON && !boto_shape_get_boolean_trait (payload, "union"))
        g_string_append (text, "{}");
      body = g_bytes_new_take (text->str, text->len);
      g_string_free (text, FALSE);
    }
  else if (has_body_members)
    {
      GString *text = g_string_new (NULL);

      if (ctx->proto == PROTO_REST_JSON)
        json_serialize_structure (text, input, params, TRUE);
      else
        {
          g_string_append_printf (text, "%s", "");
          xml_serialize_structure (text, input, params, xml_root_name (input), TRUE);
        }
      body = g_bytes_new_take (text->str, text->len);
      g_string_free (text, FALSE);
    }
  else if (ctx->proto == PROTO_REST_JSON && requires_empty_json_body (input))
    body = g_bytes_new_static ("{}", 2);

  if (body != NULL)
    {
      if (ctx->proto == PROTO_REST_JSON && !streaming && g_bytes_get_size (body) > 0 &&
          boto_http_request_get_header (request, "Content-Type") == NULL)
        boto_http_request_set_header (request, "Content-Type", "application/json");
      boto_http_request_set_body (request, body);
    }

  return TRUE;
}

/* Entry points ----------------------------------------------------------- */

static gboolean
is_host_label (const char *str)
{
  if (*str == '\0')
    return FALSE;
  for (const char *p = str; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-')
      return FALSE;
  return TRUE;
}

static char *
expand_host_prefix (BotoOperationModel *op,
                    GVariant           *params,
                    GError            **error)
{
  const char *template = boto_operation_model_get_host_prefix (op);
  g_autoptr(GString) out = NULL;
  g_autoptr(GPtrArray) bad = NULL;
  const char *p;

  if (template == NULL)
    return NULL;

  out = g_string_new (NULL);
  bad = g_ptr_array_new ();
  p = template;
  while (*p != '\0')
    {
      const char *open = strchr (p, '{');
      const char *close = open != NULL ? strchr (open, '}') : NULL;
      g_autofree char *label = NULL;
      g_autoptr(GVariant) raw = NULL;
      g_autoptr(GVariant) value = NULL;
      const char *text;

      if (open == NULL || close == NULL)
        {
          g_string_append (out, p);
          break;
        }
      g_string_append_len (out, p, open - p);
      label = g_strndup (open + 1, close - open - 1);
      raw = boto_value_is_dict (params) ? g_variant_lookup_value (params, label, NULL) : NULL;
      value = boto_value_unwrap (raw);
      text = value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING)
             ? g_variant_get_string (value, NULL) : "";
      if (!is_host_label (text))
        g_ptr_array_add (bad, (gpointer) g_intern_string (label));
      g_string_append (out, text);
      p = close + 1;
    }

  if (bad->len > 0)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < bad->len; i++)
        {
          if (i > 0)
            g_string_append (names, ", ");
          g_string_append (names, g_ptr_array_index (bad, i));
        }
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                   "Parameter validation failed:\nInvalid value for parameter(s): %s. "
                   "Must contain only alphanumeric characters, hyphen, or period.",
                   names->str);
      return NULL;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The params with absent idempotency tokens filled, as botocore's
 * generate_idempotent_uuid handler does (top level only, appended). */
static GVariant *
fill_idempotency_tokens (BotoShape *input,
                         GVariant  *params)
{
  g_auto(GStrv) names = NULL;
  GVariantBuilder builder;
  gboolean changed = FALSE;
  GVariantIter iter;
  const char *key;
  GVariant *child;

  if (input == NULL || !boto_value_is_dict (params))
    return g_variant_ref (params);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{sv}"));
  g_variant_iter_init (&iter, params);
  while (g_variant_iter_next (&iter, "{&s@*}", &key, &child))
    {
      if (g_variant_is_of_type (child, G_VARIANT_TYPE_VARIANT))
        g_variant_builder_add (&builder, "{s@v}", key, child);
      else
        g_variant_builder_add (&builder, "{sv}", key, child);
      g_variant_unref (child);
    }

  names = boto_shape_get_member_names (input);
  for (guint i = 0; names[i] != NULL; i++)
    {
      BotoShape *member = boto_shape_get_member (input, names[i]);
      g_autoptr(GVariant) existing = NULL;

      if (member == NULL || !boto_shape_get_boolean_trait (member, "idempotencyToken"))
        continue;
      existing = g_variant_lookup_value (params, names[i], NULL);
      if (existing == NULL)
        {
          g_autofree char *token = new_uuid ();

          g_variant_builder_add (&builder, "{sv}", names[i], g_variant_new_string (token));
          changed = TRUE;
        }
    }

  if (!changed)
    {
      g_variant_builder_clear (&builder);
      return g_variant_ref (params);
    }
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

static BotoHttpRequest *
serialize_request (BotoServiceModel   *service,
                   BotoOperationModel *op,
                   const char         *protocol,
                   GVariant           *params,
                   const char         *endpoint_url,
                   gboolean            validate,
                   gboolean            strip_bucket,
                   GError            **error)
{
  g_autoptr(BotoHttpRequest) request = NULL;
  g_autoptr(GVariant) empty = NULL;
  g_autoptr(GVariant) unwrapped = NULL;
  g_autoptr(GVariant) filled = NULL;
  g_autofree char *host_prefix = NULL;
  BotoShape *input = boto_operation_model_get_input_shape (op);
  Ctx ctx = { 0, };

  ctx.strip_bucket = strip_bucket;
  if (protocol == NULL)
    protocol = boto_service_model_get_protocol (service);
  if (g_strcmp0 (protocol, "query") == 0)
    ctx.proto = PROTO_QUERY;
  else if (g_strcmp0 (protocol, "ec2") == 0)
    ctx.proto = PROTO_EC2;
  else if (g_strcmp0 (protocol, "json") == 0)
    ctx.proto = PROTO_JSON;
  else if (g_strcmp0 (protocol, "rest-json") == 0)
    ctx.proto = PROTO_REST_JSON;
  else if (g_strcmp0 (protocol, "rest-xml") == 0)
    ctx.proto = PROTO_REST_XML;
  else
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED,
                   "Unsupported protocol “%s”", protocol != NULL ? protocol : "(none)");
      return NULL;
    }

  if (params == NULL)
    {
      empty = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
      params = empty;
    }
  unwrapped = boto_value_unwrap (params);
  if (!boto_value_is_dict (unwrapped))
    {
      if (!validate)
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                       "Parameter validation failed:\nInvalid type for parameter input, "
                       "type: %s, valid types: <class 'dict'>",
                       boto_value_python_type (unwrapped));
          return NULL;
        }
      return boto_protocol_validate_params (input, unwrapped, error) ? NULL : NULL;
    }

  filled = fill_idempotency_tokens (input, unwrapped);

  if (validate && !boto_protocol_validate_params (input, filled, error))
    return NULL;

  request = boto_http_request_new_from_url (boto_operation_model_get_http_method (op),
                                            endpoint_url, error);
  if (request == NULL)
    return NULL;

  host_prefix = expand_host_prefix (op, filled, error);
  if (error != NULL && *error != NULL)
    return NULL;
  if (host_prefix != NULL)
    {
      g_autofree char *host = g_strconcat (host_prefix, boto_http_request_get_host (request), NULL);

      boto_http_request_set_endpoint (request, boto_http_request_get_scheme (request), host,
                                      boto_http_request_get_port (request));
    }

  switch (ctx.proto)
    {
    case PROTO_QUERY:
    case PROTO_EC2:
      serialize_query (&ctx, service, op, filled, request);
      break;
    case PROTO_JSON:
      serialize_json (service, op, filled, request);
      break;
    case PROTO_REST_JSON:
    case PROTO_REST_XML:
      if (!serialize_rest (&ctx, op, filled, request, error))
        return NULL;
      break;
    }

  /* The RPC protocols post to the operation's requestUri, "/", under the
   * endpoint's path: https://example.com/custom gives /custom/ (Smithy's
   * HostWithPath cases; botocore's _urljoin keeps "/custom"). */
  if (ctx.proto != PROTO_REST_JSON && ctx.proto != PROTO_REST_XML)
    {
      const char *path = boto_http_request_get_encoded_path (request);

      if (path != NULL && *path != '\0' && !g_str_has_suffix (path, "/"))
        {
          g_autofree char *joined = g_strconcat (path, "/", NULL);

          boto_http_request_set_encoded_path (request, joined);
        }
    }

  return g_steal_pointer (&request);
}

BotoHttpRequest *
boto_protocol_serialize_request (BotoServiceModel   *service,
                                 BotoOperationModel *op,
                                 const char         *protocol,
                                 GVariant           *params,
                                 const char         *endpoint_url,
                                 GError            **error)
{
  return boto_protocol_serialize_request_full (service, op, protocol, params, endpoint_url,
                                               BOTO_SERIALIZE_VALIDATE, error);
}

/* smithy-rpc-v2-cbor has its own codec (boto-protocol-rpcv2-cbor.c); this
 * puts its request on the endpoint as the other protocols' requests are. */
static BotoHttpRequest *
serialize_rpcv2_cbor (BotoServiceModel    *service,
                      BotoOperationModel  *op,
                      GVariant            *params,
                      const char          *endpoint_url,
                      gboolean             validate,
                      GError             **error)
{
  g_autoptr(BotoRpcv2CborRequest) cbor = NULL;
  g_autoptr(BotoHttpRequest) request = NULL;
  g_autofree char *path = NULL;
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;
  gsize length;
  BotoShape *input = boto_operation_model_get_input_shape (op);

  if (validate && input != NULL && params != NULL &&
      !boto_protocol_validate_params (input, params, error))
    return NULL;

  cbor = boto_rpcv2_cbor_serialize_request (service, op, params, error);
  if (cbor == NULL)
    return NULL;

  request = boto_http_request_new_from_url (cbor->method, endpoint_url, error);
  if (request == NULL)
    return NULL;

  /* The endpoint's own path, then the operation's. */
  path = g_strdup (boto_http_request_get_encoded_path (request));
  length = strlen (path);
  while (length > 0 && path[length - 1] == '/')
    path[--length] = '\0';
  {
    g_autofree char *joined = g_strconcat (path, cbor->path, NULL);

    boto_http_request_set_encoded_path (request, joined);
  }

  soup_message_headers_iter_init (&iter, cbor->headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    boto_http_request_add_header (request, name, value);
  boto_http_request_set_body (request, cbor->body);

  return g_steal_pointer (&request);
}

BotoHttpRequest *
boto_protocol_serialize_request_unvalidated (BotoServiceModel   *service,
                                             BotoOperationModel *op,
                                             const char         *protocol,
                                             GVariant           *params,
                                             const char         *endpoint_url,
                                             GError            **error)
{
  return boto_protocol_serialize_request_full (service, op, protocol, params, endpoint_url,
                                               BOTO_SERIALIZE_NONE, error);
}

BotoHttpRequest *
boto_protocol_serialize_request_full (BotoServiceModel    *service,
                                      BotoOperationModel  *op,
                                      const char          *protocol,
                                      GVariant            *params,
                                      const char          *endpoint_url,
                                      BotoSerializeFlags   flags,
                                      GError             **error)
{
  g_return_val_if_fail (BOTO_IS_SERVICE_MODEL (service), NULL);
  g_return_val_if_fail (BOTO_IS_OPERATION_MODEL (op), NULL);
  g_return_val_if_fail (endpoint_url != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_strcmp0 (protocol != NULL ? protocol : boto_service_model_get_protocol (service),
                 "smithy-rpc-v2-cbor") == 0)
    return serialize_rpcv2_cbor (service, op, params, endpoint_url,
                                 (flags & BOTO_SERIALIZE_VALIDATE) != 0, error);

  return serialize_request (service, op, protocol, params, endpoint_url,
                            (flags & BOTO_SERIALIZE_VALIDATE) != 0,
                            (flags & BOTO_SERIALIZE_STRIP_BUCKET) != 0, error);
}
