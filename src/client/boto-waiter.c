/* boto-waiter.c: waiters of a client, from waiters-2.json
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <string.h>

#include "boto-waiter.h"
#include "boto-waiter-private.h"
#include "boto-error.h"
#include "boto-format-private.h"
#include "boto-jmespath.h"
#include "boto-protocol-value-private.h"

/**
 * BotoWaiter:
 *
 * A waiter of a [class@Boto.Client], as botocore's `Waiter`: made by
 * [method@Boto.Client.get_waiter] from the service's `waiters-2` model, it
 * calls one operation again and again, `delay` seconds apart, until one of
 * its acceptors matches the answer with a `success` or `failure` state, or
 * `maxAttempts` calls have been made.
 *
 * The acceptors are those of botocore: `path` (a JMESPath expression over
 * the result equals the expected value), `pathAll` (every element of a
 * non-empty list result equals it), `pathAny` (at least one does),
 * `status` (the HTTP status code) and `error` (the service error code;
 * `true` for any error, `false` for none). The first acceptor that matches
 * sets the state: `success` ends the wait, `failure` ends it with
 * %BOTO_CLIENT_ERROR_WAITER, `retry` waits and tries again. A service error
 * that no acceptor matches ends the wait with that error.
 *
 * Thread safety: a waiter is immutable (but for its test hook) and can be
 * shared between threads; each wait is independent.
 *
 * Since: 1.0
 */

typedef enum
{
  STATE_SUCCESS,
  STATE_FAILURE,
  STATE_RETRY,
} AcceptorState;

typedef enum
{
  MATCHER_PATH,
  MATCHER_PATH_ALL,
  MATCHER_PATH_ANY,
  MATCHER_STATUS,
  MATCHER_ERROR,
} AcceptorMatcher;

typedef struct
{
  AcceptorState           state;
  AcceptorMatcher         matcher;
  GVariant               *expected;   /* unboxed */
  BotoJmespathExpression *argument;   /* the path matchers' */
  char                   *explanation;
} Acceptor;

struct _BotoWaiter
{
  GObject              parent_instance;

  BotoClient          *client;
  char                *name;
  char                *operation_name;
  GVariant            *config;
  gint                 delay;
  gint                 max_attempts;
  GArray              *acceptors;     /* of Acceptor */

  BotoWaiterDelayFunc  delay_func;
  gpointer             delay_data;
};

G_DEFINE_FINAL_TYPE (BotoWaiter, boto_waiter, G_TYPE_OBJECT)

static void
acceptor_clear (gpointer data)
{
  Acceptor *acceptor = data;

  g_clear_pointer (&acceptor->expected, g_variant_unref);
  g_clear_pointer (&acceptor->argument, boto_jmespath_expression_unref);
  g_clear_pointer (&acceptor->explanation, g_free);
}

static void
boto_waiter_finalize (GObject *object)
{
  BotoWaiter *self = BOTO_WAITER (object);

  g_clear_object (&self->client);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->operation_name, g_free);
  g_clear_pointer (&self->config, g_variant_unref);
  g_clear_pointer (&self->acceptors, g_array_unref);

  G_OBJECT_CLASS (boto_waiter_parent_class)->finalize (object);
}

static void
boto_waiter_class_init (BotoWaiterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = boto_waiter_finalize;
}

static void
boto_waiter_init (BotoWaiter *self)
{
  self->acceptors = g_array_new (FALSE, TRUE, sizeof (Acceptor));
  g_array_set_clear_func (self->acceptors, acceptor_clear);
}

/* Unwraps `v` and `mv`; NULL for a maybe with nothing. Transfer full. */
static GVariant *
unbox (GVariant *value)
{
  g_autoptr(GVariant) current = value != NULL ? g_variant_ref (value) : NULL;

  while (current != NULL)
    {
      GVariant *inner;

      if (g_variant_is_of_type (current, G_VARIANT_TYPE_VARIANT))
        inner = g_variant_get_variant (current);
      else if (g_variant_is_of_type (current, G_VARIANT_TYPE_MAYBE))
        inner = g_variant_get_maybe (current);
      else
        break;
      g_variant_unref (current);
      current = inner;
    }
  return g_steal_pointer (&current);
}

