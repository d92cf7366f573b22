"""Tools › Voicemail boxes (F5, admins) and the web inbox (issue 11.6, a box's owner
and the admins)."""
import os

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.blueprints.forms_common import choices
from app.blueprints.guards import admin_required
from app.blueprints.tenancy import current_company_id
from app.blueprints.voicemail import bp, live
from app.blueprints.voicemail.forms import DeleteForm, EmptyForm, MailboxForm
from app.flask_extensions import db
from app.models.mailbox import MAX_MESSAGES, Mailbox
from app.services import extensions as extension_service
from app.services import mailboxes
from app.telephony import voicemail as vm


def _box_or_404(box_id: int) -> Mailbox:
    """A box of the current company; raises 404 for any other."""
    box = mailboxes.get(current_company_id(), box_id)
    if box is None:
        abort(404)
    return box


def _readable_box_or_404(box_id: int) -> Mailbox:
    """A box whose messages the signed-in person may open; raises 404 for any other."""
    box = _box_or_404(box_id)
    if not mailboxes.may_open(current_user, box):
        abort(404)
    return box


def _form(box: Mailbox | None) -> MailboxForm:
    company_id = current_company_id()
    form = MailboxForm(obj=box) if box is not None else MailboxForm()
    if box is not None and not form.is_submitted():
        form.operator.data = MailboxForm.key_choice(box.operator_kind, box.operator_target)
        form.star.data = MailboxForm.key_choice(box.star_kind, box.star_target)
    extensions = [(e.number, e.name) for e in extension_service.all_of_company(company_id)]
    boxes = [(b.number, b.name) for b in mailboxes.for_company(company_id) if box is None or b.id != box.id]
    form.set_destinations(extensions, boxes)
    return form


def _report(form: MailboxForm, problems: dict) -> None:
    for name, message in problems.items():
        getattr(form, name.split("_")[0] if name.startswith(("operator_", "star_")) else name).errors.append(message)


@bp.get("/")
@admin_required
def index():
    boxes = mailboxes.for_company(current_company_id())
    counts = live.counts(current_user.company.sip_domain, boxes)
    return render_template("voicemail/index.html", boxes=boxes, counts=counts, limit=MAX_MESSAGES)


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def new():
    form = _form(None)
    if form.validate_on_submit():
        values = form.values()
        problems = mailboxes.problems(current_company_id(), values, None)
        if not problems:
            box = mailboxes.create(current_user.company, values)
            db.session.commit()
            flash(_("Voicemail box %(number)s added.", number=box.number), "success")
            return redirect(url_for("voicemail.index"))
        _report(form, problems)
    return render_template("voicemail/edit.html", form=form, box=None, limit=MAX_MESSAGES), \
        422 if form.is_submitted() else 200


@bp.route("/<int:box_id>", methods=["GET", "POST"])
@admin_required
def edit(box_id: int):
    box = _box_or_404(box_id)
    form = _form(box)
    if form.validate_on_submit():
        values = form.values()
        problems = mailboxes.problems(current_company_id(), values, box)
        if not problems:
            mailboxes.update(box, values)
            db.session.commit()
            flash(_("Voicemail box %(number)s saved.", number=box.number), "success")
            return redirect(url_for("voicemail.index"))
        _report(form, problems)
    counts = live.counts(current_user.company.sip_domain, [box])
    return render_template("voicemail/edit.html", form=form, box=box, limit=MAX_MESSAGES,
                           count=counts.get(box.number) if counts is not None else None), \
        422 if form.is_submitted() else 200


def _box_page(box: Mailbox) -> str:
    """Where the box's settings are for the signed-in person: Tools › Voicemail boxes for
    an admin, the extension's settings (F11.8) for its owner."""
    if current_user.is_admin or box.extension is None:
        return url_for("voicemail.edit", box_id=box.id)
    return url_for("extensions.settings", extension_id=box.extension.id)


