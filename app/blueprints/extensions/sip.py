"""Softphone SIP accounts of an extension (F15, G26)."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.blueprints.extensions import bp
from app.blueprints.extensions.access import extension_or_404
from app.blueprints.extensions.forms import SoftphoneForm
from app.blueprints.forms_common import ActionForm
from app.blueprints.guards import admin_required, company_member_required
from app.extensions import db
from app.models.extension import Extension, SipAccount
from app.models.billing import BillableKind
from app.services import billing
from app.services import extensions as rules
from app.services import sip_accounts
from app.telephony import notify


def _account_or_404(extension: Extension, account_id: int) -> SipAccount:
    """One of this extension's SIP accounts; raises 404 otherwise."""
    account = next((a for a in extension.sip_accounts if a.id == account_id), None)
    if account is None:
        abort(404)
    return account


@bp.post("/<int:extension_id>/softphones")
@admin_required
def add_softphone(extension_id: int):
    extension = extension_or_404(extension_id)
    form = SoftphoneForm()
    if not form.validate_on_submit():
        for error in form.accept_fee.errors + form.label.errors:
            flash(error, "error")
        return redirect(url_for("extensions.settings", extension_id=extension.id, _anchor="sip"))
    account = sip_accounts.add_softphone(extension, form.label.data or "")
    billing.record(extension, BillableKind.SOFTPHONE_LICENCE, current_user.id, detail=account.username)
    db.session.commit()
    # Every account's cached entry carries the dial-string that rings all of them.
    notify.directory_changed(extension.company.sip_domain, rules.directory_usernames(extension))
    return render_template("extensions/credentials.html", extension=extension, account=account, created=True)


@bp.get("/<int:extension_id>/sip/<int:account_id>")
@company_member_required
def show_credentials(extension_id: int, account_id: int):
    extension = extension_or_404(extension_id)
    return render_template("extensions/credentials.html", extension=extension,
                           account=_account_or_404(extension, account_id), created=False)


@bp.post("/<int:extension_id>/sip/<int:account_id>/regenerate")
@admin_required
def regenerate(extension_id: int, account_id: int):
    extension = extension_or_404(extension_id)
    account = _account_or_404(extension, account_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    sip_accounts.regenerate(account)
    db.session.commit()
    notify.directory_changed(extension.company.sip_domain, [account.username])
    flash(_("New password for %(username)s: the device using the old one is disconnected.",
            username=account.username), "success")
    return render_template("extensions/credentials.html", extension=extension, account=account, created=False)


@bp.post("/<int:extension_id>/sip/<int:account_id>/delete")
@admin_required
def delete_softphone(extension_id: int, account_id: int):
    extension = extension_or_404(extension_id)
    account = _account_or_404(extension, account_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if not account.softphone:
        abort(400)  # the extension's own account goes only with the extension
    username = account.username
    usernames = rules.directory_usernames(extension)
    db.session.delete(account)
    db.session.commit()
    notify.directory_changed(extension.company.sip_domain, usernames)
    flash(_("Softphone account %(username)s deleted.", username=username), "success")
    return redirect(url_for("extensions.settings", extension_id=extension.id, _anchor="sip"))
