"""Where the event listener leaves the device summaries, for every other process.

The listener is the only writer. The portal's pages (the board's first render, the 5 s
fallback poll, click-to-call's checks) and a status server starting up read it. Redis
when REDIS_URL is set (shared by every node), else a SQLite file beside the database
(STATUS_DB_PATH, default instance/status.db): one small table, rows replaced whole.

Rows: one per SIP domain (a JSON object user -> summary, see device_state.py), one for
FreeSWITCH's reachability, a heartbeat the listener refreshes (a listener that has
stopped is not believed), and the outcome of each click-to-call job for a few minutes.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

HEARTBEAT_SECONDS = 5.0
STALE_AFTER = 3 * HEARTBEAT_SECONDS
CALL_RESULT_TTL = 300
_PREFIX = "switchboard:status:"


class SqliteStore:
    def __init__(self, path: str):
        self.path = str(path)
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self._connection() as db:
            db.execute("CREATE TABLE IF NOT EXISTS status (key TEXT PRIMARY KEY, value TEXT NOT NULL, "
                       "expires REAL)")

    def _connection(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            # WAL: readers (the portal) never wait for the listener's writes.
            db = sqlite3.connect(self.path, timeout=2.0, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            # No fsync: the rows are a copy of FreeSWITCH's live state, rewritten whole by the
            # listener at every start; an fsync per write stalled the listener on a busy disk.
            db.execute("PRAGMA synchronous=OFF")
            self._local.db = db
        return db

    def put_many(self, items: dict[str, str | None], ttl: float | None = None) -> None:
        expires = time.time() + ttl if ttl else None
        db = self._connection()
        db.execute("BEGIN")
        try:
            for key, value in items.items():
                if value is None:
                    db.execute("DELETE FROM status WHERE key = ?", (key,))
                else:
                    db.execute("INSERT OR REPLACE INTO status (key, value, expires) VALUES (?, ?, ?)",
                               (key, value, expires))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def get(self, key: str) -> str | None:
        row = self._connection().execute("SELECT value, expires FROM status WHERE key = ?", (key,)).fetchone()
        if row is None or (row[1] is not None and row[1] < time.time()):
            return None
        return row[0]

    def keys(self, prefix: str) -> list[str]:
        rows = self._connection().execute("SELECT key FROM status WHERE key LIKE ? ESCAPE '\\'",
                                          (prefix.replace("_", "\\_").replace("%", "\\%") + "%",))
        return [row[0] for row in rows]


class RedisStore:
    def __init__(self, url: str, client=None):
        if client is None:
            import redis

            client = redis.Redis.from_url(url)
        self.redis = client

    def put_many(self, items: dict[str, str | None], ttl: float | None = None) -> None:
        pipe = self.redis.pipeline()
        for key, value in items.items():
            if value is None:
                pipe.delete(key)
            elif ttl:
                pipe.set(key, value, ex=int(ttl))
            else:
                pipe.set(key, value)
        pipe.execute()

    def get(self, key: str) -> str | None:
        value = self.redis.get(key)
        return None if value is None else value.decode()

    def keys(self, prefix: str) -> list[str]:
        return [key.decode() for key in self.redis.scan_iter(match=prefix.replace("*", "\\*") + "*")]


class StatusStore:
    """The device summaries by domain, FreeSWITCH's reachability, click-to-call outcomes."""

    def __init__(self, backend):
        self.backend = backend

    @classmethod
    def from_config(cls, config) -> "StatusStore":
        if config.get("REDIS_URL"):
            return cls(RedisStore(config["REDIS_URL"]))
        return cls(SqliteStore(config["STATUS_DB_PATH"]))

    # -- the listener writes ---------------------------------------------------------

    def save_domains(self, domains: dict[str, dict | None]) -> None:
        """Replace the summaries of these domains (None or {}: nothing registered)."""
        self.backend.put_many({_PREFIX + "domain:" + d: json.dumps(users) if users else None
                               for d, users in domains.items()})

    def replace_all(self, domains: dict[str, dict], reachable: bool) -> None:
        """Everything FreeSWITCH has now, after a (re)connection: domains not listed are emptied."""
        gone = {key[len(_PREFIX + "domain:"):] for key in self.backend.keys(_PREFIX + "domain:")} - set(domains)
        self.save_domains({**{d: None for d in gone}, **domains})
        self.save_reachable(reachable)

    def save_reachable(self, reachable: bool) -> None:
        self.backend.put_many({_PREFIX + "reachable": "1" if reachable else "0",
                               _PREFIX + "heartbeat": repr(time.time())})

    def heartbeat(self) -> None:
        self.backend.put_many({_PREFIX + "heartbeat": repr(time.time())})

    def save_call_result(self, job_uuid: str, reply: str) -> None:
        self.backend.put_many({_PREFIX + "call:" + job_uuid: reply}, ttl=CALL_RESULT_TTL)

    # -- everyone reads ---------------------------------------------------------------------

    def domain(self, domain: str) -> dict[str, dict]:
        value = self.backend.get(_PREFIX + "domain:" + domain.lower())
        return json.loads(value) if value else {}

    def all_domains(self) -> dict[str, dict]:
        found = {}
        for key in self.backend.keys(_PREFIX + "domain:"):
            domain = key[len(_PREFIX + "domain:"):]
            found[domain] = self.domain(domain)
        return found

    def reachable(self) -> bool | None:
        """True/False as the listener last found FreeSWITCH; None when no listener is
        running (never started, or silent for longer than STALE_AFTER)."""
        beat = self.backend.get(_PREFIX + "heartbeat")
        if beat is None or time.time() - float(beat) > STALE_AFTER:
            return None
        return self.backend.get(_PREFIX + "reachable") == "1"

    def call_result(self, job_uuid: str) -> str | None:
        return self.backend.get(_PREFIX + "call:" + job_uuid)


def for_app(app) -> StatusStore:
    """The app's store, opened once per process."""
    store = app.extensions.get("status_store")
    if store is None:
        store = app.extensions["status_store"] = StatusStore.from_config(app.config)
    return store
