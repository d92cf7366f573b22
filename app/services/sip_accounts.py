"""SIP credentials: one account per device, never shared (F15, G26)."""
import secrets
import string

from sqlalchemy import select

from app.database import utcnow
from app.flask_extensions import db
from app.models.billing import BillableKind
from app.models.extension import Extension, SipAccount
from app.services import billing
from app.telephony import outbox

# Letters and digits only: some phones mangle symbols typed into their menus.
_ALPHABET = string.ascii_letters + string.digits
PASSWORD_LENGTH = 24


def new_password() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(PASSWORD_LENGTH))


def new_pin(length: int = 6) -> str:
    """A voicemail PIN: digits only, since it is typed on a keypad."""
    return "".join(secrets.choice(string.digits) for _ in range(length))


def create_primary(extension: Extension) -> SipAccount:
    """The extension's own account: its username is the extension number."""
    account = SipAccount(company_id=extension.company_id, extension=extension, username=extension.number,
                         password=new_password(), softphone=False, label="", password_changed_at=utcnow())
    db.session.add(account)
    return account


def _next_softphone_username(extension: Extension) -> str:
    taken = set(db.session.execute(
        select(SipAccount.username).where(SipAccount.company_id == extension.company_id,
                                          SipAccount.username.like(f"{extension.number}s%"))
    ).scalars())
    n = 1
    while f"{extension.number}s{n}" in taken:
        n += 1
    return f"{extension.number}s{n}"


def _every_account_changed(extension: Extension) -> None:
    # Every account's cached entry carries the dial-string that rings all of them.
    outbox.directory_users(extension.company.sip_domain, [a.username for a in extension.sip_accounts])


def add_softphone(extension: Extension, label: str, by_user_id: int | None) -> SipAccount:
    """A new account for one softphone: username <number>s<n>, e.g. 101s1; its licence
    is billed (F15.4)."""
    account = SipAccount(company_id=extension.company_id, extension=extension,
                         username=_next_softphone_username(extension), password=new_password(),
                         softphone=True, label=label.strip(), password_changed_at=utcnow())
    db.session.add(account)
    db.session.flush()
    billing.record(extension, BillableKind.SOFTPHONE_LICENCE, by_user_id, detail=account.username)
    _every_account_changed(extension)
    return account


def regenerate(account: SipAccount) -> None:
    """A new password: the device using the old one is refused from its next REGISTER."""
    account.password = new_password()
    account.password_changed_at = utcnow()
    outbox.directory_users(account.extension.company.sip_domain, [account.username])


def delete_softphone(account: SipAccount) -> bool:
    """Delete a softphone account; False (nothing done) for the extension's own account,
    which goes only with the extension."""
    if not account.softphone:
        return False
    extension = account.extension
    _every_account_changed(extension)
    extension.sip_accounts.remove(account)  # delete-orphan
    db.session.flush()
    return True
