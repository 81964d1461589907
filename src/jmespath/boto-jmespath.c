/* boto-jmespath.c: JMESPath evaluated directly over GVariant
 *
 * An expression is lexed into tokens, parsed by a Pratt parser into a
 * syntax tree, and the tree is evaluated over the caller's GVariant without
 * converting it to anything else: dictionaries with string keys are
 * objects, other arrays and tuples are lists, `v` and `m*` are unwrapped
 * (a maybe with nothing is null).  Lists and objects that the expression
 * builds are kept as light values until the end, where they become `av`
 * and `a{sv}`.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boto-jmespath-private.h"
#include "boto-format-private.h"
#include "boto-gvariant-private.h"

/**
 * boto_jmespath_error_quark:
 *
 * The quark of the [error@Boto.JmespathError] domain.
 *
 * Returns: the error domain
 *
 * Since: 1.0
 */
G_DEFINE_QUARK (boto-jmespath-error-quark, boto_jmespath_error)

/* ------------------------------------------------------------------ */
/* Values                                                              */
/* ------------------------------------------------------------------ */

typedef enum {
  JT_NULL,
  JT_BOOLEAN,
  JT_NUMBER,
  JT_STRING,
  JT_ARRAY,
  JT_OBJECT,
  JT_EXPREF,
} JType;

static const char * const jtype_names[] = {
  "null", "boolean", "number", "string", "array", "object", "expref",
};

typedef enum {
  JV_VARIANT,   /* a value of the input, a literal, or a scalar built here */
  JV_LIST,      /* a list built by the expression */
  JV_OBJECT,    /* an object built by the expression */
  JV_EXPREF,    /* an expression reference, only as a function argument */
} JvKind;

typedef struct _JmNode JmNode;
typedef struct _Jv Jv;
typedef struct _JvPool JvPool;

/* Values are allocated from a pool that lives for one search on the
 * calling thread, and freed all at once at its end. */
#define JV_POOL_CHUNK 512

struct _JvPool
{
  GPtrArray *chunks;     /* Jv[JV_POOL_CHUNK] */
  guint      used;       /* in the last chunk */
  Jv        *free_list;
};


/* NULL is the JMESPath null.  Values live within one evaluation, on one
 * thread, so the reference count is not atomic.
 *
 * A JV_VARIANT is a cursor into serialized GVariant data in normal form
 * (the input, serialized once per search, or a literal of the expression,
 * or the inline storage of a scalar built here): its type string (not
 * nul-terminated: it may lie inside a longer one), its bytes and their
 * size.  It is never a `v` or `m*`: those are unwrapped when the cursor is
 * made.  Walking the data this way allocates nothing, unlike
 * g_variant_get_child_value(). */
struct _Jv
{
  guint          ref;
  JvKind         kind;
  JType          type;
  const char    *vtype;     /* JV_VARIANT */
  const guchar  *data;      /* JV_VARIANT */
  gsize          size;      /* JV_VARIANT */
  char          *owned;     /* JV_VARIANT: a string built here (data) */
  union {
    gint64       i;
    double       d;
    guchar       b;
  } inline_data;            /* JV_VARIANT: a number or boolean built here */
  GPtrArray     *items;     /* JV_LIST items, JV_OBJECT values: Jv* or NULL */
  GPtrArray     *keys;      /* JV_OBJECT keys: char* */
  const JmNode  *node;      /* JV_EXPREF */
  JvPool        *pool;
  Jv            *next_free; /* in the pool's free list */
};


static void
jv_pool_init (JvPool *pool)
{
  pool->chunks = g_ptr_array_new_with_free_func (g_free);
  pool->used = JV_POOL_CHUNK;
  pool->free_list = NULL;
}

static void
jv_pool_clear (JvPool *pool)
{
  g_clear_pointer (&pool->chunks, g_ptr_array_unref);
}

static Jv *
jv_ref (Jv *jv)
{
  if (jv != NULL)
    jv->ref++;
  return jv;
}

static void
jv_unref (Jv *jv)
{
  if (jv == NULL || --jv->ref > 0)
    return;
  g_clear_pointer (&jv->owned, g_free);
  g_clear_pointer (&jv->items, g_ptr_array_unref);
  g_clear_pointer (&jv->keys, g_ptr_array_unref);
  jv->next_free = jv->pool->free_list;
  jv->pool->free_list = jv;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Jv, jv_unref)

static Jv *
jv_alloc (JvPool *pool,
          JvKind  kind,
          JType   type)
{
  Jv *jv;

  if (pool->free_list != NULL)
    {
      jv = pool->free_list;
      pool->free_list = jv->next_free;
    }
  else
    {
      if (pool->used == JV_POOL_CHUNK)
        {
          g_ptr_array_add (pool->chunks, g_new (Jv, JV_POOL_CHUNK));
          pool->used = 0;
        }
      jv = (Jv *) g_ptr_array_index (pool->chunks, pool->chunks->len - 1) + pool->used++;
    }
  jv->ref = 1;
  jv->kind = kind;
  jv->type = type;
  jv->pool = pool;
  jv->vtype = NULL;
  jv->data = NULL;
  jv->size = 0;
  jv->owned = NULL;
  jv->items = NULL;
  jv->keys = NULL;
  jv->node = NULL;
  return jv;
}

/* ------------------------------------------------------------------ */
/* Serialized GVariant data (normal form)                              */
/* ------------------------------------------------------------------ */

/* End of the complete type starting at @t. */
static const char *
type_skip (const char *t)
{
  while (*t == 'a' || *t == 'm')
    t++;
  if (*t == '(' || *t == '{')
    {
      t++;
      while (*t != ')' && *t != '}')
        t = type_skip (t);
    }
  return t + 1;
}

static inline gsize
type_len (const char *t)
{
  if (t[0] != 'a' && t[0] != 'm' && t[0] != '(' && t[0] != '{')
    return 1;
  return type_skip (t) - t;
}

/* Alignment (as a mask: 0, 1, 3 or 7) and fixed size (0 if variable) of
 * the type starting at @t, as GVariant's serializer lays it out. */
static void
type_info (const char *t,
           gsize      *align,
           gsize      *fixed)
{
  switch (*t)
    {
    case 'b': case 'y':
      *align = 0; *fixed = 1; return;
    case 'n': case 'q':
      *align = 1; *fixed = 2; return;
    case 'i': case 'u': case 'h':
      *align = 3; *fixed = 4; return;
    case 'x': case 't': case 'd':
      *align = 7; *fixed = 8; return;
    case 'v':
      *align = 7; *fixed = 0; return;
    case 'a': case 'm':
      type_info (t + 1, align, fixed);
      *fixed = 0;
      return;
    case '(': case '{':
      if (t[1] == 's' && t[2] == 'v' && t[3] == '}')
        {
          /* `{sv}`, the entries of every `a{sv}` */
          *align = 7;
          *fixed = 0;
          return;
        }
      {
        gsize a = 0, offset = 0;
        gboolean is_fixed = TRUE;

        for (t++; *t != ')' && *t != '}'; t = type_skip (t))
          {
            gsize ca, cf;

            type_info (t, &ca, &cf);
            a |= ca;
            if (cf == 0)
              is_fixed = FALSE;
            else
              offset = ((offset + ca) & ~ca) + cf;
          }
        *align = a;
        *fixed = !is_fixed ? 0 : offset == 0 ? 1 : (offset + a) & ~a;
        return;
      }
    case 's': case 'o': case 'g':
    default:
      *align = 0; *fixed = 0; return;
    }
}

/* type_info() for the common cases, without a call. */
static inline void
type_info_quick (const char *t,
                 gsize      *align,
                 gsize      *fixed)
{
  switch (t[0])
    {
    case 's': case 'o': case 'g':
      *align = 0; *fixed = 0; return;
    case 'v':
      *align = 7; *fixed = 0; return;
    case 'x': case 't': case 'd':
      *align = 7; *fixed = 8; return;
    case 'a':
      if (t[1] == '{' && t[2] == 's' && t[3] == 'v')
        {
          *align = 7; *fixed = 0; return;
        }
      if (t[1] == 's' || t[1] == 'v' || t[1] == 'y' || t[1] == 'b')
        {
          *align = t[1] == 'v' ? 7 : 0; *fixed = 0; return;
        }
      break;
    default:
      break;
    }
  type_info (t, align, fixed);
}

/* Division by an offset size (1, 2, 4 or 8), without a division. */
static inline gsize
div_osize (gsize n,
           gsize osize)
{
  return n >> (osize == 1 ? 0 : osize == 2 ? 1 : osize == 4 ? 2 : 3);
}

/* Framing offsets are little-endian. */
static inline gsize
read_offset (const guchar *p,
             gsize         osize)
{
  switch (osize)
    {
    case 1:
      return p[0];
    case 2:
      return p[0] | (gsize) p[1] << 8;
    case 4:
      return p[0] | (gsize) p[1] << 8 | (gsize) p[2] << 16 | (gsize) p[3] << 24;
    default:
      {
        guint64 v = 0;

        for (int k = 7; k >= 0; k--)
          v = v << 8 | p[k];
        return (gsize) v;
      }
    }
}

/* A view of serialized data. */
typedef struct
{
  const char   *type;
  const guchar *data;
  gsize         size;
} Cur;

/* Number of elements of an array. */
static gsize
cur_array_length (const Cur *c)
{
  gsize align, fixed, osize, last;

  type_info (c->type + 1, &align, &fixed);
  if (fixed != 0)
    return c->size / fixed;
  if (c->size == 0)
    return 0;
  osize = boto_gvariant_offset_size (c->size);
  last = read_offset (c->data + c->size - osize, osize);
  if (last > c->size)
    return 0;
  return div_osize (c->size - last, osize);
}

/* Element @i (< length) of an array. */
static Cur
cur_array_child (const Cur *c,
                 gsize      i)
{
  Cur out;
  gsize align, fixed;

  out.type = c->type + 1;
  type_info (out.type, &align, &fixed);
  if (fixed != 0)
    {
      out.data = c->data + i * fixed;
      out.size = fixed;
    }
  else
    {
      gsize osize = boto_gvariant_offset_size (c->size);
      gsize frame = read_offset (c->data + c->size - osize, osize);
      gsize start = i == 0 ? 0 : (read_offset (c->data + frame + (i - 1) * osize, osize) + align) & ~align;
      gsize end = read_offset (c->data + frame + i * osize, osize);

      if (end > frame || start > end)
        start = end = 0;
      out.data = c->data + start;
      out.size = end - start;
    }
  return out;
}

static gsize
cur_tuple_length (const Cur *c)
{
  gsize n = 0;

  for (const char *t = c->type + 1; *t != ')' && *t != '}'; t = type_skip (t))
    n++;
  return n;
}

/* Child @i (< length) of a tuple or dictionary entry. */
static Cur
cur_tuple_child (const Cur *c,
                 gsize      i)
{
  gsize osize = boto_gvariant_offset_size (c->size);
  gsize offset = 0, frames = 0, n_frames = 0;
  const char *t;
  Cur out = { NULL, c->data, 0 };

  /* Variable-size children, but the last, end at a framing offset. */
  for (t = c->type + 1; *t != ')' && *t != '}'; )
    {
      const char *next = type_skip (t);
      gsize align, fixed;

      type_info (t, &align, &fixed);
      if (fixed == 0 && *next != ')' && *next != '}')
        n_frames++;
      t = next;
    }

  t = c->type + 1;
  for (gsize k = 0; ; k++)
    {
      const char *next = type_skip (t);
      gsize align, fixed, start, end;

      type_info (t, &align, &fixed);
      start = (offset + align) & ~align;
      if (fixed != 0)
        end = start + fixed;
      else if (*next == ')' || *next == '}')
        end = c->size - n_frames * osize;
      else
        {
          frames++;
          end = read_offset (c->data + c->size - frames * osize, osize);
        }
      if (k == i)
        {
          if (end > c->size || start > end)
            start = end = 0;
          out.type = t;
          out.data = c->data + start;
          out.size = end - start;
          return out;
        }
      offset = end;
      t = next;
    }
}

/* Whether the type at @t is a dictionary with string keys. */
static inline gboolean
type_is_object (const char *t)
{
  return t[0] == 'a' && t[1] == '{' && (t[2] == 's' || t[2] == 'o' || t[2] == 'g');
}

static JType
type_jtype (const char *t)
{
  switch (t[0])
    {
    case 'b':
      return JT_BOOLEAN;
    case 'y': case 'n': case 'q': case 'i': case 'u': case 'x': case 't': case 'h': case 'd':
      return JT_NUMBER;
    case 's': case 'o': case 'g':
      return JT_STRING;
    case 'a':
      return type_is_object (t) ? JT_OBJECT : JT_ARRAY;
    case '(': case '{':
      return JT_ARRAY;
    case 'v': case 'm':
    default:
      return JT_NULL;
    }
}

/* Unwraps variants and maybes in place; FALSE (and a NULL type) for
 * null. */
static gboolean
cur_unwrap_slow (Cur *c)
{
  const char *type = c->type;
  const guchar *data = c->data;
  gsize size = c->size;

  if (data == NULL)
    data = (const guchar *) "";
  while (type[0] == 'v' || type[0] == 'm')
    {
      if (type[0] == 'v')
        {
          gsize k = size;

          /* The type follows the last nul, mostly within the last 8
           * bytes: find their last zero byte at once. */
          if (k >= 8)
            {
              guint64 w, zero;

              memcpy (&w, data + k - 8, 8);
              w = GUINT64_FROM_LE (w);
              zero = ~(((w & G_GUINT64_CONSTANT (0x7f7f7f7f7f7f7f7f)) +
                        G_GUINT64_CONSTANT (0x7f7f7f7f7f7f7f7f)) | w |
                       G_GUINT64_CONSTANT (0x7f7f7f7f7f7f7f7f));
              if (zero != 0)
                k = k - 8 + (63 - __builtin_clzll (zero)) / 8 + 1;
              else
                k -= 8;
            }
          while (k > 0 && data[k - 1] != '\0')
            k--;
          if (k == 0)
            {
              c->type = NULL;   /* not in normal form: cannot happen */
              return FALSE;
            }
          type = (const char *) data + k;
          size = k - 1;
        }
      else
        {
          gsize align, fixed;

          if (size == 0)
            {
              c->type = NULL;
              return FALSE;
            }
          type++;
          type_info_quick (type, &align, &fixed);
          if (fixed == 0)
            size--;
        }
    }
  c->type = type;
  c->data = data;
  c->size = size;
  return TRUE;
}

static inline gboolean
cur_unwrap (Cur *c)
{
  const char *t = c->type;

  if (t[0] != 'v' && t[0] != 'm')
    return TRUE;
  /* A variant of a value with a one-character type: the commonest. */
  if (t[0] == 'v' && c->size >= 2 && c->data[c->size - 2] == '\0' &&
      c->data[c->size - 1] != 'v' && c->data[c->size - 1] != 'm')
    {
      c->type = (const char *) c->data + c->size - 1;
      c->size -= 2;
      return TRUE;
    }
  /* A variant whose type is within its last 8 bytes (`as`, `aa{sv}`,
   * `a{sv}` …): its last zero byte at once. */
  if (t[0] == 'v' && c->size >= 8)
    {
      guint64 w, zero;

      memcpy (&w, c->data + c->size - 8, 8);
      w = GUINT64_FROM_LE (w);
      zero = ~(((w & G_GUINT64_CONSTANT (0x7f7f7f7f7f7f7f7f)) +
                G_GUINT64_CONSTANT (0x7f7f7f7f7f7f7f7f)) | w |
               G_GUINT64_CONSTANT (0x7f7f7f7f7f7f7f7f));
      if (zero != 0)
        {
          gsize k = c->size - 8 + (63 - __builtin_clzll (zero)) / 8 + 1;
          const char *type = (const char *) c->data + k;

          if (type[0] != 'v' && type[0] != 'm')
            {
              c->type = type;
              c->size = k - 1;
              return TRUE;
            }
        }
    }
  return cur_unwrap_slow (c);
}

/* A value for serialized data; unwraps variants and maybes. */
static Jv *
jv_new_cursor (JvPool       *pool,
               const char   *type,
               const guchar *data,
               gsize         size)
{
  Cur c = { type, data, size };
  Jv *jv;

  if (!cur_unwrap (&c))
    return NULL;
  jv = jv_alloc (pool, JV_VARIANT, type_jtype (c.type));
  jv->vtype = c.type;
  jv->data = c.data;
  jv->size = c.size;
  return jv;
}

static Jv *
jv_new_cur (JvPool *pool,
            Cur     c)
{
  return jv_new_cursor (pool, c.type, c.data, c.size);
}

static inline Cur
jv_cur (const Jv *jv)
{
  Cur c = { jv->vtype, jv->data, jv->size };

  return c;
}

static Jv *
jv_new_boolean (JvPool  *pool,
                gboolean b)
{
  Jv *jv = jv_alloc (pool, JV_VARIANT, JT_BOOLEAN);

  jv->inline_data.b = b ? 1 : 0;
  jv->vtype = "b";
  jv->data = &jv->inline_data.b;
  jv->size = 1;
  return jv;
}

static Jv *
jv_new_int (JvPool *pool,
            gint64  i)
{
  Jv *jv = jv_alloc (pool, JV_VARIANT, JT_NUMBER);

  jv->inline_data.i = i;
  jv->vtype = "x";
  jv->data = (const guchar *) &jv->inline_data.i;
  jv->size = 8;
  return jv;
}

static Jv *
jv_new_double (JvPool *pool,
               double  d)
{
  Jv *jv = jv_alloc (pool, JV_VARIANT, JT_NUMBER);

  jv->inline_data.d = d;
  jv->vtype = "d";
  jv->data = (const guchar *) &jv->inline_data.d;
  jv->size = 8;
  return jv;
}

static Jv *
jv_new_string_take (JvPool *pool,
                    char   *s)
{
  Jv *jv = jv_alloc (pool, JV_VARIANT, JT_STRING);

  jv->owned = s;
  jv->vtype = "s";
  jv->data = (const guchar *) s;
  jv->size = strlen (s) + 1;
  return jv;
}

