"""From an extension: "Add a desk phone" (pick one, then its keys) and the cross that
takes it off (F16)."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.blueprints.extensions.access import extension_or_404
from app.blueprints.forms_common import ActionForm, choices
from app.blueprints.guards import admin_required
from app.blueprints.phones import bp
from app.blueprints.phones.access import phone_or_404
from app.blueprints.phones.forms import AssignForm, ChoosePhoneForm
from app.flask_extensions import db
from app.provisioning import catalog
from app.services import phones


@bp.route("/extension/<int:extension_id>/add", methods=["GET", "POST"])
@admin_required
def choose(extension_id: int):
    extension = extension_or_404(extension_id)
    form = ChoosePhoneForm()
    candidates = phones.assignable(extension)
    form.phone.choices = choices([("", "—")] + [(str(p.id), f"{p.display_mac} ({p.name})") for p in candidates])
    if form.validate_on_submit():
        return redirect(url_for("phones.assign", extension_id=extension.id, phone_id=int(form.phone.data)))
    return render_template("phones/choose.html", extension=extension, form=form,
                           candidates=candidates), 422 if form.is_submitted() else 200


@bp.route("/extension/<int:extension_id>/add/<int:phone_id>", methods=["GET", "POST"])
@admin_required
def assign(extension_id: int, phone_id: int):
    extension = extension_or_404(extension_id)
    phone = phone_or_404(phone_id)
    form = AssignForm(obj=phone)
    taken = {k.key: k.extension.number for k in phone.line_keys}
    info = catalog.get(form.model.data) or catalog.get(phone.model)
    form.keys.choices = choices((n, str(n)) for n in range(1, max(m.line_keys for m in catalog.MODELS.values()) + 1))
    if not form.is_submitted():
        form.keys.data = [] if phones.keys_of(phone, extension) else [min(set(range(1, 99)) - set(taken))]
    status = 200
    if form.validate_on_submit():
        problems = phones.assignment_problems(phone, extension, form.keys.data or [], form.model.data)
        if not problems:
            phones.assign(phone, extension, form.keys.data, form.name.data, form.model.data, form.time_zone.data)
            db.session.commit()
            flash(_("Phone %(mac)s now carries extension %(number)s. Reboot it to apply.",
                    mac=phone.display_mac, number=extension.number), "success")
            return redirect(url_for("extensions.settings", extension_id=extension.id, _anchor="phones"))
        for name, message in problems.items():
            if name in form:
                form[name].errors = [*form[name].errors, message]
            else:
                form.form_errors.append(message)
        status = 422
    elif form.is_submitted():
        status = 422
    return render_template("phones/assign.html", extension=extension, phone=phone, form=form, taken=taken,
                           key_count=info.line_keys if info else 0), status


@bp.post("/extension/<int:extension_id>/remove/<int:phone_id>")
@admin_required
def unassign(extension_id: int, phone_id: int):
    extension = extension_or_404(extension_id)
    phone = phone_or_404(phone_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    phones.unassign(phone, extension)
    db.session.commit()
    flash(_("Phone %(mac)s no longer carries extension %(number)s. Reboot it to apply.",
            mac=phone.display_mac, number=extension.number), "success")
    return redirect(url_for("extensions.settings", extension_id=extension.id, _anchor="phones"))
