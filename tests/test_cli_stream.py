"""``decide`` on CSV at data speed: the streamed columnar path writes what the native path writes.

Every test runs both paths on the same file: the columnar one (the default
with the frames extra) and the native one (``--engine native``), and
compares standard output, standard error, the exit code and the files
written. Small blocks (``OUTSOURCING_RULES_CSV_BLOCK``) make small files
stream in many batches.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outsourcing_rules.cli import decide as decide_command
from outsourcing_rules.cli import output, stream

from conftest import run_cli, write_text

pl = pytest.importorskip("polars", reason="the frames extra is not installed")
pq = pytest.importorskip("pyarrow.parquet", reason="the frames extra is not installed")

from outsourcing_rules.frames import csvfile  # noqa: E402

EXAMPLES = Path(__file__).parent.parent / "docs" / "examples"
OWNER = EXAMPLES / "owner.yaml"
#: What each row format needs to stream: jsonl is each decision in full unless --compact.
COMPACT = {"jsonl": ["--compact"], "csv": []}
HEADER = (
    "name,category,core_competency,only_owner,skill,enjoyment,times_per_year,one_off,"
    "hours_each,time_available,repetitive,can_be_eliminated,revenue_generating,"
    "procedure_documented,outcome_defined,provider_hourly_rate,tags"
)


def both(
    capsys: pytest.CaptureFixture[str], *args: str | Path
) -> tuple[tuple[int, str, str], tuple[int, str, str]]:
    """Run decide on the columnar path, then on the native one; return both results."""
    assert stream.available()
    columnar = run_cli(capsys, "decide", *args)
    native = run_cli(capsys, "decide", *args, "--engine", "native")
    return columnar, native


def refused_alike(capsys: pytest.CaptureFixture[str], path: Path, *args: str) -> str:
    """Decide *path* on both paths: the same refusal, exit 2, nothing out, no traceback.

    Returns the errors, for the caller to check what they name.
    """
    columnar, native = both(capsys, path, *args)
    assert columnar == native
    code, out, err = columnar
    assert (code, out) == (2, "")
    assert "Traceback" not in err
    return err


def holes(rows: int, seed: int = 7) -> str:
    """Return a CSV of random valid tasks with every kind of column and many empty cells."""
    rng = random.Random(seed)

    def maybe(value: str) -> str:
        return "" if rng.random() < 0.3 else value

    lines = [HEADER]
    for number in range(rows):
        one_off = rng.choice(["true", "false", ""])
        times = "1" if one_off == "true" else maybe(rng.choice(["1", "4", "12", "52", "250.5"]))
        lines.append(
            ",".join(
                [
                    f"task {number}" if rng.random() < 0.9 else f'"task, {number}"',
                    maybe(rng.choice(["invoicing", "consulting", "design", "crm"])),
                    maybe(rng.choice(["true", "False", "yes", "NO"])),
                    maybe(rng.choice(["true", "false"])),
                    maybe(rng.choice(["none", "basic", "competent", "expert"])),
                    maybe(rng.choice(["hate", "dislike", "neutral", "like", "love"])),
                    times,
                    one_off,
                    maybe(str(round(rng.uniform(0.1, 30), 2))),
                    maybe(rng.choice(["true", "false"])),
                    maybe(rng.choice(["true", "false"])),
                    maybe(rng.choice(["true", "false"])),
                    maybe(rng.choice(["true", "false"])),
                    maybe(rng.choice(["yes", "no"])),
                    maybe(rng.choice(["yes", "no"])),
                    maybe(rng.choice(["15", "37.5", "60", "125", "400", "0.00001e7"])),
                    maybe(rng.choice(["admin", "admin; clients", ";", " ops ;growth"])),
                ]
            )
        )
    return "\n".join(lines) + "\n"


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read CSV files 512 bytes a batch, so a small file streams in many batches."""
    monkeypatch.setenv("OUTSOURCING_RULES_CSV_BLOCK", "512")


@pytest.mark.parametrize("form", ["jsonl", "csv"])
def test_the_example_inventory_gives_the_same_bytes(
    capsys: pytest.CaptureFixture[str], form: str
) -> None:
    """The documentation's CSV inventory: same output, same (empty) errors, both paths."""
    columnar, native = both(
        capsys, EXAMPLES / "tasks.csv", "--owner", OWNER, "--format", form, *COMPACT[form]
    )
    assert columnar == native
    assert columnar[0] == 0
    assert "Client invoicing" in columnar[1]


