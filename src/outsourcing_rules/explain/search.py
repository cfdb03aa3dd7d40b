"""What-if search: the verdict a task would get if some of its facts were different.

Counterfactuals and the account of unknown facts both ask *what would the
verdict be if this fact had another value?* This module answers from the
compiled rules rather than by deciding copies of the task:

- every comparison of the ruleset (:func:`~outsourcing_rules.core.conditions.atoms`)
  says where its truth changes as one fact moves: at its threshold for a
  fact a rule tests directly, and where a derived fact (``rate_ratio``,
  ``hours_per_year``...) reaches the threshold for one of its inputs. Between
  two such *cuts* every comparison keeps its truth, so every rule keeps
  applying or not and the verdict is constant: one value per *region*
  stands for all of them;
- a change of two or three facts is looked for rule by rule: to give another
  verdict, some rule for that verdict must apply and every rule above it for
  the current verdict must stop applying; the comparisons that must turn
  true for that name the facts to change (:meth:`Scenario.proposals`).

Each candidate is then tried with the ruleset's compiled matcher
(:func:`~outsourcing_rules.engines.matcher_for`) on a light copy of the
task's facts, never by building and deciding a new task. Derived facts are
computed by the vocabulary's own reader
(:func:`~outsourcing_rules.core.vocabulary.fact_reader`): there is one
derivation of them in the library.

Numbers are searched on a grid (:data:`GRID`): whole times a year, quarter
hours, cents. A cut on a derived fact is found by interpolation with a
bisection fallback, which is exact on the grid because every derived number
of the vocabulary is monotone in each of its numeric inputs. Only *task*
facts and the owner's hourly rate change; derived facts change only through
their inputs.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, cast

from ..core.conditions import Atom
from ..core.facts import Owner, Task, Verdict
from ..core.rules import Ruleset
from ..core.vocabulary import FACTS, Kind
from ..engines import Matcher, matcher_for
from ._grid import Grid, Region, crossing, grid_of, inner_edge, runs, thresholds
from ._inputs import (
    INPUTS,
    OWNER_FIELDS,
    TASK_FIELDS,
    fields_of,
    input_values,
    key_of,
    ordered,
    reader,
    valid_value,
)
from ._inputs import light as light_copy
from ._terms import analysis_of, assignments, combine


def relevant_inputs(ruleset: Ruleset) -> tuple[str, ...]:
    """Return the inputs some rule of *ruleset* depends on, in the vocabulary's order.

    A task's category counts only where a rule tests it directly: changing
    what a task *is* to make it core is not a change of its circumstances.
    """
    return analysis_of(ruleset).relevant


# --- what the search knows of a ruleset, worked out once ------------------------------


class _Along:
    """The value of one derived fact as one input moves along its grid (memoised).

    One light copy of the facts is made, and only the moving input is set on
    it for each value: the vocabulary's reader does the rest.
    """

    def __init__(self, scenario: Scenario, fact: str, name: str, grid: Grid, changes: Any) -> None:
        self.grid = grid
        self.read = reader(fact)
        self.memo: dict[int, Any] = {}
        light = scenario.light(changes, name)
        self.task: Any = None if light is None else light[0]
        self.owner: Any = None if light is None else light[1]
        holder = self.owner if INPUTS[name].owner else self.task
        self.values = None if holder is None else holder.__dict__
        self.attribute = "hourly_rate" if INPUTS[name].owner else name
        self.once = (
            name == "times_per_year"
            and self.values is not None
            and (self.task.__dict__.get("one_off") is True)
        )

    def __call__(self, index: int) -> Any:
        found = self.memo.get(index, self)
        if found is self:
            value = self.grid.value(index)
            if self.values is None or (self.once and value not in (None, 1)):
                found = None  # no valid task has this value
            else:
                self.values[self.attribute] = value
                found = self.read(self.task, self.owner)[0]
            self.memo[index] = found
        return found


# --- a task and owner, and what changing them does ---------------------------------


class Scenario:
    """A task and owner under a ruleset, and the verdict any change of their facts gives.

    Outcomes come from the ruleset's compiled native matcher run on light
    copies of the facts (the fast way to try many values); callers confirm
    what they keep with the decision's own engine (:meth:`confirm`).
    """

    def __init__(self, task: Task, owner: Owner | None, ruleset: Ruleset) -> None:
        self.task = task
        self.owner = owner
        self.ruleset = ruleset
        self._analysis = analysis_of(ruleset)
        self._match = matcher_for(ruleset, "native")
        self._task = fields_of(task, TASK_FIELDS) or {}
        self._owner = fields_of(owner, OWNER_FIELDS)
        self._base = input_values(task, owner)
        self._outcomes: dict[tuple[tuple[str, Any], ...], tuple[Verdict, str | None] | None] = {}
        self._regions: dict[tuple[str, tuple[tuple[str, Any], ...]], list[Region]] = {}
        self._fact_values: dict[str, Any] | None = None
        self._candidates: dict[str, list[Any]] = {}
        self._nearest: dict[tuple[str, frozenset[Atom], tuple[tuple[str, Any], ...]], Any] = {}

    # -- light copies of the facts --

    def light(
        self, changes: Mapping[str, Any], moving: str | None = None
    ) -> tuple[Any, Any] | None:
        """Return the facts after *changes* as a light task and owner, ready to vary *moving*.

        ``None`` when the changes make no valid task. With *moving* set, the
        caller sets that input itself (an owner is made if it is the owner's
        rate), and checks that a one-off keeps its frequency at 1.
        """
        if moving is not None:
            changes = {k: v for k, v in changes.items() if k != moving}
            if moving == "times_per_year":
                changes = {**changes, moving: None}
        light = self._light(changes)
        if light is None or moving != "owner_hourly_rate" or light[1] is not None:
            return light
        return light[0], light_copy(dict.fromkeys(OWNER_FIELDS))

    def _light(self, changes: Mapping[str, Any]) -> tuple[Any, Any] | None:
        """Return the facts after *changes* as a light task and owner; ``None`` if not valid."""
        task = dict(self._task)
        owner = None if self._owner is None else dict(self._owner)
        for name, value in changes.items():
            if name == "owner_hourly_rate":
                owner = dict(owner or dict.fromkeys(OWNER_FIELDS))
                owner["hourly_rate"] = value
            else:
                task[name] = value
        if task.get("one_off") is True:
            if "one_off" in changes and "times_per_year" not in changes:
                task["times_per_year"] = None
            elif task.get("times_per_year") not in (None, 1):
                return None  # a one-off happens once
        return light_copy(task), None if owner is None else light_copy(owner)

    def fact(self, changes: Mapping[str, Any], fact: str) -> Any:
        """Return the value of rule fact *fact* after *changes* (``None`` = unknown)."""
        light = self._light(changes)
        if light is None:
            return None
        return reader(fact)(*light)[0]

    def current(self, name: str) -> Any:
        """Return the value *name* has now (``None`` = unknown)."""
        return self._base[INPUTS[name].key]

    def positions(self, changes: Mapping[str, Any], matcher: Matcher | None = None) -> Any:
        """Return the positions of the rules that apply after *changes* (``None``: not valid)."""
        light = self._light(changes)
        if light is None:
            return None
        match = matcher or self._match
        return match(cast(Task, light[0]), cast(Owner | None, light[1]))

    def _result(self, positions: Sequence[int]) -> tuple[Verdict, str | None]:
        rules = self.ruleset.rules
        if positions:
            return rules[positions[0]].verdict, rules[positions[0]].id
        return self.ruleset.default_verdict, None

    def outcome(self, changes: Mapping[str, Any]) -> tuple[Verdict, str | None] | None:
        """Return the verdict and deciding rule after *changes* (``None``: no valid task)."""
        key = key_of(changes)
        if key in self._outcomes:
            return self._outcomes[key]
        positions = self.positions(changes)
        found = None if positions is None else self._result(positions)
        self._outcomes[key] = found
        return found

    def confirm(self, changes: Mapping[str, Any], engine: str) -> tuple[Verdict, str | None] | None:
        """Return the outcome of *changes* on *engine*'s compiled matcher (the decision's own)."""
        if engine == "native":
            return self.outcome(changes)
        positions = self.positions(changes, matcher_for(self.ruleset, engine))
        return None if positions is None else self._result(positions)

    # -- ordered facts: regions of constant verdict --

    def grid(self, name: str) -> Grid | None:
        """Return the ordered grid of *name*, or ``None`` for a fact that is not ordered."""
        return grid_of(INPUTS[name])

    def regions(self, name: str, changes: Mapping[str, Any]) -> list[Region]:
        """Split the grid of the ordered fact *name* into regions of constant truth.

        The other facts hold their values after *changes*. In each region
        every comparison of the ruleset keeps its truth; regions whose values
        make no valid task are left out. Neighbours may share a verdict
        (:func:`runs` merges them).
        """
        memo_key = (name, key_of(changes))
        found = self._regions.get(memo_key)
        if found is not None:
            return found
        grid = grid_of(INPUTS[name])
        if grid is None:
            raise ValueError(f"{name} is not an ordered fact")
        cuts = sorted(self.cuts(name, changes, self._analysis.by_input.get(name, ())))
        bounds = [grid.low, *cuts, grid.high + 1]
        here = self.current(name) if not changes else None
        found = []
        for low, end in itertools.pairwise(bounds):
            if here is not None and grid.value(low) <= here <= grid.value(end - 1):
                result = self.outcome({})  # the region of the current value: its own verdict
            else:
                result = self.outcome({**changes, name: grid.value(low)})
            if result is not None:
                found.append(Region(low, end - 1, *result))
        self._regions[memo_key] = found
        return found

    def cuts(self, name: str, changes: Mapping[str, Any], tested: Iterable[Atom]) -> set[int]:
        """Grid indices of *name* (a number or level) where a comparison in *tested* may flip."""
        spec = INPUTS[name]
        grid = grid_of(spec)
        assert grid is not None
        cuts: set[int] = set()
        along: dict[str, _Along] = {}
        for atom in tested:
            numbers, strictness, direct = thresholds(atom, name)
            if direct is not None:
                cuts |= direct
                continue
            value_at = along.get(atom.fact)
            if value_at is None:
                value_at = along[atom.fact] = _Along(self, atom.fact, name, grid, changes)
            if FACTS[atom.fact].kind is not Kind.NUMBER:
                found = crossing(value_at, grid.low, grid.high, lambda v: v)
                if found is not None:
                    cuts.add(found)
                continue
            for threshold in numbers:
                for strict in strictness:

                    def truth(v: Any, t: float = threshold, s: bool = strict) -> bool:
                        return v is not None and (v > t if s else v >= t)

                    found = crossing(value_at, grid.low, grid.high, truth, threshold)
                    if found is not None:
                        cuts.add(found)
        return {c for c in cuts if grid.low < c <= grid.high}

    def flips(self, name: str, changes: Mapping[str, Any], verdict: Verdict) -> list[Any]:
        """Values of *name* that, after *changes*, give a verdict other than *verdict*.

        For an ordered fact with a known value, the nearest such value in each
        direction; with an unknown value, one per run of regions that share
        a verdict (the edge nearest the rest); for the others, every such value.
        """
        current = self.current(name) if name not in changes else changes[name]
        grid = grid_of(INPUTS[name])
        if grid is None:
            found = []
            for value in self.candidates(name):
                result = self.outcome({**changes, name: value})
                if result is not None and result[0] is not verdict:
                    found.append(value)
            return found
        others = {k: v for k, v in changes.items() if k != name}
        regions = runs(self.regions(name, others))
        if current is None:
            return [
                grid.value(inner_edge(grid, run.low, run.high))
                for run in regions
                if run.verdict is not verdict
            ]
        found = []
        up, down = grid.above(current), grid.below(current)
        if up is not None:
            for region in regions:
                if region.high >= up and region.verdict is not verdict:
                    found.append(grid.value(max(up, region.low)))
                    break
        if down is not None:
            for region in reversed(regions):
                if region.low <= down and region.verdict is not verdict:
                    found.append(grid.value(min(down, region.high)))
                    break
        return found

    def candidates(self, name: str) -> list[Any]:
        """Values of an unordered fact *name* a condition could tell apart, other than its own."""
        found = self._candidates.get(name)
        if found is None:
            found = self._candidates[name] = self._find_candidates(name)
        return found

    def _find_candidates(self, name: str) -> list[Any]:
        current = self.current(name)
        kind = INPUTS[name].kind
        if kind is Kind.BOOL:
            return [v for v in (True, False) if v is not current]
        mentioned: list[Any] = []
        for atom in self._analysis.by_input.get(name, ()):
            if atom.fact != name:
                continue
            if atom.op in ("in", "not_in"):
                mentioned.extend(sorted(atom.value, key=str))
            else:
                mentioned.append(atom.value)
        mentioned = [v for v in dict.fromkeys(mentioned) if valid_value(name, v)]
        if kind is Kind.LABELS:
            held: frozenset[str] = current or frozenset()
            sets = [held - {label} if label in held else held | {label} for label in mentioned]
            return list(dict.fromkeys(sets))
        return [v for v in mentioned if v != current]

    def span(self, name: str, changes: Mapping[str, Any]) -> tuple[Any, Any, bool, bool] | None:
        """Return the run of values of *name* around its value in *changes* sharing its verdict.

        Returns ``(low, high, lowest, highest)``: the run's first and last
        values, and whether it reaches the bottom and top of the grid.
        """
        grid = grid_of(INPUTS[name])
        if grid is None:
            return None
        value = changes[name]
        others = {k: v for k, v in changes.items() if k != name}
        for run in runs(self.regions(name, others)):
            if grid.value(run.low) <= value <= grid.value(run.high):
                return (
                    grid.value(run.low),
                    grid.value(run.high),
                    run.low == grid.low,
                    run.high == grid.high,
                )
        return None

    # -- changes of several facts, rule by rule --

    def proposals(
        self, verdict: Verdict, names: Sequence[str], max_changes: int
    ) -> Iterator[dict[str, Any]]:
        """Yield changes of 2 to *max_changes* of *names* that may move the verdict off *verdict*.

        For each rule for another verdict (and the default, if it differs),
        the ways to make it apply while every rule above it that now applies
        for *verdict* stops applying; each comparison that must turn true
        names the facts that could turn it, and each fact takes the value
        nearest its current one that does. Candidates only: try each with
        :meth:`outcome`.
        """
        analysis = self._analysis
        rules = self.ruleset.rules
        applying = self.positions({}) or ()
        values = self._values()
        allowed = set(names)
        seen: set[frozenset[tuple[str, frozenset[Atom]]]] = set()
        targets: list[tuple[list[frozenset[Atom]], list[int]]] = []
        for position, rule in enumerate(rules):
            if rule.verdict is not verdict:
                blockers = [q for q in applying if q < position and rules[q].verdict is verdict]
                targets.append((analysis.true_terms[position], blockers))
        if self.ruleset.default_verdict is not verdict:
            blockers = [q for q in applying if rules[q].verdict is verdict]
            targets.append(([frozenset()], blockers))
        for own_terms, blockers in targets:
            for term in combine(own_terms, [analysis.false_terms[q] for q in blockers]):
                needed = [a for a in term if a.test(values.get(a.fact)) is not True]
                for plan in assignments(needed, allowed, max_changes):
                    if len(plan) < 2:
                        continue
                    marker = frozenset((n, frozenset(a)) for n, a in plan.items())
                    if marker in seen:
                        continue
                    seen.add(marker)
                    changes = self._satisfy(plan)
                    if changes is not None:
                        yield changes

    def _values(self) -> dict[str, Any]:
        found = self._fact_values
        if found is None:
            light = self._light({})
            assert light is not None
            tested = self._analysis.tested
            found = dict(zip(tested, self._analysis.read(*light), strict=True))
            self._fact_values = found
        return found

    def _satisfy(self, plan: Mapping[str, list[Atom]]) -> dict[str, Any] | None:
        """Pick for each fact of *plan* the value nearest its own making its comparisons true."""
        changes: dict[str, Any] = {}
        # Facts tested directly first, so a derived threshold sees their new values.
        direct = {n: all(a.fact == INPUTS[n].key for a in plan[n]) for n in plan}
        for name in sorted(ordered(plan), key=lambda n: not direct[n]):
            value = self._nearest_true(name, plan[name], changes)
            if value is None:
                return None
            changes[name] = value
        return changes

    def _nearest_true(self, name: str, tested: Sequence[Atom], changes: Mapping[str, Any]) -> Any:
        memo_key = (name, frozenset(tested), key_of(changes))
        if memo_key not in self._nearest:
            self._nearest[memo_key] = self._find_nearest_true(name, tested, changes)
        return self._nearest[memo_key]

    def _find_nearest_true(
        self, name: str, tested: Sequence[Atom], changes: Mapping[str, Any]
    ) -> Any:
        current = self.current(name)
        spec = INPUTS[name]
        grid = grid_of(spec)
        direct = [a for a in tested if a.fact == spec.key]
        derived = [a for a in tested if a.fact != spec.key]

        def holds(value: Any) -> bool:
            if not all(a.test(value) is True for a in direct):
                return False
            trial = {**changes, name: value}
            return all(a.test(self.fact(trial, a.fact)) is True for a in derived)

        if grid is None:
            return next((v for v in self.candidates(name) if holds(v)), None)
        cuts = self.cuts(name, changes, tested)
        indices = sorted({grid.low, grid.high, *cuts, *(c - 1 for c in cuts)})
        good = [i for i in indices if holds(grid.value(i))]
        if current is not None:
            good = [i for i in good if grid.value(i) != current]
            if not good:
                return None
            return grid.value(min(good, key=lambda i: (abs(grid.value(i) - current), i)))
        if not good:
            return None
        return grid.value(inner_edge(grid, good[0], good[-1]))
