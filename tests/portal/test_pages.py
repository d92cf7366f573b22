"""The markup of every page, as served: what screen readers and a strict Content-Security-Policy need."""
import lxml.html
import pytest

from app.flask_extensions import db
from app.models.extension import Extension
from tests.site_map import populate

REFERENCES = ("aria-describedby", "aria-labelledby", "aria-controls")


def markup_problems(html: str) -> list[str]:
    tree = lxml.html.fromstring(html)
    problems = []
    ids = [e.get("id") for e in tree.iter() if isinstance(e.tag, str) and e.get("id") is not None]
    problems += [f"duplicate id {i!r}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    known = set(ids)
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if value == "None":
                problems.append(f"<{element.tag} {name}=\"None\">")
            if name.startswith("on") or name == "style":
                problems.append(f"inline {name} on <{element.tag}>")
            if name in REFERENCES:
                problems += [f"{name} names missing id {i!r}" for i in value.split() if i not in known]
        if element.tag == "label" and element.get("for") and element.get("for") not in known:
            problems.append(f"label for missing id {element.get('for')!r}")
        if element.tag == "a" and (element.get("href") or "").startswith("#") and len(element.get("href")) > 1:
            if element.get("href")[1:] not in known:
                problems.append(f"link to missing id {element.get('href')!r}")
    problems += [f"inline script {s.text[:40]!r}" for s in tree.iter("script") if not s.get("src")]
    return problems


def settings_form(page):
    tree = lxml.html.fromstring(page) if isinstance(page, str) else page
    return tree.find_class("settings")[0]


@pytest.fixture
def portal(app):
    return populate()


STATUS = {"/nowhere": 404, "/reset/not-a-token": 410}


def test_no_page_has_duplicate_ids_dangling_references_or_inline_script(client, auth, portal):
    seen = 0
    for role, pages in portal.pages.items():
        if role != "anonymous":
            auth.login(getattr(portal, role))
        for _name, path in pages:
            response = client.get(path)
            assert response.status_code == STATUS.get(path, 200), path
            assert markup_problems(response.get_data(as_text=True)) == [], f"{role} {path}"
            seen += 1
        auth.logout()
    assert seen > 25


def test_an_untouched_form_marks_no_field_invalid(client, auth, portal):
    auth.login(portal.admin)
    settings = dict(portal.pages["admin"])["settings"]
    html = client.get(settings).get_data(as_text=True)
    assert "aria-invalid" not in html and "aria-describedby" not in html
    assert 'class="error-summary"' not in html


def test_a_refused_field_points_at_its_one_error_message(client, auth, portal):
    auth.login(portal.admin)
    settings = dict(portal.pages["admin"])["settings"]
    html = client.get(settings).get_data(as_text=True)
    form = dict(settings_form(html).form_values())
    form.update(name="", forward_enabled="y", forward_target="external", forward_number="514-555")
    response = client.post(settings, data=form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    tree = lxml.html.fromstring(html)
    name, number = tree.get_element_by_id("name"), tree.get_element_by_id("forward_number")
    assert name.get("aria-invalid") == "true" and name.get("aria-describedby") == "name-error"
    assert tree.get_element_by_id("name-error").text_content() == "Give the extension a name."
    # "Digits only" is both a field check and a forwarding rule: shown once, under one id.
    assert tree.get_element_by_id("forward_number-error").text_content() == "Digits only, no spaces or dashes."
    assert html.count("Digits only, no spaces or dashes.") == 1
    assert number.get("aria-describedby") == "forward_number-error"
    # The summary at the top links to each field in error, in the page's order.
    summary = tree.get_element_by_id("error-summary")
    assert [a.get("href") for a in summary.iter("a")] == ["#forward_number", "#name"]
    assert markup_problems(html) == []


def test_the_error_summary_comes_before_the_form(client, auth, portal):
    auth.login(portal.admin)
    settings = dict(portal.pages["admin"])["settings"]
    html = client.post(settings, data={"name": ""}).get_data(as_text=True)
    assert html.index('id="error-summary"') < html.index('class="settings"')


def test_the_voicemail_pin_is_masked_but_still_posted(client, auth, portal):
    auth.login(portal.user)
    settings = dict(portal.pages["user"])["settings"]
    tree = lxml.html.fromstring(client.get(settings).get_data(as_text=True))
    pin = tree.get_element_by_id("voicemail_password")
    assert pin.get("type") == "password" and pin.get("value") == "1234"
    button = tree.find_class("reveal")[0]
    assert button.get("aria-controls") == "voicemail_password" and button.get("hidden") is not None
    # The masked field posts its value like any other: saving without touching it keeps the PIN.
    data = dict(settings_form(tree).form_values())
    assert data["voicemail_password"] == "1234"
    assert client.post(settings, data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Extension, int(settings.rsplit("/", 1)[1])).voicemail_password == "1234"


def test_a_refused_softphone_shows_its_error_next_to_the_field_with_a_summary(client, auth, portal):
    auth.login(portal.admin)
    settings = dict(portal.pages["admin"])["settings"]
    response = client.post(settings + "/softphones", data={"label": "Tablet"})
    assert response.status_code == 422
    tree = lxml.html.fromstring(response.get_data(as_text=True))
    assert tree.get_element_by_id("softphone-accept_fee-error").text_content() == "Accept the fee to add a softphone."
    assert [a.get("href") for a in tree.get_element_by_id("error-summary").iter("a")] == ["#softphone-accept_fee"]
    assert tree.get_element_by_id("softphone-label").get("value") == "Tablet"


def test_the_music_on_hold_hint_shows_its_placeholder_as_text(client, auth, portal):
    auth.login(portal.operator)
    html = client.get("/operator/music-on-hold").get_data(as_text=True)
    assert "local_stream://&lt;name&gt;" in html and "local_stream://<name>" not in html


@pytest.mark.parametrize("role,path,data", [
    ("anonymous", "/login", {"email": "", "password": ""}),
    ("anonymous", "/recover", {"email": "not an address"}),
    ("operator", "/operator/companies/new", {"name": ""}),
    ("operator", "/operator/music-on-hold", {"name": "", "source": ""}),
    ("admin", "/extensions/new", {"number": "12", "owner_mode": "admin", "name": "Desk"}),
    ("admin", "/account", {"profile-first_name": "", "profile-submit": "y"}),
    ("admin", "number", {"label": "x" * 65}),
    ("admin", "user", {"role": "operator"}),
    ("admin", "invite", {"email": "nope"}),
    ("operator", "edit-company", {"name": ""}),
    ("admin", "settings", {"name": ""}),
])
def test_every_refused_form_answers_422(client, auth, portal, role, path, data):
    if role != "anonymous":
        auth.login(getattr(portal, role))
    path = dict(portal.pages[role]).get(path, path)
    assert client.post(path, data=data).status_code == 422



def test_a_notice_about_the_saved_settings_is_shown_once(client, auth, portal):
    auth.login(portal.admin)
    settings = dict(portal.pages["admin"])["settings"]
    data = dict(settings_form(client.get(settings).get_data(as_text=True)).form_values())
    data.update(forward_enabled="y", forward_rule="no_answer", forward_target="external",
                forward_number="5145550199", ring_seconds="0")
    page = client.post(settings, data=data, follow_redirects=True).get_data(as_text=True)
    assert "Extension 102 saved." in page
    assert page.count("forwarding will never trigger.") == 1
