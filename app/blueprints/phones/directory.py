"""A phone's directory (F9): what it lists, in which order, which entries are favourites;
copying it to other phones."""
import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.blueprints.forms_common import ActionForm
from app.blueprints.guards import company_member_required
from app.blueprints.phones import bp
from app.blueprints.phones.access import visible_phone_or_404
from app.flask_extensions import db
from app.services import address_books, company_book, phones

_POSITION = re.compile(r"^position-([0-9]{1,9})$")


def _chosen_book():
    """The stored book of ?book=<id> the person may see, or None for the company book."""
    book_id = request.args.get("book", "")
    if not book_id:
        return None
    book = address_books.visible_book(current_user, int(book_id)) if book_id.isascii() and book_id.isdigit() else None
    if book is None:
        abort(404)
    return book


def _page(phone, problems=(), status: int = 200, positions=None):
    visible = phones.visible_phones(current_user)
    chosen = _chosen_book()
    if chosen is None:
        entries = [("extension", e.extension_id, e.name, e.number)
                   for e in company_book.entries_with_ids(current_user.company_id)]
    else:
        entries = [("contact", c.id, c.full_name, c.phone) for c in address_books.contacts_of(chosen)]
    listed = {("extension", e.extension_id) if e.extension_id else ("contact", e.contact_id) for e in phone.entries}
    return render_template(
        "phones/directory.html", phone=phone, phones=visible, problems=problems,
        books=address_books.books_visible_to(current_user), chosen=chosen, entries=entries, listed=listed,
        overflow=phones.favourite_overflow(phone), free_keys=phones.free_keys(phone),
        positions=positions or {}, others=[p for p in visible if p.id != phone.id],
    ), status


@bp.get("/directory")
@company_member_required
def directories():
    visible = phones.visible_phones(current_user)
    if not visible:
        return render_template("phones/no_phone.html")
    return redirect(url_for("phones.directory", phone_id=visible[0].id))


@bp.route("/<int:phone_id>/directory", methods=["GET", "POST"])
@company_member_required
def directory(phone_id: int):
    phone = visible_phone_or_404(phone_id)
    if request.method == "GET":
        return _page(phone)
    return _save(phone)


def _checked() -> None:
    if not ActionForm().validate_on_submit():
        abort(400)


@bp.post("/<int:phone_id>/directory/add")
@company_member_required
def add_entries(phone_id: int):
    phone = visible_phone_or_404(phone_id)
    _checked()
    book = request.form.get("book", "")
    if book == "company":
        added = phones.add_company_book(phone)
    elif book:
        chosen = address_books.visible_book(current_user, int(book)) if book.isascii() and book.isdigit() else None
        if chosen is None:
            abort(404)
        added = phones.add_contacts(phone, address_books.contacts_of(chosen))
    else:
        ids = [int(v) for v in request.form.getlist("extension") if v.isascii() and v.isdigit()]
        contacts = []
        for value in request.form.getlist("contact"):
            contact = address_books.visible_contact(current_user, int(value)) if value.isascii() and value.isdigit() \
                else None
            if contact is None:
                abort(404)
            contacts.append(contact)
        added = phones.add_extension_entries(phone, ids) + phones.add_contacts(phone, contacts)
    db.session.commit()
    flash(ngettext("%(num)d contact added to the phone's list. Reboot the phone to apply.",
                   "%(num)d contacts added to the phone's list. Reboot the phone to apply.", added)
          if added else _("Already on the phone's list."), "success" if added else "info")
    return redirect(url_for("phones.directory", phone_id=phone.id, book=request.args.get("book") or None))


def _save(phone):
    """Save the order, the favourites and the switch; or remove one or all (F9.4-F9.7)."""
    _checked()
    if request.form.get("remove_all"):
        phones.remove_all_entries(phone)
        db.session.commit()
        flash(_("The phone's list is empty. Reboot the phone to apply."), "success")
        return redirect(url_for("phones.directory", phone_id=phone.id))
    remove = request.form.get("remove", "")
    if remove:
        if not (remove.isascii() and remove.isdigit()) or not phones.remove_entry(phone, int(remove)):
            abort(404)
        db.session.commit()
        flash(_("Removed from the phone's list. Reboot the phone to apply."), "success")
        return redirect(url_for("phones.directory", phone_id=phone.id))
    positions, bad = {}, False
    for name, value in request.form.items():
        match = _POSITION.match(name)
        if match:
            value = value.strip()
            if value.isascii() and value.isdigit() and len(value) <= 6:
                positions[int(match[1])] = int(value)
            else:
                bad = True
    favourites = {int(v) for v in request.form.getlist("favourite") if v.isascii() and v.isdigit()}
    problems = [_("Each position must be a different number from 1.")] if bad else \
        phones.directory_problems(phone, positions, favourites)
    if problems:
        return _page(phone, problems, 422, positions=dict(request.form))
    phones.save_directory(phone, positions, favourites, bool(request.form.get("directory_enabled")))
    db.session.commit()
    flash(_("The phone's list is saved. Reboot the phone to apply."), "success")
    return redirect(url_for("phones.directory", phone_id=phone.id))


@bp.post("/<int:phone_id>/directory/copy")
@company_member_required
def copy_directory(phone_id: int):
    phone = visible_phone_or_404(phone_id)
    _checked()
    chosen = {int(v) for v in request.form.getlist("target") if v.isascii() and v.isdigit()}
    targets = [p for p in phones.visible_phones(current_user) if p.id in chosen and p.id != phone.id]
    problems = []
    if not targets:
        problems.append(_("Choose at least one phone to copy to."))
    if not request.form.get("confirm"):
        problems.append(_("Tick the box to confirm that the chosen phones' lists are replaced."))
    if problems:
        return _page(phone, problems, 422)
    phones.copy_directory(phone, targets)
    db.session.commit()
    flash(_("List copied to %(phones)s. Reboot each of them to apply.",
            phones=", ".join(t.name for t in targets)), "success")
    return redirect(url_for("phones.directory", phone_id=phone.id))
