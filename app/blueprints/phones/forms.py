"""Phone forms: the inventory (F14), assignment to an extension (F16), the directory (F9)."""
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.blueprints.forms_common import PortalForm, choices, fits
from app.models.phone import Phone
from app.provisioning import catalog
from app.services import companies, phones


class NameFields:
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter a name.")), fits(Phone.name)],
                       description=_l("The model and the extension it will serve, e.g. Polycom 450 Extension 102."))


def _time_zone_choices():
    locale = str(get_locale() or "fr")
    return choices((zone, companies.time_zone_label(zone, locale)) for zone in companies.COMMON_TIME_ZONES)


class NewPhoneForm(NameFields, PortalForm):
    mac = StringField(_l("MAC address"), validators=[DataRequired(_l("Enter the MAC address."))],
                      description=_l("12 characters, printed on the back of the phone, usually above the barcode."))
    model = SelectField(_l("Model"), choices=choices([("", "—")] + catalog.choices()),
                        validators=[DataRequired(_l("Choose the phone's model."))])
    submit = SubmitField(_l("Add the phone"))

    def validate_mac(self, field):
        problem = phones.mac_problem(field.data or "")
        if problem:
            raise ValidationError(problem)


class EditPhoneForm(NameFields, PortalForm):
    model = SelectField(_l("Model"), choices=choices(catalog.choices()),
                        description=_l("A wrong model means the phone will not work. Model missing? Contact support."))
    time_zone = SelectField(_l("Time zone"))
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone.choices = _time_zone_choices()


class DeletePhoneForm(PortalForm):
    unassign = BooleanField(_l("Yes, take this phone off its extensions and delete it"))
    submit = SubmitField(_l("Delete the phone"))


class ChoosePhoneForm(PortalForm):
    phone = SelectField(_l("Phone"), coerce=str, validators=[DataRequired(_l("Choose a phone."))])
    submit = SubmitField(_l("Next"))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AssignForm(EditPhoneForm):
    keys = MultiCheckboxField(_l("Line keys carrying this extension"), coerce=int, validate_choice=False)
    submit = SubmitField(_l("Add"))


class DirectorySettingsForm(PortalForm):
    directory_enabled = BooleanField(_l("Configure address books on the phone"))
    submit = SubmitField(_l("Save"))
