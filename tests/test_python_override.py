# SPDX-License-Identifier: Apache-2.0
"""The PyGObject override (gir/python/gi/overrides/Boto.py) against moto:
boto3's spelling — sessions, clients with snake-case methods taking keyword
arguments, plain dicts out, ClientError and client.exceptions.  Run under
tests/moto-fixture.py."""

import datetime
import os

import gi
import pytest

gi.require_version("Boto", "1.0")
from gi.repository import Boto, Gio, GLib  # noqa: E402

UTC = datetime.timezone.utc


def test_override_is_loaded():
    assert hasattr(Boto, "client")
    assert issubclass(Boto.Session, Boto.Session.__mro__[1])
    assert Boto.exceptions.ClientError.__name__ == "ClientError"
    # The library's error enum is left as it is.
    assert Boto.ClientError.PARAM_VALIDATION


def test_session_arguments():
    session = Boto.Session(region_name="eu-west-3", aws_access_key_id="AKIDPY",
                           aws_secret_access_key="py-secret", aws_session_token="tok")
    assert session.region_name == "eu-west-3"
    assert session.profile_name == "default"
    creds = session.get_credentials()
    assert creds.get_access_key() == "AKIDPY"
    assert creds.get_token() == "tok"
    assert "s3" in session.get_available_services()


def test_client_meta_and_methods():
    s3 = Boto.Session().client("s3")
    assert type(s3).__name__ == "S3"
    assert s3.meta.region_name == "us-east-1"
    assert s3.meta.endpoint_url == os.environ["AWS_ENDPOINT_URL"]
    assert s3.meta.service_model.get_service_name() == "s3"
    assert s3.meta.method_to_api_mapping["list_objects_v2"] == "ListObjectsV2"
    assert callable(s3.list_objects_v2)
    assert "put_object" in dir(s3)
    with pytest.raises(TypeError, match="only accepts keyword arguments"):
        s3.list_objects_v2("bucket")
    other = Boto.Session().client("sqs", region_name="eu-west-1")
    assert other.meta.region_name == "eu-west-1"
    cfg = Boto.Config(region_name="ap-south-1", retries={"max_attempts": 2})
    assert cfg.region_name == "ap-south-1"
    assert Boto.client("sqs", config=cfg).meta.region_name == "ap-south-1"
    assert Boto.client("sqs", config={"region_name": "ca-central-1"}).meta.region_name == "ca-central-1"


def test_s3_round_trip_plain_values():
    s3 = Boto.client("s3")
    before = datetime.datetime.now(UTC) - datetime.timedelta(minutes=5)
    created = s3.create_bucket(Bucket="py-override-bucket")
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 200
    s3.put_object(Bucket="py-override-bucket", Key="bytes.bin", Body=b"\x00\x01binary")
    s3.put_object(Bucket="py-override-bucket", Key="text.txt", Body="text body",
                  Metadata={"colour": "blue"})

    listed = s3.list_objects_v2(Bucket="py-override-bucket")
    assert [o["Key"] for o in listed["Contents"]] == ["bytes.bin", "text.txt"]
    modified = listed["Contents"][0]["LastModified"]
    assert isinstance(modified, datetime.datetime)
    assert modified.tzinfo is not None and modified.utcoffset() == datetime.timedelta(0)
    assert modified > before
    assert listed["KeyCount"] == 2 and isinstance(listed["KeyCount"], int)
    assert listed["IsTruncated"] is False

    got = s3.get_object(Bucket="py-override-bucket", Key="bytes.bin")
    assert got["Body"].read() == b"\x00\x01binary"
    text = s3.get_object(Bucket="py-override-bucket", Key="text.txt")
    assert list(text["Body"].iter_chunks(4)) == [b"text", b" bod", b"y"]
    assert text["Metadata"] == {"colour": "blue"}
    assert isinstance(text["LastModified"], datetime.datetime)

    buckets = s3.list_buckets()["Buckets"]
    mine = [b for b in buckets if b["Name"] == "py-override-bucket"]
    assert isinstance(mine[0]["CreationDate"], datetime.datetime)


