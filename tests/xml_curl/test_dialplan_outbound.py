"""Calls through the trunk: classes, permissions, access codes, 911, caller ID, recording (G14, F11.15-F11.18)."""
import pytest

from app import readonly_db
from app.flask_extensions import db
from app.models.extension import TollMode
from app.services import outbound
from tests import factories
from tests.xml_curl.captures import DOMAIN, QueryCounter, counts, gateway, other_app, plan

OUTSIDE_ID = [("set", "effective_caller_id_name=Alpha inc."), ("set", "effective_caller_id_number=+15145550111")]
BARRED = [("playback", "ivr/ivr-call_cannot_be_completed_as_dialed.wav"), ("hangup", "OUTGOING_CALL_BARRED")]
LOCAL, LONG_DISTANCE, INTERNATIONAL = "5145550100", "16135550100", "011442079460000"
E164 = {LOCAL: "+15145550100", LONG_DISTANCE: "+16135550100", INTERNATIONAL: "+442079460000"}


@pytest.fixture
def alice(tenants):
    extension = factories.make_extension(tenants["a"], "101", user=tenants["a_user"])
    db.session.commit()
    return extension


def permit(extension, long_distance=TollMode.DISABLED, international=TollMode.DISABLED, code="2468"):
    extension.long_distance, extension.international = long_distance, international
    extension.long_distance_code = extension.international_code = code
    db.session.commit()


def goes_out(number):
    return [counts()] + OUTSIDE_ID + [("set", "hangup_after_bridge=true"), ("bridge", gateway(E164[number]))]


def asks_code(code="2468"):
    return [("answer", None), ("set", "transfer_ringback=%(2000,4000,440,480)"),
            ("play_and_get_digits", f"{len(code)} {len(code)} 3 5000 # ivr/ivr-please_enter_pin_followed_by_pound.wav "
                                    f"ivr/ivr-that_was_an_invalid_entry.wav access_code ^{code}$ 3000 "
                                    f"toll-refused XML {DOMAIN}")]


def test_local_calls_are_always_allowed(client, alice):
    found = plan(client, LOCAL)
    assert found.name == "outbound-local" and found.actions == goes_out(LOCAL)


@pytest.mark.parametrize("number, kind", [(LONG_DISTANCE, "long_distance"), (INTERNATIONAL, "international")])
def test_a_disabled_class_is_refused_with_an_announcement(client, alice, number, kind):
    found = plan(client, number)
    assert found.name == "outbound-refused" and found.actions == [counts()] + BARRED


@pytest.mark.parametrize("number, kind", [(LONG_DISTANCE, "long_distance"), (INTERNATIONAL, "international")])
def test_a_class_with_code_asks_the_code_three_times_before_going_out(client, alice, number, kind):
    permit(alice, **{kind: TollMode.WITH_CODE})
    assert plan(client, number).actions == [counts()] + asks_code() + goes_out(number)[1:]


@pytest.mark.parametrize("number, kind", [(LONG_DISTANCE, "long_distance"), (INTERNATIONAL, "international")])
def test_an_unlimited_class_goes_straight_out(client, alice, number, kind):
    permit(alice, **{kind: TollMode.UNLIMITED})
    assert plan(client, number).actions == goes_out(number)


def test_the_two_classes_are_independent(client, alice):
    permit(alice, long_distance=TollMode.UNLIMITED, international=TollMode.DISABLED)
    assert plan(client, LONG_DISTANCE).actions == goes_out(LONG_DISTANCE)
    assert plan(client, INTERNATIONAL).actions == [counts()] + BARRED


def test_a_wrong_code_three_times_ends_on_the_refusal(client, alice):
    assert plan(client, "toll-refused").actions == BARRED


def test_a_with_code_class_without_a_usable_code_is_refused(client, alice):
    permit(alice, long_distance=TollMode.WITH_CODE, code="12")
    assert plan(client, LONG_DISTANCE).actions == [counts()] + BARRED


# switch_ivr_originate.c: any origination_privacy first clears the new leg's privacy flags,
# including those sofia.c set from the phone's own "Privacy: id".
NEVER_HIDDEN = "[origination_privacy=none]"


def test_911_goes_out_whatever_the_permissions_and_never_hidden(client, alice):
    alice.hide_caller_id = True
    permit(alice)
    found = plan(client, "911")
    assert found.name == "emergency"
    assert found.actions == [counts()] + OUTSIDE_ID + [("set", "hangup_after_bridge=true"),
                                                       ("bridge", NEVER_HIDDEN + gateway("911"))]


