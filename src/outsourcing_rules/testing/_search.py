"""The search behind :func:`~outsourcing_rules.testing.verify_invariants`, and what it reports.

:class:`Violation` is what a broken promise looks like; the search drives
Hypothesis over tasks and owners aimed at a ruleset's own constants, and
the monotonicity changes say which one-fact change must never turn an
``outsource`` into a ``keep``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
from hypothesis import HealthCheck, find, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

from ..core.conditions import (
    AllOf,
    AnyOf,
    compared_in,
    describe_condition,
    evaluate,
    render_value,
)
from ..core.facts import MAX_TIMES_PER_YEAR, Enjoyment, Owner, Skill, Task, Verdict
from ..core.rules import Invariant, Ruleset
from ..core.vocabulary import FACTS, Kind, fact_values
from ..decisions import Decision, decide, decide_all
from .strategies import owners, tasks


def _render_task(task: Task) -> str:
    data = task.to_dict()
    return "{" + ", ".join(f"{k}: {render_value(v)}" for k, v in data.items()) + "}"


def _render_owner(owner: Owner | None) -> str:
    if owner is None:
        return "no owner"
    data = owner.to_dict()
    return "owner {" + ", ".join(f"{k}: {render_value(v)}" for k, v in data.items()) + "}"


def _unnamed(base: str, taken: set[str]) -> str:
    """Return *base*, or *base* with a number, so that it is not in *taken*."""
    name, count = base, 1
    while name in taken:
        count += 1
        name = f"{base} {count}"
    return name


@attrs.frozen
class Violation:
    """A counterexample to one invariant: the task and owner that break it, and what happened.

    ``invariant`` names the promise broken: a built-in name
    (``"core-never-outsourced"``) or the declared invariant's place
    (``"invariants[0]"``, with the ``path`` and ``line`` that declared it
    where known).
    ``task`` and ``owner`` are the shrunk counterexample, ``verdict`` and
    ``rule_id`` the decision on it (``rule_id`` ``None`` when the default
    decided). Invariants about a change of the task (monotonicity, names)
    also give the ``baseline``: the task before the change, whose decision
    the one on ``task`` contradicts.
    """

    invariant: str
    description: str
    task: Task
    owner: Owner | None
    verdict: Verdict
    rule_id: str | None
    baseline: Task | None = None
    line: int | None = None
    path: str | None = None

    def __str__(self) -> str:
        where = [self.path] if self.path else []
        where += [f"line {self.line}"] if self.line is not None else []
        place = f" ({', '.join(where)})" if where else ""
        return f"{self.invariant}{place}: {self.description}"

    def to_dict(self) -> dict[str, Any]:
        """Return the violation as JSON-serialisable data."""
        data: dict[str, Any] = {
            "invariant": self.invariant,
            "description": self.description,
            "task": self.task.to_dict(),
            "owner": None if self.owner is None else self.owner.to_dict(),
            "verdict": self.verdict.value,
            "rule": self.rule_id,
        }
        if self.baseline is not None:
            data["baseline"] = self.baseline.to_dict()
        if self.line is not None:
            data["line"] = self.line
        if self.path is not None:
            data["path"] = self.path
        return data


def _owner_work(task: Task, owner: Owner | None) -> bool:
    """Whether *task* is a core competency or only the owner's (as far as is known)."""
    values = fact_values(task, owner)
    return values["core_competency"] is True or values["only_owner"] is True


def _by(decision: Decision) -> str:
    return f"rule {decision.rule_id!r}" if decision.rule_id else "the default"


def _outcome(decision: Decision) -> tuple[Verdict, tuple[str, ...]]:
    return decision.verdict, decision.matched_rule_ids


# --- the search -------------------------------------------------------------------------

#: A check takes a drawn case and returns the violation it shows, or ``None``.
_Check = Callable[[Any], Violation | None]


