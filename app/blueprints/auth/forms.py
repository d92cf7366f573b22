from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from app.blueprints.forms_common import NewPasswordFields


class LoginForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(_l("Enter your email address.")),
                                                         Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")),
                                                          Length(max=128)])
    remember = BooleanField(_l("Remember me"))
    submit = SubmitField(_l("Sign in"))


class RecoverForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[
        DataRequired(_l("Enter your email address.")),
        Email(_l("Enter a valid email address.")),
        Length(max=254),
    ])
    submit = SubmitField(_l("Send me a link"))


class ResetForm(NewPasswordFields, FlaskForm):
    submit = SubmitField(_l("Save my password"))
