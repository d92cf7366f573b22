"""Voicemail boxes (F2, F5). A box belongs to the company; an extension has at most
one (its settings page edits the same row) and a general box ("Boîte générale",
"Salle de conférence") has none, and then reserves its number.

mod_voicemail keeps the messages, greetings and recorded names (its own database and
the storage folder); the portal keeps what the directory tells it about the box
(app/xml_curl/directory.py) and asks mod_voicemail for the rest over ESL
(app/services/mailboxes.py).
"""
import enum

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from app.database import CreatedAtMixin, str_enum
from app.flask_extensions import db
from app.models.company import Company

MAX_MESSAGES = 100  # F5.2: fixed, shown read-only


class KeyDestination(str, enum.Enum):
    """Where a caller goes on pressing 0 or * during the greeting (F5.2, G11)."""

    NONE = "none"            # the key does nothing: the greeting goes on
    LOGIN = "login"          # the box's own login (G11: the default for *)
    EXTENSION = "extension"  # rings an extension of the company
    MAILBOX = "mailbox"      # leaves a message in another box
    HANGUP = "hangup"
    ATTENDANT = "attendant"  # the company greeting of the main number (G11: "attendant")


class Mailbox(CreatedAtMixin, db.Model):
    __tablename__ = "mailboxes"
    __table_args__ = (UniqueConstraint("company_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    # The box number callers enter after 8500: its extension's number, or a free number.
    number: Mapped[str] = mapped_column(String(6))
    # G21: deleting the extension deletes its box.
    extension_id: Mapped[int | None] = mapped_column(
        ForeignKey("extensions.id", ondelete="CASCADE"), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    # Off: mod_voicemail refuses messages and logins (vm-enabled=false); the box stays.
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # The PIN: FreeSWITCH needs it in clear (vm-password), so it is not hashed.
    password: Mapped[str] = mapped_column(String(10), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    email_only: Mapped[bool] = mapped_column(Boolean, default=False)
    max_seconds: Mapped[int] = mapped_column(Integer, default=180)
    # Targets are box or extension numbers (digits), as callers dial them.
    operator_kind: Mapped[KeyDestination] = mapped_column(str_enum(KeyDestination), default=KeyDestination.NONE)
    operator_target: Mapped[str] = mapped_column(String(6), default="")
    star_kind: Mapped[KeyDestination] = mapped_column(str_enum(KeyDestination), default=KeyDestination.LOGIN)
    star_target: Mapped[str] = mapped_column(String(6), default="")

    company: Mapped[Company] = relationship()
    extension: Mapped["Extension | None"] = relationship(back_populates="mailbox")  # noqa: F821

    def __repr__(self) -> str:
        return f"<Mailbox {self.number} of company {self.company_id}>"


@event.listens_for(Session, "before_flush")
def _follow_the_extension(session, flush_context, instances) -> None:
    """A box attached to an extension is reached by the extension's number, in its company."""
    for box in list(session.new) + list(session.dirty):
        if isinstance(box, Mailbox) and box.extension is not None:
            if box.company is not box.extension.company:
                box.company = box.extension.company
            if box.number != box.extension.number:
                box.number = box.extension.number
            if not box.name:
                box.name = box.extension.name
