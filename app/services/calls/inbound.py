"""A carrier call to one of the company's numbers (context `public`, F6, F10, F2.3).

In order: restriction rules -> an exception in force (the exception message, then the
closed handling) -> open or closed by the weekly hours in the company's time zone ->
the configured destination. `call_path()` decides, and both the dial plan and the
number page's call-path simulator call it, so they cannot disagree.

FreeSWITCH facts relied on (v1.10.12 sources):
- mod_dptools.c play_and_get_digits: `<min> <max> <tries> <timeout> <terminators>
  <file> <invalid_file> <var_name> <regexp> <digit_timeout> <transfer_on_failure>`; it
  collects until max digits, a terminator or the inter-digit timeout, so 8500 and a
  3-6 digit extension are read whole and "8" never fires alone (F2); after the last
  failed try it transfers to the failure destination.
- mod_commands.c cond_function: `${cond(a == b ? x : y)}` compares numerically when both
  sides are numbers; used to turn the operator key 0 into the operator's extension.
- mod_commands.c file_exists_function answers "true"/"false": whether the exception
  message exists is checked when the call is routed (the recording lives in
  FreeSWITCH's storage, see features.exception_message_recording()).
- sofia maps INCOMING_CALL_BARRED to SIP 403 (F10: no voicemail for a rejected caller).
"""
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from app.models.company import Company, PhoneNumber
from app.models.schedule import ClosedAction, OpenAction
from app.services import restrictions, schedules
from app.services.calls import voicemail
from app.services.calls.plan import Action, Branch, CallContext, CallPlan, speak
from app.telephony import dial_codes, fs_text
from app.telephony.sounds import PROMPTS

GREETING_TRIES = 3
GREETING_WAIT_MS = 5000       # after the greeting, for the first digit
GREETING_DIGIT_WAIT_MS = 2000  # between digits: 101 then silence is 101
CHOICE = "greeting_choice"


@dataclass(frozen=True)
class CallPath:
    """What happens to a call: `outcome` is "blocked" (by `verdict.rule`), "not_allowed"
    (allow rules exist, none matches), "exception", "closed" or "open"."""

    outcome: str
    verdict: restrictions.Verdict
    status: schedules.Status | None = None


def call_path(rules: Sequence[restrictions.Rule], hours: schedules.Hours, time_zone: str, caller: str | None,
              instant: datetime) -> CallPath:
    """`caller`: the presented digits, None when withheld (never filtered)."""
    verdict = restrictions.judge(rules, caller)
    if not verdict.allowed:
        return CallPath("blocked" if verdict.rule is not None else "not_allowed", verdict)
    status = hours.status_at(time_zone, instant)
    return CallPath(status.state.value, verdict, status)


# The dial plan ---------------------------------------------------------------------------

def greetings_path(name: str) -> str:
    """Where FreeSWITCH finds an uploaded greeting: the storage folder it shares with the
    portal (app/services/greetings.py writes there)."""
    return f"$${{storage_dir}}/greetings/{name}"


def exception_message_path(company: Company) -> str:
    return f"$${{storage_dir}}/exception-messages/{company.sip_domain}.wav"


def _greeting(name: str | None, fallback: str) -> str:
    return greetings_path(name) if name and fs_text.is_token(name) else fallback


def _extension(number: str | None) -> str | None:
    return number if number and dial_codes.is_valid_extension_number(number) and number.isdigit() else None


def _caller_language(company: Company) -> list[Action]:
    """No directory user answers for a carrier call: the prompts follow the company."""
    return speak(fs_text.language(company.language))


def closed_handling(ctx: CallContext, number: PhoneNumber) -> list[Action]:
    """The closed greeting, then a voicemail box or the end of the call (F6.2, G3)."""
    actions = [("playback", _greeting(number.closed_greeting_file, PROMPTS["closed"]))]
    box = _extension(number.closed_box)
    if number.closed_action is ClosedAction.VOICEMAIL and box is not None:
        return actions + voicemail.send_to_box(ctx, box)
    return actions + [("hangup", "NORMAL_CLEARING")]


