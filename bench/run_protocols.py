"""Driver of the protocol benchmark: boto-glib's parsers and serializers
against botocore's, on the same bytes and parameters, in one run.

Usage: run_protocols.py BENCH_PROTOCOLS
Writes the response bodies (a 1,000-key S3 ListObjectsV2, a 100-instance
EC2 DescribeInstances, a 10-message SQS ReceiveMessage) to a temporary
folder, times botocore's parser on each and botocore's validator plus
serializer on a PutObject and a RunInstances request (best of 5 rounds of
BENCH_ITERATIONS, default 200), runs bench-protocols on the same inputs,
and prints microseconds per call and the ratio botocore/boto-glib.
"""

import json
import os
import subprocess
import sys
import tempfile
import time

import botocore.session
from botocore import parsers, serialize, validate

GOAL = 20.0


def list_objects_body():
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n'
             '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
             '<Name>bench-bucket</Name><Prefix></Prefix><KeyCount>1000</KeyCount>'
             '<MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>']
    for i in range(1000):
        parts.append('<Contents><Key>photos/2024/%06d.jpg</Key>'
                     '<LastModified>2024-03-01T12:%02d:%02d.000Z</LastModified>'
                     '<ETag>&quot;%032x&quot;</ETag><Size>%d</Size>'
                     '<StorageClass>STANDARD</StorageClass></Contents>'
                     % (i, i // 60 % 60, i % 60, i * 7919, 1000 + i * 37))
    parts.append('</ListBucketResult>')
    return ''.join(parts).encode()


def describe_instances_body():
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n'
             '<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">'
             '<requestId>8f7724cf-496f-496e-8fe3-example</requestId><reservationSet>']
    for i in range(100):
        parts.append(
            '<item><reservationId>r-%017x</reservationId><ownerId>123456789012</ownerId>'
            '<groupSet/><instancesSet><item><instanceId>i-%017x</instanceId>'
            '<imageId>ami-0abcdef1234567890</imageId>'
            '<instanceState><code>16</code><name>running</name></instanceState>'
            '<privateDnsName>ip-10-0-%d-%d.ec2.internal</privateDnsName><dnsName/>'
            '<keyName>bench</keyName><amiLaunchIndex>0</amiLaunchIndex>'
            '<instanceType>t3.micro</instanceType>'
            '<launchTime>2024-03-01T12:00:00.000Z</launchTime>'
            '<placement><availabilityZone>us-east-1a</availabilityZone><tenancy>default</tenancy></placement>'
            '<monitoring><state>disabled</state></monitoring>'
            '<subnetId>subnet-0123456789abcdef0</subnetId><vpcId>vpc-0123456789abcdef0</vpcId>'
            '<privateIpAddress>10.0.%d.%d</privateIpAddress>'
            '<groupSet><item><groupId>sg-0123456789abcdef0</groupId><groupName>default</groupName></item></groupSet>'
            '<architecture>x86_64</architecture><rootDeviceType>ebs</rootDeviceType>'
            '<blockDeviceMapping><item><deviceName>/dev/xvda</deviceName><ebs>'
            '<volumeId>vol-%017x</volumeId><status>attached</status>'
            '<attachTime>2024-03-01T12:00:01.000Z</attachTime><deleteOnTermination>true</deleteOnTermination>'
            '</ebs></item></blockDeviceMapping>'
            '<tagSet><item><key>Name</key><value>bench-%d</value></item>'
            '<item><key>team</key><value>storage</value></item></tagSet>'
            '</item></instancesSet></item>'
            % (i, i, i // 256, i % 256, i // 256, i % 256, i, i))
    parts.append('</reservationSet></DescribeInstancesResponse>')
    return ''.join(parts).encode()


def receive_message_body():
    messages = [{
        "MessageId": "5fea7756-0ea4-451a-a703-a558b933e27%d" % i,
        "ReceiptHandle": "AQEBzWwaftRI0KuVm4tP+/7q1rGgNqicHq" * 4,
        "MD5OfBody": "fafb00f5732ab283681e124bf8747ed1",
        "Body": "This is test message %d with some payload text" % i,
        "Attributes": {"SenderId": "195004372649", "ApproximateReceiveCount": "1",
                       "SentTimestamp": "1238099229000",
                       "ApproximateFirstReceiveTimestamp": "1250700979248"},
    } for i in range(10)]
    return json.dumps({"Messages": messages}).encode()


PUT_OBJECT = {"Bucket": "bench-bucket", "Key": "photos/2024/000001.jpg",
              "Body": b"x" * 1024, "ContentType": "image/jpeg",
              "Metadata": {"camera": "x100", "owner": "bench"},
              "StorageClass": "STANDARD_IA", "CacheControl": "max-age=3600"}
RUN_INSTANCES = {"ImageId": "ami-0abcdef1234567890", "MinCount": 1, "MaxCount": 2,
                 "InstanceType": "t3.micro", "KeyName": "bench",
                 "SecurityGroupIds": ["sg-0123456789abcdef0", "sg-0fedcba9876543210"],
                 "SubnetId": "subnet-0123456789abcdef0",
                 "TagSpecifications": [{"ResourceType": "instance",
                                        "Tags": [{"Key": "Name", "Value": "bench"},
                                                 {"Key": "team", "Value": "storage"}]}],
                 "BlockDeviceMappings": [{"DeviceName": "/dev/xvda",
                                          "Ebs": {"VolumeSize": 20, "VolumeType": "gp3"}}]}

ROWS = [
    # name, service, operation, kind, input
    ("parse s3 ListObjectsV2 (1,000 keys)", "s3", "ListObjectsV2", "parse", "list-objects.xml"),
    ("parse ec2 DescribeInstances (100)", "ec2", "DescribeInstances", "parse", "describe-instances.xml"),
    ("parse sqs ReceiveMessage (10)", "sqs", "ReceiveMessage", "parse", "receive-message.json"),
    ("serialize s3 PutObject", "s3", "PutObject", "serialize", "put-object.json"),
    ("serialize ec2 RunInstances", "ec2", "RunInstances", "serialize", "run-instances.json"),
]


def best_of(func, iterations):
    best = None
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(iterations):
            func()
        elapsed = (time.perf_counter() - start) / iterations * 1e6
        best = elapsed if best is None else min(best, elapsed)
    return best


def botocore_time(session, service, operation, kind, path, iterations):
    model = session.get_service_model(service)
    op = model.operation_model(operation)
    protocol = model.resolve_protocol(["json", "rest-json", "rest-xml", "smithy-rpc-v2-cbor", "query", "ec2"]) \
        if hasattr(model, "resolve_protocol") else model.protocol
    if kind == "parse":
        with open(path, "rb") as f:
            body = f.read()
        parser = parsers.create_parser(protocol)
        response = {"status_code": 200, "headers": {"x-amzn-requestid": "bench"}, "body": body}
        parsed = parser.parse(response, op.output_shape)
        assert "ResponseMetadata" in parsed
        return best_of(lambda: parser.parse(response, op.output_shape), iterations)
    with open(path) as f:
        params = json.load(f)
    if "Body" in params:
        params["Body"] = params["Body"].encode()
    serializer = serialize.create_serializer(protocol)
    validator = validate.ParamValidator()

    def once():
        report = validator.validate(params, op.input_shape)
        assert not report.has_errors()
        serializer.serialize_to_request(params, op)
    once()
    return best_of(once, iterations)


def main():
    bench = sys.argv[1]
    iterations = int(os.environ.get("BENCH_ITERATIONS", "200"))
    session = botocore.session.get_session()
    with tempfile.TemporaryDirectory() as tmp:
        inputs = {
            "list-objects.xml": list_objects_body(),
            "describe-instances.xml": describe_instances_body(),
            "receive-message.json": receive_message_body(),
            "put-object.json": json.dumps(dict(PUT_OBJECT, Body="x" * 1024)).encode(),
            "run-instances.json": json.dumps(RUN_INSTANCES).encode(),
        }
        for name, data in inputs.items():
            with open(os.path.join(tmp, name), "wb") as f:
                f.write(data)

        print("protocols: best of 5 rounds of %d calls, microseconds per call" % iterations)
        print("%-38s %12s %12s %10s" % ("", "botocore", "boto-glib", "ratio"))
        worst = None
        for name, service, operation, kind, file_name in ROWS:
            path = os.path.join(tmp, file_name)
            ours_out = subprocess.run([bench, kind, service, operation, path, str(iterations)],
                                      check=True, capture_output=True, text=True).stdout.split()
            ours = float(ours_out[-1])
            theirs = botocore_time(session, service, operation, kind, path, iterations)
            ratio = theirs / ours
            worst = ratio if worst is None else min(worst, ratio)
            print("%-38s %12.1f %12.1f %9.1fx" % (name, theirs, ours, ratio))
        print("goal: %.0fx or better on every row: %s (worst %.1fx)"
              % (GOAL, "met" if worst >= GOAL else "NOT met", worst))


if __name__ == "__main__":
    main()
