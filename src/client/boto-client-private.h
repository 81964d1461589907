/* boto-client-private.h: test hooks of BotoClient
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#include <libsoup/soup.h>

#include "boto-client.h"
#include "boto-http-request-private.h"
#include "boto-sigv4-private.h"

G_BEGIN_DECLS

/* Called before each retry with the 1-based number of the attempt that
 * failed and the backoff botocore's standard mode computed (µs); returns the
 * delay to actually wait (µs). Tests return 0 and record the values. */
typedef gint64 (*BotoClientBackoffFunc) (guint    attempt,
                                         gint64   computed_usec,
                                         gpointer user_data);

void boto_client_set_backoff_func_for_testing (BotoClient            *self,
                                               BotoClientBackoffFunc  func,
                                               gpointer               user_data);

/* The message's URL as debug lines show it: the values of the secret query
 * parameters of presigned URLs (X-Amz-Signature, X-Amz-Security-Token …)
 * and any user information replaced. */
char *boto_client_loggable_url (SoupMessage *message);

/* botocore's CopySource handling (S3 CopyObject, UploadPartCopy): a
 * {Bucket, Key, VersionId} dictionary or a string, percent-encoded. Takes
 * @params, returns the parameters to send or NULL with @error set. */
GVariant *boto_client_handle_copy_source (const char  *service,
                                          const char  *operation,
                                          GVariant    *params,
                                          GError     **error);
/* botocore's before-parameter-build changes (CopySource, SSE-C keys,
 * bucket names, UserData, Route 53 ids, Glacier's accountId). Takes
 * @params. */
GVariant *boto_client_handle_params      (const char          *service,
                                          BotoOperationModel  *op,
                                          GVariant            *params,
                                          GError             **error);
/* botocore's before-call additions to a serialized request (recursion
 * detection, Glacier's version, API Gateway's Accept, S3 XML line breaks). */
void      boto_client_handle_request     (const char          *service,
                                          BotoServiceModel    *model,
                                          BotoOperationModel  *op,
                                          BotoHttpRequest     *request);
/* Glacier's payload tree hash, fed in pieces (boto-client-handlers.c). */
typedef struct _BotoTreeHash BotoTreeHash;

BotoTreeHash *boto_tree_hash_new        (void);
void          boto_tree_hash_update     (BotoTreeHash       *self,
                                         const guint8       *data,
                                         gsize               length);
char         *boto_tree_hash_finish_hex (BotoTreeHash       *self);
void          boto_tree_hash_free       (BotoTreeHash       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BotoTreeHash, boto_tree_hash_free)

/* Glacier UploadArchive and UploadMultipartPart, whose payload's SHA-256
 * and tree hash go in headers. */
gboolean  boto_client_is_glacier_upload  (const char          *service,
                                          BotoOperationModel  *op);

/* botocore's cross-region copy URLs (EC2 CopySnapshot, RDS and its
 * relatives), added before signing. */
gboolean  boto_client_inject_presigned_url (const char          *service,
                                            BotoOperationModel  *op,
                                            BotoHttpRequest     *request,
                                            BotoSigV4Signer     *signer,
                                            BotoCredentials     *credentials,
                                            GError             **error);
/* botocore's after-call changes to a successful result (S3
 * GetBucketLocation, IAM policy documents, CloudFormation templates). */
GVariant *boto_client_handle_result      (const char         *service,
                                          BotoOperationModel *op,
                                          GVariant           *result,
                                          GBytes             *body,
                                          SoupMessageHeaders *headers);
/* The response headers the parser reads: S3's Expires left out when it is
 * not a timestamp (botocore's handle_expires_header). */
SoupMessageHeaders *
          boto_client_headers_for_parsing (const char         *service,
                                           BotoOperationModel *op,
                                           SoupMessageHeaders *headers);

G_END_DECLS

G_BEGIN_DECLS

/* The SoupSession the client sends on (shared with the session's other
 * clients of the same transport configuration). */
SoupSession *boto_client_get_soup_session (BotoClient *self);

G_END_DECLS
