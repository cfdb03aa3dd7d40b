"""Counterfactuals at their edges: options, thresholds at the ends of a grid, data.

Each test states what a user of the search sees (a decision and options in,
counterfactuals out); none depends on how the search finds them, so they hold
for any implementation of it. They were written against the survivors of the
mutation run over the search (tests/mutation-survivors.md).
"""

from __future__ import annotations

import itertools
import json

import pytest

from outsourcing_rules import (
    Enjoyment,
    FactError,
    Owner,
    Skill,
    Task,
    Verdict,
    decide,
    load_ruleset,
)
from outsourcing_rules.explain._inputs import INPUTS
from outsourcing_rules.explain.counterfactuals import Counterfactual, counterfactuals

#: Skill too weak hands a task off; a big, dull task goes too.
COSTED = load_ruleset("""
ruleset: costed
default: {verdict: keep, because: Keep.}
rules:
  - {id: weak, priority: 2, when: {skill: {le: basic}}, then: outsource, because: Weak.}
  - id: big-and-dull
    priority: 1
    when: {all: [{repetitive: true}, {hours_per_year: {ge: 100}}]}
    then: outsource
    because: Big and dull.
""")

#: A rule that needs three facts at once.
TRIPLE = load_ruleset("""
ruleset: triple
default: {verdict: keep, because: Keep.}
rules:
  - id: busy-and-bored
    priority: 1
    when: {all: [{time_available: false}, {enjoyment: {le: neutral}}, {hours_each: {ge: 2}}]}
    then: outsource
    because: Busy and bored.
""")

COMPETENT = Task(name="t", skill="competent", repetitive=False, times_per_year=10, hours_each=2)


def test_the_module_function_orders_by_the_costs_it_is_given() -> None:
    """counterfactuals(decision, costs=...) prices each change: cheapest first, any size."""
    decision = decide(COMPETENT, ruleset=COSTED)
    found = counterfactuals(decision, costs={"skill": 5, "hours_each": 0.5})
    assert [(tuple(c.changes), c.cost) for c in found] == [
        (("hours_each", "repetitive"), 1.5),
        (("times_per_year", "repetitive"), 2.0),
        (("skill",), 5.0),
    ]
    # Without costs every fact costs 1: the single change comes first.
    assert [c.cost for c in counterfactuals(decision)] == [1.0, 2.0, 2.0]


def test_the_module_function_looks_at_pairs_unless_asked_for_more() -> None:
    """By default at most two facts change: a rule needing three gives nothing until asked."""
    task = Task(name="t", time_available=True, enjoyment="like", hours_each=1)
    decision = decide(task, ruleset=TRIPLE)
    assert counterfactuals(decision) == ()
    assert [len(c.changes) for c in counterfactuals(decision, max_changes=3)] == [3]


def test_a_counterfactuals_data_names_every_part() -> None:
    """to_dict gives the change, the values before, the verdict, rule, cost and the words."""
    decision = decide(COMPETENT, ruleset=COSTED)
    (weak, *_) = decision.counterfactuals()
    data = weak.to_dict()
    assert json.loads(json.dumps(data)) == {
        "changes": {"skill": "basic"},
        "previous": {"skill": "competent"},
        "verdict": "outsource",
        "rule": "weak",
        "cost": 1.0,
        "actionable": False,
        "description": weak.describe(),
        "advice": weak.advice(),
    }


def test_a_fact_name_that_is_not_text_is_refused_without_a_guess() -> None:
    """fixed=[3]: an error naming the option and the value, with no did-you-mean."""
    decision = decide(COMPETENT, ruleset=COSTED)
    with pytest.raises(FactError) as caught:
        counterfactuals(decision, fixed=[3])  # type: ignore[list-item]
    assert (caught.value.field, caught.value.value, caught.value.suggestion) == ("fixed", 3, None)


def test_a_misspelt_fact_names_the_option_and_lists_the_facts() -> None:
    """A misspelt cost: the error names the option, the name given, and every fact one may use."""
    decision = decide(COMPETENT, ruleset=COSTED)
    with pytest.raises(FactError) as caught:
        counterfactuals(decision, costs={"skil": 2})
    error = caught.value
    assert (error.field, error.value, error.suggestion) == ("costs", "skil", "skill")
    message = str(error)
    assert "(one of: core_competency, category, only_owner, skill, enjoyment, " in message
    assert message.count(", ") == len(INPUTS) - 1


