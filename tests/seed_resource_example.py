# SPDX-License-Identifier: Apache-2.0
# The seed's resource example, exactly as a boto3 user writes it.
# tests/test_boto3_parity.py runs it as it is, and again with the import
# line swapped for boto-glib's, against the same moto server.
import boto3

s3 = boto3.resource('s3')
for bucket in s3.buckets.all():
    print(bucket.name)
