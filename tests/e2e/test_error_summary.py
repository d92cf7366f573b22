"""A failed save cannot be missed: a summary at the top takes the focus and links to each field."""
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e


def test_clearing_the_name_and_saving_focuses_a_summary_that_links_to_the_field(live_server, page, demo):
    sign_in(page, live_server, demo.admin)
    page.goto(live_server + f"/extensions/{demo.one.id}")
    page.get_by_label("Extension name").fill("")
    with page.expect_response(lambda r: r.request.method == "POST") as response:
        page.get_by_role("button", name="Save", exact=True).click()
    assert response.value.status == 422

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary).to_contain_text("Nothing was saved.")
    summary.get_by_role("link", name="Extension name").click()
    name = page.get_by_label("Extension name")
    expect(name).to_be_focused()
    expect(name).to_be_in_viewport()
    expect(name).to_have_accessible_description("Give the extension a name.")


def test_the_voicemail_pin_is_masked_until_shown(live_server, page, demo):
    sign_in(page, live_server, demo.admin)
    page.goto(live_server + f"/extensions/{demo.one.id}")
    pin = page.get_by_label("Voicemail PIN")
    expect(pin).to_have_attribute("type", "password")
    expect(pin).to_have_value("1234")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(pin).to_have_attribute("type", "text")
    page.get_by_role("button", name="Hide", exact=True).click()
    expect(pin).to_have_attribute("type", "password")
