"""Telling FreeSWITCH what changed (the outbox's payload), from the job worker.

FreeSWITCH caches directory users (they are marked cacheable); a saved setting must
reach the next call, so the worker asks it to drop the cached entries and, for a
new company, to re-read its SIP domains. A FreeSWITCH that is down or slow never
holds up a page: the job retries with a growing delay, logs one warning per outage
(not a traceback per save), and the portal shows admins that changes are waiting.
"""
import logging
import time

from flask import current_app
from huey.constants import EmptyData
from sqlalchemy import select

from app.jobs import app_task, huey

log = logging.getLogger(__name__)

UNREACHABLE_KEY = "freeswitch-unreachable-since"
FIRST_RETRY = 1.0        # seconds; doubled after each failure...
LONGEST_RETRY = 60.0     # ...up to this
GIVE_UP_AFTER = 3600.0   # a change older than this is dropped (cached entries expire in 300 s anyway)


# A phone asked to re-read its files while on a call is asked again this often, until
# its calls have ended (F9.9), and not after this long.
BUSY_RECHECK = 15.0
REBOOT_GIVE_UP_AFTER = 4 * 3600.0


def send(payload: dict) -> None:
    """Queue the changes of a committed transaction (called by the outbox)."""
    payload = dict(payload)
    phones = payload.pop("check_sync", None)
    if (payload["users"] or payload["companies"] or payload["rescan_profile"] or payload.get("commands")
            or payload.get("greetings")):
        apply_changes(payload, time.time())
    if phones:
        check_sync_when_idle(phones, time.time())


@app_task()
def apply_changes(payload: dict, first_try: float, delay: float = 0.0) -> None:
    # Imported here: the ESL client pulls in gevent, which only the worker needs.
    from app.telephony import voicemail
    from app.telephony.esl import EslClient, EslCommandError, FreeSwitchUnavailable

    config = current_app.config
    client = EslClient.from_config(config)
    try:
        users = sorted(set(map(tuple, payload["users"])) | _company_users(payload["companies"]))
        if users:
            client.flush_directory_users(users)
        if payload["rescan_profile"]:
            client.sofia_rescan(config["FREESWITCH_SIP_PROFILE"])
        for domain, box in payload.get("greetings", ()):
            voicemail.erase_greetings(config.get("VOICEMAIL_STORAGE_DIR") or "", domain, box)
        if payload.get("commands"):
            client.api_many(payload["commands"])
    except FreeSwitchUnavailable as error:
        _retry_later(payload, first_try, delay, error)
        return
    except EslCommandError as error:  # FreeSWITCH answered: retrying would get the same answer
        log.error("FreeSWITCH refused a change: %s", error)
    _reachable()


@app_task()
def check_sync_when_idle(users: list, first_try: float, delay: float = 0.0) -> None:
    """NOTIFY check-sync to the phones registered as these (user, domain), each once
    none of its calls is up: a phone reboots on check-sync, and a call would be cut."""
    from app.telephony.esl import EslClient, EslCommandError, FreeSwitchUnavailable

    config = current_app.config
    client = EslClient.from_config(config)
    users = sorted(set(map(tuple, users)))
    waiting, sent = [], set()
    try:
        busy = client.users_on_a_call(users)
        for user, domain in users:
            if (user, domain) in busy:
                waiting.append((user, domain))
            else:
                client.sofia_check_sync(config["FREESWITCH_SIP_PROFILE"], user, domain)
                sent.add((user, domain))
    except FreeSwitchUnavailable as error:
        log.warning("FreeSWITCH unreachable, phones' check-sync retried later: %s", error)
        # Once is enough for a line already told: a second NOTIFY would reboot it again.
        waiting = [u for u in users if u not in sent]
        delay = min(LONGEST_RETRY, delay * 2 if delay else FIRST_RETRY)
    except EslCommandError as error:
        log.error("FreeSWITCH refused a check-sync: %s", error)
        return
    else:
        delay = BUSY_RECHECK
    if waiting:
        if time.time() - first_try > REBOOT_GIVE_UP_AFTER:
            log.warning("phones still busy or unreachable after %d s, check-sync dropped: %s",
                        REBOOT_GIVE_UP_AFTER, waiting)
            return
        check_sync_when_idle.schedule(args=(waiting, first_try, delay), delay=delay)


def _company_users(company_ids) -> set[tuple[str, str]]:
    if not company_ids:
        return set()
    from app.flask_extensions import db
    from app.models.company import Company
    from app.models.extension import SipAccount

    rows = db.session.execute(
        select(SipAccount.username, Company.sip_domain).join(Company, Company.id == SipAccount.company_id)
        .where(SipAccount.company_id.in_(company_ids))
    ).all()
    return {(username, domain) for username, domain in rows}


def _retry_later(payload: dict, first_try: float, delay: float, error: Exception) -> None:
    if huey.storage.put_if_empty(UNREACHABLE_KEY, repr(time.time()).encode()):
        log.warning("FreeSWITCH is unreachable (%s): changes are kept and retried until it is back", error)
    if time.time() - first_try > GIVE_UP_AFTER:
        log.warning("FreeSWITCH unreachable for over %d s: dropping a change queued at %s",
                    GIVE_UP_AFTER, time.ctime(first_try))
        return
    delay = min(LONGEST_RETRY, delay * 2 if delay else FIRST_RETRY)
    apply_changes.schedule(args=(payload, first_try, delay), delay=delay)


def _reachable() -> None:
    since = huey.storage.pop_data(UNREACHABLE_KEY)
    if since is not EmptyData:
        log.warning("FreeSWITCH is reachable again after %.0f s: queued changes sent",
                    time.time() - float(since.decode()))


def unreachable_since() -> float | None:
    """When the worker last found FreeSWITCH unreachable (time.time()), or None if it
    has reached it since. Shared by every process through the job queue's storage."""
    try:
        since = huey.storage.peek_data(UNREACHABLE_KEY)
    except Exception:  # noqa: BLE001 - the queue's storage being down must not break a page
        log.debug("could not read FreeSWITCH's reachability", exc_info=True)
        return None
    return None if since is EmptyData else float(since.decode())
