"""Sessions end for good: sign-out, sign out everywhere, a new password (issue 8.2).

A cookie saved before the event is replayed on a second client, as an attacker who
copied it would."""
import re

import pytest
from sqlalchemy import func, select

from app.flask_extensions import db
from app.models.user import LoginSession, Role
from tests import factories
from tests.conftest import wait_for

NEW_PASSWORD = "another-horse-77"


@pytest.fixture
def person(app):
    company = factories.make_company()
    user = factories.make_user(company, Role.USER, email="sam@example.com", language="en")
    db.session.commit()
    return user


def _signed_in(app, remember: bool = False):
    client = app.test_client()
    data = {"email": "sam@example.com", "password": factories.PASSWORD}
    if remember:
        data["remember"] = "y"
    assert client.post("/login", data=data).status_code == 302
    assert client.get("/account").status_code == 200
    return client


def _copy(app, client, names=("session", "remember_token")):
    """A second browser holding copies of `client`'s cookies."""
    thief = app.test_client()
    for name in names:
        cookie = client.get_cookie(name)
        if cookie is not None:
            thief.set_cookie(name, cookie.value)
    return thief


def _reset_password(client, mailbox):
    client.post("/recover", data={"email": "sam@example.com"})
    [message] = wait_for(lambda: mailbox.to("sam@example.com"))
    link = re.search(r"http://localhost(/reset/[\w.\-]+)", message.get_content()).group(1)
    assert client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302


def test_a_session_cookie_saved_before_sign_out_no_longer_works(app, person):
    client = _signed_in(app)
    saved = _copy(app, client, ("session",))
    assert saved.get("/account").status_code == 200
    client.post("/logout")
    assert saved.get("/account").status_code == 302  # sent to the sign-in page


def test_signing_out_ends_this_browser_only(app, person):
    laptop, phone = _signed_in(app), _signed_in(app)
    laptop.post("/logout")
    assert phone.get("/account").status_code == 200


def test_sign_out_everywhere_ends_every_session_and_remember_me(app, person):
    laptop, phone = _signed_in(app), _signed_in(app, remember=True)
    saved_remember = _copy(app, phone, ("remember_token",))
    assert "Sign out everywhere" in laptop.get("/account", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert laptop.post("/account/sign-out-everywhere").status_code == 302
    assert laptop.get("/account").status_code == 302
    assert phone.get("/account").status_code == 302
    assert saved_remember.get("/account").status_code == 302
    assert db.session.execute(select(func.count()).select_from(LoginSession)).scalar_one() == 0


def test_a_password_reset_ends_the_sessions_opened_before_and_the_remember_me_cookie(app, client, person, mailbox):
    before = _signed_in(app, remember=True)
    saved_remember = _copy(app, before, ("remember_token",))
    assert saved_remember.get("/account").status_code == 200  # the remember-me cookie alone signs in
    _reset_password(client, mailbox)
    assert before.get("/account").status_code == 302
    assert _copy(app, before).get("/account").status_code == 302
    assert saved_remember.get("/account").status_code == 302


def test_changing_the_password_ends_the_other_sessions_but_not_this_one(app, person):
    this, other = _signed_in(app), _signed_in(app)
    response = this.post("/account", data={"password-current": factories.PASSWORD, "password-password": NEW_PASSWORD,
                                           "password-confirm": NEW_PASSWORD, "password-submit": "1"})
    assert response.status_code == 302
    assert this.get("/account").status_code == 200
    assert other.get("/account").status_code == 302


def test_disabling_a_person_ends_their_sessions(app, person):
    client = _signed_in(app)
    person.active = False
    db.session.commit()
    assert client.get("/account").status_code == 302


def test_a_session_older_than_its_maximum_age_no_longer_works(app, person):
    client = _signed_in(app)
    row = db.session.execute(select(LoginSession)).scalar_one()
    row.created_at = row.created_at - app.config["SESSION_MAX_AGE"]
    db.session.commit()
    assert client.get("/account").status_code == 302


def test_the_cookie_holds_a_random_token_and_the_database_only_its_hash(app, person):
    client = _signed_in(app, remember=True)
    remember = client.get_cookie("remember_token").value
    token = remember.split("|")[0]
    assert token != str(person.id) and len(token) >= 40
    stored = db.session.execute(select(LoginSession.token_hash)).scalar_one()
    assert token not in stored
