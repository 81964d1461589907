/* boto-protocol-rpcv2-cbor-private.h: the smithy-rpc-v2-cbor wire protocol
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#include <libsoup/soup.h>

#include "boto-model-private.h"
#include "boto-cbor-private.h"

G_BEGIN_DECLS

/*
 * smithy-rpc-v2-cbor, as botocore's RpcV2CBORSerializer / RpcV2CBORParser
 * speak it:
 *
 *  - request: `POST /service/{targetPrefix}/operation/{OperationName}`,
 *    headers `smithy-protocol: rpc-v2-cbor`, `Accept: application/cbor`
 *    (`application/vnd.amazon.eventstream` for event-stream output),
 *    `x-amzn-query-mode: true` when the service is awsQueryCompatible, and
 *    `Content-Type: application/cbor` only with a body.  The body is the
 *    input structure as a definite-length CBOR map; an operation without an
 *    input shape has no body at all (one whose input shape is empty, or whose
 *    parameters are empty, still sends the empty map 0xa0, as botocore does).
 *
 *  - response: the body is decoded straight against the output shape into the
 *    data conventions of DESIGN.md (structure `a{sv}` in model order with only
 *    the members present, lists typed arrays, maps `a{sT}`, integer `i`, long
 *    `x`, float/double `d`, boolean `b`, blob `ay`, timestamp `x` µs from tag 1
 *    epoch seconds, string `s`, document `v` in the generic CBOR mirror).
 *    Unknown keys are skipped; null structure members and null map values are
 *    dropped (as botocore drops them); lists keep nulls as botocore does: a
 *    list shape marked `sparse` is always typed `amT`, and a non-sparse list
 *    that nevertheless holds a null comes back as `av` with `mv` nothing in
 *    its place.  Map values of a `sparse` map are `mT`.
 *
 *  - error (status >= 300): `{"Error": {"Code", "Message"[, "QueryErrorCode",
 *    "Type"]}, "ResponseMetadata": {...}}` plus the members of the modeled
 *    error shape, if one matches the code.  Code is `__type` with anything
 *    after `:` and up to the last `#` stripped (or the status code when there
 *    is none); with an `x-amzn-query-error: Code;Type` header the code is
 *    mapped to the query one.
 *
 * Every result carries `ResponseMetadata` with `RequestId` (from
 * `x-amzn-requestid`, when present), `HTTPStatusCode` (`i`) and
 * `HTTPHeaders` (`a{ss}`, lower-case names).
 */

/*
 * BotoRpcv2CborRequest: the parts of a serialized request.  A deliberately
 * small private struct until the transport's general request type exists.
 */
typedef struct
{
  char               *method;   /* "POST" */
  char               *path;     /* "/service/…/operation/…" */
  SoupMessageHeaders *headers;  /* request headers, in insertion order */
  GBytes             *body;     /* never NULL; empty when there is no body */
} BotoRpcv2CborRequest;

void                  boto_rpcv2_cbor_request_free      (BotoRpcv2CborRequest *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BotoRpcv2CborRequest, boto_rpcv2_cbor_request_free)

BotoRpcv2CborRequest *boto_rpcv2_cbor_serialize_request (BotoServiceModel   *service,
                                                         BotoOperationModel *operation,
                                                         GVariant           *params,
                                                         GError            **error);

GBytes               *boto_rpcv2_cbor_encode_shape      (BotoModelData      *data,
                                                         BotoShapeDef       *shape,
                                                         GVariant           *value,
                                                         GError            **error);

GVariant             *boto_rpcv2_cbor_decode_shape      (BotoModelData      *data,
                                                         BotoShapeDef       *shape,
                                                         const guint8       *body,
                                                         gsize               length,
                                                         GError            **error);

GVariantType         *boto_rpcv2_cbor_shape_variant_type (BotoModelData     *data,
                                                         BotoShapeDef       *shape);

GVariant             *boto_rpcv2_cbor_parse_response    (BotoServiceModel   *service,
                                                         BotoOperationModel *operation,
                                                         guint               status,
                                                         SoupMessageHeaders *headers,
                                                         GBytes             *body,
                                                         gboolean           *is_error,
                                                         GError            **error);

G_END_DECLS
