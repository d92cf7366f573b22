"""Creating, numbering and deleting extensions (F13), and the rules their settings obey (F3, F11)."""
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.extensions import db
from app.models.company import Company, PhoneNumber
from app.models.extension import BusyBehaviour, Extension, ForwardRule, ForwardTarget, SipAccount, TollMode
from app.models.user import User
from app.services import outbound, sip_accounts
from app.telephony import numbers

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
        if text not in used and numbers.is_valid_extension_number(text):
            found.append(text)
        candidate += 1
    return found


def number_problem(company_id: int, number: str):
    """Why `number` cannot be a new extension of the company, or None."""
    if not numbers.is_valid_extension_number(number):
        return _l("Invalid extension")
    taken = db.session.execute(
        select(func.count()).select_from(Extension).where(Extension.company_id == company_id,
                                                          Extension.number == number)
    ).scalar_one()
    return _l("Extension already in use") if taken else None


# Creation and deletion -----------------------------------------------------

def create_extension(company: Company, number: str, owner: User | None, name: str,
                     voicemail: bool, listed: bool) -> Extension:
    """A new extension with its SIP account; settings start from the owner's language."""
    language = (owner.language if owner else None) or company.language
    extension = Extension(
        company=company, number=number, user=owner, name=name.strip(), language=language,
        voicemail_enabled=voicemail, listed=listed,
        voicemail_email=owner.email if owner else "",
        voicemail_password=sip_accounts.new_pin(),
    )
    db.session.add(extension)
    db.session.flush()
    sip_accounts.create_primary(extension)
    db.session.flush()
    return extension


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
    db.session.delete(extension)
    db.session.flush()
    return deletion


# Settings rules --------------------------------------------------------------

@dataclass(frozen=True)
class CompanyChoices:
    """The company's extensions and phone numbers, loaded once for a form or a whole grid."""

    extensions: dict[str, str]  # id -> "number name"
    phone_numbers: dict[str, str]  # id -> national format

    @classmethod
    def load(cls, company_id: int) -> "CompanyChoices":
        extensions = db.session.execute(
            select(Extension.id, Extension.number, Extension.name)
            .where(Extension.company_id == company_id).order_by(Extension.number)
        ).all()
        phone_numbers = db.session.execute(
            select(PhoneNumber).where(PhoneNumber.company_id == company_id).order_by(PhoneNumber.e164)
        ).scalars().all()
        return cls({str(i): f"{n} {name}" for i, n, name in extensions},
                   {str(p.id): p.national for p in phone_numbers})


def cross_field_problems(choices: CompanyChoices, extension: Extension | None, values: dict) -> dict[str, object]:
    """Rules that tie several fields together (F3, F11). `values` holds the submitted data
    (strings for choices, bool for switches). Returns {field: message}."""
    problems: dict[str, object] = {}
    # Users do not post the permissions: their extension's saved ones apply.
    long_distance = (TollMode(values["long_distance"]) if values.get("long_distance")
                     else extension.long_distance if extension is not None else TollMode.DISABLED)
    if values.get("forward_enabled"):
        if values.get("forward_target") == ForwardTarget.EXTENSION.value:
            target = values.get("forward_extension") or ""
            if not target:
                problems["forward_extension"] = _l("Choose the extension calls go to.")
            elif extension is not None and str(target) == str(extension.id):
                problems["forward_extension"] = _l("An extension cannot forward to itself.")
            elif str(target) not in choices.extensions:
                problems["forward_extension"] = _l("Choose an extension of your company.")
        else:
            number = values.get("forward_number") or ""
            if not number:
                problems["forward_number"] = _l("Enter the number calls go to.")
            elif extension is not None and number == extension.number:
                problems["forward_number"] = _l("An extension cannot forward to itself.")
            else:
                problem = outbound.forward_problem(number, long_distance)
                if problem:
                    problems["forward_number"] = problem
        if values.get("findme_enabled"):
            problems["findme_enabled"] = _l("Find-me/follow-me can only be turned on while call forwarding is off.")
    if values.get("findme_enabled") and "findme_enabled" not in problems:
        number = values.get("findme_number") or ""
        if not number:
            problems["findme_number"] = _l("Enter the number to try next.")
        else:
            problem = outbound.forward_problem(number, long_distance)
            if problem:
                problems["findme_number"] = problem
    for kind in ("long_distance", "international"):
        if values.get(kind) == TollMode.WITH_CODE.value:
            code = values.get(f"{kind}_code") or ""
            if not (code.isdigit() and 4 <= len(code) <= 8):
                problems[f"{kind}_code"] = _l("Enter an access code of 4 to 8 digits.")
    name, number_id = (values.get("caller_id_name") or "").strip(), values.get("caller_id_number") or ""
    if bool(name) != bool(number_id):
        problems["caller_id_name" if not name else "caller_id_number"] = _l("Caller ID needs both a name and a number.")
    elif number_id and str(number_id) not in choices.phone_numbers:
        problems["caller_id_number"] = _l("Choose one of your company's numbers.")
    return problems


def warnings_for(values: dict) -> list:
    """Settings that save but will surprise the person (F3)."""
    notes = []
    if (values.get("forward_enabled") and values.get("forward_rule") in (ForwardRule.NO_ANSWER.value,
                                                                           ForwardRule.PRESS_1.value)
            and int(values.get("ring_seconds") or 0) == 0):
        notes.append(_l("Ring for is 0 (ring forever): forwarding will never trigger."))
    return notes


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


USER_SETTINGS = (
    "language", "ring_seconds", "dnd", "forward_enabled", "forward_number", "voicemail_enabled",
    "voicemail_email", "voicemail_password", "voicemail_email_only", "findme_enabled", "findme_number",
    "findme_ring_seconds", "findme_moh", "findme_screen",
)
ADMIN_SETTINGS = (
    "name", "record_incoming", "record_outgoing", "call_pickup", "listed", "long_distance_code",
    "international_code", "uc_legacy", "uc_desktop", "video", "caller_id_name", "hide_caller_id",
)
USER_CHOICES = {"forward_rule": ForwardRule, "forward_target": ForwardTarget, "busy_behaviour": BusyBehaviour}
ADMIN_CHOICES = {"long_distance": TollMode, "international": TollMode}


def apply_settings(extension: Extension, data: dict, admin: bool) -> None:
    """Copy validated form data onto the extension. Only administrators change admin settings."""
    names = USER_SETTINGS + (ADMIN_SETTINGS if admin else ())
    for name in names:
        if name in data and data[name] is not None:
            value = data[name]
            setattr(extension, name, value.strip() if isinstance(value, str) else value)
    for name, enum_class in (USER_CHOICES | ADMIN_CHOICES if admin else USER_CHOICES).items():
        if data.get(name):
            setattr(extension, name, enum_class(data[name]))
    extension.moh_id = int(data["moh"]) if data.get("moh") else None
    extension.forward_extension_id = int(data["forward_extension"]) if data.get("forward_extension") else None
    if admin:
        extension.caller_id_number_id = int(data["caller_id_number"]) if data.get("caller_id_number") else None
        if "owner" in data:
            extension.user_id = int(data["owner"]) if data.get("owner") else None
    # Codes are kept only while they are in use.
    if extension.long_distance is not TollMode.WITH_CODE:
        extension.long_distance_code = ""
    if extension.international is not TollMode.WITH_CODE:
        extension.international_code = ""
