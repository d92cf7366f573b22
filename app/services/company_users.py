"""The people of a company, as its admins see and change them."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.flask_extensions import db
from app.models.extension import Extension, SipAccount
from app.models.user import Role, User
from app.services import people
from app.telephony import outbox


def active_users(company_id: int) -> list[User]:
    return db.session.execute(
        select(User).where(User.company_id == company_id, User.active.is_(True))
        .order_by(User.last_name, User.first_name)
    ).scalars().all()


def admins(company_id: int) -> list[User]:
    return db.session.execute(
        select(User).where(User.company_id == company_id, User.role == Role.ADMIN).order_by(User.email)
    ).scalars().all()


def with_extension_numbers(company_id: int) -> tuple[list[User], dict[int, list[str]]]:
    """Every person of the company, and the numbers of each one's extensions, in two queries."""
    users = db.session.execute(
        select(User).where(User.company_id == company_id).order_by(User.last_name, User.first_name)
    ).scalars().all()
    numbers: dict[int, list[str]] = {}
    for user_id, number in db.session.execute(
        select(Extension.user_id, Extension.number)
        .where(Extension.company_id == company_id, Extension.user_id.is_not(None)).order_by(Extension.number)
    ):
        numbers.setdefault(user_id, []).append(number)
    return users, numbers


def _other_active_admins(user: User) -> int:
    return db.session.execute(
        select(func.count()).select_from(User).where(
            User.company_id == user.company_id, User.role == Role.ADMIN,
            User.active.is_(True), User.id != user.id,
        )
    ).scalar_one()


def _sip_usernames_of(user: User) -> list[str]:
    return list(db.session.execute(
        select(SipAccount.username).join(Extension, Extension.id == SipAccount.extension_id)
        .where(Extension.company_id == user.company_id, Extension.user_id == user.id)
    ).scalars())


def update_person(user: User, *, first_name: str, last_name: str, role: Role, active: bool,
                  acting: User) -> dict:
    """An admin renames someone, changes their role or disables them; returns field
    errors (nothing is changed if any). Disabling someone takes their extensions off
    the network at once: their phones' cached directory entries are flushed, so the
    next REGISTER is refused."""
    errors = {}
    losing_admin = user.role is Role.ADMIN and user.active and (role is not Role.ADMIN or not active)
    if user.id == acting.id and not active:
        errors["active"] = _l("You cannot disable your own account.")
    elif losing_admin and _other_active_admins(user) == 0:
        errors["role"] = _l("The company needs at least one active administrator.")
    elif user.id == acting.id and losing_admin:
        errors["role"] = _l("You cannot remove your own administrator access.")
    if errors:
        return errors
    if user.active != active:
        outbox.directory_users(user.company.sip_domain, _sip_usernames_of(user))
    user.first_name, user.last_name = first_name.strip(), last_name.strip()
    user.role = role
    user.active = active
    return errors


def invite(company, email: str, first_name: str, last_name: str, language: str, role: Role) -> User:
    """A new person of the company, with no extension yet; mailed a link to choose a
    password once the transaction commits (F1.8)."""
    user = people.create_person(company, email, first_name, last_name, role, language)
    people.send_welcome(user)
    return user


def resend_invitation(user: User) -> bool:
    """Mail the welcome link again; False for someone who already chose a password
    (they use "forgot password" like everyone)."""
    if user.password_hash or not user.active:
        return False
    people.send_welcome(user)
    return True


def remove_admin(user: User) -> dict:
    """The operator removes an administrator's account (their extensions stay, managed
    by the administrators); refused for the company's last active administrator."""
    if user.role is not Role.ADMIN:
        return {"user": _l("This person is not an administrator.")}
    if user.active and _other_active_admins(user) == 0:
        return {"user": _l("Add another administrator first: the company needs at least one.")}
    outbox.directory_users(user.company.sip_domain, _sip_usernames_of(user))
    db.session.delete(user)
    db.session.flush()
    return {}
