"""Why not: the rules that did not apply, and the unknown facts that could change a verdict."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings

from outsourcing_rules import Owner, Task, decide, default_ruleset, load_ruleset
from outsourcing_rules.core.conditions import evaluate
from outsourcing_rules.explain.why import why_not_text
from outsourcing_rules.testing import owners, rulesets, tasks

from _examples import SALLY

FLIGHTS = Task(name="Book flights", times_per_year=3, enjoyment="dislike", skill="competent")
CRM = Task(name="Update the CRM", category="crm", skill="competent", enjoyment="neutral")


def test_why_not_names_the_failed_condition_with_its_value() -> None:
    """Flights: skill-gap failed because skill is competent, not at most basic."""
    misses = {m.rule_id: m for m in decide(FLIGHTS, engine="native").why_not()}
    skill = misses["skill-gap"]
    assert [(c.fact, c.op, str(c.expected), str(c.actual)) for c in skill.failed] == [
        ("skill", "le", "basic", "competent")
    ]
    assert skill.missing == ()
    assert skill.describe() == "skill-gap (outsource): skill is competent, not at most basic"


def test_why_not_names_the_missing_fact() -> None:
    """A rule on an unknown fact did not apply: the fact is named as missing, never as false."""
    misses = {m.rule_id: m for m in decide(FLIGHTS, engine="native").why_not()}
    assert misses["time-scarcity"].failed == ()
    assert misses["time-scarcity"].missing == ("time_available",)
    assert misses["time-scarcity"].describe() == (
        "time-scarcity (outsource): time_available is unknown"
    )
    ratio = misses["opportunity-cost"]
    assert ratio.missing == ("rate_ratio",)
    assert set(ratio.needs) == {"provider_hourly_rate", "owner_hourly_rate"}
    assert "rate_ratio is unknown (give provider_hourly_rate or owner_hourly_rate)" in (
        ratio.describe()
    )


def test_why_not_leaves_out_the_rules_that_applied() -> None:
    """Matches (winner and losers) are not misses; together they are every rule, in order."""
    decision = decide(FLIGHTS, engine="native")
    missed = [m.rule_id for m in decision.why_not()]
    assert set(missed).isdisjoint(decision.matched_rule_ids)
    assert sorted([*missed, *decision.matched_rule_ids]) == sorted(default_ruleset().rule_ids)
    assert missed == [i for i in default_ruleset().rule_ids if i in missed]


def test_outranks_says_which_misses_would_have_decided() -> None:
    """Rules above the deciding one would have decided had they applied."""
    misses = {m.rule_id: m.outranks for m in decide(FLIGHTS).why_not()}
    assert misses["skill-gap"] is True
    assert misses["core-competency"] is True
    assert misses["time-scarcity"] is True  # it beats rarity in version 2
    assert misses["repetitive"] is False
    default = decide(Task(name="x"))
    assert all(m.outranks for m in default.why_not())


def test_any_lists_every_alternative_that_failed() -> None:
    """For an ``any`` condition, each alternative's failure is reported."""
    ruleset = load_ruleset("""
ruleset: anyone
default: {verdict: keep, because: Keep.}
rules:
  - id: either
    priority: 1
    when: {any: [{skill: none}, {not: {time_available: true}}]}
    then: outsource
    because: Either.
""")
    (miss,) = decide(Task(name="t", skill="expert"), ruleset=ruleset).why_not()
    assert miss.reasons() == ["skill is expert, not equal to none", "time_available is unknown"]


def test_unknowns_say_which_unknown_facts_could_change_the_verdict() -> None:
    """The CRM task: no time known, no rate known; each could make it go."""
    unknowns = {u.fact: u for u in decide(CRM, SALLY, engine="native").unknowns()}
    assert set(unknowns) == {
        "time_available",
        "times_per_year",
        "repetitive",
        "can_be_eliminated",
        "provider_hourly_rate",
    }
    assert unknowns["time_available"].describe() == (
        "unknown: time_available; if the owner had no time for it, this would be outsourced"
    )
    (rate,) = unknowns["provider_hourly_rate"].outcomes
    assert dict(rate.changes) == {"provider_hourly_rate": 125}
    json.dumps([u.to_dict() for u in unknowns.values()])


def test_a_known_core_competency_is_not_unknown() -> None:
    """core_competency known from the owner's list is not reported as unknown."""
    task = Task(name="Client invoicing", category="invoicing", times_per_year=52)
    assert "core_competency" not in {u.fact for u in decide(task, SALLY).unknowns()}


def test_unknowns_are_empty_when_nothing_unknown_matters() -> None:
    """Only core work outranks only-owner, and it keeps too: no unknown fact matters."""
    decision = decide(Task(name="Talk to clients", only_owner=True))
    assert decision.unknowns() == ()


