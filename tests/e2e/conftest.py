"""A live server on loopback and Debian's Chromium driven by Playwright."""
import shutil
import threading
from pathlib import Path

from dataclasses import dataclass

import pytest
from werkzeug.serving import make_server

from app import create_app
from app.flask_extensions import db
from app.models.user import Role
from tests import factories

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Screenshots of every page, for people to look at; git-ignored, never committed.
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


@pytest.fixture
def live_server(app, app_config):
    # The browser goes through the real protections: CSRF on.
    server_app = create_app(dict(app_config, WTF_CSRF_ENABLED=True))
    server = make_server("127.0.0.1", 0, server_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    with server_app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-CA")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@dataclass
class Demo:
    admin: str
    one: object  # extension 101
    two: object  # extension 102


@pytest.fixture
def demo(app) -> Demo:
    """A company, its English-speaking admin Alice, and extensions 101 and 102."""
    company = factories.make_company("Démo inc.", "demo.voice.example")
    factories.make_user(company, Role.ADMIN, email="alice@demo.example", first_name="Alice", language="en")
    one = factories.make_extension(company, "101", name="Reception", voicemail_password="1234",
                                   voicemail_enabled=True, ring_seconds=20)
    two = factories.make_extension(company, "102", name="Bruno Sales", voicemail_password="1234")
    db.session.commit()
    return Demo("alice@demo.example", one, two)


def sign_in(page, base_url: str, email: str, password: str = factories.PASSWORD) -> None:
    """Sign in through the login form, whatever language it is shown in."""
    page.goto(base_url + "/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main form [type=submit]").first.click()
    page.wait_for_url(lambda url: "/login" not in url)


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE.relative_to(ROOT)} is missing: run `npm ci` (make test does it)")
    return AXE.read_text()


_screenshots_taken = []


@pytest.fixture(scope="session")
def screenshots_dir():
    """An empty folder for this run's screenshots (named in the run's summary)."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    _screenshots_taken.append(SCREENSHOTS)
    return SCREENSHOTS


def pytest_terminal_summary(terminalreporter):
    if _screenshots_taken:
        count = sum(1 for _ in SCREENSHOTS.rglob("*.png"))
        terminalreporter.write_sep("-", f"{count} screenshots of the portal's pages in {SCREENSHOTS}")
