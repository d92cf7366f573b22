"""What a call to an extension does: the one rule (F3, F11.4-F11.9, G7, G8).

`decide()` is used by the dial plan (app/services/calls/extension.py turns its answer
into FreeSWITCH applications), by the settings page (`describe()`: one sentence saying
what the next call will do) and by the grid (its notices). It is pure: it reads the
extension and what is loaded with it (owner, forwarding target), never the database
or a request, so the portal and the telephony can never disagree.

Precedence (G7, with F11.9 "call forwarding must be off for find-me/follow-me to
run"): always-forward > do not disturb > the other forwarding rules > find-me/follow-me
> ring, then voicemail if it is on, else the call ends (G8).
"""
import enum
from dataclasses import dataclass

from app.models.extension import BusyBehaviour, Extension, ForwardRule, ForwardTarget
from app.services import outbound
from app.telephony import dial_codes

FINDME_FIRST_DEFAULT = 15  # seconds the devices ring before the find-me number, if unset


class Mode(str, enum.Enum):
    UNREACHABLE = "unreachable"          # its owner is disabled: the number is nothing
    FORWARD_ALWAYS = "forward_always"
    DND = "dnd"
    FORWARD_NO_ANSWER = "forward_no_answer"
    RING_BOTH = "ring_both"
    PRESS_1 = "press_1"
    FIND_ME = "find_me"
    RING = "ring"


class Notice(str, enum.Enum):
    """Settings that are saved but do not act as someone might expect."""

    FINDME_OFF_WHILE_FORWARDING = "findme_off_while_forwarding"
    FORWARD_TARGET_UNUSABLE = "forward_target_unusable"
    FINDME_NUMBER_UNUSABLE = "findme_number_unusable"
    FORWARD_NEVER_TRIGGERS = "forward_never_triggers"


FORWARD_MODES = {ForwardRule.ALWAYS: Mode.FORWARD_ALWAYS, ForwardRule.NO_ANSWER: Mode.FORWARD_NO_ANSWER,
                 ForwardRule.RING_BOTH: Mode.RING_BOTH, ForwardRule.PRESS_1: Mode.PRESS_1}


@dataclass(frozen=True)
class Target:
    """Where a call is sent on: another extension of the company, or an outside number."""

    extension: Extension | None = None
    number: str = ""


@dataclass(frozen=True)
class Handling:
    """`ring_seconds` is how long the extension's devices ring before what follows
    (None: until answered); for find-me, how long the find-me number rings, after
    `first_seconds` on the devices. `voicemail`: unanswered calls end in voicemail,
    else they end. `busy` applies while the extension is already on a call."""

    mode: Mode
    ring_seconds: int | None = None
    target: Target | None = None
    first_seconds: int = 0
    voicemail: bool = False
    busy: BusyBehaviour = BusyBehaviour.RING
    devices: int = 1
    notices: tuple[Notice, ...] = ()


def ring_time(seconds: int, something_follows: bool) -> int | None:
    """Ring for `seconds`, unless it is 0 ("ring forever", F11.3) or nothing would follow."""
    return seconds if seconds > 0 and something_follows else None


def forward_target(extension: Extension, can_call_out: bool) -> Target | None:
    """Where forwarding sends calls, or None when it cannot apply: off, no destination,
    the target is gone, disabled or the extension itself, or the number is no longer
    allowed by the extension's permissions (they may have changed since it was saved)."""
    if not extension.forward_enabled:
        return None
    if extension.forward_target is ForwardTarget.EXTENSION:
        target = extension.forward_extension
        if (target is None or target.id == extension.id or target.company_id != extension.company_id
                or not target.reachable or not dial_codes.is_valid_extension_number(target.number)):
            return None
        return Target(extension=target)
    number = extension.forward_number or ""
    if not can_call_out or number == extension.number or not outbound.forward_allowed(extension, number):
        return None
    return Target(number=number)


def _findme_number(extension: Extension, can_call_out: bool) -> str | None:
    number = extension.findme_number or ""
    if not number or not can_call_out or not outbound.forward_allowed(extension, number):
        return None
    return number


def decide(extension: Extension, can_call_out: bool = True, devices: int | None = None) -> Handling:
    """What the next call to `extension` does. `can_call_out`: the trunk is usable (no
    outside destination otherwise); `devices`: how many SIP accounts ring (read from the
    loaded accounts when not given)."""
    if not extension.reachable:
        return Handling(Mode.UNREACHABLE)
    count = devices if devices is not None else max(1, len(extension.sip_accounts))
    common = dict(voicemail=extension.voicemail_enabled, busy=extension.busy_behaviour, devices=count)
    notices: list[Notice] = []
    target = forward_target(extension, can_call_out)
    if extension.forward_enabled:
        if target is None:
            notices.append(Notice.FORWARD_TARGET_UNUSABLE)
        if extension.findme_enabled:
            notices.append(Notice.FINDME_OFF_WHILE_FORWARDING)
    if target is not None and extension.forward_rule is ForwardRule.ALWAYS:
        return Handling(Mode.FORWARD_ALWAYS, target=target, notices=tuple(notices), **common)
    if extension.dnd:
        return Handling(Mode.DND, notices=tuple(notices), **common)
    if target is not None:
        rule = extension.forward_rule
        follows = rule in (ForwardRule.NO_ANSWER, ForwardRule.PRESS_1) or extension.voicemail_enabled
        if rule in (ForwardRule.NO_ANSWER, ForwardRule.PRESS_1) and extension.ring_seconds == 0:
            notices.append(Notice.FORWARD_NEVER_TRIGGERS)
        return Handling(FORWARD_MODES[rule], ring_time(extension.ring_seconds, follows), target,
                        notices=tuple(notices), **common)
    if extension.findme_enabled and not extension.forward_enabled:
        number = _findme_number(extension, can_call_out)
        if number is not None:
            first = extension.findme_ring_seconds if extension.findme_ring_seconds > 0 else FINDME_FIRST_DEFAULT
            return Handling(Mode.FIND_ME, ring_time(extension.ring_seconds, extension.voicemail_enabled),
                            Target(number=number), first_seconds=first, notices=tuple(notices), **common)
        notices.append(Notice.FINDME_NUMBER_UNUSABLE)
    return Handling(Mode.RING, ring_time(extension.ring_seconds, extension.voicemail_enabled),
                    notices=tuple(notices), **common)
