"""section=directory: the SIP accounts of a company's domain, one at a time.

Who asks (tests/fixtures/freeswitch, and the sources named below):
- sofia digest auth of a REGISTER or an INVITE (`action=sip_auth`),
- the `user/` endpoint when a bridge rings an extension (`action=user_call`,
  mod_dptools.c user_outgoing_channel(): it reads the user's `dial-string` param and
  sets the user's variables on the new leg),
- mod_voicemail (`action=voicemail-lookup`, `action=message-count`, looked up as
  "id:number-alias"); a general voicemail box (no extension) is a user of its own
  that can never register or be called (box_document()),
- sofia at profile start (`purpose=gateways`) and the core's ACL loader
  (`purpose=network-list`).

Every user lookup gets the same answer whatever its action: FreeSWITCH caches users
(`cacheable`, switch_xml.c switch_xml_locate_user_merged()) under the key, user and
domain only, so an entry cached by a REGISTER is what a later bridge reads. The
portal flushes an entry when it changes (xml_flush_cache).

One query per user lookup: the account, its extension, company, owner, music on
hold, caller-ID number and company number, joined with its sibling accounts (one row
per SIP account of the extension, which the dial-string needs), run on the DBAPI
cursor into plain records. A lookup this process answered before costs one single-row
query instead: its company's version (app/xml_curl/answer_cache.py).
"""
import functools
import logging
from dataclasses import dataclass

from flask import current_app
from lxml import etree
from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import aliased

from app import readonly_db
from app.models.company import Company, PhoneNumber
from app.models.extension import Extension, MusicOnHold, SipAccount, TollMode
from app.models.mailbox import KeyDestination, Mailbox
from app.models.user import User
from app.services.calls.extension import PICKUP_GROUP
from app.services.calls.outside import presented_identity
from app.services.music_on_hold import source_of
from app.telephony import dial_codes, fs_text
from app.telephony.sounds import sound_prefix
from app.xml_curl import answer_cache, records, render
from app.xml_curl.answer_cache import Stamp
from app.xml_curl.dialplan import main_number_column
from app.xml_curl.records import Part, Record
from app.xml_curl.request import XmlCurlRequest

log = logging.getLogger(__name__)

USER_KEYS = ("", "id", "number-alias")


@dataclass(frozen=True)
class Account:
    """One SIP account with everything its directory entry shows."""

    account: Record      # the SipAccount
    extension: Record    # with .music_on_hold and .caller_id_number (Records or None)
    company: Record      # with .dialplan_context
    main_number: str | None
    usernames: tuple[str, ...]  # every account of the extension, primary first


def answer(req: XmlCurlRequest) -> bytes | None:
    if req.purpose == "gateways":
        return gateways()
    if req.purpose == "network-list":
        return network_list(req.domain)
    if not req.user:
        return domain_only(req.domain)
    if req.key not in USER_KEYS or not fs_text.is_token(req.user) or not fs_text.is_hostname(req.domain):
        return None
    return user_answer(req.domain, req.user)


def user_answer(domain: str, username: str) -> bytes | None:
    """The user's answer as last rendered by this process if its company is unchanged
    since (one single-row query), else rendered now and kept (app/xml_curl/answer_cache.py)."""
    cache = answer_cache.of_app()
    served = cache.served((domain, username), domain)
    if served is not None:
        return served
    account = lookup(domain, username)
    body = user_document(account) if account is not None else None
    if body is None:
        cache.forget((domain, username))
        # Not cached: only mod_voicemail asks for a general box, when a call reaches it.
        box = lookup_general_box(domain, username) if username.isdigit() else None
        return box_document(*box) if box is not None else None
    # The stamp read with the data it was rendered from, in the same statement: a
    # commit after that statement raised the version, so the entry can't outlive it.
    cache.put((domain, username), Stamp(account.company.id, account.company.directory_version), body)
    return body


# The tables of a user lookup, by the prefix of their columns in its result rows
# (app/xml_curl/records.py).
_TABLES = {"a": Part(SipAccount), "e": Part(Extension, records.EXTENSION), "c": Part(Company, records.COMPANY),
           "m": Part(MusicOnHold), "n": Part(PhoneNumber, columns=records.NUMBER), "b": Part(Mailbox)}


