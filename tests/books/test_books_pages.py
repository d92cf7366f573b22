"""Tools → Address books (F8) through the portal: books, rights, contacts, search."""
import pytest
from flask_babel import force_locale

from app.flask_extensions import db
from app.models.address_book import AddressBook, AddressBookMember, BookKind, Contact
from app.models.user import Role
from app.services import address_books
from app.services.address_books import ContactFields
from tests import factories
from tests.xml_curl.captures import QueryCounter

NASTY = "<b>&\"'"


def _add(book, first="Ann", last="Lee", phone="5145550100", email=""):
    contact = Contact(company_id=book.company_id, book_id=book.id, first_name=first, last_name=last, phone=phone,
                      email=email)
    db.session.add(contact)
    db.session.commit()
    return contact


def _shared(tenants, name="Suppliers", members=()):
    book, errors = address_books.create_book(tenants["a"].id, name, [m.id for m in members])
    assert errors == {}
    db.session.commit()
    return book


def _mine(user):
    book = address_books.my_contacts(user)
    db.session.commit()
    return book


def _page(client, url, **kwargs):
    response = client.get(url, **kwargs)
    return response.status_code, response.get_data(as_text=True)


# --- Rights ----------------------------------------------------------------------------------

def test_my_contacts_of_someone_else_answers_404_even_to_an_admin(client, auth, tenants):
    book = _mine(tenants["a_user"])
    contact = _add(book, "Private", "Person")
    auth.login("admin@alpha.example")
    for url in (f"/address-books/{book.id}", f"/address-books/{book.id}/export.csv",
                f"/address-books/{book.id}/export.vcf", f"/address-books/{book.id}/import",
                f"/address-books/contacts/{contact.id}/edit", f"/address-books/contacts/{contact.id}/delete"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/address-books/{book.id}/contacts", data={"first_name": "x"}).status_code == 404
    assert "Person" not in client.get("/address-books/?q=Private").get_data(as_text=True)


def test_a_shared_book_not_shared_with_a_user_answers_404(client, auth, tenants):
    book = _shared(tenants, "Board", members=[])
    contact = _add(book, "Secret", "Member")
    auth.login("user@alpha.example")
    assert client.get(f"/address-books/{book.id}").status_code == 404
    assert client.get(f"/address-books/{book.id}/export.csv").status_code == 404
    assert client.get(f"/address-books/contacts/{contact.id}/edit").status_code == 404
    status, html = _page(client, "/address-books/")
    assert "Board" not in html and "Secret" not in html


def test_another_company_sees_none_of_the_books(client, auth, tenants):
    book = _shared(tenants, "Suppliers", members=[tenants["a_user"]])
    contact = _add(book)
    auth.login("admin@beta.example")
    assert client.get(f"/address-books/{book.id}").status_code == 404
    assert client.get(f"/address-books/{book.id}/rename").status_code == 404
    assert client.get(f"/address-books/{book.id}/access").status_code == 404
    assert client.post(f"/address-books/{book.id}/delete").status_code == 404
    assert client.get(f"/address-books/contacts/{contact.id}/edit").status_code == 404
    assert db.session.get(AddressBook, book.id) is not None


def test_a_user_sees_a_shared_book_but_may_not_change_it(client, auth, tenants):
    book = _shared(tenants, "Suppliers", members=[tenants["a_user"]])
    contact = _add(book, "Ann", "Lee")
    auth.login("user@alpha.example")
    status, html = _page(client, f"/address-books/{book.id}")
    assert status == 200 and "Ann" in html and "Only administrators change this address book." in html
    assert f"/address-books/contacts/{contact.id}/edit" not in html
    assert client.get(f"/address-books/contacts/{contact.id}/edit").status_code == 403
    assert client.post(f"/address-books/contacts/{contact.id}/edit",
                       data={"first_name": "Hacked", "last_name": "Lee", "phone": "5145550100"}).status_code == 403
    assert client.post(f"/address-books/contacts/{contact.id}/delete").status_code == 403
    assert client.post(f"/address-books/{book.id}/contacts",
                       data={"first_name": "New", "last_name": "One", "phone": "5145550100"}).status_code == 403
    assert client.get(f"/address-books/{book.id}/import").status_code == 403
    assert client.get(f"/address-books/{book.id}/rename").status_code == 403
    assert client.get("/address-books/new").status_code == 403
    db.session.expire_all()
    assert [c.first_name for c in db.session.query(Contact)] == ["Ann"]


# --- Shared books ----------------------------------------------------------------------------

def test_an_admin_creates_a_shared_book_for_everyone_with_select_all(client, auth, tenants):
    auth.login("admin@alpha.example")
    response = client.post("/address-books/new", data={"name": "Suppliers", "select_all": "y"})
    book = db.session.query(AddressBook).filter_by(name="Suppliers").one()
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/address-books/{book.id}")
    assert address_books.member_ids(book) == {tenants["a_admin"].id, tenants["a_user"].id}
    assert "Address book Suppliers created" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_people_created_later_are_not_added_to_a_book(client, auth, tenants):
    book = _shared(tenants, "Suppliers", members=[tenants["a_user"]])
    newcomer = factories.make_user(tenants["a"], Role.USER, email="new@alpha.example", language="en")
    db.session.commit()
    auth.login("new@alpha.example")
    assert client.get(f"/address-books/{book.id}").status_code == 404
    auth.logout()
    auth.login("admin@alpha.example")
    client.post(f"/address-books/{book.id}/access", data={"members": [tenants["a_user"].id, newcomer.id]})
    auth.logout()
    auth.login("new@alpha.example")
    assert client.get(f"/address-books/{book.id}").status_code == 200


def test_access_ignores_another_companys_person(client, auth, tenants):
    book = _shared(tenants)
    auth.login("admin@alpha.example")
    response = client.post(f"/address-books/{book.id}/access", data={"members": [tenants["b_user"].id]})
    assert response.status_code == 422 and "not a valid choice" in response.get_data(as_text=True)
    assert db.session.query(AddressBookMember).count() == 0


def test_a_book_name_is_required_unique_whatever_the_case_and_64_characters_at_most(client, auth, tenants):
    _shared(tenants, "Suppliers")
    auth.login("admin@alpha.example")
    for name, message in (("", "Enter a name for the address book."),
                          ("suppliers", "Another address book already has this name."),
                          ("x" * 65, "64 characters at most.")):
        response = client.post("/address-books/new", data={"name": name})
        assert response.status_code == 422 and message in response.get_data(as_text=True), name
    assert db.session.query(AddressBook).filter_by(kind=BookKind.SHARED).count() == 1


def test_the_same_name_in_another_company_is_fine(client, auth, tenants):
    _shared(tenants, "Suppliers")
    auth.login("admin@beta.example")
    assert client.post("/address-books/new", data={"name": "Suppliers"}).status_code == 302


def test_rename_and_delete_a_shared_book(client, auth, tenants):
    book = _shared(tenants, "Suppliers")
    book_id = book.id
    other = _shared(tenants, "Board")
    _add(book)
    _add(book, "Bob", "Roy")
    auth.login("admin@alpha.example")
    assert "Another address book already has this name." in client.post(
        f"/address-books/{book.id}/rename", data={"name": "BOARD"}).get_data(as_text=True)
    assert client.post(f"/address-books/{book.id}/rename", data={"name": "Vendors"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(AddressBook, book.id).name == "Vendors"
    status, html = _page(client, f"/address-books/{book.id}/delete")
    assert "Its 2 contacts are deleted with it, for good" in html
    assert db.session.get(AddressBook, book.id) is not None  # asking is not deleting
    response = client.post(f"/address-books/{book.id}/delete")
    assert response.status_code == 302
    assert "Address book Vendors deleted, with its 2 contacts." in client.get("/address-books/").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(AddressBook, book_id) is None and db.session.query(Contact).count() == 0
    assert db.session.get(AddressBook, other.id) is not None


def test_my_contacts_has_no_rename_access_or_delete(client, auth, tenants):
    book = _mine(tenants["a_admin"])
    auth.login("admin@alpha.example")
    for url in (f"/address-books/{book.id}/rename", f"/address-books/{book.id}/access",
                f"/address-books/{book.id}/delete"):
        assert client.get(url).status_code == 404, url
        assert client.post(url, data={"name": "Mine"}).status_code == 404, url


def test_the_access_tab_lists_who_sees_each_book(client, auth, tenants):
    _shared(tenants, "Suppliers", members=[tenants["a_user"]])
    _shared(tenants, "Board")
    auth.login("admin@alpha.example")
    status, html = _page(client, "/address-books/access")
    assert status == 200 and "Suppliers" in html and tenants["a_user"].full_name in html
    assert "Administrators only" in html
    auth.logout()
    auth.login("user@alpha.example")
    assert client.get("/address-books/access").status_code == 403


# --- Contacts --------------------------------------------------------------------------------

def test_a_contact_added_into_several_books_at_once_is_in_each(client, auth, tenants):
    suppliers = _shared(tenants, "Suppliers")
    board = _shared(tenants, "Board")
    mine = _mine(tenants["a_admin"])
    auth.login("admin@alpha.example")
    response = client.post("/address-books/contacts/new", data={
        "first_name": "Ann", "last_name": "Lee", "phone": "5145550100", "email": "ann@example.com",
        "books": [mine.id, suppliers.id]})
    assert response.status_code == 302
    assert "Contact added successfully." in client.get(response.headers["Location"]).get_data(as_text=True)
    rows = db.session.query(Contact).order_by(Contact.book_id).all()
    assert [(c.book_id, c.full_name, c.email) for c in rows] == [
        (suppliers.id, "Ann Lee", "ann@example.com"), (mine.id, "Ann Lee", "ann@example.com")]
    assert board.id not in {c.book_id for c in rows}


def test_adding_a_contact_without_a_book_is_refused(client, auth, tenants):
    auth.login("admin@alpha.example")
    response = client.post("/address-books/contacts/new",
                           data={"first_name": "Ann", "last_name": "Lee", "phone": "5145550100"})
    assert response.status_code == 422 and "Choose at least one address book." in response.get_data(as_text=True)
    assert db.session.query(Contact).count() == 0


def test_an_empty_post_of_add_a_contact_is_refused_field_by_field(client, auth, tenants):
    auth.login("user@alpha.example")
    response = client.post("/address-books/contacts/new", data={})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Enter a phone number." in html and "Choose at least one address book." in html


def test_a_user_may_not_add_into_a_shared_book_by_posting_its_id(client, auth, tenants):
    book = _shared(tenants, members=[tenants["a_user"]])
    auth.login("user@alpha.example")
    response = client.post("/address-books/contacts/new", data={
        "first_name": "Ann", "last_name": "Lee", "phone": "5145550100", "books": [book.id]})
    assert response.status_code == 422 and "not a valid choice" in response.get_data(as_text=True)
    assert db.session.query(Contact).count() == 0


@pytest.mark.parametrize("phone, message", [
    ("514 555 0100", "Digits only: remove the spaces."),
    ("514-555-0100", "Digits only: remove the dashes."),
    ("+15145550100", "Digits only: remove the “+”"),
    ("514555O100", "Digits only: letters are not allowed."),
    ("(514)5550100", "Digits only: remove “()”."),
    ("١٢٣٤", "Digits only: remove “١٢٣٤”."),
    ("12", "A phone number has 3 to 15 digits; this one has 2 digits."),
    ("1234567890123456", "this one has 16 digits."),
    ("", "Enter a phone number."),
])
def test_a_bad_phone_says_exactly_what_is_wrong_and_saves_nothing(client, auth, tenants, phone, message):
    book = _mine(tenants["a_user"])
    auth.login("user@alpha.example")
    response = client.post(f"/address-books/{book.id}/contacts",
                           data={"first_name": "Ann", "last_name": "Lee", "phone": phone})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html
    assert 'id="new-phone-error"' in html and 'aria-invalid="true"' in html
    assert db.session.query(Contact).count() == 0


def test_spaces_and_dashes_are_both_named(client, auth, tenants):
    book = _mine(tenants["a_user"])
    auth.login("user@alpha.example")
    html = client.post(f"/address-books/{book.id}/contacts",
                       data={"first_name": "Ann", "last_name": "Lee", "phone": "514 555-0100"}).get_data(as_text=True)
    assert "Digits only: remove the spaces. Digits only: remove the dashes." in html


def test_names_and_email_are_checked(client, auth, tenants):
    book = _mine(tenants["a_user"])
    auth.login("user@alpha.example")
    html = client.post(f"/address-books/{book.id}/contacts", data={
        "first_name": "", "last_name": "x" * 51, "phone": "5145550100", "email": "not-an-address"}).get_data(as_text=True)
    assert "Enter a first name." in html and "50 characters at most." in html and "Enter a valid email address." in html
    assert db.session.query(Contact).count() == 0


def test_htmx_deletes_a_contact_in_place(client, auth, tenants):
    book = _mine(tenants["a_user"])
    contact = _add(book)
    auth.login("user@alpha.example")
    html = client.get(f"/address-books/{book.id}").get_data(as_text=True)
    assert f'hx-post="/address-books/contacts/{contact.id}/delete"' in html and 'hx-confirm="Delete Ann Lee?"' in html
    response = client.post(f"/address-books/contacts/{contact.id}/delete", headers={"HX-Request": "true"})
    assert response.status_code == 200 and response.get_data(as_text=True) == ""
    db.session.expire_all()
    assert db.session.query(Contact).count() == 0


def test_a_user_adds_edits_and_deletes_in_my_contacts(client, auth, tenants):
    book = _mine(tenants["a_user"])
    auth.login("user@alpha.example")
    response = client.post(f"/address-books/{book.id}/contacts",
                           data={"first_name": " Ann ", "last_name": "Lee", "phone": "5145550100"})
    assert response.status_code == 302
    contact = db.session.query(Contact).one()
    assert (contact.first_name, contact.book_id) == ("Ann", book.id)
    assert client.post(f"/address-books/contacts/{contact.id}/edit", data={
        "first_name": "Ann", "last_name": "Lee-Roy", "phone": "5145550199", "email": "ann@example.com"}).status_code == 302
    bad = client.post(f"/address-books/contacts/{contact.id}/edit",
                      data={"first_name": "Ann", "last_name": "Lee", "phone": "514-555"})
    assert bad.status_code == 422 and "Digits only: remove the dashes." in bad.get_data(as_text=True)
    db.session.expire_all()
    contact = db.session.get(Contact, contact.id)
    assert (contact.last_name, contact.phone, contact.email) == ("Lee-Roy", "5145550199", "ann@example.com")
    status, html = _page(client, f"/address-books/contacts/{contact.id}/delete")
    assert status == 200 and "Delete Ann Lee-Roy?" in html
    assert client.post(f"/address-books/contacts/{contact.id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.query(Contact).count() == 0


# --- All contacts and search -----------------------------------------------------------------

def test_all_contacts_lists_every_visible_book_and_the_company_book(client, auth, tenants):
    factories.make_extension(tenants["a"], "101", name="Reception")
    _add(_mine(tenants["a_user"]), "Mine", "Only")
    _add(_shared(tenants, "Suppliers", [tenants["a_user"]]), "Shared", "Entry")
    _add(_shared(tenants, "Board"), "Hidden", "Board")
    _add(_mine(tenants["a_admin"]), "Admins", "Private")
    auth.login("user@alpha.example")
    status, html = _page(client, "/address-books/")
    assert "Mine" in html and "Shared" in html and "Reception" in html and "Suppliers" in html
    assert "Hidden" not in html and "Admins" not in html and "Board" not in html


@pytest.mark.parametrize("query, found", [
    ("lee", {"Ann Lee"}), ("LEE", {"Ann Lee"}), ("ann@", {"Ann Lee"}), ("0199", {"Bob Roy"}),
    ("supp", {"Bob Roy"}), ("my contacts", {"Ann Lee", "Élise Côté", "100% Sure", "Under_score"}), ("recep", {"Reception"}), ("101", {"Reception"}),
    ("élise", {"Élise Côté"}), ("CÔTÉ", {"Élise Côté"}),
    ("%", {"100% Sure"}), ("_", {"Under_score"}), ("nothing", set()),
])
def test_search_matches_any_field_and_the_book_name_literally(client, auth, tenants, query, found):
    factories.make_extension(tenants["a"], "101", name="Reception")
    mine = _mine(tenants["a_user"])
    _add(mine, "Ann", "Lee", email="ann@example.com")
    _add(mine, "Élise", "Côté", phone="5145550111")
    _add(mine, "100%", "Sure", phone="5145550112")
    _add(mine, "Under_score", "", phone="5145550113")
    _add(_shared(tenants, "Suppliers", [tenants["a_user"]]), "Bob", "Roy", phone="5145550199")
    auth.login("user@alpha.example")
    with force_locale("en"):  # the personal book's name is the reader's language's
        rows = address_books.search(tenants["a_user"], query)
    assert {r.name.strip() for r in rows} == found
    html = client.get("/address-books/", query_string={"q": query}, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert html.lstrip().startswith('<div id="book-entries">')
    for name in {"Ann Lee", "Bob Roy", "Reception", "100% Sure"} - found:
        assert name not in html


def test_the_book_page_search_answers_htmx_with_its_rows(client, auth, tenants):
    book = _mine(tenants["a_user"])
    _add(book, "Ann", "Lee")
    _add(book, "Bob", "Roy")
    auth.login("user@alpha.example")
    response = client.get(f"/address-books/{book.id}?q=roy", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="book-entries">') and "<html" not in html
    assert "Roy" in html and "Lee" not in html and "HX-Request" in response.headers["Vary"]


def test_percent_no_longer_matches_the_whole_company_book(client, auth, tenants):
    factories.make_extension(tenants["a"], "101", name="Reception")
    db.session.commit()
    auth.login("user@alpha.example")
    assert "Reception" not in client.get("/address-books/company?q=%25").get_data(as_text=True)
    assert "Reception" in client.get("/address-books/company?q=rec").get_data(as_text=True)


# --- Escaping and query counts ---------------------------------------------------------------

def test_a_contact_named_with_markup_renders_as_text_everywhere(client, auth, tenants):
    book = _shared(tenants, NASTY, [tenants["a_user"]])
    contact = _add(book, NASTY, NASTY, email="a@example.com")
    auth.login("admin@alpha.example")
    for url in ("/address-books/", f"/address-books/?q={NASTY}", f"/address-books/{book.id}",
                f"/address-books/contacts/{contact.id}/edit", f"/address-books/contacts/{contact.id}/delete",
                f"/address-books/{book.id}/rename", f"/address-books/{book.id}/access",
                f"/address-books/{book.id}/delete", "/address-books/access", "/address-books/contacts/new"):
        status, html = _page(client, url)
        assert status == 200, url
        assert "<b>&" not in html, url
        assert "&lt;b&gt;&amp;" in html, url


def _count(app, client, url) -> int:
    from app.flask_extensions import db as _db
    with QueryCounter(_db.engine) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_lists_query_count_does_not_grow_with_books_or_contacts(app, client, auth, tenants):
    user = tenants["a_user"]
    mine = _mine(user)
    book = _shared(tenants, "Suppliers", [user])
    _add(mine)
    _add(book)
    factories.make_extension(tenants["a"], "101", name="Reception")
    db.session.commit()
    auth.login("user@alpha.example")
    urls = ["/address-books/", f"/address-books/{book.id}", "/address-books/company", "/address-books/?q=a"]
    few = [_count(app, client, url) for url in urls]
    for n in range(30):
        extra = _shared(tenants, f"Book {n}", [user])
        _add(extra, f"First{n}", f"Last{n}", phone=f"514555{n:04d}")
        _add(book, f"F{n}", f"L{n}", phone=f"438555{n:04d}")
        _add(mine, f"M{n}", f"N{n}", phone=f"450555{n:04d}")
        factories.make_extension(tenants["a"], f"{200 + n}", name=f"Desk {n}")
    db.session.commit()
    assert [_count(app, client, url) for url in urls] == few
    auth.logout()
    auth.login("admin@alpha.example")
    assert _count(app, client, "/address-books/access") <= 12
