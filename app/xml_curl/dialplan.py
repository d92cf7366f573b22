"""section=dialplan: one context per company, one small extension per call.

The context FreeSWITCH hunts in (Hunt-Context, the company's SIP domain, set as the
caller's user_context by the directory) decides the company; the dialled number is
looked up in that company only; the caller is the extension of the SIP account sofia
authenticated (variable_user_name @ variable_domain_name), and only if that account
belongs to the same company. Nothing else the request says about the caller is used.

The answer holds no copy of the dialled number: its single condition is absolute (no
field), or a runtime check built from our own values (app/services/calls/plan.py, Branch), so a
strange destination can never shape the XML.

Queries: one for the company and the caller, one more for the dialled extension
(or the box, the pickup target, the parker of a blind-transferred call); an answer
this process already gave, while the company is unchanged, costs one single-row
query (app/xml_curl/answer_cache.py).

Carrier calls arrive in the `public` context (the sofia profile facing the carrier sends
its calls there), numbered as the carrier sends them: +15145550100, 15145550100 or
5145550100. The number decides the company; app/services/calls/inbound.py decides the
call (restriction rules, exception, weekly hours, destination) and the plan usually sends
it into the company's own context. Queries: the number with its company, the company's
rules, the number's open ranges, its exceptions (four, whatever the number of rules and
exceptions); a number this process read before, while its company is unchanged, costs
one single-row query (the answer itself depends on the hour and the caller: it is made
again on every call, in Python).
"""
import functools
import logging
from dataclasses import dataclass
from datetime import datetime, timezone

from flask import current_app
from lxml import etree
from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.orm import aliased, joinedload

from app import readonly_db
from app.models.company import Company, PhoneNumber
from app.models.extension import Extension, MusicOnHold, SipAccount
from app.models.mailbox import Mailbox
from app.models.user import User
from app.services import outbound, phone_numbers, restrictions, schedules
from app.services.calls import extension as extension_calls
from app.services.calls import features, inbound, outgoing, voicemail
from app.services.calls.plan import CallContext, CallPlan, unallocated
from app.telephony import dial_codes, fs_text
from app.xml_curl import answer_cache, records, render
from app.xml_curl.answer_cache import Stamp
from app.xml_curl.records import Part, Record
from app.xml_curl.request import XmlCurlRequest

log = logging.getLogger(__name__)

MAX_DESTINATION_LENGTH = 64
PUBLIC_CONTEXT = "public"


def main_number_column():
    """The company's first number (E.164 order): its default outside caller ID."""
    return (select(func.min(PhoneNumber.e164)).where(PhoneNumber.company_id == Company.id)
            .correlate(Company).scalar_subquery())


# Statements are built once per app (readonly_db.prepared; building one costs more than
# running it) and bound per request.

# The tables of the caller's and the callee's lookups, and the prefix of their columns
# (app/xml_curl/records.py). The callee's forward target comes with its owner (f, g).
_FORWARD, _FORWARD_OWNER = aliased(Extension), aliased(User)
_EXTENSION_TABLES = {"e": Part(Extension, records.EXTENSION), "u": Part(User, columns=records.OWNER),
                     "m": Part(MusicOnHold), "n": Part(PhoneNumber, columns=records.NUMBER), "b": Part(Mailbox)}
_CALLER_TABLES = {"c": Part(Company, records.COMPANY), **_EXTENSION_TABLES}
_CALLEE_TABLES = {**_EXTENSION_TABLES, "f": Part(_FORWARD, records.EXTENSION, records.FORWARD_TARGET),
                  "g": Part(_FORWARD_OWNER, columns=records.OWNER)}


def _with_extension(statement):
    """The extension's owner, music on hold, caller-ID number and box, outer-joined."""
    return (statement.outerjoin(User, User.id == Extension.user_id)
            .outerjoin(MusicOnHold, MusicOnHold.id == Extension.moh_id)
            .outerjoin(PhoneNumber, PhoneNumber.id == Extension.caller_id_number_id)
            .outerjoin(Mailbox, Mailbox.extension_id == Extension.id))


