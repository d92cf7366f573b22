"""POST /freeswitch/xml: authenticate FreeSWITCH, dispatch on `section`, and never fail.

Whatever goes wrong (a bug, a database outage, a body too large, malformed or shorter
than its Content-Length) the answer is the "not found" document with status 200 and a
log line, within FREESWITCH_XML_TIMEOUT (app/readonly_db.py): FreeSWITCH then falls
back to its static files, and refuses the registration or call if they have nothing
either, instead of waiting on an error page, and the worker is free for the next one.

A plain WSGI app in front of the portal's Flask app, not a Flask view: a REGISTER storm
is hundreds of these a second, and they need nothing of what Flask does for a page (URL
routing, the session cookie, Flask-Login's user, Babel's locale, CSRF, the security
headers, the rate limiter). That machinery cost as much CPU as the answer itself
(profile in bench/xml_curl.py's docstring). It runs inside an app context, for the
configuration and the read-only database session; everything else goes to the portal.
"""
import base64
import functools
import hmac
import logging

from flask import Flask
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from werkzeug.datastructures import Authorization

from app import readonly_db, thread_deadline
from app.xml_curl import configuration, dialplan, directory, render
from app.xml_curl.request import XmlCurlRequest

log = logging.getLogger(__name__)

PATH = "/freeswitch/xml"
# A dial-plan request, the largest, is about 7 KB (tests/fixtures/freeswitch).
MAX_BODY = 64 * 1024

SECTIONS = {
    "directory": directory.answer,
    "dialplan": dialplan.answer,
    "configuration": configuration.answer,
}

_XML = [("Content-Type", "text/xml; charset=utf-8")]
_UNAUTHORIZED = ("401 UNAUTHORIZED", [("Content-Type", "text/plain"), ("WWW-Authenticate", 'Basic realm="freeswitch"')])
_NOT_ALLOWED = ("405 METHOD NOT ALLOWED", [("Content-Type", "text/plain"), ("Allow", "POST")])


def install(app: Flask) -> None:
    app.wsgi_app = XmlCurlEndpoint(app, app.wsgi_app)


def freeswitch_only(app: Flask) -> "XmlCurlEndpoint":
    """The endpoint alone, for a server of its own that FreeSWITCH talks to (README,
    "Production"): every other path is 404, so that port exposes no portal page."""
    return XmlCurlEndpoint(app, _not_found)


def _not_found(environ, start_response):
    start_response("404 NOT FOUND", [("Content-Type", "text/plain"), ("Content-Length", "0")])
    return [b""]


class XmlCurlEndpoint:
    def __init__(self, app: Flask, portal):
        self.app = app
        self.portal = portal

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != PATH:
            return self.portal(environ, start_response)
        if environ.get("REQUEST_METHOD") != "POST":
            status, headers = _NOT_ALLOWED
            body = b""
        else:
            with self.app.app_context():
                status, headers, body = self.answer(environ)
        start_response(status, [*headers, ("Content-Length", str(len(body)))])
        return [body]

    def answer(self, environ) -> tuple[str, list, bytes]:
        config = self.app.config
        if not _authorized(environ.get("HTTP_AUTHORIZATION"), config.get("FREESWITCH_XML_USER") or "",
                           config.get("FREESWITCH_XML_PASSWORD") or ""):
            return (*_UNAUTHORIZED, b"")
        length = _content_length(environ)
        if length is None or length > MAX_BODY:
            log.warning("xml_curl request refused: body of %s bytes", length)
            return "200 OK", _XML, render.not_found()
        section = ""
        seconds = readonly_db.timeout()
        try:
            # The body is read within the deadline too: one shorter than its Content-Length
            # would otherwise hold the worker until the client goes away.
            with readonly_db.deadline(seconds):
                req = XmlCurlRequest.from_body(environ["wsgi.input"].read(length))
                section = req.section
                handler = SECTIONS.get(section)
                try:
                    body = _answer(handler, req) if handler is not None else None
                except Exception:
                    if thread_deadline.expired():  # the deadline broke its connection (a threaded server)
                        raise readonly_db.DeadlineExceeded() from None
                    raise
        except readonly_db.DeadlineExceeded:
            log.error("xml_curl %s request: no answer within %s s (database or client too slow), answering not found",
                      section or "unread", seconds)
            body = None
        except SQLAlchemyError as error:
            log.error("xml_curl %s request: database error, answering not found: %s", section,
                      str(error).splitlines()[0] if str(error) else type(error).__name__)
            body = None
        except Exception:
            log.exception("xml_curl %s request failed, answering not found", section)
            body = None
        return "200 OK", _XML, body if body is not None else render.not_found()


def _answer(handler, req: XmlCurlRequest) -> bytes | None:
    """The handler's answer; asked again once, on a new connection, when the database
    had closed the one it used (a restart): pooled connections are not pinged first."""
    try:
        with readonly_db.scope():
            return handler(req)
    except DBAPIError as error:
        if not error.connection_invalidated or thread_deadline.expired():
            raise
        log.info("xml_curl %s request: the database had closed its connection, asking again", req.section)
    with readonly_db.scope():
        return handler(req)


def _authorized(header: str | None, expected_user: str, expected_password: str) -> bool:
    """HTTP Basic with the configured credentials; no password configured refuses everyone."""
    if not expected_password or not header:
        return False
    # What libcurl sends for mod_xml_curl's gateway-credentials, compared whole; any
    # other spelling of the same credentials is parsed.
    if hmac.compare_digest(header.encode("utf-8", "surrogateescape"), _basic(expected_user, expected_password)):
        return True
    credentials = Authorization.from_header(header)
    if credentials is None or credentials.type != "basic":
        return False
    user_ok = hmac.compare_digest((credentials.username or "").encode(), expected_user.encode())
    password_ok = hmac.compare_digest((credentials.password or "").encode(), expected_password.encode())
    return user_ok and password_ok


@functools.lru_cache(maxsize=4)
def _basic(user: str, password: str) -> bytes:
    return b"Basic " + base64.b64encode(f"{user}:{password}".encode())


def _content_length(environ) -> int | None:
    try:
        length = int(environ.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None
    return length if length >= 0 else None
