"""Telling FreeSWITCH what changed, after the change is committed.

FreeSWITCH caches directory users (they are marked cacheable); a saved setting
must reach the next call, so the portal asks it to drop the cached entries.
This runs as a background job: a FreeSWITCH that is down or slow never holds up
a page, and the job retries.
"""
import logging

from flask import current_app

from app.jobs import app_task

log = logging.getLogger(__name__)


@app_task(retries=3, retry_delay=10)
def flush_directory(domain: str, usernames: list[str]) -> None:
    # Imported here: the ESL client pulls in gevent, which only the worker needs.
    from app.telephony.esl import EslClient, FreeSwitchUnavailable

    client = EslClient.from_config(current_app.config)
    try:
        for username in usernames:
            client.flush_directory_user(username, domain)
    except FreeSwitchUnavailable as error:
        log.warning("could not flush the directory cache of %s: %s", domain, error)
        raise


def directory_changed(domain: str, usernames: list[str]) -> None:
    """Call after commit: FreeSWITCH forgets these users and reads them again on next use."""
    if usernames:
        flush_directory(domain, list(usernames))


@app_task(retries=3, retry_delay=10)
def rescan_sip_profile() -> None:
    """A new company's domain becomes an alias of the phones' profile (it asks the portal's
    directory for the domains again), so its phones can register without a restart."""
    from app.telephony.esl import EslClient

    profile = current_app.config["FREESWITCH_SIP_PROFILE"]
    EslClient.from_config(current_app.config).sofia_rescan(profile)


def domains_changed() -> None:
    """Call after commit when a company (and so a SIP domain) is created."""
    rescan_sip_profile()
