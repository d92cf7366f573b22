"""Contacts in and out of files: CSV import (with its preview) and export, vCard export (F8).

Reading never writes: read_csv says which rows are good and what is wrong with each bad
one, and the person confirms before address_books.import_contacts adds the good ones.
"""
import csv
import io
import unicodedata
from dataclasses import dataclass, field

import vobject
from flask_babel import lazy_gettext as _l

from app.services.address_books import ContactFields

MAX_BYTES = 1024 * 1024
MAX_ROWS = 5000
FIELDS = ("first_name", "last_name", "phone", "email")
REQUIRED = ("first_name", "last_name", "phone")
HEADERS = {"first_name": _l("First name"), "last_name": _l("Last name"), "phone": _l("Phone"),
           "email": _l("Email address")}
# Column titles accepted on import, compared without case, accents, spaces, dashes or underscores:
# ours in both languages, and what Outlook, Gmail and Excel users write.
_ALIASES = {
    "first_name": {"firstname", "prenom", "givenname", "first"},
    "last_name": {"lastname", "nom", "nomdefamille", "surname", "familyname", "last"},
    "phone": {"phone", "telephone", "tel", "phonenumber", "numero", "numerodetelephone", "number",
              "businessphone", "mobilephone", "cellulaire"},
    "email": {"email", "emailaddress", "courriel", "adressecourriel", "mail", "adressecourrielle",
              "email1", "emailaddress1"},
}
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection): exported
# cells get a leading apostrophe, which spreadsheets hide and the import takes off again.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class BadRow:
    line: int
    values: dict
    problems: dict  # field -> message


@dataclass
class CsvReading:
    encoding: str = ""
    text: str = ""
    error: object = None  # a message when the file as a whole cannot be read
    good: list[ContactFields] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)


def decode(data: bytes) -> tuple[str | None, str, object]:
    """(text, encoding name, error): UTF-8 with or without BOM, UTF-16 with a BOM (Excel's
    "Unicode text"), else Windows-1252, the superset of Latin-1 that Excel writes on Western
    Windows. A byte no such encoding has, or a NUL, means it is no text file."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16", None
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data:
        try:
            return data.decode("utf-8-sig"), "UTF-8", None
        except UnicodeDecodeError:
            try:
                return data.decode("cp1252"), "Windows-1252", None
            except UnicodeDecodeError:
                pass
    return None, "", _l("This file is not text in UTF-8 or Windows-1252 (Latin-1). In your spreadsheet, "
                        "save it as “CSV UTF-8”, then import that file.")


def _key(title: str) -> str:
    plain = unicodedata.normalize("NFKD", title.strip().casefold())
    return "".join(c for c in plain if c.isalnum())


def _columns(header: list[str]) -> dict[str, int]:
    found = {}
    for index, title in enumerate(header):
        key = _key(title)
        for name, aliases in _ALIASES.items():
            if key in aliases and name not in found:
                found[name] = index
    return found


def _delimiter(text: str) -> str:
    """The separator of the first line: a comma, or the semicolon of a French Excel, or a tab."""
    first = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=first.count)


def _unguarded(value: str) -> str:
    if value.startswith("'") and value[1:2] in _FORMULA_START:
        return value[1:]
    return value


def read_csv(data: bytes) -> CsvReading:
    """A CSV file as bytes, read and checked row by row."""
    if len(data) > MAX_BYTES:
        return CsvReading(error=_l("The file is larger than 1 MB: split it into several files."))
    text, encoding, error = decode(data)
    if error:
        return CsvReading(error=error)
    reading = read_csv_text(text)
    reading.encoding = encoding
    return reading


def read_csv_text(text: str) -> CsvReading:
    """A CSV file already decoded (the preview's confirmation posts it back)."""
    reading = CsvReading(text=text)
    if not text.strip():
        reading.error = _l("The file is empty.")
        return reading
    try:
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
        header = next(rows)
        columns = _columns(header)
        missing = [HEADERS[name] for name in REQUIRED if name not in columns]
        if missing:
            reading.error = _l(
                "The first line must name the columns: first name, last name, phone, and email if you "
                "have it. Missing: %(columns)s.", columns=", ".join(str(m) for m in missing))
            return reading
        for cells in rows:
            if not any(cell.strip() for cell in cells):
                continue
            if len(reading.good) + len(reading.bad) >= MAX_ROWS:
                reading.error = _l("More than %(max)d contacts: split the file into several files.", max=MAX_ROWS)
                return reading
            values = {name: _unguarded(cells[i].strip()) if i < len(cells) else ""
                      for name, i in columns.items()}
            contact = ContactFields.cleaned(values.get("phone"), values.get("first_name"),
                                            values.get("last_name"), values.get("email", ""))
            problems = contact.problems()
            if problems:
                reading.bad.append(BadRow(rows.line_num, values, problems))
            else:
                reading.good.append(contact)
    except csv.Error:
        reading.error = _l("Line %(line)d is not valid CSV: check its quotation marks.", line=rows.line_num)
        reading.good, reading.bad = [], []
    if not reading.error and not reading.good and not reading.bad:
        reading.error = _l("The file has a title line but no contact.")
    return reading


def _guarded(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def to_csv(contacts) -> bytes:
    """The contacts as CSV, UTF-8 with a BOM (so that Excel shows the accents), titled in the
    reader's language; the import reads it back as it is."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([str(HEADERS[name]) for name in FIELDS])
    for contact in contacts:
        writer.writerow([_guarded(getattr(contact, name)) for name in FIELDS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_vcard(contacts) -> bytes:
    """The contacts as vCards (version 3.0, RFC 2426, which phones and mail programs read more
    widely than 4.0), written by vobject, which escapes , ; \\ and folds long lines."""
    parts = []
    for contact in contacts:
        card = vobject.vCard()
        card.add("n").value = vobject.vcard.Name(family=contact.last_name, given=contact.first_name)
        card.add("fn").value = contact.full_name
        tel = card.add("tel")
        tel.value = contact.phone
        tel.type_param = "VOICE"
        if contact.email:
            email = card.add("email")
            email.value = contact.email
            email.type_param = "INTERNET"
        parts.append(card.serialize())
    return "".join(parts).encode("utf-8")
