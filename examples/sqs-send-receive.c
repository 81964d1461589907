/* sqs-send-receive.c: create a queue, send a message, receive and delete it
 *
 * Uses the region, credentials and endpoint from the environment (under
 * examples/run-all: moto on loopback).
 * Usage: sqs-send-receive [QUEUE_NAME]
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <boto-glib/boto-glib.h>

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BotoSession) session = boto_session_new ();
  g_autoptr(BotoClient) sqs = NULL;
  g_autoptr(GVariant) created = NULL;
  g_autoptr(GVariant) sent = NULL;
  g_autoptr(GVariant) received = NULL;
  g_autoptr(GVariant) messages = NULL;
  g_autoptr(GVariant) attributes = NULL;
  g_autoptr(GError) error = NULL;
  const char *name = argc > 1 ? argv[1] : "example-c-queue";
  const char *url = NULL;
  const char *md5 = NULL;
  const char *left = "?";
  GVariantIter iter;
  GVariant *message;

  sqs = boto_session_create_client (session, "sqs", NULL, NULL, &error);
  if (sqs == NULL)
    goto failed;

  created = boto_client_call (sqs, "CreateQueue",
                              g_variant_new_parsed ("{'QueueName': <%s>,"
                                                    " 'Attributes': <{'VisibilityTimeout': '30'}>}",
                                                    name),
                              NULL, &error);
  if (created == NULL)
    goto failed;
  g_variant_lookup (created, "QueueUrl", "&s", &url);
  g_print ("queue: %s\n", url);

  sent = boto_client_call (sqs, "SendMessage",
                           g_variant_new_parsed ("{'QueueUrl': <%s>, 'MessageBody': <'hello from C'>,"
                                                 " 'MessageAttributes': <{'lang': <{'DataType': <'String'>,"
                                                 " 'StringValue': <'c'>}>}>}",
                                                 url),
                           NULL, &error);
  if (sent == NULL)
    goto failed;
  g_variant_lookup (sent, "MD5OfMessageBody", "&s", &md5);
  g_print ("sent: %s\n", md5);

  received = boto_client_call (sqs, "ReceiveMessage",
                               g_variant_new_parsed ("{'QueueUrl': <%s>, 'MessageAttributeNames': <['All']>,"
                                                     " 'WaitTimeSeconds': <1>}",
                                                     url),
                               NULL, &error);
  if (received == NULL)
    goto failed;
  messages = g_variant_lookup_value (received, "Messages", G_VARIANT_TYPE ("aa{sv}"));
  if (messages == NULL || g_variant_n_children (messages) == 0)
    {
      g_printerr ("no message received\n");
      return 1;
    }

  g_variant_iter_init (&iter, messages);
  while (g_variant_iter_next (&iter, "@a{sv}", &message))
    {
      g_autoptr(GVariant) owned = message;
      g_autoptr(GVariant) deleted = NULL;
      g_autoptr(GVariant) message_attributes = NULL;
      g_autoptr(GVariant) lang = NULL;
      const char *body = "";
      const char *handle = NULL;
      const char *lang_value = "(none)";

      g_variant_lookup (message, "Body", "&s", &body);
      g_variant_lookup (message, "ReceiptHandle", "&s", &handle);
      /* A map in a result is a{sT}: here a{sa{sv}}. */
      message_attributes = g_variant_lookup_value (message, "MessageAttributes",
                                                   G_VARIANT_TYPE ("a{sa{sv}}"));
      if (message_attributes != NULL)
        lang = g_variant_lookup_value (message_attributes, "lang", G_VARIANT_TYPE_VARDICT);
      if (lang != NULL)
        g_variant_lookup (lang, "StringValue", "&s", &lang_value);
      g_print ("received: %s lang = %s\n", body, lang_value);

      deleted = boto_client_call (sqs, "DeleteMessage",
                                  g_variant_new_parsed ("{'QueueUrl': <%s>, 'ReceiptHandle': <%s>}",
                                                        url, handle),
                                  NULL, &error);
      if (deleted == NULL)
        goto failed;
    }

  attributes = boto_client_call (sqs, "GetQueueAttributes",
                                 g_variant_new_parsed ("{'QueueUrl': <%s>,"
                                                       " 'AttributeNames': <['ApproximateNumberOfMessages']>}",
                                                       url),
                                 NULL, &error);
  if (attributes == NULL)
    goto failed;
  {
    g_autoptr(GVariant) map = g_variant_lookup_value (attributes, "Attributes", G_VARIANT_TYPE ("a{ss}"));

    if (map != NULL)
      g_variant_lookup (map, "ApproximateNumberOfMessages", "&s", &left);
    g_print ("left in the queue: %s\n", left);
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
