import pytest
from playwright.sync_api import expect

from app.flask_extensions import db
from app.models.user import Role
from tests import factories

pytestmark = pytest.mark.e2e


def test_sign_in_switch_language_and_sign_out(live_server, page, app):
    company = factories.make_company("Démo inc.", "demo.voice.example")
    factories.make_user(company, Role.ADMIN, email="alice@demo.example", first_name="Alice", language=None)
    db.session.commit()

    page.goto(live_server + "/")
    expect(page.get_by_role("heading", name="Se connecter")).to_be_visible()
    page.get_by_label("Adresse courriel").fill("alice@demo.example")
    page.get_by_label("Mot de passe").fill(factories.PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_role("heading", name="Bonjour Alice")).to_be_visible()
    expect(page.locator("summary", has_text="Mon compte")).to_be_visible()

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Hello Alice")).to_be_visible()
    page.locator("summary", has_text="My account").click()
    page.get_by_role("navigation").get_by_role("link", name="Account settings").click()
    expect(page.get_by_role("heading", name="Account settings")).to_be_visible()
    expect(page.get_by_label("Language")).to_have_value("fr")  # the profile's: the header is for this session

    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.goto(live_server + "/account")
    expect(page).to_have_url(live_server + "/login?next=%2Faccount")
