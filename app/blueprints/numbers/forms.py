from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import Length, Optional


class LabelForm(FlaskForm):
    label = StringField(_l("Label"), validators=[Optional(), Length(max=64)],
                        description=_l("For example: Main line, Fax, Support."))
    submit = SubmitField(_l("Save"))
