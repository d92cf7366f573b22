"""Password hashing, the password policy (G24) and single-use reset links."""
import hashlib
from dataclasses import dataclass

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.flask_extensions import db
from app.models.user import User
from app.services import login_sessions, throttle

_hashers: dict[str, tuple[PasswordHasher, str]] = {}


def _hasher() -> tuple[PasswordHasher, str]:
    """The argon2 hasher of the configured profile, and a dummy hash made with it."""
    name = current_app.config.get("ARGON2_PROFILE", "RFC_9106_LOW_MEMORY")
    if name not in _hashers:
        hasher = PasswordHasher.from_parameters(getattr(profiles, name))
        # Verified against when the email is unknown, so both paths cost the same time.
        _hashers[name] = (hasher, hasher.hash("not a real password"))
    return _hashers[name]


def hash_password(password: str) -> str:
    return _hasher()[0].hash(password)


def verify_password(user: User | None, password: str) -> bool:
    hasher, dummy = _hasher()
    stored = user.password_hash if user is not None and user.password_hash else dummy
    try:
        hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
    if user is None or not user.password_hash:
        return False
    if hasher.check_needs_rehash(stored):
        user.password_hash = hasher.hash(password)
    return True


def policy_errors(password: str, email: str = "") -> list:
    """Why `password` is refused, as translated messages (empty when it is acceptable)."""
    errors = []
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        errors.append(_l("Use at least %(n)s characters.", n=minimum))
    if len(password) > 128:
        errors.append(_l("Use at most 128 characters."))
    if password.isdigit() or password.isalpha():
        errors.append(_l("Mix letters with digits or symbols."))
    local_part = email.split("@")[0].lower()
    if len(local_part) >= 4 and local_part in password.lower():
        errors.append(_l("Do not use your email address in your password."))
    return errors


# Reset links -------------------------------------------------------------

@dataclass
class ResetCheck:
    user: User | None
    problem: str | None  # "expired", "used" or "invalid"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _fingerprint(user: User) -> str:
    # Changing the password changes the fingerprint, so a link works only once.
    return hashlib.sha256((user.password_hash or "never-set").encode()).hexdigest()[:20]


def make_reset_token(user: User) -> str:
    return _serializer().dumps({"u": user.id, "f": _fingerprint(user)})


def check_reset_token(token: str) -> ResetCheck:
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    try:
        data = _serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        return ResetCheck(None, "expired")
    except BadSignature:
        return ResetCheck(None, "invalid")
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not user.active:
        return ResetCheck(None, "invalid")
    if data.get("f") != _fingerprint(user):
        return ResetCheck(None, "used")
    return ResetCheck(user, None)


def set_password(user: User, password: str, keep_session: str | None = None) -> None:
    """A new password ends every session opened with the old one (someone who knew it
    may hold one), except `keep_session`: the one of the person changing it."""
    user.password_hash = hash_password(password)
    login_sessions.close_all(user, keep=keep_session)
    throttle.forget_failures(user.email)
