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


def test_a_header_with_no_fact_is_refused(tmp_path: Path) -> None:
    """A first line naming no task fact is not a header of an inventory."""
    path = write_text(tmp_path, "t.csv", "0\n1\n")
    with pytest.raises(FactError, match="names no task fact"):
        read_inventory(path)


def test_the_cli_warns_of_left_out_columns_after_deciding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The warning comes once, on standard error, after a successful run; never on bad input."""
    path = write_text(tmp_path, "t.csv", "id,name,skill\n1,A,none\n")
    code, out, err = run_cli(capsys, "decide", path, "--format", "csv")
    assert code == 0
    assert "A,outsource" in out
    assert err == f"warning: {path}: columns that are not task facts are left out: id\n"
    bad = write_text(tmp_path, "bad.csv", "id,name,skill\n1,A,guru\n")
    code, _, err = run_cli(capsys, "decide", bad)
    assert code == 2
    assert all(line.startswith("error: ") for line in err.splitlines())


def test_standard_input_is_read_as_csv(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Decide - reads the CSV inventory from standard input."""
    import io as io_module
    import sys

    data = io_module.TextIOWrapper(io_module.BytesIO(b"name;skill\nA;none\nB;expert\n"))
    monkeypatch.setattr(sys, "stdin", data)
    code, out, _ = run_cli(capsys, "decide", "-", "--format", "csv")
    assert code == 0
    assert [line.split(",")[:2] for line in out.splitlines()[1:]] == [
        ["A", "outsource"],
        ["B", "keep"],
    ]


def test_every_bad_cell_of_a_row_is_reported_in_column_order(tmp_path: Path) -> None:
    """A cell that does not parse no longer hides the other bad cells of its row."""
    path = write_text(
        tmp_path,
        "t.csv",
        "name,enjoyment,times_per_year,one_off,skill\nA,hates,x,maybe,basics\nB,love,2,,none\n",
    )
    with pytest.raises(InventoryError) as caught:
        read_inventory(path)
    found = [(e.line, e.item, e.field, e.suggestion) for e in caught.value.errors]
    assert found == [
        (2, "A", "enjoyment", "hate"),
        (2, "A", "times_per_year", None),
        (2, "A", "one_off", None),
        (2, "A", "skill", "basic"),
    ]


def test_every_header_problem_is_reported_with_the_rows(tmp_path: Path) -> None:
    """Six typos, in the header and the cells, are six errors of one run, not six runs."""
    path = write_text(
        tmp_path,
        "t.csv",
        "name,skil,hours_eahc,Name,enjoyment,one_off\nA,none,2,A,hates,maybe\nB,x,1,B,lov,\n",
    )
    with pytest.raises(InventoryError) as caught:
        read_inventory(path)
    found = [(e.line, e.field, e.suggestion) for e in caught.value.errors]
    assert found == [
        (1, "skil", "skill"),
        (1, "hours_eahc", "hours_each"),
        (1, "Name", None),
        (2, "enjoyment", "hate"),
        (2, "one_off", None),
        (3, "enjoyment", "love"),
    ]
    assert "column 4" in str(caught.value.errors[2])
    assert "column twice" in str(caught.value.errors[2])


def test_a_header_problem_alone_still_stops_the_file(tmp_path: Path) -> None:
    """Good rows under a bad header are not decided: the file as a whole is refused."""
    path = write_text(tmp_path, "t.csv", "name,hours_eahc\nA,2\n")
    with pytest.raises(FactError) as caught:
        read_inventory(path)
    assert [e.field for e in caught.value.errors] == ["hours_eahc"]


def test_a_misspelt_name_column_is_said_once_not_in_every_row(tmp_path: Path) -> None:
    """'nme' is one header problem; the rows are not each told that their name is missing."""
    path = write_text(tmp_path, "t.csv", "nme,skill\nA,none\nB,guru\nC,basic\n")
    with pytest.raises(InventoryError) as caught:
        read_inventory(path)
    found = [(e.line, e.field) for e in caught.value.errors]
    assert found == [(1, "nme"), (3, "skill")]
    assert not any("is required" in str(e) for e in caught.value.errors)
