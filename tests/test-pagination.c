/* test-pagination.c: paginators and waiters of BotoClient against a
 * SoupServer on 127.0.0.1 that plays scripted answers of a made-up JSON
 * service (tests/data/pagtest, found through AWS_DATA_PATH)
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <boto-glib/boto-glib.h>

#include "boto-paginator-private.h"
#include "boto-waiter-private.h"
#include "test-utils.h"

/* The server */

typedef struct
{
  guint  status;
  char  *body;
} Answer;

typedef struct
{
  TestServer         *ts;
  const char         *url;
  GMutex        lock;
  GQueue        answers;    /* of Answer*, played in order */
  GPtrArray    *requests;   /* of JsonNode*: the request bodies */
  GPtrArray    *targets;    /* of char*: X-Amz-Target */
} Server;

static void
answer_free (Answer *answer)
{
  g_free (answer->body);
  g_free (answer);
}

static void
handler (SoupServer        *soup_server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Server *server = user_data;
  SoupMessageBody *request = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (request);
  const char *target = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "X-Amz-Target");
  g_autoptr(GError) error = NULL;
  JsonNode *node;
  Answer *answer;
  gsize size;
  const char *data = g_bytes_get_data (body, &size);

  node = json_from_string (size > 0 ? data : "{}", &error);
  g_assert_no_error (error);

  g_mutex_lock (&server->lock);
  g_ptr_array_add (server->requests, node);
  g_ptr_array_add (server->targets, g_strdup (target));
  answer = g_queue_pop_head (&server->answers);
  g_mutex_unlock (&server->lock);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "x-amzn-RequestId", "req-1");
  if (answer == NULL)
    {
      soup_server_message_set_status (msg, 400, NULL);
      soup_server_message_set_response (msg, "application/x-amz-json-1.0", SOUP_MEMORY_STATIC,
                                        "{\"__type\": \"NoScript\", \"message\": \"no answer left\"}",
                                        strlen ("{\"__type\": \"NoScript\", \"message\": \"no answer left\"}"));
      return;
    }
  soup_server_message_set_status (msg, answer->status, NULL);
  soup_server_message_set_response (msg, "application/x-amz-json-1.0", SOUP_MEMORY_COPY,
                                    answer->body, strlen (answer->body));
  answer_free (answer);
}

static Server *
server_start (void)
{
  Server *server = g_new0 (Server, 1);

  g_mutex_init (&server->lock);
  g_queue_init (&server->answers);
  server->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  server->targets = g_ptr_array_new_with_free_func (g_free);
  server->ts = test_server_start (handler, server);
  server->url = test_server_get_url (server->ts);
  return server;
}

static void
server_answer (Server     *server,
               guint       status,
               const char *body)
{
  Answer *answer = g_new0 (Answer, 1);

  answer->status = status;
  answer->body = g_strdup (body);
  g_mutex_lock (&server->lock);
  g_queue_push_tail (&server->answers, answer);
  g_mutex_unlock (&server->lock);
}

static guint
server_n_requests (Server *server)
{
  guint n;

  g_mutex_lock (&server->lock);
  n = server->requests->len;
  g_mutex_unlock (&server->lock);
  return n;
}

/* The request body @i as compact JSON. */
static char *
server_request (Server *server,
                guint   i)
{
  char *text;

  g_mutex_lock (&server->lock);
  g_assert_cmpuint (i, <, server->requests->len);
  text = json_to_string (server->requests->pdata[i], FALSE);
  g_mutex_unlock (&server->lock);
  return text;
}

static void
server_stop (Server *server)
{
  test_server_stop (server->ts);
  g_queue_clear_full (&server->answers, (GDestroyNotify) answer_free);
  g_ptr_array_unref (server->requests);
  g_ptr_array_unref (server->targets);
  g_mutex_clear (&server->lock);
  g_free (server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Server, server_stop)

static BotoClient *
make_client (Server *server)
{
  g_autoptr(BotoSession) session = boto_session_new ();
  g_autoptr(BotoConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  BotoClient *client;

  config = boto_config_new (g_variant_new_parsed ("{'retries': <{'mode': <'standard'>, "
                                                  "'total_max_attempts': <int64 1>}>}"),
                            &error);
  g_assert_no_error (error);
  client = boto_session_create_client (session, "pagtest", server->url, config, &error);
  g_assert_no_error (error);
  return client;
}

static BotoPaginator *
get_paginator (BotoClient *client,
               const char *name)
{
  g_autoptr(GError) error = NULL;
  BotoPaginator *paginator = boto_client_get_paginator (client, name, &error);

  g_assert_no_error (error);
  g_assert_nonnull (paginator);
  return paginator;
}

/* The pages until the end, each printed. */
static GPtrArray *
all_pages (BotoPageIterator *pages)
{
  GPtrArray *printed = g_ptr_array_new_with_free_func (g_free);

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) page = boto_page_iterator_next (pages, NULL, &error);

      g_assert_no_error (error);
      if (page == NULL)
        break;
      g_ptr_array_add (printed, g_variant_print (page, FALSE));
    }
  return printed;
}

static char *
lookup_print (GVariant   *dict,
              const char *key)
{
  g_autoptr(GVariant) value = g_variant_lookup_value (dict, key, NULL);

  return value != NULL ? g_variant_print (value, FALSE) : NULL;
}

/* Paginators */

