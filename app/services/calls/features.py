"""Feature codes: call park (F4, G10), call pickup (G13), the exception message (F6.7).

- mod_valet_parking.c: lots are created on first use (no configuration file);
  `valet_park <lot> auto in <min> <max>` announces the slot it took; `valet_park
  <lot> <slot>` on an empty slot parks the caller there, so `valet_info <lot>` is
  checked first; valet_parking_timeout + valet_parking_orbit_* ring the parker back.
- mod_dptools.c: `pickup <key>` answers the oldest ringing `pickup/<key>` leg.
"""
from app.models.extension import Extension
from app.services.calls.extension import PICKUP_GROUP
from app.services.calls.inbound import exception_message_path
from app.services.calls.phone_recording import record_replacing
from app.services.calls.plan import Branch, CallContext, CallPlan, caller_counts, refuse
from app.telephony import dial_codes, fs_text
from app.telephony.sounds import PROMPTS

PARK_TIMEOUT = 180  # G10: an unretrieved parked call rings the parker back


def park_lot(ctx: CallContext) -> str:
    """One valet lot per company; the @domain part makes slot presence 70x@domain."""
    return f"park@{ctx.domain}"


def park(ctx: CallContext, parker: Extension | None, blind: bool) -> CallPlan:
    """700: take the first free slot 701-709 and announce it. An unretrieved call rings
    the parker back after PARK_TIMEOUT. A full lot is announced by valet_park, and the
    call stays with the parker: in an attended transfer hanging up this leg returns the
    parker to the held call; a blind-transferred caller is sent back to the parker."""
    slots = dial_codes.PARK_SLOTS
    actions = caller_counts(ctx) + [("set", f"valet_parking_timeout={PARK_TIMEOUT}")]
    if parker is not None:
        actions += [("set", f"valet_parking_orbit_exten={parker.number}"),
                    ("set", "valet_parking_orbit_dialplan=XML"),
                    ("set", f"valet_parking_orbit_context={ctx.context}")]
    actions += [("answer", ""), ("valet_park", f"{park_lot(ctx)} auto in {slots[0]} {slots[-1]}")]
    if blind and parker is not None:
        actions.append(("transfer", f"{parker.number} XML {ctx.context}"))
    else:
        actions.append(("hangup", "NORMAL_CLEARING"))
    return CallPlan("park", tuple(actions))


def retrieve(ctx: CallContext, slot: str) -> CallPlan:
    """701-709: connect to the call parked there; an empty slot is announced and the
    call ends, so the dialler is never parked in it (G10)."""
    lot = park_lot(ctx)
    empty = tuple(caller_counts(ctx) + [("phrase", "valet_lot_empty"), ("hangup", "NORMAL_CLEARING")])
    return CallPlan("retrieve-parked", tuple(caller_counts(ctx) + [("answer", ""), ("valet_park", f"{lot} {slot}")]),
                    Branch("${valet_info(" + lot + ")}", f">{slot}<", empty))


def group_pickup(ctx: CallContext) -> CallPlan:
    """*8: answer the oldest ringing call of any extension that allows pickup."""
    if ctx.caller is None:
        return CallPlan("pickup-refused", tuple(refuse()))
    return CallPlan("group-pickup", tuple(caller_counts(ctx) + [
        ("pickup", f"{PICKUP_GROUP}@{ctx.domain}"), ("hangup", "NORMAL_CLEARING")]))


def directed_pickup(ctx: CallContext, target: Extension | None) -> CallPlan:
    """**NNN: answer NNN's ringing call, if NNN allows pickup."""
    if ctx.caller is None or target is None or not target.reachable or not target.call_pickup:
        return CallPlan("pickup-refused", tuple(refuse()))
    return CallPlan("directed-pickup", tuple(caller_counts(ctx) + [
        ("pickup", f"{target.number}@{ctx.domain}"), ("hangup", "NORMAL_CLEARING")]))


# F6.7 / F6.10: the exception message, recorded by phone (app/services/calls/phone_recording.py).
EXCEPTION_MESSAGE_SECONDS = 120
PASSWORD_TRIES = 3


def record_exception_message(ctx: CallContext) -> CallPlan:
    """The company's exception-message code: its password (3 tries), then the recording."""
    password = ctx.company.exception_password
    if ctx.caller is None or not password or not fs_text.is_digits(password):
        return CallPlan("exception-message-refused", tuple(refuse()))
    ask = (f"{len(password)} {len(password)} {PASSWORD_TRIES} 5000 # {PROMPTS['enter_code']} {PROMPTS['bad_code']} "
           f"exception_password ^{password}$ 3000 {dial_codes.WRONG_ENTRY} XML {ctx.context}")
    return CallPlan("exception-message-record", tuple(
        caller_counts(ctx) + [("answer", ""), ("play_and_get_digits", ask)]
        + record_replacing(exception_message_path(ctx.company), EXCEPTION_MESSAGE_SECONDS, short_turns_off=True)
        + [("hangup", "NORMAL_CLEARING")]))
