"""An admin's changes to the people of their company."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.extensions import db
from app.models.user import Role, User


def _other_active_admins(user: User) -> int:
    return db.session.execute(
        select(func.count()).select_from(User).where(
            User.company_id == user.company_id, User.role == Role.ADMIN,
            User.active.is_(True), User.id != user.id,
        )
    ).scalar_one()


def change_access(user: User, role: Role, active: bool, acting: User) -> dict:
    """Apply a role/enabled change; returns field errors (nothing is changed if any)."""
    errors = {}
    losing_admin = user.role is Role.ADMIN and user.active and (role is not Role.ADMIN or not active)
    if losing_admin and _other_active_admins(user) == 0:
        errors["role"] = _l("The company needs at least one active administrator.")
    elif user.id == acting.id and losing_admin:
        errors["role"] = _l("You cannot remove your own administrator access.")
    if errors:
        return errors
    user.role = role
    user.active = active
    return errors
