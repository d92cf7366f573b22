"""The event listener: one ESL connection per installation, device states for every board.

It subscribes to the events that change a device's state, loads what FreeSWITCH has now
(`show registrations as json`, `show channels as json`) on every (re)connection, applies
each event (device_state.py) and hands the changed summaries to a sink: the status
server's hub (same process, no Redis), or Redis pub/sub for status servers elsewhere.
It also keeps them in the status store (status_store.py) for the portal's pages, and
the outcome of each click-to-call job (BACKGROUND_JOB events).

FreeSWITCH down or gone: the sink hears "unreachable" once, the listener retries with a
doubling delay (1 s up to 30 s) and, once back, publishes the whole state again.

Events are asked for as JSON (`event json ...`): greenswitch percent-decodes a plain
event before splitting its lines (ESLEvent.parse_data), so a caller-ID name holding
"%0A" would become a header of its own; a JSON event keeps each value whole.

Runs under gevent (the status server monkey-patches; greenswitch needs gevent anyway).
"""
from __future__ import annotations

import json
import logging
import time

from app.telephony import device_state
from app.telephony.esl import EslClient, EslError, FreeSwitchUnavailable, _inbound_class

log = logging.getLogger(__name__)

SUBSCRIPTION = ("event json " + " ".join(device_state.CHANNEL_EVENTS) + " BACKGROUND_JOB CUSTOM "
                + " ".join(device_state.SUBCLASSES))
FIRST_RETRY = 1.0
LONGEST_RETRY = 30.0
FLUSH_EVERY = 0.5  # seconds between writes of changed domains to the store

_JSON_CLASS = None


def _json_event_class():
    """Our greenswitch connection, reading text/event-json frames as JSON objects."""
    global _JSON_CLASS
    if _JSON_CLASS is None:
        from greenswitch.esl import ESLEvent

        class _JsonEventsESL(_inbound_class()):
            def handle_event(self, event):
                if event.headers.get("Content-Type") != "text/event-json":
                    return super().handle_event(event)
                data = self._read_socket(self.sock_file, int(event.headers["Content-Length"]))
                parsed = ESLEvent("")
                try:
                    parsed.headers = json.loads(data)
                except ValueError:
                    log.warning("ignoring an event that is not JSON")
                    return None
                if isinstance(parsed.headers, dict):
                    self._esl_event_queue.put(parsed)
                return None

        _JSON_CLASS = _JsonEventsESL
    return _JSON_CLASS


class Listener:
    """`run()` until `stop()`: connect, load, apply events; reconnect when the link drops."""

    def __init__(self, client: EslClient, sink, store=None):
        self.client = client
        self.sink = sink            # .reset(domains, reachable), .users(domain, users), .set_reachable(bool)
        self.store = store
        self.state = device_state.DeviceState()
        self.reachable: bool | None = None
        self._running = True
        self._dirty: set[str] = set()
        self._connection = None

    def stop(self) -> None:
        self._running = False
        connection = self._connection
        if connection is not None:
            connection.connected = False

    def run(self) -> None:
        import gevent

        flusher = gevent.spawn(self._flush_loop)
        delay = 0.0
        try:
            while self._running:
                try:
                    self._session()
                    delay = 0.0
                except (FreeSwitchUnavailable, EslError) as error:
                    self._unreachable(error)
                    delay = min(LONGEST_RETRY, delay * 2 if delay else FIRST_RETRY)
                if self._running:
                    gevent.sleep(delay or FIRST_RETRY)
        finally:
            flusher.kill()

    # -- one connection -------------------------------------------------------------------

    def _session(self) -> None:
        import gevent.queue

        events = gevent.queue.Queue()
        with self.client._connection(_json_event_class()) as (connection, bounded):
            self._connection = connection
            try:
                connection.register_handle("*", events.put)
                reply = bounded(lambda: connection.send(SUBSCRIPTION), None, "no answer to the subscription")
                if not (getattr(reply, "data", "") or "").startswith("+OK"):
                    raise FreeSwitchUnavailable(self.client.host, self.client.port,
                                                f"event subscription refused: {reply.data}")
                # After subscribing: what happens meanwhile is queued and applied on top.
                registrations = bounded(lambda: connection.send("api show registrations as json"), None,
                                        "no answer to show registrations")
                channels = bounded(lambda: connection.send("api show channels as json"), None,
                                   "no answer to show channels")
                self.state = device_state.DeviceState.loaded(registrations.data, channels.data)
                self._connected()
                while self._running and connection.connected:
                    try:
                        event = events.get(timeout=1.0)
                    except gevent.queue.Empty:
                        continue
                    self.handle(event.headers)
                if self._running:
                    raise FreeSwitchUnavailable(self.client.host, self.client.port, "connection closed")
            finally:
                self._connection = None

    def handle(self, headers: dict) -> None:
        if headers.get("Content-Type") == "text/disconnect-notice":
            if self._connection is not None:
                self._connection.connected = False
            return
        if headers.get("Event-Name") == "BACKGROUND_JOB":
            self._background_job(headers)
            return
        changed = self.state.apply(headers)
        by_domain: dict[str, dict] = {}
        for domain, user in changed:
            by_domain.setdefault(domain, {})[user] = self.state.summary(domain, user)
        for domain, users in by_domain.items():
            self.sink.users(domain, users)
            self._dirty.add(domain)

    def _background_job(self, headers: dict) -> None:
        job = headers.get("Job-UUID")
        if job and headers.get("Job-Command") == "originate" and self.store is not None:
            self.store.save_call_result(job, headers.get("_body") or "")

    def _connected(self) -> None:
        if self.reachable is not True:
            log.warning("event listener connected to FreeSWITCH at %s:%s", self.client.host, self.client.port)
        self.reachable = True
        everything = self.state.everything()
        self.sink.reset(everything, True)
        self._dirty.clear()
        if self.store is not None:
            self.store.replace_all(everything, True)

    def _unreachable(self, error: Exception) -> None:
        if self.reachable is not False:
            log.warning("event listener: FreeSWITCH unreachable (%s); retrying", error)
            self.reachable = False
            self.sink.set_reachable(False)
            if self.store is not None:
                self.store.save_reachable(False)

    # -- the store, written in batches -----------------------------------------------------

    def _flush_loop(self) -> None:
        import gevent

        last_beat = 0.0
        while True:
            gevent.sleep(FLUSH_EVERY)
            if self.store is None:
                continue
            try:
                if self._dirty:
                    dirty, self._dirty = self._dirty, set()
                    self.store.save_domains({d: self.state.domain_summary(d) for d in dirty})
                if time.time() - last_beat >= 1.0:
                    if self.reachable is not None:
                        self.store.save_reachable(self.reachable)
                    last_beat = time.time()
            except Exception:  # noqa: BLE001 - a store outage must not stop the boards
                log.exception("could not write the extension states to the status store")