/* The expected value as Python's str() would show it in an explanation. */
static char *
python_str (GVariant *value)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (value == NULL)
    return g_strdup ("None");
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return g_variant_dup_string (value, NULL);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    return g_strdup (g_variant_get_boolean (value) ? "True" : "False");
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    return g_strdup_printf ("%" G_GINT64_FORMAT, g_variant_get_int64 (value));
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    {
      boto_format_double (out, g_variant_get_double (value));
      return g_string_free (g_steal_pointer (&out), FALSE);
    }
  return g_variant_print (value, FALSE);
}

static gboolean
lookup_int (GVariant   *config,
            const char *key,
            gint64     *out)
{
  g_autoptr(GVariant) raw = g_variant_lookup_value (config, key, NULL);
  g_autoptr(GVariant) value = raw != NULL ? unbox (raw) : NULL;

  if (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    {
      *out = g_variant_get_int64 (value);
      return TRUE;
    }
  if (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_INT32))
    {
      *out = g_variant_get_int32 (value);
      return TRUE;
    }
  return FALSE;
}

static gboolean
parse_acceptor (const char  *waiter_name,
                GVariant    *config,
                Acceptor    *acceptor,
                GError     **error)
{
  const char *state = NULL;
  const char *matcher = NULL;
  const char *argument = NULL;
  g_autoptr(GVariant) expected = NULL;
  g_autofree char *shown = NULL;

  if (!g_variant_is_of_type (config, G_VARIANT_TYPE_VARDICT))
    goto bad;
  g_variant_lookup (config, "state", "&s", &state);
  g_variant_lookup (config, "matcher", "&s", &matcher);
  g_variant_lookup (config, "argument", "&s", &argument);
  expected = g_variant_lookup_value (config, "expected", NULL);
  if (state == NULL || matcher == NULL || expected == NULL)
    goto bad;

  if (strcmp (state, "success") == 0)
    acceptor->state = STATE_SUCCESS;
  else if (strcmp (state, "failure") == 0)
    acceptor->state = STATE_FAILURE;
  else if (strcmp (state, "retry") == 0)
    acceptor->state = STATE_RETRY;
  else
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                   "Waiter %s: unknown acceptor state: %s", waiter_name, state);
      return FALSE;
    }

  acceptor->expected = unbox (expected);
  shown = python_str (acceptor->expected);

  if (strcmp (matcher, "path") == 0)
    {
      acceptor->matcher = MATCHER_PATH;
      acceptor->explanation = g_strdup_printf ("For expression \"%s\" we matched expected path: \"%s\"",
                                               argument != NULL ? argument : "None", shown);
    }
  else if (strcmp (matcher, "pathAll") == 0)
    {
      acceptor->matcher = MATCHER_PATH_ALL;
      acceptor->explanation = g_strdup_printf ("For expression \"%s\" all members matched expected path: \"%s\"",
                                               argument != NULL ? argument : "None", shown);
    }
  else if (strcmp (matcher, "pathAny") == 0)
    {
      acceptor->matcher = MATCHER_PATH_ANY;
      acceptor->explanation = g_strdup_printf ("For expression \"%s\" we matched expected path: \"%s\" at least once",
                                               argument != NULL ? argument : "None", shown);
    }
  else if (strcmp (matcher, "status") == 0)
    {
      acceptor->matcher = MATCHER_STATUS;
      acceptor->explanation = g_strdup_printf ("Matched expected HTTP status code: %s", shown);
    }
  else if (strcmp (matcher, "error") == 0)
    {
      acceptor->matcher = MATCHER_ERROR;
      acceptor->explanation = g_strdup_printf ("Matched expected service error code: %s", shown);
    }
  else
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                   "Waiter %s: unknown acceptor: %s", waiter_name, matcher);
      return FALSE;
    }

  if (acceptor->matcher <= MATCHER_PATH_ANY)
    {
      g_autoptr(GError) local_error = NULL;

      if (argument == NULL)
        goto bad;
      acceptor->argument = boto_jmespath_expression_new (argument, &local_error);
      if (acceptor->argument == NULL)
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                       "Waiter %s: bad acceptor argument “%s”: %s",
                       waiter_name, argument, local_error->message);
          return FALSE;
        }
    }
  return TRUE;

bad:
  g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
               "Waiter %s has a malformed acceptor", waiter_name);
  return FALSE;
}

