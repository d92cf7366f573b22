"""POST /freeswitch/xml: credentials, dispatch, and "not found" instead of any failure."""
import io
import logging

import pytest
from lxml import etree

from app.flask_extensions import db
from app.xml_curl import directory
from tests import factories
from tests.xml_curl.captures import URL, ask, auth_header, capture, is_not_found, other_app, post

DOMAIN = "alpha.voice.example"
REGISTER = "022-directory-127.0.0.1-1001-sip_auth.txt"
CALL = "027-dialplan-default-1002.txt"


def register(user="101", domain=DOMAIN):
    return capture(REGISTER, user=user, domain=domain, key_value=domain, sip_auth_username=user,
                   sip_auth_realm=domain)


def dial(destination, caller="101", domain=DOMAIN):
    return capture(CALL, {"Hunt-Context": domain, "Caller-Context": domain, "variable_user_name": caller,
                          "variable_domain_name": domain, "Hunt-Destination-Number": destination,
                          "Caller-Destination-Number": destination})


@pytest.fixture
def ext(tenants):
    extension = factories.make_extension(tenants["a"], "101", user=tenants["a_user"])
    db.session.commit()
    return extension


@pytest.mark.parametrize("headers", [
    {},
    auth_header(password="wrong"),
    auth_header(user="someone", password="xml-secret"),
    auth_header(password=""),
    {"Authorization": "Bearer xml-secret"},
], ids=["none", "wrong-password", "wrong-user", "empty-password", "not-basic"])
def test_without_the_right_credentials_freeswitch_gets_401(client, ext, headers):
    response = post(client, register(), headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Basic")
    assert b"password" not in response.data


def test_when_no_password_is_configured_everyone_is_refused(app_config):
    with other_app(app_config, FREESWITCH_XML_PASSWORD="") as app:
        response = post(app.test_client(), register(), headers=auth_header(password=""))
    assert response.status_code == 401


def test_freeswitch_needs_no_csrf_token(app_config, ext):
    with other_app(app_config, WTF_CSRF_ENABLED=True) as app:
        response = post(app.test_client(), register())
    assert response.status_code == 200 and b'<user id="101"' in response.data


@pytest.mark.parametrize("section", ["", "languages", "chatplan", "phrases", "DIRECTORY"])
def test_an_unknown_section_is_not_found(client, ext, section):
    assert is_not_found(ask(client, capture(REGISTER, section=section, user="101", domain=DOMAIN)))


def test_a_body_over_64_kib_is_not_found(client, ext):
    huge = capture(REGISTER, user="101", domain=DOMAIN, padding="x" * (70 * 1024))
    assert is_not_found(ask(client, huge))


@pytest.mark.parametrize("body", [
    b"",
    b"%%%&&&===",
    b"section=directory&user=%ZZ&domain=%",
    b"\xff\xfe\x00section=directory",
    b"section=dialplan",
    b"section=directory&action=sip_auth",
    b'{"section": "directory"}',
], ids=["empty", "garbage", "bad-escapes", "binary", "dialplan-without-fields", "directory-without-user",
        "json"])
def test_a_malformed_body_is_not_found(client, ext, body):
    assert is_not_found(ask(client, body))


def test_a_body_sent_without_a_length_is_not_found(client, ext):
    response = client.post(URL, input_stream=io.BytesIO(register().body()),
                           content_type="application/x-www-form-urlencoded", headers=auth_header())
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["101' OR '1'='1", '<x>&"', "101\n", "101\x00", "${system(id)}", "%s%n",
                                   "a" * 300, "$${domain}"])
def test_metacharacters_in_user_or_domain_are_not_found(client, ext, value):
    assert is_not_found(ask(client, register(user=value)))
    assert is_not_found(ask(client, register(domain=value)))
    assert is_not_found(ask(client, capture(REGISTER, user="101", domain=DOMAIN, key_value=value, key=value)))


@pytest.mark.parametrize("value", ["101' OR '1'='1", '<x>&"', "101\n", "${system(id)}", "a" * 300,
                                   "*99101' --"])
