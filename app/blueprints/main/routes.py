from flask import abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from app.blueprints.guards import company_member_required
from app.blueprints.forms_common import ActionForm
from app.blueprints.main import bp
from app.blueprints.main.forms import ChangePasswordForm, ProfileForm
from app.flask_extensions import db
from app.services import accounts, health


@bp.get("/healthz")
def healthz():
    if not health.database_ok():
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}


@bp.get("/")
@login_required
def index():
    if current_user.is_operator:
        return redirect(url_for("operator.index"))
    return render_template("main/index.html", company=current_user.company)


@bp.route("/account", methods=["GET", "POST"])
@company_member_required
def settings():
    profile = ProfileForm(prefix="profile", obj=current_user)
    password = ChangePasswordForm(prefix="password", email=current_user.email)
    if profile.submit.data and profile.validate_on_submit():
        if profile.language.data != current_user.language:
            session.pop("language", None)  # the pages follow the new profile language from now on
        accounts.update_profile(current_user, profile.first_name.data, profile.last_name.data, profile.language.data)
        db.session.commit()
        flash(_("Your settings are saved."), "success")
        return redirect(url_for("main.settings"))
    if password.submit.data and password.validate_on_submit():
        errors = accounts.change_password(current_user, password.current.data, password.password.data)
        if not errors:
            db.session.commit()
            flash(_("Your password is changed."), "success")
            return redirect(url_for("main.settings"))
        for field, message in errors.items():
            password[field].errors.append(message)
    status = 422 if profile.submit.data or password.submit.data else 200
    return render_template("main/settings.html", profile=profile, password=password), status


@bp.post("/account/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    if not ActionForm().validate_on_submit():
        abort(400)
    accounts.sign_out_everywhere(current_user)
    db.session.commit()
    logout_user()
    flash(_("You are signed out on every device."), "info")
    return redirect(url_for("auth.login"))
