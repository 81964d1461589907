/* paginate-bucket.c: list a bucket's objects page by page with a paginator
 *
 * Puts a few hundred keys into a bucket, then lets the ListObjectsV2
 * paginator follow the continuation tokens, 100 keys a page.
 * Uses the region, credentials and endpoint from the environment (under
 * examples/run-all: moto on loopback).
 * Usage: paginate-bucket [BUCKET]
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <string.h>

#include <boto-glib/boto-glib.h>

#define N_KEYS 250
#define PAGE_SIZE 100

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BotoSession) session = boto_session_new ();
  g_autoptr(BotoClient) s3 = NULL;
  g_autoptr(BotoPaginator) paginator = NULL;
  g_autoptr(BotoPageIterator) pages = NULL;
  g_autoptr(GVariant) created = NULL;
  g_autoptr(GError) error = NULL;
  const char *bucket = argc > 1 ? argv[1] : "example-c-pages";
  guint n_pages = 0;
  guint n_keys = 0;

  s3 = boto_session_create_client (session, "s3", NULL, NULL, &error);
  if (s3 == NULL)
    goto failed;
  created = boto_client_call (s3, "CreateBucket", g_variant_new_parsed ("{'Bucket': <%s>}", bucket),
                              NULL, &error);
  if (created == NULL)
    goto failed;

  for (guint i = 0; i < N_KEYS; i++)
    {
      g_autoptr(GVariant) put = NULL;
      g_autofree char *key = g_strdup_printf ("logs/%04u.txt", i);
      GVariant *body = g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, key, strlen (key), 1);

      put = boto_client_call (s3, "PutObject",
                              g_variant_new_parsed ("{'Bucket': <%s>, 'Key': <%s>, 'Body': <%@ay>}",
                                                    bucket, key, body),
                              NULL, &error);
      if (put == NULL)
        goto failed;
    }
  g_print ("put %u keys into %s\n", N_KEYS, bucket);

  paginator = boto_client_get_paginator (s3, "ListObjectsV2", &error);
  if (paginator == NULL)
    goto failed;
  pages = boto_paginator_paginate (paginator,
                                   g_variant_new_parsed ("{'Bucket': <%s>, 'Prefix': <'logs/'>}", bucket),
                                   g_variant_new_parsed ("{'PageSize': <%i>}", PAGE_SIZE));

  /* NULL with no error set: no more pages. */
  for (;;)
    {
      g_autoptr(GVariant) page = NULL;
      g_autoptr(GVariant) contents = NULL;
      const char *first = "", *last = "";
      gsize n;

      page = boto_page_iterator_next (pages, NULL, &error);
      if (page == NULL)
        {
          if (error != NULL)
            goto failed;
          break;
        }
      contents = g_variant_lookup_value (page, "Contents", G_VARIANT_TYPE ("aa{sv}"));
      n = contents != NULL ? g_variant_n_children (contents) : 0;
      if (n > 0)
        {
          g_autoptr(GVariant) first_object = g_variant_get_child_value (contents, 0);
          g_autoptr(GVariant) last_object = g_variant_get_child_value (contents, n - 1);

          g_variant_lookup (first_object, "Key", "&s", &first);
          g_variant_lookup (last_object, "Key", "&s", &last);
          g_print ("page %u: %" G_GSIZE_FORMAT " keys, %s .. %s\n", n_pages, n, first, last);
        }
      n_pages++;
      n_keys += n;
    }

  g_print ("%u pages, %u keys\n", n_pages, n_keys);
  if (n_keys != N_KEYS)
    {
      g_printerr ("expected %u keys, listed %u\n", N_KEYS, n_keys);
      return 1;
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
