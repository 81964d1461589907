# SPDX-License-Identifier: Apache-2.0
"""BotoClient from Python through the typelib, against moto (run under
tests/moto-fixture.py, which exports AWS_ENDPOINT_URL and fake credentials)."""

import gi

gi.require_version("Boto", "1.0")
from gi.repository import Boto, GLib  # noqa: E402


def params(**kwargs):
    return GLib.Variant("a{sv}", kwargs)


def test_s3_bucket_put_list():
    s3 = Boto.Session().create_client("s3", None, None)
    s3.call("CreateBucket", params(Bucket=GLib.Variant("s", "py-bucket")), None)
    s3.call("put_object", params(Bucket=GLib.Variant("s", "py-bucket"),
                                 Key=GLib.Variant("s", "a.txt"),
                                 Body=GLib.Variant("ay", b"from python")), None)
    listed = s3.call("ListObjectsV2", params(Bucket=GLib.Variant("s", "py-bucket")), None).unpack()
    assert [o["Key"] for o in listed["Contents"]] == ["a.txt"]
    assert listed["ResponseMetadata"]["HTTPStatusCode"] == 200

    got = s3.call("GetObject", params(Bucket=GLib.Variant("s", "py-bucket"),
                                      Key=GLib.Variant("s", "a.txt")), None).unpack()
    assert bytes(got["Body"]) == b"from python"


def test_service_error_without_raising():
    s3 = Boto.Session().create_client("s3", None, None)
    result, is_error = s3.call_full("ListObjectsV2",
                                    params(Bucket=GLib.Variant("s", "py-missing")), None)
    assert is_error
    response = result.unpack()
    assert response["Error"]["Code"] == "NoSuchBucket"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_service_error_raises_gerror():
    s3 = Boto.Session().create_client("s3", None, None)
    try:
        s3.call("ListObjectsV2", params(Bucket=GLib.Variant("s", "py-missing")), None)
    except GLib.Error as e:
        assert e.domain == GLib.quark_to_string(Boto.service_error_quark())
        assert e.code == Boto.ServiceError.CLIENT
        assert "NoSuchBucket" in e.message
    else:
        raise AssertionError("no error raised")


def test_async_call():
    s3 = Boto.Session().create_client("s3", None, None)
    loop = GLib.MainLoop()
    out = {}

    def done(client, result):
        out["result"] = client.call_finish(result).unpack()
        loop.quit()

    s3.call_async("ListBuckets", None, None, done)
    loop.run()
    assert "Buckets" in out["result"]
