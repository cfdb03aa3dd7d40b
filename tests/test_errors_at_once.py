"""Every problem at once: facts, inventories and rulesets report all they find, each placed."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from outsourcing_rules import FactError, InventoryError, Owner, RulesetError, Task, load_ruleset
from outsourcing_rules.planning.inventory import read_inventory
from outsourcing_rules.quality.scenarios import load_scenarios

from conftest import write_text


def test_every_bad_fact_of_a_task_is_reported() -> None:
    """Four bad fields are four errors, in one InventoryError, each with a hint where close."""
    with pytest.raises(InventoryError) as caught:
        Task.from_dict(
            {"name": "x", "skill": "basics", "enjoyment": "hates", "hours_eahc": 3, "tags": "a"}
        )
    found = [(e.field, e.suggestion) for e in caught.value.errors]
    assert found == [
        ("hours_eahc", "hours_each"),
        ("skill", "basic"),
        ("enjoyment", "hate"),
        ("tags", None),
    ]
    assert str(caught.value).splitlines() == [str(e) for e in caught.value.errors]


def test_one_bad_fact_is_a_plain_fact_error() -> None:
    """A single problem stays a FactError whose errors are itself."""
    with pytest.raises(FactError) as caught:
        Task.from_dict({"name": "x", "hours_each": -1})
    assert type(caught.value) is FactError
    assert caught.value.errors == (caught.value,)


def test_a_one_off_conflict_is_reported_with_the_others() -> None:
    """The cross-field check runs on the facts that are valid, beside the bad ones."""
    with pytest.raises(InventoryError) as caught:
        Task.from_dict({"name": "x", "one_off": True, "times_per_year": 12, "skill": "guru"})
    assert [e.field for e in caught.value.errors] == ["skill", "times_per_year"]


def test_every_bad_owner_fact_is_reported() -> None:
    """The owner too: every bad field in one error."""
    with pytest.raises(InventoryError) as caught:
        Owner.from_dict({"hourly_rate": "lots", "core_competencies": "a", "nam": "x"})
    assert [e.field for e in caught.value.errors] == ["nam", "hourly_rate", "core_competencies"]


def test_errors_become_json_for_a_reply() -> None:
    """to_dict gives one mapping per problem, JSON-ready, without echoing the value."""
    with pytest.raises(FactError) as caught:
        Task.from_dict({"name": "x", "skill": "basics", "hours_each": float("nan")})
    data = caught.value.to_dict()
    json.dumps(data)
    assert data == [
        {
            "field": "skill",
            "key": "skill",
            "message": "'basics' is not one of none, basic, competent, expert",
            "suggestion": "basic",
        },
        {"field": "hours_each", "key": "hours_each", "message": "must be a finite number, not nan"},
    ]


def test_an_inventory_places_each_bad_fact_of_each_task(tmp_path: Path) -> None:
    """Two bad facts of one task are two errors, each at its own line, column and key."""
    path = write_text(
        tmp_path,
        "t.yaml",
        """
        tasks:
          - name: A
            skill: basics
            hours_each: -1
          - {name: B, enjoyment: hates}
        """,
    )
    with pytest.raises(InventoryError) as caught:
        read_inventory(path)
    found = [(e.line, e.column, e.key, e.item, e.suggestion) for e in caught.value.errors]
    assert found == [
        (3, 5, "tasks[0].skill", "A", "basic"),
        (4, 5, "tasks[0].hours_each", "A", None),
        (5, 15, "tasks[1].enjoyment", "B", "hate"),
    ]
    assert str(caught.value.errors[0]).startswith(f"{path}:3:5: A: skill: 'basics'")
    again = pickle.loads(pickle.dumps(caught.value))
    assert [vars(e) for e in again.errors] == [vars(e) for e in caught.value.errors]


def test_an_inventorys_problems_come_in_the_order_written(tmp_path: Path) -> None:
    """A misspelt key written after a bad value is reported after it, as a reader meets them."""
    path = write_text(
        tmp_path,
        "t.json",
        '{"tasks": [{"name": "B", "enjoyment": "hates", "hours_eahc": 2, "skill": "basics"}]}',
    )
    with pytest.raises(InventoryError) as caught:
        read_inventory(path)
    found = [(e.field, e.column) for e in caught.value.errors]
    assert found == [("enjoyment", 26), ("hours_eahc", 48), ("skill", 65)]


def test_a_ruleset_reports_structure_and_vocabulary_in_one_pass() -> None:
    """A rule the schema refuses no longer hides the unknown facts and bad levels elsewhere."""
    text = """\
ruleset: x
default: {verdict: keep, because: k}
rules:
  - id: a
    priority: 10
    when: {skill: basics}
    then: outsorce
    because: b
  - id: b
    priority: 20
    when: {enjoyment: {le: hates}, colour: red}
    then: keep
    because: b
    extra: 1
  - {id: c, priority: 30, when: {skil: none}, then: keep, because: b}
"""
    with pytest.raises(RulesetError) as caught:
        load_ruleset(text)
    found = [(p.line, p.column, p.key, p.suggestion) for p in caught.value.problems]
    assert found == [
        (6, 12, "rules[0].when.skill", "basic"),
        (7, 5, "rules[0].then", "outsource"),
        (11, 24, "rules[1].when.enjoyment.le", "hate"),
        (11, 36, "rules[1].when.colour", None),
        (14, 5, "rules[1].extra", None),
        (15, 34, "rules[2].when.skil", "skill"),
    ]


def test_a_structural_problem_outside_the_rules_still_stops_at_once() -> None:
    """A ruleset whose shape is wrong at the top is reported as it is, without guessing."""
    with pytest.raises(RulesetError) as caught:
        load_ruleset("ruleset: x\ndefault: keep\nrules: []\n")
    assert [p.key for p in caught.value.problems] == ["default"]


def test_yaml_1_2_in_inventories(tmp_path: Path) -> None:
    """``category: no`` is the category "no", and ``052`` is 52 times a year."""
    path = write_text(tmp_path, "t.yaml", "- {name: A, category: no, times_per_year: 052}\n")
    (task,) = read_inventory(path).tasks
    assert (task.category, task.times_per_year) == ("no", 52)


def test_yaml_1_2_in_scenario_files(tmp_path: Path) -> None:
    """A scenario's task reads as YAML 1.2 too: ``off`` is text, never false."""
    path = write_text(
        tmp_path,
        "s.cases.yaml",
        "cases:\n  - {name: a, task: {category: off}, expect: {verdict: keep}}\n",
    )
    assert load_scenarios(path).cases[0].task.category == "off"


def test_yes_is_no_longer_true_in_a_ruleset() -> None:
    """``yes`` is text in YAML 1.2: comparing a yes-or-no fact with it is an error."""
    with pytest.raises(RulesetError, match="repetitive"):
        load_ruleset(
            "ruleset: x\ndefault: {verdict: keep, because: k}\nrules:\n"
            "  - {id: a, priority: 1, when: {repetitive: yes}, then: keep, because: b}\n"
        )
