"""Compose a mail in its recipient's language and queue it for delivery."""
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask import current_app, render_template
from flask_babel import force_locale

from app.jobs.mail import deliver_mail


def send(to: str, template: str, language: str, to_name: str = "", **context) -> None:
    """Render `mail/<template>.txt` (first line = subject) in `language` and queue it."""
    with force_locale(language):
        subject, _, body = render_template(f"mail/{template}.txt", **context).partition("\n")
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = formataddr((to_name, to)) if to_name else to
    message["Subject"] = subject.strip()
    message["Message-ID"] = make_msgid(domain="switchboard")
    message.set_content(body.lstrip("\n"))
    message["Content-Language"] = language  # after set_content(), which drops Content-* headers
    deliver_mail(message.as_string())
