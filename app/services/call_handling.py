"""How each call is handled, decided in Python and returned as a short list of
FreeSWITCH applications (F2, F3, F4, F11, G7, G8, G10, G13, G14).

Nothing here reads a request or the database: the xml_curl dial plan loads the
company, the calling extension and the dialled one, and calls these functions.
A plan is a list of (application, data) pairs; when the right answer depends on
something only FreeSWITCH knows at that moment (is the extension already on a call,
is a call parked in that slot) the plan carries a `Branch`: mod_dialplan_xml expands
its `field` while routing and runs `actions` when `expression` matches, else
`otherwise` (a condition with anti-actions).

FreeSWITCH facts relied on (v1.10.12 sources):
- switch_ivr_originate.c: `call_timeout` <= 0 means the 60 s default, so "ring
  forever" is a huge timeout; group_confirm_key/file screen the answering leg;
  `ringback` / `transfer_ringback` are what the caller hears (before / after answer).
- mod_dptools.c: `limit hash <realm> <id>` with no max only counts (released on
  hangup, through a state-change hook that survives transfers); play_and_get_digits
  takes a transfer-on-failure target as its 11th argument; `pickup <key>` answers the
  oldest ringing `pickup/<key>` leg of a bridge; `privacy full` hides name and number.
- mod_commands.c: `limit_usage hash <realm> <id>` reads the counter.
- mod_valet_parking.c: lots are created on first use (no configuration file);
  `valet_park <lot> auto in <min> <max>` announces the slot it took; `valet_park
  <lot> <slot>` on an empty slot parks the caller there, so `valet_info <lot>` is
  checked first; valet_parking_timeout + valet_parking_orbit_* ring the parker back.
- mod_voicemail.c: `voicemail <profile> <domain> <box>` leaves a message,
  `voicemail check <profile> <domain> [<box>]` asks for the box (if not given) and
  its password; the application does not answer by itself.
- switch_ivr.c: every transfer decrements max_forwards, so a forwarding loop between
  two extensions ends (EXCHANGE_ROUTING_ERROR) instead of running forever.
"""
import re
from dataclasses import dataclass

from app.models.company import Company
from app.models.extension import BusyBehaviour, Extension, ForwardRule, ForwardTarget, TollMode
from app.services import outbound
from app.services.outbound import CallClass
from app.telephony import numbers

Action = tuple[str, str]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_EXPANSION = re.compile(r"[${}]|x-pre-process", re.IGNORECASE)
_SEPARATORS = re.compile(r"[,\[\]'\"\\^|;:]")


def fs_text(value: object) -> str:
    """Database text made inert for FreeSWITCH, which expands it twice: its preprocessor
    replaces `$${name}` and acts on `X-pre-process` when it reads an xml_curl answer
    (switch_xml.c, preprocess()), and `${var}` / `${api(args)}` (which runs an API
    command) are expanded when application data or a variable is used
    (switch_channel_expand_variables()). Our own constants use both on purpose."""
    if value is None:
        return ""
    return _EXPANSION.sub("", _CONTROL.sub("", str(value))).strip()


def fs_label(value: object) -> str:
    """Inert text that is also free of the separators of bridge strings and of
    {var=value} / [var=value] lists: for values placed inside those."""
    return " ".join(_SEPARATORS.sub(" ", fs_text(value)).split())


# Dial-plan destinations this module adds to the ones of app/telephony/numbers.py.
# FreeSWITCH reaches them by transfer; a phone may dial them too, harmlessly.

RING_FOREVER = 86400                 # seconds: "ring forever" without the 60 s default
VOICEMAIL_LENGTHS = (60, 120, 180, 300, 600)  # G11: allowed maximum message lengths
DEFAULT_VOICEMAIL_LENGTH = 180
PARK_TIMEOUT = 180                   # G10: an unretrieved parked call rings the parker back
PICKUP_GROUP = "group"               # G13: *8 picks up within the whole company
DEFAULT_MOH = "local_stream://moh"
RINGBACK_TONE = "%(2000,4000,440,480)"             # North American ringback
REORDER_TONE = "tone_stream://%(250,250,480,620);loops=8"  # "line unavailable" (G7)
SCREEN_SECONDS = 5                   # the caller's name, recorded for screening (F11.9)
PRESS_1_WAIT_MS = 5000               # F3 "Caller presses 1": 5 s to press
CODE_TRIES = 3                       # G14: 3 tries for an access code

