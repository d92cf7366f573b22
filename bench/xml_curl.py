"""The FreeSWITCH-facing endpoint under load: directory and dial-plan requests.

    .venv/bin/python bench/xml_curl.py [--seconds 10] [--sizes 10,10000]
        [--databases sqlite,postgresql] [--servers gunicorn-sync] [--profile]

For each database (SQLite file; PostgreSQL: BENCH_POSTGRES_URL, or a throw-away
cluster started here when Debian's postgresql is installed), each dataset size (10
extensions in 1 company; 10,000 = 200 companies x 50 extensions) and each server,
it starts the app on loopback and fires requests built from the captured FreeSWITCH
requests (tests/fixtures/freeswitch), each on a new connection as mod_xml_curl
makes them:

- `directory`: sip_auth, user_call and message-count lookups of 200 users, the
  portal's answer cache warm; `directory-cold`: the same with the cache off
  (FREESWITCH_ANSWER_CACHE_ENTRIES=0), as for each phone's first REGISTER after
  the portal itself restarted; `dialplan`: internal calls between 200 pairs of
  extensions, each pair called before (the portal's answer cache warm);
  `dialplan-cold`: the same with the cache off; `inbound`: a carrier
  call (context `public`) to a company number with weekly hours, 100 call
  restriction rules and 50 yearly exceptions (issue 10).
- closed loop with wrk (16 connections): maximum requests/s (gunicorn's sync workers
  close every connection; wrk keeps them open with the other servers, which flatters
  those: the open loop below is the fair comparison);
- open loop at 300 requests/s (a Python client): latency seen by the client,
  latency inside the server (its access log: gunicorn's %(D)s, from the request read
  to the response written; granian's dt_ms, the WSGI call and the hand-over of the
  answer, a shorter span), and, in a second open-loop run without that access log
  (production logs no requests: formatting the log line costs both servers 0.2-0.3 ms),
  the server's CPU time per request (every process of the server, from /proc).

Servers: gunicorn-sync (gunicorn.conf.py: 3 sync workers), gunicorn-gthread (3 x 4
threads), granian (its Rust HTTP server, WSGI, 1 worker x 2 threads, wsgi:freeswitch, as
README's production setup runs it), granian-2w (the same with 2 workers).
--profile samples one gunicorn worker with py-spy during the directory run and prints
where its time goes.

Each line reads like
`directory sqlite 10000 ext gunicorn-sync at 300 req/s: client p50 1.2 ms p99 4.5 ms, server p50 0.4 ms p99 0.9 ms,
CPU 0.8 ms/req (the app alone, in process: 0.2)`: the last figure is the endpoint called as a WSGI app in
the bench's own process, without a server or a socket; the difference is the server's.
"""
import argparse
import asyncio
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
XML_USER, XML_PASSWORD = "freeswitch", "bench-xml-password"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def body(template: list[tuple[str, str]], replacements: dict[str, str]) -> bytes:
    return urlencode([(k, replacements.get(k, v)) for k, v in template]).encode()


# --- data ------------------------------------------------------------------------

def load_data(database_url: str, companies: int, per_company: int) -> list[tuple[str, str]]:
    """Empty the database, migrate it, bulk-load the companies; return (domain, extension) pairs."""
    from flask_migrate import upgrade
    from sqlalchemy import insert, text

    from sqlalchemy.engine import make_url

    from app import create_app
    from app.database import create_sqlite_file
    from app.flask_extensions import db
    from app.models import Company, Extension, SipAccount
    from app.services.sip_accounts import new_password

    create_sqlite_file(make_url(database_url))  # drop_all() opens it before the migrations would create it
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench"})
    pairs = []
    with app.app_context():
        db.drop_all()
        db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        upgrade()
        db.session.execute(insert(Company), [
            {"id": c + 1, "name": f"Company {c}", "sip_domain": f"c{c}.bench.example",
             "time_zone": "America/Toronto", "language": "fr"} for c in range(companies)])
        extension_rows, account_rows, next_id = [], [], 1
        for c in range(companies):
            for n in range(per_company):
                number = str(100 + n)
                extension_rows.append({
                    "id": next_id, "company_id": c + 1, "number": number, "name": f"Person {c}-{n}",
                    "voicemail_password": "1234", "voicemail_email": f"p{n}@c{c}.bench.example",
                    "ring_seconds": 20, "version": 1, "language": "fr", "dnd": False, "forward_enabled": False,
                    "forward_rule": "always", "forward_target": "external", "forward_number": "",
                    "busy_behaviour": "ring", "voicemail_enabled": True, "voicemail_email_only": False,
                    "findme_enabled": False, "findme_number": "", "findme_ring_seconds": 15, "findme_moh": False,
                    "findme_screen": False, "record_incoming": False, "record_outgoing": False,
                    "call_pickup": True, "listed": True, "long_distance": "unlimited", "long_distance_code": "",
                    "international": "disabled", "international_code": "", "uc_legacy": False,
                    "uc_desktop": False, "video": False, "caller_id_name": "", "hide_caller_id": False,
                })
                account_rows.append({"company_id": c + 1, "extension_id": next_id, "username": number,
                                     "password": new_password(), "softphone": False, "label": ""})
                pairs.append((f"c{c}.bench.example", number))
                next_id += 1
        db.session.execute(insert(Extension), extension_rows)
        db.session.execute(insert(SipAccount), account_rows)
        db.session.commit()
        db.engine.dispose()
    return pairs


