from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.blueprints.forms_common import ActionForm
from app.blueprints.guards import admin_required
from app.blueprints.restrictions import bp
from app.blueprints.restrictions.forms import RESTRICTION_KINDS, RESTRICTION_MATCHES, RuleForm
from app.blueprints.tenancy import current_company_id
from app.flask_extensions import db
from app.models.schedule import RestrictionKind, RestrictionMatch
from app.services import restrictions


def _search_terms(text: str) -> str:
    """The search box also finds rules by the words the reader sees ("Bloquer", "Commence par")."""
    needle = text.strip().lower()
    for value, label in [*RESTRICTION_KINDS.items(), *RESTRICTION_MATCHES.items()]:
        if needle and needle in str(label).lower():
            return value.value
    return text


def _rule_or_404(rule_id: int):
    rule = restrictions.get(current_company_id(), rule_id)
    if rule is None:
        abort(404)
    return rule


@bp.route("/", methods=["GET", "POST"])
@admin_required
def index():
    company_id = current_company_id()
    form = RuleForm(company_id=company_id)
    if form.validate_on_submit():
        restrictions.add_rule(company_id, RestrictionKind(form.kind.data), RestrictionMatch(form.match.data),
                              form.digits.data)
        db.session.commit()
        flash(_("Rule added: it applies from the next call."), "success")
        return redirect(url_for("restrictions.index"))
    search = request.args.get("q", "")
    rules = restrictions.listing(company_id, _search_terms(search))
    return render_template("restrictions/index.html", form=form, rules=rules, search=search,
                           kinds=RESTRICTION_KINDS, matches=RESTRICTION_MATCHES,
                           total=len(rules) if not search else len(restrictions.listing(company_id))), \
        422 if form.is_submitted() else 200


@bp.route("/<int:rule_id>", methods=["GET", "POST"])
@admin_required
def edit(rule_id: int):
    rule = _rule_or_404(rule_id)
    form = RuleForm(company_id=rule.company_id, rule_id=rule.id)
    if not form.is_submitted():
        form.kind.data, form.match.data, form.digits.data = rule.kind.value, rule.match.value, rule.digits
    if form.validate_on_submit():
        restrictions.update_rule(rule, RestrictionKind(form.kind.data), RestrictionMatch(form.match.data),
                                 form.digits.data)
        db.session.commit()
        flash(_("Rule saved: it applies from the next call."), "success")
        return redirect(url_for("restrictions.index"))
    return render_template("restrictions/edit.html", form=form, rule=rule), 422 if form.is_submitted() else 200


@bp.post("/<int:rule_id>/delete")
@admin_required
def delete(rule_id: int):
    rule = _rule_or_404(rule_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    restrictions.delete_rule(rule)
    db.session.commit()
    flash(_("Rule deleted."), "success")
    return redirect(url_for("restrictions.index"))


@bp.post("/delete-all")
@admin_required
def delete_all():
    if not ActionForm().validate_on_submit():
        abort(400)
    count = restrictions.delete_all(current_company_id())
    db.session.commit()
    flash(ngettext("%(num)d rule deleted: every caller may call again.", "%(num)d rules deleted: every caller may "
                   "call again.", count), "success")
    return redirect(url_for("restrictions.index"))
