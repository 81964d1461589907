/* boto-protocol-parser.c: HTTP responses to typed results, for the json,
 * rest-json, query, ec2 and rest-xml protocols
 *
 * The behaviour follows botocore's response parsers: the same fields are
 * read from the same places, errors are found and normalised the same way.
 * The result is the GVariant form of DESIGN.md ("GVariant in, GVariant
 * out"): structures `a{sv}` with only the members present, lists typed
 * arrays whose element type comes from the model (so an empty list is still
 * typed), maps `a{sT}`, timestamps `x` microseconds, blobs `ay`.
 *
 * The walk goes over the private shape defs (BotoShapeDef), which are
 * resolved once and shared, so parsing allocates only the result.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "boto-error.h"
#include "boto-error-private.h"
#include "boto-model-private.h"
#include "boto-protocol-parser-private.h"
#include "boto-xml-private.h"
#include "boto-variant-writer-private.h"
#include "boto-event-stream-private.h"
#include "boto-json-reader-private.h"
#include "boto-variant-writer-private.h"

/* Shape walks recurse at most this deep. */
#define MAX_DEPTH BOTO_XML_MAX_DEPTH

typedef enum {
  PROTO_JSON,
  PROTO_REST_JSON,
  PROTO_QUERY,
  PROTO_EC2,
  PROTO_REST_XML,
} Proto;

typedef struct
{
  BotoModelData      *data;
  BotoOperationModel *model;
  BotoOperationDef   *op;
  BotoJsonPlans      *json_plans;
  GArray             *json_entries;   /* BotoVariantEntry: members read as serialized values */
  GBytes             *json_bytes;     /* what they point into */
  gboolean            json_to_entries; /* a successful response's body members go there */
  GVariant           *json_result;    /* or, json protocol: the whole result, with ResponseMetadata */
  gboolean            builder_open;   /* parse_output()'s builder is initialised (else all zeros) */
  Proto               proto;
  guint               status;
  SoupMessageHeaders *headers;
  const char         *body;
  gsize               body_len;
  char               *request_id;
  char               *host_id;
  gboolean            have_host_id;
  /* x-amzn-requestid as soup_message_headers_get_one() gives it, noted
   * while the headers were checked (when request_id_noted). */
  const char         *amzn_request_id;
  gboolean            request_id_noted;
} Ctx;

/* A shape as reached through a reference: the reference's traits
 * (locationName, location, flattened …) win over the shape's own. */
typedef struct
{
  GVariant     *traits;
  BotoShapeDef *def;
} Ref;

gboolean
boto_protocol_invalid (GError    **error,
                       const char *format,
                       ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_RESPONSE, message);
  return FALSE;
}

static const char *
ref_string (const Ref  *ref,
            const char *key)
{
  const char *value = NULL;

  if (ref->traits != NULL)
    value = boto_model_variant_get_string (ref->traits, key);
  if (value == NULL && ref->def != NULL)
    value = boto_model_variant_get_string (ref->def->definition, key);

  return value;
}

static gboolean
ref_bool (const Ref  *ref,
          const char *key)
{
  return (ref->traits != NULL && boto_model_variant_get_boolean (ref->traits, key)) ||
         (ref->def != NULL && boto_model_variant_get_boolean (ref->def->definition, key));
}

static gboolean
member_ref (Ctx            *ctx,
            BotoMemberDef  *member,
            Ref            *out,
            GError        **error)
{
  out->traits = member->traits;
  out->def = boto_member_def_get_target (ctx->data, member);
  if (out->def == NULL)
    return boto_protocol_invalid (error, "The model has no shape “%s”", member->shape_name ? member->shape_name : "");
  return TRUE;
}

/* Types: boto_shape_def_get_value_type(), shared with the JSON reader. */

static GVariantType *
element_type (Ctx           *ctx,
              BotoShapeDef  *def,
              GError       **error)
{
  const char *type = boto_shape_def_get_value_type (ctx->data, def);

  if (type == NULL)
    {
      boto_protocol_invalid (error, "Cannot type values of shape “%s”", def->name);
      return NULL;
    }

  return g_variant_type_new (type);
}

/* Timestamps */

static gboolean
parse_epoch (const char *text,
             gint64     *out_usec)
{
  char *end = NULL;
  double seconds;
  const char *p = text;

  while (g_ascii_isspace (*p))
    p++;
  if (*p == '\0')
    return FALSE;
  /* Only digits, sign, dot and exponent: strtod would also take "inf". */
  for (const char *q = p; *q != '\0'; q++)
    if (!g_ascii_isdigit (*q) && strchr ("+-.eE \t", *q) == NULL)
      return FALSE;

  seconds = g_ascii_strtod (p, &end);
  while (end != NULL && g_ascii_isspace (*end))
    end++;
  if (end == NULL || *end != '\0' || !isfinite (seconds) || fabs (seconds) > 1e13)
    return FALSE;

  *out_usec = (gint64) llround (seconds * G_USEC_PER_SEC);
  return TRUE;
}

static gboolean
date_time_to_usec (GDateTime *dt,
                   gint64    *out_usec)
{
  if (dt == NULL)
    return FALSE;
  *out_usec = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
  g_date_time_unref (dt);
  return TRUE;
}

/* ISO 8601 as AWS writes it, with or without fractions and offset; a
 * missing offset means UTC, a date alone means midnight UTC. */
static gboolean
parse_iso8601 (const char *text,
               gint64     *out_usec)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autofree char *copy = g_strstrip (g_strdup (text));
  gsize len = strlen (copy);

  if (len == 10 && copy[4] == '-' && copy[7] == '-')
    {
      g_autofree char *full = g_strconcat (copy, "T00:00:00Z", NULL);

      return date_time_to_usec (g_date_time_new_from_iso8601 (full, utc), out_usec);
    }

  /* A space instead of the T, and a lower-case t or z. */
  if (len > 10 && (copy[10] == ' ' || copy[10] == 't'))
    copy[10] = 'T';
  if (len > 0 && copy[len - 1] == 'z')
    copy[len - 1] = 'Z';

  return date_time_to_usec (g_date_time_new_from_iso8601 (copy, utc), out_usec);
}

/* The ISO 8601 form AWS nearly always sends, read without GDateTime:
 * `YYYY-MM-DDTHH:MM:SS`, up to 6 digits of fraction, then `Z` or nothing.
 * FALSE for anything else (the general reading takes it). */
static gboolean
parse_iso8601_fast (const char *text,
                    gint64     *out_usec)
{
  static const guint8 days_in_month[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  int year, month, day, hour, minute, second;
  gint64 usec = 0, days;
  const char *p = text;

#define DIGIT(i) ((unsigned) (p[i] - '0') <= 9)
#define VAL(i) (p[i] - '0')
  /* In order, so that a shorter text fails at its NUL. */
  if (!(DIGIT (0) && DIGIT (1) && DIGIT (2) && DIGIT (3) && p[4] == '-' &&
        DIGIT (5) && DIGIT (6) && p[7] == '-' && DIGIT (8) && DIGIT (9) && p[10] == 'T' &&
        DIGIT (11) && DIGIT (12) && p[13] == ':' && DIGIT (14) && DIGIT (15) && p[16] == ':' &&
        DIGIT (17) && DIGIT (18)))
    return FALSE;
  year = VAL (0) * 1000 + VAL (1) * 100 + VAL (2) * 10 + VAL (3);
  month = VAL (5) * 10 + VAL (6);
  day = VAL (8) * 10 + VAL (9);
  hour = VAL (11) * 10 + VAL (12);
  minute = VAL (14) * 10 + VAL (15);
  second = VAL (17) * 10 + VAL (18);
  p += 19;
  if (*p == '.')
    {
      guint n = 0;

      p++;
      while (DIGIT (0) && n < 7)
        {
          usec = usec * 10 + VAL (0);
          p++;
          n++;
        }
      if (n == 0 || n > 6)
        return FALSE;
      for (; n < 6; n++)
        usec *= 10;
    }
#undef DIGIT
#undef VAL
  if (*p == 'Z')
    p++;
  if (*p != '\0')
    return FALSE;

  if (year < 1 || month < 1 || month > 12 || day < 1 || day > days_in_month[month - 1] ||
      (month == 2 && day == 29 && !(year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))) ||
      hour > 23 || minute > 59 || second > 59)
    return FALSE;

  /* Days since 1970-01-01 in the proleptic Gregorian calendar. */
  {
    int y = month <= 2 ? year - 1 : year;
    int era = y / 400;
    int yoe = y - era * 400;
    int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    days = (gint64) era * 146097 + doe - 719468;
  }

  *out_usec = ((days * 24 + hour) * 60 + minute) * (gint64) 60 * G_USEC_PER_SEC +
              (gint64) second * G_USEC_PER_SEC + usec;
  return TRUE;
}

/**
 * boto_protocol_parse_timestamp:
 * @text: a timestamp as a service sends it
 * @out_usec: (out): microseconds since the Unix epoch, UTC
 *
 * Reads every form AWS uses, whatever the shape's `timestampFormat` says
 * (as botocore does): epoch seconds with or without fractions, ISO 8601
 * with fractions and offsets, and the HTTP date forms (RFC 1123, RFC 850,
 * asctime).
 *
 * Returns: %TRUE if @text was a timestamp
 */
gboolean
boto_protocol_parse_timestamp (const char *text,
                               gint64     *out_usec)
{
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out_usec != NULL, FALSE);

  if (parse_iso8601_fast (text, out_usec))
    return TRUE;
  if (parse_epoch (text, out_usec))
    return TRUE;
  if (parse_iso8601 (text, out_usec))
    return TRUE;
  return date_time_to_usec (soup_date_time_new_from_http_string (text), out_usec);
}

/* Scalars from text (XML bodies, headers) */

static GVariant *
json_text_to_variant (const char  *text,
                      gsize        length,
                      GError     **error);

static GVariant *
scalar_from_text (Ctx         *ctx,
                  const Ref   *ref,
                  const char  *text,
                  gboolean     from_header,
                  GError     **error)
{
  BotoShapeDef *def = ref->def;
  char *end = NULL;

  switch (def->type)
    {
    case BOTO_SHAPE_TYPE_STRING:
    case BOTO_SHAPE_TYPE_CHARACTER:
      if (from_header && ref_bool (ref, "jsonvalue"))
        {
          gsize length = 0;
          g_autofree guchar *decoded = g_base64_decode (text, &length);

          return json_text_to_variant ((const char *) decoded, length, error);
        }
      if (!g_utf8_validate (text, -1, NULL))
        {
          boto_protocol_invalid (error, "A value of “%s” is not valid UTF-8", def->name);
          return NULL;
        }
      return g_variant_new_string (text);

    case BOTO_SHAPE_TYPE_INTEGER:
    case BOTO_SHAPE_TYPE_SHORT:
    case BOTO_SHAPE_TYPE_BYTE:
    case BOTO_SHAPE_TYPE_LONG:
      {
        gint64 value;
        g_autofree char *copy = g_strstrip (g_strdup (text));

        errno = 0;
        value = g_ascii_strtoll (copy, &end, 10);
        if (*copy == '\0' || *end != '\0' || errno != 0 ||
            (def->type != BOTO_SHAPE_TYPE_LONG && (value < G_MININT32 || value > G_MAXINT32)))
          {
            boto_protocol_invalid (error, "“%s” is not a valid %s", copy, def->type_name);
            return NULL;
          }
        if (def->type == BOTO_SHAPE_TYPE_LONG)
          return g_variant_new_int64 (value);
        return g_variant_new_int32 ((gint32) value);
      }

    case BOTO_SHAPE_TYPE_FLOAT:
    case BOTO_SHAPE_TYPE_DOUBLE:
      {
        double value;
        g_autofree char *copy = g_strstrip (g_strdup (text));

        value = g_ascii_strtod (copy, &end);
        if (*copy == '\0' || *end != '\0')
          {
            boto_protocol_invalid (error, "“%s” is not a valid %s", copy, def->type_name);
            return NULL;
          }
        return g_variant_new_double (value);
      }

    case BOTO_SHAPE_TYPE_BOOLEAN:
      /* botocore: only "true" is true (any case in REST headers). */
      if (from_header)
        return g_variant_new_boolean (g_ascii_strcasecmp (text, "true") == 0);
      return g_variant_new_boolean (strcmp (text, "true") == 0);

    case BOTO_SHAPE_TYPE_TIMESTAMP:
      {
        gint64 usec;

        if (!boto_protocol_parse_timestamp (text, &usec))
          {
            boto_protocol_invalid (error, "“%s” is not a valid timestamp", text);
            return NULL;
          }
        return g_variant_new_int64 (usec);
      }

    case BOTO_SHAPE_TYPE_BLOB:
      {
        gsize length = 0;
        guchar *decoded = g_base64_decode (text, &length);

        return g_variant_new_from_data (G_VARIANT_TYPE_BYTESTRING, decoded, length, TRUE, g_free, decoded);
      }

    default:
      if (!g_utf8_validate (text, -1, NULL))
        {
          boto_protocol_invalid (error, "A value of “%s” is not valid UTF-8", def->name);
          return NULL;
        }
      return g_variant_new_variant (g_variant_new_string (text));
    }
}

