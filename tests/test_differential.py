# SPDX-License-Identifier: Apache-2.0
"""Differential test: the same S3, SQS, EC2, IAM and CloudFormation calls
through boto3 and
through boto-glib's generic client (the typelib, no override) against the
same moto server give the same result fields.

Run under tests/moto-fixture.py (AWS_ENDPOINT_URL, fake credentials and the
region come from it). Each side works on its own resources (names prefixed
`b3-` and `bg-`); values that differ by nature (request ids, message ids,
receipt handles, instance and reservation ids, key material, times the
server stamps at creation) are compared by presence and type only.
"""

import datetime
import json

import boto3
import gi

gi.require_version("Boto", "1.0")
from gi.repository import Boto, GLib  # noqa: E402

# Keys whose values are generated per call by the server.
VOLATILE = {
    "RequestId", "HostId", "HTTPHeaders", "RetryAttempts", "MessageId", "ReceiptHandle",
    "MD5OfMessageAttributes", "InstanceId", "ReservationId", "KeyFingerprint", "KeyMaterial",
    "KeyPairId", "LaunchTime", "LastModified", "CreationDate", "PrivateDnsName", "PrivateIpAddress",
    "PublicDnsName", "PublicIpAddress", "NetworkInterfaceId", "AttachTime", "VolumeId", "AttachmentId",
    "MacAddress", "ClientToken", "UsageOperationUpdateTime", "SentTimestamp", "CreatedTimestamp",
    "LastModifiedTimestamp", "ApproximateFirstReceiveTimestamp", "SenderId", "OwnerId", "QueueArn",
    "SubnetId", "VpcId", "Ipv6Address", "PrivateIpAddresses", "NetworkInterfaces", "Hypervisor",
    "VersionId", "ServerSideEncryption", "CreateTime", "RoleId", "CreateDate", "StackId",
    "Id", "Location", "CallerReference", "NameServers", "vaultARN", "location", "Timestamp", "SubmittedAt",
    "LastInventoryDate",
}

# An IAM trust policy and a CloudFormation template: botocore hands both
# back decoded (its json_decode_policies and json_decode_template_body
# handlers), and so must boto-glib.
TRUST_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                   "Action": "sts:AssumeRole"}],
}
ACCESS_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"}],
}
TEMPLATE = {
    "AWSTemplateFormatVersion": "2010-09-09",
    "Resources": {"Queue": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 30}}},
}


def to_variant(value):
    """A Python value as the GVariant the generic call accepts (DESIGN.md's
    input column: integers of any width, av for lists, a{sv} for dicts)."""
    if isinstance(value, bool):
        return GLib.Variant("b", value)
    if isinstance(value, int):
        return GLib.Variant("x", value)
    if isinstance(value, float):
        return GLib.Variant("d", value)
    if isinstance(value, str):
        return GLib.Variant("s", value)
    if isinstance(value, bytes):
        return GLib.Variant("ay", value)
    if isinstance(value, list):
        return GLib.Variant("av", [to_variant(v) for v in value])
    if isinstance(value, dict):
        return GLib.Variant("a{sv}", {k: to_variant(v) for k, v in value.items()})
    raise TypeError(value)


