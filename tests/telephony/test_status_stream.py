"""The status server for real (a subprocess running status_server.py, its listener on the
fake FreeSWITCH event socket): the SSE stream's content, changes within 2 s, FreeSWITCH
dropping and coming back, the portal's fallback from the listener's store, and
click-to-call's outcome from the BACKGROUND_JOB event."""
import json
import re
import time
from html import unescape

import pytest

from app.flask_extensions import db
from tests import factories
from tests.fakes.esl_server import FakeEslServer
from tests.telephony.status_server_process import SseClient, StatusServer, wait_until

ALPHA = "alpha.voice.example"


def registrations(*rows) -> str:
    return json.dumps({"row_count": len(rows), "rows": [
        {"reg_user": user, "realm": realm, "token": token, "url": "", "expires": "0", "network_ip": "127.0.0.1",
         "network_port": "5060", "network_proto": "udp", "hostname": "fs", "metadata": ""}
        for user, realm, token in rows]})


def channels(*rows) -> str:
    return json.dumps({"row_count": len(rows), "rows": [
        {"uuid": uuid, "direction": direction, "presence_id": presence, "callstate": callstate,
         "cid_name": "Client", "cid_num": "5145550199", "dest": "101"}
        for uuid, direction, presence, callstate in rows]})


def register(user: str, domain: str, call_id: str, agent: str = "Yealink T54W") -> dict:
    return {"Event-Name": "CUSTOM", "Event-Subclass": "sofia::register", "profile-name": "internal",
            "from-user": user, "from-host": domain, "call-id": call_id, "user-agent": agent, "expires": "600"}


def unregister(user: str, domain: str, call_id: str) -> dict:
    return {"Event-Name": "CUSTOM", "Event-Subclass": "sofia::unregister", "profile-name": "internal",
            "from-user": user, "from-host": domain, "call-id": call_id, "expires": "0"}


@pytest.fixture
def setup(app, tenants):
    ext = {
        "101": factories.make_extension(tenants["a"], "101", tenants["a_user"], name="Ulysse"),
        "102": factories.make_extension(tenants["a"], "102", None, name="Réception"),
        "103": factories.make_extension(tenants["a"], "103", None, name="Ventes"),
        "b102": factories.make_extension(tenants["b"], "102", tenants["b_user"], name="Beta"),
    }
    db.session.commit()
    return {number: extension.id for number, extension in ext.items()}


@pytest.fixture
def esl():
    responses = {
        "show registrations as json": registrations(("101", ALPHA, "reg-101"), ("102", ALPHA, "reg-102"),
                                                    ("102", "beta.voice.example", "reg-b102")),
        "show channels as json": channels(("chan-1", "outbound", f"102@{ALPHA}", "ACTIVE")),
    }
    with FakeEslServer(password="test-esl", responses=responses) as server:
        yield server


@pytest.fixture
def server(app_config, esl):
    process = StatusServer(app_config, esl)
    wait_until(lambda: esl.subscribed, timeout=10)
    yield process
    process.stop()


def cookie_of(client, email: str) -> str:
    client.post("/login", data={"email": email, "password": factories.PASSWORD})
    return client.get_cookie("session").value


def test_a_board_gets_the_whole_current_state_on_connecting(client, setup, server, esl):
    stream = SseClient(server.port, cookie_of(client, "user@alpha.example"))
    assert stream.status == 200 and stream.headers["content-type"].startswith("text/event-stream")
    event, data = stream.next()
    assert event == "snapshot" and data["reachable"] is True
    assert data["extensions"] == {
        str(setup["101"]): {"state": "available", "peer": "", "agent": ""},
        str(setup["102"]): {"state": "on_call", "peer": "Client (5145550199)", "agent": ""},
        str(setup["103"]): {"state": "disconnected", "peer": "", "agent": ""},
    }
    assert esl.api_commands[:2] == ["show registrations as json", "show channels as json"]
    assert any(c.startswith("event json CHANNEL_CREATE") and "sofia::register" in c for c in esl.commands)
    stream.close()


def test_an_event_reaches_the_board_within_two_seconds_and_other_domains_never_do(client, setup, server, esl):
    stream = SseClient(server.port, cookie_of(client, "user@alpha.example"))
    stream.next()  # snapshot
    esl.emit_event(register("103", "beta.voice.example", "b-103"))  # Beta's 103: not Alpha's
    started = time.monotonic()
    esl.emit_event(register("103", ALPHA, "reg-103", agent='<img src=x onerror="alert(1)">'))
    event, data = stream.next(timeout=2.0)
    assert time.monotonic() - started < 2.0
    assert (event, data) == ("state", {"id": setup["103"], "state": "available", "peer": "",
                                       "agent": '<img src=x onerror="alert(1)">'})
    esl.emit_event({"Event-Name": "CHANNEL_CREATE", "Unique-ID": "chan-2", "Call-Direction": "inbound",
                    "Channel-Presence-ID": f"101@{ALPHA}", "Caller-Destination-Number": "5145550100"})
    assert stream.next(timeout=2.0) == ("state", {"id": setup["101"], "state": "on_call",
                                                  "peer": "5145550100", "agent": ""})
    esl.emit_event(unregister("102", ALPHA, "reg-102"))  # still on a call: no change to show
    esl.emit_event({"Event-Name": "CHANNEL_HANGUP_COMPLETE", "Unique-ID": "chan-1"})
    assert stream.next(timeout=2.0) == ("state", {"id": setup["102"], "state": "disconnected", "peer": "",
                                                  "agent": ""})
    stream.close()


