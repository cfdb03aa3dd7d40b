"""decide -o FILE, --format csv and parquet (cli.output)."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

from outsourcing_rules import decide
from outsourcing_rules.cli import output

from conftest import run_cli, write_text

TASKS = "name,skill,hours_each,times_per_year\nEdit video,none,2,52\nStrategy,expert,,\n"
#: The rules the default ruleset matches for "Edit video", as the API says.
MATCHED = decide(
    {"name": "Edit video", "skill": "none", "hours_each": 2, "times_per_year": 52},
    engine="native",
).matched_rule_ids


def test_csv_format_one_row_a_task(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--format csv prints a header and one row a task, matched rules joined by ';'."""
    path = write_text(tmp_path, "t.csv", TASKS)
    code, out, _ = run_cli(capsys, "decide", path, "--format", "csv", "--engine", "native")
    assert code == 0
    table = list(csv.reader(io.StringIO(out)))
    assert table[0] == list(output.COLUMNS)
    assert table[1][:5] == ["Edit video", "outsource", "skill-gap", ";".join(MATCHED), "specialist"]
    assert table[1][5] == "104.0"  # figures always as decimals, as the columnar path writes
    assert table[2][1:3] == ["keep", ""]


def test_output_file_is_written_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """-o FILE writes the file and nothing to standard output; no temporary file is left."""
    path = write_text(tmp_path, "t.csv", TASKS)
    target = tmp_path / "out" / "decisions.jsonl"
    target.parent.mkdir()
    target.write_text("old content", encoding="utf-8")
    code, out, _ = run_cli(capsys, "decide", path, "--format", "jsonl", "-o", target)
    assert (code, out) == (0, "")
    lines = target.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    assert '"verdict":"outsource"' in lines[0]
    assert os.listdir(target.parent) == ["decisions.jsonl"]


def test_an_interrupted_write_leaves_the_old_file(tmp_path: Path) -> None:
    """If writing fails half-way, the target keeps its old content and no temporary remains."""
    target = tmp_path / "report.txt"
    target.write_text("old", encoding="utf-8")

    def write_half() -> None:
        with output.atomic_output(str(target)) as out:
            out.write("half of the new")
            raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        write_half()
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["report.txt"]


def test_parquet_needs_a_file_and_writes_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--format parquet is refused on standard output (exit 2) and written with -o."""
    pq = pytest.importorskip("pyarrow.parquet", reason="the frames extra is not installed")
    path = write_text(tmp_path, "t.csv", TASKS)
    code, _, err = run_cli(capsys, "decide", path, "--format", "parquet")
    assert code == 2
    assert "-o FILE" in err
    target = tmp_path / "d.parquet"
    code, _, _ = run_cli(capsys, "decide", path, "--format", "parquet", "-o", target)
    assert code == 0
    table = pq.read_table(target)
    assert table.column_names == list(output.COLUMNS)
    assert table.column("matched").to_pylist() == [list(MATCHED), []]
    assert table.column("hours_per_year").to_pylist() == [104.0, None]
