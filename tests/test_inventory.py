"""Task inventories: YAML, JSON and CSV files, with the owner and each task's line."""

from __future__ import annotations

import copy
import os
import pickle
from pathlib import Path

import pytest

from outsourcing_rules import FactError, InventoryError, Owner, Skill, Task
from outsourcing_rules.cli import main
from outsourcing_rules.planning.inventory import read_inventory, read_owner


def test_yaml_mapping_with_owner(tmp_path: Path) -> None:
    """A mapping gives the owner and the tasks, each with the line it starts on."""
    path = tmp_path / "t.yaml"
    path.write_text(
        "owner: {name: Sally, hourly_rate: 250}\ntasks:\n  - name: a\n    skill: basic\n"
        "  - {name: b}\n",
        encoding="utf-8",
    )
    inventory = read_inventory(path)
    assert inventory.owner == Owner(name="Sally", hourly_rate=250)
    assert inventory.tasks == (Task(name="a", skill=Skill.BASIC), Task(name="b"))
    assert inventory.lines == (3, 5)
    assert inventory.path == str(path)


def test_json_list(tmp_path: Path) -> None:
    """A JSON list of tasks has no owner."""
    path = tmp_path / "t.json"
    path.write_text('[{"name": "a", "hours_each": 1.5}]', encoding="utf-8")
    inventory = read_inventory(path)
    assert inventory.owner is None
    assert inventory.tasks == (Task(name="a", hours_each=1.5),)


def test_csv_cells_are_parsed_by_fact_kind(tmp_path: Path) -> None:
    """CSV text cells become booleans, numbers, levels and labels; empty cells are unknown."""
    path = tmp_path / "t.csv"
    path.write_text(
        "name,one_off,times_per_year,hours_each,skill,tags,only_owner\n"
        "a,no,52,1.5,Basic,x; y,\n"
        "\n"
        "b,yes,,2,,,TRUE\n",
        encoding="utf-8",
    )
    inventory = read_inventory(path)
    assert inventory.tasks == (
        Task(
            name="a",
            one_off=False,
            times_per_year=52,
            hours_each=1.5,
            skill="basic",
            tags={"x", "y"},
        ),
        Task(name="b", one_off=True, hours_each=2, only_owner=True),
    )
    assert inventory.lines == (2, 4)


def test_csv_ragged_row(tmp_path: Path) -> None:
    """A row with the wrong number of cells is an error with its line, not a shifted task."""
    path = tmp_path / "t.csv"
    path.write_text("name,hours_each\na,1,extra\n", encoding="utf-8")
    with pytest.raises(FactError, match="3 cells but the header has 2") as caught:
        read_inventory(path)
    assert caught.value.line == 2


def test_csv_refuses_non_finite_numbers(tmp_path: Path) -> None:
    """'nan' or 'inf' in a number column is refused, never read as a float."""
    path = tmp_path / "t.csv"
    path.write_text("name,hours_each\na,nan\n", encoding="utf-8")
    with pytest.raises(FactError, match="hours_each"):
        read_inventory(path)


def test_errors_name_file_line_task_and_field(tmp_path: Path) -> None:
    """A bad fact says where: file, line of the fact, task name, field."""
    path = tmp_path / "t.yaml"
    path.write_text("- name: a\n- name: b\n  hours_each: -1\n", encoding="utf-8")
    with pytest.raises(FactError) as caught:
        read_inventory(path)
    error = caught.value
    assert (error.path, error.line, error.item, error.field) == (str(path), 3, "b", "hours_each")
    assert str(error).startswith(f"{path}:3:3: b: hours_each:")
    assert error.key == "[1].hours_each"


def test_every_invalid_task_is_reported_at_once(tmp_path: Path) -> None:
    """Reading goes on past a bad task: each bad task is one error, in file order."""
    path = tmp_path / "t.yaml"
    path.write_text(
        "- {name: A, times_per_year: lots}\n- {name: ok}\n- name: B\n  skill: guru\n"
        "- {name: C, hours_each: -3}\n- {skill: basic}\n",
        encoding="utf-8",
    )
    with pytest.raises(InventoryError) as caught:
        read_inventory(path)
    error = caught.value
    assert [(e.line, e.item, e.field) for e in error.errors] == [
        (1, "A", "times_per_year"),
        (4, "B", "skill"),
        (5, "C", "hours_each"),
        (6, "tasks[4]", "name"),
    ]
    assert error.more == 0
    # Code written for one FactError sees the first.
    assert isinstance(error, FactError)
    assert (error.path, error.line, error.field) == (str(path), 1, "times_per_year")
    assert str(error).splitlines() == [str(e) for e in error.errors]


