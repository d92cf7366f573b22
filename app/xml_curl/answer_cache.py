"""Directory answers this process rendered, served again while their company is unchanged.

A phone's REGISTER, the bridge that rings it and mod_voicemail's lookups all ask for the
same user, and FreeSWITCH forgets its own copy on every flush and restart: rendering the
answer each time (a query joining six tables, ORM objects, lxml) was most of what a
REGISTER cost the portal. An entry is stamped with its company's id and
`directory_version` (app/directory_version.py), read in the same query as the data it was
rendered from; before serving it again one indexed single-row query reads the stamp
back, so the entry is used only if no commit touched the company since, whichever
process or machine made it. A company deleted and created again under the same domain has
a new id (ids are never reused: migrations bdf5747874c7), so its stamp differs too.

Per process, bounded (least recently used entries go first), lock-protected for
threaded servers. Entries are keyed by the (domain, user) FreeSWITCH asked for, and a
stamp is read by that same domain: an entry never answers for another company.
"""
import threading
from collections import OrderedDict
from typing import NamedTuple

from flask import current_app

DEFAULT_MAX_ENTRIES = 50_000  # ~2 KB each: about 100 MB at most per process


class Stamp(NamedTuple):
    company_id: int
    version: int


class AnswerCache:
    def __init__(self, max_entries: int = DEFAULT_MAX_ENTRIES):
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[str, str], tuple[Stamp, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, domain: str, user: str) -> tuple[Stamp, bytes] | None:
        with self._lock:
            entry = self._entries.get((domain, user))
            if entry is not None:
                self._entries.move_to_end((domain, user))
            return entry

    def put(self, domain: str, user: str, stamp: Stamp, body: bytes) -> None:
        with self._lock:
            self._entries[(domain, user)] = (stamp, body)
            self._entries.move_to_end((domain, user))
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def forget(self, domain: str, user: str) -> None:
        with self._lock:
            self._entries.pop((domain, user), None)

    def __len__(self) -> int:
        return len(self._entries)


def of_app() -> AnswerCache:
    """The current app's cache, made on first use."""
    extensions = current_app.extensions
    cache = extensions.get("xml_curl_answers")
    if cache is None:
        cache = extensions.setdefault(
            "xml_curl_answers",
            AnswerCache(current_app.config.get("FREESWITCH_ANSWER_CACHE_ENTRIES", DEFAULT_MAX_ENTRIES)))
    return cache
