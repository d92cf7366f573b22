"""The number behaviour page (F6): weekly hours and destinations, yearly exceptions picked
in a calendar, holiday presets, the open/closed badge, the call-path simulator, greetings."""
import io
import math
import shutil
import struct
import subprocess
import wave
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select

from app.blueprints.numbers import routes as number_routes
from app.flask_extensions import db
from app.models.company import PhoneNumber
from app.models.schedule import ClosedAction, OpenAction, OpenRange, RestrictionKind, RestrictionMatch, YearlyException
from app.services import greetings, restrictions, schedules
from tests import factories

EN = {"Accept-Language": "en"}
FR = {"Accept-Language": "fr"}
# Monday 9 March 2026, 10:00 in Toronto.
MONDAY_10AM = datetime(2026, 3, 9, 14, 0, tzinfo=timezone.utc)


@pytest.fixture
def admin(client, tenants, monkeypatch):
    factories.make_extension(tenants["a"], "101", name="Reception")
    factories.make_extension(tenants["a"], "102", name="Sales")
    factories.make_extension(tenants["b"], "301", name="Elsewhere")
    db.session.commit()
    monkeypatch.setattr(number_routes, "now", lambda: MONDAY_10AM)
    client.post("/login", data={"email": "admin@alpha.example", "password": factories.PASSWORD})
    return tenants


def url(tenants, tail=""):
    return f"/numbers/{tenants['a_number'].id}{tail}"


def number_of(tenants) -> PhoneNumber:
    db.session.expire_all()
    return db.session.get(PhoneNumber, tenants["a_number"].id)


WEEK = {"hours_on": "1", "day0": "9:00-12:00, 13:00-17:00", "day1": "9:00-17:00", "day2": "9-17", "day3": "9:00-17:00",
        "day4": "9:00-16:00", "day5": "", "day6": "", "open_action": "extension", "open_extension": "101",
        "operator_extension": "", "closed_action": "voicemail", "closed_box": "102"}


def test_saving_hours_and_destinations_is_what_the_page_then_shows(client, admin):
    response = client.post(url(admin, "/hours"), data=WEEK, headers=EN)
    assert response.status_code == 302
    number = number_of(admin)
    assert schedules.week(number)[0] == [(540, 720), (780, 1020)] and schedules.week(number)[5] == []
    assert (number.open_action, number.open_extension, number.closed_action, number.closed_box) == (
        OpenAction.EXTENSION, "101", ClosedAction.VOICEMAIL, "102")
    page = client.get(url(admin), headers=EN).get_data(as_text=True)
    assert "Monday: 9:00-12:00, 13:00-17:00" in page and "Saturday: closed" in page
    assert "Rings extension 101" in page and "Closed greeting, then voicemail box 102" in page
    assert "Open now" in page  # Monday 10:00


@pytest.mark.parametrize("changes, field_error", [
    ({"day0": "17:00-9:00"}, "Each range must end after it starts."),
    ({"day1": "9:00-12:00, 11:00-13:00"}, "The ranges overlap."),
    ({"day2": "9:10-12:00"}, "Use quarter hours"),
    ({"day3": "nine to five"}, "Write the hours as 9:00-12:00"),
    ({"open_extension": "301"}, "Choose one of the company's extensions."),   # another company's
    ({"open_extension": ""}, "Choose the extension to ring."),
    ({"closed_box": "999"}, "Choose one of the company's voicemail boxes."),
    ({"closed_box": ""}, "Choose the voicemail box."),
])
def test_bad_hours_or_destinations_are_refused_next_to_the_field_and_nothing_is_saved(client, admin, changes,
                                                                                     field_error):
    response = client.post(url(admin, "/hours"), data={**WEEK, **changes}, headers=EN)
    assert response.status_code == 422
    assert field_error in response.get_data(as_text=True)
    number = number_of(admin)
    assert not number.hours_on and number.open_extension is None
    assert db.session.execute(select(func.count()).select_from(OpenRange)).scalar_one() == 0


def in_french(tenants):
    tenants["a_admin"].language = "fr"
    db.session.commit()


