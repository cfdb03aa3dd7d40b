"""Counterfactuals: the smallest changes to a task's facts that would change its verdict.

"Booking flights three times a year stays with you; at twelve times a year it
would be handed off." :func:`counterfactuals` finds such statements for any
decision under any ruleset, from the ruleset's own conditions (see
:mod:`outsourcing_rules.explain.search` for how values are chosen):

- single-fact changes first: for a number, the nearest value on either side
  that changes the verdict (the threshold a rule compares with, or the value
  of an input that puts a derived fact on its threshold, such as the provider
  rate at which ``rate_ratio`` reaches 2); for a level, the nearest level;
  for an unknown fact, the value that would decide;
- then pairs (and, if asked, triples) of facts none of which changes the
  verdict alone, each minimal: no part of it changes the verdict by itself,
  and each number in it is as close to its current value as it can be.

Only task facts and the owner's hourly rate change; derived facts
(``hours_per_year``, ``rate_ratio``, ``core_competency``...) move only
through their inputs. Every counterfactual returned was checked by deciding
the changed task again with the decision's own engine.
"""

from __future__ import annotations

import itertools
import logging
import math
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from ..core.conditions import render_value
from ..core.facts import Owner, Task, Verdict
from ..core.text import plain
from ..errors import FactError, suggest
from .search import INPUTS, Scenario, apply_changes, ordered, relevant_inputs

if TYPE_CHECKING:
    from ..decisions import Decision

__all__ = ["Counterfactual", "SearchOptions", "Span", "counterfactuals"]

logger = logging.getLogger(__name__)

#: Most facts one counterfactual may change.
MAX_CHANGES = 3

_WOULD = {
    Verdict.KEEP: "would be kept",
    Verdict.OUTSOURCE: "would be outsourced",
    Verdict.ELIMINATE: "would be eliminated",
}

# How each yes/no fact reads when true and when false.
_FLAGS: dict[str, tuple[str, str]] = {
    "core_competency": ("it were a core competency", "it were not a core competency"),
    "only_owner": ("only the owner could do it", "someone other than the owner could do it"),
    "one_off": ("it were a one-off project", "it were a recurring task"),
    "time_available": ("the owner had time for it", "the owner had no time for it"),
    "repetitive": ("it were repetitive", "it were not repetitive"),
    "can_be_eliminated": ("it could be dropped", "it could not be dropped"),
    "revenue_generating": ("it brought in revenue", "it did not bring in revenue"),
    "procedure_documented": (
        "its procedure were written down",
        "its procedure were not written down",
    ),
    "outcome_defined": ("its outcome were defined", "its outcome were not defined"),
}


