"""The files each phone fetches, parsed the way its vendor reads them (F9, F14, F16)."""
import logging
import time

import pytest
from lxml import etree

from app.flask_extensions import db
from app.services import phones
from tests.phones.conftest import assign
from tests.phones.digest import authorization, fetch, fetch_as

A = "alpha.voice.example"
HOSTILE = "<b>&\"'\nlinekey.9.type = 15"


def _polycom_params(body: bytes) -> dict:
    root = etree.fromstring(body)
    assert root.tag == "polycomConfig"
    params = {}
    for element in root.iter():
        params.update(element.attrib)
    return params


def _yealink_pairs(body: bytes) -> dict:
    lines = body.decode().splitlines()
    assert lines[0] == "#!version:1.0.0.1"
    pairs = {}
    for line in lines[1:]:
        key, sep, value = line.partition(" = ")
        assert sep, line
        assert key not in pairs, f"{key} twice"
        pairs[key] = value
    return pairs


@pytest.fixture
def laid_out(office):
    """Polycom: 101 on keys 1-2, 102 on key 3, a list of 103 (favourite) then 102.
    Yealink: 102 on key 1, the same list."""
    polycom, yealink = office["polycom"], office["yealink"]
    e = office["ext"]
    assign(polycom, e["101"], [1, 2])
    assign(polycom, e["102"], [3])
    assign(yealink, e["102"], [1])
    for phone in (polycom, yealink):
        phones.add_extension_entries(phone, [e["103"].id, e["102"].id])
        entries = {x.extension_id: x.id for x in phone.entries}
        phones.save_directory(phone, {entries[e["103"].id]: 1, entries[e["102"].id]: 2}, {entries[e["103"].id]}, True)
    db.session.commit()
    return office


def test_polycom_config_has_each_line_on_its_keys_with_server_time_zone_language_and_voicemail(laid_out, client):
    phone, e = laid_out["polycom"], laid_out["ext"]
    response = fetch_as(client, phone, "/provision/0004f2aabb01.cfg")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    p = _polycom_params(response.data)
    assert p["reg.1.address"] == f"101@{A}" and p["reg.1.auth.userId"] == "101"
    assert p["reg.1.auth.password"] == e["101"].sip_accounts[0].password
    assert p["reg.1.server.1.address"] == A and p["reg.1.lineKeys"] == "2" and p["reg.1.displayName"] == "Ann Lee"
    assert p["reg.2.address"] == f"102@{A}" and p["reg.2.lineKeys"] == "1"
    assert "reg.3.address" not in p
    assert [(p[f"lineKey.{k}.category"], p[f"lineKey.{k}.index"]) for k in (1, 2, 3)] == [
        ("Line", "1"), ("Line", "1"), ("Line", "2")]
    assert p["msg.mwi.1.callBack"] == "*97" and p["msg.mwi.1.callBackMode"] == "contact"
    assert p["tcpIpApp.sntp.gmtOffset"] == str(-5 * 3600) and p["tcpIpApp.sntp.daylightSavings.enable"] == "1"
    assert p["lcl.ml.lang"] == "French_Canada"  # extension 101's language
    # The favourite 103 is a busy lamp on the first free key, 4.
    assert p["lineKey.4.category"] == "BLF" and p["lineKey.4.index"] == "1"
    assert p["attendant.resourceList.1.address"] == f"103@{A}"
    assert "attendant.resourceList.2.address" not in p


def test_polycom_directory_lists_the_contacts_in_saved_order_with_the_favourite_watched(laid_out, client):
    response = fetch_as(client, laid_out["polycom"], "/provision/0004f2aabb01-directory.xml")
    assert response.status_code == 200
    items = etree.fromstring(response.data).findall("item_list/item")
    assert [(i.findtext("fn"), i.findtext("ct"), i.findtext("sd"), i.findtext("bw")) for i in items] == [
        ("Bob Roy", "103", "1", "1"), ("Réception", "102", "2", "0")]


