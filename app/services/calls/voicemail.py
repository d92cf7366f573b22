"""Voicemail calls (F2, F5): leaving a message, the 8500 menu, *97, *99<box>, *98<box>,
and the keys 0 and * pressed during a box's greeting.

mod_voicemail.c: `voicemail <profile> <domain> <box>` leaves a message
(voicemail_leave_main()), `voicemail check <profile> <domain> [<box>]` asks for the
box (if not given) and its password (voicemail_check_main()); the application does
not answer by itself. An unknown box ends `voicemail check` at once, so the 8500
menu collects the number itself and accepts only the company's boxes.

Every message is left through *99<box> (`deposit_voicemail`), so that one plan
checks the box first: mod_voicemail has no per-box message limit (vm-disk-quota caps
seconds, not messages), so the plan counts the box's messages (`vm_boxcount`,
boxcount_api_function(), summed by mod_expr) and a full box (F5.6: 100) plays
"mailbox full" and hangs up instead.
"""
from sqlalchemy import select

from app.flask_extensions import db
from app.models.extension import Extension
from app.models.mailbox import MAX_MESSAGES, KeyDestination, Mailbox
from app.services.calls.plan import Action, Branch, CallContext, CallPlan, caller_counts
from app.telephony import dial_codes, fs_text
from app.telephony.sounds import PROMPTS
from app.telephony.voicemail import VOICEMAIL_PROFILE, voicemail_profile

BOX_VARIABLE = "switchboard_vm_box"  # read back by the * destination (app/xml_curl/request.py)
MENU_TRIES = 3  # F2: a wrong box number is asked again, 3 times in all (G11)
assert MAX_MESSAGES == 100  # FULL matches "100" and up: mod_expr prints "%0.10f"
FULL = "^[1-9][0-9]{2,}[.]"


def leave_message(ctx: CallContext, extension: Extension) -> list[Action]:
    """Leave a message in the extension's box (checked, and full or not, by *99<box>)."""
    return [("transfer", f"{dial_codes.VOICEMAIL_DEPOSIT_PREFIX}{extension.number} XML {ctx.context}")]


def after_no_answer(ctx: CallContext, extension: Extension) -> list[Action]:
    """G8: voicemail if on, else the call ends."""
    return leave_message(ctx, extension) if extension.voicemail_enabled else [("hangup", "NO_ANSWER")]


def box_language(ctx: CallContext, box: Mailbox) -> str:
    """F2.8: the prompts of the box owner's language; a general box speaks the company's."""
    owner = box.extension
    return fs_text.language(owner.language if owner is not None else ctx.company.language)


def _message_count(ctx: CallContext, box: Mailbox) -> str:
    where = f"{voicemail_profile(box.max_seconds)}/{box.number}@{ctx.domain}"
    return f"${{expr(${{vm_boxcount({where}|new)}}+${{vm_boxcount({where}|saved)}})}}"


def usable(box: Mailbox | None) -> bool:
    return box is not None and box.enabled and (box.extension is None or box.extension.reachable) \
        and fs_text.is_digits(box.number)


def deposit_voicemail(ctx: CallContext, box: Mailbox | None, temporary_greeting: str | None = None) -> CallPlan:
    """*99<box>: leave a message; a box that is off or gone ends the call, a full one
    says so. While the box has a temporary greeting (F2.7) it plays instead of the
    others: mod_voicemail plays `voicemail_greeting_path` when set
    (voicemail_leave_main()), which is why it is set only while the file exists."""
    if not usable(box):
        return CallPlan("voicemail-deposit", (("hangup", "NO_ANSWER"),))
    language = box_language(ctx, box)
    full = (("set", f"default_language={language}"), ("answer", ""),
            ("playback", PROMPTS["mailbox_full"]), ("hangup", "NORMAL_CLEARING"))
    leave = [("set", f"default_language={language}"), ("set", f"{BOX_VARIABLE}={box.number}")]
    if temporary_greeting:
        leave.append(("set", f"voicemail_greeting_path={temporary_greeting}"))
    leave += [("answer", ""), ("voicemail", f"{voicemail_profile(box.max_seconds)} {ctx.domain} {box.number}")]
    return CallPlan("voicemail-deposit", full, Branch(_message_count(ctx, box), FULL, tuple(leave)))


def _check(ctx: CallContext, box: str | None = None) -> Action:
    return ("voicemail", f"check {VOICEMAIL_PROFILE} {ctx.domain}" + (f" {box}" if box else ""))