def test_metacharacters_in_a_destination_give_well_formed_xml_that_echoes_nothing(client, ext, value):
    doc = ask(client, dial(value))
    assert is_not_found(doc) or [(a.get("application"), a.get("data")) for a in doc.iter("action")] == [
        ("hangup", "UNALLOCATED_NUMBER")]
    assert value.encode() not in etree.tostring(doc)


@pytest.mark.parametrize("value", ["x' OR '1'='1", '<x>&"', "${system(id)}"])
def test_metacharacters_in_the_context_or_caller_are_not_found_or_ignored(client, ext, value):
    assert is_not_found(ask(client, dial("101", domain=value)))
    doc = ask(client, dial("15145550100", caller=value))
    assert [a.get("application") for a in doc.iter("action")] == ["playback", "hangup"]


@pytest.fixture
def routes_log(monkeypatch, caplog):
    """The endpoint's log lines. (Alembic's fileConfig() in migrations/env.py disables the
    loggers that exist when the test schema is built; this one is switched back on.)"""
    monkeypatch.setattr(logging.getLogger("app.xml_curl.endpoint"), "disabled", False)
    with caplog.at_level(logging.ERROR, logger="app.xml_curl.endpoint"):
        yield caplog


def test_when_the_database_is_unreachable_freeswitch_gets_not_found(app_config, routes_log):
    unreachable = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1"
    with other_app(app_config, SQLALCHEMY_DATABASE_URI=unreachable) as app:
        client = app.test_client()
        for request in (register(), dial("102"), capture("005-directory-gateways.txt")):
            response = post(client, request)
            assert response.status_code == 200 and is_not_found(ask(client, request))
        # voicemail.conf needs no database: FreeSWITCH still gets it.
        assert ask(client, capture("011-configuration-voicemail.conf.txt")).find(".//profile") is not None
    assert any("database error" in record.getMessage() for record in routes_log.records)


def test_an_unexpected_error_is_not_found_and_logged(client, ext, monkeypatch, routes_log):
    def broken(domain, username):
        raise RuntimeError("boom")

    monkeypatch.setattr(directory, "lookup", broken)
    assert is_not_found(ask(client, register()))
    assert any("failed, answering not found" in r.getMessage() for r in routes_log.records)


def test_answers_keep_the_xml_declaration_alone_on_its_line(client, ext):
    # FreeSWITCH's preprocessor drops every line that holds "<?" (switch_xml.c preprocess()).
    lines = post(client, register()).data.decode().splitlines()
    assert lines[0].startswith("<?xml") and not any("<?" in line for line in lines[1:])


def test_the_body_parser_keeps_the_first_value_and_decodes_names():
    from app.xml_curl.request import XmlCurlRequest

    req = XmlCurlRequest.from_body(b"section=directory&user=101&user=999&Hunt%2DContext=a.example&junk&=x&domain=%3Cb%3E")
    assert (req.section, req.user, req.context, req.domain) == ("directory", "101", "a.example", "<b>")


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_only_post_is_answered(client, ext, method):
    response = client.open(URL, method=method, headers=auth_header())
    assert response.status_code == 405 and response.headers["Allow"] == "POST"


def test_the_answer_carries_no_portal_cookie_or_page_headers(client, ext):
    response = post(client, register())
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert int(response.headers["Content-Length"]) == len(response.data)
    assert "Set-Cookie" not in response.headers and "Content-Security-Policy" not in response.headers


def test_the_portal_still_serves_its_pages_beside_the_endpoint(client):
    assert client.get("/login").status_code == 200


def test_the_freeswitch_only_app_answers_the_endpoint_and_nothing_else(app, ext):
    from werkzeug.test import Client

    from app.xml_curl.endpoint import freeswitch_only

    only = Client(freeswitch_only(app))
    answer = only.post(URL, data=register().body(), content_type="application/x-www-form-urlencoded",
                       headers=auth_header())
    assert answer.status_code == 200 and b'<user id="101"' in answer.data
    assert only.get("/login").status_code == 404 and only.get("/healthz").status_code == 404
