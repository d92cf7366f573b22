"""section=directory: SIP accounts for digest auth, bridges, voicemail and MWI."""
import pytest
from lxml import etree

from app import readonly_db
from app.flask_extensions import db
from app.models.extension import MusicOnHold, TollMode
from app.services import extensions as extension_service
from tests import factories
from tests.xml_curl.captures import QueryCounter, ask, capture, is_not_found, other_app, params, post, variables

DOMAIN = "alpha.voice.example"
REGISTER = "022-directory-127.0.0.1-1001-sip_auth.txt"
INVITE = "026-directory-127.0.0.1-1001-sip_auth.txt"
USER_CALL = "028-directory-127.0.0.1-1002-user_call.txt"
VOICEMAIL_DEPOSIT = "041-directory-127.0.0.1-1002-voicemail-lookup.txt"
VOICEMAIL_CHECK = "050-directory-127.0.0.1-1002-voicemail-lookup.txt"
MESSAGE_COUNT = "023-directory-127.0.0.1-1001-message-count.txt"
GATEWAYS = "005-directory-gateways.txt"
NETWORK_LIST = "020-directory-127.0.0.1-network-list.txt"


def lookup(name, user="101", domain=DOMAIN, **fields):
    return capture(name, user=user, domain=domain, key_value=domain, **fields)


def the_user(doc):
    [user] = doc.iterfind("section[@name='directory']/domain/groups/group/users/user")
    return user


@pytest.fixture
def ext(tenants):
    extension = factories.make_extension(tenants["a"], "101", user=tenants["a_user"], name="Alice Martin",
                                         voicemail_password="1357", language="en")
    db.session.commit()
    return extension


def test_a_register_gets_the_account_with_its_password_and_context(client, ext):
    doc = ask(client, lookup(REGISTER))
    domain = doc.find("section[@name='directory']/domain")
    assert domain.get("name") == DOMAIN
    user = the_user(doc)
    assert user.get("id") == "101" and user.get("number-alias") == "101"
    assert params(user)["password"] == ext.sip_accounts[0].password
    assert variables(user) == {
        "user_context": DOMAIN,
        "accountcode": "101",
        "effective_caller_id_name": "Alice Martin",
        "effective_caller_id_number": "101",
        "outbound_caller_id_name": "Alpha inc.",
        "outbound_caller_id_number": "+15145550111",
        "default_language": "en",
        "sound_prefix": "$${sounds_dir}/en/us/callie",
        "hold_music": "local_stream://moh",
        "voicemail_callback_context": DOMAIN,
        "toll_allow": "local",
        "switchboard_extension": "101",
        "switchboard_long_distance": "disabled",
        "switchboard_international": "disabled",
        "switchboard_record_incoming": "false",
        "switchboard_record_outgoing": "false",
        "switchboard_hide_caller_id": "false",
        "callgroup": f"group@{DOMAIN}",
    }


def test_users_are_cacheable_for_two_hours_by_default_longer_than_a_phones_registration(client, ext):
    user = the_user(ask(client, lookup(REGISTER)))
    assert user.get("cacheable") == "7200000"  # milliseconds


def test_how_long_freeswitch_keeps_users_is_a_setting(app_config, ext):
    with other_app(app_config, FREESWITCH_DIRECTORY_CACHE_SECONDS=900) as app:
        user = the_user(ask(app.test_client(), lookup(REGISTER)))
    assert user.get("cacheable") == "900000"


@pytest.mark.parametrize("name", [REGISTER, INVITE, USER_CALL, VOICEMAIL_DEPOSIT, VOICEMAIL_CHECK, MESSAGE_COUNT])
def test_every_user_lookup_gets_the_same_entry_since_freeswitch_caches_it(client, ext, name):
    # A user cached after a REGISTER is what a later bridge or voicemail reads.
    reference = etree.tostring(the_user(ask(client, lookup(REGISTER))))
    assert etree.tostring(the_user(ask(client, lookup(name)))) == reference


def test_mod_voicemail_finds_the_box_by_number_alias_too(client, ext):
    user = the_user(ask(client, lookup(MESSAGE_COUNT, key="number-alias")))
    assert user.get("id") == "101" and params(user)["vm-password"] == "1357"


def test_a_bridge_to_an_extension_rings_every_sip_account_of_it(client, ext):
    factories.sip_softphone(ext, "Laptop")
    factories.sip_softphone(ext, "Mobile")
    db.session.commit()
    user = the_user(ask(client, lookup(USER_CALL)))
    assert params(user)["dial-string"] == (
        f"{{^^:sip_invite_domain={DOMAIN}:presence_id=101@{DOMAIN}:execute_on_answer=limit hash {DOMAIN} 101}}"
        f"${{sofia_contact(*/101@{DOMAIN})}},${{sofia_contact(*/101s1@{DOMAIN})}},"
        f"${{sofia_contact(*/101s2@{DOMAIN})}}")


