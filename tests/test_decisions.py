"""Decisions: resolution by priority, matches, explanations, economics, data out."""

from __future__ import annotations

import json

import attrs
import pytest

from outsourcing_rules import (
    Decision,
    FactError,
    Owner,
    Task,
    Verdict,
    decide,
    decide_all,
    decide_iter,
    default_ruleset,
    load_ruleset,
)

from _examples import SALLY

FLIGHTS = Task(name="Book flights", times_per_year=3, enjoyment="dislike", skill="competent")


def test_highest_priority_match_decides_and_others_are_listed(engine: str) -> None:
    """Every applicable rule is a match, in priority order; the first decides."""
    task = Task(
        name="Old report",
        can_be_eliminated=True,
        enjoyment="hate",
        repetitive=True,
        times_per_year=52,
    )
    decision = decide(task, engine=engine)
    assert decision.matched_rule_ids == ("eliminate", "annoyance", "repetitive", "frequent-routine")
    assert [m.priority for m in decision.matches] == [85, 50, 30, 20]
    assert decision.rule_id == "eliminate"
    assert decision.verdict is Verdict.ELIMINATE
    assert decision.rule is default_ruleset().rule("eliminate")


def test_matches_cite_the_conditions_and_the_values_seen(engine: str) -> None:
    """Each match lists the conditions that held, with the fact values they saw."""
    decision = decide(FLIGHTS, engine=engine)
    low, annoyance = decision.matches
    assert [(c.fact, c.op, c.expected, c.actual) for c in low.checks] == [
        ("recurring", "eq", True, True),
        ("times_per_year", "lt", 12, 3),
        ("hours_known", "eq", False, False),
    ]
    assert low.checks[1].parameter == "low_frequency_per_year"
    assert [(c.fact, c.actual) for c in annoyance.checks] == [("enjoyment", FLIGHTS.enjoyment)]


def test_trace_says_who_won_and_why_the_others_lost() -> None:
    """The author's trace names the winner, its priority and checks, and why the loser lost."""
    text = decide(FLIGHTS, engine="native").trace()
    assert text.startswith("Keep 'Book flights': rule low-frequency decides (priority 60)")
    assert "times_per_year less than 12" in text
    assert "annoyance would outsource" in text
    assert "priority 50 is below low-frequency's 60" in text


def test_explain_the_default() -> None:
    """With no match, the trace says the default decided; the owner hears its reason."""
    decision = decide(Task(name="x"), engine="native")
    assert "no rule of ruleset 'default' applied" in decision.trace()
    assert default_ruleset().default_because in decision.trace()
    assert decision.explain() == (
        "Keep doing \u201cx\u201d yourself. " + default_ruleset().default_because
    )


def test_explain_gives_the_money_for_a_hand_off() -> None:
    """Sally's invoicing: the explanation quotes the saving per year and per week."""
    task = Task(name="Client invoicing", times_per_year=52, hours_each=4, provider_hourly_rate=37.5)
    text = decide(task, SALLY, engine="native").explain()
    assert "saves about $850 a week ($44,200 a year)" in text


def test_economics() -> None:
    """Economics per year and week, None where a fact is missing."""
    task = Task(name="t", times_per_year=52, hours_each=2, provider_hourly_rate=40)
    known = decide(task, SALLY, engine="native").economics
    assert (known.hours_per_year, known.hours_per_week) == (104, 2)
    assert (known.owner_cost_per_year, known.provider_cost_per_year) == (26_000, 4_160)
    assert known.saving_per_year == 21_840
    unknown = decide(task, None, engine="native").economics
    assert unknown.owner_cost_per_year is None
    assert unknown.saving_per_year is None
    assert unknown.provider_cost_per_year == 4_160


def test_to_dict_is_json_with_stable_keys() -> None:
    """to_dict is JSON-serialisable with the documented keys; losers say why they lost."""
    data = decide(FLIGHTS, engine="native").to_dict()
    assert list(data) == [
        "task",
        "verdict",
        "rule",
        "because",
        "explanation",
        "trace",
        "matches",
        "why_not",
        "unknowns",
        "counterfactuals",
        "economics",
        "handoff",
        "facts",
        "provenance",
    ]
    json.dumps(data)
    assert data["verdict"] == "keep"
    assert data["matches"][1]["lost_because"] == "priority 50 is below low-frequency's 60"
    assert "lost_because" not in data["matches"][0]
    assert data["facts"]["enjoyment"] == "dislike"
    assert data["provenance"] == {
        "ruleset": "default",
        "version": 2,
        "digest": default_ruleset().digest,
        "engine": "native",
    }


