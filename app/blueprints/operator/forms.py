from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.blueprints.forms_common import LANGUAGE_CHOICES, PersonFields, PortalForm, choices, fits
from app.models.company import Company, PhoneNumber
from app.models.extension import MusicOnHold
from app.services import companies
from app.services.phone_numbers import normalize_did


class CompanyEditForm(PortalForm):
    """What the operator may change of a company; its SIP domain is fixed (phones use it)."""

    name = StringField(_l("Company name"), validators=[DataRequired(_l("Enter the company's name.")),
                                                        fits(Company.name)])
    time_zone = SelectField(_l("Time zone"), default="America/Toronto")
    language = SelectField(_l("Default language"), choices=LANGUAGE_CHOICES)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale = str(get_locale() or "fr")
        self.time_zone.choices = choices((zone, companies.time_zone_label(zone, locale))
                                         for zone in companies.COMMON_TIME_ZONES)


class CompanyForm(CompanyEditForm):
    sip_domain = StringField(_l("SIP domain"), validators=[DataRequired(_l("Enter the SIP domain.")),
                                                              fits(Company.sip_domain)],
                             description=_l("The domain phones register to, e.g. acme.voice.example."))
    submit = SubmitField(_l("Create the company"))

    def validate_sip_domain(self, field):
        domain = companies.normalize_domain(field.data or "")
        if domain is None:
            raise ValidationError(_l("Enter a domain name such as acme.voice.example."))
        if companies.domain_taken(domain):
            raise ValidationError(_l("Another company already uses this domain."))
        field.data = domain


class PhoneNumberForm(PortalForm):
    number = StringField(_l("Phone number"), validators=[DataRequired(_l("Enter a phone number.")), Length(max=32)],
                         description=_l("10 digits, or an international number starting with +."))
    label = StringField(_l("Label"), validators=[Optional(), fits(PhoneNumber.label)],
                        description=_l("For example: Main line, Fax, Support."))
    submit = SubmitField(_l("Add the number"))

    def validate_number(self, field):
        e164 = normalize_did(field.data or "")
        if e164 is None:
            raise ValidationError(_l("Enter a valid phone number: 10 digits, or + and the country code."))
        if companies.number_taken(e164):
            raise ValidationError(_l("This number is already assigned."))
        field.data = e164


class AdminForm(PersonFields, PortalForm):
    submit = SubmitField(_l("Create the administrator"))



class MusicOnHoldForm(PortalForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter a name.")), fits(MusicOnHold.name)])
    source = StringField(_l("Source"), validators=[DataRequired(_l("Enter the source.")), fits(MusicOnHold.source)],
                         description=_l("What FreeSWITCH plays: local_stream://<name>, or a sound file path."))
    submit = SubmitField(_l("Add"))

    def validate_name(self, field):
        from app.services.music_on_hold import name_taken

        if name_taken(field.data):
            raise ValidationError(_l("This name is already in the list."))

    def validate_source(self, field):
        from app.services.music_on_hold import valid_source

        if not valid_source(field.data):
            raise ValidationError(_l("Use local_stream://name or an absolute path to a .wav or .mp3 file."))
