"""The database as FreeSWITCH's requests and the health check use it: read only, and an
answer within a deadline or an error, whatever the database does.

FreeSWITCH gives up on an xml_curl request after its timeout (3 s in deploy/freeswitch),
but a sync gunicorn worker stuck on a query serves nothing else: a frozen or locked
database would stall the portal and the next calls too. So these requests use their own
engine and a deadline:

- PostgreSQL: libpq's connect_timeout, and on each connection statement_timeout and
  lock_timeout (a statement waiting for a lock, or a slow one, ends in an error) and
  default_transaction_read_only; autocommit (one round trip per query, no BEGIN).
- SQLite: the file opened read only and never created (`mode=ro`), with a short busy
  timeout instead of sqlite3's 5 s.
- `deadline()`: a server that stops answering altogether (frozen, or a network that
  drops packets) can't enforce its own timeouts, so the worker's main thread gets a
  SIGALRM that interrupts the wait (a sync worker runs each request in its main thread;
  elsewhere only the timeouts above apply).
"""
import signal
import threading
from contextlib import contextmanager

from flask import current_app, g
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.database import sqlite_file, sqlite_opened
from app.flask_extensions import db

DEFAULT_TIMEOUT = 0.8  # seconds, FREESWITCH_XML_TIMEOUT
_DATABASE_SHARE = 0.6  # of the deadline, for the database's own timeouts
_RETRY_SECONDS = 0.05
_lock = threading.Lock()


class DeadlineExceeded(BaseException):
    """Not an Exception, like KeyboardInterrupt: SQLAlchemy then closes the connection it
    interrupted instead of pooling one in the middle of a query (engine/base.py
    _handle_dbapi_exception(), is_exit_exception()), and psycopg does not first try to
    cancel the query, as it does for KeyboardInterrupt, which would wait on a frozen server."""


def timeout() -> float:
    return float(current_app.config.get("FREESWITCH_XML_TIMEOUT") or DEFAULT_TIMEOUT)


def _make_engine() -> Engine:
    url = db.engine.url
    database_seconds = timeout() * _DATABASE_SHARE
    if url.get_backend_name() == "postgresql":
        milliseconds = max(1, int(database_seconds * 1000))
        options = (f"-c statement_timeout={milliseconds} -c lock_timeout={milliseconds} "
                   "-c default_transaction_read_only=on")
        extra = url.query.get("options")
        return create_engine(url, pool_pre_ping=True, isolation_level="AUTOCOMMIT", skip_autocommit_rollback=True,
                             connect_args={"connect_timeout": 2,  # libpq's minimum
                                           "options": f"{extra} {options}" if extra else options})
    if url.get_backend_name() == "sqlite" and sqlite_file(url) is not None:
        return create_engine(sqlite_opened(url, "ro"), pool_pre_ping=True, connect_args={"timeout": database_seconds})
    return db.engine  # an in-memory SQLite database exists only on its own engine


def engine() -> Engine:
    """This app's read-only engine, made on first use."""
    extensions = current_app.extensions
    if "readonly_db" not in extensions:
        with _lock:
            if "readonly_db" not in extensions:
                extensions["readonly_db"] = _make_engine()
    return extensions["readonly_db"]


def dispose(app) -> None:
    """Close the pooled connections of `app`'s read-only engine (tests, benchmarks)."""
    made = app.extensions.get("readonly_db")
    if made is not None:
        made.dispose()


@contextmanager
def scope():
    """A session on the read-only engine for the block; `session()` returns it."""
    session = Session(bind=engine())
    g.readonly_session = session
    try:
        yield session
    except BaseException:
        session.invalidate()  # no I/O: a connection left in an unknown state is closed, never reused
        raise
    else:
        session.close()
    finally:
        g.pop("readonly_session", None)


def session() -> Session:
    """The session of the current scope()."""
    return g.readonly_session


@contextmanager
def deadline(seconds: float):
    """Raise DeadlineExceeded in the block once `seconds` have passed, where signals can
    be used (the main thread); elsewhere the block runs unbounded."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    armed = True

    def expire(signum, frame):
        if armed:
            # Raised wherever the thread is; should that be a finalizer, which swallows
            # exceptions, the timer fires again shortly.
            signal.setitimer(signal.ITIMER_REAL, _RETRY_SECONDS)
            raise DeadlineExceeded()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
