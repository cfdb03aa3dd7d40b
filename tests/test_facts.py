"""Facts: validation, plain-data round trips, ordered levels, derived facts."""

from __future__ import annotations

import math

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from outsourcing_rules import Enjoyment, FactError, Owner, Skill, Task, Verdict
from outsourcing_rules.core.vocabulary import FACTS, fact_reader, fact_values
from outsourcing_rules.testing import owners, tasks


def test_unknown_is_none_not_false() -> None:
    """A fact not given is None (unknown), never a default like False or 0."""
    task = Task(name="x")
    for field in attrs.fields(Task):
        if field.name != "name":
            assert getattr(task, field.name) is None, field.name


def test_levels_are_ordered() -> None:
    """Skill and Enjoyment compare by their order, as the contract lists them."""
    assert Skill.NONE < Skill.BASIC < Skill.COMPETENT < Skill.EXPERT
    assert Enjoyment.HATE < Enjoyment.DISLIKE < Enjoyment.NEUTRAL < Enjoyment.LIKE < Enjoyment.LOVE


def test_levels_accept_their_names() -> None:
    """Level names (any case) are accepted and become the enum member."""
    task = Task(name="x", skill="Competent", enjoyment="LOVE")
    assert task.skill is Skill.COMPETENT
    assert task.enjoyment is Enjoyment.LOVE


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("hours_each", -1, "negative"),
        ("hours_each", math.nan, "finite"),
        ("hours_each", math.inf, "finite"),
        ("hours_each", "4", "number"),
        ("hours_each", True, "number"),
        ("times_per_year", 10**9, "at most"),
        ("provider_hourly_rate", 0, "at least"),
        ("skill", "guru", "is not one of"),
        ("skill", 2, "is not one of"),
        ("enjoyment", "meh", "is not one of"),
        ("only_owner", 1, "true or false"),
        ("only_owner", "yes", "true or false"),
        ("category", 7, "text"),
        ("tags", "a,b", "list"),
        ("tags", ["ok", ""], "non-empty"),
    ],
)
def test_bad_task_facts_name_the_field_and_value(field: str, value: object, fragment: str) -> None:
    """Every invalid value is a FactError naming the field, keeping the value given."""
    with pytest.raises(FactError, match=fragment) as caught:
        Task(name="x", **{field: value})  # type: ignore[arg-type]
    assert caught.value.field == field
    shown = caught.value.value
    if isinstance(value, float) and math.isnan(value):
        assert math.isnan(shown)  # type: ignore[arg-type]
    elif isinstance(value, list):
        assert set(shown) == set(value)  # type: ignore[call-overload]
    else:
        assert shown == value
    assert field in str(caught.value)


def test_name_is_required_and_not_blank() -> None:
    """A task needs a name a person can read."""
    with pytest.raises(FactError, match="empty"):
        Task(name="  ")
    with pytest.raises(FactError, match="required"):
        Task.from_dict({"category": "x"})


def test_one_off_with_a_frequency_is_contradictory() -> None:
    """A one-off task cannot come up many times a year."""
    with pytest.raises(FactError, match="one-off") as caught:
        Task(name="x", one_off=True, times_per_year=12)
    assert caught.value.field == "times_per_year"
    assert Task(name="x", one_off=True, times_per_year=1).one_off


def test_owner_validation() -> None:
    """Owner facts are validated like task facts."""
    with pytest.raises(FactError, match="hourly_rate"):
        Owner(hourly_rate=-5)
    with pytest.raises(FactError, match="core_competencies"):
        Owner(core_competencies=[1, 2])  # type: ignore[arg-type]
    assert Owner(core_competencies=["a", "b"]).core_competencies == frozenset({"a", "b"})


def test_from_dict_refuses_unknown_keys_with_a_suggestion() -> None:
    """Unknown keys are listed with a did-you-mean, never dropped."""
    with pytest.raises(FactError, match=r"hours_eahc.*did you mean 'hours_each'") as caught:
        Task.from_dict({"name": "x", "hours_eahc": 3, "colour": "red"})
    assert "colour" in str(caught.value)


def test_from_dict_never_coerces() -> None:
    """Strings are not numbers and numbers are not booleans, even from plain data."""
    with pytest.raises(FactError, match="hours_each"):
        Task.from_dict({"name": "x", "hours_each": "4"})
    with pytest.raises(FactError, match="repetitive"):
        Task.from_dict({"name": "x", "repetitive": 1})
    with pytest.raises(FactError, match="task"):
        Task.from_dict(["name", "x"])  # type: ignore[arg-type]


