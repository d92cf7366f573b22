"""What FreeSWITCH's events say about the devices of each SIP domain: pure functions.

The event listener (status_listener.py) feeds every event to `DeviceState.apply()` and
publishes what it returns; the portal turns the per-user summaries into extension states
(app/services/extension_status.py). Nothing here reads a socket or the database, so the
derivation is tested against recorded event sequences.

Registrations are keyed by SIP call-id, as sofia keys them: sofia_reg.c
sofia_reg_handle_register_token() adds one to the core's `registrations` table per
REGISTER dialog (switch_core_add_registration(to_user, reg_host, call_id, ...)) and fires
`sofia::register` with from-user = that user, from-host = that host and call-id; an
un-REGISTER deletes it (switch_core_del_registration(), `sofia::unregister`, same
headers) and an expiry fires `sofia::expire` from sofia_reg_del_callback() with `user`,
`host` and `call-id`. A phone with several lines, or an extension with a desk phone and
softphones, has several call-ids.

Channels are keyed by Unique-ID and belong to the user and domain of their presence id
(Channel-Presence-ID, the `presence_id` variable): sofia sets it to the calling user on a
call a phone places, and the directory's dial-string (app/xml_curl/directory.py) sets it
to `<extension number>@<domain>` on every leg that rings a device. A call the device
placed makes it busy at once (it is off hook); a leg ringing a device makes it busy once
answered (CHANNEL_ANSWER). The channel ends at CHANNEL_HANGUP_COMPLETE (or DESTROY).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

REGISTER = "sofia::register"
UNREGISTER = "sofia::unregister"
EXPIRE = "sofia::expire"
SUBCLASSES = (REGISTER, UNREGISTER, EXPIRE)
CHANNEL_EVENTS = ("CHANNEL_CREATE", "CHANNEL_ANSWER", "CHANNEL_HANGUP_COMPLETE", "CHANNEL_DESTROY")
# switch_channel.c switch_channel_callstate2str(): the call states of an answered channel.
ANSWERED_CALL_STATES = {"ACTIVE", "HELD", "UNHELD"}
MAX_TEXT = 80  # event text shown on a board (caller-ID names, user agents): enough for a tile


def _text(value) -> str:
    """Event text as shown on a board: plain, one line, bounded. HTML in it stays text
    (the board sets it with textContent, and Jinja escapes it)."""
    return " ".join(str(value or "").split())[:MAX_TEXT]


def split_address(address: str | None) -> tuple[str, str] | None:
    """'user@domain' as (user, lower-case domain), or None."""
    user, at, domain = (address or "").partition("@")
    if not at or not user or not domain:
        return None
    return user, domain.lower()


@dataclass
class Registration:
    domain: str
    user: str
    agent: str = ""


@dataclass
class Channel:
    domain: str
    user: str
    placed: bool          # the device placed the call (inbound to FreeSWITCH): busy at once
    answered: bool = False
    peer: str = ""        # the other party, as the channel names it

    @property
    def busy(self) -> bool:
        return self.placed or self.answered


@dataclass
class DeviceState:
    """Every registration and channel FreeSWITCH has, by domain."""

    registrations: dict[str, Registration] = field(default_factory=dict)  # by call-id
    channels: dict[str, Channel] = field(default_factory=dict)            # by Unique-ID
    # (domain, user) -> its registrations' call-ids and channels' ids, in arrival order:
    # a summary reads one user's devices, never the whole installation's.
    _registrations_of: dict[tuple[str, str], dict[str, None]] = field(default_factory=dict, repr=False)
    _channels_of: dict[tuple[str, str], dict[str, None]] = field(default_factory=dict, repr=False)
    _users_of: dict[str, dict[str, None]] = field(default_factory=dict, repr=False)

    # -- bookkeeping ---------------------------------------------------------------

    def _add(self, index: dict, key: str, domain: str, user: str) -> None:
        index.setdefault((domain, user), {})[key] = None
        self._users_of.setdefault(domain, {})[user] = None

    def _remove(self, index: dict, key: str, domain: str, user: str) -> None:
        keys = index.get((domain, user))
        if keys is not None:
            keys.pop(key, None)
            if not keys:
                del index[(domain, user)]
        if (domain, user) not in self._registrations_of and (domain, user) not in self._channels_of:
            users = self._users_of.get(domain)
            if users is not None:
                users.pop(user, None)
                if not users:
                    del self._users_of[domain]

    def _put_registration(self, call_id: str, registration: Registration) -> None:
        self._drop_registration(call_id)
        self.registrations[call_id] = registration
        self._add(self._registrations_of, call_id, registration.domain, registration.user)

    def _drop_registration(self, call_id: str) -> Registration | None:
        old = self.registrations.pop(call_id, None)
        if old is not None:
            self._remove(self._registrations_of, call_id, old.domain, old.user)
        return old

    def _put_channel(self, uuid: str, channel: Channel) -> None:
        self.channels[uuid] = channel
        self._add(self._channels_of, uuid, channel.domain, channel.user)

    def _drop_channel(self, uuid: str) -> Channel | None:
        old = self.channels.pop(uuid, None)
        if old is not None:
            self._remove(self._channels_of, uuid, old.domain, old.user)
        return old

    # -- events ------------------------------------------------------------------

    def apply(self, event: dict) -> set[tuple[str, str]]:
        """Apply one event (its headers, as FreeSWITCH's JSON events give them); the
        (domain, user) pairs whose summary may have changed."""
        name = event.get("Event-Name")
        if name == "CUSTOM":
            return self._registration_event(event)
        if name in CHANNEL_EVENTS:
            return self._channel_event(name, event)
        return set()

    def _registration_event(self, event: dict) -> set[tuple[str, str]]:
        subclass = event.get("Event-Subclass")
        call_id = event.get("call-id")
        if subclass not in SUBCLASSES or not call_id:
            return set()
        if subclass == REGISTER:
            user, host = event.get("from-user"), event.get("from-host")
            if not user or not host:
                return set()
            old = self.registrations.get(call_id)
            self._put_registration(call_id, Registration(host.lower(), user, _text(event.get("user-agent"))))
            changed = {(host.lower(), user)}
            if old is not None:
                changed.add((old.domain, old.user))
            return changed
        old = self._drop_registration(call_id)
        return set() if old is None else {(old.domain, old.user)}

    def _channel_event(self, name: str, event: dict) -> set[tuple[str, str]]:
        uuid = event.get("Unique-ID")
        if not uuid:
            return set()
        if name in ("CHANNEL_HANGUP_COMPLETE", "CHANNEL_DESTROY"):
            old = self._drop_channel(uuid)
            return set() if old is None else {(old.domain, old.user)}
        channel = self.channels.get(uuid)
        if channel is None:
            owner = split_address(event.get("Channel-Presence-ID") or event.get("variable_presence_id"))
            if owner is None:
                return set()
            channel = Channel(owner[1], owner[0], placed=event.get("Call-Direction") == "inbound")
            self._put_channel(uuid, channel)
        if name == "CHANNEL_ANSWER":
            channel.answered = True
        channel.peer = _peer_of_event(event, channel.placed) or channel.peer
        return {(channel.domain, channel.user)}

    # -- the state FreeSWITCH has when the listener (re)connects --------------------

    @classmethod
    def loaded(cls, registrations_json: str, channels_json: str) -> "DeviceState":
        """From `show registrations as json` and `show channels as json` (mod_commands.c
        show_function(): {"row_count": N, "rows": [...]} with the core's table columns,
        switch_core_sqldb.c create_registrations_sql / create_channels_sql)."""
        state = cls()
        for row in _rows(registrations_json):
            user, realm, token = row.get("reg_user"), row.get("realm"), row.get("token")
            if user and realm and token:
                state._put_registration(token, Registration(realm.lower(), user, _text(_agent_of_row(row))))
        for row in _rows(channels_json):
            owner = split_address(row.get("presence_id"))
            if owner is None or not row.get("uuid"):
                continue
            placed = row.get("direction") == "inbound"
            state._put_channel(row["uuid"], Channel(owner[1], owner[0], placed=placed,
                                                    answered=row.get("callstate") in ANSWERED_CALL_STATES,
                                                    peer=_peer_of_row(row, placed)))
        return state

    # -- what the boards read ---------------------------------------------------------

    def domains(self) -> set[str]:
        return set(self._users_of)

    def summary(self, domain: str, user: str) -> dict | None:
        """What a board needs of one user: devices registered, calls, the latest user agent
        and the other party of a call; None when FreeSWITCH knows nothing of the user."""
        registrations = [self.registrations[k] for k in self._registrations_of.get((domain, user), ())]
        busy = [c for c in (self.channels[k] for k in self._channels_of.get((domain, user), ())) if c.busy]
        if not registrations and not busy:
            return None
        return {"registered": len(registrations), "busy": len(busy),
                "agent": registrations[-1].agent if registrations else "",
                "peer": busy[-1].peer if busy else ""}

    def domain_summary(self, domain: str) -> dict[str, dict]:
        summaries = {user: self.summary(domain, user) for user in self._users_of.get(domain, ())}
        return {user: s for user, s in summaries.items() if s is not None}

    def everything(self) -> dict[str, dict[str, dict]]:
        return {domain: self.domain_summary(domain) for domain in self.domains()}


def _rows(text: str) -> list[dict]:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return []
    rows = data.get("rows") if isinstance(data, dict) else None
    return [row for row in rows or [] if isinstance(row, dict)]


def _agent_of_row(row: dict) -> str:
    # The core table keeps no user agent; sofia puts it in the registration's url metadata
    # only on some versions. Nothing to show is better than a guess.
    return row.get("user_agent") or ""


def _peer(name: str | None, number: str | None) -> str:
    name, number = _text(name), _text(number)
    if name and number and name != number:
        return f"{name} ({number})"
    return name or number


def _peer_of_event(event: dict, placed: bool) -> str:
    if placed:  # the device called: the callee, once known, else the number it dialled
        return (_peer(event.get("Caller-Callee-ID-Name"), event.get("Caller-Callee-ID-Number"))
                or _text(event.get("Caller-Destination-Number")))
    return _peer(event.get("Caller-Caller-ID-Name"), event.get("Caller-Caller-ID-Number"))


def _peer_of_row(row: dict, placed: bool) -> str:
    if placed:
        return _peer(row.get("callee_name"), row.get("callee_num")) or _text(row.get("dest"))
    return _peer(row.get("cid_name"), row.get("cid_num"))
