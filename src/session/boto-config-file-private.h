/* boto-config-file-private.h: the shared config and credentials files
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * The INI dialect of ~/.aws/config and ~/.aws/credentials, read as botocore
 * reads it (Python's configparser, then botocore's nesting): `#` and `;`
 * comment lines, `=` or `:` between key and value, keys lower-cased,
 * indented continuation lines, `[DEFAULT]` keys inherited by every section,
 * and a value that starts on the next line (`s3 =` then indented
 * `key = value` lines) read as a nested section.
 *
 * A section is `a{sv}`: each value is `s`, or `a{ss}` when nested.
 */

GVariant *boto_config_file_parse_data  (const char  *contents,
                                        gssize       length,
                                        const char  *file_name,
                                        GError     **error);
GVariant *boto_config_file_parse       (const char  *path,
                                        GError     **error);
GVariant *boto_config_file_build_profiles (GVariant *sections,
                                        gboolean     is_config_file);
GStrv     boto_shell_split             (const char  *text);

G_END_DECLS
