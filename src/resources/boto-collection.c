/* boto-collection.c: lazy, paginated collections of resources (boto3's
 * resources/collection.py) and their GListModel adapter
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include "boto-error.h"
#include "boto-jmespath.h"
#include "boto-paginator.h"
#include "boto-page-iterator.h"
#include "boto-model-private.h"
#include "boto-resource-private.h"

/**
 * BotoCollection:
 *
 * A collection of resources, as boto3's `bucket.objects` or `s3.buckets`:
 * lazy (nothing is sent until iteration begins) and paginated (one page is
 * fetched when the previous one is used up).
 *
 * [method@Boto.Collection.all], [method@Boto.Collection.filter],
 * [method@Boto.Collection.limit] and [method@Boto.Collection.page_size]
 * return new collections, as in boto3; a collection iterates once, with
 * [method@Boto.Collection.next] (one resource at a time) or
 * [method@Boto.Collection.next_page] (a page at a time), sync or async.
 * With a limit, no page is fetched that would not be used.
 *
 * Batch actions (`objects.delete()`) send one request per page
 * ([method@Boto.Collection.call_batch_action]).
 * [method@Boto.Collection.to_list_model] gives a #GListModel filled page by
 * page in the background, for list views.
 *
 * A collection is not safe to iterate from several threads at once.
 *
 * Since: 1.0
 */

struct _BotoCollection
{
  GObject                  parent_instance;
  BotoResource            *parent;
  const BotoResourceEntry *entry;
  GVariant                *params;     /* nullable a{sv}: filter parameters */
  gint64                   limit;      /* -1: none */
  gint64                   page_size;  /* -1: none */

  /* Iteration */
  gboolean                 started;
  gboolean                 done;
  gboolean                 busy;
  BotoPageIterator        *pages;      /* nullable: when the operation paginates */
  GVariant                *base_params;
  GPtrArray               *page;
  guint                    page_index;
  gint64                   count;
};

G_DEFINE_FINAL_TYPE (BotoCollection, boto_collection, G_TYPE_OBJECT)

static void
boto_collection_finalize (GObject *object)
{
  BotoCollection *self = BOTO_COLLECTION (object);

  g_clear_object (&self->parent);
  g_clear_pointer (&self->params, g_variant_unref);
  g_clear_object (&self->pages);
  g_clear_pointer (&self->base_params, g_variant_unref);
  g_clear_pointer (&self->page, g_ptr_array_unref);

  G_OBJECT_CLASS (boto_collection_parent_class)->finalize (object);
}

static void
boto_collection_class_init (BotoCollectionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = boto_collection_finalize;
}

static void
boto_collection_init (BotoCollection *self)
{
  self->limit = -1;
  self->page_size = -1;
}

BotoCollection *
boto_collection_new_internal (BotoResource            *parent,
                              const BotoResourceEntry *entry)
{
  BotoCollection *self = g_object_new (BOTO_TYPE_COLLECTION, NULL);

  self->parent = g_object_ref (parent);
  self->entry = entry;
  return self;
}

static BotoCollection *
clone (BotoCollection *self,
       GVariant       *params)
{
  BotoCollection *copy = boto_collection_new_internal (self->parent, self->entry);

  copy->limit = self->limit;
  copy->page_size = self->page_size;
  if (params != NULL)
    {
      g_autoptr(BotoParamNode) merged = boto_param_node_new_dict ();

      boto_param_node_merge_variant (merged, self->params, TRUE);
      boto_param_node_merge_variant (merged, params, TRUE);
      copy->params = g_variant_ref_sink (boto_param_node_to_variant (merged));
    }
  else if (self->params != NULL)
    copy->params = g_variant_ref (self->params);
  return copy;
}

/**
 * boto_collection_get_name:
 * @self: a collection
 *
 * Gets the collection's name in the resource model.
 *
 * Returns: the collection's name, such as `objects`
 *
 * Since: 1.0
 */
const char *
boto_collection_get_name (BotoCollection *self)
{
  g_return_val_if_fail (BOTO_IS_COLLECTION (self), NULL);
  return self->entry->name;
}

