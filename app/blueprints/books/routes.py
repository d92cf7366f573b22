"""Tools → Address books (F8): All contacts, My contacts, the company book, the shared books.

A book or contact the person may not see answers 404 (another person's My contacts, a shared
book they are not on, another company's); one they see but may not change answers 403 (a
user editing a shared book's contact, F8 validation)."""
import io

from flask import abort, flash, g, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.blueprints.books import bp
from app.blueprints.books.forms import (AccessForm, ContactForm, ImportConfirmForm, ImportForm, InlineContactForm,
                                        NewBookForm, NewContactForm, RenameForm)
from app.blueprints.forms_common import ActionForm
from app.blueprints.guards import admin_required, company_member_required
from app.blueprints.htmx import render
from app.flask_extensions import db
from app.models.address_book import AddressBook, Contact
from app.services import address_books, company_book, contact_files

SEARCH_LENGTH = 100


def _search() -> str:
    return request.args.get("q", "")[:SEARCH_LENGTH]


def book_or_404(book_id: int) -> AddressBook:
    """A stored book the signed-in person may see; raises 404 otherwise."""
    book = address_books.visible_book(current_user, book_id)
    if book is None:
        abort(404)
    return book


def editable_book(book_id: int) -> AddressBook:
    """A book the person may change; 404 if they may not see it, 403 if only see it."""
    book = book_or_404(book_id)
    if not address_books.can_edit(current_user, book):
        abort(403)
    return book


def editable_contact(contact_id: int) -> Contact:
    """A contact the person may change; 404 if they may not see it, 403 if only see it."""
    contact = address_books.visible_contact(current_user, contact_id)
    if contact is None:
        abort(404)
    if not address_books.can_edit(current_user, contact.book):
        abort(403)
    return contact


def shared_book(book_id: int) -> AddressBook:
    """A shared book, for the admins' rename, access and delete; My contacts has none: 404."""
    book = book_or_404(book_id)
    if book.is_personal:
        abort(404)
    return book


@bp.before_request
def _my_contacts_exists():
    """The person's first visit creates their My contacts, committed at once so that its id
    stays the same (and before a page loads rows a commit would expire)."""
    if current_user.is_authenticated and current_user.company_id is not None:
        address_books.my_contacts(current_user)
        db.session.commit()


def _page(page: str, partial: str | None = None, status: int = 200, **context):
    """A page of the Address books tab, with the list of books beside it."""
    books = address_books.books_visible_to(current_user)
    response = render(page, partial or page, books=books, counts=address_books.contact_counts(books),
                      company=current_user.company, **context)
    return response, status


@bp.get("/")
@company_member_required
def index():
    """All contacts: every book the person may see, the company book included (F8.2)."""
    search = _search()
    return _page("books/all.html", "books/_rows.html", rows=address_books.search(current_user, search),
                 search=search, current="all")


@bp.get("/company")
@company_member_required
def company():
    search = _search()
    return _page("books/company.html", "books/_entries.html",
                 entries=company_book.entries(current_user.company_id, search), search=search, current="company")


@bp.get("/<int:book_id>")
@company_member_required
def book(book_id: int):
    book = book_or_404(book_id)
    return _book_page(book, InlineContactForm(formdata=None))


def _book_page(book: AddressBook, form, status: int = 200):
    search = _search()
    return _page("books/book.html", "books/_contacts.html", status, book=book, form=form, search=search,
                 contacts=address_books.contacts_of(book, search), current=book.id,
                 editable=address_books.can_edit(current_user, book))


@bp.post("/<int:book_id>/contacts")
@company_member_required
def add_here(book_id: int):
    """The row atop a book: the contact goes into this book only (F8.8)."""
    book = editable_book(book_id)
    form = InlineContactForm()
    if form.validate_on_submit():
        errors = address_books.add_contact(current_user, [book], form.fields_())[1]
        if not errors:
            db.session.commit()
            flash(_("Contact added successfully."), "success")
            return redirect(url_for("books.book", book_id=book.id))
        form.show(errors)
    return _book_page(book, form, status=422)


