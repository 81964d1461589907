/* boto-page-iterator.h: the pages of one paginated operation, fetched lazily
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#if !defined(BOTO_INSIDE) && !defined(BOTO_COMPILATION)
#error "Only <boto-glib/boto-glib.h> can be included directly."
#endif

#include <gio/gio.h>

#include "boto-version-macros.h"

G_BEGIN_DECLS

#define BOTO_TYPE_PAGE_ITERATOR (boto_page_iterator_get_type ())

BOTO_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (BotoPageIterator, boto_page_iterator, BOTO, PAGE_ITERATOR, GObject)

BOTO_AVAILABLE_IN_1_0
GVariant   *boto_page_iterator_next              (BotoPageIterator     *self,
                                                  GCancellable         *cancellable,
                                                  GError              **error);
BOTO_AVAILABLE_IN_1_0
void        boto_page_iterator_next_async        (BotoPageIterator     *self,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
BOTO_AVAILABLE_IN_1_0
GVariant   *boto_page_iterator_next_finish       (BotoPageIterator     *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
BOTO_AVAILABLE_IN_1_0
GVariant   *boto_page_iterator_build_full_result (BotoPageIterator     *self,
                                                  GCancellable         *cancellable,
                                                  GError              **error);
BOTO_AVAILABLE_IN_1_0
GVariant   *boto_page_iterator_search            (BotoPageIterator     *self,
                                                  const char           *expression,
                                                  GCancellable         *cancellable,
                                                  GError              **error);
BOTO_AVAILABLE_IN_1_0
const char *boto_page_iterator_get_resume_token  (BotoPageIterator     *self);
BOTO_AVAILABLE_IN_1_0
guint       boto_page_iterator_get_n_pages       (BotoPageIterator     *self);

G_END_DECLS
