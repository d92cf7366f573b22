"""Voicemail box forms (F5). Single-field checks here; the rules that need the company's
boxes and extensions in app/services/mailboxes.py."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectField, StringField, SubmitField
from wtforms.validators import Email, Optional

from app.blueprints.forms_common import ASCII_DIGITS, PortalForm, choices, fits
from app.models.mailbox import KeyDestination, Mailbox
from app.telephony.voicemail import DEFAULT_VOICEMAIL_LENGTH, VOICEMAIL_LENGTHS

FIXED_KEYS = (
    (KeyDestination.NONE.value, _l("Nothing (the greeting goes on)")),
    (KeyDestination.LOGIN.value, _l("The box's login (its PIN is asked)")),
    (KeyDestination.ATTENDANT.value, _l("The company greeting (the caller dials an extension, 8500 or 0)")),
    (KeyDestination.HANGUP.value, _l("Hang up")),
)


def _seconds(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class MailboxForm(PortalForm):
    number = StringField(_l("Box number"), validators=[ASCII_DIGITS, fits(Mailbox.number)],
                         description=_l("An extension's number attaches the box to it; a free number makes "
                                        "a general box that keeps the number."))
    name = StringField(_l("Box name"), validators=[fits(Mailbox.name)],
                       description=_l("For example: a person's name, General mailbox, Conference room."))
    password = StringField(_l("Voicemail PIN"), validators=[fits(Mailbox.password)],
                           description=_l("4 to 10 digits, asked on the phone before the messages."))
    max_seconds = SelectField(_l("Maximum message length"), coerce=_seconds, default=DEFAULT_VOICEMAIL_LENGTH,
                              choices=choices([(s, _l("%(minutes)s min", minutes=f"{s / 60:g}"))
                                               for s in VOICEMAIL_LENGTHS]))
    email = EmailField(_l("Notification email"), validators=[
        Optional(), fits(Mailbox.email), Email(_l("Enter a valid email address."))])
    email_only = BooleanField(_l("Email only — do not keep messages on the server"))
    operator = SelectField(_l("When the caller presses 0"), validate_choice=False)
    star = SelectField(_l("When the caller presses *"), validate_choice=False)
    submit = SubmitField(_l("Save"))

    def set_destinations(self, extensions: list[tuple[str, str]], boxes: list[tuple[str, str]]) -> None:
        """Both keys offer the same places: the fixed ones, then the company's extensions and boxes."""
        places = [*FIXED_KEYS]
        places += [(f"extension:{n}", _l("Extension %(number)s — %(name)s", number=n, name=name))
                   for n, name in extensions]
        places += [(f"mailbox:{n}", _l("Voicemail box %(number)s — %(name)s", number=n, name=name))
                   for n, name in boxes]
        self.operator.choices = choices(places)
        self.star.choices = choices(places)

    def values(self) -> dict:
        """The service's view of the form: each key as its kind and target."""
        values = {"number": self.number.data or "", "name": self.name.data or "", "password": self.password.data or "",
                  "max_seconds": self.max_seconds.data, "email": self.email.data or "",
                  "email_only": bool(self.email_only.data)}
        for key, f in (("operator", self.operator), ("star", self.star)):
            kind, _, target = (f.data or KeyDestination.NONE.value).partition(":")
            values[f"{key}_kind"], values[f"{key}_target"] = kind, target
        return values

    @staticmethod
    def key_choice(kind: KeyDestination, target: str) -> str:
        return f"{kind.value}:{target}" if target else kind.value


class EmptyForm(PortalForm):
    erase_greetings = BooleanField(_l("Also delete your custom greetings?"),
                                   description=_l("The unavailable and temporary greetings, and the recorded name."))
    submit = SubmitField(_l("Yes, empty the box"))


class DeleteForm(PortalForm):
    replacement = SelectField(_l("Send them to"), validate_choice=False)
    submit = SubmitField(_l("Delete the box"))
