"""Scenario files (``quality.scenarios``): reading them, their errors, running them."""

from __future__ import annotations

from pathlib import Path

import pytest

from outsourcing_rules import Owner, Skill, Verdict, default_ruleset
from outsourcing_rules.quality.scenarios import (
    DEFAULT_RULE,
    Expectation,
    ScenarioError,
    load_scenarios,
    run_case,
    run_scenarios,
)

from conftest import write_text

AGENCY = """
ruleset: agency
extends: default
parameters:
  low_frequency_per_year: 6
rules:
  - id: confidential-stays
    priority: 95
    when: {category: payroll}
    then: keep
    because: Pay data stays in house.
"""

CASES = """
ruleset: rules/agency.yaml
owner: {name: Acme, hourly_rate: 100, core_competencies: [coaching]}
cases:
  - name: payroll stays in house
    task: {name: Run payroll, category: payroll, skill: none}
    expect: {verdict: keep, rule: confidential-stays}
  - name: rare flights are kept
    owner: {name: Bo}
    task: {category: travel, times_per_year: 4, one_off: false, enjoyment: dislike}
    expect: {verdict: keep, rule: low-frequency, matches: [annoyance], not_matched: [skill-gap]}
  - name: nothing argues either way
    task: {category: travel}
    expect: {rule: default}
"""


@pytest.fixture
def cases_file(tmp_path: Path) -> Path:
    write_text(tmp_path, "rules/agency.yaml", AGENCY)
    return write_text(tmp_path, "agency.cases.yaml", CASES)


def problems_of(tmp_path: Path, text: str) -> list[tuple[int | None, str, str]]:
    path = write_text(tmp_path, "bad.cases.yaml", text)
    with pytest.raises(ScenarioError) as info:
        load_scenarios(path)
    assert info.value.path == str(path)
    return [(p.line, p.key, str(p)) for p in info.value.problems]


def test_reads_cases_owners_and_expectations(cases_file: Path) -> None:
    """Each case gets its owner (its own or the file's) and a task named after it if unnamed."""
    scenarios = load_scenarios(cases_file)
    assert scenarios.ruleset == "rules/agency.yaml"
    first, second, third = scenarios.cases
    assert first.task.name == "Run payroll"
    assert first.task.skill is Skill.NONE
    assert first.owner == Owner(name="Acme", hourly_rate=100, core_competencies={"coaching"})
    assert second.owner == Owner(name="Bo")
    assert second.task.name == "rare flights are kept"
    assert second.expect == Expectation(
        Verdict.KEEP, "low-frequency", ("annoyance",), ("skill-gap",)
    )
    assert third.expect.rule == DEFAULT_RULE
    assert (first.path, first.line, third.line) == (str(cases_file), 4, 11)
    assert third.place == f"{cases_file}:11"


