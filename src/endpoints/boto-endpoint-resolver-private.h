/* boto-endpoint-resolver-private.h: the endpoint rule-set engine
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#include <glib.h>

#include "boto-endpoint.h"

G_BEGIN_DECLS

/*
 * A BotoEndpointRuleSet is an `endpoint-rule-set-1.json` document compiled
 * once, together with `partitions.json`, into a tree of rules, conditions
 * and expressions whose variable references are resolved to slots.  It is
 * immutable and may be shared between threads; every resolution works on
 * its own scope.
 *
 * Behaviour follows botocore's EndpointProvider (endpoint_provider.py):
 * parameters are checked and defaulted, the rules are tried in order, a
 * tree rule that matches but whose sub-rules all fail falls through to its
 * next sibling, and errors carry the message of the error rule exactly.
 * Every error is BOTO_CLIENT_ERROR / BOTO_CLIENT_ERROR_ENDPOINT_RESOLUTION
 * (BOTO_CLIENT_ERROR_INVALID_MODEL for a rule set that cannot be compiled).
 */

typedef struct _BotoEndpointRuleSet BotoEndpointRuleSet;

typedef enum {
  BOTO_ENDPOINT_PARAM_STRING,
  BOTO_ENDPOINT_PARAM_BOOLEAN,
  BOTO_ENDPOINT_PARAM_STRING_ARRAY,
} BotoEndpointParamType;

BotoEndpointRuleSet *boto_endpoint_rule_set_new          (GVariant             *rule_set,
                                                          GVariant             *partitions,
                                                          GError              **error);
BotoEndpointRuleSet *boto_endpoint_rule_set_ref          (BotoEndpointRuleSet  *self);
void                 boto_endpoint_rule_set_unref        (BotoEndpointRuleSet  *self);

/* The declared parameters, in the rule set's order (sorted by name). */
guint                boto_endpoint_rule_set_get_n_parameters (BotoEndpointRuleSet *self);
const char          *boto_endpoint_rule_set_get_parameter    (BotoEndpointRuleSet  *self,
                                                              guint                 index,
                                                              BotoEndpointParamType *out_type,
                                                              const char          **out_builtin);

/* The name of the partition @region belongs to (`aws`, `aws-cn` …), as
 * the rule set's aws.partition function finds it. */
char                *boto_endpoint_rule_set_dup_partition_name (BotoEndpointRuleSet *self,
                                                                const char          *region);

/* @params: a{sv} of parameter name → value (`s`, `b`, `as` or `av` of `s`;
 * a maybe with no value counts as unset).  Names the rule set does not
 * declare are kept in scope, as botocore does. */
BotoEndpoint        *boto_endpoint_rule_set_resolve      (BotoEndpointRuleSet  *self,
                                                          GVariant             *params,
                                                          GError              **error);

/* Builds the parameters for resolve() the way botocore's
 * EndpointRulesetResolver does: for every declared parameter, the value in
 * @context (a{sv}, parameter name → value: static context params, context
 * params from the operation input, client context params — already merged
 * by the caller in that precedence) if present, else the value of its
 * builtIn in @builtins (a{sv}, e.g. "AWS::Region" → "us-east-1").
 * Returns a new floating-free a{sv}. */
int                  boto_endpoint_rule_set_get_parameter_index (BotoEndpointRuleSet *self,
                                                                 const char          *name);
BotoEndpoint        *boto_endpoint_rule_set_resolve_values (BotoEndpointRuleSet  *self,
                                                            GVariant *const      *values,
                                                            GError              **error);

GVariant            *boto_endpoint_rule_set_build_params (BotoEndpointRuleSet  *self,
                                                          GVariant             *builtins,
                                                          GVariant             *context);

/* Rule set of a service (loaded from the models, compiled once per
 * process and cached; thread-safe). */
BotoEndpointRuleSet *boto_endpoint_rule_set_get_for_service (const char        *service_name,
                                                             GError           **error);

BotoEndpoint        *boto_endpoint_new                   (const char           *url,
                                                          GVariant             *properties,
                                                          GVariant             *headers);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BotoEndpointRuleSet, boto_endpoint_rule_set_unref)

G_END_DECLS
