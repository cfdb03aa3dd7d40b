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

SALLY = Owner(name="Sally", hourly_rate=250, core_competencies={"consulting"})
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
    assert decision.matched_rule_ids == ("eliminate", "annoyance", "repetitive")
    assert [m.priority for m in decision.matches] == [85, 50, 30]
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
    ]
    assert low.checks[1].parameter == "low_frequency_per_year"
    assert [(c.fact, c.actual) for c in annoyance.checks] == [("enjoyment", FLIGHTS.enjoyment)]


def test_explain_says_who_won_and_why_the_others_lost(engine: str) -> None:
    """The explanation names the winner, its reason, and why the loser lost."""
    text = decide(FLIGHTS, engine=engine).explain()
    assert text.startswith("Keep 'Book flights': rule low-frequency decides (priority 60)")
    assert "times_per_year less than 12" in text
    assert "annoyance would outsource" in text
    assert "priority 50 is below low-frequency's 60" in text


def test_explain_the_default(engine: str) -> None:
    """With no match, the explanation says the default decided and why."""
    text = decide(Task(name="x"), engine=engine).explain()
    assert "no rule of ruleset 'default' applied" in text
    assert default_ruleset().default_because in text


def test_explain_gives_the_money_for_a_hand_off(engine: str) -> None:
    """Sally's invoicing: the explanation quotes the saving per year and per week."""
    task = Task(name="Client invoicing", times_per_year=52, hours_each=4, provider_hourly_rate=37.5)
    text = decide(task, SALLY, engine=engine).explain()
    assert "$44,200 a year ($850 a week)" in text


def test_economics(engine: str) -> None:
    """Economics per year and week, None where a fact is missing."""
    task = Task(name="t", times_per_year=52, hours_each=2, provider_hourly_rate=40)
    known = decide(task, SALLY, engine=engine).economics
    assert (known.hours_per_year, known.hours_per_week) == (104, 2)
    assert (known.owner_cost_per_year, known.provider_cost_per_year) == (26_000, 4_160)
    assert known.saving_per_year == 21_840
    unknown = decide(task, None, engine=engine).economics
    assert unknown.owner_cost_per_year is None
    assert unknown.saving_per_year is None
    assert unknown.provider_cost_per_year == 4_160


def test_to_dict_is_json_with_stable_keys(engine: str) -> None:
    """to_dict is JSON-serialisable with the documented keys; losers say why they lost."""
    data = decide(FLIGHTS, engine=engine).to_dict()
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
        "version": 1,
        "digest": default_ruleset().digest,
        "engine": engine,
    }


def test_decisions_are_immutable(engine: str) -> None:
    """A decision cannot be changed after it is made."""
    decision = decide(FLIGHTS, engine=engine)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        decision.verdict = Verdict.OUTSOURCE  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        del decision.task  # type: ignore[misc]
    facts = decision.facts
    facts["skill"] = None
    assert decision.facts["skill"] is not None


def test_decision_equality_and_repr(engine: str) -> None:
    """Equal inputs make equal decisions; the repr says verdict and rule."""
    one, two = decide(FLIGHTS, engine=engine), decide(FLIGHTS, engine=engine)
    assert one == two
    assert hash(one) == hash(two)
    assert repr(one) == "<Decision 'Book flights': keep by low-frequency>"
    assert one != decide(Task(name="Book flights"), engine=engine)


def test_decide_accepts_plain_data(engine: str) -> None:
    """Mappings are turned into facts (validated) for convenience."""
    decision = decide({"name": "x", "only_owner": True}, {"hourly_rate": 10}, engine=engine)
    assert decision.rule_id == "only-owner"
    assert decision.owner == Owner(hourly_rate=10)
    with pytest.raises(FactError, match="only_owner"):
        decide({"name": "x", "only_owner": "yes"}, engine=engine)
    with pytest.raises(FactError, match="must be a Task"):
        decide(42, engine=engine)  # type: ignore[arg-type]


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


def test_decision_is_the_public_type(engine: str) -> None:
    """Decide returns the Decision exported by the package."""
    assert isinstance(decide(FLIGHTS, engine=engine), Decision)
