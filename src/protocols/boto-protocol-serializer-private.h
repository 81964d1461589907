/* boto-protocol-serializer-private.h: request serializers and parameter validation
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#include <glib.h>

#include "boto-shape.h"
#include "boto-operation-model.h"
#include "boto-service-model.h"
#include "boto-http-request-private.h"

G_BEGIN_DECLS

/*
 * boto_protocol_serialize_request:
 * @service: the service model @op belongs to (its metadata: apiVersion,
 *   targetPrefix, jsonVersion, awsQueryCompatible)
 * @op: the operation
 * @protocol: (nullable): `query`, `ec2`, `json`, `rest-json` or `rest-xml`;
 *   %NULL for boto_service_model_get_protocol (@service)
 * @params: (nullable): the input, `a{sv}` (lenient input, DESIGN.md)
 * @endpoint_url: such as `https://example.com`, may have a path
 *
 * Validates @params against the input shape (botocore's ParamValidator)
 * and serializes them as botocore does. An idempotency-token member that
 * is absent is filled with a random UUID.
 *
 * Returns: (transfer full): the request, or %NULL with
 *   %BOTO_CLIENT_ERROR_PARAM_VALIDATION (every problem listed) or
 *   %BOTO_CLIENT_ERROR_FAILED (unknown protocol, bad endpoint)
 */
BotoHttpRequest *boto_protocol_serialize_request (BotoServiceModel   *service,
                                                  BotoOperationModel *op,
                                                  const char         *protocol,
                                                  GVariant           *params,
                                                  const char         *endpoint_url,
                                                  GError            **error);

/* The same without the validation step (botocore's include_validation=False,
 * which its protocol test runner uses). */
BotoHttpRequest *boto_protocol_serialize_request_unvalidated (BotoServiceModel   *service,
                                                              BotoOperationModel *op,
                                                              const char         *protocol,
                                                              GVariant           *params,
                                                              const char         *endpoint_url,
                                                              GError            **error);

typedef enum {
  BOTO_SERIALIZE_NONE         = 0,
  BOTO_SERIALIZE_VALIDATE     = 1 << 0,
  /* Drop a leading `/{Bucket}` from the request URI: the resolved endpoint
   * already names the bucket (botocore's remove_bucket_from_url_paths_from_model
   * for S3). */
  BOTO_SERIALIZE_STRIP_BUCKET = 1 << 1,
} BotoSerializeFlags;

/* The same with flags (the client's path). */
BotoHttpRequest *boto_protocol_serialize_request_full (BotoServiceModel    *service,
                                                       BotoOperationModel  *op,
                                                       const char          *protocol,
                                                       GVariant            *params,
                                                       const char          *endpoint_url,
                                                       BotoSerializeFlags   flags,
                                                       GError             **error);

/*
 * boto_protocol_validate_params:
 * @input: (nullable): the input shape; %NULL accepts only empty params
 * @params: (nullable): the input, `a{sv}`
 *
 * Returns: %TRUE if valid; else %FALSE with one
 *   %BOTO_CLIENT_ERROR_PARAM_VALIDATION error whose message is
 *   "Parameter validation failed:\n" followed by one line per problem.
 */
gboolean         boto_protocol_validate_params   (BotoShape          *input,
                                                  GVariant           *params,
                                                  GError            **error);

/* Tests only: the idempotency-token generator (NULL restores the random
 * UUID). The function returns a newly allocated string. */
typedef char *(*BotoProtocolUuidFunc) (gpointer user_data);
void             boto_protocol_set_uuid_func_for_testing (BotoProtocolUuidFunc func,
                                                          gpointer             user_data);

G_END_DECLS
