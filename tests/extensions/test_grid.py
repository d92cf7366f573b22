import re
from html import unescape

import lxml.html
import pytest

from app.flask_extensions import db
from app.models.extension import Extension, TollMode
from tests import factories


@pytest.fixture
def grid(tenants):
    one = factories.make_extension(tenants["a"], "101", user=tenants["a_user"], voicemail_password="1234")
    two = factories.make_extension(tenants["a"], "102", voicemail_password="1234")
    foreign = factories.make_extension(tenants["b"], "103", voicemail_password="1234")
    db.session.commit()
    return one, two, foreign


def reload(extension) -> Extension:
    db.session.expire_all()
    return db.session.get(Extension, extension.id)


def test_the_grid_shows_the_companys_extensions_with_the_guides_columns(client, auth, grid):
    auth.login("admin@alpha.example")
    html = client.get("/extensions/grid").get_data(as_text=True)
    for heading in ("Number", "Name", "Caller ID", "Language", "Music on hold", "Ring for", "Recordings", "DND",
                    "Voicemail", "Find-me/follow-me", "Call forwarding", "Long distance", "International",
                    "UC Legacy", "UC Desktop"):
        assert heading in _column_headings(html)
    assert ">101</a>" in html and ">102</a>" in html and ">103</a>" not in html


def _column_headings(html: str) -> list[str]:
    return [th.text_content() for th in lxml.html.fromstring(html).xpath("//thead/tr[2]/th")]


@pytest.mark.parametrize("language, term, meaning", [
    ("en", "DND", "DND (do not disturb): callers hear that the line is unavailable."),
    ("en", "UC Legacy", "UC Legacy: the earlier unified communications (UC) application for computers."),
    ("en", "UC Desktop", "UC Desktop: the unified communications (UC) application that makes and takes"),
    ("fr", "NPD", "NPD (ne pas déranger)\u00a0: les appelants entendent que la ligne n'est pas disponible."),
    ("fr", "UC Legacy", "UC Legacy\u00a0: l'ancienne application de communications unifiées (UC) pour ordinateur."),
    ("fr", "UC Desktop", "UC Desktop\u00a0: l'application de communications unifiées (UC) qui fait et reçoit"),
])
def test_the_grid_explains_its_abbreviations_and_product_names(client, auth, grid, language, term, meaning):
    auth.login("admin@alpha.example")
    client.post("/language", data={"language": language})
    page = lxml.html.fromstring(client.get("/extensions/grid").get_data(as_text=True))
    [abbr] = page.xpath(f'//thead//abbr[normalize-space()="{term}"]')
    assert abbr.get("title").startswith(meaning)  # on hover
    assert any(p.text_content().startswith(meaning) for p in page.xpath('//p[@class="hint"]'))  # and on the page


