"""The current company, and rows of it, for the views: 404 for anything else."""
from flask import abort
from flask_login import current_user

from app.services import tenancy


def current_company_id() -> int:
    """The signed-in person's company id; 404 for anyone without one (operators)."""
    company_id = getattr(current_user, "company_id", None)
    if company_id is None:
        abort(404)
    return company_id


def get_in_company_or_404(model, row_id: int):
    """Load a row of the current company by id; raises 404 if absent or someone else's."""
    row = tenancy.get_in_company(model, current_company_id(), row_id)
    if row is None:
        abort(404)
    return row
