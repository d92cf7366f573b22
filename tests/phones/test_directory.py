"""Contacts on phones (F9): add, reorder, favourites, remove, copy; who may do it."""
from app.flask_extensions import db
from app.models.phone import PhoneEntry
from app.services import address_books
from tests.phones.conftest import assign
from tests.phones.digest import fetch_as
from lxml import etree


def _list(phone):
    db.session.expire_all()  # what the requests committed
    rows = db.session.execute(db.select(PhoneEntry).where(PhoneEntry.phone_id == phone.id)
                              .order_by(PhoneEntry.position)).scalars()
    return [(e.position, e.number, e.favourite) for e in rows]


def _contact(user, first, last, phone, book=None):
    book = book or address_books.my_contacts(user)
    contacts, errors = address_books.add_contact(user, [book], address_books.ContactFields(phone, first, last))
    assert errors == {}
    db.session.commit()
    return contacts[0]


def _save(client, phone, order, favourites=(), enabled=True):
    db.session.expire_all()
    entries = {e.number: e.id for e in phone.entries}
    data = {f"position-{entries[n]}": str(i) for i, n in enumerate(order, start=1)}
    data["favourite"] = [str(entries[n]) for n in favourites]
    if enabled:
        data["directory_enabled"] = "y"
    return client.post(f"/phones/{phone.id}/directory", data=data)


def test_single_contacts_and_a_whole_book_are_added_once_each(office, client, auth):
    phone, e = office["polycom"], office["ext"]
    auth.login("admin@alpha.example")
    client.post(f"/phones/{phone.id}/directory/add", data={"extension": e["103"].id})
    client.post(f"/phones/{phone.id}/directory/add", data={"book": "company"})
    assert _list(phone) == [(1, "103", False), (2, "101", False), (3, "102", False)]  # then by name: Ann, Réception
    page = client.get(f"/phones/{phone.id}/directory").get_data(as_text=True)
    assert page.count('class="muted"') == 3  # greyed out in the centre column


def test_a_contact_of_my_contacts_or_of_a_shared_book_is_added(office, client, auth):
    phone = office["polycom"]
    admin = office["a_admin"]
    mine = _contact(admin, "Zoé", "Tremblay", "5145550199")
    shared, _ = address_books.create_book(office["a"].id, "Fournisseurs", [])
    _contact(admin, "Luc", "Gagnon", "4185550100", book=shared)
    _contact(admin, "Max", "Roy", "4185550101", book=shared)
    auth.login("admin@alpha.example")
    assert client.post(f"/phones/{phone.id}/directory/add", data={"contact": mine.id}).status_code == 302
    assert client.post(f"/phones/{phone.id}/directory/add", data={"book": shared.id}).status_code == 302
    assert [n for _, n, _ in _list(phone)] == ["5145550199", "4185550100", "4185550101"]
    page = client.get(f"/phones/{phone.id}/directory", query_string={"book": shared.id}).get_data(as_text=True)
    assert "Luc Gagnon" in page


def test_someone_elses_contacts_are_not_found(office, client, auth):
    private = _contact(office["a_admin"], "Secret", "Person", "5145550100")
    other = _contact(office["b_admin"], "Beta", "Person", "5145550101")
    assign(office["polycom"], office["ext"]["101"], [1])  # a_user's extension: a_user sees the phone
    auth.login("user@alpha.example")
    phone = office["polycom"]
    assert client.post(f"/phones/{phone.id}/directory/add", data={"contact": private.id}).status_code == 404
    assert client.post(f"/phones/{phone.id}/directory/add", data={"contact": other.id}).status_code == 404
    assert client.post(f"/phones/{phone.id}/directory/add", data={"book": private.book_id}).status_code == 404
    assert client.get(f"/phones/{phone.id}/directory", query_string={"book": private.book_id}).status_code == 404
    assert _list(phone) == []


def test_reordering_saves_unique_positions_and_the_phones_directory_follows(office, client, auth):
    phone, e = office["polycom"], office["ext"]
    auth.login("admin@alpha.example")
    client.post(f"/phones/{phone.id}/directory/add", data={"book": "company"})
    assert _save(client, phone, ["103", "102", "101"], favourites=["102"]).status_code == 302
    assert _list(phone) == [(1, "103", False), (2, "102", True), (3, "101", False)]
    directory = etree.fromstring(fetch_as(client, phone, "/provision/0004f2aabb01-directory.xml").data)
    assert [i.findtext("ct") for i in directory.findall("item_list/item")] == ["103", "102", "101"]