def test_round_trip_through_plain_data() -> None:
    """to_dict gives plain data that from_dict turns back into an equal task."""
    task = Task(
        name="Invoicing",
        category="invoicing",
        skill=Skill.BASIC,
        enjoyment="dislike",
        times_per_year=52,
        hours_each=1.5,
        tags={"money", "admin"},
        one_off=False,
        provider_hourly_rate=30,
    )
    data = task.to_dict()
    assert data["skill"] == "basic"
    assert data["tags"] == ["admin", "money"]
    assert "only_owner" not in data  # unknown facts are left out
    assert Task.from_dict(data) == task
    owner = Owner(name="S", hourly_rate=250, core_competencies={"consulting"})
    assert Owner.from_dict(owner.to_dict()) == owner


def test_tasks_are_frozen_and_hashable() -> None:
    """Facts cannot change after validation, and can be used as keys."""
    task = Task(name="x", tags=["a"])
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        task.name = "y"  # type: ignore[misc]
    assert {task: 1}[Task(name="x", tags={"a"})] == 1


def test_verdict_parse() -> None:
    """Verdicts parse from their names and refuse anything else."""
    assert Verdict.parse("Outsource") is Verdict.OUTSOURCE
    with pytest.raises(ValueError, match="not a verdict"):
        Verdict.parse("delegate")


def test_derived_facts_for_sallys_invoicing() -> None:
    """Hours, costs, saving and rate ratio follow from the facts; core from the category."""
    values = fact_values(
        Task(
            name="Invoicing",
            category="invoicing",
            times_per_year=52,
            hours_each=4,
            provider_hourly_rate=25,
        ),
        Owner(hourly_rate=250, core_competencies={"consulting"}),
    )
    assert values["hours_per_year"] == 208
    assert values["hours_per_week"] == 4
    assert values["owner_cost_per_year"] == 52_000
    assert values["provider_cost_per_year"] == 5_200
    assert values["saving_per_year"] == 46_800
    assert values["saving_per_week"] == 900
    assert values["rate_ratio"] == 10
    assert values["core_competency"] is False
    assert values["recurring"] is True


def test_derived_facts_stay_unknown_when_an_input_is() -> None:
    """A missing rate or frequency makes the figures that need it unknown, not zero."""
    values = fact_values(Task(name="x", hours_each=2), None)
    for name in (
        "hours_per_year",
        "owner_cost_per_year",
        "saving_per_year",
        "rate_ratio",
        "core_competency",
        "recurring",
    ):
        assert values[name] is None, name


def test_one_off_hours_count_once() -> None:
    """A one-off project takes its hours once in the year."""
    values = fact_values(Task(name="x", one_off=True, hours_each=6), Owner(hourly_rate=100))
    assert values["hours_per_year"] == 6
    assert values["owner_cost_per_year"] == 600
    assert values["recurring"] is False


@pytest.mark.parametrize(
    ("stated", "category", "core", "expected"),
    [
        (None, "a", {"a"}, True),
        (None, "b", {"a"}, False),
        (None, None, {"a"}, None),
        (None, "a", None, None),
        (True, "b", {"a"}, True),
        (False, "a", {"a"}, True),
        (False, None, None, False),
    ],
)
def test_core_competency_from_stated_fact_and_owner(
    stated: bool | None, category: str | None, core: set[str] | None, expected: bool | None
) -> None:
    """core_competency is true if stated or the category is core; unknown when it cannot tell."""
    values = fact_values(
        Task(name="x", core_competency=stated, category=category),
        Owner(core_competencies=core),
    )
    assert values["core_competency"] is expected


def test_every_fact_is_documented() -> None:
    """Each rule fact has a kind, operators and a description for the reference."""
    for spec in FACTS.values():
        assert spec.description
        assert spec.operators


@given(
    task=tasks(),
    owner=st.none() | owners(),
    names=st.lists(st.sampled_from(sorted(FACTS)), unique=True, max_size=8),
)
def test_compiled_fact_reader_agrees_with_fact_values(
    task: Task, owner: Owner | None, names: list[str]
) -> None:
    """The generated reader engines use gives exactly the values fact_values computes."""
    values = fact_values(task, owner)
    assert fact_reader(names)(task, owner) == tuple(values[n] for n in names)