/**
 * boto_collection_get_resource_name:
 * @self: a collection
 *
 * Gets the resource type of the collection's items.
 *
 * Returns: (nullable): the type of its resources, such as `ObjectSummary`
 *
 * Since: 1.0
 */
const char *
boto_collection_get_resource_name (BotoCollection *self)
{
  g_autoptr(GVariant) resource = NULL;

  g_return_val_if_fail (BOTO_IS_COLLECTION (self), NULL);
  resource = boto_res_lookup (self->entry->def, "resource");
  /* Borrowed from the model, which lives for the process. */
  return resource != NULL ? boto_res_string (resource, "type") : NULL;
}

/**
 * boto_collection_get_parent:
 * @self: a collection
 *
 * Gets the resource the collection belongs to.
 *
 * Returns: (transfer none): the resource the collection belongs to
 *
 * Since: 1.0
 */
BotoResource *
boto_collection_get_parent (BotoCollection *self)
{
  g_return_val_if_fail (BOTO_IS_COLLECTION (self), NULL);
  return self->parent;
}

/**
 * boto_collection_get_params:
 * @self: a collection
 *
 * Gets the request parameters given with [method@Boto.Collection.filter].
 *
 * Returns: (transfer none) (nullable): the filter parameters, `a{sv}`
 *
 * Since: 1.0
 */
GVariant *
boto_collection_get_params (BotoCollection *self)
{
  g_return_val_if_fail (BOTO_IS_COLLECTION (self), NULL);
  return self->params;
}

/**
 * boto_collection_get_limit:
 * @self: a collection
 *
 * Gets the number of resources after which the collection stops.
 *
 * Returns: the most resources it yields, or -1 for no limit
 *
 * Since: 1.0
 */
gint64
boto_collection_get_limit (BotoCollection *self)
{
  g_return_val_if_fail (BOTO_IS_COLLECTION (self), -1);
  return self->limit;
}

/**
 * boto_collection_get_page_size:
 * @self: a collection
 *
 * Gets the page size the collection asks the service for.
 *
 * Returns: the page size asked of the service, or -1 for its default
 *
 * Since: 1.0
 */
gint64
boto_collection_get_page_size (BotoCollection *self)
{
  g_return_val_if_fail (BOTO_IS_COLLECTION (self), -1);
  return self->page_size;
}

/**
 * boto_collection_all:
 * @self: a collection
 *
 * Makes a copy of @self that iterates every resource of the collection, as
 * boto3's `all()`.
 *
 * Returns: (transfer full): a new collection of every resource, not yet
 *   iterated
 *
 * Since: 1.0
 */
BotoCollection *
boto_collection_all (BotoCollection *self)
{
  g_return_val_if_fail (BOTO_IS_COLLECTION (self), NULL);
  return clone (self, NULL);
}

/**
 * boto_collection_filter:
 * @self: a collection
 * @params: (nullable): request parameters, `a{sv}`, merged into the ones
 *   already given (lists are appended); a floating reference is consumed
 *
 * Makes a copy of @self whose requests carry @params in addition to the ones
 * it already has, as boto3's `filter()`.
 *
 * Returns: (transfer full): a new collection with the parameters
 *
 * Since: 1.0
 */
BotoCollection *
boto_collection_filter (BotoCollection *self,
                        GVariant       *params)
{
  g_autoptr(GVariant) owned = NULL;

  g_return_val_if_fail (BOTO_IS_COLLECTION (self), NULL);

  if (params == NULL)
    return clone (self, NULL);
  owned = g_variant_ref_sink (params);
  g_return_val_if_fail (g_variant_is_of_type (owned, G_VARIANT_TYPE_VARDICT), clone (self, NULL));
  return clone (self, owned);
}

/**
 * boto_collection_limit:
 * @self: a collection
 * @count: the most resources to yield
 *
 * Makes a copy of @self that yields at most @count resources, as boto3's
 * `limit()`.
 *
 * Returns: (transfer full): a new collection that stops after @count
 *   resources, fetching no page it does not use
 *
 * Since: 1.0
 */
BotoCollection *
boto_collection_limit (BotoCollection *self,
                       gint64          count)
{
  BotoCollection *copy;

  g_return_val_if_fail (BOTO_IS_COLLECTION (self), NULL);
  copy = clone (self, NULL);
  copy->limit = count < 0 ? -1 : count;
  return copy;
}

