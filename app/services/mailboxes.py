"""Voicemail boxes (F5): the rules for adding, editing, emptying and deleting them, and
who may open a box's messages.

A box attached to an extension is edited here and on the extension's settings page
(the same row, app/models/mailbox.py). What FreeSWITCH must learn goes through the
outbox once the transaction has committed: the directory entry that carries the
box's settings, and the mod_voicemail commands that empty a box
(app/telephony/voicemail.py builds them).
"""
import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from app.flask_extensions import db
from app.models.company import Company, PhoneNumber
from app.models.extension import Extension
from app.models.mailbox import KeyDestination, Mailbox
from app.models.schedule import ClosedAction
from app.models.user import User
from app.telephony import dial_codes, outbox
from app.telephony import voicemail as vm
from app.telephony.voicemail import DEFAULT_VOICEMAIL_LENGTH, VOICEMAIL_LENGTHS

PIN = re.compile(r"[0-9]{4,10}")
WITH_TARGET = (KeyDestination.EXTENSION, KeyDestination.MAILBOX)
KEYS = ("operator", "star")


# Loading ----------------------------------------------------------------------

def for_company(company_id: int) -> list[Mailbox]:
    return db.session.execute(
        select(Mailbox).where(Mailbox.company_id == company_id).options(joinedload(Mailbox.extension))
        .order_by(Mailbox.number)).scalars().all()


def get(company_id: int, box_id: int) -> Mailbox | None:
    """A box of this company, or None if absent or another company's."""
    return db.session.execute(select(Mailbox).where(Mailbox.company_id == company_id, Mailbox.id == box_id)
                              ).scalar_one_or_none()


def by_number(company_id: int, number: str) -> Mailbox | None:
    return db.session.execute(select(Mailbox).where(Mailbox.company_id == company_id, Mailbox.number == number)
                              ).scalar_one_or_none()


def general_box(company_id: int, number: str) -> Mailbox | None:
    """The company's box with this number that belongs to no extension."""
    return db.session.execute(select(Mailbox).where(
        Mailbox.company_id == company_id, Mailbox.number == number, Mailbox.extension_id.is_(None))
    ).scalar_one_or_none()


def of_user(user: User) -> list[Mailbox]:
    """The boxes of the person's extensions."""
    return db.session.execute(
        select(Mailbox).join(Extension, Extension.id == Mailbox.extension_id)
        .where(Mailbox.company_id == user.company_id, Extension.user_id == user.id).order_by(Mailbox.number)
    ).scalars().all()


def may_open(user: User, box: Mailbox) -> bool:
    """The messages are the box owner's, and the company administrators' (issue 11.6)."""
    if user.company_id != box.company_id:
        return False
    return user.is_admin or (box.extension is not None and box.extension.user_id == user.id)


def profile(box: Mailbox) -> str:
    return vm.voicemail_profile(box.max_seconds)


# Validation -------------------------------------------------------------------

def pin_problem(number: str, pin: str):
    """Digits only, 4 to 10 (G11), and not the box number: the first thing anyone tries."""
    if not PIN.fullmatch(pin or ""):
        return _l("Enter 4 to 10 digits.")
    if pin == number:
        return _l("The PIN cannot be the box number.")
    return None


def _number_problem(company_id: int, number: str):
    if dial_codes.extension_number_problem(number):
        return _l("Enter a number of 3 to 6 digits that is not a service or feature number.")
    if by_number(company_id, number) is not None:
        return _l("This number already has a voicemail box.")
    return None