def _user_statement():
    """Every column of the account, its extension, company, music on hold and caller-ID
    number, the company's main number, and the sibling accounts' usernames (one row each)."""
    sibling = aliased(SipAccount)
    return (
        select(*records.selected(_TABLES), main_number_column().label("main_number"), sibling.username.label("sibling"))
        .select_from(SipAccount)
        .join(Extension, and_(Extension.id == SipAccount.extension_id,
                              Extension.company_id == SipAccount.company_id))
        .join(Company, Company.id == Extension.company_id)
        .join(sibling, sibling.extension_id == Extension.id)
        .outerjoin(User, User.id == Extension.user_id)
        .outerjoin(MusicOnHold, MusicOnHold.id == Extension.moh_id)
        .outerjoin(Mailbox, Mailbox.extension_id == Extension.id)
        .outerjoin(PhoneNumber, and_(PhoneNumber.id == Extension.caller_id_number_id,
                                     PhoneNumber.company_id == Company.id))
        .where(Company.sip_domain == bindparam("domain"), SipAccount.username == bindparam("username"),
               Extension.reachable_through(User))
        .order_by(sibling.id)
    )


def lookup(domain: str, username: str) -> Account | None:
    """The account `username` of the company whose domain is `domain`, if it may be used:
    its extension exists and its owner (if any) is not disabled. One query, run on the
    DBAPI connection (readonly_db.Prepared): no ORM object is built."""
    statement = readonly_db.prepared("directory user", _user_statement)
    rows = statement.rows(readonly_db.dbapi_connection(), domain=domain, username=username)
    if not rows:
        return None
    found = records.split(statement.keys, rows[0], _TABLES)
    account, extension, company = found["a"], records.extension_of(found), found["c"]
    # The portal only saves such values; one that is not (edited in the database, a bug)
    # leaves the account out rather than reaching FreeSWITCH.
    if not (fs_text.is_digits(extension.number) and fs_text.is_token(account.password)):
        log.error("directory: account %s of %s has an unusable number or password", username, domain)
        return None
    main_number, sibling = rows[0][-2], len(statement.keys) - 1
    return Account(account, extension, company, main_number,
                   tuple(row[sibling] for row in rows if fs_text.is_token(row[sibling])))


def dial_string(entry: Account) -> str:
    """What `user/<number>@<domain>` rings: every registered device of every SIP account
    of the extension (the desk line and each softphone, F15), or only this softphone when
    the softphone account itself is dialled. sofia_contact() returns all contacts of one
    user, comma-separated, or error/user_not_registered (mod_sofia.c); commas ring legs
    at once. Each device leg shows the extension's presence and, once answered, counts
    for the extension's busy behaviour (F11.6)."""
    domain = entry.company.sip_domain
    number = entry.extension.number
    usernames = (entry.account.username,) if entry.account.softphone else entry.usernames
    variables = (f"{{^^:sip_invite_domain={domain}:presence_id={number}@{domain}"
                 f":execute_on_answer=limit hash {domain} {number}}}")
    return variables + ",".join(f"${{sofia_contact(*/{username}@{domain})}}" for username in usernames)


def _toll_allow(extension: Extension) -> str:
    allowed = ["local"]
    if extension.long_distance is not TollMode.DISABLED:
        allowed.append("domestic")
    if extension.international is not TollMode.DISABLED:
        allowed.append("international")
    return ",".join(allowed)


def _voicemail_params(entry: Account) -> list[tuple[str, str]]:
    """A softphone has no box of its own: its message light follows the extension's box."""
    extension = entry.extension
    if entry.account.softphone:
        return [("vm-enabled", "false"),
                ("mwi-account", f"{extension.number}@{entry.company.sip_domain}")]
    return mailbox_params(extension.mailbox, entry.company)