def _freeze(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


@attrs.frozen
class Span:
    """The values of one changed fact, around the new one, that give the same verdict.

    ``low`` and ``high`` are the first and last such values; ``lowest`` and
    ``highest`` say whether the run reaches the smallest and largest value the
    fact can take (so "12 or more times a year" rather than "12 to 40").
    """

    low: Any
    high: Any
    lowest: bool
    highest: bool


@attrs.frozen
class Counterfactual:
    """A change to a task's facts that would change its verdict.

    ``changes`` maps fact names to new values, ``previous`` the same names to
    their current values (``None`` = unknown). ``verdict`` and ``rule_id`` are
    what deciding the changed task gives. ``spans`` holds, for each changed
    number or level, the run of values around the new one that give the same
    verdict. ``cost`` is the sum of the costs of the facts changed.
    """

    changes: Mapping[str, Any] = attrs.field(converter=_freeze, hash=False)
    previous: Mapping[str, Any] = attrs.field(converter=_freeze, hash=False)
    verdict: Verdict
    rule_id: str | None
    spans: Mapping[str, Span] = attrs.field(factory=dict, converter=_freeze, hash=False)
    cost: float = 1.0

    def apply(self, task: Task, owner: Owner | None = None) -> tuple[Task, Owner | None]:
        """Return *task* and *owner* with the changes made.

        Making a task a one-off forgets its frequency (a one-off happens once);
        changing the owner's rate with no owner makes one.
        """
        return apply_changes(task, owner, self.changes)

    def condition(self) -> str:
        """Say the change as a condition: ``if it came up 12 or more times a year``."""
        parts = [
            _phrase(name, value, self.previous.get(name), self.spans.get(name))
            for name, value in self.changes.items()
        ]
        return "if " + _join(parts)

    def consequence(self) -> str:
        """Say what would happen: ``would be outsourced``."""
        return _WOULD[self.verdict]

    def describe(self) -> str:
        """Say what would happen and when: ``would be outsourced if it came up 12 ...``."""
        return f"{self.consequence()} {self.condition()}"

    def to_dict(self) -> dict[str, Any]:
        """Return the counterfactual as JSON-serialisable data."""
        return {
            "changes": {k: plain(v) for k, v in self.changes.items()},
            "previous": {k: plain(v) for k, v in self.previous.items()},
            "verdict": self.verdict.value,
            "rule": self.rule_id,
            "cost": self.cost,
            "description": self.describe(),
        }


@attrs.frozen
class SearchOptions:
    """The options of a counterfactual search, checked and hashable (a cache key).

    Build with :meth:`of`, which checks the fact names and numbers.
    """

    fixed: frozenset[str]
    costs: tuple[tuple[str, float], ...]
    max_changes: int
    only: frozenset[str] | None = None

    @classmethod
    def of(
        cls,
        fixed: Iterable[str] = (),
        costs: Mapping[str, float] | None = None,
        max_changes: int = 2,
        only: Iterable[str] | None = None,
    ) -> SearchOptions:
        """Check the options of :func:`counterfactuals` and return them frozen.

        Raises :class:`~outsourcing_rules.FactError` for a name that is not a
        fact a counterfactual can change, and :class:`ValueError` for a bad
        cost or number of changes.
        """
        if isinstance(fixed, str):
            fixed = (fixed,)
        names = frozenset(fixed)
        for name in names:
            _check_name(name, "fixed")
        priced: dict[str, float] = {}
        for name, cost in (costs or {}).items():
            _check_name(name, "costs")
            if isinstance(cost, bool) or not isinstance(cost, int | float) or not cost >= 0:
                raise ValueError(f"the cost of {name} must be a number of at least 0, not {cost!r}")
            priced[name] = float(cost)
        if isinstance(max_changes, bool) or not isinstance(max_changes, int):
            raise ValueError(f"max_changes must be a whole number, not {max_changes!r}")
        if not 1 <= max_changes <= MAX_CHANGES:
            raise ValueError(f"max_changes must be between 1 and {MAX_CHANGES}, not {max_changes}")
        return cls(
            names,
            tuple(sorted(priced.items())),
            max_changes,
            None if only is None else frozenset(only),
        )

    def cost(self, name: str) -> float:
        """Return the cost of changing *name* (1 unless given)."""
        return dict(self.costs).get(name, 1.0)


def _check_name(name: object, option: str) -> None:
    if not isinstance(name, str) or name not in INPUTS:
        hint = suggest(name, INPUTS) if isinstance(name, str) else None
        raise FactError(
            option,
            name,
            f"{name!r} is not a fact a counterfactual can change (one of: {', '.join(INPUTS)})",
            suggestion=hint,
        )


def counterfactuals(
    decision: Decision,
    *,
    fixed: Iterable[str] = (),
    costs: Mapping[str, float] | None = None,
    max_changes: int = 2,
) -> tuple[Counterfactual, ...]:
    """Return the smallest changes to *decision*'s facts that would change its verdict.

    *fixed* names facts that cannot change (``core_competency``,
    ``only_owner``...); *costs* gives a cost per fact (1 by default;
    ``math.inf`` is the same as fixed). The result is ordered by total cost,
    then by the number of facts changed, so with equal costs every
    single-fact change comes before every pair. *max_changes* (1 to 3) is
    the most facts one counterfactual may change.
    """
    return search(decision, SearchOptions.of(fixed, costs, max_changes))


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
    flipping: list[frozenset[str]] = []
    for name in names:
        values = scenario.flips(name, {}, verdict)
        for value in values:
            found.setdefault(_key({name: value}), {name: value})
        if values:
            flipping.append(frozenset({name}))
    for size in range(2, options.max_changes + 1):
        for combo in itertools.combinations(ordered(names), size):
            facts = frozenset(combo)
            if any(smaller <= facts for smaller in flipping):
                continue
            new = _combos(scenario, combo, verdict)
            for changes in new:
                found.setdefault(_key(changes), changes)
            if new:
                flipping.append(facts)
    results = [_verified(decision, scenario, changes, options) for changes in found.values()]
    kept = [r for r in results if r is not None]
    position = {name: i for i, name in enumerate(INPUTS)}
    kept.sort(
        key=lambda c: (
            c.cost,
            len(c.changes),
            [position[n] for n in c.changes],
            [_distance(c.previous.get(n), v) for n, v in c.changes.items()],
            repr(sorted(c.changes.items(), key=lambda i: i[0])),
        )
    )
    logger.debug("%d counterfactuals for %r", len(kept), decision.task.name)
    return tuple(kept)


def _combos(scenario: Scenario, combo: Sequence[str], verdict: Verdict) -> list[dict[str, Any]]:
    """Minimal changes of exactly the facts in *combo* that change *verdict*."""
    *head, last = combo
    found: list[dict[str, Any]] = []
    partials: list[dict[str, Any]] = [{}]
    for name in head:
        partials = [
            {**changes, name: value}
            for changes in partials
            for value in scenario.alternatives(name, changes)
        ]
    for changes in partials:
        if scenario.outcome(changes) is None:
            continue
        for value in scenario.flips(last, changes, verdict):
            full = _refine(scenario, {**changes, last: value}, verdict)
            if full is not None and _minimal(scenario, full, verdict):
                found.append(full)
    return found


def _refine(scenario: Scenario, changes: dict[str, Any], verdict: Verdict) -> dict[str, Any] | None:
    """Move each changed number or level as close to its current value as still works."""
    for _ in range(len(changes) + 1):
        moved = False
        for name, value in list(changes.items()):
            current = scenario.current(name)
            if scenario.grid(name) is None or current is None:
                continue
            others = {k: v for k, v in changes.items() if k != name}
            closer = [
                v
                for v in scenario.flips(name, others, verdict)
                if _between(current, v, value) and v != value
            ]
            if closer:
                changes[name] = min(closer, key=lambda v: _distance(current, v))
                moved = True
        if not moved:
            return changes
    return changes


def _minimal(scenario: Scenario, changes: Mapping[str, Any], verdict: Verdict) -> bool:
    """Tell whether *changes* changes *verdict* and no part of it does so alone."""
    items = list(changes.items())
    for size in range(1, len(items)):
        for part in itertools.combinations(items, size):
            result = scenario.outcome(dict(part))
            if result is not None and result[0] is not verdict:
                return False
    result = scenario.outcome(changes)
    return result is not None and result[0] is not verdict


def _verified(
    decision: Decision, scenario: Scenario, changes: dict[str, Any], options: SearchOptions
) -> Counterfactual | None:
    """Decide the changed task again with the decision's engine; keep it if the verdict moved."""
    from ..decisions import decide

    try:
        task, owner = apply_changes(decision.task, decision.owner, changes)
    except (FactError, ValueError, TypeError):  # pragma: no cover - searched values are valid
        return None
    again = decide(task, owner, ruleset=decision.ruleset, engine=decision.engine)
    if again.verdict is decision.verdict:  # pragma: no cover - engines agree by contract
        logger.warning("counterfactual %r did not change the verdict on re-deciding", changes)
        return None
    spans = {}
    for name in changes:
        found = scenario.span(name, changes)
        if found is not None:
            spans[name] = Span(*found)
    return Counterfactual(
        changes=dict(ordered_changes(changes)),
        previous={name: scenario.current(name) for name in ordered_changes(changes)},
        verdict=again.verdict,
        rule_id=again.rule_id,
        spans=spans,
        cost=sum(options.cost(name) for name in changes),
    )


def ordered_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Return *changes* in the vocabulary's order of facts."""
    return {name: changes[name] for name in INPUTS if name in changes}


def _key(changes: Mapping[str, Any]) -> frozenset[tuple[str, Any]]:
    return frozenset(changes.items())


def _between(current: Any, candidate: Any, value: Any) -> bool:
    return bool(current < candidate <= value or value <= candidate < current)


def _distance(current: Any, value: Any) -> float:
    if current is None or isinstance(value, bool) or not isinstance(value, int | float):
        return 0.0
    return abs(float(value) - float(current))


# --- words ----------------------------------------------------------------------------


def _join(parts: Sequence[str]) -> str:
    if len(parts) <= 2:
        return " and ".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _join_or(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " or " + parts[-1]


def _per_hour(value: Any) -> str:
    return f"{_rate(value)} an hour"


def _times(value: Any) -> str:
    if value == 1:
        return "once"
    if value == 2:
        return "twice"
    return f"{render_value(value)} times"


def _hours(value: Any) -> str:
    return f"{render_value(value)} hour" + ("" if value == 1 else "s")


def _rate(value: Any) -> str:
    if float(value).is_integer():
        return f"${value:,.0f}"
    return f"${value:,.2f}"


def _range(span: Span | None, value: Any, show: Any, more: str, less: str) -> str:
    """Render *value*, or the run of values around it that give the same verdict."""
    if span is None or span.low == span.high:
        return str(show(value))
    if span.highest:
        return f"{show(span.low)} or {more}"
    if span.lowest:
        return f"{show(span.high)} or {less}"
    return f"between {show(span.low)} and {show(span.high)}"


def _levels(span: Span | None, value: Any) -> list[Any]:
    """Return the levels a change names: the whole run of its span, lowest first."""
    if span is None:
        return [value]
    return [level for level in type(value) if span.low <= level <= span.high]


_FEELINGS = {
    "hate": "hated",
    "dislike": "disliked",
    "neutral": "felt neutral about",
    "like": "liked",
    "love": "loved",
}


def _phrase(name: str, value: Any, previous: Any, span: Span | None) -> str:
    """Say one change as the clause of a condition."""
    if name in _FLAGS:
        return _FLAGS[name][0 if value else 1]
    if span is not None and span.lowest and span.highest and span.low != span.high:
        return f"{name} were known (any value would do)"
    if name == "times_per_year":
        if span is not None and span.low != span.high:
            shown = _range(span, value, render_value, "more", "fewer")
            return f"it came up {shown} times a year"
        return f"it came up {_times(value)} a year"
    if name == "hours_each":
        return f"it took {_range(span, value, _hours, 'more', 'less')} each time"
    if name == "provider_hourly_rate":
        return f"a provider charged {_range(span, value, _per_hour, 'more', 'less')}"
    if name == "owner_hourly_rate":
        return f"the owner's hour were worth {_range(span, value, _rate, 'more', 'less')}"
    if name == "skill":
        return f"the owner's skill were {_join_or([str(v) for v in _levels(span, value)])}"
    if name == "enjoyment":
        feelings = [_FEELINGS[str(v)] for v in _levels(span, value)]
        return f"the owner {_join_or(feelings)} it"
    if name == "category":
        return f"its category were {value}"
    if name == "tags":
        before: frozenset[str] = previous or frozenset()
        added, removed = sorted(value - before), sorted(before - value)
        parts = [f"it were tagged {label}" for label in added]
        parts += [f"it were not tagged {label}" for label in removed]
        return _join(parts) if parts else "its tags were unchanged"
    return f"{name} were {render_value(value)}"  # pragma: no cover - every input is named above
