"""Phone numbers, parsed and formatted by `phonenumbers` (libphonenumber's metadata):
company DIDs stored in E.164, and the North American shapes of dialled numbers (G14)."""
import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

HOME_REGION = "CA"  # the North American Numbering Plan: 10 digits read as +1


def _parse(text: str, region: str | None = HOME_REGION) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, region)
    except NumberParseException:
        return None


def normalize_did(text: str) -> str | None:
    """'+1 (514) 555-0100', '15145550100' or '5145550100' -> '+15145550100'; None if it is
    not a valid number (an international DID needs its + and country code)."""
    number = _parse(text.strip())
    if number is None or not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def national(e164: str) -> str:
    """How a North American reads it: (514) 555-0100; other countries in international form."""
    number = _parse(e164, None)
    if number is None:
        return e164
    style = PhoneNumberFormat.NATIONAL if number.country_code == 1 else PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)


def is_ascii_digits(text: str) -> bool:
    """Only 0-9: str.isdigit() also accepts other scripts' digits, which no phone dials."""
    return bool(text) and text.isascii() and text.isdigit()


def is_nanp(digits: str) -> bool:
    """Ten digits that make a valid North American number (area code and exchange included)."""
    if len(digits) != 10 or not is_ascii_digits(digits):
        return False
    number = _parse("+1" + digits, None)
    return number is not None and phonenumbers.is_valid_number(number)


def is_international(digits: str) -> bool:
    """A country code and number, as dialled after 011, that could exist (the carrier
    decides the rest); North American numbers are dialled with 1, not 011."""
    if not is_ascii_digits(digits):
        return False
    number = _parse("+" + digits, None)
    return number is not None and number.country_code != 1 and phonenumbers.is_possible_number(number)


def dialled_national(digits: str) -> str:
    """A dialled outside number as people read it: (514) 555-0100, 1 (514) 555-0100."""
    if len(digits) == 11 and digits.startswith("1") and is_nanp(digits[1:]):
        return "1 " + national("+" + digits)
    if is_nanp(digits):
        return national("+1" + digits)
    return digits


# What a caller presents when it hides its number (F10.5): never a number to filter on.
WITHHELD = frozenset({"", "anonymous", "private", "unknown", "unavailable", "restricted", "withheld"})


def presented_digits(caller_id_number: str, privacy_hides_number: bool = False) -> str | None:
    """The digits a restriction rule is matched against, or None when the caller presents no
    number. NANP numbers as the carrier sends them (+15145550100, 15145550100) lose the
    country code when 10 digits remain; other numbers keep their digits without the +."""
    text = (caller_id_number or "").strip()
    if privacy_hides_number or text.lower() in WITHHELD:
        return None
    digits = text[1:] if text.startswith("+") else text
    if not is_ascii_digits(digits):
        return None
    if len(digits) == 11 and digits.startswith("1"):
        return digits[1:]
    return digits
