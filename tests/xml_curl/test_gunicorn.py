"""The endpoint under the production server (gunicorn.conf.py, one sync worker): a client
that stops sending its body doesn't hold the worker."""
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.flask_extensions import db
from tests import factories
from tests.xml_curl.captures import URL, auth_header, capture

ROOT = Path(__file__).resolve().parents[2]
HEALTHZ = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
DOMAIN = "alpha.voice.example"
REGISTER = capture("022-directory-127.0.0.1-1001-sip_auth.txt", user="101", domain=DOMAIN, key_value=DOMAIN)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(app_config, tenants):
    factories.make_extension(tenants["a"], "101", user=tenants["a_user"])
    db.session.commit()
    port = _free_port()
    env = dict(os.environ, DATABASE_URL=app_config["SQLALCHEMY_DATABASE_URI"], SECRET_KEY="test-secret",
               FREESWITCH_XML_USER="freeswitch", FREESWITCH_XML_PASSWORD="xml-secret",
               FREESWITCH_XML_TIMEOUT="0.8", ESL_PORT=str(app_config["ESL_PORT"]))
    command = [str(Path(sys.executable).parent / "gunicorn"), "-w", "1", "-b", f"127.0.0.1:{port}", "wsgi:app"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if b" 200 " in _exchange(port, HEALTHZ):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not start")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def _exchange(port: int, data: bytes, timeout: float = 5.0) -> bytes:
    """Send `data`, keep the connection open, and read until the server closes it."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
        return received


def _post(body: bytes, length: int) -> bytes:
    headers = "".join(f"{name}: {value}\r\n" for name, value in auth_header().items())
    return (f"POST {URL} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n"
            ).encode() + body


def test_a_body_shorter_than_its_length_gets_not_found_and_frees_the_worker(server):
    body = REGISTER.body()
    start = time.monotonic()
    answer = _exchange(server, _post(body[:100], len(body)))  # the rest never comes
    seconds = time.monotonic() - start
    assert b" 200 " in answer.split(b"\r\n", 1)[0] and b'status="not found"' in answer and seconds < 1.5
    # The only worker answers the next request at once.
    answer = _exchange(server, _post(body, len(body)))
    assert b'<user id="101"' in answer