def test_trace_with_why_not_adds_the_misses(engine: str) -> None:
    """trace(why_not=True) adds the misses for other verdicts; the owner's text has none."""
    decision = decide(CRM, SALLY, engine=engine)
    short, long = decision.trace(), decision.trace(why_not=True)
    assert long.startswith(short)
    assert "Did not apply: " in long
    assert "skill-gap (outsource): skill is competent, not at most basic" in long
    assert "Did not apply" not in short
    assert "Did not apply" not in decision.explain()
    assert why_not_text(decision).startswith(long[len(short) :].strip())


def test_to_dict_of_a_miss_is_json() -> None:
    """A miss's data is JSON-serialisable with its description."""
    data = [m.to_dict() for m in decide(FLIGHTS).why_not()]
    json.dumps(data)
    assert data[0]["rule"] == "core-competency"


_SETTINGS = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)


def _check(decision: Any) -> None:
    values = decision.facts
    for miss in decision.why_not():
        rule = decision.ruleset.rule(miss.rule_id)
        assert evaluate(rule.condition, values) is not True
        assert miss.failed or miss.missing
        for check in miss.failed:
            assert check.actual is not None
        for fact in miss.missing:
            assert values[fact] is None
    for unknown in decision.unknowns():
        for outcome in unknown.outcomes:
            assert list(outcome.changes) == [unknown.fact]
            assert outcome.previous[unknown.fact] is None
            assert outcome.verdict is not decision.verdict


@_SETTINGS
@given(tasks(), owners())
def test_property_default_ruleset(task: Task, owner: Owner) -> None:
    """Misses did not apply and cite a false condition or unknown fact; unknowns are real.

    Each unknown fact is unknown in the task, and each of its outcomes
    changes the verdict.
    """
    _check(decide(task, owner, engine="native"))


@_SETTINGS
@given(rulesets(max_rules=5), tasks(), owners())
def test_property_any_ruleset(ruleset: Any, task: Task, owner: Owner) -> None:
    """The same for any ruleset."""
    _check(decide(task, owner, ruleset=ruleset, engine="native"))


def test_misses_of_a_keep_are_reported_for_other_verdicts_only() -> None:
    """The verbose text lists misses whose verdict differs from the decision's."""
    text = why_not_text(decide(FLIGHTS))
    assert "core-competency" not in text
    assert "skill-gap" in text
    assert "(keep)" not in text


def test_a_miss_as_data_keeps_every_field_under_its_own_key() -> None:
    """A miss's data: rule, verdict, priority, outranks, failed checks, missing, needs, words."""
    misses = {m.rule_id: m for m in decide(FLIGHTS, engine="native").why_not()}
    gap = misses["skill-gap"]
    assert gap.priority == default_ruleset().rule("skill-gap").priority
    assert gap.because == default_ruleset().rule("skill-gap").because
    assert gap.to_dict() == {
        "rule": "skill-gap",
        "verdict": "outsource",
        "priority": gap.priority,
        "outranks": True,
        "failed": [{"fact": "skill", "op": "le", "expected": "basic", "actual": "competent"}],
        "missing": [],
        "needs": [],
        "description": "skill-gap (outsource): skill is competent, not at most basic",
    }
    ratio = misses["opportunity-cost"].to_dict()
    assert ratio["missing"] == ["rate_ratio"]
    assert ratio["needs"] == ["provider_hourly_rate", "owner_hourly_rate"]
    assert ratio["failed"] == []


def test_the_inputs_to_give_leave_out_those_already_given() -> None:
    """With the owner's rate known, only the provider's rate is asked for, once."""
    misses = {m.rule_id: m for m in decide(FLIGHTS, SALLY, engine="native").why_not()}
    cost = misses["opportunity-cost"]
    assert cost.needs == ("provider_hourly_rate",)
    assert cost.reasons() == ["rate_ratio is unknown (give provider_hourly_rate)"]


def test_several_inputs_to_give_are_listed_with_commas_and_a_final_or() -> None:
    """Three inputs behind one unknown fact read ``a, b or c``."""
    from outsourcing_rules.explain.why import _or

    assert _or(["a"]) == "a"
    assert _or(["a", "b"]) == "a or b"
    assert _or(["a", "b", "c"]) == "a, b or c"


def test_an_unknown_fact_as_data_names_the_fact_and_each_outcome() -> None:
    """An unknown's data carries its fact, its outcomes and its sentence."""
    unknowns = {u.fact: u for u in decide(CRM, SALLY, engine="native").unknowns()}
    data = unknowns["time_available"].to_dict()
    assert list(data) == ["fact", "outcomes", "description"]
    assert data["fact"] == "time_available"
    assert data["description"] == unknowns["time_available"].describe()
    assert len(data["outcomes"]) == len(unknowns["time_available"].outcomes) > 0


