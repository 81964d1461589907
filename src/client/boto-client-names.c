/* boto-client-names.c: botocore's snake-case names of model names
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "boto-client.h"
#include "boto-client-private.h"

/* Operation names botocore spells by hand, sorted for bsearch(). */
typedef struct
{
  const char *name;
  const char *snake;
} XformException;

static const XformException xform_exceptions[] = {
  { "AssociateWhatsAppBusinessAccount",
    "associate_whatsapp_business_account" },
  { "CreateCachediSCSIVolume",
    "create_cached_iscsi_volume" },
  { "CreateOAuth2Token",
    "create_oauth2_token" },
  { "CreateOAuth2TokenWithIAM",
    "create_oauth2_token_with_iam" },
  { "CreateStorediSCSIVolume",
    "create_stored_iscsi_volume" },
  { "CreateWhatsAppDataset",
    "create_whatsapp_dataset" },
  { "CreateWhatsAppFlow",
    "create_whatsapp_flow" },
  { "CreateWhatsAppMessageTemplate",
    "create_whatsapp_message_template" },
  { "CreateWhatsAppMessageTemplateFromLibrary",
    "create_whatsapp_message_template_from_library" },
  { "CreateWhatsAppMessageTemplateMedia",
    "create_whatsapp_message_template_media" },
  { "DeleteWhatsAppFlow",
    "delete_whatsapp_flow" },
  { "DeleteWhatsAppMessageMedia",
    "delete_whatsapp_message_media" },
  { "DeleteWhatsAppMessageTemplate",
    "delete_whatsapp_message_template" },
  { "DeprecateWhatsAppFlow",
    "deprecate_whatsapp_flow" },
  { "DescribeCachediSCSIVolumes",
    "describe_cached_iscsi_volumes" },
  { "DescribeStorediSCSIVolumes",
    "describe_stored_iscsi_volumes" },
  { "DisassociateWhatsAppBusinessAccount",
    "disassociate_whatsapp_business_account" },
  { "ExecutePartiQLBatch",
    "execute_partiql_batch" },
  { "ExecutePartiQLStatement",
    "execute_partiql_statement" },
  { "ExecutePartiQLTransaction",
    "execute_partiql_transaction" },
  { "GetLinkedWhatsAppBusinessAccount",
    "get_linked_whatsapp_business_account" },
  { "GetLinkedWhatsAppBusinessAccountPhoneNumber",
    "get_linked_whatsapp_business_account_phone_number" },
  { "GetOTelEnrichment",
    "get_otel_enrichment" },
  { "GetWhatsAppBusinessPublicKey",
    "get_whatsapp_business_public_key" },
  { "GetWhatsAppCallPermission",
    "get_whatsapp_call_permission" },
  { "GetWhatsAppFlow",
    "get_whatsapp_flow" },
  { "GetWhatsAppFlowPreview",
    "get_whatsapp_flow_preview" },
  { "GetWhatsAppMessageMedia",
    "get_whatsapp_message_media" },
  { "GetWhatsAppMessageTemplate",
    "get_whatsapp_message_template" },
  { "IntrospectOAuth2TokenWithIAM",
    "introspect_oauth2_token_with_iam" },
  { "ListHITsForQualificationType",
    "list_hits_for_qualification_type" },
  { "ListLinkedWhatsAppBusinessAccounts",
    "list_linked_whatsapp_business_accounts" },
  { "ListWhatsAppFlowAssets",
    "list_whatsapp_flow_assets" },
  { "ListWhatsAppFlows",
    "list_whatsapp_flows" },
  { "ListWhatsAppMessageTemplates",
    "list_whatsapp_message_templates" },
  { "ListWhatsAppTemplateLibrary",
    "list_whatsapp_template_library" },
  { "PostWhatsAppMessageMedia",
    "post_whatsapp_message_media" },
  { "PublishWhatsAppFlow",
    "publish_whatsapp_flow" },
  { "PutWhatsAppBusinessAccountEventDestinations",
    "put_whatsapp_business_account_event_destinations" },
  { "PutWhatsAppBusinessPublicKey",
    "put_whatsapp_business_public_key" },
  { "RevokeOAuth2TokenWithIAM",
    "revoke_oauth2_token_with_iam" },
  { "SendWhatsAppCallEvent",
    "send_whatsapp_call_event" },
  { "SendWhatsAppConversionEvent",
    "send_whatsapp_conversion_event" },
  { "SendWhatsAppMessage",
    "send_whatsapp_message" },
  { "StartOTelEnrichment",
    "start_otel_enrichment" },
  { "StopOTelEnrichment",
    "stop_otel_enrichment" },
  { "UpdateLinkedWhatsAppBusinessAccountPhoneNumber",
    "update_linked_whatsapp_business_account_phone_number" },
  { "UpdateOTelEnrichment",
    "update_otel_enrichment" },
  { "UpdateWhatsAppFlow",
    "update_whatsapp_flow" },
  { "UpdateWhatsAppFlowAssets",
    "update_whatsapp_flow_assets" },
  { "UpdateWhatsAppMessageTemplate",
    "update_whatsapp_message_template" },
};

