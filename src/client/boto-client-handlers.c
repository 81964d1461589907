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
#include "boto-gvariant-private.h"
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

  source = boto_variant_unbox (g_variant_lookup_value (owned, "CopySource", NULL));
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

/* Parameters to replace or add: names and floating values, applied in
 * one pass that keeps the caller's order (a GVariantDict would not). */
typedef struct
{
  GPtrArray *names;    /* NULL until the first change: most calls have none */
  GPtrArray *values;
} Changes;

static void
changes_clear (Changes *changes)
{
  g_clear_pointer (&changes->names, g_ptr_array_unref);
  g_clear_pointer (&changes->values, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Changes, changes_clear)

static void
changes_set (Changes    *changes,
             const char *name,
             GVariant   *value)
{
  if (changes->names == NULL)
    {
      changes->names = g_ptr_array_new_with_free_func (g_free);
      changes->values = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
    }
  g_ptr_array_add (changes->names, g_strdup (name));
  g_ptr_array_add (changes->values, g_variant_ref_sink (value));
}

static GVariant *
changes_apply (Changes  *changes,
               GVariant *params)
{
  GVariantBuilder builder;
  g_autofree gboolean *used = NULL;
  GVariantIter iter;
  const char *name;
  GVariant *value;

  if (changes->names == NULL)
    return g_variant_ref (params);
  used = g_new0 (gboolean, changes->names->len);
  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_iter_init (&iter, params);
  while (g_variant_iter_next (&iter, "{&sv}", &name, &value))
    {
      GVariant *replacement = NULL;

      for (guint i = changes->names->len; i-- > 0 && replacement == NULL;)
        if (strcmp (changes->names->pdata[i], name) == 0)
          {
            replacement = changes->values->pdata[i];
            used[i] = TRUE;
          }
      g_variant_builder_add (&builder, "{sv}", name, replacement != NULL ? replacement : value);
      g_variant_unref (value);
    }
  for (guint i = 0; i < changes->names->len; i++)
    if (!used[i])
      {
        gboolean later = FALSE;

        for (guint j = i + 1; j < changes->names->len; j++)
          later = later || strcmp (changes->names->pdata[j], changes->names->pdata[i]) == 0;
        if (!later)
          g_variant_builder_add (&builder, "{sv}", (const char *) changes->names->pdata[i],
                                 (GVariant *) changes->values->pdata[i]);
      }
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

/* The value of @name in @params (a{sv}), out of its variants; NULL when
 * absent. */
static GVariant *
lookup_unwrapped (GVariant   *params,
                  const char *name)
{
  return boto_variant_unbox (g_variant_lookup_value (params, name, NULL));
}

/* The bytes of a text (`s`) or bytes (`ay`) parameter; FALSE for another
 * type, which validation then reports. */
static gboolean
text_or_bytes (GVariant      *value,
               gconstpointer *out_data,
               gsize         *out_length)
{
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    {
      *out_data = g_variant_get_string (value, out_length);
      return TRUE;
    }
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BYTESTRING))
    {
      *out_data = g_variant_get_fixed_array (value, out_length, 1);
      return TRUE;
    }
  return FALSE;
}

/* EC2 RunInstances and Auto Scaling CreateLaunchConfiguration: UserData,
 * text or bytes, is sent base64-encoded (botocore's
 * base64_encode_user_data); the caller passes it plain. */
static void
encode_user_data (Changes  *changes,
                  GVariant *params)
{
  g_autoptr(GVariant) value = lookup_unwrapped (params, "UserData");
  g_autofree char *encoded = NULL;
  gconstpointer data;
  gsize length;

  if (value == NULL || !text_or_bytes (value, &data, &length))
    return;
  encoded = g_base64_encode (data, length);
  changes_set (changes, "UserData", g_variant_new_string (encoded));
}

/* S3 SSE-C: the key is sent base64-encoded with the base64 MD5 of its
 * bytes, unless the caller gave the MD5 (botocore's sse_md5 and
 * copy_source_sse_md5). */
