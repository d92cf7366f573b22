"""French by default, English on request; the choice is stored on the person."""
from datetime import datetime, timezone

from babel.messages.pofile import read_po
from flask_babel import format_datetime
from pathlib import Path

from app.flask_extensions import db
from app.models.user import User
from tests import factories

ROOT = Path(__file__).resolve().parents[2]


def test_french_is_the_default(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="fr">' in html and "Se connecter" in html


def test_the_browser_language_is_used_when_nothing_was_chosen(client):
    html = client.get("/login", headers={"Accept-Language": "en-CA,en;q=0.8"}).get_data(as_text=True)
    assert '<html lang="en">' in html and "Sign in" in html


def test_the_switch_works_before_sign_in(client):
    client.post("/language", data={"language": "en", "next": "/login"})
    assert "Recover your password" in client.get("/login").get_data(as_text=True)


def test_the_switch_is_stored_on_the_person(client, auth, tenants):
    auth.login("user@alpha.example")
    response = client.post("/language", data={"language": "fr", "next": "/account"})
    assert response.headers["Location"] == "/account"
    db.session.expire_all()
    assert db.session.get(User, tenants["a_user"].id).language == "fr"
    # a new session (another browser) starts in the stored language
    auth.logout()
    other = client.application.test_client()
    other.post("/login", data={"email": "user@alpha.example", "password": factories.PASSWORD})
    assert "Paramètres du compte" in other.get("/account").get_data(as_text=True)


def test_an_unknown_language_is_refused(client):
    assert client.post("/language", data={"language": "de"}).status_code == 400


def test_the_switch_ignores_a_foreign_next(client):
    response = client.post("/language", data={"language": "en", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_dates_are_shown_in_the_company_time_zone_and_the_persons_language(app, client, auth, tenants):
    tenants["a"].time_zone = "America/Vancouver"
    db.session.commit()
    auth.login("user@alpha.example")
    with app.test_request_context():
        from flask_login import login_user

        login_user(db.session.get(User, tenants["a_user"].id))
        moment = datetime(2026, 7, 1, 19, 30, tzinfo=timezone.utc)
        assert format_datetime(moment, "HH:mm") == "12:30"  # PDT = UTC-7
        assert "July" in format_datetime(moment, "long")


def _catalog(language: str):
    with open(ROOT / "translations" / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle)


def test_both_catalogs_translate_every_message_of_the_template():
    with open(ROOT / "translations" / "messages.pot", "rb") as handle:
        template_ids = {m.id for m in read_po(handle) if m.id}
    for language in ("fr", "en"):
        catalog = _catalog(language)
        missing = [m.id for m in catalog if m.id and (not m.string or m.fuzzy or
                                                      (isinstance(m.string, tuple) and not all(m.string)))]
        assert missing == [], f"{language}: untranslated {missing[:5]}"
        assert template_ids <= {m.id for m in catalog if m.id}, f"{language}: catalog is behind the template"


def test_the_template_holds_every_message_of_the_source(tmp_path):
    """`flask translate update` was run after the last change of a user-visible string."""
    from babel.messages.frontend import CommandLineInterface

    out = tmp_path / "fresh.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "_l",
                                "-o", str(out), str(ROOT / "app")])
    with open(out, "rb") as handle:
        fresh = {m.id for m in read_po(handle) if m.id}
    with open(ROOT / "translations" / "messages.pot", "rb") as handle:
        committed = {m.id for m in read_po(handle) if m.id}
    assert fresh - committed == set()
