"""Every problem of a ruleset in one pass: structure, vocabulary and lint together."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from outsourcing_rules.loading import load_readable
from outsourcing_rules.quality import check_ruleset, find_problems

from conftest import run_cli, write_text

# One rule the schema refuses (a misspelt verdict), one with an unknown fact,
# and three that load: "shadowed" is always outranked by "broad", "dead" can
# never apply. The lines and columns below are where each rule is written.
BROKEN = """
ruleset: broken
default: {verdict: keep, because: nothing else applies}
rules:
  - id: schema-problem
    priority: 50
    when: {skill: {le: basic}}
    then: outsourse
    because: a typo in the verdict
  - id: unknown-fact
    priority: 40
    when: {enjoyment_level: hate}
    then: outsource
    because: a misspelt fact
  - id: broad
    priority: 30
    when: {time_available: false}
    then: outsource
    because: no time
  - id: shadowed
    priority: 20
    when: {time_available: false, times_per_year: {ge: 12}}
    then: outsource
    because: never decides
  - id: dead
    priority: 10
    when: {times_per_year: {lt: 2}, all: [{times_per_year: {gt: 5}}]}
    then: keep
    because: can never apply
"""


def _places(found: tuple[object, ...]) -> list[tuple[str, int | None, int | None]]:
    return [(f.code, f.line, f.column) for f in found]  # type: ignore[attr-defined]


@pytest.mark.parametrize("method", ["auto", "search"])
def test_structure_vocabulary_and_lint_come_in_one_pass(tmp_path: Path, method: str) -> None:
    """A schema problem, an unknown fact and two lint findings, each placed, from one call."""
    path = write_text(tmp_path, "broken.yaml", BROKEN)
    found = find_problems(path, method=method)
    placed = [
        (f.code, f.rule_id, f.path, f.line, f.column) for f in found if f.severity.value != "info"
    ]
    assert placed == [
        ("invalid", None, str(path), 7, 5),
        ("invalid", "unknown-fact", str(path), 11, 12),
        ("never-decides", "shadowed", str(path), 19, 5),
        ("never-applies", "dead", str(path), 24, 5),
    ]
    invalid = [f for f in found if f.code == "invalid"]
    assert "'outsourse' is not one of keep, outsource, eliminate" in invalid[0].message
    assert "did you mean 'outsource'?" in invalid[0].message
    assert "unknown fact 'enjoyment_level'" in invalid[1].message
    assert all(f.severity.value == "error" for f in invalid)
    # The rules with problems are left out of the lint: no finding but "invalid" names them.
    linted = {f.rule_id for f in found if f.code != "invalid"}
    assert not linted & {"schema-problem", "unknown-fact"}
    assert str(found[0]).startswith(f"{path}:7:5: error: at rules[0].then: ")


def test_a_ruleset_that_loads_gets_the_lint_check_gives_it(tmp_path: Path) -> None:
    """No "invalid" finding, and the same findings as ``check`` without invariants."""
    fixed = BROKEN.replace("outsourse", "outsource").replace("enjoyment_level", "enjoyment")
    path = write_text(tmp_path, "fixed.yaml", fixed)
    found = find_problems(path, method="search")
    assert "invalid" not in {f.code for f in found}
    report = check_ruleset(path, method="search", invariants=False)
    assert sorted(_places(found)) == sorted(
        _places(tuple(f for f in report.findings if f.code != "solver-missing"))
    )
    assert ("never-applies", 24, 5) in _places(found)


def test_problems_outside_the_rules_leave_nothing_to_lint(tmp_path: Path) -> None:
    """A wrong top-level key stops the reading: only the problems come back, still placed."""
    path = write_text(tmp_path, "top.yaml", BROKEN.replace("ruleset: broken", "rulset: broken"))
    found = find_problems(path, method="search")
    assert {f.code for f in found} == {"invalid"}
    assert all(f.line is not None for f in found)
    readable, error = load_readable(path)
    assert readable is None
    assert error is not None


def test_rules_named_by_a_problem_are_left_out_and_parameters_not_judged(tmp_path: Path) -> None:
    """Two rules with one id are both left out; a parameter is not judged unused.

    A rule left out may be the one that uses the parameter.
    """
    path = write_text(
        tmp_path,
        "dup.yaml",
        """
        ruleset: dup
        default: {verdict: keep, because: x}
        parameters: {often: 12}
        rules:
          - {id: twice, priority: 2, when: {times_per_year: {ge: $often}}, then: keep, because: x}
          - {id: twice, priority: 3, when: {skill: none}, then: outsource, because: x}
          - {id: fine, priority: 1, when: {skil: none}, then: outsource, because: x}
          - {id: lone, priority: 0, when: {times_per_year: {lt: 1, gt: 3}}, then: keep, because: x}
        """,
    )
    readable, error = load_readable(path)
    assert error is not None
    assert readable is not None
    assert readable.rule_ids == ("lone",)
    found = find_problems(path, method="search")
    assert "unused-parameter" not in {f.code for f in found}
    assert [(f.code, f.rule_id) for f in found if f.code != "invalid"] == [
        ("never-applies", "lone")
    ]
    assert len([f for f in found if f.code == "invalid"]) == len(error.problems)


def test_load_readable_returns_a_ruleset_that_loads_whole(tmp_path: Path) -> None:
    """For a good ruleset, load_readable is load_ruleset with no error."""
    readable, error = load_readable("default")
    assert error is None
    assert readable is not None
    assert readable.name == "default"
    with pytest.raises(ValueError, match="method"):
        find_problems("default", method="guess")


def test_check_lists_every_problem_and_the_lint_in_one_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``check`` on a broken ruleset: the problems on stderr, the lint on stdout, exit 2."""
    path = write_text(tmp_path, "broken.yaml", BROKEN)
    code, out, err = run_cli(capsys, "check", str(path), "--method", "search")
    assert code == 2
    assert err.splitlines()[0].startswith(f"error: {path}:7:5 at rules[0].then: ")
    assert err.splitlines()[1].startswith(f"error: {path}:11:12 at rules[1].when.enjoyment_level")
    lines = out.splitlines()
    assert lines[0].startswith(f"{path}:24:5: error: rule 'dead' can never apply")
    assert lines[1].startswith(f"{path}:19:5: warning: rule 'shadowed' never decides")
    assert lines[-1] == (
        "the ruleset does not load (2 problems); the rules that could be read were linted: "
        "1 error, 1 warning; no invariant was verified (check failed)"
    )
    assert "schema-problem" not in out
    assert "unknown-fact" not in out