static void
encode_sse_customer_key (Changes    *changes,
                         GVariant   *params,
                         const char *prefix)
{
  g_autofree char *key_name = g_strconcat (prefix, "Key", NULL);
  g_autofree char *md5_name = g_strconcat (prefix, "KeyMD5", NULL);
  g_autoptr(GVariant) key = lookup_unwrapped (params, key_name);
  g_autoptr(GVariant) md5 = lookup_unwrapped (params, md5_name);
  g_autoptr(GChecksum) checksum = NULL;
  g_autofree char *encoded_key = NULL;
  g_autofree char *encoded_md5 = NULL;
  guint8 digest[16];
  gsize digest_length = sizeof digest;
  gconstpointer data;
  gsize length;

  if (key == NULL || md5 != NULL || !text_or_bytes (key, &data, &length))
    return;
  checksum = g_checksum_new (G_CHECKSUM_MD5);
  g_checksum_update (checksum, data, length);
  g_checksum_get_digest (checksum, digest, &digest_length);
  encoded_key = g_base64_encode (data, length);
  encoded_md5 = g_base64_encode (digest, digest_length);
  changes_set (changes, key_name, g_variant_new_string (encoded_key));
  changes_set (changes, md5_name, g_variant_new_string (encoded_md5));
}

static gboolean
is_bucket_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '-' || c == '_';
}

/* S3: a bucket is a name of 1 to 255 letters, digits, '.', '-' and '_',
 * or an access point or outposts ARN (botocore's validate_bucket_name and
 * its two patterns). */
static gboolean
check_bucket_name (GVariant  *params,
                   GError   **error)
{
  static GRegex *arn_pattern;
  g_autoptr(GVariant) value = lookup_unwrapped (params, "Bucket");
  const char *bucket;
  gsize length;

  if (value == NULL || !g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return TRUE;
  bucket = g_variant_get_string (value, &length);
  if (length >= 1 && length <= 255)
    {
      gsize i = 0;

      while (i < length && is_bucket_name_char (bucket[i]))
        i++;
      if (i == length)
        return TRUE;
    }
  if (g_once_init_enter (&arn_pattern))
    g_once_init_leave (&arn_pattern,
                       g_regex_new ("^arn:(aws).*:(s3|s3-object-lambda):[a-z\\-0-9]*:[0-9]{12}:accesspoint[/:]"
                                    "[a-zA-Z0-9\\-.]{1,63}$"
                                    "|^arn:(aws).*:s3-outposts:[a-z\\-0-9]+:[0-9]{12}:outpost[/:]"
                                    "[a-zA-Z0-9\\-]{1,63}[/:]accesspoint[/:][a-zA-Z0-9\\-]{1,63}$",
                                    G_REGEX_OPTIMIZE, 0, NULL));
  if (g_regex_match (arn_pattern, bucket, 0, NULL))
    return TRUE;
  g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
               "Parameter validation failed:\nInvalid bucket name \"%s\": Bucket name must match the regex "
               "\"^[a-zA-Z0-9.\\-_]{1,255}$\" or be an access point or outposts ARN", bucket);
  return FALSE;
}

static gboolean
is_ascii (const char *text)
{
  for (; *text != '\0'; text++)
    if ((guchar) *text >= 0x80)
      return FALSE;
  return TRUE;
}

/* S3 PutObject and CopyObject: metadata travels in headers, which must be
 * US-ASCII (botocore's validate_ascii_metadata). */
static gboolean
check_ascii_metadata (GVariant  *params,
                      GError   **error)
{
  g_autoptr(GVariant) metadata = lookup_unwrapped (params, "Metadata");
  GVariantIter iter;
  GVariant *entry;

  if (metadata == NULL || !g_variant_is_of_type (metadata, G_VARIANT_TYPE ("a{s*}")))
    return TRUE;
  g_variant_iter_init (&iter, metadata);
  while ((entry = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_autoptr(GVariant) owned = entry;
      g_autoptr(GVariant) key = g_variant_get_child_value (entry, 0);
      g_autoptr(GVariant) value = boto_variant_unbox (g_variant_get_child_value (entry, 1));
      const char *key_text = g_variant_get_string (key, NULL);
      const char *value_text = NULL;

      if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        value_text = g_variant_get_string (value, NULL);
      if (!is_ascii (key_text) || (value_text != NULL && !is_ascii (value_text)))
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                       "Parameter validation failed:\nNon ascii characters found in S3 metadata for key "
                       "\"%s\", value: \"%s\".  \nS3 metadata can only contain ASCII characters. ",
                       key_text, value_text != NULL ? value_text : "");
          return FALSE;
        }
    }
  return TRUE;
}

