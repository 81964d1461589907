# SPDX-License-Identifier: Apache-2.0
"""Sessions configured from the shared config files, from Python."""

import gi
import pytest

gi.require_version("Boto", "1.0")
from gi.repository import Boto, GLib  # noqa: E402

CONFIG = """\
[default]
region = us-west-1
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = default-secret

[profile dev]
region = eu-north-1
aws_access_key_id = AKIDDEV
aws_secret_access_key = dev-secret
aws_session_token = dev-token
s3 =
  addressing_style = path
"""


@pytest.fixture
def config_only(tmp_path, monkeypatch):
    for name in ("AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
                 "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                 "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    config = tmp_path / "config"
    config.write_text(CONFIG)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    return config


def test_two_profiles(config_only):
    default = Boto.Session()
    assert default.get_region_name() == "us-west-1"
    creds = default.get_credentials()
    assert (creds.get_access_key(), creds.get_secret_key(), creds.get_token()) == \
        ("AKIDDEFAULT", "default-secret", None)

    dev = Boto.Session(profile_name="dev")
    assert dev.props.region_name == "eu-north-1"
    creds = dev.get_credentials()
    assert (creds.get_access_key(), creds.get_secret_key(), creds.get_token()) == \
        ("AKIDDEV", "dev-secret", "dev-token")
    assert creds.get_method() == "config-file"

    assert sorted(dev.get_available_profiles()) == ["default", "dev"]
    scoped = dev.get_scoped_config().unpack()
    assert scoped["s3"] == {"addressing_style": "path"}


def test_credentials_async(config_only):
    """The credentials on the main loop: resolved in a worker thread the
    first time, at hand the second; errors come through finish."""
    loop = GLib.MainLoop()
    got = []

    def done(session, result):
        try:
            got.append(session.get_credentials_finish(result))
        except GLib.Error as error:
            got.append(error)
        loop.quit()

    dev = Boto.Session(profile_name="dev")
    for _ in range(2):
        dev.get_credentials_async(None, done)
        loop.run()
    assert [c.get_access_key() for c in got] == ["AKIDDEV", "AKIDDEV"]

    got.clear()
    Boto.Session(profile_name="missing").get_credentials_async(None, done)
    loop.run()
    assert got[0].matches(Boto.client_error_quark(), Boto.ClientError.PROFILE_NOT_FOUND)


def test_profile_from_environment(config_only, monkeypatch):
    monkeypatch.setenv("AWS_PROFILE", "dev")
    assert Boto.Session().get_region_name() == "eu-north-1"


def test_unknown_profile(config_only):
    session = Boto.Session(profile_name="missing")
    with pytest.raises(GLib.Error) as info:
        session.get_credentials()
    assert info.value.matches(Boto.client_error_quark(), Boto.ClientError.PROFILE_NOT_FOUND)


def test_malformed_file(config_only):
    config_only.write_text("[default]\nregion = x\nnot a setting\n")
    with pytest.raises(GLib.Error) as info:
        Boto.Session().get_scoped_config()
    assert info.value.matches(Boto.client_error_quark(), Boto.ClientError.INVALID_CONFIG)
    assert str(config_only) in info.value.message and "line 3" in info.value.message
