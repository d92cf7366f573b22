"""Creating people and telling them how to sign in."""
from flask import url_for
from sqlalchemy import func, select

from app.flask_extensions import db
from app.models.company import Company
from app.models.user import Role, User
from app.services import mail
from app.services.passwords import make_reset_token


def email_taken(email: str) -> bool:
    return db.session.execute(
        select(func.count()).select_from(User).where(func.lower(User.email) == email.strip().lower())
    ).scalar_one() > 0


def create_person(company: Company | None, email: str, first_name: str, last_name: str,
                  role: Role, language: str | None = None) -> User:
    user = User(
        company=company,
        email=email.strip().lower(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=role,
        language=language or (company.language if company else "fr"),
        active=True,
    )
    db.session.add(user)
    db.session.flush()
    return user


def _reset_link(user: User) -> str:
    return url_for("auth.reset_password", token=make_reset_token(user), _external=True)


def send_welcome(user: User) -> None:
    """Mail a new person the link to choose their first password (F1.8); it goes out
    after the commit."""
    mail.send(
        user.email, "welcome", user.language or "fr", to_name=user.full_name,
        user=user, company=user.company, link=_reset_link(user),
    )


def send_recovery(user: User) -> None:
    """Mail the single-use password-recovery link (F1.2); it goes out after the commit."""
    mail.send(
        user.email, "recovery", user.language or "fr", to_name=user.full_name,
        user=user, link=_reset_link(user),
    )
