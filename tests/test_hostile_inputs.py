"""Odd paths and odd values: each is a clear error (exit 2 on the command line), never a traceback.

Each case here once escaped as a raw Python exception (ValueError,
RuntimeError, ``_csv.Error``) or made a reader hang or read without end.
"""

from __future__ import annotations

import io
import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from outsourcing_rules import InventoryError, RulesetError, load_ruleset
from outsourcing_rules.cli import main
from outsourcing_rules.planning.inventory import read_inventory

from conftest import run_cli, write_text

# --- extends: a NUL, a loop of links -------------------------------------------------------


@pytest.mark.parametrize("policy", [{}, {"extends_root": "."}], ids=["open", "extends_root"])
def test_extends_with_a_nul_is_a_ruleset_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, policy: dict[str, Any]
) -> None:
    r"""``extends: "a\0b"`` names no possible file: refused by name, through the API."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(RulesetError, match="holds a NUL character"):
        load_ruleset(b'ruleset: x\nextends: "a\\0b"\n', **policy)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
@pytest.mark.parametrize("policy", [{}, {"extends_root": "."}], ids=["open", "extends_root"])
def test_extends_into_a_symlink_loop_is_a_ruleset_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, policy: dict[str, Any]
) -> None:
    """Two links naming each other: refused as a loop, not a RuntimeError."""
    monkeypatch.chdir(tmp_path)
    os.symlink("two.yaml", tmp_path / "one.yaml")
    os.symlink("one.yaml", tmp_path / "two.yaml")
    with pytest.raises(RulesetError, match="loop of symbolic links"):
        load_ruleset(b"ruleset: x\nextends: one.yaml\n", **policy)


def test_the_cli_reports_both_with_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``check`` on either file: exit 2 and one line naming the file and the key."""
    monkeypatch.chdir(tmp_path)
    nul = write_text(tmp_path, "nul.yaml", 'ruleset: x\nextends: "a\\0b"\n')
    code, _, err = run_cli(capsys, "check", nul)
    assert (code, err.count("\n")) == (2, 1)
    assert "nul.yaml:2" in err
    assert "at extends: extends" in err
    if hasattr(os, "symlink"):
        os.symlink("loop.yaml", tmp_path / "loop.yaml")
        looping = write_text(tmp_path, "looping.yaml", "ruleset: x\nextends: loop.yaml\n")
        code, _, err = run_cli(capsys, "check", looping)
        assert code == 2
        assert "loop of symbolic links" in err


# --- priority --------------------------------------------------------------------------


@pytest.mark.parametrize("priority", [10**5000, -(2**60)], ids=["5000-digits", "-2**60"])
def test_a_priority_out_of_range_is_a_ruleset_error(priority: int) -> None:
    """An integer of 5,000 digits cannot even be printed (ValueError): refused, not shown."""
    data = {
        "ruleset": "x",
        "default": {"verdict": "keep", "because": "d"},
        "rules": [
            {"id": "r", "priority": priority, "when": {"one_off": True}, "then": "keep",
             "because": "b"}
        ],
    }  # fmt: skip
    with pytest.raises(RulesetError, match=r"rules\[0\]\.priority: priority is out of range"):
        load_ruleset(data)


# --- CSV and scenario files ------------------------------------------------------------


def test_a_csv_cell_over_128_kib_is_a_fact_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The csv module refuses cells over 131,072 characters: that is a located error, exit 2."""
    inventory = tmp_path / "big.csv"
    inventory.write_text("name,category\nt," + "a" * 140_000 + "\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "decide", inventory)
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {inventory}:2: row: cannot be read as CSV")
    assert "Traceback" not in err


def test_test_refuses_a_device(capsys: pytest.CaptureFixture[str]) -> None:
    """``test /dev/zero`` is refused from its metadata instead of reading without end."""
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    code, _, err = run_cli(capsys, "test", "/dev/zero")
    assert code == 2
    assert "/dev/zero: is not a regular file" in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_test_refuses_a_named_pipe(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``test`` on a FIFO no one writes to would wait forever: refused before opening."""
    pipe = tmp_path / "cases.yaml"
    os.mkfifo(pipe)
    code, _, err = run_cli(capsys, "test", pipe)
    assert code == 2
    assert "is not a regular file" in err


# --- a closed pipe ---------------------------------------------------------------------

MANY_FAILING = "cases:\n" + "".join(
    f"  - name: weak skill {i}\n    task: {{skill: none}}\n    expect: {{verdict: keep}}\n"
    for i in range(2_000)
)


class ClosedPipe(io.StringIO):
    """Standard output whose reader has gone: every write fails as on a closed pipe."""

    def write(self, text: str) -> int:
        """Fail, as writing to a pipe nobody reads does."""
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_pipe_never_turns_failures_into_success(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``test failing.cases.yaml | head -1``: the cut output exits 141, never 0."""
    cases = write_text(tmp_path, "failing.cases.yaml", MANY_FAILING)
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main(["test", str(cases), "--engine", "native"]) == 141


def test_a_real_pipe_closed_after_one_line_exits_141(tmp_path: Path) -> None:
    """The console entry point, read one line at a time and then closed: 141, no traceback."""
    cases = write_text(tmp_path, "failing.cases.yaml", MANY_FAILING)
    command = [sys.executable, "-c", "from outsourcing_rules.cli import run; run()"]
    child = subprocess.Popen(
        [*command, "test", str(cases), "--engine", "native"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None
    assert child.stderr is not None
    assert child.stdout.readline().startswith(b"FAIL")
    child.stdout.close()
    error = child.stderr.read()
    assert child.wait(timeout=120) == 141
    assert b"Traceback" not in error
    assert b"Exception ignored" not in error


# --- CSV cells that could be misread ---------------------------------------------------


@pytest.mark.parametrize("cell", ["1", "0", "y", "n", "Y"])
def test_csv_booleans_are_words_never_digits_or_letters(tmp_path: Path, cell: str) -> None:
    """``1``/``0``/``y``/``n`` in a yes-or-no column are refused by name, never guessed."""
    path = tmp_path / "t.csv"
    path.write_text(f"name,one_off\na,{cell}\n", encoding="utf-8")
    with pytest.raises(InventoryError) as caught:
        read_inventory(path)
    assert f"must be true or false (or yes or no), not '{cell}'" in str(caught.value.errors[0])


def test_csv_booleans_read_true_false_yes_no_in_any_case(tmp_path: Path) -> None:
    """The four words, in any case, are the documented spellings."""
    path = tmp_path / "t.csv"
    path.write_text("name,one_off\na,TRUE\nb,no\nc,Yes\nd,false\n", encoding="utf-8")
    assert [t.one_off for t in read_inventory(path).tasks] == [True, False, True, False]


def test_csv_negative_zero_is_read_as_zero(tmp_path: Path) -> None:
    """``-0.0`` is read (and so written back) as ``0.0``, not as a negative zero."""
    path = tmp_path / "t.csv"
    path.write_text("name,hours_each,times_per_year\na,-0.0,-0\n", encoding="utf-8")
    (task,) = read_inventory(path).tasks
    assert task.hours_each == 0
    assert math.copysign(1, task.hours_each) == 1
    assert "-0" not in json.dumps(task.to_dict())
