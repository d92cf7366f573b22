"""Test data factories: small functions instead of fixture files."""
import itertools

from sqlalchemy import event

from app.flask_extensions import db
from app.models.company import Company, PhoneNumber
from app.models.user import Role, User
from app.services.passwords import hash_password

PASSWORD = "correct-horse-42"
_seq = itertools.count(1)


def make_company(name: str | None = None, sip_domain: str | None = None, **fields) -> Company:
    n = next(_seq)
    company = Company(name=name or f"Company {n}", sip_domain=sip_domain or f"c{n}.voice.example", **fields)
    db.session.add(company)
    db.session.flush()
    return company


def make_user(company: Company | None, role: Role = Role.USER, email: str | None = None,
              password: str | None = PASSWORD, language: str = "fr", **fields) -> User:
    n = next(_seq)
    user = User(
        company=company,
        email=email or f"person{n}@example.com",
        first_name=fields.pop("first_name", f"First{n}"),
        last_name=fields.pop("last_name", f"Last{n}"),
        role=role,
        language=language,
        password_hash=hash_password(password) if password else None,
        **fields,
    )
    db.session.add(user)
    db.session.flush()
    return user


def make_number(company: Company, e164: str | None = None, label: str = "") -> PhoneNumber:
    n = next(_seq)
    number = PhoneNumber(company=company, e164=e164 or f"+1514555{n:04d}", label=label)
    db.session.add(number)
    db.session.flush()
    return number


def make_extension(company: Company, number: str, user: User | None = None, **settings):
    """An extension with its primary SIP account (username = number)."""
    from app.models.extension import Extension
    from app.services import sip_accounts

    name = settings.pop("name", user.full_name if user else f"Extension {number}")
    settings.setdefault("voicemail_enabled", True)  # a box, as the portal's add form does by default
    extension = Extension(company=company, number=number, user=user, name=name, **settings)
    db.session.add(extension)
    db.session.flush()
    sip_accounts.create_primary(extension)
    db.session.flush()
    return extension


def sip_softphone(extension, label: str = "Laptop"):
    from app.services import sip_accounts

    account = sip_accounts.add_softphone(extension, label, by_user_id=None)
    db.session.flush()
    return account


def make_mailbox(company: Company, number: str, extension=None, **fields):
    """A voicemail box; with no extension, a general box that reserves its number."""
    from app.models.mailbox import Mailbox

    box = Mailbox(company=company, number=number, extension=extension,
                  name=fields.pop("name", f"Box {number}"), password=fields.pop("password", "2468"), **fields)
    db.session.add(box)
    db.session.flush()
    return box


def page_queries(app, client, url: str) -> int:
    """The SQL statements a GET of `url` runs on the portal's engine (it must answer 200)."""
    statements = []

    def count(*args):
        statements.append(args[2])

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)
