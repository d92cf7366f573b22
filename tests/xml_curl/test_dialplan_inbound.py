"""Carrier calls to a company number (context `public`): restriction rules, exception,
weekly hours, destination (F6, F10, F2.3), as FreeSWITCH would read the answer."""
import re
from datetime import datetime, timezone

import pytest

from app.flask_extensions import db
from app.models.schedule import ClosedAction, OpenAction, RestrictionKind, RestrictionMatch
from app.services import restrictions, schedules
from app.xml_curl import dialplan
from tests import factories
from tests.xml_curl.captures import DOMAIN, QueryCounter, ask, carrier_call, dial, inbound, is_not_found, plan, post
from tests.xml_curl.freeswitch_reader import check_answer

DID = "+15145550111"  # Alpha's number (tests/conftest.py)
FR = [("set", "default_language=fr"), ("set", "sound_prefix=$${sounds_dir}/fr/ca/june")]
BARRED = [("hangup", "INCOMING_CALL_BARRED")]
MESSAGE = f"$${{storage_dir}}/exception-messages/{DOMAIN}.wav"
MONDAY_10AM = datetime(2026, 3, 9, 14, 0, tzinfo=timezone.utc)   # 10:00 EDT
MONDAY_8PM = datetime(2026, 3, 10, 0, 0, tzinfo=timezone.utc)    # 20:00 EDT on Monday 9 March
CLOSED_DEFAULT = ("playback", "ivr/ivr-thank_you_for_calling.wav")


@pytest.fixture
def number(tenants, monkeypatch):
    """Alpha's number: weekdays 9-17, open -> extension 101, closed -> box 102; it is Monday 10:00."""
    factories.make_extension(tenants["a"], "101")
    factories.make_extension(tenants["a"], "102")
    number = tenants["a_number"]
    schedules.set_week(number, True, {d: [(540, 1020)] for d in range(5)})
    number.open_action, number.open_extension = OpenAction.EXTENSION, "101"
    number.closed_action, number.closed_box = ClosedAction.VOICEMAIL, "102"
    db.session.commit()
    monkeypatch.setattr(dialplan, "now", lambda: MONDAY_10AM)
    return number


def at(monkeypatch, instant):
    monkeypatch.setattr(dialplan, "now", lambda: instant)


def rule(tenants, kind, match, digits):
    restrictions.add_rule(tenants["a"].id, kind, match, digits)
    db.session.commit()


@pytest.mark.parametrize("did", ["+15145550111", "15145550111", "5145550111"])
def test_an_open_number_sends_the_call_to_its_extension_in_the_company_context(client, number, did):
    found = inbound(client, did)
    assert found.context == "public"  # mod_dialplan_xml looks the answer up by the hunted context
    assert found.name == "inbound-open"
    assert found.actions == FR + [("transfer", f"101 XML {DOMAIN}")]


def test_the_answer_is_what_freeswitch_reads_only_as_meant(client, number, monkeypatch):
    for instant in (MONDAY_10AM, MONDAY_8PM):
        at(monkeypatch, instant)
        check_answer(post(client, carrier_call(DID)))
    schedules.add_exceptions(number, [(3, 9)], [])
    db.session.commit()
    check_answer(post(client, carrier_call(DID)))


def test_a_closed_number_plays_the_closed_greeting_then_the_voicemail_box(client, number, monkeypatch):
    at(monkeypatch, MONDAY_8PM)
    found = inbound(client, DID)
    assert found.name == "inbound-closed" and found.field is None
    assert found.actions == FR + [("answer", None), CLOSED_DEFAULT, ("transfer", f"*99102 XML {DOMAIN}")]


def test_closed_with_hang_up_ends_the_call_after_the_closed_greeting(client, number, monkeypatch):
    number.closed_action = ClosedAction.HANGUP
    number.closed_greeting_file = "closed-3f2a.wav"
    db.session.commit()
    at(monkeypatch, MONDAY_8PM)
    assert inbound(client, DID).actions == FR + [
        ("answer", None), ("playback", "$${storage_dir}/greetings/closed-3f2a.wav"), ("hangup", "NORMAL_CLEARING")]


