"""The owner's words for one fact, one check and one provider, exactly.

tests/test_voice.py reads whole explanations; these call the pieces of
:mod:`outsourcing_rules.explain.voice` directly and pin each phrase word for
word: a check is said from its value (with "only" below a threshold), money
in the owner's currency, the provider by the role the task calls for, and no
fact name, operator or raw number the owner would not write.
"""

from __future__ import annotations

from typing import Any

import pytest

from outsourcing_rules import Check, Decision, Enjoyment, Owner, Skill, Task, decide, load_ruleset
from outsourcing_rules.explain.voice import (
    fact_words,
    generated_phrase,
    provider_role,
    short_reason,
)

PLAIN = "plain"  # no owner, no category: dollars, "a provider"
POUNDS = "pounds"  # a design task for an owner paid in pounds: "a designer", "£"
TAXES = "taxes"  # a taxes task: "an accountant"
ONE_OFF = "one_off"


def _decision(kind: str) -> Decision:
    if kind == POUNDS:
        return decide(Task(name="Logo", category="design"), Owner(currency="GBP", locale="en_GB"))
    if kind == TAXES:
        return decide(Task(name="Returns", category="taxes"))
    if kind == ONE_OFF:
        return decide(Task(name="Move", one_off=True, hours_each=3))
    return decide(Task(name="Chore"))


@pytest.mark.parametrize(
    ("kind", "check", "said"),
    [
        (PLAIN, Check("times_per_year", "lt", 12, 3), "you do it only 3 times a year"),
        (PLAIN, Check("times_per_year", "le", 12, 12), "you do it only 12 times a year"),
        (PLAIN, Check("times_per_year", "ge", 12, 52), "you do it 52 times a year"),
        (PLAIN, Check("times_per_year", "gt", 12, 1), "you do it once a year"),
        (PLAIN, Check("hours_each", "le", 1, 0.5), "it takes only 0.5 hours each time"),
        (ONE_OFF, Check("hours_each", "ge", 1, 3), "it takes 3 hours"),
        (PLAIN, Check("hours_per_year", "ge", 1, 200), "it takes 200 hours a year in all"),
        (PLAIN, Check("hours_per_week", "gt", 1, 4), "it takes 4 hours a week"),
        (
            PLAIN,
            Check("rate_ratio", "lt", 2, 1.5),
            "your hour is worth only 1.5 times the provider's",
        ),
        (
            TAXES,
            Check("rate_ratio", "ge", 2, 6.666),
            "your hour is worth 6.7 times the accountant's",
        ),
        (POUNDS, Check("owner_hourly_rate", "ge", 2, 250), "your hour is worth £250"),
        (
            TAXES,
            Check("provider_hourly_rate", "le", 50, 40),
            "an accountant charges only $40 an hour",
        ),
        (POUNDS, Check("provider_hourly_rate", "gt", 50, 60), "a designer charges £60 an hour"),
        (
            PLAIN,
            Check("owner_cost_per_year", "ge", 2, 12000),
            "your own hours on it are worth $12,000 a year",
        ),
        (
            POUNDS,
            Check("provider_cost_per_year", "le", 2, 1200),
            "a designer would charge only £1,200 a year",
        ),
        (
            TAXES,
            Check("provider_cost_per_year", "gt", 2, 900),
            "an accountant would charge $900 a year",
        ),
        (PLAIN, Check("saving_per_year", "ge", 2, 1200), "handing it off would save $1,200 a year"),
        (POUNDS, Check("saving_per_week", "ge", 2, 30), "handing it off would save £30 a week"),
        (
            POUNDS,
            Check("saving_per_week", "lt", 0, -25),
            "handing it off would cost £25 a week more",
        ),
        (PLAIN, Check("saving_per_year", "ge", 0, 0), "handing it off would save $0 a year"),
        (PLAIN, Check("saving_per_year", "ge", 0, 0.5), "handing it off would save $0 a year"),
        (
            PLAIN,
            Check("saving_per_year", "lt", 0, -700),
            "handing it off would cost $700 a year more",
        ),
        (PLAIN, Check("category", "eq", "design", "design"), "it is design work"),
        (
            PLAIN,
            Check("tags", "in", frozenset({"a", "b"}), frozenset({"b", "c", "a"})),
            "it is marked a and b",
        ),
        (
            PLAIN,
            Check("tags", "not_in", frozenset({"a", "b"}), frozenset({"c"})),
            "it is marked none of a and b",
        ),
        (PLAIN, Check("skill", "le", Skill.BASIC, Skill.BASIC), "your skill at it is basic"),
        (PLAIN, Check("skill", "eq", Skill.NONE, Skill.NONE), "you have no skill at it"),
        (PLAIN, Check("enjoyment", "le", Enjoyment.DISLIKE, Enjoyment.HATE), "you hate it"),
        (PLAIN, Check("enjoyment", "ge", Enjoyment.LIKE, Enjoyment.LOVE), "you love it"),
        (PLAIN, Check("only_owner", "eq", True, True), "only you can do it"),
        (PLAIN, Check("only_owner", "eq", False, False), "someone else could do it"),
        (PLAIN, Check("one_off", "eq", True, True), "it is a one-off project"),
        (PLAIN, Check("recurring", "eq", True, True), "it recurs"),
    ],
)
def test_a_check_that_held_is_said_from_its_value(kind: str, check: Check, said: str) -> None:
    """The phrase for a check without the rule's own words: the value in words, no fact name.

    (No ``_`` means no fact name such as ``times_per_year`` and no ``$parameter``.)
    """
    phrase = generated_phrase(check, _decision(kind))
    assert phrase == said
    assert not any(sign in phrase for sign in ("<", ">", "=", "_", "$$"))