def test_yealink_config_has_its_account_line_keys_blf_phonebook_and_clock(laid_out, client, app):
    phone, e = laid_out["yealink"], laid_out["ext"]
    response = fetch_as(client, phone, "/provision/805ec0aabb02.cfg")
    assert response.status_code == 200
    y = _yealink_pairs(response.data)
    assert (y["account.1.enable"], y["account.1.user_name"], y["account.1.auth_name"]) == ("1", "102", "102")
    assert y["account.1.password"] == e["102"].sip_accounts[0].password
    assert y["account.1.sip_server.1.address"] == A and y["voice_mail.number.1"] == "*97"
    assert "account.2.enable" not in y
    assert (y["linekey.1.type"], y["linekey.1.line"]) == ("15", "1")
    assert (y["linekey.2.type"], y["linekey.2.value"], y["linekey.2.label"]) == ("16", "103", "Bob Roy")
    assert [y[f"linekey.{k}.type"] for k in range(3, 11)] == ["0"] * 8 and "linekey.11.type" not in y
    assert (y["local_time.time_zone"], y["local_time.summer_time"]) == ("-5", "2")
    assert y["local_time.time_zone_name"] == "Canada(Montreal,Ottawa,Quebec)"
    assert y["sip.notify_reboot_enable"] == "1" and y["features.remote_phonebook.enable"] == "1"
    assert y["lang.gui"] == "French"
    url = y["remote_phonebook.data.1.url"]
    assert url == (f"http://{phone.provisioning_username}:{phone.provisioning_password}@localhost"
                   f"/provision/805ec0aabb02-phonebook.xml")


def test_yealink_phonebook_lists_the_contacts_in_saved_order(laid_out, client):
    response = fetch_as(client, laid_out["yealink"], "/provision/805ec0aabb02-phonebook.xml")
    root = etree.fromstring(response.data)
    assert root.tag == "YealinkIPPhoneDirectory"
    assert [(d.findtext("Name"), d.findtext("Telephone")) for d in root.findall("DirectoryEntry")] == [
        ("Bob Roy", "103"), ("Réception", "102")]


def test_a_hostile_name_stays_inert_in_every_file(laid_out, client):
    e = laid_out["ext"]
    for number in ("102", "103"):
        e[number].name = HOSTILE
    db.session.commit()
    inert = "<b>&\"' linekey.9.type = 15"  # the line break is gone, the rest is text
    y = _yealink_pairs(fetch_as(client, laid_out["yealink"], "/provision/805ec0aabb02.cfg").data)
    assert y["linekey.9.type"] == "0"  # not the 15 the name tried to set
    assert y["linekey.2.label"] == inert[:16]
    book = etree.fromstring(fetch_as(client, laid_out["yealink"], "/provision/805ec0aabb02-phonebook.xml").data)
    assert book.findtext("DirectoryEntry/Name") == inert
    p = _polycom_params(fetch_as(client, laid_out["polycom"], "/provision/0004f2aabb01.cfg").data)
    assert p["reg.2.displayName"] == inert
    directory = etree.fromstring(fetch_as(client, laid_out["polycom"], "/provision/0004f2aabb01-directory.xml").data)
    assert directory.findtext("item_list/item/fn") == inert
    assert len(directory.findall("item_list/item")) == 2  # no element injected


def test_a_phone_without_address_books_gets_no_directory(laid_out, client):
    for phone in (laid_out["polycom"], laid_out["yealink"]):
        phone.directory_enabled = False
    db.session.commit()
    assert fetch_as(client, laid_out["polycom"], "/provision/0004f2aabb01-directory.xml").status_code == 404
    assert fetch_as(client, laid_out["yealink"], "/provision/805ec0aabb02-phonebook.xml").status_code == 404
    y = _yealink_pairs(fetch_as(client, laid_out["yealink"], "/provision/805ec0aabb02.cfg").data)
    assert "remote_phonebook.data.1.url" not in y and y["linekey.2.type"] == "0"


def test_the_mac_in_the_file_name_is_matched_in_any_case_and_other_vendors_files_are_not_found(laid_out, client):
    assert fetch_as(client, laid_out["polycom"], "/provision/0004F2AABB01.cfg").status_code == 200
    assert fetch_as(client, laid_out["polycom"], "/provision/0004f2aabb01-phonebook.xml").status_code == 404
    assert fetch_as(client, laid_out["yealink"], "/provision/805ec0aabb02-directory.xml").status_code == 404
    assert client.get("/provision/000000000000.boot").status_code == 404


def _refusal(response):
    return response.status_code, response.data, sorted(response.headers.get("WWW-Authenticate", "").split(",")[0:1])