/* Route 53: an id given with its path (`/hostedzone/Z123`, as other
 * operations return it) is sent as its last segment (botocore's
 * fix_route53_ids), for members of the ResourceId, DelegationSetId and
 * ChangeId shapes. */
static void
fix_route53_ids (Changes            *changes,
                 GVariant           *params,
                 BotoOperationModel *op)
{
  BotoShape *input = boto_operation_model_get_input_shape (op);
  g_auto(GStrv) names = input != NULL ? boto_shape_get_member_names (input) : NULL;

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      const char *shape_name = boto_shape_get_name (boto_shape_get_member (input, names[i]));
      g_autoptr(GVariant) value = NULL;
      const char *slash;

      if (g_strcmp0 (shape_name, "ResourceId") != 0 && g_strcmp0 (shape_name, "DelegationSetId") != 0 &&
          g_strcmp0 (shape_name, "ChangeId") != 0)
        continue;
      value = lookup_unwrapped (params, names[i]);
      if (value == NULL || !g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) ||
          (slash = strrchr (g_variant_get_string (value, NULL), '/')) == NULL)
        continue;
      changes_set (changes, names[i], g_variant_new_string (slash + 1));
    }
}

static gboolean
is_one_of (const char         *name,
           const char * const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (strcmp (name, names[i]) == 0)
      return TRUE;
  return FALSE;
}

/**
 * boto_client_handle_params:
 * @service: the service's name (`s3`, `ec2` …)
 * @op: the operation
 * @params: (transfer full) (nullable): the caller's parameters, a{sv}
 * @error: return location for a #GError
 *
 * What botocore's before-parameter-build handlers do to the caller's
 * parameters, before validation: S3's CopySource quoting, SSE-C key
 * encoding, bucket name and ASCII metadata checks; EC2 and Auto Scaling's
 * UserData base64; Route 53's ids; Glacier's default accountId (`-`).
 *
 * Returns: (transfer full) (nullable): the parameters to send; %NULL when
 *   @params is %NULL, or with @error set
 */
GVariant *
boto_client_handle_params (const char          *service,
                           BotoOperationModel  *op,
                           GVariant            *params,
                           GError             **error)
{
  static const char * const sse_operations[] = {
    "HeadObject", "GetObject", "PutObject", "CopyObject", "CreateMultipartUpload", "UploadPart",
    "UploadPartCopy", "CompleteMultipartUpload", "SelectObjectContent", NULL
  };
  static const char * const copy_sse_operations[] = { "CopyObject", "UploadPartCopy", NULL };
  const char *operation = boto_operation_model_get_name (op);
  g_auto(Changes) changes = { NULL, NULL };
  g_autoptr(GVariant) owned = NULL;

  owned = boto_client_handle_copy_source (service, operation, params, error);
  if (owned == NULL)
    return NULL;  /* no parameters, or @error set */
  if (!g_variant_is_of_type (owned, G_VARIANT_TYPE_VARDICT))
    return g_steal_pointer (&owned);  /* validation says what is wrong */

  if (strcmp (service, "s3") == 0)
    {
      if (!check_bucket_name (owned, error) ||
          ((strcmp (operation, "PutObject") == 0 || strcmp (operation, "CopyObject") == 0) &&
           !check_ascii_metadata (owned, error)))
        return NULL;
      if (is_one_of (operation, sse_operations))
        encode_sse_customer_key (&changes, owned, "SSECustomer");
      if (is_one_of (operation, copy_sse_operations))
        encode_sse_customer_key (&changes, owned, "CopySourceSSECustomer");
    }
  else if ((strcmp (service, "ec2") == 0 && strcmp (operation, "RunInstances") == 0) ||
           (strcmp (service, "autoscaling") == 0 && strcmp (operation, "CreateLaunchConfiguration") == 0))
    encode_user_data (&changes, owned);
  else if (strcmp (service, "route53") == 0)
    fix_route53_ids (&changes, owned, op);
  else if (strcmp (service, "glacier") == 0)
    {
      g_autoptr(GVariant) account = lookup_unwrapped (owned, "accountId");

      if (account == NULL || g_variant_is_of_type (account, G_VARIANT_TYPE_MAYBE))
        changes_set (&changes, "accountId", g_variant_new_string ("-"));
    }
  return changes_apply (&changes, owned);
}

/* EC2 GetConsoleOutput: Output comes base64-encoded and is handed over
 * decoded, bytes that are not UTF-8 replaced (botocore's
 * decode_console_output). */