def test_a_losing_rule_says_whether_it_agrees_with_the_winner() -> None:
    """A lower rule with the winner's verdict says it agrees; one with another verdict does not."""
    from outsourcing_rules.explain.why import lost_because

    ruleset = load_ruleset("""
ruleset: agree
default: {verdict: keep, because: Keep.}
rules:
  - {id: top, priority: 9, when: {skill: none}, then: outsource, because: Weak.}
  - {id: also, priority: 5, when: {skill: none}, then: outsource, because: Also weak.}
  - {id: other, priority: 3, when: {skill: none}, then: eliminate, because: Drop it.}
""")
    decision = decide(Task(name="t", skill="none"), ruleset=ruleset, engine="native")
    _top, also, other = decision.matches
    agreeing = lost_because(also, decision.rule)
    assert agreeing.startswith("priority 5 is below top's 9")
    assert "agrees" in agreeing
    disagreeing = lost_because(other, decision.rule)
    assert disagreeing.startswith("priority 3 is below top's 9")
    assert "agrees" not in disagreeing
    assert "same priority" not in agreeing + disagreeing


def test_a_tie_in_priority_says_the_winner_is_written_first() -> None:
    """Two rules of one priority: the loser names the winner and says it is written first."""
    from outsourcing_rules.explain.why import lost_because

    ruleset = load_ruleset("""
ruleset: tie
default: {verdict: keep, because: Keep.}
rules:
  - {id: first, priority: 5, when: {skill: none}, then: outsource, because: Weak.}
  - {id: second, priority: 5, when: {skill: none}, then: outsource, because: Also weak.}
""")
    decision = decide(Task(name="t", skill="none"), ruleset=ruleset, engine="native")
    tied = lost_because(decision.matches[1], decision.rule)
    assert "first" in tied
    assert "written first" in tied
    assert "below" not in tied


def test_a_miss_with_several_reasons_lists_them_separated_by_semicolons() -> None:
    """The description of a miss joins its reasons with ``; `` after the rule and its verdict."""
    ruleset = load_ruleset("""
ruleset: both
default: {verdict: keep, because: Keep.}
rules:
  - {id: both, priority: 1, when: {all: [{skill: none}, {time_available: false}]},
     then: outsource, because: Both.}
""")
    (miss,) = decide(Task(name="t", skill="expert"), ruleset=ruleset, engine="native").why_not()
    assert miss.describe() == (
        "both (outsource): skill is expert, not equal to none; time_available is unknown"
    )


AUTHOR = """
ruleset: author
default: {verdict: keep, because: Keep by default.}
parameters: {rare: 4}
rules:
  - {id: top, priority: 9, when: {all: [{skill: none}, {times_per_year: {gt: 2}}]},
     then: outsource, because: Weak.}
  - {id: tied, priority: 9, when: {skill: none}, then: outsource, because: Tied.}
  - {id: also, priority: 5, when: {skill: {le: basic}}, then: outsource, because: Also weak.}
  - {id: other, priority: 3, when: {skill: none}, then: eliminate, because: Drop it.}
  - {id: rare, priority: 7, when: {times_per_year: {lt: $rare}}, then: keep, because: Rare.}
  - {id: heart, priority: 8, when: {only_owner: true}, then: keep, because: Mine.}
"""


def test_the_authors_trace_names_every_rule_value_and_figure_exactly() -> None:
    """The author's account, word for word: the winner's checks, each loser and why, the figures.

    A tie reads "it has the same priority and verdict as top", never "its same priority".
    """
    ruleset = load_ruleset(AUTHOR)
    task = Task(
        name="Books", skill="none", times_per_year=12, hours_each=2, provider_hourly_rate=50
    )
    decision = decide(task, Owner(hourly_rate=80), ruleset=ruleset, engine="native")
    head = (
        "Outsource 'Books': rule top decides (priority 9) because skill equal to none: it is"
        " none; times_per_year greater than 2: it is 12. Weak. Also applied: tied would"
        " outsource (skill equal to none: it is none), but it has the same priority and verdict"
        " as top, which is written first; also would outsource (skill at most basic: it is"
        " none), but its priority 5 is below top's 9 (it agrees on the verdict); other would"
        " eliminate (skill equal to none: it is none), but its priority 3 is below top's 9."
        " saving_per_year 720, saving_per_week 13.85. hours_per_year 24, hours_per_week 0.46."
    )
    assert decision.trace() == head
    assert "its same priority" not in decision.trace()
    assert decision.trace(why_not=True) == head + (
        " Did not apply: heart (keep): only_owner is unknown;"
        " rare (keep): times_per_year is 12, not less than 4."
    )


