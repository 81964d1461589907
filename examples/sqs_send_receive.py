#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""SQS: create a queue, send a message with attributes, receive and delete it
(region, credentials and endpoint from the environment)."""

import sys

import gi

gi.require_version("Boto", "1.0")
from gi.repository import Boto  # noqa: E402

name = sys.argv[1] if len(sys.argv) > 1 else "example-py-queue"
sqs = Boto.Session().client("sqs")

url = sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "30"})["QueueUrl"]
sent = sqs.send_message(QueueUrl=url, MessageBody="hello from Python",
                        MessageAttributes={"lang": {"DataType": "String", "StringValue": "python"}})
print("sent:", sent["MD5OfMessageBody"])

for message in sqs.receive_message(QueueUrl=url, MessageAttributeNames=["All"],
                                   WaitTimeSeconds=1).get("Messages", []):
    print("received:", message["Body"], "lang =", message["MessageAttributes"]["lang"]["StringValue"])
    sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])

left = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
print("left in the queue:", left["Attributes"]["ApproximateNumberOfMessages"])

try:
    sqs.get_queue_url(QueueName=name + "-missing")
except sqs.exceptions.QueueDoesNotExist as e:
    print("error:", type(e).__name__)
