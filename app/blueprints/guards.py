"""Route guards shared by the blueprints."""
from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def admin_required(view):
    """Company admins only; users get 403 (F1.7), operators 404 (not their console)."""

    @wraps(view)
    @login_required
    def guarded(*args, **kwargs):
        if current_user.is_operator:
            abort(404)
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return guarded


def company_member_required(view):
    """Any signed-in admin or user of a company; operators get 404."""

    @wraps(view)
    @login_required
    def guarded(*args, **kwargs):
        if current_user.company_id is None:
            abort(404)
        return view(*args, **kwargs)

    return guarded


def operator_required(view):
    """The provider's console: anyone else gets 404, as if it did not exist."""

    @wraps(view)
    @login_required
    def guarded(*args, **kwargs):
        if not current_user.is_operator:
            abort(404)
        return view(*args, **kwargs)

    return guarded
