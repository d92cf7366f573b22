"""What the payload table and the fuzz test write into the database, and ask FreeSWITCH's
way: one company whose calls use every field that reaches an answer."""
from app.flask_extensions import db
from app.models.extension import ForwardRule, ForwardTarget, MusicOnHold, TollMode
from tests import factories
from app.models.schedule import ClosedAction, OpenAction
from tests.xml_curl.captures import DOMAIN, capture, carrier_call, dial

LOCAL, LONG_DISTANCE = "5145550100", "16135550100"

# Every kind of answer the fields below reach.
REQUESTS = {
    "register 101": capture("022-directory-127.0.0.1-1001-sip_auth.txt", user="101", domain=DOMAIN,
                            key_value=DOMAIN),
    "register 102": capture("022-directory-127.0.0.1-1001-sip_auth.txt", user="102", domain=DOMAIN,
                            key_value=DOMAIN),
    "register softphone": capture("022-directory-127.0.0.1-1001-sip_auth.txt", user="101s1", domain=DOMAIN,
                                  key_value=DOMAIN),
    "bridge to 103": capture("028-directory-127.0.0.1-1002-user_call.txt", user="103", domain=DOMAIN,
                             key_value=DOMAIN),
    "voicemail box 102": capture("041-directory-127.0.0.1-1002-voicemail-lookup.txt", user="102", domain=DOMAIN,
                                 key_value=DOMAIN),
    "gateways": capture("005-directory-gateways.txt"),
    "101 calls 102 (ring both)": dial("102"),
    "101 calls 103 (find-me)": dial("103"),
    "102 calls out": dial(LOCAL, caller="102"),
    "101 calls long distance": dial(LONG_DISTANCE),
    "101 calls 911": dial("911"),
    "101 parks": dial("700"),
    "101 checks voicemail": dial("*97"),
    "101 leaves a message": dial("*99102"),
    "voicemail.conf": capture("011-configuration-voicemail.conf.txt"),
    "carrier call (greeting)": carrier_call("+15145550111"),
    "carrier call (closed)": carrier_call("+15145550143"),
    "101 records the exception message": dial("*56"),
}


def make_scene(tenants) -> dict:
    """Three extensions whose calls use every field: 101 (own caller ID, long distance
    with a code, a softphone), 102 (company caller ID, ring both with an outside number),
    103 (find-me with music and screening)."""
    company = tenants["a"]
    moh = MusicOnHold(name="Jazz", source="/srv/moh/jazz.wav")
    support = factories.make_number(company, "+15145550142", "Support")
    alice = factories.make_extension(company, "101", user=tenants["a_user"], name="Alice", caller_id_name="Support",
                                     caller_id_number=support, long_distance=TollMode.WITH_CODE,
                                     long_distance_code="2468", voicemail_email="alice@alpha.example",
                                     voicemail_password="1357", music_on_hold=moh)
    softphone = factories.sip_softphone(alice)
    bob = factories.make_extension(company, "102", user=tenants["a_admin"], name="Bob", forward_enabled=True,
                                   forward_rule=ForwardRule.RING_BOTH, forward_target=ForwardTarget.EXTERNAL,
                                   forward_number="5145550177", voicemail_email="bob@alpha.example",
                                   voicemail_password="2468")
    carol = factories.make_extension(company, "103", name="Carol", findme_enabled=True, findme_number="5145550188",
                                     findme_moh=True, findme_screen=True, music_on_hold=moh)
    gamma = factories.make_company("Gamma", "gamma.voice.example")
    main = tenants["a_number"]  # open at all hours: the greeting, 0 for the operator
    main.open_action, main.operator_extension, main.greeting_file = OpenAction.GREETING, "101", "greeting-1.wav"
    closed = factories.make_number(company, "+15145550143", "Night")  # weekly hours, none open: closed
    closed.hours_on, closed.closed_action, closed.closed_box = True, ClosedAction.VOICEMAIL, "102"
    closed.closed_greeting_file = "closed-1.wav"
    company.exception_password = "4321"
    db.session.commit()
    return dict(company=company, moh=moh, support=support, alice=alice, softphone=softphone, bob=bob,
                carol=carol, gamma=gamma, main=main, closed=closed)