def test_a_clicked_cell_returns_its_editor(client, auth, grid):
    auth.login("admin@alpha.example")
    one = grid[0]
    html = client.get(f"/extensions/grid/{one.id}/ring_seconds", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert html.lstrip().startswith("<td") and f'name="e{one.id}-ring_seconds"' in html
    assert f'name="cells" value="{one.id}:ring_seconds"' in html


def test_one_save_applies_every_changed_cell(client, auth, grid):
    auth.login("admin@alpha.example")
    one, two, _ = grid
    response = client.post("/extensions/grid", data={
        "cells": [f"{one.id}:ring_seconds", f"{two.id}:dnd", f"{two.id}:long_distance"],
        f"e{one.id}-version": "1", f"e{one.id}-ring_seconds": "45",
        f"e{two.id}-version": "1", f"e{two.id}-dnd": "y", f"e{two.id}-long_distance": "unlimited",
    }, follow_redirects=True)
    assert "2 extensions saved. Make a test call to check the changes." in response.get_data(as_text=True)
    assert reload(one).ring_seconds == 45 and reload(one).dnd is False
    two = reload(two)
    assert two.dnd is True and two.long_distance is TollMode.UNLIMITED and two.ring_seconds == 20


@pytest.mark.parametrize("language, changed, notice", [
    ("en", 1, "1 extension saved. Make a test call to check the change."),
    ("en", 2, "2 extensions saved. Make a test call to check the changes."),
    ("fr", 1, "1 poste enregistré. Faites un appel d'essai pour vérifier le changement."),
    ("fr", 2, "2 postes enregistrés. Faites un appel d'essai pour vérifier les changements."),
])
def test_the_saved_notice_agrees_with_the_number_of_extensions(client, auth, grid, language, changed, notice):
    auth.login("admin@alpha.example")
    client.post("/language", data={"language": language})
    one, two, _ = grid
    data = {"cells": [f"{e.id}:ring_seconds" for e in (one, two)[:changed]]}
    for extension in (one, two)[:changed]:
        data |= {f"e{extension.id}-version": "1", f"e{extension.id}-ring_seconds": "45"}
    html = unescape(client.post("/extensions/grid", data=data, follow_redirects=True).get_data(as_text=True))
    assert notice in html
    assert "(s)" not in html


def test_unchecking_a_checkbox_cell_turns_the_setting_off(client, auth, grid):
    one = grid[0]
    one.voicemail_enabled = True
    db.session.commit()
    auth.login("admin@alpha.example")
    client.post("/extensions/grid", data={"cells": [f"{one.id}:voicemail"], f"e{one.id}-version": str(reload(one).version)})
    assert reload(one).voicemail_enabled is False


def test_any_invalid_cell_saves_nothing_and_marks_each_bad_cell(client, auth, grid):
    auth.login("admin@alpha.example")
    one, two, _ = grid
    response = client.post("/extensions/grid", data={
        "cells": [f"{one.id}:ring_seconds", f"{two.id}:caller_id", f"{two.id}:dnd"],
        f"e{one.id}-version": "1", f"e{one.id}-ring_seconds": "999",
        f"e{two.id}-version": "1", f"e{two.id}-caller_id_name": "Only a name", f"e{two.id}-dnd": "y",
    })
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Nothing was saved" in html
    bad = re.findall(r'<td class="cell editing invalid" data-column="(\w+)"', html)
    assert sorted(bad) == ["caller_id", "ring_seconds"]
    assert "from 0 to 300" in html and "Caller ID needs both a name and a number." in html
    assert 'value="999"' in html  # the pending value is kept for correction
    assert reload(one).ring_seconds == 20 and reload(two).dnd is False


def test_a_stale_row_is_refused(client, auth, grid):
    auth.login("admin@alpha.example")
    one = grid[0]
    one.ring_seconds = 30
    db.session.commit()  # someone saved: version 2
    response = client.post("/extensions/grid", data={"cells": [f"{one.id}:dnd"], f"e{one.id}-version": "1",
                                                      f"e{one.id}-dnd": "y"})
    assert response.status_code == 422 and "Someone else saved" in response.get_data(as_text=True)
    assert reload(one).dnd is False


def test_a_cell_of_another_company_is_404(client, auth, grid):
    auth.login("admin@alpha.example")
    foreign = grid[2]
    response = client.post("/extensions/grid", data={"cells": [f"{foreign.id}:dnd"], f"e{foreign.id}-dnd": "y"})
    assert response.status_code == 404
    assert reload(foreign).dnd is False


def test_users_cannot_use_the_grid(client, auth, grid):
    auth.login("user@alpha.example")
    assert client.get("/extensions/grid").status_code == 403
    assert client.post("/extensions/grid", data={}).status_code == 403


def test_the_grid_query_count_does_not_grow_with_extensions(app, client, auth, tenants):
    auth.login("admin@alpha.example")
    for n in range(3):
        factories.make_extension(tenants["a"], str(200 + n))
    db.session.commit()
    few = factories.page_queries(app, client, "/extensions/grid")
    for n in range(3, 40):
        factories.make_extension(tenants["a"], str(200 + n), caller_id_name="X",
                                 caller_id_number=tenants["a_number"])
    db.session.commit()
    assert factories.page_queries(app, client, "/extensions/grid") == few
