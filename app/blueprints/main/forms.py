from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired

from app.blueprints.forms_common import LANGUAGE_CHOICES, NewPasswordFields, PortalForm, fits
from app.models.user import User


class ProfileForm(PortalForm):
    first_name = StringField(_l("First name"), validators=[DataRequired(_l("Enter a first name.")), fits(User.first_name)])
    last_name = StringField(_l("Last name"), validators=[DataRequired(_l("Enter a last name.")), fits(User.last_name)])
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    submit = SubmitField(_l("Save"))


class ChangePasswordForm(NewPasswordFields, PortalForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(_l("Enter your current password."))])
    submit = SubmitField(_l("Change my password"))
