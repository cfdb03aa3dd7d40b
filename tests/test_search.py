"""The what-if search: inputs, grids, regions of constant verdict, crossings, proposals."""

from __future__ import annotations

import itertools
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outsourcing_rules import FactError, Owner, Skill, Task, Verdict, load_ruleset
from outsourcing_rules.core.vocabulary import FACTS, Kind
from outsourcing_rules.explain._grid import GRID, GRIDS, Grid, crossing, number_crossing, runs
from outsourcing_rules.explain._inputs import INPUTS, apply_changes, inputs_behind, ordered
from outsourcing_rules.explain._sweep import KNOWN_ONLY
from outsourcing_rules.explain.search import Scenario
from outsourcing_rules.testing import owners, rulesets, tasks

FLIGHTS = Task(name="Book flights", times_per_year=3, enjoyment="dislike", skill="competent")

#: The default ruleset's first version, in small: these tests pin the search, not its rules.
RULES = load_ruleset("""
ruleset: search-test
default: {verdict: keep, because: Keep.}
rules:
  - {id: skill-gap, priority: 70, when: {skill: {le: basic}}, then: outsource, because: Weak.}
  - id: low-frequency
    priority: 60
    when: {all: [{recurring: true}, {times_per_year: {lt: 12}}]}
    then: keep
    because: Rare.
  - {id: annoyance, priority: 50, when: {enjoyment: {le: dislike}}, then: outsource,
     because: Disliked.}
  - {id: opportunity-cost, priority: 40, when: {rate_ratio: {ge: 2}}, then: outsource,
     because: Dear.}
""")


def test_inputs_are_task_facts_and_the_owner_rate() -> None:
    """Counterfactuals change task facts and the owner's rate; derived facts are not inputs."""
    assert "owner_hourly_rate" in INPUTS
    assert INPUTS["owner_hourly_rate"].owner
    assert INPUTS["core_competency"].key == "stated_core_competency"
    for derived in ("hours_per_year", "rate_ratio", "recurring", "saving_per_year"):
        assert derived not in INPUTS
    assert all(not spec.owner for name, spec in INPUTS.items() if name != "owner_hourly_rate")


def test_every_numeric_input_has_a_grid() -> None:
    """Each number a counterfactual may change is searched on a declared grid."""
    numeric = {name for name, spec in INPUTS.items() if spec.kind is Kind.NUMBER}
    assert numeric == set(GRID)


def test_regions_of_the_flights_frequency() -> None:
    """Flights: kept by low-frequency below 12 a year, outsourced for annoyance from 12."""
    scenario = Scenario(FLIGHTS, None, RULES)
    regions = runs(scenario.regions("times_per_year", {}))
    assert [(r.low, r.high, r.verdict, r.rule_id) for r in regions] == [
        (0, 11, Verdict.KEEP, "low-frequency"),
        (12, 1_000_000, Verdict.OUTSOURCE, "annoyance"),
    ]
    assert scenario.flips("times_per_year", {}, Verdict.KEEP) == [12]
    assert scenario.span("times_per_year", {"times_per_year": 12}) == (12, 1_000_000, False, True)


def test_regions_of_a_level() -> None:
    """Levels are tried one by one; neighbours with the same outcome are merged."""
    scenario = Scenario(FLIGHTS, None, RULES)
    regions = runs(scenario.regions("skill", {}))
    assert [(r.low, r.high, r.rule_id) for r in regions] == [
        (0, 1, "skill-gap"),
        (2, 3, "low-frequency"),
    ]
    assert scenario.flips("skill", {}, Verdict.KEEP) == [Skill.BASIC]


def test_a_derived_threshold_is_found_on_the_grid() -> None:
    """rate_ratio >= 2 with an owner at $100/h: the provider rate flips at $50.00/$50.01."""
    owner = Owner(hourly_rate=100)
    scenario = Scenario(Task(name="t", provider_hourly_rate=80), owner, RULES)
    assert scenario.flips("provider_hourly_rate", {}, Verdict.KEEP) == [50]
    cheap = Scenario(Task(name="t", provider_hourly_rate=20), owner, RULES)
    assert cheap.flips("provider_hourly_rate", {}, Verdict.OUTSOURCE) == [50.01]


def test_values_are_tried_only_where_valid() -> None:
    """A one-off task cannot take a frequency other than 1, so no such value is offered."""
    one_off = Task(name="t", one_off=True, enjoyment="hate")
    scenario = Scenario(one_off, None, RULES)
    assert scenario.outcome({"times_per_year": 5}) is None
    assert scenario.outcome({"one_off": False, "times_per_year": 5}) == (
        Verdict.KEEP,
        "low-frequency",
    )


