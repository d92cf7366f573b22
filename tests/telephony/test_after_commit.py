"""Every write service tells FreeSWITCH what it must re-read, once the transaction has
committed, through one mechanism (app/after_commit.py + app/telephony/outbox.py),
and never for a transaction that rolled back. The fake event socket receives what
a real FreeSWITCH would."""
import inspect
import io
import logging
from datetime import date

import pytest

from app.flask_extensions import db
from app.models.extension import Extension, MusicOnHold
from app.models.schedule import ClosedAction, OpenAction, RestrictionKind, RestrictionMatch
from app.models.user import Role
from app.services import (accounts, address_books, companies, company_users, extension_settings, extensions,
                          greetings, holiday_presets, mailboxes, music_on_hold, people, phones, restrictions,
                          schedules, sip_accounts)
from app.services.address_books import ContactFields
from app.telephony import notify
from app.telephony.outbox import queued
from tests import factories
from tests.extensions.test_settings import admin_form

A = "alpha.voice.example"


def flush(*usernames: str, domain: str = A) -> list[str]:
    return [f"xml_flush_cache id {u} {domain}" for u in sorted(usernames)]


@pytest.fixture
def world(tenants):
    """Company A: 101 (a_user's, with a softphone, on music "Jazz") and 102 (no owner)."""
    jazz = MusicOnHold(name="Jazz", source="local_stream://jazz")
    db.session.add(jazz)
    db.session.flush()
    mine = factories.make_extension(tenants["a"], "101", user=tenants["a_user"], voicemail_password="1234",
                                    moh_id=jazz.id)
    factories.sip_softphone(mine)
    factories.make_extension(tenants["a"], "102", voicemail_password="1234")
    factories.make_extension(tenants["b"], "101", voicemail_password="1234")  # the other company: untouched
    db.session.commit()
    return {**tenants, "ext": mine, "jazz": jazz}


def _ext(w):
    return db.session.get(Extension, w["ext"].id)


def _settings(w):
    ext = _ext(w)
    data = {**admin_form(ext, dnd="y"), "version": str(ext.version), "accept_fee": False}
    data = {k: (True if v == "y" else v) for k, v in data.items()}
    assert extension_settings.save(ext, data, admin=True, by_user_id=None).ok


def _person(w, **changes):
    user = w["a_user"]
    values = {"first_name": user.first_name, "last_name": user.last_name, "role": user.role, "active": True,
              **changes}
    assert company_users.update_person(user, acting=w["a_admin"], **values) == {}


def _in_request(fn, *args):
    from flask import current_app

    with current_app.test_request_context():  # the welcome mail's link
        return fn(*args)


def _desk_phone(w):
    """A phone carrying 101 on key 1."""
    phone = phones.add_phone(w["a"], "0004f2000009", "Desk", "vvx450")
    phones.assign(phone, _ext(w), [1], "Desk", "vvx450", "America/Toronto")
    return phone


def _book(w):
    book, _ = address_books.create_book(w["a"].id, "Suppliers", [w["a_user"].id])
    db.session.commit()
    return book


def _contact(w):
    (contact,), _ = address_books.add_contact(w["a_admin"], [_book(w)], ContactFields("5145550100", "Ann", "Lee"))
    db.session.commit()
    return contact


MESSAGE = "0a1b2c3d-1111-2222-3333-444455556666"


def _box_values(**changes):
    return {"number": "101", "name": "Box", "password": "8642", "max_seconds": 180, "email": "", "email_only": False,
            "operator_kind": "none", "operator_target": "", "star_kind": "login", "star_target": "", **changes}


def _owner_as_admin(w):
    w["a_user"].role = Role.ADMIN
    db.session.commit()
    return w["a_user"]