/* JSON */

/* The JSON shape plans of the operation, made on first use. */
static BotoJsonPlans *
json_plans (Ctx *ctx)
{
  if (ctx->json_plans == NULL)
    ctx->json_plans = boto_json_plans_for_operation (ctx->model);
  return ctx->json_plans;
}

/* The members of @def from the JSON body, kept serialized in ctx for
 * assemble_serialized(). */
static gboolean
json_read_entries (Ctx              *ctx,
                   BotoShapeDef     *def,
                   gboolean          skip_located,
                   GError          **error)
{
  ctx->json_entries = g_array_new (FALSE, FALSE, sizeof (BotoVariantEntry));
  ctx->json_bytes = boto_json_read_entries (ctx->body, ctx->body_len, json_plans (ctx), def, skip_located,
                                            ctx->json_entries, error);
  if (ctx->json_bytes == NULL)
    g_clear_pointer (&ctx->json_entries, g_array_unref);
  return ctx->json_bytes != NULL;
}

static guint8 *build_metadata_data (Ctx *ctx, gsize *out_size);

/* The json protocol's whole result: the members of @def from the body
 * and ResponseMetadata, written at once in the reader's output (the
 * metadata is known before the body is read). */
static gboolean
json_read_result (Ctx           *ctx,
                  BotoShapeDef  *def,
                  GError       **error)
{
  BotoVariantEntry metadata = { "ResponseMetadata", "a{sv}", NULL, 0 };
  g_autofree guint8 *data = build_metadata_data (ctx, &metadata.size);

  metadata.data = data;
  ctx->json_result = boto_json_read_result (ctx->body, ctx->body_len, json_plans (ctx), def, &metadata, error);
  if (ctx->json_result != NULL)
    g_variant_ref_sink (ctx->json_result);
  return ctx->json_result != NULL;
}

/* The members of @def from the JSON body @text into @builder. */
static gboolean
json_read_members (Ctx              *ctx,
                   BotoShapeDef     *def,
                   const char       *text,
                   gsize             length,
                   gboolean          skip_located,
                   GVariantBuilder  *builder,
                   GError          **error)
{
  g_autoptr(BotoJsonReader) reader = boto_json_reader_new (text, length, error);

  return reader != NULL &&
         boto_json_reader_read_members (reader, json_plans (ctx), def, skip_located, builder, error);
}

static GVariant *
json_to_variant_depth (JsonNode *node,
                       guint     depth)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        GVariantBuilder builder;
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) names = json_object_get_members (object);

        /* Document order, a repeated name in its first place with its
         * last value: the dict botocore's json.loads() gives. */
        g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
        for (GList *l = names; l != NULL; l = l->next)
          g_variant_builder_add (&builder, "{sv}", (const char *) l->data,
                                 json_to_variant_depth (json_object_get_member (object, l->data), depth + 1));
        return g_variant_builder_end (&builder);
      }

    case JSON_NODE_ARRAY:
      {
        GVariantBuilder builder;
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_variant_builder_init (&builder, G_VARIANT_TYPE ("av"));
        for (guint i = 0; i < n; i++)
          g_variant_builder_add (&builder, "v", json_to_variant_depth (json_array_get_element (array, i), depth + 1));
        return g_variant_builder_end (&builder);
      }

    case JSON_NODE_NULL:
      return g_variant_new_maybe (G_VARIANT_TYPE_VARIANT, NULL);

    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_BOOLEAN:
          return g_variant_new_boolean (json_node_get_boolean (node));
        case G_TYPE_INT64:
          return g_variant_new_int64 (json_node_get_int (node));
        case G_TYPE_DOUBLE:
          return g_variant_new_double (json_node_get_double (node));
        case G_TYPE_STRING:
          return g_variant_new_string (json_node_get_string (node));
        default:
          return g_variant_new_maybe (G_VARIANT_TYPE_VARIANT, NULL);
        }
    }
}

/**
 * boto_protocol_json_to_variant:
 * @node: a JSON value
 *
 * A JSON value as GVariant, the form of document shapes: objects `a{sv}`,
 * arrays `av`, null `mv` without value, integers `x`, other numbers `d`.
 *
 * Returns: (transfer full): a floating-free new variant
 */
GVariant *
boto_protocol_json_to_variant (JsonNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);

  return g_variant_ref_sink (json_to_variant_depth (node, 0));
}

static GVariant *
json_text_to_variant (const char  *text,
                      gsize        length,
                      GError     **error)
{
  g_autoptr(BotoJsonReader) reader = NULL;

  if (!g_utf8_validate (text, length, NULL))
    {
      boto_protocol_invalid (error, "A JSON value header is not valid UTF-8");
      return NULL;
    }
  reader = boto_json_reader_new (text, length, error);
  if (reader == NULL)
    return NULL;
  return boto_json_reader_read_document (reader);
}

/* XML
 *
 * The walk writes the result straight into a BotoVariantWriter (one
 * buffer, no GVariant per value); the members of a structure are found
 * among its element's children in model order, so the output keeps the
 * model's member order whatever the document's. */

/* Each write function writes one value and returns its type string
 * (static or the model's), or NULL with @error set. */
static const char *xml_write_value (Ctx *ctx, BotoShapeDef *def, BotoXmlNode *node, BotoXmlNode *flat_parent,
                                    const char *flat_name, BotoVariantWriter *writer, guint depth, GError **error);

static BotoXmlNode *
xml_error_root (Ctx         *ctx,
                BotoXmlNode *root)
{
  if (ctx->proto == PROTO_EC2)
    {
      BotoXmlNode *errors = boto_xml_node_get_child (root, "Errors");
      BotoXmlNode *error = errors != NULL ? boto_xml_node_get_child (errors, "Error") : NULL;

      return error != NULL ? error : root;
    }
  if (strcmp (root->name, "ErrorResponse") == 0)
    {
      BotoXmlNode *error = boto_xml_node_get_child (root, "Error");

      return error != NULL ? error : root;
    }
  return root;
}

static inline const BotoMemberInfo *
member_info (Ctx            *ctx,
             BotoMemberDef  *member,
             GError        **error)
{
  const BotoMemberInfo *info = g_atomic_pointer_get (&member->info);

  /* Built once per member: then no call is needed. */
  if (G_LIKELY (info != NULL))
    return info;
  info = boto_member_def_get_info (ctx->data, member);
  if (info == NULL)
    boto_protocol_invalid (error, "The model has no shape “%s”", member->shape_name ? member->shape_name : "");
  return info;
}

static const char *
value_type (Ctx           *ctx,
            BotoShapeDef  *def,
            GError       **error)
{
  const char *type = boto_shape_def_get_value_type (ctx->data, def);

  if (type == NULL)
    boto_protocol_invalid (error, "Cannot type values of shape “%s”", def->name);
  return type;
}

/* Integers as AWS writes them: an optional sign and up to 18 digits; NULL
 * when the text needs the general (slower) reading. */
static gboolean
fast_integer (const char *text,
              gsize       len,
              gint64     *out)
{
  gboolean negative = FALSE;
  gint64 value = 0;
  gsize i = 0;

  if (len > 0 && text[0] == '-')
    {
      negative = TRUE;
      i = 1;
    }
  if (len == i || len - i > 18)
    return FALSE;
  for (; i < len; i++)
    {
      if (text[i] < '0' || text[i] > '9')
        return FALSE;
      value = value * 10 + (text[i] - '0');
    }
  *out = negative ? -value : value;
  return TRUE;
}

/* The types scalar_from_text gives, as static strings. */
static const char *
static_type (GVariant *value)
{
  static const char * const types[] = { "s", "i", "x", "d", "b", "ay", "v" };
  const char *type = g_variant_get_type_string (value);

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (strcmp (type, types[i]) == 0)
      return types[i];
  return NULL;
}

static const char *
xml_write_scalar (Ctx                *ctx,
                  BotoShapeDef       *def,
                  const char         *text,
                  gsize               len,
                  BotoVariantWriter  *writer,
                  GError            **error)
{
  switch (def->type)
    {
    case BOTO_SHAPE_TYPE_STRING:
    case BOTO_SHAPE_TYPE_CHARACTER:
      /* GMarkup has checked the text and attribute values: valid UTF-8
       * without NUL. */
      boto_variant_writer_add_string (writer, text, len);
      return "s";

    case BOTO_SHAPE_TYPE_INTEGER:
    case BOTO_SHAPE_TYPE_SHORT:
    case BOTO_SHAPE_TYPE_BYTE:
    case BOTO_SHAPE_TYPE_LONG:
      {
        gint64 value;

        if (!fast_integer (text, len, &value))
          break;
        if (def->type == BOTO_SHAPE_TYPE_LONG)
          {
            boto_variant_writer_add_int64 (writer, value);
            return "x";
          }
        if (value < G_MININT32 || value > G_MAXINT32)
          break;
        boto_variant_writer_add_int32 (writer, (gint32) value);
        return "i";
      }

    case BOTO_SHAPE_TYPE_BOOLEAN:
      boto_variant_writer_add_boolean (writer, strcmp (text, "true") == 0);
      return "b";

    case BOTO_SHAPE_TYPE_TIMESTAMP:
      {
        gint64 usec;

        if (!boto_protocol_parse_timestamp (text, &usec))
          {
            boto_protocol_invalid (error, "“%s” is not a valid timestamp", text);
            return NULL;
          }
        boto_variant_writer_add_int64 (writer, usec);
        return "x";
      }

    case BOTO_SHAPE_TYPE_BLOB:
      {
        gsize length = 0;
        g_autofree guchar *decoded = g_base64_decode (text, &length);

        boto_variant_writer_add_bytestring (writer, decoded, length);
        return "ay";
      }

    default:
      break;
    }

  /* The rest (and the errors) as for headers. */
  {
    Ref ref = { NULL, def };
    g_autoptr(GVariant) value = scalar_from_text (ctx, &ref, text, FALSE, error);
    const char *type;

    if (value == NULL)
      return NULL;
    g_variant_ref_sink (value);
    type = static_type (value);
    if (type == NULL)
      {
        boto_protocol_invalid (error, "Unexpected value for “%s”", def->name);
        return NULL;
      }
    boto_variant_writer_add_value (writer, g_variant_ref (value));
    return type;
  }
}

/* Whether @tag names a member of the union @def. */
static gboolean
union_has_member (BotoShapeDef *def,
                  const char   *tag)
{
  for (guint i = 0; i < def->n_members; i++)
    {
      const char *name = boto_model_variant_get_string (def->members[i].traits, "locationName");

      if (strcmp (name != NULL ? name : def->members[i].name, tag) == 0)
        return TRUE;
    }
  return FALSE;
}

