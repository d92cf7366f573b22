"""What FreeSWITCH must learn about a change, collected while the transaction runs and
sent once it has committed; dropped if it rolls back (wazo-confd's rule: the engine
never hears of a change that may not exist).

Services record here (`directory_users`, `company_directory`, `sip_domains`,
`check_sync`); the first record of a transaction asks app/after_commit.py to hand
everything collected to the job queue (app/telephony/notify.py) once it has committed. A view
never notifies anyone itself.
"""
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

_KEY = "freeswitch_outbox"


@dataclass
class Pending:
    users: set[tuple[str, str]] = field(default_factory=set)  # (username, domain)
    companies: set[int] = field(default_factory=set)           # every SIP account of these
    rescan_profile: bool = False
    check_sync: set[tuple[str, str]] = field(default_factory=set)  # (username, domain)
    commands: list[str] = field(default_factory=list)          # mod_voicemail api commands, in order
    greetings: set[tuple[str, str]] = field(default_factory=set)  # (domain, box) whose greetings go

    def payload(self) -> dict:
        payload = {"users": sorted(self.users), "companies": sorted(self.companies),
                   "rescan_profile": self.rescan_profile}
        if self.check_sync:
            payload["check_sync"] = sorted(self.check_sync)
        if self.commands:
            payload["commands"] = list(self.commands)
        if self.greetings:
            payload["greetings"] = sorted(self.greetings)
        return payload


def _pending() -> Pending:
    from app import after_commit

    return after_commit.collect(_KEY, Pending, _send)


def directory_users(domain: str, usernames) -> None:
    """FreeSWITCH must forget these cached directory users (xml_flush_cache)."""
    _pending().users.update((username, domain) for username in usernames)


def company_directory(company_id: int) -> None:
    """Every cached directory user of the company must go: something they all carry
    changed (the company name or main number in their caller ID). Resolved after the
    commit, so accounts created in the same transaction are included."""
    _pending().companies.add(company_id)


def sip_domains() -> None:
    """The phones' SIP profile must re-read its domains (a company was created)."""
    _pending().rescan_profile = True


def check_sync(domain: str, usernames) -> None:
    """The phones registered as these users must re-read their configuration (a
    NOTIFY check-sync), each once its calls have ended."""
    _pending().check_sync.update((username, domain) for username in usernames)


def voicemail_commands(commands) -> None:
    """mod_voicemail api commands that change its store (empty a box, delete or mark a
    message): run after the commit, once, in this order (app/telephony/voicemail.py)."""
    _pending().commands.extend(command for command in commands if command not in _pending().commands)


def erase_greetings(domain: str, box: str) -> None:
    """The box's custom greetings and recorded name leave the shared storage folder."""
    _pending().greetings.add((domain, box))


def queued(session: Session) -> dict | None:
    """What this session will send at its commit (for tests and debugging)."""
    from app import after_commit

    pending = after_commit.collected(session, _KEY)
    return pending.payload() if pending else None


def _send(pending: Pending) -> None:
    from app.telephony import notify

    if (pending.users or pending.companies or pending.rescan_profile or pending.check_sync or pending.commands
            or pending.greetings):
        notify.send(pending.payload())