# Prompts, relative to the language's sound prefix (stock FreeSWITCH sound files).
PROMPTS = {
    "not_allowed": "ivr/ivr-call_cannot_be_completed_as_dialed.wav",
    "on_the_phone": "ivr/ivr-user_busy.wav",
    "enter_code": "ivr/ivr-please_enter_pin_followed_by_pound.wav",
    "bad_code": "ivr/ivr-that_was_an_invalid_entry.wav",
    "press_1": "ivr/ivr-to_accept_press_one.wav",
    "say_your_name": "voicemail/vm-record_name1.wav",
    "accept_call": "ivr/ivr-to_accept_press_one.wav",
}
# Where each portal language's prompts live ($${sounds_dir} is expanded by FreeSWITCH's
# preprocessor when it reads the answer).
SOUND_PREFIXES = {
    "fr": "$${sounds_dir}/fr/ca/june",
    "en": "$${sounds_dir}/en/us/callie",
}


@dataclass(frozen=True)
class Branch:
    field: str
    expression: str
    otherwise: tuple[Action, ...]


@dataclass(frozen=True)
class CallPlan:
    """What to do with one call. `name` only labels the dial-plan extension in logs."""

    name: str
    actions: tuple[Action, ...]
    branch: Branch | None = None


@dataclass(frozen=True)
class CallContext:
    """The company whose context the call is in, and who is calling.

    `caller` is the extension of the SIP account FreeSWITCH authenticated, found in
    this company only; None for anything else (a transferred outside caller, a
    channel that names another company). `gateway` is the trunk's sofia gateway
    name; empty when none is usable (then nothing goes out)."""

    company: Company
    main_number: str | None
    caller: Extension | None
    gateway: str

    @property
    def domain(self) -> str:
        return self.company.sip_domain

    @property
    def context(self) -> str:
        return self.company.dialplan_context


def voicemail_profile(max_seconds: int) -> str:
    """mod_voicemail's max-record-len is per profile: one profile per allowed length
    (app/xml_curl/configuration.py), all sharing one mailbox store."""
    return "default" if max_seconds == DEFAULT_VOICEMAIL_LENGTH else f"vm{max_seconds}"


VOICEMAIL_PROFILE = voicemail_profile(DEFAULT_VOICEMAIL_LENGTH)


def sound_prefix(language: str) -> str:
    return SOUND_PREFIXES.get(language, SOUND_PREFIXES["fr"])


def music_on_hold(extension: Extension) -> str:
    moh = extension.music_on_hold
    return (fs_text(moh.source) if moh is not None else "") or DEFAULT_MOH


def is_available(extension: Extension | None) -> bool:
    """An extension calls may reach: it exists and its owner (if any) is not disabled."""
    return extension is not None and (extension.user is None or extension.user.active)


def limit_key(ctx: CallContext, extension: Extension) -> str:
    return f"hash {ctx.domain} {extension.number}"


# The counter reads as free unless it is a positive number: were mod_hash missing, the
# expansion would be empty or an error, and that must not send every call to voicemail.
FREE = "^(0*|[^0-9].*)$"


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


def _caller_counts(ctx: CallContext) -> list[Action]:
    """The caller is on a call from now on: it counts for its own busy behaviour (F11.6)."""
    return [("limit", limit_key(ctx, ctx.caller))] if ctx.caller is not None else []


def _recording(ctx: CallContext) -> Action:
    path = "${recordings_dir}/" + ctx.domain + "/${strftime(%Y-%m-%d)}/${uuid}.wav"
    return ("record_session", path + " {RECORD_BRIDGE_REQ=true}")


def _refuse(cause: str = "CALL_REJECTED") -> list[Action]:
    return [("playback", PROMPTS["not_allowed"]), ("hangup", cause)]


def _timeout(seconds: int, something_follows: bool) -> int:
    """Ring time: "Ring for", unless it is 0 or nothing would follow it (then forever)."""
    return seconds if seconds > 0 and something_follows else RING_FOREVER