/* botocore's SDK_UNKNOWN_MEMBER: {'SDK_UNKNOWN_MEMBER': <{'name': <tag>}>} */
static void
write_unknown_union_member (BotoVariantWriter *writer,
                            const char        *tag)
{
  boto_variant_writer_open_array (writer, "{sv}");
  boto_variant_writer_open_entry (writer, "SDK_UNKNOWN_MEMBER", -1);
  boto_variant_writer_open_array (writer, "{sv}");
  boto_variant_writer_open_entry (writer, "name", -1);
  boto_variant_writer_add_string (writer, tag, -1);
  boto_variant_writer_close_entry (writer, "s");
  boto_variant_writer_close (writer);
  boto_variant_writer_close_entry (writer, "a{sv}");
  boto_variant_writer_close (writer);
}

static BotoXmlNode *
first_child_named (BotoXmlNode *node,
                   const char  *name)
{
  return boto_xml_node_get_child_len (node, name, strlen (name));
}


/* strlen (member->name), measured already when it is an XML name */
static inline gsize
member_name_len (BotoMemberDef        *member,
                 const BotoMemberInfo *info)
{
  if (info->xml_alt_name == member->name)
    return info->xml_alt_name_len;
  if (info->xml_name == member->name)
    return info->xml_name_len;
  return strlen (member->name);
}

/* Writes the `{sv}` entry of member @i of @def if @node has it; @by_name
 * is NULL or as in xml_write_members. */
static inline gboolean
xml_write_member (Ctx                *ctx,
                  BotoShapeDef       *def,
                  guint               i,
                  BotoXmlNode        *node,
                  BotoXmlNode       **by_name,
                  BotoVariantWriter  *writer,
                  guint               depth,
                  GError            **error)
{
  BotoMemberDef *member = &def->members[i];
  const BotoMemberInfo *info = member_info (ctx, member, error);
  BotoShapeDef *target;
  const char *name, *alt_name;
  BotoXmlNode *found = NULL;
  gboolean flat;

  if (info == NULL)
    return FALSE;
  if (info->location_kind == BOTO_MEMBER_LOCATION_HEADER ||
      info->location_kind == BOTO_MEMBER_LOCATION_HEADERS ||
      info->location_kind == BOTO_MEMBER_LOCATION_STATUS_CODE ||
      info->event_header)
    return TRUE;
  target = info->target;

  /* botocore's name first (a flattened list under its member's
   * locationName, a shape-level locationName); then the Smithy one
   * (the member's own locationName, else its name). */
  name = info->xml_name;
  alt_name = info->xml_alt_name;
  if (name == NULL || alt_name == NULL)
    return TRUE;   /* list members and map keys have no name */
  flat = (target->type == BOTO_SHAPE_TYPE_LIST || target->type == BOTO_SHAPE_TYPE_MAP) && info->flattened;

  if (by_name != NULL)
    found = by_name[2 * i] != NULL ? by_name[2 * i] : by_name[2 * i + 1];
  else
    {
      found = boto_xml_node_get_child_len (node, name, info->xml_name_len);
      if (found == NULL && name != alt_name &&
          (info->xml_alt_name_len != info->xml_name_len || strcmp (name, alt_name) != 0))
        found = boto_xml_node_get_child_len (node, alt_name, info->xml_alt_name_len);
    }

  if (found != NULL && !flat && depth + 1 <= MAX_DEPTH &&
      (target->type == BOTO_SHAPE_TYPE_STRING || target->type == BOTO_SHAPE_TYPE_CHARACTER))
    {
      /* The most common member, written in one go (as xml_write_scalar
       * would; GMarkup has checked the text). */
      boto_variant_writer_add_string_entry (writer, member->name, member_name_len (member, info),
                                            found->text, found->text_len);
    }
  else if (found != NULL)
    {
      const char *type;

      boto_variant_writer_open_entry (writer, member->name, member_name_len (member, info));
      type = xml_write_value (ctx, target, flat ? NULL : found, flat ? node : NULL, found->name,
                              writer, depth + 1, error);
      if (type == NULL)
        return FALSE;
      boto_variant_writer_close_entry (writer, type);
    }
  else if (info->xml_attribute)
    {
      const char *value = boto_xml_node_get_attribute (node, name);

      if (value != NULL)
        {
          const char *type;

          boto_variant_writer_open_entry (writer, member->name, -1);
          type = xml_write_scalar (ctx, target, value, strlen (value), writer, error);
          if (type == NULL)
            return FALSE;
          boto_variant_writer_close_entry (writer, type);
        }
    }
  return TRUE;
}

/* Writes the `{sv}` entries of the members of @def found in @node. */
static gboolean
xml_write_members (Ctx                *ctx,
                   BotoShapeDef       *def,
                   BotoXmlNode        *node,
                   BotoVariantWriter  *writer,
                   guint               depth,
                   GError            **error)
{
  BotoXmlNode **by_name = NULL;   /* [2 * n_members]: first element under xml_name, under xml_alt_name */
  BotoXmlNode *by_name_stack[2 * 64];
  g_autofree BotoXmlNode **by_name_heap = NULL;
  guint64 *present = NULL;        /* with by_name: a bit per member found */
  guint64 present_stack[1];
  g_autofree guint64 *present_heap = NULL;
  guint n_words = 0;
  GHashTable *index;

  if (def->is_exception)
    node = xml_error_root (ctx, node);

  /* The elements sorted to members in one pass.  Which member an element
   * name belongs to is remembered on the document's name, so each name is
   * looked up once per structure shape, not once per element. */
  if (node->children != NULL &&
      (index = boto_shape_def_get_xml_name_index (ctx->data, def)) != NULL)
    {
      n_words = (def->n_members + 63) / 64;
      if (def->n_members <= 64)
        {
          by_name = by_name_stack;
          present = present_stack;
        }
      else
        {
          by_name = by_name_heap = g_new (BotoXmlNode *, 2 * def->n_members);
          present = present_heap = g_new (guint64, n_words);
        }
      memset (by_name, 0, 2 * def->n_members * sizeof (BotoXmlNode *));
      memset (present, 0, n_words * sizeof (guint64));
      for (BotoXmlNode *child = node->children; child != NULL; child = child->next)
        {
          BotoXmlName *iname = child->iname;
          guint slot, i;

          if (iname->cache_key == def)
            slot = iname->cache_value;
          else
            {
              i = GPOINTER_TO_UINT (g_hash_table_lookup (index, iname->str));
              slot = 0;
              if (i != 0)
                {
                  /* the info was built with the index */
                  const BotoMemberInfo *info = boto_member_def_get_info (ctx->data, &def->members[i - 1]);

                  /* 2 * member + 1 under xml_name, + 2 under xml_alt_name */
                  slot = 2 * (i - 1) + (strcmp (iname->str, info->xml_name) == 0 ? 1 : 2);
                }
              iname->cache_key = def;
              iname->cache_value = slot;
            }
          if (slot == 0)
            continue;
          slot--;
          i = slot / 2;
          present[i / 64] |= G_GUINT64_CONSTANT (1) << (i % 64);
          if (by_name[slot] == NULL)
            by_name[slot] = child;
        }
      /* Attributes may hold members no element does: then every member is looked at. */
      if (node->attr_names != NULL)
        present = NULL;
    }

  if (present == NULL)
    {
      /* Every member, looked for by name. */
      n_words = (def->n_members + 63) / 64;
      present = def->n_members <= 64 ? present_stack : (present_heap = g_renew (guint64, present_heap, n_words));
      for (guint w = 0; w < n_words; w++)
        present[w] = def->n_members - 64 * w >= 64 ? G_MAXUINT64
                                                   : (G_GUINT64_CONSTANT (1) << (def->n_members - 64 * w)) - 1;
    }

  /* In model order. */
  for (guint w = 0; w < n_words; w++)
    for (guint64 bits = present[w]; bits != 0; bits &= bits - 1)
      if (!xml_write_member (ctx, def, 64 * w + (guint) __builtin_ctzll (bits), node, by_name,
                             writer, depth, error))
        return FALSE;

  return TRUE;
}

/* Writes one value of @def from @node, or for a flattened list or map
 * from the children of @flat_parent named @flat_name. */
static const char *
xml_write_value (Ctx                *ctx,
                 BotoShapeDef       *def,
                 BotoXmlNode        *node,
                 BotoXmlNode        *flat_parent,
                 const char         *flat_name,
                 BotoVariantWriter  *writer,
                 guint               depth,
                 GError            **error)
{
  gsize flat_name_len = flat_parent != NULL ? strlen (flat_name) : 0;

  if (depth > MAX_DEPTH)
    {
      boto_protocol_invalid (error, "XML elements are nested more than %d deep", MAX_DEPTH);
      return NULL;
    }
  if (node == NULL && flat_parent != NULL &&
      def->type != BOTO_SHAPE_TYPE_LIST && def->type != BOTO_SHAPE_TYPE_MAP)
    node = first_child_named (flat_parent, flat_name);
  if (node == NULL && flat_parent == NULL)
    {
      boto_protocol_invalid (error, "No XML element for “%s”", def->name);
      return NULL;
    }

  switch (def->type)
    {
    case BOTO_SHAPE_TYPE_STRUCTURE:
      if (def->is_union && node->n_children == 1 && !union_has_member (def, node->children->name))
        {
          write_unknown_union_member (writer, node->children->name);
          return "a{sv}";
        }
      boto_variant_writer_open_array (writer, "{sv}");
      if (!xml_write_members (ctx, def, node, writer, depth, error))
        return NULL;
      boto_variant_writer_close (writer);
      return "a{sv}";

    case BOTO_SHAPE_TYPE_LIST:
      {
        BotoShapeDef *item;
        const char *type;
        BotoXmlNode *element;

        if (def->n_members < 1)
          {
            boto_protocol_invalid (error, "List shape “%s” has no member", def->name);
            return NULL;
          }
        if (member_info (ctx, &def->members[0], error) == NULL)
          return NULL;
        item = def->members[0].info->target;
        type = value_type (ctx, item, error);
        if (type == NULL || value_type (ctx, def, error) == NULL)
          return NULL;

        boto_variant_writer_open_array (writer, type);
        element = flat_parent != NULL ? first_child_named (flat_parent, flat_name) : node->children;
        while (element != NULL)
          {
            const char *written = xml_write_value (ctx, item, element, NULL, NULL, writer, depth + 1, error);

            if (written == NULL)
              return NULL;
            if (written != type && strcmp (written, type) != 0)
              {
                boto_protocol_invalid (error, "Unexpected XML value in “%s”", def->name);
                return NULL;
              }
            element = flat_parent != NULL ? boto_xml_node_get_next_len (element, flat_name, flat_name_len) : element->next;
          }
        boto_variant_writer_close (writer);
        return value_type (ctx, def, error);
      }

    case BOTO_SHAPE_TYPE_MAP:
      {
        const BotoMemberInfo *key_info, *value_info;
        const char *key_name, *value_name, *type;
        BotoXmlNode *entry;

        if (def->n_members < 2)
          {
            boto_protocol_invalid (error, "Map shape “%s” is incomplete", def->name);
            return NULL;
          }
        if ((key_info = member_info (ctx, &def->members[0], error)) == NULL ||
            (value_info = member_info (ctx, &def->members[1], error)) == NULL)
          return NULL;
        type = value_type (ctx, def, error);
        if (type == NULL)
          return NULL;
        key_name = key_info->ref_location_name != NULL ? key_info->ref_location_name : "key";
        value_name = value_info->ref_location_name != NULL ? value_info->ref_location_name : "value";

        boto_variant_writer_open_array (writer, type + 1);
        entry = flat_parent != NULL ? first_child_named (flat_parent, flat_name) : node->children;
        while (entry != NULL)
          {
            BotoXmlNode *key_node = boto_xml_node_get_child (entry, key_name);
            BotoXmlNode *value_node = boto_xml_node_get_child (entry, value_name);

            if (key_node != NULL && value_node != NULL)
              {
                const char *written;

                boto_variant_writer_open_tuple (writer, type + 1);
                boto_variant_writer_add_string (writer, key_node->text, key_node->text_len);
                written = xml_write_value (ctx, value_info->target, value_node, NULL, NULL, writer, depth + 1, error);
                if (written == NULL)
                  return NULL;
                /* type is "a{s" value "}" */
                if (strlen (written) + 4 != strlen (type) || strncmp (written, type + 3, strlen (written)) != 0)
                  {
                    boto_protocol_invalid (error, "Unexpected XML value in “%s”", def->name);
                    return NULL;
                  }
                boto_variant_writer_close (writer);
              }
            entry = flat_parent != NULL ? boto_xml_node_get_next_len (entry, flat_name, flat_name_len) : entry->next;
          }
        boto_variant_writer_close (writer);
        return type;
      }

    default:
      if (def->is_document)
        break;
      return xml_write_scalar (ctx, def, node->text, node->text_len, writer, error);
    }

  /* A document shape in XML: its text, as a string in a `v`. */
  return xml_write_scalar (ctx, def, node->text, node->text_len, writer, error);
}

