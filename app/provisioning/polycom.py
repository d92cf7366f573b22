"""Polycom VVX files (UC Software): `<mac>.cfg` of XML parameters, `<mac>-directory.xml`.

Parameter names are those of the Polycom UC Software Administrator Guide; every value
goes through lxml, which escapes it, after text.label() took out control characters.
"""
from lxml import etree

from app.provisioning.text import dialable, label
from app.services.provisioning import PhoneFiles

SIP_PORT = "5060"
# lcl.ml.lang takes a language_country name from the phone's list.
LANGUAGES = {"fr": "French_Canada", "en": "English_Canada"}


def _parameters(files: PhoneFiles) -> dict[str, str]:
    params: dict[str, str] = {
        # voIpProt.server.x.*: the default server of every registration.
        "voIpProt.server.1.address": files.domain,
        "voIpProt.server.1.port": SIP_PORT,
        # A check-sync NOTIFY (F9.8, "Reboot phone") makes the phone fetch its files and
        # restart even when it believes nothing changed.
        "voIpProt.SIP.specialEvent.checkSync.alwaysReboot": "1",
        # tcpIpApp.sntp.*: the clock; gmtOffset in seconds of standard time.
        "tcpIpApp.sntp.gmtOffset": str(files.utc_offset_minutes * 60),
        "tcpIpApp.sntp.daylightSavings.enable": "1" if files.daylight_saving else "0",
        "lcl.ml.lang": LANGUAGES.get(files.language, LANGUAGES["en"]),
        # lineKey.*: each key's role set one by one (flexible line keys), so one
        # extension may hold keys 1 and 3 while another holds key 2 (F16.6).
        "lineKey.reassignment.enabled": "1",
    }
    for line in files.lines:
        n = line.account
        params.update({
            # reg.x.*: one registration per extension carried by the phone.
            f"reg.{n}.address": f"{line.username}@{files.domain}",
            f"reg.{n}.auth.userId": line.username,
            f"reg.{n}.auth.password": line.password,
            f"reg.{n}.displayName": label(line.name),
            f"reg.{n}.label": label(f"{line.number} {line.name}", 16),
            f"reg.{n}.server.1.address": files.domain,
            f"reg.{n}.server.1.port": SIP_PORT,
            f"reg.{n}.lineKeys": str(len(line.keys)),
            # msg.mwi.x.*: the message-waiting lamp, and the envelope key dials *97.
            f"msg.mwi.{n}.subscribe": f"{line.username}@{files.domain}",
            f"msg.mwi.{n}.callBackMode": "contact",
            f"msg.mwi.{n}.callBack": dialable(files.voicemail),
        })
        for key in line.keys:
            params[f"lineKey.{key}.category"] = "Line"
            params[f"lineKey.{key}.index"] = str(n)
    favourites = [c for c in files.contacts if c.favourite]
    free = files.free_keys
    for index, (contact, key) in enumerate(zip(favourites, free), start=1):
        # attendant.resourceList.x.*: a busy lamp field watching a company extension (F9.5).
        params[f"attendant.resourceList.{index}.address"] = f"{dialable(contact.number)}@{files.domain}"
        params[f"attendant.resourceList.{index}.label"] = label(f"{contact.first_name} {contact.last_name}", 16)
        params[f"attendant.resourceList.{index}.type"] = "normal"
        params[f"lineKey.{key}.category"] = "BLF"
        params[f"lineKey.{key}.index"] = str(index)
    if favourites:
        params["attendant.reg"] = "1"  # the registration that subscribes to the lamps
    return params


def config(files: PhoneFiles) -> bytes:
    root = etree.Element("polycomConfig")
    etree.SubElement(root, "switchboard", _parameters(files))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True, pretty_print=True)


def directory(files: PhoneFiles) -> bytes:
    """<directory><item_list><item> ln, fn, ct, sd, bw (the local contact directory
    format): sd gives the order, bw=1 watches a favourite's presence."""
    root = etree.Element("directory")
    items = etree.SubElement(root, "item_list")
    for position, contact in enumerate(files.contacts, start=1):
        item = etree.SubElement(items, "item")
        for tag, value in (("ln", label(contact.last_name)), ("fn", label(contact.first_name)),
                           ("ct", dialable(contact.number)), ("sd", str(position)),
                           ("bw", "1" if contact.favourite else "0")):
            etree.SubElement(item, tag).text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True, pretty_print=True)
