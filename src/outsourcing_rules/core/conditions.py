"""The condition tree of a rule, and its three-valued logic.

A condition is a tree of :class:`Atom` (one fact compared with one value),
:class:`AllOf`, :class:`AnyOf` and :class:`Not`. Loading builds it, already
validated and with parameters resolved; engines compile it; explanations read
it.

Unknown facts follow Kleene's three-valued logic: a comparison with an unknown
fact is *unknown*; ``all`` is true only when every part is true, ``any`` when
some part is; ``not`` turns true into false and leaves unknown unknown. A rule
applies only when its condition is *true*. :func:`negation_normal_form`
pushes every ``not`` down onto the comparisons (``not skill <= basic`` is
``skill > basic``), which keeps this meaning exactly and is the form both
engines evaluate: in it, a condition is true exactly when it is true with
every comparison on an unknown fact taken as false.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, TypeAlias

import attrs

from .vocabulary import FACTS, OPERATORS, Kind

__all__ = [
    "AllOf",
    "AnyOf",
    "Atom",
    "Condition",
    "Not",
    "atoms",
    "describe_condition",
    "evaluate",
    "negation_normal_form",
    "witness",
]

_NEGATED = {
    "eq": "ne",
    "ne": "eq",
    "lt": "ge",
    "ge": "lt",
    "le": "gt",
    "gt": "le",
    "in": "not_in",
    "not_in": "in",
}


@attrs.frozen
class Atom:
    """One comparison: ``fact op value``.

    ``value`` is already resolved and typed (a level, a number, text, a
    boolean, or a frozenset for ``in``/``not_in``). ``parameter`` names the
    ``$parameter`` it came from, if any; ``key`` is where it was written.
    """

    fact: str
    op: str
    value: Any
    parameter: str | None = attrs.field(default=None, eq=False)
    key: str = attrs.field(default="", eq=False)

    def negated(self) -> Atom:
        """Return the comparison that is true exactly when this one is false."""
        return attrs.evolve(self, op=_NEGATED[self.op])

    def test(self, actual: Any) -> bool | None:
        """Compare a fact value with this atom: ``None`` when the fact is unknown."""
        if actual is None:
            return None
        op, value = self.op, self.value
        if FACTS[self.fact].kind is Kind.LABELS:
            hit = not actual.isdisjoint(value)
            return hit if op == "in" else not hit
        if op == "eq":
            return bool(actual == value)
        if op == "ne":
            return bool(actual != value)
        if op == "lt":
            return bool(actual < value)
        if op == "le":
            return bool(actual <= value)
        if op == "gt":
            return bool(actual > value)
        if op == "ge":
            return bool(actual >= value)
        if op == "in":
            return actual in value
        return actual not in value

    def describe(self) -> str:
        """Say the comparison in words: ``skill at most basic``."""
        return f"{self.fact} {OPERATORS[self.op]} {render_value(self.value)}"


@attrs.frozen
class AllOf:
    """True when every part is true."""

    parts: tuple[Condition, ...]


@attrs.frozen
class AnyOf:
    """True when at least one part is true."""

    parts: tuple[Condition, ...]


@attrs.frozen
class Not:
    """True when its part is false (unknown stays unknown)."""

    part: Condition


Condition: TypeAlias = Atom | AllOf | AnyOf | Not


def render_value(value: Any) -> str:
    """Render a condition or fact value as a person would write it."""
    if isinstance(value, frozenset | set | list | tuple):
        return "[" + ", ".join(render_value(v) for v in sorted(value, key=str)) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "unknown"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.2f}".rstrip("0")
    return str(value)


def describe_condition(condition: Condition) -> str:
    """Say a condition in words: ``(skill at most basic or repetitive equal to true)``."""
    if isinstance(condition, Atom):
        return condition.describe()
    if isinstance(condition, Not):
        return f"not ({describe_condition(condition.part)})"
    joiner = " and " if isinstance(condition, AllOf) else " or "
    text = joiner.join(describe_condition(p) for p in condition.parts)
    return text if len(condition.parts) == 1 else f"({text})"


def negation_normal_form(condition: Condition, negate: bool = False) -> Condition:
    """Return an equivalent condition with no :class:`Not` left in it."""
    if isinstance(condition, Atom):
        return condition.negated() if negate else condition
    if isinstance(condition, Not):
        return negation_normal_form(condition.part, not negate)
    parts = tuple(negation_normal_form(p, negate) for p in condition.parts)
    flip = isinstance(condition, AllOf) == negate  # De Morgan
    return AnyOf(parts) if flip else AllOf(parts)


def evaluate(condition: Condition, values: Mapping[str, Any]) -> bool | None:
    """Evaluate *condition* on fact *values*: ``True``, ``False`` or ``None`` (unknown)."""
    if isinstance(condition, Atom):
        return condition.test(values.get(condition.fact))
    if isinstance(condition, Not):
        inner = evaluate(condition.part, values)
        return None if inner is None else not inner
    results = [evaluate(p, values) for p in condition.parts]
    if isinstance(condition, AllOf):
        if False in results:
            return False
        return None if None in results else True
    if True in results:
        return True
    return None if None in results else False


def witness(condition: Condition, values: Mapping[str, Any]) -> list[Atom] | None:
    """Return the comparisons that make a negation-normal *condition* true.

    For ``all`` that is every part's witness, for ``any`` the first true
    part's. ``None`` when the condition is not true. Every returned atom holds
    on *values*, which is what an explanation may cite.
    """
    if isinstance(condition, Atom):
        return [condition] if condition.test(values.get(condition.fact)) else None
    if isinstance(condition, Not):
        raise TypeError("witness() needs a condition in negation normal form")
    if isinstance(condition, AllOf):
        found: list[Atom] = []
        for part in condition.parts:
            sub = witness(part, values)
            if sub is None:
                return None
            found.extend(sub)
        return found
    for part in condition.parts:
        sub = witness(part, values)
        if sub is not None:
            return sub
    return None


def atoms(condition: Condition) -> Iterator[Atom]:
    """Yield every comparison in *condition*, in the order written."""
    if isinstance(condition, Atom):
        yield condition
    elif isinstance(condition, Not):
        yield from atoms(condition.part)
    else:
        for part in condition.parts:
            yield from atoms(part)


def to_data(condition: Condition) -> Any:
    """Return *condition* as ruleset-file data (parameters written back as ``$name``)."""
    if isinstance(condition, Atom):
        value: Any = (
            "$" + condition.parameter
            if condition.parameter is not None
            else _plain(condition.value)
        )
        if condition.parameter is None and isinstance(value, str) and value.startswith("$"):
            value = "$" + value  # a literal dollar is written $$, or it would read as a parameter
        if condition.op == "eq":
            return {condition.fact: value}
        return {condition.fact: {condition.op: value}}
    if isinstance(condition, Not):
        return {"not": to_data(condition.part)}
    key = "all" if isinstance(condition, AllOf) else "any"
    return {key: [to_data(p) for p in condition.parts]}


def _plain(value: Any) -> Any:
    if isinstance(value, frozenset):
        return sorted((_plain(v) for v in value), key=lambda v: (str(type(v)), v))
    if hasattr(value, "names"):  # an ordered level
        return str(value)
    return value
