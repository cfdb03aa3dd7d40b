"""Number and yes-or-no columns parsed by Arrow: the same bytes as the native reader, or its errors.

The columnar reader lets Arrow parse number and yes-or-no cells itself
and reads the rest of the file as text from the first cell Arrow will not
parse. Whichever way a cell is read, the output must be the native path's.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from test_cli_stream import COMPACT, HEADER, OWNER, both, holes, refused_alike

from conftest import write_text

pl = pytest.importorskip("polars", reason="the frames extra is not installed")

from outsourcing_rules.frames import csvfile  # noqa: E402

#: Column positions in HEADER.
TIMES, HOURS, ONLY_OWNER = 6, 8, 3


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read CSV files 512 bytes a batch, so a small file streams in many batches."""
    monkeypatch.setenv("OUTSOURCING_RULES_CSV_BLOCK", "512")


@pytest.fixture
def modes(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Record, for each pass over a file, whether Arrow parsed numbers (True) or text was read."""
    seen: list[bool] = []
    real = csvfile._column_types

    def spy(facts: dict[str, str | None], *, native: bool) -> dict[str, Any]:
        seen.append(native)
        return real(facts, native=native)

    monkeypatch.setattr(csvfile, "_column_types", spy)
    return seen


def with_cell(text: str, row: int, column: int, value: str) -> str:
    """Return the CSV *text* with the cell at data *row*, *column* replaced by *value*."""
    lines = text.splitlines()
    cells = lines[row + 1].split(",")
    assert not lines[row + 1].startswith('"')  # the row's cells are plain
    cells[column] = value
    lines[row + 1] = ",".join(cells)
    return "\n".join(lines) + "\n"


def plain_row(text: str, start: int) -> int:
    """Return the first data row from *start* on without a quoted name (its commas split)."""
    lines = text.splitlines()
    return next(r for r in range(start, len(lines) - 1) if not lines[r + 1].startswith('"'))


@pytest.mark.usefixtures("small_blocks")
def test_plain_files_are_parsed_by_arrow_in_one_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], modes: list[bool]
) -> None:
    """A file of plain cells is read once, numbers and yes-or-no by Arrow; same bytes."""
    path = write_text(tmp_path, "holes.csv", holes(200))
    batches = list(csvfile.CsvBatches(path))
    assert modes == [True]
    assert batches[0].schema["hours_each"] == pl.Float64
    assert batches[0].schema["repetitive"] == pl.Boolean
    columnar, native = both(capsys, path, "--owner", OWNER, "--format", "jsonl", "--compact")
    assert columnar == native
    assert columnar[0] == 0


@pytest.mark.usefixtures("small_blocks")
@pytest.mark.parametrize(
    ("column", "odd"),
    [
        (TIMES, "1_2"),  # Python reads 12; Arrow does not parse it
        (HOURS, "\u00a02.5"),  # a no-break space Python strips and Arrow does not
        (ONLY_OWNER, "Yes "),  # a space after the word
        (ONLY_OWNER, " no"),
        (HOURS, "   "),  # only spaces: unknown for Python, not a number for Arrow
    ],
)
@pytest.mark.parametrize("form", ["jsonl", "csv"])
def test_an_odd_cell_late_in_the_file_switches_to_text_without_losing_rows(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    modes: list[bool],
    column: int,
    odd: str,
    form: str,
) -> None:
    """From the first cell Arrow will not parse, the rest is read as text: every row, once."""
    text = holes(300)
    row = plain_row(text, 250)
    path = write_text(tmp_path, "odd.csv", with_cell(text, row, column, odd))
    batches = list(csvfile.CsvBatches(path))
    assert modes == [True, False]
    assert sum(batch.height for batch in batches) == 300
    names = pl.concat([batch.select("name") for batch in batches]).get_column("name")
    assert names.to_list() == [n if n else None for n in _names(path)]
    assert batches[0].schema["hours_each"] == pl.Float64  # the first batches stay typed
    columnar, native = both(capsys, path, "--owner", OWNER, "--format", form, *COMPACT[form])
    assert columnar == native
    assert columnar[0] == 0


def _names(path: Path) -> list[str]:
    import csv

    with path.open(encoding="utf-8", newline="") as file:
        return [line[0] for line in csv.reader(file)][1:]


def test_minus_zero_is_read_as_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``-0`` hours is 0.0, not -0.0, as the native reader reads it."""
    path = write_text(
        tmp_path,
        "zero.csv",
        f"{HEADER}\nzero,design,,,,,4,false,-0,,,,,,,60,\nother,design,,,,,4,false,2,,,,,,,60,\n",
    )
    (batch,) = list(csvfile.CsvBatches(path))
    hours = batch.get_column("hours_each").to_list()
    assert hours == [0.0, 2.0]
    assert math.copysign(1.0, hours[0]) == 1.0
    columnar, native = both(capsys, path, "--owner", OWNER, "--format", "jsonl", "--compact")
    assert columnar == native
    assert json.loads(columnar[1].splitlines()[0])["hours_per_year"] == 0.0
    assert '"hours_per_year":-0.0' not in columnar[1]


@pytest.mark.usefixtures("small_blocks")
@pytest.mark.parametrize("bad", ["nan", "inf", "-Infinity", "1e999"])
def test_a_number_arrow_reads_but_the_task_refuses_is_reported_in_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: str
) -> None:
    """Arrow parses ``nan`` and ``inf``; the native reader refuses them, with the line."""
    text = holes(300)
    row = plain_row(text, 260)
    path = write_text(tmp_path, "bad.csv", with_cell(text, row, HOURS, bad))
    err = refused_alike(capsys, path, "--owner", OWNER, "--format", "jsonl", "--compact")
    assert f":{row + 2}" in err  # the file's line: the header, then one line a row
    assert "hours_each" in err
    assert f"not {bad!r}" in err


@pytest.mark.usefixtures("small_blocks")
@pytest.mark.parametrize(
    ("column", "spaced"),
    [
        (0, " padded name\u00a0"),
        (0, "café\u3000"),
        (0, "naïve"),  # not a space at either end: kept as it is
        (1, "\x1cdesign"),  # a separator Python's strip removes
        (1, "design\t"),
        (4, " Expert"),
        (5, "love\u2003"),
    ],
)
def test_text_cells_with_spaces_late_in_the_file_are_stripped_as_the_native_reader_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], column: int, spaced: str
) -> None:
    """Text is stripped only in batches that may need it; the bytes stay the native path's."""
    text = holes(300)
    row = plain_row(text, 270)
    path = write_text(tmp_path, "spaced.csv", with_cell(text, row, column, spaced))
    columnar, native = both(capsys, path, "--owner", OWNER, "--format", "jsonl", "--compact")
    assert columnar == native
    assert columnar[0] == 0
    if column == 0:
        name = json.loads(columnar[1].splitlines()[row])["name"]
        assert name == spaced.strip()
