"""``decide FILE.csv`` (a table) past TABLE_ROWS tasks: the plan added up in columns.

The columnar path never makes a ``Decision``: it adds each decided batch
to running totals (``frames.plantotals``). Its figures must be the native
plan's to the last bit, and its text the same bytes, on every kind of file.
"""

from __future__ import annotations

import io
import random
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outsourcing_rules import Owner, Plan, decide_all
from outsourcing_rules.cli import decide as decide_command
from outsourcing_rules.cli import stream
from outsourcing_rules.planning import PlanFigures, read_inventory, read_owner

from conftest import run_cli, write_text

pl = pytest.importorskip("polars", reason="the frames extra is not installed")

from outsourcing_rules.frames import csvfile, decide_frame  # noqa: E402
from outsourcing_rules.frames.plantotals import PlanTotals  # noqa: E402

EXAMPLES = Path(__file__).parent.parent / "docs" / "examples"
OWNER = EXAMPLES / "owner.yaml"
FIELDS = (
    "name",
    "category",
    "core_competency",
    "skill",
    "enjoyment",
    "times_per_year",
    "one_off",
    "hours_each",
    "time_available",
    "repetitive",
    "can_be_eliminated",
    "revenue_generating",
    "procedure_documented",
    "outcome_defined",
    "provider_hourly_rate",
)


def inventory(rows: int, seed: int, *, holes: float = 0.3, one_off: float = 0.2) -> str:
    """Return a CSV of random valid tasks: empty cells, one-off projects, awkward figures."""
    rng = random.Random(seed)

    def maybe(value: str) -> str:
        return "" if rng.random() < holes else value

    lines = [",".join(FIELDS)]
    for number in range(rows):
        once = rng.random() < one_off
        lines.append(
            ",".join(
                [
                    f"task {number}",
                    maybe(rng.choice(["invoicing", "design", "crm", "video", "tax"])),
                    maybe(rng.choice(["true", "false"])),
                    maybe(rng.choice(["none", "basic", "competent", "expert"])),
                    maybe(rng.choice(["hate", "dislike", "neutral", "like", "love"])),
                    "1" if once else maybe(rng.choice(["1", "2", "4", "12", "52", "250.5", "365"])),
                    "true" if once else maybe("false"),
                    maybe(rng.choice(["0.1", "0.25", "0.5", "1", "2.25", "3.3", "17", "40.7"])),
                    maybe(rng.choice(["true", "false"])),
                    maybe(rng.choice(["true", "false"])),
                    maybe(rng.choice(["true", "false"])),
                    maybe(rng.choice(["true", "false"])),
                    maybe(rng.choice(["yes", "no"])),
                    maybe(rng.choice(["yes", "no"])),
                    maybe(rng.choice(["15", "33.3", "60", "90", "125", "400"])),
                ]
            )
        )
    return "\n".join(lines) + "\n"


