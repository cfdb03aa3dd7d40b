"""The owner's voice: ``Decision.explain()`` in plain sentences, never the rule author's words."""

from __future__ import annotations

import doctest
import functools
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from outsourcing_rules import (
    Decision,
    FactError,
    Owner,
    RulesetError,
    Task,
    decide,
    default_ruleset,
    load_ruleset,
)
from outsourcing_rules.cli import main
from outsourcing_rules.core.vocabulary import FACTS, OPERATORS
from outsourcing_rules.planning.inventory import read_inventory
from outsourcing_rules.planning.plans import Plan
from outsourcing_rules.quality.scenarios import load_scenarios
from outsourcing_rules.render.text import text_table, why

from _examples import COMPETENT_INVOICING, INVOICING, SALLY

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "outsourcing_rules" / "data" / "demo.yaml"


# --- what the owner must never read -----------------------------------------------------


@functools.cache
def _rule_ids() -> frozenset[str]:
    rulesets = [default_ruleset(), load_ruleset("default@1")]
    rulesets += [load_ruleset(p) for p in _example_rulesets()]
    return frozenset(rule_id for r in rulesets for rule_id in r.rule_ids)


def _example_rulesets() -> list[Path]:
    found = []
    for path in [*ROOT.glob("rulesets/examples/*.yaml"), *ROOT.glob("docs/examples/*.yaml")]:
        if path.name.endswith(".cases.yaml"):
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "ruleset" in data:
            found.append(path)
    return found