def test_a_softphone_account_uses_the_extension_identity_and_its_box(client, ext):
    softphone = factories.sip_softphone(ext)
    db.session.commit()
    user = the_user(ask(client, lookup(REGISTER, user="101s1")))
    primary = the_user(ask(client, lookup(REGISTER)))
    assert user.get("id") == "101s1" and user.get("number-alias") == "101"
    assert params(user) == {
        "password": softphone.password,
        "dial-string": (f"{{^^:sip_invite_domain={DOMAIN}:presence_id=101@{DOMAIN}"
                        f":execute_on_answer=limit hash {DOMAIN} 101}}${{sofia_contact(*/101s1@{DOMAIN})}}"),
        "vm-enabled": "false",
        "mwi-account": f"101@{DOMAIN}",
    }
    assert variables(user) == variables(primary)
    assert variables(user)["effective_caller_id_number"] == "101"


def test_voicemail_params_without_an_email_keep_messages_on_the_server(client, ext):
    assert {k: v for k, v in params(the_user(ask(client, lookup(VOICEMAIL_DEPOSIT)))).items()
            if k.startswith("vm-")} == {
        "vm-enabled": "true", "vm-password": "1357", "vm-email-all-messages": "false",
        "vm-keep-local-after-email": "true"}


def test_voicemail_params_with_an_email_send_every_message_as_attachment(client, ext):
    ext.voicemail_email = "alice@alpha.example"
    db.session.commit()
    vm = params(the_user(ask(client, lookup(VOICEMAIL_DEPOSIT))))
    assert (vm["vm-mailto"], vm["vm-email-all-messages"], vm["vm-attach-file"], vm["vm-keep-local-after-email"]) == (
        "alice@alpha.example", "true", "true", "true")


def test_email_only_voicemail_does_not_keep_messages(client, ext):
    ext.voicemail_email, ext.voicemail_email_only = "alice@alpha.example", True
    db.session.commit()
    vm = params(the_user(ask(client, lookup(VOICEMAIL_DEPOSIT))))
    assert (vm["vm-email-all-messages"], vm["vm-keep-local-after-email"]) == ("true", "false")


def test_voicemail_off_disables_the_box(client, ext):
    ext.voicemail_enabled = False
    db.session.commit()
    assert params(the_user(ask(client, lookup(VOICEMAIL_CHECK))))["vm-enabled"] == "false"


def test_an_empty_pin_is_sent_empty_so_the_sip_password_never_opens_the_box(client, ext):
    ext.voicemail_password = ""
    db.session.commit()
    user = the_user(ask(client, lookup(VOICEMAIL_CHECK)))
    assert params(user)["vm-password"] == ""


def test_the_caller_id_override_is_the_outbound_caller_id(client, tenants, ext):
    other = factories.make_number(tenants["a"], "+15145550199", "Sales")
    ext.caller_id_name, ext.caller_id_number = "Sales desk", other
    db.session.commit()
    found = variables(the_user(ask(client, lookup(REGISTER))))
    assert (found["outbound_caller_id_name"], found["outbound_caller_id_number"]) == ("Sales desk", "+15145550199")
    assert (found["effective_caller_id_name"], found["effective_caller_id_number"]) == ("Alice Martin", "101")


def test_the_default_outbound_caller_id_is_the_company_name_and_first_number(client, tenants, ext):
    factories.make_number(tenants["a"], "+14385550100", "Second line")
    db.session.commit()
    found = variables(the_user(ask(client, lookup(REGISTER))))
    assert (found["outbound_caller_id_name"], found["outbound_caller_id_number"]) == ("Alpha inc.", "+14385550100")


def test_a_company_without_numbers_sends_no_outbound_caller_id(client):
    company = factories.make_company("Gamma", "gamma.voice.example")
    factories.make_extension(company, "201")
    db.session.commit()
    found = variables(the_user(ask(client, lookup(REGISTER, user="201", domain="gamma.voice.example"))))
    assert "outbound_caller_id_name" not in found and "outbound_caller_id_number" not in found