def _voicemail(ctx: CallContext, extension: Extension) -> list[Action]:
    """Leave a message; prompts in the mailbox owner's language (F2.8)."""
    return [("set", f"default_language={extension.language}"), ("answer", ""),
            ("voicemail", f"{VOICEMAIL_PROFILE} {ctx.domain} {extension.number}")]


def _after_no_answer(ctx: CallContext, extension: Extension) -> list[Action]:
    """G8: voicemail if on, else the call ends."""
    return _voicemail(ctx, extension) if extension.voicemail_enabled else [("hangup", "NO_ANSWER")]


def _outside_legs_identity(ctx: CallContext) -> list[Action]:
    """An internal caller reaching outside shows the company identity, not an extension
    number (F11.17, F11.18). Outside callers keep their own caller ID (F3)."""
    caller = ctx.caller
    if caller is None:
        return []
    identity = outbound.extension_outside_identity(caller, ctx.company.name, ctx.main_number)
    actions: list[Action] = []
    if identity is not None:
        actions += [("set", f"effective_caller_id_name={fs_text(identity[0])}"),
                    ("set", f"effective_caller_id_number={fs_text(identity[1])}")]
    if caller.hide_caller_id:
        actions.append(("privacy", "full"))
    return actions


def _leg_identity(ctx: CallContext) -> str:
    """The same identity as per-leg variables, for an outside leg rung beside inside ones."""
    caller = ctx.caller
    if caller is None:
        return ""
    identity = outbound.extension_outside_identity(caller, ctx.company.name, ctx.main_number)
    variables = []
    if identity is not None:
        variables += [f"origination_caller_id_name={fs_label(identity[0])}",
                      f"origination_caller_id_number={fs_label(identity[1])}"]
    if caller.hide_caller_id:
        variables.append("origination_privacy=hide_name+hide_number")
    return "[" + ",".join(variables) + "]" if variables else ""


def _gateway(ctx: CallContext, number: str) -> str:
    return f"sofia/gateway/{ctx.gateway}/{outbound.gateway_number(number, outbound.classify(number))}"


# Forwarding ------------------------------------------------------------------

@dataclass(frozen=True)
class _Target:
    extension: Extension | None = None
    number: str = ""


def _forward_target(ctx: CallContext, extension: Extension) -> _Target | None:
    """Where forwarding sends calls, or None when it cannot apply (off, no destination,
    the target is gone or is the extension itself, the number no longer allowed)."""
    if not extension.forward_enabled:
        return None
    if extension.forward_target is ForwardTarget.EXTENSION:
        target = extension.forward_extension
        if (target is None or target.id == extension.id or target.company_id != ctx.company.id
                or not is_available(target)):
            return None
        return _Target(extension=target)
    number = extension.forward_number or ""
    if not ctx.gateway or number == extension.number or not outbound.forward_allowed(extension, number):
        return None
    return _Target(number=number)


def _findme_number(ctx: CallContext, extension: Extension) -> str | None:
    if not extension.findme_enabled or not extension.findme_number or not ctx.gateway:
        return None
    number = extension.findme_number
    return number if outbound.forward_allowed(extension, number) else None


def _to_target(ctx: CallContext, target: _Target) -> list[Action]:
    """Send the call on: to an extension with its own rules, or out through the trunk."""
    if target.extension is not None:
        return [("transfer", f"{target.extension.number} XML {ctx.context}")]
    return _outside_legs_identity(ctx) + [("bridge", _gateway(ctx, target.number))]


def _target_leg(ctx: CallContext, target: _Target) -> str | None:
    """The target as one more leg of a simultaneous ring (F3 "Ring both")."""
    if target.extension is not None:
        if target.extension.dnd:
            return None
        return f"user/{target.extension.number}@{ctx.domain}"
    return _leg_identity(ctx) + _gateway(ctx, target.number)


# Calls to an extension -----------------------------------------------------------

