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


def test_assume_role_profile(tmp_path, monkeypatch):
    # The STS-backed providers work through the typelib too: a profile that
    # assumes a role gets moto's temporary credentials and signs with them.
    config = tmp_path / "config"
    config.write_text("[profile base]\n"
                      "aws_access_key_id = AKIDPYBASE\n"
                      "aws_secret_access_key = py-base-secret\n"
                      "[profile py-role]\n"
                      "role_arn = arn:aws:iam::123456789012:role/py-role\n"
                      "source_profile = base\n"
                      "role_session_name = py-session\n"
                      "region = us-east-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    session = Boto.Session(profile_name="py-role")
    creds = session.get_credentials()
    assert creds.get_method() == "assume-role"
    assert creds.get_access_key().startswith("ASIA")
    assert creds.get_token()
    sts = session.create_client("sts", None, None)
    identity = sts.call("GetCallerIdentity", None, None).unpack()
    assert identity["Arn"] == "arn:aws:sts::123456789012:assumed-role/py-role/py-session"
