"""What a desk phone's files say, from the database (F9, F16): its SIP accounts on their
line keys, the server, time zone, language, voicemail key and directory. The vendor
modules (app/provisioning/) only lay this out in their format."""
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.flask_extensions import db
from app.models.address_book import Contact as AddressContact
from app.models.extension import Extension, SipAccount
from app.models.phone import LineKey, Phone, PhoneEntry
from app.provisioning import catalog
from app.telephony import dial_codes


@dataclass(frozen=True)
class Line:
    account: int          # the phone's account (Polycom reg.N, Yealink account.N), from 1
    keys: tuple[int, ...]
    number: str
    username: str
    password: str
    name: str


@dataclass(frozen=True)
class Contact:
    first_name: str
    last_name: str
    number: str
    favourite: bool       # a BLF key watching this company extension


@dataclass(frozen=True)
class PhoneFiles:
    mac: str
    model: catalog.PhoneModel
    domain: str
    lines: tuple[Line, ...]
    contacts: tuple[Contact, ...]
    directory_enabled: bool
    language: str         # "fr" / "en"
    time_zone: str        # its IANA name
    utc_offset_minutes: int   # standard time
    daylight_saving: bool
    voicemail: str

    @property
    def free_keys(self) -> tuple[int, ...]:
        used = {k for line in self.lines for k in line.keys}
        return tuple(k for k in range(1, self.model.line_keys + 1) if k not in used)


def find_by_mac(mac: str) -> Phone | None:
    return db.session.execute(select(Phone).where(Phone.mac == mac)).scalar_one_or_none()


def _offsets(time_zone: str) -> tuple[int, bool]:
    """The standard UTC offset in minutes, and whether the zone keeps daylight saving time:
    both vendors take an offset and a DST switch, not a zone name."""
    zone = ZoneInfo(time_zone)
    year = datetime.now().year
    january = datetime(year, 1, 15, tzinfo=zone).utcoffset()
    july = datetime(year, 7, 15, tzinfo=zone).utcoffset()
    standard = min(january, july)
    return int(standard.total_seconds() // 60), january != july


def files_for(phone: Phone, directory: bool = True) -> PhoneFiles:
    """Everything the phone's files say, in a few queries; without `directory`, only the
    favourites of its list (what its configuration needs for the busy lamps)."""
    keys = db.session.execute(
        select(LineKey).where(LineKey.phone_id == phone.id).order_by(LineKey.key)
        .options(joinedload(LineKey.extension))
    ).scalars().all()
    by_extension: dict[int, list[int]] = {}
    extensions: dict[int, Extension] = {}
    for key in keys:
        by_extension.setdefault(key.extension_id, []).append(key.key)
        extensions[key.extension_id] = key.extension
    accounts = {a.extension_id: a for a in db.session.execute(
        select(SipAccount).where(SipAccount.extension_id.in_(list(extensions)), SipAccount.softphone.is_(False))
    ).scalars()} if extensions else {}
    lines = []
    # Accounts in the order of their first key: the phone's first line is key 1's.
    for extension_id, ext_keys in sorted(by_extension.items(), key=lambda item: item[1][0]):
        extension, account = extensions[extension_id], accounts.get(extension_id)
        if account is None:
            continue
        lines.append(Line(len(lines) + 1, tuple(ext_keys), extension.number, account.username, account.password,
                          extension.name))
    contacts = _contacts(phone, favourites_only=not directory) if phone.directory_enabled else []
    offset, dst = _offsets(phone.time_zone)
    first = extensions[next(iter(by_extension))] if by_extension else None
    company = phone.company
    return PhoneFiles(
        mac=phone.mac, model=catalog.get(phone.model),
        domain=company.sip_domain, lines=tuple(lines), contacts=tuple(contacts),
        directory_enabled=phone.directory_enabled,
        language=(first.language if first else company.language), time_zone=phone.time_zone,
        utc_offset_minutes=offset,
        daylight_saving=dst, voicemail=dial_codes.OWN_VOICEMAIL,
    )


def _contacts(phone: Phone, favourites_only: bool) -> list[Contact]:
    """The phone's list in its order, as plain rows: 200 entries a phone, every boot of
    every phone, so no ORM object per entry (bench/provisioning.py)."""
    query = (select(PhoneEntry.favourite, Extension.name, Extension.number,
                    AddressContact.first_name, AddressContact.last_name, AddressContact.phone)
             .outerjoin(Extension, Extension.id == PhoneEntry.extension_id)
             .outerjoin(AddressContact, AddressContact.id == PhoneEntry.contact_id)
             .where(PhoneEntry.phone_id == phone.id).order_by(PhoneEntry.position))
    if favourites_only:
        query = query.where(PhoneEntry.favourite.is_(True))
    contacts = []
    for favourite, name, number, first_name, last_name, contact_phone in db.session.execute(query):
        if number is not None:
            # As the company book shows it (F8.2): the extension's name.
            contacts.append(Contact(name, "", number, favourite))
        else:
            contacts.append(Contact(first_name, last_name, contact_phone, False))
    return contacts