def test_a_number_of_changes_must_be_whole() -> None:
    """max_changes=2.5 is refused, saying what was given, rather than read as some whole number."""
    decision = decide(COMPETENT, ruleset=COSTED)
    for bad in (2.5, "2", True):
        with pytest.raises(ValueError, match=r"max_changes must be a whole number, not "):
            counterfactuals(decision, max_changes=bad)  # type: ignore[arg-type]


def test_a_cost_must_be_a_number() -> None:
    """A cost given as text ("5") is refused as a cost, not compared with zero."""
    decision = decide(COMPETENT, ruleset=COSTED)
    with pytest.raises(ValueError, match=r"the cost of skill must be a number of at least 0"):
        counterfactuals(decision, costs={"skill": "5"})  # type: ignore[dict-item]


def test_a_one_off_keeps_a_frequency_the_change_states() -> None:
    """Making a task a one-off forgets its frequency, unless the change itself gives one."""
    task = Task(name="t", times_per_year=10)
    forget = Counterfactual({"one_off": True}, {"one_off": None}, Verdict.KEEP, None)
    assert forget.apply(task)[0].times_per_year is None
    stated = Counterfactual(
        {"one_off": True, "times_per_year": 1},
        {"one_off": None, "times_per_year": 10},
        Verdict.KEEP,
        None,
    )
    changed, _ = stated.apply(task)
    assert (changed.one_off, changed.times_per_year) == (True, 1)


#: A higher rule keeps a big task that comes up fewer than 20 times a year; a
#: routine needs the frequency, the hours and repetition at once.
BLOCKED = load_ruleset("""
ruleset: blocked
default: {verdict: keep, because: Keep.}
rules:
  - id: short-run
    priority: 4
    when: {all: [{times_per_year: {lt: 20}}, {hours_each: {ge: 2}}]}
    then: keep
    because: Not yet worth it.
  - id: big
    priority: 3
    when: {all: [{hours_each: {ge: 2}}, {times_per_year: {ge: 10}}]}
    then: outsource
    because: Big.
  - id: routine
    priority: 2
    when: {all: [{hours_each: {ge: 2}}, {times_per_year: {ge: 20}}, {repetitive: true}]}
    then: outsource
    because: Routine.
  - id: busy-and-bored
    priority: 1
    when: {all: [{time_available: false}, {enjoyment: {le: neutral}}, {skill: {le: basic}}]}
    then: outsource
    because: Busy and bored.
""")


def test_no_part_of_a_counterfactual_changes_the_verdict_by_itself() -> None:
    """2 hours at 20 times a year is handed off already (big): repetition adds nothing.

    So no counterfactual may say "if it took 2 hours, came up 20 times a year
    and were repetitive": every part of a counterfactual is needed. The
    triple of another rule, which needs all three of its facts, is offered.
    """
    task = Task(
        name="t",
        hours_each=1,
        times_per_year=1,
        repetitive=False,
        time_available=True,
        enjoyment="like",
        skill="competent",
    )
    decision = decide(task, ruleset=BLOCKED)
    assert decision.verdict is Verdict.KEEP
    offered = decision.counterfactuals(max_changes=3)
    assert ("busy-and-bored", 3) in [(c.rule_id, len(c.changes)) for c in offered]
    for found in offered:
        changes = dict(found.changes)
        assert decide(*found.apply(task), ruleset=BLOCKED).verdict is found.verdict
        for size in range(1, len(changes)):
            for part in itertools.combinations(changes, size):
                smaller = Counterfactual({n: changes[n] for n in part}, {}, found.verdict, None)
                again = decide(*smaller.apply(task), ruleset=BLOCKED)
                assert again.verdict is Verdict.KEEP, (changes, part)


def test_a_pair_is_planned_again_past_a_rule_its_values_bring_in() -> None:
    """From 1 hour once a year, 2 hours at 10 times a year is kept as a short run.

    The nearest values that bring in "big" also bring in "short-run" above
    it, which does not apply now; the search plans the pair again with
    short-run stopped: 2 hours, 20 times a year. Each fact alone changes
    nothing, and every value in between keeps the task.
    """
    task = Task(name="t", times_per_year=1, hours_each=1)
    decision = decide(task, ruleset=BLOCKED)
    assert decision.verdict is Verdict.KEEP
    found = decision.counterfactuals()
    assert [(dict(c.changes), c.verdict, c.rule_id) for c in found] == [
        ({"times_per_year": 20, "hours_each": 2.0}, Verdict.OUTSOURCE, "big")
    ]
    for times in (10, 19):
        between = decide(Task(name="t", times_per_year=times, hours_each=2), ruleset=BLOCKED)
        assert between.verdict is Verdict.KEEP
    assert decide(*found[0].apply(task), ruleset=BLOCKED).verdict is Verdict.OUTSOURCE


