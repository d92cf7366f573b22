from flask import Blueprint

bp = Blueprint("extensions", __name__, url_prefix="/extensions")

from app.blueprints.extensions import grid, routes, sip, status  # noqa: E402,F401
