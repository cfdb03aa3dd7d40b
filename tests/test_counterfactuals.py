"""Counterfactuals: the smallest changes of a task's facts that change its verdict."""

from __future__ import annotations

import json
import math
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outsourcing_rules import (
    Decision,
    Enjoyment,
    FactError,
    Owner,
    Skill,
    Task,
    Verdict,
    decide,
    default_ruleset,
    load_ruleset,
)
from outsourcing_rules.explain.counterfactuals import Counterfactual, SearchOptions, counterfactuals
from outsourcing_rules.explain.search import GRID, INPUTS, Scenario, relevant_inputs
from outsourcing_rules.testing import owners, rulesets, tasks

SALLY = Owner(name="Sally", hourly_rate=250, core_competencies={"consulting"})
FLIGHTS = Task(name="Book flights", times_per_year=3, enjoyment="dislike", skill="competent")
INVOICING = Task(
    name="Client invoicing",
    category="invoicing",
    times_per_year=52,
    hours_each=4,
    skill="competent",
    enjoyment="neutral",
    provider_hourly_rate=37.5,
)


def _by_fact(found: tuple[Counterfactual, ...]) -> dict[tuple[str, ...], Counterfactual]:
    return {tuple(c.changes): c for c in found}


def test_flights_would_be_outsourced_at_twelve_a_year(engine: str) -> None:
    """The domain's example: flights 3 times a year stay; at 12 a year they go (annoyance)."""
    found = _by_fact(decide(FLIGHTS, engine=engine).counterfactuals())
    frequent = found[("times_per_year",)]
    assert dict(frequent.changes) == {"times_per_year": 12}
    assert (frequent.verdict, frequent.rule_id) == (Verdict.OUTSOURCE, "annoyance")
    assert frequent.describe() == "would be outsourced if it came up 12 or more times a year"
    assert frequent.previous == {"times_per_year": 3}


def test_flights_every_single_change(engine: str) -> None:
    """Every single fact that moves the flights' verdict, with the nearest value that does."""
    found = decide(FLIGHTS, engine=engine).counterfactuals()
    assert [(dict(c.changes), c.verdict.value) for c in found] == [
        ({"skill": Skill.BASIC}, "outsource"),
        ({"times_per_year": 12}, "outsource"),
        ({"one_off": True}, "outsource"),
        ({"hours_each": 8.0}, "outsource"),
        ({"time_available": False}, "outsource"),
        ({"can_be_eliminated": True}, "eliminate"),
    ]
    assert found[0].describe() == "would be outsourced if the owner's skill were none or basic"
    assert found[2].describe() == "would be outsourced if it were a one-off project"


def test_thresholds_of_a_derived_fact_come_from_its_inputs(engine: str) -> None:
    """Sally ($250/h) keeps invoicing once a provider costs more than her hour, $250.01.

    Below that, at 4 hours a week, the heavy time sink still sends it out
    when the price no longer does; her own rate must fall under the provider's.
    """
    found = _by_fact(decide(INVOICING, SALLY, engine=engine).counterfactuals())
    provider = found[("provider_hourly_rate",)]
    assert dict(provider.changes) == {"provider_hourly_rate": 250.01}
    assert (provider.verdict, provider.rule_id) == (Verdict.KEEP, None)
    assert provider.describe() == "would be kept if a provider charged $250.01 an hour or more"
    owner = found[("owner_hourly_rate",)]
    assert dict(owner.changes) == {"owner_hourly_rate": 37.49}
    assert owner.describe() == "would be kept if the owner's hour were worth $37.49 or less"
    assert dict(found[("times_per_year",)].changes) == {"times_per_year": 5}


def test_an_unknown_fact_gets_the_value_that_decides(engine: str) -> None:
    """With no provider rate, the counterfactual names the rate at which it would go."""
    task = Task(name="CRM", category="crm", skill="competent", enjoyment="neutral")
    found = _by_fact(decide(task, SALLY, engine=engine).counterfactuals())
    rate = found[("provider_hourly_rate",)]
    assert dict(rate.changes) == {"provider_hourly_rate": 125}
    assert rate.previous == {"provider_hourly_rate": None}
    assert rate.describe() == "would be outsourced if a provider charged $125 an hour or less"
    assert found[("time_available",)].describe() == (
        "would be outsourced if the owner had no time for it"
    )