def normalize(value, prefix):
    """boto3's and boto-glib's results in one form: timestamps as µs since
    the epoch, blobs as lists of ints, own resource names without prefix."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            # boto-glib leaves out what botocore sets to None (a structure
            # holds only the members present: DESIGN.md).
            if item is None:
                continue
            if key in VOLATILE:
                out[key] = "<%s>" % type(normalize(item, prefix)).__name__
            else:
                out[key] = normalize(item, prefix)
        return out
    if isinstance(value, (list, tuple)):
        return [normalize(v, prefix) for v in value]
    if isinstance(value, datetime.datetime):
        delta = value - datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
        return delta // datetime.timedelta(microseconds=1)
    if isinstance(value, (bytes, bytearray)):
        return list(value)
    if isinstance(value, str):
        return value.replace(prefix, "<name>-")
    return value


class Sides:
    def __init__(self, service):
        self.b3 = boto3.client(service)
        self.bg = Boto.Session().create_client(service, None, None)

    def call(self, operation, snake, **params):
        """Runs one call on each side, each with its own names; returns
        both results normalized."""
        theirs = getattr(self.b3, snake)(**rename(params, "b3-"))
        if "Body" in theirs and hasattr(theirs["Body"], "read"):
            theirs["Body"] = theirs["Body"].read()
        ours = self.bg.call(operation, to_variant(rename(params, "bg-")), None).unpack()
        return normalize(theirs, "b3-"), normalize(ours, "bg-")


def rename(params, prefix):
    if isinstance(params, dict):
        return {k: rename(v, prefix) for k, v in params.items()}
    if isinstance(params, list):
        return [rename(v, prefix) for v in params]
    if isinstance(params, str):
        return params.replace("<name>-", prefix)
    return params


def assert_same(theirs, ours, path="result"):
    if isinstance(theirs, dict):
        assert isinstance(ours, dict), "%s: %r vs %r" % (path, theirs, ours)
        assert sorted(theirs) == sorted(ours), "%s: keys %s vs %s" % (path, sorted(theirs), sorted(ours))
        for key in theirs:
            assert_same(theirs[key], ours[key], "%s.%s" % (path, key))
    elif isinstance(theirs, list):
        assert isinstance(ours, list) and len(theirs) == len(ours), "%s: %r vs %r" % (path, theirs, ours)
        for i, (a, b) in enumerate(zip(theirs, ours)):
            assert_same(a, b, "%s[%d]" % (path, i))
    else:
        assert theirs == ours, "%s: %r vs %r" % (path, theirs, ours)


def test_s3():
    s3 = Sides("s3")
    assert_same(*s3.call("CreateBucket", "create_bucket", Bucket="<name>-diff"))
    assert_same(*s3.call("PutObject", "put_object", Bucket="<name>-diff", Key="a/b c.txt",
                         Body=b"differential body", Metadata={"colour": "blue"},
                         ContentType="text/plain"))
    assert_same(*s3.call("HeadObject", "head_object", Bucket="<name>-diff", Key="a/b c.txt"))
    assert_same(*s3.call("GetObject", "get_object", Bucket="<name>-diff", Key="a/b c.txt"))
    assert_same(*s3.call("CopyObject", "copy_object", Bucket="<name>-diff", Key="copy.txt",
                         CopySource="<name>-diff/a/b c.txt"))
    assert_same(*s3.call("ListObjectsV2", "list_objects_v2", Bucket="<name>-diff", MaxKeys=1))
    assert_same(*s3.call("ListObjectsV2", "list_objects_v2", Bucket="<name>-diff", Prefix="a/"))
    assert_same(*s3.call("GetBucketLocation", "get_bucket_location", Bucket="<name>-diff"))
    assert_same(*s3.call("CreateBucket", "create_bucket", Bucket="<name>-diff-eu",
                         CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}))
    assert_same(*s3.call("GetBucketLocation", "get_bucket_location", Bucket="<name>-diff-eu"))
    assert_same(*s3.call("DeleteBucket", "delete_bucket", Bucket="<name>-diff-eu"))
    assert_same(*s3.call("DeleteObjects", "delete_objects", Bucket="<name>-diff",
                         Delete={"Objects": [{"Key": "copy.txt"}, {"Key": "a/b c.txt"}]}))
    assert_same(*s3.call("DeleteBucket", "delete_bucket", Bucket="<name>-diff"))


def test_sqs():
    sqs = Sides("sqs")
    theirs, ours = sqs.call("CreateQueue", "create_queue", QueueName="<name>-diff",
                            Attributes={"VisibilityTimeout": "40"})
    assert_same(theirs, ours)
    url = theirs["QueueUrl"]
    assert_same(*sqs.call("SendMessage", "send_message", QueueUrl=url, MessageBody="hello",
                          MessageAttributes={"n": {"DataType": "Number", "StringValue": "7"}}))
    assert_same(*sqs.call("SendMessageBatch", "send_message_batch", QueueUrl=url,
                          Entries=[{"Id": "one", "MessageBody": "first"},
                                   {"Id": "two", "MessageBody": "second"}]))
    assert_same(*sqs.call("GetQueueAttributes", "get_queue_attributes", QueueUrl=url,
                          AttributeNames=["VisibilityTimeout", "ApproximateNumberOfMessages"]))
    theirs, ours = sqs.call("ReceiveMessage", "receive_message", QueueUrl=url, MaxNumberOfMessages=10,
                            MessageAttributeNames=["All"], AttributeNames=["All"])
    assert_same(theirs, ours)
    assert len(ours["Messages"]) == 3
    # Maps keep the order of the body, as Python's json gives them to boto3.
    for mine, boto3s in zip(ours["Messages"], theirs["Messages"]):
        assert list(mine["Attributes"]) == list(boto3s["Attributes"])
    assert_same(*sqs.call("ListQueues", "list_queues", QueueNamePrefix="<name>-diff"))
    assert_same(*sqs.call("DeleteQueue", "delete_queue", QueueUrl=url))


def test_ec2():
    ec2 = Sides("ec2")
    assert_same(*ec2.call("DescribeRegions", "describe_regions"))
    assert_same(*ec2.call("DescribeAvailabilityZones", "describe_availability_zones"))
    assert_same(*ec2.call("CreateKeyPair", "create_key_pair", KeyName="<name>-diff"))
    theirs, ours = ec2.call("RunInstances", "run_instances", ImageId="ami-12c6146b", MinCount=1,
                            MaxCount=1, InstanceType="t2.micro", KeyName="<name>-diff")
    assert_same(theirs, ours)
    assert ours["Instances"][0]["State"]["Name"] == "pending"
    assert_same(*ec2.call("DescribeKeyPairs", "describe_key_pairs", KeyNames=["<name>-diff"]))
    assert_same(*ec2.call("DescribeInstances", "describe_instances",
                          Filters=[{"Name": "key-name", "Values": ["<name>-diff"]}]))


def test_iam_policy_documents():
    iam = Sides("iam")
    theirs, ours = iam.call("CreateRole", "create_role", RoleName="<name>-diff",
                            AssumeRolePolicyDocument=json.dumps(TRUST_POLICY))
    assert_same(theirs, ours)
    assert ours["Role"]["AssumeRolePolicyDocument"] == TRUST_POLICY
    assert_same(*iam.call("PutRolePolicy", "put_role_policy", RoleName="<name>-diff",
                          PolicyName="access", PolicyDocument=json.dumps(ACCESS_POLICY)))
    theirs, ours = iam.call("GetRolePolicy", "get_role_policy", RoleName="<name>-diff",
                            PolicyName="access")
    assert_same(theirs, ours)
    assert ours["PolicyDocument"] == ACCESS_POLICY
    assert_same(*iam.call("GetRole", "get_role", RoleName="<name>-diff"))
    assert_same(*iam.call("DeleteRolePolicy", "delete_role_policy", RoleName="<name>-diff",
                          PolicyName="access"))
    assert_same(*iam.call("DeleteRole", "delete_role", RoleName="<name>-diff"))


def test_cloudformation_template():
    cloudformation = Sides("cloudformation")
    theirs, ours = cloudformation.call("CreateStack", "create_stack", StackName="<name>-diff",
                                       TemplateBody=json.dumps(TEMPLATE))
    assert_same(theirs, ours)
    theirs, ours = cloudformation.call("GetTemplate", "get_template", StackName="<name>-diff")
    assert_same(theirs, ours)
    assert ours["TemplateBody"] == TEMPLATE
    assert_same(*cloudformation.call("DeleteStack", "delete_stack", StackName="<name>-diff"))


def test_parameter_handlers():
    """botocore's parameter customizations: EC2 UserData sent base64, S3
    SSE-C keys with their MD5, Route 53 ids given with their path, Glacier's
    default account; and EC2 console output decoded."""
    import base64
    ec2 = Sides("ec2")
    script = "#!/bin/sh\necho hello from the differential test\n"
    their_id = ec2.b3.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t2.micro",
                                    UserData=script)["Instances"][0]["InstanceId"]
    our_id = ec2.bg.call("RunInstances", to_variant({
        "ImageId": "ami-12c6146b", "MinCount": 1, "MaxCount": 1, "InstanceType": "t2.micro",
        "UserData": script}), None).unpack()["Instances"][0]["InstanceId"]
    their_data = ec2.b3.describe_instance_attribute(InstanceId=their_id, Attribute="userData")
    our_data = ec2.bg.call("DescribeInstanceAttribute",
                           to_variant({"InstanceId": our_id, "Attribute": "userData"}), None).unpack()
    assert our_data["UserData"]["Value"] == their_data["UserData"]["Value"]
    assert base64.b64decode(our_data["UserData"]["Value"]).decode() == script
    theirs = ec2.b3.get_console_output(InstanceId=their_id)
    ours = ec2.bg.call("GetConsoleOutput", to_variant({"InstanceId": our_id}), None).unpack()
    assert ours["Output"] == theirs["Output"]

    s3 = Sides("s3")
    key = b"0123456789abcdef0123456789abcdef"
    assert_same(*s3.call("CreateBucket", "create_bucket", Bucket="<name>-sse-c"))
    assert_same(*s3.call("PutObject", "put_object", Bucket="<name>-sse-c", Key="secret", Body=b"data",
                         SSECustomerAlgorithm="AES256", SSECustomerKey=key))
    theirs, ours = s3.call("GetObject", "get_object", Bucket="<name>-sse-c", Key="secret",
                           SSECustomerAlgorithm="AES256", SSECustomerKey=key)
    assert_same(theirs, ours)
    assert ours["Body"] == list(b"data")

    route53 = Sides("route53")
    theirs, ours = route53.call("CreateHostedZone", "create_hosted_zone", Name="<name>-diff.example.com.",
                                CallerReference="<name>-diff")
    assert_same(theirs, ours)
    zone = route53.bg.call("ListHostedZones", None, None).unpack()["HostedZones"][-1]["Id"]
    assert zone.startswith("/hostedzone/")
    ours = route53.bg.call("GetHostedZone", to_variant({"Id": zone}), None).unpack()
    assert ours["HostedZone"]["Id"] == zone

    glacier = Sides("glacier")
    assert_same(*glacier.call("CreateVault", "create_vault", vaultName="<name>-diff"))
    theirs, ours = glacier.call("DescribeVault", "describe_vault", vaultName="<name>-diff")
    assert_same(theirs, ours)
