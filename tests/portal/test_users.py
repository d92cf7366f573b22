from app.flask_extensions import db
from app.models.user import Role, User

EN = {"Accept-Language": "en"}


def test_an_admin_disables_a_user_who_then_cannot_sign_in(client, auth, tenants):
    auth.login("admin@alpha.example")
    user = tenants["a_user"]
    assert client.post(f"/users/{user.id}", data={"role": "user"}).status_code == 302  # unchecked = disabled
    db.session.expire_all()
    assert db.session.get(User, user.id).active is False
    auth.logout()
    auth.login("user@alpha.example")
    assert client.get("/").status_code == 302


def test_an_admin_promotes_a_user(client, auth, tenants):
    auth.login("admin@alpha.example")
    client.post(f"/users/{tenants['a_user'].id}", data={"role": "admin", "active": "y"})
    db.session.expire_all()
    assert db.session.get(User, tenants["a_user"].id).role is Role.ADMIN


def test_the_last_admin_cannot_be_demoted(client, auth, tenants):
    auth.login("admin@alpha.example")
    admin = tenants["a_admin"]
    page = client.post(f"/users/{admin.id}", data={"role": "user", "active": "y"}, headers=EN)
    assert page.status_code == 422
    assert "at least one active administrator" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, admin.id).role is Role.ADMIN


def test_an_invalid_role_is_a_field_error_not_a_500(client, auth, tenants):
    auth.login("admin@alpha.example")
    page = client.post(f"/users/{tenants['a_user'].id}", data={"role": "operator"}, headers=EN)
    assert page.status_code == 422 and "Not a valid choice" in page.get_data(as_text=True)


def test_the_user_list_shows_name_email_role(client, auth, tenants):
    auth.login("admin@alpha.example")
    html = client.get("/users/", headers=EN).get_data(as_text=True)
    assert tenants["a_user"].full_name in html and "Administrator" in html
