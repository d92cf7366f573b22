"""Calls that leave the company: what class a dialled number is, whether the calling
extension may make it, and with which caller ID (G14, F11.15, F11.17, F11.18).

Numbers are checked with `phonenumbers` (app/services/phone_numbers.py). The dial
plan (app/services/calls/) turns these answers into FreeSWITCH applications.
"""
import enum

from flask_babel import lazy_gettext as _l

from app.models.extension import Extension, TollMode
from app.services import phone_numbers
from app.telephony import dial_codes

INTERNATIONAL_PREFIX = "011"


class CallClass(str, enum.Enum):
    EMERGENCY = "emergency"
    LOCAL = "local"
    LONG_DISTANCE = "long_distance"
    INTERNATIONAL = "international"


def classify(number: str) -> CallClass | None:
    """The class of a dialled number, or None when it is not a number we send out."""
    if number == dial_codes.EMERGENCY:
        return CallClass.EMERGENCY
    if phone_numbers.is_nanp(number):
        return CallClass.LOCAL  # 10 digits
    if number.startswith("1") and phone_numbers.is_nanp(number[1:]):
        return CallClass.LONG_DISTANCE  # 1 + 10 digits
    if number.startswith(INTERNATIONAL_PREFIX) and phone_numbers.is_international(number[3:]):
        return CallClass.INTERNATIONAL  # 011 + country code + number
    return None


def permission(extension: Extension, call_class: CallClass) -> TollMode:
    """Emergency and local calls are always allowed; the two toll classes follow F11.15."""
    if call_class is CallClass.LONG_DISTANCE:
        return extension.long_distance
    if call_class is CallClass.INTERNATIONAL:
        return extension.international
    return TollMode.UNLIMITED


def access_code(extension: Extension, call_class: CallClass) -> str | None:
    """The code a "With code" class asks for; None when the stored code is unusable
    (the form requires 4 to 8 digits: anything else refuses the call rather than
    letting it through)."""
    code = {CallClass.LONG_DISTANCE: extension.long_distance_code,
            CallClass.INTERNATIONAL: extension.international_code}.get(call_class) or ""
    return code if is_access_code(code) else None


def is_access_code(code: str) -> bool:
    """G14: an access code is 4 to 8 digits."""
    return phone_numbers.is_ascii_digits(code) and 4 <= len(code) <= 8


def gateway_number(number: str, call_class: CallClass) -> str:
    """The number as the carrier receives it: E.164, except the emergency code."""
    if call_class is CallClass.EMERGENCY:
        return number
    if call_class is CallClass.LOCAL:
        return "+1" + number
    if call_class is CallClass.LONG_DISTANCE:
        return "+" + number
    return "+" + number[3:]  # 011 + country code + number


def forward_problem(number: str, long_distance: TollMode):
    """Why calls may not be sent on to this external number (forwarding, find-me/follow-me),
    as a message for the form, or None. A forwarded caller cannot type an access code, so
    long distance needs Unlimited (F3); international is not a forwarding destination (G14)."""
    if not phone_numbers.is_ascii_digits(number):
        return _l("Digits only, no spaces or dashes.")
    call_class = classify(number)
    if call_class not in (CallClass.LOCAL, CallClass.LONG_DISTANCE):
        return _l("Enter 10 digits, or 11 digits starting with 1.")
    if call_class is CallClass.LONG_DISTANCE and long_distance is not TollMode.UNLIMITED:
        return _l("This number is not allowed by this extension's calling permissions.")
    return None


def forward_allowed(extension: Extension, number: str) -> bool:
    """The portal's rule checked again at call time: permissions may have changed since
    the number was saved."""
    return forward_problem(number, extension.long_distance) is None


def outside_identity(cid_name: str, cid_number: str | None, company_name: str,
                     main_number: str | None) -> tuple[str, str] | None:
    """The caller ID shown outside the company (F11.17): the extension's override when
    both its name and number are set, else the company name and its first number.
    None when the company has no number at all."""
    if cid_name and cid_number:
        return cid_name, cid_number
    if main_number:
        return company_name, main_number
    return None


def extension_outside_identity(extension: Extension, company_name: str,
                               main_number: str | None) -> tuple[str, str] | None:
    number = extension.caller_id_number
    own = number.e164 if number is not None and number.company_id == extension.company_id else None
    return outside_identity(extension.caller_id_name, own, company_name, main_number)
