"""Calls to an extension: ring, voicemail, DND, forwarding, find-me/follow-me, busy (F3, F11, G7, G8)."""
import pytest

from app import readonly_db
from app.flask_extensions import db
from app.models.extension import BusyBehaviour, ForwardRule, ForwardTarget, MusicOnHold, TollMode
from tests import factories
from tests.xml_curl.captures import (DOMAIN, QueryCounter, ask, counts, dial, gateway, is_not_found, plan, ring,
                                     voicemail)

RECORDING = ("record_session",
             "${recordings_dir}/alpha.voice.example/${strftime(%Y-%m-%d)}/${uuid}.wav {RECORD_BRIDGE_REQ=true}")
OUTSIDE_ID = [("set", "effective_caller_id_name=Alpha inc."), ("set", "effective_caller_id_number=+15145550111")]


@pytest.fixture
def carol(tenants, alice):
    extension = factories.make_extension(tenants["a"], "103", name="Carol")
    db.session.commit()
    return extension


def forward(extension, rule, target=None, number=""):
    extension.forward_enabled, extension.forward_rule = True, rule
    if target is not None:
        extension.forward_target, extension.forward_extension_id = ForwardTarget.EXTENSION, target.id
    else:
        extension.forward_target, extension.forward_number = ForwardTarget.EXTERNAL, number
    db.session.commit()


def test_a_call_to_an_extension_rings_its_devices_then_voicemail(client, bob):
    found = plan(client, "102")
    assert found.context == DOMAIN and found.field is None
    assert found.actions == [counts()] + ring("102", 20) + voicemail("102", "en")


def test_without_call_pickup_no_pickup_leg_is_added(client, bob):
    bob.call_pickup = False
    db.session.commit()
    assert plan(client, "102").actions == [counts()] + ring("102", 20, pickup=False) + voicemail("102", "en")


def test_when_voicemail_is_off_the_extension_rings_forever(client, bob):
    bob.voicemail_enabled = False
    db.session.commit()
    # No continue_on_fail: a busy or absent device ends the call with its own cause.
    assert plan(client, "102").actions == [counts()] + ring("102", 86400, then_continue=False)


def test_ring_duration_zero_rings_forever_never_zero(client, bob):
    bob.ring_seconds = 0
    db.session.commit()
    assert plan(client, "102").actions == [counts()] + ring("102", 86400) + voicemail("102", "en")


def test_a_call_from_an_unidentified_channel_still_reaches_the_extension(client, bob):
    assert plan(client, "102", caller=None).actions == ring("102", 20) + voicemail("102", "en")


def test_when_forwarding_is_always_then_call_is_transferred_to_the_destination_extension(client, bob, carol):
    forward(bob, ForwardRule.ALWAYS, target=carol)
    found = plan(client, "102")
    assert found.name == "forward-always"
    assert found.actions == [counts(), ("transfer", f"103 XML {DOMAIN}")]


def test_when_forwarding_is_always_then_call_is_bridged_to_the_external_number(client, bob):
    forward(bob, ForwardRule.ALWAYS, number="5145550177")
    assert plan(client, "102").actions == [counts()] + OUTSIDE_ID + [("bridge", gateway("+15145550177"))]


def test_an_outside_caller_forwarded_out_keeps_its_own_caller_id(client, bob):
    forward(bob, ForwardRule.ALWAYS, number="5145550177")
    assert plan(client, "102", caller=None).actions == [("bridge", gateway("+15145550177"))]


def test_always_forward_wins_over_do_not_disturb(client, bob, carol):
    bob.dnd = True
    forward(bob, ForwardRule.ALWAYS, target=carol)
    assert plan(client, "102").actions == [counts(), ("transfer", f"103 XML {DOMAIN}")]


def test_do_not_disturb_plays_the_unavailable_tone_without_voicemail(client, bob):
    bob.dnd = True
    db.session.commit()
    found = plan(client, "102")
    assert found.name == "do-not-disturb"
    assert found.actions == [counts(), ("playback", "tone_stream://%(250,250,480,620);loops=8"),
                             ("hangup", "USER_BUSY")]


