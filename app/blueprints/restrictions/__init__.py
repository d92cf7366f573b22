from flask import Blueprint

bp = Blueprint("restrictions", __name__, url_prefix="/call-restrictions")

from app.blueprints.restrictions import routes  # noqa: E402,F401
