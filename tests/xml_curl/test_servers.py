"""The endpoint under the production servers, started as README says: gunicorn (one sync
worker) and granian (wsgi:freeswitch). A client that stops sending its body doesn't hold
the worker, and a commit is in the very next answer of the server's process."""
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

import pytest

from app.flask_extensions import db
from app.models.extension import SipAccount
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


class Server(NamedTuple):
    name: str
    port: int


# README, "Production" (gunicorn with one worker: a worker a stalled client holds can't
# hide behind another one).
COMMANDS = {
    "gunicorn": ["gunicorn", "-w", "1", "-b", "127.0.0.1:{port}", "wsgi:app"],
    "granian": ["granian", "--interface", "wsgi", "--workers", "1", "--blocking-threads", "2", "--no-ws",
                "--host", "127.0.0.1", "--port", "{port}", "wsgi:freeswitch"],
}


def test_granian_is_started_as_readme_says():
    readme = (ROOT / "README.md").read_text()
    started = next(line for line in readme.splitlines() if "`granian " in line).split("`")[1].split()
    assert started == [arg.replace("{port}", "5002") for arg in COMMANDS["granian"]]


@pytest.fixture(params=sorted(COMMANDS))
def server(request, app_config, tenants):
    factories.make_extension(tenants["a"], "101", user=tenants["a_user"])
    db.session.commit()
    port = _free_port()
    env = dict(os.environ, DATABASE_URL=app_config["SQLALCHEMY_DATABASE_URI"], SECRET_KEY="test-secret",
               FREESWITCH_XML_USER="freeswitch", FREESWITCH_XML_PASSWORD="xml-secret",
               FREESWITCH_XML_TIMEOUT="0.8", ESL_PORT=str(app_config["ESL_PORT"]))
    program, *arguments = COMMANDS[request.param]
    command = [str(Path(sys.executable).parent / program), *(a.replace("{port}", str(port)) for a in arguments)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if _exchange(port, HEALTHZ).startswith(b"HTTP/1.1 "):  # granian's wsgi:freeswitch: 404
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail(f"{request.param} did not start")
        yield Server(request.param, port)
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


# How long a client that stops sending its body may hold up the next request: granian
# reads bodies on its Rust side, so the stalled connection holds no Python thread at all;
# gunicorn's only worker gives up on the body at the deadline (0.8 s), then lingers on
# the socket up to 2 s before closing it (gunicorn 27's util.close_graceful()), which
# is one more reason FreeSWITCH's endpoint runs under granian.
STALL_SECONDS = {"granian": 0.5, "gunicorn": 0.8 + 2.0 + 0.5}


def test_a_client_that_stops_sending_its_body_does_not_hold_up_the_next_request(server):
    body = REGISTER.body()
    assert b'<user id="101"' in _exchange(server.port, _post(body, len(body)))  # the worker is warm
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as stalled:
        stalled.sendall(_post(body[:100], len(body)))  # the rest never comes
        time.sleep(0.1)
        start = time.monotonic()
        answer = _exchange(server.port, _post(body, len(body)))
        seconds = time.monotonic() - start
    assert b'<user id="101"' in answer and seconds < STALL_SECONDS[server.name]


@pytest.mark.parametrize("server", ["gunicorn"], indirect=True)  # granian never hands one to the app
def test_a_body_shorter_than_its_length_gets_not_found_within_the_deadline(server):
    body = REGISTER.body()
    start = time.monotonic()
    answer = _exchange(server.port, _post(body[:100], len(body)))
    seconds = time.monotonic() - start
    assert b" 200 " in answer.split(b"\r\n", 1)[0] and b'status="not found"' in answer and seconds < 1.5


def test_the_next_answer_after_a_commit_says_what_was_committed(server):
    """The server's thread reads on the connection it kept from its last request
    (app/readonly_db.py), and its cached answer is checked against the company's version:
    neither may hide a commit made by another process."""
    body = REGISTER.body()
    for _ in range(3):  # answered, cached, and the connection kept
        assert b'<user id="101"' in _exchange(server.port, _post(body, len(body)))
    account = db.session.query(SipAccount).filter_by(username="101").one()
    account.password = "committed-elsewhere-4242"
    db.session.commit()
    assert b'value="committed-elsewhere-4242"' in _exchange(server.port, _post(body, len(body)))
