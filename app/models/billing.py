"""Billable events (G27): the portal records them; it takes no payment."""
import enum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.database import CreatedAtMixin, str_enum
from app.flask_extensions import db


class BillableKind(str, enum.Enum):
    SOFTPHONE_LICENCE = "softphone_licence"  # F15.4: once per softphone account added
    UC_DESKTOP = "uc_desktop"                # F15.4: monthly service, from the day it is turned on


class BillableEvent(CreatedAtMixin, db.Model):
    __tablename__ = "billable_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    kind: Mapped[BillableKind] = mapped_column(str_enum(BillableKind, length=32))
    # Kept as text: the bill must still say which extension after it is deleted.
    extension_number: Mapped[str] = mapped_column(String(6))
    detail: Mapped[str] = mapped_column(String(64), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
