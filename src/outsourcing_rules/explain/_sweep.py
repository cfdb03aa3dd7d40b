"""A light copy of a task's facts with one input moving along its grid.

The what-if search (:mod:`outsourcing_rules.explain.search`) reads a derived
fact (:class:`Along`) or the verdict (:class:`Sweep`) at many values of one
input. One light copy of the facts is made per sweep, and only the moving
input is set on it for each value.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ._grid import LEVELS, Grid
from ._inputs import INPUTS, dependents, key_of, reader

if TYPE_CHECKING:
    from .search import Scenario


class Rig:
    """One light copy of the facts after some changes, with one input left to move.

    Shared by every reading along that input (:class:`Along`, :class:`Sweep`):
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


class Along:
    """The value of one derived fact as one input moves along its grid (memoised).

    Only the moving input is set on the rig's light copy for each value: the
    vocabulary's reader does the rest. ``None`` where no valid task has the
    value.
    """

    def __init__(self, rig: Rig, fact: str) -> None:
        self.rig = rig
        self.read = reader(fact)
        self.memo: dict[int, Any] = {}

    def __call__(self, index: int) -> Any:
        found = self.memo.get(index, self)
        if found is self:
            rig = self.rig  # what Rig.set does, written out: this runs for every reading
            levels, scale = rig.levels, rig.scale
            value = levels[index] if levels is not None else index if scale == 1 else index / scale
            if rig.values is None or (rig.once and value not in (None, 1)):
                found = None
            else:
                rig.values[rig.attribute] = value
                found = self.read(rig.task, rig.owner)[0]
            self.memo[index] = found
        return found


class Sweep:
    """The verdict and deciding rule as one input moves along its grid.

    Read by the ruleset's compiled matcher stopped at the first rule that
    applies; ``None`` where no valid task has the value.
    """

    def __init__(self, scenario: Scenario, rig: Rig) -> None:
        self.rig = rig
        self.first = scenario.first
        self.answers = scenario.answers

    def __call__(self, index: int) -> Any:
        rig = self.rig
        if not rig.set(index):
            return None
        return self.answers[self.first(rig.task, rig.owner)]


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


def span_near(
    scenario: Scenario, name: str, others: Mapping[str, Any], value: Any, grid: Grid
) -> tuple[Any, Any, bool, bool] | None:
    """Return the span of *value*, trying only the regions next to it.

    What :meth:`~outsourcing_rules.explain.search.Scenario.span` gives from
    every region of the grid, merged as :func:`~._grid.runs` merges them.
    """
    cuts = sorted(scenario.cuts(name, others, scenario._analysis.by_input.get(name, ()), "*"))
    bounds = [grid.low, *cuts, grid.high + 1]
    last = len(bounds) - 2
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
    sweep = Sweep(scenario, scenario._rig(name, others, key_of(others)))
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