BotoWaiter *
boto_waiter_new (BotoClient  *client,
                 const char  *name,
                 GVariant    *config,
                 GError     **error)
{
  g_autoptr(BotoWaiter) self = g_object_new (BOTO_TYPE_WAITER, NULL);
  g_autoptr(GVariant) acceptors = NULL;
  const char *operation = NULL;
  gint64 delay;
  gint64 max_attempts;
  gsize n;

  self->client = g_object_ref (client);
  self->name = g_strdup (name);
  self->config = g_variant_ref_sink (config);

  if (!g_variant_lookup (config, "operation", "&s", &operation) ||
      !lookup_int (config, "delay", &delay) || !lookup_int (config, "maxAttempts", &max_attempts))
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                   "Waiter %s lacks an operation, a delay or maxAttempts", name);
      return NULL;
    }
  self->operation_name = g_strdup (operation);
  self->delay = (gint) CLAMP (delay, 0, G_MAXINT);
  self->max_attempts = (gint) CLAMP (max_attempts, 0, G_MAXINT);

  acceptors = g_variant_lookup_value (config, "acceptors", G_VARIANT_TYPE ("av"));
  if (acceptors == NULL)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_INVALID_MODEL,
                   "Waiter %s has no acceptors", name);
      return NULL;
    }
  n = g_variant_n_children (acceptors);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (acceptors, i);
      g_autoptr(GVariant) one = g_variant_get_variant (boxed);
      Acceptor acceptor = { 0, };

      if (!parse_acceptor (name, one, &acceptor, error))
        {
          acceptor_clear (&acceptor);
          return NULL;
        }
      g_array_append_val (self->acceptors, acceptor);
    }
  return g_steal_pointer (&self);
}

void
boto_waiter_set_delay_func_for_testing (BotoWaiter          *self,
                                        BotoWaiterDelayFunc  func,
                                        gpointer             user_data)
{
  g_return_if_fail (BOTO_IS_WAITER (self));
  self->delay_func = func;
  self->delay_data = user_data;
}

/**
 * boto_waiter_get_client:
 * @self: a waiter
 *
 * Gets the client the waiter calls.
 *
 * Returns: (transfer none): the client the waiter calls
 *
 * Since: 1.0
 */
BotoClient *
boto_waiter_get_client (BotoWaiter *self)
{
  g_return_val_if_fail (BOTO_IS_WAITER (self), NULL);
  return self->client;
}

/**
 * boto_waiter_get_name:
 * @self: a waiter
 *
 * Gets the waiter's name in the model.
 *
 * Returns: the waiter's name in the model, such as `BucketExists`
 *
 * Since: 1.0
 */
const char *
boto_waiter_get_name (BotoWaiter *self)
{
  g_return_val_if_fail (BOTO_IS_WAITER (self), NULL);
  return self->name;
}

/**
 * boto_waiter_get_operation_name:
 * @self: a waiter
 *
 * Gets the name of the operation the waiter calls.
 *
 * Returns: the operation the waiter calls, as named in the model
 *   (`HeadBucket`)
 *
 * Since: 1.0
 */
const char *
boto_waiter_get_operation_name (BotoWaiter *self)
{
  g_return_val_if_fail (BOTO_IS_WAITER (self), NULL);
  return self->operation_name;
}

/**
 * boto_waiter_get_delay:
 * @self: a waiter
 *
 * Gets the model's delay between two attempts.
 *
 * Returns: the model's delay between two attempts, in seconds; a wait
 *   may override it with `WaiterConfig`'s `Delay`
 *
 * Since: 1.0
 */
gint
boto_waiter_get_delay (BotoWaiter *self)
{
  g_return_val_if_fail (BOTO_IS_WAITER (self), 0);
  return self->delay;
}

/**
 * boto_waiter_get_max_attempts:
 * @self: a waiter
 *
 * Gets the model's number of attempts.
 *
 * Returns: the model's number of attempts before giving up; a wait may
 *   override it with `WaiterConfig`'s `MaxAttempts`
 *
 * Since: 1.0
 */
gint
boto_waiter_get_max_attempts (BotoWaiter *self)
{
  g_return_val_if_fail (BOTO_IS_WAITER (self), 0);
  return self->max_attempts;
}

