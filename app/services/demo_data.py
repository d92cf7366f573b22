"""The demo company that `make run` loads once; later runs report what it holds now.

Loaded when its company is missing (first run, or after `flask demo --reset`),
never topped up: what an admin deleted or changed in the portal stays that way,
and the sign-in lines say which of the passwords printed at load time still work.
"""
from dataclasses import dataclass
from typing import Callable

from flask import current_app
from sqlalchemy import delete, select

from app.flask_extensions import db
from app.models.company import Company, PhoneNumber
from app.models.extension import SipAccount
from app.models.user import Role, User
from app.services import companies, extensions, people, signin
from app.services.passwords import set_password, verify_password

DEMO_COMPANY = "Démo inc."
# key, whether they belong to the demo company, email, first and last name, role
DEMO_PEOPLE = (
    ("operator", False, "operator@switchboard.example", "Olivia", "Operator", Role.OPERATOR),
    ("admin", True, "admin@demo-inc.example", "Alice", "Admin", Role.ADMIN),
    ("user", True, "user@demo-inc.example", "Bruno", "User", Role.USER),
)


def demo_domain() -> str:
    """The demo company's SIP domain (DEMO_SIP_DOMAIN, app/config.py)."""
    return current_app.config["DEMO_SIP_DOMAIN"]
DEMO_NUMBERS = (("+15145550100", "Ligne principale"), ("+15145550101", "Télécopieur"))
# number, owner (a DEMO_PEOPLE key), name of an extension managed by the admin
DEMO_EXTENSIONS = (("101", "admin", None), ("102", "user", None), ("103", "user", "Bruno (bureau 2)"))


def _company() -> Company | None:
    return db.session.execute(select(Company).where(Company.sip_domain == demo_domain())).scalar_one_or_none()


def load(logins: dict, new_password: Callable[[], str]) -> bool:
    """Load the demo if its company is missing; fill `logins` (key → (email, password)) with
    the passwords given. False, and nothing touched, when it is already there."""
    if _company() is not None:
        return False
    company = companies.create_company(DEMO_COMPANY, demo_domain(), "America/Toronto", "fr")
    for e164, label in DEMO_NUMBERS:
        if not companies.number_taken(e164):
            companies.add_number(company, e164, label)
    owners = {}
    for key, in_company, email, first, last, role in DEMO_PEOPLE:
        user = signin.find_user_by_email(email)
        if user is None:
            user = people.create_person(company if in_company else None, email, first, last, role, "fr")
            password = new_password()
            set_password(user, password)
            logins[key] = (email, password)
        # A person left from an earlier load (the operator) keeps their password.
        owners[key] = user if user.company_id == company.id else None
    db.session.flush()
    for number, owner_key, name in DEMO_EXTENSIONS:
        owner = owners[owner_key]
        extensions.create_extension(company, number, owner, name or (owner.full_name if owner else number),
                                    voicemail=True, listed=True)
    db.session.flush()
    return True


def remove() -> None:
    """Delete the demo company with every row of it, and the demo operator."""
    company = _company()
    if company is not None:
        # Children first; done table by table because SQLite does not cascade
        # (its foreign keys are not enforced here), so a table added later is included.
        for table in reversed(db.metadata.sorted_tables):
            if "company_id" in table.c and table.name != Company.__tablename__:
                db.session.execute(delete(table).where(table.c.company_id == company.id))
        db.session.execute(delete(Company).where(Company.id == company.id))
    operator_email = DEMO_PEOPLE[0][2]
    db.session.execute(delete(User).where(User.email == operator_email, User.role == Role.OPERATOR))
    db.session.flush()
    db.session.expire_all()


@dataclass
class SignIn:
    role: str
    email: str
    password: str  # the password, or why none is printed, in parentheses


def sign_ins(logins: dict) -> list[SignIn]:
    """Each demo person as they are now: a password printed only if it still works."""
    rows = []
    for key, _in_company, email, *_rest in DEMO_PEOPLE:
        user = signin.find_user_by_email(email)
        known = logins.get(key)
        if user is None:
            rows.append(SignIn(key, email, "(deleted)"))
            continue
        if not user.active:
            state = "(disabled)"
        elif known is None:
            state = "(not set by the demo: not known here)"
        elif verify_password(user, known[1]):
            state = known[1]
            if signin.account_waiting(email):
                state += "  (wait a few minutes: too many failed sign-ins; a recovery link works at once)"
        elif user.password_hash is None:
            state = "(no password yet: use 'Recover your password')"
        else:
            state = "(changed since the demo was loaded)"
        rows.append(SignIn(user.role.value, email, state))
    return rows


def describe() -> list[str]:
    """The demo company now, and what a softphone needs to register against a FreeSWITCH
    pointed at this portal."""
    company = _company()
    if company is None:
        return ["The demo company was deleted: 'flask demo --reset' loads it again."]
    numbers = db.session.execute(
        select(PhoneNumber.e164).where(PhoneNumber.company_id == company.id).order_by(PhoneNumber.e164)
    ).scalars().all()
    lines = [f"Company '{company.name}', SIP domain {company.sip_domain}, "
             + ("numbers " + ", ".join(numbers) if numbers else "no phone number")]
    accounts = db.session.execute(
        select(SipAccount).where(SipAccount.company_id == company.id).order_by(SipAccount.username)
    ).scalars().all()
    if not accounts:
        lines.append("No SIP account (no extension).")
        return lines
    lines.append("SIP accounts (username / domain / password):")
    for account in accounts:
        lines.append(f"  {account.username:<9} {company.sip_domain:<28} {account.password}")
    return lines
