"""Device states derived from FreeSWITCH's events: the captured run replayed, and the
event shapes sofia_reg.c fires for un-REGISTER and expiry (not in the capture's sample)."""
import json

from app.services import extension_status
from app.services.extension_status import AVAILABLE, DISCONNECTED, ON_CALL, Tile
from app.telephony.device_state import DeviceState
from tests.telephony.esl_capture import events

DOMAIN = "127.0.0.1"
T1001 = Tile(1, "1001", "Reception", ("1001",))
T1002 = Tile(2, "1002", "Bruno", ("1002",))


def replay(state: DeviceState, until: int) -> DeviceState:
    for event in events():
        if event["_seq"] > until:
            break
        state.apply(event)
    return state


def board(state: DeviceState) -> dict:
    users = state.domain_summary(DOMAIN)
    return {t.number: extension_status.status_of(t, users).state for t in (T1001, T1002)}


def test_nothing_registered_means_disconnected():
    assert board(DeviceState()) == {"1001": DISCONNECTED, "1002": DISCONNECTED}


def test_the_captured_registrations_make_both_extensions_available_with_their_user_agent():
    state = replay(DeviceState(), until=12)
    assert board(state) == {"1001": AVAILABLE, "1002": AVAILABLE}
    status = extension_status.status_of(T1001, state.domain_summary(DOMAIN))
    assert status.agent == "sipp-harness"


def test_the_captured_call_makes_the_caller_busy_at_once_and_the_callee_once_it_answers():
    state = replay(DeviceState(), until=12)
    state = replay(state, until=20)  # CHANNEL_CREATE of 1001's call (the phone went off hook)
    assert board(state) == {"1001": ON_CALL, "1002": AVAILABLE}
    state = replay(DeviceState(), until=42)  # 1002's leg created and ringing, not answered
    assert board(state) == {"1001": ON_CALL, "1002": AVAILABLE}
    state = replay(DeviceState(), until=47)  # 1002 answered
    assert board(state) == {"1001": ON_CALL, "1002": ON_CALL}
    users = state.domain_summary(DOMAIN)
    assert extension_status.status_of(T1002, users).peer == "Extension 1001 (1001)"
    assert extension_status.status_of(T1001, users).peer == "1002"


def test_hangup_complete_of_both_legs_makes_them_available_again():
    state = replay(DeviceState(), until=75)
    assert board(state) == {"1001": AVAILABLE, "1002": AVAILABLE}
    assert state.channels == {}


def test_apply_names_the_users_whose_summary_changed():
    state = replay(DeviceState(), until=36)
    answer = next(e for e in events() if e["_seq"] == 47)
    create = next(e for e in events() if e["_seq"] == 37)
    assert state.apply(create) == {(DOMAIN, "1002")}
    assert state.apply(answer) == {(DOMAIN, "1002")}
    assert state.apply({"Event-Name": "HEARTBEAT"}) == set()


def _unregister(user: str, call_id: str) -> dict:
    # sofia_reg.c sofia_reg_handle_register_token(), MY_EVENT_UNREGISTER.
    return {"Event-Name": "CUSTOM", "Event-Subclass": "sofia::unregister", "profile-name": "internal",
            "username": user, "from-user": user, "from-host": DOMAIN, "call-id": call_id, "expires": "0"}


def _expire(user: str, call_id: str) -> dict:
    # sofia_reg.c sofia_reg_del_callback(), MY_EVENT_EXPIRE.
    return {"Event-Name": "CUSTOM", "Event-Subclass": "sofia::expire", "profile-name": "internal",
            "call-id": call_id, "user": user, "username": user, "host": DOMAIN}


def test_unregister_and_expire_remove_only_that_device():
    state = replay(DeviceState(), until=12)
    second = dict(next(e for e in events() if e["_seq"] == 10), **{"call-id": "desk-2@10.0.0.9"})
    state.apply(second)  # 1002 has a second device
    state.apply(_unregister("1002", "1-11529@127.0.0.1"))
    assert board(state)["1002"] == AVAILABLE
    state.apply(_expire("1002", "desk-2@10.0.0.9"))
    assert board(state) == {"1001": AVAILABLE, "1002": DISCONNECTED}


