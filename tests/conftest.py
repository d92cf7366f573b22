"""Fixtures: a migrated database (SQLite file, or PostgreSQL via DATABASE_URL), the app,
a client, an `auth` helper, and a real SMTP server on loopback."""
import os
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from flask.globals import _cv_app
from flask.testing import FlaskClient
from sqlalchemy import text

from app import create_app, readonly_db
from app.flask_extensions import db
from app.jobs import huey
from tests import factories


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("DATABASE_URL")
    if url:
        # The suite empties the database it is given: refuse anything but a test database.
        if "test" not in url.rsplit("/", 1)[-1]:
            raise pytest.UsageError("DATABASE_URL must name a throw-away database whose name contains 'test'")
        return url
    path = tmp_path_factory.mktemp("db") / "test.db"
    # The app opens only an existing SQLite file (app/flask_extensions.py), and _schema
    # drops tables before the migrations would create it.
    path.touch()
    return f"sqlite:///{path}"


@dataclass
class Mailbox:
    """What the loopback SMTP server received."""

    messages: list = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=default_policy)
        with self._lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def clear(self):
        with self._lock:
            self.messages.clear()

    def to(self, address: str) -> list:
        with self._lock:
            return [m for rcpts, m in self.messages if address in rcpts]


@pytest.fixture(scope="session")
def smtp_server():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, mailbox
    controller.stop()


@pytest.fixture(scope="session")
def _schema(database_url, smtp_server):
    """Build the schema once per run, through the real migrations."""
    from flask_migrate import upgrade

    app = create_app(_test_config(database_url, smtp_server[0].port))
    with app.app_context():
        db.drop_all()
        db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        upgrade()
        db.engine.dispose()
    return database_url


def _test_config(database_url: str, smtp_port: int) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_url if not database_url.startswith("postgresql://")
        else "postgresql+psycopg://" + database_url[len("postgresql://"):],
        "WTF_CSRF_ENABLED": False,
        "ARGON2_PROFILE": "CHEAPEST",  # fast hashes: the suite creates hundreds of people
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_port,
        "MAIL_DEFAULT_SENDER": "Switchboard <no-reply@switchboard.example>",
        "SERVER_NAME": None,
        # The test client's host; the live server of the browser tests listens on 127.0.0.1.
        "PORTAL_URL": "http://localhost",
        "TRUSTED_HOSTS": ["localhost", "127.0.0.1"],
        "RATELIMIT_STORAGE_URI": "memory://",  # a fresh count for each app, so each test
        "FREESWITCH_XML_USER": "freeswitch",
        "FREESWITCH_XML_PASSWORD": "xml-secret",
        "ESL_PORT": _free_port(),  # nothing listens unless a test starts the fake FreeSWITCH
        "ESL_TIMEOUT": 0.5,
        # Generous on a busy test machine; the outage tests set the production value.
        "FREESWITCH_XML_TIMEOUT": 5.0,
    }


@pytest.fixture
def app_config(_schema, smtp_server, tmp_path):
    # Each test its own status store (app/telephony/status_store.py), never instance/'s.
    return dict(_test_config(_schema, smtp_server[0].port), STATUS_DB_PATH=str(tmp_path / "status.db"))


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, as in production.

    The test body keeps an app context for its own queries; without this, requests
    would share it (and its db.session and `g`), hiding a missing commit."""

    def open(self, *args, **kwargs):
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    app.test_client_class = IsolatedClient
    huey.storage.flush_all()  # the in-memory job queue outlives an app: start each test empty
    with app.app_context():
        yield app
        db.session.rollback()
        # Empty every table, children first, so each test starts clean.
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
        readonly_db.dispose(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def mailbox(smtp_server):
    _, box = smtp_server
    box.clear()
    return box


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = factories.PASSWORD, **extra):
        return self._client.post("/login", data={"email": email, "password": password, **extra})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def tenants(app):
    """Two companies, each with an admin, a user and a phone number."""
    from app.models.user import Role

    a = factories.make_company("Alpha inc.", "alpha.voice.example")
    b = factories.make_company("Beta ltée", "beta.voice.example")
    data = {
        "a": a,
        "b": b,
        "a_admin": factories.make_user(a, Role.ADMIN, email="admin@alpha.example", language="en"),
        "a_user": factories.make_user(a, Role.USER, email="user@alpha.example", language="en"),
        "b_admin": factories.make_user(b, Role.ADMIN, email="admin@beta.example", language="en"),
        "b_user": factories.make_user(b, Role.USER, email="user@beta.example", language="en"),
        "a_number": factories.make_number(a, "+15145550111", "Main"),
        "b_number": factories.make_number(b, "+14185550122", "Main"),
        "operator": factories.make_user(None, Role.OPERATOR, email="ops@provider.example", language="en"),
    }
    db.session.commit()
    return data


@pytest.fixture
def freeswitch(app):
    """A fake FreeSWITCH event socket the app is pointed at."""
    from tests.fakes.esl_server import FakeEslServer

    with FakeEslServer(password="test-esl") as server:
        app.config.update(ESL_HOST=server.host, ESL_PORT=server.port, ESL_PASSWORD="test-esl")
        yield server


def wait_for(predicate, timeout: float = 5.0):
    """Poll until `predicate()` is truthy (for work done by another thread)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.02)
    return predicate()


# A CSRF token carries the second it was signed in: two answers a second apart differ there only.
_CSRF_TOKEN = re.compile(r"[\w-]+\.[\w-]{6}\.[\w-]{27}")


def page_text(answer, *, same: dict[str, str] | None = None) -> str:
    """An answer's HTML with its CSRF tokens blanked and `same`'s keys replaced, for comparing two answers."""
    text = answer.get_data(as_text=True)
    for old, new in (same or {}).items():
        text = text.replace(old, new)
    return _CSRF_TOKEN.sub("CSRF-TOKEN", text)
