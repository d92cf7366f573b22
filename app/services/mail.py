"""Compose a mail in its recipient's language; it is queued for delivery once the
transaction that asked for it has committed (app/after_commit.py), so a mail never
announces something that was rolled back, and composing it (where a bad header
would fail) happens before the commit, not after."""
import re
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask import current_app, render_template
from flask_babel import force_locale

from app import after_commit
from app.jobs.mail import deliver_mail

_HEADER_UNSAFE = re.compile(r"[\x00-\x1f\x7f]+")


def send(to: str, template: str, language: str, to_name: str = "", **context) -> None:
    """Render `mail/<template>.txt` (first line = subject) in `language`; queue it after commit."""
    with force_locale(language):
        subject, _, body = render_template(f"mail/{template}.txt", **context).partition("\n")
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    name = _HEADER_UNSAFE.sub(" ", to_name).strip()
    message["To"] = formataddr((name, to)) if name else to
    message["Subject"] = _HEADER_UNSAFE.sub(" ", subject).strip()
    message["Message-ID"] = make_msgid(domain="switchboard")
    message.set_content(body.lstrip("\n"))
    message["Content-Language"] = language  # after set_content(), which drops Content-* headers
    after_commit.call(deliver_mail, message.as_string())
