from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.blueprints.extensions import bp
from app.blueprints.extensions.access import extension_or_404
from app.blueprints.extensions.forms import (ADMIN_FIELDS, AdminSettingsForm, NewExtensionForm, SoftphoneForm,
                                             UserSettingsForm, current_values)
from app.blueprints.extensions.saving import commit_or_stale
from app.blueprints.forms_common import ActionForm
from app.blueprints.guards import admin_required, company_member_required
from app.blueprints.voicemail import live as voicemail_live
from app.flask_extensions import db
from app.models.extension import Extension
from app.models.mailbox import MAX_MESSAGES
from app.services import company_users, extension_settings, extensions, music_on_hold, phones
from app.services.calls import summary
from app.services.calls.handling import decide


@bp.get("/")
@company_member_required
def index():
    if current_user.is_admin:
        return redirect(url_for("extensions.grid"))
    return render_template("extensions/mine.html",
                           extensions=extensions.of_user(current_user.company_id, current_user.id))


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def new():
    company = current_user.company
    form = NewExtensionForm(company_id=company.id, users=company_users.active_users(company.id),
                            language=company.language)
    if form.validate_on_submit():
        extension = extensions.add(company, form.number.data, owner_mode=form.owner_mode.data,
                                   existing_user_id=form.existing_user.data,
                                   person=(form.email.data, form.first_name.data, form.last_name.data,
                                           form.language.data),
                                   name=form.name.data or "", voicemail=form.voicemail.data,
                                   listed=form.listed.data)
        db.session.commit()
        flash(_("Extension %(number)s created. Review its settings, then save.", number=extension.number), "success")
        return redirect(url_for("extensions.settings", extension_id=extension.id))
    status = 422 if form.is_submitted() else 200
    return render_template("extensions/new.html", form=form, suggestions=extensions.suggest_numbers(company.id)), status


def settings_form(extension: Extension, **kwargs):
    common = dict(choices_=extension_settings.CompanyChoices.load(extension.company_id),
                  moh_choices=music_on_hold.choices(), extension=extension, **kwargs)
    if current_user.is_admin:
        return AdminSettingsForm(users=company_users.active_users(extension.company_id), **common)
    return UserSettingsForm(**common)


@bp.route("/<int:extension_id>", methods=["GET", "POST"])
@company_member_required
def settings(extension_id: int):
    extension = extension_or_404(extension_id)
    if request.method == "POST" and not current_user.is_admin and any(f in request.form for f in ADMIN_FIELDS):
        abort(403)  # F11: a user posting admin-only fields
    form = settings_form(extension, formdata=request.form if request.method == "POST" else None,
                         data=None if request.method == "POST" else _initial(extension))
    if form.validate_on_submit():
        saved = extension_settings.save(extension, form.data, admin=current_user.is_admin, by_user_id=current_user.id)
        if saved.ok and commit_or_stale():
            # What will not act as expected is on the page itself (call_notices): not flashed too.
            flash(_("Extension %(number)s saved.", number=extension.number), "success")
            return redirect(url_for("extensions.settings", extension_id=extension.id))
        db.session.rollback()
        _show_problems(form, saved.problems or {"version": extension_settings.CONCURRENT_EDIT})
    return settings_page(extension, form, status=422 if request.method == "POST" else 200)


def settings_page(extension: Extension, form=None, softphone_form=None, status: int = 200):
    """The settings page, its forms as given (with their errors) or as saved. A refused
    softphone (sip.py) shows it too, so the error is next to the field, not in a flash."""
    if form is None:
        form = settings_form(extension, formdata=None, data=_initial(extension))
    handling = decide(extension)
    box = extension.mailbox
    counts = voicemail_live.counts(extension.company.sip_domain, [box]) if box is not None else None
    return render_template("extensions/settings.html", extension=extension, form=form,
                           softphone_form=softphone_form or SoftphoneForm(), call_summary=summary.describe(handling),
                           call_notices=summary.notices(handling), desk_phones=phones.phones_of(extension),
                           box=box, limit=MAX_MESSAGES, count=counts.get(box.number) if counts else None), status


def _show_problems(form, problems: dict) -> None:
    for name, message in problems.items():
        if name in form and name != "version":
            form[name].errors = list(form[name].errors) + [message]
        else:
            form.form_errors.append(message)


def _initial(extension: Extension) -> dict:
    values = current_values(extension)
    return {key: (True if values[key] == "y" else values[key]) for key in values}


@bp.post("/<int:extension_id>/delete")
@admin_required
def delete(extension_id: int):
    extension = extension_or_404(extension_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    deletion = extensions.delete_extension(extension)
    db.session.commit()
    flash(_("Extension %(number)s deleted.", number=deletion.number), "success")
    if deletion.forwarding_disabled:
        flash(ngettext("Call forwarding to %(number)s was turned off on extension %(list)s.",
                       "Call forwarding to %(number)s was turned off on extensions %(list)s.",
                       len(deletion.forwarding_disabled), number=deletion.number,
                       list=", ".join(deletion.forwarding_disabled)), "warning")
    return redirect(url_for("extensions.grid"))
