"""Why not: the rules that did not apply, and the unknown facts that could change a verdict.

A decision's matches say why the verdict is what it is. This module answers
the questions that come next: *why was it not outsourced?* (for each rule
that did not apply, the condition that failed, with the value seen, or the
fact that was missing) and *what if we knew more?* (for each unknown fact
that could change the verdict, the value that would, and the verdict it
would give).

The failed conditions are read off the rule's condition in negation normal
form with the same three-valued logic the engines use: a comparison on an
unknown fact is neither true nor false, so it is reported as missing, never
as failed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from ..core.conditions import Check, atoms, render_value, trace
from ..core.facts import Verdict
from ..core.text import printable
from ..core.vocabulary import OPERATORS
from ._inputs import INPUTS, input_values, inputs_behind
from .counterfactuals import Counterfactual, SearchOptions, search
from .search import relevant_inputs

if TYPE_CHECKING:
    from ..core.rules import Rule
    from ..decisions import Decision, Match


@attrs.frozen
class Miss:
    """A rule that did not apply to the task, and what stopped it.

    ``failed`` are the conditions that were false, each with the value seen;
    ``missing`` the rule facts that were unknown, and ``needs`` the facts to
    give so they would be known. ``outranks`` is true when the rule would have
    decided had it applied (it comes before the deciding rule).
    """

    rule_id: str
    verdict: Verdict
    priority: int
    because: str
    failed: tuple[Check, ...]
    missing: tuple[str, ...]
    needs: tuple[str, ...]
    outranks: bool

    def reasons(self) -> list[str]:
        """Say each failed condition and missing fact: ``skill is expert, not at most basic``."""
        found = [
            f"{c.fact} is {render_value(c.actual)}, "
            f"not {OPERATORS[c.op]} {render_value(c.expected)}"
            for c in self.failed
        ]
        for fact in self.missing:
            behind = [n for n in self.needs if n in _needed_for(fact)]
            behind = [] if behind == [fact] else behind
            found.append(f"{fact} is unknown" + (f" (give {_or(behind)})" if behind else ""))
        return found

    def describe(self) -> str:
        """Say why the rule did not apply: ``skill-gap (outsource): skill is ...``."""
        return f"{self.rule_id} ({self.verdict.value}): " + "; ".join(self.reasons())

    def to_dict(self) -> dict[str, Any]:
        """Return the miss as JSON-serialisable data."""
        return {
            "rule": self.rule_id,
            "verdict": self.verdict.value,
            "priority": self.priority,
            "outranks": self.outranks,
            "failed": [c.to_dict() for c in self.failed],
            "missing": list(self.missing),
            "needs": list(self.needs),
            "description": self.describe(),
        }


@attrs.frozen
class UnknownFact:
    """An unknown fact that could change the verdict, with the values that would."""

    fact: str
    outcomes: tuple[Counterfactual, ...]

    def describe(self) -> str:
        """Say it: ``unknown: time_available; if the owner had no time for it, ...``."""
        parts = [f"{c.condition()}, this {c.consequence()}" for c in self.outcomes]
        return f"unknown: {self.fact}; " + "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """Return the unknown fact as JSON-serialisable data."""
        return {
            "fact": self.fact,
            "outcomes": [c.to_dict() for c in self.outcomes],
            "description": self.describe(),
        }


def _needed_for(fact: str) -> set[str]:
    return set(inputs_behind(fact).values())


def _or(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def why_not(decision: Decision) -> tuple[Miss, ...]:
    """Return, for each rule of *decision*'s ruleset that did not apply, what stopped it.

    Rules come in decision order (highest priority first).
    """
    values = decision.facts
    inputs = input_values(decision.task, decision.owner)
    matched = set(decision.matched_rule_ids)
    winner = decision.rule_id
    ids = decision.ruleset.rule_ids
    cut = ids.index(winner) if winner is not None else len(ids)
    found = []
    for position, rule in enumerate(decision.ruleset.rules):
        if rule.id in matched:
            continue
        failed, missing = trace(rule.condition, values).blockers()
        missing = list(dict.fromkeys(missing))
        needs: list[str] = []
        for fact in missing:
            needs.extend(
                name
                for key, name in inputs_behind(fact).items()
                if inputs.get(key) is None and name not in needs
            )
        found.append(
            Miss(
                rule_id=rule.id,
                verdict=rule.verdict,
                priority=rule.priority,
                because=rule.because,
                failed=tuple(
                    Check(a.fact, a.op, a.value, values.get(a.fact), a.parameter)
                    for a in dict.fromkeys(failed)
                ),
                missing=tuple(missing),
                needs=tuple(needs),
                outranks=position < cut,
            )
        )
    return tuple(found)


def unknowns(decision: Decision) -> tuple[UnknownFact, ...]:
    """Return the unknown facts of *decision* that could change its verdict, and how.

    A fact counts when it is not given and some fact a rule tests is unknown
    for want of it: a task's ``one_off`` is not missing when its frequency
    already tells that it recurs, nor its ``core_competency`` when the
    owner's list already tells. Each comes with the values that would change
    the verdict (see :func:`~outsourcing_rules.explain.counterfactuals.counterfactuals`).
    """
    inputs = input_values(decision.task, decision.owner)
    facts = decision.facts
    tested = {atom.fact for rule in decision.ruleset.rules for atom in atoms(rule.condition)}
    wanting = {key for fact in tested if facts.get(fact) is None for key in inputs_behind(fact)}
    unknown = [
        name
        for name in relevant_inputs(decision.ruleset)
        if inputs[INPUTS[name].key] is None and INPUTS[name].key in wanting
    ]
    if not unknown:
        return ()
    found = search(decision, SearchOptions.of(max_changes=1, only=unknown, obvious=True))
    return tuple(
        UnknownFact(name, tuple(c for c in found if name in c.changes))
        for name in unknown
        if any(name in c.changes for c in found)
    )


def why_not_text(decision: Decision) -> str:
    """Return sentences saying which rules did not apply and which unknown facts matter."""
    parts = []
    misses = [m for m in decision.why_not() if m.verdict is not decision.verdict]
    if misses:
        parts.append("Did not apply: " + "; ".join(m.describe() for m in misses) + ".")
    for unknown in decision.unknowns():
        text = unknown.describe()
        parts.append(text[0].upper() + text[1:] + ".")
    return " ".join(parts)


_VERB = {"keep": "Keep", "outsource": "Outsource", "eliminate": "Eliminate"}


def lost_because(match: Match, winner: Rule | None) -> str:
    """Say why *match* did not decide, given the deciding rule *winner*."""
    if winner is None:  # pragma: no cover - a match means a winner exists
        return "no rule decided"
    if match.priority < winner.priority:
        agrees = " (it agrees on the verdict)" if match.verdict is winner.verdict else ""
        return f"priority {match.priority} is below {winner.id}'s {winner.priority}{agrees}"
    return f"same priority and verdict as {winner.id}, which is written first"


def _checks(match: Match) -> str:
    return "; ".join(check.describe() for check in match.checks)


def author_trace(decision: Decision, *, why_not: bool = False) -> str:
    """Return the rule author's account of *decision*: every match, the values seen, the losers.

    It names rules, priorities, facts and parameters exactly; the owner's
    account is :func:`outsourcing_rules.explain.voice.explain`. With
    *why_not*, add the rules for another verdict that did not apply and what
    stopped each (read off the conditions; nothing is searched).
    """
    verdict = decision.verdict.value
    head = f"{_VERB[verdict]} {decision.task.name!r}"
    winner = decision.rule
    matches = decision.matches
    if winner is None:
        text = (
            f"{head}: no rule of ruleset {decision.ruleset.name!r} applied, so its default "
            f"decides. {printable(decision.because)}"
        )
    else:
        first = matches[0]
        text = (
            f"{head}: rule {winner.id} decides (priority {winner.priority}) because "
            f"{_checks(first)}. {printable(winner.because)}"
        )
        others = matches[1:]
        if others:
            parts = [
                f"{m.rule_id} would {m.verdict.value} ({_checks(m)}), but "
                + ("its " if m.priority < winner.priority else "it has the ")
                + lost_because(m, winner)
                for m in others
            ]
            text += " Also applied: " + "; ".join(parts) + "."
    economics = decision.economics
    if economics.saving_per_year is not None:
        text += (
            f" saving_per_year {render_value(round(economics.saving_per_year, 2))}"
            f", saving_per_week {render_value(round(economics.saving_per_week or 0, 2))}."
        )
    if economics.hours_per_year is not None:
        text += (
            f" hours_per_year {render_value(round(economics.hours_per_year, 2))}"
            f", hours_per_week {render_value(round(economics.hours_per_week or 0, 2))}."
        )
    if why_not:
        misses = [m for m in decision.why_not() if m.verdict is not decision.verdict]
        if misses:
            text += " Did not apply: " + "; ".join(m.describe() for m in misses) + "."
    return text
