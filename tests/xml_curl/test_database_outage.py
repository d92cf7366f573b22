"""A slow, locked, frozen or missing database never stalls FreeSWITCH or the workers
(app/readonly_db.py): xml_curl answers "not found" within a second and /healthz says 503."""
import os
import signal
import socket
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text

from app import readonly_db
from app.flask_extensions import db
from app.xml_curl import directory
from tests import factories
from tests.xml_curl.captures import ask, capture, is_not_found, other_app
from tests.xml_curl.outages import postgresql_locked, sqlite_locked

DOMAIN = "alpha.voice.example"
REGISTER = capture("022-directory-127.0.0.1-1001-sip_auth.txt", user="101", domain=DOMAIN, key_value=DOMAIN)
PRODUCTION_TIMEOUT = 0.8  # app/config.py's default FREESWITCH_XML_TIMEOUT
WITHIN = 1.0  # seconds: what FreeSWITCH, and the next request, may wait at most


@pytest.fixture
def ext(tenants):
    extension = factories.make_extension(tenants["a"], "101", user=tenants["a_user"])
    db.session.commit()
    return extension


def on(dialect: str):
    return pytest.mark.skipif((os.environ.get("DATABASE_URL") or "sqlite").split(":")[0].split("+")[0]
                              not in {"sqlite": ("sqlite",), "postgresql": ("postgresql", "postgres")}[dialect],
                              reason=f"needs {dialect} (DATABASE_URL)")


@contextmanager
def production_app(app_config, **settings):
    with other_app(app_config, FREESWITCH_XML_TIMEOUT=PRODUCTION_TIMEOUT, **settings) as app:
        yield app


def url_of(app_config) -> str:
    return app_config["SQLALCHEMY_DATABASE_URI"]


def timed(call):
    start = time.monotonic()
    result = call()
    return result, time.monotonic() - start


def register_answer(client):
    return timed(lambda: ask(client, REGISTER))


def backend_of_next_request(app) -> int:
    """The PostgreSQL backend this thread's next request will use: the connection it
    kept from its last one (app/readonly_db.py)."""
    with app.app_context(), readonly_db.scope():
        cursor = readonly_db.dbapi_connection().cursor()
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


# --- SQLite -----------------------------------------------------------------------

@on("sqlite")
def test_with_sqlite_locked_freeswitch_gets_not_found_within_a_second(app_config, ext):
    with production_app(app_config) as app, sqlite_locked(url_of(app_config)):
        doc, seconds = register_answer(app.test_client())
    assert is_not_found(doc) and seconds < WITHIN


@on("sqlite")
def test_once_sqlite_is_unlocked_the_next_request_is_answered(app_config, ext):
    with production_app(app_config) as app:
        client = app.test_client()
        with sqlite_locked(url_of(app_config)):
            register_answer(client)
        doc, _ = register_answer(client)
    assert doc.find(".//user[@id='101']") is not None


@on("sqlite")
def test_healthz_is_503_with_sqlite_locked(app_config, ext):
    with production_app(app_config) as app:
        assert app.test_client().get("/healthz").status_code == 200  # a worker past its first request
        with sqlite_locked(url_of(app_config)):
            response, seconds = timed(lambda: app.test_client().get("/healthz"))
    assert response.status_code == 503 and seconds < WITHIN


def test_a_missing_sqlite_file_is_never_created_empty(app_config, tmp_path):
    missing = tmp_path / "gone" / "switchboard.db"
    missing.parent.mkdir()
    with other_app(app_config, SQLALCHEMY_DATABASE_URI=f"sqlite:///{missing}", TESTING=False) as app:
        client = app.test_client()
        assert client.get("/healthz").status_code == 503
        assert is_not_found(ask(client, REGISTER))
        assert client.post("/login", data={"email": "a@b.example", "password": "x" * 12}).status_code == 500
    assert not missing.exists()


def test_flask_db_upgrade_creates_a_new_sqlite_database(app_config, tmp_path):
    new = tmp_path / "switchboard.db"
    with other_app(app_config, SQLALCHEMY_DATABASE_URI=f"sqlite:///{new}") as app:
        result = app.test_cli_runner().invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output
        assert app.test_client().get("/healthz").status_code == 200
    assert sqlite3.connect(new).execute("SELECT count(*) FROM companies").fetchone() == (0,)


# --- PostgreSQL ---------------------------------------------------------------------

@on("postgresql")
@pytest.mark.parametrize("table", ["companies", "sip_accounts"])
def test_with_postgresql_locked_freeswitch_gets_not_found_within_a_second(app_config, ext, table):
    with production_app(app_config) as app, postgresql_locked(url_of(app_config), [table]):
        doc, seconds = register_answer(app.test_client())
    assert is_not_found(doc) and seconds < WITHIN


