"""What ``decide`` imports: only what its path needs, so a large file starts deciding at once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from outsourcing_rules.cli import build_parser

EXAMPLES = Path(__file__).parent.parent / "docs" / "examples"

_CHILD = """
import json, sys
from outsourcing_rules.cli import main
code = main(sys.argv[1:])
names = ("hypothesis", "pandas", "outsourcing_rules.quality", "outsourcing_rules.frames.csvfile")
print(json.dumps([code, {name: name in sys.modules for name in names}]))
"""


def _imported(*args: str) -> tuple[int, dict[str, bool]]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, *args], capture_output=True, text=True, check=True
    )
    code, modules = json.loads(done.stdout.splitlines()[-1])
    return code, modules


def test_streaming_a_csv_imports_neither_the_checker_nor_pandas(tmp_path: Path) -> None:
    """``decide FILE.csv --format csv`` loads the columnar reader, not Hypothesis nor pandas."""
    pytest.importorskip("polars", reason="the frames extra is not installed")
    out = tmp_path / "out.csv"
    code, modules = _imported(
        "decide", str(EXAMPLES / "tasks.csv"), "--format", "csv", "-o", str(out)
    )
    assert code == 0
    assert out.read_text(encoding="utf-8").startswith("name,verdict,")
    assert modules["outsourcing_rules.frames.csvfile"]  # it did stream
    assert not modules["hypothesis"]
    assert not modules["outsourcing_rules.quality"]
    assert not modules["pandas"]


def test_other_commands_and_the_help_still_list_every_command() -> None:
    """Without a first argument, or with any other command, every command is registered."""
    for first in (None, "check", "decid"):
        commands = build_parser(first)._subparsers._group_actions[0].choices
        assert {"decide", "demo", "explain", "test", "check", "diff"} <= set(commands)
    alone = build_parser("decide")._subparsers._group_actions[0].choices
    assert set(alone) == {"decide", "demo"}