def test_a_rule_deciding_now_must_stop_for_a_pair_to_count() -> None:
    """Kept as rare at 3 a year: disliking it hands it off only once it is no longer rare.

    Neither change works alone, so the pair of them is the counterfactual.
    """
    ruleset = load_ruleset("""
ruleset: blocker
default: {verdict: keep, because: Keep.}
rules:
  - {id: rare, priority: 3, when: {times_per_year: {lt: 12}}, then: keep, because: Rare.}
  - {id: disliked, priority: 1, when: {enjoyment: {le: dislike}}, then: outsource,
     because: Disliked.}
""")
    task = Task(name="t", times_per_year=3, enjoyment="like")
    found = decide(task, ruleset=ruleset).counterfactuals()
    assert [(dict(c.changes), c.verdict, c.rule_id) for c in found] == [
        ({"enjoyment": Enjoyment.DISLIKE, "times_per_year": 12}, Verdict.OUTSOURCE, "disliked")
    ]


def test_a_step_the_owner_can_take_is_offered_even_where_a_rule_says_just_that() -> None:
    """Writing down how it is done is advice, though the rule it brings in says only that.

    A yes/no change that merely restates its rule is left out, but never a
    step the owner can take.
    """
    ruleset = load_ruleset("""
ruleset: written
default: {verdict: keep, because: Keep.}
rules:
  - {id: dropped, priority: 2, when: {can_be_eliminated: true}, then: eliminate, because: Drop.}
  - {id: written, priority: 1, when: {procedure_documented: true}, then: outsource,
     because: Written down.}
""")
    task = Task(name="t", procedure_documented=False, can_be_eliminated=False)
    found = decide(task, ruleset=ruleset).counterfactuals()
    assert [dict(c.changes) for c in found] == [{"procedure_documented": True}]
    assert found[0].advice() == "Write down how it is done, and it would be worth handing off."


#: Pairs and triples of several rules, some blocked by a rule above them.
SEVERAL = load_ruleset("""
ruleset: several
default: {verdict: keep, because: Keep.}
rules:
  - id: short-run
    priority: 5
    when: {all: [{times_per_year: {lt: 20}}, {hours_each: {ge: 2}}]}
    then: keep
    because: Not yet worth it.
  - id: big
    priority: 4
    when: {all: [{hours_each: {ge: 2}}, {times_per_year: {ge: 10}}]}
    then: outsource
    because: Big.
  - id: routine
    priority: 3
    when: {all: [{repetitive: true}, {procedure_documented: true}]}
    then: outsource
    because: Routine.
  - id: settled-routine
    priority: 2
    when: {all: [{repetitive: true}, {procedure_documented: true}, {outcome_defined: true}]}
    then: eliminate
    because: Settled.
  - id: busy-and-bored
    priority: 1
    when: {all: [{time_available: false}, {enjoyment: {le: neutral}}, {skill: {le: basic}}]}
    then: outsource
    because: Busy and bored.
""")


def test_every_way_is_tried_past_ones_that_fail_or_are_not_minimal() -> None:
    """A pair blocked by a rule it brings in is planned again; a triple holding a pair is dropped.

    For big, the nearest values (2 hours, 10 times a year) bring in
    short-run, which keeps the task: planned again with short-run stopped,
    the pair is 2 hours 20 times a year. The pair and the triple of the
    rules after it must still be offered.
    """
    task = Task(
        name="t",
        hours_each=1,
        times_per_year=1,
        repetitive=False,
        procedure_documented=False,
        outcome_defined=False,
        time_available=True,
        enjoyment="like",
        skill="competent",
    )
    found = decide(task, ruleset=SEVERAL).counterfactuals(max_changes=3)
    assert [(dict(c.changes), c.rule_id) for c in found] == [
        ({"times_per_year": 20, "hours_each": 2.0}, "big"),
        ({"repetitive": True, "procedure_documented": True}, "routine"),
        (
            {"skill": Skill.BASIC, "enjoyment": Enjoyment.NEUTRAL, "time_available": False},
            "busy-and-bored",
        ),
    ]