def voicemail_menu(ctx: CallContext, box_numbers: list[str]) -> CallPlan:
    """8500: asks for the box number (only the company's boxes are accepted, 3 tries),
    then `voicemail check` asks for its password (max-login-attempts)."""
    numbers = [n for n in box_numbers if fs_text.is_digits(n)]
    if not numbers:
        return CallPlan("voicemail-menu", tuple(caller_counts(ctx) + [
            ("answer", ""), ("playback", PROMPTS["bad_code"]), ("hangup", "NORMAL_CLEARING")]))
    longest = max(len(n) for n in numbers)
    expression = "^(" + "|".join(sorted(numbers)) + ")$"
    # mod_dptools.c play_and_get_digits: min max tries timeout terminators file
    # invalid_file var_name regexp digit_timeout
    collect = (f"3 {longest} {MENU_TRIES} 5000 # {PROMPTS['enter_box']} {PROMPTS['bad_code']} "
               f"{BOX_VARIABLE} {expression} 3000")
    return CallPlan("voicemail-menu", tuple(caller_counts(ctx) + [
        ("answer", ""), ("play_and_get_digits", collect),
        ("transfer", f"{dial_codes.VOICEMAIL_LOGIN_PREFIX}${{{BOX_VARIABLE}}} XML {ctx.context}")]))


def own_voicemail(ctx: CallContext) -> CallPlan:
    """*97 (the envelope key): the caller's own box, password asked (F2.1). The dial plan
    sends a caller without a box to the 8500 menu instead."""
    box = ctx.caller.mailbox
    return CallPlan("own-voicemail", tuple(caller_counts(ctx) + [("answer", ""), _check(ctx, box.number)]))


def box_login(ctx: CallContext, box: Mailbox | None) -> CallPlan:
    """*98<box>: the box's login (its password is asked), in the box's language (F2.8);
    an unknown box ends the call."""
    if box is None or not fs_text.is_digits(box.number):
        return CallPlan("voicemail-login", (("hangup", "UNALLOCATED_NUMBER"),))
    return CallPlan("voicemail-login", tuple(caller_counts(ctx) + [
        ("set", f"default_language={box_language(ctx, box)}"), ("answer", ""), _check(ctx, box.number)]))


def key_destination(ctx: CallContext, kind: KeyDestination, target: str, box: Mailbox) -> list[Action]:
    """Where a key of the box's greeting leads: the same choices for 0 and * (F5.2)."""
    if kind is KeyDestination.EXTENSION and fs_text.is_digits(target):
        return [("transfer", f"{target} XML {ctx.context}")]
    if kind is KeyDestination.MAILBOX and fs_text.is_digits(target):
        return [("transfer", f"{dial_codes.VOICEMAIL_DEPOSIT_PREFIX}{target} XML {ctx.context}")]
    if kind is KeyDestination.LOGIN:
        return [_check(ctx, box.number)]
    return [("hangup", "NORMAL_CLEARING")]


def star_pressed(ctx: CallContext, box: Mailbox | None) -> CallPlan:
    """*96, voicemail.conf's vmain-extension: the caller pressed * during the greeting of
    the box the dial plan named in a channel variable. "Nothing" ends the message
    attempt back in the same box (the greeting again)."""
    if box is None:
        return CallPlan("voicemail-star", (("hangup", "NORMAL_CLEARING"),))
    if box.star_kind is KeyDestination.NONE:
        return CallPlan("voicemail-star", (
            ("transfer", f"{dial_codes.VOICEMAIL_DEPOSIT_PREFIX}{box.number} XML {ctx.context}"),))
    return CallPlan("voicemail-star", tuple(key_destination(ctx, box.star_kind, box.star_target, box)))


def hang_up() -> CallPlan:
    return CallPlan("voicemail-hangup", (("hangup", "NORMAL_CLEARING"),))


# The number page's closed destination and the company greeting refer to voicemail boxes
# only through these.

GREETING_VOICEMAIL_CODE = dial_codes.VOICEMAIL_MENU  # F2.3: dialled during the company greeting


def voicemail_boxes(company_id: int, session=None) -> list[tuple[str, str]]:
    """(box number, label) of every box a closed number may send callers to, by number."""
    session = session or db.session
    rows = session.execute(select(Mailbox.number, Mailbox.name)
                           .where(Mailbox.company_id == company_id, Mailbox.enabled.is_(True))
                           .order_by(Mailbox.number)).all()
    return [(number, f"{number} – {name}" if name else number) for number, name in rows]


def send_to_box(ctx: CallContext, box: str) -> list[Action]:
    """Leave a message in box `box`: through *99<box>, whose plan checks the box is on."""
    return [("transfer", f"{dial_codes.VOICEMAIL_DEPOSIT_PREFIX}{box} XML {ctx.context}")]
