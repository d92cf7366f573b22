"""A deadline for a request served in a thread (granian, gunicorn's gthread): when time is
up, the read-only database connections the thread holds are broken, so that the query it
waits on fails at once, even on a server that no longer answers at all.

A thread can't be interrupted as the main thread is by SIGALRM (app/readonly_db.py), but
what it waits on can: PostgreSQL's socket is shut down (recv() returns, psycopg raises
OperationalError and the connection is dropped, not pooled) and a SQLite query is
stopped with sqlite3's interrupt(), which is documented as safe from another thread.
One watchdog thread per process keeps the deadlines in a heap.

What it can't bound is Python work that never touches the database, and reading the
request body: the endpoint checks FreeSWITCH's credentials before it reads, so only
FreeSWITCH could hold a thread that way.
"""
import heapq
import itertools
import logging
import os
import socket
import sqlite3
import threading
import time
from contextlib import contextmanager

log = logging.getLogger(__name__)

_held: dict[int, set] = {}  # thread id -> the DBAPI connections it has checked out
_held_lock = threading.Lock()
_expired_threads: set[int] = set()


def checked_out(dbapi_connection, connection_record, _proxy) -> None:
    """Pool "checkout" listener of the read-only engine. A thread may keep a connection
    checked out across requests (app/readonly_db.py): it is its own until checked in."""
    ident = threading.get_ident()
    connection_record.info["deadline_held"] = (ident, dbapi_connection)
    with _held_lock:
        _held.setdefault(ident, set()).add(dbapi_connection)


def checked_in(dbapi_connection, connection_record) -> None:
    """Pool "checkin" listener. An invalidated connection comes back as None, so the one
    checked out is read from the record (whose info lasts until its next connect)."""
    ident, connection = connection_record.info.pop("deadline_held", (None, None))
    with _held_lock:
        held = _held.get(ident)
        if held is not None:
            held.discard(connection)
            if not held:
                del _held[ident]


def expired() -> bool:
    """The current thread's deadline has passed (don't ask the database again)."""
    return threading.get_ident() in _expired_threads


def _break(dbapi_connection) -> None:
    driver = getattr(dbapi_connection, "driver_connection", dbapi_connection)
    try:
        if isinstance(driver, sqlite3.Connection):
            driver.interrupt()
            return
        fd = driver.pgconn.socket  # psycopg 3
        with socket.socket(fileno=os.dup(fd)) as sock:
            sock.shutdown(socket.SHUT_RDWR)
    except Exception as error:  # noqa: BLE001 - already closed, or a driver we don't know
        log.warning("deadline: could not break a database connection: %s", error)


# A deadline may fire this much late, so that one wake-up of the watchdog ends every
# deadline due in that span: under a REGISTER storm it wakes about 20 times a second,
# not twice per request (each wake-up is two context switches on a loaded machine).
SLACK_SECONDS = 0.05


class _Watchdog:
    """The deadlines in a heap, the earliest first. A block that ends in time only leaves
    its token's entry behind (`disarm`), dropped when its time comes: arming and
    disarming never wake the watchdog, but for a deadline earlier than every pending one."""

    def __init__(self):
        self._heap: list[tuple[float, int, int]] = []
        self._armed: dict[int, int] = {}  # token -> thread id
        self._tokens = itertools.count()
        self._condition = threading.Condition()
        self._thread: threading.Thread | None = None

    def arm(self, seconds: float) -> int:
        token = next(self._tokens)
        ident = threading.get_ident()
        with self._condition:
            self._armed[token] = ident
            heapq.heappush(self._heap, (time.monotonic() + seconds, token, ident))
            if self._thread is None or not self._thread.is_alive():
                # Started on first use, so that a process that forks (gunicorn, granian)
                # starts its own after the fork.
                self._thread = threading.Thread(target=self._run, name="db-deadline", daemon=True)
                self._thread.start()
            elif self._heap[0][1] == token:
                self._condition.notify()  # it sleeps until a later deadline, or for good
        return token

    def disarm(self, token: int) -> None:
        with self._condition:
            self._armed.pop(token, None)

    def _run(self) -> None:
        while True:
            with self._condition:
                while not self._heap:
                    self._condition.wait()
                delay = self._heap[0][0] - time.monotonic()
                if delay > 0:
                    self._condition.wait(delay + SLACK_SECONDS)
                now = time.monotonic()
                expired = []
                while self._heap and self._heap[0][0] <= now:
                    _, token, ident = heapq.heappop(self._heap)
                    if self._armed.pop(token, None) is not None:  # else the block ended in time
                        expired.append(ident)
                _expired_threads.update(expired)
            for ident in expired:
                with _held_lock:
                    connections = list(_held.get(ident, ()))
                for connection in connections:
                    _break(connection)


_watchdog = _Watchdog()


@contextmanager
def deadline(seconds: float):
    """Break this thread's read-only connections once `seconds` have passed in the block;
    `expired()` then says so."""
    ident = threading.get_ident()
    _expired_threads.discard(ident)
    token = _watchdog.arm(seconds)
    try:
        yield
    finally:
        _watchdog.disarm(token)
        _expired_threads.discard(ident)
