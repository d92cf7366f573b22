import re

import pytest
from sqlalchemy import select

from app.flask_extensions import db
from app.models.company import Company, PhoneNumber
from app.models.user import Role, User
from tests.conftest import wait_for

EN = {"Accept-Language": "en"}


@pytest.fixture
def operator_client(client, auth, tenants):
    auth.login("ops@provider.example")
    return client


@pytest.mark.parametrize("who", ["a_admin", "a_user"])
@pytest.mark.parametrize("url", ["/operator/", "/operator/companies/new"])
def test_admins_and_users_never_see_the_console(client, auth, tenants, who, url):
    auth.login(tenants[who].email)
    assert client.get(url).status_code == 404


def test_the_operator_lists_companies(operator_client, tenants):
    html = operator_client.get("/operator/", headers=EN).get_data(as_text=True)
    assert "Alpha inc." in html and "beta.voice.example" in html


def test_the_operator_creates_a_company(operator_client):
    response = operator_client.post("/operator/companies/new", data={
        "name": "Gamma SA", "sip_domain": "Gamma.Voice.Example", "time_zone": "America/Vancouver", "language": "en",
    })
    assert response.status_code == 302
    company = db.session.execute(select(Company).where(Company.name == "Gamma SA")).scalar_one()
    assert company.sip_domain == "gamma.voice.example"
    assert company.time_zone == "America/Vancouver" and company.language == "en"


@pytest.mark.parametrize("domain,error", [
    ("not a domain", "Enter a domain name such as acme.voice.example."),
    ("alpha.voice.example", "Another company already uses this domain."),
    ("", "Enter the SIP domain."),
])
def test_company_form_errors_are_shown_next_to_the_field(operator_client, domain, error):
    response = operator_client.post("/operator/companies/new", headers=EN, data={
        "name": "Gamma SA", "sip_domain": domain, "time_zone": "America/Toronto", "language": "fr",
    })
    assert response.status_code == 422
    assert error in response.get_data(as_text=True)
    assert db.session.execute(select(Company).where(Company.name == "Gamma SA")).first() is None


def test_an_unknown_time_zone_is_refused(operator_client):
    response = operator_client.post("/operator/companies/new", headers=EN, data={
        "name": "Gamma SA", "sip_domain": "gamma.voice.example", "time_zone": "Mars/Olympus", "language": "fr",
    })
    assert "Not a valid choice" in response.get_data(as_text=True)


def test_the_operator_adds_a_number_in_any_common_format(operator_client, tenants):
    company = tenants["a"]
    response = operator_client.post(f"/operator/companies/{company.id}/numbers",
                                    data={"number-number": "1 (450) 555-0199", "number-label": "Support"})
    assert response.status_code == 302
    number = db.session.execute(select(PhoneNumber).where(PhoneNumber.e164 == "+14505550199")).scalar_one()
    assert number.company_id == company.id and number.label == "Support"


@pytest.mark.parametrize("raw,error", [
    ("12345", "Enter a valid phone number"),
    ("+1 418 555 0122", "This number is already assigned."),
])
def test_bad_numbers_are_refused_next_to_the_field(operator_client, tenants, raw, error):
    response = operator_client.post(f"/operator/companies/{tenants['a'].id}/numbers", headers=EN,
                                    data={"number-number": raw})
    assert response.status_code == 422 and error in response.get_data(as_text=True)


def test_the_operator_removes_a_number(operator_client, tenants):
    number_id = tenants["a_number"].id
    operator_client.post(f"/operator/companies/{tenants['a'].id}/numbers/{number_id}/remove")
    db.session.expire_all()
    assert db.session.get(PhoneNumber, number_id) is None


def test_removing_a_number_through_another_company_is_404(operator_client, tenants):
    response = operator_client.post(f"/operator/companies/{tenants['a'].id}/numbers/{tenants['b_number'].id}/remove")
    assert response.status_code == 404
    assert db.session.get(PhoneNumber, tenants["b_number"].id) is not None


def test_the_first_admin_gets_a_welcome_mail_whose_link_sets_a_password(operator_client, auth, tenants, mailbox):
    response = operator_client.post(f"/operator/companies/{tenants['b'].id}/admins", data={
        "admin-first_name": "Chloé", "admin-last_name": "Tremblay",
        "admin-email": "Chloe@Beta.example", "admin-language": "fr",
    })
    assert response.status_code == 302
    admin = db.session.execute(select(User).where(User.email == "chloe@beta.example")).scalar_one()
    assert admin.role is Role.ADMIN and admin.company_id == tenants["b"].id and admin.password_hash is None

    [message] = wait_for(lambda: mailbox.to("chloe@beta.example"))
    assert message["Content-Language"] == "fr" and "Beta ltée" in message["Subject"]
    link = re.search(r"http://localhost(/reset/\S+)", message.get_content()).group(1)
    auth.logout()
    operator_client.post(link, data={"password": "bienvenue-2026", "confirm": "bienvenue-2026"})
    assert auth.login("chloe@beta.example", "bienvenue-2026").headers["Location"] == "/"


