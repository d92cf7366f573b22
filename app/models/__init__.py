"""Every model, imported so that Alembic and create_all() see the whole schema."""
from app.models.billing import BillableEvent, BillableKind
from app.models.company import Company, PhoneNumber
from app.models.extension import (
    BusyBehaviour, Extension, ForwardRule, ForwardTarget, MusicOnHold, SipAccount, TollMode,
)
from app.models.mailbox import KeyDestination, Mailbox
from app.models.user import LoginSession, Role, User

__all__ = [
    "BillableEvent", "BillableKind", "BusyBehaviour", "Company", "Extension", "ForwardRule", "ForwardTarget", "KeyDestination", "Mailbox", "MusicOnHold",
    "LoginSession", "PhoneNumber", "Role", "SipAccount", "TollMode", "User",
]
