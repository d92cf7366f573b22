from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.blueprints.guards import admin_required
from app.blueprints.tenancy import get_in_company_or_404
from app.blueprints.users import bp
from app.blueprints.forms_common import ActionForm
from app.blueprints.users.forms import InviteForm, UserAccessForm
from app.flask_extensions import db
from app.models.user import Role, User
from app.services import company_users


@bp.get("/")
@admin_required
def index():
    users, numbers = company_users.with_extension_numbers(current_user.company_id)
    return render_template("users/index.html", users=users, extension_numbers=numbers)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@admin_required
def edit(user_id: int):
    user = get_in_company_or_404(User, user_id)
    form = UserAccessForm(obj=user)
    if not form.is_submitted():
        form.role.data = user.role.value
    if form.validate_on_submit():
        errors = company_users.update_person(user, first_name=form.first_name.data, last_name=form.last_name.data,
                                             role=Role(form.role.data), active=form.active.data, acting=current_user)
        if not errors:
            db.session.commit()
            flash(_("%(name)s saved.", name=user.full_name), "success")
            return redirect(url_for("users.index"))
        for field, message in errors.items():
            getattr(form, field).errors.append(message)
    return render_template("users/edit.html", user=user, form=form), 422 if form.is_submitted() else 200


@bp.route("/invite", methods=["GET", "POST"])
@admin_required
def invite():
    form = InviteForm(language=current_user.company.language, company_id=current_user.company_id)
    if form.validate_on_submit():
        user = company_users.invite(current_user.company, form.email.data, form.first_name.data, form.last_name.data,
                                    form.language.data, Role(form.role.data))
        db.session.commit()
        flash(_("An invitation is on its way to %(email)s.", email=user.email), "success")
        return redirect(url_for("users.index"))
    return render_template("users/invite.html", form=form), 422 if form.is_submitted() else 200


@bp.post("/<int:user_id>/resend")
@admin_required
def resend(user_id: int):
    user = get_in_company_or_404(User, user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if company_users.resend_invitation(user):
        db.session.commit()
        flash(_("The invitation was sent again to %(email)s.", email=user.email), "success")
    else:
        flash(_("%(name)s has already chosen a password.", name=user.full_name), "info")
    return redirect(url_for("users.index"))
