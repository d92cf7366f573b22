"""The ESL client against a fake FreeSWITCH event socket on loopback (no Flask app needed)."""
import socket
import threading

import pytest

from app.telephony.esl import EslClient, EslCommandError, FreeSwitchUnavailable
from tests.fakes.esl_server import FakeEslServer

DOMAIN = "acme.voice.example"


@pytest.fixture
def fs():
    with FakeEslServer(responses={"xml_flush_cache": "+OK cleared 1 entry\n"}) as server:
        yield server


@pytest.fixture
def client(fs):
    return EslClient(fs.host, fs.port, "ClueCon", 2.0)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _one_connection_server(script):
    """A raw server that runs ``script(conn)`` for one connection, then closes it."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def run():
        conn, _ = listener.accept()
        with conn:
            script(conn)
        listener.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return listener.getsockname()[1], thread


# -- round trips ---------------------------------------------------------------------


def test_api_round_trip_records_the_exact_command():
    with FakeEslServer(responses={"status": "UP 0 years, 0 days\nFreeSWITCH is ready\n"}) as fs:
        reply = EslClient(fs.host, fs.port, "ClueCon", 2.0).api("status")
        assert reply == "UP 0 years, 0 days\nFreeSWITCH is ready\n"
        assert fs.commands == ["auth ClueCon", "api status", "exit"]


def test_each_call_uses_its_own_connection(fs, client):
    client.api("status")
    client.api("version")
    assert fs.commands == ["auth ClueCon", "api status", "exit", "auth ClueCon", "api version", "exit"]


def test_utf8_body_is_read_by_byte_length():
    body = "+OK Société Générale à Montréal\n"
    with FakeEslServer(responses={"echo": body}) as fs:
        assert EslClient(fs.host, fs.port, "ClueCon", 2.0).api("echo x") == body


def test_flush_directory_user_syntax(fs, client):
    assert client.flush_directory_user("101", DOMAIN) == "+OK cleared 1 entry\n"
    assert fs.api_commands == [f"xml_flush_cache id 101 {DOMAIN}"]


def test_flush_all_syntax(fs, client):
    client.flush_all()
    assert fs.api_commands == ["xml_flush_cache"]


def test_sofia_check_sync_syntax(fs, client):
    client.sofia_check_sync("internal", "101", DOMAIN)
    assert fs.api_commands == [f"sofia profile internal check_sync 101@{DOMAIN}"]


def test_from_config_reads_the_settings_and_defaults():
    client = EslClient.from_config(
        {"ESL_HOST": "10.0.0.5", "ESL_PORT": "8022", "ESL_PASSWORD": "s3cret", "ESL_TIMEOUT": "0.5"}
    )
    assert (client.host, client.port, client.password, client.timeout) == ("10.0.0.5", 8022, "s3cret", 0.5)
    default = EslClient.from_config({})
    assert (default.host, default.port, default.password, default.timeout) == ("127.0.0.1", 8021, "ClueCon", 2.0)


def test_works_from_plain_threads_without_monkey_patching(fs, client):
    import gevent.monkey

    assert not gevent.monkey.is_module_patched("socket")
    errors = []

    def call(n):
        try:
            client.flush_directory_user(str(100 + n), DOMAIN)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=call, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert errors == []
    assert sorted(fs.api_commands) == sorted(f"xml_flush_cache id {100 + n} {DOMAIN}" for n in range(8))


# -- errors ----------------------------------------------------------------------------


def test_err_answer_raises_command_error():
    with FakeEslServer(responses={"nosuch": "-ERR nosuch Command not found!\n"}) as fs:
        with pytest.raises(EslCommandError) as raised:
            EslClient(fs.host, fs.port, "ClueCon", 2.0).api("nosuch arg")
    assert raised.value.reply == "-ERR nosuch Command not found!\n"
    assert raised.value.command == "nosuch arg"
    assert not isinstance(raised.value, FreeSwitchUnavailable)


def test_usage_answer_raises_command_error():
    with FakeEslServer(responses={"uuid_kill": "-USAGE: <uuid> [cause]\n"}) as fs:
        with pytest.raises(EslCommandError):
            EslClient(fs.host, fs.port, "ClueCon", 2.0).api("uuid_kill")


def test_check_sync_on_an_unknown_profile_raises_command_error():
    with FakeEslServer(responses={"sofia profile nope": "Invalid Profile [nope]"}) as fs:
        with pytest.raises(EslCommandError):
            EslClient(fs.host, fs.port, "ClueCon", 2.0).sofia_check_sync("nope", "101", DOMAIN)


def test_wrong_password_is_unavailable(fs):
    with pytest.raises(FreeSwitchUnavailable) as raised:
        EslClient(fs.host, fs.port, "wrong", 2.0).api("status")
    assert f"{fs.host}:{fs.port}" in str(raised.value)
    assert "authentication failed" in str(raised.value)
    assert fs.commands == ["auth wrong"]


def test_nothing_listening_is_unavailable():
    port = _closed_port()
    with pytest.raises(FreeSwitchUnavailable) as raised:
        EslClient("127.0.0.1", port, "ClueCon", 2.0).api("status")
    assert raised.value.host == "127.0.0.1"
    assert raised.value.port == port
    assert f"127.0.0.1:{port}" in str(raised.value)


def test_a_server_that_never_greets_is_unavailable():
    # The kernel accepts the connection (backlog) but nothing ever answers.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        with pytest.raises(FreeSwitchUnavailable, match="no greeting"):
            EslClient("127.0.0.1", listener.getsockname()[1], "ClueCon", 0.3).api("status")


def test_a_slow_answer_is_unavailable():
    release = threading.Event()

    def slow(command):
        release.wait(5)
        return "+OK late\n"

    with FakeEslServer(responses={"status": slow}) as fs:
        try:
            with pytest.raises(FreeSwitchUnavailable, match="no answer"):
                EslClient(fs.host, fs.port, "ClueCon", 2.0).api("status", timeout=0.3)
        finally:
            release.set()


def test_connection_closed_during_a_command_is_unavailable():
    def script(conn):
        conn.sendall(b"Content-Type: auth/request\n\n")
        conn.recv(1024)
        conn.sendall(b"Content-Type: command/reply\nReply-Text: +OK accepted\n\n")
        conn.recv(1024)  # the api command: hang up without answering

    port, thread = _one_connection_server(script)
    with pytest.raises(FreeSwitchUnavailable):
        EslClient("127.0.0.1", port, "ClueCon", 2.0).api("status")
    thread.join(5)


def test_rude_rejection_is_unavailable():
    # What FreeSWITCH sends to an address its apply-inbound-acl refuses.
    def script(conn):
        message = b"Access Denied, go away.\n"
        conn.sendall(b"Content-Type: text/rude-rejection\nContent-Length: %d\n\n%s" % (len(message), message))

    port, thread = _one_connection_server(script)
    with pytest.raises(FreeSwitchUnavailable):
        EslClient("127.0.0.1", port, "ClueCon", 2.0).api("status")
    thread.join(5)


# -- injection ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "user, domain",
    [
        ("101 102", DOMAIN),
        ("101\n\napi fsctl shutdown", DOMAIN),
        ("101", f"{DOMAIN}\r\napi fsctl shutdown"),
        ("101", f"{DOMAIN} extra"),
        ("101\t", DOMAIN),
        ("", DOMAIN),
        ("101", ""),
        ("101@other.example", DOMAIN),
        ("101", "a\x00b"),
        ("'101 102'", DOMAIN),
        ("101\\ 102", DOMAIN),
        ('"101"', DOMAIN),
        ("101\u00a0", DOMAIN),
        (None, DOMAIN),
    ],
)
def test_injection_in_user_or_domain_is_rejected(fs, client, user, domain):
    with pytest.raises(ValueError):
        client.flush_directory_user(user, domain)
    with pytest.raises(ValueError):
        client.sofia_check_sync("internal", user, domain)
    assert fs.commands == []  # refused before connecting


@pytest.mark.parametrize("profile", ["internal check_sync", "internal\nexit", "", "int@ernal"])
def test_injection_in_profile_is_rejected(fs, client, profile):
    with pytest.raises(ValueError):
        client.sofia_check_sync(profile, "101", DOMAIN)
    assert fs.commands == []


@pytest.mark.parametrize("command", ["status\n\napi fsctl shutdown", "status\rexit", "", "   ", "status\x00"])
def test_api_rejects_a_second_line(fs, client, command):
    with pytest.raises(ValueError):
        client.api(command)
    assert fs.commands == []


def test_password_with_a_line_break_is_rejected():
    with pytest.raises(ValueError):
        EslClient("127.0.0.1", 8021, "ClueCon\n\napi fsctl shutdown", 2.0)


# -- the fake itself speaks FreeSWITCH's framing ------------------------------------------


def _read_until(sock, marker: bytes) -> bytes:
    data = b""
    while marker not in data:
        chunk = sock.recv(4096)
        assert chunk, f"connection closed; got {data!r}"
        data += chunk
    return data


def test_fake_server_wire_framing():
    with FakeEslServer(responses={"status": "UP é\n"}) as fs:
        with socket.create_connection((fs.host, fs.port), timeout=2) as sock:
            assert _read_until(sock, b"\n\n") == b"Content-Type: auth/request\n\n"
            sock.sendall(b"api status\n\n")
            assert _read_until(sock, b"\n\n") == b"Content-Type: command/reply\nReply-Text: -ERR command not found\n\n"
            sock.sendall(b"auth ClueCon\r\n\r\n")
            assert _read_until(sock, b"\n\n") == b"Content-Type: command/reply\nReply-Text: +OK accepted\n\n"
            sock.sendall(b"api status\n\n")
            body = "UP é\n".encode()
            expected = b"Content-Type: api/response\nContent-Length: %d\n\n%s" % (len(body), body)
            assert _read_until(sock, body) == expected
            sock.sendall(b"event plain CHANNEL_ANSWER CUSTOM sofia::register\n\n")
            enabled = b"Content-Type: command/reply\nReply-Text: +OK event listener enabled plain\n\n"
            assert _read_until(sock, b"\n\n") == enabled
            assert fs.emit_event({"Event-Name": "CUSTOM", "Event-Subclass": "sofia::register", "username": "101"}) == 1
            assert fs.emit_event({"Event-Name": "HEARTBEAT"}) == 0
            payload = b"Event-Name: CUSTOM\nEvent-Subclass: sofia%3A%3Aregister\nusername: 101\n\n"
            frame = b"Content-Length: %d\nContent-Type: text/event-plain\n\n%s" % (len(payload), payload)
            assert _read_until(sock, payload) == frame
            sock.sendall(b"exit\n\n")
            notice = _read_until(sock, b"cluecon.com/\n")
            assert notice.startswith(b"Content-Type: command/reply\nReply-Text: +OK bye\n\n"
                                     b"Content-Type: text/disconnect-notice\nContent-Length: ")
            assert sock.recv(10) == b""
        assert fs.commands == [
            "api status", "auth ClueCon", "api status", "event plain CHANNEL_ANSWER CUSTOM sofia::register", "exit",
        ]


def test_fake_server_closes_after_a_wrong_password():
    with FakeEslServer() as fs:
        with socket.create_connection((fs.host, fs.port), timeout=2) as sock:
            _read_until(sock, b"\n\n")
            sock.sendall(b"auth nope\n\n")
            data = _read_until(sock, b"cluecon.com/\n")
            assert data.startswith(b"Content-Type: command/reply\nReply-Text: -ERR invalid\n\n")
            assert sock.recv(10) == b""
