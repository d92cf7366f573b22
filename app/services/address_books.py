"""Address books (F8): who sees which book, who edits it, its contacts, and the search.

Rights, in one place (the portal, the phones' pages and the file exports all ask here):
- My contacts: only its owner sees, edits or uses it; anyone else (an admin included) is
  answered as if it did not exist.
- A shared book: seen by the people on its visibility list and by every admin of the company
  (they create, rename, delete and fill it, so one they did not tick must not vanish from
  their hands); only admins add, edit or delete its contacts (F8.9).
- The company book: everyone of the company, read-only (app/services/company_book.py).

Nothing here commits: the caller does, once the operation has succeeded.
"""
import re
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l, ngettext
from sqlalchemy import exists, func, or_, select

from app.flask_extensions import db
from app.models.address_book import AddressBook, AddressBookMember, BookKind, Contact
from app.models.user import User
from app.services import company_book

PHONE_DIGITS = (3, 15)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# What people type in a phone number besides its digits, each with the message that says so.
_PHONE_NOISE = (
    (re.compile(r"\s"), _l("Digits only: remove the spaces.")),
    (re.compile(r"[-\u2010-\u2015]"), _l("Digits only: remove the dashes.")),
    (re.compile(r"\+"), _l("Digits only: remove the “+” (dial 1 or 011 instead).")),
    (re.compile(r"[^\W\d_]"), _l("Digits only: letters are not allowed.")),
)


# --- Who sees what --------------------------------------------------------------------------

def _visible_clause(user: User):
    """SQL: the stored books `user` may see."""
    own = AddressBook.owner_id == user.id
    shared = (AddressBook.kind == BookKind.SHARED) & (AddressBook.company_id == user.company_id)
    if not user.is_admin:
        shared = shared & exists().where(AddressBookMember.book_id == AddressBook.id,
                                         AddressBookMember.user_id == user.id)
    return own | shared


def my_contacts(user: User) -> AddressBook:
    """The person's own book, created (flushed, not committed) the first time it is asked for,
    so that every person has exactly one whichever way their account was made."""
    book = db.session.execute(select(AddressBook).where(AddressBook.owner_id == user.id)).scalar_one_or_none()
    if book is None:
        book = AddressBook(company_id=user.company_id, kind=BookKind.PERSONAL, owner_id=user.id)
        db.session.add(book)
        db.session.flush()
    return book


def books_visible_to(user: User) -> list[AddressBook]:
    """My contacts first, then the shared books the person may see, by name."""
    mine = my_contacts(user)
    shared = db.session.execute(
        select(AddressBook).where(_visible_clause(user), AddressBook.kind == BookKind.SHARED)
        .order_by(func.lower(AddressBook.name), AddressBook.id)
    ).scalars().all()
    return [mine, *shared]


def visible_book(user: User, book_id: int) -> AddressBook | None:
    """A stored book the person may see, or None (the view answers 404)."""
    return db.session.execute(
        select(AddressBook).where(AddressBook.id == book_id, _visible_clause(user))
    ).scalar_one_or_none()


def visible_contact(user: User, contact_id: int) -> Contact | None:
    """A contact of a book the person may see, or None (404)."""
    return db.session.execute(
        select(Contact).join(AddressBook, AddressBook.id == Contact.book_id)
        .where(Contact.id == contact_id, _visible_clause(user))
    ).scalar_one_or_none()


def can_edit(user: User, book: AddressBook) -> bool:
    """May add, edit, delete and import contacts in this (visible) book (F8.9)."""
    return book.owner_id == user.id if book.is_personal else user.is_admin


def shared_books(company_id: int) -> list[AddressBook]:
    """Every shared book of the company, by name (the access tab; admins only)."""
    return db.session.execute(
        select(AddressBook).where(AddressBook.company_id == company_id, AddressBook.kind == BookKind.SHARED)
        .order_by(func.lower(AddressBook.name), AddressBook.id)
    ).scalars().all()


def member_ids(book: AddressBook) -> set[int]:
    return set(db.session.execute(
        select(AddressBookMember.user_id).where(AddressBookMember.book_id == book.id)).scalars())


def members_by_book(company_id: int) -> dict[int, list[User]]:
    """Who sees each shared book of the company, in one query."""
    result: dict[int, list[User]] = {}
    rows = db.session.execute(
        select(AddressBookMember.book_id, User).join(User, User.id == AddressBookMember.user_id)
        .where(AddressBookMember.company_id == company_id).order_by(User.last_name, User.first_name)
    )
    for book_id, user in rows:
        result.setdefault(book_id, []).append(user)
    return result


def contact_counts(books: list[AddressBook]) -> dict[int, int]:
    """How many contacts each book holds, in one query."""
    ids = [b.id for b in books]
    if not ids:
        return {}
    return dict(db.session.execute(
        select(Contact.book_id, func.count()).where(Contact.book_id.in_(ids)).group_by(Contact.book_id)).all())


