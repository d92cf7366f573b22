"""Migration f7cc09146335 moves every extension's voicemail settings into its own box,
values kept, and back on downgrade (a throw-away SQLite file)."""
from datetime import datetime, timezone

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from app import create_app
from app.flask_extensions import db
from tests.conftest import _test_config

BEFORE, AFTER = "57d0263b8bc4", "f7cc09146335"


def _filled(table: sa.Table, **values) -> dict:
    """A row with every NOT NULL column given a value of its type, then `values`."""
    row = {}
    for column in table.columns:
        if column.primary_key or column.nullable:
            continue
        if isinstance(column.type, sa.Boolean):
            row[column.name] = False
        elif isinstance(column.type, sa.Integer):
            row[column.name] = 1
        elif isinstance(column.type, sa.DateTime):
            row[column.name] = datetime(2026, 1, 1, tzinfo=timezone.utc)
        else:
            row[column.name] = "x"
    row.update(values)
    return row


def test_every_voicemail_setting_moves_to_the_extension_box_and_back(tmp_path, smtp_server):
    path = tmp_path / "migrate.db"
    path.touch()
    check_migration(f"sqlite:///{path}", smtp_server[0].port)


def check_migration(url: str, smtp_port: int) -> None:
    """Also run by hand on an empty PostgreSQL database (the suite's own is in use)."""
    app = create_app(_test_config(url, smtp_port))
    with app.app_context():
        upgrade(revision=BEFORE)
        meta = sa.MetaData()
        meta.reflect(db.engine)
        companies, extensions = meta.tables["companies"], meta.tables["extensions"]
        with db.engine.begin() as connection:
            company = connection.execute(companies.insert().values(
                _filled(companies, name="Alpha", sip_domain="alpha.voice.example"))).inserted_primary_key[0]
            for number, enabled, pin, email, only in (("101", True, "1357", "a@alpha.example", True),
                                                      ("102", False, "2468", "", False)):
                connection.execute(extensions.insert().values(_filled(
                    extensions, company_id=company, number=number, name=f"Ext {number}", user_id=None,
                    moh_id=None, forward_extension_id=None, caller_id_number_id=None, voicemail_enabled=enabled,
                    voicemail_password=pin, voicemail_email=email, voicemail_email_only=only)))
        upgrade(revision=AFTER)
        with db.engine.connect() as connection:
            boxes = connection.execute(sa.text(
                "SELECT m.number, m.company_id, m.name, m.enabled, m.password, m.email, m.email_only, m.max_seconds,"
                " m.operator_kind, m.star_kind, e.number FROM mailboxes m JOIN extensions e ON e.id = m.extension_id"
                " ORDER BY m.number")).all()
            columns = {c["name"] for c in sa.inspect(connection).get_columns("extensions")}
        assert [tuple(b) for b in boxes] == [
            ("101", company, "Ext 101", True, "1357", "a@alpha.example", True, 180, "none", "login", "101"),
            ("102", company, "Ext 102", False, "2468", "", False, 180, "none", "login", "102")]
        assert not {c for c in columns if c.startswith("voicemail_")}
        downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            back = connection.execute(sa.text(
                "SELECT number, voicemail_enabled, voicemail_password, voicemail_email, voicemail_email_only"
                " FROM extensions ORDER BY number")).all()
        assert [tuple(b) for b in back] == [("101", True, "1357", "a@alpha.example", True),
                                            ("102", False, "2468", "", False)]
        db.engine.dispose()
