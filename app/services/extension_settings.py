"""Saving an extension's settings (F3, F11, F12): the one write path that the
settings page and the quick-edit grid share.

The forms check single fields and call `cross_field_problems()` for the rules that
tie fields together; `save()` then checks what only the saved row can tell (was it
changed meanwhile, is a newly billed service accepted), writes, records the billing
event and what FreeSWITCH must re-read, and says what the next call will do.
"""
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.flask_extensions import db
from app.models.company import PhoneNumber
from app.models.extension import BusyBehaviour, Extension, ForwardTarget, ForwardRule, TollMode
from app.services import billing, outbound
from app.services.calls.handling import Handling, decide
from app.services.extensions import directory_usernames
from app.telephony import outbox

# The settings the extension's own user may change (F11.1-F11.10), and those only an
# administrator may (F11.12-F11.19). Switches and text are copied as they are; choices
# are stored as their enum.
USER_SETTINGS = (
    "language", "ring_seconds", "dnd", "forward_enabled", "forward_number", "voicemail_enabled",
    "voicemail_email", "voicemail_password", "voicemail_email_only", "findme_enabled", "findme_number",
    "findme_ring_seconds", "findme_moh", "findme_screen",
)
USER_CHOICES = {"forward_rule": ForwardRule, "forward_target": ForwardTarget, "busy_behaviour": BusyBehaviour}
USER_REFERENCES = ("moh", "forward_extension")
ADMIN_SETTINGS = (
    "name", "record_incoming", "record_outgoing", "call_pickup", "listed", "long_distance_code",
    "international_code", "uc_legacy", "uc_desktop", "video", "caller_id_name", "hide_caller_id",
)
ADMIN_CHOICES = {"long_distance": TollMode, "international": TollMode}
ADMIN_REFERENCES = ("owner", "caller_id_number")
# Everything a plain user must not post (they get 403 if they do).
ADMIN_FIELDS = ADMIN_SETTINGS + tuple(ADMIN_CHOICES) + ADMIN_REFERENCES + ("accept_fee",)


@dataclass(frozen=True)
class CompanyChoices:
    """The company's extensions and phone numbers, loaded once for a form or a whole grid."""

    extensions: dict[str, str]  # id -> "number name"
    phone_numbers: dict[str, str]  # id -> national format

    @classmethod
    def load(cls, company_id: int) -> "CompanyChoices":
        extensions = db.session.execute(
            select(Extension.id, Extension.number, Extension.name)
            .where(Extension.company_id == company_id).order_by(Extension.number)
        ).all()
        phone_numbers = db.session.execute(
            select(PhoneNumber).where(PhoneNumber.company_id == company_id).order_by(PhoneNumber.e164)
        ).scalars().all()
        return cls({str(i): f"{n} {name}" for i, n, name in extensions},
                   {str(p.id): p.national for p in phone_numbers})


def _toll_mode(value, saved: TollMode) -> TollMode:
    try:
        return TollMode(value) if value else saved
    except ValueError:  # a refused choice: its own field reports it
        return saved