static void
test_paginator_client (void)
{
  g_autoptr(Server) server = server_start ();
  g_autoptr(BotoClient) client = make_client (server);
  g_autoptr(BotoPaginator) paginator = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;

  g_assert_true (boto_client_can_paginate (client, "ListThings"));
  g_assert_true (boto_client_can_paginate (client, "list_things"));
  g_assert_false (boto_client_can_paginate (client, "GetStatus"));
  g_assert_false (boto_client_can_paginate (client, "no_such_operation"));

  g_assert_null (boto_client_get_paginator (client, "get_status", &error));
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_OPERATION);
  g_clear_error (&error);
  g_assert_null (boto_client_get_paginator (client, "Nope", &error));
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_OPERATION);

  paginator = get_paginator (client, "list_keys");
  g_assert_true (boto_paginator_get_client (paginator) == client);
  g_assert_cmpstr (boto_paginator_get_operation_name (paginator), ==, "ListKeys");
  config = lookup_print (boto_paginator_get_config (paginator), "output_token");
  g_assert_cmpstr (config, ==, "'NextMarker || Keys[-1]'");
  g_assert_cmpuint (server_n_requests (server), ==, 0);

  /* The operation names come sorted too. */
  {
    g_auto(GStrv) names = boto_client_dup_operation_names (client);
    g_autofree char *joined = g_strjoinv (",", names);

    g_assert_cmpstr (joined, ==, "get_status,list_keys,list_no_limit,list_things");
  }
}

static void
test_paginator_multi_token (void)
{
  g_autoptr(Server) server = server_start ();
  g_autoptr(BotoClient) client = make_client (server);
  g_autoptr(BotoPaginator) paginator = get_paginator (client, "ListThings");
  g_autoptr(BotoPageIterator) pages = NULL;
  g_autoptr(GPtrArray) printed = NULL;
  g_autofree char *r0 = NULL;
  g_autofree char *r1 = NULL;
  g_autofree char *r2 = NULL;

  server_answer (server, 200, "{\"Things\": [{\"Name\": \"a\"}], \"Next1\": \"n1\", \"Next2\": \"n2\", \"HasMore\": true}");
  server_answer (server, 200, "{\"Things\": [{\"Name\": \"b\"}], \"Next1\": \"n3\", \"Next2\": \"\", \"HasMore\": true}");
  server_answer (server, 200, "{\"Things\": [{\"Name\": \"c\"}], \"Next1\": \"n4\", \"Next2\": \"n5\", \"HasMore\": false}");

  pages = boto_paginator_paginate (paginator, g_variant_new_parsed ("{'Filter': <'f'>}"), NULL);
  g_assert_cmpuint (boto_page_iterator_get_n_pages (pages), ==, 0);
  g_assert_cmpuint (server_n_requests (server), ==, 0);
  printed = all_pages (pages);

  g_assert_cmpuint (printed->len, ==, 3);
  g_assert_nonnull (strstr (printed->pdata[2], "'Name': <'c'>"));
  g_assert_cmpuint (boto_page_iterator_get_n_pages (pages), ==, 3);
  g_assert_cmpuint (server_n_requests (server), ==, 3);
  r0 = server_request (server, 0);
  r1 = server_request (server, 1);
  r2 = server_request (server, 2);
  g_assert_cmpstr (r0, ==, "{\"Filter\":\"f\"}");
  g_assert_cmpstr (r1, ==, "{\"Filter\":\"f\",\"Marker1\":\"n1\",\"Marker2\":\"n2\"}");
  /* An empty output token counts as none: Marker2 is dropped. */
  g_assert_cmpstr (r2, ==, "{\"Filter\":\"f\",\"Marker1\":\"n3\"}");
  g_assert_cmpstr (server->targets->pdata[0], ==, "PagTest.ListThings");
  g_assert_null (boto_page_iterator_get_resume_token (pages));
}

static void
test_paginator_output_expression (void)
{
  g_autoptr(Server) server = server_start ();
  g_autoptr(BotoClient) client = make_client (server);
  g_autoptr(BotoPaginator) paginator = get_paginator (client, "ListKeys");
  g_autoptr(BotoPageIterator) pages = NULL;
  g_autoptr(GPtrArray) printed = NULL;
  g_autofree char *r1 = NULL;

  /* `NextMarker || Keys[-1]`: S3 ListObjects' style; an empty page ends. */
  server_answer (server, 200, "{\"Keys\": [\"k1\", \"k2\"]}");
  server_answer (server, 200, "{\"Keys\": []}");
  pages = boto_paginator_paginate (paginator, NULL, NULL);
  printed = all_pages (pages);
  g_assert_cmpuint (printed->len, ==, 2);
  r1 = server_request (server, 1);
  g_assert_cmpstr (r1, ==, "{\"Marker\":\"k2\"}");
}

static void
test_paginator_page_size (void)
{
  g_autoptr(Server) server = server_start ();
  g_autoptr(BotoClient) client = make_client (server);
  g_autoptr(BotoPaginator) things = get_paginator (client, "ListThings");
  g_autoptr(BotoPaginator) keys = get_paginator (client, "ListKeys");
  g_autoptr(BotoPaginator) no_limit = get_paginator (client, "ListNoLimit");
  g_autoptr(BotoPageIterator) pages = NULL;
  g_autoptr(GPtrArray) printed = NULL;
  g_autoptr(GVariant) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *r0 = NULL;
  g_autofree char *r1 = NULL;

  server_answer (server, 200, "{\"Things\": [], \"HasMore\": false}");
  server_answer (server, 200, "{\"Keys\": []}");

  /* PageSize becomes the limit key, typed as its shape: integer… */
  pages = boto_paginator_paginate (things, NULL, g_variant_new_parsed ("{'PageSize': <int64 25>}"));
  printed = all_pages (pages);
  r0 = server_request (server, 0);
  g_assert_cmpstr (r0, ==, "{\"PageSize\":25}");
  g_clear_object (&pages);
  g_clear_pointer (&printed, g_ptr_array_unref);

  /* … or string; PaginationConfig may also come inside the parameters. */
  pages = boto_paginator_paginate (keys, g_variant_new_parsed ("{'PaginationConfig': <{'PageSize': <7>}>}"), NULL);
  printed = all_pages (pages);
  g_assert_cmpuint (printed->len, ==, 1);
  r1 = server_request (server, 1);
  g_assert_cmpstr (r1, ==, "{\"MaxKeys\":\"7\"}");
  g_clear_object (&pages);

  /* No limit key: an error before anything is sent. */
  pages = boto_paginator_paginate (no_limit, NULL, g_variant_new_parsed ("{'PageSize': <7>}"));
  page = boto_page_iterator_next (pages, NULL, &error);
  g_assert_null (page);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "PageSize parameter is not supported"));
  g_assert_cmpuint (server_n_requests (server), ==, 2);
  g_clear_error (&error);
  g_assert_null (boto_page_iterator_next (pages, NULL, &error));
  g_assert_no_error (error);
}

