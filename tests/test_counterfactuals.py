"""Counterfactuals: the smallest changes of a task's facts that change its verdict.

Most tests use small rulesets written here, so they pin the search and the
wording rather than the default ruleset's current list of rules.
"""

from __future__ import annotations

import json
import math
import re
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
from outsourcing_rules.core.vocabulary import OPERATORS
from outsourcing_rules.engines import available_engines
from outsourcing_rules.explain._grid import GRID
from outsourcing_rules.explain._inputs import INPUTS
from outsourcing_rules.explain.counterfactuals import (
    Counterfactual,
    SearchOptions,
    counterfactuals,
    search,
)
from outsourcing_rules.explain.search import Scenario, relevant_inputs
from outsourcing_rules.testing import owners, rulesets, tasks

from _examples import COMPETENT_INVOICING as INVOICING
from _examples import FLIGHTS, SALLY

#: A small ruleset in the shape of the default one: keep, drop, then reasons to hand off.
RULES = load_ruleset("""
ruleset: advice-test
parameters: {rare_below: 12, dear_ratio: 2}
default: {verdict: keep, because: Nothing argues either way.}
rules:
  - {id: core, priority: 100, when: {core_competency: true}, then: keep, because: Core.}
  - {id: drop, priority: 85, when: {can_be_eliminated: true}, then: eliminate, because: Drop.}
  - {id: weak, priority: 70, when: {skill: {le: basic}}, then: outsource, because: Weak.}
  - id: rare
    priority: 60
    when: {all: [{recurring: true}, {times_per_year: {lt: $rare_below}}]}
    then: keep
    because: Rare.
  - id: disliked
    priority: 50
    when: {enjoyment: {le: dislike}}
    then: outsource
    because: Disliked.
  - {id: busy, priority: 45, when: {time_available: false}, then: outsource, because: Busy.}
  - id: dear
    priority: 40
    when: {rate_ratio: {ge: $dear_ratio}}
    then: outsource
    because: Dear.
""")


def _by_fact(found: tuple[Counterfactual, ...]) -> dict[tuple[str, ...], Counterfactual]:
    return {tuple(c.changes): c for c in found}


def test_flights_would_be_outsourced_at_twelve_a_year(engine: str) -> None:
    """The domain's example: flights 3 times a year stay; at 12 a year they go (disliked)."""
    found = _by_fact(decide(FLIGHTS, ruleset=RULES, engine=engine).counterfactuals())
    frequent = found[("times_per_year",)]
    assert dict(frequent.changes) == {"times_per_year": 12}
    assert (frequent.verdict, frequent.rule_id) == (Verdict.OUTSOURCE, "disliked")
    assert frequent.describe() == "would be outsourced if it came up 12 or more times a year"
    assert frequent.advice() == (
        "If it came up 12 or more times a year, it would be worth handing off."
    )
    assert frequent.previous == {"times_per_year": 3}


def test_flights_every_single_change(engine: str) -> None:
    """Every single fact that moves the flights' verdict, with the nearest value that does."""
    found = decide(FLIGHTS, ruleset=RULES, engine=engine).counterfactuals()
    assert [(dict(c.changes), c.verdict.value) for c in found] == [
        ({"skill": Skill.BASIC}, "outsource"),
        ({"times_per_year": 12}, "outsource"),
        ({"one_off": True}, "outsource"),
    ]
    assert found[0].describe() == "would be outsourced if the owner's skill were none or basic"
    assert found[0].advice() == "If you were not good at it, it would be worth handing off."
    assert found[2].advice() == "If it were a one-off project, it would be worth handing off."


def test_the_self_evident_is_left_out(engine: str) -> None:
    """A change that restates a rule ("dropped if it could be dropped") is left out.

    Known or not, the fact is not named in the owner's list.

    The account of unknown facts still names the fact: there, that it
    matters is the news.
    """
    for task in (FLIGHTS, attrs.evolve(FLIGHTS, can_be_eliminated=False)):
        decision = decide(task, ruleset=RULES, engine=engine)
        found = decision.counterfactuals()
        assert all("can_be_eliminated" not in c.changes for c in found)
        assert all("dropped" not in c.describe() for c in found)
        assert all("drop it" not in c.advice() for c in found)
    unknown = decide(FLIGHTS, ruleset=RULES, engine=engine).unknowns()
    assert "can_be_eliminated" in [u.fact for u in unknown]
    kept = search(decide(FLIGHTS, ruleset=RULES), SearchOptions.of(obvious=True))
    assert {"can_be_eliminated": True} in [dict(c.changes) for c in kept]


