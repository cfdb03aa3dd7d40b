"""Decisions: deciding one task or many, and what a decision carries.

A :class:`Decision` is made fast and read lazily: the engine reports which
rules applied, the highest-priority one wins (or the ruleset's default), and
everything else (the matches with the values they saw, the economics, the
explanation text) is computed the first time it is asked for, from the same
facts the engine was given.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from .conditions import witness
from .economics import Economics
from .engines import default_engine_name, matcher_for
from .errors import FactError
from .facts import Owner, Task, Verdict
from .loading import default_ruleset, load_ruleset
from .rules import Rule, Ruleset
from .vocabulary import fact_values

if TYPE_CHECKING:
    from .counterfactuals import Counterfactual
    from .handoff import Handoff
    from .whynot import Miss, UnknownFact

__all__ = ["Check", "Decision", "Match", "decide", "decide_all", "decide_iter"]


@attrs.frozen
class Check:
    """One condition a rule checked, with the value of the fact it saw."""

    fact: str
    op: str
    expected: Any
    actual: Any
    parameter: str | None = None

    def describe(self) -> str:
        """Say the check in words: ``skill at most basic (it is none)``."""
        from .conditions import render_value
        from .vocabulary import OPERATORS

        source = f" (${self.parameter})" if self.parameter else ""
        return (
            f"{self.fact} {OPERATORS[self.op]} {render_value(self.expected)}{source}: "
            f"it is {render_value(self.actual)}"
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the check as JSON-serialisable data."""
        from .conditions import _plain

        data = {
            "fact": self.fact,
            "op": self.op,
            "expected": _plain(self.expected),
            "actual": _plain(self.actual),
        }
        if self.parameter:
            data["parameter"] = self.parameter
        return data


