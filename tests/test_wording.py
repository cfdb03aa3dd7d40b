"""How a change is said: the rule author's condition and the owner's advice, word for word.

The counterfactual tests check the wording of whole searches; these call
:mod:`outsourcing_rules.explain.wording` directly, one change at a time, and
pin each sentence exactly: what must be said, and (for the owner) that no
fact name, operator or stray character is.
"""

from __future__ import annotations

from typing import Any

import pytest

from outsourcing_rules.core.facts import Enjoyment, Skill, Verdict
from outsourcing_rules.explain.wording import Span, advice, condition, consequence, controlled

WORTH = ", it would be worth handing off."
NONE_TO_BASIC = Span(Skill.NONE, Skill.BASIC, lowest=True, highest=False)
NEUTRAL_TO_LIKE = Span(Enjoyment.NEUTRAL, Enjoyment.LIKE, lowest=False, highest=False)


def _one(name: str, value: Any, previous: Any = None, span: Span | None = None) -> str:
    spans = {} if span is None else {name: span}
    return condition({name: value}, {name: previous}, spans)


def _owner(
    name: str,
    value: Any,
    previous: Any = None,
    span: Span | None = None,
    verdict: Verdict = Verdict.OUTSOURCE,
) -> str:
    spans = {} if span is None else {name: span}
    return advice({name: value}, {name: previous}, spans, verdict)


def test_the_consequence_names_the_verdict() -> None:
    """The author's consequence is the verdict in the passive."""
    assert consequence(Verdict.KEEP) == "would be kept"
    assert consequence(Verdict.OUTSOURCE) == "would be outsourced"
    assert consequence(Verdict.ELIMINATE) == "would be eliminated"


@pytest.mark.parametrize(
    ("name", "value", "previous", "span", "theirs"),
    [
        ("procedure_documented", True, False, None, True),
        ("procedure_documented", False, True, None, False),
        ("outcome_defined", True, None, None, True),
        ("time_available", True, False, None, True),
        ("time_available", False, True, None, False),
        ("provider_hourly_rate", 50, 60, None, True),
        ("provider_hourly_rate", 60, 60, None, False),
        ("provider_hourly_rate", 70, 60, None, False),
        ("provider_hourly_rate", 50, None, Span(0.01, 50, lowest=True, highest=False), True),
        ("provider_hourly_rate", 50, None, Span(50, 900, lowest=False, highest=True), False),
        ("provider_hourly_rate", 50, None, Span(0.01, 900, lowest=True, highest=True), False),
        ("provider_hourly_rate", 50, None, None, False),
        ("skill", Skill.BASIC, Skill.EXPERT, None, False),
        ("times_per_year", 12, 3, None, False),
    ],
)
def test_only_steps_the_owner_can_take_count_as_theirs(
    name: str, value: Any, previous: Any, span: Span | None, theirs: bool
) -> None:
    """Writing down, defining, making time, and a cheaper provider; never a circumstance."""
    assert controlled(name, value, previous, span) is theirs


