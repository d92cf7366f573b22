"""Voicemail boxes as FreeSWITCH reads them (F2, F5): general boxes in the directory,
the box's 0 and * keys, the full-box check, the temporary greeting, the 8500 menu."""
import re

import pytest

from app.flask_extensions import db
from app.models.mailbox import KeyDestination
from tests import factories
from tests.xml_curl.captures import (DOMAIN, ask, capture, counts, dial, is_not_found, leave_message, params, plan,
                                     variables)
from tests.xml_curl.freeswitch_reader import variables_set

VOICEMAIL_DEPOSIT = "041-directory-127.0.0.1-1002-voicemail-lookup.txt"
REGISTER = "022-directory-127.0.0.1-1001-sip_auth.txt"


def lookup(name, user, domain=DOMAIN):
    return capture(name, user=user, domain=domain, key_value=domain)


def the_user(doc):
    [user] = doc.iterfind("section[@name='directory']/domain/groups/group/users/user")
    return user


def param_names(user):
    return [p.get("name") for p in user.iterfind("params/param")]


@pytest.fixture
def general(tenants):
    box = factories.make_mailbox(tenants["a"], "500", name="Boîte générale", password="8080",
                                 email="info@alpha.example")
    db.session.commit()
    return box


def test_a_general_box_is_a_directory_user_that_mod_voicemail_finds_by_its_number(client, general):
    user = the_user(ask(client, lookup(VOICEMAIL_DEPOSIT, "500")))
    assert (user.get("id"), user.get("number-alias")) == ("500", "500")
    found = params(user)
    assert (found["vm-enabled"], found["vm-password"], found["vm-mailto"]) == ("true", "8080", "info@alpha.example")
    assert variables(user)["user_context"] == DOMAIN


def test_a_general_box_can_never_register_or_be_called(client, general):
    user = the_user(ask(client, lookup(REGISTER, "500")))
    # sofia_reg_parse_auth(): a user without password is let in unless this comes first.
    assert param_names(user)[0] == "sip-forbid-register" and params(user)["sip-forbid-register"] == "true"
    assert "password" not in param_names(user) and "dial-string" not in param_names(user)


def test_another_company_domain_does_not_find_the_general_box(client, general):
    assert is_not_found(ask(client, lookup(VOICEMAIL_DEPOSIT, "500", domain="beta.voice.example")))


@pytest.mark.parametrize("kind, target, expected", [
    (KeyDestination.EXTENSION, "101", f"101 XML {DOMAIN}"),
    (KeyDestination.MAILBOX, "500", f"*99500 XML {DOMAIN}"),
    (KeyDestination.LOGIN, "", f"*98102 XML {DOMAIN}"),
    (KeyDestination.HANGUP, "", f"voicemail-hangup XML {DOMAIN}"),
    (KeyDestination.ATTENDANT, "", f"attendant XML {DOMAIN}"),
    (KeyDestination.NONE, "", None),
])
def test_the_0_key_leads_where_the_box_says(client, tenants, general, kind, target, expected):
    ext = factories.make_extension(tenants["a"], "102", voicemail_password="1357")
    factories.make_extension(tenants["a"], "101")
    ext.mailbox.operator_kind, ext.mailbox.operator_target = kind, target
    db.session.commit()
    found = params(the_user(ask(client, lookup(VOICEMAIL_DEPOSIT, "102"))))
    assert found.get("vm-operator-extension") == expected


def test_a_message_is_refused_with_mailbox_full_once_the_box_holds_100(client, bob):
    found = plan(client, "*99102")
    profile_box = f"default/102@{DOMAIN}"
    assert found.field == f"${{expr(${{vm_boxcount({profile_box}|new)}}+${{vm_boxcount({profile_box}|saved)}})}}"
    # mod_expr prints "%0.10f": 99 is not full, 100 and more are.
    assert not re.search(found.expression, "99.0000000000") and not re.search(found.expression, "0.0000000000")
    assert re.search(found.expression, "100.0000000000") and re.search(found.expression, "1234.0000000000")
    assert found.actions == [("set", "default_language=en"), ("answer", None),
                             ("playback", "voicemail/vm-mailbox_full.wav"), ("hangup", "NORMAL_CLEARING")]
    assert found.otherwise == leave_message("102", "en")


