"""Checking a ruleset: what ``outsourcing-rules check`` reports.

Three stages, in order:

1. **Validation.** The ruleset is loaded: schema and semantic checks (unknown
   facts, operators and parameters, wrong value types, duplicate ids,
   ``extends`` cycles, overrides of missing rules...). A problem here is a
   :class:`~outsourcing_rules.RulesetError` with file, line and key; the
   command exits 2 and reports, in the same run, the lint of the rules that
   could be read (:func:`~outsourcing_rules.quality.find_problems`), but
   proves nothing.
2. **Lint and analysis**, by reasoning over the conditions without any task:
   unused parameters and roles, vacuous invariants (see
   :mod:`outsourcing_rules.quality.satisfiability`), and, with the solver, the
   exact analysis of :mod:`outsourcing_rules.quality.analysis` (rules that
   never apply or never decide, redundant, identical and equivalent rules,
   overlaps, gaps), each with a witness task.
3. **Invariants**: the ruleset's declared invariants and the library's
   built-in ones are proved, or refuted with a counterexample, by the
   solver (:mod:`outsourcing_rules.quality.verification`). Without z3 (the
   ``check`` extra), or for a ruleset it cannot encode, they are searched
   for counterexamples with Hypothesis instead
   (:func:`outsourcing_rules.testing.verify_invariants`).

The findings, their codes and severities are listed in
:mod:`outsourcing_rules.quality.findings`.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ..core.conditions import AllOf, AnyOf, Atom, Condition, atoms, negation_normal_form
from ..core.facts import Verdict
from ..core.rules import Limits, Rule, Ruleset
from ..errors import MissingExtraError
from ..loading import load_ruleset
from ..loading.reading import BUILTIN_RULESETS, builtin_path
from ..loading.yamlio import LocatedDict, ReadError, column_of, line_of, read_yaml
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

from .encoding import solver_available
from .findings import Finding, Severity, locate
from .verification import ENGINE_INVARIANTS, HARD_NAMES, Budget, Proof, prove_invariants


@attrs.frozen
class CheckReport:
    """Everything ``check`` found about one ruleset.

    ``proofs`` holds the solver's outcome for each invariant it verified
    (empty when the invariants were searched rather than proved);
    ``method`` is ``"exact"`` or ``"search"``; ``invariants`` says whether
    invariants were verified at all.
    """

    ruleset: Ruleset
    findings: tuple[Finding, ...]
    proofs: tuple[Proof, ...] = ()
    method: str = "exact"
    invariants: bool = True

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The findings that fail the check."""
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """The findings that are only reported."""
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    @property
    def notes(self) -> tuple[Finding, ...]:
        """The informational findings: overlaps, gaps."""
        return tuple(f for f in self.findings if f.severity is Severity.INFO)

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings allowed)."""
        return not self.errors

    def passed(self, *, strict: bool = False) -> bool:
        """Whether the check passes: no errors, and with *strict* no warnings either."""
        return not self.errors and not (strict and self.warnings)


# --- lint ---------------------------------------------------------------------------


def lint_ruleset(ruleset: Ruleset, *, rules: bool = True) -> list[Finding]:
    """Return what reasoning over the conditions finds, without deciding any task.

    With ``rules=False`` the per-fact reasoning about each rule's condition
    (``never-applies``, ``never-decides``, ``too-complex``) is left out: the
    solver's analysis answers those exactly.
    """
    findings: list[Finding] = []
    live: list[Rule] = []
    for rule in ruleset.rules:
        if not rules:
            findings.extend(_unused_role(rule))
            continue
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
        findings.extend(_unused_role(rule))
    findings.extend(_unused_parameters(ruleset))
    findings.extend(_vacuous_invariants(ruleset))
    return locate(findings, ruleset)


def _unused_role(rule: Rule) -> list[Finding]:
    if rule.role is None or rule.verdict is Verdict.OUTSOURCE:
        return []
    return [
        Finding(
            "unused-role",
            f"rule {rule.id!r} names role {rule.role!r} but {rule.verdict.value}s "
            "the task; roles are only used for outsourcing",
            rule.id,
            rule.path,
            rule.line,
        )
    ]


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
                column=column_of(written, name) if here else None,
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


def _proof_finding(proof: Proof, ruleset: Ruleset) -> Finding | None:
    declared = proof.invariant.startswith("invariants[")
    path = proof.path if declared else ruleset.path
    if proof.outcome == "violated":
        return Finding(
            "invariant-violated",
            f"invariant {proof.invariant} is broken: {proof.detail}",
            proof.rule_id,
            path,
            proof.line,
            proof.task,
            proof.owner,
        )
    if proof.outcome == "not-proven":
        return Finding(
            "not-proven", f"invariant {proof.invariant} {proof.detail}", None, path, proof.line
        )
    return None


def _exact_lint(loaded: Ruleset, budget: Budget, engine: str | None) -> list[Finding]:
    """Lint, with the solver's analysis in place of the per-fact one where it ran."""
    from .analysis import analyse_rules

    found = analyse_rules(loaded, budget=budget, engine=engine)
    if any(f.code == "unsupported" or "were not analysed" in f.message for f in found):
        return found + lint_ruleset(loaded)  # the solver did not run: the per-fact lint stands
    upgraded: list[Finding] = []
    for finding in found:
        if finding.code == "never-applies" and finding.rule_id is not None:
            # Say why in the per-fact words where they suffice (linked facts aside).
            condition = loaded.rule(finding.rule_id).condition
            if not _possible(condition):
                finding = attrs.evolve(
                    finding,
                    message=f"rule {finding.rule_id!r} can never apply: {why_never(condition)}",
                )
        upgraded.append(finding)
    return upgraded + lint_ruleset(loaded, rules=False)


