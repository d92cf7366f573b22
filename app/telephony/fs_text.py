"""What may reach FreeSWITCH: one allow-list per kind of field.

FreeSWITCH reads the text of our answers three times, each time with its own
metacharacters (v1.10 sources):

1. mod_xml_curl saves the answer to a file and switch_xml_parse_file() runs the
   preprocessor over it, line by line (switch_xml.c preprocess(); a line ends at CR or
   LF, switch_utils.c switch_fp_read_dline()):
   - `$${name}` is replaced by a global variable anywhere in a line (expand_vars());
   - a line holding "X-pre-process" anywhere, in any case
     (`switch_stristr("X-pre-process", bp)`), is a command when the character before
     it is "<", and is dropped otherwise (`if (*(tcmd - 1) != '<') continue;`): one
     such word in a value removes the element it sits on, or breaks the document;
   - a line holding `<?`, `<include>` or `</include>` is dropped, and `<!--#` starts a
     command: lxml escapes "<" in values, so those can only come from us.
2. Application data and variable values are expanded when they are used
   (switch_channel.c switch_channel_expand_variables_check()): `${name}` and
   `${api(args)}` (which runs an API command, e.g. `system`), recursively inside the
   values of variables; a backslash escapes `$` and `'`.
3. Dial strings split `{a=b,c=d}` / `[a=b]` variable lists on "," (or on the x of a
   leading `^^x`) and legs on "," and "|" (switch_ivr_originate.c), and sofia writes the
   caller-ID name into `From: "<name>" <sip:...>` (sofia_glue.c sofia_glue_do_invite()):
   a quote, a backslash or a line break there rewrites the SIP message.

So nothing is filtered out here: each function keeps what its kind of field needs and
FreeSWITCH cannot misread, and gives a safe fallback for anything else. None of them
lets "$", "\\", a quote (but the typographic ’), a control character or the word
"X-pre-process" through. lxml escapes what XML itself would misread (render.py).
"""
import re
import unicodedata

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
DISPLAY_NAME_LENGTH = 100

# Case-insensitive like switch_stristr(); Python's IGNORECASE also folds a few
# non-ASCII letters (the Kelvin sign for k), which only catches more.
_PREPROCESSOR_WORD = re.compile("x-pre-process", re.IGNORECASE)
_DIGITS = re.compile(r"[0-9]{1,32}")
_E164 = re.compile(r"\+[1-9][0-9]{1,14}")
# SIP usernames, sofia gateway names, SIP passwords: what a phone's menu can type.
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~+-]{0,63}")
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOSTNAME = re.compile(rf"(?=.{{1,253}}\Z){_LABEL}(?:\.{_LABEL})*", re.IGNORECASE)
# RFC 5322 atext without "$", "`", "{", "|", "}" and "^"; "'" is kept (O'Brien): the
# only place an address goes is the mailer's command line, as one argument that
# switch_utils.c switch_util_quote_shell_arg() single-quotes, escaping "'".
_EMAIL_LOCAL = re.compile(r"[A-Za-z0-9!#%&'*+/=?_~-]+(?:\.[A-Za-z0-9!#%&'*+/=?_~-]+)*")
_SOUND_SOURCE = re.compile(r"local_stream://[A-Za-z0-9_-]{1,64}|/[A-Za-z0-9_./-]{1,250}\.(?:wav|mp3)")
# Beyond letters, marks and digits of any script and the space: punctuation with no
# meaning to the preprocessor, the expander, dial strings or a SIP quoted string.
_NAME_PUNCTUATION = frozenset(" .-_&()!?/@#*+’")
_APOSTROPHES = str.maketrans({"'": "’", "`": "’"})


def _inert(value: str) -> bool:
    return not _PREPROCESSOR_WORD.search(value)


def _text(value: object) -> str:
    return "" if value is None else str(value)


def is_digits(value: object) -> bool:
    return bool(_DIGITS.fullmatch(_text(value)))


def digits(value: object, fallback: str = "") -> str:
    """Extension numbers, PINs, access codes: ASCII digits only."""
    text = _text(value)
    return text if is_digits(text) else fallback


def e164(value: object, fallback: str = "") -> str:
    """A phone number as the carrier gets it: + and up to 15 digits."""
    text = _text(value)
    return text if _E164.fullmatch(text) else fallback


def is_token(value: object) -> bool:
    """A SIP username, a sofia gateway name or a SIP password: letters, digits and . _ ~ + -,
    safe as one argument of application data and inside `user@domain`."""
    text = _text(value)
    return bool(_TOKEN.fullmatch(text)) and _inert(text)


def is_hostname(value: object) -> bool:
    """A DNS name (or IPv4 address): what a company SIP domain, and dial-plan context, is."""
    text = _text(value)
    return bool(_HOSTNAME.fullmatch(text)) and _inert(text)


def email(value: object) -> str:
    """One e-mail address with an ASCII local part and a DNS domain, or "" (no mail)."""
    text = _text(value)
    local, at, domain = text.rpartition("@")
    if not at or len(text) > 254 or not _EMAIL_LOCAL.fullmatch(local) or not is_hostname(domain):
        return ""
    return text if _inert(text) else ""


def language(value: object) -> str:
    """A language the portal and the prompts know; anything else is the default."""
    text = _text(value)
    return text if text in LANGUAGES else DEFAULT_LANGUAGE


def is_sound_source(value: object) -> bool:
    """A local stream, or an absolute sound-file path that climbs no directory."""
    text = _text(value)
    return bool(_SOUND_SOURCE.fullmatch(text)) and ".." not in text and _inert(text)


def sound_source(value: object, fallback: str) -> str:
    text = _text(value)
    return text if is_sound_source(text) else fallback


def _name_character(char: str) -> bool:
    return char in _NAME_PUNCTUATION or unicodedata.category(char)[0] in "LM" or unicodedata.category(char) == "Nd"


def display_name(value: object, fallback: str = "") -> str:
    """A caller-ID or company name: letters and marks of any script, digits, spaces and
    a little punctuation; an ASCII apostrophe becomes ’ and anything else a space."""
    text = unicodedata.normalize("NFC", _text(value)).translate(_APOSTROPHES)
    text = " ".join("".join(c if _name_character(c) else " " for c in text).split())
    while True:  # "x-pre-x-pre-processprocess" must not become the word itself
        shorter = _PREPROCESSOR_WORD.sub("", text)
        if shorter == text:
            break
        text = shorter
    text = " ".join(text.split())[:DISPLAY_NAME_LENGTH].strip()
    return text or fallback
