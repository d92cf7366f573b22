"""Creating people and telling them how to sign in."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.flask_extensions import db
from app.models.company import Company
from app.models.user import Role, User
from app.services import mail, throttle
from app.services.links import external_url
from app.services.passwords import make_reset_token


def email_taken(email: str) -> bool:
    return db.session.execute(
        select(func.count()).select_from(User).where(func.lower(User.email) == email.strip().lower())
    ).scalar_one() > 0


def new_person_address_problem(company_id: int, email: str):
    """Why a company admin may not create a person with this address, or None (issue 8.7).

    Addresses are unique platform-wide, so one that is taken elsewhere must be refused,
    and the refusal says that much. Said freely, it would let an admin test which
    addresses have an account with another company: after ADDRESS_PROBE_LIMITS such
    refusals (5 a day per company) every new person is refused until the limit clears,
    fresh addresses included, so the answer tells nothing more."""
    if throttle.full("ADDRESS_PROBE_LIMITS", "address-probe", str(company_id)):
        return _l("Too many addresses were refused today: try again tomorrow, or assign the extension to an "
                  "existing user.")
    owner = db.session.execute(
        select(User).where(func.lower(User.email) == email.strip().lower())
    ).scalar_one_or_none()
    if owner is None:
        return None
    if owner.company_id == company_id:
        return _l("This person already has an account with your company: choose “Assign to an existing user”.")
    throttle.hit("ADDRESS_PROBE_LIMITS", "address-probe", str(company_id))
    return _l("This address cannot be used: ask the person for another one.")


def create_person(company: Company | None, email: str, first_name: str, last_name: str,
                  role: Role, language: str | None = None) -> User:
    user = User(
        company=company,
        email=email.strip().lower(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=role,
        language=language or (company.language if company else "fr"),
        active=True,
    )
    db.session.add(user)
    db.session.flush()
    return user


def _reset_link(user: User) -> str:
    return external_url("auth.reset_password", token=make_reset_token(user))


def send_welcome(user: User) -> None:
    """Mail a new person the link to choose their first password (F1.8); it goes out
    after the commit."""
    mail.send(
        user.email, "welcome", user.language or "fr", to_name=user.full_name,
        user=user, company=user.company, link=_reset_link(user),
    )


def send_recovery(user: User) -> None:
    """Mail the single-use password-recovery link (F1.2); it goes out after the commit."""
    mail.send(
        user.email, "recovery", user.language or "fr", to_name=user.full_name,
        user=user, link=_reset_link(user),
    )
