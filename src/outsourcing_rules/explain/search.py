"""What-if machinery: which facts of a task could change, and which values are worth trying.

Counterfactuals and the account of unknown facts both ask the same question:
*what would the verdict be if this fact had another value?* Trying every
value is impossible for numbers, so this module works out, from the
ruleset's own conditions (:func:`~outsourcing_rules.core.conditions.atoms`), the
points where some condition changes its truth as one fact moves. Between two
such points every condition keeps its truth, so every rule keeps applying or
not, and the verdict is constant: one value per *region* stands for all.

Numbers are searched on a grid (:data:`GRID`): whole times a year, quarter
hours, cents. For a fact a rule tests directly the boundary is read off the
threshold; for a derived fact (``rate_ratio``, ``saving_per_year``...) it is
found by bisection along the grid, which is exact because every derived
number of the vocabulary is monotone in each of its numeric inputs. Levels
(``skill``, ``enjoyment``) are tried one by one. Only *task* facts and the
owner's hourly rate change; derived facts change only through their inputs.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from ..core.conditions import Atom, atoms
from ..core.facts import (
    MAX_RATE,
    Enjoyment,
    Owner,
    Skill,
    Task,
    Verdict,
)
from ..core.rules import Ruleset
from ..core.vocabulary import BOUNDS, FACTS, ORDER, Kind, closure
from ..engines import matcher_for

__all__ = [
    "GRID",
    "INPUTS",
    "Input",
    "Region",
    "Scenario",
    "apply_changes",
    "input_values",
    "inputs_behind",
    "ordered",
    "relevant_inputs",
]

#: How finely each numeric fact is searched (points per unit) and its bounds:
#: whole occurrences a year, quarter hours, cents.
GRID: dict[str, tuple[int, float, float]] = {
    fact: (scale, *BOUNDS[fact])
    for fact, scale in (
        ("times_per_year", 1),
        ("hours_each", 4),
        ("provider_hourly_rate", 100),
        ("owner_hourly_rate", 100),
    )
}
_DEFAULT_GRID = (100, 0.0, float(MAX_RATE))
#: Most values of one ``in`` list tried along a derived fact (each costs a bisection).
_MAX_THRESHOLDS = 256


@attrs.frozen
class Input:
    """A fact a counterfactual may change: its name, kind, and where it is stored.

    ``key`` is the name the vocabulary computes derived facts from (the task's
    stated ``core_competency`` is ``stated_core_competency`` there).
    """

    name: str
    kind: Kind
    owner: bool
    key: str


def _inputs() -> dict[str, Input]:
    found: dict[str, Input] = {}
    for name in ORDER:
        spec = FACTS.get(name)
        if name == "stated_core_competency":
            found["core_competency"] = Input("core_competency", Kind.BOOL, False, name)
        elif spec is not None and spec.source == "task":
            found[name] = Input(name, spec.kind, False, name)
        elif spec is not None and spec.source == "owner" and spec.kind is Kind.NUMBER:
            found[name] = Input(name, spec.kind, True, name)
    return found


#: Every fact a counterfactual may change, in the vocabulary's order.
INPUTS: dict[str, Input] = _inputs()
_BY_KEY = {spec.key: spec for spec in INPUTS.values()}


def _ruleset_atoms(ruleset: Ruleset) -> tuple[Atom, ...]:
    return tuple(atom for rule in ruleset.rules for atom in atoms(rule.condition))


@functools.cache
def _dependents(fact: str) -> frozenset[str]:
    """Return the input keys *fact* is computed from (itself, for a stored fact)."""
    return frozenset(closure(frozenset({fact})))


def inputs_behind(fact: str) -> dict[str, str]:
    """Return the facts given by the user that *fact* is computed from: key to name.

    Task facts and the owner's rate come by their input names; the owner's
    list of core competencies as ``core_competencies``.
    """
    found: dict[str, str] = {}
    for key in closure(frozenset({fact})):
        if key in _BY_KEY:
            found[key] = _BY_KEY[key].name
        elif key == "core_competencies":
            found[key] = key
    return found


def relevant_inputs(ruleset: Ruleset) -> tuple[str, ...]:
    """Return the inputs some rule of *ruleset* depends on, in the vocabulary's order.

    A task's category counts only where a rule tests it directly: changing
    what a task *is* to make it core is not a change of its circumstances.
    """
    keys: set[str] = set()
    for atom in _ruleset_atoms(ruleset):
        if atom.fact == "category":
            keys.add("category")
        keys.update(k for k in _dependents(atom.fact) if k != "category")
    return tuple(spec.name for spec in INPUTS.values() if spec.key in keys)


# --- the grid of an ordered fact ------------------------------------------------------


@attrs.frozen
class _Grid:
    """An ordered domain: indices ``low..high`` and the value at each."""

    low: int
    high: int
    scale: int
    levels: type[Skill] | type[Enjoyment] | None = None

    def value(self, index: int) -> Any:
        if self.levels is not None:
            return self.levels(index)
        return index if self.scale == 1 else index / self.scale

    def above(self, current: Any) -> int | None:
        """Return the first index whose value is greater than *current*."""
        if self.levels is not None:
            index = int(current) + 1
        else:
            index = max(self.low, math.floor(current * self.scale))
            while index <= self.high and self.value(index) <= current:
                index += 1
        return index if index <= self.high else None

    def below(self, current: Any) -> int | None:
        """Return the last index whose value is less than *current*."""
        if self.levels is not None:
            index = int(current) - 1
        else:
            index = min(self.high, math.ceil(current * self.scale))
            while index >= self.low and self.value(index) >= current:
                index -= 1
        return index if index >= self.low else None

    def first_at_least(self, threshold: float, strict: bool) -> int:
        """Return the first index valued ``>= threshold`` (``>`` if *strict*), else past the end."""

        def ok(index: int) -> bool:
            value = self.value(index)
            return bool(value > threshold if strict else value >= threshold)

        if ok(self.low):
            return self.low
        if not ok(self.high):
            return self.high + 1
        index = min(self.high, max(self.low, math.ceil(threshold * self.scale)))
        while index > self.low and ok(index - 1):
            index -= 1
        while not ok(index):
            index += 1
        return index


def _grid(spec: Input) -> _Grid | None:
    levels = spec.kind.levels
    if levels is not None:
        return _Grid(0, len(levels) - 1, 1, levels)
    if spec.kind is not Kind.NUMBER:
        return None
    scale, low, high = GRID.get(spec.name, _DEFAULT_GRID)
    return _Grid(math.ceil(low * scale), math.floor(high * scale), scale)


@attrs.frozen
class Region:
    """A run of grid indices ``low..high`` of one fact over which the verdict is constant."""

    low: int
    high: int
    verdict: Verdict
    rule_id: str | None


# --- a task and owner, and what changing them does ---------------------------------


def _derive(name: str, base: Mapping[str, Any], memo: dict[str, Any]) -> Any:
    if name in memo:
        return memo[name]
    spec = FACTS.get(name)
    if spec is None or spec.compute is None:
        value = base.get(name)
    else:
        value = spec.compute(*(_derive(n, base, memo) for n in spec.needs))
    memo[name] = value
    return value


def input_values(task: Task, owner: Owner | None) -> dict[str, Any]:
    """Return the value of every input (by the key derived facts use) and the owner's core list."""
    return _base(task, owner)


