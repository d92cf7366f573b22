"""Softphone SIP accounts of an extension (F15, G26)."""
from flask import abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.blueprints.extensions import bp
from app.blueprints.extensions.access import extension_or_404
from app.blueprints.extensions.forms import SoftphoneForm
from app.blueprints.extensions.routes import settings_page
from app.blueprints.forms_common import ActionForm
from app.blueprints.guards import admin_required, company_member_required
from app.flask_extensions import db
from app.models.extension import Extension, SipAccount
from app.services import sip_accounts

_JUST_CREATED = "sip_account_created"


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
        return settings_page(extension, softphone_form=form, status=422)
    account = sip_accounts.add_softphone(extension, form.label.data or "", current_user.id)
    db.session.commit()
    # POST, redirect, GET: reloading the credentials page creates (and bills) nothing.
    session[_JUST_CREATED] = account.id
    return redirect(url_for("extensions.show_credentials", extension_id=extension.id, account_id=account.id))


@bp.get("/<int:extension_id>/sip/<int:account_id>")
@company_member_required
def show_credentials(extension_id: int, account_id: int):
    extension = extension_or_404(extension_id)
    account = _account_or_404(extension, account_id)
    created = session.get(_JUST_CREATED) == account.id
    session.pop(_JUST_CREATED, None)
    return render_template("extensions/credentials.html", extension=extension, account=account, created=created)


@bp.post("/<int:extension_id>/sip/<int:account_id>/regenerate")
@admin_required
def regenerate(extension_id: int, account_id: int):
    extension = extension_or_404(extension_id)
    account = _account_or_404(extension, account_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    sip_accounts.regenerate(account)
    db.session.commit()
    flash(_("New password for %(username)s: the device using the old one is disconnected.",
            username=account.username), "success")
    return redirect(url_for("extensions.show_credentials", extension_id=extension.id, account_id=account.id))


@bp.post("/<int:extension_id>/sip/<int:account_id>/delete")
@admin_required
def delete_softphone(extension_id: int, account_id: int):
    extension = extension_or_404(extension_id)
    account = _account_or_404(extension, account_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    username = account.username
    if not sip_accounts.delete_softphone(account):
        abort(400)  # the extension's own account goes only with the extension
    db.session.commit()
    flash(_("Softphone account %(username)s deleted.", username=username), "success")
    return redirect(url_for("extensions.settings", extension_id=extension.id, _anchor="sip"))