def test_triples_when_no_pair_is_enough(engine: str) -> None:
    """A rule on three facts needs all three: nothing with max_changes=2, one triple with 3.

    Each number in the triple is as near its current value as it can be.
    """
    ruleset = load_ruleset("""
ruleset: both
default: {verdict: keep, because: Keep.}
rules:
  - id: busy-and-bored
    priority: 1
    when: {all: [{time_available: false}, {enjoyment: {le: neutral}}, {hours_each: {ge: 2}}]}
    then: outsource
    because: Busy and bored.
""")
    task = Task(name="t", time_available=True, enjoyment="like", hours_each=1)
    decision = decide(task, ruleset=ruleset, engine=engine)
    assert decision.counterfactuals() == ()
    triples = decision.counterfactuals(max_changes=3)
    assert [dict(c.changes) for c in triples] == [
        {"time_available": False, "enjoyment": Enjoyment.NEUTRAL, "hours_each": 2}
    ]
    assert triples[0].describe() == (
        "would be outsourced if the owner hated, disliked or felt neutral about it, "
        "it took 2 hours or more each time and the owner had no time for it"
    )


def test_pairs_are_found_and_are_minimal(engine: str) -> None:
    """Two facts that only together make a rule apply come back as a pair, nearest values."""
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
    found = decide(task, ruleset=ruleset, engine=engine).counterfactuals()
    assert [dict(c.changes) for c in found] == [
        {"times_per_year": 50, "repetitive": True},
        {"hours_each": 10, "repetitive": True},
    ]
    assert found[0].describe() == (
        "would be outsourced if it came up 50 or more times a year and it were repetitive"
    )
    assert all(c.cost == 2 and len(c.changes) == 2 for c in found)


WORDS = """
ruleset: words
default: {verdict: keep, because: Keep.}
rules:
  - {id: sales, priority: 9, when: {category: {in: [sales]}}, then: eliminate, because: Sales.}
  - {id: vip, priority: 8, when: {tags: {in: [vip]}}, then: eliminate, because: VIP.}
  - {id: internal, priority: 7, when: {tags: {not_in: [client]}}, then: keep, because: Ours.}
  - id: middling
    priority: 6
    when: {all: [{times_per_year: {ge: 10}}, {times_per_year: {lt: 20}}]}
    then: outsource
    because: Middling.
  - {id: priced, priority: 5, when: {provider_hourly_rate: {ge: 0}}, then: outsource,
     because: Any price will do.}
  - {id: long, priority: 4, when: {hours_each: {ge: 1.5}}, then: outsource, because: Long.}
"""


def test_every_kind_of_fact_is_said_in_words() -> None:
    """Text, labels, a bounded range, an any-value fact and hours each read naturally."""
    task = Task(name="t", category="admin", tags={"client"}, times_per_year=5, hours_each=1)
    found = {
        tuple(c.changes): c.describe()
        for c in decide(task, ruleset=load_ruleset(WORDS)).counterfactuals(max_changes=1)
    }
    assert found == {
        ("category",): "would be eliminated if its category were sales",
        ("times_per_year",): "would be outsourced if it came up between 10 and 19 times a year",
        ("hours_each",): "would be outsourced if it took 1.5 hours or more each time",
        ("provider_hourly_rate",): (
            "would be outsourced if provider_hourly_rate were known (any value would do)"
        ),
        ("tags",): "would be eliminated if it were tagged vip",
    }


def test_removing_a_label_is_said_too() -> None:
    """Taking a label away reads as "not tagged"."""
    task = Task(name="t", tags={"client"}, times_per_year=15)
    found = decide(task, ruleset=load_ruleset(WORDS)).counterfactuals()
    assert {c.describe() for c in found if "tags" in c.changes} == {
        "would be eliminated if it were tagged vip",
        "would be kept if it were not tagged client",
    }


def test_fixed_facts_and_costs_are_respected(engine: str) -> None:
    """Fixed facts never change; an infinite cost is fixed; costs order the results."""
    decision = decide(FLIGHTS, engine=engine)
    fixed = decision.counterfactuals(fixed=("times_per_year", "skill"))
    assert all(set(c.changes).isdisjoint({"times_per_year", "skill"}) for c in fixed)
    assert [tuple(c.changes) for c in fixed] == [
        ("one_off",),
        ("hours_each",),
        ("time_available",),
        ("can_be_eliminated",),
    ]
    priced = decision.counterfactuals(costs={"skill": 5, "one_off": math.inf})
    assert [tuple(c.changes) for c in priced] == [
        ("times_per_year",),
        ("hours_each",),
        ("time_available",),
        ("can_be_eliminated",),
        ("skill",),
    ]
    assert [c.cost for c in priced] == [1, 1, 1, 1, 5]


