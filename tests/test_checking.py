"""Checking rulesets: lint findings, their severity and place, and invariant verification."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from outsourcing_rules import RulesetBuilder, RulesetError, default_ruleset, load_ruleset
from outsourcing_rules.quality.checking import check_ruleset, lint_ruleset, why_never
from outsourcing_rules.quality.findings import SEVERITIES, Finding, Severity

from conftest import write_text

LINTED = """
ruleset: lint
extends: default
parameters:
  spare: 3
rules:
  - id: dead
    priority: 21
    when: {times_per_year: {lt: 3, gt: 5}}
    then: keep
    because: Never.
  - id: shadowed
    priority: 10
    when: {skill: none}
    then: outsource
    because: The skill gap rule always gets there first.
  - id: keeper-role
    priority: 5
    when: {category: filing}
    then: keep
    role: clerk
    because: A keep rule with a role.
"""


def codes(findings: list[Finding] | tuple[Finding, ...]) -> list[tuple[str, str | None]]:
    return [(f.code, f.rule_id) for f in findings]


def test_the_default_ruleset_is_clean() -> None:
    """The shipped ruleset has no lint findings at all."""
    assert lint_ruleset(default_ruleset()) == []


def test_lint_finds_dead_shadowed_and_unused(tmp_path: Path) -> None:
    """Each kind of lint finding, placed at the line of the rule or parameter in the file."""
    path = write_text(tmp_path, "lint.yaml", LINTED)
    findings = lint_ruleset(load_ruleset(path))
    assert codes(findings) == [
        ("never-applies", "dead"),
        ("never-decides", "shadowed"),
        ("unused-role", "keeper-role"),
        ("unused-parameter", None),
    ]
    dead, shadowed, role, spare = findings
    assert (dead.path, dead.line, dead.column) == (str(path), 6, 5)
    assert dead.message == (
        "rule 'dead' can never apply: times_per_year less than 3 and "
        "times_per_year greater than 5 cannot all hold"
    )
    assert shadowed.line == 11
    assert "rule 'skill-gap' before it applies too" in shadowed.message
    assert role.severity is Severity.WARNING
    assert (spare.line, spare.message) == (4, "parameter 'spare' is not used by any condition")
    assert str(dead) == f"{path}:6:5: error: {dead.message} [never-applies]"


def test_severities_are_documented_as_errors_and_warnings() -> None:
    """Dead rules and broken invariants fail a check; every code is documented with its severity."""
    errors = {code for code, severity in SEVERITIES.items() if severity is Severity.ERROR}
    assert errors == {"never-applies", "invariant-violated", "invalid"}
    import outsourcing_rules.quality.findings as module

    for code, severity in SEVERITIES.items():
        assert f"``{code}``" in (module.__doc__ or "")
        assert severity.value in (module.__doc__ or "")


def test_a_rule_covered_by_several_rules_together() -> None:
    """A rule whose cases are split between two earlier rules never decides."""
    ruleset = (
        RulesetBuilder("r")
        .default("keep", "x")
        .rule(id="low", priority=30, when={"skill": {"le": "basic"}}, then="outsource", because="x")
        .rule(id="high", priority=20, when={"skill": {"ge": "expert"}}, then="keep", because="x")
        .rule(
            id="known",
            priority=10,
            when={"skill": {"ne": "competent"}},
            then="eliminate",
            because="x",
        )
        .build()
    )
    (finding,) = lint_ruleset(ruleset)
    assert codes([finding]) == [("never-decides", "known")]
    assert "rules 'low', 'high' before it apply too" in finding.message


def test_an_inherited_unused_parameter_says_so() -> None:
    """Disabling the only rule that uses a parameter makes it unused, set by the base."""
    ruleset = (
        RulesetBuilder("r", extends="default").override("opportunity-cost", disabled=True).build()
    )
    (finding,) = lint_ruleset(ruleset)
    assert finding.code == "unused-parameter"
    assert "'opportunity_cost_ratio'" in finding.message
    assert "set by the extended ruleset" in finding.message


def test_a_vacuous_invariant_is_a_warning(tmp_path: Path) -> None:
    """An invariant that no task can trigger is reported, since it checks nothing."""
    path = write_text(
        tmp_path,
        "v.yaml",
        """
        ruleset: v
        default: {verdict: keep, because: x}
        invariants:
          - when: {skill: {lt: none}}
            never: outsource
        """,
    )
    (finding,) = lint_ruleset(load_ruleset(path))
    assert (finding.code, finding.severity, finding.line) == (
        "vacuous-invariant",
        Severity.WARNING,
        4,
    )
    assert "skill less than none never holds" in finding.message


@pytest.mark.parametrize(
    ("when", "reason"),
    [
        ({"hours_each": {"lt": 0}}, "hours_each less than 0 never holds"),
        (
            {"category": "a", "all": [{"category": "b"}]},
            "category equal to a and category equal to b",
        ),
        (
            {"any": [{"skill": {"lt": "none"}}, {"tags": {"in": ["x"], "not_in": ["x"]}}]},
            "none of its branches can hold: skill less than none never holds; tags one of [x] "
            "and tags none of [x] cannot all hold",
        ),
        (
            {
                "all": [
                    {"any": [{"one_off": True}, {"skill": "none"}]},
                    {"category": {"in": ["a"]}},
                    {"category": {"in": ["b"]}},
                ]
            },
            "category one of [a] and category one of [b] cannot all hold",
        ),
    ],
)
def test_why_a_rule_never_applies(when: dict[str, object], reason: str) -> None:
    """The reason names the comparisons that clash, through any and all."""
    rule = (
        RulesetBuilder("r")
        .default("keep", "x")
        .rule(id="a", priority=1, when=when, then="keep", because="x")
        .build()
        .rule("a")
    )
    assert reason in why_never(rule.condition)


def test_check_verifies_declared_invariants_with_a_counterexample(tmp_path: Path) -> None:
    """A declared invariant that a rule breaks is an error at its line, with a task showing it."""
    path = write_text(
        tmp_path,
        "inv.yaml",
        """
        ruleset: inv
        extends: default
        invariants:
          - when: {skill: none}
            never: outsource
            description: What we cannot do stays in house.
        """,
    )
    report = check_ruleset(path, max_examples=300, engine="native")
    assert not report.ok
    (finding,) = report.errors
    assert (finding.code, finding.path, finding.line) == ("invariant-violated", str(path), 4)
    assert "What we cannot do stays in house." in finding.message
    assert finding.task is not None
    assert str(finding.task.skill) == "none"
    assert finding.rule_id is not None
    assert load_ruleset(path).rule(finding.rule_id).verdict.value == "outsource"
    assert json.loads(json.dumps(finding.to_dict()))["task"]["skill"] == "none"


def test_check_of_the_default_ruleset_is_ok() -> None:
    """The default ruleset keeps its declared and the hard built-in invariants."""
    report = check_ruleset("default", engine="native")
    assert report.ok
    assert (report.errors, report.warnings) == ((), ())
    assert report.proofs
    assert all(p.proved for p in report.proofs)


def test_check_finds_broken_built_in_invariants() -> None:
    """Disabling the core-competency rule lets core work be outsourced: a built-in violation."""
    ruleset = (
        RulesetBuilder("r", extends="default").override("core-competency", disabled=True).build()
    )
    report = check_ruleset(ruleset, max_examples=200, engine="native")
    names = {f.message.split(" is broken")[0] for f in report.errors}
    assert "invariant core-never-outsourced" in names
    assert "invariant invariants[0]" in names  # inherited: core work is never handed off
    inherited = next(f for f in report.errors if "invariants[0]" in f.message)
    assert inherited.path == "default"


def test_lint_only_and_bad_rulesets() -> None:
    """``invariants=False`` runs the lint alone; a ruleset that does not load raises."""
    report = check_ruleset("default", invariants=False)
    assert report.ok
    with pytest.raises(RulesetError):
        check_ruleset("ruleset: x\nrules: []\n")
