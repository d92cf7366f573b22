"""Extension forms. Single-field checks live here; rules across fields in app/services/extensions.py."""
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, EmailField, HiddenField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, InputRequired, NumberRange, Optional, Regexp, ValidationError

from app.blueprints.forms_common import (ASCII_DIGITS, LANGUAGE_CHOICES, CompanyPersonFields, PortalForm, WholeNumberField,
                                         choices, column_length, fits)
from app.models.mailbox import Mailbox
from app.models.extension import BusyBehaviour, Extension, ForwardRule, ForwardTarget, SipAccount, TollMode
from app.services import extension_settings as rules
from app.services import extensions, mailboxes
from app.services.extension_settings import ADMIN_FIELDS  # noqa: F401  (the views check posts against it)

DIGITS = ASCII_DIGITS

FORWARD_RULES = [
    (ForwardRule.ALWAYS.value, _l("Always")),
    (ForwardRule.NO_ANSWER.value, _l("When there is no answer")),
    (ForwardRule.RING_BOTH.value, _l("Ring both at the same time")),
    (ForwardRule.PRESS_1.value, _l("Only if the caller presses 1")),
]
FORWARD_TARGETS = [
    (ForwardTarget.EXTERNAL.value, _l("External number")),
    (ForwardTarget.EXTENSION.value, _l("Extension")),
]
BUSY_BEHAVIOURS = [
    (BusyBehaviour.RING.value, _l("Keep ringing")),
    (BusyBehaviour.MESSAGE.value, _l("Play a \"user is on the phone\" message")),
    (BusyBehaviour.VOICEMAIL.value, _l("Send to voicemail")),
]
TOLL_MODES = [
    (TollMode.DISABLED.value, _l("Disabled")),
    (TollMode.WITH_CODE.value, _l("With code")),
    (TollMode.UNLIMITED.value, _l("Unlimited")),
]
TOLL_MODE_LABELS = dict(TOLL_MODES)  # the grid's cells show the form's labels

class NewExtensionForm(CompanyPersonFields, PortalForm):
    number = StringField(_l("Extension number"), validators=[DataRequired(_l("Enter an extension number.")),
                                                              fits(Extension.number)],
                         description=_l("3 to 6 digits."))
    owner_mode = RadioField(_l("Who uses this extension?"), default="new", choices=choices([
        ("new", _l("Create a new user")),
        ("existing", _l("Assign to an existing user")),
        ("admin", _l("Managed by the administrator")),
    ]))
    existing_user = SelectField(_l("User"), validate_choice=False)
    name = StringField(_l("Extension name"), validators=[Optional(), fits(Extension.name)],
                       description=_l("For example: Reception, Conference room."))
    voicemail = BooleanField(_l("Create a voicemail box"), default=True)
    listed = BooleanField(_l("List in the company directory"), default=True)
    submit = SubmitField(_l("Add extension"))

    def __init__(self, *args, company_id: int, users: list, **kwargs):
        super().__init__(*args, company_id=company_id, **kwargs)
        self._user_names = {str(u.id): u.full_name for u in users}
        self.existing_user.choices = choices([("", _l("Choose a user"))] + [(str(u.id), f"{u.full_name} <{u.email}>")
                                                                           for u in users])

    def validate_number(self, field):
        field.data = (field.data or "").strip()
        problem = extensions.number_problem(self._company_id, field.data)
        if problem:
            raise ValidationError(problem)

    def validate(self, extra_validators=None):
        # The person's fields matter only when a new user is being created: whatever was
        # typed in them is dropped, and Optional() on the empty field also stops the inline
        # validate_email check (which queries the database).
        if self.owner_mode.data != "new":
            for name in ("first_name", "last_name", "email"):
                self[name].data = ""
            for name in ("first_name", "last_name", "email", "language"):
                self[name].validators = [Optional()]
        ok = super().validate(extra_validators)
        if self.owner_mode.data == "existing":
            valid_ids = {c.value for c in self.existing_user.choices if c.value}
            if self.existing_user.data not in valid_ids:
                self.existing_user.errors = [_l("Choose a user.")]
                ok = False
        if self.owner_mode.data == "admin" and not (self.name.data or "").strip():
            self.name.errors = [_l("Give the extension a name.")]
            ok = False
        if ok and not (self.name.data or "").strip() and len(self._default_name()) > column_length(Extension.name):
            self.name.errors = [_l("The person's full name is too long to name the extension: enter a shorter "
                                   "extension name.")]
            ok = False
        return ok

    def _default_name(self) -> str:
        """What extensions.add() names the extension when the name is left empty."""
        if self.owner_mode.data == "existing":
            return self._user_names.get(self.existing_user.data, "")
        if self.owner_mode.data == "new":
            return f"{(self.first_name.data or '').strip()} {(self.last_name.data or '').strip()}".strip()
        return ""


