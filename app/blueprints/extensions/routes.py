from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app.blueprints.extensions import bp
from app.blueprints.extensions.access import extension_or_404
from app.blueprints.extensions.forms import (ADMIN_FIELDS, AdminSettingsForm, NewExtensionForm, SoftphoneForm,
                                             UserSettingsForm, current_values)
from app.blueprints.forms_common import ActionForm
from app.blueprints.guards import admin_required, company_member_required
from app.extensions import db
from app.models.extension import Extension, MusicOnHold
from app.models.user import Role, User
from app.services import extensions as rules
from app.services import billing, people
from app.services.tenancy import scoped
from app.telephony import notify


def company_users() -> list[User]:
    return db.session.execute(scoped(User).where(User.active.is_(True))
                              .order_by(User.last_name, User.first_name)).scalars().all()


def moh_choices() -> list[tuple[str, str]]:
    return [(str(m.id), m.name) for m in db.session.execute(select(MusicOnHold).order_by(MusicOnHold.name)).scalars()]


@bp.get("/")
@company_member_required
def index():
    if current_user.is_admin:
        return redirect(url_for("extensions.grid"))
    mine = db.session.execute(scoped(Extension).where(Extension.user_id == current_user.id)
                              .order_by(Extension.number)).scalars().all()
    return render_template("extensions/mine.html", extensions=mine)


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def new():
    company = current_user.company
    form = NewExtensionForm(company_id=company.id, users=company_users(), language=company.language)
    if form.validate_on_submit():
        owner, invited = None, None
        if form.owner_mode.data == "new":
            owner = invited = people.create_person(company, form.email.data, form.first_name.data,
                                                   form.last_name.data, Role.USER, form.language.data)
        elif form.owner_mode.data == "existing":
            owner = db.session.get(User, int(form.existing_user.data))
        name = (form.name.data or "").strip() or (owner.full_name if owner else "")
        extension = rules.create_extension(company, form.number.data, owner, name,
                                           form.voicemail.data, form.listed.data)
        db.session.commit()
        if invited is not None:
            people.send_welcome(invited)
        flash(_("Extension %(number)s created. Review its settings, then save.", number=extension.number), "success")
        return redirect(url_for("extensions.settings", extension_id=extension.id))
    return render_template("extensions/new.html", form=form, suggestions=rules.suggest_numbers(company.id))


def _settings_form(extension: Extension, **kwargs):
    common = dict(choices_=rules.CompanyChoices.load(extension.company_id), moh_choices=moh_choices(),
                  extension=extension, **kwargs)
    if current_user.is_admin:
        return AdminSettingsForm(users=company_users(), **common)
    return UserSettingsForm(**common)


@bp.route("/<int:extension_id>", methods=["GET", "POST"])
@company_member_required
def settings(extension_id: int):
    extension = extension_or_404(extension_id)
    if request.method == "POST" and not current_user.is_admin and any(f in request.form for f in ADMIN_FIELDS):
        abort(403)  # F11: a user posting admin-only fields
    form = _settings_form(extension, formdata=request.form if request.method == "POST" else None,
                          data=None if request.method == "POST" else _initial(extension))
    if form.validate_on_submit() and _fee_accepted(form, extension) and _same_version(form, extension):
        usernames = rules.directory_usernames(extension)
        had_uc_desktop = extension.uc_desktop
        rules.apply_settings(extension, form.data, admin=current_user.is_admin)
        billing.record_uc_desktop_turned_on(had_uc_desktop, extension, current_user.id)
        try:
            db.session.commit()
        except StaleDataError:
            db.session.rollback()
            form.form_errors.append(_concurrent_edit_message())
        else:
            notify.directory_changed(extension.company.sip_domain, usernames)
            flash(_("Extension %(number)s saved.", number=extension.number), "success")
            for warning in form.warnings:
                flash(warning, "warning")
            if extension.forward_enabled and extension.findme_enabled:
                flash(_("Find-me/follow-me is inactive while call forwarding is on."), "warning")
            return redirect(url_for("extensions.settings", extension_id=extension.id))
    status = 422 if request.method == "POST" else 200
    return render_template("extensions/settings.html", extension=extension, form=form,
                           softphone_form=SoftphoneForm()), status


def _initial(extension: Extension) -> dict:
    values = current_values(extension)
    return {key: (True if values[key] == "y" else values[key]) for key in values}


def _fee_accepted(form, extension: Extension) -> bool:
    """Turning UC Desktop on from this page needs the fee accepted (F11.19)."""
    if current_user.is_admin and form.uc_desktop.data and not extension.uc_desktop and not form.accept_fee.data:
        form.accept_fee.errors = list(form.accept_fee.errors) + [_("Accept the fee to turn on UC Desktop.")]
        return False
    return True


def _concurrent_edit_message() -> str:
    return _("Someone else saved this extension after you opened it. Reload the page to see their "
             "changes, then make yours again.")


def _same_version(form, extension: Extension) -> bool:
    if str(form.version.data) != str(extension.version):
        form.form_errors.append(_concurrent_edit_message())
        return False
    return True


@bp.post("/<int:extension_id>/delete")
@admin_required
def delete(extension_id: int):
    extension = extension_or_404(extension_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    domain = extension.company.sip_domain
    deletion = rules.delete_extension(extension)
    db.session.commit()
    notify.directory_changed(domain, deletion.usernames)
    flash(_("Extension %(number)s deleted.", number=deletion.number), "success")
    if deletion.forwarding_disabled:
        flash(_("Call forwarding to %(number)s was turned off on: %(list)s.", number=deletion.number,
                list=", ".join(deletion.forwarding_disabled)), "warning")
    return redirect(url_for("extensions.grid"))