static Jv *
jv_new_list (JvPool *pool)
{
  Jv *jv = jv_alloc (pool, JV_LIST, JT_ARRAY);

  jv->items = g_ptr_array_new_with_free_func ((GDestroyNotify) jv_unref);
  return jv;
}

static Jv *
jv_new_object (JvPool *pool)
{
  Jv *jv = jv_alloc (pool, JV_OBJECT, JT_OBJECT);

  jv->items = g_ptr_array_new_with_free_func ((GDestroyNotify) jv_unref);
  jv->keys = g_ptr_array_new_with_free_func (g_free);
  return jv;
}

static inline JType
jv_type (const Jv *jv)
{
  return jv == NULL ? JT_NULL : jv->type;
}

static const char *
jv_string (const Jv *jv)
{
  return (const char *) jv->data;
}

static gboolean
jv_boolean (const Jv *jv)
{
  return jv->data[0] != 0;
}

/* Returns TRUE for an integer (in *i), FALSE for a double (in *d). */
static gboolean
cur_number (const Cur *c,
            gint64    *i,
            double    *d)
{
  const guchar *p = c->data;

  switch (c->type[0])
    {
    case 'y':
      *i = p[0];
      return TRUE;
    case 'n':
      {
        gint16 v;

        memcpy (&v, p, sizeof v);
        *i = v;
        return TRUE;
      }
    case 'q':
      {
        guint16 v;

        memcpy (&v, p, sizeof v);
        *i = v;
        return TRUE;
      }
    case 'i':
    case 'h':
      {
        gint32 v;

        memcpy (&v, p, sizeof v);
        *i = v;
        return TRUE;
      }
    case 'u':
      {
        guint32 v;

        memcpy (&v, p, sizeof v);
        *i = v;
        return TRUE;
      }
    case 'x':
      memcpy (i, p, sizeof *i);
      return TRUE;
    case 't':
      {
        guint64 u;

        memcpy (&u, p, sizeof u);
        if (u <= G_MAXINT64)
          {
            *i = (gint64) u;
            return TRUE;
          }
        *d = (double) u;
        return FALSE;
      }
    case 'd':
    default:
      memcpy (d, p, sizeof *d);
      return FALSE;
    }
}

static gboolean
jv_number (const Jv *jv,
           gint64   *i,
           double   *d)
{
  Cur c = { jv->vtype, jv->data, jv->size };

  return cur_number (&c, i, d);
}

static double
jv_double (const Jv *jv)
{
  gint64 i;
  double d;

  return jv_number (jv, &i, &d) ? (double) i : d;
}

static gsize
jv_length (const Jv *jv)
{
  Cur c;

  if (jv->kind != JV_VARIANT)
    return jv->items->len;
  c = jv_cur (jv);
  if (c.type[0] == 'a')
    return cur_array_length (&c);
  return cur_tuple_length (&c);
}

/* Element @i of a list, or value @i of an object (new reference). */
static Jv *
jv_child (const Jv *jv,
          gsize     i)
{
  Cur c;

  if (jv->kind != JV_VARIANT)
    return jv_ref (g_ptr_array_index (jv->items, i));
  c = jv_cur (jv);
  if (c.type[0] != 'a')
    return jv_new_cur (jv->pool, cur_tuple_child (&c, i));
  c = cur_array_child (&c, i);
  if (jv->type == JT_OBJECT)
    c = cur_tuple_child (&c, 1);
  return jv_new_cur (jv->pool, c);
}

/* Walks the elements of a list, or the values of an object, without
 * working out the element layout again for each. */
typedef struct
{
  const Jv     *jv;
  gboolean      fast;      /* a serialized array */
  gboolean      object;    /* the values of its `{sT}` entries */
  const char   *etype;
  const char   *vtype;
  gsize         align, fixed, valign, vfixed, osize, frame;
} JvIter;

static gsize
jv_iter_init (JvIter   *it,
              const Jv *jv)
{
  gsize size = jv->size;

  it->jv = jv;
  it->fast = jv->kind == JV_VARIANT && jv->vtype[0] == 'a';
  if (!it->fast)
    return jv_length (jv);
  it->etype = jv->vtype + 1;
  type_info (it->etype, &it->align, &it->fixed);
  it->object = jv->type == JT_OBJECT;
  if (it->object)
    {
      it->vtype = it->etype + 2;
      type_info (it->vtype, &it->valign, &it->vfixed);
    }
  if (it->fixed != 0)
    return size / it->fixed;
  if (size == 0)
    return 0;
  it->osize = boto_gvariant_offset_size (size);
  it->frame = read_offset (jv->data + size - it->osize, it->osize);
  if (it->frame > size)
    return 0;
  return div_osize (size - it->frame, it->osize);
}

/* Element @i (< the length jv_iter_init() gave), a new reference. */
static Jv *
jv_iter_child (JvIter *it,
               gsize   i)
{
  const guchar *data = it->jv->data;
  gsize start, end;

  if (!it->fast)
    return jv_child (it->jv, i);
  if (it->fixed != 0)
    {
      start = i * it->fixed;
      end = start + it->fixed;
    }
  else
    {
      start = i == 0 ? 0 : (read_offset (data + it->frame + (i - 1) * it->osize, it->osize) + it->align) & ~it->align;
      end = read_offset (data + it->frame + i * it->osize, it->osize);
      if (end > it->frame || start > end)
        start = end = 0;
    }
  if (it->object)
    {
      const guchar *entry = data + start;
      gsize entry_size = end - start;
      gsize eosize = boto_gvariant_offset_size (entry_size);
      gsize key_end, vstart, vend;

      if (entry_size < eosize || entry_size == 0)
        return NULL;
      key_end = read_offset (entry + entry_size - eosize, eosize);
      vstart = (key_end + it->valign) & ~it->valign;
      vend = it->vfixed != 0 ? vstart + it->vfixed : entry_size - eosize;
      if (vend > entry_size || vstart > vend)
        return NULL;
      return jv_new_cursor (it->jv->pool, it->vtype, entry + vstart, vend - vstart);
    }
  return jv_new_cursor (it->jv->pool, it->etype, data + start, end - start);
}

/* Key @i of an object (newly allocated). */
static char *
jv_key (const Jv *jv,
        gsize     i)
{
  Cur c;

  if (jv->kind == JV_OBJECT)
    return g_strdup (g_ptr_array_index (jv->keys, i));
  c = jv_cur (jv);
  c = cur_array_child (&c, i);
  c = cur_tuple_child (&c, 0);
  return g_strndup ((const char *) c.data, c.size > 0 ? c.size - 1 : 0);
}

/* Whether the entry of a serialized `a{sT}` from @start to @end has the
 * key @key: 1 (and its value, unwrapped, in @out), 0 if not, -1 if the
 * data is not well formed. */
static inline int
entry_match (const guchar *data,
             gsize         start,
             gsize         end,
             gsize         frame,
             const char   *key,
             gsize         key_len,
             const char   *vtype,
             gsize         valign,
             gsize         vfixed,
             Cur          *out)
{
  const guchar *entry = data + start;
  gsize entry_size, eosize, key_end, vstart, vend;

  if (G_UNLIKELY (end > frame || start > end))
    return -1;
  entry_size = end - start;
  if (G_LIKELY (entry_size <= G_MAXUINT8))
    {
      if (G_UNLIKELY (entry_size == 0))
        return 0;
      eosize = 1;
      key_end = entry[entry_size - 1];
    }
  else
    {
      eosize = boto_gvariant_offset_size (entry_size);
      key_end = read_offset (entry + entry_size - eosize, eosize);
    }
  if (key_end != key_len + 1 || entry[0] != (guchar) key[0] || entry[key_len] != '\0' ||
      memcmp (entry, key, key_len) != 0)
    return 0;
  vstart = (key_end + valign) & ~valign;
  vend = vfixed != 0 ? vstart + vfixed : entry_size - eosize;
  out->type = NULL;
  if (vend > entry_size || vstart > vend)
    return 1;
  out->type = vtype;
  out->data = entry + vstart;
  out->size = vend - vstart;
  cur_unwrap (out);
  return 1;
}

/* Value of @key in a serialized object (unwrapped); FALSE (and a NULL
 * type) if absent or null.  @hint (nullable) is the index of the entry
 * to look at first, updated to where the key was found: objects in one
 * list tend to have their keys in the same order. */
static gboolean
cur_lookup (const Cur  *c,
            const char *key,
            gsize       key_len,
            Cur        *out,
            gsize      *hint)
{
  /* Entries `{sT}`: the key, then the value aligned for T, then one
   * framing offset giving the end of the key. */
  const char *vtype = c->type + 3;
  const guchar *data = c->data;
  gsize size = c->size;
  gsize valign, vfixed, n, osize, frame;
  const guchar *offsets;

  out->type = NULL;
  if (size == 0)
    return FALSE;

  type_info_quick (vtype, &valign, &vfixed);
  osize = boto_gvariant_offset_size (size);
  frame = read_offset (data + size - osize, osize);
  if (frame > size)
    return FALSE;
  n = div_osize (size - frame, osize);
  offsets = data + frame;
  if (hint != NULL && *hint < n)
    {
      gsize i = *hint;
      gsize start = i == 0 ? 0 : (read_offset (offsets + (i - 1) * osize, osize) + valign) & ~valign;
      gsize end = read_offset (offsets + i * osize, osize);

      if (entry_match (data, start, end, frame, key, key_len, vtype, valign, vfixed, out) == 1)
        return out->type != NULL;
    }
  for (gsize i = 0, start = 0; i < n; i++)
    {
      gsize end = osize == 1 ? offsets[i] : read_offset (offsets + i * osize, osize);

      switch (entry_match (data, start, end, frame, key, key_len, vtype, valign, vfixed, out))
        {
        case 1:
          if (hint != NULL)
            *hint = i;
          return out->type != NULL;
        case -1:
          out->type = NULL;
          return FALSE;
        default:
          break;
        }
      start = (end + valign) & ~valign;
    }
  return FALSE;
}

/* Whether the @len bytes at @a and @b are equal; short keys without a
 * call, by words that may overlap but stay within the @len bytes. */
static inline G_ALWAYS_INLINE gboolean
key_equal (const guchar *a,
           const char   *b,
           gsize         len)
{
  if (len >= 8 && len <= 16)
    {
      guint64 a0, a1, b0, b1;

      memcpy (&a0, a, 8);
      memcpy (&b0, b, 8);
      memcpy (&a1, a + len - 8, 8);
      memcpy (&b1, b + len - 8, 8);
      return ((a0 ^ b0) | (a1 ^ b1)) == 0;
    }
  if (len >= 4 && len < 8)
    {
      guint32 a0, a1, b0, b1;

      memcpy (&a0, a, 4);
      memcpy (&b0, b, 4);
      memcpy (&a1, a + len - 4, 4);
      memcpy (&b1, b + len - 4, 4);
      return ((a0 ^ b0) | (a1 ^ b1)) == 0;
    }
  return memcmp (a, b, len) == 0;
}

/* The entry @hint of an `a{sv}` of @size bytes with framing offsets of
 * @osize bytes (a constant where it is inlined), if it has the key @key
 * and is less than 256 bytes: 1 and its value unwrapped in @out, 0 if
 * not. */
static inline G_ALWAYS_INLINE int
lookup_at_hint (const guchar *data,
                gsize         size,
                gsize         osize,
                const char   *vtype,
                const char   *key,
                gsize         key_len,
                gsize         i,
                Cur          *out)
{
  gsize frame = read_offset (data + size - osize, osize);
  gsize start, end, key_end, vstart;
  const guchar *entry;

  if (frame > size || i >= div_osize (size - frame, osize))
    return 0;
  start = i == 0 ? 0 : (read_offset (data + frame + (i - 1) * osize, osize) + 7) & ~(gsize) 7;
  end = read_offset (data + frame + i * osize, osize);
  if (end > frame || start >= end || end - start > G_MAXUINT8)
    return 0;
  entry = data + start;
  key_end = entry[end - start - 1];
  vstart = (key_end + 7) & ~(gsize) 7;
  if (key_end != key_len + 1 || vstart > end - start - 1 ||
      !key_equal (entry, key, key_len + 1))
    return 0;
  out->type = vtype;
  out->data = entry + vstart;
  out->size = end - start - 1 - vstart;
  return 1;
}

/* cur_lookup() with @hint, its common case inline: an `a{sv}` with the
 * key where @hint says, in an entry of less than 256 bytes.  @out may be
 * @c: the value then replaces the object in place, which keeps the
 * cursor out of a copy through memory. */
static inline G_ALWAYS_INLINE gboolean
cur_lookup_hinted (const Cur  *c,
                   const char *key,
                   gsize       key_len,
                   Cur        *out,
                   gsize      *hint)
{
  const guchar *data = c->data;
  gsize size = c->size;

  if (c->type[3] == 'v' && size != 0)
    {
      int found;

      if (size <= G_MAXUINT8)
        found = lookup_at_hint (data, size, 1, c->type + 3, key, key_len, *hint, out);
      else if (size <= G_MAXUINT16)
        found = lookup_at_hint (data, size, 2, c->type + 3, key, key_len, *hint, out);
      else
        found = lookup_at_hint (data, size, boto_gvariant_offset_size (size), c->type + 3, key, key_len, *hint, out);
      if (found)
        return cur_unwrap (out);
    }
  {
    Cur in = *c;

    return cur_lookup (&in, key, key_len, out, hint);
  }
}

/* Value of @key in an object (new reference), NULL if absent or null. */
static Jv *
jv_lookup (const Jv   *jv,
           const char *key,
           gsize       key_len)
{
  Cur c, v;
  Jv *out;

  if (jv->kind == JV_OBJECT)
    {
      for (guint i = 0; i < jv->keys->len; i++)
        if (strcmp (g_ptr_array_index (jv->keys, i), key) == 0)
          return jv_ref (g_ptr_array_index (jv->items, i));
      return NULL;
    }
  c = jv_cur (jv);
  if (!cur_lookup (&c, key, key_len, &v, NULL))
    return NULL;
  out = jv_alloc (jv->pool, JV_VARIANT, type_jtype (v.type));
  out->vtype = v.type;
  out->data = v.data;
  out->size = v.size;
  return out;
}

static gboolean
jv_truthy (const Jv *jv)
{
  switch (jv_type (jv))
    {
    case JT_NULL:
      return FALSE;
    case JT_BOOLEAN:
      return jv_boolean (jv);
    case JT_STRING:
      return jv_string (jv)[0] != '\0';
    case JT_ARRAY:
    case JT_OBJECT:
      return jv_length (jv) > 0;
    case JT_NUMBER:
    case JT_EXPREF:
    default:
      return TRUE;
    }
}

/* ------------------------------------------------------------------ */
/* Syntax tree                                                         */
/* ------------------------------------------------------------------ */

typedef enum {
  N_IDENTITY,       /* @, or the implicit current node */
  N_FIELD,          /* name */
  N_SUBEXPR,        /* args: each applied to the result of the previous */
  N_PIPE,           /* args: same, but a projection stops at a pipe */
  N_INDEX,          /* index */
  N_SLICE,          /* slice[], has[] */
  N_PROJECTION,     /* left, right */
  N_VALUE_PROJECTION,
  N_FILTER,         /* left, right, cond */
  N_FLATTEN,        /* left */
  N_COMPARATOR,     /* cmp, left, right */
  N_OR,
  N_AND,
  N_NOT,            /* left */
  N_MULTI_LIST,     /* args */
  N_MULTI_HASH,     /* keys, args */
  N_LITERAL,        /* literal */
  N_EXPREF,         /* left */
  N_FUNCTION,       /* func, args */
} JmNodeType;

typedef enum {
  CMP_EQ,
  CMP_NE,
  CMP_LT,
  CMP_LTE,
  CMP_GT,
  CMP_GTE,
} JmCmp;

typedef struct _JmFunction JmFunction;

typedef struct _JmCtx JmCtx;

struct _JmNode
{
  JmNodeType         type;
  guint              depth;
  JmNode            *left;
  JmNode            *right;
  JmNode            *cond;
  GPtrArray         *args;     /* JmNode* */
  GPtrArray         *keys;     /* char* */
  char              *name;
  gsize              name_len;
  GVariant          *literal;
  const char        *literal_type;   /* its type string, */
  const guchar      *literal_data;   /* serialized bytes */
  gsize              literal_size;   /* and their size */
  gint64             index;
  gint64             slice[3];
  gboolean           has[3];
  JmCmp              cmp;
  const JmFunction  *func;
};

static void
jm_node_free (JmNode *node)
{
  if (node == NULL)
    return;
  g_clear_pointer (&node->left, jm_node_free);
  g_clear_pointer (&node->right, jm_node_free);
  g_clear_pointer (&node->cond, jm_node_free);
  g_clear_pointer (&node->args, g_ptr_array_unref);
  g_clear_pointer (&node->keys, g_ptr_array_unref);
  g_clear_pointer (&node->name, g_free);
  g_clear_pointer (&node->literal, g_variant_unref);
  g_free (node);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JmNode, jm_node_free)

static JmNode *
jm_node_new (JmNodeType type)
{
  JmNode *node = g_new0 (JmNode, 1);

  node->type = type;
  node->depth = 1;
  return node;
}

/* ------------------------------------------------------------------ */
/* Functions: table                                                    */
/* ------------------------------------------------------------------ */

#define TY(t)      (1u << (t))
#define TY_ANY     (TY (JT_NULL) | TY (JT_BOOLEAN) | TY (JT_NUMBER) | TY (JT_STRING) | TY (JT_ARRAY) | TY (JT_OBJECT))
#define TY_ARR_NUM (1u << 8)
#define TY_ARR_STR (1u << 9)

typedef Jv *(*JmFunc) (JmCtx    *ctx,
                       Jv      **args,
                       guint     n_args);

struct _JmFunction
{
  const char *name;
  guint       n_args;     /* the minimum when variadic */
  gboolean    variadic;
  guint       types[2];   /* the last one repeats for variadic functions */
  JmFunc      impl;
};

static const JmFunction *jm_function_lookup (const char *name);

/* ------------------------------------------------------------------ */
/* JSON (literals and quoted identifiers)                              */
/* ------------------------------------------------------------------ */

typedef struct
{
  const char *s;
  gsize       len;
  gsize       pos;
  guint       depth;
  gboolean    too_deep;
} JsonCursor;