def problems(company_id: int, values: dict, box: Mailbox | None) -> dict[str, object]:
    """{field: message} for the box form's values; `box` is None when adding. The number
    is chosen once: an extension's number attaches the box to it, a free number is
    reserved by the box (F5, G11)."""
    found: dict[str, object] = {}
    number = box.number if box is not None else (values.get("number") or "").strip()
    if box is None:
        problem = _number_problem(company_id, number)
        if problem:
            found["number"] = problem
    if not (values.get("name") or "").strip():
        found["name"] = _l("Enter the box's name.")
    problem = pin_problem(number, values.get("password") or "")
    if problem:
        found["password"] = problem
    if values.get("max_seconds") not in VOICEMAIL_LENGTHS:
        found["max_seconds"] = _l("Choose one of the lengths offered.")
    if values.get("email_only") and not (values.get("email") or "").strip():
        found["email"] = _l("An email address is required when messages are not kept on the server.")
    extensions = set(db.session.execute(select(Extension.number).where(Extension.company_id == company_id)).scalars())
    boxes = set(db.session.execute(select(Mailbox.number).where(Mailbox.company_id == company_id)).scalars())
    kinds = {k.value for k in KeyDestination}
    for key in KEYS:
        kind, target = values.get(f"{key}_kind"), (values.get(f"{key}_target") or "").strip()
        if kind not in kinds:
            found[f"{key}_target"] = _l("Choose one of the destinations offered.")
        elif kind == KeyDestination.EXTENSION.value and target not in extensions:
            found[f"{key}_target"] = _l("Choose an extension of your company.")
        elif kind == KeyDestination.MAILBOX.value and (target not in boxes or target == number):
            found[f"{key}_target"] = _l("Choose another voicemail box of your company.")
    return found


# Writing ----------------------------------------------------------------------

def _apply(box: Mailbox, values: dict) -> None:
    box.name = values["name"].strip()
    box.password = values["password"]
    box.max_seconds = values["max_seconds"]
    box.email = (values.get("email") or "").strip()
    box.email_only = bool(values.get("email_only"))
    for key in KEYS:
        kind = KeyDestination(values.get(f"{key}_kind") or KeyDestination.NONE.value)
        setattr(box, f"{key}_kind", kind)
        setattr(box, f"{key}_target", (values.get(f"{key}_target") or "").strip() if kind in WITH_TARGET else "")


def directory_entries(box: Mailbox) -> list[str]:
    """The directory users that carry the box's settings: every SIP account of its
    extension (softphones show its message light), or the box's own entry."""
    if box.extension is not None:
        return [account.username for account in box.extension.sip_accounts]
    return [box.number]


def _flush(box: Mailbox) -> None:
    outbox.directory_users(box.company.sip_domain, directory_entries(box))


def create(company: Company, values: dict) -> Mailbox:
    """A new box: attached to the extension with that number, if any, else a general box."""
    number = values["number"].strip()
    extension = db.session.execute(select(Extension).where(Extension.company_id == company.id,
                                                           Extension.number == number)).scalar_one_or_none()
    box = Mailbox(company=company, number=number, extension=extension, max_seconds=DEFAULT_VOICEMAIL_LENGTH)
    _apply(box, values)
    db.session.add(box)
    db.session.flush()
    _flush(box)
    return box


def update(box: Mailbox, values: dict) -> None:
    _apply(box, values)
    db.session.flush()
    _flush(box)


@dataclass
class References:
    """What points to a box: other boxes' 0/* keys, the company numbers whose closed
    handling ends in it, and the extension whose voicemail it is."""

    boxes: list[Mailbox] = field(default_factory=list)
    extension: Extension | None = None
    numbers: list[PhoneNumber] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.boxes or self.numbers)


def references(box: Mailbox) -> References:
    pointing = db.session.execute(select(Mailbox).where(
        Mailbox.company_id == box.company_id, Mailbox.id != box.id,
        or_((Mailbox.operator_kind == KeyDestination.MAILBOX) & (Mailbox.operator_target == box.number),
            (Mailbox.star_kind == KeyDestination.MAILBOX) & (Mailbox.star_target == box.number)))
        .order_by(Mailbox.number)).scalars().all()
    numbers = db.session.execute(select(PhoneNumber).where(
        PhoneNumber.company_id == box.company_id, PhoneNumber.closed_action == ClosedAction.VOICEMAIL,
        PhoneNumber.closed_box == box.number).order_by(PhoneNumber.e164)).scalars().all()
    return References(boxes=list(pointing), extension=box.extension, numbers=list(numbers))


def replacement_problem(box: Mailbox, replacement: str):
    """A box that takes over what pointed to `box` must be another box of the company."""
    if replacement and (replacement == box.number or by_number(box.company_id, replacement) is None):
        return _l("Choose another voicemail box of your company.")
    return None


