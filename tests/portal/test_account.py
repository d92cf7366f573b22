from app.flask_extensions import db
from app.models.user import User
from tests import factories

EN = {"Accept-Language": "en"}


def test_a_person_edits_name_and_language(client, auth, tenants):
    auth.login("user@alpha.example")
    response = client.post("/account", data={"profile-first_name": "Zoé", "profile-last_name": "Roy",
                                             "profile-language": "fr", "profile-submit": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    user = db.session.get(User, tenants["a_user"].id)
    assert (user.first_name, user.language) == ("Zoé", "fr")


def test_changing_the_password_needs_the_current_one(client, auth, tenants):
    auth.login("user@alpha.example")
    page = client.post("/account", headers=EN, data={
        "password-current": "wrong-one-123", "password-password": "brand-new-pass-9",
        "password-confirm": "brand-new-pass-9", "password-submit": "1"})
    assert "This is not your current password." in page.get_data(as_text=True)
    ok = client.post("/account", data={
        "password-current": factories.PASSWORD, "password-password": "brand-new-pass-9",
        "password-confirm": "brand-new-pass-9", "password-submit": "1"})
    assert ok.status_code == 302
    auth.logout()
    assert auth.login("user@alpha.example", "brand-new-pass-9").status_code == 302


def test_an_empty_name_keeps_what_was_saved(client, auth, tenants):
    auth.login("user@alpha.example")
    page = client.post("/account", headers=EN, data={"profile-first_name": "", "profile-last_name": "Roy",
                                                     "profile-language": "en", "profile-submit": "1"})
    assert "Enter a first name." in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, tenants["a_user"].id).first_name == tenants["a_user"].first_name