@pytest.fixture
def planned(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the runs that the columnar path planned (rather than handing to the native one)."""
    runs: list[int] = []
    real = stream.run_planned

    def spy(*args: object, **kwargs: object) -> object:
        found = real(*args, **kwargs)  # type: ignore[arg-type]
        runs.append(found[0].tasks)
        return found

    monkeypatch.setattr(stream, "run_planned", spy)
    return runs


def both(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[object, object]:
    """Run decide (a table) on the columnar path, then on the native one."""
    return run_cli(capsys, "decide", *args), run_cli(capsys, "decide", *args, "--engine", "native")


def native_figures(path: Path, owner: Owner | None, rank_by: str = "hours") -> PlanFigures:
    tasks = read_inventory(path).tasks
    return Plan.from_decisions(decide_all(tasks, owner), rank_by=rank_by).figures()  # type: ignore[arg-type]


def columnar_figures(path: Path, owner: Owner | None, rank_by: str = "hours") -> PlanFigures:
    totals = PlanTotals()
    for batch in csvfile.CsvBatches(path):
        one_off = batch.get_column("one_off") if "one_off" in batch.columns else None
        totals.add(decide_frame(batch, owner), one_off)
    return totals.figures(rank_by=rank_by)


CASES = {
    "examples": (EXAMPLES / "tasks.csv", OWNER),
    "holes, owner's rate known": ("holes", OWNER),
    "holes, no owner": ("holes", None),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_plan_alone_is_the_native_plan(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    planned: list[int],
    case: str,
) -> None:
    """Past TABLE_ROWS tasks, the same bytes on both paths, and the columnar path was taken."""
    monkeypatch.setenv("OUTSOURCING_RULES_CSV_BLOCK", "2048")  # many batches
    monkeypatch.setattr(decide_command, "TABLE_ROWS", 5)
    path, owner = CASES[case]
    if path == "holes":
        path = write_text(tmp_path, "holes.csv", inventory(400, seed=len(case)))
    args = [path, *(["--owner", owner] if owner else [])]
    columnar, native = both(capsys, *args)
    assert columnar == native
    code, out, err = columnar  # type: ignore[misc]
    assert (code, err) == (0, "")
    assert "are too many for a table (it lists up to 5)" in out
    assert "Hire one at a time" in out
    assert planned  # the plan was added up in columns, not by the native path
    assert planned[0] == len(read_inventory(Path(path)).tasks)


def test_more_than_a_thousand_tasks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], planned: list[int]
) -> None:
    """The real TABLE_ROWS: 1,500 tasks print the plan alone, the same on both paths."""
    path = write_text(tmp_path, "big.csv", inventory(1_500, seed=9))
    columnar, native = both(capsys, path, "--owner", OWNER)
    assert columnar == native
    out = columnar[1]  # type: ignore[index]
    assert out.startswith("1,500 tasks are too many for a table (it lists up to 1,000)")
    assert "1,500 tasks: " in out
    assert "task 1499" not in out.split("\n\n")[0]
    assert " more)" in out  # hires past five tasks are counted, not listed
    assert planned == [1_500]


def test_few_tasks_are_listed_by_the_native_path(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    planned: list[int],
) -> None:
    """A file of many lines but few tasks (blank lines): the table lists them, as natively."""
    monkeypatch.setattr(decide_command, "TABLE_ROWS", 5)
    text = inventory(4, seed=3).replace("\n", "\n\n\n")
    path = write_text(tmp_path, "few.csv", text)
    columnar, native = both(capsys, path, "--owner", OWNER)
    assert columnar == native
    assert "too many" not in columnar[1]  # type: ignore[index]
    assert "task 3" in columnar[1]  # type: ignore[index]
    assert planned == []  # counted in columns, then handed back to be listed


def test_one_off_projects_and_unknown_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """All one-off projects, or all unknown hours and rates: the same words on both paths."""
    monkeypatch.setattr(decide_command, "TABLE_ROWS", 5)
    for name, text in {
        "once.csv": inventory(60, seed=1, one_off=1.0, holes=0.1),
        "unknown.csv": inventory(60, seed=2, holes=0.95),
        "recurring.csv": inventory(60, seed=3, one_off=0.0, holes=0.0),
    }.items():
        path = write_text(tmp_path, name, text)
        for owner in ([], ["--owner", OWNER]):
            columnar, native = both(capsys, path, *owner)
            assert columnar == native, name


@pytest.mark.parametrize("rank_by", ["hours", "money"])
@pytest.mark.parametrize("owner_file", [None, OWNER])
def test_figures_are_equal_to_the_last_bit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rank_by: str, owner_file: Path | None
) -> None:
    """Every figure, summed over many batches, equals the native plan's exactly (==, not ≈)."""
    monkeypatch.setenv("OUTSOURCING_RULES_CSV_BLOCK", "1024")
    path = write_text(tmp_path, "t.csv", inventory(700, seed=5))
    owner = read_owner(owner_file) if owner_file else None
    assert len(list(csvfile.CsvBatches(path))) > 10
    native = native_figures(path, owner, rank_by)
    assert columnar_figures(path, owner, rank_by) == native
    assert native.hires
    assert native.one_off_projects
    assert native.tasks_without_rates


def test_an_empty_plan() -> None:
    """No batch added: no tasks, nothing freed, the words of an empty native plan."""
    assert PlanTotals().figures() == Plan.from_decisions([]).figures()


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.integers(0, 120),
    seed=st.integers(0, 10_000),
    holes=st.sampled_from([0.0, 0.3, 0.9]),
    one_off=st.sampled_from([0.0, 0.3, 1.0]),
    block=st.sampled_from([256, 4096]),
)
def test_any_inventory_gives_the_native_figures(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rows: int,
    seed: int,
    holes: float,
    one_off: float,
    block: int,
) -> None:
    """Random inventories in random batches: the native figures, and the native words."""
    monkeypatch.setenv("OUTSOURCING_RULES_CSV_BLOCK", str(block))
    path = write_text(tmp_path, "r.csv", inventory(rows, seed, holes=holes, one_off=one_off))
    owner = Owner.from_dict({"hourly_rate": 75, "core_competencies": ["design"]})
    native = native_figures(path, owner)
    columnar = columnar_figures(path, owner)
    assert columnar == native
    assert columnar.summary() == native.summary()


def test_standard_input_bad_cells_and_extra_columns(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    planned: list[int],
) -> None:
    """``-``, a late bad cell, a column that is no fact: the native path's output and errors."""
    monkeypatch.setattr(decide_command, "TABLE_ROWS", 5)
    monkeypatch.setenv("OUTSOURCING_RULES_CSV_BLOCK", "512")
    many = inventory(40, seed=8).replace("name,", "Notes,name,").replace("\ntask", "\nx,task")
    few = inventory(3, seed=8)
    bad = inventory(40, seed=8) + "task late,,,,,,,-3,,,,,,,\n"
    for text in (many, few, bad):
        results = []
        for engine in ([], ["--engine", "native"]):
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
            results.append(run_cli(capsys, "decide", "-", "--owner", OWNER, *engine))
        assert results[0] == results[1]
        path = write_text(tmp_path, "t.csv", text)
        columnar, native = both(capsys, path, "--owner", OWNER)
        assert columnar == native
        assert columnar[:2] == results[0][:2]  # type: ignore[index]
    assert planned == [40, 40]  # the many tasks, from standard input and from the file
    code, out, err = results[0]
    assert (code, out) == (2, "")
    assert "-:42: task late: hours_each" in err
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(many.encode())))
    code, out, err = run_cli(capsys, "decide", "-")
    assert code == 0
    assert err.count("warning:") == 1
    assert "Notes" in err
