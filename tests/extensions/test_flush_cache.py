"""Saved changes reach FreeSWITCH: its cached directory entries are flushed over ESL, after commit."""
import pytest

from app.flask_extensions import db
from tests import factories
from tests.extensions.test_settings import admin_form


@pytest.fixture
def ext(tenants):
    extension = factories.make_extension(tenants["a"], "101", voicemail_password="1234")
    factories.sip_softphone(extension)
    db.session.commit()
    return extension


def test_saving_settings_flushes_every_account_of_the_extension(client, auth, ext, freeswitch):
    auth.login("admin@alpha.example")
    assert client.post(f"/extensions/{ext.id}", data=admin_form(ext, dnd="y")).status_code == 302
    assert freeswitch.api_commands == ["xml_flush_cache id 101 alpha.voice.example",
                                       "xml_flush_cache id 101s1 alpha.voice.example"]


def test_a_refused_save_flushes_nothing(client, auth, ext, freeswitch):
    auth.login("admin@alpha.example")
    client.post(f"/extensions/{ext.id}", data=admin_form(ext, ring_seconds="999"))
    # The page shown again reads the box's message count (F11.8): a read, not a change.
    assert freeswitch.api_commands == ["vm_boxcount default/101@alpha.voice.example|all"]


def test_a_new_sip_password_is_flushed(client, auth, ext, freeswitch):
    auth.login("admin@alpha.example")
    primary = ext.sip_accounts[0]
    client.post(f"/extensions/{ext.id}/sip/{primary.id}/regenerate")
    assert freeswitch.api_commands == ["xml_flush_cache id 101 alpha.voice.example"]


def test_deleting_an_extension_flushes_its_accounts_and_deletes_its_messages(client, auth, ext, freeswitch):
    auth.login("admin@alpha.example")
    client.post(f"/extensions/{ext.id}/delete")
    assert sorted(freeswitch.api_commands) == ["vm_delete 101@alpha.voice.example/default",
                                               "xml_flush_cache id 101 alpha.voice.example",
                                               "xml_flush_cache id 101s1 alpha.voice.example"]


def test_a_grid_save_flushes_the_changed_extensions(client, auth, ext, freeswitch, tenants):
    factories.make_extension(tenants["a"], "102", voicemail_password="1234")
    db.session.commit()
    auth.login("admin@alpha.example")
    client.post("/extensions/grid", data={"cells": [f"{ext.id}:dnd"], f"e{ext.id}-version": "1",
                                          f"e{ext.id}-dnd": "y"})
    assert freeswitch.api_commands == ["xml_flush_cache id 101 alpha.voice.example",
                                       "xml_flush_cache id 101s1 alpha.voice.example"]


def test_the_portal_still_saves_when_freeswitch_is_unreachable(client, auth, ext):
    # The test config points ESL at a port where nothing listens.
    auth.login("admin@alpha.example")
    response = client.post(f"/extensions/{ext.id}", data=admin_form(ext, dnd="y"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(ext), ext.id).dnd is True


def test_adding_or_removing_a_softphone_flushes_every_account(client, auth, ext, freeswitch):
    # the cached entry of each account holds the dial-string that rings all of them
    auth.login("admin@alpha.example")
    client.post(f"/extensions/{ext.id}/softphones", data={"accept_fee": "y"})
    assert freeswitch.api_commands == ["xml_flush_cache id 101 alpha.voice.example",
                                       "xml_flush_cache id 101s1 alpha.voice.example",
                                       "xml_flush_cache id 101s2 alpha.voice.example"]
    softphone = next(a for a in ext.sip_accounts if a.username == "101s1")
    client.post(f"/extensions/{ext.id}/sip/{softphone.id}/delete")
    assert freeswitch.api_commands[3:] == ["xml_flush_cache id 101 alpha.voice.example",
                                           "xml_flush_cache id 101s1 alpha.voice.example",
                                           "xml_flush_cache id 101s2 alpha.voice.example"]