@attrs.frozen
class Match:
    """A rule that applied to the task, with the conditions that made it apply."""

    rule_id: str
    verdict: Verdict
    priority: int
    because: str
    checks: tuple[Check, ...]
    role: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the match as JSON-serialisable data."""
        return {
            "rule": self.rule_id,
            "verdict": self.verdict.value,
            "priority": self.priority,
            "because": self.because,
            "checks": [c.to_dict() for c in self.checks],
        }


def _match(rule: Rule, values: Mapping[str, Any]) -> Match:
    cited = witness(rule.condition, values) or []
    return Match(
        rule_id=rule.id,
        verdict=rule.verdict,
        priority=rule.priority,
        because=rule.because,
        role=rule.role,
        checks=tuple(Check(a.fact, a.op, a.value, values.get(a.fact), a.parameter) for a in cited),
    )


class Decision:
    """The verdict on one task, with everything needed to explain it.

    Decisions are immutable. ``matches``, ``facts``, ``economics`` and the
    explanation are computed on first access.
    """

    __slots__ = ("_memo", "_s")

    # The state is one tuple, set through the slot descriptor, so making a
    # decision costs one assignment: task, owner, ruleset, engine, and the
    # positions of the matched rules (never changed once made).
    _s: tuple[Task, Owner | None, Ruleset, str, Sequence[int]]
    _memo: dict[str, Any]

    def __init__(
        self,
        task: Task,
        owner: Owner | None,
        ruleset: Ruleset,
        engine: str,
        positions: Iterable[int],
    ) -> None:
        _set_state(self, (task, owner, ruleset, engine, tuple(positions)))

    @property
    def _cache(self) -> dict[str, Any]:
        """Lazily computed detail, made on first use (most decisions never need it)."""
        try:
            return self._memo
        except AttributeError:
            memo: dict[str, Any] = {}
            _set_memo(self, memo)
            return memo

    def __setattr__(self, name: str, value: object) -> None:
        raise attrs.exceptions.FrozenInstanceError()

    def __delattr__(self, name: str) -> None:
        raise attrs.exceptions.FrozenInstanceError()

    def __repr__(self) -> str:
        return f"<Decision {self.task.name!r}: {self.verdict.value} by {self.rule_id or 'default'}>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Decision):
            return NotImplemented
        mine, theirs = self._s, other._s
        return mine[:4] == theirs[:4] and tuple(mine[4]) == tuple(theirs[4])

    def __hash__(self) -> int:
        return hash((self.task, self._s[2].digest, tuple(self._s[4])))

    # -- what was decided --

    @property
    def task(self) -> Task:
        """The task decided."""
        return self._s[0]

    @property
    def owner(self) -> Owner | None:
        """The owner the task was decided for, if one was given."""
        return self._s[1]

    @property
    def ruleset(self) -> Ruleset:
        """The ruleset that decided."""
        return self._s[2]

    @property
    def engine(self) -> str:
        """The engine that evaluated the rules (``"durable"`` or ``"native"``)."""
        return self._s[3]

    @property
    def rule(self) -> Rule | None:
        """The deciding rule, or ``None`` when the ruleset's default decided."""
        positions = self._s[4]
        return self._s[2].rules[positions[0]] if positions else None

    @property
    def verdict(self) -> Verdict:
        """Keep, outsource or eliminate."""
        positions = self._s[4]
        if positions:
            return self._s[2].rules[positions[0]].verdict
        return self._s[2].default_verdict

    @property
    def rule_id(self) -> str | None:
        """The id of the deciding rule; ``None`` when no rule applied and the default decided."""
        positions = self._s[4]
        return self._s[2].rules[positions[0]].id if positions else None

    @property
    def because(self) -> str:
        """The deciding rule's reason (or the default's)."""
        rule = self.rule
        return rule.because if rule is not None else self._s[2].default_because

    @property
    def matched_rule_ids(self) -> tuple[str, ...]:
        """The ids of every rule that applied, in priority order (cheap: no values)."""
        rules = self._s[2].rules
        return tuple(rules[p].id for p in self._s[4])

    # -- lazily computed detail --

    @property
    def facts(self) -> dict[str, Any]:
        """Every rule fact's value for this task (``None`` = unknown), derived ones included."""
        found = self._cache.get("facts")
        if found is None:
            found = self._cache["facts"] = fact_values(self._s[0], self._s[1])
        return dict(found)

    def _values(self) -> dict[str, Any]:
        found = self._cache.get("facts")
        if found is None:
            found = self._cache["facts"] = fact_values(self._s[0], self._s[1])
        return found

    @property
    def matches(self) -> tuple[Match, ...]:
        """Every rule that applied, highest priority first, with the values it saw."""
        found = self._cache.get("matches")
        if found is None:
            values = self._values()
            rules = self._s[2].rules
            found = self._cache["matches"] = tuple(_match(rules[p], values) for p in self._s[4])
        return found

    @property
    def economics(self) -> Economics:
        """Hours and money, per year and per week (``None`` where a fact is missing)."""
        found = self._cache.get("economics")
        if found is None:
            found = self._cache["economics"] = Economics.from_facts(self._values())
        return found

    @property
    def provenance(self) -> dict[str, Any]:
        """What produced this decision: ruleset name, version, content hash and engine."""
        ruleset = self._s[2]
        return {
            "ruleset": ruleset.name,
            "version": ruleset.version,
            "digest": ruleset.digest,
            "engine": self._s[3],
        }

    def explain(self, *, verbose: bool = False) -> str:
        """Return a short paragraph saying what was decided and why, and why others lost.

        With *verbose*, also which rules for another verdict did not apply and
        which unknown facts could change the verdict.
        """
        from .explain import explain

        return explain(self, verbose=verbose)

    # -- beyond the verdict (each computed by its own module, on first use) --

    def counterfactuals(
        self,
        *,
        fixed: Iterable[str] = (),
        costs: Mapping[str, float] | None = None,
        max_changes: int = 2,
    ) -> tuple[Counterfactual, ...]:
        """Return the smallest changes to the task's facts that would change the verdict.

        See :func:`outsourcing_rules.counterfactuals.counterfactuals`.
        """
        from .counterfactuals import SearchOptions, search

        options = SearchOptions.of(fixed, costs, max_changes)
        by_options: dict[SearchOptions, tuple[Counterfactual, ...]]
        by_options = self._cache.setdefault("counterfactuals", {})
        found = by_options.get(options)
        if found is None:
            found = by_options[options] = search(self, options)
        return found

    def why_not(self) -> tuple[Miss, ...]:
        """Return, for each rule that did not apply, the condition that failed or fact missing."""
        found = self._cache.get("why_not")
        if found is None:
            from .whynot import why_not

            found = self._cache["why_not"] = why_not(self)
        return found

    @property
    def unknowns(self) -> tuple[UnknownFact, ...]:
        """The unknown facts that could change the verdict, each with the values that would."""
        found = self._cache.get("unknowns")
        if found is None:
            from .whynot import unknowns

            found = self._cache["unknowns"] = unknowns(self)
        return found

    @property
    def handoff(self) -> Handoff | None:
        """The hand-off brief (provider role, checklist) for ``outsource``, else ``None``."""
        if "handoff" not in self._cache:
            from .handoff import handoff

            self._cache["handoff"] = handoff(self)
        found: Handoff | None = self._cache["handoff"]
        return found

    def to_dict(self) -> dict[str, Any]:
        """Return the decision as JSON-serialisable data with stable keys."""
        from .explain import lost_because

        winner = self.rule
        return {
            "task": self.task.name,
            "verdict": self.verdict.value,
            "rule": self.rule_id,
            "because": self.because,
            "matches": [
                {
                    **m.to_dict(),
                    **(
                        {}
                        if winner and m.rule_id == winner.id
                        else {"lost_because": lost_because(m, winner)}
                    ),
                }
                for m in self.matches
            ],
            "economics": self.economics.to_dict(),
            "facts": {k: _plain_fact(v) for k, v in self._values().items() if v is not None},
            "provenance": self.provenance,
        }


