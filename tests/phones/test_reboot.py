""""Reboot phone" (F9.8, F9.9): after the commit, a check-sync NOTIFY through FreeSWITCH to
each line's registrations, held back while that line has a call up."""
import json

import pytest

from app.flask_extensions import db
from app.telephony import notify
from tests.phones.conftest import assign

A = "alpha.voice.example"
IDLE = json.dumps({"row_count": 0})


def _busy(*presence_ids):
    # mod_commands' show_function, "as json": {"row_count": N, "rows": [{column: value}...]}.
    rows = [{"uuid": f"u{i}", "name": f"sofia/internal/{p}", "presence_id": p} for i, p in enumerate(presence_ids)]
    return json.dumps({"row_count": len(rows), "rows": rows})


@pytest.fixture
def two_lines(office):
    assign(office["polycom"], office["ext"]["101"], [1])
    assign(office["polycom"], office["ext"]["102"], [2])
    return office


def test_reboot_sends_check_sync_to_every_line_of_the_phone_after_the_commit(two_lines, client, auth, freeswitch):
    freeswitch.responses["show channels"] = IDLE
    auth.login("admin@alpha.example")
    response = client.post(f"/phones/{two_lines['polycom'].id}/reboot", follow_redirects=True)
    assert "can take up to 5 minutes" in response.get_data(as_text=True)
    assert freeswitch.api_commands == ["show channels as json",
                                       f"sofia profile internal check_sync 101@{A}",
                                       f"sofia profile internal check_sync 102@{A}"]


def test_a_line_on_a_call_gets_its_check_sync_once_the_call_has_ended(two_lines, client, auth, freeswitch):
    # 102 is on a call (two channels); 101 of the other company too, which is not ours.
    freeswitch.responses["show channels"] = _busy(f"102@{A}", f"102@{A}", "101@beta.voice.example")
    auth.login("admin@alpha.example")
    scheduled_before = len(notify.huey.scheduled())
    client.post(f"/phones/{two_lines['polycom'].id}/reboot")
    assert freeswitch.api_commands == ["show channels as json", f"sofia profile internal check_sync 101@{A}"]
    retry = notify.huey.scheduled()[scheduled_before:]
    assert len(retry) == 1 and retry[0].args[0] == [("102", A)] and retry[0].args[2] == notify.BUSY_RECHECK
    freeswitch.responses["show channels"] = IDLE
    notify.check_sync_when_idle.call_local(*retry[0].args)  # the retry's body, 15 s later
    assert freeswitch.api_commands[2:] == ["show channels as json", f"sofia profile internal check_sync 102@{A}"]


def test_a_phone_with_no_line_sends_nothing(office, client, auth, freeswitch):
    auth.login("admin@alpha.example")
    assert client.post(f"/phones/{office['spare'].id}/reboot").status_code == 302
    assert freeswitch.api_commands == []


def test_reboot_of_another_companys_phone_is_not_found_and_sends_nothing(two_lines, client, auth, freeswitch):
    auth.login("admin@beta.example")
    assert client.post(f"/phones/{two_lines['polycom'].id}/reboot").status_code == 404
    assert freeswitch.api_commands == []


def test_a_user_reboots_a_phone_of_their_own_extension_only(two_lines, client, auth, freeswitch):
    freeswitch.responses["show channels"] = IDLE
    assign(two_lines["yealink"], two_lines["ext"]["102"], [1])
    auth.login("user@alpha.example")
    assert client.post(f"/phones/{two_lines['yealink'].id}/reboot").status_code == 404
    assert client.post(f"/phones/{two_lines['polycom'].id}/reboot", data={"back": "directory"}).status_code == 302
    assert f"sofia profile internal check_sync 101@{A}" in freeswitch.api_commands


def test_freeswitch_unreachable_keeps_the_reboot_for_a_retry(two_lines, client, auth):
    # The test configuration's ESL port has nothing listening.
    auth.login("admin@alpha.example")
    scheduled_before = len(notify.huey.scheduled())
    client.post(f"/phones/{two_lines['polycom'].id}/reboot")
    retry = notify.huey.scheduled()[scheduled_before:]
    assert len(retry) == 1 and retry[0].args[0] == [("101", A), ("102", A)]
    assert retry[0].args[2] == notify.FIRST_RETRY
