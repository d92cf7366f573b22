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
  SIGALRM that interrupts the wait (a sync worker runs each request in its main thread);
  in a threaded server the connections the thread holds are broken instead
  (app/thread_deadline.py).
"""
import signal
import threading
import weakref
from contextlib import contextmanager

from flask import current_app, g
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app import thread_deadline
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
        # No pre-ping (a round trip before every request): a connection the server closed
        # fails its query as a disconnect, and the endpoint asks again once on a new one.
        return create_engine(url, isolation_level="AUTOCOMMIT", skip_autocommit_rollback=True, max_overflow=-1,
                             connect_args={"connect_timeout": 2,  # libpq's minimum
                                           "options": f"{extra} {options}" if extra else options})
    if url.get_backend_name() == "sqlite" and sqlite_file(url) is not None:
        # No pre-ping: a file opened by this process doesn't go away as a server does.
        return create_engine(sqlite_opened(url, "ro"), max_overflow=-1, connect_args={"timeout": database_seconds})
    return db.engine  # an in-memory SQLite database exists only on its own engine


def engine() -> Engine:
    """This app's read-only engine, made on first use."""
    extensions = current_app.extensions
    if "readonly_db" not in extensions:
        with _lock:
            if "readonly_db" not in extensions:
                made = _make_engine()
                if made is not db.engine:
                    # Which thread holds which connection, for a threaded server's deadline.
                    event.listen(made, "checkout", thread_deadline.checked_out)
                    event.listen(made, "checkin", thread_deadline.checked_in)
                extensions["readonly_db"] = made
    return extensions["readonly_db"]


def dispose(app) -> None:
    """Close the connections of `app`'s read-only engine (tests, benchmarks)."""
    _close_kept(app.extensions.get("readonly_db_kept", {}))
    made = app.extensions.get("readonly_db")
    if made is not None:
        made.dispose()


@contextmanager
def scope():
    """The read-only database for the block: `session()` is an ORM session on it and
    `dbapi_connection()` a pooled DBAPI connection for `Prepared` statements, each made
    on first use (a cached directory answer needs no session)."""
    g.readonly_scope = True
    try:
        yield
    except BaseException:
        # No I/O: a connection left in an unknown state is closed, never reused.
        _end(lambda session: session.invalidate(), lambda raw: raw.invalidate())
        raise
    else:
        _end(lambda session: session.close(), _keep)
    finally:
        g.pop("readonly_scope", None)


def _end(end_session, end_raw) -> None:
    session_made, raw = g.pop("readonly_session", None), g.pop("readonly_dbapi", None)
    if session_made is not None:
        end_session(session_made)
    if raw is not None:
        end_raw(raw)


def session() -> Session:
    """The current scope's ORM session."""
    made = g.get("readonly_session")
    if made is None:
        if "readonly_scope" not in g:
            raise RuntimeError("readonly_db.session() outside readonly_db.scope()")
        made = g.readonly_session = Session(bind=engine())
    return made


def dbapi_connection():
    """The current scope's DBAPI connection: the one this thread kept from its last
    scope, else one checked out of the pool."""
    raw = g.get("readonly_dbapi")
    if raw is None:
        kept = _kept()
        raw = kept.pop(threading.get_ident(), None)
        if raw is None:
            # A thread new to this app (its first request, or a server that starts a
            # thread per request): those that ended have no use for theirs.
            alive = {thread.ident for thread in threading.enumerate()}
            _close_kept(kept, [ident for ident in list(kept) if ident not in alive])
            raw = engine().raw_connection()
        g.readonly_dbapi = raw
    return raw


# Each thread keeps its DBAPI connection between scopes instead of checking it back in:
# a pool checkout and checkin cost a cached directory answer a quarter of its time. A
# kept connection sees every commit as a pooled one would: PostgreSQL's is in
# autocommit, and a SQLite statement outside a transaction reads the latest one (each
# Prepared statement is read to the end, which ends its read). So these engines never
# refuse a checkout (max_overflow=-1): a server holds at most two per thread, the kept
# one and an ORM session's.

