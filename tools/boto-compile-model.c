/* boto-compile-model: precompiles model JSON for the library's GResource
 *
 * Usage: boto-compile-model OUTDIR MODELDIR RELPATH…
 *
 * Each RELPATH (such as `ec2/2016-11-15/service-2.json`) is read from
 * MODELDIR and written to OUTDIR as a serialized GVariant, its slashes turned
 * into underscores (`ec2_2016-11-15_service-2.gvariant`), in the form the
 * model layer maps in place without parsing.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <gio/gio.h>

#include "boto-model-private.h"

static gboolean
compile_one (const char  *outdir,
             const char  *modeldir,
             const char  *relpath,
             GError     **error)
{
  g_autofree char *input = g_build_filename (modeldir, relpath, NULL);
  g_autofree char *flat = NULL;
  g_autofree char *output = NULL;
  g_autoptr(GVariant) compiled = NULL;
  g_autoptr(GBytes) json = NULL;
  char *contents = NULL;
  gsize length;

  if (!g_str_has_suffix (relpath, ".json"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s: not a .json file", relpath);
      return FALSE;
    }

  if (!g_file_get_contents (input, &contents, &length, error))
    return FALSE;
  json = g_bytes_new_take (contents, length);

  compiled = boto_model_compile_json (json, error);
  if (compiled == NULL)
    {
      g_prefix_error (error, "%s: ", input);
      return FALSE;
    }

  flat = g_strndup (relpath, strlen (relpath) - strlen (".json"));
  g_strdelimit (flat, "/", '_');
  output = g_strdup_printf ("%s/%s.gvariant", outdir, flat);

  return g_file_set_contents (output, g_variant_get_data (compiled),
                              g_variant_get_size (compiled), error);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");

  if (argc < 3)
    {
      fprintf (stderr, "Usage: %s OUTDIR MODELDIR RELPATH…\n", argv[0]);
      return 2;
    }

  for (int i = 3; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!compile_one (argv[1], argv[2], argv[i], &error))
        {
          fprintf (stderr, "boto-compile-model: %s\n", error->message);
          return 1;
        }
    }

  return 0;
}
