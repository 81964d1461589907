#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Paginate a bucket's objects as boto3 does: pages, a JMESPath search over
them, and resuming from a token (region, credentials and endpoint from the
environment)."""

import sys

import gi

gi.require_version("Boto", "1.0")
from gi.repository import Boto  # noqa: E402

bucket = sys.argv[1] if len(sys.argv) > 1 else "example-py-pages"
s3 = Boto.client("s3")
s3.create_bucket(Bucket=bucket)
for i in range(5):
    s3.put_object(Bucket=bucket, Key="photos/%d.jpg" % i, Body=b"x" * (i + 1))

paginator = s3.get_paginator("list_objects_v2")
for number, page in enumerate(paginator.paginate(Bucket=bucket, PaginationConfig={"PageSize": 2})):
    print("page", number, [obj["Key"] for obj in page["Contents"]])

pages = paginator.paginate(Bucket=bucket, Prefix="photos/")
print("sizes:", list(pages.search("Contents[].Size")))

first = paginator.paginate(Bucket=bucket, PaginationConfig={"MaxItems": 3})
print("first three:", [o["Key"] for o in first.build_full_result()["Contents"]])
rest = paginator.paginate(Bucket=bucket, PaginationConfig={"StartingToken": first.resume_token})
print("the rest:", [o["Key"] for o in rest.build_full_result()["Contents"]])
