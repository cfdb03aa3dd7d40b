"""Counterfactuals: the smallest changes to a task's facts that would change its verdict.

"Booking flights three times a year stays with you; at twelve times a year it
would be handed off." :func:`counterfactuals` finds such statements for any
decision under any ruleset, from the ruleset's own conditions (see
:mod:`outsourcing_rules.explain.search` for how values are chosen):

- single-fact changes: for a number, the nearest value on either side that
  changes the verdict (the threshold a rule compares with, or the value of
  an input that puts a derived fact on its threshold, such as the provider
  rate at which ``rate_ratio`` reaches 2); for a level, the nearest level;
  for an unknown fact, the value that would decide;
- then pairs (and, if asked, triples) of facts none of which changes the
  verdict alone, each minimal: no part of it changes the verdict by itself.

Changes the owner can make (a cheaper provider, writing the procedure down,
defining the outcome, making time) come first, then the rest by cost and
by the number of facts changed. A change that only restates the rule it
would trigger ("would be eliminated if it could be dropped") is left out:
it tells the owner nothing new.

Only task facts and the owner's hourly rate change; derived facts
(``hours_per_year``, ``rate_ratio``, ``core_competency``...) move only
through their inputs. Every counterfactual returned was checked with the
compiled matcher of the decision's own engine.
"""

from __future__ import annotations

import itertools
import logging
import math
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from ..core.conditions import Atom
from ..core.facts import Owner, Task, Verdict
from ..core.text import plain
from ..errors import FactError, suggest
from . import wording
from ._inputs import INPUTS, apply_changes
from ._pairs import satisfy
from .search import Scenario, relevant_inputs
from .wording import Span

if TYPE_CHECKING:
    from ..decisions import Decision

logger = logging.getLogger(__name__)

#: Most facts one counterfactual may change.
MAX_CHANGES = 3


