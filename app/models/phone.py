"""Desk phones (F14), the line keys that carry extensions (F16) and the entries of each
phone's directory (F9)."""
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import CreatedAtMixin
from app.flask_extensions import db
from app.models.address_book import Contact
from app.models.company import Company
from app.models.extension import Extension


class Phone(CreatedAtMixin, db.Model):
    """One physical phone, known by its MAC address: one phone, one company (F14)."""

    __tablename__ = "phones"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    # 12 lowercase hex digits: the key of every provisioning request, unique on the platform.
    mac: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    model: Mapped[str] = mapped_column(String(16))  # app/provisioning/catalog.py
    time_zone: Mapped[str] = mapped_column(String(64), default="America/Toronto")
    # F9.7 "Configure address books on phone": the directory is pushed only when on.
    directory_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # What the phone sends with HTTP digest to fetch its files; generated, never typed.
    # Digest needs the secret (or its HA1), so it is stored as the SIP passwords are.
    provisioning_username: Mapped[str] = mapped_column(String(32), unique=True)
    provisioning_password: Mapped[str] = mapped_column(String(64))

    company: Mapped[Company] = relationship()
    line_keys: Mapped[list["LineKey"]] = relationship(
        back_populates="phone", cascade="all, delete-orphan", passive_deletes=True, order_by="LineKey.key")
    entries: Mapped[list["PhoneEntry"]] = relationship(
        back_populates="phone", cascade="all, delete-orphan", passive_deletes=True, order_by="PhoneEntry.position")

    @property
    def display_mac(self) -> str:
        """As printed on the phone's label: 00:04:F2:AB:CD:EF."""
        return ":".join(self.mac[i:i + 2] for i in range(0, 12, 2)).upper()

    def __repr__(self) -> str:
        return f"<Phone {self.mac} of company {self.company_id}>"


class LineKey(db.Model):
    """Key `key` (from 1) of a phone carries an extension's line (F16.4)."""

    __tablename__ = "phone_line_keys"
    __table_args__ = (UniqueConstraint("phone_id", "key"), CheckConstraint("key >= 1", name="key_from_one"))

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    phone_id: Mapped[int] = mapped_column(ForeignKey("phones.id", ondelete="CASCADE"), index=True)
    key: Mapped[int] = mapped_column(Integer)
    extension_id: Mapped[int] = mapped_column(ForeignKey("extensions.id", ondelete="CASCADE"), index=True)

    phone: Mapped[Phone] = relationship(back_populates="line_keys")
    extension: Mapped[Extension] = relationship()


class PhoneEntry(db.Model):
    """One line of a phone's directory, in the order the phone shows them (F9.4); a
    favourite watches a company extension's presence on a free key (F9.5)."""

    __tablename__ = "phone_entries"
    __table_args__ = (
        UniqueConstraint("phone_id", "position"),
        # Exactly one of them: an extension of the company book, or a contact of a stored book.
        CheckConstraint("(extension_id IS NULL) <> (contact_id IS NULL)", name="one_target"),
        CheckConstraint("NOT favourite OR extension_id IS NOT NULL", name="favourite_is_an_extension"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    phone_id: Mapped[int] = mapped_column(ForeignKey("phones.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    # A company-book entry: the extension itself, so a renamed extension is renamed on
    # the phone too.
    extension_id: Mapped[int | None] = mapped_column(ForeignKey("extensions.id", ondelete="CASCADE"), index=True)
    # A contact of an address book (F8); deleting the contact takes it off the phones.
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    # Only an extension may be one (F9.5): a favourite watches its presence.
    favourite: Mapped[bool] = mapped_column(Boolean, default=False)

    phone: Mapped[Phone] = relationship(back_populates="entries")
    extension: Mapped[Extension | None] = relationship()
    contact: Mapped[Contact | None] = relationship()

    @property
    def name(self) -> str:
        return self.extension.name if self.extension else self.contact.full_name

    @property
    def number(self) -> str:
        return self.extension.number if self.extension else self.contact.phone