def test_get_object_body_streams():
    s3 = Boto.client("s3")
    s3.create_bucket(Bucket="py-override-stream")
    data = bytes(range(256)) * (3 * 4096)   # 3 MiB
    s3.put_object(Bucket="py-override-stream", Key="big", Body=data)
    got = s3.get_object(Bucket="py-override-stream", Key="big")
    assert got["ContentLength"] == len(data)
    body = got["Body"]
    # Read as the caller asks, from the response stream (never held whole).
    assert isinstance(body._stream, Gio.InputStream)
    head = body.read(10)
    assert head == data[:10]
    rest = b"".join(body.iter_chunks(65536))
    assert head + rest == data
    assert body.read() == b""
    body.close()


def test_client_error_and_generated_exceptions():
    s3 = Boto.client("s3")
    with pytest.raises(Boto.exceptions.ClientError) as info:
        s3.list_objects_v2(Bucket="py-override-missing")
    e = info.value
    assert e.response["Error"]["Code"] == "NoSuchBucket"
    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert e.operation_name == "ListObjectsV2"
    assert str(e).startswith(
        "An error occurred (NoSuchBucket) when calling the ListObjectsV2 operation: ")
    assert isinstance(e, s3.exceptions.NoSuchBucket)
    assert isinstance(e, s3.exceptions.ClientError)

    with pytest.raises(s3.exceptions.NoSuchBucket):
        s3.get_object(Bucket="py-override-missing", Key="k")
    # A code with no error shape of its own is a plain ClientError.
    with pytest.raises(Boto.exceptions.ClientError) as info:
        s3.head_bucket(Bucket="py-override-missing")
    assert info.value.response["Error"]["Code"] == "404"


def test_param_validation_error():
    ec2 = Boto.client("ec2")
    with pytest.raises(Boto.ParamValidationError) as info:
        ec2.run_instances(ImageId=5, MinCount=1)
    report = str(info.value)
    assert report.startswith("Parameter validation failed:\n")
    assert 'Missing required parameter in input: "MaxCount"' in report
    assert "Invalid type for parameter ImageId" in report
    with pytest.raises(Boto.ParamValidationError):
        Boto.client("sqs").send_message(QueueUrl="q", MessageBody="b", NoSuchParam=1)


def test_ec2_run_instances_and_describe():
    ec2 = Boto.client("ec2")
    key = ec2.create_key_pair(KeyName="py-override-key")
    assert key["KeyName"] == "py-override-key"
    images = ec2.describe_images(Owners=["amazon"])["Images"]
    image_id = images[0]["ImageId"] if images else "ami-12c6146b"
    reply = ec2.run_instances(ImageId=image_id, InstanceType="t2.micro", KeyName="py-override-key",
                              MinCount=2, MaxCount=2,
                              TagSpecifications=[{"ResourceType": "instance",
                                                  "Tags": [{"Key": "suite", "Value": "py"}]}])
    instances = reply["Instances"]
    assert len(instances) == 2
    assert instances[0]["State"]["Name"] == "pending"
    assert isinstance(instances[0]["LaunchTime"], datetime.datetime)
    assert isinstance(instances[0]["AmiLaunchIndex"], int)
    ids = [i["InstanceId"] for i in instances]
    described = ec2.describe_instances(InstanceIds=ids,
                                       Filters=[{"Name": "tag:suite", "Values": ["py"]}])
    found = [i["InstanceId"] for r in described["Reservations"] for i in r["Instances"]]
    assert sorted(found) == sorted(ids)


