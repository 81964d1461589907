/* boto-sigv4a.c: the ECDSA P-256 key of AWS Signature Version 4a
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * SigV4a signs the string to sign with ECDSA over P-256 and SHA-256 instead
 * of an HMAC, so that one signature holds in every region of a region set.
 * The key pair is not sent anywhere: both sides derive it from the secret
 * access key. The private scalar is the first HMAC-SHA256 output of a
 * counter-mode KDF (NIST SP 800-108) that is at most n - 2, plus one:
 *
 *   K0 = HMAC-SHA256 ("AWS4A" secret_key,
 *                     be32 (1) "AWS4-ECDSA-P256-SHA256" 0x00 access_key
 *                     counter be32 (256))
 *
 * with counter = 1, 2, … (one byte, at most 254). Signatures are DER
 * (SEQUENCE of the two INTEGERs r and s), sent in hex. The elliptic curve
 * arithmetic is nettle's (hogweed), the library GnuTLS itself uses.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>
#include <nettle/ecdsa.h>
#include <nettle/hmac.h>
#include <nettle/sha2.h>

#include "boto-error.h"
#include "boto-sigv4a-private.h"

#define KEY_BYTES      32
#define MAX_COUNTER    254

struct _BotoSigV4aKey
{
  struct ecc_scalar d;   /* private */
  struct ecc_point q;    /* public: d·G */
};

/* The order n of P-256's base point, minus two, big-endian. */
static const guint8 n_minus_2[KEY_BYTES] = {
  0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
  0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x4f,
};

/* Whether big-endian @a > @b, without branching on their bytes (the
 * candidate key is secret). */
static gboolean
greater_than (const guint8 *a,
              const guint8 *b)
{
  guint gt = 0, eq = 1;

  for (gsize i = 0; i < KEY_BYTES; i++)
    {
      gint diff = (gint) b[i] - (gint) a[i];

      gt |= ((guint) diff >> 31) & eq;
      eq &= (((guint) (a[i] ^ b[i]) - 1) >> 31) & 1;
    }
  return gt != 0;
}

static void
add_one (guint8 *value)
{
  guint carry = 1;

  for (gsize i = KEY_BYTES; i-- > 0;)
    {
      guint digit = value[i] + carry;

      value[i] = (guint8) digit;
      carry = digit >> 8;
    }
}

static void
bytes_to_mpz (mpz_t         out,
              const guint8 *bytes,
              gsize         length)
{
  mpz_import (out, length, 1, 1, 1, 0, bytes);
}

/* @value as @length big-endian bytes (left-padded with zeros). */
static void
mpz_to_bytes (const mpz_t  value,
              guint8      *out,
              gsize        length)
{
  gsize count = (mpz_sizeinbase (value, 2) + 7) / 8;

  memset (out, 0, length);
  if (mpz_sgn (value) != 0 && count <= length)
    mpz_export (out + length - count, NULL, 1, 1, 1, 0, value);
}

/**
 * boto_sigv4a_key_new:
 * @access_key: the access key id
 * @secret_key: the secret access key
 * @error: return location for a #GError
 *
 * Derives the SigV4a key pair of a pair of credentials.
 *
 * Returns: (transfer full) (nullable): the key, or %NULL when no counter
 *   gives a key (it never happens in practice: each fails with a chance of
 *   about 2^-32)
 */
BotoSigV4aKey *
boto_sigv4a_key_new (const char  *access_key,
                     const char  *secret_key,
                     GError     **error)
{
  static const char label[] = BOTO_SIGV4A_ALGORITHM;
  const struct ecc_curve *curve = nettle_get_secp_256r1 ();
  g_autofree char *secret = g_strconcat ("AWS4A", secret_key, NULL);
  gsize access_length = strlen (access_key);
  g_autofree guint8 *input = g_malloc (4 + sizeof label + access_length + 1 + 4);
  guint8 k0[SHA256_DIGEST_SIZE];
  struct hmac_sha256_ctx hmac;
  BotoSigV4aKey *key;
  gsize length = 0;
  guint counter;
  mpz_t d;

  g_return_val_if_fail (access_key != NULL && secret_key != NULL, NULL);

  /* be32 (1) label 0x00 access_key [counter] be32 (256) */
  memcpy (input, "\0\0\0\1", 4);
  length = 4;
  memcpy (input + length, label, sizeof label);  /* with its NUL: the 0x00 */
  length += sizeof label;
  memcpy (input + length, access_key, access_length);
  length += access_length;

  hmac_sha256_set_key (&hmac, strlen (secret), (const guint8 *) secret);
  for (counter = 1; counter <= MAX_COUNTER; counter++)
    {
      input[length] = (guint8) counter;
      memcpy (input + length + 1, "\0\0\1\0", 4);
      hmac_sha256_update (&hmac, length + 5, input);
      hmac_sha256_digest (&hmac, sizeof k0, k0);
      if (!greater_than (k0, n_minus_2))
        break;
    }
  memset (&hmac, 0, sizeof hmac);
  memset (secret, 0, strlen (secret));
  if (counter > MAX_COUNTER)
    {
      g_set_error_literal (error, BOTO_CLIENT_ERROR, BOTO_CLIENT_ERROR_NO_CREDENTIALS,
                           "No SigV4a key can be derived from these credentials");
      return NULL;
    }
  add_one (k0);

  key = g_new0 (BotoSigV4aKey, 1);
  ecc_scalar_init (&key->d, curve);
  ecc_point_init (&key->q, curve);
  mpz_init (d);
  bytes_to_mpz (d, k0, sizeof k0);
  memset (k0, 0, sizeof k0);
  /* 1 <= d <= n - 1 by construction. */
  if (!ecc_scalar_set (&key->d, d))
    g_assert_not_reached ();
  mpz_clear (d);
  ecc_point_mul_g (&key->q, &key->d);
  return key;
}

