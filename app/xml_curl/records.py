"""Result rows as plain objects, for the answers FreeSWITCH waits on.

Building ORM objects was most of what a dial-plan answer cost (bench/xml_curl.py: the
two ORM lookups of an internal call, 1.5 of its 2.3 ms in process). A Record holds one
table's columns of a row under the model's attribute names, and its class borrows the
model's own read-only properties (`reachable`, `voicemail_enabled`...), so that the
call services read it as they read the model and each rule keeps one implementation.

Statements select each table's columns under a prefix (`e_number`, `u_active`): every
column of the tables whose rows the call services read as models, only the ones read
of the others (a Part says which). They run as readonly_db.Prepared statements, whose
result processors turn stored values into Python ones (booleans, enums) as the ORM would.
"""
import functools
from typing import Any, NamedTuple

from sqlalchemy import inspect

from app.models.company import Company
from app.models.extension import Extension


class Record:
    """One table's columns of a result row, under the model's attribute names."""

    def __init__(self, **columns):
        self.__dict__.update(columns)


def record_class(model, *properties: str) -> type:
    """A Record class with `model`'s getters for `properties` (plain or hybrid)."""
    namespace = {name: property(model.__dict__[name].fget) for name in properties}
    return type(f"{model.__name__}Record", (Record,), namespace)


# Only the getters the answers read; the other tables' columns are all they read (Record).
EXTENSION = record_class(Extension, "reachable", "voicemail_enabled")
COMPANY = record_class(Company, "dialplan_context")


class Part(NamedTuple):
    """One table of a statement: its rows become `record`s with these columns (None:
    every column; "id" is always one, it tells an outer join's missing row)."""

    entity: Any  # a model or an alias of one
    record: type = Record
    columns: tuple[str, ...] | None = None


# What the answers read of the rows they only look at (any other attribute would be an
# AttributeError, answered "not found"):
OWNER = ("id", "active")                       # reachable
NUMBER = ("id", "company_id", "e164")          # the caller-ID number
FORWARD_TARGET = ("id", "company_id", "number", "dnd", "user_id")


def selected(tables: dict[str, Part]) -> list:
    """The columns of each Part, labelled `<prefix>_<key>`."""
    return [column.label(f"{prefix}_{column.key}")
            for prefix, part in tables.items() for column in inspect(part.entity).selectable.c
            if part.columns is None or column.key in part.columns]


@functools.lru_cache(maxsize=64)
def _layout(keys: tuple[str, ...], prefixes: tuple[str, ...]) -> tuple:
    """For each prefix, the positions of its columns in a row and their attribute names."""
    layout = []
    for wanted in prefixes:
        positions, names = [], []
        for position, key in enumerate(keys):
            prefix, _, name = key.partition("_")
            if prefix == wanted:
                positions.append(position)
                names.append(name)
        layout.append((wanted, tuple(positions), tuple(names), names.index("id")))
    return tuple(layout)


def split(keys: tuple[str, ...], row: tuple, tables: dict[str, Part]) -> dict[str, Record | None]:
    """The row's Records by prefix; None for a table the outer join found no row of."""
    found: dict[str, Record | None] = {}
    for prefix, positions, names, id_at in _layout(keys, tuple(tables)):
        values = [row[position] for position in positions]
        found[prefix] = tables[prefix].record(**dict(zip(names, values))) if values[id_at] is not None else None
    return found


def extension_of(found: dict[str, Record | None]) -> Record | None:
    """The extension Record (prefix e) with what was read with it attached: its owner (u),
    music on hold (m), caller-ID number (n) and box (b), each None when not read."""
    extension = found["e"]
    if extension is not None:
        extension.user, extension.music_on_hold = found.get("u"), found.get("m")
        extension.caller_id_number, extension.mailbox = found.get("n"), found.get("b")
        if extension.mailbox is not None:
            extension.mailbox.extension = extension
    return extension