def test_apply_changes() -> None:
    """Changes make new objects; a one-off forgets its frequency; an owner is made if needed."""
    task, owner = apply_changes(FLIGHTS, None, {"one_off": True, "owner_hourly_rate": 40})
    assert (task.one_off, task.times_per_year) == (True, None)
    assert owner == Owner(hourly_rate=40)
    assert FLIGHTS.times_per_year == 3
    sally = Owner(name="Sally", hourly_rate=250)
    _, richer = apply_changes(FLIGHTS, sally, {"owner_hourly_rate": 300})
    assert richer == Owner(name="Sally", hourly_rate=300)
    with pytest.raises(FactError):
        apply_changes(Task(name="t", one_off=True), None, {"times_per_year": 3})


def test_inputs_behind_a_derived_fact() -> None:
    """rate_ratio comes from the two rates; core_competency from three facts."""
    assert set(inputs_behind("rate_ratio").values()) == {
        "provider_hourly_rate",
        "owner_hourly_rate",
    }
    assert set(inputs_behind("core_competency").values()) == {
        "core_competency",
        "category",
        "core_competencies",
    }
    assert inputs_behind("skill") == {"skill": "skill"}


def test_ordered_puts_numbers_last() -> None:
    """Facts searched last in a combination are the ordered ones, numbers at the very end."""
    assert ordered(["times_per_year", "skill", "repetitive"]) == [
        "repetitive",
        "skill",
        "times_per_year",
    ]


def test_in_lists_on_a_number_cut_at_each_value() -> None:
    """A rule with ``in`` on a number applies at exactly the listed values."""
    ruleset = load_ruleset("""
ruleset: exact
default: {verdict: keep, because: Keep.}
rules:
  - {id: odd, priority: 1, when: {times_per_year: {in: [4, 6]}}, then: outsource, because: Odd.}
""")
    scenario = Scenario(Task(name="t", times_per_year=5), None, ruleset)
    assert sorted(scenario.flips("times_per_year", {}, Verdict.KEEP)) == [4, 6]


_NUMERIC_DERIVED = [
    name for name, spec in FACTS.items() if spec.compute is not None and spec.kind is Kind.NUMBER
]


@given(
    tasks(),
    owners(),
    st.sampled_from(_NUMERIC_DERIVED),
    st.data(),
)
def test_derived_numbers_are_monotone_in_each_input(
    task: Task, owner: Owner, fact: str, data: st.DataObject
) -> None:
    """Each derived number only rises, or only falls, as one numeric input rises.

    The search for thresholds by bisection relies on it.
    """
    numeric = [
        name
        for key, name in inputs_behind(fact).items()
        if name in INPUTS and INPUTS[name].kind is Kind.NUMBER
    ]
    if not numeric:
        return
    name = data.draw(st.sampled_from(numeric))
    _, low, high = GRID[name]
    points = sorted(data.draw(st.lists(st.floats(low, high), min_size=3, max_size=3)))
    if name == "times_per_year" and task.one_off:
        return
    scenario = Scenario(task, owner, RULES)
    values: list[Any] = [scenario.fact({name: point}, fact) for point in points]
    if None in values:
        return
    rises = [b - a for a, b in itertools.pairwise(values)]
    assert not rises[0] > 0 > rises[1], (name, points, values)
    assert not rises[0] < 0 < rises[1], (name, points, values)
    assert all(math.isfinite(v) for v in values)


def _shaped(shape: str, index: int) -> float:
    """Return the value at *index* of a number that rises, falls, or falls as one over it."""
    if shape == "linear":
        return 3.5 * index - 1000
    if shape == "reciprocal":
        return 1e6 / (index + 1)
    if shape == "exact reciprocal":
        return 1e6 / index
    return 250 - index / 100


@given(
    st.integers(0, 10**6),
    st.integers(1, 10**6),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.sampled_from(["linear", "reciprocal", "falling"]),
    st.booleans(),
)
def test_crossing_finds_the_first_index_a_scan_would(
    low: int, width: int, target: float, shape: str, strict: bool
) -> None:
    """Interpolation and bisection land where a plain scan finds the truth change, or nowhere."""
    high = low + width

    def value_at(index: int) -> float:
        return _shaped(shape, index)

    def truth(value: Any) -> bool:
        return bool(value > target if strict else value >= target)

    found = crossing(value_at, low, high, truth, target)
    start = truth(value_at(low))
    if truth(value_at(high)) == start:
        assert found is None
        return
    assert found is not None
    assert low < found <= high
    assert truth(value_at(found)) != start
    assert truth(value_at(found - 1)) == start


@given(
    st.integers(1, 10**6),
    st.integers(1, 10**6),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.sampled_from(["linear", "reciprocal", "exact reciprocal", "falling"]),
    st.booleans(),
)
def test_the_number_crossing_lands_where_the_general_one_does(
    low: int, width: int, target: float, shape: str, strict: bool
) -> None:
    """The crossing written out for a threshold finds what :func:`crossing` finds.

    A value exactly inversely proportional to the index is interpolated as
    such from the first step; the answer must not depend on it.
    """
    high = low + width

    def value_at(index: int) -> float:
        return _shaped(shape, index)

    def truth(value: Any) -> bool:
        return bool(value > target if strict else value >= target)

    expected = crossing(value_at, low, high, truth, target)
    if expected is None:
        return
    first, last = value_at(low), value_at(high)
    assert number_crossing(value_at, low, high, target, strict, first, last) == expected