/* The members of @def in @node, added to @builder as `{sv}` entries. */
static gboolean
xml_parse_members (Ctx              *ctx,
                   BotoShapeDef     *def,
                   BotoXmlNode      *node,
                   GVariantBuilder  *builder,
                   guint             depth,
                   GError          **error)
{
  BotoVariantWriter writer;
  g_autoptr(GVariant) members = NULL;
  GVariantIter iter;
  GVariant *entry;

  boto_variant_writer_init (&writer);
  boto_variant_writer_open_array (&writer, "{sv}");
  if (!xml_write_members (ctx, def, node, &writer, depth, error))
    {
      boto_variant_writer_clear (&writer);
      return FALSE;
    }
  boto_variant_writer_close (&writer);
  members = g_variant_ref_sink (boto_variant_writer_finish (&writer, G_VARIANT_TYPE_VARDICT));
  boto_variant_writer_clear (&writer);

  g_variant_iter_init (&iter, members);
  while ((entry = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_variant_builder_add_value (builder, entry);
      g_variant_unref (entry);
    }
  return TRUE;
}

/* The value of shape @ref in @node. */
static GVariant *
xml_parse_value (Ctx          *ctx,
                 const Ref    *ref,
                 BotoXmlNode  *node,
                 guint         depth,
                 GError      **error)
{
  BotoVariantWriter writer;
  const char *type;
  GVariant *value;

  boto_variant_writer_init (&writer);
  type = xml_write_value (ctx, ref->def, node, NULL, NULL, &writer, depth, error);
  if (type == NULL)
    {
      boto_variant_writer_clear (&writer);
      return NULL;
    }
  value = boto_variant_writer_finish (&writer, G_VARIANT_TYPE (type));
  boto_variant_writer_clear (&writer);
  return value;
}

/* An element as botocore's error dicts show it: text for a leaf, a{sv} of
 * the children otherwise (the first of repeated names wins). */
static GVariant *
xml_node_to_dict_value (BotoXmlNode *node)
{
  GVariantBuilder builder;
  g_autoptr(GHashTable) seen = NULL;

  if (node->children == NULL)
    return g_variant_new_string (g_utf8_validate (node->text, -1, NULL) ? node->text : "");

  seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  for (BotoXmlNode *child = node->children; child != NULL; child = child->next)
    {
      if (!g_hash_table_add (seen, (gpointer) child->name))
        continue;
      g_variant_builder_add (&builder, "{sv}", child->name, xml_node_to_dict_value (child));
    }
  return g_variant_builder_end (&builder);
}

static char *
dup_child_text (BotoXmlNode *node,
                const char  *name)
{
  BotoXmlNode *child = node != NULL ? boto_xml_node_get_child (node, name) : NULL;

  if (child == NULL || !g_utf8_validate (child->text, -1, NULL))
    return NULL;
  return g_strdup (child->text);
}

/* Headers */

static char *
dup_header (Ctx        *ctx,
            const char *name)
{
  const char *value;

  if (ctx->headers == NULL)
    return NULL;
  value = soup_message_headers_get_one (ctx->headers, name);
  return value != NULL ? g_strdup (value) : NULL;
}

static char *
dup_amzn_request_id (Ctx *ctx)
{
  if (ctx->request_id_noted)
    return g_strdup (ctx->amzn_request_id);
  return dup_header (ctx, "x-amzn-requestid");
}

/* A list header: comma-separated items, any of them quoted with `\"` and
 * `\\` escapes.  HTTP dates contain a comma of their own, so for timestamp
 * lists a day name is joined to the date after it. */
static GPtrArray *
split_header_list (const char *value,
                   gboolean    timestamps)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_free);
  const char *p = value;

  while (*p != '\0')
    {
      g_autoptr(GString) item = g_string_new (NULL);

      while (*p == ' ' || *p == '\t')
        p++;
      if (*p == '"')
        {
          p++;
          while (*p != '\0' && *p != '"')
            {
              if (*p == '\\' && p[1] != '\0')
                p++;
              g_string_append_c (item, *p++);
            }
          if (*p == '"')
            p++;
          while (*p != '\0' && *p != ',')
            p++;
        }
      else
        {
          while (*p != '\0' && *p != ',')
            g_string_append_c (item, *p++);
          while (item->len > 0 && (item->str[item->len - 1] == ' ' || item->str[item->len - 1] == '\t'))
            g_string_truncate (item, item->len - 1);
        }
      g_ptr_array_add (items, g_string_free (g_steal_pointer (&item), FALSE));
      if (*p == ',')
        {
          p++;
          if (*p == '\0')
            g_ptr_array_add (items, g_strdup (""));
        }
    }

  if (timestamps)
    {
      for (guint i = 0; i + 1 < items->len; i++)
        {
          char *day = g_ptr_array_index (items, i);
          gboolean has_digit = FALSE;

          for (const char *q = day; *q != '\0'; q++)
            has_digit |= g_ascii_isdigit (*q);
          if (!has_digit && *day != '\0')
            {
              char *joined = g_strconcat (day, ", ", (char *) g_ptr_array_index (items, i + 1), NULL);

              g_ptr_array_remove_index (items, i + 1);
              g_free (items->pdata[i]);
              items->pdata[i] = joined;
            }
        }
    }

  return items;
}

static GVariant *
parse_header_value (Ctx         *ctx,
                    const Ref   *ref,
                    const char  *value,
                    GError     **error)
{
  if (ref->def->type == BOTO_SHAPE_TYPE_LIST)
    {
      g_autoptr(GVariantType) type = NULL;
      g_autoptr(GVariantType) array_type = NULL;
      g_autoptr(GPtrArray) items = NULL;
      GVariantBuilder builder;
      Ref item;

      if (ref->def->n_members < 1)
        {
          boto_protocol_invalid (error, "List shape “%s” has no member", ref->def->name);
          return NULL;
        }
      if (!member_ref (ctx, &ref->def->members[0], &item, error))
        return NULL;
      type = element_type (ctx, item.def, error);
      if (type == NULL)
        return NULL;
      items = split_header_list (value, item.def->type == BOTO_SHAPE_TYPE_TIMESTAMP);
      array_type = g_variant_type_new_array (type);
      g_variant_builder_init (&builder, array_type);
      for (guint i = 0; i < items->len; i++)
        {
          GVariant *parsed = scalar_from_text (ctx, &item, g_ptr_array_index (items, i), TRUE, error);

          if (parsed == NULL)
            {
              g_variant_builder_clear (&builder);
              return NULL;
            }
          g_variant_builder_add_value (&builder, parsed);
        }
      return g_variant_builder_end (&builder);
    }

  return scalar_from_text (ctx, ref, value, TRUE, error);
}

static GVariant *
parse_prefix_headers (Ctx         *ctx,
                      const Ref   *ref,
                      GError     **error)
{
  g_autofree char *prefix = g_ascii_strdown (ref_string (ref, "locationName") ? ref_string (ref, "locationName") : "", -1);
  g_autoptr(GString) type_string = g_string_new ("a{s");
  g_autoptr(GVariantType) type = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GVariantBuilder builder;
  SoupMessageHeadersIter iter;
  const char *name, *value;
  gsize prefix_len = strlen (prefix);
  Ref value_ref;
  const char *value_type;

  if (ref->def->type != BOTO_SHAPE_TYPE_MAP || ref->def->n_members < 2)
    {
      boto_protocol_invalid (error, "Header map “%s” is not a map", ref->def->name);
      return NULL;
    }
  if (!member_ref (ctx, &ref->def->members[1], &value_ref, error))
    return NULL;
  value_type = boto_shape_def_get_value_type (ctx->data, value_ref.def);
  if (value_type == NULL)
    {
      boto_protocol_invalid (error, "Cannot type values of shape “%s”", ref->def->name);
      return NULL;
    }
  g_string_append (type_string, value_type);
  g_string_append_c (type_string, '}');
  type = g_variant_type_new (type_string->str);
  g_variant_builder_init (&builder, type);

  if (ctx->headers != NULL)
    {
      soup_message_headers_iter_init (&iter, ctx->headers);
      while (soup_message_headers_iter_next (&iter, &name, &value))
        {
          g_autofree char *lower = g_ascii_strdown (name, -1);
          const char *combined;
          GVariant *parsed;

          if (!g_str_has_prefix (lower, prefix) || !g_hash_table_add (seen, g_strdup (lower)))
            continue;
          combined = soup_message_headers_get_list (ctx->headers, name);
          parsed = scalar_from_text (ctx, &value_ref, combined != NULL ? combined : value, TRUE, error);
          if (parsed == NULL)
            {
              g_variant_builder_clear (&builder);
              return NULL;
            }
          g_variant_builder_add_value (&builder, g_variant_new_dict_entry (g_variant_new_string (name + prefix_len), parsed));
        }
    }

  return g_variant_builder_end (&builder);
}

/* REST: headers, status code and payload */

/* Event streams ------------------------------------------------------------
 *
 * A buffered event stream becomes a list (`aa{sv}`) of events, each a
 * dictionary with one member, the event type, as botocore's EventStream
 * yields them. An `initial-response` event (awsJson) fills the output's
 * other members. An error or exception event fails the parse with a
 * %BOTO_SERVICE_ERROR of its code and message.
 */

static gboolean
is_event_stream (const Ref *ref)
{
  return ref->def->type == BOTO_SHAPE_TYPE_STRUCTURE && ref_bool (ref, "eventstream");
}

static GVariant *
event_header_value (Ctx                   *ctx,
                    const Ref             *ref,
                    const BotoEventHeader *header,
                    GError               **error)
{
  GVariant *value = header->value;

  switch (ref->def->type)
    {
    case BOTO_SHAPE_TYPE_BOOLEAN:
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
        return g_variant_ref (value);
      break;
    case BOTO_SHAPE_TYPE_BYTE:
    case BOTO_SHAPE_TYPE_SHORT:
    case BOTO_SHAPE_TYPE_INTEGER:
    case BOTO_SHAPE_TYPE_LONG:
      {
        gint64 n;

        if (g_variant_is_of_type (value, G_VARIANT_TYPE_BYTE))
          n = g_variant_get_byte (value);
        else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT16))
          n = g_variant_get_int16 (value);
        else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT32))
          n = g_variant_get_int32 (value);
        else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
          n = g_variant_get_int64 (value);
        else
          break;
        if (ref->def->type == BOTO_SHAPE_TYPE_LONG)
          return g_variant_new_int64 (n);
        if (n < G_MININT32 || n > G_MAXINT32)
          break;
        return g_variant_new_int32 ((gint32) n);
      }
    case BOTO_SHAPE_TYPE_TIMESTAMP:
      if (header->type == BOTO_EVENT_HEADER_TIMESTAMP &&
          g_variant_get_int64 (value) > G_MININT64 / 1000 && g_variant_get_int64 (value) < G_MAXINT64 / 1000)
        return g_variant_new_int64 (g_variant_get_int64 (value) * 1000);
      break;
    case BOTO_SHAPE_TYPE_BLOB:
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_BYTESTRING))
        return g_variant_ref (value);
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        return g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, g_variant_get_string (value, NULL),
                                          strlen (g_variant_get_string (value, NULL)), 1);
      break;
    case BOTO_SHAPE_TYPE_STRING:
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        return g_variant_ref (value);
      break;
    default:
      break;
    }
  boto_protocol_invalid (error, "The event header “%s” does not fit the shape %s", header->name, ref->def->name);
  return NULL;
}