def test_an_admin_email_already_in_use_is_refused(operator_client, tenants):
    response = operator_client.post(f"/operator/companies/{tenants['b'].id}/admins", headers=EN, data={
        "admin-first_name": "X", "admin-last_name": "Y", "admin-email": "USER@alpha.example", "admin-language": "fr",
    })
    assert response.status_code == 422
    assert "This email address already has an account." in response.get_data(as_text=True)


def test_an_unknown_company_is_404(operator_client):
    assert operator_client.get("/operator/companies/999999").status_code == 404


def test_the_operator_extends_the_music_on_hold_list(operator_client, tenants):
    from app.models.extension import MusicOnHold

    response = operator_client.post("/operator/music-on-hold", data={"name": "Jazz", "source": "local_stream://jazz"})
    assert response.status_code == 302
    entry = db.session.execute(select(MusicOnHold)).scalar_one()
    assert (entry.name, entry.source) == ("Jazz", "local_stream://jazz")
    html = operator_client.get("/operator/music-on-hold", headers=EN).get_data(as_text=True)
    assert "Jazz" in html


@pytest.mark.parametrize("source", ["http://evil.example/x.mp3", "local_stream://a b", "/etc/../passwd.wav",
                                    "${system(rm -rf /)}"])
def test_unsafe_music_sources_are_refused(operator_client, source):
    response = operator_client.post("/operator/music-on-hold", headers=EN, data={"name": "X", "source": source})
    assert response.status_code == 422 and "Use local_stream://name" in response.get_data(as_text=True)


def test_admins_do_not_manage_music_on_hold(client, auth, tenants):
    auth.login("admin@alpha.example")
    assert client.get("/operator/music-on-hold").status_code == 404


def test_a_new_company_domain_is_announced_to_freeswitch(app, operator_client):
    from tests.fakes.esl_server import FakeEslServer

    with FakeEslServer(password="esl") as freeswitch:
        app.config.update(ESL_HOST=freeswitch.host, ESL_PORT=freeswitch.port, ESL_PASSWORD="esl")
        operator_client.post("/operator/companies/new", data={
            "name": "Delta", "sip_domain": "delta.voice.example", "time_zone": "America/Toronto", "language": "fr"})
    assert freeswitch.api_commands == ["sofia profile internal rescan"]


def test_the_operator_searches_the_company_list(operator_client, tenants):
    html = operator_client.get("/operator/?q=BETA", headers=EN).get_data(as_text=True)
    assert "Beta ltée" in html and "Alpha inc." not in html
    html = operator_client.get("/operator/?q=alpha.voice", headers=EN).get_data(as_text=True)
    assert "Alpha inc." in html and "Beta ltée" not in html
    assert "No company matches" in operator_client.get("/operator/?q=%25", headers=EN).get_data(as_text=True)


def test_time_zones_are_named_by_city_in_the_reader_language(operator_client, tenants):
    operator_client.post("/language", data={"language": "fr", "next": "/"})
    french = operator_client.get("/operator/companies/new").get_data(as_text=True)
    assert "Montréal, Toronto, Ottawa (heure de l’Est)" in french
    operator_client.post("/language", data={"language": "en", "next": "/"})
    english = operator_client.get(f"/operator/companies/{tenants['a'].id}").get_data(as_text=True)
    assert "Montréal, Toronto, Ottawa (Eastern Time)" in english and "America/Toronto" not in english


def test_the_operator_edits_a_company(operator_client, tenants):
    company = tenants["a"]
    response = operator_client.post(f"/operator/companies/{company.id}/edit",
                                    data={"name": "Alpha renamed", "time_zone": "America/Vancouver", "language": "en"})
    assert response.status_code == 302
    db.session.expire_all()
    company = db.session.get(Company, company.id)
    assert (company.name, company.time_zone, company.language, company.sip_domain) == (
        "Alpha renamed", "America/Vancouver", "en", "alpha.voice.example")
    bad = operator_client.post(f"/operator/companies/{company.id}/edit", headers=EN,
                               data={"name": "", "time_zone": "Mars/Olympus", "language": "en"})
    assert bad.status_code == 422 and "Not a valid choice" in bad.get_data(as_text=True)
    assert operator_client.get("/operator/companies/999999/edit").status_code == 404


def test_the_operator_removes_an_admin_but_never_the_last(operator_client, tenants):
    from tests import factories

    company, only, other_company_admin = tenants["a"].id, tenants["a_admin"].id, tenants["b_admin"].id
    page = operator_client.post(f"/operator/companies/{company}/admins/{only}/remove", headers=EN,
                                follow_redirects=True)
    assert "Add another administrator first" in page.get_data(as_text=True)
    second = factories.make_user(tenants["a"], Role.ADMIN, email="second@alpha.example").id
    db.session.commit()
    operator_client.post(f"/operator/companies/{company}/admins/{only}/remove")
    db.session.expire_all()
    assert db.session.get(User, only) is None and db.session.get(User, second) is not None
    # another company's admin is not removable from here
    assert operator_client.post(f"/operator/companies/{company}/admins/{other_company_admin}/remove").status_code == 404
