"""What a value from the database may carry into a phone's file."""
import re

# C0 and C1 controls, DEL, and the Unicode line and paragraph separators: none is text a
# phone shows, XML 1.0 refuses most of them, and a line break would start a new
# Yealink key.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_DIGITS = re.compile(r"^[0-9*#]{1,32}$")


def label(value: str, limit: int = 40) -> str:
    """A name or label: control characters become a space, at most `limit` characters
    (Polycom's directory holds 40 bytes a name)."""
    return " ".join(_CONTROLS.sub(" ", value or "").split())[:limit]


def dialable(value: str) -> str:
    """A number the phone dials: digits, * and # only; anything else is refused."""
    if not _DIGITS.match(value or ""):
        raise ValueError(f"not a dialable number: {value!r}")
    return value
