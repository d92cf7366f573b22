"""People who sign in: the provider's operators and the companies' admins and users."""
import enum

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.flask_extensions import db
from app.database import CreatedAtMixin, str_enum
from app.models.company import Company


class Role(str, enum.Enum):
    OPERATOR = "operator"
    ADMIN = "admin"
    USER = "user"


class User(UserMixin, CreatedAtMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        # Operators are provider staff and belong to no company; everyone else
        # belongs to exactly one (F1.4).
        CheckConstraint(
            "(role = 'operator' AND company_id IS NULL) OR (role <> 'operator' AND company_id IS NOT NULL)",
            name="company_matches_role",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    # Stored lower-cased: the login matches case-insensitively (F1.1).
    email: Mapped[str] = mapped_column(String(254), unique=True)
    first_name: Mapped[str] = mapped_column(String(50))
    last_name: Mapped[str] = mapped_column(String(50))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    language: Mapped[str | None] = mapped_column(String(2))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    company: Mapped[Company | None] = relationship()

    # The signed-in session this object was loaded for (app/services/login_sessions.py);
    # Flask-Login keeps it, not the user's id, in the session and remember-me cookies.
    session_token = None

    def get_id(self) -> str | None:
        return self.session_token

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_operator(self) -> bool:
        return self.role is Role.OPERATOR

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users.
        return self.active

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class LoginSession(CreatedAtMixin, db.Model):
    """One signed-in browser: signing out (here or everywhere), or a new password,
    deletes the row, and the cookies that name it stop working."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The cookie holds the token; the database only its hash, so a copy of the
    # database opens no session.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)

    user: Mapped[User] = relationship()