def test_no_wrong_or_other_phones_credentials_and_unknown_macs_get_the_same_401(laid_out, client, caplog):
    polycom, yealink = laid_out["polycom"], laid_out["yealink"]
    caplog.set_level(logging.WARNING, logger="app.blueprints.provision.routes")
    first = client.get("/provision/0004f2aabb01.cfg")
    assert first.status_code == 401 and first.headers["WWW-Authenticate"].startswith('Digest realm="Switchboard')
    refusals = [
        fetch(client, "/provision/0004f2aabb01.cfg", polycom.provisioning_username, "wrong"),
        fetch(client, "/provision/0004f2aabb01.cfg", yealink.provisioning_username, yealink.provisioning_password),
        fetch(client, "/provision/0004f2aaffff.cfg", polycom.provisioning_username, polycom.provisioning_password),
        fetch(client, "/provision/0004f2aabb01.cfg", polycom.provisioning_username, polycom.provisioning_password,
              uri="/provision/805ec0aabb02.cfg"),
    ]
    assert [r.status_code for r in refusals] == [401] * 4
    assert {r.data for r in refusals} == {first.data}
    assert all(r.headers["WWW-Authenticate"].startswith('Digest realm="Switchboard provisioning",nonce=')
               for r in refusals)
    assert b"reg.1" not in b"".join(r.data for r in refusals)
    logged = [r.getMessage() for r in caplog.records if "provisioning refused" in r.getMessage()]
    assert len(logged) == 4 and not any(polycom.provisioning_password in m for m in logged)


def test_a_nonce_expires_and_a_forged_one_is_refused(laid_out, client, monkeypatch):
    polycom = laid_out["polycom"]
    path = "/provision/0004f2aabb01.cfg"
    challenge = client.get(path).headers["WWW-Authenticate"]
    header = authorization(challenge, polycom.provisioning_username, polycom.provisioning_password, path)
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 301)
    assert client.get(path, headers={"Authorization": header}).status_code == 401
    monkeypatch.setattr(time, "time", real_time)
    assert client.get(path, headers={"Authorization": header}).status_code == 200
    forged = authorization(challenge, polycom.provisioning_username, polycom.provisioning_password, path,
                           nonce=format(int(real_time()), "x") + "-" + "0" * 32)
    assert client.get(path, headers={"Authorization": forged}).status_code == 401


def test_repeated_refusals_from_one_address_are_rate_limited(laid_out, client, app):
    app.config["PROVISION_FAILURE_LIMITS"] = "3 per minute"
    polycom = laid_out["polycom"]
    for _ in range(3):
        assert fetch(client, "/provision/0004f2aabb01.cfg", polycom.provisioning_username, "wrong").status_code == 401
    # Now even the right credentials wait: nothing is checked past the limit.
    response = client.get("/provision/0004f2aabb01.cfg")
    assert response.status_code == 429 and b"reg." not in response.data


def test_challenges_alone_do_not_count_towards_the_limit(laid_out, client, app):
    app.config["PROVISION_FAILURE_LIMITS"] = "3 per minute"
    for _ in range(10):
        assert fetch_as(client, laid_out["polycom"], "/provision/0004f2aabb01.cfg").status_code == 200


def test_an_address_book_contact_is_listed_with_its_names_and_outside_number(laid_out, client):
    from app.services import address_books

    admin = laid_out["a_admin"]
    (contact,), _ = address_books.add_contact(admin, [address_books.my_contacts(admin)],
                                             address_books.ContactFields("14185550100", "Luc", "Gagnon"))
    for phone in (laid_out["polycom"], laid_out["yealink"]):
        phones.add_contacts(phone, [contact])
    db.session.commit()
    items = etree.fromstring(fetch_as(client, laid_out["polycom"], "/provision/0004f2aabb01-directory.xml").data)
    assert [(i.findtext("fn"), i.findtext("ln"), i.findtext("ct"), i.findtext("bw"))
            for i in items.findall("item_list/item")][-1] == ("Luc", "Gagnon", "14185550100", "0")
    book = etree.fromstring(fetch_as(client, laid_out["yealink"], "/provision/805ec0aabb02-phonebook.xml").data)
    assert [(d.findtext("Name"), d.findtext("Telephone")) for d in book.findall("DirectoryEntry")][-1] == (
        "Luc Gagnon", "14185550100")


def test_a_zone_without_daylight_saving_gets_its_offset_and_no_summer_time(laid_out, client):
    for phone in (laid_out["polycom"], laid_out["yealink"]):
        phone.time_zone = "America/Regina"
    db.session.commit()
    y = _yealink_pairs(fetch_as(client, laid_out["yealink"], "/provision/805ec0aabb02.cfg").data)
    assert (y["local_time.time_zone"], y["local_time.summer_time"]) == ("-6", "0")
    assert "local_time.time_zone_name" not in y
    p = _polycom_params(fetch_as(client, laid_out["polycom"], "/provision/0004f2aabb01.cfg").data)
    assert (p["tcpIpApp.sntp.gmtOffset"], p["tcpIpApp.sntp.daylightSavings.enable"]) == (str(-6 * 3600), "0")
