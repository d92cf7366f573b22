"""Drag a contact in a phone's list, save, and the phone's directory file has the new order (F9.4)."""
import pytest
from lxml import etree
from playwright.sync_api import expect

from app.flask_extensions import db
from app.services import phones
from tests.e2e.conftest import sign_in
from tests.phones.digest import fetch_as

pytestmark = pytest.mark.e2e


def test_a_dragged_contact_is_saved_in_its_new_place_in_the_phones_directory(live_server, page, demo, client):
    phone = phones.add_phone(demo.one.company, "0004f2e2e001", "Réception", "vvx450")
    phones.assign(phone, demo.one, [1], phone.name, phone.model, phone.time_zone)
    phones.add_company_book(phone)  # by name: Bruno Sales (102), Reception (101)
    db.session.commit()
    console = []
    page.on("console", lambda message: console.append(message.text))
    sign_in(page, live_server, demo.admin)
    page.goto(f"{live_server}/phones/{phone.id}/directory")
    rows = page.locator("ol.phone-entries li[data-entry]")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Bruno Sales")

    rows.nth(1).locator(".drag-handle").drag_to(rows.nth(0), target_position={"x": 5, "y": 2})
    expect(rows.nth(0)).to_contain_text("Reception")
    expect(rows.nth(0).locator(".position input")).to_have_value("1")  # renumbered after the drop
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("The phone's list is saved.")).to_be_visible()
    assert [m for m in console if "Content Security Policy" in m] == []

    db.session.expire_all()
    directory = etree.fromstring(fetch_as(client, phone, "/provision/0004f2e2e001-directory.xml").data)
    assert [i.findtext("ct") for i in directory.findall("item_list/item")] == ["101", "102"]
