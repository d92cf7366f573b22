"""Desk phones: the inventory (F14), their line keys (F16) and their directory (F9).

A phone belongs to one company; its MAC is unique on the whole platform (one physical
phone, one company). A phone learns what changed only when it re-reads its files:
after a save, "Reboot phone" sends it a check-sync (request_reboot)."""
import re
import secrets
import string
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app.flask_extensions import db
from app.models.address_book import Contact
from app.models.company import Company
from app.models.extension import Extension
from app.models.phone import LineKey, Phone, PhoneEntry
from app.provisioning import catalog
from app.services import tenancy
from app.telephony import outbox

_SEPARATORS = re.compile(r"[:.\-]")
_MAC = re.compile(r"^[0-9a-f]{12}$")
_ALPHABET = string.ascii_letters + string.digits
DEFAULT_TIME_ZONE = "America/Toronto"  # the guide's "Eastern", the phones' factory default


def normalize_mac(text: str) -> str | None:
    """12 lowercase hex digits, from a MAC typed with or without ':', '-' or '.' in any
    case (F14); None when that is not what remains."""
    mac = _SEPARATORS.sub("", (text or "").strip()).lower()
    return mac if _MAC.match(mac) else None


def mac_problem(text: str):
    """Why `text` cannot be a new phone's MAC, or None."""
    mac = normalize_mac(text)
    if mac is None:
        return _l("Invalid MAC address")
    if db.session.execute(select(func.count()).select_from(Phone).where(Phone.mac == mac)).scalar_one():
        return _l("This phone is already registered")
    return None


