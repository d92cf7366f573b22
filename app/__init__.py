"""Application factory."""
import logging
import os

from flask import Flask, g, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import SecurityError

from app import config as settings
from app.flask_extensions import babel, csrf, db, init_security_headers, limiter, login_manager, migrate
from app.i18n import select_locale, select_timezone

ERROR_CODES = (400, 403, 404, 405, 413, 429, 500, 503)


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(settings.load(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    if test_config:
        app.config.from_mapping(test_config)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    from app import routing
    routing.install(app)

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"),
                     render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    init_security_headers(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    from app.blueprints.htmx import sign_in_first
    login_manager.unauthorized_handler(sign_in_first)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone,
                   default_translation_directories=os.path.join(os.path.dirname(app.root_path), "translations"))

    from app import after_commit, directory_version, jobs
    jobs.init_app(app)
    after_commit.install()
    directory_version.install()

    from app import models  # noqa: F401  (every model registered before first use)
    from app.services import login_sessions

    # What Flask-Login keeps in the cookies is a session token (User.get_id), so an
    # ended session cannot be brought back by a saved cookie, remember-me included.
    login_manager.user_loader(login_sessions.user_for)

    _register_blueprints(app)
    from app.xml_curl import endpoint as xml_curl_endpoint
    xml_curl_endpoint.install(app)
    _register_error_pages(app)
    _register_template_helpers(app)

    from app.cli import register_cli
    register_cli(app)

    @app.after_request
    def _vary_on_htmx(response):
        # Pages and their HTMX fragments share URLs: caches must tell them apart.
        response.vary.add("HX-Request")
        return response

    return app


def _register_blueprints(app: Flask) -> None:
    from app.blueprints.auth import bp as auth_bp
    from app.blueprints.books import bp as books_bp
    from app.blueprints.extensions import bp as extensions_bp
    from app.blueprints.main import bp as main_bp
    from app.blueprints.numbers import bp as numbers_bp
    from app.blueprints.operator import bp as operator_bp
    from app.blueprints.phones import bp as phones_bp
    from app.blueprints.provision import bp as provision_bp
    from app.blueprints.restrictions import bp as restrictions_bp
    from app.blueprints.users import bp as users_bp
    from app.blueprints.voicemail import bp as voicemail_bp

    for blueprint in (main_bp, auth_bp, operator_bp, numbers_bp, users_bp, extensions_bp, books_bp, restrictions_bp,
                      phones_bp, provision_bp, voicemail_bp):
        app.register_blueprint(blueprint)


def _register_error_pages(app: Flask) -> None:
    def render_error(error):
        code = getattr(error, "code", 500) or 500
        if code >= 500:
            db.session.rollback()
        return render_template("errors/error.html", code=code), code

    for code in ERROR_CODES:
        app.register_error_handler(code, render_error)

    @app.errorhandler(SecurityError)
    def untrusted_host(error):
        # A Host outside TRUSTED_HOSTS: no URL can be built for it, so no page either.
        return _("This site is not served under this name."), 400, {"Content-Type": "text/plain; charset=utf-8"}


def _register_template_helpers(app: Flask) -> None:
    from flask_babel import format_date, format_datetime, get_locale

    from app.blueprints import menu
    from app.database import utcnow
    from app.i18n import format_moment

    app.context_processor(menu.inject_menus)

    @app.context_processor
    def _telephony_status():
        def unreachable() -> bool:
            """Admins and operators are told when saved changes wait for FreeSWITCH."""
            from app.telephony import notify

            staff = current_user.is_authenticated and (current_user.is_admin or current_user.is_operator)
            return staff and notify.unreachable_since() is not None

        return {"telephony_unreachable": unreachable}
    from app.services.companies import time_zone_label

    app.jinja_env.globals.update(now=utcnow, get_locale=get_locale,
                                 format_datetime=format_datetime, format_date=format_date,
                                 format_moment=format_moment,
                                 time_zone_label=lambda name: time_zone_label(name, str(get_locale())))

    @app.before_request
    def _remember_htmx():
        g.htmx = request.headers.get("HX-Request") == "true" and not request.headers.get("HX-History-Restore-Request")
