"""Who may open which phone."""
from flask import abort
from flask_login import current_user

from app.blueprints.tenancy import current_company_id
from app.services import phones


def phone_or_404(phone_id: int):
    """A phone of the current company; 404 if absent or another company's."""
    phone = phones.find(current_company_id(), phone_id)
    if phone is None:
        abort(404)
    return phone


def visible_phone_or_404(phone_id: int):
    """A phone the person may arrange the directory of (F9.1): any of the company's for
    an admin, one carrying their own extension for a user; 404 otherwise."""
    phone = phone_or_404(phone_id)
    if not current_user.is_admin and phone.id not in {p.id for p in phones.phones_of_user(current_user)}:
        abort(404)
    return phone
