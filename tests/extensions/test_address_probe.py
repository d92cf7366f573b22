"""A company admin cannot find out which addresses have an account elsewhere (issue 8.7)."""
from sqlalchemy import func, select

from app.flask_extensions import db
from app.models.user import User
from tests import factories

EN = {"Accept-Language": "en"}
REFUSED = "This address cannot be used: ask the person for another one."
TOO_MANY = "Too many addresses were refused today"


def _new_person(client, email, number="150"):
    return client.post("/extensions/new", headers=EN, data={
        "number": number, "owner_mode": "new", "first_name": "Pat", "last_name": "Roy", "email": email,
        "language": "en"})


def _admin(client):
    client.post("/login", data={"email": "admin@alpha.example", "password": factories.PASSWORD})


def test_an_address_of_another_company_gets_a_refusal_that_does_not_say_account(client, tenants):
    _admin(client)
    html = _new_person(client, "user@beta.example").get_data(as_text=True)
    assert REFUSED in html and "already has an account" not in html


def test_an_address_of_the_own_company_points_to_assigning_instead(client, tenants):
    _admin(client)
    assert "already has an account with your company" in _new_person(client, "user@alpha.example").get_data(
        as_text=True)


def test_after_a_few_refusals_every_new_person_is_refused_so_probing_stops(app, client, tenants):
    app.config["ADDRESS_PROBE_LIMITS"] = "2 per day"
    _admin(client)
    for address in ("admin@beta.example", "user@beta.example"):
        assert REFUSED in _new_person(client, address).get_data(as_text=True)
    taken, fresh = _new_person(client, "ops@provider.example"), _new_person(client, "nobody-yet@example.com")
    assert TOO_MANY in taken.get_data(as_text=True) and TOO_MANY in fresh.get_data(as_text=True)
    assert fresh.status_code == 422
    assert db.session.execute(select(func.count()).select_from(User).where(
        User.email == "nobody-yet@example.com")).scalar_one() == 0


def test_the_limit_is_per_company(app, client, tenants):
    app.config["ADDRESS_PROBE_LIMITS"] = "1 per day"
    _admin(client)
    _new_person(client, "user@beta.example")
    client.post("/logout")
    client.post("/login", data={"email": "admin@beta.example", "password": factories.PASSWORD})
    assert _new_person(client, "newcomer@example.com").status_code == 302


def test_inviting_a_user_refuses_another_companys_address_the_same_way(client, tenants):
    _admin(client)
    page = client.post("/users/invite", headers=EN, data={"first_name": "Pat", "last_name": "Roy",
                                                          "email": "user@beta.example", "language": "en",
                                                          "role": "user"})
    assert page.status_code == 422
    assert REFUSED in page.get_data(as_text=True) and "already has an account" not in page.get_data(as_text=True)