def test_a_board_reconnecting_gets_the_state_as_it_is_now(client, setup, server, esl):
    cookie = cookie_of(client, "user@alpha.example")
    first = SseClient(server.port, cookie)
    first.next()
    first.close()
    esl.emit_event(register("103", ALPHA, "reg-103"))
    esl.emit_event(unregister("101", ALPHA, "reg-101"))
    time.sleep(0.5)
    again = SseClient(server.port, cookie)
    event, data = again.next()
    assert event == "snapshot"
    assert data["extensions"][str(setup["103"])]["state"] == "available"
    assert data["extensions"][str(setup["101"])]["state"] == "disconnected"
    again.close()


def test_freeswitch_dropping_is_shown_then_the_whole_state_is_loaded_again(client, setup, server, esl):
    stream = SseClient(server.port, cookie_of(client, "user@alpha.example"))
    stream.next()
    esl.responses["show registrations as json"] = registrations(("103", ALPHA, "reg-103"))
    esl.responses["show channels as json"] = channels()
    esl.drop_connections()
    assert stream.next(timeout=3.0) == ("freeswitch", {"reachable": False})
    # The listener reconnects (1 s) and reloads: every change since comes as it is now.
    assert stream.next(timeout=5.0) == ("freeswitch", {"reachable": True})
    changes = {stream.next(timeout=2.0)[1]["id"]: None for _ in range(3)}
    assert set(changes) == {setup["101"], setup["102"], setup["103"]}
    assert esl.api_commands.count("show registrations as json") == 2
    stream.close()


def test_the_stream_is_company_scoped_and_needs_a_session(client, setup, server):
    beta = SseClient(server.port, cookie_of(client, "user@beta.example"))
    event, data = beta.next()
    assert data["extensions"] == {str(setup["b102"]): {"state": "available", "peer": "", "agent": ""}}
    beta.close()
    anonymous = SseClient(server.port, None)
    assert anonymous.status == 302 and "/login" in anonymous.headers["location"]
    anonymous.close()


def test_the_stream_is_readable_by_the_portals_origin_only(client, setup, server, app_config):
    cookie = cookie_of(client, "user@alpha.example")
    portal = SseClient(server.port, cookie, origin=app_config["PORTAL_URL"])
    assert portal.headers["access-control-allow-origin"] == app_config["PORTAL_URL"]
    assert portal.headers["access-control-allow-credentials"] == "true"
    portal.close()
    other = SseClient(server.port, cookie, origin="http://evil.example")
    assert "access-control-allow-origin" not in other.headers
    other.close()


def test_the_portals_sync_workers_never_serve_the_stream(client, setup):
    cookie_of(client, "user@alpha.example")
    assert client.get("/extensions/status/stream").status_code == 404


def test_the_fallback_poll_shows_what_the_listener_saw(client, setup, server, esl):
    cookie_of(client, "user@alpha.example")
    esl.emit_event(register("103", ALPHA, "reg-103"))

    def ventes_available():
        html = client.get("/extensions/status?state=available", headers={"HX-Request": "true"}).get_data(as_text=True)
        return "Ventes" in html

    assert wait_until(ventes_available, timeout=3.0)


def test_click_to_call_reports_the_originate_outcome_from_the_background_job(client, setup, server, esl, app):
    esl.responses["originate"] = "-ERR USER_BUSY\n"
    app.config.update(ESL_HOST=esl.host, ESL_PORT=esl.port, ESL_PASSWORD="test-esl")
    cookie_of(client, "user@alpha.example")
    esl.emit_event(register("103", ALPHA, "reg-103"))
    assert wait_until(lambda: "Ventes" in client.get("/extensions/status?state=available").get_data(as_text=True))
    html = client.post(f"/extensions/status/{setup['103']}/call", headers={"HX-Request": "true"}).get_data(as_text=True)
    poll_url = unescape(re.search(r'hx-get="([^"]+)"', html).group(1))
    assert esl.bgapi_commands[0].startswith("originate {origination_caller_id_name='Ventes'")
    answer = wait_until(lambda: (lambda text: "busy" in text and text)(client.get(poll_url).get_data(as_text=True)),
                        timeout=3.0)
    assert "Your phone is busy: hang up, then try again." in answer
