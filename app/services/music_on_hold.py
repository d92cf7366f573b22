"""The platform's music-on-hold list; the operator extends it (F11.2)."""
from sqlalchemy import func, select

from app.flask_extensions import db
from app.models.company import Company
from app.models.extension import Extension, MusicOnHold, SipAccount
from app.telephony import fs_text, outbox

DEFAULT_SOURCE = "local_stream://moh"


def source_of(moh: MusicOnHold | None) -> str:
    """What FreeSWITCH plays for this choice: its source, or the platform default."""
    return fs_text.sound_source(moh.source, DEFAULT_SOURCE) if moh is not None else DEFAULT_SOURCE


def name_taken(name: str) -> bool:
    return db.session.execute(
        select(func.count()).select_from(MusicOnHold).where(func.lower(MusicOnHold.name) == name.strip().lower())
    ).scalar_one() > 0


def valid_source(source: str) -> bool:
    """A local stream or an absolute sound-file path, with nothing FreeSWITCH would expand."""
    return fs_text.is_sound_source(source.strip())


def all_entries() -> list[MusicOnHold]:
    return db.session.execute(select(MusicOnHold).order_by(MusicOnHold.name)).scalars().all()


def choices() -> list[tuple[str, str]]:
    """(id, name) for a select, by name."""
    return [(str(m.id), m.name) for m in all_entries()]


def get(moh_id: int) -> MusicOnHold | None:
    return db.session.get(MusicOnHold, moh_id)


def add(name: str, source: str) -> MusicOnHold:
    entry = MusicOnHold(name=name.strip(), source=source.strip())
    db.session.add(entry)
    db.session.flush()
    return entry


def remove(entry: MusicOnHold) -> None:
    """Extensions using it fall back to the default (SET NULL): FreeSWITCH must re-read
    their directory entries, which carry hold_music."""
    rows = db.session.execute(
        select(SipAccount.username, Company.sip_domain)
        .join(Extension, Extension.id == SipAccount.extension_id)
        .join(Company, Company.id == Extension.company_id)
        .where(Extension.moh_id == entry.id)
    ).all()
    for username, domain in rows:
        outbox.directory_users(domain, [username])
    db.session.delete(entry)
    db.session.flush()