RULES_PER_COMPANY, EXCEPTIONS_PER_NUMBER = 100, 50


def load_numbers(database_url: str, companies: int) -> list[str]:
    """One number per company, with weekday hours, 100 restriction rules and 50 exceptions
    (one of them today, partly closed); returns the numbers (E.164)."""
    import datetime

    from sqlalchemy import insert

    from app import create_app
    from app.flask_extensions import db
    from app.models import ClosedRange, OpenRange, PhoneNumber, RestrictionRule, YearlyException

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench"})
    today = datetime.date.today()
    dates = [(today.month, today.day)] + [(m, d) for m in range(1, 13) for d in (3, 7, 11, 19, 23)
                                          if (m, d) != (today.month, today.day)]
    dids, numbers, ranges, rules, exceptions, closed = [], [], [], [], [], []
    now = datetime.datetime.now(datetime.timezone.utc)
    for c in range(companies):
        did = f"+1514{c // 10000 + 200:03d}{c % 10000:04d}"
        dids.append(did)
        numbers.append({"id": c + 1, "company_id": c + 1, "e164": did, "label": "Main", "hours_on": True,
                        "open_action": "extension", "open_extension": "100", "closed_action": "voicemail",
                        "closed_box": "101", "created_at": now})
        ranges += [{"company_id": c + 1, "number_id": c + 1, "weekday": d, "start_minute": 540, "end_minute": 1020}
                   for d in range(5)]
        rules += [{"company_id": c + 1, "kind": "block" if r % 4 else "allow",
                   "match": ("equals", "starts_with", "ends_with", "contains")[r % 4],
                   "digits": f"4{r:03d}" + "5550000"[: r % 7], "created_at": now} for r in range(RULES_PER_COMPANY)]
        for e, (month, day) in enumerate(dates[:EXCEPTIONS_PER_NUMBER]):
            exception_id = c * EXCEPTIONS_PER_NUMBER + e + 1
            exceptions.append({"id": exception_id, "company_id": c + 1, "number_id": c + 1, "month": month,
                               "day": day, "all_day": e != 0, "movable": False, "created_at": now})
            if e == 0:
                closed.append({"company_id": c + 1, "exception_id": exception_id, "start_minute": 720,
                               "end_minute": 780})
    with app.app_context():
        for model, rows in ((PhoneNumber, numbers), (OpenRange, ranges), (RestrictionRule, rules),
                            (YearlyException, exceptions), (ClosedRange, closed)):
            db.session.execute(insert(model), rows)
        db.session.commit()
        db.engine.dispose()
    return dids


# --- servers -------------------------------------------------------------------------