CASES = {
    # service: (what it does, what FreeSWITCH receives)
    "extensions.delete_extension": (lambda w: extensions.delete_extension(_ext(w)),
                                    flush("101", "101s1") + [f"vm_delete 101@{A}/default"]),
    "extension_settings.save": (_settings, flush("101", "101s1")),
    "sip_accounts.add_softphone": (
        lambda w: sip_accounts.add_softphone(_ext(w), "Mobile", None), flush("101", "101s1", "101s2")),
    "sip_accounts.regenerate": (lambda w: sip_accounts.regenerate(_ext(w).sip_accounts[1]), flush("101s1")),
    "sip_accounts.delete_softphone": (
        lambda w: sip_accounts.delete_softphone(_ext(w).sip_accounts[1]), flush("101", "101s1")),
    "company_users.update_person": (lambda w: _person(w, active=False), flush("101", "101s1")),
    "company_users.remove_admin": (lambda w: company_users.remove_admin(_owner_as_admin(w)), flush("101", "101s1")),
    "companies.create_company": (
        lambda w: companies.create_company("Gamma", "gamma.voice.example", "America/Toronto", "fr"),
        ["sofia profile internal rescan"]),
    "companies.update_company": (
        lambda w: companies.update_company(w["a"], "Alpha renamed", "America/Toronto", "fr"),
        flush("101", "101s1", "102")),
    "companies.add_number": (
        lambda w: companies.add_number(w["a"], "+15145550199", "Sales"), flush("101", "101s1", "102")),
    "companies.remove_number": (
        lambda w: companies.remove_number(w["a_number"]), flush("101", "101s1", "102")),
    "music_on_hold.remove": (lambda w: music_on_hold.remove(w["jazz"]), flush("101", "101s1")),
    # Asks which lines are on a call first (the fake's "+OK" is no channel list: nothing
    # more is sent; tests/phones/test_reboot.py has the whole exchange).
    "phones.request_reboot": (lambda w: phones.request_reboot(_desk_phone(w)), ["show channels as json"]),
    "mailboxes.create": (lambda w: mailboxes.create(w["a"], _box_values(number="600")), flush("600")),
    "mailboxes.update": (lambda w: mailboxes.update(_ext(w).mailbox, _box_values()), flush("101", "101s1")),
    "mailboxes.delete": (lambda w: mailboxes.delete(_ext(w).mailbox),
                         flush("101", "101s1") + [f"vm_delete 101@{A}/default"]),
    "mailboxes.empty": (lambda w: mailboxes.empty(_ext(w).mailbox, erase_greetings=True),
                        [f"vm_delete 101@{A}/default"]),
    "mailboxes.mark_heard": (lambda w: mailboxes.mark_heard(_ext(w).mailbox, MESSAGE),
                             [f"vm_read 101@{A}/default read {MESSAGE}"]),
    "mailboxes.delete_message": (lambda w: mailboxes.delete_message(_ext(w).mailbox, MESSAGE),
                                 [f"vm_delete 101@{A}/default {MESSAGE}"]),
}
# Writes whose result FreeSWITCH never reads: nothing is sent.
SILENT = {
    "extensions.create_extension": lambda w: extensions.create_extension(w["a"], "103", None, "Lobby", True, True),
    "extensions.add": lambda w: extensions.add(w["a"], "104", owner_mode="admin", existing_user_id=None,
                                               person=("", "", "", "fr"), name="Hall", voicemail=True, listed=True),
    "company_users.update_person (name and role only)": lambda w: _person(w, role=Role.ADMIN, first_name="Bo"),
    "company_users.invite": lambda w: _in_request(company_users.invite, w["a"], "new@alpha.example", "N", "P", "fr",
                                                  Role.USER),
    "company_users.resend_invitation": lambda w: company_users.resend_invitation(w["a_user"]),
    "companies.update_company (time zone only)": (
        lambda w: companies.update_company(w["a"], w["a"].name, "America/Vancouver", "en")),
    "companies.relabel_number": lambda w: companies.relabel_number(w["a_number"], "Main line"),
    "music_on_hold.add": lambda w: music_on_hold.add("Rock", "local_stream://rock"),
    "people.create_person": lambda w: people.create_person(w["a"], "new@alpha.example", "N", "P", Role.USER),
    "accounts.update_profile": lambda w: accounts.update_profile(w["a_user"], "Ann", "Lee", "en"),
    "accounts.change_password": lambda w: accounts.change_password(w["a_user"], factories.PASSWORD, "new-pass-123"),
    # The phones read their files over /provision when they reboot; FreeSWITCH reads none of it.
    "phones.add_phone": lambda w: phones.add_phone(w["a"], "0004f2000001", "Hall", "vvx250"),
    "phones.change_phone": lambda w: phones.change_phone(_desk_phone(w), "Hall", "vvx450", "UTC"),
    "phones.regenerate_credentials": lambda w: phones.regenerate_credentials(_desk_phone(w)),
    "phones.delete_phone": lambda w: phones.delete_phone(_desk_phone(w), unassign=True),
    "phones.add_extension_entries": lambda w: phones.add_extension_entries(_desk_phone(w), [_ext(w).id]),
    "phones.add_company_book": lambda w: phones.add_company_book(_desk_phone(w)),
    "phones.add_contacts": lambda w: phones.add_contacts(_desk_phone(w), []),
    "phones.save_directory": lambda w: phones.save_directory(_desk_phone(w), {}, set(), False),
    "phones.remove_entry": lambda w: phones.remove_entry(_desk_phone(w), 0),
    "phones.remove_all_entries": lambda w: phones.remove_all_entries(_desk_phone(w)),
    # Address books: phones read them from their provisioning files, FreeSWITCH never does.
    "address_books.create_book": lambda w: address_books.create_book(w["a"].id, "Suppliers", [w["a_user"].id]),
    "address_books.add_contact": lambda w: address_books.add_contact(
        w["a_user"], [address_books.my_contacts(w["a_user"])], ContactFields("5145550100", "Ann", "Lee")),
    "address_books.update_contact": lambda w: address_books.update_contact(_contact(w), ContactFields("123", "B", "C")),
    "address_books.delete_contact": lambda w: address_books.delete_contact(_contact(w)),
    "address_books.import_contacts": lambda w: address_books.import_contacts(
        address_books.my_contacts(w["a_user"]), [ContactFields("5145550100", "Ann", "Lee")]),
    "address_books.rename_book": lambda w: address_books.rename_book(_book(w), "Vendors"),
    "address_books.set_access": lambda w: address_books.set_access(_book(w), []),
    "address_books.delete_book": lambda w: address_books.delete_book(_book(w)),
    # The dial plan reads hours, exceptions, rules and greetings on every call (never cached).
    "schedules.set_week": lambda w: schedules.set_week(w["a_number"], True, {0: [(540, 1020)]}),
    "schedules.set_destinations": lambda w: schedules.set_destinations(
        w["a_number"], OpenAction.EXTENSION, "101", None, ClosedAction.VOICEMAIL, "102"),
    "schedules.add_exceptions": lambda w: schedules.add_exceptions(w["a_number"], [(12, 25)], []),
    "schedules.remove_exception": lambda w: schedules.remove_exception(
        schedules.add_exceptions(w["a_number"], [(12, 26)], [])[0]),
    "schedules.reset_exception_password": lambda w: schedules.reset_exception_password(w["a"]),
    "restrictions.add_rule": lambda w: restrictions.add_rule(w["a"].id, RestrictionKind.BLOCK,
                                                             RestrictionMatch.EQUALS, "5149073400"),
    "restrictions.update_rule": lambda w: restrictions.update_rule(
        restrictions.add_rule(w["a"].id, RestrictionKind.BLOCK, RestrictionMatch.EQUALS, "514"),
        RestrictionKind.ALLOW, RestrictionMatch.STARTS_WITH, "418"),
    "restrictions.delete_rule": lambda w: restrictions.delete_rule(
        restrictions.add_rule(w["a"].id, RestrictionKind.BLOCK, RestrictionMatch.EQUALS, "514")),
    "restrictions.delete_all": lambda w: restrictions.delete_all(w["a"].id),
    "holiday_presets.add_region": lambda w: holiday_presets.add_region(w["a_number"], "QC", date(2026, 12, 1)),
    "greetings.save (refused upload)": lambda w: greetings.save(w["a_number"], "open", io.BytesIO(b"no"), "/nowhere"),
    "greetings.reset": lambda w: greetings.reset(w["a_number"], "open"),
}
# Steps of a listed service, never called on their own by the portal.
PARTS = {"sip_accounts.create_primary"}  # of extensions.create_extension
# Line keys and directory copies: FreeSWITCH reads none of it either (the phone does, at
# its reboot); listed with what they do in tests/phones.
SILENT_ELSEWHERE = {"phones.assign", "phones.unassign", "phones.copy_directory", "phones.rename_phone"}
WRITE_MODULES = (accounts, address_books, companies, company_users, extension_settings, extensions, greetings,
                 holiday_presets, mailboxes, music_on_hold, people, phones, restrictions, schedules, sip_accounts)
