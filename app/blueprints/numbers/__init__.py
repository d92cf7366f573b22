from flask import Blueprint

bp = Blueprint("numbers", __name__, url_prefix="/numbers")

from app.blueprints.numbers import routes  # noqa: E402,F401
