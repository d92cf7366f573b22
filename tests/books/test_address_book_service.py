"""The address-book rules as services: who sees which book, who edits it, the search."""
from app.flask_extensions import db
from app.models.address_book import AddressBook, Contact
from app.models.user import Role
from app.services import address_books
from app.services.address_books import ContactFields
from tests import factories


def test_every_person_gets_exactly_one_my_contacts(tenants):
    first = address_books.my_contacts(tenants["a_user"])
    again = address_books.my_contacts(tenants["a_user"])
    assert first.id == again.id and first.is_personal and first.owner_id == tenants["a_user"].id
    assert db.session.query(AddressBook).filter_by(owner_id=tenants["a_user"].id).count() == 1


def test_a_shared_book_is_seen_by_its_members_and_the_admins_only(tenants):
    a = tenants["a"]
    other = factories.make_user(a, Role.USER)
    book, errors = address_books.create_book(a.id, "Suppliers", [tenants["a_user"].id, tenants["b_user"].id])
    assert errors == {}
    assert address_books.member_ids(book) == {tenants["a_user"].id}  # another company's person is ignored
    assert address_books.visible_book(tenants["a_user"], book.id) == book
    assert address_books.visible_book(tenants["a_admin"], book.id) == book
    assert address_books.visible_book(other, book.id) is None
    assert address_books.visible_book(tenants["b_admin"], book.id) is None
    seen = address_books.books_visible_to(tenants["a_user"])
    assert seen[0].owner_id == tenants["a_user"].id and [b.name for b in seen[1:]] == ["Suppliers"]
    assert [b.owner_id for b in address_books.books_visible_to(other)] == [other.id]


def test_my_contacts_is_private_even_from_admins(tenants):
    mine = address_books.my_contacts(tenants["a_user"])
    assert address_books.visible_book(tenants["a_admin"], mine.id) is None
    assert address_books.can_edit(tenants["a_user"], mine)


def test_only_admins_edit_a_shared_book(tenants):
    book, _ = address_books.create_book(tenants["a"].id, "Suppliers", [tenants["a_user"].id])
    assert not address_books.can_edit(tenants["a_user"], book)
    assert address_books.can_edit(tenants["a_admin"], book)
    contacts, errors = address_books.add_contact(tenants["a_user"], [book], ContactFields("5145550100", "A", "B"))
    assert contacts == [] and "books" in errors


def test_adding_into_several_books_creates_one_contact_per_book(tenants):
    admin = tenants["a_admin"]
    shared, _ = address_books.create_book(tenants["a"].id, "Suppliers", [])
    mine = address_books.my_contacts(admin)
    contacts, errors = address_books.add_contact(admin, [mine, shared], ContactFields("5145550100", "Ann", "Lee"))
    assert errors == {} and {c.book_id for c in contacts} == {mine.id, shared.id}
    assert db.session.query(Contact).count() == 2


def test_search_treats_percent_and_underscore_as_characters(tenants):
    admin = tenants["a_admin"]
    mine = address_books.my_contacts(admin)
    address_books.add_contact(admin, [mine], ContactFields("5145550100", "Ann", "Lee"))
    address_books.add_contact(admin, [mine], ContactFields("5145550101", "100%", "Sure"))
    address_books.add_contact(admin, [mine], ContactFields("5145550102", "a_b", "Under"))
    assert [r.name for r in address_books.search(admin, "%")] == ["100% Sure"]
    assert [r.name for r in address_books.search(admin, "_")] == ["a_b Under"]
    assert len(address_books.search(admin, "")) == 3
