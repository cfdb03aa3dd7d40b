"""``outsourcing-rules test``: exit codes, failure lines, bad input and coverage."""

from __future__ import annotations

from pathlib import Path

import pytest

from _examples import PAYROLL_AGENCY
from conftest import run_cli, write_text

PASSING = """
ruleset: agency.yaml
cases:
  - name: payroll stays in house
    owner: {name: Acme, hourly_rate: 100}
    task: {name: Run payroll, category: payroll, skill: none}
    expect: {verdict: keep, rule: confidential-stays}
  - name: accounts go out
    task: {category: accounting, skill: none}
    expect: {verdict: outsource, rule: skill-gap}
"""

FAILING = """
cases:
  - name: flights stay
    task: {times_per_year: 40, one_off: false, enjoyment: dislike}
    expect: {verdict: keep, rule: low-frequency}
  - name: weak skill
    task: {skill: none}
    expect: {verdict: outsource}
"""


def test_all_passing_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """Every case passes: exit 0, a summary line, nothing on stderr."""
    write_text(tmp_path, "agency.yaml", PAYROLL_AGENCY)
    cases = write_text(tmp_path, "a.cases.yaml", PASSING)
    code, out, err = run_cli(capsys, "test", cases, "--engine", engine)
    assert (code, err) == (0, "")
    assert out.strip() == "2 cases against ruleset 'agency': 2 passed, 0 failed"


def test_verbose_lists_passing_cases(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``-v`` shows each passing case with the verdict and rule it got."""
    write_text(tmp_path, "agency.yaml", PAYROLL_AGENCY)
    cases = write_text(tmp_path, "a.cases.yaml", PASSING)
    code, out, _ = run_cli(capsys, "test", cases, "-v")
    assert code == 0
    assert f"ok    {cases}:3: payroll stays in house: keep by confidential-stays" in out


def test_a_failure_exits_1_naming_the_case_and_what_it_got(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A failing case is named with its place, expectation, and the verdict and rule it got."""
    cases = write_text(tmp_path, "f.cases.yaml", FAILING)
    code, out, err = run_cli(capsys, "test", cases)
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert lines[0] == (
        f"FAIL  {cases}:2: flights stay: expected keep by low-frequency; got outsource by annoyance"
    )
    assert "        - verdict is outsource, expected keep" in lines
    assert lines[-1] == "2 cases against ruleset 'default': 1 passed, 1 failed"
    assert "weak skill" not in out


def test_ruleset_option_replaces_the_files_ruleset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--ruleset`` runs the same cases against another ruleset."""
    write_text(tmp_path, "agency.yaml", PAYROLL_AGENCY)
    lenient = write_text(
        tmp_path,
        "lenient.yaml",
        "ruleset: lenient\nextends: agency.yaml\noverrides:\n  - {id: annoyance, priority: 55}\n",
    )
    cases = write_text(tmp_path, "f.cases.yaml", FAILING)
    assert run_cli(capsys, "test", cases)[0] == 1
    code, out, _ = run_cli(capsys, "test", cases, "--ruleset", lenient)
    assert code == 1  # flights still go out, now under the lenient ruleset
    assert "against ruleset 'lenient'" in out


def test_bad_scenario_files_exit_2_with_every_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Problems in several files are all reported, one line each, and nothing runs."""
    one = write_text(
        tmp_path,
        "one.cases.yaml",
        "cases:\n  - {name: a, task: {skil: none}, expect: {rule: default}}\n",
    )
    two = write_text(tmp_path, "two.cases.yaml", "cases: []\n")
    code, out, err = run_cli(capsys, "test", one, two)
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"error: {one}:2:22 at cases[0].task.skil: ")
    assert lines[1].startswith(f"error: {two}:1:1 at cases: ")
    assert "Traceback" not in err


def test_a_missing_ruleset_or_unknown_rule_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A ruleset that does not load, or an expected rule it lacks, is bad input."""
    cases = write_text(tmp_path, "a.cases.yaml", PASSING)  # agency.yaml is not there
    code, _, err = run_cli(capsys, "test", cases)
    assert code == 2
    assert "agency.yaml" in err
    assert "no such file" in err
    code, _, err = run_cli(capsys, "test", cases, "--ruleset", "default")
    assert code == 2
    assert "names rule 'confidential-stays', which ruleset 'default' does not have" in err


def test_a_missing_cases_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A path that is not there is one error line."""
    code, _, err = run_cli(capsys, "test", str(tmp_path / "nope.cases.yaml"))
    assert code == 2
    assert err.strip() == f"error: {tmp_path / 'nope.cases.yaml'}: no such file"


def test_coverage_reports_gaps(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--coverage`` lists rules never applied or decided and comparisons not seen every way."""
    write_text(tmp_path, "agency.yaml", PAYROLL_AGENCY)
    cases = write_text(tmp_path, "a.cases.yaml", PASSING)
    code, out, _ = run_cli(capsys, "test", cases, "--coverage")
    assert code == 0
    assert "coverage of ruleset 'agency' over 2 decisions:" in out
    assert (
        "never applied: core-competency, only-owner, revenue-work, eliminate, time-scarcity" in out
    )
    assert (
        "never decided: core-competency, only-owner, revenue-work, eliminate, time-scarcity" in out
    )
    assert "confidential-stays: category equal to payroll" in out


def test_coverage_is_per_ruleset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Files naming different rulesets get one coverage report each."""
    write_text(tmp_path, "agency.yaml", PAYROLL_AGENCY)
    one = write_text(tmp_path, "a.cases.yaml", PASSING)
    two = write_text(tmp_path, "f.cases.yaml", FAILING)
    code, out, _ = run_cli(capsys, "test", one, two, "--coverage")
    assert code == 1
    assert "4 cases against ruleset 'agency', 'default': 3 passed, 1 failed" in out
    assert out.count("coverage of ruleset") == 2
