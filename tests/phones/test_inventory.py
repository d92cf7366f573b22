"""The phone inventory (F14): add by MAC, list, search, rename, delete."""
import pytest

from app.flask_extensions import db
from app.models.phone import LineKey, Phone
from tests.phones.conftest import assign


def _phone(mac):
    return db.session.execute(db.select(Phone).where(Phone.mac == mac)).scalar_one_or_none()


@pytest.mark.parametrize("typed", ["00:1A:2b:3C:4d:5E", "00-1a-2b-3c-4d-5e", "001a.2b3c.4d5e", " 001A2B3C4D5E "])
def test_a_mac_typed_with_separators_in_any_case_is_stored_normalised(office, client, auth, typed):
    auth.login("admin@alpha.example")
    response = client.post("/phones/", data={"mac": typed, "name": "Hall", "model": "vvx250"})
    assert response.status_code == 302
    phone = _phone("001a2b3c4d5e")
    assert phone.company_id == office["a"].id and phone.name == "Hall" and phone.model == "vvx250"
    assert len(phone.provisioning_password) >= 24 and phone.provisioning_username
    page = client.get("/phones/").get_data(as_text=True)
    assert "00:1A:2B:3C:4D:5E" in page and "Hall" in page


@pytest.mark.parametrize("typed", ["00:1A:2B:3C:4D", "00:1A:2B:3C:4D:5G", "001A2B3C4D5E6F", "00 1A 2B 3C 4D 5E", ""])
def test_anything_but_twelve_hex_digits_is_an_invalid_mac_and_nothing_is_saved(office, client, auth, typed):
    auth.login("admin@alpha.example")
    before = db.session.execute(db.select(db.func.count()).select_from(Phone)).scalar_one()
    response = client.post("/phones/", data={"mac": typed, "name": "Hall", "model": "vvx250"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert ("Invalid MAC address" in page) if typed else ("Enter the MAC address." in page)
    assert db.session.execute(db.select(db.func.count()).select_from(Phone)).scalar_one() == before


def test_a_mac_registered_by_another_company_is_refused(office, client, auth):
    auth.login("admin@alpha.example")
    response = client.post("/phones/", data={"mac": "80:5E:C0:BB:BB:04", "name": "Mine", "model": "t46s"})
    assert response.status_code == 422
    assert "This phone is already registered" in response.get_data(as_text=True)
    assert _phone("805ec0bbbb04").company_id == office["b"].id


def test_a_phone_needs_a_name_and_a_model_of_the_list(office, client, auth):
    auth.login("admin@alpha.example")
    page = client.post("/phones/", data={"mac": "001a2b3c4d5e", "name": "", "model": "cisco"}).get_data(as_text=True)
    assert "Enter a name." in page and "Not a valid choice" in page
    assert _phone("001a2b3c4d5e") is None
    page = client.post("/phones/", data={"mac": "001a2b3c4d5e", "name": "x" * 65, "model": "t42s"}).get_data(as_text=True)
    assert "64 characters at most." in page


def test_the_list_shows_each_phone_with_its_extensions_and_search_matches_mac_name_or_extension(office, client, auth):
    assign(office["polycom"], office["ext"]["101"], [1])
    assign(office["polycom"], office["ext"]["102"], [2])
    auth.login("admin@alpha.example")
    page = client.get("/phones/").get_data(as_text=True)
    assert "00:04:F2:AA:BB:01" in page and "101, 102" in page
    assert "Beta phone" not in page  # another company's
    for query, found, missing in (("00-04-f2", "Polycom 450", "Spare phone"), ("spare", "Spare phone", "Polycom 450"),
                                  ("102", "Polycom 450", "Spare phone"), ("%", None, "Spare phone")):
        page = client.get("/phones/", query_string={"q": query}, headers={"HX-Request": "true"}).get_data(as_text=True)
        assert "<html" not in page  # the rows alone
        if found:
            assert found in page
        assert missing not in page


def test_rename_saves_the_new_name(office, client, auth):
    auth.login("admin@alpha.example")
    phone = office["spare"]
    response = client.post(f"/phones/{phone.id}", data={"name": "Salle B", "model": "t42s",
                                                        "time_zone": "America/Vancouver"})
    assert response.status_code == 302
    db.session.refresh(phone)
    assert (phone.name, phone.time_zone) == ("Salle B", "America/Vancouver")


def test_an_unassigned_phone_is_deleted(office, client, auth):
    auth.login("admin@alpha.example")
    assert client.post(f"/phones/{office['spare'].id}/delete", data={}).status_code == 302
    assert _phone("805ec0aabb03") is None


def test_an_assigned_phone_is_deleted_only_after_confirming_the_unassignment(office, client, auth):
    assign(office["polycom"], office["ext"]["101"], [1])
    auth.login("admin@alpha.example")
    response = client.post(f"/phones/{office['polycom'].id}/delete", data={})
    assert response.status_code == 422
    assert "tick the box" in response.get_data(as_text=True)
    assert _phone("0004f2aabb01") is not None
    assert client.post(f"/phones/{office['polycom'].id}/delete", data={"unassign": "y"}).status_code == 302
    assert _phone("0004f2aabb01") is None
    assert db.session.execute(db.select(db.func.count()).select_from(LineKey)).scalar_one() == 0


def test_another_companys_phone_is_not_found_and_users_may_not_manage_phones(office, client, auth):
    auth.login("admin@alpha.example")
    b_phone = office["b_phone"].id
    assert client.get(f"/phones/{b_phone}").status_code == 404
    assert client.post(f"/phones/{b_phone}/delete", data={"unassign": "y"}).status_code == 404
    assert client.post(f"/phones/{b_phone}", data={"name": "Mine", "model": "t46s",
                                                   "time_zone": "UTC"}).status_code == 404
    assert _phone("805ec0bbbb04").name == "Beta phone"
    auth.logout()
    auth.login("user@alpha.example")
    assert client.get("/phones/").status_code == 403
    assert client.post("/phones/", data={"mac": "001a2b3c4d5e", "name": "x", "model": "t42s"}).status_code == 403
