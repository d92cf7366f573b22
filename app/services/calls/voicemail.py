"""Voicemail calls (F2): leaving a message, the 8500 menu, *97, *99<box>.

mod_voicemail.c: `voicemail <profile> <domain> <box>` leaves a message, `voicemail
check <profile> <domain> [<box>]` asks for the box (if not given) and its password;
the application does not answer by itself.
"""
from sqlalchemy import select

from app.flask_extensions import db
from app.models.extension import Extension
from app.services.calls.plan import Action, CallContext, CallPlan, caller_counts
from app.telephony import dial_codes, fs_text
from app.telephony.voicemail import VOICEMAIL_PROFILE


def leave_message(ctx: CallContext, extension: Extension) -> list[Action]:
    """Leave a message; prompts in the mailbox owner's language (F2.8)."""
    return [("set", f"default_language={fs_text.language(extension.language)}"), ("answer", ""),
            ("voicemail", f"{VOICEMAIL_PROFILE} {ctx.domain} {extension.number}")]


def after_no_answer(ctx: CallContext, extension: Extension) -> list[Action]:
    """G8: voicemail if on, else the call ends."""
    return leave_message(ctx, extension) if extension.voicemail_enabled else [("hangup", "NO_ANSWER")]


def voicemail_menu(ctx: CallContext) -> CallPlan:
    """8500: asks for the mailbox, then its password."""
    return CallPlan("voicemail-menu", tuple(caller_counts(ctx) + [
        ("answer", ""), ("voicemail", f"check {VOICEMAIL_PROFILE} {ctx.domain}")]))


def own_voicemail(ctx: CallContext) -> CallPlan:
    """*97 (the envelope key): the caller's own box, password asked (F2.1)."""
    if ctx.caller is None:
        return voicemail_menu(ctx)
    return CallPlan("own-voicemail", tuple(caller_counts(ctx) + [
        ("answer", ""), ("voicemail", f"check {VOICEMAIL_PROFILE} {ctx.domain} {ctx.caller.number}")]))


def deposit_voicemail(ctx: CallContext, box: Extension | None) -> CallPlan:
    """*99<box>: leave a message; a box that is off or gone ends the call."""
    if box is None or not box.reachable or not box.voicemail_enabled:
        return CallPlan("voicemail-deposit", (("hangup", "NO_ANSWER"),))
    return CallPlan("voicemail-deposit", tuple(leave_message(ctx, box)))


# The number page's closed destination and the greeting refer to voicemail boxes only
# through these (issue 11 moves boxes out of Extension: this is the one place to change).

GREETING_VOICEMAIL_CODE = dial_codes.VOICEMAIL_MENU  # F2.3: dialled during the company greeting


def voicemail_boxes(company_id: int, session=None) -> list[tuple[str, str]]:
    """(box number, label) of every box a closed number may send callers to, by number."""
    session = session or db.session
    rows = session.execute(select(Extension.number, Extension.name)
                           .where(Extension.company_id == company_id, Extension.voicemail_enabled.is_(True))
                           .order_by(Extension.number)).all()
    return [(number, f"{number} – {name}" if name else number) for number, name in rows]


def send_to_box(ctx: CallContext, box: str) -> list[Action]:
    """Leave a message in box `box`: through *99<box>, whose plan checks the box is on."""
    return [("transfer", f"{dial_codes.VOICEMAIL_DEPOSIT_PREFIX}{box} XML {ctx.context}")]
