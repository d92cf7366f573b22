"""Building the XML documents mod_xml_curl reads, with lxml (every value escaped).

Two FreeSWITCH facts shape these helpers:

- mod_xml_curl writes the answer to a file and parses it with switch_xml_parse_file(),
  which runs the preprocessor first (switch_xml.c, preprocess() and expand_vars()):
  `$${name}` is replaced by a global variable, and a line holding `<?`, `<include>` or
  `X-pre-process` is treated specially. Our own constants may use `$${...}` on purpose;
  text that comes from the database never may.
- Application data and many variables are expanded again when they are used
  (switch_channel_expand_variables(): `${var}` and `${api(args)}`, which runs an API
  command). Text from the database must not be able to form such an expression.

So database text goes through `text()` (or `token()` where FreeSWITCH splits on
separators), and documents are pretty-printed so that the XML declaration, which the
preprocessor drops, sits alone on its first line.
"""
import re

from lxml import etree

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# `$`, `{` and `}` are what FreeSWITCH expansion needs; `X-pre-process` is what its
# preprocessor looks for (case-insensitively).
_EXPANSION = re.compile(r"[${}]|x-pre-process", re.IGNORECASE)
# In bridge strings and {var=value} lists these separate legs, variables or arguments.
_SEPARATORS = re.compile(r"[,\[\]'\"\\^|;:]")
_TOKEN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+*#-]{0,252}$")
_HOSTNAME = re.compile(r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$",
                       re.IGNORECASE)

NOT_FOUND = (
    b'<document type="freeswitch/xml">\n'
    b'  <section name="result">\n'
    b'    <result status="not found"/>\n'
    b'  </section>\n'
    b'</document>\n'
)


def text(value: object) -> str:
    """Database text made inert for FreeSWITCH (see the module docstring)."""
    if value is None:
        return ""
    return _EXPANSION.sub("", _CONTROL.sub("", str(value))).strip()


def label(value: object) -> str:
    """A caller-ID name or similar label: inert text without list separators either."""
    return " ".join(_SEPARATORS.sub(" ", text(value)).split())


def is_token(value: str | None) -> bool:
    """A value safe to place in application data as one argument (digits, usernames, numbers)."""
    return bool(value) and bool(_TOKEN.match(value))


def is_hostname(value: str | None) -> bool:
    """A DNS name (or IPv4 address): what a company SIP domain (and dial-plan context) must be."""
    return bool(value) and bool(_HOSTNAME.match(value))


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


def not_found() -> bytes:
    return NOT_FOUND
