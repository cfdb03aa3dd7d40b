"""Text from files never drives a terminal: every command and format escapes what it prints.

A task name, a category, a ``because:`` text, a case name or a key may hold
an escape sequence (ESC, OSC, CSI) or a line break. Printed raw, it could
recolour the terminal, set its title, clear it, or forge a line such as
``ok`` in a test report. Each output below is held to: no control character
but tab and newline, no line that starts with the forged text, and tables
whose width no single name decides.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from outsourcing_rules import Task, decide, load_ruleset
from outsourcing_rules.render.detail import detail_text
from outsourcing_rules.render.markdown import decision_markdown
from outsourcing_rules.render.text import MAX_COLUMN_WIDTH, text_table

from conftest import run_cli

#: An OSC title change, a colour, a forged line, a C1 CSI "clear screen", a line separator.
HOSTILE = "\x1b]0;pwned\x07\x1b[31mRED\nFORGED LINE\x9b2J\u2028x"
#: What must never reach the output: control characters but tab and newline.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def strings(data: object) -> Iterator[str]:
    """Yield every text in parsed JSON *data*, keys included."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings(value)


def assert_inert(text: str) -> None:
    """No control character, and no line that the hostile text started."""
    assert CONTROL.search(text) is None, repr(CONTROL.search(text))
    assert not any(line.startswith("FORGED") for line in text.splitlines())


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """Write an inventory, a ruleset and scenario files, each with the hostile text in it."""
    tasks = [
        {"name": "evil" + HOSTILE, "category": "c" + HOSTILE, "skill": "none"},
        {"name": "plain", "category": "payroll", "times_per_year": 40},
    ]
    (tmp_path / "inv.json").write_text(json.dumps({"tasks": tasks}), encoding="utf-8")
    rule = {
        "id": "evil-rule",
        "priority": 99,
        "when": {"category": "c" + HOSTILE},
        "then": "keep",
        "because": "because" + HOSTILE,
    }
    ruleset = {"ruleset": "r\x1b[31m", "extends": "default", "rules": [rule]}
    (tmp_path / "rules.json").write_text(json.dumps(ruleset), encoding="utf-8")
    case = {
        "name": "case" + HOSTILE,
        "task": {"name": "t" + HOSTILE, "category": "c" + HOSTILE},
        "expect": {"verdict": "outsource"},
    }
    cases = {"ruleset": "rules.json", "cases": [case]}
    (tmp_path / "c.cases.yaml").write_text(json.dumps(cases), encoding="utf-8")
    bad = {"cases": [{"name": "x", "task": {"categ" + HOSTILE: 1}, "expect": {"verdict": "keep"}}]}
    (tmp_path / "bad.cases.yaml").write_text(json.dumps(bad), encoding="utf-8")
    return tmp_path


COMMANDS = {
    "decide": ["decide", "inv.json", "--ruleset", "rules.json"],
    "decide-markdown": ["decide", "inv.json", "--ruleset", "rules.json", "--format", "markdown"],
    "decide-html": ["decide", "inv.json", "--ruleset", "rules.json", "--format", "html"],
    "explain": ["explain", "inv.json", "--task", "evil" + HOSTILE, "--ruleset", "rules.json"],
    "explain-markdown": [
        "explain", "inv.json", "--task", "evil" + HOSTILE, "--ruleset", "rules.json",
        "--format", "markdown",
    ],
    "diff": ["diff", "default", "rules.json", "inv.json"],
    "test": ["test", "c.cases.yaml", "-v"],
    "test-error": ["test", "bad.cases.yaml"],
    "check": ["check", "rules.json"],
}  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_no_command_prints_a_control_character(
    files: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
) -> None:
    """Every command, every text format: standard output and error stay inert."""
    monkeypatch.chdir(files)
    code, out, err = run_cli(capsys, *command)
    assert code in (0, 1, 2)
    assert out or err
    assert_inert(out)
    assert_inert(err)


@pytest.mark.parametrize("command", ["decide", "explain"])
def test_json_output_stays_valid_and_exact(
    files: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """JSON escapes control characters its own way: still JSON, and the name reads back whole."""
    monkeypatch.chdir(files)
    args = COMMANDS[command] + ["--format", "json"]
    code, out, _ = run_cli(capsys, *args)
    assert code == 0
    assert_inert(out)
    assert "evil" + HOSTILE in set(strings(json.loads(out)))


def test_the_library_renderings_are_inert() -> None:
    """explain(), the detail text and the Markdown of a decision, called from Python."""
    ruleset = load_ruleset(
        {
            "ruleset": "r",
            "default": {"verdict": "keep", "because": "d" + HOSTILE},
            "rules": [
                {"id": "x", "priority": 1, "then": "outsource", "because": "b" + HOSTILE,
                 "when": {"category": "c" + HOSTILE}}
            ],
        }
    )  # fmt: skip
    for category in ("c" + HOSTILE, "other"):
        decision = decide(Task(name="n" + HOSTILE, category=category), ruleset=ruleset)
        for text in (decision.explain(), detail_text(decision), decision_markdown(decision)):
            assert_inert(text)


def test_one_absurd_name_does_not_widen_the_table() -> None:
    """A 10,000-character name is cut with an ellipsis; the table stays narrow."""
    decisions = [decide(Task(name="x" * 10_000)), decide(Task(name="short"))]
    lines = text_table(decisions).splitlines()
    assert max(len(line) for line in lines) <= 3 * MAX_COLUMN_WIDTH
    assert any(line.startswith("x" * (MAX_COLUMN_WIDTH - 1) + "…") for line in lines)
    assert any(line.startswith("short ") for line in lines)
