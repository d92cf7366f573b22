"""Dial-plan numbers: feature codes, reserved extensions, outbound number classes.

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

N11_CODES = frozenset(f"{d}11" for d in range(2, 10))  # 211 ... 911
RESERVED = N11_CODES | {PARK, *PARK_SLOTS, VOICEMAIL_MENU}

EXTENSION_PATTERN = re.compile(r"^[1-9]\d{2,5}$")  # 3 to 6 digits, never a leading 0


def is_valid_extension_number(number: str) -> bool:
    """3 to 6 digits, not starting with 0, and not a reserved code."""
    return bool(EXTENSION_PATTERN.match(number)) and number not in RESERVED


# Outbound numbers, North American plan (G14).
LOCAL = re.compile(r"^[2-9]\d{2}[2-9]\d{6}$")                 # 10 digits
LONG_DISTANCE = re.compile(r"^1[2-9]\d{2}[2-9]\d{6}$")        # 1 + 10 digits
INTERNATIONAL = re.compile(r"^011\d{7,15}$")                  # 011 + country + number


def is_external_number(number: str) -> bool:
    """A number the portal accepts as an external destination: 10 digits, or 11 starting with 1."""
    return bool(LOCAL.match(number) or LONG_DISTANCE.match(number))
