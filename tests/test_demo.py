from sqlalchemy import func, select

from app.flask_extensions import db
from app.models.company import Company, PhoneNumber
from app.models.extension import Extension, SipAccount
from app.models.user import User


def test_the_demo_loads_once_and_prints_logins(runner, app, tmp_path):
    app.instance_path = str(tmp_path)
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "admin@demo-inc.example" in first.output and "operator@switchboard.example" in first.output
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0
    assert db.session.execute(select(func.count()).select_from(Company)).scalar_one() == 1
    assert db.session.execute(select(func.count()).select_from(PhoneNumber)).scalar_one() == 2
    assert db.session.execute(select(func.count()).select_from(User)).scalar_one() == 3
    # the printed passwords are the ones that work, on every run
    password = next(line.split()[-1] for line in second.output.splitlines() if "admin@demo" in line)
    client = app.test_client()
    assert client.post("/login", data={"email": "admin@demo-inc.example", "password": password}).status_code == 302
    company = db.session.execute(select(Company)).scalar_one()
    assert company.name == "Démo inc."
    # extensions 101-103 with their SIP credentials, printed for a softphone
    accounts = db.session.execute(select(SipAccount).order_by(SipAccount.username)).scalars().all()
    assert [a.username for a in accounts] == ["101", "102", "103"]
    for account in accounts:
        assert f"{account.username:<9} demo.switchboard.example" in second.output and account.password in second.output
    owners = dict(db.session.execute(select(Extension.number, User.email).join(User, Extension.user_id == User.id)).all())
    assert owners == {"101": "admin@demo-inc.example", "102": "user@demo-inc.example",
                      "103": "user@demo-inc.example"}


def test_demo_people_can_recover_their_password(runner, app, tmp_path, client, mailbox):
    """The demo addresses must pass the email validation of the recovery form."""
    app.instance_path = str(tmp_path)
    runner.invoke(args=["demo"])
    for email in ("admin@demo-inc.example", "user@demo-inc.example", "operator@switchboard.example"):
        page = client.post("/recover", data={"email": email}, headers={"Accept-Language": "en"})
        assert "Check your mail" in page.get_data(as_text=True)
        assert mailbox.to(email)