def test_sqs_maps_and_messages():
    sqs = Boto.client("sqs")
    url = sqs.create_queue(QueueName="py-override-queue",
                           Attributes={"DelaySeconds": "0", "VisibilityTimeout": "30"},
                           tags={"team": "glib"})["QueueUrl"]
    sent = sqs.send_message(QueueUrl=url, MessageBody="hello",
                            MessageAttributes={"n": {"DataType": "Number", "StringValue": "7"},
                                               "b": {"DataType": "Binary", "BinaryValue": b"\x01\x02"}})
    assert len(sent["MD5OfMessageBody"]) == 32
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1, MessageAttributeNames=["All"],
                              WaitTimeSeconds=0)
    msg = got["Messages"][0]
    assert msg["Body"] == "hello"
    assert msg["MessageAttributes"]["b"]["BinaryValue"] == b"\x01\x02"
    assert msg["MessageAttributes"]["n"]["StringValue"] == "7"
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["VisibilityTimeout"])
    assert attrs["Attributes"] == {"VisibilityTimeout": "30"}
    with pytest.raises(sqs.exceptions.QueueDoesNotExist) as info:
        sqs.get_queue_url(QueueName="py-override-no-such-queue")
    assert info.value.response["Error"]["QueryErrorCode"] == "QueueDoesNotExist"


def test_timestamps_in():
    cw = Boto.client("cloudwatch")
    now = datetime.datetime.now(UTC).replace(microsecond=0)
    cw.put_metric_data(Namespace="py/override", MetricData=[
        {"MetricName": "m", "Value": 3.0, "Unit": "Count", "Timestamp": now},
        {"MetricName": "m", "Value": 5, "Unit": "Count", "Timestamp": now - datetime.timedelta(seconds=30)},
    ])
    stats = cw.get_metric_statistics(Namespace="py/override", MetricName="m",
                                     StartTime=now - datetime.timedelta(minutes=10),
                                     EndTime=now + datetime.timedelta(minutes=10),
                                     Period=3600, Statistics=["Sum"])
    points = stats["Datapoints"]
    assert sum(p["Sum"] for p in points) == 8.0
    assert all(isinstance(p["Timestamp"], datetime.datetime) for p in points)


def test_generic_call_and_async():
    s3 = Boto.client("s3")
    assert "Buckets" in s3.call("ListBuckets")
    loop = GLib.MainLoop()
    out = {}

    def done(result, error):
        out["result"], out["error"] = result, error
        loop.quit()

    s3.call_async("list_objects_v2", done, Bucket="py-override-missing")
    loop.run()
    assert out["result"] is None
    assert isinstance(out["error"], s3.exceptions.NoSuchBucket)

    s3.call_async("ListBuckets", done)
    loop.run()
    assert out["error"] is None and "Buckets" in out["result"]


def test_paginator_as_boto3():
    s3 = Boto.client("s3")
    s3.create_bucket(Bucket="py-override-pages")
    for i in range(7):
        s3.put_object(Bucket="py-override-pages", Key="k%02d" % i, Body=b"x" * i)
    assert s3.can_paginate("list_objects_v2")
    assert not s3.can_paginate("put_object")
    paginator = s3.get_paginator("list_objects_v2")
    pages = list(paginator.paginate(Bucket="py-override-pages", PaginationConfig={"PageSize": 3}))
    assert [len(p["Contents"]) for p in pages] == [3, 3, 1]
    assert isinstance(pages[0]["Contents"][0]["LastModified"], datetime.datetime)

    keys = list(paginator.paginate(Bucket="py-override-pages",
                                   PaginationConfig={"PageSize": 2}).search("Contents[].Key"))
    assert keys == ["k%02d" % i for i in range(7)]
    sizes = list(paginator.paginate(Bucket="py-override-pages").search("Contents[].Size"))
    assert sizes == list(range(7))

    limited = paginator.paginate(Bucket="py-override-pages",
                                 PaginationConfig={"MaxItems": 4, "PageSize": 3})
    full = limited.build_full_result()
    assert [o["Key"] for o in full["Contents"]] == ["k00", "k01", "k02", "k03"]
    token = limited.resume_token
    assert token
    rest = paginator.paginate(Bucket="py-override-pages",
                              PaginationConfig={"StartingToken": token}).build_full_result()
    assert [o["Key"] for o in rest["Contents"]] == ["k04", "k05", "k06"]

    with pytest.raises(Boto.OperationNotPageableError):
        s3.get_paginator("put_object")
    with pytest.raises(s3.exceptions.NoSuchBucket) as info:
        list(paginator.paginate(Bucket="py-override-no-pages"))
    assert info.value.response["Error"]["Code"] == "NoSuchBucket"
    assert info.value.operation_name == "ListObjectsV2"


