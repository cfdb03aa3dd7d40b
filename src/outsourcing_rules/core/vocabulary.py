"""The facts a rule may test: their kinds, operators and how derived ones are computed.

This module is the single source of truth for the rule language's
vocabulary. The loader checks conditions against it, both engines read
values through it, and the documentation renders it.

Derived facts are plain functions of other facts. Each is ``None`` whenever
a fact it needs is unknown, so "unknown" flows through arithmetic instead of
turning into a misleading zero.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from .facts import (
    MAX_EXACT_INTEGER,
    MAX_HOURS,
    MAX_RATE,
    MAX_TIMES_PER_YEAR,
    MIN_PROVIDER_RATE,
    Enjoyment,
    Owner,
    Skill,
    Task,
)

#: Weeks in a year, for the per-week figures.
WEEKS_PER_YEAR = 52


class Kind(enum.Enum):
    """The kind of value a fact holds, which decides the operators it allows."""

    BOOL = "bool"
    NUMBER = "number"
    TEXT = "text"
    SKILL = "skill"
    ENJOYMENT = "enjoyment"
    LABELS = "labels"

    @property
    def levels(self) -> type[Skill] | type[Enjoyment] | None:
        """The ordered enum of a level kind, else ``None``."""
        if self is Kind.SKILL:
            return Skill
        if self is Kind.ENJOYMENT:
            return Enjoyment
        return None


#: Every operator of the rule language, with what it means.
OPERATORS: dict[str, str] = {
    "eq": "equal to",
    "ne": "not equal to",
    "lt": "less than",
    "le": "at most",
    "gt": "greater than",
    "ge": "at least",
    "in": "one of",
    "not_in": "none of",
}

_ORDERED = frozenset({"eq", "ne", "lt", "le", "gt", "ge", "in", "not_in"})
_UNORDERED = frozenset({"eq", "ne", "in", "not_in"})

_OPS_BY_KIND: dict[Kind, frozenset[str]] = {
    Kind.BOOL: frozenset({"eq", "ne"}),
    Kind.NUMBER: _ORDERED,
    Kind.SKILL: _ORDERED,
    Kind.ENJOYMENT: _ORDERED,
    Kind.TEXT: _UNORDERED,
    # For labels, ``in`` means "has any of these labels", ``not_in`` "has none".
    Kind.LABELS: frozenset({"in", "not_in"}),
}


@attrs.frozen
class FactSpec:
    """One fact of the rule language.

    ``source`` is ``"task"``, ``"owner"`` or ``"derived"``; a derived fact
    has ``needs`` (the facts it is computed from) and ``compute``.
    """

    name: str
    kind: Kind
    source: str
    description: str
    needs: tuple[str, ...] = ()
    compute: Callable[..., Any] | None = attrs.field(default=None, eq=False, repr=False)
    attribute: str | None = None

    @property
    def operators(self) -> frozenset[str]:
        """The operators a condition on this fact may use."""
        return _OPS_BY_KIND[self.kind]


# --- derived facts ----------------------------------------------------------


def _recurring(one_off: bool | None, times_per_year: float | None) -> bool | None:
    if one_off is not None:
        return not one_off
    return True if times_per_year is not None else None


def _hours_per_year(
    one_off: bool | None, times_per_year: float | None, hours_each: float | None
) -> float | None:
    if hours_each is None:
        return None
    if one_off:
        return hours_each
    if times_per_year is None:
        return None
    return times_per_year * hours_each


def _per_week(per_year: float | None) -> float | None:
    return None if per_year is None else per_year / WEEKS_PER_YEAR


def _exact(value: float) -> float:
    # An integer beyond 2**53 becomes the nearest float, so that every engine
    # compares it the same way (see MAX_EXACT_INTEGER).
    if type(value) is int and not -MAX_EXACT_INTEGER <= value <= MAX_EXACT_INTEGER:
        return float(value)
    return value


def _cost(hours: float | None, rate: float | None) -> float | None:
    return None if hours is None or rate is None else _exact(hours * rate)


def _difference(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else _exact(a - b)


def _ratio(owner_rate: float | None, provider_rate: float | None) -> float | None:
    # provider_hourly_rate is validated to be > 0.
    return None if owner_rate is None or provider_rate is None else owner_rate / provider_rate


def _core(
    stated: bool | None, category: str | None, competencies: frozenset[str] | None
) -> bool | None:
    if stated is True:
        return True
    if category is not None and competencies is not None and category in competencies:
        return True
    if stated is False:
        return False
    if category is not None and competencies is not None:
        return False
    return None


def _known(value: object) -> bool:
    return value is not None


def _both_known(a: object, b: object) -> bool:
    return a is not None and b is not None


def _task(name: str, kind: Kind, description: str) -> FactSpec:
    return FactSpec(name, kind, "task", description, attribute=name)


FACTS: dict[str, FactSpec] = {
    spec.name: spec
    for spec in [
        _task("category", Kind.TEXT, "The kind of task, e.g. invoicing or video-editing."),
        FactSpec(
            "core_competency",
            Kind.BOOL,
            "derived",
            "True when the task is stated to be core, or its category is one of the "
            "owner's core competencies; false when it is stated not to be, or the "
            "category is known and is not one of them.",
            needs=("stated_core_competency", "category", "core_competencies"),
            compute=_core,
        ),
        _task("only_owner", Kind.BOOL, "Only the owner in person can do it."),
        _task(
            "skill", Kind.SKILL, "How good the owner is at it: none < basic < competent < expert."
        ),
        _task(
            "enjoyment",
            Kind.ENJOYMENT,
            "How the owner feels about it: hate < dislike < neutral < like < love.",
        ),
        _task("times_per_year", Kind.NUMBER, "How often a recurring task comes up in a year."),
        _task("one_off", Kind.BOOL, "A one-time project rather than a recurring task."),
        _task("hours_each", Kind.NUMBER, "Hours the task takes each time."),
        _task(
            "time_available",
            Kind.BOOL,
            "The owner has time for it; false means it never gets done.",
        ),
        _task("repetitive", Kind.BOOL, "A repetitive process that eats time."),
        _task("can_be_eliminated", Kind.BOOL, "The task could be dropped altogether."),
        _task("revenue_generating", Kind.BOOL, "The task itself brings in revenue."),
        _task("procedure_documented", Kind.BOOL, "A written procedure or checklist exists."),
        _task("outcome_defined", Kind.BOOL, "The outcome, standards and reporting are defined."),
        _task("provider_hourly_rate", Kind.NUMBER, "What a provider charges per hour."),
        _task(
            "tags",
            Kind.LABELS,
            "Free labels; rules test them with in (any of) and not_in (none of).",
        ),
        FactSpec(
            "owner_hourly_rate",
            Kind.NUMBER,
            "owner",
            "What an hour of the owner's time is worth.",
            attribute="hourly_rate",
        ),
        FactSpec(
            "recurring",
            Kind.BOOL,
            "derived",
            "True for a recurring task: one_off is false, or a frequency is given "
            "and one_off is not.",
            needs=("one_off", "times_per_year"),
            compute=_recurring,
        ),
        FactSpec(
            "hours_per_year",
            Kind.NUMBER,
            "derived",
            "hours_each times times_per_year (just hours_each for a one-off task).",
            needs=("one_off", "times_per_year", "hours_each"),
            compute=_hours_per_year,
        ),
        FactSpec(
            "hours_per_week",
            Kind.NUMBER,
            "derived",
            f"hours_per_year / {WEEKS_PER_YEAR}.",
            needs=("hours_per_year",),
            compute=_per_week,
        ),
        FactSpec(
            "owner_cost_per_year",
            Kind.NUMBER,
            "derived",
            "hours_per_year times the owner's hourly rate.",
            needs=("hours_per_year", "owner_hourly_rate"),
            compute=_cost,
        ),
        FactSpec(
            "provider_cost_per_year",
            Kind.NUMBER,
            "derived",
            "hours_per_year times the provider's hourly rate.",
            needs=("hours_per_year", "provider_hourly_rate"),
            compute=_cost,
        ),
        FactSpec(
            "saving_per_year",
            Kind.NUMBER,
            "derived",
            "owner_cost_per_year minus provider_cost_per_year.",
            needs=("owner_cost_per_year", "provider_cost_per_year"),
            compute=_difference,
        ),
        FactSpec(
            "saving_per_week",
            Kind.NUMBER,
            "derived",
            f"saving_per_year / {WEEKS_PER_YEAR}.",
            needs=("saving_per_year",),
            compute=_per_week,
        ),
        FactSpec(
            "hours_known",
            Kind.BOOL,
            "derived",
            "True when the task's hours are known (hours_per_year can be computed), "
            "false when not; never unknown, so a rule can treat unknown hours apart.",
            needs=("hours_per_year",),
            compute=_known,
        ),
        FactSpec(
            "enjoyment_known",
            Kind.BOOL,
            "derived",
            "True when how the owner feels about the task is given; never unknown.",
            needs=("enjoyment",),
            compute=_known,
        ),
        FactSpec(
            "rates_known",
            Kind.BOOL,
            "derived",
            "True when both the owner's and the provider's hourly rates are given "
            "(rate_ratio can be computed); never unknown.",
            needs=("owner_hourly_rate", "provider_hourly_rate"),
            compute=_both_known,
        ),
        FactSpec(
            "rate_ratio",
            Kind.NUMBER,
            "derived",
            "The owner's hourly rate divided by the provider's.",
            needs=("owner_hourly_rate", "provider_hourly_rate"),
            compute=_ratio,
        ),
    ]
}

#: Inputs to derived facts that are not themselves rule facts.
_HIDDEN_INPUTS: dict[str, tuple[str, str]] = {
    "stated_core_competency": ("task", "core_competency"),
    "core_competencies": ("owner", "core_competencies"),
}


def _order() -> list[str]:
    """Every fact and hidden input, each after everything it needs."""
    done: list[str] = []

    def visit(name: str) -> None:
        if name in done:
            return
        spec = FACTS.get(name)
        for need in spec.needs if spec else ():
            visit(need)
        done.append(name)

    for name in [*_HIDDEN_INPUTS, *FACTS]:
        visit(name)
    return done


#: Facts in an order where every derived fact comes after its inputs.
ORDER: tuple[str, ...] = tuple(_order())


def closure(names: set[str] | frozenset[str]) -> list[str]:
    """Return *names* and everything they are computed from, in evaluation order."""
    wanted = set(names)
    for name in reversed(ORDER):
        if name in wanted and name in FACTS:
            wanted.update(FACTS[name].needs)
    return [n for n in ORDER if n in wanted]


def read_expression(name: str, task: str = "t", owner: str = "o") -> str:
    """Return a Python expression that reads the base fact *name* from a task and owner.

    Used by the native engine's code generator. Owner facts read ``None``
    when there is no owner.
    """
    if name in _HIDDEN_INPUTS:
        source, attribute = _HIDDEN_INPUTS[name]
    else:
        spec = FACTS[name]
        source, attribute = spec.source, spec.attribute or name
    if source == "task":
        return f"{task}.{attribute}"
    return f"(None if {owner} is None else {owner}.{attribute})"


def fact_lines(names: set[str] | frozenset[str], constant: Callable[[Any], str]) -> list[str]:
    """Return Python statements that set a local variable for each fact in *names*.

    The statements read base facts from ``t`` (the task) and ``o`` (the
    owner) and compute derived ones, inputs first. *constant* names an object
    in the namespace the code will run in (used for the compute functions).
    Engines generate their per-ruleset functions from these lines.
    """
    lines = []
    for name in closure(names):
        spec = FACTS.get(name)
        if spec is not None and spec.compute is not None:
            lines.append(f"{name} = {constant(spec.compute)}({', '.join(spec.needs)})")
        else:
            lines.append(f"{name} = {read_expression(name)}")
    return lines


def fact_reader(names: Sequence[str]) -> Callable[[Task, Owner | None], tuple[Any, ...]]:
    """Compile a function returning the values of *names* (in that order) for a task and owner.

    It computes only those facts and what they need, which is much cheaper
    than :func:`fact_values` when a ruleset tests a few of them.
    """
    namespace: dict[str, Any] = {}

    def constant(value: Any) -> str:
        key = f"_k{len(namespace)}"
        namespace[key] = value
        return key

    body = fact_lines(frozenset(names), constant)
    result = "(" + "".join(f"{n}, " for n in names) + ")"
    source = "def read(t, o):\n" + "".join(f"    {line}\n" for line in body)
    source += f"    return {result}\n"
    exec(compile(source, "<outsourcing_rules fact reader>", "exec"), namespace)  # our names only
    reader: Callable[[Task, Owner | None], tuple[Any, ...]] = namespace["read"]
    return reader


def fact_values(task: Task, owner: Owner | None) -> dict[str, Any]:
    """Return the value of every rule fact for *task* and *owner* (``None`` = unknown).

    Computed by the same generated reader the engines use (:func:`fact_reader`
    over every fact), so there is one derivation of each fact.
    """
    return dict(zip(_EVERY_FACT, _every_fact_reader()(task, owner), strict=True))


_EVERY_FACT = tuple(FACTS)


@functools.cache
def _every_fact_reader() -> Callable[[Task, Owner | None], tuple[Any, ...]]:
    return fact_reader(_EVERY_FACT)


_HOURS = MAX_TIMES_PER_YEAR * MAX_HOURS
_COST = _HOURS * MAX_RATE
#: The values number facts can take; facts not listed are unbounded.
BOUNDS: dict[str, tuple[float, float]] = {
    "times_per_year": (0, MAX_TIMES_PER_YEAR),
    "hours_each": (0, MAX_HOURS),
    "provider_hourly_rate": (MIN_PROVIDER_RATE, MAX_RATE),
    "owner_hourly_rate": (0, MAX_RATE),
    "hours_per_year": (0, _HOURS),
    "hours_per_week": (0, _HOURS / WEEKS_PER_YEAR),
    "owner_cost_per_year": (0, _COST),
    "provider_cost_per_year": (0, _COST),
    "saving_per_year": (-_COST, _COST),
    "saving_per_week": (-_COST / WEEKS_PER_YEAR, _COST / WEEKS_PER_YEAR),
    "rate_ratio": (0, MAX_RATE / MIN_PROVIDER_RATE),
}
