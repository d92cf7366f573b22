from flask_babel import lazy_gettext as _l
from wtforms import StringField, SubmitField
from wtforms.validators import Optional

from app.blueprints.forms_common import PortalForm, fits
from app.models.company import PhoneNumber


class LabelForm(PortalForm):
    label = StringField(_l("Label"), validators=[Optional(), fits(PhoneNumber.label)],
                        description=_l("For example: Main line, Fax, Support."))
    submit = SubmitField(_l("Save"))