def _freeze(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


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

    @property
    def actionable(self) -> bool:
        """True when every change is a step the owner can take.

        Those are finding a cheaper provider, writing the procedure down,
        defining the outcome wanted and making time for the task.
        """
        return all(
            wording.controlled(name, value, self.previous.get(name), self.spans.get(name))
            for name, value in self.changes.items()
        )

    def apply(self, task: Task, owner: Owner | None = None) -> tuple[Task, Owner | None]:
        """Return *task* and *owner* with the changes made.

        Making a task a one-off forgets its frequency (a one-off happens once);
        changing the owner's rate with no owner makes one.
        """
        return apply_changes(task, owner, self.changes)

    def condition(self) -> str:
        """Say the change as a condition: ``if it came up 12 or more times a year``."""
        return wording.condition(self.changes, self.previous, self.spans)

    def consequence(self) -> str:
        """Say what would happen: ``would be outsourced``."""
        return wording.consequence(self.verdict)

    def describe(self) -> str:
        """Say, for the rule author, what would happen and when.

        ``would be outsourced if it came up 12 or more times a year``.
        """
        return f"{self.consequence()} {self.condition()}"

    def advice(self, money: wording.Money | None = None) -> str:
        """Say the change to the owner, as a step to take where it is theirs to take.

        ``Write down how it is done, and it would be worth handing off.`` or
        ``If it came up 12 or more times a year, it would be worth handing off.``
        No rule ids, fact names or operator words. *money* formats an amount
        (a number) in the owner's currency; dollars by default.
        """
        return wording.advice(self.changes, self.previous, self.spans, self.verdict, money)

    def to_dict(self) -> dict[str, Any]:
        """Return the counterfactual as JSON-serialisable data."""
        return {
            "changes": {k: plain(v) for k, v in self.changes.items()},
            "previous": {k: plain(v) for k, v in self.previous.items()},
            "verdict": self.verdict.value,
            "rule": self.rule_id,
            "cost": self.cost,
            "actionable": self.actionable,
            "description": self.describe(),
            "advice": self.advice(),
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
    obvious: bool = False

    @classmethod
    def of(
        cls,
        fixed: Iterable[str] = (),
        costs: Mapping[str, float] | None = None,
        max_changes: int = 2,
        only: Iterable[str] | None = None,
        obvious: bool = False,
    ) -> SearchOptions:
        """Check the options of :func:`counterfactuals` and return them frozen.

        *only* limits the search to those facts; with *obvious*, changes that
        only restate the rule they trigger are kept too (the account of
        unknown facts wants them: there, that the fact matters is the news).

        Raises :class:`~outsourcing_rules.FactError` for a name that is not a
        fact a counterfactual can change, and :class:`ValueError` for a bad
        cost or number of changes.
        """
        if fixed == () and costs is None and only is None and not obvious:
            plain = _PLAIN.get(max_changes) if type(max_changes) is int else None
            if plain is not None:  # the usual call: nothing to check
                return plain
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
            bool(obvious),
        )

    def cost(self, name: str) -> float:
        """Return the cost of changing *name* (1 unless given)."""
        for priced, cost in self.costs:
            if priced == name:
                return cost
        return 1.0


#: The options with nothing fixed, priced or limited, by number of changes (checked once).
_PLAIN: dict[int, SearchOptions] = {}
_PLAIN.update({most: SearchOptions.of(max_changes=most) for most in range(1, MAX_CHANGES + 1)})


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
    ``math.inf`` is the same as fixed). Changes the owner can make come
    first (:attr:`Counterfactual.actionable`); then the list is ordered by
    total cost, then by the number of facts changed, so with equal costs
    every single-fact change comes before every pair. *max_changes* (1 to
    3) is the most facts one counterfactual may change.
    """
    return search(decision, SearchOptions.of(fixed, costs, max_changes))


def search(decision: Decision, options: SearchOptions) -> tuple[Counterfactual, ...]:
    """Run the counterfactual search for *decision* with checked *options*."""
    native = decision.positions if decision.engine == "native" else None
    scenario = Scenario(decision.task, decision.owner, decision.ruleset, native)
    verdict = decision.verdict
    relevant = relevant_inputs(decision.ruleset)
    names = list(relevant)
    if options.fixed or options.costs or options.only is not None:
        names = [
            name
            for name in names
            if name not in options.fixed
            and (not options.costs or math.isfinite(options.cost(name)))
            and (options.only is None or name in options.only)
        ]
    found: dict[frozenset[tuple[str, Any]], dict[str, Any]] = {}
    alone: set[str] = set()
    for name in scenario.movable(relevant if len(names) == len(relevant) else names, verdict):
        values = scenario.flips(name, {}, verdict, movable=True)
        for value in values:
            found.setdefault(_key({name: value}), {name: value})
        if values:
            alone.add(name)
    if options.max_changes > 1:
        _combinations(scenario, verdict, [n for n in names if n not in alone], options, found)
    results = [_confirmed(decision, scenario, c, options, verdict) for c in found.values()]
    keyed = [r for r in results if r is not None]
    logger.debug("%d counterfactuals for %r", len(keyed), decision.task.name)
    if len(keyed) < 2:  # nothing to order
        return tuple([c for _, c in keyed])
    keyed.sort(key=_first)
    ordered: list[Counterfactual] = []
    for _, group in itertools.groupby(keyed, key=_first):
        tied = [c for _, c in group]
        if len(tied) > 1:  # the last word, written out only where needed
            tied.sort(key=lambda c: repr(sorted(c.changes.items(), key=_first)))
        ordered.extend(tied)
    return tuple(ordered)


def _first(pair: tuple[Any, Any]) -> Any:
    return pair[0]


#: Each fact's place in the vocabulary, for ordering changes.
_POSITION = {name: i for i, name in enumerate(INPUTS)}


def _combinations(
    scenario: Scenario,
    verdict: Verdict,
    names: list[str],
    options: SearchOptions,
    found: dict[frozenset[tuple[str, Any]], dict[str, Any]],
) -> None:
    """Add the minimal changes of two or more of *names* (none of which works alone).

    A change is made to bring in a rule for another verdict and to stop the
    rules above it that apply now; its values may bring in yet another rule
    above it for *verdict* (one that does not apply now). Then the change is
    planned again, that rule stopped too, for up to :data:`_ROUNDS` rounds.
    """
    proposals = sorted(scenario.proposals(verdict, names, options.max_changes), key=_size)
    flipping: list[frozenset[str]] = []
    outcome = scenario.outcome
    planned: set[int] = set()
    for round_ in range(_ROUNDS + 1):
        blocked: dict[tuple[int, str], None] = {}
        for size, group in itertools.groupby(proposals, key=_size):
            new: list[frozenset[str]] = []
            for needed, changes in group:
                facts = frozenset(changes)
                if flipping and any(smaller < facts for smaller in flipping):
                    continue
                result = outcome(changes)
                if result is None:
                    continue
                if result[0] is verdict:
                    if result[1] is not None:
                        blocked[needed, result[1]] = None
                    continue
                if size > 2 and not _minimal(scenario, changes, verdict):
                    continue
                found.setdefault(_key(changes), changes)
                new.append(facts)
            flipping.extend(new)
        if not blocked or round_ == _ROUNDS:
            break
        again = _around(scenario, blocked, names, options.max_changes, planned)
        proposals = sorted(again, key=_size)
    if round_ and options.max_changes > 2:  # a later round may have found part of a larger change
        for key, changes in list(found.items()):
            facts = frozenset(changes)
            if len(facts) > 2 and any(smaller < facts for smaller in flipping):
                del found[key]


#: How many times a change of several facts is planned again around a rule it brought in.
_ROUNDS = 2


def _size(proposal: tuple[int, Mapping[str, Any]]) -> int:
    return len(proposal[1])


def _around(
    scenario: Scenario,
    blocked: Iterable[tuple[int, str]],
    names: list[str],
    most: int,
    planned: set[int],
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield changes planned as before, that also stop the rule that blocked them.

    *blocked* holds, for each change whose values brought in a rule for the
    verdict it had to leave, the comparisons it was made to turn and that
    rule's id. Each way to stop that rule is added to those comparisons
    (less those that hold now), and each new set is planned once.
    """
    analysis = scenario._analysis
    position = {rule.id: i for i, rule in enumerate(analysis.ruleset.rules)}
    held, index, allowed = scenario._held(), analysis.index, frozenset(names)
    for needed, rule_id in blocked:
        for term in analysis.false_terms[position[rule_id]]:
            wanted = (needed | sum(1 << index[a] for a in term)) & ~held
            if wanted == needed or wanted in planned:
                continue
            planned.add(wanted)
            for plan in analysis.plans(wanted, allowed, most):
                changes = satisfy(scenario, plan)
                if changes is not None:
                    yield wanted, changes


