"""The status board in Chromium, live: the portal (CSRF on) on one port, the real status
server on another (as `make run` has them), the fake FreeSWITCH event socket behind it.
Text from FreeSWITCH's events holding HTML stays text."""
import threading

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from app import create_app
from app.flask_extensions import db
from app.models.user import Role
from tests import factories
from tests.e2e.conftest import sign_in
from tests.fakes.esl_server import FakeEslServer
from tests.telephony.status_server_process import StatusServer, wait_until

pytestmark = pytest.mark.e2e

DOMAIN = "demo.voice.example"
PAYLOAD = '<img src=x onerror="window.__xss = 1">'
NAME_PAYLOAD = '<script>window.__xss = 2</script>Mallory'


@pytest.fixture
def live_board(app, app_config):
    """(portal URL, fake event socket) with the status server between them."""
    holder = {}
    portal = make_server("127.0.0.1", 0, lambda environ, start: holder["app"](environ, start), threaded=True)
    portal_url = f"http://127.0.0.1:{portal.server_port}"
    esl = FakeEslServer(password="test-esl", responses={
        "show registrations as json": '{"row_count": 0}\n', "show channels as json": '{"row_count": 0}\n'}).start()
    status = StatusServer(dict(app_config, PORTAL_URL=portal_url), esl)
    holder["app"] = server_app = create_app(dict(
        app_config, WTF_CSRF_ENABLED=True, PORTAL_URL=portal_url,
        STATUS_STREAM_URL=f"http://127.0.0.1:{status.port}/extensions/status/stream"))
    thread = threading.Thread(target=portal.serve_forever, daemon=True)
    thread.start()
    try:
        assert wait_until(lambda: esl.subscribed, timeout=10)
        yield portal_url, esl
    finally:
        portal.shutdown()
        thread.join(timeout=5)
        status.stop()
        esl.stop()
        with server_app.app_context():
            db.engine.dispose()


def test_event_text_with_html_is_shown_as_text_on_a_live_board(live_board, page):
    company = factories.make_company("Démo inc.", DOMAIN)
    user = factories.make_user(company, Role.USER, email="bruno@demo.example", first_name="Bruno", language="en")
    factories.make_extension(company, "101", user, name="Bruno")
    reception = factories.make_extension(company, "102", None, name="Réception")
    db.session.commit()
    portal_url, esl = live_board
    dialogs, refused = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text
            else None)

    sign_in(page, portal_url, "bruno@demo.example")
    page.goto(portal_url + "/extensions/status")
    board = page.locator("#status-board")
    expect(board).to_have_attribute("data-live", "sse")
    tile = page.locator(f'.tile[data-id="{reception.id}"]')
    expect(tile.locator(".tile-state")).to_have_text("Disconnected")

    esl.emit_event({"Event-Name": "CUSTOM", "Event-Subclass": "sofia::register", "from-user": "102",
                    "from-host": DOMAIN, "call-id": "reg-102", "user-agent": PAYLOAD})
    expect(tile.locator(".tile-state")).to_have_text("Available", timeout=2000)
    expect(tile.locator(".tile-detail")).to_have_text(PAYLOAD)
    # Available: the call icon shows on keyboard focus.
    call = tile.locator(".call-button")
    call.focus()
    expect(call).to_have_css("opacity", "1")

    esl.emit_event({"Event-Name": "CHANNEL_CREATE", "Unique-ID": "leg-1", "Call-Direction": "outbound",
                    "Channel-Presence-ID": f"102@{DOMAIN}", "Caller-Caller-ID-Name": NAME_PAYLOAD,
                    "Caller-Caller-ID-Number": "5145550199"})
    esl.emit_event({"Event-Name": "CHANNEL_ANSWER", "Unique-ID": "leg-1", "Call-Direction": "outbound",
                    "Channel-Presence-ID": f"102@{DOMAIN}", "Caller-Caller-ID-Name": NAME_PAYLOAD,
                    "Caller-Caller-ID-Number": "5145550199"})
    expect(tile.locator(".tile-state")).to_have_text("On call", timeout=2000)
    expect(tile.locator(".tile-detail")).to_have_text(f"{NAME_PAYLOAD} (5145550199)")
    expect(call).to_be_hidden()

    assert page.evaluate("window.__xss") is None
    assert board.locator("img, script").count() == 0
    assert dialogs == [] and refused == []


def test_without_a_stream_the_board_polls_the_portal_every_five_seconds(live_server, page, app, app_config):
    from app.telephony import status_store

    company = factories.make_company("Démo inc.", DOMAIN)
    factories.make_user(company, Role.USER, email="bruno@demo.example", first_name="Bruno", language="en")
    reception = factories.make_extension(company, "102", None, name="Réception")
    db.session.commit()
    store = status_store.for_app(app)  # the same file as the live server's (app_config)
    store.save_reachable(True)

    sign_in(page, live_server, "bruno@demo.example")
    page.goto(live_server + "/extensions/status")
    # The portal's own workers never serve the stream (404): the board falls back to polling.
    expect(page.locator("#status-board")).to_have_attribute("data-live", "poll")
    tile = page.locator(f'.tile[data-id="{reception.id}"]')
    expect(tile.locator(".tile-state")).to_have_text("Disconnected")
    store.save_domains({DOMAIN: {"102": {"registered": 1, "busy": 0, "agent": "Yealink", "peer": ""}}})
    store.save_reachable(True)
    expect(tile.locator(".tile-state")).to_have_text("Available", timeout=7000)
