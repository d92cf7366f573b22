"""Call restriction rules (F10): the guide's table, and the page that lists, searches,
adds, edits and deletes them."""
import pytest
from sqlalchemy import func, select

from app.flask_extensions import db
from app.models.schedule import RestrictionKind, RestrictionMatch, RestrictionRule
from app.services import phone_numbers, restrictions
from app.services.restrictions import Rule
from tests import factories

EN = {"Accept-Language": "en"}
BLOCK, ALLOW = RestrictionKind.BLOCK, RestrictionKind.ALLOW
M = RestrictionMatch


# The guide's table (F10.6): which callers each rule matches, for Allow (may call) and Block (rejected).
GUIDE = [
    (M.EQUALS, "5149073400", ["5149073400"], ["5149073401", "15149073400x", "514907340"]),
    (M.CONTAINS, "5555", ["5145555000", "5555", "8195555123"], ["5145550555"]),
    (M.STARTS_WITH, "514", ["5149073400", "5140000000"], ["4185149073"]),
    (M.ENDS_WITH, "3400", ["5149073400", "4180003400"], ["5149034001"]),
]


@pytest.mark.parametrize("match, digits, matching, other", GUIDE, ids=[g[0].value for g in GUIDE])
def test_the_guides_table_allow_lets_only_matches_call_and_block_rejects_the_same_set(match, digits, matching,
                                                                                      other):
    allow, block = [Rule(1, ALLOW, match, digits)], [Rule(1, BLOCK, match, digits)]
    for caller in matching:
        assert restrictions.judge(allow, caller).allowed, caller
        assert not restrictions.judge(block, caller).allowed, caller
    for caller in other:
        assert not restrictions.judge(allow, caller).allowed, caller
        assert restrictions.judge(block, caller).allowed, caller


def test_block_beats_allow_and_no_rule_lets_everyone_through():
    rules = [Rule(1, ALLOW, M.STARTS_WITH, "514"), Rule(2, BLOCK, M.EQUALS, "5149073400")]
    assert restrictions.judge(rules, "5149073400").rule == rules[1]
    assert restrictions.judge(rules, "5149073401").allowed
    assert restrictions.judge([], "5149073400").allowed


@pytest.mark.parametrize("presented, hidden, digits", [
    ("+15149073400", False, "5149073400"), ("15149073400", False, "5149073400"), ("5149073400", False, "5149073400"),
    ("+33142685300", False, "33142685300"), ("anonymous", False, None), ("Anonymous", False, None),
    ("private", False, None), ("", False, None), ("5149073400", True, None), ("sip:bob", False, None),
])
def test_the_presented_number_is_normalised_and_a_withheld_one_is_none(presented, hidden, digits):
    assert phone_numbers.presented_digits(presented, hidden) == digits


def test_a_withheld_caller_is_never_filtered_even_on_an_allow_list():
    verdict = restrictions.judge([Rule(1, ALLOW, M.EQUALS, "5149073400")], None)
    assert verdict.allowed and not verdict.filtered


# --- the page --------------------------------------------------------------------------

@pytest.fixture
def admin(client, tenants):
    client.post("/login", data={"email": "admin@alpha.example", "password": factories.PASSWORD})
    return tenants


def rules_of(company) -> list[tuple]:
    db.session.expire_all()
    return [(r.kind, r.match, r.digits) for r in restrictions.listing(company.id)]


def test_a_rule_added_appears_in_the_list(client, admin):
    response = client.post("/call-restrictions/", data={"kind": "block", "match": "equals", "digits": "5149073400"},
                           headers=EN)
    assert response.status_code == 302
    assert rules_of(admin["a"]) == [(BLOCK, M.EQUALS, "5149073400")]
    page = client.get("/call-restrictions/", headers=EN).get_data(as_text=True)
    assert "5149073400" in page and "Block" in page and "Equals (strongly recommended)" in page


@pytest.mark.parametrize("digits, message", [
    ("", "Digits only, no spaces or dashes"),
    ("514 907-3400", "Digits only, no spaces or dashes: 514 907-3400 is written 5149073400."),
    ("514-907-3400", "Digits only, no spaces or dashes"),
    ("+15149073400", "Digits only, no spaces or dashes"),
    ("１２３", "Digits only, no spaces or dashes"),
    ("1234567890123456", "15 digits at most."),
])
def test_bad_digits_are_refused_next_to_the_field_and_nothing_is_saved(client, admin, digits, message):
    response = client.post("/call-restrictions/", data={"kind": "block", "match": "equals", "digits": digits},
                           headers=EN)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert rules_of(admin["a"]) == []


