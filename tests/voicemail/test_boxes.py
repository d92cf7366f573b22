"""Tools › Voicemail boxes (F5): list with live counts, add, edit, empty, delete."""
import pytest

from app.flask_extensions import db
from app.models.extension import Extension
from app.models.mailbox import KeyDestination, Mailbox
from tests import factories

A = "alpha.voice.example"


def reload(row):
    db.session.expire_all()
    return db.session.get(type(row), row.id)


@pytest.fixture
def boxes(tenants):
    ext = factories.make_extension(tenants["a"], "101", user=tenants["a_user"], voicemail_password="1357")
    general = factories.make_mailbox(tenants["a"], "500", name="Boîte générale", password="8080")
    foreign = factories.make_mailbox(tenants["b"], "500", name="Beta box")
    db.session.commit()
    return {**tenants, "ext": ext, "mine": ext.mailbox, "general": general, "foreign": foreign}


def form(**changes):
    data = {"number": "600", "name": "Salle de conférence", "password": "4826", "max_seconds": "180",
            "email": "", "operator": "none", "star": "login"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def admin(auth, boxes):
    auth.login(boxes["a_admin"].email)


def test_the_list_counts_every_box_of_the_company_over_one_connection(client, auth, boxes, freeswitch):
    freeswitch.responses["vm_boxcount default/101@"] = "2:1:0:0"
    freeswitch.responses["vm_boxcount default/500@"] = "0:1:0:0"
    admin(auth, boxes)
    html = client.get("/voicemail/").get_data(as_text=True)
    assert "3 messages / 100" in html and "1 message / 100" in html
    assert freeswitch.api_commands == [f"vm_boxcount default/101@{A}|all", f"vm_boxcount default/500@{A}|all"]
    assert sum(1 for c in freeswitch.commands if c.startswith("auth ")) == 1
    assert "Beta box" not in html


def test_the_list_renders_when_freeswitch_is_unreachable_and_says_the_count_is_unavailable(client, auth, boxes):
    admin(auth, boxes)
    response = client.get("/voicemail/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Message counts are unavailable" in html and "Boîte générale" in html


def test_a_free_number_makes_a_general_box_and_flushes_its_directory_entry(client, auth, boxes, freeswitch):
    admin(auth, boxes)
    response = client.post("/voicemail/new", data=form(email="conf@alpha.example", max_seconds="300",
                                                        operator="extension:101", star="mailbox:500"))
    assert response.status_code == 302
    box = db.session.execute(db.select(Mailbox).filter_by(company_id=boxes["a"].id, number="600")).scalar_one()
    assert (box.extension_id, box.name, box.password, box.max_seconds, box.email) == (
        None, "Salle de conférence", "4826", 300, "conf@alpha.example")
    assert (box.operator_kind, box.operator_target, box.star_kind, box.star_target) == (
        KeyDestination.EXTENSION, "101", KeyDestination.MAILBOX, "500")
    assert freeswitch.wait_for_command("api xml_flush_cache") == f"api xml_flush_cache id 600 {A}"


def test_an_extension_number_attaches_the_box_to_that_extension(client, auth, boxes):
    ext = factories.make_extension(boxes["a"], "102", voicemail_enabled=False)
    db.session.commit()
    admin(auth, boxes)
    assert client.post("/voicemail/new", data=form(number="102")).status_code == 302
    ext = reload(ext)
    assert ext.voicemail_enabled and ext.voicemail_password == "4826" and ext.mailbox.name == "Salle de conférence"


def test_a_general_box_reserves_its_number_against_new_extensions(client, auth, boxes):
    admin(auth, boxes)
    response = client.post("/extensions/new", data={"number": "500", "owner_mode": "admin", "name": "Hall"})
    assert response.status_code == 422
    assert "A voicemail box uses this number." in response.get_data(as_text=True)


@pytest.mark.parametrize("changes, field, message", [
    ({"number": "500"}, "number", "This number already has a voicemail box."),
    ({"number": "911"}, "number", "Enter a number of 3 to 6 digits"),
    ({"number": "12a"}, "number", "Digits only"),
    ({"name": ""}, "name", "Enter the box"),
    ({"password": "12"}, "password", "Enter 4 to 10 digits."),
    ({"password": "12345678901"}, "password", "10 characters at most."),
    ({"password": "١٢٣٤"}, "password", "Enter 4 to 10 digits."),
    ({"password": "600"}, "password", "Enter 4 to 10 digits."),
    ({"number": "6000", "password": "6000"}, "password", "The PIN cannot be the box number."),
    ({"max_seconds": "200"}, "max_seconds", "Not a valid choice"),
    ({"email": "not-an-email"}, "email", "Enter a valid email address."),
    ({"email_only": "y", "email": ""}, "email", "An email address is required when messages are not kept"),
    ({"operator": "mailbox:999"}, "operator", "Choose another voicemail box of your company."),
    ({"star": "extension:999"}, "star", "Choose an extension of your company."),
    ({"star": "teleport"}, "star", "Choose one of the destinations offered."),
])
def test_bad_input_is_refused_next_to_the_field_and_nothing_is_saved(client, auth, boxes, changes, field, message):
    admin(auth, boxes)
    response = client.post("/voicemail/new", data=form(**changes))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html and message in html
    assert db.session.execute(db.select(Mailbox).filter_by(company_id=boxes["a"].id).where(
        Mailbox.number.in_(["600", "6000"]))).first() is None


def test_a_box_cannot_send_its_keys_to_itself(client, auth, boxes):
    admin(auth, boxes)
    response = client.post(f"/voicemail/{boxes['general'].id}", data=form(operator="mailbox:500"))
    assert response.status_code == 422


def test_editing_the_box_of_an_extension_changes_what_its_settings_show(client, auth, boxes):
    admin(auth, boxes)
    response = client.post(f"/voicemail/{boxes['mine'].id}", data=form(password="9753", email="u@alpha.example"))
    assert response.status_code == 302
    ext = reload(boxes["ext"])
    assert ext.voicemail_password == "9753" and ext.voicemail_email == "u@alpha.example"


def test_the_edit_page_shows_the_counter(client, auth, boxes, freeswitch):
    freeswitch.responses["vm_boxcount"] = "0:0:0:0"
    admin(auth, boxes)
    html = client.get(f"/voicemail/{boxes['general'].id}").get_data(as_text=True)
    assert "0 messages / 100" in html and 'value="100" readonly' in html


@pytest.mark.parametrize("path", ["", "/empty", "/delete", "/messages"])
def test_another_company_box_is_not_found(client, auth, boxes, path):
    admin(auth, boxes)
    assert client.get(f"/voicemail/{boxes['foreign'].id}{path}").status_code == 404


@pytest.mark.parametrize("path", ["/", "/new", "/{id}", "/{id}/delete"])
def test_a_plain_user_cannot_manage_boxes(client, auth, boxes, path):
    auth.login(boxes["a_user"].email)
    assert client.get("/voicemail" + path.format(id=boxes["general"].id)).status_code == 403


def test_a_plain_user_empties_only_the_box_of_their_own_extension(client, auth, boxes, freeswitch):
    freeswitch.responses["vm_boxcount default/101@"] = "3:4:0:0"
    auth.login(boxes["a_user"].email)
    assert client.get(f"/voicemail/{boxes['general'].id}/empty").status_code == 404
    settings = client.get(f"/extensions/{boxes['ext'].id}").get_data(as_text=True)
    empty = f"/voicemail/{boxes['mine'].id}/empty"
    assert "7 messages / 100" in settings and f'href="{empty}"' in settings  # F11.8
    page = client.get(empty).get_data(as_text=True)
    assert "Also delete your custom greetings?" in page and f'href="/extensions/{boxes["ext"].id}"' in page
    response = client.post(empty, data={})
    assert response.status_code == 302 and response.headers["Location"] == f"/extensions/{boxes['ext'].id}"
    assert freeswitch.wait_for_command("api vm_delete") == f"api vm_delete 101@{A}/default"


def test_the_extension_settings_say_when_the_count_is_unavailable(client, auth, boxes):
    auth.login(boxes["a_user"].email)  # no ESL server answers
    settings = client.get(f"/extensions/{boxes['ext'].id}").get_data(as_text=True)
    assert "Message count unavailable" in settings


def test_emptying_deletes_every_message_after_the_commit_and_keeps_greetings_unless_asked(
        app, client, auth, boxes, freeswitch, tmp_path):
    folder = tmp_path / A / "500"
    folder.mkdir(parents=True)
    for name in ("greeting_1.wav", "recorded_name.wav", "temporary_greeting.wav", "temporary_greeting.erased.wav",
                 "msg_1234abcd.wav"):
        (folder / name).write_bytes(b"RIFF")
    app.config["VOICEMAIL_STORAGE_DIR"] = str(tmp_path)
    admin(auth, boxes)
    page = client.get(f"/voicemail/{boxes['general'].id}/empty").get_data(as_text=True)
    assert "Also delete your custom greetings?" in page
    client.post(f"/voicemail/{boxes['general'].id}/empty", data={})
    assert freeswitch.wait_for_command("api vm_delete") == f"api vm_delete 500@{A}/default"
    assert (folder / "greeting_1.wav").exists() and (folder / "temporary_greeting.wav").exists()
    client.post(f"/voicemail/{boxes['general'].id}/empty", data={"erase_greetings": "y"})
    assert sorted(p.name for p in folder.iterdir()) == ["msg_1234abcd.wav"]  # mod_voicemail deletes messages


def test_deleting_a_box_asks_what_to_do_with_the_boxes_that_point_to_it(client, auth, boxes, freeswitch):
    boxes["mine"].star_kind, boxes["mine"].star_target = KeyDestination.MAILBOX, "500"
    other = factories.make_mailbox(boxes["a"], "700", operator_kind=KeyDestination.MAILBOX, operator_target="500")
    db.session.commit()
    admin(auth, boxes)
    page = client.get(f"/voicemail/{boxes['general'].id}/delete").get_data(as_text=True)
    assert "These boxes send callers here" in page and "101" in page and "700" in page
    general_id = boxes["general"].id
    response = client.post(f"/voicemail/{general_id}/delete", data={"replacement": "700"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Mailbox, general_id) is None
    mine, other = reload(boxes["mine"]), reload(other)
    assert (mine.star_kind, mine.star_target) == (KeyDestination.MAILBOX, "700")
    assert (other.operator_kind, other.operator_target) == (KeyDestination.NONE, "")  # it cannot point to itself
    assert freeswitch.wait_for_command("api vm_delete") == f"api vm_delete 500@{A}/default"


def test_deleting_a_box_with_nothing_instead_turns_those_keys_off(client, auth, boxes):
    boxes["mine"].operator_kind, boxes["mine"].operator_target = KeyDestination.MAILBOX, "500"
    db.session.commit()
    admin(auth, boxes)
    client.post(f"/voicemail/{boxes['general'].id}/delete", data={"replacement": ""})
    mine = reload(boxes["mine"])
    assert (mine.operator_kind, mine.operator_target) == (KeyDestination.NONE, "")


def test_deleting_the_box_of_an_extension_turns_its_voicemail_off(client, auth, boxes):
    admin(auth, boxes)
    assert client.post(f"/voicemail/{boxes['mine'].id}/delete", data={}).status_code == 302
    ext = db.session.get(Extension, boxes["ext"].id)
    db.session.refresh(ext)
    assert ext.mailbox is None and not ext.voicemail_enabled


def test_deleting_an_extension_deletes_its_box(client, auth, boxes):
    admin(auth, boxes)
    box_id = boxes["mine"].id
    client.post(f"/extensions/{boxes['ext'].id}/delete")
    db.session.expire_all()
    assert db.session.get(Mailbox, box_id) is None


def test_the_extension_settings_refuse_a_pin_equal_to_the_extension_number(client, auth, boxes):
    ext = factories.make_extension(boxes["a"], "4321", voicemail_password="1357")
    db.session.commit()
    admin(auth, boxes)
    from tests.extensions.test_settings import admin_form

    response = client.post(f"/extensions/{ext.id}", data=admin_form(ext, voicemail_password="4321"))
    assert response.status_code == 422 and "The PIN cannot be the box number." in response.get_data(as_text=True)
    assert reload(ext).voicemail_password == "1357"


@pytest.mark.parametrize("replacement", ["101", ""])
def test_deleting_a_box_a_closed_number_ends_in_asks_and_never_leaves_it_dangling(client, auth, boxes, replacement):
    from app.models.company import PhoneNumber
    from app.models.schedule import ClosedAction

    number = boxes["a_number"]
    number.closed_action, number.closed_box = ClosedAction.VOICEMAIL, "500"
    db.session.commit()
    admin(auth, boxes)
    page = client.get(f"/voicemail/{boxes['general'].id}/delete").get_data(as_text=True)
    assert "These numbers send callers here when closed" in page and number.e164 in page
    client.post(f"/voicemail/{boxes['general'].id}/delete", data={"replacement": replacement})
    db.session.expire_all()
    number = db.session.get(PhoneNumber, number.id)
    if replacement:
        assert (number.closed_action, number.closed_box) == (ClosedAction.VOICEMAIL, "101")
    else:
        assert (number.closed_action, number.closed_box) == (ClosedAction.HANGUP, None)
