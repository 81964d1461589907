/* boto-client-transfer.h: presigned URLs and streaming payloads of BotoClient
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#if !defined(BOTO_INSIDE) && !defined(BOTO_COMPILATION)
#error "Only <boto-glib/boto-glib.h> can be included directly."
#endif

#include <gio/gio.h>

#include "boto-version-macros.h"
#include "boto-client.h"

G_BEGIN_DECLS

BOTO_AVAILABLE_IN_1_0
char             *boto_client_generate_presigned_url  (BotoClient           *self,
                                                       const char           *operation_name,
                                                       GVariant             *params,
                                                       gint                  expires_in,
                                                       GError              **error);
BOTO_AVAILABLE_IN_1_0
char             *boto_client_generate_presigned_url_full (BotoClient        *self,
                                                          const char        *operation_name,
                                                          GVariant          *params,
                                                          gint               expires_in,
                                                          const char        *http_method,
                                                          GError           **error);
BOTO_AVAILABLE_IN_1_0
void              boto_client_generate_presigned_url_async  (BotoClient           *self,
                                                             const char           *operation_name,
                                                             GVariant             *params,
                                                             gint                  expires_in,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
BOTO_AVAILABLE_IN_1_0
char             *boto_client_generate_presigned_url_finish (BotoClient           *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);

BOTO_AVAILABLE_IN_1_0
GVariant         *boto_client_generate_presigned_post (BotoClient           *self,
                                                       const char           *bucket,
                                                       const char           *key,
                                                       GVariant             *fields,
                                                       GVariant             *conditions,
                                                       gint                  expires_in,
                                                       GError              **error);
BOTO_AVAILABLE_IN_1_0
char             *boto_client_generate_db_auth_token  (BotoClient           *self,
                                                       const char           *hostname,
                                                       guint                 port,
                                                       const char           *username,
                                                       const char           *region,
                                                       GError              **error);
BOTO_AVAILABLE_IN_1_0
char             *boto_client_generate_db_connect_auth_token (BotoClient    *self,
                                                              const char    *hostname,
                                                              const char    *region,
                                                              gint           expires_in,
                                                              GError       **error);
BOTO_AVAILABLE_IN_1_0
char             *boto_client_generate_db_connect_admin_auth_token (BotoClient    *self,
                                                                    const char    *hostname,
                                                                    const char    *region,
                                                                    gint           expires_in,
                                                                    GError       **error);

BOTO_AVAILABLE_IN_1_0
gboolean          boto_client_upload_file             (BotoClient           *self,
                                                       const char           *filename,
                                                       const char           *bucket,
                                                       const char           *key,
                                                       GVariant             *extra_args,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
BOTO_AVAILABLE_IN_1_0
gboolean          boto_client_download_file           (BotoClient           *self,
                                                       const char           *bucket,
                                                       const char           *key,
                                                       const char           *filename,
                                                       GVariant             *extra_args,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

BOTO_AVAILABLE_IN_1_0
void              boto_client_upload_file_async       (BotoClient           *self,
                                                       const char           *filename,
                                                       const char           *bucket,
                                                       const char           *key,
                                                       GVariant             *extra_args,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
BOTO_AVAILABLE_IN_1_0
gboolean          boto_client_upload_file_finish      (BotoClient           *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
BOTO_AVAILABLE_IN_1_0
void              boto_client_download_file_async     (BotoClient           *self,
                                                       const char           *bucket,
                                                       const char           *key,
                                                       const char           *filename,
                                                       GVariant             *extra_args,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
BOTO_AVAILABLE_IN_1_0
gboolean          boto_client_download_file_finish    (BotoClient           *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

BOTO_AVAILABLE_IN_1_0
GVariant         *boto_client_call_streaming          (BotoClient           *self,
                                                       const char           *operation_name,
                                                       GVariant             *params,
                                                       GInputStream        **out_body,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
BOTO_AVAILABLE_IN_1_0
void              boto_client_call_streaming_async    (BotoClient           *self,
                                                       const char           *operation_name,
                                                       GVariant             *params,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
BOTO_AVAILABLE_IN_1_0
GVariant         *boto_client_call_streaming_finish   (BotoClient           *self,
                                                       GAsyncResult         *result,
                                                       GInputStream        **out_body,
                                                       GError              **error);

BOTO_AVAILABLE_IN_1_0
GVariant         *boto_client_call_with_body          (BotoClient           *self,
                                                       const char           *operation_name,
                                                       GVariant             *params,
                                                       GInputStream         *body,
                                                       gint64                length,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
BOTO_AVAILABLE_IN_1_0
void              boto_client_call_with_body_async    (BotoClient           *self,
                                                       const char           *operation_name,
                                                       GVariant             *params,
                                                       GInputStream         *body,
                                                       gint64                length,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
BOTO_AVAILABLE_IN_1_0
GVariant         *boto_client_call_with_body_finish   (BotoClient           *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
BOTO_AVAILABLE_IN_1_0
GVariant         *boto_client_call_with_file          (BotoClient           *self,
                                                       const char           *operation_name,
                                                       GVariant             *params,
                                                       GFile                *file,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

G_END_DECLS
