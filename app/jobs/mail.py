"""Mail delivery, off the request path."""
import logging
import smtplib
from email import message_from_string
from email.policy import default as default_policy

from flask import current_app

from app.jobs import app_task

log = logging.getLogger(__name__)


@app_task(retries=3, retry_delay=60)
def deliver_mail(raw_message: str) -> None:
    message = message_from_string(raw_message, policy=default_policy)
    config = current_app.config
    if not config["MAIL_SERVER"]:
        # Decoded, so that a developer can follow the links in it.
        log.info("mail (no MAIL_SERVER set, logged instead of sent)\nTo: %s\nSubject: %s\n\n%s",
                 message["To"], message["Subject"], message.get_content())
        return
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)
