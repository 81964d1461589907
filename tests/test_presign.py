# SPDX-License-Identifier: Apache-2.0
"""Presigned URLs and database tokens from the Python override, against
boto3's at the same instant: the same strings, byte for byte."""

import datetime
import os
import re
from unittest import mock

import boto3
import botocore.auth
import botocore.signers
from botocore.config import Config
import gi
import pytest

gi.require_version("Boto", "1.0")
from gi.repository import Boto  # noqa: E402

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret/key",
               "AWS_SESSION_TOKEN": "to/ken+=", "AWS_DEFAULT_REGION": "us-west-2"}


@pytest.fixture(autouse=True)
def environment(monkeypatch, tmp_path):
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    # RDS and DSQL are not among the shipped models: botocore's are read.
    monkeypatch.setenv("AWS_DATA_PATH", os.path.join(os.path.dirname(botocore.__file__), "data"))


def boto3_at(url, make):
    """boto3's answer at the instant @url was signed (its X-Amz-Date)."""
    stamp = re.search(r"X-Amz-Date=(\d{8}T\d{6}Z)", url).group(1)
    when = datetime.datetime.strptime(stamp, "%Y%m%dT%H%M%SZ")
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=when):
        return make()


@pytest.mark.parametrize("kwargs", [
    {"DBHostname": "db.cluster-abc.us-west-2.rds.amazonaws.com", "Port": 5432, "DBUsername": "jane doe+1"},
    {"DBHostname": "db.example", "Port": 443, "DBUsername": "admin", "Region": "eu-west-1"},
])
def test_rds_db_auth_token(kwargs):
    ours = Boto.client("rds").generate_db_auth_token(**kwargs)
    assert ours.startswith("%s:%d/?Action=connect&DBUser=" % (kwargs["DBHostname"], kwargs["Port"]))
    assert ours == boto3_at(ours, lambda: boto3.client("rds").generate_db_auth_token(**kwargs))


@pytest.mark.parametrize("method,kwargs", [
    ("generate_db_connect_auth_token", {"Hostname": "abc.dsql.us-west-2.on.aws"}),
    ("generate_db_connect_admin_auth_token",
     {"Hostname": "abc.dsql.us-east-2.on.aws", "Region": "us-east-2", "ExpiresIn": 60}),
])
def test_dsql_db_auth_tokens(method, kwargs):
    ours = getattr(Boto.client("dsql"), method)(**kwargs)
    assert "X-Amz-Credential=AKIDEXAMPLE%2F" in ours and "%2Fdsql%2Faws4_request" in ours
    assert ours == boto3_at(ours, lambda: getattr(boto3.client("dsql"), method)(**kwargs))


def test_db_auth_token_errors():
    rds = Boto.client("rds")
    with pytest.raises(Boto.ParamValidationError):
        rds.generate_db_auth_token(DBHostname="db.example/evil", Port=5432, DBUsername="u")
    # Only an RDS client has the method, as in boto3 …
    assert not hasattr(Boto.client("sqs"), "generate_db_auth_token")
    # … and the library says so when asked through another client.
    gclient = Boto.Session.new().create_client("sqs", None, None)
    with pytest.raises(gi.repository.GLib.Error, match="method of rds clients"):
        gclient.generate_db_auth_token("db.example", 5432, "u", None)


@pytest.mark.parametrize("method,params,expires", [
    ("get_object", {"Bucket": "my-bucket", "Key": "dir/a file+.txt"}, 3600),
    ("put_object", {"Bucket": "my-bucket", "Key": "k", "ContentType": "text/plain"}, 60),
    ("get_queue_attributes", None, 900),
])
@pytest.mark.parametrize("http_method", [None, "PUT", "head"])
def test_generate_presigned_url(method, params, expires, http_method):
    service = "sqs" if method == "get_queue_attributes" else "s3"
    if params is None:
        params = {"QueueUrl": "https://sqs.us-west-2.amazonaws.com/123456789012/q",
                  "AttributeNames": ["All"]}
    ours = Boto.client(service).generate_presigned_url(method, Params=params, ExpiresIn=expires,
                                                       HttpMethod=http_method)
    # boto3 signs S3 URLs with the legacy Signature Version 2 unless told
    # otherwise; boto-glib always uses SigV4 (s3v4).
    config = Config(signature_version="s3v4") if service == "s3" else None
    assert ours == boto3_at(ours, lambda: boto3.client(service, config=config).generate_presigned_url(
        method, Params=params, ExpiresIn=expires, HttpMethod=http_method))


