"""An expired session met by an HTMX request: a full-page trip to the login page, and back."""
import pytest

from app.flask_extensions import db
from tests import factories


@pytest.fixture
def extension(tenants):
    extension = factories.make_extension(tenants["a"], "101")
    db.session.commit()
    return extension


def htmx_from(page: str) -> dict:
    return {"HX-Request": "true", "HX-Current-URL": "http://localhost" + page, "Accept-Language": "en"}


def test_a_grid_cell_asked_without_a_session_sends_the_browser_to_sign_in_then_back_to_the_grid(client, extension):
    response = client.get(f"/extensions/grid/{extension.id}/ring_seconds", headers=htmx_from("/extensions/grid"))
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/login?next=%2Fextensions%2Fgrid"
    assert response.get_data() == b""  # nothing the cell could swap in


def test_an_address_book_search_without_a_session_comes_back_to_the_search(client, tenants):
    response = client.get("/address-books/?q=al", headers=htmx_from("/address-books/?q=a"))
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/login?next=%2Faddress-books%2F%3Fq%3Da"


def test_signing_in_from_the_redirect_returns_to_the_page_and_says_why(client, extension):
    redirect = client.get(f"/extensions/grid/{extension.id}/name", headers=htmx_from("/extensions/grid"))
    login = client.get(redirect.headers["HX-Redirect"], headers={"Accept-Language": "en"})
    assert "Please sign in to see this page." in login.get_data(as_text=True)
    signed_in = client.post(redirect.headers["HX-Redirect"],
                            data={"email": "admin@alpha.example", "password": factories.PASSWORD})
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/extensions/grid"


def test_another_sites_page_is_never_where_sign_in_returns(client, extension):
    headers = {"HX-Request": "true", "HX-Current-URL": "https://evil.example/steal"}
    response = client.get(f"/extensions/grid/{extension.id}/name", headers=headers)
    assert response.headers["HX-Redirect"] == "/login?next=%2Fsteal"


def test_a_plain_request_is_still_redirected_to_sign_in(client):
    response = client.get("/extensions/grid")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Fextensions%2Fgrid"
    assert "HX-Redirect" not in response.headers
