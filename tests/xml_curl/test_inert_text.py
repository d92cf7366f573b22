"""Text from the database can't change what FreeSWITCH does (app/telephony/fs_text.py).

A table of payloads is written into every field that reaches the directory, dial plan
and configuration answers; each answer must be one FreeSWITCH accepts, that its
preprocessor copies through untouched, whose values its expander and SIP stack read as
plain text, and whose dial strings and variable lists keep the separators they have
with a harmless value (tests/xml_curl/freeswitch_reader.py).
"""
from collections import Counter

import pytest
from lxml import etree

from app.flask_extensions import db
from app.telephony import fs_text
from tests.xml_curl.captures import dial, other_app, params, post, variables
from tests.xml_curl.fields import FIELDS, REQUESTS, make_scene, store
from tests.xml_curl.freeswitch_reader import acted_on, check_answer

PAYLOADS = {
    "doubled preprocessor word": "x-pre-x-pre-processprocess",
    "preprocessor command": '<X-PRE-PROCESS cmd="exec" data="touch /tmp/pwned"/>',
    "preprocessor word in capitals": "Acme X-PRE-PROCESS",
    "global variable": "$${domain}",
    "api call": "${system(touch /tmp/pwned)}",
    "nested expansion": "$${${system(id)}}",
    "escaped dollar": "\\${uuid}",
    "line break": "Acme\r\n<X-pre-process cmd=set data=a=b/>",
    "tab": "Acme\tInc",
    "nul": "Acme\x00Inc",
    "quotes": "O'Brien \"Boss\" `x`",
    "separators": "a,b;c:d|e^^:f",
    "brackets": "[x=y]{a=b}<c>&amp;",
    "dial string": "}sofia/gateway/evil/911,user/1@x",
    "comment command": "<!--# include data=/etc/passwd -->",
    "unicode": "Café Ünïcødé 東京 שלום",
    "bidi and zero width": "a\u202eb\u200bc\u2028d",
    "long": "é" * 300,
}
SEPARATORS = ",[]{}|;^:'<>"
HARMLESS = "Plain Value"


@pytest.fixture
def scene(tenants):
    return make_scene(tenants)


def _key(element, counts: Counter) -> tuple:
    if element.get("name") is not None:
        return element.tag, element.get("name")
    label = element.get("application") or ""
    counts[(element.tag, label)] += 1
    return element.tag, label, counts[(element.tag, label)]


def shape(doc) -> dict[tuple, str]:
    """Attribute values keyed by a path that survives a value changing: elements by their
    name, actions by application and rank."""
    values = {}

    def walk(element, path):
        counts = Counter()
        for child in element:
            child_path = path + (_key(child, counts),)
            for attribute, value in child.attrib.items():
                values[child_path + (attribute,)] = value
            walk(child, child_path)

    walk(doc, ())
    return values


def answers(client, names) -> list[tuple[str, etree._Element]]:
    return [(name, check_answer(post(client, REQUESTS[name]))) for name in names]


@pytest.mark.parametrize("field", FIELDS)
def test_no_payload_in_any_field_changes_what_freeswitch_reads(app, client, scene, field):
    write, reached = FIELDS[field]
    write(scene, HARMLESS)
    db.session.commit()
    baseline = {name: shape(doc) for name, doc in answers(client, reached)}
    for payload_name, payload in PAYLOADS.items():
        if not store(scene, field, payload):
            continue
        for name, doc in answers(client, reached):  # check_answer(): accepted, preprocessor and expander inert
            before = baseline[name]
            for key, value in shape(doc).items():
                harmless = before.get(key, "")
                for separator in SEPARATORS:
                    assert value.count(separator) <= harmless.count(separator), (
                        f"{payload_name!r} in {field} adds {separator!r} to {name}: {key} = {value!r}")


def test_the_old_one_pass_filter_is_what_the_preprocessor_check_catches():
    # The finding: removing the word once from "x-pre-x-pre-processprocess" wrote it.
    once = "x-pre-x-pre-processprocess".replace("x-pre-process", "")
    line = f'<param name="vm-mailto" value="{once}@alpha.example"/>\n'
    assert acted_on("<?xml version='1.0'?>\n" + line) == [(2, "dropped", line)]
    assert acted_on("<?xml version='1.0'?>\n<X-PRE-PROCESS cmd=\"set\" data=\"a=b\"/>\n")[0][1] == "command"
    assert acted_on("<?xml version='1.0'?>\n<a b=\"$${domain}\"/>\n") == [(2, "expanded", "domain")]


