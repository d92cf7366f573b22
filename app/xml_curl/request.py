"""The form fields of one mod_xml_curl request, read once into a small typed object.

What FreeSWITCH sends is in tests/fixtures/freeswitch ("How to tell the requests
apart") and the captures beside it. Every value here came over the wire: nothing is
trusted until it has been matched against the database.
"""
import re
from dataclasses import dataclass
from urllib.parse import unquote_plus

_SIP_USER = re.compile(r"sips?:([^@;>\s]+)@")

# The only fields the answers read. A dial-plan request carries about 130 (6.8 KB);
# decoding just these halves the cost of a request.
FIELDS = frozenset({
    "section", "action", "purpose", "user", "domain", "key", "key_value", "tag_name",
    "Hunt-Context", "Caller-Context", "Hunt-Destination-Number", "Caller-Destination-Number",
    "variable_user_name", "variable_domain_name", "variable_sip_h_Referred-By",
    "Caller-Caller-ID-Number", "Caller-Privacy-Hide-Number",
    "variable_switchboard_vm_box", "variable_user_pin_authenticated", "variable_user_pin_authenticated_user",
})


@dataclass(frozen=True)
class XmlCurlRequest:
    fields: dict[str, str]

    @classmethod
    def from_body(cls, body: bytes) -> "XmlCurlRequest":
        """Read the url-encoded body FreeSWITCH posts, keeping the first value of each
        field we use. Malformed pairs are skipped, never an error."""
        fields: dict[str, str] = {}
        for pair in body.decode("utf-8", "replace").split("&"):
            name, _, value = pair.partition("=")
            if "%" in name:
                name = unquote_plus(name)
            if name in FIELDS and name not in fields:
                fields[name] = unquote_plus(value)
        return cls(fields)

    def get(self, name: str) -> str:
        """The first value sent for `name`, or "" (FreeSWITCH sends each field once)."""
        return self.fields.get(name, "") or ""

    @property
    def section(self) -> str:
        return self.get("section")

    # Directory ---------------------------------------------------------------

    @property
    def action(self) -> str:
        return self.get("action")

    @property
    def purpose(self) -> str:
        return self.get("purpose")

    @property
    def user(self) -> str:
        return self.get("user")

    @property
    def domain(self) -> str:
        # `domain` is the lookup's domain; `key_value` repeats it for tag_name=domain.
        return self.get("domain") or (self.get("key_value") if self.get("tag_name") == "domain" else "")

    @property
    def key(self) -> str:
        return self.get("key")

    # Configuration -------------------------------------------------------------

    @property
    def config_name(self) -> str:
        return self.get("key_value")

    # Dial plan -------------------------------------------------------------------

    @property
    def context(self) -> str:
        return self.get("Hunt-Context") or self.get("Caller-Context")

    @property
    def destination(self) -> str:
        return self.get("Hunt-Destination-Number") or self.get("Caller-Destination-Number")

    @property
    def caller_username(self) -> str:
        """The SIP account sofia authenticated for this channel (set from the digest, not
        from anything the phone chose to say about itself)."""
        return self.get("variable_user_name")

    @property
    def caller_domain(self) -> str:
        return self.get("variable_domain_name")

    @property
    def caller_id_number(self) -> str:
        """The number the caller presents (a carrier call: the calling party's number)."""
        return self.get("Caller-Caller-ID-Number")

    @property
    def hides_number(self) -> bool:
        """The caller asked for privacy (sofia sets it from `Privacy: id` or a Remote-Party-ID
        with privacy, sofia.c sofia_handle_sip_i_invite())."""
        return self.get("Caller-Privacy-Hide-Number") == "true"

    @property
    def voicemail_box(self) -> str:
        """The box whose greeting the caller was hearing (set by the dial plan before
        `voicemail`; channel variables travel with every dial-plan request)."""
        return self.get("variable_switchboard_vm_box")

    @property
    def authenticated_box(self) -> str:
        """The box whose password this call gave (mod_voicemail's auth_only sets both
        variables, no caller can), when it is the box the dial plan logged in to."""
        box = self.get("variable_user_pin_authenticated_user")
        if self.get("variable_user_pin_authenticated") != "true" or box != self.voicemail_box:
            return ""
        return box

    @property
    def referred_by_user(self) -> str:
        """The user part of Referred-By, which sofia copies onto a channel that a phone
        blind-transferred (sofia.c, sofia_handle_sip_i_refer). The phone wrote it: use it
        only to find an extension of the call's own company."""
        match = _SIP_USER.search(self.get("variable_sip_h_Referred-By"))
        return match.group(1) if match else ""
