# SPDX-License-Identifier: Apache-2.0
"""Presigned URLs and streamed S3 objects from Python through the typelib,
against moto (run under tests/moto-fixture.py)."""

import urllib.request

import gi

gi.require_version("Boto", "1.0")
from gi.repository import Boto, Gio, GLib  # noqa: E402


def params(**kwargs):
    return GLib.Variant("a{sv}", kwargs)


def s(text):
    return GLib.Variant("s", text)


def test_presigned_get_and_put():
    s3 = Boto.Session().create_client("s3", None, None)
    s3.call("CreateBucket", params(Bucket=s("py-presign")), None)
    s3.call("PutObject", params(Bucket=s("py-presign"), Key=s("a.txt"),
                                Body=GLib.Variant("ay", b"presigned from python")), None)

    url = s3.generate_presigned_url("get_object", params(Bucket=s("py-presign"), Key=s("a.txt")), 3600)
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=3600" in url
    with urllib.request.urlopen(url) as response:
        assert response.read() == b"presigned from python"

    put_url = s3.generate_presigned_url("PutObject", params(Bucket=s("py-presign"), Key=s("b.txt")), 60)
    request = urllib.request.Request(put_url, data=b"put by url", method="PUT",
                                     headers={"Content-Type": "application/octet-stream"})
    with urllib.request.urlopen(request) as response:
        assert response.status == 200
    got = s3.call("GetObject", params(Bucket=s("py-presign"), Key=s("b.txt")), None).unpack()
    assert bytes(got["Body"]) == b"put by url"


def test_streaming_read_and_write():
    s3 = Boto.Session().create_client("s3", None, None)
    s3.call("CreateBucket", params(Bucket=s("py-stream")), None)
    data = bytes(range(256)) * 4096  # 1 MiB

    source = Gio.MemoryInputStream.new_from_bytes(GLib.Bytes.new(data))
    s3.call_with_body("put_object", params(Bucket=s("py-stream"), Key=s("big")),
                      source, len(data), None)

    result, body = s3.call_streaming("GetObject", params(Bucket=s("py-stream"), Key=s("big")), None)
    result = result.unpack()
    assert "Body" not in result
    assert result["ContentLength"] == len(data)
    received = bytearray()
    while True:
        chunk = body.read_bytes(65536, None)
        if chunk.get_size() == 0:
            break
        received += chunk.get_data()
    body.close(None)
    assert bytes(received) == data


def test_streaming_async():
    s3 = Boto.Session().create_client("s3", None, None)
    s3.call("CreateBucket", params(Bucket=s("py-stream-async")), None)
    s3.call("PutObject", params(Bucket=s("py-stream-async"), Key=s("k"),
                                Body=GLib.Variant("ay", b"async body")), None)
    loop = GLib.MainLoop()
    out = {}

    def read_done(stream, res):
        out["data"] = stream.read_bytes_finish(res).get_data()
        loop.quit()

    def done(client, res):
        result, body = client.call_streaming_finish(res)
        out["result"] = result.unpack()
        body.read_bytes_async(100, GLib.PRIORITY_DEFAULT, None, read_done)

    s3.call_streaming_async("GetObject", params(Bucket=s("py-stream-async"), Key=s("k")), None, done)
    loop.run()
    assert out["data"] == b"async body"
    assert out["result"]["ResponseMetadata"]["HTTPStatusCode"] == 200
