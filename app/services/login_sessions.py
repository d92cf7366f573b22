"""Signed-in sessions, recorded server-side so that they can be ended (issue 8.2).

Flask's session cookie is signed, not stored: a copy saved before signing out would
otherwise keep working until it expires. Each sign-in opens a row; the cookies carry
its random token; a request whose token has no row is signed out. Signing out deletes
this browser's row, "sign out everywhere" and every new password delete them all.
"""
import hashlib
import secrets

from flask import current_app
from sqlalchemy import delete, select

from app.database import utcnow
from app.flask_extensions import db
from app.models.user import LoginSession, User


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _oldest_valid():
    return utcnow() - current_app.config["SESSION_MAX_AGE"]


def open_session(user: User) -> str:
    """A new session for `user`; returns its token (also set on `user` for Flask-Login)."""
    # Sessions past their age are worth nothing: forget them while we are writing anyway.
    db.session.execute(delete(LoginSession).where(LoginSession.created_at < _oldest_valid()))
    token = secrets.token_urlsafe(32)
    db.session.add(LoginSession(user=user, token_hash=_hash(token)))
    user.session_token = token
    return token


def user_for(token: str) -> User | None:
    """The active person whose session `token` names, or None (ended, too old, disabled)."""
    if not token or len(token) > 100:
        return None
    user = db.session.execute(
        select(User).join(LoginSession, LoginSession.user_id == User.id).where(
            LoginSession.token_hash == _hash(token), LoginSession.created_at >= _oldest_valid(),
            User.active.is_(True))
    ).scalar_one_or_none()
    if user is not None:
        user.session_token = token
    return user


def close(token: str | None) -> None:
    if token:
        db.session.execute(delete(LoginSession).where(LoginSession.token_hash == _hash(token)))


def close_all(user: User, keep: str | None = None) -> None:
    """End every session of `user`, except the one whose token is `keep`."""
    query = delete(LoginSession).where(LoginSession.user_id == user.id)
    if keep:
        query = query.where(LoginSession.token_hash != _hash(keep))
    db.session.execute(query)
