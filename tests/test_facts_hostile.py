"""Hostile facts: every invalid value is a FactError naming its field, whatever arrives.

Facts come from users' spreadsheets and from JSON a web form posted. These
tests throw values of every wrong kind at each fact (booleans for numbers,
numbers as text, NaN and infinities, negatives, values past the bounds,
text too long or not text at all, odd mapping keys) and check the contract:
a :class:`~outsourcing_rules.FactError` whose ``field`` names the fact, a
short message, and nothing coerced or dropped.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from outsourcing_rules import FactError, Owner, Task, decide
from outsourcing_rules.core.facts import MAX_HOURS, MAX_RATE, MAX_TEXT, MAX_TIMES_PER_YEAR

NUMBER_BOUNDS = {
    ("task", "times_per_year"): MAX_TIMES_PER_YEAR,
    ("task", "hours_each"): MAX_HOURS,
    ("task", "provider_hourly_rate"): MAX_RATE,
    ("owner", "hourly_rate"): MAX_RATE,
}
TASK_BOOLS = [f.name for f in attrs.fields(Task) if f.type in ("bool | None", bool | None)]
TEXT_FIELDS = [("task", "name"), ("task", "description"), ("task", "category"), ("owner", "name")]


def build(kind: str, field: str, value: object) -> Task | Owner:
    """Build a task or an owner with one fact set to *value* (through from_dict)."""
    if kind == "task":
        return Task.from_dict({"name": "t", field: value} if field != "name" else {field: value})
    return Owner.from_dict({field: value})


def refused(kind: str, field: str, value: object) -> FactError:
    """Build with *value*, expecting a FactError naming *field*; return it."""
    with pytest.raises(FactError) as caught:
        build(kind, field, value)
    assert caught.value.field == field
    assert len(str(caught.value)) < 300, "the message must not echo a huge value"
    return caught.value


# --- numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "field"), list(NUMBER_BOUNDS))
@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (True, "must be a number, not True"),
        (False, "must be a number, not False"),
        ("4", "must be a number, not '4'"),
        ("4.5", "must be a number"),
        ("", "must be a number"),
        ([4], "must be a number"),
        (Decimal("1.5"), "must be a number"),
        (Fraction(1, 3), "must be a number"),
        (math.nan, "finite"),
        (math.inf, "finite"),
        (-math.inf, "finite"),
        (-1, "negative"),
        (-0.5, "negative"),
        (10**30, "at most"),
        (10**5000, "more than 3,000 digits"),
        (1e300, "at most"),
        ("9" * 1_000_000, "must be a number"),
    ],
    ids=lambda v: type(v).__name__ if not isinstance(v, str) or len(v) > 30 else repr(v),
)
def test_every_bad_number_names_its_field(
    kind: str, field: str, value: object, fragment: str
) -> None:
    """Wrong types, non-finite, negative and out-of-bounds numbers name the fact."""
    assert fragment in str(refused(kind, field, value))


@pytest.mark.parametrize(("kind", "field"), list(NUMBER_BOUNDS))
def test_the_bounds_themselves_are_accepted(kind: str, field: str) -> None:
    """The upper bound is allowed, as an int and as a float; one past it is not."""
    bound = NUMBER_BOUNDS[(kind, field)]
    for value in (bound, float(bound)):
        assert getattr(build(kind, field, value), field) == value
    refused(kind, field, bound + 1)


def test_a_provider_rate_below_a_cent_is_refused() -> None:
    """A zero provider rate would make the rate ratio infinite."""
    assert "at least 0.01" in str(refused("task", "provider_hourly_rate", 0))


@given(value=st.floats(allow_nan=True, allow_infinity=True) | st.integers())
def test_any_number_is_kept_exactly_or_refused_by_name(value: float) -> None:
    """For every number field: the fact holds the very value given, or a FactError names it."""
    for (kind, field), bound in NUMBER_BOUNDS.items():
        low = 0.01 if field == "provider_hourly_rate" else 0
        if low <= value <= bound:  # False for NaN
            built = build(kind, field, value)
            assert getattr(built, field) == value
            assert type(getattr(built, field)) is type(value)
        else:
            refused(kind, field, value)


# --- booleans, levels, text -------------------------------------------------------------


@pytest.mark.parametrize("field", TASK_BOOLS)
@pytest.mark.parametrize("value", [1, 0, "true", "yes", "", 1.0, [True]])
def test_booleans_are_never_guessed(field: str, value: object) -> None:
    """``1``, ``"yes"`` and ``"true"`` are not booleans: each is refused by name."""
    assert "true or false" in str(refused("task", field, value))


def test_the_test_covers_every_boolean_fact() -> None:
    """The boolean facts above are read from Task itself, so none is forgotten."""
    assert {"one_off", "repetitive", "core_competency", "only_owner"} <= set(TASK_BOOLS)


@pytest.mark.parametrize("field", ["skill", "enjoyment"])
@pytest.mark.parametrize("value", [1, True, 2.0, "expret", "", "x" * 100_000, ["basic"]])
def test_levels_are_names_never_numbers(field: str, value: object) -> None:
    """A level is one of its names; its position (``1``) is not accepted."""
    assert "is not one of" in str(refused("task", field, value))


@pytest.mark.parametrize(("kind", "field"), TEXT_FIELDS)
def test_text_is_bounded_and_well_formed(kind: str, field: str) -> None:
    """Text facts hold at most MAX_TEXT characters and no lone surrogate."""
    assert getattr(build(kind, field, "x" * MAX_TEXT), field) == "x" * MAX_TEXT
    assert f"at most {MAX_TEXT:,} characters" in str(refused(kind, field, "x" * (MAX_TEXT + 1)))
    assert "lone surrogate" in str(refused(kind, field, "a\ud800b"))
    assert "must be text" in str(refused(kind, field, 42))


@pytest.mark.parametrize(("kind", "field"), [("task", "tags"), ("owner", "core_competencies")])
@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("invoicing", "list of text labels"),
        ([1, 2], "list of text labels"),
        (["ok", " "], "non-empty text"),
        (["x" * (MAX_TEXT + 1)], "may be at most"),
        (["\udfff"], "lone surrogate"),
        ({"a": 1}, "list of text labels"),
        ([1] * 1_000_000, "list of text labels"),
    ],
)
def test_labels_are_lists_of_short_text(
    kind: str, field: str, value: object, fragment: str
) -> None:
    """Labels must be a list of non-empty text; the message stays short for huge lists."""
    assert fragment in str(refused(kind, field, value))


def test_text_with_control_characters_is_kept_as_given() -> None:
    """Names are the user's: control characters are not a validation error (output escapes)."""
    assert Task(name="a\tb\x1bc").name == "a\tb\x1bc"