def test_the_authors_trace_of_a_default_lists_what_did_not_apply() -> None:
    """No rule applied: the default's reason, then each rule for another verdict and why not."""
    decision = decide(Task(name="Idle"), ruleset=load_ruleset(AUTHOR), engine="native")
    assert decision.trace(why_not=True) == (
        "Keep 'Idle': no rule of ruleset 'author' applied, so its default decides."
        " Keep by default. Did not apply: top (outsource): skill is unknown; times_per_year is"
        " unknown; tied (outsource): skill is unknown; also (outsource): skill is unknown;"
        " other (eliminate): skill is unknown."
    )
    assert "Also applied" not in decision.trace()
    assert "saving_per_year" not in decision.trace()


def test_a_failed_check_keeps_the_parameter_it_compared_with() -> None:
    """``hours_per_year > $lots`` failing keeps ``lots``, so the author sees where 10 came from."""
    ruleset = load_ruleset("""
ruleset: hours
default: {verdict: keep, because: Keep.}
parameters: {lots: 10}
rules:
  - {id: heavy, priority: 1, when: {hours_per_year: {gt: $lots}}, then: outsource,
     because: Heavy.}
""")
    decision = decide(Task(name="t", times_per_year=1, hours_each=2), ruleset=ruleset)
    (miss,) = decision.why_not()
    (check,) = miss.failed
    assert (check.fact, check.op, check.expected, check.actual) == ("hours_per_year", "gt", 10, 2)
    assert check.parameter == "lots"
    assert miss.to_dict()["failed"][0]["parameter"] == "lots"


def test_the_inputs_to_give_leave_out_a_task_fact_already_given() -> None:
    """Hours a year unknown with the frequency given: ask for the hours (and one-off), not it."""
    ruleset = load_ruleset("""
ruleset: hours
default: {verdict: keep, because: Keep.}
rules:
  - {id: heavy, priority: 1, when: {hours_per_year: {gt: 10}}, then: outsource,
     because: Heavy.}
""")
    (miss,) = decide(Task(name="t", times_per_year=12), ruleset=ruleset).why_not()
    assert miss.missing == ("hours_per_year",)
    assert miss.needs == ("one_off", "hours_each")
    assert "times_per_year" not in miss.needs


def test_an_owner_fact_already_given_is_never_an_unknown() -> None:
    """The owner's rate is given: only the provider's is unknown, though a rule tests both."""
    ruleset = load_ruleset("""
ruleset: rates
default: {verdict: keep, because: Keep.}
rules:
  - {id: ratio, priority: 2, when: {rate_ratio: {ge: 2}}, then: outsource, because: Cheap.}
  - {id: rich, priority: 1, when: {owner_hourly_rate: {ge: 100}}, then: outsource,
     because: Rich.}
""")
    task = Task(name="t", times_per_year=12, hours_each=2)
    decision = decide(task, Owner(hourly_rate=50), ruleset=ruleset)
    assert [u.fact for u in decision.unknowns()] == ["provider_hourly_rate"]


def test_why_not_text_is_sentences_and_an_unknown_lists_each_outcome() -> None:
    """Misses in one sentence, then each unknown fact as its own, its outcomes split by ``; ``."""
    ruleset = load_ruleset("""
ruleset: levels
default: {verdict: keep, because: Keep.}
rules:
  - {id: weak, priority: 2, when: {skill: none}, then: outsource, because: Weak.}
  - {id: master, priority: 1, when: {skill: expert}, then: eliminate, because: Done.}
""")
    decision = decide(Task(name="t"), ruleset=ruleset)
    (skill,) = decision.unknowns()
    assert skill.describe() == (
        "unknown: skill; if the owner's skill were expert, this would be eliminated;"
        " if the owner's skill were none, this would be outsourced"
    )
    assert why_not_text(decision) == (
        "Did not apply: weak (outsource): skill is unknown; master (eliminate): skill is"
        " unknown. Unknown: skill; if the owner's skill were expert, this would be eliminated;"
        " if the owner's skill were none, this would be outsourced."
    )


def test_the_authors_figures_are_rounded_once_to_cents() -> None:
    """7.5452 is written 7.55 and 0.1451 is 0.15: rounded once, never 7.545 and then 7.54."""
    ruleset = load_ruleset("""
ruleset: weak
default: {verdict: keep, because: Keep.}
rules:
  - {id: weak, priority: 1, when: {skill: none}, then: outsource, because: Weak.}
""")
    task = Task(
        name="Move", skill="none", times_per_year=1, hours_each=7.5452, provider_hourly_rate=50
    )
    decision = decide(task, Owner(hourly_rate=51), ruleset=ruleset, engine="native")
    assert decision.trace() == (
        "Outsource 'Move': rule weak decides (priority 1) because skill equal to none: it is"
        " none. Weak. saving_per_year 7.55, saving_per_week 0.15."
        " hours_per_year 7.55, hours_per_week 0.15."
    )