def test_a_bad_owner_is_reported_with_the_bad_tasks(tmp_path: Path) -> None:
    """The owner's problem does not hide the tasks' ones."""
    path = tmp_path / "t.yaml"
    path.write_text(
        "owner: {name: Sally, hourly_rate: -5}\ntasks:\n  - {name: a, skill: guru}\n"
        "  - {name: b}\n",
        encoding="utf-8",
    )
    with pytest.raises(InventoryError) as caught:
        read_inventory(path)
    found = [(e.line, e.item, e.field) for e in caught.value.errors]
    assert found == [(1, "owner", "hourly_rate"), (3, "a", "skill")]


def test_inventory_errors_survive_pickling_and_copying(tmp_path: Path) -> None:
    """Errors cross process boundaries (multiprocessing pickles them) with every field."""
    path = tmp_path / "t.csv"
    path.write_text("name,skill\na,guru\nb,none\nc,novice\n", encoding="utf-8")
    with pytest.raises(InventoryError) as caught:
        read_inventory(path)
    error = caught.value
    for again in (pickle.loads(pickle.dumps(error)), copy.deepcopy(error)):
        assert type(again) is InventoryError
        assert str(again) == str(error)
        assert [vars(e) for e in again.errors] == [vars(e) for e in error.errors]
        assert (again.path, again.line, again.field, again.more) == (
            error.path,
            error.line,
            error.field,
            error.more,
        )
    single = error.errors[0]
    assert vars(pickle.loads(pickle.dumps(single))) == vars(single)


def test_csv_reports_every_bad_row(tmp_path: Path) -> None:
    """A ragged row and bad cells in later rows are all reported, each with its line."""
    path = tmp_path / "t.csv"
    path.write_text("name,times_per_year\nA,12\nB,1,extra\nC,lots\nD,2000000\n", encoding="utf-8")
    with pytest.raises(InventoryError) as caught:
        read_inventory(path)
    found = [(e.line, e.field) for e in caught.value.errors]
    assert found == [(3, "row"), (4, "times_per_year"), (5, "times_per_year")]
    assert "must be at most 1,000,000" in str(caught.value.errors[-1])


def test_a_flood_of_bad_tasks_is_capped_and_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Past MAX_REPORTED errors the rest are counted, not listed; the CLI prints one a line."""
    cap = InventoryError.MAX_REPORTED
    path = tmp_path / "t.csv"
    path.write_text("name,skill\n" + "".join(f"t{i},guru\n" for i in range(cap + 7)))
    with pytest.raises(InventoryError) as caught:
        read_inventory(path)
    assert (len(caught.value.errors), caught.value.more) == (cap, 7)
    assert main(["decide", str(path)]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == cap + 1
    assert lines[0].startswith(f"error: {path}:2: t0: skill: 'guru'")
    assert lines[-1] == "error: ... and 7 more problems"


def test_tasks_must_be_a_list(tmp_path: Path) -> None:
    """A mapping of tasks (not a list) is refused."""
    path = tmp_path / "t.yaml"
    path.write_text("tasks: {a: 1}\n", encoding="utf-8")
    with pytest.raises(FactError, match="must be a list of tasks"):
        read_inventory(path)


def test_read_owner_from_its_own_file_or_an_inventory(tmp_path: Path) -> None:
    """An owner file holds the owner's facts, or an inventory's owner mapping."""
    alone = tmp_path / "o.yaml"
    alone.write_text("name: Sally\nhourly_rate: 250\n", encoding="utf-8")
    wrapped = tmp_path / "w.yaml"
    wrapped.write_text("owner: {name: Sally, hourly_rate: 250}\ntasks: []\n", encoding="utf-8")
    assert read_owner(alone) == read_owner(wrapped) == Owner(name="Sally", hourly_rate=250)
    bad = tmp_path / "b.yaml"
    bad.write_text("name: Sally\nhourly_rat: 250\n", encoding="utf-8")
    with pytest.raises(FactError, match="did you mean 'hourly_rate'") as caught:
        read_owner(bad)
    assert caught.value.line == 2


def test_devices_and_directories_are_refused_unread(tmp_path: Path) -> None:
    """/dev/zero or a directory is refused at once, never read into memory."""
    for path in (Path("/dev/zero"), tmp_path):
        with pytest.raises(FactError, match="not a regular file"):
            read_inventory(path)
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(FactError, match="not a regular file"):
        read_inventory(fifo)
