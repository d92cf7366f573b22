"""The save workflow the settings page and the grid share: the service writes, the
view commits here, and a concurrent save (the version column) is caught once."""
from sqlalchemy.orm.exc import StaleDataError

from app.flask_extensions import db


def commit_or_stale() -> bool:
    """Commit; False (and nothing saved) when another save of the same row got there first."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        return False
    return True