def to_extension(ctx: CallContext, callee: Extension) -> CallPlan:
    """A call to one of the company's extensions, by the precedence of G7:
    Always-forward > DND > find-me/follow-me > other forwarding > voicemail."""
    if not is_available(callee):
        return unallocated()
    target = _forward_target(ctx, callee)
    if target is not None and callee.forward_rule is ForwardRule.ALWAYS:
        return CallPlan("forward-always", tuple(_caller_counts(ctx) + _to_target(ctx, target)))
    if callee.dnd:
        return CallPlan("do-not-disturb", tuple(
            _caller_counts(ctx) + [("playback", REORDER_TONE), ("hangup", "USER_BUSY")]))
    findme = _findme_number(ctx, callee)
    if findme is not None:
        return _with_busy(ctx, callee, "find-me-follow-me", _findme(ctx, callee, findme))
    if target is not None:
        rule = {ForwardRule.NO_ANSWER: _forward_no_answer, ForwardRule.RING_BOTH: _forward_ring_both,
                ForwardRule.PRESS_1: _forward_press_1}[callee.forward_rule]
        return _with_busy(ctx, callee, f"forward-{callee.forward_rule.value.replace('_', '-')}",
                          rule(ctx, callee, target))
    return _with_busy(ctx, callee, "ring", _ring(ctx, callee))


def _bridge_prelude(ctx: CallContext, callee: Extension, seconds: int, then_continue: bool) -> list[Action]:
    actions = _caller_counts(ctx) + [("set", "hangup_after_bridge=true")]
    if then_continue:
        actions.append(("set", "continue_on_fail=true"))
    actions.append(("set", f"call_timeout={seconds}"))
    caller = ctx.caller
    if callee.record_incoming or (caller is not None and caller.record_outgoing):
        actions.append(_recording(ctx))
    return actions


def _ring(ctx: CallContext, callee: Extension) -> list[Action]:
    """Ring the devices; on no answer, voicemail. Voicemail off: ring forever (F11.7),
    and a failed bridge ends the call with its own cause (busy, unavailable...)."""
    seconds = _timeout(callee.ring_seconds, callee.voicemail_enabled)
    if not callee.voicemail_enabled:
        return _bridge_prelude(ctx, callee, seconds, False) + [("bridge", devices(ctx, callee))]
    return (_bridge_prelude(ctx, callee, seconds, True) + [("bridge", devices(ctx, callee))]
            + _voicemail(ctx, callee))


def _forward_no_answer(ctx: CallContext, callee: Extension, target: _Target) -> list[Action]:
    seconds = _timeout(callee.ring_seconds, True)
    return (_bridge_prelude(ctx, callee, seconds, True) + [("bridge", devices(ctx, callee))]
            + _to_target(ctx, target))


def _forward_ring_both(ctx: CallContext, callee: Extension, target: _Target) -> list[Action]:
    seconds = _timeout(callee.ring_seconds, callee.voicemail_enabled)
    legs = devices(ctx, callee)
    extra = _target_leg(ctx, target)
    if extra:
        legs += "," + extra
    return (_bridge_prelude(ctx, callee, seconds, callee.voicemail_enabled) + [("bridge", legs)]
            + (_voicemail(ctx, callee) if callee.voicemail_enabled else []))


def _forward_press_1(ctx: CallContext, callee: Extension, target: _Target) -> list[Action]:
    """F3: after Ring for, the caller is asked to press 1; 1 forwards, anything else
    (or nothing) goes to voicemail if on, else ends the call (G8). A wrong or missing
    digit makes play_and_get_digits transfer to the box's deposit destination, which
    hangs up when voicemail is off."""
    seconds = _timeout(callee.ring_seconds, True)
    on_failure = f"{numbers.VOICEMAIL_DEPOSIT_PREFIX}{callee.number} XML {ctx.context}"
    ask = (f"1 1 1 {PRESS_1_WAIT_MS} # {PROMPTS['press_1']} silence_stream://250 "
           f"forward_choice ^1$ 0 {on_failure}")
    return (_bridge_prelude(ctx, callee, seconds, True) + [("bridge", devices(ctx, callee))]
            + [("answer", ""), ("play_and_get_digits", ask)] + _to_target(ctx, target))


