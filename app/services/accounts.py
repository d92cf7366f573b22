"""A person's own account: name, language, password."""
from flask_babel import lazy_gettext as _l

from app.models.user import User
from app.services import login_sessions
from app.services.passwords import set_password, verify_password


def update_profile(user: User, first_name: str, last_name: str, language: str) -> None:
    user.first_name, user.last_name, user.language = first_name.strip(), last_name.strip(), language


def change_password(user: User, current: str, new: str) -> dict:
    """Field errors, or {} once the new password is set; the person's other sessions end."""
    if not verify_password(user, current):
        return {"current": _l("This is not your current password.")}
    set_password(user, new, keep_session=user.session_token)
    return {}


def sign_out_everywhere(user: User) -> None:
    login_sessions.close_all(user)