def test_an_extension_is_on_call_when_any_of_its_devices_is_and_available_when_any_is_registered():
    extension = Tile(7, "102", "Bruno", ("102", "102s1"))
    users = {"102s1": {"registered": 1, "busy": 0, "agent": "Softphone", "peer": ""}}
    assert extension_status.status_of(extension, users).state == AVAILABLE
    users["102"] = {"registered": 0, "busy": 1, "agent": "", "peer": "Client"}  # a leg to the number
    assert extension_status.status_of(extension, users).state == ON_CALL


def test_another_domains_events_never_reach_this_domains_summary():
    state = replay(DeviceState(), until=12)
    foreign = dict(next(e for e in events() if e["_seq"] == 5), **{"from-host": "beta.voice.example",
                                                                    "call-id": "x@beta"})
    state.apply(foreign)
    assert set(state.domain_summary(DOMAIN)) == {"1001", "1002"}
    assert set(state.domain_summary("beta.voice.example")) == {"1001"}


def test_the_state_loaded_at_connection_comes_from_show_registrations_and_show_channels_as_json():
    registrations = {"row_count": 2, "rows": [
        {"reg_user": "1001", "realm": DOMAIN, "token": "1-11525@127.0.0.1", "url": "sofia/internal/sip:1001@...",
         "expires": "1795775241", "network_ip": "127.0.0.1", "network_port": "5071", "network_proto": "udp",
         "hostname": "vm", "metadata": ""},
        {"reg_user": "1002", "realm": DOMAIN, "token": "1-11529@127.0.0.1", "url": "", "expires": "1",
         "network_ip": "127.0.0.1", "network_port": "5072", "network_proto": "udp", "hostname": "vm",
         "metadata": ""}]}
    channels = {"row_count": 1, "rows": [
        {"uuid": "c86de4b9", "direction": "outbound", "name": "sofia/internal/1002@127.0.0.1:5072",
         "state": "CS_EXCHANGE_MEDIA", "cid_name": "Extension 1001", "cid_num": "1001", "dest": "1002",
         "presence_id": "1002@127.0.0.1", "callstate": "ACTIVE"}]}
    state = DeviceState.loaded(json.dumps(registrations), json.dumps(channels))
    assert board(state) == {"1001": AVAILABLE, "1002": ON_CALL}
    ringing = dict(channels["rows"][0], callstate="RINGING")
    state = DeviceState.loaded(json.dumps(registrations), json.dumps({"row_count": 1, "rows": [ringing]}))
    assert board(state) == {"1001": AVAILABLE, "1002": AVAILABLE}
    assert DeviceState.loaded('{"row_count": 0}\n', "-ERR no reply").registrations == {}


def test_the_board_filters_by_state_searches_without_accents_and_sorts():
    tiles = [Tile(1, "101", "Zoé", ("101",)), Tile(2, "1000", "Hélène", ("1000",)), Tile(3, "102", "Alex", ("102",))]
    users = {"101": {"registered": 1, "busy": 0}, "1000": {"registered": 1, "busy": 1}}
    names = lambda rows: [t.name for t, _ in rows]  # noqa: E731
    assert names(extension_status.board(tiles, users)) == ["Alex", "Hélène", "Zoé"]
    assert names(extension_status.board(tiles, users, sort="number")) == ["Zoé", "Alex", "Hélène"]
    assert names(extension_status.board(tiles, users, state=AVAILABLE)) == ["Zoé"]
    assert names(extension_status.board(tiles, users, state=DISCONNECTED)) == ["Alex"]
    assert names(extension_status.board(tiles, users, query="helene")) == ["Hélène"]
    assert names(extension_status.board(tiles, users, query="100")) == ["Hélène"]
