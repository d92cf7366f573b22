"""Voicemail calls (F2, F5): leaving a message, the 8500 menu, *97, *99<box>, *98<box>,
and the keys 0 and * pressed during a box's greeting.

mod_voicemail.c: `voicemail <profile> <domain> <box>` leaves a message
(voicemail_leave_main()), `voicemail check <profile> <domain> [<box>]` asks for the
box (if not given) and its password (voicemail_check_main()); the application does
not answer by itself. An unknown box ends `voicemail check` at once, so the 8500
menu collects the number itself and accepts only the company's boxes.

After its password (`voicemail auth_only`), a box is our own menus (`box_session`):
mod_voicemail's check menu has no key that leaves it for the dial plan, and the guide's
options key (0, then 1 or 4 2 for the temporary greeting, F2.5-F2.6, G6) is not one of
its menus. Listening to messages is mod_voicemail's, told the box is authorised.

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
from app.services.calls.phone_recording import record_replacing
from app.services.calls.plan import Action, Branch, CallContext, CallPlan, caller_counts, speak
from app.telephony import dial_codes, fs_text
from app.telephony.sounds import PROMPTS
from app.telephony.voicemail import VOICEMAIL_PROFILE, temporary_greeting_path, voicemail_profile

BOX_VARIABLE = "switchboard_vm_box"  # read back by the * destination (app/xml_curl/request.py)
MENU_TRIES = 3  # F2: a wrong box number is asked again, 3 times in all (G11)
KEY_VARIABLE = "switchboard_vm_key"  # the key pressed in a box menu
TEMPORARY_GREETING_SECONDS = 120
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


def deposit_voicemail(ctx: CallContext, box: Mailbox | None) -> CallPlan:
    """*99<box>: leave a message; a box that is off or gone ends the call, a full one
    says so. While the box has a temporary greeting (F2.7) it plays instead of the
    others: mod_voicemail plays `voicemail_greeting_path` when set
    (voicemail_leave_main()), so it is set only while the file exists, which FreeSWITCH
    checks when the call gets there (the answer stays the same, and is kept)."""
    if not usable(box):
        return CallPlan("voicemail-deposit", (("hangup", "NO_ANSWER"),))
    language = box_language(ctx, box)
    full = (("set", f"default_language={language}"), ("answer", ""),
            ("playback", PROMPTS["mailbox_full"]), ("hangup", "NORMAL_CLEARING"))
    leave = [("set", f"default_language={language}"), ("set", f"{BOX_VARIABLE}={box.number}"),
             ("set", f"voicemail_greeting_path={_while_it_exists(temporary_greeting_path(ctx.domain, box.number))}"),
             ("answer", ""), ("voicemail", f"{voicemail_profile(box.max_seconds)} {ctx.domain} {box.number}")]
    return CallPlan("voicemail-deposit", full, Branch(_message_count(ctx, box), FULL, tuple(leave)))


def _while_it_exists(path: str) -> str:
    """`path` while the file exists, else nothing: `set` then unsets the variable.
    - mod_commands.c cond_function(): with no ":" part, a false condition writes ""
      (switch_utils.c separate_string_char_delim() trims the space before the path);
      file_exists_function() answers "true" or "false".
    - switch_core_session.c switch_core_session_exec() expands the data first;
      mod_dptools.c base_set() takes an empty value as none, and
      switch_channel_add_variable_var_check() deletes a variable set to none.
    The path has no ":" or space (FreeSWITCH's storage_dir, a hostname and digits),
    which cond would split on."""
    return f"${{cond(${{file_exists({path})}} == true ? {path})}}"


def login(ctx: CallContext, box: Mailbox) -> list[Action]:
    """The box's password, then its menu. mod_voicemail.c voicemail_function():
    `auth_only` runs voicemail_check_main() up to the password only; a wrong one
    max-login-attempts times hangs up (SWITCH_CAUSE_USER_CHALLENGE), a right one sets
    user_pin_authenticated and user_pin_authenticated_user and goes on to the next
    application. It also makes the box the channel's user (switch_ivr_set_user()):
    from here the call only ever reaches the box's own menus."""
    return [("set", f"{BOX_VARIABLE}={box.number}"), ("answer", ""),
            ("voicemail", f"auth_only {VOICEMAIL_PROFILE} {ctx.domain} {box.number}"),
            ("transfer", f"{dial_codes.BOX_SESSION} XML {ctx.context}")]


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
    return CallPlan("own-voicemail", tuple(caller_counts(ctx) + login(ctx, ctx.caller.mailbox)))


def box_login(ctx: CallContext, box: Mailbox | None) -> CallPlan:
    """*98<box>: the box's login (its password is asked), in the box's language (F2.8);
    an unknown box ends the call."""
    if box is None or not fs_text.is_digits(box.number):
        return CallPlan("voicemail-login", (("hangup", "UNALLOCATED_NUMBER"),))
    return CallPlan("voicemail-login", tuple(caller_counts(ctx) + speak(box_language(ctx, box)) + login(ctx, box)))


def key_destination(ctx: CallContext, kind: KeyDestination, target: str, box: Mailbox) -> list[Action]:
    """Where a key of the box's greeting leads: the same choices for 0 and * (F5.2)."""
    if kind is KeyDestination.EXTENSION and fs_text.is_digits(target):
        return [("transfer", f"{target} XML {ctx.context}")]
    if kind is KeyDestination.MAILBOX and fs_text.is_digits(target):
        return [("transfer", f"{dial_codes.VOICEMAIL_DEPOSIT_PREFIX}{target} XML {ctx.context}")]
    if kind is KeyDestination.LOGIN:
        return login(ctx, box)
    if kind is KeyDestination.ATTENDANT:
        return [("transfer", f"{dial_codes.ATTENDANT} XML {ctx.context}")]
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


# The box's menus, by the keys pressed since its main menu (G6). Each plan transfers to
# BOX_SESSION-<keys>, which names the next one; the box is the one the caller gave the
# password of (`authenticated_box`), never one the destination names.
MAIN, OPTIONS, TEMPORARY = "", "0", "04"
LISTEN_NEW, LISTEN_SAVED = "1", "2"
RECORD = frozenset({"01", "041"})
ERASE = "042"


def _say_keys(*choices: tuple[str, str]) -> str:
    """A menu prompt: "<what>, press <key>" for each choice, as one file_string://."""
    files = []
    for what, key in choices:
        files += [what, "voicemail/vm-press.wav", f"digits/{key}.wav"]
    return "file_string://" + "!".join(files)


_MENUS = {
    MAIN: (_say_keys(("voicemail/vm-listen_new.wav", "1"), ("voicemail/vm-listen_saved.wav", "2"),
                     ("voicemail/vm-advanced.wav", "0")), "[120]"),
    OPTIONS: (_say_keys(("voicemail/vm-to_record_greeting.wav", "1"), ("voicemail/vm-greeting.wav", "4"),
                        ("voicemail/vm-main_menu.wav", "0")), "[140]"),
    TEMPORARY: (_say_keys(("voicemail/vm-to_record_greeting.wav", "1"), ("voicemail/vm-delete_recording.wav", "2"),
                          ("voicemail/vm-main_menu.wav", "0")), "[120]"),
}


def _session(keys: str = MAIN) -> str:
    return f"{dial_codes.BOX_SESSION}-{keys}" if keys else dial_codes.BOX_SESSION


def _menu(ctx: CallContext, keys: str) -> list[Action]:
    prompt, digits = _MENUS[keys]
    # mod_dptools.c play_and_get_digits: min max tries timeout terminators file invalid_file
    # var_name regexp digit_timeout transfer_on_failure
    collect = (f"1 1 {MENU_TRIES} 5000 # {prompt} {PROMPTS['bad_code']} {KEY_VARIABLE} ^{digits}$ 3000 "
               f"{dial_codes.WRONG_ENTRY} XML {ctx.context}")
    # 0 in a submenu is the main menu: the key leads to "<keys>0", sent back to MAIN.
    return [("play_and_get_digits", collect),
            ("transfer", f"{_session(keys + '${' + KEY_VARIABLE + '}')} XML {ctx.context}")]


def box_session(ctx: CallContext, box: Mailbox | None, keys: str) -> CallPlan:
    """A box after its password: the main menu (1 new messages, 2 saved ones, 0 options),
    the options (1 record the temporary greeting, 4 the temporary greeting's own menu:
    1 record it, 2 erase it), 0 back to the main menu."""
    if box is None or not fs_text.is_digits(box.number):
        return CallPlan("voicemail-box-refused", (("hangup", "NORMAL_CLEARING"),))
    language = speak(box_language(ctx, box))
    if keys in (LISTEN_NEW, LISTEN_SAVED):
        # mod_voicemail.c voicemail_function(): voicemail_authorized skips the password;
        # vm_auto_play=false starts at the menu instead of the new messages.
        listen = [("set", "voicemail_authorized=true")]
        if keys == LISTEN_SAVED:
            listen.append(("set", "vm_auto_play=false"))
        return CallPlan("voicemail-box-messages", tuple(language + listen + [
            ("voicemail", f"check {VOICEMAIL_PROFILE} {ctx.domain} {box.number}"),
            ("unset", "voicemail_authorized"), ("hangup", "NORMAL_CLEARING")]))
    greeting = temporary_greeting_path(ctx.domain, box.number)
    if keys in RECORD:
        return CallPlan("voicemail-box-record-greeting", tuple(
            language + record_replacing(greeting, TEMPORARY_GREETING_SECONDS, short_turns_off=False)
            + [("transfer", f"{_session(OPTIONS)} XML {ctx.context}")]))
    if keys == ERASE:
        # No application deletes a file; moved aside, it no longer exists for the dial plan.
        erased = greeting.removesuffix(".wav") + ".erased.wav"
        return CallPlan("voicemail-box-erase-greeting", tuple(language + [
            ("rename", f"{greeting} {erased}"), ("playback", "file_string://voicemail/vm-greeting.wav!"
                                                             "voicemail/vm-deleted.wav"),
            ("transfer", f"{_session(OPTIONS)} XML {ctx.context}")]))
    if keys not in _MENUS:
        keys = MAIN  # "<menu>0": back to the main menu
    return CallPlan("voicemail-box-menu", tuple(language + _menu(ctx, keys)))


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
