#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""List buckets: the boto3 resource example, through the PyGObject override
(region, credentials and endpoint from the environment)."""

import sys

import gi

gi.require_version("Boto", "1.0")
from gi.repository import Boto  # noqa: E402

s3 = Boto.resource("s3")
s3.create_bucket(Bucket=sys.argv[1] if len(sys.argv) > 1 else "example-py-resource-bucket")

for bucket in s3.buckets.all():
    print(bucket.name, bucket.creation_date.isoformat())
