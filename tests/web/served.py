"""`facesym serve` as a real process on a free loopback port, stopped by its process id."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from click.testing import CliRunner

from recommender import default_rules_path
from recommender.cli import cli

SECRET = "a-test-secret-" + "x" * 40
SIGNER = ("--name", "Dr Test Person", "--registration", "GMC 1234567")
READY_WITHIN = 60.0
"""Seconds a server may take to answer its first request (it compiles the rule base)."""


def signed_rules(target: Path) -> Path:
    """A copy of the shipped rules with every rule signed off by a test prescriber."""
    shutil.copytree(default_rules_path(), target)
    result = CliRunner().invoke(cli, ["rules", "sign-off", str(target), *SIGNER])
    assert result.exit_code == 0, result.output
    return target


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(args: list[str], env: dict[str, str], log: Path) -> Iterator[int]:
    """Start `facesym serve ARGS` on a free port; yield the port once it answers; then stop
    it by its process id (SIGTERM, then SIGKILL if it lingers)."""
    port = free_port()
    command = [sys.executable, "-m", "recommender", "serve", "--port", str(port), *args]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, env=os.environ | env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        wait_until_answering(port, process, log)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def wait_until_answering(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + READY_WITHIN
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"facesym serve exited: {log.read_text(errors='replace')}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/api/questions")
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"facesym serve did not answer: {log.read_text(errors='replace')}")


def get(port: int, path: str) -> tuple[int, dict[str, str], str]:
    """GET a page: status, headers (names lower-cased), body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        headers = {name.lower(): value for name, value in response.getheaders()}
        return response.status, headers, response.read().decode("utf-8")
    finally:
        connection.close()


def cookie_of(headers: dict[str, str]) -> str:
    """The `name=value` part of a Set-Cookie header, to send back as a browser would."""
    return headers["set-cookie"].split(";", 1)[0]


def post_form(
    port: int, path: str, form: dict[str, object], cookie: str
) -> tuple[int, dict[str, str]]:
    """POST a form as a browser does (lists as repeated fields, the cookie sent back)."""
    from urllib.parse import urlencode

    body = urlencode(form, doseq=True)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        sent = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
        connection.request("POST", path, body, sent)
        response = connection.getresponse()
        response.read()
        return response.status, {name.lower(): value for name, value in response.getheaders()}
    finally:
        connection.close()
