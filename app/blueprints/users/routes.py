from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.blueprints.guards import admin_required
from app.blueprints.users import bp
from app.blueprints.users.forms import UserAccessForm
from app.extensions import db
from app.models.extension import Extension
from app.models.user import Role, User
from app.services.company_users import change_access
from app.services.tenancy import get_in_company_or_404, scoped


@bp.get("/")
@admin_required
def index():
    users = db.session.execute(scoped(User).order_by(User.last_name, User.first_name)).scalars().all()
    numbers: dict[int, list[str]] = {}
    for user_id, number in db.session.execute(
        select(Extension.user_id, Extension.number)
        .where(Extension.company_id == current_user.company_id, Extension.user_id.is_not(None))
        .order_by(Extension.number)
    ):
        numbers.setdefault(user_id, []).append(number)
    return render_template("users/index.html", users=users, extension_numbers=numbers)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@admin_required
def edit(user_id: int):
    user = get_in_company_or_404(User, user_id)
    form = UserAccessForm(obj=user)
    if not form.is_submitted():
        form.role.data = user.role.value
    if form.validate_on_submit():
        errors = change_access(user, Role(form.role.data), form.active.data, current_user)
        if not errors:
            db.session.commit()
            flash(_("%(name)s saved.", name=user.full_name), "success")
            return redirect(url_for("users.index"))
        for field, message in errors.items():
            getattr(form, field).errors.append(message)
    return render_template("users/edit.html", user=user, form=form)

