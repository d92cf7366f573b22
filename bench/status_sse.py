"""How fast the status board's live stream delivers FreeSWITCH's events, and what it costs.

    .venv/bin/python bench/status_sse.py [--clients 200] [--events 1000] [--rate 500] [--extensions 200]

A throw-away SQLite database with one company and its extensions, the fake FreeSWITCH
event socket, and the real status server (status_server.py: the listener and the SSE
server in one gevent process, as `make run` has them). --clients boards of that company
connect (each gets the whole state first), then --events sofia::register events are
replayed at --rate per second, each changing one extension (a new user agent), so each
event is one message to every board. Delivery latency is measured from the event
leaving the event socket to each board receiving its message (p50, p99, max), and the
status server's CPU time is read from /proc. A second run with no board gives the
listener's own share (same events, nothing to deliver): the rest is the web side.
"""
import argparse
import os
import re
import selectors
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DOMAIN = "bench.voice.example"
_AGENT = re.compile(r'"agent":"bench-(\d+)"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=500.0, help="events per second")
    parser.add_argument("--extensions", type=int, default=200)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="switchboard-bench-") as folder:
        config, cookie = _database(folder, args.extensions)
        loaded = _run(config, cookie, args.clients, args.events, args.rate, args.extensions)
        alone = _run(config, cookie, 0, args.events, args.rate, args.extensions)
    latencies = sorted(loaded["latencies"])
    expected = args.clients * args.events
    p = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else [0] * 99
    print(f"{args.clients} SSE boards, {args.events} events at {args.rate:g}/s over {args.extensions} extensions: "
          f"{len(latencies)}/{expected} messages delivered")
    print(f"delivery latency: p50 {statistics.median(latencies) * 1000:.1f} ms, p99 {p[98] * 1000:.1f} ms, "
          f"max {latencies[-1] * 1000:.1f} ms")
    print(f"status server CPU for the replay: {loaded['cpu']:.2f} s with {args.clients} boards "
          f"(listener alone, no board: {alone['cpu']:.2f} s; so about {loaded['cpu'] - alone['cpu']:.2f} s "
          f"for the web side, {(loaded['cpu'] - alone['cpu']) / max(1, expected) * 1e6:.1f} µs per message)")


def _database(folder: str, count: int):
    os.environ.update(DATABASE_URL=f"sqlite:///{folder}/bench.db", SECRET_KEY="bench-only", HUEY_IMMEDIATE="1",
                      HUEY_SQLITE_PATH=f"{folder}/huey.db", STATUS_DB_PATH=f"{folder}/status.db")
    from app import create_app
    from app.flask_extensions import db
    from app.models.user import Role
    from app.services import companies, extensions, people
    from app.services.passwords import set_password

    app = create_app({"WTF_CSRF_ENABLED": False, "RATELIMIT_STORAGE_URI": "memory://",
                      "TRUSTED_HOSTS": ["localhost", "127.0.0.1"]})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        company = companies.create_company("Bench", DOMAIN, "America/Toronto", "fr")
        person = people.create_person(company, "bench@bench.example", "Bench", "User", Role.USER, "en")
        set_password(person, "bench-password-1")
        for n in range(count):
            extensions.create_extension(company, str(1000 + n), None, f"Extension {n}", True, True)
        db.session.commit()
    client = app.test_client()
    client.post("/login", data={"email": "bench@bench.example", "password": "bench-password-1"})
    config = {"SQLALCHEMY_DATABASE_URI": os.environ["DATABASE_URL"], "SECRET_KEY": "bench-only",
              "PORTAL_URL": "http://127.0.0.1:5000", "TRUSTED_HOSTS": ["127.0.0.1"],
              "STATUS_DB_PATH": os.environ["STATUS_DB_PATH"]}
    return config, client.get_cookie("session").value


def _run(config: dict, cookie: str, clients: int, events: int, rate: float, extensions: int) -> dict:
    from tests.fakes.esl_server import FakeEslServer
    from tests.telephony.status_server_process import StatusServer, wait_until

    empty = '{"row_count": 0}\n'
    with FakeEslServer(password="bench", responses={"show registrations as json": empty,
                                                     "show channels as json": empty}) as esl:
        server = StatusServer(config, esl)
        try:
            assert wait_until(lambda: esl.subscribed, timeout=10), "the listener did not subscribe"
            boards = Boards(server.port, cookie, clients)
            sent: dict[int, float] = {}
            cpu_before = server.cpu_seconds()
            reader = threading.Thread(target=boards.read_until, args=(clients * events, events / rate + 20))
            reader.start()
            start = time.monotonic()
            for seq in range(events):
                delay = start + seq / rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                n = seq % extensions
                sent[seq] = time.monotonic()
                esl.emit_event({"Event-Name": "CUSTOM", "Event-Subclass": "sofia::register",
                                "from-user": str(1000 + n), "from-host": DOMAIN, "call-id": f"bench-{n}",
                                "user-agent": f"bench-{seq}", "expires": "600"})
            reader.join()
            if clients and not boards.received:
                raise SystemExit("no board received anything; the status server said:\n" + server.output()[-3000:])
            time.sleep(1.0)  # the listener's last store write
            cpu = server.cpu_seconds() - cpu_before
            latencies = [received - sent[seq] for seq, received in boards.received]
            boards.close()
        finally:
            server.stop()
    return {"cpu": cpu, "latencies": latencies}


class Boards:
    """Many SSE connections read by one selector loop (a thread per board would measure
    this script's own scheduling)."""

    def __init__(self, port: int, cookie: str, count: int):
        self.selector = selectors.DefaultSelector()
        self.received: list[tuple[int, float]] = []
        self.sockets = []
        request = (f"GET /extensions/status/stream HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                   f"Cookie: session={cookie}\r\nAccept: text/event-stream\r\n\r\n").encode()
        for _ in range(count):
            sock = socket.create_connection(("127.0.0.1", port))
            sock.sendall(request)
            self.sockets.append(sock)
        snapshots = 0
        buffers = {sock: b"" for sock in self.sockets}
        deadline = time.monotonic() + 60
        for sock in self.sockets:  # every board has its snapshot before the replay starts
            while b"event: snapshot" not in buffers[sock]:
                if time.monotonic() > deadline:
                    raise SystemExit("boards did not all get their snapshot")
                buffers[sock] += sock.recv(1 << 20)
            snapshots += 1
            sock.setblocking(False)
            self.selector.register(sock, selectors.EVENT_READ, b"")
        self.snapshots = snapshots

    def read_until(self, expected: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        tails = {sock: b"" for sock in self.sockets}
        while len(self.received) < expected and time.monotonic() < deadline:
            for key, _ in self.selector.select(timeout=0.5):
                try:
                    data = key.fileobj.recv(1 << 20)
                except BlockingIOError:
                    continue
                now = time.monotonic()
                text = tails[key.fileobj] + data
                # Chunk headers interleave with the text: agent values are found whole or at the tail.
                cut = text.rfind(b"\n\n")
                complete, tails[key.fileobj] = (text[:cut], text[cut:]) if cut >= 0 else (b"", text)
                for match in _AGENT.finditer(complete.decode("utf-8", "replace")):
                    self.received.append((int(match.group(1)), now))

    def close(self) -> None:
        for sock in self.sockets:
            self.selector.unregister(sock)
            sock.close()


if __name__ == "__main__":
    main()
