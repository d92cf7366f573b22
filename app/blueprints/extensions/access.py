"""Who may open which extension."""
from flask import abort
from flask_login import current_user

from app.blueprints.tenancy import current_company_id
from app.models.extension import Extension
from app.services import extensions


def extension_or_404(extension_id: int) -> Extension:
    """An extension of the current company that the person may edit; 404 if absent or another
    company's, 403 for a user opening someone else's extension (F1.7)."""
    extension = extensions.for_company(current_company_id(), extension_id)
    if extension is None:
        abort(404)
    if not current_user.is_admin and extension.user_id != current_user.id:
        abort(403)
    return extension
