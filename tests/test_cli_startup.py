"""What ``decide`` imports: only what its path needs, so a large file starts deciding at once."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
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


class _Batches:
    """Batches 0..n-1 with a position, raising *error* instead of batch *fail*."""

    def __init__(self, n: int, fail: int | None = None) -> None:
        self.n, self.fail, self.position, self.closed, self.read = n, fail, 0, False, 0

    def __iter__(self) -> Iterator[int]:
        try:
            for number in range(self.n):
                if number == self.fail:
                    raise ValueError(f"bad batch {number}")
                self.position = 10 * (number + 1)
                self.read += 1
                yield number
        finally:
            self.closed = True

    def parts(self) -> Iterator[int]:
        """Return the batches as the reading thread reads them (here, as they are)."""
        return iter(self)


def test_read_ahead_yields_every_batch_in_order_with_its_position() -> None:
    """The thread reads ahead, but each batch comes with the bytes read when it was read."""
    from outsourcing_rules.cli.stream import _read_ahead

    assert list(_read_ahead(_Batches(5))) == [(n, 10 * (n + 1)) for n in range(5)]


def test_read_ahead_raises_the_readers_error_after_the_good_batches() -> None:
    """An error of the reader is raised in its place, after the batches before it."""
    from outsourcing_rules.cli.stream import _read_ahead

    batches = _Batches(6, fail=3)
    ahead = _read_ahead(batches)
    assert [next(ahead)[0] for _ in range(3)] == [0, 1, 2]
    with pytest.raises(ValueError, match="bad batch 3"):
        next(ahead)
    assert batches.closed


def test_stopping_early_stops_the_reader_and_closes_the_file() -> None:
    """A caller that stops (the native fallback) leaves no reader running, the file closed."""
    from outsourcing_rules.cli.stream import _read_ahead

    batches = _Batches(1000)
    ahead = _read_ahead(batches)
    assert next(ahead) == (0, 10)
    ahead.close()
    assert batches.closed
    assert batches.read <= 3
