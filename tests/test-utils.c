/* test-utils.c: helpers shared by the tests
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include "test-utils.h"

/*
 * test_model_for_operation:
 * @metadata: a suite's `metadata`
 * @shapes: a suite's `shapes`
 * @operation: a case's operation (`given`), with its `name`
 *
 * Builds the one-operation service botocore's protocol test runner builds
 * for a case: `metadata + shapes + {given.name: given}`.
 *
 * Returns: (transfer full): the model, or %NULL with @error set
 */
BotoServiceModel *
test_model_for_operation (JsonObject  *metadata,
                          JsonObject  *shapes,
                          JsonObject  *operation,
                          GError     **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *text;
  gsize length;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "metadata");
  json_builder_add_value (builder, json_node_init_object (json_node_alloc (), metadata));
  json_builder_set_member_name (builder, "shapes");
  json_builder_add_value (builder, json_node_init_object (json_node_alloc (), shapes));
  json_builder_set_member_name (builder, "operations");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, json_object_get_string_member (operation, "name"));
  json_builder_add_value (builder, json_node_init_object (json_node_alloc (), operation));
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  bytes = g_bytes_new_take (text, length);

  return boto_service_model_new_from_data ("conformance", bytes, error);
}

/* TestServer */

struct _TestServer
{
  GThread            *thread;
  GMainContext       *context;
  GMainLoop          *loop;
  SoupServerCallback  handler;
  SoupServerCallback  early_handler;
  gpointer            user_data;
  char               *url;
  GMutex              lock;
  GCond               cond;
  gboolean            ready;
};

static gpointer
test_server_thread (gpointer data)
{
  TestServer *self = data;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (self->context);
  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, self->handler, self->user_data, NULL);
  if (self->early_handler != NULL)
    soup_server_add_early_handler (server, NULL, self->early_handler, self->user_data, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  self->url = g_uri_to_string_partial (uris->data, G_URI_HIDE_PASSWORD);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_mutex_lock (&self->lock);
  self->ready = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);

  g_main_loop_run (self->loop);
  soup_server_disconnect (server);
  g_clear_object (&server);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

TestServer *
test_server_start (SoupServerCallback handler,
                   gpointer           user_data)
{
  return test_server_start_full (handler, NULL, user_data);
}

TestServer *
test_server_start_full (SoupServerCallback handler,
                        SoupServerCallback early_handler,
                        gpointer           user_data)
{
  TestServer *self = g_new0 (TestServer, 1);

  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->handler = handler;
  self->early_handler = early_handler;
  self->user_data = user_data;
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->thread = g_thread_new ("test-server", test_server_thread, self);
  g_mutex_lock (&self->lock);
  while (!self->ready)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);
  return self;
}

const char *
test_server_get_url (TestServer *self)
{
  return self->url;
}

static gboolean
test_server_quit (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
test_server_stop (TestServer *self)
{
  g_main_context_invoke (self->context, test_server_quit, self->loop);
  g_thread_join (self->thread);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self->url);
  g_free (self);
}

gboolean
test_has_event_stream_output (BotoOperationModel *op)
{
  BotoShape *output = boto_operation_model_get_output_shape (op);
  g_auto(GStrv) names = output != NULL ? boto_shape_get_member_names (output) : NULL;

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    if (boto_shape_get_boolean_trait (boto_shape_get_member (output, names[i]), "eventstream"))
      return TRUE;
  return FALSE;
}

void
test_append_json_headers (SoupMessageHeaders *headers,
                          JsonObject         *object)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &value))
    soup_message_headers_append (headers, name, json_node_get_string (value));
}