def _editable_books() -> list[AddressBook]:
    return [b for b in address_books.books_visible_to(current_user) if address_books.can_edit(current_user, b)]


@bp.route("/contacts/new", methods=["GET", "POST"])
@company_member_required
def new_contact():
    """"Add a contact" into one or several books at once (F8.8)."""
    books = _editable_books()
    form = NewContactForm(books=books)
    if not form.is_submitted():
        wanted = request.args.get("book", type=int)
        form.books.data = [b.id for b in books if b.id == wanted] or [books[0].id]
    if form.validate_on_submit():
        chosen = [b for b in books if b.id in set(form.books.data or [])]
        contacts, errors = address_books.add_contact(current_user, chosen, form.fields_())
        if not errors:
            db.session.commit()
            flash(_("Contact added successfully."), "success")
            target = contacts[0].book_id if len(contacts) == 1 else None
            return redirect(url_for("books.book", book_id=target) if target else url_for("books.index"))
        form.show(errors)
    return _page("books/new_contact.html", status=422 if form.is_submitted() else 200, form=form, current=None)


@bp.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@company_member_required
def edit_contact(contact_id: int):
    contact = editable_contact(contact_id)
    form = ContactForm(obj=contact)
    if form.validate_on_submit():
        errors = address_books.update_contact(contact, form.fields_())
        if not errors:
            db.session.commit()
            flash(_("Contact saved."), "success")
            return redirect(url_for("books.book", book_id=contact.book_id))
        db.session.rollback()
        form.show(errors)
    return _page("books/edit_contact.html", status=422 if form.is_submitted() else 200, form=form, contact=contact,
                 current=contact.book_id)


@bp.route("/contacts/<int:contact_id>/delete", methods=["GET", "POST"])
@company_member_required
def delete_contact(contact_id: int):
    contact = editable_contact(contact_id)
    form = ActionForm()
    if form.validate_on_submit():
        book_id, name = contact.book_id, contact.full_name
        address_books.delete_contact(contact)
        db.session.commit()
        if g.get("htmx"):
            return ""  # htmx swaps the row for nothing
        flash(_("%(name)s deleted.", name=name), "success")
        return redirect(url_for("books.book", book_id=book_id))
    return _page("books/delete_contact.html", form=form, contact=contact, current=contact.book_id)


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def new_book():
    """"Add an address book": a name and who sees it (F8.3)."""
    form = NewBookForm(people=address_books.company_people(current_user.company_id))
    if form.validate_on_submit():
        book, errors = address_books.create_book(current_user.company_id, form.name.data, form.chosen_ids())
        if not errors:
            db.session.commit()
            flash(_("Address book %(name)s created: add its contacts.", name=book.name), "success")
            return redirect(url_for("books.book", book_id=book.id))
        db.session.rollback()
        form.name.errors = [*form.name.errors, errors["name"]]
    return _page("books/new_book.html", status=422 if form.is_submitted() else 200, form=form, current=None)


@bp.route("/<int:book_id>/rename", methods=["GET", "POST"])
@admin_required
def rename(book_id: int):
    book = shared_book(book_id)
    form = RenameForm(obj=book)
    if form.validate_on_submit():
        errors = address_books.rename_book(book, form.name.data)
        if not errors:
            db.session.commit()
            flash(_("The address book is now called “%(name)s”.", name=book.name), "success")
            return redirect(url_for("books.book", book_id=book.id))
        db.session.rollback()
        form.name.errors = [*form.name.errors, errors["name"]]
    return _page("books/rename.html", status=422 if form.is_submitted() else 200, form=form, book=book,
                 current=book.id)


