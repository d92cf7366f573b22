"""Flask extensions, created unbound and bound in create_app()."""
from urllib.parse import urlsplit

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.engine import make_url

from app.database import Base, sqlite_opened


class Database(SQLAlchemy):
    """Opens an SQLite file only if it exists: a missing file (a volume not mounted, a
    wrong path) is an error rather than a new empty database the app would run on.
    `flask db upgrade` creates it (migrations/env.py)."""

    def _apply_driver_defaults(self, options, app):
        super()._apply_driver_defaults(options, app)
        options["url"] = sqlite_opened(make_url(options["url"]), "rw")


db = Database(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
babel = Babel()
csrf = CSRFProtect()
# No limit on routes by default: app/services/throttle.py counts what it must (sign-in,
# recovery) in the limiter's storage, shared by every app process.
limiter = Limiter(key_func=get_remote_address)
talisman = Talisman()

# Scripts and styles only from our own static files: no inline script, style or
# handler attribute can run, so an HTML-injection bug cannot become script.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def init_security_headers(app) -> None:
    """CSP, X-Frame-Options, nosniff, Referrer-Policy; HSTS when served over HTTPS with
    secure cookies. HTTPS itself is the front proxy's job: no redirect here."""
    secure = bool(app.config["SESSION_COOKIE_SECURE"])
    policy = dict(CONTENT_SECURITY_POLICY)
    stream = urlsplit(app.config.get("STATUS_STREAM_URL") or "")
    if stream.scheme and stream.netloc:
        # The status board's live stream served from another origin (`make run`'s port 5001).
        policy["connect-src"] = f"'self' {stream.scheme}://{stream.netloc}"
    talisman.init_app(
        app,
        force_https=False,
        frame_options="DENY",
        content_security_policy=policy,
        # Reset links carry their token in the path: never send it to another site.
        referrer_policy="same-origin",
        strict_transport_security=secure,
        session_cookie_secure=secure,
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
    )