def _company_and_caller_statement():
    account = and_(SipAccount.company_id == Company.id, SipAccount.username == bindparam("username"))
    statement = (select(*records.selected(_CALLER_TABLES), main_number_column().label("main_number"))
                 .select_from(Company)
                 .outerjoin(SipAccount, account)
                 .outerjoin(Extension, and_(Extension.id == SipAccount.extension_id,
                                            Extension.company_id == Company.id)))
    return _with_extension(statement).where(Company.sip_domain == bindparam("context"))


def _extension_statement():
    statement = _with_extension(select(*records.selected(_CALLEE_TABLES)).select_from(Extension))
    return (statement.outerjoin(_FORWARD, _FORWARD.id == Extension.forward_extension_id)
            .outerjoin(_FORWARD_OWNER, _FORWARD_OWNER.id == _FORWARD.user_id)
            .where(Extension.company_id == bindparam("company_id"), Extension.number == bindparam("number")))


@functools.cache
def _account_extension_statement():
    return (select(Extension).join(SipAccount, SipAccount.extension_id == Extension.id)
            .where(SipAccount.company_id == bindparam("company_id"),
                   Extension.company_id == bindparam("company_id"),
                   SipAccount.username == bindparam("username"))
            .options(joinedload(Extension.user)))


def load_company_and_caller(context: str, username: str, domain: str):
    """(company, main number, caller extension or None) in one query, as Records; None if
    no such company."""
    same_company = domain == context and fs_text.is_token(username)
    statement = readonly_db.prepared("dialplan company and caller", _company_and_caller_statement)
    rows = statement.rows(readonly_db.dbapi_connection(), context=context,
                          username=username if same_company else "")
    if not rows:
        return None
    found = records.split(statement.keys, rows[0], _CALLER_TABLES)
    company, main_number, caller = found["c"], rows[0][-1], records.extension_of(found)
    usable = caller is not None and caller.reachable and _number_usable(caller)
    return company, main_number, (caller if usable else None)


def _number_usable(extension: Extension) -> bool:
    """The portal saves digits only; a number edited behind its back never reaches a
    dial string."""
    return fs_text.is_digits(extension.number)


def load_extension(company_id: int, number: str | None):
    """An extension of this company with what its call handling reads (owner, music,
    caller-ID number, box, forward target and its owner), as Records; or None."""
    if number is None:
        return None
    statement = readonly_db.prepared("dialplan extension", _extension_statement)
    rows = statement.rows(readonly_db.dbapi_connection(), company_id=company_id, number=number)
    if not rows:
        return None
    found = records.split(statement.keys, rows[0], _CALLEE_TABLES)
    extension = records.extension_of(found)
    forward = found["f"]
    if forward is not None:
        forward.user = found["g"]
    extension.forward_extension = forward
    return extension


@functools.cache
def _mailbox_statement():
    return (select(Mailbox).where(Mailbox.company_id == bindparam("company_id"), Mailbox.number == bindparam("number"))
            .options(joinedload(Mailbox.extension).joinedload(Extension.user)))


def load_mailbox(company_id: int, number: str) -> Mailbox | None:
    """A voicemail box of this company, with its extension and owner, or None."""
    return readonly_db.session().execute(_mailbox_statement(), {"company_id": company_id, "number": number}
                                         ).scalar_one_or_none()


def load_box_numbers(company_id: int) -> list[str]:
    return list(readonly_db.session().execute(
        select(Mailbox.number).where(Mailbox.company_id == company_id, Mailbox.enabled.is_(True))).scalars())


def load_account_extension(company_id: int, username: str) -> Extension | None:
    """The extension a SIP account of this company belongs to, or None."""
    if not fs_text.is_token(username):
        return None
    extension = readonly_db.session().execute(_account_extension_statement(),
                                              {"company_id": company_id, "username": username}).scalar_one_or_none()
    return extension if extension is not None and _number_usable(extension) else None


def gateway_name() -> str:
    name = current_app.config.get("FREESWITCH_GATEWAY") or ""
    if not fs_text.is_token(name):
        log.error("FREESWITCH_GATEWAY %r is not a usable sofia gateway name: no call goes out", name)
        return ""
    return name


@dataclass(frozen=True)
class CarrierNumber:
    """What a carrier call to a number is decided from, as Records and plain values."""

    number: Record
    company: Record
    main_number: str | None
    rules: tuple[restrictions.Rule, ...]
    hours: schedules.Hours