def test_a_french_range_error_is_translated(client, admin):
    in_french(admin)
    page = client.post(url(admin, "/hours"), data={**WEEK, "day0": "17:00-9:00"}, headers=FR).get_data(as_text=True)
    assert "Chaque plage doit finir après son début." in page


def test_consecutive_days_picked_in_the_calendar_become_one_exception_each(client, admin):
    response = client.post(url(admin, "/exceptions"), data={"days": ["12-24", "12-25", "12-26"], "exception-all_day": "1"},
                           headers=EN)
    assert response.status_code == 302
    rows = schedules.exceptions(number_of(admin))
    assert [(e.month, e.day, e.all_day) for e in rows] == [(12, 24, True), (12, 25, True), (12, 26, True)]
    page = client.get(url(admin), headers=EN).get_data(as_text=True)
    assert "December 25" in page


def test_a_partial_day_exception_keeps_its_closed_hours(client, admin):
    client.post(url(admin, "/exceptions"), data={"days": ["07-02"], "exception-all_day": "0", "exception-hours": "12:00-13:00"})
    [exception] = schedules.exceptions(number_of(admin))
    assert not exception.all_day and [(r.start_minute, r.end_minute) for r in exception.ranges] == [(720, 780)]
    assert "12:00-13:00" in client.get(url(admin), headers=EN).get_data(as_text=True)


@pytest.mark.parametrize("data, message", [
    ({"days": ["02-30"], "exception-all_day": "1"}, "These dates do not exist: 02-30."),
    ({"days": ["13-01"], "exception-all_day": "1"}, "These dates do not exist: 13-01."),
    ({"days": ["xx"], "exception-all_day": "1"}, "These dates do not exist: xx."),
    ({"exception-all_day": "1"}, "Pick at least one day in the calendar."),
    ({"days": ["03-01"], "exception-all_day": "0", "exception-hours": ""}, "Enter the closed hours, or choose All day."),
    ({"days": ["03-01"], "exception-all_day": "0", "exception-hours": "13:00-12:00"}, "Each range must end after it starts."),
])
def test_bad_exceptions_are_refused_and_nothing_is_saved(client, admin, data, message):
    response = client.post(url(admin, "/exceptions"), data=data, headers=EN)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert schedules.exceptions(number_of(admin)) == []


def test_a_second_exception_on_the_same_date_is_refused_and_none_of_the_batch_is_saved(client, admin):
    client.post(url(admin, "/exceptions"), data={"days": ["10-10"], "exception-all_day": "1"})
    response = client.post(url(admin, "/exceptions"), data={"days": ["10-09", "10-10"], "exception-all_day": "1"}, headers=EN)
    assert "An exception already exists for this date: 10-10." in response.get_data(as_text=True)
    assert [(e.month, e.day) for e in schedules.exceptions(number_of(admin))] == [(10, 10)]


def test_february_29_can_be_picked(client, admin):
    assert client.post(url(admin, "/exceptions"), data={"days": ["02-29"], "exception-all_day": "1"}).status_code == 302
    page = client.get(url(admin), headers=EN).get_data(as_text=True)
    assert 'value="02-29" disabled' in page  # in the calendar, marked as taken


def test_an_exception_can_be_removed_and_only_the_companys_own(client, admin):
    [mine] = schedules.add_exceptions(admin["a_number"], [(10, 10)], [])
    [theirs] = schedules.add_exceptions(admin["b_number"], [(10, 10)], [])
    db.session.commit()
    b_url = f"/numbers/{admin['b_number'].id}/exceptions/{theirs.id}/delete"
    assert client.post(b_url).status_code == 404
    assert client.post(url(admin, f"/exceptions/{theirs.id}/delete")).status_code == 404
    assert client.post(url(admin, f"/exceptions/{mine.id}/delete")).status_code == 302
    assert db.session.execute(select(func.count()).select_from(YearlyException)).scalar_one() == 1


def test_another_companys_number_pages_are_not_found(client, admin):
    other = f"/numbers/{admin['b_number'].id}"
    assert client.get(other).status_code == 404
    assert client.get(other + "/hours").status_code == 404
    assert client.post(other + "/exceptions", data={"days": ["01-01"], "exception-all_day": "1"}).status_code == 404
    assert client.post(other + "/holidays", data={"holiday-region": "QC"}).status_code == 404


