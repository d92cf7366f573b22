"""Extensions, their SIP accounts, and the music-on-hold catalogue.

Everything FreeSWITCH's directory and dial plan need about an extension is a
column here; app/services/calls/ turns it into applications.
"""
import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint, exists, inspect, or_
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, aliased, mapped_column, object_session, relationship
from sqlalchemy.orm.attributes import flag_modified

from app.database import CreatedAtMixin, UtcDateTime, str_enum
from app.flask_extensions import db
from app.models.company import Company, PhoneNumber
from app.models.user import User


class ForwardRule(str, enum.Enum):
    ALWAYS = "always"
    NO_ANSWER = "no_answer"
    RING_BOTH = "ring_both"
    PRESS_1 = "press_1"


class ForwardTarget(str, enum.Enum):
    EXTERNAL = "external"
    EXTENSION = "extension"


class BusyBehaviour(str, enum.Enum):
    RING = "ring"
    MESSAGE = "message"
    VOICEMAIL = "voicemail"


class TollMode(str, enum.Enum):
    DISABLED = "disabled"
    WITH_CODE = "with_code"
    UNLIMITED = "unlimited"


class MusicOnHold(db.Model):
    """A hold-music source, platform-wide; the operator extends the list."""

    __tablename__ = "music_on_hold"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    # What FreeSWITCH plays: local_stream://moh, or a file path on the media store.
    source: Mapped[str] = mapped_column(String(255))