@pytest.mark.parametrize(
    ("fact", "value", "said"),
    [
        ("hours_each", None, "not known"),
        ("times_per_year", 1, "once"),
        ("times_per_year", 40, "40 times"),
        ("hours_each", 1, "1 hour"),
        ("hours_per_year", 2.5, "2.5 hours"),
        ("saving_per_year", 1000, "£1,000"),
        ("provider_hourly_rate", 35, "£35"),
        ("repetitive", True, "yes"),
        ("repetitive", False, "no"),
        ("skill", Skill.NONE, "no"),
        ("skill", Skill.EXPERT, "expert"),
        ("enjoyment", Enjoyment.LOVE, "love"),
        ("rate_ratio", 6.666, "6.7"),
        ("rate_ratio", 2, "2"),
        ("tags", frozenset({"b", "a", "c"}), "a, b and c"),
        ("category", "a\x1bb", "a\\x1bb"),
        ("category", "design", "design"),
    ],
)
def test_a_fact_is_said_in_words_as_a_phrase_shows_it(fact: str, value: Any, said: str) -> None:
    """``{fact}`` in a ruleset's phrase: counts, hours, money in the owner's currency, levels."""
    assert fact_words(fact, value, _decision(POUNDS)) == said


def test_the_provider_is_named_by_the_tasks_category_then_the_rule_then_plainly() -> None:
    """The ruleset's role for the category wins; then the rule's role; else "provider"."""
    assert provider_role(_decision(POUNDS)) == "designer"
    assert provider_role(_decision(TAXES)) == "accountant"
    assert provider_role(_decision(PLAIN)) == "provider"
    busy = decide(
        Task(name="Inbox", times_per_year=250, hours_each=1, time_available=False),
        Owner(hourly_rate=100),
    )
    assert busy.rule is not None
    assert busy.rule.role
    assert provider_role(busy) == busy.rule.role
    assert provider_role(_decision(PLAIN), busy.rule) == busy.rule.role
    assert provider_role(_decision(TAXES), busy.rule) == "accountant"


KEPT = {
    "times_per_year": 12,
    "hours_each": 1,
    "skill": "expert",
    "enjoyment": "like",
    "time_available": True,
    "repetitive": False,
    "provider_hourly_rate": 50,
}
NO_REASON = "Nothing here argues for handing the task off or dropping it."