def test_a_doubled_preprocessor_word_in_an_email_or_the_company_name_reaches_nothing(client, scene):
    scene["company"].name = "x-pre-x-pre-processprocess inc."
    scene["bob"].voicemail_email = "x-pre-x-pre-processprocess@alpha.example"
    db.session.commit()
    response = post(client, REQUESTS["register 102"])
    user = check_answer(response).find(".//user")
    assert variables(user)["outbound_caller_id_name"] == "inc."
    assert "vm-mailto" not in params(user)
    assert b"pre-process" not in response.data.lower()


def test_line_breaks_and_tabs_never_reach_caller_id_names_or_ringback(client, scene):
    scene["bob"].name = "Bob\r\nSmith\tjr"
    scene["alice"].caller_id_name = "Sup\r\nport"
    scene["moh"].source = "/srv/moh/jazz.wav\n"
    db.session.commit()
    bob = check_answer(post(client, REQUESTS["register 102"])).find(".//user")
    assert variables(bob)["effective_caller_id_name"] == "Bob Smith jr"
    assert dict(_actions(client, "102"))["bridge"].count("origination_caller_id_name=Sup port,") == 1
    ringback = [data for app, data in _actions(client, "103") if app == "set" and data.startswith("ringback=")]
    assert ringback == ["ringback=local_stream://moh"]  # the default: the stored path is not one


def test_an_unknown_language_is_answered_as_the_default_one(client, scene):
    scene["bob"].language = "x\n"
    db.session.commit()
    bob = check_answer(post(client, REQUESTS["register 102"])).find(".//user")
    assert (variables(bob)["default_language"], variables(bob)["sound_prefix"]) == (
        "fr", "$${sounds_dir}/fr/ca/june")
    assert ("set", "default_language=fr") in _actions(client, "*99102")


def test_real_names_in_any_script_keep_their_letters(client, scene):
    scene["bob"].name = "Zoë O'Neil-Tremblay 東京"
    db.session.commit()
    bob = check_answer(post(client, REQUESTS["register 102"])).find(".//user")
    assert variables(bob)["effective_caller_id_name"] == "Zoë O’Neil-Tremblay 東京"


def test_the_portal_sender_address_reaches_voicemail_conf_only_when_it_is_inert(app_config):
    for sender, expected in (("Switchboard <voicemail@provider.example>", "voicemail@provider.example"),
                             ("Switchboard <x-pre-x-pre-processprocess@provider.example>",
                              "${voicemail_account}@${voicemail_domain}"),
                             ("Switchboard <a$${b}@provider.example>", "${voicemail_account}@${voicemail_domain}")):
        with other_app(app_config, MAIL_DEFAULT_SENDER=sender) as app:
            doc = check_answer(post(app.test_client(), REQUESTS["voicemail.conf"]))
        assert {p.get("value") for p in doc.iterfind(".//email/param[@name='email-from']")} == {expected}


def _actions(client, destination):
    doc = check_answer(post(client, dial(destination)))
    return [(a.get("application"), a.get("data")) for a in doc.iter("action")]


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_every_kind_lets_nothing_dangerous_through(payload):
    dangerous = ("$", "\\", '"', "\r", "\n", "\t", "\x00")
    name = fs_text.display_name(payload)
    assert not any(c in name for c in dangerous + tuple(",;:|^[]{}<>'`"))
    assert "x-pre-process" not in name.lower() and len(name) <= fs_text.DISPLAY_NAME_LENGTH
    for value in (fs_text.email(payload), fs_text.email(payload + "@alpha.example"),
                  fs_text.sound_source(payload, ""), fs_text.sound_source(f"/srv/{payload}.wav", ""),
                  fs_text.digits(payload), fs_text.e164(payload), fs_text.language(payload)):
        assert not any(c in value for c in dangerous) and "x-pre-process" not in value.lower()
    for check in (fs_text.is_token, fs_text.is_hostname):
        assert not check(payload) or payload.isalnum()
