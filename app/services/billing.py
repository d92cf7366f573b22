"""Recording what the provider bills (F15.4, G27)."""
from sqlalchemy import select

from app.flask_extensions import db
from app.models.billing import BillableEvent, BillableKind
from app.models.extension import Extension


def record(extension: Extension, kind: BillableKind, by_user_id: int | None, detail: str = "") -> None:
    db.session.add(BillableEvent(company_id=extension.company_id, kind=kind, extension_number=extension.number,
                                 detail=detail[:64], user_id=by_user_id))


def record_uc_desktop_turned_on(before: bool, extension: Extension, by_user_id: int | None) -> None:
    """UC Desktop is billed from the day it is turned on, wherever that was done."""
    if extension.uc_desktop and not before:
        record(extension, BillableKind.UC_DESKTOP, by_user_id)


def events(company_id: int, limit: int = 200) -> list[BillableEvent]:
    return db.session.execute(
        select(BillableEvent).where(BillableEvent.company_id == company_id)
        .order_by(BillableEvent.created_at.desc(), BillableEvent.id.desc()).limit(limit)
    ).scalars().all()
