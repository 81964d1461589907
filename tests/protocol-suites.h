/* protocol-suites.h: the botocore protocol suites, run by one program
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * test-conformance-protocol-input.c, -protocol-output.c and -rpcv2-cbor.c
 * each run their part of ../shared/conformance/protocols/ (every case, or
 * a committed skip with its reason) and add to the counts;
 * test-conformance-protocols.c links all three and prints the one
 * `protocols: N passed, M failed, K skipped` line. Built alone, each file
 * is also a runner of its own.
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <boto-glib/boto-glib.h>

typedef struct
{
  guint passed, failed, skipped;
} ProtocolCounts;

void protocol_input_run      (ProtocolCounts *counts);
void protocol_output_run     (ProtocolCounts *counts);
void protocol_rpcv2_cbor_run (ProtocolCounts *counts);

/* From test-conformance-protocol-output.c, shared with the
 * response-parsing runner. */
JsonNode *protocol_generic_to_json (GVariant *value);
gboolean  protocol_json_equal      (JsonNode *a,
                                    JsonNode *b);
/* The error shape botocore would pick for @code: the shape of that name,
 * or an operation error whose `error.code` is @code. */
BotoShape *protocol_find_error_shape (BotoServiceModel   *model,
                                      BotoOperationModel *op,
                                      const char         *code);
