import re

import pytest

from app.flask_extensions import db
from app.models.user import Role
from tests import factories
from tests.conftest import page_text, wait_for

LINK = re.compile(r"http://localhost(/reset/[\w.\-]+)")


@pytest.fixture
def people(app):
    company = factories.make_company()
    english = factories.make_user(company, Role.USER, email="ann@example.com", language="en", first_name="Ann")
    french = factories.make_user(company, Role.USER, email="luc@example.com", language="fr", first_name="Luc")
    db.session.commit()
    return english, french


def _link_from(message) -> str:
    return LINK.search(message.get_content()).group(1)


def test_recovery_answers_the_same_whether_or_not_the_address_exists(client, people, mailbox):
    known = client.post("/recover", data={"email": "ann@example.com"}, headers={"Accept-Language": "en"})
    unknown = client.post("/recover", data={"email": "ghost@example.com"}, headers={"Accept-Language": "en"})
    assert known.status_code == unknown.status_code == 200
    addresses = {"ann@example.com": "X", "ghost@example.com": "X"}
    assert page_text(known, same=addresses) == page_text(unknown, same=addresses)
    assert wait_for(lambda: mailbox.to("ann@example.com"))
    assert mailbox.to("ghost@example.com") == []


def test_recovery_mail_is_in_the_persons_language_and_its_link_sets_a_new_password(client, auth, people, mailbox):
    client.post("/recover", data={"email": "luc@example.com"})
    [message] = wait_for(lambda: mailbox.to("luc@example.com"))
    assert message["Content-Language"] == "fr"
    assert "Bonjour Luc" in message.get_content()
    link = _link_from(message)

    page = client.get(link)
    assert page.status_code == 200 and "luc@example.com" in page.get_data(as_text=True)
    done = client.post(link, data={"password": "nouveau-mot-2-passe", "confirm": "nouveau-mot-2-passe"})
    assert done.status_code == 302
    assert auth.login("luc@example.com", "nouveau-mot-2-passe").status_code == 302


def test_english_speakers_get_the_mail_in_english(client, people, mailbox):
    client.post("/recover", data={"email": "ann@example.com"})
    [message] = wait_for(lambda: mailbox.to("ann@example.com"))
    assert message["Content-Language"] == "en"
    assert message["Subject"] == "Choose a new password"
    assert "Hello Ann" in message.get_content()


def test_a_reset_link_works_only_once(client, people, mailbox):
    client.post("/recover", data={"email": "ann@example.com"})
    link = _link_from(wait_for(lambda: mailbox.to("ann@example.com"))[0])
    client.post(link, data={"password": "first-new-pass-1", "confirm": "first-new-pass-1"})
    again = client.get(link, headers={"Accept-Language": "en"})
    assert again.status_code == 410
    assert "already been used" in again.get_data(as_text=True)
    assert "Ask for a new link" in again.get_data(as_text=True)


def test_an_expired_reset_link_says_so(app, client, people, mailbox):
    client.post("/recover", data={"email": "ann@example.com"})
    link = _link_from(wait_for(lambda: mailbox.to("ann@example.com"))[0])
    app.config["PASSWORD_RESET_MAX_AGE"] = -1  # every link is now older than allowed
    page = client.get(link, headers={"Accept-Language": "en"})
    assert page.status_code == 410 and "expired" in page.get_data(as_text=True)


def test_a_tampered_link_is_refused(client, people):
    page = client.get("/reset/not-a-real-token", headers={"Accept-Language": "en"})
    assert page.status_code == 410 and "not valid" in page.get_data(as_text=True)


@pytest.mark.parametrize("password,message", [
    ("short1", "at least 10 characters"),
    ("onlyletterslong", "Mix letters with digits or symbols"),
])
def test_the_reset_page_enforces_the_password_policy(client, people, mailbox, password, message):
    client.post("/recover", data={"email": "ann@example.com"})
    link = _link_from(wait_for(lambda: mailbox.to("ann@example.com"))[0])
    page = client.post(link, data={"password": password, "confirm": password}, headers={"Accept-Language": "en"})
    assert page.status_code == 422 and message in page.get_data(as_text=True)


def test_mismatched_confirmation_is_refused(client, people, mailbox):
    client.post("/recover", data={"email": "ann@example.com"})
    link = _link_from(wait_for(lambda: mailbox.to("ann@example.com"))[0])
    page = client.post(link, data={"password": "good-password-1", "confirm": "good-password-2"},
                       headers={"Accept-Language": "en"})
    assert "The two passwords differ." in page.get_data(as_text=True)


def test_recovery_is_rate_limited(app, client, people, mailbox):
    app.config["RECOVERY_ADDRESS_LIMITS"] = "2 per hour"
    for _ in range(4):
        response = client.post("/recover", data={"email": "ann@example.com"})
        assert response.status_code == 200  # the answer stays neutral
    assert len(wait_for(lambda: mailbox.to("ann@example.com"))) == 2


def test_an_invalid_email_gets_a_field_error(client):
    page = client.post("/recover", data={"email": "not-an-email"}, headers={"Accept-Language": "en"})
    assert "Enter a valid email address." in page.get_data(as_text=True)