def delete(box: Mailbox, replacement: str = "") -> None:
    """F5.5: the box, its messages and its greetings go. Keys of other boxes that led to
    it lead to `replacement` (another box's number) or do nothing any more; its
    extension has no voicemail from now on. Numbers closed into it send callers to
    `replacement` instead, or hang up after the closed greeting."""
    pointing = references(box)
    for number in pointing.numbers:
        if replacement:
            number.closed_box = replacement
        else:
            number.closed_action, number.closed_box = ClosedAction.HANGUP, None
    for other in pointing.boxes:
        for key in KEYS:
            if getattr(other, f"{key}_kind") is KeyDestination.MAILBOX and getattr(other, f"{key}_target") == box.number:
                if replacement and replacement != other.number:  # never a box's key to itself
                    setattr(other, f"{key}_target", replacement)
                else:
                    setattr(other, f"{key}_kind", KeyDestination.NONE)
                    setattr(other, f"{key}_target", "")
        _flush(other)
    _flush(box)
    forget_messages(box, erase_greetings=True)
    if box.extension is not None:
        box.extension.mailbox = None  # delete-orphan; the extension's version moves
    else:
        db.session.delete(box)
    db.session.flush()


def empty(box: Mailbox, erase_greetings: bool) -> None:
    """F5.4: every message goes; the custom greetings and recorded name too when asked."""
    forget_messages(box, erase_greetings)


def forget_messages(box: Mailbox, erase_greetings: bool) -> None:
    """After the commit, mod_voicemail deletes the box's messages (and the greetings go
    from the shared folder when asked). A step of empty() and of the deletions."""
    domain = box.company.sip_domain
    outbox.voicemail_commands([vm.empty_command(domain, box.number)])
    if erase_greetings:
        outbox.erase_greetings(domain, box.number)


def mark_heard(box: Mailbox, uuid: str) -> None:
    """The message counts as heard: vm_read moves the phone's message light (update_mwi())."""
    outbox.voicemail_commands([vm.heard_command(box.company.sip_domain, box.number, uuid)])


def delete_message(box: Mailbox, uuid: str) -> None:
    """`uuid` must be one of this box's messages (checked against its list): vm_delete
    with a uuid deletes that message whatever box it is in."""
    outbox.voicemail_commands([vm.delete_message_command(box.company.sip_domain, box.number, uuid)])


# Voicemail to e-mail ------------------------------------------------------------

def relay_problem(raw: bytes, recipients: list[str]) -> str | None:
    """Queue a message mod_voicemail composed (WAV attached) for delivery through the
    portal's SMTP settings, once the caller commits; or say why not.

    mod_voicemail mails through FreeSWITCH's `mailer-app` (switch.conf), run as
    `/bin/cat <file> | <mailer-app> -f <from> <mailer-app-args> <to>` by
    switch_simple_email() (switch_utils.c), which ends the message with a "." line as
    sendmail expects. The portal's command stands in for sendmail there
    (deploy/freeswitch/README.md). It relays only to an address some box is set to
    notify: FreeSWITCH cannot use it to mail anyone else."""
    from email import message_from_bytes
    from email.policy import default as default_policy
    from email.utils import formataddr

    from flask import current_app

    from app import after_commit
    from app.jobs.mail import deliver_mail

    wanted = sorted({r.strip().lower() for r in recipients if r.strip()})
    if not wanted:
        return "no recipient"
    known = {e.lower() for e in db.session.execute(
        select(Mailbox.email).where(func.lower(Mailbox.email).in_(wanted))).scalars()}
    unknown = [r for r in wanted if r not in known]
    if unknown:
        return "not a voicemail notification address: " + ", ".join(unknown)
    text = raw.replace(b"\r\n", b"\n")
    if text.rstrip(b"\n").endswith(b"\n."):
        text = text.rstrip(b"\n")[:-2] + b"\n"
    message = message_from_bytes(text, policy=default_policy)
    if message.get_content_maintype() != "multipart" and not message.get_payload():
        return "empty message"
    for header in ("From", "To", "Cc", "Bcc", "Sender", "Return-Path"):
        del message[header]
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = ", ".join(formataddr(("", r)) for r in wanted)
    after_commit.call(deliver_mail, message.as_string())
    return None
