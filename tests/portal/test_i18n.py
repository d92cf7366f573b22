"""French by default, English on request. The header's button sets the pages of the session,
Account settings the profile language, which mails follow."""
import re
from datetime import datetime, timezone

import pytest
from babel.messages.pofile import read_po
from flask_babel import format_datetime
from pathlib import Path

from app.flask_extensions import db
from app.models.user import User
from tests import factories
from tests.conftest import wait_for

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


def _profile_language(user_id: int) -> str:
    db.session.expire_all()
    return db.session.get(User, user_id).language


def test_the_header_switch_changes_the_pages_but_not_the_profile_language(client, auth, tenants):
    auth.login("user@alpha.example")  # profile: English
    assert "Account settings" in client.get("/account").get_data(as_text=True)
    response = client.post("/language", data={"language": "fr", "next": "/account"})
    assert response.headers["Location"] == "/account"
    assert "Paramètres du compte" in client.get("/account").get_data(as_text=True)
    assert _profile_language(tenants["a_user"].id) == "en"
    # another browser, or the next session, starts in the profile language
    other = client.application.test_client()
    other.post("/login", data={"email": "user@alpha.example", "password": factories.PASSWORD})
    assert "Account settings" in other.get("/account").get_data(as_text=True)


def test_the_language_chosen_before_sign_in_stays_after_it(client, auth, tenants):
    client.post("/language", data={"language": "fr", "next": "/login"})
    auth.login("user@alpha.example")  # profile: English
    assert "Paramètres du compte" in client.get("/account").get_data(as_text=True)
    assert _profile_language(tenants["a_user"].id) == "en"
    auth.logout()
    assert "Se connecter" in client.get("/login").get_data(as_text=True)


def test_the_sign_in_page_after_sign_out_is_in_the_profile_language(client, auth, tenants):
    auth.login("user@alpha.example")
    auth.logout()
    assert "Sign in" in client.get("/login").get_data(as_text=True)


def _save_profile(client, language: str):
    return client.post("/account", data={"profile-first_name": "Ann", "profile-last_name": "Roy",
                                         "profile-language": language, "profile-submit": "1"})


def test_account_settings_change_the_profile_language_and_the_pages(client, auth, tenants):
    auth.login("user@alpha.example")
    client.post("/language", data={"language": "en"})  # a header choice, then the profile one
    assert _save_profile(client, "fr").status_code == 302
    assert _profile_language(tenants["a_user"].id) == "fr"
    assert "Paramètres du compte" in client.get("/account").get_data(as_text=True)


def test_saving_the_profile_without_changing_its_language_keeps_the_header_choice(client, auth, tenants):
    auth.login("user@alpha.example")  # profile: English
    client.post("/language", data={"language": "fr"})
    _save_profile(client, "en")  # the select shows the profile language: saved as it was
    assert _profile_language(tenants["a_user"].id) == "en"
    assert "Paramètres du compte" in client.get("/account").get_data(as_text=True)


def test_the_recovery_mail_follows_the_profile_language_not_the_header(client, auth, tenants, mailbox):
    auth.login("user@alpha.example")  # profile: English
    client.post("/language", data={"language": "fr"})
    auth.logout()
    page = client.post("/recover", data={"email": "user@alpha.example"})
    assert "Consultez vos courriels" in page.get_data(as_text=True)  # the page: the header's choice
    [message] = wait_for(lambda: mailbox.to("user@alpha.example"))
    assert message["Content-Language"] == "en" and "Hello" in message.get_content()  # the mail: the profile's

    mailbox.clear()
    auth.login("user@alpha.example")
    _save_profile(client, "fr")
    auth.logout()
    client.post("/recover", data={"email": "user@alpha.example"})
    [message] = wait_for(lambda: mailbox.to("user@alpha.example"))
    assert message["Content-Language"] == "fr" and "Bonjour Ann" in message.get_content()


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


def _sip_account_changed_at(moment: datetime, tenants) -> int:
    extension = factories.make_extension(tenants["a"], "101", tenants["a_user"])
    extension.sip_accounts[0].password_changed_at = moment
    db.session.commit()
    return extension.id


