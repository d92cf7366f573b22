from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, SubmitField, TimeField
from wtforms.validators import DataRequired, Optional, ValidationError

from app.blueprints.forms_common import PortalForm, choices, fits
from app.models.company import PhoneNumber
from app.models.schedule import ClosedAction, OpenAction
from app.services import schedules

WEEKDAYS = [_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"), _l("Saturday"),
            _l("Sunday")]
RANGE_PROBLEMS = {
    "format": _l("Write the hours as 9:00-12:00, 13:00-17:00 (24-hour clock)."),
    "step": _l("Use quarter hours: :00, :15, :30 or :45."),
    "inverted": _l("Each range must end after it starts."),
    "overlap": _l("The ranges overlap."),
}


def ranges_field(form, field) -> None:
    ranges, problem = schedules.parse_ranges(field.data or "")
    if problem:
        raise ValidationError(RANGE_PROBLEMS[problem])
    field.ranges = ranges


class LabelForm(PortalForm):
    label = StringField(_l("Label"), validators=[Optional(), fits(PhoneNumber.label)],
                        description=_l("For example: Main line, Fax, Support."))
    submit = SubmitField(_l("Save"))


class HoursForm(PortalForm):
    """Weekly hours, one text field per weekday, and where calls go (G3)."""

    hours_on = RadioField(_l("Opening hours"), default="0", choices=choices([
        ("0", _l("Open at all hours")), ("1", _l("Open during the weekly hours below"))]))
    day0 = StringField(WEEKDAYS[0], validators=[ranges_field])
    day1 = StringField(WEEKDAYS[1], validators=[ranges_field])
    day2 = StringField(WEEKDAYS[2], validators=[ranges_field])
    day3 = StringField(WEEKDAYS[3], validators=[ranges_field])
    day4 = StringField(WEEKDAYS[4], validators=[ranges_field])
    day5 = StringField(WEEKDAYS[5], validators=[ranges_field])
    day6 = StringField(WEEKDAYS[6], validators=[ranges_field])
    open_action = RadioField(_l("When open"), choices=choices([
        (OpenAction.GREETING.value, _l("Play the company greeting: the caller dials an extension, 8500 for "
                                       "voicemail or 0 for the operator")),
        (OpenAction.EXTENSION.value, _l("Ring an extension"))]))
    open_extension = SelectField(_l("Extension to ring"), validate_choice=False)
    operator_extension = SelectField(_l("Operator (0 during the greeting)"), validate_choice=False)
    closed_action = RadioField(_l("When closed"), choices=choices([
        (ClosedAction.HANGUP.value, _l("Play the closed greeting, then hang up")),
        (ClosedAction.VOICEMAIL.value, _l("Play the closed greeting, then a voicemail box"))]))
    closed_box = SelectField(_l("Voicemail box"), validate_choice=False)
    submit = SubmitField(_l("Save"))

    def day_fields(self):
        return [self[f"day{d}"] for d in range(7)]

    def set_choices(self, extensions: list[tuple[str, str]], boxes: list[tuple[str, str]]) -> None:
        none = [("", _l("None"))]
        self.open_extension.choices = choices(none + extensions)
        self.operator_extension.choices = choices(none + extensions)
        self.closed_box.choices = choices(none + boxes)
        self._extensions = {value for value, _ in extensions}
        self._boxes = {value for value, _ in boxes}

    def validate_open_extension(self, field):
        if field.data and field.data not in self._extensions:
            raise ValidationError(_l("Choose one of the company's extensions."))
        if self.open_action.data == OpenAction.EXTENSION.value and not field.data:
            raise ValidationError(_l("Choose the extension to ring."))

    def validate_operator_extension(self, field):
        if field.data and field.data not in self._extensions:
            raise ValidationError(_l("Choose one of the company's extensions."))

    def validate_closed_box(self, field):
        if field.data and field.data not in self._boxes:
            raise ValidationError(_l("Choose one of the company's voicemail boxes."))
        if self.closed_action.data == ClosedAction.VOICEMAIL.value and not field.data:
            raise ValidationError(_l("Choose the voicemail box."))


class ExceptionForm(PortalForm):
    """Days picked in the calendar (checkboxes named `days`, MM-DD), closed all day or
    during some hours. The days are read by the view (request.form.getlist)."""

    all_day = RadioField(_l("Closed"), default="1", choices=choices([
        ("1", _l("All day")), ("0", _l("During these hours only"))]))
    hours = StringField(_l("Closed hours"), description=_l("For example 12:00-13:00, 16:00-17:00."),
                        validators=[ranges_field])
    submit = SubmitField(_l("Add the exceptions"))

    def validate_hours(self, field):
        if self.all_day.data == "0" and not getattr(field, "ranges", None):
            raise ValidationError(_l("Enter the closed hours, or choose All day."))


class HolidayForm(PortalForm):
    region = SelectField(_l("Province or territory"), default="QC")
    submit = SubmitField(_l("Add the statutory holidays"))


class SimulateForm(PortalForm):
    class Meta:
        csrf = False  # a GET question: it changes nothing

    caller = StringField(_l("Caller's number"), description=_l("Leave empty for a withheld number."),
                         validators=[Optional(), fits(PhoneNumber.e164)])
    day = DateField(_l("Date"), validators=[DataRequired(_l("Choose a date."))])
    time = TimeField(_l("Time"), validators=[DataRequired(_l("Choose a time."))])
    submit = SubmitField(_l("Show the call path"))

    def validate_caller(self, field):
        text = (field.data or "").strip()
        digits = text[1:] if text.startswith("+") else text
        if text and not (digits.isascii() and digits.isdigit()):
            raise ValidationError(_l("Digits only, no spaces or dashes."))


class GreetingForm(PortalForm):
    which = RadioField(_l("Greeting"), default="open", choices=choices([
        ("open", _l("Company greeting (when open)")), ("closed", _l("Closed greeting"))]))
    audio = FileField(_l("Audio file (WAV or MP3)"))
    submit = SubmitField(_l("Upload"))


class GreetingResetForm(PortalForm):
    which = RadioField(_l("Greeting"), choices=choices([("open", "open"), ("closed", "closed")]))
