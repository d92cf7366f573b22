from flask import request
from flask_login import current_user

from app.blueprints.books import bp
from app.blueprints.guards import company_member_required
from app.blueprints.htmx import render
from app.services import company_book


@bp.get("/")
@company_member_required
def index():
    search = request.args.get("q", "")[:100]
    entries = company_book.entries(current_user.company_id, search)
    return render("books/index.html", "books/_entries.html", entries=entries, search=search,
                  company=current_user.company)