def test_settings_reach_the_variables(client, ext):
    ext.music_on_hold = MusicOnHold(name="Jazz", source="/srv/moh/jazz.wav")
    ext.long_distance, ext.international = TollMode.WITH_CODE, TollMode.UNLIMITED
    ext.record_incoming, ext.hide_caller_id, ext.call_pickup, ext.language = True, True, False, "fr"
    db.session.commit()
    found = variables(the_user(ask(client, lookup(REGISTER))))
    assert found["hold_music"] == "/srv/moh/jazz.wav"
    assert found["toll_allow"] == "local,domestic,international"
    assert (found["switchboard_long_distance"], found["switchboard_international"]) == ("with_code", "unlimited")
    assert (found["switchboard_record_incoming"], found["switchboard_hide_caller_id"]) == ("true", "true")
    assert (found["default_language"], found["sound_prefix"]) == ("fr", "$${sounds_dir}/fr/ca/june")
    assert "callgroup" not in found


def test_text_from_the_database_is_escaped_and_inert(client, ext):
    ext.name = 'Bob <b>&"${system(rm -rf /)}$${domain} X-PRE-PROCESS'
    ext.voicemail_email = "a${x}@alpha.example"
    db.session.commit()
    response = post(client, lookup(REGISTER))
    user = the_user(etree.fromstring(response.data))
    assert variables(user)["effective_caller_id_name"] == "Bob b & system(rm -rf /) domain"
    assert "vm-mailto" not in params(user)  # not an address FreeSWITCH can be given
    assert b"${system" not in response.data and b"$${domain}" not in response.data
    assert b"X-PRE-PROCESS" not in response.data.upper()


@pytest.mark.parametrize("user, domain", [
    ("101", "beta.voice.example"),       # company B has no 101
    ("101", "unknown.voice.example"),
    ("999", DOMAIN),
    ("101s9", DOMAIN),
    ("", DOMAIN),
])
def test_unknown_users_and_domains_are_not_found(client, ext, tenants, user, domain):
    doc = ask(client, lookup(REGISTER, user=user, domain=domain))
    assert is_not_found(doc) or doc.find(".//user") is None


def test_the_same_number_in_two_companies_answers_each_its_own(client, tenants, ext):
    theirs = factories.make_extension(tenants["b"], "101", name="Beta 101")
    db.session.commit()
    user = the_user(ask(client, lookup(REGISTER, domain="beta.voice.example")))
    assert params(user)["password"] == theirs.sip_accounts[0].password != ext.sip_accounts[0].password
    assert variables(user)["user_context"] == "beta.voice.example"


def test_an_extension_whose_owner_is_disabled_is_not_found(client, tenants, ext):
    factories.sip_softphone(ext)
    tenants["a_user"].active = False
    db.session.commit()
    assert is_not_found(ask(client, lookup(REGISTER)))
    assert is_not_found(ask(client, lookup(USER_CALL, user="101s1")))


def test_an_extension_managed_by_the_admin_is_found(client, tenants):
    factories.make_extension(tenants["a"], "150", user=None, name="Lobby")
    db.session.commit()
    assert the_user(ask(client, lookup(REGISTER, user="150"))).get("id") == "150"


def test_a_deleted_extension_is_not_found(client, ext):
    factories.sip_softphone(ext)
    db.session.commit()
    extension_service.delete_extension(ext)
    db.session.commit()
    assert is_not_found(ask(client, lookup(REGISTER)))
    assert is_not_found(ask(client, lookup(REGISTER, user="101s1")))


def test_a_user_lookup_is_one_query(app, client, ext):
    factories.sip_softphone(ext)
    db.session.commit()
    with QueryCounter(readonly_db.engine()) as queries:
        ask(client, lookup(USER_CALL))
    assert len(queries) == 1


def test_the_gateways_request_lists_every_company_domain_without_users(app, client, tenants):
    factories.make_extension(tenants["a"], "101")
    db.session.commit()
    with QueryCounter(readonly_db.engine()) as queries:
        doc = ask(client, capture(GATEWAYS))
    domains = doc.findall("section[@name='directory']/domain")
    assert [d.get("name") for d in domains] == ["alpha.voice.example", "beta.voice.example"]
    assert all(len(d) == 0 for d in domains)
    assert len(queries) == 1


def test_a_network_list_request_gets_the_domain_without_users(app, client, ext):
    with QueryCounter(readonly_db.engine()) as queries:
        doc = ask(client, capture(NETWORK_LIST, domain=DOMAIN, key_value=DOMAIN))
    [domain] = doc.findall("section[@name='directory']/domain")
    assert domain.get("name") == DOMAIN and len(domain) == 0 and doc.find(".//user") is None
    assert len(queries) == 1


def test_a_network_list_request_for_an_unknown_domain_is_not_found(client, ext):
    assert is_not_found(ask(client, capture(NETWORK_LIST)))
