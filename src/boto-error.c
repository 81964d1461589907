/* boto-error.c: the error domains of boto-glib
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include "boto-error.h"
#include "boto-error-private.h"

/**
 * boto_client_error_quark:
 *
 * The quark of the [error@Boto.ClientError] domain.
 *
 * Returns: the error domain
 *
 * Since: 1.0
 */
G_DEFINE_QUARK (boto-client-error-quark, boto_client_error)

/* GLib's generated wrappers fetch the private data without a NULL check,
 * which -Wnull-dereference flags once the helpers are inlined. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"

typedef struct
{
  char     *code;
  char     *message;
  char     *request_id;
  guint     status;
  GVariant *response;
} BotoServiceErrorPrivate;

static void
boto_service_error_private_init (G_GNUC_UNUSED BotoServiceErrorPrivate *priv)
{
}

static void
boto_service_error_private_copy (const BotoServiceErrorPrivate *src,
                                 BotoServiceErrorPrivate       *dest)
{
  dest->code = g_strdup (src->code);
  dest->message = g_strdup (src->message);
  dest->request_id = g_strdup (src->request_id);
  dest->status = src->status;
  dest->response = src->response != NULL ? g_variant_ref (src->response) : NULL;
}

static void
boto_service_error_private_clear (BotoServiceErrorPrivate *priv)
{
  g_clear_pointer (&priv->code, g_free);
  g_clear_pointer (&priv->message, g_free);
  g_clear_pointer (&priv->request_id, g_free);
  g_clear_pointer (&priv->response, g_variant_unref);
}

/**
 * boto_service_error_quark:
 *
 * Gets the error domain of the errors a service returns.
 *
 * Returns: the quark of %BOTO_SERVICE_ERROR
 *
 * Since: 1.0
 */
G_DEFINE_EXTENDED_ERROR (BotoServiceError, boto_service_error)

static BotoServiceErrorPrivate *
get_private (const GError *error)
{
  if (error == NULL || error->domain != BOTO_SERVICE_ERROR)
    return NULL;
  return boto_service_error_get_private (error);
}

/**
 * boto_service_error_get_code:
 * @error: a %BOTO_SERVICE_ERROR error
 *
 * Gets the error code the service returned with a %BOTO_SERVICE_ERROR error.
 *
 * Returns: (nullable): the service's error code, such as `NoSuchBucket`;
 *   %NULL if @error is not in %BOTO_SERVICE_ERROR
 *
 * Since: 1.0
 */
const char *
boto_service_error_get_code (const GError *error)
{
  BotoServiceErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->code : NULL;
}

/**
 * boto_service_error_get_message:
 * @error: a %BOTO_SERVICE_ERROR error
 *
 * Gets the message the service returned with a %BOTO_SERVICE_ERROR error.
 *
 * Returns: (nullable): the service's error message (not the #GError's
 *   message, which also names the code and the operation)
 *
 * Since: 1.0
 */
const char *
boto_service_error_get_message (const GError *error)
{
  BotoServiceErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->message : NULL;
}

/**
 * boto_service_error_get_request_id:
 * @error: a %BOTO_SERVICE_ERROR error
 *
 * Gets the request id the service returned with a %BOTO_SERVICE_ERROR error.
 *
 * Returns: (nullable): the request id the service gave, if any
 *
 * Since: 1.0
 */
const char *
boto_service_error_get_request_id (const GError *error)
{
  BotoServiceErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->request_id : NULL;
}

/**
 * boto_service_error_get_status:
 * @error: a %BOTO_SERVICE_ERROR error
 *
 * Gets the HTTP status of the response that made a %BOTO_SERVICE_ERROR error.
 *
 * Returns: the HTTP status of the error response; 0 if @error is not in
 *   %BOTO_SERVICE_ERROR
 *
 * Since: 1.0
 */
guint
boto_service_error_get_status (const GError *error)
{
  BotoServiceErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->status : 0;
}

/**
 * boto_service_error_get_response:
 * @error: a %BOTO_SERVICE_ERROR error
 *
 * The parsed error response as boto3's `ClientError.response`: an `a{sv}`
 * with `Error` (`Code`, `Message`, …) and `ResponseMetadata`.
 *
 * Returns: (transfer none) (nullable): the error dictionary
 *
 * Since: 1.0
 */
GVariant *
boto_service_error_get_response (const GError *error)
{
  BotoServiceErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->response : NULL;
}

static const char *
lookup_string (GVariant   *dict,
               const char *key)
{
  const char *value = NULL;

  if (dict != NULL && g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT))
    g_variant_lookup (dict, key, "&s", &value);
  return value;
}

/*
 * Recent service errors, for bindings.  A binding turns a GError into an
 * exception of its own and keeps only the domain, the code and the message,
 * so the response behind an error raised deep inside a paginator, a waiter
 * or a resource would be lost.  The last few errors made in each thread are
 * remembered here (globally, so nothing is left behind when a thread ends),
 * and found again by their message.
 */
#define N_RECENT_ERRORS 16