class UserSettingsForm(PortalForm):
    """The settings the extension's own user may change (F11.1-F11.10)."""

    version = HiddenField()
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES,
                           description=_l("Voicemail and system prompts, emails, and the phone's display."))
    moh = SelectField(_l("Music on hold"), validate_choice=True)
    ring_seconds = WholeNumberField(_l("Ring for (seconds)"), validators=[
        InputRequired(_l("Enter a number of seconds.")),
        NumberRange(0, 300, _l("Enter a number of seconds from 0 to 300.")),
    ], description=_l("0 = ring forever."))
    dnd = BooleanField(_l("Do not disturb"))
    forward_enabled = BooleanField(_l("Call forwarding"))
    forward_rule = SelectField(_l("Rule"), choices=choices(FORWARD_RULES))
    forward_target = RadioField(_l("Destination"), choices=choices(FORWARD_TARGETS), default="external")
    forward_number = StringField(_l("External number"), validators=[Optional(), DIGITS, fits(Extension.forward_number)])
    forward_extension = SelectField(_l("Extension"), validate_choice=False)
    busy_behaviour = SelectField(_l("When already on a call"), choices=choices(BUSY_BEHAVIOURS))
    voicemail_enabled = BooleanField(_l("Voicemail"))
    voicemail_email = EmailField(_l("Notification email"), validators=[
        Optional(), fits(Mailbox.email), Email(_l("Enter a valid email address."))])
    voicemail_password = StringField(_l("Voicemail PIN"), validators=[
        Optional(), Regexp(r"^[0-9]{4,10}$", message=_l("Enter 4 to 10 digits."))])
    voicemail_email_only = BooleanField(_l("Email only — do not keep messages on the server"))
    findme_enabled = BooleanField(_l("Find-me/follow-me"))
    findme_number = StringField(_l("Number to try next"), validators=[Optional(), DIGITS, fits(Extension.findme_number)])
    findme_ring_seconds = WholeNumberField(_l("Ring the extension first for (seconds)"), validators=[
        Optional(), NumberRange(1, 300, _l("Enter a number of seconds from 1 to 300."))])
    findme_moh = BooleanField(_l("Caller hears music on hold instead of ringing"))
    findme_screen = BooleanField(_l("Ask the caller's name so the call can be screened"))

    def __init__(self, *args, choices_: rules.CompanyChoices, moh_choices: list, extension: Extension,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self._choices, self._extension = choices_, extension
        self.moh.choices = choices([("", _l("Default"))] + moh_choices)
        self.forward_extension.choices = choices(
            [("", _l("Choose an extension"))]
            + [(i, label) for i, label in choices_.extensions.items() if i != str(extension.id)])

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.voicemail_enabled.data and self.voicemail_email_only.data and not self.voicemail_email.data:
            self.voicemail_email.errors = list(self.voicemail_email.errors) + [
                _l("An email address is required when messages are not kept on the server.")]
            ok = False
        if self.voicemail_enabled.data and not self.voicemail_password.data:
            self.voicemail_password.errors = list(self.voicemail_password.errors) + [_l("Choose a voicemail PIN.")]
            ok = False
        elif self.voicemail_password.data and not self.voicemail_password.errors:
            problem = mailboxes.pin_problem(self._extension.number, self.voicemail_password.data)
            if problem:
                self.voicemail_password.errors = list(self.voicemail_password.errors) + [problem]
                ok = False
        values = {name: f.data for name, f in self._fields.items()}
        for name, message in rules.cross_field_problems(self._choices, self._extension, values).items():
            if name in self._fields and message not in self[name].errors:
                self[name].errors = list(self[name].errors) + [message]
                ok = False
        return ok


# What the grid's abbreviations and the product names mean (the grid shows them too).
DND_HINT = _l("DND (do not disturb): callers hear that the line is unavailable.")
UC_LEGACY_HINT = _l("UC Legacy: the earlier unified communications (UC) application for computers. "
                    "This extension may sign in to it.")
UC_DESKTOP_HINT = _l("UC Desktop: the unified communications (UC) application that makes and takes this "
                     "extension's calls on a computer, for $3 per month.")


class AdminSettingsForm(UserSettingsForm):
    """Everything, for the company's administrators (adds F11.12-F11.19)."""

    name = StringField(_l("Extension name"), validators=[DataRequired(_l("Give the extension a name.")),
                                                           fits(Extension.name)])
    owner = SelectField(_l("User"))
    record_incoming = BooleanField(_l("Record incoming calls"))
    record_outgoing = BooleanField(_l("Record outgoing calls"))
    call_pickup = BooleanField(_l("Call pickup: other phones may answer this extension's calls"))
    listed = BooleanField(_l("List in the company directory"))
    long_distance = SelectField(_l("Long distance"), choices=choices(TOLL_MODES))
    long_distance_code = StringField(_l("Long distance access code"), validators=[Optional(), DIGITS, fits(Extension.long_distance_code)])
    international = SelectField(_l("International"), choices=choices(TOLL_MODES))
    international_code = StringField(_l("International access code"), validators=[Optional(), DIGITS, fits(Extension.international_code)])
    uc_legacy = BooleanField(_l("UC Legacy"), description=UC_LEGACY_HINT)
    uc_desktop = BooleanField(_l("UC Desktop"), description=UC_DESKTOP_HINT)
    video = BooleanField(_l("Video"))
    caller_id_name = StringField(_l("Caller ID name"), validators=[
        Optional(), fits(Extension.caller_id_name)],
        description=_l("Accents and special characters do not display on many phones."))
    caller_id_number = SelectField(_l("Caller ID number"), validate_choice=False)
    hide_caller_id = BooleanField(_l("Hide caller ID on all outgoing calls"))
    accept_fee = BooleanField(_l("I accept the UC Desktop fee of $3 per month."))

    def __init__(self, *args, users: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner.choices = choices([("", _l("Managed by the administrator"))]
                                     + [(str(u.id), u.full_name) for u in users])
        self.caller_id_number.choices = choices([("", _l("Company default"))]
                                                + list(self._choices.phone_numbers.items()))


def current_values(extension: Extension) -> MultiDict:
    """The extension's saved settings as form data, so a partial edit can be validated whole."""
    data = MultiDict({
        "version": str(extension.version),
        "language": extension.language,
        "moh": str(extension.moh_id or ""),
        "ring_seconds": str(extension.ring_seconds),
        "forward_rule": extension.forward_rule.value,
        "forward_target": extension.forward_target.value,
        "forward_number": extension.forward_number,
        "forward_extension": str(extension.forward_extension_id or ""),
        "busy_behaviour": extension.busy_behaviour.value,
        "voicemail_email": extension.voicemail_email,
        "voicemail_password": extension.voicemail_password,
        "findme_number": extension.findme_number,
        "findme_ring_seconds": str(extension.findme_ring_seconds),
        "name": extension.name,
        "owner": str(extension.user_id or ""),
        "long_distance": extension.long_distance.value,
        "long_distance_code": extension.long_distance_code,
        "international": extension.international.value,
        "international_code": extension.international_code,
        "caller_id_name": extension.caller_id_name,
        "caller_id_number": str(extension.caller_id_number_id or ""),
    })
    for switch in ("dnd", "forward_enabled", "voicemail_enabled", "voicemail_email_only", "findme_enabled",
                   "findme_moh", "findme_screen", "record_incoming", "record_outgoing", "call_pickup", "listed",
                   "uc_legacy", "uc_desktop", "video", "hide_caller_id"):
        if getattr(extension, switch):
            data[switch] = "y"
    return data



class SoftphoneForm(PortalForm):
    label = StringField(_l("Device name"), validators=[Optional(), fits(SipAccount.label)],
                        description=_l("For example: Laptop, Mobile."))
    accept_fee = BooleanField(_l("I accept the softphone licence fee of $30 for this extension."),
                              validators=[DataRequired(_l("Accept the fee to add a softphone."))])
    submit = SubmitField(_l("Add a softphone"))