/**
 * boto_collection_page_size:
 * @self: a collection
 * @count: the page size to ask the service for
 *
 * Makes a copy of @self that asks the service for pages of @count resources,
 * as boto3's `page_size()`.
 *
 * Returns: (transfer full): a new collection with that page size
 *
 * Since: 1.0
 */
BotoCollection *
boto_collection_page_size (BotoCollection *self,
                           gint64          count)
{
  BotoCollection *copy;

  g_return_val_if_fail (BOTO_IS_COLLECTION (self), NULL);
  copy = clone (self, NULL);
  copy->page_size = count <= 0 ? -1 : count;
  return copy;
}

/* Paging: the client's paginator when the operation has one (as boto3's
 * collections use client.get_paginator), else one request. */

static GVariant *
request_def (BotoCollection *self)
{
  return boto_res_lookup (self->entry->def, "request");
}

static gboolean
collection_start (BotoCollection  *self,
                  GCancellable    *cancellable,
                  GError         **error)
{
  BotoClient *client = boto_resource_get_client (self->parent);
  g_autoptr(GVariant) request = request_def (self);
  g_autoptr(BotoParamNode) params = boto_param_node_new_dict ();
  const char *operation = boto_res_string (request, "operation");

  if (self->started)
    return TRUE;

  if (operation == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                   "The collection %s has no operation", self->entry->name);
      return FALSE;
    }
  if (!boto_resource_build_request_params (self->parent, request, params, -1, cancellable, error))
    return FALSE;
  boto_param_node_merge_variant (params, self->params, TRUE);
  self->base_params = g_variant_ref_sink (boto_param_node_to_variant (params));

  if (boto_client_can_paginate (client, operation))
    {
      g_autoptr(BotoPaginator) paginator = boto_client_get_paginator (client, operation, error);
      GVariantBuilder config;

      if (paginator == NULL)
        return FALSE;
      g_variant_builder_init (&config, G_VARIANT_TYPE_VARDICT);
      if (self->limit >= 0)
        g_variant_builder_add (&config, "{sv}", "MaxItems", g_variant_new_int64 (self->limit));
      if (self->page_size > 0)
        g_variant_builder_add (&config, "{sv}", "PageSize", g_variant_new_int64 (self->page_size));
      self->pages = boto_paginator_paginate (paginator, self->base_params,
                                             g_variant_builder_end (&config));
    }
  self->started = TRUE;
  return TRUE;
}

/* Turns a response into the page of resources, honouring the limit. */
static gboolean
take_page (BotoCollection  *self,
           GVariant        *response,
           GCancellable    *cancellable,
           GError         **error)
{
  g_autoptr(GVariant) resource = boto_res_lookup (self->entry->def, "resource");
  GPtrArray *resources = NULL;
  gboolean is_list = FALSE;

  if (!boto_resource_handle_response (self->parent, resource, self->base_params, response,
                                      &resources, &is_list, cancellable, error))
    return FALSE;
  if (resources == NULL)
    resources = g_ptr_array_new_with_free_func (g_object_unref);

  if (self->limit >= 0 && self->count + (gint64) resources->len >= self->limit)
    {
      g_ptr_array_set_size (resources, self->limit - self->count);
      self->done = TRUE;
    }
  self->count += resources->len;

  if (self->pages == NULL)
    self->done = TRUE;
  if (self->limit >= 0 && self->count >= self->limit)
    self->done = TRUE;

  g_clear_pointer (&self->page, g_ptr_array_unref);
  self->page = resources;
  self->page_index = 0;
  return TRUE;
}

static GPtrArray *
steal_page (BotoCollection *self)
{
  GPtrArray *page = g_ptr_array_new_with_free_func (g_object_unref);

  if (self->page != NULL)
    for (guint i = self->page_index; i < self->page->len; i++)
      g_ptr_array_add (page, g_object_ref (self->page->pdata[i]));
  g_clear_pointer (&self->page, g_ptr_array_unref);
  self->page_index = 0;
  return page;
}

/* Fetches one page into self->page; FALSE on error. With nothing more to
 * fetch, leaves self->page NULL. */