WRITE_VERBS = ("add", "create", "delete", "remove", "save", "update", "change", "regenerate", "relabel", "set",
               "invite", "resend", "empty", "mark")


@pytest.mark.parametrize("service", sorted(CASES))
def test_a_committed_write_tells_freeswitch_what_to_re_read(world, freeswitch, service):
    action, expected = CASES[service]
    action(world)
    assert freeswitch.api_commands == []  # nothing before the commit
    db.session.commit()
    assert sorted(freeswitch.api_commands) == sorted(expected)


@pytest.mark.parametrize("service", sorted(CASES))
def test_a_rolled_back_write_tells_freeswitch_nothing(world, freeswitch, service):
    CASES[service][0](world)
    db.session.rollback()
    db.session.commit()  # a later, empty transaction sends nothing left over
    assert freeswitch.api_commands == []


@pytest.mark.parametrize("service", sorted(SILENT))
def test_a_write_freeswitch_never_reads_sends_nothing(world, freeswitch, service):
    SILENT[service](world)
    db.session.commit()
    assert freeswitch.api_commands == []


def test_every_write_service_is_listed_here():
    listed = {name.split(" ")[0] for name in CASES | SILENT} | PARTS | SILENT_ELSEWHERE
    writes = {f"{module.__name__.rsplit('.', 1)[1]}.{name}" for module in WRITE_MODULES
              for name, fn in inspect.getmembers(module, inspect.isfunction)
              if fn.__module__ == module.__name__ and name.startswith(WRITE_VERBS)}
    assert writes - listed == set()


