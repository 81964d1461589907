/* bench-resources.c: iterate a bucket's objects through the resource layer
 *
 * Usage: bench-resources BUCKET
 * Iterates s3.Bucket(BUCKET).objects.all() to the end, reading each
 * ObjectSummary's key, and prints `objects N`, `cpu-us T` (getrusage:
 * the client's CPU only, not the server's) and `peak-rss-kib R` (VmHWM).
 * Region, credentials and endpoint come from the environment.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <boto-glib/boto-glib.h>

static gint64
cpu_us (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (gint64) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC
         + usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
}

static long
peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *hwm;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (hwm = strstr (status, "VmHWM:")) == NULL)
    return -1;
  return strtol (hwm + strlen ("VmHWM:"), NULL, 10);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BotoSession) session = NULL;
  g_autoptr(BotoServiceResource) s3 = NULL;
  g_autoptr(BotoResource) bucket = NULL;
  g_autoptr(BotoCollection) objects = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;
  gint64 start;

  if (argc != 2)
    {
      g_printerr ("usage: bench-resources BUCKET\n");
      return 2;
    }

  start = cpu_us ();
  session = boto_session_new ();
  s3 = boto_session_resource (session, "s3", NULL, &error);
  if (s3 != NULL)
    bucket = boto_service_resource_get_sub_resource (s3, "Bucket", g_variant_new_string (argv[1]), &error);
  if (bucket != NULL)
    objects = boto_resource_get_collection (bucket, "objects", &error);
  while (objects != NULL)
    {
      g_autoptr(BotoResource) object = boto_collection_next (objects, NULL, &error);

      if (object == NULL)
        break;
      if (boto_resource_get_identifier_string (object, "key") == NULL)
        {
          g_printerr ("bench-resources: an object without a key\n");
          return 1;
        }
      n++;
    }
  if (error != NULL)
    {
      g_printerr ("bench-resources: %s\n", error->message);
      return 1;
    }
  printf ("objects %u\ncpu-us %" G_GINT64_FORMAT "\npeak-rss-kib %ld\n", n, cpu_us () - start, peak_rss_kib ());
  return 0;
}