static void
json_skip_ws (JsonCursor *c)
{
  while (c->pos < c->len && (c->s[c->pos] == ' ' || c->s[c->pos] == '\t' ||
                             c->s[c->pos] == '\n' || c->s[c->pos] == '\r'))
    c->pos++;
}

static int
hex_value (char ch)
{
  if (ch >= '0' && ch <= '9')
    return ch - '0';
  if (ch >= 'a' && ch <= 'f')
    return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F')
    return ch - 'A' + 10;
  return -1;
}

static gboolean
json_read_hex4 (JsonCursor *c,
                gunichar   *out)
{
  gunichar u = 0;

  if (c->pos + 4 > c->len)
    return FALSE;
  for (int k = 0; k < 4; k++)
    {
      int h = hex_value (c->s[c->pos + k]);

      if (h < 0)
        return FALSE;
      u = (u << 4) | (gunichar) h;
    }
  c->pos += 4;
  *out = u;
  return TRUE;
}

/* At an opening quote; returns the decoded string or NULL. */
static char *
json_parse_string (JsonCursor *c)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (c->pos >= c->len || c->s[c->pos] != '"')
    return NULL;
  c->pos++;
  while (c->pos < c->len)
    {
      guchar ch = c->s[c->pos];

      if (ch == '"')
        {
          c->pos++;
          if (!g_utf8_validate_len (out->str, out->len, NULL))
            return NULL;
          return g_string_free (g_steal_pointer (&out), FALSE);
        }
      if (ch < 0x20)
        return NULL;
      if (ch != '\\')
        {
          g_string_append_c (out, ch);
          c->pos++;
          continue;
        }
      c->pos++;
      if (c->pos >= c->len)
        return NULL;
      ch = c->s[c->pos++];
      switch (ch)
        {
        case '"': g_string_append_c (out, '"'); break;
        case '\\': g_string_append_c (out, '\\'); break;
        case '/': g_string_append_c (out, '/'); break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          {
            gunichar u, low;

            if (!json_read_hex4 (c, &u))
              return NULL;
            if (u >= 0xD800 && u <= 0xDBFF)
              {
                if (c->pos + 2 > c->len || c->s[c->pos] != '\\' || c->s[c->pos + 1] != 'u')
                  return NULL;
                c->pos += 2;
                if (!json_read_hex4 (c, &low) || low < 0xDC00 || low > 0xDFFF)
                  return NULL;
                u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
              }
            else if (u >= 0xDC00 && u <= 0xDFFF)
              return NULL;
            if (u == 0)
              return NULL;   /* GVariant strings cannot hold NUL */
            g_string_append_unichar (out, u);
            break;
          }
        default:
          return NULL;
        }
    }
  return NULL;
}

static GVariant *json_parse_value (JsonCursor *c);

static GVariant *
json_null (void)
{
  return g_variant_new_maybe (G_VARIANT_TYPE_VARIANT, NULL);
}

static GVariant *
json_parse_number (JsonCursor *c)
{
  gsize start = c->pos;
  gboolean is_int = TRUE;
  g_autofree char *text = NULL;

  if (c->pos < c->len && c->s[c->pos] == '-')
    c->pos++;
  if (c->pos >= c->len || !g_ascii_isdigit (c->s[c->pos]))
    return NULL;
  if (c->s[c->pos] == '0')
    c->pos++;
  else
    while (c->pos < c->len && g_ascii_isdigit (c->s[c->pos]))
      c->pos++;
  if (c->pos < c->len && c->s[c->pos] == '.')
    {
      is_int = FALSE;
      c->pos++;
      if (c->pos >= c->len || !g_ascii_isdigit (c->s[c->pos]))
        return NULL;
      while (c->pos < c->len && g_ascii_isdigit (c->s[c->pos]))
        c->pos++;
    }
  if (c->pos < c->len && (c->s[c->pos] == 'e' || c->s[c->pos] == 'E'))
    {
      is_int = FALSE;
      c->pos++;
      if (c->pos < c->len && (c->s[c->pos] == '+' || c->s[c->pos] == '-'))
        c->pos++;
      if (c->pos >= c->len || !g_ascii_isdigit (c->s[c->pos]))
        return NULL;
      while (c->pos < c->len && g_ascii_isdigit (c->s[c->pos]))
        c->pos++;
    }
  text = g_strndup (c->s + start, c->pos - start);
  if (is_int)
    {
      gint64 i;

      errno = 0;
      i = g_ascii_strtoll (text, NULL, 10);
      if (errno == 0)
        return g_variant_new_int64 (i);
    }
  return g_variant_new_double (g_ascii_strtod (text, NULL));
}

static GVariant *
json_parse_value (JsonCursor *c)
{
  json_skip_ws (c);
  if (c->pos >= c->len)
    return NULL;

  switch (c->s[c->pos])
    {
    case '{':
      {
        g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
        g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
        GVariantBuilder builder;

        if (++c->depth > BOTO_JMESPATH_MAX_PARSE_DEPTH)
          {
            c->too_deep = TRUE;
            return NULL;
          }
        c->pos++;
        json_skip_ws (c);
        if (c->pos < c->len && c->s[c->pos] == '}')
          c->pos++;
        else
          for (;;)
            {
              g_autofree char *key = NULL;
              GVariant *value;
              guint k;

              json_skip_ws (c);
              key = json_parse_string (c);
              if (key == NULL)
                return NULL;
              json_skip_ws (c);
              if (c->pos >= c->len || c->s[c->pos] != ':')
                return NULL;
              c->pos++;
              value = json_parse_value (c);
              if (value == NULL)
                return NULL;
              value = g_variant_ref_sink (value);
              /* A repeated key keeps its place and takes the last value. */
              for (k = 0; k < keys->len; k++)
                if (strcmp (g_ptr_array_index (keys, k), key) == 0)
                  break;
              if (k < keys->len)
                {
                  g_variant_unref (g_ptr_array_index (values, k));
                  g_ptr_array_index (values, k) = value;
                }
              else
                {
                  g_ptr_array_add (keys, g_steal_pointer (&key));
                  g_ptr_array_add (values, value);
                }
              json_skip_ws (c);
              if (c->pos < c->len && c->s[c->pos] == ',')
                {
                  c->pos++;
                  continue;
                }
              if (c->pos < c->len && c->s[c->pos] == '}')
                {
                  c->pos++;
                  break;
                }
              return NULL;
            }
        c->depth--;
        g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
        for (guint k = 0; k < keys->len; k++)
          g_variant_builder_add (&builder, "{sv}", g_ptr_array_index (keys, k),
                                 g_ptr_array_index (values, k));
        return g_variant_builder_end (&builder);
      }
    case '[':
      {
        g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
        GVariantBuilder builder;

        if (++c->depth > BOTO_JMESPATH_MAX_PARSE_DEPTH)
          {
            c->too_deep = TRUE;
            return NULL;
          }
        c->pos++;
        json_skip_ws (c);
        if (c->pos < c->len && c->s[c->pos] == ']')
          c->pos++;
        else
          for (;;)
            {
              GVariant *value = json_parse_value (c);

              if (value == NULL)
                return NULL;
              g_ptr_array_add (values, g_variant_ref_sink (value));
              json_skip_ws (c);
              if (c->pos < c->len && c->s[c->pos] == ',')
                {
                  c->pos++;
                  continue;
                }
              if (c->pos < c->len && c->s[c->pos] == ']')
                {
                  c->pos++;
                  break;
                }
              return NULL;
            }
        c->depth--;
        g_variant_builder_init (&builder, G_VARIANT_TYPE ("av"));
        for (guint k = 0; k < values->len; k++)
          g_variant_builder_add (&builder, "v", g_ptr_array_index (values, k));
        return g_variant_builder_end (&builder);
      }
    case '"':
      {
        char *s = json_parse_string (c);

        return s != NULL ? g_variant_new_take_string (s) : NULL;
      }
    case 't':
      if (c->len - c->pos >= 4 && strncmp (c->s + c->pos, "true", 4) == 0)
        {
          c->pos += 4;
          return g_variant_new_boolean (TRUE);
        }
      return NULL;
    case 'f':
      if (c->len - c->pos >= 5 && strncmp (c->s + c->pos, "false", 5) == 0)
        {
          c->pos += 5;
          return g_variant_new_boolean (FALSE);
        }
      return NULL;
    case 'n':
      if (c->len - c->pos >= 4 && strncmp (c->s + c->pos, "null", 4) == 0)
        {
          c->pos += 4;
          return json_null ();
        }
      return NULL;
    default:
      return json_parse_number (c);
    }
}

/* A whole JSON document; NULL if it is not one.  (transfer full) */
static GVariant *
json_parse (const char *s,
            gsize       len,
            gboolean   *too_deep)
{
  JsonCursor c = { s, len, 0, 0, FALSE };
  GVariant *v = json_parse_value (&c);

  if (too_deep != NULL)
    *too_deep = c.too_deep;
  if (v == NULL)
    return NULL;
  v = g_variant_ref_sink (v);
  json_skip_ws (&c);
  if (c.pos != c.len)
    {
      g_variant_unref (v);
      return NULL;
    }
  return v;
}

/* ------------------------------------------------------------------ */
/* Lexer                                                               */
/* ------------------------------------------------------------------ */

typedef enum {
  T_EOF,
  T_IDENT,
  T_QIDENT,
  T_LITERAL,
  T_NUMBER,
  T_DOT,
  T_STAR,
  T_FLATTEN,
  T_FILTER,
  T_LBRACKET,
  T_RBRACKET,
  T_LBRACE,
  T_RBRACE,
  T_LPAREN,
  T_RPAREN,
  T_COMMA,
  T_COLON,
  T_PIPE,
  T_OR,
  T_AND,
  T_NOT,
  T_EXPREF,
  T_CURRENT,
  T_EQ,
  T_NE,
  T_LT,
  T_LTE,
  T_GT,
  T_GTE,
  N_TOKEN_TYPES
} TokenType;

static const char * const token_names[] = {
  "end of expression", "identifier", "quoted identifier", "literal", "number",
  "'.'", "'*'", "'[]'", "'[?'", "'['", "']'", "'{'", "'}'", "'('", "')'",
  "','", "':'", "'|'", "'||'", "'&&'", "'!'", "'&'", "'@'", "'=='", "'!='",
  "'<'", "'<='", "'>'", "'>='",
};

/* Binding powers of the Pratt parser. */
static const int binding_power[N_TOKEN_TYPES] = {
  [T_PIPE] = 1,
  [T_OR] = 2,
  [T_AND] = 3,
  [T_EQ] = 5, [T_NE] = 5, [T_LT] = 5, [T_LTE] = 5, [T_GT] = 5, [T_GTE] = 5,
  [T_FLATTEN] = 9,
  [T_STAR] = 20,
  [T_FILTER] = 21,
  [T_DOT] = 40,
  [T_NOT] = 45,
  [T_LBRACE] = 50,
  [T_LBRACKET] = 55,
  [T_LPAREN] = 60,
};

typedef struct
{
  TokenType  type;
  gsize      start;     /* byte offset */
  char      *text;      /* identifiers */
  gint64     number;
  GVariant  *literal;
} Token;

static void
token_clear (Token *t)
{
  g_clear_pointer (&t->text, g_free);
  g_clear_pointer (&t->literal, g_variant_unref);
}

typedef struct
{
  const char  *expression;
  gsize        len;
  GArray      *tokens;
  guint        pos;
  guint        depth;
  GError      *error;
} Parser;

static void G_GNUC_PRINTF (4, 5)
parser_fail (Parser     *p,
             int         code,
             gsize       byte_offset,
             const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;
  glong offset;

  if (p->error != NULL)
    return;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  offset = g_utf8_pointer_to_offset (p->expression, p->expression + MIN (byte_offset, p->len));
  if (code == BOTO_JMESPATH_ERROR_SYNTAX)
    g_set_error (&p->error, BOTO_JMESPATH_ERROR, code,
                 "Syntax error at offset %ld of “%s”: %s", offset, p->expression, message);
  else
    g_set_error (&p->error, BOTO_JMESPATH_ERROR, code,
                 "Error at offset %ld of “%s”: %s", offset, p->expression, message);
}

/* Reads up to an unescaped @delim (a backslash escapes the next byte);
 * returns the raw text in between, or NULL if it is not closed. */
static char *
lex_until (Parser *p,
           gsize  *pos,
           char    delim)
{
  gsize i = *pos + 1;
  gsize start = i;

  while (i < p->len && p->expression[i] != delim)
    {
      if (p->expression[i] == '\\')
        i++;
      i++;
    }
  if (i >= p->len)
    return NULL;
  *pos = i + 1;
  return g_strndup (p->expression + start, i - start);
}

static char *
replace_escape (const char *text,
                char        ch)
{
  GString *out = g_string_sized_new (strlen (text));

  for (const char *s = text; *s != '\0'; s++)
    {
      if (s[0] == '\\' && s[1] == ch)
        {
          g_string_append_c (out, ch);
          s++;
        }
      else
        g_string_append_c (out, *s);
    }
  return g_string_free (out, FALSE);
}

