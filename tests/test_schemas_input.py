"""The input schemas: task_schema() and owner_schema() agree with Task and Owner's validators."""

from __future__ import annotations

import math
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from outsourcing_rules import FactError, Owner, Task, owner_schema, task_schema
from outsourcing_rules.core.schemas import NUMBER_BOUNDS
from outsourcing_rules.testing import owners, tasks

TASK = jsonschema.Draft202012Validator(task_schema())
OWNER = jsonschema.Draft202012Validator(owner_schema())


def accepted(cls: type[Task] | type[Owner], data: Any) -> bool:
    try:
        cls.from_dict(data)
    except FactError:
        return False
    return True


def test_the_schemas_are_valid_draft_2020_12() -> None:
    """Both are JSON Schemas of draft 2020-12 that a validator accepts."""
    for schema in (task_schema(), owner_schema()):
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_fact_is_described_and_no_other_key_is_allowed() -> None:
    """The properties are exactly the classes' fields, each with a description."""
    for schema, cls in ((task_schema(), Task), (owner_schema(), Owner)):
        assert list(schema["properties"]) == [f.name for f in attrs.fields(cls)]
        assert all(p["description"].endswith(".") for p in schema["properties"].values())
        assert schema["additionalProperties"] is False


def test_the_owners_name_is_described_as_the_owners() -> None:
    """The one field both share is the owner's name in owner_schema, never a task's."""
    owner = owner_schema()["properties"]["name"]["description"]
    task = task_schema()["properties"]["name"]["description"]
    assert "owner" in owner
    assert "task" not in owner
    assert "task" in task


def test_each_call_is_a_fresh_copy() -> None:
    """Changing a returned schema (as an app adding examples would) never changes the next."""
    schema = task_schema()
    schema["properties"].clear()
    assert "name" in task_schema()["properties"]


@given(tasks())
def test_every_valid_task_validates(task: Task) -> None:
    """Every task the test kit draws, written as plain data, is valid under the schema."""
    TASK.validate(task.to_dict())


@given(owners())
def test_every_valid_owner_validates(owner: Owner) -> None:
    """Every owner the test kit draws, written as plain data, is valid under the schema."""
    OWNER.validate(owner.to_dict())


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"name": ""},
        {"name": "   "},
        {"name": 3},
        {"name": "x", "skill": "basics"},
        {"name": "x", "enjoyment": "hates"},
        {"name": "x", "skill": 2},
        {"name": "x", "hours_each": -1},
        {"name": "x", "hours_each": "4"},
        {"name": "x", "hours_each": True},
        {"name": "x", "times_per_year": 10**7},
        {"name": "x", "provider_hourly_rate": 0},
        {"name": "x", "repetitive": 1},
        {"name": "x", "repetitive": "yes"},
        {"name": "x", "category": False},
        {"name": "x", "category": "c" * 10_001},
        {"name": "x", "tags": "a,b"},
        {"name": "x", "tags": ["ok", ""]},
        {"name": "x", "tags": ["ok", 3]},
        {"name": "x", "hours_eahc": 3},
        {"name": "x", "one_off": True, "times_per_year": 12},
    ],
)
def test_invalid_tasks_fail_both(data: dict[str, Any]) -> None:
    """What the constructor refuses, the schema refuses too."""
    assert not accepted(Task, data)
    assert not TASK.is_valid(data)


@pytest.mark.parametrize(
    "data",
    [
        {"name": "x"},
        {"name": "x", "one_off": True, "times_per_year": 1},
        {"name": "x", "one_off": True, "times_per_year": None},
        {"name": "x", "one_off": False, "times_per_year": 12},
        {"name": "x", "skill": None, "tags": []},
        {"name": "x", "hours_each": 0, "provider_hourly_rate": 0.01},
    ],
)
def test_valid_edge_tasks_pass_both(data: dict[str, Any]) -> None:
    """Edge cases the constructor accepts, the schema accepts too."""
    assert accepted(Task, data)
    assert TASK.is_valid(data)


@pytest.mark.parametrize("field", sorted(NUMBER_BOUNDS))
def test_bounds_agree_with_the_validators(field: str) -> None:
    """At each bound both accept; just past it both refuse."""
    cls, validator = (Owner, OWNER) if field == "hourly_rate" else (Task, TASK)
    base: dict[str, Any] = {"name": "x"} if cls is Task else {}
    schema = validator.schema["properties"][field]
    low, high = NUMBER_BOUNDS[field]
    assert (schema["minimum"], schema["maximum"]) == (low, high)
    for value, ok in (
        (low, True),
        (high, True),
        (math.nextafter(low, -math.inf), False),
        (math.nextafter(high, math.inf), False),
        (high + 1, False),
    ):
        data = {**base, field: value}
        assert accepted(cls, data) is ok, (field, value)
        assert validator.is_valid(data) is ok, (field, value)


_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 2_000_000),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1, max_value=2e9),
    st.sampled_from(["", " ", "x", "basic", "hate", "love", "expert", "12"]),
    st.lists(st.sampled_from(["", "a", "b", " "]), max_size=3),
)


@given(
    st.dictionaries(
        st.sampled_from([f.name for f in attrs.fields(Task)] + ["hours", "colour"]),
        _VALUES,
        max_size=6,
    )
)
def test_schema_and_constructor_agree_on_any_plain_data(data: dict[str, Any]) -> None:
    """On JSON-like data, the schema accepts exactly what Task.from_dict accepts."""
    assert TASK.is_valid(data) == accepted(Task, data)


@given(
    st.dictionaries(
        st.sampled_from([f.name for f in attrs.fields(Owner)] + ["rate"]), _VALUES, max_size=4
    )
)
def test_owner_schema_and_constructor_agree_on_any_plain_data(data: dict[str, Any]) -> None:
    """On JSON-like data, the owner schema accepts exactly what Owner.from_dict accepts."""
    assert OWNER.is_valid(data) == accepted(Owner, data)