def test_a_level_between_two_rules_is_offered_both_neighbours() -> None:
    """Between "no skill at all: hand off" and "expert: drop", both ends are offered.

    From competent the expert level is the top of the scale, and from basic
    "none" is its bottom: the ends of the scale are values like any other.
    """
    ruleset = load_ruleset("""
ruleset: middling
default: {verdict: keep, because: Keep.}
rules:
  - {id: strong, priority: 2, when: {skill: {ge: expert}}, then: eliminate, because: Strong.}
  - {id: weak, priority: 1, when: {skill: {le: none}}, then: outsource, because: Weak.}
""")
    for skill in ("basic", "competent"):
        found = decide(Task(name="t", skill=skill), ruleset=ruleset).counterfactuals()
        assert sorted((c.changes["skill"], c.verdict.value) for c in found) == [
            (Skill.NONE, "outsource"),
            (Skill.EXPERT, "eliminate"),
        ], skill


def test_a_threshold_in_cents_is_met_exactly() -> None:
    """Under $17.10 an hour: $17.09 is offered from above, and $17.10 itself from below.

    17.1 is not exact in binary floating point; the search must still find
    the cent where the comparison turns.
    """
    ruleset = load_ruleset("""
ruleset: cents
default: {verdict: keep, because: Keep.}
rules:
  - {id: cheap, priority: 1, when: {provider_hourly_rate: {lt: 17.1}}, then: outsource,
     because: Cheap.}
""")
    dear = decide(Task(name="t", provider_hourly_rate=25), ruleset=ruleset).counterfactuals()
    assert [dict(c.changes) for c in dear] == [{"provider_hourly_rate": 17.09}]
    cheap = decide(Task(name="t", provider_hourly_rate=10), ruleset=ruleset).counterfactuals()
    assert [dict(c.changes) for c in cheap] == [{"provider_hourly_rate": 17.1}]
    assert cheap[0].describe() == "would be kept if a provider charged $17.10 an hour or more"


def test_each_fact_of_a_pair_is_nearest_given_the_others_new_value() -> None:
    """With the hours unknown, 10 a year needs 10 hours each, but 50 a year only 2.

    Two rules want 100 hours a year, one from 10 times a year, the other
    from 50: the hours each time offered depend on the frequency they go with.
    """
    ruleset = load_ruleset("""
ruleset: two
default: {verdict: keep, because: Keep.}
rules:
  - id: often-and-big
    priority: 2
    when: {all: [{times_per_year: {ge: 10}}, {hours_per_year: {ge: 100}}]}
    then: outsource
    because: Big.
  - id: very-often
    priority: 1
    when: {all: [{times_per_year: {ge: 50}}, {hours_per_year: {ge: 100}}]}
    then: eliminate
    because: Very often.
""")
    found = decide(Task(name="t", times_per_year=1), ruleset=ruleset).counterfactuals()
    assert [dict(c.changes) for c in found] == [
        {"times_per_year": 10, "hours_each": 10},
        {"times_per_year": 50, "hours_each": 2},
    ]


def test_a_pair_takes_the_listed_value_nearest_the_current_one() -> None:
    """At 18 a year, "10 or 20 a year, if repetitive": 20 is nearer than 10."""
    ruleset = load_ruleset("""
ruleset: listed
default: {verdict: keep, because: Keep.}
rules:
  - id: listed
    priority: 1
    when: {all: [{times_per_year: {in: [10, 20]}}, {repetitive: true}]}
    then: outsource
    because: Listed.
""")
    task = Task(name="t", times_per_year=18, repetitive=False)
    found = decide(task, ruleset=ruleset).counterfactuals()
    assert [dict(c.changes) for c in found] == [{"times_per_year": 20, "repetitive": True}]


def test_an_unknown_fact_in_a_pair_takes_the_edge_facing_the_rest() -> None:
    """Frequency unknown, "0, 4 or 8 a year, if repetitive": the value offered is 8.

    For an unknown value the search names the end of the run of values that
    work which faces the rest of the range, as it does for a single fact.
    """
    ruleset = load_ruleset("""
ruleset: listed-low
default: {verdict: keep, because: Keep.}
rules:
  - id: listed
    priority: 1
    when: {all: [{times_per_year: {in: [0, 4, 8]}}, {repetitive: true}]}
    then: outsource
    because: Listed.
""")
    found = decide(Task(name="t", repetitive=False), ruleset=ruleset).counterfactuals()
    assert [dict(c.changes) for c in found] == [{"times_per_year": 8, "repetitive": True}]