def test_single_facts_come_before_pairs() -> None:
    """With equal costs, every single-fact change is listed before any pair."""
    task = Task(name="t", repetitive=False, times_per_year=10, hours_each=2, enjoyment="like")
    ruleset = load_ruleset("""
ruleset: mixed
default: {verdict: keep, because: Keep.}
rules:
  - {id: dull, priority: 2, when: {enjoyment: {le: dislike}}, then: outsource, because: Dull.}
  - id: big
    priority: 1
    when: {all: [{repetitive: true}, {hours_per_year: {ge: 100}}]}
    then: outsource
    because: Big.
""")
    sizes = [len(c.changes) for c in decide(task, ruleset=ruleset).counterfactuals()]
    assert sizes == sorted(sizes)
    assert sizes[0] == 1
    assert sizes[-1] == 2


def test_bad_options_are_refused() -> None:
    """Unknown fact names (with a did-you-mean), bad costs and sizes are errors."""
    decision = decide(FLIGHTS)
    with pytest.raises(FactError, match="times_per_yer") as caught:
        decision.counterfactuals(fixed=("times_per_yer",))
    assert caught.value.suggestion == "times_per_year"
    with pytest.raises(FactError, match="hours_per_year"):
        decision.counterfactuals(fixed=("hours_per_year",))  # derived: change its inputs
    with pytest.raises(ValueError, match="cost of skill"):
        decision.counterfactuals(costs={"skill": -1})
    with pytest.raises(ValueError, match="max_changes"):
        decision.counterfactuals(max_changes=0)
    with pytest.raises(ValueError, match="max_changes"):
        decision.counterfactuals(max_changes=4)


def test_a_single_name_may_be_given_as_fixed() -> None:
    """fixed="skill" is read as one fact name, not as five letters."""
    found = decide(FLIGHTS).counterfactuals(fixed="skill")
    assert all("skill" not in c.changes for c in found)


def test_results_are_cached_per_options() -> None:
    """The same options give the very same tuple; other options search again."""
    decision = decide(FLIGHTS)
    assert decision.counterfactuals() is decision.counterfactuals(fixed=())
    assert decision.counterfactuals(fixed=("skill",)) is not decision.counterfactuals()


def test_to_dict_is_json() -> None:
    """A counterfactual's data is JSON with plain values and the description."""
    found = decide(FLIGHTS).counterfactuals()
    data = [c.to_dict() for c in found]
    json.dumps(data)
    assert data[0]["changes"] == {"skill": "basic"}
    assert data[0]["previous"] == {"skill": "competent"}
    assert data[1]["description"] == "would be outsourced if it came up 12 or more times a year"
    assert data[1]["rule"] == "annoyance"


def test_module_function_matches_the_method() -> None:
    """counterfactuals(decision) and decision.counterfactuals() agree."""
    decision = decide(INVOICING, SALLY)
    assert counterfactuals(decision, max_changes=1) == decision.counterfactuals(max_changes=1)


def test_a_one_off_forgets_its_frequency() -> None:
    """Applying "it were a one-off project" clears times_per_year, which a one-off cannot have."""
    change = _by_fact(decide(FLIGHTS).counterfactuals())[("one_off",)]
    task, owner = change.apply(FLIGHTS)
    assert (task.one_off, task.times_per_year, owner) == (True, None, None)


def test_changing_the_rate_of_a_missing_owner_makes_one() -> None:
    """With no owner, a change of the owner's rate creates an owner with that rate."""
    task = Task(name="t", provider_hourly_rate=30)
    found = _by_fact(decide(task).counterfactuals())
    rate = found[("owner_hourly_rate",)]
    assert dict(rate.changes) == {"owner_hourly_rate": 60}
    _, owner = rate.apply(task)
    assert owner == Owner(hourly_rate=60)


def test_core_work_by_category_has_no_task_level_counterfactual() -> None:
    """A task core by the owner's competencies stays core whatever its own facts say."""
    task = Task(name="Edit videos", category="video-editing", skill="expert", enjoyment="love")
    editor = Owner(hourly_rate=90, core_competencies={"video-editing"})
    assert decide(task, editor).counterfactuals() == ()


def test_search_options_are_hashable_cache_keys() -> None:
    """Options built from equal arguments are equal and hash alike."""
    one = SearchOptions.of(["skill"], {"skill": 2})
    two = SearchOptions.of(("skill",), {"skill": 2.0})
    assert one == two
    assert hash(one) == hash(two)


# --- properties ------------------------------------------------------------------------

_SETTINGS = settings(
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    deadline=None,
)


def _grid_values_between(name: str, start: Any, end: Any) -> list[Any]:
    """Grid values strictly between *start* and *end* (a sample for wide ranges)."""
    low, high = sorted((start, end))
    kind = INPUTS[name].kind
    if kind.levels is not None:
        return [level for level in kind.levels if low < level < high]
    scale = GRID[name][0]
    first, last = math.floor(low * scale) + 1, math.ceil(high * scale) - 1
    indices = (
        range(first, last + 1)
        if last - first < 200
        else [*range(first, first + 100), *range(last - 99, last + 1)]
    )
    values = [i if scale == 1 else i / scale for i in indices]
    return [v for v in values if low < v < high]