@given(tasks(), st.one_of(st.none(), owners()), st.data())
def test_facts_telling_only_what_is_known_keep_one_value_along_a_grid(
    task: Task, owner: Owner | None, data: st.DataObject
) -> None:
    """Along the grid of a number or level, every value known, these facts do not change.

    The search takes them as never crossing a threshold there, without reading them.
    """
    fact = data.draw(st.sampled_from(sorted(KNOWN_ONLY)))
    behind = [n for n in inputs_behind(fact).values() if GRIDS.get(n) is not None]
    if not behind:
        return
    name = data.draw(st.sampled_from(behind))
    grid = GRIDS[name]
    assert grid is not None
    scenario = Scenario(task, owner, RULES)
    along = scenario.along(fact, name, {})
    rig = scenario._rig(name, {}, ())  # the copy of the facts it reads
    if rig.values is None or rig.once:
        return  # not every value makes a valid task: read as usual
    indices = data.draw(st.lists(st.integers(grid.low, grid.high), min_size=1, max_size=4))
    values = {along(index) for index in [grid.low, grid.high, *indices]}
    assert len(values) == 1, (fact, name, values)


def test_a_grid_of_levels_and_of_cents() -> None:
    """Level grids hold the levels; money grids hold cents, searched past a threshold."""
    levels = Grid(0, 3, 1, Skill)
    assert [levels.value(i) for i in range(4)] == list(Skill)
    cents = Grid(1, 10**11, 100)
    assert cents.value(cents.first_at_least(50, strict=True)) == 50.01
    assert cents.value(cents.first_at_least(50, strict=False)) == 50


def test_the_light_copy_reads_as_the_task_does() -> None:
    """A fact read from the search's light copy equals the vocabulary's value for the task."""
    from outsourcing_rules.core.vocabulary import fact_values

    task = Task(name="t", times_per_year=10, hours_each=2, provider_hourly_rate=40)
    owner = Owner(hourly_rate=100)
    scenario = Scenario(task, owner, RULES)
    values = fact_values(task, owner)
    for fact in ("hours_per_year", "rate_ratio", "saving_per_year", "recurring"):
        assert scenario.fact({}, fact) == values[fact]
    changed, _ = apply_changes(task, owner, {"hours_each": 3})
    assert (
        scenario.fact({"hours_each": 3}, "hours_per_year")
        == fact_values(changed, owner)["hours_per_year"]
    )


def test_proposals_come_from_the_rules() -> None:
    """To outsource a kept task by a two-fact rule, the proposal changes exactly those facts."""
    ruleset = load_ruleset("""
ruleset: pair
default: {verdict: keep, because: Keep.}
rules:
  - id: big-and-dull
    priority: 1
    when: {all: [{repetitive: true}, {hours_per_year: {ge: 100}}]}
    then: outsource
    because: Big and dull.
""")
    task = Task(name="t", repetitive=False, times_per_year=10, hours_each=2)
    scenario = Scenario(task, None, ruleset)
    names = ["repetitive", "times_per_year", "hours_each", "one_off"]
    found = [changes for _, changes in scenario.proposals(Verdict.KEEP, names, 2)]
    assert {"repetitive": True, "times_per_year": 50} in found
    assert {"repetitive": True, "hours_each": 10} in found
    assert all(len(changes) == 2 for changes in found)
    assert list(scenario.proposals(Verdict.KEEP, ["repetitive"], 2)) == []


@given(rulesets(max_rules=6), tasks(), st.none() | owners())
def test_the_first_rule_matcher_agrees_with_the_native_engine(
    ruleset: Any, task: Task, owner: Owner | None
) -> None:
    """The search's matcher stops at the rule the native engine lists first (-1: none)."""
    from outsourcing_rules.engines import matcher_for
    from outsourcing_rules.explain._first import first_matcher, first_source

    positions = matcher_for(ruleset, "native")(task, owner)
    assert first_matcher(ruleset)(task, owner) == (positions[0] if positions else -1)
    source, _ = first_source(ruleset)
    assert "m.append" not in source
    assert source.count("return ") == len(ruleset.rules) + 1


@given(rulesets(max_rules=6), tasks(), st.none() | owners())
def test_the_truth_reader_agrees_with_each_comparison(
    ruleset: Any, task: Task, owner: Owner | None
) -> None:
    """Compiled, each comparison (and its negation) holds exactly when its own test is true."""
    from outsourcing_rules.core.vocabulary import fact_values
    from outsourcing_rules.explain._terms import analysis_of

    analysis = analysis_of(ruleset)
    values = fact_values(task, owner)
    expected = [atom.test(values[atom.fact]) is True for atom in analysis.compared]
    assert analysis.truths(task, owner) == expected