def test_decisions_are_immutable() -> None:
    """A decision cannot be changed after it is made."""
    decision = decide(FLIGHTS, engine="native")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        decision.verdict = Verdict.OUTSOURCE  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        del decision.task  # type: ignore[misc]
    facts = decision.facts
    facts["skill"] = None
    assert decision.facts["skill"] is not None


def test_decision_equality_and_repr() -> None:
    """Equal inputs make equal decisions; the repr says verdict and rule."""
    one, two = decide(FLIGHTS, engine="native"), decide(FLIGHTS, engine="native")
    assert one == two
    assert hash(one) == hash(two)
    assert repr(one) == "<Decision 'Book flights': keep by low-frequency>"
    assert one != decide(Task(name="Book flights"), engine="native")


def test_decide_accepts_plain_data() -> None:
    """Mappings are turned into facts (validated) for convenience."""
    decision = decide({"name": "x", "only_owner": True}, {"hourly_rate": 10}, engine="native")
    assert decision.rule_id == "only-owner"
    assert decision.owner == Owner(hourly_rate=10)
    with pytest.raises(FactError, match="only_owner"):
        decide({"name": "x", "only_owner": "yes"}, engine="native")
    with pytest.raises(FactError, match="must be a Task"):
        decide(42, engine="native")  # type: ignore[arg-type]


def test_decide_all_and_decide_iter_agree_with_decide(engine: str) -> None:
    """Batch and streaming forms give the decisions of one-by-one calls, in order."""
    tasks = [FLIGHTS, Task(name="x", only_owner=True), Task(name="y", skill="none")]
    one_by_one = [decide(t, SALLY, engine=engine) for t in tasks]
    assert decide_all(tasks, SALLY, engine=engine) == one_by_one
    assert decide_all(iter(tasks), SALLY, engine=engine) == one_by_one
    stream = decide_iter(iter(tasks), SALLY, engine=engine)
    assert next(stream) == one_by_one[0]
    assert list(stream) == one_by_one[1:]


def test_engine_and_ruleset_choice() -> None:
    """The engine comes from the call, else the ruleset's preference, else the default."""
    ruleset = load_ruleset("default", engine="native")
    assert decide(FLIGHTS, ruleset=ruleset).engine == "native"
    assert decide(FLIGHTS, ruleset=ruleset, engine="native").provenance["engine"] == "native"
    with pytest.raises(ValueError, match="unknown engine"):
        decide(FLIGHTS, engine="drools")


def test_a_custom_ruleset_decides(engine: str) -> None:
    """Any valid ruleset can decide, including its own default verdict."""
    ruleset = load_ruleset("""
ruleset: eager
default: {verdict: outsource, because: Hand everything off.}
rules:
  - {id: mine, priority: 1, when: {category: {in: [sales, strategy]}}, then: keep,
     because: The owner sells.}
""")
    assert (
        decide(Task(name="a", category="sales"), ruleset=ruleset, engine=engine).rule_id == "mine"
    )
    other = decide(Task(name="b", category="filing"), ruleset=ruleset, engine=engine)
    assert (other.verdict, other.rule_id) == (Verdict.OUTSOURCE, None)
    assert other.because == "Hand everything off."


def test_decision_is_the_public_type() -> None:
    """Decide returns the Decision exported by the package."""
    assert isinstance(decide(FLIGHTS, engine="native"), Decision)


def test_a_check_says_the_condition_its_parameter_and_the_value_seen() -> None:
    """A check cites the parameter a threshold came from only when there is one."""
    from outsourcing_rules import Check

    cited = Check("times_per_year", "lt", 12, 3, "low_frequency_per_year")
    assert cited.describe() == "times_per_year less than 12 ($low_frequency_per_year): it is 3"
    plain = Check("enjoyment", "le", "dislike", "hate")
    assert plain.describe() == "enjoyment at most dislike: it is hate"
    assert "$" not in plain.describe()
    assert "()" not in plain.describe()


def test_a_check_and_a_match_as_data_keep_every_field_under_its_own_key() -> None:
    """Data out names fact, operator, expected and actual; the parameter only when there is one."""
    low, annoyance = decide(FLIGHTS, engine="native").matches
    assert low.checks[1].to_dict() == {
        "fact": "times_per_year",
        "op": "lt",
        "expected": 12,
        "actual": 3,
        "parameter": "low_frequency_per_year",
    }
    assert "parameter" not in low.checks[0].to_dict()
    assert annoyance.to_dict() == {
        "rule": "annoyance",
        "verdict": "outsource",
        "priority": 50,
        "because": default_ruleset().rule("annoyance").because,
        "checks": [{"fact": "enjoyment", "op": "le", "expected": "dislike", "actual": "dislike"}],
    }


