"""A box after its password (F2.5-F2.6, G6): the main menu, the options, the temporary
greeting recorded and erased by phone, and "the company greeting" as a box's 0 or *.

mod_voicemail's `auth_only` sets user_pin_authenticated and user_pin_authenticated_user
and makes the box the channel's user; the requests below carry what it leaves."""
import pytest

from app.flask_extensions import db
from tests import factories
from tests.xml_curl.captures import DOMAIN, dial, plan, post
from tests.xml_curl.freeswitch_reader import check_answer, variables_set

FR = [("set", "default_language=fr"), ("set", "sound_prefix=$${sounds_dir}/fr/ca/june")]
AUTHENTICATED = {"user_pin_authenticated": "true", "user_pin_authenticated_user": "500", "switchboard_vm_box": "500"}
GREETING = f"${{storage_dir}}/voicemail/default/{DOMAIN}/500/temporary_greeting.wav"
TEMPORARY = GREETING.removesuffix(".wav")
OPTIONS = ("transfer", f"voicemail-box-0 XML {DOMAIN}")


@pytest.fixture
def general(tenants):
    box = factories.make_mailbox(tenants["a"], "500", name="Boîte générale", password="8080")
    db.session.commit()
    return box


def menu(keys: str = "", **variables):
    return dial("voicemail-box" + (f"-{keys}" if keys else ""), caller="500", **{**AUTHENTICATED, **variables})


def session(client, keys: str = "", **variables):
    return plan(client, "voicemail-box" + (f"-{keys}" if keys else ""), caller="500",
                **{**AUTHENTICATED, **variables})


def prompt(*choices):
    return "file_string://" + "!".join(f"voicemail/{what}.wav!voicemail/vm-press.wav!digits/{key}.wav"
                                       for what, key in choices)


def collected(keys: str, regex: str, *choices):
    return [("play_and_get_digits", f"1 1 3 5000 # {prompt(*choices)} ivr/ivr-that_was_an_invalid_entry.wav "
                                    f"switchboard_vm_key ^{regex}$ 3000 wrong-entry XML {DOMAIN}"),
            ("transfer", f"voicemail-box-{keys}${{switchboard_vm_key}} XML {DOMAIN}")]


def test_after_the_password_the_main_menu_offers_new_and_saved_messages_and_the_options_on_0(client, general):
    found = session(client)
    assert found.name == "voicemail-box-menu"
    assert found.actions == FR + collected("", "[120]", ("vm-listen_new", 1), ("vm-listen_saved", 2),
                                           ("vm-advanced", 0))
    check_answer(post(client, menu()))


def test_the_options_record_the_temporary_greeting_on_1_and_open_its_own_menu_on_4(client, general):
    assert session(client, "0").actions == FR + collected("0", "[140]", ("vm-to_record_greeting", 1),
                                                          ("vm-greeting", 4), ("vm-main_menu", 0))
    assert session(client, "04").actions == FR + collected("04", "[120]", ("vm-to_record_greeting", 1),
                                                           ("vm-delete_recording", 2), ("vm-main_menu", 0))


@pytest.mark.parametrize("keys", ["00", "040", "3", "99"])
def test_0_in_a_submenu_and_an_unknown_path_lead_to_the_main_menu(client, general, keys):
    assert session(client, keys).actions == session(client).actions


@pytest.mark.parametrize("keys", ["01", "041"])
def test_the_temporary_greeting_is_recorded_then_replaces_the_old_one_only_with_sound(client, general, keys):
    found = session(client, keys)
    assert found.name == "voicemail-box-record-greeting"
    long_enough = "${record_ms} >= ${switchboard_min_sound_ms}"
    assert found.actions == FR + [
        ("playback", "ivr/ivr-begin_recording.wav"), ("record", f"{TEMPORARY}.new.wav 120 200 3"),
        ("set", "switchboard_min_sound_ms=${cond(${silence_hits_exhausted} == true ? 4000 : 1000)}"),
        # A recording under 1 s of sound leaves the old greeting as it was.
        ("rename", f"{TEMPORARY}.new.wav ${{cond({long_enough} ? {GREETING} : {TEMPORARY}.discarded.wav)}}"),
        ("playback", f"${{cond({long_enough} ? ivr/ivr-recording_saved.wav : voicemail/vm-too-small.wav)}}"),
        OPTIONS]
    check_answer(post(client, menu(keys)))