/* Tokens from botocore's TokenEncoder for the same dictionaries. */
#define TOKEN_K3_1   "eyJNYXJrZXIiOiAiazMiLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ=="
#define TOKEN_K3     "eyJNYXJrZXIiOiAiazMifQ=="
#define TOKEN_K3_2   "eyJNYXJrZXIiOiAiazMiLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAyfQ=="

static void
test_paginator_max_items (void)
{
  g_autoptr(Server) server = server_start ();
  g_autoptr(BotoClient) client = make_client (server);
  g_autoptr(BotoPaginator) paginator = get_paginator (client, "ListKeys");
  g_autoptr(BotoPageIterator) pages = NULL;
  g_autoptr(GPtrArray) printed = NULL;
  g_autofree char *r = NULL;

  /* MaxItems 4 over pages of 3: the second page is cut to one key, and the
   * resume token says where the service's page was left. */
  server_answer (server, 200, "{\"Keys\": [\"k1\", \"k2\", \"k3\"]}");
  server_answer (server, 200, "{\"Keys\": [\"k4\", \"k5\", \"k6\"]}");
  pages = boto_paginator_paginate (paginator, NULL, g_variant_new_parsed ("{'MaxItems': <4>}"));
  printed = all_pages (pages);
  g_assert_cmpuint (printed->len, ==, 2);
  g_assert_true (g_str_has_prefix (printed->pdata[1], "{'Keys': <['k4']>, 'ResponseMetadata': <{"));
  g_assert_cmpstr (boto_page_iterator_get_resume_token (pages), ==, TOKEN_K3_1);
  g_clear_object (&pages);
  g_clear_pointer (&printed, g_ptr_array_unref);

  /* Resuming: the same request again, its first key skipped. */
  server_answer (server, 200, "{\"Keys\": [\"k4\", \"k5\", \"k6\"]}");
  server_answer (server, 200, "{\"Keys\": [\"k7\"], \"NextMarker\": \"\"}");
  server_answer (server, 200, "{\"Keys\": []}");
  pages = boto_paginator_paginate (paginator, NULL,
                                   g_variant_new_parsed ("{'StartingToken': <%s>}", TOKEN_K3_1));
  printed = all_pages (pages);
  r = server_request (server, 2);
  g_assert_cmpstr (r, ==, "{\"Marker\":\"k3\"}");
  g_assert_cmpuint (printed->len, ==, 3);
  g_assert_nonnull (strstr (printed->pdata[0], "'Keys': <['k5', 'k6']>"));
  g_assert_null (boto_page_iterator_get_resume_token (pages));
  g_clear_object (&pages);
  g_clear_pointer (&printed, g_ptr_array_unref);

  /* Resuming and cutting again: the truncation adds up. */
  server_answer (server, 200, "{\"Keys\": [\"k4\", \"k5\", \"k6\"]}");
  pages = boto_paginator_paginate (paginator, NULL,
                                   g_variant_new_parsed ("{'StartingToken': <%s>, 'MaxItems': <1>}", TOKEN_K3_1));
  printed = all_pages (pages);
  g_assert_cmpuint (printed->len, ==, 1);
  g_assert_nonnull (strstr (printed->pdata[0], "'Keys': <['k5']>"));
  g_assert_cmpstr (boto_page_iterator_get_resume_token (pages), ==, TOKEN_K3_2);
  g_clear_object (&pages);
  g_clear_pointer (&printed, g_ptr_array_unref);

  /* MaxItems on a page boundary: the next service token is the resume
   * token, and no request is made for the next page. */
  server_answer (server, 200, "{\"Keys\": [\"k1\", \"k2\", \"k3\"]}");
  pages = boto_paginator_paginate (paginator, NULL, g_variant_new_parsed ("{'MaxItems': <'3'>}"));
  printed = all_pages (pages);
  g_assert_cmpuint (printed->len, ==, 1);
  g_assert_cmpstr (boto_page_iterator_get_resume_token (pages), ==, TOKEN_K3);
  g_assert_cmpuint (boto_page_iterator_get_n_pages (pages), ==, 1);
  g_assert_cmpuint (server_n_requests (server), ==, 7);
}