def _kept() -> dict:
    """Thread id -> the idle connection it kept, for the current app."""
    extensions = current_app.extensions
    kept = extensions.get("readonly_db_kept")
    if kept is None:
        with _lock:
            kept = extensions.get("readonly_db_kept")
            if kept is None:
                kept = extensions["readonly_db_kept"] = {}
                # Checked in when the app goes: the pool complains of connections the
                # garbage collector finds still checked out.
                weakref.finalize(current_app._get_current_object(), _close_kept, kept)
    return kept


def _keep(raw) -> None:
    if engine() is db.engine:  # in-memory SQLite: the portal's own engine and pool
        raw.close()
        return
    _kept()[threading.get_ident()] = raw


def _close_kept(kept: dict, idents=None, invalidate: bool = False) -> None:
    """These threads' idle kept connections (every thread's by default; one in use isn't
    in `kept`) back to the pool, or closed for good."""
    for ident in list(kept) if idents is None else idents:
        raw = kept.pop(ident, None)
        if raw is not None:
            raw.invalidate() if invalidate else raw.close()


class Prepared:
    """A Core SELECT compiled once for a dialect, then run straight on a DBAPI cursor.

    SQLAlchemy's Core spends about 100 µs per execution on work a fixed statement
    doesn't need again (cache key, execution context, result metadata); the DBAPI call
    itself is about 15 µs on SQLite (bench/xml_curl.py). The statement is still built
    with SQLAlchemy and compiled by the dialect, and each column's own result processor
    turns stored values into Python ones (booleans, enums), as a Core result would.
    """

    def __init__(self, statement, dialect):
        compiled = statement.compile(dialect=dialect)
        self._dialect = dialect
        self.sql = str(compiled)
        self._compiled = compiled
        self.keys = tuple(column.key for column in statement.selected_columns)
        processors = (column.type.dialect_impl(dialect).result_processor(dialect, None)
                      for column in statement.selected_columns)
        self._processors = tuple((position, processor) for position, processor in enumerate(processors)
                                 if processor is not None)

    def _parameters(self, values: dict):
        params = self._compiled.construct_params(values)
        if self._compiled.positional:
            return tuple(params[name] for name in self._compiled.positiontup)
        return params

    def rows(self, connection, **values) -> list[tuple]:
        # One cursor per DBAPI connection, for as long as it lives (the pool's record
        # clears `info` when it connects again): psycopg's cursors cost 10-25 µs to make.
        cursor = connection.info.get("readonly_db_cursor")
        if cursor is None:
            cursor = connection.info["readonly_db_cursor"] = connection.cursor()
        try:
            cursor.execute(self.sql, self._parameters(values))
            fetched = cursor.fetchall()
        except self._dialect.loaded_dbapi.Error as error:
            # As SQLAlchemy reports it: a DBAPIError, marked when the server went away.
            gone = self._dialect.is_disconnect(error, connection, cursor)
            if gone:
                # The other connections went with it: the pool's and the other threads'.
                _close_kept(_kept(), invalidate=True)
                engine().dispose()
            raise DBAPIError.instance(self.sql, values, error, self._dialect.loaded_dbapi.Error,
                                      connection_invalidated=gone) from error
        if not self._processors:
            return fetched
        converted = []
        for row in fetched:
            values = list(row)
            for position, processor in self._processors:
                values[position] = processor(values[position])
            converted.append(tuple(values))
        return converted


def prepared(key, build) -> Prepared:
    """`build()`'s statement, compiled once per app for its read-only engine's dialect."""
    cache = current_app.extensions.setdefault("readonly_db_prepared", {})
    statement = cache.get(key)
    if statement is None:
        statement = cache[key] = Prepared(build(), engine().dialect)
    return statement


@contextmanager
def deadline(seconds: float):
    """Raise DeadlineExceeded in the block once `seconds` have passed, where signals can
    be used (the main thread: gunicorn's sync workers); in another thread (a threaded
    server) the read-only connections it holds are broken then (app/thread_deadline.py)."""
    if threading.current_thread() is not threading.main_thread():
        with thread_deadline.deadline(seconds):
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