def test_duplicate_positions_are_refused_and_nothing_is_saved(office, client, auth):
    phone = office["polycom"]
    auth.login("admin@alpha.example")
    client.post(f"/phones/{phone.id}/directory/add", data={"book": "company"})
    db.session.expire_all()
    entries = {e.number: e.id for e in phone.entries}
    before = _list(phone)
    for positions in (("1", "1", "2"), ("1", "x", "2"), ("0", "1", "2")):
        data = {f"position-{entries[n]}": p for n, p in zip(("101", "102", "103"), positions)}
        data["favourite"] = [str(entries["103"])]
        response = client.post(f"/phones/{phone.id}/directory", data=data)
        assert response.status_code == 422
        assert "Each position must be a different number from 1." in response.get_data(as_text=True)
        assert _list(phone) == before


def test_a_favourite_on_an_outside_number_is_refused(office, client, auth):
    phone = office["yealink"]
    contact = _contact(office["a_admin"], "Luc", "Gagnon", "4185550100")
    auth.login("admin@alpha.example")
    client.post(f"/phones/{phone.id}/directory/add", data={"contact": contact.id})
    response = _save(client, phone, ["4185550100"], favourites=["4185550100"])
    assert response.status_code == 422
    assert "Luc Gagnon cannot be a favourite" in response.get_data(as_text=True)
    assert _list(phone) == [(1, "4185550100", False)]


def test_more_favourites_than_free_keys_warns(office, client, auth):
    phone = office["polycom"]  # 12 keys; 101 takes 11 of them
    assign(phone, office["ext"]["101"], list(range(1, 12)))
    auth.login("admin@alpha.example")
    client.post(f"/phones/{phone.id}/directory/add", data={"book": "company"})
    _save(client, phone, ["101", "102", "103"], favourites=["102", "103"])
    page = client.get(f"/phones/{phone.id}/directory").get_data(as_text=True)
    assert "1 favourite gets no key: the phone has 1 free keys." in page


def test_remove_one_then_all(office, client, auth):
    phone = office["polycom"]
    auth.login("admin@alpha.example")
    client.post(f"/phones/{phone.id}/directory/add", data={"book": "company"})
    db.session.expire_all()
    entries = {e.number: e.id for e in phone.entries}
    client.post(f"/phones/{phone.id}/directory", data={"remove": entries["102"]})
    assert [n for _, n, _ in _list(phone)] == ["101", "103"]
    client.post(f"/phones/{phone.id}/directory", data={"remove_all": "1"})
    assert _list(phone) == []


def test_copy_needs_targets_and_the_confirmation_then_replaces_their_lists(office, client, auth):
    source, target, spare = office["polycom"], office["yealink"], office["spare"]
    auth.login("admin@alpha.example")
    client.post(f"/phones/{source.id}/directory/add", data={"book": "company"})
    _save(client, source, ["103", "101", "102"], favourites=["101"])
    client.post(f"/phones/{target.id}/directory/add", data={"extension": office["ext"]["102"].id})
    response = client.post(f"/phones/{source.id}/directory/copy", data={"target": [target.id]})
    assert response.status_code == 422 and "Tick the box" in response.get_data(as_text=True)
    response = client.post(f"/phones/{source.id}/directory/copy", data={"confirm": "y"})
    assert response.status_code == 422 and "Choose at least one phone" in response.get_data(as_text=True)
    assert _list(target) == [(1, "102", False)]
    b_phone = office["b_phone"]
    assert client.post(f"/phones/{source.id}/directory/copy",
                       data={"target": [target.id, spare.id, b_phone.id], "confirm": "y"}).status_code == 302
    assert _list(target) == _list(spare) == _list(source) == [(1, "103", False), (2, "101", True), (3, "102", False)]
    assert _list(b_phone) == []


def test_a_user_arranges_only_the_phones_of_their_own_extensions(office, client, auth):
    assign(office["polycom"], office["ext"]["101"], [1])  # a_user's
    assign(office["yealink"], office["ext"]["102"], [1])
    auth.login("user@alpha.example")
    page = client.get("/phones/directory", follow_redirects=True).get_data(as_text=True)
    assert "Polycom 450 Extension 101" in page and "Yealink T46S Reception" not in page
    assert client.get(f"/phones/{office['yealink'].id}/directory").status_code == 404
    assert client.post(f"/phones/{office['yealink'].id}/directory/add", data={"book": "company"}).status_code == 404
    assert client.get(f"/phones/{office['b_phone'].id}/directory").status_code == 404
    assert client.post(f"/phones/{office['polycom'].id}/directory/add", data={"book": "company"}).status_code == 302
