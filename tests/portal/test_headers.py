"""Security headers from flask-talisman, and templates that need no inline script (issue 8.7)."""
import re
from pathlib import Path

from app import create_app

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "templates"


def test_every_page_carries_a_strict_content_security_policy(client):
    headers = client.get("/login").headers
    csp = headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe" not in csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_hsts_only_when_cookies_are_secure_and_the_request_came_over_https(app_config):
    plain = create_app(app_config).test_client()
    assert "Strict-Transport-Security" not in plain.get("/login", base_url="https://localhost").headers
    secure = create_app(dict(app_config, SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)).test_client()
    assert "max-age=" in secure.get("/login", base_url="https://localhost").headers["Strict-Transport-Security"]
    assert "Strict-Transport-Security" not in secure.get("/login").headers  # plain HTTP: never
    create_app(app_config)  # the one Talisman instance back to the suite's settings


def test_no_template_has_inline_script_style_or_event_handlers():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        source = path.read_text()
        if re.search(r"<script(?![^>]*\ssrc=)[^>]*>", source) or re.search(r"<style\b", source):
            offenders.append(f"{path.name}: inline script or style element")
        if re.search(r"\sstyle\s*=", source) or re.search(r"\son[a-z]+\s*=", source) or "hx-on" in source:
            offenders.append(f"{path.name}: style or event-handler attribute")
    assert offenders == []


def test_htmx_is_told_not_to_inject_its_indicator_style(client):
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles": false}'>""" in client.get("/login").get_data(
        as_text=True)