SAVE = "Handing it off would save about "
WORTH = "your hour is worth only "
WEEK_LONG = {"times_per_year": 52, "hours_each": 2}
NO_HOURS = {"times_per_year": None, "hours_each": None}


@pytest.mark.parametrize(
    ("facts", "owner_rate", "last"),
    [
        ({}, 60, f"{SAVE}$120 a year, but {WORTH}1.2 times the provider's."),
        ({}, 50.1, f"{SAVE}$1 a year, but {WORTH}1 times the provider's."),
        (
            {},
            50,
            "Handing it off would cost about the same as your own time: "
            f"{WORTH}1 times the provider's.",
        ),
        (
            {},
            40,
            "Handing it off would cost about $120 a year more: "
            "the provider's hour costs more than yours.",
        ),
        (WEEK_LONG, 60, f"{SAVE}$20 a week, but {WORTH}1.2 times the provider's."),
        (NO_HOURS, 60, "Your hour is worth only 1.2 times the provider's."),
        (NO_HOURS, 50, "Your hour is worth only 1 times the provider's."),
        (NO_HOURS, 40, "The provider's hour costs more than yours."),
    ],
)
def test_a_task_kept_for_no_reason_says_what_the_rates_imply(
    facts: dict[str, Any], owner_rate: float, last: str
) -> None:
    """No rule decided: the owner still reads what handing it off would save or cost, and why."""
    task = Task(name="Filing", **{**KEPT, **facts})
    decision = decide(task, Owner(hourly_rate=owner_rate))
    assert decision.rule is None
    text = decision.explain()
    assert text == f"Keep doing \u201cFiling\u201d yourself. {NO_REASON} {last}"
    assert short_reason(decision) == NO_REASON


def test_a_task_kept_with_no_rates_says_nothing_of_money() -> None:
    """Without both rates there is nothing to imply: no saving, no cost, no comparison."""
    decision = decide(Task(name="Filing", **{**KEPT, "provider_hourly_rate": None}))
    assert decision.explain() == f"Keep doing \u201cFiling\u201d yourself. {NO_REASON}"


def test_the_short_reason_is_the_deciding_checks_in_words_not_the_rules_because() -> None:
    """A table's reason: the checks that decided, as a sentence; the rule's own text only after."""
    decision = decide(Task(name="Flights", times_per_year=3, enjoyment="dislike"))
    assert decision.rule is not None
    reason = short_reason(decision)
    assert reason == (
        "You do it only 3 times a year and you have not said how long it takes,"
        " so it counts as light."
    )
    assert decision.rule.because not in reason
    assert decision.rule.id not in reason


def test_the_short_reason_falls_back_to_the_because_when_the_checks_say_nothing() -> None:
    """A rule whose phrase for its one check is blank is told by its ``because``."""
    ruleset = load_ruleset(
        """
ruleset: blank
default: {verdict: keep, because: Keep.}
rules:
  - {id: dull, priority: 1, when: {repetitive: true}, then: outsource,
     because: it is dull, say: {repetitive: " "}}
"""
    )
    decision = decide(Task(name="Filing", repetitive=True), ruleset=ruleset)
    assert short_reason(decision) == "It is dull."
    assert decision.explain() == "Hand \u201cFiling\u201d off to a provider. It is dull."


VOICE = """
ruleset: voice
default: {verdict: keep, because: Keep.}
rules:
  - {id: top, priority: 9, when: {repetitive: true}, then: outsource, because: Dull.}
  - {id: tie1, priority: 9, when: {enjoyment: hate}, then: outsource, because: Hated.}
  - {id: tie2, priority: 9, when: {time_available: false}, then: outsource, because: Busy.}
  - {id: same1, priority: 5, when: {all: [{hours_each: {ge: 1, le: 5}}, {only_owner: false}]},
     then: outsource, because: Small.}
  - {id: same2, priority: 4, when: {outcome_defined: true}, then: outsource, because: Clear.}
  - {id: quiet, priority: 3, when: {procedure_documented: true}, then: outsource,
     because: Written., say: {procedure_documented: ""}}
  - {id: gone, priority: 2, when: {can_be_eliminated: true}, then: eliminate,
     because: Not needed by Company X}
"""