/* The payload of an event as the structure member @ref (rest-xml: an XML
 * document, else JSON). */
static GVariant *
event_payload_value (Ctx           *ctx,
                     const Ref     *ref,
                     const guint8  *payload,
                     gsize          len,
                     GError       **error)
{
  if (ref->def->type == BOTO_SHAPE_TYPE_BLOB)
    return g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, payload, len, 1);
  if (ref->def->type == BOTO_SHAPE_TYPE_STRING)
    {
      if (!g_utf8_validate ((const char *) payload, len, NULL))
        {
          boto_protocol_invalid (error, "An event payload is not valid UTF-8");
          return NULL;
        }
      return g_variant_new_take_string (g_strndup ((const char *) payload, len));
    }
  if (ctx->proto == PROTO_REST_XML)
    {
      g_autoptr(BotoXmlNode) root = boto_xml_parse ((const char *) payload, len, error);

      return root != NULL ? xml_parse_value (ctx, ref, root, 0, error) : NULL;
    }
  else
    {
      g_autoptr(BotoJsonReader) reader = boto_json_reader_new ((const char *) payload, len, error);

      return reader != NULL ? boto_json_reader_read_value (reader, json_plans (ctx), ref->def, error) : NULL;
    }
}

/* The members of @def from @message's payload parsed as a body. */
static gboolean
event_body_members (Ctx              *ctx,
                    BotoShapeDef     *def,
                    BotoEventMessage *message,
                    GVariantBuilder  *builder,
                    GError          **error)
{
  const char *text = (const char *) message->payload;

  if (message->payload_len == 0)
    return TRUE;
  if (ctx->proto == PROTO_REST_XML)
    {
      g_autoptr(BotoXmlNode) root = boto_xml_parse (text, message->payload_len, error);

      return root != NULL && xml_parse_members (ctx, def, root, builder, 0, error);
    }
  else
    {
      return json_read_members (ctx, def, text, message->payload_len, FALSE, builder, error);
    }
}

static GVariant *
parse_event (Ctx              *ctx,
             BotoShapeDef     *event_def,
             BotoEventMessage *message,
             GError          **error)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  gboolean has_body_members = FALSE;

  for (guint i = 0; i < event_def->n_members; i++)
    {
      BotoMemberDef *member = &event_def->members[i];
      GVariant *value = NULL;
      Ref ref;

      if (!member_ref (ctx, member, &ref, error))
        return NULL;
      if (ref_bool (&ref, "eventheader"))
        {
          const BotoEventHeader *header = boto_event_message_get_header (message, member->name);

          if (header == NULL)
            continue;
          value = event_header_value (ctx, &ref, header, error);
        }
      else if (ref_bool (&ref, "eventpayload"))
        value = event_payload_value (ctx, &ref, message->payload, message->payload_len, error);
      else
        {
          has_body_members = TRUE;
          continue;
        }
      if (value == NULL)
        return NULL;
      g_variant_builder_add (&builder, "{sv}", member->name, value);
    }
  if (has_body_members && !event_body_members (ctx, event_def, message, &builder, error))
    return NULL;
  return g_variant_builder_end (&builder);
}

/* @stream (the eventstream shape) from the whole body; an initial
 * response's members go to @output_builder, parsed as @output_def. */
static GVariant *
parse_event_stream (Ctx              *ctx,
                    const Ref        *stream,
                    BotoShapeDef     *output_def,
                    GVariantBuilder  *output_builder,
                    GError          **error)
{
  g_auto(GVariantBuilder) events = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("aa{sv}"));
  const guint8 *data = (const guint8 *) ctx->body;
  gsize left = ctx->body_len;

  while (left > 0)
    {
      BotoEventMessage message;
      gsize consumed = 0;
      const char *message_type;
      const char *event_type;
      BotoMemberDef *member;
      GVariant *event;
      Ref ref;

      if (!boto_event_message_decode (data, left, &message, &consumed, error))
        return NULL;
      data += consumed;
      left -= consumed;

      message_type = boto_event_message_get_string (&message, ":message-type");
      if (g_strcmp0 (message_type, "error") == 0 || g_strcmp0 (message_type, "exception") == 0)
        {
          const char *code = boto_event_message_get_string (&message, g_strcmp0 (message_type, "error") == 0
                                                                      ? ":error-code" : ":exception-type");
          const char *text = boto_event_message_get_string (&message, ":error-message");
          g_autofree char *payload = g_utf8_make_valid ((const char *) message.payload, message.payload_len);

          GVariantDict error_dict, metadata, response;

          /* botocore raises EventStreamError, a ClientError, when the
           * iteration reaches it: here the call fails with that service
           * error. */
          g_variant_dict_init (&error_dict, NULL);
          g_variant_dict_insert (&error_dict, "Code", "s", code != NULL ? code : "Unknown");
          g_variant_dict_insert (&error_dict, "Message", "s", text != NULL ? text : payload);
          g_variant_dict_init (&metadata, NULL);
          g_variant_dict_insert (&metadata, "HTTPStatusCode", "i", (gint32) ctx->status);
          g_variant_dict_init (&response, NULL);
          g_variant_dict_insert_value (&response, "Error", g_variant_dict_end (&error_dict));
          g_variant_dict_insert_value (&response, "ResponseMetadata", g_variant_dict_end (&metadata));
          g_propagate_error (error, boto_service_error_new_from_response (ctx->op->name,
                                                                          g_variant_dict_end (&response)));
          boto_event_message_clear (&message);
          return NULL;
        }

      event_type = boto_event_message_get_string (&message, ":event-type");
      if (event_type != NULL && strcmp (event_type, "initial-response") == 0)
        {
          gboolean ok = output_def == NULL ||
                        event_body_members (ctx, output_def, &message, output_builder, error);

          boto_event_message_clear (&message);
          if (!ok)
            return NULL;
          continue;
        }
      member = event_type != NULL ? boto_shape_def_find_member (stream->def, event_type) : NULL;
      if (member == NULL)
        {
          /* An event type this model does not know: skipped, as botocore. */
          boto_event_message_clear (&message);
          continue;
        }
      if (!member_ref (ctx, member, &ref, error))
        {
          boto_event_message_clear (&message);
          return NULL;
        }
      event = parse_event (ctx, ref.def, &message, error);
      boto_event_message_clear (&message);
      if (event == NULL)
        return NULL;
      g_variant_builder_open (&events, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&events, "{sv}", member->name, event);
      g_variant_builder_close (&events);
    }
  return g_variant_builder_end (&events);
}

/* The member of @def whose target is an event stream, or NULL. */
static BotoMemberDef *
find_event_stream_member (Ctx          *ctx,
                          BotoShapeDef *def,
                          Ref          *out_ref)
{
  for (guint i = 0; def != NULL && i < def->n_members; i++)
    {
      BotoMemberDef *member = &def->members[i];

      if (member_ref (ctx, member, out_ref, NULL) && is_event_stream (out_ref))
        return member;
    }
  return NULL;
}

static gboolean
rest_parse (Ctx              *ctx,
            BotoShapeDef     *def,
            GVariantBuilder  *builder,
            GError          **error)
{
  const char *payload = boto_model_variant_get_string (def->definition, "payload");
  gboolean is_xml = ctx->proto == PROTO_REST_XML;

  for (guint i = 0; i < def->n_members; i++)
    {
      BotoMemberDef *member = &def->members[i];
      const char *location;
      GVariant *parsed = NULL;
      Ref ref;

      if (!member_ref (ctx, member, &ref, error))
        return FALSE;
      location = ref_string (&ref, "location");
      if (location == NULL)
        continue;

      if (strcmp (location, "statusCode") == 0)
        parsed = g_variant_new_int32 ((gint32) ctx->status);
      else if (strcmp (location, "headers") == 0)
        {
          parsed = parse_prefix_headers (ctx, &ref, error);
          if (parsed == NULL)
            return FALSE;
        }
      else if (strcmp (location, "header") == 0)
        {
          const char *header = ref_string (&ref, "locationName");
          const char *value;

          if (header == NULL)
            header = member->name;
          value = ctx->headers != NULL ? soup_message_headers_get_list (ctx->headers, header) : NULL;
          if (value == NULL)
            continue;
          parsed = parse_header_value (ctx, &ref, value, error);
          if (parsed == NULL)
            return FALSE;
        }
      else
        continue;

      g_variant_builder_add (builder, "{sv}", member->name, parsed);
    }

  if (payload != NULL)
    {
      BotoMemberDef *member = boto_shape_def_find_member (def, payload);
      GVariant *parsed;
      Ref ref;

      if (member == NULL)
        return boto_protocol_invalid (error, "Payload member “%s” is not in “%s”", payload, def->name);
      if (!member_ref (ctx, member, &ref, error))
        return FALSE;

      if (is_event_stream (&ref))
        {
          parsed = parse_event_stream (ctx, &ref, NULL, NULL, error);
          if (parsed == NULL)
            return FALSE;
          g_variant_builder_add (builder, "{sv}", member->name, parsed);
          return TRUE;
        }
      if ((ref.def->type == BOTO_SHAPE_TYPE_BLOB || ref.def->type == BOTO_SHAPE_TYPE_STRING) &&
          ctx->body_len == 0 && !ref_bool (&ref, "streaming"))
        return TRUE;   /* no body, no member (a stream is always there) */
      if (ref.def->type == BOTO_SHAPE_TYPE_BLOB)
        {
          /* Streaming or not, the body as it came. */
          parsed = g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, ctx->body, ctx->body_len, 1);
        }
      else if (ref.def->type == BOTO_SHAPE_TYPE_STRING)
        {
          if (!g_utf8_validate (ctx->body, ctx->body_len, NULL))
            return boto_protocol_invalid (error, "The %s payload is not valid UTF-8", payload);
          parsed = g_variant_new_take_string (g_strndup (ctx->body, ctx->body_len));
        }
      else if (ctx->body_len == 0)
        return TRUE;
      else if (is_xml)
        {
          g_autoptr(BotoXmlNode) root = boto_xml_parse (ctx->body, ctx->body_len, error);

          if (root == NULL)
            return FALSE;
          parsed = xml_parse_value (ctx, &ref, root, 0, error);
        }
      else
        {
          g_autoptr(BotoJsonReader) reader = boto_json_reader_new (ctx->body, ctx->body_len, error);

          if (reader == NULL)
            return FALSE;
          if (boto_json_reader_root_is_null (reader))
            return TRUE;
          parsed = boto_json_reader_read_value (reader, json_plans (ctx), ref.def, error);
        }
      if (parsed == NULL)
        return FALSE;
      g_variant_builder_add (builder, "{sv}", member->name, parsed);
      return TRUE;
    }

  if (ctx->body_len == 0)
    return TRUE;

  if (is_xml)
    {
      g_autoptr(BotoXmlNode) root = boto_xml_parse (ctx->body, ctx->body_len, error);

      if (root == NULL)
        return FALSE;
      return xml_parse_members (ctx, def, root, builder, 0, error);
    }
  else
    {
      if (ctx->json_to_entries)
        return json_read_entries (ctx, def, TRUE, error);
      return json_read_members (ctx, def, ctx->body, ctx->body_len, TRUE, builder, error);
    }
}

/* Successful responses */

static gboolean
body_is_blank (Ctx *ctx)
{
  for (gsize i = 0; i < ctx->body_len; i++)
    if (!g_ascii_isspace (ctx->body[i]))
      return FALSE;
  return TRUE;
}

/* Opens parse_output()'s builder once.  The json protocol's is given
 * unopened (all zeros, which g_variant_builder_clear() accepts) since it
 * mostly goes unused. */
static void
open_builder (Ctx             *ctx,
                   GVariantBuilder *builder)
{
  if (ctx->builder_open)
    return;
  g_variant_builder_init (builder, G_VARIANT_TYPE_VARDICT);
  ctx->builder_open = TRUE;
}

