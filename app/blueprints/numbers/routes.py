from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.blueprints.guards import admin_required
from app.blueprints.numbers import bp
from app.blueprints.numbers.forms import LabelForm
from app.blueprints.tenancy import get_in_company_or_404
from app.flask_extensions import db
from app.models.company import PhoneNumber
from app.services import companies


@bp.get("/")
@admin_required
def index():
    return render_template("numbers/index.html", numbers=companies.numbers(current_user.company_id),
                           company=current_user.company)


@bp.route("/<int:number_id>", methods=["GET", "POST"])
@admin_required
def edit(number_id: int):
    number = get_in_company_or_404(PhoneNumber, number_id)
    form = LabelForm(obj=number)
    if form.validate_on_submit():
        companies.relabel_number(number, form.label.data or "")
        db.session.commit()
        flash(_("Number %(number)s saved.", number=number.national), "success")
        return redirect(url_for("numbers.index"))
    return render_template("numbers/edit.html", number=number, form=form), 422 if form.is_submitted() else 200
