"""Dial-plan numbers: feature codes and reserved extensions.

The one place these decisions live (ARCHITECTURE.md "Dial plan numbers"): the
extension forms and the xml_curl dial plan both read them from here.
"""
import re

VOICEMAIL_MENU = "8500"          # asks for the mailbox, then its password
OWN_VOICEMAIL = "*97"            # the phone's envelope key
PARK = "700"                     # valet_park <lot> auto in 701 709
PARK_SLOTS = tuple(str(n) for n in range(701, 710))
GROUP_PICKUP = "*8"
DIRECTED_PICKUP_PREFIX = "**"    # **NNN picks up extension NNN
EMERGENCY = "911"
VOICEMAIL_DEPOSIT_PREFIX = "*99"  # *99101 = leave a message in box 101 (no ringing)
TOLL_REFUSED = "toll-refused"     # where a wrong toll access code ends the call
WRONG_ENTRY = "wrong-entry"       # where three wrong entries (greeting choice, exception password) end
EXCEPTION_MESSAGE = "*56"         # F6.7: record the exception message (asks the company's password)
VOICEMAIL_LOGIN_PREFIX = "*98"    # *98101 = log in to box 101 (its PIN is asked)
VOICEMAIL_STAR = "*96"            # voicemail.conf's vmain-extension: the box's * destination
VOICEMAIL_HANGUP = "voicemail-hangup"  # a box's 0 or * that ends the call
ATTENDANT = "attendant"          # the company greeting of the main number, as a box's 0 or *
BOX_SESSION = "voicemail-box"     # a box's menus after its password; -<keys> for the next one

N11_CODES = frozenset(f"{d}11" for d in range(2, 10))  # 211 ... 911

EXTENSION_PATTERN = re.compile(r"[1-9][0-9]{2,5}")  # 3 to 6 ASCII digits, never a leading 0


def is_valid_extension_number(number: str) -> bool:
    """3 to 6 digits, not starting with 0, and not a reserved code."""
    return extension_number_problem(number) is None


def extension_number_problem(number: str) -> str | None:
    """Why `number` cannot be an extension: "format", "leading_zero", "service" (N11),
    "park" or "voicemail"; None when it can."""
    if EXTENSION_PATTERN.fullmatch(number):
        if number in N11_CODES:
            return "service"
        if number == PARK or number in PARK_SLOTS:
            return "park"
        if number == VOICEMAIL_MENU:
            return "voicemail"
        return None
    if re.fullmatch(r"0[0-9]{2,5}", number):
        return "leading_zero"
    return "format"