static gboolean
parse_output (Ctx              *ctx,
              GVariantBuilder  *builder,
              GError          **error)
{
  BotoMemberDef *output = &ctx->op->output;
  BotoShapeDef *def = output->shape_name != NULL ? boto_member_def_get_target (ctx->data, output) : NULL;

  if (output->shape_name != NULL && def == NULL)
    return boto_protocol_invalid (error, "The model has no shape “%s”", output->shape_name);

  switch (ctx->proto)
    {
    case PROTO_JSON:
      ctx->request_id = dup_amzn_request_id (ctx);
      {
        Ref stream;
        BotoMemberDef *member = find_event_stream_member (ctx, def, &stream);

        if (member != NULL)
          {
            GVariant *events;

            open_builder (ctx, builder);
            events = parse_event_stream (ctx, &stream, def, builder, error);

            if (events == NULL)
              return FALSE;
            g_variant_builder_add (builder, "{sv}", member->name, events);
            return TRUE;
          }
      }
      if (def == NULL || body_is_blank (ctx))
        return TRUE;
      if (ctx->json_to_entries)
        return json_read_result (ctx, def, error);
      open_builder (ctx, builder);
      return json_read_members (ctx, def, ctx->body, ctx->body_len, FALSE, builder, error);

    case PROTO_REST_JSON:
    case PROTO_REST_XML:
      ctx->request_id = dup_amzn_request_id (ctx);
      if (ctx->request_id == NULL)
        {
          ctx->request_id = dup_header (ctx, "x-amz-request-id");
          if (ctx->request_id != NULL)
            {
              ctx->host_id = dup_header (ctx, "x-amz-id-2");
              ctx->have_host_id = TRUE;
            }
        }
      if (def == NULL)
        return TRUE;
      return rest_parse (ctx, def, builder, error);

    case PROTO_QUERY:
    case PROTO_EC2:
    default:
      {
        g_autoptr(BotoXmlNode) root = NULL;
        BotoXmlNode *start;

        if (body_is_blank (ctx))
          {
            if (def != NULL && def->n_members > 0)
              return boto_protocol_invalid (error, "The response has no body");
            return TRUE;
          }
        root = boto_xml_parse (ctx->body, ctx->body_len, error);
        if (root == NULL)
          return FALSE;

        if (ctx->proto == PROTO_EC2)
          ctx->request_id = dup_child_text (root, "requestId");
        else
          ctx->request_id = dup_child_text (boto_xml_node_get_child (root, "ResponseMetadata"), "RequestId");

        if (def == NULL)
          return TRUE;
        start = root;
        if (ctx->proto == PROTO_QUERY)
          {
            const char *wrapper = boto_model_variant_get_string (output->traits, "resultWrapper");

            if (wrapper == NULL)
              wrapper = boto_model_variant_get_string (def->definition, "resultWrapper");
            if (wrapper != NULL)
              {
                start = boto_xml_node_get_child (root, wrapper);
                if (start == NULL)
                  return TRUE;
              }
          }
        return xml_parse_members (ctx, def, start, builder, 0, error);
      }
    }
}

/* Errors */

typedef struct
{
  char       *code;
  char       *message;
  char       *query_code;   /* the code before awsQueryCompatible mapping */
  char       *type;
  GVariant   *extra;        /* a{sv}: other fields of the error element, or NULL */
} ErrorInfo;

static void
error_info_clear (ErrorInfo *info)
{
  g_free (info->code);
  g_free (info->message);
  g_free (info->query_code);
  g_free (info->type);
  g_clear_pointer (&info->extra, g_variant_unref);
}

/* `aws.protocoltests#Foo:http://…` → `Foo` */
static char *
sanitize_code (const char *code)
{
  g_autofree char *head = NULL;
  const char *colon = strchr (code, ':');
  const char *hash;

  head = colon != NULL ? g_strndup (code, colon - code) : g_strdup (code);
  hash = strrchr (head, '#');
  return g_strdup (hash != NULL ? hash + 1 : head);
}

static void
error_from_status (Ctx       *ctx,
                   ErrorInfo *info)
{
  const char *phrase = soup_status_get_phrase (ctx->status);

  info->code = g_strdup_printf ("%u", ctx->status);
  info->message = g_strdup (phrase != NULL && ctx->status >= 100 ? phrase : "");
}

static void
apply_query_compatible (Ctx       *ctx,
                        ErrorInfo *info)
{
  g_autoptr(GVariant) flag = boto_model_variant_lookup (boto_model_data_get_metadata (ctx->data), "awsQueryCompatible");
  const char *header;
  g_auto(GStrv) parts = NULL;

  if (flag == NULL || ctx->headers == NULL)
    return;
  header = soup_message_headers_get_one (ctx->headers, "x-amzn-query-error");
  if (header == NULL)
    return;
  parts = g_strsplit (header, ";", -1);
  if (g_strv_length (parts) != 2 || parts[0][0] == '\0')
    return;

  info->query_code = g_steal_pointer (&info->code);
  info->code = g_strdup (parts[0]);
  info->type = g_strdup (parts[1]);
}

static void
json_error (Ctx       *ctx,
            ErrorInfo *info)
{
  g_autoptr(BotoJsonReader) object = NULL;
  g_autofree char *body_code = NULL;
  const char *header;
  const char *code = NULL;

  if (!body_is_blank (ctx))
    {
      object = boto_json_reader_new (ctx->body, ctx->body_len, NULL);
      if (object == NULL)
        {
          /* botocore: the body itself becomes the message. */
          if (g_utf8_validate (ctx->body, ctx->body_len, NULL))
            info->message = g_strndup (ctx->body, ctx->body_len);
        }
      else if (!boto_json_reader_root_is_object (object))
        g_clear_pointer (&object, boto_json_reader_free);
    }

  if (object != NULL)
    {
      const char *keys[] = { "message", "Message" };

      for (guint i = 0; i < G_N_ELEMENTS (keys) && info->message == NULL; i++)
        info->message = boto_json_reader_dup_root_string (object, keys[i]);
    }
  if (info->message == NULL)
    info->message = g_strdup ("");

  /* The header first, then `code`, then `__type`, then the status. */
  header = ctx->headers != NULL ? soup_message_headers_get_one (ctx->headers, "x-amzn-errortype") : NULL;
  if (header != NULL)
    code = header;
  if (code == NULL && object != NULL)
    {
      /* awsJson reads `__type` first, rest-json `code` (as botocore). */
      const char *json_keys[] = { "__type", "code", "Code" };
      const char *rest_keys[] = { "code", "Code", "__type" };
      const char **keys = ctx->proto == PROTO_JSON ? json_keys : rest_keys;

      for (guint i = 0; i < G_N_ELEMENTS (json_keys) && code == NULL; i++)
        code = body_code = boto_json_reader_dup_root_string (object, keys[i]);
    }
  if (code != NULL)
    info->code = sanitize_code (code);
  else
    info->code = g_strdup_printf ("%u", ctx->status);

  apply_query_compatible (ctx, info);
  ctx->request_id = dup_amzn_request_id (ctx);
  if (ctx->request_id == NULL && ctx->proto == PROTO_REST_JSON)
    ctx->request_id = dup_header (ctx, "x-amz-request-id");
}

