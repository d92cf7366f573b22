"""The captured ESL events (tests/fixtures/freeswitch/esl-events.txt) as header dicts,
decoded as FreeSWITCH's JSON events carry them (plain events percent-encode each value)."""
import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote

CAPTURE = Path(__file__).resolve().parents[1] / "fixtures" / "freeswitch" / "esl-events.txt"
_BLOCK = re.compile(r"^##### \[(\d+)\][^\n]*\n(.*?)(?=^##### |\Z)", re.M | re.S)


@cache
def events() -> tuple[dict, ...]:
    found = []
    for match in _BLOCK.finditer(CAPTURE.read_text()):
        headers = {"_seq": int(match.group(1))}
        for line in match.group(2).splitlines():
            name, sep, value = line.partition(": ")
            if sep:
                headers[name] = unquote(value)
        if "Event-Name" in headers:
            found.append(headers)
    return tuple(found)


def named(name: str, subclass: str | None = None) -> list[dict]:
    return [dict(e) for e in events() if e["Event-Name"] == name
            and (subclass is None or e.get("Event-Subclass") == subclass)]
