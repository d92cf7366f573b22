"""No input answers 500: each gets a message next to its field, nothing half-saved (issue 8.3)."""
import pytest
from sqlalchemy import func, select

from app.flask_extensions import db
from app.models.extension import Extension, TollMode
from app.models.user import User
from tests import factories
from tests.extensions.test_settings import admin_form, reload, setup, user_form  # noqa: F401 (fixture)

EN = {"Accept-Language": "en"}
CONTROL = "Remove the line breaks and other control characters."


def _admin(client):
    assert client.post("/login", data={"email": "admin@alpha.example", "password": factories.PASSWORD}).status_code == 302


def _operator(client):
    assert client.post("/login", data={"email": "ops@provider.example", "password": factories.PASSWORD}).status_code == 302


def _people() -> int:
    return db.session.execute(select(func.count()).select_from(User)).scalar_one()


# --- ids ------------------------------------------------------------------------

def _id_routes(app):
    for rule in app.url_map.iter_rules():
        if any(type(c).__name__ == "RowIdConverter" for c in rule._converters.values()):
            yield rule


@pytest.mark.parametrize("row_id", [str(2**31), str(2**63), "9" * 30, "١٢"])
def test_every_id_route_answers_404_for_an_id_no_row_can_have(app, client, tenants, row_id):
    routes = list(_id_routes(app))
    assert len(routes) >= 10  # every <int:…> route of the portal is covered by one converter
    for login in (_admin, _operator):
        login(client)
        for rule in routes:
            path = rule.rule
            for name in rule.arguments:
                path = path.replace(f"<int:{name}>", row_id).replace(f"<{name}>", "name")
            method = "GET" if "GET" in rule.methods else "POST"
            response = client.open(path, method=method)
            assert response.status_code == 404, (path, response.status_code)
        client.post("/logout")


def test_an_id_in_range_still_reaches_its_page(client, setup):
    _admin(client)
    assert client.get(f"/extensions/{setup['other'].id}").status_code == 200


# --- choices and numbers ------------------------------------------------------------

def test_a_bogus_long_distance_choice_is_a_field_error_on_the_settings_page(client, setup):
    _admin(client)
    ext = setup["other"]
    page = client.post(f"/extensions/{ext.id}", headers=EN, data=admin_form(ext, long_distance="bogus"))
    assert page.status_code == 422 and "Not a valid choice" in page.get_data(as_text=True)
    assert reload(ext).long_distance is TollMode.DISABLED


def test_a_bogus_long_distance_choice_is_a_cell_error_in_the_grid(client, setup):
    _admin(client)
    ext = setup["other"]
    page = client.post("/extensions/grid", headers=EN, data={
        "cells": f"{ext.id}:long_distance", f"e{ext.id}-version": str(ext.version),
        f"e{ext.id}-long_distance": "bogus", f"e{ext.id}-long_distance_code": ""})
    assert page.status_code == 422 and "Not a valid choice" in page.get_data(as_text=True)


def test_a_user_posting_a_non_numeric_forward_extension_with_forwarding_off_gets_a_field_error(client, setup):
    client.post("/login", data={"email": "user@alpha.example", "password": factories.PASSWORD})
    ext = setup["own"]
    page = client.post(f"/extensions/{ext.id}", headers=EN, data=user_form(ext, forward_extension="abc"))
    assert page.status_code == 422 and "Choose an extension of your company." in page.get_data(as_text=True)
    assert reload(ext).forward_extension_id is None


@pytest.mark.parametrize("value,message", [
    ("9" * 400, "Enter a whole number, in digits."),
    ("٤٥", "Enter a whole number, in digits."),  # Arabic-Indic 45: int() takes it
    ("1_0", "Enter a whole number, in digits."),
    ("301", "Enter a number of seconds from 0 to 300."),
])
def test_ring_seconds_must_be_a_small_number_in_ascii_digits(client, setup, value, message):
    _admin(client)
    ext = setup["other"]
    page = client.post(f"/extensions/{ext.id}", headers=EN, data=admin_form(ext, ring_seconds=value))
    assert page.status_code == 422 and message in page.get_data(as_text=True)
    assert reload(ext).ring_seconds == 20


@pytest.mark.parametrize("number", ["1٠٢", "1０５", "١٠٥"])
def test_an_extension_number_in_other_scripts_digits_is_refused(client, tenants, number):
    _admin(client)
    page = client.post("/extensions/new", headers=EN, data={"number": number, "owner_mode": "admin",
                                                          "name": "Lobby"})
    assert page.status_code == 422 and "Invalid extension" in page.get_data(as_text=True)
    assert db.session.execute(select(func.count()).select_from(Extension)).scalar_one() == 0