/* The fields of an error element other than Code and Message. */
static GVariant *
xml_error_extra (BotoXmlNode *error_node,
                 const char  *skip1,
                 const char  *skip2)
{
  GVariantBuilder builder;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  for (BotoXmlNode *child = error_node->children; child != NULL; child = child->next)
    {
      if (strcmp (child->name, "Code") == 0 || strcmp (child->name, "Message") == 0 ||
          (skip1 != NULL && strcmp (child->name, skip1) == 0) ||
          (skip2 != NULL && strcmp (child->name, skip2) == 0) ||
          !g_hash_table_add (seen, (gpointer) child->name))
        continue;
      g_variant_builder_add (&builder, "{sv}", child->name, xml_node_to_dict_value (child));
    }
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

static void
xml_error (Ctx          *ctx,
           BotoXmlNode  *root,
           ErrorInfo    *info)
{
  BotoXmlNode *error_node = NULL;

  if (root == NULL)
    {
      error_from_status (ctx, info);
      if (ctx->proto == PROTO_REST_XML)
        {
          ctx->request_id = dup_header (ctx, "x-amz-request-id");
          ctx->host_id = dup_header (ctx, "x-amz-id-2");
          ctx->have_host_id = TRUE;
          if (ctx->request_id == NULL)
            ctx->request_id = g_strdup ("");
          if (ctx->host_id == NULL)
            ctx->host_id = g_strdup ("");
        }
      return;
    }

  if (ctx->proto == PROTO_REST_XML && strcmp (root->name, "Error") == 0)
    {
      /* S3: the root is the error; ids come from the headers only. */
      error_node = root;
      ctx->request_id = dup_amzn_request_id (ctx);
      if (ctx->request_id == NULL)
        {
          ctx->request_id = dup_header (ctx, "x-amz-request-id");
          if (ctx->request_id != NULL)
            {
              ctx->host_id = dup_header (ctx, "x-amz-id-2");
              ctx->have_host_id = TRUE;
            }
        }
      /* As botocore: the body's RequestId and HostId are dropped, not
       * taken, when the headers lack them. */
      info->extra = xml_error_extra (error_node, "RequestId", "HostId");
    }
  else
    {
      BotoXmlNode *errors = boto_xml_node_get_child (root, "Errors");

      error_node = boto_xml_node_get_child (errors != NULL ? errors : root, "Error");
      if (error_node == NULL && strcmp (root->name, "Error") == 0)
        error_node = root;
      ctx->request_id = dup_child_text (root, ctx->proto == PROTO_EC2 ? "RequestID" : "RequestId");
      if (ctx->request_id == NULL)
        ctx->request_id = dup_child_text (root, "RequestId");
      if (error_node != NULL)
        info->extra = xml_error_extra (error_node, NULL, NULL);
    }

  if (error_node != NULL)
    {
      info->code = dup_child_text (error_node, "Code");
      info->message = dup_child_text (error_node, "Message");
    }
  if (info->code == NULL)
    info->code = g_strdup ("");
  if (info->message == NULL)
    info->message = g_strdup ("");

  if (ctx->request_id == NULL)
    {
      ctx->request_id = dup_amzn_request_id (ctx);
      if (ctx->request_id == NULL)
        ctx->request_id = dup_header (ctx, "x-amz-request-id");
    }
}

static gboolean
shape_matches_code (BotoShapeDef *def,
                    const char   *code,
                    const char   *query_code)
{
  g_autoptr(GVariant) error_trait = NULL;
  const char *custom = NULL;

  if (def == NULL || def->type != BOTO_SHAPE_TYPE_STRUCTURE)
    return FALSE;
  if (strcmp (def->name, code) == 0 || (query_code != NULL && strcmp (def->name, query_code) == 0))
    return TRUE;
  error_trait = boto_model_variant_lookup (def->definition, "error");
  if (error_trait != NULL && g_variant_is_of_type (error_trait, G_VARIANT_TYPE_VARDICT))
    custom = boto_model_variant_get_string (error_trait, "code");
  return custom != NULL && strcmp (custom, code) == 0;
}

/* The modelled error shape an error code names: one of the operation's
 * errors (by name or by its `error.code`), else any structure of the
 * service with that name. */
static BotoShapeDef *
find_error_shape (Ctx       *ctx,
                  ErrorInfo *info)
{
  g_autoptr(GVariant) errors = NULL;
  BotoShapeDef *def;

  if (info->code == NULL || info->code[0] == '\0')
    return NULL;

  errors = boto_model_variant_lookup (ctx->op->definition, "errors");
  if (errors != NULL && g_variant_is_of_type (errors, G_VARIANT_TYPE ("av")))
    {
      for (gsize i = 0; i < g_variant_n_children (errors); i++)
        {
          g_autoptr(GVariant) boxed = g_variant_get_child_value (errors, i);
          g_autoptr(GVariant) ref = g_variant_get_variant (boxed);
          const char *name = g_variant_is_of_type (ref, G_VARIANT_TYPE_VARDICT) ?
                             boto_model_variant_get_string (ref, "shape") : NULL;

          def = boto_model_data_lookup_shape (ctx->data, name);
          if (shape_matches_code (def, info->code, info->query_code))
            return def;
        }
    }

  def = boto_model_data_lookup_shape (ctx->data, info->code);
  if (def != NULL && def->type == BOTO_SHAPE_TYPE_STRUCTURE)
    return def;
  if (info->query_code != NULL)
    {
      def = boto_model_data_lookup_shape (ctx->data, info->query_code);
      if (def != NULL && def->type == BOTO_SHAPE_TYPE_STRUCTURE)
        return def;
    }
  return NULL;
}

static gboolean
parse_modeled_error (Ctx              *ctx,
                     BotoShapeDef     *def,
                     BotoXmlNode      *root,
                     GVariantBuilder  *builder,
                     GError          **error)
{
  switch (ctx->proto)
    {
    case PROTO_JSON:
      if (body_is_blank (ctx))
        return TRUE;
      return json_read_members (ctx, def, ctx->body, ctx->body_len, FALSE, builder, error);
    case PROTO_REST_JSON:
    case PROTO_REST_XML:
      return rest_parse (ctx, def, builder, error);
    case PROTO_QUERY:
    case PROTO_EC2:
    default:
      if (root == NULL)
        return TRUE;
      return xml_parse_members (ctx, def, root, builder, 0, error);
    }
}

static gboolean
is_generic_error (Ctx *ctx)
{
  if (ctx->status < 500)
    return FALSE;
  if ((ctx->proto == PROTO_JSON || ctx->proto == PROTO_REST_JSON) && ctx->headers != NULL &&
      soup_message_headers_get_one (ctx->headers, "x-amzn-errortype") != NULL)
    return FALSE;
  if (body_is_blank (ctx))
    return TRUE;
  for (gsize i = 0; i < ctx->body_len; i++)
    if (!g_ascii_isspace (ctx->body[i]))
      return ctx->body_len - i >= 6 && memcmp (ctx->body + i, "<html>", 6) == 0;
  return FALSE;
}

static void
parse_error (Ctx             *ctx,
             BotoXmlNode     *root,
             GVariantDict    *dict)
{
  ErrorInfo info = { NULL, };
  GVariantDict error_dict;
  BotoShapeDef *shape;

  if (is_generic_error (ctx))
    error_from_status (ctx, &info);
  else if (ctx->proto == PROTO_JSON || ctx->proto == PROTO_REST_JSON)
    json_error (ctx, &info);
  else
    xml_error (ctx, root, &info);

  /* Modelled members go at the top level, beside Error. */
  shape = find_error_shape (ctx, &info);
  if (shape != NULL)
    {
      GVariantBuilder builder;
      g_autoptr(GError) local_error = NULL;

      g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
      if (parse_modeled_error (ctx, shape, root, &builder, &local_error))
        {
          g_autoptr(GVariant) members = g_variant_ref_sink (g_variant_builder_end (&builder));
          GVariantIter iter;
          const char *key;
          GVariant *value;

          g_variant_iter_init (&iter, members);
          while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
            {
              g_variant_dict_insert_value (dict, key, value);
              g_variant_unref (value);
            }
        }
      else
        {
          g_debug ("Could not parse the members of error %s: %s", shape->name, local_error->message);
          g_variant_builder_clear (&builder);
        }
    }

  g_variant_dict_init (&error_dict, info.extra);
  g_variant_dict_insert (&error_dict, "Code", "s", info.code);
  g_variant_dict_insert (&error_dict, "Message", "s", info.message);
  if (info.query_code != NULL)
    g_variant_dict_insert (&error_dict, "QueryErrorCode", "s", info.query_code);
  if (info.type != NULL)
    g_variant_dict_insert (&error_dict, "Type", "s", info.type);
  g_variant_dict_insert_value (dict, "Error", g_variant_dict_end (&error_dict));

  error_info_clear (&info);
}

/* ResponseMetadata */

/* The response headers as a serialized a{ss}: names in lower case, a
 * repeated name once with its values joined (botocore's HTTPHeaders).
 * They are UTF-8 already (boto_protocol_utf8_headers()). */
static guint8 *
build_headers (Ctx   *ctx,
               gsize *out_size)
{
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GPtrArray) values = NULL;
  g_autoptr(GHashTable) seen = NULL;
  SoupMessageHeadersIter iter;
  const char *name, *value;

  if (ctx->headers == NULL)
    return boto_variant_string_dict_data (NULL, NULL, 0, out_size);

  /* Few headers (the usual): no copies but of what must change, and
   * soup's joined list only for a name that repeats. */
  {
    const char *hn[16], *hv[16], *keys[16], *vals[16];
    char *owned[16];
    gsize nh = 0, n = 0, n_owned = 0;
    guint8 *data;

    soup_message_headers_iter_init (&iter, ctx->headers);
    while (nh <= G_N_ELEMENTS (hn) && soup_message_headers_iter_next (&iter, &name, &value))
      {
        if (nh == G_N_ELEMENTS (hn))
          {
            nh++;
            break;
          }
        hn[nh] = name;
        hv[nh++] = value;
      }
    if (nh <= G_N_ELEMENTS (hn))
      {
        for (gsize i = 0; i < nh; i++)
          {
            gboolean repeated = FALSE, later = FALSE, upper = FALSE;
            const char *key = hn[i], *val = hv[i];

            for (gsize j = 0; j < i && !repeated; j++)
              repeated = g_ascii_strcasecmp (hn[j], hn[i]) == 0;
            if (repeated)
              continue;
            for (gsize j = i + 1; j < nh && !later; j++)
              later = g_ascii_strcasecmp (hn[j], hn[i]) == 0;
            if (later)
              {
                val = soup_message_headers_get_list (ctx->headers, hn[i]);
                if (val == NULL)
                  val = hv[i];
              }
            for (const char *c = key; *c != '\0' && !upper; c++)
              upper = g_ascii_isupper (*c);
            if (upper)
              key = owned[n_owned++] = g_ascii_strdown (key, -1);
            keys[n] = key;
            vals[n++] = val;
          }
        data = boto_variant_string_dict_data (keys, vals, n, out_size);
        for (gsize i = 0; i < n_owned; i++)
          g_free (owned[i]);
        return data;
      }
  }

  names = g_ptr_array_new_with_free_func (g_free);
  values = g_ptr_array_new_with_free_func (g_free);
  soup_message_headers_iter_init (&iter, ctx->headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      char *lower = g_ascii_strdown (name, -1);
      const char *combined;
      gboolean repeated = FALSE;

      /* Few headers: a scan; many: a set. */
      if (seen == NULL && names->len >= 16)
        {
          seen = g_hash_table_new (g_str_hash, g_str_equal);
          for (guint i = 0; i < names->len; i++)
            g_hash_table_add (seen, names->pdata[i]);
        }
      if (seen != NULL)
        repeated = g_hash_table_contains (seen, lower);
      else
        for (guint i = 0; i < names->len && !repeated; i++)
          repeated = strcmp (names->pdata[i], lower) == 0;
      if (repeated)
        {
          g_free (lower);
          continue;
        }

      combined = soup_message_headers_get_list (ctx->headers, name);
      if (combined == NULL)
        combined = value;
      g_ptr_array_add (names, lower);
      if (seen != NULL)
        g_hash_table_add (seen, lower);
      g_ptr_array_add (values, g_strdup (combined));
    }

  return boto_variant_string_dict_data ((const char *const *) names->pdata,
                                        (const char *const *) values->pdata, names->len, out_size);
}

/* The entry order GVariantDict gives these keys, found once per set. */
static const guint *
metadata_order (gboolean have_request_id,
                gboolean have_host_id)
{
  static guint orders[4][5];
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      for (guint set = 0; set < 4; set++)
        {
          const char *keys[5];
          gsize n = 0;

          if (set & 1)
            keys[n++] = "RequestId";
          if (set & 2)
            keys[n++] = "HostId";
          keys[n++] = "HTTPStatusCode";
          keys[n++] = "HTTPHeaders";
          keys[n++] = "RetryAttempts";
          boto_variant_vardict_order (keys, n, orders[set]);
        }
      g_once_init_leave (&once, 1);
    }
  return orders[(have_request_id ? 1 : 0) | (have_host_id ? 2 : 0)];
}

/* ResponseMetadata as a serialized a{sv} (its size in *@out_size). */
static guint8 *
build_metadata_data (Ctx   *ctx,
                     gsize *out_size)
{
  BotoVariantEntry entries[5], sorted[5];
  const guint *order = metadata_order (ctx->request_id != NULL, ctx->have_host_id);
  const char *host_id = ctx->host_id != NULL ? ctx->host_id : "";
  gint32 status = (gint32) ctx->status, attempts = 0;
  g_autofree guint8 *headers = NULL;
  gsize headers_size, n = 0;

  /* In the order a GVariantDict had them inserted, read out in its order. */
  if (ctx->request_id != NULL)
    entries[n++] = (BotoVariantEntry) { "RequestId", "s", ctx->request_id, strlen (ctx->request_id) + 1 };
  if (ctx->have_host_id)
    entries[n++] = (BotoVariantEntry) { "HostId", "s", host_id, strlen (host_id) + 1 };
  entries[n++] = (BotoVariantEntry) { "HTTPStatusCode", "i", &status, 4 };
  headers = build_headers (ctx, &headers_size);
  entries[n++] = (BotoVariantEntry) { "HTTPHeaders", "a{ss}", headers, headers_size };
  entries[n++] = (BotoVariantEntry) { "RetryAttempts", "i", &attempts, 4 };

  for (gsize i = 0; i < n; i++)
    sorted[i] = entries[order[i]];
  return boto_variant_vardict_data (sorted, n, out_size);
}

static GVariant *
build_metadata (Ctx *ctx)
{
  gsize size;
  guint8 *data = build_metadata_data (ctx, &size);

  return g_variant_new_from_data (G_VARIANT_TYPE_VARDICT, data, size, TRUE, g_free, data);
}

/* The members of a result and its ResponseMetadata, in the order a
 * GVariantDict of them gives (as the result was built before). */
static GVariant *
assemble_result (GVariant *members,
                 GVariant *metadata)
{
  gsize n = g_variant_n_children (members) + 1;
  g_autofree const char **keys = g_new (const char *, n);
  g_autofree GVariant **entries = g_new (GVariant *, n);
  g_autofree GVariant **sorted = g_new (GVariant *, n);
  g_autofree guint *order = g_new (guint, n);
  GVariant *result;
  gsize n_sorted;

  /* The entries of @members are reused as they are. */
  for (gsize i = 0; i + 1 < n; i++)
    {
      g_autoptr(GVariant) key = NULL;

      entries[i] = g_variant_get_child_value (members, i);
      key = g_variant_get_child_value (entries[i], 0);
      keys[i] = g_variant_get_string (key, NULL);   /* lives as long as entries[i] */
    }
  keys[n - 1] = "ResponseMetadata";
  entries[n - 1] = g_variant_ref_sink (g_variant_new_dict_entry (g_variant_new_string (keys[n - 1]),
                                                                 g_variant_new_variant (metadata)));

  n_sorted = boto_variant_vardict_order (keys, n, order);
  for (gsize i = 0; i < n_sorted; i++)
    sorted[i] = entries[order[i]];
  result = g_variant_new_array (G_VARIANT_TYPE ("{sv}"), sorted, n_sorted);
  for (gsize i = 0; i < n; i++)
    g_variant_unref (entries[i]);
  return result;
}

/* As assemble_result() when the JSON members were kept serialized: the
 * result is written in one piece. */