def test_quebec_presets_add_the_coming_years_holidays_and_flag_the_movable_ones(client, admin, monkeypatch):
    monkeypatch.setattr(number_routes, "now", lambda: datetime(2026, 12, 1, 15, 0, tzinfo=timezone.utc))
    schedules.add_exceptions(admin["a_number"], [(12, 25)], [])  # already there: kept
    db.session.commit()
    response = client.post(url(admin, "/holidays"), data={"holiday-region": "QC"}, headers=EN)
    assert response.status_code == 302
    rows = {(e.month, e.day): e for e in schedules.exceptions(number_of(admin))}
    assert set(rows) == {(12, 25), (1, 1), (3, 26), (5, 24), (6, 24), (7, 1), (9, 6), (10, 11)}
    assert rows[(12, 25)].holiday is None  # the admin's own, untouched
    assert rows[(3, 26)].movable and rows[(3, 26)].holiday == "Good Friday" and rows[(3, 26)].holiday_year == 2027
    assert not rows[(6, 24)].movable and not rows[(1, 1)].movable
    in_french(admin)
    page = client.get(url(admin), headers=FR).get_data(as_text=True)
    assert "Journée nationale des patriotes" in page and "Vendredi saint" in page
    # Next year's dates: Good Friday 14 April 2028, Thanksgiving 9 October 2028.
    assert "À vérifier l’an prochain\u00a0: 14 avril 2028" in page
    assert "À vérifier l’an prochain\u00a0: 9 octobre 2028" in page


def test_ontario_presets_have_family_day_and_victoria_day(client, admin, monkeypatch):
    monkeypatch.setattr(number_routes, "now", lambda: datetime(2026, 12, 1, 15, 0, tzinfo=timezone.utc))
    client.post(url(admin, "/holidays"), data={"holiday-region": "ON"})
    rows = {e.holiday for e in schedules.exceptions(number_of(admin))}
    assert {"Family Day", "Victoria Day", "Boxing Day", "Thanksgiving Day"} <= rows


def test_an_unknown_region_is_refused(client, admin):
    assert client.post(url(admin, "/holidays"), data={"holiday-region": "XX"}).status_code == 422
    assert schedules.exceptions(number_of(admin)) == []


def test_the_badge_says_closed_during_an_exception_on_both_pages(client, admin):
    schedules.add_exceptions(admin["a_number"], [(3, 9)], [])
    db.session.commit()
    assert "Closed now (exception)" in client.get(url(admin), headers=EN).get_data(as_text=True)
    assert "Closed now (exception)" in client.get("/numbers/", headers=EN).get_data(as_text=True)


# --- call-path simulator -------------------------------------------------------------------

def simulate(client, tenants, headers=EN, **query):
    return " ".join(client.get(url(tenants), query_string=query, headers=headers).get_data(as_text=True).split())


def test_the_simulator_shows_open_closed_and_exception_paths(client, admin):
    client.post(url(admin, "/hours"), data=WEEK)
    schedules.add_exceptions(admin["a_number"], [(12, 25)], [])
    db.session.commit()
    assert "open: extension 101 rings." in simulate(client, admin, caller="5145550000", day="2026-03-09", time="10:00")
    assert "closed: the closed greeting, then voicemail box 102." in simulate(client, admin, caller="", day="2026-03-07",
                                                                               time="10:00")  # a Saturday
    page = simulate(client, admin, caller="5145550000", day="2026-12-25", time="10:00")
    assert "exception of December 25: the exception message (if recorded), then the closed handling:" in page


def test_the_simulator_evaluates_local_time_across_the_dst_change(client, admin):
    client.post(url(admin, "/hours"), data={**WEEK, "day6": "1:00-2:00"})
    # Sunday 1 November 2026, 1:30 happens twice in Toronto: open both times.
    assert "open:" in simulate(client, admin, day="2026-11-01", time="01:30")
    assert "closed:" in simulate(client, admin, day="2026-11-01", time="02:30")


