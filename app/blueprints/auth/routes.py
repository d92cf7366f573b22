from urllib.parse import urlsplit

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.blueprints.auth import bp
from app.blueprints.auth.forms import LoginForm, RecoverForm, ResetForm
from app.flask_extensions import db
from app.i18n import LANGUAGES
from app.services import login_sessions, people, signin
from app.services.passwords import check_reset_token, set_password


def _local_path(target: str | None) -> str | None:
    """`next` is followed only when it is a path on this site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _home_for(user) -> str:
    return url_for("operator.index") if user.is_operator else url_for("main.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        outcome, user = signin.authenticate(form.email.data, form.password.data, request.remote_addr or "")
        if outcome is signin.Outcome.OK:
            language = session.get("language")
            session.clear()  # a fresh session on sign-in: no fixation
            if language:  # but the language chosen on the sign-in page stays
                session["language"] = language
            login_sessions.open_session(user)
            login_user(user, remember=form.remember.data)
            session.permanent = True
            db.session.commit()
            return redirect(_local_path(request.args.get("next")) or _home_for(user))
        db.session.commit()  # a password rehash at most
        if outcome is signin.Outcome.THROTTLED:
            form.form_errors.append(_("Too many sign-in attempts. Wait a minute and try again."))
            return render_template("auth/login.html", form=form), 429
        if outcome is signin.Outcome.ACCOUNT_WAIT:
            form.form_errors.append(_("Too many failed attempts for this address. Wait a few minutes and try "
                                      "again, or recover your password: the link we mail lets you in at once."))
            return render_template("auth/login.html", form=form), 429
        form.form_errors.append(_("Incorrect email address or password."))
    return render_template("auth/login.html", form=form), 422 if form.is_submitted() else 200


@bp.post("/logout")
def logout():
    # The sign-in page that follows stays in the language the pages were in.
    language = session.get("language") or (current_user.language if current_user.is_authenticated else None)
    if current_user.is_authenticated:
        # This browser's session only: a copy of its cookie is worth nothing from now on.
        login_sessions.close(current_user.session_token)
        db.session.commit()
    logout_user()
    session.clear()
    if language:
        session["language"] = language
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/recover", methods=["GET", "POST"])
def recover():
    form = RecoverForm()
    if form.validate_on_submit():
        email = form.email.data
        if signin.recovery_allowed(email, request.remote_addr or ""):
            user = signin.find_user_by_email(email)
            if user is not None and user.active:
                people.send_recovery(user)
                db.session.commit()
        # The same answer whether or not the address exists (F1 "recovery answers neutrally").
        return render_template("auth/recover_sent.html", email=email)
    return render_template("auth/recover.html", form=form), 422 if form.is_submitted() else 200


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    check = check_reset_token(token)
    if check.user is None:
        return render_template("auth/reset_invalid.html", problem=check.problem), 410
    user = check.user
    form = ResetForm(email=user.email)
    if form.validate_on_submit():
        set_password(user, form.password.data)  # ends every session of the account
        db.session.commit()
        logout_user()
        flash(_("Your password is saved. You can sign in now."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form, user=user), 422 if form.is_submitted() else 200


@bp.post("/language")
def set_language():
    """The header's button: the pages of this session only. The profile language, which
    mails follow, is chosen in Account settings (app/i18n.py)."""
    language = request.form.get("language")
    if language not in LANGUAGES:
        abort(400)
    session["language"] = language
    return redirect(_local_path(request.form.get("next")) or url_for("main.index"))
