from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired

from app.blueprints.forms_common import CompanyPersonFields, PortalForm, choices, fits
from app.models.user import User

ROLE_CHOICES = choices([("user", _l("User")), ("admin", _l("Administrator"))])


class UserAccessForm(PortalForm):
    first_name = StringField(_l("First name"), validators=[DataRequired(_l("Enter a first name.")),
                                                            fits(User.first_name)])
    last_name = StringField(_l("Last name"), validators=[DataRequired(_l("Enter a last name.")),
                                                          fits(User.last_name)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    active = BooleanField(_l("Account enabled"))
    submit = SubmitField(_l("Save"))


class InviteForm(CompanyPersonFields, PortalForm):
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, default="user")
    submit = SubmitField(_l("Send the invitation"))