def test_waiter_as_boto3():
    s3 = Boto.client("s3")
    assert "bucket_exists" in s3.waiter_names
    s3.create_bucket(Bucket="py-override-waited")
    s3.get_waiter("bucket_exists").wait(Bucket="py-override-waited",
                                        WaiterConfig={"Delay": 1, "MaxAttempts": 2})
    with pytest.raises(Boto.WaiterError) as info:
        s3.get_waiter("bucket_exists").wait(Bucket="py-override-never",
                                            WaiterConfig={"Delay": 0, "MaxAttempts": 2})
    assert str(info.value).startswith("Waiter BucketExists failed: ")
    with pytest.raises(ValueError):
        s3.get_waiter("no_such_waiter")

    ec2 = Boto.client("ec2")
    assert "instance_running" in ec2.waiter_names
    reply = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1)
    iid = reply["Instances"][0]["InstanceId"]
    ec2.get_waiter("instance_running").wait(InstanceIds=[iid], WaiterConfig={"Delay": 1})
    state = ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]["State"]
    assert state["Name"] == "running"


def test_asyncio():
    import asyncio

    async def main():
        s3 = Boto.client("s3")
        await s3.aio.create_bucket(Bucket="py-override-aio")
        await asyncio.gather(*(s3.aio.put_object(Bucket="py-override-aio", Key="k%d" % i, Body=b"x")
                               for i in range(4)))
        listed = await s3.aio.list_objects_v2(Bucket="py-override-aio")
        assert [o["Key"] for o in listed["Contents"]] == ["k0", "k1", "k2", "k3"]
        assert isinstance(listed["Contents"][0]["LastModified"], datetime.datetime)
        with pytest.raises(s3.exceptions.NoSuchBucket):
            await s3.aio.call("ListObjectsV2", Bucket="py-override-aio-missing")
        with pytest.raises(Boto.ParamValidationError):
            await s3.aio.list_objects_v2()
        pages = s3.get_paginator("list_objects_v2").paginate(
            Bucket="py-override-aio", PaginationConfig={"PageSize": 3})
        sizes = [len(page["Contents"]) async for page in pages]
        assert sizes == [3, 1]
        await s3.get_waiter("bucket_exists").wait_async(Bucket="py-override-aio")
        return True

    assert asyncio.run(main())


def test_resources_as_boto3():
    s3 = Boto.resource("s3")
    bucket = s3.create_bucket(Bucket="py-override-res")
    assert bucket.name == "py-override-res"
    assert bucket == s3.Bucket("py-override-res")
    assert repr(bucket) == "s3.Bucket(name='py-override-res')"
    names = [b.name for b in s3.buckets.all()]
    assert "py-override-res" in names
    listed = [b for b in s3.buckets.all() if b.name == "py-override-res"][0]
    assert isinstance(listed.creation_date, datetime.datetime)
    assert listed.creation_date.tzinfo is not None

    obj = bucket.put_object(Key="a.txt", Body=b"resource body")
    assert (obj.bucket_name, obj.key) == ("py-override-res", "a.txt")
    same = bucket.Object("a.txt")
    assert same.content_length == len(b"resource body")
    assert isinstance(same.last_modified, datetime.datetime)
    assert same.get()["Body"].read() == b"resource body"
    bucket.put_object(Key="b.txt", Body=b"2")
    assert [o.key for o in bucket.objects.all()] == ["a.txt", "b.txt"]
    assert [o.key for o in bucket.objects.filter(Prefix="b")] == ["b.txt"]
    assert len(list(bucket.objects.limit(1))) == 1
    assert [len(p) for p in bucket.objects.page_size(1).pages()] == [1, 1]
    assert s3.meta.client.head_bucket(Bucket="py-override-res")["ResponseMetadata"]["HTTPStatusCode"] == 200
    bucket.wait_until_exists()
    deleted = bucket.objects.delete()
    assert sorted(d["Key"] for d in deleted[0]["Deleted"]) == ["a.txt", "b.txt"]
    assert list(bucket.objects.all()) == []

    with pytest.raises(s3.meta.client.exceptions.NoSuchBucket):
        list(s3.Bucket("py-override-res-missing").objects.all())


