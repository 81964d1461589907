/* boto-format.c: number formatting shared by the layers
 *
 * Python's float repr, which botocore's JSON, query and error messages and
 * JMESPath's to_string all produce, so that our text matches theirs.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "boto-format-private.h"

/* Python's float repr: the shortest digits that read back to the same
 * double, in fixed notation when the decimal exponent is in (-4, 16],
 * otherwise in exponent notation with at least two exponent digits. */
void
boto_format_double (GString *out,
                    double   value)
{
  char buf[64];
  char digits[32];
  int n_digits = 0;
  int exponent;
  int decpt;
  char *e;
  gboolean negative;

  if (!isfinite (value))
    {
      boto_format_double_special (out, value);
      return;
    }
  if (value == 0.0)
    {
      g_string_append (out, signbit (value) ? "-0.0" : "0.0");
      return;
    }

  for (int precision = 1; precision <= 17; precision++)
    {
      g_snprintf (buf, sizeof buf, "%.*e", precision - 1, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }

  /* buf is [-]d[.ddd]e[+-]XX */
  negative = buf[0] == '-';
  e = strchr (buf, 'e');
  g_assert (e != NULL);
  exponent = atoi (e + 1);
  for (char *p = buf + (negative ? 1 : 0); p < e; p++)
    if (g_ascii_isdigit (*p))
      digits[n_digits++] = *p;
  while (n_digits > 1 && digits[n_digits - 1] == '0')
    n_digits--;
  digits[n_digits] = '\0';
  decpt = exponent + 1;

  if (negative)
    g_string_append_c (out, '-');

  if (decpt > -4 && decpt <= 16)
    {
      if (decpt <= 0)
        {
          g_string_append (out, "0.");
          for (int i = 0; i < -decpt; i++)
            g_string_append_c (out, '0');
          g_string_append (out, digits);
        }
      else if (decpt >= n_digits)
        {
          g_string_append (out, digits);
          for (int i = n_digits; i < decpt; i++)
            g_string_append_c (out, '0');
          g_string_append (out, ".0");
        }
      else
        {
          g_string_append_len (out, digits, decpt);
          g_string_append_c (out, '.');
          g_string_append (out, digits + decpt);
        }
    }
  else
    {
      g_string_append_c (out, digits[0]);
      if (n_digits > 1)
        {
          g_string_append_c (out, '.');
          g_string_append (out, digits + 1);
        }
      g_string_append_printf (out, "e%c%02d", exponent < 0 ? '-' : '+', ABS (exponent));
    }
}

void
boto_format_double_special (GString *out,
                            double   value)
{
  if (isnan (value))
    g_string_append (out, "NaN");
  else if (isinf (value))
    g_string_append (out, value > 0 ? "Infinity" : "-Infinity");
  else
    boto_format_double (out, value);
}
