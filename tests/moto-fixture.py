#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Run a command against a private moto server on loopback.

Usage: moto-fixture.py COMMAND [ARG...]

Starts moto's server (moto[server]) on 127.0.0.1 on a free port, waits until
it answers, runs COMMAND with AWS_ENDPOINT_URL pointing at it, fake
credentials and AWS_DEFAULT_REGION in its environment, and stops the server
afterwards whatever happens.  Exits with COMMAND's status.
"""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

START_TIMEOUT = 60.0


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(server, url):
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url + "/moto-api/", timeout=2):
                return True
        except Exception:
            time.sleep(0.1)
    return False


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)

    port = free_port()
    url = "http://127.0.0.1:%d" % port
    log = tempfile.TemporaryFile()
    # The server is plain Python: no sanitizer runtime preloaded for the
    # library under test.
    server_env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "ASAN_OPTIONS")}
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        env=server_env, start_new_session=True)

    def stop(*_):
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()

    def on_signal(signum, _frame):
        stop()
        sys.exit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    try:
        if not wait_until_up(server, url):
            log.seek(0)
            sys.stderr.write(log.read().decode(errors="replace"))
            sys.exit("moto-fixture: moto's server did not start on %s" % url)

        env = dict(os.environ)
        for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN",
                     "AWS_SECURITY_TOKEN", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
            env.pop(name, None)
        env.update({
            "AWS_ENDPOINT_URL": url,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_EC2_METADATA_DISABLED": "true",
            # Keep a developer's ~/.aws out of the tests.
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        })
        sys.exit(subprocess.call(sys.argv[1:], env=env))
    finally:
        stop()


if __name__ == "__main__":
    main()
