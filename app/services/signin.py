"""Sign-in with account lock-out and per-address rate limits (F1, G24)."""
from datetime import timedelta
from enum import Enum

from flask import current_app
from sqlalchemy import func, select

from app.flask_extensions import db
from app.database import utcnow
from app.models.user import User
from app.services import throttle
from app.services.passwords import verify_password


class Outcome(Enum):
    OK = "ok"
    REFUSED = "refused"  # unknown email, wrong password, disabled or locked: one message
    THROTTLED = "throttled"


def find_user_by_email(email: str) -> User | None:
    normalized = email.strip().lower()
    return db.session.execute(select(User).where(func.lower(User.email) == normalized)).scalar_one_or_none()


def authenticate(email: str, password: str, client_ip: str) -> tuple[Outcome, User | None]:
    config = current_app.config
    if throttle.exceeded(f"login-ip:{client_ip}", config["LOGIN_IP_LIMIT_PER_MINUTE"], timedelta(minutes=1)):
        db.session.commit()
        return Outcome.THROTTLED, None

    user = find_user_by_email(email)
    password_ok = verify_password(user, password)
    now = utcnow()
    if user is None:
        db.session.commit()
        return Outcome.REFUSED, None
    if user.locked_until and user.locked_until > now:
        db.session.commit()
        return Outcome.REFUSED, None
    if not password_ok:
        user.failed_logins += 1
        if user.failed_logins >= config["LOGIN_MAX_FAILURES"]:
            user.locked_until = now + timedelta(minutes=config["LOGIN_LOCK_MINUTES"])
            user.failed_logins = 0
        db.session.commit()
        return Outcome.REFUSED, None
    if not user.active:
        db.session.commit()
        return Outcome.REFUSED, None
    user.failed_logins = 0
    user.locked_until = None
    db.session.commit()
    return Outcome.OK, user


def recovery_allowed(email: str, client_ip: str) -> bool:
    """Whether another recovery mail may go out for this address and client."""
    limit = current_app.config["RECOVERY_LIMIT_PER_HOUR"]
    hour = timedelta(hours=1)
    by_ip = throttle.exceeded(f"recover-ip:{client_ip}", limit * 4, hour)
    by_email = throttle.exceeded(f"recover-email:{email.strip().lower()}", limit, hour)
    db.session.commit()
    return not (by_ip or by_email)
