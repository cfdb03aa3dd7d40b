"""Ordered facts as grids of values, regions of constant verdict, and crossings.

Numbers are searched on a grid (:data:`GRID`): whole times a year, quarter
hours, cents; levels (skill, enjoyment) are grids of their own.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import attrs

from ..core.conditions import Atom
from ..core.facts import MAX_RATE, Enjoyment, Skill, Verdict
from ..core.vocabulary import BOUNDS, Kind
from ._inputs import INPUTS, Input, dependents

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


@attrs.frozen
class Grid:
    """An ordered domain: indices ``low..high`` and the value at each."""

    low: int
    high: int
    scale: int
    levels: type[Skill] | type[Enjoyment] | None = None

    def value(self, index: int) -> Any:
        if self.levels is not None:
            return LEVELS[self.levels][index]
        return index if self.scale == 1 else index / self.scale

    def above(self, current: Any) -> int | None:
        """Return the first index whose value is greater than *current*."""
        if self.levels is not None:
            index = int(current) + 1
        else:  # what value() gives, written out
            scale, high = self.scale, self.high
            index = max(self.low, math.floor(current * scale))
            if scale == 1:
                while index <= high and index <= current:
                    index += 1
            else:
                while index <= high and index / scale <= current:
                    index += 1
        return index if index <= self.high else None

    def below(self, current: Any) -> int | None:
        """Return the last index whose value is less than *current*."""
        if self.levels is not None:
            index = int(current) - 1
        else:  # what value() gives, written out
            scale, low = self.scale, self.low
            index = min(self.high, math.ceil(current * scale))
            if scale == 1:
                while index >= low and index >= current:
                    index -= 1
            else:
                while index >= low and index / scale >= current:
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


#: The levels of each ordered kind, in order.
#: The levels of each ordered kind, in order.
LEVELS: dict[Any, tuple[Any, ...]] = {Skill: tuple(Skill), Enjoyment: tuple(Enjoyment)}


def grid_of(spec: Input) -> Grid | None:
    """Return the ordered grid of an input, or ``None`` for one that is not ordered."""
    return GRIDS[spec.name]


def _grid_of(spec: Input) -> Grid | None:
    levels = spec.kind.levels
    if levels is not None:
        return Grid(0, len(levels) - 1, 1, levels)
    if spec.kind is not Kind.NUMBER:
        return None
    scale, low, high = GRID.get(spec.name, _DEFAULT_GRID)
    return Grid(math.ceil(low * scale), math.floor(high * scale), scale)


class Region(NamedTuple):
    """A run of grid indices ``low..high`` of one fact over which the verdict is constant."""

    low: int
    high: int
    verdict: Verdict
    rule_id: str | None


def crossing(
    value_at: Callable[[int], Any],
    low: int,
    high: int,
    truth: Callable[[Any], bool],
    target: float | None = None,
) -> int | None:
    """Return the first index in ``low..high`` whose *truth* differs from the one at *low*.

    *truth* of the monotone ``value_at`` changes at most once along the grid,
    so the crossing is found by bisection; for a number compared with
    *target*, the first steps interpolate instead (linear in the index, then
    linear in its reciprocal, exact for a ratio), so a crossing usually
    takes a handful of values. ``None`` when the truth never changes.
    """
    start = truth(value_at(low))
    if truth(value_at(high)) == start:
        return None
    # A value proportional to the reciprocal of the index (a ratio along its
    # divisor) is interpolated that way from the first step.
    step = 2 if target is not None and _reciprocal(value_at(low), value_at(high), low, high) else 0
    while high - low > 1:
        guess = None if target is None or step > 5 else _guess(value_at, low, high, target, step)
        step += 1
        if guess is None:
            middle = (low + high) // 2
            if truth(value_at(middle)) == start:
                low = middle
            else:
                high = middle
            continue
        # An interpolated guess lands next to the crossing, but rounding may
        # put it a step or two off: look at its neighbours before moving on.
        if truth(value_at(guess)) == start:
            low = guess
            for index in range(guess + 1, min(guess + _NEAR, high)):
                if truth(value_at(index)) != start:
                    return index
                low = index
        else:
            high = guess
            for index in range(guess - 1, max(guess - _NEAR, low), -1):
                if truth(value_at(index)) == start:
                    return index + 1
                high = index
    return high


#: How many neighbours of an interpolated guess are looked at before bisecting on.
_NEAR = 4


def number_crossing(
    value_at: Callable[[int], Any],
    low: int,
    high: int,
    threshold: Any,
    strict: bool,
    first: Any,
    last: Any,
) -> int:
    """Return where a number stops or starts being past *threshold* along ``low..high``.

    What :func:`crossing` gives for the truth "the value is known and
    greater than *threshold*" (at least, unless *strict*), written out for
    speed: *first* and *last* are the values at *low* and *high*, already
    read, and that truth differs between them.
    """
    t = threshold
    start = first is not None and (first > t if strict else first >= t)
    step = 2 if _reciprocal(first, last, low, high) else 0
    a, b = first, last  # the values at low and high as they close in
    while high - low > 1:
        guess = None if step > 5 or step % 2 else _interpolate(a, b, low, high, t, step)
        step += 1
        if guess is None:
            middle = (low + high) // 2
            value = value_at(middle)
            if (value is not None and (value > t if strict else value >= t)) == start:
                low, a = middle, value
            else:
                high, b = middle, value
            continue
        value = value_at(guess)
        if (value is not None and (value > t if strict else value >= t)) == start:
            low, a = guess, value
            for index in range(guess + 1, min(guess + _NEAR, high)):
                value = value_at(index)
                if (value is not None and (value > t if strict else value >= t)) != start:
                    return index
                low, a = index, value
        else:
            high, b = guess, value
            for index in range(guess - 1, max(guess - _NEAR, low), -1):
                value = value_at(index)
                if (value is not None and (value > t if strict else value >= t)) == start:
                    return index + 1
                high, b = index, value
    return high


def _reciprocal(a: Any, b: Any, low: int, high: int) -> bool:
    """Tell whether *a* at *low* and *b* at *high* fit a value inversely proportional to the index.

    Only the first guess depends on it: the crossing found is the same.
    """
    if a is None or b is None or low <= 0 or a == b:
        return False
    return math.isclose(a * low, b * high, rel_tol=1e-9)


def _guess(
    value_at: Callable[[int], Any], low: int, high: int, target: float, step: int
) -> int | None:
    """Return an interpolated index strictly inside ``low..high`` (``None``: bisect instead)."""
    if step % 2 == 1:
        return None
    return _interpolate(value_at(low), value_at(high), low, high, target, step)


def _interpolate(a: Any, b: Any, low: int, high: int, target: float, step: int) -> int | None:
    """Return what :func:`_guess` gives from the values *a* at *low* and *b* at *high*."""
    if step % 2 == 1:
        return None
    if a is None or b is None or a == b:
        return None
    # Linear in the index first; on the second try, linear in its reciprocal.
    if step == 0:
        guess = low + (target - a) * (high - low) / (b - a)
    else:
        if low <= 0 or target == 0:
            return None
        ra, rb = 1 / low, 1 / high
        inverse = ra + (target - a) * (rb - ra) / (b - a)
        if inverse <= 0:
            return None
        guess = 1 / inverse
    if not math.isfinite(guess):
        return None
    index: int = min(high - 1, max(low + 1, math.floor(guess)))
    return index


def runs(regions: Sequence[Region]) -> list[Region]:
    """Merge neighbouring regions that share a verdict (whatever rule decides)."""
    found: list[Region] = []
    for region in regions:
        if found and found[-1].high == region.low - 1 and found[-1].verdict is region.verdict:
            last = found[-1]
            found[-1] = Region(last.low, region.high, last.verdict, last.rule_id)
        else:
            found.append(region)
    return found


def inner_edge(grid: Grid, low: int, high: int) -> int:
    """Return the end of ``low..high`` facing the rest of the grid (for an unknown value)."""
    return high if low == grid.low and high != grid.high else low


#: The grid of each input by name (``None``: not ordered).
GRIDS: dict[str, Grid | None] = {spec.name: _grid_of(spec) for spec in INPUTS.values()}


#: Most values of one ``in`` list tried along a derived fact (each costs a search).
_MAX_THRESHOLDS = 256
_STRICTNESS = {"ge": (False,), "lt": (False,), "gt": (True,), "le": (True,)}


@functools.lru_cache(maxsize=65_536)
def thresholds(
    atom: Atom, name: str
) -> tuple[tuple[Any, ...], tuple[bool, ...], frozenset[int] | None]:
    """Return what *atom* compares input *name* with, and how; its cuts if it tests *name*.

    ``(numbers, strictness, direct)``: the thresholds (numbers or levels),
    which of "at" and "just past" them the truth may change, and for a
    comparison on *name* itself the grid indices where it does (``None`` for
    a derived fact, whose cuts depend on the other facts).
    """
    spec = INPUTS[name]
    grid = grid_of(spec)
    assert grid is not None
    if spec.key not in dependents(atom.fact):
        return (), (), frozenset()
    values = sorted(atom.value, key=str) if atom.op in ("in", "not_in") else [atom.value]
    numbers = tuple(
        v
        for v in values
        if (isinstance(v, int | float) and not isinstance(v, bool))
        or (grid.levels is not None and isinstance(v, grid.levels))
    )[:_MAX_THRESHOLDS]
    # ge and lt change truth where the fact reaches the threshold, gt and le
    # just past it; eq, ne, in and not_in at both.
    strictness = _STRICTNESS.get(atom.op, (False, True))
    if atom.fact != spec.key:
        return numbers, strictness, None
    direct = {grid.first_at_least(t, strict=s) for t in numbers for s in strictness}
    return numbers, strictness, frozenset(direct)