@pytest.mark.parametrize("language, browser, shown", [
    ("en", "en-CA,en;q=0.8", "Jul 1, 2026, 3:30\u202fp.m."),
    ("en", "en", "Jul 1, 2026, 3:30\u202fp.m."),  # no region said: Canada's conventions
    ("en", "en-GB,en;q=0.8", "1 Jul 2026, 15:30"),  # the browser's region
    ("fr", "fr-CA,fr;q=0.8", "1 juill. 2026, 15 h 30"),
    ("fr", "en-US,en;q=0.8", "1 juill. 2026, 15 h 30"),  # the region of another language is not used
])
def test_dates_are_written_in_the_persons_locale_with_the_month_in_letters(client, auth, tenants, language,
                                                                          browser, shown):
    tenants["a_admin"].language = language
    extension_id = _sip_account_changed_at(datetime(2026, 7, 1, 19, 30, tzinfo=timezone.utc), tenants)
    auth.login("admin@alpha.example")
    html = client.get(f"/extensions/{extension_id}", headers={"Accept-Language": browser}).get_data(as_text=True)
    assert shown in html
    assert "7/1/26" not in html and "2026-07-01" not in html


def test_the_html_lang_is_the_language_alone(client):
    html = client.get("/login", headers={"Accept-Language": "en-GB"}).get_data(as_text=True)
    assert '<html lang="en">' in html


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


NBSP, NNBSP = "\u00a0", "\u202f"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _french_strings():
    for message in _catalog("fr"):
        if message.id:
            yield from (message.string if isinstance(message.string, tuple) else (message.string,))


def test_french_puts_a_no_break_space_before_high_punctuation_and_inside_guillemets():
    wrong = []
    for text in _french_strings():
        for sign in re.finditer(r"[:;?!»]", text):
            if text.startswith("://", sign.start()):
                continue  # local_stream://name
            expected = (NBSP,) if sign.group() in ":»" else (NNBSP, NBSP)
            if sign.start() == 0 or text[sign.start() - 1] not in expected:
                wrong.append(text)
        if re.search(r"«(?!\u00a0)", text) or re.search(r"(\d|%\(\w+\)[sd]) ([$]|%(?!\()|s\b)", text):
            wrong.append(text)
    assert wrong == []


def test_french_spacing_spaces_punctuation_but_not_addresses():
    from app.cli import french_spacing

    assert french_spacing("Jouer : local_stream://moh ; « Par défaut » ? 3 $") == (
        "Jouer\u00a0: local_stream://moh\u202f; «\u00a0Par défaut\u00a0»\u202f? 3\u00a0$")
    assert french_spacing(french_spacing("Qui ?")) == "Qui\u202f?"
    assert french_spacing("%(ring)s, puis %(target)s %(second)s, 10 %") == "%(ring)s, puis %(target)s %(second)s, 10\u00a0%"


@pytest.mark.parametrize("pattern, quebec", [
    (r"\be-?mails?\b", "courriel"),
    (r"\bsoftphones?\b", "téléphone logiciel"),
    (r"\bmot de passe de (la )?boîte vocale\b", "NIP de la boîte vocale"),
    (r"\bréglages\b", "paramètres"),
    (r"\bafficheur\b", "identification de l'appelant"),
    (r"\(s\)", "ngettext"),
])
def test_french_uses_quebec_terms(pattern, quebec):
    found = [text for text in _french_strings() if re.search(pattern, PLACEHOLDER.sub("", text), re.IGNORECASE)]
    assert found == [], f"use {quebec!r}"


def test_the_voicemail_pin_is_a_nip():
    catalog = _catalog("fr")
    assert catalog.get("Voicemail PIN").string == "NIP de la boîte vocale"


def test_no_message_ends_a_sentence_on_a_name():
    """A name may end with a period ("Démo inc."): never put a sentence's period right after it."""
    ends = re.compile(r"%\((company|name)\)s\.")
    for language in ("fr", "en"):
        for message in _catalog(language):
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for text in (message.id if isinstance(message.id, tuple) else (message.id,)) + strings:
                assert not ends.search(text or ""), text


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_company_name_ending_with_a_period_gets_no_second_one(app, client, auth, tenants, mailbox, language):
    from app.services import people

    tenants["a"].name = "Démo inc."
    tenants["a_admin"].language = language
    db.session.commit()
    auth.login("admin@alpha.example")
    for url in ("/", "/numbers/"):
        html = client.get(url).get_data(as_text=True)
        assert "Démo inc." in html and "inc.." not in html
    with app.test_request_context():
        people.send_welcome(db.session.get(User, tenants["a_admin"].id))
        db.session.commit()  # mail goes out after the commit
    [message] = wait_for(lambda: mailbox.to("admin@alpha.example"))
    assert "Démo inc." in message.get_content() and "inc.." not in message.get_content()