# Slot descriptors set the two slots without going through __setattr__,
# which refuses every assignment: this keeps decisions immutable and cheap.
_set_state = Decision.__dict__["_s"].__set__
_set_memo = Decision.__dict__["_memo"].__set__
_new_decision = object.__new__


def _make(
    task: Task, owner: Owner | None, ruleset: Ruleset, engine: str, positions: Sequence[int]
) -> Decision:
    """Make a decision without the checks and copies of ``__init__`` (the hot path)."""
    decision: Decision = _new_decision(Decision)
    _set_state(decision, (task, owner, ruleset, engine, positions))
    return decision


def _plain_fact(value: Any) -> Any:
    from .conditions import _plain

    return _plain(value)


# --- deciding -----------------------------------------------------------------------


def _as_task(task: Task | Mapping[str, Any]) -> Task:
    if isinstance(task, Task):
        return task
    if isinstance(task, Mapping):
        return Task.from_dict(task)
    raise FactError(
        "task", task, f"must be a Task or a mapping of facts, not {type(task).__name__}"
    )


def _as_owner(owner: Owner | Mapping[str, Any] | None) -> Owner | None:
    if owner is None or isinstance(owner, Owner):
        return owner
    if isinstance(owner, Mapping):
        return Owner.from_dict(owner)
    raise FactError(
        "owner", owner, f"must be an Owner or a mapping of facts, not {type(owner).__name__}"
    )


def _setup(
    ruleset: Ruleset | str | Mapping[str, Any] | None, engine: str | None
) -> tuple[Ruleset, str]:
    chosen = default_ruleset() if ruleset is None else load_ruleset(ruleset)
    name = engine or chosen.engine or default_engine_name()
    return chosen, name


def decide(
    task: Task | Mapping[str, Any],
    owner: Owner | Mapping[str, Any] | None = None,
    *,
    ruleset: Ruleset | str | Mapping[str, Any] | None = None,
    engine: str | None = None,
) -> Decision:
    """Decide one task: keep, outsource or eliminate, with the reasons.

    *ruleset* defaults to the built-in default ruleset; *engine* to the
    ruleset's preferred engine, else ``"durable"`` where durable-rules
    imports and ``"native"`` elsewhere.
    """
    chosen, name = _setup(ruleset, engine)
    matcher = matcher_for(chosen, name)
    the_task, the_owner = _as_task(task), _as_owner(owner)
    return _make(the_task, the_owner, chosen, name, matcher(the_task, the_owner))


def decide_iter(
    tasks: Iterable[Task | Mapping[str, Any]],
    owner: Owner | Mapping[str, Any] | None = None,
    *,
    ruleset: Ruleset | str | Mapping[str, Any] | None = None,
    engine: str | None = None,
) -> Iterator[Decision]:
    """Decide tasks one by one as they come: an iterator in, an iterator out.

    Memory stays flat however many tasks flow through, as long as the caller
    does not keep the decisions.
    """
    chosen, name = _setup(ruleset, engine)
    matcher = matcher_for(chosen, name)
    the_owner = _as_owner(owner)
    make = _make
    for task in tasks:
        the_task = task if type(task) is Task else _as_task(task)
        yield make(the_task, the_owner, chosen, name, matcher(the_task, the_owner))


def decide_all(
    tasks: Iterable[Task | Mapping[str, Any]],
    owner: Owner | Mapping[str, Any] | None = None,
    *,
    ruleset: Ruleset | str | Mapping[str, Any] | None = None,
    engine: str | None = None,
) -> list[Decision]:
    """Decide every task of an inventory (any iterable); return the decisions in order."""
    return list(decide_iter(tasks, owner, ruleset=ruleset, engine=engine))
