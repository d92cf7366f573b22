import pytest
from sqlalchemy import select

from app.flask_extensions import db
from app.models.user import Role, User
from tests import factories

GENERIC_ERROR_EN = "Incorrect email address or password."


@pytest.fixture
def person(app):
    company = factories.make_company()
    user = factories.make_user(company, Role.ADMIN, email="Marie@Example.com", language="en")
    db.session.commit()
    return user


def test_login_page_renders_the_form_and_recovery_link(client):
    page = client.get("/login", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="email"' in html and 'name="password"' in html and 'name="remember"' in html
    assert "Recover your password" in html


def test_when_credentials_are_right_then_the_person_lands_on_the_home_page(client, auth, person):
    response = auth.login("marie@example.com")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = client.get("/")
    assert "Hello" in home.get_data(as_text=True) and person.first_name in home.get_data(as_text=True)


def test_email_matches_case_insensitively(client, auth, person):
    assert auth.login("MARIE@EXAMPLE.COM").status_code == 302


@pytest.mark.parametrize("email,password", [
    ("nobody@example.com", factories.PASSWORD),  # unknown email
    ("marie@example.com", "wrong-password-1"),     # wrong password
])
def test_bad_credentials_get_one_generic_error(client, auth, person, email, password):
    response = client.post("/login", data={"email": email, "password": password},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 422  # a refused form, as everywhere (issue 9)
    assert GENERIC_ERROR_EN in response.get_data(as_text=True)


def test_disabled_account_gets_the_same_generic_error(client, auth, person):
    person.active = False
    db.session.commit()
    response = client.post("/login", data={"email": "marie@example.com", "password": factories.PASSWORD},
                           headers={"Accept-Language": "en"})
    assert GENERIC_ERROR_EN in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # still signed out


def test_too_many_attempts_from_one_address_are_refused(app, client, auth, person):
    app.config["LOGIN_IP_LIMITS"] = "3 per minute"
    for _ in range(3):
        auth.login("nobody@example.com", "whatever-123")
    response = auth.login("marie@example.com")
    assert response.status_code == 429
    assert client.get("/").status_code == 302


def test_logout_ends_the_session(client, auth, person):
    auth.login("marie@example.com")
    assert client.get("/").status_code == 200
    response = auth.logout()
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_logout_is_post_only(client, auth, person):
    auth.login("marie@example.com")
    assert client.get("/logout").status_code == 405


def test_session_cookie_is_httponly_and_samesite(client, auth, person):
    response = auth.login("marie@example.com")
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("session="))
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie


def test_remember_me_sets_a_remember_cookie(client, auth, person):
    response = auth.login("marie@example.com", remember="y")
    assert any(c.startswith("remember_token=") and "HttpOnly" in c for c in response.headers.getlist("Set-Cookie"))


def test_next_is_followed_only_when_local(client, person):
    data = {"email": "marie@example.com", "password": factories.PASSWORD}
    assert client.post("/login?next=/users/", data=data).headers["Location"] == "/users/"
    client.post("/logout")
    assert client.post("/login?next=https://evil.example/", data=data).headers["Location"] == "/"


def test_passwords_are_stored_hashed(person):
    assert person.password_hash.startswith("$argon2id$")
    assert factories.PASSWORD not in person.password_hash


def test_every_page_but_sign_in_requires_a_session(client):
    for url in ("/", "/account", "/users/", "/numbers/", "/operator/"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
