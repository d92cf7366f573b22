"""An office: company A with extensions 101 (a_user's), 102 and 103, and phones of both
vendors; company B with a phone of its own."""
import pytest

from app.flask_extensions import db
from app.services import phones
from tests import factories


@pytest.fixture
def office(tenants):
    a, b = tenants["a"], tenants["b"]
    ext = {
        "101": factories.make_extension(a, "101", user=tenants["a_user"], name="Ann Lee"),
        "102": factories.make_extension(a, "102", name="Réception"),
        "103": factories.make_extension(a, "103", name="Bob Roy"),
    }
    b_ext = factories.make_extension(b, "101", name="Beta 101")
    polycom = phones.add_phone(a, "00:04:F2:AA:BB:01", "Polycom 450 Extension 101", "vvx450")
    yealink = phones.add_phone(a, "80-5E-C0-AA-BB-02", "Yealink T46S Reception", "t46s")
    spare = phones.add_phone(a, "805ec0aabb03", "Spare phone", "t42s")
    b_phone = phones.add_phone(b, "805ec0bbbb04", "Beta phone", "t46s")
    db.session.commit()
    return {**tenants, "ext": ext, "b_ext": b_ext, "polycom": polycom, "yealink": yealink, "spare": spare,
            "b_phone": b_phone}


def assign(phone, extension, keys, model=None):
    problems = phones.assignment_problems(phone, extension, keys, model or phone.model)
    assert problems == {}
    phones.assign(phone, extension, keys, phone.name, model or phone.model, phone.time_zone)
    db.session.commit()
