"""A light copy of a task's facts with one input moving along its grid.

The what-if search (:mod:`outsourcing_rules.explain.search`) reads a derived
fact (:func:`reading`) or the verdict (:func:`sweeping`) at many values of one
input. One light copy of the facts is made per sweep, and only the moving
input is set on it for each value. Where derived facts cross their
thresholds (:func:`add_crossings`) and the values of an unordered fact
that change the verdict (:func:`unordered_flips`) are read the same way.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..core.facts import Verdict
from ._grid import GRIDS, LEVELS, Grid, crossing, number_crossing, runs
from ._inputs import INPUTS, dependents, hashable, key_of, reader

if TYPE_CHECKING:
    from .search import Scenario


class Rig:
    """One light copy of the facts after some changes, with one input left to move.

    Shared by every reading along that input (:func:`reading`, :func:`sweeping`):
    each sets the input on the copy before it reads.
    """

    __slots__ = ("attribute", "grid", "levels", "once", "owner", "scale", "task", "values")

    def __init__(self, scenario: Scenario, name: str, grid: Grid, changes: Any) -> None:
        self.grid = grid
        self.scale = grid.scale
        self.levels = None if grid.levels is None else LEVELS[grid.levels]
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

    def set(self, index: int) -> bool:
        """Give the moving input the value at *index*; ``False`` if no valid task has it."""
        levels, scale = self.levels, self.scale
        value = levels[index] if levels is not None else index if scale == 1 else index / scale
        if self.values is None or (self.once and value not in (None, 1)):
            return False
        self.values[self.attribute] = value
        return True


def reading(rig: Rig, fact: str) -> Callable[[int], Any]:
    """Return the value of one derived fact as one input moves along its grid (memoised).

    Only the moving input is set on the rig's light copy for each value: the
    vocabulary's reader does the rest. ``None`` where no valid task has the
    value. A closure over the rig's parts: it runs for every reading.
    """
    read = reader(fact)
    memo: dict[int, Any] = {}
    values, attribute, task, owner = rig.values, rig.attribute, rig.task, rig.owner
    levels, scale, once = rig.levels, rig.scale, rig.once

    def at(index: int) -> Any:
        found = memo.get(index, memo)  # the memo itself is never a value
        if found is memo:
            value = levels[index] if levels is not None else index if scale == 1 else index / scale
            if values is None or (once and value not in (None, 1)):
                found = None
            else:
                values[attribute] = value
                found = read(task, owner)[0]
            memo[index] = found
        return found

    return at


def sweeping(scenario: Scenario, rig: Rig) -> Callable[[int], Any]:
    """Return the verdict and deciding rule as one input moves along its grid.

    Read by the ruleset's compiled matcher stopped at the first rule that
    applies; ``None`` where no valid task has the value.
    """
    first, answers = scenario.first, scenario.answers
    values, attribute, task, owner = rig.values, rig.attribute, rig.task, rig.owner
    levels, scale, once = rig.levels, rig.scale, rig.once

    def at(index: int) -> Any:
        value = levels[index] if levels is not None else index if scale == 1 else index / scale
        if values is None or (once and value not in (None, 1)):
            return None
        values[attribute] = value
        return answers[first(task, owner)]

    return at


#: Marks a value not yet worked out in a memo.
MISSING: Any = object()

#: Inputs that decide whether a change makes a valid task (a one-off happens once)
#: or makes an owner: they count for every derived fact.
_VALIDITY = frozenset({"one_off", "times_per_year", "owner_hourly_rate"})


@functools.cache
def behind(fact: str) -> frozenset[str]:
    """Return the inputs the value of *fact* may depend on, after any changes."""
    keys = dependents(fact)
    return frozenset(n for n, spec in INPUTS.items() if spec.key in keys) | _VALIDITY


def span_of(
    scenario: Scenario,
    name: str,
    changes: Mapping[str, Any],
    outcome: tuple[Verdict, str | None] | None = None,
) -> tuple[Any, Any, bool, bool] | None:
    """Return what :meth:`~outsourcing_rules.explain.search.Scenario.span` gives.

    A single change's span was recorded when it was found (``Scenario.flips``);
    a change of several facts is looked at near its value (:func:`span_near`)
    unless the regions after the other changes are known.
    """
    grid = GRIDS[name]
    if grid is None:
        return None
    value = changes[name]
    others = {k: v for k, v in changes.items() if k != name} if len(changes) > 1 else {}
    if not others:
        known = scenario._spans.get((name, value))
        if known is not None:
            return known
    else:
        rest = key_of(others)
        if (name, rest) not in scenario._regions:
            return span_near(scenario, name, others, value, grid, outcome, rest)
    for run in runs(scenario.regions(name, others)):
        if grid.value(run.low) <= value <= grid.value(run.high):
            return (
                grid.value(run.low),
                grid.value(run.high),
                run.low == grid.low,
                run.high == grid.high,
            )
    return None


def span_near(
    scenario: Scenario,
    name: str,
    others: Mapping[str, Any],
    value: Any,
    grid: Grid,
    known: tuple[Verdict, str | None] | None = None,
    rest: Any = None,
) -> tuple[Any, Any, bool, bool] | None:
    """Return the span of *value*, trying only the regions next to it.

    What :meth:`~outsourcing_rules.explain.search.Scenario.span` gives from
    every region of the grid, merged as :func:`~._grid.runs` merges them.
    *known*, if given, is the verdict and deciding rule at *value* (the
    outcome of the change itself): every value of its region shares them, so
    the region need not be tried again, unless some values of the grid make
    no valid task. *rest* is ``key_of(others)``, if the caller has it.
    """
    bounds = scenario.bounds(name, others)
    last = len(bounds) - 2
    here: int | None = None
    index = _on_grid(grid, value)
    if index is not None:  # the region holding that index (the grid's values only grow)
        here = bisect.bisect_right(bounds, index) - 1
    else:
        here = next(
            (
                i
                for i in range(last + 1)
                if grid.value(bounds[i]) <= value <= grid.value(bounds[i + 1] - 1)
            ),
            None,
        )
    if here is None:
        return None
    rig = scenario._rig(name, others, key_of(others) if rest is None else rest)
    sweep = sweeping(scenario, rig)
    if known is not None and rig.values is not None and not rig.once:
        verdict = known[0]
    else:
        found = sweep(bounds[here])
        if found is None:
            return None
        verdict = found[0]

    def same(index: int) -> bool:
        result = sweep(bounds[index])
        return result is not None and result[0] is verdict

    low = here
    while low > 0 and same(low - 1):
        low -= 1
    high = here
    while high < last and same(high + 1):
        high += 1
    first, end = bounds[low], bounds[high + 1] - 1
    return grid.value(first), grid.value(end), first == grid.low, end == grid.high


def _on_grid(grid: Grid, value: Any) -> int | None:
    """Return the index of *value* on *grid*; ``None`` if it is not a grid value."""
    if grid.levels is not None:
        levels = LEVELS[grid.levels]
        return levels.index(value) if value in levels else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    index = round(value * grid.scale) if grid.scale != 1 else value
    if type(index) is not int or not grid.low <= index <= grid.high or grid.value(index) != value:
        return None
    return index


def add_crossings(
    scenario: Scenario,
    name: str,
    changes: Mapping[str, Any],
    derived: Sequence[tuple[str, bool, Sequence[tuple[Any, bool]]]],
    cuts: set[int],
) -> None:
    """Add to *cuts* the grid indices of *name* where the *derived* facts cross a threshold.

    *derived* is the second part of a cut plan (see ``Analysis.cut_plan``):
    each derived fact, whether it is a number, and its ``(threshold,
    strict)`` pairs. Each crossing is remembered by the scenario.
    """
    grid = GRIDS[name]
    assert grid is not None
    low, high, crossings = grid.low, grid.high, scenario._crossings
    whole: bool | None = None  # whether every value on the grid makes a valid task
    for fact, number, pairs in derived:
        if fact in KNOWN_ONLY:
            if whole is None:
                whole = _whole(scenario, name, changes)
            if whole:
                continue  # known at every value, so never crosses
        # Where a derived fact crosses a threshold depends only on the
        # inputs it is computed from (and on what makes a task valid).
        rest: Any = ()
        if changes:
            behind_it = behind(fact)
            rest = tuple(
                [(k, hashable(v)) for k, v in changes.items() if k != name and k in behind_it]
            )
        value_at: Callable[[int], Any] | None = None
        for threshold, strict in pairs if number else ((None, False),):
            key = (fact, name, threshold, strict, rest)
            found = crossings.get(key, MISSING)
            if found is MISSING:
                if value_at is None:
                    value_at = scenario.along(fact, name, changes)
                # Most derived facts do not cross at all: the ends tell.
                first, last = value_at(low), value_at(high)
                if not number:
                    found = None if last == first else crossing(value_at, low, high, _itself)
                elif _holds(first, threshold, strict) == _holds(last, threshold, strict):
                    found = None
                else:
                    found = number_crossing(value_at, low, high, threshold, strict, first, last)
                crossings[key] = found
            if found is not None and low < found <= high:
                cuts.add(found)


#: Derived yes/no facts that tell only whether other facts are known. A derived
#: fact of the vocabulary is unknown exactly when some number or level it is
#: computed from is (the yes/no and text facts held as they are), so along the
#: grid of such an input, where every value is known, these keep one value.
KNOWN_ONLY = frozenset({"recurring", "hours_known", "rates_known", "enjoyment_known"})


def _whole(scenario: Scenario, name: str, changes: Mapping[str, Any]) -> bool:
    """Tell whether every value on the grid of *name* makes a valid task, after *changes*."""
    others = {k: v for k, v in changes.items() if k != name} if changes else changes
    rig = scenario._rig(name, others, key_of(others))
    return rig.values is not None and not rig.once


def _itself(value: Any) -> Any:
    return value


def _holds(value: Any, threshold: Any, strict: bool) -> bool:
    """Tell whether a number *value* (``None``: unknown) is past *threshold*."""
    return value is not None and (value > threshold if strict else value >= threshold)


def unordered_flips(scenario: Scenario, name: str, verdict: Verdict) -> list[Any]:
    """Return what ``Scenario.flips`` finds for an unordered task fact alone.

    Setting such a fact (not ``one_off``, which also forgets the frequency)
    leaves a valid task valid, so one light copy of the facts serves every
    value; each outcome is remembered as ``Scenario.outcome`` would
    remember it.
    """
    found: list[Any] = []
    candidates = scenario.candidates(name)
    light = scenario._light({}) if candidates else None
    if light is None:  # nothing to try, or no valid task to try it on
        for value in candidates:
            result = scenario.outcome({name: value})
            if result is not None and result[0] is not verdict:
                found.append(value)
        return found
    # The scenario's copy of the facts as they are, lent: its value is put back.
    task, owner = light
    values, first, answers = task.__dict__, scenario.first, scenario.answers
    outcomes = scenario._outcomes
    held = values[name]
    try:
        for value in candidates:
            values[name] = value
            result = answers[first(task, owner)]
            try:
                outcomes[((name, value),)] = result
            except TypeError:  # a set among the values
                outcomes[key_of({name: value})] = result
            if result[0] is not verdict:
                found.append(value)
    finally:
        values[name] = held
    return found
