/* boto-sts.c: the STS calls of the assume-role and web identity credential
 * providers, answered by a BotoClient
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include "boto-client.h"
#include "boto-session-private.h"

/*
 * The providers that call STS belong with the other credential providers
 * in the session layer, but a BotoClient (the layer above) makes the call.
 * Rather than have the session include the client (a cycle between the
 * layers), the session declares the one function it needs
 * (BotoSessionStsFunc) and this file, in the client layer, installs it when
 * the library is loaded. Nothing else in the session knows about clients.
 */

static GVariant *
sts_call (BotoSession  *session,
          const char   *operation,
          GVariant     *params,
          GError      **error)
{
  g_autoptr(GVariant) owned = g_variant_ref_sink (params);
  g_autoptr(BotoClient) client = boto_session_create_client (session, "sts", NULL, NULL, error);

  if (client == NULL)
    return NULL;
  return boto_client_call (client, operation, owned, NULL, error);
}

__attribute__ ((constructor)) static void
boto_sts_install (void)
{
  boto_session_set_sts_func (sts_call);
}
