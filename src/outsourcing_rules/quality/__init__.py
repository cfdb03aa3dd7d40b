"""Questions about rulesets, for their authors: lint, proofs, coverage, impact, scenarios.

These tools read a ruleset and the decisions it makes; nothing below them
imports them.
"""

from ..testing.sampling import generated_cases
from .analysis import analyse_rules
from .checking import CheckReport, check_ruleset, lint_ruleset
from .coverage import AtomCoverage, CoverageReport, measure_coverage
from .findings import Finding, Severity
from .impact import Change, Impact, Outcome, impact
from .problems import find_problems
from .scenarios import (
    DEFAULT_RULE,
    Case,
    CaseResult,
    Expectation,
    ScenarioError,
    ScenarioFile,
    compare,
    load_scenarios,
    run_case,
    run_scenarios,
)
from .verification import Budget, Proof, prove_invariants

__all__ = [
    "DEFAULT_RULE",
    "AtomCoverage",
    "Budget",
    "Case",
    "CaseResult",
    "Change",
    "CheckReport",
    "CoverageReport",
    "Expectation",
    "Finding",
    "Impact",
    "Outcome",
    "Proof",
    "ScenarioError",
    "ScenarioFile",
    "Severity",
    "analyse_rules",
    "check_ruleset",
    "compare",
    "find_problems",
    "generated_cases",
    "impact",
    "lint_ruleset",
    "load_scenarios",
    "measure_coverage",
    "prove_invariants",
    "run_case",
    "run_scenarios",
]
