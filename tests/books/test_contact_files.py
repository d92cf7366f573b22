"""CSV import (preview naming each bad row, encodings) and CSV / vCard export (F8)."""
import csv
import io

import pytest
import vobject

from app.flask_extensions import db
from app.models.address_book import Contact
from app.services import address_books, contact_files
from tests.books.test_books_pages import NASTY, _add, _mine, _shared
from tests.portal.test_pages import markup_problems


def _upload(client, book, data: bytes, name="contacts.csv"):
    response = client.post(f"/address-books/{book.id}/import", data={"file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")
    return response


GOOD_AND_BAD = (
    "First name,Last name,Phone,Email\r\n"
    "Ann,Lee,5145550100,ann@example.com\r\n"
    "Bob,Roy,514 555-0101,\r\n"
    ",Nobody,5145550102,\r\n"
    "Élise,Côté,5145550103,not-an-address\r\n"
    "Zoé,Gagnon,5145550104,\r\n"
)


def test_the_preview_names_each_bad_row_and_adds_nothing(client, auth, tenants):
    book = _mine(tenants["a_user"])
    auth.login("user@alpha.example")
    response = _upload(client, book, GOOD_AND_BAD.encode("utf-8"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Read as UTF-8." in html and "2 good rows." in html and "3 bad rows, left out:" in html
    rows = html.split('<table class="table stack bad-rows">', 1)[1].split("</table>")[0]
    assert ">3</td>" in rows and "Phone: Digits only: remove the spaces. Digits only: remove the dashes." in rows
    assert ">4</td>" in rows and "First name: Enter a first name." in rows
    assert ">5</td>" in rows and "Email address: Enter a valid email address." in rows
    assert "Zoé" not in rows
    assert markup_problems(html) == []
    assert db.session.query(Contact).count() == 0


def test_confirming_the_preview_imports_the_good_rows(client, auth, tenants):
    book = _mine(tenants["a_user"])
    auth.login("user@alpha.example")
    response = client.post(f"/address-books/{book.id}/import/confirm", data={"csv_text": GOOD_AND_BAD})
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 contacts imported. 3 bad rows left out." in html
    assert sorted((c.first_name, c.last_name, c.phone, c.email) for c in db.session.query(Contact)) == [
        ("Ann", "Lee", "5145550100", "ann@example.com"), ("Zoé", "Gagnon", "5145550104", "")]
    assert {c.book_id for c in db.session.query(Contact)} == {book.id}


@pytest.mark.parametrize("encoding, label, data", [
    ("utf-8-sig", "UTF-8", "Prénom;Nom;Téléphone;Courriel\nÉlise;Côté;5145550103;\n".encode("utf-8-sig")),
    ("utf-8", "UTF-8", "Prénom;Nom;Téléphone\nÉlise;Côté;5145550103\n".encode("utf-8")),
    ("cp1252", "Windows-1252", "Prénom;Nom;Téléphone\r\nÉlise;Côté;5145550103\r\n".encode("cp1252")),
    ("latin-1", "Windows-1252", "first_name\tlast_name\tphone\nÉlise\tCôté\t5145550103\n".encode("latin-1")),
    ("utf-16", "UTF-16", "First name\tLast name\tPhone\r\nÉlise\tCôté\t5145550103\r\n".encode("utf-16")),
])
def test_each_encoding_and_separator_excel_writes_is_read(encoding, label, data):
    reading = contact_files.read_csv(data)
    assert reading.error is None and reading.encoding == label
    assert [(c.first_name, c.last_name, c.phone) for c in reading.good] == [("Élise", "Côté", "5145550103")]


@pytest.mark.parametrize("data, message", [
    (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "not text in UTF-8 or Windows-1252"),
    ("First name,Last name,Phone\nÉlise,Côté,514\n".encode("utf-8")[:-8] + b"\x81\x8d\n", "not text in UTF-8"),
    (b"", "The file is empty."),
    (b"Name,Telefon\nAnn,5145550100\n", "Missing: First name, Last name, Phone."),
    (b"Nom,Pr\xe9nom,Courriel\nLee,Ann,a@b.c\n", "Missing: Phone."),  # Windows-1252 titles understood
    (b"First name,Last name,Phone\n", "The file has a title line but no contact."),
    (b"First name,Last name,Phone\n\"Ann,Lee,5145550100\n", "Line 2 is not valid CSV: check its quotation marks."),
])
def test_a_file_that_cannot_be_read_says_why(client, auth, tenants, data, message):
    book = _mine(tenants["a_user"])
    auth.login("user@alpha.example")
    response = _upload(client, book, data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.query(Contact).count() == 0


def test_a_file_over_1_mb_is_refused_before_it_is_read():
    # Through the service: the test client spools so large an upload to a file it never closes.
    reading = contact_files.read_csv(b"First name,Last name,Phone\n" + b"x" * contact_files.MAX_BYTES)
    assert "larger than 1 MB" in str(reading.error) and reading.good == reading.bad == []


def test_a_file_near_the_size_limit_goes_through_the_confirmation(client, auth, tenants):
    book = _mine(tenants["a_user"])
    email = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 56 + ".ca"
    lines = ["First name,Last name,Phone,Email"] + [f"{'É' * 45}{n:05d},{'L' * 50},{5140000000 + n},{email}"
                                                    for n in range(2700)]
    data = "\r\n".join(lines).encode("cp1252")
    assert 0.9 * contact_files.MAX_BYTES < len(data) <= contact_files.MAX_BYTES
    assert len(contact_files.read_csv(data).good) == 2700  # (the test client leaks a file for so large an upload)
    auth.login("user@alpha.example")
    # The decoded file comes back as a form field, larger once in UTF-8 (É is 2 bytes) and
    # URL-encoded: Werkzeug 3.1.9 stopped applying MAX_FORM_MEMORY_SIZE (500 kB) to such a body.
    response = client.post(f"/address-books/{book.id}/import/confirm", data={"csv_text": data.decode("cp1252")})
    assert response.status_code == 302
    assert db.session.query(Contact).count() == 2700


def test_a_confirmation_without_good_rows_adds_nothing(client, auth, tenants):
    book = _mine(tenants["a_user"])
    auth.login("user@alpha.example")
    response = client.post(f"/address-books/{book.id}/import/confirm",
                           data={"csv_text": "First name,Last name,Phone\nAnn,Lee,514 555\n"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/{book.id}/import")
    assert db.session.query(Contact).count() == 0


def test_a_user_may_not_import_into_a_shared_book(client, auth, tenants):
    book = _shared(tenants, members=[tenants["a_user"]])
    auth.login("user@alpha.example")
    assert _upload(client, book, GOOD_AND_BAD.encode()).status_code == 403
    assert client.post(f"/address-books/{book.id}/import/confirm", data={"csv_text": GOOD_AND_BAD}).status_code == 403
    assert db.session.query(Contact).count() == 0


def test_the_csv_export_reads_back_through_the_import(client, auth, tenants):
    book = _shared(tenants, "Suppliers", [tenants["a_user"]])
    _add(book, NASTY, "Lee, jr; \"q\"", email="ann@example.com")
    _add(book, "=HYPERLINK(\"http://evil\")", "-2+3", phone="5145550199")
    auth.login("user@alpha.example")
    response = client.get(f"/address-books/{book.id}/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename=Suppliers.csv' in response.headers["Content-Disposition"]
    assert response.data.startswith("\ufeff".encode())
    cells = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert cells[0] == ["First name", "Last name", "Phone", "Email address"]
    assert ["'=HYPERLINK(\"http://evil\")", "'-2+3", "5145550199", ""] in cells  # no formula runs
    reading = contact_files.read_csv(response.data)
    assert reading.error is None and reading.bad == []
    assert sorted((c.first_name, c.last_name, c.email) for c in reading.good) == sorted([
        (NASTY, "Lee, jr; \"q\"", "ann@example.com"), ("=HYPERLINK(\"http://evil\")", "-2+3", "")])


def test_the_vcard_export_escapes_every_field(client, auth, tenants):
    book = _mine(tenants["a_user"])
    _add(book, NASTY, "Lee, jr; \\x", email="ann@example.com")
    _add(book, "Bob", "Roy", phone="5145550199")
    auth.login("user@alpha.example")
    response = client.get(f"/address-books/{book.id}/export.vcf")
    assert response.status_code == 200 and response.mimetype == "text/vcard"
    text = response.data.decode("utf-8")
    assert "\r\n" in text and "N:Lee\\, jr\\; \\\\x;<b>&\"';;;" in text
    cards = list(vobject.readComponents(text))
    assert [(c.n.value.given, c.n.value.family, c.tel.value) for c in cards] == [
        (NASTY, "Lee, jr; \\x", "5145550100"), ("Bob", "Roy", "5145550199")]
    assert cards[0].fn.value == f"{NASTY} Lee, jr; \\x" and cards[0].email.value == "ann@example.com"
    assert not hasattr(cards[1], "email")


def test_the_import_form_is_on_the_page_for_whoever_may_change_the_book(client, auth, tenants):
    book = _mine(tenants["a_user"])
    auth.login("user@alpha.example")
    html = client.get(f"/address-books/{book.id}/import").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html and 'type="file"' in html
    html = client.get(f"/address-books/{book.id}").get_data(as_text=True)
    assert f"/address-books/{book.id}/import" in html and f"/address-books/{book.id}/export.vcf" in html


def test_import_into_a_book_checks_rows_with_the_same_rule_as_the_form():
    reading = contact_files.read_csv_text("Prénom,Nom,Téléphone\nAnn,Lee,+15145550100\n")
    assert reading.bad[0].problems == {"phone": address_books.phone_problem("+15145550100")}