/**
 * boto_waiter_get_config:
 * @self: a waiter
 *
 * Gets the waiter's definition from the service's waiter model.
 *
 * Returns: (transfer none): the waiter's entry in the `waiters-2` model,
 *   `a{sv}` with `operation`, `delay`, `maxAttempts` and `acceptors`
 *
 * Since: 1.0
 */
GVariant *
boto_waiter_get_config (BotoWaiter *self)
{
  g_return_val_if_fail (BOTO_IS_WAITER (self), NULL);
  return self->config;
}

/* Matching */

static gboolean
is_dict (GVariant *value)
{
  return g_variant_is_of_type (value, G_VARIANT_TYPE_ARRAY) &&
         g_variant_type_is_dict_entry (g_variant_type_element (g_variant_get_type (value)));
}

static gboolean
is_list (GVariant *value)
{
  return value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_ARRAY) && !is_dict (value);
}

/* Python's == between a value from a response and one from the model
 * (both unboxed, NULL for None). */
static gboolean
python_equal (GVariant *a,
              GVariant *b)
{
  double x;
  double y;

  if (a == NULL || b == NULL)
    return a == b;
  if (boto_value_get_double (a, &x) && boto_value_get_double (b, &y))
    {
      /* Two 64-bit integers compare exactly. */
      if (g_variant_is_of_type (a, G_VARIANT_TYPE_INT64) && g_variant_is_of_type (b, G_VARIANT_TYPE_INT64))
        return g_variant_get_int64 (a) == g_variant_get_int64 (b);
      return x == y;
    }
  if (g_variant_is_of_type (a, G_VARIANT_TYPE_STRING) && g_variant_is_of_type (b, G_VARIANT_TYPE_STRING))
    return strcmp (g_variant_get_string (a, NULL), g_variant_get_string (b, NULL)) == 0;
  if (is_list (a) && is_list (b))
    {
      gsize n = g_variant_n_children (a);

      if (n != g_variant_n_children (b))
        return FALSE;
      for (gsize i = 0; i < n; i++)
        {
          g_autoptr(GVariant) ca = g_variant_get_child_value (a, i);
          g_autoptr(GVariant) cb = g_variant_get_child_value (b, i);
          g_autoptr(GVariant) ua = unbox (ca);
          g_autoptr(GVariant) ub = unbox (cb);

          if (!python_equal (ua, ub))
            return FALSE;
        }
      return TRUE;
    }
  if (is_dict (a) && is_dict (b) &&
      g_variant_is_of_type (a, G_VARIANT_TYPE_VARDICT) && g_variant_is_of_type (b, G_VARIANT_TYPE_VARDICT))
    {
      GVariantIter iter;
      const char *key;
      GVariant *item;

      if (g_variant_n_children (a) != g_variant_n_children (b))
        return FALSE;
      g_variant_iter_init (&iter, a);
      while (g_variant_iter_next (&iter, "{&sv}", &key, &item))
        {
          g_autoptr(GVariant) other = g_variant_lookup_value (b, key, NULL);
          g_autoptr(GVariant) ua = unbox (item);
          g_autoptr(GVariant) ub = other != NULL ? unbox (other) : NULL;

          g_variant_unref (item);
          if (other == NULL || !python_equal (ua, ub))
            return FALSE;
        }
      return TRUE;
    }
  return g_variant_equal (a, b);
}

/* The `Error` dictionary of an error response with a `Code`, or NULL. */
static GVariant *
waiter_error (GVariant *response)
{
  g_autoptr(GVariant) raw = g_variant_lookup_value (response, "Error", NULL);
  g_autoptr(GVariant) error = raw != NULL ? unbox (raw) : NULL;
  g_autoptr(GVariant) code = NULL;

  if (error == NULL || !g_variant_is_of_type (error, G_VARIANT_TYPE_VARDICT))
    return NULL;
  code = g_variant_lookup_value (error, "Code", NULL);
  if (code == NULL)
    return NULL;
  return g_steal_pointer (&error);
}

