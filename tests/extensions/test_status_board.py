"""My account › Extensions › Extension status: the page and its 5 s fallback fragment (from
the status store the listener writes), company isolation, and click-to-call's originate."""
import re
from html import unescape

import pytest
from itsdangerous import URLSafeTimedSerializer

from app.flask_extensions import db
from app.telephony import status_store
from tests import factories
from tests.xml_curl.captures import other_app

REGISTERED = {"registered": 1, "busy": 0, "agent": "Yealink T54W", "peer": ""}
BUSY = {"registered": 1, "busy": 1, "agent": "", "peer": "Client (5145550199)"}


@pytest.fixture
def board(app, tenants):
    a, b = tenants["a"], tenants["b"]
    mine = factories.make_extension(a, "101", tenants["a_user"], name="Ulysse Usager")
    reception = factories.make_extension(a, "102", None, name="Réception")
    sales = factories.make_extension(a, "103", None, name="Ventes")
    theirs = factories.make_extension(b, "102", tenants["b_user"], name="Beta Secret")
    db.session.commit()
    store = status_store.for_app(app)
    store.save_reachable(True)
    return {"mine": mine, "reception": reception, "sales": sales, "theirs": theirs, "store": store,
            "a": a.sip_domain, "b": b.sip_domain}


def login(client, email):
    assert client.post("/login", data={"email": email, "password": factories.PASSWORD}).status_code == 302


def tiles(html: str) -> list[tuple[str, str, str]]:
    """(name, number, state) of each tile, in order."""
    found = re.findall(r'<span class="tile-name">(.*?)</span>\s*<span class="tile-number">(.*?)</span>\s*'
                       r'<span class="tile-state">(.*?)</span>', html, re.S)
    return [tuple(unescape(part) for part in tile) for tile in found]


def test_the_board_lists_every_extension_with_its_state_from_freeswitch(client, board):
    board["store"].save_domains({board["a"]: {"101": REGISTERED, "102": BUSY}})
    login(client, "user@alpha.example")
    response = client.get("/extensions/status")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert tiles(html) == [("Réception", "102", "On call"), ("Ulysse Usager", "101", "Available"),
                           ("Ventes", "103", "Disconnected")]
    assert "Client (5145550199)" in html and "Yealink T54W" in html
    assert "not the statuses of call-centre agents" in html
    assert 'href="/extensions/status"' in html  # in the menu


def test_another_companys_extensions_and_events_never_reach_the_board(client, board):
    # Beta's domain has a user "103" busy: Alpha's 103 stays Disconnected.
    board["store"].save_domains({board["b"]: {"103": BUSY, "102": REGISTERED}})
    login(client, "user@alpha.example")
    html = client.get("/extensions/status").get_data(as_text=True)
    assert "Beta Secret" not in html and "Client (5145550199)" not in html
    assert ("Ventes", "103", "Disconnected") in tiles(html)


def test_filter_search_and_sort_by_number(client, board):
    board["store"].save_domains({board["a"]: {"101": REGISTERED, "102": BUSY}})
    login(client, "user@alpha.example")
    get = lambda query: tiles(client.get("/extensions/status" + query).get_data(as_text=True))  # noqa: E731
    assert [t[1] for t in get("?sort=number")] == ["101", "102", "103"]
    assert get("?state=on_call") == [("Réception", "102", "On call")]
    assert get("?state=disconnected&sort=number") == [("Ventes", "103", "Disconnected")]
    assert get("?q=reception") == [("Réception", "102", "On call")]
    assert get("?q=10&state=available") == [("Ulysse Usager", "101", "Available")]
    assert "No extension matches these filters." in client.get("/extensions/status?q=zzz").get_data(as_text=True)
    # Full screen keeps the filters: the link carries them, the form keeps full=1.
    html = client.get("/extensions/status?state=on_call&q=r").get_data(as_text=True)
    link = re.search(r'href="([^"]*)" data-fullscreen="on"', html).group(1)
    assert "full=1" in link and "state=on_call" in link and "q=r" in link
    full = client.get(unescape(link)).get_data(as_text=True)
    assert 'name="full" value="1"' in full and "status-full" in full
    assert tiles(full) == [("Réception", "102", "On call")]


def test_the_fallback_poll_gets_the_fragment_with_the_states_as_they_are_now(client, board):
    login(client, "user@alpha.example")
    first = client.get("/extensions/status?state=available", headers={"HX-Request": "true"})
    assert "<html" not in first.get_data(as_text=True)
    assert tiles(first.get_data(as_text=True)) == []
    board["store"].save_domains({board["a"]: {"103": REGISTERED}})
    later = client.get("/extensions/status?state=available", headers={"HX-Request": "true"})
    assert tiles(later.get_data(as_text=True)) == [("Ventes", "103", "Available")]
    assert "HX-Request" in later.headers["Vary"]


def test_the_board_says_when_freeswitch_is_unreachable_or_no_listener_runs(client, board, app, app_config):
    login(client, "user@alpha.example")
    board["store"].save_reachable(False)
    html = client.get("/extensions/status").get_data(as_text=True)
    assert re.search(r'class="alert alert-warning status-unreachable" role="status"\s*>', html)
    with other_app(app_config, STATUS_DB_PATH=app_config["STATUS_DB_PATH"] + ".none") as fresh:
        other = fresh.test_client()
        login(other, "user@alpha.example")
        assert "the status service is not running" in other.get("/extensions/status").get_data(as_text=True)


def test_event_text_is_escaped_on_the_page(client, board):
    payload = '<img src=x onerror="alert(1)">'
    board["store"].save_domains({board["a"]: {"102": dict(BUSY, peer=payload)}})
    login(client, "user@alpha.example")
    html = client.get("/extensions/status").get_data(as_text=True)
    assert payload not in html and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html


