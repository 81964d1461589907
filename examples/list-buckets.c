/* list-buckets.c: create a bucket, put two objects and list them
 *
 * Uses the region, credentials and endpoint from the environment (under
 * tools/run-examples: moto on loopback).
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <string.h>

#include <boto-glib/boto-glib.h>

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BotoSession) session = boto_session_new ();
  g_autoptr(BotoClient) s3 = NULL;
  g_autoptr(GVariant) created = NULL;
  g_autoptr(GVariant) listed = NULL;
  g_autoptr(GVariant) contents = NULL;
  g_autoptr(GError) error = NULL;
  const char *bucket = argc > 1 ? argv[1] : "example-bucket";
  const char *keys[] = { "hello.txt", "docs/readme.txt" };
  GVariantIter iter;
  GVariant *object;

  s3 = boto_session_create_client (session, "s3", NULL, NULL, &error);
  if (s3 == NULL)
    goto failed;

  created = boto_client_call (s3, "CreateBucket", g_variant_new_parsed ("{'Bucket': <%s>}", bucket),
                              NULL, &error);
  if (created == NULL)
    goto failed;

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autoptr(GVariant) put = NULL;
      GVariant *body = g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, keys[i], strlen (keys[i]), 1);

      put = boto_client_call (s3, "put_object",
                              g_variant_new_parsed ("{'Bucket': <%s>, 'Key': <%s>, 'Body': <%@ay>}",
                                                    bucket, keys[i], body),
                              NULL, &error);
      if (put == NULL)
        goto failed;
    }

  listed = boto_client_call (s3, "list_objects_v2", g_variant_new_parsed ("{'Bucket': <%s>}", bucket),
                             NULL, &error);
  if (listed == NULL)
    goto failed;
  contents = g_variant_lookup_value (listed, "Contents", G_VARIANT_TYPE ("aa{sv}"));
  g_variant_iter_init (&iter, contents);
  while (g_variant_iter_next (&iter, "@a{sv}", &object))
    {
      const char *key;
      gint64 size = 0;

      g_variant_lookup (object, "Key", "&s", &key);
      g_variant_lookup (object, "Size", "x", &size);
      g_print ("%s\t%" G_GINT64_FORMAT " bytes\n", key, size);
      g_variant_unref (object);
    }
  return 0;

failed:
  if (error->domain == BOTO_SERVICE_ERROR)
    g_printerr ("%s (code %s, request %s)\n", error->message,
                boto_service_error_get_code (error), boto_service_error_get_request_id (error));
  else
    g_printerr ("%s\n", error->message);
  return 1;
}
