/* test-utils.h: helpers shared by the tests
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <boto-glib/boto-glib.h>

G_BEGIN_DECLS

BotoServiceModel *test_model_for_operation (JsonObject  *metadata,
                                            JsonObject  *shapes,
                                            JsonObject  *operation,
                                            GError     **error);
/* Whether @op's output has an event-stream member (the suites give such
 * bodies in base64). */
gboolean          test_has_event_stream_output (BotoOperationModel *op);
/* Appends the members of @object (name → string) to @headers. */
void              test_append_json_headers     (SoupMessageHeaders *headers,
                                                JsonObject         *object);

/*
 * TestServer:
 *
 * A SoupServer on 127.0.0.1 (a free port), running in a thread of its own
 * with its own main context, so that blocking client calls in the test's
 * thread can reach it. @handler runs in that thread for every request.
 */
typedef struct _TestServer TestServer;

TestServer   *test_server_start       (SoupServerCallback  handler,
                                       gpointer            user_data);
/* With an early handler too (called when the headers are in). */
TestServer   *test_server_start_full  (SoupServerCallback  handler,
                                       SoupServerCallback  early_handler,
                                       gpointer            user_data);
/* "http://127.0.0.1:PORT/" */
const char   *test_server_get_url     (TestServer         *self);
void          test_server_stop        (TestServer         *self);

G_END_DECLS
