"""Paid services are recorded when turned on (F15.4, G27)."""
from sqlalchemy import select

from app.flask_extensions import db
from app.models.billing import BillableEvent, BillableKind
from tests import factories
from tests.extensions.test_settings import admin_form


def events():
    db.session.expire_all()
    return [(e.kind, e.extension_number, e.detail) for e in
            db.session.execute(select(BillableEvent).order_by(BillableEvent.id)).scalars()]


def test_a_softphone_and_uc_desktop_are_recorded_once_each(client, auth, tenants):
    ext = factories.make_extension(tenants["a"], "101", voicemail_password="1234")
    db.session.commit()
    auth.login("admin@alpha.example")
    client.post(f"/extensions/{ext.id}/softphones", data={"accept_fee": "y"})
    client.post(f"/extensions/{ext.id}", data=admin_form(ext, uc_desktop="y", accept_fee="y"))
    db.session.expire_all()
    client.post(f"/extensions/{ext.id}", data=admin_form(db.session.get(type(ext), ext.id), uc_desktop="y"))
    assert events() == [(BillableKind.SOFTPHONE_LICENCE, "101", "101s1"), (BillableKind.UC_DESKTOP, "101", "")]


def test_a_refused_fee_records_nothing(client, auth, tenants):
    ext = factories.make_extension(tenants["a"], "101", voicemail_password="1234")
    db.session.commit()
    auth.login("admin@alpha.example")
    client.post(f"/extensions/{ext.id}/softphones", data={})
    client.post(f"/extensions/{ext.id}", data=admin_form(ext, uc_desktop="y"))
    assert events() == []


def test_uc_desktop_turned_on_in_the_grid_asks_for_the_fee_like_the_settings_page(client, auth, tenants):
    ext = factories.make_extension(tenants["a"], "101", voicemail_password="1234")
    db.session.commit()
    auth.login("admin@alpha.example")
    cell = {"cells": [f"{ext.id}:uc_desktop"], f"e{ext.id}-version": "1", f"e{ext.id}-uc_desktop": "y"}
    refused = client.post("/extensions/grid", data=cell)
    assert refused.status_code == 422 and "Accept the fee to turn on UC Desktop." in refused.get_data(as_text=True)
    assert events() == []
    assert client.post("/extensions/grid", data={**cell, f"e{ext.id}-accept_fee": "y"}).status_code == 302
    assert events() == [(BillableKind.UC_DESKTOP, "101", "")]


def test_the_operator_sees_the_events_of_a_company(client, auth, tenants):
    db.session.add(BillableEvent(company_id=tenants["a"].id, kind=BillableKind.SOFTPHONE_LICENCE,
                                 extension_number="101", detail="101s1"))
    db.session.add(BillableEvent(company_id=tenants["b"].id, kind=BillableKind.UC_DESKTOP,
                                 extension_number="999", detail=""))
    db.session.commit()
    auth.login("ops@provider.example")
    html = client.get(f"/operator/companies/{tenants['a'].id}").get_data(as_text=True)
    assert "Softphone licence" in html and "101s1" in html and "999" not in html