def mailbox_params(box: Mailbox | None, company: Company) -> list[tuple[str, str]]:
    """mod_voicemail's directory params for a box (mod_voicemail.c voicemail_leave_main(),
    voicemail_check_main(), deliver_vm()): vm-enabled, vm-password, vm-mailto,
    vm-email-all-messages, vm-attach-file, vm-keep-local-after-email,
    vm-operator-extension. No box: voicemail is off."""
    if box is None:
        return [("vm-enabled", "false"), ("vm-password", "")]
    email = fs_text.email(box.email)
    params = [("vm-enabled", _bool(box.enabled)),
              # Always present, even empty: mod_voicemail would otherwise take the SIP
              # password as the mailbox PIN.
              ("vm-password", fs_text.digits(box.password))]
    if email:
        # deliver_vm() mails the message with the WAV attached, then (keep-local false)
        # deletes it: F5.7's e-mail-only box, whose counter stays at 0.
        params += [("vm-mailto", email), ("vm-email-all-messages", "true"), ("vm-attach-file", "true"),
                   ("vm-keep-local-after-email", _bool(not box.email_only))]
    else:
        params += [("vm-email-all-messages", "false"), ("vm-keep-local-after-email", "true")]
    operator = operator_extension(box, company)
    if operator:
        params.append(("vm-operator-extension", operator))
    return params


def operator_extension(box: Mailbox, company: Company) -> str | None:
    """Where 0 leads during the greeting: "<dial-plan number> XML <context>", split on
    spaces and transferred to by voicemail_leave_main() (operator-key). None = 0 does
    nothing (the greeting goes on)."""
    target = box.operator_target
    if not fs_text.is_digits(target or "x"):
        target = ""
    context = company.dialplan_context
    if box.operator_kind is KeyDestination.EXTENSION and target:
        return f"{target} XML {context}"
    if box.operator_kind is KeyDestination.MAILBOX and target:
        return f"{dial_codes.VOICEMAIL_DEPOSIT_PREFIX}{target} XML {context}"
    if box.operator_kind is KeyDestination.LOGIN:
        return f"{dial_codes.VOICEMAIL_LOGIN_PREFIX}{box.number} XML {context}"
    if box.operator_kind is KeyDestination.ATTENDANT:
        return f"{dial_codes.ATTENDANT} XML {context}"
    if box.operator_kind is KeyDestination.HANGUP:
        return f"{dial_codes.VOICEMAIL_HANGUP} XML {context}"
    return None


@functools.cache
def _box_statement():
    return (select(Mailbox, Company).join(Company, Company.id == Mailbox.company_id)
            .where(Company.sip_domain == bindparam("domain"), Mailbox.number == bindparam("number"),
                   Mailbox.extension_id.is_(None)))


def lookup_general_box(domain: str, number: str) -> tuple[Mailbox, Company] | None:
    row = readonly_db.session().execute(_box_statement(), {"domain": domain, "number": number}).first()
    return (row[0], row[1]) if row is not None else None


def box_document(box: Mailbox, company: Company) -> bytes | None:
    """A general box as mod_voicemail looks it up ("id:number-alias" = its number). It
    has no password, which sofia would take as "no authentication needed"
    (sofia_reg.c sofia_reg_parse_auth()): sip-forbid-register, checked first there,
    refuses every REGISTER and INVITE that claims to be it; with no dial-string,
    `user/<box>` rings nothing."""
    domain = company.sip_domain
    if not fs_text.is_hostname(domain) or not fs_text.is_digits(box.number):
        return None
    doc = render.document()
    domain_element = etree.SubElement(render.section(doc, "directory"), "domain", name=domain)
    users = etree.SubElement(etree.SubElement(etree.SubElement(domain_element, "groups"), "group",
                                              name="default"), "users")
    user = etree.SubElement(users, "user", id=box.number, cacheable=str(cache_ms()))
    user.set("number-alias", box.number)
    render.add_params(user, "params", "param", [("sip-forbid-register", "true")] + mailbox_params(box, company))
    render.add_params(user, "variables", "variable", [
        ("user_context", company.dialplan_context),
        ("voicemail_callback_context", company.dialplan_context),
        ("default_language", fs_text.language(company.language)),
    ])
    return render.serialize(doc)