@pytest.mark.usefixtures("small_blocks")
@pytest.mark.parametrize("form", ["jsonl", "csv"])
def test_many_batches_with_holes_give_the_same_bytes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], form: str
) -> None:
    """Random tasks with empty cells, streamed in many small batches, in order, unchanged."""
    path = write_text(tmp_path, "holes.csv", holes(300))
    batches = list(csvfile.CsvBatches(path))
    assert len(batches) > 5  # the file really was read in several batches
    assert sum(batch.height for batch in batches) == 300
    columnar, native = both(capsys, path, "--owner", OWNER, "--format", form, *COMPACT[form])
    assert columnar == native
    assert columnar[0] == 0
    lines = columnar[1].splitlines()
    assert len(lines) == 300 + (form == "csv")
    names = [row[0] for row in csv.reader(io.StringIO(holes(300)))][1:]
    if form == "jsonl":
        assert [json.loads(line)["name"] for line in lines] == names
    else:
        assert [row[0] for row in csv.reader(io.StringIO(columnar[1]))][1:] == names


@pytest.mark.usefixtures("small_blocks")
def test_parquet_holds_the_same_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Parquet from the streamed batches is the table the native path writes."""
    path = write_text(tmp_path, "holes.csv", holes(200, seed=3))
    streamed, native = tmp_path / "streamed.parquet", tmp_path / "native.parquet"
    assert run_cli(capsys, "decide", path, "--format", "parquet", "-o", streamed)[0] == 0
    code, _, _ = run_cli(
        capsys, "decide", path, "--format", "parquet", "-o", native, "--engine", "native"
    )
    assert code == 0
    assert pq.read_table(streamed).equals(pq.read_table(native))
    assert pq.read_table(streamed).num_rows == 200


@pytest.mark.usefixtures("small_blocks")
def test_empty_inventory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A header and no rows: the csv header alone, no jsonl lines, on both paths."""
    path = write_text(tmp_path, "empty.csv", "name,hours_each\n\n")
    for form in ("csv", "jsonl"):
        columnar, native = both(capsys, path, "--format", form, *COMPACT[form])
        assert columnar == native
    assert columnar[1] == ""


