#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Run an instance: the boto3 client example, through the PyGObject override
(region, credentials and endpoint from the environment: under
tools/run-examples, moto on loopback)."""

import gi

gi.require_version("Boto", "1.0")
from gi.repository import Boto  # noqa: E402

ec2 = Boto.client("ec2")

key = ec2.create_key_pair(KeyName="example-py-key")
print("key pair:", key["KeyName"])

response = ec2.run_instances(ImageId="ami-12c6146b", InstanceType="t2.micro",
                             KeyName="example-py-key", MinCount=1, MaxCount=1)
instance = response["Instances"][0]
print("instance:", instance["InstanceId"], instance["State"]["Name"], instance["InstanceType"])
print("launched at:", instance["LaunchTime"].isoformat())

ec2.get_waiter("instance_running").wait(InstanceIds=[instance["InstanceId"]],
                                        WaiterConfig={"Delay": 1, "MaxAttempts": 30})
described = ec2.describe_instances(InstanceIds=[instance["InstanceId"]])
print("after waiting:", described["Reservations"][0]["Instances"][0]["State"]["Name"])

try:
    ec2.describe_instances(InstanceIds=["i-00000000000000000"])
except Boto.exceptions.ClientError as e:
    print("error:", e.response["Error"]["Code"])