def _extensions(scene):
    return (scene["alice"], scene["bob"], scene["carol"])


def _set_each(scene, attribute, value):
    for extension in _extensions(scene):
        setattr(extension, attribute, value)


# field -> (how a value is written into it, cut to the column's length as PostgreSQL
# refuses longer; the answers it reaches).
FIELDS = {
    "extension name": (lambda s, v: _set_each(s, "name", v[:100]), ("register 101", "register 102", "bridge to 103")),
    "caller ID name": (lambda s, v: setattr(s["alice"], "caller_id_name", v[:15]),
                       ("register 101", "101 calls 102 (ring both)", "101 calls 103 (find-me)",
                        "101 calls long distance", "101 calls 911")),
    "company name": (lambda s, v: setattr(s["company"], "name", v[:120]),
                     ("register 102", "102 calls out", "voicemail.conf")),
    "voicemail e-mail": (lambda s, v: _set_each(s, "voicemail_email", f"{v}@alpha.example"[-254:]),
                         ("register 101", "register softphone", "voicemail box 102")),
    "voicemail PIN": (lambda s, v: _set_each(s, "voicemail_password", v[:10]), ("register 101", "voicemail box 102")),
    "language": (lambda s, v: _set_each(s, "language", v[:2]),
                 ("register 102", "101 calls 102 (ring both)", "101 calls 103 (find-me)", "101 leaves a message")),
    "music on hold": (lambda s, v: setattr(s["moh"], "source", f"/srv/moh/{v}.wav"[:255]),
                      ("register 101", "bridge to 103", "101 calls 103 (find-me)")),
    "music on hold stream": (lambda s, v: setattr(s["moh"], "source", f"local_stream://{v}"[:255]),
                             ("register 101", "101 calls 103 (find-me)")),
    "SIP password": (lambda s, v: setattr(s["alice"].sip_accounts[0], "password", v[:64]),
                     ("register 101", "register softphone")),
    "softphone username": (lambda s, v: setattr(s["softphone"], "username", v[:32]),
                           ("register 101", "101 calls 102 (ring both)")),
    "extension number": (lambda s, v: setattr(s["carol"], "number", v[:6]),
                         ("bridge to 103", "101 calls 103 (find-me)")),
    "caller's extension number": (lambda s, v: setattr(s["alice"], "number", v[:6]),
                                  ("register 101", "register softphone", "101 calls 102 (ring both)", "101 parks",
                                   "101 checks voicemail", "101 calls long distance")),
    "phone number": (lambda s, v: (setattr(s["main"], "e164", v[:16]), setattr(s["support"], "e164", ("2" + v)[:16])),
                     ("register 101", "register 102", "102 calls out", "101 calls 911", "101 calls 102 (ring both)")),
    "access code": (lambda s, v: setattr(s["alice"], "long_distance_code", v[:8]), ("101 calls long distance",)),
    "forward number": (lambda s, v: setattr(s["bob"], "forward_number", v[:11]), ("101 calls 102 (ring both)",)),
    "find-me number": (lambda s, v: setattr(s["carol"], "findme_number", v[:11]), ("101 calls 103 (find-me)",)),
    "SIP domain": (lambda s, v: setattr(s["gamma"], "sip_domain", v[:253]), ("gateways",)),
    "greeting file": (lambda s, v: setattr(s["main"], "greeting_file", v[:64]), ("carrier call (greeting)",)),
    "closed greeting file": (lambda s, v: setattr(s["closed"], "closed_greeting_file", v[:64]),
                             ("carrier call (closed)",)),
    "operator extension": (lambda s, v: setattr(s["main"], "operator_extension", v[:6]), ("carrier call (greeting)",)),
    "closed voicemail box": (lambda s, v: setattr(s["closed"], "closed_box", v[:6]), ("carrier call (closed)",)),
    "exception password": (lambda s, v: setattr(s["company"], "exception_password", v[:10]),
                           ("101 records the exception message",)),
}


def store(scene: dict, field: str, value: str) -> bool:
    """Write `value` into `field` and commit; False when the database itself refuses it
    (PostgreSQL stores no NUL), so it can reach nothing."""
    if "\x00" in value and db.engine.dialect.name == "postgresql":
        return False
    FIELDS[field][0](scene, value)
    db.session.commit()
    return True