def check_ruleset(
    ruleset: Ruleset | str | os.PathLike[str] | Mapping[str, Any],
    *,
    engine: str | None = None,
    max_examples: int | None = None,
    builtin: Collection[str] | None = None,
    invariants: bool = True,
    method: str = "auto",
    budget: Budget | None = None,
    limits: Limits | None = None,
) -> CheckReport:
    """Load, lint, analyse and verify a ruleset; return every finding.

    Raises :class:`~outsourcing_rules.RulesetError` when the ruleset does
    not load (validation comes first; *limits* are the loader's
    :class:`~outsourcing_rules.Limits`). *builtin* names the built-in
    invariants to verify (default:
    :data:`outsourcing_rules.testing.HARD_INVARIANTS`).

    *method* ``"exact"`` proves invariants and analyses the rules with z3
    (:class:`~outsourcing_rules.MissingExtraError` if it is not installed),
    ``"search"`` searches for counterexamples with Hypothesis (the same
    error without it; up to *max_examples* cases per
    invariant, default 200), and ``"auto"`` (the default) is ``"exact"``
    where z3 imports and ``"search"`` elsewhere, with a ``solver-missing``
    note. Under ``"exact"``, the built-in invariants about the engines'
    code (``deterministic``, ``name-irrelevant``, ``engines-agree``) are
    searched only when *max_examples* is given. *budget* bounds the
    solver's time and effort (:class:`~outsourcing_rules.quality.Budget`).
    With ``invariants=False`` only the lint runs.
    """
    loaded = load_ruleset(ruleset, limits=limits) if limits else load_ruleset(ruleset)
    if method not in ("auto", "exact", "search"):
        raise ValueError(f"method must be 'auto', 'exact' or 'search', not {method!r}")
    exact = method == "exact" or (method == "auto" and solver_available())
    if method == "exact" and not solver_available():
        raise MissingExtraError("exact checking", "check", "z3")
    chosen = budget or Budget()
    findings = _exact_lint(loaded, chosen, engine) if exact else lint_ruleset(loaded)
    if not exact and method == "auto":
        findings.append(
            Finding(
                "solver-missing",
                "z3 is not installed, so rules were linted fact by fact and invariants "
                "searched, not proved; install outsourcing-rules[check] for exact checking",
                path=loaded.path,
            )
        )
    proofs: list[Proof] = []
    if invariants:
        wanted = tuple(HARD_NAMES if builtin is None else builtin)
        searched: tuple[str, ...] = ()
        declared = not exact
        if exact:
            proofs = prove_invariants(loaded, builtin=wanted, engine=engine, budget=chosen)
            findings.extend(f for p in proofs if (f := _proof_finding(p, loaded)) is not None)
            if any(p.outcome == "unsupported" for p in proofs):
                reason = next(p.detail for p in proofs if p.outcome == "unsupported")
                findings.append(
                    Finding(
                        "unsupported",
                        f"{reason}; its invariants were searched for counterexamples instead",
                        path=loaded.path,
                    )
                )
                proofs = []
                searched, declared = wanted, True
            elif max_examples is not None:
                searched = tuple(n for n in wanted if n in ENGINE_INVARIANTS)
        else:
            searched = wanted
        if searched or (declared and loaded.invariants):
            findings.extend(
                _search(loaded, engine, max_examples or 200, searched, declared=declared)
            )
    return CheckReport(
        loaded,
        tuple(locate(findings, loaded)),
        tuple(proofs),
        "exact" if exact else "search",
        invariants,
    )


def _search(
    loaded: Ruleset,
    engine: str | None,
    max_examples: int,
    builtin: Collection[str],
    *,
    declared: bool,
) -> list[Finding]:
    """Search for counterexamples with Hypothesis, its files kept out of the working directory."""
    try:
        from ..testing import verify_invariants
        from .storage import hypothesis_storage
    except ImportError as exc:  # Hypothesis comes with the check and test extras
        raise MissingExtraError(
            "searching the invariants for counterexamples", "check", "Hypothesis"
        ) from exc

    with hypothesis_storage():
        found = verify_invariants(
            loaded, engine=engine, max_examples=max_examples, builtin=builtin, declared=declared
        )
    return [_violation(loaded, v) for v in found]
