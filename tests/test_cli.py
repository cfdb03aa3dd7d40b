"""The command line: demo, decide, and bad input as exit 2 with one readable line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from outsourcing_rules.cli import main

from conftest import run_cli, write_text

INVENTORY = """\
owner: {name: Sally, hourly_rate: 250, core_competencies: [consulting]}
tasks:
  - {name: Client consulting, category: consulting}
  - {name: Client invoicing, category: invoicing, times_per_year: 52, hours_each: 4,
     provider_hourly_rate: 37.5}
  - {name: Book flights, times_per_year: 3, enjoyment: dislike}
"""


def test_demo_prints_both_case_studies(capsys: pytest.CaptureFixture[str], engine: str) -> None:
    """The demo needs no input and shows the video editor and Sally, with reasons and savings."""
    code, out, err = run_cli(capsys, "demo", "--engine", engine)
    assert code == 0
    assert err == ""
    assert "video editor" in out.lower()
    assert "Sally" in out
    lines = {line.split("  ")[0]: line for line in out.splitlines()}
    assert "It is the heart of your business." in lines["Edit wedding and promo videos"]
    assert "You have basic skill at it." in lines["Accounting"]
    assert "You do it only 3 times a year" in lines["Book flights"]
    assert "$44,200 a year" in lines["Client invoicing"]
    assert "eliminate" in lines["Weekly report nobody reads"]
    for rule_id in ("core-competency", "skill-gap", "low-frequency", "opportunity-cost"):
        assert rule_id not in out


def test_decide_table(capsys: pytest.CaptureFixture[str], tmp_path: Path, engine: str) -> None:
    """The decide command prints one row per task with verdict and deciding reason."""
    code, out, _ = run_cli(
        capsys, "decide", write_text(tmp_path, "t.yaml", INVENTORY), "--engine", engine
    )
    assert code == 0
    rows = [line for line in out.splitlines() if line.startswith(("Client", "Book"))]
    assert [row.split()[2] for row in rows[:2]] == ["keep", "outsource"]
    assert "Your hour is worth 6.7 times the bookkeeper's." in rows[1]
    assert "You do it only 3 times a year" in rows[2]
    assert "opportunity-cost" not in out
    assert "rate_ratio" not in out


def test_decide_json(capsys: pytest.CaptureFixture[str], tmp_path: Path, engine: str) -> None:
    """--format json gives every decision's data, parseable."""
    path = write_text(tmp_path, "t.yaml", INVENTORY)
    code, out, _ = run_cli(capsys, "decide", path, "--format", "json", "--engine", engine)
    assert code == 0
    decisions = json.loads(out)["decisions"]
    assert [d["verdict"] for d in decisions] == ["keep", "outsource", "keep"]
    assert decisions[1]["economics"]["saving_per_week"] == 850
    assert decisions[1]["provenance"]["engine"] == engine