static void
test_paginator_starting_token_forms (void)
{
  g_autoptr(Server) server = server_start ();
  g_autoptr(BotoClient) client = make_client (server);
  g_autoptr(BotoPaginator) things = get_paginator (client, "ListThings");
  g_autoptr(BotoPaginator) keys = get_paginator (client, "ListKeys");
  g_autoptr(BotoPageIterator) pages = NULL;
  g_autoptr(GVariant) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *r0 = NULL;
  g_autofree char *r1 = NULL;
  g_autofree char *printed = NULL;

  /* botocore's old form: tokens and an index joined by `___`. */
  server_answer (server, 200, "{\"Things\": [{\"Name\": \"a\"}, {\"Name\": \"b\"}, {\"Name\": \"c\"}], "
                              "\"Extra\": [\"e\"], \"Count\": 3, \"HasMore\": false}");
  pages = boto_paginator_paginate (things, NULL, g_variant_new_parsed ("{'StartingToken': <'m1___None___2'>}"));
  page = boto_page_iterator_next (pages, NULL, &error);
  g_assert_no_error (error);
  r0 = server_request (server, 0);
  g_assert_cmpstr (r0, ==, "{\"Marker1\":\"m1\"}");
  /* The first result key is sliced; the others emptied, numbers kept. */
  printed = g_variant_print (page, FALSE);
  g_assert_nonnull (strstr (printed, "'Things': <[{'Name': <'c'>}]>"));
  g_assert_nonnull (strstr (printed, "'Extra': <@as []>"));
  g_assert_nonnull (strstr (printed, "'Count': <3>"));
  g_clear_object (&pages);
  g_clear_pointer (&page, g_variant_unref);

  /* A service token passed as is. */
  server_answer (server, 200, "{\"Keys\": [\"x\"], \"NextMarker\": \"\"}");
  pages = boto_paginator_paginate (keys, NULL, g_variant_new_parsed ("{'StartingToken': <'opaque/token+1'>}"));
  page = boto_page_iterator_next (pages, NULL, &error);
  g_assert_no_error (error);
  r1 = server_request (server, 1);
  g_assert_cmpstr (r1, ==, "{\"Marker\":\"opaque/token+1\"}");
  g_clear_object (&pages);
  g_clear_pointer (&page, g_variant_unref);

  /* Too many parts for the input tokens. */
  pages = boto_paginator_paginate (keys, NULL, g_variant_new_parsed ("{'StartingToken': <'a___b___c'>}"));
  page = boto_page_iterator_next (pages, NULL, &error);
  g_assert_null (page);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "Bad starting token"));
  g_assert_cmpuint (server_n_requests (server), ==, 2);
}

static void
test_paginator_full_result (void)
{
  g_autoptr(Server) server = server_start ();
  g_autoptr(BotoClient) client = make_client (server);
  g_autoptr(BotoPaginator) paginator = get_paginator (client, "ListThings");
  g_autoptr(BotoPageIterator) pages = NULL;
  g_autoptr(GVariant) full = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *printed = NULL;
  g_autofree char *token = NULL;

  server_answer (server, 200, "{\"Things\": [{\"Name\": \"a\"}, {\"Name\": \"b\"}], \"Extra\": [\"x\"], \"Count\": 2, "
                              "\"Owner\": {\"Id\": \"o1\", \"Name\": \"first\"}, \"Region\": \"r1\", "
                              "\"Next1\": \"n1\", \"HasMore\": true}");
  server_answer (server, 200, "{\"Things\": [{\"Name\": \"c\"}], \"Count\": 1, "
                              "\"Owner\": {\"Id\": \"o2\"}, \"Region\": \"r2\", \"HasMore\": false}");
  pages = boto_paginator_paginate (paginator, NULL, NULL);
  full = boto_page_iterator_build_full_result (pages, NULL, &error);
  g_assert_no_error (error);
  printed = g_variant_print (full, FALSE);
  /* As botocore's build_full_result: lists joined, numbers added, the
   * non-aggregate keys of the first page, no ResponseMetadata. */
  g_assert_cmpstr (printed, ==,
                   "{'Things': <[{'Name': <'a'>}, {'Name': <'b'>}, {'Name': <'c'>}]>, "
                   "'Extra': <['x']>, 'Count': <3>, 'Owner': <{'Id': <'o1'>}>, 'Region': <'r1'>}");
  g_clear_object (&pages);
  g_clear_pointer (&full, g_variant_unref);
  g_clear_pointer (&printed, g_free);

  /* With MaxItems: the resume token as NextToken. */
  server_answer (server, 200, "{\"Things\": [{\"Name\": \"a\"}, {\"Name\": \"b\"}], \"Count\": 2, "
                              "\"Next1\": \"n1\", \"Next2\": \"n2\", \"HasMore\": true}");
  server_answer (server, 200, "{\"Things\": [{\"Name\": \"c\"}, {\"Name\": \"d\"}], \"Count\": 2, "
                              "\"Next1\": \"n3\", \"HasMore\": true}");
  pages = boto_paginator_paginate (paginator, NULL, g_variant_new_parsed ("{'MaxItems': <3>}"));
  full = boto_page_iterator_build_full_result (pages, NULL, &error);
  g_assert_no_error (error);
  printed = g_variant_print (full, FALSE);
  g_assert_cmpuint (boto_page_iterator_get_n_pages (pages), ==, 2);
  /* botocore: {"Marker1": "n1", "Marker2": "n2", "boto_truncate_amount": 1} */
  token = g_strdup_printf ("{'Things': <[{'Name': <'a'>}, {'Name': <'b'>}, {'Name': <'c'>}]>, "
                           "'Count': <4>, 'Owner': <{'Id': <@mv nothing>}>, 'Region': <@mv nothing>, "
                           "'NextToken': <'%s'>}",
                           "eyJNYXJrZXIxIjogIm4xIiwgIk1hcmtlcjIiOiAibjIiLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ==");
  g_assert_cmpstr (printed, ==, token);
}

