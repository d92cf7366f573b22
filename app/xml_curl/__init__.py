"""The FreeSWITCH-facing endpoint: mod_xml_curl asks it for directory users, dial
plans and module configurations (ARCHITECTURE.md, "FreeSWITCH contract")."""
from flask import Blueprint

from app.flask_extensions import csrf

bp = Blueprint("xml_curl", __name__)
# FreeSWITCH posts forms without a session or a CSRF token; HTTP Basic protects it.
csrf.exempt(bp)

from app.xml_curl import routes  # noqa: E402,F401  (registers the view on bp)