static GVariant *
assemble_serialized (Ctx      *ctx,
                     GVariant *members)
{
  gsize n_members = members != NULL ? g_variant_n_children (members) : 0;
  gsize n = n_members + ctx->json_entries->len + 1;
  BotoVariantEntry entries_stack[32], sorted_stack[32];
  const char *keys_stack[32];
  guint order_stack[32];
  g_autofree BotoVariantEntry *entries_heap = NULL;
  g_autofree BotoVariantEntry *sorted_heap = NULL;
  g_autofree const char **keys_heap = NULL;
  g_autofree guint *order_heap = NULL;
  BotoVariantEntry *entries = entries_stack, *sorted = sorted_stack;
  const char **keys = keys_stack;
  guint *order = order_stack;
  g_autoptr(GPtrArray) held = NULL;
  g_autofree guint8 *metadata = NULL;
  gsize i = 0, n_sorted, metadata_size;

  if (n > G_N_ELEMENTS (entries_stack))
    {
      entries = entries_heap = g_new (BotoVariantEntry, n);
      sorted = sorted_heap = g_new (BotoVariantEntry, n);
      keys = keys_heap = g_new (const char *, n);
      order = order_heap = g_new (guint, n);
    }
  if (n_members > 0)
    held = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);

  /* Members from the headers (rest-json), then the body's, as rest_parse
   * added them. */
  for (gsize m = 0; m < n_members; m++, i++)
    {
      GVariant *entry = g_variant_get_child_value (members, m);
      GVariant *key = g_variant_get_child_value (entry, 0);
      GVariant *boxed = g_variant_get_child_value (entry, 1);
      GVariant *value = g_variant_get_variant (boxed);

      g_ptr_array_add (held, entry);
      g_ptr_array_add (held, key);
      g_ptr_array_add (held, boxed);
      g_ptr_array_add (held, value);
      entries[i].key = g_variant_get_string (key, NULL);
      entries[i].type = g_variant_get_type_string (value);
      entries[i].data = g_variant_get_data (value);
      entries[i].size = g_variant_get_size (value);
    }
  for (guint j = 0; j < ctx->json_entries->len; j++, i++)
    entries[i] = g_array_index (ctx->json_entries, BotoVariantEntry, j);
  metadata = build_metadata_data (ctx, &metadata_size);
  entries[i].key = "ResponseMetadata";
  entries[i].type = "a{sv}";
  entries[i].data = metadata;
  entries[i].size = metadata_size;

  for (i = 0; i < n; i++)
    keys[i] = entries[i].key;
  n_sorted = boto_variant_vardict_order (keys, n, order);
  for (i = 0; i < n_sorted; i++)
    sorted[i] = entries[order[i]];
  return boto_variant_new_vardict (sorted, n_sorted);
}

/* Entry point */

static gboolean
protocol_from_name (const char *name,
                    Proto      *out)
{
  static const struct { const char *name; Proto proto; } table[] = {
    { "json", PROTO_JSON },
    { "rest-json", PROTO_REST_JSON },
    { "query", PROTO_QUERY },
    { "ec2", PROTO_EC2 },
    { "rest-xml", PROTO_REST_XML },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (strcmp (name, table[i].name) == 0)
      {
        *out = table[i].proto;
        return TRUE;
      }
  return FALSE;
}

/* S3 answers some operations with 200 and an <Error> document. */
static gboolean
is_s3_error_in_200 (Ctx         *ctx,
                    const char  *op_name,
                    BotoXmlNode *root)
{
  return ctx->proto == PROTO_REST_XML && ctx->status == 200 && root != NULL &&
         strcmp (root->name, "Error") == 0 &&
         (strcmp (op_name, "CompleteMultipartUpload") == 0 ||
          strcmp (op_name, "CopyObject") == 0 ||
          strcmp (op_name, "UploadPartCopy") == 0);
}

/**
 * boto_protocol_parse_response:
 * @op: the operation the response answers
 * @protocol: the service's protocol, as [method@Boto.ServiceModel.get_protocol]
 *   gives it: `json`, `rest-json`, `query`, `ec2` or `rest-xml`
 * @status: the HTTP status
 * @headers: (nullable): the response headers
 * @body: (nullable): the response body
 * @out_is_error: (out) (optional): set to whether the response is an error
 * @error: return location for a #GError
 *
 * Parses a response as botocore does.  A successful response gives the
 * output shape's members; an error response (status 300 or more, or S3's
 * 200 with an `<Error>` body for CompleteMultipartUpload, CopyObject and
 * UploadPartCopy) gives `Error` (`Code`, `Message` and the error element's
 * other fields) plus the members of the modelled error shape the code names.
 * Both have `ResponseMetadata` (`RequestId`, `HostId` for S3,
 * `HTTPStatusCode`, `HTTPHeaders`, `RetryAttempts`).
 *
 * A body that carries an event stream (a rest payload member, or an awsJson
 * output with one) is decoded message by message into a list (`aa{sv}`)
 * of one-member event dictionaries; a JSON list with nulls is an `av`
 * whose nulls are `mv` nothing.
 *
 * Returns: (transfer full): the result `a{sv}`, or %NULL with @error set:
 *   %BOTO_CLIENT_ERROR_INVALID_RESPONSE for a body that cannot be read (the
 *   message names the HTTP status and the operation), or
 *   %BOTO_SERVICE_ERROR for an error event in an event stream
 */
static gboolean
is_utf8 (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p >= 0x80)
      return g_utf8_validate (p, -1, NULL);
  return TRUE;
}

/* Header text as UTF-8: bytes that are not are read as ISO-8859-1. */
static char *
header_text_as_utf8 (const char *text)
{
  return is_utf8 (text) ? g_strdup (text) : g_convert (text, -1, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
}

/* Whether header name @name is @lower (in lower case) in any case, as
 * g_ascii_strcasecmp() but without a call a byte. */
static inline gboolean
header_name_is (const char *name,
                const char *lower)
{
  for (; *lower != '\0'; name++, lower++)
    {
      guchar c = *name;

      if (c >= 'A' && c <= 'Z')
        c += 'a' - 'A';
      if (c != (guchar) *lower)
        return FALSE;
    }
  return *name == '\0';
}

/* boto_protocol_utf8_headers(), noting x-amzn-requestid in @ctx on the
 * way when the headers are kept: the last one, as
 * soup_message_headers_get_one() gives (it searches the common headers,
 * then the others, each from the end: the iteration's order reversed). */
static SoupMessageHeaders *
utf8_headers (SoupMessageHeaders *headers,
              Ctx                *ctx)
{
  SoupMessageHeadersIter iter;
  SoupMessageHeaders *copy;
  const char *name, *value, *request_id = NULL;
  gboolean valid = TRUE;

  soup_message_headers_iter_init (&iter, headers);
  while (valid && soup_message_headers_iter_next (&iter, &name, &value))
    {
      valid = is_utf8 (name) && is_utf8 (value);
      if (header_name_is (name, "x-amzn-requestid"))
        request_id = value;
    }
  if (valid)
    {
      if (ctx != NULL)
        {
          ctx->amzn_request_id = request_id;
          ctx->request_id_noted = TRUE;
        }
      return soup_message_headers_ref (headers);
    }

  copy = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      g_autofree char *utf8_name = header_text_as_utf8 (name);
      g_autofree char *utf8_value = header_text_as_utf8 (value);

      soup_message_headers_append (copy, utf8_name, utf8_value);
    }
  return copy;
}

/**
 * boto_protocol_utf8_headers:
 * @headers: a response's headers
 *
 * Response headers whose names and values can all go into GVariant
 * strings. A server may send any byte in a header; names and values that
 * are not UTF-8 are read as ISO-8859-1, as Python's http.client (and so
 * botocore) reads every header, so that the same bytes give the same text.
 *
 * Returns: (transfer full): @headers itself (a new reference) when all of
 *   it is UTF-8 already, else a converted copy
 */
SoupMessageHeaders *
boto_protocol_utf8_headers (SoupMessageHeaders *headers)
{
  return utf8_headers (headers, NULL);
}

GVariant *
boto_protocol_parse_response (BotoOperationModel  *op,
                              const char          *protocol,
                              guint                status,
                              SoupMessageHeaders  *headers,
                              GBytes              *body,
                              gboolean            *out_is_error,
                              GError             **error)
{
  Ctx ctx = { NULL, };
  g_autoptr(BotoXmlNode) root = NULL;
  g_autoptr(SoupMessageHeaders) ctx_headers = NULL;
  gboolean is_error;
  GVariantDict dict;
  GVariant *result = NULL;
  static const char empty[1] = "";

  g_return_val_if_fail (BOTO_IS_OPERATION_MODEL (op), NULL);
  g_return_val_if_fail (protocol != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (out_is_error != NULL)
    *out_is_error = FALSE;

  if (!protocol_from_name (protocol, &ctx.proto))
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_RESPONSE,
                   "No response parser for protocol “%s”", protocol);
      return NULL;
    }

  ctx.data = boto_operation_model_get_data (op);
  ctx.model = op;
  ctx.op = boto_operation_model_get_def (op);
  ctx.status = status;
  if (headers != NULL)
    ctx_headers = utf8_headers (headers, &ctx);
  ctx.headers = ctx_headers;
  ctx.body = body != NULL ? g_bytes_get_data (body, &ctx.body_len) : NULL;
  if (ctx.body == NULL)
    {
      ctx.body = empty;
      ctx.body_len = 0;
    }

  is_error = status >= 300;

  /* The XML error protocols read the body once for Error and the modelled
   * members; S3's 200 errors need it to know that they are errors. */
  if ((ctx.proto == PROTO_QUERY || ctx.proto == PROTO_EC2 || ctx.proto == PROTO_REST_XML) &&
      !body_is_blank (&ctx) &&
      (is_error || (ctx.proto == PROTO_REST_XML && status == 200 &&
                    ctx.body_len < 64 * 1024 && g_strstr_len (ctx.body, ctx.body_len, "<Error>") != NULL)))
    {
      /* An unreadable error body still gives an error from the status. */
      root = boto_xml_parse (ctx.body, ctx.body_len, NULL);
      if (!is_error && is_s3_error_in_200 (&ctx, boto_operation_model_get_name (op), root))
        is_error = TRUE;
    }

  if (is_error)
    {
      g_variant_dict_init (&dict, NULL);
      parse_error (&ctx, root, &dict);
      g_variant_dict_insert_value (&dict, "ResponseMetadata", build_metadata (&ctx));
      result = g_variant_ref_sink (g_variant_dict_end (&dict));
    }
  else
    {
      GVariantBuilder builder;
      g_autoptr(GVariant) members = NULL;

      /* The json protocol's body members mostly go to json_entries: its
       * builder is opened only if used (all zeros, clearing it is a no-op). */
      memset (&builder, 0, sizeof builder);
      if (ctx.proto != PROTO_JSON)
        open_builder (&ctx, &builder);
      ctx.json_to_entries = TRUE;
      if (!parse_output (&ctx, &builder, error))
        {
          /* Keep the status: a proxy's HTML page and a truncated body read
           * differently. */
          if (error != NULL && *error != NULL && (*error)->domain != BOTO_SERVICE_ERROR)
            g_prefix_error (error, "Unable to parse the HTTP %u response to %s: ",
                            status, boto_operation_model_get_name (op));
          g_variant_builder_clear (&builder);
          goto out;
        }
      /* The json protocol's body members are all in json_entries or
       * json_result: the builder has none. */
      if (ctx.proto == PROTO_JSON && (ctx.json_entries != NULL || ctx.json_result != NULL))
        g_variant_builder_clear (&builder);
      else
        {
          open_builder (&ctx, &builder);
          members = g_variant_ref_sink (g_variant_builder_end (&builder));
        }
      if (ctx.json_result != NULL)
        result = g_steal_pointer (&ctx.json_result);
      else if (ctx.json_entries != NULL)
        result = g_variant_ref_sink (assemble_serialized (&ctx, members));
      else
        result = g_variant_ref_sink (assemble_result (members, build_metadata (&ctx)));
    }
  if (out_is_error != NULL)
    *out_is_error = is_error;

out:
  g_clear_pointer (&ctx.json_entries, g_array_unref);
  g_clear_pointer (&ctx.json_bytes, g_bytes_unref);
  g_clear_pointer (&ctx.json_result, g_variant_unref);
  g_free (ctx.request_id);
  g_free (ctx.host_id);
  return result;
}
