/* boto-credential-providers.c: credentials from processes, the container
 * credentials endpoint and the EC2 instance metadata service
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "boto-error.h"
#include "boto-config-file-private.h"
#include "boto-credential-providers-private.h"

#define IMDS_TOKEN_TTL "21600"
#define CONTAINER_TIMEOUT_SECONDS 2
#define CONTAINER_ATTEMPTS 3

static const char *
json_string (JsonObject *object,
             const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* Credentials from a JSON document with the given key names; the source is
 * named in errors, never the values. */
static BotoCredentials *
credentials_from_json (const char  *text,
                       gsize        length,
                       const char  *token_key,
                       const char  *method,
                       const char  *source,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GDateTime) expiry = NULL;
  JsonObject *object;
  const char *access_key;
  const char *secret_key;
  const char *expiration;

  if (!json_parser_load_from_data (parser, text, length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                   "Invalid JSON returned by %s", source);
      return NULL;
    }
  object = json_node_get_object (json_parser_get_root (parser));

  access_key = json_string (object, "AccessKeyId");
  secret_key = json_string (object, "SecretAccessKey");
  if (access_key == NULL || secret_key == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                   "Invalid credentials returned by %s: missing %s", source,
                   access_key == NULL ? "AccessKeyId" : "SecretAccessKey");
      return NULL;
    }

  expiration = json_string (object, "Expiration");
  if (expiration != NULL)
    {
      expiry = g_date_time_new_from_iso8601 (expiration, NULL);
      if (expiry == NULL)
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                       "Invalid Expiration “%s” returned by %s", expiration, source);
          return NULL;
        }
    }

  return boto_credentials_new_full (access_key, secret_key, json_string (object, token_key),
                                    method, expiry);
}

/**
 * boto_credentials_from_process:
 * @command: the profile's `credential_process` value
 *
 * Runs the command (split as a POSIX shell would, without a shell) and reads
 * credentials from its output: `{"Version": 1, "AccessKeyId": …,
 * "SecretAccessKey": …, "SessionToken": …, "Expiration": …}`.
 */
BotoCredentials *
boto_credentials_from_process (const char  *command,
                               GError     **error)
{
  g_auto(GStrv) argv = boto_shell_split (command);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  JsonNode *version;
  const char *text;
  gsize length;

  if (argv == NULL || argv[0] == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG,
                   "Invalid credential_process command “%s”", command);
      return NULL;
    }

  process = g_subprocess_newv ((const char * const *) argv,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE |
                               G_SUBPROCESS_FLAGS_STDIN_INHERIT,
                               &local_error);
  if (process == NULL ||
      !g_subprocess_communicate (process, NULL, NULL, &out, &err, &local_error))
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                   "Error when retrieving credentials from custom-process: %s",
                   local_error->message);
      return NULL;
    }

  if (!g_subprocess_get_successful (process))
    {
      g_autofree char *stderr_text = g_strndup (g_bytes_get_data (err, NULL), g_bytes_get_size (err));

      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                   "Error when retrieving credentials from custom-process: %s",
                   g_strstrip (stderr_text));
      return NULL;
    }

  text = g_bytes_get_data (out, &length);
  if (!json_parser_load_from_data (parser, text != NULL ? text : "", length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                   "Invalid JSON returned by the credential process “%s”", argv[0]);
      return NULL;
    }

  object = json_node_get_object (json_parser_get_root (parser));
  version = json_object_get_member (object, "Version");
  if (version == NULL || !JSON_NODE_HOLDS_VALUE (version) ||
      json_node_get_value_type (version) != G_TYPE_INT64 || json_node_get_int (version) != 1)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                   "Unsupported Version returned by the credential process “%s”: "
                   "supported versions: 1", argv[0]);
      return NULL;
    }

  return credentials_from_json (text, length, "SessionToken", "custom-process",
                                "the credential process", error);
}

/* GET or PUT with a timeout, retried; the body of a 200 answer. */
static GBytes *
http_fetch (SoupSession  *session,
            const char   *method,
            const char   *url,
            const char  **header_pairs,
            guint         attempts,
            guint        *out_status,
            GError      **error)
{
  g_autoptr(GError) last_error = NULL;

  *out_status = 0;
  for (guint attempt = 0; attempt < MAX (attempts, 1); attempt++)
    {
      g_autoptr(SoupMessage) message = soup_message_new (method, url);
      g_autoptr(GBytes) body = NULL;

      g_clear_error (&last_error);
      if (message == NULL)
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG,
                       "Invalid credentials URL “%s”", url);
          return NULL;
        }
      for (guint i = 0; header_pairs != NULL && header_pairs[i] != NULL; i += 2)
        soup_message_headers_replace (soup_message_get_request_headers (message),
                                      header_pairs[i], header_pairs[i + 1]);

      body = soup_session_send_and_read (session, message, NULL, &last_error);
      if (body == NULL)
        continue;

      *out_status = soup_message_get_status (message);
      if (*out_status == SOUP_STATUS_OK)
        return g_steal_pointer (&body);
      /* Client errors are answers, not failures to retry. */
      if (*out_status >= 400 && *out_status < 500)
        break;
    }

  if (last_error != NULL)
    g_propagate_error (error, g_steal_pointer (&last_error));
  else
    g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                 "%s %s answered HTTP %u", method, url, *out_status);
  return NULL;
}

