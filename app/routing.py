"""The `<int:…>` URL converter of every route: a row id, or no such page.

Werkzeug's own accepts any digits (other scripts' too) of any size; an id past what an
INTEGER column holds then fails in the database (PostgreSQL: out of range for 2**31 and
up; SQLite: an overflow from 2**63) instead of answering 404.
"""
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL's INTEGER, the type of every primary key here


class RowIdConverter(IntegerConverter):
    regex = r"[0-9]{1,10}"

    def __init__(self, map, fixed_digits=0, min=1, max=MAX_ID, signed=False):  # noqa: A002 (werkzeug's names)
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def install(app) -> None:
    """Replace `int` before any blueprint adds its rules."""
    app.url_map.converters["int"] = RowIdConverter