@bp.route("/<int:book_id>/access", methods=["GET", "POST"])
@admin_required
def manage_access(book_id: int):
    """"Manage access": who sees this shared book (F8.5)."""
    book = shared_book(book_id)
    form = AccessForm(people=address_books.company_people(current_user.company_id))
    if not form.is_submitted():
        form.members.data = sorted(address_books.member_ids(book))
    if form.validate_on_submit():
        address_books.set_access(book, form.chosen_ids())
        db.session.commit()
        flash(_("Access to %(name)s saved.", name=book.name), "success")
        return redirect(url_for("books.access"))
    return _page("books/manage_access.html", status=422 if form.is_submitted() else 200, form=form, book=book,
                 current=book.id)


@bp.get("/access")
@admin_required
def access():
    """The "Address book access" tab: who sees each shared book."""
    return _page("books/access.html", shared=address_books.shared_books(current_user.company_id),
                 members=address_books.members_by_book(current_user.company_id), current=None, tab="access")


@bp.route("/<int:book_id>/delete", methods=["GET", "POST"])
@admin_required
def delete_book(book_id: int):
    book = shared_book(book_id)
    form = ActionForm()
    if form.validate_on_submit():
        name = book.name
        count = address_books.delete_book(book)
        db.session.commit()
        flash(ngettext("Address book %(name)s deleted, with its %(num)d contact.",
                       "Address book %(name)s deleted, with its %(num)d contacts.", count, name=name), "success")
        return redirect(url_for("books.index"))
    return _page("books/delete_book.html", form=form, book=book, current=book.id,
                 count=address_books.contact_counts([book]).get(book.id, 0))


@bp.route("/<int:book_id>/import", methods=["GET", "POST"])
@company_member_required
def import_csv(book_id: int):
    """Import, step 1: the file is read and each bad row named; nothing is added yet."""
    book = editable_book(book_id)
    form = ImportForm()
    if form.validate_on_submit():
        with form.file.data.stream as upload:
            reading = contact_files.read_csv(upload.read(contact_files.MAX_BYTES + 1))
        if reading.error:
            form.file.errors = [*form.file.errors, reading.error]
        else:
            return _page("books/import_preview.html", book=book, reading=reading, current=book.id,
                         labels=contact_files.HEADERS,
                         form=ImportConfirmForm(csv_text=reading.text))
    return _page("books/import.html", status=422 if form.is_submitted() else 200, form=form, book=book,
                 current=book.id)


@bp.post("/<int:book_id>/import/confirm")
@company_member_required
def import_confirm(book_id: int):
    """Import, step 2: the previewed file, checked again; its good rows are added."""
    book = editable_book(book_id)
    form = ImportConfirmForm()
    reading = contact_files.read_csv_text(form.csv_text.data or "") if form.validate_on_submit() else None
    if reading is None or reading.error or not reading.good:
        flash(_("Nothing was imported: the file has no good row."), "error")
        return redirect(url_for("books.import_csv", book_id=book.id))
    contacts = address_books.import_contacts(book, reading.good)
    db.session.commit()
    message = ngettext("%(num)d contact imported.", "%(num)d contacts imported.", len(contacts))
    if reading.bad:
        message += " " + ngettext("%(num)d bad row left out.", "%(num)d bad rows left out.", len(reading.bad))
    flash(message, "success")
    return redirect(url_for("books.book", book_id=book.id))


def _download(data: bytes, book: AddressBook, extension: str, mimetype: str):
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True,
                         download_name=f"{book.title}.{extension}", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/<int:book_id>/export.csv")
@company_member_required
def export_csv(book_id: int):
    book = book_or_404(book_id)
    return _download(contact_files.to_csv(address_books.contacts_of(book)), book, "csv", "text/csv")


@bp.get("/<int:book_id>/export.vcf")
@company_member_required
def export_vcard(book_id: int):
    book = book_or_404(book_id)
    return _download(contact_files.to_vcard(address_books.contacts_of(book)), book, "vcf", "text/vcard")