def _findme(ctx: CallContext, callee: Extension, number: str) -> list[Action]:
    """F11.9: the devices ring for the find-me time, then the find-me number; the caller
    hears the extension's music instead of ringback if chosen; with screening the caller
    records their name and whoever answers hears it and must press 1. No answer or
    declined: voicemail if on, else the call ends (G8)."""
    first = callee.findme_ring_seconds if callee.findme_ring_seconds > 0 else 15
    actions = (_bridge_prelude(ctx, callee, first, True) + [("bridge", devices(ctx, callee))])
    leg_variables = []
    if callee.findme_moh:
        moh = music_on_hold(callee)
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
    actions.append(("set", f"call_timeout={_timeout(callee.ring_seconds, callee.voicemail_enabled)}"))
    actions += _outside_legs_identity(ctx)
    prefix = "{" + ",".join(leg_variables) + "}" if leg_variables else ""
    actions.append(("bridge", prefix + _gateway(ctx, number)))
    return actions + _after_no_answer(ctx, callee)


def _with_busy(ctx: CallContext, callee: Extension, name: str, actions: list[Action]) -> CallPlan:
    """F11.6: "keep ringing" rings anyway (call waiting); otherwise, when the extension
    is already on a call, play "on the phone" then voicemail, or go straight to
    voicemail; with voicemail off either ends the call as busy."""
    if callee.busy_behaviour is BusyBehaviour.RING:
        return CallPlan(name, tuple(actions))
    busy = list(_caller_counts(ctx))
    if callee.busy_behaviour is BusyBehaviour.MESSAGE:
        busy.append(("playback", PROMPTS["on_the_phone"]))
    busy += _voicemail(ctx, callee) if callee.voicemail_enabled else [("hangup", "USER_BUSY")]
    return CallPlan(name, tuple(actions), Branch(busy_field(ctx, callee), FREE, tuple(busy)))


# Voicemail (F2) ---------------------------------------------------------------------

def voicemail_menu(ctx: CallContext) -> CallPlan:
    """8500: asks for the mailbox, then its password."""
    return CallPlan("voicemail-menu", tuple(_caller_counts(ctx) + [
        ("answer", ""), ("voicemail", f"check {VOICEMAIL_PROFILE} {ctx.domain}")]))


def own_voicemail(ctx: CallContext) -> CallPlan:
    """*97 (the envelope key): the caller's own box, password asked (F2.1)."""
    if ctx.caller is None:
        return voicemail_menu(ctx)
    return CallPlan("own-voicemail", tuple(_caller_counts(ctx) + [
        ("answer", ""), ("voicemail", f"check {VOICEMAIL_PROFILE} {ctx.domain} {ctx.caller.number}")]))


def deposit_voicemail(ctx: CallContext, box: Extension | None) -> CallPlan:
    """*99<box>: leave a message; a box that is off or gone ends the call."""
    if not is_available(box) or not box.voicemail_enabled:
        return CallPlan("voicemail-deposit", (("hangup", "NO_ANSWER"),))
    return CallPlan("voicemail-deposit", tuple(_voicemail(ctx, box)))


# Park (F4, G10) ------------------------------------------------------------------------

def park_lot(ctx: CallContext) -> str:
    """One valet lot per company; the @domain part makes slot presence 70x@domain."""
    return f"park@{ctx.domain}"


def park(ctx: CallContext, parker: Extension | None, blind: bool) -> CallPlan:
    """700: take the first free slot 701-709 and announce it. An unretrieved call rings
    the parker back after PARK_TIMEOUT. A full lot is announced by valet_park, and the
    call stays with the parker: in an attended transfer hanging up this leg returns the
    parker to the held call; a blind-transferred caller is sent back to the parker."""
    slots = numbers.PARK_SLOTS
    actions = _caller_counts(ctx) + [("set", f"valet_parking_timeout={PARK_TIMEOUT}")]
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
    empty = tuple(_caller_counts(ctx) + [("phrase", "valet_lot_empty"), ("hangup", "NORMAL_CLEARING")])
    return CallPlan("retrieve-parked", tuple(_caller_counts(ctx) + [("answer", ""), ("valet_park", f"{lot} {slot}")]),
                    Branch("${valet_info(" + lot + ")}", f">{slot}<", empty))


