"""What a company number does with a call (F6, G3) and who may call at all (F10).

Times are minutes after local midnight in the company's time zone: a wall-clock
range means the same hours in winter and in summer, whatever the UTC offset.
"""
import enum

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import CreatedAtMixin, str_enum
from app.flask_extensions import db


class OpenAction(str, enum.Enum):
    GREETING = "greeting"    # the company greeting: the caller dials an extension, 8500 or 0
    EXTENSION = "extension"  # ring one extension, with its own call handling


class ClosedAction(str, enum.Enum):
    HANGUP = "hangup"        # the closed greeting, then the call ends
    VOICEMAIL = "voicemail"  # the closed greeting, then a voicemail box


class RestrictionKind(str, enum.Enum):
    BLOCK = "block"
    ALLOW = "allow"


class RestrictionMatch(str, enum.Enum):
    EQUALS = "equals"
    STARTS_WITH = "starts_with"
    ENDS_WITH = "ends_with"
    CONTAINS = "contains"


class OpenRange(db.Model):
    """One open range of one weekday (0 = Monday) of a number's weekly hours."""

    __tablename__ = "number_open_ranges"
    __table_args__ = (CheckConstraint("start_minute >= 0 AND start_minute < end_minute AND end_minute <= 1440",
                                      name="ordered"),
                      CheckConstraint("weekday >= 0 AND weekday <= 6", name="weekday"))

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    number_id: Mapped[int] = mapped_column(ForeignKey("phone_numbers.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    start_minute: Mapped[int] = mapped_column(Integer)
    end_minute: Mapped[int] = mapped_column(Integer)


class YearlyException(CreatedAtMixin, db.Model):
    """A month and day (no year: it recurs every year, F6.5) closed all day or during
    its ranges; outside them the weekly hours apply (G4). `holiday` names the statutory
    holiday a preset added (its name in the `holidays` package), `holiday_year` the year
    the date was computed for; `movable` ones fall on another date next year."""

    __tablename__ = "number_exceptions"
    __table_args__ = (UniqueConstraint("number_id", "month", "day"),
                      CheckConstraint("month >= 1 AND month <= 12 AND day >= 1 AND day <= 31", name="date"))

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    number_id: Mapped[int] = mapped_column(ForeignKey("phone_numbers.id", ondelete="CASCADE"), index=True)
    month: Mapped[int] = mapped_column(Integer)
    day: Mapped[int] = mapped_column(Integer)
    all_day: Mapped[bool] = mapped_column(Boolean, default=True)
    holiday: Mapped[str | None] = mapped_column(String(80))
    holiday_region: Mapped[str | None] = mapped_column(String(2))
    holiday_year: Mapped[int | None] = mapped_column(Integer)
    movable: Mapped[bool] = mapped_column(Boolean, default=False)

    ranges: Mapped[list["ClosedRange"]] = relationship(
        back_populates="exception", order_by="ClosedRange.start_minute", cascade="all, delete-orphan",
        passive_deletes=True)


class ClosedRange(db.Model):
    """A closed range of a partial-day exception."""

    __tablename__ = "number_exception_ranges"
    __table_args__ = (CheckConstraint("start_minute >= 0 AND start_minute < end_minute AND end_minute <= 1440",
                                      name="ordered"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    exception_id: Mapped[int] = mapped_column(ForeignKey("number_exceptions.id", ondelete="CASCADE"), index=True)
    start_minute: Mapped[int] = mapped_column(Integer)
    end_minute: Mapped[int] = mapped_column(Integer)

    exception: Mapped[YearlyException] = relationship(back_populates="ranges")


class RestrictionRule(CreatedAtMixin, db.Model):
    """F10: block, or allow only, callers whose presented number matches `digits`."""

    __tablename__ = "call_restrictions"
    __table_args__ = (UniqueConstraint("company_id", "kind", "match", "digits"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    kind: Mapped[RestrictionKind] = mapped_column(str_enum(RestrictionKind))
    match: Mapped[RestrictionMatch] = mapped_column(str_enum(RestrictionMatch))
    digits: Mapped[str] = mapped_column(String(15))
