"""The pytest plugin: scenario files collected as tests, one item per case."""

from __future__ import annotations

import re
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from _examples import PAYROLL_AGENCY

pytest_plugins = ["pytester"]


CASES = """
ruleset: agency.yaml
owner: {name: Acme, hourly_rate: 100}
cases:
  - name: payroll stays in house
    task: {category: payroll, skill: none}
    expect: {verdict: keep, rule: confidential-stays}
  - name: rare flights stay
    task: {times_per_year: 40, one_off: false, enjoyment: dislike}
    expect: {verdict: keep, rule: low-frequency}
  - name: accounts go out
    task: {category: accounting, skill: none}
    expect: {verdict: outsource, rule: skill-gap}
"""


def test_the_plugin_is_registered_as_an_entry_point() -> None:
    """Pytest finds the plugin through the ``pytest11`` entry point of the installed package."""
    found = {ep.name: ep.value for ep in entry_points(group="pytest11")}
    assert found.get("outsourcing_rules") == "outsourcing_rules.quality.pytest_plugin"


def test_one_item_per_case(pytester: pytest.Pytester) -> None:
    """Each case is a test item named after it; passing and failing ones are counted."""
    pytester.makefile(".yaml", agency=PAYROLL_AGENCY)
    pytester.makefile(".cases.yaml", agency=CASES)
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*agency.cases.yaml::payroll stays in house PASSED*",
            "*agency.cases.yaml::rare flights stay FAILED*",
            "*agency.cases.yaml::accounts go out PASSED*",
        ]
    )


def test_a_failure_reads_as_expected_versus_got(pytester: pytest.Pytester) -> None:
    """The failure report names the case, what it expected, and the verdict and rule it got."""
    pytester.makefile(".yaml", agency=PAYROLL_AGENCY)
    pytester.makefile(".cases.yaml", agency=CASES)
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "*agency.cases.yaml:7: rare flights stay: expected keep by low-frequency; "
            "got outsource by annoyance",
            "*- verdict is outsource, expected keep",
            "*- decided by annoyance, expected low-frequency",
            "*rules that applied: annoyance",
        ]
    )
    assert "Traceback" not in result.stdout.str()
    assert "def runtest" not in result.stdout.str()


def test_k_selects_cases_by_name(pytester: pytest.Pytester) -> None:
    """Case names work with ``-k`` like test names."""
    pytester.makefile(".yaml", agency=PAYROLL_AGENCY)
    pytester.makefile(".cases.yaml", agency=CASES)
    result = pytester.runpytest("-k", "payroll")
    result.assert_outcomes(passed=1, deselected=2)


def test_a_bad_file_is_a_collection_error_with_lines(pytester: pytest.Pytester) -> None:
    """A scenario file that does not load fails collection with every problem and its line."""
    pytester.makefile(
        ".cases.yaml",
        bad="cases:\n  - name: a\n    task: {skil: none}\n    expect: {verdict: kept}\n",
    )
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(
        [
            "*bad.cases.yaml:3:12 at cases?0?.task.skil: unknown fact (did you mean 'skill'?)",
            "*bad.cases.yaml:4:14 at cases?0?.expect.verdict: 'kept' is not a verdict*",
        ]
    )
    assert "Traceback" not in result.stdout.str()


def test_an_unknown_expected_rule_is_a_collection_error(pytester: pytest.Pytester) -> None:
    """Naming a rule the ruleset lacks is caught when collecting, with a did-you-mean."""
    pytester.makefile(
        ".cases.yaml",
        typo="cases:\n  - {name: a, task: {skill: none}, expect: {rule: skil-gap}}\n",
    )
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*names rule 'skil-gap'*did you mean 'skill-gap'?*"])


def test_the_patterns_are_configurable(pytester: pytest.Pytester) -> None:
    """The ini option ``outsourcing_rules_cases`` chooses which files hold cases."""
    pytester.makefile(".yaml", agency=PAYROLL_AGENCY)
    pytester.makefile(".scenarios.yml", agency=CASES)
    pytester.makefile(".cases.yaml", other=CASES)
    pytester.makeini("[pytest]\noutsourcing_rules_cases = *.scenarios.yml\n")
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=2, failed=1)
    assert "agency.scenarios.yml::accounts go out" in result.stdout.str()
    assert "other.cases.yaml" not in result.stdout.str()


def test_the_engine_is_configurable(pytester: pytest.Pytester) -> None:
    """The ini option ``outsourcing_rules_engine`` picks the engine; a bad one fails the cases."""
    pytester.makefile(
        ".cases.yaml", one="cases:\n  - {name: a, task: {}, expect: {rule: default}}\n"
    )
    pytester.makeini("[pytest]\noutsourcing_rules_engine = native\n")
    pytester.runpytest().assert_outcomes(passed=1)
    pytester.makeini("[pytest]\noutsourcing_rules_engine = steam\n")
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*unknown engine 'steam'*"])


def test_the_plugin_can_be_turned_off(pytester: pytest.Pytester) -> None:
    """``-p no:outsourcing_rules`` leaves scenario files alone."""
    pytester.makefile(
        ".cases.yaml", one="cases:\n  - {name: a, task: {}, expect: {rule: default}}\n"
    )
    result = pytester.runpytest("-p", "no:outsourcing_rules")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.mark.parametrize("page", ["howto/agency-ruleset.md", "reference/scenario-files.md"])
def test_the_documented_ini_settings_work(pytester: pytest.Pytester, page: str) -> None:
    """The ``[pytest]`` settings the docs show collect both patterns and run them natively."""
    text = (DOCS / page).read_text(encoding="utf-8")
    blocks = re.findall(r"^```ini\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)
    assert len(blocks) == 1, f"{page} should show one ini block"
    pytester.makeini(blocks[0])
    pytester.makefile(".yaml", agency=PAYROLL_AGENCY)
    pytester.makefile(".cases.yaml", first=CASES)
    pytester.makefile(".scenarios.yml", second=CASES)
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=4, failed=2)
    assert "first.cases.yaml::accounts go out" in result.stdout.str()
    assert "second.scenarios.yml::accounts go out" in result.stdout.str()
    config = pytester.parseconfig()
    assert config.getini("outsourcing_rules_engine") == "native"
    assert config.getini("outsourcing_rules_cases") == ["*.cases.yaml", "*.scenarios.yml"]