def test_ec2_resource_instance():
    ec2 = Boto.resource("ec2")
    instances = ec2.create_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1,
                                     InstanceType="t2.micro")
    instance = instances[0]
    assert instance.id.startswith("i-")
    assert instance.state["Name"] == "pending"
    assert isinstance(instance.launch_time, datetime.datetime)
    assert instance.vpc.id.startswith("vpc-")
    instance.wait_until_running(WaiterConfig={"Delay": 1})
    instance.reload()
    assert instance.state["Name"] == "running"
    assert instance.meta.data["InstanceId"] == instance.id
    assert any(i.id == instance.id for i in ec2.instances.all())


def test_s3_file_transfers_as_boto3(tmp_path):
    """upload_file/download_file/upload_fileobj/download_fileobj on the S3
    client and resources: multipart from 8 MiB (a multipart ETag ends in
    its part count), progress callbacks, byte-exact round trips."""
    import io
    s3 = Boto.client("s3")
    s3.create_bucket(Bucket="py-transfers")
    big = bytes((i * 31 + (i >> 10)) & 0xFF for i in range(17 * 1024 * 1024 + 5))
    path = tmp_path / "big.bin"
    path.write_bytes(big)

    s3.upload_file(str(path), "py-transfers", "file.bin", ExtraArgs={"Metadata": {"k": "v"}})
    head = s3.head_object(Bucket="py-transfers", Key="file.bin")
    assert head["ContentLength"] == len(big) and head["ETag"].endswith('-3"')
    assert head["Metadata"] == {"k": "v"}
    s3.download_file("py-transfers", "file.bin", str(tmp_path / "back.bin"))
    assert (tmp_path / "back.bin").read_bytes() == big

    seen = []
    s3.upload_fileobj(io.BytesIO(big), "py-transfers", "obj.bin", Callback=seen.append)
    assert sum(seen) == len(big) and len(seen) == 3
    out = io.BytesIO()
    s3.download_fileobj("py-transfers", "obj.bin", out, Callback=seen.append)
    assert out.getvalue() == big
    assert s3.head_object(Bucket="py-transfers", Key="obj.bin")["ETag"].endswith('-3"')
    assert not s3.list_multipart_uploads(Bucket="py-transfers").get("Uploads")

    # A checksum of the whole object makes the multipart upload FULL_OBJECT
    # (CreateMultipartUpload takes no checksum value; Complete gets it).
    import base64, struct, zlib
    crc = base64.b64encode(struct.pack(">I", zlib.crc32(big))).decode()
    s3.upload_fileobj(io.BytesIO(big), "py-transfers", "full.bin", ExtraArgs={"ChecksumCRC32": crc})
    s3.upload_file(str(path), "py-transfers", "full-file.bin", ExtraArgs={"ChecksumCRC32": crc})
    for key in ("full.bin", "full-file.bin"):
        head = s3.head_object(Bucket="py-transfers", Key=key, ChecksumMode="ENABLED")
        assert head["ContentLength"] == len(big) and head["ETag"].endswith('-3"')
        assert head.get("ChecksumCRC32", crc).startswith(crc), head
    small_crc = base64.b64encode(struct.pack(">I", zlib.crc32(b"tiny"))).decode()
    s3.upload_fileobj(io.BytesIO(b"tiny"), "py-transfers", "tiny.bin", ExtraArgs={"ChecksumCRC32": small_crc})
    assert s3.get_object(Bucket="py-transfers", Key="tiny.bin")["Body"].read() == b"tiny"

    # Small objects in one PutObject; a Callback through upload_file.
    seen.clear()
    (tmp_path / "small.txt").write_bytes(b"small")
    s3.upload_file(str(tmp_path / "small.txt"), "py-transfers", "small.txt", Callback=seen.append)
    assert seen == [5]
    s3.download_file("py-transfers", "small.txt", str(tmp_path / "small-back.txt"), Callback=seen.append)
    assert (tmp_path / "small-back.txt").read_bytes() == b"small"

    # Resources: Bucket and Object.
    bucket = Boto.resource("s3").Bucket("py-transfers")
    bucket.upload_fileobj(io.BytesIO(b"via bucket"), "res.txt")
    obj = Boto.resource("s3").Object("py-transfers", "res.txt")
    out = io.BytesIO()
    obj.download_fileobj(out)
    assert out.getvalue() == b"via bucket"

    # A missing key: ClientError, and the destination left alone.
    with pytest.raises(s3.exceptions.ClientError):
        s3.download_file("py-transfers", "missing", str(tmp_path / "small-back.txt"))
    assert (tmp_path / "small-back.txt").read_bytes() == b"small"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["back.bin", "big.bin", "small-back.txt", "small.txt"]