# --- Reading contacts -----------------------------------------------------------------------

def _ordered(query):
    return query.order_by(func.lower(Contact.last_name), func.lower(Contact.first_name), Contact.id)


def _matching(q: str):
    """SQL: a contact with `q` in any of its fields or its book's name, case-insensitively.

    `q` is matched literally: LIKE's % and _ are escaped (autoescape), so "%" finds a
    percent sign rather than everything."""
    needle = q.strip().lower()
    fields = [Contact.phone, Contact.first_name, Contact.last_name, Contact.email, AddressBook.name]
    clause = or_(*(func.lower(f).contains(needle, autoescape=True) for f in fields))
    if needle and needle in str(_l("My contacts")).lower():  # a personal book's name is not stored
        clause = clause | (AddressBook.kind == BookKind.PERSONAL)
    return clause


def contacts_of(book: AddressBook, q: str = "") -> list[Contact]:
    """The contacts of one stored book, by last then first name; only those matching `q` if given."""
    query = select(Contact).join(AddressBook, AddressBook.id == Contact.book_id).where(Contact.book_id == book.id)
    if q.strip():
        query = query.where(_matching(q))
    return db.session.execute(_ordered(query)).scalars().all()


@dataclass(frozen=True)
class Row:
    """One line of "All contacts" or of a search: a stored contact, or an extension of the
    company book (contact None, no e-mail)."""

    name: str
    phone: str
    email: str
    book_title: str
    book_id: int | None
    contact: Contact | None = None

    @property
    def sort_key(self):
        return (self.name.casefold(), self.phone)


def search(user: User, q: str = "") -> list[Row]:
    """Every contact of every book the person may see (F8.2 "All contacts"), the company book
    included, matching `q` in any field or in the book's name when `q` is given (F8.10).
    Two queries, whatever the number of books and contacts."""
    query = (select(Contact, AddressBook).join(AddressBook, AddressBook.id == Contact.book_id)
             .where(_visible_clause(user)))
    if q.strip():
        query = query.where(_matching(q))
    rows = [Row(c.full_name, c.phone, c.email, b.title, b.id, c)
            for c, b in db.session.execute(_ordered(query))]
    company = user.company
    needle = q.strip().lower()
    company_entries = company_book.entries(
        company.id, "" if needle and needle in company.name.lower() else q)
    rows += [Row(e.name, e.number, "", company.name, None) for e in company_entries]
    return sorted(rows, key=lambda r: r.sort_key)


# --- Validation -----------------------------------------------------------------------------

def phone_problem(phone: str):
    """What is wrong with a phone number as typed, in words the person can act on, or None.

    The number is stored and dialled as typed, so nothing is silently removed: the person
    is told exactly what to take out (F8 validation: digits only, 3 to 15 of them)."""
    if not phone:
        return _l("Enter a phone number.")
    problems = [message for pattern, message in _PHONE_NOISE if pattern.search(phone)]
    if not problems and not re.fullmatch(r"[0-9]*", phone):
        others = "".join(sorted({c for c in phone if not ("0" <= c <= "9")}))
        problems.append(_l("Digits only: remove “%(characters)s”.", characters=others))
    if problems:
        return " ".join(str(p) for p in problems)
    low, high = PHONE_DIGITS
    if not low <= len(phone) <= high:
        return ngettext("A phone number has 3 to 15 digits; this one has %(num)d digit.",
                        "A phone number has 3 to 15 digits; this one has %(num)d digits.", len(phone))
    return None


def _name_problem(value: str, missing):
    if not value:
        return missing
    if _CONTROL.search(value):
        return _l("Remove the line breaks and other control characters.")
    if len(value) > 50:
        return _l("%(max)d characters at most.", max=50)
    return None


def email_problem(email: str):
    if not email:
        return None
    if _CONTROL.search(email) or len(email) > 254:
        return _l("Enter a valid email address.")
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return _l("Enter a valid email address.")
    return None


@dataclass(frozen=True)
class ContactFields:
    phone: str
    first_name: str
    last_name: str
    email: str = ""

    @classmethod
    def cleaned(cls, phone, first_name, last_name, email="") -> "ContactFields":
        """The fields as typed, with the spaces around each removed (not inside a phone number:
        those are reported, see phone_problem)."""
        return cls(*((value or "").strip() for value in (phone, first_name, last_name, email)))

    def problems(self) -> dict:
        """Field name -> message for each bad field (F8.7); empty when all are good."""
        checks = {
            "phone": phone_problem(self.phone),
            "first_name": _name_problem(self.first_name, _l("Enter a first name.")),
            "last_name": _name_problem(self.last_name, _l("Enter a last name.")),
            "email": email_problem(self.email),
        }
        return {name: message for name, message in checks.items() if message}


# --- Writing contacts -----------------------------------------------------------------------