void
boto_sigv4a_key_free (BotoSigV4aKey *key)
{
  if (key == NULL)
    return;
  /* nettle's scalar clear frees its limbs; zero them first. */
  {
    mpz_t zero;

    mpz_init (zero);
    ecc_scalar_set (&key->d, zero);
    mpz_clear (zero);
  }
  ecc_scalar_clear (&key->d);
  ecc_point_clear (&key->q);
  g_free (key);
}

/* nettle_random_func: the kernel's random bytes, for the nonce. */
static void
random_bytes (void    *context,
              size_t   length,
              uint8_t *out)
{
  while (length > 0)
    {
      ssize_t got = getrandom (out, length, 0);

      if (got < 0 && errno == EINTR)
        continue;
      if (got <= 0)
        {
          int fd = open ("/dev/urandom", O_RDONLY | O_CLOEXEC);

          got = fd >= 0 ? read (fd, out, length) : -1;
          if (fd >= 0)
            close (fd);
          /* An ECDSA nonce must never be predictable: no fallback. */
          if (got <= 0)
            g_error ("No random bytes for a SigV4a signature: %s", g_strerror (errno));
        }
      out += got;
      length -= (size_t) got;
    }
}

static void
sha256 (const char *text,
        guint8      digest[SHA256_DIGEST_SIZE])
{
  struct sha256_ctx ctx;

  sha256_init (&ctx);
  sha256_update (&ctx, strlen (text), (const guint8 *) text);
  sha256_digest (&ctx, SHA256_DIGEST_SIZE, digest);
}

/* An ASN.1 INTEGER of the non-negative @value, DER. */
static void
append_der_integer (GByteArray  *out,
                    const mpz_t  value)
{
  guint8 bytes[KEY_BYTES];
  gsize start = 0;
  guint8 header[3] = { 0x02, 0, 0 };

  mpz_to_bytes (value, bytes, sizeof bytes);
  while (start < sizeof bytes - 1 && bytes[start] == 0)
    start++;
  /* A leading 1 bit would make it negative: a zero byte goes first. */
  if (bytes[start] & 0x80)
    {
      header[1] = (guint8) (sizeof bytes - start + 1);
      g_byte_array_append (out, header, 3);
    }
  else
    {
      header[1] = (guint8) (sizeof bytes - start);
      g_byte_array_append (out, header, 2);
    }
  g_byte_array_append (out, bytes + start, sizeof bytes - start);
}

/**
 * boto_sigv4a_key_sign:
 * @key: a key
 * @string_to_sign: the SigV4a string to sign
 *
 * Signs the SHA-256 digest of @string_to_sign. ECDSA draws a fresh nonce
 * for each signature, so two signatures of one text differ; both verify.
 *
 * Returns: (transfer full): the DER signature, in lowercase hex
 */
char *
boto_sigv4a_key_sign (BotoSigV4aKey *key,
                      const char    *string_to_sign)
{
  g_autoptr(GByteArray) body = g_byte_array_new ();
  g_autoptr(GByteArray) der = g_byte_array_new ();
  guint8 digest[SHA256_DIGEST_SIZE];
  struct dsa_signature signature;
  guint8 header[2] = { 0x30, 0 };
  GString *hex;

  g_return_val_if_fail (key != NULL && string_to_sign != NULL, NULL);

  sha256 (string_to_sign, digest);
  dsa_signature_init (&signature);
  ecdsa_sign (&key->d, NULL, random_bytes, sizeof digest, digest, &signature);
  append_der_integer (body, signature.r);
  append_der_integer (body, signature.s);
  dsa_signature_clear (&signature);

  header[1] = (guint8) body->len;   /* at most 70 bytes: the short form */
  g_byte_array_append (der, header, 2);
  g_byte_array_append (der, body->data, body->len);

  hex = g_string_sized_new (der->len * 2);
  for (guint i = 0; i < der->len; i++)
    g_string_append_printf (hex, "%02x", der->data[i]);
  return g_string_free (hex, FALSE);
}

