/* boto-client-handlers.c: botocore's parameter customizations that are not
 * in the model
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include "boto-client-private.h"
#include "boto-error.h"

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