static void
test_paginator_repeated_token (void)
{
  g_autoptr(Server) server = server_start ();
  g_autoptr(BotoClient) client = make_client (server);
  g_autoptr(BotoPaginator) paginator = get_paginator (client, "ListKeys");
  g_autoptr(BotoPageIterator) pages = NULL;
  g_autoptr(GVariant) page1 = NULL;
  g_autoptr(GVariant) page2 = NULL;
  g_autoptr(GVariant) page3 = NULL;
  g_autoptr(GError) error = NULL;

  server_answer (server, 200, "{\"Keys\": [\"a\"], \"NextMarker\": \"same\"}");
  server_answer (server, 200, "{\"Keys\": [\"b\"], \"NextMarker\": \"same\"}");
  pages = boto_paginator_paginate (paginator, NULL, NULL);
  page1 = boto_page_iterator_next (pages, NULL, &error);
  g_assert_no_error (error);
  /* The page that repeats the token is still returned, as botocore yields
   * it before raising. */
  page2 = boto_page_iterator_next (pages, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (page2);
  page3 = boto_page_iterator_next (pages, NULL, &error);
  g_assert_null (page3);
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "The same next token was received twice"));
  g_clear_error (&error);
  g_assert_null (boto_page_iterator_next (pages, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (server_n_requests (server), ==, 2);
}

static void
test_paginator_search (void)
{
  g_autoptr(Server) server = server_start ();
  g_autoptr(BotoClient) client = make_client (server);
  g_autoptr(BotoPaginator) paginator = get_paginator (client, "ListThings");
  g_autoptr(BotoPageIterator) pages = NULL;
  g_autoptr(GVariant) names = NULL;
  g_autoptr(GVariant) regions = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *printed = NULL;

  for (guint round = 0; round < 2; round++)
    {
      server_answer (server, 200, "{\"Things\": [{\"Name\": \"a\"}, {\"Name\": \"b\"}], \"Region\": \"r1\", "
                                  "\"Next1\": \"n1\", \"HasMore\": true}");
      server_answer (server, 200, "{\"Things\": [{\"Name\": \"c\"}], \"HasMore\": false}");
    }
  pages = boto_paginator_paginate (paginator, NULL, NULL);
  names = boto_page_iterator_search (pages, "Things[].Name", NULL, &error);
  g_assert_no_error (error);
  printed = g_variant_print (names, FALSE);
  g_assert_cmpstr (printed, ==, "[<'a'>, <'b'>, <'c'>]");
  g_clear_pointer (&printed, g_free);
  g_clear_object (&pages);

  /* Results that are not lists come one per page, null included. */
  pages = boto_paginator_paginate (paginator, NULL, NULL);
  regions = boto_page_iterator_search (pages, "Region", NULL, &error);
  g_assert_no_error (error);
  printed = g_variant_print (regions, FALSE);
  g_assert_cmpstr (printed, ==, "[<'r1'>, <@mv nothing>]");

  g_assert_null (boto_page_iterator_search (pages, "Things[", NULL, &error));
  g_assert_error (error, BOTO_JMESPATH_ERROR, BOTO_JMESPATH_ERROR_SYNTAX);
}

typedef struct
{
  GMainLoop *loop;
  GPtrArray *pages;
  GError    *error;
} AsyncPages;

static void
on_next (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  AsyncPages *state = user_data;
  BotoPageIterator *pages = BOTO_PAGE_ITERATOR (source);
  GVariant *page = boto_page_iterator_next_finish (pages, result, &state->error);

  if (page == NULL)
    {
      g_main_loop_quit (state->loop);
      return;
    }
  g_ptr_array_add (state->pages, page);
  boto_page_iterator_next_async (pages, NULL, on_next, state);
}

static void
test_paginator_async (void)
{
  g_autoptr(Server) server = server_start ();
  g_autoptr(BotoClient) client = make_client (server);
  g_autoptr(BotoPaginator) paginator = get_paginator (client, "ListThings");
  g_autoptr(BotoPageIterator) pages = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GPtrArray) got = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  AsyncPages state = { loop, got, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *r1 = NULL;

  server_answer (server, 200, "{\"Things\": [{\"Name\": \"a\"}], \"Next1\": \"n1\", \"Next2\": \"n2\", \"HasMore\": true}");
  server_answer (server, 200, "{\"Things\": [{\"Name\": \"b\"}], \"Next1\": \"n3\", \"HasMore\": true}");
  server_answer (server, 200, "{\"Things\": [{\"Name\": \"c\"}], \"HasMore\": false}");
  pages = boto_paginator_paginate (paginator, NULL, NULL);
  boto_page_iterator_next_async (pages, NULL, on_next, &state);
  g_main_loop_run (loop);

  g_assert_no_error (state.error);
  g_assert_cmpuint (got->len, ==, 3);
  g_assert_cmpuint (boto_page_iterator_get_n_pages (pages), ==, 3);
  r1 = server_request (server, 1);
  g_assert_cmpstr (r1, ==, "{\"Marker1\":\"n1\",\"Marker2\":\"n2\"}");

  /* A service error comes through, and the same request can be retried. */
  server_answer (server, 400, "{\"__type\": \"Boom\", \"message\": \"no\"}");
  g_clear_object (&pages);
  g_ptr_array_set_size (got, 0);
  pages = boto_paginator_paginate (paginator, NULL, NULL);
  boto_page_iterator_next_async (pages, NULL, on_next, &state);
  g_main_loop_run (loop);
  g_assert_error (state.error, BOTO_SERVICE_ERROR, BOTO_SERVICE_ERROR_CLIENT);
  g_clear_error (&state.error);
  server_answer (server, 200, "{\"Things\": [], \"HasMore\": false}");
  boto_page_iterator_next_async (pages, NULL, on_next, &state);
  g_main_loop_run (loop);
  g_assert_no_error (state.error);
  g_assert_cmpuint (got->len, ==, 1);
}

static void
test_paginator_tokens (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) decoded = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *again = NULL;
  g_autofree char *printed = NULL;
  const char *expected =
    "eyJLZXkiOiB7ImIiOiAiQVA5b2FRPT0iLCAibCI6IFsxLCAyLjUsIHRydWUsICJjYWZcdTAwZTkgXHVkODNkXHVkZTAwIFwicVwiIFxc"
    "IFxuXHUwMDdmIl19LCAiYm90b19lbmNvZGVkX2tleXMiOiBbWyJLZXkiLCAiYiJdXX0=";
  GVariant *token;

  /* Byte strings and text that json.dumps escapes, as botocore encodes
   * {'Key': {'b': b'\x00\xffhi', 'l': [1, 2.5, True, 'café 😀 "q" \\ \n\x7f']}} */
  token = g_variant_new_parsed ("{'Key': <{'b': <%@ay>, 'l': <[<int64 1>, <2.5>, <true>, <%s>]>}>}",
                                g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "\x00\xffhi", 4, 1),
                                "caf\xc3\xa9 \xf0\x9f\x98\x80 \"q\" \\ \n\x7f");
  encoded = boto_pagination_token_encode (token);
  g_assert_cmpstr (encoded, ==, expected);

  decoded = boto_pagination_token_decode (expected, &error);
  g_assert_no_error (error);
  printed = g_variant_print (decoded, FALSE);
  g_assert_cmpstr (printed, ==,
                   "{'Key': <{'b': <[byte 0x00, 0xff, 0x68, 0x69]>, 'l': <[<int64 1>, <2.5>, <true>, "
                   "<'caf\xc3\xa9 \xf0\x9f\x98\x80 \"q\" \\\\ \\n\\u007f'>]>}>}");
  again = boto_pagination_token_encode (decoded);
  g_assert_cmpstr (again, ==, expected);

  g_assert_null (boto_pagination_token_decode ("not base64!", &error));
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED);
  g_clear_error (&error);
  /* base64 of `[1]`: JSON, but not an object. */
  g_assert_null (boto_pagination_token_decode ("WzFd", &error));
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED);
}