def test_owner_file_replaces_the_inventory_owner(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """--owner gives or replaces the owner: consulting is not core for another owner."""
    tasks = write_text(tmp_path, "t.yaml", INVENTORY)
    owner = write_text(tmp_path, "o.yaml", "{name: Other, hourly_rate: 20, core_competencies: [x]}")
    code, out, _ = run_cli(capsys, "decide", tasks, "--owner", owner, "--format", "json")
    assert code == 0
    first = json.loads(out)["decisions"][0]
    assert first["rule"] is None


def test_decide_csv_and_json_inventories(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """CSV rows (a spreadsheet export) and JSON lists decide like YAML."""
    csv = write_text(
        tmp_path,
        "t.csv",
        """\
        name,times_per_year,enjoyment,one_off,tags
        Book flights,3,dislike,false,travel;admin
        Vendor research,,hate,true,
    """,
    )
    code, out, _ = run_cli(capsys, "decide", csv, "--format", "json")
    assert code == 0
    assert [d["rule"] for d in json.loads(out)["decisions"]] == ["low-frequency", "annoyance"]
    listed = write_text(tmp_path, "t.json", '[{"name": "x", "only_owner": true}]')
    code, out, _ = run_cli(capsys, "decide", listed, "--format", "json")
    assert json.loads(out)["decisions"][0]["rule"] == "only-owner"


def test_custom_ruleset(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--ruleset decides with another ruleset."""
    ruleset = write_text(
        tmp_path,
        "r.yaml",
        """\
        ruleset: lazy
        default: {verdict: outsource, because: Everything goes.}
        rules: []
    """,
    )
    tasks = write_text(tmp_path, "t.yaml", INVENTORY)
    code, out, _ = run_cli(capsys, "decide", tasks, "--ruleset", ruleset, "--format", "json")
    assert code == 0
    assert {d["verdict"] for d in json.loads(out)["decisions"]} == {"outsource"}


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "t.yaml",
            "- {name: x, hours_each: -2}\n",
            "t.yaml:1:13: x: hours_each: must not be negative",
        ),
        (
            "t.yaml",
            "tasks:\n  - name: x\n    skil: basic\n",
            "t.yaml:3:5: x: skil: unknown fact (did you mean 'skill'?)",
        ),
        ("t.yaml", "- {name: x}\n- {name: y, skill: guru}\n", "t.yaml:2:13: y: skill: 'guru'"),
        ("t.yaml", "- name: x\n  name: y\n", "t.yaml:2:3: file: duplicate key 'name'"),
        (
            "t.yaml",
            "- [\n",
            "t.yaml:2:1: file: is not valid YAML: the file ends in the middle of a value",
        ),
        ("t.yaml", "owner: {hourly_rate: lots}\ntasks: []\n", "t.yaml:1:9: owner: hourly_rate"),
        (
            "t.yaml",
            "task: []\n",
            "t.yaml:1:1: task: an inventory holds only the keys owner and "
            "tasks (did you mean 'tasks'?)",
        ),
        ("t.csv", "name,hours\nx,3\n", "t.csv:1: hours: is not a task fact"),
        ("t.csv", "name,hours_each\nx,three\n", "t.csv:2: x: hours_each: must be a number"),
        ("t.csv", "name,repetitive\nx,maybe\n", "t.csv:2: x: repetitive: must be true or false"),
    ],
)
def test_bad_inventories_exit_2_with_file_line_and_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, text: str, expected: str
) -> None:
    """Bad input is one line naming file, line, task and field; exit 2; no traceback."""
    path = write_text(tmp_path, name, text)
    code, out, err = run_cli(capsys, "decide", path)
    assert code == 2
    assert out == ""
    assert err.startswith("error: ")
    assert expected in err.replace(str(tmp_path) + "/", "")
    assert "Traceback" not in err


def test_bad_ruleset_lists_every_problem(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A broken ruleset gives one line per problem, each with file and line."""
    ruleset = write_text(
        tmp_path,
        "r.yaml",
        """\
        ruleset: broken
        default: {verdict: keep, because: d}
        rules:
          - {id: a, priority: 1, when: {skil: none}, then: keep, because: r}
          - {id: b, priority: 2, when: {enjoyment: meh}, then: keep, because: r}
    """,
    )
    code, _, err = run_cli(
        capsys, "decide", write_text(tmp_path, "t.yaml", INVENTORY), "--ruleset", ruleset
    )
    assert code == 2
    lines = err.replace(str(tmp_path) + "/", "").splitlines()
    assert lines[0].startswith("error: r.yaml:4:33 at rules[0].when.skil: unknown fact 'skil'")
    assert lines[1].startswith("error: r.yaml:5:33 at rules[1].when.enjoyment: 'meh'")


def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A missing inventory is exit 2 and says so."""
    code, _, err = run_cli(capsys, "decide", str(tmp_path / "nope.yaml"))
    assert code == 2
    assert "no such file" in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown command or option is a usage error with exit 2."""
    with pytest.raises(SystemExit) as caught:
        main(["frobnicate"])
    assert caught.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_console_script_runs() -> None:
    """The installed command runs the demo in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", "from outsourcing_rules.cli import run; run()", "demo"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Client invoicing" in done.stdout


def test_task_names_cannot_drive_the_terminal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Escape sequences and newlines in a task name are printed escaped, on one row."""
    path = write_text(
        tmp_path, "t.yaml", '- {name: "evil\\e[31mRED\\e[0m\\nsecond", skill: none}\n'
    )
    code, out, _ = run_cli(capsys, "decide", path)
    assert code == 0
    assert "\x1b" not in out
    assert "evil\\x1b[31mRED\\x1b[0m\\nsecond" in out
