"""The shape of a call plan and the pieces every kind of call shares.

A plan is a list of (application, data) pairs that the xml_curl dial plan renders as
one extension of the company's context. When the right answer depends on something
only FreeSWITCH knows at that moment (is the extension already on a call, is a call
parked in that slot) the plan carries a `Branch`: mod_dialplan_xml expands its
`field` while routing and runs `actions` when `expression` matches, else `otherwise`
(a condition with anti-actions).

FreeSWITCH facts relied on (v1.10.12 sources):
- switch_ivr_originate.c: `call_timeout` <= 0 means the 60 s default, so "ring
  forever" is a huge timeout.
- mod_dptools.c: `limit hash <realm> <id>` with no max only counts (released on
  hangup, through a state-change hook that survives transfers).
- mod_commands.c: `limit_usage hash <realm> <id>` reads the counter.
- switch_ivr.c: every transfer decrements max_forwards, so a forwarding loop between
  two extensions ends (EXCHANGE_ROUTING_ERROR) instead of running forever.
"""
from dataclasses import dataclass

from app.models.company import Company
from app.models.extension import Extension
from app.telephony.sounds import PROMPTS, sound_prefix

Action = tuple[str, str]

RING_FOREVER = 86400  # seconds: "ring forever" without the 60 s default


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


def limit_key(ctx: CallContext, extension: Extension) -> str:
    return f"hash {ctx.domain} {extension.number}"


def caller_counts(ctx: CallContext) -> list[Action]:
    """The caller is on a call from now on: it counts for its own busy behaviour (F11.6)."""
    return [("limit", limit_key(ctx, ctx.caller))] if ctx.caller is not None else []


def recording(ctx: CallContext) -> Action:
    path = "${recordings_dir}/" + ctx.domain + "/${strftime(%Y-%m-%d)}/${uuid}.wav"
    return ("record_session", path + " {RECORD_BRIDGE_REQ=true}")


def speak(language: str) -> list[Action]:
    """The prompts of `language`: mod_voicemail's phrases (default_language) and our files
    (sound_prefix, which file_string:// also reads: mod_dptools.c next_file())."""
    return [("set", f"default_language={language}"), ("set", f"sound_prefix={sound_prefix(language)}")]


def refuse(cause: str = "CALL_REJECTED") -> list[Action]:
    return [("playback", PROMPTS["not_allowed"]), ("hangup", cause)]


def seconds_or_forever(seconds: int | None) -> int:
    return seconds if seconds else RING_FOREVER


def unallocated() -> CallPlan:
    """A number that is nothing in this company."""
    return CallPlan("unallocated", (("hangup", "UNALLOCATED_NUMBER"),))
