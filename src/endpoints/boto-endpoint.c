/* boto-endpoint.c: a resolved service endpoint
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include "boto-error.h"
#include "boto-endpoint.h"
#include "boto-endpoint-resolver-private.h"

/**
 * BotoEndpoint:
 *
 * An endpoint resolved by a service's endpoint rule set
 * (`endpoint-rule-set-1.json`), as botocore's `EndpointProvider` returns
 * it: the URL, the properties (such as `authSchemes` with `signingName`,
 * `signingRegion` …) and the extra headers to send.
 *
 * A `BotoEndpoint` is immutable and may be shared between threads.
 *
 * Since: 1.0
 */
struct _BotoEndpoint
{
  gatomicrefcount ref_count;
  char           *url;
  GVariant       *properties;
  GVariant       *headers;
};

G_DEFINE_BOXED_TYPE (BotoEndpoint, boto_endpoint, boto_endpoint_ref, boto_endpoint_unref)

/* Private: properties `a{sv}` and headers `a{sas}` (floating references are
 * sunk). */
BotoEndpoint *
boto_endpoint_new (const char *url,
                   GVariant   *properties,
                   GVariant   *headers)
{
  BotoEndpoint *self;

  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (properties == NULL || g_variant_is_of_type (properties, G_VARIANT_TYPE_VARDICT), NULL);
  g_return_val_if_fail (headers == NULL || g_variant_is_of_type (headers, G_VARIANT_TYPE ("a{sas}")), NULL);

  self = g_new0 (BotoEndpoint, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->url = g_strdup (url);
  if (properties != NULL)
    self->properties = g_variant_ref_sink (properties);
  else
    self->properties = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
  if (headers != NULL)
    self->headers = g_variant_ref_sink (headers);
  else
    self->headers = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sas}"), NULL, 0));
  return self;
}

/**
 * boto_endpoint_ref:
 * @self: an endpoint
 *
 * Increases the reference count of @self.
 *
 * Returns: (transfer full): @self
 *
 * Since: 1.0
 */
BotoEndpoint *
boto_endpoint_ref (BotoEndpoint *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * boto_endpoint_unref:
 * @self: (transfer full): an endpoint
 *
 * Drops a reference; the endpoint is freed with the last one.
 *
 * Since: 1.0
 */
void
boto_endpoint_unref (BotoEndpoint *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->url);
  g_variant_unref (self->properties);
  g_variant_unref (self->headers);
  g_free (self);
}

/**
 * boto_endpoint_get_url:
 * @self: an endpoint
 *
 * Gets the URL of the endpoint.
 *
 * Returns: the endpoint URL, such as `https://s3.us-east-1.amazonaws.com`
 *
 * Since: 1.0
 */
const char *
boto_endpoint_get_url (BotoEndpoint *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->url;
}

/**
 * boto_endpoint_get_properties:
 * @self: an endpoint
 *
 * The endpoint's properties as `a{sv}`, JSON-shaped: lists are `av`,
 * objects `a{sv}`.  The usual key is `authSchemes`, a list of objects
 * with `name` (`sigv4`, `sigv4a`, `sigv4-s3express` …), `signingName`,
 * `signingRegion` or `signingRegionSet`, and `disableDoubleEncoding`.
 *
 * Returns: (transfer none): the properties, empty when there are none
 *
 * Since: 1.0
 */
GVariant *
boto_endpoint_get_properties (BotoEndpoint *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->properties;
}

/**
 * boto_endpoint_get_headers:
 * @self: an endpoint
 *
 * The headers the endpoint asks for, as `a{sas}` (name → values).
 *
 * Returns: (transfer none): the headers, empty when there are none
 *
 * Since: 1.0
 */
GVariant *
boto_endpoint_get_headers (BotoEndpoint *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->headers;
}

/**
 * boto_endpoint_resolve:
 * @service_name: a service name, such as `s3`
 * @params: (nullable): the rule-set parameters as `a{sv}`, such as
 *   `{'Region': <'us-east-1'>, 'UseFIPS': <false>, 'Bucket': <'b'>}`;
 *   a floating reference is consumed
 *
 * Resolves an endpoint with the service's endpoint rule set and the
 * partitions, as botocore's `EndpointProvider.resolve_endpoint` does.
 * Parameters are the rule set's own names (`Region`, `UseFIPS`,
 * `UseDualStack`, `Endpoint`, `ForcePathStyle` …), not builtIn names.
 * The rule set is loaded and compiled once per service and process.
 *
 * This function is thread-safe.
 *
 * Returns: (transfer full): the endpoint, or %NULL with @error set
 *   (%BOTO_CLIENT_ERROR_ENDPOINT_RESOLUTION with the rule set's message,
 *   or the loader's error for an unknown service)
 *
 * Since: 1.0
 */
BotoEndpoint *
boto_endpoint_resolve (const char *service_name,
                       GVariant   *params,
                       GError    **error)
{
  g_autoptr(BotoEndpointRuleSet) rs = NULL;
  g_autoptr(GVariant) owned = NULL;

  g_return_val_if_fail (service_name != NULL, NULL);
  g_return_val_if_fail (params == NULL || g_variant_is_of_type (params, G_VARIANT_TYPE_VARDICT), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (params != NULL)
    owned = g_variant_ref_sink (params);
  rs = boto_endpoint_rule_set_get_for_service (service_name, error);
  if (rs == NULL)
    return NULL;
  return boto_endpoint_rule_set_resolve (rs, owned, error);
}