/* Waiters */

typedef struct
{
  guint  calls;
  gint64 delays[16];
  gint64 actual;     /* what to wait instead, µs */
} Delays;

static gint64
record_delay (guint    attempt,
              gint64   delay_usec,
              gpointer user_data)
{
  Delays *delays = user_data;

  g_assert_cmpuint (attempt, >=, 1);
  if (delays->calls < G_N_ELEMENTS (delays->delays))
    delays->delays[delays->calls] = delay_usec;
  delays->calls++;
  return delays->actual;
}

static BotoWaiter *
get_waiter (BotoClient *client,
            const char *name,
            Delays     *delays)
{
  g_autoptr(GError) error = NULL;
  BotoWaiter *waiter = boto_client_get_waiter (client, name, &error);

  g_assert_no_error (error);
  g_assert_nonnull (waiter);
  boto_waiter_set_delay_func_for_testing (waiter, record_delay, delays);
  return waiter;
}

static void
test_waiter_client (void)
{
  g_autoptr(Server) server = server_start ();
  g_autoptr(BotoClient) client = make_client (server);
  g_auto(GStrv) names = boto_client_dup_waiter_names (client);
  g_autofree char *joined = g_strjoinv (",", names);
  g_autoptr(BotoWaiter) by_snake = NULL;
  g_autoptr(BotoWaiter) by_model = NULL;
  g_autoptr(GError) error = NULL;
  Delays delays = { 0, };

  g_assert_cmpstr (joined, ==, "all_ok,exists,gone,no_errors,status_ready");
  by_snake = get_waiter (client, "status_ready", &delays);
  by_model = get_waiter (client, "StatusReady", &delays);
  g_assert_cmpstr (boto_waiter_get_name (by_snake), ==, "StatusReady");
  g_assert_cmpstr (boto_waiter_get_name (by_model), ==, "StatusReady");
  g_assert_cmpstr (boto_waiter_get_operation_name (by_snake), ==, "GetStatus");
  g_assert_cmpint (boto_waiter_get_delay (by_snake), ==, 5);
  g_assert_cmpint (boto_waiter_get_max_attempts (by_snake), ==, 4);
  g_assert_true (boto_waiter_get_client (by_snake) == client);
  g_assert_nonnull (boto_waiter_get_config (by_snake));

  g_assert_null (boto_client_get_waiter (client, "no_such_waiter", &error));
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "Waiter does not exist: no_such_waiter");
}

