"""The one way to reach a tenant-owned row: through its company.

The views' side (the signed-in person's company, 404 for anything else) is
app/blueprints/tenancy.py."""
from sqlalchemy import Select, select

from app.flask_extensions import db


def scoped(model, company_id: int) -> Select:
    """SELECT of `model` limited to one company."""
    return select(model).where(model.company_id == company_id)


def get_in_company(model, company_id: int, row_id: int):
    """A row of this company by id, or None if absent or another company's."""
    return db.session.execute(scoped(model, company_id).where(model.id == row_id)).scalar_one_or_none()
