"""Rule coverage: what a set of decisions exercised of a ruleset.

Scenario tests show a ruleset decides the cases written; coverage shows
what those cases never reached: rules that never applied, rules that never
decided (another always won), and comparisons (the atoms of a rule's
condition, as written) that were never seen true, never false, or never
unknown. An atom never seen unknown means no case left that fact out, so
nothing shows how the rule behaves when the fact is missing.

>>> from outsourcing_rules import Task, decide
>>> report = measure_coverage([decide(Task(name="x", can_be_eliminated=True))])
>>> report.never_applied[:2]
('core-competency', 'only-owner')
>>> report.never_decided[:3]
('core-competency', 'only-owner', 'skill-gap')
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from ..core.conditions import Atom, atoms, trace
from ..core.rules import Rule, Ruleset
from ..decisions import Decision

_OUTCOMES: tuple[bool | None, ...] = (True, False, None)
_NAMES = {True: "true", False: "false", None: "unknown"}


@attrs.frozen
class AtomCoverage:
    """One comparison of one rule, and the outcomes it was seen to take."""

    rule_id: str
    atom: Atom
    seen: frozenset[bool | None]

    @property
    def missing(self) -> tuple[str, ...]:
        """The outcomes never seen, by name: ``("false", "unknown")``."""
        return tuple(_NAMES[o] for o in _OUTCOMES if o not in self.seen)

    def describe(self) -> str:
        """Say which outcomes are missing: ``skill-gap: skill at most basic: never unknown``."""
        never = ", ".join(f"never {name}" for name in self.missing)
        return f"{self.rule_id}: {self.atom.describe()} (at {self.atom.key}): {never}"


@attrs.frozen
class CoverageReport:
    """What the decisions measured exercised of one ruleset."""

    ruleset: Ruleset
    decisions: int
    applied: dict[str, int]
    decided: dict[str, int]
    atoms: tuple[AtomCoverage, ...]

    @property
    def never_applied(self) -> tuple[str, ...]:
        """Ids of rules that applied to no task, in decision order."""
        return tuple(r for r in self.ruleset.rule_ids if not self.applied.get(r))

    @property
    def never_decided(self) -> tuple[str, ...]:
        """Ids of rules that decided no task, in decision order."""
        return tuple(r for r in self.ruleset.rule_ids if not self.decided.get(r))

    @property
    def incomplete_atoms(self) -> tuple[AtomCoverage, ...]:
        """The comparisons not seen true, false and unknown."""
        return tuple(a for a in self.atoms if a.missing)

    @property
    def complete(self) -> bool:
        """True when every rule applied and decided and every comparison took every outcome."""
        return not (self.never_applied or self.never_decided or self.incomplete_atoms)

    def render(self) -> str:
        """Return the report as text for a terminal."""
        name = self.ruleset.name
        lines = [f"coverage of ruleset {name!r} over {self.decisions} decisions:"]
        total = len(self.ruleset.rules)
        lines.append(
            f"  rules applied: {total - len(self.never_applied)}/{total}; "
            f"decided: {total - len(self.never_decided)}/{total}; "
            f"comparisons seen every way: "
            f"{len(self.atoms) - len(self.incomplete_atoms)}/{len(self.atoms)}"
        )
        if self.never_applied:
            lines.append(f"  never applied: {', '.join(self.never_applied)}")
        if self.never_decided:
            lines.append(f"  never decided: {', '.join(self.never_decided)}")
        if self.incomplete_atoms:
            lines.append("  comparisons not seen true, false and unknown:")
            lines.extend(f"    {a.describe()}" for a in self.incomplete_atoms)
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Return the report as JSON-serialisable data."""
        return {
            "ruleset": self.ruleset.name,
            "decisions": self.decisions,
            "never_applied": list(self.never_applied),
            "never_decided": list(self.never_decided),
            "comparisons": [
                {
                    "rule": a.rule_id,
                    "key": a.atom.key,
                    "condition": a.atom.describe(),
                    "missing": list(a.missing),
                }
                for a in self.incomplete_atoms
            ],
        }


def measure_coverage(
    decisions: Iterable[Decision], ruleset: Ruleset | None = None
) -> CoverageReport:
    """Measure what *decisions* exercised of *ruleset* (default: the ruleset they share).

    Every decision must come from that ruleset; a ``ValueError`` says so
    otherwise (measure each ruleset's decisions separately).
    """
    chosen = ruleset
    applied: dict[str, int] = {}
    decided: dict[str, int] = {}
    seen: list[set[bool | None]] = []
    pairs: list[tuple[Rule, Atom]] = []
    count = 0
    for decision in decisions:
        if chosen is None:
            chosen = decision.ruleset
        if decision.ruleset is not chosen and decision.ruleset.digest != chosen.digest:
            raise ValueError(
                f"decision on {decision.task.name!r} comes from ruleset "
                f"{decision.ruleset.name!r}, not {chosen.name!r}"
            )
        if not pairs:
            pairs = [(r, a) for r in chosen.rules for a in atoms(r.when)]
            seen = [set() for _ in pairs]
        count += 1
        for rule_id in decision.matched_rule_ids:
            applied[rule_id] = applied.get(rule_id, 0) + 1
        if decision.rule_id is not None:
            decided[decision.rule_id] = decided.get(decision.rule_id, 0) + 1
        values = decision.facts
        traced = [o for rule in chosen.rules for o in trace(rule.when, values).outcomes()]
        for outcomes, (_, result) in zip(seen, traced, strict=True):
            outcomes.add(result)
    if chosen is None:
        raise ValueError("there are no decisions to measure and no ruleset was given")
    if not pairs:
        pairs = [(r, a) for r in chosen.rules for a in atoms(r.when)]
        seen = [set() for _ in pairs]
    return CoverageReport(
        chosen,
        count,
        applied,
        decided,
        tuple(
            AtomCoverage(rule.id, atom, frozenset(outcomes))
            for (rule, atom), outcomes in zip(pairs, seen, strict=True)
        ),
    )
