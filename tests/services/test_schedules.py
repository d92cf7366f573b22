"""Open, closed or exception at an instant (F6), on the database: weekly hours in the
company's time zone, right across both daylight-saving changes of America/Toronto,
yearly exceptions (no year; 29 February only on 29 February)."""
from datetime import datetime, timezone

import pytest

from app.flask_extensions import db
from app.services import schedules
from app.services.schedules import State

MON, SAT, SUN = 0, 5, 6
NINE_TO_FIVE = [(9 * 60, 17 * 60)]


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


@pytest.fixture
def number(tenants):
    """Alpha's number (America/Toronto), weekdays 9:00-17:00, Sunday 1:00-2:00 and 2:00-3:00."""
    number = tenants["a_number"]
    days = {d: list(NINE_TO_FIVE) for d in range(5)}
    days[SUN] = [(60, 120), (120, 180)]
    schedules.set_week(number, True, days)
    db.session.commit()
    return number


def state(number, instant, zone="America/Toronto"):
    return schedules.status_at(number, zone, instant).state


@pytest.mark.parametrize("instant, expected", [
    # Monday 9 March 2026, the day after clocks went forward: 9:00 EDT is 13:00 UTC.
    (utc(2026, 3, 9, 12, 59), State.CLOSED),   # 8:59 EDT (would be 7:59 EST)
    (utc(2026, 3, 9, 13, 0), State.OPEN),      # 9:00 EDT
    (utc(2026, 3, 9, 20, 59), State.OPEN),     # 16:59 EDT
    (utc(2026, 3, 9, 21, 0), State.CLOSED),    # 17:00 EDT
    # Friday 6 March 2026, still winter: 9:00 EST is 14:00 UTC.
    (utc(2026, 3, 6, 13, 30), State.CLOSED),
    (utc(2026, 3, 6, 14, 0), State.OPEN),
    # Monday 2 November 2026, the day after clocks went back: 9:00 EST is 14:00 UTC.
    (utc(2026, 11, 2, 13, 30), State.CLOSED),  # 8:30 EST (would be 9:30 EDT)
    (utc(2026, 11, 2, 14, 0), State.OPEN),
    (utc(2026, 11, 2, 21, 59), State.OPEN),    # 16:59 EST
    (utc(2026, 11, 2, 22, 0), State.CLOSED),
])
def test_weekly_hours_follow_the_wall_clock_on_both_sides_of_each_dst_change(number, instant, expected):
    assert state(number, instant) is expected


@pytest.mark.parametrize("instant, expected", [
    # Sunday 8 March 2026: 2:00 EST (7:00 UTC) becomes 3:00 EDT; 2:00-3:00 never happens.
    (utc(2026, 3, 8, 5, 30), State.CLOSED),    # 0:30 EST
    (utc(2026, 3, 8, 6, 30), State.OPEN),      # 1:30 EST
    (utc(2026, 3, 8, 6, 59), State.OPEN),      # 1:59 EST
    (utc(2026, 3, 8, 7, 0), State.CLOSED),     # 3:00 EDT: the 2:00-3:00 range was skipped
    # Sunday 1 November 2026: 2:00 EDT (6:00 UTC) becomes 1:00 EST; 1:00-2:00 happens twice.
    (utc(2026, 11, 1, 4, 59), State.CLOSED),   # 0:59 EDT
    (utc(2026, 11, 1, 5, 30), State.OPEN),     # 1:30 EDT
    (utc(2026, 11, 1, 6, 30), State.OPEN),     # 1:30 EST, the second time
    (utc(2026, 11, 1, 7, 30), State.OPEN),     # 2:30 EST
    (utc(2026, 11, 1, 8, 0), State.CLOSED),    # 3:00 EST
])
def test_ranges_inside_the_changing_night_are_open_by_local_time(number, instant, expected):
    assert state(number, instant) is expected


def test_the_company_time_zone_decides(number):
    # 12:00 UTC on a Monday: 8:00 in Toronto (closed), 13:00 in Paris (open).
    assert state(number, utc(2026, 6, 1, 12, 0)) is State.CLOSED
    assert state(number, utc(2026, 6, 1, 12, 0), "Europe/Paris") is State.OPEN


