"""A call to one of the company's extensions, as FreeSWITCH applications.

What happens is decided by app/services/calls/handling.py (decide()); this module
only says it in FreeSWITCH's terms.

FreeSWITCH facts relied on (v1.10.12 sources):
- switch_ivr_originate.c: group_confirm_key/file screen the answering leg;
  `ringback` / `transfer_ringback` are what the caller hears (before / after answer);
  `continue_on_fail` lets the dial plan go on after a bridge that nobody answered.
- mod_dptools.c: play_and_get_digits takes a transfer-on-failure target as its 11th
  argument; `pickup <key>` answers the oldest ringing `pickup/<key>` leg of a bridge.
"""
from app.models.extension import BusyBehaviour, Extension
from app.services.calls.handling import Handling, Mode, Target, decide
from app.services.calls.outside import gateway_leg, outside_identity, outside_leg
from app.services.calls.plan import (Action, Branch, CallContext, CallPlan, caller_counts, limit_key, recording,
                                     seconds_or_forever, unallocated)
from app.services.calls.voicemail import after_no_answer, leave_message
from app.services.music_on_hold import source_of
from app.telephony import dial_codes
from app.telephony.sounds import PROMPTS, REORDER_TONE, RINGBACK_TONE

PICKUP_GROUP = "group"        # G13: *8 picks up within the whole company
SCREEN_SECONDS = 5            # the caller's name, recorded for screening (F11.9)
PRESS_1_WAIT_MS = 5000        # F3 "Caller presses 1": 5 s to press

# The counter reads as free unless it is a positive number: were mod_hash missing, the
# expansion would be empty or an error, and that must not send every call to voicemail.
FREE = "^(0*|[^0-9].*)$"

PLAN_NAMES = {Mode.FORWARD_ALWAYS: "forward-always", Mode.DND: "do-not-disturb", Mode.RING: "ring",
              Mode.FORWARD_NO_ANSWER: "forward-no-answer", Mode.RING_BOTH: "forward-ring-both",
              Mode.PRESS_1: "forward-press-1", Mode.FIND_ME: "find-me-follow-me"}


def busy_field(ctx: CallContext, extension: Extension) -> str:
    """How many calls the extension is on now: its counter, read while routing."""
    return "${limit_usage(" + limit_key(ctx, extension) + ")}"


def devices(ctx: CallContext, extension: Extension) -> str:
    """Every SIP account of the extension (the directory's dial-string rings them all),
    plus pickup legs when other phones may answer its calls (F11.13, G13)."""
    legs = [f"user/{extension.number}@{ctx.domain}"]
    if extension.call_pickup:
        legs += [f"pickup/{extension.number}@{ctx.domain}", f"pickup/{PICKUP_GROUP}@{ctx.domain}"]
    return ",".join(legs)


def to_extension(ctx: CallContext, callee: Extension) -> CallPlan:
    handling = decide(callee, can_call_out=bool(ctx.gateway), devices=1)
    name = PLAN_NAMES.get(handling.mode)
    if handling.mode is Mode.UNREACHABLE:
        return unallocated()
    if handling.mode is Mode.FORWARD_ALWAYS:
        return CallPlan(name, tuple(caller_counts(ctx) + _to_target(ctx, handling.target)))
    if handling.mode is Mode.DND:
        return CallPlan(name, tuple(caller_counts(ctx) + [("playback", REORDER_TONE), ("hangup", "USER_BUSY")]))
    build = {Mode.RING: _ring, Mode.FORWARD_NO_ANSWER: _forward_no_answer, Mode.RING_BOTH: _ring_both,
             Mode.PRESS_1: _press_1, Mode.FIND_ME: _find_me}[handling.mode]
    return _with_busy(ctx, callee, handling, name, build(ctx, callee, handling))


def _to_target(ctx: CallContext, target: Target) -> list[Action]:
    """Send the call on: to an extension with its own rules, or out through the trunk."""
    if target.extension is not None:
        return [("transfer", f"{target.extension.number} XML {ctx.context}")]
    return outside_identity(ctx) + [("bridge", gateway_leg(ctx, target.number))]


def _target_leg(ctx: CallContext, target: Target) -> str | None:
    """The target as one more leg of a simultaneous ring (F3 "Ring both")."""
    if target.extension is not None:
        if target.extension.dnd:
            return None
        return f"user/{target.extension.number}@{ctx.domain}"
    return outside_leg(ctx, target.number)


def _bridge_prelude(ctx: CallContext, callee: Extension, seconds: int | None, then_continue: bool) -> list[Action]:
    actions = caller_counts(ctx) + [("set", "hangup_after_bridge=true")]
    if then_continue:
        actions.append(("set", "continue_on_fail=true"))
    actions.append(("set", f"call_timeout={seconds_or_forever(seconds)}"))
    caller = ctx.caller
    if callee.record_incoming or (caller is not None and caller.record_outgoing):
        actions.append(recording(ctx))
    return actions


