"""The tenant (Company) and the phone numbers the operator assigns to it."""
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.flask_extensions import db
from app.database import CreatedAtMixin
from app.services import phone_numbers


class Company(CreatedAtMixin, db.Model):
    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # The SIP domain is also the company's dial-plan context: one context per
    # company, named so that a FreeSWITCH log line says whose call it is.
    sip_domain: Mapped[str] = mapped_column(String(253), unique=True)
    time_zone: Mapped[str] = mapped_column(String(64), default="America/Toronto")
    language: Mapped[str] = mapped_column(String(2), default="fr")
    # Raised by every flush that touches one of the company's rows (app/directory_version.py):
    # an xml_curl process serves a directory answer it rendered earlier only while this
    # is unchanged, so no process, on any machine, answers from before a commit.
    directory_version: Mapped[int] = mapped_column(default=0, server_default="0")

    phone_numbers: Mapped[list["PhoneNumber"]] = relationship(
        back_populates="company", order_by="PhoneNumber.e164"
    )

    @property
    def dialplan_context(self) -> str:
        return self.sip_domain

    def __repr__(self) -> str:
        return f"<Company {self.id} {self.sip_domain}>"


class PhoneNumber(CreatedAtMixin, db.Model):
    """A DID (E.164) that the operator assigned to a company."""

    __tablename__ = "phone_numbers"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    e164: Mapped[str] = mapped_column(String(16), unique=True)
    label: Mapped[str] = mapped_column(String(64), default="")

    company: Mapped[Company] = relationship(back_populates="phone_numbers")

    @property
    def national(self) -> str:
        """The number as North Americans read it: (514) 555-0100."""
        return phone_numbers.national(self.e164)
