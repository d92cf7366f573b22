"""Form pieces that several blueprints share."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from app.services.passwords import policy_errors
from app.services.people import email_taken



def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the select choices WTForms expects."""
    return [SelectChoice(value, label) for value, label in pairs]


LANGUAGE_CHOICES = choices([("fr", "Français"), ("en", "English")])


class PersonFields:
    """First name, last name, email (unique platform-wide) and language of a new person."""

    first_name = StringField(_l("First name"), validators=[DataRequired(_l("Enter a first name.")), Length(max=50)])
    last_name = StringField(_l("Last name"), validators=[DataRequired(_l("Enter a last name.")), Length(max=50)])
    email = EmailField(_l("Email address"), validators=[
        DataRequired(_l("Enter an email address.")),
        Email(_l("Enter a valid email address.")),
        Length(max=254),
    ])
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)

    def validate_email(self, field):
        if email_taken(field.data):
            raise ValidationError(_l("This email address already has an account."))


class NewPasswordFields:
    """A new password typed twice, checked against the password policy (G24).

    The form is built with `email=` so the policy can refuse a password made of it."""

    password = PasswordField(_l("New password"), validators=[DataRequired(_l("Choose a password."))])
    confirm = PasswordField(_l("Repeat the password"), validators=[
        DataRequired(_l("Repeat the password.")),
        EqualTo("password", _l("The two passwords differ.")),
    ])

    def __init__(self, *args, email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self._email = email

    def validate_password(self, field):
        problems = policy_errors(field.data or "", self._email)
        if problems:
            raise ValidationError(" ".join(str(p) for p in problems))


class ActionForm(FlaskForm):
    """A one-button action (delete, remove, regenerate): only its CSRF token is checked.
    Rendered by the action_button macro of templates/macros/forms.html."""
