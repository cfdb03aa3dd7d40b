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
  stands for all of them. For one fact changed alone, only the
  comparisons of the rules that could decide cut its grid;
- a fact is not searched at all when no rule it could bring in gives
  another verdict: the rules it can move, above the one that would decide
  anyway, are evaluated in Kleene's logic with its comparisons left open
  and every other comparison as it holds now (:meth:`Scenario.movable`);
- a change of two or three facts is looked for rule by rule: to give another
  verdict, some rule for that verdict must apply and every rule above it for
  the current verdict must stop applying; the comparisons that must turn
  true for that name the facts to change (:meth:`Scenario.proposals`). The
  ways to do so are numbered and planned once per ruleset.

Each candidate is then tried on the ruleset compiled to stop at the first
rule that applies (the native engine's conditions, facts read as needed),
over a light copy of the task's facts with only the moving fact set for
each value, never by building and deciding a new task; what the search
keeps is confirmed on the decision's own engine. Derived facts are
computed by the vocabulary's own code
(:func:`~outsourcing_rules.core.vocabulary.fact_lines`): there is one
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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, cast

from ..core.conditions import Atom
from ..core.facts import Owner, Task, Verdict
from ..core.rules import Ruleset
from ..engines import Matcher, matcher_for
from ._grid import GRIDS, Grid, Region, inner_edge, runs
from ._inputs import (
    INPUTS,
    OWNER_FIELDS,
    TASK_FIELDS,
    LightFacts,
    candidates_of,
    fields_of,
    hashable,
    key_of,
    reader,
)
from ._inputs import light as light_copy
from ._pairs import satisfy
from ._sweep import (
    MISSING,
    Rig,
    add_crossings,
    reading,
    span_of,
    sweeping,
    unordered_flips,
)
from ._terms import analysis_of


def relevant_inputs(ruleset: Ruleset) -> tuple[str, ...]:
    """Return the inputs some rule of *ruleset* depends on, in the vocabulary's order.

    A task's category counts only where a rule tests it directly: changing
    what a task *is* to make it core is not a change of its circumstances.
    """
    return analysis_of(ruleset).relevant


# --- a task and owner, and what changing them does ---------------------------------


class Scenario:
    """A task and owner under a ruleset, and the verdict any change of their facts gives.

    Outcomes come from the ruleset's compiled native matcher run on light
    copies of the facts (the fast way to try many values); callers confirm
    what they keep with the decision's own engine (:meth:`confirm`).
    *positions*, if given, are the rules that apply to the task as it is,
    as the native engine found them (a decision on that engine holds them).
    """

    def __init__(
        self,
        task: Task,
        owner: Owner | None,
        ruleset: Ruleset,
        positions: Sequence[int] | None = None,
    ) -> None:
        self.task = task
        self.owner = owner
        self.ruleset = ruleset
        self._analysis = analysis_of(ruleset)
        self._task = fields_of(task, TASK_FIELDS) or {}
        self._owner = fields_of(owner, OWNER_FIELDS)
        #: The owner as the matcher reads it, shared by every copy that leaves it alone.
        self._light_owner = None if self._owner is None else light_copy(dict(self._owner))
        self._outcomes: dict[tuple[tuple[str, Any], ...], tuple[Verdict, str | None] | None] = {}
        self._regions: dict[tuple[str, tuple[tuple[str, Any], ...]], list[Region]] = {}
        self._bounds: dict[tuple[str, Any], list[int]] = {}
        self._holding: list[bool] | None = None
        self._held_mask: int | None = None
        self._spans: dict[tuple[str, Any], tuple[Any, Any, bool, bool]] = {}
        self._applying: tuple[int, ...] | None = None
        self._now: tuple[Verdict, str | None] | None = None
        self._candidates: dict[str, list[Any]] = {}
        self._nearest: dict[tuple[str, frozenset[Any], tuple[tuple[str, Any], ...]], Any] = {}
        self._crossings: dict[tuple[Any, ...], Any] = {}
        self.first = self._analysis.first
        self.answers = self._analysis.answers
        self._plain: tuple[Any, Any] | None = None
        self._alongs: dict[tuple[str, str, Any], Callable[[int], Any]] = {}
        self._rigs: dict[tuple[str, Any], Rig] = {}
        if positions is not None:  # the native engine's own answer: no need to ask again
            self._applying = tuple(positions)
            self._now = self._outcomes[()] = self.answers[positions[0] if positions else -1]

    # -- light copies of the facts --

    def along(self, fact: str, name: str, changes: Mapping[str, Any]) -> Callable[[int], Any]:
        """Return the value of *fact* as input *name* moves, after *changes* (memoised)."""
        rest = tuple([(k, hashable(v)) for k, v in changes.items() if k != name]) if changes else ()
        key = (fact, name, rest)
        found = self._alongs.get(key)
        if found is None:
            found = self._alongs[key] = reading(self._rig(name, changes, rest), fact)
        return found

    def _rig(self, name: str, changes: Mapping[str, Any], rest: Any) -> Rig:
        found = self._rigs.get((name, rest))
        if found is None:
            grid = GRIDS[name]
            assert grid is not None
            found = self._rigs[name, rest] = Rig(self, name, grid, changes)
        return found

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
        # The holder of *moving* gets its own copy: the caller sets *moving* on it.
        light = self._make_light(changes, moving == "owner_hourly_rate")
        if light is None or moving != "owner_hourly_rate" or light[1] is not None:
            return light
        return light[0], light_copy(dict.fromkeys(OWNER_FIELDS))

    def _light(self, changes: Mapping[str, Any]) -> tuple[Any, Any] | None:
        """Return the facts after *changes* as a light task and owner; ``None`` if not valid."""
        if not changes:
            if self._plain is None:
                self._plain = self._make_light(changes)
            return self._plain
        return self._make_light(changes)

    def _make_light(self, changes: Mapping[str, Any], own: bool = False) -> tuple[Any, Any] | None:
        """Make the light copies; the owner's is shared unless changed or *own* is asked."""
        task = dict(self._task)
        owner: Any = self._light_owner
        for name, value in changes.items():
            if name == "owner_hourly_rate":
                owner = dict(self._owner or dict.fromkeys(OWNER_FIELDS))
                owner["hourly_rate"] = value
                owner = light_copy(owner)
            else:
                task[name] = value
        if task.get("one_off") is True:
            if "one_off" in changes and "times_per_year" not in changes:
                task["times_per_year"] = None
            elif task.get("times_per_year") not in (None, 1):
                return None  # a one-off happens once
        if own and owner is self._light_owner and owner is not None:
            owner = light_copy(dict(self._owner or {}))
        light = LightFacts()
        light.__dict__ = task
        return light, owner

    def fact(self, changes: Mapping[str, Any], fact: str) -> Any:
        """Return the value of rule fact *fact* after *changes* (``None`` = unknown)."""
        light = self._light(changes)
        if light is None:
            return None
        return reader(fact)(*light)[0]

    def current(self, name: str) -> Any:
        """Return the value *name* has now (``None`` = unknown)."""
        if name == "owner_hourly_rate":
            return None if self._owner is None else self._owner["hourly_rate"]
        return self._task[name]

    def positions(self, changes: Mapping[str, Any], matcher: Matcher | None = None) -> Any:
        """Return the positions of the rules that apply after *changes* (``None``: not valid)."""
        light = self._light(changes)
        if light is None:
            return None
        match = matcher or matcher_for(self.ruleset, "native")
        return match(cast(Task, light[0]), cast(Owner | None, light[1]))

    def _result(self, positions: Sequence[int]) -> tuple[Verdict, str | None]:
        rules = self.ruleset.rules
        if positions:
            return rules[positions[0]].verdict, rules[positions[0]].id
        return self.ruleset.default_verdict, None

    def outcome(self, changes: Mapping[str, Any]) -> tuple[Verdict, str | None] | None:
        """Return the verdict and deciding rule after *changes* (``None``: no valid task)."""
        try:
            key = tuple(changes.items())
            found = self._outcomes.get(key, MISSING)
        except TypeError:  # a set among the values
            key = key_of(changes)
            found = self._outcomes.get(key, MISSING)
        if found is MISSING:
            light = self._light(changes)
            found = None if light is None else self.answers[self.first(*light)]
            self._outcomes[key] = found
        answer: tuple[Verdict, str | None] | None = found
        return answer

    def confirm(self, changes: Mapping[str, Any], engine: str) -> tuple[Verdict, str | None] | None:
        """Return the outcome of *changes* on *engine*'s compiled matcher (the decision's own)."""
        if engine == "native":
            return self.outcome(changes)
        positions = self.positions(changes, matcher_for(self.ruleset, engine))
        return None if positions is None else self._result(positions)

    # -- ordered facts: regions of constant verdict --

    def grid(self, name: str) -> Grid | None:
        """Return the ordered grid of *name*, or ``None`` for a fact that is not ordered."""
        return GRIDS[name]

    def regions(self, name: str, changes: Mapping[str, Any]) -> list[Region]:
        """Split the grid of the ordered fact *name* into regions of constant truth.

        The other facts hold their values after *changes*. In each region
        every comparison of the ruleset keeps its truth; regions whose values
        make no valid task are left out. Neighbours may share a verdict
        (:func:`runs` merges them). With no changes, only the comparisons of
        the rules that may decide count (see ``Analysis.live``): across the
        others' cuts neither the verdict nor the deciding rule changes.
        """
        memo_key = (name, key_of(changes))
        found = self._regions.get(memo_key)
        if found is not None:
            return found
        grid = GRIDS[name]
        if grid is None:
            raise ValueError(f"{name} is not an ordered fact")
        rig = self._rig(name, changes, memo_key[1])
        if changes or rig.once:  # a one-off's frequency: validity changes along the grid
            bounds = self.bounds(name, changes)
        else:
            if self._applying is None:
                self._applying = tuple(self.positions({}) or ())
            live, key = self._analysis.live(name, self._applying)
            bounds = [grid.low, *sorted(self.cuts(name, changes, live, key)), grid.high + 1]
        here = self.current(name) if not changes else None
        found = []
        sweep = sweeping(self, rig)
        for low, end in itertools.pairwise(bounds):
            if here is not None and here <= grid.value(end - 1):
                # The region of the current value has its own verdict; the
                # regions only rise, so none after this one holds it.
                result = self.outcome({}) if grid.value(low) <= here else sweep(low)
                here = None
            else:
                result = sweep(low)
            if result is not None:
                found.append(Region(low, end - 1, *result))
        self._regions[memo_key] = found
        return found

    def bounds(self, name: str, changes: Mapping[str, Any]) -> list[int]:
        """Return where the regions of *name* start after *changes*, and one past the grid's end.

        The cuts of every comparison *name* may turn, sorted, between the
        grid's first index and its end. Remembered by the changes the cuts
        depend on (those behind the derived facts crossed, and validity).
        """
        reads = self._analysis.star_reads(name)
        rest: Any = ()
        if changes and reads:
            rest = tuple([(k, hashable(v)) for k, v in changes.items() if k in reads and k != name])
        found = self._bounds.get((name, rest))
        if found is None:
            grid = GRIDS[name]
            assert grid is not None
            cuts = sorted(self.cuts(name, changes, self._analysis.by_input.get(name, ()), "*"))
            found = self._bounds[name, rest] = [grid.low, *cuts, grid.high + 1]
        return found

    def cuts(
        self, name: str, changes: Mapping[str, Any], tested: Iterable[Atom], key: Any = None
    ) -> set[int]:
        """Grid indices of *name* (a number or level) where a comparison in *tested* may flip.

        *key* names *tested* in the ruleset's cache (``"*"``: every comparison
        *name* may turn; a set of comparison numbers); without it, *tested*
        itself is the key.
        """
        direct, derived = self._analysis.cut_plan(name, tested, key)
        cuts = set(direct)
        if not derived:
            return cuts
        add_crossings(self, name, changes, derived, cuts)
        return cuts

    def flips(
        self, name: str, changes: Mapping[str, Any], verdict: Verdict, *, movable: bool = False
    ) -> list[Any]:
        """Values of *name* that, after *changes*, give a verdict other than *verdict*.

        For an ordered fact with a known value, the nearest such value in each
        direction; with an unknown value, one per run of regions that share
        a verdict (the edge nearest the rest); for the others, every such value.
        With *movable*, the caller has checked with :meth:`movable` that
        *name* may move the verdict.
        """
        if not changes and not movable and self._settled(name, verdict):
            return []
        current = self.current(name) if name not in changes else changes[name]
        grid = GRIDS[name]
        if grid is None:
            if not changes and name != "one_off" and not INPUTS[name].owner:
                return unordered_flips(self, name, verdict)
            found = []
            for value in self.candidates(name):
                result = self.outcome({**changes, name: value})
                if result is not None and result[0] is not verdict:
                    found.append(value)
            return found
        others = {k: v for k, v in changes.items() if k != name} if changes else changes
        each = self.regions(name, others)
        regions = runs(each)
        picked: list[tuple[int, Region]] = []
        if current is None:
            picked = [
                (inner_edge(grid, run.low, run.high), run)
                for run in regions
                if run.verdict is not verdict
            ]
        else:
            up, down = grid.above(current), grid.below(current)
            if up is not None:
                for region in regions:
                    if region.high >= up and region.verdict is not verdict:
                        picked.append((max(up, region.low), region))
                        break
            if down is not None:
                for region in reversed(regions):
                    if region.low <= down and region.verdict is not verdict:
                        picked.append((min(down, region.high), region))
                        break
        if not others:
            # The span of each value found, for :meth:`span`; and its outcome,
            # which is its region's (every value of a region has it), unless
            # the region's values are not all valid tasks.
            whole = not self._rig(name, others, ()).once
            value_at = grid.value
            for index, run in picked:
                value = value_at(index)
                self._spans[name, value] = (
                    value_at(run.low),
                    value_at(run.high),
                    run.low == grid.low,
                    run.high == grid.high,
                )
                if whole:
                    for region in each:
                        if region.low <= index <= region.high:
                            self._outcomes.setdefault(
                                ((name, value),), (region.verdict, region.rule_id)
                            )
                            break
        return [grid.value(index) for index, _ in picked]

    def _settled(self, name: str, verdict: Verdict) -> bool:
        """Tell whether no value of *name* alone can give a verdict other than *verdict*."""
        return name not in self.movable((name,), verdict)

    def movable(self, names: Iterable[str], verdict: Verdict) -> list[str]:
        """Return those of *names* whose change alone may give a verdict other than *verdict*.

        The others are settled (see ``Analysis.settled`` in ``_terms``);
        :meth:`flips` need not look at them.
        """
        now = self._now
        if now is None:
            now = self._now = self.outcome({})
        if now is None or now[0] is not verdict:
            return list(names)
        if self._applying is None:
            self._applying = tuple(self.positions({}) or ())
        analysis = self._analysis
        found = analysis.unsettled(self._truths(), self._applying, verdict)
        if names is analysis.relevant:
            return found
        moving = set(found)
        return [name for name in names if name in moving]

    def candidates(self, name: str) -> list[Any]:
        """Values of an unordered fact *name* a condition could tell apart, other than its own."""
        found = self._candidates.get(name)
        if found is None:
            atoms = self._analysis.by_input.get(name, ())
            found = self._candidates[name] = candidates_of(name, self.current(name), atoms)
        return found

    def span(
        self,
        name: str,
        changes: Mapping[str, Any],
        outcome: tuple[Verdict, str | None] | None = None,
    ) -> tuple[Any, Any, bool, bool] | None:
        """Return the run of values of *name* around its value in *changes* sharing its verdict.

        Returns ``(low, high, lowest, highest)``: the run's first and last
        values, and whether it reaches the bottom and top of the grid.
        *outcome*, if given, is the verdict and deciding rule *changes* give
        (as :meth:`outcome` finds them). See :func:`~._sweep.span_of`.
        """
        return span_of(self, name, changes, outcome)

    # -- changes of several facts, rule by rule --

    def proposals(
        self, verdict: Verdict, names: Sequence[str], max_changes: int
    ) -> Iterator[tuple[int, dict[str, Any]]]:
        """Yield changes of 2 to *max_changes* of *names* that may move the verdict off *verdict*.

        For each rule for another verdict (and the default, if it differs),
        the ways to make it apply while every rule above it that now applies
        for *verdict* stops applying; each comparison that must turn true
        names the facts that could turn it, and each fact takes the value
        nearest its current one that does. Candidates only: try each with
        :meth:`outcome`. Each comes with the comparisons it was made to turn.
        """
        analysis = self._analysis
        if self._applying is None:
            self._applying = tuple(self.positions({}) or ())
        applying = self._applying
        allowed = frozenset(names)
        seen: set[frozenset[tuple[str, frozenset[int]]]] = set()
        held = self._held()
        wanted = dict.fromkeys([term & ~held for term in analysis.terms(verdict, applying)])
        known = analysis.known_plans
        for needed in wanted:
            plans = known.get((needed, allowed, max_changes))
            if plans is None:
                plans = analysis.plans(needed, allowed, max_changes)
            for plan in plans:
                if plan.marker in seen:
                    continue
                seen.add(plan.marker)
                changes = satisfy(self, plan)
                if changes is not None:
                    yield needed, changes

    def _held(self) -> int:
        """Return the comparisons that hold now as a bit mask (bit *i*: comparison *i*)."""
        found = self._held_mask
        if found is None:
            found = self._held_mask = sum(itertools.compress(self._analysis.bits, self._truths()))
        return found

    def _truths(self) -> list[bool]:
        """Return, for each comparison of the ruleset (by number), whether it holds now."""
        found = self._holding
        if found is None:
            light = self._light({})
            assert light is not None
            found = self._holding = self._analysis.truths(*light)
        return found