@pytest.mark.parametrize("field,value,message", [
    ("voicemail_password", "١٢٣٤", "Enter 4 to 10 digits."),
    ("voicemail_password", "１２３４", "Enter 4 to 10 digits."),
    ("findme_number", "５１４５５５０１００", "Digits only, no spaces or dashes."),
    ("long_distance_code", "١٢٣٤", "Digits only, no spaces or dashes."),
])
def test_digits_of_other_scripts_are_not_digits(client, setup, field, value, message):
    _admin(client)
    ext = setup["other"]
    extra = {"long_distance": "with_code"} if field == "long_distance_code" else {}
    page = client.post(f"/extensions/{ext.id}", headers=EN, data=admin_form(ext, **{field: value}, **extra))
    assert page.status_code == 422 and message in page.get_data(as_text=True)
    assert reload(ext).voicemail_password == "1234"


# --- text: control characters and sizes --------------------------------------------

def test_a_line_break_in_a_new_users_name_is_refused_and_nothing_is_created(client, tenants, mailbox):
    _admin(client)
    before = _people()
    page = client.post("/extensions/new", headers=EN, data={
        "number": "150", "owner_mode": "new", "first_name": "Eve\nBcc: all@example.com", "last_name": "Roy",
        "email": "eve@example.com", "language": "en"})
    assert page.status_code == 422 and CONTROL in page.get_data(as_text=True)
    assert _people() == before
    assert db.session.execute(select(func.count()).select_from(Extension)).scalar_one() == 0


@pytest.mark.parametrize("url,data,login", [
    ("/login", {"email": "admin@alpha.example\x00", "password": "x"}, None),
    ("/login", {"email": "admin@alpha.example", "password": "pass\x00word"}, None),
    ("/recover", {"email": "a\x00@alpha.example"}, None),
    ("/account", {"profile-first_name": "A\x00", "profile-last_name": "B", "profile-language": "en",
                  "profile-submit": "1"}, _admin),
    ("/extensions/new", {"number": "150", "owner_mode": "admin", "name": "Desk\x00"}, _admin),
    ("/extensions/new", {"number": "150", "owner_mode": "new", "first_name": "A", "last_name": "B",
                         "email": "x\x00@example.com", "language": "en"}, _admin),
    ("/extensions/new", {"number": "150", "owner_mode": "existing", "existing_user": "", "name": "Desk",
                         "email": "x\x00@example.com"}, _admin),  # a hidden field still posted
    ("/operator/companies/new", {"name": "Acme\x00", "sip_domain": "acme.voice.example", "time_zone": "UTC",
                                 "language": "fr"}, _operator),
    ("/operator/music-on-hold", {"name": "Jazz\x00", "source": "local_stream://jazz"}, _operator),
])
def test_a_nul_byte_in_any_text_field_is_a_field_error(client, tenants, url, data, login):
    if login:
        login(client)
    page = client.post(url, headers=EN, data=data)
    assert page.status_code in (200, 422), page.status_code
    if data.get("owner_mode") != "existing":
        assert CONTROL in page.get_data(as_text=True)


def test_a_nul_byte_in_extension_settings_is_a_field_error(client, setup):
    _admin(client)
    ext = setup["other"]
    page = client.post(f"/extensions/{ext.id}", headers=EN, data=admin_form(ext, name="Front\x00desk"))
    assert page.status_code == 422 and CONTROL in page.get_data(as_text=True)
    assert reload(ext).name == ext.name


def test_an_owner_name_too_long_for_the_extension_name_is_a_field_error(client, tenants):
    _admin(client)
    page = client.post("/extensions/new", headers=EN, data={
        "number": "150", "owner_mode": "new", "first_name": "A" * 50, "last_name": "B" * 50,
        "email": "long@example.com", "language": "en"})
    assert page.status_code == 422
    assert "full name is too long to name the extension" in page.get_data(as_text=True)
    assert db.session.execute(select(func.count()).select_from(User).where(User.email == "long@example.com")
                              ).scalar_one() == 0


def test_names_longer_than_their_column_are_refused_with_the_limit(client, tenants):
    _admin(client)
    page = client.post("/account", headers=EN, data={"profile-first_name": "A" * 51, "profile-last_name": "B",
                                                     "profile-language": "en", "profile-submit": "1"})
    assert page.status_code == 422 and "50 characters at most." in page.get_data(as_text=True)


def test_every_portal_form_refuses_control_characters_and_fits_its_columns():
    """One base class for every form: the checks above hold for forms added later."""
    from flask_wtf import FlaskForm

    import app.blueprints.auth.forms  # noqa: F401  (load every form module)
    import app.blueprints.books.forms  # noqa: F401
    import app.blueprints.extensions.forms  # noqa: F401
    import app.blueprints.main.forms  # noqa: F401
    import app.blueprints.numbers.forms  # noqa: F401
    import app.blueprints.operator.forms  # noqa: F401
    import app.blueprints.users.forms  # noqa: F401
    from app.blueprints.forms_common import PortalForm

    def every(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from every(sub)

    strays = [c.__qualname__ for c in every(FlaskForm) if not issubclass(c, PortalForm)]
    assert strays == []
