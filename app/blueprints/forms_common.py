"""Form pieces that several blueprints share, and the base of every portal form."""
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Regexp, StopValidation, ValidationError

from app.models.user import User
from app.services.passwords import policy_errors
from app.services.people import email_taken, new_person_address_problem

# C0 and C1 controls (NUL included, which PostgreSQL refuses in text) and DEL; a
# multi-line field keeps its line breaks and tabs.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def column_length(attribute) -> int:
    """The size of a model's VARCHAR column (e.g. `column_length(User.first_name)`): forms
    take their Length(max=...) from here, so no form accepts what the column cannot hold."""
    return attribute.property.columns[0].type.length


def fits(attribute, message=None) -> Length:
    """Length(max=) of the column, with a message that says the limit."""
    limit = column_length(attribute)
    return Length(max=limit, message=message or _l("%(max)d characters at most.", max=limit))


def no_control_characters(form, field) -> None:
    """Typed text never holds control characters: a NUL breaks PostgreSQL, a line break a
    mail header or a FreeSWITCH setting. Stops the field's other checks (some query)."""
    pattern = _CONTROL_MULTILINE if isinstance(field, TextAreaField) else _CONTROL
    if isinstance(field.data, str) and pattern.search(field.data):
        raise StopValidation(_l("Remove the line breaks and other control characters."))


class PortalForm(FlaskForm):
    """The base of every form: each text field (passwords, hidden fields and email
    included) refuses control characters before any other check."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            field = super().bind_field(form, unbound_field, options)
            if isinstance(field, StringField):
                field.validators = [no_control_characters, *field.validators]
            return field


# Only 0-9: Python's \d and int() also take other scripts' digits (١٢٣, １２３), which no
# phone dials and FreeSWITCH never matches.
ASCII_DIGITS = Regexp(r"^[0-9]*$", message=_l("Digits only, no spaces or dashes."))


class WholeNumberField(IntegerField):
    """A number of at most 9 ASCII digits: int() would take other scripts' digits, and
    a huge value must be refused as such, not overflow a column."""

    def process_formdata(self, valuelist):
        if not valuelist or valuelist[0] in ("", None):
            self.data = None
            return
        text = str(valuelist[0]).strip()
        if not re.fullmatch(r"[0-9]{1,9}", text):
            self.data = None
            raise ValueError(_l("Enter a whole number, in digits."))
        self.data = int(text)



def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the select choices WTForms expects."""
    return [SelectChoice(value, label) for value, label in pairs]


LANGUAGE_CHOICES = choices([("fr", "Français"), ("en", "English")])


class PersonFields:
    """First name, last name, email (unique platform-wide) and language of a new person."""

    first_name = StringField(_l("First name"), validators=[DataRequired(_l("Enter a first name.")),
                                                            fits(User.first_name)])
    last_name = StringField(_l("Last name"), validators=[DataRequired(_l("Enter a last name.")),
                                                          fits(User.last_name)])
    email = EmailField(_l("Email address"), validators=[
        DataRequired(_l("Enter an email address.")),
        fits(User.email),
        Email(_l("Enter a valid email address.")),
    ])
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)

    def validate_email(self, field):
        if email_taken(field.data):
            raise ValidationError(_l("This email address already has an account."))


class CompanyPersonFields(PersonFields):
    """PersonFields as a company admin fills them in: an address taken by another company
    is refused without saying so, and not many times (people.new_person_address_problem)."""

    def __init__(self, *args, company_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self._company_id = company_id

    def validate_email(self, field):
        problem = new_person_address_problem(self._company_id, field.data)
        if problem:
            raise ValidationError(problem)


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


class ActionForm(PortalForm):
    """A one-button action (delete, remove, regenerate): only its CSRF token is checked.
    Rendered by the action_button macro of templates/macros/forms.html."""
