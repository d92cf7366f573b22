from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from app.blueprints.forms_common import LANGUAGE_CHOICES, NewPasswordFields


class ProfileForm(FlaskForm):
    first_name = StringField(_l("First name"), validators=[DataRequired(_l("Enter a first name.")), Length(max=50)])
    last_name = StringField(_l("Last name"), validators=[DataRequired(_l("Enter a last name.")), Length(max=50)])
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    submit = SubmitField(_l("Save"))


class ChangePasswordForm(NewPasswordFields, FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(_l("Enter your current password."))])
    submit = SubmitField(_l("Change my password"))