static gboolean
fetch_page (BotoCollection  *self,
            GCancellable    *cancellable,
            GError         **error)
{
  g_autoptr(GVariant) request = NULL;
  g_autoptr(GVariant) response = NULL;

  if (!collection_start (self, cancellable, error))
    return FALSE;
  if (self->done)
    return TRUE;

  if (self->pages != NULL)
    {
      GError *local_error = NULL;

      response = boto_page_iterator_next (self->pages, cancellable, &local_error);
      if (response == NULL)
        {
          self->done = TRUE;
          g_clear_pointer (&self->page, g_ptr_array_unref);
          if (local_error != NULL)
            {
              g_propagate_error (error, local_error);
              return FALSE;
            }
          return TRUE;
        }
      boto_resource_count_request ();
    }
  else
    {
      request = request_def (self);
      response = boto_resource_client_call (boto_resource_get_client (self->parent),
                                            boto_res_string (request, "operation"),
                                            self->base_params, cancellable, error);
      if (response == NULL)
        return FALSE;
    }
  return take_page (self, response, cancellable, error);
}

/**
 * boto_collection_next_page:
 * @self: a collection
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns the rest of the current page, or fetches the next one: boto3's
 * `pages()`, one step. A page may be empty.
 *
 * The array frees its resources with it (hence `transfer container`: a
 * binding takes its own references).
 *
 * Returns: (transfer container) (element-type BotoResource) (nullable): the
 *   page, or %NULL at the end (then @error is not set) or on error
 *
 * Since: 1.0
 */
GPtrArray *
boto_collection_next_page (BotoCollection  *self,
                           GCancellable    *cancellable,
                           GError         **error)
{
  g_return_val_if_fail (BOTO_IS_COLLECTION (self), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->page != NULL && self->page_index < self->page->len)
    return steal_page (self);
  if (self->started && self->done)
    return NULL;
  if (!fetch_page (self, cancellable, error))
    return NULL;
  if (self->page == NULL)
    return NULL;
  return steal_page (self);
}

/**
 * boto_collection_next:
 * @self: a collection
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns the next resource, fetching the next page when the current one
 * is used up.
 *
 * Returns: (transfer full) (nullable): the next resource, or %NULL at the
 *   end (then @error is not set) or on error
 *
 * Since: 1.0
 */
BotoResource *
boto_collection_next (BotoCollection  *self,
                      GCancellable    *cancellable,
                      GError         **error)
{
  g_return_val_if_fail (BOTO_IS_COLLECTION (self), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  while (self->page == NULL || self->page_index >= self->page->len)
    {
      /* A used-up page goes before the next one is fetched, so that one
       * page at a time is alive, whatever the collection's size. */
      g_clear_pointer (&self->page, g_ptr_array_unref);
      if (self->started && self->done)
        return NULL;
      if (!fetch_page (self, cancellable, error))
        return NULL;
      if (self->page == NULL)
        return NULL;
    }
  return g_object_ref (self->page->pdata[self->page_index++]);
}

/**
 * boto_collection_to_array:
 * @self: a collection
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Iterates the rest of the collection into an array (boto3's
 * `list(collection)`).
 *
 * Returns: (transfer container) (element-type BotoResource): the resources, or
 *   %NULL with @error set
 *
 * Since: 1.0
 */
GPtrArray *
boto_collection_to_array (BotoCollection  *self,
                          GCancellable    *cancellable,
                          GError         **error)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);
  GError *local_error = NULL;
  GPtrArray *page;

  g_return_val_if_fail (BOTO_IS_COLLECTION (self), NULL);

  while ((page = boto_collection_next_page (self, cancellable, &local_error)) != NULL)
    {
      for (guint i = 0; i < page->len; i++)
        g_ptr_array_add (all, g_object_ref (page->pdata[i]));
      g_ptr_array_unref (page);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  return g_steal_pointer (&all);
}

/* Async */

typedef struct
{
  gboolean want_page;
} NextData;

static void next_async_step (GTask *task);