static GVariant *
with_console_output (GVariant *result)
{
  const char *output = NULL;
  g_autofree guchar *decoded = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;
  GVariantDict dict;

  if (!g_variant_lookup (result, "Output", "&s", &output))
    return g_variant_ref (result);
  decoded = g_base64_decode (output, &length);
  text = g_utf8_make_valid ((const char *) decoded, length);
  g_variant_dict_init (&dict, result);
  g_variant_dict_insert (&dict, "Output", "s", text);
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

/* Whether @op's output has S3's `Expires` header member (botocore's
 * _has_expires_shape). */
static gboolean
has_expires_member (const char         *service,
                    BotoOperationModel *op)
{
  BotoShape *output;
  BotoShape *member;

  if (strcmp (service, "s3") != 0 || (output = boto_operation_model_get_output_shape (op)) == NULL ||
      (member = boto_shape_get_member (output, "Expires")) == NULL)
    return FALSE;
  return g_strcmp0 (boto_shape_get_name (member), "Expires") == 0 &&
         g_strcmp0 (boto_shape_get_location_name (member), "Expires") == 0;
}

/**
 * boto_client_headers_for_parsing:
 * @service: the service's name
 * @op: the operation
 * @headers: a response's headers
 *
 * The headers the parser is to read (botocore's handle_expires_header):
 * S3's `Expires` is a timestamp in the model, but objects carry whatever
 * their owner set (`0`, `-1`, a date in another form). One that is not a
 * timestamp is left out, so that the response still parses; its text is
 * in `ExpiresString` (boto_client_handle_result()).
 *
 * Returns: (transfer full): @headers (a new reference) or a copy of them
 */
SoupMessageHeaders *
boto_client_headers_for_parsing (const char         *service,
                                 BotoOperationModel *op,
                                 SoupMessageHeaders *headers)
{
  const char *expires;
  gint64 usec;
  SoupMessageHeadersIter iter;
  SoupMessageHeaders *copy;
  const char *name, *value;

  if (!has_expires_member (service, op) || (expires = soup_message_headers_get_one (headers, "Expires")) == NULL ||
      boto_protocol_parse_timestamp (expires, &usec))
    return soup_message_headers_ref (headers);

  g_debug ("Failed to parse the \"Expires\" member as a timestamp: %s. "
           "The unparsed value is available in the response under \"ExpiresString\".", expires);
  copy = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (g_ascii_strcasecmp (name, "Expires") != 0)
      soup_message_headers_append (copy, name, value);
  return copy;
}

/* S3: the `Expires` header's text, next to the parsed member. */
static GVariant *
with_expires_string (GVariant           *result,
                     SoupMessageHeaders *headers)
{
  const char *expires = soup_message_headers_get_one (headers, "Expires");
  g_autofree char *text = NULL;
  GVariantDict dict;

  if (expires == NULL)
    return g_variant_ref (result);
  text = g_utf8_make_valid (expires, -1);
  g_variant_dict_init (&dict, result);
  g_variant_dict_insert (&dict, "ExpiresString", "s", text);
  return g_variant_ref_sink (g_variant_dict_end (&dict));
}

/**
 * boto_client_handle_result:
 * @service: the service's name (`s3`, `iam` …)
 * @op: the operation
 * @result: (transfer none): its parsed, successful result
 * @body: (nullable): the response body it was parsed from
 * @headers: (nullable): the response headers, as received
 *
 * What botocore's after-call handlers change in a parsed result: S3
 * GetBucketLocation's region and ExpiresString, IAM's policy documents,
 * CloudFormation GetTemplate's JSON template and EC2 GetConsoleOutput's
 * output, decoded.
 *
 * Returns: (transfer full): the result to return, @result itself (a new
 *   reference) when nothing applies
 */
GVariant *
boto_client_handle_result (const char         *service,
                           BotoOperationModel *op,
                           GVariant           *result,
                           GBytes             *body,
                           SoupMessageHeaders *headers)
{
  const char *operation = boto_operation_model_get_name (op);

  if (headers != NULL && has_expires_member (service, op))
    return with_expires_string (result, headers);

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
  if (strcmp (service, "ec2") == 0 && strcmp (operation, "GetConsoleOutput") == 0)
    return with_console_output (result);
  return g_variant_ref (result);
}

/* S3 DeleteObjects and PutBucketLifecycleConfiguration: line breaks in
 * the XML body (they can only come from the caller's keys and prefixes)
 * as character references, so that XML's line-break normalization does
 * not change them (botocore's escape_xml_payload). */
static void
escape_xml_line_breaks (BotoHttpRequest *request)
{
  GBytes *body = boto_http_request_get_body (request);
  g_autoptr(GByteArray) escaped = NULL;
  const guint8 *data;
  gsize length;

  if (body == NULL)
    return;
  data = g_bytes_get_data (body, &length);
  if (memchr (data, '\r', length) == NULL && memchr (data, '\n', length) == NULL)
    return;
  escaped = g_byte_array_sized_new (length + 32);
  for (gsize i = 0; i < length; i++)
    {
      if (data[i] == '\r')
        g_byte_array_append (escaped, (const guint8 *) "&#xD;", 5);
      else if (data[i] == '\n')
        g_byte_array_append (escaped, (const guint8 *) "&#xA;", 5);
      else
        g_byte_array_append (escaped, data + i, 1);
    }
  {
    g_autoptr(GBytes) bytes = g_byte_array_free_to_bytes (g_steal_pointer (&escaped));

    boto_http_request_set_body (request, bytes);
  }
}

/* Glacier's tree hash: SHA-256 of each MiB, then of each pair of hashes,
 * level by level (an odd one out goes up as it is), up to one. Fed in
 * pieces of any size, so a stream is hashed as it is read. */
struct _BotoTreeHash
{
  GChecksum  *chunk;      /* the MiB being read */
  gsize       in_chunk;   /* its bytes so far */
  GByteArray *leaves;     /* the digests of the MiBs read */
};

#define TREE_HASH_CHUNK (1024 * 1024)

BotoTreeHash *
boto_tree_hash_new (void)
{
  BotoTreeHash *self = g_new0 (BotoTreeHash, 1);

  self->chunk = g_checksum_new (G_CHECKSUM_SHA256);
  self->leaves = g_byte_array_new ();
  return self;
}

void
boto_tree_hash_free (BotoTreeHash *self)
{
  g_checksum_free (self->chunk);
  g_byte_array_unref (self->leaves);
  g_free (self);
}

static void
tree_hash_close_chunk (BotoTreeHash *self)
{
  guint8 digest[32];
  gsize size = sizeof digest;

  g_checksum_get_digest (self->chunk, digest, &size);
  g_byte_array_append (self->leaves, digest, sizeof digest);
  g_checksum_reset (self->chunk);
  self->in_chunk = 0;
}

void
boto_tree_hash_update (BotoTreeHash *self,
                       const guint8 *data,
                       gsize         length)
{
  while (length > 0)
    {
      gsize n = MIN (length, TREE_HASH_CHUNK - self->in_chunk);

      g_checksum_update (self->chunk, data, n);
      self->in_chunk += n;
      data += n;
      length -= n;
      if (self->in_chunk == TREE_HASH_CHUNK)
        tree_hash_close_chunk (self);
    }
}

/* The hash in hex; @self is spent. An empty payload's is SHA-256 of
 * nothing. */
char *
boto_tree_hash_finish_hex (BotoTreeHash *self)
{
  guint8 *level;
  gsize n;
  GString *hex;

  if (self->in_chunk > 0 || self->leaves->len == 0)
    tree_hash_close_chunk (self);
  level = self->leaves->data;
  n = self->leaves->len / 32;
  while (n > 1)
    {
      gsize m = 0;

      for (gsize i = 0; i < n; i += 2, m++)
        {
          if (i + 1 < n)
            {
              g_autoptr(GChecksum) pair = g_checksum_new (G_CHECKSUM_SHA256);
              gsize size = 32;

              g_checksum_update (pair, level + i * 32, 64);
              g_checksum_get_digest (pair, level + m * 32, &size);
            }
          else
            memmove (level + m * 32, level + i * 32, 32);
        }
      n = m;
    }
  hex = g_string_sized_new (64);
  for (guint i = 0; i < 32; i++)
    g_string_append_printf (hex, "%02x", level[i]);
  return g_string_free (hex, FALSE);
}

static char *
tree_hash_hex (const guint8 *data,
               gsize         length)
{
  BotoTreeHash *hash = boto_tree_hash_new ();
  char *hex;

  boto_tree_hash_update (hash, data, length);
  hex = boto_tree_hash_finish_hex (hash);
  boto_tree_hash_free (hash);
  return hex;
}

/* Glacier UploadArchive and UploadMultipartPart: the payload's SHA-256 and
 * tree hash, unless given (botocore's add_glacier_checksums). A body sent
 * from a stream is hashed as it is read, by the client (see
 * boto_client_is_glacier_upload ()). */
static void
add_glacier_checksums (BotoHttpRequest *request)
{
  GBytes *body = boto_http_request_get_body (request);
  const guint8 *data;
  gsize length;

  if (body == NULL)
    return;
  data = g_bytes_get_data (body, &length);
  if (boto_http_request_get_header (request, "x-amz-content-sha256") == NULL)
    {
      g_autofree char *hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, length);

      boto_http_request_set_header (request, "x-amz-content-sha256", hex);
    }
  if (boto_http_request_get_header (request, "x-amz-sha256-tree-hash") == NULL)
    {
      g_autofree char *hex = tree_hash_hex (data, length);

      boto_http_request_set_header (request, "x-amz-sha256-tree-hash", hex);
    }
}

