"""``outsourcing-rules decide``: the plan after the table, and the Markdown and HTML reports."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from conftest import run_cli, write_text

INVENTORY = """\
owner: {name: Sally, hourly_rate: 250, core_competencies: [consulting]}
tasks:
  - {name: Client consulting, category: consulting, times_per_year: 200, hours_each: 6}
  - {name: Client invoicing, category: invoicing, times_per_year: 52, hours_each: 4,
     provider_hourly_rate: 37.5}
  - {name: "<b>Book</b> flights", times_per_year: 3, enjoyment: dislike}
"""


@pytest.fixture
def inventory(tmp_path: Path) -> str:
    """Write a small inventory file with an owner; return its path."""
    return str(write_text(tmp_path, "tasks.yaml", INVENTORY))


def test_table_then_plan(capsys: pytest.CaptureFixture[str], inventory: str) -> None:
    """After the table comes the plan: verdict counts, hours, saving, hires."""
    code, out, err = run_cli(capsys, "decide", inventory)
    assert (code, err) == (0, "")
    table, summary = out.split("\n\n")
    assert table.splitlines()[0].startswith("Task")
    assert summary.splitlines() == [
        "3 tasks: 2 keep, 1 outsource, 0 eliminate.",
        "Hours freed: 4 hours a week.",
        "Saving: $44,200 a year.",
        "Hire one at a time, in this order:",
        "  1. bookkeeper: 4 hours a week, $44,200 a year (Client invoicing)",
    ]


def test_json_has_decisions_and_plan(capsys: pytest.CaptureFixture[str], inventory: str) -> None:
    """JSON keeps its decisions and adds the plan, without repeating the decisions."""
    code, out, _ = run_cli(capsys, "decide", inventory, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert list(data) == ["decisions", "plan"]
    assert len(data["decisions"]) == 3
    assert data["plan"]["summary"]["saving_per_year"] == 44_200
    assert "decisions" not in data["plan"]


def test_markdown_report(capsys: pytest.CaptureFixture[str], inventory: str) -> None:
    """Markdown is the full report, task names escaped."""
    code, out, _ = run_cli(capsys, "decide", inventory, "--format", "markdown")
    assert code == 0
    assert out.startswith("# Delegation plan\n")
    assert "### \\<b\\>Book\\</b\\> flights" in out


def test_html_report(capsys: pytest.CaptureFixture[str], inventory: str) -> None:
    """HTML is one self-contained page, task names escaped."""
    code, out, _ = run_cli(capsys, "decide", inventory, "--format", "html")
    assert code == 0
    assert out.startswith("<!DOCTYPE html>")
    assert "<svg" in out
    assert "&lt;b&gt;Book&lt;/b&gt; flights" in out
    assert "<b>Book" not in out


def test_no_progress_when_stderr_is_not_a_terminal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A large inventory decided into a pipe writes nothing to standard error."""
    rows = ["name,times_per_year,hours_each,skill"]
    rows += [f"task {i},52,1,none" for i in range(800)]
    path = tmp_path / "big.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "decide", str(path), "--engine", "native", "--format", "json")
    assert code == 0
    assert err == ""
    assert len(json.loads(out)["decisions"]) == 800


def test_progress_on_a_terminal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a terminal, bars for each phase on standard error, counts in thousands, then cleared."""
    rows = ["name,times_per_year,hours_each,skill"]
    rows += [f"task {i},52,1,none" for i in range(1_200)]
    path = tmp_path / "big.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    code, out, err = run_cli(capsys, "decide", str(path), "--engine", "native", "--format", "html")
    assert code == 0
    for phase in ("reading", "deciding", "writing"):
        assert phase in err
    assert "1,200/1,200 rows" in err
    assert "1200" not in err
    assert err.endswith("\x1b[2K")  # the bars are erased once done
    assert out.startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("tasks", ["t.yaml", "t.csv"])
@pytest.mark.parametrize("command", ["decide", "explain"])
def test_a_bad_inventory_and_a_bad_owner_file_are_reported_in_one_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], tasks: str, command: str
) -> None:
    """The owner file's problems come with the inventory's, not on the next run."""
    if tasks.endswith(".csv"):
        inventory = write_text(tmp_path, tasks, "name,skill\nA,basics\n")
    else:
        inventory = write_text(tmp_path, tasks, "- {name: A, skill: basics}\n")
    owner = write_text(tmp_path, "owner.yaml", "name: S\nhourly_rat: 5\n")
    extra = ["--task", "A"] if command == "explain" else []
    code, out, err = run_cli(capsys, command, inventory, "--owner", owner, *extra)
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"error: {inventory}:")
    assert "did you mean 'basic'" in lines[0]
    assert lines[1].startswith(f"error: {owner}:2:1: owner: hourly_rat: unknown fact")
    assert "Traceback" not in err


def test_a_good_owner_file_replaces_the_inventorys_owner(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--owner still replaces the owner the inventory names."""
    inventory = write_text(
        tmp_path,
        "t.yaml",
        """
        owner: {name: Inside, hourly_rate: 10}
        tasks:
          - {name: A, times_per_year: 52, hours_each: 4, provider_hourly_rate: 30}
        """,
    )
    owner = write_text(tmp_path, "owner.yaml", "name: Outside\nhourly_rate: 300\n")
    code, out, _ = run_cli(capsys, "decide", inventory, "--format", "json")
    assert code == 0
    inside = json.loads(out)["decisions"][0]["economics"]
    code, out, _ = run_cli(capsys, "decide", inventory, "--owner", owner, "--format", "json")
    assert code == 0
    outside = json.loads(out)["decisions"][0]["economics"]
    assert inside != outside
