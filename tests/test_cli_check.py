"""``outsourcing-rules check``: exit codes, findings with file and line, counterexamples."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from _examples import DESIGN_AGENCY
from conftest import run_cli, write_text


def test_a_clean_ruleset_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    """The default ruleset validates, lints clean and keeps its invariants."""
    code, out, err = run_cli(
        capsys, "check", "default", "--max-examples", "50", "--engine", "native"
    )
    assert (code, err) == (0, "")
    (line,) = out.splitlines()
    assert line.startswith("ruleset 'default': ")
    assert "invariants proved" in line
    assert line.endswith("; no problems found")


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
    assert f"{path}:3:14: warning: parameter 'spare' is not used by any condition" in out
    assert f"{path}:5:5: warning: rule 'shadowed' never decides" in out
    assert out.splitlines()[-1].startswith(
        f"ruleset 'w' ({path}): validated and analysed; 0 errors, 2 warnings"
    )


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
        f"{path}:4:5: error: rule 'dead' can never apply: category one of [a, b] and "
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
    assert lines[0].startswith(f"{path}:4:5: error: invariant invariants[4] is broken: ")
    assert lines[1].startswith("    counterexample: {")
    assert "skill: none" in lines[1]
    assert lines[-1].startswith(f"ruleset 'i' ({path}): ")
    assert "1 error, 0 warnings" in lines[-1]


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
    assert [f for f in data["findings"] if f["severity"] != "info"] == [
        {
            "code": "unused-parameter",
            "severity": "warning",
            "message": "parameter 'spare' is not used by any condition",
            "rule": None,
            "path": str(path),
            "line": 3,
            "column": 14,
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
        f"error: {path}:4:33 at rules[0].when.skil: unknown fact 'skil' (did you mean 'skill'?)",
        f"error: {path}:5:33 at rules[1].when.skill: 'grand' is not a skill level; "
        "use one of none, basic, competent, expert",
    ]


def test_an_unknown_builtin_invariant_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """``--builtin`` names are checked, with the list of valid ones."""
    code, _, err = run_cli(capsys, "check", "default", "--builtin", "core-never-outsorced")
    assert code == 2
    assert "unknown built-in invariant 'core-never-outsorced'" in err
    assert "did you mean 'core-never-outsourced'?" in err


def test_the_reported_agency_fails_at_default_settings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 13: plain ``check agency.yaml`` exits 1 naming the rule and a core design task."""
    path = write_text(tmp_path, "agency.yaml", DESIGN_AGENCY)
    code, out, _ = run_cli(capsys, "check", path)
    assert code == 1
    assert "invariant core-never-outsourced is broken" in out
    assert "rule 'design-goes-out' gave outsource" in out
    assert "counterexample: {category: design" in out


def test_strict_turns_warnings_into_a_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A warning alone exits 0, and 1 with ``--strict``."""
    path = write_text(
        tmp_path,
        "w.yaml",
        """
        ruleset: w
        extends: default
        parameters: {spare: 1}
        """,
    )
    assert run_cli(capsys, "check", path)[0] == 0
    code, out, _ = run_cli(capsys, "check", path, "--strict")
    assert code == 1
    assert out.splitlines()[-1].endswith("(check failed)")


def test_sarif_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--format sarif`` is a SARIF 2.1.0 log placing each finding at its file and line."""
    path = write_text(tmp_path, "agency.yaml", DESIGN_AGENCY)
    code, out, _ = run_cli(capsys, "check", path, "--format", "sarif")
    assert code == 1
    log = json.loads(out)
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    assert run["tool"]["driver"]["name"] == "outsourcing-rules"
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    errors = [r for r in run["results"] if r["level"] == "error"]
    assert errors
    for result in run["results"]:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
    located = [r for r in errors if r["locations"][0]["physicalLocation"].get("region")]
    assert located  # the declared invariants are placed in the default ruleset's file
    assert any(r["ruleId"] == "invariant-violated" for r in errors)


def test_github_annotations(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--format github`` prints one workflow command a finding, escaped."""
    path = write_text(
        tmp_path,
        "d.yaml",
        """
        ruleset: d
        extends: default
        rules:
          - id: dead
            priority: 13
            when: {times_per_year: {lt: 3, gt: 5}}
            then: keep
            because: x
        """,
    )
    code, out, _ = run_cli(capsys, "check", path, "--format", "github", "--no-invariants")
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith(f"::error file={path},line=4,col=5,title=never-applies::")
    assert "rule 'dead' can never apply" in first
    assert all(
        line.startswith(("::error ", "::warning ", "::notice ")) for line in out.splitlines()
    )


def test_limits_can_be_raised_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--max-rules`` lets a trusted, larger ruleset load; too low a limit refuses it."""
    rules = "\n".join(
        f"  - {{id: r{i}, priority: {i}, when: {{times_per_year: {{ge: {i}}}}}, "
        "then: outsource, because: x}"
        for i in range(1, 6)
    )
    path = write_text(
        tmp_path,
        "many.yaml",
        f"ruleset: many\ndefault: {{verdict: keep, because: x}}\nrules:\n{rules}\n",
    )
    code, _, err = run_cli(capsys, "check", path, "--max-rules", "3", "--no-invariants")
    assert code == 2
    assert "3" in err
    code, _, err = run_cli(capsys, "check", path, "--max-rules", "5", "--no-invariants")
    assert (code, err) == (0, "")
    code, _, err = run_cli(capsys, "check", path, "--max-depth", "1000")
    assert code == 2
    assert "max-depth" in err


def test_check_leaves_the_working_directory_alone(tmp_path: Path) -> None:
    """No ``.hypothesis/`` folder appears where ``check`` runs, even when it searches.

    A fresh interpreter, so that Hypothesis really has its files to write.
    """
    path = write_text(tmp_path, "agency.yaml", DESIGN_AGENCY)
    env = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_STORAGE_DIRECTORY"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    script = "import sys\nfrom outsourcing_rules.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    for method in ("exact", "search"):
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                script,
                "check",
                str(path),
                "--method",
                method,
                "--max-examples",
                "20",
                "--engine",
                "native",
            ],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 1, done.stderr
    assert not (tmp_path / ".hypothesis").exists()
    assert {p.name for p in tmp_path.iterdir()} <= {"agency.yaml", "cache"}


def test_a_tiny_timeout_never_hangs(capsys: pytest.CaptureFixture[str]) -> None:
    """A bad --timeout is refused; a small one still finishes with an answer."""
    with pytest.raises(SystemExit) as exited:
        run_cli(capsys, "check", "default", "--timeout", "0")
    assert exited.value.code == 2
    assert "more than 0" in capsys.readouterr().err
    code, out, _ = run_cli(capsys, "check", "default", "--timeout", "0.001")
    assert code in (0, 1)
    assert out.splitlines()[-1].startswith("ruleset 'default': ")
