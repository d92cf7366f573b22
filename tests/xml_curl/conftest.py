"""The two extensions most dial-plan tests call between."""
import pytest

from app.flask_extensions import db
from tests import factories


@pytest.fixture
def alice(tenants):
    """The caller: extension 101."""
    extension = factories.make_extension(tenants["a"], "101", user=tenants["a_user"])
    db.session.commit()
    return extension


@pytest.fixture
def bob(tenants, alice):
    """The extension called: 102, voicemail on, rings 20 s."""
    extension = factories.make_extension(tenants["a"], "102", user=tenants["a_admin"], language="en")
    db.session.commit()
    return extension
