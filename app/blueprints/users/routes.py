from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.blueprints.guards import admin_required
from app.blueprints.tenancy import get_in_company_or_404
from app.blueprints.users import bp
from app.blueprints.users.forms import UserAccessForm
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
        errors = company_users.change_access(user, Role(form.role.data), form.active.data, current_user)
        if not errors:
            db.session.commit()
            flash(_("%(name)s saved.", name=user.full_name), "success")
            return redirect(url_for("users.index"))
        for field, message in errors.items():
            getattr(form, field).errors.append(message)
    return render_template("users/edit.html", user=user, form=form), 422 if form.is_submitted() else 200
