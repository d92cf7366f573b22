"""Fan-out of device summaries to the open boards of one status server process.

The hub keeps the current summaries of every domain and a queue per open stream,
grouped by domain: a change in one company's domain wakes only that company's boards.
It is the listener's sink when both run in the same process (no REDIS_URL); with
Redis, the listener publishes on a channel (RedisPublisher) and each status server
relays that channel into its hub (relay_from_redis), after loading the store.
gevent queues: the status server runs under gevent.
"""
from __future__ import annotations

import json
import logging

log = logging.getLogger(__name__)

CHANNEL = "switchboard:status:changes"


class Hub:
    def __init__(self):
        self.domains: dict[str, dict[str, dict]] = {}
        self.reachable: bool | None = None
        self._streams: dict[str, set] = {}

    # -- sink (called by the listener, or by the Redis relay) ---------------------------

    def reset(self, domains: dict[str, dict], reachable: bool | None) -> None:
        self.domains = {domain: dict(users) for domain, users in domains.items()}
        self.reachable = reachable
        for queues in self._streams.values():
            for queue in queues:
                queue.put(("reset",))

    def users(self, domain: str, users: dict[str, dict | None]) -> None:
        current = self.domains.setdefault(domain, {})
        for user, summary in users.items():
            if summary is None:
                current.pop(user, None)
            else:
                current[user] = summary
        for queue in self._streams.get(domain, ()):
            queue.put(("users", users))

    def set_reachable(self, reachable: bool) -> None:
        self.reachable = reachable
        for queues in self._streams.values():
            for queue in queues:
                queue.put(("reachable", reachable))

    # -- streams ----------------------------------------------------------------------------

    def subscribe(self, domain: str):
        from gevent.queue import Queue

        queue = Queue()
        self._streams.setdefault(domain, set()).add(queue)
        return queue

    def unsubscribe(self, domain: str, queue) -> None:
        queues = self._streams.get(domain)
        if queues is not None:
            queues.discard(queue)
            if not queues:
                del self._streams[domain]

    def stream_count(self) -> int:
        return sum(len(q) for q in self._streams.values())


class RedisPublisher:
    """The listener's sink when the boards are served by other processes."""

    def __init__(self, redis_client):
        self.redis = redis_client

    def _publish(self, message: dict) -> None:
        self.redis.publish(CHANNEL, json.dumps(message))

    def reset(self, domains: dict[str, dict], reachable: bool | None) -> None:
        self._publish({"type": "reset", "domains": domains, "reachable": reachable})

    def users(self, domain: str, users: dict[str, dict | None]) -> None:
        self._publish({"type": "users", "domain": domain, "users": users})

    def set_reachable(self, reachable: bool) -> None:
        self._publish({"type": "reachable", "reachable": reachable})


def apply_message(hub: Hub, raw) -> None:
    """One message of the Redis channel, into the hub."""
    message = json.loads(raw)
    kind = message.get("type")
    if kind == "reset":
        hub.reset(message.get("domains") or {}, message.get("reachable"))
    elif kind == "users":
        hub.users(message["domain"], message.get("users") or {})
    elif kind == "reachable":
        hub.set_reachable(bool(message.get("reachable")))


def relay_from_redis(hub: Hub, redis_client, store) -> None:
    """Forever: the channel's messages into the hub; on (re)subscribing, the store first
    (what changed while this process was not listening)."""
    import gevent

    delay = 1.0
    while True:
        try:
            pubsub = redis_client.pubsub(ignore_subscribe_messages=True)
            pubsub.subscribe(CHANNEL)
            hub.reset(store.all_domains(), store.reachable())
            delay = 1.0
            for item in pubsub.listen():
                if item.get("type") == "message":
                    apply_message(hub, item["data"])
        except Exception:  # noqa: BLE001 - Redis restarting: keep the boards, retry
            log.exception("status relay: Redis unavailable, retrying in %.0f s", delay)
            gevent.sleep(delay)
            delay = min(30.0, delay * 2)
