from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.blueprints.guards import admin_required
from app.blueprints.numbers import bp
from app.blueprints.numbers.forms import LabelForm
from app.extensions import db
from app.models.company import PhoneNumber
from app.services.tenancy import get_in_company_or_404, scoped


@bp.get("/")
@admin_required
def index():
    numbers = db.session.execute(scoped(PhoneNumber).order_by(PhoneNumber.e164)).scalars().all()
    return render_template("numbers/index.html", numbers=numbers, company=current_user.company)


@bp.route("/<int:number_id>", methods=["GET", "POST"])
@admin_required
def edit(number_id: int):
    number = get_in_company_or_404(PhoneNumber, number_id)
    form = LabelForm(obj=number)
    if form.validate_on_submit():
        number.label = (form.label.data or "").strip()
        db.session.commit()
        flash(_("Number %(number)s saved.", number=number.national), "success")
        return redirect(url_for("numbers.index"))
    return render_template("numbers/edit.html", number=number, form=form)