def cross_field_problems(choices: CompanyChoices, extension: Extension | None, values: dict) -> dict[str, object]:
    """Rules that tie several fields together (F3, F11). `values` holds the submitted data
    (strings for choices, bool for switches). Returns {field: message}."""
    problems: dict[str, object] = {}
    # Users do not post the permissions: their extension's saved ones apply.
    saved = extension.long_distance if extension is not None else TollMode.DISABLED
    long_distance = _toll_mode(values.get("long_distance"), saved)
    target = str(values.get("forward_extension") or "")
    if target and target not in choices.extensions:  # kept while forwarding is off: still ours only
        problems["forward_extension"] = _l("Choose an extension of your company.")
    if values.get("forward_enabled") and "forward_extension" not in problems:
        if values.get("forward_target") == ForwardTarget.EXTENSION.value:
            target = values.get("forward_extension") or ""
            if not target:
                problems["forward_extension"] = _l("Choose the extension calls go to.")
            elif extension is not None and str(target) == str(extension.id):
                problems["forward_extension"] = _l("An extension cannot forward to itself.")
            elif str(target) not in choices.extensions:
                problems["forward_extension"] = _l("Choose an extension of your company.")
        else:
            number = values.get("forward_number") or ""
            if not number:
                problems["forward_number"] = _l("Enter the number calls go to.")
            elif extension is not None and number == extension.number:
                problems["forward_number"] = _l("An extension cannot forward to itself.")
            else:
                problem = outbound.forward_problem(number, long_distance)
                if problem:
                    problems["forward_number"] = problem
        if values.get("findme_enabled"):
            problems["findme_enabled"] = _l("Find-me/follow-me can only be turned on while call forwarding is off.")
    if values.get("findme_enabled") and "findme_enabled" not in problems:
        number = values.get("findme_number") or ""
        if not number:
            problems["findme_number"] = _l("Enter the number to try next.")
        else:
            problem = outbound.forward_problem(number, long_distance)
            if problem:
                problems["findme_number"] = problem
    for kind in ("long_distance", "international"):
        if values.get(kind) == TollMode.WITH_CODE.value and not outbound.is_access_code(values.get(f"{kind}_code") or ""):
            problems[f"{kind}_code"] = _l("Enter an access code of 4 to 8 digits.")
    name, number_id = (values.get("caller_id_name") or "").strip(), values.get("caller_id_number") or ""
    if bool(name) != bool(number_id):
        problems["caller_id_name" if not name else "caller_id_number"] = _l("Caller ID needs both a name and a number.")
    elif number_id and str(number_id) not in choices.phone_numbers:
        problems["caller_id_number"] = _l("Choose one of your company's numbers.")
    return problems


@dataclass
class Saved:
    """`problems` ({field: message}) when nothing was written; else what the next call does."""

    problems: dict[str, object] = field(default_factory=dict)
    handling: Handling | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


CONCURRENT_EDIT = _l("Someone else saved this extension after you opened it. Reload the page to see their "
                     "changes, then make yours again.")
FEE_NOT_ACCEPTED = _l("Accept the fee to turn on UC Desktop.")


def save(extension: Extension, data: dict, *, admin: bool, by_user_id: int | None) -> Saved:
    """Save validated form data (`data["version"]`: the version the person saw;
    `data["accept_fee"]`: the UC Desktop fee accepted). Nothing is written when a
    problem is returned. The caller commits."""
    if str(data.get("version")) != str(extension.version):
        return Saved({"version": CONCURRENT_EDIT})
    if admin and data.get("uc_desktop") and not extension.uc_desktop and not data.get("accept_fee"):
        return Saved({"accept_fee": FEE_NOT_ACCEPTED})  # F11.19, F12: the grid asks too
    had_uc_desktop = extension.uc_desktop
    _apply(extension, data, admin)
    billing.record_uc_desktop_turned_on(had_uc_desktop, extension, by_user_id)
    # Every account's cached entry carries the extension's settings.
    outbox.directory_users(extension.company.sip_domain, directory_usernames(extension))
    return Saved(handling=decide(extension))


def _reference(data: dict, name: str) -> int | None:
    value = data.get(name)
    return int(value) if value not in (None, "") and str(value).isdigit() else None


def _apply(extension: Extension, data: dict, admin: bool) -> None:
    """Copy validated form data onto the extension. Only administrators change admin settings."""
    names = USER_SETTINGS + (ADMIN_SETTINGS if admin else ())
    for name in names:
        if name in data and data[name] is not None:
            value = data[name]
            setattr(extension, name, value.strip() if isinstance(value, str) else value)
    for name, enum_class in (USER_CHOICES | ADMIN_CHOICES if admin else USER_CHOICES).items():
        if data.get(name):
            setattr(extension, name, enum_class(data[name]))
    extension.moh_id = _reference(data, "moh")
    extension.forward_extension_id = _reference(data, "forward_extension")
    if admin:
        extension.caller_id_number_id = _reference(data, "caller_id_number")
        if "owner" in data:
            extension.user_id = _reference(data, "owner")
    # Codes are kept only while they are in use.
    if extension.long_distance is not TollMode.WITH_CODE:
        extension.long_distance_code = ""
    if extension.international is not TollMode.WITH_CODE:
        extension.international_code = ""