def test_a_two_fact_rule_is_not_self_evident() -> None:
    """Only a rule that is the changed fact alone is restated; a fact in a bigger rule is news."""
    ruleset = load_ruleset("""
ruleset: busy-and-dull
default: {verdict: keep, because: Keep.}
rules:
  - id: busy-and-dull
    priority: 1
    when: {all: [{time_available: false}, {repetitive: true}]}
    then: outsource
    because: Busy and dull.
""")
    task = Task(name="t", time_available=False, repetitive=False)
    found = decide(task, ruleset=ruleset).counterfactuals()
    assert [dict(c.changes) for c in found] == [{"repetitive": True}]


def test_thresholds_of_a_derived_fact_come_from_its_inputs(engine: str) -> None:
    """rate_ratio >= 2 for Sally ($250/h) flips at a provider rate of $125.01, an owner's of $74.99.

    Those are the cents either side of the ratio's threshold.
    """
    found = _by_fact(decide(INVOICING, SALLY, ruleset=RULES, engine=engine).counterfactuals())
    provider = found[("provider_hourly_rate",)]
    assert dict(provider.changes) == {"provider_hourly_rate": 125.01}
    assert (provider.verdict, provider.rule_id) == (Verdict.KEEP, None)
    assert provider.describe() == "would be kept if a provider charged $125.01 an hour or more"
    assert not provider.actionable  # a dearer provider is no step to take
    assert provider.advice() == (
        "If providers charged $125.01 an hour or more, you would keep it yourself."
    )
    owner = found[("owner_hourly_rate",)]
    assert dict(owner.changes) == {"owner_hourly_rate": 74.99}
    assert owner.advice() == "If your hour were worth $74.99 or less, you would keep it yourself."
    assert dict(found[("times_per_year",)].changes) == {"times_per_year": 11}


STRICT = """
ruleset: strict
default: {verdict: keep, because: Keep.}
rules:
  - {id: few, priority: 3, when: {times_per_year: {lt: 4}}, then: keep, because: Few.}
  - {id: long, priority: 2, when: {hours_each: {gt: 5}}, then: outsource, because: Long.}
  - {id: dear, priority: 1, when: {rate_ratio: {gt: 2}}, then: outsource, because: Dear.}
"""


def test_a_strict_threshold_is_crossed_by_the_next_value_past_it(engine: str) -> None:
    """Gt 5 hours is crossed at 5.25 (the next quarter hour), lt 4 a year at 3; both offered.

    5 hours and 4 times a year themselves change nothing, so they must not be named.
    """
    ruleset = load_ruleset(STRICT)
    task = Task(name="t", times_per_year=10, hours_each=2)
    found = _by_fact(decide(task, ruleset=ruleset, engine=engine).counterfactuals())
    longer = found[("hours_each",)]
    assert dict(longer.changes) == {"hours_each": 5.25}
    assert longer.verdict is Verdict.OUTSOURCE
    assert longer.describe() == "would be outsourced if it took 5.25 hours or more each time"
    busy = decide(attrs.evolve(task, hours_each=6), ruleset=ruleset, engine=engine)
    fewer = _by_fact(busy.counterfactuals())[("times_per_year",)]
    assert dict(fewer.changes) == {"times_per_year": 3}
    assert fewer.describe() == "would be kept if it came up 3 or fewer times a year"
    assert dict(_by_fact(busy.counterfactuals())[("hours_each",)].changes) == {"hours_each": 5}