def test_columns_of_empty_cells(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Yes-or-no, number and label columns with every cell empty: unknown, on both paths."""
    text = "name,hours_each,times_per_year,repetitive,tags\nt0,,,,\nt1,,,,\n"
    path = write_text(tmp_path, "empty-cells.csv", text)
    columnar, native = both(capsys, path, "--format", "csv")
    assert columnar == native
    assert columnar[0] == 0
    assert columnar[1].splitlines()[1:] == ["t0,keep,,,,,,,", "t1,keep,,,,,,,"]


BAD_FILES = {
    "bad cells": "name,skill,times_per_year\nA,novice,4\nB,basic,once\nC,,1,5\n",
    "ragged row": "name,skill\nA,basic\nB\nC,none,extra\n",
    "thousands comma": "name,hours_each\nA,1,000\n",
    "decimal comma": 'name,hours_each\nA,"1,5"\n',
    "missing name": "name,hours_each\nA,2\n ,3\n",
    "no name column": "hours_each\n2\n",
    "out of range": "name,hours_each,times_per_year\nA,-1,4\nB,2,1e400\n",
    "one-off twice": "name,one_off,times_per_year\nA,true,4\n",
    "yes-or-no as a number": "name,repetitive\nA,1\n",
    "misspelt header": "name,hours_eahc\nA,2\n",
    "column twice": "name,Name\nA,B\n",
    "NUL": "name,hours_each\nA\x00,2\n",
}


@pytest.mark.usefixtures("small_blocks")
@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_input_gives_the_same_located_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    """Every bad file: exit 2, the same located errors, nothing on standard output."""
    path = write_text(tmp_path, "bad.csv", BAD_FILES[case])
    err = refused_alike(capsys, path, "--format", "jsonl", "--compact")
    assert err.startswith("error: ")


def test_bad_cells_are_placed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The errors name the file, the line, the task and the fact, with the value."""
    path = write_text(tmp_path, "bad.csv", BAD_FILES["bad cells"])
    code, _, err = run_cli(capsys, "decide", path, "--format", "csv")
    assert code == 2
    lines = err.splitlines()
    assert lines[0].startswith("error: ")
    assert "bad.csv:2: A: skill: 'novice'" in lines[0]
    assert any("bad.csv:3" in line and "'once'" in line for line in lines)
    assert any("bad.csv:4" in line and "has 4 cells" in line for line in lines)


def test_a_bad_header_and_bad_cells_are_reported_together(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A misspelt column and a bad cell below it come out in one run, as natively."""
    path = write_text(tmp_path, "bad.csv", "name,skil,enjoyment\nA,basic,lov\n")
    err = refused_alike(capsys, path, "--format", "jsonl", "--compact")
    assert "skil" in err
    assert "'lov'" in err


@pytest.mark.usefixtures("small_blocks")
def test_a_bad_cell_late_in_the_file_leaves_no_output_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Batches already written are thrown away: the old file stays, no temporary remains."""
    text = holes(200) + "task late,,,,,,,,-3,,,,,,,,\n"
    path = write_text(tmp_path, "late.csv", text)
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "decisions.jsonl"
    target.write_text("old\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "decide", path, "--format", "jsonl", "--compact", "-o", target)
    assert (code, out) == (2, "")
    assert "late.csv:202: task late: hours_each" in err
    assert target.read_text(encoding="utf-8") == "old\n"
    assert os.listdir(folder) == ["decisions.jsonl"]
    fresh = folder / "new.csv"
    assert run_cli(capsys, "decide", path, "--format", "csv", "-o", fresh)[0] == 2
    assert not fresh.exists()
    assert os.listdir(folder) == ["decisions.jsonl"]


@pytest.mark.usefixtures("small_blocks")
def test_a_bad_cell_prints_nothing_on_standard_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Streamed to standard output, a bad cell late in the file still prints no rows."""
    path = write_text(tmp_path, "late.csv", holes(100) + "task late,,,,,,,,x,,,,,,,,\n")
    code, out, _ = run_cli(capsys, "decide", path, "--format", "csv")
    assert (code, out) == (2, "")


def test_decimal_comma_only_where_the_file_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``1,5`` is one and a half with ``--decimal ,``, refused with its line otherwise, never 15."""
    path = write_text(tmp_path, "comma.csv", 'name;hours_each;times_per_year\nA;1,5;52\nB;"2";12\n')
    code, out, err = run_cli(capsys, "decide", path, "--format", "jsonl", "--compact")
    assert (code, out) == (2, "")
    assert "comma.csv:2: A: hours_each" in err
    assert "--decimal ," in err
    columnar, native = both(capsys, path, "--format", "jsonl", "--compact", "--decimal", ",")
    assert columnar == native
    first = json.loads(columnar[1].splitlines()[0])
    assert first["hours_per_year"] == 78.0  # 1.5 hours, 52 times
    assert first["hours_per_year"] != 15 * 52
    # with --decimal , a point still reads as a decimal point, and two commas are refused
    path = write_text(tmp_path, "two.csv", 'name;hours_each\nA;1.5\nB;"1,000,5"\n')
    columnar, native = both(capsys, path, "--format", "csv", "--decimal", ",")
    assert columnar == native
    assert columnar[0] == 2
    assert "two.csv:3: B: hours_each" in columnar[2]


def test_standard_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``-`` reads CSV from standard input: the same rows as from the file."""
    text = (EXAMPLES / "tasks.csv").read_bytes()
    from_file = run_cli(capsys, "decide", EXAMPLES / "tasks.csv", "--format", "jsonl", "--compact")
    for engine in ([], ["--engine", "native"]):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text)))
        assert (
            run_cli(capsys, "decide", "-", "--format", "jsonl", "--compact", *engine) == from_file
        )


def test_extra_columns_warned_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Columns that are not facts: one warning on standard error, on both paths alike."""
    path = write_text(tmp_path, "extra.csv", "id,Name,notes,HOURS_EACH\n1,A,x,2\n")
    columnar, native = both(capsys, path, "--format", "csv")
    assert columnar == native
    assert columnar[2].count("warning:") == 1
    assert "id, notes" in columnar[2]


def test_without_the_extra_the_native_path_serves(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With frames unavailable, decide reads the file natively and prints the same rows."""
    path = write_text(tmp_path, "holes.csv", holes(50, seed=11))
    columnar = run_cli(capsys, "decide", path, "--format", "csv")
    monkeypatch.setattr(stream, "available", lambda: False)
    assert run_cli(capsys, "decide", path, "--format", "csv") == columnar


def test_no_progress_bar_into_a_pipe(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Standard error is not a terminal here: the streamed run writes nothing to it."""
    path = write_text(tmp_path, "holes.csv", holes(2_000, seed=5))
    code, out, err = run_cli(capsys, "decide", path, "--format", "jsonl", "--compact")
    assert (code, err) == (0, "")
    assert len(out.splitlines()) == 2_000


def test_progress_bar_on_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a terminal the streamed run draws its phases, counts in thousands, on stderr only."""
    path = write_text(tmp_path, "holes.csv", holes(2_000, seed=5))
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    code, out, err = run_cli(capsys, "decide", path, "--format", "jsonl", "--compact")
    assert code == 0
    assert "2,000/2,000 rows" in err
    for phase in ("reading", "deciding", "writing"):
        assert phase in err
    assert "\x1b" not in out
    assert len(out.splitlines()) == 2_000


def test_a_huge_table_says_the_plan_and_where_to_look(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past TABLE_ROWS tasks, --format table prints the plan and a pointer, not every row."""
    monkeypatch.setattr(decide_command, "TABLE_ROWS", 20)
    path = write_text(tmp_path, "holes.csv", holes(1_200, seed=2))
    code, out, _ = run_cli(capsys, "decide", path, "--owner", OWNER)
    assert code == 0
    assert out.startswith("1,200 tasks are too many for a table")
    assert "--format jsonl" in out
    assert "1,200 tasks: " in out  # the plan's summary follows
    assert "task 17" not in out.split("\n\n")[0]
    assert len(out.splitlines()) < 40


@pytest.mark.parametrize(
    "value",
    [208, 4.0, 0.1, 1 / 3, 1e16, 1.5e17, 1e-5, 1.5e-5, -2.5e-7, 9.99e-6, 1e-4, 0.0, -0.0, 5e-324],
)
def test_figures_are_written_as_polars_writes_them(value: float) -> None:
    """The native writers' figures are the columnar writers' bytes (polars' float text)."""
    assert output.number_text(value) == pl.Series([float(value)]).cast(pl.String)[0]


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_any_figure_is_written_as_polars_writes_it(value: float) -> None:
    """Every finite double: the same text as polars."""
    assert output.number_text(value) == pl.Series([value]).cast(pl.String)[0]


_CELLS = st.sampled_from(
    ["", " ", "A", "a b", "x,y", 'q"q', "é", "true", "Yes", "no", "1", "0", "-0", "1.5", "1,5",
     "+2", ".5", "5.", "1e3", "1_0", "٣", "inf", "nan", "basic", "LOVE", "admin;ops", ";",
     "\t2 ", "\x1c3\x1f", "\u20282"]
)  # fmt: skip
_COLUMNS = st.lists(
    st.sampled_from(["hours_each", "times_per_year", "skill", "repetitive", "tags", "category"]),
    min_size=1,
    max_size=3,
    unique=True,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(columns=_COLUMNS, data=st.data(), decimal=st.sampled_from([".", ","]))
def test_random_cells_read_as_the_native_reader_reads_them(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    columns: list[str],
    data: st.DataObject,
    decimal: str,
) -> None:
    """Random awkward cells: both paths print the same, or refuse alike with the same errors."""
    rows = data.draw(
        st.lists(
            st.lists(_CELLS, min_size=len(columns), max_size=len(columns)), min_size=1, max_size=6
        )
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["name", *columns])
    for number, row in enumerate(rows):
        writer.writerow([f"t{number}", *row])
    path = tmp_path / "random.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    columnar, native = both(capsys, path, "--format", "jsonl", "--compact", "--decimal", decimal)
    assert columnar == native


def test_spaces_are_python_spaces() -> None:
    """The columnar reader strips exactly what ``str.strip`` strips, over all of Unicode."""
    from outsourcing_rules.frames import columns

    every = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
    assert every == columns._SPACE


def test_a_bad_owner_and_bad_cells_are_reported_as_natively(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad owner file with a bad inventory: the same errors, in the same order, both paths."""
    path = write_text(tmp_path, "bad.csv", BAD_FILES["bad cells"])
    owner = write_text(tmp_path, "owner.yaml", "name: Sally\nhourly_rate: -5\n")
    columnar, native = both(capsys, path, "--owner", owner, "--format", "csv")
    assert columnar == native
    assert columnar[0] == 2
    good = write_text(tmp_path, "good.csv", "name,hours_each\nA,2\n")
    columnar, native = both(capsys, good, "--owner", owner, "--format", "csv")
    assert columnar == native
    assert columnar[0] == 2
    assert "hourly_rate" in columnar[2]


def _parquet(tmp_path: Path, table: dict[str, list[object]]) -> Path:
    path = tmp_path / "tasks.parquet"
    pl.DataFrame(table).write_parquet(path)
    return path


def test_a_parquet_inventory_gives_what_its_csv_gives(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The example inventory as Parquet, read a few rows a batch: the rows its CSV gives."""
    monkeypatch.setenv("OUTSOURCING_RULES_PARQUET_ROWS", "3")
    frame = pl.read_csv(EXAMPLES / "tasks.csv").rename({"skill": "Skill"})
    path = tmp_path / "tasks.parquet"
    frame.write_parquet(path)
    from_csv = run_cli(
        capsys, "decide", EXAMPLES / "tasks.csv", "--owner", OWNER, "--format", "csv"
    )
    assert run_cli(capsys, "decide", path, "--owner", OWNER, "--format", "csv") == from_csv


def test_a_parquet_inventory_with_bad_cells_names_their_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows are counted over the whole file, whatever batch they were read in."""
    monkeypatch.setenv("OUTSOURCING_RULES_PARQUET_ROWS", "2")
    hours = [1.0, 2.0, 3.0, -4.0, 5.0]
    path = _parquet(tmp_path, {"name": list("abcde"), "hours_each": hours, "notes": list("vwxyz")})
    target = tmp_path / "out.jsonl"
    code, out, err = run_cli(capsys, "decide", path, "--format", "jsonl", "--compact", "-o", target)
    assert (code, out) == (2, "")
    assert "row 3: hours_each: must not be negative" in err
    assert "tasks.parquet" in err
    assert not target.exists()
    assert "warning" not in err  # said only once a run succeeds


@pytest.mark.parametrize(
    ("table", "args", "said"),
    [
        ({"name": ["a"], "hours_eahc": [1.0]}, [], "did you mean 'hours_each'"),
        ({"name": ["a"], "Name": ["b"]}, [], "is a column twice"),
        ({"hours_each": [1.0]}, [], "name: is required"),
        ({"name": ["a"]}, ["--format", "table"], "use --format csv, parquet or jsonl --compact"),
        ({"name": ["a"]}, ["--format", "jsonl"], "use --format csv, parquet or jsonl --compact"),
        ({"name": ["a"]}, ["--engine", "native"], "without --engine"),
    ],
)
def test_parquet_inventory_problems(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    table: dict[str, list[object]],
    args: list[str],
    said: str,
) -> None:
    """Bad columns and formats that cannot stream: one clear error, exit 2, no traceback."""
    path = _parquet(tmp_path, table)
    code, out, err = run_cli(capsys, "decide", path, *(args or ["--format", "csv"]))
    assert (code, out) == (2, "")
    assert said in err
    assert "Traceback" not in err


def test_parquet_needs_the_frames_extra(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the extra, a Parquet inventory is refused with the extra to install."""
    path = _parquet(tmp_path, {"name": ["a"]})
    monkeypatch.setattr(stream, "available", lambda: False)
    code, _, err = run_cli(capsys, "decide", path, "--format", "csv")
    assert code == 2
    assert "outsourcing-rules[frames]" in err


@pytest.mark.parametrize("form", ["jsonl", "csv"])
def test_awkward_names_are_written_alike(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], form: str
) -> None:
    """Names with quotes, commas, line breaks, escapes and odd spaces: the same bytes."""
    names = ['say "hi"', "a, b", "two\nlines", "\x1b[31mred", "sep\u2028ar", "nel\x85", "tab\there"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["name", "hours_each"])
    writer.writerows([name, "1"] for name in names)
    path = write_text(tmp_path, "odd.csv", buffer.getvalue())
    columnar, native = both(capsys, path, "--format", form, *COMPACT[form])
    assert columnar == native
    assert columnar[0] == 0
    assert "\x1b" not in columnar[1]  # no escape sequence reaches the terminal
    target = tmp_path / f"streamed.{form}"
    assert run_cli(capsys, "decide", path, "--format", form, *COMPACT[form], "-o", target)[0] == 0
    again = tmp_path / f"again.{form}"
    code = run_cli(
        capsys, "decide", path, "--format", form, *COMPACT[form], "-o", again, "--engine", "native"
    )[0]
    assert code == 0
    assert target.read_bytes() == again.read_bytes()


def test_bad_standard_input_is_reported_as_natively(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bad cell on standard input: the columnar path hands the same bytes to the native one."""
    text = BAD_FILES["bad cells"].encode()
    results = []
    for engine in ([], ["--engine", "native"]):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text)))
        results.append(run_cli(capsys, "decide", "-", "--format", "csv", *engine))
    assert results[0] == results[1]
    code, out, err = results[0]
    assert (code, out) == (2, "")
    assert "-:2: A: skill: 'novice'" in err