def test_during_an_exception_the_exception_message_plays_first_when_it_exists(client, number):
    schedules.add_exceptions(number, [(3, 9)], [])  # Monday 9 March, all day
    db.session.commit()
    found = inbound(client, DID)
    assert found.name == "inbound-exception"
    # Whether a message was recorded is FreeSWITCH's to say (mod_commands file_exists).
    assert (found.field, found.expression) == ("${file_exists(" + MESSAGE + ")}", "^true$")
    closed = [CLOSED_DEFAULT, ("transfer", f"*99102 XML {DOMAIN}")]
    assert found.actions == FR + [("answer", None), ("playback", MESSAGE)] + closed
    assert found.otherwise == FR + [("answer", None)] + closed


def test_a_partial_exception_only_applies_during_its_ranges(client, number, monkeypatch):
    schedules.add_exceptions(number, [(3, 9)], [(12 * 60, 13 * 60)])
    db.session.commit()
    assert inbound(client, DID).name == "inbound-open"  # 10:00
    at(monkeypatch, datetime(2026, 3, 9, 16, 30, tzinfo=timezone.utc))  # 12:30 EDT
    assert inbound(client, DID).name == "inbound-exception"


def test_a_blocked_caller_is_rejected_without_voicemail(client, number, tenants):
    rule(tenants, RestrictionKind.BLOCK, RestrictionMatch.EQUALS, "5149073400")
    for presented in ("5149073400", "+15149073400", "15149073400"):
        found = inbound(client, DID, caller=presented)
        assert (found.name, found.actions) == ("inbound-barred", BARRED), presented
    assert inbound(client, DID, caller="5149073401").name == "inbound-open"


def test_when_an_allow_rule_exists_only_matching_callers_get_through(client, number, tenants):
    rule(tenants, RestrictionKind.ALLOW, RestrictionMatch.STARTS_WITH, "514")
    assert inbound(client, DID, caller="+15149073400").name == "inbound-open"
    assert inbound(client, DID, caller="4185550000").actions == BARRED


def test_block_beats_allow(client, number, tenants):
    rule(tenants, RestrictionKind.ALLOW, RestrictionMatch.STARTS_WITH, "514")
    rule(tenants, RestrictionKind.BLOCK, RestrictionMatch.ENDS_WITH, "3400")
    assert inbound(client, DID, caller="5149073400").actions == BARRED


@pytest.mark.parametrize("presented, hidden", [("anonymous", False), ("Anonymous", False), ("", False),
                                               ("private", False), ("5149073400", True), ("unknown", False)])
def test_withheld_or_anonymous_callers_are_never_filtered(client, number, tenants, presented, hidden):
    rule(tenants, RestrictionKind.ALLOW, RestrictionMatch.EQUALS, "5145550000")
    rule(tenants, RestrictionKind.BLOCK, RestrictionMatch.CONTAINS, "3400")
    assert inbound(client, DID, caller=presented, hidden=hidden).name == "inbound-open"


def test_another_companys_rules_do_not_apply(client, number, tenants):
    restrictions.add_rule(tenants["b"].id, RestrictionKind.BLOCK, RestrictionMatch.EQUALS, "5149073400")
    db.session.commit()
    assert inbound(client, DID, caller="5149073400").name == "inbound-open"


def test_the_greeting_collects_an_extension_8500_or_0_and_transfers_into_the_company(client, number):
    number.open_action, number.operator_extension = OpenAction.GREETING, "101"
    db.session.commit()
    found = inbound(client, DID)
    assert found.actions[:3] == FR + [("answer", None)]
    application, data = found.actions[3]
    assert application == "play_and_get_digits"
    (minimum, maximum, tries, timeout, terminators, prompt, invalid, variable, regex, digit_timeout,
     *failure) = data.split(" ")
    assert (minimum, maximum, tries, variable, failure) == ("1", "6", "3", "greeting_choice", ["101", "XML", DOMAIN])
    assert prompt == "ivr/ivr-please_enter_extension_followed_by_pound.wav"
    pattern = re.compile(regex)
    assert [d for d in ("0", "8500", "101", "102", "123456") if pattern.match(d)] == ["0", "8500", "101", "102",
                                                                                     "123456"]
    # Never the trunk or another caller's parked call for an outside caller.
    assert [d for d in ("8", "85", "911", "311", "700", "701", "1234567", "00") if pattern.match(d)] == []
    assert found.actions[4] == ("transfer", "${cond(${greeting_choice} == 0 ? 101 : ${greeting_choice})} XML "
                                + DOMAIN)


