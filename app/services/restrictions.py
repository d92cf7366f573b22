"""Call restriction rules (F10, G20): who may call the company's numbers.

A Block rule that matches rejects the caller; once any Allow rule exists, only callers
matching one get through; Block beats Allow. A call that presents no number (withheld,
anonymous, private, or none at all) is never filtered (F10.5). Rules are evaluated in
Python over the company's rows, read in one query: the dial plan never runs a query per
rule.
"""
import functools
from dataclasses import dataclass

from sqlalchemy import String, bindparam, cast, delete, func, or_, select

from app.flask_extensions import db
from app.models.schedule import RestrictionKind, RestrictionMatch, RestrictionRule
from app.services import phone_numbers

MAX_DIGITS = 15  # G20


@dataclass(frozen=True)
class Rule:
    """A rule as the dial plan needs it (no ORM state: also built from the read-only session)."""

    id: int
    kind: RestrictionKind
    match: RestrictionMatch
    digits: str

    def matches(self, number: str) -> bool:
        if self.match is RestrictionMatch.EQUALS:
            return number == self.digits
        if self.match is RestrictionMatch.STARTS_WITH:
            return number.startswith(self.digits)
        if self.match is RestrictionMatch.ENDS_WITH:
            return number.endswith(self.digits)
        return self.digits in number


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    rule: Rule | None = None      # the block rule that rejected, or the allow rule that let through
    filtered: bool = True         # False: the caller presented no number, rules not applied

    @property
    def not_on_allow_list(self) -> bool:
        return not self.allowed and self.rule is None


def judge(rules: list[Rule], caller: str | None) -> Verdict:
    """`caller`: the presented number's digits (phone_numbers.presented_digits), None when withheld."""
    if caller is None:
        return Verdict(True, filtered=False)
    for rule in rules:
        if rule.kind is RestrictionKind.BLOCK and rule.matches(caller):
            return Verdict(False, rule)
    allows = [rule for rule in rules if rule.kind is RestrictionKind.ALLOW]
    if not allows:
        return Verdict(True)
    allowed_by = next((rule for rule in allows if rule.matches(caller)), None)
    return Verdict(allowed_by is not None, allowed_by)


@functools.cache
def rules_statement():
    # Built once and bound per call: building a statement costs more than running it. The
    # dial plan runs it itself (app/xml_curl/dialplan.py).
    return (select(RestrictionRule.id, RestrictionRule.kind, RestrictionRule.match, RestrictionRule.digits)
            .where(RestrictionRule.company_id == bindparam("company_id")).order_by(RestrictionRule.id))


def rules_for(company_id: int) -> list[Rule]:
    """The company's rules, read in one Core query (no ORM rows to build: they are plain values)."""
    return [Rule(*row) for row in db.session.execute(rules_statement(), {"company_id": company_id})]


def digits_problem(text: str) -> str | None:
    """F10.3 / G20: "digits" (empty, spaces, dashes or anything but 0-9), "length"; None when fine.
    Refused rather than cleaned up, so what is saved is exactly what the admin typed."""
    if not phone_numbers.is_ascii_digits(text):
        return "digits"
    if len(text) > MAX_DIGITS:
        return "length"
    return None


def exists(company_id: int, kind: RestrictionKind, match: RestrictionMatch, digits: str,
           except_id: int | None = None) -> bool:
    query = select(func.count()).select_from(RestrictionRule).where(
        RestrictionRule.company_id == company_id, RestrictionRule.kind == kind,
        RestrictionRule.match == match, RestrictionRule.digits == digits)
    if except_id is not None:
        query = query.where(RestrictionRule.id != except_id)
    return db.session.execute(query).scalar_one() > 0


def listing(company_id: int, search: str = "") -> list[RestrictionRule]:
    """The company's rules; `search` matches any field: the digits, or the kind and match by
    their stored value (the view turns the words the reader sees into those)."""
    query = select(RestrictionRule).where(RestrictionRule.company_id == company_id).order_by(
        RestrictionRule.kind, RestrictionRule.match, RestrictionRule.digits)
    needle = search.strip().lower()
    if needle:
        query = query.where(or_(RestrictionRule.digits.contains(needle, autoescape=True),
                                func.lower(cast(RestrictionRule.kind, String)).contains(needle, autoescape=True),
                                func.lower(cast(RestrictionRule.match, String)).contains(needle, autoescape=True)))
    return db.session.execute(query).scalars().all()


def get(company_id: int, rule_id: int) -> RestrictionRule | None:
    return db.session.execute(select(RestrictionRule).where(
        RestrictionRule.company_id == company_id, RestrictionRule.id == rule_id)).scalar_one_or_none()


def add_rule(company_id: int, kind: RestrictionKind, match: RestrictionMatch, digits: str) -> RestrictionRule:
    """The caller checked digits_problem() and exists(). The dial plan reads rules on
    every call (never cached): nothing to tell FreeSWITCH."""
    rule = RestrictionRule(company_id=company_id, kind=kind, match=match, digits=digits)
    db.session.add(rule)
    db.session.flush()
    return rule


def update_rule(rule: RestrictionRule, kind: RestrictionKind, match: RestrictionMatch, digits: str) -> None:
    rule.kind, rule.match, rule.digits = kind, match, digits
    db.session.flush()


def delete_rule(rule: RestrictionRule) -> None:
    db.session.delete(rule)
    db.session.flush()


def delete_all(company_id: int) -> int:
    """How many rules were removed."""
    return db.session.execute(delete(RestrictionRule).where(RestrictionRule.company_id == company_id)).rowcount