static gboolean
acceptor_matches (Acceptor *acceptor,
                  GVariant *response)
{
  switch (acceptor->matcher)
    {
    case MATCHER_PATH:
    case MATCHER_PATH_ALL:
    case MATCHER_PATH_ANY:
      {
        g_autoptr(GVariant) error = waiter_error (response);
        g_autoptr(GVariant) raw = NULL;
        g_autoptr(GVariant) result = NULL;
        gsize n;

        if (error != NULL)
          return FALSE;
        raw = boto_jmespath_expression_search (acceptor->argument, response, NULL);
        result = raw != NULL ? unbox (raw) : NULL;
        if (acceptor->matcher == MATCHER_PATH)
          return python_equal (result, acceptor->expected);
        if (!is_list (result) || (n = g_variant_n_children (result)) == 0)
          return FALSE;
        for (gsize i = 0; i < n; i++)
          {
            g_autoptr(GVariant) child = g_variant_get_child_value (result, i);
            g_autoptr(GVariant) element = unbox (child);
            gboolean equal = python_equal (element, acceptor->expected);

            if (acceptor->matcher == MATCHER_PATH_ALL && !equal)
              return FALSE;
            if (acceptor->matcher == MATCHER_PATH_ANY && equal)
              return TRUE;
          }
        return acceptor->matcher == MATCHER_PATH_ALL;
      }

    case MATCHER_STATUS:
      {
        g_autoptr(GVariant) raw = g_variant_lookup_value (response, "ResponseMetadata", NULL);
        g_autoptr(GVariant) metadata = raw != NULL ? unbox (raw) : NULL;
        g_autoptr(GVariant) status = NULL;
        g_autoptr(GVariant) unboxed = NULL;

        if (metadata == NULL || !g_variant_is_of_type (metadata, G_VARIANT_TYPE_VARDICT))
          return FALSE;
        status = g_variant_lookup_value (metadata, "HTTPStatusCode", NULL);
        unboxed = status != NULL ? unbox (status) : NULL;
        return unboxed != NULL && python_equal (unboxed, acceptor->expected);
      }

    case MATCHER_ERROR:
    default:
      {
        g_autoptr(GVariant) raw = g_variant_lookup_value (response, "Error", NULL);
        g_autoptr(GVariant) error = raw != NULL ? unbox (raw) : NULL;
        g_autoptr(GVariant) code_raw = NULL;
        g_autoptr(GVariant) code = NULL;

        if (g_variant_is_of_type (acceptor->expected, G_VARIANT_TYPE_BOOLEAN))
          {
            g_autoptr(GVariant) any = waiter_error (response);

            if (g_variant_get_boolean (acceptor->expected))
              return any != NULL;
            return raw == NULL;
          }
        if (error != NULL && g_variant_is_of_type (error, G_VARIANT_TYPE_VARDICT))
          {
            code_raw = g_variant_lookup_value (error, "Code", NULL);
            code = code_raw != NULL ? unbox (code_raw) : NULL;
          }
        if (code == NULL)
          code = g_variant_ref_sink (g_variant_new_string (""));
        return python_equal (code, acceptor->expected);
      }
    }
}

/* One wait */

typedef enum
{
  OUTCOME_SUCCESS,
  OUTCOME_FAILED,
  OUTCOME_RETRY,
} Outcome;

typedef struct
{
  BotoWaiter   *waiter;
  GVariant     *params;          /* without WaiterConfig; a full reference, which
                                  * boto_client_call() borrows (it sinks only
                                  * floating ones) */
  gint64        delay_usec;
  gint64        max_attempts;
  guint         n_attempts;
  gboolean      matched_before;  /* botocore's last_matched_acceptor is not None */
  GSource      *timeout;
  GSource      *cancel_source;
} WaitState;

static void
wait_state_free (WaitState *st)
{
  if (st->timeout != NULL)
    g_source_destroy (st->timeout);
  g_clear_pointer (&st->timeout, g_source_unref);
  if (st->cancel_source != NULL)
    g_source_destroy (st->cancel_source);
  g_clear_pointer (&st->cancel_source, g_source_unref);
  g_clear_object (&st->waiter);
  g_clear_pointer (&st->params, g_variant_unref);
  g_free (st);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WaitState, wait_state_free)

static gboolean
config_number (GVariant    *config,
               const char  *key,
               double      *out,
               GError     **error)
{
  g_autoptr(GVariant) raw = g_variant_lookup_value (config, key, NULL);
  g_autoptr(GVariant) value = raw != NULL ? unbox (raw) : NULL;

  if (value == NULL)
    return TRUE;
  if (!boto_value_get_double (value, out) || g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN) || *out != *out)
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                   "WaiterConfig %s must be a number", key);
      return FALSE;
    }
  return TRUE;
}

