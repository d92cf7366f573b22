import pytest
from playwright.sync_api import expect

from app.flask_extensions import db
from app.models.extension import Extension
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e


def test_the_grid_is_usable_with_the_keyboard_alone(live_server, page, demo):
    sign_in(page, live_server, demo.admin)
    page.goto(live_server + "/extensions/grid")
    row = page.locator("tr", has=page.get_by_role("link", name="101", exact=True))
    ring = row.locator('td[data-column="ring_seconds"]')
    editor = page.locator(f'input[name="e{demo.one.id}-ring_seconds"]')

    # Tab reaches the cells: from the name cell of 101, Tab goes to its caller ID cell.
    row.locator('td[data-column="name"] button').focus()
    page.keyboard.press("Tab")
    expect(row.locator('td[data-column="caller_id"] button')).to_be_focused()

    # Enter opens a cell and puts the focus in its editor.
    ring.get_by_role("button").focus()
    page.keyboard.press("Enter")
    expect(editor).to_be_focused()
    page.keyboard.type("45")

    # Escape cancels: the saved value is back, nothing is pending, the focus stays on the cell.
    page.keyboard.press("Escape")
    expect(editor).to_have_count(0)
    expect(ring).to_have_text("20 s")
    expect(page.locator('#grid-form input[name="cells"]')).to_have_count(0)
    expect(ring.get_by_role("button")).to_be_focused()

    # The cell opens again after a cancel; Tab leaves the editor for the next cell.
    page.keyboard.press("Enter")
    expect(editor).to_be_focused()
    editor.fill("30")
    page.keyboard.press("Tab")
    expect(row.locator('td[data-column="recording"] button')).to_be_focused()

    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("1 extension saved.")).to_be_visible()
    db.session.expire_all()
    assert db.session.get(Extension, demo.one.id).ring_seconds == 30


def test_a_cancelled_cell_is_not_saved(live_server, page, demo):
    sign_in(page, live_server, demo.admin)
    page.goto(live_server + "/extensions/grid")
    row = page.locator("tr", has=page.get_by_role("link", name="101", exact=True))
    row.locator('td[data-column="ring_seconds"]').click()
    editor = page.locator(f'input[name="e{demo.one.id}-ring_seconds"]')
    editor.fill("45")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Save").click()  # no "unsaved changes" prompt either: nothing pending
    expect(page).to_have_url(live_server + "/extensions/grid")
    db.session.expire_all()
    assert db.session.get(Extension, demo.one.id).ring_seconds == 20


def test_menus_close_on_escape_and_on_a_click_elsewhere(live_server, page, demo):
    sign_in(page, live_server, demo.admin)
    account = page.locator("details.menu", has=page.locator("summary", has_text="My account"))
    tools = page.locator("details.menu", has=page.locator("summary", has_text="Tools"))
    account.locator("summary").click()
    expect(account).to_have_attribute("open", "")
    page.keyboard.press("Escape")
    expect(account).not_to_have_attribute("open", "")
    expect(account.locator("summary")).to_be_focused()

    account.locator("summary").click()
    tools.locator("summary").click()  # one menu open at a time
    expect(account).not_to_have_attribute("open", "")
    expect(tools).to_have_attribute("open", "")
    page.locator("h1").click()
    expect(tools).not_to_have_attribute("open", "")


def test_the_skip_link_is_the_first_stop_and_leads_to_the_content(live_server, page, demo):
    sign_in(page, live_server, demo.admin)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
