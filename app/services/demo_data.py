"""The demo company that `make run` loads: idempotent, safe to run on every start."""
import os
from typing import Callable

from sqlalchemy import select

from app.flask_extensions import db
from app.models.company import Company
from app.models.extension import SipAccount
from app.models.user import Role
from app.services import companies, extensions, people, signin
from app.services.passwords import set_password

DEMO_DOMAIN = os.environ.get("DEMO_SIP_DOMAIN", "demo.switchboard.example")
DEMO_PEOPLE = (
    ("operator", None, "operator@switchboard.example", "Olivia", "Operator", Role.OPERATOR),
    ("admin", DEMO_DOMAIN, "admin@demo-inc.example", "Alice", "Admin", Role.ADMIN),
    ("user", DEMO_DOMAIN, "user@demo-inc.example", "Bruno", "User", Role.USER),
)
DEMO_NUMBERS = (("+15145550100", "Ligne principale"), ("+15145550101", "Télécopieur"))
# number, owner (a DEMO_PEOPLE key), name of an extension managed by the admin
DEMO_EXTENSIONS = (("101", "admin", None), ("102", "user", None), ("103", "user", "Bruno (bureau 2)"))


def _company() -> tuple[Company, bool]:
    company = db.session.execute(select(Company).where(Company.sip_domain == DEMO_DOMAIN)).scalar_one_or_none()
    if company is not None:
        return company, False
    return companies.create_company("Démo inc.", DEMO_DOMAIN, "America/Toronto", "fr"), True


def load(logins: dict, new_password: Callable[[], str]) -> bool:
    """Create what is missing; fill `logins` (role → (email, password)). True if anything was created."""
    company, created = _company()
    for e164, label in DEMO_NUMBERS:
        if not companies.number_taken(e164):
            companies.add_number(company, e164, label)
            created = True
    for key, domain, email, first, last, role in DEMO_PEOPLE:
        user = signin.find_user_by_email(email)
        if user is None or key not in logins:
            if user is None:
                user = people.create_person(company if domain else None, email, first, last, role, "fr")
            password = new_password()
            set_password(user, password)
            logins[key] = (email, password)
            created = True
    db.session.flush()
    for number, owner_key, name in DEMO_EXTENSIONS:
        if extensions.number_problem(company.id, number) is None:
            owner = signin.find_user_by_email(logins[owner_key][0])
            extensions.create_extension(company, number, owner, name or owner.full_name, voicemail=True, listed=True)
            created = True
    db.session.flush()
    return created


def describe() -> list[str]:
    """What a softphone needs to register against a FreeSWITCH pointed at this portal."""
    company = db.session.execute(select(Company).where(Company.sip_domain == DEMO_DOMAIN)).scalar_one()
    lines = [f"Company 'Démo inc.', SIP domain {DEMO_DOMAIN}, numbers " + ", ".join(e for e, _ in DEMO_NUMBERS),
             "SIP accounts (username / domain / password):"]
    accounts = db.session.execute(
        select(SipAccount).where(SipAccount.company_id == company.id).order_by(SipAccount.username)
    ).scalars()
    for account in accounts:
        lines.append(f"  {account.username:<9} {DEMO_DOMAIN:<28} {account.password}")
    return lines