def _variables(entry: Account) -> list[tuple[str, str]]:
    extension, company = entry.extension, entry.company
    variables = [
        ("user_context", company.dialplan_context),
        ("accountcode", extension.number),
        ("effective_caller_id_name", fs_text.display_name(extension.name, fallback=extension.number)),
        ("effective_caller_id_number", extension.number),
    ]
    identity = presented_identity(extension, company.name, entry.main_number)
    if identity is not None:
        variables += [("outbound_caller_id_name", identity[0]), ("outbound_caller_id_number", identity[1])]
    language = fs_text.language(extension.language)
    variables += [
        ("default_language", language),
        ("sound_prefix", sound_prefix(language)),
        ("hold_music", source_of(extension.music_on_hold)),
        ("voicemail_callback_context", company.dialplan_context),
        ("toll_allow", _toll_allow(extension)),
        # Ours, for people reading a channel dump; the dial plan reads the database.
        ("switchboard_extension", extension.number),
        ("switchboard_long_distance", extension.long_distance.value),
        ("switchboard_international", extension.international.value),
        ("switchboard_record_incoming", _bool(extension.record_incoming)),
        ("switchboard_record_outgoing", _bool(extension.record_outgoing)),
        ("switchboard_hide_caller_id", _bool(extension.hide_caller_id)),
    ]
    if extension.call_pickup:
        variables.append(("callgroup", f"{PICKUP_GROUP}@{company.sip_domain}"))
    return variables


def user_document(entry: Account) -> bytes | None:
    domain = entry.company.sip_domain
    if not fs_text.is_hostname(domain):
        return None
    doc = render.document()
    domain_element = etree.SubElement(render.section(doc, "directory"), "domain", name=domain)
    users = etree.SubElement(etree.SubElement(etree.SubElement(domain_element, "groups"), "group",
                                              name="default"), "users")
    user = etree.SubElement(users, "user", id=entry.account.username, cacheable=str(cache_ms()))
    user.set("number-alias", entry.extension.number)
    params = [("password", entry.account.password), ("dial-string", dial_string(entry))]
    render.add_params(user, "params", "param", params + _voicemail_params(entry))
    render.add_params(user, "variables", "variable", _variables(entry))
    return render.serialize(doc)


def cache_ms() -> int:
    """FreeSWITCH's `cacheable` is in milliseconds (switch_xml.c switch_xml_locate_user_merged())."""
    return current_app.config["FREESWITCH_DIRECTORY_CACHE_SECONDS"] * 1000


def gateways() -> bytes:
    """Every company domain, with no users. sofia asks this at profile start for the
    profile's <domain name="all"> and registers each as a profile alias when the deploy
    config says alias="true" (sofia.c launch_sofia_worker_thread, parse_domain_tag).
    A domain that is not an alias leaves a lock held after a message-waiting event
    (tests/fixtures/freeswitch), so every company domain must be listed."""
    doc = render.document()
    section = render.section(doc, "directory")
    domains = readonly_db.session().execute(select(Company.sip_domain).order_by(Company.sip_domain)).scalars()
    for domain in domains:
        if fs_text.is_hostname(domain):
            etree.SubElement(section, "domain", name=domain)
    return render.serialize(doc)


def network_list(domain: str) -> bytes | None:
    """The core's ACL loader asks for a domain named by an acl.conf node
    (switch_core.c switch_load_network_lists()) and adds each user that has a `cidr`
    attribute, allowing that network as "<user>@<domain>". Switchboard authenticates
    every device by digest, never by address: the answer is the domain with no users,
    so such a list gains nothing from the directory. "not found" would instead send
    FreeSWITCH to its static directory files."""
    return domain_only(domain)


def domain_only(domain: str) -> bytes | None:
    """A known company domain, without users; unknown domains are not found."""
    if not fs_text.is_hostname(domain):
        return None
    if readonly_db.session().execute(select(Company.id).where(Company.sip_domain == domain)).first() is None:
        return None
    doc = render.document()
    etree.SubElement(render.section(doc, "directory"), "domain", name=domain)
    return render.serialize(doc)


def _bool(value: bool) -> str:
    return "true" if value else "false"
