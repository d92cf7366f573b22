from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.blueprints.guards import operator_required
from app.blueprints.operator import bp
from app.blueprints.forms_common import ActionForm
from app.blueprints.operator.forms import AdminForm, CompanyEditForm, CompanyForm, MusicOnHoldForm, PhoneNumberForm
from app.flask_extensions import db
from app.models.company import Company
from app.models.extension import MusicOnHold
from app.models.user import Role
from app.services import billing, companies, company_users, music_on_hold


def _company_or_404(company_id: int) -> Company:
    """The operator sees every company; raises 404 for an unknown id."""
    company = companies.get(company_id)
    if company is None:
        abort(404)
    return company


def _moh_or_404(moh_id: int) -> MusicOnHold:
    entry = music_on_hold.get(moh_id)
    if entry is None:
        abort(404)
    return entry


@bp.get("/")
@operator_required
def index():
    search = request.args.get("q", "")[:100]
    return render_template("operator/index.html", rows=companies.overview(search), search=search)


@bp.route("/companies/new", methods=["GET", "POST"])
@operator_required
def new_company():
    form = CompanyForm()
    if form.validate_on_submit():
        company = companies.create_company(form.name.data, form.sip_domain.data,
                                           form.time_zone.data, form.language.data)
        db.session.commit()
        flash(_("Company %(name)s created. Add its phone numbers and its first administrator.",
                name=company.name), "success")
        return redirect(url_for("operator.company", company_id=company.id))
    return render_template("operator/new_company.html", form=form), 422 if form.is_submitted() else 200


@bp.route("/companies/<int:company_id>/edit", methods=["GET", "POST"])
@operator_required
def edit_company(company_id: int):
    company = _company_or_404(company_id)
    form = CompanyEditForm(obj=company)
    if form.validate_on_submit():
        companies.update_company(company, form.name.data, form.time_zone.data, form.language.data)
        db.session.commit()
        flash(_("Company %(name)s saved.", name=company.name), "success")
        return redirect(url_for("operator.company", company_id=company.id))
    return render_template("operator/edit_company.html", company=company, form=form), \
        422 if form.is_submitted() else 200


@bp.post("/companies/<int:company_id>/admins/<int:user_id>/remove")
@operator_required
def remove_admin(company_id: int, user_id: int):
    company = _company_or_404(company_id)
    admin = next((a for a in company_users.admins(company.id) if a.id == user_id), None)
    if admin is None:
        abort(404)
    if ActionForm().validate_on_submit():
        errors = company_users.remove_admin(admin)
        if errors:
            for message in errors.values():
                flash(message, "error")
        else:
            name = admin.full_name
            db.session.commit()
            flash(_("%(name)s's administrator access to %(company)s is removed.", name=name, company=company.name),
                  "success")
    return redirect(url_for("operator.company", company_id=company.id, _anchor="admins"))


def _company_page(company: Company, number_form=None, admin_form=None, status: int = 200):
    return render_template(
        "operator/company.html",
        company=company,
        admins=company_users.admins(company.id),
        number_form=number_form or PhoneNumberForm(prefix="number"),
        admin_form=admin_form or AdminForm(prefix="admin", language=company.language),
        billable_events=billing.events(company.id),
    ), status


@bp.get("/companies/<int:company_id>")
@operator_required
def company(company_id: int):
    return _company_page(_company_or_404(company_id))


@bp.post("/companies/<int:company_id>/numbers")
@operator_required
def add_number(company_id: int):
    company = _company_or_404(company_id)
    form = PhoneNumberForm(prefix="number")
    if not form.validate_on_submit():
        return _company_page(company, number_form=form, status=422)
    number = companies.add_number(company, form.number.data, form.label.data or "")
    db.session.commit()
    flash(_("Number %(number)s added.", number=number.national), "success")
    return redirect(url_for("operator.company", company_id=company.id))


@bp.post("/companies/<int:company_id>/numbers/<int:number_id>/remove")
@operator_required
def remove_number(company_id: int, number_id: int):
    company = _company_or_404(company_id)
    number = companies.get_number(company.id, number_id)
    if number is None:
        abort(404)
    if ActionForm().validate_on_submit():
        companies.remove_number(number)
        db.session.commit()
        flash(_("Number %(number)s removed.", number=number.national), "success")
    return redirect(url_for("operator.company", company_id=company.id))


@bp.post("/companies/<int:company_id>/admins")
@operator_required
def add_admin(company_id: int):
    company = _company_or_404(company_id)
    form = AdminForm(prefix="admin")
    if not form.validate_on_submit():
        return _company_page(company, admin_form=form, status=422)
    admin = company_users.invite(company, form.email.data, form.first_name.data, form.last_name.data,
                                 form.language.data, Role.ADMIN)
    db.session.commit()
    flash(_("%(name)s can now choose a password: a welcome mail is on its way to %(email)s.",
            name=admin.full_name, email=admin.email), "success")
    return redirect(url_for("operator.company", company_id=company.id))


@bp.route("/music-on-hold", methods=["GET", "POST"])
@operator_required
def moh():
    form = MusicOnHoldForm()
    if form.validate_on_submit():
        music_on_hold.add(form.name.data, form.source.data)
        db.session.commit()
        flash(_("%(name)s added to the music on hold.", name=form.name.data.strip()), "success")
        return redirect(url_for("operator.moh"))
    return render_template("operator/moh.html", form=form, entries=music_on_hold.all_entries(),
                           default_source=music_on_hold.DEFAULT_SOURCE), 422 if form.is_submitted() else 200


@bp.post("/music-on-hold/<int:moh_id>/remove")
@operator_required
def remove_moh(moh_id: int):
    entry = _moh_or_404(moh_id)
    if ActionForm().validate_on_submit():
        music_on_hold.remove(entry)
        db.session.commit()
        flash(_("%(name)s removed from the music on hold.", name=entry.name), "success")
    return redirect(url_for("operator.moh"))
