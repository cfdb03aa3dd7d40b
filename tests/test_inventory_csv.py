"""CSV inventories: delimiters, headers, decimal commas (planning.inventory)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from outsourcing_rules import FactError, InventoryError
from outsourcing_rules.planning.inventory import InventoryWarning, read_inventory

from conftest import run_cli, write_text


def test_a_decimal_comma_is_refused_never_read_as_thousands(tmp_path: Path) -> None:
    """'1,5' is not 15: without --decimal , it is refused with its line and a hint."""
    path = write_text(tmp_path, "t.csv", 'name,hours_each\nA,"1,5"\n')
    with pytest.raises(InventoryError) as caught:
        read_inventory(path)
    error = caught.value.errors[0]
    assert (error.line, error.field) == (2, "hours_each")
    assert "never a thousands separator" in str(error)
    assert "--decimal ," in str(error)


def test_a_decimal_comma_is_read_where_the_file_says_so(tmp_path: Path) -> None:
    """With decimal=',' a semicolon file of decimal commas reads as decimals."""
    path = write_text(tmp_path, "t.csv", "name;hours_each;times_per_year\nA;1,5;12\n")
    (task,) = read_inventory(path, decimal=",").tasks
    assert (task.hours_each, task.times_per_year) == (1.5, 12)
    bad = write_text(tmp_path, "bad.csv", "name;hours_each\nA;1.234,5\n")
    with pytest.raises(InventoryError, match="one comma and no point"):
        read_inventory(bad, decimal=",")


def test_the_delimiter_comes_from_the_header(tmp_path: Path) -> None:
    """Tabs, semicolons and bars separate columns; labels keep their semicolons."""
    for delimiter in ("\t", ";", "|"):
        text = f"name{delimiter}skill{delimiter}hours_each\nA{delimiter}none{delimiter}2\n"
        (task,) = read_inventory(write_text(tmp_path, "t.csv", text)).tasks
        assert (task.name, str(task.skill), task.hours_each) == ("A", "none", 2)
    path = write_text(tmp_path, "tags.csv", "name,tags\nA,admin;legal\n")
    assert read_inventory(path).tasks[0].tags == frozenset({"admin", "legal"})


def test_headers_match_whatever_their_case(tmp_path: Path) -> None:
    """'Name' and 'Hours_Each' are the facts name and hours_each."""
    path = write_text(tmp_path, "t.csv", "Name,Hours_Each\nA,2\n")
    assert read_inventory(path).tasks[0].hours_each == 2


def test_a_column_twice_is_refused(tmp_path: Path) -> None:
    """Two columns for one fact (whatever their case) cannot both be right."""
    path = write_text(tmp_path, "t.csv", "name,skill,Skill\nA,none,expert\n")
    with pytest.raises(FactError, match="is a column twice"):
        read_inventory(path)


def test_a_near_miss_header_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    """A typo of a fact name is not silently left out."""
    path = write_text(tmp_path, "t.csv", "name,hours_eahc\nA,2\n")
    with pytest.raises(FactError, match="did you mean 'hours_each'"):
        read_inventory(path)


def test_other_columns_are_left_out_with_one_warning(tmp_path: Path) -> None:
    """Columns unlike any fact (an id, notes) are left out, and one warning lists them."""
    path = write_text(tmp_path, "t.csv", "id,name,notes\n7,A,x\n8,B,y\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tasks = read_inventory(path).tasks
    assert [t.name for t in tasks] == ["A", "B"]
    found = [w for w in caught if issubclass(w.category, InventoryWarning)]
    assert len(found) == 1
    assert "id, notes" in str(found[0].message)


def test_the_cli_takes_decimal_comma(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """outsourcing-rules decide --decimal , reads decimal commas; without it, exit 2."""
    path = write_text(tmp_path, "t.csv", 'name,hours_each,times_per_year\nA,"1,5",52\n')
    code, _, err = run_cli(capsys, "decide", path, "--format", "json")
    assert code == 2
    assert "hours_each" in err
    code, out, _ = run_cli(capsys, "decide", path, "--format", "json", "--decimal", ",")
    assert code == 0
    assert '"hours_per_year": 78.0' in out
