"""Decisions: deciding one task or many, and what a decision carries.

A :class:`Decision` is made fast and read lazily: the engine reports which
rules applied, the highest-priority one wins (or the ruleset's default), and
everything else (the matches with the values they saw, the economics, the
explanation text) is computed the first time it is asked for, from the same
facts the engine was given.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from .core.conditions import Check, witness
from .core.facts import Owner, Task, Verdict
from .core.rules import Rule, Ruleset
from .core.text import plain
from .core.vocabulary import fact_values
from .economics import Economics
from .engines import default_engine_name, matcher_for
from .errors import FactError
from .loading import default_ruleset, load_ruleset

if TYPE_CHECKING:
    from .explain.counterfactuals import Counterfactual
    from .explain.handoff import Handoff
    from .explain.why import Miss, UnknownFact


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


@attrs.frozen(repr=False)
class Decision:
    """The verdict on one task, with everything needed to explain it.

    Decisions are immutable: the task, the owner, the ruleset, the engine
    and ``positions`` (where the rules that applied stand in the ruleset's
    decision order, the deciding one first) are all a decision holds.
    ``matches``, ``facts``, ``economics`` and every explanation are derived
    from them on first access and remembered.
    """

    task: Task
    owner: Owner | None
    ruleset: Ruleset
    engine: str
    positions: tuple[int, ...]
    # Made on first use, not in __init__: most decisions are never looked into.
    _memo_slot: dict[str, Any] = attrs.field(init=False, eq=False, repr=False)

    @property
    def _memo(self) -> dict[str, Any]:
        """What has been derived so far (matches, facts, economics, explanations)."""
        try:
            return self._memo_slot
        except AttributeError:
            memo: dict[str, Any] = {}
            object.__setattr__(self, "_memo_slot", memo)
            return memo

    def __getstate__(self) -> dict[str, Any]:
        """Pickle what the decision holds, not what was derived from it."""
        return {f.name: getattr(self, f.name) for f in attrs.fields(Decision) if f.init}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)

    def __repr__(self) -> str:
        return f"<Decision {self.task.name!r}: {self.verdict.value} by {self.rule_id or 'default'}>"

    # -- what was decided --

    @property
    def rule(self) -> Rule | None:
        """The deciding rule, or ``None`` when the ruleset's default decided."""
        positions = self.positions
        return self.ruleset.rules[positions[0]] if positions else None

    @property
    def verdict(self) -> Verdict:
        """Keep, outsource or eliminate."""
        positions = self.positions
        if positions:
            return self.ruleset.rules[positions[0]].verdict
        return self.ruleset.default_verdict

    @property
    def rule_id(self) -> str | None:
        """The id of the deciding rule; ``None`` when no rule applied and the default decided."""
        positions = self.positions
        return self.ruleset.rules[positions[0]].id if positions else None

    @property
    def because(self) -> str:
        """The deciding rule's reason (or the default's)."""
        rule = self.rule
        return rule.because if rule is not None else self.ruleset.default_because

    @property
    def matched_rule_ids(self) -> tuple[str, ...]:
        """The ids of every rule that applied, in priority order (cheap: no values)."""
        rules = self.ruleset.rules
        return tuple(rules[p].id for p in self.positions)

    # -- lazily computed detail --

    @property
    def facts(self) -> dict[str, Any]:
        """Every rule fact's value for this task (``None`` = unknown), derived ones included."""
        found = self._memo.get("facts")
        if found is None:
            found = self._memo["facts"] = fact_values(self.task, self.owner)
        return dict(found)

    def _values(self) -> dict[str, Any]:
        found = self._memo.get("facts")
        if found is None:
            found = self._memo["facts"] = fact_values(self.task, self.owner)
        return found

    @property
    def matches(self) -> tuple[Match, ...]:
        """Every rule that applied, highest priority first, with the values it saw."""
        found = self._memo.get("matches")
        if found is None:
            values = self._values()
            rules = self.ruleset.rules
            found = self._memo["matches"] = tuple(_match(rules[p], values) for p in self.positions)
        return found

    @property
    def economics(self) -> Economics:
        """Hours and money, per year and per week (``None`` where a fact is missing)."""
        found = self._memo.get("economics")
        if found is None:
            found = self._memo["economics"] = Economics.from_facts(self._values())
        return found

    @property
    def provenance(self) -> dict[str, Any]:
        """What produced this decision: ruleset name, version, content hash and engine."""
        ruleset = self.ruleset
        return {
            "ruleset": ruleset.name,
            "version": ruleset.version,
            "digest": ruleset.digest,
            "engine": self.engine,
        }

    def explain(self) -> str:
        """Return the decision told to the owner, in a few plain sentences.

        The verdict, the reason in everyday words with the facts that made it
        true, what argued the other way and why it lost, and the hours and
        money in the owner's currency. No rule ids, priorities, fact names or
        parameters: those are in :meth:`trace`.
        """
        from .explain.voice import explain

        return explain(self)

    def trace(self, *, why_not: bool = False) -> str:
        """Return the rule author's account of the decision, every rule and value exact.

        The deciding rule, its priority, the checks and values it saw, every
        other rule that applied and why it lost. With *why_not*, also the
        rules for another verdict that did not apply and what stopped each.
        """
        from .explain.why import author_trace

        return author_trace(self, why_not=why_not)

    # -- beyond the verdict (each computed by its own module, on first use) --

    def counterfactuals(
        self,
        *,
        fixed: Iterable[str] = (),
        costs: Mapping[str, float] | None = None,
        max_changes: int = 2,
    ) -> tuple[Counterfactual, ...]:
        """Return the smallest changes to the task's facts that would change the verdict.

        See :func:`outsourcing_rules.explain.counterfactuals.counterfactuals`.
        """
        from .explain.counterfactuals import SearchOptions, search

        options = SearchOptions.of(fixed, costs, max_changes)
        by_options: dict[SearchOptions, tuple[Counterfactual, ...]]
        by_options = self._memo.setdefault("counterfactuals", {})
        found = by_options.get(options)
        if found is None:
            found = by_options[options] = search(self, options)
        return found

    def why_not(self) -> tuple[Miss, ...]:
        """Return, for each rule that did not apply, the condition that failed or fact missing."""
        found = self._memo.get("why_not")
        if found is None:
            from .explain.why import why_not

            found = self._memo["why_not"] = why_not(self)
        return found

    def unknowns(self) -> tuple[UnknownFact, ...]:
        """Return the unknown facts that could change the verdict, with the values that would."""
        found = self._memo.get("unknowns")
        if found is None:
            from .explain.why import unknowns

            found = self._memo["unknowns"] = unknowns(self)
        return found

    @property
    def handoff(self) -> Handoff | None:
        """The hand-off brief (provider role, checklist) for ``outsource``, else ``None``."""
        if "handoff" not in self._memo:
            from .explain.handoff import handoff

            self._memo["handoff"] = handoff(self)
        found: Handoff | None = self._memo["handoff"]
        return found

    def to_dict(self, *, max_changes: int = 1) -> dict[str, Any]:
        """Return everything the decision can say as JSON-serialisable data with stable keys.

        The verdict and its rule (``rule`` is ``null`` when the default
        decided) and reason; ``explanation`` in the owner's words and
        ``trace`` in the rule author's; every match, with why each loser
        lost; ``why_not`` (the rules that did not apply), ``unknowns`` (the
        missing facts that could change the verdict), ``counterfactuals``
        (the smallest changes that would), the ``economics``, the hand-off
        brief (``null`` unless outsourced), the facts the rules saw and the
        provenance. :func:`~outsourcing_rules.decision_schema` is its
        JSON Schema.

        The counterfactuals change at most *max_changes* facts. The default,
        one, keeps the cost near that of one decision per rule; ``2`` adds
        the pairs, which costs a hundred times more on the default ruleset
        and grows with the square of the rules.
        """
        from .explain.why import lost_because

        winner = self.rule
        brief = self.handoff
        return {
            "task": self.task.name,
            "verdict": self.verdict.value,
            "rule": self.rule_id,
            "because": self.because,
            "explanation": self.explain(),
            "trace": self.trace(),
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
            "why_not": [m.to_dict() for m in self.why_not()],
            "unknowns": [u.to_dict() for u in self.unknowns()],
            "counterfactuals": [c.to_dict() for c in self.counterfactuals(max_changes=max_changes)],
            "economics": self.economics.to_dict(),
            "handoff": None if brief is None else brief.to_dict(),
            "facts": {k: plain(v) for k, v in self._values().items() if v is not None},
            "provenance": self.provenance,
        }


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
    return Decision(the_task, the_owner, chosen, name, matcher(the_task, the_owner))


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
    make = Decision
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
