"""Whether the application can serve: its database answers a query."""
from sqlalchemy import text

from app.flask_extensions import db


def database_ok() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure to reach the database is "unhealthy"
        db.session.rollback()
        return False
    return True
