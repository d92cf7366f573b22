"""The phone inventory (F14): list, search, add, rename, delete; and "Reboot phone"."""
from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.blueprints.forms_common import ActionForm
from app.blueprints.guards import admin_required, company_member_required
from app.blueprints.htmx import render
from app.blueprints.phones import bp
from app.blueprints.phones.access import phone_or_404, visible_phone_or_404
from app.blueprints.phones.forms import DeletePhoneForm, EditPhoneForm, NewPhoneForm
from app.flask_extensions import db
from app.provisioning import catalog
from app.services import links, phones


def _index(form: NewPhoneForm, status: int = 200):
    search = request.args.get("q", "")[:100]
    rows = phones.inventory(current_user.company_id, search)
    return render("phones/index.html", "phones/_rows.html", rows=rows, search=search, form=form,
                  models=catalog.MODELS), status


@bp.get("/")
@admin_required
def index():
    return _index(NewPhoneForm())


@bp.post("/")
@admin_required
def add():
    form = NewPhoneForm()
    if not form.validate_on_submit():
        return _index(form, 422)
    phone = phones.add_phone(current_user.company, form.mac.data, form.name.data, form.model.data)
    db.session.commit()
    flash(_("Phone %(mac)s added.", mac=phone.display_mac), "success")
    return redirect(url_for("phones.index"))


def _show(phone, form: EditPhoneForm, status: int = 200):
    return render("phones/show.html", "phones/show.html", phone=phone, form=form, delete_form=DeletePhoneForm(),
                  rows=phones.inventory(phone.company_id, phone.mac)[:1], model=catalog.get(phone.model),
                  provision_url=links.external_url("provision.file", filename=f"{phone.mac}.cfg")), status


@bp.route("/<int:phone_id>", methods=["GET", "POST"])
@admin_required
def show(phone_id: int):
    phone = phone_or_404(phone_id)
    form = EditPhoneForm(obj=phone)
    if not form.validate_on_submit():
        return _show(phone, form, 422 if form.is_submitted() else 200)
    problem = phones.change_phone(phone, form.name.data, form.model.data, form.time_zone.data)
    if problem:
        form.model.errors.append(problem)
        return _show(phone, form, 422)
    db.session.commit()
    flash(_("Phone %(mac)s saved. Reboot it to apply.", mac=phone.display_mac), "success")
    return redirect(url_for("phones.show", phone_id=phone.id))


@bp.post("/<int:phone_id>/delete")
@admin_required
def delete(phone_id: int):
    phone = phone_or_404(phone_id)
    form = DeletePhoneForm()
    if not form.validate_on_submit():
        abort(400)
    mac = phone.display_mac
    if not phones.delete_phone(phone, unassign=form.unassign.data):
        form.unassign.errors = [_("This phone carries extensions: tick the box to take it off them first.")]
        return render("phones/show.html", "phones/show.html", phone=phone, form=EditPhoneForm(obj=phone),
                      delete_form=form, rows=phones.inventory(phone.company_id, phone.mac)[:1],
                      model=catalog.get(phone.model),
                      provision_url=links.external_url("provision.file", filename=f"{phone.mac}.cfg")), 422
    db.session.commit()
    flash(_("Phone %(mac)s deleted.", mac=mac), "success")
    return redirect(url_for("phones.index"))


@bp.post("/<int:phone_id>/reboot")
@company_member_required
def reboot(phone_id: int):
    phone = visible_phone_or_404(phone_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    phones.request_reboot(phone)
    db.session.commit()
    flash(_("Reboot requested: the phone restarts once its calls have ended, which can take up to 5 minutes."),
          "success")
    if request.form.get("back") == "directory":
        return redirect(url_for("phones.directory", phone_id=phone.id))
    return redirect(url_for("phones.show", phone_id=phone.id))
