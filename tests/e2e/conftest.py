"""A live server on loopback and Debian's Chromium driven by Playwright."""
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from app import create_app
from app.flask_extensions import db

CHROMIUM = "/usr/bin/chromium"


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