def test_do_not_disturb_wins_over_other_forwarding_and_find_me(client, bob, carol):
    bob.dnd, bob.findme_enabled, bob.findme_number = True, True, "5145550188"
    forward(bob, ForwardRule.NO_ANSWER, target=carol)
    assert plan(client, "102").name == "do-not-disturb"


def test_when_forwarding_is_on_no_answer_then_devices_ring_for_ring_time_then_the_extension(client, bob, carol):
    bob.ring_seconds = 25
    forward(bob, ForwardRule.NO_ANSWER, target=carol)
    found = plan(client, "102")
    assert found.name == "forward-no-answer"
    assert found.actions == [counts()] + ring("102", 25) + [("transfer", f"103 XML {DOMAIN}")]


def test_when_forwarding_is_on_no_answer_to_an_external_number_it_leaves_through_the_trunk(client, bob):
    forward(bob, ForwardRule.NO_ANSWER, number="5145550177")
    assert plan(client, "102").actions == ([counts()] + ring("102", 20) + OUTSIDE_ID
                                           + [("bridge", gateway("+15145550177"))])


def test_when_forwarding_rings_both_then_one_simultaneous_dial_string_is_used(client, bob, carol):
    forward(bob, ForwardRule.RING_BOTH, target=carol)
    found = plan(client, "102")
    legs = f"user/102@{DOMAIN},pickup/102@{DOMAIN},pickup/group@{DOMAIN},user/103@{DOMAIN}"
    assert found.actions == [counts()] + ring("102", 20)[:-1] + [("bridge", legs)] + voicemail("102", "en")


def test_ring_both_with_an_external_number_shows_the_company_id_on_that_leg_only(client, bob):
    forward(bob, ForwardRule.RING_BOTH, number="5145550177")
    bridge = plan(client, "102").actions[-2]  # then the message (one transfer to *99102)
    assert bridge == ("bridge", f"user/102@{DOMAIN},pickup/102@{DOMAIN},pickup/group@{DOMAIN},"
                                "[origination_caller_id_name=Alpha inc.,origination_caller_id_number=+15145550111]"
                                + gateway("+15145550177"))


def test_a_caller_hiding_its_caller_id_is_anonymous_on_the_outside_leg_of_ring_both(client, alice, bob):
    alice.hide_caller_id = True
    forward(bob, ForwardRule.RING_BOTH, number="5145550177")
    bridge = plan(client, "102").actions[-2]
    # One variable list per leg: the anonymous From, Privacy: id and the asserted identity
    # (app/services/calls/outside.py) join the leg's own caller ID; the inside legs keep theirs.
    assert bridge == ("bridge", f"user/102@{DOMAIN},pickup/102@{DOMAIN},pickup/group@{DOMAIN},"
                                "[origination_caller_id_name=Alpha inc.,origination_caller_id_number=+15145550111,"
                                "origination_privacy=screen+hide_name+hide_number,sip_cid_type=pid,"
                                "sip_from_display=Anonymous,sip_invite_from_uri=sip:anonymous@anonymous.invalid]"
                                + gateway("+15145550177"))


def test_ring_both_leaves_out_a_target_in_do_not_disturb(client, bob, carol):
    carol.dnd = True
    forward(bob, ForwardRule.RING_BOTH, target=carol)
    assert plan(client, "102").actions == [counts()] + ring("102", 20) + voicemail("102", "en")


def test_when_the_caller_must_press_1_then_only_1_forwards_and_anything_else_goes_to_voicemail(client, bob, carol):
    forward(bob, ForwardRule.PRESS_1, target=carol)
    found = plan(client, "102")
    assert found.name == "forward-press-1"
    assert found.actions == [counts()] + ring("102", 20) + [
        ("answer", None),
        ("play_and_get_digits", "1 1 1 5000 # ivr/ivr-to_accept_press_one.wav silence_stream://250 "
                                f"forward_choice ^1$ 0 *99102 XML {DOMAIN}"),
        ("transfer", f"103 XML {DOMAIN}")]