def _ring(ctx: CallContext, callee: Extension, handling: Handling) -> list[Action]:
    """Ring the devices; on no answer, voicemail. Voicemail off: ring forever (F11.7),
    and a failed bridge ends the call with its own cause (busy, unavailable...)."""
    ring = [("bridge", devices(ctx, callee))]
    if not handling.voicemail:
        return _bridge_prelude(ctx, callee, handling.ring_seconds, False) + ring
    return _bridge_prelude(ctx, callee, handling.ring_seconds, True) + ring + leave_message(ctx, callee)


def _forward_no_answer(ctx: CallContext, callee: Extension, handling: Handling) -> list[Action]:
    return (_bridge_prelude(ctx, callee, handling.ring_seconds, True) + [("bridge", devices(ctx, callee))]
            + _to_target(ctx, handling.target))


def _ring_both(ctx: CallContext, callee: Extension, handling: Handling) -> list[Action]:
    legs = devices(ctx, callee)
    extra = _target_leg(ctx, handling.target)
    if extra:
        legs += "," + extra
    return (_bridge_prelude(ctx, callee, handling.ring_seconds, handling.voicemail) + [("bridge", legs)]
            + (leave_message(ctx, callee) if handling.voicemail else []))


def _press_1(ctx: CallContext, callee: Extension, handling: Handling) -> list[Action]:
    """F3: after Ring for, the caller is asked to press 1; 1 forwards, anything else
    (or nothing) goes to voicemail if on, else ends the call (G8). A wrong or missing
    digit makes play_and_get_digits transfer to the box's deposit destination, which
    hangs up when voicemail is off."""
    on_failure = f"{dial_codes.VOICEMAIL_DEPOSIT_PREFIX}{callee.number} XML {ctx.context}"
    ask = (f"1 1 1 {PRESS_1_WAIT_MS} # {PROMPTS['press_1']} silence_stream://250 "
           f"forward_choice ^1$ 0 {on_failure}")
    return (_bridge_prelude(ctx, callee, handling.ring_seconds, True) + [("bridge", devices(ctx, callee))]
            + [("answer", ""), ("play_and_get_digits", ask)] + _to_target(ctx, handling.target))


def _find_me(ctx: CallContext, callee: Extension, handling: Handling) -> list[Action]:
    """F11.9: the devices ring for the find-me time, then the find-me number; the caller
    hears the extension's music instead of ringback if chosen; with screening the caller
    records their name and whoever answers hears it and must press 1. No answer or
    declined: voicemail if on, else the call ends (G8)."""
    actions = _bridge_prelude(ctx, callee, handling.first_seconds, True) + [("bridge", devices(ctx, callee))]
    leg_variables = []
    if callee.findme_moh:
        moh = source_of(callee.music_on_hold)
        actions += [("set", f"ringback={moh}"), ("set", f"transfer_ringback={moh}")]
        leg_variables.append("ignore_early_media=true")
    elif callee.findme_screen:
        actions.append(("set", f"transfer_ringback={RINGBACK_TONE}"))
    if callee.findme_screen:
        name_file = "${temp_dir}/screen-${uuid}.wav"
        actions += [("answer", ""), ("playback", PROMPTS["say_your_name"]),
                    ("record", f"{name_file} {SCREEN_SECONDS} 200 2")]
        leg_variables += ["group_confirm_key=1",
                          f"group_confirm_file=file_string://{name_file}!{PROMPTS['accept_call']}"]
    actions.append(("set", f"call_timeout={seconds_or_forever(handling.ring_seconds)}"))
    actions += outside_identity(ctx)
    prefix = "{" + ",".join(leg_variables) + "}" if leg_variables else ""
    actions.append(("bridge", prefix + gateway_leg(ctx, handling.target.number)))
    return actions + after_no_answer(ctx, callee)


def _with_busy(ctx: CallContext, callee: Extension, handling: Handling, name: str,
               actions: list[Action]) -> CallPlan:
    """F11.6: "keep ringing" rings anyway (call waiting); otherwise, when the extension
    is already on a call, play "on the phone" then voicemail, or go straight to
    voicemail; with voicemail off either ends the call as busy."""
    if handling.busy is BusyBehaviour.RING:
        return CallPlan(name, tuple(actions))
    busy = list(caller_counts(ctx))
    if handling.busy is BusyBehaviour.MESSAGE:
        busy.append(("playback", PROMPTS["on_the_phone"]))
    busy += leave_message(ctx, callee) if handling.voicemail else [("hangup", "USER_BUSY")]
    return CallPlan(name, tuple(actions), Branch(busy_field(ctx, callee), FREE, tuple(busy)))