def test_without_weekly_hours_a_number_is_open_at_all_hours(tenants):
    number = tenants["a_number"]
    assert state(number, utc(2026, 6, 7, 3, 0)) is State.OPEN  # a Sunday night
    schedules.set_week(number, True, {d: [] for d in range(7)})
    db.session.commit()
    assert state(number, utc(2026, 6, 1, 16, 0)) is State.CLOSED  # closed all week


def test_an_all_day_exception_applies_on_its_local_date_every_year(number):
    schedules.add_exceptions(number, [(12, 25)], [])
    db.session.commit()
    for year in (2026, 2027, 2030):
        assert state(number, utc(year, 12, 25, 15, 0)) is State.EXCEPTION
    # 25 December 19:30 in Toronto is already the 26th in UTC: still the exception.
    assert state(number, utc(2026, 12, 26, 0, 30)) is State.EXCEPTION
    # 26 December 00:30 in Toronto is 05:30 UTC: the exception is over (and it is closed).
    assert state(number, utc(2026, 12, 26, 5, 30)) is State.CLOSED
    assert state(number, utc(2026, 12, 24, 15, 0)) is State.OPEN  # a Thursday


def test_a_partial_exception_closes_its_ranges_and_the_rest_follows_the_week(number):
    # Tuesday 10 March 2026: closed 12:00-14:00 by exception, open 9:00-17:00 otherwise.
    schedules.add_exceptions(number, [(3, 10)], [(12 * 60, 14 * 60)])
    db.session.commit()
    assert state(number, utc(2026, 3, 10, 15, 0)) is State.OPEN        # 11:00 EDT
    assert state(number, utc(2026, 3, 10, 16, 0)) is State.EXCEPTION   # 12:00 EDT
    assert state(number, utc(2026, 3, 10, 17, 59)) is State.EXCEPTION  # 13:59 EDT
    assert state(number, utc(2026, 3, 10, 18, 0)) is State.OPEN        # 14:00 EDT
    assert state(number, utc(2026, 3, 10, 23, 0)) is State.CLOSED      # 19:00 EDT


def test_an_exception_on_february_29_applies_on_february_29_only(number):
    schedules.add_exceptions(number, [(2, 29)], [])
    db.session.commit()
    assert state(number, utc(2028, 2, 29, 15, 0)) is State.EXCEPTION
    assert state(number, utc(2027, 2, 28, 15, 0)) is State.CLOSED   # a Sunday, not the exception
    assert state(number, utc(2027, 3, 1, 15, 0)) is State.OPEN      # a Monday, not the exception
    assert state(number, utc(2028, 2, 28, 15, 0)) is State.OPEN


def test_another_numbers_exception_does_not_apply(number, tenants):
    other = tenants["b_number"]
    schedules.add_exceptions(other, [(3, 9)], [])
    db.session.commit()
    assert state(number, utc(2026, 3, 9, 15, 0)) is State.OPEN


@pytest.mark.parametrize("ranges, problem", [
    ([(540, 1020)], None),
    ([(540, 720), (780, 1020)], None),
    ([(1020, 540)], "inverted"),
    ([(540, 540)], "inverted"),
    ([(540, 720), (705, 1020)], "overlap"),
    ([(545, 720)], "step"),
    ([(0, 1440)], None),
])
def test_ranges_must_be_ordered_in_quarter_hours_and_not_overlap(ranges, problem):
    assert schedules.ranges_problem(ranges) == problem


@pytest.mark.parametrize("month, day, exists", [(2, 29, True), (2, 30, False), (4, 31, False), (12, 31, True),
                                                (13, 1, False), (0, 1, False)])
def test_a_yearly_date_must_exist_in_some_year(month, day, exists):
    assert schedules.date_exists(month, day) is exists


def test_a_naive_instant_is_refused(number):
    with pytest.raises(ValueError):
        schedules.status_at(number, "America/Toronto", datetime(2026, 3, 9, 9, 0))
