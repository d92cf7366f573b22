"""The demo company that `make run` loads: idempotent, safe to run on every start."""
import os
from typing import Callable

from sqlalchemy import select

from app.extensions import db
from app.models.company import Company
from app.models.user import Role
from app.services import companies, people, signin
from app.services.passwords import set_password

DEMO_DOMAIN = os.environ.get("DEMO_SIP_DOMAIN", "demo.switchboard.test")
DEMO_PEOPLE = (
    ("operator", None, "operator@switchboard.test", "Olivia", "Operator", Role.OPERATOR),
    ("admin", DEMO_DOMAIN, "admin@demo.switchboard.test", "Alice", "Admin", Role.ADMIN),
    ("user", DEMO_DOMAIN, "user@demo.switchboard.test", "Bruno", "User", Role.USER),
)
DEMO_NUMBERS = (("+15145550100", "Ligne principale"), ("+15145550101", "Télécopieur"))


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
    return created


def describe() -> list[str]:
    return [f"Company 'Démo inc.', SIP domain {DEMO_DOMAIN}, numbers "
            + ", ".join(e164 for e164, _ in DEMO_NUMBERS)]
