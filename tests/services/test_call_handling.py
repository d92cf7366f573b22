"""The one rule for what a call to an extension does (handling.decide), as a pure
function: every combination of the settings that matter, no database, no HTTP."""
import itertools

import pytest

from app.models.company import Company
from app.models.extension import BusyBehaviour, Extension, ForwardRule, ForwardTarget, SipAccount, TollMode
from app.models.user import User
from app.services.calls import summary
from app.services.calls.handling import Mode, Notice, decide

COMPANY = Company(id=1, name="Alpha", sip_domain="alpha.voice.example")


def extension(**settings) -> Extension:
    """A transient extension with every setting given (column defaults apply only on insert)."""
    values = dict(id=10, company_id=1, company=COMPANY, number="101", name="Ann", user=None, language="fr",
                  ring_seconds=20, dnd=False, forward_enabled=False, forward_rule=ForwardRule.ALWAYS,
                  forward_target=ForwardTarget.EXTERNAL, forward_number="5145550100", forward_extension=None,
                  busy_behaviour=BusyBehaviour.RING, voicemail_enabled=True, findme_enabled=False,
                  findme_number="5145550188", findme_ring_seconds=15, long_distance=TollMode.DISABLED,
                  international=TollMode.DISABLED)
    values.update(settings)
    return Extension(**values)


def colleague(**settings) -> Extension:
    return extension(**{"id": 11, "number": "102", "name": "Reception", **settings})


# Each forwarding destination, and whether calls can actually be sent there.
TARGETS = {
    "number": (dict(forward_target=ForwardTarget.EXTERNAL, forward_number="5145550100"), True),
    "long distance not allowed": (dict(forward_target=ForwardTarget.EXTERNAL, forward_number="16135550100"), False),
    "extension": (dict(forward_target=ForwardTarget.EXTENSION, forward_extension=colleague()), True),
    "disabled person's extension": (dict(forward_target=ForwardTarget.EXTENSION,
                                         forward_extension=colleague(user=User(active=False))), False),
    "itself": (dict(forward_target=ForwardTarget.EXTENSION), False),  # filled in below
}
FINDME = {"allowed": ("5145550188", True), "not allowed": ("15145550188", False)}


def expected_mode(dnd, forwarding, rule, target_ok, findme, findme_ok) -> Mode:
    """G7 with F11.9, written as a table rather than as code paths."""
    if forwarding and target_ok and rule is ForwardRule.ALWAYS:
        return Mode.FORWARD_ALWAYS
    if dnd:
        return Mode.DND
    if forwarding and target_ok:
        return {ForwardRule.NO_ANSWER: Mode.FORWARD_NO_ANSWER, ForwardRule.RING_BOTH: Mode.RING_BOTH,
                ForwardRule.PRESS_1: Mode.PRESS_1}[rule]
    if findme and findme_ok and not forwarding:
        return Mode.FIND_ME
    return Mode.RING


COMBINATIONS = list(itertools.product(
    (False, True), (False, True), list(ForwardRule), sorted(TARGETS), (False, True), sorted(FINDME),
    (False, True), (0, 20), list(BusyBehaviour)))


@pytest.mark.parametrize("combo", [pytest.param(c, id="-".join(map(str, c))) for c in COMBINATIONS[::17]])
def test_a_sample_of_combinations_by_name(combo):
    check(*combo)  # readable ids for some of them; the next test runs them all


def test_every_combination_follows_the_precedence_and_ring_rules():
    for combo in COMBINATIONS:
        check(*combo)