def test_a_strict_threshold_on_a_derived_fact(engine: str) -> None:
    """rate_ratio > 2 with an owner at $100/h needs a provider under $50: $49.99, not $50."""
    ruleset = load_ruleset(STRICT)
    task = Task(name="t", times_per_year=10, provider_hourly_rate=80)
    found = _by_fact(
        decide(task, Owner(hourly_rate=100), ruleset=ruleset, engine=engine).counterfactuals()
    )
    cheaper = found[("provider_hourly_rate",)]
    assert dict(cheaper.changes) == {"provider_hourly_rate": 49.99}
    assert cheaper.actionable
    assert cheaper.advice() == (
        "If you found a provider who charges $49.99 an hour or less, it would be worth handing off."
    )
    inclusive = load_ruleset(STRICT.replace("{gt: 2}", "{ge: 2}"))
    again = decide(task, Owner(hourly_rate=100), ruleset=inclusive, engine=engine)
    assert dict(_by_fact(again.counterfactuals())[("provider_hourly_rate",)].changes) == {
        "provider_hourly_rate": 50
    }


def test_an_unknown_fact_gets_the_value_that_decides(engine: str) -> None:
    """With no provider rate, the counterfactual names the rate at which it would go."""
    task = Task(name="CRM", category="crm", skill="competent", enjoyment="neutral")
    found = decide(task, SALLY, ruleset=RULES, engine=engine).counterfactuals()
    rate = found[0]
    assert dict(rate.changes) == {"provider_hourly_rate": 125}
    assert rate.previous == {"provider_hourly_rate": None}
    assert rate.actionable
    assert rate.describe() == "would be outsourced if a provider charged $125 an hour or less"


OWNED = """
ruleset: owned
default: {verdict: keep, because: Keep.}
rules:
  - {id: busy, priority: 9, when: {time_available: false}, then: outsource, because: Busy.}
  - id: written
    priority: 5
    when: {all: [{procedure_documented: true}, {repetitive: true}]}
    then: outsource
    because: A written routine.
  - {id: long, priority: 4, when: {hours_each: {ge: 10}}, then: outsource, because: Long.}
  - {id: weak, priority: 3, when: {skill: {le: basic}}, then: outsource, because: Weak.}
"""


def test_changes_the_owner_controls_come_first_said_as_steps() -> None:
    """Writing the procedure down is the owner's to do: first, as a step, even when dearer."""
    task = Task(
        name="Weekly filing",
        repetitive=True,
        procedure_documented=False,
        hours_each=2,
        skill="competent",
    )
    found = decide(task, ruleset=load_ruleset(OWNED)).counterfactuals(
        costs={"procedure_documented": 5}
    )
    assert [tuple(c.changes) for c in found] == [
        ("procedure_documented",),
        ("skill",),
        ("hours_each",),
    ]
    assert [c.actionable for c in found] == [True, False, False]
    assert found[0].advice() == "Write down how it is done, and it would be worth handing off."
    assert found[0].cost == 5


def test_making_time_is_advice_too() -> None:
    """A task handed off for want of time could be kept by making time for it."""
    task = Task(name="Update the CRM", time_available=False, hours_each=2, skill="competent")
    found = decide(task, ruleset=load_ruleset(OWNED)).counterfactuals()
    assert dict(found[0].changes) == {"time_available": True}
    assert found[0].actionable
    assert found[0].advice() == "Make time for it, and you would keep it yourself."


COSTED = """
ruleset: costed
default: {verdict: keep, because: Keep.}
rules:
  - {id: weak, priority: 2, when: {skill: {le: basic}}, then: outsource, because: Weak.}
  - id: big-and-dull
    priority: 1
    when: {all: [{repetitive: true}, {hours_per_year: {ge: 100}}]}
    then: outsource
    because: Big and dull.
"""


def test_ordered_by_cost_then_by_number_of_changes() -> None:
    """Unequal costs: the cheapest first, whatever its size; at equal cost, fewer changes first."""
    ruleset = load_ruleset(COSTED)
    task = Task(name="t", skill="competent", repetitive=False, times_per_year=10, hours_each=2)
    decision = decide(task, ruleset=ruleset)
    dear_skill = decision.counterfactuals(costs={"skill": 5, "hours_each": 0.5})
    assert [(tuple(c.changes), c.cost) for c in dear_skill] == [
        (("hours_each", "repetitive"), 1.5),
        (("times_per_year", "repetitive"), 2.0),
        (("skill",), 5.0),
    ]
    even = decision.counterfactuals(costs={"skill": 2})
    assert [(tuple(c.changes), c.cost) for c in even] == [
        (("skill",), 2.0),
        (("times_per_year", "repetitive"), 2.0),
        (("hours_each", "repetitive"), 2.0),
    ]


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
    assert triples[0].advice() == (
        "If you did not enjoy it, it took 2 hours or more each time and you had no time "
        "for it, it would be worth handing off."
    )


