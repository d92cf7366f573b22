"""What one single-row PostgreSQL query costs the xml_curl endpoint, back to back and
spaced as requests arrive at 300/s: the floor under every answer the portal keeps,
since each one reads its company's version (app/xml_curl/answer_cache.py).

    BENCH_POSTGRES_URL=postgresql://... .venv/bin/python bench/pg_round_trip.py [--count 1000]

The database needs the schema (`flask db upgrade`) and one company; bench/xml_curl.py's
PostgreSQL run leaves 200. Prints, for TCP and, when the URL's host is local, the Unix
socket: the wall time of the query (p50, p99) and the client's CPU time per query.
"""
import argparse
import os
import statistics
import sys
import time

import psycopg

STAMP = "SELECT id, directory_version FROM companies WHERE sip_domain = %(domain)s"
SPACING = 1 / 300


def measure(dsn: str, count: int, spacing: float) -> str:
    with psycopg.connect(dsn, autocommit=True) as connection:
        cursor = connection.cursor()
        domain = cursor.execute("SELECT sip_domain FROM companies ORDER BY id LIMIT 1").fetchone()[0]
        for _ in range(50):  # psycopg prepares the statement after 5 executions
            cursor.execute(STAMP, {"domain": domain}).fetchall()
        walls, cpus = [], []
        for _ in range(count):
            if spacing:
                time.sleep(spacing)
            wall, cpu = time.perf_counter(), time.thread_time()
            cursor.execute(STAMP, {"domain": domain}).fetchall()
            walls.append(time.perf_counter() - wall)
            cpus.append(time.thread_time() - cpu)
    walls.sort()
    return (f"wall p50 {walls[len(walls) // 2] * 1e3:.2f} ms p99 {walls[int(len(walls) * 0.99) - 1] * 1e3:.2f} ms, "
            f"client CPU {statistics.mean(cpus) * 1e3:.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    count = parser.parse_args().count
    url = os.environ.get("BENCH_POSTGRES_URL")
    if not url:
        sys.exit("BENCH_POSTGRES_URL is not set")
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    targets = [("tcp", dsn)]
    info = psycopg.conninfo.conninfo_to_dict(dsn)
    if info.get("host") in ("127.0.0.1", "localhost"):
        for folder in ("/var/run/postgresql", "/tmp"):
            if os.path.exists(os.path.join(folder, f".s.PGSQL.{info.get('port', 5432)}")):
                targets.append(("unix socket", psycopg.conninfo.make_conninfo(dsn, host=folder)))
                break
    for name, target in targets:
        for label, spacing in (("back to back", 0.0), ("spaced as at 300 req/s", SPACING)):
            print(f"{name}, {label}: {measure(target, count, spacing)}")


if __name__ == "__main__":
    main()