# -- click-to-call ------------------------------------------------------------------------------

def _job(app, poll_url: str) -> dict:
    token = poll_url.rsplit("/", 1)[1]
    return URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="click-to-call").loads(token)


def test_click_to_call_rings_the_users_phone_first_with_the_users_identity(client, board, freeswitch, app):
    board["store"].save_domains({board["a"]: {"101": REGISTERED, "102": REGISTERED}})
    login(client, "user@alpha.example")
    response = client.post(f"/extensions/status/{board['reception'].id}/call")
    html = response.get_data(as_text=True)
    assert response.status_code == 202
    assert "Your phone is ringing: pick it up to call Réception (102)." in html
    domain = board["a"]
    assert freeswitch.bgapi_commands == [
        "originate {origination_caller_id_name='Réception',origination_caller_id_number=102,user_name=101,"
        f"domain_name={domain},originate_timeout=30,switchboard_click_to_call=true}}user/101@{domain} "
        f"102 XML {domain}"]
    poll_url = unescape(re.search(r'hx-get="([^"]+)"', html).group(1))
    assert client.get(poll_url).status_code == 200  # no answer from FreeSWITCH yet: still ringing
    assert 'hx-trigger="load delay:1s"' in client.get(poll_url).get_data(as_text=True)


@pytest.mark.parametrize("reply, message", [
    ("-ERR USER_NOT_REGISTERED\n", "Your phone is not registered"),
    ("-ERR USER_BUSY\n", "Your phone is busy"),
    ("-ERR NO_ANSWER\n", "Your phone did not answer within 30 seconds"),
    ("-ERR INCOMPATIBLE_DESTINATION\n", "The call could not be placed (INCOMPATIBLE_DESTINATION)."),
    ("+OK 4f0b1c58-8f33-4a44-9c1e-2f4c1d3b7e11\n", "Calling Réception (102)"),
])
def test_the_originate_reply_says_why_it_failed(client, board, freeswitch, app, reply, message):
    board["store"].save_domains({board["a"]: {"101": REGISTERED, "102": REGISTERED}})
    login(client, "user@alpha.example")
    html = client.post(f"/extensions/status/{board['reception'].id}/call").get_data(as_text=True)
    poll_url = unescape(re.search(r'hx-get="([^"]+)"', html).group(1))
    board["store"].save_call_result(_job(app, poll_url)["job"], reply)
    answer = client.get(poll_url).get_data(as_text=True)
    assert message in answer and "hx-get" not in answer


def test_click_to_call_is_refused_for_a_colleague_who_is_not_available(client, board, freeswitch):
    board["store"].save_domains({board["a"]: {"101": REGISTERED, "102": BUSY}})
    login(client, "user@alpha.example")
    response = client.post(f"/extensions/status/{board['reception'].id}/call")
    assert response.status_code == 409
    assert "Réception is not available now" in response.get_data(as_text=True)
    assert freeswitch.bgapi_commands == []


def test_click_to_call_to_another_companys_extension_is_404(client, board, freeswitch):
    board["store"].save_domains({board["b"]: {"102": REGISTERED}})
    login(client, "user@alpha.example")
    assert client.post(f"/extensions/status/{board['theirs'].id}/call").status_code == 404
    assert freeswitch.commands == []


def test_someone_without_an_extension_has_no_call_button_and_cannot_call(client, board, freeswitch):
    board["store"].save_domains({board["a"]: {"102": REGISTERED}})
    login(client, "admin@alpha.example")
    assert "call-button" not in client.get("/extensions/status").get_data(as_text=True)
    assert client.post(f"/extensions/status/{board['reception'].id}/call").status_code == 403
    assert freeswitch.commands == []


def test_another_users_call_status_is_404(client, board, freeswitch, app):
    board["store"].save_domains({board["a"]: {"101": REGISTERED, "102": REGISTERED}})
    login(client, "user@alpha.example")
    html = client.post(f"/extensions/status/{board['reception'].id}/call").get_data(as_text=True)
    poll_url = unescape(re.search(r'hx-get="([^"]+)"', html).group(1))
    client.post("/logout")
    login(client, "admin@alpha.example")
    assert client.get(poll_url).status_code == 404
    assert client.get("/extensions/status/calls/not-a-token").status_code == 404


def test_click_to_call_with_freeswitch_unreachable_says_so(client, board):
    board["store"].save_domains({board["a"]: {"101": REGISTERED, "102": REGISTERED}})
    login(client, "user@alpha.example")
    response = client.post(f"/extensions/status/{board['reception'].id}/call")
    assert response.status_code == 503
    assert "The telephony server is unreachable: no call was placed." in response.get_data(as_text=True)


def test_click_to_call_needs_the_csrf_token(board, app_config, freeswitch):
    with other_app(app_config, WTF_CSRF_ENABLED=True, ESL_HOST=freeswitch.host, ESL_PORT=freeswitch.port,
                   ESL_PASSWORD="test-esl") as csrf_app:
        client = csrf_app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        client.post("/login", data={"email": "user@alpha.example", "password": factories.PASSWORD,
                                    "csrf_token": token})
        board["store"].save_domains({board["a"]: {"101": REGISTERED, "102": REGISTERED}})
        url = f"/extensions/status/{board['reception'].id}/call"
        assert client.post(url, headers={"HX-Request": "true"}).status_code == 400
        assert freeswitch.bgapi_commands == []
        html = client.get("/extensions/status").get_data(as_text=True)
        token = re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)
        assert client.post(url, headers={"HX-Request": "true", "X-CSRFToken": token}).status_code == 200
        assert len(freeswitch.bgapi_commands) == 1
