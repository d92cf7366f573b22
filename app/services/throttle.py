"""Rate limits counted in the database, so they hold across app processes."""
from datetime import timedelta

from sqlalchemy import delete, func, select

from app.flask_extensions import db
from app.database import utcnow
from app.models.throttle import ThrottleHit


def count(key: str, window: timedelta) -> int:
    since = utcnow() - window
    return db.session.execute(
        select(func.count()).select_from(ThrottleHit).where(ThrottleHit.key == key, ThrottleHit.at >= since)
    ).scalar_one()


def hit(key: str) -> None:
    db.session.add(ThrottleHit(key=key))


def exceeded(key: str, limit: int, window: timedelta) -> bool:
    """Record one attempt under `key` and say whether the window now holds more than `limit`."""
    hit(key)
    db.session.flush()
    return count(key, window) > limit


def purge(older_than: timedelta) -> int:
    result = db.session.execute(delete(ThrottleHit).where(ThrottleHit.at < utcnow() - older_than))
    return result.rowcount or 0
