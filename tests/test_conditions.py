"""The one three-valued evaluation (``trace``), and every engine proven equal to it."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outsourcing_rules import Owner, Ruleset, Task, decide
from outsourcing_rules.core.conditions import (
    AllOf,
    AnyOf,
    Atom,
    Not,
    evaluate,
    negation_normal_form,
    trace,
)
from outsourcing_rules.core.vocabulary import fact_values
from outsourcing_rules.testing import owners, rulesets, tasks

from conftest import ENGINE_PARAMS

# One comparison for each outcome: with these values, T is true, F false, U unknown.
T = Atom("repetitive", "eq", True)
F = Atom("only_owner", "eq", True)
U = Atom("hours_each", "gt", 1)
VALUES = {"repetitive": True, "only_owner": False, "hours_each": None}
OUTCOME = {T: True, F: False, U: None}


def test_all_and_any_follow_kleenes_tables() -> None:
    """``all`` is false if a part is false, ``any`` true if one is true; else unknown wins."""
    for a, b in itertools.product(OUTCOME, repeat=2):
        x, y = OUTCOME[a], OUTCOME[b]
        want_all = False if False in (x, y) else (None if None in (x, y) else True)
        want_any = True if True in (x, y) else (None if None in (x, y) else False)
        assert evaluate(AllOf((a, b)), VALUES) is want_all, (x, y)
        assert evaluate(AnyOf((a, b)), VALUES) is want_any, (x, y)


def test_not_flips_true_and_false_and_keeps_unknown() -> None:
    """``not`` of unknown stays unknown: a missing fact never makes a rule apply."""
    assert evaluate(Not(T), VALUES) is False
    assert evaluate(Not(F), VALUES) is True
    assert evaluate(Not(U), VALUES) is None


def test_the_trace_records_every_comparison_even_after_the_outcome_is_settled() -> None:
    """Coverage reads every atom's outcome, so the trace does not stop at the first false part."""
    traced = trace(AllOf((F, T, U)), VALUES)
    assert traced.result is False
    assert list(traced.outcomes()) == [(F, False), (T, True), (U, None)]


def test_blockers_name_the_false_comparisons_and_the_unknown_facts() -> None:
    """Why-not cites what is false and what is missing, never what held."""
    failed, missing = trace(AllOf((T, F, U)), VALUES).blockers()
    assert failed == [F]
    assert missing == ["hours_each"]
    assert trace(AnyOf((F, T)), VALUES).blockers() == ([], [])


def test_the_witness_of_any_is_its_first_true_part_and_of_all_every_part() -> None:
    """An explanation cites only comparisons that hold."""
    assert trace(AnyOf((F, T, Atom("repetitive", "ne", False))), VALUES).witness() == [T]
    assert trace(AllOf((T, AnyOf((F, T)))), VALUES).witness() == [T, T]
    assert trace(AllOf((T, U)), VALUES).witness() is None


@given(ruleset=rulesets(max_rules=5, max_depth=3), task=tasks(), owner=st.none() | owners())
def test_negation_normal_form_keeps_the_meaning(
    ruleset: Ruleset, task: Task, owner: Owner | None
) -> None:
    """Pushing ``not`` down never changes whether a condition is true, false or unknown."""
    values = fact_values(task, owner)
    for rule in ruleset.rules:
        assert evaluate(negation_normal_form(rule.when), values) is evaluate(rule.when, values)


@pytest.mark.parametrize("engine", ENGINE_PARAMS)
@given(ruleset=rulesets(max_rules=5, max_depth=3), task=tasks(), owner=st.none() | owners())
def test_each_engine_applies_exactly_the_rules_the_evaluation_finds_true(
    engine: str, ruleset: Ruleset, task: Task, owner: Owner | None
) -> None:
    """The engines compile the logic; this is the proof that each compiled form equals it."""
    values = fact_values(task, owner)
    expected = tuple(r.id for r in ruleset.rules if evaluate(r.when, values) is True)
    assert decide(task, owner, ruleset=ruleset, engine=engine).matched_rule_ids == expected
