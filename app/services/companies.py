"""What the operator does for a company: create it, give it numbers, its first admin."""
import re
from zoneinfo import available_timezones

from sqlalchemy import func, select

from app.extensions import db
from app.models.company import Company, PhoneNumber

_DOMAIN = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")

COMMON_TIME_ZONES = (
    "America/St_Johns",
    "America/Halifax",
    "America/Moncton",
    "America/Toronto",
    "America/Winnipeg",
    "America/Regina",
    "America/Edmonton",
    "America/Vancouver",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "Europe/Paris",
    "UTC",
)


def normalize_domain(text: str) -> str | None:
    domain = text.strip().lower().rstrip(".")
    return domain if _DOMAIN.match(domain) else None


def domain_taken(domain: str) -> bool:
    return db.session.execute(
        select(func.count()).select_from(Company).where(Company.sip_domain == domain)
    ).scalar_one() > 0


def valid_time_zone(name: str) -> bool:
    return name in available_timezones()


def create_company(name: str, sip_domain: str, time_zone: str, language: str) -> Company:
    company = Company(name=name.strip(), sip_domain=sip_domain, time_zone=time_zone, language=language)
    db.session.add(company)
    db.session.flush()
    return company


def number_taken(e164: str) -> bool:
    return db.session.execute(
        select(func.count()).select_from(PhoneNumber).where(PhoneNumber.e164 == e164)
    ).scalar_one() > 0


def add_number(company: Company, e164: str, label: str) -> PhoneNumber:
    number = PhoneNumber(company=company, e164=e164, label=label.strip())
    db.session.add(number)
    db.session.flush()
    return number
