"""How the counterfactual search reads a ruleset: the ways to make a rule apply or stop.

:mod:`outsourcing_rules.explain._terms` turns each rule's condition into
*terms* (sets of comparisons that together make it true) and assigns each
comparison an input to change. The search's results are tested through
whole searches elsewhere; these pin the pieces exactly.
"""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import given
from hypothesis import strategies as st

from outsourcing_rules import Skill, Verdict, load_ruleset
from outsourcing_rules.core.conditions import AllOf, AnyOf, Atom
from outsourcing_rules.core.rules import Ruleset
from outsourcing_rules.explain._inputs import INPUTS
from outsourcing_rules.explain._terms import Analysis, Tree, assignments, combine, dnf
from outsourcing_rules.testing import rulesets

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


def _open(tree: Tree, truths: Sequence[bool], free: frozenset[int]) -> bool | None:
    """Evaluate *tree* with the comparisons in *free* unknown, in Kleene's logic (by hand)."""
    if isinstance(tree, int):
        return None if tree in free else truths[tree]
    is_all, parts = tree
    decisive = not is_all
    unknown = False
    for part in parts:
        result = _open(part, truths, free)
        if result is decisive:
            return decisive
        if result is None:
            unknown = True
    return None if unknown else not decisive


def _settled_by_hand(
    analysis: Analysis, name: str, verdict: Verdict, applying: Sequence[int], truths: list[bool]
) -> bool:
    """Answer as ``Analysis.settled`` does, by walking each rule's tree."""
    rules = analysis.ruleset.rules
    fixed = next((q for q in applying if q not in analysis.moving[name]), len(rules))
    for position in analysis.moved_by[name]:
        if position >= fixed:
            break
        tree = analysis.trees[position]
        if tree is None:
            return False
        result = _open(tree, truths, analysis.free[name])
        if result is False:
            continue
        if rules[position].verdict is not verdict:
            return False
        if result is True:
            return True
    last = rules[fixed].verdict if fixed < len(rules) else analysis.ruleset.default_verdict
    return last is verdict


@given(rulesets(max_rules=6), st.sampled_from(list(Verdict)), st.data())
def test_the_compiled_settled_test_is_kleenes_reading_of_the_rules(
    ruleset: Ruleset, verdict: Verdict, data: st.DataObject
) -> None:
    """Whether a fact alone may move the verdict, compiled per ruleset, is what the trees say.

    Each rule a fact moves is read in Kleene's logic with that fact's
    comparisons open and the others as they hold (any truths, any rules
    applying); a rule's condition without negation is monotone, which the
    compiled test relies on.
    """
    analysis = Analysis(ruleset)
    count = len(analysis.compared)
    truths = data.draw(st.lists(st.booleans(), min_size=count, max_size=count))
    positions = range(len(ruleset.rules))
    applying = sorted(data.draw(st.sets(st.sampled_from(positions)))) if positions else []
    for name in INPUTS:
        expected = _settled_by_hand(analysis, name, verdict, applying, truths)
        assert analysis.settled(name, verdict, applying, truths) is expected, name


@given(rulesets(max_rules=6), st.sampled_from(list(Verdict)), st.data())
def test_the_compiled_unsettled_list_is_each_inputs_settled_test(
    ruleset: Ruleset, verdict: Verdict, data: st.DataObject
) -> None:
    """All relevant inputs judged in one compiled function agree with the trees, input by input."""
    analysis = Analysis(ruleset)
    count = len(analysis.compared)
    truths = data.draw(st.lists(st.booleans(), min_size=count, max_size=count))
    positions = range(len(ruleset.rules))
    applying = sorted(data.draw(st.sets(st.sampled_from(positions)))) if positions else []
    expected = [
        name
        for name in analysis.relevant
        if not _settled_by_hand(analysis, name, verdict, applying, truths)
    ]
    assert analysis.unsettled(truths, applying, verdict) == expected
