/* boto-client-handlers.c: botocore's customizations of parameters and
 * results that are not in the model
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "boto-client-private.h"
#include "boto-error.h"
#include "boto-protocol-parser-private.h"

/* The characters percent-encoding keeps in a copy source besides letters
 * and digits (RFC 3986's unreserved ones) — '/' separates the bucket from
 * the key. */
#define COPY_SOURCE_SAFE "/"

/* An S3 access point or outposts ARN given as the bucket of a copy source. */
static gboolean
is_bucket_arn (const char *bucket)
{
  return g_str_has_prefix (bucket, "arn:") &&
         (strstr (bucket, ":accesspoint/") != NULL || strstr (bucket, ":accesspoint:") != NULL ||
          strstr (bucket, ":outpost/") != NULL || strstr (bucket, ":outpost:") != NULL);
}

/* A copy source string with everything before a trailing `?versionId=…`
 * percent-encoded. */
static char *
quote_copy_source (const char *source)
{
  const char *suffix = strstr (source, "?versionId=");
  g_autofree char *head = NULL;
  g_autofree char *quoted = NULL;

  /* Only a final "?versionId=<no whitespace>" is a version suffix. */
  while (suffix != NULL)
    {
      const char *rest = suffix + strlen ("?versionId=");
      const char *p = rest;

      while (*p != '\0' && !g_ascii_isspace (*p))
        p++;
      if (*p == '\0' && p > rest)
        break;
      suffix = strstr (suffix + 1, "?versionId=");
    }
  if (suffix == NULL)
    return g_uri_escape_string (source, COPY_SOURCE_SAFE, FALSE);
  head = g_strndup (source, suffix - source);
  quoted = g_uri_escape_string (head, COPY_SOURCE_SAFE, FALSE);
  return g_strconcat (quoted, suffix, NULL);
}

static char *
copy_source_from_dict (GVariant  *source,
                       GError   **error)
{
  g_autoptr(GVariant) bucket = g_variant_lookup_value (source, "Bucket", G_VARIANT_TYPE_STRING);
  g_autoptr(GVariant) key = g_variant_lookup_value (source, "Key", G_VARIANT_TYPE_STRING);
  g_autoptr(GVariant) version = g_variant_lookup_value (source, "VersionId", G_VARIANT_TYPE_STRING);
  g_autofree char *path = NULL;
  g_autofree char *quoted = NULL;

  if (bucket == NULL || key == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                   "Parameter validation failed:\nMissing required parameter: '%s'",
                   bucket == NULL ? "Bucket" : "Key");
      return NULL;
    }
  if (is_bucket_arn (g_variant_get_string (bucket, NULL)))
    path = g_strconcat (g_variant_get_string (bucket, NULL), "/object/",
                        g_variant_get_string (key, NULL), NULL);
  else
    path = g_strconcat (g_variant_get_string (bucket, NULL), "/",
                        g_variant_get_string (key, NULL), NULL);
  quoted = g_uri_escape_string (path, COPY_SOURCE_SAFE, FALSE);
  if (version == NULL)
    return g_steal_pointer (&quoted);
  return g_strconcat (quoted, "?versionId=", g_variant_get_string (version, NULL), NULL);
}

/**
 * boto_client_handle_copy_source: (skip)
 * @service: the service name
 * @operation: the operation's model name
 * @params: (transfer full) (nullable): the call's parameters (`a{sv}`)
 * @error: return location for a #GError
 *
 * S3 `CopyObject` and `UploadPartCopy` take `CopySource` as a string, whose
 * key part is percent-encoded here (everything but a trailing
 * `?versionId=…`), or as a dictionary `{Bucket, Key, VersionId}` made into
 * that string — as botocore does before it validates parameters.
 *
 * Returns: (transfer full) (nullable): the parameters to send, or %NULL
 *   with @error set
 */