# Pickup (G13) ------------------------------------------------------------------------------

def group_pickup(ctx: CallContext) -> CallPlan:
    """*8: answer the oldest ringing call of any extension that allows pickup."""
    if ctx.caller is None:
        return CallPlan("pickup-refused", tuple(_refuse()))
    return CallPlan("group-pickup", tuple(_caller_counts(ctx) + [
        ("pickup", f"{PICKUP_GROUP}@{ctx.domain}"), ("hangup", "NORMAL_CLEARING")]))


def directed_pickup(ctx: CallContext, target: Extension | None) -> CallPlan:
    """**NNN: answer NNN's ringing call, if NNN allows pickup."""
    if ctx.caller is None or not is_available(target) or not target.call_pickup:
        return CallPlan("pickup-refused", tuple(_refuse()))
    return CallPlan("directed-pickup", tuple(_caller_counts(ctx) + [
        ("pickup", f"{target.number}@{ctx.domain}"), ("hangup", "NORMAL_CLEARING")]))


# Outbound (G14) -----------------------------------------------------------------------------

def outbound_call(ctx: CallContext, number: str) -> CallPlan:
    """A call through the trunk. 911 always goes out, with a callback number and never
    hidden; other classes follow the caller's permission: Disabled refuses, With code
    asks for the code (3 tries, then numbers.TOLL_REFUSED), Unlimited goes out."""
    call_class = outbound.classify(number)
    caller = ctx.caller
    if call_class is None:
        return unallocated()
    if not ctx.gateway:
        return CallPlan("outbound-refused", tuple(_refuse("OUTGOING_CALL_BARRED")))
    if call_class is CallClass.EMERGENCY:
        return _emergency(ctx, number)
    if caller is None:
        return CallPlan("outbound-refused", tuple(_refuse("OUTGOING_CALL_BARRED")))
    mode = outbound.permission(caller, call_class)
    code = outbound.access_code(caller, call_class) if mode is TollMode.WITH_CODE else None
    if mode is TollMode.DISABLED or (mode is TollMode.WITH_CODE and code is None):
        return CallPlan("outbound-refused", tuple(_caller_counts(ctx) + _refuse("OUTGOING_CALL_BARRED")))
    actions = _caller_counts(ctx)
    if code is not None:
        ask = (f"{len(code)} {len(code)} {CODE_TRIES} 5000 # {PROMPTS['enter_code']} {PROMPTS['bad_code']} "
               f"access_code ^{code}$ 3000 {numbers.TOLL_REFUSED} XML {ctx.context}")
        actions += [("answer", ""), ("set", f"transfer_ringback={RINGBACK_TONE}"),
                    ("play_and_get_digits", ask)]
    actions += _outside_legs_identity(ctx)
    if caller.record_outgoing:
        actions.append(_recording(ctx))
    actions += [("set", "hangup_after_bridge=true"), ("bridge", _gateway(ctx, number))]
    return CallPlan(f"outbound-{call_class.value.replace('_', '-')}", tuple(actions))


def _emergency(ctx: CallContext, number: str) -> CallPlan:
    caller = ctx.caller
    if caller is not None:
        identity = outbound.extension_outside_identity(caller, ctx.company.name, ctx.main_number)
    else:
        identity = outbound.outside_identity("", None, ctx.company.name, ctx.main_number)
    actions = _caller_counts(ctx)
    if identity is not None:
        actions += [("set", f"effective_caller_id_name={fs_text(identity[0])}"),
                    ("set", f"effective_caller_id_number={fs_text(identity[1])}")]
    if caller is not None and caller.record_outgoing:
        actions.append(_recording(ctx))
    actions += [("set", "hangup_after_bridge=true"), ("bridge", _gateway(ctx, number))]
    return CallPlan("emergency", tuple(actions))


def toll_refused(ctx: CallContext) -> CallPlan:
    """Where three wrong access codes end."""
    return CallPlan("outbound-refused", tuple(_refuse("OUTGOING_CALL_BARRED")))


def unallocated() -> CallPlan:
    """A number that is nothing in this company."""
    return CallPlan("unallocated", (("hangup", "UNALLOCATED_NUMBER"),))
