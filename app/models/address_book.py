"""Address books (F8): each person's "My contacts", the company's shared books, their contacts.

The company book is not stored: it is derived from the extensions (app/services/company_book.py).
"All contacts" is not stored either: it is every contact of every book the viewer may see.

A contact belongs to exactly one book. "Add into several books at once" (F8.8) creates one
contact per chosen book, not one contact linked to several books, because a contact's rights
are its book's: only the owner sees and edits a My contacts entry, only admins edit a shared
book's. A row shared by a private book and a shared book would let a user edit, through their
My contacts, what every reader of the shared book sees (or let an admin's edit of the shared
entry reach into someone's private book), and deleting it "from this book" would need a second
kind of delete. One row per book keeps each book's rights, edits and deletes its own; the phones
(F9) point at a contact of one book, or at an extension of the company book.
"""
import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import CreatedAtMixin, str_enum
from app.flask_extensions import db
from app.models.user import User


class BookKind(str, enum.Enum):
    PERSONAL = "personal"  # "My contacts": one per person, only its owner sees it
    SHARED = "shared"      # named by an admin, seen by the people on its visibility list


class AddressBook(CreatedAtMixin, db.Model):
    __tablename__ = "address_books"
    __table_args__ = (
        # A shared book has a name and no owner; a personal one an owner and no stored name
        # (it is shown as "My contacts", in the reader's language). NULL names never collide,
        # so the unique (company, name) constraint concerns the shared books only (F8 validation).
        CheckConstraint(
            "(kind = 'personal' AND owner_id IS NOT NULL AND name IS NULL)"
            " OR (kind = 'shared' AND owner_id IS NULL AND name IS NOT NULL)",
            name="owner_matches_kind",
        ),
        UniqueConstraint("company_id", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    kind: Mapped[BookKind] = mapped_column(str_enum(BookKind))
    name: Mapped[str | None] = mapped_column(String(64))
    # Unique: exactly one My contacts per person (F8.2); it goes with them.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)

    owner: Mapped[User | None] = relationship()
    contacts: Mapped[list["Contact"]] = relationship(
        back_populates="book", cascade="all, delete-orphan", passive_deletes=True,
        order_by=lambda: [Contact.last_name, Contact.first_name, Contact.id],
    )
    members: Mapped[list["AddressBookMember"]] = relationship(
        back_populates="book", cascade="all, delete-orphan", passive_deletes=True,
    )

    @property
    def is_personal(self) -> bool:
        return self.kind is BookKind.PERSONAL

    @property
    def title(self) -> str:
        """The name a reader sees: a shared book's own, or "My contacts" in their language."""
        return str(_l("My contacts")) if self.is_personal else self.name

    def __repr__(self) -> str:
        return f"<AddressBook {self.id} {self.kind.value} of company {self.company_id}>"


class AddressBookMember(db.Model):
    """One person on a shared book's visibility list (F8.5). Nobody is added by default:
    a person created later sees a book only once an admin ticks them."""

    __tablename__ = "address_book_members"
    __table_args__ = (UniqueConstraint("book_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("address_books.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    book: Mapped[AddressBook] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class Contact(CreatedAtMixin, db.Model):
    """An entry of one stored book (F8.7). The phone is digits only, 3 to 15 of them."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("address_books.id", ondelete="CASCADE"), index=True)
    phone: Mapped[str] = mapped_column(String(15))
    first_name: Mapped[str] = mapped_column(String(50))
    last_name: Mapped[str] = mapped_column(String(50))
    # Stored and shown, never used by the system (F8.7); "" when not given.
    email: Mapped[str] = mapped_column(String(254), default="")

    book: Mapped[AddressBook] = relationship(back_populates="contacts")

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def __repr__(self) -> str:
        return f"<Contact {self.id} in book {self.book_id}>"