GVariant *
boto_client_handle_copy_source (const char  *service,
                                const char  *operation,
                                GVariant    *params,
                                GError     **error)
{
  g_autoptr(GVariant) owned = params;
  g_autoptr(GVariant) source = NULL;
  g_autofree char *value = NULL;
  GVariantDict dict;

  if (owned == NULL || strcmp (service, "s3") != 0 ||
      (strcmp (operation, "CopyObject") != 0 && strcmp (operation, "UploadPartCopy") != 0) ||
      !g_variant_is_of_type (owned, G_VARIANT_TYPE_VARDICT))
    return g_steal_pointer (&owned);

  source = g_variant_lookup_value (owned, "CopySource", NULL);
  while (source != NULL && g_variant_is_of_type (source, G_VARIANT_TYPE_VARIANT))
    {
      GVariant *inner = g_variant_get_variant (source);

      g_variant_unref (source);
      source = inner;
    }
  if (source == NULL)
    return g_steal_pointer (&owned);
  if (g_variant_is_of_type (source, G_VARIANT_TYPE_STRING))
    value = quote_copy_source (g_variant_get_string (source, NULL));
  else if (g_variant_is_of_type (source, G_VARIANT_TYPE ("a{s*}")))
    {
      value = copy_source_from_dict (source, error);
      if (value == NULL)
        return NULL;
    }
  else
    return g_steal_pointer (&owned); /* validation says what is wrong */

  g_variant_dict_init (&dict, owned);
  g_variant_dict_insert (&dict, "CopySource", "s", value);
  return g_variant_ref_sink (g_variant_dict_end (&dict));
}

/* S3 GetBucketLocation: the answer is the root element's text, which the
 * model cannot describe (botocore's parse_get_bucket_location). Empty for
 * us-east-1, which botocore reports as None and we leave out. */
static GVariant *
with_bucket_location (GVariant *result,
                      GBytes   *body)
{
  gsize size;
  const char *data = g_bytes_get_data (body, &size);
  g_autofree char *text = g_strndup (data, size);
  const char *open = strstr (text, "<LocationConstraint");
  const char *start = open != NULL ? strchr (open, '>') : NULL;
  const char *end = start != NULL ? strstr (start, "</LocationConstraint>") : NULL;
  g_autofree char *region = NULL;
  GVariantDict dict;

  if (end == NULL || start[-1] == '/')
    return g_variant_ref (result);
  region = g_strstrip (g_strndup (start + 1, end - start - 1));
  if (*region == '\0' || !g_utf8_validate (region, -1, NULL))
    return g_variant_ref (result);
  g_variant_dict_init (&dict, result);
  g_variant_dict_insert (&dict, "LocationConstraint", "s", region);
  return g_variant_ref_sink (g_variant_dict_end (&dict));
}

/* @text read as JSON, as a document value (DESIGN.md); NULL when it is
 * not JSON. */
static GVariant *
json_document (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL) ||
      json_parser_get_root (parser) == NULL)
    return NULL;
  return boto_protocol_json_to_variant (json_parser_get_root (parser));
}

/* IAM returns policy documents as percent-encoded JSON text, in members
 * whose shape is `policyDocumentType`; botocore (json_decode_policies)
 * gives them as decoded documents, and text that does not decode stays
 * as it came. Walks structures and lists, as botocore does. Returns a new
 * value, or NULL when nothing changed. */
