import re

import pytest
from sqlalchemy import select

from app.flask_extensions import db
from app.models.extension import SipAccount
from tests import factories


@pytest.fixture
def ext(tenants):
    extension = factories.make_extension(tenants["a"], "101", user=tenants["a_user"])
    db.session.commit()
    return extension


def accounts(extension_id):
    db.session.expire_all()
    return db.session.execute(select(SipAccount).where(SipAccount.extension_id == extension_id)
                              .order_by(SipAccount.id)).scalars().all()


def test_adding_a_softphone_shows_new_credentials_never_shared(client, auth, ext):
    auth.login("admin@alpha.example")
    first = client.post(f"/extensions/{ext.id}/softphones", data={"label": "Laptop", "accept_fee": "y"},
                        follow_redirects=True)
    second = client.post(f"/extensions/{ext.id}/softphones", data={"label": "Mobile", "accept_fee": "y"},
                         follow_redirects=True)
    primary, laptop, mobile = accounts(ext.id)
    assert (laptop.username, mobile.username) == ("101s1", "101s2")
    assert len({primary.password, laptop.password, mobile.password}) == 3
    assert all(len(a.password) >= 20 for a in (laptop, mobile))
    html = first.get_data(as_text=True)
    assert "101s1" in html and laptop.password in html and "alpha.voice.example" in html
    assert mobile.password in second.get_data(as_text=True)


def test_a_softphone_needs_the_licence_fee_accepted(client, auth, ext):
    auth.login("admin@alpha.example")
    page = client.post(f"/extensions/{ext.id}/softphones", data={"label": "Laptop"}, follow_redirects=True)
    assert "Accept the fee to add a softphone." in page.get_data(as_text=True)
    assert len(accounts(ext.id)) == 1


def test_regenerating_changes_the_password(client, auth, ext):
    auth.login("admin@alpha.example")
    [account] = accounts(ext.id)
    old = account.password
    page = client.post(f"/extensions/{ext.id}/sip/{account.id}/regenerate", follow_redirects=True)
    [account] = accounts(ext.id)
    assert account.password != old and account.password in page.get_data(as_text=True)


def test_a_softphone_account_can_be_deleted_but_not_the_primary(client, auth, ext):
    softphone = factories.sip_softphone(ext)
    db.session.commit()
    auth.login("admin@alpha.example")
    primary_id, softphone_id = accounts(ext.id)[0].id, softphone.id
    assert client.post(f"/extensions/{ext.id}/sip/{primary_id}/delete").status_code == 400
    assert client.post(f"/extensions/{ext.id}/sip/{softphone_id}/delete").status_code == 302
    assert [a.id for a in accounts(ext.id)] == [primary_id]


def test_the_extensions_user_may_view_but_not_add_or_regenerate(client, auth, ext):
    auth.login("user@alpha.example")
    [account] = accounts(ext.id)
    assert account.password in client.get(f"/extensions/{ext.id}/sip/{account.id}").get_data(as_text=True)
    assert client.post(f"/extensions/{ext.id}/softphones", data={"accept_fee": "y"}).status_code == 403
    assert client.post(f"/extensions/{ext.id}/sip/{account.id}/regenerate").status_code == 403


def test_another_companys_account_is_404(client, auth, ext, tenants):
    other = factories.make_extension(tenants["b"], "101")
    db.session.commit()
    auth.login("admin@alpha.example")
    other_account = accounts(other.id)[0]
    assert client.get(f"/extensions/{other.id}/sip/{other_account.id}").status_code == 404
    # an account id of company B through company A's extension
    assert client.get(f"/extensions/{ext.id}/sip/{other_account.id}").status_code == 404


def test_the_settings_page_lists_the_accounts(client, auth, ext):
    factories.sip_softphone(ext, "Laptop")
    db.session.commit()
    auth.login("admin@alpha.example")
    html = client.get(f"/extensions/{ext.id}").get_data(as_text=True)
    assert re.search(r"<code>101</code>.*<code>101s1</code>", html, re.S)


def test_reloading_the_new_credentials_creates_and_bills_nothing(client, auth, ext):
    from app.models.billing import BillableEvent

    auth.login("admin@alpha.example")
    response = client.post(f"/extensions/{ext.id}/softphones", data={"accept_fee": "y"})
    assert response.status_code == 302
    first = client.get(response.headers["Location"]).get_data(as_text=True)
    again = client.get(response.headers["Location"]).get_data(as_text=True)
    assert len(accounts(ext.id)) == 2
    assert len(db.session.execute(select(BillableEvent)).scalars().all()) == 1
    assert "Softphone account created" in first and "Softphone account created" not in again
    assert accounts(ext.id)[1].password in again  # still shown to whoever may see it