class _Search:
    """Everything one call of :func:`verify_invariants` shares between its invariants."""

    def __init__(
        self,
        ruleset: Ruleset,
        engine: str,
        owner: Owner | None,
        fixed_owner: bool,
        max_examples: int,
        derandomize: bool,
    ) -> None:
        self.ruleset = ruleset
        self.engine = engine
        conditions = [r.when for r in ruleset.rules] + [i.when for i in ruleset.invariants]
        # Draw what the rules name, and one value none of them names: a
        # violation that needs two facts right then comes up within 100 cases.
        categories: set[str] = set()
        labels: set[str] = set()
        thresholds: set[float] = set()
        for fact, values in compared_in(conditions).items():
            kind = FACTS[fact].kind
            if fact == "category":
                categories.update(values)
            elif kind is Kind.LABELS:
                labels.update(v for v in values if v.strip())
            elif kind is Kind.NUMBER:
                thresholds.update(values)  # tasks() keeps those within each fact's range
        if fixed_owner and owner is not None and owner.core_competencies:
            categories.update(owner.core_competencies)  # so tasks are often core for them
        pool = [*sorted(categories), _unnamed("another category", categories)]
        tag_pool = [*sorted(labels), _unnamed("another label", labels)]
        self.thresholds = tuple(sorted(thresholds))
        self.tasks = tasks(categories=pool, tags=tag_pool, thresholds=self.thresholds)
        self.owners: st.SearchStrategy[Owner | None] = (
            st.just(owner)
            if fixed_owner
            else st.none() | owners(categories=pool, thresholds=sorted(thresholds))
        )
        self.settings = settings(
            max_examples=max_examples,
            database=None,
            derandomize=derandomize,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )

    def decide(self, task: Task, owner: Owner | None, engine: str | None = None) -> Decision:
        return decide(task, owner, ruleset=self.ruleset, engine=engine or self.engine)

    def run(self, strategy: st.SearchStrategy[Any], check: _Check) -> Violation | None:
        """Return the simplest violation *check* finds among cases of *strategy*, if any."""
        try:
            case = find(strategy, lambda c: check(c) is not None, settings=self.settings)
        except NoSuchExample:
            return None
        return check(case)

    def pairs(self) -> st.SearchStrategy[tuple[Task, Owner | None]]:
        return st.tuples(self.tasks, self.owners)

    # -- the ruleset's own invariants --

    def declared(self, index: int, invariant: Invariant) -> Violation | None:
        name = f"invariants[{index}]"
        when = describe_condition(invariant.when)
        if isinstance(invariant.when, AllOf | AnyOf) and len(invariant.when.parts) > 1:
            when = when[1:-1]  # no brackets around the whole condition
        promise = f"when {when}, {'always' if invariant.always else 'never'} {invariant.verdict}"
        if invariant.description:
            promise = f"{invariant.description} ({promise})"

        def check(case: tuple[Task, Owner | None]) -> Violation | None:
            task, owner = case
            if evaluate(invariant.when, fact_values(task, owner)) is not True:
                return None
            decision = self.decide(task, owner)
            if (decision.verdict is invariant.verdict) is invariant.always:
                return None
            return Violation(
                name,
                f"{promise}; but {_by(decision)} gave {decision.verdict} "
                f"for {_render_task(task)} with {_render_owner(owner)}",
                task,
                owner,
                decision.verdict,
                decision.rule_id,
                line=invariant.line,
                path=invariant.path,
            )

        return self.run(self.pairs(), check)

    # -- built-in invariants --

    def core_never_outsourced(self) -> Violation | None:
        def check(case: tuple[Task, Owner | None]) -> Violation | None:
            task, owner = case
            if fact_values(task, owner)["core_competency"] is not True:
                return None
            decision = self.decide(task, owner)
            if decision.verdict is not Verdict.OUTSOURCE:
                return None
            return Violation(
                "core-never-outsourced",
                f"core work is never outsourced; but {_by(decision)} outsourced "
                f"{_render_task(task)}, a core competency with {_render_owner(owner)}",
                task,
                owner,
                decision.verdict,
                decision.rule_id,
            )

        return self.run(self.pairs(), check)

    def deterministic(self) -> Violation | None:
        def check(case: tuple[Task, Owner | None, Task]) -> Violation | None:
            task, owner, other = case
            alone = self.decide(task, owner)
            again = self.decide(task, owner)
            after = decide_all([other, task], owner, ruleset=self.ruleset, engine=self.engine)[1]
            before = decide_all([task, other], owner, ruleset=self.ruleset, engine=self.engine)[0]
            checks = [("again", again), ("after another", after), ("before another", before)]
            for how, decision in checks:
                if _outcome(decision) != _outcome(alone):
                    return Violation(
                        "deterministic",
                        f"deciding a task {how} gives the same decision; but "
                        f"{_render_task(task)} got {alone.verdict} by {_by(alone)} "
                        f"alone and {decision.verdict} by {_by(decision)} decided {how} task "
                        f"({_render_task(other)})",
                        task,
                        owner,
                        decision.verdict,
                        decision.rule_id,
                    )
            return None

        return self.run(st.tuples(self.tasks, self.owners, self.tasks), check)

    def name_irrelevant(self) -> Violation | None:
        names = st.sampled_from(["x", "Something else"]) | st.text(min_size=1).filter(str.strip)

        def check(case: tuple[Task, Owner | None, str, str | None]) -> Violation | None:
            task, owner, name, description = case
            renamed = attrs.evolve(task, name=name, description=description)
            first, second = self.decide(task, owner), self.decide(renamed, owner)
            if _outcome(first) == _outcome(second):
                return None
            return Violation(
                "name-irrelevant",
                f"a task's name and description never change its decision; but named "
                f"{task.name!r} it got {first.verdict} by {_by(first)} and named {name!r} "
                f"{second.verdict} by {_by(second)}",
                renamed,
                owner,
                second.verdict,
                second.rule_id,
                baseline=task,
            )

        strategy = st.tuples(self.tasks, self.owners, names, st.none() | st.text())
        return self.run(strategy, check)

    def engines_agree(self) -> Violation | None:
        def check(case: tuple[Task, Owner | None]) -> Violation | None:
            task, owner = case
            native = self.decide(task, owner, "native")
            durable = self.decide(task, owner, "durable")
            if _outcome(native) == _outcome(durable):
                return None
            return Violation(
                "engines-agree",
                f"both engines decide alike; but on {_render_task(task)} with "
                f"{_render_owner(owner)} native gave {native.verdict} by {_by(native)} "
                f"(matches {list(native.matched_rule_ids)}) and durable {durable.verdict} "
                f"by {_by(durable)} (matches {list(durable.matched_rule_ids)})",
                task,
                owner,
                durable.verdict,
                durable.rule_id,
            )

        return self.run(self.pairs(), check)

    def monotone(self, name: str) -> Violation | None:
        change = _CHANGES[name]

        # The promise is about tasks that are neither core nor only the
        # owner's: draw only those.
        candidates = self.pairs().filter(lambda pair: not _owner_work(*pair))

        @st.composite
        def cases(draw: st.DrawFn) -> tuple[Task, Owner | None, Task]:
            task, owner = draw(candidates)
            baseline, worse = draw(change.pair(task, self.thresholds))
            return baseline, owner, worse

        def check(case: tuple[Task, Owner | None, Task]) -> Violation | None:
            task, owner, worse = case
            if task == worse:
                return None
            if _owner_work(task, owner):
                return None
            before = self.decide(task, owner)
            if before.verdict is not Verdict.OUTSOURCE:
                return None
            after = self.decide(worse, owner)
            if after.verdict is not Verdict.KEEP:
                return None
            was, now = getattr(task, change.fact), getattr(worse, change.fact)
            return Violation(
                name,
                f"{change.promise} never turns outsource into keep; but "
                f"{_render_task(task)} with {_render_owner(owner)} is outsourced by "
                f"{_by(before)} and, with {change.fact} {render_value(now)} instead of "
                f"{render_value(was)}, kept by {_by(after)}",
                worse,
                owner,
                after.verdict,
                after.rule_id,
                baseline=task,
            )

        return self.run(cases(), check)


