#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Upload a local file to S3 and download it again, as in boto3: the
resource layer's Bucket.upload_file / Object.download_file, and the client's
put_object / get_object with Body.read() (region, credentials and endpoint
from the environment)."""

import os
import sys
import tempfile

import gi

gi.require_version("Boto", "1.0")
from gi.repository import Boto  # noqa: E402

name = sys.argv[1] if len(sys.argv) > 1 else "example-py-transfer"
bucket_name = name.replace("_", "-")
data = b"".join(b"line %d of the file to upload\n" % i for i in range(10000))

with tempfile.TemporaryDirectory() as tmp:
    upload = os.path.join(tmp, "upload.txt")
    download = os.path.join(tmp, "download.txt")
    with open(upload, "wb") as f:
        f.write(data)

    s3 = Boto.resource("s3")
    bucket = s3.Bucket(bucket_name)
    bucket.create()

    # Files: the transfer methods of Bucket and Object.
    bucket.upload_file(upload, "files/upload.txt")
    print("uploaded", len(data), "bytes to", "s3://%s/files/upload.txt" % bucket_name)
    s3.Object(bucket_name, "files/upload.txt").download_file(download)
    with open(download, "rb") as f:
        same = f.read() == data
    print("downloaded", os.path.getsize(download), "bytes, same as uploaded:", same)
    if not same:
        sys.exit("the downloaded file differs from the uploaded one")

# Bytes: the client's put_object and get_object.
client = Boto.client("s3")
client.put_object(Bucket=bucket_name, Key="files/bytes.bin", Body=data[:1000])
body = client.get_object(Bucket=bucket_name, Key="files/bytes.bin")["Body"]
first = body.read()
print("get_object:", len(first), "bytes, same as put:", first == data[:1000])
if first != data[:1000]:
    sys.exit("get_object returned other bytes than put_object sent")
