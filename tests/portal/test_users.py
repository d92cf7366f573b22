from app.flask_extensions import db
from app.models.user import Role, User

EN = {"Accept-Language": "en"}
NAMES = {"first_name": "Ann", "last_name": "Lee"}


def test_an_admin_disables_a_user_who_then_cannot_sign_in(client, auth, tenants):
    auth.login("admin@alpha.example")
    user = tenants["a_user"]
    assert client.post(f"/users/{user.id}", data={**NAMES, "role": "user"}).status_code == 302  # unchecked = disabled
    db.session.expire_all()
    assert db.session.get(User, user.id).active is False
    auth.logout()
    auth.login("user@alpha.example")
    assert client.get("/").status_code == 302


def test_an_admin_promotes_a_user(client, auth, tenants):
    auth.login("admin@alpha.example")
    client.post(f"/users/{tenants['a_user'].id}", data={**NAMES, "role": "admin", "active": "y"})
    db.session.expire_all()
    assert db.session.get(User, tenants["a_user"].id).role is Role.ADMIN


def test_the_last_admin_cannot_be_demoted(client, auth, tenants):
    auth.login("admin@alpha.example")
    admin = tenants["a_admin"]
    page = client.post(f"/users/{admin.id}", data={**NAMES, "role": "user", "active": "y"}, headers=EN)
    assert page.status_code == 422
    assert "at least one active administrator" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, admin.id).role is Role.ADMIN


def test_an_invalid_role_is_a_field_error_not_a_500(client, auth, tenants):
    auth.login("admin@alpha.example")
    page = client.post(f"/users/{tenants['a_user'].id}", data={**NAMES, "role": "operator"}, headers=EN)
    assert page.status_code == 422 and "Not a valid choice" in page.get_data(as_text=True)


def test_the_user_list_shows_name_email_role(client, auth, tenants):
    auth.login("admin@alpha.example")
    html = client.get("/users/", headers=EN).get_data(as_text=True)
    assert tenants["a_user"].full_name in html and "Administrator" in html


def test_an_admin_renames_a_user(client, auth, tenants):
    auth.login("admin@alpha.example")
    user = tenants["a_user"]
    client.post(f"/users/{user.id}", data={"first_name": "Béa", "last_name": "Tremblay", "role": "user", "active": "y"})
    db.session.expire_all()
    assert db.session.get(User, user.id).full_name == "Béa Tremblay"


def test_disabling_yourself_says_so(client, auth, tenants):
    auth.login("admin@alpha.example")
    admin = tenants["a_admin"]
    page = client.post(f"/users/{admin.id}", data={**NAMES, "role": "admin"}, headers=EN)
    assert page.status_code == 422 and "You cannot disable your own account." in page.get_data(as_text=True)


def test_an_admin_invites_a_user_without_an_extension(client, auth, tenants, mailbox):
    from tests.conftest import wait_for

    auth.login("admin@alpha.example")
    response = client.post("/users/invite", data={"first_name": "Cléo", "last_name": "Roy", "language": "fr",
                                                  "email": "cleo@alpha.example", "role": "user"})
    assert response.status_code == 302
    user = db.session.execute(db.select(User).where(User.email == "cleo@alpha.example")).scalar_one()
    assert (user.company_id, user.role, user.password_hash) == (tenants["a"].id, Role.USER, None)
    [mail] = wait_for(lambda: mailbox.to("cleo@alpha.example"))
    assert "/reset/" in mail.get_content()
    html = client.get("/users/", headers=EN).get_data(as_text=True)
    assert "Cléo Roy" in html and "Resend the invitation" in html


def test_an_invitation_can_be_sent_again_until_a_password_is_chosen(client, auth, tenants, mailbox):
    from tests import factories
    from tests.conftest import wait_for

    invited = factories.make_user(tenants["a"], Role.USER, email="new@alpha.example", password=None)
    db.session.commit()
    auth.login("admin@alpha.example")
    client.post(f"/users/{invited.id}/resend")
    assert len(wait_for(lambda: mailbox.to("new@alpha.example"))) == 1
    client.post(f"/users/{tenants['a_user'].id}/resend", headers=EN)  # has a password: nothing sent
    assert mailbox.to("user@alpha.example") == []
    assert client.post(f"/users/{tenants['b_user'].id}/resend").status_code == 404


def test_disabling_yourself_says_so_even_when_another_admin_remains(client, auth, tenants):
    from tests import factories

    factories.make_user(tenants["a"], Role.ADMIN, email="second-admin@alpha.example")  # not the last admin
    db.session.commit()
    auth.login("admin@alpha.example")
    me = tenants["a_admin"]
    html = client.post(f"/users/{me.id}", data={**NAMES, "role": "admin"}, headers=EN).get_data(as_text=True)  # unchecked
    assert "You cannot disable your own account." in html
    assert "administrator access" not in html
    db.session.expire_all()
    assert db.session.get(User, me.id).active is True


def test_an_admin_who_demotes_themself_is_told_that(client, auth, tenants):
    from tests import factories

    factories.make_user(tenants["a"], Role.ADMIN, email="second-admin@alpha.example")
    db.session.commit()
    auth.login("admin@alpha.example")
    me = tenants["a_admin"]
    html = client.post(f"/users/{me.id}", data={**NAMES, "role": "user", "active": "y"}, headers=EN).get_data(as_text=True)
    assert "You cannot remove your own administrator access." in html
    db.session.expire_all()
    assert db.session.get(User, me.id).role is Role.ADMIN


def test_the_french_statuses_describe_the_account_whoever_the_person_is(client, auth, tenants):
    from tests import factories

    factories.make_user(tenants["a"], Role.USER, email="new@alpha.example", password=None)  # invited
    tenants["a_user"].active = False
    db.session.commit()
    auth.login("admin@alpha.example")
    client.post("/language", data={"language": "fr"})
    html = client.get("/users/").get_data(as_text=True)
    assert "Invitation envoyée" in html and "Compte désactivé" in html and "Compte actif" in html
    assert "Invité" not in html
