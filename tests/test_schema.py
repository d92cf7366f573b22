"""The migrations build exactly the schema the models describe."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.flask_extensions import db


def test_migrations_match_the_models(app):
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert diff == []


def test_every_tenant_table_has_a_not_null_company_id():
    # Platform-wide tables; users: operators have no company (a check constraint says so);
    # login_sessions: a person's, whatever their company.
    exempt = {"companies", "users", "login_sessions", "music_on_hold"}
    for table in db.metadata.sorted_tables:
        if table.name in exempt:
            continue
        assert "company_id" in table.c, table.name
        assert table.c.company_id.nullable is False, table.name