typedef struct
{
  GThread  *thread;
  char     *message;
  GVariant *response;
} RecentError;

static GMutex recent_lock;
static RecentError recent_errors[N_RECENT_ERRORS];
static guint recent_next;

static void
remember_error (const char *message,
                GVariant   *response)
{
  RecentError *slot;

  g_mutex_lock (&recent_lock);
  slot = &recent_errors[recent_next];
  recent_next = (recent_next + 1) % N_RECENT_ERRORS;
  g_free (slot->message);
  g_clear_pointer (&slot->response, g_variant_unref);
  slot->thread = g_thread_self ();
  slot->message = g_strdup (message);
  slot->response = g_variant_ref (response);
  g_mutex_unlock (&recent_lock);
}

/**
 * boto_service_error_dup_recent_response:
 * @message: the message of a %BOTO_SERVICE_ERROR error
 *
 * Finds the response of a service error that was raised in the calling
 * thread, by its message: for language bindings, whose exceptions keep
 * only a #GError's domain, code and message, when the error came from a
 * call that has no `_full` variant returning the response (a page of a
 * [class@Boto.Paginator], a [class@Boto.Waiter], a resource's load,
 * action or collection).  In Python the override does this for you:
 * `ClientError.response` is complete.
 *
 * @message may carry a prefix added on the way up (a waiter's
 * `Waiter … failed: `).  The last 16 service errors are remembered.
 *
 * Returns: (transfer full) (nullable): the `a{sv}` that
 *   [func@Boto.ServiceError.get_response] returns for that error, or %NULL
 *   if no recent error of this thread has that message
 *
 * Since: 1.0
 */
GVariant *
boto_service_error_dup_recent_response (const char *message)
{
  GThread *self = g_thread_self ();
  GVariant *response = NULL;
  gsize length;

  g_return_val_if_fail (message != NULL, NULL);

  length = strlen (message);
  g_mutex_lock (&recent_lock);
  /* Newest first. */
  for (guint i = 1; i <= N_RECENT_ERRORS && response == NULL; i++)
    {
      RecentError *slot = &recent_errors[(recent_next + N_RECENT_ERRORS - i) % N_RECENT_ERRORS];
      gsize slot_length;

      if (slot->message == NULL || slot->thread != self)
        continue;
      slot_length = strlen (slot->message);
      if (slot_length <= length && strcmp (message + length - slot_length, slot->message) == 0)
        response = g_variant_ref (slot->response);
    }
  g_mutex_unlock (&recent_lock);
  return response;
}

#define MAX_MESSAGE_TEXT 1024

GError *
boto_service_error_new_from_response (const char *operation_name,
                                      GVariant   *response)
{
  g_autoptr(GVariant) error_dict = NULL;
  g_autoptr(GVariant) metadata = NULL;
  const char *code = NULL;
  const char *message = NULL;
  g_autofree char *shown = NULL;
  gint32 status = 0;
  BotoServiceErrorPrivate *priv;
  GError *error;
  int error_code;

  g_return_val_if_fail (response != NULL, NULL);

  error_dict = g_variant_lookup_value (response, "Error", G_VARIANT_TYPE_VARDICT);
  metadata = g_variant_lookup_value (response, "ResponseMetadata", G_VARIANT_TYPE_VARDICT);
  code = lookup_string (error_dict, "Code");
  message = lookup_string (error_dict, "Message");
  if (metadata != NULL)
    g_variant_lookup (metadata, "HTTPStatusCode", "i", &status);

  if (status >= 400 && status < 500)
    error_code = BOTO_SERVICE_ERROR_CLIENT;
  else if (status >= 500 && status < 600)
    error_code = BOTO_SERVICE_ERROR_SERVER;
  else
    error_code = BOTO_SERVICE_ERROR_FAILED;

  /* botocore's ClientError wording. An unreadable body becomes the
   * message whole (as in botocore); the text of the GError shows at most
   * MAX_MESSAGE_TEXT bytes of it, the accessor and the dict keep all. */
  if (message != NULL && strlen (message) > MAX_MESSAGE_TEXT)
    {
      const char *end = g_utf8_find_prev_char (message, message + MAX_MESSAGE_TEXT + 1);

      shown = g_strdup_printf ("%.*s… (%" G_GSIZE_FORMAT " bytes)", (int) (end - message), message,
                               strlen (message));
    }
  error = g_error_new (BOTO_SERVICE_ERROR, error_code,
                       "An error occurred (%s) when calling the %s operation: %s",
                       code != NULL ? code : "Unknown",
                       operation_name != NULL ? operation_name : "(unknown)",
                       shown != NULL ? shown : message != NULL ? message : "Unknown");
  priv = boto_service_error_get_private (error);
  priv->code = g_strdup (code);
  priv->message = g_strdup (message);
  priv->request_id = g_strdup (lookup_string (metadata, "RequestId"));
  priv->status = status > 0 ? (guint) status : 0;
  priv->response = g_variant_ref_sink (response);
  remember_error (error->message, priv->response);
  return error;
}

#pragma GCC diagnostic pop
