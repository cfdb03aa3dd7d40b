"""The vocabulary (core.vocabulary): derived facts computed one way, exactly, in order."""

from __future__ import annotations

from outsourcing_rules import Owner, Task
from outsourcing_rules.core.facts import MAX_EXACT_INTEGER
from outsourcing_rules.core.vocabulary import FACTS, ORDER, _exact, closure, fact_values


def test_integers_beyond_exact_floats_become_the_nearest_float_and_others_stay() -> None:
    """An integer past 2**53 is made a float (every engine then compares it alike); others stay."""
    for kept in (0, 7, MAX_EXACT_INTEGER, -MAX_EXACT_INTEGER, 2.5):
        assert _exact(kept) == kept
        assert type(_exact(kept)) is type(kept)
    for big in (MAX_EXACT_INTEGER + 1, -MAX_EXACT_INTEGER - 1):
        assert type(_exact(big)) is float
        assert _exact(big) == float(big)


def test_every_derived_fact_comes_after_what_it_is_computed_from() -> None:
    """In ``ORDER`` each fact follows its inputs, and ``closure`` keeps that order."""
    position = {name: i for i, name in enumerate(ORDER)}
    for name, spec in FACTS.items():
        for need in spec.needs:
            assert position[need] < position[name], (need, name)
    wanted = closure({"saving_per_week"})
    assert wanted[-1] == "saving_per_week"
    assert "hours_per_year" in wanted
    assert wanted == [n for n in ORDER if n in wanted]


def test_task_facts_are_read_from_the_task_attribute_of_the_same_name() -> None:
    """Each plain task fact is the task's attribute of that name, read from the task side."""
    task = Task(name="Books", category="finance", times_per_year=12, skill="basic")
    values = fact_values(task, Owner(hourly_rate=80))
    assert values["category"] == "finance"
    assert values["times_per_year"] == 12
    assert str(values["skill"]) == "basic"
    assert FACTS["category"].source == "task"
    assert FACTS["category"].attribute == "category"
