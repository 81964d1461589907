/* bench-jmespath.c: JMESPath searches over a 1,000-element GVariant
 *
 * Builds the data of run_jmespath.py (1,000 EC2 reservations with one
 * instance each, and 1,000 S3 objects) as GVariant, in tree form as a
 * GVariantBuilder leaves it and in serialized form, then times
 * boto_jmespath_search() on each expression given on the command line and
 * prints one line per expression and form:
 * `<form> <microseconds per search> <result count> <expression>`.
 * It also prints `compile <microseconds per compile> <expression>`.
 *
 * Usage: bench-jmespath ITERATIONS EXPRESSION...
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <boto-glib/boto-glib.h>

#define N_ITEMS 1000

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static GVariant *
build_data (void)
{
  GVariantBuilder reservations, contents, root;

  g_variant_builder_init (&reservations, G_VARIANT_TYPE ("aa{sv}"));
  for (int i = 0; i < N_ITEMS; i++)
    {
      GVariantBuilder instances, instance, state, reservation;
      g_autofree char *rid = g_strdup_printf ("r-%08x", i);
      g_autofree char *iid = g_strdup_printf ("i-%08x", i);

      g_variant_builder_init (&state, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&state, "{sv}", "Code", g_variant_new_int32 (16));
      g_variant_builder_add (&state, "{sv}", "Name", g_variant_new_string ("running"));
      g_variant_builder_init (&instance, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&instance, "{sv}", "InstanceId", g_variant_new_string (iid));
      g_variant_builder_add (&instance, "{sv}", "InstanceType", g_variant_new_string ("t3.micro"));
      g_variant_builder_add (&instance, "{sv}", "State", g_variant_builder_end (&state));
      g_variant_builder_init (&instances, G_VARIANT_TYPE ("aa{sv}"));
      g_variant_builder_add_value (&instances, g_variant_builder_end (&instance));
      g_variant_builder_init (&reservation, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&reservation, "{sv}", "ReservationId", g_variant_new_string (rid));
      g_variant_builder_add (&reservation, "{sv}", "OwnerId", g_variant_new_string ("123456789012"));
      g_variant_builder_add (&reservation, "{sv}", "Instances", g_variant_builder_end (&instances));
      g_variant_builder_add_value (&reservations, g_variant_builder_end (&reservation));
    }

  g_variant_builder_init (&contents, G_VARIANT_TYPE ("aa{sv}"));
  for (int i = 0; i < N_ITEMS; i++)
    {
      GVariantBuilder object;
      g_autofree char *key = g_strdup_printf ("photos/%04d.jpg", i);

      g_variant_builder_init (&object, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&object, "{sv}", "Key", g_variant_new_string (key));
      g_variant_builder_add (&object, "{sv}", "LastModified", g_variant_new_int64 (1700000000000000 + i));
      g_variant_builder_add (&object, "{sv}", "ETag", g_variant_new_string ("\"d41d8cd98f00b204e9800998ecf8427e\""));
      g_variant_builder_add (&object, "{sv}", "Size", g_variant_new_int64 ((i * 37) % 200));
      g_variant_builder_add (&object, "{sv}", "StorageClass", g_variant_new_string ("STANDARD"));
      g_variant_builder_add_value (&contents, g_variant_builder_end (&object));
    }

  g_variant_builder_init (&root, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&root, "{sv}", "Reservations", g_variant_builder_end (&reservations));
  g_variant_builder_add (&root, "{sv}", "Contents", g_variant_builder_end (&contents));
  return g_variant_ref_sink (g_variant_builder_end (&root));
}

static void
run (const char *form,
     GVariant   *data,
     const char *expression,
     int         iterations)
{
  gsize count = 0;
  gint64 start, best = G_MAXINT64;

  /* Best of 5 rounds, to keep scheduling noise out. */
  for (int round = 0; round < 5; round++)
    {
      start = now_ns ();
      for (int i = 0; i < iterations; i++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GVariant) result = boto_jmespath_search (expression, data, &error);

          if (result == NULL)
            {
              g_printerr ("bench-jmespath: %s: %s\n", expression, error ? error->message : "null result");
              exit (1);
            }
          count = g_variant_is_container (result) ? g_variant_n_children (result) : 1;
        }
      best = MIN (best, now_ns () - start);
    }
  printf ("%s %.3f %" G_GSIZE_FORMAT " %s\n", form, best / 1000.0 / iterations, count, expression);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GVariant) tree = NULL;
  g_autoptr(GVariant) serialized = NULL;
  int iterations;

  if (argc < 3)
    {
      g_printerr ("usage: bench-jmespath ITERATIONS EXPRESSION...\n");
      return 2;
    }
  iterations = atoi (argv[1]);
  /* Two copies: serializing one in place must not touch the other. */
  tree = build_data ();
  serialized = build_data ();
  g_variant_get_data (serialized);

  for (int e = 2; e < argc; e++)
    {
      gint64 start = now_ns ();

      for (int i = 0; i < iterations; i++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(BotoJmespathExpression) expr = boto_jmespath_expression_new (argv[e], &error);

          if (expr == NULL)
            {
              g_printerr ("bench-jmespath: %s\n", error->message);
              return 1;
            }
        }
      printf ("compile %.3f %s\n", (now_ns () - start) / 1000.0 / iterations, argv[e]);
      run ("tree", tree, argv[e], iterations);
      run ("serialized", serialized, argv[e], iterations);
    }
  return 0;
}