# --- mappings -------------------------------------------------------------------------


def test_unknown_keys_are_listed_with_suggestions_never_dropped() -> None:
    """Every unknown key is named, each with its did-you-mean where one is close."""
    with pytest.raises(FactError) as caught:
        Task.from_dict({"name": "t", "hours": 2, "skil": "basic", "zzz": 1})
    message = str(caught.value)
    assert "hours: unknown fact (did you mean 'hours_each'?)" in message
    assert "skil: unknown fact (did you mean 'skill'?)" in message
    assert "zzz: unknown fact" in message
    assert caught.value.field == "hours"
    assert [e.field for e in caught.value.errors] == ["hours", "skil", "zzz"]


@pytest.mark.parametrize("key", [1, None, (1, 2), 2.5, b"name", frozenset()])
def test_keys_that_are_not_text_are_unknown_facts(key: Any) -> None:
    """A dict key that is not text is an unknown fact named by its repr, not a KeyError."""
    with pytest.raises(FactError, match="unknown fact"):
        Task.from_dict({"name": "t", key: 1})
    with pytest.raises(FactError, match="unknown fact"):
        Owner.from_dict({key: 1})


def test_many_unknown_keys_make_a_short_message() -> None:
    """Ten keys are named and the rest counted, so a hostile mapping cannot flood a log."""
    data: dict[str, object] = {"name": "t", **{f"junk{i}": i for i in range(10_000)}}
    with pytest.raises(FactError, match="and 9,990 more") as caught:
        Task.from_dict(data)
    assert len(str(caught.value)) < 1_000


@pytest.mark.parametrize("data", [None, "name: x", ["name", "x"], 3, b"{}"])
def test_a_task_must_be_a_mapping(data: object) -> None:
    """Anything but a mapping is refused with the whole task named as the field."""
    with pytest.raises(FactError) as caught:
        Task.from_dict(data)  # type: ignore[arg-type]
    assert caught.value.field == "task"


def test_decide_refuses_bad_mappings_the_same_way(engine: str) -> None:
    """Plain data handed to decide goes through the same checks before any engine runs."""
    with pytest.raises(FactError) as caught:
        decide({"name": "t", "hours_each": "4"}, engine=engine)
    assert caught.value.field == "hours_each"
    with pytest.raises(FactError) as caught:
        decide({"name": "t"}, {"hourly_rate": math.nan}, engine=engine)
    assert caught.value.field == "hourly_rate"


def test_the_value_is_kept_on_the_error() -> None:
    """The message is cut short, but ``value`` holds what was given, for programs."""
    huge = "9" * 1_000_000
    error = refused("task", "hours_each", huge)
    assert error.value == huge
