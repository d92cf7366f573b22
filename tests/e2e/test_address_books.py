"""Address books in a browser: "Select all" ticks everyone, the "+" row adds, the search filters in place."""
import re

import pytest
from playwright.sync_api import expect

from app.flask_extensions import db
from app.models.address_book import AddressBook
from app.models.user import Role
from app.services import address_books
from tests import factories
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e


def test_an_admin_makes_a_book_for_everyone_fills_it_and_searches_it_in_place(live_server, page, demo):
    company = factories.make_company("Other", "other.voice.example")
    factories.make_user(company, Role.USER, email="stranger@other.example", first_name="Stranger")
    bruno = factories.make_user(db.session.get(type(company), demo.one.company_id), Role.USER,
                                email="bruno@demo.example", first_name="Bruno", language="en")
    db.session.commit()
    sign_in(page, live_server, demo.admin)
    page.goto(live_server + "/address-books/new")
    page.get_by_label("Name", exact=True).fill("Fournisseurs <b>&\"'")
    people = page.locator("#members ul input[type=checkbox]")
    expect(people).to_have_count(2)  # Alice and Bruno: nobody of another company
    page.get_by_label("Select all").check()
    for box in people.all():
        expect(box).to_be_checked()
    page.get_by_label("Select all").uncheck()
    expect(people.first).not_to_be_checked()
    page.get_by_label(re.compile("Bruno")).check()
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text("Address book Fournisseurs <b>&\"' created: add its contacts.")).to_be_visible()
    expect(page.get_by_role("heading", name="Fournisseurs <b>&\"'")).to_be_visible()

    page.locator("#new-first_name").fill("Ann")
    page.locator("#new-last_name").fill("100% Lee")
    page.locator("#new-phone").fill("514 555-0100")
    page.get_by_role("button", name=re.compile("^Add to")).click()
    expect(page.locator("#new-phone-error")).to_have_text(
        "Digits only: remove the spaces. Digits only: remove the dashes.")
    page.locator("#new-phone").fill("5145550100")
    page.get_by_role("button", name=re.compile("^Add to")).click()
    expect(page.get_by_text("Contact added successfully.")).to_be_visible()
    page.locator("#new-first_name").fill("Bob")
    page.locator("#new-last_name").fill("Roy")
    page.locator("#new-phone").fill("5145550101")
    page.get_by_role("button", name=re.compile("^Add to")).click()
    expect(page.locator("#book-entries tbody tr")).to_have_count(2)

    page.get_by_role("searchbox").fill("%")
    expect(page.locator("#book-entries tbody tr")).to_have_count(1)
    expect(page.locator("#book-entries")).to_contain_text("100% Lee")
    expect(page).to_have_url(re.compile(r"\?q=%25$"))
    book = db.session.execute(db.select(AddressBook).filter_by(name="Fournisseurs <b>&\"'")).scalar_one()
    assert address_books.member_ids(book) == {bruno.id}
