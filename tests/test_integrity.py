"""The database keeps its own rules (issue 8.6): foreign keys enforced on SQLite too,
ids never given twice, forwarding only within the company."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from app import create_app
from app.flask_extensions import db
from app.models.company import PhoneNumber
from app.models.extension import Extension
from tests import factories
from tests.extensions.test_settings import admin_form, reload, setup  # noqa: F401 (fixture)


def test_a_row_pointing_at_no_parent_is_refused(app):
    with pytest.raises(IntegrityError):
        db.session.execute(text("INSERT INTO phone_numbers (company_id, e164, label, created_at) "
                                "VALUES (987654, '+15145550199', '', CURRENT_TIMESTAMP)"))
        db.session.flush()
    db.session.rollback()


def test_deleting_a_company_in_sql_deletes_what_it_owns(app):
    company = factories.make_company()
    factories.make_number(company, "+15145550123")
    db.session.commit()
    db.session.execute(text("DELETE FROM companies WHERE id = :id"), {"id": company.id})
    db.session.commit()
    assert db.session.execute(select(PhoneNumber)).scalars().all() == []


def test_a_deleted_rows_id_is_never_given_again(app):
    company = factories.make_company()
    first = factories.make_number(company, "+15145550123")
    first_id = first.id
    db.session.delete(first)
    db.session.commit()
    second = factories.make_number(company, "+15145550124")
    db.session.commit()
    assert second.id > first_id


def test_every_sqlite_table_is_autoincrement(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL sequences never reuse an id")
    rows = db.session.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                                   "AND name NOT IN ('alembic_version', 'sqlite_sequence')")).all()
    assert {name for name, _ in rows} == set(db.metadata.tables)
    assert [name for name, sql in rows if "AUTOINCREMENT" not in sql] == []


def test_an_extension_cannot_forward_to_another_companys_extension(client, auth, setup):
    auth.login("admin@alpha.example")
    ext, foreign = setup["other"], setup["foreign"]
    for switch in ("y", None):  # forwarding on, and off (the target is kept)
        page = client.post(f"/extensions/{ext.id}", headers={"Accept-Language": "en"}, data=admin_form(
            ext, forward_enabled=switch, forward_target="extension", forward_extension=str(foreign.id)))
        assert page.status_code == 422 and "Choose an extension of your company." in page.get_data(as_text=True)
        assert reload(ext).forward_extension_id is None


def test_the_migration_keeps_the_data_of_an_existing_sqlite_database(tmp_path, app_config):
    if not app_config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("the SQLite rebuild only")
    config = dict(app_config, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'old.db'}")
    old = create_app(config)
    with old.app_context():
        upgrade(revision="6b8499348703")  # the schema before the rebuild
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO companies (id, name, sip_domain, time_zone, language, created_at) VALUES "
                "(1, 'A', 'a.example', 'UTC', 'fr', '2026-01-01'), (3, 'B', 'b.example', 'UTC', 'fr', '2026-01-01')"))
            connection.execute(text(
                "INSERT INTO users (id, company_id, email, first_name, last_name, role, language, active, "
                "failed_logins, created_at) VALUES (4, 1, 'a@example.com', 'A', 'B', 'admin', 'fr', 1, 2, '2026-01-01')"))
            connection.execute(text(
                "INSERT INTO phone_numbers (id, company_id, e164, label, created_at) "
                "VALUES (9, 3, '+15145550100', 'Main', '2026-01-01')"))
        upgrade()
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT id, email FROM users")).all() == [(4, "a@example.com")]
            assert connection.execute(text("SELECT id, company_id FROM phone_numbers")).all() == [(9, 3)]
            assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
            assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
            assert compare_metadata(MigrationContext.configure(connection), db.metadata) == []
            checks = inspect(connection).get_check_constraints("users")
            assert [c["name"] for c in checks] == ["ck_users_company_matches_role"]
        db.session.add(PhoneNumber(company_id=3, e164="+15145550101"))
        db.session.commit()
        assert db.session.execute(select(PhoneNumber.id).where(PhoneNumber.e164 == "+15145550101")).scalar_one() == 10
        db.engine.dispose()


def test_deleting_an_extension_others_forward_to_still_works_with_keys_enforced(client, auth, setup):
    auth.login("admin@alpha.example")
    target, aiming = setup["own"], setup["other"]
    target_id, aiming_id = target.id, aiming.id
    aiming.forward_extension_id, aiming.forward_enabled = target_id, True
    db.session.commit()
    assert client.post(f"/extensions/{target_id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(Extension, target_id) is None
    assert db.session.get(Extension, aiming_id).forward_extension_id is None
