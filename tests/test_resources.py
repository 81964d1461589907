# SPDX-License-Identifier: Apache-2.0
"""The resource layer from Python through the typelib (generic API and the
typed classes), against moto (run under tests/moto-fixture.py)."""

import gi

gi.require_version("Boto", "1.0")
from gi.repository import Boto, GLib  # noqa: E402


def raw_resource(service, config):
    """The library's own Session.resource(): the Boto override's
    session.resource() gives boto3-style wrappers instead."""
    from gi.module import get_introspection_module
    return get_introspection_module("Boto").Session.resource(Boto.Session(), service, config)


def params(**kwargs):
    return GLib.Variant("a{sv}", kwargs)


def s(text):
    return GLib.Variant("s", text)


def drain(collection):
    items = []
    while True:
        item = collection.next(None)
        if item is None:
            return items
        items.append(item)


def test_buckets_all():
    s3 = raw_resource("s3", None)
    assert isinstance(s3, Boto.ServiceResource)
    for name in ("py-res-1", "py-res-2", "py-res-3"):
        result = s3.call_action_full("create_bucket", params(Bucket=s(name)), None)
        bucket = result.get_resource()
        assert bucket.get_resource_name() == "Bucket"
        assert bucket.props.name == name

    buckets = drain(s3.get_collection("buckets").all())
    names = [b.get_identifier("name").unpack() for b in buckets]
    for name in ("py-res-1", "py-res-2", "py-res-3"):
        assert name in names
    assert all(b.to_string().startswith("s3.Bucket(name=") for b in buckets)


def test_bucket_objects():
    s3 = raw_resource("s3", None)
    bucket = s3.get_sub_resource("Bucket", s("py-objects"))
    assert isinstance(bucket, Boto.S3Bucket)
    assert bucket.get_identifiers().unpack() == {"name": "py-objects"}
    bucket.call_action("create", None, None)
    bucket.wait("wait_until_exists", params(WaiterConfig=GLib.Variant("a{sv}", {"Delay": GLib.Variant("i", 0)})), None)
    assert bucket.get_attribute("creation_date") is not None

    for i in range(12):
        obj = bucket.get_sub_resource("Object", s("a/%02d" % i))
        obj.call_action("put", params(Body=GLib.Variant("ay", b"body %d" % i)), None)

    objects = bucket.get_collection("objects")
    limited = objects.filter(params(Prefix=s("a/"))).page_size(5).limit(7)
    pages = []
    while True:
        page = limited.next_page(None)
        if not page:  # PyGObject gives [] for the NULL at the end
            break
        pages.append([o.props.key for o in page])
    assert [len(p) for p in pages] == [5, 2]
    assert pages[0][0] == "a/00"

    got = bucket.get_sub_resource("Object", s("a/03")).call_action("get", None, None).unpack()
    assert bytes(got["Body"]) == b"body 3"

    responses = objects.all().call_batch_action("delete", None, None).unpack()
    assert len(responses) == 1
    assert drain(objects.all()) == []
    bucket.call_action("delete", None, None)


def test_errors():
    s3 = raw_resource("s3", None)
    try:
        s3.get_sub_resource("Nope", s("x"))
    except GLib.Error as e:
        assert e.matches(Boto.client_error_quark(), Boto.ClientError.UNKNOWN_RESOURCE)
    else:
        raise AssertionError("no error")
    try:
        s3.get_sub_resource("Object", GLib.Variant("as", ["only-one"]))
    except GLib.Error as e:
        assert e.matches(Boto.client_error_quark(), Boto.ClientError.INVALID_IDENTIFIERS)
    else:
        raise AssertionError("no error")


def test_sqs_and_typed_classes():
    sqs = raw_resource("sqs", None)
    queue = sqs.create_queue(params(QueueName=s("py-queue")), None)
    assert isinstance(queue, Boto.SqsQueue)
    assert queue.props.url.endswith("/py-queue")
    queue.send_message(params(MessageBody=s("hi")), None)
    messages = queue.receive_messages(None, None)
    assert [m.props.receipt_handle is not None for m in messages] == [True]
    assert messages[0].get_attribute("body").unpack() == "hi"
    messages[0].delete(None, None)
    found = drain(sqs.queues().filter(params(QueueNamePrefix=s("py-"))))
    assert len(found) == 1 and found[0].equal(queue)
    queue.delete(None, None)


def test_list_model_on_main_loop():
    s3 = raw_resource("s3", None)
    bucket = s3.bucket("py-model")
    bucket.create(None, None)
    for i in range(7):
        bucket.put_object(params(Key=s("k%d" % i), Body=GLib.Variant("ay", b"x")), None)

    model = bucket.objects().page_size(3).to_list_model(None)
    loop = GLib.MainLoop()
    changes = []
    model.connect("items-changed", lambda m, pos, removed, added: changes.append(added))
    model.connect("notify::loading", lambda m, pspec: loop.quit())
    GLib.timeout_add_seconds(30, loop.quit)
    loop.run()
    assert not model.props.loading
    assert model.props.error is None
    assert model.get_n_items() == 7
    assert changes == [3, 3, 1]
    assert model.get_item(0).props.key == "k0"

    bucket.objects().call_batch_action("delete", None, None)
    bucket.delete(None, None)
