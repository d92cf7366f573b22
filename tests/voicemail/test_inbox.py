"""The web inbox (issue 11.6): a box's messages for its owner or an admin, played with
Range support from the shared storage folder, marked as heard, deleted."""
import pytest

from app.flask_extensions import db
from tests import factories

A = "alpha.voice.example"
NEW = "0a1b2c3d-1111-2222-3333-444455556666"
SAVED = "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff"
WAV = b"RIFF" + bytes(range(256)) * 8


def listing(box="101"):
    folder = f"/var/lib/freeswitch/storage/voicemail/default/{A}/{box}"
    return (f"1764590000:0:{box}:{A}:inbox:{folder}/msg_{NEW}.wav:{NEW}:Tremblay: Jean:5145550123:42\n"
            f"1764500000:1764510000:{box}:{A}:inbox:{folder}/msg_{SAVED}.wav:{SAVED}:Bob:102:7\n")


@pytest.fixture
def inbox(app, tenants, freeswitch, tmp_path):
    ext = factories.make_extension(tenants["a"], "101", user=tenants["a_user"], voicemail_password="1357")
    other = factories.make_extension(tenants["a"], "102", voicemail_password="2468")
    foreign = factories.make_mailbox(tenants["b"], "101")
    db.session.commit()
    folder = tmp_path / A / "101"
    folder.mkdir(parents=True)
    (folder / f"msg_{NEW}.wav").write_bytes(WAV)
    app.config["VOICEMAIL_STORAGE_DIR"] = str(tmp_path)
    freeswitch.responses[f"vm_list 101@{A}/default"] = listing()
    freeswitch.responses[f"vm_list 102@{A}/default"] = ""
    return {**tenants, "box": ext.mailbox, "other": other.mailbox, "foreign": foreign, "fs": freeswitch}


def test_the_owner_sees_caller_date_length_and_new_or_saved(client, auth, inbox):
    auth.login(inbox["a_user"].email)
    html = client.get(f"/voicemail/{inbox['box'].id}/messages").get_data(as_text=True)
    assert "Tremblay: Jean" in html and "5145550123" in html and "42 s" in html and "7 s" in html
    assert html.index("Tremblay: Jean") < html.index("Bob")  # newest first
    assert html.count("<strong>New</strong>") == 1 and "Saved" in html
    assert f'src="/voicemail/{inbox["box"].id}/messages/{NEW}/audio"' in html
    assert inbox["fs"].api_commands == [f"vm_list 101@{A}/default"]


def test_the_inbox_lists_only_the_person_own_boxes(client, auth, inbox):
    auth.login(inbox["a_user"].email)
    html = client.get("/voicemail/inbox").get_data(as_text=True)
    assert f"/voicemail/{inbox['box'].id}/messages" in html and f"/voicemail/{inbox['other'].id}/" not in html


def test_an_admin_may_open_any_box_of_the_company(client, auth, inbox):
    auth.login(inbox["a_admin"].email)
    assert client.get(f"/voicemail/{inbox['box'].id}/messages").status_code == 200


@pytest.mark.parametrize("who, box", [("a_user", "other"), ("b_admin", "box"), ("a_admin", "foreign")])
def test_someone_else_box_is_not_found(client, auth, inbox, who, box):
    auth.login(inbox[who].email)
    box_id = inbox[box].id
    assert client.get(f"/voicemail/{box_id}/messages").status_code == 404
    assert client.get(f"/voicemail/{box_id}/messages/{NEW}/audio").status_code == 404
    assert client.post(f"/voicemail/{box_id}/messages/{NEW}/delete").status_code == 404
    assert not any(c.startswith("vm_delete") for c in inbox["fs"].api_commands)


def test_the_audio_answers_range_requests_so_the_player_can_seek(client, auth, inbox):
    auth.login(inbox["a_user"].email)
    url = f"/voicemail/{inbox['box'].id}/messages/{NEW}/audio"
    with client.get(url) as whole:
        assert whole.status_code == 200 and whole.data == WAV and whole.mimetype == "audio/wav"
        assert whole.headers["Accept-Ranges"] == "bytes"
    with client.get(url, headers={"Range": "bytes=4-9"}) as part:
        assert part.status_code == 206 and part.data == WAV[4:10]
        assert part.headers["Content-Range"] == f"bytes 4-9/{len(WAV)}"


def test_download_is_an_attachment(client, auth, inbox):
    auth.login(inbox["a_user"].email)
    with client.get(f"/voicemail/{inbox['box'].id}/messages/{NEW}/audio?download=1") as response:
        assert response.headers["Content-Disposition"].startswith("attachment; filename=101-")


def test_a_message_not_in_the_box_list_or_not_on_disk_is_not_found(client, auth, inbox):
    auth.login(inbox["a_user"].email)
    assert client.get(f"/voicemail/{inbox['box'].id}/messages/{SAVED}/audio").status_code == 404  # no file
    assert client.get(f"/voicemail/{inbox['box'].id}/messages/../../etc/audio").status_code == 404
    stranger = "12345678-0000-0000-0000-000000000000"
    assert client.post(f"/voicemail/{inbox['box'].id}/messages/{stranger}/heard").status_code == 404


def test_marking_as_heard_sends_vm_read_for_that_message_after_the_commit(client, auth, inbox):
    auth.login(inbox["a_user"].email)
    response = client.post(f"/voicemail/{inbox['box'].id}/messages/{NEW}/heard")
    assert response.status_code == 302
    assert inbox["fs"].wait_for_command("api vm_read") == f"api vm_read 101@{A}/default read {NEW}"


def test_deleting_a_message_sends_vm_delete_for_that_message_only(client, auth, inbox):
    auth.login(inbox["a_user"].email)
    client.post(f"/voicemail/{inbox['box'].id}/messages/{SAVED}/delete")
    assert inbox["fs"].wait_for_command("api vm_delete") == f"api vm_delete 101@{A}/default {SAVED}"


def test_the_inbox_says_when_freeswitch_does_not_answer(client, auth, inbox, app):
    app.config["ESL_PORT"] = 1
    auth.login(inbox["a_user"].email)
    response = client.get(f"/voicemail/{inbox['box'].id}/messages")
    assert response.status_code == 200 and "The messages are unavailable" in response.get_data(as_text=True)