def test_the_recorded_greeting_is_the_one_the_next_caller_hears_until_0_4_2_erases_it(client, general):
    recorded = session(client, "01").actions[-3][1].split(" ? ")[1].split(" : ")[0]
    assert recorded == GREETING
    files = {GREETING}  # what FreeSWITCH recorded there
    assert variables_set(plan(client, "*99500").otherwise, files)["voicemail_greeting_path"] == recorded

    erase = session(client, "042")
    assert erase.name == "voicemail-box-erase-greeting"
    assert erase.actions == FR + [("rename", f"{GREETING} {TEMPORARY}.erased.wav"),
                                  ("playback", "file_string://voicemail/vm-greeting.wav!voicemail/vm-deleted.wav"),
                                  OPTIONS]
    files = {f"{TEMPORARY}.erased.wav"}  # what the rename does
    assert "voicemail_greeting_path" not in variables_set(plan(client, "*99500").otherwise, files)


def test_1_and_2_hand_the_box_to_mod_voicemail_without_asking_the_password_again(client, general):
    check = [("voicemail", f"check default {DOMAIN} 500"), ("unset", "voicemail_authorized"),
             ("hangup", "NORMAL_CLEARING")]
    assert session(client, "1").actions == FR + [("set", "voicemail_authorized=true")] + check
    assert session(client, "2").actions == FR + [("set", "voicemail_authorized=true"),
                                                 ("set", "vm_auto_play=false")] + check


@pytest.mark.parametrize("variables", [
    {"user_pin_authenticated": "", "user_pin_authenticated_user": "", "switchboard_vm_box": ""},
    {"user_pin_authenticated": "false"},
    {"switchboard_vm_box": "101"},           # the password given was another box's
    {"user_pin_authenticated_user": "101"},
])
def test_a_box_menu_without_that_box_password_ends_the_call(client, alice, general, variables):
    for keys in ("", "1", "01", "042"):
        found = session(client, keys, **variables)
        assert (found.name, found.actions) == ("voicemail-box-refused", [("hangup", "NORMAL_CLEARING")])


def test_another_company_box_is_never_opened_even_with_its_password(client, tenants, general):
    factories.make_mailbox(tenants["b"], "555")
    db.session.commit()
    other = {"user_pin_authenticated_user": "555", "switchboard_vm_box": "555"}
    assert session(client, "1", **other).name == "voicemail-box-refused"


def test_a_longer_key_path_is_not_a_box_menu(client, general):
    assert plan(client, "voicemail-box-0412", caller="500", **AUTHENTICATED).name != "voicemail-box-menu"


def test_the_company_greeting_as_a_box_key_plays_the_main_number_greeting(client, tenants, general):
    found = plan(client, "attendant")
    assert found.name == "attendant"
    assert found.actions[:3] == FR + [("answer", None)]
    [(application, data)] = [a for a in found.actions if a[0] == "play_and_get_digits"]
    assert "ivr/ivr-please_enter_extension_followed_by_pound.wav" in data and "|8500" in data
    check_answer(post(client, dial("attendant")))


def test_the_company_greeting_of_a_company_without_a_number_ends_the_call(client, tenants):
    company = factories.make_company(sip_domain="nonumber.voice.example")
    db.session.commit()
    found = plan(client, "attendant", caller=None, context=company.sip_domain)
    assert (found.name, found.actions) == ("attendant-none", [("hangup", "NORMAL_CLEARING")])