static char *
coordinate_hex (const mpz_t value)
{
  guint8 bytes[KEY_BYTES];
  GString *hex = g_string_sized_new (2 * KEY_BYTES);

  mpz_to_bytes (value, bytes, sizeof bytes);
  for (gsize i = 0; i < sizeof bytes; i++)
    g_string_append_printf (hex, "%02x", bytes[i]);
  return g_string_free (hex, FALSE);
}

/**
 * boto_sigv4a_key_get_public_hex:
 * @key: a key
 * @out_x: (out) (transfer full): the public point's X, 64 hex digits
 * @out_y: (out) (transfer full): its Y
 *
 * The public half of @key, as the test vectors give it.
 */
void
boto_sigv4a_key_get_public_hex (BotoSigV4aKey  *key,
                                char          **out_x,
                                char          **out_y)
{
  mpz_t x, y;

  mpz_init (x);
  mpz_init (y);
  ecc_point_get (&key->q, x, y);
  *out_x = coordinate_hex (x);
  *out_y = coordinate_hex (y);
  mpz_clear (x);
  mpz_clear (y);
}

static gboolean
hex_to_bytes (const char *hex,
              GByteArray *out)
{
  gsize length = strlen (hex);

  if (length % 2 != 0)
    return FALSE;
  for (gsize i = 0; i < length; i += 2)
    {
      int high = g_ascii_xdigit_value (hex[i]);
      int low = g_ascii_xdigit_value (hex[i + 1]);
      guint8 byte;

      if (high < 0 || low < 0)
        return FALSE;
      byte = (guint8) (high << 4 | low);
      g_byte_array_append (out, &byte, 1);
    }
  return TRUE;
}

/* One DER INTEGER at *@p (before @end) into @out; advances *@p. */
static gboolean
read_der_integer (const guint8 **p,
                  const guint8  *end,
                  mpz_t          out)
{
  gsize length;

  if (end - *p < 2 || (*p)[0] != 0x02 || (*p)[1] >= 0x80)
    return FALSE;
  length = (*p)[1];
  *p += 2;
  if (length == 0 || (gsize) (end - *p) < length || ((*p)[0] & 0x80))
    return FALSE;
  bytes_to_mpz (out, *p, length);
  *p += length;
  return TRUE;
}

/**
 * boto_sigv4a_verify:
 * @x_hex: a public point's X, in hex
 * @y_hex: its Y
 * @string_to_sign: the signed text
 * @signature_hex: a DER signature in hex
 *
 * Verifies a SigV4a signature (tests check ours and the vectors' with it).
 *
 * Returns: %TRUE when @signature_hex is a valid signature of
 *   @string_to_sign by the key whose public point is (@x_hex, @y_hex)
 */
gboolean
boto_sigv4a_verify (const char *x_hex,
                    const char *y_hex,
                    const char *string_to_sign,
                    const char *signature_hex)
{
  g_autoptr(GByteArray) x_bytes = g_byte_array_new ();
  g_autoptr(GByteArray) y_bytes = g_byte_array_new ();
  g_autoptr(GByteArray) der = g_byte_array_new ();
  guint8 digest[SHA256_DIGEST_SIZE];
  struct dsa_signature signature;
  struct ecc_point point;
  const guint8 *p, *end;
  gboolean valid = FALSE;
  mpz_t x, y;

  if (!hex_to_bytes (x_hex, x_bytes) || !hex_to_bytes (y_hex, y_bytes) ||
      !hex_to_bytes (signature_hex, der) || der->len < 2 || der->data[0] != 0x30 ||
      der->data[1] != der->len - 2)
    return FALSE;

  mpz_init (x);
  mpz_init (y);
  bytes_to_mpz (x, x_bytes->data, x_bytes->len);
  bytes_to_mpz (y, y_bytes->data, y_bytes->len);
  ecc_point_init (&point, nettle_get_secp_256r1 ());
  dsa_signature_init (&signature);
  p = der->data + 2;
  end = der->data + der->len;
  if (ecc_point_set (&point, x, y) &&
      read_der_integer (&p, end, signature.r) && read_der_integer (&p, end, signature.s) && p == end)
    {
      sha256 (string_to_sign, digest);
      valid = ecdsa_verify (&point, sizeof digest, digest, &signature) != 0;
    }
  dsa_signature_clear (&signature);
  ecc_point_clear (&point);
  mpz_clear (x);
  mpz_clear (y);
  return valid;
}
