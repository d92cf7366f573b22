"""What the pages read from mod_voicemail while they render: message counts and lists.
Read-only, over one short ESL connection; FreeSWITCH unreachable or refusing gives
None and the page says the figure is unavailable. Changes (empty, delete, mark as
heard) never go from here: the services queue them for after the commit."""
import logging

from flask import current_app

from app.models.mailbox import Mailbox
from app.telephony import voicemail as vm

log = logging.getLogger(__name__)
READ_TIMEOUT = 1.5  # seconds: a page waits this long at most for live figures


def _client():
    from app.telephony.esl import EslClient

    return EslClient.from_config({**current_app.config,
                                  "ESL_TIMEOUT": min(float(current_app.config.get("ESL_TIMEOUT") or READ_TIMEOUT),
                                                     READ_TIMEOUT)})


def counts(domain: str, boxes: list[Mailbox]) -> dict[str, int | None] | None:
    """{box number: messages kept} for these boxes of one company, in one ESL connection."""
    from app.telephony.esl import EslError

    try:
        return vm.counts(_client(), domain, [box.number for box in boxes])
    except EslError as error:
        log.warning("voicemail counts unavailable: %s", error)
        return None


def messages(domain: str, box: Mailbox) -> list[vm.Message] | None:
    from app.telephony.esl import EslError

    try:
        return vm.messages(_client(), domain, box.number)
    except EslError as error:
        log.warning("voicemail messages of %s unavailable: %s", box.number, error)
        return None