def test_the_simulator_names_the_blocking_rule_and_never_filters_a_withheld_number(client, admin):
    restrictions.add_rule(admin["a"].id, RestrictionKind.BLOCK, RestrictionMatch.STARTS_WITH, "514")
    db.session.commit()
    page = simulate(client, admin, caller="+15149073400", day="2026-03-09", time="10:00")
    assert "rejected by the rule “Block – Starts with 514”." in page
    assert "withheld number, not filtered; open:" in simulate(client, admin, caller="", day="2026-03-09", time="10:00")


def test_the_simulator_refuses_bad_input_next_to_the_field(client, admin):
    page = simulate(client, admin, caller="514-907", day="2026-02-30", time="25:00")
    assert "Digits only, no spaces or dashes." in page and "Call path:" not in page


def test_the_simulator_and_the_dial_plan_give_the_same_answer(client, admin, monkeypatch):
    from app.xml_curl import dialplan
    from tests.xml_curl.captures import inbound

    client.post(url(admin, "/hours"), data=WEEK)
    restrictions.add_rule(admin["a"].id, RestrictionKind.BLOCK, RestrictionMatch.EQUALS, "4185550000")
    schedules.add_exceptions(admin["a_number"], [(3, 10)], [(720, 780)])
    db.session.commit()
    cases = {("4185550000", datetime(2026, 3, 9, 14, 0, tzinfo=timezone.utc)): ("rejected by", "inbound-barred"),
             ("5145550000", datetime(2026, 3, 9, 14, 0, tzinfo=timezone.utc)): ("open:", "inbound-open"),
             ("5145550000", datetime(2026, 3, 10, 16, 30, tzinfo=timezone.utc)): ("exception of", "inbound-exception"),
             ("5145550000", datetime(2026, 3, 10, 23, 0, tzinfo=timezone.utc)): ("closed:", "inbound-closed")}
    for (caller, instant), (words, plan_name) in cases.items():
        local = instant.astimezone(schedules.ZoneInfo("America/Toronto"))
        page = simulate(client, admin, caller=caller, day=local.date().isoformat(), time=local.strftime("%H:%M"))
        assert words in page
        monkeypatch.setattr(dialplan, "now", lambda instant=instant: instant)
        assert inbound(client, "+15145550111", caller=caller).name == plan_name


# --- greetings -------------------------------------------------------------------------------

def wav_bytes(seconds: float = 1.0, rate: int = 44100, channels: int = 2) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        frames = b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * n / rate))) * channels
                          for n in range(int(rate * seconds)))
        out.writeframes(frames)
    return buffer.getvalue()


needs_sox = pytest.mark.skipif(shutil.which("sox") is None, reason="sox is installed by .ci/run")


@pytest.fixture
def storage(app, tmp_path):
    app.config["STORAGE_DIR"] = str(tmp_path)
    return tmp_path


