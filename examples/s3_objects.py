#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Create a bucket, put an object, list the bucket, and read a service
error's dictionary without an exception (region, credentials and endpoint
from the environment: under tools/run-examples, moto on loopback)."""

import sys

import gi

gi.require_version("Boto", "1.0")
from gi.repository import Boto, GLib  # noqa: E402


def params(**kwargs):
    return GLib.Variant("a{sv}", kwargs)


bucket = sys.argv[1] if len(sys.argv) > 1 else "example-py-bucket"
s3 = Boto.Session().create_client("s3", None, None)
s3.call("create_bucket", params(Bucket=GLib.Variant("s", bucket)), None)
s3.call("put_object", params(Bucket=GLib.Variant("s", bucket), Key=GLib.Variant("s", "hello.txt"),
                             Body=GLib.Variant("ay", b"hello from Python")), None)
for obj in s3.call("list_objects_v2", params(Bucket=GLib.Variant("s", bucket)), None).unpack()["Contents"]:
    print(obj["Key"], obj["Size"])

response, is_error = s3.call_full("head_bucket", params(Bucket=GLib.Variant("s", "no-such-bucket")), None)
print("error:", is_error, response.unpack()["ResponseMetadata"]["HTTPStatusCode"])
