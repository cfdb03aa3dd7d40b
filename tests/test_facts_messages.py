"""The exact words of a bad fact's error, its field and the value it keeps.

Other tests check that a bad fact is refused by name; these pin what the
error says in full, so a message that loses the value it quotes, quotes the
wrong thing or gains stray text is caught. They also pin the small readers
of the fact classes (level names, field lists) that other layers build on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from outsourcing_rules import Enjoyment, FactError, InventoryError, Owner, Skill, Task, Verdict
from outsourcing_rules.core.facts import fact_fields, task_fields_holding

SURROGATE = "a\ud800"
LONE_SURROGATE = "holds a lone surrogate, which is not a character (a broken escape?)"
ONE_OFF = "a one-off task (one_off: true) happens once; leave times_per_year out or set it to 1"


def _refusal(build: Callable[[], object]) -> FactError:
    with pytest.raises(FactError) as caught:
        build()
    return caught.value


@pytest.mark.parametrize(
    ("build", "message", "field", "value"),
    [
        (lambda: Task(name="x", one_off=7), "one_off: must be true or false, not 7", "one_off", 7),  # type: ignore[arg-type]
        (lambda: Task(name=5), "name: must be text, not 5", "name", 5),  # type: ignore[arg-type]
        (lambda: Task(name=" "), "name: must not be empty", "name", " "),
        (lambda: Task(name=SURROGATE), f"name: {LONE_SURROGATE}", "name", SURROGATE),
        (lambda: Task(name="x", category=3), "category: must be text, not 3", "category", 3),  # type: ignore[arg-type]
        (
            lambda: Task(name="x", category=SURROGATE),
            f"category: {LONE_SURROGATE}",
            "category",
            SURROGATE,
        ),
        (
            lambda: Task(name="x", tags="ab"),
            "tags: must be a list of text labels, not 'ab'",
            "tags",
            "ab",
        ),
        (
            lambda: Task(name="x", tags=["ok", " "]),
            "tags: every label must be non-empty text, not ' '",
            "tags",
            frozenset({"ok", " "}),
        ),
        (
            lambda: Task(name="x", tags=[SURROGATE]),
            f"tags: a label {LONE_SURROGATE}",
            "tags",
            frozenset({SURROGATE}),
        ),
        (
            lambda: Task(name="x", one_off=True, times_per_year=3),
            f"times_per_year: {ONE_OFF}",
            "times_per_year",
            3,
        ),
        (
            lambda: Task.from_dict({"name": "x", "one_off": True, "times_per_year": 3}),
            f"times_per_year: {ONE_OFF}",
            "times_per_year",
            3,
        ),
        (
            lambda: Owner.from_dict({"name": 4}),
            "name: must be text, not 4",
            "name",
            4,
        ),
    ],
)
def test_a_bad_fact_is_told_in_full_and_keeps_its_value(
    build: Callable[[], object], message: str, field: str, value: object
) -> None:
    """The message quotes the value given, nothing else; ``field`` and ``value`` are kept."""
    error = _refusal(build)
    assert str(error) == message
    assert error.field == field
    assert type(error.value) is type(value)
    assert error.value == value
    assert "XX" not in str(error)


def test_a_mapping_that_is_not_a_mapping_is_quoted_and_kept() -> None:
    """``from_dict`` names the whole task, quotes what it got and keeps it."""
    error = _refusal(lambda: Task.from_dict([1]))  # type: ignore[arg-type]
    assert str(error) == "task: must be a mapping of fact names to values, not [1]"
    assert error.value == [1]
    owner = _refusal(lambda: Owner.from_dict("x"))  # type: ignore[arg-type]
    assert str(owner) == "owner: must be a mapping of fact names to values, not 'x'"


def test_a_missing_name_is_reported_with_every_other_problem() -> None:
    """No name and an unknown key: both are listed, the name as required."""
    with pytest.raises(InventoryError) as caught:
        Task.from_dict({"hours": 2})
    assert [(e.field, e.value, e.reason) for e in caught.value.errors] == [
        ("hours", 2, "unknown fact"),
        ("name", None, "is required"),
    ]
    assert str(caught.value.errors[0]) == "hours: unknown fact (did you mean 'hours_each'?)"
    alone = _refusal(lambda: Task.from_dict({"category": "x"}))
    assert str(alone) == "name: is required"
    assert alone.value is None
    assert not isinstance(alone, InventoryError), "one problem is one FactError"


def test_every_bad_value_of_a_mapping_is_reported_with_the_one_off_contradiction() -> None:
    """Several problems at once: each bad value, and a one-off said to recur, all listed."""
    with pytest.raises(InventoryError) as caught:
        Task.from_dict(
            {"name": "x", "skill": "guru", "hours_each": "a", "one_off": True, "times_per_year": 3}
        )
    assert [(e.field, e.value) for e in caught.value.errors] == [
        ("skill", "guru"),
        ("hours_each", "a"),
        ("times_per_year", 3),
    ]
    assert caught.value.errors[2].reason == ONE_OFF
    with pytest.raises(InventoryError) as unknown:
        Task.from_dict({"name": "x", "one_off": True, "times_per_year": 3, "hours": 2})
    assert [e.field for e in unknown.value.errors] == ["hours", "times_per_year"]


def test_unknown_keys_are_listed_in_order_each_with_its_value() -> None:
    """Unknown keys come sorted by name, each keeping the value it was given."""
    data: Mapping[Any, Any] = {"name": "x", "zeta": 1, "alpha": 2, 3: "three", "beta": None}
    with pytest.raises(InventoryError) as caught:
        Task.from_dict(data)
    errors = caught.value.errors
    assert [e.field for e in errors] == ["3", "alpha", "beta", "zeta"]
    assert [e.value for e in errors] == ["three", 2, None, 1]
    assert all(e.reason == "unknown fact" for e in errors)


def test_keys_of_the_same_text_are_ordered_by_their_repr() -> None:
    """A key ``1`` and a key ``'1'`` read alike; the order between them is still fixed."""
    with pytest.raises(InventoryError) as caught:
        Task.from_dict({"name": "x", "1": "text", 1: "number"})  # type: ignore[dict-item]
    assert [e.value for e in caught.value.errors] == ["text", "number"]
    with pytest.raises(InventoryError) as again:
        Task.from_dict({"name": "x", 1: "number", "1": "text"})  # type: ignore[dict-item]
    assert [e.value for e in again.value.errors] == ["text", "number"]


@pytest.mark.parametrize(
    ("key", "named"),
    [
        ("a", "a"),
        ("k" * 60, "k" * 60),
        ("k" * 61, "'" + "k" * 27 + "..." + "k" * 28 + "'"),
        ("", "''"),
        (" a", "' a'"),
        ("a\nb", "'a\\nb'"),
        (5, "5"),
        (None, "None"),
    ],
)
def test_an_unknown_key_is_named_as_written_or_by_its_short_repr(key: object, named: str) -> None:
    """Plain text keys of 1 to 60 characters are named as written; any other key by repr."""
    error = _refusal(lambda: Owner.from_dict({key: 1}))  # type: ignore[dict-item]
    assert error.field == named
    assert str(error).startswith(f"{named}: unknown fact")


def test_a_misspelt_key_gets_a_suggestion_and_a_foreign_one_none() -> None:
    """Only a close key gets a did-you-mean."""
    close = _refusal(lambda: Owner.from_dict({"hourly_rat": 1}))
    assert close.suggestion == "hourly_rate"
    assert str(close) == "hourly_rat: unknown fact (did you mean 'hourly_rate'?)"
    far = _refusal(lambda: Owner.from_dict({"zzzz": 1}))
    assert far.suggestion is None
    assert str(far) == "zzzz: unknown fact"
    assert "did you mean" not in str(far)


def test_a_verdict_that_is_not_one_lists_the_three() -> None:
    """``Verdict.parse`` says what it got and the three verdicts, comma-separated."""
    with pytest.raises(ValueError, match="is not a verdict") as caught:
        Verdict.parse("maybe")
    assert str(caught.value) == "'maybe' is not a verdict; use one of keep, outsource, eliminate"


def test_levels_show_their_class_and_name() -> None:
    """A level's repr names its class; its names are lower case, lowest first."""
    assert repr(Skill.BASIC) == "Skill.BASIC"
    assert repr(Enjoyment.LOVE) == "Enjoyment.LOVE"
    assert Skill.names() == ["none", "basic", "competent", "expert"]
    assert Enjoyment.names() == ["hate", "dislike", "neutral", "like", "love"]


def test_the_fact_classes_list_their_fields() -> None:
    """The readers of CSV columns and the task generators ask the classes for their fields."""
    owner = ["name", "hourly_rate", "core_competencies", "currency", "locale"]
    assert list(fact_fields(Owner)) == owner
    assert list(fact_fields(Task))[:3] == ["name", "description", "category"]
    assert "tags" in list(fact_fields(Task))
    assert task_fields_holding(float) == ("times_per_year", "hours_each", "provider_hourly_rate")
    assert task_fields_holding(frozenset[str]) == ("tags",)
    booleans = task_fields_holding(bool)
    assert "one_off" in booleans
    assert "repetitive" in booleans
    assert "name" not in booleans
    assert "times_per_year" not in booleans