class Extension(CreatedAtMixin, db.Model):
    __tablename__ = "extensions"
    __table_args__ = (UniqueConstraint("company_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(6))
    # The person the extension belongs to; None = managed by the administrator.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    # Bumped on every save: a form posted with an older version is refused.
    version: Mapped[int] = mapped_column(Integer, default=1)

    # General settings (the extension's user and admins), F11.1-F11.10.
    language: Mapped[str] = mapped_column(String(2), default="fr")
    moh_id: Mapped[int | None] = mapped_column(ForeignKey("music_on_hold.id", ondelete="SET NULL"))
    ring_seconds: Mapped[int] = mapped_column(Integer, default=20)
    dnd: Mapped[bool] = mapped_column(Boolean, default=False)
    forward_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    forward_rule: Mapped[ForwardRule] = mapped_column(str_enum(ForwardRule), default=ForwardRule.ALWAYS)
    forward_target: Mapped[ForwardTarget] = mapped_column(str_enum(ForwardTarget), default=ForwardTarget.EXTERNAL)
    forward_number: Mapped[str] = mapped_column(String(11), default="")
    forward_extension_id: Mapped[int | None] = mapped_column(
        ForeignKey("extensions.id", ondelete="SET NULL"), index=True)
    busy_behaviour: Mapped[BusyBehaviour] = mapped_column(str_enum(BusyBehaviour), default=BusyBehaviour.RING)
    findme_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    findme_number: Mapped[str] = mapped_column(String(11), default="")
    findme_ring_seconds: Mapped[int] = mapped_column(Integer, default=15)
    findme_moh: Mapped[bool] = mapped_column(Boolean, default=False)
    findme_screen: Mapped[bool] = mapped_column(Boolean, default=False)

    # Admin-only settings, F11.12-F11.18.
    record_incoming: Mapped[bool] = mapped_column(Boolean, default=False)
    record_outgoing: Mapped[bool] = mapped_column(Boolean, default=False)
    call_pickup: Mapped[bool] = mapped_column(Boolean, default=True)
    listed: Mapped[bool] = mapped_column(Boolean, default=True)
    long_distance: Mapped[TollMode] = mapped_column(str_enum(TollMode), default=TollMode.DISABLED)
    long_distance_code: Mapped[str] = mapped_column(String(8), default="")
    international: Mapped[TollMode] = mapped_column(str_enum(TollMode), default=TollMode.DISABLED)
    international_code: Mapped[str] = mapped_column(String(8), default="")
    uc_legacy: Mapped[bool] = mapped_column(Boolean, default=False)
    uc_desktop: Mapped[bool] = mapped_column(Boolean, default=False)
    video: Mapped[bool] = mapped_column(Boolean, default=False)
    caller_id_name: Mapped[str] = mapped_column(String(15), default="")
    caller_id_number_id: Mapped[int | None] = mapped_column(ForeignKey("phone_numbers.id", ondelete="SET NULL"))
    hide_caller_id: Mapped[bool] = mapped_column(Boolean, default=False)

    company: Mapped[Company] = relationship()
    user: Mapped[User | None] = relationship()
    music_on_hold: Mapped[MusicOnHold | None] = relationship()
    forward_extension: Mapped["Extension | None"] = relationship(remote_side=[id])
    caller_id_number: Mapped[PhoneNumber | None] = relationship()
    sip_accounts: Mapped[list["SipAccount"]] = relationship(
        back_populates="extension", cascade="all, delete-orphan", passive_deletes=True,
        order_by="SipAccount.id",
    )
    # F5: the voicemail settings live on the box; voicemail_* below read and write it.
    mailbox: Mapped["Mailbox | None"] = relationship(  # noqa: F821
        back_populates="extension", cascade="all, delete-orphan", passive_deletes=True)

    __mapper_args__ = {"version_id_col": version}

    @hybrid_property
    def reachable(self) -> bool:
        """Calls may reach it: it has no owner, or an owner who is not disabled. The same
        rule in SQL for the directory's query, in Python for the dial plan and the portal."""
        return self.user is None or self.user.active

    @reachable.inplace.expression
    @classmethod
    def _reachable_expression(cls):
        owner = aliased(User)  # its own alias: a query that joins User must not correlate it away
        return or_(cls.user_id.is_(None), exists().where(owner.id == cls.user_id, owner.active.is_(True)))

    @classmethod
    def reachable_through(cls, owner):
        """The same rule for a query that already outer-joins the owner as `owner`: no
        subquery (the directory answers every REGISTER with it)."""
        return or_(cls.user_id.is_(None), owner.active.is_(True))

    # The extension's voicemail settings (F11.8) are its box's: the settings page, the
    # grid and Tools > Voicemail boxes edit the same row. No box = voicemail off; turning
    # it on, or giving a PIN or address, creates the box.
    def _box(self):
        from app.models.mailbox import Mailbox

        if self.mailbox is None:
            self.mailbox = Mailbox(company=self.company, number=self.number, name=self.name or "")
        elif inspect(self).persistent:
            # A change to the box is a change to the extension: its version moves, so a
            # form opened before it is refused (extension_settings.CONCURRENT_EDIT).
            flag_modified(self, "name")
        return self.mailbox

    def _set_box(self, column: str, value, empty) -> None:
        session = object_session(self)
        if session is not None:
            # Loading the box must not flush the extension's other changes first: the
            # version would then move twice for one save.
            with session.no_autoflush:
                box = self.mailbox
        else:
            box = self.mailbox
        if box is None and value == empty:
            return
        if getattr(box, column, None) != value:
            setattr(self._box(), column, value)

    @property
    def voicemail_enabled(self) -> bool:
        return self.mailbox is not None and self.mailbox.enabled

    @voicemail_enabled.setter
    def voicemail_enabled(self, value: bool) -> None:
        self._set_box("enabled", bool(value), False)

    @property
    def voicemail_email(self) -> str:
        return self.mailbox.email if self.mailbox is not None else ""

    @voicemail_email.setter
    def voicemail_email(self, value: str) -> None:
        self._set_box("email", value or "", "")

    @property
    def voicemail_password(self) -> str:
        return self.mailbox.password if self.mailbox is not None else ""

    @voicemail_password.setter
    def voicemail_password(self, value: str) -> None:
        self._set_box("password", value or "", "")

    @property
    def voicemail_email_only(self) -> bool:
        return self.mailbox is not None and self.mailbox.email_only

    @voicemail_email_only.setter
    def voicemail_email_only(self, value: bool) -> None:
        self._set_box("email_only", bool(value), False)

    def __repr__(self) -> str:
        return f"<Extension {self.number} of company {self.company_id}>"


class SipAccount(CreatedAtMixin, db.Model):
    """One set of SIP credentials: the extension's desk line, or one softphone (F15)."""

    __tablename__ = "sip_accounts"
    __table_args__ = (UniqueConstraint("company_id", "username"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    extension_id: Mapped[int] = mapped_column(ForeignKey("extensions.id", ondelete="CASCADE"), index=True)
    username: Mapped[str] = mapped_column(String(32))
    # Digest auth needs the secret itself (or its a1-hash): stored, shown only to those allowed.
    password: Mapped[str] = mapped_column(String(64))
    softphone: Mapped[bool] = mapped_column(Boolean, default=False)
    label: Mapped[str] = mapped_column(String(64), default="")
    password_changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    extension: Mapped[Extension] = relationship(back_populates="sip_accounts")