/* Takes @params. */
static WaitState *
wait_state_new (BotoWaiter  *self,
                GVariant    *params,
                GError     **error)
{
  g_autoptr(GVariant) owned = params != NULL ? g_variant_ref_sink (params) : NULL;
  g_autoptr(WaitState) st = g_new0 (WaitState, 1);
  g_autoptr(GVariant) config = NULL;
  GVariantBuilder builder;
  double delay = self->delay;
  double max_attempts = self->max_attempts;

  st->waiter = g_object_ref (self);

  if (owned != NULL && !g_variant_is_of_type (owned, G_VARIANT_TYPE_VARDICT))
    {
      g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                   "Parameters must be a{sv}, not %s", g_variant_get_type_string (owned));
      return NULL;
    }

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  if (owned != NULL)
    {
      GVariantIter iter;
      const char *key;
      GVariant *value;

      g_variant_iter_init (&iter, owned);
      while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
        {
          if (strcmp (key, "WaiterConfig") == 0)
            {
              g_clear_pointer (&config, g_variant_unref);
              config = unbox (value);
            }
          else
            g_variant_builder_add (&builder, "{sv}", key, value);
          g_variant_unref (value);
        }
    }
  st->params = g_variant_ref_sink (g_variant_builder_end (&builder));

  if (config != NULL)
    {
      if (!g_variant_is_of_type (config, G_VARIANT_TYPE_VARDICT))
        {
          g_set_error (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_PARAM_VALIDATION,
                       "WaiterConfig must be a{sv}, not %s", g_variant_get_type_string (config));
          return NULL;
        }
      if (!config_number (config, "Delay", &delay, error) ||
          !config_number (config, "MaxAttempts", &max_attempts, error))
        return NULL;
    }
  st->delay_usec = (gint64) (CLAMP (delay, 0, 1e9) * G_USEC_PER_SEC);
  st->max_attempts = (gint64) CLAMP (max_attempts, 0, 1e12);
  return g_steal_pointer (&st);
}

static GError *
waiter_failure (BotoWaiter *self,
                const char *reason)
{
  return g_error_new (BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_WAITER,
                      "Waiter %s failed: %s", self->name, reason);
}

/* botocore's Waiter.wait loop body, after one call: @result is the
 * result, or NULL with @call_error the error of the call (taken). */
static Outcome
wait_evaluate (WaitState  *st,
               GVariant   *result,
               GError     *call_error,
               GError    **error)
{
  BotoWaiter *self = st->waiter;
  g_autoptr(GError) owned_error = call_error;
  g_autoptr(GVariant) owned_result = result;
  g_autoptr(GVariant) response = NULL;
  Acceptor *acceptor = NULL;
  gboolean matched = FALSE;

  if (owned_result != NULL)
    response = g_variant_ref (owned_result);
  else if (owned_error->domain == BOTO_SERVICE_ERROR && boto_service_error_get_response (owned_error) != NULL)
    response = g_variant_ref (boto_service_error_get_response (owned_error));
  else
    {
      /* Not an answer from the service: botocore lets it through. */
      g_propagate_error (error, g_steal_pointer (&owned_error));
      return OUTCOME_FAILED;
    }

  st->n_attempts++;
  for (guint i = 0; i < self->acceptors->len; i++)
    {
      acceptor = &g_array_index (self->acceptors, Acceptor, i);
      if (acceptor_matches (acceptor, response))
        {
          matched = TRUE;
          break;
        }
    }

  if (matched)
    {
      st->matched_before = TRUE;
      if (acceptor->state == STATE_SUCCESS)
        return OUTCOME_SUCCESS;
      if (acceptor->state == STATE_FAILURE)
        {
          g_autofree char *reason = g_strdup_printf ("Waiter encountered a terminal failure state: %s",
                                                     acceptor->explanation);

          g_propagate_error (error, waiter_failure (self, reason));
          return OUTCOME_FAILED;
        }
    }
  else
    {
      g_autoptr(GVariant) service_error = waiter_error (response);

      if (service_error != NULL)
        {
          /* An error no acceptor expects ends the wait with that error. */
          if (owned_error != NULL)
            {
              g_prefix_error (&owned_error, "Waiter %s failed: ", self->name);
              g_propagate_error (error, g_steal_pointer (&owned_error));
            }
          else
            {
              const char *code = NULL;
              const char *message = NULL;
              g_autofree char *reason = NULL;

              g_variant_lookup (service_error, "Code", "&s", &code);
              g_variant_lookup (service_error, "Message", "&s", &message);
              reason = g_strdup_printf ("An error occurred (%s): %s",
                                        code != NULL ? code : "Unknown",
                                        message != NULL ? message : "Unknown");
              g_propagate_error (error, waiter_failure (self, reason));
            }
          return OUTCOME_FAILED;
        }
    }

  if ((gint64) st->n_attempts >= st->max_attempts)
    {
      g_autofree char *reason = NULL;

      if (!st->matched_before || acceptor == NULL)
        reason = g_strdup ("Max attempts exceeded");
      else
        /* botocore names the acceptor its loop stopped at: the one that
         * matched, or else the last one. */
        reason = g_strdup_printf ("Max attempts exceeded. Previously accepted state: %s",
                                  acceptor->explanation);
      g_propagate_error (error, waiter_failure (self, reason));
      return OUTCOME_FAILED;
    }
  return OUTCOME_RETRY;
}

