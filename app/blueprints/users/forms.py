from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from app.blueprints.forms_common import PersonFields, choices

ROLE_CHOICES = choices([("user", _l("User")), ("admin", _l("Administrator"))])


class UserAccessForm(FlaskForm):
    first_name = StringField(_l("First name"), validators=[DataRequired(_l("Enter a first name.")), Length(max=50)])
    last_name = StringField(_l("Last name"), validators=[DataRequired(_l("Enter a last name.")), Length(max=50)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    active = BooleanField(_l("Account enabled"))
    submit = SubmitField(_l("Save"))


class InviteForm(PersonFields, FlaskForm):
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, default="user")
    submit = SubmitField(_l("Send the invitation"))
