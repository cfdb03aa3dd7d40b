"""Rule coverage: which rules never applied or decided, which comparisons took which outcomes."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outsourcing_rules import Owner, RulesetBuilder, Task, decide, decide_all, default_ruleset
from outsourcing_rules.core.rules import Ruleset
from outsourcing_rules.quality.coverage import measure_coverage
from outsourcing_rules.testing import owners, rulesets, tasks

SMALL = (
    RulesetBuilder("small")
    .default("keep", "Nothing to do.")
    .rule(id="drop", priority=20, when={"can_be_eliminated": True}, then="eliminate", because="x")
    .rule(
        id="busy",
        priority=10,
        when={"any": [{"time_available": False}, {"not": {"hours_each": {"lt": 2}}}]},
        then="outsource",
        because="x",
    )
    .rule(id="also-drop", priority=5, when={"repetitive": True}, then="eliminate", because="x")
    .build()
)


def test_rules_never_applied_and_never_decided() -> None:
    """A rule that applied but always lost shows as never deciding, not as never applying."""
    report = measure_coverage(
        [
            decide(Task(name="a", can_be_eliminated=True, repetitive=True), ruleset=SMALL),
            decide(Task(name="b"), ruleset=SMALL),
        ]
    )
    assert report.decisions == 2
    assert report.never_applied == ("busy",)
    assert report.never_decided == ("busy", "also-drop")
    assert report.applied == {"drop": 1, "also-drop": 1}
    assert report.decided == {"drop": 1}
    assert not report.complete


def test_each_comparison_records_true_false_and_unknown() -> None:
    """Atoms are evaluated as written (under ``not`` too) and missing facts count as unknown."""
    report = measure_coverage(
        [
            decide(Task(name="a", time_available=False, hours_each=1), ruleset=SMALL),
            decide(Task(name="b", time_available=True), ruleset=SMALL),
        ]
    )
    by_key = {a.atom.key: a for a in report.atoms}
    assert set(by_key) == {
        "rules[0].when.can_be_eliminated",
        "rules[1].when.any[0].time_available",
        "rules[1].when.any[1].not.hours_each.lt",
        "rules[2].when.repetitive",
    }
    assert by_key["rules[1].when.any[0].time_available"].seen == {True, False}
    assert by_key["rules[1].when.any[0].time_available"].missing == ("unknown",)
    assert by_key["rules[1].when.any[1].not.hours_each.lt"].seen == {True, None}
    assert by_key["rules[0].when.can_be_eliminated"].missing == ("true", "false")
    assert "never true, never false" in by_key["rules[0].when.can_be_eliminated"].describe()


def test_full_coverage_is_complete() -> None:
    """Cases that reach every rule, as winner, and every outcome of every comparison."""
    facts = [
        {"can_be_eliminated": True, "time_available": True, "hours_each": 1, "repetitive": False},
        {"can_be_eliminated": False, "time_available": False, "hours_each": 5, "repetitive": True},
        {"repetitive": True},
        {},
    ]
    decisions = [decide(Task(name=f"t{i}", **f), ruleset=SMALL) for i, f in enumerate(facts)]
    report = measure_coverage(decisions)
    assert report.never_applied == report.never_decided == ()
    assert report.incomplete_atoms == ()
    assert report.complete
    assert "decided: 3/3" in report.render()


def test_no_decisions_with_a_ruleset_covers_nothing() -> None:
    """Measuring nothing is allowed when the ruleset is named, and reports every rule."""
    report = measure_coverage([], default_ruleset())
    assert report.never_applied == default_ruleset().rule_ids
    assert all(a.missing == ("true", "false", "unknown") for a in report.atoms)
    with pytest.raises(ValueError, match="no decisions"):
        measure_coverage([])


def test_decisions_of_two_rulesets_are_refused() -> None:
    """Coverage is per ruleset; mixing decisions of two is a mistake said plainly."""
    with pytest.raises(ValueError, match="comes from ruleset 'small'"):
        measure_coverage([decide(Task(name="a")), decide(Task(name="b"), ruleset=SMALL)])


def test_render_and_to_dict() -> None:
    """The text names the gaps with their rule and key; the data is JSON-serialisable."""
    report = measure_coverage([decide(Task(name="a", skill="none"))])
    text = report.render()
    assert text.startswith("coverage of ruleset 'default' over 1 decisions:")
    assert "never applied: core-competency, only-owner" in text
    assert "skill-gap: skill at most basic (at rules[4].when.skill.le): never false" in text
    data = json.loads(json.dumps(report.to_dict()))
    assert data["never_decided"][:2] == ["core-competency", "only-owner"]
    assert {"rule": "skill-gap", "missing": ["false", "unknown"]}.items() <= next(
        c for c in data["comparisons"] if c["rule"] == "skill-gap"
    ).items()


@given(rulesets(max_rules=5), st.lists(tasks(), max_size=6), owners())
def test_coverage_agrees_with_the_decisions(
    ruleset: Ruleset, task_list: list[Task], owner: Owner
) -> None:
    """Deciding implies applying; a rule that applied saw some of its facts known."""
    decisions = decide_all(task_list, owner, ruleset=ruleset, engine="native")
    report = measure_coverage(decisions, ruleset)
    assert set(report.never_applied) <= set(report.never_decided)
    applied = {r for d in decisions for r in d.matched_rule_ids}
    assert set(report.never_applied) == set(ruleset.rule_ids) - applied
    assert sum(report.decided.values()) == sum(d.rule_id is not None for d in decisions)
    for rule_id in applied:  # a rule never applies on unknown facts alone
        assert any(a.seen - {None} for a in report.atoms if a.rule_id == rule_id)
