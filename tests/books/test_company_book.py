from app.flask_extensions import db
from tests import factories


def test_the_company_book_is_named_after_the_company_and_lists_listed_extensions(client, auth, tenants):
    factories.make_extension(tenants["a"], "101", name="Reception", listed=True)
    factories.make_extension(tenants["a"], "102", name="Secret lab", listed=False)
    factories.make_extension(tenants["b"], "103", name="Beta desk", listed=True)
    db.session.commit()
    auth.login("user@alpha.example")
    html = client.get("/address-books/").get_data(as_text=True)
    assert "Alpha inc." in html and "Company book" in html
    assert "Reception" in html and "101" in html
    assert "Secret lab" not in html and "Beta desk" not in html


def test_the_book_follows_the_extensions(client, auth, tenants):
    extension = factories.make_extension(tenants["a"], "101", name="Reception", listed=True)
    db.session.commit()
    auth.login("admin@alpha.example")
    assert "Reception" in client.get("/address-books/").get_data(as_text=True)
    extension.listed = False
    db.session.commit()
    assert "Reception" not in client.get("/address-books/").get_data(as_text=True)


def test_search_answers_htmx_with_the_entries_only(client, auth, tenants):
    factories.make_extension(tenants["a"], "101", name="Reception")
    factories.make_extension(tenants["a"], "102", name="Shipping")
    db.session.commit()
    auth.login("user@alpha.example")
    fragment = client.get("/address-books/?q=ship", headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="book-entries">') and "<html" not in html
    assert "Shipping" in html and "Reception" not in html
    assert "HX-Request" in fragment.headers["Vary"]
    assert "Reception" in client.get("/address-books/?q=101").get_data(as_text=True)
