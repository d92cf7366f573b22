from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from app.blueprints.forms_common import NewPasswordFields, PortalForm, fits
from app.models.user import User


class LoginForm(PortalForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(_l("Enter your email address.")),
                                                         fits(User.email)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")),
                                                          Length(max=128)])
    remember = BooleanField(_l("Remember me"))
    submit = SubmitField(_l("Sign in"))


class RecoverForm(PortalForm):
    email = EmailField(_l("Email address"), validators=[
        DataRequired(_l("Enter your email address.")),
        fits(User.email),
        Email(_l("Enter a valid email address.")),
    ])
    submit = SubmitField(_l("Send me a link"))


class ResetForm(NewPasswordFields, PortalForm):
    submit = SubmitField(_l("Save my password"))