static gboolean
lex (Parser *p)
{
  gsize i = 0;
  const char *s = p->expression;

  while (i < p->len)
    {
      Token t = { 0, i, NULL, 0, NULL };
      char ch = s[i];
      char next = i + 1 < p->len ? s[i + 1] : '\0';

      if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r')
        {
          i++;
          continue;
        }

      if (g_ascii_isalpha (ch) || ch == '_')
        {
          gsize start = i;

          while (i < p->len && (g_ascii_isalnum (s[i]) || s[i] == '_'))
            i++;
          t.type = T_IDENT;
          t.text = g_strndup (s + start, i - start);
        }
      else if (g_ascii_isdigit (ch) || (ch == '-' && g_ascii_isdigit (next)))
        {
          gsize start = i;
          g_autofree char *digits = NULL;

          i++;
          while (i < p->len && g_ascii_isdigit (s[i]))
            i++;
          digits = g_strndup (s + start, i - start);
          errno = 0;
          t.number = g_ascii_strtoll (digits, NULL, 10);
          if (errno != 0)
            {
              parser_fail (p, BOTO_JMESPATH_ERROR_SYNTAX, start, "number out of range");
              return FALSE;
            }
          t.type = T_NUMBER;
        }
      else if (ch == '"')
        {
          g_autofree char *raw = lex_until (p, &i, '"');
          g_autofree char *quoted = NULL;

          if (raw == NULL)
            {
              parser_fail (p, BOTO_JMESPATH_ERROR_SYNTAX, t.start, "unclosed quoted identifier");
              return FALSE;
            }
          quoted = g_strdup_printf ("\"%s\"", raw);
          {
            JsonCursor c = { quoted, strlen (quoted), 0, 0, FALSE };

            t.text = json_parse_string (&c);
            if (t.text == NULL || c.pos != c.len)
              {
                g_clear_pointer (&t.text, g_free);
                parser_fail (p, BOTO_JMESPATH_ERROR_SYNTAX, t.start, "invalid quoted identifier");
                return FALSE;
              }
          }
          t.type = T_QIDENT;
        }
      else if (ch == '\'')
        {
          g_autofree char *raw = lex_until (p, &i, '\'');

          if (raw == NULL)
            {
              parser_fail (p, BOTO_JMESPATH_ERROR_SYNTAX, t.start, "unclosed raw string literal");
              return FALSE;
            }
          t.type = T_LITERAL;
          t.literal = g_variant_ref_sink (g_variant_new_take_string (replace_escape (raw, '\'')));
        }
      else if (ch == '`')
        {
          g_autofree char *raw = lex_until (p, &i, '`');
          g_autofree char *json = NULL;
          gboolean too_deep = FALSE;

          if (raw == NULL)
            {
              parser_fail (p, BOTO_JMESPATH_ERROR_SYNTAX, t.start, "unclosed JSON literal");
              return FALSE;
            }
          json = replace_escape (raw, '`');
          t.literal = json_parse (json, strlen (json), &too_deep);
          if (too_deep)
            {
              parser_fail (p, BOTO_JMESPATH_ERROR_SYNTAX, t.start, "JSON literal too deeply nested");
              return FALSE;
            }
          if (t.literal == NULL)
            {
              /* The deprecated form: an unquoted string, `foo`. */
              const char *body = json;
              g_autofree char *quoted = NULL;

              while (*body == ' ' || *body == '\t' || *body == '\n' || *body == '\r')
                body++;
              quoted = g_strdup_printf ("\"%s\"", body);
              t.literal = json_parse (quoted, strlen (quoted), NULL);
              if (t.literal != NULL && !g_variant_is_of_type (t.literal, G_VARIANT_TYPE_STRING))
                g_clear_pointer (&t.literal, g_variant_unref);
            }
          if (t.literal == NULL)
            {
              parser_fail (p, BOTO_JMESPATH_ERROR_SYNTAX, t.start, "invalid JSON literal");
              return FALSE;
            }
          t.type = T_LITERAL;
        }
      else
        {
          i++;
          switch (ch)
            {
            case '.': t.type = T_DOT; break;
            case '*': t.type = T_STAR; break;
            case ']': t.type = T_RBRACKET; break;
            case '{': t.type = T_LBRACE; break;
            case '}': t.type = T_RBRACE; break;
            case '(': t.type = T_LPAREN; break;
            case ')': t.type = T_RPAREN; break;
            case ',': t.type = T_COMMA; break;
            case ':': t.type = T_COLON; break;
            case '@': t.type = T_CURRENT; break;
            case '[':
              if (next == '?')
                {
                  t.type = T_FILTER;
                  i++;
                }
              else if (next == ']')
                {
                  t.type = T_FLATTEN;
                  i++;
                }
              else
                t.type = T_LBRACKET;
              break;
            case '|':
              t.type = next == '|' ? T_OR : T_PIPE;
              i += next == '|';
              break;
            case '&':
              t.type = next == '&' ? T_AND : T_EXPREF;
              i += next == '&';
              break;
            case '!':
              t.type = next == '=' ? T_NE : T_NOT;
              i += next == '=';
              break;
            case '<':
              t.type = next == '=' ? T_LTE : T_LT;
              i += next == '=';
              break;
            case '>':
              t.type = next == '=' ? T_GTE : T_GT;
              i += next == '=';
              break;
            case '=':
              if (next == '=')
                {
                  t.type = T_EQ;
                  i++;
                  break;
                }
              parser_fail (p, BOTO_JMESPATH_ERROR_SYNTAX, t.start, "'=' is not an operator (did you mean '=='?)");
              return FALSE;
            default:
              parser_fail (p, BOTO_JMESPATH_ERROR_SYNTAX, t.start, "unexpected character");
              return FALSE;
            }
        }
      g_array_append_val (p->tokens, t);
    }

  {
    Token eof = { T_EOF, p->len, NULL, 0, NULL };

    g_array_append_val (p->tokens, eof);
  }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Parser                                                              */
/* ------------------------------------------------------------------ */

static inline Token *
peek (Parser *p,
      guint   ahead)
{
  guint i = MIN (p->pos + ahead, p->tokens->len - 1);

  return &g_array_index (p->tokens, Token, i);
}

static inline TokenType
current (Parser *p)
{
  return peek (p, 0)->type;
}

static inline Token *
advance (Parser *p)
{
  Token *t = peek (p, 0);

  if (p->pos < p->tokens->len - 1)
    p->pos++;
  return t;
}

static gboolean
match (Parser    *p,
       TokenType  type)
{
  Token *t = peek (p, 0);

  if (t->type != type)
    {
      parser_fail (p, BOTO_JMESPATH_ERROR_SYNTAX, t->start, "expected %s, found %s",
                   token_names[type], token_names[t->type]);
      return FALSE;
    }
  advance (p);
  return TRUE;
}

/* Records the depth of a finished node; fails if the tree is too deep. */
static JmNode *
finish (Parser *p,
        JmNode *node,
        gsize   at)
{
  guint depth = 0;

  if (node->left != NULL)
    depth = MAX (depth, node->left->depth);
  if (node->right != NULL)
    depth = MAX (depth, node->right->depth);
  if (node->cond != NULL)
    depth = MAX (depth, node->cond->depth);
  if (node->args != NULL)
    for (guint i = 0; i < node->args->len; i++)
      depth = MAX (depth, ((JmNode *) g_ptr_array_index (node->args, i))->depth);
  node->depth = depth + 1;
  if (node->depth > BOTO_JMESPATH_MAX_TREE_DEPTH)
    {
      parser_fail (p, BOTO_JMESPATH_ERROR_SYNTAX, at, "expression too deeply nested");
      jm_node_free (node);
      return NULL;
    }
  return node;
}

static JmNode *
binary (Parser     *p,
        JmNodeType  type,
        JmNode     *left,
        JmNode     *right,
        gsize       at)
{
  JmNode *node;

  if (left == NULL || right == NULL)
    {
      jm_node_free (left);
      jm_node_free (right);
      return NULL;
    }
  node = jm_node_new (type);
  node->left = left;
  node->right = right;
  return finish (p, node, at);
}

/* Appends @right to a chain of @type (a sub-expression or a pipe). */
static JmNode *
chain (Parser     *p,
       JmNodeType  type,
       JmNode     *left,
       JmNode     *right,
       gsize       at)
{
  JmNode *node;

  if (left == NULL || right == NULL)
    {
      jm_node_free (left);
      jm_node_free (right);
      return NULL;
    }
  if (left->type == type)
    node = left;
  else
    {
      node = jm_node_new (type);
      node->args = g_ptr_array_new_with_free_func ((GDestroyNotify) jm_node_free);
      g_ptr_array_add (node->args, left);
    }
  g_ptr_array_add (node->args, right);
  return finish (p, node, at);
}

static JmNode *parse_expression (Parser *p,
                                 int     rbp);

static JmNode *parse_dot_rhs (Parser *p,
                              int     rbp);

static JmNode *
parse_projection_rhs (Parser *p,
                      int     rbp)
{
  Token *t = peek (p, 0);

  if (binding_power[t->type] < 10)
    return jm_node_new (N_IDENTITY);
  if (t->type == T_LBRACKET || t->type == T_FILTER)
    return parse_expression (p, rbp);
  if (t->type == T_DOT)
    {
      advance (p);
      return parse_dot_rhs (p, rbp);
    }
  parser_fail (p, BOTO_JMESPATH_ERROR_SYNTAX, t->start,
               "unexpected %s after a projection", token_names[t->type]);
  return NULL;
}

static JmNode *parse_multi_select_list (Parser *p, gsize at);
static JmNode *parse_multi_select_hash (Parser *p, gsize at);

static JmNode *
parse_dot_rhs (Parser *p,
               int     rbp)
{
  Token *t = peek (p, 0);

  switch (t->type)
    {
    case T_IDENT:
    case T_QIDENT:
    case T_STAR:
      return parse_expression (p, rbp);
    case T_LBRACKET:
      advance (p);
      return parse_multi_select_list (p, t->start);
    case T_LBRACE:
      advance (p);
      return parse_multi_select_hash (p, t->start);
    default:
      parser_fail (p, BOTO_JMESPATH_ERROR_SYNTAX, t->start,
                   "expected an identifier, '*', '[' or '{' after '.', found %s", token_names[t->type]);
      return NULL;
    }
}

/* After '[' with a number or ':' next: an index or a slice. */
static JmNode *
parse_index_expression (Parser *p)
{
  Token *t = peek (p, 0);

  if (t->type == T_COLON || peek (p, 1)->type == T_COLON)
    {
      g_autoptr(JmNode) node = jm_node_new (N_SLICE);
      guint part = 0;

      while (current (p) != T_RBRACKET)
        {
          t = peek (p, 0);
          if (t->type == T_COLON)
            {
              if (++part == 3)
                {
                  parser_fail (p, BOTO_JMESPATH_ERROR_SYNTAX, t->start, "too many ':' in a slice");
                  return NULL;
                }
            }
          else if (t->type == T_NUMBER && !node->has[part])
            {
              node->slice[part] = t->number;
              node->has[part] = TRUE;
            }
          else
            {
              parser_fail (p, BOTO_JMESPATH_ERROR_SYNTAX, t->start,
                           "unexpected %s in a slice", token_names[t->type]);
              return NULL;
            }
          advance (p);
        }
      t = peek (p, 0);
      if (!match (p, T_RBRACKET))
        return NULL;
      if (node->has[2] && node->slice[2] == 0)
        {
          parser_fail (p, BOTO_JMESPATH_ERROR_INVALID_VALUE, t->start, "slice step cannot be 0");
          return NULL;
        }
      return g_steal_pointer (&node);
    }
  else
    {
      JmNode *node;

      if (!match (p, T_NUMBER))
        return NULL;
      if (!match (p, T_RBRACKET))
        return NULL;
      node = jm_node_new (N_INDEX);
      node->index = t->number;
      return node;
    }
}

static JmNode *
project_if_slice (Parser *p,
                  JmNode *left,
                  JmNode *right,
                  gsize   at)
{
  gboolean is_slice = right != NULL && right->type == N_SLICE;
  JmNode *index = chain (p, N_SUBEXPR, left, right, at);

  if (index == NULL || !is_slice)
    return index;
  return binary (p, N_PROJECTION, index, parse_projection_rhs (p, binding_power[T_STAR]), at);
}

static JmNode *
parse_filter (Parser *p,
              JmNode *left,
              gsize   at)
{
  g_autoptr(JmNode) cond = NULL;
  JmNode *right, *node;

  cond = parse_expression (p, 0);
  if (cond == NULL || !match (p, T_RBRACKET))
    {
      jm_node_free (left);
      return NULL;
    }
  if (current (p) == T_FLATTEN)
    right = jm_node_new (N_IDENTITY);
  else
    right = parse_projection_rhs (p, binding_power[T_FILTER]);
  if (right == NULL)
    {
      jm_node_free (left);
      return NULL;
    }
  node = jm_node_new (N_FILTER);
  node->left = left;
  node->right = right;
  node->cond = g_steal_pointer (&cond);
  return finish (p, node, at);
}

static JmNode *
parse_multi_select_list (Parser *p,
                         gsize   at)
{
  g_autoptr(JmNode) node = jm_node_new (N_MULTI_LIST);

  node->args = g_ptr_array_new_with_free_func ((GDestroyNotify) jm_node_free);
  for (;;)
    {
      JmNode *item = parse_expression (p, 0);

      if (item == NULL)
        return NULL;
      g_ptr_array_add (node->args, item);
      if (current (p) == T_RBRACKET)
        break;
      if (!match (p, T_COMMA))
        return NULL;
    }
  if (!match (p, T_RBRACKET))
    return NULL;
  return finish (p, g_steal_pointer (&node), at);
}

static JmNode *
parse_multi_select_hash (Parser *p,
                         gsize   at)
{
  g_autoptr(JmNode) node = jm_node_new (N_MULTI_HASH);

  node->args = g_ptr_array_new_with_free_func ((GDestroyNotify) jm_node_free);
  node->keys = g_ptr_array_new_with_free_func (g_free);
  for (;;)
    {
      Token *key = peek (p, 0);
      JmNode *value;

      if (key->type != T_IDENT && key->type != T_QIDENT)
        {
          parser_fail (p, BOTO_JMESPATH_ERROR_SYNTAX, key->start,
                       "expected a key name, found %s", token_names[key->type]);
          return NULL;
        }
      advance (p);
      if (!match (p, T_COLON))
        return NULL;
      value = parse_expression (p, 0);
      if (value == NULL)
        return NULL;
      g_ptr_array_add (node->keys, g_strdup (key->text));
      g_ptr_array_add (node->args, value);
      if (current (p) == T_COMMA)
        advance (p);
      else if (current (p) == T_RBRACE)
        {
          advance (p);
          break;
        }
      else
        {
          parser_fail (p, BOTO_JMESPATH_ERROR_SYNTAX, peek (p, 0)->start,
                       "expected ',' or '}', found %s", token_names[current (p)]);
          return NULL;
        }
    }
  return finish (p, g_steal_pointer (&node), at);
}

static JmNode *
parse_function (Parser *p,
                JmNode *left,
                Token  *paren)
{
  g_autoptr(JmNode) name = left;
  g_autoptr(JmNode) node = NULL;
  const JmFunction *func;

  if (name->type != N_FIELD)
    {
      parser_fail (p, BOTO_JMESPATH_ERROR_SYNTAX, paren->start, "'(' must follow a function name");
      return NULL;
    }
  node = jm_node_new (N_FUNCTION);
  node->args = g_ptr_array_new_with_free_func ((GDestroyNotify) jm_node_free);
  if (current (p) != T_RPAREN)
    for (;;)
      {
        JmNode *arg = parse_expression (p, 0);

        if (arg == NULL)
          return NULL;
        g_ptr_array_add (node->args, arg);
        if (current (p) != T_COMMA)
          break;
        advance (p);
      }
  if (!match (p, T_RPAREN))
    return NULL;

  func = jm_function_lookup (name->name);
  if (func == NULL)
    {
      parser_fail (p, BOTO_JMESPATH_ERROR_UNKNOWN_FUNCTION, paren->start,
                   "unknown function %s()", name->name);
      return NULL;
    }
  if (func->variadic ? node->args->len < func->n_args : node->args->len != func->n_args)
    {
      parser_fail (p, BOTO_JMESPATH_ERROR_INVALID_ARITY, paren->start,
                   "%s() takes %s%u argument%s, %u given", func->name,
                   func->variadic ? "at least " : "", func->n_args,
                   func->n_args == 1 ? "" : "s", node->args->len);
      return NULL;
    }
  node->func = func;
  node->name = g_strdup (func->name);
  return finish (p, g_steal_pointer (&node), paren->start);
}

static JmNode *
nud (Parser *p,
     Token  *t)
{
  JmNode *node;

  switch (t->type)
    {
    case T_LITERAL:
      node = jm_node_new (N_LITERAL);
      node->literal = g_variant_ref (t->literal);
      node->literal_type = g_variant_get_type_string (node->literal);
      node->literal_data = g_variant_get_data (node->literal);
      node->literal_size = g_variant_get_size (node->literal);
      return node;
    case T_QIDENT:
      if (current (p) == T_LPAREN)
        {
          parser_fail (p, BOTO_JMESPATH_ERROR_SYNTAX, t->start, "a quoted identifier cannot be a function name");
          return NULL;
        }
      G_GNUC_FALLTHROUGH;
    case T_IDENT:
      node = jm_node_new (N_FIELD);
      node->name = g_strdup (t->text);
      node->name_len = strlen (node->name);
      return node;
    case T_STAR:
      {
        JmNode *right;

        if (current (p) == T_RBRACKET)
          right = jm_node_new (N_IDENTITY);
        else
          right = parse_projection_rhs (p, binding_power[T_STAR]);
        return binary (p, N_VALUE_PROJECTION, jm_node_new (N_IDENTITY), right, t->start);
      }
    case T_FILTER:
      return parse_filter (p, jm_node_new (N_IDENTITY), t->start);
    case T_LBRACE:
      return parse_multi_select_hash (p, t->start);
    case T_LPAREN:
      node = parse_expression (p, 0);
      if (node != NULL && !match (p, T_RPAREN))
        g_clear_pointer (&node, jm_node_free);
      return node;
    case T_FLATTEN:
      {
        JmNode *flatten = jm_node_new (N_FLATTEN);

        flatten->left = jm_node_new (N_IDENTITY);
        flatten = finish (p, flatten, t->start);
        return binary (p, N_PROJECTION, flatten,
                       parse_projection_rhs (p, binding_power[T_FLATTEN]), t->start);
      }
    case T_NOT:
      node = parse_expression (p, binding_power[T_NOT]);
      if (node == NULL)
        return NULL;
      {
        JmNode *not = jm_node_new (N_NOT);

        not->left = node;
        return finish (p, not, t->start);
      }
    case T_LBRACKET:
      if (current (p) == T_NUMBER || current (p) == T_COLON)
        return project_if_slice (p, jm_node_new (N_IDENTITY), parse_index_expression (p), t->start);
      if (current (p) == T_STAR && peek (p, 1)->type == T_RBRACKET)
        {
          advance (p);
          advance (p);
          return binary (p, N_PROJECTION, jm_node_new (N_IDENTITY),
                         parse_projection_rhs (p, binding_power[T_STAR]), t->start);
        }
      return parse_multi_select_list (p, t->start);
    case T_CURRENT:
      return jm_node_new (N_IDENTITY);
    case T_EXPREF:
      node = parse_expression (p, 0);
      if (node == NULL)
        return NULL;
      {
        JmNode *expref = jm_node_new (N_EXPREF);

        expref->left = node;
        return finish (p, expref, t->start);
      }
    case T_EOF:
      parser_fail (p, BOTO_JMESPATH_ERROR_SYNTAX, t->start, "unexpected end of expression");
      return NULL;
    default:
      parser_fail (p, BOTO_JMESPATH_ERROR_SYNTAX, t->start, "unexpected %s", token_names[t->type]);
      return NULL;
    }
}

static JmNode *
led (Parser *p,
     Token  *t,
     JmNode *left)
{
  switch (t->type)
    {
    case T_DOT:
      if (current (p) != T_STAR)
        return chain (p, N_SUBEXPR, left, parse_dot_rhs (p, binding_power[T_DOT]), t->start);
      advance (p);
      return binary (p, N_VALUE_PROJECTION, left,
                     parse_projection_rhs (p, binding_power[T_DOT]), t->start);
    case T_PIPE:
      return chain (p, N_PIPE, left, parse_expression (p, binding_power[T_PIPE]), t->start);
    case T_OR:
      return binary (p, N_OR, left, parse_expression (p, binding_power[T_OR]), t->start);
    case T_AND:
      return binary (p, N_AND, left, parse_expression (p, binding_power[T_AND]), t->start);
    case T_LPAREN:
      return parse_function (p, left, t);
    case T_FILTER:
      return parse_filter (p, left, t->start);
    case T_EQ:
    case T_NE:
    case T_LT:
    case T_LTE:
    case T_GT:
    case T_GTE:
      {
        JmNode *node = binary (p, N_COMPARATOR, left, parse_expression (p, binding_power[t->type]), t->start);

        if (node != NULL)
          node->cmp = t->type == T_EQ ? CMP_EQ : t->type == T_NE ? CMP_NE :
                      t->type == T_LT ? CMP_LT : t->type == T_LTE ? CMP_LTE :
                      t->type == T_GT ? CMP_GT : CMP_GTE;
        return node;
      }
    case T_FLATTEN:
      {
        JmNode *flatten = jm_node_new (N_FLATTEN);

        flatten->left = left;
        flatten = finish (p, flatten, t->start);
        if (flatten == NULL)
          return NULL;
        return binary (p, N_PROJECTION, flatten,
                       parse_projection_rhs (p, binding_power[T_FLATTEN]), t->start);
      }
    case T_LBRACKET:
      if (current (p) == T_NUMBER || current (p) == T_COLON)
        return project_if_slice (p, left, parse_index_expression (p), t->start);
      if (!match (p, T_STAR) || !match (p, T_RBRACKET))
        {
          jm_node_free (left);
          return NULL;
        }
      return binary (p, N_PROJECTION, left,
                     parse_projection_rhs (p, binding_power[T_STAR]), t->start);
    default:
      parser_fail (p, BOTO_JMESPATH_ERROR_SYNTAX, t->start, "unexpected %s", token_names[t->type]);
      jm_node_free (left);
      return NULL;
    }
}

static JmNode *
parse_expression (Parser *p,
                  int     rbp)
{
  JmNode *left;
  Token *t;

  if (p->depth >= BOTO_JMESPATH_MAX_PARSE_DEPTH)
    {
      parser_fail (p, BOTO_JMESPATH_ERROR_SYNTAX, peek (p, 0)->start, "expression too deeply nested");
      return NULL;
    }
  p->depth++;

  t = advance (p);
  left = nud (p, t);
  while (left != NULL && rbp < binding_power[current (p)])
    {
      t = advance (p);
      left = led (p, t, left);
    }

  p->depth--;
  return left;
}

static JmNode *
jm_compile (const char  *expression,
            GError     **error)
{
  Parser p = { expression, strlen (expression), NULL, 0, 0, NULL };
  JmNode *root = NULL;
  const char *bad;

  if (!g_utf8_validate (expression, -1, &bad))
    {
      g_set_error (error, BOTO_JMESPATH_ERROR, BOTO_JMESPATH_ERROR_SYNTAX,
                   "Syntax error at byte offset %ld: invalid UTF-8", (long) (bad - expression));
      return NULL;
    }

  p.tokens = g_array_new (FALSE, TRUE, sizeof (Token));
  g_array_set_clear_func (p.tokens, (GDestroyNotify) token_clear);

  if (lex (&p))
    {
      root = parse_expression (&p, 0);
      if (root != NULL && current (&p) != T_EOF)
        {
          Token *t = peek (&p, 0);

          parser_fail (&p, BOTO_JMESPATH_ERROR_SYNTAX, t->start, "unexpected %s", token_names[t->type]);
          g_clear_pointer (&root, jm_node_free);
        }
    }
  g_array_unref (p.tokens);

  if (root == NULL)
    {
      g_assert (p.error != NULL);
      g_propagate_error (error, p.error);
    }
  return root;
}

/* ------------------------------------------------------------------ */
/* Evaluation                                                          */
/* ------------------------------------------------------------------ */

struct _JmCtx
{
  GError        *error;
  guint          depth;
  GVariant      *input;        /* in normal form, serialized */
  const guchar  *input_data;
  gsize          input_size;
  JvPool        *pool;
};

static void G_GNUC_PRINTF (3, 4)
ctx_fail (JmCtx      *ctx,
          int         code,
          const char *format,
          ...)
{
  va_list args;

  if (ctx->error != NULL)
    return;
  va_start (args, format);
  ctx->error = g_error_new_valist (BOTO_JMESPATH_ERROR, code, format, args);
  va_end (args);
}

static gboolean
ctx_enter (JmCtx *ctx)
{
  if (++ctx->depth > BOTO_JMESPATH_MAX_EVAL_DEPTH)
    {
      ctx_fail (ctx, BOTO_JMESPATH_ERROR_INVALID_VALUE, "value or expression nested too deeply to evaluate");
      ctx->depth--;
      return FALSE;
    }
  return TRUE;
}

static inline void
ctx_leave (JmCtx *ctx)
{
  ctx->depth--;
}

static int
compare_numbers (const Jv *a,
                 const Jv *b)
{
  gint64 ia, ib;
  double da, db;
  gboolean a_int = jv_number (a, &ia, &da);
  gboolean b_int = jv_number (b, &ib, &db);

  if (a_int && b_int)
    return ia < ib ? -1 : ia > ib;
  if (a_int)
    da = (double) ia;
  if (b_int)
    db = (double) ib;
  return da < db ? -1 : da > db;
}

static gboolean
jv_equal (JmCtx    *ctx,
          const Jv *a,
          const Jv *b)
{
  JType ta = jv_type (a), tb = jv_type (b);
  gboolean equal = FALSE;

  if (ta != tb)
    return FALSE;
  switch (ta)
    {
    case JT_NULL:
      return TRUE;
    case JT_BOOLEAN:
      return jv_boolean (a) == jv_boolean (b);
    case JT_NUMBER:
      {
        gint64 ia, ib;
        double da, db;
        gboolean a_int = jv_number (a, &ia, &da);
        gboolean b_int = jv_number (b, &ib, &db);

        if (a_int && b_int)
          return ia == ib;
        return (a_int ? (double) ia : da) == (b_int ? (double) ib : db);
      }
    case JT_STRING:
      return strcmp (jv_string (a), jv_string (b)) == 0;
    case JT_EXPREF:
      return a->node == b->node;
    case JT_ARRAY:
    case JT_OBJECT:
      break;
    }

  /* Normal forms of one type are equal exactly when their bytes are. */
  if (a == b)
    return TRUE;
  if (a->kind == JV_VARIANT && b->kind == JV_VARIANT && a->size == b->size)
    {
      gsize len = type_len (a->vtype);

      if (len == type_len (b->vtype) && memcmp (a->vtype, b->vtype, len) == 0 &&
          (a->size == 0 || memcmp (a->data, b->data, a->size) == 0))
        return TRUE;
    }
  if (!ctx_enter (ctx))
    return FALSE;
  if (ta == JT_ARRAY)
    {
      gsize n = jv_length (a);

      equal = n == jv_length (b);
      for (gsize i = 0; equal && i < n; i++)
        {
          g_autoptr(Jv) x = jv_child (a, i);
          g_autoptr(Jv) y = jv_child (b, i);

          equal = jv_equal (ctx, x, y);
        }
    }
  else
    {
      gsize n = jv_length (a);

      equal = n == jv_length (b);
      for (gsize i = 0; equal && i < n; i++)
        {
          g_autofree char *key = jv_key (a, i);
          g_autoptr(Jv) x = jv_child (a, i);
          g_autoptr(Jv) y = NULL;
          gboolean found = FALSE;

          /* Present with a null value differs from absent. */
          for (gsize j = 0; j < n && !found; j++)
            {
              g_autofree char *k = jv_key (b, j);

              if (strcmp (k, key) == 0)
                {
                  found = TRUE;
                  y = jv_child (b, j);
                }
            }
          equal = found && jv_equal (ctx, x, y);
        }
    }
  ctx_leave (ctx);
  return equal && ctx->error == NULL;
}

static Jv *eval (JmCtx        *ctx,
                 const JmNode *node,
                 Jv           *value);

static Jv *
eval_projection_items (JmCtx        *ctx,
                       const JmNode *right,
                       Jv           *base)
{
  JvIter it;
  gsize n = jv_iter_init (&it, base);
  Jv *out = jv_new_list (ctx->pool);

  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(Jv) element = jv_iter_child (&it, i);
      Jv *r = right->type == N_IDENTITY ? g_steal_pointer (&element) : eval (ctx, right, element);

      if (ctx->error != NULL)
        {
          jv_unref (r);
          jv_unref (out);
          return NULL;
        }
      if (r != NULL)
        g_ptr_array_add (out->items, r);
    }
  return out;
}