def _check(decision: Decision, engine: str) -> None:
    """Every counterfactual gives its verdict, and nothing smaller changes the verdict."""
    scenario = Scenario(decision.task, decision.owner, decision.ruleset)
    for change in decision.counterfactuals():
        task, owner = change.apply(decision.task, decision.owner)
        again = decide(task, owner, ruleset=decision.ruleset, engine=engine)
        assert again.verdict is change.verdict
        assert again.rule_id == change.rule_id
        assert change.verdict is not decision.verdict
        assert change.describe().startswith("would be ")
        items = list(change.changes.items())
        if len(items) > 1:  # no part of a pair changes the verdict on its own
            for item in items:
                alone = scenario.outcome(dict([item]))
                assert alone is None or alone[0] is decision.verdict, (change, item)
            continue
        ((name, value),) = items
        current = change.previous[name]
        if current is None or (INPUTS[name].kind.levels is None and name not in GRID):
            continue
        for closer in _grid_values_between(name, current, value):
            result = scenario.outcome({name: closer})
            assert result is None or result[0] is decision.verdict, (change, closer)


@_SETTINGS
@given(tasks(), owners())
def test_property_default_ruleset(task: Task, owner: Owner) -> None:
    """Under the default ruleset, every counterfactual is real and minimal."""
    _check(decide(task, owner, engine="native"), "native")


@_SETTINGS
@given(rulesets(max_rules=5), tasks(), owners())
def test_property_any_ruleset(ruleset: Any, task: Task, owner: Owner) -> None:
    """Under any ruleset, every counterfactual is real and minimal."""
    _check(decide(task, owner, ruleset=ruleset, engine="native"), "native")


@_SETTINGS
@given(st.just(default_ruleset()) | rulesets(max_rules=5), tasks(), owners(), st.data())
def test_property_nothing_nearer_is_missed(
    ruleset: Any, task: Task, owner: Owner, data: st.DataObject
) -> None:
    """If some value of one fact changes the verdict, a counterfactual on that fact is listed.

    It lies on the same side of the current value, and at least as near.
    """
    decision = decide(task, owner, ruleset=ruleset, engine="native")
    scenario = Scenario(task, owner, decision.ruleset)
    relevant = relevant_inputs(decision.ruleset)
    if not relevant:
        return
    name = data.draw(st.sampled_from(relevant))
    current = scenario.current(name)
    kind = INPUTS[name].kind
    if kind.levels is not None:
        value: Any = data.draw(st.sampled_from(list(kind.levels)))
    elif name in GRID:
        scale, low, high = GRID[name]
        index = data.draw(st.integers(math.ceil(low * scale), min(10**6, int(high * scale))))
        value = index if scale == 1 else index / scale
    elif kind.name == "BOOL":
        value = data.draw(st.booleans())
    else:
        return
    result = scenario.outcome({name: value})
    if value == current or result is None or result[0] is decision.verdict:
        return
    found = [c.changes[name] for c in decision.counterfactuals(max_changes=1) if name in c.changes]
    assert found, (name, value)
    if current is None or isinstance(value, bool):
        return
    assert any(
        (v - current) * (value - current) > 0 and abs(v - current) <= abs(value - current)
        for v in found
    ), (name, value, found)


@_SETTINGS
@given(tasks(), owners(), st.sets(st.sampled_from(sorted(INPUTS)), max_size=4))
def test_property_fixed_facts_never_change(task: Task, owner: Owner, fixed: set[str]) -> None:
    """No counterfactual changes a fact the caller fixed."""
    for change in decide(task, owner, engine="native").counterfactuals(fixed=fixed):
        assert fixed.isdisjoint(change.changes)


def test_relevant_inputs_of_the_default_ruleset() -> None:
    """The default ruleset's rules depend on these task facts and the owner's rate."""
    assert relevant_inputs(default_ruleset()) == (
        "core_competency",
        "only_owner",
        "skill",
        "enjoyment",
        "times_per_year",
        "one_off",
        "hours_each",
        "time_available",
        "repetitive",
        "can_be_eliminated",
        "revenue_generating",
        "provider_hourly_rate",
        "owner_hourly_rate",
    )


def test_counterfactual_is_frozen() -> None:
    """Counterfactuals cannot be changed, nor can their changes."""
    change = decide(FLIGHTS).counterfactuals()[0]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        change.verdict = Verdict.KEEP  # type: ignore[misc]
    with pytest.raises(TypeError):
        change.changes["skill"] = Skill.NONE  # type: ignore[index]
