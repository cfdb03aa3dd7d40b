"""Values for a change of several facts: for each fact, the one nearest its own that works.

A plan (:class:`~outsourcing_rules.explain._terms.Plan`) says which
comparisons each fact of a pair (or triple) must turn true; this module picks
each fact's value, nearest its current one, that turns them, the facts a rule
tests directly first so a derived threshold sees their new values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..core.conditions import Atom
from ._grid import GRIDS, LEVELS, Grid, inner_edge
from ._inputs import INPUTS, key_of, reader
from ._sweep import MISSING
from ._terms import Analysis, Plan

if TYPE_CHECKING:
    from .search import Scenario


def satisfy(scenario: Scenario, plan: Plan) -> dict[str, Any] | None:
    """Pick for each fact of *plan* the value nearest its own making its comparisons true."""
    # A fact no other change of the plan can help either has a value or not;
    # those already known to have none are looked at first.
    nearest, ids_of = scenario._nearest, plan.ids
    alone = plan.alone
    for name in alone:
        if nearest.get((name, ids_of[name], ()), 0) is None:
            return None
    # Such a fact reads no other fact of the plan, so its value is the one
    # nearest_true gives with no changes, whatever the others take.
    chosen: dict[str, Any] = {}
    for name in alone:
        key = (name, ids_of[name], ())
        value = nearest.get(key, MISSING)
        if value is MISSING:
            value = nearest[key] = _find_nearest_true(
                scenario, name, plan.tested[name], {}, ids_of[name]
            )
        if value is None:
            return None
        chosen[name] = value
    changes: dict[str, Any] = {}
    for name in plan.order:
        value = chosen.get(name, MISSING)
        if value is MISSING:
            value = nearest_true(
                scenario, name, plan.tested[name], changes, ids_of[name], plan.reads[name]
            )
            if value is None:
                return None
        changes[name] = value
    return changes


def nearest_true(
    scenario: Scenario,
    name: str,
    tested: Sequence[Atom],
    changes: Mapping[str, Any],
    ids: frozenset[int] | None = None,
    reads: frozenset[str] | None = None,
) -> Any:
    """Return the value of *name* nearest its own that makes *tested* true after *changes*.

    *reads* names the inputs the result may depend on (all, if not given):
    the memo is keyed by the changes of those only.
    """
    if reads is not None:
        changes = {k: v for k, v in changes.items() if k in reads} if changes else changes
    memo_key = (name, frozenset(tested) if ids is None else ids, key_of(changes) if changes else ())
    found = scenario._nearest.get(memo_key, MISSING)
    if found is MISSING:
        found = scenario._nearest[memo_key] = _find_nearest_true(
            scenario, name, tested, changes, ids
        )
    return found


def _find_nearest_true(
    scenario: Scenario,
    name: str,
    tested: Sequence[Atom],
    changes: Mapping[str, Any],
    ids: Any = None,
) -> Any:
    current = scenario.current(name)
    grid = GRIDS[name]
    direct, derived = _tests(scenario._analysis, name, tested, ids)
    if grid is None:

        def holds(value: Any) -> bool:
            for test in direct:
                if not test(value):
                    return False
            if not derived:
                return True
            light = scenario._light({**changes, name: value})
            if light is None:
                return False  # no valid task: every derived fact unknown
            return all(test(reader(fact)(*light)[0]) for test, fact in derived)

        return next((v for v in scenario.candidates(name) if holds(v)), None)
    if derived or ids is None:
        good, at = _good(scenario, name, tested, changes, ids, direct, derived, grid)
    else:  # tests on the fact itself only: the same for every task, worked out once
        analysis = scenario._analysis
        found = analysis.goods.get((name, ids))
        if found is None:
            found = analysis.goods[name, ids] = _good(
                scenario, name, tested, changes, ids, direct, derived, grid
            )
        good, at = found
    if current is not None:
        good = [i for i in good if at[i] != current]
        if not good:
            return None
        return at[min(good, key=lambda i: (abs(at[i] - current), i))]
    if not good:
        return None
    return grid.value(inner_edge(grid, good[0], good[-1]))


def _good(
    scenario: Scenario,
    name: str,
    tested: Sequence[Atom],
    changes: Mapping[str, Any],
    ids: Any,
    direct: list[Callable[[Any], bool]],
    derived: list[tuple[Callable[[Any], bool], str]],
    grid: Grid,
) -> tuple[list[int], dict[int, Any]]:
    """Return the grid indices next to a cut where *tested* hold, and the value at each index.

    Only indices next to a cut (and the grid's ends) are looked at: between
    two cuts the truth of *tested* does not change.
    """
    cuts = scenario.cuts(name, changes, tested, ids)
    indices = sorted({grid.low, grid.high, *cuts, *(c - 1 for c in cuts)})
    readers = [(test, scenario.along(fact, name, changes)) for test, fact in derived]
    good: list[int] = []
    at: dict[int, Any] = {}
    levels, scale = (None if grid.levels is None else LEVELS[grid.levels]), grid.scale
    for index in indices:  # the value at each index, as Grid.value gives it
        value = levels[index] if levels is not None else index if scale == 1 else index / scale
        at[index] = value
        for test in direct:
            if not test(value):
                break
        else:
            for test, value_at in readers:
                if not test(value_at(index)):
                    break
            else:
                good.append(index)
    return good, at


def _tests(
    analysis: Analysis, name: str, tested: Sequence[Atom], ids: Any
) -> tuple[list[Callable[[Any], bool]], list[tuple[Callable[[Any], bool], str]]]:
    """Return the tests of *tested* on input *name* itself, and those on derived facts.

    Worked out once per ruleset for a set of comparison numbers *ids*.
    """
    key = (name, ids)
    found = analysis.splits.get(key) if ids is not None else None
    if found is None:
        check, own = analysis.check, INPUTS[name].key
        found = (
            [check(a) for a in tested if a.fact == own],
            [(check(a), a.fact) for a in tested if a.fact != own],
        )
        if ids is not None:
            analysis.splits[key] = found
    return found