static Jv *
eval_slice (JmCtx        *ctx,
            const JmNode *node,
            Jv           *value)
{
  gint64 n = (gint64) jv_length (value);
  gint64 step = node->has[2] ? node->slice[2] : 1;
  gint64 start, stop;
  Jv *out = jv_new_list (ctx->pool);

  if (node->has[0])
    {
      start = node->slice[0];
      if (start < 0)
        {
          start += n;
          if (start < 0)
            start = step < 0 ? -1 : 0;
        }
      else if (start >= n)
        start = step < 0 ? n - 1 : n;
    }
  else
    start = step < 0 ? n - 1 : 0;

  if (node->has[1])
    {
      stop = node->slice[1];
      if (stop < 0)
        {
          stop += n;
          if (stop < 0)
            stop = step < 0 ? -1 : 0;
        }
      else if (stop >= n)
        stop = step < 0 ? n - 1 : n;
    }
  else
    stop = step < 0 ? -1 : n;

  if (step > 0)
    for (gint64 i = start; i < stop; i += step)
      g_ptr_array_add (out->items, jv_child (value, i));
  else
    for (gint64 i = start; i > stop; i += step)
      g_ptr_array_add (out->items, jv_child (value, i));
  return out;
}

static Jv *call_function (JmCtx        *ctx,
                          const JmNode *node,
                          Jv           *value);

static Jv *
eval_inner (JmCtx        *ctx,
            const JmNode *node,
            Jv           *value)
{
  switch (node->type)
    {
    case N_IDENTITY:
      return jv_ref (value);

    case N_FIELD:
      if (jv_type (value) != JT_OBJECT)
        return NULL;
      return jv_lookup (value, node->name, node->name_len);

    case N_SUBEXPR:
    case N_PIPE:
      {
        Jv *result = jv_ref (value);

        for (guint i = 0; i < node->args->len && ctx->error == NULL; i++)
          {
            Jv *next = eval (ctx, g_ptr_array_index (node->args, i), result);

            jv_unref (result);
            result = next;
          }
        return result;
      }

    case N_INDEX:
      {
        gint64 n, i = node->index;

        if (jv_type (value) != JT_ARRAY)
          return NULL;
        n = (gint64) jv_length (value);
        if (i < 0)
          i += n;
        if (i < 0 || i >= n)
          return NULL;
        return jv_child (value, i);
      }

    case N_SLICE:
      if (jv_type (value) != JT_ARRAY)
        return NULL;
      return eval_slice (ctx, node, value);

    case N_PROJECTION:
      {
        g_autoptr(Jv) base = eval (ctx, node->left, value);

        if (jv_type (base) != JT_ARRAY)
          return NULL;
        return eval_projection_items (ctx, node->right, base);
      }

    case N_VALUE_PROJECTION:
      {
        g_autoptr(Jv) base = eval (ctx, node->left, value);

        if (jv_type (base) != JT_OBJECT)
          return NULL;
        return eval_projection_items (ctx, node->right, base);
      }

    case N_FILTER:
      {
        g_autoptr(Jv) base = eval (ctx, node->left, value);
        g_autoptr(Jv) out = NULL;
        JvIter it;
        gsize n;

        if (jv_type (base) != JT_ARRAY)
          return NULL;
        out = jv_new_list (ctx->pool);
        n = jv_iter_init (&it, base);
        for (gsize i = 0; i < n && ctx->error == NULL; i++)
          {
            g_autoptr(Jv) element = jv_iter_child (&it, i);
            g_autoptr(Jv) keep = eval (ctx, node->cond, element);

            if (jv_truthy (keep))
              {
                Jv *r = eval (ctx, node->right, element);

                if (r != NULL)
                  g_ptr_array_add (out->items, r);
              }
          }
        return g_steal_pointer (&out);
      }

    case N_FLATTEN:
      {
        g_autoptr(Jv) base = eval (ctx, node->left, value);
        Jv *out;
        JvIter it;
        gsize n;

        if (jv_type (base) != JT_ARRAY)
          return NULL;
        out = jv_new_list (ctx->pool);
        n = jv_iter_init (&it, base);
        for (gsize i = 0; i < n; i++)
          {
            Jv *element = jv_iter_child (&it, i);

            if (jv_type (element) == JT_ARRAY)
              {
                JvIter inner;
                gsize m = jv_iter_init (&inner, element);

                for (gsize j = 0; j < m; j++)
                  g_ptr_array_add (out->items, jv_iter_child (&inner, j));
                jv_unref (element);
              }
            else
              g_ptr_array_add (out->items, element);
          }
        return out;
      }

    case N_COMPARATOR:
      {
        g_autoptr(Jv) a = eval (ctx, node->left, value);
        g_autoptr(Jv) b = NULL;
        int c;

        if (ctx->error != NULL)
          return NULL;
        b = eval (ctx, node->right, value);
        if (ctx->error != NULL)
          return NULL;
        if (node->cmp == CMP_EQ || node->cmp == CMP_NE)
          {
            gboolean eq = jv_equal (ctx, a, b);

            return jv_new_boolean (ctx->pool, node->cmp == CMP_EQ ? eq : !eq);
          }
        if (jv_type (a) == JT_NUMBER && jv_type (b) == JT_NUMBER)
          c = compare_numbers (a, b);
        else if (jv_type (a) == JT_STRING && jv_type (b) == JT_STRING)
          c = strcmp (jv_string (a), jv_string (b));
        else
          return NULL;
        switch (node->cmp)
          {
          case CMP_LT: return jv_new_boolean (ctx->pool, c < 0);
          case CMP_LTE: return jv_new_boolean (ctx->pool, c <= 0);
          case CMP_GT: return jv_new_boolean (ctx->pool, c > 0);
          case CMP_GTE:
          case CMP_EQ:
          case CMP_NE:
          default:
            return jv_new_boolean (ctx->pool, c >= 0);
          }
      }

    case N_OR:
      {
        Jv *a = eval (ctx, node->left, value);

        if (jv_truthy (a) || ctx->error != NULL)
          return a;
        jv_unref (a);
        return eval (ctx, node->right, value);
      }

    case N_AND:
      {
        Jv *a = eval (ctx, node->left, value);

        if (!jv_truthy (a) || ctx->error != NULL)
          return a;
        jv_unref (a);
        return eval (ctx, node->right, value);
      }

    case N_NOT:
      {
        g_autoptr(Jv) a = eval (ctx, node->left, value);

        return jv_new_boolean (ctx->pool, !jv_truthy (a));
      }

    case N_MULTI_LIST:
      {
        Jv *out;

        if (value == NULL)
          return NULL;
        out = jv_new_list (ctx->pool);
        for (guint i = 0; i < node->args->len; i++)
          g_ptr_array_add (out->items, eval (ctx, g_ptr_array_index (node->args, i), value));
        return out;
      }

    case N_MULTI_HASH:
      {
        Jv *out;

        if (value == NULL)
          return NULL;
        out = jv_new_object (ctx->pool);
        for (guint i = 0; i < node->args->len; i++)
          {
            const char *key = g_ptr_array_index (node->keys, i);
            Jv *r = eval (ctx, g_ptr_array_index (node->args, i), value);
            guint k;

            for (k = 0; k < out->keys->len; k++)
              if (strcmp (g_ptr_array_index (out->keys, k), key) == 0)
                break;
            if (k < out->keys->len)
              {
                jv_unref (g_ptr_array_index (out->items, k));
                g_ptr_array_index (out->items, k) = r;
              }
            else
              {
                g_ptr_array_add (out->keys, g_strdup (key));
                g_ptr_array_add (out->items, r);
              }
          }
        return out;
      }

    case N_LITERAL:
      /* Serialized when the expression was compiled. */
      return jv_new_cursor (ctx->pool, node->literal_type, node->literal_data, node->literal_size);

    case N_EXPREF:
      {
        Jv *jv = jv_alloc (ctx->pool, JV_EXPREF, JT_EXPREF);

        jv->node = node->left;
        return jv;
      }

    case N_FUNCTION:
      return call_function (ctx, node, value);

    default:
      g_assert_not_reached ();
    }
}

static Jv *
eval (JmCtx        *ctx,
      const JmNode *node,
      Jv           *value)
{
  Jv *result;

  if (ctx->error != NULL || !ctx_enter (ctx))
    return NULL;
  result = eval_inner (ctx, node, value);
  ctx_leave (ctx);
  if (ctx->error != NULL)
    g_clear_pointer (&result, jv_unref);
  return result;
}

/* ------------------------------------------------------------------ */
/* JSON output (to_string)                                             */
/* ------------------------------------------------------------------ */

static void
dump (JmCtx    *ctx,
      GString  *out,
      const Jv *jv)
{
  switch (jv_type (jv))
    {
    case JT_NULL:
      g_string_append (out, "null");
      return;
    case JT_BOOLEAN:
      g_string_append (out, jv_boolean (jv) ? "true" : "false");
      return;
    case JT_NUMBER:
      {
        gint64 i;
        double d;

        if (jv->vtype[0] == 't')
          {
            guint64 u;

            memcpy (&u, jv->data, sizeof u);
            g_string_append_printf (out, "%" G_GUINT64_FORMAT, u);
          }
        else if (jv_number (jv, &i, &d))
          g_string_append_printf (out, "%" G_GINT64_FORMAT, i);
        else
          boto_format_double (out, d);
        return;
      }
    case JT_STRING:
      boto_format_json_string_ascii (out, jv_string (jv), -1);
      return;
    case JT_EXPREF:
      g_string_append (out, "null");
      return;
    case JT_ARRAY:
    case JT_OBJECT:
      break;
    }

  if (!ctx_enter (ctx))
    return;
  g_string_append_c (out, jv->type == JT_ARRAY ? '[' : '{');
  for (gsize i = 0, n = jv_length (jv); i < n; i++)
    {
      g_autoptr(Jv) child = jv_child (jv, i);

      if (i > 0)
        g_string_append_c (out, ',');
      if (jv->type == JT_OBJECT)
        {
          g_autofree char *key = jv_key (jv, i);

          boto_format_json_string_ascii (out, key, -1);
          g_string_append_c (out, ':');
        }
      dump (ctx, out, child);
    }
  g_string_append_c (out, jv->type == JT_ARRAY ? ']' : '}');
  ctx_leave (ctx);
}

/* ------------------------------------------------------------------ */
/* Functions                                                           */
/* ------------------------------------------------------------------ */