@contextmanager
def postgres_cluster():
    url = os.environ.get("BENCH_POSTGRES_URL")
    if url:
        yield url
        return
    initdb = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not initdb:
        raise SystemExit("PostgreSQL: set BENCH_POSTGRES_URL or apt-get install postgresql")
    bin_dir, workdir, port = initdb[-1].parent, Path(tempfile.mkdtemp(prefix="bench-pg-")), free_port()
    shutil.chown(workdir, "postgres")

    def as_postgres(*args):
        subprocess.run(["runuser", "-u", "postgres", "--", *map(str, args)], check=True, stdout=subprocess.DEVNULL)

    as_postgres(bin_dir / "initdb", "-D", workdir / "data", "-U", "postgres", "--auth=trust")
    as_postgres(bin_dir / "pg_ctl", "-D", workdir / "data", "-l", workdir / "log", "-w", "-o",
                f"-c listen_addresses=127.0.0.1 -p {port} -k {workdir} -c max_connections=200", "start")
    try:
        as_postgres(bin_dir / "createdb", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "bench")
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/bench"
    finally:
        as_postgres(bin_dir / "pg_ctl", "-D", workdir / "data", "-m", "fast", "stop")
        shutil.rmtree(workdir, ignore_errors=True)


def _environment(database_url: str, **env: str) -> dict:
    return dict(os.environ, DATABASE_URL=database_url, SECRET_KEY="bench", FREESWITCH_XML_USER=XML_USER,
                FREESWITCH_XML_PASSWORD=XML_PASSWORD, **env)


@contextmanager
def _running(command: list[str], port: int, env: dict, **popen):
    """`command` started in the project folder, until it accepts connections on `port`;
    yields (port, process), then stops it."""
    process = subprocess.Popen([str(Path(sys.executable).parent / command[0]), *command[1:]], cwd=ROOT, env=env,
                               **popen)
    try:
        _wait_for(port)
        yield port, process
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


@contextmanager
def gunicorn_process(database_url: str, options: list[str], quiet: bool = False, **env: str):
    """gunicorn on a free loopback port, started in the project folder (so it reads
    gunicorn.conf.py; `options` override it), until it accepts connections; yields
    (port, process)."""
    port = free_port()
    with _running(["gunicorn", "--bind", f"127.0.0.1:{port}", *options], port, _environment(database_url, **env),
                  stderr=subprocess.DEVNULL if quiet else None) as running:
        yield running


SERVERS = {
    # name: (command line after the interpreter's bin folder, the options that make it log
    # each request's time inside the server, and that log's unit: "us" or "ms" per line)
    "gunicorn-sync": (["gunicorn"], ["--access-logfile", "{log}", "--access-logformat", "%(D)s"], "us"),
    "gunicorn-gthread": (["gunicorn", "--worker-class", "gthread", "--threads", "4"],
                         ["--access-logfile", "{log}", "--access-logformat", "%(D)s"], "us"),
    # wsgi:freeswitch, the endpoint alone, as README's production setup runs it. Its access
    # log (on stdout) times the WSGI call and the hand-over of the answer to the Rust side;
    # gunicorn's %(D)s also spans building the environ and writing the answer.
    "granian": (["granian", "--interface", "wsgi", "--workers", "1", "--blocking-threads", "2", "--no-ws",
                 "--log-level", "warning", "wsgi:freeswitch"], ["--access-log", "--access-log-fmt", "%(dt_ms).3f"],
                "ms"),
    # Two worker processes: about 1.7 times the requests/s closed loop, but 0.2-0.3 ms more
    # CPU per cached answer and a higher median on 2 cores (README, "Production").
    "granian-2w": (["granian", "--interface", "wsgi", "--workers", "2", "--blocking-threads", "2", "--no-ws",
                    "--log-level", "warning", "wsgi:freeswitch"], ["--access-log", "--access-log-fmt", "%(dt_ms).3f"],
                   "ms"),
}


