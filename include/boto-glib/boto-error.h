/* boto-error.h: the error domains of boto-glib
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#if !defined(BOTO_INSIDE) && !defined(BOTO_COMPILATION)
#error "Only <boto-glib/boto-glib.h> can be included directly."
#endif

#include <glib.h>

#include "boto-version-macros.h"

G_BEGIN_DECLS

/**
 * BOTO_CLIENT_ERROR:
 *
 * The error domain of problems found on the client side, before or without
 * an answer from AWS: bad parameters, unknown names, missing credentials.
 * Errors in this domain use the codes of [enum@Boto.ClientError].
 *
 * Since: 1.0
 */
#define BOTO_CLIENT_ERROR (boto_client_error_quark ())

/**
 * BotoClientError:
 * @BOTO_CLIENT_ERROR_FAILED: a failure without a more precise code
 * @BOTO_CLIENT_ERROR_UNKNOWN_SERVICE: no model is known for the service name
 * @BOTO_CLIENT_ERROR_UNKNOWN_OPERATION: the service model has no such operation
 * @BOTO_CLIENT_ERROR_UNKNOWN_SHAPE: the service model has no such shape
 * @BOTO_CLIENT_ERROR_INVALID_MODEL: a model file could not be read or is malformed
 * @BOTO_CLIENT_ERROR_PARAM_VALIDATION: operation parameters failed validation
 * @BOTO_CLIENT_ERROR_NO_CREDENTIALS: no credentials could be found
 * @BOTO_CLIENT_ERROR_NO_REGION: an operation needs a region and none is set
 * @BOTO_CLIENT_ERROR_INVALID_CONFIG: a configuration value or file is invalid
 * @BOTO_CLIENT_ERROR_ENDPOINT_RESOLUTION: no endpoint could be resolved
 * @BOTO_CLIENT_ERROR_WAITER: a waiter reached a failure state or gave up
 * @BOTO_CLIENT_ERROR_PROFILE_NOT_FOUND: the named profile is in no config file
 * @BOTO_CLIENT_ERROR_INVALID_RESPONSE: a response from the service could not
 *   be parsed: malformed XML or JSON, a value of the wrong type for its shape,
 *   or a document nested too deeply (botocore's `ResponseParserError`)
 * @BOTO_CLIENT_ERROR_CHECKSUM_MISMATCH: a response body does not match the
 *   `x-amz-checksum-*` checksum the service sent with it (botocore's
 *   `FlexibleChecksumError`), or a checksum algorithm is not supported
 * @BOTO_CLIENT_ERROR_UNKNOWN_RESOURCE: a resource, action, attribute,
 *   collection, reference, sub-resource or waiter name that the resource
 *   model does not have
 * @BOTO_CLIENT_ERROR_INVALID_IDENTIFIERS: a resource was given the wrong
 *   number or type of identifiers, or needs an identifier that is not set
 * @BOTO_CLIENT_ERROR_RESOURCE_LOAD: a resource's attributes were read but it
 *   has no data and no way to load them (boto3's `ResourceLoadException`)
 *
 * The codes of the [error@Boto.ClientError] domain, in the spirit of
 * botocore's client-side exceptions (`UnknownServiceError`,
 * `ParamValidationError`, `NoCredentialsError`, `NoRegionError` …).
 *
 * Since: 1.0
 */
typedef enum {
  BOTO_CLIENT_ERROR_FAILED,
  BOTO_CLIENT_ERROR_UNKNOWN_SERVICE,
  BOTO_CLIENT_ERROR_UNKNOWN_OPERATION,
  BOTO_CLIENT_ERROR_UNKNOWN_SHAPE,
  BOTO_CLIENT_ERROR_INVALID_MODEL,
  BOTO_CLIENT_ERROR_PARAM_VALIDATION,
  BOTO_CLIENT_ERROR_NO_CREDENTIALS,
  BOTO_CLIENT_ERROR_NO_REGION,
  BOTO_CLIENT_ERROR_INVALID_CONFIG,
  BOTO_CLIENT_ERROR_ENDPOINT_RESOLUTION,
  BOTO_CLIENT_ERROR_WAITER,
  BOTO_CLIENT_ERROR_PROFILE_NOT_FOUND,
  BOTO_CLIENT_ERROR_INVALID_RESPONSE,
  BOTO_CLIENT_ERROR_CHECKSUM_MISMATCH,
  BOTO_CLIENT_ERROR_UNKNOWN_RESOURCE,
  BOTO_CLIENT_ERROR_INVALID_IDENTIFIERS,
  BOTO_CLIENT_ERROR_RESOURCE_LOAD,
} BotoClientError;

BOTO_AVAILABLE_IN_1_0
GQuark boto_client_error_quark (void);

/**
 * BOTO_SERVICE_ERROR:
 *
 * The error domain of errors returned by AWS (or an emulator): the service
 * answered, with an error. It is an extended error domain: besides the
 * code of [enum@Boto.ServiceError], each error carries the service's error
 * code string (such as `NoSuchBucket`), its message, the request id, the
 * HTTP status and the whole parsed error dictionary; read them with
 * [func@Boto.ServiceError.get_code] and its siblings.
 *
 * Language bindings cannot read that extra data from a #GError; they use
 * [method@Boto.Client.call_full], which returns the error dictionary, or,
 * where an error comes from a paginator, a waiter or a resource,
 * [func@Boto.ServiceError.dup_recent_response].
 *
 * Since: 1.0
 */
#define BOTO_SERVICE_ERROR (boto_service_error_quark ())

/**
 * BotoServiceError:
 * @BOTO_SERVICE_ERROR_FAILED: the service returned an error with a status
 *   that is neither 4xx nor 5xx
 * @BOTO_SERVICE_ERROR_CLIENT: the service rejected the request (HTTP 4xx)
 * @BOTO_SERVICE_ERROR_SERVER: the service failed (HTTP 5xx)
 *
 * The codes of %BOTO_SERVICE_ERROR errors: the class of the HTTP status.
 * The service's own error code string is [func@Boto.ServiceError.get_code].
 *
 * Since: 1.0
 */
typedef enum {
  BOTO_SERVICE_ERROR_FAILED,
  BOTO_SERVICE_ERROR_CLIENT,
  BOTO_SERVICE_ERROR_SERVER,
} BotoServiceError;

BOTO_AVAILABLE_IN_1_0
GQuark      boto_service_error_quark           (void);
BOTO_AVAILABLE_IN_1_0
const char *boto_service_error_get_code        (const GError *error);
BOTO_AVAILABLE_IN_1_0
const char *boto_service_error_get_message     (const GError *error);
BOTO_AVAILABLE_IN_1_0
const char *boto_service_error_get_request_id  (const GError *error);
BOTO_AVAILABLE_IN_1_0
guint       boto_service_error_get_status      (const GError *error);
BOTO_AVAILABLE_IN_1_0
GVariant   *boto_service_error_get_response    (const GError *error);
BOTO_AVAILABLE_IN_1_0
GVariant   *boto_service_error_dup_recent_response (const char *message);

G_END_DECLS
