"""What the next call to an extension will do, in one sentence, and what in its
settings will not act as someone might expect — both read from handling.decide(),
the rule the dial plan follows."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app.models.extension import BusyBehaviour
from app.services.calls.handling import Handling, Mode, Notice, Target
from app.services.phone_numbers import dialled_national

NOTICES = {
    Notice.FINDME_OFF_WHILE_FORWARDING: _l("Find-me/follow-me is off while call forwarding is on."),
    Notice.FORWARD_TARGET_UNUSABLE: _l("Call forwarding is on but its destination can't be reached "
                                       "(removed, disabled, or not allowed by this extension's permissions)."),
    Notice.FINDME_NUMBER_UNUSABLE: _l("The find-me/follow-me number is not allowed by this extension's "
                                      "permissions: it is skipped."),
    Notice.FORWARD_NEVER_TRIGGERS: _l("Ring for is 0 (ring forever): forwarding will never trigger."),
}


def notices(handling: Handling) -> list[str]:
    return [str(NOTICES[notice]) for notice in handling.notices]


def _target(target: Target) -> str:
    if target.extension is not None:
        return _("extension %(number)s (%(name)s)", number=target.extension.number, name=target.extension.name)
    return dialled_national(target.number)


def _ring(handling: Handling, seconds: int | None) -> str:
    if seconds is None:
        return ngettext("Rings on %(num)d device until answered", "Rings on %(num)d devices until answered",
                        handling.devices)
    return ngettext("Rings %(seconds)s s on %(num)d device", "Rings %(seconds)s s on %(num)d devices",
                    handling.devices, seconds=seconds)


def _then_unanswered(handling: Handling) -> str:
    return _("then voicemail") if handling.voicemail else _("then the call ends")


def _busy(handling: Handling) -> str:
    if handling.busy is BusyBehaviour.RING:
        return ""
    if not handling.voicemail:
        return _("While on a call: the caller hears busy.")
    if handling.busy is BusyBehaviour.MESSAGE:
        return _("While on a call: the caller hears that you are on the phone, then voicemail.")
    return _("While on a call: straight to voicemail.")


def describe(handling: Handling) -> str:
    """E.g. "Rings 20 s on 2 devices, then voicemail." """
    mode = handling.mode
    if mode is Mode.UNREACHABLE:
        return _("Calls are refused: the person this extension belongs to is disabled.")
    if mode is Mode.FORWARD_ALWAYS:
        sentence = _("Forwarded at once to %(target)s.", target=_target(handling.target))
    elif mode is Mode.DND:
        sentence = _("Do not disturb: callers hear the line is unavailable, no voicemail.")
    elif mode in (Mode.FORWARD_NO_ANSWER, Mode.PRESS_1) and handling.ring_seconds is None:
        sentence = _("%(ring)s.", ring=_ring(handling, None))  # ring forever: what follows never comes
    elif mode is Mode.FORWARD_NO_ANSWER:
        sentence = _("%(ring)s, then is forwarded to %(target)s.", ring=_ring(handling, handling.ring_seconds),
                     target=_target(handling.target))
    elif mode is Mode.RING_BOTH:
        sentence = _("%(ring)s and %(target)s at the same time, %(then)s.",
                     ring=_ring(handling, handling.ring_seconds), target=_target(handling.target),
                     then=_then_unanswered(handling))
    elif mode is Mode.PRESS_1:
        sentence = _("%(ring)s, then the caller may press 1 to be forwarded to %(target)s; otherwise %(then)s.",
                     ring=_ring(handling, handling.ring_seconds), target=_target(handling.target),
                     then=_("voicemail") if handling.voicemail else _("the call ends"))
    elif mode is Mode.FIND_ME:
        second = (_("until answered") if handling.ring_seconds is None
                  else _("for %(seconds)s s", seconds=handling.ring_seconds))
        sentence = _("%(ring)s, then %(target)s %(second)s, %(then)s.",
                     ring=_ring(handling, handling.first_seconds), target=_target(handling.target),
                     second=second, then=_then_unanswered(handling))
    elif handling.ring_seconds is None:
        sentence = _("%(ring)s (voicemail is off).", ring=_ring(handling, None))
    else:
        sentence = _("%(ring)s, %(then)s.", ring=_ring(handling, handling.ring_seconds),
                     then=_then_unanswered(handling))
    busy = _busy(handling) if mode not in (Mode.FORWARD_ALWAYS, Mode.DND) else ""
    return " ".join(part for part in (sentence, busy) if part)
