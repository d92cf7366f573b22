"""Each serving thread keeps its read-only DBAPI connection between requests
(app/readonly_db.py): reused by that thread only, never a stale read, and checked back
in when the thread or the app goes. And the statements it runs stay cheap to send."""
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from psycopg._queries import MAX_CACHED_STATEMENT_LENGTH
from sqlalchemy.dialects.postgresql import psycopg

from app import readonly_db
from app.xml_curl import answer_cache, dialplan, directory
from app.flask_extensions import db
from tests import factories
from tests.xml_curl.captures import ask, capture, params

DOMAIN = "alpha.voice.example"
REGISTER = capture("022-directory-127.0.0.1-1001-sip_auth.txt", user="101", domain=DOMAIN, key_value=DOMAIN)


def connection_of_next_request(app):
    """The DBAPI connection this thread's next request will read with."""
    with app.app_context(), readonly_db.scope():
        return readonly_db.dbapi_connection().dbapi_connection


def checked_out(app) -> int:
    return readonly_db.engine().pool.checkedout()


def test_a_thread_reads_every_request_on_the_connection_it_kept(app, client, tenants):
    factories.make_extension(tenants["a"], "101")
    db.session.commit()
    ask(client, REGISTER)
    kept = connection_of_next_request(app)
    for _ in range(3):
        ask(client, REGISTER)
    assert connection_of_next_request(app) is kept
    assert checked_out(app) == 1


def test_a_kept_connection_reads_the_commit_made_after_it_was_kept(app, client, tenants):
    """The cached answer's stamp is read back on the kept connection: it must see the
    version the commit raised, or the old password would be served."""
    extension = factories.make_extension(tenants["a"], "101")
    db.session.commit()
    [account] = extension.sip_accounts
    before = params(ask(client, REGISTER).find(".//user[@id='101']"))["password"]
    account.password = "a-new-password-4242"
    db.session.commit()
    after = params(ask(client, REGISTER).find(".//user[@id='101']"))["password"]
    assert (before, after) == (before, "a-new-password-4242") and before != after


def test_two_threads_never_share_a_connection(app, tenants):
    factories.make_extension(tenants["a"], "101")
    db.session.commit()
    both_asking = threading.Barrier(2)

    def serve():
        client = app.test_client()
        ask(client, REGISTER)
        both_asking.wait(timeout=10)  # the other thread has kept its own by now
        return connection_of_next_request(app)

    with ThreadPoolExecutor(max_workers=2) as workers:
        first, second = [future.result(timeout=30) for future in [workers.submit(serve), workers.submit(serve)]]
    assert first is not second


def test_the_connection_of_a_thread_that_ended_goes_back_to_the_pool(app, client, tenants):
    factories.make_extension(tenants["a"], "101")
    db.session.commit()
    ended = threading.Thread(target=lambda: ask(app.test_client(), REGISTER))
    ended.start()
    ended.join(timeout=30)
    assert checked_out(app) == 1  # still kept for it
    ask(client, REGISTER)  # this thread keeps one in turn: the ended one's is checked in
    assert checked_out(app) == 1
    assert len(app.extensions["readonly_db_kept"]) == 1


def test_dispose_checks_in_every_kept_connection(app, client, tenants):
    factories.make_extension(tenants["a"], "101")
    db.session.commit()
    ask(client, REGISTER)
    assert checked_out(app) == 1
    readonly_db.dispose(app)
    assert checked_out(app) == 0


@pytest.mark.parametrize("build", [directory._user_statement, dialplan._company_and_caller_statement,
                                   dialplan._extension_statement, answer_cache._stamp_statement])
def test_each_statement_is_short_enough_for_psycopg_to_keep_its_conversion(build):
    """psycopg turns a query's %(name)s into $1 again on every execution of a query
    longer than this (psycopg/_queries.py), 30-70 µs each time."""
    assert len(str(build().compile(dialect=psycopg.dialect()))) <= MAX_CACHED_STATEMENT_LENGTH