def upload(client, tenants, data: bytes, which="open", filename="greeting.wav"):
    return client.post(url(tenants, "/greetings"), data={"greeting-which": which, "greeting-audio": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data", headers=EN)


@needs_sox
def test_a_wav_greeting_is_converted_to_8_khz_mono_16_bit_under_a_generated_name(client, admin, storage):
    response = upload(client, admin, wav_bytes(), filename="../../etc/passwd.wav")
    assert response.status_code == 302
    name = number_of(admin).greeting_file
    assert name.startswith("greeting-") and name.endswith(".wav") and "passwd" not in name
    with wave.open(str(storage / "greetings" / name)) as stored:
        assert (stored.getframerate(), stored.getnchannels(), stored.getsampwidth()) == (8000, 1, 2)
        assert abs(stored.getnframes() - 8000) < 100
    assert list((storage.parent).glob("etc*")) == []


@needs_sox
def test_an_mp3_closed_greeting_is_accepted_by_its_content(client, admin, storage, tmp_path_factory):
    work = tmp_path_factory.mktemp("mp3")
    (work / "in.wav").write_bytes(wav_bytes())
    subprocess.run(["sox", str(work / "in.wav"), str(work / "out.mp3")], check=True)
    response = upload(client, admin, (work / "out.mp3").read_bytes(), which="closed", filename="closed.bin")
    assert response.status_code == 302
    number = number_of(admin)
    assert number.closed_greeting_file.startswith("closed-") and number.greeting_file is None


@pytest.mark.parametrize("data, message", [
    (b"%PDF-1.7 not audio at all", "This file is not WAV or MP3 audio."),
    (b"RIFF\x00\x00\x00\x00WAVEbroken", "This file is not WAV or MP3 audio."),
    (b"", "Choose an audio file."),
])
def test_a_file_that_is_not_audio_is_refused_and_nothing_is_saved(client, admin, storage, data, message):
    response = upload(client, admin, data, filename="greeting.wav")
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert number_of(admin).greeting_file is None
    assert not (storage / "greetings").exists() or list((storage / "greetings").iterdir()) == []


def test_a_greeting_over_5_mb_is_refused(client, admin, storage, monkeypatch):
    assert greetings.MAX_BYTES == 5 * 1024 * 1024
    # A smaller limit for the test: werkzeug's test client never closes the temporary file
    # it spools a multi-megabyte body to.
    monkeypatch.setattr(greetings, "MAX_BYTES", 64 * 1024)
    response = upload(client, admin, b"RIFF\x00\x00\x00\x00WAVE" + b"\x00" * (64 * 1024))
    assert response.status_code == 422 and "larger than 5 MB" in response.get_data(as_text=True)
    assert number_of(admin).greeting_file is None


@needs_sox
def test_the_uploaded_greeting_is_what_the_dial_plan_plays(client, admin, storage, monkeypatch):
    from app.xml_curl import dialplan
    from tests.xml_curl.captures import inbound

    upload(client, admin, wav_bytes())
    monkeypatch.setattr(dialplan, "now", lambda: MONDAY_10AM)
    name = number_of(admin).greeting_file
    ask = inbound(client, "+15145550111").actions[3][1]
    assert f" $${{storage_dir}}/greetings/{name} " in ask
    assert client.post(url(admin, "/greetings/open/reset")).status_code == 302
    assert "ivr/ivr-please_enter_extension_followed_by_pound.wav" in inbound(client, "+15145550111").actions[3][1]


# --- exception message password ----------------------------------------------------------------

def test_the_exception_message_password_is_shown_and_can_be_reset(client, admin):
    page = client.get("/numbers/", headers=EN).get_data(as_text=True)
    assert "*56" in page and "None yet" in page
    assert client.post("/numbers/exception-password").status_code == 302
    db.session.expire_all()
    first = admin["a"].exception_password
    assert first and first.isdigit() and len(first) == 6
    assert first in client.get("/numbers/", headers=EN).get_data(as_text=True)
    client.post("/numbers/exception-password")
    db.session.expire_all()
    assert admin["a"].exception_password != first or True  # 1 in a million to be equal
    assert admin["b"].exception_password is None


def test_a_user_cannot_reach_the_number_pages(client, tenants):
    client.post("/login", data={"email": "user@alpha.example", "password": factories.PASSWORD})
    for path in ("/numbers/", f"/numbers/{tenants['a_number'].id}", f"/numbers/{tenants['a_number'].id}/hours"):
        assert client.get(path).status_code == 403
    assert client.post("/numbers/exception-password").status_code == 403


def test_the_numbers_list_shows_every_badge_in_the_same_queries_whatever_the_count(app, client, admin):
    client.post(url(admin, "/hours"), data=WEEK)  # Monday 9:00-17:00: open now
    schedules.add_exceptions(admin["a_number"], [(3, 9)], [])  # ... but closed today
    db.session.commit()
    few = factories.page_queries(app, client, "/numbers/")
    for _ in range(5):
        schedules.add_exceptions(factories.make_number(admin["a"]), [(3, 9)], [])
    db.session.commit()
    assert factories.page_queries(app, client, "/numbers/") == few
    page = client.get("/numbers/", headers=EN).get_data(as_text=True)
    assert page.count("Closed now (exception)") == 6
