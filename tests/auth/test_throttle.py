"""Sign-in throttling that nobody can turn into a lock-out (issue 8.7)."""
import re
import time

import pytest

from app.flask_extensions import db
from app.models.user import Role
from tests import factories
from tests.conftest import page_text, wait_for

EN = {"Accept-Language": "en"}
WAIT = "Too many failed attempts for this address."


@pytest.fixture
def person(app):
    app.config["LOGIN_ACCOUNT_LIMITS"] = "5 per minute"
    company = factories.make_company()
    user = factories.make_user(company, Role.USER, email="kim@example.com", language="en")
    db.session.commit()
    return user


def _login(client, email="kim@example.com", password=factories.PASSWORD):
    return client.post("/login", data={"email": email, "password": password}, headers=EN)


def test_after_five_failures_even_the_right_password_waits(client, person):
    for _ in range(5):
        assert _login(client, password="wrong-password-1").status_code == 422
    response = _login(client)
    assert response.status_code == 429 and WAIT in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302


def test_an_unknown_address_is_throttled_the_same_way(client, person):
    for _ in range(5):
        _login(client, "ghost@example.com", "wrong-password-1")
        _login(client, password="wrong-password-1")
    known, unknown = _login(client), _login(client, "ghost@example.com")
    assert known.status_code == unknown.status_code == 429
    assert page_text(known) == page_text(unknown, same={"ghost@example.com": "kim@example.com"})


def test_the_owner_gets_in_through_a_reset_link_while_the_account_waits(client, person, mailbox):
    for _ in range(5):
        _login(client, password="wrong-password-1")
    client.post("/recover", data={"email": "kim@example.com"})
    [message] = wait_for(lambda: mailbox.to("kim@example.com"))
    link = re.search(r"http://localhost(/reset/[\w.\-]+)", message.get_content()).group(1)
    assert client.post(link, data={"password": "fresh-password-8", "confirm": "fresh-password-8"}).status_code == 302
    assert _login(client, password="fresh-password-8").status_code == 302


def test_the_wait_ends_and_the_owners_tries_meanwhile_do_not_lengthen_it(app, client, person):
    app.config["LOGIN_ACCOUNT_LIMITS"] = "3 per 2 seconds"
    for _ in range(3):
        _login(client, password="wrong-password-1")
    for _ in range(3):
        assert _login(client).status_code == 429  # tries during the wait: refused, not counted
    time.sleep(2.2)
    assert _login(client).status_code == 302


def test_failures_on_one_account_never_hold_up_another(client, person):
    factories.make_user(person.company, Role.USER, email="lee@example.com")
    db.session.commit()
    for _ in range(6):
        _login(client, password="wrong-password-1")
    assert _login(client, "lee@example.com").status_code == 302


def test_no_account_is_locked_in_the_database(client, person):
    for _ in range(20):
        _login(client, password="wrong-password-1")
    db.session.refresh(person)
    assert not hasattr(person, "locked_until")
