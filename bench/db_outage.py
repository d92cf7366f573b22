"""How long FreeSWITCH waits for an answer when the database can't give one.

    .venv/bin/python bench/db_outage.py [--rounds 10] [--databases sqlite,postgresql]

The app runs under gunicorn as in production (gunicorn.conf.py: 3 sync workers,
FREESWITCH_XML_TIMEOUT, 0.8 s unless set) on a SQLite file, then on a throw-away PostgreSQL cluster
(or BENCH_POSTGRES_URL, on this host), with 10 extensions. For each state of the database
it times sequential directory and dial-plan requests built from the captures
(tests/fixtures/freeswitch), /healthz, and a burst of 12 concurrent directory requests
(4 per worker); then the first answer once the database is back:

- SQLite locked: another connection holds an exclusive write lock (BEGIN EXCLUSIVE);
- PostgreSQL locked: a session holds ACCESS EXCLUSIVE locks on every table;
- PostgreSQL backends frozen: SIGSTOP of the server processes serving the app;
- PostgreSQL frozen: SIGSTOP of the whole server (postmaster and every backend).

Each line reads like `postgresql frozen: directory not found 10/10, p50 805 ms, max 811 ms`.
"""
import argparse
import concurrent.futures
import os
import signal
import socket
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import xml_curl as load  # noqa: E402  (bench/xml_curl.py: data, PostgreSQL cluster, requests)

import psycopg  # noqa: E402

from tests.xml_curl.outages import conninfo, postgresql_locked, sqlite_locked  # noqa: E402

BURST = 12


@contextmanager
def production_server(database_url: str):
    """gunicorn with gunicorn.conf.py, as deployed (the app's log, a line per refused
    request, would drown the figures)."""
    with load.gunicorn_process(database_url, ["--log-level", "critical"], quiet=True, WEB_CONCURRENCY="3") as (port, _process):
        exchange(port, healthz())  # first request: imports, connections
        yield port


def exchange(port: int, raw: bytes, timeout: float = 60) -> tuple[int, bytes, float]:
    """(status, body, seconds) of one request on a new connection, as mod_xml_curl does."""
    start = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(raw)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    seconds = time.perf_counter() - start
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body, seconds


def healthz() -> bytes:
    return b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"


def describe(label: str, results: list[tuple[int, bytes, float]], what: str) -> str:
    times = sorted(seconds * 1000 for _, _, seconds in results)
    if what == "healthz":
        outcome = f"{sum(status == 503 for status, _, _ in results)}/{len(results)} 503"
    else:
        outcome = f"not found {sum(b'not found' in body for _, body, _ in results)}/{len(results)}"
    return (f"{label}: {what} {outcome}, p50 {statistics.median(times):.0f} ms, max {times[-1]:.0f} ms")


def measure(database: str, state: str, port: int, payloads: dict, rounds: int) -> None:
    label = f"{database} {state}"
    for kind in ("directory", "dialplan"):
        raws = [load.request_bytes(port, payloads[kind][n % len(payloads[kind])]) for n in range(rounds)]
        print(describe(label, [exchange(port, raw) for raw in raws], kind), flush=True)
    print(describe(label, [exchange(port, healthz()) for _ in range(rounds)], "healthz"), flush=True)
    raws = [load.request_bytes(port, payloads["directory"][n % len(payloads["directory"])]) for n in range(BURST)]
    with concurrent.futures.ThreadPoolExecutor(BURST) as pool:
        burst = list(pool.map(lambda raw: exchange(port, raw), raws))
    print(describe(f"{label}, {BURST} at once on 3 workers", burst, "directory"), flush=True)


def first_answer(database: str, state: str, port: int, payloads: dict) -> None:
    status, body, seconds = exchange(port, load.request_bytes(port, payloads["directory"][0]))
    answered = status == 200 and b"<user " in body
    print(f"{database} after {state}: first directory request {'answered' if answered else 'NOT answered'} "
          f"in {seconds * 1000:.0f} ms", flush=True)


# --- what goes wrong -------------------------------------------------------------------

def _children(parent: int) -> list[int]:
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            pids.append(int(stat.parent.name))
    return pids


@contextmanager
def stopped(pids: list[int]):
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in pids:
            os.kill(pid, signal.SIGCONT)


def app_backends(url: str) -> list[int]:
    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        return [pid for (pid,) in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend'")]


def whole_server(url: str) -> list[int]:
    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        data_directory = conn.execute("SHOW data_directory").fetchone()[0]
    postmaster = int((Path(data_directory) / "postmaster.pid").read_text().split()[0])
    return [postmaster] + _children(postmaster)


def run(database: str, url: str, rounds: int) -> None:
    pairs = load.load_data(url, 1, 10)
    payloads = load.payloads_for(pairs)
    with production_server(url) as port:
        measure(database, "healthy", port, payloads, rounds)
        if database == "sqlite":
            outages = {"locked": lambda: sqlite_locked(url)}
        else:
            outages = {"locked": lambda: postgresql_locked(url),
                       "backends frozen": lambda: stopped(app_backends(url)),
                       "frozen": lambda: stopped(whole_server(url))}
        for state, outage in outages.items():
            with outage():
                measure(database, state, port, payloads, rounds)
            first_answer(database, state, port, payloads)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    for database in args.databases.split(","):
        with tempfile.TemporaryDirectory() as workdir, (
                load.postgres_cluster() if database == "postgresql" else load._sqlite(workdir)) as url:
            run(database, url, args.rounds)


if __name__ == "__main__":
    main()