@pytest.mark.parametrize(
    ("name", "value", "previous", "span", "said"),
    [
        ("core_competency", True, None, None, "if it were a core competency"),
        ("core_competency", False, None, None, "if it were not a core competency"),
        ("one_off", False, True, None, "if it were a recurring task"),
        ("times_per_year", 1, None, None, "if it came up once a year"),
        ("times_per_year", 2, None, None, "if it came up twice a year"),
        ("times_per_year", 3, None, None, "if it came up 3 times a year"),
        ("times_per_year", 12, 3, Span(12, 12, lowest=False, highest=False),
         "if it came up 12 times a year"),
        ("times_per_year", 12, 3, Span(12, 52, lowest=False, highest=True),
         "if it came up 12 or more times a year"),
        ("times_per_year", 2, 3, Span(1, 2, lowest=True, highest=False),
         "if it came up 2 or fewer times a year"),
        ("times_per_year", 6, 3, Span(5, 8, lowest=False, highest=False),
         "if it came up between 5 and 8 times a year"),
        ("times_per_year", 6, None, Span(1, 365, lowest=True, highest=True),
         "if times_per_year were known (any value would do)"),
        ("hours_each", 1, None, None, "if it took 1 hour each time"),
        ("hours_each", 2.5, None, None, "if it took 2.5 hours each time"),
        ("hours_each", 3, 1, Span(3, 24, lowest=False, highest=True),
         "if it took 3 hours or more each time"),
        ("hours_each", 2, 5, Span(0.25, 2, lowest=True, highest=False),
         "if it took 2 hours or less each time"),
        ("owner_hourly_rate", 80, 40, None, "if the owner's hour were worth $80"),
        ("owner_hourly_rate", 80, 100, Span(10, 80, lowest=True, highest=False),
         "if the owner's hour were worth $80 or less"),
        ("provider_hourly_rate", 125, 150, None, "if a provider charged $125 an hour"),
        ("provider_hourly_rate", 37.5, 150, Span(0.01, 37.5, lowest=True, highest=False),
         "if a provider charged $37.50 an hour or less"),
        ("owner_hourly_rate", 1250, 100, Span(1250, 5000, lowest=False, highest=True),
         "if the owner's hour were worth $1,250 or more"),
        ("skill", Skill.BASIC, Skill.EXPERT, None, "if the owner's skill were basic"),
        ("skill", Skill.BASIC, Skill.EXPERT, NONE_TO_BASIC,
         "if the owner's skill were none or basic"),
        ("skill", Skill.COMPETENT, None, Span(Skill.NONE, Skill.COMPETENT, True, False),
         "if the owner's skill were none, basic or competent"),
        ("enjoyment", Enjoyment.HATE, None, None, "if the owner hated it"),
        ("enjoyment", Enjoyment.NEUTRAL, None, NEUTRAL_TO_LIKE,
         "if the owner felt neutral about or liked it"),
        ("category", "design", None, None, "if its category were design"),
        ("tags", frozenset({"travel"}), None, None, "if it were tagged travel"),
        ("tags", frozenset({"b"}), frozenset({"a", "c"}), None,
         "if it were tagged b, it were not tagged a and it were not tagged c"),
        ("tags", frozenset({"a"}), frozenset({"a"}), None, "if its tags were unchanged"),
    ],
)  # fmt: skip
def test_each_change_is_said_as_a_condition_for_the_author(
    name: str, value: Any, previous: Any, span: Span | None, said: str
) -> None:
    """One clause per change, the run of values around it where there is one."""
    assert _one(name, value, previous, span) == said


def test_several_changes_are_joined_with_commas_and_a_final_and() -> None:
    """Two clauses take "and"; three take commas, then "and"."""
    two = condition({"repetitive": True, "only_owner": False}, {}, {})
    assert two == "if it were repetitive and someone other than the owner could do it"
    three = condition({"repetitive": True, "only_owner": False, "one_off": True}, {}, {})
    assert three == (
        "if it were repetitive, someone other than the owner could do it"
        " and it were a one-off project"
    )


