"""Yealink T4x files: `<mac>.cfg` (`#!version:1.0.0.1`, then `key = value` lines) and the
remote phonebook (YealinkIPPhoneDirectory).

Key names are those of Yealink's Auto Provisioning Guide for the T4x series. A value
from the database is a label (control characters, line breaks included, are taken
out, so it can never start a second key) or a number of digits; nothing else reaches
the file.
"""
from lxml import etree

from app.provisioning.text import dialable, label
from app.services.provisioning import PhoneFiles

HEADER = "#!version:1.0.0.1"  # the first line Yealink phones require
SIP_PORT = "5060"
LINE, BLF, NOTHING = "15", "16", "0"  # linekey.x.type
LANGUAGES = {"fr": "French", "en": "English"}
# local_time.time_zone_name: the entry of the phone's own time zone list whose daylight
# saving rules it applies (summer_time = 2, automatic). A zone not here gets its offset
# alone.
TIME_ZONE_NAMES = {
    "America/St_Johns": "Canada-New Foundland(St.Johns)",
    "America/Halifax": "Canada(Halifax,Saint John)",
    "America/Moncton": "Canada(Halifax,Saint John)",
    "America/Toronto": "Canada(Montreal,Ottawa,Quebec)",
    "America/Winnipeg": "Canada-Manitoba(Winnipeg)",
    "America/Edmonton": "Canada(Edmonton,Calgary)",
    "America/Vancouver": "Canada(Vancouver,Whitehorse)",
    "America/New_York": "United States-Eastern Time",
    "America/Chicago": "United States-Central Time",
    "America/Denver": "United States-Mountain Time",
    "America/Phoenix": "United States-MST no DST",
    "America/Los_Angeles": "United States-Pacific Time",
}


def _offset(minutes: int) -> str:
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours}" + (f":{rest:02d}" if rest else "")


def _pairs(files: PhoneFiles, phonebook_url: str | None) -> list[tuple[str, str]]:
    pairs = [
        # local_time.*: the standard offset; summer_time 2 = automatic, 0 = none.
        ("local_time.time_zone", _offset(files.utc_offset_minutes)),
        *([("local_time.time_zone_name", TIME_ZONE_NAMES[files.time_zone])]
          if files.time_zone in TIME_ZONE_NAMES else []),
        ("local_time.summer_time", "2" if files.daylight_saving else "0"),
        # A check-sync NOTIFY ("Reboot phone", F9.8) makes the phone fetch its files and
        # restart, as the Polycoms do.
        ("sip.notify_reboot_enable", "1"),
        ("lang.gui", LANGUAGES.get(files.language, "English")),
        ("lang.wui", LANGUAGES.get(files.language, "English")),
    ]
    for line in files.lines:
        n = line.account
        pairs += [
            # account.x.*: one SIP account per extension carried by the phone.
            (f"account.{n}.enable", "1"),
            (f"account.{n}.label", label(f"{line.number} {line.name}", 16)),
            (f"account.{n}.display_name", label(line.name)),
            (f"account.{n}.auth_name", line.username),
            (f"account.{n}.user_name", line.username),
            (f"account.{n}.password", line.password),
            (f"account.{n}.sip_server.1.address", files.domain),
            (f"account.{n}.sip_server.1.port", SIP_PORT),
            (f"account.{n}.subscribe_mwi", "1"),
            (f"voice_mail.number.{n}", dialable(files.voicemail)),
        ]
    keys: dict[int, list[tuple[str, str]]] = {}
    for line in files.lines:
        for key in line.keys:
            keys[key] = [("type", LINE), ("line", str(line.account)), ("label", label(line.number, 16))]
    favourites = [c for c in files.contacts if c.favourite]
    for contact, key in zip(favourites, files.free_keys):
        # A BLF key subscribes to the extension on the first account and dials it.
        keys[key] = [("type", BLF), ("line", "1"), ("value", dialable(contact.number)),
                     ("label", label(f"{contact.first_name} {contact.last_name}", 16))]
    for key in range(1, files.model.line_keys + 1):
        for name, value in keys.get(key, [("type", NOTHING)]):
            pairs.append((f"linekey.{key}.{name}", value))
    if phonebook_url:
        # remote_phonebook.data.x.*: the directory the phone downloads (F9).
        pairs += [("features.remote_phonebook.enable", "1"),
                  ("remote_phonebook.data.1.url", phonebook_url),
                  ("remote_phonebook.data.1.name", "Switchboard")]
    return pairs


def config(files: PhoneFiles, phonebook_url: str | None) -> bytes:
    lines = [HEADER] + [f"{key} = {value}" for key, value in _pairs(files, phonebook_url)]
    if any("\n" in text or "\r" in text for text in lines):  # text.label() and dialable() see to it
        raise ValueError("a line break in a Yealink value")
    return ("\n".join(lines) + "\n").encode("utf-8")


def phonebook(files: PhoneFiles) -> bytes:
    root = etree.Element("YealinkIPPhoneDirectory")
    for contact in files.contacts:
        entry = etree.SubElement(root, "DirectoryEntry")
        etree.SubElement(entry, "Name").text = label(f"{contact.first_name} {contact.last_name}")
        etree.SubElement(entry, "Telephone").text = dialable(contact.number)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