static void
test_waiter_path (void)
{
  g_autoptr(Server) server = server_start ();
  g_autoptr(BotoClient) client = make_client (server);
  Delays delays = { 0, };
  g_autoptr(BotoWaiter) waiter = get_waiter (client, "status_ready", &delays);
  g_autoptr(GError) error = NULL;
  g_autofree char *r0 = NULL;

  server_answer (server, 200, "{\"Status\": \"pending\"}");
  server_answer (server, 200, "{\"Status\": \"pending\"}");
  server_answer (server, 200, "{\"Status\": \"ready\"}");
  g_assert_true (boto_waiter_wait (waiter, g_variant_new_parsed ("{'Id': <'i-1'>}"), NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (server_n_requests (server), ==, 3);
  r0 = server_request (server, 0);
  g_assert_cmpstr (r0, ==, "{\"Id\":\"i-1\"}");
  g_assert_cmpstr (server->targets->pdata[2], ==, "PagTest.GetStatus");
  g_assert_cmpuint (delays.calls, ==, 2);
  g_assert_cmpint (delays.delays[0], ==, 5 * G_USEC_PER_SEC);

  /* A boolean expected value. */
  server_answer (server, 200, "{\"Ready\": true}");
  g_assert_true (boto_waiter_wait (waiter, NULL, NULL, &error));
  g_assert_no_error (error);

  /* The failure state. */
  server_answer (server, 200, "{\"Status\": \"pending\"}");
  server_answer (server, 200, "{\"Status\": \"broken\"}");
  g_assert_false (boto_waiter_wait (waiter, NULL, NULL, &error));
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_WAITER);
  g_assert_cmpstr (error->message, ==,
                   "Waiter StatusReady failed: Waiter encountered a terminal failure state: "
                   "For expression \"Status\" we matched expected path: \"broken\"");
  g_assert_cmpuint (server_n_requests (server), ==, 6);
}

static void
test_waiter_path_all_any (void)
{
  g_autoptr(Server) server = server_start ();
  g_autoptr(BotoClient) client = make_client (server);
  Delays delays = { 0, };
  g_autoptr(BotoWaiter) waiter = get_waiter (client, "AllOk", &delays);
  g_autoptr(GError) error = NULL;

  /* An empty list matches neither; then not all are ok; then all are. */
  server_answer (server, 200, "{\"Items\": []}");
  server_answer (server, 200, "{\"Items\": [{\"State\": \"ok\"}, {\"State\": \"pending\"}]}");
  server_answer (server, 200, "{\"Items\": [{\"State\": \"ok\"}, {\"State\": \"ok\"}]}");
  g_assert_true (boto_waiter_wait (waiter, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (server_n_requests (server), ==, 3);

  /* One dead item is a failure. */
  server_answer (server, 200, "{\"Items\": [{\"State\": \"ok\"}, {\"State\": \"dead\"}]}");
  g_assert_false (boto_waiter_wait (waiter, NULL, NULL, &error));
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_WAITER);
  g_assert_cmpstr (error->message, ==,
                   "Waiter AllOk failed: Waiter encountered a terminal failure state: "
                   "For expression \"Items[].State\" we matched expected path: \"dead\" at least once");
}

static void
test_waiter_max_attempts (void)
{
  g_autoptr(Server) server = server_start ();
  g_autoptr(BotoClient) client = make_client (server);
  Delays delays = { 0, };
  g_autoptr(BotoWaiter) waiter = get_waiter (client, "AllOk", &delays);
  g_autoptr(BotoWaiter) exists = get_waiter (client, "exists", &delays);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 3; i++)
    server_answer (server, 200, "{\"Items\": [{\"State\": \"pending\"}]}");
  g_assert_false (boto_waiter_wait (waiter, NULL, NULL, &error));
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_WAITER);
  g_assert_cmpstr (error->message, ==, "Waiter AllOk failed: Max attempts exceeded");
  g_assert_cmpuint (server_n_requests (server), ==, 3);
  g_assert_cmpuint (delays.calls, ==, 2);
  g_assert_cmpint (delays.delays[1], ==, 2 * G_USEC_PER_SEC);
  g_clear_error (&error);

  /* WaiterConfig overrides both, and is not sent. */
  delays.calls = 0;
  for (guint i = 0; i < 2; i++)
    server_answer (server, 200, "{\"Items\": [{\"State\": \"pending\"}]}");
  g_assert_false (boto_waiter_wait (waiter,
                                    g_variant_new_parsed ("{'Id': <'x'>, 'WaiterConfig': <{'Delay': <0.5>, "
                                                          "'MaxAttempts': <2>}>}"),
                                    NULL, &error));
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_WAITER);
  g_assert_cmpuint (server_n_requests (server), ==, 5);
  g_assert_cmpuint (delays.calls, ==, 1);
  g_assert_cmpint (delays.delays[0], ==, G_USEC_PER_SEC / 2);
  {
    g_autofree char *r = server_request (server, 4);

    g_assert_cmpstr (r, ==, "{\"Id\":\"x\"}");
  }
  g_clear_error (&error);

  /* A retry acceptor matched: botocore says which. */
  for (guint i = 0; i < 2; i++)
    server_answer (server, 404, "{\"__type\": \"NotFound\", \"message\": \"nope\"}");
  g_assert_false (boto_waiter_wait (exists, g_variant_new_parsed ("{'WaiterConfig': <{'MaxAttempts': <2>}>}"),
                                    NULL, &error));
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_WAITER);
  g_assert_cmpstr (error->message, ==,
                   "Waiter Exists failed: Max attempts exceeded. Previously accepted state: "
                   "Matched expected service error code: NotFound");
  g_clear_error (&error);

  g_assert_false (boto_waiter_wait (exists, g_variant_new_parsed ("{'WaiterConfig': <{'Delay': <'soon'>}>}"),
                                    NULL, &error));
  g_assert_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION);
  g_assert_cmpuint (server_n_requests (server), ==, 7);
}

static void
test_waiter_status_and_errors (void)
{
  g_autoptr(Server) server = server_start ();
  g_autoptr(BotoClient) client = make_client (server);
  Delays delays = { 0, };
  g_autoptr(BotoWaiter) exists = get_waiter (client, "exists", &delays);
  g_autoptr(BotoWaiter) gone = get_waiter (client, "gone", &delays);
  g_autoptr(BotoWaiter) no_errors = get_waiter (client, "no_errors", &delays);
  g_autoptr(GError) error = NULL;

  /* error "NotFound" → retry, then status 200 → success. */
  server_answer (server, 404, "{\"__type\": \"NotFound\", \"message\": \"nope\"}");
  server_answer (server, 200, "{}");
  g_assert_true (boto_waiter_wait (exists, NULL, NULL, &error));
  g_assert_no_error (error);

  /* An error no acceptor expects ends the wait with that error. */
  server_answer (server, 400, "{\"__type\": \"AccessDenied\", \"message\": \"not yours\"}");
  g_assert_false (boto_waiter_wait (exists, NULL, NULL, &error));
  g_assert_error (error, BOTO_SERVICE_ERROR, BOTO_SERVICE_ERROR_CLIENT);
  g_assert_cmpstr (boto_service_error_get_code (error), ==, "AccessDenied");
  g_assert_true (g_str_has_prefix (error->message, "Waiter Exists failed: "));
  g_assert_nonnull (strstr (error->message, "AccessDenied"));
  g_clear_error (&error);

  /* error true: any error is success. */
  server_answer (server, 200, "{}");
  server_answer (server, 404, "{\"__type\": \"NotFound\", \"message\": \"nope\"}");
  g_assert_true (boto_waiter_wait (gone, NULL, NULL, &error));
  g_assert_no_error (error);

  /* error false: no error is success; an error matches nothing. */
  server_answer (server, 200, "{}");
  g_assert_true (boto_waiter_wait (no_errors, NULL, NULL, &error));
  g_assert_no_error (error);
  server_answer (server, 404, "{\"__type\": \"NotFound\", \"message\": \"nope\"}");
  g_assert_false (boto_waiter_wait (no_errors, NULL, NULL, &error));
  g_assert_error (error, BOTO_SERVICE_ERROR, BOTO_SERVICE_ERROR_CLIENT);
  g_assert_cmpuint (server_n_requests (server), ==, 7);
}

