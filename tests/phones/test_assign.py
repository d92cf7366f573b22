"""Assigning phones to extensions and laying out their line keys (F16)."""
from app.flask_extensions import db
from app.models.phone import LineKey
from tests.phones.conftest import assign


def _keys(phone):
    rows = db.session.execute(db.select(LineKey).where(LineKey.phone_id == phone.id).order_by(LineKey.key)).scalars()
    return [(k.key, k.extension.number) for k in rows]


def _form(phone, keys, **extra):
    return {"name": phone.name, "model": phone.model, "time_zone": "America/Toronto", "keys": [str(k) for k in keys],
            **extra}


def test_add_a_desk_phone_lists_the_company_phones_as_mac_and_name(office, client, auth):
    auth.login("admin@alpha.example")
    page = client.get(f"/phones/extension/{office['ext']['101'].id}/add").get_data(as_text=True)
    assert "00:04:F2:AA:BB:01 (Polycom 450 Extension 101)" in page
    assert "Beta phone" not in page
    response = client.post(f"/phones/extension/{office['ext']['101'].id}/add", data={"phone": office["polycom"].id})
    assert response.headers["Location"].endswith(f"/phones/extension/{office['ext']['101'].id}/add/{office['polycom'].id}")


def test_the_form_offers_the_models_keys_with_eastern_time_by_default(office, client, auth):
    auth.login("admin@alpha.example")
    page = client.get(f"/phones/extension/{office['ext']['101'].id}/add/{office['yealink'].id}").get_data(as_text=True)
    assert page.count('name="keys"') == 10  # the T46S's line keys
    assert '<option selected value="America/Toronto">' in page
    assert 'value="Yealink T46S Reception"' in page  # the name, pre-filled


def test_two_extensions_share_a_phone_on_different_keys_and_show_under_their_extension(office, client, auth):
    auth.login("admin@alpha.example")
    phone, e101, e102 = office["polycom"], office["ext"]["101"], office["ext"]["102"]
    assert client.post(f"/phones/extension/{e101.id}/add/{phone.id}", data=_form(phone, [1, 2])).status_code == 302
    assert client.post(f"/phones/extension/{e102.id}/add/{phone.id}", data=_form(phone, [3])).status_code == 302
    assert _keys(phone) == [(1, "101"), (2, "101"), (3, "102")]
    page = client.get(f"/extensions/{e102.id}").get_data(as_text=True)
    assert "00:04:F2:AA:BB:01 (Polycom 450 Extension 101)" in page and "<td data-label=\"Line keys\">3</td>" in page


def test_a_key_already_used_on_the_phone_is_refused(office, client, auth):
    assign(office["polycom"], office["ext"]["101"], [1])
    auth.login("admin@alpha.example")
    response = client.post(f"/phones/extension/{office['ext']['102'].id}/add/{office['polycom'].id}",
                           data=_form(office["polycom"], [1]))
    assert response.status_code == 422
    assert "Key 1 already carries extension 101." in response.get_data(as_text=True)
    assert _keys(office["polycom"]) == [(1, "101")]


def test_an_empty_key_before_or_between_extensions_is_refused(office, client, auth):
    auth.login("admin@alpha.example")
    phone, e101, e102 = office["polycom"], office["ext"]["101"], office["ext"]["102"]
    response = client.post(f"/phones/extension/{e101.id}/add/{phone.id}", data=_form(phone, [2]))
    assert "No empty line keys allowed before or between extensions" in response.get_data(as_text=True)
    assign(phone, e101, [1])
    response = client.post(f"/phones/extension/{e102.id}/add/{phone.id}", data=_form(phone, [3]))
    assert response.status_code == 422
    assert "No empty line keys allowed before or between extensions" in response.get_data(as_text=True)
    assert _keys(phone) == [(1, "101")]


def test_no_key_no_phone_or_more_keys_than_the_model_has_are_refused(office, client, auth):
    auth.login("admin@alpha.example")
    phone, e101 = office["spare"], office["ext"]["101"]
    assert "Choose at least one line key." in client.post(
        f"/phones/extension/{e101.id}/add/{phone.id}", data=_form(phone, [])).get_data(as_text=True)
    assert "This model has 6 line keys." in client.post(
        f"/phones/extension/{e101.id}/add/{phone.id}", data=_form(phone, range(1, 8))).get_data(as_text=True)
    assert "Choose a phone." in client.post(f"/phones/extension/{e101.id}/add", data={"phone": ""}).get_data(as_text=True)
    assert _keys(phone) == []


def test_the_same_phone_twice_on_one_extension_is_refused(office, client, auth):
    assign(office["polycom"], office["ext"]["101"], [1])
    auth.login("admin@alpha.example")
    e101 = office["ext"]["101"]
    assert "Polycom 450 Extension 101" not in client.get(f"/phones/extension/{e101.id}/add").get_data(as_text=True)
    response = client.post(f"/phones/extension/{e101.id}/add/{office['polycom'].id}", data=_form(office["polycom"], [2]))
    assert response.status_code == 422
    assert "already carries this extension" in response.get_data(as_text=True)
    assert _keys(office["polycom"]) == [(1, "101")]


def test_unassigning_moves_the_later_keys_up_so_no_gap_is_left(office, client, auth):
    phone = office["polycom"]
    assign(phone, office["ext"]["101"], [1])
    assign(phone, office["ext"]["102"], [2, 3])
    auth.login("admin@alpha.example")
    assert client.post(f"/phones/extension/{office['ext']['101'].id}/remove/{phone.id}").status_code == 302
    assert _keys(phone) == [(1, "102"), (2, "102")]


def test_another_companys_phone_or_extension_is_not_found(office, client, auth):
    auth.login("admin@alpha.example")
    e101, b_phone = office["ext"]["101"], office["b_phone"]
    assert client.get(f"/phones/extension/{e101.id}/add/{b_phone.id}").status_code == 404
    assert client.post(f"/phones/extension/{e101.id}/add/{b_phone.id}", data=_form(b_phone, [1])).status_code == 404
    assert client.get(f"/phones/extension/{office['b_ext'].id}/add").status_code == 404
    assert client.post(f"/phones/extension/{e101.id}/add", data={"phone": b_phone.id}).status_code == 422
    assert _keys(b_phone) == []


def test_a_model_with_fewer_keys_than_used_is_refused(office, client, auth):
    phone = office["polycom"]
    assign(phone, office["ext"]["101"], [1, 2, 3, 4, 5])
    auth.login("admin@alpha.example")
    response = client.post(f"/phones/{phone.id}", data={"name": phone.name, "model": "vvx250", "time_zone": "UTC"})
    assert response.status_code == 422
    assert "This model has 4 line keys" in response.get_data(as_text=True)
    db.session.refresh(phone)
    assert phone.model == "vvx450"


def test_deleting_an_extension_moves_the_other_extensions_keys_up(office, client, auth):
    phone = office["polycom"]
    assign(phone, office["ext"]["101"], [1])
    assign(phone, office["ext"]["102"], [2])
    auth.login("admin@alpha.example")
    assert client.post(f"/extensions/{office['ext']['101'].id}/delete").status_code == 302
    assert _keys(phone) == [(1, "102")]