_NUMBER_TABLES = {"p": Part(PhoneNumber), "c": Part(Company, records.COMPANY)}


def _number_statement():
    return (select(*records.selected(_NUMBER_TABLES), main_number_column().label("main_number"))
            .select_from(PhoneNumber).join(Company, Company.id == PhoneNumber.company_id)
            .where(PhoneNumber.e164 == bindparam("e164")))


_number_ranges = functools.partial(schedules.ranges_statement, "number")
_number_exceptions = functools.partial(schedules.exceptions_statement, "number")


def load_number(e164: str) -> CarrierNumber | None:
    """The number with its company, the company's rules and the number's hours; None if it
    is no one's. Four queries, whatever the number of rules and exceptions; one
    single-row query when this process read it before and the company is unchanged."""
    cache = answer_cache.numbers_of_app()
    kept = cache.served(e164)
    if kept is not None:
        return kept
    connection = readonly_db.dbapi_connection()
    statement = readonly_db.prepared("dialplan number", _number_statement)
    rows = statement.rows(connection, e164=e164)
    if not rows:
        return None
    found = records.split(statement.keys, rows[0], _NUMBER_TABLES)
    number, company = found["p"], found["c"]
    rules = readonly_db.prepared("dialplan rules", restrictions.rules_statement).rows(connection, company_id=company.id)
    ranges = readonly_db.prepared("dialplan ranges", _number_ranges).rows(connection, number_id=number.id)
    exceptions = readonly_db.prepared("dialplan exceptions", _number_exceptions).rows(connection, number_id=number.id)
    hours = schedules.hours_from_rows({number.id: number.hours_on}, ranges, exceptions)[number.id]
    loaded = CarrierNumber(number, company, rows[0][-1], tuple(restrictions.Rule(*row) for row in rules), hours)
    # Stamped with the version read with the number, before its rules and hours.
    cache.put(e164, Stamp(company.id, company.directory_version), loaded)
    return loaded


def now() -> datetime:
    return datetime.now(timezone.utc)


def answer(req: XmlCurlRequest) -> bytes | None:
    context, destination = req.context, req.destination
    if not destination or len(destination) > MAX_DESTINATION_LENGTH:
        return None
    if context == PUBLIC_CONTEXT:
        return answer_inbound(req)
    if not fs_text.is_hostname(context):
        return None
    cache = answer_cache.plans_of_app()
    key = (tuple(sorted(req.fields.items())), current_app.config.get("FREESWITCH_GATEWAY"))
    served = cache.served(key, context)
    if served is not None:
        return served
    loaded = load_company_and_caller(context, req.caller_username, req.caller_domain)
    if loaded is None:
        return None
    company, main_number, caller = loaded
    ctx = CallContext(company=company, main_number=main_number, caller=caller, gateway=gateway_name())
    body = render_plan(ctx, route(ctx, destination, req))
    # The version loaded with the company, before anything else this answer read.
    cache.put(key, Stamp(company.id, company.directory_version), body)
    return body


# Carrier numbers arrive in a few spellings, and parsing one is a tenth of a call's cost.
_carrier_e164 = functools.lru_cache(maxsize=4096)(phone_numbers.normalize_did)


def answer_inbound(req: XmlCurlRequest) -> bytes | None:
    """A carrier call to a company number; not found for a number that is no one's."""
    e164 = _carrier_e164(req.destination) if req.destination[:1] in "+0123456789" else None
    carrier = load_number(e164) if e164 else None
    if carrier is None:
        return None
    caller = phone_numbers.presented_digits(req.caller_id_number, req.hides_number)
    path = inbound.call_path(carrier.rules, carrier.hours, carrier.company.time_zone, caller, now())
    ctx = CallContext(company=carrier.company, main_number=carrier.main_number, caller=None, gateway=gateway_name())
    return render_plan(ctx, inbound.inbound_plan(ctx, carrier.number, path), context_name=PUBLIC_CONTEXT)


