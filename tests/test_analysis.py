"""The solver's rule analysis: each capability found on a planted defect, with a witness."""

from __future__ import annotations

from pathlib import Path

import pytest

from outsourcing_rules import decide, default_ruleset, load_ruleset
from outsourcing_rules.core.conditions import evaluate
from outsourcing_rules.core.vocabulary import fact_values
from outsourcing_rules.quality import Budget, Finding, Severity, analyse_rules, check_ruleset

from conftest import write_text

PLANTED = """
ruleset: planted
default: {verdict: keep, because: Nothing says otherwise.}
rules:
  - id: rush
    priority: 90
    when: {tags: {in: [urgent]}}
    then: outsource
    because: Rush work goes out.
  - id: impossible
    priority: 80
    when: {all: [{one_off: true}, {recurring: true}]}
    then: keep
    because: A one-off task is never recurring, so this never applies.
  - id: routine
    priority: 70
    when: {repetitive: true}
    then: outsource
    because: Routine goes out.
  - id: routine-again
    priority: 60
    when: {repetitive: true}
    then: outsource
    because: The same rule twice.
  - id: routine-reworded
    priority: 50
    when: {not: {repetitive: {ne: true}}}
    then: outsource
    because: The same condition, written another way.
  - id: hated
    priority: 40
    when: {enjoyment: {le: dislike}}
    then: outsource
    because: Nobody should do what they hate.
  - id: loathed
    priority: 30
    when: {enjoyment: {lt: neutral}}
    then: outsource
    because: Equivalent to hated, written differently.
  - id: small
    priority: 20
    when: {hours_each: {lt: 1}}
    then: keep
    because: The default keeps it anyway.
  - id: urgent-and-hated
    priority: 10
    when: {all: [{tags: {in: [urgent]}}, {enjoyment: hate}]}
    then: keep
    because: Always outranked by rush.
"""


@pytest.fixture(scope="module")
def findings() -> list[Finding]:
    return analyse_rules(load_ruleset(PLANTED), engine="native")


def one(findings: list[Finding], code: str, rule: str | None) -> Finding:
    found = [f for f in findings if f.code == code and f.rule_id == rule]
    assert len(found) == 1, (code, rule, [str(f) for f in findings])
    return found[0]


def test_a_rule_that_can_never_apply(findings: list[Finding]) -> None:
    """Linked facts (one_off and recurring) make the rule dead: an error."""
    finding = one(findings, "never-applies", "impossible")
    assert finding.severity is Severity.ERROR
    assert finding.line == 10


def test_rules_that_never_decide_name_the_rules_that_outrank_them(
    findings: list[Finding],
) -> None:
    """Always outranked: the witness shows the earlier rule deciding."""
    finding = one(findings, "never-decides", "urgent-and-hated")
    assert "rule 'rush' before it applies too" in finding.message
    assert finding.task is not None
    assert decide(finding.task, finding.owner, ruleset=load_ruleset(PLANTED)).rule_id == "rush"
    assert finding.task.tags == frozenset({"urgent"})
    assert one(findings, "never-decides", "routine-again").severity is Severity.WARNING


def test_identical_and_equivalent_rules(findings: list[Finding]) -> None:
    """Same condition: identical; same tasks, written differently: equivalent."""
    assert (
        "same condition as rule 'routine'"
        in one(findings, "identical-rules", "routine-again").message
    )
    # not: {ne: true} is, in negation normal form, {eq: true}: the same condition.
    one(findings, "identical-rules", "routine-reworded")
    equivalent = one(findings, "equivalent-rules", "loathed")
    assert "rule 'hated'" in equivalent.message


def test_a_redundant_rule_with_its_witness(findings: list[Finding], engine: str) -> None:
    """Removing 'small' changes no verdict: the default keeps what it keeps."""
    finding = one(findings, "redundant", "small")
    assert "removing it changes no verdict" in finding.message
    assert finding.task is not None
    ruleset = load_ruleset(PLANTED)
    assert decide(finding.task, finding.owner, ruleset=ruleset, engine=engine).rule_id == "small"
    without = ruleset.to_data()
    without["rules"] = [r for r in without["rules"] if r["id"] != "small"]
    after = decide(finding.task, finding.owner, ruleset=load_ruleset(without), engine=engine)
    assert after.verdict.value == "keep"