/* Whether every element of an array has type @type (fast for typed arrays). */
static gboolean
array_all_of (const Jv *array,
              JType     type)
{
  gsize n;

  if (array->kind == JV_VARIANT && array->vtype[0] == 'a')
    {
      const char *elem = array->vtype + 1;

      switch (elem[0])
        {
        case 'y': case 'n': case 'q': case 'i': case 'u': case 'x': case 't': case 'h': case 'd':
          return type == JT_NUMBER;
        case 's': case 'o': case 'g':
          return type == JT_STRING;
        case 'b':
          return type == JT_BOOLEAN;
        default:
          break;
        }
    }
  n = jv_length (array);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(Jv) child = jv_child (array, i);

      if (jv_type (child) != type)
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_arg (JmCtx            *ctx,
           const JmFunction *func,
           guint             index,
           guint             types,
           const Jv         *arg)
{
  JType t = jv_type (arg);

  if (types & TY (t))
    return TRUE;
  if (t == JT_ARRAY && (types & (TY_ARR_NUM | TY_ARR_STR)))
    {
      if ((types & TY_ARR_NUM) && array_all_of (arg, JT_NUMBER))
        return TRUE;
      if ((types & TY_ARR_STR) && array_all_of (arg, JT_STRING))
        return TRUE;
      ctx_fail (ctx, BOTO_JMESPATH_ERROR_INVALID_TYPE,
                "%s(): argument %u must be an array of %s",
                func->name, index + 1,
                (types & TY_ARR_NUM) && (types & TY_ARR_STR) ? "numbers or of strings" :
                (types & TY_ARR_NUM) ? "numbers" : "strings");
      return FALSE;
    }
  {
    g_autoptr(GString) expected = g_string_new (NULL);

    for (JType k = JT_NULL; k <= JT_EXPREF; k++)
      if (types & TY (k))
        g_string_append_printf (expected, "%s%s", expected->len ? " or " : "", jtype_names[k]);
    if (types & TY_ARR_NUM)
      g_string_append_printf (expected, "%s%s", expected->len ? " or " : "", "array of numbers");
    if (types & TY_ARR_STR)
      g_string_append_printf (expected, "%s%s", expected->len ? " or " : "", "array of strings");
    ctx_fail (ctx, BOTO_JMESPATH_ERROR_INVALID_TYPE,
              "%s(): argument %u must be %s, not %s",
              func->name, index + 1, expected->str, jtype_names[t]);
  }
  return FALSE;
}

static Jv *
number_result (JmCtx   *ctx,
               gboolean is_int,
               gint64   i,
               double   d)
{
  return is_int ? jv_new_int (ctx->pool, i) : jv_new_double (ctx->pool, d);
}

/* An integral double as an integer when it fits. */
static Jv *
integral_result (JmCtx *ctx,
                 double d)
{
  if (d >= -9.2233720368547758e18 && d < 9.2233720368547758e18)
    return jv_new_int (ctx->pool, (gint64) d);
  return jv_new_double (ctx->pool, d);
}

static Jv *
fn_abs (JmCtx *ctx, Jv **args, guint n)
{
  gint64 i;
  double d;

  if (jv_number (args[0], &i, &d))
    {
      if (i >= 0)
        return jv_ref (args[0]);
      if (i == G_MININT64)
        return jv_new_double (ctx->pool, -(double) i);
      return jv_new_int (ctx->pool, -i);
    }
  return d < 0 ? jv_new_double (ctx->pool, -d) : jv_ref (args[0]);
}

static Jv *
fn_avg (JmCtx *ctx, Jv **args, guint n)
{
  gsize len = jv_length (args[0]);
  double sum = 0;

  if (len == 0)
    return NULL;
  for (gsize k = 0; k < len; k++)
    {
      g_autoptr(Jv) x = jv_child (args[0], k);

      sum += jv_double (x);
    }
  return jv_new_double (ctx->pool, sum / len);
}

static Jv *
fn_ceil (JmCtx *ctx, Jv **args, guint n)
{
  gint64 i;
  double d;

  if (jv_number (args[0], &i, &d))
    return jv_ref (args[0]);
  return integral_result (ctx, ceil (d));
}

static Jv *
fn_floor (JmCtx *ctx, Jv **args, guint n)
{
  gint64 i;
  double d;

  if (jv_number (args[0], &i, &d))
    return jv_ref (args[0]);
  return integral_result (ctx, floor (d));
}

static Jv *
fn_contains (JmCtx *ctx, Jv **args, guint n)
{
  if (jv_type (args[0]) == JT_STRING)
    {
      if (jv_type (args[1]) != JT_STRING)
        return jv_new_boolean (ctx->pool, FALSE);
      return jv_new_boolean (ctx->pool, strstr (jv_string (args[0]), jv_string (args[1])) != NULL);
    }
  for (gsize k = 0, len = jv_length (args[0]); k < len; k++)
    {
      g_autoptr(Jv) x = jv_child (args[0], k);

      if (jv_equal (ctx, x, args[1]))
        return jv_new_boolean (ctx->pool, TRUE);
    }
  return jv_new_boolean (ctx->pool, FALSE);
}

static Jv *
fn_ends_with (JmCtx *ctx, Jv **args, guint n)
{
  return jv_new_boolean (ctx->pool, g_str_has_suffix (jv_string (args[0]), jv_string (args[1])));
}

static Jv *
fn_starts_with (JmCtx *ctx, Jv **args, guint n)
{
  return jv_new_boolean (ctx->pool, g_str_has_prefix (jv_string (args[0]), jv_string (args[1])));
}

static Jv *
fn_join (JmCtx *ctx, Jv **args, guint n)
{
  const char *sep = jv_string (args[0]);
  GString *out = g_string_new (NULL);

  for (gsize k = 0, len = jv_length (args[1]); k < len; k++)
    {
      g_autoptr(Jv) x = jv_child (args[1], k);

      if (k > 0)
        g_string_append (out, sep);
      g_string_append (out, jv_string (x));
    }
  return jv_new_string_take (ctx->pool, g_string_free (out, FALSE));
}

static Jv *
fn_keys (JmCtx *ctx, Jv **args, guint n)
{
  Jv *out = jv_new_list (ctx->pool);

  for (gsize k = 0, len = jv_length (args[0]); k < len; k++)
    g_ptr_array_add (out->items, jv_new_string_take (ctx->pool, jv_key (args[0], k)));
  return out;
}

static Jv *
fn_values (JmCtx *ctx, Jv **args, guint n)
{
  Jv *out = jv_new_list (ctx->pool);

  for (gsize k = 0, len = jv_length (args[0]); k < len; k++)
    g_ptr_array_add (out->items, jv_child (args[0], k));
  return out;
}

static Jv *
fn_length (JmCtx *ctx, Jv **args, guint n)
{
  if (jv_type (args[0]) == JT_STRING)
    return jv_new_int (ctx->pool, g_utf8_strlen (jv_string (args[0]), -1));
  return jv_new_int (ctx->pool, (gint64) jv_length (args[0]));
}

static Jv *
fn_map (JmCtx *ctx, Jv **args, guint n)
{
  Jv *out = jv_new_list (ctx->pool);

  for (gsize k = 0, len = jv_length (args[1]); k < len && ctx->error == NULL; k++)
    {
      g_autoptr(Jv) x = jv_child (args[1], k);

      g_ptr_array_add (out->items, eval (ctx, args[0]->node, x));
    }
  return out;
}

static int
compare_same (const Jv *a,
              const Jv *b)
{
  if (jv_type (a) == JT_STRING)
    return strcmp (jv_string (a), jv_string (b));
  return compare_numbers (a, b);
}

static Jv *
extreme (Jv       *array,
         gboolean  want_max)
{
  Jv *best = NULL;

  for (gsize k = 0, len = jv_length (array); k < len; k++)
    {
      Jv *x = jv_child (array, k);

      if (best == NULL || (want_max ? compare_same (x, best) > 0 : compare_same (x, best) < 0))
        {
          jv_unref (best);
          best = x;
        }
      else
        jv_unref (x);
    }
  return best;
}

static Jv *
fn_max (JmCtx *ctx, Jv **args, guint n)
{
  return extreme (args[0], TRUE);
}

static Jv *
fn_min (JmCtx *ctx, Jv **args, guint n)
{
  return extreme (args[0], FALSE);
}

typedef struct
{
  Jv *key;
  Jv *item;
} SortEntry;

static void
sort_entry_clear (SortEntry *e)
{
  g_clear_pointer (&e->key, jv_unref);
  g_clear_pointer (&e->item, jv_unref);
}

static int
sort_entry_compare (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  return compare_same (((const SortEntry *) a)->key, ((const SortEntry *) b)->key);
}

/* Evaluates @expref on every element; the keys must all be numbers or all
 * strings.  Returns NULL (with an error) otherwise. */
static GArray *
keyed_entries (JmCtx      *ctx,
               const char *fname,
               Jv         *array,
               Jv         *expref)
{
  gsize len = jv_length (array);
  g_autoptr(GArray) entries = g_array_sized_new (FALSE, TRUE, sizeof (SortEntry), len);
  JType want = JT_NULL;

  g_array_set_clear_func (entries, (GDestroyNotify) sort_entry_clear);
  for (gsize k = 0; k < len; k++)
    {
      SortEntry e;
      JType t;

      e.item = jv_child (array, k);
      e.key = eval (ctx, expref->node, e.item);
      g_array_append_val (entries, e);
      if (ctx->error != NULL)
        return NULL;
      t = jv_type (e.key);
      if (k == 0)
        want = t;
      if ((t != JT_NUMBER && t != JT_STRING) || t != want)
        {
          ctx_fail (ctx, BOTO_JMESPATH_ERROR_INVALID_TYPE,
                    "%s(): the expression must give all numbers or all strings, got %s",
                    fname, jtype_names[t]);
          return NULL;
        }
    }
  return g_steal_pointer (&entries);
}

static Jv *
fn_sort_by (JmCtx *ctx, Jv **args, guint n)
{
  g_autoptr(GArray) entries = keyed_entries (ctx, "sort_by", args[0], args[1]);
  Jv *out;

  if (entries == NULL)
    return NULL;
  g_qsort_with_data (entries->data, entries->len, sizeof (SortEntry), sort_entry_compare, NULL);
  out = jv_new_list (ctx->pool);
  for (guint k = 0; k < entries->len; k++)
    g_ptr_array_add (out->items, jv_ref (g_array_index (entries, SortEntry, k).item));
  return out;
}

static Jv *
extreme_by (JmCtx      *ctx,
            const char *fname,
            Jv        **args,
            gboolean    want_max)
{
  g_autoptr(GArray) entries = keyed_entries (ctx, fname, args[0], args[1]);
  SortEntry *best = NULL;

  if (entries == NULL)
    return NULL;
  for (guint k = 0; k < entries->len; k++)
    {
      SortEntry *e = &g_array_index (entries, SortEntry, k);
      int c = best != NULL ? compare_same (e->key, best->key) : 0;

      if (best == NULL || (want_max ? c > 0 : c < 0))
        best = e;
    }
  return best != NULL ? jv_ref (best->item) : NULL;
}

static Jv *
fn_max_by (JmCtx *ctx, Jv **args, guint n)
{
  return extreme_by (ctx, "max_by", args, TRUE);
}

static Jv *
fn_min_by (JmCtx *ctx, Jv **args, guint n)
{
  return extreme_by (ctx, "min_by", args, FALSE);
}

static Jv *
fn_sort (JmCtx *ctx, Jv **args, guint n)
{
  gsize len = jv_length (args[0]);
  g_autoptr(GArray) entries = g_array_sized_new (FALSE, TRUE, sizeof (SortEntry), len);
  Jv *out;

  g_array_set_clear_func (entries, (GDestroyNotify) sort_entry_clear);
  for (gsize k = 0; k < len; k++)
    {
      SortEntry e = { jv_child (args[0], k), NULL };

      g_array_append_val (entries, e);
    }
  g_qsort_with_data (entries->data, entries->len, sizeof (SortEntry), sort_entry_compare, NULL);
  out = jv_new_list (ctx->pool);
  for (guint k = 0; k < entries->len; k++)
    g_ptr_array_add (out->items, jv_ref (g_array_index (entries, SortEntry, k).key));
  return out;
}

static Jv *
fn_merge (JmCtx *ctx, Jv **args, guint n)
{
  Jv *out = jv_new_object (ctx->pool);

  for (guint a = 0; a < n; a++)
    for (gsize k = 0, len = jv_length (args[a]); k < len; k++)
      {
        char *key = jv_key (args[a], k);
        Jv *value = jv_child (args[a], k);
        guint j;

        for (j = 0; j < out->keys->len; j++)
          if (strcmp (g_ptr_array_index (out->keys, j), key) == 0)
            break;
        if (j < out->keys->len)
          {
            g_free (key);
            jv_unref (g_ptr_array_index (out->items, j));
            g_ptr_array_index (out->items, j) = value;
          }
        else
          {
            g_ptr_array_add (out->keys, key);
            g_ptr_array_add (out->items, value);
          }
      }
  return out;
}

static Jv *
fn_not_null (JmCtx *ctx, Jv **args, guint n)
{
  for (guint a = 0; a < n; a++)
    if (args[a] != NULL)
      return jv_ref (args[a]);
  return NULL;
}

static Jv *
fn_reverse (JmCtx *ctx, Jv **args, guint n)
{
  Jv *out;

  if (jv_type (args[0]) == JT_STRING)
    return jv_new_string_take (ctx->pool, g_utf8_strreverse (jv_string (args[0]), -1));
  out = jv_new_list (ctx->pool);
  for (gsize len = jv_length (args[0]), k = len; k > 0; k--)
    g_ptr_array_add (out->items, jv_child (args[0], k - 1));
  return out;
}

static Jv *
fn_sum (JmCtx *ctx, Jv **args, guint n)
{
  gboolean is_int = TRUE;
  gint64 isum = 0;
  double dsum = 0;

  for (gsize k = 0, len = jv_length (args[0]); k < len; k++)
    {
      g_autoptr(Jv) x = jv_child (args[0], k);
      gint64 i;
      double d;

      if (jv_number (x, &i, &d))
        {
          gint64 next;

          if (is_int && __builtin_add_overflow (isum, i, &next))
            {
              is_int = FALSE;
              dsum = (double) isum + (double) i;
            }
          else if (is_int)
            isum = next;
          else if (!is_int)
            dsum += (double) i;
        }
      else
        {
          if (is_int)
            dsum = (double) isum;
          is_int = FALSE;
          dsum += d;
        }
    }
  return number_result (ctx, is_int, isum, dsum);
}

static Jv *
fn_to_array (JmCtx *ctx, Jv **args, guint n)
{
  Jv *out;

  if (jv_type (args[0]) == JT_ARRAY)
    return jv_ref (args[0]);
  out = jv_new_list (ctx->pool);
  g_ptr_array_add (out->items, jv_ref (args[0]));
  return out;
}

static Jv *
fn_to_number (JmCtx *ctx, Jv **args, guint n)
{
  const char *s, *p;
  gboolean digits = FALSE, is_int = TRUE;
  g_autofree char *text = NULL;
  char *end;

  if (jv_type (args[0]) == JT_NUMBER)
    return jv_ref (args[0]);
  if (jv_type (args[0]) != JT_STRING)
    return NULL;

  s = jv_string (args[0]);
  while (g_ascii_isspace (*s))
    s++;
  text = g_strdup (s);
  g_strchomp (text);
  for (p = text; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        digits = TRUE;
      else if (*p == '.' || *p == 'e' || *p == 'E')
        is_int = FALSE;
      else if ((*p == '-' || *p == '+') && (p == text || p[-1] == 'e' || p[-1] == 'E'))
        ;
      else
        return NULL;
    }
  if (!digits)
    return NULL;
  if (is_int)
    {
      gint64 i;

      errno = 0;
      i = g_ascii_strtoll (text, &end, 10);
      if (errno == 0 && *end == '\0')
        return jv_new_int (ctx->pool, i);
    }
  {
    double d = g_ascii_strtod (text, &end);

    if (*end != '\0' || !isfinite (d))
      return NULL;
    return jv_new_double (ctx->pool, d);
  }
}

static Jv *
fn_to_string (JmCtx *ctx, Jv **args, guint n)
{
  GString *out;

  if (jv_type (args[0]) == JT_STRING)
    return jv_ref (args[0]);
  out = g_string_new (NULL);
  dump (ctx, out, args[0]);
  return jv_new_string_take (ctx->pool, g_string_free (out, FALSE));
}

static Jv *
fn_type (JmCtx *ctx, Jv **args, guint n)
{
  return jv_new_string_take (ctx->pool, g_strdup (jtype_names[jv_type (args[0])]));
}

static const JmFunction functions[] = {
  { "abs", 1, FALSE, { TY (JT_NUMBER) }, fn_abs },
  { "avg", 1, FALSE, { TY_ARR_NUM }, fn_avg },
  { "ceil", 1, FALSE, { TY (JT_NUMBER) }, fn_ceil },
  { "contains", 2, FALSE, { TY (JT_ARRAY) | TY (JT_STRING), TY_ANY }, fn_contains },
  { "ends_with", 2, FALSE, { TY (JT_STRING), TY (JT_STRING) }, fn_ends_with },
  { "floor", 1, FALSE, { TY (JT_NUMBER) }, fn_floor },
  { "join", 2, FALSE, { TY (JT_STRING), TY_ARR_STR }, fn_join },
  { "keys", 1, FALSE, { TY (JT_OBJECT) }, fn_keys },
  { "length", 1, FALSE, { TY (JT_STRING) | TY (JT_ARRAY) | TY (JT_OBJECT) }, fn_length },
  { "map", 2, FALSE, { TY (JT_EXPREF), TY (JT_ARRAY) }, fn_map },
  { "max", 1, FALSE, { TY_ARR_NUM | TY_ARR_STR }, fn_max },
  { "max_by", 2, FALSE, { TY (JT_ARRAY), TY (JT_EXPREF) }, fn_max_by },
  { "merge", 1, TRUE, { TY (JT_OBJECT) }, fn_merge },
  { "min", 1, FALSE, { TY_ARR_NUM | TY_ARR_STR }, fn_min },
  { "min_by", 2, FALSE, { TY (JT_ARRAY), TY (JT_EXPREF) }, fn_min_by },
  { "not_null", 1, TRUE, { TY_ANY }, fn_not_null },
  { "reverse", 1, FALSE, { TY (JT_ARRAY) | TY (JT_STRING) }, fn_reverse },
  { "sort", 1, FALSE, { TY_ARR_NUM | TY_ARR_STR }, fn_sort },
  { "sort_by", 2, FALSE, { TY (JT_ARRAY), TY (JT_EXPREF) }, fn_sort_by },
  { "starts_with", 2, FALSE, { TY (JT_STRING), TY (JT_STRING) }, fn_starts_with },
  { "sum", 1, FALSE, { TY_ARR_NUM }, fn_sum },
  { "to_array", 1, FALSE, { TY_ANY }, fn_to_array },
  { "to_number", 1, FALSE, { TY_ANY }, fn_to_number },
  { "to_string", 1, FALSE, { TY_ANY }, fn_to_string },
  { "type", 1, FALSE, { TY_ANY }, fn_type },
  { "values", 1, FALSE, { TY (JT_OBJECT) }, fn_values },
};

static const JmFunction *
jm_function_lookup (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (functions); i++)
    if (strcmp (functions[i].name, name) == 0)
      return &functions[i];
  return NULL;
}

static Jv *
call_function (JmCtx        *ctx,
               const JmNode *node,
               Jv           *value)
{
  const JmFunction *func = node->func;
  guint n = node->args->len;
  Jv *stack_args[4] = { NULL, };
  g_autofree Jv **heap_args = n > G_N_ELEMENTS (stack_args) ? g_new0 (Jv *, n) : NULL;
  Jv **args = heap_args != NULL ? heap_args : stack_args;
  Jv *result = NULL;
  guint i;

  for (i = 0; i < n; i++)
    {
      guint types = func->types[MIN (i, G_N_ELEMENTS (func->types) - 1)];

      if (func->variadic && i >= func->n_args)
        types = func->types[func->n_args - 1];
      args[i] = eval (ctx, g_ptr_array_index (node->args, i), value);
      if (ctx->error != NULL || !check_arg (ctx, func, i, types, args[i]))
        break;
    }
  if (i == n)
    result = func->impl (ctx, args, n);
  for (i = 0; i < n; i++)
    jv_unref (args[i]);
  return result;
}