def route(ctx: CallContext, destination: str, req: XmlCurlRequest) -> CallPlan:
    """Which service decides this call."""
    company_id = ctx.company.id
    if destination == dial_codes.VOICEMAIL_MENU:
        return voicemail.voicemail_menu(ctx, load_box_numbers(company_id))
    if destination == dial_codes.OWN_VOICEMAIL:
        if ctx.caller is None or ctx.caller.mailbox is None:
            return voicemail.voicemail_menu(ctx, load_box_numbers(company_id))
        return voicemail.own_voicemail(ctx)
    if destination == dial_codes.PARK:
        if req.referred_by_user:
            return features.park(ctx, load_account_extension(company_id, req.referred_by_user), blind=True)
        return features.park(ctx, ctx.caller, blind=False)
    if destination in dial_codes.PARK_SLOTS:
        return features.retrieve(ctx, destination)
    if destination == dial_codes.GROUP_PICKUP:
        return features.group_pickup(ctx)
    target = _after(destination, dial_codes.DIRECTED_PICKUP_PREFIX)
    if target is not None:
        return features.directed_pickup(ctx, load_extension(company_id, target))
    box = _after(destination, dial_codes.VOICEMAIL_DEPOSIT_PREFIX)
    if box is not None:
        return voicemail.deposit_voicemail(ctx, load_mailbox(company_id, box))
    box = _after(destination, dial_codes.VOICEMAIL_LOGIN_PREFIX)
    if box is not None:
        return voicemail.box_login(ctx, load_mailbox(company_id, box))
    if destination == dial_codes.VOICEMAIL_STAR:
        number = req.voicemail_box
        return voicemail.star_pressed(ctx, load_mailbox(company_id, number) if number.isdigit() else None)
    keys = _box_keys(destination)
    if keys is not None:
        box = req.authenticated_box
        return voicemail.box_session(ctx, load_mailbox(company_id, box) if box.isdigit() else None, keys)
    if destination == dial_codes.ATTENDANT:
        main = load_number(ctx.main_number) if ctx.main_number else None
        return inbound.attendant(ctx, main.number if main else None)
    if destination == dial_codes.VOICEMAIL_HANGUP:
        return voicemail.hang_up()
    if destination == dial_codes.TOLL_REFUSED:
        return outgoing.toll_refused(ctx)
    if destination == dial_codes.WRONG_ENTRY:
        return inbound.wrong_entry()
    if destination == dial_codes.EXCEPTION_MESSAGE:
        return features.record_exception_message(ctx)
    if outbound.classify(destination) is not None:
        return outgoing.outbound_call(ctx, destination)
    if dial_codes.is_valid_extension_number(destination) and destination.isdigit():
        callee = load_extension(company_id, destination)
        return extension_calls.to_extension(ctx, callee) if callee is not None else unallocated()
    return unallocated()


def _box_keys(destination: str) -> str | None:
    """The keys after a box menu's name (voicemail-box, voicemail-box-04), if it is one."""
    if destination == dial_codes.BOX_SESSION:
        return ""
    prefix = dial_codes.BOX_SESSION + "-"
    keys = destination[len(prefix):] if destination.startswith(prefix) else ""
    return keys if keys.isdigit() and len(keys) <= 3 else None


def _after(destination: str, prefix: str) -> str | None:
    """The extension number after a feature prefix (**101, *99101), if that is what it is."""
    if not destination.startswith(prefix):
        return None
    number = destination[len(prefix):]
    return number if dial_codes.is_valid_extension_number(number) and number.isdigit() else None


def render_plan(ctx: CallContext, plan: CallPlan, context_name: str | None = None) -> bytes:
    """`context_name`: the context FreeSWITCH hunts in, when it is not the company's
    (mod_dialplan_xml looks the answer's context up by that name)."""
    doc = render.document()
    section = render.section(doc, "dialplan")
    context = etree.SubElement(section, "context", name=context_name or ctx.context)
    extension = etree.SubElement(context, "extension", name=plan.name)
    if plan.branch is None:
        condition = etree.SubElement(extension, "condition")
    else:
        condition = etree.SubElement(extension, "condition", field=plan.branch.field,
                                     expression=plan.branch.expression)
    _add_actions(condition, "action", plan.actions)
    if plan.branch is not None:
        _add_actions(condition, "anti-action", plan.branch.otherwise)
    return render.serialize(doc)


def _add_actions(condition, tag: str, actions) -> None:
    for application, data in actions:
        element = etree.SubElement(condition, tag, application=application)
        if data:
            element.set("data", data)