def test_s3_upload_fileobj_config_and_parallel_parts(tmp_path):
    """upload_fileobj follows a TransferConfig (Boto's or boto3's) as
    s3transfer does: parts of multipart_chunksize, up to max_concurrency
    in flight, one thread without use_threads; a failed part aborts the
    upload and nothing is completed."""
    import io
    import threading
    s3 = Boto.client("s3")
    s3.create_bucket(Bucket="py-parallel")
    mib = 1024 * 1024
    data = bytes((i * 7 + (i >> 12)) & 0xFF for i in range(20 * mib + 3))

    # Two parts must be in flight at once: each part's Callback waits for
    # another one; sent one after the other, the first would time out.
    meet = threading.Barrier(2, timeout=20)
    threads = set()

    def callback(n):
        threads.add(threading.get_ident())
        if n == 5 * mib:
            meet.wait()

    config = Boto.TransferConfig(multipart_threshold=5 * mib, multipart_chunksize=5 * mib, max_concurrency=2)
    s3.upload_fileobj(io.BytesIO(data), "py-parallel", "four.bin", Callback=callback, Config=config)
    head = s3.head_object(Bucket="py-parallel", Key="four.bin")
    # 20 MiB + 3 in parts of 5 MiB: five parts, the last of three bytes.
    assert head["ContentLength"] == len(data) and head["ETag"].endswith('-5"')
    assert s3.get_object(Bucket="py-parallel", Key="four.bin")["Body"].read() == data
    assert threading.get_ident() not in threads and len(threads) == 2

    # boto3's own TransferConfig; a part size below S3's 5 MiB is raised
    # to it; without threads everything happens in the caller's thread.
    from boto3.s3.transfer import TransferConfig
    threads.clear()
    config = TransferConfig(multipart_threshold=6 * mib, multipart_chunksize=mib, use_threads=False)
    s3.upload_fileobj(io.BytesIO(data[:11 * mib]), "py-parallel", "three.bin",
                      Callback=lambda n: threads.add(threading.get_ident()), Config=config)
    # 11 MiB: 6 MiB read for the threshold, parts of 5, 5 and 1 MiB.
    assert s3.head_object(Bucket="py-parallel", Key="three.bin")["ETag"].endswith('-3"')
    assert threads == {threading.get_ident()}
    # Below the threshold: one PutObject.
    s3.upload_fileobj(io.BytesIO(data[:6 * mib - 1]), "py-parallel", "one.bin", Config=config)
    assert "-" not in s3.head_object(Bucket="py-parallel", Key="one.bin")["ETag"]
    # upload_file with a Config takes the same way.
    path = tmp_path / "eleven.bin"
    path.write_bytes(data[:11 * mib])
    s3.upload_file(str(path), "py-parallel", "file.bin", Config=config)
    assert s3.head_object(Bucket="py-parallel", Key="file.bin")["ETag"].endswith('-3"')

    # A part fails: the error comes out, the upload is aborted.
    sent = []

    def fail_third(n):
        sent.append(n)
        if len(sent) == 3:
            raise RuntimeError("no third part")

    config = Boto.TransferConfig(multipart_threshold=5 * mib, multipart_chunksize=5 * mib, max_concurrency=3)
    with pytest.raises(RuntimeError, match="no third part"):
        s3.upload_fileobj(io.BytesIO(data), "py-parallel", "failed.bin", Callback=fail_third, Config=config)
    assert not s3.list_multipart_uploads(Bucket="py-parallel").get("Uploads")
    with pytest.raises(s3.exceptions.ClientError):
        s3.head_object(Bucket="py-parallel", Key="failed.bin")