@pytest.mark.parametrize(
    ("facts", "owner_rate", "said"),
    [
        (
            {
                "repetitive": True,
                "enjoyment": "hate",
                "time_available": False,
                "hours_each": 2,
                "only_owner": False,
                "outcome_defined": True,
                "procedure_documented": True,
                "times_per_year": 12,
            },
            None,
            "Hand \u201cT\u201d off to a provider. It is the same routine every time. Dull."
            " You hate it; you have no time for it: just as strong a reason to hand it off."
            " Also pointing the same way: it takes 2 hours each time and someone else could do"
            " it; the result you want is defined; its procedure is written down.",
        ),
        (
            {"procedure_documented": True},
            None,
            "Hand \u201cT\u201d off to a provider. Its procedure is written down. Written.",
        ),
        (
            {"can_be_eliminated": True, "one_off": True, "hours_each": 3},
            None,
            "Stop doing \u201cT\u201d altogether. It could be dropped without anyone missing it."
            " Not needed by Company X. Dropping it frees 3 hours.",
        ),
        (
            {"can_be_eliminated": True, "times_per_year": 4, "hours_each": 3},
            None,
            "Stop doing \u201cT\u201d altogether. It could be dropped without anyone missing it."
            " Not needed by Company X. Dropping it frees 12 hours a year.",
        ),
        (
            {"repetitive": True, "one_off": True, "hours_each": 10},
            None,
            "Hand \u201cT\u201d off to a provider. It is the same routine every time. Dull."
            " It is a one-off project of 10 hours.",
        ),
        (
            {"repetitive": True, "times_per_year": 1, "hours_each": 1, "provider_hourly_rate": 50},
            51,
            "Hand \u201cT\u201d off to a provider. It is the same routine every time. Dull."
            " It takes you 1 hour a year. Handing it off saves about $1 a year.",
        ),
    ],
)
def test_the_owners_account_word_for_word(
    facts: dict[str, Any], owner_rate: float | None, said: str
) -> None:
    """The owner's account, exactly, for each way it can be put together.

    Ties and agreeing rules joined by ``; ``, a silenced check still said when
    nothing else is, one phrase per fact, the hours a one-off frees or a chore
    takes, a one-dollar saving, a full stop after a reason ending in a capital.
    """
    owner = None if owner_rate is None else Owner(hourly_rate=owner_rate)
    decision = decide(Task(name="T", **facts), owner, ruleset=load_ruleset(VOICE))
    assert decision.explain() == said
    assert "XX" not in decision.explain()


def test_a_task_kept_by_a_rule_says_nothing_of_the_rates() -> None:
    """Kept because it is rare: the reason, not what handing it off would save."""
    task = Task(
        name="D",
        provider_hourly_rate=50,
        times_per_year=1,
        hours_each=2,
        skill="expert",
        enjoyment="like",
    )
    decision = decide(task, Owner(hourly_rate=60))
    assert decision.rule is not None
    text = decision.explain()
    assert text.startswith("Keep doing \u201cD\u201d yourself. You do it only once a year")
    assert "Handing it off" not in text
    assert "handing it off would" not in text


def test_a_losing_rules_phrase_names_its_own_provider() -> None:
    """``{provider}`` in a phrase is the role of the rule that says it, not of the winner."""
    ruleset = load_ruleset("""
ruleset: roles
default: {verdict: keep, because: Keep.}
rules:
  - {id: top, priority: 9, when: {enjoyment: hate}, then: outsource, role: gofer,
     because: Hated.}
  - {id: dull, priority: 5, when: {repetitive: true}, then: outsource, role: clerk,
     because: Dull., say: {repetitive: "a {provider} could do it"}}
""")
    decision = decide(Task(name="T", enjoyment="hate", repetitive=True), ruleset=ruleset)
    text = decision.explain()
    assert text.endswith("Also pointing the same way: a clerk could do it.")
    assert "gofer could do it" not in text
