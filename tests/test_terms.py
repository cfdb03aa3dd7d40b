"""How the counterfactual search reads a ruleset: the ways to make a rule apply or stop.

:mod:`outsourcing_rules.explain._terms` turns each rule's condition into
*terms* (sets of comparisons that together make it true) and assigns each
comparison an input to change. The search's results are tested through
whole searches elsewhere; these pin the pieces exactly.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from outsourcing_rules import Skill, load_ruleset
from outsourcing_rules.core.conditions import AllOf, AnyOf, Atom
from outsourcing_rules.explain._terms import (
    Analysis,
    Tree,
    _compile_open,
    _open,
    assignments,
    combine,
    dnf,
)

RARE = Atom("times_per_year", "lt", 4)
WEAK = Atom("skill", "le", Skill.BASIC)
BUSY = Atom("time_available", "eq", False)
RICH = Atom("owner_hourly_rate", "ge", 100)
RATIO = Atom("rate_ratio", "ge", 2)


def test_a_condition_is_made_true_by_any_of_its_terms() -> None:
    """``all`` joins its parts' terms, ``any`` lists each part's: the disjunctive normal form."""
    assert dnf(RARE) == [frozenset({RARE})]
    assert dnf(AnyOf((RARE, WEAK))) == [frozenset({RARE}), frozenset({WEAK})]
    both = dnf(AllOf((AnyOf((RARE, WEAK)), BUSY)))
    assert both == [frozenset({RARE, BUSY}), frozenset({WEAK, BUSY})]


def test_combining_terms_takes_one_from_each_list_and_joins_them() -> None:
    """A rule's own term joined with one term of each rule that must stop applying."""
    own = [frozenset({RARE})]
    blockers = [[frozenset({WEAK}), frozenset({BUSY})]]
    assert list(combine(own, blockers)) == [frozenset({RARE, WEAK}), frozenset({RARE, BUSY})]
    assert list(combine(own, [])) == own


def test_the_analysis_knows_how_each_rule_stops_applying() -> None:
    """``false_terms`` are the terms of each rule's negation; ``true_terms`` of the rule."""
    ruleset = load_ruleset("""
ruleset: two
default: {verdict: keep, because: Keep.}
rules:
  - {id: weak, priority: 2, when: {skill: {le: basic}}, then: outsource, because: Weak.}
  - {id: busy, priority: 1, when: {all: [{time_available: false}, {times_per_year: {lt: 4}}]},
     then: eliminate, because: Busy.}
""")
    analysis = Analysis(ruleset)
    assert analysis.true_terms == [[frozenset({WEAK})], [frozenset({BUSY, RARE})]]
    assert analysis.false_terms == [
        [frozenset({WEAK.negated()})],
        [frozenset({BUSY.negated()}), frozenset({RARE.negated()})],
    ]
    assert analysis.relevant == ("skill", "times_per_year", "time_available")


def test_each_comparison_gets_an_input_that_can_move_it_within_the_limit() -> None:
    """An input not allowed is skipped for the next; a full plan reuses an input it holds."""
    only_owner_rate = list(assignments([RATIO], {"owner_hourly_rate"}, most=1))
    assert only_owner_rate == [{"owner_hourly_rate": [RATIO]}]
    both = list(assignments([RICH, RATIO], {"provider_hourly_rate", "owner_hourly_rate"}, most=1))
    assert both == [{"owner_hourly_rate": [RICH, RATIO]}]
    two = list(assignments([RICH, RATIO], {"provider_hourly_rate", "owner_hourly_rate"}, most=2))
    assert two == [
        {"owner_hourly_rate": [RICH], "provider_hourly_rate": [RATIO]},
        {"owner_hourly_rate": [RICH, RATIO]},
    ]


def _trees(leaves: int) -> st.SearchStrategy[Tree]:
    """Conditions over comparison numbers below *leaves*: ``(is "all", parts)`` or a number."""
    return st.recursive(
        st.integers(0, leaves - 1),
        lambda inner: st.tuples(st.booleans(), st.lists(inner, max_size=4).map(tuple)),
        max_leaves=12,
    )


@given(
    st.lists(_trees(6), min_size=1, max_size=4),
    st.lists(st.booleans(), min_size=6, max_size=6),
    st.frozensets(st.integers(0, 5)),
)
def test_compiled_open_rules_give_kleenes_value(
    trees: list[Tree], truths: list[bool], free: frozenset[int]
) -> None:
    """The compiled rules a fact may move give what evaluating them in Kleene's logic gives.

    A condition without negation is monotone in its comparisons, so its value
    with some left open is read from two evaluations; a tree with the same
    comparison in several places, or an empty ``all``/``any``, included.
    """
    compiled = _compile_open([*enumerate(trees), (len(trees), None)], free)
    assert len(trees) not in compiled  # a rule not all numbered gets no function
    for position, tree in enumerate(trees):
        assert compiled[position](truths) is _open(tree, truths, free)
