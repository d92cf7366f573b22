"""My account › Extensions › Extension status (F17): the board, its live stream, click-to-call.

The page and its 5 s fallback fragment are served here, from the states the event
listener keeps in the status store. The live stream (Server-Sent Events) is served by
the status server only (status_server.py, gevent: many idle connections cost little);
in a sync portal worker it would hold the worker, so there it answers 404.
"""
import json
import logging
import time
import uuid
from urllib.parse import urlsplit

from flask import Response, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.blueprints.extensions import bp
from app.blueprints.guards import company_member_required
from app.blueprints.htmx import render
from app.blueprints.tenancy import current_company_id
from app.flask_extensions import db
from app.services import click_to_call, extension_status, extensions
from app.telephony import status_store

log = logging.getLogger(__name__)

KEEPALIVE_SECONDS = 15
MAX_BATCH = 200
CALL_TOKEN_SALT = "click-to-call"


def _filters() -> dict:
    state = request.args.get("state", "")
    sort = request.args.get("sort", "name")
    return {"state": state if state in extension_status.STATES else "",
            "sort": sort if sort in extension_status.SORTS else "name",
            "query": request.args.get("q", "")[:100]}


def _board_context(full: bool = False) -> dict:
    company = current_user.company
    store = status_store.for_app(current_app)
    filters = _filters()
    tiles = extension_status.tiles(company.id)
    rows = extension_status.board(tiles, store.domain(company.sip_domain), **filters)
    caller = click_to_call.caller_extension(extensions.of_user(company.id, current_user.id))
    return {"rows": rows, "filters": filters, "reachable": store.reachable(), "full": full,
            "caller_id": caller.id if caller else None, "labels": extension_status.STATE_LABELS,
            "stream_url": current_app.config.get("STATUS_STREAM_URL") or url_for("extensions.status_stream"),
            "total": len(tiles)}


@bp.get("/status")
@company_member_required
def status():
    """The board; its fragment for the fallback poll (HX-Request)."""
    context = _board_context(full=request.args.get("full") == "1")
    return render("extensions/status.html", "extensions/_status_board.html", **context)


# -- live stream (status server only) --------------------------------------------------------

def _sse(event: str, data: dict) -> str:
    return f"event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


def _cors_headers() -> dict:
    """`make run` serves the stream on its own port: the portal's pages may read it."""
    portal = urlsplit(current_app.config["PORTAL_URL"])
    origin = f"{portal.scheme}://{portal.netloc}"
    if request.headers.get("Origin") != origin:
        return {}
    return {"Access-Control-Allow-Origin": origin, "Access-Control-Allow-Credentials": "true", "Vary": "Origin"}


