"""Links in mails are built from PORTAL_URL, never from the request's Host (issue 8.1)."""
import re

from app.flask_extensions import db
from app.models.user import Role
from tests import factories
from tests.conftest import wait_for


def _person():
    company = factories.make_company()
    factories.make_user(company, Role.USER, email="victim@example.com", language="en")
    db.session.commit()


def test_a_request_for_another_host_is_refused_and_mails_nothing(client, app, mailbox):
    _person()
    response = client.post("/recover", data={"email": "victim@example.com"}, headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert client.get("/login", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/login", headers={"Host": "localhost:8080"}).status_code == 200  # any port
    client.post("/recover", data={"email": "victim@example.com"})  # a trusted one, to know mail flows
    wait_for(lambda: mailbox.to("victim@example.com"))
    assert len(mailbox.to("victim@example.com")) == 1


def test_the_reset_link_is_on_the_portal_url_whatever_host_was_asked(client, app, mailbox):
    # Even where every host is accepted (no TRUSTED_HOSTS), the link ignores the Host header.
    app.config.update(TRUSTED_HOSTS=None, PORTAL_URL="https://portal.example.com/phones")
    _person()
    response = client.post("/recover", data={"email": "victim@example.com"}, headers={"Host": "evil.example"})
    assert response.status_code == 200
    [message] = wait_for(lambda: mailbox.to("victim@example.com"))
    body = message.get_content()
    assert "evil.example" not in body
    assert re.search(r"https://portal\.example\.com/phones/reset/[\w.\-]+", body)


def test_the_welcome_mail_link_is_on_the_portal_url(client, app, tenants, mailbox):
    app.config.update(TRUSTED_HOSTS=None, PORTAL_URL="https://portal.example.com")
    evil = {"Host": "evil.example"}
    client.post("/login", headers=evil, data={"email": "admin@alpha.example", "password": factories.PASSWORD})
    client.post("/extensions/new", headers=evil, data={
        "number": "150", "owner_mode": "new", "first_name": "Nina", "last_name": "Roy",
        "email": "nina@example.com", "language": "en", "voicemail": "y"})
    [message] = wait_for(lambda: mailbox.to("nina@example.com"))
    assert "https://portal.example.com/reset/" in message.get_content()
    assert "evil.example" not in message.get_content()
