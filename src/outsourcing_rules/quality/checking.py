"""Checking a ruleset: what ``outsourcing-rules check`` reports.

Three stages, in order:

1. **Validation.** The ruleset is loaded: schema and semantic checks (unknown
   facts, operators and parameters, wrong value types, duplicate ids,
   ``extends`` cycles, overrides of missing rules...). A problem here is a
   :class:`~outsourcing_rules.RulesetError` with file, line and key; the
   command exits 2 and nothing else runs.
2. **Lint**, by reasoning over the conditions without any task (see
   :mod:`outsourcing_rules.quality.satisfiability`).
3. **Invariants**: the ruleset's declared invariants and the library's
   built-in ones are searched for counterexamples with
   :func:`outsourcing_rules.testing.verify_invariants`; each violation comes
   with a shrunk counterexample task.

Findings and their severity (errors make ``check`` exit 1; warnings are
printed but do not fail):

===================== ========= ==================================================
code                  severity  meaning
===================== ========= ==================================================
``never-applies``     error     the rule's condition can hold for no task at all
                                (contradictory bounds, two values for one fact,
                                disjoint ``in`` lists...): it is dead
``invariant-violated`` error    a task breaks a declared or built-in invariant
``never-decides``     warning   whenever the rule applies, a rule before it in
                                decision order applies too, so it never decides
                                (it may still show among a decision's matches)
``unused-parameter``  warning   a parameter no condition refers to
``unused-role``       warning   a rule that does not outsource names a role
``vacuous-invariant`` warning   an invariant whose ``when`` can hold for no task
``too-complex``       warning   a condition too large to reason about exactly
                                (its DNF passes the cap); it was not linted
===================== ========= ==================================================
"""

from __future__ import annotations

import enum
import os
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ..core.conditions import AllOf, AnyOf, Atom, Condition, atoms, negation_normal_form
from ..core.facts import Owner, Task, Verdict
from ..core.rules import Rule, Ruleset
from ..core.text import plain
from ..loading import BUILTIN_RULESETS, builtin_path, load_ruleset
from ..loading.yamlio import LocatedDict, ReadError, line_of, read_yaml
from .satisfiability import (
    Literal,
    TooComplex,
    can_apply,
    contradiction,
    covering_rules,
    explain_contradiction,
    satisfiable,
)

if TYPE_CHECKING:
    from ..testing import Violation

__all__ = ["CheckReport", "Finding", "Severity", "check_ruleset", "lint_ruleset"]


class Severity(enum.Enum):
    """How serious a finding is: errors fail ``check``, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


#: The severity of every finding, by code.
SEVERITIES: dict[str, Severity] = {
    "never-applies": Severity.ERROR,
    "invariant-violated": Severity.ERROR,
    "never-decides": Severity.WARNING,
    "unused-parameter": Severity.WARNING,
    "unused-role": Severity.WARNING,
    "vacuous-invariant": Severity.WARNING,
    "too-complex": Severity.WARNING,
}


@attrs.frozen
class Finding:
    """One thing ``check`` found: what, how serious, and where.

    For an ``invariant-violated`` finding, ``task`` and ``owner`` are the
    (shrunk) counterexample.
    """

    code: str
    message: str
    rule_id: str | None = None
    path: str | None = None
    line: int | None = None
    task: Task | None = None
    owner: Owner | None = None

    @property
    def severity(self) -> Severity:
        """Error or warning, by :data:`SEVERITIES`."""
        return SEVERITIES[self.code]

    def __str__(self) -> str:
        place = self.path or "<ruleset>"
        if self.line is not None:
            place += f":{self.line}"
        return f"{place}: {self.severity.value}: {self.message} [{self.code}]"

    def to_dict(self) -> dict[str, Any]:
        """Return the finding as JSON-serialisable data."""
        data: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "rule": self.rule_id,
            "path": self.path,
            "line": self.line,
        }
        if self.task is not None:
            data["task"] = plain(self.task.to_dict())
        if self.owner is not None:
            data["owner"] = plain(self.owner.to_dict())
        return data


@attrs.frozen
class CheckReport:
    """Everything ``check`` found about one ruleset."""

    ruleset: Ruleset
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The findings that fail the check."""
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """The findings that are only reported."""
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings allowed)."""
        return not self.errors


# --- lint ---------------------------------------------------------------------------


def lint_ruleset(ruleset: Ruleset) -> list[Finding]:
    """Return what reasoning over the conditions finds, without deciding any task."""
    findings: list[Finding] = []
    live: list[Rule] = []
    for rule in ruleset.rules:
        try:
            possible = can_apply(rule.condition)
        except TooComplex:
            findings.append(_too_complex(rule))
            continue
        if not possible:
            findings.append(
                Finding(
                    "never-applies",
                    f"rule {rule.id!r} can never apply: {why_never(rule.condition)}",
                    rule.id,
                    rule.path,
                    rule.line,
                )
            )
            continue
        try:
            cover = covering_rules(rule.condition, [(r.id, r.condition) for r in live])
        except TooComplex:
            findings.append(_too_complex(rule))
            cover = None
        if cover:
            names = ", ".join(repr(r) for r in cover)
            findings.append(
                Finding(
                    "never-decides",
                    f"rule {rule.id!r} never decides: whenever it applies, "
                    f"{'rule' if len(cover) == 1 else 'rules'} {names} before it "
                    f"{'applies' if len(cover) == 1 else 'apply'} too",
                    rule.id,
                    rule.path,
                    rule.line,
                )
            )
        live.append(rule)
        if rule.role is not None and rule.verdict is not Verdict.OUTSOURCE:
            findings.append(
                Finding(
                    "unused-role",
                    f"rule {rule.id!r} names role {rule.role!r} but {rule.verdict.value}s "
                    "the task; roles are only used for outsourcing",
                    rule.id,
                    rule.path,
                    rule.line,
                )
            )
    findings.extend(_unused_parameters(ruleset))
    findings.extend(_vacuous_invariants(ruleset))
    return findings


def _too_complex(rule: Rule) -> Finding:
    return Finding(
        "too-complex",
        f"rule {rule.id!r} has a condition too large to reason about exactly; it was not linted",
        rule.id,
        rule.path,
        rule.line,
    )


def why_never(condition: Condition) -> str:
    """Say why *condition* (in negation normal form) can never hold."""
    if isinstance(condition, Atom):
        return explain_contradiction([Literal(condition, True)])
    if isinstance(condition, AnyOf):
        return "none of its branches can hold: " + "; ".join(
            why_never(part) for part in condition.parts
        )
    assert isinstance(condition, AllOf)
    for part in condition.parts:
        if not _possible(part):
            return why_never(part)
    plain = [Literal(part, True) for part in condition.parts if isinstance(part, Atom)]
    if plain and not satisfiable(plain):
        return explain_contradiction(contradiction(plain))
    everything = [Literal(atom, True) for atom in atoms(condition)]
    if not satisfiable(everything):
        return explain_contradiction(contradiction(everything))
    return "its parts cannot all hold together, whichever branches are taken"


def _possible(condition: Condition) -> bool:
    try:
        return can_apply(condition)
    except TooComplex:
        return True


def _source_node(ruleset: Ruleset, key: str) -> LocatedDict | None:
    """Return the mapping under *key* in the ruleset's own file, read again for its lines."""
    if ruleset.path is None:
        return None
    file = builtin_path(ruleset.path) if ruleset.path in BUILTIN_RULESETS else Path(ruleset.path)
    try:
        data = read_yaml(file.read_bytes(), path=ruleset.path)
    except (OSError, ReadError):
        return None
    node = data.get(key) if isinstance(data, LocatedDict) else None
    return node if isinstance(node, LocatedDict) else None


