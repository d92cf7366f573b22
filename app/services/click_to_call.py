"""Click-to-call (F17.5, G22): the command that rings the user's own phone, then the colleague.

`originate {vars}user/<caller>@<domain> <target> XML <context>` (mod_commands.c
originate_function(); its arguments are split on spaces, single quotes group and are
removed, switch_utils.c separate_string_blank_delim()):

- `user/<caller>@<domain>` rings every device of the user's extension with the
  directory's dial-string, and mod_dptools.c user_outgoing_channel() sets the
  directory user's variables on that channel: its caller ID (effective_caller_id_*,
  what the colleague will see), user_context, toll_allow;
- `user_name`/`domain_name` are what the dial plan takes as the calling account
  (app/xml_curl/dialplan.py): the transferred call is the user's own call, with the
  user's outbound permissions and the colleague's call handling;
- `origination_caller_id_*` is what the user's phone shows while it rings: the
  colleague (F17 "the caller's display shows the target");
- `originate_timeout` bounds the ring of the user's phone (switch_ivr_originate.c
  reads it from the variables); once answered, the channel is transferred to the
  target in the company's context (switch_ivr_session_transfer()).

The command is sent with `bgapi` (the page never waits 30 s); FreeSWITCH answers the
job with `+OK <uuid>` or `-ERR <cause>` (switch_channel_cause2str()).
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.models.extension import Extension
from app.telephony import fs_text

RING_SECONDS = 30  # G22: the own phone unanswered after 30 s, the attempt is dropped

NOT_REGISTERED, BUSY, NO_ANSWER, DECLINED, FAILED = "not_registered", "busy", "no_answer", "declined", "failed"
# switch_channel_cause2str() names of the causes an originate to a user ends with.
_CAUSES = {
    "USER_NOT_REGISTERED": NOT_REGISTERED, "SUBSCRIBER_ABSENT": NOT_REGISTERED,
    "UNALLOCATED_NUMBER": NOT_REGISTERED, "NO_ROUTE_DESTINATION": NOT_REGISTERED,
    "USER_BUSY": BUSY, "NORMAL_CIRCUIT_CONGESTION": BUSY,
    "NO_ANSWER": NO_ANSWER, "NO_USER_RESPONSE": NO_ANSWER, "ALLOTTED_TIMEOUT": NO_ANSWER,
    "ORIGINATOR_CANCEL": NO_ANSWER, "PROGRESS_TIMEOUT": NO_ANSWER,
    "CALL_REJECTED": DECLINED,
}
MESSAGES = {
    NOT_REGISTERED: _l("Your phone is not registered: no call was placed. Check that it is on and connected."),
    BUSY: _l("Your phone is busy: hang up, then try again."),
    NO_ANSWER: _l("Your phone did not answer within 30 seconds: the call was dropped."),
    DECLINED: _l("The call was declined on your phone."),
    FAILED: _l("The call could not be placed (%(cause)s)."),
}


class CannotCall(Exception):
    """Why this click cannot start a call (a translated message)."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


def caller_extension(extensions: list[Extension]) -> Extension | None:
    """The user's own extension that rings first: the lowest-numbered one they own."""
    return min(extensions, key=lambda e: (len(e.number), e.number)) if extensions else None


def originate_command(caller: Extension, target: Extension) -> str:
    """The originate command for `caller` (the user's extension) calling `target`."""
    if caller.company_id != target.company_id:
        raise CannotCall(_l("This extension belongs to another company."))
    if caller.id == target.id:
        raise CannotCall(_l("This is your own extension."))
    company = caller.company
    domain, context = company.sip_domain, company.dialplan_context
    primary = next((a.username for a in caller.sip_accounts if not a.softphone), None)
    numbers_usable = fs_text.is_digits(caller.number) and fs_text.is_digits(target.number)
    if not (primary and fs_text.is_token(primary) and numbers_usable and fs_text.is_hostname(domain)
            and fs_text.is_hostname(context)):
        raise CannotCall(_l("This call cannot be placed: the extension's settings are incomplete."))
    # display_name() keeps no quote, comma or "$": safe inside '...' and a {} list.
    name = fs_text.display_name(target.name, fallback=target.number)
    variables = ",".join([
        f"origination_caller_id_name='{name}'",
        f"origination_caller_id_number={target.number}",
        f"user_name={primary}",
        f"domain_name={domain}",
        f"originate_timeout={RING_SECONDS}",
        "switchboard_click_to_call=true",
    ])
    return f"originate {{{variables}}}user/{primary}@{domain} {target.number} XML {context}"


def outcome(reply: str | None) -> tuple[str, str]:
    """("ringing" | "connected" | one of the failure kinds, FreeSWITCH's cause) from a job's answer."""
    if reply is None:
        return "ringing", ""
    reply = reply.strip()
    if reply.startswith("+OK"):
        return "connected", ""
    cause = reply.removeprefix("-ERR").strip().split(" ")[0] or "UNKNOWN"
    return _CAUSES.get(cause, FAILED), cause


def message(kind: str, cause: str = "") -> str:
    return str(MESSAGES[kind]) if kind != FAILED else str(MESSAGES[FAILED]) % {"cause": cause}
