"""A database that can't answer, made on purpose (tests/xml_curl/test_database_outage.py,
bench/db_outage.py)."""
import sqlite3
from contextlib import contextmanager

import psycopg
from sqlalchemy.engine import make_url

from app.database import sqlite_file


@contextmanager
def sqlite_locked(url: str):
    """Another connection's exclusive write lock on the file, as during a long write."""
    holder = sqlite3.connect(sqlite_file(make_url(url)), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def conninfo(url: str) -> str:
    """psycopg's connection string for a SQLAlchemy PostgreSQL URL."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@contextmanager
def postgresql_locked(url: str, tables: list[str] | None = None):
    """A session holding ACCESS EXCLUSIVE locks on `tables` (all of them by default), as a
    long migration does."""
    with psycopg.connect(conninfo(url)) as holder:
        if tables is None:
            tables = [name for (name,) in holder.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        holder.execute(f"LOCK TABLE {', '.join(tables)} IN ACCESS EXCLUSIVE MODE")
        try:
            yield
        finally:
            holder.rollback()