@pytest.mark.parametrize(
    ("name", "value", "previous", "span", "said"),
    [
        ("only_owner", True, False, None,
         "If only you could do it" + WORTH),
        ("only_owner", False, True, None,
         "If someone else could do it" + WORTH),
        ("times_per_year", 1, 5, None, "If it came up once a year" + WORTH),
        ("times_per_year", 12, 3, Span(12, 52, lowest=False, highest=True),
         "If it came up 12 or more times a year" + WORTH),
        ("times_per_year", 6, None, Span(1, 365, lowest=True, highest=True),
         "If you knew how often it comes up" + WORTH),
        ("skill", Skill.BASIC, None, Span(Skill.NONE, Skill.EXPERT, True, True),
         "If you knew more about it" + WORTH),
        ("hours_each", 2, None, None, "If it took 2 hours each time" + WORTH),
        ("hours_each", 2, 5, Span(0.25, 2, lowest=True, highest=False),
         "If it took 2 hours or less each time" + WORTH),
        ("times_per_year", 2, 5, Span(1, 2, lowest=True, highest=False),
         "If it came up 2 or fewer times a year" + WORTH),
        ("provider_hourly_rate", 125, 150, None,
         "If you found a provider who charges $125 an hour" + WORTH),
        ("provider_hourly_rate", 125, 100, None,
         "If providers charged $125 an hour" + WORTH),
        ("provider_hourly_rate", 37.5, None, Span(0.01, 37.5, lowest=True, highest=False),
         "If you found a provider who charges $37.50 an hour or less" + WORTH),
        ("owner_hourly_rate", 200, 100, Span(150, 5000, lowest=False, highest=True),
         "If your hour were worth $150 or more" + WORTH),
        ("skill", Skill.BASIC, Skill.EXPERT, NONE_TO_BASIC,
         "If you were not good at it" + WORTH),
        ("skill", Skill.EXPERT, None, Span(Skill.COMPETENT, Skill.EXPERT, False, True),
         "If you were good at it" + WORTH),
        ("skill", Skill.NONE, Skill.EXPERT, None,
         "If you could not do it at all" + WORTH),
        ("skill", Skill.BASIC, None, Span(Skill.BASIC, Skill.COMPETENT, False, False),
         "If you knew only the basics of it or were competent at it" + WORTH),
        ("enjoyment", Enjoyment.DISLIKE, None, Span(Enjoyment.HATE, Enjoyment.DISLIKE, True, False),
         "If you disliked it" + WORTH),
        ("enjoyment", Enjoyment.LOVE, None, Span(Enjoyment.LIKE, Enjoyment.LOVE, False, True),
         "If you enjoyed it" + WORTH),
        ("enjoyment", Enjoyment.NEUTRAL, None, Span(Enjoyment.HATE, Enjoyment.NEUTRAL, True, False),
         "If you did not enjoy it" + WORTH),
        ("enjoyment", Enjoyment.NEUTRAL, None, None,
         "If you did not mind it" + WORTH),
        ("enjoyment", Enjoyment.NEUTRAL, None, NEUTRAL_TO_LIKE,
         "If you did not mind it or liked it" + WORTH),
        ("category", "design", None, None, "If it were design work" + WORTH),
        ("tags", frozenset({"travel"}), frozenset({"home"}), None,
         "If it were labelled travel and it were not labelled home" + WORTH),
        ("procedure_documented", False, True, None,
         "If there were no written procedure" + WORTH),
    ],
)  # fmt: skip
def test_each_change_is_said_to_the_owner_without_the_authors_words(
    name: str, value: Any, previous: Any, span: Span | None, said: str
) -> None:
    """The owner reads a whole sentence: no fact name, no operator word, no ``were known``."""
    text = _owner(name, value, previous, span)
    assert text == said
    assert name not in text
    for word in ("at most", "at least", "greater than", "less than", "were known", "_"):
        assert word not in text


def test_steps_the_owner_can_take_are_said_as_steps() -> None:
    """Only steps: an instruction, joined with "and", then the outcome."""
    one = advice({"time_available": True}, {"time_available": False}, {}, Verdict.KEEP)
    assert one == "Make time for it, and you would keep it yourself."
    two = advice(
        {"procedure_documented": True, "outcome_defined": True},
        {"procedure_documented": False, "outcome_defined": False},
        {},
        Verdict.OUTSOURCE,
    )
    assert two == (
        "Write down how it is done and define the result you want from it,"
        " and it would be worth handing off."
    )
    assert not two.startswith("If")


def test_a_step_mixed_with_a_circumstance_is_said_as_a_condition() -> None:
    """One change not the owner's makes the whole sentence an "if"."""
    mixed = advice(
        {"procedure_documented": True, "repetitive": True},
        {"procedure_documented": False, "repetitive": False},
        {},
        Verdict.ELIMINATE,
    )
    assert mixed == (
        "If you wrote down how it is done and it were a repetitive routine,"
        " you could drop it altogether."
    )


def test_the_owners_money_is_said_in_the_owners_currency() -> None:
    """A money function given is used for every amount; without one, dollars."""
    pounds = advice(
        {"owner_hourly_rate": 80}, {"owner_hourly_rate": 40}, {}, Verdict.OUTSOURCE,
        money=lambda amount: f"£{amount:,.0f}",
    )  # fmt: skip
    assert pounds == "If your hour were worth £80, it would be worth handing off."
    assert "$" not in pounds


def test_text_from_the_task_cannot_drive_a_terminal() -> None:
    """A category or a label with a control character is escaped in the owner's sentence."""
    text = advice({"category": "de\x1bsign"}, {"category": None}, {}, Verdict.KEEP)
    assert "\x1b" not in text
    assert text.startswith("If it were de")
    tagged = advice({"tags": frozenset({"a\x07"})}, {"tags": None}, {}, Verdict.KEEP)
    assert "\x07" not in tagged
    assert "labelled a" in tagged
