"""With REDIS_URL: the status store in Redis, and the listener's changes reaching another
process's hub through pub/sub (fakeredis: the same commands, in memory)."""
import json
import threading
import time

import fakeredis
import pytest

from app.telephony import status_hub
from app.telephony.status_store import RedisStore, StatusStore


@pytest.fixture
def redis_client():
    return fakeredis.FakeRedis(server=fakeredis.FakeServer())


def test_the_store_keeps_domains_reachability_and_call_outcomes_in_redis(redis_client):
    store = StatusStore(RedisStore("redis://unused", client=redis_client))
    assert store.reachable() is None  # no listener has written yet
    store.replace_all({"alpha.voice.example": {"101": {"registered": 1, "busy": 0}}}, True)
    assert store.reachable() is True
    assert store.domain("alpha.voice.example") == {"101": {"registered": 1, "busy": 0}}
    store.replace_all({"beta.voice.example": {"7": {"registered": 1, "busy": 0}}}, True)
    assert store.domain("alpha.voice.example") == {}  # gone from FreeSWITCH: emptied
    assert set(store.all_domains()) == {"beta.voice.example"}
    store.save_call_result("job-1", "-ERR USER_BUSY\n")
    assert store.call_result("job-1") == "-ERR USER_BUSY\n"
    assert 0 < redis_client.ttl("switchboard:status:call:job-1") <= 300


def test_a_status_server_follows_the_listener_through_redis(redis_client):
    store = StatusStore(RedisStore("redis://unused", client=redis_client))
    store.replace_all({"alpha.voice.example": {"101": {"registered": 1, "busy": 0}}}, True)
    hub = status_hub.Hub()
    relay = threading.Thread(target=status_hub.relay_from_redis, args=(hub, redis_client, store), daemon=True)
    relay.start()
    deadline = time.monotonic() + 5
    while hub.reachable is not True and time.monotonic() < deadline:
        time.sleep(0.02)
    assert hub.domains == {"alpha.voice.example": {"101": {"registered": 1, "busy": 0}}}  # from the store

    publisher = status_hub.RedisPublisher(redis_client)
    while not redis_client.pubsub_numsub(status_hub.CHANNEL)[0][1] and time.monotonic() < deadline:
        time.sleep(0.02)
    publisher.users("alpha.voice.example", {"102": {"registered": 1, "busy": 1}, "101": None})
    publisher.set_reachable(False)
    while hub.reachable is not False and time.monotonic() < deadline:
        time.sleep(0.02)
    assert hub.domains["alpha.voice.example"] == {"102": {"registered": 1, "busy": 1}}
    assert hub.reachable is False


def test_a_reset_message_replaces_everything():
    hub = status_hub.Hub()
    hub.users("alpha.voice.example", {"101": {"registered": 1}})
    status_hub.apply_message(hub, json.dumps({"type": "reset", "domains": {"b": {"7": {"registered": 1}}},
                                              "reachable": True}))
    assert hub.domains == {"b": {"7": {"registered": 1}}} and hub.reachable is True
