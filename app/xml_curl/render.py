"""Building the XML documents mod_xml_curl reads, with lxml (every value escaped).

mod_xml_curl writes the answer to a file and parses it with switch_xml_parse_file(),
which runs FreeSWITCH's preprocessor first (switch_xml.c, preprocess()): it drops any
line holding `<?`, so documents are pretty-printed and the XML declaration sits alone
on its first line. Every value from the database has been through its kind's
allow-list before it gets here (app/telephony/fs_text.py).
"""
from lxml import etree


def document() -> etree._Element:
    return etree.Element("document", type="freeswitch/xml")


def section(doc: etree._Element, name: str) -> etree._Element:
    return etree.SubElement(doc, "section", name=name)


def add_params(parent: etree._Element, container: str, tag: str, items) -> etree._Element:
    """<container><tag name=".." value=".."/>...</container> from (name, value) pairs."""
    holder = etree.SubElement(parent, container)
    for name, value in items:
        etree.SubElement(holder, tag, name=name, value=str(value))
    return holder


def serialize(doc: etree._Element) -> bytes:
    return etree.tostring(doc, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _not_found_document() -> bytes:
    doc = document()
    etree.SubElement(section(doc, "result"), "result", status="not found")
    return serialize(doc)


NOT_FOUND = _not_found_document()


def not_found() -> bytes:
    """What FreeSWITCH reads as "ask the next binding, then the static files"."""
    return NOT_FOUND