def test_an_unknown_fact_gets_the_low_end_of_a_band() -> None:
    """Frequency unknown, "10 to 19 times a year: hand off": 10 a year is offered; 30 gets 19.

    A run of values in the middle of the range is named by its lower end, as
    "10 to 19" would be said; runs at the bottom or top by the end facing the rest.
    """
    ruleset = load_ruleset("""
ruleset: band
default: {verdict: keep, because: Keep.}
rules:
  - id: monthly
    priority: 1
    when: {all: [{times_per_year: {ge: 10}}, {times_per_year: {lt: 20}}]}
    then: outsource
    because: Monthly.
""")
    found = decide(Task(name="t"), ruleset=ruleset).counterfactuals()
    assert [(dict(c.changes), c.verdict) for c in found] == [
        ({"times_per_year": 10}, Verdict.OUTSOURCE)
    ]
    # A known value gets the nearest end of the band instead.
    for now, nearest in ((30, 19), (5, 10)):
        found = decide(Task(name="t", times_per_year=now), ruleset=ruleset).counterfactuals()
        assert [dict(c.changes) for c in found] == [{"times_per_year": nearest}], now


def test_a_saving_is_worked_out_at_the_new_frequency_of_its_pair() -> None:
    """At most monthly, 100 hours and $1,000 saved a year: 10 times a year and a $90 provider.

    The saving depends on the frequency; the provider's rate (or the owner's)
    that goes with 10 times a year is worked out at 10 times a year, not at
    the current once a year (where no rate would do).
    """
    ruleset = load_ruleset("""
ruleset: worth
default: {verdict: keep, because: Keep.}
rules:
  - id: worth-it
    priority: 1
    when:
      all:
        - {times_per_year: {le: 12}}
        - {hours_per_year: {ge: 100}}
        - {saving_per_year: {ge: 1000}}
    then: outsource
    because: Worth it.
""")
    task = Task(name="t", times_per_year=1, hours_each=10, provider_hourly_rate=99)
    found = decide(task, Owner(hourly_rate=100), ruleset=ruleset).counterfactuals()
    assert [dict(c.changes) for c in found] == [
        {"hours_each": 1000},
        {"times_per_year": 10, "provider_hourly_rate": 90},
        {"times_per_year": 10, "owner_hourly_rate": 109},
    ]


def test_a_dearer_hour_keeps_the_owners_core_competencies() -> None:
    """Core work goes only when the owner's hour is worth twice the provider's: $100, not $60.

    Moving the owner's rate must keep what else the owner said (consulting
    is core to them), or the rule for core work could never apply.
    """
    ruleset = load_ruleset("""
ruleset: dear-core
default: {verdict: keep, because: Keep.}
rules:
  - id: dear-core
    priority: 1
    when: {all: [{core_competency: true}, {rate_ratio: {ge: 2}}]}
    then: outsource
    because: Even core work goes when your hour is dear.
""")
    task = Task(name="t", category="consulting", provider_hourly_rate=50)
    owner = Owner(hourly_rate=60, core_competencies={"consulting"})
    found = decide(task, owner, ruleset=ruleset).counterfactuals()
    assert [dict(c.changes) for c in found] == [
        {"provider_hourly_rate": 30},
        {"owner_hourly_rate": 100},
    ]


def test_the_rate_that_makes_a_pair_worth_it_depends_on_its_hours() -> None:
    """$1,000 saved a year at 10 a year: with 5 hours each a $80 provider, with 20 hours $95.

    Each rate is worked out with the hours it goes with; so is each frequency.
    """
    ruleset = load_ruleset("""
ruleset: saving
default: {verdict: keep, because: Keep.}
rules:
  - id: long-and-worth-it
    priority: 2
    when:
      all:
        - {hours_each: {ge: 5}}
        - {hours_each: {le: 30}}
        - {saving_per_year: {ge: 1000}}
    then: outsource
    because: Worth it.
  - id: very-long-and-worth-it
    priority: 1
    when:
      all:
        - {hours_each: {ge: 20}}
        - {hours_each: {le: 30}}
        - {saving_per_year: {ge: 1000}}
    then: eliminate
    because: Worth dropping.
""")
    task = Task(name="t", times_per_year=10, hours_each=1, provider_hourly_rate=99)
    found = decide(task, Owner(hourly_rate=100), ruleset=ruleset).counterfactuals()
    assert [dict(c.changes) for c in found] == [
        {"times_per_year": 50, "hours_each": 20},
        {"times_per_year": 200, "hours_each": 5},
        {"hours_each": 5, "provider_hourly_rate": 80},
        {"hours_each": 20, "provider_hourly_rate": 95},
        {"hours_each": 5, "owner_hourly_rate": 119},
        {"hours_each": 20, "owner_hourly_rate": 104},
    ]


