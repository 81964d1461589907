# SPDX-License-Identifier: Apache-2.0
"""Paginators and waiters from Python through the typelib, against moto
(run under tests/moto-fixture.py, which exports AWS_ENDPOINT_URL and fake
credentials)."""

import gi
import pytest

gi.require_version("Boto", "1.0")
from gi.repository import Boto, GLib  # noqa: E402


def params(**kwargs):
    return GLib.Variant("a{sv}", kwargs)


def s(text):
    return GLib.Variant("s", text)


@pytest.fixture(scope="module")
def s3():
    client = Boto.Session().create_client("s3", None, None)
    client.call("CreateBucket", params(Bucket=s("py-pages")), None)
    for i in range(25):
        client.call("put_object", params(Bucket=s("py-pages"), Key=s("k%02d" % i),
                                         Body=GLib.Variant("ay", b"x")), None)
    return client


def test_paginate_until_none(s3):
    assert s3.can_paginate("list_objects_v2")
    paginator = s3.get_paginator("list_objects_v2")
    assert paginator.get_operation_name() == "ListObjectsV2"
    pages = paginator.paginate(params(Bucket=s("py-pages")),
                               params(PageSize=GLib.Variant("i", 10)))
    keys = []
    while True:
        page = pages.next(None)
        if page is None:
            break
        keys += [o["Key"] for o in page.unpack().get("Contents", [])]
    assert keys == ["k%02d" % i for i in range(25)]
    assert pages.get_n_pages() == 3


def test_max_items_and_resume(s3):
    paginator = s3.get_paginator("ListObjectsV2")
    pages = paginator.paginate(params(Bucket=s("py-pages"),
                                      PaginationConfig=params(MaxItems=GLib.Variant("i", 15),
                                                              PageSize=GLib.Variant("i", 10))),
                               None)
    full = pages.build_full_result(None).unpack()
    assert [o["Key"] for o in full["Contents"]] == ["k%02d" % i for i in range(15)]
    token = full["NextToken"]
    assert token == pages.get_resume_token()

    # botocore reads the token the same way.
    from botocore.paginate import TokenDecoder
    decoded = TokenDecoder().decode(token)
    assert decoded["boto_truncate_amount"] == 5

    rest = paginator.paginate(params(Bucket=s("py-pages")),
                              params(StartingToken=s(token))).search("Contents[].Key", None)
    assert rest.unpack() == ["k%02d" % i for i in range(15, 25)]


def test_paginate_async(s3):
    pages = s3.get_paginator("list_objects_v2").paginate(
        params(Bucket=s("py-pages")), params(PageSize=GLib.Variant("i", 20)))
    loop = GLib.MainLoop()
    got = []

    def on_page(iterator, result):
        page = iterator.next_finish(result)
        if page is None:
            loop.quit()
            return
        got.append(len(page.unpack()["Contents"]))
        iterator.next_async(None, on_page)

    pages.next_async(None, on_page)
    loop.run()
    assert got == [20, 5]


def test_not_pageable(s3):
    assert not s3.can_paginate("put_object")
    with pytest.raises(GLib.Error) as info:
        s3.get_paginator("put_object")
    assert info.value.code == Boto.ClientError.UNKNOWN_OPERATION


def test_waiters(s3):
    assert s3.dup_waiter_names() == ["bucket_exists", "bucket_not_exists",
                                     "object_exists", "object_not_exists"]
    waiter = s3.get_waiter("bucket_exists")
    assert waiter.get_name() == "BucketExists"
    assert waiter.get_delay() == 5 and waiter.get_max_attempts() == 20
    assert waiter.wait(params(Bucket=s("py-pages")), None)
    assert s3.get_waiter("object_exists").wait(params(Bucket=s("py-pages"), Key=s("k00")), None)

    with pytest.raises(GLib.Error) as info:
        waiter.wait(params(Bucket=s("py-nothing"),
                           WaiterConfig=params(Delay=GLib.Variant("i", 0),
                                               MaxAttempts=GLib.Variant("i", 2))), None)
    assert info.value.code == Boto.ClientError.WAITER
    assert "Waiter BucketExists failed: Max attempts exceeded" in info.value.message


def test_waiter_async(s3):
    waiter = s3.get_waiter("bucket_not_exists")
    loop = GLib.MainLoop()
    out = {}

    def done(w, result):
        out["ok"] = w.wait_finish(result)
        loop.quit()

    waiter.wait_async(params(Bucket=s("py-absent")), None, done)
    loop.run()
    assert out["ok"] is True
