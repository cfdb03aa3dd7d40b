"""The counterfactual search as it was before it was made fast: a frozen test oracle.

A copy of ``explain/search.py``, ``_grid.py``, ``_inputs.py`` and
``_terms.py`` and of the search loop of ``explain/counterfactuals.py``, taken
on 2026-12-02 before they were optimised. It works by trying every candidate
change on the compiled matcher over a light copy of the facts: slow, but
simple and long tested. ``tests/test_counterfactual_oracle.py`` checks that
the library's search returns exactly what this one does, in the same order.
It shares no cache with the library (its per-ruleset analysis has a key of
its own). Never edit it to make a test pass.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from typing import Any

from outsourcing_rules.core.conditions import Atom
from outsourcing_rules.core.facts import Verdict
from outsourcing_rules.decisions import Decision
from outsourcing_rules.explain.counterfactuals import Counterfactual, SearchOptions
from outsourcing_rules.explain.wording import Span

from .search import INPUTS, Scenario, relevant_inputs

__all__ = ["search"]


def search(decision: Decision, options: SearchOptions) -> tuple[Counterfactual, ...]:
    """Run the counterfactual search for *decision* with checked *options*."""
    scenario = Scenario(decision.task, decision.owner, decision.ruleset)
    verdict = decision.verdict
    names = [
        name
        for name in relevant_inputs(decision.ruleset)
        if name not in options.fixed
        and math.isfinite(options.cost(name))
        and (options.only is None or name in options.only)
    ]
    found: dict[frozenset[tuple[str, Any]], dict[str, Any]] = {}
    alone: set[str] = set()
    for name in names:
        values = scenario.flips(name, {}, verdict)
        for value in values:
            found.setdefault(_key({name: value}), {name: value})
        if values:
            alone.add(name)
    if options.max_changes > 1:
        _combinations(scenario, verdict, [n for n in names if n not in alone], options, found)
    results = [_confirmed(decision, scenario, changes, options) for changes in found.values()]
    kept = [r for r in results if r is not None and (options.obvious or not _obvious(r, decision))]
    position = {name: i for i, name in enumerate(INPUTS)}
    kept.sort(
        key=lambda c: (
            not c.actionable,
            c.cost,
            len(c.changes),
            [position[n] for n in c.changes],
            [_distance(c.previous.get(n), v) for n, v in c.changes.items()],
            repr(sorted(c.changes.items(), key=lambda i: i[0])),
        )
    )
    return tuple(kept)


def _combinations(
    scenario: Scenario,
    verdict: Verdict,
    names: list[str],
    options: SearchOptions,
    found: dict[frozenset[tuple[str, Any]], dict[str, Any]],
) -> None:
    proposals = sorted(
        scenario.proposals(verdict, names, options.max_changes),
        key=lambda changes: len(changes),
    )
    flipping: list[frozenset[str]] = []
    for size, group in itertools.groupby(proposals, key=len):
        new: list[frozenset[str]] = []
        for changes in group:
            facts = frozenset(changes)
            if any(smaller < facts for smaller in flipping):
                continue
            result = scenario.outcome(changes)
            if result is None or result[0] is verdict:
                continue
            if size > 2 and not _minimal(scenario, changes, verdict):
                continue
            found.setdefault(_key(changes), changes)
            new.append(facts)
        flipping.extend(new)


def _minimal(scenario: Scenario, changes: Mapping[str, Any], verdict: Verdict) -> bool:
    items = list(changes.items())
    for size in range(1, len(items)):
        for part in itertools.combinations(items, size):
            result = scenario.outcome(dict(part))
            if result is not None and result[0] is not verdict:
                return False
    return True


def _obvious(change: Counterfactual, decision: Decision) -> bool:
    if len(change.changes) != 1 or change.actionable or change.rule_id is None:
        return False
    ((name, value),) = change.changes.items()
    if not isinstance(value, bool):
        return False
    rule = decision.ruleset.rules[decision.ruleset.rule_ids.index(change.rule_id)]
    return isinstance(rule.condition, Atom) and rule.condition.fact == name


def _confirmed(
    decision: Decision, scenario: Scenario, changes: dict[str, Any], options: SearchOptions
) -> Counterfactual | None:
    again = scenario.confirm(changes, decision.engine)
    if again is None or again[0] is decision.verdict:
        return None
    spans = {}
    for name in changes:
        found = scenario.span(name, changes)
        if found is not None:
            spans[name] = Span(*found)
    ordered = {name: changes[name] for name in INPUTS if name in changes}
    return Counterfactual(
        changes=ordered,
        previous={name: scenario.current(name) for name in ordered},
        verdict=again[0],
        rule_id=again[1],
        spans=spans,
        cost=sum(options.cost(name) for name in changes),
    )


def _key(changes: Mapping[str, Any]) -> frozenset[tuple[str, Any]]:
    return frozenset(changes.items())


def _distance(current: Any, value: Any) -> float:
    if current is None or isinstance(value, bool) or not isinstance(value, int | float):
        return 0.0
    return abs(float(value) - float(current))
