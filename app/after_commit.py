"""Work that must happen only once the transaction has committed, and never if it
rolls back: mail going out, FreeSWITCH being told (app/telephony/outbox.py).

A service calls `after_commit.call(fn, *args)` while it writes; one pair of
SQLAlchemy session events runs the calls after the commit, or drops them on
rollback. A failing call is logged: the commit it follows has happened, and the
page that made it must not turn into an error.
"""
import logging

from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

_CALLS, _COLLECTED = "after_commit_calls", "after_commit_collected"


def _info() -> dict:
    from app.flask_extensions import db

    return db.session.info


def call(fn, *args) -> None:
    _info().setdefault(_CALLS, []).append((fn, args))


def collect(key: str, factory, then):
    """One object per transaction that several writes add to, handed to `then` once
    after the commit (e.g. every FreeSWITCH change of a save, sent as one job)."""
    collected = _info().setdefault(_COLLECTED, {})
    if key not in collected:
        collected[key] = factory()
        call(then, collected[key])
    return collected[key]


def collected(session: Session, key: str):
    """What this session collected under `key` so far, or None (tests, debugging)."""
    return session.info.get(_COLLECTED, {}).get(key)


def _run(session: Session) -> None:
    session.info.pop(_COLLECTED, None)
    for fn, args in session.info.pop(_CALLS, ()):
        try:
            fn(*args)
        except Exception:  # noqa: BLE001 - see the module's docstring
            log.exception("after-commit work %s failed", getattr(fn, "__name__", fn))


def _drop(session: Session) -> None:
    session.info.pop(_COLLECTED, None)
    session.info.pop(_CALLS, None)


def install() -> None:
    """Listen on every session (idempotent)."""
    if not event.contains(Session, "after_commit", _run):
        event.listen(Session, "after_commit", _run)
        event.listen(Session, "after_rollback", _drop)
