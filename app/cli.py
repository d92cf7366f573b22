"""Command-line tools: `flask demo`, `flask create-operator`, `flask translate ...`."""
import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import click
from flask import Flask, current_app

from app.flask_extensions import db
from app.models.user import Role
from app.services import people, signin
from app.services.passwords import set_password

ROOT = Path(__file__).resolve().parents[1]


def register_cli(app: Flask) -> None:
    app.cli.add_command(demo)
    app.cli.add_command(create_operator)
    app.cli.add_command(translate)
    app.cli.add_command(voicemail_sendmail)


def _random_password() -> str:
    return secrets.token_urlsafe(12) + "-7"


def _demo_logins_path() -> Path:
    return Path(current_app.instance_path) / "demo-logins.json"


@click.command("demo")
@click.option("--reset", is_flag=True, help="Delete the demo company and its people, then load them again.")
def demo(reset: bool) -> None:
    """Load the demo company once, and print how to sign in as things are now."""
    from app.services import demo_data

    logins_path = _demo_logins_path()
    logins = json.loads(logins_path.read_text()) if logins_path.exists() and not reset else {}
    if reset:
        demo_data.remove()
    loaded = demo_data.load(logins, _random_password)
    sign_ins = demo_data.sign_ins(logins)  # may rehash a password: before the commit
    db.session.commit()
    logins_path.write_text(json.dumps(logins, indent=2))
    logins_path.chmod(0o600)
    if loaded:
        click.echo("Demo loaded. Sign in at http://127.0.0.1:5000 with:")
    else:
        click.echo("Demo already loaded, as it is now ('flask demo --reset' loads it again). "
                   "Sign in at http://127.0.0.1:5000 with:")
    for row in sign_ins:
        click.echo(f"  {row.role:<9} {row.email:<28} {row.password}")
    for line in demo_data.describe():
        click.echo(line)


@click.command("create-operator")
@click.option("--email", prompt=True)
@click.option("--first-name", prompt=True)
@click.option("--last-name", prompt=True)
@click.password_option()
def create_operator(email: str, first_name: str, last_name: str, password: str) -> None:
    """Create a provider operator account."""
    if signin.find_user_by_email(email):
        raise click.ClickException("this email already has an account")
    user = people.create_person(None, email, first_name, last_name, Role.OPERATOR, "fr")
    set_password(user, password)
    db.session.commit()
    click.echo(f"operator {user.email} created")


@click.group()
def translate() -> None:
    """Translation catalogs (Babel)."""


def _pybabel(*args: str) -> None:
    command = [os.path.join(os.path.dirname(sys.executable), "pybabel"), *args]
    if subprocess.run(command, cwd=ROOT).returncode:
        raise click.ClickException("pybabel " + " ".join(args) + " failed")


@translate.command()
def extract() -> None:
    """Extract messages into translations/messages.pot."""
    _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "--no-location", "--sort-output",
             "-o", "translations/messages.pot", "app")


@translate.command()
def update() -> None:
    """Extract, merge new messages into every catalog, and fill the English one."""
    extract.callback()
    # Width 100, as _fill_source_language writes: the catalogs keep one layout, and diffs stay small.
    _pybabel("update", "-i", "translations/messages.pot", "-d", "translations", "--no-fuzzy-matching",
             "--ignore-obsolete", "--width", "100")
    _fill_source_language(ROOT / "translations" / "en" / "LC_MESSAGES" / "messages.po")
    _space_french_punctuation(ROOT / "translations" / "fr" / "LC_MESSAGES" / "messages.po")


def _fill_source_language(path: Path) -> None:
    """The messages are written in English: the English catalog translates each to itself."""
    from babel.messages.pofile import read_po, write_po

    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if not message.id:
            continue
        if message.pluralizable:
            if not all(message.string):
                message.string = tuple(message.id)  # English has two forms: singular, plural
        elif not message.string:
            message.string = message.id
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False)


def french_spacing(text: str) -> str:
    """French typography: a no-break space before : and inside « », a narrow one before ; ? !
    (never in "://"), a no-break space between a number and its unit ($, %, s)."""
    text = re.sub(r"«[ \u00a0\u202f]*", "«\u00a0", text)
    text = re.sub(r"[ \u00a0\u202f]*»", "\u00a0»", text)
    text = re.sub(r"[ \u00a0\u202f]*:(?!//)", "\u00a0:", text)
    text = re.sub(r"[ \u00a0\u202f]*([;?!])", "\u202f\\1", text)
    text = re.sub(r"(\d|%\(\w+\)[sd]) ([$]|%(?!\()|s\b)", "\\1\u00a0\\2", text)
    return text


def _space_french_punctuation(path: Path) -> None:
    """Translations are typed with ordinary spaces; the catalog gets the ones that do not break
    (a line never starts with a colon or a closing guillemet)."""
    from babel.messages.pofile import read_po, write_po

    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id and message.string:
            if isinstance(message.string, tuple):
                message.string = tuple(french_spacing(s) for s in message.string)
            else:
                message.string = french_spacing(message.string)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False)


@translate.command()
def compile() -> None:  # noqa: A001  (the command's name)
    """Compile the catalogs to .mo files."""
    _pybabel("compile", "-d", "translations", "--statistics")


@click.command("voicemail-sendmail", context_settings={"ignore_unknown_options": True})
@click.option("-f", "sender", default="", help="Ignored: the portal's own sender address is used.")
@click.option("-t", "read_headers", is_flag=True, help="Ignored (sendmail compatibility).")
@click.option("-i", "-oi", "ignore_dots", is_flag=True, help="Ignored (sendmail compatibility).")
@click.argument("recipients", nargs=-1)
def voicemail_sendmail(sender: str, read_headers: bool, ignore_dots: bool, recipients: tuple[str, ...]) -> None:
    """sendmail for FreeSWITCH's mailer-app: relay a voicemail message (read from stdin)
    through the portal's mail settings."""
    from app.services import mailboxes

    problem = mailboxes.relay_problem(sys.stdin.buffer.read(), list(recipients))
    if problem:
        db.session.rollback()
        raise click.ClickException(problem)
    db.session.commit()
