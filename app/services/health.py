"""Whether the application can serve: its database answers a query on its schema.

`SELECT 1` would not do: SQLite answers it without reading its file, so a locked or
missing database (then created empty) looked healthy. The query runs on the read-only
engine within FreeSWITCH's deadline (app/readonly_db.py): the health check says what
FreeSWITCH's next request will find, and a frozen database can't hold it.
"""
import logging

from sqlalchemy import text

from app import readonly_db

log = logging.getLogger(__name__)


def database_ok() -> bool:
    try:
        with readonly_db.deadline(readonly_db.timeout()), readonly_db.scope():
            readonly_db.session().execute(text("SELECT version_num FROM alembic_version")).first()
    except (Exception, readonly_db.DeadlineExceeded) as error:  # any failure to read is "unhealthy"
        log.warning("health check: the database does not answer: %s", str(error).splitlines()[0] if str(error)
                    else type(error).__name__)
        return False
    return True
