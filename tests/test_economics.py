"""The economics of a task (economics.py): figures read from facts, ``None`` when unknown."""

from __future__ import annotations

import json

from outsourcing_rules import Owner, Task
from outsourcing_rules.core.vocabulary import fact_values
from outsourcing_rules.economics import Economics

SALLY = Owner(name="Sally", hourly_rate=250)

FIELDS = [
    "hours_per_year",
    "hours_per_week",
    "owner_cost_per_year",
    "provider_cost_per_year",
    "saving_per_year",
    "saving_per_week",
]


def test_figures_are_read_from_the_facts_of_the_same_names() -> None:
    """Each figure is the task's derived fact of that name, and nothing else is read."""
    values = {name: float(i) for i, name in enumerate(FIELDS, start=1)}
    values["hourly_rate"] = 999.0
    economics = Economics.from_facts(values)
    assert economics.to_dict() == {name: float(i) for i, name in enumerate(FIELDS, start=1)}


def test_the_figures_of_a_weekly_task_handed_off_to_a_cheaper_provider() -> None:
    """52 times 2 hours at $250 against $40: the saving is the difference, per year and week."""
    task = Task(name="Invoices", times_per_year=52, hours_each=2, provider_hourly_rate=40)
    economics = Economics.from_facts(fact_values(task, SALLY))
    assert economics.hours_per_year == 104
    assert economics.hours_per_week == 2
    assert economics.owner_cost_per_year == 26_000
    assert economics.provider_cost_per_year == 4_160
    assert economics.saving_per_year == 21_840
    assert economics.saving_per_week == 420


def test_a_dearer_provider_gives_a_negative_saving() -> None:
    """When the provider charges more than the owner's hour is worth, the saving is below zero."""
    owner = Owner(name="Junior", hourly_rate=20)
    task = Task(name="Tax return", one_off=True, hours_each=10, provider_hourly_rate=120)
    economics = Economics.from_facts(fact_values(task, owner))
    assert economics.hours_per_year == 10
    assert economics.saving_per_year == 200 - 1_200
    assert economics.saving_per_year is not None
    assert economics.saving_per_year < 0


def test_a_missing_rate_is_unknown_not_zero() -> None:
    """Without the owner's rate, nothing that needs it is computed; the provider's cost still is."""
    task = Task(name="Invoices", times_per_year=52, hours_each=2, provider_hourly_rate=40)
    economics = Economics.from_facts(fact_values(task, None))
    assert economics.owner_cost_per_year is None
    assert economics.saving_per_year is None
    assert economics.saving_per_week is None
    assert economics.provider_cost_per_year == 4_160
    assert economics.hours_per_week == 2


def test_to_dict_is_json_with_every_figure() -> None:
    """``to_dict`` names all six figures and serialises, unknown ones as null."""
    data = Economics.from_facts({}).to_dict()
    assert list(data) == FIELDS
    assert json.loads(json.dumps(data)) == dict.fromkeys(FIELDS)