def test_the_press_1_fallback_ends_the_call_when_voicemail_is_off(client, bob, carol):
    bob.voicemail_enabled = False
    forward(bob, ForwardRule.PRESS_1, target=carol)
    assert "*99102 XML" in plan(client, "102").actions[-2][1]
    assert plan(client, "*99102").actions == [("hangup", "NO_ANSWER")]


def test_forwarding_that_no_longer_applies_is_ignored(client, tenants, bob, alice):
    bob.long_distance = TollMode.WITH_CODE  # a forwarded caller cannot type the code
    forward(bob, ForwardRule.ALWAYS, number="15145550177")
    assert plan(client, "102").name == "ring"
    forward(bob, ForwardRule.ALWAYS, target=bob)
    assert plan(client, "102").name == "ring"
    theirs = factories.make_extension(tenants["b"], "500")
    forward(bob, ForwardRule.ALWAYS, target=theirs)
    assert plan(client, "102").name == "ring"


def test_long_distance_forwarding_needs_unlimited(client, bob):
    bob.long_distance = TollMode.UNLIMITED
    forward(bob, ForwardRule.ALWAYS, number="15145550177")
    assert plan(client, "102").actions[-1] == ("bridge", gateway("+15145550177"))


def test_find_me_follow_me_rings_the_extension_then_the_number_then_voicemail(client, bob):
    bob.findme_enabled, bob.findme_number, bob.findme_ring_seconds = True, "5145550188", 10
    db.session.commit()
    found = plan(client, "102")
    assert found.name == "find-me-follow-me"
    assert found.actions == [counts()] + ring("102", 10) + [("set", "call_timeout=20")] + OUTSIDE_ID + [
        ("bridge", gateway("+15145550188"))] + voicemail("102", "en")


def test_find_me_with_music_on_hold_plays_the_extension_music_instead_of_ringback(client, bob):
    bob.music_on_hold = MusicOnHold(name="Jazz", source="/srv/moh/jazz.wav")
    bob.findme_enabled, bob.findme_number, bob.findme_moh = True, "5145550188", True
    db.session.commit()
    assert plan(client, "102").actions == [counts()] + ring("102", 15) + [
        ("set", "ringback=/srv/moh/jazz.wav"), ("set", "transfer_ringback=/srv/moh/jazz.wav"),
        ("set", "call_timeout=20")] + OUTSIDE_ID + [
        ("bridge", "{ignore_early_media=true}" + gateway("+15145550188"))] + voicemail("102", "en")


def test_find_me_with_screening_records_the_name_and_asks_the_answerer_to_press_1(client, bob):
    bob.findme_enabled, bob.findme_number, bob.findme_screen = True, "5145550188", True
    db.session.commit()
    name = "${temp_dir}/screen-${uuid}.wav"
    assert plan(client, "102").actions == [counts()] + ring("102", 15) + [
        ("set", "transfer_ringback=%(2000,4000,440,480)"),
        ("answer", None), ("playback", "voicemail/vm-record_name1.wav"), ("record", f"{name} 5 200 2"),
        ("set", "call_timeout=20")] + OUTSIDE_ID + [
        ("bridge", f"{{group_confirm_key=1,group_confirm_file=file_string://{name}!ivr/ivr-to_accept_press_one.wav}}"
                   + gateway("+15145550188"))] + voicemail("102", "en")


def test_find_me_with_music_and_screening_and_no_voicemail_ends_after_the_number(client, bob):
    bob.findme_enabled, bob.findme_number, bob.findme_screen, bob.findme_moh = True, "5145550188", True, True
    bob.voicemail_enabled = False
    db.session.commit()
    found = plan(client, "102").actions
    assert found[-2][1].startswith("{ignore_early_media=true,group_confirm_key=1,group_confirm_file=")
    assert ("set", "transfer_ringback=local_stream://moh") in found
    assert found[-1] == ("hangup", "NO_ANSWER") and ("set", "call_timeout=86400") in found


def test_when_forwarding_is_on_find_me_does_not_run(client, bob, carol):
    # F11.9: "call forwarding must be off for this option to be active"
    bob.findme_enabled, bob.findme_number = True, "5145550188"
    forward(bob, ForwardRule.NO_ANSWER, target=carol)
    assert plan(client, "102").name == "forward-no-answer"


