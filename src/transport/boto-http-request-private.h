/* boto-http-request-private.h: a transport-neutral HTTP request
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * BotoHttpRequest:
 *
 * What a protocol serializer produces, the SigV4 signer signs and the
 * transport sends (botocore's AWSRequest, without Python's duck typing).
 *
 * - The method, the endpoint (scheme, host, optional port).
 * - The path, kept in its encoded (wire) form. boto_http_request_set_path()
 *   takes a raw path and percent-encodes everything but the RFC 3986
 *   unreserved characters and `/`; boto_http_request_set_encoded_path()
 *   stores a path that is already encoded (a label with an encoded `/`) as it
 *   is. The signer URI-encodes the wire path once more for non-S3 services
 *   (SigV4 "double encoding") and uses it as it is for S3.
 * - The query: an ordered list of raw (unencoded) name/value pairs. A NULL
 *   value is a bare name (`?uploads`), "" an empty value (`?a=`). Repeated
 *   names are allowed.
 * - The headers: an ordered list of name/value pairs, names looked up without
 *   regard to case; a name may appear more than once.
 * - The body: a #GBytes or NULL. For a streaming body the payload hash can be
 *   given instead (`UNSIGNED-PAYLOAD` or a hex SHA-256), which the signer then
 *   uses without reading the body.
 *
 * A request is reference counted and not thread-safe: one thread builds,
 * signs and sends it.
 */
typedef struct _BotoHttpRequest BotoHttpRequest;

BotoHttpRequest *boto_http_request_new             (const char       *method,
                                                    const char       *scheme,
                                                    const char       *host,
                                                    int               port,
                                                    const char       *path) G_GNUC_WARN_UNUSED_RESULT;
BotoHttpRequest *boto_http_request_new_from_url    (const char       *method,
                                                    const char       *url,
                                                    GError          **error) G_GNUC_WARN_UNUSED_RESULT;
BotoHttpRequest *boto_http_request_copy            (BotoHttpRequest  *self) G_GNUC_WARN_UNUSED_RESULT;
BotoHttpRequest *boto_http_request_ref             (BotoHttpRequest  *self);
void             boto_http_request_unref           (BotoHttpRequest  *self);

const char      *boto_http_request_get_method      (BotoHttpRequest  *self);
void             boto_http_request_set_method      (BotoHttpRequest  *self,
                                                    const char       *method);
const char      *boto_http_request_get_scheme      (BotoHttpRequest  *self);
const char      *boto_http_request_get_host        (BotoHttpRequest  *self);
int              boto_http_request_get_port        (BotoHttpRequest  *self);
void             boto_http_request_set_endpoint    (BotoHttpRequest  *self,
                                                    const char       *scheme,
                                                    const char       *host,
                                                    int               port);
char            *boto_http_request_dup_host_header (BotoHttpRequest  *self);

void             boto_http_request_set_path        (BotoHttpRequest  *self,
                                                    const char       *path);
void             boto_http_request_set_encoded_path (BotoHttpRequest *self,
                                                    const char       *encoded_path);
const char      *boto_http_request_get_encoded_path (BotoHttpRequest *self);
char            *boto_http_request_dup_path        (BotoHttpRequest  *self);

guint            boto_http_request_get_n_query     (BotoHttpRequest  *self);
const char      *boto_http_request_get_query_name  (BotoHttpRequest  *self,
                                                    guint             index);
const char      *boto_http_request_get_query_value (BotoHttpRequest  *self,
                                                    guint             index);
void             boto_http_request_add_query       (BotoHttpRequest  *self,
                                                    const char       *name,
                                                    const char       *value);
const char      *boto_http_request_lookup_query    (BotoHttpRequest  *self,
                                                    const char       *name,
                                                    gboolean         *found);
guint            boto_http_request_remove_query    (BotoHttpRequest  *self,
                                                    const char       *name);
void             boto_http_request_clear_query     (BotoHttpRequest  *self);
char            *boto_http_request_dup_query_string (BotoHttpRequest *self);

guint            boto_http_request_get_n_headers   (BotoHttpRequest  *self);
const char      *boto_http_request_get_header_name (BotoHttpRequest  *self,
                                                    guint             index);
const char      *boto_http_request_get_header_value (BotoHttpRequest *self,
                                                    guint             index);
void             boto_http_request_add_header      (BotoHttpRequest  *self,
                                                    const char       *name,
                                                    const char       *value);
void             boto_http_request_set_header      (BotoHttpRequest  *self,
                                                    const char       *name,
                                                    const char       *value);
const char      *boto_http_request_get_header      (BotoHttpRequest  *self,
                                                    const char       *name);
guint            boto_http_request_remove_header   (BotoHttpRequest  *self,
                                                    const char       *name);

GBytes          *boto_http_request_get_body        (BotoHttpRequest  *self);
void             boto_http_request_set_body        (BotoHttpRequest  *self,
                                                    GBytes           *body);
const char      *boto_http_request_get_payload_hash (BotoHttpRequest *self);
void             boto_http_request_set_payload_hash (BotoHttpRequest *self,
                                                    const char       *payload_hash);

char            *boto_http_request_dup_url         (BotoHttpRequest  *self);

/* RFC 3986 percent-encoding: unreserved characters (ALPHA DIGIT - . _ ~)
 * are kept, every other byte becomes %XX (upper-case hex); `/` is kept when
 * @keep_slash. Appends to @out. */
void             boto_percent_encode_append        (GString          *out,
                                                    const char       *str,
                                                    gssize            len,
                                                    gboolean          keep_slash);
char            *boto_percent_encode               (const char       *str,
                                                    gboolean          keep_slash);
/* The same into @out, which has room for 3 * @len bytes; returns the
 * number of bytes written (no NUL is added). */
gsize            boto_percent_encode_to            (char             *out,
                                                    const char       *str,
                                                    gsize             len,
                                                    gboolean          keep_slash);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BotoHttpRequest, boto_http_request_unref)

G_END_DECLS
