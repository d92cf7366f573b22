"""Who may open which extension."""
from flask import abort
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models.extension import Extension
from app.services.tenancy import scoped


def extension_or_404(extension_id: int) -> Extension:
    """An extension of the current company that the person may edit; 404 if absent or another
    company's, 403 for a user opening someone else's extension (F1.7)."""
    extension = db.session.execute(
        scoped(Extension).where(Extension.id == extension_id).options(selectinload(Extension.sip_accounts))
    ).scalar_one_or_none()
    if extension is None:
        abort(404)
    if not current_user.is_admin and extension.user_id != current_user.id:
        abort(403)
    return extension
