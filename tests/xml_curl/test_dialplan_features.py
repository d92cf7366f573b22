"""Feature codes: voicemail (F2), park (F4, G10), pickup (G13)."""
import pytest

from app import readonly_db
from app.flask_extensions import db
from tests import factories
from tests.xml_curl.captures import DOMAIN, QueryCounter, counts, leave_message, plan

LOT = f"park@{DOMAIN}"
REFUSED = [("playback", "ivr/ivr-call_cannot_be_completed_as_dialed.wav"), ("hangup", "CALL_REJECTED")]


def test_8500_asks_for_one_of_the_company_boxes_then_logs_in_to_it(client, alice):
    found = plan(client, "8500")
    assert found.actions == [counts(), ("answer", None), ("play_and_get_digits", (
        "3 3 3 5000 # voicemail/vm-enter_id.wav ivr/ivr-that_was_an_invalid_entry.wav "
        "switchboard_vm_box ^(101)$ 3000")), ("transfer", f"*98${{switchboard_vm_box}} XML {DOMAIN}")]


def test_star_97_opens_the_callers_own_box_asking_its_password(client, alice):
    found = plan(client, "*97")
    assert found.actions == [counts(), ("set", "switchboard_vm_box=101"), ("answer", None),
                             ("voicemail", f"auth_only default {DOMAIN} 101"),
                             ("transfer", f"voicemail-box XML {DOMAIN}")]


def test_star_97_from_a_softphone_opens_the_extension_box(client, alice):
    factories.sip_softphone(alice)
    db.session.commit()
    assert plan(client, "*97", caller="101s1").actions[-2] == ("voicemail", f"auth_only default {DOMAIN} 101")


def test_star_97_without_an_identified_caller_asks_for_the_box(client, alice):
    assert plan(client, "*97", caller=None).actions == plan(client, "8500", caller=None).actions


def test_star_99_leaves_a_message_in_the_box_in_its_owner_language(client, bob):
    assert plan(client, "*99102").otherwise == leave_message("102", "en")


@pytest.mark.parametrize("destination", ["*99103", "*99102"])
def test_star_99_to_a_box_that_is_off_or_missing_ends_the_call(client, bob, destination):
    bob.voicemail_enabled = False
    db.session.commit()
    assert plan(client, destination).actions == [("hangup", "NO_ANSWER")]


def test_700_parks_in_the_company_lot_and_rings_the_parker_back(client, alice):
    found = plan(client, "700")
    assert found.name == "park"
    assert found.actions == [
        counts(),
        ("set", "valet_parking_timeout=180"),
        ("set", "valet_parking_orbit_exten=101"),
        ("set", "valet_parking_orbit_dialplan=XML"),
        ("set", f"valet_parking_orbit_context={DOMAIN}"),
        ("answer", None),
        ("valet_park", f"{LOT} auto in 701 709"),
        ("hangup", "NORMAL_CLEARING"),
    ]


def test_a_blind_transfer_to_700_rings_back_and_falls_back_to_the_transferring_extension(client, alice, bob):
    factories.sip_softphone(bob)
    db.session.commit()
    found = plan(client, "700", **{"sip_h_Referred-By": f"<sip:102s1@{DOMAIN}>"})
    assert ("set", "valet_parking_orbit_exten=102") in found.actions
    assert found.actions[-2:] == [("valet_park", f"{LOT} auto in 701 709"), ("transfer", f"102 XML {DOMAIN}")]


def test_a_blind_transfer_naming_another_company_rings_nobody_back(client, tenants, alice):
    factories.make_extension(tenants["b"], "555")
    db.session.commit()
    found = plan(client, "700", **{"sip_h_Referred-By": "<sip:555@beta.voice.example>"})
    assert not any(data and "orbit" in data for _, data in found.actions)
    assert found.actions[-1] == ("hangup", "NORMAL_CLEARING")


def test_701_retrieves_the_parked_call_only_if_the_slot_holds_one(client, alice):
    found = plan(client, "701")
    assert (found.field, found.expression) == (f"${{valet_info({LOT})}}", ">701<")
    assert found.actions == [counts(), ("answer", None), ("valet_park", f"{LOT} 701")]
    assert found.otherwise == [counts(), ("phrase", "valet_lot_empty"), ("hangup", "NORMAL_CLEARING")]


def test_each_company_parks_in_its_own_lot(client, tenants, alice):
    factories.make_extension(tenants["b"], "101")
    db.session.commit()
    found = plan(client, "709", context="beta.voice.example")
    assert found.actions[-1] == ("valet_park", "park@beta.voice.example 709")


def test_star_8_picks_up_a_ringing_call_of_the_company(client, alice):
    assert plan(client, "*8").actions == [counts(), ("pickup", f"group@{DOMAIN}"), ("hangup", "NORMAL_CLEARING")]


def test_star_star_picks_up_an_extension_that_allows_it(client, bob):
    assert plan(client, "**102").actions == [counts(), ("pickup", f"102@{DOMAIN}"), ("hangup", "NORMAL_CLEARING")]


def test_star_star_is_refused_for_an_extension_that_does_not_allow_pickup(client, bob):
    bob.call_pickup = False
    db.session.commit()
    assert plan(client, "**102").actions == REFUSED
    assert plan(client, "**104").actions == REFUSED


def test_pickup_needs_an_identified_caller(client, bob):
    assert plan(client, "*8", caller=None).actions == REFUSED
    assert plan(client, "**102", caller=None).actions == REFUSED


def test_a_ringing_call_can_only_be_picked_up_in_its_own_company(client, tenants, bob):
    # Pickup keys carry the domain: company B's *8 never sees company A's calls.
    factories.make_extension(tenants["b"], "101")
    db.session.commit()
    assert plan(client, "*8", context="beta.voice.example").actions[1] == ("pickup", "group@beta.voice.example")
    assert plan(client, "**102", context="beta.voice.example").actions == REFUSED


@pytest.mark.parametrize("destination", ["**", "**0", "*99", "*9912", "**abc", "710", "311"])
def test_malformed_feature_codes_are_unallocated(client, alice, destination):
    assert plan(client, destination).actions == [("hangup", "UNALLOCATED_NUMBER")]


def test_a_feature_code_is_one_query(app, client, alice):
    with QueryCounter(readonly_db.engine()) as queries:
        plan(client, "*97")
    assert len(queries) == 1