static void
page_fetched (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  BotoCollection *self = g_task_get_source_object (task);
  g_autoptr(GVariant) response = NULL;
  GError *error = NULL;

  self->busy = FALSE;
  if (BOTO_IS_PAGE_ITERATOR (source))
    {
      response = boto_page_iterator_next_finish (BOTO_PAGE_ITERATOR (source), result, &error);
      if (response == NULL && error == NULL)
        {
          /* The end. */
          self->done = TRUE;
          next_async_step (task);
          return;
        }
      if (response != NULL)
        boto_resource_count_request ();
    }
  else
    response = boto_client_call_finish (BOTO_CLIENT (source), result, &error);
  if (response == NULL ||
      !take_page (self, response, g_task_get_cancellable (task), &error))
    {
      self->done = TRUE;
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  next_async_step (task);
}

static void
next_async_step (GTask *task)
{
  BotoCollection *self = g_task_get_source_object (task);
  NextData *data = g_task_get_task_data (task);
  g_autoptr(GVariant) request = NULL;
  GError *error = NULL;

  if (data->want_page && self->page != NULL)
    {
      /* A page just fetched, or the rest of one; it may be empty. */
      g_task_return_pointer (task, steal_page (self), (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }
  if (!data->want_page && self->page != NULL && self->page_index < self->page->len)
    {
      g_task_return_pointer (task, g_object_ref (self->page->pdata[self->page_index++]), g_object_unref);
      g_object_unref (task);
      return;
    }
  if (self->started && self->done)
    {
      g_task_return_pointer (task, NULL, NULL);
      g_object_unref (task);
      return;
    }
  if (!collection_start (self, g_task_get_cancellable (task), &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (self->done)
    {
      g_task_return_pointer (task, NULL, NULL);
      g_object_unref (task);
      return;
    }

  g_clear_pointer (&self->page, g_ptr_array_unref);
  self->busy = TRUE;
  if (self->pages != NULL)
    {
      boto_page_iterator_next_async (self->pages, g_task_get_cancellable (task), page_fetched, task);
      return;
    }
  request = request_def (self);
  boto_resource_client_call_async (boto_resource_get_client (self->parent),
                                   boto_res_string (request, "operation"),
                                   self->base_params, g_task_get_cancellable (task),
                                   page_fetched, task);
}

static void
start_next_async (BotoCollection      *self,
                  gboolean             want_page,
                  gpointer             source_tag,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  NextData *data = g_new0 (NextData, 1);

  g_task_set_source_tag (task, source_tag);
  data->want_page = want_page;
  g_task_set_task_data (task, data, g_free);
  if (self->busy)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "The collection is already fetching a page");
      g_object_unref (task);
      return;
    }
  /* As in boto_collection_next(): a used-up page goes first. */
  if (self->page != NULL && self->page_index >= self->page->len)
    g_clear_pointer (&self->page, g_ptr_array_unref);
  next_async_step (task);
}

/**
 * boto_collection_next_async:
 * @self: a collection
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the next resource
 * @user_data: data for @callback
 *
 * The asynchronous form of [method@Boto.Collection.next]. One call at a
 * time.
 *
 * Since: 1.0
 */
void
boto_collection_next_async (BotoCollection      *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (BOTO_IS_COLLECTION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  start_next_async (self, FALSE, boto_collection_next_async, cancellable, callback, user_data);
}

/**
 * boto_collection_next_finish:
 * @self: a collection
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes a call to [method@Boto.Collection.next_async].
 *
 * Returns: (transfer full) (nullable): the next resource, or %NULL at the
 *   end (then @error is not set) or on error
 *
 * Since: 1.0
 */
BotoResource *
boto_collection_next_finish (BotoCollection  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  g_return_val_if_fail (BOTO_IS_COLLECTION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * boto_collection_next_page_async:
 * @self: a collection
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the next page
 * @user_data: data for @callback
 *
 * The asynchronous form of [method@Boto.Collection.next_page].
 *
 * Since: 1.0
 */
void
boto_collection_next_page_async (BotoCollection      *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (BOTO_IS_COLLECTION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  start_next_async (self, TRUE, boto_collection_next_page_async, cancellable, callback, user_data);
}

/**
 * boto_collection_next_page_finish:
 * @self: a collection
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes a call to [method@Boto.Collection.next_page_async].
 *
 * Returns: (transfer container) (element-type BotoResource) (nullable): the
 *   page, or %NULL at the end (then @error is not set) or on error
 *
 * Since: 1.0
 */
GPtrArray *
boto_collection_next_page_finish (BotoCollection  *self,
                                  GAsyncResult    *result,
                                  GError         **error)
{
  g_return_val_if_fail (BOTO_IS_COLLECTION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Batch actions */

static BotoResourceType *
item_type (BotoCollection  *self,
           GError         **error)
{
  BotoResourceType *parent_type = boto_resource_get_type_info (self->parent);
  const char *name = boto_collection_get_resource_name (self);

  if (name == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                   "The collection %s has no resource type", self->entry->name);
      return NULL;
    }
  return boto_resource_context_lookup_type (parent_type->context, name, error);
}

/**
 * boto_collection_dup_batch_action_names:
 * @self: a collection
 *
 * Lists the batch actions that can be applied to every resource of the
 * collection, as boto3's `delete()` on `bucket.objects`.
 *
 * Returns: (transfer full): the batch actions of the collection's
 *   resources, such as `delete`
 *
 * Since: 1.0
 */
GStrv
boto_collection_dup_batch_action_names (BotoCollection *self)
{
  BotoResourceType *type;
  GStrvBuilder *builder;
  GStrv result;

  g_return_val_if_fail (BOTO_IS_COLLECTION (self), NULL);

  type = item_type (self, NULL);
  builder = g_strv_builder_new ();
  for (guint i = 0; type != NULL && i < type->batch_actions->len; i++)
    g_strv_builder_add (builder, g_array_index (type->batch_actions, BotoResourceEntry, i).name);
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

/**
 * boto_collection_call_batch_action:
 * @self: a collection
 * @action_name: the batch action, such as `delete`
 * @params: (nullable): more request parameters, `a{sv}`; a floating
 *   reference is consumed
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Runs a batch action over the collection: one request per page, with the
 * parameters of every resource on the page (boto3's
 * `bucket.objects.filter(…).delete()`). The collection's filter, limit and
 * page size apply; @self itself is not iterated.
 *
 * Returns: (transfer full): the responses, `aa{sv}` (one per request), or
 *   %NULL with @error set
 *
 * Since: 1.0
 */
GVariant *
boto_collection_call_batch_action (BotoCollection  *self,
                                   const char      *action_name,
                                   GVariant        *params,
                                   GCancellable    *cancellable,
                                   GError         **error)
{
  g_autoptr(GVariant) user_params = params != NULL ? g_variant_ref_sink (params) : NULL;
  g_autoptr(BotoCollection) pages = NULL;
  g_autoptr(GVariant) request = NULL;
  const BotoResourceEntry *entry;
  BotoResourceType *type;
  GVariantBuilder responses;
  GPtrArray *page;
  GError *local_error = NULL;

  g_return_val_if_fail (BOTO_IS_COLLECTION (self), NULL);
  g_return_val_if_fail (action_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  type = item_type (self, error);
  if (type == NULL)
    return NULL;
  entry = boto_resource_type_find_entry (type->batch_actions, action_name);
  if (entry == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_UNKNOWN_RESOURCE,
                   "The %s collection has no batch action “%s”", self->entry->name, action_name);
      return NULL;
    }
  request = boto_res_lookup (entry->def, "request");

  pages = clone (self, NULL);
  g_variant_builder_init (&responses, G_VARIANT_TYPE ("aa{sv}"));
  while ((page = boto_collection_next_page (pages, cancellable, &local_error)) != NULL)
    {
      g_autoptr(GPtrArray) owned = page;
      g_autoptr(BotoParamNode) batch = boto_param_node_new_dict ();
      g_autoptr(GVariant) response = NULL;

      for (guint i = 0; i < page->len; i++)
        if (!boto_resource_build_request_params (page->pdata[i], request, batch, i, cancellable, &local_error))
          break;
      if (local_error != NULL)
        break;
      if (boto_param_node_is_empty (batch))
        break;
      boto_param_node_merge_variant (batch, user_params, FALSE);
      response = boto_resource_client_call (boto_resource_get_client (self->parent),
                                            boto_res_string (request, "operation"),
                                            boto_param_node_to_variant (batch), cancellable, &local_error);
      if (response == NULL)
        break;
      g_variant_builder_add_value (&responses, response);
    }
  if (local_error != NULL)
    {
      g_variant_builder_clear (&responses);
      g_propagate_error (error, local_error);
      return NULL;
    }
  return g_variant_ref_sink (g_variant_builder_end (&responses));
}

/* The GListModel adapter */

/**
 * BotoCollectionListModel:
 *
 * A #GListModel of [class@Boto.Resource] filled from a collection page by
 * page in the background, on the thread-default main context of the
 * thread that made it (see [method@Boto.Collection.to_list_model]).
 * #GListModel::items-changed is emitted once per page;
 * [property@Boto.CollectionListModel:loading] turns %FALSE when the last
 * page has arrived or an error stopped the loading
 * ([property@Boto.CollectionListModel:error]).
 *
 * Since: 1.0
 */

struct _BotoCollectionListModel
{
  GObject         parent_instance;
  BotoCollection *collection;
  GCancellable   *cancellable;
  GPtrArray      *items;
  guint           n_pages;
  gboolean        loading;
  GError         *error;
};

enum {
  MODEL_PROP_0,
  MODEL_PROP_LOADING,
  MODEL_PROP_N_PAGES,
  MODEL_PROP_ERROR,
  MODEL_PROP_ITEM_TYPE,
  MODEL_PROP_N_ITEMS,
  MODEL_N_PROPS
};

static GParamSpec *model_properties[MODEL_N_PROPS];

static GType
list_model_get_item_type (GListModel *model)
{
  return BOTO_TYPE_RESOURCE;
}

static guint
list_model_get_n_items (GListModel *model)
{
  return BOTO_COLLECTION_LIST_MODEL (model)->items->len;
}

static gpointer
list_model_get_item (GListModel *model,
                     guint       position)
{
  BotoCollectionListModel *self = BOTO_COLLECTION_LIST_MODEL (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (self->items->pdata[position]);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_model_get_item_type;
  iface->get_n_items = list_model_get_n_items;
  iface->get_item = list_model_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (BotoCollectionListModel, boto_collection_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
boto_collection_list_model_dispose (GObject *object)
{
  BotoCollectionListModel *self = BOTO_COLLECTION_LIST_MODEL (object);

  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (boto_collection_list_model_parent_class)->dispose (object);
}

static void
boto_collection_list_model_finalize (GObject *object)
{
  BotoCollectionListModel *self = BOTO_COLLECTION_LIST_MODEL (object);

  g_clear_object (&self->collection);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (boto_collection_list_model_parent_class)->finalize (object);
}

static void
boto_collection_list_model_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  BotoCollectionListModel *self = BOTO_COLLECTION_LIST_MODEL (object);

  switch (prop_id)
    {
    case MODEL_PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case MODEL_PROP_N_PAGES:
      g_value_set_uint (value, self->n_pages);
      break;
    case MODEL_PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case MODEL_PROP_ITEM_TYPE:
      g_value_set_gtype (value, BOTO_TYPE_RESOURCE);
      break;
    case MODEL_PROP_N_ITEMS:
      g_value_set_uint (value, self->items->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
boto_collection_list_model_class_init (BotoCollectionListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = boto_collection_list_model_dispose;
  object_class->finalize = boto_collection_list_model_finalize;
  object_class->get_property = boto_collection_list_model_get_property;

  /**
   * BotoCollectionListModel:loading:
   *
   * Whether pages are still being fetched.
   *
   * Since: 1.0
   */
  model_properties[MODEL_PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * BotoCollectionListModel:n-pages:
   *
   * How many pages have arrived.
   *
   * Since: 1.0
   */
  model_properties[MODEL_PROP_N_PAGES] =
    g_param_spec_uint ("n-pages", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * BotoCollectionListModel:error:
   *
   * The error that stopped the loading, or %NULL.
   *
   * Since: 1.0
   */
  model_properties[MODEL_PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * BotoCollectionListModel:item-type:
   *
   * The type of the items: [class@Boto.Resource].
   *
   * Since: 1.0
   */
  model_properties[MODEL_PROP_ITEM_TYPE] =
    g_param_spec_gtype ("item-type", NULL, NULL, G_TYPE_OBJECT,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * BotoCollectionListModel:n-items:
   *
   * The number of items so far.
   *
   * Since: 1.0
   */
  model_properties[MODEL_PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, MODEL_N_PROPS, model_properties);
}

static void
boto_collection_list_model_init (BotoCollectionListModel *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

static void
list_model_page_done (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(BotoCollectionListModel) self = user_data;
  g_autoptr(GPtrArray) page = NULL;
  GError *error = NULL;

  page = boto_collection_next_page_finish (BOTO_COLLECTION (source), result, &error);
  if (page == NULL)
    {
      if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_clear_error (&error);
      if (error != NULL)
        {
          self->error = error;
          g_object_notify_by_pspec (G_OBJECT (self), model_properties[MODEL_PROP_ERROR]);
        }
      self->loading = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), model_properties[MODEL_PROP_LOADING]);
      return;
    }

  if (page->len > 0)
    {
      guint position = self->items->len;

      for (guint i = 0; i < page->len; i++)
        g_ptr_array_add (self->items, g_object_ref (page->pdata[i]));
      g_list_model_items_changed (G_LIST_MODEL (self), position, 0, page->len);
      g_object_notify_by_pspec (G_OBJECT (self), model_properties[MODEL_PROP_N_ITEMS]);
    }
  self->n_pages++;
  g_object_notify_by_pspec (G_OBJECT (self), model_properties[MODEL_PROP_N_PAGES]);

  boto_collection_next_page_async (self->collection, self->cancellable, list_model_page_done,
                                   g_object_ref (self));
}

/**
 * boto_collection_list_model_get_loading:
 * @self: a list model
 *
 * Tells whether the model is still fetching pages.
 *
 * Returns: whether pages are still being fetched
 *
 * Since: 1.0
 */
gboolean
boto_collection_list_model_get_loading (BotoCollectionListModel *self)
{
  g_return_val_if_fail (BOTO_IS_COLLECTION_LIST_MODEL (self), FALSE);
  return self->loading;
}

/**
 * boto_collection_list_model_get_n_pages:
 * @self: a list model
 *
 * Gets the number of pages the model has received so far.
 *
 * Returns: how many pages have arrived
 *
 * Since: 1.0
 */
guint
boto_collection_list_model_get_n_pages (BotoCollectionListModel *self)
{
  g_return_val_if_fail (BOTO_IS_COLLECTION_LIST_MODEL (self), 0);
  return self->n_pages;
}

/**
 * boto_collection_list_model_get_error:
 * @self: a list model
 *
 * Gets the error that stopped fetching pages, if any.
 *
 * Returns: (transfer none) (nullable): the error that stopped the loading
 *
 * Since: 1.0
 */
const GError *
boto_collection_list_model_get_error (BotoCollectionListModel *self)
{
  g_return_val_if_fail (BOTO_IS_COLLECTION_LIST_MODEL (self), NULL);
  return self->error;
}

/**
 * boto_collection_to_list_model:
 * @self: a collection
 * @cancellable: (nullable): cancels the loading
 *
 * Returns a #GListModel of the collection's resources (a
 * [class@Boto.CollectionListModel]) that fills itself page by page in the
 * background, on the thread-default main context. @self is not iterated:
 * the model iterates a copy. The model keeps itself alive until loading
 * ends; dropping the last other reference does not stop it — cancel
 * @cancellable for that.
 *
 * Returns: (transfer full): the list model
 *
 * Since: 1.0
 */
GListModel *
boto_collection_to_list_model (BotoCollection *self,
                               GCancellable   *cancellable)
{
  BotoCollectionListModel *model;

  g_return_val_if_fail (BOTO_IS_COLLECTION (self), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  model = g_object_new (BOTO_TYPE_COLLECTION_LIST_MODEL, NULL);
  model->collection = clone (self, NULL);
  model->cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  model->loading = TRUE;
  boto_collection_next_page_async (model->collection, model->cancellable, list_model_page_done,
                                   g_object_ref (model));
  return G_LIST_MODEL (model);
}
