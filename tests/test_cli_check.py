"""``outsourcing-rules check``: exit codes, findings with file and line, counterexamples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli, write_text


def test_a_clean_ruleset_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    """The default ruleset validates, lints clean and keeps its invariants."""
    code, out, err = run_cli(
        capsys, "check", "default", "--max-examples", "50", "--engine", "native"
    )
    assert (code, err) == (0, "")
    assert out.strip() == (
        "ruleset 'default': validated, linted and invariants verified; no problems found"
    )


def test_warnings_alone_do_not_fail(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An unused parameter and a shadowed rule are printed as warnings; exit stays 0."""
    path = write_text(
        tmp_path,
        "w.yaml",
        """
        ruleset: w
        extends: default
        parameters: {spare: 1}
        rules:
          - {id: shadowed, priority: 10, when: {skill: none}, then: outsource, because: x}
        """,
    )
    code, out, _ = run_cli(capsys, "check", path, "--no-invariants")
    assert code == 0
    assert f"{path}:3: warning: parameter 'spare' is not used by any condition" in out
    assert f"{path}:5: warning: rule 'shadowed' never decides" in out
    assert out.splitlines()[-1] == f"ruleset 'w' ({path}): 0 errors, 2 warnings"


def test_a_dead_rule_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A rule that can never apply is an error with its file and line."""
    path = write_text(
        tmp_path,
        "d.yaml",
        """
        ruleset: d
        extends: default
        rules:
          - id: dead
            priority: 21
            when: {category: {in: [a, b]}, all: [{category: {in: [c]}}]}
            then: keep
            because: x
        """,
    )
    code, out, _ = run_cli(capsys, "check", path, "--no-invariants")
    assert code == 1
    assert out.splitlines()[0] == (
        f"{path}:4: error: rule 'dead' can never apply: category one of [a, b] and "
        "category one of [c] cannot all hold [never-applies]"
    )


def test_a_broken_invariant_prints_its_counterexample(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A violated invariant is an error followed by the shrunk task that breaks it."""
    path = write_text(
        tmp_path,
        "i.yaml",
        """
        ruleset: i
        extends: default
        invariants:
          - {when: {skill: none}, never: outsource}
        """,
    )
    code, out, _ = run_cli(
        capsys, "check", path, "--builtin", "none", "--max-examples", "300", "--engine", "native"
    )
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith(f"{path}:4: error: invariant invariants[4] is broken: ")
    assert lines[1].startswith("    counterexample: task {")
    assert "skill: none" in lines[1]
    assert lines[-1] == f"ruleset 'i' ({path}): 1 error, 0 warnings"


def test_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--format json`` gives every finding with code, severity, place and rule."""
    path = write_text(
        tmp_path,
        "d.yaml",
        "ruleset: d\ndefault: {verdict: keep, because: x}\nparameters: {spare: 1}\n",
    )
    code, out, _ = run_cli(capsys, "check", path, "--format", "json", "--no-invariants")
    assert code == 0
    data = json.loads(out)
    assert data["ok"] is True
    assert data["findings"] == [
        {
            "code": "unused-parameter",
            "severity": "warning",
            "message": "parameter 'spare' is not used by any condition",
            "rule": None,
            "path": str(path),
            "line": 3,
        }
    ]


def test_a_ruleset_that_does_not_load_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Validation errors are one line each with file and line, and nothing else runs."""
    path = write_text(
        tmp_path,
        "bad.yaml",
        """
        ruleset: bad
        default: {verdict: keep, because: x}
        rules:
          - {id: a, priority: 1, when: {skil: none}, then: keep, because: x}
          - {id: b, priority: 2, when: {skill: grand}, then: keep, because: x}
        """,
    )
    code, out, err = run_cli(capsys, "check", path)
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"error: {path}:4 at rules[0].when.skil: unknown fact 'skil' (did you mean 'skill'?)",
        f"error: {path}:5 at rules[1].when.skill: 'grand' is not a skill level; "
        "use one of none, basic, competent, expert",
    ]


def test_an_unknown_builtin_invariant_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """``--builtin`` names are checked, with the list of valid ones."""
    code, _, err = run_cli(capsys, "check", "default", "--builtin", "core-never-outsorced")
    assert code == 2
    assert "unknown built-in invariant 'core-never-outsorced'" in err
