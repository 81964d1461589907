/* boto-paginator-private.h: building paginators and page iterators
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#include "boto-paginator.h"
#include "boto-page-iterator.h"
#include "boto-jmespath.h"

G_BEGIN_DECLS

/* A paginator for @operation_name (a model name) of @client with its
 * paginators-1 entry @config (a{sv}); fails if the entry is malformed. */
BotoPaginator    *boto_paginator_new          (BotoClient    *client,
                                               const char    *operation_name,
                                               GVariant      *config,
                                               GError       **error);

/* The parsed paginators-1 entry, shared with the page iterators. */
typedef struct
{
  GStrv                   input_tokens;
  GPtrArray              *output_tokens;       /* of BotoJmespathExpression */
  BotoJmespathExpression *more_results;        /* nullable */
  char                   *limit_key;           /* nullable */
  const char             *limit_key_type;      /* its shape's type name (`integer`, `string` …), nullable */
  GPtrArray              *result_keys;         /* of BotoJmespathExpression; empty when the entry has none */
  GPtrArray              *non_aggregate_keys;  /* of BotoJmespathExpression */
} BotoPaginatorSpec;

const BotoPaginatorSpec *boto_paginator_get_spec (BotoPaginator *self);

BotoPageIterator *boto_page_iterator_new      (BotoPaginator *paginator,
                                               GVariant      *params,
                                               GVariant      *pagination_config);

/* botocore's TokenEncoder/TokenDecoder: @token is a{sv} whose values may be
 * `mv` nothing for None and `ay` for bytes (boto_encoded_keys). */
char             *boto_pagination_token_encode (GVariant    *token);
GVariant         *boto_pagination_token_decode (const char  *token,
                                                GError     **error);

G_END_DECLS