static gint64
wait_delay (WaitState *st)
{
  BotoWaiter *self = st->waiter;

  if (self->delay_func != NULL)
    {
      gint64 usec = self->delay_func (st->n_attempts, st->delay_usec, self->delay_data);

      return MAX (usec, 0);
    }
  return st->delay_usec;
}

static gboolean
sleep_cancellable (gint64         usec,
                   GCancellable  *cancellable,
                   GError       **error)
{
  gint64 end = g_get_monotonic_time () + usec;
  GPollFD pollfd;
  gboolean have_fd = cancellable != NULL && g_cancellable_make_pollfd (cancellable, &pollfd);
  gint64 now;

  while ((now = g_get_monotonic_time ()) < end && !g_cancellable_is_cancelled (cancellable))
    {
      gint64 left_ms = (end - now + 999) / 1000;

      if (have_fd)
        g_poll (&pollfd, 1, (gint) MIN (left_ms, G_MAXINT));
      else
        g_usleep ((gulong) MIN (end - now, G_USEC_PER_SEC));
    }
  if (have_fd)
    g_cancellable_release_fd (cancellable);
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

/**
 * boto_waiter_wait:
 * @self: a waiter
 * @params: (nullable): the operation's parameters, `a{sv}`; a floating
 *   reference is consumed. As in boto3, a `WaiterConfig` entry (`a{sv}`
 *   with `Delay`, seconds, and `MaxAttempts`) overrides the model's delay
 *   and number of attempts and is not sent.
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Calls the waiter's operation until an acceptor reaches the `success`
 * state, as botocore's `Waiter.wait()`, sleeping between attempts. Blocks
 * the calling thread; use [method@Boto.Waiter.wait_async] on a main loop.
 *
 * Errors: %BOTO_CLIENT_ERROR_WAITER when an acceptor reached the `failure`
 * state (`Waiter BucketExists failed: Waiter encountered a terminal
 * failure state: …`), when the attempts ran out (`… failed: Max attempts
 * exceeded`), or when the service returned an error that no acceptor
 * expects and that cannot be told apart from an answer; a service error
 * that no acceptor expects otherwise comes back as that
 * %BOTO_SERVICE_ERROR, its message prefixed with `Waiter … failed: `.
 * Client-side and transport errors of the call come back unchanged, and
 * %G_IO_ERROR_CANCELLED when @cancellable is cancelled.
 *
 * Returns: %TRUE once the success state is reached, %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
boto_waiter_wait (BotoWaiter    *self,
                  GVariant      *params,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(WaitState) st = NULL;

  g_return_val_if_fail (BOTO_IS_WAITER (self), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  st = wait_state_new (self, params, error);
  if (st == NULL)
    return FALSE;

  for (;;)
    {
      GError *call_error = NULL;
      GVariant *result = boto_client_call (self->client, self->operation_name,
                                           st->params, cancellable, &call_error);

      switch (wait_evaluate (st, result, call_error, error))
        {
        case OUTCOME_SUCCESS:
          return TRUE;
        case OUTCOME_FAILED:
          return FALSE;
        case OUTCOME_RETRY:
        default:
          break;
        }
      if (!sleep_cancellable (wait_delay (st), cancellable, error))
        return FALSE;
    }
}

static void wait_attempt (GTask *task);

static gboolean
on_delay_done (gpointer user_data)
{
  GTask *task = user_data;
  WaitState *st = g_task_get_task_data (task);

  g_clear_pointer (&st->timeout, g_source_unref);
  if (st->cancel_source != NULL)
    g_source_destroy (st->cancel_source);
  g_clear_pointer (&st->cancel_source, g_source_unref);
  wait_attempt (task);
  return G_SOURCE_REMOVE;
}

static gboolean
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  GTask *task = user_data;
  WaitState *st = g_task_get_task_data (task);

  g_clear_pointer (&st->cancel_source, g_source_unref);
  if (st->timeout != NULL)
    g_source_destroy (st->timeout);
  g_clear_pointer (&st->timeout, g_source_unref);
  g_task_return_error_if_cancelled (task);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static void
on_wait_response (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  WaitState *st = g_task_get_task_data (task);
  GError *call_error = NULL;
  GError *local_error = NULL;
  GVariant *response = boto_client_call_finish (BOTO_CLIENT (source), result, &call_error);
  GCancellable *cancellable = g_task_get_cancellable (task);
  gint64 delay_ms;

  switch (wait_evaluate (st, response, call_error, &local_error))
    {
    case OUTCOME_SUCCESS:
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    case OUTCOME_FAILED:
      g_task_return_error (task, local_error);
      g_object_unref (task);
      return;
    case OUTCOME_RETRY:
    default:
      break;
    }

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  /* The delay is a timeout on the caller's main context, never a sleep;
   * cancelling ends it at once. One task reference is held by whichever
   * source fires first; the other source is destroyed. */
  delay_ms = wait_delay (st) / 1000;
  st->timeout = g_timeout_source_new ((guint) MIN (delay_ms, G_MAXUINT));
  g_source_set_callback (st->timeout, on_delay_done, task, NULL);
  g_source_set_static_name (st->timeout, "[boto-glib] waiter delay");
  g_source_attach (st->timeout, g_task_get_context (task));
  if (cancellable != NULL)
    {
      st->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (st->cancel_source, G_SOURCE_FUNC (on_cancelled), task, NULL);
      g_source_set_static_name (st->cancel_source, "[boto-glib] waiter cancel");
      g_source_attach (st->cancel_source, g_task_get_context (task));
    }
}

