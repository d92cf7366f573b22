"""The one way to reach a tenant-owned row: through the current company."""
from flask import abort
from flask_login import current_user
from sqlalchemy import Select, select

from app.extensions import db


def current_company_id() -> int:
    """The signed-in person's company id; 404 for anyone without one (operators)."""
    company_id = getattr(current_user, "company_id", None)
    if company_id is None:
        abort(404)
    return company_id


def scoped(model) -> Select:
    """SELECT of `model` limited to the current company."""
    return select(model).where(model.company_id == current_company_id())


def get_in_company_or_404(model, row_id: int):
    """Load a row of the current company by id; raises 404 if absent or someone else's."""
    row = db.session.execute(scoped(model).where(model.id == row_id)).scalar_one_or_none()
    if row is None:
        abort(404)
    return row