def test_one_transaction_sends_one_batch_over_one_connection(world, freeswitch):
    ext = _ext(world)
    sip_accounts.regenerate(ext.sip_accounts[0])
    sip_accounts.regenerate(ext.sip_accounts[1])
    companies.relabel_number(world["a_number"], "x")
    assert queued(db.session()) == {"users": [("101", A), ("101s1", A)], "companies": [], "rescan_profile": False}
    db.session.commit()
    assert freeswitch.api_commands == flush("101", "101s1")
    assert [c for c in freeswitch.commands if c.startswith("auth")] == ["auth test-esl"]


def test_freeswitch_unreachable_is_one_warning_a_retry_and_a_notice(world, caplog, client, auth):
    # The test configuration's ESL port has nothing listening.
    notify.huey.storage.flush_all()  # setting up the world already met the outage
    caplog.set_level(logging.WARNING, logger="app.telephony.notify")
    caplog.clear()
    scheduled_before = len(notify.huey.scheduled())
    for _ in range(3):
        sip_accounts.regenerate(_ext(world).sip_accounts[0])
        db.session.commit()
    warnings = [r for r in caplog.records if r.name == "app.telephony.notify"]
    assert len(warnings) == 1 and "unreachable" in warnings[0].getMessage()
    assert not [r for r in caplog.records if r.exc_info]  # no traceback per save
    retries = notify.huey.scheduled()[scheduled_before:]
    assert len(retries) == 3 and all(task.args[2] == notify.FIRST_RETRY for task in retries)
    assert notify.unreachable_since() is not None
    auth.login("admin@alpha.example")
    assert "Telephony server unreachable" in client.get("/extensions/grid").get_data(as_text=True)
    auth.logout()
    auth.login("user@alpha.example")
    assert "Telephony server unreachable" not in client.get("/extensions/").get_data(as_text=True)


def test_when_freeswitch_is_back_the_retry_delivers_and_the_notice_goes(world, caplog, freeswitch, client, auth):
    notify.huey.storage.put_data(notify.UNREACHABLE_KEY, b"1000.0")
    caplog.set_level(logging.WARNING, logger="app.telephony.notify")
    payload = {"users": [("101", A)], "companies": [], "rescan_profile": False}
    notify.apply_changes.call_local(payload, 0.0, 4.0)  # the retry task's body
    assert freeswitch.api_commands == flush("101")
    assert notify.unreachable_since() is None
    assert any("reachable again" in r.getMessage() for r in caplog.records)
    auth.login("admin@alpha.example")
    assert "Telephony server unreachable" not in client.get("/extensions/grid").get_data(as_text=True)


def test_the_retry_delay_doubles_up_to_a_minute(world, app):
    payload = {"users": [("101", A)], "companies": [], "rescan_profile": False}
    delays = []
    delay = 0.0
    for _ in range(10):
        before = len(notify.huey.scheduled())
        notify.apply_changes.call_local(payload, notify.time.time(), delay)
        delay = notify.huey.scheduled()[before].args[2]
        delays.append(delay)
    assert delays == [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0, 60.0, 60.0]
