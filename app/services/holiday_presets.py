"""One click adds a Canadian province's statutory holidays as yearly exceptions (issue 10).

The `holidays` package computes them, the movable ones included (Good Friday, Easter
Monday, Victoria Day / Journée nationale des patriotes, Labour Day, Thanksgiving...).
An exception has no year, so one that came from a movable holiday is right for one year
only: it is flagged, and the page shows the date the holiday falls on the year after.
"""
from dataclasses import dataclass
from datetime import date, timedelta

import holidays

from app.models.company import PhoneNumber
from app.models.schedule import YearlyException
from app.services import schedules

COUNTRY = "CA"
REGIONS = ("QC", "AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "SK", "YT")
LANGUAGES = {"fr": "fr", "en": "en_CA"}


@dataclass(frozen=True)
class Holiday:
    name: str          # in the package's default language (English): the stored key
    day: date
    next_day: date | None  # the same holiday the year after
    movable: bool


def _calendar(region: str, years, language: str | None = None):
    return holidays.country_holidays(COUNTRY, subdiv=region, years=years, observed=False, language=language)


def coming_year(region: str, today: date) -> list[Holiday]:
    """The region's statutory holidays from `today` to a year later, in date order."""
    dates = _calendar(region, range(today.year, today.year + 3))
    by_name: dict[str, list[date]] = {}
    for day, name in sorted(dates.items()):
        by_name.setdefault(name, []).append(day)
    found = []
    for name, days in by_name.items():
        upcoming = [d for d in days if today <= d < today + timedelta(days=366)]
        if not upcoming:
            continue
        day = upcoming[0]
        after = next((d for d in days if d.year == day.year + 1), None)
        found.append(Holiday(name, day, after, after is not None and (after.month, after.day) != (day.month, day.day)))
    return sorted(found, key=lambda h: h.day)


def add_region(number: PhoneNumber, region: str, today: date) -> tuple[list[YearlyException], list[Holiday]]:
    """(the exceptions added, the holidays skipped because their date already has one)."""
    taken = schedules.taken_dates(number)
    added, skipped = [], []
    for holiday in coming_year(region, today):
        key = (holiday.day.month, holiday.day.day)
        if key in taken:
            skipped.append(holiday)
            continue
        taken.add(key)
        added += schedules.add_exceptions(number, [key], [], holiday=holiday.name, region=region,
                                          year=holiday.day.year, movable=holiday.movable)
    return added, skipped


def localized_name(exception: YearlyException, locale: str) -> str:
    """The holiday's name in the reader's language (the package knows French and English)."""
    if not exception.holiday or not exception.holiday_region or not exception.holiday_year:
        return exception.holiday or ""
    day = date(exception.holiday_year, exception.month, exception.day)
    names = _calendar(exception.holiday_region, [exception.holiday_year], LANGUAGES.get(locale, "en_CA"))
    return names.get(day) or exception.holiday


def next_year_date(exception: YearlyException) -> date | None:
    """Where a movable holiday falls the year after the one it was added for."""
    if not exception.movable or not exception.holiday_region or not exception.holiday_year:
        return None
    year = exception.holiday_year + 1
    for day, name in _calendar(exception.holiday_region, [year]).items():
        if name == exception.holiday:
            return day
    return None