static gboolean
container_host_allowed (GUri *uri)
{
  const char *host = g_uri_get_host (uri);
  g_autoptr(GInetAddress) address = NULL;

  if (g_strcmp0 (g_uri_get_scheme (uri), "https") == 0)
    return TRUE;
  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  if (address == NULL)
    return FALSE;
  if (g_inet_address_get_is_loopback (address))
    return TRUE;

  {
    g_autofree char *text = g_inet_address_to_string (address);

    return strcmp (text, "169.254.170.2") == 0 || strcmp (text, "169.254.170.23") == 0 ||
           strcmp (text, "fd00:ec2::23") == 0;
  }
}

/**
 * boto_credentials_from_container:
 *
 * The container credentials provider (ECS, EKS Pod Identity):
 * `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (on 169.254.170.2) or
 * `AWS_CONTAINER_CREDENTIALS_FULL_URI` (HTTPS, or HTTP to a loopback or
 * the container hosts), with `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` or
 * `AWS_CONTAINER_AUTHORIZATION_TOKEN` as the Authorization header.
 */
BotoCredentials *
boto_credentials_from_container (GError **error)
{
  const char *relative = g_getenv ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  const char *full = g_getenv ("AWS_CONTAINER_CREDENTIALS_FULL_URI");
  const char *token_file = g_getenv ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *headers[5] = { "Accept", "application/json", NULL, NULL, NULL };
  guint status;

  if (relative != NULL && relative[0] != '\0')
    url = g_strconcat ("http://169.254.170.2", relative, NULL);
  else if (full != NULL && full[0] != '\0')
    {
      g_autoptr(GUri) uri = g_uri_parse (full, G_URI_FLAGS_NONE, NULL);

      if (uri == NULL || !container_host_allowed (uri))
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG,
                       "Unsupported host in AWS_CONTAINER_CREDENTIALS_FULL_URI “%s”: "
                       "use HTTPS, a loopback address or the container credentials host", full);
          return NULL;
        }
      url = g_strdup (full);
    }
  else
    return NULL;

  if (token_file != NULL && token_file[0] != '\0')
    {
      if (!g_file_get_contents (token_file, &token, NULL, &local_error))
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                       "Cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: %s", local_error->message);
          return NULL;
        }
      g_strstrip (token);
    }
  else
    token = g_strdup (g_getenv ("AWS_CONTAINER_AUTHORIZATION_TOKEN"));

  if (token != NULL && token[0] != '\0')
    {
      if (strpbrk (token, "\r\n") != NULL)
        {
          g_set_error_literal (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG,
                               "The container authorization token contains a line break");
          return NULL;
        }
      headers[2] = "Authorization";
      headers[3] = token;
    }

  session = soup_session_new_with_options ("timeout", CONTAINER_TIMEOUT_SECONDS, NULL);
  body = http_fetch (session, "GET", url, headers, CONTAINER_ATTEMPTS, &status, &local_error);
  if (body == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                   "Error retrieving credentials from the container credentials endpoint: %s",
                   local_error->message);
      return NULL;
    }

  return credentials_from_json (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                "Token", "container-role", "the container credentials endpoint", error);
}

/**
 * boto_credentials_from_sso:
 * @endpoint: the SSO portal, such as `https://portal.sso.eu-west-1.amazonaws.com`
 * @role_name: the profile's `sso_role_name`
 * @account_id: the profile's `sso_account_id`
 * @access_token: the SSO access token from the token cache
 *
 * SSO's `GetRoleCredentials` (`GET /federation/credentials`, unsigned, the
 * token in `x-amz-sso_bearer_token`).
 */
