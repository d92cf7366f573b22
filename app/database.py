"""Declarative base, timestamp type and naming convention shared by every model; how
SQLite files are opened."""
import os
import sqlite3
from datetime import datetime, timezone
from urllib.parse import quote, unquote

from sqlalchemy import DateTime, Engine, Enum, MetaData, Table, event
from sqlalchemy.engine import URL
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UtcDateTime(TypeDecorator):
    """A timestamp that is always an aware UTC datetime, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(timezone.utc) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value


def str_enum(enum_class, length: int = 16) -> Enum:
    """A Python enum stored as its values in a VARCHAR: the same on SQLite and PostgreSQL,
    and a new member needs no ALTER TYPE."""
    return Enum(enum_class, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


@event.listens_for(Table, "after_parent_attach")
def _never_reuse_ids(table, metadata) -> None:
    """On SQLite, every table of ours is AUTOINCREMENT: without it a deleted row's id is
    given to the next row, and a stale link, cache or form then reaches someone else's
    row. (PostgreSQL sequences never go back.)"""
    if metadata is Base.metadata:
        table.dialect_kwargs["sqlite_autoincrement"] = True


@event.listens_for(Engine, "connect")
def _sqlite_enforces_foreign_keys(dbapi_connection, connection_record) -> None:
    # SQLite ignores FOREIGN KEY clauses (and their ON DELETE) unless each connection asks.
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
        # SQLite's own lower() folds A-Z only, so a search for "élise" missed "Élise";
        # Python's folds every letter, as PostgreSQL's lower() does.
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)


def _lower(value):
    return value.lower() if isinstance(value, str) else value


class CreatedAtMixin:
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


def sqlite_file(url: URL) -> str | None:
    """The path of the SQLite file `url` names, or None (another database, or in memory)."""
    database = url.database or ""
    if url.get_backend_name() != "sqlite" or database in ("", ":memory:") or url.query.get("mode") == "memory":
        return None
    if url.query.get("uri"):
        return unquote(database.removeprefix("file:").split("?", 1)[0])
    return database


def sqlite_opened(url: URL, mode: str) -> URL:
    """`url` opening its SQLite file in SQLite's URI `mode`: "rw" never creates the file
    (a missing database is an error, not a new empty one), "ro" never writes. Other URLs
    are returned unchanged; a mode already in a URI URL is kept, except for "ro"."""
    path = sqlite_file(url)
    if path is None:
        return url
    if url.query.get("uri"):
        return url.update_query_dict({"mode": mode}) if mode == "ro" or "mode" not in url.query else url
    return url.set(database="file:" + quote(path)).update_query_dict({"mode": mode, "uri": "true"})


def create_sqlite_file(url: URL) -> None:
    """Create the empty SQLite file `url` names if it is missing: what the migrations do
    for a new database (the app itself opens only an existing file)."""
    path = sqlite_file(url)
    if path and not os.path.exists(path):
        sqlite3.connect(path).close()