@contextmanager
def server(name: str, database_url: str, log: str | None, **env: str):
    """The named server on a free loopback port until it accepts connections, logging
    each request's time to `log` unless it is None; yields (port, its process) so that
    its CPU time can be read."""
    arguments, log_arguments, _ = SERVERS[name]
    if log is not None:
        arguments = [*arguments, *(arg.replace("{log}", log) for arg in log_arguments)]
    if arguments[0] == "gunicorn":
        with gunicorn_process(database_url, [*arguments[1:], "--log-level", "warning"], **env) as (port, process):
            yield port, process
        return
    port = free_port()
    with open(log or os.devnull, "ab") as access_log, _running(
            [*arguments, "--host", "127.0.0.1", "--port", str(port)], port, _environment(database_url, **env),
            stdout=access_log) as running:
        yield running


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process and all its descendants (from /proc)."""
    total, pending = 0.0, [pid]
    ticks = os.sysconf("SC_CLK_TCK")
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def server_side_ms(log: str, since: int, unit: str) -> tuple[float, float] | None:
    """p50 and p99 of the request times the server logged after byte `since`, in ms."""
    scale = 1000 if unit == "us" else 1
    times = []
    with open(log, "rb") as handle:
        handle.seek(since)
        for line in handle.read().split():
            try:
                times.append(float(line) / scale)
            except ValueError:
                continue
    if not times:
        return None
    times.sort()
    return times[len(times) // 2], times[max(0, int(len(times) * 0.99) - 1)]


# --- load ----------------------------------------------------------------------------

def request_bytes(port: int, payload: bytes) -> bytes:
    import base64

    token = base64.b64encode(f"{XML_USER}:{XML_PASSWORD}".encode()).decode()
    return (f"POST /freeswitch/xml HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: freeswitch-xml/1.0\r\n"
            f"Authorization: Basic {token}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n").encode() + payload


def wrk(port: int, payloads: list[bytes], seconds: int) -> tuple[float, float, float]:
    """Closed loop: requests/s, p50 ms, p99 ms."""
    import base64

    token = base64.b64encode(f"{XML_USER}:{XML_PASSWORD}".encode()).decode()
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        bodies = ",\n".join("[[" + p.decode() + "]]" for p in payloads)
        script.write(f"""
local bodies = {{ {bodies} }}
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic {token}"
request = function()
  i = i % #bodies + 1
  return wrk.format(nil, "/freeswitch/xml", nil, bodies[i])