def test_runs_against_the_ruleset_named_relative_to_the_file(
    cases_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    """The file's ruleset is found next to it, wherever the command runs from."""
    monkeypatch.chdir(tmp_path / "rules")
    results = run_scenarios(load_scenarios(cases_file), engine=engine)
    assert [r.passed for r in results] == [True, True, True]
    assert results[0].decision.ruleset.name == "agency"
    assert results[0].decision.engine == engine


def test_a_case_naming_a_rule_the_ruleset_lacks_is_bad_input(cases_file: Path) -> None:
    """Against the default ruleset, which lacks confidential-stays, the file is refused."""
    with pytest.raises(ScenarioError) as info:
        run_scenarios(load_scenarios(cases_file), ruleset=default_ruleset())
    assert info.value.problems[0].rule_id == "confidential-stays"
    assert "ruleset 'default' does not have" in str(info.value)


def test_a_failure_says_what_was_expected_and_what_came(cases_file: Path) -> None:
    """Under the default ruleset, payroll goes out for the skill gap, and the result says so."""
    result = run_case(load_scenarios(cases_file).cases[0], default_ruleset())
    assert not result.passed
    assert result.got() == "outsource by skill-gap"
    assert result.failures == (
        "verdict is outsource, expected keep",
        "decided by skill-gap, expected confidential-stays",
    )


def test_summary_and_details_of_a_failing_case(tmp_path: Path) -> None:
    """The summary names the case, its place, the expectation and the verdict and rule it got."""
    path = write_text(
        tmp_path,
        "c.cases.yaml",
        """
        cases:
          - name: invoicing
            owner: {hourly_rate: 250}
            task: {times_per_year: 52, hours_each: 4, provider_hourly_rate: 37.5}
            expect: {verdict: keep, not_matched: [opportunity-cost]}
        """,
    )
    (result,) = run_scenarios(load_scenarios(path))
    assert not result.passed
    assert result.summary() == (
        f"{path}:2: invoicing: expected keep; opportunity-cost not applying; "
        "got outsource by opportunity-cost"
    )
    assert result.failures == ("verdict is outsource, expected keep", "opportunity-cost applied")
    details = result.details()
    assert "rules that applied: opportunity-cost" in details
    assert result.decision.explain().splitlines()[0] in details


def test_matches_and_not_matched(tmp_path: Path) -> None:
    """``matches`` lists rules that must apply, ``not_matched`` rules that must not."""
    path = write_text(
        tmp_path,
        "c.cases.yaml",
        """
        cases:
          - name: disliked and weak
            task: {skill: basic, enjoyment: hate}
            expect: {matches: [skill-gap, annoyance], not_matched: [repetitive]}
          - name: wrong on both counts
            task: {skill: basic}
            expect: {matches: [annoyance], not_matched: skill-gap}
        """,
    )
    good, bad = run_scenarios(load_scenarios(path))
    assert good.passed
    assert bad.failures == ("annoyance did not apply", "skill-gap applied")


def test_rule_default_means_no_rule_applied(tmp_path: Path) -> None:
    """``rule: default`` (or ``rule: null``) passes only when the ruleset's default decided."""
    path = write_text(
        tmp_path,
        "c.cases.yaml",
        """
        cases:
          - {name: empty, task: {}, expect: {rule: default, verdict: keep}}
          - {name: null rule, task: {}, expect: {rule: null}}
          - {name: weak, task: {skill: none}, expect: {rule: default}}
        """,
    )
    results = run_scenarios(load_scenarios(path))
    assert [r.passed for r in results] == [True, True, False]
    assert results[2].failures == ("decided by skill-gap, expected default",)


def test_an_unknown_rule_id_is_bad_input_with_a_suggestion(tmp_path: Path) -> None:
    """A typo in an expected rule id would make ``not_matched`` pass forever, so it is refused."""
    path = write_text(
        tmp_path,
        "c.cases.yaml",
        """
        cases:
          - name: typo
            task: {skill: none}
            expect: {not_matched: [skil-gap]}
        """,
    )
    with pytest.raises(ScenarioError) as info:
        run_scenarios(load_scenarios(path))
    problem = info.value.problems[0]
    assert (problem.path, problem.line, problem.suggestion) == (str(path), 2, "skill-gap")


def test_every_problem_is_reported_at_once_with_its_line(tmp_path: Path) -> None:
    """Unknown keys, bad facts, bad verdicts and duplicate names: all of them, each placed."""
    found = problems_of(
        tmp_path,
        """
        rulset: agency.yaml
        cases:
          - name: one
            task: {skil: none}
            expect: {verdict: kept}
          - name: one
            task: {hours_each: -2}
            expcet: {verdict: keep}
          - name: three
            task: {}
            expect: {matches: [a], not_matched: [a]}
        """,
    )
    assert found[0][:2] == (1, "rulset")
    lines_and_keys = [(line, key) for line, key, _ in found]
    assert (4, "cases[0].task.skil") in lines_and_keys
    assert (5, "cases[0].expect.verdict") in lines_and_keys
    assert (8, "cases[1].expcet") in lines_and_keys
    assert (7, "cases[1].task.hours_each") in lines_and_keys
    assert (11, "cases[2].expect") in lines_and_keys
    messages = " | ".join(message for _, _, message in found)
    assert "did you mean 'skill'?" in messages
    assert "must not be negative" in messages
    assert "'kept' is not a verdict" in messages
    assert "cannot both apply and not apply" in messages


def test_suggestions_for_misspelt_keys_and_verdicts(tmp_path: Path) -> None:
    """Near misses carry a did-you-mean as an attribute, not only in the text."""
    path = write_text(
        tmp_path,
        "c.cases.yaml",
        "cases:\n  - name: a\n    task: {}\n    expect: {verdict: outsorce}\n",
    )
    with pytest.raises(ScenarioError) as info:
        load_scenarios(path)
    assert info.value.problems[0].suggestion == "outsource"
    assert "did you mean 'outsource'?" in str(info.value)


def test_duplicate_case_names_are_refused(tmp_path: Path) -> None:
    """Case names identify test items, so they must be unique in a file."""
    found = problems_of(
        tmp_path,
        """
        cases:
          - {name: a, task: {}, expect: {rule: default}}
          - {name: a, task: {}, expect: {rule: default}}
        """,
    )
    assert found == [(3, "cases[1].name", found[0][2])]
    assert "used twice (also cases[0])" in found[0][2]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("- just a list\n", "must be a mapping"),
        ("cases: []\n", "non-empty list"),
        ("ruleset: agency.yaml\n", "non-empty list"),
        ("cases:\n  - 3\n", "a case must be a mapping"),
        ("cases:\n  - {name: a, expect: {rule: default}}\n", "task must be a mapping"),
        ("cases:\n  - {name: a, task: {}}\n", "expect must be a mapping"),
        ("cases:\n  - {name: a, task: {}, expect: {}}\n", "expect must be a mapping"),
        ("cases:\n  - {task: {}, expect: {rule: default}}\n", "needs a name"),
        ("cases:\n  - {name: a, task: {}, expect: {rule: 3}}\n", "rule must be a rule id"),
        ("cases:\n  - {name: a, task: {}, expect: {matches: {a: 1}}}\n", "list of rule ids"),
        ("cases:\n  - {name: a, owner: 5, task: {}, expect: {rule: x}}\n", "owner must be"),
        ("owner: {rate: 5}\ncases:\n  - {name: a, task: {}, expect: {rule: x}}\n", "rate"),
        ("ruleset: 5\ncases:\n  - {name: a, task: {}, expect: {rule: x}}\n", "path of a ruleset"),
        ("cases: [\n", "not valid YAML"),
    ],
)
def test_malformed_files(tmp_path: Path, text: str, fragment: str) -> None:
    """Each malformed shape is one clear problem with a line, never a crash."""
    found = problems_of(tmp_path, text)
    assert any(fragment in message for _, _, message in found), found
    assert all(line is not None for line, _, _ in found), found


def test_a_missing_file(tmp_path: Path) -> None:
    """A scenario file that does not exist is a ScenarioError naming it."""
    with pytest.raises(ScenarioError, match="no such file") as info:
        load_scenarios(tmp_path / "none.cases.yaml")
    assert info.value.path == str(tmp_path / "none.cases.yaml")


def test_parsed_data_can_be_given_directly() -> None:
    """A mapping is read as a file would be, with the path given for messages."""
    scenarios = load_scenarios(
        {"cases": [{"name": "a", "task": {"skill": "none"}, "expect": {"rule": "skill-gap"}}]},
        path="inline",
    )
    (result,) = run_scenarios(scenarios)
    assert result.passed
    assert scenarios.path == "inline"


def test_engines_agree_on_every_case(cases_file: Path) -> None:
    """Running the same file on each available engine gives the same outcomes."""
    from outsourcing_rules import available_engines

    outcomes = {
        name: [
            (r.got(), r.failures) for r in run_scenarios(load_scenarios(cases_file), engine=name)
        ]
        for name in available_engines()
    }
    assert len(set(map(tuple, outcomes.values()))) == 1