@bp.get("/status/stream")
@company_member_required
def status_stream():
    hub = current_app.extensions.get("status_hub")
    if hub is None:
        abort(404)
    company = current_user.company
    domain = company.sip_domain.lower()
    tiles = extension_status.tiles(company.id)
    # The stream may stay open for hours: give the database connection back now.
    db.session.rollback()
    feeds = current_app.extensions.setdefault("status_feeds", {})
    return Response(_stream(hub, feeds, domain, tiles), mimetype="text/event-stream",
                    headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no", **_cors_headers()})


def _stream(hub, feeds: dict, domain: str, tiles: list):
    """The whole current state first, then each extension whose state changes."""
    from gevent.queue import Empty

    key = (domain, tuple(tiles))
    feed = feeds.get(key)
    if feed is None:
        feed = feeds[key] = _Feed(hub, domain, tiles, on_idle=lambda: feeds.pop(key, None))
    queue = feed.join()
    try:
        yield "retry: 2000\n\n"
        yield _sse("snapshot", {"reachable": hub.reachable,
                                "extensions": {str(i): s.as_dict() for i, s in feed.current.items()}})
        while True:
            try:
                texts = [queue.get(timeout=KEEPALIVE_SECONDS)]
            except Empty:
                yield ": keep-alive\n\n"
                continue
            while not queue.empty():  # a slow board gets what waits in one write
                texts.append(queue.get_nowait())
            yield "".join(texts)
    finally:
        feed.leave(queue)


class _Feed:
    """The open boards of one company that show the same extensions: each change is worked
    out and serialised once for all of them (200 boards cost 200 writes, not 200 times the
    work), by one greenlet reading the hub."""

    def __init__(self, hub, domain: str, tiles: list, on_idle):
        import gevent

        self.hub, self.domain, self.tiles, self.on_idle = hub, domain, tiles, on_idle
        self.index = extension_status.tiles_by_key(tiles)
        self.current = extension_status.statuses(tiles, hub.domains.get(domain, {}))
        self.boards: set = set()
        self.source = hub.subscribe(domain)
        self.greenlet = gevent.spawn(self._run)

    def join(self):
        from gevent.queue import Queue

        queue = Queue()
        self.boards.add(queue)
        return queue

    def leave(self, queue) -> None:
        self.boards.discard(queue)
        if not self.boards:
            self.on_idle()
            self.hub.unsubscribe(self.domain, self.source)
            self.greenlet.kill(block=False)

    def _run(self) -> None:
        while True:
            messages = [self.source.get()]
            # A burst is handled in one go; each board then sees each extension's latest state.
            while not self.source.empty() and len(messages) < MAX_BATCH:
                messages.append(self.source.get_nowait())
            try:
                out = "".join(text for message in messages for text in self._changes(message))
            except Exception:  # noqa: BLE001 - one bad summary must not silence every board
                log.exception("status feed of %s: could not work out a change", self.domain)
                continue
            if out:
                for board in list(self.boards):
                    board.put(out)

    def _changes(self, message) -> list[str]:
        """The SSE messages one hub message makes (none when nothing shown changed)."""
        if message[0] == "reachable":
            return [_sse("freeswitch", {"reachable": message[1]})]
        out = []
        if message[0] == "reset":
            out.append(_sse("freeswitch", {"reachable": self.hub.reachable}))
            affected = self.tiles
        else:
            affected = {tile for user in message[1] for tile in self.index.get(user, ())}
        users = self.hub.domains.get(self.domain, {})
        for tile in sorted(affected, key=lambda t: t.id):
            new = extension_status.status_of(tile, users)
            if new != self.current.get(tile.id):
                self.current[tile.id] = new
                out.append(_sse("state", {"id": tile.id, **new.as_dict()}))
        return out


# -- click-to-call ------------------------------------------------------------------------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=CALL_TOKEN_SALT)


def _call_answer(text: str, status: int, *, kind: str = "error", poll_url: str | None = None):
    call = {"text": text, "kind": kind, "poll_url": poll_url}
    if request.headers.get("HX-Request") == "true":
        # htmx swaps only 2xx answers: the message says what happened
        return render_template("extensions/_call_status.html", **call), 200
    return render_template("extensions/status.html", call=call, **_board_context()), status


@bp.post("/status/<int:extension_id>/call")
@company_member_required
def call(extension_id: int):
    """F17.5: ring the user's own phone, then the colleague."""
    from app.telephony.esl import EslClient, EslCommandError, FreeSwitchUnavailable

    target = extensions.for_company(current_company_id(), extension_id)
    if target is None:
        abort(404)
    caller = click_to_call.caller_extension(extensions.of_user(current_user.company_id, current_user.id))
    if caller is None:
        abort(403)  # F17: no linked extension, no click-to-call
    users = status_store.for_app(current_app).domain(target.company.sip_domain)
    if extension_status.status_of(extension_status.tile_of(target), users).state != extension_status.AVAILABLE:
        return _call_answer(_("%(name)s is not available now: only an available extension can be called.",
                              name=target.name or target.number), 409)
    try:
        command = click_to_call.originate_command(caller, target)
    except click_to_call.CannotCall as refused:
        return _call_answer(str(refused.message), 422)
    job = str(uuid.uuid4())
    try:
        EslClient.from_config(current_app.config).bgapi(command, job)
    except FreeSwitchUnavailable:
        return _call_answer(_("The telephony server is unreachable: no call was placed. Try again in a moment."), 503)
    except EslCommandError as error:
        return _call_answer(click_to_call.message(click_to_call.FAILED, error.reply.strip()), 502)
    token = _serializer().dumps({"job": job, "user": current_user.id, "at": time.time(), "name": target.name,
                                 "number": target.number})
    return _call_answer(_("Your phone is ringing: pick it up to call %(name)s (%(number)s).",
                          name=target.name, number=target.number), 202, kind="info",
                        poll_url=url_for("extensions.call_status", token=token))


@bp.get("/status/calls/<token>")
@company_member_required
def call_status(token: str):
    """How the click-to-call is going; the ringing answer asks again in a second."""
    try:
        data = _serializer().loads(token, max_age=click_to_call.RING_SECONDS * 4)
    except BadSignature:
        abort(404)
    if data.get("user") != current_user.id:
        abort(404)
    kind, cause = click_to_call.outcome(status_store.for_app(current_app).call_result(data["job"]))
    if kind == "ringing":
        if time.time() - data["at"] > click_to_call.RING_SECONDS + 15:
            kind = click_to_call.NO_ANSWER  # no answer from FreeSWITCH at all: say what the user sees
        else:
            return _call_answer(_("Your phone is ringing: pick it up to call %(name)s (%(number)s).",
                                  name=data["name"], number=data["number"]), 200, kind="info",
                                poll_url=url_for("extensions.call_status", token=token))
    if kind == "connected":
        return _call_answer(_("Calling %(name)s (%(number)s)…", name=data["name"], number=data["number"]), 200,
                            kind="success")
    return _call_answer(click_to_call.message(kind, cause), 200)