def test_s3_download_fileobj_ranges(tmp_path):
    """download_fileobj as s3transfer: HeadObject, then ranged GETs of
    multipart_chunksize, up to max_concurrency at once, each asking for
    the ETag it saw, written in order; an object replaced meanwhile fails
    instead of mixing two versions."""
    import io
    import threading
    s3 = Boto.client("s3")
    s3.create_bucket(Bucket="py-ranges")
    mib = 1024 * 1024
    data = bytes((i * 13 + (i >> 11)) & 0xFF for i in range(4 * mib + 7))
    s3.put_object(Bucket="py-ranges", Key="obj.bin", Body=data)
    etag = s3.head_object(Bucket="py-ranges", Key="obj.bin")["ETag"]

    # Two ranges must be in flight at once: each waits for another one.
    meet = threading.Barrier(2, timeout=20)
    asked = []
    get_object = s3.get_object

    def meeting_get(**kwargs):
        asked.append((kwargs.get("Range"), kwargs.get("IfMatch")))
        if kwargs.get("Range") != "bytes=%d-%d" % (4 * mib, 4 * mib + 6):
            meet.wait()
        return get_object(**kwargs)

    s3.get_object = meeting_get
    seen = []
    out = io.BytesIO()
    config = Boto.TransferConfig(multipart_threshold=mib, multipart_chunksize=mib, max_concurrency=2)
    s3.download_fileobj("py-ranges", "obj.bin", out, Callback=seen.append, Config=config)
    assert out.getvalue() == data
    assert seen == [mib] * 4 + [7]
    assert sorted(asked) == sorted(("bytes=%d-%d" % (start, min(start + mib, len(data)) - 1), etag)
                                   for start in range(0, len(data), mib))

    # Below the threshold, or a Range asked for: one GetObject.
    asked.clear()
    s3.get_object = get_object
    out = io.BytesIO()
    s3.download_fileobj("py-ranges", "obj.bin", out)
    assert out.getvalue() == data
    out = io.BytesIO()
    s3.download_fileobj("py-ranges", "obj.bin", out, ExtraArgs={"Range": "bytes=0-9"}, Config=config)
    assert out.getvalue() == data[:10]

    # download_file with a Config takes the same way; the object replaced
    # after the HeadObject: the ETag no longer matches, the file is left alone.
    path = tmp_path / "obj.bin"
    s3.download_file("py-ranges", "obj.bin", str(path), Config=config)
    assert path.read_bytes() == data

    def replacing_get(**kwargs):
        if not asked:
            s3.put_object(Bucket="py-ranges", Key="obj.bin", Body=data[::-1])
        asked.append(kwargs.get("Range"))
        return get_object(**kwargs)

    s3.get_object = replacing_get
    with pytest.raises(s3.exceptions.ClientError, match="PreconditionFailed"):
        s3.download_file("py-ranges", "obj.bin", str(path), Config=config)
    assert path.read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["obj.bin"]
