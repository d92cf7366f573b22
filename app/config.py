"""Settings from environment variables, with safe defaults.

Secrets never live in the repository: SECRET_KEY comes from the environment or
from `instance/secret_key`, which is generated on first start.
"""
import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key(instance_path: str) -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _database_url(instance_path: str) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{Path(instance_path) / 'switchboard.db'}"
    # Heroku-style URLs and bare postgresql:// both mean psycopg 3 here.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _list(name: str) -> list[str]:
    return [item.strip().lower() for item in os.environ.get(name, "").split(",") if item.strip()]


def load(instance_path: str) -> dict:
    """Return the configuration mapping read from the environment."""
    # Links in mails are built from this one address, never from a request's Host header
    # (which whoever sends the request chooses); requests for any other host are refused.
    portal_url = os.environ.get("PORTAL_URL", "http://127.0.0.1:5000").rstrip("/")
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "PORTAL_URL": portal_url,
        # Werkzeug's check ignores the port; FreeSWITCH and phones may reach the portal by
        # another name, listed in TRUSTED_HOSTS (comma-separated; ".example.com" = subdomains).
        "TRUSTED_HOSTS": [_host_of(portal_url), *_list("TRUSTED_HOSTS")],
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # Sessions: HttpOnly + SameSite always; Secure when served over HTTPS.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE"),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE"),
        "REMEMBER_COOKIE_DURATION": timedelta(days=14),
        # G24: a session ends after 8 hours without a request.
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=8),
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "fr",
        "BABEL_DEFAULT_TIMEZONE": "America/Toronto",
        "LANGUAGES": ("fr", "en"),
        # Mail: with no MAIL_SERVER, messages are written to the log (dev default).
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS"),
        "MAIL_USE_SSL": _bool("MAIL_USE_SSL"),
        "MAIL_TIMEOUT": float(os.environ.get("MAIL_TIMEOUT", "10")),
        "MAIL_DEFAULT_SENDER": os.environ.get(
            "MAIL_DEFAULT_SENDER", "Switchboard <no-reply@localhost>"
        ),
        # Background jobs (Huey): Redis when REDIS_URL is set, else SQLite.
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        "HUEY_SQLITE_PATH": os.environ.get(
            "HUEY_SQLITE_PATH", str(Path(instance_path) / "huey.db")
        ),
        "HUEY_IMMEDIATE": _bool("HUEY_IMMEDIATE"),
        # Rate limits (Flask-Limiter): counted in Redis when REDIS_URL is set, so every
        # app process shares them; else in each process's memory (see README "Sign-in protection").
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI") or os.environ.get("REDIS_URL")
        or "memory://",
        "RATELIMIT_STRATEGY": "moving-window",
        "RATELIMIT_HEADERS_ENABLED": False,
        # Sign-in protection (G24): per client address, and per account (failures only,
        # a growing wait, never a lock: the reset link always lets the owner in).
        "LOGIN_IP_LIMITS": os.environ.get("LOGIN_IP_LIMITS", "30 per minute"),
        "LOGIN_ACCOUNT_LIMITS": os.environ.get("LOGIN_ACCOUNT_LIMITS",
                                               "5 per minute;10 per 10 minutes;20 per hour"),
        "RECOVERY_ADDRESS_LIMITS": os.environ.get("RECOVERY_ADDRESS_LIMITS", "5 per hour"),
        "RECOVERY_IP_LIMITS": os.environ.get("RECOVERY_IP_LIMITS", "20 per hour"),
        # How many addresses taken by another company an admin is told about (issue 8.7).
        "ADDRESS_PROBE_LIMITS": os.environ.get("ADDRESS_PROBE_LIMITS", "5 per day"),
        # Refused provisioning requests that carried credentials, per client address: an
        # office behind one address boots many phones, each asking twice per file.
        "PROVISION_FAILURE_LIMITS": os.environ.get("PROVISION_FAILURE_LIMITS", "30 per minute;200 per hour"),
        # A signed-in session lasts at most this long, whatever its activity (the
        # remember-me cookie's lifetime): its server-side record is then forgotten.
        "SESSION_MAX_AGE": timedelta(days=14),
        "PASSWORD_RESET_MAX_AGE": 3600,
        "PASSWORD_MIN_LENGTH": 10,
        # FreeSWITCH: the xml_curl endpoint's HTTP Basic credentials and ESL.
        "FREESWITCH_XML_USER": os.environ.get("FREESWITCH_XML_USER", "freeswitch"),
        "FREESWITCH_XML_PASSWORD": os.environ.get("FREESWITCH_XML_PASSWORD", ""),
        "FREESWITCH_GATEWAY": os.environ.get("FREESWITCH_GATEWAY", "carrier"),
        "FREESWITCH_SIP_PROFILE": os.environ.get("FREESWITCH_SIP_PROFILE", "internal"),
        # mod_voicemail's store (voicemail.conf storage-dir, $${storage_dir}/voicemail/default
        # on the FreeSWITCH host) as this host mounts it: the web inbox plays messages
        # from it, the dial plan looks for temporary greetings in it. Empty: not mounted.
        "VOICEMAIL_STORAGE_DIR": os.environ.get("VOICEMAIL_STORAGE_DIR", ""),
        # Seconds an xml_curl request (and /healthz) may take before "not found" (app/readonly_db.py).
        "FREESWITCH_XML_TIMEOUT": float(os.environ.get("FREESWITCH_XML_TIMEOUT", "0.8")),
        # How long FreeSWITCH keeps a directory answer (`cacheable`): longer than the phones'
        # re-registration interval (an hour, deploy/freeswitch/README.md), so that a phone
        # re-registering asks the portal at most every other time. Changes don't wait for
        # it: the portal flushes what a save changed (app/telephony/notify.py); it only
        # bounds how long a flush lost to an outage of over an hour could go unseen.
        "FREESWITCH_DIRECTORY_CACHE_SECONDS": int(os.environ.get("FREESWITCH_DIRECTORY_CACHE_SECONDS", "7200")),
        # Directory answers each portal process keeps (app/xml_curl/answer_cache.py); 0: none.
        "FREESWITCH_ANSWER_CACHE_ENTRIES": int(os.environ.get("FREESWITCH_ANSWER_CACHE_ENTRIES", "50000")),
        "ESL_HOST": os.environ.get("ESL_HOST", "127.0.0.1"),
        "ESL_PORT": int(os.environ.get("ESL_PORT", "8021")),
        "ESL_PASSWORD": os.environ.get("ESL_PASSWORD", "ClueCon"),
        "ESL_TIMEOUT": float(os.environ.get("ESL_TIMEOUT", "2")),
        # The folder FreeSWITCH and the portal share (FreeSWITCH's $${storage_dir}): uploaded
        # greetings go to its greetings/, FreeSWITCH records exception messages in it.
        "STORAGE_DIR": os.environ.get("STORAGE_DIR", str(Path(instance_path) / "storage")),
        # The extension status board (status_server.py): where its listener leaves the states
        # without Redis, and the address browsers open its live stream at (empty: this
        # site's /extensions/status/stream, which the front proxy sends to the status server).
        "STATUS_DB_PATH": os.environ.get("STATUS_DB_PATH", str(Path(instance_path) / "status.db")),
        "STATUS_STREAM_URL": os.environ.get("STATUS_STREAM_URL", ""),
        # `flask demo`: the demo company's SIP domain.
        "DEMO_SIP_DOMAIN": os.environ.get("DEMO_SIP_DOMAIN", "demo.switchboard.example"),
    }