def _unused_parameters(ruleset: Ruleset) -> list[Finding]:
    used = {a.parameter for r in ruleset.rules for a in atoms(r.when)}
    used |= {a.parameter for inv in ruleset.invariants for a in atoms(inv.when)}
    unused = [name for name in ruleset.parameters if name not in used]
    if not unused:
        return []
    written = _source_node(ruleset, "parameters")
    findings = []
    for name in unused:
        here = written is not None and name in written
        findings.append(
            Finding(
                "unused-parameter",
                f"parameter {name!r} is not used by any condition"
                + (
                    ""
                    if here or ruleset.extends is None
                    else " (it is set by the extended ruleset)"
                ),
                None,
                ruleset.path,
                line_of(written, name) if here else None,
            )
        )
    return findings


def _vacuous_invariants(ruleset: Ruleset) -> list[Finding]:
    findings = []
    for index, invariant in enumerate(ruleset.invariants):
        if _possible(negation_normal_form(invariant.when)):
            continue
        label = invariant.description or f"invariants[{index}]"
        findings.append(
            Finding(
                "vacuous-invariant",
                f"invariant {label!r} can never be tested: its when can hold for no task "
                f"({why_never(negation_normal_form(invariant.when))})",
                None,
                invariant.path,
                invariant.line,
            )
        )
    return findings


# --- invariants and the whole check ----------------------------------------------------


def _violation(ruleset: Ruleset, violation: Violation) -> Finding:
    declared = violation.invariant.startswith("invariants[")
    path = violation.path if declared else ruleset.path
    line = violation.line if declared else None
    return Finding(
        "invariant-violated",
        f"invariant {violation.invariant} is broken: {violation.description}",
        violation.rule_id,
        path,
        line,
        violation.task,
        violation.owner,
    )


def check_ruleset(
    ruleset: Ruleset | str | os.PathLike[str] | Mapping[str, Any],
    *,
    engine: str | None = None,
    max_examples: int = 200,
    builtin: Collection[str] | None = None,
    invariants: bool = True,
) -> CheckReport:
    """Load, lint and verify a ruleset; return every finding.

    Raises :class:`~outsourcing_rules.RulesetError` when the ruleset does
    not load (validation comes first). *builtin* names the built-in
    invariants to verify (default:
    :data:`outsourcing_rules.testing.HARD_INVARIANTS`); each invariant gets
    a search of up to *max_examples* cases on *engine*. With
    ``invariants=False`` only the lint runs.
    """
    loaded = load_ruleset(ruleset)
    findings = lint_ruleset(loaded)
    if invariants:
        from ..testing import HARD_INVARIANTS, verify_invariants

        found = verify_invariants(
            loaded,
            engine=engine,
            max_examples=max_examples,
            builtin=HARD_INVARIANTS if builtin is None else builtin,
        )
        findings.extend(_violation(loaded, v) for v in found)
    return CheckReport(loaded, tuple(findings))
