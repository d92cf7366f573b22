"""Open, closed or exception at an instant (F6): the one rule that the number page's
"open now" badge, the call-path simulator and the inbound dial plan all call.

Weekly hours and exceptions are wall-clock minutes in the company's time zone. The
instant (aware, any zone) is turned into local time with zoneinfo, so a range means the
same hours on either side of a daylight-saving change: on the spring-forward Sunday the
skipped hour simply never comes, and on the fall-back Sunday the repeated hour is open
(or closed) both times. Exceptions are a month and day, no year (F6.5): 29 February
exists only in leap years, so it applies on 29 February only.
"""
import calendar
import enum
import functools
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload

from app.flask_extensions import db
from app.models.company import Company, PhoneNumber
from app.models.schedule import ClosedAction, ClosedRange, OpenAction, OpenRange, YearlyException

Range = tuple[int, int]  # minutes after local midnight, start included, end excluded
STEP = 15  # G4: ranges in 15-minute steps
DAY = 24 * 60
LEAP_YEAR = 2028  # any leap year: to check that a month and day exist at all


class State(str, enum.Enum):
    OPEN = "open"
    CLOSED = "closed"
    EXCEPTION = "exception"


@dataclass(frozen=True)
class DayException:
    """The exception of one date, as the rule needs it."""

    id: int
    all_day: bool
    ranges: tuple[Range, ...]
    holiday: str | None = None

    def closes(self, minute: int) -> bool:
        return self.all_day or any(start <= minute < end for start, end in self.ranges)


@dataclass(frozen=True)
class Status:
    state: State
    local: datetime  # the instant in the company's time zone
    exception: DayException | None = None

    @property
    def is_open(self) -> bool:
        return self.state is State.OPEN


def local_time(time_zone: str, instant: datetime) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("a naive datetime has no instant")
    return instant.astimezone(ZoneInfo(time_zone))


def decide(hours_on: bool, today: tuple[Range, ...], exception: DayException | None, local: datetime) -> Status:
    """`today`: the open ranges of local's weekday; `exception`: the one of local's date."""
    minute = local.hour * 60 + local.minute
    if exception is not None and exception.closes(minute):
        return Status(State.EXCEPTION, local, exception)
    if not hours_on or any(start <= minute < end for start, end in today):
        return Status(State.OPEN, local)
    return Status(State.CLOSED, local)


# Loading: two bounded queries (the open ranges; the exceptions with their closed
# ranges), for one number or for every number of a company, whatever the number of
# ranges and exceptions. The dial plan runs the one-number statements itself
# (app/xml_curl/dialplan.py keeps what they read while the company is unchanged).

@dataclass(frozen=True)
class Hours:
    """A number's weekly hours and yearly exceptions, as the rule reads them."""

    on: bool
    week: tuple[tuple[Range, ...], ...]  # weekday (0 = Monday) -> its open ranges, in order
    exceptions: Mapping[tuple[int, int], DayException]  # (month, day) -> its exception

    def status_at(self, time_zone: str, instant: datetime) -> Status:
        """Open, closed or exception at `instant`."""
        local = local_time(time_zone, instant)
        today = self.week[local.weekday()] if self.on else ()
        return decide(self.on, today, self.exceptions.get((local.month, local.day)), local)


def _of(column, by: str):
    """The rows of one number (:number_id) or of every number of a company (:company_id)."""
    if by == "number":
        return column == bindparam("number_id")
    return column.in_(select(PhoneNumber.id).where(PhoneNumber.company_id == bindparam("company_id")))


@functools.cache
def ranges_statement(by: str):
    # Statements are built once and bound per call (the dial plan runs them on calls).
    return select(OpenRange.number_id, OpenRange.weekday, OpenRange.start_minute,
                  OpenRange.end_minute).where(_of(OpenRange.number_id, by))


@functools.cache
def exceptions_statement(by: str):
    return (select(YearlyException.number_id, YearlyException.month, YearlyException.day, YearlyException.id,
                   YearlyException.all_day, YearlyException.holiday, ClosedRange.start_minute, ClosedRange.end_minute)
            .outerjoin(ClosedRange, ClosedRange.exception_id == YearlyException.id)
            .where(_of(YearlyException.number_id, by)))


