from sqlalchemy import func, select

from app.flask_extensions import db
from app.models.company import Company, PhoneNumber
from app.models.extension import Extension, SipAccount
from app.models.user import User
from app.services import extensions
from app.services.passwords import set_password


def _printed_password(output: str, email: str) -> str:
    line = next(line for line in output.splitlines() if email in line)
    return line.split(email, 1)[1].strip()


def _can_sign_in(app, email: str, password: str) -> bool:
    response = app.test_client().post("/login", data={"email": email, "password": password})
    return response.status_code == 302


def _demo(runner, *args):
    result = runner.invoke(args=["demo", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_demo_loads_once_and_prints_logins(runner, app, tmp_path):
    app.instance_path = str(tmp_path)
    first = _demo(runner)
    assert first.startswith("Demo loaded.")
    assert "admin@demo-inc.example" in first and "operator@switchboard.example" in first
    second = _demo(runner)
    assert second.startswith("Demo already loaded")
    assert db.session.execute(select(func.count()).select_from(Company)).scalar_one() == 1
    assert db.session.execute(select(func.count()).select_from(PhoneNumber)).scalar_one() == 2
    assert db.session.execute(select(func.count()).select_from(User)).scalar_one() == 3
    # the printed passwords are the ones that work, on every run
    for email in ("operator@switchboard.example", "admin@demo-inc.example", "user@demo-inc.example"):
        assert _printed_password(second, email) == _printed_password(first, email)
        assert _can_sign_in(app, email, _printed_password(second, email))
    company = db.session.execute(select(Company)).scalar_one()
    assert company.name == "Démo inc."
    assert "numbers +15145550100, +15145550101" in second
    # extensions 101-103 with their SIP credentials, printed for a softphone
    accounts = db.session.execute(select(SipAccount).order_by(SipAccount.username)).scalars().all()
    assert [a.username for a in accounts] == ["101", "102", "103"]
    for account in accounts:
        assert f"{account.username:<9} demo.switchboard.example" in second and account.password in second
    owners = dict(db.session.execute(select(Extension.number, User.email).join(User, Extension.user_id == User.id)).all())
    assert owners == {"101": "admin@demo-inc.example", "102": "user@demo-inc.example",
                      "103": "user@demo-inc.example"}


def test_after_a_password_change_the_demo_no_longer_prints_the_old_password(runner, app, tmp_path):
    app.instance_path = str(tmp_path)
    first = _demo(runner)
    old = _printed_password(first, "user@demo-inc.example")
    user = db.session.execute(select(User).where(User.email == "user@demo-inc.example")).scalar_one()
    set_password(user, "a-new-password-42")
    db.session.commit()
    second = _demo(runner)
    assert old not in second
    assert _printed_password(second, "user@demo-inc.example") == "(changed since the demo was loaded)"
    # the others are unchanged, and still printed
    admin_password = _printed_password(second, "admin@demo-inc.example")
    assert admin_password == _printed_password(first, "admin@demo-inc.example")
    assert _can_sign_in(app, "admin@demo-inc.example", admin_password)


def test_a_disabled_or_deleted_demo_person_is_reported_as_such(runner, app, tmp_path):
    app.instance_path = str(tmp_path)
    _demo(runner)
    admin = db.session.execute(select(User).where(User.email == "admin@demo-inc.example")).scalar_one()
    admin.active = False
    db.session.commit()
    output = _demo(runner)
    assert _printed_password(output, "admin@demo-inc.example") == "(disabled)"


def test_an_extension_the_admin_deleted_stays_deleted_on_the_next_run(runner, app, tmp_path):
    app.instance_path = str(tmp_path)
    first = _demo(runner)
    assert "  101 " in first
    extension = db.session.execute(select(Extension).where(Extension.number == "101")).scalar_one()
    extensions.delete_extension(extension)
    db.session.commit()
    second = _demo(runner)
    assert "created" not in second and "loaded." not in second
    assert db.session.execute(select(Extension.number).order_by(Extension.number)).scalars().all() == ["102", "103"]
    assert "  101 " not in second and "  102 " in second


def test_reset_loads_the_demo_again(runner, app, tmp_path):
    app.instance_path = str(tmp_path)
    first = _demo(runner)
    extension = db.session.execute(select(Extension).where(Extension.number == "101")).scalar_one()
    extensions.delete_extension(extension)
    user = db.session.execute(select(User).where(User.email == "user@demo-inc.example")).scalar_one()
    set_password(user, "a-new-password-42")
    db.session.execute(select(Company)).scalar_one().name = "Renamed"
    db.session.commit()
    reset = _demo(runner, "--reset")
    assert reset.startswith("Demo loaded.")
    assert "Company 'Démo inc.'" in reset
    assert db.session.execute(select(Extension.number).order_by(Extension.number)).scalars().all() == [
        "101", "102", "103"]
    assert db.session.execute(select(func.count()).select_from(User)).scalar_one() == 3
    assert db.session.execute(select(func.count()).select_from(Company)).scalar_one() == 1
    for email in ("operator@switchboard.example", "admin@demo-inc.example", "user@demo-inc.example"):
        password = _printed_password(reset, email)
        assert password != _printed_password(first, email)  # new passwords, all printed
        assert _can_sign_in(app, email, password)
    # and the next run prints the same
    assert _printed_password(_demo(runner), "user@demo-inc.example") == _printed_password(reset, "user@demo-inc.example")


def test_reset_leaves_other_companies_alone(runner, app, tmp_path, tenants):
    app.instance_path = str(tmp_path)
    _demo(runner)
    _demo(runner, "--reset")
    names = set(db.session.execute(select(Company.name)).scalars())
    assert names == {"Alpha inc.", "Beta ltée", "Démo inc."}
    assert db.session.execute(select(func.count()).select_from(User)).scalar_one() == 3 + 5


def test_demo_people_can_recover_their_password(runner, app, tmp_path, client, mailbox):
    """The demo addresses must pass the email validation of the recovery form."""
    app.instance_path = str(tmp_path)
    runner.invoke(args=["demo"])
    for email in ("admin@demo-inc.example", "user@demo-inc.example", "operator@switchboard.example"):
        page = client.post("/recover", data={"email": email}, headers={"Accept-Language": "en"})
        assert "Check your mail" in page.get_data(as_text=True)
        assert mailbox.to(email)
