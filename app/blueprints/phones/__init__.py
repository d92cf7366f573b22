from flask import Blueprint

bp = Blueprint("phones", __name__, url_prefix="/phones")

from app.blueprints.phones import assign, directory, routes  # noqa: E402,F401
