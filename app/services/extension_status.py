"""The extension status board (F17, G22): each extension's state from its devices' summaries.

An extension is On call when any of its devices is in a call, else Available when any
is registered, else Disconnected (G22). Its devices are its SIP accounts (the desk line
and each softphone, F15); FreeSWITCH names a device by SIP username, and a leg ringing
the extension by its number (the directory's presence_id), so both are its keys. The
summaries come from the event listener (app/telephony/device_state.py, by SIP domain):
another company's domain is never read for this company's board.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.flask_extensions import db
from app.models.extension import Extension, SipAccount

AVAILABLE, ON_CALL, DISCONNECTED = "available", "on_call", "disconnected"
STATES = (AVAILABLE, ON_CALL, DISCONNECTED)
STATE_LABELS = {AVAILABLE: _l("Available"), ON_CALL: _l("On call"), DISCONNECTED: _l("Disconnected")}
SORTS = ("name", "number")


@dataclass(frozen=True)
class Tile:
    id: int
    number: str
    name: str
    usernames: tuple[str, ...]

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(self.usernames) | {self.number}


@dataclass(frozen=True)
class Status:
    state: str
    peer: str = ""    # the other party of a call, as FreeSWITCH names it (text from events)
    agent: str = ""   # a registered device's user agent (text from events)

    def as_dict(self) -> dict:
        return {"state": self.state, "peer": self.peer, "agent": self.agent}


def tiles(company_id: int) -> list[Tile]:
    """Every extension of the company with its SIP usernames, in two queries."""
    extensions = db.session.execute(
        select(Extension.id, Extension.number, Extension.name).where(Extension.company_id == company_id)
        .order_by(Extension.number)).all()
    usernames: dict[int, list[str]] = {}
    for extension_id, username in db.session.execute(
            select(SipAccount.extension_id, SipAccount.username).where(SipAccount.company_id == company_id)
            .order_by(SipAccount.id)):
        usernames.setdefault(extension_id, []).append(username)
    return [Tile(id, number, name, tuple(usernames.get(id, ()))) for id, number, name in extensions]


def tile_of(extension: Extension) -> Tile:
    return Tile(extension.id, extension.number, extension.name, tuple(a.username for a in extension.sip_accounts))


def status_of(tile: Tile, users: dict[str, dict]) -> Status:
    """G22 for one extension, from the summaries of its domain's users."""
    summaries = [users[key] for key in sorted(tile.keys) if key in users]
    busy = [s for s in summaries if s.get("busy")]
    if busy:
        return Status(ON_CALL, peer=busy[0].get("peer") or "")
    registered = [s for s in summaries if s.get("registered")]
    if registered:
        return Status(AVAILABLE, agent=registered[0].get("agent") or "")
    return Status(DISCONNECTED)


def statuses(tiles_: list[Tile], users: dict[str, dict]) -> dict[int, Status]:
    return {tile.id: status_of(tile, users) for tile in tiles_}


def tiles_by_key(tiles_: list[Tile]) -> dict[str, list[Tile]]:
    """Which extensions a device summary (by SIP username or number) belongs to."""
    index: dict[str, list[Tile]] = {}
    for tile in tiles_:
        for key in tile.keys:
            index.setdefault(key, []).append(tile)
    return index


def _folded(text: str) -> str:
    """Case and accents ignored: "helene" finds "Hélène"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def board(tiles_: list[Tile], users: dict[str, dict], state: str = "", sort: str = "name",
          query: str = "") -> list[tuple[Tile, Status]]:
    """The tiles a board shows: of one state (or all), matching the search (name or
    number), sorted by name or by number."""
    query = _folded(query.strip())
    rows = []
    for tile in tiles_:
        status = status_of(tile, users)
        if state in STATES and status.state != state:
            continue
        if query and query not in _folded(tile.name) and query not in tile.number:
            continue
        rows.append((tile, status))
    if sort == "number":
        rows.sort(key=lambda row: (len(row[0].number), row[0].number))
    else:
        rows.sort(key=lambda row: (_folded(row[0].name), row[0].number))
    return rows
