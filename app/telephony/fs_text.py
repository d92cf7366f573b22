"""Database text made inert before it reaches FreeSWITCH's XML.

FreeSWITCH expands what it reads twice: its preprocessor replaces `$${name}` and
acts on `X-pre-process` when it reads an xml_curl answer (switch_xml.c,
preprocess()), and `${var}` / `${api(args)}` (which runs an API command) are
expanded when application data or a variable is used
(switch_channel_expand_variables()). Our own constants use both on purpose.
"""
import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_EXPANSION = re.compile(r"[${}]|x-pre-process", re.IGNORECASE)
_SEPARATORS = re.compile(r"[,\[\]'\"\\^|;:]")


def fs_text(value: object) -> str:
    """Text with nothing FreeSWITCH would expand or preprocess."""
    if value is None:
        return ""
    return _EXPANSION.sub("", _CONTROL.sub("", str(value))).strip()


def fs_label(value: object) -> str:
    """Inert text that is also free of the separators of bridge strings and of
    {var=value} / [var=value] lists: for values placed inside those."""
    return " ".join(_SEPARATORS.sub(" ", fs_text(value)).split())