def test_a_threshold_reached_only_at_the_top_of_a_range_is_offered() -> None:
    """2,000,000 hours a year at 2 hours each takes the most frequent task there can be.

    A million times a year is the top of the frequency's range; the
    change is still offered, said without "or more" (nothing is above it).
    """
    ruleset = load_ruleset("""
ruleset: huge
default: {verdict: keep, because: Keep.}
rules:
  - {id: huge, priority: 1, when: {hours_per_year: {ge: 2000000}}, then: outsource,
     because: Huge.}
""")
    task = Task(name="t", times_per_year=10, hours_each=2)
    found = decide(task, ruleset=ruleset).counterfactuals()
    assert [dict(c.changes) for c in found] == [{"times_per_year": 1_000_000}]
    assert "or more" not in found[0].describe()


def test_a_frequency_is_offered_as_a_whole_number() -> None:
    """Twelve times a year is 12 in the data, not 12.0: a count is a whole number."""
    ruleset = load_ruleset("""
ruleset: often
default: {verdict: keep, because: Keep.}
rules:
  - {id: often, priority: 1, when: {times_per_year: {ge: 12}}, then: outsource, because: Often.}
""")
    (found,) = decide(Task(name="t", times_per_year=3), ruleset=ruleset).counterfactuals()
    assert json.dumps(found.to_dict()["changes"]) == '{"times_per_year": 12}'


def test_a_one_off_counterfactual_forgets_the_frequency() -> None:
    """Handed off for coming up 10 times a year; as a one-off it would come up once, so dropped.

    The frequency of a task made a one-off is forgotten, so the rule on the
    frequency no longer holds and the rule for one-off chores decides.
    """
    ruleset = load_ruleset("""
ruleset: often
default: {verdict: keep, because: Keep.}
rules:
  - {id: often, priority: 2, when: {times_per_year: {ge: 5}}, then: outsource, because: Often.}
  - id: one-off-chore
    priority: 1
    when: {all: [{one_off: true}, {repetitive: false}]}
    then: eliminate
    because: A one-off chore.
""")
    task = Task(name="t", times_per_year=10, repetitive=False)
    found = decide(task, ruleset=ruleset).counterfactuals()
    assert [(dict(c.changes), c.verdict) for c in found] == [
        ({"times_per_year": 4}, Verdict.KEEP),
        ({"one_off": True}, Verdict.ELIMINATE),
    ]


def test_a_one_off_that_states_it_comes_up_once_keeps_saying_so() -> None:
    """A one-off said to come up once a year stays "once" whatever else changes."""
    ruleset = load_ruleset("""
ruleset: once
default: {verdict: keep, because: Keep.}
rules:
  - {id: once, priority: 2, when: {times_per_year: {le: 1}}, then: keep, because: Once.}
  - {id: weak, priority: 1, when: {skill: {le: basic}}, then: outsource, because: Weak.}
""")
    task = Task(name="t", one_off=True, times_per_year=1, skill="competent")
    found = decide(task, ruleset=ruleset).counterfactuals()
    assert all("skill" not in c.changes for c in found), [dict(c.changes) for c in found]


def test_a_one_off_with_a_stated_frequency_is_a_pair() -> None:
    """A one-off that comes up once is offered as the two changes, the frequency kept at 1."""
    ruleset = load_ruleset("""
ruleset: once-only
default: {verdict: keep, because: Keep.}
rules:
  - id: once-only
    priority: 1
    when: {all: [{one_off: true}, {times_per_year: {le: 1}}]}
    then: eliminate
    because: Once.
""")
    found = decide(Task(name="t", times_per_year=10), ruleset=ruleset).counterfactuals()
    assert [(dict(c.changes), c.verdict) for c in found] == [
        ({"times_per_year": 1, "one_off": True}, Verdict.ELIMINATE)
    ]