def test_pairs_are_found_and_are_minimal(engine: str) -> None:
    """Two facts that only together make a rule apply come back as a pair, nearest values."""
    ruleset = load_ruleset(COSTED)
    task = Task(name="t", repetitive=False, times_per_year=10, hours_each=2)
    found = decide(task, ruleset=ruleset, engine=engine).counterfactuals(fixed=["skill"])
    assert [dict(c.changes) for c in found] == [
        {"times_per_year": 50, "repetitive": True},
        {"hours_each": 10, "repetitive": True},
    ]
    assert found[0].describe() == (
        "would be outsourced if it came up 50 or more times a year and it were repetitive"
    )
    assert all(c.cost == 2 and len(c.changes) == 2 for c in found)


def test_two_numbers_behind_one_derived_fact() -> None:
    """hours_per_year >= 100 with hours each at most 1: a pair sets both, the hours first."""
    ruleset = load_ruleset("""
ruleset: short-and-many
default: {verdict: keep, because: Keep.}
rules:
  - id: many-short
    priority: 1
    when: {all: [{hours_each: {le: 1}}, {hours_per_year: {ge: 100}}]}
    then: outsource
    because: Many short ones.
""")
    task = Task(name="t", times_per_year=10, hours_each=2)
    found = decide(task, ruleset=ruleset).counterfactuals()
    assert [dict(c.changes) for c in found] == [{"times_per_year": 100, "hours_each": 1}]


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
        tuple(c.changes): (c.describe(), c.advice())
        for c in decide(task, ruleset=load_ruleset(WORDS)).counterfactuals(max_changes=1)
    }
    assert found == {
        ("category",): (
            "would be eliminated if its category were sales",
            "If it were sales work, you could drop it altogether.",
        ),
        ("times_per_year",): (
            "would be outsourced if it came up between 10 and 19 times a year",
            "If it came up between 10 and 19 times a year, it would be worth handing off.",
        ),
        ("hours_each",): (
            "would be outsourced if it took 1.5 hours or more each time",
            "If it took 1.5 hours or more each time, it would be worth handing off.",
        ),
        ("provider_hourly_rate",): (
            "would be outsourced if provider_hourly_rate were known (any value would do)",
            "If you knew what a provider charges, it would be worth handing off.",
        ),
        ("tags",): (
            "would be eliminated if it were tagged vip",
            "If it were labelled vip, you could drop it altogether.",
        ),
    }


def test_removing_a_label_is_said_too() -> None:
    """Taking a label away reads as "not tagged"."""
    task = Task(name="t", tags={"client"}, times_per_year=15)
    found = decide(task, ruleset=load_ruleset(WORDS)).counterfactuals()
    assert {c.describe() for c in found if "tags" in c.changes} == {
        "would be eliminated if it were tagged vip",
        "would be kept if it were not tagged client",
    }


def test_advice_may_use_the_owners_money() -> None:
    """A money formatter given to advice() writes the amounts; the default is dollars."""
    task = Task(name="t", times_per_year=10, provider_hourly_rate=80)
    cheaper = _by_fact(
        decide(task, Owner(hourly_rate=100), ruleset=load_ruleset(STRICT)).counterfactuals()
    )[("provider_hourly_rate",)]
    assert "£49.99" in cheaper.advice(money=lambda amount: f"£{amount:,.2f}")
    assert "$49.99" in cheaper.advice()


def test_fixed_facts_and_costs_are_respected(engine: str) -> None:
    """Fixed facts never change; an infinite cost is fixed; costs order the results."""
    decision = decide(FLIGHTS, ruleset=RULES, engine=engine)
    fixed = decision.counterfactuals(fixed=("times_per_year", "skill"))
    assert all(set(c.changes).isdisjoint({"times_per_year", "skill"}) for c in fixed)
    assert [tuple(c.changes) for c in fixed] == [("one_off",)]
    priced = decision.counterfactuals(costs={"skill": 5, "one_off": math.inf})
    assert [tuple(c.changes) for c in priced] == [("times_per_year",), ("skill",)]
    assert [c.cost for c in priced] == [1, 5]


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
    decision = decide(FLIGHTS, ruleset=RULES)
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
    found = decide(FLIGHTS, ruleset=RULES).counterfactuals(fixed="skill")
    assert found
    assert all("skill" not in c.changes for c in found)