/* Takes ownership of @task. */
static void
wait_attempt (GTask *task)
{
  WaitState *st = g_task_get_task_data (task);

  boto_client_call_async (st->waiter->client, st->waiter->operation_name, st->params,
                          g_task_get_cancellable (task), on_wait_response, task);
}

/**
 * boto_waiter_wait_async:
 * @self: a waiter
 * @params: (nullable): the operation's parameters, `a{sv}`, with an
 *   optional `WaiterConfig`, as for [method@Boto.Waiter.wait]; a floating
 *   reference is consumed
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the wait is over
 * @user_data: data for @callback
 *
 * Starts [method@Boto.Waiter.wait] without blocking: the calls are
 * asynchronous and the delays are timeouts on the thread-default main
 * context of the caller, which keeps running. Cancelling @cancellable ends
 * the wait at once, even in the middle of a delay. Finish with
 * [method@Boto.Waiter.wait_finish].
 *
 * Since: 1.0
 */
void
boto_waiter_wait_async (BotoWaiter          *self,
                        GVariant            *params,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;
  GError *local_error = NULL;
  WaitState *st;

  g_return_if_fail (BOTO_IS_WAITER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, boto_waiter_wait_async);
  st = wait_state_new (self, params, &local_error);
  if (st == NULL)
    {
      g_task_return_error (task, local_error);
      g_object_unref (task);
      return;
    }
  g_task_set_task_data (task, st, (GDestroyNotify) wait_state_free);
  wait_attempt (task);
}

/**
 * boto_waiter_wait_finish:
 * @self: a waiter
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Boto.Waiter.wait_async].
 *
 * Returns: %TRUE once the success state was reached, %FALSE with @error
 *   set (see [method@Boto.Waiter.wait])
 *
 * Since: 1.0
 */
gboolean
boto_waiter_wait_finish (BotoWaiter    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (BOTO_IS_WAITER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, boto_waiter_wait_async), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
