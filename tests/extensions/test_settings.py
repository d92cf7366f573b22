from html import unescape

import pytest

from app.flask_extensions import db
from app.models.extension import BusyBehaviour, Extension, ForwardRule, ForwardTarget, MusicOnHold, TollMode
from tests import factories


@pytest.fixture
def setup(tenants):
    moh = MusicOnHold(name="Jazz", source="local_stream://jazz")
    db.session.add(moh)
    own = factories.make_extension(tenants["a"], "101", user=tenants["a_user"], voicemail_password="1234")
    other = factories.make_extension(tenants["a"], "102", voicemail_password="1234")
    foreign = factories.make_extension(tenants["b"], "103", voicemail_password="1234")
    db.session.commit()
    return {"own": own, "other": other, "foreign": foreign, "moh": moh, **tenants}


def user_form(extension, **changes):
    data = {"version": str(extension.version), "language": "fr", "moh": "", "ring_seconds": "25",
            "busy_behaviour": "ring", "forward_rule": "always", "forward_target": "external",
            "voicemail_enabled": "y", "voicemail_password": "4321", "voicemail_email": "me@alpha.example",
            "findme_ring_seconds": "15"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def admin_form(extension, **changes):
    data = user_form(extension, name=extension.name, owner="", long_distance="disabled",
                     international="disabled", caller_id_number="")
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def reload(extension) -> Extension:
    db.session.expire_all()
    return db.session.get(Extension, extension.id)


def errors_of(response) -> str:
    assert response.status_code == 422, response.status_code
    return response.get_data(as_text=True)


# --- what an administrator saves --------------------------------------------------

def test_an_admin_saves_every_field(client, auth, setup):
    auth.login("admin@alpha.example")
    ext, target = setup["other"], setup["own"]
    response = client.post(f"/extensions/{ext.id}", data=admin_form(
        ext, language="en", moh=str(setup["moh"].id), ring_seconds="0", dnd="y", busy_behaviour="voicemail",
        forward_enabled="y", forward_rule="no_answer", forward_target="extension", forward_extension=str(target.id),
        voicemail_email_only="y", findme_number="5145550000", findme_ring_seconds="30",
        name="Front desk", owner=str(setup["a_admin"].id), record_incoming="y", record_outgoing="y",
        call_pickup="y", listed="y", long_distance="with_code", long_distance_code="1234",
        international="unlimited", uc_legacy="y", video="y", caller_id_name="Alpha Desk",
        caller_id_number=str(setup["a_number"].id), hide_caller_id="y"))
    assert response.status_code == 302
    ext = reload(ext)
    assert (ext.language, ext.moh_id, ext.ring_seconds, ext.dnd) == ("en", setup["moh"].id, 0, True)
    assert ext.busy_behaviour is BusyBehaviour.VOICEMAIL
    assert (ext.forward_enabled, ext.forward_rule, ext.forward_target, ext.forward_extension_id) == (
        True, ForwardRule.NO_ANSWER, ForwardTarget.EXTENSION, target.id)
    assert ext.voicemail_password == "4321" and ext.voicemail_email_only
    assert (ext.name, ext.user_id) == ("Front desk", setup["a_admin"].id)
    assert ext.record_incoming and ext.record_outgoing and ext.call_pickup and ext.listed
    assert (ext.long_distance, ext.long_distance_code, ext.international) == (
        TollMode.WITH_CODE, "1234", TollMode.UNLIMITED)
    assert ext.uc_legacy and ext.video and not ext.uc_desktop
    assert (ext.caller_id_name, ext.caller_id_number_id, ext.hide_caller_id) == (
        "Alpha Desk", setup["a_number"].id, True)
    assert ext.version == 2


def test_no_answer_with_ring_forever_saves_with_a_warning(client, auth, setup):
    auth.login("admin@alpha.example")
    ext = setup["other"]
    page = client.post(f"/extensions/{ext.id}", follow_redirects=True, data=admin_form(
        ext, ring_seconds="0", forward_enabled="y", forward_rule="press_1", forward_number="5145550100"))
    assert "forwarding will never trigger" in page.get_data(as_text=True)
    assert reload(ext).forward_rule is ForwardRule.PRESS_1


def test_uc_desktop_needs_the_fee_accepted_on_the_settings_page(client, auth, setup):
    auth.login("admin@alpha.example")
    ext = setup["other"]
    assert "Accept the fee" in errors_of(client.post(f"/extensions/{ext.id}", data=admin_form(ext, uc_desktop="y")))
    assert client.post(f"/extensions/{ext.id}", data=admin_form(ext, uc_desktop="y", accept_fee="y")).status_code == 302
    assert reload(ext).uc_desktop is True


# --- validation: message next to the field, nothing saved -----------------------------

@pytest.mark.parametrize("changes,message", [
    ({"ring_seconds": "abc"}, "Enter a number of seconds"),
    ({"ring_seconds": "301"}, "from 0 to 300"),
    ({"ring_seconds": "-1"}, "from 0 to 300"),
    ({"forward_enabled": "y", "forward_number": ""}, "Enter the number calls go to."),
    ({"forward_enabled": "y", "forward_number": "514-555-0100"}, "Digits only, no spaces or dashes."),
    ({"forward_enabled": "y", "forward_number": "12345"}, "Enter 10 digits, or 11 digits starting with 1."),
    ({"forward_enabled": "y", "forward_number": "15145550100"}, "not allowed by this extension"),
    ({"forward_enabled": "y", "forward_number": "102"}, "cannot forward to itself"),
    ({"forward_enabled": "y", "forward_target": "extension", "forward_extension": ""}, "Choose the extension"),
    ({"forward_enabled": "y", "findme_enabled": "y", "forward_number": "5145550100", "findme_number": "5145550101"},
     "only be turned on while call forwarding is off"),
    ({"findme_enabled": "y", "findme_number": ""}, "Enter the number to try next."),
    ({"findme_enabled": "y", "findme_number": "5145550101", "findme_ring_seconds": "0"}, "from 1 to 300"),
    ({"long_distance": "with_code", "long_distance_code": "123"}, "access code of 4 to 8 digits"),
    ({"international": "with_code", "international_code": "123456789"}, "access code of 4 to 8 digits"),
    ({"caller_id_name": "A name far too long"}, "15 characters at most."),
    ({"caller_id_name": "Desk"}, "Caller ID needs both a name and a number."),
    ({"voicemail_email": "not-an-email"}, "Enter a valid email address."),
    ({"voicemail_password": "12"}, "Enter 4 to 10 digits."),
    ({"voicemail_email_only": "y", "voicemail_email": ""}, "An email address is required"),
    ({"busy_behaviour": "explode"}, "Not a valid choice"),
])
def test_bad_input_is_refused_next_to_the_field(client, auth, setup, changes, message):
    auth.login("admin@alpha.example")
    ext = setup["other"]
    # 102 forwarding to itself is checked by number, so name the field value accordingly
    html = errors_of(client.post(f"/extensions/{ext.id}", data=admin_form(ext, **changes)))
    assert message in html
    assert reload(ext).version == 1  # nothing saved


def test_forwarding_to_another_companys_extension_is_refused(client, auth, setup):
    auth.login("admin@alpha.example")
    ext = setup["other"]
    html = errors_of(client.post(f"/extensions/{ext.id}", data=admin_form(
        ext, forward_enabled="y", forward_target="extension", forward_extension=str(setup["foreign"].id))))
    assert "Choose an extension of your company." in html


def test_a_caller_id_number_of_another_company_is_refused(client, auth, setup):
    auth.login("admin@alpha.example")
    ext = setup["other"]
    html = errors_of(client.post(f"/extensions/{ext.id}", data=admin_form(
        ext, caller_id_name="Desk", caller_id_number=str(setup["b_number"].id))))
    assert "Choose one of your company's numbers." in html


def test_a_stale_form_does_not_overwrite_a_newer_save(client, auth, setup):
    auth.login("admin@alpha.example")
    ext = setup["other"]
    first = admin_form(ext, ring_seconds="30")
    second = admin_form(ext, ring_seconds="45")  # opened at the same version
    assert client.post(f"/extensions/{ext.id}", data=first).status_code == 302
    html = errors_of(client.post(f"/extensions/{ext.id}", data=second))
    assert "Someone else saved this extension" in html
    assert reload(ext).ring_seconds == 30


# --- what a user may do -------------------------------------------------------------------

def test_a_user_sees_only_the_user_section_of_their_extension(client, auth, setup):
    auth.login("user@alpha.example")
    html = client.get(f"/extensions/{setup['own'].id}").get_data(as_text=True)
    assert 'name="ring_seconds"' in html and 'name="forward_enabled"' in html
    for admin_field in ("record_incoming", "long_distance", "caller_id_name", "hide_caller_id", "owner"):
        assert f'name="{admin_field}"' not in html
    assert "Delete extension" not in html


def test_a_user_saves_their_own_settings(client, auth, setup):
    auth.login("user@alpha.example")
    ext = setup["own"]
    assert client.post(f"/extensions/{ext.id}", data=user_form(ext, dnd="y", ring_seconds="40")).status_code == 302
    ext = reload(ext)
    assert ext.dnd and ext.ring_seconds == 40


@pytest.mark.parametrize("admin_field", [{"record_incoming": "y"}, {"long_distance": "unlimited"},
                                         {"caller_id_name": "Boss"}, {"owner": ""}])
def test_a_user_posting_admin_fields_is_refused(client, auth, setup, admin_field):
    auth.login("user@alpha.example")
    ext = setup["own"]
    assert client.post(f"/extensions/{ext.id}", data=user_form(ext, **admin_field)).status_code == 403
    ext = reload(ext)
    assert ext.version == 1 and not ext.record_incoming and ext.long_distance is TollMode.DISABLED


def test_a_user_cannot_open_someone_elses_extension(client, auth, setup):
    auth.login("user@alpha.example")
    assert client.get(f"/extensions/{setup['other'].id}").status_code == 403
    assert client.get(f"/extensions/{setup['foreign'].id}").status_code == 404


def test_a_user_lists_their_extensions(client, auth, setup):
    auth.login("user@alpha.example")
    html = client.get("/extensions/").get_data(as_text=True)
    assert f'href="/extensions/{setup["own"].id}"' in html and f'/extensions/{setup["other"].id}"' not in html


def test_the_page_is_in_french_for_a_french_speaker(client, auth, setup):
    user = setup["a_user"]
    user.language = "fr"
    db.session.commit()
    auth.login("user@alpha.example")
    html = client.get(f"/extensions/{setup['own'].id}").get_data(as_text=True)
    assert "Renvoi d'appel" in html and "Ne pas déranger" in html


def test_a_user_may_forward_long_distance_when_the_admin_allowed_it(client, auth, setup):
    ext = setup["own"]
    ext.long_distance = TollMode.UNLIMITED
    db.session.commit()
    auth.login("user@alpha.example")
    response = client.post(f"/extensions/{ext.id}", data=user_form(
        reload(ext), forward_enabled="y", forward_number="15145550100"))
    assert response.status_code == 302
    assert reload(ext).forward_number == "15145550100"


def test_the_page_says_what_the_next_call_does(client, auth, setup):
    ext = setup["other"]
    auth.login("admin@alpha.example")
    html = client.get(f"/extensions/{ext.id}").get_data(as_text=True)
    assert "Rings 20 s on 1 device, then voicemail." in html
    client.post(f"/extensions/{ext.id}", data=admin_form(ext, forward_enabled="y", forward_number="5145550100"))
    html = client.get(f"/extensions/{ext.id}").get_data(as_text=True)
    assert "Forwarded at once to (514) 555-0100." in html and "Rings 20 s" not in html


def test_a_setting_that_cannot_act_is_flagged_by_the_call_rule(client, auth, setup):
    ext = setup["other"]
    auth.login("admin@alpha.example")
    page = client.post(f"/extensions/{ext.id}", data=admin_form(
        ext, ring_seconds="0", forward_enabled="y", forward_rule="no_answer", forward_number="5145550100"),
        follow_redirects=True)
    html = page.get_data(as_text=True)
    assert "Extension 102 saved." in html and "forwarding will never trigger" in html
    assert "Rings on 1 device until answered, then is forwarded" not in html  # it never is


@pytest.mark.parametrize("language, texts", [
    ("en", ["UC Legacy: the earlier unified communications (UC) application for computers.",
            "UC Desktop: the unified communications (UC) application that makes and takes this extension's calls",
            "A softphone is an application that makes and takes this extension's calls on a computer"]),
    ("fr", ["UC Legacy\u00a0: l'ancienne application de communications unifiées (UC) pour ordinateur.",
            "UC Desktop\u00a0: l'application de communications unifiées (UC) qui fait et reçoit les appels",
            "Un téléphone logiciel est une application qui fait et reçoit les appels de ce poste"]),
])
def test_the_settings_page_explains_the_softphone_options(client, auth, setup, language, texts):
    auth.login("admin@alpha.example")
    client.post("/language", data={"language": language})
    html = unescape(client.get(f"/extensions/{setup['other'].id}").get_data(as_text=True))
    for text in texts:
        assert text in html