typedef struct
{
  GMainLoop *loop;
  gboolean   done;
  gboolean   ok;
  GError    *error;
  guint      ticks;
} AsyncWait;

static void
on_waited (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  AsyncWait *state = user_data;

  state->ok = boto_waiter_wait_finish (BOTO_WAITER (source), result, &state->error);
  state->done = TRUE;
  g_main_loop_quit (state->loop);
}

static gboolean
tick (gpointer user_data)
{
  AsyncWait *state = user_data;

  state->ticks++;
  return G_SOURCE_CONTINUE;
}

static void
test_waiter_async (void)
{
  g_autoptr(Server) server = server_start ();
  g_autoptr(BotoClient) client = make_client (server);
  Delays delays = { 0, };
  g_autoptr(BotoWaiter) waiter = get_waiter (client, "status_ready", &delays);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  AsyncWait state = { loop, };
  guint ticker;

  delays.actual = 300 * 1000;
  server_answer (server, 200, "{\"Status\": \"pending\"}");
  server_answer (server, 200, "{\"Status\": \"pending\"}");
  server_answer (server, 200, "{\"Status\": \"ready\"}");
  ticker = g_timeout_add (10, tick, &state);
  boto_waiter_wait_async (waiter, NULL, NULL, on_waited, &state);
  g_main_loop_run (loop);
  g_source_remove (ticker);

  g_assert_true (state.done);
  g_assert_no_error (state.error);
  g_assert_true (state.ok);
  g_assert_cmpuint (server_n_requests (server), ==, 3);
  g_assert_cmpuint (delays.calls, ==, 2);
  /* Two delays of 300 ms: the main loop kept running all along. */
  g_assert_cmpuint (state.ticks, >=, 20);
}

static gboolean
cancel_soon (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static gpointer
iterate_once (gpointer user_data)
{
  g_main_context_iteration (user_data, TRUE);
  return NULL;
}

static void
test_waiter_async_cancel (void)
{
  g_autoptr(Server) server = server_start ();
  g_autoptr(BotoClient) client = make_client (server);
  Delays delays = { 0, };
  g_autoptr(BotoWaiter) waiter = get_waiter (client, "status_ready", &delays);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AsyncWait state = { loop, };
  gint64 start;

  /* A delay of a minute, cancelled after 200 ms. */
  delays.actual = 60 * G_USEC_PER_SEC;
  server_answer (server, 200, "{\"Status\": \"pending\"}");
  start = g_get_monotonic_time ();
  boto_waiter_wait_async (waiter, NULL, cancellable, on_waited, &state);
  g_timeout_add (200, cancel_soon, cancellable);
  g_main_loop_run (loop);

  g_assert_false (state.ok);
  g_assert_error (state.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&state.error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  g_assert_cmpuint (server_n_requests (server), ==, 1);
  g_assert_cmpuint (delays.calls, ==, 1);

  /* Already cancelled: no request. */
  state.done = FALSE;
  boto_waiter_wait_async (waiter, NULL, cancellable, on_waited, &state);
  g_main_loop_run (loop);
  g_assert_error (state.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&state.error);

  /* The blocking wait, cancelled from another thread during a delay. */
  {
    g_autoptr(GCancellable) other = g_cancellable_new ();
    g_autoptr(GError) error = NULL;
    GSource *source = g_timeout_source_new (200);
    g_autoptr(GMainContext) context = g_main_context_new ();
    GThread *thread;

    g_source_set_callback (source, cancel_soon, other, NULL);
    g_source_attach (source, context);
    g_source_unref (source);
    thread = g_thread_new ("canceller", iterate_once, context);
    server_answer (server, 200, "{\"Status\": \"pending\"}");
    start = g_get_monotonic_time ();
    g_assert_false (boto_waiter_wait (waiter, NULL, other, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
    g_thread_join (thread);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data = NULL;

  g_test_init (&argc, &argv, NULL);

  data = g_test_build_filename (G_TEST_DIST, "data", NULL);
  g_setenv ("AWS_DATA_PATH", data, TRUE);
  g_setenv ("AWS_ACCESS_KEY_ID", "testing", TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", "testing", TRUE);
  g_setenv ("AWS_DEFAULT_REGION", "us-east-1", TRUE);

  g_test_add_func ("/boto/paginator/client", test_paginator_client);
  g_test_add_func ("/boto/paginator/multi-token", test_paginator_multi_token);
  g_test_add_func ("/boto/paginator/output-expression", test_paginator_output_expression);
  g_test_add_func ("/boto/paginator/page-size", test_paginator_page_size);
  g_test_add_func ("/boto/paginator/max-items", test_paginator_max_items);
  g_test_add_func ("/boto/paginator/starting-token-forms", test_paginator_starting_token_forms);
  g_test_add_func ("/boto/paginator/full-result", test_paginator_full_result);
  g_test_add_func ("/boto/paginator/repeated-token", test_paginator_repeated_token);
  g_test_add_func ("/boto/paginator/search", test_paginator_search);
  g_test_add_func ("/boto/paginator/async", test_paginator_async);
  g_test_add_func ("/boto/paginator/tokens", test_paginator_tokens);
  g_test_add_func ("/boto/waiter/client", test_waiter_client);
  g_test_add_func ("/boto/waiter/path", test_waiter_path);
  g_test_add_func ("/boto/waiter/path-all-any", test_waiter_path_all_any);
  g_test_add_func ("/boto/waiter/max-attempts", test_waiter_max_attempts);
  g_test_add_func ("/boto/waiter/status-and-errors", test_waiter_status_and_errors);
  g_test_add_func ("/boto/waiter/async", test_waiter_async);
  g_test_add_func ("/boto/waiter/async-cancel", test_waiter_async_cancel);

  return g_test_run ();
}