def test_check_formats_carry_every_problem_with_its_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """SARIF and JSON give the problems and the lint together, each at its line and column."""
    path = write_text(tmp_path, "broken.yaml", BROKEN)
    code, out, _ = run_cli(capsys, "check", str(path), "--method", "search", "--format", "sarif")
    assert code == 2
    results = json.loads(out)["runs"][0]["results"]
    regions = [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]) for r in results]
    assert regions == [
        ("invalid", {"startLine": 7, "startColumn": 5}),
        ("invalid", {"startLine": 11, "startColumn": 12}),
        ("never-decides", {"startLine": 19, "startColumn": 5}),
        ("never-applies", {"startLine": 24, "startColumn": 5}),
    ]
    code, out, _ = run_cli(capsys, "check", str(path), "--method", "search", "--format", "json")
    data = json.loads(out)
    assert (code, data["ok"], data["loaded"]) == (2, False, False)
    assert [f["code"] for f in data["findings"]] == [
        "invalid",
        "invalid",
        "never-decides",
        "never-applies",
    ]


def test_check_without_the_solver_still_lists_the_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--method exact`` with no z3: the problems, then what to install; exit 2, no traceback."""
    import outsourcing_rules.quality.problems as problems

    monkeypatch.setattr(problems, "solver_available", lambda: False)
    path = write_text(tmp_path, "broken.yaml", BROKEN)
    code, out, err = run_cli(capsys, "check", str(path), "--method", "exact")
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert lines[0].startswith(f"error: {path}:7:5 at rules[0].then: ")
    assert lines[-1] == (
        "error: exact checking needs z3, which is not installed; "
        "install the 'check' extra: pip install 'outsourcing-rules[check]'"
    )