end
""")
    output = subprocess.run(["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", "-s", script.name,
                             f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise SystemExit(f"wrk saw {errors.group(1)} failed responses:\n{output}")
    return rate, _wrk_ms(output, "50%"), _wrk_ms(output, "99%")


def _wrk_ms(output: str, percentile: str) -> float:
    value, unit = re.search(rf"{re.escape(percentile)}\s+([\d.]+)(us|ms|s)", output).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


async def _open_loop(port: int, payloads: list[bytes], rate: int, seconds: int) -> list[float]:
    """Requests at a fixed rate, each on a new connection: mod_xml_curl opens one per fetch."""
    latencies: list[float] = []

    async def one(raw: bytes):
        start = time.perf_counter()
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(raw)
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(re.search(rb"Content-Length: (\d+)", head, re.I).group(1))
        await reader.readexactly(length)
        latencies.append((time.perf_counter() - start) * 1000)
        writer.close()
        if not head.startswith(b"HTTP/1.1 200"):
            raise RuntimeError(head.decode(errors="replace"))

    tasks, start, interval = [], time.perf_counter(), 1.0 / rate
    for n in range(rate * seconds):
        delay = start + n * interval - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(request_bytes(port, random.choice(payloads)))))
    await asyncio.gather(*tasks)
    return sorted(latencies)


def open_loop(port: int, payloads: list[bytes], rate: int, seconds: int) -> tuple[float, float]:
    latencies = asyncio.run(_open_loop(port, payloads, rate, seconds))
    return latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.99) - 1]


# --- main ----------------------------------------------------------------------------

LOOKUPS = ("022-directory-127.0.0.1-1001-sip_auth.txt", "028-directory-127.0.0.1-1002-user_call.txt",
           "023-directory-127.0.0.1-1001-message-count.txt")


def inbound_payloads(dids: list[str], count: int = 200) -> list[bytes]:
    """Carrier calls, numbered as carriers send them, from callers some rules block."""
    from tests.xml_curl.captures import carrier_call

    chance = random.Random(11)
    calls = []
    for _ in range(count):
        did = chance.choice(dids)
        dialled = chance.choice([did, did[1:], did[2:]])  # +15145550100, 15145550100, 5145550100
        caller = chance.choice(["+1514" + f"{chance.randrange(10**7):07d}", "4180000042", "anonymous"])
        calls.append(carrier_call(dialled, caller).body())
    return calls


def payloads_for(pairs: list[tuple[str, str]], count: int = 200) -> dict[str, list[bytes]]:
    from tests.xml_curl.captures import read_fields

    lookups = [read_fields(name) for name in LOOKUPS]
    dialplan = read_fields("027-dialplan-default-1002.txt")
    chosen = random.Random(7).sample(pairs, min(count, len(pairs)))
    directory, calls = [], []
    for domain, number in chosen:
        directory += [body(template, {"user": number, "domain": domain, "key_value": domain,
                                      "sip_auth_username": number, "sip_auth_realm": domain})
                      for template in lookups]
        callee = next(n for d, n in pairs if d == domain and n != number)
        calls.append(body(dialplan, {
            "Hunt-Context": domain, "Caller-Context": domain, "variable_user_context": domain,
            "variable_domain_name": domain, "variable_user_name": number, "variable_sip_auth_username": number,
            "variable_sip_from_user": number, "Caller-Username": number, "Hunt-Username": number,
            "Hunt-Destination-Number": callee, "Caller-Destination-Number": callee,
            "variable_sip_req_user": callee, "variable_sip_to_user": callee}))
    return {"directory": directory, "directory-cold": directory, "dialplan": calls, "dialplan-cold": calls}


# What each case's server runs with, beyond the defaults.
NO_CACHE = {"FREESWITCH_ANSWER_CACHE_ENTRIES": "0"}
CASE_SETTINGS = {"directory": {}, "directory-cold": NO_CACHE, "dialplan": {}, "dialplan-cold": NO_CACHE,
                 "inbound": {}}
RATE = 300


def in_process_ms(case: str, url: str, payloads: list[bytes], rounds: int = 5) -> float:
    """CPU ms per answer of the endpoint itself, called as a WSGI app in this process (no
    HTTP server, no socket): what is left of a request's cost is the server's."""
    import base64
    import io

    from app import create_app, readonly_db
    from app.xml_curl.endpoint import freeswitch_only

    settings = {key: int(value) for key, value in CASE_SETTINGS[case].items()}
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "FREESWITCH_XML_USER": XML_USER,
                      "FREESWITCH_XML_PASSWORD": XML_PASSWORD, **settings})
    endpoint = freeswitch_only(app)
    authorization = "Basic " + base64.b64encode(f"{XML_USER}:{XML_PASSWORD}".encode()).decode()

    def ask(payload: bytes) -> None:
        environ = {"PATH_INFO": "/freeswitch/xml", "REQUEST_METHOD": "POST", "CONTENT_LENGTH": str(len(payload)),
                   "wsgi.input": io.BytesIO(payload), "HTTP_AUTHORIZATION": authorization}
        b"".join(endpoint(environ, lambda status, headers: None))

    for payload in payloads:
        ask(payload)  # warm: connections, statements, caches
    started = time.process_time()
    for _ in range(rounds):
        for payload in payloads:
            ask(payload)
    spent = time.process_time() - started
    readonly_db.dispose(app)
    return spent * 1000 / (rounds * len(payloads))


def measure(case: str, database: str, size: int, server_name: str, url: str, payloads: list[bytes],
            seconds: int, profile: bool) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".log", delete=False) as log_file:
        log = log_file.name
    try:
        with server(server_name, url, log, **CASE_SETTINGS[case]) as (port, process):
            wrk(port, payloads, 2)  # warm-up: connections, caches, imports
            rate, _, _ = wrk(port, payloads, seconds)
            since = os.path.getsize(log)
            sampler = _start_profile(process.pid, seconds) if profile else None
            client_p50, client_p99 = open_loop(port, payloads, RATE, seconds)
            inside = server_side_ms(log, since, SERVERS[server_name][2])
            where = _end_profile(sampler) if sampler else None
    finally:
        os.unlink(log)
    # CPU in a run of its own without the access log, as production runs (README): both
    # servers format it in Python, which cost 0.2-0.3 ms per request.
    with server(server_name, url, None, **CASE_SETTINGS[case]) as (port, process):
        wrk(port, payloads, 2)
        cpu_before = cpu_seconds(process.pid)
        open_loop(port, payloads, RATE, seconds)
        cpu_ms = (cpu_seconds(process.pid) - cpu_before) * 1000 / (RATE * seconds)
    line = (f"{case} {database} {size} ext {server_name}: {rate:.0f} req/s closed loop; at {RATE} req/s: "
            f"client p50 {client_p50:.2f} ms p99 {client_p99:.2f} ms, ")
    line += f"server p50 {inside[0]:.2f} ms p99 {inside[1]:.2f} ms, " if inside else "server n/a, "
    app_ms = in_process_ms(case, url, payloads)
    print(line + f"CPU {cpu_ms:.2f} ms/req (the app alone, in process: {app_ms:.2f})", flush=True)
    if where:
        print("  where a worker's time goes: " + ", ".join(f"{name} {share:.0f}%" for name, share in where),
              flush=True)
    return {"rate": rate, "client_p99": client_p99, "server": inside, "cpu": cpu_ms, "app": app_ms}


# --- profile -------------------------------------------------------------------------

PROFILE_CATEGORIES = (  # first match wins, on the whole stack of a sample (py-spy: "function (file:line)")
    ("the directory query", r"(lookup|Prepared\.rows|dbapi_connection|raw_connection) \("),
    ("rendering XML", r"(user_document|dial_string|_variables|_voicemail_params) \(app/xml_curl"),
    ("the dial plan", r"app/xml_curl/dialplan\.py|app/services/calls"),
    ("reading the request body", r"from_body|wsgi\.py.*read|body\.py"),
    ("the endpoint (auth, deadline, app context)", r"app/xml_curl/endpoint\.py|app/readonly_db\.py|flask/ctx\.py"),
    ("Flask's request machinery", r"flask/app\.py|werkzeug"),
    ("gunicorn: HTTP parsing", r"gunicorn/http/(parser|message|unreader)"),
    ("gunicorn: accept, write, close", r"gunicorn"),
)


def _start_profile(server_pid: int, seconds: int):
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    children = [int(c) for c in Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()]
    out = tempfile.NamedTemporaryFile(suffix=".txt", delete=False).name
    process = subprocess.Popen([spy, "record", "--pid", str(children[0]), "--rate", "500", "--format", "raw",
                                "--nonblocking", "--duration", str(seconds), "--output", out],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return process, out


def _end_profile(sampler) -> list[tuple[str, float]]:
    process, out = sampler
    process.wait(timeout=60)
    counts: dict[str, int] = {}
    for line in Path(out).read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        name = next((name for name, pattern in PROFILE_CATEGORIES if re.search(pattern, stack)), "other")
        counts[name] = counts.get(name, 0) + int(count)
    os.unlink(out)
    total = sum(counts.values()) or 1
    return sorted(((name, 100 * n / total) for name, n in counts.items()), key=lambda item: -item[1])


# --- main ----------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--sizes", default="10,10000")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--servers", default="gunicorn-sync")
    parser.add_argument("--cases", default=",".join(CASE_SETTINGS))
    parser.add_argument("--profile", action="store_true", help="sample a worker with py-spy (pip install py-spy)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    results = {}
    for database in args.databases.split(","):
        with tempfile.TemporaryDirectory() as workdir, (
                postgres_cluster() if database == "postgresql" else _sqlite(workdir)) as url:
            for size in (int(s) for s in args.sizes.split(",")):
                companies, per_company = (1, size) if size <= 50 else (size // 50, 50)
                pairs = load_data(url, companies, per_company)
                payloads = payloads_for(pairs)
                payloads["inbound"] = inbound_payloads(load_numbers(url, companies))
                for server_name in args.servers.split(","):
                    for case in args.cases.split(","):
                        results[case, database, size, server_name] = measure(
                            case, database, size, server_name, url, payloads[case], args.seconds,
                            args.profile and case == "directory" and server_name.startswith("gunicorn"))
    _ratios(results)


def _ratios(results: dict) -> None:
    """Flat with the dataset size, and PostgreSQL against SQLite: CPU per request."""
    for (case, database, size, server_name), result in sorted(results.items()):
        smallest = min(s for (c, d, s, n) in results if (c, d, n) == (case, database, server_name))
        if size != smallest:
            ratio = result["cpu"] / results[case, database, smallest, server_name]["cpu"]
            print(f"{case} {database} {server_name}: CPU at {size} ext / at {smallest} ext = {ratio:.2f}")
        if database == "postgresql" and (case, "sqlite", size, server_name) in results:
            ratio = result["cpu"] / results[case, "sqlite", size, server_name]["cpu"]
            print(f"{case} {size} ext {server_name}: CPU on PostgreSQL / on SQLite = {ratio:.2f}")


@contextmanager
def _sqlite(workdir: str):
    yield f"sqlite:///{workdir}/bench.db"


if __name__ == "__main__":
    main()