BotoCredentials *
boto_credentials_from_sso (const char  *endpoint,
                           const char  *role_name,
                           const char  *account_id,
                           const char  *access_token,
                           GError     **error)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 60, NULL);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GDateTime) expiry = NULL;
  g_autofree char *role = g_uri_escape_string (role_name, NULL, FALSE);
  g_autofree char *account = g_uri_escape_string (account_id, NULL, FALSE);
  g_autofree char *url = g_strdup_printf ("%s%sfederation/credentials?role_name=%s&account_id=%s",
                                          endpoint, g_str_has_suffix (endpoint, "/") ? "" : "/",
                                          role, account);
  const char *headers[] = { "x-amz-sso_bearer_token", access_token, "Accept", "application/json", NULL };
  JsonObject *root;
  JsonNode *node;
  JsonObject *credentials;
  const char *access_key;
  const char *secret_key;
  guint status;

  if (strpbrk (access_token, "\r\n") != NULL)
    {
      g_set_error_literal (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_CONFIG,
                           "The SSO access token contains a line break");
      return NULL;
    }

  body = http_fetch (session, "GET", url, headers, 3, &status, &local_error);
  if (body == NULL)
    {
      if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
        g_set_error_literal (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                             "The SSO session associated with this profile has expired or is "
                             "otherwise invalid. To refresh this SSO session run aws sso login "
                             "with the corresponding profile.");
      else
        g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                     "Error retrieving credentials from SSO: %s", local_error->message);
      return NULL;
    }

  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) ||
      (root = json_node_get_object (json_parser_get_root (parser))) == NULL ||
      (node = json_object_get_member (root, "roleCredentials")) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                           "Invalid response from SSO GetRoleCredentials");
      return NULL;
    }
  credentials = json_node_get_object (node);
  access_key = json_string (credentials, "accessKeyId");
  secret_key = json_string (credentials, "secretAccessKey");
  if (access_key == NULL || secret_key == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                   "Invalid credentials returned by SSO: missing %s",
                   access_key == NULL ? "accessKeyId" : "secretAccessKey");
      return NULL;
    }
  node = json_object_get_member (credentials, "expiration");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      (json_node_get_value_type (node) == G_TYPE_INT64 || json_node_get_value_type (node) == G_TYPE_DOUBLE))
    /* Milliseconds since the epoch. */
    expiry = g_date_time_new_from_unix_utc ((json_node_get_value_type (node) == G_TYPE_INT64
                                             ? json_node_get_int (node)
                                             : (gint64) json_node_get_double (node)) / 1000);

  return boto_credentials_new_full (access_key, secret_key, json_string (credentials, "sessionToken"),
                                    "sso", expiry);
}

/**
 * boto_credentials_from_imds:
 * @endpoint: the metadata service, such as `http://169.254.169.254/`
 * @timeout_seconds: the timeout of each request
 * @attempts: how many times each request is tried
 * @v1_disabled: whether to refuse the token-less IMDSv1 fallback
 *
 * The instance-metadata provider: an IMDSv2 session token (PUT
 * `latest/api/token`), the instance's role
 * (`latest/meta-data/iam/security-credentials/`), then its credentials. A
 * metadata service that does not answer is not an error: there are simply
 * no credentials from it, as in botocore.
 */
BotoCredentials *
boto_credentials_from_imds (const char  *endpoint,
                            guint        timeout_seconds,
                            guint        attempts,
                            gboolean     v1_disabled,
                            GError     **error)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", MAX (timeout_seconds, 1), NULL);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) token = NULL;
  g_autoptr(GBytes) role_body = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *base = g_str_has_suffix (endpoint, "/") ? g_strdup (endpoint)
                                                          : g_strconcat (endpoint, "/", NULL);
  g_autofree char *token_url = g_strconcat (base, "latest/api/token", NULL);
  g_autofree char *roles_url = g_strconcat (base, "latest/meta-data/iam/security-credentials/", NULL);
  g_autofree char *token_text = NULL;
  g_autofree char *role = NULL;
  g_autofree char *credentials_url = NULL;
  const char *token_headers[] = { "X-aws-ec2-metadata-token-ttl-seconds", IMDS_TOKEN_TTL, NULL };
  const char *headers[] = { "X-aws-ec2-metadata-token", NULL, NULL };
  guint status;

  token = http_fetch (session, "PUT", token_url, token_headers, attempts, &status, &local_error);
  if (token == NULL)
    {
      if (status == SOUP_STATUS_BAD_REQUEST)
        {
          g_set_error_literal (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                               "The instance metadata service refused the token request (HTTP 400)");
          return NULL;
        }
      /* 403, 404, 405 or no answer: IMDSv1, unless that is disabled. */
      if (v1_disabled)
        {
          g_debug ("IMDSv2 token unavailable and IMDSv1 disabled: %s", local_error->message);
          return NULL;
        }
      g_clear_error (&local_error);
    }
  else
    {
      token_text = g_strndup (g_bytes_get_data (token, NULL), g_bytes_get_size (token));
      headers[1] = token_text;
    }

  role_body = http_fetch (session, "GET", roles_url, headers[1] != NULL ? headers : NULL,
                          attempts, &status, &local_error);
  if (role_body == NULL)
    {
      g_debug ("No role from the instance metadata service: %s", local_error->message);
      return NULL;
    }
  role = g_strndup (g_bytes_get_data (role_body, NULL), g_bytes_get_size (role_body));
  role[strcspn (role, "\r\n")] = '\0';
  g_strstrip (role);
  if (role[0] == '\0' || strchr (role, '/') != NULL)
    {
      g_debug ("The instance metadata service gave no usable role name");
      return NULL;
    }

  credentials_url = g_strconcat (roles_url, role, NULL);
  body = http_fetch (session, "GET", credentials_url, headers[1] != NULL ? headers : NULL,
                     attempts, &status, &local_error);
  if (body == NULL)
    {
      g_debug ("No credentials from the instance metadata service: %s", local_error->message);
      return NULL;
    }

  return credentials_from_json (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                "Token", "iam-role", "the instance metadata service", error);
}
