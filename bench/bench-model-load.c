/* bench-model-load.c: time to load the ec2 model and reach RunInstances' input
 *
 * Run in a fresh process each time (see run-model-load): it measures the cold
 * path, from boto_service_model_load() to the input shape of RunInstances,
 * and prints one line, `boto-glib-ec2-load-us <microseconds>`.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <stdio.h>
#include <time.h>

#include <boto-glib/boto-glib.h>

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BotoServiceModel) model = NULL;
  g_autoptr(GError) error = NULL;
  BotoOperationModel *operation = NULL;
  BotoShape *input = NULL;
  gint64 start, end;

  start = now_ns ();
  model = boto_service_model_load ("ec2", &error);
  if (model != NULL)
    operation = boto_service_model_get_operation (model, "RunInstances", &error);
  if (operation != NULL)
    input = boto_operation_model_get_input_shape (operation);
  end = now_ns ();

  if (operation == NULL)
    {
      g_printerr ("bench-model-load: %s\n", error->message);
      return 1;
    }

  if (input == NULL || g_strcmp0 (boto_shape_get_name (input), "RunInstancesRequest") != 0)
    {
      g_printerr ("bench-model-load: unexpected input shape “%s”\n",
                  input != NULL ? boto_shape_get_name (input) : "(none)");
      return 1;
    }

  printf ("boto-glib-ec2-load-us %.1f\n", (end - start) / 1000.0);
  return 0;
}
