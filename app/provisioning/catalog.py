"""The desk phone models the portal can provision (F14, F16.3).

Line keys are the keys of the phone's own panel that can carry a line, a contact or a
favourite (F16.4, F9.5), without expansion modules or extra pages."""
from dataclasses import dataclass


@dataclass(frozen=True)
class PhoneModel:
    code: str
    label: str
    vendor: str        # "polycom" or "yealink": which file format and file names
    line_keys: int


MODELS: dict[str, PhoneModel] = {m.code: m for m in (
    # Polycom VVX 250: 4 line keys; VVX 450: 12 (Poly's data sheets).
    PhoneModel("vvx250", "Polycom VVX 250", "polycom", 4),
    PhoneModel("vvx450", "Polycom VVX 450", "polycom", 12),
    # Yealink SIP-T42S: 6 line keys (x2 pages ignored); SIP-T46S: 10 (Yealink's data sheets).
    PhoneModel("t42s", "Yealink SIP-T42S", "yealink", 6),
    PhoneModel("t46s", "Yealink SIP-T46S", "yealink", 10),
)}


def get(code: str) -> PhoneModel | None:
    return MODELS.get(code)


def choices() -> list[tuple[str, str]]:
    return [(m.code, m.label) for m in MODELS.values()]