static int
compare_xform_exception (const void *key,
                         const void *entry)
{
  return strcmp (key, ((const XformException *) entry)->name);
}

/**
 * boto_xform_name:
 * @name: a model name, such as `ListObjectsV2` or `NotificationARNs`
 *
 * The snake-case name boto3 gives a model name, as botocore's
 * `xform_name` makes it: `list_objects_v2`, `notification_arns`. A name
 * that holds an underscore stays as it is; the operation names botocore
 * spells by hand come out as it spells them (`ExecutePartiQLStatement` is
 * `execute_partiql_statement`). Clients accept these names in
 * [method@Boto.Client.call], and the Python and JavaScript bindings name
 * their methods with them.
 *
 * Returns: (transfer full): the snake-case name
 *
 * Since: 1.0
 */
/* In the names not spelled by hand (xform_exceptions) a trailing run of
 * capitals with a plural 's' ("NotificationARNs", "ACLs") becomes one
 * lower-case word after an underscore; then `(.)([A-Z][a-z]+)` and
 * `([a-z0-9])([A-Z])` each insert an underscore, scanning left to right
 * as a regular expression substitution does, and all is lower-cased. */
char *
boto_xform_name (const char *name)
{
  g_autofree char *base = NULL;
  GString *first;
  GString *out;
  gsize len = strlen (name);
  gsize run = 0;
  const XformException *exception;

  g_return_val_if_fail (name != NULL, NULL);

  if (strchr (name, '_') != NULL)
    return g_strdup (name);
  exception = bsearch (name, xform_exceptions, G_N_ELEMENTS (xform_exceptions),
                       sizeof xform_exceptions[0], compare_xform_exception);
  if (exception != NULL)
    return g_strdup (exception->snake);

  if (len >= 3 && name[len - 1] == 's')
    while (run < len - 1 && g_ascii_isupper (name[len - 2 - run]))
      run++;
  if (run >= 2)
    {
      g_autofree char *tail = g_ascii_strdown (name + len - 1 - run, -1);

      base = g_strdup_printf ("%.*s_%s", (int) (len - 1 - run), name, tail);
    }
  else
    base = g_strdup (name);
  len = strlen (base);

  first = g_string_sized_new (len + 8);
  for (gsize i = 0; i < len;)
    {
      if (i + 2 < len && base[i] != '\n' && g_ascii_isupper (base[i + 1]) && g_ascii_islower (base[i + 2]))
        {
          gsize j = i + 2;

          while (j < len && g_ascii_islower (base[j]))
            j++;
          g_string_append_c (first, base[i]);
          g_string_append_c (first, '_');
          g_string_append_len (first, base + i + 1, j - i - 1);
          i = j;
        }
      else
        g_string_append_c (first, base[i++]);
    }

  out = g_string_sized_new (first->len + 8);
  for (gsize i = 0; i < first->len;)
    {
      char c = first->str[i];

      if (i + 1 < first->len && (g_ascii_islower (c) || g_ascii_isdigit (c)) &&
          g_ascii_isupper (first->str[i + 1]))
        {
          g_string_append_c (out, c);
          g_string_append_c (out, '_');
          g_string_append_c (out, g_ascii_tolower (first->str[i + 1]));
          i += 2;
        }
      else
        {
          g_string_append_c (out, g_ascii_tolower (c));
          i++;
        }
    }
  g_string_free (first, TRUE);
  return g_string_free (out, FALSE);
}