def check(dnd, forwarding, rule, target, findme, findme_kind, voicemail, ring, busy):
    target_settings, target_ok = TARGETS[target]
    findme_number, findme_ok = FINDME[findme_kind]
    ext = extension(dnd=dnd, forward_enabled=forwarding, forward_rule=rule, findme_enabled=findme,
                    findme_number=findme_number, voicemail_enabled=voicemail, ring_seconds=ring,
                    busy_behaviour=busy, **target_settings)
    if target == "itself":
        ext.forward_extension = ext
    handling = decide(ext)
    mode = expected_mode(dnd, forwarding, rule, target_ok, findme, findme_ok)
    assert handling.mode is mode
    assert (Notice.FINDME_OFF_WHILE_FORWARDING in handling.notices) == (forwarding and findme)
    assert (Notice.FORWARD_TARGET_UNUSABLE in handling.notices) == (forwarding and not target_ok)
    assert handling.voicemail is voicemail and handling.busy is busy
    if mode in (Mode.FORWARD_NO_ANSWER, Mode.PRESS_1):
        # something always follows the ringing: only 0 rings forever (and then never forwards)
        assert handling.ring_seconds == (ring or None)
        assert (Notice.FORWARD_NEVER_TRIGGERS in handling.notices) == (ring == 0)
    elif mode in (Mode.RING, Mode.RING_BOTH, Mode.FIND_ME):
        # F11.7: with voicemail off nothing follows, so it rings until answered
        assert handling.ring_seconds == (ring if ring and voicemail else None)
    if mode is Mode.FIND_ME:
        assert handling.target.number == findme_number and handling.first_seconds == 15


def test_a_disabled_owner_makes_the_extension_unreachable():
    assert decide(extension(user=User(active=False), dnd=True)).mode is Mode.UNREACHABLE
    assert decide(extension(user=User(active=True))).mode is Mode.RING


def test_without_a_trunk_outside_destinations_are_skipped():
    handling = decide(extension(forward_enabled=True), can_call_out=False)
    assert handling.mode is Mode.RING and Notice.FORWARD_TARGET_UNUSABLE in handling.notices
    assert decide(extension(findme_enabled=True), can_call_out=False).mode is Mode.RING


def test_find_me_with_no_time_set_rings_the_devices_15_s_first():
    assert decide(extension(findme_enabled=True, findme_ring_seconds=0)).first_seconds == 15


def test_every_device_of_the_extension_counts():
    ext = extension()
    ext.sip_accounts = [SipAccount(username="101"), SipAccount(username="101s1")]
    assert decide(ext).devices == 2


# The sentence the settings page shows ----------------------------------------------

def sentence(app, language="en", **settings) -> str:
    from flask_babel import force_locale

    ext = extension(**settings)
    ext.sip_accounts = [SipAccount(username="101"), SipAccount(username="101s1")]
    with app.test_request_context(), force_locale(language):
        return summary.describe(decide(ext))


def test_the_sentence_says_how_long_it_rings_and_what_follows(app):
    assert sentence(app) == "Rings 20 s on 2 devices, then voicemail."
    assert sentence(app, voicemail_enabled=False) == "Rings on 2 devices until answered (voicemail is off)."
    assert sentence(app, language="fr") == "Sonne 20\u00a0s sur 2 appareils, puis la boîte vocale."


def test_the_sentence_names_the_forwarding_destination(app):
    assert sentence(app, forward_enabled=True) == "Forwarded at once to (514) 555-0100."
    assert sentence(app, forward_enabled=True, forward_rule=ForwardRule.NO_ANSWER,
                    forward_target=ForwardTarget.EXTENSION, forward_extension=colleague()) == (
        "Rings 20 s on 2 devices, then is forwarded to extension 102 (Reception).")


def test_the_sentence_tells_find_me_and_busy_behaviour(app):
    assert sentence(app, findme_enabled=True, busy_behaviour=BusyBehaviour.VOICEMAIL) == (
        "Rings 15 s on 2 devices, then (514) 555-0188 for 20 s, then voicemail. "
        "While on a call: straight to voicemail.")


def test_every_combination_has_a_whole_sentence_in_both_languages(app):
    from flask_babel import force_locale

    for combo in COMBINATIONS[::5]:
        dnd, forwarding, rule, target, findme, findme_kind, voicemail, ring, busy = combo
        ext = extension(dnd=dnd, forward_enabled=forwarding, forward_rule=rule, findme_enabled=findme,
                        findme_number=FINDME[findme_kind][0], voicemail_enabled=voicemail, ring_seconds=ring,
                        busy_behaviour=busy, **TARGETS[target][0])
        if target == "itself":
            ext.forward_extension = ext
        handling = decide(ext)
        for language in ("en", "fr"):
            with app.test_request_context(), force_locale(language):
                text = summary.describe(handling)
                notices = summary.notices(handling)
            assert text.endswith(".") and "%(" not in text and "None" not in text, (combo, text)
            assert all("%(" not in n for n in notices)