def test_an_identical_rule_is_refused_but_another_type_or_match_is_not(client, admin):
    data = {"kind": "block", "match": "equals", "digits": "5149073400"}
    client.post("/call-restrictions/", data=data)
    assert "This rule already exists." in client.post("/call-restrictions/", data=data, headers=EN).get_data(
        as_text=True)
    assert client.post("/call-restrictions/", data={**data, "kind": "allow"}).status_code == 302
    assert client.post("/call-restrictions/", data={**data, "match": "contains"}).status_code == 302
    assert len(rules_of(admin["a"])) == 3


def test_a_bogus_type_or_match_is_a_field_error(client, admin):
    response = client.post("/call-restrictions/", data={"kind": "maybe", "match": "regex", "digits": "514"})
    assert response.status_code == 422 and rules_of(admin["a"]) == []


def test_the_search_matches_every_field(client, admin):
    for kind, match, digits in [(BLOCK, M.EQUALS, "5149073400"), (ALLOW, M.STARTS_WITH, "418"),
                                (BLOCK, M.ENDS_WITH, "9999")]:
        restrictions.add_rule(admin["a"].id, kind, match, digits)
    restrictions.add_rule(admin["b"].id, BLOCK, M.EQUALS, "4181111111")
    db.session.commit()

    def found(q):
        page = client.get("/call-restrictions/", query_string={"q": q}, headers=EN).get_data(as_text=True)
        return [d for d in ("5149073400", "418", "9999", "4181111111") if f"<code>{d}</code>" in page]

    assert found("907") == ["5149073400"]
    assert found("418") == ["418"]          # never another company's rule
    assert found("Allow") == ["418"]
    assert found("ends with") == ["9999"]
    assert found("block") == ["5149073400", "9999"]
    assert found("") == ["5149073400", "418", "9999"]
    assert found("%") == []


def test_a_rule_can_be_edited(client, admin):
    rule = restrictions.add_rule(admin["a"].id, BLOCK, M.EQUALS, "5149073400")
    db.session.commit()
    assert client.get(f"/call-restrictions/{rule.id}").status_code == 200
    response = client.post(f"/call-restrictions/{rule.id}", data={"kind": "allow", "match": "starts_with",
                                                                  "digits": "514"})
    assert response.status_code == 302
    assert rules_of(admin["a"]) == [(ALLOW, M.STARTS_WITH, "514")]


def test_delete_and_delete_all_remove_only_the_companys_rules(client, admin):
    first = restrictions.add_rule(admin["a"].id, BLOCK, M.EQUALS, "5149073400")
    restrictions.add_rule(admin["a"].id, BLOCK, M.EQUALS, "5149073401")
    restrictions.add_rule(admin["a"].id, ALLOW, M.CONTAINS, "555")
    theirs = restrictions.add_rule(admin["b"].id, BLOCK, M.EQUALS, "4181111111")
    db.session.commit()
    page = client.get("/call-restrictions/", headers=EN).get_data(as_text=True)
    assert 'data-confirm="Delete all 3 rules? Every caller will get through."' in page
    assert client.post(f"/call-restrictions/{theirs.id}/delete").status_code == 404
    assert client.get(f"/call-restrictions/{theirs.id}").status_code == 404
    assert client.post(f"/call-restrictions/{first.id}/delete").status_code == 302
    assert len(rules_of(admin["a"])) == 2
    response = client.post("/call-restrictions/delete-all", headers=EN, follow_redirects=True)
    assert "2 rules deleted" in response.get_data(as_text=True)
    assert rules_of(admin["a"]) == []
    assert db.session.execute(select(func.count()).select_from(RestrictionRule)).scalar_one() == 1


def test_users_cannot_reach_the_rules(client, tenants):
    client.post("/login", data={"email": "user@alpha.example", "password": factories.PASSWORD})
    assert client.get("/call-restrictions/").status_code == 403
    assert client.post("/call-restrictions/delete-all").status_code == 403