def test_the_box_length_picks_the_profile_of_that_max_record_len(client, bob):
    bob.mailbox.max_seconds = 60
    db.session.commit()
    found = plan(client, "*99102")
    assert found.otherwise[-1] == ("voicemail", f"vm60 {DOMAIN} 102")
    assert f"vm_boxcount(vm60/102@{DOMAIN}|new)" in found.field


def test_a_general_box_speaks_the_company_language(client, alice, general):
    assert plan(client, "*99500").otherwise == leave_message("500", "fr")


def test_while_a_temporary_greeting_exists_it_plays_instead_of_the_others(client, bob):
    greeting = f"${{storage_dir}}/voicemail/default/{DOMAIN}/102/temporary_greeting.wav"
    found = plan(client, "*99102").otherwise
    assert "voicemail_greeting_path" not in variables_set(found, files=set())
    assert variables_set(found, files={greeting})["voicemail_greeting_path"] == greeting
    assert found.index(("set", "switchboard_vm_box=102")) < found.index(("answer", None))


def test_8500_accepts_every_box_of_the_company_that_is_on(client, tenants, alice, bob, general):
    factories.make_mailbox(tenants["a"], "600", enabled=False)
    factories.make_mailbox(tenants["b"], "700")
    db.session.commit()
    [collect] = [data for app_name, data in plan(client, "8500").actions if app_name == "play_and_get_digits"]
    assert collect.split(" ")[:3] == ["3", "3", "3"]  # 3 to 3 digits, 3 tries (G11)
    assert " ^(101|102|500)$ " in collect


def test_star_98_logs_in_to_a_box_in_its_language_and_asks_its_password(client, alice, bob, general):
    assert plan(client, "*98500").actions == [
        counts(), ("set", "default_language=fr"), ("set", "sound_prefix=$${sounds_dir}/fr/ca/june"),
        ("set", "switchboard_vm_box=500"), ("answer", None), ("voicemail", f"auth_only default {DOMAIN} 500"),
        ("transfer", f"voicemail-box XML {DOMAIN}")]
    assert plan(client, "*98102").actions[1] == ("set", "default_language=en")
    assert plan(client, "*98555").actions == [("hangup", "UNALLOCATED_NUMBER")]


@pytest.mark.parametrize("kind, target, expected", [
    (KeyDestination.LOGIN, "", [("set", "switchboard_vm_box=500"), ("answer", None),
                                ("voicemail", f"auth_only default {DOMAIN} 500"),
                                ("transfer", f"voicemail-box XML {DOMAIN}")]),
    (KeyDestination.EXTENSION, "101", [("transfer", f"101 XML {DOMAIN}")]),
    (KeyDestination.MAILBOX, "102", [("transfer", f"*99102 XML {DOMAIN}")]),
    (KeyDestination.HANGUP, "", [("hangup", "NORMAL_CLEARING")]),
    (KeyDestination.ATTENDANT, "", [("transfer", f"attendant XML {DOMAIN}")]),
    (KeyDestination.NONE, "", [("transfer", f"*99500 XML {DOMAIN}")]),
])
def test_star_during_the_greeting_goes_to_the_box_star_destination(client, alice, bob, general, kind, target,
                                                                     expected):
    general.star_kind, general.star_target = kind, target
    db.session.commit()
    doc = ask(client, dial("*96", switchboard_vm_box="500"))
    [condition] = doc.iterfind("section/context/extension/condition")
    assert [(a.get("application"), a.get("data")) for a in condition.iterfind("action")] == expected


def test_star_with_another_company_box_in_the_variable_ends_the_call(client, tenants, alice):
    factories.make_mailbox(tenants["b"], "555")
    db.session.commit()
    assert plan(client, "*96", switchboard_vm_box="555").actions == [("hangup", "NORMAL_CLEARING")]
