/* run-instance.c: create a key pair, run an instance and wait until it runs
 *
 * Uses the region, credentials and endpoint from the environment (under
 * examples/run-all: moto on loopback).
 * Usage: run-instance [KEY_NAME]
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <boto-glib/boto-glib.h>

static void
print_error (const GError *error)
{
  if (error->domain == BOTO_SERVICE_ERROR)
    g_printerr ("%s (code %s, request %s)\n", error->message,
                boto_service_error_get_code (error), boto_service_error_get_request_id (error));
  else
    g_printerr ("%s\n", error->message);
}

/* Reservations[0].Instances[0] of a DescribeInstances result, or NULL. */
static GVariant *
first_instance (GVariant *described)
{
  g_autoptr(GVariant) reservations = NULL;
  g_autoptr(GVariant) reservation = NULL;
  g_autoptr(GVariant) instances = NULL;

  reservations = g_variant_lookup_value (described, "Reservations", G_VARIANT_TYPE ("aa{sv}"));
  if (reservations == NULL || g_variant_n_children (reservations) == 0)
    return NULL;
  reservation = g_variant_get_child_value (reservations, 0);
  instances = g_variant_lookup_value (reservation, "Instances", G_VARIANT_TYPE ("aa{sv}"));
  if (instances == NULL || g_variant_n_children (instances) == 0)
    return NULL;
  return g_variant_get_child_value (instances, 0);
}

/* State.Name of an instance, as a new string. */
static char *
dup_state_name (GVariant *instance)
{
  g_autoptr(GVariant) state = NULL;
  char *name = NULL;

  state = g_variant_lookup_value (instance, "State", G_VARIANT_TYPE_VARDICT);
  if (state == NULL || !g_variant_lookup (state, "Name", "s", &name))
    return g_strdup ("unknown");
  return name;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BotoSession) session = boto_session_new ();
  g_autoptr(BotoClient) ec2 = NULL;
  g_autoptr(BotoWaiter) waiter = NULL;
  g_autoptr(GVariant) key = NULL;
  g_autoptr(GVariant) reservation = NULL;
  g_autoptr(GVariant) instances = NULL;
  g_autoptr(GVariant) instance = NULL;
  g_autoptr(GVariant) described = NULL;
  g_autoptr(GVariant) running = NULL;
  g_autoptr(GError) error = NULL;
  const char *key_name = argc > 1 ? argv[1] : "example-c-key";
  const char *instance_id = NULL;

  ec2 = boto_session_create_client (session, "ec2", NULL, NULL, &error);
  if (ec2 == NULL)
    goto failed;

  key = boto_client_call (ec2, "CreateKeyPair", g_variant_new_parsed ("{'KeyName': <%s>}", key_name),
                          NULL, &error);
  if (key == NULL)
    goto failed;
  g_print ("key pair: %s\n", key_name);

  reservation = boto_client_call (ec2, "RunInstances",
                                  g_variant_new_parsed ("{'ImageId': <'ami-12c6146b'>,"
                                                        " 'InstanceType': <'t2.micro'>,"
                                                        " 'KeyName': <%s>,"
                                                        " 'MinCount': <1>, 'MaxCount': <1>}",
                                                        key_name),
                                  NULL, &error);
  if (reservation == NULL)
    goto failed;
  instances = g_variant_lookup_value (reservation, "Instances", G_VARIANT_TYPE ("aa{sv}"));
  if (instances == NULL || g_variant_n_children (instances) == 0)
    {
      g_printerr ("RunInstances returned no instance\n");
      return 1;
    }
  instance = g_variant_get_child_value (instances, 0);
  g_variant_lookup (instance, "InstanceId", "&s", &instance_id);
  {
    g_autofree char *state = dup_state_name (instance);

    g_print ("instance: %s %s\n", instance_id, state);
  }

  /* Poll DescribeInstances every second, at most 30 times. */
  waiter = boto_client_get_waiter (ec2, "instance_running", &error);
  if (waiter == NULL)
    goto failed;
  if (!boto_waiter_wait (waiter,
                         g_variant_new_parsed ("{'InstanceIds': <[%s]>,"
                                               " 'WaiterConfig': <{'Delay': <1>, 'MaxAttempts': <30>}>}",
                                               instance_id),
                         NULL, &error))
    goto failed;

  described = boto_client_call (ec2, "DescribeInstances",
                                g_variant_new_parsed ("{'InstanceIds': <[%s]>}", instance_id),
                                NULL, &error);
  if (described == NULL)
    goto failed;
  running = first_instance (described);
  if (running == NULL)
    {
      g_printerr ("DescribeInstances did not return %s\n", instance_id);
      return 1;
    }
  {
    g_autofree char *state = dup_state_name (running);

    g_print ("after waiting: %s %s\n", instance_id, state);
  }
  return 0;

failed:
  print_error (error);
  return 1;
}