/* ------------------------------------------------------------------ */
/* Results                                                             */
/* ------------------------------------------------------------------ */

/* A growing buffer for the serialized result. */
typedef struct
{
  guchar  *data;
  gsize    len;
  gsize    cap;
} Buf;

static inline guchar *
buf_grow (Buf   *buf,
          gsize  n)
{
  guchar *p;

  if (G_UNLIKELY (buf->cap - buf->len < n))
    {
      gsize cap = MAX (buf->cap * 2, 256);

      while (cap - buf->len < n)
        cap *= 2;
      buf->data = g_realloc (buf->data, cap);
      buf->cap = cap;
    }
  p = buf->data + buf->len;
  buf->len += n;
  return p;
}

static inline void
buf_append (Buf          *buf,
            const void   *data,
            gsize         n)
{
  if (n > 0)
    memcpy (buf_grow (buf, n), data, n);
}

static inline void
pad_to (Buf   *buf,
        gsize  start,
        gsize  align)
{
  gsize rel = buf->len - start;
  gsize pad = ((rel + align) & ~align) - rel;

  if (pad > 0)
    memset (buf_grow (buf, pad), 0, pad);
}

static inline void
write_offset (Buf   *buf,
              gsize  value,
              gsize  osize)
{
  guchar *p = buf_grow (buf, osize);

  for (gsize k = 0; k < osize; k++)
    p[k] = (guchar) (value >> (8 * k));
}

static gboolean serialize_value (JmCtx      *ctx,
                                 Buf        *buf,
                                 const Jv   *jv);

/* The contents of a `v` holding @jv (an `mv` with nothing for null). */
static gboolean
serialize_boxed (JmCtx      *ctx,
                 Buf        *buf,
                 const Jv   *jv)
{
  const char *type;
  gsize type_length;

  if (jv == NULL || jv->kind == JV_EXPREF)
    {
      type = "mv";
      type_length = 2;
    }
  else
    {
      if (!serialize_value (ctx, buf, jv))
        return FALSE;
      type = jv->kind == JV_LIST ? "av" : jv->kind == JV_OBJECT ? "a{sv}" : jv->vtype;
      type_length = type_len (type);
    }
  buf_append (buf, (const guchar *) "", 1);
  buf_append (buf, (const guchar *) type, type_length);
  return TRUE;
}

/* Appends the serialized form of @jv (not null) at buf->len, which is
 * aligned for it. Lists become `av`, objects `a{sv}`. */
static gboolean
serialize_value (JmCtx      *ctx,
                 Buf        *buf,
                 const Jv   *jv)
{
  gsize start = buf->len, n, osize, body;
  g_autofree gsize *ends = NULL;

  if (jv->kind == JV_VARIANT)
    {
      if (jv->size > 0)
        buf_append (buf, jv->data, jv->size);
      return TRUE;
    }
  if (!ctx_enter (ctx))
    return FALSE;

  n = jv->items->len;
  ends = g_new (gsize, n);
  for (gsize i = 0; i < n; i++)
    {
      const Jv *item = g_ptr_array_index (jv->items, i);

      pad_to (buf, start, 7);
      if (jv->kind == JV_LIST)
        {
          if (!serialize_boxed (ctx, buf, item))
            break;
        }
      else
        {
          const char *key = g_ptr_array_index (jv->keys, i);
          gsize entry = buf->len, key_end = strlen (key) + 1;

          buf_append (buf, (const guchar *) key, key_end);
          pad_to (buf, entry, 7);
          if (!serialize_boxed (ctx, buf, item))
            break;
          write_offset (buf, key_end, boto_gvariant_offset_size_for (buf->len - entry, 1));
        }
      ends[i] = buf->len - start;
    }
  ctx_leave (ctx);
  if (ctx->error != NULL)
    return FALSE;

  body = buf->len - start;
  osize = n > 0 ? boto_gvariant_offset_size_for (body, n) : 0;
  for (gsize i = 0; i < n; i++)
    write_offset (buf, ends[i], osize);
  return TRUE;
}

/* Where a value of the input lies inside it, the result shares its bytes;
 * other values are copied. */
static GVariant *
jv_to_variant (JmCtx    *ctx,
               const Jv *jv)
{
  Buf buf = { NULL, 0, 0 };
  GVariant *out;

  if (jv == NULL || jv->kind == JV_EXPREF)
    return NULL;
  if (jv->kind == JV_VARIANT)
    {
      const GVariantType *type = (const GVariantType *) jv->vtype;
      GBytes *bytes;

      if (ctx->input_data != NULL && jv->data == ctx->input_data && jv->size == ctx->input_size &&
          type_len (jv->vtype) == strlen (g_variant_get_type_string (ctx->input)) &&
          memcmp (jv->vtype, g_variant_get_type_string (ctx->input), type_len (jv->vtype)) == 0)
        return g_variant_ref (ctx->input);
      if (ctx->input_data != NULL && (guintptr) jv->data >= (guintptr) ctx->input_data &&
          (guintptr) jv->data + jv->size <= (guintptr) ctx->input_data + ctx->input_size)
        {
          g_autoptr(GBytes) whole = g_variant_get_data_as_bytes (ctx->input);
          const guchar *base = g_bytes_get_data (whole, NULL);

          bytes = g_bytes_new_from_bytes (whole, jv->data - base, jv->size);
        }
      else
        bytes = g_bytes_new (jv->size > 0 ? jv->data : NULL, jv->size);
      out = g_variant_new_from_bytes (type, bytes, TRUE);
      g_bytes_unref (bytes);
      return g_variant_ref_sink (out);
    }

  if (!serialize_value (ctx, &buf, jv))
    {
      g_free (buf.data);
      return NULL;
    }
  {
    g_autoptr(GBytes) bytes = g_bytes_new_take (buf.data, buf.len);

    out = g_variant_new_from_bytes (jv->kind == JV_LIST ? G_VARIANT_TYPE ("av") : G_VARIANT_TYPE_VARDICT,
                                    bytes, TRUE);
  }
  return g_variant_ref_sink (out);
}

/* ------------------------------------------------------------------ */
/* Fast path: projections evaluated on cursors                         */
/* ------------------------------------------------------------------ */

/* Projections, flattens and filters whose other parts are field chains,
 * indexes, literals and comparisons (the common `A[].B[].C` and
 * `A[?x > lit].K` shapes) are evaluated here without making a value per
 * element: the lists hold cursors (a NULL type for null) and the result
 * is serialized straight from them.  Anything else, and the rare case
 * this code does not handle (equality of two different containers),
 * falls back to the general evaluator, which gives the same result. */

typedef enum {
  FAST_OK,
  FAST_NULL,       /* the result is null */
  FAST_FALLBACK,   /* use the general evaluator */
} FastStatus;

typedef struct
{
  Cur    *items;
  gsize   len;
  gsize   cap;
} CurList;

static void
cur_list_reserve (CurList *list,
                  gsize    extra)
{
  if (list->cap - list->len < extra)
    {
      list->cap = MAX (list->len + extra, list->cap * 2);
      list->items = g_renew (Cur, list->items, list->cap);
    }
}

static inline Cur *
cur_list_push (CurList *list)
{
  if (G_UNLIKELY (list->len == list->cap))
    {
      list->cap = MAX (list->cap * 2, 64);
      list->items = g_renew (Cur, list->items, list->cap);
    }
  return &list->items[list->len++];
}

/* *@dest = *@src, a field at a time: a copy as a block would read a
 * cursor just stored a field at a time in one wider load, which waits
 * until those stores are done (store forwarding fails). */
static inline G_ALWAYS_INLINE void
cur_copy (Cur       *dest,
          const Cur *src)
{
  const char *type = src->type;
  const guchar *data = src->data;

#if defined(__GNUC__)
  /* Keeps the compiler from merging the loads again. */
  __asm__ ("" : "+r" (type), "+r" (data));
#endif
  dest->type = type;
  dest->data = data;
  dest->size = src->size;
}

static gboolean
node_is_list (const JmNode *node)
{
  return node->type == N_PROJECTION || node->type == N_FILTER || node->type == N_FLATTEN;
}

/* Whether the fast path may handle @node as a single value (chain) or,
 * with @list, as a list. */
static gboolean
fast_supported (const JmNode *node,
                gboolean      list)
{
  if (list)
    {
      if (!node_is_list (node))
        return FALSE;
      if (!fast_supported (node->left, node_is_list (node->left)))
        return FALSE;
      if (node->type == N_FLATTEN)
        return TRUE;
      if (node->type == N_FILTER && !fast_supported (node->cond, FALSE))
        return FALSE;
      return fast_supported (node->right, FALSE);
    }
  switch (node->type)
    {
    case N_IDENTITY:
    case N_FIELD:
    case N_INDEX:
    case N_LITERAL:
      return TRUE;
    case N_SUBEXPR:
    case N_PIPE:
      for (guint i = 0; i < node->args->len; i++)
        if (!fast_supported (g_ptr_array_index (node->args, i), FALSE))
          return FALSE;
      return TRUE;
    case N_COMPARATOR:
    case N_AND:
    case N_OR:
      return fast_supported (node->left, FALSE) && fast_supported (node->right, FALSE);
    case N_NOT:
      return fast_supported (node->left, FALSE);
    default:
      return FALSE;
    }
}

static gboolean
cur_truthy (const Cur *c)
{
  if (c->type == NULL)
    return FALSE;
  switch (type_jtype (c->type))
    {
    case JT_BOOLEAN:
      return c->data[0] != 0;
    case JT_STRING:
      return c->size > 1 && c->data[0] != '\0';
    case JT_ARRAY:
    case JT_OBJECT:
      return c->type[0] == 'a' ? c->size > 0 : cur_tuple_length (c) > 0;
    case JT_NULL:
      return FALSE;
    case JT_NUMBER:
    case JT_EXPREF:
    default:
      return TRUE;
    }
}

/* Walks the elements of a serialized list in order. */
typedef struct
{
  const Cur    *list;
  const char   *etype;
  gsize         align, fixed, osize, frame, n, i, start;
} CurIter;

static inline gsize
cur_iter_init (CurIter   *it,
               const Cur *c)
{
  it->list = c;
  it->i = 0;
  it->start = 0;
  it->n = 0;
  if (c->type[0] != 'a')
    return it->n = cur_tuple_length (c);
  it->etype = c->type + 1;
  type_info_quick (it->etype, &it->align, &it->fixed);
  if (it->fixed != 0)
    return it->n = c->size / it->fixed;
  if (c->size == 0)
    return 0;
  it->osize = boto_gvariant_offset_size (c->size);
  it->frame = read_offset (c->data + c->size - it->osize, it->osize);
  if (it->frame > c->size)
    return 0;
  return it->n = div_osize (c->size - it->frame, it->osize);
}

/* The next element (unwrapped: a NULL type for null). */
static inline void
cur_iter_next (CurIter *it,
               Cur     *out)
{
  const Cur *c = it->list;
  gsize i = it->i++;

  if (c->type[0] != 'a')
    *out = cur_tuple_child (c, i);
  else if (it->fixed != 0)
    {
      out->type = it->etype;
      out->data = c->data + i * it->fixed;
      out->size = it->fixed;
    }
  else
    {
      gsize end = read_offset (c->data + it->frame + i * it->osize, it->osize);
      gsize start = it->start;

      if (end > it->frame || start > end)
        start = end = 0;
      out->type = it->etype;
      out->data = c->data + start;
      out->size = end - start;
      it->start = (end + it->align) & ~it->align;
    }
  if (out->type[0] == 'v' || out->type[0] == 'm')
    cur_unwrap (out);
}

static inline gboolean
cur_is_list (const Cur *c)
{
  return c->type != NULL &&
         (c->type[0] == '(' || (c->type[0] == 'a' && !type_is_object (c->type)));
}

/* @hint: for cur_lookup() when @node is a field (nullable). */
static FastStatus
fast_chain (const JmNode *node,
            Cur           in,
            Cur          *out,
            gsize        *hint)
{
  switch (node->type)
    {
    case N_IDENTITY:
      *out = in;
      return FAST_OK;

    case N_FIELD:
      if (in.type == NULL || !type_is_object (in.type))
        out->type = NULL;
      else
        {
          if (hint != NULL)
            cur_lookup_hinted (&in, node->name, node->name_len, out, hint);
          else
            cur_lookup (&in, node->name, node->name_len, out, NULL);
        }
      return FAST_OK;

    case N_SUBEXPR:
    case N_PIPE:
      for (guint i = 0; i < node->args->len; i++)
        if (fast_chain (g_ptr_array_index (node->args, i), in, &in, NULL) != FAST_OK)
          return FAST_FALLBACK;
      *out = in;
      return FAST_OK;

    case N_INDEX:
      {
        gint64 n, i = node->index;

        out->type = NULL;
        if (in.type == NULL || type_jtype (in.type) != JT_ARRAY)
          return FAST_OK;
        n = (gint64) (in.type[0] == 'a' ? cur_array_length (&in) : cur_tuple_length (&in));
        if (i < 0)
          i += n;
        if (i < 0 || i >= n)
          return FAST_OK;
        *out = in.type[0] == 'a' ? cur_array_child (&in, i) : cur_tuple_child (&in, i);
        cur_unwrap (out);
        return FAST_OK;
      }

    case N_LITERAL:
      out->type = node->literal_type;
      out->data = node->literal_data;
      out->size = node->literal_size;
      cur_unwrap (out);
      return FAST_OK;

    default:
      return FAST_FALLBACK;
    }
}

/* Lookup hints of one projection, filter or flatten. */
typedef struct
{
  gsize right;
  gsize cond_left;
  gsize cond_right;
} FastHints;

/* Truth of @node over @in: 1 or 0, -1 to fall back. */
static int
fast_cond (const JmNode *node,
           Cur           in,
           FastHints    *h)
{
  switch (node->type)
    {
    case N_COMPARATOR:
      {
        Cur a, b;
        JType ta, tb;
        int c;

        if (fast_chain (node->left, in, &a, h != NULL ? &h->cond_left : NULL) != FAST_OK ||
            fast_chain (node->right, in, &b, h != NULL ? &h->cond_right : NULL) != FAST_OK)
          return -1;
        ta = a.type == NULL ? JT_NULL : type_jtype (a.type);
        tb = b.type == NULL ? JT_NULL : type_jtype (b.type);
        if (node->cmp == CMP_EQ || node->cmp == CMP_NE)
          {
            gboolean eq;

            if (ta != tb)
              eq = FALSE;
            else
              switch (ta)
                {
                case JT_NULL:
                  eq = TRUE;
                  break;
                case JT_BOOLEAN:
                  eq = (a.data[0] != 0) == (b.data[0] != 0);
                  break;
                case JT_NUMBER:
                  {
                    gint64 ia, ib;
                    double da, db;
                    gboolean a_int = cur_number (&a, &ia, &da);
                    gboolean b_int = cur_number (&b, &ib, &db);

                    if (a_int && b_int)
                      eq = ia == ib;
                    else
                      eq = (a_int ? (double) ia : da) == (b_int ? (double) ib : db);
                  }
                  break;
                case JT_STRING:
                  eq = strcmp ((const char *) a.data, (const char *) b.data) == 0;
                  break;
                case JT_ARRAY:
                case JT_OBJECT:
                case JT_EXPREF:
                default:
                  {
                    gsize len = type_len (a.type);

                    /* Equal bytes of one type are equal; the rest is
                     * left to the general evaluator. */
                    if (a.size == b.size && len == type_len (b.type) &&
                        memcmp (a.type, b.type, len) == 0 &&
                        (a.size == 0 || memcmp (a.data, b.data, a.size) == 0))
                      eq = TRUE;
                    else
                      return -1;
                  }
                  break;
                }
            return node->cmp == CMP_EQ ? eq : !eq;
          }
        if (ta == JT_NUMBER && tb == JT_NUMBER)
          {
            gint64 ia, ib;
            double da, db;
            gboolean a_int = cur_number (&a, &ia, &da);
            gboolean b_int = cur_number (&b, &ib, &db);

            if (a_int && b_int)
              c = ia < ib ? -1 : ia > ib;
            else
              {
                if (a_int)
                  da = (double) ia;
                if (b_int)
                  db = (double) ib;
                c = da < db ? -1 : da > db;
              }
          }
        else if (ta == JT_STRING && tb == JT_STRING)
          c = strcmp ((const char *) a.data, (const char *) b.data);
        else
          return 0;   /* null */
        switch (node->cmp)
          {
          case CMP_LT: return c < 0;
          case CMP_LTE: return c <= 0;
          case CMP_GT: return c > 0;
          case CMP_GTE:
          case CMP_EQ:
          case CMP_NE:
          default:
            return c >= 0;
          }
      }

    case N_AND:
      {
        int l = fast_cond (node->left, in, NULL);

        return l <= 0 ? l : fast_cond (node->right, in, NULL);
      }

    case N_OR:
      {
        int l = fast_cond (node->left, in, NULL);

        return l != 0 ? l : fast_cond (node->right, in, NULL);
      }

    case N_NOT:
      {
        int l = fast_cond (node->left, in, NULL);

        return l < 0 ? l : !l;
      }

    default:
      {
        Cur r;

        if (fast_chain (node, in, &r, h != NULL ? &h->cond_left : NULL) != FAST_OK)
          return -1;
        return cur_truthy (&r);
      }
    }
}

/* A chain of projections, flattens and filters, innermost first, each
 * the left side of the next: every element of the innermost one's list
 * goes through all of them in turn, and what comes out of the last is
 * the result.  Streaming the elements this way gives the lists the
 * general evaluator would build, without building them. */
#define FAST_MAX_STAGES 16

/* What a stage does, worked out once per search. */
typedef enum {
  STAGE_FLATTEN,
  STAGE_FIELD,     /* a projection whose right side is a field */
  STAGE_IDENTITY,  /* a projection whose right side is `@` */
  STAGE_OTHER,     /* other projections and filters */
} FastStageOp;