def test_presigned_url_http_method():
    """The signature covers the method: a GET URL signed for PUT differs
    only in its signature; a method that is no HTTP token is refused."""
    s3 = Boto.client("s3")
    params = {"Bucket": "my-bucket", "Key": "k"}
    get = s3.generate_presigned_url("get_object", Params=params)
    put = s3.generate_presigned_url("get_object", Params=params, HttpMethod="PUT")
    strip = lambda url: re.sub(r"X-Amz-(Signature|Date)=[^&]*", "", url)
    assert strip(get) == strip(put)
    with pytest.raises(Boto.ParamValidationError, match="HttpMethod"):
        s3.generate_presigned_url("get_object", Params=params, HttpMethod="GET /x")


@pytest.mark.parametrize("region,s3_config,bucket", [
    ("us-east-1", None, "my-bucket"),
    ("eu-west-1", None, "dotted.bucket.name"),
    ("eu-west-1", {"addressing_style": "path"}, "my-bucket"),
    ("eu-west-1", {"addressing_style": "virtual"}, "my-bucket"),
    ("us-east-1", {"us_east_1_regional_endpoint": "regional"}, "my-bucket"),
    ("eu-west-1", {"use_accelerate_endpoint": True}, "my-bucket"),
    ("cn-north-1", None, "my-bucket"),
])
def test_s3_presigned_url_endpoints(region, s3_config, bucket):
    """The host botocore picks for an S3 URL: the global one unless the
    configuration or the bucket name rules it out."""
    params = {"Bucket": bucket, "Key": "k"}
    ours = Boto.client("s3", region_name=region, config=Boto.Config(s3=s3_config) if s3_config else None) \
        .generate_presigned_url("get_object", Params=params, ExpiresIn=100)
    config = Config(signature_version="s3v4", s3=s3_config)
    assert ours == boto3_at(ours, lambda: boto3.client("s3", region_name=region, config=config)
                            .generate_presigned_url("get_object", Params=params, ExpiresIn=100))


def boto3_post_at(fields, make):
    """boto3's presigned POST at the instant our fields were signed."""
    when = datetime.datetime.strptime(fields["x-amz-date"], "%Y%m%dT%H%M%SZ")
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=when), \
            mock.patch.object(botocore.signers, "get_current_datetime", return_value=when):
        return make()


@pytest.mark.parametrize("region,kwargs", [
    ("us-west-2", {"Bucket": "my-bucket", "Key": "uploads/a.txt"}),
    ("eu-west-1", {"Bucket": "my-bucket", "Key": "uploads/${filename}", "ExpiresIn": 120,
                   "Fields": {"acl": "public-read", "success_action_status": "201",
                              "Content-Type": "image/png"},
                   "Conditions": [{"acl": "public-read"}, {"success_action_status": "201"},
                                  ["starts-with", "$Content-Type", "image/"],
                                  ["content-length-range", 1, 1048576],
                                  {"x-amz-meta-note": "caf\u00e9 \"quoted\"\n\x7f\t\U0001f600"}]}),
    ("us-east-1", {"Bucket": "dotted.bucket", "Key": "k", "Fields": {"key": "ignored", "acl": "private"}}),
])
def test_generate_presigned_post(region, kwargs):
    ours = Boto.client("s3", region_name=region).generate_presigned_post(**kwargs)
    theirs = boto3_post_at(ours["fields"], lambda: boto3.client(
        "s3", region_name=region, config=Config(signature_version="s3v4")).generate_presigned_post(**kwargs))
    assert ours == theirs
    assert list(ours["fields"]) == list(theirs["fields"])


def test_generate_presigned_post_errors():
    s3 = Boto.client("s3")
    with pytest.raises(Boto.ParamValidationError):
        s3.generate_presigned_post(Bucket="b", Key="k", Fields={"acl": 5})
    with pytest.raises(Boto.ParamValidationError):
        s3.generate_presigned_post(Bucket="b", Key="k", Conditions=[b"bytes"])
    assert not hasattr(Boto.client("sqs"), "generate_presigned_post")
