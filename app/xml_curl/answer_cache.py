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

Dial-plan answers are kept the same way, keyed by every request field the answer reads
and stamped with the version of the context's company, read in the statement that
loads the company and caller: what the later statements of that answer read is as
new or newer, so a commit in between only makes the entry miss.

A carrier call's answer depends on the hour and the caller, so it is not kept; what it is
decided from is (the number, its company, the company's restriction rules, the number's
hours), keyed by the number and stamped with its company's version, read back by the
company's id: a number moved to another company raises both companies' versions.
"""
import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any, NamedTuple

from flask import current_app
from sqlalchemy import bindparam, select

from app import readonly_db
from app.models.company import Company

DEFAULT_MAX_ENTRIES = 50_000  # ~2 KB each: about 100 MB at most per process
# Dial-plan answers repeat less (one per caller, callee and feature code): a fifth as many.
PLAN_SHARE = 5
# A carrier number's entry holds its company's rules and its exceptions: about 50 KB with
# 100 rules and 50 exceptions (tracemalloc), a few KB for most. 1,000 numbers by default.
NUMBER_SHARE = 50


class Stamp(NamedTuple):
    company_id: int
    version: int


class AnswerCache:
    def __init__(self, max_entries: int = DEFAULT_MAX_ENTRIES):
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple[Stamp, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> tuple[Stamp, Any] | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: Hashable, stamp: Stamp, value: Any) -> None:
        """`value`: an answer (bytes), or anything immutable an answer is made from."""
        with self._lock:
            self._entries[key] = (stamp, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def forget(self, key: Hashable) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def __len__(self) -> int:
        return len(self._entries)

    def served(self, key: Hashable, domain: str | None = None) -> Any:
        """The value kept under `key` if its company is unchanged since it was stored: the
        company of `domain` (so that it never answers for another domain), or without one
        the company it was stamped with. One indexed single-row query, and only when there
        is an entry."""
        entry = self.get(key)
        if entry is None:
            return None
        stamp, value = entry
        connection = readonly_db.dbapi_connection()
        if domain is None:
            rows = readonly_db.prepared("company stamp", _stamp_by_id_statement).rows(
                connection, company_id=stamp.company_id)
        else:
            rows = readonly_db.prepared("directory stamp", _stamp_statement).rows(connection, domain=domain)
        return value if rows and Stamp(*rows[0]) == stamp else None


def _stamp_statement():
    companies = Company.__table__
    return select(companies.c.id, companies.c.directory_version).where(companies.c.sip_domain == bindparam("domain"))


def _stamp_by_id_statement():
    companies = Company.__table__
    return select(companies.c.id, companies.c.directory_version).where(companies.c.id == bindparam("company_id"))


def _of_app(name: str, share: int) -> AnswerCache:
    extensions = current_app.extensions
    cache = extensions.get(name)
    if cache is None:
        entries = current_app.config.get("FREESWITCH_ANSWER_CACHE_ENTRIES", DEFAULT_MAX_ENTRIES)
        cache = extensions.setdefault(name, AnswerCache(entries // share))
    return cache


def of_app() -> AnswerCache:
    """The current app's directory answers, made on first use."""
    return _of_app("xml_curl_answers", 1)


def plans_of_app() -> AnswerCache:
    """The current app's dial-plan answers (app/xml_curl/dialplan.py), made on first use."""
    return _of_app("xml_curl_plans", PLAN_SHARE)


def numbers_of_app() -> AnswerCache:
    """The current app's carrier numbers, with what their calls are decided from."""
    return _of_app("xml_curl_numbers", NUMBER_SHARE)