@attrs.frozen
class _Change:
    """A change of one fact that makes a task a stronger candidate for outsourcing.

    ``pair(task)`` draws a baseline (the task, with the fact set to a value
    that can get worse) and the same task with the fact made worse, so every
    case the search draws is a real before-and-after pair.
    """

    fact: str
    promise: str
    pair: Callable[[Task, tuple[float, ...]], st.SearchStrategy[tuple[Task, Task]]]


def _evolve(task: Task, fact: str, value: Any) -> Task:
    changes: dict[str, Any] = {fact: value}
    return attrs.evolve(task, **changes)


def _lower(
    fact: str, levels: type[Skill] | type[Enjoyment]
) -> Callable[[Task, tuple[float, ...]], st.SearchStrategy[tuple[Task, Task]]]:
    ordered = list(levels)

    @st.composite
    def pair(draw: st.DrawFn, task: Task, _thresholds: tuple[float, ...]) -> tuple[Task, Task]:
        now = getattr(task, fact)
        if now is None or now == ordered[0]:
            now = draw(st.sampled_from(ordered[1:]))
        lower = draw(st.sampled_from([level for level in ordered if level < now]))
        return _evolve(task, fact, now), _evolve(task, fact, lower)

    return pair


@st.composite
def _more_often(draw: st.DrawFn, task: Task, thresholds: tuple[float, ...]) -> tuple[Task, Task]:
    marks = {1, 12, 52, 365, *thresholds}
    near = sorted({m + d for m in marks for d in (-1, 0, 1) if 0 <= m + d < MAX_TIMES_PER_YEAR})
    often = st.sampled_from(near) | st.floats(0, MAX_TIMES_PER_YEAR, exclude_max=True)
    if task.one_off:  # a one-off task has no frequency to raise
        task = attrs.evolve(task, one_off=None, times_per_year=None)
    now = task.times_per_year
    if now is None or now >= MAX_TIMES_PER_YEAR:
        now = draw(often)
    more = draw(often.filter(lambda v: v > now) | st.just(MAX_TIMES_PER_YEAR))
    return _evolve(task, "times_per_year", now), _evolve(task, "times_per_year", more)


def _no_time(task: Task, _thresholds: tuple[float, ...]) -> st.SearchStrategy[tuple[Task, Task]]:
    return st.just((_evolve(task, "time_available", True), _evolve(task, "time_available", False)))


_CHANGES: dict[str, _Change] = {
    "monotone-enjoyment": _Change(
        "enjoyment", "liking a task less", _lower("enjoyment", Enjoyment)
    ),
    "monotone-skill": _Change("skill", "being less skilled at a task", _lower("skill", Skill)),
    "monotone-frequency": _Change("times_per_year", "doing a task more often", _more_often),
    "monotone-time": _Change("time_available", "having no time for a task", _no_time),
}


# --- the entry point --------------------------------------------------------------------
