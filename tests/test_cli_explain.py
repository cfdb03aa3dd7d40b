"""``outsourcing-rules explain``: one task in full; a wrong name is exit 2 with a did-you-mean."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from outsourcing_rules import Task, decision_schema
from outsourcing_rules.cli import main
from outsourcing_rules.cli.explain import find_task
from outsourcing_rules.errors import FactError
from outsourcing_rules.planning.inventory import Inventory

from conftest import run_cli, write_text

INVENTORY = """\
owner: {name: Sally, hourly_rate: 250, core_competencies: [consulting]}
tasks:
  - {name: Client consulting, category: consulting}
  - {name: Client invoicing, category: invoicing, times_per_year: 52, hours_each: 4,
     provider_hourly_rate: 37.5, procedure_documented: true}
  - {name: Book flights, times_per_year: 3, enjoyment: dislike, skill: competent}
"""


@pytest.fixture
def inventory(tmp_path: Path) -> str:
    """Write a small inventory file with an owner; return its path."""
    return str(write_text(tmp_path, "tasks.yaml", INVENTORY))


def test_explain_text(capsys: pytest.CaptureFixture[str], inventory: str, engine: str) -> None:
    """The owner's view: verdict, explanation, what would change it, the brief; no rule ids."""
    code, out, err = run_cli(
        capsys, "explain", inventory, "--task", "Client invoicing", "--engine", engine
    )
    assert (code, err) == (0, "")
    assert out.startswith("Client invoicing: OUTSOURCE\n\nHand \u201cClient invoicing\u201d")
    assert "What would change this:" in out
    assert "If it came up 5 or fewer times a year, you would keep it yourself." in out
    assert "Hand 'Client invoicing' to a bookkeeper." in out
    for author_word in ("opportunity-cost", "priority", "times_per_year", "$opportunity"):
        assert author_word not in out


def test_explain_trace(capsys: pytest.CaptureFixture[str], inventory: str, engine: str) -> None:
    """``--trace`` is the rule author's view: rules, priorities, checks, misses, provenance."""
    code, out, err = run_cli(
        capsys, "explain", inventory, "--task", "Client invoicing", "--engine", engine, "--trace"
    )
    assert (code, err) == (0, "")
    assert out.startswith(
        "Client invoicing: OUTSOURCE\n\nDecided by rule opportunity-cost (priority 40).\n"
    )
    assert "rule opportunity-cost decides (priority 40)" in out
    assert "What would change the verdict:" in out
    assert "would be kept if it came up 5 or fewer times a year" in out
    assert "Hand 'Client invoicing' to a bookkeeper." in out
    assert f"on the {engine} engine." in out


def test_explain_json(capsys: pytest.CaptureFixture[str], inventory: str) -> None:
    """JSON carries the decision with misses, unknowns, counterfactuals and the brief."""
    code, out, _ = run_cli(
        capsys, "explain", inventory, "--task", "Book flights", "--format", "json"
    )
    assert code == 0
    data = json.loads(out)
    assert (data["verdict"], data["rule"]) == ("keep", "low-frequency")
    assert data["counterfactuals"][1]["changes"] == {"times_per_year": 12}
    assert data["handoff"] is None
    jsonschema.validate(data, decision_schema())  # the shape decide --format json writes


def test_explain_markdown(capsys: pytest.CaptureFixture[str], inventory: str) -> None:
    """Markdown is one page headed by the task and its verdict."""
    code, out, _ = run_cli(
        capsys, "explain", inventory, "--task", "Client invoicing", "--format", "markdown"
    )
    assert code == 0
    assert out.startswith("# Client invoicing: outsource\n")
    assert "## Hand-off" in out


def test_explain_html(capsys: pytest.CaptureFixture[str], inventory: str) -> None:
    """HTML is one self-contained page: the task and verdict, then the full view's sections."""
    code, out, _ = run_cli(
        capsys, "explain", inventory, "--task", "Book flights", "--format", "html"
    )
    assert code == 0
    assert out.startswith("<!DOCTYPE html>")
    assert '<h1>Book flights <span class="verdict keep">keep</span></h1>' in out
    assert out.index('<h2 id="matches">Rules that applied</h2>') < out.index('id="economics"')
    assert "Decided by rule <code>low-frequency</code> (priority 60)." in out
    assert "Hand-off" not in out  # kept: no hand-off
    assert "<script" not in out


def test_the_owner_file_counts(
    capsys: pytest.CaptureFixture[str], inventory: str, tmp_path: Path
) -> None:
    """--owner replaces the inventory's owner: below the bookkeeper's rate, invoicing stays."""
    owner = tmp_path / "owner.yaml"
    owner.write_text("{name: Cheap, hourly_rate: 30}\n", encoding="utf-8")
    _, out, _ = run_cli(
        capsys, "explain", inventory, "--task", "Client invoicing", "--owner", str(owner)
    )
    assert out.startswith("Client invoicing: KEEP")


def test_a_wrong_name_is_exit_2_with_a_suggestion(
    capsys: pytest.CaptureFixture[str], inventory: str
) -> None:
    """A name that is not in the inventory: one line, the file, and the nearest name."""
    code, out, err = run_cli(capsys, "explain", inventory, "--task", "Client invoicng")
    assert code == 2
    assert out == ""
    assert err == (
        f"error: {inventory}: task: no task named 'Client invoicng' in the inventory "
        "(did you mean 'Client invoicing'?)\n"
    )


def test_names_match_ignoring_case_and_spacing(
    capsys: pytest.CaptureFixture[str], inventory: str
) -> None:
    """'book  FLIGHTS' finds 'Book flights' when it is the only such task."""
    code, out, _ = run_cli(capsys, "explain", inventory, "--task", "book  FLIGHTS")
    assert code == 0
    assert out.startswith("Book flights: KEEP")


def test_find_task_refuses_an_ambiguous_loose_name() -> None:
    """Two tasks that differ only in case: the exact name is needed."""
    inventory = Inventory((Task(name="Email"), Task(name="EMAIL")), path="t.yaml")
    assert find_task(inventory, "EMAIL").name == "EMAIL"
    with pytest.raises(FactError, match="2 tasks are named 'email'") as caught:
        find_task(inventory, "email")
    assert caught.value.suggestion is None


def test_the_task_option_is_required(capsys: pytest.CaptureFixture[str], inventory: str) -> None:
    """Without --task the command is a usage error, exit 2."""
    with pytest.raises(SystemExit) as caught:
        main(["explain", inventory])
    assert caught.value.code == 2
    assert "--task" in capsys.readouterr().err


def test_a_missing_file_is_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """No such inventory: exit 2, one line."""
    code, _, err = run_cli(capsys, "explain", str(tmp_path / "none.yaml"), "--task", "x")
    assert code == 2
    assert err.count("\n") == 1
    assert "no such file" in err