def hours_from_rows(hours_on: dict[int, bool], range_rows, exception_rows) -> dict[int, Hours]:
    """Number id -> its Hours, from the rows of ranges_statement() and exceptions_statement()
    (rows of other numbers are left out)."""
    week: dict[int, list[list[Range]]] = {number_id: [[] for _ in range(7)] for number_id in hours_on}
    for number_id, weekday, start, end in range_rows:
        if number_id in week:
            week[number_id][weekday].append((start, end))
    found: dict[int, dict[tuple[int, int], tuple]] = {number_id: {} for number_id in hours_on}
    for number_id, month, day, exception_id, all_day, holiday, start, end in exception_rows:
        if number_id in found:
            *_, closed = found[number_id].setdefault((month, day), (exception_id, all_day, holiday, []))
            if start is not None:
                closed.append((start, end))
    return {number_id: Hours(on, tuple(tuple(sorted(ranges)) for ranges in week[number_id]),
                             {day: DayException(exception_id, all_day, tuple(sorted(closed)), holiday)
                              for day, (exception_id, all_day, holiday, closed) in found[number_id].items()})
            for number_id, on in hours_on.items()}


def _load(by: str, values: dict, hours_on: dict[int, bool]) -> dict[int, Hours]:
    connection = db.session.connection()
    return hours_from_rows(hours_on, connection.execute(ranges_statement(by), values),
                           connection.execute(exceptions_statement(by), values))


def hours(number: PhoneNumber) -> Hours:
    return _load("number", {"number_id": number.id}, {number.id: number.hours_on})[number.id]


def company_hours(company_id: int, numbers: list[PhoneNumber]) -> dict[int, Hours]:
    """The Hours of `numbers`, the company's, in two queries."""
    return _load("company", {"company_id": company_id}, {number.id: number.hours_on for number in numbers})


def status_at(number: PhoneNumber, time_zone: str, instant: datetime) -> Status:
    """Open, closed or exception for a call to `number` at `instant`."""
    return hours(number).status_at(time_zone, instant)


# The portal's view and edits ---------------------------------------------------------------

def week(number: PhoneNumber) -> dict[int, list[Range]]:
    """Weekday (0 = Monday) -> its open ranges, in order; a closed day is empty."""
    days: dict[int, list[Range]] = {d: [] for d in range(7)}
    for row in db.session.execute(select(OpenRange).where(OpenRange.number_id == number.id)
                                  .order_by(OpenRange.weekday, OpenRange.start_minute)).scalars():
        days[row.weekday].append((row.start_minute, row.end_minute))
    return days


def exceptions(number: PhoneNumber) -> list[YearlyException]:
    """The number's exceptions, in calendar order."""
    return db.session.execute(select(YearlyException).where(YearlyException.number_id == number.id)
                              .options(selectinload(YearlyException.ranges))
                              .order_by(YearlyException.month, YearlyException.day)).scalars().all()


def get_exception(number: PhoneNumber, exception_id: int) -> YearlyException | None:
    return db.session.execute(select(YearlyException).where(
        YearlyException.number_id == number.id, YearlyException.id == exception_id)).scalar_one_or_none()


def ranges_problem(ranges: list[Range]) -> str | None:
    """Why these ranges cannot be saved: "step", "inverted", "overlap"; None when fine."""
    for start, end in ranges:
        if start % STEP or end % STEP or not 0 <= start <= DAY or not 0 <= end <= DAY:
            return "step"
        if start >= end:
            return "inverted"
    ordered = sorted(ranges)
    if any(later[0] < earlier[1] for earlier, later in zip(ordered, ordered[1:])):
        return "overlap"
    return None


def date_exists(month: int, day: int) -> bool:
    """In some year: 29 February does (leap years), 30 February never."""
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(LEAP_YEAR, month)[1]


def set_week(number: PhoneNumber, hours_on: bool, days: dict[int, list[Range]]) -> None:
    """Replace the weekly hours; the caller checked each day with ranges_problem()."""
    number.hours_on = hours_on
    db.session.execute(OpenRange.__table__.delete().where(OpenRange.number_id == number.id))
    for weekday, ranges in days.items():
        for start, end in sorted(ranges):
            db.session.add(OpenRange(company_id=number.company_id, number_id=number.id, weekday=weekday,
                                     start_minute=start, end_minute=end))
    db.session.flush()


def taken_dates(number: PhoneNumber) -> set[tuple[int, int]]:
    rows = db.session.execute(select(YearlyException.month, YearlyException.day)
                              .where(YearlyException.number_id == number.id))
    return {(month, day) for month, day in rows}


