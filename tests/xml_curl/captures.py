"""Requests built from what a real FreeSWITCH 1.10 sent (tests/fixtures/freeswitch, copied
from the workplace's shared/freeswitch/captures).

`capture(name, {...}, **fields)` gives a capture's decoded fields, in order, with
some of them replaced (a field the capture lacks is appended). Keyword names suit
plain fields (`user="101"`); the mapping suits the others
(`{"Hunt-Destination-Number": "102"}`).

The fields are read from the capture's raw url-encoded body, which holds them
exactly: the "DECODED FIELDS" listing shows the same fields in the same order, but
wraps multi-line values such as the SDP over several lines.
"""
import base64
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from flask import current_app
from lxml import etree
from sqlalchemy import event

from app import create_app, readonly_db
from app.flask_extensions import db

CAPTURES = Path(__file__).resolve().parents[1] / "fixtures" / "freeswitch"
URL = "/freeswitch/xml"
USER, PASSWORD = "freeswitch", "xml-secret"  # tests/conftest.py's test configuration


class Capture:
    def __init__(self, fields: list[tuple[str, str]]):
        self.fields = fields

    def get(self, name: str) -> str | None:
        return next((value for key, value in self.fields if key == name), None)

    def body(self) -> bytes:
        return urlencode(self.fields).encode()


def read_fields(name: str) -> list[tuple[str, str]]:
    text = (CAPTURES / name).read_text()
    raw = text.split("=== RAW BODY", 1)[1].split("\n", 1)[1].split("\n=== DECODED FIELDS", 1)[0].strip()
    fields = parse_qsl(raw, keep_blank_values=True, strict_parsing=True)
    decoded = text.split("=== DECODED FIELDS (in order) ===\n", 1)[1]
    assert decoded.startswith(f"{fields[0][0]}={fields[0][1]}\n"), f"{name}: raw body and decoded fields differ"
    return fields


def capture(name: str, overrides: dict[str, str] | None = None, **fields: str) -> Capture:
    changes = {**(overrides or {}), **fields}
    result = []
    for key, value in read_fields(name):
        result.append((key, changes.pop(key) if key in changes else value))
    result += list(changes.items())
    return Capture(result)


def auth_header(user: str = USER, password: str = PASSWORD) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def post(client, request: Capture | bytes, headers: dict | None = None):
    body = request.body() if isinstance(request, Capture) else request
    return client.post(URL, data=body, content_type="application/x-www-form-urlencoded",
                       headers=auth_header() if headers is None else headers)


def ask(client, request: Capture | bytes):
    """Post, check FreeSWITCH would accept the answer (200, well-formed XML), parse it."""
    response = post(client, request)
    assert response.status_code == 200
    assert response.mimetype == "text/xml"
    return etree.fromstring(response.data)


def is_not_found(doc) -> bool:
    result = doc.find("section[@name='result']/result")
    return doc.tag == "document" and result is not None and result.get("status") == "not found"


def actions(doc, tag: str = "action") -> list[tuple[str, str | None]]:
    return [(a.get("application"), a.get("data")) for a in doc.iter(tag)]


def params(user) -> dict[str, str]:
    return {p.get("name"): p.get("value") for p in user.iterfind("params/param")}


def variables(user) -> dict[str, str]:
    return {v.get("name"): v.get("value") for v in user.iterfind("variables/variable")}


@contextmanager
def other_app(app_config: dict, **settings):
    """An app with some settings changed; its database connections are closed after."""
    app = create_app(dict(app_config, **settings))
    try:
        yield app
    finally:
        with app.app_context():
            db.engine.dispose()
        readonly_db.dispose(app)


class QueryCounter:
    """Counts the SQL statements an engine runs while the block is open, those run
    through SQLAlchemy and those readonly_db.Prepared runs on the DBAPI cursor."""

    def __init__(self, engine):
        self.engine = engine
        self.statements: list[str] = []

    def _count(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        self._rows = readonly_db.Prepared.rows
        counter = self

        def counted_rows(prepared, connection, **values):
            counter.statements.append(prepared.sql)
            return counter._rows(prepared, connection, **values)

        readonly_db.Prepared.rows = counted_rows
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)
        readonly_db.Prepared.rows = self._rows

    def __len__(self) -> int:
        return len(self.statements)