def test_without_an_operator_0_is_not_offered_and_three_misses_end_the_call(client, number):
    number.open_action = OpenAction.GREETING
    db.session.commit()
    found = inbound(client, DID)
    data = found.actions[3][1].split(" ")
    assert not re.match(data[8], "0") and data[10:] == ["wrong-entry", "XML", DOMAIN]
    assert found.actions[4] == ("transfer", f"${{greeting_choice}} XML {DOMAIN}")


def test_8500_from_the_greeting_asks_for_the_box_then_its_password(client, number):
    # The greeting transfers the carrier's channel into the company context: no SIP account.
    # The 8500 menu asks for one of the company's boxes, then *98<box> asks its password.
    actions = plan(client, "8500", caller=None).actions
    assert actions[0] == ("answer", None) and actions[1][0] == "play_and_get_digits"
    assert actions[1][1].endswith("switchboard_vm_box ^(101|102)$ 3000")
    assert actions[-1] == ("transfer", f"*98${{switchboard_vm_box}} XML {DOMAIN}")


def test_a_number_that_is_no_ones_is_not_found(client, number):
    for did in ("+15145550999", "not-a-number", "0", "+1514555011100"):
        assert is_not_found(ask(client, carrier_call(did)))


def test_the_inbound_answer_runs_four_queries_whatever_the_rules_and_exceptions(client, number, tenants):
    from app import readonly_db

    for n in range(100):
        restrictions.add_rule(tenants["a"].id, RestrictionKind.BLOCK, RestrictionMatch.EQUALS, f"418555{n:04d}")
    schedules.add_exceptions(number, [(1, d) for d in range(1, 32)] + [(2, d) for d in range(1, 20)], [])
    db.session.commit()
    with QueryCounter(readonly_db.engine()) as queries:
        assert inbound(client, DID).name == "inbound-open"
    assert len(queries) == 4, queries.statements
    with QueryCounter(readonly_db.engine()) as queries:  # the same number again: its company's stamp
        assert inbound(client, DID, caller="4185550042").name == "inbound-barred"
    assert len(queries) == 1, queries.statements


def test_the_exception_message_code_asks_the_password_then_records_with_silence_detection(client, number, tenants):
    tenants["a"].exception_password = "4321"
    db.session.commit()
    found = plan(client, "*56")
    base = MESSAGE.removesuffix(".wav")
    assert found.name == "exception-message-record"
    assert found.actions[2] == ("play_and_get_digits",
                                "4 4 3 5000 # ivr/ivr-please_enter_pin_followed_by_pound.wav "
                                "ivr/ivr-that_was_an_invalid_entry.wav exception_password ^4321$ 3000 "
                                f"wrong-entry XML {DOMAIN}")
    assert found.actions[4] == ("record", f"{base}.new.wav 120 200 3")
    # Under 1 s of sound (the length less the 3 s of closing silence) turns the message off:
    # the old one is moved away, the new one replaces it only when long enough.
    assert found.actions[5:8] == [
        ("set", "switchboard_min_sound_ms=${cond(${silence_hits_exhausted} == true ? 4000 : 1000)}"),
        ("rename", f"{MESSAGE} {base}.old.wav"),
        ("rename", f"{base}.new.wav ${{cond(${{record_ms}} >= ${{switchboard_min_sound_ms}} ? {MESSAGE} : "
                   f"{base}.discarded.wav)}}")]
    check_answer(post(client, dial("*56")))


def test_the_exception_message_code_is_refused_without_a_password_or_from_outside(client, number, tenants):
    assert plan(client, "*56").name == "exception-message-refused"
    tenants["a"].exception_password = "4321"
    db.session.commit()
    assert plan(client, "*56", caller=None).name == "exception-message-refused"