def test_an_owner_of_the_wrong_type_is_refused_by_name() -> None:
    """Passing something that is neither an Owner nor a mapping names ``owner`` and the type."""
    with pytest.raises(FactError, match="must be an Owner or a mapping of facts, not int") as bad:
        decide(FLIGHTS, 7, engine="native")  # type: ignore[arg-type]
    assert bad.value.field == "owner"
    with pytest.raises(FactError, match="not list"):
        decide_all([FLIGHTS], [], engine="native")  # type: ignore[arg-type]


def test_decide_iter_validates_plain_data_tasks_and_uses_the_given_ruleset() -> None:
    """Mappings in a stream are validated into tasks; the ruleset given is the one that decides."""
    ruleset = load_ruleset("default", engine="native")
    (decision,) = decide_iter(
        [{"name": "x", "only_owner": True}], {"hourly_rate": 10}, ruleset=ruleset
    )
    assert decision.task == Task(name="x", only_owner=True)
    assert decision.owner == Owner(hourly_rate=10)
    assert decision.ruleset is ruleset
    (listed,) = decide_all([{"name": "x"}], ruleset=ruleset)
    assert listed.ruleset is ruleset
    with pytest.raises(FactError, match="only_owner"):
        list(decide_iter([{"name": "x", "only_owner": "yes"}], engine="native"))


def test_only_a_hand_off_talks_of_savings_and_only_a_kept_task_leaves_out_the_hours() -> None:
    """An eliminated task never "saves by handing it off"; a kept one is not weighed in hours."""
    task = Task(
        name="Old report",
        can_be_eliminated=True,
        times_per_year=52,
        hours_each=2,
        provider_hourly_rate=40,
    )
    eliminated = decide(task, SALLY, engine="native").explain()
    assert eliminated.startswith("Stop doing \u201cOld report\u201d altogether.")
    assert "saves" not in eliminated
    assert "2 hours a week" in eliminated
    kept = decide(
        Task(name="Pitch", only_owner=True, times_per_year=52, hours_each=2), SALLY, engine="native"
    ).explain()
    assert kept.startswith("Keep doing \u201cPitch\u201d yourself.")
    assert "saves" not in kept
    assert "hours a week" not in kept
    handed = decide(
        Task(name="Books", skill="none", times_per_year=52, hours_each=2, provider_hourly_rate=40),
        SALLY,
        engine="native",
    ).explain()
    assert "saves about $420 a week ($21,840 a year)" in handed
    assert "It takes you 2 hours a week." in handed
    assert "None" not in handed + kept + eliminated


def test_a_match_carries_the_role_its_rule_suggests() -> None:
    """The provider role of the rule that applied travels with the match."""
    ruleset = load_ruleset("""
ruleset: roles
default: {verdict: keep, because: Nothing says otherwise.}
rules:
  - {id: books, priority: 1, when: {skill: none}, then: outsource, because: A clerk does it.,
     role: bookkeeper}
""")
    (match,) = decide(Task(name="x", skill="none"), ruleset=ruleset, engine="native").matches
    assert match.role == "bookkeeper"


def test_the_default_verdict_is_named_in_the_repr_and_a_bad_task_by_field_and_value() -> None:
    """A decision no rule made says ``by default``; a task of the wrong type is named as such."""
    assert repr(decide(Task(name="x"), engine="native")) == "<Decision 'x': keep by default>"
    with pytest.raises(FactError, match="must be a Task or a mapping of facts, not int") as bad:
        decide(42, engine="native")  # type: ignore[arg-type]
    assert (bad.value.field, bad.value.value) == ("task", 42)
    with pytest.raises(FactError) as bad_owner:
        decide(FLIGHTS, 7, engine="native")  # type: ignore[arg-type]
    assert (bad_owner.value.field, bad_owner.value.value) == ("owner", 7)


def test_the_hours_are_rounded_to_a_tenth_and_the_explanation_is_whole() -> None:
    """A fraction of an hour is said to one decimal; the text starts with the verdict, no tail."""
    text = decide(
        Task(name="Books", skill="none", times_per_year=52, hours_each=1.26), engine="native"
    ).explain()
    assert text.startswith("Hand \u201cBooks\u201d off to a specialist.")
    assert text.endswith("It takes you 1.3 hours a week.")
    assert "1.26" not in text
    assert not text.endswith(" ")


def test_decide_iter_passes_the_owner_to_the_rules() -> None:
    """The owner's core competencies reach the engine when deciding a stream."""
    task = Task(name="Advise", category="consulting", skill="none")
    (decision,) = decide_iter([task], SALLY, engine="native")
    assert decision.rule_id == "core-competency"
