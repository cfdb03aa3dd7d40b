"""Why not: the rules that did not apply, and the unknown facts that could change a verdict."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings

from outsourcing_rules import Owner, Task, decide, default_ruleset, load_ruleset
from outsourcing_rules.core.conditions import evaluate
from outsourcing_rules.explain.why import why_not_text
from outsourcing_rules.testing import owners, rulesets, tasks

SALLY = Owner(name="Sally", hourly_rate=250, core_competencies={"consulting"})
FLIGHTS = Task(name="Book flights", times_per_year=3, enjoyment="dislike", skill="competent")
CRM = Task(name="Update the CRM", category="crm", skill="competent", enjoyment="neutral")


def test_why_not_names_the_failed_condition_with_its_value(engine: str) -> None:
    """Flights: skill-gap failed because skill is competent, not at most basic."""
    misses = {m.rule_id: m for m in decide(FLIGHTS, engine=engine).why_not()}
    skill = misses["skill-gap"]
    assert [(c.fact, c.op, str(c.expected), str(c.actual)) for c in skill.failed] == [
        ("skill", "le", "basic", "competent")
    ]
    assert skill.missing == ()
    assert skill.describe() == "skill-gap (outsource): skill is competent, not at most basic"


def test_why_not_names_the_missing_fact(engine: str) -> None:
    """A rule on an unknown fact did not apply: the fact is named as missing, never as false."""
    misses = {m.rule_id: m for m in decide(FLIGHTS, engine=engine).why_not()}
    assert misses["time-scarcity"].failed == ()
    assert misses["time-scarcity"].missing == ("time_available",)
    assert misses["time-scarcity"].describe() == (
        "time-scarcity (outsource): time_available is unknown"
    )
    ratio = misses["opportunity-cost"]
    assert ratio.missing == ("rate_ratio",)
    assert set(ratio.needs) == {"provider_hourly_rate", "owner_hourly_rate"}
    assert "rate_ratio is unknown (give provider_hourly_rate or owner_hourly_rate)" in (
        ratio.describe()
    )


def test_why_not_leaves_out_the_rules_that_applied(engine: str) -> None:
    """Matches (winner and losers) are not misses; together they are every rule, in order."""
    decision = decide(FLIGHTS, engine=engine)
    missed = [m.rule_id for m in decision.why_not()]
    assert set(missed).isdisjoint(decision.matched_rule_ids)
    assert sorted([*missed, *decision.matched_rule_ids]) == sorted(default_ruleset().rule_ids)
    assert missed == [i for i in default_ruleset().rule_ids if i in missed]


def test_outranks_says_which_misses_would_have_decided() -> None:
    """Rules above the deciding one would have decided had they applied."""
    misses = {m.rule_id: m.outranks for m in decide(FLIGHTS).why_not()}
    assert misses["skill-gap"] is True
    assert misses["core-competency"] is True
    assert misses["time-scarcity"] is True  # it beats rarity in version 2
    assert misses["repetitive"] is False
    default = decide(Task(name="x"))
    assert all(m.outranks for m in default.why_not())


def test_any_lists_every_alternative_that_failed() -> None:
    """For an ``any`` condition, each alternative's failure is reported."""
    ruleset = load_ruleset("""
ruleset: anyone
default: {verdict: keep, because: Keep.}
rules:
  - id: either
    priority: 1
    when: {any: [{skill: none}, {not: {time_available: true}}]}
    then: outsource
    because: Either.
""")
    (miss,) = decide(Task(name="t", skill="expert"), ruleset=ruleset).why_not()
    assert miss.reasons() == ["skill is expert, not equal to none", "time_available is unknown"]


def test_unknowns_say_which_unknown_facts_could_change_the_verdict(engine: str) -> None:
    """The CRM task: no time known, no rate known; each could make it go."""
    unknowns = {u.fact: u for u in decide(CRM, SALLY, engine=engine).unknowns()}
    assert set(unknowns) == {
        "time_available",
        "times_per_year",
        "repetitive",
        "can_be_eliminated",
        "provider_hourly_rate",
    }
    assert unknowns["time_available"].describe() == (
        "unknown: time_available; if the owner had no time for it, this would be outsourced"
    )
    (rate,) = unknowns["provider_hourly_rate"].outcomes
    assert dict(rate.changes) == {"provider_hourly_rate": 125}
    json.dumps([u.to_dict() for u in unknowns.values()])


def test_a_known_core_competency_is_not_unknown() -> None:
    """core_competency known from the owner's list is not reported as unknown."""
    task = Task(name="Client invoicing", category="invoicing", times_per_year=52)
    assert "core_competency" not in {u.fact for u in decide(task, SALLY).unknowns()}


def test_unknowns_are_empty_when_nothing_unknown_matters() -> None:
    """Only core work outranks only-owner, and it keeps too: no unknown fact matters."""
    decision = decide(Task(name="Talk to clients", only_owner=True))
    assert decision.unknowns() == ()


def test_trace_with_why_not_adds_the_misses(engine: str) -> None:
    """trace(why_not=True) adds the misses for other verdicts; the owner's text has none."""
    decision = decide(CRM, SALLY, engine=engine)
    short, long = decision.trace(), decision.trace(why_not=True)
    assert long.startswith(short)
    assert "Did not apply: " in long
    assert "skill-gap (outsource): skill is competent, not at most basic" in long
    assert "Did not apply" not in short
    assert "Did not apply" not in decision.explain()
    assert why_not_text(decision).startswith(long[len(short) :].strip())


def test_to_dict_of_a_miss_is_json() -> None:
    """A miss's data is JSON-serialisable with its description."""
    data = [m.to_dict() for m in decide(FLIGHTS).why_not()]
    json.dumps(data)
    assert data[0]["rule"] == "core-competency"


_SETTINGS = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)


def _check(decision: Any) -> None:
    values = decision.facts
    for miss in decision.why_not():
        rule = decision.ruleset.rule(miss.rule_id)
        assert evaluate(rule.condition, values) is not True
        assert miss.failed or miss.missing
        for check in miss.failed:
            assert check.actual is not None
        for fact in miss.missing:
            assert values[fact] is None
    for unknown in decision.unknowns():
        for outcome in unknown.outcomes:
            assert list(outcome.changes) == [unknown.fact]
            assert outcome.previous[unknown.fact] is None
            assert outcome.verdict is not decision.verdict


@_SETTINGS
@given(tasks(), owners())
def test_property_default_ruleset(task: Task, owner: Owner) -> None:
    """Misses did not apply and cite a false condition or unknown fact; unknowns are real.

    Each unknown fact is unknown in the task, and each of its outcomes
    changes the verdict.
    """
    _check(decide(task, owner, engine="native"))


@_SETTINGS
@given(rulesets(max_rules=5), tasks(), owners())
def test_property_any_ruleset(ruleset: Any, task: Task, owner: Owner) -> None:
    """The same for any ruleset."""
    _check(decide(task, owner, ruleset=ruleset, engine="native"))


def test_misses_of_a_keep_are_reported_for_other_verdicts_only() -> None:
    """The verbose text lists misses whose verdict differs from the decision's."""
    text = why_not_text(decide(FLIGHTS))
    assert "core-competency" not in text
    assert "skill-gap" in text
    assert "(keep)" not in text