def test_a_rule_subsumed_by_another_with_the_same_verdict(findings: list[Finding]) -> None:
    """'routine' is redundant: the rules after it with the same condition would decide alike."""
    finding = one(findings, "redundant", "routine")
    assert "applies wherever it does" in finding.message


def test_overlaps_say_which_rule_wins_and_why(findings: list[Finding]) -> None:
    """Two rules with different verdicts on one task: a note naming the winner and the reason."""
    (finding,) = [
        f
        for f in findings
        if f.code == "overlap" and f.rule_id == "small" and "'rush'" in f.message
    ]
    assert finding.severity is Severity.INFO
    assert "'rush' wins because its priority 90 is higher than 20" in finding.message
    assert finding.task is not None
    values = fact_values(finding.task, finding.owner)
    ruleset = load_ruleset(PLANTED)
    assert evaluate(ruleset.rule("rush").condition, values) is True
    assert evaluate(ruleset.rule("small").condition, values) is True


def test_a_gap_is_a_note_with_a_fully_known_witness(findings: list[Finding]) -> None:
    """A task with every tested fact known that no rule covers falls to the default."""
    finding = one(findings, "gap", None)
    assert finding.severity is Severity.INFO
    assert finding.task is not None
    ruleset = load_ruleset(PLANTED)
    decision = decide(finding.task, finding.owner, ruleset=ruleset)
    assert decision.rule_id is None
    assert finding.task.repetitive is False
    assert finding.task.tags is not None


def test_a_complete_ruleset_has_no_gap() -> None:
    """When some rule covers every fully known task, there is no gap note."""
    ruleset = load_ruleset(
        """
        ruleset: complete
        default: {verdict: keep, because: x}
        rules:
          - {id: out, priority: 2, when: {repetitive: true}, then: outsource, because: x}
          - {id: drop, priority: 1, when: {repetitive: false}, then: eliminate, because: x}
        """
    )
    assert analyse_rules(ruleset) == []  # no overlap either: the two never meet
    gappy = ruleset.to_data()
    gappy["rules"] = gappy["rules"][:1]
    assert [f.code for f in analyse_rules(load_ruleset(gappy))] == ["gap"]


def test_the_default_ruleset_has_no_warnings() -> None:
    """The shipped rules are clean: only notes (overlaps by design, the default's gap)."""
    found = analyse_rules(default_ruleset())
    assert {f.severity for f in found} <= {Severity.INFO}


def test_findings_carry_file_and_line(tmp_path: Path) -> None:
    """A finding is placed at its rule's line in the file it came from."""
    path = write_text(tmp_path, "planted.yaml", PLANTED)
    finding = one(analyse_rules(load_ruleset(path)), "never-applies", "impossible")
    assert (finding.path, finding.line) == (str(path), 9)  # write_text drops the blank line


def test_the_pair_budget_cuts_the_overlap_analysis_short() -> None:
    """Past max_pairs, an 'overlaps-capped' note says how far the overlap analysis went."""
    found = analyse_rules(load_ruleset(PLANTED), budget=Budget(max_pairs=1))
    assert [f.code for f in found].count("overlap") == 1
    (capped,) = [f for f in found if f.code == "overlaps-capped"]
    assert capped.severity is Severity.INFO
    assert "first 1 pairs of rules" in capped.message


def test_check_uses_the_exact_analysis() -> None:
    """``check_ruleset`` reports the solver's findings and keeps the per-fact reasons."""
    report = check_ruleset(PLANTED, invariants=False)
    codes = {f.code for f in report.findings}
    assert {"never-applies", "never-decides", "redundant", "identical-rules"} <= codes
    assert {"equivalent-rules", "overlap", "gap"} <= codes
    assert not report.ok
    assert report.passed() is False
