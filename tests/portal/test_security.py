import pytest

from tests import factories


@pytest.fixture
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def test_a_form_post_without_csrf_token_is_refused(csrf_app, tenants):
    client = csrf_app.test_client()
    response = client.post("/login", data={"email": "user@alpha.example", "password": factories.PASSWORD})
    assert response.status_code == 400


def test_a_post_with_the_token_from_the_page_is_accepted(csrf_app, tenants):
    client = csrf_app.test_client()
    html = client.get("/login").get_data(as_text=True)
    token = html.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/login", data={"email": "user@alpha.example", "password": factories.PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302


def test_htmx_requests_carry_the_token_in_a_header(csrf_app, tenants):
    client = csrf_app.test_client()
    html = client.get("/login").get_data(as_text=True)
    assert "hx-headers='{\"X-CSRFToken\":" in html
    token = html.split('<meta name="csrf-token" content="')[1].split('"')[0]
    ok = client.post("/language", data={"language": "en"}, headers={"X-CSRFToken": token, "HX-Request": "true"})
    refused = client.post("/language", data={"language": "en"}, headers={"HX-Request": "true"})
    assert ok.status_code == 302 and refused.status_code == 400


def test_pages_vary_on_htmx_requests(client):
    assert "HX-Request" in client.get("/login").headers["Vary"]
