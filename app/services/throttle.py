"""Rate limits, counted in Flask-Limiter's storage (the `limits` library): Redis when
REDIS_URL is set, shared by every app process; each process's memory otherwise.

Limits are strings such as "5 per minute;20 per hour" (limits.parse_many); an attempt
is refused while any of them is full. Keys are hashed: an address is never written
to the storage in clear.
"""
import hashlib

from flask import current_app
from limits import parse_many

from app.flask_extensions import limiter


def _key(kind: str, value: str) -> str:
    return f"switchboard:{kind}:" + hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]


def _limits(setting: str):
    return parse_many(current_app.config[setting])


def full(setting: str, kind: str, value: str) -> bool:
    """Whether one more attempt would pass one of the limits; records nothing."""
    return any(not limiter.limiter.test(item, _key(kind, value)) for item in _limits(setting))


def hit(setting: str, kind: str, value: str) -> bool:
    """Record one attempt; False when it went past one of the limits (it then counts nowhere)."""
    key = _key(kind, value)
    items = _limits(setting)
    if any(not limiter.limiter.test(item, key) for item in items):
        return False
    for item in items:
        limiter.limiter.hit(item, key)
    return True


def clear(setting: str, kind: str, value: str) -> None:
    for item in _limits(setting):
        limiter.limiter.clear(item, _key(kind, value))


def forget_failures(email: str) -> None:
    """A password was set (reset link, change): the account's failed sign-ins are forgotten."""
    clear("LOGIN_ACCOUNT_LIMITS", "login-account", email)
