"""Every model, imported so that Alembic and create_all() see the whole schema."""
from app.models.address_book import AddressBook, AddressBookMember, BookKind, Contact
from app.models.billing import BillableEvent, BillableKind
from app.models.company import Company, PhoneNumber
from app.models.extension import (
    BusyBehaviour, Extension, ForwardRule, ForwardTarget, MusicOnHold, SipAccount, TollMode,
)
from app.models.mailbox import KeyDestination, Mailbox
from app.models.phone import LineKey, Phone, PhoneEntry
from app.models.schedule import (
    ClosedAction, ClosedRange, OpenAction, OpenRange, RestrictionKind, RestrictionMatch, RestrictionRule, YearlyException,
)
from app.models.user import LoginSession, Role, User

__all__ = [
    "AddressBook", "AddressBookMember", "BookKind", "Contact",
    "BillableEvent", "BillableKind", "BusyBehaviour", "ClosedAction", "ClosedRange", "OpenAction", "OpenRange",
    "RestrictionKind", "RestrictionMatch", "RestrictionRule", "YearlyException", "Company", "Extension", "ForwardRule", "ForwardTarget", "MusicOnHold",
    "KeyDestination", "Mailbox",
    "LineKey", "LoginSession", "Phone", "PhoneEntry", "PhoneNumber", "Role", "SipAccount", "TollMode", "User",
]