def open_destination(ctx: CallContext, number: PhoneNumber) -> list[Action]:
    extension = _extension(number.open_extension)
    if number.open_action is OpenAction.EXTENSION and extension is not None:
        return [("transfer", f"{extension} XML {ctx.context}")]
    return greeting(ctx, number)


def choice_regex(with_operator: bool) -> str:
    """What the caller may dial during the greeting: an extension number (never a
    reserved code: an outside caller must not reach 911 through the company's trunk,
    nor take a parked call), 8500, and 0 when there is an operator."""
    reserved = sorted(dial_codes.N11_CODES | {dial_codes.PARK, *dial_codes.PARK_SLOTS})
    extension = "(?!(?:" + "|".join(reserved) + ")$)[1-9][0-9]{2,5}"
    choices = [extension, voicemail.GREETING_VOICEMAIL_CODE] + (["0"] if with_operator else [])
    return "^(?:" + "|".join(choices) + ")$"


def greeting(ctx: CallContext, number: PhoneNumber) -> list[Action]:
    """The auto-attendant: the caller dials an extension, 8500 (voicemail, F2.3) or 0
    (the operator extension, when one is set); nothing or a wrong entry three times
    goes to the operator, else the call ends. The choice is transferred into the
    company's own context, where an extension's rules and 8500 apply as for anyone."""
    operator = _extension(number.operator_extension)
    regex = choice_regex(operator is not None)
    on_failure = f"{operator} XML {ctx.context}" if operator else f"{dial_codes.WRONG_ENTRY} XML {ctx.context}"
    ask = (f"1 6 {GREETING_TRIES} {GREETING_WAIT_MS} # {_greeting(number.greeting_file, PROMPTS['greeting'])} "
           f"{PROMPTS['bad_code']} {CHOICE} {regex} {GREETING_DIGIT_WAIT_MS} {on_failure}")
    choice = "${" + CHOICE + "}"
    target = "${cond(" + choice + " == 0 ? " + operator + " : " + choice + ")}" if operator else choice
    return [("answer", ""), ("play_and_get_digits", ask), ("transfer", f"{target} XML {ctx.context}")]


def attendant(ctx: CallContext, main_number: PhoneNumber | None) -> CallPlan:
    """A box's 0 or * set to "the company greeting": the main number's greeting, whatever
    the hour (the caller is already in the company)."""
    if main_number is None:
        return CallPlan("attendant-none", (("hangup", "NORMAL_CLEARING"),))
    return CallPlan("attendant", tuple(_caller_language(ctx.company) + greeting(ctx, main_number)))


def inbound_plan(ctx: CallContext, number: PhoneNumber, path: CallPath) -> CallPlan:
    if path.outcome in ("blocked", "not_allowed"):
        return CallPlan("inbound-barred", (("hangup", "INCOMING_CALL_BARRED"),))
    prelude = _caller_language(ctx.company)
    if path.outcome == "open":
        return CallPlan("inbound-open", tuple(prelude + open_destination(ctx, number)))
    closed = prelude + [("answer", "")] + closed_handling(ctx, number)
    if path.outcome == "closed":
        return CallPlan("inbound-closed", tuple(closed))
    # F6.8: during an exception the exception message, when one was recorded, plays first.
    message = exception_message_path(ctx.company)
    with_message = prelude + [("answer", ""), ("playback", message)] + closed[len(prelude) + 1:]
    return CallPlan("inbound-exception", tuple(with_message),
                    Branch("${file_exists(" + message + ")}", "^true$", tuple(closed)))


def wrong_entry() -> CallPlan:
    """Three wrong entries: the greeting with no operator, the exception password."""
    return CallPlan("wrong-entry", (("playback", PROMPTS["bad_code"]), ("hangup", "NORMAL_CLEARING")))