def _base(task: Task, owner: Owner | None) -> dict[str, Any]:
    base: dict[str, Any] = {}
    for spec in INPUTS.values():
        holder: Any = owner if spec.owner else task
        attribute = "hourly_rate" if spec.owner else spec.name
        base[spec.key] = None if holder is None else getattr(holder, attribute)
    base["core_competencies"] = None if owner is None else owner.core_competencies
    return base


def _set(base: dict[str, Any], name: str, value: Any) -> None:
    base[INPUTS[name].key] = value
    if name == "one_off" and value is True:
        base["times_per_year"] = None


def apply_changes(
    task: Task, owner: Owner | None, changes: Mapping[str, Any]
) -> tuple[Task, Owner | None]:
    """Return the task and owner with *changes* made (fact name to new value).

    Making a task a one-off also forgets its frequency, since a one-off
    happens once. Raises :class:`~outsourcing_rules.FactError` when the
    result is not a valid task.
    """
    task_changes = {k: v for k, v in changes.items() if not INPUTS[k].owner}
    if task_changes.get("one_off") is True and "times_per_year" not in task_changes:
        task_changes["times_per_year"] = None
    new_task = attrs.evolve(task, **task_changes) if task_changes else task
    new_owner = owner
    if "owner_hourly_rate" in changes:
        rate = changes["owner_hourly_rate"]
        new_owner = (
            Owner(hourly_rate=rate) if owner is None else attrs.evolve(owner, hourly_rate=rate)
        )
    return new_task, new_owner


