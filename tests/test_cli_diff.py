"""``outsourcing-rules diff``: decisions that change between two rulesets, from the shell."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from outsourcing_rules.cli import main

from conftest import run_cli, write_text

AGENCY = """
ruleset: agency
extends: default
parameters:
  low_frequency_per_year: 6
rules:
  - {id: payroll, priority: 95, when: {category: payroll}, then: keep, because: Confidential.}
"""

INVENTORY = """
owner: {name: Acme, hourly_rate: 100}
tasks:
  - {name: Run payroll, category: payroll, skill: none}
  - {name: Book flights, times_per_year: 8, enjoyment: dislike}
  - {name: Coach clients, category: coaching}
"""


def test_over_an_inventory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Each kind of change is one line with its count and the tasks' names."""
    agency = write_text(tmp_path, "agency.yaml", AGENCY)
    tasks = write_text(tmp_path, "tasks.yaml", INVENTORY)
    code, out, err = run_cli(capsys, "diff", "default", agency, tasks)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"'default' -> 'agency' over 3 tasks of {tasks}: 2 decisions change (2 in verdict)",
        "  keep/low-frequency -> outsource/annoyance: 1 task, e.g. Book flights",
        "  outsource/skill-gap -> keep/payroll: 1 task, e.g. Run payroll",
    ]


def test_exit_code_flags_changes_for_ci(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--exit-code`` exits 1 when decisions change and 0 when none does."""
    agency = write_text(tmp_path, "agency.yaml", AGENCY)
    tasks = write_text(tmp_path, "tasks.yaml", INVENTORY)
    assert run_cli(capsys, "diff", "default", agency, tasks, "--exit-code")[0] == 1
    code, out, _ = run_cli(capsys, "diff", agency, agency, tasks, "--exit-code")
    assert code == 0
    assert out.strip().endswith("no decision changes")


def test_generated_tasks_show_facts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without an inventory, examples are shown by their facts."""
    agency = write_text(tmp_path, "agency.yaml", AGENCY)
    code, out, _ = run_cli(
        capsys, "diff", "default", agency, "--generate", "500", "--engine", "native"
    )
    assert code == 0
    assert out.startswith("'default' -> 'agency' over 500 generated tasks: ")
    assert "outsource/skill-gap -> keep/payroll: " in out
    assert "e.g. {category: payroll, skill: " in out


def test_an_owner_file_replaces_the_inventorys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With a cheap owner, opportunity cost no longer sends invoicing out."""
    tasks = write_text(
        tmp_path,
        "tasks.yaml",
        "- {name: Invoicing, times_per_year: 52, hours_each: 4, provider_hourly_rate: 30}\n",
    )
    stricter = write_text(
        tmp_path,
        "stricter.yaml",
        "ruleset: stricter\nextends: default\nparameters: {opportunity_cost_ratio: 5}\n",
    )
    rich = write_text(tmp_path, "rich.yaml", "{hourly_rate: 250}\n")
    poor = write_text(tmp_path, "poor.yaml", "{hourly_rate: 100}\n")
    _, out, _ = run_cli(capsys, "diff", "default", stricter, tasks, "--owner", rich)
    assert out.strip().endswith("no decision changes")
    _, out, _ = run_cli(capsys, "diff", "default", stricter, tasks, "--owner", poor)
    # Still 4 hours a week: the heavy time sink sends it out once the price no longer does.
    assert "outsource/opportunity-cost -> outsource/heavy-time-sink: 1 task, e.g. Invoicing" in out


def test_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--format json`` prints the report's data."""
    agency = write_text(tmp_path, "agency.yaml", AGENCY)
    tasks = write_text(tmp_path, "tasks.yaml", INVENTORY)
    code, out, _ = run_cli(capsys, "diff", "default", agency, tasks, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["tasks"] == 3
    assert [c["count"] for c in data["changes"]] == [1, 1]
    assert data["changes"][1]["examples"][0]["task"]["name"] == "Run payroll"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["default", "missing.yaml"], "missing.yaml: no such file or built-in ruleset"),
        (["default", "default", "missing.yaml"], "no such file"),
    ],
)
def test_missing_files_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], fragment: str
) -> None:
    """A ruleset or inventory that is not there is one error line and exit 2."""
    code, out, err = run_cli(capsys, "diff", *args)
    assert (code, out) == (2, "")
    assert fragment in err
    assert len(err.splitlines()) == 1


@pytest.mark.parametrize(
    ("count", "fragment"), [("0", "between 1 and 1,000,000"), ("many", "not a whole number")]
)
def test_a_bad_count_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], count: str, fragment: str
) -> None:
    """``--generate`` takes a whole number from 1 to a million."""
    with pytest.raises(SystemExit) as caught:
        main(["diff", "default", "default", "--generate", count])
    assert caught.value.code == 2
    assert fragment in capsys.readouterr().err
