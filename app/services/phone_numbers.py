"""Phone numbers as the portal stores them: E.164 for company DIDs."""
import re

_NANP = re.compile(r"^[2-9]\d{2}[2-9]\d{6}$")


def normalize_did(text: str) -> str | None:
    """'+1 (514) 555-0100', '15145550100' or '5145550100' → '+15145550100'; None if not a DID."""
    raw = text.strip()
    digits = re.sub(r"[\s().\-]", "", raw)
    if digits.startswith("+"):
        body = digits[1:]
        if not body.isdigit():
            return None
        if body.startswith("1"):
            return f"+{body}" if _NANP.match(body[1:]) else None
        return f"+{body}" if 8 <= len(body) <= 15 else None
    if not digits.isdigit():
        return None
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return f"+1{digits}" if _NANP.match(digits) else None
