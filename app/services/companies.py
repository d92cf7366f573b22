"""What the operator does for a company: create it, give it numbers, its first admin."""
import re
from zoneinfo import available_timezones

from sqlalchemy import func, or_, select

from app.flask_extensions import db
from app.models.company import Company, PhoneNumber
from app.telephony import outbox

_DOMAIN = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")

# The time zones offered, named by the cities people know them by; the zone's
# localized name ("heure de l'Est", "Eastern Time") comes from Babel's CLDR data.
COMMON_TIME_ZONES = {
    "America/St_Johns": "St. John's",
    "America/Halifax": "Halifax",
    "America/Moncton": "Moncton",
    "America/Toronto": "Montréal, Toronto, Ottawa",
    "America/Winnipeg": "Winnipeg",
    "America/Regina": "Regina",
    "America/Edmonton": "Edmonton, Calgary",
    "America/Vancouver": "Vancouver",
    "America/New_York": "New York",
    "America/Chicago": "Chicago",
    "America/Denver": "Denver",
    "America/Phoenix": "Phoenix",
    "America/Los_Angeles": "Los Angeles",
    "Europe/Paris": "Paris",
    "UTC": "UTC",
}


def time_zone_label(name: str, locale: str) -> str:
    """'Montréal, Toronto, Ottawa (heure de l’Est)' in French, '... (Eastern Time)' in English."""
    from babel.dates import get_timezone, get_timezone_name

    city = COMMON_TIME_ZONES.get(name, name)
    locale = {"fr": "fr_CA", "en": "en_CA"}.get(locale, locale)  # Canadian usage: "heure de l'Est"
    if name == "UTC":
        return city
    try:
        zone = get_timezone_name(get_timezone(name), width="long", locale=locale, zone_variant="generic")
    except LookupError:
        return city
    return f"{city} ({zone})"



def normalize_domain(text: str) -> str | None:
    domain = text.strip().lower().rstrip(".")
    return domain if _DOMAIN.match(domain) else None


def domain_taken(domain: str) -> bool:
    return db.session.execute(
        select(func.count()).select_from(Company).where(Company.sip_domain == domain)
    ).scalar_one() > 0


def valid_time_zone(name: str) -> bool:
    return name in available_timezones()


def overview(search: str = "") -> list[tuple[Company, int]]:
    """The companies whose name or SIP domain contains `search` (all when empty, any
    case), each with how many phone numbers it has, by name."""
    query = (select(Company, func.count(PhoneNumber.id))
             .outerjoin(PhoneNumber, PhoneNumber.company_id == Company.id)
             .group_by(Company.id)
             .order_by(Company.name))
    needle = search.strip().lower()
    if needle:
        query = query.where(or_(func.lower(Company.name).contains(needle, autoescape=True),
                                Company.sip_domain.contains(needle, autoescape=True)))
    return db.session.execute(query).all()


def get(company_id: int) -> Company | None:
    return db.session.get(Company, company_id)


def create_company(name: str, sip_domain: str, time_zone: str, language: str) -> Company:
    """A new tenant; the phones' SIP profile learns its domain after the commit."""
    company = Company(name=name.strip(), sip_domain=sip_domain, time_zone=time_zone, language=language)
    db.session.add(company)
    db.session.flush()
    outbox.sip_domains()
    return company


def update_company(company: Company, name: str, time_zone: str, language: str) -> None:
    """Rename it, change its time zone or default language. The name is every
    extension's default outside caller-ID name: their directory entries are re-read."""
    if company.name != name.strip():
        outbox.company_directory(company.id)
    company.name, company.time_zone, company.language = name.strip(), time_zone, language


def number_taken(e164: str) -> bool:
    return db.session.execute(
        select(func.count()).select_from(PhoneNumber).where(PhoneNumber.e164 == e164)
    ).scalar_one() > 0


def numbers(company_id: int) -> list[PhoneNumber]:
    return db.session.execute(
        select(PhoneNumber).where(PhoneNumber.company_id == company_id).order_by(PhoneNumber.e164)
    ).scalars().all()


def get_number(company_id: int, number_id: int) -> PhoneNumber | None:
    return db.session.execute(
        select(PhoneNumber).where(PhoneNumber.company_id == company_id, PhoneNumber.id == number_id)
    ).scalar_one_or_none()


def add_number(company: Company, e164: str, label: str) -> PhoneNumber:
    """The first number (E.164 order) is the company's default outside caller ID, which
    every directory entry carries: they are re-read."""
    number = PhoneNumber(company=company, e164=e164, label=label.strip())
    db.session.add(number)
    db.session.flush()
    outbox.company_directory(company.id)
    return number


def remove_number(number: PhoneNumber) -> None:
    """Extensions showing it as caller ID fall back to the company default (SET NULL)."""
    outbox.company_directory(number.company_id)
    db.session.delete(number)
    db.session.flush()


def relabel_number(number: PhoneNumber, label: str) -> None:
    """The label is for people only: FreeSWITCH never sees it."""
    number.label = label.strip()