typedef struct
{
  const JmNode  *stages[FAST_MAX_STAGES];
  guint8         ops[FAST_MAX_STAGES];
  FastHints      hints[FAST_MAX_STAGES];
  guint          n_stages;
  CurList       *out;
} FastPipe;

/* Stage @i, and those after it, applied to one element of its input.
 * The stages that give at most one element for one (projections,
 * filters, flattens of a non-list or of a one-element list) go on in
 * this loop; only a flatten of a longer list recurses, once per
 * element. */
static FastStatus
fast_stage (FastPipe  *pipe,
            guint      i,
            const Cur *item)
{
  Cur cur;

  cur_copy (&cur, item);
  for (;; i++)
    {
      Cur r;

      switch ((FastStageOp) pipe->ops[i])
        {
        case STAGE_FIELD:
          {
            const JmNode *right = pipe->stages[i]->right;

            if (cur.type == NULL || !type_is_object (cur.type))
              return FAST_OK;
            if (!cur_lookup_hinted (&cur, right->name, right->name_len, &cur, &pipe->hints[i].right))
              return FAST_OK;
          }
          break;

        case STAGE_IDENTITY:
          if (cur.type == NULL)
            return FAST_OK;
          break;

        case STAGE_FLATTEN:
          /* A list of arrays (`aa{sv}`, `aas` …) with one element, the
           * commonest in responses: that element, without an iterator. */
          if (cur.type != NULL && cur.type[0] == 'a' && cur.type[1] == 'a' && cur.size != 0)
            {
              gsize osize = boto_gvariant_offset_size (cur.size);
              gsize frame = read_offset (cur.data + cur.size - osize, osize);

              if (frame <= cur.size && cur.size - frame == osize)
                {
                  cur.type++;
                  cur.size = frame;
                  break;
                }
            }
          if (cur_is_list (&cur))
            {
              CurIter it;
              gsize n = cur_iter_init (&it, &cur);

              if (n == 1)
                {
                  cur_iter_next (&it, &r);
                  cur_copy (&cur, &r);
                  break;
                }
              if (i + 1 == pipe->n_stages)
                {
                  cur_list_reserve (pipe->out, n);
                  for (gsize j = 0; j < n; j++)
                    cur_iter_next (&it, &pipe->out->items[pipe->out->len++]);
                  return FAST_OK;
                }
              for (gsize j = 0; j < n; j++)
                {
                  FastStatus status;

                  cur_iter_next (&it, &r);
                  status = fast_stage (pipe, i + 1, &r);
                  if (status != FAST_OK)
                    return status;
                }
              return FAST_OK;
            }
          break;

        case STAGE_OTHER:
        default:
          {
            const JmNode *node = pipe->stages[i];

            if (node->type == N_FILTER)
              {
                int keep = fast_cond (node->cond, cur, &pipe->hints[i]);

                if (keep < 0)
                  return FAST_FALLBACK;
                if (keep == 0)
                  return FAST_OK;
              }
            if (node->right->type == N_IDENTITY)
              r = cur;
            else if (node->right->type == N_FIELD)
              {
                if (cur.type == NULL || !type_is_object (cur.type))
                  return FAST_OK;
                cur_lookup_hinted (&cur, node->right->name, node->right->name_len, &r, &pipe->hints[i].right);
              }
            else if (fast_chain (node->right, cur, &r, &pipe->hints[i].right) != FAST_OK)
              return FAST_FALLBACK;
            if (r.type == NULL)
              return FAST_OK;
            cur = r;
          }
          break;
        }
      if (i + 1 == pipe->n_stages)
        {
          cur_copy (cur_list_push (pipe->out), &cur);
          return FAST_OK;
        }
    }
}

/* The list @node (a projection, flatten or filter) gives over @in,
 * appended to @out. */
static FastStatus
fast_list (const JmNode *node,
           Cur           in,
           CurList      *out)
{
  FastPipe pipe;
  const JmNode *stage;
  Cur c;
  CurIter it;
  gsize n;
  guint k = 0;

  for (stage = node; node_is_list (stage); stage = stage->left)
    k++;
  if (k > FAST_MAX_STAGES)
    return FAST_FALLBACK;
  pipe.n_stages = k;
  pipe.out = out;
  for (stage = node; k > 0; stage = stage->left)
    {
      k--;
      pipe.stages[k] = stage;
      if (stage->type == N_FLATTEN)
        pipe.ops[k] = STAGE_FLATTEN;
      else if (stage->type == N_PROJECTION && stage->right->type == N_FIELD)
        pipe.ops[k] = STAGE_FIELD;
      else if (stage->type == N_PROJECTION && stage->right->type == N_IDENTITY)
        pipe.ops[k] = STAGE_IDENTITY;
      else
        pipe.ops[k] = STAGE_OTHER;
      pipe.hints[k].right = pipe.hints[k].cond_left = pipe.hints[k].cond_right = 0;
    }

  if (fast_chain (pipe.stages[0]->left, in, &c, NULL) != FAST_OK)
    return FAST_FALLBACK;
  if (!cur_is_list (&c))
    return FAST_NULL;
  n = cur_iter_init (&it, &c);
  cur_list_reserve (out, n);
  for (gsize i = 0; i < n; i++)
    {
      Cur item;
      FastStatus status;

      cur_iter_next (&it, &item);
      status = fast_stage (&pipe, 0, &item);
      if (status != FAST_OK)
        return status;
    }
  return FAST_OK;
}

static void
cur_list_free (gpointer data)
{
  CurList *list = data;

  g_free (list->items);
  g_free (list);
}

/* One list per thread, for the results of the fast path (up to this many
 * elements), so that each search does not allocate and free it again. */
#define FAST_CACHE_MAX 65536
static GPrivate fast_list_cache = G_PRIVATE_INIT (cur_list_free);

/* memcpy() of @n bytes, short ones without a call: words that may
 * overlap but stay within the @n bytes. */
static inline G_ALWAYS_INLINE void
copy_small (guchar       *dest,
            const guchar *src,
            gsize         n)
{
  if (n >= 8 && n <= 16)
    {
      guint64 a, b;

      memcpy (&a, src, 8);
      memcpy (&b, src + n - 8, 8);
      memcpy (dest, &a, 8);
      memcpy (dest + n - 8, &b, 8);
    }
  else if (n >= 4 && n < 8)
    {
      guint32 a, b;

      memcpy (&a, src, 4);
      memcpy (&b, src + n - 4, 4);
      memcpy (dest, &a, 4);
      memcpy (dest + n - 4, &b, 4);
    }
  else if (n > 0)
    memcpy (dest, src, n);
}

/* @list as an `av`. */
static GVariant *
cur_list_to_variant (const CurList *list)
{
  gsize body = 0, total, osize;
  guchar *data, *p;
  GBytes *bytes;
  GVariant *out;

  /* Sizes first, so that the bytes are written once, in place. */
  for (gsize i = 0; i < list->len; i++)
    {
      const Cur *item = &list->items[i];

      body = (body + 7) & ~(gsize) 7;
      body += item->type == NULL ? 3 : item->size + 1 + (item->type[0] == 's' ? 1 : type_len (item->type));
    }
  osize = list->len > 0 ? boto_gvariant_offset_size_for (body, list->len) : 0;
  total = body + osize * list->len;
  data = g_malloc (MAX (total, 1));
  p = data;
  for (gsize i = 0; i < list->len; i++)
    {
      const Cur *item = &list->items[i];
      gsize at = p - data, pad = ((at + 7) & ~(gsize) 7) - at, end;
      guchar *frame;

      /* One store, unless it would reach the framing offsets. */
      if (at + 8 <= body)
        {
          memset (p, 0, 8);
          p += pad;
        }
      else
        for (; pad > 0; pad--)
          *p++ = 0;
      if (item->type != NULL)
        {
          gsize type_length = item->type[0] == 's' ? 1 : type_len (item->type);

          copy_small (p, item->data, item->size);
          p += item->size;
          *p++ = '\0';
          if (type_length == 1)
            *p++ = item->type[0];
          else
            {
              memcpy (p, item->type, type_length);
              p += type_length;
            }
        }
      else
        {
          memcpy (p, "\0mv", 3);
          p += 3;
        }
      end = p - data;
      frame = data + body + i * osize;
      switch (osize)
        {
        case 1:
          frame[0] = (guchar) end;
          break;
        case 2:
          {
            guint16 v = GUINT16_TO_LE ((guint16) end);

            memcpy (frame, &v, 2);
          }
          break;
        case 4:
          {
            guint32 v = GUINT32_TO_LE ((guint32) end);

            memcpy (frame, &v, 4);
          }
          break;
        default:
          {
            guint64 v = GUINT64_TO_LE ((guint64) end);

            memcpy (frame, &v, 8);
          }
          break;
        }
    }
  bytes = g_bytes_new_take (data, total);
  out = g_variant_new_from_bytes (G_VARIANT_TYPE ("av"), bytes, TRUE);
  g_bytes_unref (bytes);
  return g_variant_ref_sink (out);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

struct _BotoJmespathExpression
{
  gint      ref_count;
  char     *expression;
  JmNode   *root;
  gboolean  fast;   /* a list the fast path can evaluate */
};

G_DEFINE_BOXED_TYPE (BotoJmespathExpression, boto_jmespath_expression,
                     boto_jmespath_expression_ref, boto_jmespath_expression_unref)

/**
 * boto_jmespath_expression_new:
 * @expression: a JMESPath expression
 * @error: return location for a [error@Boto.JmespathError]
 *
 * Compiles @expression.  Syntax errors, unknown functions and calls with
 * the wrong number of arguments are found here.
 *
 * Returns: (transfer full): the compiled expression, or %NULL with @error set
 *
 * Since: 1.0
 */
BotoJmespathExpression *
boto_jmespath_expression_new (const char  *expression,
                              GError     **error)
{
  BotoJmespathExpression *self;
  JmNode *root;

  g_return_val_if_fail (expression != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = jm_compile (expression, error);
  if (root == NULL)
    return NULL;
  self = g_new0 (BotoJmespathExpression, 1);
  self->ref_count = 1;
  self->expression = g_strdup (expression);
  self->root = root;
  self->fast = fast_supported (root, TRUE);
  return self;
}

/**
 * boto_jmespath_expression_ref:
 * @self: a compiled expression
 *
 * Increases the reference count of @self.
 *
 * Returns: (transfer full): @self, with one more reference
 *
 * Since: 1.0
 */
BotoJmespathExpression *
boto_jmespath_expression_ref (BotoJmespathExpression *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_int_inc (&self->ref_count);
  return self;
}

/**
 * boto_jmespath_expression_unref:
 * @self: (transfer full): a compiled expression
 *
 * Drops a reference; frees @self when it was the last one.
 *
 * Since: 1.0
 */
void
boto_jmespath_expression_unref (BotoJmespathExpression *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_int_dec_and_test (&self->ref_count))
    return;
  jm_node_free (self->root);
  g_free (self->expression);
  g_free (self);
}

/**
 * boto_jmespath_expression_get_expression:
 * @self: a compiled expression
 *
 * Gets the text the expression was compiled from.
 *
 * Returns: (transfer none): the text @self was compiled from
 *
 * Since: 1.0
 */
const char *
boto_jmespath_expression_get_expression (BotoJmespathExpression *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->expression;
}

/**
 * boto_jmespath_expression_search:
 * @self: a compiled expression
 * @data: (nullable): the data to search; a floating reference is consumed
 * @error: return location for a [error@Boto.JmespathError]
 *
 * Evaluates @self over @data, directly on the GVariant: dictionaries with
 * string keys (`a{sv}`, `a{ss}` …) are objects, other arrays (`as`, `ax`,
 * `aa{sv}`, `av` …) and tuples are lists, variants are unwrapped, a maybe
 * is null when it has no value, every integer type and `d` are numbers.
 *
 * The result is built the same way: objects are `a{sv}`, lists `av` (a
 * null inside them is an `mv` with no value), strings `s`, integers `x`,
 * other numbers `d`, booleans `b`.  A value of @data returned unchanged
 * keeps its type: `foo` on `{'foo': <['a', 'b']>}` gives that `as`.
 *
 * A compiled expression is immutable: it can be searched from several
 * threads at once.
 *
 * Returns: (transfer full) (nullable): the result, or %NULL for the
 *   JMESPath null (then @error is not set) or on error
 *
 * Since: 1.0
 */
GVariant *
boto_jmespath_expression_search (BotoJmespathExpression  *self,
                                 GVariant                *data,
                                 GError                 **error)
{
  g_autoptr(GVariant) input = NULL;
  Jv *root = NULL;
  Jv *result = NULL;
  JmCtx ctx = { NULL, 0, NULL, NULL, 0, NULL };
  JvPool pool;
  GVariant *out;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (data != NULL)
    {
      /* Walked as bytes: serialized (once: GLib keeps it) and in normal
       * form, which GLib knows without a look for trusted values. */
      input = g_variant_ref_sink (data);
      if (!g_variant_is_normal_form (input))
        {
          GVariant *normal = g_variant_get_normal_form (input);

          g_variant_unref (input);
          input = g_variant_ref_sink (normal);
        }
      ctx.input = input;
      ctx.input_data = g_variant_get_data (input);
      ctx.input_size = g_variant_get_size (input);
    }

  if (self->fast)
    {
      Cur in = { NULL, NULL, 0 };
      CurList *cached = g_private_get (&fast_list_cache);
      CurList list = { NULL, 0, 0 };
      FastStatus status;

      /* The list's memory is kept for the next search on this thread. */
      if (cached != NULL)
        {
          list = *cached;
          cached->items = NULL;
          cached->cap = 0;
        }
      list.len = 0;

      if (input != NULL)
        {
          in.type = g_variant_get_type_string (input);
          in.data = ctx.input_data;
          in.size = ctx.input_size;
          cur_unwrap (&in);
        }
      status = fast_list (self->root, in, &list);
      out = status == FAST_OK ? cur_list_to_variant (&list) : NULL;
      if (cached == NULL && list.cap <= FAST_CACHE_MAX)
        {
          cached = g_new0 (CurList, 1);
          g_private_set (&fast_list_cache, cached);
        }
      if (cached != NULL && list.cap <= FAST_CACHE_MAX && cached->items == NULL)
        {
          cached->items = list.items;
          cached->cap = list.cap;
        }
      else
        g_free (list.items);
      if (status != FAST_FALLBACK)
        return out;
    }

  jv_pool_init (&pool);
  ctx.pool = &pool;
  if (input != NULL)
    root = jv_new_cursor (&pool, g_variant_get_type_string (input), ctx.input_data, ctx.input_size);
  result = eval (&ctx, self->root, root);
  out = ctx.error == NULL ? jv_to_variant (&ctx, result) : NULL;
  jv_unref (result);
  jv_unref (root);
  jv_pool_clear (&pool);
  if (ctx.error != NULL)
    {
      g_clear_pointer (&out, g_variant_unref);
      g_propagate_error (error, ctx.error);
      return NULL;
    }
  return out;
}

/* The cache of compiled expressions: bounded, first in first out. */
static GMutex cache_lock;
static GHashTable *cache_table;   /* expression text → BotoJmespathExpression */
static GQueue cache_order = G_QUEUE_INIT;  /* the keys of cache_table, oldest first */

static BotoJmespathExpression *
cache_lookup (const char  *expression,
              GError     **error)
{
  BotoJmespathExpression *compiled;

  g_mutex_lock (&cache_lock);
  compiled = cache_table != NULL ? g_hash_table_lookup (cache_table, expression) : NULL;
  if (compiled != NULL)
    boto_jmespath_expression_ref (compiled);
  g_mutex_unlock (&cache_lock);
  if (compiled != NULL)
    return compiled;

  compiled = boto_jmespath_expression_new (expression, error);
  if (compiled == NULL)
    return NULL;

  g_mutex_lock (&cache_lock);
  if (cache_table == NULL)
    cache_table = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) boto_jmespath_expression_unref);
  if (!g_hash_table_contains (cache_table, expression))
    {
      while (g_hash_table_size (cache_table) >= BOTO_JMESPATH_CACHE_SIZE)
        g_hash_table_remove (cache_table, g_queue_pop_head (&cache_order));
      g_hash_table_insert (cache_table, compiled->expression, boto_jmespath_expression_ref (compiled));
      g_queue_push_tail (&cache_order, compiled->expression);
    }
  g_mutex_unlock (&cache_lock);
  return compiled;
}

guint
boto_jmespath_cache_get_size (void)
{
  guint size;

  g_mutex_lock (&cache_lock);
  size = cache_table != NULL ? g_hash_table_size (cache_table) : 0;
  g_mutex_unlock (&cache_lock);
  return size;
}

void
boto_jmespath_cache_clear (void)
{
  g_mutex_lock (&cache_lock);
  g_queue_clear (&cache_order);
  g_clear_pointer (&cache_table, g_hash_table_unref);
  g_mutex_unlock (&cache_lock);
}

/**
 * boto_jmespath_search:
 * @expression: a JMESPath expression
 * @data: (nullable): the data to search; a floating reference is consumed
 * @error: return location for a [error@Boto.JmespathError]
 *
 * Evaluates the JMESPath @expression over @data, as jmespath.search() does
 * in Python.  See [method@Boto.JmespathExpression.search] for how GVariant
 * values are read and how the result is built.
 *
 * Compiled expressions are kept in a bounded cache keyed by the expression
 * text, so searching with the same expression again does not parse it
 * again.  The function is safe to call from any thread.
 *
 * Returns: (transfer full) (nullable): the result, or %NULL for the
 *   JMESPath null (then @error is not set) or on error
 *
 * Since: 1.0
 */
GVariant *
boto_jmespath_search (const char  *expression,
                      GVariant    *data,
                      GError     **error)
{
  g_autoptr(BotoJmespathExpression) compiled = NULL;
  g_autoptr(GVariant) input = NULL;

  g_return_val_if_fail (expression != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (data != NULL)
    input = g_variant_ref_sink (data);
  compiled = cache_lookup (expression, error);
  if (compiled == NULL)
    return NULL;
  return boto_jmespath_expression_search (compiled, input, error);
}