def test_results_are_cached_per_options() -> None:
    """The same options give the very same tuple; other options search again."""
    decision = decide(FLIGHTS, ruleset=RULES)
    assert decision.counterfactuals() is decision.counterfactuals(fixed=())
    assert decision.counterfactuals(fixed=("skill",)) is not decision.counterfactuals()


def test_to_dict_is_json() -> None:
    """A counterfactual's data is JSON with plain values, the description and the advice."""
    found = decide(FLIGHTS, ruleset=RULES).counterfactuals()
    data = [c.to_dict() for c in found]
    json.dumps(data)
    assert data[0]["changes"] == {"skill": "basic"}
    assert data[0]["previous"] == {"skill": "competent"}
    assert data[0]["actionable"] is False
    assert data[1]["description"] == "would be outsourced if it came up 12 or more times a year"
    assert data[1]["advice"] == found[1].advice()
    assert data[1]["rule"] == "disliked"


def test_module_function_matches_the_method() -> None:
    """counterfactuals(decision) and decision.counterfactuals() agree."""
    decision = decide(INVOICING, SALLY, ruleset=RULES)
    assert counterfactuals(decision, max_changes=1) == decision.counterfactuals(max_changes=1)


def test_the_search_never_calls_decide(monkeypatch: pytest.MonkeyPatch) -> None:
    """Candidates are tried on the compiled matcher: deciding copies of the task is not needed."""
    import outsourcing_rules.decisions as decisions

    decision = decide(INVOICING, SALLY, ruleset=RULES)

    def refuse(*args: Any, **kwargs: Any) -> Decision:
        raise AssertionError("decide() called by the counterfactual search")

    monkeypatch.setattr(decisions, "decide", refuse)
    assert decision.counterfactuals(max_changes=3)


def test_a_one_off_forgets_its_frequency() -> None:
    """Applying "it were a one-off project" clears times_per_year, which a one-off cannot have."""
    change = _by_fact(decide(FLIGHTS, ruleset=RULES).counterfactuals())[("one_off",)]
    task, owner = change.apply(FLIGHTS)
    assert (task.one_off, task.times_per_year, owner) == (True, None, None)


def test_changing_the_rate_of_a_missing_owner_makes_one() -> None:
    """With no owner, a change of the owner's rate creates an owner with that rate."""
    task = Task(name="t", provider_hourly_rate=30)
    found = _by_fact(decide(task, ruleset=RULES).counterfactuals())
    rate = found[("owner_hourly_rate",)]
    assert dict(rate.changes) == {"owner_hourly_rate": 60}
    _, owner = rate.apply(task)
    assert owner == Owner(hourly_rate=60)


def test_core_work_by_category_has_no_task_level_counterfactual() -> None:
    """A task core by the owner's competencies stays core whatever its own facts say."""
    task = Task(name="Edit videos", category="video-editing", skill="expert", enjoyment="love")
    editor = Owner(hourly_rate=90, core_competencies={"video-editing"})
    assert decide(task, editor, ruleset=RULES).counterfactuals() == ()


def test_search_options_are_hashable_cache_keys() -> None:
    """Options built from equal arguments are equal and hash alike."""
    one = SearchOptions.of(["skill"], {"skill": 2})
    two = SearchOptions.of(("skill",), {"skill": 2.0})
    assert one == two
    assert hash(one) == hash(two)


def test_relevant_inputs_of_a_ruleset() -> None:
    """The test ruleset's rules depend on these task facts and the owner's rate."""
    assert relevant_inputs(RULES) == (
        "core_competency",
        "skill",
        "enjoyment",
        "times_per_year",
        "one_off",
        "time_available",
        "can_be_eliminated",
        "provider_hourly_rate",
        "owner_hourly_rate",
    )


def test_counterfactual_is_frozen() -> None:
    """Counterfactuals cannot be changed, nor can their changes."""
    change = decide(FLIGHTS, ruleset=RULES).counterfactuals()[0]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        change.verdict = Verdict.KEEP  # type: ignore[misc]
    with pytest.raises(TypeError):
        change.changes["skill"] = Skill.NONE  # type: ignore[index]


