from flask import Blueprint

bp = Blueprint("books", __name__, url_prefix="/address-books")

from app.blueprints.books import routes  # noqa: E402,F401