def test_find_me_to_a_number_not_allowed_is_ignored(client, bob):
    bob.findme_enabled, bob.findme_number = True, "15145550188"  # long distance, disabled
    db.session.commit()
    assert plan(client, "102").name == "ring"


@pytest.mark.parametrize("behaviour, busy", [
    (BusyBehaviour.MESSAGE, [counts(), ("playback", "ivr/ivr-user_busy.wav")] + voicemail("102", "en")),
    (BusyBehaviour.VOICEMAIL, [counts()] + voicemail("102", "en")),
])
def test_when_already_on_a_call_the_busy_behaviour_applies(client, bob, behaviour, busy):
    bob.busy_behaviour = behaviour
    db.session.commit()
    found = plan(client, "102")
    assert found.field == f"${{limit_usage(hash {DOMAIN} 102)}}"
    assert found.expression == "^(0*|[^0-9].*)$"
    assert found.actions == [counts()] + ring("102", 20) + voicemail("102", "en")
    assert found.otherwise == busy


@pytest.mark.parametrize("behaviour", [BusyBehaviour.MESSAGE, BusyBehaviour.VOICEMAIL])
def test_a_busy_extension_without_voicemail_gives_busy(client, bob, behaviour):
    bob.busy_behaviour, bob.voicemail_enabled = behaviour, False
    db.session.commit()
    assert plan(client, "102").otherwise[-1] == ("hangup", "USER_BUSY")


def test_keep_ringing_when_busy_needs_no_check(client, bob):
    found = plan(client, "102")
    assert found.field is None and found.otherwise == []


def test_the_busy_check_also_guards_forwarding_and_find_me(client, bob, carol):
    bob.busy_behaviour = BusyBehaviour.VOICEMAIL
    forward(bob, ForwardRule.NO_ANSWER, target=carol)
    assert plan(client, "102").field is not None


@pytest.mark.parametrize("who", ["callee", "caller"])
def test_recorded_extensions_record_their_calls(client, alice, bob, who):
    if who == "callee":
        bob.record_incoming = True
    else:
        alice.record_outgoing = True
    db.session.commit()
    found = plan(client, "102").actions
    assert found[:5] == [counts()] + ring("102", 20)[:3] + [RECORDING]
    assert found[5] == ("bridge", f"user/102@{DOMAIN},pickup/102@{DOMAIN},pickup/group@{DOMAIN}")


def test_a_number_that_only_exists_in_another_company_reaches_nothing(client, tenants, alice):
    factories.make_extension(tenants["b"], "555")
    db.session.commit()
    found = plan(client, "555")
    assert found.context == DOMAIN and found.actions == [("hangup", "UNALLOCATED_NUMBER")]


def test_a_channel_naming_another_company_is_not_a_caller_here(client, tenants, bob):
    factories.make_extension(tenants["b"], "101")
    db.session.commit()
    found = plan(client, "102", caller="101", caller_domain="beta.voice.example")
    assert counts() not in found.actions
    assert found.actions == ring("102", 20) + voicemail("102", "en")


def test_calls_in_an_unknown_context_are_not_found(client, bob):
    assert is_not_found(ask(client, dial("102", context="nobody.voice.example")))


def test_an_extension_whose_owner_is_disabled_is_unallocated(client, tenants, bob):
    tenants["a_admin"].active = False
    db.session.commit()
    assert plan(client, "102").actions == [("hangup", "UNALLOCATED_NUMBER")]


def test_a_caller_whose_owner_is_disabled_is_not_identified(client, tenants, bob):
    tenants["a_user"].active = False
    db.session.commit()
    assert counts() not in plan(client, "102").actions


def test_a_softphone_calls_with_its_extension_identity(client, alice, bob):
    factories.sip_softphone(alice)
    db.session.commit()
    assert plan(client, "102", caller="101s1").actions[0] == counts("101")


def test_a_call_between_extensions_is_two_queries(app, client, bob, carol):
    forward(bob, ForwardRule.RING_BOTH, target=carol)
    with QueryCounter(readonly_db.engine()) as queries:
        plan(client, "102")
    assert len(queries) == 2
