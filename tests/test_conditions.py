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
    atoms,
    evaluate,
    negation_normal_form,
    render_value,
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


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (True, "true"),
        (False, "false"),
        (None, "unknown"),
        (12, "12"),
        (12.0, "12"),
        (2.5, "2.5"),
        (0.25, "0.25"),
        (2.125, "2.12"),
        (1.004, "1"),
        (2.999, "3"),
        (-0.5, "-0.5"),
        (0.001, "0.001"),
        (-0.001, "-0.001"),
        ("dislike", "dislike"),
        (frozenset({"travel", "errands"}), "[errands, travel]"),
        (("b", "a", 3), "[3, a, b]"),
    ],
)
def test_values_are_written_as_a_ruleset_author_writes_them(value: object, written: str) -> None:
    """Booleans in lower case, unknown as a word, no trailing ``.0``, lists sorted in brackets."""
    assert render_value(value) == written


def test_atoms_reach_inside_a_negation() -> None:
    """Every comparison of a condition is listed, those under ``not`` included, in order."""
    condition = AllOf((T, Not(AnyOf((F, U)))))
    assert list(atoms(condition)) == [T, F, U]


@pytest.mark.parametrize(
    ("atom", "below", "at", "above"),
    [
        (Atom("hours_each", "lt", 2), True, False, False),
        (Atom("hours_each", "le", 2), True, True, False),
        (Atom("hours_each", "gt", 2), False, False, True),
        (Atom("hours_each", "ge", 2), False, True, True),
    ],
)
def test_strict_and_inclusive_thresholds_differ_exactly_at_the_constant(
    atom: Atom, below: bool, at: bool, above: bool
) -> None:
    """``less than 2`` is false at 2 and ``at most 2`` true; the same for the upper side."""
    assert (atom.test(1.5), atom.test(2), atom.test(2.5)) == (below, at, above)


def test_label_membership_is_any_shared_label_and_its_negation_none() -> None:
    """``in`` holds when the labels share one with the list; ``not_in`` when they share none."""
    inside = Atom("tags", "in", frozenset({"travel", "errands"}))
    outside = Atom("tags", "not_in", frozenset({"travel", "errands"}))
    assert inside.test(frozenset({"travel", "urgent"})) is True
    assert inside.test(frozenset({"urgent"})) is False
    assert outside.test(frozenset({"travel", "urgent"})) is False
    assert outside.test(frozenset({"urgent"})) is True
    assert inside.test(None) is None


def test_a_condition_is_written_back_as_the_ruleset_file_wrote_it() -> None:
    """``to_data`` gives the file's shorthand, ``$`` for parameters and ``$$`` for a literal."""
    from outsourcing_rules.core.conditions import to_data

    condition = AllOf(
        (
            Atom("category", "eq", "$ales"),
            Atom("times_per_year", "lt", 12, parameter="rare"),
            Not(AnyOf((Atom("skill", "le", "basic"), Atom("tags", "in", frozenset({"b", "a"}))))),
        )
    )
    assert to_data(condition) == {
        "all": [
            {"category": "$$ales"},
            {"times_per_year": {"lt": "$rare"}},
            {"not": {"any": [{"skill": {"le": "basic"}}, {"tags": {"in": ["a", "b"]}}]}},
        ]
    }


def test_witness_and_blockers_refuse_a_condition_not_in_negation_normal_form() -> None:
    """A ``not`` around a group must be pushed inward first; the error says so."""
    holds, fails = trace(Not(AllOf((T, F))), VALUES), trace(Not(AnyOf((T, F))), VALUES)
    nnf = "needs a condition in negation normal form"
    with pytest.raises(TypeError, match=rf"^witness\(\) {nnf}$"):
        holds.witness()
    with pytest.raises(TypeError, match=rf"^blockers\(\) {nnf}$"):
        fails.blockers()


def test_the_trace_of_a_negation_keeps_the_part_it_negates() -> None:
    """Coverage and why-not read the comparisons under a ``not`` through its trace."""
    traced = trace(Not(F), VALUES)
    assert traced.result is True
    assert traced.parts == (trace(F, VALUES),)
    assert list(traced.outcomes()) == [(F, False)]


def test_a_comparison_is_said_with_its_operator_and_value_in_words() -> None:
    """``describe`` writes the fact, the operator in words and the value as the file would."""
    assert Atom("hours_each", "le", 2.5).describe() == "hours_each at most 2.5"
    assert Atom("category", "in", frozenset({"b", "a"})).describe() == "category one of [a, b]"
    assert Atom("repetitive", "eq", True).describe() == "repetitive equal to true"


def test_membership_of_a_single_value_fact_is_equality_with_one_of_the_list() -> None:
    """``category in [a, b]`` holds for ``a``; ``not_in`` is its exact opposite."""
    inside = Atom("category", "in", frozenset({"a", "b"}))
    outside = Atom("category", "not_in", frozenset({"a", "b"}))
    assert (inside.test("a"), inside.test("c"), inside.test(None)) == (True, False, None)
    assert (outside.test("a"), outside.test("c"), outside.test(None)) == (False, True, None)