static GVariant *
decode_policies (GVariant  *value,
                 BotoShape *shape)
{
  BotoShapeType type = boto_shape_get_shape_type (shape);

  if (type == BOTO_SHAPE_TYPE_STRUCTURE && g_variant_is_of_type (value, G_VARIANT_TYPE_VARDICT))
    {
      GVariantDict dict;
      GVariantIter iter;
      gboolean changed = FALSE;
      const char *name;
      GVariant *member;

      g_variant_dict_init (&dict, value);
      g_variant_iter_init (&iter, value);
      while (g_variant_iter_next (&iter, "{&sv}", &name, &member))
        {
          BotoShape *member_shape = boto_shape_get_member (shape, name);
          g_autoptr(GVariant) decoded = NULL;

          if (member_shape == NULL)
            ;
          else if (boto_shape_get_shape_type (member_shape) == BOTO_SHAPE_TYPE_STRING &&
                   g_strcmp0 (boto_shape_get_name (member_shape), "policyDocumentType") == 0)
            {
              if (g_variant_is_of_type (member, G_VARIANT_TYPE_STRING))
                {
                  g_autofree char *text = g_uri_unescape_string (g_variant_get_string (member, NULL), NULL);

                  decoded = json_document (text);
                }
            }
          else
            decoded = decode_policies (member, member_shape);
          if (decoded != NULL)
            {
              g_variant_dict_insert_value (&dict, name, decoded);
              changed = TRUE;
            }
          g_variant_unref (member);
        }
      if (!changed)
        {
          g_variant_dict_clear (&dict);
          return NULL;
        }
      return g_variant_ref_sink (g_variant_dict_end (&dict));
    }
  if (type == BOTO_SHAPE_TYPE_LIST && g_variant_is_container (value) &&
      !g_variant_is_of_type (value, G_VARIANT_TYPE_MAYBE))
    {
      BotoShape *item_shape = boto_shape_get_list_member (shape);
      gsize n = g_variant_n_children (value);
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
      gboolean changed = FALSE;

      if (item_shape == NULL)
        return NULL;
      for (gsize i = 0; i < n; i++)
        {
          GVariant *item = g_variant_get_child_value (value, i);
          GVariant *decoded = decode_policies (item, item_shape);

          if (decoded != NULL)
            {
              g_variant_unref (item);
              item = decoded;
              changed = TRUE;
            }
          g_ptr_array_add (items, item);
        }
      /* Items of one type stay of that type (structures are a{sv}). */
      if (!changed)
        return NULL;
      return g_variant_ref_sink (g_variant_new_array (g_variant_type_element (g_variant_get_type (value)),
                                                      (GVariant **) items->pdata, items->len));
    }
  return NULL;
}

/* CloudFormation GetTemplate: TemplateBody as a document when it is JSON
 * (botocore's json_decode_template_body); YAML stays text. */
static GVariant *
with_template_document (GVariant *result)
{
  const char *body = NULL;
  g_autoptr(GVariant) document = NULL;
  GVariantDict dict;

  if (!g_variant_lookup (result, "TemplateBody", "&s", &body) || (document = json_document (body)) == NULL)
    return g_variant_ref (result);
  g_variant_dict_init (&dict, result);
  g_variant_dict_insert_value (&dict, "TemplateBody", document);
  return g_variant_ref_sink (g_variant_dict_end (&dict));
}

/**
 * boto_client_handle_result:
 * @service: the service's name (`s3`, `iam` …)
 * @op: the operation
 * @result: (transfer none): its parsed, successful result
 * @body: (nullable): the response body it was parsed from
 *
 * What botocore's after-call handlers change in a parsed result: S3
 * GetBucketLocation's region, IAM's policy documents and CloudFormation
 * GetTemplate's JSON template, decoded.
 *
 * Returns: (transfer full): the result to return, @result itself (a new
 *   reference) when nothing applies
 */
GVariant *
boto_client_handle_result (const char         *service,
                           BotoOperationModel *op,
                           GVariant           *result,
                           GBytes             *body)
{
  const char *operation = boto_operation_model_get_name (op);

  if (strcmp (service, "s3") == 0 && strcmp (operation, "GetBucketLocation") == 0 && body != NULL)
    return with_bucket_location (result, body);
  if (strcmp (service, "iam") == 0)
    {
      BotoShape *output = boto_operation_model_get_output_shape (op);
      GVariant *decoded = output != NULL ? decode_policies (result, output) : NULL;

      return decoded != NULL ? decoded : g_variant_ref (result);
    }
  if (strcmp (service, "cloudformation") == 0 && strcmp (operation, "GetTemplate") == 0)
    return with_template_document (result);
  return g_variant_ref (result);
}
