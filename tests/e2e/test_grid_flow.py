import pytest
from playwright.sync_api import expect

from app.flask_extensions import db
from app.models.extension import Extension
from app.models.user import Role
from tests import factories

pytestmark = pytest.mark.e2e


def test_an_admin_edits_two_cells_and_saves_once(live_server, page, app):
    company = factories.make_company("Démo inc.", "demo.voice.example")
    factories.make_user(company, Role.ADMIN, email="alice@demo.example", first_name="Alice", language="en")
    one = factories.make_extension(company, "101", voicemail_password="1234")
    two = factories.make_extension(company, "102", voicemail_password="1234")
    db.session.commit()
    one_id, two_id = one.id, two.id

    console = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(live_server + "/login")
    page.get_by_label("Adresse courriel").fill("alice@demo.example")  # the browser asks for French
    page.get_by_label("Mot de passe").fill(factories.PASSWORD)
    page.get_by_role("button", name="Se connecter").click()  # then Alice's own language, English
    page.goto(live_server + "/extensions/grid")

    row_one = page.locator("tr", has=page.get_by_role("link", name="101", exact=True))
    row_one.locator('td[data-column="ring_seconds"]').click()
    ring = page.locator(f'input[name="e{one_id}-ring_seconds"]')
    expect(ring).to_be_visible()
    ring.fill("45")

    row_two = page.locator("tr", has=page.get_by_role("link", name="102", exact=True))
    row_two.locator('td[data-column="dnd"]').click()
    dnd = page.locator(f'input[name="e{two_id}-dnd"]')
    expect(dnd).to_be_visible()
    dnd.check()

    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("2 extensions saved.")).to_be_visible()
    # HTMX swapped the editors in under the strict CSP, and nothing was refused on the way.
    assert [m for m in console if "Content Security Policy" in m] == []
    expect(row_one.locator('td[data-column="ring_seconds"]')).to_have_text("45 s")
    expect(row_two.locator('td[data-column="dnd"]')).to_have_text("On")

    db.session.expire_all()
    assert db.session.get(Extension, one_id).ring_seconds == 45
    assert db.session.get(Extension, two_id).dnd is True
