# SPDX-License-Identifier: Apache-2.0
"""boto-glib through the override against boto3 itself, on the same moto
server (run under tests/moto-fixture.py): the seed's client example gives
the same output, and the same calls give responses of the same structure
(same keys, same value types), ids aside."""

import datetime
import os
import re
import subprocess
import sys

import boto3
import gi
import pytest

gi.require_version("Boto", "1.0")
from gi.repository import Boto  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
BOTO_IMPORT = ("import gi\ngi.require_version('Boto', '1.0')\n"
               "from gi.repository import Boto as boto3\n")

IDS = [
    (re.compile(r"\bi-[0-9a-f]{8,17}\b"), "i-ID"),
    (re.compile(r"\bRequestID: [0-9a-f-]+"), "RequestID: ID"),
    (re.compile(r"(my|parity)-key-(boto3|boto)"), "KEY"),
]


def normalize(text):
    for pattern, repl in IDS:
        text = pattern.sub(repl, text)
    return text


def run_seed(tmp_path, swap_import, key_name, example="seed_client_example.py"):
    with open(os.path.join(HERE, example)) as f:
        source = f.read()
    assert "import boto3\n" in source
    if swap_import:
        source = source.replace("import boto3\n", BOTO_IMPORT, 1)
    script = tmp_path / (("boto-" if swap_import else "boto3-") + example)
    script.write_text(source)
    done = subprocess.run([sys.executable, str(script), key_name], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_seed_client_example_same_output(tmp_path):
    expected = run_seed(tmp_path, False, "my-key-boto3")
    got = run_seed(tmp_path, True, "my-key-boto")
    assert normalize(got) == normalize(expected)
    assert "pending" in got


# Where the client layer still differs from botocore (not the bindings'
# doing); each is a key boto3 has and boto-glib lacks, or the reverse.
KNOWN_GAPS = {
    # boto-glib adds the modeled members of SQS's QueueDoesNotExist to the
    # error response; botocore does not find the shape by the query code.
    ".message",
}


def test_seed_resource_example_same_output(tmp_path):
    s3 = Boto.client("s3")
    for name in ("parity-res-1", "parity-res-2"):
        s3.create_bucket(Bucket=name)
    expected = run_seed(tmp_path, False, "", "seed_resource_example.py")
    got = run_seed(tmp_path, True, "", "seed_resource_example.py")
    assert got == expected
    assert "parity-res-1\nparity-res-2\n" in got


def skeleton(value, path=""):
    """The structure of a response: keys and the types of the values."""
    if isinstance(value, dict):
        return {k: skeleton(v, path + "." + k) for k, v in value.items()
                if not (path == ".ResponseMetadata" and k in ("HTTPHeaders", "HostId"))
                and path + "." + k not in KNOWN_GAPS}
    if isinstance(value, list):
        return [skeleton(v, path + "[]") for v in value]
    if isinstance(value, datetime.datetime):
        return "datetime/aware" if value.tzinfo is not None else "datetime/naive"
    if hasattr(value, "read"):
        return "stream"
    return type(value).__name__


@pytest.fixture(scope="module")
def clients():
    return boto3.session.Session(), Boto.Session()


def both(clients, service, operation, make_params):
    b3, bg = clients
    ours = getattr(bg.client(service), operation)(**make_params("boto"))
    theirs = getattr(b3.client(service), operation)(**make_params("boto3"))
    return ours, theirs


def assert_same_structure(ours, theirs):
    assert skeleton(ours) == skeleton(theirs)


def test_s3_responses_have_boto3_structure(clients):
    for op, mk in [
        ("create_bucket", lambda who: dict(Bucket="parity-%s" % who)),
        ("put_object", lambda who: dict(Bucket="parity-%s" % who, Key="k", Body=b"body",
                                        Metadata={"a": "b"})),
        ("list_objects_v2", lambda who: dict(Bucket="parity-%s" % who)),
        ("head_object", lambda who: dict(Bucket="parity-%s" % who, Key="k")),
        ("get_object", lambda who: dict(Bucket="parity-%s" % who, Key="k")),
        ("list_buckets", lambda who: dict()),
    ]:
        ours, theirs = both(clients, "s3", op, mk)
        assert_same_structure(ours, theirs)
        if op == "get_object":
            assert ours["Body"].read() == theirs["Body"].read() == b"body"


def test_ec2_and_sqs_responses_have_boto3_structure(clients):
    ours, theirs = both(clients, "ec2", "run_instances",
                        lambda who: dict(ImageId="ami-12c6146b", MinCount=1, MaxCount=1,
                                         TagSpecifications=[{"ResourceType": "instance",
                                                             "Tags": [{"Key": "who", "Value": who}]}]))
    assert_same_structure(ours, theirs)
    ours, theirs = both(clients, "ec2", "describe_instances",
                        lambda who: dict(Filters=[{"Name": "tag:who", "Values": [who]}]))
    assert_same_structure(ours, theirs)

    urls = {}

    def queue(who):
        return dict(QueueName="parity-%s" % who, Attributes={"DelaySeconds": "0"})

    ours, theirs = both(clients, "sqs", "create_queue", queue)
    assert_same_structure(ours, theirs)
    urls["boto"], urls["boto3"] = ours["QueueUrl"], theirs["QueueUrl"]
    ours, theirs = both(clients, "sqs", "send_message",
                        lambda who: dict(QueueUrl=urls[who], MessageBody="m",
                                         MessageAttributes={"x": {"DataType": "Binary",
                                                                  "BinaryValue": b"\x01"}}))
    assert_same_structure(ours, theirs)
    ours, theirs = both(clients, "sqs", "receive_message",
                        lambda who: dict(QueueUrl=urls[who], MessageAttributeNames=["All"],
                                         AttributeNames=["All"]))
    assert_same_structure(ours, theirs)
    assert ours["Messages"][0]["MessageAttributes"] == theirs["Messages"][0]["MessageAttributes"]


def test_errors_match_boto3(clients):
    b3, bg = clients
    with pytest.raises(Boto.exceptions.ClientError) as ours:
        bg.client("s3").list_objects_v2(Bucket="parity-missing")
    theirs_client = b3.client("s3")
    with pytest.raises(theirs_client.exceptions.NoSuchBucket) as theirs:
        theirs_client.list_objects_v2(Bucket="parity-missing")
    assert type(ours.value).__name__ == type(theirs.value).__name__ == "NoSuchBucket"
    assert str(ours.value) == str(theirs.value)
    assert ours.value.operation_name == theirs.value.operation_name
    assert_same_structure(ours.value.response, theirs.value.response)

    sqs = bg.client("sqs")
    sqs3 = b3.client("sqs")
    with pytest.raises(sqs.exceptions.QueueDoesNotExist) as ours:
        sqs.get_queue_url(QueueName="parity-no-queue")
    with pytest.raises(sqs3.exceptions.QueueDoesNotExist) as theirs:
        sqs3.get_queue_url(QueueName="parity-no-queue")
    assert str(ours.value) == str(theirs.value)
    assert_same_structure(ours.value.response, theirs.value.response)
