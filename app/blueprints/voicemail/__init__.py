from flask import Blueprint

bp = Blueprint("voicemail", __name__, url_prefix="/voicemail")

from app.blueprints.voicemail import routes  # noqa: E402,F401