def forbidden(text: str, decision: Decision | None = None) -> list[str]:
    """Return every rule-author word in *text*: ids, priorities, fact names, parameters.

    The owner's own words (the task's category and labels) are allowed, even
    where an agency named a rule after one of them.
    """
    found = []
    own: set[str] = set()
    if decision is not None:
        own = {decision.task.category or "", *(decision.task.tags or ())}
    for rule_id in _rule_ids() - own:
        # One-word ids ("annoyance", "eliminate") are plain English; ids with a
        # hyphen are the author's names for rules.
        if "-" in rule_id and re.search(rf"(?<![\w-]){re.escape(rule_id)}(?![\w-])", text):
            found.append(rule_id)
    found += re.findall(r"\bpriorit(?:y|ies)\b", text, flags=re.IGNORECASE)
    found += re.findall(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b", text)
    found += [f for f in FACTS if "_" not in f and re.search(rf"\b{f}\s*[:=]", text)]
    found += re.findall(r"\$[A-Za-z_]", text)
    found += [word for word in OPERATORS.values() if word in text]
    found += re.findall(r"\b(?:None|True|False)\b", text)
    return found


def _demo_decisions() -> Iterator[Decision]:
    for example in yaml.safe_load(DEMO.read_text(encoding="utf-8")):
        owner = Owner.from_dict(example["owner"])
        for task in example["tasks"]:
            yield decide(Task.from_dict(task), owner, engine="native")


def _inventory_decisions() -> Iterator[Decision]:
    rulesets = [None, *(_example_rulesets())]
    for path in [*ROOT.glob("docs/examples/*.yaml"), *ROOT.glob("docs/examples/tasks.csv")]:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.suffix == ".yaml" else []
        if isinstance(data, dict) and ("ruleset" in data or "cases" in data):
            continue
        if path.suffix == ".yaml" and not isinstance(data, list | dict):
            continue
        try:
            inventory = read_inventory(path)
        except FactError:
            continue  # the file of mistakes is meant to fail
        for ruleset in rulesets:
            for task in inventory.tasks:
                yield decide(task, inventory.owner, ruleset=ruleset, engine="native")


def _case_decisions() -> Iterator[Decision]:
    for path in [*ROOT.glob("rulesets/examples/*.cases.yaml"), *ROOT.glob("docs/**/*.cases.yaml")]:
        scenarios = load_scenarios(path)
        ruleset = scenarios.load_ruleset()
        for case in scenarios.cases:
            yield decide(case.task, case.owner, ruleset=ruleset, engine="native")


def _tutorial_decisions() -> Iterator[Decision]:
    """Run the tutorial's examples and decide every task it builds for every owner it builds."""
    text = (ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8")
    namespace: dict[str, Any] = {}
    here = os.getcwd()
    os.chdir(ROOT / "docs")
    try:
        for example in doctest.DocTestParser().get_examples(text):
            try:
                exec(
                    compile(example.source, "<tutorial>", "single"), namespace
                )  # the docs' own code
            except Exception:
                continue
    finally:
        os.chdir(here)
    values = list(namespace.values())
    tasks = [v for v in values if isinstance(v, Task)]
    owners = [v for v in values if isinstance(v, Owner)] + [None]
    yield from (v for v in values if isinstance(v, Decision))
    for task in tasks:
        for owner in owners:
            yield decide(task, owner, engine="native")


SOURCES = {
    "demo": _demo_decisions,
    "examples": _inventory_decisions,
    "cases": _case_decisions,
    "tutorial": _tutorial_decisions,
}


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_no_author_words_reach_the_owner(source: str) -> None:
    """Every decision of the demo, the tutorial and the examples is told without engine words."""
    seen = 0
    for decision in SOURCES[source]():
        text = decision.explain()
        assert forbidden(text, decision) == [], text
        seen += 1
    assert seen >= 5


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_no_author_words_in_the_table_or_the_hire_lines(source: str) -> None:
    """The decide/demo table's "Why" column and the plan's hire lines speak to the owner too."""
    decisions = list(SOURCES[source]())
    for decision in decisions:
        why_text = why(decision)
        assert why_text, decision.task.name
        assert forbidden(why_text, decision) == [], why_text
        for line in text_table([decision]).splitlines()[2:]:
            cell = line[line.index("  ") :]  # the task's own name left out
            assert forbidden(cell, decision) == [], line
    made = Plan.from_decisions(decisions)
    for hire in made.hires:
        assert forbidden(hire.describe()) == [], hire.describe()
    assert forbidden(made.summary().split("\n", 1)[0]) == []


def test_the_demo_command_speaks_to_the_owner(capsys: pytest.CaptureFixture[str]) -> None:
    """``outsourcing-rules demo``: every line of its tables is free of the author's words."""
    code = main(["demo", "--engine", "native"])
    out = capsys.readouterr().out
    assert code == 0
    assert forbidden(out) == [], out
    assert "It is the heart of your business." in out
    assert "$260 once" in out
    assert "$260 a year" not in out


@pytest.mark.parametrize(
    "args",
    [
        ["video-editor.yaml"],
        ["video-editor.yaml", "--ruleset", "va-practice.yaml"],
        ["tasks.csv", "--owner", "owner.yaml"],
    ],
)
def test_the_decide_command_speaks_to_the_owner(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """``decide`` on the docs' inventories: the table and the plan in the owner's words."""
    folder = ROOT / "docs" / "examples"
    code = main(["decide", *(str(folder / a) if "." in a else a for a in args)])
    out = capsys.readouterr().out
    assert code == 0
    assert forbidden(out) == [], out
    assert out.splitlines()[0].split() == ["Task", "Verdict", "Why", "Saving"]


def test_the_table_wraps_the_reason_between_words() -> None:
    """A long reason runs over lines cut between words, never with an ellipsis."""
    task = Task(name="Book flights", times_per_year=3, hours_each=1, enjoyment="dislike")
    decision = decide(task, engine="native")
    lines = text_table([decision], width=20).splitlines()
    column = lines[0].index("Why")
    cells = [line[column:].strip() for line in lines[2:]]
    assert len(cells) > 1
    assert all(len(cell) <= 20 for cell in cells)
    assert " ".join(cells) == why(decision)
    assert "…" not in "\n".join(lines)
    assert all(not line[:column].strip() for line in lines[3:])  # continuation lines
    assert "low-frequency" in text_table([decision], trace=True)  # the author's view on request
    with pytest.raises(ValueError, match="width"):
        text_table([decision], width=3)


def test_the_scan_finds_what_it_looks_for() -> None:
    """The scan itself: the author's trace is full of what the owner's text must avoid."""
    decision = decide(Task(name="Book flights", times_per_year=3, enjoyment="dislike"))
    found = forbidden(decision.trace())
    assert "low-frequency" in found
    assert "priority" in found
    assert "times_per_year" in found
    assert "$l" in found


# --- what the owner must read -----------------------------------------------------------


def test_the_verdict_reason_and_facts_in_words() -> None:
    """Sally's invoicing: the verdict, the ratio as words, the reason, the saving a week."""
    text = decide(COMPETENT_INVOICING, SALLY, engine="native").explain()
    assert text.startswith("Hand \u201cClient invoicing\u201d off to a bookkeeper.")
    assert "your hour is worth 6.7 times the bookkeeper's" in text.lower()
    assert "saves about $850 a week ($44,200 a year)" in text
    assert "6.666" not in text
    assert "rate" not in text


def test_a_rare_task_says_how_rare_and_what_lost() -> None:
    """Flights three times a year: kept for rarity, and the dislike is said to count for less."""
    task = Task(name="Book flights", times_per_year=3, hours_each=1, enjoyment="dislike")
    text = decide(task, engine="native").explain()
    assert text.startswith("Keep doing \u201cBook flights\u201d yourself.")
    assert "you do it only 3 times a year" in text.lower()
    assert "it takes only 3 hours a year in all" in text
    assert "you dislike it: a reason to hand it off, but the reason above weighs more" in text
    assert "saves" not in text


def test_one_hour_is_singular() -> None:
    """Plurals are right: 1 hour, once a year."""
    task = Task(name="Tax papers", times_per_year=1, hours_each=1, enjoyment="hate")
    text = decide(task, engine="native").explain()
    assert "only once a year" in text
    assert "only 1 hour a year" in text
    assert "1 hours" not in text
    assert "1 times" not in text


def test_a_negative_saving_is_said_as_a_cost() -> None:
    """A provider dearer than the owner: the hand-off costs more, never 'saves -$20'."""
    owner = Owner(hourly_rate=60)
    task = Task(
        name="Sort the post",
        times_per_year=52,
        hours_each=1,
        enjoyment="dislike",
        provider_hourly_rate=80,
    )
    text = decide(task, owner, engine="native").explain()
    assert "costs about $20 a week more ($1,040 a year)" in text
    assert "-$" not in text
    assert "saves" not in text


def test_a_one_off_is_told_in_one_time_hours_and_money() -> None:
    """A one-off project: its hours and saving once, never per week or per year."""
    owner = Owner(hourly_rate=100)
    task = Task(
        name="Build the booking page",
        category="website",
        one_off=True,
        hours_each=300,
        skill="competent",
        enjoyment="dislike",
        provider_hourly_rate=40,
    )
    text = decide(task, owner, engine="native").explain()
    assert "300 hours" in text
    assert "saves about $18,000 in all" in text
    assert "a week" not in text
    assert "a year" not in text


@pytest.mark.parametrize(
    "facts",
    [
        {
            "name": "Weekly report",
            "times_per_year": 52,
            "hours_each": 1,
            "can_be_eliminated": True,
            "repetitive": True,
            "provider_hourly_rate": 20,
        },
        {
            "name": "Book flights",
            "times_per_year": 3,
            "hours_each": 1,
            "enjoyment": "hate",
            "provider_hourly_rate": 20,
        },
        {
            "name": "Coach clients",
            "category": "consulting",
            "times_per_year": 100,
            "hours_each": 2,
            "provider_hourly_rate": 20,
        },
    ],
    ids=["eliminated", "kept-rare", "kept-core"],
)
def test_eliminated_or_kept_never_says_a_hand_off_saves(facts: dict[str, Any]) -> None:
    """Only a task handed off is told what handing it off saves."""
    text = decide(Task.from_dict(facts), SALLY, engine="native").explain()
    assert "handing it off saves" not in text.lower()
    assert "saves about" not in text


def test_eliminated_says_the_time_it_frees() -> None:
    """A dropped task says what dropping it frees, and that other reasons lost to it."""
    task = Task(
        name="Weekly report",
        times_per_year=52,
        hours_each=1,
        can_be_eliminated=True,
        repetitive=True,
    )
    text = decide(task, engine="native").explain()
    assert text.startswith("Stop doing \u201cWeekly report\u201d altogether.")
    assert "Dropping it frees 1 hour a week." in text
    assert "reasons to hand it off, but the reason above weighs more" in text


def test_kept_for_no_reason_says_what_the_rates_imply() -> None:
    """No reason either way: the owner keeps it, and hears the saving and the ratio."""
    task = Task(
        name="Monthly bookkeeping",
        category="bookkeeping",
        times_per_year=12,
        hours_each=3,
        skill="competent",
        enjoyment="neutral",
        time_available=True,
        provider_hourly_rate=40,
    )
    text = decide(task, Owner(hourly_rate=60), engine="native").explain()
    assert (
        "Handing it off would save about $720 a year, but your hour is worth only 1.5 times "
        "the bookkeeper's." in text
    )
    assert "Nothing here argues" in text


def test_a_losing_rule_that_agrees_says_so() -> None:
    """A lower rule with the same verdict is 'pointing the same way', not 'on the other side'."""
    text = decide(COMPETENT_INVOICING, SALLY, engine="native").explain()
    assert "Also pointing the same way: it takes 4 hours a week" in text
    assert "other side" not in text
    assert "weighs more" not in text


def test_a_tie_in_priority_is_just_as_strong() -> None:
    """Two rules of one priority (one verdict): the second is 'just as strong', not weaker."""
    ruleset = load_ruleset(
        """
        ruleset: tie
        default: {verdict: keep, because: Nothing says otherwise.}
        rules:
          - {id: hated, priority: 5, when: {enjoyment: hate}, then: outsource,
             because: You hate it.}
          - {id: no-time, priority: 5, when: {time_available: false}, then: outsource,
             because: You never get to it.}
        """
    )
    task = Task(name="Chase invoices", enjoyment="hate", time_available=False)
    text = decide(task, ruleset=ruleset, engine="native").explain()
    assert "You have no time for it: just as strong a reason to hand it off." in text
    assert "weighs more" not in text
    assert "same way" not in text


def test_money_in_the_owners_currency_and_locale() -> None:
    """An agency in London: pounds, written as en_GB writes them; in Germany, euros after."""
    task = INVOICING
    london = Owner(hourly_rate=250, currency="GBP", locale="en_GB")
    assert "saves about £850 a week (£44,200 a year)" in decide(task, london).explain()
    berlin = Owner(hourly_rate=250, currency="EUR", locale="de_DE")
    assert "saves about 850\xa0€ a week (44.200\xa0€ a year)" in decide(task, berlin).explain()


@pytest.mark.parametrize(
    ("field", "value", "close"),
    [
        ("currency", "GPB", "GBP"),
        ("currency", "usd", "USD"),
        ("locale", "en_UK", "en_GB"),
        ("locale", "en-GB", "en_GB"),
    ],
)
def test_unknown_currency_or_locale_names_close_matches(field: str, value: str, close: str) -> None:
    """A currency or locale Babel does not know is a FactError naming the close ones."""
    with pytest.raises(FactError) as caught:
        Owner.from_dict({field: value})
    assert caught.value.field == field
    assert close in str(caught.value)
    assert caught.value.suggestion == close


# --- phrases a ruleset gives ------------------------------------------------------------


def test_the_default_ruleset_gives_a_phrase_for_every_fact_it_tests() -> None:
    """Every rule of the default ruleset words every fact its condition tests."""
    from outsourcing_rules.core.conditions import atoms

    for rule in default_ruleset().rules:
        tested = {atom.fact for atom in atoms(rule.when)}
        assert tested == set(dict(rule.say)), rule.id


def test_an_agency_rule_without_phrases_still_reads_as_a_sentence() -> None:
    """An agency rule gives no phrases: the generated ones read as words, not as conditions."""
    ruleset = load_ruleset(
        """
        ruleset: agency
        extends: default
        rules:
          - id: inbox-work
            priority: 45
            when:
              all:
                - {category: {in: [email, calendar]}}
                - {times_per_year: {ge: 26}}
                - {hours_each: {lt: 2}}
            then: outsource
            because: We staff a steady slice of inbox work.
        """
    )
    task = Task(name="Clear the inbox", category="email", times_per_year=250, hours_each=0.5)
    text = decide(task, ruleset=ruleset, engine="native").explain()
    assert (
        "It is email work, you do it 250 times a year and it takes only 0.5 hours each time."
        in text
    )
    assert forbidden(text) == []


def test_a_rule_phrase_shows_fact_values_in_words() -> None:
    """``{fact}`` in a phrase is the value in words; ``{provider}`` the role."""
    ruleset = load_ruleset(
        """
        ruleset: phrased
        default: {verdict: keep, because: Nothing says otherwise.}
        roles: {invoicing: bookkeeper}
        rules:
          - id: dear-hour
            priority: 1
            when: {rate_ratio: {ge: 3}}
            then: outsource
            because: Your time is dear.
            say:
              rate_ratio: "an hour of yours buys {rate_ratio} of the {provider}'s"
        """
    )
    task = Task(name="Invoicing", category="invoicing", provider_hourly_rate=40)
    text = decide(task, Owner(hourly_rate=250), ruleset=ruleset, engine="native").explain()
    assert "An hour of yours buys 6.2 of the bookkeeper's. Your time is dear." in text


@pytest.mark.parametrize(
    ("say", "message"),
    [
        ("{tim_per_year: you do it often}", "unknown fact 'tim_per_year'"),
        ("{times_per_year: 'every {frequency} weeks'}", "unknown fact {frequency}"),
        ("{enjoyment: you mind it}", "which this rule does not test"),
        ("{times_per_year: '{times_per_year:.2f} a year'}", "with a format"),
    ],
)
def test_a_bad_phrase_is_a_located_error(tmp_path: Path, say: str, message: str) -> None:
    """A phrase naming an unknown fact (as key or inside braces) fails loading, with its line."""
    path = tmp_path / "agency.yaml"
    path.write_text(
        "ruleset: agency\n"
        "extends: default\n"
        "rules:\n"
        "  - id: often\n"
        "    priority: 45\n"
        "    when: {times_per_year: {ge: 26}}\n"
        "    then: outsource\n"
        "    because: Often.\n"
        f"    say: {say}\n",
        encoding="utf-8",
    )
    with pytest.raises(RulesetError) as caught:
        load_ruleset(path)
    problem = caught.value.problems[0]
    assert message in problem.message
    assert problem.line == 9
    assert problem.path == str(path)
    assert problem.key.startswith("rules[0].say.")
