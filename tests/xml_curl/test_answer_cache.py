"""Directory and dial-plan answers kept per process (app/xml_curl/answer_cache.py) are
never served after a commit that changed what they say, in this process or in another one."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import delete, update

from app import readonly_db
from app.flask_extensions import db
from app.models.company import Company
from app.models.extension import Extension
from app.xml_curl import dialplan
from app.xml_curl.answer_cache import AnswerCache, Stamp
from tests import factories
from tests.telephony.test_after_commit import CASES, SILENT, world  # noqa: F401  (world: a fixture)
from tests.xml_curl.captures import QueryCounter, ask, capture, carrier_call, dial, is_not_found, other_app, post

A, B = "alpha.voice.example", "beta.voice.example"
REGISTER = "022-directory-127.0.0.1-1001-sip_auth.txt"
USERS = ("101", "101s1", "102")


def register(user: str, domain: str = A):
    return capture(REGISTER, user=user, domain=domain, key_value=domain, sip_auth_username=user,
                   sip_auth_realm=domain)


# Calls from 101, its softphone and 102: to each other, to voicemail, park, pickup, outside.
CALLS = [(caller, destination) for caller in USERS
         for destination in ("101", "102", "103", "104", "8500", "*97", "*98101", "700", "**102", "5145550199")]


# Carrier calls to company A's number, as carriers spell it, withheld or from two callers.
CARRIER_CALLS = [(did, caller, hidden) for did in ("+15145550111", "5145550111")
                 for caller, hidden in (("4185550000", False), ("5145550199", False), ("5145550199", True))]
# A Friday evening, 25 December (20:00 in Toronto): weekly hours set on Mondays close the
# number, an exception on 25 December makes it an exception.
CHRISTMAS_EVENING = datetime(2026, 12, 26, 1, 0, tzinfo=timezone.utc)


def answers(client, domain: str = A) -> dict:
    found = {user: post(client, register(user, domain)).data for user in USERS}
    found.update({call: post(client, dial(call[1], caller=call[0], context=domain)).data for call in CALLS})
    if domain == A:
        found.update({call: post(client, carrier_call(*call)).data for call in CARRIER_CALLS})
    return found


def forget_everything(*apps) -> None:
    for app in apps:
        for cache in ("xml_curl_answers", "xml_curl_plans", "xml_curl_numbers"):
            app.extensions.pop(cache, None)


WRITES = {**{name: action for name, (action, _) in CASES.items()}, **SILENT}


@pytest.mark.parametrize("service", sorted(WRITES))
def test_after_any_write_commits_every_process_answers_as_if_it_had_never_cached(
        world, freeswitch, app, app_config, client, service, monkeypatch):  # noqa: F811
    monkeypatch.setattr(dialplan, "now", lambda: CHRISTMAS_EVENING)
    with other_app(app_config) as elsewhere:
        other = elsewhere.test_client()
        before = answers(client)
        assert answers(other) == before  # both processes now hold every answer
        WRITES[service](world)
        db.session.commit()
        served = (answers(client), answers(other))
        forget_everything(app, elsewhere)
        assert served == (answers(client), answers(client))


# A message left in a box too: FreeSWITCH itself looks for the box's temporary greeting.
@pytest.mark.parametrize("request_of, shows", [(lambda: register("101"), b'<user id="101"'),
                                              (lambda: dial("102"), b'application="bridge"'),
                                              (lambda: dial("*99102"), b"file_exists(")],
                         ids=["directory", "dial plan", "voicemail deposit"])
def test_an_answer_given_before_costs_one_single_row_query(app, client, tenants, request_of, shows):
    factories.make_extension(tenants["a"], "101")
    factories.make_extension(tenants["a"], "102")
    db.session.commit()
    with app.app_context():
        engine = readonly_db.engine()
    first = post(client, request_of()).data
    with QueryCounter(engine) as queries:
        again = post(client, request_of()).data
    assert again == first and shows in again
    assert len(queries) == 1 and "directory_version" in queries.statements[0]
    assert "sip_accounts" not in queries.statements[0]


def test_a_first_lookup_costs_one_query(app, client, tenants):
    factories.make_extension(tenants["a"], "101")
    db.session.commit()
    with app.app_context():
        engine = readonly_db.engine()
    with QueryCounter(engine) as queries:
        assert b'<user id="101"' in post(client, register("101")).data
    assert len(queries) == 1


def test_an_answer_is_never_served_for_another_companys_domain(client, tenants):
    mine = factories.make_extension(tenants["a"], "101")
    theirs = factories.make_extension(tenants["b"], "101")
    db.session.commit()
    passwords = {mine.sip_accounts[0].password, theirs.sip_accounts[0].password}
    assert len(passwords) == 2
    post(client, register("101", A))
    answer_b = post(client, register("101", B)).data
    assert theirs.sip_accounts[0].password.encode() in answer_b
    assert mine.sip_accounts[0].password.encode() not in answer_b and A.encode() not in answer_b


def test_a_company_deleted_and_made_again_under_its_domain_is_answered_afresh(client, tenants):
    factories.make_extension(tenants["a"], "101", name="Old desk")
    db.session.commit()
    assert b"Old desk" in post(client, register("101")).data
    db.session.execute(delete(Extension).where(Extension.company_id == tenants["a"].id))
    db.session.execute(delete(Company).where(Company.id == tenants["a"].id))
    db.session.commit()
    assert is_not_found(ask(client, register("101")))
    again = factories.make_company("Alpha again", A)
    factories.make_extension(again, "101", name="New desk")
    db.session.commit()
    answer = post(client, register("101")).data
    assert b"New desk" in answer and b"Old desk" not in answer


def test_a_bulk_statement_through_the_session_is_seen(client, tenants):
    factories.make_extension(tenants["a"], "101", name="Before")
    db.session.commit()
    assert b"Before" in post(client, register("101")).data
    db.session.execute(update(Extension).where(Extension.number == "101").values(name="After"))
    db.session.commit()
    answer = post(client, register("101")).data
    assert b"After" in answer and b"Before" not in answer


def test_a_change_to_a_row_whose_company_the_session_forgot_is_seen(client, tenants):
    extension = factories.make_extension(tenants["a"], "101", name="Before")
    db.session.commit()
    assert b"Before" in post(client, register("101")).data
    db.session.expire(extension)  # nothing loaded: the flush can't tell the company
    extension.name = "After"
    db.session.commit()
    assert b"After" in post(client, register("101")).data


def test_a_rolled_back_write_leaves_the_cached_answer_in_use(app, client, tenants):
    extension = factories.make_extension(tenants["a"], "101")
    db.session.commit()
    version = tenants["a"].directory_version
    post(client, register("101"))
    extension.name = "Never saved"
    db.session.flush()
    db.session.rollback()
    assert db.session.get(Company, tenants["a"].id).directory_version == version
    with app.app_context():
        engine = readonly_db.engine()
    with QueryCounter(engine) as queries:
        assert b"Never saved" not in post(client, register("101")).data
    assert len(queries) == 1


def test_the_cache_keeps_the_most_recently_used_entries_within_its_bound():
    cache = AnswerCache(max_entries=2)
    for user in ("1", "2"):
        cache.put((A, user), Stamp(1, 0), user.encode())
    assert cache.get((A, "1")) is not None  # "2" is now the least recently used
    cache.put((A, "3"), Stamp(1, 0), b"3")
    assert len(cache) == 2 and cache.get((A, "2")) is None
    assert cache.get((A, "1")) == (Stamp(1, 0), b"1")


def test_a_dial_plan_is_kept_per_caller_and_per_company(client, tenants):
    factories.make_extension(tenants["a"], "101", name="Alpha desk")
    factories.make_extension(tenants["a"], "102")
    factories.make_extension(tenants["b"], "101", name="Beta desk")
    factories.make_extension(tenants["b"], "102")
    db.session.commit()
    from_a = post(client, dial("102", caller="101", context=A)).data
    from_b = post(client, dial("102", caller="101", context=B)).data
    assert A.encode() in from_a and B.encode() not in from_a
    assert B.encode() in from_b and A.encode() not in from_b
    assert post(client, dial("102", caller=None, context=A)).data != from_a  # no caller: no caller ID of 101


def test_a_carrier_call_is_decided_again_at_each_call_from_what_was_kept(app, client, tenants, monkeypatch):
    from app.services import schedules

    factories.make_extension(tenants["a"], "101")
    schedules.set_week(tenants["a_number"], True, {d: [(540, 1020)] for d in range(7)})
    db.session.commit()
    with app.app_context():
        engine = readonly_db.engine()
    carrier = carrier_call("+15145550111")
    monkeypatch.setattr(dialplan, "now", lambda: datetime(2026, 3, 9, 14, 0, tzinfo=timezone.utc))  # 10:00
    assert b"inbound-open" in post(client, carrier).data
    monkeypatch.setattr(dialplan, "now", lambda: datetime(2026, 3, 10, 1, 0, tzinfo=timezone.utc))  # 21:00
    with QueryCounter(engine) as queries:
        assert b"inbound-closed" in post(client, carrier).data
    assert len(queries) == 1 and "directory_version" in queries.statements[0]


def test_a_number_moved_to_another_company_is_answered_for_that_company(client, tenants):
    carrier = carrier_call("+15145550111")
    assert f"XML {A}".encode() in post(client, carrier).data
    tenants["a_number"].company_id = tenants["b"].id
    db.session.commit()
    moved = post(client, carrier).data
    assert f"XML {B}".encode() in moved and A.encode() not in moved