def test_911_goes_out_even_from_an_unidentified_channel(client, alice):
    assert plan(client, "911", caller=None).actions == OUTSIDE_ID + [
        ("set", "hangup_after_bridge=true"), ("bridge", NEVER_HIDDEN + gateway("911"))]


def test_an_unidentified_channel_cannot_call_out(client, alice):
    assert plan(client, LOCAL, caller=None).actions == BARRED


def test_the_caller_id_override_is_presented_outside(client, tenants, alice):
    alice.caller_id_name, alice.caller_id_number = "Support", factories.make_number(tenants["a"], "+15145550142")
    db.session.commit()
    assert plan(client, LOCAL).actions[1:3] == [("set", "effective_caller_id_name=Support"),
                                                ("set", "effective_caller_id_number=+15145550142")]


def test_a_caller_id_number_of_another_company_is_never_presented(client, tenants, alice):
    alice.caller_id_name, alice.caller_id_number = "Support", tenants["b_number"]
    db.session.commit()
    assert plan(client, LOCAL).actions[1:3] == OUTSIDE_ID


# What mod_sofia makes of these leg variables (sofia_glue.c sofia_glue_do_invite(), read in
# app/services/calls/outside.py): From "Anonymous" <sip:anonymous@anonymous.invalid>
# (sip_from_display, sip_invite_from_uri), "Privacy: id" (sip_cid_type=pid with hide_number)
# and the company's number in P-Asserted-Identity (screen) for the carrier only.
ANONYMOUS = ("[origination_privacy=screen+hide_name+hide_number,sip_cid_type=pid,sip_from_display=Anonymous,"
             "sip_invite_from_uri=sip:anonymous@anonymous.invalid]")


def test_a_hidden_caller_id_makes_the_carrier_leg_anonymous(client, alice):
    alice.hide_caller_id = True
    db.session.commit()
    assert plan(client, LOCAL).actions == [counts()] + OUTSIDE_ID + [
        ("set", "hangup_after_bridge=true"), ("bridge", ANONYMOUS + gateway(E164[LOCAL]))]


def test_without_hidden_caller_id_the_carrier_leg_has_no_privacy(client, alice):
    [bridge] = [data for app, data in plan(client, LOCAL).actions if app == "bridge"]
    assert bridge == gateway(E164[LOCAL]) and "privacy" not in bridge and "anonymous" not in bridge


def test_outgoing_recording_records_the_call(client, alice):
    alice.record_outgoing = True
    db.session.commit()
    assert plan(client, LOCAL).actions == [counts()] + OUTSIDE_ID + [
        ("record_session", f"${{recordings_dir}}/{DOMAIN}/${{strftime(%Y-%m-%d)}}/${{uuid}}.wav "
                           "{RECORD_BRIDGE_REQ=true}"),
        ("set", "hangup_after_bridge=true"), ("bridge", gateway(E164[LOCAL]))]


def test_the_softphone_calls_out_with_the_extension_permissions(client, alice):
    factories.sip_softphone(alice)
    permit(alice, international=TollMode.UNLIMITED)
    assert plan(client, INTERNATIONAL, caller="101s1").actions == goes_out(INTERNATIONAL)


def test_nothing_goes_out_when_the_gateway_name_is_unusable(app_config, alice):
    with other_app(app_config, FREESWITCH_GATEWAY="bad gateway/../x") as broken:
        assert plan(broken.test_client(), LOCAL).actions == BARRED


def test_an_outbound_call_is_one_query(app, client, alice):
    with QueryCounter(readonly_db.engine()) as queries:
        plan(client, LOCAL)
    assert len(queries) == 1


def test_a_caller_id_name_cannot_smuggle_a_freeswitch_expression(client, tenants, alice):
    alice.caller_id_name, alice.caller_id_number = "${system(id)}", factories.make_number(tenants["a"], "+15145550142")
    db.session.commit()
    assert plan(client, LOCAL).actions[1] == ("set", "effective_caller_id_name=system(id)")


@pytest.mark.parametrize("number, expected", [
    ("5145550100", "local"), ("15145550100", "long_distance"), ("011442079460000", "international"),
    ("911", "emergency"), ("1514555010", None), ("0145550100", None), ("5145550100\n", None), ("+15145550100", None),
    ("011", None), ("411", None),
])
def test_numbers_are_classified_by_the_north_american_plan(number, expected):
    found = outbound.classify(number)
    assert (found.value if found else None) == expected
