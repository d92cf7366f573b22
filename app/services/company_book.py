"""The company book (F8.2): the company's extensions that are listed in the directory.

It is derived, never stored, so it always equals the extensions as they are now.
"""
from dataclasses import dataclass

from sqlalchemy import select

from app.flask_extensions import db
from app.models.extension import Extension


@dataclass(frozen=True)
class Entry:
    number: str
    name: str


def entries(company_id: int, search: str = "") -> list[Entry]:
    query = (select(Extension.number, Extension.name)
             .where(Extension.company_id == company_id, Extension.listed.is_(True))
             .order_by(Extension.name, Extension.number))
    needle = search.strip().lower()
    if needle:
        # Matched literally: autoescape makes a typed % or _ a character, not LIKE's wildcard.
        query = query.where(db.func.lower(Extension.name).contains(needle, autoescape=True)
                            | Extension.number.contains(needle, autoescape=True))
    return [Entry(number, name) for number, name in db.session.execute(query)]


@dataclass(frozen=True)
class BookEntry:
    extension_id: int
    number: str
    name: str


def entries_with_ids(company_id: int) -> list[BookEntry]:
    """The company book with each entry's extension, for adding it to a phone (F9.3)."""
    query = (select(Extension.id, Extension.number, Extension.name)
             .where(Extension.company_id == company_id, Extension.listed.is_(True))
             .order_by(Extension.name, Extension.number))
    return [BookEntry(*row) for row in db.session.execute(query)]
