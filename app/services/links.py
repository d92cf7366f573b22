"""Links that leave the request (mails): built from PORTAL_URL, never from the Host
header of the request that caused them, which its sender chooses (issue 8.1)."""
from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    """The absolute URL of `endpoint` on the configured portal address (path prefix included)."""
    portal = urlsplit(current_app.config["PORTAL_URL"])
    adapter = current_app.url_map.bind(portal.netloc, script_name=portal.path or "/", url_scheme=portal.scheme)
    return adapter.build(endpoint, values, force_external=True)