# Dial plan: the capture of a real call (1001 -> 1002), moved into a company's context.

CALL = "027-dialplan-default-1002.txt"
DOMAIN = "alpha.voice.example"


def dial(destination: str, caller: str | None = "101", context: str = DOMAIN, caller_domain: str | None = None,
         **variables: str):
    """The captured INVITE's dial-plan request, from SIP account `caller` (None: a channel
    that no SIP account authenticated) to `destination` in `context`."""
    fields = {"Hunt-Context": context, "Caller-Context": context,
              "Hunt-Destination-Number": destination, "Caller-Destination-Number": destination,
              "variable_domain_name": caller_domain or context, "variable_user_name": caller or ""}
    fields.update({f"variable_{name}": value for name, value in variables.items()})
    request = capture(CALL, fields)
    if caller is None:
        request.fields = [(k, v) for k, v in request.fields
                          if k not in ("variable_user_name", "variable_domain_name")]
    return request


@dataclass
class Plan:
    name: str
    actions: list
    otherwise: list
    field: str | None
    expression: str | None
    context: str


def plan(client, destination: str, **kwargs) -> Plan:
    return read_plan(ask(client, dial(destination, **kwargs)))


def read_plan(doc) -> Plan:
    """The one extension of a dial-plan answer."""
    assert not is_not_found(doc), "the dial plan answered not found"
    [context] = doc.findall("section[@name='dialplan']/context")
    [extension] = context.findall("extension")
    [condition] = extension.findall("condition")
    return Plan(extension.get("name"), actions(condition), actions(condition, "anti-action"),
                condition.get("field"), condition.get("expression"), context.get("name"))


def counts(number: str = "101", domain: str = DOMAIN):
    """The caller's own busy counter (F11.6), first action of every call it makes."""
    return ("limit", f"hash {domain} {number}")


def voicemail(box: str, language: str = "fr", domain: str = DOMAIN):
    """Every message goes through *99<box>, which checks the box (deposit_voicemail)."""
    return [("transfer", f"*99{box} XML {domain}")]


def leave_message(box: str, language: str = "fr", domain: str = DOMAIN, profile: str = "default"):
    """What *99<box> does when the box is not full (its temporary greeting while the file exists)."""
    greeting = f"${{storage_dir}}/voicemail/default/{domain}/{box}/temporary_greeting.wav"
    return [("set", f"default_language={language}"), ("set", f"switchboard_vm_box={box}"),
            ("set", f"voicemail_greeting_path=${{cond(${{file_exists({greeting})}} == true ? {greeting})}}"),
            ("answer", None), ("voicemail", f"{profile} {domain} {box}")]


def ring(number: str, seconds: int, pickup: bool = True, domain: str = DOMAIN, then_continue: bool = True):
    legs = f"user/{number}@{domain}"
    if pickup:
        legs += f",pickup/{number}@{domain},pickup/group@{domain}"
    prelude = [("set", "hangup_after_bridge=true")]
    if then_continue:
        prelude.append(("set", "continue_on_fail=true"))
    return prelude + [("set", f"call_timeout={seconds}"), ("bridge", legs)]


def gateway(number: str) -> str:
    return f"sofia/gateway/{current_app.config['FREESWITCH_GATEWAY']}/{number}"


# A carrier call: the same captured INVITE as it reaches the `public` context from the
# trunk (no SIP account authenticated it; the caller is the number the carrier presents).

def carrier_call(did: str, caller: str = "5149073400", hidden: bool = False):
    fields = {"Hunt-Context": "public", "Caller-Context": "public",
              "Hunt-Destination-Number": did, "Caller-Destination-Number": did,
              "Caller-Caller-ID-Number": caller, "Hunt-Caller-ID-Number": caller, "Caller-ANI": caller,
              "Caller-Privacy-Hide-Number": "true" if hidden else "false",
              "variable_sofia_profile_name": "external", "variable_sip_from_user": caller}
    request = capture(CALL, fields)
    request.fields = [(k, v) for k, v in request.fields if k not in ("variable_user_name", "variable_domain_name")]
    return request


def inbound(client, did: str, **kwargs) -> Plan:
    return read_plan(ask(client, carrier_call(did, **kwargs)))
