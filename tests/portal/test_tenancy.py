"""A company's people never reach another company's rows: 404, never 403 and never the row."""
import pytest

from app.flask_extensions import db
from app.models.company import PhoneNumber
from app.models.user import Role, User


def test_company_a_admin_gets_404_for_company_b_user_and_number(client, auth, tenants):
    auth.login("admin@alpha.example")
    assert client.get(f"/users/{tenants['b_user'].id}").status_code == 404
    assert client.get(f"/numbers/{tenants['b_number'].id}").status_code == 404
    # and cannot change them either
    assert client.post(f"/users/{tenants['b_user'].id}", data={"first_name": "X", "last_name": "Y", "role": "admin", "active": "y"}).status_code == 404
    assert client.post(f"/numbers/{tenants['b_number'].id}", data={"label": "Hacked"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(User, tenants["b_user"].id).role is Role.USER
    assert db.session.get(PhoneNumber, tenants["b_number"].id).label == "Main"


def test_company_a_admin_reaches_own_rows(client, auth, tenants):
    auth.login("admin@alpha.example")
    assert client.get(f"/users/{tenants['a_user'].id}").status_code == 200
    assert client.get(f"/numbers/{tenants['a_number'].id}").status_code == 200


def test_lists_show_only_the_own_company(client, auth, tenants):
    auth.login("admin@alpha.example")
    users = client.get("/users/").get_data(as_text=True)
    numbers = client.get("/numbers/").get_data(as_text=True)
    assert "user@alpha.example" in users and "beta.example" not in users
    assert "(514) 555-0111" in numbers and "(418) 555-0122" not in numbers


@pytest.mark.parametrize("url", ["/users/", "/numbers/"])
def test_users_get_403_on_admin_pages(client, auth, tenants, url):
    auth.login("user@alpha.example")
    assert client.get(url).status_code == 403


def test_a_user_does_not_see_admin_menu_entries(client, auth, tenants):
    auth.login("user@alpha.example")
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'href="/users/"' not in html and 'href="/numbers/"' not in html
    assert 'href="/account"' in html


def test_the_operator_has_no_company_pages(client, auth, tenants):
    auth.login("ops@provider.example")
    assert client.get("/users/").status_code == 404
    assert client.get("/account").status_code == 404