def _minimal(scenario: Scenario, changes: Mapping[str, Any], verdict: Verdict) -> bool:
    """Tell whether no part of *changes* changes *verdict* by itself."""
    items = list(changes.items())
    for size in range(1, len(items)):
        for part in itertools.combinations(items, size):
            result = scenario.outcome(dict(part))
            if result is not None and result[0] is not verdict:
                return False
    return True


def _obvious(
    scenario: Scenario, name: str, value: bool, previous: Any, rule_id: str | None
) -> bool:
    """Tell whether setting yes/no fact *name* to *value* only restates the rule it brings in.

    The change brings in the rule *rule_id*. "Would be eliminated if it
    could be dropped" says nothing the rule does not. A yes/no fact has no
    span, and *previous* is its value now; a step the owner can take is
    never left out.
    """
    if rule_id is None or wording.controlled(name, value, previous, None):
        return False
    condition = scenario._analysis.conditions[rule_id]
    return isinstance(condition, Atom) and condition.fact == name


def _confirmed(
    decision: Decision,
    scenario: Scenario,
    changes: dict[str, Any],
    options: SearchOptions,
    verdict: Verdict,
) -> tuple[tuple[Any, ...], Counterfactual] | None:
    """Try *changes* on the decision's own engine; keep them if the verdict (*verdict*) moves.

    On the native engine the search's own outcome stands (the same compiled
    rules gave it: for a single change, when its stretch was read). Returns
    the counterfactual with its place in the order of the list: whether it
    is not actionable, its cost, the number of facts changed, their places
    in the vocabulary and how far each value moves.
    """
    again = scenario.confirm(changes, decision.engine)
    if again is None or again[0] is verdict:  # pragma: no cover - engines agree
        logger.warning("counterfactual %r did not change the verdict on its engine", changes)
        return None
    known = again if decision.engine == "native" else None
    controlled, position = wording.controlled, _POSITION
    if len(changes) == 1:  # the usual case, written out
        ((name, value),) = changes.items()
        now = scenario.current(name)
        if (
            not options.obvious
            and type(value) is bool
            and _obvious(scenario, name, value, now, again[1])
        ):
            return None
        found = scenario.span(name, changes, known)
        span = None if found is None else Span(*found)
        cost = options.cost(name) if options.costs else 1.0
        made = Counterfactual(
            changes=changes,
            previous={name: now},
            verdict=again[0],
            rule_id=again[1],
            spans={} if span is None else {name: span},
            cost=cost,
        )
        # What Counterfactual.actionable says, read from the plain values.
        key = (
            not controlled(name, value, now, span),
            cost,
            1,
            [position[name]],
            [_distance(now, value)],
        )
        return key, made
    spans = {}
    for name in changes:
        found = scenario.span(name, changes, known)
        if found is not None:
            spans[name] = Span(*found)
    ordered = ordered_changes(changes)
    current = scenario.current
    previous = {name: current(name) for name in ordered}
    cost = sum(options.cost(name) for name in changes) if options.costs else len(changes) * 1.0
    made = Counterfactual(
        changes=ordered,
        previous=previous,
        verdict=again[0],
        rule_id=again[1],
        spans=spans,
        cost=cost,
    )
    key = (  # what Counterfactual.actionable says, read from the plain dicts
        not all(controlled(n, v, previous[n], spans.get(n)) for n, v in ordered.items()),
        cost,
        len(ordered),
        [position[n] for n in ordered],
        [_distance(previous[n], v) for n, v in ordered.items()],
    )
    return key, made


def ordered_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Return *changes* in the vocabulary's order of facts."""
    return dict(sorted(changes.items(), key=_place))


def _place(item: tuple[str, Any]) -> int:
    return _POSITION[item[0]]


def _key(changes: Mapping[str, Any]) -> frozenset[tuple[str, Any]]:
    return frozenset(changes.items())


def _distance(current: Any, value: Any) -> float:
    if current is None or isinstance(value, bool) or not isinstance(value, int | float):
        return 0.0
    return abs(float(value) - float(current))
