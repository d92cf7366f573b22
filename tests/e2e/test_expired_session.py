"""With the session gone, an HTMX request takes the whole page to the login form, then back."""
import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e


def test_a_grid_cell_clicked_after_the_session_expired_leads_to_sign_in_then_back(live_server, page, demo):
    sign_in(page, live_server, demo.admin)
    page.goto(live_server + "/extensions/grid")
    page.context.clear_cookies()  # the session expired

    page.locator("tr", has=page.get_by_role("link", name="101", exact=True)).locator('td[data-column="dnd"]').click()
    expect(page).to_have_url(live_server + "/login?next=%2Fextensions%2Fgrid")
    expect(page.locator("td form")).to_have_count(0)  # the login page is the page, not a cell
    expect(page.get_by_text("Connectez-vous pour voir cette page.")).to_be_visible()

    sign_in_here(page)
    expect(page).to_have_url(live_server + "/extensions/grid")
    expect(page.get_by_role("heading", name="Manage extensions")).to_be_visible()


def test_an_address_book_search_after_the_session_expired_leads_to_sign_in_then_back(live_server, page, demo):
    sign_in(page, live_server, demo.admin)
    page.goto(live_server + "/address-books/")
    page.context.clear_cookies()

    page.get_by_role("searchbox").fill("Bruno")
    expect(page).to_have_url(live_server + "/login?next=%2Faddress-books%2F")
    expect(page.locator("#book-entries")).to_have_count(0)

    sign_in_here(page)
    expect(page).to_have_url(live_server + "/address-books/")
    expect(page.get_by_role("cell", name="Bruno Sales")).to_be_visible()


def sign_in_here(page):
    """Sign in on the login page the browser is on (not a fresh visit: `next` must be kept)."""
    page.locator("#email").fill("alice@demo.example")
    page.locator("#password").fill(factories.PASSWORD)
    page.locator("main form [type=submit]").click()
