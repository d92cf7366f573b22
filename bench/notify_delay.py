"""How long a saved setting takes to reach FreeSWITCH, as in production.

    .venv/bin/python bench/notify_delay.py [--saves 30] [--idle 3] [--worker-options "..."]

A throw-away SQLite database and Huey queue, a fake FreeSWITCH event socket on
loopback, and a real job worker (`huey_consumer worker.huey` with the Makefile's
options, or the ones given). Each save commits an extension's settings through the
service the portal uses, after an idle pause of up to --idle seconds (an idle
consumer backs off its polling), and the delay is measured from the commit to the
moment the event socket receives `xml_flush_cache`. Prints percentiles.
"""
import argparse
import os
import random
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MAKEFILE_OPTIONS = "--workers 2 --worker-type thread --delay 0.1 --max-delay 0.5"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--saves", type=int, default=30)
    parser.add_argument("--idle", type=float, default=3.0, help="longest pause between saves, seconds")
    parser.add_argument("--worker-options", default=MAKEFILE_OPTIONS)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    random.seed(args.seed)

    from tests.fakes.esl_server import FakeEslServer

    with tempfile.TemporaryDirectory(prefix="switchboard-bench-") as folder, \
            FakeEslServer(password="bench") as freeswitch:
        env = dict(os.environ, DATABASE_URL=f"sqlite:///{folder}/bench.db", HUEY_SQLITE_PATH=f"{folder}/huey.db",
                   ESL_HOST=freeswitch.host, ESL_PORT=str(freeswitch.port), ESL_PASSWORD="bench",
                   SECRET_KEY="bench-only", HUEY_IMMEDIATE="0")
        os.environ.update(env)
        from app import create_app
        from app.flask_extensions import db

        app = create_app()
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            extension = _setup(db)
        consumer = subprocess.Popen(
            [str(ROOT / ".venv/bin/huey_consumer"), "worker.huey", *shlex.split(args.worker_options)],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(2)  # the consumer starts
            delays = [_one_save(app, db, extension, freeswitch, random.uniform(0, args.idle))
                      for _ in range(args.saves)]
        finally:
            consumer.terminate()
            consumer.wait(timeout=10)
    delays.sort()
    quantiles = statistics.quantiles(delays, n=20, method="inclusive")
    print(f"save -> FreeSWITCH (worker options: {args.worker_options}), {len(delays)} saves after idle pauses "
          f"of 0-{args.idle:g} s: p50 {statistics.median(delays) * 1000:.0f} ms, p95 {quantiles[18] * 1000:.0f} ms, "
          f"max {delays[-1] * 1000:.0f} ms")


def _setup(db) -> int:
    from app.services import companies, extensions

    company = companies.create_company("Bench", "bench.voice.example", "America/Toronto", "fr")
    extension = extensions.create_extension(company, "101", None, "Bench", True, True)
    db.session.commit()
    return extension.id


def _one_save(app, db, extension_id: int, freeswitch, idle: float) -> float:
    from app.models.extension import Extension
    from app.services import extension_settings

    time.sleep(idle)
    seen = len(freeswitch.api_commands)
    with app.app_context():
        extension = db.session.get(Extension, extension_id)
        data = {"version": str(extension.version), "dnd": not extension.dnd}
        assert extension_settings.save(extension, data, admin=False, by_user_id=None).ok
        db.session.commit()
        committed = time.monotonic()
    deadline = committed + 30
    while len(freeswitch.api_commands) == seen:
        if time.monotonic() > deadline:
            raise SystemExit("no flush reached the fake FreeSWITCH within 30 s")
        time.sleep(0.002)
    return time.monotonic() - committed


if __name__ == "__main__":
    main()
