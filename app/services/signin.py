"""Sign-in and recovery, with rate limits instead of account lock-out (F1, G24, issue 8.7).

A 15-minute lock after 10 failures let anyone lock anyone out by typing a wrong
password 10 times. Now:
- each client address may try LOGIN_IP_LIMITS times (30 a minute): one machine
  cannot guess quickly, whatever the accounts;
- each account (by the address typed, known or not, so that the answer never tells
  whether an account exists) may fail LOGIN_ACCOUNT_LIMITS times: 5 a minute, 10 in
  10 minutes, 20 an hour. Past that the password is not even checked, and the wait
  grows with the failures. Only failures count: the owner's own tries during the wait
  do not lengthen it, and the right password goes through once it is over;
- the owner is never locked out: the recovery link always works and forgets the
  failures. Someone who keeps the account's wait full only sends its owner links.
"""
from enum import Enum

from sqlalchemy import func, select

from app.flask_extensions import db
from app.models.user import User
from app.services import throttle
from app.services.passwords import verify_password


class Outcome(Enum):
    OK = "ok"
    REFUSED = "refused"  # unknown email, wrong password or disabled: one message
    THROTTLED = "throttled"  # this client tried too often
    ACCOUNT_WAIT = "account_wait"  # this address failed too often: wait, or use a recovery link


def find_user_by_email(email: str) -> User | None:
    normalized = email.strip().lower()
    return db.session.execute(select(User).where(func.lower(User.email) == normalized)).scalar_one_or_none()


def authenticate(email: str, password: str, client_ip: str) -> tuple[Outcome, User | None]:
    """Check a sign-in attempt. Writes nothing to the database (a rehash at most)."""
    if not throttle.hit("LOGIN_IP_LIMITS", "login-ip", client_ip):
        return Outcome.THROTTLED, None
    if account_waiting(email):
        return Outcome.ACCOUNT_WAIT, None
    user = find_user_by_email(email)
    if not verify_password(user, password) or not user.active:
        throttle.hit("LOGIN_ACCOUNT_LIMITS", "login-account", email)
        return Outcome.REFUSED, None
    throttle.forget_failures(email)
    return Outcome.OK, user


def account_waiting(email: str) -> bool:
    """Whether sign-ins to this address are held back for now (too many failures)."""
    return throttle.full("LOGIN_ACCOUNT_LIMITS", "login-account", email)


def recovery_allowed(email: str, client_ip: str) -> bool:
    """Whether another recovery mail may go out for this address and client."""
    by_ip = throttle.hit("RECOVERY_IP_LIMITS", "recover-ip", client_ip)
    return by_ip and throttle.hit("RECOVERY_ADDRESS_LIMITS", "recover-address", email)