@bp.route("/<int:box_id>/empty", methods=["GET", "POST"])
@login_required
def empty(box_id: int):
    """F5.4 for the admins, F11.8 for the box's owner on the extension's settings."""
    box = _readable_box_or_404(box_id)
    form = EmptyForm()
    if form.validate_on_submit():
        mailboxes.empty(box, erase_greetings=bool(form.erase_greetings.data))
        db.session.commit()
        flash(_("Voicemail box %(number)s is being emptied.", number=box.number), "success")
        return redirect(_box_page(box))
    return render_template("voicemail/empty.html", form=form, box=box, back=_box_page(box))


@bp.route("/<int:box_id>/delete", methods=["GET", "POST"])
@admin_required
def delete(box_id: int):
    box = _box_or_404(box_id)
    references = mailboxes.references(box)
    form = DeleteForm()
    others = [b for b in mailboxes.for_company(current_company_id()) if b.id != box.id]
    form.replacement.choices = choices([("", _("Nothing: their key does nothing any more"))] + [
        (b.number, f"{b.number} — {b.name}") for b in others])
    if form.validate_on_submit():
        replacement = form.replacement.data or "" if references.any else ""
        problem = mailboxes.replacement_problem(box, replacement)
        if problem is None:
            number = box.number
            mailboxes.delete(box, replacement)
            db.session.commit()
            flash(_("Voicemail box %(number)s deleted.", number=number), "success")
            return redirect(url_for("voicemail.index"))
        form.replacement.errors.append(problem)
    return render_template("voicemail/delete.html", form=form, box=box, references=references), \
        422 if form.is_submitted() else 200


# The web inbox -----------------------------------------------------------------

@bp.get("/inbox")
@login_required
def inbox():
    if current_user.company_id is None:
        abort(404)
    boxes = mailboxes.for_company(current_user.company_id) if current_user.is_admin else mailboxes.of_user(current_user)
    return render_template("voicemail/inbox.html", boxes=boxes)


@bp.get("/<int:box_id>/messages")
@login_required
def messages(box_id: int):
    box = _readable_box_or_404(box_id)
    found = live.messages(current_user.company.sip_domain, box)
    return render_template("voicemail/messages.html", box=box, messages=found, limit=MAX_MESSAGES,
                           playable=bool(current_app.config.get("VOICEMAIL_STORAGE_DIR")))


def _message_or_404(box: Mailbox, uuid: str) -> vm.Message:
    """One of the box's messages, as mod_voicemail lists it now; raises 404 otherwise."""
    found = live.messages(current_user.company.sip_domain, box)
    message = vm.message_in(found or [], uuid)
    if message is None:
        abort(404)
    return message


@bp.get("/<int:box_id>/messages/<uuid>/audio")
@login_required
def audio(box_id: int, uuid: str):
    """The message's WAV from the shared storage folder; Range requests are answered
    (send_file(conditional=True)), so the browser's player can seek."""
    box = _readable_box_or_404(box_id)
    message = _message_or_404(box, uuid)
    store = current_app.config.get("VOICEMAIL_STORAGE_DIR") or ""
    path = os.path.join(vm.box_folder(store, current_user.company.sip_domain, box.number), message.file_name)
    if not store or not os.path.isfile(path):
        abort(404)
    download = request.args.get("download") == "1"
    name = f"{box.number}-{message.created:%Y%m%d-%H%M%S}.wav"
    response = send_file(path, mimetype="audio/wav", conditional=True, as_attachment=download, download_name=name,
                         max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/<int:box_id>/messages/<uuid>/heard")
@login_required
def heard(box_id: int, uuid: str):
    box = _readable_box_or_404(box_id)
    _message_or_404(box, uuid)
    mailboxes.mark_heard(box, uuid)
    db.session.commit()
    flash(_("Message marked as heard."), "success")
    return redirect(url_for("voicemail.messages", box_id=box.id))


@bp.post("/<int:box_id>/messages/<uuid>/delete")
@login_required
def delete_message(box_id: int, uuid: str):
    box = _readable_box_or_404(box_id)
    _message_or_404(box, uuid)
    mailboxes.delete_message(box, uuid)
    db.session.commit()
    flash(_("Message deleted."), "success")
    return redirect(url_for("voicemail.messages", box_id=box.id))