/* Whether the request is one whose payload Glacier wants hashed. */
gboolean
boto_client_is_glacier_upload (const char         *service,
                               BotoOperationModel *op)
{
  const char *operation = boto_operation_model_get_name (op);

  return strcmp (service, "glacier") == 0 &&
         (strcmp (operation, "UploadArchive") == 0 || strcmp (operation, "UploadMultipartPart") == 0);
}

/**
 * boto_client_handle_request:
 * @service: the service's name
 * @model: the service's model
 * @op: the operation
 * @request: the serialized request, changed in place
 *
 * What botocore's before-call handlers add to a serialized request, before
 * checksums and signing: X-Amzn-Trace-Id inside AWS Lambda (recursion
 * detection), `x-amz-glacier-version` for Glacier (and its payload hashes
 * for uploads), `Accept:
 * application/json` for API Gateway, and escaped line breaks in S3's
 * DeleteObjects and PutBucketLifecycleConfiguration bodies.
 */
void
boto_client_handle_request (const char         *service,
                            BotoServiceModel   *model,
                            BotoOperationModel *op,
                            BotoHttpRequest    *request)
{
  const char *operation = boto_operation_model_get_name (op);
  const char *trace_id = g_getenv ("_X_AMZN_TRACE_ID");

  if (trace_id != NULL && g_getenv ("AWS_LAMBDA_FUNCTION_NAME") != NULL &&
      boto_http_request_get_header (request, "X-Amzn-Trace-Id") == NULL)
    {
      g_autofree char *quoted = g_uri_escape_string (trace_id, "-=;:+&[]{}\"',", FALSE);

      boto_http_request_set_header (request, "X-Amzn-Trace-Id", quoted);
    }
  if (strcmp (service, "glacier") == 0)
    {
      boto_http_request_set_header (request, "x-amz-glacier-version", boto_service_model_get_api_version (model));
      if (boto_client_is_glacier_upload (service, op))
        add_glacier_checksums (request);
    }
  else if (strcmp (service, "apigateway") == 0 && boto_http_request_get_header (request, "Accept") == NULL)
    boto_http_request_set_header (request, "Accept", "application/json");
  else if (strcmp (service, "s3") == 0 &&
           (strcmp (operation, "DeleteObjects") == 0 || strcmp (operation, "PutBucketLifecycleConfiguration") == 0))
    escape_xml_line_breaks (request);
}

