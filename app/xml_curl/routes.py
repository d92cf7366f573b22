"""POST /freeswitch/xml: authenticate FreeSWITCH, dispatch on `section`, and never fail.

Whatever goes wrong (a bug, a database outage, a body too large, malformed or shorter
than its Content-Length) the answer is the "not found" document with status 200 and a
log line, within FREESWITCH_XML_TIMEOUT (app/readonly_db.py): FreeSWITCH then falls
back to its static files, and refuses the registration or call if they have nothing
either, instead of waiting on an error page, and the worker is free for the next one.
"""
import hmac
import logging

from flask import Response, current_app, request
from sqlalchemy.exc import SQLAlchemyError

from app import readonly_db
from app.xml_curl import bp, configuration, dialplan, directory, render
from app.xml_curl.request import XmlCurlRequest

log = logging.getLogger(__name__)

# A dial-plan request, the largest, is about 7 KB (tests/fixtures/freeswitch).
MAX_BODY = 64 * 1024

SECTIONS = {
    "directory": directory.answer,
    "dialplan": dialplan.answer,
    "configuration": configuration.answer,
}


@bp.post("/freeswitch/xml")
def answer():
    if not _authorized():
        return Response("", 401, {"WWW-Authenticate": 'Basic realm="freeswitch"'})
    length = request.content_length
    if length is None or length > MAX_BODY:
        log.warning("xml_curl request refused: body of %s bytes", length)
        return _xml(render.not_found())
    section = ""
    seconds = readonly_db.timeout()
    try:
        # The body is read within the deadline too: one shorter than its Content-Length
        # would otherwise hold the worker until the client goes away.
        with readonly_db.deadline(seconds), readonly_db.scope():
            req = XmlCurlRequest.from_body(request.get_data(cache=False))
            section = req.section
            handler = SECTIONS.get(section)
            body = handler(req) if handler is not None else None
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
    return _xml(body if body is not None else render.not_found())


def _authorized() -> bool:
    """HTTP Basic with the configured credentials; no password configured refuses everyone."""
    expected_user = current_app.config.get("FREESWITCH_XML_USER") or ""
    expected_password = current_app.config.get("FREESWITCH_XML_PASSWORD") or ""
    credentials = request.authorization
    if not expected_password or credentials is None or credentials.type != "basic":
        return False
    user_ok = hmac.compare_digest((credentials.username or "").encode(), expected_user.encode())
    password_ok = hmac.compare_digest((credentials.password or "").encode(), expected_password.encode())
    return user_ok and password_ok


def _xml(body: bytes) -> Response:
    return Response(body, 200, mimetype="text/xml")
