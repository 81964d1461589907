# SPDX-License-Identifier: Apache-2.0
"""The model layer and the session from Python, through the typelib."""

import gi
import pytest

gi.require_version("Boto", "1.0")
from gi.repository import Boto, GLib  # noqa: E402


def test_ec2_run_instances():
    m = Boto.ServiceModel.load("ec2")
    assert "RunInstances" in m.get_operation_names()
    assert m.get_protocol() == "ec2"
    assert m.get_api_version() == "2016-11-15"
    op = m.get_operation("RunInstances")
    shape = op.get_input_shape()
    assert shape.get_name() == "RunInstancesRequest"
    assert shape.get_shape_type() == Boto.ShapeType.STRUCTURE
    assert set(shape.get_required_members()) == {"MinCount", "MaxCount"}
    assert shape.get_member("MaxCount").get_shape_type() == Boto.ShapeType.INTEGER


def test_loaded_once_per_process():
    assert Boto.ServiceModel.load("sqs") is Boto.ServiceModel.load("sqs")


def test_s3_list_objects_v2_input():
    s3 = Boto.ServiceModel.load("s3")
    shape = s3.get_operation("ListObjectsV2").get_input_shape()
    assert shape.get_name() == "ListObjectsV2Request"
    members = shape.get_member_names()
    assert members[:2] == ["Bucket", "Delimiter"]
    bucket = shape.get_member("Bucket")
    assert bucket.get_location() == "uri"
    assert shape.is_member_required("Bucket")
    prefix = shape.get_member("Prefix")
    assert (prefix.get_location(), prefix.get_location_name()) == ("querystring", "prefix")
    assert s3.get_metadata().unpack()["serviceId"] == "S3"
    assert shape.get_definition().unpack()["type"] == "structure"


def test_unknown_service_and_operation():
    with pytest.raises(GLib.Error) as info:
        Boto.ServiceModel.load("no-such-service")
    assert info.value.matches(Boto.client_error_quark(), Boto.ClientError.UNKNOWN_SERVICE)
    assert "no-such-service" in info.value.message

    ec2 = Boto.ServiceModel.load("ec2")
    with pytest.raises(GLib.Error) as info:
        ec2.get_operation("RunInstance")
    assert info.value.matches(Boto.client_error_quark(), Boto.ClientError.UNKNOWN_OPERATION)
    assert "RunInstance" in info.value.message


def test_botocore_models_through_venv_python():
    # This interpreter's botocore has every AWS service; the loader finds its
    # data folder from the running python, even without an activated venv.
    botocore = pytest.importorskip("botocore")
    import os
    data = os.path.join(os.path.dirname(botocore.__file__), "data")
    model = Boto.ServiceModel.load("lambda")
    assert os.path.isdir(os.path.join(data, "lambda", model.get_api_version()))
    assert model.get_protocol() == "rest-json"
    assert "Invoke" in model.get_operation_names()


def test_session_from_environment(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDPY")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "py-secret")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_PROFILE", raising=False)
    session = Boto.Session.new()
    assert session.get_region_name() == "eu-central-1"
    assert session.props.region_name == "eu-central-1"
    assert session.get_profile_name() == "default"
    creds = session.get_credentials()
    assert (creds.get_access_key(), creds.get_secret_key(), creds.get_method()) == \
        ("AKIDPY", "py-secret", "env")
    assert "ec2" in session.get_available_services()


def test_session_explicit():
    session = Boto.Session(region_name="ap-northeast-1", aws_access_key_id="AK",
                           aws_secret_access_key="SK")
    assert session.get_region_name() == "ap-northeast-1"
    assert session.get_credentials().get_method() == "explicit"
