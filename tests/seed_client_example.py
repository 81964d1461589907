# SPDX-License-Identifier: Apache-2.0
# The seed's client example, exactly as a boto3 user writes it.
# tests/test_boto3_parity.py runs it as it is, and again with the import
# line swapped for boto-glib's, against the same moto server.
import sys

import boto3

key_name = sys.argv[1] if len(sys.argv) > 1 else 'my-key'

ec2 = boto3.client('ec2')
key = ec2.create_key_pair(KeyName=key_name)
print(key['KeyName'], len(key['KeyFingerprint']) > 0, key['KeyMaterial'].startswith('-----BEGIN'))

response = ec2.run_instances(
    ImageId='ami-12c6146b',
    InstanceType='t2.micro',
    KeyName=key_name,
    MinCount=1,
    MaxCount=1,
)
instance = response['Instances'][0]
print(instance['InstanceId'], instance['State']['Name'])
print(instance['InstanceType'], instance['KeyName'], instance['Placement']['AvailabilityZone'])
print(type(instance['LaunchTime']).__name__, instance['LaunchTime'].tzinfo is not None)
print(sorted(instance.keys()))
print(response['ResponseMetadata']['HTTPStatusCode'])

try:
    ec2.describe_instances(InstanceIds=['i-0123456789abcdef0'])
except ec2.exceptions.ClientError as e:
    print(e.response['Error']['Code'])
    print(e)
