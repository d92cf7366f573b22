"""Extensions (F13): numbering, creating, deleting, and loading them for the portal.

Their settings are saved by app/services/extension_settings.py."""
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.flask_extensions import db
from app.models.company import Company
from app.models.extension import Extension, SipAccount
from app.models.mailbox import Mailbox
from app.models.user import Role, User
from app.services import mailboxes, people, phones, sip_accounts, tenancy
from app.telephony import dial_codes, outbox

FIRST_SUGGESTION = 101


# Numbering ---------------------------------------------------------------

def used_numbers(company_id: int) -> set[str]:
    return set(db.session.execute(select(Extension.number).where(Extension.company_id == company_id)).scalars())


def suggest_numbers(company_id: int, count: int = 6) -> list[str]:
    """The next free, valid numbers from 101 up, in order."""
    used = used_numbers(company_id)
    found, candidate = [], FIRST_SUGGESTION
    while len(found) < count and candidate < 1_000_000:
        text = str(candidate)
        if text not in used and dial_codes.is_valid_extension_number(text):
            found.append(text)
        candidate += 1
    return found


def number_problem(company_id: int, number: str):
    """Why `number` cannot be a new extension of the company, or None."""
    invalid = dial_codes.extension_number_problem(number)
    if invalid == "service":
        return _l("Invalid extension: %(number)s is a public service number (211 to 911), kept for those "
                  "services.", number=number)
    if invalid == "park":
        return _l("Invalid extension: 700 to 709 are for parking calls.")
    if invalid == "voicemail":
        return _l("Invalid extension: 8500 is the number to reach voicemail.")
    if invalid == "leading_zero":
        return _l("Invalid extension: an extension cannot start with 0, which starts outside calls.")
    if invalid:
        return _l("Invalid extension: use 3 to 6 digits.")
    taken = db.session.execute(
        select(func.count()).select_from(Extension).where(Extension.company_id == company_id,
                                                          Extension.number == number)
    ).scalar_one()
    if taken:
        return _l("Extension already in use")
    if mailboxes.general_box(company_id, number) is not None:
        return _l("A voicemail box uses this number.")
    return None


# Creation and deletion -----------------------------------------------------

def create_extension(company: Company, number: str, owner: User | None, name: str,
                     voicemail: bool, listed: bool) -> Extension:
    """A new extension with its SIP account; settings start from the owner's language."""
    language = (owner.language if owner else None) or company.language
    extension = Extension(company=company, number=number, user=owner, name=name.strip(), language=language,
                          listed=listed)
    if voicemail:
        extension.mailbox = Mailbox(company=company, number=number, name=extension.name,
                                    email=owner.email if owner else "", password=sip_accounts.new_pin())
    db.session.add(extension)
    db.session.flush()
    sip_accounts.create_primary(extension)
    db.session.flush()
    # Nothing for FreeSWITCH to forget: it caches only the users it found
    # (switch_xml.c, switch_xml_locate_user_merged()), so the new account is read on its
    # first REGISTER.
    return extension


def add(company: Company, number: str, *, owner_mode: str, existing_user_id: str | None,
        person: tuple[str, str, str, str], name: str, voicemail: bool, listed: bool) -> Extension:
    """F13: a new extension for a new person (invited by mail after the commit), an
    existing person of the company, or nobody (managed by the administrator)."""
    owner = None
    if owner_mode == "new":
        email, first_name, last_name, language = person
        owner = people.create_person(company, email, first_name, last_name, Role.USER, language)
        people.send_welcome(owner)
    elif owner_mode == "existing" and existing_user_id and existing_user_id.isdigit():
        owner = tenancy.get_in_company(User, company.id, int(existing_user_id))
    name = name.strip() or (owner.full_name if owner else "")
    return create_extension(company, number, owner, name, voicemail, listed)


@dataclass
class Deletion:
    number: str
    usernames: list[str]
    forwarding_disabled: list[str] = field(default_factory=list)


def delete_extension(extension: Extension) -> Deletion:
    """Delete the extension, its SIP accounts and mailbox; turn off forwarding aimed at it (G21)."""
    aiming = db.session.execute(
        select(Extension).where(Extension.company_id == extension.company_id,
                                Extension.forward_extension_id == extension.id)
    ).scalars().all()
    for other in aiming:
        other.forward_enabled = False
        other.forward_extension_id = None
    # Find-me and external forwarding to the number itself are plain digits: leave them.
    deletion = Deletion(
        number=extension.number,
        usernames=[a.username for a in extension.sip_accounts],
        forwarding_disabled=sorted(o.number for o in aiming),
    )
    outbox.directory_users(extension.company.sip_domain, deletion.usernames)
    phones.take_off_every_phone(extension)  # the keys after its own move up (F16.5)
    if extension.mailbox is not None:  # G21: its messages and greetings go with it
        mailboxes.forget_messages(extension.mailbox, erase_greetings=True)
    db.session.delete(extension)
    db.session.flush()
    return deletion


# Loading -------------------------------------------------------------------------

def for_company(company_id: int, extension_id: int) -> Extension | None:
    """An extension of this company, with its SIP accounts; None if absent or another company's."""
    return db.session.execute(
        select(Extension).where(Extension.company_id == company_id, Extension.id == extension_id)
        .options(selectinload(Extension.sip_accounts), joinedload(Extension.mailbox))
    ).scalar_one_or_none()


def of_user(company_id: int, user_id: int) -> list[Extension]:
    return db.session.execute(
        select(Extension).where(Extension.company_id == company_id, Extension.user_id == user_id)
        .order_by(Extension.number)
    ).scalars().all()


def all_of_company(company_id: int) -> list[Extension]:
    """Every extension with what the grid shows of it, in a bounded number of queries."""
    return db.session.execute(
        select(Extension).where(Extension.company_id == company_id).order_by(Extension.number).options(
            joinedload(Extension.caller_id_number), joinedload(Extension.music_on_hold),
            joinedload(Extension.forward_extension), joinedload(Extension.user),
            selectinload(Extension.sip_accounts), joinedload(Extension.mailbox))
    ).unique().scalars().all()


def directory_usernames(extension: Extension) -> list[str]:
    """Every SIP username FreeSWITCH may have cached for this extension."""
    return [a.username for a in extension.sip_accounts]


def sip_usernames(extension_ids: list[int]) -> list[str]:
    """The SIP usernames of many extensions, in one query."""
    if not extension_ids:
        return []
    return list(db.session.execute(
        select(SipAccount.username).where(SipAccount.extension_id.in_(extension_ids)).order_by(SipAccount.username)
    ).scalars())
