"""The platform's music-on-hold list; the operator extends it (F11.2)."""
import re

from sqlalchemy import func, select

from app.extensions import db
from app.models.extension import MusicOnHold

DEFAULT_SOURCE = "local_stream://moh"
_SOURCE = re.compile(r"^(local_stream://[A-Za-z0-9_\-]+|/[A-Za-z0-9_\-./]+\.(wav|mp3))$")


def name_taken(name: str) -> bool:
    return db.session.execute(
        select(func.count()).select_from(MusicOnHold).where(func.lower(MusicOnHold.name) == name.strip().lower())
    ).scalar_one() > 0


def valid_source(source: str) -> bool:
    """A local stream or an absolute sound-file path, with nothing FreeSWITCH would expand."""
    return bool(_SOURCE.match(source.strip())) and ".." not in source


def all_entries() -> list[MusicOnHold]:
    return db.session.execute(select(MusicOnHold).order_by(MusicOnHold.name)).scalars().all()