/* Replaces every @from in @text by @to. */
static char *
replace_all (const char *text,
             const char *from,
             const char *to)
{
  g_auto(GStrv) parts = g_strsplit (text, from, -1);

  return g_strjoinv (to, parts);
}

/**
 * boto_client_inject_presigned_url:
 * @service: the service's name
 * @op: the operation
 * @request: the request about to be signed, changed in place
 * @signer: the request's signer (its region is the destination)
 * @credentials: the credentials it signs with
 * @error: return location for a #GError
 *
 * A cross-region copy (EC2 CopySnapshot; RDS, Neptune and DocumentDB
 * snapshot copies, clusters and read replicas) carries a URL presigned in
 * the source region for the same request, which the service calls to read
 * the source (botocore's inject_presigned_url_ec2 and _rds): the request
 * as a GET with `DestinationRegion` added, sent to the endpoint with the
 * source region in place of the destination's, presigned for an hour.
 * For RDS and its relatives `SourceRegion` is ours, not the API's: it is
 * taken out of the request. Nothing is done when the caller gave the URL
 * or no source region.
 *
 * Returns: %FALSE with @error set when the URL cannot be presigned
 */
gboolean
boto_client_inject_presigned_url (const char          *service,
                                  BotoOperationModel  *op,
                                  BotoHttpRequest     *request,
                                  BotoSigV4Signer     *signer,
                                  BotoCredentials     *credentials,
                                  GError             **error)
{
  static const char * const rds_operations[] = {
    "CopyDBClusterSnapshot", "CreateDBCluster", "CopyDBSnapshot", "CreateDBInstanceReadReplica", NULL
  };
  const char *operation = boto_operation_model_get_name (op);
  gboolean rds_like = (strcmp (service, "rds") == 0 && is_one_of (operation, rds_operations)) ||
                      ((strcmp (service, "neptune") == 0 || strcmp (service, "docdb") == 0) &&
                       (strcmp (operation, "CopyDBClusterSnapshot") == 0 || strcmp (operation, "CreateDBCluster") == 0));
  const char *url_name = rds_like ? "PreSignedUrl" : "PresignedUrl";
  const char *destination = boto_sigv4_signer_get_region (signer);
  GBytes *body = boto_http_request_get_body (request);
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(GString) rest = g_string_new (NULL);
  g_autoptr(BotoHttpRequest) copy = NULL;
  g_autoptr(BotoSigV4Signer) source_signer = NULL;
  g_auto(GStrv) pairs = NULL;
  g_autofree char *text = NULL;
  g_autofree char *source = NULL;
  g_autofree char *host = NULL;
  g_autofree char *url = NULL;
  g_autofree char *encoded = NULL;

  if (!rds_like && !(strcmp (service, "ec2") == 0 && strcmp (operation, "CopySnapshot") == 0))
    return TRUE;
  if (body == NULL)
    return TRUE;
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  form = g_uri_parse_params (text, -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
  if (form == NULL || g_hash_table_lookup (form, "SourceRegion") == NULL)
    return TRUE;
  source = g_strdup (g_hash_table_lookup (form, "SourceRegion"));

  /* The body without our SourceRegion (RDS), for the request and the copy. */
  pairs = g_strsplit (text, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      if (rds_like && g_str_has_prefix (pairs[i], "SourceRegion="))
        continue;
      if (rest->len > 0)
        g_string_append_c (rest, '&');
      g_string_append (rest, pairs[i]);
    }
  if (g_hash_table_lookup (form, url_name) != NULL)
    {
      if (rds_like)
        {
          g_autoptr(GBytes) bytes = g_bytes_new (rest->str, rest->len);

          boto_http_request_set_body (request, bytes);
        }
      return TRUE;
    }

  copy = boto_http_request_copy (request);
  while (boto_http_request_get_n_headers (copy) > 0)
    boto_http_request_remove_header (copy, boto_http_request_get_header_name (copy, 0));
  boto_http_request_set_method (copy, "GET");
  {
    g_autofree char *escaped = g_uri_escape_string (destination, NULL, FALSE);
    g_autofree char *copy_body = g_strdup_printf ("%s&DestinationRegion=%s", rest->str, escaped);
    g_autoptr(GBytes) bytes = g_bytes_new (copy_body, strlen (copy_body));

    /* The form goes into the presigned URL's query. */
    boto_http_request_set_header (copy, "Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
    boto_http_request_set_body (copy, bytes);
  }
  host = replace_all (boto_http_request_get_host (copy), destination, source);
  boto_http_request_set_endpoint (copy, boto_http_request_get_scheme (copy), host,
                                  boto_http_request_get_port (copy));
  source_signer = boto_sigv4_signer_new (boto_sigv4_signer_get_service (signer), source, BOTO_SIGV4_FLAGS_NONE);
  if (!boto_sigv4_signer_presign (source_signer, copy, credentials, 3600, NULL, NULL, error))
    return FALSE;
  url = boto_http_request_dup_url (copy);
  encoded = g_uri_escape_string (url, NULL, FALSE);
  g_string_append_printf (rest, "&%s=%s", url_name, encoded);
  {
    g_autoptr(GBytes) bytes = g_bytes_new (rest->str, rest->len);

    boto_http_request_set_body (request, bytes);
  }
  return TRUE;
}
