"""The portal's two menus. An entry is listed only once its page exists."""
from dataclasses import dataclass
from typing import Callable

from flask_babel import lazy_gettext as _l
from flask_login import current_user


def _admin(user) -> bool:
    return user.is_admin


def _company_member(user) -> bool:
    return user.company_id is not None


@dataclass(frozen=True)
class Entry:
    label: object
    endpoint: str
    allowed: Callable = _company_member


MY_ACCOUNT: list[Entry] = [
    Entry(_l("Extensions"), "extensions.index"),
    Entry(_l("Extension status"), "extensions.status"),
    Entry(_l("Phone numbers"), "numbers.index", _admin),
    Entry(_l("Call restriction"), "restrictions.index", _admin),
    Entry(_l("Users"), "users.index", _admin),
    Entry(_l("Phones"), "phones.index", _admin),
    Entry(_l("Account settings"), "main.settings"),
]

TOOLS: list[Entry] = [
    Entry(_l("Address books"), "books.index"),
    Entry(_l("My phones"), "phones.directories"),
    Entry(_l("Voicemail boxes"), "voicemail.index", _admin),
    Entry(_l("My voicemail"), "voicemail.inbox"),
]


def inject_menus() -> dict:
    if not current_user.is_authenticated or current_user.is_operator:
        return {"menus": []}
    menus = []
    for title, entries in ((_l("My account"), MY_ACCOUNT), (_l("Tools"), TOOLS)):
        visible = [e for e in entries if e.allowed(current_user)]
        if visible:
            menus.append((title, visible))
    return {"menus": menus}
