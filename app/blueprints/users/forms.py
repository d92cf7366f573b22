from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SubmitField

from app.blueprints.forms_common import choices

ROLE_CHOICES = choices([("user", _l("User")), ("admin", _l("Administrator"))])


class UserAccessForm(FlaskForm):
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    active = BooleanField(_l("Account enabled"))
    submit = SubmitField(_l("Save"))