# --- properties ------------------------------------------------------------------------

_SETTINGS = settings(
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    deadline=None,
)
_ANY_RULESET = st.just(RULES) | st.just(default_ruleset()) | rulesets(max_rules=5)
_AUTHOR_WORDS = re.compile(r"[a-z]+_[a-z_]+|\$[A-Za-z_]|priority")


@_SETTINGS
@given(_ANY_RULESET, tasks(), owners(), st.sampled_from([1, 2]))
def test_property_every_counterfactual_gives_its_verdict_on_both_engines(
    ruleset: Any, task: Task, owner: Owner, max_changes: int
) -> None:
    """Applied to a real task and decided again, each change gives the verdict it states.

    On every engine that runs here; and never the verdict it started from.
    """
    decision = decide(task, owner, ruleset=ruleset, engine="native")
    for change in decision.counterfactuals(max_changes=max_changes):
        new_task, new_owner = change.apply(task, owner)
        assert change.verdict is not decision.verdict
        for engine in available_engines():
            again = decide(new_task, new_owner, ruleset=ruleset, engine=engine)
            assert (again.verdict, again.rule_id) == (change.verdict, change.rule_id), engine


@_SETTINGS
@given(_ANY_RULESET, tasks(), owners())
def test_property_advice_speaks_to_the_owner(ruleset: Any, task: Task, owner: Owner) -> None:
    """Advice names no rule id, fact name, parameter or operator word, and is one sentence."""
    decision = decide(task, owner, ruleset=ruleset, engine="native")
    for change in decision.counterfactuals():
        if {"category", "tags"} & set(change.changes):
            continue  # the owner's own words for a category or label are quoted as given
        text = change.advice()
        assert not _AUTHOR_WORDS.search(text), text
        assert not any(f" {words} " in text for words in OPERATORS.values()), text
        assert not any(r.id in text for r in ruleset.rules if "-" in r.id), text
        assert text[0].isupper()
        assert text.endswith(".")
        assert "\n" not in text


def test_labels_and_categories_are_printed_safely() -> None:
    """A category holding a line break cannot break the advice's one line."""
    ruleset = load_ruleset(
        {
            "ruleset": "odd",
            "default": {"verdict": "keep", "because": "Keep."},
            "rules": [
                {
                    "id": "odd",
                    "priority": 1,
                    "when": {"category": "two\nlines"},
                    "then": "outsource",
                    "because": "Odd.",
                }
            ],
        }
    )
    (change,) = decide(Task(name="t", category="one"), ruleset=ruleset).counterfactuals()
    assert "\n" not in change.advice()
    assert "two\\nlines" in change.advice()


@_SETTINGS
@given(_ANY_RULESET, tasks(), owners())
def test_property_actionable_changes_come_first(ruleset: Any, task: Task, owner: Owner) -> None:
    """No change the owner can make is listed after one they cannot; then by cost and size."""
    found = decide(task, owner, ruleset=ruleset, engine="native").counterfactuals()
    keys = [(not c.actionable, c.cost, len(c.changes)) for c in found]
    assert keys == sorted(keys)


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


def _check_minimal(decision: Decision) -> None:
    """Nothing smaller than a counterfactual changes the verdict."""
    scenario = Scenario(decision.task, decision.owner, decision.ruleset)
    for change in decision.counterfactuals():
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
@given(_ANY_RULESET, tasks(), owners())
def test_property_counterfactuals_are_minimal(ruleset: Any, task: Task, owner: Owner) -> None:
    """Under any ruleset, no nearer value and no part of a pair changes the verdict."""
    _check_minimal(decide(task, owner, ruleset=ruleset, engine="native"))


@_SETTINGS
@given(_ANY_RULESET, tasks(), owners(), st.data())
def test_property_nothing_nearer_is_missed(
    ruleset: Any, task: Task, owner: Owner, data: st.DataObject
) -> None:
    """If some value of one fact changes the verdict, a counterfactual on that fact is listed.

    It lies on the same side of the current value, and at least as near.
    (Self-evident changes included, which the owner's list leaves out.)
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
    everything = search(decision, SearchOptions.of(max_changes=1, obvious=True))
    found = [c.changes[name] for c in everything if name in c.changes]
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