@on("postgresql")
def test_healthz_is_503_with_postgresql_locked(app_config, ext):
    with production_app(app_config) as app, postgresql_locked(url_of(app_config), ["alembic_version"]):
        response, seconds = timed(lambda: app.test_client().get("/healthz"))
    assert response.status_code == 503 and seconds < WITHIN


@on("postgresql")
def test_with_the_postgresql_backend_frozen_freeswitch_gets_not_found_then_the_next_call_is_served(app_config, ext):
    with production_app(app_config) as app:
        client = app.test_client()
        register_answer(client)
        backend = backend_of_next_request(app)
        os.kill(backend, signal.SIGSTOP)  # what a frozen server looks like from here
        try:
            doc, seconds = register_answer(client)
        finally:
            os.kill(backend, signal.SIGCONT)
        assert is_not_found(doc) and seconds < WITHIN
        # The frozen connection was dropped, not kept: the next request gets a fresh one.
        doc, seconds = register_answer(client)
    assert doc.find(".//user[@id='101']") is not None and seconds < WITHIN


@pytest.fixture
def silent_server():
    """A TCP port that accepts connections and never says a word: a database that is
    down behind a load balancer, or frozen."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield f"postgresql+psycopg://nobody@127.0.0.1:{listener.getsockname()[1]}/none"


def test_with_a_database_that_never_answers_freeswitch_gets_not_found_within_a_second(app_config, silent_server):
    with production_app(app_config, SQLALCHEMY_DATABASE_URI=silent_server) as app:
        client = app.test_client()
        for request in (REGISTER, capture("027-dialplan-default-1002.txt"), capture("005-directory-gateways.txt")):
            doc, seconds = timed(lambda: ask(client, request))
            assert is_not_found(doc) and seconds < WITHIN
        response, seconds = timed(lambda: client.get("/healthz"))
    assert response.status_code == 503 and seconds < WITHIN


def test_the_deadline_does_not_outlive_its_block():
    with readonly_db.deadline(0.05):
        pass
    time.sleep(0.1)  # an alarm left armed would raise here
    with pytest.raises(readonly_db.DeadlineExceeded):
        with readonly_db.deadline(0.05):
            time.sleep(1)
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.default_int_handler, None)


@on("postgresql")
def test_after_postgresql_closed_the_pooled_connection_the_next_request_is_still_answered(app_config, ext):
    """No pre-ping: the query on the closed connection fails as a disconnect and the
    endpoint asks once more on a new connection (app/xml_curl/endpoint.py, _answer)."""
    with production_app(app_config) as app:
        client = app.test_client()
        register_answer(client)
        backend = backend_of_next_request(app)
        killer = create_engine(url_of(app_config))
        with killer.connect() as admin:
            assert admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend}).scalar_one()
        killer.dispose()
        app.extensions.pop("xml_curl_answers", None)  # the lookup itself must reach the database
        doc, seconds = register_answer(client)
        assert not is_not_found(doc) and seconds < WITHIN


# --- in a threaded server (granian): the deadline breaks the thread's connections -----

@pytest.fixture
def server_thread():
    """Runs a call as a threaded server runs a request: in one of its own long-lived
    threads, outside the main thread, where SIGALRM can't reach (app/thread_deadline.py)."""
    with ThreadPoolExecutor(max_workers=1) as worker:
        yield lambda call: worker.submit(call).result(timeout=30)


@on("sqlite")
def test_in_a_server_thread_a_sqlite_query_past_the_deadline_is_stopped(app_config, ext, monkeypatch, caplog,
                                                                         server_thread):
    def endless_lookup(domain, username):
        readonly_db.dbapi_connection().cursor().execute(
            "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 200000000) SELECT count(*) FROM n"
        ).fetchall()

    monkeypatch.setattr(directory, "lookup", endless_lookup)
    with production_app(app_config) as app:
        doc, seconds = server_thread(lambda: register_answer(app.test_client()))
    assert is_not_found(doc) and seconds < WITHIN
    assert "no answer within 0.8 s" in caplog.text


@on("postgresql")
def test_in_a_server_thread_a_frozen_postgresql_backend_is_not_found_then_the_next_call_is_served(
        app_config, ext, server_thread):
    with production_app(app_config) as app:
        client = app.test_client()
        server_thread(lambda: register_answer(client))
        app.extensions.pop("xml_curl_answers", None)
        backend = server_thread(lambda: backend_of_next_request(app))
        os.kill(backend, signal.SIGSTOP)
        try:
            doc, seconds = server_thread(lambda: register_answer(client))
        finally:
            os.kill(backend, signal.SIGCONT)
        assert is_not_found(doc) and seconds < WITHIN
        doc, seconds = server_thread(lambda: register_answer(client))
        assert doc.find(".//user[@id='101']") is not None and seconds < WITHIN