def _credential(length: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def add_phone(company: Company, mac: str, name: str, model: str) -> Phone:
    """A new phone in the inventory, with its own provisioning credentials. The caller
    checked mac_problem() and that the model is in the catalogue."""
    phone = Phone(company_id=company.id, mac=normalize_mac(mac), name=name.strip(), model=model,
                  time_zone=DEFAULT_TIME_ZONE, provisioning_username="p" + _credential(15).lower(),
                  provisioning_password=_credential(24))
    db.session.add(phone)
    db.session.flush()
    return phone


def rename_phone(phone: Phone, name: str) -> None:
    phone.name = name.strip()


def change_phone(phone: Phone, name: str, model: str, time_zone: str):
    """Save the name, model and time zone; the reason it cannot be done, or None (a
    model with fewer keys than the extensions on the phone use)."""
    info = catalog.get(model)
    if info is None:
        return _l("Choose the phone's model.")
    used = max((k.key for k in phone.line_keys), default=0)
    if used > info.line_keys:
        return _l("This model has %(count)d line keys: too few for the extensions already on it.",
                  count=info.line_keys)
    phone.name, phone.model, phone.time_zone = name.strip(), model, time_zone
    return None


def regenerate_credentials(phone: Phone) -> None:
    """New provisioning password: the old one stops working at once."""
    phone.provisioning_password = _credential(24)


def delete_phone(phone: Phone, unassign: bool) -> bool:
    """Delete a phone; one that still carries extensions only with `unassign` (the
    person confirmed it). False, nothing done, otherwise."""
    if phone.line_keys and not unassign:
        return False
    db.session.delete(phone)
    db.session.flush()
    return True


@dataclass(frozen=True)
class Row:
    phone: Phone
    extensions: list[str]  # numbers, in key order


def inventory(company_id: int, search: str = "") -> list[Row]:
    """The company's phones, by name; `search` matches the MAC (with or without
    separators), the name or an assigned extension number, in any case."""
    query = (tenancy.scoped(Phone, company_id)
             .options(selectinload(Phone.line_keys).selectinload(LineKey.extension))
             .order_by(func.lower(Phone.name), Phone.mac))
    needle = search.strip().lower()
    if needle:
        mac_needle = _SEPARATORS.sub("", needle)
        on_extension = select(LineKey.phone_id).join(Extension, Extension.id == LineKey.extension_id).where(
            Extension.number.contains(needle, autoescape=True))
        clauses = [func.lower(Phone.name).contains(needle, autoescape=True), Phone.id.in_(on_extension)]
        if mac_needle:
            clauses.append(Phone.mac.contains(mac_needle, autoescape=True))
        query = query.where(or_(*clauses))
    rows = []
    for phone in db.session.execute(query).scalars():
        numbers = []
        for key in phone.line_keys:
            if key.extension.number not in numbers:
                numbers.append(key.extension.number)
        rows.append(Row(phone, numbers))
    return rows


def find(company_id: int, phone_id: int) -> Phone | None:
    return tenancy.get_in_company(Phone, company_id, phone_id)


# Line keys (F16) ----------------------------------------------------------------

def keys_of(phone: Phone, extension: Extension) -> list[int]:
    return [k.key for k in phone.line_keys if k.extension_id == extension.id]


def phones_of_user(user) -> list[Phone]:
    """The phones carrying one of the person's extensions (F9.1)."""
    return db.session.execute(
        select(Phone).join(LineKey, LineKey.phone_id == Phone.id).join(Extension, Extension.id == LineKey.extension_id)
        .where(Extension.user_id == user.id, Phone.company_id == user.company_id).distinct().order_by(Phone.name)
    ).scalars().all()


def assignable(extension: Extension) -> list[Phone]:
    """The company's phones that do not carry the extension yet (F16.1, F16.2)."""
    carrying = select(LineKey.phone_id).where(LineKey.extension_id == extension.id)
    return db.session.execute(
        tenancy.scoped(Phone, extension.company_id).where(Phone.id.not_in(carrying)).order_by(Phone.name)
    ).scalars().all()


def phones_of(extension: Extension) -> list[tuple[Phone, list[int]]]:
    """The phones carrying the extension, each with its keys."""
    phones = db.session.execute(
        select(Phone).join(LineKey, LineKey.phone_id == Phone.id)
        .where(LineKey.extension_id == extension.id).distinct().order_by(Phone.name)
        .options(selectinload(Phone.line_keys))
    ).scalars().all()
    return [(p, keys_of(p, extension)) for p in phones]


def assignment_problems(phone: Phone, extension: Extension, keys: list[int], model: str) -> dict:
    """What is wrong with giving `extension` these keys of `phone` (of model `model`),
    by form field; {} when it may be done (F16.5, F16.3)."""
    problems = {}
    info = catalog.get(model)
    if info is None:
        problems["model"] = _l("Choose the phone's model.")
    if phone.company_id != extension.company_id:
        problems["phone"] = _l("Choose a phone of your company.")
        return problems
    if keys_of(phone, extension):
        problems["phone"] = _l("This phone already carries this extension: remove it first to change its keys.")
        return problems
    if not keys:
        problems["keys"] = _l("Choose at least one line key.")
        return problems
    if info and max(keys) > info.line_keys:
        problems["keys"] = _l("This model has %(count)d line keys.", count=info.line_keys)
        return problems
    taken = {k.key: k.extension.number for k in phone.line_keys}
    clash = sorted(set(keys) & set(taken))
    if clash:
        problems["keys"] = _l("Key %(key)d already carries extension %(number)s.", key=clash[0],
                              number=taken[clash[0]])
        return problems
    used = set(keys) | set(taken)
    if used != set(range(1, max(used) + 1)):
        problems["keys"] = _l("No empty line keys allowed before or between extensions.")
    elif info and max(used) > info.line_keys:
        problems["model"] = _l("This model has %(count)d line keys: too few for the extensions already on it.",
                               count=info.line_keys)
    return problems


def assign(phone: Phone, extension: Extension, keys: list[int], name: str, model: str, time_zone: str) -> None:
    """Put the extension on these keys (assignment_problems() said yes); the phone's
    name, model and time zone are saved with it (F16.3)."""
    phone.name, phone.model, phone.time_zone = name.strip(), model, time_zone
    for key in sorted(set(keys)):
        phone.line_keys.append(LineKey(company_id=phone.company_id, key=key, extension_id=extension.id))
    db.session.flush()


def unassign(phone: Phone, extension: Extension) -> None:
    """Take the extension off the phone; the keys after it move up so that no empty key
    is left before or between extensions (F16.5)."""
    for key in [k for k in phone.line_keys if k.extension_id == extension.id]:
        phone.line_keys.remove(key)
    db.session.flush()
    # In ascending order each key moves to a key already free: never two rows on one key.
    for position, key in enumerate(sorted(phone.line_keys, key=lambda k: k.key), start=1):
        if key.key != position:
            key.key = position
            db.session.flush()


def take_off_every_phone(extension: Extension) -> None:
    """Before the extension goes: off each phone that carries it, closing the gap."""
    for phone, _keys in phones_of(extension):
        unassign(phone, extension)


def free_keys(phone: Phone) -> int:
    info = catalog.get(phone.model)
    return max(0, (info.line_keys if info else 0) - len(phone.line_keys))


# Reboot (F9.8) ----------------------------------------------------------------

def request_reboot(phone: Phone) -> None:
    """After the commit, FreeSWITCH sends check-sync to every registration of the
    phone's lines, once their calls have ended (app/telephony/notify.py). mod_sofia's
    `sofia profile <p> check_sync user@domain` (sofia_reg_check_call_id) finds them in
    sip_registrations and sofia_reg_send_reboot picks the NOTIFY event by User-Agent:
    "check-sync" for Polycom, "check-sync;reboot=true" for Yealink."""
    domain = phone.company.sip_domain
    numbers = sorted({k.extension.number for k in phone.line_keys})
    outbox.check_sync(domain, numbers)


# The phone's directory (F9) --------------------------------------------------------

def _append(phone: Phone, targets) -> int:
    """Add ("extension"|"contact", id) targets at the end of the list, skipping those
    already on it; how many were added."""
    have = {("extension", e.extension_id) if e.extension_id else ("contact", e.contact_id) for e in phone.entries}
    position = max((e.position for e in phone.entries), default=0)
    added = 0
    for kind, target_id in targets:
        if (kind, target_id) in have:
            continue
        position += 1
        phone.entries.append(PhoneEntry(company_id=phone.company_id, position=position,
                                        **{f"{kind}_id": target_id}))
        have.add((kind, target_id))
        added += 1
    db.session.flush()
    return added


def add_extension_entries(phone: Phone, extension_ids) -> int:
    """Add company extensions at the end of the phone's list (F9.3); those already on it
    and other companies' are skipped. How many were added."""
    wanted = list(dict.fromkeys(extension_ids))
    own = set(db.session.execute(
        select(Extension.id).where(Extension.company_id == phone.company_id, Extension.id.in_(wanted))
    ).scalars())
    return _append(phone, [("extension", i) for i in wanted if i in own])


def add_company_book(phone: Phone) -> int:
    """The whole company book (F9.3, F8.2): every listed extension, by name."""
    ids = db.session.execute(
        select(Extension.id).where(Extension.company_id == phone.company_id, Extension.listed.is_(True))
        .order_by(Extension.name, Extension.number)
    ).scalars().all()
    return _append(phone, [("extension", i) for i in ids])


def add_contacts(phone: Phone, contacts: list[Contact]) -> int:
    """Address book contacts the person may see (the caller checked it) at the end of the
    list (F9.3); another company's are skipped."""
    return _append(phone, [("contact", c.id) for c in contacts if c.company_id == phone.company_id])


def directory_problems(phone: Phone, positions: dict[int, int], favourites: set[int]) -> list:
    """What is wrong with this order and these favourites (F9.4, F9.5); [] if none."""
    problems = []
    ids = {e.id for e in phone.entries}
    if set(positions) != ids:
        problems.append(_l("The list changed meanwhile: reload the page."))
        return problems
    values = list(positions.values())
    if any(p < 1 for p in values) or len(set(values)) != len(values):
        problems.append(_l("Each position must be a different number from 1."))
    by_id = {e.id: e for e in phone.entries}
    outside = [by_id[i] for i in sorted(favourites) if i in by_id and by_id[i].extension_id is None]
    if outside:
        problems.append(_l("%(name)s cannot be a favourite: only the company's own extensions can "
                           "(a favourite shows whether the extension is busy).", name=outside[0].name))
    return problems


def save_directory(phone: Phone, positions: dict[int, int], favourites: set[int], enabled: bool) -> None:
    """Renumber the list 1, 2, 3... in the order of `positions`, which
    directory_problems() accepted, and set the favourites."""
    order = sorted(phone.entries, key=lambda e: positions[e.id])
    for entry in order:
        entry.position = -entry.position - 1000  # never two rows on one position, even for a moment
    db.session.flush()
    for position, entry in enumerate(order, start=1):
        entry.position = position
        entry.favourite = entry.id in favourites
    phone.directory_enabled = enabled
    db.session.flush()


def favourite_overflow(phone: Phone) -> int:
    """How many favourites get no key: more than the model's free keys (F9)."""
    return max(0, sum(1 for e in phone.entries if e.favourite) - free_keys(phone))


def remove_entry(phone: Phone, entry_id: int) -> bool:
    entry = next((e for e in phone.entries if e.id == entry_id), None)
    if entry is None:
        return False
    phone.entries.remove(entry)
    db.session.flush()
    return True


def remove_all_entries(phone: Phone) -> None:
    phone.entries.clear()
    db.session.flush()


def copy_directory(source: Phone, targets: list[Phone]) -> None:
    """The targets' lists become the source's, order and favourites included (F9.10);
    each still needs a reboot. Targets are phones of the same company."""
    for target in targets:
        if target.id == source.id or target.company_id != source.company_id:
            continue
        target.entries.clear()
        db.session.flush()
        for entry in source.entries:
            target.entries.append(PhoneEntry(company_id=target.company_id, position=entry.position,
                                             extension_id=entry.extension_id, contact_id=entry.contact_id,
                                             favourite=entry.favourite))
        target.directory_enabled = source.directory_enabled
    db.session.flush()


def visible_phones(user) -> list[Phone]:
    """The phones whose directory the person arranges (F9.1)."""
    if user.is_admin:
        return db.session.execute(tenancy.scoped(Phone, user.company_id).order_by(Phone.name)).scalars().all()
    return phones_of_user(user)