class Scenario:
    """A task and owner under a ruleset, and the verdict any change of their facts gives.

    Verdicts are found with the native engine's compiled matcher, the fast
    way to try many values; callers verify what they keep by deciding again.
    """

    def __init__(self, task: Task, owner: Owner | None, ruleset: Ruleset) -> None:
        self.task = task
        self.owner = owner
        self.ruleset = ruleset
        self._match = matcher_for(ruleset, "native")
        self._base = _base(task, owner)
        self._atoms = _ruleset_atoms(ruleset)
        self._outcomes: dict[frozenset[tuple[str, Any]], tuple[Verdict, str | None] | None] = {}

    def current(self, name: str) -> Any:
        """Return the value *name* has now (``None`` = unknown)."""
        return self._base[INPUTS[name].key]

    def outcome(self, changes: Mapping[str, Any]) -> tuple[Verdict, str | None] | None:
        """Return the verdict and deciding rule after *changes* (``None``: no valid task)."""
        key = frozenset((k, _hashable(v)) for k, v in changes.items())
        if key in self._outcomes:
            return self._outcomes[key]
        try:
            task, owner = apply_changes(self.task, self.owner, changes)
        except (ValueError, TypeError):
            found = None
        else:
            positions = self._match(task, owner)
            rules = self.ruleset.rules
            found = (
                (rules[positions[0]].verdict, rules[positions[0]].id)
                if positions
                else (self.ruleset.default_verdict, None)
            )
        self._outcomes[key] = found
        return found

    # -- ordered facts: regions of constant verdict --

    def grid(self, name: str) -> _Grid | None:
        """Return the ordered grid of *name*, or ``None`` for a fact that is not ordered."""
        return _grid(INPUTS[name])

    def regions(self, name: str, changes: Mapping[str, Any], *, merge: bool = True) -> list[Region]:
        """Split the grid of the ordered fact *name* into regions of constant verdict.

        The other facts hold their values after *changes*. Regions whose
        values make no valid task are left out. With *merge* (the default),
        neighbouring regions with the same verdict and rule are one; without,
        each region is a stretch where every condition keeps its truth, which
        is what matters when another fact changes too.
        """
        grid = _grid(INPUTS[name])
        if grid is None:
            raise ValueError(f"{name} is not an ordered fact")
        if grid.levels is not None:
            cuts = list(range(grid.low + 1, grid.high + 1))
        else:
            cuts = sorted(self._cuts(name, grid, changes))
        bounds = [grid.low, *cuts, grid.high + 1]
        found: list[Region] = []
        for low, end in itertools.pairwise(bounds):
            if low >= end:
                continue
            result = self.outcome({**changes, name: grid.value(low)})
            if result is None:
                continue
            if (
                merge
                and found
                and found[-1].high == low - 1
                and (found[-1].verdict, found[-1].rule_id) == result
            ):
                found[-1] = attrs.evolve(found[-1], high=end - 1)
            else:
                found.append(Region(low, end - 1, *result))
        return found

    def _cuts(self, name: str, grid: _Grid, changes: Mapping[str, Any]) -> set[int]:
        """Grid indices where some condition's truth changes as *name* moves."""
        key = INPUTS[name].key
        base = dict(self._base)
        for changed, value in changes.items():
            _set(base, changed, value)
        cuts: set[int] = set()
        for atom in self._atoms:
            if key not in _dependents(atom.fact):
                continue
            values = sorted(atom.value, key=str) if atom.op in ("in", "not_in") else [atom.value]
            if atom.fact == key:
                for threshold in values:
                    if isinstance(threshold, int | float) and not isinstance(threshold, bool):
                        cuts.add(grid.first_at_least(threshold, strict=False))
                        cuts.add(grid.first_at_least(threshold, strict=True))
                continue

            def fact_at(index: int, fact: str = atom.fact) -> Any:
                trial = dict(base)
                _set(trial, name, grid.value(index))
                return _derive(fact, trial, {})

            if FACTS[atom.fact].kind is not Kind.NUMBER:
                start = fact_at(grid.low)

                def moved(index: int, start: Any = start, at: Any = fact_at) -> bool:
                    return bool(at(index) != start)

                cuts.add(_first_flip(moved, grid.low, grid.high))
                continue
            for threshold in values[:_MAX_THRESHOLDS]:
                if isinstance(threshold, bool) or not isinstance(threshold, int | float):
                    continue
                for strict in (True, False):

                    def below(i: int, t: float = threshold, s: bool = strict) -> bool | None:
                        v = fact_at(i)
                        if v is None:
                            return None
                        return bool(v < t) if s else bool(v <= t)

                    start_truth = below(grid.low)
                    if start_truth is None:
                        continue

                    def crossed(index: int, start: bool = start_truth, test: Any = below) -> bool:
                        return test(index) not in (start, None)

                    cuts.add(_first_flip(crossed, grid.low, grid.high))
        return {c for c in cuts if grid.low < c <= grid.high}

    # -- every fact: the values worth trying --

    def alternatives(self, name: str, changes: Mapping[str, Any]) -> list[Any]:
        """Values of *name* worth trying after *changes*: one per region, or each candidate.

        For an ordered fact, the value of each region nearest the current one
        (for an unknown fact, each region's edge nearest a neighbour); for
        the others, every value a condition could tell apart.
        """
        current = self.current(name)
        grid = _grid(INPUTS[name])
        if grid is not None:
            found = []
            for region in self.regions(name, changes, merge=False):
                value = _nearest(grid, region, current)
                if value is not None and value != current:
                    found.append(value)
            return found
        return [v for v in self._candidates(name) if v != current]

    def _candidates(self, name: str) -> list[Any]:
        kind = INPUTS[name].kind
        if kind is Kind.BOOL:
            return [True, False]
        mentioned: list[Any] = []
        for atom in self._atoms:
            if atom.fact != name:
                continue
            if atom.op in ("in", "not_in"):
                mentioned.extend(sorted(atom.value, key=str))
            else:
                mentioned.append(atom.value)
        mentioned = list(dict.fromkeys(mentioned))
        if kind is Kind.LABELS:
            current: frozenset[str] = self.current(name) or frozenset()
            sets = [
                current - {label} if label in current else current | {label} for label in mentioned
            ]
            return list(dict.fromkeys(sets))
        return mentioned

    def flips(self, name: str, changes: Mapping[str, Any], verdict: Verdict) -> list[Any]:
        """Values of *name* that, after *changes*, give a verdict other than *verdict*.

        For an ordered fact with a known value, the nearest such value in each
        direction; with an unknown value, one per run of regions that share
        a verdict (the edge nearest the rest); for the others, every such value.
        """
        current = self.current(name)
        grid = _grid(INPUTS[name])
        if grid is None:
            found = []
            for value in self.alternatives(name, changes):
                result = self.outcome({**changes, name: value})
                if result is not None and result[0] is not verdict:
                    found.append(value)
            return found
        regions = self.regions(name, changes)
        if current is None:
            return [
                grid.value(run.high if run.low == grid.low and run.high != grid.high else run.low)
                for run in _runs(regions)
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

    def span(self, name: str, changes: Mapping[str, Any]) -> tuple[Any, Any, bool, bool] | None:
        """Return the run of values of *name* around its value in *changes* sharing its verdict.

        Returns ``(low, high, lowest, highest)``: the run's first and last
        values, and whether it reaches the bottom and top of the grid.
        """
        grid = _grid(INPUTS[name])
        if grid is None:
            return None
        value = changes[name]
        others = {k: v for k, v in changes.items() if k != name}
        for run in _runs(self.regions(name, others)):
            if grid.value(run.low) <= value <= grid.value(run.high):
                return (
                    grid.value(run.low),
                    grid.value(run.high),
                    run.low == grid.low,
                    run.high == grid.high,
                )
        return None


def _runs(regions: Sequence[Region]) -> list[Region]:
    """Merge neighbouring regions that share a verdict (whatever rule decides)."""
    runs: list[Region] = []
    for region in regions:
        if runs and runs[-1].high == region.low - 1 and runs[-1].verdict is region.verdict:
            runs[-1] = attrs.evolve(runs[-1], high=region.high)
        else:
            runs.append(region)
    return runs


def _nearest(grid: _Grid, region: Region, current: Any) -> Any:
    """Return the value of *region* nearest *current*; for an unknown one, its inner edge.

    ``None`` for the region that holds *current* (its values change nothing),
    and for an unknown fact whose every value gives one verdict (any value
    would do, so none is worth naming).
    """
    if current is None:
        if region.low == grid.low and region.high == grid.high:
            return None
        index = region.high if region.low == grid.low and region.high != grid.high else region.low
        return grid.value(index)
    if grid.value(region.high) < current:
        return grid.value(region.high)
    if grid.value(region.low) > current:
        return grid.value(region.low)
    return None


def _first_flip(changed: Callable[[int], bool], low: int, high: int) -> int:
    """Return the first index in ``low..high`` where *changed* holds (and stays true).

    ``high + 1`` when it never holds.
    """
    if not changed(high):
        return high + 1
    while low < high:
        middle = (low + high) // 2
        if changed(middle):
            high = middle
        else:
            low = middle + 1
    return low


def _hashable(value: Any) -> Any:
    return frozenset(value) if isinstance(value, set) else value


def ordered(names: Iterable[str]) -> list[str]:
    """Sort input names: unordered kinds first, then levels, then numbers (vocabulary order)."""
    rank = {Kind.NUMBER: 2, Kind.SKILL: 1, Kind.ENJOYMENT: 1}
    position = {name: i for i, name in enumerate(INPUTS)}
    return sorted(names, key=lambda n: (rank.get(INPUTS[n].kind, 0), position[n]))
