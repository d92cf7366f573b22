"""Quick-edit grid: server time and SQL query count for 50 and 500 extensions.

    .venv/bin/python bench/grid.py            # SQLite in a temporary directory
    DATABASE_URL=postgresql://.../bench_test .venv/bin/python bench/grid.py

Prints one line per size: median and p95 server time of GET /extensions/grid,
the number of SQL statements it ran, and the page size.
"""
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app import create_app  # noqa: E402
from app.database import create_sqlite_file  # noqa: E402
from app.flask_extensions import db  # noqa: E402
from app.models.user import Role  # noqa: E402
from tests import factories  # noqa: E402

ROUNDS = 20


def make_app(workdir: str):
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{workdir}/bench.db"
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    create_sqlite_file(make_url(url))  # drop_all() below opens it before the migrations would create it
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False,
                      "SECRET_KEY": "bench", "ARGON2_PROFILE": "CHEAPEST"})
    from flask_migrate import upgrade

    with app.app_context():
        db.drop_all()
        db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        upgrade()
    return app


def measure(app, size: int) -> str:
    with app.app_context():
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        company = factories.make_company("Bench inc.", "bench.voice.example")
        number = factories.make_number(company)
        admin = factories.make_user(company, Role.ADMIN, email="admin@bench.example")
        for n in range(size):
            factories.make_extension(company, str(1000 + n), user=admin if n % 2 else None,
                                     caller_id_name="Bench", caller_id_number=number, voicemail_password="1234")
        db.session.commit()
        engine = db.engine
    client = app.test_client()
    client.post("/login", data={"email": "admin@bench.example", "password": factories.PASSWORD})
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    timings, queries, size_bytes = [], 0, 0
    for _ in range(ROUNDS):
        statements.clear()
        start = time.perf_counter()
        response = client.get("/extensions/grid")
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
        queries, size_bytes = len(statements), len(response.data)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    return (f"grid {size:>4} extensions: median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, "
            f"{queries} SQL queries, {size_bytes / 1024:.0f} KiB")


def main() -> None:
    with tempfile.TemporaryDirectory() as workdir:
        app = make_app(workdir)
        for size in (50, 500):
            print(measure(app, size), flush=True)


if __name__ == "__main__":
    main()