def add_contact(user: User, books: list[AddressBook], fields: ContactFields) -> tuple[list[Contact], dict]:
    """The contact in each chosen book (one row per book: see app/models/address_book.py).
    Returns (contacts, errors); nothing is added when there is any error."""
    errors = fields.problems()
    if not books:
        errors["books"] = _l("Choose at least one address book.")
    elif any(not can_edit(user, book) for book in books):
        errors["books"] = _l("Only administrators add contacts to a shared address book.")
    if errors:
        return [], errors
    contacts = [Contact(company_id=book.company_id, book_id=book.id, phone=fields.phone,
                        first_name=fields.first_name, last_name=fields.last_name, email=fields.email)
                for book in books]
    db.session.add_all(contacts)
    db.session.flush()
    return contacts, {}


def update_contact(contact: Contact, fields: ContactFields) -> dict:
    """Save a contact's fields; returns the errors (nothing changed if any). The caller has
    checked can_edit on its book."""
    errors = fields.problems()
    if errors:
        return errors
    contact.phone, contact.first_name, contact.last_name, contact.email = (
        fields.phone, fields.first_name, fields.last_name, fields.email)
    db.session.flush()
    return {}


def delete_contact(contact: Contact) -> None:
    db.session.delete(contact)
    db.session.flush()


def import_contacts(book: AddressBook, rows: list[ContactFields]) -> list[Contact]:
    """Add already-validated rows (contact_files.read_csv) to one book."""
    contacts = [Contact(company_id=book.company_id, book_id=book.id, phone=r.phone, first_name=r.first_name,
                        last_name=r.last_name, email=r.email) for r in rows]
    db.session.add_all(contacts)
    db.session.flush()
    return contacts


# --- Shared books ---------------------------------------------------------------------------

def book_name_problem(company_id: int, name: str, book: AddressBook | None = None):
    """Why this cannot be a shared book's name, or None: required, 64 characters at most, not
    another book's of the company (whatever the case)."""
    if not name:
        return _l("Enter a name for the address book.")
    if _CONTROL.search(name):
        return _l("Remove the line breaks and other control characters.")
    if len(name) > 64:
        return _l("%(max)d characters at most.", max=64)
    query = select(AddressBook.id).where(AddressBook.company_id == company_id,
                                         func.lower(AddressBook.name) == name.lower())
    if book is not None:
        query = query.where(AddressBook.id != book.id)
    if db.session.execute(query).first():
        return _l("Another address book already has this name.")
    return None


def company_people(company_id: int) -> list[User]:
    """Who may be ticked on a visibility list: the company's people, disabled ones included
    (their access is kept for the day they come back)."""
    return db.session.execute(
        select(User).where(User.company_id == company_id).order_by(User.last_name, User.first_name, User.id)
    ).scalars().all()


def _members_of_company(company_id: int, user_ids) -> set[int]:
    """Only ids of the company's own people: an id of another company's person is ignored."""
    wanted = {int(i) for i in user_ids}
    if not wanted:
        return set()
    return set(db.session.execute(
        select(User.id).where(User.company_id == company_id, User.id.in_(wanted))).scalars())


def create_book(company_id: int, name: str, user_ids) -> tuple[AddressBook | None, dict]:
    """A shared book with its visibility list (F8.3); returns (book, errors)."""
    name = (name or "").strip()
    problem = book_name_problem(company_id, name)
    if problem:
        return None, {"name": problem}
    book = AddressBook(company_id=company_id, kind=BookKind.SHARED, name=name)
    db.session.add(book)
    db.session.flush()
    set_access(book, user_ids)
    return book, {}


def rename_book(book: AddressBook, name: str) -> dict:
    name = (name or "").strip()
    if book.is_personal:
        return {"name": _l("My contacts cannot be renamed.")}
    problem = book_name_problem(book.company_id, name, book)
    if problem:
        return {"name": problem}
    book.name = name
    db.session.flush()
    return {}


def set_access(book: AddressBook, user_ids) -> None:
    """Exactly these people of the company see the shared book from now on (F8.5)."""
    wanted = _members_of_company(book.company_id, user_ids)
    current = {m.user_id: m for m in book.members}
    for user_id, member in current.items():
        if user_id not in wanted:
            db.session.delete(member)
    for user_id in sorted(wanted - current.keys()):
        db.session.add(AddressBookMember(company_id=book.company_id, book_id=book.id, user_id=user_id))
    db.session.flush()
    db.session.expire(book, ["members"])


def delete_book(book: AddressBook) -> int:
    """Delete a shared book and its contacts for good (F8.6); returns how many contacts went.
    My contacts is never deleted: it goes with its owner."""
    if book.is_personal:
        raise ValueError("My contacts goes only with its owner")
    count = contact_counts([book]).get(book.id, 0)
    db.session.delete(book)
    db.session.flush()
    return count
