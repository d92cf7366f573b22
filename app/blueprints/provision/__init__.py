from flask import Blueprint

bp = Blueprint("provision", __name__, url_prefix="/provision")

from app.blueprints.provision import routes  # noqa: E402,F401