def add_exceptions(number: PhoneNumber, dates: list[tuple[int, int]], closed: list[Range], *,
                   holiday: str | None = None, region: str | None = None, year: int | None = None,
                   movable: bool = False) -> list[YearlyException]:
    """One exception per (month, day); `closed` empty = closed all day. The caller checked
    the dates exist and are free, and the ranges."""
    added = []
    for month, day in dates:
        exception = YearlyException(company_id=number.company_id, number_id=number.id, month=month, day=day,
                                    all_day=not closed, holiday=holiday, holiday_region=region,
                                    holiday_year=year, movable=movable)
        exception.ranges = [ClosedRange(company_id=number.company_id, start_minute=s, end_minute=e)
                            for s, e in sorted(closed)]
        db.session.add(exception)
        added.append(exception)
    db.session.flush()
    return added


def remove_exception(exception: YearlyException) -> None:
    db.session.delete(exception)
    db.session.flush()


# Ranges as people type them: "9:00-12:00, 13:00-17:00" or "9 h-12 h" (24-hour clock; "24:00" ends a day).
_TIME = r"([0-9]{1,2})\s*(?:[:h]\s*([0-9]{2})?)?"  # 9, 9:30, 9h30, 9 h 30 (as written in Quebec)
_RANGE = re.compile(rf"^\s*{_TIME}\s*[-–à]\s*{_TIME}\s*$")


def parse_ranges(text: str) -> tuple[list[Range], str | None]:
    """(ranges, None), or ([], why: "format", "step", "inverted", "overlap"). Empty text = no range."""
    ranges = []
    for part in filter(str.strip, (text or "").split(",")):
        match = _RANGE.match(part)
        if not match:
            return [], "format"
        sh, sm, eh, em = (int(g) if g else 0 for g in match.groups())
        if sm >= 60 or em >= 60 or sh > 24 or eh > 24:
            return [], "format"
        ranges.append((sh * 60 + sm, eh * 60 + em))
    problem = ranges_problem(ranges)
    return (sorted(ranges), None) if problem is None else ([], problem)


def clock(minute: int) -> str:
    return f"{minute // 60}:{minute % 60:02d}"


def format_ranges(ranges) -> str:
    return ", ".join(f"{clock(start)}-{clock(end)}" for start, end in ranges)


# Destinations (G3) and the exception-message password (F6.7) -------------------------------

PASSWORD_DIGITS = 6


def set_destinations(number: PhoneNumber, open_action: OpenAction, open_extension: str | None,
                     operator_extension: str | None, closed_action: ClosedAction, closed_box: str | None) -> None:
    """The caller checked that the extensions and the box are the company's."""
    number.open_action, number.open_extension = open_action, open_extension or None
    number.operator_extension = operator_extension or None
    number.closed_action, number.closed_box = closed_action, closed_box or None
    db.session.flush()


def reset_exception_password(company: Company) -> str:
    """A new random PIN for the exception-message code; the old one stops working at once."""
    company.exception_password = "".join(secrets.choice("0123456789") for _ in range(PASSWORD_DIGITS))
    db.session.flush()
    return company.exception_password


def parse_days(number: PhoneNumber, texts: list[str]) -> tuple[list[tuple[int, int]], str | None, list[str]]:
    """The calendar's picked days ("MM-DD") as (month, day): ([...], None, []), or
    ([], "none" | "invalid" | "taken", the offending texts)."""
    dates, invalid = [], []
    for text in dict.fromkeys(t.strip() for t in texts):
        match = re.fullmatch(r"([0-9]{2})-([0-9]{2})", text)
        month, day = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
        if not date_exists(month, day):
            invalid.append(text)
        else:
            dates.append((month, day))
    if invalid:
        return [], "invalid", invalid
    if not dates:
        return [], "none", []
    taken = taken_dates(number)
    clashes = [f"{m:02d}-{d:02d}" for m, d in dates if (m, d) in taken]
    if clashes:
        return [], "taken", clashes
    return sorted(dates), None, []


def calendar_months() -> list[tuple[int, list[int]]]:
    """(month, its days) for a calendar with no year: February has its 29th."""
    return [(month, list(range(1, calendar.monthrange(LEAP_YEAR, month)[1] + 1))) for month in range(1, 13)]
