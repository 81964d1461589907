/* boto-json-reader-private.h: a shape-directed JSON reader for response bodies
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#include <glib.h>

#include "boto-model-private.h"
#include "boto-variant-writer-private.h"

G_BEGIN_DECLS

/* Deeper JSON documents are refused. */
#define BOTO_JSON_MAX_DEPTH 256

typedef struct _BotoJsonReader BotoJsonReader;
typedef struct _BotoJsonPlans  BotoJsonPlans;

BotoJsonPlans  *boto_json_plans_new                 (BotoModelData   *data);
void            boto_json_plans_free                (BotoJsonPlans   *plans);
BotoJsonPlans  *boto_json_plans_for_operation       (BotoOperationModel *op);

BotoJsonReader *boto_json_reader_new                (const char      *text,
                                                     gsize            length,
                                                     GError         **error);
void            boto_json_reader_free               (BotoJsonReader  *reader);
gboolean        boto_json_reader_root_is_null       (BotoJsonReader  *reader);
gboolean        boto_json_reader_root_is_object     (BotoJsonReader  *reader);
char           *boto_json_reader_dup_root_string    (BotoJsonReader  *reader,
                                                     const char      *key);
gboolean        boto_json_reader_read_members       (BotoJsonReader  *reader,
                                                     BotoJsonPlans   *plans,
                                                     BotoShapeDef    *def,
                                                     gboolean         skip_located,
                                                     GVariantBuilder *builder,
                                                     GError         **error);
GBytes         *boto_json_reader_read_entries       (BotoJsonReader  *reader,
                                                     BotoJsonPlans   *plans,
                                                     BotoShapeDef    *def,
                                                     gboolean         skip_located,
                                                     GArray          *entries,
                                                     GError         **error);
GBytes         *boto_json_read_entries              (const char      *text,
                                                     gsize            length,
                                                     BotoJsonPlans   *plans,
                                                     BotoShapeDef    *def,
                                                     gboolean         skip_located,
                                                     GArray          *entries,
                                                     GError         **error);
GVariant       *boto_json_read_result               (const char              *text,
                                                     gsize                    length,
                                                     BotoJsonPlans           *plans,
                                                     BotoShapeDef            *def,
                                                     const BotoVariantEntry  *extra,
                                                     GError                 **error);
GVariant       *boto_json_reader_read_value         (BotoJsonReader  *reader,
                                                     BotoJsonPlans   *plans,
                                                     BotoShapeDef    *def,
                                                     GError         **error);
GVariant       *boto_json_reader_read_document      (BotoJsonReader  *reader);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BotoJsonReader, boto_json_reader_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BotoJsonPlans, boto_json_plans_free)

G_END_DECLS
