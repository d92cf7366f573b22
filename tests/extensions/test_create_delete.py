import re

import pytest
from sqlalchemy import select

from app.flask_extensions import db
from app.models.extension import Extension, ForwardTarget, SipAccount
from app.models.user import Role, User
from tests import factories
from tests.conftest import wait_for


@pytest.fixture
def admin_client(client, auth, tenants):
    auth.login("admin@alpha.example")
    return client


def _new(client, **data):
    form = {"number": "101", "owner_mode": "admin", "name": "Reception", "voicemail": "y", "listed": "y"}
    form.update(data)
    return client.post("/extensions/new", data=form)


def test_the_form_suggests_the_next_free_numbers(admin_client, tenants):
    factories.make_extension(tenants["a"], "101")
    db.session.commit()
    html = admin_client.get("/extensions/new").get_data(as_text=True)
    suggested = re.findall(r'class="chip"[^>]*>(\d+)<', html)
    assert suggested[:3] == ["102", "103", "104"]


def test_a_managed_extension_lands_on_its_settings_page(admin_client, tenants):
    response = _new(admin_client)
    extension = db.session.execute(select(Extension).where(Extension.number == "101")).scalar_one()
    assert response.headers["Location"] == f"/extensions/{extension.id}"
    assert extension.company_id == tenants["a"].id and extension.user_id is None
    assert extension.name == "Reception" and extension.voicemail_enabled and extension.listed
    [account] = extension.sip_accounts
    assert account.username == "101" and len(account.password) >= 20 and account.password.isalnum()
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Extension 101" in page


def test_a_new_user_is_created_and_mailed_a_set_password_link(admin_client, tenants, mailbox):
    _new(admin_client, owner_mode="new", name="", first_name="Nadia", last_name="Roy",
         email="Nadia@Alpha.example", language="fr")
    user = db.session.execute(select(User).where(User.email == "nadia@alpha.example")).scalar_one()
    assert user.role is Role.USER and user.company_id == tenants["a"].id
    extension = db.session.execute(select(Extension).where(Extension.number == "101")).scalar_one()
    assert extension.user_id == user.id and extension.name == "Nadia Roy"
    assert extension.voicemail_email == "nadia@alpha.example" and extension.language == "fr"
    [message] = wait_for(lambda: mailbox.to("nadia@alpha.example"))
    assert "/reset/" in message.get_content() and message["Content-Language"] == "fr"


def test_an_existing_user_can_be_assigned(admin_client, tenants):
    _new(admin_client, owner_mode="existing", name="", existing_user=str(tenants["a_user"].id))
    extension = db.session.execute(select(Extension).where(Extension.number == "101")).scalar_one()
    assert extension.user_id == tenants["a_user"].id and extension.name == tenants["a_user"].full_name


def test_a_user_of_another_company_cannot_be_assigned(admin_client, tenants):
    response = _new(admin_client, owner_mode="existing", existing_user=str(tenants["b_user"].id))
    assert response.status_code == 422 and "Choose a user." in response.get_data(as_text=True)
    assert db.session.execute(select(Extension)).first() is None


@pytest.mark.parametrize("number, why", [
    ("911", "911 is a public service number (211 to 911)"),
    ("311", "311 is a public service number"),
    ("511", "511 is a public service number"),
    ("700", "700 to 709 are for parking calls"),
    ("705", "700 to 709 are for parking calls"),
    ("709", "700 to 709 are for parking calls"),
    ("8500", "8500 is the number to reach voicemail"),
    ("0123", "an extension cannot start with 0"),
    ("12", "use 3 to 6 digits"),
    ("1234567", "use 3 to 6 digits"),
    ("12a", "use 3 to 6 digits"),
    ("*97", "use 3 to 6 digits"),
])
def test_reserved_and_malformed_numbers_are_invalid_and_the_message_says_why(admin_client, number, why):
    response = _new(admin_client, number=number)
    assert f"Invalid extension: {why}" in response.get_data(as_text=True)
    assert db.session.execute(select(Extension)).first() is None


def test_poste_invalide_says_why_in_french(admin_client):
    admin_client.post("/language", data={"language": "fr"})
    html = _new(admin_client, number="911").get_data(as_text=True)
    assert "Poste invalide\u00a0: 911 est un numéro de service public" in html


def test_a_number_in_use_gets_its_own_error(admin_client, tenants):
    factories.make_extension(tenants["a"], "101")
    db.session.commit()
    assert "Extension already in use" in _new(admin_client).get_data(as_text=True)


def test_the_same_number_may_exist_in_another_company(admin_client, tenants):
    factories.make_extension(tenants["b"], "101")
    db.session.commit()
    assert _new(admin_client).status_code == 302


def test_new_user_fields_are_required_and_the_email_must_be_free(admin_client, tenants):
    page = _new(admin_client, owner_mode="new", email="user@beta.example", first_name="", last_name="X")
    html = page.get_data(as_text=True)
    assert "Enter a first name." in html and "This address cannot be used: ask the person for another one." in html


def test_users_cannot_create_extensions(client, auth, tenants):
    auth.login("user@alpha.example")
    assert _new(client).status_code == 403


def test_delete_removes_the_extension_its_accounts_and_forwarding_aimed_at_it(admin_client, tenants):
    target = factories.make_extension(tenants["a"], "102")
    caller = factories.make_extension(tenants["a"], "101", forward_enabled=True,
                                      forward_target=ForwardTarget.EXTENSION, forward_extension=target)
    factories.sip_softphone(target)
    db.session.commit()
    target_id, caller_id = target.id, caller.id
    response = admin_client.post(f"/extensions/{target_id}/delete", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Extension 102 deleted." in html and "turned off on extension 101" in html
    db.session.expire_all()
    assert db.session.get(Extension, target_id) is None
    assert db.session.execute(select(SipAccount).where(SipAccount.extension_id == target_id)).first() is None
    caller = db.session.get(Extension, caller_id)
    assert caller.forward_enabled is False and caller.forward_extension_id is None


def test_the_delete_button_asks_for_confirmation(admin_client, tenants):
    extension = factories.make_extension(tenants["a"], "132")
    db.session.commit()
    html = admin_client.get(f"/extensions/{extension.id}").get_data(as_text=True)
    assert 'data-confirm="Are you sure you want to delete extension 132?"' in html


def test_company_a_admin_cannot_read_change_or_delete_company_b_extension(admin_client, tenants):
    other = factories.make_extension(tenants["b"], "101", ring_seconds=20)
    db.session.commit()
    assert admin_client.get(f"/extensions/{other.id}").status_code == 404
    assert admin_client.post(f"/extensions/{other.id}", data={"ring_seconds": "5"}).status_code == 404
    assert admin_client.post(f"/extensions/{other.id}/delete").status_code == 404
    assert admin_client.get(f"/extensions/grid/{other.id}/dnd").status_code == 404
    db.session.expire_all()
    assert db.session.get(Extension, other.id).ring_seconds == 20
