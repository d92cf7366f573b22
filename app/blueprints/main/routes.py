from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import text

from app.blueprints.guards import company_member_required
from app.blueprints.main import bp
from app.blueprints.main.forms import ChangePasswordForm, ProfileForm
from app.extensions import db
from app.services.passwords import set_password, verify_password


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any failure to reach the database is "unhealthy"
        db.session.rollback()
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
        current_user.first_name = profile.first_name.data.strip()
        current_user.last_name = profile.last_name.data.strip()
        current_user.language = profile.language.data
        session["language"] = profile.language.data
        db.session.commit()
        flash(_("Your settings are saved."), "success")
        return redirect(url_for("main.settings"))
    if password.submit.data and password.validate_on_submit():
        if verify_password(current_user, password.current.data):
            set_password(current_user, password.password.data)
            db.session.commit()
            flash(_("Your password is changed."), "success")
            return redirect(url_for("main.settings"))
        password.current.errors.append(_("This is not your current password."))
    return render_template("main/settings.html", profile=profile, password=password)
