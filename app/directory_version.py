"""Every write to a company's rows raises its `directory_version`, in the same transaction.

The xml_curl processes keep the directory answers they rendered (app/xml_curl/answer_cache.py)
and serve one again only while its company's version is the one it was rendered at.
Raising the version where the data changes, rather than where a service remembers to,
makes a forgotten case impossible: whatever writes a row that carries a company_id (an
extension, a SIP account, a user, a number, anything added later) or the company itself
moves that company's version; any other row but those listed as never read (music on
hold, which every company may play) moves them all. Through the ORM (a flush) or an
ORM-enabled bulk statement, it happens in the transaction that makes the change. The commit makes both visible at once,
so no request that starts after a commit can be answered from before it. Writes the
directory never reads (a billing event) cost the next lookup of that company a render.

Only a change made outside the application (SQL typed by hand) goes unseen; after one,
`UPDATE companies SET directory_version = directory_version + 1` makes every process
render again.
"""
from sqlalchemy import event, inspect, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import NO_VALUE

from app.models.company import Company

_ALL = object()  # some company, we can't tell which: raise them all
# Rows of no company that no directory answer reads. Any other such row (music on hold,
# which every company's extensions may play) raises every company's version.
NOT_READ_BY_THE_DIRECTORY = frozenset({"login_sessions"})


def _company_ids(instance) -> set | object:
    state = inspect(instance)
    key = "id" if isinstance(instance, Company) else "company_id"
    if key not in state.mapper.attrs:
        return set() if state.mapper.local_table.name in NOT_READ_BY_THE_DIRECTORY else _ALL
    # The history holds the old value too (a row moved to another company changes both),
    # and reading it never loads anything in the middle of a flush.
    history = state.attrs[key].history
    ids = {value for value in (*history.added, *history.unchanged, *history.deleted) if value is not None}
    if state.key is not None and (key not in state.dict or state.committed_state.get(key) is NO_VALUE):
        # Expired, or set while expired (the history then has the new company only, as
        # sqlalchemy's History.from_scalar_attribute says): the old company is unknown here.
        return _ALL
    return ids


def _raise(connection, ids) -> None:
    statement = update(Company.__table__).values(directory_version=Company.__table__.c.directory_version + 1)
    if ids is not _ALL:
        statement = statement.where(Company.__table__.c.id.in_(sorted(ids)))
    connection.execute(statement)


def _after_flush(session: Session, _flush_context) -> None:
    ids: set = set()
    changed = [*session.new, *session.deleted,
               *(obj for obj in session.dirty if session.is_modified(obj, include_collections=False))]
    for instance in changed:
        found = _company_ids(instance)
        if found is _ALL:
            _raise(session.connection(), _ALL)
            return
        ids |= found
    if ids:
        _raise(session.connection(), ids)


def _bulk_statement(orm_execute_state) -> None:
    """An ORM-enabled insert/update/delete (session.execute(update(Extension)...)) runs no
    flush: raise every company's version, since the statement's rows are not known here."""
    if not (orm_execute_state.is_insert or orm_execute_state.is_update or orm_execute_state.is_delete):
        return
    table = getattr(orm_execute_state.statement, "table", None)
    if table is None or (table.name == Company.__tablename__ and orm_execute_state.is_insert):
        return  # a new company has no answer cached anywhere
    if table.name not in NOT_READ_BY_THE_DIRECTORY:
        _raise(orm_execute_state.session.connection(), _ALL)


def install() -> None:
    """Listen on every session (idempotent)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "do_orm_execute", _bulk_statement)
