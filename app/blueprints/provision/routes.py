"""The files desk phones fetch (F9, F14, F16): GET /provision/<file>, with each phone's
own credentials over HTTP digest (RFC 7616, MD5 with qop=auth: what Polycom UC
Software and Yealink firmware answer).

Flask-HTTPAuth checks the digest; its nonces are made stateless here (a time and an
HMAC of it under SECRET_KEY) because phones keep no cookie and any app process may
answer the next request; a nonce older than NONCE_LIFETIME is refused. An unknown MAC
and wrong credentials get the same 401 and challenge, so an answer never tells
whether a phone exists; each refusal that carried credentials is logged and counted
per client address (PROVISION_FAILURE_LIMITS), past which every request gets 429
without any check.
"""
import hashlib
import hmac
import logging
import re
import time
from urllib.parse import urlsplit, urlunsplit

from flask import Response, current_app, request
from flask_httpauth import HTTPDigestAuth

from app.blueprints.provision import bp
from app.flask_extensions import csrf
from app.provisioning import catalog, polycom, yealink
from app.services import links, provisioning, throttle

log = logging.getLogger(__name__)

REALM = "Switchboard provisioning"
NONCE_LIFETIME = 300  # seconds
_FILE = re.compile(r"^(?P<mac>[0-9a-fA-F]{12})(?P<kind>\.cfg|-directory\.xml|-phonebook\.xml)$")
_LIMITS = "PROVISION_FAILURE_LIMITS"

digest = HTTPDigestAuth(realm=REALM, qop="auth")


def _sign(value: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"provision-digest:{value}".encode(), hashlib.sha256).hexdigest()[:32]


@digest.generate_nonce
def _new_nonce() -> str:
    issued = format(int(time.time()), "x")
    return f"{issued}-{_sign(issued)}"


@digest.verify_nonce
def _nonce_ok(nonce: str) -> bool:
    issued, _, signature = (nonce or "").partition("-")
    if not re.fullmatch(r"[0-9a-f]{1,12}", issued) or not hmac.compare_digest(signature, _sign(issued)):
        return False
    return 0 <= time.time() - int(issued, 16) <= NONCE_LIFETIME


@digest.generate_opaque
def _opaque() -> str:
    return _sign("opaque")


@digest.verify_opaque
def _opaque_ok(opaque: str) -> bool:
    return hmac.compare_digest(opaque or "", _sign("opaque"))


def _refused(reason: str, filename: str) -> Response:
    """The one answer to a missing, wrong or unknown credential."""
    if request.authorization is not None:
        log.warning("provisioning refused (%s): %s from %s", reason, filename, request.remote_addr)
        throttle.hit(_LIMITS, "provision-ip", request.remote_addr or "")
    response = Response("Unauthorized\n", 401, mimetype="text/plain")
    response.headers["WWW-Authenticate"] = digest.authenticate_header()
    response.headers["Cache-Control"] = "no-store"
    return response


def _phonebook_url(phone) -> str:
    """The phonebook's address with the phone's credentials in it: Yealink phones fetch
    remote_phonebook.data.x.url with the user and password the URL carries."""
    parts = urlsplit(links.external_url("provision.file", filename=f"{phone.mac}-phonebook.xml"))
    netloc = f"{phone.provisioning_username}:{phone.provisioning_password}@{parts.netloc}"
    return urlunsplit(parts._replace(netloc=netloc))


@bp.get("/<filename>")
@csrf.exempt
def file(filename: str):
    if throttle.full(_LIMITS, "provision-ip", request.remote_addr or ""):
        log.warning("provisioning: too many refusals from %s", request.remote_addr)
        return Response("Too many requests\n", 429, mimetype="text/plain", headers={"Retry-After": "60"})
    match = _FILE.match(filename)
    if match is None:
        return Response("Not found\n", 404, mimetype="text/plain")
    phone = provisioning.find_by_mac(match["mac"].lower())
    auth = digest.get_auth()
    if auth is None:
        return _refused("no credentials", filename)
    if phone is None or auth.username != phone.provisioning_username:
        return _refused("unknown phone or user", filename)
    # The digest covers the URI the phone says it asked for: it must be this one.
    if auth.realm != REALM or auth.uri not in (request.path, request.full_path.rstrip("?")):
        return _refused("other realm or URI", filename)
    if not digest.authenticate(auth, phone.provisioning_password):
        return _refused("wrong response or stale nonce", filename)
    vendor = catalog.get(phone.model).vendor  # the forms offer only the catalogue's models
    kind = match["kind"]
    files = provisioning.files_for(phone, directory=kind != ".cfg")
    if kind == ".cfg" and vendor == "polycom":
        body, mimetype = polycom.config(files), "application/xml"
    elif kind == ".cfg":
        body = yealink.config(files, _phonebook_url(phone) if phone.directory_enabled else None)
        mimetype = "text/plain"
    elif kind == "-directory.xml" and vendor == "polycom" and phone.directory_enabled:
        body, mimetype = polycom.directory(files), "application/xml"
    elif kind == "-phonebook.xml" and vendor == "yealink" and phone.directory_enabled:
        body, mimetype = yealink.phonebook(files), "application/xml"
    else:
        return Response("Not found\n", 404, mimetype="text/plain")
    response = Response(body, 200, mimetype=mimetype)
    response.headers["Cache-Control"] = "no-store"
    return response
