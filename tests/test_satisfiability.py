"""Reasoning about conditions: can a rule apply, which earlier rules always win."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given

from outsourcing_rules import Owner, Task, load_ruleset
from outsourcing_rules.core.conditions import Condition, evaluate
from outsourcing_rules.core.rules import Rule, Ruleset
from outsourcing_rules.core.vocabulary import fact_values
from outsourcing_rules.quality.satisfiability import (
    Literal,
    TooComplex,
    can_apply,
    conjuncts,
    contradiction,
    covering_rules,
    explain_contradiction,
)
from outsourcing_rules.testing import owners, rulesets, tasks


def rule(when: Any) -> Rule:
    data = {
        "ruleset": "x",
        "default": {"verdict": "keep", "because": "b"},
        "rules": [{"id": "a", "priority": 1, "when": when, "then": "keep", "because": "c"}],
    }
    return load_ruleset(data).rules[0]


def condition(when: Any) -> Condition:
    return rule(when).condition


NEVER = [
    pytest.param({"times_per_year": {"lt": 3, "gt": 5}}, id="contradictory-bounds"),
    pytest.param({"times_per_year": {"ge": 5}, "all": [{"times_per_year": {"lt": 5}}]}, id="ge-lt"),
    pytest.param({"hours_each": {"le": 2, "gt": 2}}, id="le-gt-same"),
    pytest.param({"times_per_year": {"lt": 0}}, id="below-the-facts-bounds"),
    pytest.param({"provider_hourly_rate": {"le": 0}}, id="rate-below-minimum"),
    pytest.param({"hours_each": {"gt": 0, "lt": 5e-324}}, id="no-float-in-between"),
    pytest.param({"category": "a", "all": [{"category": "b"}]}, id="eq-two-values"),
    pytest.param({"category": {"in": ["a", "b"], "not_in": ["a", "b"]}}, id="in-not-in"),
    pytest.param({"all": [{"category": {"in": ["a", "b"]}}, {"category": {"in": ["c"]}}]}, id="in"),
    pytest.param({"category": {"in": ["a", "b"], "ne": "a"}, "all": [{"category": {"ne": "b"}}]}),
    pytest.param({"tags": {"in": ["x"], "not_in": ["x", "y"]}}, id="labels"),
    pytest.param({"skill": {"lt": "none"}}, id="below-the-lowest-level"),
    pytest.param({"enjoyment": {"gt": "like", "lt": "love"}}, id="no-level-between"),
    pytest.param({"one_off": True, "not": {"one_off": True}}, id="not-itself"),
    pytest.param({"only_owner": True, "all": [{"only_owner": {"ne": True}}]}, id="bool"),
    pytest.param(
        {"any": [{"hours_each": {"gt": 3, "lt": 2}}, {"skill": {"gt": "expert"}}]}, id="any"
    ),
]

SOMETIMES = [
    pytest.param({"times_per_year": {"gt": 3, "lt": 4}}, id="a-gap-of-reals"),
    pytest.param({"hours_each": {"gt": 0, "lt": 1e-300}}, id="tiny-gap"),
    pytest.param({"category": {"ne": "a"}}, id="ne"),
    pytest.param({"category": {"not_in": ["a"]}, "all": [{"category": {"ne": "b"}}]}, id="text"),
    pytest.param({"tags": {"in": ["x", "y"], "not_in": ["x"]}}, id="labels"),
    pytest.param({"tags": {"not_in": ["x"]}}, id="no-labels"),
    pytest.param({"saving_per_year": {"lt": 0}}, id="savings-can-be-negative"),
    pytest.param({"enjoyment": {"gt": "neutral", "lt": "love"}}, id="like"),
    pytest.param({"any": [{"skill": {"lt": "none"}}, {"one_off": False}]}, id="one-branch"),
    pytest.param({"times_per_year": {"in": [1, 2], "ne": 1}}, id="in-minus-ne"),
]


@pytest.mark.parametrize("when", NEVER)
def test_rules_that_can_never_apply(when: Any) -> None:
    """Each of these conditions is false (or unknown) for every possible task."""
    assert not can_apply(condition(when))
    assert conjuncts(condition(when)) == []


@pytest.mark.parametrize("when", SOMETIMES)
def test_rules_that_can_apply(when: Any) -> None:
    """Each of these conditions holds for some task."""
    assert can_apply(condition(when))


def test_does_not_apply_includes_unknown() -> None:
    """A single atom can always "not apply": its fact may be unknown."""
    assert conjuncts(condition({"skill": {"lt": "none"}}), applies=False) != []
    assert conjuncts(condition({"one_off": True}), applies=False) == [
        (Literal(condition({"one_off": True}), False),)  # type: ignore[arg-type]
    ]


def test_the_contradiction_is_the_smallest_part() -> None:
    """Of four comparisons, the two that clash are named, in words."""
    cond = condition({"skill": "basic", "times_per_year": {"ge": 1, "lt": 3, "gt": 5}})
    literals = [Literal(atom, True) for atom in cond.parts]  # type: ignore[union-attr]
    core = contradiction(literals)
    assert [lit.atom.op for lit in core] == ["lt", "gt"]
    assert explain_contradiction(core) == (
        "times_per_year less than 3 and times_per_year greater than 5 cannot all hold"
    )
    (alone,) = contradiction([Literal(condition({"hours_each": {"lt": 0}}), True)])  # type: ignore[arg-type]
    assert explain_contradiction([alone]) == (
        "hours_each less than 0 never holds (hours_each is always between 0 and 10000)"
    )


def test_a_rule_covered_by_one_earlier_rule() -> None:
    """``skill: none`` applies only when ``skill <= basic`` does."""
    assert covering_rules(
        condition({"skill": "none"}),
        [("other", condition({"one_off": True})), ("gap", condition({"skill": {"le": "basic"}}))],
    ) == ["gap"]


def test_a_rule_covered_only_by_several_together() -> None:
    """No single earlier rule covers it, but the union does; the smallest such set is named."""
    mine = condition({"skill": {"ne": "competent"}})
    others = [
        ("low", condition({"skill": {"le": "basic"}})),
        ("unrelated", condition({"skill": {"le": "basic"}, "one_off": True})),
        ("high", condition({"skill": {"gt": "competent"}})),
    ]
    assert covering_rules(mine, others) == ["low", "high"]
    assert covering_rules(mine, others[:2]) is None


def test_a_rule_not_covered_because_of_unknown_facts() -> None:
    """``skill <= basic`` and ``skill > basic`` together do not cover a rule on another fact."""
    mine = condition({"one_off": True})
    others = [
        ("low", condition({"skill": {"le": "basic"}})),
        ("high", condition({"skill": {"gt": "basic"}})),
    ]
    assert covering_rules(mine, others) is None


def test_the_cap_gives_up_instead_of_exploding() -> None:
    """A condition whose DNF has more conjunctions than the cap raises TooComplex."""
    facts = ["only_owner", "one_off", "time_available", "repetitive", "can_be_eliminated"]
    facts += ["revenue_generating", "procedure_documented", "outcome_defined"]
    pairs = [facts[i : i + 2] for i in range(0, 8, 2)]  # four ``any`` of two: 16 conjunctions
    wide = condition({"all": [{"any": [{a: True}, {b: True}]} for a, b in pairs]})
    assert len(conjuncts(wide)) == 16
    with pytest.raises(TooComplex):
        conjuncts(wide, cap=10)


def values_of(task: Task, owner: Owner) -> dict[str, Any]:
    return fact_values(task, owner)


@given(rulesets(max_rules=4), tasks(), owners())
def test_a_rule_that_applies_somewhere_is_never_called_impossible(
    ruleset: Ruleset, task: Task, owner: Owner
) -> None:
    """Soundness: whenever a real task makes a rule true, the reasoning said it could apply."""
    values = values_of(task, owner)
    for rule_ in ruleset.rules:
        try:
            possible = can_apply(rule_.condition)
        except TooComplex:
            continue
        if evaluate(rule_.when, values) is True:
            assert possible, rule_.id


@given(rulesets(max_rules=5), tasks(), owners())
def test_a_covered_rule_is_never_the_winner(ruleset: Ruleset, task: Task, owner: Owner) -> None:
    """Soundness: when a rule is said to be covered, a real task never finds it applying alone."""
    values = values_of(task, owner)
    rules = ruleset.rules
    for i, rule_ in enumerate(rules):
        try:
            cover = covering_rules(rule_.condition, [(r.id, r.condition) for r in rules[:i]])
        except TooComplex:
            continue
        if cover is None or evaluate(rule_.when, values) is not True:
            continue
        assert any(evaluate(r.when, values) is True for r in rules if r.id in cover), rule_.id
