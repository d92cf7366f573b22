"""section=configuration: voicemail.conf from Switchboard, everything else from static files."""
import pytest

from app import readonly_db
from tests.xml_curl.captures import CAPTURES, QueryCounter, ask, capture, is_not_found, other_app

VOICEMAIL = "011-configuration-voicemail.conf.txt"


def profiles(doc):
    [configuration] = doc.findall("section[@name='configuration']/configuration")
    assert configuration.get("name") == "voicemail.conf"
    return {p.get("name"): {param.get("name"): param.get("value") for param in p.iterfind("param")}
            for p in configuration.iterfind("profiles/profile")}


def test_voicemail_conf_has_one_profile_per_allowed_message_length(app, client):
    with QueryCounter(readonly_db.engine()) as queries:
        found = profiles(ask(client, capture(VOICEMAIL)))
    assert {name: p["max-record-len"] for name, p in found.items()} == {
        "vm60": "60", "vm120": "120", "default": "180", "vm300": "300", "vm600": "600"}
    assert len(queries) == 0


def test_every_voicemail_profile_shares_one_mailbox_store(client):
    found = profiles(ask(client, capture(VOICEMAIL)))
    assert {(p["dbname"], p["storage-dir"]) for p in found.values()} == {
        ("voicemail_default", "$${storage_dir}/voicemail/default")}


def test_voicemail_menu_keys_follow_the_guide(client):
    default = profiles(ask(client, capture(VOICEMAIL)))["default"]
    # F2.5: 8500 -> 0 (mailbox options) -> 1 (record a greeting).
    assert (default["config-menu-key"], default["record-greeting-key"]) == ("0", "1")
    # F5: 0 reaches the box's operator destination, * the box's * destination through
    # one dial-plan number; login-keys (checked first) moves to a key neither uses.
    assert (default["operator-key"], default["vmain-key"], default["vmain-extension"]) == ("0", "*", "*96")
    assert default["login-keys"] not in ("0", "*", "#")
    # G11: 3 PIN tries, WAV; the portal's PIN is the one checked, never an empty one.
    assert (default["max-login-attempts"], default["file-extension"]) == ("3", "wav")
    assert (default["db-password-override"], default["allow-empty-password-auth"]) == ("false", "false")


def test_voicemail_email_comes_from_the_portal_sender(app_config):
    with other_app(app_config, MAIL_DEFAULT_SENDER="Switchboard <voicemail@provider.example>") as app:
        doc = ask(app.test_client(), capture(VOICEMAIL))
    email = {p.get("name"): p.get("value") for p in doc.iterfind(".//profile[@name='default']/email/param")}
    assert email["email-from"] == "voicemail@provider.example"
    assert email["template-file"] == "voicemail.tpl"


CONFIG_NAMES = sorted({capture(path.name).get("key_value") for path in CAPTURES.glob("*-configuration-*.txt")}
                      - {"voicemail.conf"})


@pytest.mark.parametrize("name", CONFIG_NAMES + ["valet_parking.conf", "nothing.conf", "voicemail.conf'--", ""])
def test_other_configurations_are_not_found_so_freeswitch_reads_its_files(client, name):
    assert is_not_found(ask(client, capture(VOICEMAIL, key_value=name)))
